"""Properties of dockerignore-entries on ignore files drawn from a grammar, in a
git work tree whose context a compose file declares:

- no exception, and a fix run reports what a report run reports, marked fixed;
- a fix only appends (every byte of the file stays where it was), and a second
  fix changes nothing;
- a fix never changes whether a file git tracks is sent when the build copies
  the whole context, nor ``.git`` where the build runs git or mounts it, nor
  ``.python-version`` where uv runs: what the build reads stays in the context;
- an exception or an invalid line is never rewritten;

and of the model's reads of a build on generated Dockerfiles: no exception, and
each bind mount read names the text of a ``--mount`` flag (a plain run's share,
``FUZZ_QUICK``, and the full count as a ``_full`` test of the heavy profile).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import pytest
from contextrun import git_tree
from hypothesis import event, given, note, settings
from hypothesis import strategies as st

from fuzz.strategies import dockerfiles
from fuzz.support import FUZZ, FUZZ_QUICK, ours
from python_docker_hooks._dockerfile.text import decode
from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
from python_docker_hooks._engine import config as _config

LINES = [
    ".git",
    ".git/",
    ".git/objects/*",
    "**/.git",
    "__pycache__",
    "__pycache__/",
    "**/__pycache__",
    "*.pyc",
    ".venv",
    "venv/",
    "**/*venv",
    ".env",
    "**/.env",
    "!.env",
    "!config/.env",
    "*",
    "**",
    "!src",
    "!src/",
    "!src/**",
    "!requirements.txt",
    "!Dockerfile",
    "node_modules",
    "**/node_modules",
    "*.db",
    "search.db",
    "!search.db",
    "**/charts",
    "charts/",
    ".python-version",
    "*.txt",
    "docs",
    "src/[gen",
    "# a comment",
    "",
    "  spaced  ",
    "/src/pkg",
    "./src/../charts",
]

DOCKERFILES = [
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
    "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
    "FROM python:3.12-slim\nCOPY src/ /app/src/\n",
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN git rev-parse HEAD > REVISION\n",
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n",
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n",
    (
        "FROM python:3.12-slim\nCOPY pyproject.toml ./\n"
        "RUN --mount=source=.git,target=.git,type=bind pip install .\n"
    ),
    (
        "FROM python:3.12-slim\n"
        "RUN --mount=type=bind,source=.python-version,target=.python-version uv sync\n"
    ),
]

TRACKED = {
    "compose.yaml": "services:\n  app:\n    build: .\n",
    "pyproject.toml": (
        '[build-system]\nrequires = ["setuptools", "setuptools-scm"]\n'
        '[project]\nname = "app"\ndynamic = ["version"]\n'
    ),
    "requirements.txt": "flask\n",
    "search.db": "",
    "charts/__init__.py": "",
    "src/app.py": "",
    "src/pkg/mod.py": "",
    "config/.env": "A=1\n",
    ".python-version": "3.12\n",
}
UNTRACKED = {".env": "SECRET=1\n", "src/__pycache__/app.cpython-312.pyc": ""}


@st.composite
def ignore_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.sampled_from(LINES), max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines)
    if lines and draw(st.booleans()):
        text += newline
    data = text.encode()
    return b"\xef\xbb\xbf" + data if draw(st.booleans()) else data


_ROOT: list[Path] = []


def _tree() -> Path:
    """One git work tree for every example (the ignore file and the Dockerfile
    are rewritten by each)."""
    if not _ROOT:
        root = Path(tempfile.mkdtemp(prefix="pdh-fuzz-ignore-"))
        git_tree(root, {**TRACKED, "Dockerfile": DOCKERFILES[0]}, UNTRACKED)
        _ROOT.append(root)
    return _ROOT[0]


def _run(root: Path, *args: str) -> list[str]:
    from python_docker_hooks.dockerignore_entries import main

    cwd = os.getcwd()
    os.chdir(root)
    _config.clear_cache()
    _config._dirs[str(root)] = str(root / "pyproject.toml")
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            main([*args, "Dockerfile"])
    finally:
        os.chdir(cwd)
    return out.getvalue().splitlines()


def _guarded(dockerfile: str) -> list[str]:
    """Paths this Dockerfile's build reads, by the facts the tests table holds."""
    paths: list[str] = []
    if "COPY . ." in dockerfile:
        paths += [p for p in TRACKED if p != "compose.yaml"] + ["Dockerfile", "compose.yaml"]
    if "COPY src/" in dockerfile:
        paths += ["src/app.py", "src/pkg/mod.py"]
    if "requirements.txt ." in dockerfile:
        paths.append("requirements.txt")
    if "git rev-parse" in dockerfile or "source=.git" in dockerfile:
        paths.append(".git")
    if "COPY . ." in dockerfile and "pip install ." in dockerfile:
        paths.append(".git")  # setuptools-scm in pyproject.toml
    if "uv sync" in dockerfile:
        paths.append(".python-version")
    return paths


# An example runs the hook four times in a git work tree (git lists the context
# each time): a sixth of an item's share keeps the directory's run time.
@settings(FUZZ, max_examples=max(50, FUZZ.max_examples // 6))
@given(data=ignore_files(), dockerfile=st.sampled_from(DOCKERFILES))
def test_fix_keeps_what_the_build_reads(data: bytes, dockerfile: str) -> None:
    root = _tree()
    (root / "Dockerfile").write_text(dockerfile)
    ignore = root / ".dockerignore"
    ignore.write_bytes(data)
    report = _run(root, "--no-fix")
    assert not any("internal error" in line for line in report), report
    fixed = _run(root)
    after = ignore.read_bytes()
    note(f"after: {after!r}")
    expected = [line.replace(" [*]", " (fixed)") for line in report]
    if after == data:
        event("not changed")
        assert sorted(fixed) == sorted(report)
        return
    event("fixed")
    assert fixed[-1] == "Fixing .dockerignore"
    assert sorted(fixed[:-1]) == sorted(expected)
    # Only appended: every byte before stays.
    assert after.startswith(data)
    assert sorted(_run(root)) == sorted(line for line in report if "[*]" not in line)
    assert ignore.read_bytes() == after
    before_text, _ = decode(data)
    after_text, _ = decode(after)
    old, new = IgnoreFile(before_text), IgnoreFile(after_text)
    for path in _guarded(dockerfile):
        assert new.decide(path)[0] == old.decide(path)[0], path


@FUZZ_QUICK
@given(data=dockerfiles())
def test_reads_of_generated_dockerfiles(data: bytes) -> None:
    check_reads(data)


@pytest.mark.heavy
@FUZZ
@given(data=dockerfiles())
def test_reads_of_generated_dockerfiles_full(data: bytes) -> None:
    check_reads(data)


def check_reads(data: bytes) -> None:
    from python_docker_hooks._dockerfile.reads import build_reads

    model = ours(data)
    if model is None:
        event("refused")
        return
    reads = build_reads(model)
    for read in reads.mounts:
        assert model.text[read.start : read.end].startswith("--mount"), read
    event("bind mount" if reads.mounts else "no bind mount")
    if reads.git is not None:
        event("runs git")
