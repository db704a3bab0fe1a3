"""A second, independent oracle: the ``dockerfile-parse`` package (``structure``),
on every corpus file it can read.

What dockerfile-parse 2.0 does, from its ``DockerfileParser.structure`` (and so
where it cannot agree with BuildKit, which our parse follows):

- It splits the file on ``\\n`` and reads it line by line, with no heredocs: a
  heredoc body is read as instructions. Files with a heredoc are left out.
- A line whose first non-blank character is ``#`` is a comment, inside a
  continuation too (the continuation goes on), as in BuildKit.
- A line continues when it ends in the escape character followed by blanks. So
  a line ending in an escaped escape (``trailing\\\\``) continues, where BuildKit
  ends the instruction there.
- An empty or blank line ends a continued instruction (the next line starts a new
  one); BuildKit skips such lines and the instruction goes on.
- An instruction still continued at the end of the file is dropped.
- ``value`` is the text after the keyword, flags included, joined without a
  separator: each line with trailing blanks and one trailing escape character
  removed, leading blanks kept (the first line's are dropped after the keyword;
  the next line's when nothing came before). BuildKit's joined line removes the
  escape, the blanks after it and the newline, so the two joined texts are the
  same; our ``args`` is that text after the flags (and after a ``--`` that ends
  them, which dockerfile-parse keeps).

So on a file with none of the four cases above, the instruction list (keyword,
first and last line) and each value must agree with ours; on a file with one of
the last three, they must differ (the rules above are the whole difference).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction

    from .conftest import Corpus

dockerfile_parse = pytest.importorskip(
    "dockerfile_parse", reason="dockerfile-parse is in the 'test' extra"
)

_BLANKS = " \t\r\f\v"


def _has_heredoc(model: Dockerfile) -> bool:
    return any(
        i.heredocs or (i.sub is not None and i.sub.heredocs) for i in model.instructions
    )


def divergences(model: Dockerfile) -> set[str]:
    """Which of dockerfile-parse's departures from BuildKit this file meets."""
    found: set[str] = set()
    lines = model.text.split("\n")
    esc = model.escape
    for ins in model.instructions:
        if ins.open_ended:
            found.add("continued at the end of the file")
        inner = lines[ins.start_line : ins.end_line - 1]
        if any(not line.strip(_BLANKS) for line in inner):
            found.add("blank line inside a continuation")
    for line in lines:
        stripped = line.rstrip(_BLANKS)
        body = stripped.lstrip(_BLANKS)
        if body.startswith("#"):
            continue
        if stripped.endswith(esc * 2) and _ends_escaped(stripped, esc):
            found.add("line ends in an escaped escape")
    return found


def _ends_escaped(line: str, esc: str) -> bool:
    """The line ends in an even run of escape characters (the last one escaped)."""
    run = len(line) - len(line.rstrip(esc))
    return run > 0 and run % 2 == 0


def theirs(data: bytes) -> list[dict[str, object]]:
    parser = dockerfile_parse.DockerfileParser(fileobj=io.BytesIO(data))
    return [s for s in parser.structure if s["instruction"] != "COMMENT"]


def _value_agrees(value: str, ins: Instruction, text: str) -> bool:
    """dockerfile-parse's value is our flags' text, maybe ``--``, then our args."""
    if not value.endswith(ins.args):
        return False
    head = value[: len(value) - len(ins.args)].split()
    flags = [text[f.start : f.end] for f in ins.flags]
    return head in (flags, [*flags, "--"])


def test_dockerfile_parse_agrees(corpus: Corpus, corpus_file: str) -> None:
    entry = corpus.entry(corpus_file)
    if entry.model is None or _has_heredoc(entry.model):
        pytest.skip("refused by us, or has a heredoc (dockerfile-parse reads none)")
    model = entry.model
    structure = theirs(entry.data)
    listed = [
        (s["instruction"], int(str(s["startline"])) + 1, int(str(s["endline"])) + 1)
        for s in structure
    ]
    ours = [(i.keyword, i.start_line, i.end_line) for i in model.instructions]
    known = divergences(model)
    corpus.second_oracle["differ: " + ", ".join(sorted(known)) if known else "agree"] += 1
    if known:
        assert listed != ours, f"expected a difference ({', '.join(sorted(known))})"
        return
    assert listed == ours
    for s, ins in zip(structure, model.instructions):
        value = str(s["value"])
        assert _value_agrees(value, ins, model.text), (ins.start_line, value, ins.args)
