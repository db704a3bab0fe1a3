"""Corpus harness: the real-world Dockerfiles of ``../shared/corpus``, read in place.

``corpus_file`` is parametrized over the manifest's Dockerfiles and ``hook_id`` over
the hook registry, so files and hooks added later are covered without new test code.
Each file is read, decoded and parsed (by us and by BuildKit) once per session, each
hook runs once per file and mode, and a summary of the figures is printed at the end.

The per-hook tests (``corpus_file`` with ``hook_id``) run on ``sample()`` in the
default profile; the other files carry the ``heavy`` marker (``pytest -m heavy``).
"""

from __future__ import annotations

import collections
import functools
import importlib
from pathlib import Path
from typing import Any

import pytest

from python_docker_hooks._dockerfile.parse import Dockerfile, ParseError, parse
from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine.registry import HOOKS, hook_module
from python_docker_hooks._engine.runner import FileResult, Refusal, process

PROJECT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT.parent / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"
ABSENT = (
    f"real-world corpus not found at {CORPUS} (it lives beside the project, in "
    "../shared/corpus, and is not part of a clone)"
)

# Corpus files on which our parse is known to differ from BuildKit's, each with the
# bug behind it (see test_known_bugs.py). The entries are strict xfails: once the
# parse agrees, the test reports XPASS as a failure and the entry must go.
KNOWN_PARSE_DIFFERENCES: dict[str, str] = {}


def dockerfiles() -> list[str]:
    """The manifest's Dockerfiles (``files/...`` paths), or [] without a corpus."""
    if not MANIFEST.is_file():
        return []
    rows = MANIFEST.read_text(encoding="utf-8").splitlines()
    out = []
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) >= 5 and cols[4] == "dockerfile":
            out.append(cols[0])
    return out


# Every SAMPLE_STRIDE-th Dockerfile of the manifest is in the sample.
SAMPLE_STRIDE = 16


@functools.cache
def sample() -> frozenset[str]:
    """The Dockerfiles a plain run checks hook by hook: every ``SAMPLE_STRIDE``-th
    of the manifest, and for each rule the first file it reports a finding on and
    the first it offers a fix on, and the first file we refuse; a file on which a
    hook raises is taken too, so that its test shows the error."""
    files = dockerfiles()
    chosen = set(files[::SAMPLE_STRIDE])
    seen: set[tuple[str, bool]] = set()
    refused = False
    specs = [hook_module(hook_id).SPEC for hook_id in HOOKS]
    for name in files:
        try:
            result = process((CORPUS / name).read_bytes(), name, specs, fix=False)
        except Exception:  # noqa: BLE001 - the file's own tests show the error
            chosen.add(name)
            continue
        if result.refusal is not None and not refused:
            refused = True
            chosen.add(name)
        for f in result.findings:
            for key in ((f.code, False), (f.code, f.fix is not None)):
                if key not in seen:
                    seen.add(key)
                    chosen.add(name)
    return frozenset(chosen)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "corpus_file" in metafunc.fixturenames:
        files = dockerfiles()
        sampled = "hook_id" in metafunc.fixturenames
        params: list[Any] = []
        for name in files:
            marks = []
            known = KNOWN_PARSE_DIFFERENCES.get(name)
            if known and metafunc.function.__name__ == "test_parse_matches_buildkit":
                marks.append(pytest.mark.xfail(strict=True, reason=known))
            if sampled and name not in sample():
                marks.append(pytest.mark.heavy)
            params.append(
                pytest.param(name, id=name.removeprefix("files/"), marks=marks)
            )
        if not params:
            params = [
                pytest.param("", id="no-corpus", marks=pytest.mark.skip(reason=ABSENT))
            ]
        metafunc.parametrize("corpus_file", params)
    if "hook_id" in metafunc.fixturenames:
        metafunc.parametrize("hook_id", list(HOOKS))


class Entry:
    """One corpus file: its bytes, our decode and parse, BuildKit's parse."""

    __slots__ = (
        "name",
        "data",
        "utf8",
        "model",
        "refusal",
        "buildkit",
        "buildkit_error",
    )

    def __init__(self, name: str, data: bytes, buildkit: Any) -> None:
        self.name = name
        self.data = data
        # What BuildKit's str interface is given; None when the bytes are not UTF-8.
        self.utf8: str | None
        try:
            self.utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            self.utf8 = None
        self.model: Dockerfile | None = None
        self.refusal: DecodeError | ParseError | None = None
        try:
            text, _ = decode(data)
            self.model = parse(text)
        except (DecodeError, ParseError) as exc:
            self.refusal = exc
        # BuildKit's commands, or None with the reason it rejects the file.
        self.buildkit: tuple[Any, ...] | None = None
        self.buildkit_error: str | None = None
        if self.utf8 is not None:
            try:
                self.buildkit = tuple(buildkit.parse_string(self.utf8))
            except buildkit.GoParseError as exc:
                self.buildkit_error = str(exc)


