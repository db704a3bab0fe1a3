"""The hooks read, list and write only inside the repository they check: real
temporary trees of a git repository, a sibling directory outside it, and
symlinks both ways. Every file outside keeps its bytes through ``--fix``, no
string found only outside reaches the output, and nothing prints a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from contextrun import write_tree

from python_docker_hooks import _cli
from python_docker_hooks._engine import boundary
from python_docker_hooks._engine import config as _config

SECRET = "SECRET_ONLY_OUTSIDE_7f3a"
OUTSIDE: dict[str, str] = {
    "secret.env": f"{SECRET}=1\n[{SECRET}\n",
    "Dockerfile": f"FROM python:3.12-slim\n# {SECRET}\nCOPY . .\n",
    "compose.yaml": f"services:\n  {SECRET}:\n    build: .\n",
    "pyproject.toml": f'[tool.python-docker-hooks]\nignore = ["{SECRET}"]\n',
    f"{SECRET}.txt": "",
}
APP = "FROM python:3.12-slim\nCOPY app.py .\n"


def tree(
    tmp_path: Path, files: dict[str, str], links: dict[str, str] | None = None
) -> Path:
    """``tmp_path/repo`` (a git repository holding ``files``, all tracked) beside
    ``tmp_path/outside``; ``links``: path in the repository -> symlink target."""
    boundary.clear_cache()
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    write_tree(outside, OUTSIDE)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    write_tree(repo, files)
    for name, target in (links or {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, repo / name)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return repo


def snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            out[str(path.relative_to(root))] = path.read_bytes()
    return out


def check(
    repo: Path, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, list[str], str]:
    _config.clear_cache()
    capsys.readouterr()
    old = os.getcwd()
    os.chdir(repo)
    try:
        code = _cli.main(["check", *argv])
    finally:
        os.chdir(old)
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def run_fixing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], repo: Path, *paths: str
) -> tuple[int, list[str]]:
    """``check --fix paths``: the outside tree keeps its bytes, no outside-only
    string is printed, nothing is created outside or at the file system's root."""
    outside = snapshot(tmp_path / "outside")
    root_ignore = os.path.lexists("/.dockerignore")
    code, lines, err = check(repo, capsys, "--fix", *paths)
    assert snapshot(tmp_path / "outside") == outside
    assert os.path.lexists("/.dockerignore") == root_ignore
    assert not (tmp_path / ".dockerignore").exists()
    assert SECRET not in "\n".join(lines) + err
    assert "Traceback" not in err
    return code, lines


CONTEXT_ROWS = [
    pytest.param(
        "services:\n  web:\n    build:\n      context: ../outside\n",
        "compose.yaml: the build context ../outside of service web is outside the repository; "
        "not checked",
        id="relative",
    ),
    pytest.param(
        "services:\n  web:\n    build: /\n",
        "compose.yaml: the build context / of service web is outside the repository; not checked",
        id="root",
    ),
    pytest.param(
        "services:\n  web:\n    build: ~/src\n",
        "compose.yaml: the build context ~/src of service web is outside the repository; "
        "not checked",
        id="home",
    ),
    pytest.param(
        "services:\n  web:\n    build:\n      context: ${OUT:-../outside}\n",
        "compose.yaml: the build context ../outside of service web is outside the repository; "
        "not checked",
        id="variable-default",
    ),
    pytest.param(
        "services:\n  web:\n    build:\n      context: sub\n      dockerfile: ../../outside/Dockerfile\n",
        "compose.yaml: the Dockerfile ../../outside/Dockerfile of service web is outside the "
        "repository; not checked",
        id="dockerfile",
    ),
    pytest.param(
        "services:\n  web:\n    build: linked\n",
        "compose.yaml: the build context linked of service web is outside the repository; "
        "not checked",
        id="symlinked-directory",
    ),
]


