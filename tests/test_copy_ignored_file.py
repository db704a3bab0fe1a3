"""copy-ignored-file: catches and does not catch, on real trees of files."""

from __future__ import annotations

from pathlib import Path

import pytest
from contextrun import Files, as_bytes, run_tree, write_tree

HOOK = "copy_ignored_file"

IGNORE = ".git\n*.txt\n!keep.txt\nsrc\n"
TAIL = "it is not in the build context"


def excluded(
    where: str,
    source: str,
    line: int,
    pattern: str,
    keyword: str = "COPY",
    evidence: str | None = None,
) -> str:
    # The context is the Dockerfile's directory, where its first source exists.
    evidence = evidence or f"where {keyword} {source} exists"
    return (
        f"Dockerfile:{where}: PDH911 {keyword} source `{source}` is excluded by "
        f".dockerignore:{line} (`{pattern}`) (build context `.`, {evidence}): {TAIL}"
    )


REQS = excluded("2:6", "requirements.txt", 2, "*.txt")

# (Dockerfile text, report lines)
CATCHES = [
    pytest.param("FROM python:3.12-slim\nCOPY requirements.txt .\n", [REQS], id="copy"),
    pytest.param("FROM python:3.12-slim\ncopy requirements.txt .\n", [REQS], id="lowercase"),
    pytest.param(
        "FROM python:3.12-slim\nADD requirements.txt /app/\n",
        [excluded("2:5", "requirements.txt", 2, "*.txt", "ADD")],
        id="add",
    ),
    pytest.param(
        "FROM python:3.12-slim\nCOPY src/app.py ./\n",
        [excluded("2:6", "src/app.py", 4, "src")],
        id="below-an-excluded-directory",
    ),
    pytest.param(
        'FROM python:3.12-slim\nCOPY ["requirements.txt", "./"]\n',
        [excluded("2:7", "requirements.txt", 2, "*.txt")],
        id="exec-form",
    ),
    pytest.param(
        "FROM python:3.12-slim\nARG REQS=requirements.txt\nENV DIR=src\n"
        "COPY $REQS ./\nCOPY ${DIR}/ /app/src/\n",
        [
            excluded("4:6", "requirements.txt", 2, "*.txt"),
            excluded("5:6", "src/", 4, "src", evidence="where COPY requirements.txt exists"),
        ],
        id="arg-and-env-expanded",
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nCOPY notes.txt `\n  C:/app/\n",
        [excluded("3:6", "notes.txt", 2, "*.txt")],
        id="backtick-escape",
    ),
    pytest.param(
        "FROM python:3.12-slim\nCOPY \\\n# the requirements\n  requirements.txt ./\n",
        [excluded("4:3", "requirements.txt", 2, "*.txt")],
        id="comment-inside-continuation",
    ),
    pytest.param(
        "FROM python:3.12-slim\r\nCOPY requirements.txt .\r\n", [REQS], id="crlf"
    ),
    pytest.param(
        b"\xef\xbb\xbfFROM python:3.12-slim\nCOPY requirements.txt .\n", [REQS], id="bom"
    ),
    pytest.param(
        "FROM python:3.12-slim\nCOPY requirements.txt .", [REQS], id="no-final-newline"
    ),
    pytest.param(
        "FROM python:3.12-slim\nCOPY n*.txt ./\n",
        [
            ("Dockerfile:2:6: PDH911 COPY source `n*.txt` is excluded by .dockerignore:2 "
            f"(`*.txt`) (build context `.`, where COPY n*.txt exists): {TAIL}")
        ],
        id="wildcard-matching-only-excluded-files",
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\nCOPY requirements.txt .\n"
        "FROM python:3.12-slim\nCOPY --from=build /requirements.txt .\n",
        [REQS],
        id="stage-the-final-stage-copies-from",
    ),
    # The JSON form is expanded too: BuildKit's SourcesAndDest.Expand runs
    # ProcessWord on every source, whichever form it was written in.
    pytest.param(
        'FROM python:3.12-slim\nARG REQ=requirements.txt\nCOPY ["${REQ}", "."]\n',
        [excluded("3:7", "requirements.txt", 2, "*.txt")],
        id="exec-form-expanded",
    ),
    # A bind mount without from= mounts from the context, exclusions applied.
    pytest.param(
        "FROM python:3.12-slim\n"
        "RUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt \\\n"
        "    pip install --no-cache-dir -r /tmp/r.txt\n",
        [excluded("2:30", "requirements.txt", 2, "*.txt", "RUN --mount")],
        id="bind-mount-source",
    ),
    pytest.param(
        "FROM python:3.12-slim\nARG DIR=src\n"
        "RUN --mount=src=$DIR,target=/src ls /src\n",
        [excluded("3:17", "src", 4, "src", "RUN --mount")],
        id="bind-mount-default-type-src-alias-expanded",
    ),
    pytest.param(
        "FROM python:3.12-slim\nARG GIT=.git\n"
        "RUN --mount=type=cache,target=/root/.cache --mount=src=${GIT},target=.git "
        "pip install .\n",
        [
            excluded(
                "3:56", ".git", 1, ".git", "RUN --mount",
                "the Dockerfile's directory, uncertain",
            )
        ],
        id="bind-mount-type-by-default-and-variable-source",
    ),
    pytest.param(
        "FROM python:3.12-slim\nRUN <<EOF\npython -V\nEOF\nCOPY requirements.txt .\n",
        [excluded("5:6", "requirements.txt", 2, "*.txt")],
        id="after-a-heredoc",
    ),
    pytest.param(
        "FROM python:3.12-slim\n# python-docker-hooks: ignore=PDH911\n"
        "COPY notes.txt .\nCOPY requirements.txt .\n",
        # The context is guessed from the first COPY source that exists.
        [excluded("4:6", "requirements.txt", 2, "*.txt", evidence="where COPY notes.txt exists")],
        id="only-the-suppressed-line-left-alone",
    ),
]

DOES_NOT_CATCH = [
    pytest.param("FROM python:3.12-slim\nCOPY . /app\n", id="whole-context"),
    pytest.param(
        "FROM python:3.12-slim AS b\nFROM python:3.12-slim\n"
        "RUN --mount=type=bind,from=b,source=requirements.txt,target=/r pip install -r /r\n",
        id="bind-mount-from-a-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim\nRUN --mount=type=secret,id=env,target=.env cat .env\n",
        id="secret-mount",
    ),
    pytest.param(
        "FROM python:3.12-slim\nRUN --mount=type=bind,target=/src pip install /src\n",
        id="bind-mount-of-the-whole-context",
    ),
    pytest.param("FROM python:3.12-slim\nCOPY ./ /app\n", id="whole-context-slash"),
    pytest.param("FROM python:3.12-slim\nCOPY keep.txt main.py ./\n", id="re-included"),
    pytest.param(
        "FROM python:3.12-slim\nCOPY <<EOF /app/requirements.txt\nflask\nEOF\n",
        id="heredoc",
    ),
    pytest.param(
        "FROM python:3.12-slim AS b\nFROM python:3.12-slim\n"
        "COPY --from=b /requirements.txt .\n",
        id="copy-from-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim\nADD https://example.com/requirements.txt /tmp/\n",
        id="url",
    ),
    pytest.param("FROM python:3.12-slim\nCOPY *.py ./\n", id="wildcard-allowed"),
    pytest.param("FROM python:3.12-slim\nCOPY *.txt ./\n", id="wildcard-partly-allowed"),
    pytest.param(
        "FROM python:3.12-slim AS unused\nCOPY requirements.txt .\n"
        "FROM python:3.12-slim\nCOPY main.py .\n",
        id="stage-the-build-does-not-run",
    ),
    pytest.param(
        "FROM python:3.12-slim\n# python-docker-hooks: ignore=PDH911\n"
        "COPY requirements.txt .\n",
        id="suppressed",
    ),
    pytest.param(
        "# check=skip=CopyIgnoredFile\nFROM python:3.12-slim\nCOPY requirements.txt .\n",
        id="buildkit-check-directive",
    ),
    pytest.param(
        "FROM python:3.12-slim AS b\nFROM python:3.12-slim\n"
        "RUN --mount=type=bind,from=b,source=requirements.txt,target=/r ls\n",
        id="bind-mount-from-a-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim\n"
        "RUN --mount=type=cache,source=requirements.txt,target=/r ls\n",
        id="cache-mount-source-is-in-the-cache",
    ),
    pytest.param(
        "FROM python:3.12-slim\nRUN --mount=type=bind,target=/ctx ls /ctx\n",
        id="bind-mount-whole-context",
    ),
    pytest.param(
        "FROM python:3.12-slim\n"
        "RUN --mount=type=bind,source=keep.txt,target=/k ls\n",
        id="bind-mount-re-included",
    ),
    pytest.param(b"FROM python:3.12-slim\r\nCOPY keep.txt main.py ./\r\n", id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM python:3.12-slim\nCOPY main.py .\n", id="bom"),
    pytest.param("FROM python:3.12-slim\nCOPY main.py .", id="no-final-newline"),
    pytest.param("from python:3.12-slim\ncopy keep.txt .\n", id="lowercase-keywords"),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nCOPY main.py `\n  keep.txt ./\n",
        id="backtick-escape",
    ),
    pytest.param(
        "FROM python:3.12-slim\nCOPY main.py \\\n# the one text file kept\n  keep.txt ./\n",
        id="comment-in-continuation",
    ),
]

