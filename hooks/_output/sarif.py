"""``--format sarif``: SARIF 2.1.0, one run for every file checked, for GitHub
code scanning and other SARIF consumers.

What GitHub's code scanning reads ("SARIF support for code scanning",
docs.github.com, code-security reference) and how this file meets it:

- ``runs[].tool.driver``: ``name``, ``version``, ``informationUri`` and ``rules``;
  each rule (``reportingDescriptor``) with ``id``, ``name``, ``shortDescription``
  and ``fullDescription`` (shown at the top of an alert), ``help`` (text and
  markdown: the rule's doc), ``helpUri`` (the rule's page, ``docs/rules/<CODE>.md``
  in the repository) and ``defaultConfiguration.level``.
- ``results[]``: ``ruleId`` (the same across analyses, so alerts match), ``ruleIndex``,
  ``level`` (``error``, ``warning`` or ``note``), ``message.text``, one location
  whose ``artifactLocation.uri`` is the path relative to the directory the check
  ran in (the repository root in CI; ``uriBaseId`` ``%SRCROOT%``) and whose
  ``region`` has start and end line and column (columns count Unicode code points:
  ``columnKind`` ``unicodeCodePoints``).
- ``partialFingerprints``: code scanning matches results across commits by
  fingerprint; GitHub's upload computes ``primaryLocationLineHash`` itself when it
  is missing. Each result carries its own ``pythonDockerHooks/v1`` entry: a hash of
  the code, the path, the text of the finding's line (stripped) and how many
  findings of that code on identical lines come before it in the file. It does not
  hold the line number, so a finding keeps its fingerprint when lines are added
  above it.

Only findings left in the files are results (a fixed finding is gone). Files that
could not be checked are ``toolExecutionNotifications`` of the run's invocation,
and also printed to standard error.
"""

from __future__ import annotations

import os

from python_docker_hooks import __version__
from python_docker_hooks._output import (
    REPOSITORY,
    problems,
    region,
    rule_url,
    write_line,
)
from python_docker_hooks._output.json import dumps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from python_docker_hooks._engine.runner import FileResult
    from python_docker_hooks._engine.vocabulary import Finding, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "pythonDockerHooks/v1"
SRCROOT = "%SRCROOT%"

_LEVELS = {"error": "error", "warning": "warning"}


def level(severity: str) -> str:
    """SARIF's level for one of our severities (anything milder is a note)."""
    return _LEVELS.get(severity, "note")


def artifact_location(path: str) -> dict[str, str]:
    """A file's SARIF location: a relative URI under %SRCROOT%, or a file: URI."""
    from urllib.parse import quote

    absolute = os.path.isabs(path)
    posix = os.path.normpath(path).replace(os.sep, "/")
    # quote() of the bytes: a name that is not UTF-8 keeps its exact bytes.
    uri = quote(os.fsencode(posix), safe="/")
    if absolute:
        return {"uri": "file://" + ("" if uri.startswith("/") else "/") + uri}
    return {"uri": uri, "uriBaseId": SRCROOT}


def _first_section(doc: str) -> str:
    """The text of the doc's first section (``## What it does``)."""
    lines = doc.strip().splitlines()
    body: list[str] = []
    for line in lines[1:] if lines and lines[0].startswith("## ") else lines:
        if line.startswith("## "):
            break
        body.append(line)
    return " ".join(" ".join(body).split())


def rule_descriptor(rule: Rule) -> dict[str, object]:
    text = rule.doc.strip() or rule.summary
    return {
        "id": rule.code,
        "name": f"{rule.hook}/{rule.code}",
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_section(rule.doc) or rule.summary},
        "help": {"text": text, "markdown": text},
        "helpUri": rule_url(rule.code),
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "hook": rule.hook,
            "fix": rule.fix,
            "aliases": list(rule.aliases),
            "tags": [rule.hook],
        },
    }


def _line_text(f: Finding) -> str:
    text = f.origin.text if f.origin is not None else ""
    start = text.rfind("\n", 0, f.start) + 1
    end = text.find("\n", f.start)
    return text[start : len(text) if end == -1 else end].strip()


def fingerprint(code: str, uri: str, line_text: str, occurrence: int) -> str:
    from hashlib import sha256

    key = "\0".join((code, uri, line_text, str(occurrence)))
    return sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class SarifRenderer:
    __slots__ = ("_out", "_err", "_rules", "_index", "_results", "_notes", "_ok", "_seen")

    def __init__(self, out: TextIO, err: TextIO, rules: Sequence[Rule]) -> None:
        self._out = out
        self._err = err
        self._rules = list(rules)
        self._index = {r.code: i for i, r in enumerate(self._rules)}
        self._results: list[dict[str, object]] = []
        self._notes: list[dict[str, object]] = []
        self._ok = True
        self._seen: set[str] = set()

    def file(self, result: FileResult) -> None:
        for line in problems(result):
            if line in self._seen:
                continue  # a configuration error is said once
            self._seen.add(line)
            write_line(self._err, line + "\n")
        if result.config_error is not None or result.internal_error is not None:
            self._ok = False
        location = artifact_location(result.path)
        for w in result.warnings:
            self._notes.append(self._note("warning", w.message, location, w.line))
        reason = result.refusal or result.internal_error or result.config_error
        if reason is not None:
            self._notes.append(self._note("error", reason, location))
        seen: dict[tuple[str, str], int] = {}
        for f in result.remaining:
            line_text = _line_text(f)
            occurrence = seen.get((f.code, line_text), 0)
            seen[(f.code, line_text)] = occurrence + 1
            self._results.append(self._result(f, location, line_text, occurrence))

    def _note(
        self, level: str, text: str, location: dict[str, str], line: int | None = None
    ) -> dict[str, object]:
        physical: dict[str, object] = {"artifactLocation": location}
        if line is not None:
            physical["region"] = {"startLine": line}
        return {
            "level": level,
            "message": {"text": text},
            "locations": [{"physicalLocation": physical}],
        }

    def _result(
        self, f: Finding, location: dict[str, str], line_text: str, occurrence: int
    ) -> dict[str, object]:
        # The end is exclusive, as SARIF's endColumn is; an empty range covers
        # one character, as in every format (an empty region shows no span).
        line, col, end_line, end_col = region(f)
        found: dict[str, object] = {
            "ruleId": f.code,
            "level": level(f.severity),
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {
                            "startLine": line,
                            "startColumn": col,
                            "endLine": end_line,
                            "endColumn": end_col,
                        },
                    }
                }
            ],
            "partialFingerprints": {
                FINGERPRINT: fingerprint(f.code, location["uri"], line_text, occurrence)
            },
        }
        if f.code in self._index:
            found["ruleIndex"] = self._index[f.code]
        return found

    def document(self) -> dict[str, object]:
        invocation: dict[str, object] = {"executionSuccessful": self._ok}
        if self._notes:
            invocation["toolExecutionNotifications"] = self._notes
        return {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "python-docker-hooks",
                            "version": __version__,
                            "informationUri": REPOSITORY,
                            "rules": [rule_descriptor(r) for r in self._rules],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": self._results,
                    "invocations": [invocation],
                }
            ],
        }

    def finish(self) -> None:
        self._out.write(dumps(self.document()))
