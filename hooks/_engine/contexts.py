"""Build contexts, read from the file system for the hooks that ask.

How a Dockerfile is built decides what its ignore file must exclude and what its
COPY sources can reach:

- the context is the Dockerfile's own directory (``docker build -f d/Dockerfile d``),
- unless a ``[tool.python-docker-hooks.contexts]`` glob in the config governing
  the Dockerfile names another directory (the first glob that matches wins),
- or else compose files in the repository build it: every service whose ``build``
  (a context string, or a mapping of ``context``, ``dockerfile`` and ``target``)
  names it gives one build, so a Dockerfile built by several services with
  different contexts is checked against each;
- the ignore file is ``<Dockerfile name>.dockerignore`` beside the Dockerfile when
  it exists (BuildKit's dockerui reads ``filename + ".dockerignore"`` first), else
  ``<context>/.dockerignore``.

Compose files are found from the repository root (the nearest directory above
the file holding ``.git``; without one, the file's own directory): every file of
git's listing (tracked and untracked, not git-ignored) named as ``docker compose``
names its files, read with PyYAML's ``safe_load``. In one directory the first of
``compose.yaml``, ``compose.yml``, ``docker-compose.yaml``, ``docker-compose.yml``
is the project file and the first ``.override`` file is merged over it, as
``docker compose`` does. Values holding ``${...}`` are left out (they depend on
the environment). A compose file that cannot be read is reported once per run.

Everything here is cached for the run: one repository listing, one parse of each
compose file, ignore file and Dockerfile.
"""

from __future__ import annotations

import os

from python_docker_hooks._engine.files import COMPOSE_NAMES, COMPOSE_OVERRIDES, Refusal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._dockerfile.reads import BuildReads
    from python_docker_hooks._dockerfile.sources import Source
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
    from python_docker_hooks._engine.config import Config

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


class ComposeBuild:
    """What one compose service builds."""

    __slots__ = ("compose", "service", "context", "dockerfile", "target")

    def __init__(
        self, compose: str, service: str, context: str, dockerfile: str, target: str | None
    ) -> None:
        self.compose = compose
        self.service = service
        self.context = context
        self.dockerfile = dockerfile
        self.target = target


# --- the repository ------------------------------------------------------------------


class Repository:
    """The files of one repository that builds depend on, listed once."""

    __slots__ = ("root", "_files", "_dockerfiles", "_compose", "compose_errors")

    def __init__(self, root: str) -> None:
        self.root = root
        self._files: list[str] | None = None
        self._dockerfiles: list[str] | None = None
        self._compose: list[ComposeBuild] | None = None
        # Compose file -> the reason it cannot be read.
        self.compose_errors: dict[str, str] = {}

    def files(self) -> list[str]:
        """Absolute paths of the repository's files (git's listing when it is a
        git checkout: tracked and untracked, not ignored)."""
        if self._files is None:
            from python_docker_hooks._engine.files import listing

            root = self.root
            # The root is a work tree's when it holds .git (``_repository_root``).
            git = os.path.exists(os.path.join(root, ".git"))
            paths = (os.path.join(root, r) for r in listing(root, git=git))
            self._files = sorted(path for path in paths if os.path.isfile(path))
        return self._files

    def dockerfiles(self) -> list[str]:
        """The repository's Dockerfiles, by the manifest's filter for them."""
        if self._dockerfiles is None:
            from python_docker_hooks._engine.files import selects

            root = self.root
            self._dockerfiles = [
                path
                for path in self.files()
                if selects("dockerfile", os.path.relpath(path, root).replace(os.sep, "/"))
            ]
        return self._dockerfiles

    def compose_builds(self) -> list[ComposeBuild]:
        if self._compose is None:
            self._compose = []
            by_dir: dict[str, set[str]] = {}
            for path in self.files():
                name = os.path.basename(path)
                if name in COMPOSE_NAMES or name in COMPOSE_OVERRIDES:
                    by_dir.setdefault(os.path.dirname(path), set()).add(name)
            for directory in sorted(by_dir):
                self._compose.extend(self._directory_builds(directory, by_dir[directory]))
        return self._compose

    def _directory_builds(self, directory: str, names: set[str]) -> list[ComposeBuild]:
        base = next((n for n in COMPOSE_NAMES if n in names), None)
        override = next((n for n in COMPOSE_OVERRIDES if n in names), None)
        services: dict[str, tuple[str, dict[str, object]]] = {}
        for name in (base, override):
            if name is None:
                continue
            path = os.path.join(directory, name)
            try:
                document = load_compose(path)
            except Refusal as exc:
                self.compose_errors[path] = str(exc)
                continue
            for service, build in document.items():
                merged = dict(services[service][1]) if service in services else {}
                merged.update(build)
                services[service] = (path, merged)
        out = []
        for service, (path, build) in services.items():
            found = _compose_build(path, service, build)
            if found is not None:
                out.append(found)
        return out


