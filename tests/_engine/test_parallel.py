"""``check`` over many files on several workers says and does exactly what one
process does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clirun import CLEAN, FLAWED, cli

from python_docker_hooks._engine import parallel
from python_docker_hooks._engine.registry import all_specs
from python_docker_hooks._engine.vocabulary import DOCKERFILE

# Workers run only hooks that read nothing but the Dockerfile they are given.
DOCKERFILE_ONLY = ",".join(
    s.id for s in all_specs() if s.kinds == (DOCKERFILE,) and s.model_kind == DOCKERFILE
)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")

VARIANTS = [
    FLAWED,
    CLEAN,
    FLAWED.replace("\n", "\r\n"),
    "\ufeff" + FLAWED,
    "FROM python:3.12-slim\nRUN pip install x",
    "# python-docker-hooks: ignore=PDH999\n" + CLEAN,
    "FROM python:3.12-slim\nENV A\n",
    "RUN pip install x\n",
]


def tree(root: Path, count: int = 60) -> None:
    for i in range(count):
        directory = root / f"d{i % 7}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{i}.Dockerfile").write_text(
            VARIANTS[i % len(VARIANTS)], encoding="utf-8", newline=""
        )
    (root / "d0" / "bad.Dockerfile").write_bytes(b"FROM python:3.12-slim\n\xff\n")


def spy_jobs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of processes each run that shares out its files asks for."""
    used: list[int] = []
    real = parallel.check_parallel

    def spy(files: list[str], specs: object, options: object, jobs: int) -> object:
        used.append(jobs)
        return real(files, specs, options, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "check_parallel", spy)
    return used


def run_with(
    jobs: str,
    capsys: pytest.CaptureFixture[str],
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
) -> tuple[int, str, str]:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, jobs)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    run = cli(capsys, root, "check", "--select", DOCKERFILE_ONLY, *argv)
    return run.code, run.out, run.err


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_workers_report_as_one_process(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path)
    serial = run_with("1", capsys, tmp_path, monkeypatch, "--no-fix", "--format", fmt, ".")
    used = spy_jobs(monkeypatch)
    workers = run_with("3", capsys, tmp_path, monkeypatch, "--no-fix", "--format", fmt, ".")
    assert used == [3]
    assert workers == serial
    assert serial[0] == 1 and serial[1]


def test_workers_fix_as_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, many = tmp_path / "one", tmp_path / "many"
    tree(one)
    tree(many)
    serial = run_with("1", capsys, one, monkeypatch, "--fix", ".")
    workers = run_with("4", capsys, many, monkeypatch, "--fix", ".")
    assert workers == serial
    assert "Fixing " in serial[1]
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(many) for p in many.rglob("*") if p.is_file())
    for name in files:
        assert (many / name).read_bytes() == (one / name).read_bytes(), name


def test_a_failed_worker_s_files_are_checked_by_the_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path)
    serial = run_with("1", capsys, tmp_path, monkeypatch, "--no-fix", ".")

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("cannot send")

    # Forked workers inherit the patch; the parent never calls it.
    import pickle

    monkeypatch.setattr(pickle, "dumps", broken)
    from python_docker_hooks._engine import group, plan

    slices: list[int] = []
    real = parallel.check_groups

    def spy(
        planned: plan.Plan, groups: list[list[plan.Unit]], ahead: group.ReadAhead
    ) -> object:
        slices.append(sum(len(g) for g in groups))
        return real(planned, groups, ahead)

    monkeypatch.setattr(parallel, "check_groups", spy)
    workers = run_with("2", capsys, tmp_path, monkeypatch, "--no-fix", ".")
    assert workers == serial
    # The parent's share, then the failed worker's: all 61 files, in the parent.
    assert sum(slices) == 61


def test_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = []
    for i in range(100):
        path = tmp_path / f"{i}.Dockerfile"
        path.write_text(CLEAN)
        files.append(str(path))
    monkeypatch.delenv(parallel.JOBS_VARIABLE, raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: 4)
    monkeypatch.setattr(parallel, "_runnable", lambda: 0)
    assert parallel.jobs_for(files) == 4
    # Only CPUs that other runnable tasks leave idle get a worker.
    monkeypatch.setattr(parallel, "_runnable", lambda: 2)
    assert parallel.jobs_for(files) == 2
    monkeypatch.setattr(parallel, "_runnable", lambda: 3)
    assert parallel.jobs_for(files) == 1
    # Where there is no instant count, the load average, rounded.
    monkeypatch.setattr(parallel, "_runnable", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.6, 0.0, 0.0))
    assert parallel.jobs_for(files) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.0, 0.0))
    assert parallel.jobs_for(files) == 4
    monkeypatch.setattr(parallel, "_runnable", lambda: 0)
    assert parallel.jobs_for(files[:47]) == 1  # fewer than 24 files per worker
    assert parallel.jobs_for(files[:48]) == 2
    # pre-commit runs one hook process per CPU already.
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert parallel.jobs_for(files) == 1
    monkeypatch.delenv("PRE_COMMIT")
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "3")
    assert parallel.jobs_for(files[:5]) == 3
    # Only ASCII digits force a count (str.isdigit also takes `²`, which int()
    # refuses; int() reads no more than 4,300 digits): anything else is as unset.
    for value in ("\u00b2", "9" * 5000, "0", "-2"):
        monkeypatch.setenv(parallel.JOBS_VARIABLE, value)
        assert parallel.jobs_for(files) == 4, value
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "3")
    # Hooks that check the ignore file a Dockerfile leads to run in workers too:
    # the plan keeps each ignore file in one group with the Dockerfiles it serves.
    assert parallel.jobs_for(files, all_specs()) == 3
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    assert parallel.jobs_for(files) == 1


