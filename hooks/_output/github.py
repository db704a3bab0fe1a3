"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::warning file=<path>,line=<l>,col=<c>,endLine=<l>,endColumn=<c>,title=<CODE>::<message>``
(the positions of every format: ``python_docker_hooks._output.region``), the level (``error``, ``warning``, ``notice``) from the rule's severity. Values are
escaped as the Actions toolkit does (``@actions/core`` ``command.ts``): in the
message ``%``, CR and LF become ``%25``, ``%0D``, ``%0A``; in a property ``:`` and
``,`` also become ``%3A`` and ``%2C``.

GitHub shows only the first 10 warning and the first 10 error annotations of a step
(50 per job; actions/toolkit ``docs/problem-matchers.md``, "Limitations"). Every
finding is still printed (the log keeps them all); when a level went past 10, one
more annotation follows with the totals per code, at the first level that still
has room (notice, else warning, else error), so the overflow is not silent.

Only findings left in the files are annotated; a file that could not be checked
is an ``error`` annotation on that file.
"""

from __future__ import annotations

from python_docker_hooks._output import region, write_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from python_docker_hooks._engine.runner import FileResult

# Annotations of one level GitHub shows per step.
SHOWN_PER_LEVEL = 10
TITLE = "python-docker-hooks"

_LEVELS = {"error": "error", "warning": "warning"}


def level(severity: str) -> str:
    return _LEVELS.get(severity, "notice")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}\n"


class GithubRenderer:
    __slots__ = ("_out", "_counts", "_per_code", "_seen")

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._counts = {"error": 0, "warning": 0, "notice": 0}
        self._per_code: dict[str, int] = {}
        self._seen: set[str] = set()

    def _emit(self, kind: str, message: str, **properties: object) -> None:
        self._counts[kind] += 1
        write_line(self._out, command(kind, message, **properties))

    def file(self, result: FileResult) -> None:
        path = result.path
        if result.config_error is not None:
            if result.config_error not in self._seen:
                self._seen.add(result.config_error)
                self._emit("error", result.config_error, title=TITLE)
            return
        if result.internal_error is not None:
            self._emit("error", result.internal_error, file=path, title=TITLE)
            return
        for w in result.warnings:
            self._emit("warning", w.message, file=path, line=w.line, title=TITLE)
        if result.refusal is not None:
            self._emit("error", result.refusal, file=path, title=TITLE)
        for f in result.remaining:
            self._per_code[f.code] = self._per_code.get(f.code, 0) + 1
            line, col, end_line, end_col = region(f)
            self._emit(
                level(f.severity),
                f.message,
                file=path,
                line=line,
                col=col,
                endLine=end_line,
                endColumn=end_col,
                title=f.code,
            )

    def finish(self) -> None:
        if all(n <= SHOWN_PER_LEVEL for n in self._counts.values()):
            return
        total = sum(self._per_code.values())
        codes = ", ".join(f"{code} {n}" for code, n in sorted(self._per_code.items()))
        hidden = ", ".join(
            f"{n - SHOWN_PER_LEVEL} {kind}"
            for kind, n in self._counts.items()
            if n > SHOWN_PER_LEVEL
        )
        message = (
            f"{total} findings ({codes}); GitHub shows the first {SHOWN_PER_LEVEL} "
            f"annotations of each level, so {hidden} annotations are only in the log"
        )
        kind = next(
            (k for k in ("notice", "warning", "error") if self._counts[k] < SHOWN_PER_LEVEL),
            "notice",
        )
        self._emit(kind, message, title=f"{TITLE}: totals")
