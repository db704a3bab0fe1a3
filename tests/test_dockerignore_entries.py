"""dockerignore-entries: catches, does not catch, fixes to, on real trees of files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from contextrun import (
    NO_RECOMMENDED,
    REQUIRED_LINES,
    Files,
    as_bytes,
    git_tree,
    read_worktree,
    run_tree,
    write_tree,
)
from hypothesis import given, settings
from hypothesis import strategies as st

HOOK = "dockerignore_entries"
COMPOSE = "services:\n  app:\n    build: .\n"

BASIC = "FROM python:3.12-slim\nCOPY requirements.txt .\nCOPY . /app\n"
NEED = "`.git`, `**/__pycache__`, `**/*venv`, `**/.env`"
HEADER = "# Kept out of the build context (dockerignore-entries)"
RECOMMENDED_MESSAGE = (
    "PDH902 does not exclude recommended `**/.pytest_cache`, `**/.mypy_cache`, "
    "`**/.ruff_cache`, `**/node_modules`, `**/.vscode`, `**/.idea`, `*.db`, "
    "`.python-version`, `**/.gitignore`, `**/docker-compose*`, `**/charts`"
)


def tree(files: Files, *, recommended: bool = False) -> Files:
    """The row's files, with the recommended set off unless asked for, and the
    root Dockerfile declared built in the root (a compose file), so a fix may
    act; rows about guessed contexts give a compose file of their own."""
    out = dict(files)
    # A repository's root: its .git is what a build of the root can send.
    out.setdefault(".git/HEAD", "ref: refs/heads/main\n")
    if not recommended:
        out.setdefault("pyproject.toml", NO_RECOMMENDED)
    if "Dockerfile" in out and not any(name.endswith(".yaml") for name in out):
        out["compose.yaml"] = COMPOSE
    return out


# (files, argv, report lines of a --no-fix run)
CATCHES = [
    pytest.param(
        {"Dockerfile": BASIC},
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH901 no ignore file: nothing is kept out of the build context `.` of "
            f"Dockerfile (compose.yaml, service app); add {NEED} [*]")
        ],
        id="missing-file",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            "app/main.py": "",
            ".dockerignore": "__pycache__/\n.git\n**/*venv\n**/.env\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH901 `__pycache__/` excludes only part of required "
            "`**/__pycache__` (no file a walk of the context finds is affected today); "
            "the line is kept as written; context `.` (compose.yaml, service app)")
        ],
        id="pycache-at-the-root-only-is-intent",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": "__pycache__\n.git\n**/*venv\n**/.env\n"},
        ["Dockerfile"],
        [],
        id="pycache-at-the-root-of-a-context-without-directories",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": ".git\n**/__pycache__\n.venv\n**/.env\n"},
        ["Dockerfile"],
        [
            (".dockerignore:3:1: PDH901 `.venv` excludes only part of required `**/*venv` "
            "(no file a walk of the context finds is affected today); the line is kept as "
            "written; context `.` (compose.yaml, service app)")
        ],
        id="one-venv-name-at-the-root-is-intent",
    ),
    # Of two partial lines, the one that covers more of the pattern is named
    # (`**/.venv`, at any depth, not the later `.venv`, at the root only).
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": ".git\n**/__pycache__\n**/.venv\n**/.env\n.venv\n"},
        ["Dockerfile"],
        [
            (".dockerignore:3:1: PDH901 `**/.venv` excludes only part of required `**/*venv` "
            "(no file a walk of the context finds is affected today); the line is kept as "
            "written; context `.` (compose.yaml, service app)")
        ],
        id="the-widest-partial-line-is-named",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            ".dockerignore": ".git/objects/*\n**/__pycache__\n**/*venv\n**/.env\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH901 `.git/objects/*` excludes only part of required "
            "`.git`: the rest of the context's `.git` is still sent; the line is kept as "
            "written; context `.` (compose.yaml, service app)")
        ],
        id="partial-git-pattern-is-intent",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            "web/app.js": "",
            ".dockerignore": REQUIRED_LINES + "node_modules\n",
            "pyproject.toml": '[tool.python-docker-hooks.dockerignore-entries]\n'
            'recommended = ["**/node_modules"]\n',
        },
        ["Dockerfile"],
        [
            (".dockerignore:5:1: PDH902 `node_modules` excludes only part of recommended "
            "`**/node_modules` (no file a walk of the context finds is affected today); the "
            "line is kept as written; context `.` (compose.yaml, service app)")
        ],
        id="node-modules-at-the-root-is-intent",
    ),
    # moby/patternmatcher: `.git` matches the path `.git` (and, as a parent,
    # what is below it), never `.gitignore`; `**/.git` matches a `.git` at any
    # depth. Only the nested `.git` file slips past the root's `.git` line.
    pytest.param(
        {
            "Dockerfile": BASIC,
            ".gitignore": "",
            "app/.gitignore": "",
            "vendor/lib/.git": "gitdir: ../../.git/modules/lib\n",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = ["**/.git"]\n',
        },
        ["Dockerfile"],
        [
            # Outside a work tree every file a walk finds is the project's: a
            # whole context copied reads it, as the guard on a fix judges it.
            (".dockerignore:1:1: PDH901 `.git` excludes only part of required `**/.git`: "
            "of the files a walk of the context finds, `vendor/lib/.git`, which is in the "
            "context and Dockerfile:3 copies the whole context (`COPY .`), is still sent and "
            "must stay so; the line is kept as written; context `.` (compose.yaml, service app)")
        ],
        id="git-line-never-matches-gitignore-files",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES + "!config/.env\n"},
        ["Dockerfile"],
        [".dockerignore:5:1: PDH904 `!config/.env` re-includes what `**/.env` must exclude; context `.` (compose.yaml, service app)"],
        id="exception-re-includes",
    ),
    pytest.param(
        {"Dockerfile": BASIC, "app/main.py": "", ".dockerignore": REQUIRED_LINES + "!app/\n"},
        ["Dockerfile"],
        [
            (".dockerignore:5:1: PDH904 `!app/` re-includes paths `**/__pycache__`, "
            "`**/*venv`, `**/.env` would exclude (no file a walk of the context finds is "
            "affected today); the exception is kept as written; context `.` (compose.yaml, service app)")
        ],
        id="exception-of-a-directory-sends-its-caches",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            "src/pkg/mod.py": "",
            "docs/index.md": "",
            ".dockerignore": "*\n!src\n!requirements.txt\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:2:1: PDH904 `!src` re-includes paths `**/__pycache__`, "
            "`**/*venv`, `**/.env` would exclude (no file a walk of the context finds is "
            "affected today); the exception is kept as written; context `.` (compose.yaml, service app)")
        ],
        id="everything-but-src-sends-its-caches",
    ),
    pytest.param(
        # One finding for the `!` line, naming what it undoes of each set
        # (searxng's allow-list: `*`, then `!searx/**`).
        {
            "Dockerfile": BASIC,
            "pyproject.toml": "",
            "app/main.py": "",
            ".dockerignore": "*\n!requirements.txt\n!app/**\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:3:1: PDH904 `!app/**` re-includes what `**/__pycache__`, "
            "`**/*venv`, `**/.env` must exclude and what recommended `**/.pytest_cache`, "
            "`**/.mypy_cache`, `**/.ruff_cache` and 6 more would exclude; context `.` "
            "(compose.yaml, service app)")
        ],
        id="allow-list-exception-undoes-both-sets-in-one-finding",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES + "!.git/HEAD\n"},
        ["Dockerfile"],
        [".dockerignore:5:1: PDH904 `!.git/HEAD` re-includes what `.git` must exclude; context `.` (compose.yaml, service app)"],
        id="exception-below-a-required-directory",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY .env /app/.env\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH903 `**/.env` not added: it would exclude `.env`, "
            "which Dockerfile:2 copies; context `.` (compose.yaml, service app)")
        ],
        id="copy-needs-env",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = ["*.txt"]\n',
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH903 `*.txt` not added: it would exclude "
            "`requirements.txt`, which Dockerfile:2 copies; context `.` (compose.yaml, service app)")
        ],
        id="extra-pattern-hits-a-copy",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY *.cfg ./\n",
            "app.cfg": "",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = ["app.*"]\n',
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH903 `app.*` not added: it would exclude "
            "`app.cfg` (`*.cfg`), which Dockerfile:2 copies; context `.` (compose.yaml, service app)")
        ],
        id="wildcard-copy-matched-against-the-context",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\ncopy .env /app/\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH903 `**/.env` not added: it would exclude `.env`, "
            "which Dockerfile:2 copies; context `.` (compose.yaml, service app)")
        ],
        id="lowercase-keyword",
    ),
    pytest.param(
        {
            "Dockerfile": "# escape=`\nFROM python:3.12-slim\nCOPY `\n  .env C:/app/\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH903 `**/.env` not added: it would exclude `.env`, "
            "which Dockerfile:3 copies; context `.` (compose.yaml, service app)")
        ],
        id="backtick-escape",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY \\\n# the secrets\n  .env /app/\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH903 `**/.env` not added: it would exclude `.env`, "
            "which Dockerfile:2 copies; context `.` (compose.yaml, service app)")
        ],
        id="comment-inside-continuation",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY app.py /app/\nCOPY <<EOF /app/.env\nA=1\nEOF\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/.env`; context `.` (compose.yaml, service app) [*]"],
        id="heredoc-is-not-from-the-context",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nARG SECRETS=.env\nCOPY ${SECRETS} /app/\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH903 `**/.env` not added: it would exclude `.env`, "
            "which Dockerfile:3 copies; context `.` (compose.yaml, service app)")
        ],
        id="arg-expanded",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS b\nFROM b\nCOPY app.py /app/\nCOPY --from=b /x/.env /app/\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/.env`; context `.` (compose.yaml, service app) [*]"],
        id="copy-from-a-stage",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": ".git\nsrc/[gen\n!\n"},
        ["Dockerfile"],
        [
            (".dockerignore:2:1: PDH905 line 2: `src/[gen` is not a valid pattern: "
            "unterminated character class '['; BuildKit refuses the build"),
            ('.dockerignore:3:1: PDH905 line 3: a lone "!" is an illegal exclusion '
            "pattern; BuildKit refuses the build"),
        ],
        id="invalid-lines",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES},
        ["Dockerfile"],
        [f".dockerignore:1:1: {RECOMMENDED_MESSAGE}; context `.` (compose.yaml, service app) [*]"],
        id="recommended-on-by-default",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": b"\xef\xbb\xbf.git\r\n**/.env\r\n!.env\r\n"},
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
            "`**/*venv`; context `.` (compose.yaml, service app) [*]"),
            ".dockerignore:3:1: PDH904 `!.env` re-includes what `**/.env` must exclude; context `.` (compose.yaml, service app)",
        ],
        id="bom-and-crlf",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES.replace("**/.env\n", "")},
        [".dockerignore"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/.env`; context `.` (compose.yaml, service app) [*]"],
        id="run-on-the-ignore-file",
    ),
    pytest.param(
        {"Dockerfile": BASIC, "api.Dockerfile.dockerignore": ".git\n"},
        ["api.Dockerfile.dockerignore"],
        [],
        id="per-dockerfile-ignore-file-without-its-dockerfile",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            "pyproject.toml": '[tool.python-docker-hooks]\nignore = ["PDH901", "PDH902"]\n',
        },
        ["Dockerfile"],
        [],
        id="suppressed-by-config",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            ".dockerignore": ".git\n",
            "pyproject.toml": NO_RECOMMENDED
            + '[tool.python-docker-hooks.per-file-ignores]\n".dockerignore" = ["PDH901"]\n',
        },
        ["Dockerfile"],
        [],
        id="suppressed-by-per-file-ignores",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            ".dockerignore": ".git\n",
            "pyproject.toml": NO_RECOMMENDED.replace(
                "recommended = []", 'recommended = []\nrequired = [".git", "secrets/"]'
            ),
        },
        ["Dockerfile"],
        [".dockerignore:1:1: PDH901 does not exclude required `secrets/`; context `.` (compose.yaml, service app) [*]"],
        id="configured-required",
    ),
]


@pytest.mark.parametrize(("files", "argv", "expected"), CATCHES)
def test_catches(
    files: Files,
    argv: list[str],
    expected: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = tree(files, recommended="recommended" in str(expected))
    write_tree(tmp_path, files)
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "--no-fix", *argv)
    assert (result.code, result.lines) == (1 if expected else 0, expected)
    assert result.files == {k: as_bytes(v) for k, v in files.items()}


DOES_NOT_CATCH = [
    pytest.param({"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES}, id="required"),
    pytest.param(
        {
            "Dockerfile": BASIC,
            ".dockerignore": "**/.git/\n/**/__pycache__/\n**/.venv\n**/venv\n./**/.env\n",
        },
        id="other-spellings",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": "**\n!requirements.txt\n!main.py\n"},
        id="everything-but",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES.rstrip("\n")},
        id="no-final-newline",
    ),
    pytest.param(
        {
            "Dockerfile": BASIC,
            ".dockerignore": REQUIRED_LINES + "\n".join(
                p
                for p in ["**/.pytest_cache", "**/.mypy_cache", "**/.ruff_cache", "**/node_modules", "**/.vscode", "**/.idea", "*.db", ".python-version", "**/.gitignore", "**/docker-compose*", "**/charts"]
            )
            + "\n",
            "pyproject.toml": "",
        },
        id="recommended",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES.replace("\n", "\r\n")},
        id="crlf",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": b"\xef\xbb\xbf" + REQUIRED_LINES.encode()},
        id="bom",
    ),
    pytest.param(
        {"Dockerfile": BASIC.lower(), ".dockerignore": REQUIRED_LINES},
        id="lowercase-keywords",
    ),
    pytest.param(
        {
            "Dockerfile": "# escape=`\nFROM python:3.12-slim\nCOPY requirements.txt `\n  /app/\n",
            ".dockerignore": REQUIRED_LINES,
        },
        id="backtick-escape",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt \\\n# the rest later\n  /app/\n",
            ".dockerignore": REQUIRED_LINES,
        },
        id="comment-in-continuation",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY <<EOF /app/.env\nDEBUG=0\nEOF\n",
            ".dockerignore": REQUIRED_LINES,
        },
        id="heredoc-is-not-from-the-context",
    ),
]

# Pragmas are Dockerfile comments: an ignore file's findings are suppressed by
# configuration (the suppressed-by-config rows). The fixes-to rows vary only the
# ignore file (the Dockerfile is BASIC); the Dockerfile's syntax is in
# DOES_NOT_CATCH and BUILD_READS.
_PRAGMA = "a pragma is a Dockerfile comment; ignore-file findings are suppressed by config"
_IGNORE_FILE_ROWS = "the rows vary only the ignore file, which has no instructions"
SHAPE_EXEMPTIONS = {
    ("CATCHES", "suppression"): _PRAGMA,
    ("DOES_NOT_CATCH", "suppression"): _PRAGMA,
    ("FIXES_TO", "suppression"): _PRAGMA,
    ("FIXES_TO", "lowercase keyword"): _IGNORE_FILE_ROWS,
    ("FIXES_TO", "backtick escape"): _IGNORE_FILE_ROWS,
    ("FIXES_TO", "comment in continuation"): _IGNORE_FILE_ROWS,
    ("FIXES_TO", "heredoc"): _IGNORE_FILE_ROWS,
}


@pytest.mark.parametrize("files", DOES_NOT_CATCH)
def test_does_not_catch(
    files: Files,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = tree(files)
    write_tree(tmp_path, files)
    for args in ((), ("--no-fix",)):
        result = run_tree(HOOK, tmp_path, capsys, monkeypatch, *args, "Dockerfile")
        assert (result.code, result.lines) == (0, [])
        assert result.files == {k: as_bytes(v) for k, v in files.items()}


# (files, ignore file before (None: missing), after)
FIXES_TO = [
    pytest.param(None, f"{HEADER}\n{REQUIRED_LINES}", id="created"),
    pytest.param("*.log\n", f"*.log\n{HEADER}\n{REQUIRED_LINES}", id="appended"),
    pytest.param("*.log", f"*.log\n{HEADER}\n{REQUIRED_LINES}", id="no-final-newline"),
    pytest.param(
        "*.log\r\n",
        ("*.log\n" + HEADER + "\n" + REQUIRED_LINES).replace("\n", "\r\n"),
        id="crlf",
    ),
    pytest.param(
        b"\xef\xbb\xbf*.log\r\n.git\r\n",
        b"\xef\xbb\xbf*.log\r\n.git\r\n"
        + (HEADER + "\n**/__pycache__\n**/*venv\n**/.env\n").replace("\n", "\r\n").encode(),
        id="bom-and-crlf",
    ),
    pytest.param(
        f"{HEADER}\n.git\n",
        f"{HEADER}\n.git\n**/__pycache__\n**/*venv\n**/.env\n",
        id="header-not-repeated",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_fixes_to(
    before: str | bytes | None,
    after: str | bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = tree({"Dockerfile": BASIC})
    if before is not None:
        files[".dockerignore"] = before
    write_tree(tmp_path, files)
    first = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert first.code == 1
    assert first.lines[-1] == "Fixing .dockerignore"
    assert all(line.endswith(" (fixed)") for line in first.lines[:-1])
    assert first.files[".dockerignore"] == as_bytes(after)
    assert first.files["Dockerfile"] == BASIC.encode()
    second = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (second.code, second.lines, second.files) == (0, [], first.files)


def test_fix_leaves_out_conflicting_pattern_and_keeps_reporting_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, tree({"Dockerfile": "FROM python:3.12-slim\nCOPY .env /app/\n"}))
    conflict = (
        ".dockerignore:1:1: PDH903 `**/.env` not added: it would exclude `.env`, "
        "which Dockerfile:2 copies; context `.` (compose.yaml, service app)"
    )
    first = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert first.lines == [
        (".dockerignore:1:1: PDH901 no ignore file: nothing is kept out of the build context `.` of Dockerfile "
        "(compose.yaml, service app); add `.git`, `**/__pycache__`, "
        "`**/*venv` (fixed)"),
        conflict,
        "Fixing .dockerignore",
    ]
    assert first.files[".dockerignore"] == f"{HEADER}\n.git\n**/__pycache__\n**/*venv\n".encode()
    second = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (second.code, second.lines, second.files) == (1, [conflict], first.files)


def test_recommended_fix_follows_required_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"Dockerfile": BASIC, ".dockerignore": ".git\n", "compose.yaml": COMPOSE})
    first = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert first.lines == [
        (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
        "`**/*venv`, `**/.env`; context `.` (compose.yaml, service app) (fixed)"),
        f".dockerignore:1:1: {RECOMMENDED_MESSAGE}; context `.` (compose.yaml, service app) (fixed)",
        "Fixing .dockerignore",
    ]
    text = first.files[".dockerignore"].decode()
    assert text.count(HEADER) == 1
    assert text.startswith(f".git\n{HEADER}\n**/__pycache__\n**/*venv\n**/.env\n**/.pytest_cache\n")
    second = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (second.code, second.lines) == (0, [])


def test_read_only_ignore_file_is_refused_and_reported_unfixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, tree({"Dockerfile": BASIC, ".dockerignore": ".git\n"}))
    (tmp_path / ".dockerignore").chmod(0o444)
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert result.lines == [
        (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
        "`**/*venv`, `**/.env`; context `.` (compose.yaml, service app) [*]"),
        ".dockerignore: file is read-only; fix not applied",
    ]
    assert result.files[".dockerignore"] == b".git\n"


def test_missing_ignore_file_given_by_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, tree({"Dockerfile": BASIC}))
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, ".dockerignore")
    assert (result.code, result.lines) == (1, [".dockerignore: no such file"])
    assert ".dockerignore" not in result.files


def test_per_dockerfile_ignore_file_is_the_one_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        tree(
            {
                "api.Dockerfile": BASIC,
                "api.Dockerfile.dockerignore": ".git\n",
                ".dockerignore": REQUIRED_LINES,
                "compose.yaml": COMPOSE.replace("build: .", "build:\n      context: .\n      dockerfile: api.Dockerfile"),
            }
        ),
    )
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "--no-fix", "api.Dockerfile")
    assert result.lines == [
        ("api.Dockerfile.dockerignore:1:1: PDH901 does not exclude required "
        "`**/__pycache__`, `**/*venv`, `**/.env`; context `.` (compose.yaml, service app) [*]")
    ]


NODE = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"


def test_context_of_builds_without_python_is_not_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Node image's context (no stage of its build is a Python one: no Python
    base, no Python installed or run) gets no Python patterns, and no ignore
    file is created for it."""
    write_tree(tmp_path, tree({"Dockerfile": NODE}))
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (result.code, result.lines) == (0, [])
    assert ".dockerignore" not in result.files


