"""What an install of the distribution puts on the import path.

The folder is ``hooks/``; the import name is ``python_docker_hooks`` (setuptools'
``package-dir``). A top-level ``hooks`` would collide with the ``hooks`` distribution on
the package index and with any other project that ships such a package.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # A copy of the tree, so the build leaves no build/ or egg-info in the checkout.
    source = out / "source"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split("\n")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(out), str(source)],
        check=False, capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {result.stderr.strip()[-200:]}")
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_installs_python_docker_hooks_and_no_top_level_hooks(
    wheel: zipfile.ZipFile,
) -> None:
    tops = {n.split("/")[0] for n in wheel.namelist() if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"python_docker_hooks"}
    names = set(wheel.namelist())
    for sub in ("", "_dockerfile/", "_dockerignore/", "_engine/", "_output/"):
        assert f"python_docker_hooks/{sub}__init__.py" in names


def test_the_wheel_entry_points_name_the_import_name(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    targets = [
        line.split("=", 1)[1].strip()
        for line in wheel.read(entry_points).decode().splitlines()
        if "=" in line
    ]
    assert targets and all(t.startswith("python_docker_hooks.") for t in targets)


def test_python_m_runs_the_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "python_docker_hooks", "rules"],
        cwd=tmp_path, check=False, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "PDH101" in result.stdout


def test_no_top_level_hooks_module_is_importable(tmp_path: Path) -> None:
    # Run outside the checkout, so the hooks/ folder is not on the path as a namespace.
    result = subprocess.run(
        [sys.executable, "-c", "import importlib.util; print(importlib.util.find_spec('hooks'))"],
        cwd=tmp_path, check=False, capture_output=True, text=True,
    )
    assert result.stdout.strip() == "None"
