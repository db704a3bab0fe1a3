"""Python dependency installs in RUN: which tool, and what it installs.

Read from the shell view of each RUN (shell form, exec form, heredoc scripts):

- pip (``pip``, ``pip3``, ``pip3.12``, ``python -m pip``, read with pip's own option
  tables by ``python_docker_hooks._dockerfile.programs``) and ``uv pip`` ``install``:
  ``-r/--requirement FILE`` installs from a requirements file; a local path
  installs a project and, without ``--no-deps``, its dependencies; other
  arguments name packages. pip takes an argument for a path when it holds a
  ``/`` or starts with ``.`` (``_looks_like_path`` in pip's
  ``req/constructors.py``: ``.``, ``./pkg``, ``src/``), or when it is an
  archive file (``app-1.0.whl``); a URL or ``name @ URL`` names a package.
- ``uv pip sync FILE``, ``uv sync``, ``poetry install``, ``pipenv install`` /
  ``pipenv sync``, ``pdm install`` / ``pdm sync``: install the locked dependencies
  (and, for ``uv sync``, ``poetry install`` and ``pdm install``, the project
  itself unless ``--no-install-project`` / ``--no-root`` / ``--no-self``).
  ``poetry install --only-root`` installs the project alone: "exclude all
  dependencies" (Poetry's ``install`` command, added with that wording in
  python-poetry/poetry#5783).
- A tool's global options before the subcommand that take a value
  (``poetry --directory /app install``, ``poetry -C /app install``,
  ``uv --project /app sync``, ``pipenv --python 3.12 install``) are skipped
  with their value, as the command wrappers' table in
  ``python_docker_hooks._dockerfile.shell`` lists them.
"""

from __future__ import annotations

from python_docker_hooks._dockerfile.programs import (
    installer_call,
    is_pip_program,
    is_python_interpreter,
)
from python_docker_hooks._dockerfile.shell import WRAPPERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from python_docker_hooks._dockerfile.parse import Instruction
    from python_docker_hooks._dockerfile.programs import InstallerCall
    from python_docker_hooks._dockerfile.shell import Command

REQUIREMENTS = "requirements"  # from requirements or lock files
PROJECT = "project"  # a local project (and its dependencies unless no_deps)
PACKAGES = "packages"  # named packages only

# Archive files pip installs from a path (``is_archive_file``: wheels and sdists).
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip")
# The installers and build tools themselves: installing them (``pip install
# --upgrade pip setuptools wheel``) installs none of the application's
# dependencies, so copying the dependency files first changes nothing for them.
TOOLING = frozenset(
    {
        "pip", "setuptools", "wheel", "uv", "poetry", "pipenv", "pdm", "pip-tools",
        "virtualenv", "hatch", "build", "poetry-plugin-export",
    }
)  # fmt: skip

# uv pip install options that take a value (so the value is not a package name).
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f",
        "--find-links", "-t", "--target", "--prefix", "--root", "--platform",
        "--python-version", "--implementation", "--abi", "--src", "--upgrade-strategy",
        "--install-option", "--global-option", "-C", "--config-settings", "--progress-bar",
        "--cache-dir", "--log", "--proxy", "--retries", "--timeout", "--exists-action",
        "--trusted-host", "--cert", "--client-cert", "--python", "--report",
        "--only-binary", "--no-binary", "--group", "-p",
    }
)  # fmt: skip


