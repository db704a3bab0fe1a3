"""``.dockerignore`` patterns as a pathspec pattern class, registered as ``dockerignore``.

``pathspec.PathSpec.from_lines("dockerignore", text.split("\\n"))`` matches paths
as BuildKit does; ``PathSpec.match_file(path)`` is true when the path is left out
of the build context. The semantics are moby/patternmatcher's (what BuildKit's
file sync, fsutil, filters the context with), applied to each line as moby's
``ignorefile.ReadAll`` hands it over:

- a line starting with ``#`` (before any trimming) is a comment; other lines are
  trimmed of Go's ``unicode.IsSpace`` blanks, and empty ones are skipped;
- ``!`` makes an exception (re-includes), trimmed again after the ``!``; ``!`` alone
  is an error;
- the rest is cleaned as Go's ``filepath.Clean`` does (``./a/../b`` is ``b``), and
  one leading ``/`` is dropped;
- syntax is Go's ``filepath.Match`` (``*`` and ``?`` never match ``/``; ``[...]``
  classes negated with ``^``; ``\\`` escapes), checked when the pattern is made, so
  a bad class is an error as it is for BuildKit; ``**`` matches any number of
  directories;
- a pattern matches a path when it matches the path or one of its parent
  directories (a matched directory excludes everything below it), and the last
  pattern that matches decides (pathspec's own rule).

patternmatcher turns a pattern into one of four tests: exact text, a prefix (a
trailing ``**``), a suffix (a leading ``**``) or a Go regular expression, in which
character classes and escapes keep their RE2 meaning (``[Local-Only]`` is valid for
``filepath.Match`` but not for RE2, so BuildKit refuses it when matching). Those
regular expressions are translated here into Python's syntax with the same meaning.

pathspec's default backend is chosen by what is installed; these patterns are
matched by their own ``match_file``, so a spec of them is built with
``backend="simple"`` (``from_lines`` passes it on).
"""

from __future__ import annotations

import re

import pathspec
from pathspec.pattern import Pattern

from hooks._dockerignore.syntax import (
    EXACT,
    PREFIX,
    SUFFIX,
    PatternError,
    check_match_syntax,
    compile_pattern,
    go_clean,
    go_dir,
    go_trim,
    read_line,
    to_python,
)

__all__ = ["DockerIgnorePattern", "PatternError", "spec"]

# --- the pattern class ---------------------------------------------------------------


class DockerIgnorePattern(Pattern):
    """One line of a ``.dockerignore`` file.

    ``include`` is pathspec's: True for a pattern that leaves paths out of the
    context, False for a ``!`` exception, None for a comment or blank line.
    ``cleaned`` is the pattern patternmatcher matches (without its ``!``) and
    ``kind`` how it matches (exact, prefix, suffix or regexp).
    """

    __slots__ = ("line", "cleaned", "kind", "regex", "re2")

    def __init__(self, line: str | bytes) -> None:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        self.line = text
        self.cleaned = ""
        self.kind = EXACT
        self.regex: re.Pattern[str] | None = None
        self.re2: str | None = None
        read = read_line(text)
        if read is None:
            super().__init__(None)
            return
        # patternmatcher.New trims and cleans once more, then takes the '!'.
        pattern = go_clean(go_trim(read))
        exclusion = pattern.startswith("!")
        if exclusion:
            if len(pattern) == 1:
                raise PatternError('illegal exclusion pattern: "!"')
            pattern = pattern[1:]
        check_match_syntax(pattern)
        self.cleaned = pattern
        self.kind, self.re2 = compile_pattern(pattern)
        if self.re2 is not None:
            self.regex = to_python(self.re2)
        super().__init__(not exclusion)

    def matches(self, path: str) -> bool:
        """Whether the pattern itself matches ``path`` (no parent directories)."""
        kind = self.kind
        pattern = self.cleaned
        if kind == EXACT:
            return path == pattern
        if kind == PREFIX:
            return path.startswith(pattern[:-2])
        if kind == SUFFIX:
            suffix = pattern[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        assert self.regex is not None
        return self.regex.search(path) is not None

    def match_file(self, file: str) -> bool | None:
        """True when the pattern matches ``file`` or one of its parent directories
        (patternmatcher's MatchesOrParentMatches, for this one pattern)."""
        if self.include is None:
            return None
        if self.matches(file):
            return True
        parent = go_dir(file)
        if parent != ".":
            parts = parent.split("/")
            for i in range(len(parts)):
                if self.matches("/".join(parts[: i + 1])):
                    return True
        return None

    def __repr__(self) -> str:
        return f"DockerIgnorePattern({self.line!r})"


try:
    pathspec.util.register_pattern("dockerignore", DockerIgnorePattern)
except pathspec.util.AlreadyRegisteredError:  # pragma: no cover - a reload
    pass


def spec(lines: list[str]) -> pathspec.PathSpec[Pattern]:
    """A PathSpec of ``.dockerignore`` lines, matched by the patterns themselves."""
    return pathspec.PathSpec.from_lines("dockerignore", lines, backend="simple")
