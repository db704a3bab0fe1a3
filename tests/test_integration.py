"""The hooks as users get them: installed and run by real pre-commit.

A snapshot of this project's working tree (committed into a scratch git repo,
so uncommitted work is what gets tested) is named, by path and commit, in the
configuration ``pre-commit try-repo`` would write for it (every hook of its
manifest, or the one hook asked for), and ``pre-commit run`` builds the hook
environment from it the way a user's pre-commit would. The three runs share one
store, as a user's runs do, so the environment is built once (try-repo would build
it in a fresh store on every call): one run of every per-concern hook over a
flawed repository, a second run of them over what the first run left, and one
run of the aggregate hook alone over a fresh copy of the flawed repository.

What they print and the files they leave are a golden file,
``tests/integration/expected.json``, compared byte for byte; after a change in
behaviour, ``pytest tests/test_integration.py --update`` rewrites it from the run,
and its diff is what a reviewer reads. The tests here hold what must be true of
any run: every hook ran, fixes converge, the aggregate hook fixes as the hooks do.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from python_docker_hooks._engine.registry import AGGREGATE, HOOKS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fastapi-app" / "Dockerfile"
HOOK_IDS = tuple(HOOKS)
GOLDEN = Path(__file__).resolve().parent / "integration" / "expected.json"
UPDATE = "run `pytest tests/test_integration.py --update` and review the diff"
EXAMPLE_IGNORE = (ROOT / "examples" / "fastapi-app" / ".dockerignore").read_bytes()
# The compose file builds the example from the repository root.
COMPOSE = b"services:\n  app:\n    build: .\n"
# The day the end-of-life dates are judged against (PDH505), so that the run does
# not depend on the clock.
PYPROJECT = b'[tool.python-docker-hooks.python-slim-base]\ntoday = "2026-12-01"\n'
TIMEOUT = 600

if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)
if importlib.util.find_spec("pre_commit") is None:
    pytest.skip(
        "pre-commit is not installed (pip install -e '.[test]')",
        allow_module_level=True,
    )

# A name identify does not tag as a Dockerfile, with CRLF line endings kept.
# It names its maintainer and user, so that the hooks without a fix pass it.
LOWERCASE = (
    b"FROM python:3.12-slim\r\n"
    b'LABEL maintainer="team@example.com"\r\n'
    b"RUN pip install flask\r\n"
    b"USER 10001\r\n"
)
# Files the manifest must leave alone; each would fail or be rewritten if a
# hook saw it.
UNSELECTED = {
    # BuildKit's ignore file for api.Dockerfile (identify tags it "dockerfile"):
    # the Dockerfile hooks leave it alone, and the context hooks pass it by, as
    # there is no api.Dockerfile to read it.
    "api.Dockerfile.dockerignore": b"**/__pycache__\n**/.venv\n",
    # A template, not a Dockerfile until rendered.
    "Dockerfile.j2": b"FROM python:{{ version }}-alpine\nENV A 1\nRUN pip install x\n",
    "README.md": b"ENV A 1\n",
}

# Zero counts are left out of the summary.
SUMMARY = r"Found (\d+) findings?(?: \((\d+) fixed\))?"

# pre-commit's line for each hook: "<name>....<status>".
_STATUS = re.compile(r"^(?P<name>\S.*?)\.{3,}(?P<status>Passed|Failed|Skipped)$")
_NO_FILES = "(no files to check)"


class HookReport:
    """What pre-commit printed for one hook (run with --verbose)."""

    __slots__ = ("status", "exit_code", "modified", "lines")

    def __init__(self, status: str) -> None:
        self.status = status
        self.exit_code: int | None = None
        self.modified = False
        self.lines: list[str] = []

    def __repr__(self) -> str:
        return (
            f"HookReport({self.status!r}, exit_code={self.exit_code!r}, "
            f"modified={self.modified!r}, lines={self.lines!r})"
        )


def parse_report(output: str) -> dict[str, HookReport]:
    """Hook id -> its report, from the output of ``pre-commit ... --verbose``."""
    reports: dict[str, HookReport] = {}
    current: HookReport | None = None
    for line in output.splitlines():
        match = _STATUS.match(line.replace(_NO_FILES, ""))
        if match:
            current = HookReport(match["status"])
            continue
        if current is None:
            continue
        if line.startswith("- hook id: "):
            reports[line[len("- hook id: ") :]] = current
        elif line.startswith("- exit code: "):
            current.exit_code = int(line[len("- exit code: ") :])
        elif line == "- files were modified by this hook":
            current.modified = True
        elif line.startswith("- duration: "):
            pass
        elif line.strip():
            current.lines.append(line)
    return reports


def clean_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # Set when the suite itself runs inside a git hook; they would point
        # git at the wrong repository.
        if not k.startswith("GIT_") and k not in ("PRE_COMMIT", "SKIP")
    }
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        ("git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args),
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def snapshot(dest: Path, env: dict[str, str]) -> Path:
    """Commit the project's files, as they are on disk, into a new repo at dest."""
    try:
        listing = git(
            ROOT, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard"
        )
    except subprocess.CalledProcessError:
        pytest.skip(f"{ROOT} is not a git checkout: cannot list the project's files")
    dest.mkdir()
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if not source.is_file():
            continue  # deleted in the working tree
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git(dest, env, "init", "-q")
    git(dest, env, "add", "-A")
    git(dest, env, "commit", "-q", "--no-verify", "-m", "snapshot")
    return dest


