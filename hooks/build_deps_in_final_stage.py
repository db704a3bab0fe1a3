"""build-deps-in-final-stage: compilers and headers stay out of the shipped Python image."""

from __future__ import annotations

from python_docker_hooks._dockerfile.facts import (
    APT_PULLED_IN,
    INSTALL,
    REMOVE,
    auto_removes,
    package_calls,
    python_stages,
)
from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._engine.vocabulary import Finding, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from python_docker_hooks._dockerfile.facts import PackageCall
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction
    from python_docker_hooks._engine.vocabulary import Context

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
or of the packages, `apt-get purge`/`remove`, `dnf remove`, and the official
images' idiom of `apt-mark auto '.*'` followed by `apt-get purge --auto-remove`
(every package not marked manual again goes). `apt-get autoremove` alone does
not count: it removes only packages installed as dependencies (apt-get(8)), not
the ones named in `install`. And `apt-get purge`/`remove` without
`--auto-remove` (or a later `apt-get autoremove`) removes only the packages it
names: what apt installed with them stays. `apt-get purge -y gcc` leaves `gcc-N`
(`gcc-12` on bookworm) and `cpp`; `build-essential` is a metapackage, so purging
it leaves `gcc`, `g++`, `make`, `libc6-dev` and `dpkg-dev` (Debian's Depends, as
`apt-cache depends` lists them); the message names what stays. Package lists
held in variables (`ARG BUILD_DEPS="gcc libpq-dev"`, then `apt-get install -y
$BUILD_DEPS`) are read with the build's values, split as sh splits an unquoted
variable. Package groups count by what they hold: `yum groupinstall
"Development Tools"`, `dnf group install "Development Tools"` and `dnf install
@development` install gcc, gcc-c++ and make (the group's mandatory packages in
the RHEL family's comps), as does "C Development Tools and Libraries". Runtime
libraries (`libpq5`, `libffi8`, `libpq`) are fine.

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
    shipped_only=True,
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
_BUILD_PATTERN = LazyPattern(
    r"(?:gcc|g\+\+|clang|llvm)-[0-9.]+|.+-(?:dev|devel|headers)"
)


# Package groups whose mandatory packages are compilers (the RHEL family's
# comps: "Development Tools", id `development`: autoconf, automake, gcc,
# gcc-c++, make, ...; Fedora's "C Development Tools and Libraries", id
# `c-development`: gcc, gcc-c++, make), by name or id as ``@name`` in lower case.
_BUILD_GROUPS = frozenset(
    {
        "@development tools",
        "@development",
        "@c development tools and libraries",
        "@c-development",
    }
)


def is_build_package(name: str) -> bool:
    """Whether a package is a compiler, a build tool or headers, or a package
    group that installs compilers."""
    return (
        name in _BUILD_PACKAGES
        or name in _BUILD_GROUPS
        or _BUILD_PATTERN.fullmatch(name) is not None
    )


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    stage = model.shipped(context.target)
    if stage is None or not python_stages(model)[stage.index]:
        return
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.keyword == "RUN":
                env = model.env_values(st, ins, build=True)
                yield from _judge(ins, env)


def _judge(ins: Instruction, env: Mapping[str, str]) -> Iterator[Finding]:
    calls = package_calls(ins, env)
    removed: set[str] = set()
    for call in calls:
        if call.action == REMOVE:
            removed.update(call.packages)
    apt_auto = any(
        c.manager == "apt" and c.action == REMOVE and auto_removes(c) for c in calls
    )
    # The official images' idiom: `apt-mark auto '.*'` marks every package as
    # installed automatically (then `apt-mark manual` keeps the saved ones), and
    # `apt-get purge --auto-remove` (or `autoremove`) removes all the others.
    apt_swept = apt_auto and _marks_all_auto(ins)
    for call in calls:
        if call.action != INSTALL or (apt_swept and call.manager == "apt"):
            continue
        if call.virtual and call.virtual in removed:
            continue
        left = [p for p in call.packages if is_build_package(p) and p not in removed]
        # Removed by name, but what apt installed with them stays.
        pulled: dict[str, list[str]] = {}
        if call.manager == "apt" and not apt_auto:
            for p in call.packages:
                if p in removed and is_build_package(p):
                    stays = [d for d in APT_PULLED_IN.get(p, ()) if d not in removed]
                    if stays:
                        pulled[p] = stays
        if left or pulled:
            yield _finding(call, left, pulled)


def _marks_all_auto(ins: Instruction) -> bool:
    return any(
        c.argv[:2] == ("apt-mark", "auto") or c.argv[:2] == ("/usr/bin/apt-mark", "auto")
        for c in ins.shell_commands()
    )


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"`{p}`" for p in names[:4]) + (", ..." if len(names) > 4 else "")


def _finding(call: PackageCall, left: list[str], pulled: dict[str, list[str]]) -> Finding:
    words = call.command.words
    parts = []
    if left:
        verb = "stays" if len(left) == 1 else "stay"
        parts.append(f"{_names(left)} {verb} in the shipped image (not removed in the same RUN)")
    if pulled:
        removed = _names(list(pulled))
        kept = list(dict.fromkeys(d for ds in pulled.values() for d in ds))
        parts.append(
            f"removing {removed} without `--auto-remove` leaves what apt installed "
            f"with {'it' if len(pulled) == 1 else 'them'}: {_names(kept)} "
            f"(`--auto-remove` takes {'it' if len(kept) == 1 else 'them'} too)"
        )
    return Finding(
        RULE,
        words[0].start,
        "; ".join(parts)
        + "; build wheels in a build stage and install them in a final stage without compilers",
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
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
