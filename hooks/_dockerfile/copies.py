"""Where a file of the built image comes from, as far as the Dockerfile shows.

A rule that must read a file the image holds (a server's config file in the
working directory, say) asks :func:`file_origin` for the path in the image. The
answer lists, newest first, the context files a COPY or ADD of the stage (or of
a stage it is built on) would put there: the newest one the context holds is
the file. After them comes what holds when none is there: nothing (``ABSENT``),
or ``UNKNOWN`` when something the file does not show could have put it there:
a COPY ``--from`` an image, a heredoc, an ADD of a URL or an archive (ADD
unpacks a local tar), a wildcard source, a RUN that names the file, or a base
image the table does not know. A COPY ``--from`` an earlier stage of the file
is followed into that stage (``_copied_from_stage``).

COPY and ADD follow BuildKit (``dockerfile2llb/convert.go`` ``dispatchCopy``):
a relative destination is joined to the WORKDIR; a destination ending in ``/``,
or one taking several sources, is a directory that each source goes into; a
source directory puts its contents there; ``.`` is the whole context.
"""

from __future__ import annotations

import fnmatch
import posixpath

from python_docker_hooks._dockerfile.sources import instruction_sources
from python_docker_hooks._dockerfile.words import WordError, expand, split_words

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage

ABSENT = "absent"
UNKNOWN = "unknown"

_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst")


class FileOrigin:
    """``candidates``: (context path, the COPY/ADD) pairs, newest first; ``rest``:
    ABSENT or UNKNOWN, what holds when the context has none of them."""

    __slots__ = ("candidates", "rest")

    def __init__(self, candidates: tuple[tuple[str, Instruction], ...], rest: str) -> None:
        self.candidates = candidates
        self.rest = rest

    def __repr__(self) -> str:
        return f"FileOrigin({[c for c, _ in self.candidates]!r}, {self.rest!r})"


def file_origin(model: Dockerfile, stage: Stage, path: str) -> FileOrigin:
    """Where the file at the absolute image ``path`` of ``stage`` comes from."""
    from python_docker_hooks._dockerfile.facts import base_facts
    from python_docker_hooks._dockerfile.image import UNKNOWN as UNKNOWN_FAMILY

    path = posixpath.normpath(path)
    name = posixpath.basename(path)
    candidates: list[tuple[str, Instruction]] = []
    for st in reversed(model.lineage(stage)):
        for ins in reversed(st.instructions):
            if ins.effective is not ins:
                continue  # ONBUILD: runs in another build
            keyword = ins.keyword
            if keyword == "RUN":
                if name in ins.source(ins.start, ins.end):
                    return FileOrigin(tuple(candidates), UNKNOWN)
            elif keyword in ("COPY", "ADD"):
                staged = _copied_from_stage(model, st, ins, path)
                if staged is not None:
                    candidates.extend(staged.candidates)
                    if staged.rest == UNKNOWN:
                        return FileOrigin(tuple(candidates), UNKNOWN)
                    continue
                found, unknown = _copied(model, st, ins, path)
                candidates.extend((c, ins) for c in found)
                if unknown:
                    return FileOrigin(tuple(candidates), UNKNOWN)
    facts = base_facts(model, stage)
    if facts is None or not (facts.python or facts.family != UNKNOWN_FAMILY):
        # An image the table does not know may hold the file already.
        return FileOrigin(tuple(candidates), UNKNOWN)
    return FileOrigin(tuple(candidates), ABSENT)


def _copy_words(model: Dockerfile, ins: Instruction) -> list[str]:
    """A COPY/ADD's sources and destination, as written (flags apart)."""
    if ins.json is not None:
        return [a.value for a in ins.json]
    return [raw for raw, _, _ in split_words(ins.args, model.escape)]


def _destination(
    model: Dockerfile, stage: Stage, ins: Instruction, raw: str
) -> tuple[str, str] | None:
    """A COPY/ADD destination with its build variables put in (shell form), and
    as the absolute, normalized path it names (joined to the WORKDIR when
    relative); None when a variable in it cannot be put in."""
    if ins.json is None and "$" in raw:
        env = model.env_values(stage, ins, build=True)
        try:
            raw = expand(raw, env, model.escape)
        except WordError:
            return None
    dest = raw if raw.startswith("/") else posixpath.join(model.workdir(stage, ins), raw)
    return raw, posixpath.normpath(dest)


