"""Hostile and broken input through a hook's ``main``, as pre-commit runs it.

Every case ends in exactly one line ``path: reason`` (lines before it, if any, are
the findings of a run that could not write its fix), a non-zero exit, the file and
its directory unchanged, and nothing on stderr. Reading cases run through every
hook of the registry; writing cases need a fix and use pip-no-cache-dir.
"""

from __future__ import annotations

import os
import stat
import time
from typing import TYPE_CHECKING

import pytest

import python_docker_hooks._engine.runner
from python_docker_hooks._dockerfile.parse import ParseError, parse
from python_docker_hooks._engine.registry import HOOKS, hook_module
from python_docker_hooks._engine.runner import MAX_BYTES

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

# Generous: a refusal takes milliseconds; this only catches a hang.
SLOW = 20.0

NEEDS_FIX = b"FROM python:3.12-slim\nRUN pip install flask\n"
FINDING = (
    "2:9: PDH101 `pip install` without `--no-cache-dir` leaves the package cache "
    "in the image [*]"
)


class Outcome:
    """What a run printed (stdout lines, stderr) and returned, and the CPU time it
    took (this thread's, so other work on the machine, or in other threads, does not count)."""

    def __init__(self, code: int, lines: list[str], err: str, seconds: float) -> None:
        self.code = code
        self.lines = lines
        self.err = err
        self.seconds = seconds

    def __repr__(self) -> str:
        return f"Outcome({self.code}, {self.lines!r}, {self.err!r})"


def run_main(
    hook_id: str, path: Path | str, capsys: pytest.CaptureFixture[str], *args: str
) -> Outcome:
    main: Callable[[list[str]], int] = hook_module(hook_id).main
    capsys.readouterr()
    began = time.thread_time()
    code = main([*args, str(path)])
    seconds = time.thread_time() - began
    captured = capsys.readouterr()
    return Outcome(code, captured.out.splitlines(), captured.err, seconds)


def snapshot(directory: Path) -> dict[str, tuple[bool, bytes | str]]:
    """Each entry of ``directory``: whether it is a link, and its bytes or target."""
    out: dict[str, tuple[bool, bytes | str]] = {}
    for entry in sorted(os.listdir(directory)):
        full = directory / entry
        if full.is_symlink():
            out[entry] = (True, os.readlink(full))
        elif full.is_file():
            out[entry] = (False, full.read_bytes())
        else:
            out[entry] = (False, "<dir>")
    return out


def assert_refused(outcome: Outcome, path: Path | str, reason: str) -> None:
    """Exactly one ``path: reason`` line, last; other lines are findings; no traceback."""
    assert outcome.err == ""
    assert outcome.code != 0
    assert outcome.lines, "nothing was printed"
    assert outcome.lines[-1] == f"{path}: {reason}"
    refusals = [line for line in outcome.lines if line.startswith(f"{path}: ")]
    assert refusals == [outcome.lines[-1]]
    for line in outcome.lines[:-1]:
        assert line.startswith(f"{path}:") and line[len(f"{path}:") :][:1].isdigit(), (
            line
        )


# (case id, file bytes, reason printed after "path: ").
REFUSED_CONTENT = [
    (
        "latin-1",
        b'FROM python:3.12-slim\nLABEL maintainer="Jos\xe9"\n',
        "not valid UTF-8 (byte 0xe9 at offset 43)",
    ),
    (
        "utf-16-bom",
        "FROM python:3.12-slim\nRUN pip install flask\n".encode("utf-16"),
        "UTF-16 encoded; only UTF-8 is supported",
    ),
    (
        "nul-byte",
        b"FROM python:3.12-slim\nRUN pip install fla\x00sk\n",
        "contains a NUL byte at offset 41 (binary file?)",
    ),
    ("empty", b"", "line 1: file with no instructions"),
    (
        "only-comments",
        b"# syntax=docker/dockerfile:1\n# a comment\n\n   # another\n",
        "line 1: file with no instructions",
    ),
]


