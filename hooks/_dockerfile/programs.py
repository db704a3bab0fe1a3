"""What Python's programs make of their command line and environment: pip,
``python -m pip``, uv, and CPython's integer flags.

The shell view (``python_docker_hooks._dockerfile.shell``) gives a command's words; this module
says which of them run pip or uv, which subcommand, and which options they pass,
read the way each tool reads its own command line.

pip (its ``cli/main_parser.py`` and ``cli/parser.py``, on CPython's ``optparse``):

* The main parser reads the general options and stops at the first word that is
  not an option (``disable_interspersed_args``): that word is the subcommand.  A
  general option that takes a value takes the next word (``--proxy URL install``)
  or the text after ``=``.
* The subcommand's parser reads the general options again plus its own, anywhere
  on the line (interspersed), up to ``--``.
* optparse accepts any prefix of a long option that names one option only
  (``_match_abbrev``: ``--no-cache`` is ``--no-cache-dir``, ``--prox`` is
  ``--proxy``); a prefix shared by several is an error, as is an unknown option.
  Short options bundle (``-qUr req.txt``); one that takes a value takes the rest of
  the word or the next word.

The option tables below are pip 26.3's (``cli/cmdoptions.py``: the general group;
``commands/install.py``: the install options), aliases included.

uv parses with clap: long options are exact (no abbreviations), ``--name=value``
works, and the cache options are global (``--no-cache``/``-n``, its alias
``--no-cache-dir``, ``--cache-dir``), accepted before or after the subcommand
(``crates/uv-cli`` and ``crates/uv-cache``'s ``CacheArgs``). Its options that
take a value are listed in ``python_docker_hooks._dockerfile.uv_options``, which
the shell view's wrapper table reads too (to find the command ``uv run`` runs).
"""

from __future__ import annotations

from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._dockerfile.uv_options import (
    UV_GLOBAL_VALUE,
    UV_RUN_VALUE_LONG,
    UV_RUN_VALUE_SHORT,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from python_docker_hooks._dockerfile.shell import Word

__all__ = [
    "CPYTHON_FLAGS",
    "PIP_TRUE_OR_FALSE",
    "UV_TRUE",
    "InstallerCall",
    "cache_cleaner",
    "cpython_flag",
    "home_of",
    "installer_call",
    "is_python_interpreter",
    "pip_cache_off",
    "pip_leaves_no_cache",
    "pip_rejects",
    "rm_recursive_operands",
    "tool_cache_dir",
    "uv_cache_off",
]

_PIP = LazyPattern(r"pip(?:\d+(?:\.\d+)?)?")
# CPython (``python3.13t`` is the free-threaded build) and PyPy interpreters.
_PYTHON = LazyPattern(r"(?:python|pypy)(?:\d+(?:\.\d+)?t?)?")


# Most words are no program name, or the plain one: those are answered without
# the patterns (which are compiled when a versioned name is first met).
def _is_pip(name: str) -> bool:
    if name == "pip":
        return True
    return name.startswith("pip") and _PIP.fullmatch(name) is not None


def _is_python(name: str) -> bool:
    if name == "python" or name == "pypy":
        return True
    return name.startswith(("python", "pypy")) and _PYTHON.fullmatch(name) is not None


# What pip's ``strtobool`` (``utils/misc.py``) accepts, in any case.  pip reads
# ``PIP_NO_CACHE_DIR`` through it and turns the cache off for every value it
# accepts, false ones included (``cmdoptions._handle_no_cache_dir``: kept for
# backwards compatibility); an empty value is dropped before that
# (``ConfigOptionParser._get_ordered_configuration_items``), another value
# stops pip with "invalid truth value".
PIP_TRUE_OR_FALSE = frozenset(
    {"y", "yes", "t", "true", "on", "1", "n", "no", "f", "false", "off", "0"}
)
# What clap's ``BoolishValueParser`` reads as true (uv's ``UV_NO_CACHE``); its
# false values (``0``, ``false``, ``no``...) leave uv's cache on.
UV_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})

