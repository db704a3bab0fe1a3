"""build-deps-in-final-stage: compilers and headers stay out of the shipped Python image."""

from __future__ import annotations

import re

from python_docker_hooks._engine.rules import Finding, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.facts import PackageCall
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction
    from python_docker_hooks._engine.rules import Context

DOC = """\
## What it does
Flags a `RUN` of the shipped Python stage (the last stage, or the one `targets`
names in the configuration; or a stage it is built `FROM`) that installs
compilers or headers with `apt-get`/`apt`, `apk` or `dnf`/`yum`/`microdnf` and does
not remove them in the same `RUN`. Build packages are compilers and build tools
(`gcc`, `g++`, `gcc-c++`, `clang`, `make`, `cmake`, `build-essential`, `build-base`,
`rust`, `cargo`, `gfortran`, `autoconf`, `automake`, `libtool`, `pkg-config`) and
header packages (`*-dev`, `*-devel`, `*-headers`, `musl-dev`, `libc6-dev`). A removal
counts when it names them in the same `RUN`: `apk del` of the `--virtual` group
or of the packages, `apt-get purge`/`remove` (with or without `--auto-remove`),
`dnf remove`, and the official images' idiom of `apt-mark auto '.*'` followed by
`apt-get purge --auto-remove` (every package not marked manual again goes). `apt-get
autoremove` alone does not count: it removes only packages installed as
dependencies (apt-get(8)), not the ones named in `install`. Runtime libraries
(`libpq5`, `libffi8`, `libpq`) are fine.

## Why is this bad?
The compilers and headers are only needed to build wheels, yet they stay in the
image: hundreds of megabytes and more packages with vulnerabilities in production.
A later `RUN` that removes them cannot shrink the layer that holds them: each `RUN`
adds a layer, and a removal only hides files in a new one. A multi-stage build is
what the case calls for: a build stage compiles wheels, the final stage installs
them without a compiler.

## Example
```dockerfile
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
```

## Fix safety
No fix: splitting a build into stages needs to know which files the final stage
needs from the build.
"""

RULE = Rule(
    "PDH801",
    "build-deps-in-final-stage",
    "compilers or headers left in the shipped stage",
    doc=DOC,
)
RULES = (RULE,)

_BUILD_PACKAGES = frozenset(
    {
        "gcc",
        "g++",
        "gcc-c++",
        "cpp",
        "clang",
        "llvm",
        "make",
        "cmake",
        "ninja-build",
        "build-essential",
        "build-base",
        "alpine-sdk",
        "musl-dev",
        "libc-dev",
        "libc6-dev",
        "glibc-devel",
        "linux-headers",
        "rust",
        "rustc",
        "cargo",
        "gfortran",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "pkgconfig",
        "swig",
        "bison",
        "flex",
    }
)
# Versioned compilers (gcc-12, g++-12, clang-16) and header packages.
_BUILD_PATTERN = re.compile(
    r"(?:gcc|g\+\+|clang|llvm)-[0-9.]+|.+-(?:dev|devel|headers)"
)


def is_build_package(name: str) -> bool:
    """Whether a package is a compiler, a build tool or headers."""
    return name in _BUILD_PACKAGES or _BUILD_PATTERN.fullmatch(name) is not None


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.facts import python_stages, shipped_stage

    stage = shipped_stage(model, context.target)
    if stage is None or not python_stages(model)[stage.index]:
        return
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.keyword == "RUN":
                yield from _judge(ins)


def _judge(ins: Instruction) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.facts import INSTALL, REMOVE, package_calls

    calls = package_calls(ins)
    removed: set[str] = set()
    for call in calls:
        if call.action == REMOVE:
            removed.update(call.packages)
    # The official images' idiom: `apt-mark auto '.*'` marks every package as
    # installed automatically (then `apt-mark manual` keeps the saved ones), and
    # `apt-get purge --auto-remove` (or `autoremove`) removes all the others.
    apt_swept = _marks_all_auto(ins) and any(
        c.manager == "apt" and c.action == REMOVE and _auto_removes(c) for c in calls
    )
    for call in calls:
        if call.action != INSTALL or (apt_swept and call.manager == "apt"):
            continue
        if call.virtual and call.virtual in removed:
            continue
        left = [p for p in call.packages if is_build_package(p) and p not in removed]
        if left:
            yield _finding(call, left)


def _marks_all_auto(ins: Instruction) -> bool:
    return any(
        c.argv[:2] == ("apt-mark", "auto") or c.argv[:2] == ("/usr/bin/apt-mark", "auto")
        for c in ins.shell_commands()
    )


def _auto_removes(call: PackageCall) -> bool:
    argv = call.command.argv
    return call.subcommand in ("autoremove", "autopurge") or any(
        w in ("--auto-remove", "--autoremove") for w in argv
    )


def _finding(call: PackageCall, left: list[str]) -> Finding:
    words = call.command.words
    names = ", ".join(f"`{p}`" for p in left[:4]) + (", ..." if len(left) > 4 else "")
    return Finding(
        RULE,
        words[0].start,
        f"{names} stay in the shipped image (not removed in the same RUN); "
        "build wheels in a build stage and install them in a final stage without compilers",
        end=words[-1].end,
    )


SPEC = HookSpec(
    "build-deps-in-final-stage",
    RULES,
    check,
    name="no compilers in the shipped stage",
    description="Flags compilers and headers installed in the shipped Python stage; build wheels in a build stage.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._engine.runner import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
