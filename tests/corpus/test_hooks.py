"""Every hook of the registry over every Dockerfile of the corpus, checking and fixing
(a plain run takes the sample of ``conftest.sample()``, which holds a finding and a
fix of every rule that has one in the corpus; ``pytest -m heavy`` the other files).

A fix is verified independently of the runner: the edits of each round are applied
here, byte for byte, and must give exactly the runner's output; BuildKit must read
every round's result with the same instructions except those the edits touched.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from python_docker_hooks._dockerfile.text import line_starts
from python_docker_hooks._engine.registry import hook_module
from python_docker_hooks._engine.runner import MAX_ROUNDS, Refusal, process
from python_docker_hooks._engine.vocabulary import FIX_SAFE, FIX_UNSAFE

if TYPE_CHECKING:
    from python_docker_hooks._engine.vocabulary import Edit, Finding

    from .conftest import Corpus

BOM = b"\xef\xbb\xbf"


def test_report_mode(corpus: Corpus, hook_id: str, corpus_file: str) -> None:
    entry = corpus.entry(corpus_file)
    result = corpus.run(hook_id, corpus_file, fix=False)
    if isinstance(result, Refusal):
        assert entry.refusal is not None, f"refused a file we parse: {result}"
        return
    assert entry.refusal is None, "a file our parse refuses was checked"
    assert not result.changed
    assert result.output is None
    codes = {r.code for r in hook_module(hook_id).RULES}
    nlines = entry.data.count(b"\n") + 1
    for f in result.findings:
        assert f.code in codes, f
        assert 1 <= f.line <= f.end_line <= nlines, f
        assert f.col >= 1, f
    corpus.figures["report runs"] += 1
    for f in result.findings:
        corpus.findings[f.code] += 1


def test_fix_mode(corpus: Corpus, hook_id: str, corpus_file: str) -> None:
    entry = corpus.entry(corpus_file)
    result = corpus.run(hook_id, corpus_file, fix=True)
    report = corpus.run(hook_id, corpus_file, fix=False)
    if isinstance(report, Refusal):
        assert isinstance(result, Refusal)
        return
    assert not isinstance(result, Refusal), (
        f"fix mode refused a file report mode read: {result}"
    )
    corpus.figures["fix runs"] += 1
    if not result.changed:
        assert result.output is None
        assert not _choose(report.findings), "fixable findings left unfixed"
        return
    assert result.output is not None
    corpus.figures["fixed"] += 1
    applied = verify_fix(
        corpus.buildkit, hook_id, corpus_file, entry.data, result.output
    )
    corpus.figures["fix verified"] += 1
    for code in applied:
        corpus.fixes[code] += 1


def verify_fix(
    buildkit: Any, hook_id: str, name: str, data: bytes, output: bytes
) -> list[str]:
    """Check the runner's fixed ``output`` of ``data``; return the codes fixed.

    It must converge, equal an independent replay of the fixes' edits (so no byte
    outside an edit changes), keep BOM, line endings and final newline, and every
    round must leave BuildKit's reading of the untouched instructions as it was.
    """
    module = hook_module(hook_id)
    again = process(output, name, [module.SPEC], unsafe=True)
    assert not again.changed, "fixes do not converge"

    bom = data.startswith(BOM)
    text = data[len(BOM) if bom else 0 :].decode("utf-8")
    applied: list[str] = []
    for _ in range(MAX_ROUNDS):
        current = (BOM if bom else b"") + text.encode("utf-8")
        findings = process(current, name, [module.SPEC], fix=False).findings
        chosen = _choose(findings)
        if not chosen:
            break
        edits = sorted(
            (e for f in chosen for e in _edits(f)), key=lambda e: (e.start, e.end)
        )
        new_text = _apply(text, edits)
        _check_buildkit(buildkit, text, new_text, edits)
        applied += [f.code for f in chosen]
        text = new_text
    else:
        raise AssertionError(f"replay did not converge in {MAX_ROUNDS} rounds")
    replayed = (BOM if bom else b"") + text.encode("utf-8")
    assert replayed == output, "the runner changed bytes outside the fixes' edits"
    _check_layout(data, output)
    return applied


def _edits(f: Finding) -> tuple[Edit, ...]:
    assert f.fix is not None
    return f.fix.edits


def _choose(findings: list[Finding]) -> list[Finding]:
    """The fixes one round applies: every safety level, first come, no overlaps
    (an insertion overlaps whatever edit touches its point)."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in findings:
        if (
            f.fix is None
            or f.fix.safety not in (FIX_SAFE, FIX_UNSAFE)
            or not f.fix.edits
        ):
            continue
        spans = [(e.start, e.end) for e in f.fix.edits]
        if any(_overlap(a, b) for a in spans for b in taken):
            continue
        taken += spans
        chosen.append(f)
    return chosen


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def _apply(text: str, edits: list[Edit]) -> str:
    parts: list[str] = []
    pos = 0
    for e in edits:
        assert pos <= e.start <= e.end <= len(text), f"edit out of order or range: {e}"
        parts += [text[pos : e.start], e.text]
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def _line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset)


