"""The one way the engine starts git: its output, or None, and nothing on stderr."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from python_docker_hooks._engine import files
from python_docker_hooks._engine.files import git_output


def test_lists_the_files_of_a_work_tree(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Dockerfile").write_text("FROM python:3.12-slim\n")
    (tmp_path / "top.txt").write_text("")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    # Run in a subdirectory, git lists the files below it, relative to it.
    assert git_output(["ls-files", "-z", "--cached"], str(tmp_path / "sub")) == b"Dockerfile\0"
    assert git_output(["ls-files", "-z", "--cached"], str(tmp_path)) == b"sub/Dockerfile\0top.txt\0"


def test_outside_a_work_tree_is_none_and_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert git_output(["ls-files", "-z", "--cached"], str(tmp_path)) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("directory", ["", "missing"], ids=["empty", "missing"])
def test_no_such_directory_is_none(
    directory: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / directory) if directory else ""
    assert git_output(["ls-files"], path) is None
    assert capfd.readouterr() == ("", "")


def test_without_git_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert git_output(["ls-files"], str(tmp_path)) is None


def _repository(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "a.txt").write_text("")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="git_start needs memfd_create")
def test_a_started_git_is_taken_by_the_same_question(tmp_path: Path) -> None:
    _repository(tmp_path)
    files.git_start(["ls-files", "-z", "--cached"], str(tmp_path))
    (pid_owner, pid, _), = files._STARTED.values()
    assert pid_owner == os.getpid()
    # Another question, or another directory, runs git of its own.
    assert git_output(["ls-files", "-z"], str(tmp_path)) == b"a.txt\0"
    assert len(files._STARTED) == 1
    assert git_output(["ls-files", "-z", "--cached"], str(tmp_path)) == b"a.txt\0"
    assert files._STARTED == {}
    # The process was waited for: no zombie is left.
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="git_start needs memfd_create")
def test_what_no_one_took_is_waited_for_and_dropped(tmp_path: Path) -> None:
    _repository(tmp_path)
    files.git_start(["ls-files", "-z", "--cached"], str(tmp_path))
    files.git_start(["ls-files", "-z", "--cached"], str(tmp_path))  # once per question
    (_, pid, out), = files._STARTED.values()
    files.git_forget()
    assert files._STARTED == {}
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(OSError):
        os.fstat(out)
    # A later question runs git again (what was started is of one run only).
    (tmp_path / "b.txt").write_text("")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    assert git_output(["ls-files", "-z", "--cached"], str(tmp_path)) == b"a.txt\0b.txt\0"


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="git_start needs memfd_create")
def test_a_failed_started_git_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    files.git_start(["ls-files", "-z", "--cached"], str(tmp_path))
    assert git_output(["ls-files", "-z", "--cached"], str(tmp_path)) is None
    assert files._STARTED == {}
