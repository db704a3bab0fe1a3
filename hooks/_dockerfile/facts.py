"""Facts about what a Dockerfile's stages do, computed from the model and shared
by every hook: which stages are Python ones, the distribution family of a
stage, the package-manager calls of its RUNs, the users and groups it creates
and the user it runs as. The shipped stage is the model's own
(``Dockerfile.shipped``).
"""

from __future__ import annotations

import posixpath

from python_docker_hooks._dockerfile.image import (
    ALPINE,
    DEBIAN,
    RHEL,
    UNKNOWN,
    WINDOWS,
    ImageFacts,
    image_facts,
    known_image,
    stage_image,
)
from python_docker_hooks._dockerfile.text import LazyPattern, newline_of
from python_docker_hooks._dockerfile.words import WordError, expand, split_words

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._dockerfile.shell import Command
    from python_docker_hooks._dockerfile.words import Canon


# --- the base image -------------------------------------------------------------


def base_facts(model: Dockerfile, stage: Stage) -> ImageFacts | None:
    """What the image table knows about the image at the root of ``stage``'s
    chain; None when its reference is not known (an ``ARG`` without default)."""
    known = model.memo(_BaseFacts)
    root = stage.root
    if root not in known:
        ref = stage_image(model, stage)
        known[root] = None if ref is None or ref.unresolved else image_facts(ref)
    return known[root]


def unknown_base(model: Dockerfile, stage: Stage) -> str | None:
    """The image at the root of ``stage``'s chain, as written, when the tables
    do not know what it sets (a build argument without a default, or an image
    that is neither an official one nor one of the vendor table, whose own
    ``ENV`` and ``USER`` are not known); None when they know it."""
    ref = stage_image(model, stage)
    if ref is None:
        return model.stages[stage.root].base_raw
    if ref.unresolved or not known_image(ref):
        return ref.text
    return None


def builds_as_root(model: Dockerfile, stage: Stage) -> bool:
    """Whether the file shows that ``stage``'s chain runs its RUNs as root, for
    a chain with no ``USER``: a package manager installs or removes packages,
    or a user or group is created, other than through ``sudo``/``doas``. Each
    needs root: apt-get(8) and apk(8) lock the package database, dnf(8) "has
    to be run with superuser privileges", and shadow's useradd and BusyBox's
    adduser write /etc/passwd, which only root may write. A build whose base
    image ran as another user would fail there."""
    for st in model.lineage(stage):
        for ins in st.instructions:
            if any(_as_is(c.command) for c in package_calls(ins)):
                return True
    return any(_as_is(c.command) for c in users_created(model, stage))


def _as_is(command: Command) -> bool:
    """The command runs as the build's user: no ``sudo``/``doas`` before it."""
    return not any(w.value.rsplit("/", 1)[-1] in ("sudo", "doas") for w in command.prefix)


class _BaseFacts(dict[int, "ImageFacts | None"]):
    """``base_facts`` of each chain, by the index of the stage at its root."""

    __slots__ = ()


_FAMILY_OF_MANAGER = {"apt": DEBIAN, "apk": ALPINE, "dnf": RHEL}


def family(model: Dockerfile, stage: Stage) -> str:
    """The distribution family of ``stage``: from its base image when the table
    knows it (WINDOWS for a shared tag when the file shows Windows), else from
    the package manager its chain runs (apt-get: Debian, apk: Alpine,
    dnf/yum/microdnf: RHEL), else WINDOWS when the file shows it
    (:func:`shows_windows`), else UNKNOWN."""
    facts = base_facts(model, stage)
    if facts is not None and facts.family != UNKNOWN:
        if facts.shared and shows_windows(model, stage):
            return WINDOWS  # a shared tag, built on a Windows daemon
        return facts.family
    for st in model.lineage(stage):
        for ins in st.instructions:
            for call in package_calls(ins):
                return _FAMILY_OF_MANAGER[call.manager]
    if shows_windows(model, stage):
        return WINDOWS
    return UNKNOWN


# A Windows path: a drive letter, a colon and a separator (`C:\app`, `c:/app`).
_DRIVE_PATH = LazyPattern(r"""["']?[A-Za-z]:[\\/]""")


def shows_windows(model: Dockerfile, stage: Stage) -> bool:
    """Whether ``stage``, whose base image does not say (not known, or a shared
    tag), is a Windows one by what the file says: it copies from a stage on a known Windows base that runs a
    RUN (a RUN on a Windows image needs a Windows daemon, which builds Windows
    images only: Docker's Windows containers run on Windows hosts); or its chain
    has a WORKDIR or COPY/ADD destination with a drive letter (`C:\app`), or a
    RUN, CMD or ENTRYPOINT whose program is a `.exe`."""
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.keyword in ("COPY", "ADD"):
                for name in ins.flag_values("from"):
                    other = model.stage_named(name)
                    if other is not None and other is not st and _windows_run(model, other):
                        return True
            words = (
                [a.value for a in ins.json] if ins.json is not None else ins.args.split()
            )
            if not words:
                continue
            if ins.keyword == "WORKDIR" and _DRIVE_PATH.match(ins.args.strip()):
                return True
            if ins.keyword in ("COPY", "ADD") and _DRIVE_PATH.match(words[-1]):
                return True
            if ins.keyword in ("RUN", "CMD", "ENTRYPOINT") and words[0].strip(
                "\"'"
            ).lower().endswith(".exe"):
                return True
    return False


def _windows_run(model: Dockerfile, stage: Stage) -> bool:
    facts = base_facts(model, stage)
    if facts is None or facts.family != WINDOWS:
        return False
    return any(i.keyword == "RUN" for st in model.lineage(stage) for i in st.instructions)


# --- package-manager calls ------------------------------------------------------

INSTALL = "install"
REMOVE = "remove"

