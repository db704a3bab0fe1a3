"""The hooks as users get them: installed and run by real pre-commit.

A snapshot of this project's working tree (committed into a scratch git repo,
so uncommitted work is what gets tested) is given to ``pre-commit try-repo``,
which builds the hook environment from it the way a user's pre-commit would.
try-repo builds that environment in a fresh store on every call, so the
module makes exactly three calls: one run of every per-concern hook over a
flawed repository, one run of the fixers over what the first run left, and one
run of the aggregate hook alone over a fresh copy of the flawed repository.
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
FIXERS = (
    "pip-no-cache-dir",
    "python-env-vars",
    "env-key-value",
    "label-maintainer",
    "expose-port",
    "exec-form-cmd",
    "dockerignore-entries",
)
# Hooks with no fix (or only an unsafe one) for what the example has: they fail
# again on the second run.
REPORT_ONLY = (
    "uv-image-practices",
    "poetry-image-practices",
    "no-alpine-python",
    "no-dev-server",
    "python-slim-base",
    "non-root-user",
    "build-deps-in-final-stage",
    "requirements-before-source",
    "copy-ignored-file",
)
EXAMPLE_IGNORE = (ROOT / "examples" / "fastapi-app" / ".dockerignore").read_bytes()
EXAMPLE_IGNORE_FIXED = EXAMPLE_IGNORE + (
    b"# Kept out of the build context (dockerignore-entries)\n"
    b"**/.env\n"
    b"**/.mypy_cache\n"
    b"**/.ruff_cache\n"
    b"**/node_modules\n"
    b"**/charts\n"
)
# The compose file builds the example from the repository root.
COMPOSE = b"services:\n  app:\n    build: .\n"
TIMEOUT = 600

if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)
if importlib.util.find_spec("pre_commit") is None:
    pytest.skip(
        "pre-commit is not installed (pip install -e '.[test]')",
        allow_module_level=True,
    )

EXAMPLE_FIXED = b"""\
FROM python:3.10-alpine

LABEL maintainer="team@example.com"

ENV APP_HOME=/app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR $APP_HOME

COPY README.md ./
COPY . .
RUN apk add --no-cache gcc musl-dev && pip install --no-cache-dir --upgrade -r requirements.txt

RUN adduser -D appuser && chown -R appuser /app
USER appuser