# pip's general options: long name -> (canonical name, takes a value).
_PIP_GENERAL_LONG: dict[str, tuple[str, bool]] = {
    "--version": ("--version", False),
    "--help": ("--help", False),
    "--debug": ("--debug", False),
    "--isolated": ("--isolated", False),
    "--require-virtualenv": ("--require-virtualenv", False),
    "--require-venv": ("--require-virtualenv", False),
    "--python": ("--python", True),
    "--verbose": ("--verbose", False),
    "--quiet": ("--quiet", False),
    "--log": ("--log", True),
    "--log-file": ("--log", True),
    "--local-log": ("--log", True),
    "--no-input": ("--no-input", False),
    "--keyring-provider": ("--keyring-provider", True),
    "--proxy": ("--proxy", True),
    "--no-proxy-env": ("--no-proxy-env", False),
    "--retries": ("--retries", True),
    "--timeout": ("--timeout", True),
    "--default-timeout": ("--timeout", True),
    "--exists-action": ("--exists-action", True),
    "--trusted-host": ("--trusted-host", True),
    "--cert": ("--cert", True),
    "--client-cert": ("--client-cert", True),
    "--cache-dir": ("--cache-dir", True),
    "--no-cache-dir": ("--no-cache-dir", False),
    "--disable-pip-version-check": ("--disable-pip-version-check", False),
    "--no-color": ("--no-color", False),
    "--no-python-version-warning": ("--no-python-version-warning", False),
    "--use-feature": ("--use-feature", True),
    "--use-deprecated": ("--use-deprecated", True),
    "--resume-retries": ("--resume-retries", True),
}
_PIP_GENERAL_SHORT: dict[str, tuple[str, bool]] = {
    "V": ("--version", False),
    "h": ("--help", False),
    "v": ("--verbose", False),
    "q": ("--quiet", False),
}
_PIP_INSTALL_LONG: dict[str, tuple[str, bool]] = {
    **_PIP_GENERAL_LONG,
    "--requirement": ("--requirement", True),
    "--constraint": ("--constraint", True),
    "--build-constraint": ("--build-constraint", True),
    "--requirements-from-script": ("--requirements-from-script", True),
    "--no-deps": ("--no-deps", False),
    "--no-dependencies": ("--no-deps", False),
    "--only-deps": ("--only-deps", False),
    "--only-dependencies": ("--only-deps", False),
    "--editable": ("--editable", True),
    "--dry-run": ("--dry-run", False),
    "--target": ("--target", True),
    "--platform": ("--platform", True),
    "--python-version": ("--python-version", True),
    "--implementation": ("--implementation", True),
    "--abi": ("--abi", True),
    "--user": ("--user", False),
    "--no-user": ("--no-user", False),
    "--root": ("--root", True),
    "--prefix": ("--prefix", True),
    "--src": ("--src", True),
    "--source": ("--src", True),
    "--source-dir": ("--src", True),
    "--source-directory": ("--src", True),
    "--upgrade": ("--upgrade", False),
    "--upgrade-strategy": ("--upgrade-strategy", True),
    "--force-reinstall": ("--force-reinstall", False),
    "--ignore-installed": ("--ignore-installed", False),
    "--ignore-requires-python": ("--ignore-requires-python", False),
    "--no-build-isolation": ("--no-build-isolation", False),
    "--use-pep517": ("--use-pep517", False),
    "--check-build-dependencies": ("--check-build-dependencies", False),
    "--break-system-packages": ("--break-system-packages", False),
    "--config-settings": ("--config-settings", True),
    "--compile": ("--compile", False),
    "--no-compile": ("--no-compile", False),
    "--no-warn-script-location": ("--no-warn-script-location", False),
    "--no-warn-conflicts": ("--no-warn-conflicts", False),
    "--require-hashes": ("--require-hashes", False),
    "--no-require-hashes": ("--no-require-hashes", False),
    "--progress-bar": ("--progress-bar", True),
    "--root-user-action": ("--root-user-action", True),
    "--report": ("--report", True),
    "--group": ("--group", True),
    "--no-clean": ("--no-clean", False),
    "--pre": ("--pre", False),
    "--all-releases": ("--all-releases", True),
    "--only-final": ("--only-final", True),
    "--no-binary": ("--no-binary", True),
    "--only-binary": ("--only-binary", True),
    "--prefer-binary": ("--prefer-binary", False),
    "--index-url": ("--index-url", True),
    "--pypi-url": ("--index-url", True),
    "--extra-index-url": ("--extra-index-url", True),
    "--no-index": ("--no-index", False),
    "--refresh-package": ("--refresh-package", True),
    "--find-links": ("--find-links", True),
    "--uploaded-prior-to": ("--uploaded-prior-to", True),
}
_PIP_INSTALL_SHORT: dict[str, tuple[str, bool]] = {
    **_PIP_GENERAL_SHORT,
    "r": ("--requirement", True),
    "c": ("--constraint", True),
    "e": ("--editable", True),
    "t": ("--target", True),
    "U": ("--upgrade", False),
    "I": ("--ignore-installed", False),
    "C": ("--config-settings", True),
    "i": ("--index-url", True),
    "f": ("--find-links", True),
}
_PIP_GENERAL_NAMES = tuple(_PIP_GENERAL_LONG)
# ``pip cache``'s options: the general ones and ``--format``.
_PIP_CACHE_LONG: dict[str, tuple[str, bool]] = {
    **_PIP_GENERAL_LONG,
    "--format": ("--format", True),
}
_PIP_CACHE_NAMES = tuple(_PIP_CACHE_LONG)
_PIP_INSTALL_NAMES = tuple(_PIP_INSTALL_LONG)

