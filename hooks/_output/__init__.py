"""Renderers: results as text (and, on demand, other formats). Positions are
computed here, from offsets.

``text`` is what every hook prints; ``python-docker-hooks check --format`` picks
``json``, ``sarif`` or ``github`` too, each imported only when chosen.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

from python_docker_hooks._engine.group import pause_collector, resume_collector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import TextIO

    from python_docker_hooks._engine.runner import FileResult
    from python_docker_hooks._engine.vocabulary import Finding

# Where the project lives; each rule's doc is generated at docs/rules/<CODE>.md.
REPOSITORY = "https://github.com/python-docker-hooks/python-docker-hooks"


def rule_url(code: str) -> str:
    """The page of a rule's generated doc in the repository."""
    return f"{REPOSITORY}/blob/main/docs/rules/{code}.md"


def problems(result: FileResult) -> list[str]:
    """What a result says that is not a finding, as the text renderer prints it
    (``path: reason``; a configuration error on its own): for the formats whose
    standard output is data, these go to standard error."""
    path = result.path
    if result.config_error is not None:
        return [result.config_error]
    if result.internal_error is not None:
        return [f"{path}: {result.internal_error}"]
    lines = [f"{path}:{w.line}:1: warning: {w.message}" for w in result.warnings]
    if result.refusal is not None:
        lines.append(f"{path}: {result.refusal}")
    return lines


def fixable(finding: Finding) -> str | None:
    """The safety of the fix a finding carries ("safe", "unsafe"), or None."""
    fix = finding.fix
    if fix is None or not fix.edits:
        return None
    return fix.safety


def write_line(out: TextIO, line: str) -> None:
    """``out.write`` that never fails on text the stream cannot encode.

    File names are undecodable bytes smuggled in as surrogates, and messages
    may quote file text; a console in a legacy encoding must still get the line.
    """
    try:
        out.write(line)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "utf-8"
        out.write(line.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def region(finding: Finding) -> tuple[int, int, int, int]:
    """A finding's line, column, end line and end column, 1-based, the end
    exclusive, as every format gives them. An empty range (an insertion point)
    covers the one character at its start, so that every viewer shows it."""
    line, col, end_line, end_col = (
        finding.line,
        finding.col,
        finding.end_line,
        finding.end_col,
    )
    if (end_line, end_col) == (line, col):
        end_col += 1
    return line, col, end_line, end_col


def in_order(results: Iterable[FileResult]) -> list[FileResult]:
    """The results sorted by path (compared part by part, as paths are), each
    one's findings by position: the order of the output, whatever order the
    build-context groups and the worker processes produced them in."""
    ordered = sorted(results, key=lambda r: r.path.replace("\\", "/").split("/"))
    for result in ordered:
        result.findings = sorted(
            result.findings, key=lambda f: (f.line, f.col, f.code)
        )
    return ordered


def quiet_when_closed(run: Callable[[Sequence[str]], int], argv: Sequence[str]) -> int:
    """``run(argv)``, ending quietly when standard output is closed early
    (``| head -1``, ``| grep -q``): no ``BrokenPipeError`` traceback, and the
    exit status a command that stops printing gets (1).

    What is still buffered for the closed pipe is dropped: standard output is
    pointed at the null device, so the flush at exit has nowhere to fail
    (the recipe of the ``signal`` module's documentation, "Note on SIGPIPE").

    The process ends without the garbage collections of interpreter shutdown
    (``_freeze_at_exit``).
    """
    _freeze_at_exit()
    pause_collector()
    try:
        status = run(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    finally:
        resume_collector()
    return status


_exit_freeze_registered = False


def _freeze_at_exit() -> None:
    """Have ``gc.freeze()`` run at exit (once per process).

    As it shuts down, the interpreter runs the cyclic garbage collector over
    every object left: each module's functions, classes and tables, which
    are all still alive then; on a run over one small file that costs about
    as much as checking the file. Frozen at exit (``atexit`` handlers run
    before those collections), they are not traversed: output is flushed,
    ``atexit`` handlers run and objects are freed by reference counting as
    before; only reference cycles are left to the end of the process, which
    gives their memory back. A caller in the same process (the tests) is
    affected at its own exit only."""
    global _exit_freeze_registered
    if not _exit_freeze_registered:
        atexit.register(gc.freeze)
        _exit_freeze_registered = True