# Sub-commands per manager: install or remove (the managers' own docs:
# apt-get(8), apk(8), dnf(8)/yum(8), microdnf --help).
_ACTIONS = {
    "apt": {
        "install": INSTALL,
        "remove": REMOVE,
        "purge": REMOVE,
        "autoremove": REMOVE,
        "autopurge": REMOVE,
    },
    "apk": {"add": INSTALL, "del": REMOVE},
    "dnf": {
        "install": INSTALL,
        "remove": REMOVE,
        "erase": REMOVE,
        "autoremove": REMOVE,
        # Package groups (yum(8), dnf(8) "Group Command"): the names that
        # follow are groups, kept as ``@name`` (the spelling `dnf install`
        # takes for a group).
        "groupinstall": INSTALL,
        "groupremove": REMOVE,
        "grouperase": REMOVE,
    },
}
# `dnf group install NAME` / `yum groups remove NAME`: the word after ``group``.
_GROUP_ACTIONS = {"install": INSTALL, "remove": REMOVE, "erase": REMOVE}
_PROGRAMS = {
    "apt-get": "apt",
    "apt": "apt",
    "aptitude": "apt",
    "apk": "apk",
    "dnf": "dnf",
    "dnf5": "dnf",
    "yum": "dnf",
    "microdnf": "dnf",
    "tdnf": "dnf",
}
# Options that take the next word as their value.
_VALUE_OPTIONS = {
    "apt": frozenset(
        {
            "-o",
            "--option",
            "-c",
            "--config-file",
            "-t",
            "--target-release",
            "-a",
            "--host-architecture",
        }
    ),
    "apk": frozenset(
        {
            "-X",
            "--repository",
            "-p",
            "--root",
            "--arch",
            "--cache-dir",
            "--keys-dir",
            "-t",
            "--virtual",
            "--repositories-file",
        }
    ),
    "dnf": frozenset(
        {
            "-c",
            "--config",
            "--installroot",
            "--releasever",
            "-x",
            "--exclude",
            "--setopt",
            "--enablerepo",
            "--disablerepo",
            "--repo",
            "--repoid",
            "-d",
            "--debuglevel",
            "-e",
            "--errorlevel",
        }
    ),
}


class PackageCall:
    """One package-manager command: ``manager`` (apt, apk, dnf), ``action``
    (INSTALL or REMOVE), the package names (versions and releases cut off:
    ``gcc=4:12.2`` is ``gcc``), ``virtual`` (the name of an ``apk add
    --virtual`` group, else '') and the shell command it is."""

    __slots__ = ("manager", "action", "subcommand", "packages", "virtual", "command")

    def __init__(
        self,
        manager: str,
        action: str,
        subcommand: str,
        packages: tuple[str, ...],
        virtual: str,
        command: Command,
    ) -> None:
        self.manager = manager
        self.action = action
        self.subcommand = subcommand
        self.packages = packages
        self.virtual = virtual
        self.command = command

    def __repr__(self) -> str:
        return (
            f"PackageCall({self.manager!r}, {self.subcommand!r}, {self.packages!r}, "
            f"virtual={self.virtual!r})"
        )


