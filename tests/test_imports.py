"""A hook run on one file imports nothing heavy: its start-up is most of its cost.

Time itself is measured by ``benchmarks/bench.py``; this checks the cause.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hooks._engine.registry import HOOKS

HEAVY = (
    "typing",
    "dataclasses",
    "inspect",
    "tempfile",
    "json",
    "tomllib",
    "tomli",
    "pathspec",
    "yaml",
    "shlex",
    "dockerfile_parse",
    "importlib.metadata",
    "shutil",
)

PROBE = """
import sys
from hooks.{module} import main
code = main(["--no-fix", sys.argv[1]])
print(" ".join(sorted(sys.modules)))
"""


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_hook_run_imports_nothing_heavy(hook_id: str, tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12-slim\nENV A 1\nRUN pip install x\n")
    # A Python project's own pyproject.toml, without a table of ours.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=HOOKS[hook_id]), str(dockerfile)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    loaded = set(result.stdout.split())
    assert sorted(loaded.intersection(HEAVY)) == []