_UV_SHORT_NAMES = {
    "C": "--config-setting",
    "P": "--upgrade-package",
    "f": "--find-links",
    "i": "--index-url",
    "p": "--python",
    "w": "--with",
}
_UV_NO_CACHE = frozenset({"--no-cache", "--no-cache-dir"})
# uv commands that download or build packages, so write uv's cache: the words
# after ``uv`` (and its global options) that name them.
_UV_CACHING = (
    ("pip", "install"),
    ("pip", "sync"),
    ("sync",),
    ("tool", "install"),
    ("tool", "run"),
    ("run",),
    ("add",),
)


def _basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def is_pip_program(word: str) -> bool:
    """``pip``, ``pip3``, ``pip3.12``... by any path."""
    return _is_pip(_basename(word))


def is_python_interpreter(word: str) -> bool:
    """``python``, ``python3``, ``python3.12``, ``python3.13t``, ``pypy3``... by any path."""
    return _is_python(_basename(word))


def _match_long(
    option: str, table: Mapping[str, tuple[str, bool]], names: Sequence[str]
) -> tuple[str, bool] | None:
    """optparse's ``_match_abbrev``: the option a long option or a unique prefix
    of one names; None when unknown or ambiguous (pip then stops with an error)."""
    found = table.get(option)
    if found is not None:
        return found
    # Every spelling counts, aliases too: ``--require-v`` is ambiguous between
    # ``--require-venv`` and ``--require-virtualenv``.
    matches = [name for name in names if name.startswith(option)]
    return table[matches[0]] if len(matches) == 1 else None


class InstallerCall:
    """One run of pip or uv that installs packages, read from a command's words.

    ``tool`` is ``"pip"`` or ``"uv"``; ``words`` the words from the program on;
    ``insert_after`` the word after which an option is inserted (the subcommand's
    last word); ``options`` the options given, by canonical long name, with their
    values (``None`` for a flag).
    """

    __slots__ = ("arguments", "insert_after", "options", "subcommand", "tool", "words")

    def __init__(
        self,
        tool: str,
        words: Sequence[Word],
        subcommand: tuple[str, ...],
        insert_after: Word,
        options: list[tuple[str, str | None]],
        arguments: tuple[str, ...] = (),
    ) -> None:
        self.tool = tool
        self.words = words
        self.subcommand = subcommand
        self.insert_after = insert_after
        self.options = options
        # pip's positional arguments (the requirements named on the line).
        self.arguments = arguments

    def has(self, name: str) -> bool:
        return any(option == name for option, _ in self.options)

    def value(self, name: str) -> str | None:
        """The last value given to option ``name`` (the one the tool keeps)."""
        found = None
        for option, value in self.options:
            if option == name:
                found = value
        return found

    def __repr__(self) -> str:
        return f"InstallerCall({self.tool!r}, {self.subcommand!r}, {self.options!r})"