def _program(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def package_call(
    command: Command, env: Mapping[str, str] | None = None
) -> PackageCall | None:
    """The package-manager call ``command`` is, if it is one.

    With ``env`` (the build variables in effect), a word that is only a
    variable (``$BUILD_DEPS``, ``${BUILD_DEPS}``) is replaced by its value, split
    on blanks when unquoted as sh splits fields (``"$X"`` stays one word)."""
    argv = command.argv if env is None else _expanded_argv(command, env)
    if not argv:
        return None
    manager = _PROGRAMS.get(_program(argv[0]))
    if manager is None:
        return None
    values = _VALUE_OPTIONS[manager]
    actions = _ACTIONS[manager]
    subcommand = ""
    group_action = ""
    packages: list[str] = []
    virtual = ""
    i = 1
    while i < len(argv):
        word = argv[i]
        if word.startswith("-") and len(word) > 1:
            name, eq, value = word.partition("=")
            takes = name in values and not eq
            if manager == "apk" and name in ("-t", "--virtual"):
                virtual = argv[i + 1] if takes and i + 1 < len(argv) else value
            elif (
                manager == "apk"
                and word.startswith("-t")
                and len(word) > 2
                and not word.startswith("--")
            ):
                virtual = word[2:]
            i += 2 if takes else 1
            continue
        if not subcommand:
            subcommand = word
            if manager == "dnf" and word in ("group", "groups"):
                group_action = ""
            elif subcommand not in actions:
                return None
        elif subcommand in ("group", "groups") and not group_action:
            group_action = word
            if group_action not in _GROUP_ACTIONS:
                return None
        elif subcommand.startswith("group"):
            packages.append(_group_name(word))
        else:
            packages.append(_package_name(manager, word))
        i += 1
    if not subcommand:
        return None
    if subcommand in ("group", "groups"):
        if not group_action:
            return None
        action = _GROUP_ACTIONS[group_action]
        subcommand = f"{subcommand} {group_action}"
    else:
        action = actions[subcommand]
    return PackageCall(manager, action, subcommand, tuple(packages), virtual, command)


def _group_name(word: str) -> str:
    """A package group as ``@name`` in lower case (dnf matches group names
    and ids without regard to case)."""
    return "@" + word.removeprefix("@").lower()


_LONE_VARIABLE = LazyPattern(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _expanded_argv(command: Command, env: Mapping[str, str]) -> tuple[str, ...]:
    """``command``'s argv with each word that is one variable the build sets
    replaced by its value: unquoted, split on blanks (sh's field splitting with
    the default IFS); in double quotes, one word. Other words keep their value."""
    argv: list[str] = []
    for word in command.words:
        if not word.expands:
            argv.append(word.value)
            continue
        text = word.text
        quoted = len(text) > 1 and text[0] == text[-1] == '"'
        match = _LONE_VARIABLE.fullmatch(text[1:-1] if quoted else text)
        name = match and (match[1] or match[2])
        if not name or name not in env:
            argv.append(word.value)
        elif quoted:
            argv.append(env[name])
        else:
            argv.extend(env[name].split())
    return tuple(argv)


def _package_name(manager: str, word: str) -> str:
    """The name in a package argument: apt ``name=version``/``name/release``,
    apk ``name=1.2``, ``name>1``, ``name@tag``; dnf ``name-1.2`` is kept whole."""
    if manager == "dnf" and word.startswith("@"):
        return _group_name(word)
    cut = len(word)
    separators = ("=", "/", ":") if manager == "apt" else ("=", "<", ">", "~", "@")
    for sep in separators if manager != "dnf" else ("<", ">", "="):
        at = word.find(sep)
        if 0 < at < cut:
            cut = at
    return word[:cut]


def package_calls(
    ins: Instruction, env: Mapping[str, str] | None = None
) -> list[PackageCall]:
    """Package-manager calls of one RUN (shell form, exec form, heredocs);
    with ``env``, package lists in variables are read (``package_call``)."""
    if ins.effective.keyword != "RUN":
        return []
    found = []
    for command in ins.shell_commands():
        call = package_call(command, env)
        if call is not None:
            found.append(call)
    return found


# What apt installs along with a build package, as automatically installed
# packages: `apt-get remove`/`purge` of the package leaves them, unless
# `--auto-remove` (or a later `apt-get autoremove`) removes them too
# (apt-get(8): "autoremove is used to remove packages that were automatically
# installed to satisfy dependencies for other packages and are now no longer
# needed"). The lists are Debian's Depends (`apt-cache depends
# --no-recommends`, bookworm); ``-N`` stands for the release's versioned
# package (gcc-12 in bookworm, gcc-14 in trixie).
APT_PULLED_IN: dict[str, tuple[str, ...]] = {
    "gcc": ("gcc-N", "cpp", "cpp-N"),
    "g++": ("g++-N", "gcc", "gcc-N", "cpp"),
    "cpp": ("cpp-N",),
    "clang": ("clang-N",),
    # A metapackage: it holds nothing itself.
    "build-essential": ("gcc", "g++", "make", "libc6-dev", "dpkg-dev"),
    "libpq-dev": ("libssl-dev",),
    "libxml2-dev": ("libicu-dev",),
    "python3-dev": ("python3.N-dev", "libpython3-dev"),
    "default-libmysqlclient-dev": ("libmariadb-dev-compat", "libmariadb-dev"),
}


def auto_removes(call: PackageCall) -> bool:
    """Whether an apt call also removes the automatically installed packages
    nothing needs any more: ``autoremove``/``autopurge``, or ``remove``/``purge``
    with ``--auto-remove`` (apt-get(8))."""
    return call.subcommand in ("autoremove", "autopurge") or any(
        w in ("--auto-remove", "--autoremove") for w in call.command.argv
    )


# --- Python ---------------------------------------------------------------------

# Programs that mean the stage runs Python: interpreters and package tools
# (any version suffix: python3.12, pip3), and the servers that are Python
# programs. Sources: each project's console scripts.
_PYTHON_PROGRAMS = ("python", "pypy", "pip")
_PYTHON_TOOLS = frozenset(
    {
        "uv",
        "poetry",
        "pipenv",
        "pdm",
        "hatch",
        "conda",
        "mamba",
        "micromamba",
        "gunicorn",
        "uvicorn",
        "hypercorn",
        "daphne",
        "waitress-serve",
        "uwsgi",
        "celery",
        "flask",
        "django-admin",
        "streamlit",
        "granian",
    }
)
# Packages that install Python itself, per manager: Debian's python3,
# python3.N and python3-* (each depends on python3), python-is-python3, pypy3;
# Alpine's python3, py3-* and python3-dev/python3-tkinter (aports
# main/python3/APKBUILD subpackages; abuild makes a -dev subpackage depend on
# its parent); Fedora/RHEL's python3, python3.N and their sub-packages.
_PYTHON_PACKAGE = {
    "apt": LazyPattern(r"python3(?:\.\d+)?(?:-.+)?|python-is-python3|pypy3(?:-.+)?"),
    "apk": LazyPattern(r"python3(?:-dev|-tkinter)?|py3-.+|pypy3"),
    "dnf": LazyPattern(r"python3(?:\.?\d+)?(?:-.+)?|python3\d+(?:-.+)?"),
}


def is_python_program(path: str) -> bool:
    """``python``, ``python3``, ``python3.12``, ``pypy3``, ``pip3.12``... by any path."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    name = name.removesuffix(".exe")
    for program in _PYTHON_PROGRAMS:
        if name.startswith(program):
            major, dot, minor = name[len(program) :].partition(".")
            if not major and not dot:
                return True
            return _digits(major) and (not dot or _digits(minor))
    return False


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def runs_python(commands: Iterable[Command]) -> bool:
    """Whether one of ``commands`` runs Python: an interpreter or pip, a Python
    package tool (uv, poetry, pipenv, ...) or a Python server."""
    for command in commands:
        argv = command.argv
        if not argv:
            continue
        if is_python_program(argv[0]) or _program(argv[0]).lower() in _PYTHON_TOOLS:
            return True
    return False


def _installs_python(call: PackageCall) -> bool:
    if call.action != INSTALL:
        return False
    pattern = _PYTHON_PACKAGE[call.manager]
    return any(pattern.fullmatch(p) for p in call.packages)


def installs_python(stage: Stage) -> bool:
    """Whether ``stage`` installs Python with its package manager.

    Python in an ``apk add --virtual NAME`` group counts too: the group can be
    deleted again (``apk del NAME``), but until it is the stage runs Python; only
    a deletion of the group in the same RUN takes it away (a later RUN cannot
    take it out of the layer that holds it).
    """
    for ins in stage.instructions:
        calls = package_calls(ins)
        groups: set[str] = set()
        deleted: set[str] = set()
        for call in calls:
            if call.action == REMOVE:
                deleted.update(call.packages)
            elif _installs_python(call):
                if not call.virtual:
                    return True
                groups.add(call.virtual)
        if groups - deleted:
            return True
    return False


def python_base(model: Dockerfile, stage: Stage) -> bool:
    """Whether the image ``stage``'s chain starts from provides Python."""
    facts = base_facts(model, stage)
    return facts is not None and facts.python


def python_stages(model: Dockerfile) -> list[bool]:
    """For each stage, whether it is a Python one: its base provides Python
    (the table in ``python_docker_hooks._dockerfile.image``), or it (or a stage it is built
    on) installs Python with its package manager or runs Python."""
    memo = model.memo(_PythonStages)
    known = memo.stages
    if known is None:

        def own(stage: Stage) -> bool:
            if stage.parent is None and python_base(model, stage):
                return True
            if installs_python(stage):
                return True
            return any(runs_python(ins.shell_commands()) for ins in stage.instructions)

        known = memo.stages = model.inherited(own)
    return list(known)


class _PythonStages:
    """``python_stages`` of the model, once made."""

    __slots__ = ("stages",)

    def __init__(self) -> None:
        self.stages: list[bool] | None = None


# --- users ------------------------------------------------------------------------

# Options that take a value, per program. Debian's useradd(8)/groupadd(8)
# (shadow), Debian's adduser(8)/addgroup(8) (long options; Perl's Getopt::Long
# also takes them with one dash and by unique prefix, so `-u` is `--uid`),
# BusyBox adduser/addgroup (`-u UID`, `-g GECOS`/`-g GID`, `-G GROUP`, `-h DIR`,
# `-s SHELL`, `-k SKEL`).
_USERADD_VALUES = frozenset("bcdefgGkKpPRsuZ")
_GROUPADD_VALUES = frozenset("gKpPRU")
_USERADD_LONG_VALUES = frozenset(
    {
        "uid",
        "gid",
        "groups",
        "home-dir",
        "shell",
        "comment",
        "base-dir",
        "expiredate",
        "inactive",
        "skel",
        "key",
        "password",
        "root",
        "prefix",
        "selinux-user",
    }
)
_GROUPADD_LONG_VALUES = frozenset({"gid", "key", "password", "root", "prefix", "users"})
_ADDUSER_LONG_VALUES = frozenset(
    {
        "home",
        "shell",
        "uid",
        "firstuid",
        "lastuid",
        "gid",
        "firstgid",
        "lastgid",
        "gecos",
        "comment",
        "ingroup",
        "conf",
        "key",
        "stdoutmsglevel",
        "stderrmsglevel",
        "logmsglevel",
        "skel",
    }
)
_ADDUSER_LONG_FLAGS = frozenset(
    {
        "disabled-password",
        "disabled-login",
        "system",
        "no-create-home",
        "quiet",
        "debug",
        "group",
        "force-badname",
        "allow-bad-names",
        "allow-all-names",
        "add-extra-groups",
        "extrausers",
        "encrypt-home",
        "verbose",
    }
)
_BUSYBOX_VALUES = frozenset("hgsGuk")
# BusyBox's long spellings (FEATURE_ADDUSER_LONG_OPTIONS, on in Alpine).
_BUSYBOX_LONG_VALUES = frozenset({"home", "gecos", "shell", "ingroup", "uid", "skel"})


class UserCreation:
    """A user or group created by a RUN: ``kind`` 'user' or 'group', its name
    ('' when not read), the UID/GID given ('' when none) and the command.
    ``name`` and ``id`` are as the shell gets them: ``$USERNAME`` is put in from
    the ARG and ENV values of the build state at that RUN, which are its
    environment (:func:`users_created`); ``written`` is the name as written."""

    __slots__ = ("kind", "name", "id", "command", "instruction", "written")

    def __init__(
        self,
        kind: str,
        name: str,
        ident: str,
        command: Command,
        instruction: Instruction,
    ) -> None:
        self.kind = kind
        self.name = name
        self.id = ident
        self.command = command
        self.instruction = instruction
        self.written = name

    def __repr__(self) -> str:
        return f"UserCreation({self.kind!r}, {self.name!r}, id={self.id!r})"


def _options(
    argv: Sequence[str], short_values: frozenset[str], long_values: frozenset[str]
) -> tuple[dict[str, str], list[str]]:
    """Options (by name without dashes; short ones by letter) and operands."""
    options: dict[str, str] = {}
    operands: list[str] = []
    i = 1
    while i < len(argv):
        word = argv[i]
        if word == "--":
            operands.extend(argv[i + 1 :])
            break
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            if not eq and name in long_values:
                value = argv[i + 1] if i + 1 < len(argv) else ""
                i += 1
            options[name] = value
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            for k, letter in enumerate(letters):
                if letter in short_values:
                    rest = letters[k + 1 :]
                    if rest:
                        options[letter] = rest
                    else:
                        options[letter] = argv[i + 1] if i + 1 < len(argv) else ""
                        i += 1
                    break
                options[letter] = ""
        else:
            operands.append(word)
        i += 1
    return options, operands


def _debian_adduser(argv: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Debian's adduser: long options with one or two dashes, unique prefixes."""
    options: dict[str, str] = {}
    operands: list[str] = []
    names = sorted(_ADDUSER_LONG_VALUES | _ADDUSER_LONG_FLAGS)
    i = 1
    while i < len(argv):
        word = argv[i]
        if word == "--":
            operands.extend(argv[i + 1 :])
            break
        if word.startswith("-") and len(word) > 1:
            name, eq, value = word.lstrip("-").partition("=")
            matches = [n for n in names if n == name] or [
                n for n in names if n.startswith(name)
            ]
            full = matches[0] if len(matches) == 1 else name
            if not eq and full in _ADDUSER_LONG_VALUES:
                value = argv[i + 1] if i + 1 < len(argv) else ""
                i += 1
            options[full] = value
        else:
            operands.append(word)
        i += 1
    return options, operands


def busybox_style(argv: Sequence[str]) -> bool:
    """Whether an ``adduser``/``addgroup`` call is written for BusyBox: it
    uses BusyBox's short options (``-D``, ``-S``, ``-H``, ``-G``, ``-h``, ``-s``)
    that Debian's adduser does not have."""
    return any(
        word.startswith("-")
        and not word.startswith("--")
        and any(ch in "DSHGhs" for ch in word[1:])
        for word in argv[1:]
    )


def user_creation(command: Command, instruction: Instruction) -> UserCreation | None:
    """The user or group ``command`` creates, if it creates one (none when a
    quote is left open: sh runs nothing of such a script)."""
    from python_docker_hooks._dockerfile.shell import quotes_close

    argv = command.argv
    if not argv or not all(quotes_close(w.text) for w in command.words):
        return None
    program = _program(argv[0])
    if program == "useradd":
        options, operands = _options(argv, _USERADD_VALUES, _USERADD_LONG_VALUES)
        if "D" in options or "defaults" in options or not operands:
            return None
        uid = options.get("u") or options.get("uid", "")
        return UserCreation("user", operands[-1], uid, command, instruction)
    if program == "groupadd":
        options, operands = _options(argv, _GROUPADD_VALUES, _GROUPADD_LONG_VALUES)
        if not operands:
            return None
        gid = options.get("g") or options.get("gid", "")
        return UserCreation("group", operands[-1], gid, command, instruction)
    if program in ("adduser", "addgroup"):
        if busybox_style(argv):
            options, operands = _options(argv, _BUSYBOX_VALUES, _BUSYBOX_LONG_VALUES)
            if program == "adduser":
                # BusyBox's adduser (getopt "h:g:s:G:DSHu:k:", one or two
                # operands): without options, `adduser USER GROUP` adds an
                # existing user to a group; with options it creates USER.
                if not operands or (len(operands) == 2 and not options):
                    return None
                uid = options.get("u") or options.get("uid", "")
                return UserCreation("user", operands[0], uid, command, instruction)
            # `addgroup USER GROUP` adds an existing user to a group.
            if len(operands) != 1:
                return None
            return UserCreation(
                "group", operands[0], options.get("g", ""), command, instruction
            )
        options, operands = _debian_adduser(argv)
        if len(operands) != 1:
            return None
        # `adduser --group NAME` is addgroup; with --system it is a system user
        # with a group of its own name.
        if program == "addgroup" or ("group" in options and "system" not in options):
            return UserCreation(
                "group", operands[0], options.get("gid", ""), command, instruction
            )
        return UserCreation(
            "user", operands[0], options.get("uid", ""), command, instruction
        )
    return None


def users_created(model: Dockerfile, stage: Stage) -> list[UserCreation]:
    """Users and groups created in ``stage`` and the stages it is built on.

    A name or ID written with a variable (``useradd -u "$UID" "$USERNAME"``)
    is read with the ARG and ENV values in effect at the RUN: BuildKit runs the
    command with them in its environment (``model.env(..., build=True)``). A
    variable the build state does not set (one the script sets itself) leaves
    the word as written."""
    found = []
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.effective.keyword != "RUN" or ins.keyword == "ONBUILD":
                continue
            env: dict[str, str] | None = None
            for command in ins.shell_commands():
                created = user_creation(command, ins)
                if created is None:
                    continue
                if "$" in created.name or "$" in created.id:
                    if env is None:
                        env = model.env_values(st, ins, build=True)
                    created.name = expand_known(created.name, env, model.escape)
                    created.id = expand_known(created.id, env, model.escape)
                found.append(created)
    return found


_VARIABLE = LazyPattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def expand_known(value: str, env: dict[str, str], escape: str) -> str:
    """``value`` with its variables put in from ``env``, when ``env`` sets every
    one it names; else ``value`` as it is (an unset variable is not known to be
    empty: the script may set it)."""
    if "$" not in value:
        return value
    names = _VARIABLE.findall(value)
    if not names or any(n not in env for n in names):
        return value
    try:
        return expand(value, env, escape)
    except WordError:
        return value


class User:
    """The user a stage runs as: ``USER``'s value as built (variables put in),
    the instruction that set it, and whether that value is root."""

    __slots__ = ("value", "instruction")

    def __init__(self, value: str, instruction: Instruction) -> None:
        self.value = value
        self.instruction = instruction

    @property
    def name(self) -> str:
        """The user part (before ``:group``)."""
        return self.value.split(":", 1)[0]

    @property
    def is_root(self) -> bool:
        """``root`` or UID 0, with any group: see :func:`is_root_user`."""
        return is_root_user(self.name)

    @property
    def numeric(self) -> bool:
        return numeric_user(self.name)

    def __repr__(self) -> str:
        return f"User({self.value!r})"


def numeric_user(name: str) -> bool:
    """Whether the user part of a ``USER`` is a UID. moby/sys ``user.GetExecUser``
    (runc's user lookup, which Docker and gosu use) reads it with Go's
    ``strconv.Atoi``: an optional sign, then decimal digits; "If the userArg is
    numeric, always treat it as a UID"."""
    digits = name[1:] if name.startswith(("+", "-")) else name
    if not (digits.isascii() and digits.isdigit()):
        return False
    # Atoi fails past an int64 (ERANGE), and the user is then looked up by name.
    significant = digits.lstrip("0")
    limit = "9223372036854775808" if name.startswith("-") else "9223372036854775807"
    return len(significant) < len(limit) or (
        len(significant) == len(limit) and significant <= limit
    )


def is_root_user(name: str) -> bool:
    """Whether the user part of a ``USER`` (or of gosu's/su-exec's user spec)
    is root: ``root`` (UID 0 in every base image), or a number Atoi reads as 0
    (``0``, ``00``, ``+0``)."""
    return name == "root" or (numeric_user(name) and not name.lstrip("+-").strip("0"))


def effective_user(model: Dockerfile, stage: Stage) -> User | None:
    """The last ``USER`` of ``stage`` or of a stage it is built on (the image
    config carries it into a stage built ``FROM`` that stage); None when none
    sets one (the user is then the base image's, root unless the image sets it).
    ``USER`` expands variables from ENV and ARG (Docker's environment
    replacement list includes USER)."""
    for st in reversed(model.lineage(stage)):
        for ins in reversed(st.instructions):
            if ins.keyword != "USER":
                continue
            raw = ins.args.strip()
            value = raw
            if "$" in raw:
                env = model.env_values(st, before=ins, build=True)
                try:
                    value = expand(raw, env, model.escape)
                except WordError:
                    value = raw
            return User(value, ins)
    return None


# --- where a stage-wide instruction goes -------------------------------------------


def line_ending(text: str, offset: int) -> str:
    """The line ending of the line holding ``offset``, else the file's."""
    end = text.find("\n", offset)
    if end < 0:
        return newline_of(text)
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def after_from(model: Dockerfile, stage: Stage) -> tuple[int, str] | None:
    """Where a line inserted right after ``stage``'s ``FROM`` (and the ``ARG``
    lines that follow it) goes: the offset to insert ``newline + line`` at, and
    the line ending to use. None when that line ends in an open continuation
    (the new line would be joined to it)."""
    anchor = stage.from_instruction
    for ins in stage.instructions:
        if ins.keyword != "ARG":
            break
        anchor = ins
    if anchor.open_ended:
        return None
    return anchor.end, line_ending(model.text, anchor.end)


# --- the user the container's command switches to ------------------------------

DROPS = "drops"  # the command runs the application as a non-root user
KEEPS = "keeps"  # it runs it as the user the image runs as
UNKNOWN_USER = "unknown"  # it runs a script that could not be judged

# Programs that run the rest of their argv as another user, by their usage:
# gosu (tianon/gosu: `gosu user-spec command [args]`, user-spec `user[:group]`,
# looked up as runc's user.GetExecUser does), su-exec (ncopa/su-exec:
# `su-exec user-spec command [arguments...]`), util-linux setpriv(1)
# (`--reuid uid`, a UID or a name) and runuser(1) (`runuser -u user [--]
# command`).
_SWITCHERS = frozenset({"gosu", "su-exec", "setpriv", "runuser"})
# Init processes that run the rest of their argv as a child, with the options
# of theirs that take a value (tini's usage: -p SIGNAL, -e EXIT_CODE;
# dumb-init --help: -r/--rewrite s:r).
_INITS = {
    "tini": frozenset({"-p", "-e"}),
    "tini-static": frozenset({"-p", "-e"}),
    "dumb-init": frozenset({"-r", "--rewrite"}),
}
_SCRIPT_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})
# The PATH of a container whose image sets none (runc's default, the official
# images' own): where an ENTRYPOINT program named without a '/' is looked up.
_DEFAULT_PATH = (
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
)
# How a script names itself when it runs itself again as another user.
_SELF = frozenset({"$0", "${0}", "$BASH_SOURCE", "${BASH_SOURCE}", "${BASH_SOURCE[0]}"})
# The arguments a script was given (in an ENTRYPOINT script: the CMD).
_ALL_ARGS = frozenset({"$@", "${@}"})
_MAX_SCRIPT_DEPTH = 3


class CommandUser:
    """Whether the container's command drops root before the application runs:
    ``verdict`` DROPS (``user`` is the user it switches to), KEEPS, or
    UNKNOWN_USER (``detail`` says why: a script that could not be read, a user
    given by a variable the image does not set)."""

    __slots__ = ("verdict", "user", "detail")

    def __init__(self, verdict: str, user: str = "", detail: str = "") -> None:
        self.verdict = verdict
        self.user = user
        self.detail = detail

    def __repr__(self) -> str:
        return (
            f"CommandUser({self.verdict!r}, user={self.user!r}, detail={self.detail!r})"
        )


def command_user(
    model: Dockerfile,
    stage: Stage,
    read: Callable[[str], tuple[bytes | None, ...]],
) -> CommandUser:
    """Whether ``stage``'s ENTRYPOINT runs the application as a non-root user:
    it runs ``gosu``/``su-exec``/``setpriv --reuid``/``runuser -u`` to one
    (after ``tini``/``dumb-init``), or a shell script that does so in its last
    ``exec`` (or runs itself again so: ``exec gosu app "$0" "$@"``), with
    ``exec "$@"`` judged by the CMD. A script copied from the build context is
    read with ``read`` (a COPY source -> its bytes in each build's context);
    one that cannot be read is UNKNOWN_USER, never taken for root. Without an
    ENTRYPOINT in the file, the base image's own one runs: it DROPS when the
    image table says it switches to a non-root user for the command the
    container runs (the base's CMD when the file sets none), else KEEPS."""
    from python_docker_hooks._dockerfile.command import container_command

    command = container_command(model, stage)
    if command.entrypoint is None:
        facts = base_facts(model, stage)
        if facts is not None and facts.drop_user and _base_drops(facts, command.cmd):
            return _user_verdict(model, stage, facts.drop_user)
        return CommandUser(KEEPS)
    argv = list(command.entrypoint) + list(command.cmd or ())
    return _argv_user(model, stage, argv, read, 0, shell=False)


def _argv_user(
    model: Dockerfile,
    stage: Stage,
    argv: list[str],
    read: Callable[[str], tuple[bytes | None, ...]],
    depth: int,
    shell: bool = True,
) -> CommandUser:
    from python_docker_hooks._dockerfile.shell import script_index

    argv = _skip_inits(argv)
    if not argv:
        return CommandUser(KEEPS)
    switched = switched_user(argv)
    if switched is not None:
        if not shell and "$" in switched[0]:
            # Exec form runs no shell: the program gets `$NAME` as it is.
            return CommandUser(
                UNKNOWN_USER,
                detail=f"its ENTRYPOINT passes `{switched[0]}` unexpanded (exec form)",
            )
        return _user_verdict(model, stage, switched[0])
    name = _program(argv[0])
    index = script_index(argv)
    if index is not None:
        return _script_user(
            model, stage, argv[index], "", argv[index + 2 :], read, depth
        )
    if name in _SCRIPT_SHELLS:
        k = 1
        while k < len(argv) and argv[k].startswith(("-", "+")) and argv[k] != "--":
            k += 1
        if k < len(argv) and argv[k] == "--":
            k += 1
        if k >= len(argv):
            return CommandUser(KEEPS)
        return _file_user(model, stage, argv[k], argv[k + 1 :], read, depth, True)
    return _file_user(model, stage, argv[0], argv[1:], read, depth, False)


def _base_drops(facts: ImageFacts, cmd: tuple[str, ...] | None) -> bool:
    """Whether the base image's ENTRYPOINT switches user for ``cmd`` (None:
    the base's own CMD, which it does): its first word is one of the image's
    ``drop_commands`` (by its last path component), or an option when '-' is."""
    if cmd is None:
        return True
    if not cmd:
        return False
    first = cmd[0]
    if first.startswith("-"):
        return "-" in facts.drop_commands
    return first.rsplit("/", 1)[-1] in facts.drop_commands


def _skip_inits(argv: list[str]) -> list[str]:
    """``argv`` without the init processes in front (``tini -g --``)."""
    while argv and _program(argv[0]) in _INITS:
        values = _INITS[_program(argv[0])]
        k = 1
        while k < len(argv) and argv[k].startswith("-"):
            if argv[k] == "--":
                k += 1
                break
            k += 2 if argv[k] in values else 1
        argv = argv[k:]
    return argv


def switched_user(argv: Sequence[str]) -> tuple[str, int] | None:
    """The user ``argv``'s program switches to and the index of the command it
    then runs, when the program is gosu, su-exec, ``setpriv --reuid`` or
    ``runuser -u``; else None."""
    name = _program(argv[0]) if argv else ""
    if name not in _SWITCHERS:
        return None
    if name in ("gosu", "su-exec"):
        if len(argv) < 3 or argv[1].startswith("-"):
            return None
        return argv[1], 2
    from python_docker_hooks._dockerfile.shell import WRAPPERS

    # The options of theirs that take a value: the shell view's wrapper table.
    spec = WRAPPERS[name]
    user = ""
    k = 1
    while k < len(argv) and argv[k].startswith("-"):
        word = argv[k]
        if word == "--":
            k += 1
            break
        option, eq, value = word.partition("=")
        if word.startswith("--"):
            takes = option in spec.long and not eq
        else:
            takes = len(word) == 2 and word[1] in spec.short
        if takes and k + 1 < len(argv):
            value = argv[k + 1]
        elif not word.startswith("--") and len(word) > 2 and word[1] in spec.short:
            option, value = word[:2], word[2:]  # -uapp
        if (name == "setpriv" and option == "--reuid") or (
            name == "runuser" and option in ("-u", "--user")
        ):
            user = value
        k += 2 if takes else 1
    if not user or k >= len(argv):
        return None
    return user, k


def _user_verdict(
    model: Dockerfile, stage: Stage, spec: str, env: dict[str, str] | None = None
) -> CommandUser:
    """DROPS or KEEPS for a user spec (``user[:group]``), with variables put in
    from ``env``, by default the image's ENV (the container's environment)."""
    if "$" in spec:
        if env is None:
            env = model.env_values(stage)
        spec = expand_known(spec, env, model.escape)
        if "$" in spec:
            return CommandUser(
                UNKNOWN_USER,
                detail=f"it switches to `{spec}`, which the image does not set",
            )
    user = spec.split(":", 1)[0]
    if not user or is_root_user(user):
        return CommandUser(KEEPS)
    return CommandUser(DROPS, user)


def _file_user(
    model: Dockerfile,
    stage: Stage,
    path: str,
    args: list[str],
    read: Callable[[str], tuple[bytes | None, ...]],
    depth: int,
    script: bool,
) -> CommandUser:
    """The verdict for running the file at ``path`` (a script when ``script``,
    else a program that may be one) with ``args``."""
    candidates = copied_from_context(model, stage, path)
    if depth >= _MAX_SCRIPT_DEPTH:
        return CommandUser(UNKNOWN_USER, detail=f"`{path}` runs scripts too deep to follow")
    unreadable = False
    for candidate, exact in candidates:
        contents = read(candidate)
        if not contents or any(c is None for c in contents):
            # A source copied as the file itself should be there; one that may
            # be a directory holding it may just not hold it.
            unreadable = unreadable or exact
            continue
        verdicts = []
        for data in contents:
            assert data is not None
            if not script and not _shell_shebang(data):
                return CommandUser(KEEPS)  # a program, not a shell script
            text = data.decode("utf-8", "replace").lstrip("\ufeff")
            verdicts.append(_script_user(model, stage, text, path, args, read, depth + 1, True))
        for verdict in verdicts:
            if verdict.verdict != DROPS:
                return verdict
        return verdicts[0]
    if unreadable and (script or _may_be_shell(path, True)):
        return CommandUser(
            UNKNOWN_USER,
            detail=f"its ENTRYPOINT runs `{path}`, which could not be read from the build context",
        )
    if script or _may_be_shell(path, False):
        return CommandUser(
            UNKNOWN_USER,
            detail=f"its ENTRYPOINT runs `{path}`, which is not traced to a "
            "file of the build context",
        )
    return CommandUser(KEEPS)  # a program of the image: no switch seen


def _shell_shebang(data: bytes) -> bool:
    """Whether a file run as a program is a shell script: its ``#!`` line names
    a shell, directly or through ``env`` (the kernel runs the interpreter the
    line names; a Python or binary program is judged as a program)."""
    if not data.startswith(b"#!"):
        return False
    line = data[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
    if line and _program(line[0]) == "env":
        line = [w for w in line[1:] if not w.startswith("-")]
    return bool(line) and _program(line[0]) in _SCRIPT_SHELLS


def _may_be_shell(path: str, copied: bool) -> bool:
    """Whether a program whose text is not read may be a shell script: named
    ``*.sh``/``*.bash`` or an entrypoint by its name, or, for a file copied
    from the context, without an extension (``acme-sync.py`` is Python; a
    program of the image without an extension, ``python``, is not judged a
    script)."""
    name = _program(path).lower()
    return (
        name.endswith((".sh", ".bash"))
        or "entrypoint" in name
        or (copied and "." not in name)
    )


def _script_user(
    model: Dockerfile,
    stage: Stage,
    text: str,
    path: str,
    args: list[str],
    read: Callable[[str], tuple[bytes | None, ...]],
    depth: int,
    whole: bool = False,
) -> CommandUser:
    """The verdict for a shell script: its last ``exec``, or an ``exec`` that
    runs the script itself again as a non-root user; without ``exec``, its
    last command."""
    from python_docker_hooks._dockerfile.shell import split_commands

    commands = split_commands(text, heredoc_bodies=whole)
    execs = []
    # What the script has assigned before each exec (`PUID=${PUID:-911}`).
    assigned: dict[str, str] = {}
    for command in commands:
        if not command.argv:
            for assignment in command.assignments:
                name, _, value = assignment.value.partition("=")
                assigned[name] = value
            continue
        words = [w.value for w in command.prefix] + list(command.argv)
        if words and words[0] == "exec":
            rest = _exec_operands(words)
            if rest:
                execs.append((rest, dict(assigned)))
    unknown = None
    for rest, known in execs:
        switched = switched_user(rest)
        if switched is not None:
            target = rest[switched[1]]
            # The script runs itself again, or the command it was given, as
            # that user: the branch a script takes when it starts as root.
            if target in _SELF or target in _ALL_ARGS or (path and target == path):
                verdict = _user_verdict(
                    model, stage, switched[0], _script_env(model, stage, known)
                )
                if verdict.verdict == DROPS:
                    return verdict
                if verdict.verdict == UNKNOWN_USER and unknown is None:
                    unknown = verdict
    if unknown is not None:
        return unknown
    if execs:
        last = execs[-1][0]
    elif commands:
        last = [w.value for w in commands[-1].prefix] + list(commands[-1].argv)
    else:
        return CommandUser(KEEPS)
    expanded: list[str] = []
    for word in last:
        if word in ("$@", "${@}", "$*", "${*}"):
            expanded.extend(args)
        else:
            expanded.append(word)
    if not expanded:
        return CommandUser(KEEPS)
    return _argv_user(model, stage, expanded, read, depth)


def _script_env(
    model: Dockerfile, stage: Stage, assigned: dict[str, str]
) -> dict[str, str]:
    """The image's ENV with what a script assigned put over it, each value
    expanded as the shell would (the model's word reading, whose `${NAME-word}`
    and `${NAME:-word}` are POSIX Shell Command Language 2.6.2's: the image's
    ``NAME`` when it sets one, else the default). A value that names a variable
    neither the image nor the script sets, without a default, or that runs a
    command (`$(...)`, backquotes), is not known: the name is left out."""
    from python_docker_hooks._dockerfile.words import process_word

    env = dict(model.env_values(stage))
    for name, value in assigned.items():
        known: str | None = None
        if "$(" not in value and "`" not in value:
            try:
                if _set_enough(process_word(value), env):
                    known = expand(value, env)
            except WordError:
                known = None
        if known is None:
            env.pop(name, None)
        else:
            env[name] = known
    return env


def _set_enough(word: Canon, env: Mapping[str, str]) -> bool:
    """Whether every variable ``word`` reads is set in ``env``, or stands in a
    `${NAME-default}` / `${NAME:-default}` whose default is itself known."""
    for part in word:
        if len(part) == 2:
            continue
        name, op = part[1], part[2]
        value = env.get(name)
        if len(part) == 4 and op in ("-", ":-"):
            used = value is None or (op == ":-" and value == "")
            if not used or _set_enough(part[3], env):
                continue
            return False
        if value is None or len(part) != 4 or op:
            # Unset, or a pattern or alternative form: not read here.
            return False
    return True


def _exec_operands(words: list[str]) -> list[str]:
    """The command an ``exec`` runs: its words after ``exec`` and its options
    (``-c``, ``-l``, ``-a NAME``)."""
    k = 1
    while k < len(words) and words[k].startswith("-") and len(words[k]) > 1:
        if words[k] == "--":
            k += 1
            break
        k += 2 if words[k].endswith("a") else 1
    return words[k:]


def copied_from_context(
    model: Dockerfile, stage: Stage, path: str
) -> list[tuple[str, bool]]:
    """The context paths (COPY sources, latest instruction first) the file the
    stage runs as ``path`` may have been copied from, each with whether the
    source is copied as that file itself (``COPY e.sh /e.sh``), rather than a
    directory that may hold it (``COPY . /app``). A path without '/' is looked
    up in the default PATH, a relative one from the WORKDIR."""
    import fnmatch

    from python_docker_hooks._dockerfile.sources import instruction_sources

    if path.startswith("/"):
        targets = [posixpath.normpath(path)]
    elif "/" in path:
        targets = [posixpath.normpath(posixpath.join(model.workdir(stage), path))]
    else:
        targets = [f"{d}/{path}" for d in _DEFAULT_PATH]
    found: list[tuple[str, bool]] = []
    for st in reversed(model.lineage(stage)):
        for ins in reversed(st.instructions):
            if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            sources = instruction_sources(model, ins)
            dest = _destination(model, st, ins)
            if not sources or dest is None:
                continue
            into = dest.endswith("/") or len(sources) > 1 or sources[0].wildcard
            if not dest.startswith("/"):
                dest = posixpath.join(model.workdir(st, ins), dest)
            base = posixpath.normpath(dest).rstrip("/")
            for source in sources:
                value = posixpath.normpath(source.value.strip("/") or ".")
                value = "" if value == "." else value
                for target in targets:
                    if source.wildcard:
                        head, tail = posixpath.split(value)
                        if posixpath.dirname(target) == (base or "/") and fnmatch.fnmatchcase(
                            posixpath.basename(target), tail
                        ):
                            found.append((posixpath.join(head, posixpath.basename(target)), True))
                        continue
                    if value and not into and target == (base or "/"):
                        found.append((value, True))
                    # A file copied to a directory that exists then goes into
                    # it, trailing slash or not (``COPY e.sh /usr/local/bin``;
                    # fsutil's copy.go ``prepareTargetDir``: a source that is
                    # not a directory, on a destination that is one, is joined
                    # to its base name). Whether it exists is not known here,
                    # so both readings are taken, as ``copies._copied`` does.
                    if value and target == f"{base}/{posixpath.basename(value)}":
                        found.append((value, True))
                    if target.startswith(base + "/"):
                        rest = target[len(base) + 1 :]
                        found.append((posixpath.join(value, rest) if value else rest, False))
    return found


def _destination(model: Dockerfile, stage: Stage, ins: Instruction) -> str | None:
    """The destination of a COPY/ADD, variables put in (None when not read)."""
    if ins.json is not None:
        return ins.json[-1].value if len(ins.json) >= 2 else None
    words = split_words(ins.args, model.escape)
    if len(words) < 2:
        return None
    raw = words[-1][0]
    if "$" not in raw:
        return raw
    env = model.env_values(stage, ins, build=True)
    try:
        return expand(raw, env, model.escape)
    except WordError:
        return None
