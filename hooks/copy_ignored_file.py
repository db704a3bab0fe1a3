"""copy-ignored-file: a COPY/ADD source the build context's ignore file excludes."""

from __future__ import annotations

from python_docker_hooks._engine.rules import (
    COMPOSE,
    DOCKERFILE,
    DOCKERIGNORE,
    Finding,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._dockerignore.ignorefile import IgnoreLine
    from python_docker_hooks._engine.contexts import Build, ContextSource
    from python_docker_hooks._engine.rules import Context

DOC = """\
## What it does
Flags a `COPY` or `ADD` source, or the source of a `RUN --mount=type=bind`, that
the ignore file of the build context excludes, naming the ignore file's line that
excludes it. For COPY and ADD this is BuildKit's own `CopyIgnoredFile` check
(experimental there, so off in a default build), done before the build. A bind
mount reads the same filtered context: BuildKit's `parseMount` makes a mount a
bind mount when `type` is not given and takes `source` (or `src`) from the
context unless the mount names `from=` (a stage, an image or a named context),
so `--mount=source=.git,target=.git` with `.git` excluded fails as a COPY of it
would.

Sources are taken as BuildKit takes them: after `ARG`/`ENV` expansion (the JSON
form `COPY ["${REQ}", "."]` is expanded too: `SourcesAndDest.Expand`), in the
stages the build runs (the target's, or the last stage's, and those it is built on
or copies from); `--from` sources, URLs and heredocs are not from the context. A
wildcard source is matched against the files in the context: it is flagged when
every file it matches is excluded (or, matching none, when BuildKit's own check
would flag its text). `COPY . …` is fine: leaving things out is what the ignore
file is for. A directory that is excluded but whose contents a `!` line
re-includes (`*` then `!src/*`) is in the context with those contents, and is not
flagged (BuildKit's own check flags it, though the build works). The ignore file
and the context are found as for
`dockerignore-entries` (per-Dockerfile ignore file, compose files, config).

## Why is this bad?
An excluded file is not in the build context: the build fails with
`"/requirements.txt": not found`, or, where a directory is partly excluded, the
image silently holds less than the Dockerfile says.

## Example
```dockerignore title=".dockerignore"
*.txt
```

```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
```

## Use instead
```dockerignore title=".dockerignore"
*.txt
!requirements.txt
```

## Fix safety
No fix: either the ignore file or the Dockerfile is wrong, and only a person knows
which.
"""

RULE = Rule(
    "PDH911",
    "copy-ignored-file",
    "COPY/ADD or RUN bind-mount source excluded by the build context's ignore file",
    buildkit="CopyIgnoredFile",
    doc=DOC,
)
RULES = (RULE,)


def _excluded_by(build: Build, cs: ContextSource) -> tuple[str, IgnoreLine] | None:
    """(what is excluded, the deciding line) when the source is left out."""
    ignore = build.ignore
    assert ignore is not None
    source = cs.source
    paths = cs.paths
    if paths is None:
        return None
    if not source.wildcard:
        line = ignore.excludes(paths[0])
        if line is None or ignore.reincludes_below(paths[0]) is not None:
            # A directory whose contents an exception sends again is there.
            return None
        return (paths[0], line)
    if not paths:
        # Nothing matches in the context: BuildKit's check reads the text.
        line = ignore.excludes(source.value)
        return (source.value, line) if line is not None else None
    lines = [ignore.excludes(path) for path in paths]
    if all(line is not None for line in lines):
        line = lines[0]
        assert line is not None
        return (source.value, line)
    return None


def _cleaned(value: str) -> str:
    from python_docker_hooks._dockerignore.syntax import go_clean

    return go_clean(go_clean(value).lstrip("/"))


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    builds = context.builds
    seen: set[tuple[int, str, int]] = set()
    for build in builds:
        ignore = build.ignore
        if ignore is None or ignore.errors:
            continue
        for cs in build.sources:
            found = _excluded_by(build, cs)
            if found is None:
                continue
            what, line = found
            key = (cs.source.start, build.ignore_path, line.number)
            if key in seen:
                continue
            seen.add(key)
            shown = f"`{cs.source.value}`"
            if what not in (cs.source.value, _cleaned(cs.source.value)):
                shown += f" (`{what}`)"
            where = f"{build.ignore_shown}:{line.number}"
            context_note = f" (build context `{build.context_shown}`, {build.evidence})"
            keyword = cs.source.label
            yield Finding(
                RULE,
                cs.source.start,
                f"{keyword} source {shown} is excluded by {where} "
                f"(`{line.pattern}`){context_note}: it is not in the build context",
                end=cs.source.end,
            )


SPEC = HookSpec(
    "copy-ignored-file",
    RULES,
    check,
    name="COPY/ADD sources not excluded by .dockerignore",
    description=(
        "Flags COPY/ADD sources that the build context's .dockerignore excludes "
        "(BuildKit's CopyIgnoredFile check)."
    ),
    kinds=(DOCKERFILE, DOCKERIGNORE, COMPOSE),
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._engine.runner import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
