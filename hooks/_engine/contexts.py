"""Build contexts, read from the file system for the hooks that ask.

How a Dockerfile is built decides what its ignore file must exclude and what its
COPY sources can reach. The context is evidence, and the strongest wins:

1. a ``[tool.python-docker-hooks.contexts]`` glob in the config governing the
   Dockerfile (the first that matches);
2. the builds the repository's definition files declare
   (``python_docker_hooks._engine.definitions``: compose files of any name and
   depth, bake files, GitHub Actions workflows), found by name in one
   ``git ls-files`` of the index (``Repository.named``); a Dockerfile built
   several ways is checked against each;
3. what the Dockerfile copies: the nearest directory, from its own up to the
   repository's root, in which every COPY/ADD source exists (``--from``, URLs,
   heredocs and sources naming an ARG without a default say nothing); else its
   own directory, *uncertain* (``Build.certain``).

Every build says why its context is that directory (``Build.evidence``).
Everything happens inside the boundary (``python_docker_hooks._engine.boundary``):
a context, Dockerfile or definition file that leaves it is not read, listed or
written, and the build is reported in one line (``Resolver.outside``).

The ignore file is ``<Dockerfile name>.dockerignore`` beside the Dockerfile when
it exists (BuildKit's dockerui reads ``filename + ".dockerignore"`` first), else
``<context>/.dockerignore``.

Everything here is cached for the run: one listing of definitions per
repository, one parse of each definition file, ignore file and Dockerfile, one
listing of each context's files, made only when a rule asks (``Build.files``).
"""

from __future__ import annotations

import os
import re

from python_docker_hooks._engine.files import COMPOSE_NAMES, COMPOSE_OVERRIDES, Refusal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._dockerfile.reads import BuildReads
    from python_docker_hooks._dockerfile.sources import Source
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
    from python_docker_hooks._engine.boundary import Boundary
    from python_docker_hooks._engine.config import Config
    from python_docker_hooks._engine.definitions import Declared
    from python_docker_hooks._engine.vocabulary import ContextFile

IGNORE_NAME = ".dockerignore"
# Bounds on what a wildcard COPY source may make us list.
_MAX_GLOB = 10_000
# Directories never listed when the repository is not a git checkout.


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

    def tracked(self) -> tuple[str, ...] | None:
        """The files of the context git tracks (as ``files()`` gives them), or
        None outside a work tree. Listed when first asked, once per run."""
        tracker = self._tracker if self._tracker is not None else list_tracked
        return tracker(self.context)

    def project_files(self) -> dict[str, str]:
        """The text of the project files at the context's root that say how the
        project is versioned (``PROJECT_FILES``: pyproject.toml, setup.cfg,
        setup.py), by name; a file missing or unreadable is left out."""
        from python_docker_hooks._dockerfile.reads import PROJECT_FILES
        from python_docker_hooks._dockerfile.text import DecodeError, decode
        from python_docker_hooks._engine.files import read

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


# --- the repository ------------------------------------------------------------------

# Build definitions and Dockerfiles, found by name: git pathspecs for one
# ``git ls-files`` call (plain wildcards, where ``*`` also matches ``/``: git
# matches them several times faster than ``:(glob)**/`` or ``:(icase)`` forms,
# which cost a third of a second on 100,000 files; each more pattern costs a
# tenth of git's time there), narrowed by ``definition_kind``. A Dockerfile
# named in upper case (``DOCKERFILE``) is not looked for. Outside git, a walk
# reads the same names.
_PATHSPECS = ("*ocker*", "*ontainer*", "*ompose*", ".github/workflows/*")
BAKE_NAMES = ("docker-bake.json", "docker-bake.hcl")
BAKE_OVERRIDES = ("docker-bake.override.json", "docker-bake.override.hcl")
# The most definition files of one kind read in a repository: past it, the
# rest are not read (a run stays bounded whatever a change adds).
_MAX_DEFINITIONS = 2_000


