"""``--format github``: workflow-command annotations, escaped as the Actions toolkit
escapes them, and a totals annotation when GitHub would hide some."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import FLAWED, cli

from python_docker_hooks._output.github import command, escape_data, escape_property


def test_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    run = cli(capsys, tmp_path, "check", "--no-fix", "--format", "github", "Dockerfile")
    assert run.code == 1
    assert run.lines == [
        ("::warning file=Dockerfile,line=1,col=1,endLine=1,endColumn=24,title=PDH201::"
        "`python:3.12-alpine` is Alpine (musl): PyPI's manylinux (glibc) wheels do not "
        "install, so a package without a musllinux wheel compiles from source (slow "
        "builds, bigger images); use `python:3.12-slim`"),
        ("::warning file=Dockerfile,line=1,col=1,endLine=1,endColumn=24,title=PDH301::"
        "final Python stage does not set PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED"),
        ("::warning file=Dockerfile,line=2,col=5,endLine=2,endColumn=18,title=PDH401::"
        'legacy "ENV APP_HOME value" format; use "ENV APP_HOME=value"'),
        ("::warning file=Dockerfile,line=3,col=9,endLine=3,endColumn=16,title=PDH101::"
        "`pip install` without `--no-cache-dir` leaves the package cache in the image"),
    ]


def test_more_than_ten_of_a_level_ends_with_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(3):
        (tmp_path / f"{i}.Dockerfile").write_text(FLAWED, encoding="utf-8")
    run = cli(capsys, tmp_path, "check", "--no-fix", "--format", "github", ".")
    assert len(run.lines) == 13
    assert all(line.startswith("::warning file=") for line in run.lines[:12])
    assert run.lines[12] == (
        "::notice title=python-docker-hooks%3A totals::12 findings (PDH101 3, PDH201 3, "
        "PDH301 3, PDH401 3); GitHub shows the first 10 annotations of each level, so "
        "2 warning annotations are only in the log"
    )


def test_ten_annotations_need_no_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(2):
        (tmp_path / f"{i}.Dockerfile").write_text(FLAWED, encoding="utf-8")
    (tmp_path / "2.Dockerfile").write_text(
        "FROM python:3.12-alpine\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"
        "RUN pip install x\n",
        encoding="utf-8",
    )
    run = cli(capsys, tmp_path, "check", "--no-fix", "--format", "github", ".")
    assert len(run.lines) == 10
    assert not any(line.startswith("::notice") for line in run.lines)


def test_file_not_checked_is_an_error_annotation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = cli(capsys, tmp_path, "check", "--format", "github", "a,b:Dockerfile")
    assert (run.code, run.lines) == (
        1,
        ["::error file=a%2Cb%3ADockerfile,title=python-docker-hooks::no such file"],
    )


def test_escaping_as_the_actions_toolkit() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"
    assert command("error", "m:1", file="x", line=3, col=None) == "::error file=x,line=3::m:1\n"
    assert command("notice", "hi") == "::notice::hi\n"
