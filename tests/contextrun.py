"""Run a hook that reads build contexts on a small tree of files, as pre-commit
would: from the tree's root, with relative paths."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from python_docker_hooks._engine import config as _config

Files = dict[str, "str | bytes"]

# A pyproject that turns the recommended set off, so rows show what they test.
NO_RECOMMENDED = '[tool.python-docker-hooks.dockerignore-entries]\nrecommended = []\n'
REQUIRED_LINES = ".git\n**/__pycache__\n**/*venv\n**/.env\n"


class TreeRun:
    """Exit code, output lines and every file of the tree after a run."""

    def __init__(self, code: int, lines: list[str], files: dict[str, bytes]) -> None:
        self.code = code
        self.lines = lines
        self.files = files

    def __repr__(self) -> str:
        return f"TreeRun({self.code}, {self.lines!r})"


def write_tree(root: Path, files: Files) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)


def read_tree(root: Path) -> dict[str, bytes]:
    out = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def run_tree(
    hook_module: str,
    root: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
) -> TreeRun:
    """Run the hook's main with ``argv`` from ``root``; nothing above governs it."""
    monkeypatch.chdir(root)
    _config.clear_cache()
    _config._dirs[str(root)] = None if not (root / "pyproject.toml").exists() else str(
        root / "pyproject.toml"
    )
    module = importlib.import_module(f"python_docker_hooks.{hook_module}")
    capsys.readouterr()
    code = module.main(list(argv))
    lines = capsys.readouterr().out.splitlines()
    return TreeRun(code, lines, read_tree(root))


def assert_reported(
    hook_module: str,
    root: Path,
    files: Files,
    expected: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    tracked: bool = False,
) -> None:
    """Write ``files`` under ``root`` (committed to a git work tree when
    ``tracked``: build definitions are found among the files git tracks), run
    the hook with ``--no-fix`` on its Dockerfile: exactly ``expected`` is
    reported (exit 1, or 0 when nothing is), and every file keeps its bytes."""
    if tracked:
        git_tree(root, files)
    else:
        write_tree(root, files)
    result = run_tree(hook_module, root, capsys, monkeypatch, "--no-fix", "Dockerfile")
    assert (result.code, result.lines) == (1 if expected else 0, expected)
    written = {k: v for k, v in result.files.items() if not k.startswith(".git/")}
    assert written == {k: as_bytes(v) for k, v in files.items()}


def as_bytes(content: str | bytes) -> bytes:
    return content.encode() if isinstance(content, str) else content


def git_tree(root: Path, tracked: Files, untracked: Files | None = None) -> None:
    """A git work tree at ``root``: ``tracked`` committed, ``untracked`` only
    written (git lists both; only the first are the project's files)."""
    import subprocess

    write_tree(root, tracked)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "tree"]):
        subprocess.run(["git", *argv], cwd=root, env=env, check=True, capture_output=True)
    write_tree(root, untracked or {})


def read_worktree(root: Path) -> dict[str, bytes]:
    """Every file of the tree but git's own."""
    return {k: v for k, v in read_tree(root).items() if not k.startswith(".git/")}