def definition_kind(relative: str) -> str | None:
    """What the file at ``relative`` ('/'-separated, from the repository root)
    is to the resolver: ``dockerfile``, ``compose``, ``bake``, ``workflow``."""
    from python_docker_hooks._engine.files import selects

    name = relative.rsplit("/", 1)[-1]
    if name in BAKE_NAMES or name in BAKE_OVERRIDES:
        return "bake"
    if selects("compose", relative):
        return "compose"
    parent = relative[: -len(name)]
    if parent == ".github/workflows/" and name.endswith((".yml", ".yaml")):
        return "workflow"
    if selects("dockerfile", relative):
        return "dockerfile"
    return None


class Repository:
    """The build definitions and Dockerfiles of one boundary (a repository's
    root, or the run's directory outside git), found by name once per run."""

    __slots__ = ("boundary", "_named", "_declared", "errors", "problems")

    def __init__(self, boundary: Boundary) -> None:
        self.boundary = boundary
        self._named: dict[str, list[str]] | None = None
        self._declared: list[Declared] | None = None
        # Definition file -> why it cannot be read.
        self.errors: dict[str, str] = {}
        # (definition file, one-line message, the Dockerfile concerned or None).
        self.problems: list[tuple[str, str, str | None]] = []

    @property
    def root(self) -> str:
        return self.boundary.root

    def named(self) -> dict[str, list[str]]:
        """Kind -> the absolute paths of the files of that kind, sorted."""
        if self._named is None:
            from python_docker_hooks._engine.files import named_listing

            root = self.root
            found: dict[str, list[str]] = {}
            for relative in named_listing(root, _PATHSPECS, definition_kind, git=self.boundary.repository):
                kind = definition_kind(relative)
                if kind is not None:
                    found.setdefault(kind, []).append(os.path.join(root, relative))
            for paths in found.values():
                paths.sort()
            self._named = found
        return self._named

    def dockerfiles(self) -> list[str]:
        """The repository's Dockerfiles, by the manifest's filter for them."""
        return [p for p in self.named().get("dockerfile", ()) if not os.path.islink(p)]

    def declared(self) -> list[Declared]:
        """Every build the repository's compose, bake and workflow files declare."""
        if self._declared is None:
            self._declared = []
            named = self.named()
            self._read_grouped(named.get("compose", []), COMPOSE_NAMES, COMPOSE_OVERRIDES, "compose")
            self._read_grouped(named.get("bake", []), BAKE_NAMES, BAKE_OVERRIDES, "bake")
            for path in named.get("workflow", [])[:_MAX_DEFINITIONS]:
                text = self._text(path)
                if text is None:
                    continue
                from python_docker_hooks._engine.definitions import (
                    DefinitionError,
                    workflow_builds,
                )

                try:
                    self._declared.extend(workflow_builds(path, text, self.root, shown(path)))
                except DefinitionError as exc:
                    self.errors[path] = str(exc)
        return self._declared

    def _text(self, path: str) -> str | None:
        """A definition file's text, read inside the boundary (None: it cannot
        be; why is kept in ``errors``)."""
        try:
            return read_text(path, self.boundary)
        except Refusal as exc:
            self.errors[path] = str(exc)
            return None

    def _read_grouped(
        self, paths: list[str], bases: tuple[str, ...], overrides: tuple[str, ...], kind: str
    ) -> None:
        """Read compose or bake files; in one directory, an ``.override`` file
        is merged over the first of the default names, as the tools do."""
        from python_docker_hooks._engine.definitions import (
            DefinitionError,
            bake_builds,
            bake_targets,
            compose_builds,
            compose_services,
        )

        by_dir: dict[str, list[str]] = {}
        for path in paths[:_MAX_DEFINITIONS]:
            by_dir.setdefault(os.path.dirname(path), []).append(os.path.basename(path))
        for directory in sorted(by_dir):
            names = by_dir[directory]
            base = next((n for n in bases if n in names), None)
            override = next((n for n in overrides if n in names), None)
            merged_names = [n for n in (base, override) if n is not None] if base else []
            singles = [n for n in sorted(names) if n not in merged_names]
            for group in ([merged_names] if merged_names else []) + [[n] for n in singles]:
                merged: dict[str, dict[str, object]] = {}
                defaults: dict[str, str] = {}
                first = os.path.join(directory, group[0])
                for name in group:
                    path = os.path.join(directory, name)
                    text = self._text(path)
                    if text is None:
                        continue
                    try:
                        if kind == "compose":
                            document = compose_services(text)
                        else:
                            document, variables = bake_targets(path, text)
                            defaults.update(variables)
                    except DefinitionError as exc:
                        self.errors[path] = str(exc)
                        continue
                    for key, value in document.items():
                        both = dict(merged.get(key, {}))
                        both.update(value)
                        merged[key] = both
                found = (
                    compose_builds(first, merged, shown(first))
                    if kind == "compose"
                    else bake_builds(first, merged, defaults, shown(first))
                )
                for item in found:
                    if isinstance(item, tuple):
                        continue
                    self._declared.append(item)  # type: ignore[union-attr]


