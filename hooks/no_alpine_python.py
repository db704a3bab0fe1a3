"""no-alpine-python: Python stages should not be built on Alpine (musl) images."""

from __future__ import annotations

import re

from python_docker_hooks._dockerfile.facts import family, installs_python
from python_docker_hooks._dockerfile.image import (
    ALPINE,
    image_facts,
    known_image,
    library_name,
    python_image,
    stage_image,
)
from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._engine.vocabulary import Finding, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Stage
    from python_docker_hooks._engine.vocabulary import Context

DOC = """\
## What it does
Flags a build stage that runs Python on an Alpine base: `python:*alpine*` or
`pypy:*alpine*` (the official images: Docker Hub's library or its known mirrors,
after `ARG` substitution), uv's Alpine
Python images (`ghcr.io/astral-sh/uv:python3.12-alpine`), or `alpine*` with
`apk add` of `python3` or `py3-*` packages. Packages added to a virtual group
(`apk add --virtual .build-deps python3`) count too: the group can be deleted, but
until it is the stage runs Python; only an `apk del` of the group in the same `RUN`
takes them away.

A base this tool does not know (`FROM $BUILD_FROM` with the `ARG` given no
default, a private image) is judged by what its stage does: a stage that runs
`apk` (Alpine's package manager) to install `python3`, `python3-dev` or a `py3-*`
package, each of which depends on `python3` in Alpine's aports, is a Python stage
on Alpine. Home Assistant add-ons are built so (`ARG BUILD_FROM`, `FROM
$BUILD_FROM`, `apk add python3`). Wolfi (`cgr.dev/chainguard/*`) has apk too but glibc, and is known by name. A
known non-Python image that installs Python
for a build tool (`node:20-alpine` with `apk add python3 make g++` for node-gyp)
is not judged.

The message names a replacement only where the image's tag scheme is known:
the official `python`/`pypy` images (`alpine3.20` becomes `slim`, as
docker-library/python tags them) and uv's (`python3.12-alpine` becomes
`python3.12-bookworm-slim`, the derived images uv's Docker guide lists). For
another vendor's Alpine Python image (`tiangolo/uwsgi-nginx:python3.8-alpine`)
it asks for a Debian-based tag of that image and names none: rewriting its tag
by another scheme would name an image that does not exist.

## Why is this bad?
Alpine uses musl instead of glibc. PyPI's manylinux wheels are built for glibc
and do not install on musl; a package installs prebuilt on Alpine only when it
also publishes a musllinux wheel (PEP 656), and one with C code that does not
(or not for that Python and architecture) is compiled from source: the build
needs gcc, musl-dev, python3-dev and library headers, takes far longer, and the
image often ends up larger than on the slim Debian image. A slim image takes
the manylinux wheels every such package publishes. Subtle runtime
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

_ALPINE_TAG = LazyPattern(r"alpine[0-9.]*", re.IGNORECASE)

# What to use instead of a plain Alpine image that installs Python.
APK_SUGGESTION = "python:3-slim"
# Why a base the tables do not know is taken for Alpine.
UNKNOWN_BASE = "(an image not known here, whose stage installs Python with apk) "


def _slim_tag(tag: str) -> str:
    return _ALPINE_TAG.compiled.sub("slim", tag, count=1)


# The one vendor image whose Debian tag is derived from its Alpine one: uv's
# documented derived images come as `python3.12-alpine` and
# `python3.12-bookworm-slim` (docs.astral.sh/uv/guides/integration/docker/).
_UV_IMAGE = "ghcr.io/astral-sh/uv"


def _uv_tag(tag: str) -> str:
    # uv's Debian Python images are `python3.12-bookworm-slim`.
    return _ALPINE_TAG.compiled.sub("bookworm-slim", tag, count=1)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    # A stage built on another stage is judged with the stage at the root of
    # its chain: one finding, at the FROM that names the Alpine image.
    chains: dict[int, list[Stage]] = {}
    for stage in model.stages:
        chains.setdefault(stage.root, []).append(stage)
    for index, chain in chains.items():
        root_stage = model.stages[index]
        ref = stage_image(model, root_stage)
        if ref is None:
            continue
        if not known_image(ref):
            # An image the tables do not know (a build argument without a
            # default, a private image): Alpine when it runs apk, a Python
            # stage when that apk installs Python.
            if family(model, root_stage) == ALPINE and any(
                installs_python(s) for s in chain
            ):
                yield _finding(
                    model,
                    root_stage,
                    ref.text,
                    APK_SUGGESTION,
                    " with the minor version you need",
                    UNKNOWN_BASE,
                )
            continue
        if ref.unresolved and "$" not in ref.tag:
            continue  # unresolvable
        if "alpine" not in ref.tag.lower() and library_name(ref) != "alpine":
            continue
        name = python_image(ref)
        if name is not None:
            suggestion = f"{ref.prefix}{ref.name}:{_slim_tag(ref.tag)}"
            yield _finding(model, root_stage, ref.text, suggestion)
        elif ref.unresolved:
            continue
        elif image_facts(ref).python and image_facts(ref).family == ALPINE:
            if ref.path == _UV_IMAGE:
                # uv's Alpine Python images (ghcr.io/astral-sh/uv:python3.12-alpine).
                suggestion = f"{ref.prefix}{ref.name}:{_uv_tag(ref.tag)}"
                yield _finding(model, root_stage, ref.text, suggestion)
            else:
                # Another vendor's Python image (tiangolo/uwsgi-nginx:python3.8-
                # alpine): its Debian tags follow its own scheme, so none is named.
                advice = f"use a Debian-based (glibc) tag of `{ref.prefix}{ref.name}`"
                yield _finding(model, root_stage, ref.text, "", advice=advice)
        elif library_name(ref) == "alpine" and any(installs_python(s) for s in chain):
            yield _finding(
                model, root_stage, ref.text, APK_SUGGESTION, " with the minor version you need"
            )


def _finding(
    model: Dockerfile,
    stage: Stage,
    base: str,
    suggestion: str,
    hint: str = "",
    why: str = "",
    *,
    advice: str = "",
) -> Finding:
    ins = stage.from_instruction
    advice = advice or f"use `{suggestion}`{hint}"
    return Finding(
        RULE,
        ins.start,
        f"`{base}` {why}is Alpine (musl): PyPI's manylinux (glibc) wheels do not install, so "
        f"a package without a musllinux wheel compiles from source (slow builds, bigger "
        f"images); {advice}",
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
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