def test_context_of_builds_without_python_still_gets_its_syntax_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line BuildKit refuses fails any build, Python or not (PDH905)."""
    write_tree(tmp_path, tree({"Dockerfile": NODE, ".dockerignore": "[\n"}))
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "--no-fix", ".dockerignore")
    assert result.code == 1
    assert [line.split(" ", 2)[1] for line in result.lines] == ["PDH905"]


def test_context_shared_by_a_python_build_is_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One Python build of the context is enough for its ignore file to be judged."""
    compose = (
        "services:\n  web:\n    build: .\n  api:\n    build:\n      context: .\n"
        "      dockerfile: api.Dockerfile\n"
    )
    write_tree(
        tmp_path,
        tree({"Dockerfile": NODE, "api.Dockerfile": BASIC, "compose.yaml": compose,
              ".dockerignore": ".git\n"}),
    )
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "--no-fix", ".dockerignore")
    assert result.lines == [
        (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
         "`**/*venv`, `**/.env`; context `.` (compose.yaml, service web; compose.yaml, service api) [*]")
    ]


@pytest.mark.parametrize(
    ("dockerfile", "judged"),
    [
        # BuildKit loads the context paths COPY/ADD and bind mounts name
        # (ctxPaths, FollowPaths): none here, so nothing of it is loaded.
        ("FROM python:3.12-slim\nRUN pip install --no-cache-dir httpie\n", False),
        ("FROM python:3.12-slim\nRUN --mount=type=bind,target=/src pip install /src\n", True),
        ("FROM python:3.12-slim\nCOPY app.py /app/\n", True),
        # An ONBUILD trigger runs in the stage built on its stage; a base image
        # that is not known may carry one.
        ("FROM python:3.12-slim AS base\nONBUILD COPY . /app\nFROM base\n", True),
        ("FROM example.com/python-base:1\nRUN pip install --no-cache-dir httpie\n", True),
    ],
    ids=["run-only", "bind-mount", "copy", "onbuild", "unknown-base"],
)
def test_a_build_that_takes_nothing_from_its_context_needs_no_ignore_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    dockerfile: str, judged: bool,
) -> None:
    write_tree(tmp_path, tree({"Dockerfile": dockerfile, "compose.yaml": COMPOSE,
                               ".dockerignore": ".git\n"}))
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "--no-fix", ".dockerignore")
    assert bool(result.lines) == judged, result.lines
    assert result.code == (1 if judged else 0)