def load_compose(path: str) -> dict[str, dict[str, object]]:
    """Service name -> its ``build`` as a mapping, from one compose file.

    Raises Refusal (one line) when the file is not a compose file PyYAML can read.
    """
    from python_docker_hooks._dockerfile.text import DecodeError, decode
    from python_docker_hooks._engine.files import read

    _, data = read(path)
    try:
        text, _ = decode(data)
    except DecodeError as exc:
        raise Refusal(str(exc)) from None
    import yaml  # type: ignore[import-untyped]

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or type(exc).__name__
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise Refusal(f"invalid YAML: {where}{problem}") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise Refusal("not a compose file: the top level is not a mapping")
    services = document.get("services")
    if services is None:
        return {}
    if not isinstance(services, dict):
        raise Refusal('not a compose file: "services" is not a mapping')
    out: dict[str, dict[str, object]] = {}
    for name, service in services.items():
        if not isinstance(service, dict) or "build" not in service:
            continue
        build = service["build"]
        if isinstance(build, str):
            out[str(name)] = {"context": build}
        elif isinstance(build, dict):
            out[str(name)] = {str(k): v for k, v in build.items()}
    return out


def _compose_build(path: str, service: str, build: dict[str, object]) -> ComposeBuild | None:
    if "dockerfile_inline" in build:
        # The Dockerfile is the compose file's own text, not a file of the repository.
        return None
    context = build.get("context", ".")
    dockerfile = build.get("dockerfile", "Dockerfile")
    target = build.get("target")
    if not isinstance(context, str) or not isinstance(dockerfile, str):
        return None
    if "$" in context or "$" in dockerfile or "://" in context or context.startswith("git@"):
        return None
    if target is not None and (not isinstance(target, str) or "$" in target):
        target = None
    directory = os.path.normpath(os.path.join(os.path.dirname(path), context))
    dockerfile_path = os.path.normpath(os.path.join(directory, dockerfile))
    return ComposeBuild(path, service, directory, dockerfile_path, target)


# --- one run's cache --------------------------------------------------------------------


