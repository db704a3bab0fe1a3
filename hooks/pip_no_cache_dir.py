"""pip-no-cache-dir: ``pip install`` / ``uv pip install`` must not leave a cache in the image."""

from __future__ import annotations

import re

from hooks._engine.rules import FIX_SAFE, Edit, Finding, Fix, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from hooks._dockerfile.shell import Word
    from hooks._engine.rules import Context

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
`RUN` has a cache (or tmpfs) mount on `.cache/pip` or on `.cache` itself.

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
`--no-cache` (or `-n`, or uv's pip-compatible `--no-cache-dir`), `UV_NO_CACHE` is set
to a true value, or the `RUN` has a cache (or tmpfs) mount on `.cache/uv` or `.cache`.

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
# What pip's and uv's boolean parsers read as true.
_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
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
# uv options (before ``pip``) that take a separate value.
_UV_VALUE_OPTIONS = frozenset(
    {
        "--cache-dir",
        "--directory",
        "--project",
        "--config-file",
        "--color",
        "--allow-insecure-host",
        "--python-preference",
    }
)
# uv reads ``--no-cache-dir`` as a hidden alias of ``--no-cache`` (pip compatibility).
_UV_NO_CACHE = frozenset({"--no-cache", "-n", "--no-cache-dir"})
# python's one-letter options without a value: they may be bundled (``-Im pip``).
_PY_FLAGS = frozenset("bBdEhiIOPqRsSuvVx")
# python options that take a value, in the next word or bundled (``-Wignore``).
_PY_VALUE_LETTERS = frozenset("WX")


def _basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def _cache_mounted(ins: Instruction, tool: str) -> bool:
    """Whether a cache or tmpfs mount keeps ``.cache/<tool>`` out of the layer."""
    for value in ins.flag_values("mount"):
        fields: dict[str, str] = {}
        for item in value.split(","):
            key, eq, field = item.partition("=")
            if eq:
                fields[key.strip().lower()] = field.strip().strip("\"'")
        if fields.get("type", "").lower() not in ("cache", "tmpfs"):
            continue
        target = fields.get("target") or fields.get("dst") or fields.get("destination")
        if target and _covers(target, tool):
            return True
    return False


def _covers(target: str, tool: str) -> bool:
    """``target`` is ``.cache`` itself or lies inside ``.cache/<tool>``."""
    parts = [p for p in target.split("/") if p and p != "."]
    for k, part in enumerate(parts):
        if part == ".cache" and (k + 1 == len(parts) or parts[k + 1] == tool):
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
        module = _python_module(words)
        if module is None or module[0] != "pip":
            return None
        sub = _subcommand(words, module[1])
        return ("pip", sub) if sub is not None else None
    if name == "uv":
        i = 1
        while i < len(words) and words[i].value.startswith("-"):
            i += 2 if words[i].value in _UV_VALUE_OPTIONS else 1
        if i < len(words) and words[i].value == "pip":
            sub = _subcommand(words, i + 1)
            return ("uv", sub) if sub is not None else None
    return None


def _python_module(words: Sequence[Word]) -> tuple[str, int] | None:
    """(module, index of its first argument) of ``python [options] -m MODULE``."""
    i = 1
    while i < len(words):
        value = words[i].value
        if value == "--check-hash-based-pycs":
            i += 2
            continue
        if value.startswith("--") or not value.startswith("-") or value == "-":
            return None  # a script, ``-`` (stdin) or another long option
        letters = value[1:]
        step = 1
        for k, letter in enumerate(letters):
            if letter in _PY_FLAGS:
                continue
            if letter == "m":
                if k + 1 < len(letters):
                    return letters[k + 1 :], i + 1
                return (words[i + 1].value, i + 2) if i + 1 < len(words) else None
            if letter in _PY_VALUE_LETTERS:
                step = 1 if k + 1 < len(letters) else 2
                break
            return None  # ``-c`` or an unknown option
        i += step
    return None


# Variables that turn the cache off, per tool.
_VARIABLES = {"pip": "PIP_NO_CACHE_DIR", "uv": "UV_NO_CACHE"}


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    # Whether a stage or one it builds on sets a cache variable with ENV or
    # ARG: only then is the stage's environment worth working out.
    sets_variable = model.inherited(_sets_variable)
    for stage in model.stages:
        for ins in stage.instructions:
            run = ins.effective
            if run.keyword == "RUN":
                yield from _check_run(
                    model, stage, ins, run, sets_variable[stage.index]
                )


def _sets_variable(stage: Stage) -> bool:
    for ins in stage.instructions:
        if ins.keyword in ("ENV", "ARG") and any(
            kv.key in _VARIABLES.values() for kv in ins.pairs()
        ):
            return True
    return False


def _check_run(
    model: Dockerfile,
    stage: Stage,
    ins: Instruction,
    run: Instruction,
    stage_sets_variable: bool,
) -> Iterator[Finding]:
    env: dict[str, str] = {}
    env_known = not stage_sets_variable
    mounted = {"pip": _cache_mounted(run, "pip"), "uv": _cache_mounted(run, "uv")}
    exported: dict[str, str] = {}
    for command in run.shell_commands():
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
        if command.words[sub].value != "install" or mounted[tool]:
            continue
        values = frozenset(w.value for w in command.words)
        if tool == "pip" and "--no-cache-dir" in values:
            continue
        if tool == "uv" and not _UV_NO_CACHE.isdisjoint(values):
            continue
        if not env_known:
            env = {
                k: v for k, (v, _) in model.env(stage, before=ins, build=True).items()
            }
            env_known = True
        inline = dict(a.value.partition("=")[::2] for a in command.assignments)
        if _truthy(_lookup(_VARIABLES[tool], (inline, exported, env))):
            continue
        install = command.words[sub]
        in_json = _in_json(run, install)
        if tool == "pip":
            yield _finding(
                model, ins, PIP, install, "--no-cache-dir", "pip install", in_json
            )
        else:
            yield _finding(
                model, ins, UV, install, "--no-cache", "uv pip install", in_json
            )


def _lookup(name: str, scopes: Sequence[Mapping[str, str]]) -> str | None:
    """The value of ``name`` in the first scope that has it."""
    for scope in scopes:
        if name in scope:
            return scope[name]
    return None


def _finding(
    model: Dockerfile,
    ins: Instruction,
    rule: Rule,
    install: Word,
    option: str,
    what: str,
    in_json: bool,
) -> Finding:
    text = f', "{option}"' if in_json else f" {option}"
    return Finding(
        rule,
        install.start,
        f"`{what}` without `{option}` leaves the package cache in the image",
        Fix([Edit(install.end, install.end, text)], FIX_SAFE),
        end=install.end,
    )


def _in_json(run: Instruction, word: Word) -> bool:
    """Whether ``word`` is itself a string of an exec-form argument list."""
    return run.json is not None and any(a.start == word.start for a in run.json)


SPEC = HookSpec(
    "pip-no-cache-dir",
    RULES,
    check,
    name="pip install --no-cache-dir",
    description="Adds --no-cache-dir to pip install (and --no-cache to uv pip install) in RUN instructions.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._engine.runner import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
