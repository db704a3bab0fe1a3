"""How fast python-docker-hooks is, against the field, on the real-world corpus.

Run: ``pip install -e '.[bench]' && python benchmarks/bench.py`` (``--runs N``,
``--quick`` for fewer, ``--profile`` to add where the aggregate's time goes,
``--write benchmarks/RESULTS.md`` to keep the report).

Our commands are timed as users get them: the script first installs this working
tree into a new virtual environment with a plain ``pip install`` (an editable
install adds an import hook to every interpreter start, ``python -c pass``
included, that no user has), and ``python -c pass`` is that environment's Python.
``--current`` times the commands of the running environment instead.

Every measurement starts a fresh process, as pre-commit does. The commands of one
comparison run alternately (A B C, A B C, ...) so that a change in the machine's
load hits all of them alike; each figure is the median of the runs, with its
spread (min-max). Byte-code caching is on (as in an installed package) and warmed
up before timing.

Peak RSS is a process's maximum resident set size (``ru_maxrss`` of its
``rusage``, what ``resource.getrusage(RUSAGE_CHILDREN)`` sums up over children),
taken in a separate run of each command through GNU time (``/usr/bin/time -f %M``).
Read directly from a child of this script it is wrong: the child is forked from
this process and ``ru_maxrss`` keeps the parent's resident size it started with,
across ``exec``; GNU time's own child is forked from a process of about 2 MB.
Without GNU time, the figure is that upper bound, and says so.

Measured:

1. ``python-docker-hooks check --no-fix`` over every Dockerfile of the corpus (with
   its workers, one per CPU, as users get it; and with ``PYTHON_DOCKER_HOOKS_JOBS=1``,
   in one process), against ``dockerfile-doctor`` and ``hadolint`` over the same
   files, and against running each per-concern hook over them one after another;
2. one hook on one small Dockerfile against ``python -c pass``, and the aggregate
   against the per-concern hooks one after another on that file and against
   importing, and doing nothing else, ``re`` and every module its run loads;
3. scaling, in one process: one Dockerfile repeated 1, 10 and 100 times in one
   file, and 1, 10 and 100 copies of it (the cost per unit from the fastest runs);
4. the repository around a file: every hook on one Dockerfile (with its ignore
   file and a compose file) in a git repository of 10 tracked files, and in one
   of 100,000 (in 1,000 directories), both built here in a temporary directory;
5. where valgrind is installed, the instructions each one-file command of 2.
   executes (cachegrind's ``I refs``: the same on every run, whatever the
   machine's load), beside those of ``python -c pass``, of ``import re`` (which
   the console script pip writes runs before our code) and of importing, and
   nothing else, every module the aggregate's run loads (with the cyclic
   garbage collector off and frozen at the end, as a run has it).

Budgets: all rules over the corpus within 1.0x dockerfile-doctor's wall time
(aim 0.5x) and at least 20x faster than hadolint; one hook, and the aggregate
(every hook), on one file within 2.5x ``python -c pass``; peak RSS at most 30 MB; time linear in size and count;
one Dockerfile in a repository of 100,000 tracked files at most 1.5x the same
check in a repository of 10 (``--repository`` runs only that part).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent

SMALL = """\
FROM python:3.12-slim
LABEL maintainer="team@example.com"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY requirements.txt .
RUN python -m pip install --no-cache-dir -r requirements.txt
WORKDIR /app
COPY . /app
RUN adduser -u 5678 --disabled-password --gecos "" appuser && chown -R appuser /app
USER appuser
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""

# A file with something for every hook to find and fix, for the scaling runs
# (about 2 KiB, so that 10 more of it is well above the noise).
FLAWED = """\
# syntax=docker/dockerfile:1
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-alpine AS build
LABEL maintainer "team@example.com"
ENV APP_HOME /app
WORKDIR $APP_HOME
RUN apk add --no-cache gcc musl-dev libffi-dev openssl-dev \\
    && python -m pip install --upgrade pip setuptools wheel
COPY requirements.txt .
# Wheels for the runtime stage.
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt \\
    && pip install --upgrade -r requirements.txt
RUN ["pip", "install", "gunicorn"]
RUN uv pip install --system httpx
COPY . .
RUN python -m compileall -q /app

FROM python:${PYTHON_VERSION}-slim
ENV DEBUG=0
ENV PATH /opt/venv/bin:$PATH
LABEL version="1.0"
LABEL description "the service"
COPY --from=build /wheels /wheels
RUN pip install /wheels/* \\
    && rm -rf /wheels \\
    && adduser -u 5678 --disabled-password --gecos "" appuser
RUN set -eux; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends curl ca-certificates; \\
    rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
WORKDIR /app
USER appuser
EXPOSE 8000
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8000/health || exit 1
ENTRYPOINT ["gunicorn"]
CMD ["--bind", "0.0.0.0:8000", "app.main:app"]
"""

