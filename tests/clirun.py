"""Run ``python-docker-hooks`` in-process in a scratch directory, as a user would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from python_docker_hooks import _cli
from python_docker_hooks._engine import config as _config
from python_docker_hooks._engine.registry import HOOKS

# The hooks whose findings these tests spell out; `check` runs in them with every
# other hook ignored, so that hooks added later leave the expectations alone.
SHOWN = ("pip-no-cache-dir", "no-alpine-python", "python-env-vars", "env-key-value")
OTHERS = ",".join(h for h in HOOKS if h not in SHOWN)

FLAWED = """\
FROM python:3.12-alpine
ENV APP_HOME /app
RUN pip install --upgrade -r requirements.txt
COPY . .
"""

FLAWED_FIXED = """\
FROM python:3.12-alpine
ENV APP_HOME=/app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN pip install --no-cache-dir --upgrade -r requirements.txt
COPY . .
"""

CLEAN = """\
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN pip install --no-cache-dir flask
"""


class CliRun:
    """Exit code, standard output and error lines of one command."""

    __slots__ = ("code", "out", "err")

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def __repr__(self) -> str:
        return f"CliRun({self.code}, out={self.out!r}, err={self.err!r})"


def cli(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    *argv: str,
    every_hook: bool = False,
) -> CliRun:
    """``python-docker-hooks *argv`` run in ``tmp_path``, with no pyproject.toml
    above it governing the run (one in it does) and no colour from the
    environment. ``check`` ignores the hooks not in ``SHOWN`` unless
    ``every_hook``."""
    argv_list = list(argv)
    if not every_hook and OTHERS and argv_list and argv_list[0] not in ("rules", "explain"):
        at = 1 if argv_list[0] == "check" else 0
        if not any(a in ("-h", "--help", "--version") for a in argv_list):
            argv_list[at:at] = ["--ignore", OTHERS]
    argv = tuple(argv_list)
    _config.clear_cache()
    _config._dirs[str(tmp_path.parent)] = None
    capsys.readouterr()
    old = os.getcwd()
    os.chdir(tmp_path)
    saved = {k: os.environ.pop(k) for k in ("NO_COLOR", "FORCE_COLOR") if k in os.environ}
    try:
        try:
            code = _cli.main(list(argv))
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(old)
        os.environ.update(saved)
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)
