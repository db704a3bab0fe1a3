"""env-key-value: legacy ``ENV key value`` / ``LABEL key value`` become ``key=value``."""

from __future__ import annotations

from python_docker_hooks._dockerfile.words import key_value_fix
from python_docker_hooks._engine.vocabulary import (
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

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, KeyValue
    from python_docker_hooks._engine.vocabulary import Context

DOC = """\
## What it does
Flags the legacy whitespace-separated form `ENV key value` and `LABEL key value`, and
rewrites it as `key=value`.

## Why is this bad?
The legacy form sets exactly one variable and takes the whole rest of the line as its
value, so `ENV A 1 B 2` sets `A` to `1 B 2`, which is easy to misread. Docker
deprecates it (BuildKit's check `LegacyKeyValueFormat`) and may remove it.

## Example
```dockerfile
FROM python:3.12-slim
ENV PYTHONUNBUFFERED 1
LABEL maintainer Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1
LABEL maintainer="Jane Doe <jane@example.com>"
```

## Fix safety
Safe: the separator becomes `=`, and the value is quoted only when it holds
whitespace or quotes, escaped so that BuildKit reads exactly the value it read
before (variable references such as `$PATH` keep expanding). Comment lines between
the key and its value are kept. A value for which no such spelling can be proven is
reported without a fix.
"""

RULE = Rule(
    "PDH401",
    "env-key-value",
    "legacy ENV/LABEL key value format",
    fix=FIX_SAFE,
    buildkit="LegacyKeyValueFormat",
    doc=DOC,
)
RULES = (RULE,)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    for outer in model.instructions:
        ins = outer.effective
        if ins.keyword not in ("ENV", "LABEL"):
            continue
        for kv in ins.pairs():
            if not kv.legacy:
                continue
            yield Finding(
                RULE,
                kv.start,
                f'legacy "{ins.keyword} {kv.key} value" format; '
                f'use "{ins.keyword} {kv.key}=value"',
                _fix(ins, kv),
                end=kv.end,
            )


def _fix(ins: Instruction, kv: KeyValue) -> Fix | None:
    value = kv.value or ""
    new = key_value_fix(kv.key, value, ins.escape)
    if new is None:
        return None
    new_value = new[len(kv.key) + 1 :]
    gap = _separator(ins.source(kv.key_end, kv.value_start))
    if new_value == value:
        return Fix([Edit(kv.key_end, kv.value_start, gap)])
    if new_value == f'"{value}"':
        # Quotes around the value as written: its continuation lines stay.
        return Fix(
            [Edit(kv.key_end, kv.value_start, gap + '"'), Edit(kv.end, kv.end, '"')]
        )
    if ins.source(kv.value_start, kv.end) == value:
        # The value is on one line: it can be rewritten as a whole.
        return Fix([Edit(kv.key_end, kv.end, gap + new_value)])
    return None


def _separator(gap: str) -> str:
    """What replaces the blanks between a legacy key and its value.

    ``=`` when the gap holds no comment line. Otherwise the continuation lines
    stay, so the comments are kept, and only the blanks that would become part
    of the logical line are dropped (BuildKit joins the pieces as they are).
    """
    lines = gap.split("\n")
    if len(lines) == 1 or not any(_is_comment(line) for line in lines[1:-1]):
        return "="
    kept = ["=" + lines[0].lstrip(" \t")]
    for line in lines[1:-1]:
        kept.append(line if _is_comment(line) else line.lstrip(" \t"))
    # The value's own line: only blanks before the value.
    kept.append("")
    return "\n".join(kept)


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


SPEC = HookSpec(
    "env-key-value",
    RULES,
    check,
    name="ENV/LABEL key=value",
    description="Rewrites legacy ENV key value and LABEL key value as key=value.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