def _optparse(
    words: Sequence[Word],
    start: int,
    longs: Mapping[str, tuple[str, bool]],
    names: Sequence[str],
    shorts: Mapping[str, tuple[str, bool]],
    interspersed: bool,
    positionals: list[str] | None = None,
) -> tuple[list[tuple[str, str | None]], int]:
    """Options in ``words[start:]`` as optparse reads them, and where it stopped
    (the first positional word when not ``interspersed``, else the end); with
    ``interspersed``, the other words go to ``positionals``.

    An unknown or ambiguous option (an error to pip) is passed over as a flag.
    """
    found: list[tuple[str, str | None]] = []
    i = start
    count = len(words)
    while i < count:
        value = words[i].value
        if value == "--":
            if positionals is not None:
                positionals.extend(w.value for w in words[i + 1 :])
            return found, count if interspersed else i + 1
        if value.startswith("--"):
            name, eq, inline = value.partition("=")
            match = _match_long(name, longs, names)
            i += 1
            if match is None:
                continue
            canonical, takes_value = match
            if takes_value and not eq:
                found.append((canonical, words[i].value if i < count else None))
                i += 1
            else:
                found.append((canonical, inline if eq else None))
            continue
        if value.startswith("-") and len(value) > 1:
            i += 1
            for k in range(1, len(value)):
                short = shorts.get(value[k])
                if short is None:
                    continue
                canonical, takes_value = short
                if not takes_value:
                    found.append((canonical, None))
                    continue
                if k + 1 < len(value):
                    found.append((canonical, value[k + 1 :]))
                else:
                    found.append((canonical, words[i].value if i < count else None))
                    i += 1
                break
            continue
        if not interspersed:
            return found, i
        if positionals is not None:
            positionals.append(value)
        i += 1
    return found, i


def _pip(words: Sequence[Word], first: int) -> InstallerCall | None:
    """pip's command line from ``words[first]`` (after ``pip`` or ``-m pip``)."""
    _, sub = _optparse(
        words, first, _PIP_GENERAL_LONG, _PIP_GENERAL_NAMES, _PIP_GENERAL_SHORT, False
    )
    if sub >= len(words) or words[sub].value != "install":
        return None
    # pip removes the subcommand and parses the rest, general options included.
    rest = [*words[first:sub], *words[sub + 1 :]]
    arguments: list[str] = []
    options, _ = _optparse(
        rest,
        0,
        _PIP_INSTALL_LONG,
        _PIP_INSTALL_NAMES,
        _PIP_INSTALL_SHORT,
        True,
        arguments,
    )
    return InstallerCall(
        "pip", words, ("install",), words[sub], options, tuple(arguments)
    )


def _uv_options(
    words: Sequence[Word], i: int, stop_at_positional: bool
) -> tuple[list[tuple[str, str | None]], int]:
    """uv's options from ``words[i]`` (exact names), up to the first positional
    word when ``stop_at_positional``, else to the end (after ``--`` nothing counts)."""
    found: list[tuple[str, str | None]] = []
    count = len(words)
    while i < count:
        value = words[i].value
        if value == "--":
            return found, i
        if value.startswith("--"):
            name, eq, inline = value.partition("=")
            if name in _UV_NO_CACHE:
                name = "--no-cache"
            if name in UV_RUN_VALUE_LONG and not eq:
                found.append((name, words[i + 1].value if i + 1 < count else None))
                i += 2
                continue
            found.append((name, inline if eq else None))
        elif value.startswith("-") and len(value) > 1:
            # Bundled short flags, the last one maybe taking a value (clap).
            for k in range(1, len(value)):
                letter = value[k]
                if letter == "n":
                    found.append(("--no-cache", None))
                elif letter in UV_RUN_VALUE_SHORT:
                    name = _UV_SHORT_NAMES[letter]
                    if k + 1 < len(value):
                        found.append((name, value[k + 1 :]))
                    else:
                        found.append(
                            (name, words[i + 1].value if i + 1 < count else None)
                        )
                        i += 1
                    break
        elif stop_at_positional:
            return found, i
        i += 1
    return found, i