def read_text(path: str, boundary: Boundary) -> str:
    """The text of the file at ``path``, which must stay inside ``boundary``.
    Raises Refusal (one line)."""
    from python_docker_hooks._dockerfile.text import DecodeError, decode
    from python_docker_hooks._engine.files import read

    if not boundary.holds(path):
        raise Refusal("is a symlink to a file outside the repository; not read")
    _, data = read(path)
    try:
        text, _ = decode(data)
    except DecodeError as exc:
        raise Refusal(str(exc)) from None
    return text


def load_compose(path: str) -> dict[str, dict[str, object]]:
    """Service name -> its ``build`` as a mapping, from one compose file.

    Raises Refusal (one line) when the file is not a compose file PyYAML can
    read, or is a symlink leaving the repository.
    """
    from python_docker_hooks._engine.boundary import boundary_of
    from python_docker_hooks._engine.definitions import (
        DefinitionError,
        compose_services,
    )

    text = read_text(path, boundary_of(path))
    try:
        return compose_services(text)
    except DefinitionError as exc:
        raise Refusal(str(exc)) from None


# --- one run's cache --------------------------------------------------------------------


class Resolver:
    """Builds of Dockerfiles and of ignore files, for one run, cached.

    ``config_of`` gives the config governing a path (the runner's loader).
    """

    __slots__ = (
        "config_of",
        "_repos",
        "_ignores",
        "_sources",
        "_builds",
        "_models",
        "_context_files",
        "_tracked",
        "_reads",
        "problems",
        "pending",
    )

    def __init__(self, config_of: Callable[[str], Config]) -> None:
        self.config_of = config_of
        self._repos: dict[str, Repository] = {}
        self._ignores: dict[str, tuple[IgnoreFile | None, str | None]] = {}
        # What each build's Dockerfile takes from its context, with the text it
        # was read from (None: the Dockerfile could not be read or parsed). The
        # sources are what an ignore file's check needs of the Dockerfiles it
        # serves; the models themselves are not kept.
        self._sources: dict[
            tuple[str, str, str | None], tuple[str | None, tuple[ContextSource, ...]]
        ] = {}
        self._builds: dict[str, list[Build]] = {}
        # Dockerfiles (absolute) whose unit is still to run in this group, and
        # the models read ahead for them (an ignore file checked first needed
        # their sources, or their context was found from what they copy): the
        # unit takes its model from here.
        self.pending: set[str] = set()
        self._models: dict[str, Dockerfile | None] = {}
        self._context_files: dict[str, tuple[str, ...]] = {}
        self._tracked: dict[str, tuple[str, ...] | None] = {}
        # What each build's RUN instructions read, as its sources were last read.
        self._reads: dict[tuple[str, str, str | None], BuildReads | None] = {}
        # (file, one-line message, Dockerfile concerned or None): builds not
        # checked because a path leaves the boundary.
        self.problems: list[tuple[str, str, str | None]] = []

    def repository(self, path: str) -> Repository:
        from python_docker_hooks._engine.boundary import boundary_of

        boundary = boundary_of(path)
        repo = self._repos.get(boundary.root)
        if repo is None:
            repo = self._repos[boundary.root] = Repository(boundary)
        return repo

    def errors(self) -> dict[str, str]:
        """Definition files that could not be read, with the reason."""
        errors: dict[str, str] = {}
        for repo in self._repos.values():
            errors.update(repo.errors)
        return errors

    compose_errors = errors

    def outside(self) -> list[tuple[str, str, str | None]]:
        """Every build left out because a path leaves the boundary: (the file
        that declares it, as shown; the reason; its Dockerfile or None)."""
        seen: dict[tuple[str, str], tuple[str, str, str | None]] = {}
        for item in self.problems + [p for r in self._repos.values() for p in r.problems]:
            seen.setdefault(item[:2], item)
        return list(seen.values())

    def builds_of(self, dockerfile: str) -> list[Build]:
        """Every way the Dockerfile at ``dockerfile`` is built, inside its
        boundary (none when every declared build leaves it)."""
        cached = self._builds.get(dockerfile)
        if cached is not None:
            return cached
        given = dockerfile
        dockerfile = os.path.normpath(os.path.abspath(dockerfile))
        cached = self._builds.get(dockerfile)
        if cached is None:
            cached = self._find_builds(dockerfile)
        # By the absolute path, and by the path as asked (a relative one while
        # the cwd is that of the run, which does not change during it).
        self._builds[dockerfile] = self._builds[given] = cached
        return cached

    def _find_builds(self, dockerfile: str) -> list[Build]:
        repo = self.repository(dockerfile)
        boundary = repo.boundary
        builds: list[Build] = []
        try:
            config = self.config_of(dockerfile)
        except Exception:  # noqa: BLE001 - the unit reports config errors itself
            config = None
        # The stage the config's ``targets`` says the file ships; a declared
        # build's own ``target`` comes first.
        target = config.target_for(dockerfile) if config is not None else None
        declared_outside = False
        # 1. The configuration.
        context = config.context_of(dockerfile) if config is not None else None
        if context is not None:
            assert config is not None
            where = shown(config.path or "pyproject.toml")
            if boundary.holds(context):
                return [
                    self._build(
                        dockerfile, context, target, f"{where} [tool.python-docker-hooks.contexts]"
                    )
                ]
            written = config.context_written(dockerfile) or context
            self.problems.append(
                (
                    where,
                    (f"the build context {written} of {shown(dockerfile)} in "
                    "[tool.python-docker-hooks.contexts] is outside the repository; not checked"),
                    dockerfile,
                )
            )
            return []
        # 2. Build definitions (compose, bake, workflows).
        seen: set[tuple[str, str | None]] = set()
        for d in repo.declared():
            if d.dockerfile != dockerfile:
                continue
            if not boundary.holds(d.context):
                declared_outside = True
                self._outside(d, "build context", d.raw[0], dockerfile)
                continue
            if not boundary.holds(dockerfile):
                continue
            if (d.context, d.target) in seen:
                continue
            seen.add((d.context, d.target))
            build = self._build(
                dockerfile, d.context, d.target or target, d.where, certain=d.certain
            )
            build.named = {
                k: (v if v is not None and boundary.holds(_join_named(d.context, v)) else None)
                for k, v in d.named.items()
            }
            builds.append(build)
        if builds or declared_outside:
            return builds
        # 3. What the Dockerfile copies.
        return [self._inferred(dockerfile, target, boundary)]

    def _outside(self, d: Declared, what: str, written: str, dockerfile: str | None) -> None:
        where = d.where.split(", read with", 1)[0]
        who = where.partition(", ")[2]
        self.problems.append(
            (
                shown(d.file),
                f"the {what} {written} of {who} is outside the repository; not checked",
                dockerfile,
            )
        )

    def _build(
        self,
        dockerfile: str,
        context: str,
        target: str | None,
        evidence: str,
        *,
        certain: bool = True,
    ) -> Build:
        from python_docker_hooks._engine.boundary import boundary_of

        build = Build(
            dockerfile, context, target, evidence, certain=certain, lister=self.context_files
        )
        boundary = boundary_of(dockerfile)
        # BuildKit sends the .git of the context's own directory, never one above it.
        build.sends_git = (
            boundary.repository and context == boundary.root
        ) or os.path.lexists(os.path.join(context, ".git"))
        if not boundary.holds(build.ignore_path):
            build.ignore_path = os.path.join(context, IGNORE_NAME)
        return build

    def _inferred(self, dockerfile: str, target: str | None, boundary: Boundary) -> Build:
        """The build of a Dockerfile nothing declares: the nearest directory,
        from its own up to the boundary's root, in which every COPY/ADD source
        exists; else its own directory, uncertain."""
        own = os.path.dirname(dockerfile)
        model = self._model_of(dockerfile, keep=True)
        sources: list[Source] = []
        if model is not None:
            from python_docker_hooks._dockerfile.sources import context_sources

            sources = [
                s
                for s in context_sources(model, target)
                if not s.whole_context and _expands_fully(model, s)
            ]
        if sources:
            current = own
            while boundary.holds(current):
                if all(_paths_in(current, s, boundary) for s in sources):
                    decisive = next(
                        (s for s in sources if not _paths_in(own, s, boundary)), sources[0]
                    )
                    return self._build(
                        dockerfile,
                        current,
                        target,
                        f"where {decisive.label} {decisive.value} exists",
                    )
                if current == boundary.root:
                    break
                parent = os.path.dirname(current)
                if parent == current:
                    break
                current = parent
        return self._build(
            dockerfile, own, target, "the Dockerfile's directory, uncertain", certain=False
        )

    def context_files(self, context: str) -> tuple[str, ...]:
        """The files of the context directory ``context``, listed once per run."""
        found = self._context_files.get(context)
        if found is None:
            found = self._context_files[context] = list_context(context)
        return found

    def context_tracked(self, context: str) -> tuple[str, ...] | None:
        """The files of the context directory git tracks, listed once per run."""
        if context not in self._tracked:
            self._tracked[context] = list_tracked(context)
        return self._tracked[context]

    def ignore_files_of(self, dockerfile: str) -> list[str]:
        """The ignore files (absolute; maybe missing) of the Dockerfile's builds."""
        return list(dict.fromkeys(b.ignore_path for b in self.builds_of(dockerfile)))

    def dockerfiles_of_compose(self, compose: str) -> list[str]:
        compose = os.path.normpath(os.path.abspath(compose))
        repo = self.repository(compose)
        directory = os.path.dirname(compose)
        found = []
        for d in repo.declared():
            if os.path.dirname(d.file) != directory:
                continue
            if not repo.boundary.holds(d.context):
                self._outside(d, "build context", d.raw[0], None)
                continue
            if not repo.boundary.holds(d.dockerfile):
                self._outside(d, "Dockerfile", d.raw[1], None)
                continue
            if os.path.isfile(d.dockerfile):
                found.append(d.dockerfile)
        return list(dict.fromkeys(found))

    def served_by(self, ignore: str) -> list[Build]:
        """The builds whose ignore file is ``ignore``."""
        ignore = os.path.normpath(os.path.abspath(ignore))
        name = os.path.basename(ignore)
        if name != IGNORE_NAME:
            candidates = [ignore[: -len(IGNORE_NAME)]]
        else:
            # A context is the Dockerfile's directory or above it, unless a
            # definition declares it: only those Dockerfiles can be served.
            repo = self.repository(ignore)
            directory = os.path.dirname(ignore)
            prefix = directory.rstrip(os.sep) + os.sep
            declared = [d.dockerfile for d in repo.declared() if d.context == directory]
            candidates = list(
                dict.fromkeys(
                    declared + [p for p in repo.dockerfiles() if p.startswith(prefix)]
                )
            )
        out: list[Build] = []
        for dockerfile in candidates:
            if not os.path.isfile(dockerfile):
                continue
            out.extend(b for b in self.builds_of(dockerfile) if b.ignore_path == ignore)
        return out

    def orphan(self, ignore: str) -> bool:
        """A per-Dockerfile ignore file whose Dockerfile does not exist: no build
        reads it."""
        ignore = os.path.abspath(ignore)
        if os.path.basename(ignore) == IGNORE_NAME:
            return False
        return not os.path.isfile(ignore[: -len(IGNORE_NAME)])

    def forget(self, path: str) -> None:
        """Drop what was read of ``path`` (the engine just wrote it, or its
        group of files is done)."""
        path = os.path.abspath(path)
        self._ignores.pop(path, None)
        self._models.pop(path, None)
        for build in self._builds.get(path, ()):
            self._sources.pop(build.key, None)
            self._reads.pop(build.key, None)

    # --- data handed to hooks ---

    def read_ignore(self, path: str) -> tuple[IgnoreFile | None, str | None]:
        path = os.path.abspath(path)
        cached = self._ignores.get(path)
        if cached is not None:
            return cached
        from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
        from python_docker_hooks._engine.boundary import boundary_of

        result: tuple[IgnoreFile | None, str | None]
        if not os.path.lexists(path):
            result = (None, None)
        else:
            try:
                result = (IgnoreFile(read_text(path, boundary_of(path))), None)
            except Refusal as exc:
                result = (None, str(exc))
        self._ignores[path] = result
        return result

    def ignore_read(self, path: str, data: bytes) -> IgnoreFile | None:
        """The ignore file at ``path`` from ``data``, the bytes just read there:
        the one this run holds when it has that text, else parsed and kept
        (None when the bytes do not decode: the unit reports that)."""
        from python_docker_hooks._dockerfile.text import DecodeError, decode
        from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

        try:
            text, _ = decode(data)
        except DecodeError:
            return None
        key = os.path.abspath(path)
        cached = self._ignores.get(key)
        if cached is not None and cached[0] is not None and cached[0].text == text:
            return cached[0]
        ignore = IgnoreFile(text)
        self._ignores[key] = (ignore, None)
        return ignore

    def settle(self, dockerfile: str, model: Dockerfile | None) -> None:
        """Record what the Dockerfile at ``dockerfile`` now holds (``model``,
        None when it cannot be read or parsed): the ignore files it is served
        by read its sources from here rather than parsing it again."""
        for build in self.builds_of(dockerfile):
            self.sources_of(build, model)

    def take_model(self, dockerfile: str) -> Dockerfile | None:
        """The model read ahead for the Dockerfile's unit, now running, if any."""
        dockerfile = os.path.abspath(dockerfile)
        self.pending.discard(dockerfile)
        return self._models.pop(dockerfile, None)

    def readable(self, dockerfile: str) -> bool:
        """Whether the Dockerfile (its unit still to run) reads and parses."""
        return self._model_of(os.path.abspath(dockerfile)) is not None

    def _model_of(self, dockerfile: str, *, keep: bool = False) -> Dockerfile | None:
        """The Dockerfile parsed (None: it cannot be); kept for its unit if that
        is still to run (or ``keep``: read while planning, for a unit to come)."""
        if dockerfile in self._models:
            return self._models[dockerfile]
        model = _read_model(dockerfile)
        if keep or dockerfile in self.pending:
            self._models[dockerfile] = model
        return model

    def sources_of(
        self, build: Build, model: Dockerfile | None
    ) -> tuple[ContextSource, ...]:
        """What ``model`` (the build's Dockerfile) takes from the build's context."""
        text = model.text if model is not None else None
        cached = self._sources.get(build.key)
        if cached is not None and cached[0] == text:
            return cached[1]
        sources: tuple[ContextSource, ...] = ()
        if model is not None:
            from python_docker_hooks._dockerfile.sources import context_sources
            from python_docker_hooks._engine.boundary import boundary_of

            boundary = boundary_of(build.dockerfile)
            sources = tuple(
                ContextSource(
                    src, None if src.whole_context else _paths(build.context, src, boundary)
                )
                for src in context_sources(model, build.target)
            )
        self._sources[build.key] = (text, sources)
        if model is not None:
            from python_docker_hooks._dockerfile.reads import build_reads

            self._reads[build.key] = build_reads(model, build.target)
        else:
            self._reads[build.key] = None
        return sources

    def known_sources(self, build: Build) -> tuple[ContextSource, ...]:
        """The build's sources as last settled, else read from its Dockerfile."""
        cached = self._sources.get(build.key)
        if cached is not None:
            return cached[1]
        return self.sources_of(build, self._model_of(build.dockerfile))

    def complete(self, build: Build, sources: tuple[ContextSource, ...]) -> Build:
        """A copy of ``build`` with its ignore file read and its sources."""
        done = Build(
            build.dockerfile,
            build.context,
            build.target,
            build.evidence,
            certain=build.certain,
            lister=self.context_files,
            tracker=self.context_tracked,
        )
        done.ignore_path = build.ignore_path
        done.sends_git = build.sends_git
        done.named = build.named
        done.ignore, done.ignore_problem = self.read_ignore(build.ignore_path)
        done.sources = sources
        done.reads = self._reads.get(build.key)
        return done