class Resolver:
    """Builds of Dockerfiles and of ignore files, for one run, cached.

    ``config_of`` gives the config governing a path (the runner's loader).
    """

    __slots__ = (
        "config_of",
        "_repos",
        "_roots",
        "_ignores",
        "_sources",
        "_builds",
        "_models",
        "_context_files",
        "_tracked",
        "_reads",
        "pending",
    )

    def __init__(self, config_of: Callable[[str], Config]) -> None:
        self.config_of = config_of
        self._repos: dict[str, Repository] = {}
        self._roots: dict[str, str] = {}
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
        # their sources): the unit takes its model from here.
        self.pending: set[str] = set()
        self._models: dict[str, Dockerfile | None] = {}
        self._context_files: dict[str, tuple[str, ...]] = {}
        self._tracked: dict[str, tuple[str, ...] | None] = {}
        # What each build's RUN instructions read, as its sources were last read.
        self._reads: dict[tuple[str, str, str | None], BuildReads | None] = {}

    def repository(self, path: str) -> Repository:
        directory = os.path.dirname(os.path.abspath(path))
        root = self._roots.get(directory)
        if root is None:
            root = _repository_root(directory)
            self._roots[directory] = root
        repo = self._repos.get(root)
        if repo is None:
            repo = self._repos[root] = Repository(root)
        return repo

    def compose_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for repo in self._repos.values():
            errors.update(repo.compose_errors)
        return errors

    def builds_of(self, dockerfile: str) -> list[Build]:
        """Every way the Dockerfile at ``dockerfile`` is built (at least one)."""
        cached = self._builds.get(dockerfile)
        if cached is not None:
            return cached
        given = dockerfile
        dockerfile = os.path.abspath(dockerfile)
        cached = self._builds.get(dockerfile)
        if cached is not None:
            self._builds[given] = cached
            return cached
        builds: list[Build] = []
        try:
            config = self.config_of(dockerfile)
        except Exception:  # noqa: BLE001 - the unit reports config errors itself
            config = None
        context = config.context_of(dockerfile) if config is not None else None
        # The stage the config's ``targets`` says the file ships; a compose
        # service's own ``target`` comes first.
        target = config.target_for(dockerfile) if config is not None else None
        if context is not None:
            assert config is not None
            builds.append(
                Build(
                    dockerfile,
                    context,
                    target,
                    f"{shown(config.path or '')} [tool.python-docker-hooks.contexts]",
                )
            )
        else:
            repo = self.repository(dockerfile)
            seen: set[tuple[str, str | None]] = set()
            for cb in repo.compose_builds():
                if cb.dockerfile != dockerfile or (cb.context, cb.target) in seen:
                    continue
                seen.add((cb.context, cb.target))
                builds.append(
                    Build(
                        dockerfile,
                        cb.context,
                        cb.target or target,
                        f"{shown(cb.compose)}, service {cb.service}",
                    )
                )
        if not builds:
            builds.append(
                Build(
                    dockerfile,
                    os.path.dirname(dockerfile),
                    target,
                    "the Dockerfile's directory",
                    certain=False,
                )
            )
        # By the absolute path, and by the path as asked (a relative one while
        # the cwd is that of the run, which does not change during it).
        self._builds[dockerfile] = self._builds[given] = builds
        return builds

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
        compose = os.path.abspath(compose)
        repo = self.repository(compose)
        directory = os.path.dirname(compose)
        return list(
            dict.fromkeys(
                cb.dockerfile
                for cb in repo.compose_builds()
                if os.path.dirname(cb.compose) == directory and os.path.isfile(cb.dockerfile)
            )
        )

    def served_by(self, ignore: str) -> list[Build]:
        """The builds whose ignore file is ``ignore``."""
        ignore = os.path.abspath(ignore)
        name = os.path.basename(ignore)
        if name != IGNORE_NAME:
            candidates = [ignore[: -len(IGNORE_NAME)]]
        else:
            candidates = self.repository(ignore).dockerfiles()
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
        from python_docker_hooks._dockerfile.text import DecodeError, decode
        from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
        from python_docker_hooks._engine.files import read

        result: tuple[IgnoreFile | None, str | None]
        if not os.path.lexists(path):
            result = (None, None)
        else:
            try:
                _, data = read(path)
                text, _ = decode(data)
                result = (IgnoreFile(text), None)
            except (Refusal, DecodeError) as exc:
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

    def _model_of(self, dockerfile: str) -> Dockerfile | None:
        """The Dockerfile parsed (None: it cannot be); kept for its unit if that
        is still to run."""
        if dockerfile in self._models:
            return self._models[dockerfile]
        model = _read_model(dockerfile)
        if dockerfile in self.pending:
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

            sources = tuple(
                ContextSource(src, None if src.whole_context else _paths(build.context, src))
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
        done.ignore, done.ignore_problem = self.read_ignore(build.ignore_path)
        done.sources = sources
        done.reads = self._reads.get(build.key)
        return done


def list_context(context: str) -> tuple[str, ...]:
    """The files of the directory ``context``, relative to it with "/", sorted."""
    from python_docker_hooks._engine.files import listing

    git = os.path.exists(os.path.join(_repository_root(context), ".git"))
    return tuple(sorted(listing(context, git=git)))


def list_tracked(context: str) -> tuple[str, ...] | None:
    """The files below ``context`` git tracks, relative to it with "/", sorted;
    None outside a work tree (``git ls-files --cached``: the index's files)."""
    if not os.path.exists(os.path.join(_repository_root(context), ".git")):
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
    """The Dockerfile at ``path`` parsed, or None when it cannot be."""
    from python_docker_hooks._dockerfile.parse import ParseError, parse
    from python_docker_hooks._dockerfile.text import DecodeError, decode
    from python_docker_hooks._engine.files import read

    try:
        _, data = read(path)
        return parse(decode(data)[0])
    except (Refusal, DecodeError, ParseError):
        return None


def _repository_root(directory: str) -> str:
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return directory
        current = parent


def _paths(context: str, source: Source) -> tuple[str, ...]:
    """What a source names in the context, relative to it."""
    from python_docker_hooks._dockerignore.syntax import go_clean

    cleaned = go_clean(source.value).lstrip("/")
    cleaned = go_clean(cleaned)
    if not source.wildcard:
        return (cleaned,)
    return tuple(_glob(context, cleaned))


def _glob(context: str, pattern: str) -> list[str]:
    """Context paths matching a wildcard source, one path segment at a time with
    Go's filepath.Match rules (as BuildKit matches COPY sources)."""
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
                try:
                    names = sorted(os.listdir(os.path.join(context, prefix) if prefix else context))
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
