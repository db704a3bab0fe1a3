"""A ``.dockerignore`` file as BuildKit reads it: its lines, their patterns, and
which line decides whether a path is sent in the build context.

Reading follows moby's ``ignorefile.ReadAll``: lines end at ``\\n`` only (a ``\\r``
before it is trimmed with the other blanks), the BOM is dropped (the decoder does
that), and a line longer than Go's ``bufio.Scanner`` token limit (64 KiB) makes
the whole file unreadable, as it does for BuildKit. Patterns are compiled when a
path is first matched, by the matcher the ``dockerignore`` pathspec pattern class
wraps (``python_docker_hooks._dockerignore.syntax.CompiledPattern``), without importing pathspec.
"""

from __future__ import annotations

from bisect import bisect_right

from python_docker_hooks._go import go_clean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._dockerignore.syntax import CompiledPattern

# bufio.Scanner's default MaxScanTokenSize: a line must fit in its buffer.
MAX_LINE_BYTES = 64 * 1024 - 1


class IgnoreLine:
    """One line: 1-based ``number``, text offsets of its content (no line ending),
    the pattern BuildKit reads from it (None for comments and blank lines), and
    ``error`` when BuildKit refuses it."""

    __slots__ = ("number", "start", "end", "text", "pattern", "error")

    def __init__(self, number: int, start: int, end: int, text: str) -> None:
        self.number = number
        self.start = start
        self.end = end
        self.text = text
        self.pattern: str | None = None
        self.error: str | None = None

    @property
    def exception(self) -> bool:
        """A ``!`` line: it re-includes what it matches."""
        return self.pattern is not None and self.pattern.startswith("!")

    def __repr__(self) -> str:
        return f"IgnoreLine({self.number}, {self.text!r})"


