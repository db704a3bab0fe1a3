"""The syntax of ``.dockerignore`` patterns, without pathspec: what patternmatcher
tries a pattern on, ``filepath.Match`` syntax checks, the test patternmatcher
compiles a pattern to, and its RE2 regular expressions written in Python's
syntax. Go's path helpers are ``python_docker_hooks._go``'s.

See ``python_docker_hooks._dockerignore.patterns`` for the semantics as a whole.
"""

from __future__ import annotations

import re

from python_docker_hooks._go import go_clean, go_dir, go_trim

EXACT = "exact"
PREFIX = "prefix"
SUFFIX = "suffix"
REGEXP = "regexp"

# Characters patternmatcher escapes when it builds a regular expression: regexp
# operators that mean nothing to filepath.Match. Others ('^', '[', ']') go through.
_ESCAPED = frozenset(".+()|{}$")


class PatternError(ValueError):
    """A pattern BuildKit refuses; str() says why."""


# --- what patternmatcher tries a pattern on ------------------------------------


def match_candidates(file: str) -> list[str]:
    """What patternmatcher's MatchesOrParentMatches tries a pattern on: the
    file, then each of its parent directories from the top (``a``, ``a/b`` for
    ``a/b/c``); none for the context root itself."""
    out = [file]
    parent = go_dir(file)
    if parent != ".":
        parts = parent.split("/")
        out.extend("/".join(parts[: i + 1]) for i in range(len(parts)))
    return out


# --- filepath.Match syntax --------------------------------------------------------


def check_match_syntax(pattern: str) -> None:
    """Raise PatternError where Go's ``filepath.Match(pattern, ".")`` returns
    ``ErrBadPattern``: Go checks every chunk of the pattern, so the name does not
    matter."""
    for chunk in _chunks(pattern):
        _check_chunk(chunk)


def _chunks(pattern: str) -> list[str]:
    """The pattern cut at each run of '*' outside a class (Go's scanChunk)."""
    chunks = []
    i, n = 0, len(pattern)
    while i < n:
        while i < n and pattern[i] == "*":
            i += 1
        start = i
        in_class = False
        while i < n:
            ch = pattern[i]
            if ch == "\\":
                if i + 1 < n:
                    i += 1
            elif ch == "[":
                in_class = True
            elif ch == "]":
                in_class = False
            elif ch == "*" and not in_class:
                break
            i += 1
        chunks.append(pattern[start:i])
    return chunks


def _check_chunk(chunk: str) -> None:
    i, n = 0, len(chunk)
    while i < n:
        ch = chunk[i]
        if ch == "[":
            i += 1
            if i < n and chunk[i] == "^":
                i += 1
            ranges = 0
            while True:
                if i < n and chunk[i] == "]" and ranges > 0:
                    i += 1
                    break
                i = _class_char(chunk, i)
                if chunk[i] == "-":
                    i = _class_char(chunk, i + 1)
                ranges += 1
        elif ch == "\\":
            if i + 1 >= n:
                raise PatternError("a trailing '\\' escapes nothing")
            i += 2
        else:
            i += 1


def _class_char(chunk: str, i: int) -> int:
    """Index after one (maybe escaped) character of a class (Go's getEsc)."""
    n = len(chunk)
    if i >= n:
        raise PatternError("unterminated character class '['")
    if chunk[i] in "-]":
        raise PatternError(f"'{chunk[i]}' where a class needs a character")
    if chunk[i] == "\\":
        i += 1
        if i >= n:
            raise PatternError("unterminated character class '['")
    i += 1
    if i >= n:
        raise PatternError("unterminated character class '['")
    return i


# --- patternmatcher's compiled form -------------------------------------------------


def compile_pattern(cleaned: str) -> tuple[str, str | None]:
    """How patternmatcher tests a cleaned pattern: (kind, RE2 source or None).

    The RE2 source is the Go regular expression patternmatcher builds, for the
    ``regexp`` kind; the other kinds compare text.
    """
    out = ["^"]
    kind = EXACT
    i, n = 0, len(cleaned)
    first = True
    while i < n:
        ch = cleaned[i]
        i += 1
        if ch == "*":
            if i < n and cleaned[i] == "*":
                i += 1
                if i < n and cleaned[i] == "/":
                    i += 1
                if i >= n:
                    if kind == EXACT:
                        kind = PREFIX
                    else:
                        out.append(".*")
                        kind = REGEXP
                else:
                    out.append("(.*/)?")
                    kind = REGEXP
                if first:
                    kind = SUFFIX
            else:
                out.append("[^/]*")
                kind = REGEXP
        elif ch == "?":
            out.append("[^/]")
            kind = REGEXP
        elif ch in _ESCAPED:
            out.append("\\" + ch)
        elif ch == "\\":
            if i < n:
                out.append("\\" + cleaned[i])
                i += 1
                kind = REGEXP
            else:
                out.append("\\")
        elif ch in "[]":
            out.append(ch)
            kind = REGEXP
        else:
            out.append(ch)
        first = False
    if kind != REGEXP:
        return kind, None
    out.append("$")
    return kind, "".join(out)


