"""Running a plan: each group of files (``python_docker_hooks._engine.plan``)
has one owner, a ``Group``, that reads, parses, checks, fixes and writes each of
its files, and answers what the model of one of them is as it stands now.

A Dockerfile's check reads its build's ignore file, and an ignore file's check
reads what the Dockerfiles it serves take from the context: both ask the group,
so each file is parsed once in the run, and a file fixed is seen as written.
The context resolver (``python_docker_hooks._engine.contexts``) keeps no model:
when it infers a context from what a Dockerfile copies, it asks the group
running (or, while planning, the run's ``ReadAhead``, whose models each group
takes over). What a group held is let go when it is done.
"""

from __future__ import annotations

import gc
import os

from python_docker_hooks._dockerfile import parse as dockerfile
from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine import boundary
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.files import (
    DOCKERFILE,
    DOCKERIGNORE,
    Refusal,
    read_text,
)
from python_docker_hooks._engine.plan import plan
from python_docker_hooks._engine.runner import FileResult, check_file
from python_docker_hooks._engine.vocabulary import CONTEXT_FILE_LIMIT, ContextFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._dockerfile.reads import BuildReads
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
    from python_docker_hooks._engine.builds import Build, ContextSource
    from python_docker_hooks._engine.contexts import Resolver
    from python_docker_hooks._engine.plan import Plan, Unit
    from python_docker_hooks._engine.runner import Options
    from python_docker_hooks._engine.vocabulary import HookSpec, Model

    BuildKey = tuple[str, str, str | None]

__all__ = [
    "FileBuilds",
    "Group",
    "ReadAhead",
    "check_files",
    "check_groups",
    "pause_collector",
    "resume_collector",
]

_collector_paused = False
_collector_froze = False


def pause_collector() -> None:
    """Turn the cyclic garbage collector off while a run starts.

    A run's start imports its modules and reads its first files: tens of
    thousands of objects that all stay alive, which the collector would
    traverse again and again for nothing (about a twentieth of a run on one
    file). ``check_groups`` turns it back on once the first group is checked,
    so a long run collects as usual; ``resume_collector`` does at the end of
    a run that checked nothing. What an earlier run in the same process
    froze (``resume_collector``) is given back to the collector first."""
    global _collector_paused, _collector_froze
    if _collector_froze:
        gc.unfreeze()
        _collector_froze = False
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector() -> None:
    """Turn the collector back on, if ``pause_collector`` turned it off.

    The objects made while it was off are frozen first (``gc.freeze``): turned
    on with all of them young, its next collection would traverse every one
    (as long as checking a small file), where most are modules, tables and
    the first files' models that stay alive to the end of a run. Frozen, they
    are freed by reference counting as before; a cycle among them waits for
    the next run in the process (``pause_collector`` unfreezes) or its end."""
    global _collector_paused, _collector_froze
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        _collector_froze = True
        gc.enable()


def check_files(
    paths: Iterable[str], specs: Sequence[HookSpec], options: Options
) -> Iterator[FileResult]:
    """Run ``specs`` over each file in turn, writing fixes; yield each result.

    A hook whose ``model_kind`` differs from a file's kind is run on the files
    of its kind that the file leads to (``python_docker_hooks._engine.contexts``):
    each such file is checked once per run, however many of the given files
    lead to it, and every file is parsed once.
    """
    # What is a repository and where it ends is learnt afresh each run.
    boundary.clear_cache()
    ahead = ReadAhead()
    planned = plan(paths, specs, options, ahead.dockerfile)
    yield from check_groups(planned, planned.groups, ahead)
    for path, reason in planned.after:
        yield FileResult(path, refusal=reason)


def check_groups(
    planned: Plan, groups: Sequence[list[Unit]], ahead: ReadAhead
) -> Iterator[FileResult]:
    """Check ``groups`` of ``planned`` in order, each by its own ``Group``;
    yield each result."""
    resolver = planned.resolver
    ahead.planning = False
    for units in groups:
        group = Group(units, planned.options, resolver, ahead)
        if resolver is not None:
            resolver.dockerfile = group.dockerfile
        try:
            yield from group.run()
        finally:
            if resolver is not None:
                resolver.dockerfile = ahead.dockerfile
        resume_collector()


class ReadAhead:
    """The Dockerfiles read while planning (a context inferred from what one
    copies), each kept until the group that checks it takes it over. Once the
    run checks its groups, a Dockerfile read here is not kept."""

    __slots__ = ("models", "planning")

    def __init__(self) -> None:
        self.models: dict[str, Dockerfile | None] = {}
        self.planning = True

    def dockerfile(self, path: str) -> Dockerfile | None:
        key = os.path.abspath(path)
        if key in self.models:
            return self.models[key]
        model = read_dockerfile(key)
        if self.planning:
            self.models[key] = model
        return model