_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _expands_fully(model: Dockerfile, source: Source) -> bool:
    """Whether every variable a source names has a value in the Dockerfile (an
    ARG without a default is given at build time: such a source says nothing
    of where the build runs)."""
    if "$" not in source.raw:
        return True
    stage = model.stage_of(source.instruction)
    if stage is None:
        return False
    env = model.env(stage, source.instruction, build=True)
    return all(name in env for name in _VARIABLE.findall(source.raw))


def _join_named(context: str, value: str) -> str:
    return os.path.normpath(os.path.join(context, value))


def list_context(context: str) -> tuple[str, ...]:
    """The files of the directory ``context``, relative to it with "/", sorted:
    git's listing in a work tree (a symlink is listed as itself, as BuildKit
    sends it), else a walk that follows no symlink."""
    from python_docker_hooks._engine.boundary import boundary_of
    from python_docker_hooks._engine.files import listing

    boundary = boundary_of(context)
    if not boundary.holds(context) or os.path.islink(context):
        return ()
    return tuple(sorted(listing(context, git=boundary.repository)))


def list_tracked(context: str) -> tuple[str, ...] | None:
    """The files below ``context`` git tracks, relative to it with "/", sorted;
    None outside a work tree (``git ls-files --cached``: the index's files)."""
    from python_docker_hooks._engine.boundary import boundary_of

    boundary = boundary_of(context)
    if not boundary.repository or not boundary.holds(context) or os.path.islink(context):
        return None
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--cached"],
            cwd=context,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if proc.returncode != 0:
        return None
    return tuple(sorted(os.fsdecode(n) for n in proc.stdout.split(b"\0") if n))


