"""pip-no-cache-dir: ``pip install`` / ``uv pip install`` must not leave a cache in the image."""

from __future__ import annotations

import re

from hooks._parse import SHELLS
from hooks._rules import FIX_SAFE, Edit, Finding, Fix, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from hooks._parse import Dockerfile, Instruction, Stage
    from hooks._rules import Context
    from hooks._shell import Command, Word

PIP_DOC = """\
## What it does
Checks that every `pip install` run by a `RUN` instruction (shell form, exec form or
a heredoc script; `pip`, `pip3`, `pip3.12`, `python -m pip`, `python3.12 -m pip`)
passes `--no-cache-dir`.

## Why is this bad?
pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an image that cache
is dead weight: it is written into the layer, shipped with every pull, and never used
again. On a typical web service it adds tens to hundreds of megabytes.

The install is not flagged when the cache cannot end up in the layer: the command has
`--no-cache-dir`, `PIP_NO_CACHE_DIR` is set to a true value (`1`, `true`, `yes`, `on`)
inline, by `export`, or by `ENV`/`ARG` in the stage or a stage it builds on, or the
`RUN` has a cache mount on `.cache/pip`.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix safety
Safe: `--no-cache-dir` is inserted right after `install` (inside the JSON array for the
exec form). It changes only where pip keeps its cache, never what is installed.
"""

UV_DOC = """\
## What it does
Checks that every `uv pip install` run by a `RUN` instruction passes `--no-cache`.

## Why is this bad?
uv keeps downloaded and built wheels in `~/.cache/uv`; in an image that cache is
written into the layer and never used again. Not flagged when the command has
`--no-cache` (or `-n`), `UV_NO_CACHE` is set to a true value, or the `RUN` has a cache
mount on `.cache/uv`.

## Example
```dockerfile
FROM python:3.12-slim
RUN uv pip install --system -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN uv pip install --no-cache --system -r requirements.txt
```

## Fix safety
Safe: `--no-cache` is inserted right after `install`; only the cache location changes.
"""

PIP = Rule(
    "PDH101",
    "pip-no-cache-dir",
    "pip install without --no-cache-dir",
    fix=FIX_SAFE,
    hadolint="DL3042",
    doc=PIP_DOC,
)
UV = Rule(
    "PDH102",
    "pip-no-cache-dir",
    "uv pip install without --no-cache",
    fix=FIX_SAFE,
    doc=UV_DOC,
)
RULES = (PIP, UV)

_PIP = re.compile(r"pip(?:\d+(?:\.\d+)?)?")
_PYTHON = re.compile(r"python(?:\d+(?:\.\d+)?)?")
_TRUE = frozenset({"1", "true", "yes", "on", "y"})
# pip options (before the subcommand) that take a separate value.
_PIP_VALUE_OPTIONS = frozenset(
    {
        "--log",
        "--log-file",
        "--proxy",
        "--retries",
        "--timeout",
        "--exists-action",
        "--trusted-host",
        "--cert",
        "--client-cert",
        "--cache-dir",
        "--python",
        "--keyring-provider",
        "--use-feature",
        "--use-deprecated",
        "--resume-retries",
    }
)
# python interpreter options that take a separate value (before ``-m``).
_PY_VALUE_OPTIONS = frozenset({"-W", "-X", "-Q", "--check-hash-based-pycs"})


def _basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def _cache_mounted(ins: Instruction, part: str) -> bool:
    for value in ins.flag_values("mount"):
        fields = dict(
            item.partition("=")[::2] for item in value.split(",") if "=" in item
        )
        if fields.get("type") != "cache":
            continue
        target = fields.get("target") or fields.get("dst") or fields.get("destination")
        if target and part in target:
            return True
    return False


def _subcommand(words: Sequence[Word], first: int) -> int | None:
    """Index of pip's subcommand word, skipping global options."""
    i = first
    while i < len(words):
        value = words[i].value
        if value in _PIP_VALUE_OPTIONS:
            i += 2
            continue
        if value.startswith("-"):
            i += 1
            continue
        return i
    return None


