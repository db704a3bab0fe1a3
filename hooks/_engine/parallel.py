"""Many files on several CPUs: ``check`` deals the run's groups of files
(``python_docker_hooks._engine.plan``) out to one process per CPU, checks the parent's share
itself and forks a worker for each other, and the results come out in order.

Only for a run over many files (24 or more per worker), on CPUs that are idle
(the tasks runnable at the start count the busy ones), where fork exists, and not under
pre-commit: ``pre-commit run`` sets ``PRE_COMMIT=1`` for its hooks
(``pre_commit/commands/run.py``) and already runs one hook process per CPU, each
on its own batch of files. Each worker
sends its results back pickled, each finding's text reduced to what renderers
need (the text it was found in, for its positions); the parent puts back its own
rule objects. A worker that fails is not fatal: its share is checked again in
the parent, so the output is the same as a run without workers.
"""

from __future__ import annotations

import os
import sys

from python_docker_hooks._dockerfile.text import ascii_number, line_starts
from python_docker_hooks._engine.group import ReadAhead, check_groups
from python_docker_hooks._engine.plan import plan
from python_docker_hooks._engine.runner import FileResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._engine.plan import Unit
    from python_docker_hooks._engine.runner import Options
    from python_docker_hooks._engine.vocabulary import HookSpec

# Below this many files per worker, forking costs more than it saves.
MIN_FILES_PER_JOB = 24
MAX_JOBS = 8
# Set to a number of workers (1: none) to override the choice.
JOBS_VARIABLE = "PYTHON_DOCKER_HOOKS_JOBS"


def jobs_for(files: Sequence[str], specs: Sequence[HookSpec] = ()) -> int:
    """How many workers a run of ``specs`` over ``files`` uses (1: the parent
    alone)."""
    forced = ascii_number(os.environ.get(JOBS_VARIABLE, ""))
    if forced:
        wanted = forced
    elif os.environ.get("PRE_COMMIT"):
        return 1
    else:
        wanted = min(_idle_cpus(), MAX_JOBS, len(files) // MIN_FILES_PER_JOB)
    if wanted <= 1 or not hasattr(os, "fork") or len(files) < 2:
        return 1
    return min(wanted, len(files))


def _idle_cpus() -> int:
    """CPUs not already busy: the CPUs this process may run on less the other
    tasks runnable right now. On a machine other work keeps busy, a worker only
    waits for a CPU and adds the cost of sending its results back."""
    busy = _runnable()
    if busy is None:
        # No instant count: the load average, rounded (as ``make -l`` holds
        # back jobs). It trails by a minute, so it counts work just finished.
        try:
            busy = int(os.getloadavg()[0] + 0.5)
        except (AttributeError, OSError):
            busy = 0
    return _usable_cpus() - busy


def _usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask: a container given
    a cpuset sees those), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _runnable() -> int | None:
    """Other tasks runnable now, where Linux says: the fourth field of
    /proc/loadavg is "the number of currently runnable kernel scheduling
    entities (processes, threads)" / those that exist (proc(5)); this process
    is one of them. An instant's count catches passing tasks (the process that
    started this one, still returning from fork): the least of a few readings
    half a millisecond apart."""
    import time

    least: int | None = None
    for attempt in range(_READINGS):
        if attempt:
            time.sleep(0.0005)
        try:
            with open("/proc/loadavg", "rb") as f:
                running = int(f.read().split()[3].split(b"/")[0])
        except (OSError, ValueError, IndexError):
            return None
        others = max(running - 1, 0)
        least = others if least is None else min(least, others)
        if least == 0:
            break
    return least


_READINGS = 3


