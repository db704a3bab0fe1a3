"""No dead code in the package: vulture (``[tool.vulture]`` in pyproject.toml) finds
nothing unused in ``hooks/``, counting what ``scripts/`` uses and the names listed in
``tests/dead_code_whitelist.py``, and nothing the tests alone use."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["vulture"]
WHITELIST = ROOT / "tests" / "dead_code_whitelist.py"


def _vulture(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vulture", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_nothing_in_the_package_is_unused() -> None:
    run = _vulture()
    assert run.stdout.splitlines() == []
    assert (run.returncode, run.stderr) == (0, "")


def test_a_new_unused_function_is_reported(tmp_path: Path) -> None:
    module = tmp_path / "extra.py"
    module.write_text(
        "def called() -> int:\n    return 1\n\n\ndef never_called() -> int:\n"
        "    return called()\n",
        encoding="utf-8",
    )
    run = _vulture(*CONFIG["paths"], str(module))
    assert run.returncode == 3, run.stdout + run.stderr
    found = [line for line in run.stdout.splitlines() if line.startswith(str(module))]
    assert found == [f"{module}:5: unused function 'never_called' (60% confidence)"]


def test_the_whitelist_names_only_what_the_package_defines() -> None:
    names = [
        node.attr
        for node in ast.walk(ast.parse(WHITELIST.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
    ]
    assert names
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "hooks").rglob("*.py"))
    )
    for name in names:
        defined = rf"^\s*(?:def {name}\b|class {name}\b|{name}\s*[:=])"
        assert re.search(defined, sources, re.MULTILINE), name
