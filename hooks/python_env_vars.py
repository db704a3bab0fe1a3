"""python-env-vars: the final Python stage sets PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED."""

from __future__ import annotations

from python_docker_hooks._dockerfile.facts import (
    base_facts,
    python_stages,
    unknown_base,
)
from python_docker_hooks._dockerfile.programs import CPYTHON_FLAGS, cpython_flag
from python_docker_hooks._dockerfile.words import WordError, process_word
from python_docker_hooks._engine.vocabulary import (
    FIX_NONE,
    FIX_SAFE,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._dockerfile.words import Canon
    from python_docker_hooks._engine.vocabulary import Context

MISSING_DOC = """\
## What it does
Checks that the shipped stage of a Python image (the last stage, or the one
`targets` names in the configuration) sets `PYTHONDONTWRITEBYTECODE` and
`PYTHONUNBUFFERED` to a non-empty value, in the stage itself or in a stage it is
built `FROM`, or inherited from a base image whose Dockerfile is known to set
it: tiangolo's `uwsgi-nginx`, `uwsgi-nginx-flask`, `uvicorn-gunicorn` and
`uvicorn-gunicorn-fastapi` images set both to `1` in their `python3.7` and later
tags (and `latest`) since March 2024 (tiangolo/uwsgi-nginx-docker #208,
tiangolo/uvicorn-gunicorn-docker #192; the -flask and -fastapi images are built
on those). A stage is a Python one when its base image provides Python (the
official `python` and `pypy` images, distroless Python, uv's Python images,
conda images, vendor Python images), when it installs Python with its package
manager, or when it runs `python`, `pip`, `uv`, `poetry`, `pipenv` or a Python
server (in `RUN`, `CMD` or `ENTRYPOINT`).

## Why is this bad?
Without `PYTHONDONTWRITEBYTECODE`, Python writes a `.pyc` file into `__pycache__`
next to each module it imports: into the image layers when a `RUN` step runs Python,
and into the container's writable layer at run time. Without `PYTHONUNBUFFERED`,
stdout and stderr are block-buffered when they are not a terminal, so container logs
arrive late or are lost when the process dies.

`PYTHONDONTWRITEBYTECODE` does not stop `pip install` from byte-compiling the
packages it installs (pip compiles them with `compileall`, which writes the `.pyc`
files whatever the variable says); `pip install --no-compile` does that.

CPython reads both variables as integer flags (`_Py_get_env_flag` in its startup
code): an empty value, or one that reads as the integer 0 (`0`, `00`, `+0`), leaves
the behaviour off; any other value (`1`, `true`, even `false`) turns it on. A
variable set to such a value is reported: `ENV PYTHONUNBUFFERED=0` turns unbuffered
output off.

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
`PIP_DISABLE_PIP_VERSION_CHECK`; the fix sets each missing one to `1`. Each name
must be an environment variable name (letters, digits and `_`, not starting with a
digit); another value is a configuration error.

```toml
[tool.python-docker-hooks.python-env-vars]
required = ["PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONFAULTHANDLER"]
```

## Fix safety
Safe: the missing variables are set to `1` beside an `ENV` the stage already
has. In the one of their family (`PYTHON*` variables with each other, others by
the prefix before their first `_`), after its last pair: on the same line when
it is one line in `key=value` form, on continuation lines of their own, in the
indentation of its last line, when it spans several; on a new `ENV` line after
it (and the `ENV` lines right below it) when it is in the legacy `ENV KEY value`
form (which sets one variable). Without such an `ENV`, on a new `ENV` line
right under the stage's first `ENV` (and the `ENV` lines right below it), so
that they read as one block.

A stage without `ENV` gets one `ENV` line of its own, in the file's own line
ending: after `FROM` and the `ARG` lines right after it, with a blank line
between it and those `ARG`s, when a blank line follows them and no later
instruction of the stage reads one of them; else right after `FROM` (an `ARG`
block glued to the instruction below it belongs to it, and the new line would
come between an `ARG` and the `RUN` that reads it). A comment right below the
place belongs to the instruction under it: a blank line keeps the new line out
of it.

When the base image is not one the tables know (a build argument without a
default, a local tag, or an image neither in the vendor table nor among the
library images they list: a one-word name such as `mycorp-web` is as often a
local tag as one of Docker Hub's), its own `ENV` is not known: it may set the variables, so the finding says so and
nothing is fixed (a fix would change what the image runs on a guess).

A variable set to an empty value or to 0 is reported without a fix: which value
was meant is for a person to say (a value taken from a build argument is not
known, and is not reported). When the line the `ENV` would follow ends in an
open continuation, the new line would be joined to it: the finding is reported
without a fix.
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

def _check_required(value: object) -> str | None:
    """Each name must be an environment variable name: ASCII letters, digits and
    ``_``, not starting with a digit (a fix writes ``ENV NAME=1``)."""
    for name in value if isinstance(value, (list, tuple)) else ():
        text = str(name)
        valid = (
            text.isascii()
            and bool(text)
            and not text[0].isdigit()
            and all(c.isalnum() or c == "_" for c in text)
        )
        if not valid:
            return f'holds "{text}", which is not an environment variable name'
    return None


MISSING = Rule(
    "PDH301",
    "python-env-vars",
    "final Python stage lacks PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED",
    fix=FIX_SAFE,
    doc=MISSING_DOC,
    options={"required": REQUIRED},
    option_checks={"required": _check_required},
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
    final = model.shipped(context.target)
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
    base = base_facts(model, final)
    inherited = base.env if base is not None else {}
    missing = [
        name
        for name in required
        if name not in env and not _turned_on(name, inherited.get(name, ""))
    ]
    ins = final.from_instruction
    if missing:
        message = "final Python stage does not set " + " and ".join(missing)
        unknown = unknown_base(model, final)
        if unknown is not None:
            # The base image's own ENV is not known: it may set them, and a fix
            # would change what the image runs on a guess.
            them = "them" if len(missing) > 1 else "it"
            yield Finding(
                MISSING,
                ins.start,
                f"{message}, unless its base image `{unknown}`, which is not known, "
                f"sets {them}; not fixed",
                end=ins.end,
            )
        else:
            yield Finding(MISSING, ins.start, message, _insert_env(model, final, missing), end=ins.end)
    for name in required:
        if name not in env:
            continue
        value, where = env[name]
        if not value:
            reason = "an empty value, which Python ignores"
        elif name in CPYTHON_FLAGS and cpython_flag(value) == 0:
            reason = f"{value}, which turns it off (CPython reads it as the integer 0)"
        else:
            continue
        if _from_build_arg(model, where, name):
            continue
        yield Finding(
            MISSING, where.start, f"{name} is set to {reason}", end=where.end
        )


def _turned_on(name: str, value: str) -> bool:
    """Whether a value the base image sets does what the variable is for."""
    if not value:
        return False
    return name not in CPYTHON_FLAGS or cpython_flag(value) != 0


def _literal(value: str | None, escape: str) -> str:
    """The value BuildKit sets when it holds no variable reference, else ''."""
    try:
        parts = process_word(value or "", escape)
    except WordError:
        return ""
    if len(parts) == 1 and parts[0][0] == "lit":
        return parts[0][1]
    return ""


def _from_build_arg(model: Dockerfile, where: Instruction, name: str) -> bool:
    """Whether the value ``where`` gives ``name`` may come from a ``--build-arg``.

    An ``ARG`` without a default expands to '' here, but a build can give it
    any value, and an ARG default can be overridden: such a value is not known.
    """
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
    # An ARG is in scope from where it is declared, in its stage and in the
    # stages built on it (BuildKit carries the build state's environment over).
    owner = model.stage_of(where)
    for st in model.lineage(owner) if owner is not None else ():
        for ins in st.instructions:
            if ins is where:
                return False
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


def _insert_env(model: Dockerfile, stage: Stage, names: list[str]) -> Fix | None:
    """Set ``names`` to 1 where the model places a new ENV (``envplace``)."""
    from python_docker_hooks._dockerfile.envplace import env_insertion

    edits = env_insertion(model, stage, [f"{name}=1" for name in names])
    return None if edits is None else Fix([Edit(*e) for e in edits])


SPEC = HookSpec(
    "python-env-vars",
    RULES,
    check,
    name="PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED",
    description="Sets PYTHONDONTWRITEBYTECODE=1 and PYTHONUNBUFFERED=1 in the final Python stage; flags ENV DEBUG=0.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
