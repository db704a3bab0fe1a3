"""The table tests every hook shares: catches, does not catch, fixes to.

A hook's test file holds data: ``HOOK`` (the module name) and the tables
``CATCHES`` (rows of Dockerfile text and the exact report lines of a ``--no-fix``
run), ``DOES_NOT_CATCH`` (texts every mode leaves alone) and ``FIXES_TO`` (text
before, exact text after). It imports these functions, and ``conftest.py``
parametrizes them from its tables. Each row runs through ``main`` on a real file
and through ``process`` alone (the ``hook`` fixture).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hookrun import HookRun, as_bytes

Hook = Callable[..., HookRun]

# Table name -> the argument names of its rows, for conftest's parametrization.
TABLES = {
    "test_catches": ("CATCHES", ("text", "expected")),
    "test_unfixable_catches_leave_the_file_alone": ("CATCHES", ("text", "expected")),
    "test_does_not_catch": ("DOES_NOT_CATCH", ("text",)),
    "test_fixes_to": ("FIXES_TO", ("before", "after")),
}


def test_catches(hook: Hook, text: str | bytes, expected: list[str]) -> None:
    """Reported exactly, exit 1, the file untouched."""
    result = hook(text, "--no-fix")
    assert (result.code, result.lines) == (1 if expected else 0, expected)
    assert result.data == as_bytes(text)


def test_unfixable_catches_leave_the_file_alone(
    hook: Hook, text: str | bytes, expected: list[str]
) -> None:
    """A row none of whose findings has a fix reads the same with fixes on."""
    if any(line.endswith(" [*]") for line in expected):
        return
    result = hook(text)
    assert (result.code, result.lines) == (1 if expected else 0, expected)
    assert result.data == as_bytes(text)


def test_does_not_catch(hook: Hook, text: str | bytes) -> None:
    for args in ((), ("--no-fix",)):
        result = hook(text, *args)
        assert (result.code, result.lines, result.data) == (0, [], as_bytes(text))


def test_fixes_to(hook: Hook, before: str | bytes, after: str | bytes) -> None:
    """One run fixes to exactly ``after``; a second run changes nothing."""
    first = hook(before)
    assert first.data == as_bytes(after)
    assert first.code == 1
    assert first.lines[-1] == "Fixing"
    assert any(line.endswith(" (fixed)") for line in first.lines[:-1])
    second = hook(first.data)
    assert (second.code, second.lines, second.data) == (0, [], first.data)


_KEYWORDS = (
    "from|run|cmd|entrypoint|env|label|copy|add|expose|user|workdir|arg|shell"
    "|onbuild|healthcheck|maintainer|volume|stopsignal"
)
SHAPES: dict[str, Callable[[bytes], bool]] = {
    "crlf": lambda t: b"\r\n" in t,
    "bom": lambda t: t.startswith(b"\xef\xbb\xbf"),
    "no final newline": lambda t: not t.endswith(b"\n"),
    "lowercase keyword": lambda t: re.search(rb"(?m)^(?:" + _KEYWORDS.encode() + rb") ", t)
    is not None,
    "backtick escape": lambda t: b"# escape=`" in t,
    "comment in continuation": lambda t: re.search(rb"[\\`]\r?\n[ \t]*#", t) is not None,
    "heredoc": lambda t: b"<<" in t,
    "suppression": lambda t: b"python-docker-hooks:" in t or b"hadolint ignore" in t,
}


def check_table_shapes(module: object, tables: tuple[str, ...]) -> None:
    """Each of ``tables`` holds a row of every shape in ``SHAPES``."""
    for name in tables:
        texts = [as_bytes(p.values[0]) for p in getattr(module, name)]
        missing = [s for s, present in SHAPES.items() if not any(present(t) for t in texts)]
        assert missing == [], f"{name} has no row for: {', '.join(missing)}"
