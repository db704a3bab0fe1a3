"""Build contexts: default, compose (string, mapping, override), config; the
per-Dockerfile ignore file first; the same results for any subset of files."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest
from contextrun import NO_RECOMMENDED, REQUIRED_LINES, Files, run_tree, write_tree

from python_docker_hooks._engine.contexts import Resolver
from python_docker_hooks._engine.files import kind_of
from python_docker_hooks._engine.group import (
    FileBuilds,
    Group,
    ReadAhead,
    read_dockerfile,
)
from python_docker_hooks._engine.runner import Options

COPY_REQS = "FROM python:3.12-slim\nCOPY requirements.txt .\n"


def excluded_reqs(dockerfile: str, ignore: str, context: str, evidence: str) -> str:
    return (
        f"{dockerfile}:2:6: PDH911 COPY source `requirements.txt` is excluded by "
        f"{ignore}:1 (`*.txt`) (build context `{context}`, {evidence}): it is not in the "
        "build context"
    )


def missing(
    ignore: str, dockerfile: str, context: str, evidence: str, *, git: bool = True
) -> str:
    return (
        f"{ignore}:1:1: PDH901 no ignore file: nothing is kept out of the build context `{context}` of "
        f"{dockerfile} ({evidence}); add {'`.git`, ' if git else ''}"
        "`**/__pycache__`, `**/*venv`, `**/.env` [*]"
    )


def ignore_files(tmp_path: Path, dockerfile: str) -> list[str]:
    resolver = Resolver(lambda p: _no_config(), read_dockerfile)
    return [
        str(Path(p).relative_to(tmp_path))
        for p in resolver.ignore_files_of(str(tmp_path / dockerfile))
    ]


def _no_config() -> object:
    from python_docker_hooks._engine.config import Config

    return Config()


def test_kinds_by_name() -> None:
    assert [
        kind_of(p)
        for p in (
            "Dockerfile",
            "a/.dockerignore",
            "api.Dockerfile.dockerignore",
            "compose.yaml",
            "docker-compose.override.yml",
            "app.dockerfile",
        )
    ] == ["dockerfile", "dockerignore", "dockerignore", "compose", "compose", "dockerfile"]


CASES = [
    pytest.param({"api/Dockerfile": COPY_REQS}, "api/Dockerfile", ["api/.dockerignore"], id="default"),
    pytest.param(
        {"api/Dockerfile": COPY_REQS, "compose.yaml": "services:\n  api:\n    build: ./api\n"},
        "api/Dockerfile",
        ["api/.dockerignore"],
        id="compose-string",
    ),
    pytest.param(
        {
            "docker/api.Dockerfile": COPY_REQS,
            "compose.yaml": (
                "services:\n  api:\n    build:\n      context: .\n"
                "      dockerfile: docker/api.Dockerfile\n      target: runtime\n"
            ),
        },
        "docker/api.Dockerfile",
        [".dockerignore"],
        id="compose-mapping",
    ),
    pytest.param(
        {
            "api/Dockerfile": COPY_REQS,
            "compose.yaml": "services:\n  api:\n    build: ./nowhere\n",
            "compose.override.yaml": "services:\n  api:\n    build:\n      context: api\n",
        },
        "api/Dockerfile",
        ["api/.dockerignore"],
        id="override-file",
    ),
    pytest.param(
        {
            "Dockerfile": COPY_REQS,
            "compose.yaml": (
                "services:\n  a:\n    build: .\n  b:\n    build:\n      context: .\n"
                "      target: test\n  c:\n    build:\n      context: ${CTX}\n"
            ),
        },
        "Dockerfile",
        [".dockerignore"],
        id="several-services-one-context",
    ),
    pytest.param(
        {
            "Dockerfile": COPY_REQS,
            "compose.yaml": (
                "services:\n  a:\n    build:\n      context: ..\n"
                "      dockerfile_inline: FROM scratch\n"
            ),
        },
        "Dockerfile",
        [".dockerignore"],
        id="inline-dockerfile-is-not-this-one",
    ),
    pytest.param(
        {
            "docker/Dockerfile": COPY_REQS,
            "compose.yaml": (
                "services:\n  a:\n    build:\n      context: .\n"
                "      dockerfile: docker/Dockerfile\n"
                "  b:\n    build:\n      context: docker\n"
            ),
        },
        "docker/Dockerfile",
        [".dockerignore", "docker/.dockerignore"],
        id="several-services-two-contexts",
    ),
    pytest.param(
        {
            "docker/api.Dockerfile": COPY_REQS,
            "pyproject.toml": '[tool.python-docker-hooks.contexts]\n"docker/*.Dockerfile" = "."\n',
        },
        "docker/api.Dockerfile",
        [".dockerignore"],
        id="config",
    ),
    pytest.param(
        {
            "api.Dockerfile": COPY_REQS,
            "api.Dockerfile.dockerignore": "*.txt\n",
            ".dockerignore": ".git\n",
        },
        "api.Dockerfile",
        ["api.Dockerfile.dockerignore"],
        id="per-dockerfile-ignore-file-first",
    ),
]


@pytest.mark.parametrize(("files", "dockerfile", "expected"), CASES)
def test_ignore_files_of(
    files: Files,
    dockerfile: str,
    expected: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_tree(tmp_path, files)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    from python_docker_hooks._engine.config import clear_cache, load_config
    from python_docker_hooks._engine.registry import all_rules

    clear_cache()
    resolver = Resolver(lambda p: load_config(p, None, all_rules), read_dockerfile)
    found = [
        str(Path(p).relative_to(tmp_path))
        for p in resolver.ignore_files_of(str(tmp_path / dockerfile))
    ]
    assert found == expected


def test_compose_context_through_the_hook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "api/Dockerfile": COPY_REQS,
            "api/requirements.txt": "",
            "api/.dockerignore": "*.txt\n",
            "compose.yaml": "services:\n  api:\n    build: ./api\n",
        },
    )
    (tmp_path / ".git").mkdir()
    result = run_tree("copy_ignored_file", tmp_path, capsys, monkeypatch, "compose.yaml")
    assert (result.code, result.lines) == (
        1,
        [excluded_reqs("api/Dockerfile", "api/.dockerignore", "api", "compose.yaml, service api")],
    )


def test_each_context_of_a_dockerfile_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "docker/Dockerfile": COPY_REQS,
            "docker/.dockerignore": "*.txt\n",
            ".dockerignore": "*.txt\n",
            "compose.yaml": (
                "services:\n  root:\n    build:\n      context: .\n"
                "      dockerfile: docker/Dockerfile\n"
                "  local:\n    build: docker\n"
            ),
        },
    )
    (tmp_path / ".git").mkdir()
    result = run_tree("copy_ignored_file", tmp_path, capsys, monkeypatch, "docker/Dockerfile")
    assert result.lines == [
        ("docker/Dockerfile:2:6: PDH911 COPY source `requirements.txt` is excluded by "
        ".dockerignore:1 (`*.txt`) (build context `.`, compose.yaml, service root): it "
        "is not in the build context"),
        ("docker/Dockerfile:2:6: PDH911 COPY source `requirements.txt` is excluded by "
        "docker/.dockerignore:1 (`*.txt`) (build context `docker`, compose.yaml, service "
        "local): it is not in the build context"),
    ]


def test_compose_target_limits_the_stages_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dockerfile = (
        "FROM python:3.12-slim AS runtime\nCOPY main.py .\n"
        "FROM runtime AS test\nCOPY requirements.txt .\n"
    )
    files: Files = {"Dockerfile": dockerfile, ".dockerignore": "*.txt\n"}
    write_tree(tmp_path, files)
    (tmp_path / ".git").mkdir()
    untargeted = run_tree("copy_ignored_file", tmp_path, capsys, monkeypatch, "Dockerfile")
    assert [line.split(" ")[1] for line in untargeted.lines] == ["PDH911"]
    write_tree(
        tmp_path,
        {"compose.yaml": "services:\n  app:\n    build:\n      context: .\n      target: runtime\n"},
    )
    targeted = run_tree("copy_ignored_file", tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (targeted.code, targeted.lines) == (0, [])


def test_compose_file_that_does_not_parse_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "Dockerfile": COPY_REQS,
            ".dockerignore": REQUIRED_LINES,
            "pyproject.toml": NO_RECOMMENDED,
            "compose.yaml": "services:\n  app:\n    build: [\n",
        },
    )
    (tmp_path / ".git").mkdir()
    for argv in (["Dockerfile"], ["compose.yaml"], ["Dockerfile", "compose.yaml"]):
        result = run_tree("dockerignore_entries", tmp_path, capsys, monkeypatch, *argv)
        assert result.code == 1
        assert result.lines == [
            ("compose.yaml: invalid YAML: line 4: expected the node content, but found "
            "'<stream end>'")
        ], argv


BATCH_TREE: Files = {
    "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .env ./\n",
    "requirements.txt": "",
    ".env": "",
    ".dockerignore": "*.txt\n.git\n",
    "compose.yaml": "services:\n  app:\n    build: .\n",
    "pyproject.toml": NO_RECOMMENDED,
}
BATCH_FILES = ("Dockerfile", ".dockerignore", "compose.yaml")


@pytest.mark.parametrize("hook", ["dockerignore_entries", "copy_ignored_file"])
def test_same_results_whatever_subset_of_files_is_passed(
    hook: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_tree(tmp_path, BATCH_TREE)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    # Build definitions are found among the files git tracks (staged ones too).
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    subsets = [
        list(c)
        for n in range(1, len(BATCH_FILES) + 1)
        for c in itertools.permutations(BATCH_FILES, n)
    ]
    results = {
        tuple(subset): run_tree(hook, tmp_path, capsys, monkeypatch, "--no-fix", *subset)
        for subset in subsets
    }
    outputs = {(r.code, tuple(r.lines)) for r in results.values()}
    assert len(outputs) == 1, results
    ((code, lines),) = outputs
    assert code == 1 and lines


def test_batch_fixes_the_shared_ignore_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "Dockerfile": COPY_REQS,
            "Dockerfile.dev": COPY_REQS,
            ".dockerignore": ".git\n",
            # Declared, so the fix may act on it.
            "pyproject.toml": NO_RECOMMENDED
            + '[tool.python-docker-hooks.contexts]\n"Dockerfile*" = "."\n',
        },
    )
    result = run_tree(
        "dockerignore_entries",
        tmp_path,
        capsys,
        monkeypatch,
        "Dockerfile",
        "Dockerfile.dev",
        ".dockerignore",
    )
    assert result.lines == [
        (".dockerignore:1:1: PDH901 does not exclude required `**/__pycache__`, "
        "`**/*venv`, `**/.env`; context `.` (pyproject.toml [tool.python-docker-hooks.contexts]) (fixed)"),
        "Fixing .dockerignore",
    ]


def test_missing_ignore_file_of_a_subdirectory_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "api/Dockerfile": COPY_REQS,
            "pyproject.toml": NO_RECOMMENDED
            + '[tool.python-docker-hooks.contexts]\n"api/Dockerfile" = "api"\n',
        },
    )
    result = run_tree("dockerignore_entries", tmp_path, capsys, monkeypatch, "--no-fix", "api/Dockerfile")
    # No .git can be sent from api/ (the repository's is above it): not asked for.
    assert result.lines == [
        missing(
            "api/.dockerignore",
            "api/Dockerfile",
            "api",
            "pyproject.toml [tool.python-docker-hooks.contexts]",
            git=False,
        )
    ]
    assert ignore_files(tmp_path, "api/Dockerfile") == ["api/.dockerignore"]


def test_config_target_limits_the_stages_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The config's ``targets`` (the shipped stage) counts as a compose target does."""
    write_tree(
        tmp_path,
        {
            "Dockerfile": (
                "FROM python:3.12-slim AS runtime\nCOPY main.py .\n"
                "FROM runtime AS test\nCOPY requirements.txt .\n"
            ),
            ".dockerignore": "*.txt\n",
            "pyproject.toml": '[tool.python-docker-hooks.targets]\n"Dockerfile" = "runtime"\n',
        },
    )
    result = run_tree("copy_ignored_file", tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (result.code, result.lines) == (0, [])


def test_a_directory_outside_git_is_walked_without_starting_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A root without .git is no work tree: finding its compose files and
    # Dockerfiles is a walk, with no git process per directory.
    from python_docker_hooks._engine.builds import shown

    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\n")
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build: .\n")
    from python_docker_hooks._engine import files

    started: list[object] = []
    real = files.git_output

    def counting(args: list[str], directory: str) -> bytes | None:
        started.append(args)
        return real(args, directory)

    monkeypatch.setattr(files, "git_output", counting)
    resolver = Resolver(lambda p: _no_config(), read_dockerfile)  # type: ignore[arg-type, return-value]
    builds = resolver.builds_of(str(tmp_path / "Dockerfile"))
    assert [b.evidence for b in builds] == [f"{shown(str(tmp_path / 'compose.yaml'))}, service app"]
    assert [b.certain for b in builds] == [True]
    assert resolver.repository(str(tmp_path / "Dockerfile")).dockerfiles() == [
        str(tmp_path / "Dockerfile")
    ]
    assert started == []


def test_build_evidence_certainty_and_files(tmp_path: Path) -> None:
    """A context nothing declares is the Dockerfile's directory, uncertain; a
    completed build lists its context's files (git's listing in a work tree:
    tracked and untracked, not ignored)."""
    import subprocess

    from python_docker_hooks._engine.contexts import Resolver

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY . .\n")
    (tmp_path / "api" / "app.py").write_text("")
    (tmp_path / "api" / ".gitignore").write_text("*.log\n")
    (tmp_path / "api" / "x.log").write_text("")
    subprocess.run(["git", "-C", str(tmp_path), "add", "api/Dockerfile"], check=True)
    resolver = Resolver(lambda p: _no_config(), read_dockerfile)  # type: ignore[arg-type, return-value]
    (build,) = resolver.builds_of(str(tmp_path / "api" / "Dockerfile"))
    assert (build.evidence, build.certain) == ("the Dockerfile's directory, uncertain", False)
    done = FileBuilds(_group(resolver), build.dockerfile, None)._complete(build, (), None)
    assert done.files() == (".gitignore", "Dockerfile", "app.py")
    assert done.files() is done.files()


def _group(resolver: Resolver) -> Group:
    """An owner of no files, for a resolver's builds."""
    return Group([], Options(fix=False), resolver, ReadAhead())


def _context_file(tmp_path: Path, context: str, path: str) -> tuple[bool, bytes | None]:
    from python_docker_hooks._engine.vocabulary import Context

    resolver = Resolver(lambda p: _no_config(), read_dockerfile)
    dockerfile = str(tmp_path / "repo" / context / "Dockerfile")
    unit = Context(dockerfile, finder=FileBuilds(_group(resolver), dockerfile, None))
    (build,) = unit.builds
    found = unit.context_file(build, path)
    return found.exists, found.data


def test_context_file_is_read_inside_the_repository_and_the_context_only(
    tmp_path: Path,
) -> None:
    from python_docker_hooks._engine.vocabulary import CONTEXT_FILE_LIMIT

    repo = tmp_path / "repo"
    write_tree(
        repo,
        {
            "app/Dockerfile": "FROM python:3.12-slim\n",
            "app/gunicorn.conf.py": "bind = ':8000'\n",
            "app/big.py": "#" * (CONTEXT_FILE_LIMIT + 1),
            "secret.txt": "outside the context\n",
        },
    )
    (repo / ".git").mkdir()
    (tmp_path / "outside.txt").write_text("outside the repository\n")
    (repo / "app" / "up").symlink_to(repo / "secret.txt")
    (repo / "app" / "away").symlink_to(tmp_path / "outside.txt")
    assert _context_file(tmp_path, "app", "gunicorn.conf.py") == (True, b"bind = ':8000'\n")
    assert _context_file(tmp_path, "app", "/gunicorn.conf.py") == (True, b"bind = ':8000'\n")
    assert _context_file(tmp_path, "app", "missing.py") == (False, None)
    assert _context_file(tmp_path, "app", "big.py") == (True, None)
    assert _context_file(tmp_path, "app", "up") == (True, None)
    assert _context_file(tmp_path, "app", "away") == (True, None)
    assert _context_file(tmp_path, "app", "../secret.txt") == (True, None)


def test_context_file_without_a_resolver_finds_nothing() -> None:
    from python_docker_hooks._engine.builds import Build
    from python_docker_hooks._engine.vocabulary import Context

    found = Context("Dockerfile").context_file(Build("/r/Dockerfile", "/r", None, "default"), "a")
    assert (found.exists, found.data) == (False, None)