# --- what the build reads, on git work trees ------------------------------------------

SCM_PYPROJECT = (
    '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\n'
    '[project]\nname = "app"\ndynamic = ["version"]\n[tool.setuptools_scm]\n'
)


def only(*patterns: str) -> str:
    """A pyproject asking for the required set and these recommended patterns."""
    listed = ", ".join(f'"{p}"' for p in patterns)
    return f"[tool.python-docker-hooks.dockerignore-entries]\nrecommended = [{listed}]\n"


# (tracked files, untracked files, report lines of a fixing run, the ignore
# file after it (None: not there))
BUILD_READS = [
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
            "search.db": "",
            "app.py": "",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": only("**/.pytest_cache") + 'extra = ["*.db"]\n',
        },
        {},
        [
            ".dockerignore:1:1: PDH902 does not exclude recommended `**/.pytest_cache`; context `.` (compose.yaml, service app) (fixed)",
            (".dockerignore:1:1: PDH903 `*.db` not added: it would exclude `search.db`, which "
            "git tracks and Dockerfile:3 copies the whole context (`COPY .`); context `.` (compose.yaml, service app)"),
            "Fixing .dockerignore",
        ],
        f"{REQUIRED_LINES}{HEADER}\n**/.pytest_cache\n",
        id="tracked-database-the-app-opens",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN make -C /app\n",
            "Makefile": "all:\n\tgit submodule update --init\n",
            ".dockerignore": ".git/objects/*\n",
        },
        {},
        [
            (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
            "`**/*venv`, `**/.env`; context `.` (compose.yaml, service app) (fixed)"),
            (".dockerignore:1:1: PDH901 `.git/objects/*` excludes only part of required "
            "`.git`: the rest of the context's `.git` is still sent; the line is kept as "
            "written; context `.` (compose.yaml, service app)"),
            "Fixing .dockerignore",
        ],
        f".git/objects/*\n{HEADER}\n**/__pycache__\n**/*venv\n**/.env\n",
        id="partial-git-pattern-kept-where-make-runs-git-submodule",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            "app/main.py": "",
            ".dockerignore": b"\xef\xbb\xbf.git/objects/*\r\n__pycache__/\r\n**/*venv",
        },
        {},
        [
            ".dockerignore:1:1: PDH901 does not exclude required `**/.env`; context `.` (compose.yaml, service app) (fixed)",
            (".dockerignore:1:1: PDH901 `.git/objects/*` excludes only part of required "
            "`.git`: the rest of the context's `.git` is still sent; the line is kept as "
            "written; context `.` (compose.yaml, service app)"),
            (".dockerignore:2:1: PDH901 `__pycache__/` excludes only part of required "
            "`**/__pycache__` (no file git lists in the context is affected today); the "
            "line is kept as written; context `.` (compose.yaml, service app)"),
            "Fixing .dockerignore",
        ],
        b"\xef\xbb\xbf.git/objects/*\r\n__pycache__/\r\n**/*venv\r\n"
        + f"{HEADER}\r\n**/.env\r\n".encode(),
        id="partial-lines-kept-with-bom-crlf-and-no-final-newline",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            "charts/__init__.py": "",
            "app.py": "",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = ["**/charts"]\n',
        },
        {},
        [
            (".dockerignore:1:1: PDH903 `**/charts` not added: it would exclude "
            "`charts/__init__.py`, which git tracks and Dockerfile:2 copies the whole "
            "context (`COPY .`); context `.` (compose.yaml, service app)")
        ],
        REQUIRED_LINES,
        id="python-package-named-charts",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY src/ /app/src/\n",
            "src/charts/__init__.py": "",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = ["**/charts"]\n',
        },
        {},
        [
            (".dockerignore:1:1: PDH903 `**/charts` not added: it would exclude "
            "`src/charts/__init__.py`, which git tracks and Dockerfile:2 copies `src/`; context `.` (compose.yaml, service app)")
        ],
        REQUIRED_LINES,
        id="python-package-named-charts-below-a-copied-directory",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\n"
                "COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\n"
                "RUN --mount=type=bind,source=.python-version,target=.python-version \\\n"
                "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
                "    uv sync --frozen --no-install-project\n"
            ),
            ".python-version": "3.12\n",
            "uv.lock": "",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = [".python-version"]\n',
        },
        {},
        [
            (".dockerignore:1:1: PDH903 `.python-version` not added: it would exclude "
            "`.python-version`, which Dockerfile:3 mounts; context `.` (compose.yaml, service app)")
        ],
        REQUIRED_LINES,
        id="python-version-bind-mounted-for-uv-sync",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = [".python-version"]\n',
        },
        {".python-version": "3.12\n"},
        [
            (".dockerignore:1:1: PDH903 `.python-version` not added: it would exclude "
            "`.python-version`, which uv reads: Dockerfile:4 runs uv; context `.` (compose.yaml, service app)")
        ],
        REQUIRED_LINES,
        id="python-version-read-by-uv-in-the-copied-context",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\nWORKDIR /usr/src\nCOPY . .\n"
                "WORKDIR /usr/src/app\nRUN uv sync --frozen\n"
            ),
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = [".python-version"]\n',
        },
        {".python-version": "3.12\n"},
        [
            (".dockerignore:1:1: PDH903 `.python-version` not added: it would exclude "
            "`.python-version`, which uv reads: Dockerfile:5 runs uv; context `.` (compose.yaml, service app)")
        ],
        REQUIRED_LINES,
        id="python-version-read-by-uv-from-the-parent-of-its-workdir",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n"
                "RUN uv sync --frozen --no-install-project\nCOPY . /app\n"
            ),
            "uv.lock": "",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": only(".python-version"),
        },
        {".python-version": "3.12\n"},
        [
            ".dockerignore:1:1: PDH902 does not exclude recommended `.python-version`; context `.` (compose.yaml, service app) (fixed)",
            "Fixing .dockerignore",
        ],
        f"{REQUIRED_LINES}{HEADER}\n.python-version\n",
        id="python-version-copied-after-the-last-uv-run-is-read-by-none",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\nWORKDIR /usr/src\nCOPY . homeassistant/\n"
                "RUN uv pip install -e ./homeassistant\n"
            ),
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": only(".python-version"),
        },
        {".python-version": "3.12\n"},
        [
            ".dockerignore:1:1: PDH902 does not exclude recommended `.python-version`; context `.` (compose.yaml, service app) (fixed)",
            "Fixing .dockerignore",
        ],
        f"{REQUIRED_LINES}{HEADER}\n.python-version\n",
        id="python-version-below-the-uv-workdir-is-read-by-none",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\nWORKDIR $APP_HOME\nCOPY . .\nRUN uv sync --frozen\n"
            ),
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED + 'extra = [".python-version"]\n',
        },
        {".python-version": "3.12\n"},
        [
            (".dockerignore:1:1: PDH903 `.python-version` not added: it would exclude "
            "`.python-version`, which uv reads: Dockerfile:4 runs uv; context `.` (compose.yaml, service app)")
        ],
        REQUIRED_LINES,
        id="python-version-taken-as-read-where-the-workdir-is-unknown",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\nCOPY pyproject.toml src/ ./\n"
                "RUN --mount=source=.git,target=.git,type=bind \\\n"
                "    pip install --no-cache-dir .\n"
            ),
            "src/app.py": "",
            ".dockerignore": "**/__pycache__\n**/*venv\n**/.env\n",
            "pyproject.toml": SCM_PYPROJECT + NO_RECOMMENDED,
        },
        {},
        [
            (".dockerignore:1:1: PDH903 `.git` not added: it would exclude `.git`, which "
            "Dockerfile:3 mounts; context `.` (compose.yaml, service app)")
        ],
        "**/__pycache__\n**/*venv\n**/.env\n",
        id="git-bind-mounted-for-setuptools-scm",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n",
            "src/app.py": "",
            ".dockerignore": "**/__pycache__\n**/*venv\n**/.env\n",
            "pyproject.toml": SCM_PYPROJECT + NO_RECOMMENDED,
        },
        {},
        [
            (".dockerignore:1:1: PDH903 `.git` not added: it would exclude `.git`, which "
            "setuptools-scm (pyproject.toml) reads to version the project Dockerfile:4 "
            "installs; context `.` (compose.yaml, service app)")
        ],
        "**/__pycache__\n**/*venv\n**/.env\n",
        id="git-read-by-setuptools-scm-in-the-copied-context",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                "RUN git rev-parse HEAD > REVISION\n"
            ),
            ".dockerignore": "**/__pycache__\n**/*venv\n**/.env\n",
        },
        {},
        [
            (".dockerignore:1:1: PDH903 `.git` not added: it would exclude `.git`, which "
            "git reads: Dockerfile:4 runs git; context `.` (compose.yaml, service app)")
        ],
        "**/__pycache__\n**/*venv\n**/.env\n",
        id="git-run-in-the-copied-context",
    ),
    pytest.param(
        {
            "Dockerfile": (
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                "RUN git clone https://example.com/lib.git /opt/lib\n"
            ),
            ".dockerignore": "**/__pycache__\n**/*venv\n**/.env\n",
        },
        {},
        [".dockerignore:1:1: PDH901 does not exclude required `.git`; context `.` (compose.yaml, service app) (fixed)", "Fixing .dockerignore"],
        f"**/__pycache__\n**/*venv\n**/.env\n{HEADER}\n.git\n",
        id="git-clone-reads-no-work-tree",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", ".dockerignore": ".git\n"},
        {".env": "SECRET=1\n", "app/.venv/bin/python": ""},
        [
            (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
            "`**/*venv`, `**/.env`; context `.` (compose.yaml, service app) (fixed)"),
            "Fixing .dockerignore",
        ],
        f".git\n{HEADER}\n**/__pycache__\n**/*venv\n**/.env\n",
        id="untracked-files-are-what-the-ignore-file-is-for",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            ".dockerignore": REQUIRED_LINES + ".*\n",
            "pyproject.toml": only("*.db"),
        },
        {"local.db": ""},
        [".dockerignore:1:1: PDH902 does not exclude recommended `*.db`; context `.` (compose.yaml, service app) (fixed)", "Fixing .dockerignore"],
        f"{REQUIRED_LINES}.*\n{HEADER}\n*.db\n",
        id="dotfiles-excluded-is-not-every-database",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\nCOPY src /app/src\n", "src/pkg/mod.py": "", ".dockerignore": "*\n!src\n"},
        {},
        [
            (".dockerignore:2:1: PDH904 `!src` re-includes paths `**/__pycache__`, "
            "`**/*venv`, `**/.env` would exclude (no file git lists in the context is "
            "affected today); the exception is kept as written; context `.` (compose.yaml, service app)")
        ],
        "*\n!src\n",
        id="everything-but-src-is-reported-not-fixed",
    ),
    # The exception's finding names the files it really sends (git lists an
    # untracked file it does not ignore), never the sample paths that found it.
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY src /app/src\n",
            "src/pkg/mod.py": "",
            ".dockerignore": "*\n!src\n",
        },
        {"src/.env": "TOKEN=1\n", "src/.env.example": ""},
        [
            (".dockerignore:2:1: PDH904 `!src` re-includes paths `**/__pycache__`, "
            "`**/*venv`, `**/.env` would exclude: of the files git lists in the context, "
            "`src/.env` is sent; the exception is kept as written; context `.` (compose.yaml, service app)")
        ],
        "*\n!src\n",
        id="exception-names-the-real-file-it-sends",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "compose.yaml": "services: {}\n"},
        {},
        [
            (".dockerignore:1:1: PDH901 no ignore file: nothing is kept out of the build context `.` of Dockerfile "
            "(the Dockerfile's directory, uncertain); add `.git`, "
            "`**/__pycache__`, `**/*venv`, `**/.env`; not created: the context is a guess; "
            "declare it under [tool.python-docker-hooks.contexts] or build it from a "
            "compose file")
        ],
        None,
        id="guessed-context-gets-no-ignore-file",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            ".dockerignore": ".git\n",
            "compose.yaml": "services: {}\n",
        },
        {},
        [
            (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
            "`**/*venv`, `**/.env`; not fixed: the build context `.` of Dockerfile is a guess "
            "(the Dockerfile's directory, uncertain); declare it under "
            "[tool.python-docker-hooks.contexts] or build it from a compose file")
        ],
        ".git\n",
        id="guessed-context-keeps-its-ignore-file",
    ),
    # A line covering part of a pattern names the context's own files it still
    # sends, as git lists them (tracked, and untracked not ignored), at most three
    # and the rest counted; the sample paths that found it partial are not shown.
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            ".gitignore": "*.pyc\n",
            "app/.gitignore": "build/\n",
            "docs/.gitignore": "_build/\n",
            "web/.gitignore": "dist/\n",
            "notes/gitignore.txt": "",
            ".dockerignore": REQUIRED_LINES + ".gitignore\n",
            "pyproject.toml": only("**/.gitignore"),
        },
        {"tools/.gitignore": "out/\n"},
        [
            # The tracked ones are the project's, read by the whole context
            # copied: only the untracked one should not be sent.
            (".dockerignore:5:1: PDH902 `.gitignore` excludes only part of recommended "
            "`**/.gitignore`: of the files git lists in the context, `tools/.gitignore` is "
            "still sent; `app/.gitignore`, which git tracks and Dockerfile:2 copies the "
            "whole context (`COPY .`), must stay sent (and 2 more the build reads); the line "
            "is kept as written; context `.` (compose.yaml, service app)")
        ],
        REQUIRED_LINES + ".gitignore\n",
        id="partial-line-names-the-real-files-it-sends-and-counts-the-rest",
    ),
    # A file the build copies by name is never one to exclude: a helper script
    # bin/docker/create-venv, which `**/*venv` matches (COPY bin/docker/*).
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY bin/docker/* /usr/local/bin/\n"
            "COPY src /app/src\n",
            "bin/docker/create-venv": "#!/bin/sh\n",
            "src/app.py": "",
            ".dockerignore": ".git\n**/__pycache__\n**/.env\n.venv\n",
        },
        {"src/venv/pyvenv.cfg": ""},
        [
            (".dockerignore:4:1: PDH901 `.venv` excludes only part of required `**/*venv`: "
            "of the files git lists in the context, `src/venv/pyvenv.cfg` is still sent; "
            "`bin/docker/create-venv`, which Dockerfile:2 copies (`bin/docker/*`), must stay "
            "sent; the line is kept as written; context `.` (compose.yaml, service app)")
        ],
        ".git\n**/__pycache__\n**/.env\n.venv\n",
        id="partial-line-never-asks-to-exclude-a-file-the-build-copies",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            "docker-compose.yml": "services: {}\n",
            "docker-compose.override.yaml": "services: {}\n",
            ".dockerignore": REQUIRED_LINES + "docker-compose*.yml\n",
            "pyproject.toml": NO_RECOMMENDED + 'extra = ["**/docker-compose*"]\n',
        },
        {},
        [
            (".dockerignore:5:1: PDH901 `docker-compose*.yml` excludes only part of "
            "required `**/docker-compose*`: of the files git lists in the context, "
            "`docker-compose.override.yaml`, which git tracks and Dockerfile:2 copies the "
            "whole context (`COPY .`), is still sent and must stay so; the line is kept as "
            "written; context `.` (the Dockerfile's directory, uncertain)")
        ],
        REQUIRED_LINES + "docker-compose*.yml\n",
        id="partial-line-sends-one-real-file",
    ),
    # A recommended pattern that what the build reads rules out does not fit this
    # context: no finding, which no edit could answer and every run would repeat.
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            "docker-compose.yml": "services: {}\n",
            "docker-compose.override.yaml": "services: {}\n",
            ".dockerignore": REQUIRED_LINES + "docker-compose*.yml\n",
            "pyproject.toml": only("**/docker-compose*"),
        },
        {},
        [],
        REQUIRED_LINES + "docker-compose*.yml\n",
        id="partial-recommended-line-whose-files-the-build-reads-is-not-reported",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
            "search.db": "",
            "app.py": "",
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": only("*.db"),
        },
        {},
        [],
        REQUIRED_LINES,
        id="recommended-pattern-the-build-reads-is-left-out-without-a-finding",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            "app/main.py": "",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n.env\n",
        },
        {"app/.env.example": "TOKEN=\n"},
        [
            (".dockerignore:4:1: PDH901 `.env` excludes only part of required `**/.env` "
            "(no file git lists in the context is affected today); the line is kept as "
            "written; context `.` (compose.yaml, service app)")
        ],
        ".git\n**/__pycache__\n**/*venv\n.env\n",
        id="partial-line-sends-no-real-file-today-and-says-so",
    ),
]


