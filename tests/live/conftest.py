"""The ``live`` profile's root: built (or found in the cache) once per session.

Its tests carry the ``live`` marker, which the default run deselects (``addopts``
in pyproject.toml); ``pytest -m live tests/live -rs`` runs them. Where the root
cannot be built or entered (no root rights, no debootstrap, no network, no
overlay mount under unshare) every test skips with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from .debian_root import SUITE, DebianRoot, Unavailable, cache_dir, prepare

_KEY = pytest.StashKey[str]()
_LINES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def summary_lines(request: pytest.FixtureRequest) -> list[str]:
    """Lines the profile's tests add to its end-of-session summary."""
    return request.config.stash.setdefault(_LINES, [])


@pytest.fixture(scope="session")
def debian_root(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> DebianRoot:
    try:
        root = prepare(tmp_path_factory.mktemp("probe"))
    except Unavailable as exc:
        request.config.stash[_KEY] = f"skipped: {exc}"
        pytest.skip(str(exc))
    how = "built" if root.built else "found in the cache"
    request.config.stash[_KEY] = (
        f"Debian {SUITE} minbase root {how} in {root.seconds:.1f} s: {root.path}"
    )
    return root


def pytest_terminal_summary(
    terminalreporter: Any, exitstatus: int, config: pytest.Config
) -> None:
    line = config.stash.get(_KEY, None)
    if line is not None:
        terminalreporter.section("live profile")
        terminalreporter.write_line(line)
        terminalreporter.write_line(f"cache: {cache_dir()}")
        for extra in config.stash.get(_LINES, []):
            terminalreporter.write_line(extra)
