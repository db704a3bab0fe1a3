"""The package stays mypy-strict and ruff clean (the same checks as .pre-commit-config.yaml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict() -> None:
    pytest.importorskip("mypy", reason="mypy is in the 'test' extra")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "typecheck.py")],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    # The test extra's ruff sits beside the interpreter, on PATH or not.
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is in the 'test' extra")
    result = subprocess.run(
        [ruff, "check", "hooks", "tests", "benchmarks"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
