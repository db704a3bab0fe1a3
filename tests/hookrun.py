"""Run a hook the way pre-commit does, on a file in a temporary directory."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from python_docker_hooks._engine.runner import process
from python_docker_hooks._output.text import report_lines

# The seed article's complete best-practice Dockerfile (its Listing B), quoted as a
# test vector: every hook must leave it alone.
LISTING_B = """\
FROM python:3.10-slim

LABEL maintainer="cuikaidong@foxmail.com"

EXPOSE 8000

# Keeps Python from generating .pyc files in the container
ENV PYTHONDONTWRITEBYTECODE=1

# Turns off buffering for easier container logging
ENV PYTHONUNBUFFERED=1

# Install pip requirements
COPY requirements.txt .
RUN python -m pip install --no-cache-dir --upgrade -r requirements.txt

WORKDIR /app
COPY . /app

# Creates a non-root user with an explicit UID and adds permission to access the /app folder
RUN adduser -u 5678 --disabled-password --gecos "" appuser && chown -R appuser /app
USER appuser

CMD ["uvicorn", "shortener_app.main:app", "--host", "0.0.0.0"]
"""

# The seed article's Alpine build step (its practice 6), quoted as a test vector.
ALPINE_STEP = (
    "FROM python:3.10-alpine\n"
    "RUN set -eux && apk add --no-cache --virtual .build-deps build-base openssl-dev"
    " libffi-dev gcc musl-dev python3-dev && pip install --upgrade pip setuptools"
    " wheel && pip install --upgrade -r /app/requirements.txt && rm -rf /root/.cache/pip\n"
)


class HookRun:
    """Exit code, output lines (path prefix removed) and file bytes after a run."""

    def __init__(self, code: int, lines: list[str], data: bytes) -> None:
        self.code = code
        self.lines = lines
        self.data = data

    def __repr__(self) -> str:
        return f"HookRun({self.code}, {self.lines!r}, {self.data!r})"


def run(
    hook_module: str,
    content: bytes | str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    name: str = "Dockerfile",
) -> HookRun:
    """Write ``content`` to ``tmp_path/name``, run the hook's main on it, collect."""
    data = content.encode() if isinstance(content, str) else content
    path = tmp_path / name
    path.write_bytes(data)
    module = importlib.import_module(f"python_docker_hooks.{hook_module}")
    capsys.readouterr()
    code = module.main([*args, str(path)])
    out = capsys.readouterr().out
    prefix = f"{path}:"
    lines = []
    for line in out.splitlines():
        if line.startswith(prefix):
            line = line[len(prefix) :]
        elif line == f"Fixing {path}":
            line = "Fixing"
        lines.append(line)
    return HookRun(code, lines, path.read_bytes())


def pure(hook_module: str, data: bytes, *args: str) -> HookRun:
    """What ``main`` would report for ``data``, computed by ``process`` alone."""
    module = importlib.import_module(f"python_docker_hooks.{hook_module}")
    fix = "--no-fix" not in args
    result = process(
        data, "Dockerfile", [module.SPEC], fix=fix, unsafe="--unsafe-fixes" in args
    )
    lines = report_lines(result)
    if result.refusal is not None:
        lines.append(f" {result.refusal}")
    elif result.changed:
        lines.append("Fixing")
    return HookRun(result.status, lines, data if result.output is None else result.output)


def as_bytes(content: str | bytes) -> bytes:
    return content.encode() if isinstance(content, str) else content


def assert_fixes_to(
    hook_module: str,
    before: str | bytes,
    after: str | bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One run fixes ``before`` to exactly ``after``; a second run changes nothing."""
    first = run(hook_module, before, tmp_path, capsys)
    assert first.code == 1
    assert first.lines[-1] == "Fixing"
    assert first.data == as_bytes(after)
    again = run(hook_module, first.data, tmp_path, capsys)
    assert (again.code, again.lines, again.data) == (0, [], first.data)


def assert_reports(
    hook_module: str,
    content: str | bytes,
    expected: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> None:
    """A run prints exactly ``expected`` (exit 1 if any, else 0) and leaves the
    file as it was."""
    result = run(hook_module, content, tmp_path, capsys, *args)
    assert (result.code, result.lines) == (1 if expected else 0, expected)
    assert result.data == as_bytes(content)
