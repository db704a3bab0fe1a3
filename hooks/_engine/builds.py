"""A build of a Dockerfile as hooks see it: its context, its ignore file and
what the Dockerfile takes from the context (``python_docker_hooks._engine.contexts``
finds them), and how paths are shown."""

from __future__ import annotations

import os

from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.files import (
    Refusal,
    git_output,
    git_start,
    listing,
    read,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Sequence

    from python_docker_hooks._dockerfile.reads import BuildReads
    from python_docker_hooks._dockerfile.sources import Source
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

IGNORE_NAME = ".dockerignore"


def shown(path: str) -> str:
    """``path`` as a user would write it: relative when it is below the cwd."""
    key = (os.getcwd(), path)
    found = _SHOWN.get(key)
    if found is None:
        try:
            relative = os.path.relpath(path, key[0])
        except ValueError:
            relative = ".."
        found = path if relative.startswith("..") else relative
        if len(_SHOWN) < 100_000:
            _SHOWN[key] = found
    return found


# (cwd, path) -> the path shown: a run shows each path many times.
_SHOWN: dict[tuple[str, str], str] = {}



class ContextSource:
    """A COPY/ADD source and what it names in the context: ``paths`` relative to
    the context ('/'-separated; the real matches of a wildcard), or None for the
    whole context (``COPY . …``)."""

    __slots__ = ("source", "paths")

    def __init__(self, source: Source, paths: tuple[str, ...] | None) -> None:
        self.source = source
        self.paths = paths

    def __repr__(self) -> str:
        return f"ContextSource({self.source.value!r}, {self.paths!r})"


class Build:
    """One way a Dockerfile is built, as data for hooks.

    Paths are absolute; ``*_shown`` are what output prints. ``evidence`` says in
    a few words why the context is this directory ("compose.production.yaml,
    service web", "[tool.python-docker-hooks.contexts]", "the Dockerfile's
    directory"); ``certain`` is False when nothing declares the context and the
    Dockerfile's sources did not decide it either (a fix must not act on a
    guess). ``ignore`` is the parsed ignore file (None when there is none, or
    when it cannot be read: then ``ignore_problem`` says why). ``sources`` is
    what the Dockerfile's COPY/ADD instructions take from this context (none
    when it cannot be read or parsed). ``files()`` lists the context.
    """

    __slots__ = (
        "dockerfile",
        "context",
        "target",
        "evidence",
        "certain",
        "ignore_path",
        "ignore",
        "ignore_problem",
        "sources",
        "reads",
        "sends_git",
        "named",
        "_lister",
        "_tracker",
    )

    def __init__(
        self,
        dockerfile: str,
        context: str,
        target: str | None,
        evidence: str,
        *,
        certain: bool = True,
        lister: Callable[[str], tuple[str, ...]] | None = None,
        tracker: Callable[[str], Tracked | None] | None = None,
    ) -> None:
        self.dockerfile = dockerfile
        self.context = context
        self.target = target
        self.evidence = evidence
        self.certain = certain
        self._lister = lister
        self._tracker = tracker
        per_dockerfile = dockerfile + IGNORE_NAME
        self.ignore_path = (
            per_dockerfile
            if os.path.isfile(per_dockerfile)
            else os.path.join(context, IGNORE_NAME)
        )
        self.ignore: IgnoreFile | None = None
        self.ignore_problem: str | None = None
        self.sources: tuple[ContextSource, ...] = ()
        # What the Dockerfile's RUN instructions read (None: unknown).
        self.reads: BuildReads | None = None
        # Whether the context can send a .git: it is the repository's root, or
        # holds a .git of its own (BuildKit sends the context directory's
        # files; a .git above it is never part of them).
        self.sends_git = True
        # Additional (named) contexts: name -> directory, None when it is not a
        # local directory inside the repository.
        self.named: dict[str, str | None] = {}

    @property
    def dockerfile_shown(self) -> str:
        return shown(self.dockerfile)

    @property
    def context_shown(self) -> str:
        return shown(self.context)

    @property
    def ignore_shown(self) -> str:
        return shown(self.ignore_path)

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.dockerfile, self.context, self.target)

    @property
    def origin(self) -> str:
        """The evidence, under its former name."""
        return self.evidence

    def files(self) -> tuple[str, ...]:
        """The files of the context, relative to it with "/", sorted: git's
        listing (tracked, and untracked not ignored) when the context is in a
        work tree, else a walk of the context. Listed when first asked, once
        per run and context."""
        lister = self._lister if self._lister is not None else list_context
        return lister(self.context)

    def index(self) -> Tracked | None:
        """What git's index holds below the context (read once per run and
        context), or None outside a work tree."""
        tracker = self._tracker if self._tracker is not None else tracked_index
        return tracker(self.context)

    def tracked(self, containing: Sequence[str] = ()) -> tuple[str, ...] | None:
        """The files of the context git tracks (as ``files()`` gives them), or
        None outside a work tree; with ``containing`` (texts, none empty), only
        the paths that hold one of them."""
        index = self.index()
        if index is None:
            return None
        return index.holding(containing) if containing else index.paths()

    def directories(self, limit: int, skipped: Collection[str] = ()) -> tuple[str, ...]:
        """The context's directories that hold a file of the project, shallowest
        first and by name within a depth, at most ``limit``; a directory named
        in ``skipped`` is left out with everything below it. In a work tree
        these are the directories of git's tracked files, found from the index
        without listing it whole (what a commit holds: the same on every
        checkout, whatever lies untracked in one); else those of a walk's files."""
        index = self.index()
        if index is not None:
            return index.directories(limit, skipped)
        found: set[str] = set()
        for path in self.files():
            cut = path.rfind("/")
            while cut > 0:
                directory = path[:cut]
                if directory in found:
                    break
                found.add(directory)
                cut = directory.rfind("/")
        ordered = sorted(found, key=lambda d: (d.count("/"), d))
        kept = [d for d in ordered if skipped_none(d, skipped)]
        return tuple(kept[:limit])

    def project_files(self) -> dict[str, str]:
        """The text of the project files at the context's root that say how the
        project is versioned (``PROJECT_FILES``: pyproject.toml, setup.cfg,
        setup.py), by name; a file missing or unreadable is left out."""
        from python_docker_hooks._dockerfile.reads import PROJECT_FILES

        found = {}
        for name in PROJECT_FILES:
            path = os.path.join(self.context, name)
            if not os.path.isfile(path):
                continue
            try:
                found[name] = decode(read(path)[1])[0]
            except (Refusal, DecodeError):
                continue
        return found

    def __repr__(self) -> str:
        return f"Build({self.dockerfile!r}, context={self.context!r}, target={self.target!r})"