@pytest.mark.parametrize(("tracked", "untracked", "expected", "after"), BUILD_READS)
def test_build_reads(
    tracked: Files,
    untracked: Files,
    expected: list[str],
    after: str | bytes | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tracked = tree(tracked)
    git_tree(tmp_path, tracked, untracked)
    before = read_worktree(tmp_path)
    first = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert first.lines == expected
    files = read_worktree(tmp_path)
    assert files.get(".dockerignore") == (None if after is None else as_bytes(after))
    assert {k: v for k, v in files.items() if k != ".dockerignore"} == {
        k: v for k, v in before.items() if k != ".dockerignore"
    }
    second = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert read_worktree(tmp_path) == files
    assert all("(fixed)" not in line for line in second.lines)


def test_context_declared_in_the_config_gets_its_ignore_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git_tree(
        tmp_path,
        {
            "docker/Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt /app/\n",
            "requirements.txt": "",
            "pyproject.toml": NO_RECOMMENDED
            + '[tool.python-docker-hooks.contexts]\n"docker/Dockerfile" = "."\n',
        },
    )
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "docker/Dockerfile")
    assert result.lines == [
        (".dockerignore:1:1: PDH901 no ignore file: nothing is kept out of the build context `.` of "
        "docker/Dockerfile (pyproject.toml [tool.python-docker-hooks.contexts]); "
        f"add {NEED} (fixed)"),
        "Fixing .dockerignore",
    ]
    files = read_worktree(tmp_path)
    assert files[".dockerignore"] == f"{HEADER}\n{REQUIRED_LINES}".encode()
    assert "docker/.dockerignore" not in files