def _read_model(path: str) -> Dockerfile | None:
    """The Dockerfile at ``path`` parsed, or None when it cannot be (or it is a
    symlink leaving the boundary)."""
    from python_docker_hooks._dockerfile.parse import ParseError, parse
    from python_docker_hooks._engine.boundary import boundary_of

    try:
        return parse(read_text(path, boundary_of(path)))
    except (Refusal, ParseError):
        return None


def _clean_source(source: Source) -> str:
    """A source's path in the context: BuildKit roots it there, so ``..`` and a
    leading ``/`` never leave the context."""
    from python_docker_hooks._dockerignore.syntax import go_clean

    return go_clean("/" + source.value).lstrip("/")


def _paths(context: str, source: Source, boundary: Boundary | None = None) -> tuple[str, ...]:
    """What a source names in the context, relative to it."""
    cleaned = _clean_source(source)
    if not source.wildcard:
        return (cleaned,)
    return tuple(_glob(context, cleaned, boundary))


def _paths_in(directory: str, source: Source, boundary: Boundary) -> bool:
    """Whether ``source`` names something that exists in ``directory``."""
    cleaned = _clean_source(source)
    if not cleaned:
        return True
    if source.wildcard:
        return bool(_glob(directory, cleaned, boundary, first=True))
    path = os.path.join(directory, cleaned)
    return os.path.lexists(path) and boundary.holds(os.path.dirname(path))


