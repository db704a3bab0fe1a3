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

The matching itself is ``python_docker_hooks._dockerignore.syntax.CompiledPattern``, which this
class wraps: the hooks use it through ``IgnoreFile`` without importing pathspec
(whose import alone costs more than a whole hook run), and the tests check that
both give the same answers. pathspec's default backend is chosen by what is
installed; these patterns are matched by their own ``match_file``, so a spec of
them is built with ``backend="simple"`` (``spec`` below).
"""

from __future__ import annotations

import pathspec
from pathspec.pattern import Pattern

from python_docker_hooks._dockerignore.syntax import CompiledPattern, PatternError

__all__ = ["DockerIgnorePattern", "PatternError", "spec"]

# --- the pattern class ---------------------------------------------------------------


class DockerIgnorePattern(Pattern):
    """One line of a ``.dockerignore`` file, as a pathspec pattern.

    ``include`` is pathspec's: True for a pattern that leaves paths out of the
    context, False for a ``!`` exception, None for a comment or blank line. The
    matching is ``compiled``'s (``python_docker_hooks._dockerignore.syntax.CompiledPattern``).
    """

    __slots__ = ("compiled",)

    def __init__(self, line: str | bytes) -> None:
        self.compiled = CompiledPattern(line)
        super().__init__(self.compiled.include)

    @property
    def line(self) -> str:
        return self.compiled.line

    @property
    def cleaned(self) -> str:
        return self.compiled.cleaned

    @property
    def kind(self) -> str:
        return self.compiled.kind

    def match_file(self, file: str) -> bool | None:
        """True when the pattern matches ``file`` or one of its parent directories
        (patternmatcher's MatchesOrParentMatches, for this one pattern)."""
        return True if self.compiled.match_file(file) else None

    def __repr__(self) -> str:
        return f"DockerIgnorePattern({self.line!r})"


try:
    pathspec.util.register_pattern("dockerignore", DockerIgnorePattern)
except pathspec.util.AlreadyRegisteredError:  # pragma: no cover - a reload
    pass


def spec(lines: list[str]) -> pathspec.PathSpec[Pattern]:
    """A PathSpec of ``.dockerignore`` lines, matched by the patterns themselves."""
    return pathspec.PathSpec.from_lines("dockerignore", lines, backend="simple")