def _copied_from_stage(
    model: Dockerfile, stage: Stage, ins: Instruction, path: str
) -> FileOrigin | None:
    """Where the file ``COPY --from=<an earlier stage>`` would put at ``path``
    comes from, that stage's origin of it (``file_origin``); None when ``ins``
    is not such a COPY, or is one this cannot follow (several sources, a
    wildcard or a variable in the source, ``--parents``, ``--exclude``).

    BuildKit reads a ``--from`` source in the other stage's filesystem from its
    root (``dockerfile2llb/convert.go`` ``dispatchCopy``: the source state is the
    stage's, and paths are not joined to a WORKDIR); the destination is read as
    for a context source. A source may be a file or a directory: both readings
    are followed, and one the stage does not hold adds nothing."""
    value = ins.flag("from")
    if ins.keyword != "COPY" or value is None or value.value is None:
        return None
    source_stage = model.stage_named(value.value)
    if source_stage is None or source_stage.index >= stage.index:
        return None
    if ins.flag("parents") is not None or ins.flag("exclude") is not None or ins.heredocs:
        return None
    words = _copy_words(model, ins)
    if len(words) != 2 or any(c in words[0] for c in "$*?[\\"):
        return None
    target = _destination(model, stage, ins, words[1])
    if target is None:
        return None
    dest = target[1]
    source = posixpath.normpath("/" + words[0].lstrip("/"))
    if path == dest:
        inside = [source]
    elif path.startswith(dest.rstrip("/") + "/"):
        relative = posixpath.relpath(path, dest)
        inside = [posixpath.join(source, relative)]  # the source is a directory
        if relative == posixpath.basename(source):
            inside.append(source)  # the source is a file, copied into the directory
    else:
        return FileOrigin((), ABSENT)  # it writes elsewhere
    candidates: list[tuple[str, Instruction]] = []
    rest = ABSENT
    for there in inside:
        origin = file_origin(model, source_stage, there)
        candidates.extend(origin.candidates)
        if origin.rest == UNKNOWN:
            rest = UNKNOWN
    return FileOrigin(tuple(candidates), rest)


def copied_before(
    model: Dockerfile, stage: Stage, before: Instruction, path: str
) -> tuple[list[str], bool]:
    """The context paths a COPY/ADD ahead of ``before`` (in ``stage`` or a stage
    it is built on) could have put at the absolute image ``path``, and whether
    a copy from another stage or image (``--from``, whose files may be the
    context's, copied there) writes at it or above it. A heredoc, a URL or an
    archive writing there holds no file of the context as it is sent."""
    path = posixpath.normpath(path)
    found: list[str] = []
    unknown = False
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins is before:
                return found, unknown
            if ins.effective is not ins or ins.keyword not in ("COPY", "ADD"):
                continue
            copied, maybe = _copied(model, st, ins, path)
            found.extend(copied)
            unknown = unknown or (maybe and ins.flag("from") is not None)
    return found, unknown


def _copied(
    model: Dockerfile, stage: Stage, ins: Instruction, path: str
) -> tuple[list[str], bool]:
    """Context paths ``ins`` could copy to ``path`` (maybe none), and whether it
    could also put something there that the context does not show."""
    words = _copy_words(model, ins)
    if len(words) < 2:
        return [], False
    target = _destination(model, stage, ins, words[-1])
    if target is None:
        return [], True
    raw_dest, dest = target
    directory = raw_dest.endswith("/") or len(words) > 2
    under = path.startswith(dest.rstrip("/") + "/")
    if path != dest and not under:
        return [], False  # it writes elsewhere
    sources = instruction_sources(model, ins)
    if ins.flag("from") is not None or ins.heredocs or len(sources) != len(words) - 1:
        return [], True  # another stage's files, a heredoc, a URL
    found: list[str] = []
    unknown = False
    for source in sources:
        value = source.value
        if ins.keyword == "ADD" and value.lower().endswith(_ARCHIVES):
            return found, True
        if source.whole_context:
            if under:
                found.append(posixpath.relpath(path, dest))
            continue
        cleaned = posixpath.normpath(value.lstrip("/"))
        if source.wildcard:
            pattern = posixpath.basename(cleaned)
            if under and posixpath.dirname(path) == dest and fnmatch.fnmatchcase(
                posixpath.basename(path), pattern
            ):
                found.append(posixpath.join(posixpath.dirname(cleaned), posixpath.basename(path)))
            if under:
                unknown = True  # a matching directory's contents: not read
            continue
        # The source as a file: at the destination, or in it when the
        # destination is a directory (written so, or one that exists then,
        # such as `.`: not known here, so both are taken)...
        into = posixpath.join(dest, posixpath.basename(cleaned))
        if into == path or (dest == path and not directory):
            found.append(cleaned)
        # ... or as a directory, whose contents go into the destination.
        if under:
            found.append(posixpath.join(cleaned, posixpath.relpath(path, dest)))
    return found, unknown


