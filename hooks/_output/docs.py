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
    if rule.shipped_only:
        lines.append(
            "- Not reported on a development image (a dev container's Dockerfile; "
            "see `development-images` in the configuration)"
        )
    lines.append("")
    return "\n".join(lines) + "\n" + rule.doc.rstrip("\n") + "\n"


# --- the examples of a rule's doc, as files ----------------------------------
#
# The "## Example" and "## Use instead" sections of a rule's doc show files. Each
# fenced block in them is one file: its info string is a language and, for any
# file but the Dockerfile and its ignore file, a title naming the file's path
# (mkdocs-material shows the title above the block):
#
#     ```toml title="pyproject.toml"
#     [tool.python-docker-hooks.python-slim-base]
#     require-codename = true
#     ```
#
#     ```dockerfile
#     FROM python:3.12-slim
#     ```
#
# An untitled ``dockerfile`` block is ``Dockerfile``; an untitled ``dockerignore``
# block is ``.dockerignore``. "Use instead" shows what changes: its files are the
# Example's, with the ones it shows replacing theirs. Prose between the blocks
# is for people and is not read.

EXAMPLE = "Example"
USE_INSTEAD = "Use instead"
DEFAULT_NAMES = {"dockerfile": "Dockerfile", "dockerignore": ".dockerignore"}


class ExampleError(ValueError):
    """A block of an example that names no file, or a section that shows none."""


def section_blocks(doc: str, title: str) -> list[tuple[str, str, str]]:
    """The files the ``## <title>`` section of ``doc`` shows, in order, as
    (language, path, text); ``ExampleError`` when a block names no file."""
    found: list[tuple[str, str, str]] = []
    for info, body in _blocks(_section(doc, title)):
        language, _, attributes = info.partition(" ")
        name = _title(attributes) or DEFAULT_NAMES.get(language)
        if name is None:
            raise ExampleError(
                f"## {title}: a `{language}` block needs title=\"<path>\" naming its file"
            )
        if name in (n for _, n, _ in found):
            raise ExampleError(f"## {title}: {name} is shown twice")
        found.append((language, name, body))
    if not found:
        raise ExampleError(f"## {title}: no file shown")
    return found


def section_files(doc: str, title: str) -> dict[str, str]:
    """The files the ``## <title>`` section of ``doc`` shows, path -> text."""
    return {name: body for _, name, body in section_blocks(doc, title)}


def example_files(doc: str) -> tuple[dict[str, str], dict[str, str]]:
    """The files of the rule's Example, and those of its Use instead (the
    Example's, with the files Use instead shows in their place)."""
    example = section_files(doc, EXAMPLE)
    return example, {**example, **section_files(doc, USE_INSTEAD)}


def _section(doc: str, title: str) -> list[str]:
    """The lines of the ``## <title>`` section, up to the next heading of level 1
    or 2 outside a fenced block."""
    lines: list[str] = []
    inside = False
    fence: str | None = None
    for line in doc.splitlines():
        stripped = line.strip()
        if fence is None and stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
        elif fence is not None and stripped == fence:
            fence = None
        elif fence is None and line.startswith(("# ", "## ")):
            inside = line == f"## {title}"
            continue
        if inside:
            lines.append(line)
    return lines


def _blocks(lines: list[str]) -> list[tuple[str, str]]:
    """The fenced blocks of ``lines``, as (info string, text)."""
    found: list[tuple[str, str]] = []
    fence: str | None = None
    info = ""
    body: list[str] = []
    for line in lines:
        stripped = line.strip()
        if fence is None:
            if stripped.startswith("```"):
                fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
                info, body = stripped[len(fence) :].strip(), []
        elif stripped == fence:
            found.append((info, "".join(f"{b}\n" for b in body)))
            fence = None
        else:
            body.append(line)
    return found


def _title(attributes: str) -> str | None:
    """The value of ``title="..."`` in a block's info string."""
    start = attributes.find('title="')
    if start == -1:
        return None
    value = attributes[start + len('title="') :]
    end = value.find('"')
    return value[:end] if end > 0 else None
