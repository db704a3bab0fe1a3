"""What a build reads from its context besides the files its COPY/ADD sources
name: the sources of ``RUN --mount=type=bind``, and files that tools run during
the build read of their own accord.

- A bind mount (``RUN --mount=type=bind,source=x``; ``type`` is ``bind`` when
  not given, and ``source``/``src`` is the context root when not given) reads
  from the context unless it has ``from=`` (a stage, an image or a named
  context): BuildKit's ``parseMount`` and ``dispatchRunMounts``.
- ``git`` reads the repository it runs in: a RUN that runs it (other than
  ``git clone``, ``git init``, ``git ls-remote``, ``git config --global``,
  ``git --version`` and ``git help``, which read no work tree) reads ``.git``.
- A project versioned from git reads ``.git`` when it is built or installed
  (``pip install .``, ``uv sync`` or ``poetry install`` without their
  no-project options): setuptools-scm (its docs, "with Docker/Podman", mount
  ``.git`` for the build: ``RUN --mount=source=.git,target=.git,type=bind pip
  install .``), hatch-vcs (``[tool.hatch.version] source = "vcs"``, a
  setuptools-scm front end), versioneer (``[versioneer] VCS = git`` runs ``git
  describe``), dunamai and poetry-dynamic-versioning (versions from VCS tags),
  pbr (its docs: "Manage version number based on git revisions and tags").
- uv and pyenv read ``.python-version``: uv looks for it in the working
  directory and each parent, never below (uv's docs, "Python version files";
  uv-python's ``version_files.rs``: ``find_nearest`` tries each of the
  directory's ``ancestors()`` for ``PYTHON_VERSION_FILENAME``), and pyenv
  reads the version ``pyenv local`` wrote there (pyenv's ``COMMANDS.md``). So
  the context's ``.python-version`` is read only by a uv or pyenv RUN that
  runs after a COPY/ADD put it in that RUN's WORKDIR or a parent of it (``COPY
  . <dir>``, or a copy naming it; a relative destination is joined to the
  WORKDIR), or whose bind mount puts it there. A uv run before the copy, or in
  the parent of the directory the context was copied into, does not see it.
  Where that cannot be worked out (a variable without a value, a copy from
  another stage, a ``cd`` in the RUN, uv's ``--directory``/``--project``),
  it is taken as read.

Tools read these files only where they are in the build: a bind mount of them,
or a COPY/ADD (or bind mount) of the whole context, is what puts them there.
"""

from __future__ import annotations

import posixpath
import re

from python_docker_hooks._dockerfile.sources import needed_stages
from python_docker_hooks._dockerfile.words import WordError, expand, split_words
from python_docker_hooks._go import go_clean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from python_docker_hooks._dockerfile.parse import (
        Dockerfile,
        Instruction,
        Mount,
        Stage,
    )

# git subcommands that read no repository of the working directory.
_GIT_NO_WORK_TREE = frozenset({"clone", "init", "ls-remote", "help", "version"})
# git's global options that take a value as the next word.
_GIT_VALUE_OPTIONS = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace"})

# Tools versioning a project from git, by what names them in a project's files.
VCS_VERSIONING = (
    ("setuptools-scm", ("setuptools_scm", "setuptools-scm", "use_scm_version")),
    ("hatch-vcs", ("hatch-vcs", "hatch_vcs")),
    ("versioneer", ("versioneer",)),
    ("poetry-dynamic-versioning", ("poetry-dynamic-versioning",)),
    ("dunamai", ("dunamai",)),
    ("pbr", ("pbr=true", "pbr = true", "[pbr]", "'pbr'", '"pbr"')),
)
# The files those tools are named in, at the project's root.
PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py")


class Read:
    """One path the build reads from its context (relative to it, '/'-separated;
    ``.`` for the whole context), why, the instruction that reads it, and the
    text offsets of what names it (the ``--mount`` flag)."""

    __slots__ = ("path", "why", "instruction", "start", "end")

    def __init__(
        self, path: str, why: str, instruction: Instruction, start: int, end: int
    ) -> None:
        self.path = path
        self.why = why
        self.instruction = instruction
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Read({self.path!r}, {self.why!r})"