class IgnoreFile:
    """The parsed file: immutable data, matched lazily."""

    __slots__ = ("text", "lines", "_starts", "_compiled", "_decided", "_first")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: tuple[IgnoreLine, ...] = tuple(_lines(text))
        self._starts = [line.start for line in self.lines] or [0]
        self._compiled: list[tuple[CompiledPattern, IgnoreLine]] | None = None
        # Answers so far, by the path as asked (hooks ask about the same
        # sample paths for many patterns).
        self._decided: dict[str, tuple[bool, IgnoreLine | None]] = {}
        # Candidate path -> index (from the last line) of the last pattern
        # matching it: paths below one directory share its candidates.
        self._first: dict[str, int] = {}

    @property
    def errors(self) -> list[IgnoreLine]:
        """Lines BuildKit refuses (then it refuses the whole build)."""
        self._compile()
        return [line for line in self.lines if line.error is not None]

    @property
    def patterns(self) -> list[IgnoreLine]:
        """Lines holding a pattern, in order."""
        return [line for line in self.lines if line.pattern is not None]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a text offset."""
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def _compile(self) -> None:
        if self._compiled is not None:
            return
        from python_docker_hooks._dockerignore.syntax import PatternError, compiled

        found: list[tuple[CompiledPattern, IgnoreLine]] = []
        for line in self.lines:
            if line.pattern is None or line.error is not None:
                continue
            try:
                pattern = compiled(line.text)
            except PatternError as exc:
                line.error = f"`{line.pattern}` is not a valid pattern: {exc}"
                continue
            found.append((pattern, line))
        # Last match wins: look from the end.
        found.reverse()
        self._compiled = found

    def decide(self, path: str) -> tuple[bool, IgnoreLine | None]:
        """Whether ``path`` (relative to the context, '/'-separated) is left out of
        the context, and the line that decided (None when no line matches).

        The path is cleaned first; the context root itself is never excluded. The
        same answer as ``pathspec.PathSpec.from_lines("dockerignore", lines)``
        gives (``tests/_dockerignore`` checks they agree).
        """
        known = self._decided.get(path)
        if known is not None:
            return known
        self._compile()
        assert self._compiled is not None
        decided: tuple[bool, IgnoreLine | None] = (False, None)
        candidates = _candidates(path)
        if candidates:
            # The last pattern matching any candidate decides: the one with the
            # smallest index from the end over the candidates.
            found = min(map(self._last_match, candidates))
            if found < len(self._compiled):
                pattern, line = self._compiled[found]
                decided = (bool(pattern.include), line)
        if len(self._decided) < 100_000:
            self._decided[path] = decided
        return decided

    def _last_match(self, candidate: str) -> int:
        """Index in the reversed patterns of the first one matching
        ``candidate`` (the number of patterns when none does)."""
        known = self._first.get(candidate)
        if known is None:
            compiled = self._compiled
            assert compiled is not None
            known = len(compiled)
            for index, (pattern, _) in enumerate(compiled):
                if pattern.include is not None and pattern.matches(candidate):
                    known = index
                    break
            if len(self._first) < 100_000:
                self._first[candidate] = known
        return known

    def excludes(self, path: str) -> IgnoreLine | None:
        """The line that leaves ``path`` out of the context, else None."""
        excluded, line = self.decide(path)
        return line if excluded else None

    def reincludes_below(self, path: str) -> IgnoreLine | None:
        """A ``!`` line that can re-include something below the directory ``path``.

        BuildKit's file sync (fsutil) still walks into an excluded directory when
        an exception could match below it, and sends what the exception
        re-includes together with the directories holding it: ``*`` then
        ``!front-end/*`` sends ``front-end/`` with its files. An exception counts
        when its leading segments can match the directory's (``**`` matches any).
        """
        from python_docker_hooks._dockerignore.syntax import (
            PatternError,
            compile_pattern,
            to_python,
        )

        parts = go_clean(path).split("/")
        for line in self.lines:
            if not line.exception or line.error is not None or line.pattern is None:
                continue
            segments = go_clean(line.pattern[1:]).split("/")
            if segments[0].startswith("**"):
                return line
            if len(segments) <= len(parts):
                continue
            fits = True
            for segment, part in zip(segments, parts):
                if segment == "**":
                    return line
                try:
                    _, re2 = compile_pattern(segment)
                    fits = (to_python(re2).search(part) is not None) if re2 else segment == part
                except PatternError:
                    fits = False
                if not fits:
                    break
            if fits:
                return line
        return None

    def with_lines(self, patterns: list[str]) -> IgnoreFile:
        """This file with ``patterns`` appended (to judge a fix before making it).

        The same as ``IgnoreFile`` of the longer text; this file's lines (and
        compiled patterns) are shared, not read again."""
        text = self.text
        if text and not text.endswith("\n"):
            text += "\n"
        extra = "".join(p + "\n" for p in patterns)
        new = IgnoreFile.__new__(IgnoreFile)
        new.text = text + extra
        base, count = len(text), len(self.lines)
        added = _lines(extra)
        for line in added:
            line.number += count
            line.start += base
            line.end += base
        new.lines = self.lines + tuple(added)
        new._starts = [line.start for line in new.lines] or [0]
        new._compiled = None
        new._decided = {}
        new._first = {}
        return new


# Path -> what a pattern is tried on for it (every ignore file asks about the
# same sample paths): the cleaned path, then each directory holding it.
_CANDIDATES: dict[str, list[str]] = {}


def _candidates(path: str) -> list[str]:
    """The cleaned path and its directories (patternmatcher's
    MatchesOrParentMatches); none for the context root itself."""
    found = _CANDIDATES.get(path)
    if found is None:
        from python_docker_hooks._dockerignore.syntax import match_candidates

        cleaned = go_clean(path)
        while cleaned.startswith("../"):
            cleaned = cleaned[3:]
        if cleaned.startswith("/"):
            cleaned = go_clean(cleaned.lstrip("/"))
        found = [] if cleaned in (".", "..") else match_candidates(cleaned)
        if len(_CANDIDATES) < 100_000:
            _CANDIDATES[path] = found
    return found


def _lines(text: str) -> list[IgnoreLine]:
    from python_docker_hooks._dockerignore.syntax import read_line

    out: list[IgnoreLine] = []
    start = 0
    number = 0
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        number += 1
        line = IgnoreLine(number, start, end, text[start:end])
        line.pattern = read_line(line.text)
        if len(line.text.encode("utf-8", "surrogateescape")) > MAX_LINE_BYTES:
            line.error = (
                f"line longer than {MAX_LINE_BYTES} bytes: BuildKit cannot read the file"
            )
            if line.pattern is None:
                line.pattern = ""
        elif line.pattern == "!":
            line.error = 'a lone "!" is an illegal exclusion pattern'
        out.append(line)
        start = end + 1
    return out
