"""Settings profiles and the checks shared by the fuzz tests.

Profiles (pick one with ``HYPOTHESIS_PROFILE=<name>``; see README.md here):

- ``fuzz`` (the default): a plain ``pytest`` runs the quick share of it
  (``FUZZ_QUICK``: 4,050 examples in all), ``pytest -m heavy`` the full one
  (``FUZZ``: 37,800);
- ``long``: over 100,000 examples in all, for a run before a release or after a
  change to the parse or the runner; under it the quick items run the full count.

Hypothesis's own global profile is left alone: the other tests keep theirs.
"""

from __future__ import annotations

import os

import dockerfile
from hypothesis import HealthCheck, settings

from python_docker_hooks._dockerfile.parse import (
    Dockerfile,
    Instruction,
    ParseError,
    parse,
)
from python_docker_hooks._dockerfile.text import DecodeError, decode
from python_docker_hooks._engine.registry import HOOKS, hook_module
from python_docker_hooks._engine.runner import FileResult, process

_COMMON = {
    "deadline": None,  # shared CI machines: time per example is noise
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
# Examples per test item on generated files; an example of a mutated corpus file
# runs in about half the time, so those items run MUTATION_FACTOR times as many.
# Items: two per hook and one for the parse on generated files, one per hook on
# mutated files. A profile has a total budget of examples shared by the items, so
# the run takes about as long whatever the number of hooks: "fuzz" 37,800, "long"
# 252,000. The items of a plain run (the heavy marker's items run the profile's
# total) share QUICK_TOTAL the same way. Measured with Python 3.11 on a two-core
# machine: the quick share about 25 s, the full "fuzz" count about 270 s.
DEFAULT_TOTAL = 37_800
LONG_TOTAL = 252_000
QUICK_TOTAL = 4_050
MUTATION_FACTOR = 3


def _per_item(total: int, hooks: int, least: int = 100) -> int:
    """Examples per generated-file item, so that all items add up to ``total``."""
    weight = (2 * hooks + 1) + MUTATION_FACTOR * hooks
    return max(least, total // weight)


DEFAULT_EXAMPLES = _per_item(DEFAULT_TOTAL, len(HOOKS))
LONG_EXAMPLES = _per_item(LONG_TOTAL, len(HOOKS))
QUICK_EXAMPLES = _per_item(QUICK_TOTAL, len(HOOKS), least=25)

settings.register_profile("fuzz", max_examples=DEFAULT_EXAMPLES, **_COMMON)
settings.register_profile("long", max_examples=LONG_EXAMPLES, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or "fuzz"
FUZZ = settings(settings.get_profile(PROFILE))
FUZZ_MUTATED = settings(FUZZ, max_examples=FUZZ.max_examples * MUTATION_FACTOR)
# A plain run's items: the quick share under the default profile; the profile's own
# count under any other (``HYPOTHESIS_PROFILE=long pytest tests/fuzz`` stays long).
FUZZ_QUICK = settings(FUZZ, max_examples=QUICK_EXAMPLES) if PROFILE == "fuzz" else FUZZ
FUZZ_QUICK_MUTATED = settings(
    FUZZ_QUICK, max_examples=FUZZ_QUICK.max_examples * MUTATION_FACTOR
)

HOOK_IDS = list(HOOKS)


def run(data: bytes, hook_id: str, *, fix: bool, unsafe: bool = False) -> FileResult | None:
    """One hook over ``data`` as the runner does it; None when the file is refused."""
    module = hook_module(hook_id)
    result = process(data, "Dockerfile", [module.SPEC], fix=fix, unsafe=unsafe)
    return None if result.refusal is not None else result


def buildkit(text: str) -> tuple[dockerfile.Command, ...] | None:
    """BuildKit's reading of ``text``, or None when BuildKit refuses it."""
    try:
        return dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return None


def text_of(data: bytes) -> str | None:
    """The decoded file as BuildKit gets it (BOM kept), or None if we refuse it."""
    try:
        text, bom = decode(data)
    except DecodeError:
        return None
    return "\ufeff" + text if bom else text


def ours(data: bytes) -> Dockerfile | None:
    try:
        text, _ = decode(data)
        return parse(text)
    except (DecodeError, ParseError):
        return None


def instruction_lines(model: Dockerfile) -> list[tuple[object, ...]]:
    """What BuildKit reports per instruction, in our model's terms."""
    out: list[tuple[object, ...]] = []
    for ins in model.instructions:
        onbuild = ins.sub if ins.keyword == "ONBUILD" else None
        innermost = ins
        while innermost.sub is not None:
            innermost = innermost.sub
        runs = onbuild if onbuild is not None else ins
        out.append(
            (
                ins.keyword,
                onbuild.keyword if onbuild is not None else None,
                ins.start_line,
                ins.end_line,
                innermost.json is not None,
                # BuildKit reports the outer instruction's flags only.
                tuple(f.name for f in ins.flags),
                # ... and no heredocs for ONBUILD, though it reads past them.
                ()
                if onbuild is not None
                else tuple((h.name, h.body) for h in ins.heredocs),
                _values(runs),
            )
        )
    return out


def buildkit_lines(
    commands: tuple[dockerfile.Command, ...],
) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for c in commands:
        docs = ()
        if c.sub_cmd is None:
            docs = tuple((h.name, h.content) for h in c.heredocs)
        out.append(
            (
                c.cmd.upper(),
                c.sub_cmd.upper() if c.sub_cmd is not None else None,
                c.start_line,
                c.end_line,
                c.json,
                tuple(_flag_name(f) for f in c.flags),
                docs,
                _buildkit_values(c),
            )
        )
    return out


def _flag_name(flag: str) -> str:
    return flag[2:].partition("=")[0]


_VALUE_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL"})


def _values(ins: Instruction) -> tuple[str, ...] | None:
    """Exec-form strings, or the shell-form command text, for keywords where
    BuildKit's value is exactly that; None elsewhere."""
    if ins.keyword not in _VALUE_KEYWORDS:
        return None
    if ins.json is not None:
        return tuple(a.value for a in ins.json)
    return (ins.args,) if ins.args else ()


def _buildkit_values(c: dockerfile.Command) -> tuple[str, ...] | None:
    keyword = (c.sub_cmd or c.cmd).upper()
    if keyword not in _VALUE_KEYWORDS:
        return None
    return tuple(c.value)