def _uv(words: Sequence[Word], first: int) -> InstallerCall | None:
    """uv's command line from ``words[first]`` (after ``uv``), when it installs."""
    options, i = _uv_options(words, first, True)
    count = len(words)
    for names in _UV_CACHING:
        end = i + len(names)
        if end <= count and tuple(w.value for w in words[i:end]) == names:
            if names == ("run",) or names == ("tool", "run"):
                # The command run keeps its own arguments: only uv's options
                # before it count.
                more, _ = _uv_options(words, end, True)
            else:
                more, _ = _uv_options(words, end, False)
            if names == ("run",) and any(o == "--no-sync" for o, _ in more):
                return None  # ``uv run --no-sync`` installs nothing
            return InstallerCall("uv", words, names, words[end - 1], options + more)
    return None


def installer_call(words: Sequence[Word]) -> InstallerCall | None:
    """The pip or uv install that ``words`` run, if they run one.

    ``pip``, ``pip3``, ``pip3.12`` (by any path), a Python interpreter with
    ``-m pip`` (``python3 -Im pip``, ``pypy3 -m pip``), and the uv commands that
    install packages (``uv pip install``, ``uv pip sync``, ``uv sync``, ``uv add``,
    ``uv run``, ``uv tool install``, ``uv tool run`` and ``uvx``).
    """
    if not words:
        return None
    name = _basename(words[0].value)
    if _is_pip(name):
        return _pip(words, 1)
    if _is_python(name):
        module = _python_module(words)
        if module is None or module[0] != "pip":
            return None
        return _pip(words, module[1])
    if name == "uv":
        return _uv(words, 1)
    if name == "uvx":
        more, _ = _uv_options(words, 1, True)
        return InstallerCall("uv", words, ("uvx",), words[0], more)
    return None


def cache_cleaner(words: Sequence[Word]) -> InstallerCall | None:
    """The command when it empties a tool's whole cache: ``pip cache purge``
    (``python -m pip cache purge``) or ``uv cache clean`` with no package
    named (``uv clean`` and ``uv cache clear`` are its aliases). The call's
    ``options`` hold its ``--cache-dir``.

    pip's ``cache purge`` (``commands/cache.py``) removes every file of the
    HTTP caches (``http``, ``http-v2``) and every ``*.whl`` of ``wheels``, then
    the directories left empty; small bookkeeping files (a wheel's
    ``origin.json``) stay. ``uv cache clean`` without packages removes the
    whole cache directory (uv's ``cache clean`` command: "removing all entries
    or those linked to specific packages").
    """
    if not words:
        return None
    name = _basename(words[0].value)
    first = 1
    if _is_python(name):
        module = _python_module(words)
        if module is None or module[0] != "pip":
            return None
        name, first = "pip", module[1]
    if _is_pip(name):
        _, sub = _optparse(
            words,
            first,
            _PIP_GENERAL_LONG,
            _PIP_GENERAL_NAMES,
            _PIP_GENERAL_SHORT,
            False,
        )
        if sub >= len(words) or words[sub].value != "cache":
            return None
        positionals: list[str] = []
        more, _ = _optparse(
            [*words[first:sub], *words[sub + 1 :]],
            0,
            _PIP_CACHE_LONG,
            _PIP_CACHE_NAMES,
            _PIP_GENERAL_SHORT,
            True,
            positionals,
        )
        if positionals != ["purge"]:
            return None
        return InstallerCall("pip", words, ("cache", "purge"), words[sub], more)
    if name != "uv":
        return None
    options, i = _uv_options(words, 1, True)
    count = len(words)
    for names in (("cache", "clean"), ("cache", "clear"), ("clean",)):
        end = i + len(names)
        if end <= count and tuple(w.value for w in words[i:end]) == names:
            more, _ = _uv_options(words, end, False)
            k = end
            while k < count:
                value = words[k].value
                if value in UV_GLOBAL_VALUE:
                    k += 2
                    continue
                if not value.startswith("-"):
                    return None  # a package: only its entries go
                k += 1
            return InstallerCall("uv", words, names, words[end - 1], options + more)
    return None


