"""Decoding refuses what cannot be written back byte for byte."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerfile.text import (
    DecodeError,
    decode,
    encode,
    line_starts,
    newline_of,
)


@pytest.mark.parametrize(
    ("data", "text", "bom"),
    [
        (b"FROM a\n", "FROM a\n", False),
        (b"\xef\xbb\xbfFROM a\r\n", "FROM a\r\n", True),
        (b"", "", False),
        ("FROM a\nLABEL x=\u00e9\n".encode(), "FROM a\nLABEL x=\u00e9\n", False),
    ],
)
def test_round_trip(data: bytes, text: str, bom: bool) -> None:
    assert decode(data) == (text, bom)
    assert encode(text, bom) == data


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"FROM a\nLABEL x=\xe9\n", "not valid UTF-8 (byte 0xe9 at offset 15)"),
        (b"\xef\xbb\xbfLABEL x=\xff", "not valid UTF-8 (byte 0xff at offset 11)"),
        (b"\xff\xfeF\x00", "UTF-16 encoded; only UTF-8 is supported"),
        (b"FROM a\x00\n", "contains a NUL byte at offset 6 (binary file?)"),
    ],
)
def test_refusals(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert str(info.value) == reason


def test_lines_and_newlines() -> None:
    assert line_starts("a\nbc\n") == [0, 2, 5]
    assert newline_of("a\r\nb\n") == "\r\n"
    assert newline_of("a\nb\r\n") == "\n"
    assert newline_of("a") == "\n"
