"""Shared fixtures, and the plugin that gives every hook's test module its
table tests (``tables.py``): a module with ``HOOK`` and the tables gets the
catches / does-not-catch / fixes-to tests and the shape check, with no import."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hookrun import HookRun, pure, run
from tables import TABLE_OF_TEST, TABLES, add_table_tests


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update",
        action="store_true",
        help="rewrite the golden files from this run (tests/integration/expected.json)",
    )


class TableModule(pytest.Module):
    """A test module that gets the shared table tests before it is collected."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        add_table_tests(self.obj.__dict__)
        return super().collect()


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module:
    return TableModule.from_parent(parent, path=module_path)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the shared table tests from the module's tables."""
    name = metafunc.function.__name__
    if metafunc.function.__module__ != "tables" or name not in TABLE_OF_TEST:
        return
    table = TABLE_OF_TEST[name]
    metafunc.parametrize(TABLES[table][1], getattr(metafunc.module, table))


@pytest.fixture(params=["main", "process"])
def hook(
    request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., HookRun]:
    """Run the test module's ``HOOK`` on text, through ``main`` or ``process``."""
    hook_module: str = request.module.HOOK

    def call(content: str | bytes, *args: str) -> HookRun:
        data = content.encode() if isinstance(content, str) else content
        if request.param == "main":
            return run(hook_module, data, tmp_path, capsys, *args)
        return pure(hook_module, data, *args)

    return call