def pip_leaves_no_cache(call: InstallerCall, find_links_env: str | None) -> bool:
    """Whether a ``pip install`` writes nothing to pip's cache directory.

    pip's cache has two parts (``cli/index_command.py``, ``network/session.py``,
    ``wheel_builder.py``): the HTTP cache (``http-v2``), which only the
    ``https://``/``http://`` adapters write (``file://`` and local paths are
    read by ``LocalFSAdapter``, uncached), and the wheel cache (``wheels``),
    where a wheel built from an sdist whose name holds a version is kept
    (``_should_cache``: ``_contains_egg_info``). A wheel is installed as it is
    (``_should_build`` is false for it); ``--no-index`` also skips pip's
    self version check. So an install writes nothing there when it reads no
    index (``--no-index``), every ``--find-links`` (and ``PIP_FIND_LINKS``) is
    a local directory, and it can build nothing: ``--only-binary :all:``
    (without a ``--no-binary``), or ``--no-deps`` with only ``.whl`` files
    named. Without that, an sdist in the directory would be built and its wheel
    kept in the cache.
    """
    if not call.has("--no-index"):
        return False
    links = [v for o, v in call.options if o == "--find-links"]
    if find_links_env:
        links.extend(find_links_env.split())
    for link in links:
        if link is None or ("://" in link and not link.lower().startswith("file:")):
            return False
    if call.has("--no-binary"):
        return False
    only_binary = any(
        ":all:" in (v or "").split(",") for o, v in call.options if o == "--only-binary"
    )
    if only_binary:
        return True
    named_wheels = bool(call.arguments) and all(
        a.lower().endswith(".whl") for a in call.arguments
    )
    return (
        named_wheels
        and call.has("--no-deps")
        and not call.has("--requirement")
        and not call.has("--editable")
    )


def rm_recursive_operands(words: Sequence[Word]) -> list[Word] | None:
    """The operands of an ``rm`` that removes directories (``-r``, ``-R`` or
    ``--recursive``, GNU coreutils and BusyBox alike), else None."""
    if not words or _basename(words[0].value) != "rm":
        return None
    recursive = False
    operands: list[Word] = []
    options_done = False
    for word in words[1:]:
        value = word.value
        if options_done or not value.startswith("-") or value == "-":
            operands.append(word)
        elif value == "--":
            options_done = True
        elif value.startswith("--"):
            recursive = recursive or value == "--recursive"
        elif "r" in value or "R" in value:
            recursive = True
    return operands if recursive else None


# python's one-letter options without a value: they may be bundled (``-Im pip``).
_PY_FLAGS = frozenset("bBdEhiIOPqRsSuvVx")
# python options that take a value, in the next word or bundled (``-Wignore``).
_PY_VALUE_LETTERS = frozenset("WX")


def python_module_call(words: Sequence[Word]) -> tuple[str, int] | None:
    """(module, index of its first argument) when ``words`` run a Python
    interpreter with ``-m MODULE`` (``python3 -Im compileall``, by any path);
    else None."""
    if not words or not _is_python(_basename(words[0].value)):
        return None
    return _python_module(words)


def _python_module(words: Sequence[Word]) -> tuple[str, int] | None:
    """(module, index of its first argument) of ``python [options] -m MODULE``."""
    i = 1
    while i < len(words):
        value = words[i].value
        if value == "--check-hash-based-pycs":
            i += 2
            continue
        if value.startswith("--") or not value.startswith("-") or value == "-":
            return None  # a script, ``-`` (stdin) or another long option
        letters = value[1:]
        step = 1
        for k, letter in enumerate(letters):
            if letter in _PY_FLAGS:
                continue
            if letter == "m":
                if k + 1 < len(letters):
                    return letters[k + 1 :], i + 1
                return (words[i + 1].value, i + 2) if i + 1 < len(words) else None
            if letter in _PY_VALUE_LETTERS:
                step = 1 if k + 1 < len(letters) else 2
                break
            return None  # ``-c`` or an unknown option
        i += step
    return None


def pip_cache_off(value: str | None) -> bool:
    """Whether ``PIP_NO_CACHE_DIR=value`` turns pip's cache off: any value pip's
    ``strtobool`` accepts (false ones too); not an empty one (pip drops it)."""
    return value is not None and value.lower() in PIP_TRUE_OR_FALSE


def pip_rejects(value: str | None) -> bool:
    """Whether pip stops with "invalid truth value" on ``PIP_NO_CACHE_DIR=value``."""
    return bool(value) and not pip_cache_off(value)


