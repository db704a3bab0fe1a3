"""How long one hook takes on one file, against a bare ``python -c pass``.

The budget: a hook checking one file finishes within 2.5x of the bare interpreter.
Run: ``python benchmarks/startup.py [--runs N] [FILE]``. Byte-code caching is
turned on for the measurement (as in an installed package) and warmed up first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from hooks._engine.registry import HOOKS

SAMPLE = """\
FROM python:3.12-slim
LABEL maintainer="team@example.com"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY requirements.txt .
RUN python -m pip install --no-cache-dir -r requirements.txt
WORKDIR /app
COPY . /app
RUN adduser -u 5678 --disabled-password --gecos "" appuser && chown -R appuser /app
USER appuser
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file
        if path is None:
            path = os.path.join(tmp, "Dockerfile")
            with open(path, "w") as fh:
                fh.write(SAMPLE)
        base = timed([sys.executable, "-c", "pass"], env, args.runs)
        print(f"python -c pass: {base:.1f} ms")
        worst = 0.0
        for hook, name in HOOKS.items():
            module = f"hooks.{name}"
            argv = [sys.executable, "-m", module, "--no-fix", path]
            timed(argv, env, 2)  # warm the byte-code cache
            ms = timed(argv, env, args.runs)
            worst = max(worst, ms / base)
            print(f"{hook}: {ms:.1f} ms ({ms / base:.2f}x)")
        print(f"worst ratio: {worst:.2f}x (budget 2.5x)")
        return 0 if worst <= 2.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
