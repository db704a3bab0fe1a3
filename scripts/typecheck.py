"""Run ``mypy --strict`` over the package under its import name.

The package's folder is ``hooks/`` and its import name ``python_docker_hooks``
(``package-dir`` in pyproject.toml); mypy resolves modules by folder name, so it
is shown the folder under the import name through a link in a scratch directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        os.symlink(ROOT / "hooks", Path(scratch) / "python_docker_hooks")
        env = {**os.environ, "MYPYPATH": scratch}
        command = [sys.executable, "-m", "mypy", "--strict", "-p", "python_docker_hooks"]
        return subprocess.run(command, check=False, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