class Corpus:
    """Session cache of corpus entries and hook runs, and the figures for the summary."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.buildkit: Any = importlib.import_module("dockerfile")
        self._entries: dict[str, Entry] = {}
        self._runs: dict[tuple[str, str, bool], FileResult | Refusal] = {}
        self.figures: collections.Counter[str] = collections.Counter()
        self.refusals: collections.Counter[str] = collections.Counter()
        self.findings: collections.Counter[str] = collections.Counter()
        self.fixes: collections.Counter[str] = collections.Counter()
        # dockerfile-parse against our parse: files that agree, or differ for a
        # known reason (test_dockerfile_parse.py).
        self.second_oracle: collections.Counter[str] = collections.Counter()

    def entry(self, name: str) -> Entry:
        found = self._entries.get(name)
        if found is None:
            found = Entry(name, (self.root / name).read_bytes(), self.buildkit)
            self._entries[name] = found
        return found

    def run(self, hook_id: str, name: str, *, fix: bool) -> FileResult | Refusal:
        """One hook over one file (fix mode applies unsafe fixes too); cached.

        A refused file comes back as a Refusal; any exception propagates.
        """
        key = (hook_id, name, fix)
        found = self._runs.get(key)
        if found is None:
            module = hook_module(hook_id)
            data = self.entry(name).data
            result = process(data, name, [module.SPEC], fix=fix, unsafe=True)
            found = result if result.refusal is None else Refusal(result.refusal)
            self._runs[key] = found
        return found


_KEY = pytest.StashKey[Corpus]()
_LINES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def corpus(request: pytest.FixtureRequest) -> Corpus:
    if not MANIFEST.is_file():
        pytest.skip(ABSENT)
    try:
        importlib.import_module("dockerfile")
    except ImportError:
        pytest.skip(
            "BuildKit's parser (package `dockerfile`, in the 'test' extra) is missing"
        )
    found = request.config.stash.get(_KEY, None)
    if found is None:
        found = Corpus(CORPUS)
        request.config.stash[_KEY] = found
    return found


@pytest.fixture(scope="session")
def summary_lines(request: pytest.FixtureRequest) -> list[str]:
    """Lines other corpus tests add to the end-of-session summary."""
    return request.config.stash.setdefault(_LINES, [])


def pytest_terminal_summary(
    terminalreporter: Any, exitstatus: int, config: pytest.Config
) -> None:
    corpus = config.stash.get(_KEY, None)
    extra = config.stash.get(_LINES, [])
    if corpus is None and not extra:
        return
    write = terminalreporter.write_line
    terminalreporter.section("real-world corpus")
    if corpus is not None:
        fig = corpus.figures
        write(f"corpus: {corpus.root}")
        write(
            f"files checked against BuildKit: {fig['files']}; BuildKit accepts "
            f"{fig['accepted']}, same reading on {fig['agreement']}; we refuse "
            f"{fig['refused']} (BuildKit rejects {fig['rejected']}, not UTF-8 {fig['not utf-8']})"
        )
        for reason, count in sorted(corpus.refusals.items()):
            write(f"  refused {count}x: {reason}")
        write(
            f"hook runs: report {fig['report runs']}, fix {fig['fix runs']} (unsafe fixes on)"
        )
        write("findings per code: " + _counts(corpus.findings))
        write("fixes applied per code: " + _counts(corpus.fixes))
        write(
            f"fixed (hook, file) runs: {fig['fixed']}; verified (converged, bytes outside "
            f"edits kept, BuildKit reads the untouched instructions alike): {fig['fix verified']}"
        )
        if corpus.second_oracle:
            write(
                "dockerfile-parse on files without heredocs: "
                + "; ".join(f"{k} {n}" for k, n in sorted(corpus.second_oracle.items()))
            )
    for line in extra:
        write(line)


def _counts(counter: collections.Counter[str]) -> str:
    return ", ".join(f"{code} {n}" for code, n in sorted(counter.items())) or "none"
