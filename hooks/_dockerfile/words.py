"""Word rules of BuildKit for Dockerfile instruction arguments.

ENV, LABEL and ARG arguments are first split into raw words by the parser
(quotes kept); at build time every key and value goes through the lexer that
removes quotes, resolves escapes and substitutes variables. This module
mirrors both steps as pure functions on ``str``:

- :func:`split_words` -- the parser's word split, with source offsets;
- :func:`process_word` -- a canonical, environment-free form of what the lexer
  makes of a word: equal forms behave the same in every environment;
- :func:`expand` -- the lexer with an environment (e.g. to resolve
  ``FROM ${BASE:-python}:${PY}-slim`` from ARG defaults);
- :func:`key_value_fix` -- rewrite a legacy ``ENV key value`` argument into an
  equivalent ``key=value`` one.

Canonical parts: ``('lit', text)``; ``('var', name, op, word)`` where ``op`` is
``''`` (plain ``$A`` / ``${A}``, ``word == ()``), ``'-'``, ``':-'``, ``'+'``,
``':+'``, ``'?'``, ``':?'``, ``'#'`` or ``'%'`` (``word`` is a canonical tuple,
taken as BuildKit takes it: for ``#``/``%`` it includes a leading ``#``/``%``
that asks for the longest match); ``('var', name, op, pattern, replacement)``
for ``op`` ``'/'`` and ``'//'``.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TypeAlias

    Part: TypeAlias = (
        "tuple[str, str] | tuple[str, str, str, Canon]"
        " | tuple[str, str, str, Canon, Canon]"
    )
    Canon: TypeAlias = "tuple[Part, ...]"
    Token: TypeAlias = "tuple[int, str]"

__all__ = [
    "WordError",
    "expand",
    "key_value_fix",
    "process_word",
    "split_words",
]


class WordError(ValueError):
    """A word BuildKit would reject (bad syntax, unterminated quote, ...)."""


# Go's unicode.IsSpace: the Unicode White_Space property. Python's
# str.isspace() also accepts U+001C..U+001F, which Go does not.
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_VALUE_OPS = ("-", ":-", "+", ":+", "?", ":?", "#", "%")
_ESCAPES = ("\\", "`")
# Each nesting level costs a few Python frames; real files nest two or three.
_MAX_DEPTH = 50
_BOM = "\ufeff"

_STAR = 0
_ANY = 1
_CHAR = 2

_run_cache: dict[str, re.Pattern[str]] = {}


def _run_re(specials: str) -> re.Pattern[str]:
    """A single character class: the longest run free of *specials*."""
    pat = _run_cache.get(specials)
    if pat is None:
        pat = re.compile("[^" + re.escape(specials) + "]+")
        _run_cache[specials] = pat
    return pat


def _check_escape(escape: str) -> None:
    if escape not in _ESCAPES:
        raise WordError(f"unsupported escape character {escape!r}")


def _is_digit(ch: str) -> bool:
    return ch.isdecimal()


def _is_name_char(ch: str) -> bool:
    return ch.isalpha() or ch.isdecimal() or ch == "_"


# ---------------------------------------------------------------------------
# Parser word split (parseWords in frontend/dockerfile/parser/line_parsers.go)
# ---------------------------------------------------------------------------


# Runs of ASCII characters that are not Go's spaces (in ASCII: tab to CR, and the
# space; ``_GO_SPACE``).
_UNSPACED = re.compile(r"[^\t-\r ]+")


def split_words(text: str, escape: str = "\\") -> list[tuple[str, int, int]]:
    """Split an argument text into raw words as BuildKit's parser does.

    Whitespace (Go's ``unicode.IsSpace``) outside quotes separates words;
    quotes and escapes stay in the words. An escape pairs with the next
    character (outside quotes and inside double quotes), so ``\\ `` and
    ``\\"`` neither split nor open/close a quote. An unterminated quote runs
    to the end. Each word comes with ``(start, end)`` offsets into *text*;
    the word equals ``text[start:end]`` except that an escape character that
    ends *text* is dropped from the word (but covered by the span).
    """
    _check_escape(escape)
    if '"' not in text and "'" not in text and escape not in text and text.isascii():
        # No quote and no escape: the words are the runs of non-space text.
        return [(m.group(), m.start(), m.end()) for m in _UNSPACED.finditer(text)]
    return _scan_words(text, escape)


def _scan_words(text: str, escape: str) -> list[tuple[str, int, int]]:
    words: list[tuple[str, int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        if text[i] in _GO_SPACE:
            i += 1
            continue
        start = i
        chunks: list[str] = []
        quote = ""
        while i < n:
            ch = text[i]
            if not quote:
                if ch in _GO_SPACE:
                    break
                if ch == '"' or ch == "'":
                    quote = ch
                elif ch == escape:
                    if i + 1 == n:
                        i += 1
                        break
                    chunks.append(text[i : i + 2])
                    i += 2
                    continue
                chunks.append(ch)
                i += 1
            elif ch == quote:
                quote = ""
                chunks.append(ch)
                i += 1
            elif ch == escape and quote == '"':
                if i + 1 == n:
                    i += 1
                    break
                chunks.append(text[i : i + 2])
                i += 2
            else:
                chunks.append(ch)
                i += 1
        if chunks:
            words.append(("".join(chunks), start, i))
    return words


# ---------------------------------------------------------------------------
# Lexer (frontend/dockerfile/shell/lex.go), producing canonical parts
# ---------------------------------------------------------------------------


class _Out:
    """Collects canonical parts; the outermost one also keeps source atoms."""

    __slots__ = ("atoms", "buf", "parts")

    def __init__(self, record: bool) -> None:
        self.parts: list[Part] = []
        self.buf: list[str] = []
        # (is_reference, text): literal text produced, or the source text of
        # a variable reference; used to re-quote a value.
        self.atoms: list[tuple[bool, str]] | None = [] if record else None

    def lit(self, text: str) -> None:
        if text:
            self.buf.append(text)
            if self.atoms is not None:
                self.atoms.append((False, text))

    def ref(self, part: Part | None, source: str) -> None:
        if part is not None:
            self._flush()
            self.parts.append(part)
        if self.atoms is not None:
            self.atoms.append((True, source))

    def _flush(self) -> None:
        if self.buf:
            self.parts.append(("lit", "".join(self.buf)))
            self.buf.clear()

    def result(self) -> Canon:
        self._flush()
        return tuple(self.parts)


class _Lexer:
    __slots__ = ("depth", "esc", "pos", "src")

    def __init__(self, src: str, esc: str) -> None:
        # Go's text/scanner silently drops a leading byte order mark.
        self.src = src[1:] if src.startswith(_BOM) else src
        self.esc = esc
        self.pos = 0
        self.depth = 0

    def stop_on(self, stop: str, raw: bool, out: _Out) -> None:
        """Process up to *stop* (consumed) or, with ``stop == ''``, the end.

        *raw* keeps escape characters in the output, as BuildKit does inside
        the pattern and replacement words of ``#``, ``%`` and ``/``.
        """
        src = self.src
        n = len(src)
        esc = self.esc
        run = _run_re("$'\"" + esc + stop)
        while self.pos < n:
            m = run.match(src, self.pos)
            if m is not None:
                out.lit(m.group())
                self.pos = m.end()
                continue
            ch = src[self.pos]
            if stop and ch == stop:
                self.pos += 1
                return
            if ch == "$":
                self.dollar(out)
            elif ch == "'":
                self.single_quote(out)
            elif ch == '"':
                self.double_quote(out, raw)
            else:  # the escape character
                self.pos += 1
                if raw:
                    out.lit(ch)
                if self.pos >= n:
                    break
                out.lit(src[self.pos])
                self.pos += 1
        if stop:
            raise WordError(
                f"unexpected end of statement while looking for matching {stop}"
            )

    def single_quote(self, out: _Out) -> None:
        end = self.src.find("'", self.pos + 1)
        if end < 0:
            raise WordError(
                "unexpected end of statement while looking for matching single-quote"
            )
        out.lit(self.src[self.pos + 1 : end])
        self.pos = end + 1

    def double_quote(self, out: _Out, raw: bool) -> None:
        src = self.src
        n = len(src)
        esc = self.esc
        run = _run_re('"$' + esc)
        self.pos += 1
        while True:
            if self.pos >= n:
                raise WordError(
                    "unexpected end of statement while looking for matching "
                    "double-quote"
                )
            m = run.match(src, self.pos)
            if m is not None:
                out.lit(m.group())
                self.pos = m.end()
                continue
            ch = src[self.pos]
            if ch == '"':
                self.pos += 1
                return
            if ch == "$":
                self.dollar(out)
                continue
            # The escape character: it only escapes `"`, `$` and itself;
            # before anything else it stays. In raw mode BuildKit writes it
            # once for being raw and, before an ordinary character, again.
            self.pos += 1
            if raw:
                out.lit(ch)
            if self.pos >= n:
                continue
            nxt = src[self.pos]
            if nxt == '"' or nxt == "$" or nxt == esc:
                ch = nxt
                self.pos += 1
            out.lit(ch)

    def name(self) -> str:
        src = self.src
        n = len(src)
        i = self.pos
        if i < n:
            ch = src[i]
            if _is_digit(ch):
                j = i + 1
                while j < n and _is_digit(src[j]):
                    j += 1
                self.pos = j
                return src[i:j]
            if ch in _SPECIAL_PARAMS:
                self.pos = i + 1
                return ch
        j = i
        while j < n and _is_name_char(src[j]):
            j += 1
        self.pos = j
        return src[i:j]

    def nested(self, stop: str, raw: bool, missing: str) -> Canon:
        if self.depth >= _MAX_DEPTH:
            raise WordError("variable substitutions nested too deeply")
        self.depth += 1
        sub = _Out(record=False)
        try:
            self.stop_on(stop, raw, sub)
        except WordError:
            if self.pos >= len(self.src):
                raise WordError(missing) from None
            raise
        finally:
            self.depth -= 1
        return sub.result()

    def dollar(self, out: _Out) -> None:
        src = self.src
        n = len(src)
        start = self.pos
        self.pos += 1
        if self.pos >= n or src[self.pos] != "{":
            name = self.name()
            if name:
                out.ref(("var", name, "", ()), src[start : self.pos])
            else:
                out.lit("$")
            return
        self.pos += 1
        if self.pos >= n:
            raise WordError("syntax error: missing '}'")
        if src[self.pos] in "{}:":
            raise WordError("syntax error: bad substitution")
        name = self.name()
        ch = src[self.pos] if self.pos < n else ""
        self.pos += 1
        if ch == "}":
            out.ref(("var", name, "", ()), src[start : self.pos])
            return
        if ch == "/":
            every = self.pos < n and src[self.pos] == "/"
            if every:
                self.pos += 1
            pattern = self.nested("/", True, "syntax error: missing '/' in ${}")
            repl = self.nested("}", True, "syntax error: missing '}'")
            text = _literal(pattern)
            if text is not None:
                _glob(text)
            op = "//" if every else "/"
            out.ref(("var", name, op, pattern, repl), src[start : self.pos])
            return
        op = ch
        if ch == ":":
            ch = src[self.pos] if self.pos < n else ""
            self.pos += 1
            op = ":" + ch
            if ch == "#" or ch == "%":
                raise WordError(f"unsupported modifier ({op}) in substitution")
        elif op not in _VALUE_OPS:
            raise WordError(f"unsupported modifier ({op}) in substitution")
        word = self.nested("}", ch == "#" or ch == "%", "syntax error: missing '}'")
        if op not in _VALUE_OPS:
            raise WordError(f"unsupported modifier ({op}) in substitution")
        out.ref(_value_var(name, op, word), src[start : self.pos])


def _literal(word: Canon) -> str | None:
    """The text of a word without variable parts, else None."""
    if not word:
        return ""
    if len(word) == 1:
        part = word[0]
        if len(part) == 2:
            return part[1]
    return None


def _value_var(name: str, op: str, word: Canon) -> Part | None:
    """Build a ``${name<op>word}`` part, folding forms equal to simpler ones."""
    if op in ("-", ":-") and not word:
        return ("var", name, "", ())  # unset and empty both give ''
    if op in ("+", ":+") and not word:
        return None  # always ''
    if op in ("#", "%"):
        text = _literal(word)
        if text is not None:
            greedy = text[:1] == op
            pattern = text[1:] if greedy else text
            tokens = _glob(pattern if op == "#" else _reverse_pattern(pattern))
            if not tokens or (not greedy and all(kind == _STAR for kind, _ in tokens)):
                return ("var", name, "", ())  # matches the empty prefix
    return ("var", name, op, word)


def process_word(raw: str, escape: str = "\\") -> Canon:
    """Canonical form of what BuildKit's ProcessWord makes of *raw*.

    Quotes are removed and escapes resolved exactly as BuildKit's lexer does
    outside quotes, inside double quotes and inside single quotes; every
    variable reference is kept as a ``('var', ...)`` part (nested words in
    canonical form) and adjacent literals are merged. Equal results mean the
    two words give the same value (or the same failure) in every
    environment. A few equivalent spellings are folded together
    (``$A`` = ``${A}`` = ``${A:-}`` = ``${A-}`` = ``${A#}``; ``${A:+}`` is
    dropped); other semantically equal pairs may still differ.

    Raises :class:`WordError` for what BuildKit rejects whatever the
    environment: unterminated quotes, ``${}``, unknown modifiers, a missing
    ``}``, an invalid literal pattern, and nesting deeper than 50 levels.
    """
    return _process(raw, escape)[0]


def _process(raw: str, escape: str) -> tuple[Canon, list[tuple[bool, str]]]:
    _check_escape(escape)
    lexer = _Lexer(raw, escape)
    out = _Out(record=True)
    lexer.stop_on("", False, out)
    atoms = out.atoms if out.atoms is not None else []
    return out.result(), atoms


# ---------------------------------------------------------------------------
# Shell patterns of ${A#p}, ${A%p}, ${A/p/r} (convertShellPatternToRegex)
# ---------------------------------------------------------------------------


def _glob(pattern: str) -> list[Token]:
    """Tokens of a BuildKit shell pattern; WordError when it has a bad escape.

    Only ``*``, ``?`` and backslash escapes of ``*``, ``?`` and backslash are
    special; a backslash before ``}`` or ``/`` is dropped. The backslash is
    fixed here whatever the Dockerfile escape character is.
    """
    if pattern.startswith(_BOM):
        pattern = pattern[1:]
    tokens: list[Token] = []
    n = len(pattern)
    i = 0
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            tokens.append((_STAR, ""))
        elif ch == "?":
            tokens.append((_ANY, ""))
        elif ch == "\\":
            if i < n and pattern[i] in "}/":
                continue
            if i >= n or pattern[i] not in "*?\\":
                bad = pattern[i] if i < n else ""
                raise WordError(
                    f"invalid pattern ({pattern}) in substitution: "
                    f"invalid escape '\\{bad}'"
                )
            tokens.append((_CHAR, pattern[i]))
            i += 1
        else:
            tokens.append((_CHAR, ch))
    return tokens


def _reverse_pattern(pattern: str) -> str:
    """Reverse a pattern keeping each backslash pair in order."""
    pieces: list[str] = []
    n = len(pattern)
    i = 0
    while i < n:
        if pattern[i] == "\\" and i + 1 < n:
            pieces.append(pattern[i : i + 2])
            i += 2
        else:
            pieces.append(pattern[i])
            i += 1
    pieces.reverse()
    return "".join(pieces)


def _closure(
    tokens: list[Token], greedy: bool, state: int, seen: set[int]
) -> list[int]:
    """States reachable from *state* without input, in match priority order."""
    m = len(tokens)
    stars: list[int] = []
    k = state
    while k < m and tokens[k][0] == _STAR and k not in seen:
        seen.add(k)
        stars.append(k)
        k += 1
    tail: list[int] = []
    if k not in seen and (k == m or tokens[k][0] != _STAR):
        seen.add(k)
        tail.append(k)
    if greedy:
        return stars + tail
    stars.reverse()
    return tail + stars


def _find(
    tokens: list[Token], text: str, start: int, greedy: bool, anchored: bool
) -> tuple[int, int] | None:
    """Leftmost-first match of *tokens* in *text* from *start*, like Go's regexp.

    A breadth-first simulation (no backtracking): time is O(len(text) *
    len(tokens)). ``*`` and ``?`` do not match a newline, as Go's ``.``.
    """
    m = len(tokens)
    n = len(text)
    seen: set[int] = set()
    threads = [(s, start) for s in _closure(tokens, greedy, 0, seen)]
    found: tuple[int, int] | None = None
    pos = start
    while True:
        nxt: list[tuple[int, int]] = []
        seen = set()
        ch = text[pos] if pos < n else ""
        for state, origin in threads:
            if state == m:
                found = (origin, pos)
                break  # lower-priority threads lose to this match
            if not ch:
                continue
            kind, want = tokens[state]
            if kind == _CHAR:
                if ch != want:
                    continue
                target = state + 1
            elif ch == "\n":
                continue
            else:
                target = state if kind == _STAR else state + 1
            for s in _closure(tokens, greedy, target, seen):
                nxt.append((s, origin))
        if pos >= n:
            break
        pos += 1
        if not anchored and found is None:
            for s in _closure(tokens, greedy, 0, seen):
                nxt.append((s, pos))
        if not nxt:
            break
        threads = nxt
    return found


def _expand_template(template: str, text: str, begin: int, end: int) -> str:
    """Go's Regexp.Expand for a match without groups: $0 / ${0} is the match."""
    out: list[str] = []
    i = 0
    n = len(template)
    while i < n:
        j = template.find("$", i)
        if j < 0:
            break
        out.append(template[i:j])
        i = j + 1
        if i < n and template[i] == "$":
            out.append("$")
            i += 1
            continue
        brace = i < n and template[i] == "{"
        k = i + 1 if brace else i
        name_start = k
        while k < n and _is_name_char(template[k]):
            k += 1
        name = template[name_start:k]
        if not name or (brace and (k >= n or template[k] != "}")):
            out.append("$")
            continue
        i = k + 1 if brace else k
        if name == "0":
            out.append(text[begin:end])
    out.append(template[i:])
    return "".join(out)


