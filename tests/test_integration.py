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

from hooks._engine.registry import AGGREGATE, HOOKS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fastapi-app" / "Dockerfile"
HOOK_IDS = tuple(HOOKS)
FIXERS = (
    "pip-no-cache-dir",
    "python-env-vars",
    "env-key-value",
    "expose-port",
    "exec-form-cmd",
)
# Hooks with no fix for what the example has: they fail again on the second run.
REPORT_ONLY = ("no-alpine-python", "requirements-before-source")
TIMEOUT = 600

if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)
if importlib.util.find_spec("pre_commit") is None:
    pytest.skip(
        "pre-commit is not installed (pip install -e '.[test]')",
        allow_module_level=True,
    )

EXAMPLE_FIXED = b"""\
FROM python:3.12-alpine
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

LABEL maintainer="team@example.com"

ENV APP_HOME=/app
WORKDIR $APP_HOME

COPY . .
RUN pip install --no-cache-dir --upgrade -r requirements.txt

RUN adduser -u 5678 -D appuser && chown -R appuser /app
USER appuser

EXPOSE 8000
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
"""

# A name identify does not tag as a Dockerfile, with CRLF line endings kept.
LOWERCASE = b"FROM python:3.12-slim\r\nRUN pip install flask\r\n"
LOWERCASE_FIXED = (
    b"FROM python:3.12-slim\r\n"
    b"ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\r\n"
    b"RUN pip install --no-cache-dir flask\r\n"
)

# Files the manifest must leave alone; each would fail or be rewritten if a
# hook saw it.
UNSELECTED = {
    # BuildKit's ignore file for api.Dockerfile (identify tags it "dockerfile").
    "api.Dockerfile.dockerignore": b"**/__pycache__\n**/.venv\n",
    # A template, not a Dockerfile until rendered.
    "Dockerfile.j2": b"FROM python:{{ version }}-alpine\nENV A 1\nRUN pip install x\n",
    "README.md": b"ENV A 1\n",
}

FIRST_RUN = {
    "exec-form-cmd": [
        (
            "Dockerfile:14:1: PDH621 shell-form CMD runs under `/bin/sh -c`, which "
            "stays PID 1 and does not pass `docker stop`'s SIGTERM on; use exec "
            'form: `CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", '
            '"8000"]` (fixed)'
        ),
        "Fixing Dockerfile",
    ],
    "expose-port": [
        (
            "Dockerfile:14:1: PDH601 `uvicorn` listens on port 8000, which the image "
            "does not declare: add `EXPOSE 8000` (fixed)"
        ),
        "Fixing Dockerfile",
    ],
    "requirements-before-source": [
        (
            "Dockerfile:9:1: PDH611 `COPY . .` comes before `pip install` (line 10): "
            "every source change re-runs the dependency install; copy the "
            "dependency files first, install, then copy the rest"
        ),
    ],
    "env-key-value": [
        (
            'Dockerfile:5:5: PDH401 legacy "ENV APP_HOME value" format; '
            'use "ENV APP_HOME=value" (fixed)'
        ),
        "Fixing Dockerfile",
    ],
    "no-alpine-python": [
        (
            "Dockerfile:1:1: PDH201 `python:3.12-alpine` is Alpine (musl): PyPI's "
            "manylinux wheels do not install, so packages compile from source "
            "(slow builds, bigger images); use `python:3.12-slim`"
        ),
    ],
    "pip-no-cache-dir": [
        (
            "Dockerfile:9:9: PDH101 `pip install` without `--no-cache-dir` leaves "
            "the package cache in the image (fixed)"
        ),
        "Fixing Dockerfile",
        (
            "app.dockerfile:2:9: PDH101 `pip install` without `--no-cache-dir` leaves "
            "the package cache in the image (fixed)"
        ),
        "Fixing app.dockerfile",
    ],
    "python-env-vars": [
        (
            "Dockerfile:1:1: PDH301 final Python stage does not set "
            "PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)"
        ),
        "Fixing Dockerfile",
        (
            "app.dockerfile:1:1: PDH301 final Python stage does not set "
            "PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)"
        ),
        "Fixing app.dockerfile",
    ],
}

# Every hook in one process: per file, the fixed findings in position order
# (positions in the file as it was), then what is left, then the fix.
AGGREGATE_RUN = [
    ("Dockerfile:1:1: PDH301 final Python stage does not set "
    "PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)"),
    ('Dockerfile:5:5: PDH401 legacy "ENV APP_HOME value" format; '
    'use "ENV APP_HOME=value" (fixed)'),
    ("Dockerfile:9:9: PDH101 `pip install` without `--no-cache-dir` leaves "
    "the package cache in the image (fixed)"),
    ("Dockerfile:14:1: PDH601 `uvicorn` listens on port 8000, which the image "
    "does not declare: add `EXPOSE 8000` (fixed)"),
    ("Dockerfile:14:1: PDH621 shell-form CMD runs under `/bin/sh -c`, which "
    "stays PID 1 and does not pass `docker stop`'s SIGTERM on; use exec "
    'form: `CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", '
    '"8000"]` (fixed)'),
    # What is left, positioned in the fixed file.
    ("Dockerfile:1:1: PDH201 `python:3.12-alpine` is Alpine (musl): PyPI's "
    "manylinux wheels do not install, so packages compile from source "
    "(slow builds, bigger images); use `python:3.12-slim`"),
    ("Dockerfile:9:1: PDH611 `COPY . .` comes before `pip install` (line 10): "
    "every source change re-runs the dependency install; copy the "
    "dependency files first, install, then copy the rest"),
    "Fixing Dockerfile",
    ("app.dockerfile:1:1: PDH301 final Python stage does not set "
    "PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED (fixed)"),
    ("app.dockerfile:2:9: PDH101 `pip install` without `--no-cache-dir` leaves "
    "the package cache in the image (fixed)"),
    "Fixing app.dockerfile",
]

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
    for name, data in UNSELECTED.items():
        (target / name).write_bytes(data)
    git(target, env, "init", "-q")
    git(target, env, "add", "-A")
    return target


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
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
    assert report.lines == AGGREGATE_RUN, aggregate_run.output


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
