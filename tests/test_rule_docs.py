"""Every rule's doc examples, run: the files of its "Example" make its hook
report the rule's code, and those of "Use instead" do not.

The examples say their setup in the doc itself (``_output/docs.py`` reads it):
each fenced block is a file, the Dockerfile's and the ignore file's by their
language, any other (``pyproject.toml``, ``compose.yaml``, a context file) by
its ``title``. The hook runs on every file of the tree its manifest entry
selects, from the tree's root, as pre-commit runs it, with ``--no-fix``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from contextrun import as_bytes, run_tree, write_tree

from python_docker_hooks._engine.files import selects
from python_docker_hooks._engine.registry import all_rules, hook_module
from python_docker_hooks._engine.rules import Rule
from python_docker_hooks._output.docs import (
    EXAMPLE,
    USE_INSTEAD,
    example_files,
    section_blocks,
)

RULES = all_rules()
# The languages of the blocks, for highlighting: the files a rule's setup needs.
LANGUAGES = {"dockerfile", "dockerignore", "toml", "yaml", "text"}


def codes_reported(
    rule: Rule,
    files: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> list[str]:
    """The codes the rule's hook reports on ``files``; the files left as they were."""
    module = hook_module(rule.hook)
    write_tree(tmp_path, files)
    checked = sorted(
        name for name in files if any(selects(kind, name) for kind in module.SPEC.kinds)
    )
    assert checked, f"{rule.code}: the example shows no file {rule.hook} reads"
    name = module.__name__.rpartition(".")[2]
    result = run_tree(name, tmp_path, capsys, monkeypatch, "--no-fix", *checked)
    assert result.code in (0, 1), result.lines
    assert {k: result.files[k] for k in files} == {k: as_bytes(v) for k, v in files.items()}
    return [line.split(" ")[1] for line in result.lines if ": PDH" in line]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_example_is_reported(
    rule: Rule,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    example, _ = example_files(rule.doc)
    assert rule.code in codes_reported(rule, example, tmp_path, capsys, monkeypatch)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_use_instead_is_not_reported(
    rule: Rule,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, instead = example_files(rule.doc)
    assert rule.code not in codes_reported(rule, instead, tmp_path, capsys, monkeypatch)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_examples_name_their_files(rule: Rule) -> None:
    """Each block is a file of a known language; the Dockerfile and the ignore
    file by their language, any other by a title (``section_blocks`` refuses a
    block that names no file)."""
    for title in (EXAMPLE, USE_INSTEAD):
        for language, name, text in section_blocks(rule.doc, title):
            assert language in LANGUAGES, (title, language)
            assert text.endswith("\n") and text.strip(), (title, name)
            assert not name.startswith("/") and ".." not in name.split("/"), name