def uv_cache_off(value: str | None) -> bool:
    """Whether ``UV_NO_CACHE=value`` turns uv's cache off (clap's boolish true)."""
    return value is not None and value.lower() in UV_TRUE


# Tool -> (the variable that moves its cache, its directory's name under
# $XDG_CACHE_HOME or ~/.cache).
_CACHE_LOCATIONS = {
    "pip": ("PIP_CACHE_DIR", "pip"),
    "uv": ("UV_CACHE_DIR", "uv"),
    "poetry": ("POETRY_CACHE_DIR", "pypoetry"),
}


def home_of(user: str | None) -> str | None:
    """The home directory of a USER: root's is ``/root``; another named user's
    is taken as ``/home/NAME`` (``useradd -m``'s default); a numeric one is not
    known without the image's ``/etc/passwd``."""
    if user is None or user in ("root", "0"):
        return "/root"
    if user.isdigit() or "$" in user:
        return None
    return f"/home/{user}"


def tool_cache_dir(
    tool: str,
    chosen: str | None,
    lookup: Callable[[str], str | None],
    home: str | None,
    workdir: str,
) -> str | None:
    """Where pip or uv writes its cache (None when it is not known here), with
    ``lookup`` giving the variables in effect.

    pip: ``--cache-dir`` (``chosen``), else ``PIP_CACHE_DIR``, else platformdirs'
    ``user_cache_dir``: ``$XDG_CACHE_HOME/pip`` when that is not blank, else
    ``~/.cache/pip``. uv: ``--cache-dir``, else ``UV_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/uv`` or ``$HOME/.cache/uv``. Poetry (``poetry``):
    ``POETRY_CACHE_DIR``, else ``$XDG_CACHE_HOME/pypoetry`` or
    ``~/.cache/pypoetry`` (Poetry's ``docs/configuration.md``, "Cache
    Directory"). Each expands ``~``; a relative directory is under the WORKDIR.
    """
    import posixpath

    variable, name = _CACHE_LOCATIONS[tool]
    chosen = chosen or lookup(variable)
    if not chosen:
        xdg = lookup("XDG_CACHE_HOME")
        if xdg and xdg.strip():
            chosen = posixpath.join(xdg, name)
        elif home is None:
            return None
        else:
            chosen = posixpath.join(home, ".cache", name)
    if chosen == "~" or chosen.startswith("~/"):
        if home is None:
            return None
        chosen = home + chosen[1:]
    if "$" in chosen:
        return None
    return posixpath.normpath(posixpath.join(workdir, chosen))


# The variables CPython reads as integer flags (``Python/initconfig.c``,
# ``config_read_env_vars``, through ``_Py_get_env_flag`` of ``preconfig.c``).
CPYTHON_FLAGS = frozenset(
    {
        "PYTHONDEBUG",
        "PYTHONVERBOSE",
        "PYTHONOPTIMIZE",
        "PYTHONINSPECT",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONNOUSERSITE",
        "PYTHONUNBUFFERED",
    }
)
# C's isspace in the "C" locale: what strtol skips before the number.
_C_SPACE = " \t\n\v\f\r"
_INT_MAX = 2**31 - 1


def cpython_flag(value: str | None) -> int:
    """The level CPython gives an integer flag variable set to ``value``.

    ``_Py_GetEnv`` treats an empty value as unset (0). ``_Py_str_to_int`` reads
    the value with ``strtol(value, &end, 10)`` (leading blanks, a sign, then
    digits) and fails unless all of it is read and it fits an int; a failed or
    negative read counts as 1. So ``0``, ``00``, `` 0`` and ``+0`` leave the
    behaviour off, while ``1``, ``true``, ``false`` and ``0 `` turn it on.
    """
    if not value:
        return 0
    text = value.lstrip(_C_SPACE)
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or not (digits.isascii() and digits.isdigit()):
        return 1
    significant = digits.lstrip("0")
    if len(significant) > 10:
        return 1  # past an int (and int() reads no more than 4,300 digits)
    number = -int(significant or "0") if text[:1] == "-" else int(significant or "0")
    if number < 0 or number > _INT_MAX:
        return 1
    return number