BUDGET_DOCTOR = 1.0
BUDGET_HADOLINT = 20.0
BUDGET_STARTUP = 2.5
BUDGET_RSS_MB = 30.0
BUDGET_REPOSITORY = 1.5


class Sample:
    __slots__ = ("seconds", "rss_kb", "status")

    def __init__(self, seconds: float, rss_kb: int, status: int) -> None:
        self.seconds = seconds
        self.rss_kb = rss_kb
        self.status = status


def run_once(argv: list[str], env: dict[str, str], cwd: str | None = None) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(elapsed, usage.ru_maxrss, proc.returncode)


GNU_TIME = "/usr/bin/time"


def gnu_time() -> bool:
    try:
        proc = subprocess.run(
            [GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True, check=False
        )
    except OSError:
        return False
    return proc.returncode == 0 and proc.stderr.strip().isdigit()


def peak_rss_kb(argv: list[str], env: dict[str, str], cwd: str | None) -> int:
    """The command's own peak RSS in KiB (see the module doc)."""
    if not gnu_time():
        return run_once(argv, env, cwd).rss_kb
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        run_once([GNU_TIME, "-f", "%M", "-o", out.name, *argv], env, cwd)
        return int(out.read().strip().splitlines()[-1])


class Timing:
    """The samples of one command (or a sequence of commands run one after another)."""

    __slots__ = ("label", "commands", "samples", "peak_kb", "extra_env")

    def __init__(
        self,
        label: str,
        commands: list[list[str]],
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.label = label
        self.commands = commands
        self.samples: list[tuple[float, int]] = []
        self.peak_kb = 0
        self.extra_env = extra_env or {}

    def measure_rss(self, env: dict[str, str], cwd: str | None = None) -> None:
        env = {**env, **self.extra_env}
        self.peak_kb = max(peak_rss_kb(argv, env, cwd) for argv in self.commands)

    def run(self, env: dict[str, str], cwd: str | None = None) -> None:
        env = {**env, **self.extra_env}
        total = 0.0
        peak = 0
        for argv in self.commands:
            sample = run_once(argv, env, cwd)
            if sample.status not in (0, 1):
                raise SystemExit(
                    f"{' '.join(argv[:3])} ... exited with {sample.status}: "
                    "it did not run as expected"
                )
            total += sample.seconds
            peak = max(peak, sample.rss_kb)
        self.samples.append((total, peak))

    @property
    def median_ms(self) -> float:
        return statistics.median(s for s, _ in self.samples) * 1000

    @property
    def min_ms(self) -> float:
        return min(s for s, _ in self.samples) * 1000

    @property
    def spread(self) -> str:
        times = [s * 1000 for s, _ in self.samples]
        return f"{min(times):.0f}-{max(times):.0f}"

    @property
    def rss_mb(self) -> float:
        return self.peak_kb / 1024


# Our command in one process (no workers).
ONE_PROCESS = {"PYTHON_DOCKER_HOOKS_JOBS": "1"}


def checked_all(argv: list[str], env: dict[str, str], cwd: str | None = None) -> None:
    """Our command reads every file it is given (none refused), or the figures
    would time something else."""
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    last = proc.stdout.strip().splitlines()[-1:] or [""]
    if proc.returncode not in (0, 1) or "could not be checked" in last[0]:
        raise SystemExit(f"{' '.join(argv[:4])} ...: {last[0] or proc.stderr.strip()}")


def alternate(
    timings: list[Timing], runs: int, env: dict[str, str], cwd: str | None = None
) -> None:
    for t in timings:  # warm caches (byte code, the files' pages)
        t.run(env, cwd)
        t.samples.clear()
    for _ in range(runs):
        for t in timings:
            t.run(env, cwd)
    for t in timings:
        t.measure_rss(env, cwd)


def corpus_files() -> list[str]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        raise SystemExit(f"the corpus is not at {CORPUS} (../shared/corpus)")
    files = []
    for row in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 5 and cols[4] == "dockerfile":
            files.append(str(CORPUS / cols[0]))
    return files


def tool(name: str, bin_dir: Path = BIN) -> str | None:
    found = bin_dir / name
    if found.is_file():
        return str(found)
    return shutil.which(name)


def version(argv: list[str]) -> str:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "?"
    text = (proc.stdout or proc.stderr).strip().splitlines()
    return text[0] if text else "?"


def distribution(name: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return f"{name} {installed(name)} (PyPI)"
    except PackageNotFoundError:
        return f"{name} (version unknown)"


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB memory"
    except OSError:
        pass
    load = ""
    busy = []
    if hasattr(os, "getloadavg"):
        one, five, fifteen = os.getloadavg()
        load = f"; load average {one:.2f} {five:.2f} {fifteen:.2f} at the start"
        if one >= 0.5 * (os.cpu_count() or 1):
            busy = [
                ("- note: other work kept the machine busy (a load average of half "
                "its CPUs or more), so the figures are noisy: compare them only with "
                "each other, and re-run on a quiet machine")
            ]
    return [
        f"- machine: {cpu}, {os.cpu_count()} logical CPUs{memory}{load}",
        f"- system: {platform.platform()}",
        (f"- Python: {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable})"),
        *busy,
    ]


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def verdict(ok: bool) -> str:
    return "within budget" if ok else "MISSES the budget"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="timed runs per command")
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a try")
    parser.add_argument("--write", metavar="PATH", help="also write the report here")
    parser.add_argument(
        "--current",
        action="store_true",
        help="time the commands of this environment (no fresh install)",
    )
    parser.add_argument(
        "--repository",
        action="store_true",
        help="time only the check of one Dockerfile in a small and a large repository",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the aggregate: imports on one file (-X importtime) "
        "and functions over the corpus (cProfile)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.current:
            return measure(args, BIN, "the running environment")
        venv = Path(tmp) / "venv"
        print(f"installing {ROOT} into {venv} ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
             "--disable-pip-version-check", str(ROOT)],
            check=True,
        )
        return measure(args, venv / "bin", "a fresh virtual environment (pip install .)")


REPO_DOCKERFILE = """\
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN python -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER nobody
CMD ["python", "-m", "app"]
"""


def make_repository(directory: str, files: int) -> str:
    """A git repository at ``directory`` with ``files`` tracked files (a
    Dockerfile, its ignore file and a compose file among them); returns the
    Dockerfile's path."""
    os.makedirs(directory)
    git = ["git", "-C", directory, "-c", "user.name=b", "-c", "user.email=b@b"]
    subprocess.run(["git", "init", "-q", directory], check=True)
    fixed = {
        "Dockerfile": REPO_DOCKERFILE,
        ".dockerignore": ".git\n**/__pycache__\n**/*venv\n**/.env\n",
        "compose.yaml": "services:\n  app:\n    build: .\n",
        "requirements.txt": "flask\n",
    }
    for name, text in fixed.items():
        Path(directory, name).write_text(text, encoding="utf-8")
    rest = files - len(fixed)
    per_directory = max(1, min(100, rest))
    for i in range(rest):
        sub = os.path.join(directory, "pkg", f"d{i // per_directory}")
        if i % per_directory == 0:
            os.makedirs(sub)
        Path(sub, f"m{i}.py").write_text("", encoding="utf-8")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "tree"], check=True)
    return os.path.join(directory, "Dockerfile")


