"""What the fuzzing found, each as its smallest input.

Each case states what BuildKit reads (checked against BuildKit's own parser here,
so the expectation is a fact, not a guess) and holds our parse to it. Cases still
open are strict xfails naming the module to fix: when it is fixed the xfail turns
into a failure, and the mark (and any allowance for it in the properties) goes.
"""

from __future__ import annotations

import dockerfile
import pytest

from hooks._parse import ParseError, parse

# (id, text, BuildKit's instructions as (keyword, start line, end line, exec form)).
CASES = [
    (
        "form-feed-after-hash-in-escape-directive",
        "#\x0cescape=`\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        (
            "_parse.py: `_DIRECTIVE` allows only space and tab after `#`; BuildKit "
            "allows every blank (Go's \\s, with \\f; BuildKit today trims all unicode "
            "blanks there), so the escape directive is missed and the continuation too"
        ),
    ),
    (
        "form-feed-before-equals-in-escape-directive",
        "# escape\x0c=`\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        (
            "_parse.py: `_DIRECTIVE` allows only space and tab around `=`; BuildKit's "
            "\\s also takes \\f (not \\v)"
        ),
    ),
    (
        "form-feed-after-equals-in-escape-directive",
        "# escape=\x0c`\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        (
            "_parse.py: the directive value keeps a leading \\f, so the file is "
            "refused as `invalid escape token`; BuildKit strips it"
        ),
    ),
    (
        "form-feed-after-escape-directive-value",
        "# escape=`\x0c\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        (
            "_parse.py: the directive value is stripped of spaces and tabs only; "
            "BuildKit's `\\s*=\\s*(.+?)\\s*$` also drops \\f (and \\r), so "
            "the file is refused as `invalid escape token`"
        ),
    ),
    (
        "onbuild-healthcheck-exec-form",
        'FROM a\nONBUILD HEALTHCHECK CMD ["curl"]\n',
        [("FROM", 1, 1, False), ("ONBUILD", 2, 2, True)],
        (
            "_parse.py: HEALTHCHECK's CMD becomes a sub-instruction only at top level "
            "(`allow_onbuild`), so under ONBUILD its exec form is not read; BuildKit "
            "reads it"
        ),
    ),
]


def _ours(text: str) -> list[tuple[str, int, int, bool]]:
    out = []
    for ins in parse(text).instructions:
        innermost = ins
        while innermost.sub is not None:
            innermost = innermost.sub
        out.append(
            (ins.keyword, ins.start_line, ins.end_line, innermost.json is not None)
        )
    return out


@pytest.mark.parametrize(
    ("text", "expected"), [pytest.param(t, e, id=i) for i, t, e, _ in CASES]
)
def test_buildkit_reads_it_so(
    text: str, expected: list[tuple[str, int, int, bool]]
) -> None:
    commands = dockerfile.parse_string(text)
    assert [
        (c.cmd.upper(), c.start_line, c.end_line, c.json) for c in commands
    ] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(t, e, id=i, marks=pytest.mark.xfail(strict=True, reason=r))
        for i, t, e, r in CASES
    ],
)
def test_our_parse_reads_it_so(
    text: str, expected: list[tuple[str, int, int, bool]]
) -> None:
    try:
        got = _ours(text)
    except ParseError as exc:
        pytest.fail(f"refused: {exc}")
    assert got == expected
