"""Bytes to text and back, refusing what cannot be round-tripped exactly.

Offsets everywhere in the project index the decoded text (BOM removed, line endings
kept as they are), so encoding the edited text and putting the BOM back changes no
byte outside an edit.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterator
    from typing import Any

BOM = b"\xef\xbb\xbf"


class DecodeError(ValueError):
    """The file is not text this project can edit safely; str() is the reason."""


def decode(data: bytes) -> tuple[str, bool]:
    """The text of ``data`` and whether it started with a UTF-8 BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError("UTF-16 encoded; only UTF-8 is supported")
    nul = data.find(b"\x00")
    if nul != -1:
        raise DecodeError(f"contains a NUL byte at offset {nul} (binary file?)")
    bom = data.startswith(BOM)
    if bom:
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(BOM) if bom else 0)
        raise DecodeError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {offset})"
        ) from None
    return text, bom


def encode(text: str, bom: bool) -> bytes:
    data = text.encode("utf-8")
    return BOM + data if bom else data


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (line n, 1-based, starts at result[n-1])."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


_ASCII_DIGITS = frozenset("0123456789")


def ascii_number(text: str, most: int = 12) -> int | None:
    """The number ``text`` writes in ASCII digits (leading zeros allowed), as Go's
    ``strconv`` and the Python servers read a port; None when it is empty,
    holds anything else (``str.isdigit`` also takes ``²``, which ``int``
    refuses), or has more than ``most`` significant digits (``int`` refuses
    over 4,300, and no port needs as many)."""
    if not text or not _ASCII_DIGITS.issuperset(text):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= most else None


def newline_of(text: str) -> str:
    """The file's line ending: that of its first line, else LF."""
    pos = text.find("\n")
    if pos > 0 and text[pos - 1] == "\r":
        return "\r\n"
    return "\n"


class LazyPattern:
    """A regular expression compiled when it is first used.

    For a pattern most runs never use (a Windows path, a Django address, a
    bake variable): compiling one costs about as much as importing a small
    module, and a run on one Dockerfile imports modules defining dozens."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            import re

            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if endpos is None:
            return self.compiled.match(string, pos)
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int | None = None
    ) -> re.Match[str] | None:
        if endpos is None:
            return self.compiled.fullmatch(string, pos)
        return self.compiled.fullmatch(string, pos, endpos)

    def search(self, string: str) -> re.Match[str] | None:
        return self.compiled.search(string)

    def findall(self, string: str) -> list[Any]:
        return self.compiled.findall(string)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str) -> str:
        return self.compiled.sub(repl, string)