class Group:
    """The one owner of a group's files: it reads, parses, checks, fixes and
    writes each of them (``check``), and answers the model of each as it
    stands now (``dockerfile``, ``ignore``) and what a build's Dockerfile takes
    from its context (``sources``).

    A file's model is the one its unit made (of the text it left in the file),
    else the one read ahead, else read now; each is made once.
    """

    __slots__ = ("units", "options", "resolver", "_ahead", "_dockerfiles", "_ignores", "_sources")

    def __init__(
        self,
        units: list[Unit],
        options: Options,
        resolver: Resolver | None,
        ahead: ReadAhead,
    ) -> None:
        self.units = units
        self.options = options
        self.resolver = resolver
        self._ahead = ahead
        # Absolute path -> the model as the file stands (None: it cannot be
        # read or parsed); an ignore file with why it cannot be read.
        self._dockerfiles: dict[str, Dockerfile | None] = {}
        self._ignores: dict[str, tuple[IgnoreFile | None, str | None]] = {}
        # What each build's Dockerfile takes from its context, and what its RUN
        # instructions read, with the text they were found in.
        self._sources: dict[
            BuildKey, tuple[str | None, tuple[ContextSource, ...], BuildReads | None]
        ] = {}
        # The group's Dockerfiles read ahead are its own from now on (and one
        # its ignore files serve, when it is first asked for).
        for unit in units:
            if unit.kind == DOCKERFILE and unit.key in ahead.models:
                self._dockerfiles[unit.key] = ahead.models.pop(unit.key)

    # --- the files, as they stand ---

    def dockerfile(self, path: str) -> Dockerfile | None:
        """The model of the Dockerfile at ``path`` as it stands now (None: it
        cannot be read or parsed)."""
        key = os.path.abspath(path)
        if key not in self._dockerfiles:
            ahead = self._ahead.models
            self._dockerfiles[key] = ahead.pop(key) if key in ahead else read_dockerfile(key)
        return self._dockerfiles[key]

    def ignore(self, path: str) -> tuple[IgnoreFile | None, str | None]:
        """The model of the ignore file at ``path`` as it stands now (None when
        there is none), and why it cannot be read (None when it can)."""
        key = os.path.abspath(path)
        found = self._ignores.get(key)
        if found is None:
            found = self._ignores[key] = read_ignore(key)
        return found

    def sources(
        self, build: Build, model: Dockerfile | None
    ) -> tuple[tuple[ContextSource, ...], BuildReads | None]:
        """What ``model`` (the build's Dockerfile) takes from the build's context,
        and what its RUN instructions read."""
        text = model.text if model is not None else None
        cached = self._sources.get(build.key)
        if cached is not None and cached[0] == text:
            return cached[1], cached[2]
        assert self.resolver is not None
        sources, reads = self.resolver.context_sources(build, model)
        self._sources[build.key] = (text, sources, reads)
        return sources, reads

    def known_sources(self, build: Build) -> tuple[tuple[ContextSource, ...], BuildReads | None]:
        """The build's sources as the group last found them, else those of its
        Dockerfile as it stands."""
        cached = self._sources.get(build.key)
        if cached is not None:
            return cached[1], cached[2]
        return self.sources(build, self.dockerfile(build.dockerfile))

    def _hold(self, unit: Unit, model: Model | None) -> None:
        """Record the model of what ``unit``'s file holds after its check."""
        if model is None:
            return
        if unit.kind == DOCKERFILE:
            self._dockerfiles[unit.key] = model  # type: ignore[assignment]
            if self.resolver is not None:
                # What the ignore files it is served by will read of it.
                for build in self.resolver.builds_of(unit.key):
                    self.sources(build, model)  # type: ignore[arg-type]
        elif unit.kind == DOCKERIGNORE:
            self._ignores[unit.key] = (model, None)  # type: ignore[assignment]

    # --- checking ---

    def run(self) -> Iterator[FileResult]:
        """Check the group's units in order, writing fixes; yield each result."""
        ran: dict[str, bool] = {}  # Dockerfile key: whether it could be read
        for unit in self.units:
            if unit.refusal is not None:
                yield FileResult(unit.path, refusal=unit.refusal)
                continue
            if (
                self.resolver is not None
                and unit.leaders
                and not unit.reached
                and not any(
                    ran[k] if k in ran else self.dockerfile(k) is not None
                    for k in unit.leaders
                )
            ):
                continue
            result = self.check(unit)
            if unit.kind == DOCKERFILE:
                ran[unit.key] = result.refusal is None or result.parsed
            if not unit.probe or result.refusal is not None:
                yield result

    def check(self, unit: Unit) -> FileResult:
        """Read, check, fix and write ``unit``'s file; hold what it leaves."""
        if self.resolver is None:
            result, _ = check_file(
                unit.path,
                unit.specs,
                self.options,
                kind=unit.kind,
                missing_ok=unit.missing_ok,
                probe=unit.probe,
            )
            return result
        path = unit.path

        def finder(model: Model) -> FileBuilds:
            return FileBuilds(self, path, model if unit.kind == DOCKERFILE else None)  # type: ignore[arg-type]

        result, held = check_file(
            path,
            unit.specs,
            self.options,
            kind=unit.kind,
            missing_ok=unit.missing_ok,
            probe=unit.probe,
            known=lambda data: self._known(unit, data),
            finder=finder,
        )
        self._hold(unit, held)
        return result

    def _known(self, unit: Unit, data: bytes) -> Model | None:
        """The model the group has of ``data``, the bytes just read for ``unit``
        (parsed, for an ignore file, and kept: the check's own builds hold this
        same ignore file); the check makes its own when this is not of them."""
        if unit.kind == DOCKERIGNORE:
            from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

            try:
                text, _ = decode(data)
            except DecodeError:
                return None
            cached = self._ignores.get(unit.key)
            if cached is not None and cached[0] is not None and cached[0].text == text:
                return cached[0]
            ignore = IgnoreFile(text)
            self._ignores[unit.key] = (ignore, None)
            return ignore
        if unit.kind == DOCKERFILE:
            # The unit makes the model of what it leaves; until then, none is held.
            return self._dockerfiles.pop(unit.key, None)
        return None


