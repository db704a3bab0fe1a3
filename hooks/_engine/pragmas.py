"""Suppression comments: our own pragmas and hadolint's, for one instruction or a file.

Only whole comment lines count: in a Dockerfile, text after an instruction
(``RUN x  # noqa``) belongs to the instruction, so the caller passes the comment
lines it found and the span of every instruction.
"""

from __future__ import annotations

import re
from bisect import bisect_right

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

TOOL = "python-docker-hooks"
HADOLINT = "hadolint"

SCOPE_NEXT = "next"
SCOPE_GLOBAL = "global"

# Commas and/or blanks separate the codes of our pragma; a ``--`` word ends them
# (the rest of the line is the reason).
_CODE_SEPARATORS = re.compile(r"[\s,]+")
_REASON = "--"
# hadolint's pragma grammar (``src/Hadolint/Pragma.hs``): blanks are space and
# tab only, keywords are lower case, a code is made of ``DLSC0123456789``, codes
# are separated by commas, each may be followed by ``# comment``, and nothing
# else may follow (``parseMaybe``).
_HADOLINT_BLANKS = " \t"
_HADOLINT_SPACES = re.compile(r"[ \t]*")
_HADOLINT_CODE = re.compile(r"[DLSC0-9]+")


class Pragma:
    """One suppression comment: which codes, for the next instruction or the file."""

    __slots__ = ("codes", "line", "scope", "tool")

    def __init__(
        self, line: int, scope: str, codes: tuple[str, ...], tool: str
    ) -> None:
        self.line = line
        self.scope = scope
        self.codes = codes
        self.tool = tool

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pragma) and (
            (self.line, self.scope, self.codes, self.tool)
            == (other.line, other.scope, other.codes, other.tool)
        )

    def __hash__(self) -> int:
        return hash((self.line, self.scope, self.codes, self.tool))

    def __repr__(self) -> str:
        return f"Pragma({self.line}, {self.scope!r}, {self.codes!r}, {self.tool!r})"


def _after_word(text: str, word: str) -> str | None:
    """``text`` after a leading case-insensitive ``word`` and the blanks after it.

    None when ``text`` does not start with ``word`` or the word runs on into
    more letters (``globalignore`` is not ``global`` then ``ignore``).
    """
    if text[: len(word)].lower() != word:
        return None
    rest = text[len(word) :]
    if rest[:1].isalnum() or rest[:1] in ("-", "_"):
        return None
    return rest.lstrip()


def _normalize_code(token: str) -> str:
    # Rule-style codes (letters then digits) are written in upper case by every
    # tool, so ``pdh101`` means PDH101; BuildKit check names keep their case.
    letters = token.rstrip("0123456789")
    if letters and letters != token and letters.isalpha():
        return token.upper()
    return token


def parse_pragma(line: int, text: str) -> Pragma | None:
    """The pragma a comment line holds, or None when it holds none.

    Ours: ``# python-docker-hooks: [global] ignore=CODES [-- reason]``, keywords
    in any case, blanks allowed around ``:`` and ``=``, codes separated by commas
    and/or blanks; a ``--`` word ends the codes, and what follows is the reason.
    hadolint's: ``# hadolint [global] ignore=CODES``, read as hadolint reads it
    (:func:`_hadolint_pragma`).
    """
    rest = text.strip()
    if not rest.startswith("#"):
        return None
    after = _after_word(rest[1:].lstrip(), TOOL)
    if after is None:
        return _hadolint_pragma(line, rest[1:])
    if after.startswith(":"):
        after = after[1:].lstrip()
    scope = SCOPE_NEXT
    body = _after_word(after, "global")
    if body is None:
        body = after
    else:
        scope = SCOPE_GLOBAL
    listing = _after_word(body, "ignore")
    if listing is None or not listing.startswith("="):
        return None
    tokens: list[str] = []
    for token in _CODE_SEPARATORS.split(listing[1:]):
        if token == _REASON:
            break
        if token:
            tokens.append(_normalize_code(token))
    if not tokens:
        return None
    return Pragma(line, scope, tuple(tokens), TOOL)


