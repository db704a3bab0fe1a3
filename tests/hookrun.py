"""Run a hook the way pre-commit does, on a file in a temporary directory."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest


class HookRun:
    """Exit code, output lines (path prefix removed) and file bytes after a run."""

    def __init__(self, code: int, lines: list[str], data: bytes) -> None:
        self.code = code
        self.lines = lines
        self.data = data

    def __repr__(self) -> str:
        return f"HookRun({self.code}, {self.lines!r}, {self.data!r})"


def run(
    hook_module: str,
    content: bytes | str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    name: str = "Dockerfile",
) -> HookRun:
    """Write ``content`` to ``tmp_path/name``, run the hook's main on it, collect."""
    data = content.encode() if isinstance(content, str) else content
    path = tmp_path / name
    path.write_bytes(data)
    module = importlib.import_module(f"hooks.{hook_module}")
    capsys.readouterr()
    code = module.main([*args, str(path)])
    out = capsys.readouterr().out
    prefix = f"{path}:"
    lines = []
    for line in out.splitlines():
        if line.startswith(prefix):
            line = line[len(prefix) :]
        elif line == f"Fixing {path}":
            line = "Fixing"
        lines.append(line)
    return HookRun(code, lines, path.read_bytes())
