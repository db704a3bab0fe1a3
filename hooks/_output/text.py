"""The text renderer: ``path:line:col: CODE message`` lines, as pre-commit shows them.

Fixed findings are marked `(fixed)` and positioned in the file as it was; findings
that the run's fix mode would fix but that were not fixed (``--no-fix``) carry
`[*]`. A configuration error is printed once per run, not once per file.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from hooks._engine.rules import Finding
    from hooks._engine.runner import FileResult


def report_lines(result: FileResult) -> list[str]:
    """The lines about ``result`` that follow its path (``<line>:<col>: ...``)."""
    lines = [f"{w.line}:1: warning: {w.message}" for w in result.warnings]
    for f in result.findings:
        if f.fixed:
            suffix = " (fixed)"
        elif not result.changed and f.fixable(result.allowed):
            suffix = " [*]"
        else:
            suffix = ""
        lines.append(_format(f, suffix))
    return lines


def _format(f: Finding, suffix: str) -> str:
    return f"{f.line}:{f.col}: {f.code} {f.message}{suffix}"


class TextRenderer:
    """Writes each file's result as it comes; never fails on an unencodable name."""

    __slots__ = ("_out", "_config_errors")

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._config_errors: set[str] = set()

    def file(self, result: FileResult) -> None:
        path = result.path
        if result.config_error is not None:
            if result.config_error not in self._config_errors:
                self._config_errors.add(result.config_error)
                self._write(f"{result.config_error}\n")
            return
        if result.internal_error is not None:
            self._write(f"{path}: {result.internal_error}\n")
            return
        for line in report_lines(result):
            self._write(f"{path}:{line}\n")
        if result.refusal is not None:
            self._write(f"{path}: {result.refusal}\n")
        elif result.changed:
            self._write(f"Fixing {path}\n")

    def _write(self, line: str) -> None:
        """``out.write`` that never fails on text the stream cannot encode.

        File names are undecodable bytes smuggled in as surrogates, and messages
        may quote file text; a console in a legacy encoding must still get the line.
        """
        try:
            self._out.write(line)
        except UnicodeEncodeError:
            encoding = getattr(self._out, "encoding", None) or "utf-8"
            safe = line.encode(encoding, "backslashreplace").decode(encoding, "replace")
            self._out.write(safe)
