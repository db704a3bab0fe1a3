"""A hook run on one file imports nothing heavy: its start-up is most of its cost.

Time itself is measured by ``benchmarks/bench.py``; this checks the cause.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from python_docker_hooks._engine.registry import HOOKS

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
    # With gettext and locale, a tenth of a hook run's start-up: the common
    # command lines are parsed without it (options.quick_parse).
    "argparse",
)

PROBE = """
import sys
from {module} import main
code = main(["--no-fix", sys.argv[1]])
print(" ".join(sorted(sys.modules)))
"""

BARE = 'import sys; print(" ".join(sorted(sys.modules)))'


def _modules(code: str, *args: str, cwd: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    return set(result.stdout.split())


@pytest.fixture(scope="module")
def preloaded(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What a bare interpreter here has loaded before any code of ours runs (an
    environment's site hooks may pre-load ``typing``, say): not ours to avoid."""
    return _modules(BARE, cwd=tmp_path_factory.mktemp("bare"))


@pytest.mark.parametrize("module", [f"python_docker_hooks.{m}" for m in HOOKS.values()] + ["python_docker_hooks._cli"])
def test_hook_run_imports_nothing_heavy(
    module: str, tmp_path: Path, preloaded: set[str]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12-slim\nENV A 1\nRUN pip install x\n")
    # A Python project's own pyproject.toml, without a table of ours.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    # An ignore file to match against: the context hooks match it without pathspec.
    (tmp_path / ".dockerignore").write_text(".git\n**/__pycache__\n*.txt\n!keep.txt\n")
    loaded = _modules(PROBE.format(module=module), str(dockerfile), cwd=tmp_path)
    assert sorted((loaded - preloaded).intersection(HEAVY)) == []


@pytest.mark.parametrize("compose", [False, True])
def test_yaml_loads_only_when_a_compose_file_is_there(
    compose: bool, tmp_path: Path, preloaded: set[str]
) -> None:
    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12-slim\nCOPY app.py .\n")
    (tmp_path / ".dockerignore").write_text(".git\n")
    if compose:
        (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build: .\n")
    probe = PROBE.format(module="python_docker_hooks.copy_ignored_file")
    loaded = _modules(probe, str(dockerfile), cwd=tmp_path)
    assert ("yaml" in loaded) is compose


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_the_registry_knows_each_hooks_kinds_as_its_spec_declares_them(
    hook_id: str,
) -> None:
    from python_docker_hooks._engine.registry import kinds_of, spec

    assert kinds_of(hook_id) == spec(hook_id).kinds


AGGREGATE_PROBE = """
import sys
from python_docker_hooks._cli import main
code = main(["check", "--no-fix", *sys.argv[1:]])
print(" ".join(sorted(sys.modules)))
"""

CONTEXT_HOOKS = ["copy_ignored_file", "dockerignore_entries"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["Dockerfile"], sorted(HOOKS.values())),
        ([".dockerignore"], CONTEXT_HOOKS),
        (["compose.yaml"], CONTEXT_HOOKS),
        (["compose.yaml", ".dockerignore"], CONTEXT_HOOKS),
        (["Dockerfile", ".dockerignore"], sorted(HOOKS.values())),
        (["."], sorted(HOOKS.values())),
    ],
    ids=["Dockerfile", "ignore", "compose", "compose+ignore", "Dockerfile+ignore", "walk"],
)
def test_the_aggregate_imports_only_the_hooks_its_files_kinds_make_run(
    given: list[str], expected: list[str], tmp_path: Path
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY app.py .\n")
    (tmp_path / ".dockerignore").write_text(".git\n")
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build: .\n")
    loaded = _modules(AGGREGATE_PROBE, *given, cwd=tmp_path)
    hooks = sorted(
        name
        for package, _, name in (m.partition(".") for m in loaded)
        if package == "python_docker_hooks" and name and "." not in name
        and not name.startswith("_")
    )
    assert hooks == expected
