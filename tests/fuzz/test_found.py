"""What the fuzzing found, each as its smallest input.

Each case states what BuildKit reads (checked against BuildKit's own parser here,
so the expectation is a fact, not a guess) and holds our parse to it. Fixed cases
stay as regression tests. Open ones carry a reason naming the module to fix and are
strict xfails: once fixed, the xfail fails, and the reason (with any allowance for
it in the properties or the grammar) goes.
"""

from __future__ import annotations

import dockerfile
import pytest

from python_docker_hooks._dockerfile.parse import ParseError, parse

# (id, text, BuildKit's instructions as (keyword, start line, end line, exec form)).
CASES: list[tuple[str, str, list[tuple[str, int, int, bool]], str | None]] = [
    # Fixed: the escape directive with a form feed where BuildKit allows blanks.
    (
        "form-feed-after-hash-in-escape-directive",
        "#\x0cescape=`\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        None,
    ),
    (
        "form-feed-before-equals-in-escape-directive",
        "# escape\x0c=`\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        None,
    ),
    (
        "form-feed-after-equals-in-escape-directive",
        "# escape=\x0c`\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        None,
    ),
    (
        "form-feed-after-escape-directive-value",
        "# escape=`\x0c\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 4, False)],
        None,
    ),
    # Fixed: HEALTHCHECK's exec form under ONBUILD.
    (
        "onbuild-healthcheck-exec-form",
        'FROM a\nONBUILD HEALTHCHECK CMD ["curl"]\n',
        [("FROM", 1, 1, False), ("ONBUILD", 2, 2, True)],
        None,
    ),
    # Fixed: Go's unicode.IsSpace, not Python's isspace, after `#`.
    (
        "information-separator-after-hash-is-not-a-blank",
        "#\x1cescape=`\nFROM a\nRUN a `\n  b\n",
        [("FROM", 2, 2, False), ("RUN", 3, 3, False), ("B", 4, 4, False)],
        None,
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
        pytest.param(
            t,
            e,
            id=i,
            marks=[pytest.mark.xfail(strict=True, reason=r)] if r else [],
        )
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