@pytest.mark.parametrize("hook_id", list(HOOKS))
@pytest.mark.parametrize(
    ("data", "reason"),
    [pytest.param(d, r, id=i) for i, d, r in REFUSED_CONTENT],
)
def test_content_refused(
    hook_id: str,
    data: bytes,
    reason: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(data)
    before = snapshot(tmp_path)
    outcome = run_main(hook_id, path, capsys)
    assert_refused(outcome, path, reason)
    assert outcome.lines == [f"{path}: {reason}"]
    assert snapshot(tmp_path) == before


def big_file(size: int) -> bytes:
    """A valid Dockerfile of exactly ``size`` bytes, with something to fix."""
    head = b"FROM python:3.12-slim\n"
    line = b"RUN pip install flask gunicorn uvicorn\n"
    body = line * ((size - len(head)) // len(line))
    pad = size - len(head) - len(body)
    return head + body + (b"#" * (pad - 1) + b"\n" if pad else b"")


def continued_instruction(lines: int) -> bytes:
    """One RUN continued over ``lines`` lines, one package per line."""
    parts = [b"FROM python:3.12-slim\n", b"RUN pip install \\\n"]
    parts += [b"    package-%06d \\\n" % n for n in range(lines - 2)]
    parts.append(b"    last-package\n")
    return b"".join(parts)


@pytest.fixture(scope="module")
def big_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The large files, written once for every hook."""
    root = tmp_path_factory.mktemp("big")
    files = {
        "10MB": big_file(10 * 1024 * 1024),
        "100000-line-instruction": continued_instruction(100_000),
    }
    out = {}
    for name, data in files.items():
        (root / name).mkdir()
        path = root / name / "Dockerfile"
        path.write_bytes(data)
        out[name] = path
    return out


@pytest.mark.parametrize("hook_id", list(HOOKS))
@pytest.mark.parametrize("name", ["10MB", "100000-line-instruction"])
def test_too_large_refused(
    hook_id: str,
    name: str,
    big_inputs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = big_inputs[name]
    size = path.stat().st_size
    assert size > MAX_BYTES
    before = snapshot(path.parent)
    outcome = run_main(hook_id, path, capsys)
    reason = f"too large for a Dockerfile ({size} bytes; the limit is {MAX_BYTES})"
    assert_refused(outcome, path, reason)
    assert len(outcome.lines) == 1
    assert outcome.seconds < SLOW
    assert snapshot(path.parent) == before


def test_large_continued_instruction_under_the_limit_is_handled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The size limit is what bounds the work: a 100,000-line instruction that fits
    under it is checked and fixed, in time."""
    data = (
        b"FROM python:3.12-slim\nRUN pip install \\\n" + b" a \\\n" * 99_997 + b" z\n"
    )
    assert len(data) < MAX_BYTES
    path = tmp_path / "Dockerfile"
    path.write_bytes(data)
    outcome = run_main("pip-no-cache-dir", path, capsys)
    assert outcome.err == ""
    assert outcome.lines == [
        f"{path}:{FINDING.replace('[*]', '(fixed)')}",
        f"Fixing {path}",
    ]
    assert outcome.code == 1
    assert path.read_bytes() == data.replace(b"install", b"install --no-cache-dir", 1)
    assert outcome.seconds < SLOW


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_one_megabyte_line_refused(
    hook_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = b"RUN echo " + b"x" * (1_000_000 - len(b"RUN echo "))
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM python:3.12-slim\n" + line + b"\n")
    before = snapshot(tmp_path)
    outcome = run_main(hook_id, path, capsys)
    assert outcome.seconds < SLOW
    assert snapshot(tmp_path) == before
    assert_refused(
        outcome, path, "line 2: dockerfile line greater than max allowed size of 65535"
    )
    assert len(outcome.lines) == 1


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN " + "x" * 65532 + "\n",
        "FROM a\nRUN " + "x" * 65531 + "\r\n",
        "FROM a\nRUN " + "x" * 65532,
        "FROM a\nRUN " + "é" * 32766 + "\n",
    ],
    ids=["lf", "crlf", "no-final-newline", "two-byte-chars"],
)
def test_parse_refuses_a_line_buildkit_refuses(text: str) -> None:
    """BuildKit reads physical lines of at most 65535 bytes; the line ending's
    '\\r' counts, the '\\n' does not."""
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN " + "x" * 65531 + "\n",
        "FROM a\nRUN " + "x" * 65530 + "\r\n",
        "FROM a\nRUN " + "x" * 65531,
        "FROM a\nRUN " + "é" * 32765 + "\n",
    ],
    ids=["lf", "crlf", "no-final-newline", "two-byte-chars"],
)
def test_parse_accepts_the_longest_line_buildkit_accepts(text: str) -> None:
    assert len(parse(text).instructions) == 2


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_directory_refused(
    hook_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.mkdir()
    before = snapshot(tmp_path)
    outcome = run_main(hook_id, path, capsys)
    assert_refused(outcome, path, "is a directory")
    assert len(outcome.lines) == 1
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_missing_path_refused(
    hook_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    outcome = run_main(hook_id, path, capsys)
    assert_refused(outcome, path, "no such file")
    assert len(outcome.lines) == 1
    assert os.listdir(tmp_path) == []


def test_symlink_is_checked_but_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.Dockerfile"
    target.write_bytes(NEEDS_FIX)
    link = tmp_path / "Dockerfile"
    link.symlink_to(target.name)
    before = snapshot(tmp_path)
    outcome = run_main("pip-no-cache-dir", link, capsys)
    assert_refused(
        outcome, link, "is a symlink; fix not applied (run on the target file)"
    )
    # The target was read and checked; the finding is not reported as fixed.
    assert outcome.lines[:-1] == [f"{link}:{FINDING}"]
    assert outcome.code == 1
    assert link.is_symlink()
    assert os.readlink(link) == target.name
    assert target.read_bytes() == NEEDS_FIX
    assert snapshot(tmp_path) == before


def test_read_only_file_needing_a_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)
    path.chmod(0o444)
    before = snapshot(tmp_path)
    outcome = run_main("pip-no-cache-dir", path, capsys)
    assert_refused(outcome, path, "file is read-only; fix not applied")
    assert outcome.lines[:-1] == [f"{path}:{FINDING}"]
    assert snapshot(tmp_path) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_file_changed_between_read_and_write_is_not_clobbered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)
    # Another program saves the file while the hook works on what it read.
    edited = NEEDS_FIX + b"USER app\n"
    real_process = python_docker_hooks._engine.runner.process
    calls = []

    def process_then_edit(
        *args: object, **kwargs: object
    ) -> python_docker_hooks._engine.runner.FileResult:
        result = real_process(*args, **kwargs)  # type: ignore[arg-type]
        if not calls:
            path.write_bytes(edited)
        calls.append(1)
        return result

    monkeypatch.setattr(python_docker_hooks._engine.runner, "process", process_then_edit)
    outcome = run_main("pip-no-cache-dir", path, capsys)
    assert_refused(
        outcome, path, "file changed while it was being fixed; fix not applied"
    )
    assert outcome.lines[:-1] == [f"{path}:{FINDING}"]
    assert path.read_bytes() == edited
    assert os.listdir(tmp_path) == ["Dockerfile"]