class Run:
    __slots__ = ("returncode", "output", "reports", "files")

    def __init__(
        self, proc: subprocess.CompletedProcess[str], files: dict[str, bytes]
    ) -> None:
        self.returncode = proc.returncode
        self.output = proc.stdout + proc.stderr
        self.reports = parse_report(proc.stdout)
        self.files = files


def try_config(hook_repo: Path, env: dict[str, str], hook: str | None = None) -> Path:
    """The configuration ``pre-commit try-repo <hook_repo> [hook]`` writes: the
    repository at its commit, with the hook asked for or every hook of its
    manifest, sorted by id; in a file beside the repository."""
    import json

    import yaml

    rev = git(hook_repo, env, "rev-parse", "HEAD").strip()
    if hook:
        hooks = [{"id": hook}]
    else:
        manifest = yaml.safe_load(
            (hook_repo / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
        )
        hooks = [{"id": h["id"]} for h in sorted(manifest, key=lambda h: h["id"])]
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": hooks}]}
    path = hook_repo.parent / f"config-{hook or 'all'}.yaml"
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def try_repo(
    hook_repo: Path,
    target: Path,
    env: dict[str, str],
    *extra_env: tuple[str, str],
    hook: str | None = None,
) -> Run:
    """What ``pre-commit try-repo <hook_repo> [hook] --all-files`` does, with the
    store of ``PRE_COMMIT_HOME`` (in ``env``) in place of a fresh one per call."""
    proc = subprocess.run(
        (
            sys.executable,
            "-m",
            "pre_commit",
            "run",
            "--config",
            str(try_config(hook_repo, env, hook)),
            *([hook] if hook else []),
            "--all-files",
            "--verbose",
            "--color=never",
        ),
        cwd=target,
        env=dict(env, **dict(extra_env)),
        check=False,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    files = {
        str(p.relative_to(target)).replace(os.sep, "/"): p.read_bytes()
        for p in target.iterdir()
        if p.is_file()
    }
    return Run(proc, files)


def flawed_project(target: Path, env: dict[str, str]) -> Path:
    target.mkdir()
    (target / "Dockerfile").write_bytes(EXAMPLE.read_bytes())
    (target / "app.dockerfile").write_bytes(LOWERCASE)
    (target / ".dockerignore").write_bytes(EXAMPLE_IGNORE)
    (target / "compose.yaml").write_bytes(COMPOSE)
    (target / "pyproject.toml").write_bytes(PYPROJECT)
    for name, data in UNSELECTED.items():
        (target / name).write_bytes(data)
    git(target, env, "init", "-q")
    git(target, env, "add", "-A")
    return target


@pytest.fixture(scope="module")
def repos(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("integration")
    env = clean_env(base / "pre-commit-home")
    return base, snapshot(base / "hooks-repo", env), env


@pytest.fixture(scope="module")
def runs(repos: tuple[Path, Path, dict[str, str]]) -> tuple[Run, Run]:
    base, hook_repo, env = repos
    target = flawed_project(base / "project", env)
    per_concern = ("SKIP", AGGREGATE)
    first = try_repo(hook_repo, target, env, per_concern)
    second = try_repo(hook_repo, target, env, per_concern)
    return first, second


@pytest.fixture(scope="module")
def aggregate_run(repos: tuple[Path, Path, dict[str, str]]) -> Run:
    base, hook_repo, env = repos
    target = flawed_project(base / "aggregate-project", env)
    return try_repo(hook_repo, target, env, hook=AGGREGATE)


def summaries(report: HookReport) -> list[str]:
    """The summary lines of ``check`` in a report: pre-commit may split the
    files into one batch per CPU, each with its own summary."""
    return [line for line in report.lines if line.startswith("Found ")]


def reported(report: HookReport) -> dict[str, object]:
    return {
        "status": report.status,
        "exit code": report.exit_code,
        "files modified": report.modified,
        "output": [line for line in report.lines if line not in summaries(report)],
    }


def lines_of(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each file as its lines, each with its own line ending, so that the golden
    file shows a CRLF or a missing final newline as it is."""
    return {
        name: data.decode("utf-8").splitlines(keepends=True)
        for name, data in sorted(files.items())
    }


def golden_text(first: Run, second: Run, aggregate: Run) -> str:
    import json

    observed = {
        "per-concern hooks, first run": {
            hook_id: reported(first.reports[hook_id]) for hook_id in sorted(first.reports)
        },
        "files after the first run": lines_of(first.files),
        "per-concern hooks, second run": {
            hook_id: reported(second.reports[hook_id]) for hook_id in sorted(second.reports)
        },
        "aggregate hook, alone": reported(aggregate.reports[AGGREGATE]),
    }
    return json.dumps(observed, indent=2, ensure_ascii=False) + "\n"


def test_runs_are_the_golden_file(
    runs: tuple[Run, Run], aggregate_run: Run, request: pytest.FixtureRequest
) -> None:
    first, second = runs
    text = golden_text(first, second, aggregate_run)
    if request.config.getoption("update"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert GOLDEN.exists(), f"{GOLDEN} is missing: {UPDATE}"
    assert GOLDEN.read_bytes() == text.encode("utf-8"), (
        f"the hooks' output or fixes differ from {GOLDEN.name}: {UPDATE}"
    )


def test_aggregate_hook_runs_every_hook_in_one_process(aggregate_run: Run) -> None:
    assert aggregate_run.returncode == 1, aggregate_run.output
    assert list(aggregate_run.reports) == [AGGREGATE], aggregate_run.output
    report = aggregate_run.reports[AGGREGATE]
    assert (report.status, report.exit_code, report.modified) == ("Failed", 1, True)
    # The batches' counts add up to the findings listed.
    counts = [re.fullmatch(SUMMARY, line) for line in summaries(report)]
    assert counts and all(counts), summaries(report)
    findings = [
        line
        for line in report.lines
        if line not in summaries(report) and not line.startswith("Fixing ")
    ]
    fixed = [line for line in findings if line.endswith(" (fixed)")]
    assert sum(int(m[1]) for m in counts if m) == len(findings)
    assert sum(int(m[2] or 0) for m in counts if m) == len(fixed)


def test_aggregate_hook_fixes_as_the_hooks_do(
    aggregate_run: Run, runs: tuple[Run, Run]
) -> None:
    first, _ = runs
    assert aggregate_run.files == first.files, aggregate_run.output


def test_first_run_fails(runs: tuple[Run, Run]) -> None:
    first, _ = runs
    assert first.returncode == 1, first.output
    assert sorted(first.reports) == sorted([*HOOK_IDS, AGGREGATE]), first.output
    assert first.reports[AGGREGATE].status == "Skipped", first.output


def test_unselected_files_left_alone_and_not_mentioned(runs: tuple[Run, Run]) -> None:
    first, _ = runs
    assert {name: first.files[name] for name in UNSELECTED} == UNSELECTED
    for report in first.reports.values():
        for line in report.lines:
            assert not line.startswith(tuple(UNSELECTED)), first.output


def test_second_run_changes_nothing(runs: tuple[Run, Run]) -> None:
    """The fixes converge in one run: the second modifies no file, and a hook
    that passed, or fixed everything it found, passes."""
    first, second = runs
    assert second.files == first.files
    assert sorted(second.reports) == sorted(first.reports), second.output
    for hook_id, report in second.reports.items():
        assert not report.modified, (hook_id, second.output)
        before = first.reports[hook_id].lines
        if all(line.endswith(" (fixed)") or line.startswith("Fixing ") for line in before):
            assert (report.status, report.lines) in (("Passed", []), ("Skipped", [])), (
                hook_id,
                second.output,
            )