EXPOSE 8000
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000", "--reload"]
COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/
RUN pipx install poetry
"""

# A name identify does not tag as a Dockerfile, with CRLF line endings kept.
# It names its maintainer and user, so that the hooks without a fix pass it.
LOWERCASE = (
    b"FROM python:3.12-slim\r\n"
    b'LABEL maintainer="team@example.com"\r\n'
    b"RUN pip install flask\r\n"
    b"USER 10001\r\n"
)
LOWERCASE_FIXED = (
    b"FROM python:3.12-slim\r\n"
    b"ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\r\n"
    b'LABEL maintainer="team@example.com"\r\n'
    b"RUN pip install --no-cache-dir flask\r\n"
    b"USER 10001\r\n"
)

PDH201 = (
    "Dockerfile:1:1: PDH201 `python:3.10-alpine` is Alpine (musl): PyPI's "
    "manylinux wheels do not install, so packages compile from source "
    "(slow builds, bigger images); use `python:3.10-slim`"
)
PDH505 = (
    "Dockerfile:1:1: PDH505 Python 3.10 reached its end of life on 2026-10-31: "
    "no more security fixes"
)
PDH801 = (
    " PDH801 `gcc`, `musl-dev` stay in the shipped image (not removed in the same "
    "RUN); build wheels in a build stage and install them in a final stage "
    "without compilers"
)
PDH513 = (
    " PDH513 user `appuser` is created without an explicit UID: give it one "
    "(`adduser -u 10001 ...`)"
)

PDH111 = (
    " PDH111 `ghcr.io/astral-sh/uv:latest` does not pin uv: name a version "
    "(`ghcr.io/astral-sh/uv:X.Y.Z`) or a digest, as uv's Docker guide does"
)
PDH121 = " PDH121 `pipx install poetry` does not pin Poetry: install `poetry==X.Y.Z`"
PDH631 = (
    " PDH631 `uvicorn` with `--reload` watches the source and restarts on changes, "
    "which is for development: drop it (for more processes use `--workers`)"
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

# try-repo runs the hooks in the order of their ids, each on what the ones before
# it left: positions move with the fixes made before.
FIRST_RUN = {
    "build-deps-in-final-stage": [
        "Dockerfile:10:5:" + PDH801,
    ],
    "copy-ignored-file": [
        "Dockerfile:8:6: PDH911 COPY source `README.md` is excluded by .dockerignore:11 (`README.md`) (build context `.`, compose.yaml, service app): it is not in the build context",
    ],
    "dockerignore-entries": [
        ".dockerignore:1:1: PDH901 does not exclude required `**/.env` (fixed)",
        ".dockerignore:1:1: PDH902 does not exclude recommended `**/.mypy_cache`, `**/.ruff_cache`, `**/node_modules`, `**/charts` (fixed)",
        "Fixing .dockerignore",
    ],
    "env-key-value": [
        'Dockerfile:5:5: PDH401 legacy "ENV APP_HOME value" format; use "ENV APP_HOME=value" (fixed)',
        "Fixing Dockerfile",
    ],
    "exec-form-cmd": [
        'Dockerfile:15:1: PDH621 shell-form CMD runs under `/bin/sh -c`, which stays PID 1 and does not pass `docker stop`\'s SIGTERM on; use exec form: `CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000", "--reload"]` (fixed)',
        "Fixing Dockerfile",
    ],
    "expose-port": [
        "Dockerfile:15:1: PDH601 `uvicorn` listens on port 8000, which the image does not declare: add `EXPOSE 8000` (fixed)",
        "Fixing Dockerfile",
    ],
    "label-maintainer": [
        "Dockerfile:3:1: PDH701 `MAINTAINER` is deprecated; use `LABEL maintainer=...` (fixed)",
        "Fixing Dockerfile",
    ],
    "no-alpine-python": [
        PDH201,
    ],
    "no-dev-server": [
        "Dockerfile:16:1:" + PDH631,
    ],
    "non-root-user": [
        "Dockerfile:12:5:" + PDH513,
    ],
    "pip-no-cache-dir": [
        "Dockerfile:10:44: PDH101 `pip install` without `--no-cache-dir` leaves the package cache in the image (fixed)",
        "Fixing Dockerfile",
        "app.dockerfile:3:9: PDH101 `pip install` without `--no-cache-dir` leaves the package cache in the image (fixed)",
        "Fixing app.dockerfile",
    ],
    "python-env-vars": [
        "Dockerfile:1:1: PDH301 final Python stage does not set PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)",
        "Fixing Dockerfile",
        "app.dockerfile:1:1: PDH301 final Python stage does not set PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)",
        "Fixing app.dockerfile",
    ],
    "python-slim-base": [
        PDH505,
    ],
    "poetry-image-practices": [
        "Dockerfile:18:18:" + PDH121,
    ],
    "uv-image-practices": [
        "Dockerfile:18:6:" + PDH111,
    ],
    "requirements-before-source": [
        "Dockerfile:10:1: PDH611 `COPY . .` comes before `pip install` (line 11): every source change re-runs the dependency install; copy the dependency files first, install, then copy the rest",
    ],
}

# Every hook in one process (the manifest's entry is `check --fix`): per file,
# sorted by line and column, every position in the file as the run leaves it
# (the ENV that PDH301 adds under the stage's `ENV` moves the lines below it down by one).
AGGREGATE_RUN = [
    ".dockerignore:1:1: PDH901 does not exclude required `**/.env` (fixed)",
    ".dockerignore:1:1: PDH902 does not exclude recommended `**/.mypy_cache`, `**/.ruff_cache`, `**/node_modules`, `**/charts` (fixed)",
    "Fixing .dockerignore",
    PDH201,
    "Dockerfile:1:1: PDH301 final Python stage does not set PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)",
    PDH505,
    "Dockerfile:3:1: PDH701 `MAINTAINER` is deprecated; use `LABEL maintainer=...` (fixed)",
    'Dockerfile:5:5: PDH401 legacy "ENV APP_HOME value" format; use "ENV APP_HOME=value" (fixed)',
    "Dockerfile:9:6: PDH911 COPY source `README.md` is excluded by .dockerignore:11 (`README.md`) (build context `.`, compose.yaml, service app): it is not in the build context",
    "Dockerfile:10:1: PDH611 `COPY . .` comes before `pip install` (line 11): every source change re-runs the dependency install; copy the dependency files first, install, then copy the rest",
    "Dockerfile:11:5:" + PDH801,
    "Dockerfile:11:44: PDH101 `pip install` without `--no-cache-dir` leaves the package cache in the image (fixed)",
    "Dockerfile:13:5:" + PDH513,
    "Dockerfile:16:1: PDH601 `uvicorn` listens on port 8000, which the image does not declare: add `EXPOSE 8000` (fixed)",
    'Dockerfile:17:1: PDH621 shell-form CMD runs under `/bin/sh -c`, which stays PID 1 and does not pass `docker stop`\'s SIGTERM on; use exec form: `CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000", "--reload"]` (fixed)',
    "Dockerfile:17:1:" + PDH631,
    "Dockerfile:18:6:" + PDH111,
    "Dockerfile:19:18:" + PDH121,
    "Fixing Dockerfile",
    "app.dockerfile:1:1: PDH301 final Python stage does not set PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)",
    "app.dockerfile:4:9: PDH101 `pip install` without `--no-cache-dir` leaves the package cache in the image (fixed)",
    "Fixing app.dockerfile",
]

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


def try_repo(
    hook_repo: Path,
    target: Path,
    env: dict[str, str],
    *extra_env: tuple[str, str],
    hook: str | None = None,
) -> Run:
    proc = subprocess.run(
        (
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
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
    # The report-only hooks fail again; every fixer must pass.
    second = try_repo(
        hook_repo, target, env, ("SKIP", ",".join([*REPORT_ONLY, AGGREGATE]))
    )
    return first, second


@pytest.fixture(scope="module")
def aggregate_run(repos: tuple[Path, Path, dict[str, str]]) -> Run:
    base, hook_repo, env = repos
    target = flawed_project(base / "aggregate-project", env)
    return try_repo(hook_repo, target, env, hook=AGGREGATE)


def test_aggregate_hook_runs_every_hook_in_one_process(aggregate_run: Run) -> None:
    assert aggregate_run.returncode == 1, aggregate_run.output
    assert list(aggregate_run.reports) == [AGGREGATE], aggregate_run.output
    report = aggregate_run.reports[AGGREGATE]
    assert (report.status, report.exit_code, report.modified) == ("Failed", 1, True)
    # `check` closes with a summary; pre-commit may split the files into one
    # batch per CPU, each with its own summary, so their counts add up.
    summaries = [line for line in report.lines if line.startswith("Found ")]
    assert [line for line in report.lines if line not in summaries] == AGGREGATE_RUN
    counts = [re.fullmatch(SUMMARY, line) for line in summaries]
    assert all(counts), summaries
    findings = [line for line in AGGREGATE_RUN if not line.startswith("Fixing ")]
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


@pytest.mark.parametrize("hook_id", sorted(FIRST_RUN))
def test_first_run_reports(runs: tuple[Run, Run], hook_id: str) -> None:
    first, _ = runs
    report = first.reports[hook_id]
    assert report.status == "Failed", first.output
    assert report.exit_code == 1, first.output
    assert report.lines == FIRST_RUN[hook_id], first.output
    assert report.modified == (hook_id in FIXERS), first.output


def test_hooks_without_findings_pass(runs: tuple[Run, Run]) -> None:
    first, _ = runs
    passing = {h: first.reports[h].status for h in HOOK_IDS if h not in FIRST_RUN}
    assert passing == dict.fromkeys(passing, "Passed"), first.output


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dockerfile", EXAMPLE_FIXED),
        ("app.dockerfile", LOWERCASE_FIXED),
        (".dockerignore", EXAMPLE_IGNORE_FIXED),
        ("compose.yaml", COMPOSE),
        *sorted(UNSELECTED.items()),
    ],
)
def test_first_run_files(runs: tuple[Run, Run], name: str, expected: bytes) -> None:
    first, _ = runs
    assert first.files[name] == expected, first.output


def test_unselected_files_not_mentioned(runs: tuple[Run, Run]) -> None:
    first, _ = runs
    for report in first.reports.values():
        for line in report.lines:
            assert not line.startswith(tuple(UNSELECTED)), first.output


def test_second_run_passes(runs: tuple[Run, Run]) -> None:
    first, second = runs
    assert second.returncode == 0, second.output
    assert {k: r.status for k, r in second.reports.items()} == {
        **{hook_id: "Passed" for hook_id in HOOK_IDS},
        **dict.fromkeys(REPORT_ONLY, "Skipped"),
        AGGREGATE: "Skipped",
    }, second.output
    assert second.files == first.files
