"""no-alpine-python: Python stages should not be built on Alpine (musl) images."""

from __future__ import annotations

import re

from hooks._engine.rules import Finding, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from hooks._engine.rules import Context

DOC = """\
## What it does
Flags a build stage that runs Python on an Alpine base: `python:*alpine*` or
`pypy:*alpine*` (with any registry prefix, after `ARG` substitution), or `alpine*`
with `apk add` of `python3` or `py3-*` packages. Packages added to a virtual group
(`apk add --virtual .build-deps python3`) count too: the group can be deleted, but
until it is the stage runs Python; only an `apk del` of the group in the same `RUN`
takes them away.

## Why is this bad?
Alpine uses musl instead of glibc. PyPI's Linux wheels (manylinux) are built for
glibc, so on Alpine most packages with C code are compiled from source: the build
needs gcc, musl-dev, python3-dev and library headers, takes far longer (up to 50x),
and the image often ends up larger than on the slim Debian image. Subtle runtime
differences of musl (DNS, threads' stack size, locale) surface as hard-to-debug bugs.

## Example
```dockerfile
FROM python:3.12-alpine3.20
RUN apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev \\
 && pip install --no-cache-dir -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix safety
No fix: changing the base image changes the operating system packages, their names
(`apk` against `apt-get`) and the C library; that needs a person.
"""

RULE = Rule(
    "PDH201",
    "no-alpine-python",
    "Python stage on an Alpine (musl) base image",
    doc=DOC,
)
RULES = (RULE,)

_ALPINE_TAG = re.compile(r"alpine[0-9.]*", re.IGNORECASE)
# python3 and py3-* packages, maybe with a version constraint or a repository tag.
_PY_PACKAGE = re.compile(r"(?:python3|py3-[A-Za-z0-9._+-]+)(?:[@~=<>].*)?")
# apk options (before or after ``add``) that take a separate value.
_APK_VALUE_OPTIONS = frozenset(
    {"-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir"}
)


# What to use instead of a plain Alpine image that installs Python.
APK_SUGGESTION = "python:3-slim"


def split_image(ref: str) -> tuple[str, str, str, str]:
    """(registry/namespace prefix with trailing '/', name, tag, '@digest' suffix)."""
    digest = ""
    at = ref.find("@")
    if at != -1:
        ref, digest = ref[:at], ref[at:]
    slash = ref.rfind("/")
    prefix, rest = ref[: slash + 1], ref[slash + 1 :]
    name, _, tag = rest.partition(":")
    return prefix, name, tag, digest


def _slim_tag(tag: str) -> str:
    return _ALPINE_TAG.sub("slim", tag, count=1)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    # A stage built on another stage is judged with the stage at the root of
    # its chain: one finding, at the FROM that names the Alpine image.
    families: dict[int, list[Stage]] = {}
    for stage in model.stages:
        families.setdefault(stage.root, []).append(stage)
    for index, family in families.items():
        root_stage = model.stages[index]
        base = root_stage.base
        if "$" in root_stage.base_raw:
            resolved = _base_as_written(model, root_stage)
            if resolved is None:
                continue  # unresolvable
            base = resolved
        prefix, name, tag, _ = split_image(base)
        name = name.lower()
        if name in ("python", "pypy") and "alpine" in tag.lower():
            suggestion = f"{prefix}{name}:{_slim_tag(tag)}"
            yield _finding(model, root_stage, base, suggestion)
        elif name == "alpine" and any(_installs_python(s) for s in family):
            yield _finding(
                model, root_stage, base, APK_SUGGESTION, " with the minor version you need"
            )


def _base_as_written(model: Dockerfile, stage: Stage) -> str | None:
    """The stage's base with ARG defaults put in, or as written when it uses an
    ARG without a default (its value comes from ``--build-arg``); None when it
    cannot be read."""
    from hooks._dockerfile.words import WordError, process_word

    try:
        parts = process_word(stage.base_raw, model.escape)
    except WordError:
        return None
    for part in parts:
        if len(part) <= 2 or part[2] in ("-", ":-"):
            continue  # literal text, or a reference with its own default
        if part[1] not in model.global_args or part[1] in model.build_args:
            return stage.base_raw
    return None if "$" in stage.base else stage.base


def _installs_python(stage: Stage) -> bool:
    """Whether a RUN of the stage leaves Python installed with ``apk add``."""
    for ins in stage.instructions:
        # Virtual groups holding Python that this RUN adds, and names it deletes.
        groups: set[str] = set()
        deleted: set[str] = set()
        for argv in _argvs(ins.effective):
            added = _apk_adds_python(argv)
            if added is True:
                return True
            if isinstance(added, str):
                groups.add(added)
            deleted |= _apk_deletes(argv)
        if groups - deleted:
            return True
    return False


def _argvs(run: Instruction) -> list[tuple[str, ...]]:
    """The argument vectors a RUN executes (shell form, exec form, ``sh -c``)."""
    return [c.argv for c in run.shell_commands()]


def _apk_words(argv: Sequence[str], subcommand: str) -> list[str] | None:
    if len(argv) < 2 or argv[0].rsplit("/", 1)[-1] != "apk" or subcommand not in argv:
        return None
    return list(argv[argv.index(subcommand) + 1 :])


def _apk_adds_python(argv: Sequence[str]) -> bool | str:
    """Whether ``apk add`` installs python3 or py3-*: True, or the name of the
    virtual group (``--virtual NAME``, ``-t NAME``) that holds them, else False.

    A virtual group can be deleted again (``apk del NAME``), but until it is, the
    stage has Python: only a deletion in the same RUN takes it away.
    """
    words = _apk_words(argv, "add")
    if words is None:
        return False
    packages: list[str] = []
    group: str | None = None
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("--virtual", "-t"):
            group = words[i + 1] if i + 1 < len(words) else ""
            i += 2
            continue
        if word.startswith("--virtual="):
            group = word[len("--virtual=") :]
        elif word.startswith("-t") and len(word) > 2:
            group = word[2:]
        elif word in _APK_VALUE_OPTIONS:
            i += 2
            continue
        elif not word.startswith("-"):
            packages.append(word)
        i += 1
    if not any(_PY_PACKAGE.fullmatch(p) for p in packages):
        return False
    return True if group is None else group


def _apk_deletes(argv: Sequence[str]) -> set[str]:
    """The packages and virtual groups ``apk del`` removes."""
    words = _apk_words(argv, "del")
    if words is None:
        return set()
    return {w for w in words if not w.startswith("-")}


def _finding(
    model: Dockerfile, stage: Stage, base: str, suggestion: str, hint: str = ""
) -> Finding:
    ins = stage.from_instruction
    return Finding(
        RULE,
        ins.start,
        f"`{base}` is Alpine (musl): PyPI's manylinux wheels do not install, so "
        f"packages compile from source (slow builds, bigger images); "
        f"use `{suggestion}`{hint}",
        end=ins.end,
    )


SPEC = HookSpec(
    "no-alpine-python",
    RULES,
    check,
    name="no Alpine base for Python",
    description="Flags Python stages built on Alpine (musl) images; use python:<version>-slim.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._engine.runner import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
