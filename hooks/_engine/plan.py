"""What a run checks: units (one file and the hooks to run on it), in groups that
share nothing. Units run in the order the run meets them. Planning computes the
units and the groups only; each group is checked by the owner of its files
(``python_docker_hooks._engine.group``).

A hook that reads only the Dockerfile it is given makes each file a group of its
own. A hook that checks the files a Dockerfile leads to (its build's ignore file,
``python_docker_hooks._engine.contexts``) ties files together: an ignore file is checked with
what each Dockerfile it serves takes from the context, and a Dockerfile's COPY
sources are judged by its ignore file. Such files form one group, so that

- each file is parsed once in the run: the group's owner holds the model of
  each of its files as it stands, and both checks ask it;
- what a group held is dropped when the group is done (memory stays that of one
  group, not of the run);
- groups can run in separate workers (``python_docker_hooks._engine.parallel``): no file is in
  two groups.

Planning reads names, configs and compose files, and a Dockerfile only when its
context is inferred from what it copies (through the ``dockerfile`` it is given:
the model is kept for the group that checks the file). Whether a Dockerfile
given only to lead to its ignore file can be read is learnt when its group
first reads it, and an ignore file reached only from unreadable Dockerfiles is
not checked.
"""

from __future__ import annotations

import os

from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.files import (
    COMPOSE,
    DOCKERFILE,
    DOCKERIGNORE,
    KINDS,
    Refusal,
    kind_of,
)
from python_docker_hooks._engine.files import read as read_file
from python_docker_hooks._engine.runner import config_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._engine.contexts import Resolver
    from python_docker_hooks._engine.runner import Options
    from python_docker_hooks._engine.vocabulary import HookSpec


class Unit:
    """One file to check with ``specs`` (hooks that check its ``kind``; None:
    decided from its name). A ``probe`` is a Dockerfile read only to learn that
    it can be read and what it sources; it reports only a refusal. ``leaders``
    are the Dockerfiles (keys) that lead to this unit; a unit not ``reached``
    another way is checked only if one of them could be read."""

    __slots__ = ("key", "path", "kind", "specs", "missing_ok", "refusal", "probe", "leaders", "reached")

    def __init__(self, key: str, path: str, kind: str | None) -> None:
        self.key = key
        self.path = path
        self.kind = kind
        self.specs: list[HookSpec] = []
        self.missing_ok = True
        self.refusal: str | None = None
        self.probe = False
        self.leaders: list[str] = []
        self.reached = False

    def __repr__(self) -> str:
        return f"Unit({self.path!r}, {self.kind!r}, {[s.id for s in self.specs]})"


class Plan:
    """The groups of one run, and what the run reports after them."""

    __slots__ = ("specs", "options", "resolver", "groups", "after")

    def __init__(
        self,
        specs: Sequence[HookSpec],
        options: Options,
        resolver: Resolver | None,
        groups: list[list[Unit]],
        after: list[tuple[str, str]],
    ) -> None:
        self.specs = specs
        self.options = options
        self.resolver = resolver
        self.groups = groups
        # (path, reason) of compose files that could not be read, reported last.
        self.after = after