def list_context(context: str) -> tuple[str, ...]:
    """The files of the directory ``context``, relative to it with "/", sorted:
    git's listing in a work tree (a symlink is listed as itself, as BuildKit
    sends it), else a walk that follows no symlink."""
    boundary = boundary_of(context)
    if not boundary.holds(context) or os.path.islink(context):
        return ()
    return tuple(sorted(listing(context, git=boundary.repository)))


# What lists git's index below a directory.
_INDEX = ["ls-files", "-z", "--cached"]


def tracked_index(context: str) -> Tracked | None:
    """What git's index holds below ``context`` (``git ls-files -z --cached``
    run there: one process), or None outside a work tree."""
    boundary = boundary_of(context)
    if not boundary.repository or not boundary.holds(context) or os.path.islink(context):
        return None
    out = git_output(_INDEX, context)
    return None if out is None else Tracked(out)


def start_indexes(paths: Iterable[str]) -> None:
    """Start listing git's index at the root of each repository holding one of
    ``paths`` (``files.git_start``): the contexts and build definitions of a run
    are found in it, and git reads it while the run imports its hooks. The
    caller ends the run with ``files.git_forget``."""
    roots: dict[str, None] = {}
    for path in paths:
        boundary = boundary_of(path)
        if boundary.repository:
            roots[boundary.root] = None
    for root in roots:
        git_start(_INDEX, root)


def skipped_none(directory: str, skipped: Collection[str]) -> bool:
    """Whether no segment of ``directory`` is one of ``skipped``."""
    return not skipped or all(part not in skipped for part in directory.split("/"))


