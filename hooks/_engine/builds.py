"""A build of a Dockerfile as hooks see it: its context, its ignore file and
what the Dockerfile takes from the context (``python_docker_hooks._engine.contexts``
finds them), and how paths are shown."""

from __future__ import annotations

import os

from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.files import Refusal, git_output, listing, read

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

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
        tracker: Callable[[str], tuple[str, ...] | None] | None = None,
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

    def tracked(self, containing: Sequence[str] = ()) -> tuple[str, ...] | None:
        """The files of the context git tracks (as ``files()`` gives them), or
        None outside a work tree. Listed when first asked, once per run; with
        ``containing`` (texts, none empty), only the paths that hold one of
        them (asked of git)."""
        if containing:
            return list_tracked(self.context, containing)
        tracker = self._tracker if self._tracker is not None else list_tracked
        return tracker(self.context)

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


def list_tracked(context: str, containing: Sequence[str] = ()) -> tuple[str, ...] | None:
    """The files below ``context`` git tracks, relative to it with "/", sorted;
    None outside a work tree (``git ls-files --cached``: the index's files).
    With ``containing`` (texts without wildcards, none empty), only the paths
    holding one of them: git's pathspecs ``*text*`` (its ``*`` crosses "/"), so
    what is read back is what is found, not the whole context."""
    boundary = boundary_of(context)
    if not boundary.repository or not boundary.holds(context) or os.path.islink(context):
        return None
    pathspecs = ["--", *(f"*{text}*" for text in containing)] if containing else []
    out = git_output(["ls-files", "-z", "--cached", *pathspecs], context)
    if out is None:
        return None
    return tuple(sorted(os.fsdecode(n) for n in out.split(b"\0") if n))

