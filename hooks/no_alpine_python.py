"""no-alpine-python: Python stages should not be built on Alpine (musl) images."""

from __future__ import annotations

import re

from hooks._rules import Finding, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from hooks._parse import Dockerfile, Stage
    from hooks._rules import Context

DOC = """\
## What it does
Flags a build stage that runs Python on an Alpine base: `python:*alpine*` or
`pypy:*alpine*` (with any registry prefix, after `ARG` substitution), or `alpine*`
with `apk add` of `python3` or `py3-*` packages.

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

_ALPINE_TAG = re.compile(r"alpine[0-9.]*")
_PY_PACKAGE = re.compile(r"python3(?:[~=<>].*)?|py3-[A-Za-z0-9._+-]+")


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
    return _ALPINE_TAG.sub("slim", tag.lower(), count=1)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    for stage in model.stages:
        if stage.parent is not None or "$" in stage.base:
            continue  # built on another stage (judged there) or unresolvable
        prefix, name, tag, _ = split_image(stage.base)
        name = name.lower()
        if name in ("python", "pypy") and "alpine" in tag.lower():
            suggestion = f"{prefix}{name}:{_slim_tag(tag)}"
            yield _finding(model, stage, stage.base, suggestion)
        elif name == "alpine" and _installs_python(model, stage):
            yield _finding(model, stage, stage.base, "python:3-slim (pin the minor version)")


def _installs_python(model: Dockerfile, stage: Stage) -> bool:
    for ins in stage.instructions:
        for command in ins.effective.shell_commands():
            argv = command.argv
            if len(argv) < 2 or argv[0].rsplit("/", 1)[-1] != "apk" or "add" not in argv:
                continue
            packages = argv[argv.index("add") + 1 :]
            if "--virtual" in packages or "-t" in packages:
                # A virtual group is a build dependency (e.g. node-gyp's python3),
                # deleted again with `apk del`: the stage does not run Python.
                continue
            if any(_PY_PACKAGE.fullmatch(p) for p in packages if not p.startswith("-")):
                return True
    return False


def _finding(model: Dockerfile, stage: Stage, base: str, suggestion: str) -> Finding:
    ins = stage.from_instruction
    line, col = model.position(ins.start)
    return Finding(
        RULE.code,
        line,
        col,
        f"`{base}` is Alpine (musl): PyPI's manylinux wheels do not install, so "
        f"packages compile from source (slow builds, bigger images); "
        f"use `{suggestion}`",
        end_line=ins.end_line,
    )


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._runner import run_hook

    return run_hook(RULES, check, argv)


if __name__ == "__main__":
    raise SystemExit(main())
