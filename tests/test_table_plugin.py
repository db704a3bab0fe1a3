"""The table plugin (conftest.py, tables.py): every hook has a test module with
tables, and a module with tables gets the shared tests and the shape check."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import tables

from python_docker_hooks._engine.registry import HOOKS, hook_module

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_every_hook_has_a_table_module(hook_id: str) -> None:
    name = hook_module(hook_id).__name__.rpartition(".")[2]
    text = (TESTS / f"test_{name}.py").read_text(encoding="utf-8")
    assert f'HOOK = "{name}"' in text
    assert "\nCATCHES = [" in text and "\nDOES_NOT_CATCH = [" in text


def test_a_module_with_tables_gets_the_shared_tests() -> None:
    namespace: dict[str, object] = {"HOOK": "x", "CATCHES": [], "FIXES_TO": []}
    tables.add_table_tests(namespace)
    added = sorted(n for n in namespace if n.startswith("test_"))
    assert added == [
        "test_catches",
        "test_fixes_to",
        "test_tables_cover_the_required_shapes",
        "test_unfixable_catches_leave_the_file_alone",
    ]


def test_a_module_s_own_test_of_a_table_is_kept() -> None:
    def test_catches() -> None:
        """A module's own way of running its tree rows."""

    namespace: dict[str, object] = {
        "HOOK": "x", "CATCHES": [], "DOES_NOT_CATCH": [], "test_catches": test_catches
    }
    tables.add_table_tests(namespace)
    assert namespace["test_catches"] is test_catches
    assert "test_unfixable_catches_leave_the_file_alone" not in namespace
    assert namespace["test_does_not_catch"] is tables.test_does_not_catch


def test_a_module_without_hook_gets_nothing() -> None:
    namespace: dict[str, object] = {"CATCHES": []}
    tables.add_table_tests(namespace)
    assert namespace == {"CATCHES": []}


def _module(**attributes: object) -> SimpleNamespace:
    return SimpleNamespace(CATCHES=[pytest.param("FROM x\r\nRUN a\n", [], id="crlf")], **attributes)


def test_shape_check_names_the_missing_shapes() -> None:
    with pytest.raises(AssertionError, match=r"no row of these shapes: .*\('CATCHES', 'bom'\)"):
        tables.check_table_shapes(_module())


def test_shape_check_passes_with_every_gap_exempted() -> None:
    missing = [s for s in tables.SHAPES if s != "crlf"]
    tables.check_table_shapes(_module(SHAPE_EXEMPTIONS={("CATCHES", s): "why" for s in missing}))


def test_shape_check_refuses_a_stale_exemption() -> None:
    exempt = {("CATCHES", s): "not this hook's" for s in tables.SHAPES}
    with pytest.raises(AssertionError, match=r"rows have: \[\('CATCHES', 'crlf'\)\]"):
        tables.check_table_shapes(_module(SHAPE_EXEMPTIONS=exempt))
