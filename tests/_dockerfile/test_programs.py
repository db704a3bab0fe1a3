"""What pip and uv make of a command line: option tables, prefixes, boolean values."""

from __future__ import annotations

import optparse

import pytest

from python_docker_hooks._dockerfile import programs
from python_docker_hooks._dockerfile.programs import (
    installer_call,
    is_python_interpreter,
    pip_cache_off,
    pip_rejects,
    uv_cache_off,
)
from python_docker_hooks._dockerfile.shell import Word


def _call(source: str) -> programs.InstallerCall | None:
    """The call read from the words of ``source`` as they are (no wrapper taken
    off: ``uv run`` is itself a call)."""
    words = [Word(w, w, 0, 0) for w in source.split()]
    return installer_call(words)


def _optparse_parser() -> optparse.OptionParser:
    """An optparse parser with pip's install options, as our table holds them."""
    parser = optparse.OptionParser(add_help_option=False)
    spellings: dict[str, list[str]] = {}
    for name, (canonical, _) in programs._PIP_INSTALL_LONG.items():
        spellings.setdefault(canonical, []).append(name)
    shorts = {c: s for s, (c, _) in programs._PIP_INSTALL_SHORT.items()}
    for canonical, names in spellings.items():
        takes_value = programs._PIP_INSTALL_LONG[canonical][1]
        flags = ([f"-{shorts[canonical]}"] if canonical in shorts else []) + names
        dest = canonical[2:].replace("-", "_")
        if takes_value:
            parser.add_option(*flags, dest=dest, action="store")
        else:
            parser.add_option(*flags, dest=dest, action="store_true")
    return parser