def repository_scaling(ours: str, env: dict[str, str], runs: int, tmp: str) -> list[str]:
    """Lines of the report: one Dockerfile in a repository of 10 and of 100,000
    tracked files."""
    timings = []
    for files in (10, 100_000):
        print(f"building a git repository of {files} files ...", file=sys.stderr, flush=True)
        dockerfile = make_repository(os.path.join(tmp, f"repo{files}"), files)
        timings.append(
            Timing(f"one Dockerfile in a repository of {files:,} tracked files",
                   [[ours, "check", "--no-fix", dockerfile]], ONE_PROCESS)
        )
    for t in timings:
        checked_all(t.commands[0], env, tmp)
    alternate(timings, runs, env, tmp)
    small, large = timings
    # Medians, as the other ratios of the report: the two commands run in
    # turn, and the fastest of ten runs of a 100 ms command is one lucky run.
    ratio = large.median_ms / small.median_ms
    rows = [(t.label, f"{t.median_ms:.1f}", t.spread, f"{t.rss_mb:.1f}") for t in timings]
    return [
        "## The repository around one Dockerfile", "",
        "Every hook on one Dockerfile whose context is its repository's root (with its",
        "ignore file and a compose file that builds it), in one process.", "",
        *table(rows, ("python-docker-hooks check --no-fix", "median ms", "min-max",
                      "peak RSS MB")),
        "",
        (f"- 100,000 files / 10 files (medians): {ratio:.2f}x "
         f"(budget {BUDGET_REPOSITORY:.1f}x): {verdict(ratio <= BUDGET_REPOSITORY)}"),
        "",
    ]