class TextPositions:
    """Line and column of an offset in a text: what a finding keeps of the
    model it was found in once it leaves the worker."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = line_starts(text)

    def position(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def check_parallel(
    files: Sequence[str], specs: Sequence[HookSpec], options: Options, jobs: int
) -> Iterator[FileResult]:
    """``check_files`` over ``files`` in up to ``jobs`` processes, results in
    the order one process gives them.

    The run is planned here (``python_docker_hooks._engine.plan``) and its groups dealt out:
    a file a Dockerfile leads to (its ignore file) is in one group with every
    Dockerfile it serves, so it is checked, and fixed, by one process, once.
    The parent checks its own share while the workers check theirs.
    """
    import pickle
    import selectors

    ahead = ReadAhead()
    planned = plan(files, specs, options, ahead.dockerfile)
    groups = planned.groups
    stats = {unit.key: _stat(unit.path) for group in groups for unit in group}
    shares = _deal(groups, jobs, {k: _weight(st) for k, st in stats.items()})
    # The same file twice (under two names) in two processes could be fixed
    # twice at once.
    if len(shares) > 1 and _shared(groups, shares, stats):
        shares = [list(range(len(groups)))]

    def check(indices: list[int]) -> list[list[FileResult]]:
        # Each result reduced to what renderers need, as a worker sends it.
        return [
            [_portable(r) for r in check_groups(planned, [groups[i]], ahead)] for i in indices
        ]

    sys.stdout.flush()
    sys.stderr.flush()
    workers: list[tuple[int, int] | None] = [None]
    for share in shares[1:]:
        try:
            read_end, write_end = os.pipe()
            pid = os.fork()
        except OSError:
            workers.append(None)
            continue
        if pid == 0:  # the worker
            os.close(read_end)
            code = 1
            try:
                data = pickle.dumps(check(share), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        workers.append((pid, read_end))

    by_group: dict[int, list[FileResult]] = {}
    if shares:
        by_group.update(zip(shares[0], check(shares[0])))
    chunks: dict[int, list[bytes]] = {}
    selector = selectors.DefaultSelector()
    for worker in workers:
        if worker is not None:
            chunks[worker[1]] = []
            selector.register(worker[1], selectors.EVENT_READ)
    while selector.get_map():
        for key, _ in selector.select():
            fd = int(key.fd)
            block = os.read(fd, 1 << 16)
            if block:
                chunks[fd].append(block)
            else:
                selector.unregister(fd)
                os.close(fd)
    selector.close()

    rules = {r.code: r for s in specs for r in s.rules}
    for index, share in enumerate(shares[1:], 1):
        received: list[list[FileResult]] | None = None
        worker = workers[index]
        if worker is not None:
            pid, fd = worker
            _, status = os.waitpid(pid, 0)
            if status == 0:
                try:
                    received = pickle.loads(b"".join(chunks[fd]))
                except Exception:  # noqa: BLE001 - check the share here instead
                    received = None
        if received is None or len(received) != len(share):
            by_group.update(zip(share, check(share)))
            continue
        for results in received:
            for result in results:
                for f in result.findings:
                    f.rule = rules.get(f.rule.code, f.rule)
        by_group.update(zip(share, received))
    for i in range(len(groups)):
        yield from by_group.pop(i, ())
    for path, reason in planned.after:
        yield FileResult(path, refusal=reason)


def _deal(
    groups: list[list[Unit]], jobs: int, weights: dict[str, float]
) -> list[list[int]]:
    """The groups (by index) each of ``jobs`` processes checks: each group in
    turn to the one with the least work so far, the parent's work counted a
    little heavier (it also renders every result)."""
    loads = [0.0] * jobs
    shares: list[list[int]] = [[] for _ in range(jobs)]
    for i, group in enumerate(groups):
        j = min(range(jobs), key=lambda k: (loads[k] / (PARENT_SHARE if k == 0 else 1.0), k))
        shares[j].append(i)
        loads[j] += sum(weights.get(u.key, 0.0) for u in group)
    return [share for share in shares if share] or [[]]


# The parent's part of the work, against a worker's 1.0.
PARENT_SHARE = 0.85
# What checking a file costs beyond its size, in bytes' worth: about 0.6 ms a
# file and 0.2 ms a KiB, over the corpus.
FILE_COST = 3_000


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None  # reported as it is by the run


def _weight(st: os.stat_result | None) -> float:
    """How much work a file is: its size and a cost per file."""
    return float(FILE_COST + (st.st_size if st is not None else 0))


def _shared(
    groups: list[list[Unit]],
    shares: list[list[int]],
    stats: dict[str, os.stat_result | None],
) -> bool:
    """Whether one file (by device and inode) is a unit of two shares."""
    owner: dict[object, int] = {}
    for index, share in enumerate(shares):
        for i in share:
            for unit in groups[i]:
                st = stats.get(unit.key)
                identity: object = (st.st_dev, st.st_ino) if st is not None else unit.key
                if owner.setdefault(identity, index) != index:
                    return True
    return False


def _portable(result: FileResult) -> FileResult:
    """The result with each finding's model replaced by its text's positions,
    and without the file's bytes (the worker has written any fix)."""
    seen: dict[int, TextPositions] = {}
    for f in result.findings:
        origin = f.origin
        if origin is not None:
            key = id(origin)
            if key not in seen:
                seen[key] = TextPositions(origin.text)
            f.origin = seen[key]
    result.source = None
    result.output = None
    return result