def _glob(
    context: str, pattern: str, boundary: Boundary | None = None, *, first: bool = False
) -> list[str]:
    """Context paths matching a wildcard source, one path segment at a time with
    Go's filepath.Match rules (as BuildKit matches COPY sources). A directory
    that is a symlink leaving the boundary is not listed."""
    from python_docker_hooks._dockerignore.syntax import (
        PatternError,
        compile_pattern,
        to_python,
    )

    current = [""]
    for part in pattern.split("/"):
        found: list[str] = []
        if not any(ch in part for ch in "*?["):
            for prefix in current:
                candidate = f"{prefix}/{part}" if prefix else part
                if os.path.lexists(os.path.join(context, candidate)):
                    found.append(candidate)
        else:
            try:
                _, re2 = compile_pattern(part.replace("**", "*"))
                regex = to_python(re2) if re2 is not None else None
            except PatternError:
                return []
            for prefix in current:
                directory = os.path.join(context, prefix) if prefix else context
                if boundary is not None and not boundary.holds(directory):
                    continue
                try:
                    names = sorted(os.listdir(directory))
                except OSError:
                    continue
                for name in names:
                    if (regex.search(name) is not None) if regex else name == part:
                        found.append(f"{prefix}/{name}" if prefix else name)
                        if len(found) > _MAX_GLOB:
                            return found
        current = found
        if not current:
            break
    if first:
        return current[:1]
    return current


