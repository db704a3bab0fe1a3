"""Shared fixtures: run a hook module's table rows two ways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hookrun import HookRun, pure, run


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the shared table tests (``tables.py``) from the module's tables."""
    from tables import TABLES

    name = metafunc.function.__name__
    if metafunc.function.__module__ != "tables" or name not in TABLES:
        return
    table, argnames = TABLES[name]
    metafunc.parametrize(argnames, getattr(metafunc.module, table))


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