class BuildReads:
    """What a build of one target reads besides its COPY/ADD sources.

    ``mounts``: the context paths RUN bind mounts read. ``git``: a RUN that runs
    git in a work tree (None when none does). ``installs_project``: a RUN that
    builds or installs the local project. ``python_version``: a RUN that runs uv
    or pyenv where the context's ``.python-version`` is (see
    :func:`sees_python_version`), with the tool's name. ``python``: whether a
    stage the build runs is a Python one (``facts.python_stages``).

    ``context``: whether the build may take anything from its context at all.
    BuildKit loads the context only for the paths the COPY/ADD sources and bind
    mounts of the stages it builds name (``ctxPaths`` in the Dockerfile
    frontend's ``convert.go``, given to the context as ``FollowPaths``): a build
    with none loads nothing, and an ignore file cannot change it. An ``ONBUILD``
    trigger runs in the stage built on its own (``initOnBuildTriggers``), so a
    base image that is not known, or an ``ONBUILD`` in the file, counts as
    reading it.
    """

    __slots__ = ("mounts", "git", "installs_project", "python_version", "python", "context")

    def __init__(self) -> None:
        self.mounts: list[Read] = []
        self.git: Instruction | None = None
        self.installs_project: Instruction | None = None
        self.python_version: tuple[Instruction, str] | None = None
        self.python = False
        self.context = True


def build_reads(model: Dockerfile, target: str | None = None) -> BuildReads:
    """What the build of ``target`` (the last stage when None) reads through its
    RUN instructions, in the stages the build runs."""
    memo = model.memo(_BuildReadsByTarget)
    known = memo.get(target)
    if known is not None:
        return known

    from python_docker_hooks._dockerfile.facts import python_stages, unknown_base
    from python_docker_hooks._dockerfile.sources import context_sources

    reads = BuildReads()
    python = python_stages(model)
    needed = needed_stages(model, target)
    reads.context = (
        bool(context_sources(model, target))
        or any(ins.keyword == "ONBUILD" for st in model.stages for ins in st.instructions)
        or any(unknown_base(model, st) is not None for st in needed)
    )
    for stage in needed:
        reads.python = reads.python or python[stage.index]
        for ins in stage.instructions:
            if ins.keyword != "RUN":
                continue
            mounts = ins.mounts()
            flags = [f for f in ins.flags if f.name == "mount"]
            if len(flags) != len(mounts):
                # A flag csv could not read is left out of mounts(): no spans.
                flags = []
            for i, mount in enumerate(mounts):
                path = _bind_source(model, stage, ins, mount)
                if path is not None:
                    shown = "the whole context" if path == "." else f"`{path}`"
                    start, end = (flags[i].start, flags[i].end) if flags else (ins.start, ins.end)
                    reads.mounts.append(Read(path, f"mounts {shown}", ins, start, end))
            for command in ins.shell_commands():
                program = command.argv[0].rsplit("/", 1)[-1] if command.argv else ""
                if (
                    program == "git"
                    and reads.git is None
                    and _git_reads_work_tree(command.argv)
                ):
                    reads.git = ins
                elif (
                    program in ("uv", "uvx", "pyenv")
                    and reads.python_version is None
                    and sees_python_version(model, stage, ins)
                ):
                    reads.python_version = (
                        ins,
                        "pyenv" if program == "pyenv" else "uv",
                    )
            if reads.installs_project is None and _installs_project(ins):
                reads.installs_project = ins
    memo[target] = reads
    return reads


class _BuildReadsByTarget(dict["str | None", BuildReads]):
    """``build_reads`` of each target asked for."""

    __slots__ = ()


def sees_python_version(model: Dockerfile, stage: Stage, ins: Instruction) -> bool:
    """Whether the context's ``.python-version`` is in the working directory of
    the RUN ``ins``, or in one of its parents, while it runs (``sees_file``)."""
    return sees_file(model, stage, ins, PYTHON_VERSION)


def sees_file(model: Dockerfile, stage: Stage, ins: Instruction, name: str) -> bool:
    """Whether the context's file ``name`` is in the working directory of the
    RUN ``ins``, or in one of its parents, while it runs: put there by a
    COPY/ADD before it (in its stage or a stage it is built on) or by one of its
    bind mounts. True too when where it runs, or where a COPY/ADD writes, is
    not known (a variable without a value, a copy from another stage writing
    there, a ``cd`` in the RUN, uv's ``--directory`` or ``--project``)."""
    from python_docker_hooks._dockerfile.shell import changes_directory

    commands = ins.shell_commands()
    if changes_directory(commands) or any(
        word.split("=", 1)[0] in ("--directory", "--project")
        for command in commands
        for word in command.argv[1:]
    ):
        return True  # it runs (or looks for the project) elsewhere: not known here
    env = model.env_values(stage, before=ins, build=True)
    if _unset_variables(model, stage, ins):
        return True
    workdir = model.workdir(stage, ins)
    places = [workdir]
    while places[-1] != "/":
        places.append(posixpath.dirname(places[-1]))
    wanted = {posixpath.join(place, name) for place in places}
    for mount in ins.mounts():
        path = _bind_source(model, stage, ins, mount)
        if path is None:
            continue
        if _unset(mount.target, env):
            return True
        target = model.mount_target(stage, ins, mount)
        if (path == "." and target in places) or (path == name and target in wanted):
            return True
    from python_docker_hooks._dockerfile.copies import copied_before

    for place in sorted(wanted):
        found, unknown = copied_before(model, stage, ins, place)
        if unknown or name in found:
            return True
    return False