def measure(args: argparse.Namespace, bin_dir: Path, where: str) -> int:
    corpus_runs = args.runs or (3 if args.quick else 10)
    startup_runs = args.runs or (10 if args.quick else 40)
    if args.repository:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHON_DOCKER_HOOKS_JOBS", "PRE_COMMIT")}
        env["NO_COLOR"] = "1"
        sys.path.insert(0, str(ROOT))
        from python_docker_hooks._engine.registry import AGGREGATE

        ours = tool(AGGREGATE, bin_dir)
        if ours is None:
            raise SystemExit(f"{AGGREGATE} is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            lines = repository_scaling(ours, env, corpus_runs, tmp)
        print("\n".join(lines))
        return 0

    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHON_DOCKER_HOOKS_JOBS", "PRE_COMMIT"):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    sys.path.insert(0, str(ROOT))
    from python_docker_hooks._engine.registry import AGGREGATE, HOOKS

    ours = tool(AGGREGATE, bin_dir)
    python = str(bin_dir / "python")
    doctor = tool("dockerfile-doctor")
    hadolint = tool("hadolint")
    if ours is None:
        raise SystemExit(f"{AGGREGATE} is not installed: pip install -e '.[bench]'")
    hook_scripts = [tool(h, bin_dir) or h for h in HOOKS]
    files = corpus_files()
    out: list[str] = ["# Benchmark results", ""]
    out.append(f"`python benchmarks/bench.py` ({corpus_runs} runs on the corpus, "
               f"{startup_runs} on one file; median, min-max in ms).")
    out.append("")
    out += machine()
    if not gnu_time():
        out.append("- peak RSS: GNU time is missing, so each figure is an upper bound "
                   "(this script's own size when it started the command)")
    out.append(f"- python-docker-hooks: {version([ours, '--version'])}, installed in {where}")
    out.append("- dockerfile-doctor: " + (distribution("dockerfile-doctor") if doctor
                                           else "not installed"))
    out.append("- hadolint: " + (version([hadolint, "--version"]) if hadolint else "not installed"))
    out.append(f"- corpus: {len(files)} Dockerfiles, "
               f"{sum(os.path.getsize(f) for f in files) / 1024:.0f} KiB")
    out.append("")
    print("\n".join(out), flush=True)
    report: list[str] = []

    def emit(lines: list[str]) -> None:
        print("\n".join(lines), flush=True)
        report.extend(lines)

    # 1. The corpus, against the field.
    check = Timing("python-docker-hooks check --no-fix", [[ours, "check", "--no-fix", *files]])
    one_process = Timing(
        "python-docker-hooks check --no-fix, one process (PYTHON_DOCKER_HOOKS_JOBS=1)",
        [[ours, "check", "--no-fix", *files]],
        {"PYTHON_DOCKER_HOOKS_JOBS": "1"},
    )
    timings = [check, one_process]
    doctor_t = hadolint_t = None
    if doctor:
        doctor_t = Timing("dockerfile-doctor", [[doctor, *files]])
        timings.append(doctor_t)
    if hadolint:
        hadolint_t = Timing("hadolint", [[hadolint, "--no-fail", *files]])
        timings.append(hadolint_t)
    each = Timing(
        f"the {len(HOOKS)} per-concern hooks, one after another",
        [[script, "--no-fix", *files] for script in hook_scripts],
    )
    timings.append(each)
    alternate(timings, corpus_runs, env)
    rows = [(t.label, f"{t.median_ms:.0f}", t.spread, f"{t.rss_mb:.1f}") for t in timings]
    emit(["## All rules over the corpus", ""])
    emit(table(rows, ("command", "median ms", "min-max", "peak RSS MB")))
    emit([""])
    lines = []
    if doctor_t:
        ratio = check.median_ms / doctor_t.median_ms
        lines.append(
            f"- python-docker-hooks / dockerfile-doctor: {ratio:.2f}x "
            f"(budget {BUDGET_DOCTOR:.1f}x, aim 0.5x): {verdict(ratio <= BUDGET_DOCTOR)}"
        )
        lines.append(
            f"- the same in one process / dockerfile-doctor: "
            f"{one_process.median_ms / doctor_t.median_ms:.2f}x"
        )
        lines.append(
            f"- per-concern hooks one after another / dockerfile-doctor: "
            f"{each.median_ms / doctor_t.median_ms:.2f}x"
        )
    if hadolint_t:
        speedup = hadolint_t.median_ms / check.median_ms
        lines.append(
            f"- hadolint / python-docker-hooks: {speedup:.1f}x faster "
            f"(budget {BUDGET_HADOLINT:.0f}x): {verdict(speedup >= BUDGET_HADOLINT)}"
        )
    lines.append(
        f"- aggregate / per-concern hooks one after another: "
        f"{check.median_ms / each.median_ms:.2f}x"
    )
    emit([*lines, ""])

    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "Dockerfile")
        Path(small).write_text(SMALL, encoding="utf-8")
        # 2. Start-up: one small file.
        bare = Timing("python -c pass", [[python, "-c", "pass"]])
        loaded = aggregate_modules(python, small, env, tmp)
        imports = Timing(
            f"import re and the {len(loaded)} modules the aggregate loads, nothing else",
            [imports_only(python, loaded)],
        )
        single = [Timing(f"{h} --no-fix", [[s, "--no-fix", small]])
                  for h, s in zip(HOOKS, hook_scripts)]
        agg = Timing("python-docker-hooks check --no-fix", [[ours, "check", "--no-fix", small]])
        seq = Timing(
            f"the {len(HOOKS)} per-concern hooks, one after another",
            [[s, "--no-fix", small] for s in hook_scripts],
        )
        small_timings = [bare, *single, agg, imports, seq]
        alternate(small_timings, startup_runs, env, tmp)
        base = bare.median_ms
        rows = [
            (t.label, f"{t.median_ms:.1f}", t.spread, f"{t.median_ms / base:.2f}x",
             f"{t.rss_mb:.1f}")
            for t in small_timings
        ]
        emit(["## One small Dockerfile", ""])
        emit(table(rows, ("command", "median ms", "min-max", "/ python -c pass",
                          "peak RSS MB")))
        worst = max(t.median_ms / base for t in single)
        whole = agg.median_ms / base
        emit([
            "",
            (f"- slowest single hook / python -c pass: {worst:.2f}x "
            f"(budget {BUDGET_STARTUP:.1f}x): {verdict(worst <= BUDGET_STARTUP)}"),
            (f"- aggregate (every hook) / python -c pass: {whole:.2f}x "
            f"(budget {BUDGET_STARTUP:.1f}x): {verdict(whole <= BUDGET_STARTUP)}"),
            (f"- aggregate / per-concern hooks one after another: "
            f"{agg.median_ms / seq.median_ms:.2f}x"),
            (f"- importing what the aggregate loads, and nothing else / python -c pass: "
             f"{imports.median_ms / base:.2f}x"),
            "",
        ])

        # 3. Scaling in size and in number of files.
        size_timings = []
        for n in (1, 10, 100):
            # Each in a directory of its own, as a project has it: a Dockerfile
            # beside the others would have them read too, to know which of them
            # the directory's ignore file serves.
            os.mkdir(os.path.join(tmp, f"size{n}"))
            path = os.path.join(tmp, f"size{n}", "Dockerfile")
            Path(path).write_text(FLAWED * n, encoding="utf-8")
            size_timings.append(
                Timing(f"1 file, {n}x ({len(FLAWED) * n / 1024:.1f} KiB)",
                       [[ours, "check", "--no-fix", path]], ONE_PROCESS)
            )
        count_timings = []
        for n in (1, 10, 100):
            directory = os.path.join(tmp, f"files{n}")
            os.mkdir(directory)
            paths = []
            for i in range(n):
                p = os.path.join(directory, f"{i}.Dockerfile")
                Path(p).write_text(FLAWED, encoding="utf-8")
                paths.append(p)
            count_timings.append(
                Timing(f"{n} file{'' if n == 1 else 's'}",
                       [[ours, "check", "--no-fix", *paths]], ONE_PROCESS)
            )
        for t in size_timings + count_timings:
            checked_all(t.commands[0], env, tmp)
        alternate(size_timings + count_timings, corpus_runs, env, tmp)
        emit(["## Scaling (one process)", "",
              "With `PYTHON_DOCKER_HOOKS_JOBS=1`, so that 100 files are not shared out",
              "among processes while 10 are not. The cost per unit is taken from the",
              "fastest run of each (noise on a shared machine only adds time).", ""])
        rows = []
        for group in (size_timings, count_timings):
            first = group[0].median_ms
            for t in group:
                rows.append((t.label, f"{t.median_ms:.1f}", t.spread,
                             f"{t.median_ms - first:.1f}", f"{t.rss_mb:.1f}"))
        emit(table(rows, ("python-docker-hooks check --no-fix on", "median ms",
                          "min-max", "ms above the 1x / 1 file run", "peak RSS MB")))
        lines = [""]
        for name, unit, group in (
            ("size", "copy of the file's text", size_timings),
            ("file count", "file", count_timings),
        ):
            t1, t10, t100 = (t.min_ms for t in group)
            # Linear: each unit costs the same, from 1 to 10 units as from 10 to
            # 100. A quadratic cost would make the second ten times the first;
            # noise on the small first step allows up to twice.
            low = (t10 - t1) / 9
            high = (t100 - t10) / 90
            linear = high <= 2 * low + 0.05
            lines.append(
                f"- {name}: {low:.2f} ms per {unit} from 1 to 10, {high:.2f} ms from "
                f"10 to 100: {'linear' if linear else 'NOT linear'}"
            )
        emit(lines)

        # 4. The repository around one file.
        repo_lines = repository_scaling(ours, env, corpus_runs, tmp)
        emit(repo_lines)


    # 5. Instructions, where valgrind is installed: the small file alone in a
    # directory of its own, as in 2.
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "Dockerfile")
        Path(small).write_text(SMALL, encoding="utf-8")
        emit(instructions(python, ours, list(zip(HOOKS, hook_scripts)), small, env, tmp))

    ours_timings = [check, one_process, each, *single, agg, seq, *size_timings, *count_timings]
    rss = max(t.rss_mb for t in ours_timings)
    emit(["", (f"- peak RSS of our commands: {rss:.1f} MB "
               f"(budget {BUDGET_RSS_MB:.0f} MB): {verdict(rss <= BUDGET_RSS_MB)}"), ""])
    if args.profile:
        emit(profile(python, files, env))
    if args.write:
        Path(args.write).write_text("\n".join(out + report), encoding="utf-8")
    return 0