def _replace_all(tokens: list[Token], value: str, template: str) -> str:
    """Go's Regexp.ReplaceAllString, including its empty-match rules."""
    out: list[str] = []
    last = 0
    search = 0
    n = len(value)
    while search <= n:
        found = _find(tokens, value, search, True, False)
        if found is None:
            break
        begin, end = found
        out.append(value[last:begin])
        if end > last or begin == 0:
            out.append(_expand_template(template, value, begin, end))
        last = end
        search = max(end, search + 1)  # always move on by at least one
    out.append(value[last:])
    return "".join(out)


# ---------------------------------------------------------------------------
# Expansion with an environment
# ---------------------------------------------------------------------------


# Expansion stops with an error past this many characters: a few lines of
# ``ENV B=$A$A`` double a value each time, and would fill memory.
MAX_EXPANSION = 1 << 20


def _eval(word: Canon, env: Mapping[str, str]) -> str:
    out: list[str] = []
    size = 0
    for part in word:
        if size > MAX_EXPANSION:
            break
        if len(part) == 2:
            out.append(part[1])
            size += len(part[1])
            continue
        size += len(env.get(part[1]) or "")
        name = part[1]
        op = part[2]
        value = env.get(name)
        is_set = value is not None
        value = value or ""
        if len(part) == 5:
            # BuildKit evaluates both words before looking at the variable.
            pattern = _eval(part[3], env)
            repl = _eval(part[4], env)
            tokens = _glob(pattern)
            if op == "//" and len(repl) * (len(value) + 1) > MAX_EXPANSION:
                raise WordError(f"expansion longer than {MAX_EXPANSION} characters")
            if op == "//":
                value = _replace_all(tokens, value, repl)
            else:
                found = _find(tokens, value, 0, True, False)
                if found is not None:
                    value = value[: found[0]] + repl + value[found[1] :]
            out.append(value)
            continue
        if not op:
            out.append(value)
            continue
        arg = _eval(part[3], env)
        missing = not is_set or (op[0] == ":" and not value)
        base = op[-1]
        if base == "-":
            out.append(arg if missing else value)
        elif base == "+":
            out.append("" if missing else arg)
        elif base == "?":
            if not is_set:
                raise WordError(f"{name}: {arg or 'is not allowed to be unset'}")
            if missing:
                raise WordError(f"{name}: {arg or 'is not allowed to be empty'}")
            out.append(value)
        else:  # '#' or '%'
            greedy = arg[:1] == op
            pattern = arg[1:] if greedy else arg
            if op == "#":
                found = _find(_glob(pattern), value, 0, greedy, True)
                if found is not None:
                    value = value[found[1] :]
            else:
                rev = value[::-1]
                found = _find(_glob(_reverse_pattern(pattern)), rev, 0, greedy, True)
                if found is not None:
                    value = rev[found[1] :][::-1]
            out.append(value)
    if size > MAX_EXPANSION or sum(map(len, out)) > MAX_EXPANSION:
        raise WordError(f"expansion longer than {MAX_EXPANSION} characters")
    return "".join(out)


