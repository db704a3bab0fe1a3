"""The text renderer: ``path:line:col: CODE message`` lines, as pre-commit shows them.

Every position is in the file as the run leaves it: a fixed finding, marked
`(fixed)`, where its fix went; the others at their place in the fixed text.
Findings that the run's fix mode would fix but that were not fixed (a run that
reports only) carry `[*]`. A configuration error is printed once per run, not
once per file.

``CheckTextRenderer`` is the same lines for ``python-docker-hooks check``, in
colour on a terminal, with a closing summary (or a count per code).
"""

from __future__ import annotations

import os

from python_docker_hooks._engine.vocabulary import FIX_SAFE, FIX_UNSAFE
from python_docker_hooks._output import write_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

    from python_docker_hooks._engine.runner import FileResult
    from python_docker_hooks._engine.vocabulary import Finding

    Paint = Callable[[str, str], str]


def _plain(style: str, text: str) -> str:
    return text


def report_lines(
    result: FileResult, paint: Paint = _plain, *, findings: bool = True
) -> list[str]:
    """The lines about ``result`` that follow its path (``<line>:<col>: ...``);
    only its warnings when not ``findings``."""
    placed = [
        (w.line, 1, f"{w.line}:1: {paint('warning', 'warning')}: {w.message}")
        for w in result.warnings
    ]
    for f in result.findings if findings else ():
        if f.fixed:
            suffix = " " + paint("fixed", "(fixed)")
        elif not result.changed and f.fixable(result.allowed):
            suffix = " " + paint("fixable", "[*]")
        else:
            suffix = ""
        placed.append((f.line, f.col, _format(f, suffix, paint)))
    # By line and column; a warning before a finding at the same place.
    placed.sort(key=lambda item: (item[0], item[1]))
    return [line for _, _, line in placed]


def _format(f: Finding, suffix: str, paint: Paint) -> str:
    return f"{f.line}:{f.col}: {paint('code', f.code)} {f.message}{suffix}"


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
        shown = self._path(path)
        for line in self._report_lines(result):
            self._write(f"{shown}:{line}\n")
        if result.refusal is not None:
            self._write(f"{path}: {result.refusal}\n")
        elif result.changed:
            self._write(f"Fixing {path}\n")

    def _report_lines(self, result: FileResult) -> list[str]:
        return report_lines(result)

    def _path(self, path: str) -> str:
        return path

    def finish(self) -> None:
        """Called once after the last file."""

    def _write(self, line: str) -> None:
        write_line(self._out, line)


# SGR sequences per part of a line, as ruff colours its own.
_STYLES = {
    "path": "\x1b[1m",
    "code": "\x1b[1;31m",
    "fixed": "\x1b[32m",
    "fixable": "\x1b[36m",
    "warning": "\x1b[33m",
    "error": "\x1b[1;31m",
}
_RESET = "\x1b[0m"


def _paint(style: str, text: str) -> str:
    return f"{_STYLES[style]}{text}{_RESET}"


def use_colour(out: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Whether to colour output to ``out``: a non-empty ``NO_COLOR`` turns colour
    off (no-color.org), else a non-empty ``FORCE_COLOR`` turns it on
    (force-color.org), else colour only on a terminal. ``NO_COLOR`` wins when
    both are set, as in CPython's own ``_colorize.can_colorize``."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Tally:
    """Counts over a run, for the closing summary and ``--statistics``."""

    __slots__ = (
        "files",
        "config_errors",
        "findings",
        "fixed",
        "fixable",
        "unsafe_fixable",
        "refused",
        "per_code",
    )

    def __init__(self) -> None:
        self.files = 0
        # Results that are a configuration error (the file was not checked).
        self.config_errors = 0
        self.findings = 0
        self.fixed = 0
        # Left in the files, fixable by the run's fix mode (``--no-fix`` runs)...
        self.fixable = 0
        # ...and fixable only with ``--unsafe-fixes``.
        self.unsafe_fixable = 0
        self.refused = 0
        # code -> [count, fixable or fixed by this run's mode]
        self.per_code: dict[str, list[int]] = {}

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.config_error is not None:
            self.config_errors += 1
        if (
            result.refusal is not None
            or result.internal_error is not None
            or result.config_error is not None
        ):
            self.refused += 1
        unsafe_allowed = (FIX_SAFE, FIX_UNSAFE)
        for f in result.findings:
            self.findings += 1
            entry = self.per_code.setdefault(f.code, [0, 0])
            entry[0] += 1
            if f.fixed:
                self.fixed += 1
                entry[1] += 1
            elif f.fixable(result.allowed):
                self.fixable += 1
                entry[1] += 1
            elif f.fixable(unsafe_allowed):
                self.unsafe_fixable += 1

    @property
    def stopped(self) -> bool:
        """Whether a configuration error kept every file from being checked."""
        return self.files > 0 and self.config_errors == self.files

    def summary(self) -> str:
        """``Found N findings (M fixed, K fixable with --fix, J fixable with
        --unsafe-fixes); F files could not be checked``, each count left out
        when it is zero."""
        noun = "finding" if self.findings == 1 else "findings"
        parts = [
            text
            for count, text in (
                (self.fixed, f"{self.fixed} fixed"),
                (self.fixable, f"{self.fixable} fixable with --fix"),
                (self.unsafe_fixable, f"{self.unsafe_fixable} fixable with --unsafe-fixes"),
            )
            if count
        ]
        line = f"Found {self.findings} {noun}"
        if parts:
            line += f" ({', '.join(parts)})"
        if self.refused:
            files = "file" if self.refused == 1 else "files"
            line += f"; {self.refused} {files} could not be checked"
        return line


class CheckTextRenderer(TextRenderer):
    """``python-docker-hooks check --format text``: the hooks' lines, coloured on a
    terminal, then a summary line; with ``statistics``, one line per code instead
    of one per finding."""

    __slots__ = ("_colour", "_statistics", "_summaries", "tally")

    def __init__(
        self,
        out: TextIO,
        *,
        statistics: bool = False,
        colour: bool = False,
        summaries: dict[str, str] | None = None,
    ) -> None:
        super().__init__(out)
        self._colour = colour
        self._statistics = statistics
        # code -> rule summary, for --statistics.
        self._summaries = summaries or {}
        self.tally = Tally()

    def file(self, result: FileResult) -> None:
        self.tally.add(result)
        super().file(result)

    def _report_lines(self, result: FileResult) -> list[str]:
        # With --statistics, what is not a finding is still printed per file.
        return report_lines(
            result, _paint if self._colour else _plain, findings=not self._statistics
        )

    def _path(self, path: str) -> str:
        return _paint("path", path) if self._colour else path

    def finish(self) -> None:
        if self.tally.files == 0 or self.tally.stopped:
            # Nothing was checked: the warning or the configuration error
            # already said why, and a count of nothing would add nothing.
            return
        if self._statistics:
            for code, (count, fixable) in sorted(
                self.tally.per_code.items(), key=lambda item: (-item[1][0], item[0])
            ):
                marker = "[*]" if fixable else "   "
                summary = self._summaries.get(code, "")
                self._write(f"{count:>5}  {code}  {marker} {summary}".rstrip() + "\n")
        self._write(self.tally.summary() + "\n")