class Tracked:
    """The paths git's index holds below one directory, relative to it with "/",
    as ``git ls-files -z`` prints them: NUL-separated bytes, in the index's
    order (sorted by their bytes). Questions about a few paths search these
    bytes, so their cost is a scan in C, not a Python step per tracked file."""

    __slots__ = ("blob", "_names")

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self._names: list[bytes] | None = None

    def names(self) -> list[bytes]:
        """Every path, as bytes, in the index's order."""
        if self._names is None:
            names = self.blob.split(b"\0")
            if names and not names[-1]:
                names.pop()  # the NUL that ends the last path
            self._names = names
        return self._names

    def paths(self) -> tuple[str, ...]:
        """Every path, decoded, sorted."""
        return tuple(sorted(os.fsdecode(n) for n in self.names()))

    def holding(self, texts: Sequence[str]) -> tuple[str, ...]:
        """The paths that hold one of ``texts`` (as git's pathspec ``*text*``
        matches, its ``*`` crossing "/"), decoded, sorted."""
        blob = self.blob
        found: set[bytes] = set()
        for text in texts:
            needle = os.fsencode(text)
            if not needle or b"\0" in needle:
                continue
            at = blob.find(needle)
            while at >= 0:
                start = blob.rfind(b"\0", 0, at) + 1
                end = blob.find(b"\0", at)
                if end < 0:
                    end = len(blob)
                if end - start >= len(needle):
                    found.add(blob[start:end])
                at = blob.find(needle, end)
        return tuple(sorted(os.fsdecode(n) for n in found))

    def below(self, directory: str) -> tuple[str, ...]:
        """The paths below ``directory`` (relative, with "/"), decoded, sorted:
        one run of the index, found by binary search."""
        prefix = os.fsencode(directory.rstrip("/")) + b"/"
        blob = self.blob
        lo = _seek(blob, prefix, 0, len(blob))
        hi = _seek(blob, prefix[:-1] + b"0", lo, len(blob))
        return tuple(sorted(os.fsdecode(n) for n in blob[lo:hi].split(b"\0") if n))

    def directories(self, limit: int, skipped: Collection[str] = ()) -> tuple[str, ...]:
        """The directories of the paths, shallowest first and by name (their
        bytes) within a depth, at most ``limit``; one named in ``skipped`` is
        left out with what is below it. A depth at a time, on the bytes as git
        printed them: the paths below a directory are one run of the sorted
        index, so each subdirectory is found by a binary search past the
        previous one, no more of them are read than the first ``limit`` by
        name need, and the paths of deeper directories are never read."""
        blob = self.blob
        found: list[str] = []
        # (the directory with its "/", where its paths start and end).
        level: list[tuple[bytes, int, int]] = [(b"", 0, len(blob))]
        while level and len(found) < limit:
            wanted = limit - len(found)
            below: list[tuple[bytes, int, int]] = []
            for prefix, lo, hi in level:
                below.extend(_children(blob, prefix, lo, hi, wanted, skipped))
            below.sort(key=lambda child: child[0][:-1])
            level = below[:wanted]
            found.extend(os.fsdecode(child[:-1]) for child, _, _ in level)
        return tuple(found)


def _children(
    blob: bytes, prefix: bytes, lo: int, hi: int, wanted: int, skipped: Collection[str]
) -> list[tuple[bytes, int, int]]:
    """The first ``wanted`` by name of the directories directly below ``prefix``
    (a directory with its "/", or the root: b"") whose paths are ``blob[lo:hi]``,
    none named in ``skipped``: (the directory with its "/", where its paths
    start and end).

    The index orders a directory ``name`` by ``name/``, so its subdirectories
    come in the order of their names but for one case: ``a-b/`` comes before
    ``a/`` (``-`` sorts before ``/``) where ``a`` sorts first. Once ``wanted``
    are found, reading goes on only as far as such a shorter name of one of
    them can still come."""
    found: list[tuple[bytes, int, int]] = []
    width = len(prefix)
    reach: bytes | None = None
    at = lo
    while at < hi:
        end = blob.find(b"\0", at, hi)
        if end < 0:
            end = hi
        cut = blob.find(b"/", at + width, end)
        if cut < 0:
            at = end + 1
            continue
        child = blob[at : cut + 1]
        if reach is not None and child > reach:
            break
        # "0" follows "/": the first path past every one below the child.
        after = _seek(blob, child[:-1] + b"0", at, hi)
        if os.fsdecode(child[width:-1]) not in skipped:
            found.append((child, at, after))
            if len(found) >= wanted:
                found.sort(key=lambda c: c[0][:-1])
                del found[wanted:]
                reach = _reach(found, width)
        at = after
    return found


def _reach(found: list[tuple[bytes, int, int]], width: int) -> bytes:
    """The last place in the index a directory named before one of ``found``
    can still come: ``a/`` for a found ``a-b/`` (a shorter name, followed in it
    by a byte that sorts before "/"). b"" when none can."""
    reach = b""
    for child, _, _ in found:
        for k in range(width + 1, len(child) - 1):
            if child[k] < 0x2F:
                reach = max(reach, child[:k] + b"/")
    return reach


def _seek(blob: bytes, key: bytes, lo: int, hi: int) -> int:
    """The offset of the first path not below ``key`` in ``blob[lo:hi]`` (NUL-
    separated paths, sorted; ``lo`` starts one, ``hi`` is the end or starts
    one). The runs sought are short (a directory's paths), so it first steps
    forward by doubling strides, then searches the last stride by halves; each
    probe reads the path around it."""
    stride = 256
    while lo + stride < hi:
        start, end = _path_at(blob, lo, lo + stride, hi)
        if blob[start:end] >= key:
            hi = start
            break
        lo = end + 1
        stride *= 2
    while lo < hi:
        start, end = _path_at(blob, lo, (lo + hi) // 2, hi)
        if blob[start:end] < key:
            lo = end + 1
        else:
            hi = start
    return min(lo, len(blob))


def _path_at(blob: bytes, lo: int, at: int, hi: int) -> tuple[int, int]:
    """Where the path holding offset ``at`` starts and ends (not before ``lo``,
    nor past ``hi``)."""
    start = blob.rfind(b"\0", lo, at) + 1 or lo
    end = blob.find(b"\0", start, hi)
    return start, hi if end < 0 else end