class UnitResolver:
    """What one checked file's Context asks for: the builds of a Dockerfile (with
    ``model``, the text being checked, for its sources), or the builds an ignore
    file serves (each with its Dockerfile's sources, as the run last saw it)."""

    __slots__ = ("resolver", "path", "model")

    def __init__(self, resolver: Resolver, path: str, model: Dockerfile | None) -> None:
        self.resolver = resolver
        self.path = path
        self.model = model

    def builds(self) -> tuple[Build, ...]:
        r = self.resolver
        return tuple(
            r.complete(b, r.sources_of(b, self.model)) for b in r.builds_of(self.path)
        )

    def served(self) -> tuple[Build, ...]:
        r = self.resolver
        return tuple(r.complete(b, r.known_sources(b)) for b in r.served_by(self.path))

    def context_file(self, build: Build, path: str) -> ContextFile:
        """A file of ``build``'s context, read only inside the repository and
        the context (symlinks resolved first), up to ``CONTEXT_FILE_LIMIT``."""
        from python_docker_hooks._engine.vocabulary import (
            CONTEXT_FILE_LIMIT,
            ContextFile,
        )

        relative = path.lstrip("/")
        full = os.path.join(build.context, *relative.split("/"))
        if not os.path.isfile(full):
            return ContextFile(False, None)
        real = os.path.realpath(full)
        root = os.path.realpath(self.resolver.repository(self.path).root)
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
