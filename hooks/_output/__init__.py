"""Renderers: results as text (and, on demand, other formats). Positions are
computed here, from offsets.

``text`` is what every hook prints; ``python-docker-hooks check --format`` picks
``json``, ``sarif`` or ``github`` too, each imported only when chosen.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from python_docker_hooks._engine.rules import Finding
    from python_docker_hooks._engine.runner import FileResult

# Where the project lives; each rule's doc is generated at docs/rules/<CODE>.md.
REPOSITORY = "https://github.com/python-docker-hooks/python-docker-hooks"


def rule_url(code: str) -> str:
    """The page of a rule's generated doc in the repository."""
    return f"{REPOSITORY}/blob/main/docs/rules/{code}.md"


def problems(result: FileResult) -> list[str]:
    """What a result says that is not a finding, as the text renderer prints it
    (``path: reason``; a configuration error on its own): for the formats whose
    standard output is data, these go to standard error."""
    path = result.path
    if result.config_error is not None:
        return [result.config_error]
    if result.internal_error is not None:
        return [f"{path}: {result.internal_error}"]
    lines = [f"{path}:{w.line}:1: warning: {w.message}" for w in result.warnings]
    if result.refusal is not None:
        lines.append(f"{path}: {result.refusal}")
    return lines


def fixable(finding: Finding) -> str | None:
    """The safety of the fix a finding carries ("safe", "unsafe"), or None."""
    fix = finding.fix
    if fix is None or not fix.edits:
        return None
    return fix.safety


def write_line(out: TextIO, line: str) -> None:
    """``out.write`` that never fails on text the stream cannot encode.

    File names are undecodable bytes smuggled in as surrogates, and messages
    may quote file text; a console in a legacy encoding must still get the line.
    """
    try:
        out.write(line)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "utf-8"
        out.write(line.encode(encoding, "backslashreplace").decode(encoding, "replace"))