def plan(
    paths: Iterable[str],
    specs: Sequence[HookSpec],
    options: Options,
    dockerfile: Callable[[str], Dockerfile | None],
) -> Plan:
    """The units of running ``specs`` over ``paths``, grouped. ``dockerfile``
    gives the model of a Dockerfile whose context is inferred from what it
    copies (the run's ``ReadAhead``)."""
    if all(
        s.kinds == (DOCKERFILE,) and s.model_kind == DOCKERFILE and not s.reads_contexts
        for s in specs
    ):
        groups = []
        for path in paths:
            unit = Unit(os.path.abspath(path), path, None)
            unit.specs = list(specs)
            unit.missing_ok = False
            groups.append([unit])
        return Plan(specs, options, None, groups, [])

    from python_docker_hooks._engine.builds import shown
    from python_docker_hooks._engine.contexts import Resolver

    resolver = Resolver(lambda p: config_of(p, options), dockerfile)
    units: dict[str, Unit] = {}
    refused: dict[str, str] = {}

    def unit_of(key: str, path: str, kind: str) -> Unit:
        unit = units.get(key)
        if unit is None:
            unit = units[key] = Unit(key, path, kind)
        return unit

    # For each kind of file given: the hooks that read it, by the kind they
    # check (in the registry's order).
    reading: dict[str, dict[str, list[HookSpec]]] = {}
    for kind in KINDS:
        by_model_kind: dict[str, list[HookSpec]] = {}
        for spec in specs:
            if kind in spec.kinds:
                by_model_kind.setdefault(spec.model_kind, []).append(spec)
        reading[kind] = by_model_kind
    given: set[str] = set()
    asked: set[str] = set()
    for path in paths:
        kind = kind_of(path)
        key = os.path.abspath(path)
        asked.add(key)
        by_model_kind = reading.get(kind, {})
        if not by_model_kind:
            unit_of(key, path, kind).reached = True
            continue
        for model_kind, readers in by_model_kind.items():
            leader: str | None = None
            if kind == model_kind:
                given.add(key)
            elif kind == DOCKERFILE:
                # The file itself is not checked by these hooks, but it must be
                # readable, or it leads nowhere: learnt when its unit reads it.
                unit_of(key, path, kind).probe = True
                leader = key
            else:
                if key not in refused:
                    refused[key] = _unreadable(path, kind) or ""
                if refused[key]:
                    unit_of(key, path, kind).refusal = refused[key]
                    continue
            for target in _targets(path, kind, model_kind, resolver):
                unit = unit_of(os.path.abspath(target), target, model_kind)
                unit.specs.extend(s for s in readers if s not in unit.specs)
                if leader is None:
                    unit.reached = True
                elif leader not in unit.leaders:
                    unit.leaders.append(leader)
    order = {spec.id: i for i, spec in enumerate(specs)}
    for unit in units.values():
        # Files given by name must exist; an ignore file a Dockerfile leads to
        # may be missing (checked as empty; a fix creates it).
        unit.missing_ok = unit.key not in given
        unit.probe = unit.probe and not unit.specs
        unit.specs.sort(key=lambda s: order[s.id])
    groups = _groups(list(units.values()), resolver)
    # A definition file that cannot be read is reported when it could declare
    # a build of a checked Dockerfile (it sits in the Dockerfile's directory or
    # above it), unless it was given (then its own unit refused it): one in an
    # unrelated directory is not this run's error.
    dockerfile_dirs = {os.path.dirname(u.key) for u in units.values() if u.kind == DOCKERFILE}
    after = [
        (shown(path), reason)
        for path, reason in resolver.errors().items()
        if path not in refused and path not in asked and _above(os.path.dirname(path), dockerfile_dirs)
    ]
    # Builds left out because a path leaves the repository: reported when the
    # file declaring them, or the Dockerfile they build, is part of the run.
    given_shown = {shown(key) for key in (*units, *asked)}
    after.extend(
        dict.fromkeys(
            (where, reason)
            for where, reason, dockerfile in resolver.outside()
            if where in given_shown or (dockerfile is not None and dockerfile in units)
        )
    )
    return Plan(specs, options, resolver, groups, after)


def _above(directory: str, below: set[str]) -> bool:
    """Whether ``directory`` is one of ``below`` or a parent of one."""
    prefix = directory.rstrip(os.sep) + os.sep
    return any(d == directory or d.startswith(prefix) for d in below)


def _groups(units: list[Unit], resolver: Resolver) -> list[list[Unit]]:
    """Units tied by what they read of each other, in the order of their first
    unit (and in a group, in the order the run met them)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = key
        while parent.get(root, root) != root:
            root = parent[root]
        while key != root:
            parent[key], key = root, parent.get(key, key)
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    for unit in units:
        if unit.refusal is not None:
            continue
        if unit.kind == DOCKERIGNORE:
            for leader in unit.leaders:
                union(unit.key, leader)
            for build in resolver.served_by(unit.key):
                union(unit.key, build.dockerfile)
        elif unit.kind == DOCKERFILE:
            # Its checks read the ignore files of its builds.
            for ignore in resolver.ignore_files_of(unit.key):
                union(unit.key, ignore)
    order: dict[str, list[Unit]] = {}
    for unit in units:
        order.setdefault(find(unit.key), []).append(unit)
    return list(order.values())


def _unreadable(path: str, kind: str) -> str | None:
    """Why ``path`` cannot be read as a file of ``kind`` (an ignore or compose
    file), else None."""
    if os.path.lexists(path) and not boundary_of(path).holds(path):
        return "is a symlink to a file outside the repository; not read"
    try:
        if kind == COMPOSE:
            from python_docker_hooks._engine.contexts import load_compose

            load_compose(path)
            return None
        _, data = read_file(path)
        decode(data)
    except Refusal as exc:
        return str(exc)
    except DecodeError as exc:
        return str(exc)
    return None


def _targets(path: str, kind: str, model_kind: str, resolver: Resolver) -> list[str]:
    """The files of kind ``model_kind`` that ``path`` (of ``kind``) leads to."""
    if kind == model_kind:
        if kind == DOCKERIGNORE and resolver.orphan(path):
            return []
        return [path]
    from python_docker_hooks._engine.builds import shown

    dockerfiles: list[str]
    if kind == DOCKERFILE:
        dockerfiles = [path]
    elif kind == COMPOSE:
        dockerfiles = [shown(d) for d in resolver.dockerfiles_of_compose(path)]
    else:
        dockerfiles = list(dict.fromkeys(shown(b.dockerfile) for b in resolver.served_by(path)))
    if model_kind == DOCKERFILE:
        return dockerfiles
    ignores = [shown(i) for d in dockerfiles for i in resolver.ignore_files_of(d)]
    return list(dict.fromkeys(ignores))