CONTEXT_FILES: Files = {
    ".dockerignore": IGNORE,
    "main.py": "",
    "notes.txt": "",
    "keep.txt": "",
    "requirements.txt": "",
    "src/app.py": "",
}


@pytest.mark.parametrize(("dockerfile", "expected"), CATCHES)
def test_catches(
    dockerfile: str | bytes,
    expected: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {**CONTEXT_FILES, "Dockerfile": dockerfile}
    write_tree(tmp_path, files)
    for args in (("--no-fix",), ()):
        result = run_tree(HOOK, tmp_path, capsys, monkeypatch, *args, "Dockerfile")
        assert (result.code, result.lines) == (1, expected)
        assert result.files == {k: as_bytes(v) for k, v in files.items()}


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(
    dockerfile: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_tree(tmp_path, {**CONTEXT_FILES, "Dockerfile": dockerfile})
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (result.code, result.lines) == (0, [])


def test_no_ignore_file_no_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nCOPY a.txt .\n"})
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (result.code, result.lines) == (0, [])


def test_invalid_ignore_file_is_left_to_dockerignore_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {"Dockerfile": "FROM python:3.12-slim\nCOPY a.txt .\n", ".dockerignore": "[\n*.txt\n"},
    )
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (result.code, result.lines) == (0, [])


def test_run_on_the_ignore_file_checks_the_dockerfiles_it_serves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {**CONTEXT_FILES, "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\n"},
    )
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, ".dockerignore")
    assert (result.code, result.lines) == (1, [REQS])


def test_excluded_directory_whose_contents_are_re_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """fsutil walks into ``front-end`` for ``!front-end/*`` and sends its files:
    the COPY works (BuildKit's own lint flags it all the same)."""
    write_tree(
        tmp_path,
        {
            "Dockerfile": "FROM node:22\nCOPY front-end/ .\nCOPY images ./images\n",
            ".dockerignore": "*\n!front-end/*\n",
        },
    )
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert result.lines == [
        ("Dockerfile:3:6: PDH911 COPY source `images` is excluded by .dockerignore:1 "
        f"(`*`) (build context `.`, the Dockerfile's directory, uncertain): {TAIL}")
    ]