PYTHON_VERSION = ".python-version"


def _unset_variables(model: Dockerfile, stage: Stage, ins: Instruction) -> bool:
    """Whether a WORKDIR, or a COPY/ADD destination, before ``ins`` (in its
    stage or those it is built on) names a variable without a value there."""
    for st in model.lineage(stage):
        for earlier in st.instructions:
            if earlier is ins:
                return False
            if earlier.keyword == "WORKDIR":
                raw = earlier.args.strip()
            elif earlier.keyword in ("COPY", "ADD"):
                if earlier.json is not None:
                    raw = earlier.json[-1].value if earlier.json else ""
                else:
                    words = split_words(earlier.args, model.escape)
                    raw = words[-1][0] if words else ""
            else:
                continue
            if "$" in raw:
                scope = model.env_values(st, before=earlier, build=True)
                if _unset(raw, scope):
                    return True
    return False


def _unset(raw: str, scope: Mapping[str, str]) -> bool:
    """Whether ``raw`` names a variable ``scope`` has no value for."""
    names = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", raw)
    return any(not scope.get(name) for name in names)


def _bind_source(
    model: Dockerfile, stage: Stage, ins: Instruction, mount: Mount
) -> str | None:
    """The context path a bind mount reads, or None (another type, or ``from=``)."""
    if not mount.bind_from_context:
        return None
    source = mount.source
    if "$" in source:
        scope = model.env_values(stage, before=ins, build=True)
        try:
            source = expand(source, scope, model.escape)
        except WordError:
            return None
    cleaned = go_clean(go_clean(source).lstrip("/"))
    return "." if cleaned in ("", ".") else cleaned


def _git_reads_work_tree(argv: tuple[str, ...]) -> bool:
    i = 1
    while i < len(argv):
        word = argv[i]
        if word in _GIT_VALUE_OPTIONS:
            i += 2
            continue
        if word.startswith("-"):
            if word in ("--version", "--help", "-h"):
                return False
            i += 1
            continue
        if word == "config":
            return "--global" not in argv and "--system" not in argv
        return word not in _GIT_NO_WORK_TREE
    return False


def _installs_project(ins: Instruction) -> bool:
    from python_docker_hooks._dockerfile.pyinstall import PROJECT, python_installs

    for install in python_installs(ins):
        if install.kind == PROJECT:
            return True
        # Locked installs take the project too, unless told not to.
        locked = install.tool in (
            "uv sync",
            "poetry install",
            "pdm install",
            "pdm sync",
        )
        if locked and not install.no_deps:
            return True
    for command in ins.shell_commands():
        argv = command.argv
        # ``python -m build``, ``uv build``, ``pip wheel .``: a build of the project.
        if len(argv) >= 3 and argv[1] == "-m" and argv[2] == "build":
            return True
        if len(argv) >= 2 and argv[0].rsplit("/", 1)[-1] == "uv" and argv[1] == "build":
            return True
    return False


def vcs_versioning(files: Mapping[str, str]) -> tuple[str, str] | None:
    """(the tool, the file naming it) when the project whose files are ``files``
    (name -> text, for ``PROJECT_FILES`` at its root) takes its version from
    git; None otherwise."""
    for name in PROJECT_FILES:
        text = files.get(name)
        if not text:
            continue
        lowered = text.lower()
        if name == "pyproject.toml" and _hatch_vcs_source(lowered):
            return ("hatch-vcs", name)
        for tool, marks in VCS_VERSIONING:
            if any(mark in lowered for mark in marks):
                return (tool, name)
    return None


def _hatch_vcs_source(lowered: str) -> bool:
    """A ``source = "vcs"`` (or ``version.source``) line: hatch's version source."""
    for line in lowered.splitlines():
        key, eq, value = line.partition("=")
        if eq and key.strip() in ("source", "version.source") and value.strip().strip("'\"") == "vcs":
            return True
    return False