class FileBuilds:
    """The ``BuildFinder`` of one checked file: the builds of a Dockerfile (with
    ``model``, the text being checked, for its sources), or the builds an ignore
    file serves (each with its Dockerfile's sources as the group holds it)."""

    __slots__ = ("group", "path", "model")

    def __init__(self, group: Group, path: str, model: Dockerfile | None) -> None:
        self.group = group
        self.path = path
        self.model = model

    def builds(self) -> tuple[Build, ...]:
        group = self.group
        assert group.resolver is not None
        return tuple(
            self._complete(b, *group.sources(b, self.model))
            for b in group.resolver.builds_of(self.path)
        )

    def served(self) -> tuple[Build, ...]:
        group = self.group
        assert group.resolver is not None
        return tuple(
            self._complete(b, *group.known_sources(b))
            for b in group.resolver.served_by(self.path)
        )

    def _complete(
        self, build: Build, sources: tuple[ContextSource, ...], reads: BuildReads | None
    ) -> Build:
        """A copy of ``build`` with its ignore file read, its sources and reads."""
        from python_docker_hooks._engine.builds import Build

        resolver = self.group.resolver
        assert resolver is not None
        done = Build(
            build.dockerfile,
            build.context,
            build.target,
            build.evidence,
            certain=build.certain,
            lister=resolver.context_files,
            tracker=resolver.context_tracked,
        )
        done.ignore_path = build.ignore_path
        done.sends_git = build.sends_git
        done.named = build.named
        done.action = build.action
        done.ignore, done.ignore_problem = self.group.ignore(build.ignore_path)
        done.sources = sources
        done.reads = reads
        return done

    def context_file(self, build: Build, path: str) -> ContextFile:
        """A file of ``build``'s context, read only inside the repository and
        the context (symlinks resolved first), up to ``CONTEXT_FILE_LIMIT``."""
        resolver = self.group.resolver
        assert resolver is not None
        relative = path.lstrip("/")
        full = os.path.join(build.context, *relative.split("/"))
        if not os.path.isfile(full):
            return ContextFile(False, None)
        real = os.path.realpath(full)
        root = os.path.realpath(resolver.repository(self.path).root)
        context = os.path.realpath(build.context)
        if not all(real.startswith(os.path.join(top, "")) for top in (root, context)):
            return ContextFile(True, None)
        try:
            with open(real, "rb") as stream:
                data = stream.read(CONTEXT_FILE_LIMIT + 1)
        except OSError:
            return ContextFile(True, None)
        if len(data) > CONTEXT_FILE_LIMIT:
            return ContextFile(True, None)
        return ContextFile(True, data)


def read_dockerfile(path: str) -> Dockerfile | None:
    """The Dockerfile at ``path`` parsed, or None when it cannot be (or it is a
    symlink leaving the boundary)."""
    try:
        return dockerfile.parse(read_text(path, boundary_of(path)))
    except (Refusal, dockerfile.ParseError):
        return None


def read_ignore(path: str) -> tuple[IgnoreFile | None, str | None]:
    """The ignore file at ``path`` parsed (None when there is none), and why it
    cannot be read (None when it can)."""
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

    if not os.path.lexists(path):
        return None, None
    try:
        return IgnoreFile(read_text(path, boundary_of(path))), None
    except Refusal as exc:
        return None, str(exc)
