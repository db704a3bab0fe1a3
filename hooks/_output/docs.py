"""A rule's documentation page, as ``docs/rules/<CODE>.md`` holds it and
``python-docker-hooks explain`` prints it: a heading, the rule's record, its doc."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._engine.vocabulary import Rule


def same_as(rule: Rule) -> str:
    """The other tools' names for the rule, for people (``hadolint DL3042``)."""
    names = []
    if rule.hadolint:
        names.append(f"hadolint {rule.hadolint}")
    if rule.buildkit:
        names.append(f"BuildKit {rule.buildkit}")
    return ", ".join(names) or "—"


def rule_page(rule: Rule) -> str:
    """The whole Markdown page of ``rule``."""
    lines = [
        f"# {rule.code}: {rule.summary}",
        "",
        f"- Hook: `{rule.hook}`",
        f"- Severity: {rule.severity}",
        f"- Fix: {rule.fix}",
        f"- Same as: {same_as(rule)}",
    ]
    if rule.options:
        options = ", ".join(f"`{name}`" for name in rule.options)
        lines.append(
            f"- Options (in `[tool.python-docker-hooks.{rule.hook}]`): {options}"
        )
    lines.append("")
    return "\n".join(lines) + "\n" + rule.doc.rstrip("\n") + "\n"