def test_every_finding_names_its_contexts_and_their_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The JSON entry carries the same words; three builds of one context (three
    # services, each its own Dockerfile) name it once, with two builds' evidence
    # and the count of the rest. A syntax error is the file's own, whatever
    # builds it: it names none.
    from clirun import cli

    compose = "services:\n" + "".join(
        f"  {name}:\n    build:\n      context: .\n      dockerfile: {name}.Dockerfile\n"
        for name in ("api", "web", "worker")
    )
    write_tree(
        tmp_path,
        {
            "api.Dockerfile": BASIC,
            "web.Dockerfile": BASIC,
            "worker.Dockerfile": BASIC,
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\nsrc/[gen\n",
            "compose.yaml": compose,
            "pyproject.toml": NO_RECOMMENDED,
        },
    )
    (tmp_path / ".git").mkdir()
    run = cli(capsys, tmp_path, "check", "--no-fix", "--format", "json", "--select", "PDH901,PDH905", every_hook=True)
    entries = [(e["code"], e["message"]) for e in json.loads(run.out)]
    assert entries == [
        ("PDH905", ("line 4: `src/[gen` is not a valid pattern: unterminated character class '['; "
                   "BuildKit refuses the build")),
    ]
    (tmp_path / ".dockerignore").write_text(".git\n**/__pycache__\n**/*venv\n")
    run = cli(capsys, tmp_path, "check", "--no-fix", "--format", "json", "--select", "PDH901", every_hook=True)
    entries = [(e["code"], e["message"]) for e in json.loads(run.out)]
    assert entries == [
        ("PDH901", ("does not exclude required `**/.env`; context `.` (compose.yaml, service "
                   "api; compose.yaml, service web; and 1 more build)")),
    ]


@pytest.mark.parametrize("examples", [700, pytest.param(2000, marks=pytest.mark.heavy)])
def test_a_path_a_pattern_excludes_holds_its_literal(examples: int) -> None:
    """The quick test before matching (the fix guard's, and the names of what a
    partial line lets through): a path the pattern, as patternmatcher reads it,
    excludes holds ``_literal``'s text. A class was once read as plain text
    (`**/[xyzw]v` gave `xyzw`, so `app/yv` was never tried)."""
    @settings(max_examples=examples, deadline=None)
    @given(
        st.text(alphabet="ab.*?[]^\\-+|(){}$/:", min_size=1, max_size=8),
        st.booleans(),
        st.lists(st.text(alphabet="ab.-]\\^*?[+|(){}$", min_size=1, max_size=4), min_size=1, max_size=3),
    )
    def check(pattern: str, anywhere: bool, segments: list[str]) -> None:
        from python_docker_hooks._dockerignore.syntax import plain_text as _literal
        from python_docker_hooks.dockerignore_entries import _alone

        if anywhere:
            pattern = "**/" + pattern
        alone = _alone(pattern)
        if alone is None:
            return
        path = "/".join(segments)
        if alone.decide(path)[0]:
            assert _literal(pattern) in path

    check()