def aggregate_modules(python: str, small: str, env: dict[str, str], cwd: str) -> list[str]:
    """The modules the aggregate's run on ``small`` loads after ``import re``,
    in the order it loads them."""
    listing = subprocess.run(
        [python, "-c", (
            "import re, sys\n"
            "before = set(sys.modules)\n"
            "from python_docker_hooks._cli import main\n"
            f"main(['check', '--no-fix', {small!r}])\n"
            "print(' '.join(m for m in sys.modules if m not in before), file=sys.stderr)"
        )],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, check=False,
    )
    return listing.stderr.split()


def imports_only(python: str, loaded: list[str]) -> list[str]:
    """A command that imports ``re`` and ``loaded`` and does nothing else, with
    the cyclic garbage collector off and frozen at the end, as a run has it."""
    return [python, "-c", "\n".join(
        ["import re", "import gc", "gc.disable()", *(f"import {m}" for m in loaded),
         "gc.freeze()"])]


def instruction_count(argv: list[str], env: dict[str, str], cwd: str) -> int:
    """The instructions ``argv`` executes, start to exit (cachegrind's ``I refs``)."""
    proc = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no",
         "--cachegrind-out-file=/dev/null", *argv],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, check=False,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count for {argv}:\n{proc.stderr}")
    return int(found.group(1).replace(",", ""))


