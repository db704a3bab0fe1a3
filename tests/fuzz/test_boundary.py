"""Whatever a repository's compose files and symlinks say, a ``check --fix`` run
in it changes no file outside it, prints nothing only an outside file holds,
and ends without a traceback: compose contexts and Dockerfiles drawn with
``..``, absolute paths, ``~`` and variables, and links out of the repository
and inside it (``strategies.escaping_*``)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from fuzz.strategies import escaping_compose, escaping_links
from fuzz.support import FUZZ
from python_docker_hooks import _cli
from python_docker_hooks._engine import boundary
from python_docker_hooks._engine import config as _config

SECRET = "ONLY_OUTSIDE_c4d1"
OUTSIDE = {
    "secret.env": f"{SECRET}=1\n[{SECRET}\n",
    "Dockerfile": f"FROM python:3.12-slim\nCOPY {SECRET} .\n",
    "compose.yaml": f"services:\n  {SECRET}:\n    build: .\n",
}
# Each example builds a repository: fewer of them than for one file's text.
BOUNDARY = settings(
    FUZZ,
    max_examples=max(10, FUZZ.max_examples // 20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            out[str(path.relative_to(root))] = path.read_bytes()
    return out


@BOUNDARY
@given(compose=escaping_compose(), links=escaping_links())
def test_nothing_outside_is_read_or_written(compose: str, links: dict[str, str]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="pdh-boundary-"))
    try:
        repo, outside = tmp / "repo", tmp / "outside"
        outside.mkdir()
        for name, text in OUTSIDE.items():
            (outside / name).write_text(text)
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        (repo / "sub").mkdir()
        (repo / "real").mkdir()
        (repo / "real" / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY . .\n")
        (repo / "sub" / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY . .\n")
        (repo / "compose.yaml").write_text(compose)
        for name, target in links.items():
            path = repo / name
            if path.exists() or path.is_symlink():
                path.unlink()
            os.symlink(target, path)
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
        before = _snapshot(outside)
        root_ignore = os.path.lexists("/.dockerignore")
        files = subprocess.run(
            ["git", "-C", str(repo), "ls-files"], capture_output=True, text=True, check=True
        ).stdout.split()
        boundary.clear_cache()
        _config.clear_cache()
        old = os.getcwd()
        os.chdir(repo)
        buffer = io.StringIO()
        try:
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                code = _cli.main(["check", "--fix", *files])
        finally:
            os.chdir(old)
        output = buffer.getvalue()
        assert code in (0, 1), output
        assert "Found " in output
        assert "Traceback" not in output and "internal error" not in output, output
        assert SECRET not in output, output
        assert _snapshot(outside) == before
        assert not (tmp / ".dockerignore").exists()
        assert os.path.lexists("/.dockerignore") == root_ignore
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
