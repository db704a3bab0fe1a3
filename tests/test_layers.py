"""The package's layers, as its imports show them.

At the bottom, ``python_docker_hooks._go`` (Go's text and path rules) imports
nothing of the package; both models build on it. The models
(``python_docker_hooks._dockerfile``, ``python_docker_hooks._dockerignore``) import
nothing of each other, nor from the engine, the renderers or a hook; a hook module
imports no other hook module (what two hooks need lives in a model); the engine and
the renderers import no hook module by name (the registry loads them by its table);
the engine imports no renderer. No module, and no subpackage, imports itself through
others: every import counts, at the top of a module, inside a function, or for the
type checker only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hooks"
BOTTOM = "python_docker_hooks._go"
MODELS = ("python_docker_hooks._dockerfile", "python_docker_hooks._dockerignore")
HOOK_MODULES = sorted(
    f"python_docker_hooks.{p.stem}" for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")
)


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("python_docker_hooks", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _imports(path: Path) -> set[str]:
    """Every module the file imports, at any depth (lazy imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n == "python_docker_hooks" or n.startswith("python_docker_hooks.")}


def _under(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


MODULES = _modules()


def test_the_modules_are_found() -> None:
    names = {name for name, _ in MODULES}
    assert {"python_docker_hooks._dockerfile.parse", "python_docker_hooks._engine.runner", "python_docker_hooks.pip_no_cache_dir"} <= names
    assert "python_docker_hooks.pip_no_cache_dir" in HOOK_MODULES and "python_docker_hooks._cli" not in HOOK_MODULES
    assert BOTTOM in names


def test_the_bottom_layer_imports_nothing_of_the_package() -> None:
    path = dict(MODULES)[BOTTOM]
    assert sorted(_imports(path)) == []


@pytest.mark.parametrize(
    ("name", "path"), [m for m in MODULES if _under(m[0], MODELS)], ids=lambda v: str(v)
)
def test_models_import_no_engine_output_or_hook(name: str, path: Path) -> None:
    wrong = sorted(
        i
        for i in _imports(path)
        if _under(i, ("python_docker_hooks._engine", "python_docker_hooks._output", "python_docker_hooks._cli"))
        or _under(i, tuple(HOOK_MODULES))
    )
    assert wrong == []


@pytest.mark.parametrize(
    ("name", "path"), [m for m in MODULES if _under(m[0], MODELS)], ids=lambda v: str(v)
)
def test_a_model_imports_no_other_model(name: str, path: Path) -> None:
    """What both models need (Go's text and path rules) is below both."""
    others = tuple(m for m in MODELS if not _under(name, (m,)))
    assert sorted(i for i in _imports(path) if _under(i, others)) == []


@pytest.mark.parametrize(
    ("name", "path"), [m for m in MODULES if m[0] in HOOK_MODULES], ids=lambda v: str(v)
)
def test_a_hook_imports_no_other_hook(name: str, path: Path) -> None:
    others = tuple(h for h in HOOK_MODULES if h != name)
    assert sorted(i for i in _imports(path) if _under(i, others)) == []


@pytest.mark.parametrize(
    ("name", "path"),
    [m for m in MODULES if _under(m[0], ("python_docker_hooks._engine", "python_docker_hooks._output"))],
    ids=lambda v: str(v),
)
def test_engine_and_output_name_no_hook_module(name: str, path: Path) -> None:
    assert sorted(i for i in _imports(path) if _under(i, tuple(HOOK_MODULES))) == []


def _edges(path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``path`` imports, each import resolved to a module:
    ``from a.b import c`` is ``a.b.c`` when that is a module, else ``a.b``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
    return found & modules


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's
    algorithm, without recursion), each sorted, in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def _graph() -> dict[str, set[str]]:
    names = {name for name, _ in MODULES}
    return {name: _edges(path, names) - {name} for name, path in MODULES}


def _subpackage(name: str) -> str:
    """The package's subpackage a module is in (``python_docker_hooks._engine``),
    or the module itself when it sits at the top."""
    return ".".join(name.split(".")[:2])


def test_cycles_are_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}) == [
        ["a", "b", "c"]
    ]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_through_others() -> None:
    assert _cycles(_graph()) == []


def test_no_subpackage_imports_itself_through_others() -> None:
    packages: dict[str, set[str]] = {}
    for name, targets in _graph().items():
        edges = packages.setdefault(_subpackage(name), set())
        edges.update(_subpackage(t) for t in targets)
    graph = {name: edges - {name} for name, edges in packages.items()}
    assert _cycles(graph) == []


@pytest.mark.parametrize(
    ("name", "path"),
    [m for m in MODULES if _under(m[0], ("python_docker_hooks._engine",))],
    ids=lambda v: str(v),
)
def test_engine_imports_no_renderer_or_command(name: str, path: Path) -> None:
    outside = ("python_docker_hooks._output", "python_docker_hooks._cli", "python_docker_hooks._command")
    assert sorted(i for i in _imports(path) if _under(i, outside)) == []
