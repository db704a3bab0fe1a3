"""``--format json``: one array, one object per finding, with the documented keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import FLAWED, cli

URL = "https://github.com/python-docker-hooks/python-docker-hooks/blob/main/docs/rules/"


def test_json_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    run = cli(capsys, tmp_path, "check", "--no-fix", "--format", "json", "Dockerfile")
    assert run.code == 1
    assert run.err == ""
    found = json.loads(run.out)
    assert [(f["code"], f["line"], f["column"]) for f in found] == [
        ("PDH201", 1, 1),
        ("PDH301", 1, 1),
        ("PDH401", 2, 5),
        ("PDH101", 3, 9),
    ]
    assert found[2] == {
        "path": "Dockerfile",
        "line": 2,
        "column": 5,
        "end_line": 2,
        "end_column": 18,
        "code": "PDH401",
        "hook": "env-key-value",
        "severity": "warning",
        "message": 'legacy "ENV APP_HOME value" format; use "ENV APP_HOME=value"',
        "fixable": "safe",
        "fixed": False,
        "aliases": ["LegacyKeyValueFormat"],
        "url": URL + "PDH401.md",
    }
    assert found[0]["fixable"] is None
    assert found[3]["aliases"] == ["DL3042"]


def test_json_with_fixes_marks_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    run = cli(capsys, tmp_path, "check", "--fix", "--format", "json", "Dockerfile")
    found = json.loads(run.out)
    # Positions in the fixed file, as the text format gives them.
    assert [(f["code"], f["fixed"], f["line"], f["column"]) for f in found] == [
        ("PDH201", False, 1, 1),
        ("PDH301", True, 1, 1),
        ("PDH401", True, 2, 5),
        ("PDH101", True, 4, 9),
    ]


def test_json_is_an_empty_array_when_clean_and_problems_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "\udcff.Dockerfile").write_bytes(b"FROM python:3.12-slim\x00\n")
    run = cli(capsys, tmp_path, "check", "--format", "json", ".")
    assert run.code == 1
    assert json.loads(run.out) == []
    (line,) = run.err.splitlines()
    # The undecodable byte of the name comes out escaped, not as an encoding error.
    assert line.startswith("\\udcff.Dockerfile: ")
