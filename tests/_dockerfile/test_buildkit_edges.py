"""Edge cases where a naive parse differs from BuildKit's, read as BuildKit reads them.

Each row is the smallest input showing one case, with what BuildKit's parser reads
there; the constants name the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from python_docker_hooks._dockerfile.parse import parse
from python_docker_hooks._engine.registry import hook_module
from python_docker_hooks._engine.runner import process

if TYPE_CHECKING:
    from collections.abc import Callable

    from python_docker_hooks._dockerfile.parse import Dockerfile

DASHDASH = "after a bare `--` ending the flags, the arguments keep their leading blanks"
JSON_TAIL = (
    "BuildKit reads an exec-form array and ignores what follows its `]`; "
    "we fall back to shell form"
)
FLAG_ESCAPES = (
    "BuildKit honours backslash escapes inside flag words; we keep the backslash"
)
SHEBANG = (
    "BuildKit's parser stops looking for directives at a `#!` first line, "
    "so a later `# escape=` is a plain comment"
)
EMPTY_DIRECTIVE = (
    "`# escape=` with no value is not a directive for BuildKit, only a comment"
)
OPEN_QUOTE = "a heredoc word with an unclosed quote is no heredoc for BuildKit"
HEALTHCHECK = "the command of `HEALTHCHECK CMD [...]` is a sub-instruction, in exec form here"


def _shape(model: Dockerfile) -> list[tuple[str, int, int]]:
    return [(i.keyword, i.start_line, i.end_line) for i in model.instructions]


PARSE_ROWS = [
    pytest.param(
        "FROM x\nRUN --network=none --  echo hi\n",
        lambda m: m.instructions[1].args,
        "echo hi",
        id="dashdash-shell-args",
    ),
    pytest.param(
        'FROM x\nCMD --x -- ["a", "b"]\n',
        lambda m: [a.value for a in m.instructions[1].json or ()],
        ["a", "b"],
        id="dashdash-exec-form",
    ),
    pytest.param(
        'FROM x\nCMD ["python", "app.py"]  # start\n',
        lambda m: [a.value for a in m.instructions[1].json or ()],
        ["python", "app.py"],
        id="json-trailing-text",
    ),
    pytest.param(
        'FROM x\nRUN ["a"] ["b"]\n',
        lambda m: [a.value for a in m.instructions[1].json or ()],
        ["a"],
        id="json-second-array",
    ),
    pytest.param(
        "FROM x\nRUN --mount=a\\ b c\n",
        lambda m: (
            [(f.name, f.value) for f in m.instructions[1].flags],
            m.instructions[1].args,
        ),
        ([("mount", "a b")], "c"),
        id="flag-escaped-blank",
    ),
    pytest.param(
        'FROM x\nRUN --mount="a\\"b" c\n',
        lambda m: (
            [(f.name, f.value) for f in m.instructions[1].flags],
            m.instructions[1].args,
        ),
        ([("mount", 'a"b')], "c"),
        id="flag-escaped-quote",
    ),
    pytest.param(
        "FROM x\nRUN --mount=a\\\\b c\n",
        lambda m: [(f.name, f.value) for f in m.instructions[1].flags],
        [("mount", "a\\b")],
        id="flag-escaped-backslash",
    ),
    pytest.param(
        "#!/bin/sh\n# escape=`\nFROM x\nRUN a`\nb\n",
        lambda m: (m.escape, _shape(m)),
        ("\\", [("FROM", 3, 3), ("RUN", 4, 4), ("B", 5, 5)]),
        id="shebang-then-escape",
    ),
    pytest.param(
        "# escape=\nFROM x\n",
        lambda m: (m.escape, _shape(m)),
        ("\\", [("FROM", 2, 2)]),
        id="empty-escape-directive",
    ),
    pytest.param(
        'FROM x\nRUN <<"EOF\nx\nEOF\n',
        _shape,
        [("FROM", 1, 1), ("RUN", 2, 2), ("X", 3, 3), ("EOF", 4, 4)],
        id="heredoc-open-quote",
    ),
    pytest.param(
        'FROM x\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "http://x/"]\n',
        lambda m: [a.value for a in m.instructions[1].effective.json or ()],
        ["curl", "-f", "http://x/"],
        id="healthcheck-exec-form",
    ),
]


@pytest.mark.parametrize(("source", "view", "expected"), PARSE_ROWS)
def test_parse_reads_like_buildkit(
    source: str, view: Callable[[Dockerfile], object], expected: object
) -> None:
    assert view(parse(source)) == expected


REFUSE_ROWS = [
    pytest.param(
        'FROM x\nRUN ["a", 1] b\n',
        id="json-non-string-then-text",
    ),
]


@pytest.mark.parametrize("source", REFUSE_ROWS)
def test_refused_like_buildkit(source: str) -> None:
    from python_docker_hooks._dockerfile.parse import ParseError

    with pytest.raises(ParseError):
        parse(source)


HOOK_ROWS = [
    pytest.param(
        "pip-no-cache-dir",
        b'FROM python:3.12\nRUN ["pip", "install", "flask"]  # web\n',
        [(2, "PDH101")],
        id="pip-exec-form-trailing-text",
    ),
    pytest.param(
        "pip-no-cache-dir",
        b'FROM python:3.12\nRUN --network=none -- ["pip", "install", "flask"]\n',
        [(2, "PDH101")],
        id="pip-exec-form-after-dashdash",
    ),
]


@pytest.mark.parametrize(("hook", "data", "expected"), HOOK_ROWS)
def test_hook_sees_what_buildkit_runs(
    hook: str, data: bytes, expected: list[tuple[int, str]]
) -> None:
    module = hook_module(hook)
    result = process(data, "Dockerfile", [module.SPEC], fix=False)
    assert [(f.line, f.code) for f in result.findings] == expected