def plain_text(pattern: str) -> str:
    """The longest run of plain characters in the pattern's last segment, as
    moby/patternmatcher reads the pattern: a path it excludes holds that run
    (a quick test before matching). The pattern is cleaned first (Go's
    filepath.Clean: `**/.` is `**`). patternmatcher writes a regular expression
    from it, escaping only `.` and `$`: `*`, `?` and a class are wildcards, and
    RE2's own operators (`^`, `+`, `|`, parentheses, braces) and an escape
    (`\\` and the next character) are taken for wildcards too; a class (`[`,
    an optional `^`, a `]` taken as a member when first, up to the next `]`)
    stands for one character.

    ``CompiledPattern.matches`` asks it before a regular expression: a path
    without it is not matched, and the expression is not compiled."""
    cleaned = go_clean(go_trim(pattern))
    # patternmatcher does not read classes: a `*`, `?`, `/` or `\\` in one
    # becomes regular expression text of its own, and a `[` in one may open
    # an RE2 class of its own (`[[:digit:]]`), so nothing is known to be plain
    # in such a pattern.
    start = cleaned.find("[")
    while start != -1:
        end = cleaned.find("]", start + 2)
        body = cleaned[start + 1 : end if end != -1 else len(cleaned)]
        if end == -1 or any(c in body for c in "*?/\\["):
            return ""
        start = cleaned.find("[", end + 1)
    last = cleaned.rstrip("/").rsplit("/", 1)[-1]
    runs: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(last):
        c = last[i]
        if c not in "*?[\\^+|(){}":
            current.append(c)
            i += 1
            continue
        runs.append("".join(current))
        current = []
        if c == "\\":
            i += 2
        elif c == "[":
            j = i + 1
            if j < len(last) and last[j] == "^":
                j += 1
            if j < len(last) and last[j] == "]":
                j += 1
            while j < len(last) and last[j] != "]":
                j += 2 if last[j] == "\\" else 1
            i = j + 1
        else:
            i += 1
    runs.append("".join(current))
    return max(runs, key=len)


# --- RE2 to Python -----------------------------------------------------------------

_MAX = 0x10FFFF
_DIGIT = ((0x30, 0x39),)
_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE = ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20))  # RE2's \s: no \v
_PERL = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_POSIX = {
    "alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "ascii": ((0x00, 0x7F),),
    "blank": ((0x09, 0x09), (0x20, 0x20)),
    "cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "digit": _DIGIT,
    "graph": ((0x21, 0x7E),),
    "lower": ((0x61, 0x7A),),
    "print": ((0x20, 0x7E),),
    "punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "space": ((0x09, 0x0D), (0x20, 0x20)),
    "upper": ((0x41, 0x5A),),
    "word": _WORD,
    "xdigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
}
_C_ESCAPES = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
_OCTAL = "01234567"
_HEX = "0123456789abcdefABCDEF"


def _complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out = []
    low = 0
    for lo, hi in sorted(ranges):
        if lo > low:
            out.append((low, lo - 1))
        low = max(low, hi + 1)
    if low <= _MAX:
        out.append((low, _MAX))
    return tuple(out)


