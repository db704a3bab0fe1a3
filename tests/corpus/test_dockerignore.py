"""The corpus's ``.dockerignore`` files, and its Dockerfiles in their real layout.

Every ignore file must read without an error (BuildKit reads them all). Then each
repository's files are put back at their real paths in a scratch tree (the corpus
holds the Dockerfiles and ignore files only, so no other file of the context
exists) and both context hooks run in report mode over every Dockerfile: all at
once, and (``pytest -m heavy``) one Dockerfile at a time.
"""

from __future__ import annotations

import collections
import os
from pathlib import Path

import pytest

from python_docker_hooks._dockerfile.text import decode
from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
from python_docker_hooks._engine import config as _config
from python_docker_hooks._engine.group import check_files
from python_docker_hooks._engine.runner import Options

from .conftest import CORPUS, MANIFEST

HOOK_IDS = ("dockerignore-entries", "copy-ignored-file")


def rows(kind: str) -> list[tuple[str, str, str]]:
    """(local file, repository, path in it) of the manifest's files of ``kind``."""
    if not MANIFEST.is_file():
        return []
    out = []
    for row in MANIFEST.read_text(encoding="utf-8").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 5 and cols[4] == kind:
            out.append((cols[0], cols[1], cols[3]))
    return out


IGNORE_FILES = rows("dockerignore")


@pytest.mark.skipif(not IGNORE_FILES, reason="real-world corpus not found")
@pytest.mark.parametrize("name", [r[0] for r in IGNORE_FILES], ids=lambda n: n[6:])
def test_ignore_file_reads_without_error(name: str) -> None:
    text, _ = decode((CORPUS / name).read_bytes())
    ignore = IgnoreFile(text)
    assert [(line.number, line.error) for line in ignore.errors] == []
    # The hooks' matcher and the pathspec class agree on paths the file is about.
    import pathspec

    import python_docker_hooks._dockerignore.patterns  # noqa: F401 - registers "dockerignore"

    spec = pathspec.PathSpec.from_lines("dockerignore", text.split("\n"))
    paths = {"x", "app/main.py", ".git/HEAD", "a/__pycache__/m.pyc", ".env", ".venv/x"}
    for line in ignore.patterns:
        base = (line.pattern or "").lstrip("!").replace("*", "x").replace("?", "x")
        if base and "[" not in base and base not in (".", "/"):
            paths.update({base, f"{base}/y", f"d/{base}"})
    for path in sorted(paths):
        assert ignore.decide(path)[0] is spec.match_file(path), path


def corpus_layout(root: Path) -> list[str]:
    """Put each repository's corpus files back at their paths under ``root``, each
    repository a git work tree; return the Dockerfiles' paths relative to ``root``."""
    layout = rows("dockerfile") + IGNORE_FILES
    dockerfiles: list[str] = []
    for local, repo, path in layout:
        target = root / repo.replace("/", "__") / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((CORPUS / local).read_bytes())
        if (local, repo, path) not in IGNORE_FILES:
            dockerfiles.append(str(target.relative_to(root)))
    for repo in {r for _, r, _ in layout}:
        (root / repo.replace("/", "__") / ".git").mkdir(exist_ok=True)
    return dockerfiles


def files_under(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.skipif(not IGNORE_FILES, reason="real-world corpus not found")
def test_context_hooks_over_the_corpus_layout(
    tmp_path: Path, summary_lines: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_docker_hooks._engine.registry import spec

    dockerfiles = corpus_layout(tmp_path)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    before = files_under(tmp_path)
    codes: collections.Counter[str] = collections.Counter()
    refused: set[str] = set()
    for hook_id in HOOK_IDS:
        # All at once: each ignore file is checked once, whatever leads to it.
        for result in check_files(dockerfiles, [spec(hook_id)], Options(fix=False)):
            assert result.internal_error is None, (result.path, result.internal_error)
            assert result.config_error is None
            if result.refusal is not None:
                refused.add(result.path)
            for f in result.findings:
                codes[f.code] += 1
    assert files_under(tmp_path) == before, "report mode wrote a file"
    ignores_present = sum(
        1 for p in tmp_path.rglob("*") if p.is_file() and p.name.endswith(".dockerignore")
    )
    summary_lines.append(
        f"dockerignore: {len(IGNORE_FILES)} corpus ignore files read without error; "
        f"{ignores_present} in the layout"
    )
    summary_lines.append(
        f"context hooks over {len(dockerfiles)} Dockerfiles: findings per code "
        + ", ".join(f"{c} {n}" for c, n in sorted(codes.items()))
        + f"; refused {len(refused)}"
    )
    from python_docker_hooks._engine.contexts import Resolver
    from python_docker_hooks._engine.group import read_dockerfile
    from python_docker_hooks._engine.runner import config_of

    resolver = Resolver(lambda p: config_of(p, Options(fix=False)), read_dockerfile)
    with_ignore = [
        d for d in dockerfiles if any(os.path.isfile(i) for i in resolver.ignore_files_of(d))
    ]
    summary_lines.append(
        f"  {len(with_ignore)} of the Dockerfiles have an ignore file in their context"
    )
    assert os.listdir(tmp_path)


@pytest.mark.heavy
@pytest.mark.skipif(not IGNORE_FILES, reason="real-world corpus not found")
def test_context_hooks_one_dockerfile_at_a_time(
    tmp_path: Path, summary_lines: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_docker_hooks._engine.registry import spec

    dockerfiles = corpus_layout(tmp_path)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    before = files_under(tmp_path)
    with_findings: dict[str, set[str]] = {h: set() for h in HOOK_IDS}
    for hook_id in HOOK_IDS:
        for dockerfile in dockerfiles:
            for result in check_files([dockerfile], [spec(hook_id)], Options(fix=False)):
                assert result.internal_error is None, (result.path, result.internal_error)
                assert result.config_error is None
                if result.findings:
                    with_findings[hook_id].add(dockerfile)
    assert files_under(tmp_path) == before, "report mode wrote a file"
    either = with_findings["dockerignore-entries"] | with_findings["copy-ignored-file"]
    summary_lines.append(
        f"context hooks one Dockerfile at a time, Dockerfiles with findings: "
        f"dockerignore-entries {len(with_findings['dockerignore-entries'])}, "
        f"copy-ignored-file {len(with_findings['copy-ignored-file'])}, "
        f"either {len(either)}"
    )