class PythonInstall:
    """One install command: its tool, what it installs, and the files it reads."""

    __slots__ = (
        "tool", "kind", "no_deps", "files", "instruction", "command", "packages"
    )  # fmt: skip

    def __init__(
        self,
        tool: str,
        kind: str,
        no_deps: bool,
        files: tuple[str, ...],
        instruction: Instruction,
        command: Command,
        packages: tuple[str, ...] = (),
    ) -> None:
        self.tool = tool
        self.kind = kind
        self.no_deps = no_deps
        self.files = files
        self.instruction = instruction
        self.command = command
        # The names of the packages named on the command line (lowercase).
        self.packages = packages

    @property
    def installs_dependencies(self) -> bool:
        """Whether it installs the dependencies a project declares: from a
        requirements or lock file, or as a project's (without ``--no-deps``)."""
        if self.kind == REQUIREMENTS:
            return True
        return self.kind == PROJECT and not self.no_deps

    @property
    def installs_packages(self) -> bool:
        """Whether it installs packages named on its command line, other than
        the installers and build tools themselves (``TOOLING``)."""
        return any(name not in TOOLING for name in self.packages)

    def __repr__(self) -> str:
        return f"PythonInstall({self.tool!r}, {self.kind!r}, files={self.files!r})"


def python_installs(run: Instruction) -> list[PythonInstall]:
    """The Python installs one RUN performs, in order."""
    found = []
    for command in run.shell_commands():
        install = _install(command, run)
        if install is not None:
            found.append(install)
    return found


def _install(command: Command, run: Instruction) -> PythonInstall | None:
    argv = list(command.argv)
    if not argv:
        return None
    name = argv[0].rsplit("/", 1)[-1]
    if is_pip_program(name) or is_python_interpreter(name):
        # pip's command line as pip reads it (option prefixes, value options
        # before the subcommand, ``python -Im pip``): python_docker_hooks._dockerfile.programs.
        call = installer_call(command.words)
        if call is None or call.tool != "pip":
            return None
        return _pip_call(call, command, run)
    if name == "uv":
        rest = argv[1:]
        sub = _subcommand(rest, name)
        if sub is None:
            return None
        if rest[sub] == "pip" and sub + 1 < len(rest):
            if rest[sub + 1] == "install":
                return _pip_install("uv pip install", rest[sub + 2 :], command, run)
            if rest[sub + 1] == "sync":
                files = tuple(a for a in rest[sub + 2 :] if not a.startswith("-"))
                return PythonInstall("uv pip sync", REQUIREMENTS, True, files, run, command)
            return None
        if rest[sub] == "sync":
            return _locked("uv sync", rest[sub + 1 :], "--no-install-project", command, run)
        return None
    if name in ("poetry", "pdm"):
        sub = _subcommand(argv[1:], name)
        if sub is None:
            return None
        verb = argv[1 + sub]
        rest = argv[2 + sub :]
        if name == "poetry" and verb == "install" and "--only-root" in rest:
            return PythonInstall("poetry install", PROJECT, True, (), run, command)
        if verb == "install" or (name == "pdm" and verb == "sync"):
            skip = "--no-root" if name == "poetry" else "--no-self"
            return _locked(f"{name} {verb}", rest, skip, command, run)
        return None
    if name == "pipenv":
        sub = _subcommand(argv[1:], name)
        if sub is None or argv[1 + sub] not in ("install", "sync"):
            return None
        rest = argv[2 + sub :]
        named = tuple(_name(a) for a in rest if not a.startswith("-"))
        if argv[1 + sub] == "install" and named:
            return PythonInstall("pipenv install", PACKAGES, False, (), run, command, named)
        return PythonInstall(f"pipenv {argv[1 + sub]}", REQUIREMENTS, True, (), run, command)
    return None


def _subcommand(args: Sequence[str], tool: str) -> int | None:
    """Index of the subcommand: the first word that is not an option, the
    value of a global option that takes one skipped (``poetry --directory /app
    install``, ``poetry -C/app install``)."""
    wrapper = WRAPPERS.get(tool)
    longs = wrapper.lead_long if wrapper is not None else frozenset()
    shorts = wrapper.lead_short if wrapper is not None else ""
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-"):
            return i
        i += 1
        if arg.startswith("--"):
            if "=" not in arg and arg in longs:
                i += 1  # its value
        elif len(arg) == 2 and arg[1] in shorts:
            i += 1
    return None


def _locked(
    tool: str, args: Sequence[str], skip_project: str, command: Command, run: Instruction
) -> PythonInstall:
    no_project = skip_project in args or "--only-deps" in args
    return PythonInstall(tool, REQUIREMENTS, no_project, (), run, command)


