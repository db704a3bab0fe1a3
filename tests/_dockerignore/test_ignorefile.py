"""The ``.dockerignore`` file model: lines, offsets, errors, the deciding line."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerignore.ignorefile import MAX_LINE_BYTES, IgnoreFile

SEED_LISTING_A = """\
**/__pycache__
**/*venv
**/.env
**/.git
*.db
.python-version
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("__pycache__", 1),
        ("app/__pycache__/m.pyc", 1),
        (".venv/bin/python", 2),
        ("venv", 2),
        ("src/myvenv/x", 2),
        ("deploy/.env", 3),
        (".git/HEAD", 4),
        ("app.db", 5),
        ("data/app.db", None),  # '*.db' only at the root
        (".python-version", 6),
        ("./a/../.env", 3),  # cleaned first
        ("main.py", None),
        (".", None),  # the context itself is never excluded
    ],
)
def test_deciding_line(path: str, line: int | None) -> None:
    found = IgnoreFile(SEED_LISTING_A).excludes(path)
    assert (found.number if found else None) == line


def test_last_matching_line_decides_and_exceptions_re_include() -> None:
    ignore = IgnoreFile("*.txt\n!requirements*.txt\nrequirements-dev.txt\n")
    assert ignore.decide("notes.txt") == (True, ignore.lines[0])
    assert ignore.decide("requirements.txt") == (False, ignore.lines[1])
    assert ignore.decide("requirements-dev.txt") == (True, ignore.lines[2])


def test_lines_keep_offsets_and_crlf_is_trimmed() -> None:
    text = "# comment\r\n.git\r\n\r\n  node_modules  \r\n"
    ignore = IgnoreFile(text)
    assert [(ln.number, ln.pattern) for ln in ignore.lines] == [
        (1, None),
        (2, ".git"),
        (3, None),
        (4, "node_modules"),
    ]
    assert text[ignore.lines[1].start : ignore.lines[1].end] == ".git\r"
    assert ignore.position(ignore.lines[3].start + 2) == (4, 3)
    assert ignore.excludes(".git/config") is ignore.lines[1]


def test_invalid_pattern_is_an_error_with_its_line() -> None:
    ignore = IgnoreFile(".git\nsrc/[a\n!\n")
    assert [(ln.number, ln.error) for ln in ignore.errors] == [
        (2, "`src/[a` is not a valid pattern: unterminated character class '['"),
        (3, 'a lone "!" is an illegal exclusion pattern'),
    ]


def test_line_past_go_scanner_limit_is_an_error() -> None:
    ignore = IgnoreFile(".git\n" + "a" * (MAX_LINE_BYTES + 1) + "\n")
    assert [ln.number for ln in ignore.errors] == [2]
    assert IgnoreFile("a" * MAX_LINE_BYTES).errors == []


def test_with_lines_appends_after_a_missing_final_newline() -> None:
    ignore = IgnoreFile(".git").with_lines(["**/.env"])
    assert ignore.text == ".git\n**/.env\n"
    assert ignore.excludes("x/.env") is ignore.lines[1]


@pytest.mark.parametrize(
    ("text", "directory", "line"),
    [
        ("*\n!front-end/*\n", "front-end", 2),
        ("*\n!front-end/*\n", "images", None),
        ("*\n!**/*.py\n", "src", 2),
        ("*\n!s*/app.py\n", "src", 2),
        ("*\n!src\n", "src", None),  # re-includes the directory itself, not below
        ("src\n", "src", None),
    ],
)
def test_exception_below_a_directory(text: str, directory: str, line: int | None) -> None:
    found = IgnoreFile(text).reincludes_below(directory)
    assert (found.number if found else None) == line


@pytest.mark.parametrize(
    "text",
    ["", ".git\n", ".git", "# c\r\n*.pyc\r\n!keep.pyc", "a\n\n[\n", "x" * 70_000 + "\n.env"],
)
def test_a_file_with_lines_added_reads_as_the_longer_text(text: str) -> None:
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

    original = IgnoreFile(text)
    assert original.decide("keep.pyc") is not None  # compiled before the copy
    widened = original.with_lines(["**/.env", "[", "!keep.pyc"])
    direct = IgnoreFile(widened.text)

    def lines(f: IgnoreFile) -> list[tuple[object, ...]]:
        return [(x.number, x.start, x.end, x.text, x.pattern, x.error) for x in f.lines]

    assert widened.text == (text if not text or text.endswith("\n") else text + "\n") + (
        "**/.env\n[\n!keep.pyc\n"
    )
    for path in (".env", "a/.env", "keep.pyc", "x.pyc", ".git", "a"):
        assert widened.decide(path) == (direct.decide(path)[0], widened.decide(path)[1])
        got, want = widened.decide(path)[1], direct.decide(path)[1]
        assert (got.number if got else None) == (want.number if want else None)
    assert [x.number for x in widened.errors] == [x.number for x in direct.errors]
    assert lines(widened) == lines(direct)
    assert [widened.position(o) for o in range(len(widened.text))] == [
        direct.position(o) for o in range(len(direct.text))
    ]
