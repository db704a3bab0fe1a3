"""python-env-vars: the final Python stage sets PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED."""

from __future__ import annotations

from hooks._engine.rules import FIX_NONE, FIX_SAFE, Edit, Finding, Fix, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from hooks._dockerfile.parse import Dockerfile, Stage
    from hooks._dockerfile.words import Canon
    from hooks._engine.rules import Context

MISSING_DOC = """\
## What it does
Checks that the shipped stage of a Python image (the last stage, or the one
`targets` names in the configuration) sets `PYTHONDONTWRITEBYTECODE` and
`PYTHONUNBUFFERED` to a non-empty value, in the stage itself or in a stage it is
built `FROM`. A stage is a Python one when its base image provides Python (the
official `python` and `pypy` images, distroless Python, uv's Python images,
conda images, vendor Python images), when it installs Python with its package
manager, or when it runs `python`, `pip`, `uv`, `poetry`, `pipenv` or a Python
server (in `RUN`, `CMD` or `ENTRYPOINT`).

## Why is this bad?
Without `PYTHONDONTWRITEBYTECODE`, Python writes `.pyc` files next to the sources:
into the image layers at build time, and into the container's writable layer at run
time. Without `PYTHONUNBUFFERED`, stdout and stderr are block-buffered when they are
not a terminal, so container logs arrive late or are lost when the process dies.

## Example
```dockerfile
FROM python:3.12-slim
COPY . /app
CMD ["python", "/app/main.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY . /app
CMD ["python", "/app/main.py"]
```

## Options
`required` (list of names; default the two above): the variables the final stage
must set. A team may add its own, e.g. `PYTHONFAULTHANDLER` or
`PIP_DISABLE_PIP_VERSION_CHECK`; the fix sets each missing one to `1`.

```toml
[tool.python-docker-hooks.python-env-vars]
required = ["PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONFAULTHANDLER"]
```

## Fix safety
Safe: one `ENV` line with only the missing variables (`=1`) is inserted right after
the stage's `FROM` (after the `ARG` lines that follow it), in the file's own line
ending. A variable that is set but empty is reported without a fix: which value was
meant is for a person to say (a value taken from a build argument is not known to be
empty, and is not reported). When the line the `ENV` would follow ends in an open
continuation, the new line would be joined to it: the finding is reported without a
fix.
"""

DEBUG_DOC = """\
## What it does
Flags `ENV DEBUG 0` / `ENV DEBUG=0` (or `false`, `off`, `no`) in a Python stage.

## Why is this bad?
It sets nothing that Python or the common frameworks read as "production": it is
unnecessary, and one more variable to keep in sync. Configure your application's
debug mode with its own setting.

## Example
```dockerfile
FROM python:3.12-slim
ENV DEBUG 0
```

## Use instead
```dockerfile
FROM python:3.12-slim
```

## Fix safety
No fix: removing an environment variable can change what the application does.
"""

REQUIRED = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")

MISSING = Rule(
    "PDH301",
    "python-env-vars",
    "final Python stage lacks PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED",
    fix=FIX_SAFE,
    doc=MISSING_DOC,
    options={"required": REQUIRED},
)
DEBUG = Rule(
    "PDH302",
    "python-env-vars",
    "ENV DEBUG=0 is unnecessary",
    fix=FIX_NONE,
    doc=DEBUG_DOC,
)
RULES = (MISSING, DEBUG)

_FALSY = frozenset({"0", "false", "off", "no"})


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    from hooks._dockerfile.facts import python_stages, shipped_stage

    final = shipped_stage(model, context.target)
    if final is None:
        return
    python = python_stages(model)
    for stage in model.stages:
        if not python[stage.index]:
            continue
        for ins in stage.instructions:
            if ins.keyword != "ENV":
                continue
            for kv in ins.pairs():
                if (
                    kv.key == "DEBUG"
                    and _literal(kv.value, model.escape).lower() in _FALSY
                ):
                    yield Finding(
                        DEBUG,
                        kv.start,
                        "`ENV DEBUG=0` is unnecessary; configure debug mode in the application",
                        end=kv.end,
                    )
    if not python[final.index]:
        return
    env = model.env(final)
    configured = context.option(MISSING, "required")
    required = [str(n) for n in configured] if isinstance(configured, (list, tuple)) else []
    missing = [name for name in required if name not in env]
    empty = [
        name
        for name in required
        if name in env and not env[name][0] and not _from_build_arg(model, final, name)
    ]
    ins = final.from_instruction
    if missing:
        yield Finding(
            MISSING,
            ins.start,
            "final Python stage does not set " + " and ".join(missing),
            _insert_env(model, final, missing),
            end=ins.end,
        )
    for name in empty:
        where = env[name][1]
        yield Finding(
            MISSING,
            where.start,
            f"{name} is set to an empty value, which Python ignores",
            end=where.end,
        )


def _literal(value: str | None, escape: str) -> str:
    """The value BuildKit sets when it holds no variable reference, else ''."""
    from hooks._dockerfile.words import WordError, process_word

    try:
        parts = process_word(value or "", escape)
    except WordError:
        return ""
    if len(parts) == 1 and parts[0][0] == "lit":
        return parts[0][1]
    return ""


def _from_build_arg(model: Dockerfile, stage: Stage, name: str) -> bool:
    """Whether the empty value of ``name`` may come from a ``--build-arg``.

    An ``ARG`` without a default expands to '' here, but a build can give it
    any value: such a variable is not known to be empty.
    """
    from hooks._dockerfile.words import WordError, process_word

    where = model.env(stage)[name][1]
    raw = ""
    for kv in where.pairs():
        if kv.key == name:
            raw = kv.value or ""
    try:
        parts = process_word(raw, model.escape)
    except WordError:
        return False
    referenced = _referenced(parts)
    if not referenced:
        return False
    # An ARG is in scope only in its own stage, from where it is declared.
    owner = model.stage_of(where)
    for ins in owner.instructions if owner is not None else ():
        if ins is where:
            break
        if ins.keyword == "ARG" and any(kv.key in referenced for kv in ins.pairs()):
            return True
    return False


def _referenced(parts: Canon) -> set[str]:
    names: set[str] = set()
    for part in parts:
        if len(part) >= 4:
            names.add(part[1])
            for word in part[3:]:
                names |= _referenced(word)
    return names


def _line_ending(text: str, offset: int) -> str:
    """The line ending of the line holding ``offset``, else the file's."""
    from hooks._dockerfile.text import newline_of

    end = text.find("\n", offset)
    if end < 0:
        return newline_of(text)
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _insert_env(model: Dockerfile, stage: Stage, names: list[str]) -> Fix | None:
    anchor = stage.from_instruction
    for ins in stage.instructions:
        if ins.keyword != "ARG":
            break
        anchor = ins
    if anchor.open_ended:
        # A dangling continuation would swallow the new line into the anchor.
        return None
    assignments = " ".join(f"{name}=1" for name in names)
    newline = _line_ending(model.text, anchor.end)
    return Fix([Edit(anchor.end, anchor.end, f"{newline}ENV {assignments}")])


SPEC = HookSpec(
    "python-env-vars",
    RULES,
    check,
    name="PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED",
    description="Sets PYTHONDONTWRITEBYTECODE=1 and PYTHONUNBUFFERED=1 in the final Python stage; flags ENV DEBUG=0.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._engine.runner import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
