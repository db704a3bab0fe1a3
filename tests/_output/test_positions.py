"""Every format gives a finding the same start and the same exclusive end: text
(its start), JSON, SARIF and GitHub annotations; a finding at a point (an empty
range, such as the ignore file a fix would create) covers one character in all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clirun import FLAWED, cli


def positions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> list[tuple[str, str, int, int, int, int]]:
    run = cli(capsys, tmp_path, "check", "--format", fmt, "Dockerfile", every_hook=True)
    assert run.code == 1
    found = []
    if fmt == "json":
        for o in json.loads(run.out):
            found.append(
                (o["path"], o["code"], o["line"], o["column"], o["end_line"], o["end_column"])
            )
    elif fmt == "sarif":
        for r in json.loads(run.out)["runs"][0]["results"]:
            location = r["locations"][0]["physicalLocation"]
            region = location["region"]
            found.append(
                (
                    location["artifactLocation"]["uri"],
                    r["ruleId"],
                    region["startLine"],
                    region["startColumn"],
                    region["endLine"],
                    region["endColumn"],
                )
            )
    elif fmt == "github":
        pattern = (
            r"::\w+ file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),"
            r"endColumn=(\d+),title=(\w+)::.*"
        )
        for line in run.lines:
            m = re.fullmatch(pattern, line)
            assert m, line
            path, row, col, end_row, end_col, code = m.groups()
            found.append((path, code, int(row), int(col), int(end_row), int(end_col)))
    else:
        for line in run.lines[:-1]:
            path, row, col, rest = line.split(":", 3)
            found.append((path, rest.split()[0], int(row), int(col), 0, 0))
    return found


def test_every_format_gives_the_same_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    by_format = {fmt: positions(capsys, tmp_path, fmt) for fmt in ("json", "sarif", "github")}
    assert by_format["json"] == by_format["sarif"] == by_format["github"]
    # The ignore file the Dockerfile's context lacks: a point, one character wide.
    assert (".dockerignore", "PDH901", 1, 1, 1, 2) in by_format["json"]
    # A span: `install` of `pip install`, its end just after it.
    assert ("Dockerfile", "PDH101", 3, 9, 3, 16) in by_format["json"]
    text = positions(capsys, tmp_path, "text")
    assert [f[:4] for f in text] == [f[:4] for f in by_format["json"]]
