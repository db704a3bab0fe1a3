"""``--format json``: one array of findings, one object per finding.

Each object: ``path``, ``line``, ``column``, ``end_line``, ``end_column`` (1-based;
columns count characters; the end exclusive, as in every format: ``region``),
``code``, ``hook``, ``severity``, ``message``, ``fixable`` (``"safe"``,
``"unsafe"`` or null), ``fixed`` (the run fixed it; like every finding, it is
positioned in the file as the run leaves it), ``aliases`` (hadolint and BuildKit
codes for the same rule) and ``url`` (the rule's doc). What is not a finding
(a file that cannot be read, a configuration error) goes to standard error.
"""

from __future__ import annotations

import json

from python_docker_hooks._output import fixable, problems, region, rule_url, write_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from python_docker_hooks._engine.runner import FileResult
    from python_docker_hooks._engine.vocabulary import Finding, Rule


def finding_object(path: str, f: Finding) -> dict[str, object]:
    line, column, end_line, end_column = region(f)
    return {
        "path": path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "code": f.code,
        "hook": f.rule.hook,
        "severity": f.severity,
        "message": f.message,
        "fixable": fixable(f),
        "fixed": f.fixed,
        "aliases": list(f.rule.aliases),
        "url": rule_url(f.code),
    }


def dumps(value: object) -> str:
    """JSON as this project writes it: two-space indent, ASCII only (so that any
    console can take it, and an undecodable file name, carried as surrogates,
    comes out as a ``\\udcXX`` escape instead of an encoding error)."""
    return json.dumps(value, indent=2) + "\n"


class JsonRenderer:
    __slots__ = ("_out", "_err", "_objects", "_seen_config_errors")

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._out = out
        self._err = err
        self._objects: list[dict[str, object]] = []
        self._seen_config_errors: set[str] = set()

    def file(self, result: FileResult) -> None:
        for line in problems(result):
            if result.config_error is not None:
                if line in self._seen_config_errors:
                    continue
                self._seen_config_errors.add(line)
            write_line(self._err, line + "\n")
        for f in result.findings:
            self._objects.append(finding_object(result.path, f))

    def finish(self) -> None:
        self._out.write(dumps(self._objects))


class StatisticsRenderer(JsonRenderer):
    """``--format json --statistics``: one object per code found, most found first:
    ``code``, ``hook``, ``count``, ``fixed``, ``fixable`` (the rule's fix safety,
    or null) and ``summary``."""

    __slots__ = ("_rules",)

    def __init__(self, out: TextIO, err: TextIO, rules: Sequence[Rule]) -> None:
        super().__init__(out, err)
        self._rules = {r.code: r for r in rules}

    def finish(self) -> None:
        counts: dict[str, list[int]] = {}
        for obj in self._objects:
            entry = counts.setdefault(str(obj["code"]), [0, 0])
            entry[0] += 1
            entry[1] += bool(obj["fixed"])
        rows = []
        for code, (count, fixed) in sorted(counts.items(), key=lambda i: (-i[1][0], i[0])):
            rule = self._rules.get(code)
            rows.append(
                {
                    "code": code,
                    "hook": rule.hook if rule else None,
                    "count": count,
                    "fixed": fixed,
                    "fixable": rule.fix if rule and rule.fix != "none" else None,
                    "summary": rule.summary if rule else None,
                }
            )
        self._out.write(dumps(rows))
