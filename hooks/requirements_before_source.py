"""requirements-before-source: dependencies are installed before the source is copied."""

from __future__ import annotations

from python_docker_hooks._engine.rules import FIX_NONE, Finding, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction
    from python_docker_hooks._engine.rules import Context

DOC = """\
## What it does
Flags, in each stage, a copy of the whole build context (`COPY . …`, `COPY ./ …`,
`ADD . …`) that comes before the stage's first dependency install, when no
dependency install came before it:

- `pip install -r FILE` / `uv pip install -r FILE`, `pip install .` or `-e .`
  without `--no-deps` (pip, `pip3`, `python -m pip`, `uv pip`);
- `uv pip sync`, `uv sync`, `poetry install`, `pipenv install` (without package
  names) and `pipenv sync`, `pdm install` and `pdm sync`.

An install before the broad copy (its files copied one by one, as in
`COPY requirements.txt .`, or bind-mounted with `RUN --mount=type=bind`) makes the
stage compliant; installing the project itself again after the copy (`pip install
--no-deps .`, `uv sync` after `uv sync --no-install-project`) is what should follow.

## Why is this bad?
Docker reuses a layer only while every input of it and of the layers below is
unchanged. After `COPY . /app`, any edit to any source file changes that layer, so
the dependency install after it runs again on every build: minutes of downloads and
compiles for a one-line change.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
```

## Fix safety
No fix: which files the install needs (requirements, `pyproject.toml` and its lock
file, local packages) is for a person to say.
"""

RULE = Rule(
    "PDH611",
    "requirements-before-source",
    "whole context copied before the dependency install",
    fix=FIX_NONE,
    doc=DOC,
)
RULES = (RULE,)

_EVERY_ENTRY = frozenset({"*", "./*"})


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.pyinstall import python_installs

    for stage in model.stages:
        copies: list[Instruction] = []
        for ins in stage.instructions:
            if ins.keyword in ("COPY", "ADD"):
                copies.append(ins)
            elif ins.keyword == "RUN":
                installs = [i for i in python_installs(ins) if i.installs_dependencies]
                if not installs:
                    continue
                # The first copy of the whole context before the first install.
                broad = next((c for c in copies if _copies_context(model, c)), None)
                if broad is None:
                    break  # dependencies installed before any broad copy
                line, _ = model.position(ins.start)
                copied = " ".join(broad.args.split())
                yield Finding(
                    RULE,
                    broad.start,
                    f"`{broad.keyword} {copied}` comes before `{installs[0].tool}` "
                    f"(line {line}): every source change re-runs the dependency "
                    "install; copy the dependency files first, install, then copy "
                    "the rest",
                    end=broad.end,
                )
                break


def _copies_context(model: Dockerfile, ins: Instruction) -> bool:
    """A COPY/ADD of the whole build context: a source that is the context itself
    (``.``, ``./``, after variable expansion and path cleaning) or every entry of
    it (``*``); not another stage, not a URL, not a heredoc (the model's sources)."""
    from python_docker_hooks._dockerfile.sources import instruction_sources

    return any(
        src.whole_context or src.value in _EVERY_ENTRY
        for src in instruction_sources(model, ins)
    )


SPEC = HookSpec(
    "requirements-before-source",
    RULES,
    check,
    name="install dependencies before copying the source",
    description="Flags COPY . (the whole context) before the stage's dependency install, which defeats the layer cache.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._engine.runner import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