def _is_path(arg: str) -> bool:
    """Whether pip takes a requirement argument for a local path: one with a
    ``/`` or starting with ``.`` (``_looks_like_path``), or an archive file; not
    a URL (``git+https://…``, ``name @ https://…``)."""
    if "://" in arg or "@" in arg:
        return False
    return "/" in arg or arg.startswith(".") or arg.lower().endswith(_ARCHIVES)


def requirement_name(arg: str) -> str | None:
    """The project a pip requirement argument names (``Flask[async]>=3`` ->
    ``flask``), normalized as PEP 503 does (runs of ``-``, ``_`` and ``.``
    become one ``-``, letters lower case); None for a local path (pip installs
    the directory or archive there, whatever its name) or a URL."""
    return None if _is_path(arg) else _named(arg)


def _name(arg: str) -> str:
    """The project name a requirement argument names, normalized; a URL, or an
    argument that starts with no name, counts as a name of its own."""
    return _named(arg) or arg


def _named(arg: str) -> str | None:
    """The normalized name at the start of ``arg`` (``[A-Za-z0-9][A-Za-z0-9._-]*``
    once stripped), None for a URL (``https://…``, ``git+https://…``: a scheme
    and ``://``) or an argument that starts with none."""
    text = arg.strip()
    if not text or text[0] not in _NAME_START:
        return None
    scheme, sep, _ = text.partition("://")
    if sep and _SCHEME_CHARACTERS.issuperset(scheme):
        return None
    end = 1
    while end < len(text) and text[end] in _NAME_CHARACTERS:
        end += 1
    if "://" in arg[: end + 3]:
        return None
    name = text[:end].replace("_", "-").replace(".", "-")
    while "--" in name:
        name = name.replace("--", "-")
    return name.lower()


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_NAME_CHARACTERS = _NAME_START | {".", "_", "-"}
# RFC 3986's scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
_SCHEME_CHARACTERS = _NAME_START | {"+", "-", "."}


def _classify(
    tool: str,
    files: Sequence[str],
    arguments: Sequence[str],
    editables: Sequence[str],
    no_deps: bool,
    command: Command,
    run: Instruction,
) -> PythonInstall:
    paths = [a for a in (*arguments, *editables) if _is_path(a)]
    named = tuple(_name(a) for a in (*arguments, *editables) if not _is_path(a))
    if files:
        kind = REQUIREMENTS
    elif paths:
        kind = PROJECT
    else:
        kind = PACKAGES
    return PythonInstall(tool, kind, no_deps, tuple(files), run, command, named)


def _pip_call(call: InstallerCall, command: Command, run: Instruction) -> PythonInstall:
    files = [v for o, v in call.options if o == "--requirement" and v]
    editables = [v for o, v in call.options if o == "--editable" and v]
    return _classify(
        "pip install",
        files,
        call.arguments,
        editables,
        call.has("--no-deps"),
        command,
        run,
    )


def _pip_install(
    tool: str, args: Sequence[str], command: Command, run: Instruction
) -> PythonInstall:
    files: list[str] = []
    editables: list[str] = []
    arguments: list[str] = []
    no_deps = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("-r", "--requirement"):
            if i < len(args):
                files.append(args[i])
            i += 1
        elif arg.startswith("--requirement="):
            files.append(arg.partition("=")[2])
        elif arg.startswith("-r") and len(arg) > 2 and not arg.startswith("--"):
            files.append(arg[2:])
        elif arg in ("-e", "--editable"):
            if i < len(args):
                editables.append(args[i])
            i += 1
        elif arg.startswith("--editable="):
            editables.append(arg.partition("=")[2])
        elif arg == "--no-deps":
            no_deps = True
        elif arg in _PIP_VALUE_OPTIONS:
            i += 1
        elif arg.startswith("-"):
            continue
        else:
            arguments.append(arg)
    return _classify(tool, files, arguments, editables, no_deps, command, run)
