"""The judged snapshot: ``check --no-fix`` over the corpus prints exactly the rows of
``tests/corpus/judged.tsv``, each judged by hand (``scripts/judged.py``).

A new finding fails the run until it has a verdict; a finding that is gone fails it
until its row is dropped (``python scripts/judged.py --update`` does both and keeps
every judgment it can). The rows' verdicts per code are printed with the corpus
summary.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import ABSENT, CORPUS, MANIFEST, PROJECT

if TYPE_CHECKING:
    from types import ModuleType

SCRIPT = PROJECT / "scripts" / "judged.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("judged", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("judged", module)
    spec.loader.exec_module(module)
    return module


judged = _load_script()

UPDATE = (
    "run `python scripts/judged.py --update`, then give each `?` row a verdict "
    "(tp, fp or debatable) and a reason in tests/corpus/judged.tsv"
)


def test_every_row_is_judged() -> None:
    rows = judged.load()
    assert rows, "tests/corpus/judged.tsv has no rows"
    bad = judged.problems(rows)
    if bad:
        pytest.fail("\n".join(bad) + "\n" + UPDATE, pytrace=False)


def test_corpus_run_equals_the_judged_rows(summary_lines: list[str]) -> None:
    if not MANIFEST.is_file():
        pytest.skip(ABSENT)
    rows = judged.load()
    change = judged.compare(judged.run(CORPUS), rows)
    summary_lines.append("judged findings (tests/corpus/judged.tsv), per code:")
    summary_lines.extend("  " + line for line in judged.counts(rows))
    if change.new or change.gone:
        pytest.fail(
            "check --no-fix over the corpus differs from tests/corpus/judged.tsv:\n"
            + judged.describe(change)
            + "\n"
            + UPDATE,
            pytrace=False,
        )


# --- the script's own behaviour, on a corpus made up here ---------------------


def _key(path: str, line: int, code: str, message: str, col: int = 1) -> Any:
    return judged.Key(path, line, col, code, message)


@pytest.fixture
def made_up(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12\nRUN pip install flask\nCMD python app.py\n", encoding="utf-8"
    )
    return tmp_path


def test_update_keeps_judgments_of_unchanged_rows_and_marks_new_ones(
    made_up: Path,
) -> None:
    kept = judged.Row(_key("Dockerfile", 1, "PDH511", "no USER"), "tp", "runs as root")
    new = _key("Dockerfile", 3, "PDH621", "shell form")
    rows, log = judged.carry([kept.key, new], [kept], made_up)
    assert rows == [kept, judged.Row(new, "?", "")]
    assert log == ["new      Dockerfile:3:1: PDH621 shell form"]


def test_update_keeps_the_judgment_of_a_finding_that_moved_to_a_line_of_the_same_text(
    made_up: Path,
) -> None:
    (made_up / "Dockerfile").write_text(
        "FROM python:3.12\nRUN true\nRUN true\n", encoding="utf-8"
    )
    old = judged.Row(_key("Dockerfile", 2, "PDH999", "m", col=1), "fp", "why")
    moved = _key("Dockerfile", 3, "PDH999", "m", col=5)
    rows, log = judged.carry([moved], [old], made_up)
    assert rows == [judged.Row(moved, "fp", "why")]
    assert log == ["moved    Dockerfile:2:1: PDH999 m -> line 3 col 5"]


def test_update_keeps_the_judgment_of_the_only_finding_of_its_message_in_a_file(
    made_up: Path,
) -> None:
    old = judged.Row(_key("Dockerfile", 1, "PDH511", "no USER"), "tp", "root")
    moved = _key("Dockerfile", 3, "PDH511", "no USER")
    rows, log = judged.carry([moved], [old], made_up)
    assert rows == [judged.Row(moved, "tp", "root")]
    assert log == ["moved    Dockerfile:1:1: PDH511 no USER -> line 3 col 1"]


def test_update_does_not_guess_between_findings_of_one_message_on_other_lines(
    made_up: Path,
) -> None:
    old = [
        judged.Row(_key("Dockerfile", 1, "PDH101", "m"), "tp", "a"),
        judged.Row(_key("Dockerfile", 2, "PDH101", "m"), "fp", "b"),
    ]
    new = [
        _key("Dockerfile", 3, "PDH101", "m", col=1),
        _key("Dockerfile", 3, "PDH101", "m", col=9),
    ]
    rows, log = judged.carry(new, old, made_up)
    assert rows == [judged.Row(k, "?", "") for k in new]
    assert log == [
        "new      Dockerfile:3:1: PDH101 m",
        "new      Dockerfile:3:9: PDH101 m",
        "gone     Dockerfile:1:1: PDH101 m (was tp: a)",
        "gone     Dockerfile:2:1: PDH101 m (was fp: b)",
    ]


def test_update_asks_again_for_a_reworded_finding_and_shows_the_old_judgment(
    made_up: Path,
) -> None:
    old = judged.Row(_key("Dockerfile", 3, "PDH621", "old words"), "fp", "exec form")
    reworded = _key("Dockerfile", 3, "PDH621", "new words")
    rows, log = judged.carry([reworded], [old], made_up)
    assert rows == [
        judged.Row(reworded, "?", "was fp for “old words”: exec form"),
    ]
    assert log == ["reworded Dockerfile:3:1: PDH621 new words (was fp)"]


def test_update_keeps_a_reworded_judgment_for_the_codes_named(made_up: Path) -> None:
    old = judged.Row(_key("Dockerfile", 3, "PDH702", "old words"), "tp", "no label")
    reworded = _key("Dockerfile", 3, "PDH702", "new words")
    rows, log = judged.carry([reworded], [old], made_up, keep_reworded={"PDH702"})
    assert rows == [judged.Row(reworded, "tp", "no label")]
    assert log == ["reworded Dockerfile:3:1: PDH702 new words (kept tp)"]


def test_tabs_and_newlines_in_a_message_survive_the_file(tmp_path: Path) -> None:
    row = judged.Row(_key("a\\b", 1, "PDH1", "x\ty\nz\\n"), "tp", "r\tq")
    target = tmp_path / "judged.tsv"
    judged.dump([row], target)
    assert judged.load(target) == [row]


def test_problems_name_unjudged_unreasoned_duplicate_and_unsorted_rows() -> None:
    a = judged.Row(_key("b", 1, "PDH1", "m"), "?", "")
    b = judged.Row(_key("a", 1, "PDH1", "m"), "tp", " ")
    assert judged.problems([a, b, b]) == [
        "verdict '?' (not one of tp, fp, debatable): b:1:1: PDH1 m",
        "no reason: a:1:1: PDH1 m",
        "duplicate row: a:1:1: PDH1 m",
        "no reason: a:1:1: PDH1 m",
        "rows are not sorted by path, line, col, code, message",
    ]


def test_the_diff_names_new_and_gone_findings() -> None:
    gone = judged.Row(_key("Dockerfile", 2, "PDH611", "m"), "fp", "why")
    new = _key("Dockerfile", 4, "PDH611", "m")
    change = judged.compare([new], [gone])
    assert judged.describe(change) == (
        "new findings, each needs a verdict (1):\n"
        "+ Dockerfile:4:1: PDH611 m\n"
        "findings gone (1):\n"
        "- Dockerfile:2:1: PDH611 m  [was fp: why]"
    )


def test_the_run_judges_end_of_life_on_the_pinned_date(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.10-slim-bookworm\nCMD ["python", "-m", "app"]\n',
        encoding="utf-8",
    )
    before = judged.run(tmp_path, today="2026-10-30")
    after = judged.run(tmp_path, today="2026-11-01")
    assert [k.code for k in after if k not in before] == ["PDH505"]
    assert all(k.path == "Dockerfile" or k.path == ".dockerignore" for k in after)