def instructions(
    python: str, ours: str, hooks: list[tuple[str, str]], small: str,
    env: dict[str, str], cwd: str,
) -> list[str]:
    """The instructions of the one-file commands, and of what they are made of:
    the interpreter, the ``import re`` of pip's console script, and importing
    every module the aggregate's run loads (in the order it loads them)."""
    lines = ["## Instructions on one small Dockerfile", ""]
    if shutil.which("valgrind") is None:
        return lines + ["valgrind is not installed: not measured.", ""]
    loaded = aggregate_modules(python, small, env, cwd)
    ours_loaded = [m for m in loaded if m.split(".")[0] == "python_docker_hooks"]
    commands = [
        ("python -c pass", [python, "-c", "pass"]),
        ("python -c 'import re'", [python, "-c", "import re"]),
        ((f"import re and the {len(loaded)} modules the aggregate loads "
          f"({len(ours_loaded)} of them ours), nothing else, the collector "
          "off as in a run"),
         imports_only(python, loaded)),
        *((f"{h} --no-fix", [s, "--no-fix", small]) for h, s in hooks),
        ("python-docker-hooks check --no-fix", [ours, "check", "--no-fix", small]),
    ]
    counts = [(label, instruction_count(argv, env, cwd)) for label, argv in commands]
    base = counts[0][1]
    lines += table(
        [(label, f"{n / 1e6:.1f}", f"{n / base:.2f}x") for label, n in counts],
        ("command", "million instructions", "/ python -c pass"),
    )
    by_label = dict(counts)
    singles = [n for label, n in counts[3:-1]]
    lines += [
        "",
        (f"- aggregate / python -c pass: {counts[-1][1] / base:.2f}x; the slowest "
         f"single hook: {max(singles) / base:.2f}x"),
        (f"- of the aggregate, `import re` alone: "
         f"{by_label[commands[1][0]] / base:.2f}x; importing what it loads, nothing else: "
         f"{by_label[commands[2][0]] / base:.2f}x"),
        "",
    ]
    return lines