PREFIXES = [
    "--no-cache",
    "--no-cache-d",
    "--no-ca",
    "--no-c",
    "--no",
    "--prox",
    "--pro",
    "--log-f",
    "--lo",
    "--loc",
    "--require-v",
    "--require-vi",
    "--req",
    "--user",
    "--us",
    "--u",
    "--ignore-i",
    "--index",
    "--ind",
    "--cache",
    "--cache-d",
    "--c",
    "--x",
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_long_option_prefixes_match_cpython_optparse(prefix: str) -> None:
    """Our prefix matching gives the option CPython's ``optparse._match_abbrev``
    gives over the same table, or nothing where optparse raises (unknown or
    ambiguous)."""
    parser = _optparse_parser()
    try:
        expected = optparse._match_abbrev(prefix, parser._long_opt)  # type: ignore[attr-defined]
    except optparse.BadOptionError:
        expected = None
    found = programs._match_long(
        prefix, programs._PIP_INSTALL_LONG, programs._PIP_INSTALL_NAMES
    )
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found == programs._PIP_INSTALL_LONG[expected]


# pip's ``utils.misc.strtobool``: lowercased, not stripped.
STRTOBOOL = [
    ("1", True),
    ("true", True),
    ("TRUE", True),
    ("yes", True),
    ("On", True),
    ("y", True),
    ("t", True),
    ("0", True),
    ("false", True),
    ("no", True),
    ("OFF", True),
    ("n", True),
    ("F", True),
    ("", False),
    (" 1", False),
    ("2", False),
    ("maybe", False),
]


@pytest.mark.parametrize(("value", "off"), STRTOBOOL)
def test_pip_no_cache_dir_is_off_for_every_value_strtobool_accepts(
    value: str, off: bool
) -> None:
    assert pip_cache_off(value) is off
    assert pip_rejects(value) is (bool(value) and not off)


@pytest.mark.parametrize(
    ("value", "off"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("off", False),
        ("", False),
        (None, False),
    ],
)
def test_uv_no_cache_is_off_for_clap_boolish_true_values(
    value: str | None, off: bool
) -> None:
    assert uv_cache_off(value) is off


@pytest.mark.parametrize(
    ("source", "tool", "subcommand", "options"),
    [
        ("pip install x", "pip", ("install",), []),
        ("pip install --no-cache x", "pip", ("install",), [("--no-cache-dir", None)]),
        (
            "pip --prox http://p install x",
            "pip",
            ("install",),
            [("--proxy", "http://p")],
        ),
        ("pip --local-log=l install x", "pip", ("install",), [("--log", "l")]),
        ("pip -qqr r.txt install x", None, None, None),
        (
            "pip install -qUr r.txt --cache-d=/c",
            "pip",
            ("install",),
            [
                ("--quiet", None),
                ("--upgrade", None),
                ("--requirement", "r.txt"),
                ("--cache-dir", "/c"),
            ],
        ),
        (
            "pip install -r --no-cache-dir",
            "pip",
            ("install",),
            [("--requirement", "--no-cache-dir")],
        ),
        ("pip install x -- --no-cache-dir", "pip", ("install",), []),
        ("pip download x", None, None, None),
        ("pip --timeout 5 download x", None, None, None),
        ("python3 -Im pip install x", "pip", ("install",), []),
        ("pypy3 -m pip install x", "pip", ("install",), []),
        ("python -m pipx install x", None, None, None),
        ("uv pip install x", "uv", ("pip", "install"), []),
        ("uv --no-cache pip sync r.txt", "uv", ("pip", "sync"), [("--no-cache", None)]),
        ("uv sync --no-cache-dir", "uv", ("sync",), [("--no-cache", None)]),
        ("uv sync -qn", "uv", ("sync",), [("--no-cache", None)]),
        (
            "uv --cache-dir /c tool install ruff",
            "uv",
            ("tool", "install"),
            [("--cache-dir", "/c")],
        ),
        ("uv run -p 3.12 python -n", "uv", ("run",), [("--python", "3.12")]),
        ("uv lock", None, None, None),
        ("uvx ruff", "uv", ("uvx",), []),
    ],
)
def test_installer_call(
    source: str,
    tool: str | None,
    subcommand: tuple[str, ...] | None,
    options: list[tuple[str, str | None]] | None,
) -> None:
    call = _call(source)
    if tool is None:
        assert call is None
        return
    assert call is not None
    assert (call.tool, call.subcommand, call.options) == (tool, subcommand, options)


def test_a_value_option_before_the_subcommand_is_not_the_subcommand() -> None:
    # ``--prox`` is ``--proxy`` (it takes a value): ``install`` is the value of
    # nothing, and ``download`` would be pip's subcommand, not ``install``.
    assert _call("pip --prox install download x") is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("python", True),
        ("python3", True),
        ("/usr/local/bin/python3.12", True),
        ("python3.13t", True),
        ("pypy", True),
        ("pypy3", True),
        ("pypy3.10", True),
        ("pythonw", False),
        ("python-config", False),
        ("ipython", False),
    ],
)
def test_python_interpreters(word: str, expected: bool) -> None:
    assert is_python_interpreter(word) is expected


# Measured with CPython 3.11 (``sys.flags.dont_write_bytecode`` under
# ``PYTHONDONTWRITEBYTECODE=value``), and as ``_Py_get_env_flag`` reads it.
CPYTHON_FLAG_VALUES = [
    ("", 0),
    ("0", 0),
    ("00", 0),
    (" 0", 0),
    ("+0", 0),
    ("-0", 0),
    ("0 ", 1),
    ("1", 1),
    ("2", 2),
    ("true", 1),
    ("false", 1),
    ("-1", 1),
    ("0x0", 1),
    (" ", 1),
    ("99999999999", 1),
    ("0" * 5000 + "2", 2),
    ("-" + "0" * 5000, 0),
    ("9" * 5000, 1),
]


@pytest.mark.parametrize(("value", "level"), CPYTHON_FLAG_VALUES)
def test_cpython_integer_flags_as_py_get_env_flag_reads_them(
    value: str, level: int
) -> None:
    assert programs.cpython_flag(value) == level


def test_the_flags_we_judge_are_integer_flags() -> None:
    assert {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"} <= programs.CPYTHON_FLAGS


def test_cpython_flags_agree_with_the_running_interpreter() -> None:
    import os
    import subprocess
    import sys

    for value, level in CPYTHON_FLAG_VALUES:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": value, "PYTHONVERBOSE": ""}
        out = subprocess.run(
            [sys.executable, "-c", "import sys; print(sys.flags.dont_write_bytecode)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert int(out) == min(level, 1), value
