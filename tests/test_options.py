"""One option table per command, read by the quick reader and by argparse alike.

For every command line built from a table's rows (each option alone, with its
value after a space or an ``=``, each choice, repeated, with positional
arguments, every unambiguous prefix), the quick reader either declines
(argparse then reads it) or reads exactly what argparse reads; and it reads
every full-form line without argparse.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools

import pytest

from python_docker_hooks._engine.options import (
    CHECK,
    EXPLAIN,
    HOOK,
    RULES,
    Option,
    build_parser,
    quick_parse,
)

TABLES = {"hook": HOOK, "check": CHECK, "rules": RULES, "explain": EXPLAIN}


def _argparse(table: tuple[Option, ...], argv: list[str]) -> dict[str, object] | None:
    """What argparse reads, or None when it refuses the line."""
    parser = build_parser("prog", "description", table)
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return vars(parser.parse_args(argv))
        except SystemExit:
            return None


def _option_forms(option: Option) -> list[list[str]]:
    """The full-form ways to give one option."""
    assert option.flag is not None
    if not option.value:
        return [[option.flag]]
    values = list(option.choices or ("a.toml", "PDH101,DL3042", ""))
    forms = []
    for value in values:
        if value:
            forms.append([option.flag, value])
        forms.append([f"{option.flag}={value}"])
    if option.repeat:
        forms.append([option.flag, "x", f"{option.flag}=y"])
    return forms


def _positionals(table: tuple[Option, ...]) -> list[list[str]]:
    positional = next((o for o in table if o.flag is None), None)
    if positional is None:
        return [[]]
    if positional.many:
        return [[], ["Dockerfile"], ["a/Dockerfile", "b.dockerignore", "-"]]
    return [["PDH101"]]


def _full_forms(table: tuple[Option, ...]) -> list[list[str]]:
    """Lines of full-form options: each alone and each pair, with the
    positional arguments after them, before them, and after ``--``."""
    singles = [form for o in table if o.flag is not None for form in _option_forms(o)]
    lines: list[list[str]] = []
    for positional in _positionals(table):
        lines.append(positional)
        lines.append(["--", *positional])
        for form in singles:
            lines.append([*form, *positional])
            lines.append([*positional, *form])
            lines.append([*form, "--", *positional])
        for first, second in itertools.combinations(singles, 2):
            lines.append([*first, *second, *positional])
    return lines


def _prefixes(table: tuple[Option, ...]) -> list[tuple[str, str | None]]:
    """Each shortened option and the option argparse takes it for (None: the
    prefix is ambiguous)."""
    flags = sorted({o.flag for o in table if o.flag is not None})
    found = []
    for flag in flags:
        for end in range(3, len(flag)):
            prefix = flag[:end]
            matches = [f for f in flags if f.startswith(prefix)]
            found.append((prefix, matches[0] if len(matches) == 1 else None))
    return found


@pytest.mark.parametrize("name", TABLES)
def test_every_full_form_line_is_read_without_argparse_as_argparse_reads_it(
    name: str,
) -> None:
    table = TABLES[name]
    lines = _full_forms(table)
    assert len(lines) > len(table)  # the positional alone and after --, at least
    for argv in lines:
        expected = _argparse(table, argv)
        quick = quick_parse(argv, table)
        if expected is None:
            # argparse refuses it (a positional argument after an option that
            # follows others, a choice-less empty value): the quick reader must
            # leave it to argparse.
            assert quick is None, argv
        else:
            assert quick is not None, argv
            assert vars(quick) == expected, argv


@pytest.mark.parametrize("name", TABLES)
def test_a_shortened_option_is_left_to_argparse_which_takes_a_unique_prefix(
    name: str,
) -> None:
    table = TABLES[name]
    assert build_parser("prog", "description", table).allow_abbrev
    for prefix, flag in _prefixes(table):
        option = next((o for o in table if o.flag == flag), None)
        tail = [(option.choices or ("x",))[0]] if option and option.value else []
        positional = _positionals(table)[-1]
        argv = [prefix, *tail, *positional]
        assert quick_parse(argv, table) is None, argv
        if flag is None:
            assert _argparse(table, argv) is None, argv
        else:
            assert _argparse(table, argv) == _argparse(table, [flag, *tail, *positional])


@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("hook", ["-h"]),
        ("hook", ["--help", "Dockerfile"]),
        ("hook", ["--config"]),
        ("hook", ["--config", "--no-fix"]),
        ("hook", ["--no-fix=1", "Dockerfile"]),
        ("hook", ["--bogus", "Dockerfile"]),
        ("hook", ["-x"]),
        ("hook", ["Dockerfile", "--no-fix", "other"]),
        ("hook", ["Dockerfile", "--", "other"]),
        ("check", ["--format", "xml"]),
        ("check", ["--format=xml", "."]),
        ("check", ["--select"]),
        ("check", ["--fix=yes"]),
        ("rules", ["--format", "sarif"]),
        ("rules", ["extra"]),
        ("explain", []),
        ("explain", ["PDH101", "PDH201"]),
        ("explain", ["--format", "json", "PDH101"]),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v),
)
def test_the_quick_reader_declines_what_it_does_not_read(
    name: str, argv: list[str]
) -> None:
    assert quick_parse(argv, TABLES[name]) is None


def test_the_argparse_parser_has_the_table_options_and_nothing_else() -> None:
    for table in TABLES.values():
        parser = build_parser("prog", "description", table)
        flags = {
            s for action in parser._actions for s in action.option_strings
        } - {"-h", "--help"}
        assert flags == {o.flag for o in table if o.flag is not None}
        positional = [a.dest for a in parser._actions if not a.option_strings]
        assert positional == [o.dest for o in table if o.flag is None]


def test_a_repeatable_default_is_not_shared_between_runs() -> None:
    first = quick_parse(["--select", "PDH101"], CHECK)
    second = quick_parse([], CHECK)
    assert first is not None and second is not None
    assert (first.select, second.select) == (["PDH101"], [])
    namespace = build_parser("prog", "d", CHECK).parse_args([])
    assert isinstance(namespace, argparse.Namespace) and namespace.select == []


# A hook command's lines (``pip-no-cache-dir ...``): read without argparse ...
HOOK_ARGV = [
    [],
    ["Dockerfile"],
    ["--no-fix", "a", "b"],
    ["a", "b", "--no-fix", "--unsafe-fixes"],
    ["--config", "pyproject.toml", "Dockerfile"],
    ["--config=pyproject.toml", "Dockerfile"],
    ["--config=", "Dockerfile"],
    ["--", "--no-fix", "-x"],
    ["-", "--no-fix"],
    ["--no-fix", "--no-fix", "Dockerfile"],
    ["--config", "a", "--config", "b"],
]

# ... and left to argparse.
FALLBACK_ARGV = [
    ["-h"],
    ["--help"],
    ["--no", "Dockerfile"],
    ["--unsafe", "Dockerfile"],
    ["--config"],
    ["--config", "--no-fix"],
    ["--no-fix=1"],
    ["--what", "Dockerfile"],
    ["-x"],
    # File names in two runs (argparse's error) or around "--": argparse decides.
    ["a", "--no-fix", "b"],
    ["a", "--", "b"],
]


@pytest.mark.parametrize("argv", HOOK_ARGV, ids=" ".join)
def test_a_hook_command_line_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    quick = quick_parse(argv, HOOK)
    assert quick is not None
    assert vars(quick) == _argparse(HOOK, argv)


@pytest.mark.parametrize("argv", FALLBACK_ARGV, ids=" ".join)
def test_a_hook_command_line_is_left_to_argparse(argv: list[str]) -> None:
    assert quick_parse(argv, HOOK) is None
