"""Fixes are written atomically: all or nothing, same permission bits, same bytes
outside the edits (line endings, BOM, missing final newline).

Failures are injected between writing the temporary file and putting it in place;
the original must survive byte for byte and no temporary file may stay behind.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING

import pytest

from python_docker_hooks._engine.registry import hook_module

if TYPE_CHECKING:
    from pathlib import Path

NEEDS_FIX = b"FROM python:3.12-slim\nRUN pip install flask\n"
FIXED = b"FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n"
FINDING = (
    "2:9: PDH101 `pip install` without `--no-cache-dir` leaves the package cache "
    "in the image"
)


def run(
    path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = hook_module("pip-no-cache-dir").main([*args, str(path)])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out.splitlines()


def failing(name: str) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO), name)

    return fail


@pytest.mark.parametrize("target", ["fsync", "replace", "chmod"])
def test_failure_before_replace_keeps_original(
    target: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)
    monkeypatch.setattr(os, target, failing(target))
    code, lines = run(path, capsys)
    monkeypatch.undo()
    assert code == 1
    assert lines == [
        f"{path}:{FINDING} [*]",
        f"{path}: cannot write fix: {os.strerror(errno.EIO)}",
    ]
    assert path.read_bytes() == NEEDS_FIX
    assert os.listdir(tmp_path) == ["Dockerfile"]


def test_interrupt_before_replace_leaves_no_temp_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        hook_module("pip-no-cache-dir").main([str(path)])
    monkeypatch.undo()
    assert path.read_bytes() == NEEDS_FIX
    assert os.listdir(tmp_path) == ["Dockerfile"]


def test_unwritable_directory_keeps_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file cannot be created (a full disk, a read-only directory)."""
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)
    real_open = os.open

    def refuse_create(file: str, flags: int, *args: int, **kwargs: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), file)
        return real_open(file, flags, *args)

    monkeypatch.setattr(os, "open", refuse_create)
    code, lines = run(path, capsys)
    monkeypatch.undo()
    assert code == 1
    assert lines[-1] == f"{path}: cannot write fix: {os.strerror(errno.ENOSPC)}"
    assert path.read_bytes() == NEEDS_FIX
    assert os.listdir(tmp_path) == ["Dockerfile"]


def test_fix_replaces_the_file_in_one_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new content is complete and synced before it takes the file's name."""
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)
    seen: list[tuple[str, bytes, bytes]] = []
    synced: list[int] = []
    real_replace, real_fsync = os.replace, os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        assert synced, "replaced before the data was synced"
        with open(src, "rb") as fh:
            seen.append((os.path.dirname(src), fh.read(), path.read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "fsync", fsync)
    code, lines = run(path, capsys)
    monkeypatch.undo()
    assert code == 1
    assert lines == [f"{path}:{FINDING} (fixed)", f"Fixing {path}"]
    # Same directory (a rename, not a copy), full new content, old content until then.
    assert seen == [(str(tmp_path), FIXED, NEEDS_FIX)]
    assert path.read_bytes() == FIXED
    assert os.listdir(tmp_path) == ["Dockerfile"]


@pytest.mark.parametrize("mode", [0o640, 0o755, 0o600, 0o664])
def test_permission_bits_survive_a_fix(
    mode: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)
    path.chmod(mode)
    code, lines = run(path, capsys)
    assert (code, lines[-1]) == (1, f"Fixing {path}")
    assert path.read_bytes() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert os.listdir(tmp_path) == ["Dockerfile"]


BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            b"FROM python:3.12-slim\r\nRUN pip install flask\r\n",
            b"FROM python:3.12-slim\r\nRUN pip install --no-cache-dir flask\r\n",
            id="crlf",
        ),
        pytest.param(BOM + NEEDS_FIX, BOM + FIXED, id="bom"),
        pytest.param(
            NEEDS_FIX.rstrip(b"\n"), FIXED.rstrip(b"\n"), id="no-final-newline"
        ),
        pytest.param(
            BOM + b"FROM python:3.12-slim\r\nRUN pip install flask",
            BOM + b"FROM python:3.12-slim\r\nRUN pip install --no-cache-dir flask",
            id="bom-crlf-no-final-newline",
        ),
        pytest.param(
            b"FROM python:3.12-slim\nRUN pip install \\\r\n  flask  \t\r\n# caf\xc3\xa9\n",
            b"FROM python:3.12-slim\nRUN pip install --no-cache-dir \\\r\n"
            b"  flask  \t\r\n# caf\xc3\xa9\n",
            id="mixed-endings-trailing-blanks-unicode",
        ),
    ],
)
def test_fix_keeps_bytes_outside_the_edit(
    before: bytes, after: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(before)
    code, lines = run(path, capsys)
    assert (code, lines[-1]) == (1, f"Fixing {path}")
    assert path.read_bytes() == after


def test_python_env_vars_insertion_uses_the_file_line_ending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fix that adds a line writes it in the file's own line ending."""
    path = tmp_path / "Dockerfile"
    path.write_bytes(BOM + b'FROM python:3.12-slim\r\nCMD ["python"]')
    capsys.readouterr()
    code = hook_module("python-env-vars").main([str(path)])
    assert code == 1
    data = path.read_bytes()
    assert data.startswith(BOM + b"FROM python:3.12-slim\r\nENV ")
    assert data.endswith(b'\r\nCMD ["python"]')
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_create_atomic_writes_a_new_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    from python_docker_hooks._engine.files import create_atomic

    target = tmp_path / ".dockerignore"
    create_atomic(str(target), b".git\n")
    assert target.read_bytes() == b".git\n"
    assert os.listdir(tmp_path) == [".dockerignore"]
    mode = stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_create_atomic_never_replaces_a_file_that_appeared(tmp_path: Path) -> None:
    from python_docker_hooks._engine.files import Refusal, create_atomic

    target = tmp_path / ".dockerignore"
    target.write_bytes(b"mine\n")
    with pytest.raises(Refusal, match="appeared while it was being created"):
        create_atomic(str(target), b".git\n")
    assert target.read_bytes() == b"mine\n"
    assert os.listdir(tmp_path) == [".dockerignore"]
