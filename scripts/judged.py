"""The judged snapshot of real findings: ``tests/corpus/judged.tsv``.

Every finding ``python-docker-hooks check --no-fix`` prints over the real-world
corpus (``../shared/corpus`` beside the project; the directory and each Dockerfile
its manifest lists, see ``run``) is a row: where it is, what it
says, and a verdict given by reading the Dockerfile lines behind it:

    tp         the finding is right about the file
    fp         the finding is wrong about the file (the rule misreads it)
    debatable  right by the rule's letter, but a careful reader could disagree

and a short reason. ``tests/corpus/test_judged.py`` holds each run equal to the
file, so any change in findings is a diff to review.

    python scripts/judged.py             # compare a run with the file; exit 1 on a change
    python scripts/judged.py --update    # rewrite the rows from a run
    python scripts/judged.py --counts    # verdicts per code

``--update`` keeps the verdict and reason of a row whose key (path, line, col,
code, message) is unchanged, and of a finding that only moved (same file, code
and message, on a line of the same text, or the only such message in the file:
a change elsewhere in a rule shifted where it reports). A finding whose message
alone changed gets verdict ``?`` with its old judgment in the reason (or keeps it,
with ``--keep-reworded CODES``, for a rewording that changes no verdict); every
new finding gets ``?``: the test fails until each is judged. Rows that are gone
are dropped and listed with the verdict they had.

A file the check cannot read is a row too, with code ``refused`` and the reason
printed for it.

The run judges end of life (PDH505) against a fixed date, ``TODAY``, through the
``today`` option of python-slim-base, so that the rows do not change with the
clock. Moving it forward is a change to review like any other: run ``--update``
and judge the rows it adds.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Container

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
JUDGED = ROOT / "tests" / "corpus" / "judged.tsv"
HEADER = ("path", "line", "col", "code", "message", "verdict", "reason")
VERDICTS = ("tp", "fp", "debatable")
UNJUDGED = "?"
REFUSED = "refused"
# The date end of life is judged against (python-slim-base's `today` option).
TODAY = "2026-12-06"


class Key(NamedTuple):
    """What the check printed: the part of a row a run must reproduce."""

    path: str
    line: int
    col: int
    code: str
    message: str


class Row(NamedTuple):
    key: Key
    verdict: str
    reason: str


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _unescape(text: str) -> str:
    out = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(nxt, "\\" + nxt))
        else:
            out.append(char)
    return "".join(out)


def sort_key(key: Key) -> tuple[str, int, int, str, str]:
    return (key.path, key.line, key.col, key.code, key.message)


# --- the run ----------------------------------------------------------------


def corpus_dockerfiles(corpus: Path) -> list[str]:
    """The Dockerfiles MANIFEST.tsv lists (``files/...``, relative to the root)."""
    manifest = corpus / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    out = []
    for row in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 5 and cols[4] == "dockerfile":
            out.append(cols[0])
    return out


def run(corpus: Path, today: str = TODAY) -> list[Key]:
    """The findings of ``check --no-fix`` over ``corpus``, run from its root so
    that every path (in a finding's place and in its message) is relative to it,
    with end of life judged on ``today``.

    The check is given the corpus directory and, by name, every Dockerfile of its
    manifest: most corpus names are flattened paths (``3.12__slim__Dockerfile``)
    that a directory walk does not take for Dockerfiles, so the walk alone checks
    about a quarter of them.
    """
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "pyproject.toml"
        config.write_text(
            f'[tool.python-docker-hooks.python-slim-base]\ntoday = "{today}"\n',
            encoding="utf-8",
        )
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "python_docker_hooks",
                "check",
                "--no-fix",
                "--format",
                "json",
                "--exit-zero",
                "--config",
                str(config),
                ".",
                *corpus_dockerfiles(corpus),
            ],
            cwd=corpus,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(
            f"check over {corpus} exited {proc.returncode}:\n{proc.stderr.strip()}"
        )
    keys = [
        Key(
            f["path"],
            int(f["line"]),
            int(f.get("column", f.get("col", 0))),
            f["code"],
            f["message"],
        )
        for f in json.loads(proc.stdout)
    ]
    # Files that could not be checked: one ``path: reason`` line each.
    for line in proc.stderr.splitlines():
        path, sep, reason = line.partition(": ")
        if not sep:
            raise RuntimeError(f"unexpected output of check over {corpus}: {line}")
        keys.append(Key(path, 0, 0, REFUSED, reason))
    return sorted(set(keys), key=sort_key)


def source_line(corpus: Path, key: Key) -> str | None:
    """The text of the line a finding points at (stripped), None when unreadable."""
    if key.line < 1:
        return None
    try:
        lines = (corpus / key.path).read_bytes().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    if key.line > len(lines):
        return None
    return lines[key.line - 1].strip()


# --- the file ---------------------------------------------------------------


def load(path: Path = JUDGED) -> list[Row]:
    """The rows of ``path``; ValueError naming the line for a malformed one."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise ValueError(f"{path}:1: expected the header {' '.join(HEADER)}")
    rows = []
    for number, text in enumerate(lines[1:], start=2):
        cols = text.split("\t")
        if len(cols) != len(HEADER):
            raise ValueError(
                f"{path}:{number}: expected {len(HEADER)} tab-separated columns"
            )
        try:
            line, col = int(cols[1]), int(cols[2])
        except ValueError:
            raise ValueError(f"{path}:{number}: line and col must be numbers") from None
        key = Key(cols[0], line, col, cols[3], _unescape(cols[4]))
        rows.append(Row(key, cols[5], _unescape(cols[6])))
    return rows


def dump(rows: list[Row], path: Path = JUDGED) -> None:
    out = ["\t".join(HEADER)]
    for row in sorted(rows, key=lambda r: sort_key(r.key)):
        k = row.key
        out.append(
            "\t".join(
                (
                    k.path,
                    str(k.line),
                    str(k.col),
                    k.code,
                    _escape(k.message),
                    row.verdict,
                    _escape(row.reason),
                )
            )
        )
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# --- comparing and carrying judgments over ------------------------------------


class Change(NamedTuple):
    new: list[Key]  # in the run, not in the file
    gone: list[Row]  # in the file, not in the run


def compare(keys: list[Key], rows: list[Row]) -> Change:
    known = {row.key for row in rows}
    found = set(keys)
    return Change(
        [k for k in keys if k not in known],
        [r for r in rows if r.key not in found],
    )


def _pairs(
    new: list[Key], old: list[Row], match: Callable[[Key], tuple[object, ...] | None]
) -> list[tuple[Key, Row]]:
    """New and old rows whose ``match`` is equal and unique on both sides (a
    ``None`` match never pairs)."""
    new_count = collections.Counter(match(k) for k in new)
    old_by: dict[tuple[object, ...], list[Row]] = collections.defaultdict(list)
    for row in old:
        m = match(row.key)
        if m is not None:
            old_by[m].append(row)
    pairs = []
    for k in new:
        m = match(k)
        if m is not None and new_count[m] == 1 and len(old_by.get(m, ())) == 1:
            pairs.append((k, old_by[m][0]))
    return pairs


def carry(
    keys: list[Key],
    rows: list[Row],
    corpus: Path,
    keep_reworded: Container[str] = (),
) -> tuple[list[Row], list[str]]:
    """The rows for a run, and a log of what was carried, reworded, new or gone.

    A row whose key is unchanged keeps its judgment. Of the rest, each new finding
    is paired with a gone row of the same file and code, when the pair is unique on
    both sides, by (in this order):

    - moved: the same message, on a line of the same text;
    - moved: the same message (the only one of its kind in the file);
    - reworded: the same line and column, another message.

    A moved finding keeps the judgment. A reworded one gets ``?`` and the old
    judgment in its reason, unless its code is in ``keep_reworded`` (a rewording
    judged not to change any verdict). Every other new finding gets ``?``.
    """
    by_key = {row.key: row for row in rows}
    change = compare(keys, rows)
    out = [by_key[k] for k in keys if k in by_key]
    log: list[str] = []
    new = list(change.new)
    gone = list(change.gone)
    stages: list[tuple[str, Callable[[Key], tuple[object, ...] | None]]] = [
        (
            "moved",
            lambda k: (
                None
                if (text := source_line(corpus, k)) is None
                else (k.path, k.code, k.message, text)
            ),
        ),
        ("moved", lambda k: (k.path, k.code, k.message)),
        ("reworded", lambda k: (k.path, k.code, k.line, k.col)),
    ]
    for kind, match in stages:
        for k, old in _pairs(new, gone, match):
            new.remove(k)
            gone.remove(old)
            if kind == "moved":
                out.append(Row(k, old.verdict, old.reason))
                log.append(f"moved    {_show(old.key)} -> line {k.line} col {k.col}")
            elif k.code in keep_reworded:
                out.append(Row(k, old.verdict, old.reason))
                log.append(f"reworded {_show(k)} (kept {old.verdict})")
            else:
                reason = f"was {old.verdict} for “{old.key.message}”: {old.reason}"
                out.append(Row(k, UNJUDGED, reason))
                log.append(f"reworded {_show(k)} (was {old.verdict})")
    for k in new:
        out.append(Row(k, UNJUDGED, ""))
        log.append(f"new      {_show(k)}")
    for row in gone:
        log.append(f"gone     {_show(row.key)} (was {row.verdict}: {row.reason})")
    return sorted(out, key=lambda r: sort_key(r.key)), log


def _show(key: Key) -> str:
    return f"{key.path}:{key.line}:{key.col}: {key.code} {key.message}"


def describe(change: Change) -> str:
    """A readable diff of a run against the file, as ``+`` and ``-`` lines."""
    lines = []
    if change.new:
        lines.append(f"new findings, each needs a verdict ({len(change.new)}):")
        lines += [f"+ {_show(k)}" for k in change.new]
    if change.gone:
        lines.append(f"findings gone ({len(change.gone)}):")
        lines += [
            f"- {_show(r.key)}  [was {r.verdict}: {r.reason}]" for r in change.gone
        ]
    return "\n".join(lines)


def problems(rows: list[Row]) -> list[str]:
    """Rows without a verdict or a reason, duplicates, and rows out of order."""
    out = []
    seen: set[Key] = set()
    for row in rows:
        if row.key in seen:
            out.append(f"duplicate row: {_show(row.key)}")
        seen.add(row.key)
        if row.verdict not in VERDICTS:
            out.append(
                f"verdict {row.verdict!r} (not one of {', '.join(VERDICTS)}): {_show(row.key)}"
            )
        elif not row.reason.strip():
            out.append(f"no reason: {_show(row.key)}")
    if [r.key for r in rows] != sorted((r.key for r in rows), key=sort_key):
        out.append("rows are not sorted by path, line, col, code, message")
    return out


def counts(rows: list[Row]) -> list[str]:
    """One line per code: its rows and how many of each verdict."""
    per: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for row in rows:
        per[row.key.code][row.verdict] += 1
    total: collections.Counter[str] = collections.Counter()
    out = []
    for code in sorted(per):
        total.update(per[code])
        out.append(f"{code}: {_tally(per[code])}")
    out.append(f"all: {_tally(total)}")
    return out


def _tally(counter: collections.Counter[str]) -> str:
    shown = [f"{v} {counter[v]}" for v in (*VERDICTS, UNJUDGED) if counter[v]]
    shown += [
        f"{v} {n}" for v, n in sorted(counter.items()) if v not in (*VERDICTS, UNJUDGED)
    ]
    return f"{sum(counter.values())} rows (" + ", ".join(shown) + ")"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--update", action="store_true", help="rewrite the rows from a run"
    )
    parser.add_argument("--counts", action="store_true", help="print verdicts per code")
    parser.add_argument(
        "--keep-reworded",
        default="",
        metavar="CODES",
        help="with --update: keep the judgments of findings of these codes "
        "(comma-separated) whose message alone changed",
    )
    args = parser.parse_args(argv)
    rows = load() if JUDGED.is_file() else []
    if args.counts:
        print("\n".join(counts(rows)))
        return 0
    if not (args.corpus / "MANIFEST.tsv").is_file():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    keys = run(args.corpus)
    if args.update:
        keep = {c.strip() for c in args.keep_reworded.split(",") if c.strip()}
        new_rows, log = carry(keys, rows, args.corpus, keep)
        dump(new_rows)
        print("\n".join(log) if log else "no change")
        unjudged = sum(r.verdict == UNJUDGED for r in new_rows)
        print(
            f"{len(new_rows)} rows written to {JUDGED.relative_to(ROOT)}; {unjudged} to judge"
        )
        return 0
    change = compare(keys, rows)
    if change.new or change.gone:
        print(describe(change))
        return 1
    bad = problems(rows)
    print("\n".join(bad) if bad else f"{len(rows)} rows, the same as the run")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
