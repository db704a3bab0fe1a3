"""A build of a Dockerfile as hooks see it: its context, its ignore file and
what the Dockerfile takes from the context (``python_docker_hooks._engine.contexts``
finds them), and how paths are shown."""

from __future__ import annotations

import os

from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.files import (
    SKIPPED_DIRECTORIES,
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
        "action",
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
        # Declared by a GitHub Docker container action's metadata: the runner
        # runs the image as its own user, which must be root.
        self.action = False

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
        """The context's directories, as a build sends them (``walk_directories``)."""
        return walk_directories(self.context, limit, skipped)

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


def walk_directories(context: str, limit: int, skipped: Collection[str] = ()) -> tuple[str, ...]:
    """The directories below ``context`` (relative, with "/"), shallowest first
    and by name within a depth, at most ``limit``: the directories a build of
    it sends, tracked or not (BuildKit sends the context's files whatever git
    makes of them), found a depth at a time, so that no directory is read
    below the depth where ``limit`` is reached. A directory named in
    ``skipped`` or in ``SKIPPED_DIRECTORIES`` is left out with what is below
    it; no symlink is followed, and nothing outside the boundary is read."""
    boundary = boundary_of(context)
    if not boundary.holds(context) or os.path.islink(context):
        return ()
    found: list[str] = []
    level = [""]
    while level and len(found) < limit:
        below: list[str] = []
        for relative in level:
            try:
                entries = os.scandir(os.path.join(context, relative) if relative else context)
            except OSError:
                continue
            with entries:
                for entry in entries:
                    name = entry.name
                    if name in SKIPPED_DIRECTORIES or name in skipped:
                        continue
                    try:
                        if not entry.is_dir(follow_symlinks=False):
                            continue
                    except OSError:
                        continue
                    below.append(f"{relative}/{name}" if relative else name)
        below.sort()
        level = below[: limit - len(found)]
        found.extend(level)
    return tuple(found)


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
