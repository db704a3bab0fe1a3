"""python-env-vars: the final Python stage sets PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED."""

from __future__ import annotations

import re

from hooks._rules import FIX_NONE, FIX_SAFE, Edit, Finding, Fix, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from hooks._parse import Dockerfile, Stage
    from hooks._rules import Context

MISSING_DOC = """\
## What it does
Checks that the final stage of a Python image sets `PYTHONDONTWRITEBYTECODE` and
`PYTHONUNBUFFERED` to a non-empty value, in the stage itself or in a stage it is
built `FROM`. A stage is a Python one when its base is `python` or `pypy`, or when it
runs `python` or `pip`.

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

## Fix safety
Safe: one `ENV` line with only the missing variables (`=1`) is inserted right after
the stage's `FROM` (after the `ARG` lines that follow it), in the file's own line
ending. A variable that is set but empty is reported without a fix: which value was
meant is for a person to say.
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

MISSING = Rule(
    "PDH301",
    "python-env-vars",
    "final Python stage lacks PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED",
    fix=FIX_SAFE,
    doc=MISSING_DOC,
)
DEBUG = Rule(
    "PDH302",
    "python-env-vars",
    "ENV DEBUG=0 is unnecessary",
    fix=FIX_NONE,
    doc=DEBUG_DOC,
)
RULES = (MISSING, DEBUG)

REQUIRED = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
_PYTHON = re.compile(r"(?:python|pypy)(?:\d+(?:\.\d+)?)?|pip(?:\d+(?:\.\d+)?)?")
_FALSY = frozenset({"0", "false", "off", "no"})


def _image_name(base: str) -> str:
    ref = base.split("@", 1)[0]
    return ref.rsplit("/", 1)[-1].split(":", 1)[0].lower()


def is_python_stage(model: Dockerfile, stage: Stage) -> bool:
    """Whether the stage (or a stage it is built on) is a Python one."""
    for st in model.lineage(stage):
        if st.parent is None and _image_name(st.base) in ("python", "pypy"):
            return True
        for ins in st.instructions:
            target = ins.effective
            if target.keyword == "RUN":
                for command in target.shell_commands():
                    if command.words and _PYTHON.fullmatch(
                        command.words[0].value.rsplit("/", 1)[-1]
                    ):
                        return True
            if target.keyword in ("RUN", "CMD", "ENTRYPOINT") and target.json:
                if _PYTHON.fullmatch(target.json[0].value.rsplit("/", 1)[-1]):
                    return True
    return False


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    if not model.stages:
        return
    for stage in model.stages:
        if not is_python_stage(model, stage):
            continue
        for ins in stage.instructions:
            if ins.keyword != "ENV":
                continue
            for kv in ins.pairs():
                if kv.key == "DEBUG" and _unquoted(kv.value).lower() in _FALSY:
                    line, col = model.position(kv.start)
                    yield Finding(
                        DEBUG.code,
                        line,
                        col,
                        "`ENV DEBUG=0` is unnecessary; configure debug mode in the application",
                        end_line=ins.end_line,
                    )
    final = model.stages[-1]
    if not is_python_stage(model, final):
        return
    env = model.env(final)
    missing = [name for name in REQUIRED if name not in env]
    empty = [name for name in REQUIRED if name in env and not env[name][0]]
    ins = final.from_instruction
    line, col = model.position(ins.start)
    if missing:
        yield Finding(
            MISSING.code,
            line,
            col,
            "final Python stage does not set " + " and ".join(missing),
            _insert_env(model, final, missing),
            end_line=ins.end_line,
        )
    for name in empty:
        where = env[name][1]
        eline, ecol = model.position(where.start)
        yield Finding(
            MISSING.code,
            eline,
            ecol,
            f"{name} is set to an empty value, which Python ignores",
            end_line=where.end_line,
        )


def _unquoted(value: str | None) -> str:
    return (value or "").strip("\"'")


def _insert_env(model: Dockerfile, stage: Stage, names: list[str]) -> Fix:
    from hooks._text import newline_of

    anchor = stage.from_instruction
    for ins in stage.instructions:
        if ins.keyword != "ARG":
            break
        anchor = ins
    assignments = " ".join(f"{name}=1" for name in names)
    return Fix([Edit(anchor.end, anchor.end, f"{newline_of(model.text)}ENV {assignments}")])


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._runner import run_hook

    return run_hook(RULES, check, argv)


if __name__ == "__main__":
    raise SystemExit(main())