@pytest.mark.parametrize(
    "edited",
    [
        pytest.param(NEEDS_FIX.replace(b"flask", b"flusk"), id="same-size-content"),
        pytest.param(b"", id="emptied"),
    ],
)
def test_same_size_or_emptied_change_is_detected(
    edited: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Size and time stamps can stay equal on a fast edit; the bytes are compared too."""
    path = tmp_path / "Dockerfile"
    path.write_bytes(NEEDS_FIX)
    stamp = path.stat()
    real_process = python_docker_hooks._engine.runner.process
    calls = []

    def process_then_edit(
        *args: object, **kwargs: object
    ) -> python_docker_hooks._engine.runner.FileResult:
        result = real_process(*args, **kwargs)  # type: ignore[arg-type]
        if not calls:
            path.write_bytes(edited)
            os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        calls.append(1)
        return result

    monkeypatch.setattr(python_docker_hooks._engine.runner, "process", process_then_edit)
    outcome = run_main("pip-no-cache-dir", path, capsys)
    assert_refused(
        outcome, path, "file changed while it was being fixed; fix not applied"
    )
    assert path.read_bytes() == edited


def test_fifo_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    path = tmp_path / "Dockerfile"
    os.mkfifo(path)
    outcome = run_main("pip-no-cache-dir", path, capsys)
    assert_refused(outcome, path, "not a regular file")
    assert len(outcome.lines) == 1


def test_undecodable_file_name_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that is not UTF-8 reaches the hook as surrogates; printing it must
    not fail on a stream that cannot encode them."""
    import io

    raw = os.fsencode(str(tmp_path)) + b"/Dockerfile.\xe9"
    name = os.fsdecode(raw)
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr("sys.stdout", stream)
    code = hook_module("pip-no-cache-dir").main([name])
    stream.flush()
    printed = stream.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    assert code == 1
    assert printed == f"{tmp_path}/Dockerfile.\\udce9: no such file\n"


# Small files that would cost far more than their size.


def test_chained_stages_are_checked_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each stage is built on the one before: per-stage walks of the chain would
    # be quadratic (8,000 stages: tens of seconds); one pass is well under one.
    data = "FROM python:3 AS s0\n" + "".join(
        f"FROM s{i} AS s{i + 1}\nRUN pip install x\n" for i in range(8000)
    )
    path = tmp_path / "Dockerfile"
    path.write_text(data)
    outcome = run_main("python-env-vars", path, capsys, "--no-fix")
    assert outcome.err == ""
    # A generous bound: only a super-linear walk comes near it.
    assert outcome.seconds < 5


def test_chained_stages_with_build_state_are_checked_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every RUN asks for the build environment, WORKDIR and USER along its
    # chain: each stage's end state is computed once.
    data = "FROM python:3 AS s0\nENV PIP_NO_CACHE_DIR=\nWORKDIR /w\n" + "".join(
        f"FROM s{i} AS s{i + 1}\nRUN --mount=type=cache,target=c pip install x\n"
        for i in range(8000)
    )
    path = tmp_path / "Dockerfile"
    path.write_text(data)
    outcome = run_main("pip-no-cache-dir", path, capsys, "--no-fix")
    assert outcome.err == ""
    assert outcome.seconds < 5


def test_exponential_env_expansion_is_bounded() -> None:
    import tracemalloc

    from python_docker_hooks._engine.runner import process
    from python_docker_hooks.python_env_vars import SPEC

    # 24 doublings would build 16 MB; expansion stops at 1 MiB instead.
    data = "FROM python:3\nENV A0=x\n" + "".join(
        f"ENV A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, 25)
    )
    tracemalloc.start()
    try:
        process(data.encode(), "Dockerfile", [SPEC])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The file is 500 bytes; a few megabytes is already generous.
    assert peak < 4_000_000


# Numbers written past what int() reads (CPython refuses strings of over 4,300
# digits; str.isdigit also takes `²`, which int() refuses) wherever the model
# reads a number: a stage index, a UID, a Python version, a port, an interval,
# a heredoc's file descriptor.
HUGE = "9" * 5000
NUMBERS = (
    "FROM python:3.12-slim AS a\n"
    f"FROM python:3.{HUGE}-slim AS b\n"
    "FROM python:3.12-slim\n"
    "COPY --from=\u00b2 /x /y\n"
    f"COPY --from={HUGE} /x /y\n"
    f"USER {HUGE}\n"
    f"EXPOSE {HUGE} \u00b2\n"
    f"ENV PIP_NO_CACHE_DIR={HUGE} UWSGI_PY_AUTORELOAD={HUGE}\n"
    f"RUN pip install --no-cache-dir flask && uwsgi --http :{HUGE} --py-autoreload {HUGE}\n"
    f"RUN cat {HUGE}<<EOF\nx\nEOF\n"
    f"CMD python manage.py runserver 0.0.0.0:{HUGE}\n"
)


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_numbers_past_what_int_reads_are_no_internal_error(
    hook_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(NUMBERS, encoding="utf-8")
    outcome = run_main(hook_id, path, capsys, "--no-fix")
    assert outcome.err == ""
    assert outcome.code in (0, 1), outcome
    assert not any("internal error" in line for line in outcome.lines), outcome.lines
    assert path.read_text(encoding="utf-8") == NUMBERS