# --- what the shipped image takes of another stage ----------------------------

_GLOB = "*?["


def taken_from(model: Dockerfile, stage: Stage, target: str | None = None) -> list[str] | None:
    """The paths of ``stage``'s filesystem that the build of ``target`` takes
    out of it; None when the whole of it may reach the shipped image, or a path
    taken is not known.

    None for the shipped stage and the stages it is built on (all of their
    files ship). Else the absolute sources of each ``COPY --from`` (read from
    the other stage's root: ``dispatchCopy``) and of each ``RUN
    --mount=from=`` (its ``source``, the root when none: BuildKit's mount
    reference) that names ``stage`` or a stage built on it, in a stage the
    build runs (``sources.needed_stages``). A wildcard source counts from the
    directory above its first wildcard; a source or a ``--from`` holding a
    variable is not known. A stage another one copies from is not followed
    further: what it takes counts as what ships, so the answer errs towards
    "it ships"."""
    from python_docker_hooks._dockerfile.sources import needed_stages

    shipped = model.shipped(target)
    if shipped is None or stage in model.lineage(shipped):
        return None
    built_on = {s.index for s in model.stages if stage in model.lineage(s)}
    paths: list[str] = []
    for st in needed_stages(model, target):
        for ins in st.instructions:
            if ins.effective is not ins:
                continue  # ONBUILD: runs in another build
            if ins.keyword == "COPY" and ins.flag("from") is not None:
                value = ins.flag_values("from")[0]
                if "$" in value:
                    return None
                other = model.stage_named(value)
                if other is None or other.index not in built_on:
                    continue
                words = _copy_words(model, ins)
                if len(words) < 2 or ins.heredocs:
                    return None
                for word in words[:-1]:
                    path = _taken_path(word)
                    if path is None:
                        return None
                    paths.append(path)
            elif ins.keyword == "RUN":
                for mount in ins.mounts():
                    value = mount.fields.get("from", "").strip()
                    if not value:
                        continue
                    if "$" in value:
                        return None
                    other = model.stage_named(value)
                    if other is None or other.index not in built_on:
                        continue
                    path = _taken_path(mount.fields.get("source", "") or "/")
                    if path is None:
                        return None
                    paths.append(path)
    return paths


def _taken_path(word: str) -> str | None:
    """A source path read from the root of its stage, cut above its first
    wildcard; None when it holds a variable."""
    if "$" in word:
        return None
    parts = posixpath.normpath("/" + word.lstrip("/")).split("/")
    for i, part in enumerate(parts):
        if any(c in part for c in _GLOB):
            parts = parts[:i]
            break
    return "/".join(parts) or "/"


def may_ship(
    model: Dockerfile,
    stage: Stage,
    target: str | None,
    places: Callable[[], list[str] | None],
) -> bool:
    """Whether what ``stage`` put in one of ``places`` (an environment a tool
    installs into; None when a place is not known) may reach the image the
    build of ``target`` ships: the stage ships (``taken_from`` None), or the
    build takes from it a path that is, holds or lies in one of the places. A
    builder whose only output is the wheel in ``dist`` ships no environment.
    ``places`` is asked only for a stage that does not ship."""
    taken = taken_from(model, stage, target)
    if taken is None:
        return True
    found = places()
    return found is None or _takes_any(taken, found)


def _takes_any(paths: list[str], places: list[str]) -> bool:
    """Whether a path of ``paths`` is one of ``places``, holds one, or lies in
    one (absolute, normalized paths)."""
    for path in paths:
        above = path.rstrip("/") + "/"
        for place in places:
            if path == place or place.startswith(above) or path.startswith(place + "/"):
                return True
    return False


def project_places(start: str, name: str) -> list[str]:
    """``name`` joined to ``start`` and to each directory above it: where a
    tool that looks for its project from ``start`` upwards (uv, Poetry) puts
    a directory of the project root."""
    places = []
    directory = posixpath.normpath(start)
    while True:
        places.append(posixpath.normpath(posixpath.join(directory, name)))
        if directory == "/":
            return places
        directory = posixpath.dirname(directory)