def _class_text(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(
        _literal(lo) if lo == hi else f"{_literal(lo)}-{_literal(hi)}" for lo, hi in ranges
    )


def _literal(code: int) -> str:
    return re.escape(chr(code))


class _Re2:
    """Reads the RE2 source patternmatcher builds and writes Python's equivalent.

    Only what such a source can hold needs reading: literals, escapes, classes,
    ``^``, ``$``, ``.``, ``*``, ``?`` and the ``(.*/)?`` group.
    """

    __slots__ = ("src", "i")

    def __init__(self, src: str) -> None:
        self.src = src
        self.i = 0

    def fail(self, reason: str) -> PatternError:
        return PatternError(f"not a valid Go regular expression ({reason})")

    def translate(self) -> str:
        src = self.src
        out: list[str] = []
        while self.i < len(src):
            ch = src[self.i]
            self.i += 1
            if ch == "\\":
                out.append(self.escape(in_class=False))
            elif ch == "[":
                out.append(self.char_class())
            elif ch == "$":
                out.append("\\Z")
            elif ch in "^.*?()":
                out.append(ch)
            else:
                out.append(_literal(ord(ch)))
        return "".join(out)

    def escape(self, *, in_class: bool) -> str:
        """The text after a '\\' (already read): Python for it."""
        kind, value = self.read_escape(in_class=in_class)
        if kind == "char":
            assert isinstance(value, int)
            return _literal(value)
        if kind == "perl":
            assert isinstance(value, tuple)
            return "[" + _class_text(value) + "]"
        assert isinstance(value, str)
        return value

    def read_escape(self, *, in_class: bool) -> tuple[str, object]:
        src = self.src
        if self.i >= len(src):
            raise self.fail("trailing backslash")
        c = src[self.i]
        self.i += 1
        if c.isascii() and not c.isalnum():
            return "char", ord(c)
        if not in_class:
            if c == "A":
                return "assert", "\\A"
            if c == "z":
                return "assert", "\\Z"
            if c in "bB":
                return "assert", "\\" + c
            if c == "Q":
                end = src.find("\\E", self.i)
                text = src[self.i :] if end < 0 else src[self.i : end]
                self.i = len(src) if end < 0 else end + 2
                return "assert", "".join(_literal(ord(t)) for t in text)
        if c.lower() in _PERL:
            ranges = _PERL[c.lower()]
            return "perl", ranges if c.islower() else _complement(ranges)
        if c in "pP":
            raise PatternError(
                f"uses the Unicode class escape '\\{c}', which this checker cannot read"
            )
        if (
            c in _OCTAL
            and c != "0"
            and (self.i >= len(src) or src[self.i] not in _OCTAL)
        ):
            # A lone \1-\7 would be a backreference, which RE2 does not have.
            raise self.fail(f"invalid escape sequence '\\{c}'")
        if c in _OCTAL:
            value = int(c)
            for _ in range(2):
                if self.i < len(src) and src[self.i] in _OCTAL:
                    value = value * 8 + int(src[self.i])
                    self.i += 1
            return "char", value
        if c == "x":
            return "char", self.hex_escape()
        if c in _C_ESCAPES:
            return "char", _C_ESCAPES[c]
        raise self.fail(f"invalid escape sequence '\\{c}'")

    def hex_escape(self) -> int:
        src = self.src
        if self.i < len(src) and src[self.i] == "{":
            end = src.find("}", self.i)
            digits = src[self.i + 1 : end] if end > 0 else ""
            if end < 0 or not digits or any(d not in _HEX for d in digits):
                raise self.fail("invalid escape sequence '\\x{'")
            value = int(digits, 16)
            if value > _MAX:
                raise self.fail("invalid escape sequence '\\x{'")
            self.i = end + 1
            return value
        digits = src[self.i : self.i + 2]
        if len(digits) < 2 or any(d not in _HEX for d in digits):
            raise self.fail("invalid escape sequence '\\x'")
        self.i += 2
        return int(digits, 16)

    def class_char(self) -> int:
        src = self.src
        if self.i >= len(src):
            raise self.fail("missing closing ]")
        c = src[self.i]
        self.i += 1
        if c == "\\":
            kind, value = self.read_escape(in_class=True)
            if kind != "char":
                raise self.fail("invalid character class range")
            assert isinstance(value, int)
            return value
        return ord(c)

    def char_class(self) -> str:
        """A class, its '[' already read, as Go's regexp/syntax parses one."""
        src = self.src
        negate = self.i < len(src) and src[self.i] == "^"
        if negate:
            self.i += 1
        items: list[str] = []
        first = True
        while True:
            if self.i >= len(src):
                raise self.fail("missing closing ]")
            if src[self.i] == "]" and not first:
                self.i += 1
                break
            first = False
            if src.startswith("[:", self.i):
                end = src.find(":]", self.i + 2)
                if end >= 0:
                    name = src[self.i + 2 : end]
                    negated = name.startswith("^")
                    ranges = _POSIX.get(name.lstrip("^") if negated else name)
                    if ranges is None:
                        raise self.fail(f"invalid character class range '[:{name}:]'")
                    items.append(_class_text(_complement(ranges) if negated else ranges))
                    self.i = end + 2
                    continue
            if src[self.i] == "\\" and self.i + 1 < len(src):
                c = src[self.i + 1]
                if c.lower() in _PERL:
                    self.i += 2
                    ranges = _PERL[c.lower()]
                    items.append(_class_text(ranges if c.islower() else _complement(ranges)))
                    continue
                if c in "pP":
                    raise PatternError(
                        f"uses the Unicode class escape '\\{c}', which this checker "
                        "cannot read"
                    )
            lo = self.class_char()
            hi = lo
            if (
                self.i + 1 < len(src)
                and src[self.i] == "-"
                and src[self.i + 1] != "]"
            ):
                self.i += 1
                hi = self.class_char()
                if hi < lo:
                    raise self.fail(
                        f"invalid character class range '{chr(lo)}-{chr(hi)}'"
                    )
            items.append(_class_text(((lo, hi),)))
        return "[" + ("^" if negate else "") + "".join(items) + "]"


def python_source(re2: str) -> str:
    """The source of the Python regular expression meaning what the RE2 source
    ``re2`` means; raises PatternError for what cannot be read."""
    return _Re2(re2).translate()


def _compile(source: str) -> re.Pattern[str]:
    try:
        return re.compile(source, re.ASCII)
    except re.error as exc:  # pragma: no cover - the translation writes valid syntax
        raise PatternError(f"not a valid regular expression ({exc})") from None


def to_python(re2: str) -> re.Pattern[str]:
    """The Python regular expression meaning what the RE2 source ``re2`` means."""
    return _compile(python_source(re2))


def read_line(line: str) -> str | None:
    """What moby's ``ignorefile.ReadAll`` makes of one line: None for a comment or a
    blank line, else the pattern (with its ``!``) as handed to the matcher."""
    if line.startswith("#"):
        return None
    pattern = go_trim(line)
    if not pattern:
        return None
    invert = pattern[0] == "!"
    if invert:
        pattern = go_trim(pattern[1:])
    if pattern:
        pattern = go_clean(pattern)
        if len(pattern) > 1 and pattern[0] == "/":
            pattern = pattern[1:]
    return "!" + pattern if invert else pattern


class CompiledPattern:
    """One line of a ``.dockerignore`` file, compiled as patternmatcher compiles it.

    ``include`` is pathspec's sense: True for a pattern that leaves paths out of
    the context, False for a ``!`` exception, None for a comment or blank line.
    ``cleaned`` is the pattern patternmatcher matches (without its ``!``) and
    ``kind`` how it matches (exact, prefix, suffix or regexp). This is the one
    matcher: the pathspec pattern class (``python_docker_hooks._dockerignore.patterns``) is its
    pathspec face, and the hooks use it directly, so that a hook run does not pay
    for importing pathspec.
    """

    __slots__ = ("line", "include", "cleaned", "kind", "re2", "_source", "_needle", "_regex")

    def __init__(self, line: str | bytes) -> None:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        self.line = text
        self.cleaned = ""
        self.kind = EXACT
        self.re2: str | None = None
        self._source = ""
        self._needle = ""
        self._regex: re.Pattern[str] | None = None
        self.include: bool | None = None
        read = read_line(text)
        if read is None:
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
            # Read now, so that a line that cannot be read is refused here;
            # compiled when a path holding the pattern's plain text is tried.
            self._source = python_source(self.re2)
            self._needle = plain_text(pattern)
        self.include = not exclusion

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
        if self._needle not in path:
            return False
        regex = self._regex
        if regex is None:
            regex = self._regex = _compile(self._source)
        return regex.search(path) is not None

    def match_file(self, file: str) -> bool:
        """Whether the pattern matches ``file`` or one of its parent directories
        (patternmatcher's MatchesOrParentMatches, for this one pattern)."""
        if self.include is None:
            return False
        return any(map(self.matches, match_candidates(file)))

    def __repr__(self) -> str:
        return f"CompiledPattern({self.line!r})"


# Compiled patterns by line, for one process: a pattern is never changed once
# compiled, and ignore files repeat lines (``.git``, ``**/__pycache__``), as
# do the files a check builds to judge a fix (the file with one line added).
_COMPILED: dict[str, CompiledPattern | PatternError] = {}


def compiled(line: str) -> CompiledPattern:
    """``CompiledPattern(line)``, made once per line; raises its PatternError."""
    found = _COMPILED.get(line)
    if found is None:
        try:
            found = CompiledPattern(line)
        except PatternError as exc:
            found = exc
        if len(_COMPILED) < _MAX_COMPILED:
            _COMPILED[line] = found
    if isinstance(found, PatternError):
        raise PatternError(str(found))
    return found


_MAX_COMPILED = 50_000