def _hadolint_pragma(line: int, comment: str) -> Pragma | None:
    """hadolint's pragma in the text after ``#``, as its parser reads it: one
    that does not parse as a whole is no pragma at all."""
    text = comment.rstrip("\r\n").lstrip(_HADOLINT_BLANKS)
    if not text.startswith("hadolint"):
        return None
    rest = text[len("hadolint") :]
    after = rest.lstrip(_HADOLINT_BLANKS)
    if after == rest:
        return None  # ``spaces1``
    scope = SCOPE_NEXT
    if after.startswith("global"):
        rest = after[len("global") :]
        after = rest.lstrip(_HADOLINT_BLANKS)
        if after == rest:
            return None
        scope = SCOPE_GLOBAL
    if not after.startswith("ignore"):
        return None
    after = after[len("ignore") :].lstrip(_HADOLINT_BLANKS)
    if not after.startswith("="):
        return None
    spaces = _HADOLINT_SPACES
    pos = _end(spaces.match(after, 1))
    codes: list[str] = []
    while True:
        m = _HADOLINT_CODE.match(after, pos)
        if m is None:
            return None
        codes.append(m.group())
        pos = _end(spaces.match(after, m.end()))
        if after.startswith("#", pos):
            pos = len(after)  # an inline comment runs to the end of the line
        if pos == len(after):
            return Pragma(line, scope, tuple(codes), HADOLINT)
        if not after.startswith(",", pos):
            return None
        pos = _end(spaces.match(after, pos + 1))


def _end(match: re.Match[str] | None) -> int:
    assert match is not None  # the pattern matches the empty string
    return match.end()


class Suppressions:
    """Which findings the file's pragmas silence, and what was wrong with them."""

    __slots__ = ("_spans", "_starts", "global_codes", "warnings")

    def __init__(self) -> None:
        self.global_codes: set[str] = set()
        # Covered instructions, sorted by start line: starts for bisecting,
        # spans as (start, end, codes).
        self._starts: list[int] = []
        self._spans: list[tuple[int, int, set[str]]] = []
        self.warnings: list[tuple[int, str]] = []

    def is_suppressed(self, code: str, line: int) -> bool:
        """Whether a finding of ``code`` whose first line is ``line`` is silenced."""
        if code in self.global_codes:
            return True
        index = bisect_right(self._starts, line) - 1
        if index < 0:
            return False
        _, end, codes = self._spans[index]
        return line <= end and code in codes

    def __repr__(self) -> str:
        spans = [(s, e, sorted(c)) for s, e, c in self._spans]
        return (
            f"Suppressions(global={sorted(self.global_codes)!r}, next={spans!r}, "
            f"warnings={self.warnings!r})"
        )


def build_suppressions(
    comments: Iterable[tuple[int, str]],
    instruction_lines: Sequence[tuple[int, int]],
    resolve: Callable[[str], tuple[str, ...]],
) -> Suppressions:
    """Suppressions from whole comment lines and the (start, end) of each instruction.

    ``resolve`` maps a code or another tool's code to our codes; it is called
    only when a pragma exists, since knowing every rule is costly.
    """
    result = Suppressions()
    pragmas = [p for p in (parse_pragma(n, t) for n, t in comments) if p is not None]
    if not pragmas:
        return result
    spans = sorted(instruction_lines)
    starts = [start for start, _ in spans]
    resolved: dict[str, tuple[str, ...]] = {}
    covered: dict[tuple[int, int], set[str]] = {}
    for pragma in pragmas:
        ours: list[str] = []
        for code in pragma.codes:
            if code not in resolved:
                resolved[code] = resolve(code)
            found = resolved[code]
            if pragma.tool == HADOLINT:
                # hadolint knows only its own codes; ours in its pragma mean nothing.
                ours.extend(c for c in found if c != code)
            elif found:
                ours.extend(found)
            else:
                result.warnings.append(
                    (pragma.line, f"unknown code {code!r} in {TOOL} pragma")
                )
        if pragma.scope == SCOPE_GLOBAL:
            result.global_codes.update(ours)
            continue
        index = bisect_right(starts, pragma.line)
        target = spans[index] if index < len(spans) else None
        if target is None:
            if pragma.tool == TOOL:
                result.warnings.append(
                    (pragma.line, f"{TOOL} pragma is not followed by an instruction")
                )
            continue
        if ours:
            covered.setdefault(target, set()).update(ours)
    for start, end in sorted(covered):
        result._starts.append(start)
        result._spans.append((start, end, covered[start, end]))
    return result