def test_one_file_under_two_names_is_checked_in_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two processes would otherwise fix the same file at once.
    from python_docker_hooks._engine.group import read_dockerfile
    from python_docker_hooks._engine.plan import plan
    from python_docker_hooks._engine.runner import Options

    tree(tmp_path)
    names = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.Dockerfile"))
    twice = [*names, os.path.join(".", names[0])]
    serial = run_with("1", capsys, tmp_path, monkeypatch, "--no-fix", *twice)
    assert run_with("2", capsys, tmp_path, monkeypatch, "--no-fix", *twice) == serial
    monkeypatch.chdir(tmp_path)
    # The hooks planned without a resolver: one unit per name given.
    specs = [
        s
        for s in all_specs()
        if s.kinds == (DOCKERFILE,) and s.model_kind == DOCKERFILE and not s.reads_contexts
    ]
    groups = plan(twice, specs, Options(fix=False), read_dockerfile).groups
    stats = {u.key: parallel._stat(u.path) for g in groups for u in g}
    last = len(groups) - 1
    apart = [list(range(last)), [last]]
    together = [[0, last], list(range(1, last))]
    assert parallel._shared(groups, apart, stats)
    assert not parallel._shared(groups, together, stats)


def context_tree(root: Path, count: int = 60) -> None:
    """Dockerfiles in directories, most with a .dockerignore, some shared by
    several Dockerfiles (and one per-Dockerfile ignore file)."""
    for i in range(count):
        directory = root / f"d{i % 9}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{i}.Dockerfile").write_text(
            VARIANTS[i % len(VARIANTS)] + "COPY x.pyc . /app/\n", encoding="utf-8", newline=""
        )
    for i in range(9):
        (root / f"d{i}" / "x.pyc").write_bytes(b"")
        if i % 3:
            (root / f"d{i}" / ".dockerignore").write_text(".git\n" if i % 2 else "*.pyc\n")
    (root / "d0" / "0.Dockerfile.dockerignore").write_text("!.env\n")
    (root / "d0" / "bad.Dockerfile").write_bytes(b"FROM python:3.12-slim\n\xff\n")


@pytest.mark.parametrize("fix", [False, True])
def test_workers_with_context_hooks_do_what_one_process_does(
    fix: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, many = tmp_path / "one", tmp_path / "many"
    context_tree(one)
    context_tree(many)
    argv = ["--fix"] if fix else ["--no-fix"]
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    serial = cli(capsys, one, "check", *argv, ".", every_hook=True)
    used = spy_jobs(monkeypatch)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "3")
    workers = cli(capsys, many, "check", *argv, ".", every_hook=True)
    assert used == [3]
    assert (workers.code, workers.out, workers.err) == (serial.code, serial.out, serial.err)
    assert "PDH90" in serial.out and "PDH911" in serial.out
    if fix:
        assert "Fixing " in serial.out
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(many) for p in many.rglob("*") if p.is_file())
    for name in files:
        assert (many / name).read_bytes() == (one / name).read_bytes(), name


@pytest.mark.skipif(not os.path.isfile("/proc/loadavg"), reason="no /proc/loadavg here")
def test_runnable_tasks_are_read_from_proc_loadavg() -> None:
    # proc(5): the fourth field is runnable/existing scheduling entities, and
    # this process is running while it reads it.
    with open("/proc/loadavg", "rb") as f:
        existing = int(f.read().split()[3].split(b"/")[1])
    runnable = parallel._runnable()
    assert runnable is not None and 0 <= runnable < existing
    assert 1 <= parallel._usable_cpus() <= (os.cpu_count() or 1)


def test_groups_are_dealt_to_the_least_loaded_process() -> None:
    from python_docker_hooks._engine.plan import Unit

    groups: list[list[Unit]] = []
    weights: dict[str, float] = {}
    for g, sizes in enumerate([(40_000,), (1_000, 1_000), (1_000,), (39_000,), (2_000,) * 3]):
        group = [Unit(f"/g{g}-{i}", "x", None) for i in range(len(sizes))]
        groups.append(group)
        for unit, size in zip(group, sizes):
            weights[unit.key] = float(parallel.FILE_COST + size)
    # Loads (parent's counted 1/0.85 heavier): 43k to the parent; 8k, 4k to the
    # worker; 42k to the worker (12k against 50.6k); 15k to the parent's 50.6k?
    # no: the worker's 54k against the parent's 50.6k, so the parent.
    assert parallel._deal(groups, 2, weights) == [[0, 4], [1, 2, 3]]
    assert parallel._deal(groups, 1, weights) == [[0, 1, 2, 3, 4]]
    # More processes than groups: each has one group at most.
    assert sorted(i for share in parallel._deal(groups, 9, weights) for i in share) == [0, 1, 2, 3, 4]
    assert parallel._deal([], 2, weights) == [[]]
