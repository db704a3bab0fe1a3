"""Python dependency installs in RUN: which tool, and what it installs.

Read from the shell view of each RUN (shell form, exec form, heredoc scripts):

- pip (``pip``, ``pip3``, ``pip3.12``, ``python -m pip``, read with pip's own option
  tables by ``python_docker_hooks._dockerfile.programs``) and ``uv pip`` ``install``:
  ``-r/--requirement FILE`` installs from a requirements file; a path (``.``,
  ``./src``, ``-e .``) installs a project and, without ``--no-deps``, its
  dependencies; other arguments are package names.
- ``uv pip sync FILE``, ``uv sync``, ``poetry install``, ``pipenv install`` /
  ``pipenv sync``, ``pdm install`` / ``pdm sync``: install the locked dependencies
  (and, for ``uv sync``, ``poetry install`` and ``pdm install``, the project
  itself unless ``--no-install-project`` / ``--no-root`` / ``--no-self``).
"""

from __future__ import annotations

from python_docker_hooks._dockerfile.programs import (
    installer_call,
    is_pip_program,
    is_python_interpreter,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from python_docker_hooks._dockerfile.parse import Instruction
    from python_docker_hooks._dockerfile.programs import InstallerCall
    from python_docker_hooks._dockerfile.shell import Command

REQUIREMENTS = "requirements"  # from requirements or lock files
PROJECT = "project"  # a local project (and its dependencies unless no_deps)
PACKAGES = "packages"  # named packages only

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

    __slots__ = ("tool", "kind", "no_deps", "files", "instruction", "command")

    def __init__(
        self,
        tool: str,
        kind: str,
        no_deps: bool,
        files: tuple[str, ...],
        instruction: Instruction,
        command: Command,
    ) -> None:
        self.tool = tool
        self.kind = kind
        self.no_deps = no_deps
        self.files = files
        self.instruction = instruction
        self.command = command

    @property
    def installs_dependencies(self) -> bool:
        """Whether it installs third-party dependencies (not only the project)."""
        if self.kind == REQUIREMENTS:
            return True
        return self.kind == PROJECT and not self.no_deps

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
        sub = _subcommand(rest)
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
        sub = _subcommand(argv[1:])
        if sub is None:
            return None
        verb = argv[1 + sub]
        if verb == "install" or (name == "pdm" and verb == "sync"):
            skip = "--no-root" if name == "poetry" else "--no-self"
            return _locked(f"{name} {verb}", argv[2 + sub :], skip, command, run)
        return None
    if name == "pipenv":
        sub = _subcommand(argv[1:])
        if sub is None or argv[1 + sub] not in ("install", "sync"):
            return None
        rest = argv[2 + sub :]
        if argv[1 + sub] == "install" and any(not a.startswith("-") for a in rest):
            return PythonInstall("pipenv install", PACKAGES, False, (), run, command)
        return PythonInstall(f"pipenv {argv[1 + sub]}", REQUIREMENTS, True, (), run, command)
    return None


def _subcommand(args: Sequence[str]) -> int | None:
    """Index of the first word that is not an option (global options of a tool
    that take a value are not told apart here: their value would be taken for the
    subcommand, which then matches no verb and the command is not an install)."""
    for i, arg in enumerate(args):
        if not arg.startswith("-"):
            return i
    return None


def _locked(
    tool: str, args: Sequence[str], skip_project: str, command: Command, run: Instruction
) -> PythonInstall:
    no_project = skip_project in args or "--only-deps" in args
    return PythonInstall(tool, REQUIREMENTS, no_project, (), run, command)


def _pip_call(call: InstallerCall, command: Command, run: Instruction) -> PythonInstall:
    files = tuple(v for o, v in call.options if o == "--requirement" and v)
    no_deps = call.has("--no-deps")
    # A local path that is not an archive is a project (``.``, ``./src``).
    project = call.has("--editable") or any(
        arg.startswith((".", "/")) and not arg.endswith((".whl", ".tar.gz", ".zip"))
        for arg in call.arguments
    )
    if files:
        return PythonInstall("pip install", REQUIREMENTS, no_deps, files, run, command)
    if project:
        return PythonInstall("pip install", PROJECT, no_deps, (), run, command)
    return PythonInstall("pip install", PACKAGES, no_deps, (), run, command)


def _pip_install(
    tool: str, args: Sequence[str], command: Command, run: Instruction
) -> PythonInstall:
    files: list[str] = []
    project = False
    packages = False
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
            project = True
            i += 1
        elif arg == "--no-deps":
            no_deps = True
        elif arg in _PIP_VALUE_OPTIONS:
            i += 1
        elif arg.startswith("-"):
            continue
        elif arg.startswith((".", "/")) or arg.endswith((".whl", ".tar.gz", ".zip")):
            project = project or not arg.endswith((".whl", ".tar.gz", ".zip"))
            packages = packages or arg.endswith((".whl", ".tar.gz", ".zip"))
        else:
            packages = True
    if files:
        return PythonInstall(tool, REQUIREMENTS, no_deps, tuple(files), run, command)
    if project:
        return PythonInstall(tool, PROJECT, no_deps, (), run, command)
    return PythonInstall(tool, PACKAGES, no_deps, (), run, command)
