"""The table tests every hook shares: catches, does not catch, fixes to.

A hook's test file holds data: ``HOOK`` (the module name) and the tables
``CATCHES`` (rows of Dockerfile text and the exact report lines of a ``--no-fix``
run), ``DOES_NOT_CATCH`` (texts every mode leaves alone) and ``FIXES_TO`` (text
before, exact text after). It imports these functions, and ``conftest.py``
parametrizes them from its tables. Each row runs through ``main`` on a real file
and through ``process`` alone (the ``hook`` fixture).
"""

from __future__ import annotations

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
