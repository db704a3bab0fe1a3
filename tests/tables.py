"""The table tests every hook shares: catches, does not catch, fixes to, and the
shape check.

A hook's test file holds data: ``HOOK`` (the module name) and the tables
``CATCHES`` (rows of Dockerfile text and the exact report lines of a ``--no-fix``
run), ``DOES_NOT_CATCH`` (texts every mode leaves alone) and ``FIXES_TO`` (text
before, exact text after). The plugin in ``conftest.py`` adds the tests below to
every such module and parametrizes them from its tables; each row runs through
``main`` on a real file and through ``process`` alone (the ``hook`` fixture).

A module that runs a table its own way (rows that are trees of files) defines a
test of that table's name itself, and the shared one is left out. Every module
with tables gets the shape check: each table has a row of every shape in
``SHAPES``, or the module names, in ``SHAPE_EXEMPTIONS``, why a shape does not
apply to that table (``{("DOES_NOT_CATCH", "heredoc"): "reason"}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest
from hookrun import HookRun, as_bytes

Hook = Callable[..., HookRun]


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


def _texts(row: object) -> Iterable[bytes]:
    """The file texts of a table row: its first value, or each file of a tree."""
    values = getattr(row, "values", row)
    first = values[0] if isinstance(values, tuple) else values
    if isinstance(first, dict):
        yield from (as_bytes(v) for v in first.values())
    elif isinstance(first, (str, bytes)):
        yield as_bytes(first)


def missing_shapes(rows: Iterable[object]) -> list[str]:
    """The shapes of ``SHAPES`` no row of a table has."""
    texts = [t for row in rows for t in _texts(row)]
    return [s for s, present in SHAPES.items() if not any(present(t) for t in texts)]


def check_table_shapes(module: object, tables: Iterable[str] | None = None) -> None:
    """Each of ``tables`` (every table of ``module`` when None) has a row of
    every shape, but those the module exempts with a reason; an exemption for a
    shape a row has is stale and fails too."""
    names = [n for n in TABLES if hasattr(module, n)] if tables is None else list(tables)
    exempt: dict[tuple[str, str], str] = getattr(module, "SHAPE_EXEMPTIONS", {})
    assert all(reason.strip() for reason in exempt.values()), exempt
    missing = {
        (name, shape) for name in names for shape in missing_shapes(getattr(module, name))
    }
    gaps = sorted(missing - set(exempt))
    assert not gaps, f"tables with no row of these shapes: {gaps}"
    stale = sorted((t, s) for t, s in set(exempt) - missing if t in names)
    assert not stale, f"exempted shapes that rows have: {stale}"


def test_tables_cover_the_required_shapes(request: pytest.FixtureRequest) -> None:
    check_table_shapes(request.module)


# Table name -> the shared tests of its rows, and the rows' argument names.
TABLES: dict[str, tuple[tuple[Callable[..., None], ...], tuple[str, ...]]] = {
    "CATCHES": (
        (test_catches, test_unfixable_catches_leave_the_file_alone),
        ("text", "expected"),
    ),
    "DOES_NOT_CATCH": ((test_does_not_catch,), ("text",)),
    "FIXES_TO": ((test_fixes_to,), ("before", "after")),
}
TABLE_OF_TEST = {test.__name__: name for name, (tests, _) in TABLES.items() for test in tests}


def is_table_module(namespace: dict[str, object]) -> bool:
    return isinstance(namespace.get("HOOK"), str) and any(n in namespace for n in TABLES)


def add_table_tests(namespace: dict[str, object]) -> None:
    """Put the shared tests of a table module's tables in its namespace: those
    of each table whose first test the module does not define itself, and the
    shape check."""
    if not is_table_module(namespace):
        return
    for name, (tests, _) in TABLES.items():
        if name not in namespace:
            continue
        own = namespace.get(tests[0].__name__)
        if own is not None and getattr(own, "__module__", None) != __name__:
            continue
        for test in tests:
            namespace.setdefault(test.__name__, test)
    namespace.setdefault(
        test_tables_cover_the_required_shapes.__name__, test_tables_cover_the_required_shapes
    )