def expand(raw: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """Expand *raw* as BuildKit's ProcessWord does with environment *env*.

    Unset variables expand to ''. Raises :class:`WordError` for bad syntax
    and for what fails with this environment (``${A?msg}`` with A unset, an
    invalid pattern coming from a variable).
    """
    if (
        "$" not in raw
        and "'" not in raw
        and '"' not in raw
        and escape not in raw
        and not raw.startswith(_BOM)
    ):
        # Nothing the lexer acts on (a variable, a quote, the escape character,
        # the BOM it drops): the word is its own value.
        _check_escape(escape)
        return raw
    return _eval(process_word(raw, escape), env)


# ---------------------------------------------------------------------------
# Legacy `ENV key value` -> `ENV key=value`
# ---------------------------------------------------------------------------


def _continues_name(name: str, ch: str) -> bool:
    """Would *ch* right after ``$name`` become part of the name?"""
    if _is_digit(name[0]):
        return _is_digit(ch)
    if name in _SPECIAL_PARAMS:
        return False
    return _is_name_char(ch)


def _starts_reference(ch: str) -> bool:
    """Would *ch* right after a bare ``$`` make it a variable reference?"""
    return ch == "{" or ch in _SPECIAL_PARAMS or _is_name_char(ch)


def _ref_text(source: str, following: str) -> str:
    """Source of a reference, braced when the next character would extend it."""
    if source.startswith("${") or not following:
        return source
    name = source[1:]
    if _continues_name(name, following):
        return "${" + name + "}"
    return source


def _double_quoted(items: list[tuple[bool, str]], esc: str) -> tuple[str, int]:
    """Render atoms (one character per literal item) inside double quotes.

    Returns the text and the number of escape characters it needed.
    """
    out: list[str] = ['"']
    added = 0
    last = len(items) - 1
    for i, (is_ref, text) in enumerate(items):
        nxt_ref, nxt = items[i + 1] if i < last else (False, "")
        if is_ref:
            out.append(_ref_text(text, "" if nxt_ref else nxt))
            continue
        if text == '"':
            needs_escape = True
        elif text == esc:
            # A lone escape character stays literal before an ordinary one.
            needs_escape = nxt_ref or not nxt or nxt in ('"', "$", esc)
        elif text == "$":
            needs_escape = nxt_ref or (bool(nxt) and _starts_reference(nxt))
        else:
            needs_escape = False
        if needs_escape:
            out.append(esc)
            added += 1
        out.append(text)
    out.append('"')
    return "".join(out), added


def _is_bare_safe(ch: str, esc: str) -> bool:
    return ch not in _GO_SPACE and ch not in "'\"$" and ch != esc


def _mixed(items: list[tuple[bool, str]], esc: str) -> str:
    """References left bare, literal runs bare or double-quoted as needed."""
    out: list[str] = []
    i = 0
    n = len(items)
    while i < n:
        is_ref, text = items[i]
        if is_ref:
            following = ""
            if i + 1 < n and not items[i + 1][0]:
                j = i + 1
                while j < n and not items[j][0]:
                    j += 1
                run = "".join(t for _, t in items[i + 1 : j])
                if all(_is_bare_safe(c, esc) for c in run):
                    following = run[0]
            out.append(_ref_text(text, following))
            i += 1
            continue
        j = i
        while j < n and not items[j][0]:
            j += 1
        run_items = items[i:j]
        if all(_is_bare_safe(t, esc) for _, t in run_items):
            out.append("".join(t for _, t in run_items))
        else:
            out.append(_double_quoted(run_items, esc)[0])
        i = j
    return "".join(out)


def _verified(key: str, candidate: str, want: Canon, escape: str) -> bool:
    text = key + "=" + candidate
    if "\n" in text or text.endswith(escape):
        return False  # would end or continue the Dockerfile line
    words = split_words(text, escape)
    if len(words) != 1 or words[0] != (text, 0, len(text)):
        return False
    try:
        return process_word(candidate, escape) == want
    except WordError:
        return False


def key_value_fix(key: str, value_raw: str, escape: str = "\\") -> str | None:
    """Rewrite a legacy ``key value`` argument as an equivalent ``key=value``.

    *key* is the first whitespace-separated part of the (trimmed) argument
    text and *value_raw* the rest after the first whitespace run, as
    BuildKit's parseNameVal splits a legacy ``ENV``/``LABEL`` line. Returns
    the replacement for the whole argument text: ``key=value_raw`` when that
    is already one word, else the value in double quotes (escaping only what
    has to be), or in single quotes when that needs no escapes where double
    quotes would. Every candidate is checked: it must split into exactly one
    word with this key, and its value must have the same canonical form as
    *value_raw*. Returns None when no candidate passes, when *value_raw* is
    itself rejected by BuildKit, or when the key would not survive the new
    form (empty, or containing ``=``, quotes or whitespace, or a ``--``
    flag prefix).
    """
    _check_escape(escape)
    if (
        not key
        or key.startswith("--")
        or any(c in "='\"" or c in _GO_SPACE for c in key)
    ):
        return None
    try:
        want, atoms = _process(value_raw, escape)
    except WordError:
        return None
    if _verified(key, value_raw, want, escape):
        return key + "=" + value_raw
    items: list[tuple[bool, str]] = []
    for is_ref, text in atoms:
        if is_ref:
            items.append((True, text))
        else:
            items.extend((False, c) for c in text)
    candidates: list[str] = []
    double, added = _double_quoted(items, escape)
    literal = "".join(t for _, t in items) if not any(r for r, _ in items) else None
    single = None
    if literal is not None and "'" not in literal:
        single = "'" + literal + "'"
    if single is not None and added:
        candidates.append(single)
    candidates.append(double)
    if single is not None and not added:
        candidates.append(single)
    candidates.append(_mixed(items, escape))
    for candidate in candidates:
        if _verified(key, candidate, want, escape):
            return key + "=" + candidate
    return None


def literal_word(value: str, escape: str = "\\") -> str | None:
    """A double-quoted word that BuildKit's lexer reads as exactly ``value``,
    with nothing to expand; None when no single-line spelling is proven.

    Inside double quotes the lexer removes the escape character before ``"``,
    ``$`` and the escape character itself; the result is checked by processing
    it again, and by the parser's word split (one word, no line end).
    """
    _check_escape(escape)
    quoted = "".join(escape + ch if ch in ('"', "$", escape) else ch for ch in value)
    candidate = f'"{quoted}"'
    text = "k=" + candidate
    if "\n" in text or "\r" in text:
        return None
    if split_words(text, escape) != [(text, 0, len(text))]:
        return None
    try:
        processed = process_word(candidate, escape)
    except WordError:
        return None
    want: Canon = (("lit", value),) if value else ()
    return candidate if processed == want else None
