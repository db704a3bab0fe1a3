"""The aggregate hook against the per-concern hooks run one after another.

On every Dockerfile of the corpus (``../shared/corpus``, or the directory given),
times ``python-docker-hooks --no-fix FILES`` against each per-concern hook script
run on the same files in turn, as pre-commit runs them. Runs alternate, the
medians and their ratio are printed. Run: ``python benchmarks/aggregate.py [--runs N]
[CORPUS]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)
from hooks._engine.registry import AGGREGATE, HOOKS


def dockerfiles(corpus: str) -> list[str]:
    """The Dockerfiles the corpus manifest lists."""
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh][1:]
    return [os.path.join(corpus, r[0]) for r in rows if len(r) >= 5 and r[4] == "dockerfile"]


def run(commands: list[list[str]]) -> float:
    start = time.perf_counter()
    for argv in commands:
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus", nargs="?", default=os.path.join(ROOT, "..", "shared", "corpus")
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.corpus, "MANIFEST.tsv")):
        print(f"{args.corpus}: no corpus here", file=sys.stderr)
        return 2
    files = dockerfiles(args.corpus)
    aggregate = [[sys.executable, "-m", "hooks._cli", "--no-fix", *files]]
    separate = [
        [sys.executable, "-m", f"hooks.{module}", "--no-fix", *files]
        for module in HOOKS.values()
    ]
    run(aggregate)
    run(separate)  # warm the byte-code cache and the page cache
    together, apart = [], []
    for _ in range(args.runs):
        together.append(run(aggregate))
        apart.append(run(separate))
    a, s = statistics.median(together), statistics.median(apart)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"files: {len(files)} Dockerfiles; hooks: {len(HOOKS)}; runs: {args.runs}")
    print(f"{AGGREGATE} (one process): {a:.2f} s")
    print(f"{len(HOOKS)} hooks one after another: {s:.2f} s")
    print(f"ratio: {a / s:.2f}x the time ({s / a:.1f}x faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
