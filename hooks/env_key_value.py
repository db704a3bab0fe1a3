"""env-key-value: legacy ``ENV key value`` / ``LABEL key value`` become ``key=value``."""

from __future__ import annotations

from hooks._rules import FIX_SAFE, Edit, Finding, Fix, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from hooks._parse import Dockerfile, Instruction, KeyValue
    from hooks._rules import Context

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
before (variable references such as `$PATH` keep expanding). A value for which no
such spelling can be proven is reported without a fix.
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
            line, col = model.position(kv.start)
            yield Finding(
                RULE.code,
                line,
                col,
                f'legacy "{ins.keyword} {kv.key} value" format; '
                f'use "{ins.keyword} {kv.key}=value"',
                _fix(ins, kv),
                end_line=outer.end_line,
            )


def _fix(ins: Instruction, kv: KeyValue) -> Fix | None:
    from hooks._words import key_value_fix

    value = kv.value or ""
    new = key_value_fix(kv.key, value, ins.escape)
    if new is None:
        return None
    separator = Edit(kv.key_end, kv.value_start, "=")
    if new == f"{kv.key}={value}":
        return Fix([separator])
    if new == f'{kv.key}="{value}"':
        return Fix([Edit(kv.key_end, kv.value_start, '="'), Edit(kv.end, kv.end, '"')])
    if ins.source(kv.start, kv.end) == f"{kv.key}{ins.source(kv.key_end, kv.value_start)}{value}":
        # One physical line: the pair can be rewritten as a whole.
        return Fix([Edit(kv.start, kv.end, new)])
    return None


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._runner import run_hook

    return run_hook(RULES, check, argv)


if __name__ == "__main__":
    raise SystemExit(main())
