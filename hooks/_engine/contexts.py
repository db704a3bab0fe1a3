"""Build contexts, read from the file system for the hooks that ask.

How a Dockerfile is built decides what its ignore file must exclude and what its
COPY sources can reach. The context is evidence, and the strongest wins:

1. a ``[tool.python-docker-hooks.contexts]`` glob in the config governing the
   Dockerfile (the first that matches);
2. the builds the repository's definition files declare
   (``python_docker_hooks._engine.definitions``: compose files of any name and
   depth, bake files, GitHub Actions workflows, Docker container actions'
   metadata), found by name in one
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
repository, one parse of each definition file, one listing of each context's
files, made only when a rule asks (``Build.files``). The models of Dockerfiles
and ignore files are not kept here: the owner of each group of files holds them
(``python_docker_hooks._engine.group``).
"""

from __future__ import annotations

import os

from python_docker_hooks._dockerfile.reads import build_reads
from python_docker_hooks._dockerfile.sources import context_sources
from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.builds import (
    IGNORE_NAME,
    Build,
    ContextSource,
    Tracked,
    list_context,
    shown,
    tracked_index,
)
from python_docker_hooks._engine.files import (
    COMPOSE_NAMES,
    COMPOSE_OVERRIDES,
    Refusal,
    listing,
    read_text,
    selects,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._dockerfile.reads import BuildReads
    from python_docker_hooks._dockerfile.sources import Source
    from python_docker_hooks._engine.boundary import Boundary
    from python_docker_hooks._engine.config import Config
    from python_docker_hooks._engine.definitions import Declared

__all__ = [
    "BAKE_NAMES",
    "BAKE_OVERRIDES",
    "Repository",
    "Resolver",
    "definition_kind",
    "load_compose",
]

# Bounds on what a wildcard COPY source may make us list.
_MAX_GLOB = 10_000


# --- the repository ------------------------------------------------------------------

# Build definitions and Dockerfiles, found by name. In a work tree, the paths
# of git's index that hold one of these texts (the index is read once for the
# run, and the contexts at the root ask the same listing; searching its bytes
# costs a scan in C, where git's own ``*text*`` pathspecs cost a tenth of a
# second more on 100,000 files), and those below ``_WORKFLOWS``; outside git,
# a walk's files. Narrowed by
# ``definition_kind``. A Dockerfile named in upper case (``DOCKERFILE``) is not
# looked for.
_LITERALS = ("ocker", "ontainer", "ompose", "action.y")
ACTION_NAMES = ("action.yml", "action.yaml")
_WORKFLOWS = ".github/workflows"
BAKE_NAMES = ("docker-bake.json", "docker-bake.hcl")
BAKE_OVERRIDES = ("docker-bake.override.json", "docker-bake.override.hcl")
# The most definition files of one kind read in a repository: past it, the
# rest are not read (a run stays bounded whatever a change adds).
_MAX_DEFINITIONS = 2_000


def definition_kind(relative: str) -> str | None:
    """What the file at ``relative`` ('/'-separated, from the repository root)
    is to the resolver: ``dockerfile``, ``compose``, ``bake``, ``workflow``,
    ``action``."""
    name = relative.rsplit("/", 1)[-1]
    if name in BAKE_NAMES or name in BAKE_OVERRIDES:
        return "bake"
    if name in ACTION_NAMES:
        return "action"
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

    __slots__ = ("boundary", "_index", "_named", "_declared", "errors", "problems")

    def __init__(
        self, boundary: Boundary, index: Callable[[str], Tracked | None] = tracked_index
    ) -> None:
        self.boundary = boundary
        self._index = index
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
            root = self.root
            found: dict[str, list[str]] = {}
            index = self._index(root) if self.boundary.repository else None
            relatives: Sequence[str] = (
                (*index.holding(_LITERALS), *index.below(_WORKFLOWS))
                if index is not None
                else listing(root, git=False)
            )
            for relative in relatives:
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
        """Every build the repository's compose, bake, workflow and action
        metadata files declare."""
        if self._declared is None:
            self._declared = []
            named = self.named()
            self._read_grouped(named.get("compose", []), COMPOSE_NAMES, COMPOSE_OVERRIDES, "compose")
            self._read_grouped(named.get("bake", []), BAKE_NAMES, BAKE_OVERRIDES, "bake")
            for kind in ("workflow", "action"):
                for path in named.get(kind, [])[:_MAX_DEFINITIONS]:
                    text = self._text(path)
                    if text is None:
                        continue
                    from python_docker_hooks._engine.definitions import (
                        DefinitionError,
                        action_builds,
                        workflow_builds,
                    )

                    try:
                        if kind == "workflow":
                            self._declared.extend(workflow_builds(path, text, self.root, shown(path)))
                        else:
                            self._declared.extend(action_builds(path, text, shown(path)))
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
        if not paths:
            return
        # Imported only when the repository has definition files.
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


def load_compose(path: str) -> dict[str, dict[str, object]]:
    """Service name -> its ``build`` as a mapping, from one compose file.

    Raises Refusal (one line) when the file is not a compose file PyYAML can
    read, or is a symlink leaving the repository.
    """
    from python_docker_hooks._engine.definitions import (
        DefinitionError,
        compose_services,
    )

    text = read_text(path, boundary_of(path))
    try:
        return compose_services(text)
    except DefinitionError as exc:
        raise Refusal(str(exc)) from None


# --- one run's builds -------------------------------------------------------------------


class Resolver:
    """The builds of Dockerfiles and of ignore files, for one run, cached: what
    the definition files declare, and the contexts inferred from what a
    Dockerfile copies.

    ``config_of`` gives the config governing a path (the runner's loader);
    ``dockerfile`` the model of a Dockerfile as the run holds it (None: it
    cannot be read or parsed), asked when a context is inferred from its
    sources. The run points it at the owner of the files being checked
    (``python_docker_hooks._engine.group``); the resolver keeps no model.
    """

    __slots__ = (
        "config_of",
        "dockerfile",
        "_repos",
        "_builds",
        "_context_files",
        "_tracked",
        "problems",
    )

    def __init__(
        self,
        config_of: Callable[[str], Config],
        dockerfile: Callable[[str], Dockerfile | None],
    ) -> None:
        self.config_of = config_of
        self.dockerfile = dockerfile
        self._repos: dict[str, Repository] = {}
        self._builds: dict[str, list[Build]] = {}
        self._context_files: dict[str, tuple[str, ...]] = {}
        self._tracked: dict[str, Tracked | None] = {}
        # (file, one-line message, Dockerfile concerned or None): builds not
        # checked because a path leaves the boundary.
        self.problems: list[tuple[str, str, str | None]] = []

    def repository(self, path: str) -> Repository:
        boundary = boundary_of(path)
        repo = self._repos.get(boundary.root)
        if repo is None:
            repo = self._repos[boundary.root] = Repository(boundary, self.context_tracked)
        return repo

    def errors(self) -> dict[str, str]:
        """Definition files that could not be read, with the reason."""
        errors: dict[str, str] = {}
        for repo in self._repos.values():
            errors.update(repo.errors)
        return errors

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
            build.action = d.action
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
        model = self.dockerfile(dockerfile)
        sources: list[Source] = []
        if model is not None:
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
                if (
                    current == own
                    and current != boundary.root
                    and _has_own_ignore_file(own, boundary)
                ):
                    # A .dockerignore is read only at a context's root: the
                    # Dockerfile's directory holding one is built as a context,
                    # so a source missing there is no reason to look higher.
                    missing = next(s for s in sources if not _paths_in(own, s, boundary))
                    return self._build(
                        dockerfile,
                        own,
                        target,
                        f"the Dockerfile's directory, which has its own .dockerignore, "
                        f"though {missing.label} {missing.value} is not in it; uncertain",
                        certain=False,
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

    def context_tracked(self, context: str) -> Tracked | None:
        """What git's index holds below the directory ``context``, read once
        per run (None outside a work tree)."""
        if context not in self._tracked:
            self._tracked[context] = tracked_index(context)
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

    def context_sources(
        self, build: Build, model: Dockerfile | None
    ) -> tuple[tuple[ContextSource, ...], BuildReads | None]:
        """What ``model`` (the build's Dockerfile; None: it cannot be read or
        parsed) takes from the build's context, and what its RUN instructions
        read (None: unknown)."""
        if model is None:
            return (), None
        boundary = boundary_of(build.dockerfile)
        sources = tuple(
            ContextSource(
                src, None if src.whole_context else _paths(build.context, src, boundary)
            )
            for src in context_sources(model, build.target)
        )
        return sources, build_reads(model, build.target)


_VARIABLE = LazyPattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _has_own_ignore_file(directory: str, boundary: Boundary) -> bool:
    """Whether ``directory`` holds a ``.dockerignore`` (a file inside the boundary)."""
    path = os.path.join(directory, ".dockerignore")
    return boundary.holds(path) and os.path.isfile(path)


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


def _clean_source(source: Source) -> str:
    """A source's path in the context: BuildKit roots it there, so ``..`` and a
    leading ``/`` never leave the context."""
    from python_docker_hooks._go import go_clean

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