def profile(python: str, files: list[str], env: dict[str, str], top: int = 15) -> list[str]:
    """Where the aggregate's time goes: the slowest imports of a run on one
    small file, and the functions with the most own time over the corpus."""
    lines = ["## Profile of python-docker-hooks check --no-fix", ""]
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "Dockerfile")
        Path(small).write_text(SMALL, encoding="utf-8")
        code = f"from python_docker_hooks._cli import main; main(['check', '--no-fix', {small!r}])"
        for _ in range(3):  # the last of warm runs
            proc = subprocess.run(
                [python, "-X", "importtime", "-c", code],
                env=env, cwd=tmp, capture_output=True, text=True, check=False,
            )
        rows = []
        for line in proc.stderr.splitlines():
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[0].isdigit():
                rows.append((int(parts[1]), int(parts[0]), parts[2]))
        total = sum(own for _, own, _ in rows)
        lines.append(
            f"Imports on one small file: {total / 1000:.1f} ms in all "
            f"(`-X importtime`); the {top} with the most cumulative time:"
        )
        lines.append("")
        lines += table(
            [(f"`{name.strip()}`", f"{cum / 1000:.1f}", f"{own / 1000:.1f}")
             for cum, own, name in sorted(rows, reverse=True)[:top]],
            ("module", "cumulative ms", "own ms"),
        )
        stats = os.path.join(tmp, "check.prof")
        subprocess.run(
            [python, "-m", "cProfile", "-o", stats, "-m", "python_docker_hooks", "check", "--no-fix",
             *files],
            env=env, cwd=tmp, stdout=subprocess.DEVNULL, check=False,
        )
        import io
        import pstats

        buffer = io.StringIO()
        pstats.Stats(stats, stream=buffer).sort_stats("tottime").print_stats(top)
        lines += ["", (f"Over the corpus, the {top} functions with the most own time "
                  "(cProfile; its overhead inflates small functions):"), "", "```"]
        body = buffer.getvalue().splitlines()
        start = next((i for i, ln in enumerate(body) if ln.strip().startswith("ncalls")), 0)
        # Paths from the package on: the environment's prefix says nothing.
        lines += [re.sub(r"\S*site-packages/", "", ln.rstrip()) for ln in body[start:]
                  if ln.strip()]
        lines += ["```", ""]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