def _view(cmd: Any) -> tuple[object, ...]:
    return (
        cmd.cmd,
        cmd.sub_cmd,
        cmd.json,
        cmd.original,
        cmd.flags,
        cmd.value,
        cmd.heredocs,
    )


def _check_buildkit(buildkit: Any, before: str, after: str, edits: list[Edit]) -> None:
    """BuildKit reads ``after`` with the instructions of ``before``: those no edit
    touches are the same, in the same order; none is lost or changes kind; the only
    new ones start inside inserted text."""
    old = tuple(buildkit.parse_string(before))
    try:
        new = tuple(buildkit.parse_string(after))
    except buildkit.GoParseError as exc:
        raise AssertionError(f"BuildKit rejects the fixed file: {exc}") from None
    old_starts, new_starts = line_starts(before), line_starts(after)
    old_touched: list[tuple[int, int]] = []
    new_regions: list[tuple[int, int]] = []
    shift = 0
    for e in edits:
        old_touched.append((_line_of(old_starts, e.start), _line_of(old_starts, e.end)))
        start = e.start + shift
        new_regions.append((start, start + len(e.text)))
        shift += len(e.text) - (e.end - e.start)
    new_touched = [
        (_line_of(new_starts, s), _line_of(new_starts, t)) for s, t in new_regions
    ]

    def touched(cmd: Any, spans: list[tuple[int, int]]) -> bool:
        return any(cmd.start_line <= b and a <= cmd.end_line for a, b in spans)

    def inserted(cmd: Any) -> bool:
        start = new_starts[cmd.start_line - 1]
        end = after.find("\n", start)
        line = after[start : len(after) if end == -1 else end]
        keyword_at = start + len(line) - len(line.lstrip())
        return any(s <= keyword_at < t for s, t in new_regions)

    kept_old = [_view(c) for c in old if not touched(c, old_touched)]
    kept_new = [_view(c) for c in new if not touched(c, new_touched)]
    assert kept_new == kept_old, "an instruction no edit touched changed"
    # The one kind a fix may change: label-maintainer (PDH701) rewrites a
    # deprecated MAINTAINER it touches as a LABEL, which then counts as inserted.
    kinds_old = [
        (c.cmd or "").upper()
        for c in old
        if not ((c.cmd or "").upper() == "MAINTAINER" and touched(c, old_touched))
    ]
    kinds_new = [(c.cmd or "").upper() for c in new if not inserted(c)]
    assert kinds_new == kinds_old, "a fix removed an instruction or changed its kind"


def _check_layout(before: bytes, after: bytes) -> None:
    """BOM, line-ending style and the (missing) final newline survive the fix."""
    assert after.startswith(BOM) == before.startswith(BOM), "BOM added or lost"
    assert after.endswith(b"\n") == before.endswith(b"\n"), (
        "final newline added or lost"
    )
    crlf, lf = before.count(b"\r\n"), before.count(b"\n")
    if lf and crlf == lf:
        assert after.count(b"\r\n") == after.count(b"\n"), "LF written into a CRLF file"
    if crlf == 0:
        assert b"\r\n" not in after, "CRLF written into an LF file"
