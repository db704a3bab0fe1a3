"""The command lines' options, declared once, read two ways.

Each command's options are one table of ``Option`` rows. From the table,
``quick_parse`` reads the common command lines without argparse (whose import,
with gettext and locale, is a tenth of a hook run's start-up), and
``build_parser`` builds the argparse parser that reads everything else: help,
usage errors, an abbreviated option (argparse's ``allow_abbrev``, on by default,
takes any unambiguous prefix), an option without its value. ``parse`` tries the
first, then the second, so both read the same options with the same meaning.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any

__all__ = [
    "CHECK",
    "EXPLAIN",
    "FORMATS",
    "HOOK",
    "RULES",
    "Args",
    "Option",
    "build_parser",
    "help_formatter",
    "parse",
    "quick_parse",
]


class Option:
    """One row of a command's option table.

    ``flag`` is the option (``--config``), or None for the positional argument
    ``dest``. An option that takes no ``value`` stores ``store`` in ``dest``
    (argparse's ``store_true`` / ``store_false``); one that does takes the next
    argument or the text after ``=``, one of ``choices`` if given, and with
    ``repeat`` collects every one in a list (argparse's ``append``). A positional
    argument takes any number of arguments (``many``) or exactly one.
    ``default`` is the value when absent; when two options share a ``dest``,
    the first one's default is the one used, as argparse does.
    """

    __slots__ = (
        "flag",
        "dest",
        "value",
        "store",
        "repeat",
        "choices",
        "default",
        "metavar",
        "help",
        "many",
    )

    def __init__(
        self,
        flag: str | None,
        dest: str,
        *,
        value: bool = False,
        store: bool = True,
        repeat: bool = False,
        choices: tuple[str, ...] | None = None,
        default: object = None,
        metavar: str | None = None,
        help: str | None = None,
        many: bool = True,
    ) -> None:
        self.flag = flag
        self.dest = dest
        self.value = value
        self.store = store
        self.repeat = repeat
        self.choices = choices
        self.default = default
        self.metavar = metavar
        self.help = help
        self.many = many

    def __repr__(self) -> str:
        return f"Option({self.flag or self.dest!r})"


_CONFIG_HELP = "pyproject.toml to use instead of discovery"

# A per-concern hook's command (``pip-no-cache-dir FILE...``) and the hook
# commands' ``main_for``: they fix by default, as pre-commit's hooks do.
HOOK: tuple[Option, ...] = (
    Option(None, "filenames", help="Dockerfiles to check"),
    Option(
        "--no-fix", "no_fix", default=False, help="report only; never change a file"
    ),
    Option(
        "--unsafe-fixes",
        "unsafe_fixes",
        default=False,
        help="also apply fixes marked unsafe",
    ),
    Option("--config", "config", value=True, metavar="PATH", help=_CONFIG_HELP),
)

FORMATS = ("text", "json", "sarif", "github")

# ``python-docker-hooks check``.
CHECK: tuple[Option, ...] = (
    Option(
        None,
        "paths",
        metavar="PATH",
        help="files to check, or directories to search for Dockerfiles (default: .)",
    ),
    Option(
        "--select",
        "select",
        value=True,
        repeat=True,
        default=[],
        metavar="CODES",
        help="only these rules: codes, hadolint or BuildKit codes, or hook ids, "
        "comma-separated (repeatable)",
    ),
    Option(
        "--ignore",
        "ignore",
        value=True,
        repeat=True,
        default=[],
        metavar="CODES",
        help="leave these rules out (same forms as --select)",
    ),
    # --fix and --no-fix: the last one given wins (pre-commit puts a hook's
    # `args` after its entry, `check --fix`, so `args: [--no-fix]` reports only).
    # None: as each file's configuration says (``fix = true``), else report.
    Option(
        "--fix",
        "fix",
        default=None,
        help="apply safe fixes (the default when the configuration says fix = true)",
    ),
    Option(
        "--no-fix",
        "fix",
        store=False,
        default=None,
        help="report only; change no file (the default, unless fix = true)",
    ),
    Option(
        "--diff",
        "diff",
        default=False,
        help="print a unified diff of what --fix would change; write nothing; "
        "exit 1 if there is a diff",
    ),
    Option(
        "--unsafe-fixes",
        "unsafe_fixes",
        default=False,
        help="with --fix (or --diff), also apply fixes marked unsafe",
    ),
    Option(
        "--format",
        "format",
        value=True,
        choices=FORMATS,
        default="text",
        help="output format (default: text)",
    ),
    Option(
        "--statistics",
        "statistics",
        default=False,
        help="print the number of findings per code instead of each finding",
    ),
    Option(
        "--exit-zero",
        "exit_zero",
        default=False,
        help="exit 0 even when there are findings (2 still means bad usage)",
    ),
    Option("--config", "config", value=True, metavar="PATH", help=_CONFIG_HELP),
)

# ``python-docker-hooks rules``.
RULES: tuple[Option, ...] = (
    Option("--format", "format", value=True, choices=("text", "json"), default="text"),
)

# ``python-docker-hooks explain CODE``.
EXPLAIN: tuple[Option, ...] = (Option(None, "code", metavar="CODE", many=False),)


class Args:
    """Parsed options by name, as argparse's ``Namespace`` holds them."""

    def __init__(self, values: dict[str, object]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # for mypy: any option name
        raise AttributeError(name)


def _fresh(value: object) -> object:
    return list(value) if isinstance(value, list) else value


def quick_parse(argv: Sequence[str], table: Sequence[Option]) -> Args | None:
    """The common command lines, read without argparse: None for anything else
    (help, an unknown or abbreviated option, an option without its value, a
    value not among its choices, a wrong number of positional arguments), which
    ``parse`` hands to argparse, so usage, help and errors stay argparse's."""
    options = {o.flag: o for o in table if o.flag is not None}
    positional = next((o for o in table if o.flag is None), None)
    parsed: dict[str, object] = {}
    for row in table:
        if row.flag is not None:
            parsed.setdefault(row.dest, _fresh(row.default))
    rest: list[str] = []
    args = list(argv)
    # argparse reads the positional arguments as one run: one after an option
    # that follows them is its error, so it is left to argparse, as is "--"
    # after one (or in a command that takes none).
    ended = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            if rest or positional is None:
                return None
            rest.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "-":
            if ended:
                return None
            rest.append(arg)
            continue
        if rest:
            ended = True
        name, eq, inline = arg.partition("=")
        option = options.get(name)
        if option is None:
            return None
        if not option.value:
            if eq:
                return None
            parsed[option.dest] = option.store
            continue
        if eq:
            text = inline
        elif i < len(args) and not args[i].startswith("-"):
            text = args[i]
            i += 1
        else:
            return None
        if option.choices is not None and text not in option.choices:
            return None
        if option.repeat:
            found = parsed.get(option.dest)
            parsed[option.dest] = [*found, text] if isinstance(found, list) else [text]
        else:
            parsed[option.dest] = text
    if positional is None:
        if rest:
            return None
    elif positional.many:
        parsed[positional.dest] = rest
    elif len(rest) == 1:
        parsed[positional.dest] = rest[0]
    else:
        return None
    return Args(parsed)


def build_parser(
    prog: str, description: str, table: Sequence[Option]
) -> argparse.ArgumentParser:
    """The argparse parser of ``table``: the options in the table's order."""
    import argparse

    parser = argparse.ArgumentParser(
        prog=prog, description=description, formatter_class=help_formatter
    )
    for option in table:
        kwargs: dict[str, Any] = {}
        if option.metavar is not None:
            kwargs["metavar"] = option.metavar
        if option.help is not None:
            kwargs["help"] = option.help
        if option.flag is None:
            if option.many:
                kwargs["nargs"] = "*"
            parser.add_argument(option.dest, **kwargs)
            continue
        kwargs["dest"] = option.dest
        kwargs["default"] = _fresh(option.default)
        if option.value:
            if option.repeat:
                kwargs["action"] = "append"
            if option.choices is not None:
                kwargs["choices"] = option.choices
        else:
            kwargs["action"] = "store_true" if option.store else "store_false"
        parser.add_argument(option.flag, **kwargs)
    return parser


def parse(
    argv: Sequence[str], table: Sequence[Option], prog: str, description: str
) -> Args | argparse.Namespace:
    """``argv`` read by ``quick_parse``, else by argparse (which exits with its
    usage error, or after printing help)."""
    quick = quick_parse(argv, table)
    if quick is not None:
        return quick
    return build_parser(prog, description, table).parse_args(argv)


def help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter with the width given, so that building the parser does
    not import shutil (and its compression modules) just to ask for it."""
    import argparse

    try:
        width = int(os.environ.get("COLUMNS", "")) - 2
    except ValueError:
        try:
            width = os.get_terminal_size().columns - 2
        except OSError:
            width = 78
    return argparse.HelpFormatter(prog, width=max(width, 40))
