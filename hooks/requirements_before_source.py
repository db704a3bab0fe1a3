"""requirements-before-source: dependencies are installed before the source is copied."""

from __future__ import annotations

from python_docker_hooks._dockerfile.pyinstall import python_installs
from python_docker_hooks._dockerfile.sources import instruction_sources
from python_docker_hooks._engine.vocabulary import FIX_NONE, Finding, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction
    from python_docker_hooks._engine.vocabulary import Context

DOC = """\
## What it does
Flags, in each stage, a copy of the whole build context (`COPY . …`, `COPY ./ …`,
`ADD . …`) that comes before the stage's first dependency install, when no
dependency install came before it. A stage built `FROM` another starts with
that stage's files: a broad copy there counts before an install here. The
dependency installs are:

- `pip install -r FILE` / `uv pip install -r FILE` (pip, `pip3`, `python -m pip`,
  `uv pip`);
- a project directory or archive without `--no-deps`: `.`, `-e .`, `./pkg`,
  `src/` (pip takes an argument with a `/`, or starting with `.`, for a path:
  `_looks_like_path` in pip's `req/constructors.py`), which installs the
  project's dependencies too;
- named packages (`pip install flask gunicorn`, `pipenv install requests`):
  after the broad copy they are downloaded again on every source change, exactly
  as `-r requirements.txt` would be; not an install of the installers alone
  (`pip install --upgrade pip setuptools wheel`). Named packages installed
  before the broad copy do not make the stage compliant: the project's own
  dependencies still come after it;
- `uv pip sync`, `uv sync`, `poetry install`, `pipenv install` and `pipenv sync`,
  `pdm install` and `pdm sync`, global options before the subcommand skipped
  with their values (`poetry --directory /app install`). `poetry install
  --only-root` installs the project alone (Poetry: "exclude all dependencies"),
  so it is not one.

An install before the broad copy (its files copied one by one, as in
`COPY requirements.txt .`, or bind-mounted with `RUN --mount=type=bind`) makes the
stage compliant; installing the project itself again after the copy (`pip install
--no-deps .`, `uv sync` after `uv sync --no-install-project`) is what should follow.
So does a copy from an earlier stage whose dependencies are installed (`COPY
--from=deps /venv /venv`, the builder pattern): what that stage installed comes
with the copy, and an install after the broad copy finds it there.

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
    # Per stage, at its end: the broad copy no install has come after yet, and
    # whether the stage is settled (its first dependency install came). A stage
    # built FROM another starts where that one ended: its files are there.
    ends: list[tuple[Instruction | None, bool]] = []
    # A broad copy in a stage that several stages are built on is reported once.
    reported: set[int] = set()
    for stage in model.stages:
        broad: Instruction | None = None
        settled = False
        if stage.parent is not None:
            broad, settled = ends[stage.parent]
        for ins in stage.instructions:
            if settled:
                break
            if ins.keyword in ("COPY", "ADD"):
                if _copies_installed(model, ins, ends):
                    settled = True
                elif broad is None and _copies_context(model, ins):
                    broad = ins
            elif ins.keyword == "RUN":
                installs = [
                    i
                    for i in python_installs(ins)
                    if i.installs_dependencies or i.installs_packages
                ]
                if not installs:
                    continue
                if broad is None:
                    # The project's dependencies installed before any broad
                    # copy settle the stage; a few named packages do not.
                    settled = any(i.installs_dependencies for i in installs)
                    continue
                settled = True
                if broad.start in reported:
                    break
                reported.add(broad.start)
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
        ends.append((broad, settled))


def _copies_installed(
    model: Dockerfile, ins: Instruction, ends: Sequence[tuple[Instruction | None, bool]]
) -> bool:
    """A ``COPY --from`` of an earlier stage whose dependencies are installed:
    what that stage installed comes with the copy (the builder pattern)."""
    for value in ins.flag_values("from"):
        other = model.stage_named(value.strip())
        if other is not None and other.index < len(ends) and ends[other.index][1]:
            return True
    return False


def _copies_context(model: Dockerfile, ins: Instruction) -> bool:
    """A COPY/ADD of the whole build context: a source that is the context itself
    (``.``, ``./``, after variable expansion and path cleaning) or every entry of
    it (``*``); not another stage, not a URL, not a heredoc (the model's sources)."""
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
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