@pytest.mark.parametrize(("compose", "line"), CONTEXT_ROWS)
def test_compose_context_outside_is_one_line_and_untouched(
    compose: str, line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tree(
        tmp_path,
        {"compose.yaml": compose, "sub/Dockerfile": APP, "sub/app.py": ""},
        {"linked": "../outside"},
    )
    code, lines = run_fixing(tmp_path, capsys, repo, "compose.yaml")
    assert code == 1
    assert line in lines
    assert not (repo / "linked" / ".dockerignore").exists()


def test_context_of_the_file_system_root_is_never_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No directory outside the repository is listed (a walk of / would take
    minutes); every listing goes through os.scandir (os.walk's too) or os.listdir,
    and the repository's own files come from git."""
    repo = tree(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\n",
            "compose.yaml": (
                "services:\n  web:\n    build:\n      context: /\n"
                f"      dockerfile: {tmp_path}/repo/Dockerfile\n"
            ),
        },
    )
    listed: list[str] = []
    scandir, listdir = os.scandir, os.listdir

    def recorded(real: Any) -> Any:
        def lister(path: Any = ".") -> Any:
            listed.append(os.path.abspath(os.fspath(path)))
            return real(path)

        return lister

    monkeypatch.setattr(os, "scandir", recorded(scandir))
    monkeypatch.setattr(os, "listdir", recorded(listdir))
    code, lines, err = check(repo, capsys, "--fix", "Dockerfile", "compose.yaml")
    monkeypatch.undo()
    assert "Traceback" not in err
    assert [path for path in listed if not path.startswith(f"{repo}")] == []
    assert code == 1
    assert (
        "compose.yaml: the build context / of service web is outside the repository; "
        "not checked"
    ) in lines


def test_ignore_file_linked_outside_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line of it that is not a valid pattern would otherwise be printed."""
    repo = tree(
        tmp_path,
        {"Dockerfile": APP, "app.py": ""},
        {".dockerignore": "../outside/secret.env"},
    )
    code, lines = run_fixing(tmp_path, capsys, repo, "Dockerfile", ".dockerignore")
    assert code == 1
    assert (
        ".dockerignore: is a symlink to a file outside the repository; not read"
        in lines
    )
    assert os.path.islink(repo / ".dockerignore")


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("Dockerfile", "Dockerfile"),
        ("compose.yaml", "compose.yaml"),
        (".dockerignore", "secret.env"),
    ],
)
def test_file_linked_outside_is_not_read(
    name: str, target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tree(tmp_path, {"app.py": ""}, {name: f"../outside/{target}"})
    code, lines = run_fixing(tmp_path, capsys, repo, name)
    assert code == 1
    assert (
        lines[0] == f"{name}: is a symlink to a file outside the repository; not read"
    )


def test_link_inside_is_read_but_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flawed = "FROM python:3.12-slim\nRUN pip install flask\n"
    repo = tree(
        tmp_path, {"real/Dockerfile": flawed}, {"Dockerfile": "real/Dockerfile"}
    )
    code, lines = run_fixing(tmp_path, capsys, repo, "--select", "PDH101", "Dockerfile")
    assert code == 1
    assert "Dockerfile: is a symlink; fix not applied (run on the target file)" in lines
    assert (repo / "real/Dockerfile").read_text() == flawed


def test_ignore_file_in_a_linked_directory_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``svc`` is a symlink to ``real`` inside the repository: the fix would
    write through it."""
    repo = tree(
        tmp_path,
        {
            "real/app.py": "",
            "compose.yaml": "services:\n  web:\n    build: svc\n",
            "real/Dockerfile": APP,
        },
        {"svc": "real"},
    )
    code, lines = run_fixing(tmp_path, capsys, repo, "compose.yaml")
    assert code == 1
    assert (
        "svc/.dockerignore: is in a directory reached through a symlink; fix not applied"
    ) in lines
    assert not (repo / "real/.dockerignore").exists()


def test_copy_wildcard_does_not_list_a_linked_directory_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tree(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY linked/*.txt /x/\n",
            ".dockerignore": "*.txt\n",
        },
        {"linked": "../outside"},
    )
    code, lines = run_fixing(tmp_path, capsys, repo, "--select", "PDH911", "Dockerfile")
    assert code == 0, lines


def test_config_context_outside_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tree(
        tmp_path,
        {
            "Dockerfile": APP,
            "app.py": "",
            "pyproject.toml": '[tool.python-docker-hooks.contexts]\n"Dockerfile" = "../outside"\n',
        },
    )
    code, lines = run_fixing(tmp_path, capsys, repo, "Dockerfile")
    assert code == 1
    assert (
        "pyproject.toml: the build context ../outside of Dockerfile in "
        "[tool.python-docker-hooks.contexts] is outside the repository; not checked"
    ) in lines


def test_pyproject_above_the_repository_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The outside tree's pyproject.toml is invalid for this run (an unknown
    code): read, it would fail the run and print its text."""
    repo = tree(tmp_path, {"app.py": ""})
    nested = repo / "outside-config"
    nested.mkdir()
    (tmp_path / "pyproject.toml").write_text(
        (tmp_path / "outside/pyproject.toml").read_text()
    )
    (repo / "Dockerfile").write_text(APP)
    code, lines = run_fixing(tmp_path, capsys, repo, "--select", "PDH101", "Dockerfile")
    assert code == 0, lines


def test_walk_of_a_directory_linked_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tree(tmp_path, {"app.py": ""}, {"linked": "../outside"})
    code, lines = run_fixing(tmp_path, capsys, repo, "linked")
    assert code == 1
    assert lines[0] == "linked: is a symlink to a file outside the repository; not read"
