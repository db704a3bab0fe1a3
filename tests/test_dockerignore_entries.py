"""dockerignore-entries: catches, does not catch, fixes to, on real trees of files."""

from __future__ import annotations

from pathlib import Path

import pytest
from contextrun import (
    NO_RECOMMENDED,
    REQUIRED_LINES,
    Files,
    as_bytes,
    run_tree,
    write_tree,
)

HOOK = "dockerignore_entries"

BASIC = "FROM python:3.12-slim\nCOPY requirements.txt .\nCOPY . /app\n"
NEED = "`.git`, `**/__pycache__`, `**/*venv`, `**/.env`"
HEADER = "# Kept out of the build context (dockerignore-entries)"
RECOMMENDED_MESSAGE = (
    "PDH902 does not exclude recommended `**/.pytest_cache`, `**/.mypy_cache`, "
    "`**/.ruff_cache`, `**/node_modules`, `**/.vscode`, `**/.idea`, `*.db`, "
    "`.python-version`, `**/.gitignore`, `**/docker-compose*`, `**/charts`"
)


def tree(files: Files, *, recommended: bool = False) -> Files:
    out = dict(files)
    # A repository's root: its .git is what a build of the root can send.
    out.setdefault(".git/HEAD", "ref: refs/heads/main\n")
    if not recommended:
        out.setdefault("pyproject.toml", NO_RECOMMENDED)
    return out


# (files, argv, report lines of a --no-fix run)
CATCHES = [
    pytest.param(
        {"Dockerfile": BASIC},
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH901 no ignore file: the build context `.` of "
            f"Dockerfile (the Dockerfile's directory, uncertain) is sent whole; add {NEED} [*]")
        ],
        id="missing-file",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": "__pycache__\n.git\n**/*venv\n**/.env\n"},
        ["Dockerfile"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__` [*]"],
        id="pycache-at-the-root-only",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": ".git\n**/__pycache__\n.venv\n**/.env\n"},
        ["Dockerfile"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/*venv` [*]"],
        id="one-venv-name-at-the-root",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES + "!config/.env\n"},
        ["Dockerfile"],
        [".dockerignore:5:1: PDH904 `!config/.env` re-includes what `**/.env` must exclude"],
        id="exception-re-includes",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES + "!app/\n"},
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
            "`**/*venv`, `**/.env` [*]")
        ],
        id="exception-of-a-directory-sends-its-caches",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES + "!.git/HEAD\n"},
        ["Dockerfile"],
        [".dockerignore:5:1: PDH904 `!.git/HEAD` re-includes what `.git` must exclude"],
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
            "which Dockerfile:2 copies")
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
            "`requirements.txt`, which Dockerfile:2 copies")
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
            "`app.cfg` (`*.cfg`), which Dockerfile:2 copies")
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
            "which Dockerfile:2 copies")
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
            "which Dockerfile:3 copies")
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
            "which Dockerfile:2 copies")
        ],
        id="comment-inside-continuation",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY <<EOF /app/.env\nA=1\nEOF\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/.env` [*]"],
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
            "which Dockerfile:3 copies")
        ],
        id="arg-expanded",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS b\nFROM b\nCOPY --from=b /x/.env /app/\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n",
        },
        ["Dockerfile"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/.env` [*]"],
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
        [f".dockerignore:1:1: {RECOMMENDED_MESSAGE} [*]"],
        id="recommended-on-by-default",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": b"\xef\xbb\xbf.git\r\n**/.env\r\n!.env\r\n"},
        ["Dockerfile"],
        [
            (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
            "`**/*venv` [*]"),
            ".dockerignore:3:1: PDH904 `!.env` re-includes what `**/.env` must exclude",
        ],
        id="bom-and-crlf",
    ),
    pytest.param(
        {"Dockerfile": BASIC, ".dockerignore": REQUIRED_LINES.replace("**/.env\n", "")},
        [".dockerignore"],
        [".dockerignore:1:1: PDH901 does not exclude required `**/.env` [*]"],
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
        [".dockerignore:1:1: PDH901 does not exclude required `secrets/` [*]"],
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
]


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
        "*\n!app/\n",
        f"*\n!app/\n{HEADER}\n**/__pycache__\n**/*venv\n**/.env\n",
        id="after-an-exception-for-a-directory",
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
        "which Dockerfile:2 copies"
    )
    first = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert first.lines == [
        (".dockerignore:1:1: PDH901 no ignore file: the build context `.` of Dockerfile "
        "(the Dockerfile's directory, uncertain) is sent whole; add `.git`, `**/__pycache__`, "
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
    write_tree(tmp_path, {"Dockerfile": BASIC, ".dockerignore": ".git\n"})
    first = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert first.lines == [
        (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
        "`**/*venv`, `**/.env` (fixed)"),
        f".dockerignore:1:1: {RECOMMENDED_MESSAGE} (fixed)",
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
        "`**/*venv`, `**/.env` [*]"),
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
            }
        ),
    )
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "--no-fix", "api.Dockerfile")
    assert result.lines == [
        ("api.Dockerfile.dockerignore:1:1: PDH901 does not exclude required "
        "`**/__pycache__`, `**/*venv`, `**/.env` [*]")
    ]