def pip_call(words: Sequence[Word]) -> tuple[str, int] | None:
    """('pip' | 'uv', index of the subcommand word) if ``words`` run pip or uv pip."""
    if not words:
        return None
    name = _basename(words[0].value)
    if _PIP.fullmatch(name):
        sub = _subcommand(words, 1)
        return ("pip", sub) if sub is not None else None
    if _PYTHON.fullmatch(name):
        i = 1
        while i < len(words):
            value = words[i].value
            if value == "-m" and i + 1 < len(words) and words[i + 1].value == "pip":
                sub = _subcommand(words, i + 2)
                return ("pip", sub) if sub is not None else None
            if value.startswith("-m") and value[2:] == "pip":
                sub = _subcommand(words, i + 1)
                return ("pip", sub) if sub is not None else None
            if value in _PY_VALUE_OPTIONS:
                i += 2
                continue
            if not value.startswith("-") or value == "-c" or value.startswith("-m"):
                return None
            i += 1
        return None
    if name == "uv" and len(words) > 2:
        i = 1
        while i < len(words) and words[i].value.startswith("-"):
            i += 1
        if i < len(words) and words[i].value == "pip":
            sub = _subcommand(words, i + 1)
            return ("uv", sub) if sub is not None else None
    return None


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    for stage in model.stages:
        for ins in stage.instructions:
            run = ins.effective
            if run.keyword != "RUN":
                continue
            yield from _check_run(model, stage, ins, run)


def _check_run(
    model: Dockerfile, stage: Stage, ins: Instruction, run: Instruction
) -> Iterator[Finding]:
    env: dict[str, str] | None = None
    pip_mount = _cache_mounted(run, ".cache/pip")
    uv_mount = _cache_mounted(run, ".cache/uv")
    exported: dict[str, str] = {}
    for command, in_json in _commands(run):
        if command.words and command.words[0].value == "export":
            for word in command.words[1:]:
                key, eq, value = word.value.partition("=")
                if eq:
                    exported[key] = value
            continue
        call = pip_call(command.words)
        if call is None:
            continue
        tool, sub = call
        if command.words[sub].value != "install":
            continue
        if env is None:
            env = {k: v for k, (v, _) in model.env(stage, before=ins, build=True).items()}
        inline = {
            a.value.partition("=")[0]: a.value.partition("=")[2]
            for a in command.assignments
        }
        values = [w.value for w in command.words]

        def var(name: str) -> str | None:
            for scope in (inline, exported, env or {}):
                if name in scope:
                    return scope[name]
            return None

        install = command.words[sub]
        if tool == "pip":
            if "--no-cache-dir" in values or pip_mount or _truthy(var("PIP_NO_CACHE_DIR")):
                continue
            yield _finding(
                model, ins, PIP, install, "--no-cache-dir", "pip install", in_json
            )
        else:
            if (
                "--no-cache" in values
                or "-n" in values
                or uv_mount
                or _truthy(var("UV_NO_CACHE"))
            ):
                continue
            yield _finding(
                model, ins, UV, install, "--no-cache", "uv pip install", in_json
            )


def _finding(
    model: Dockerfile,
    ins: Instruction,
    rule: Rule,
    install: Word,
    option: str,
    what: str,
    in_json: bool,
) -> Finding:
    line, col = model.position(install.start)
    text = f', "{option}"' if in_json else f" {option}"
    return Finding(
        rule.code,
        line,
        col,
        f"`{what}` without `{option}` leaves the package cache in the image",
        Fix([Edit(install.end, install.end, text)], FIX_SAFE),
        end_line=ins.end_line,
    )


def _commands(run: Instruction) -> list[tuple[Command, bool]]:
    """Commands the RUN executes, each with whether its words are JSON strings."""
    if run.json is None:
        return [(c, False) for c in run.shell_commands()]
    from hooks._parse import shift_command
    from hooks._shell import Command, Word, split_commands

    args = run.json
    if not args:
        return []
    words = tuple(
        Word(run.source(a.start, a.end), a.value, a.start, a.end, True, False)
        for a in args
    )
    commands = [(Command(words, (), (), args[0].start, args[-1].end), True)]
    if (
        len(args) >= 3
        and _basename(args[0].value) in SHELLS
        and args[1].value.startswith("-")
        and "c" in args[1].value
        and run.source(args[2].start, args[2].end) == f'"{args[2].value}"'
    ):
        # ["sh", "-c", "<script>"] without JSON escapes: offsets map one to one.
        base = args[2].start + 1
        commands += [(shift_command(c, base), False) for c in split_commands(args[2].value)]
    return commands


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._runner import run_hook

    return run_hook(RULES, check, argv)


if __name__ == "__main__":
    raise SystemExit(main())
