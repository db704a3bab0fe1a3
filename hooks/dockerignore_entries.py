"""dockerignore-entries: each build context's ignore file keeps caches, virtualenvs,
secrets and VCS data out of the build."""

from __future__ import annotations

from python_docker_hooks._engine.rules import (
    COMPOSE,
    DOCKERFILE,
    DOCKERIGNORE,
    FIX_NONE,
    FIX_SAFE,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile, IgnoreLine
    from python_docker_hooks._dockerignore.syntax import CompiledPattern
    from python_docker_hooks._engine.contexts import Build
    from python_docker_hooks._engine.rules import Context

REQUIRED = (".git", "**/__pycache__", "**/*venv", "**/.env")
RECOMMENDED = (
    "**/.pytest_cache",
    "**/.mypy_cache",
    "**/.ruff_cache",
    "**/node_modules",
    "**/.vscode",
    "**/.idea",
    "*.db",
    ".python-version",
    "**/.gitignore",
    "**/docker-compose*",
    "**/charts",
)
HEADER = "# Kept out of the build context (dockerignore-entries)"

_HOW_JUDGED = """\
A pattern counts as present when the ignore file, read as BuildKit reads it
(moby/patternmatcher: last matching line wins, `!` re-includes, a matched
directory excludes what is below it), excludes sample paths for it: for
`**/__pycache__`, `__pycache__/m.pyc`, `app/__pycache__/m.pyc` and
`app/sub/__pycache__/m.pyc`; for `**/*venv`, `venv` and `.venv` at the root and
below. Any spelling that excludes them will do (`__pycache__/` at the root only
does not). `.git` is asked for only where a build can send it: when the
context is the repository's root, or holds a `.git` of its own (BuildKit sends
the context directory's files; a `.git` above the context is never among
them). The ignore file of a Dockerfile is `<Dockerfile name>.dockerignore`
beside it when that exists, else `.dockerignore` in its build context (see the
README for how contexts are found).
"""

MISSING_DOC = f"""\
## What it does
Checks that the ignore file of every build context excludes at least `.git`,
`__pycache__` at any depth, virtual environments (`.venv`, `venv`) at any depth
and `.env` files at any depth; a missing ignore file is reported too.

{_HOW_JUDGED}
## Why is this bad?
Everything in the build context is sent to the builder, and `COPY . .` puts it in
the image: the repository's history, compiled caches from the host's Python
(possibly another version), a virtualenv built for the host, and `.env` files,
which usually hold secrets. The image gets bigger, builds get slower and cache
less, and secrets end up in a layer.

## Example
```text
# .dockerignore
*.log
```

## Use instead
```text
# .dockerignore
*.log
# Kept out of the build context (dockerignore-entries)
.git
**/__pycache__
**/*venv
**/.env
```

## Options
`required` (list of patterns; default `.git`, `**/__pycache__`, `**/*venv`,
`**/.env`) and `extra` (list of patterns, default empty: more of your own).

## Fix safety
Safe: the missing patterns are appended under a one-line comment header (the
file is created when missing), keeping every existing line, the BOM and the
file's line endings. A pattern that would exclude a file a Dockerfile using this
ignore file COPYs or ADDs is not added (PDH903 reports it), and neither is one a
`!` line re-includes (PDH904).
"""

RECOMMENDED_DOC = f"""\
## What it does
Checks that the ignore file of every build context excludes the recommended set:
tool caches (`.pytest_cache`, `.mypy_cache`, `.ruff_cache`), `node_modules`,
editor folders (`.vscode`, `.idea`), SQLite files at the root (`*.db`),
`.python-version`, `.gitignore` files, compose files and Helm charts.

{_HOW_JUDGED}
## Why is this bad?
None of these belong in an image; each one sent makes the context bigger and
invalidates the cache of `COPY . .` whenever it changes on the host.

## Example
```text
# .dockerignore
.git
**/__pycache__
**/*venv
**/.env
```

## Use instead
```text
# .dockerignore
.git
**/__pycache__
**/*venv
**/.env
# Kept out of the build context (dockerignore-entries)
**/.pytest_cache
**/.mypy_cache
**/.ruff_cache
**/node_modules
**/.vscode
**/.idea
*.db
.python-version
**/.gitignore
**/docker-compose*
**/charts
```

## Options
`recommended` (list of patterns; default the set above). This rule is on by
default, as the project's best practices ask; set `recommended = []` or ignore
PDH902 to turn it off.

## Fix safety
Safe, as for PDH901: patterns are appended under the header, never one that
would exclude a file a Dockerfile COPYs or ADDs.
"""

CONFLICT_DOC = """\
## What it does
Reports a required or recommended pattern that cannot be added because a
Dockerfile built with this ignore file COPYs or ADDs a path the pattern would
exclude (an explicit `COPY .env …`, or `COPY requirements.txt …` against a
configured `*.txt`).

## Why is this bad?
The file is then either in the image on purpose, or copied by mistake. Adding the
pattern would make the build fail (the source is not in the context) or ship less
than intended; leaving it out keeps what the pattern protects against.

## Example
```dockerfile
FROM python:3.12-slim
COPY .env /app/.env
```

## Use instead
Pass secrets at run time (`docker run --env-file .env`) or as build secrets,
and drop the COPY:

```dockerfile
FROM python:3.12-slim
RUN --mount=type=secret,id=env,target=/run/secrets/env ./configure.sh
```

## Fix safety
No fix: whether the file belongs in the image is for a person to decide.
"""

REINCLUDED_DOC = """\
## What it does
Reports a `!` line that re-includes a path a required or recommended pattern
names (for example `!.env` or `!config/.env` after `**/.env`). An exception for a
directory that merely holds such paths (`!app/`, which sends `app/__pycache__`)
is not this rule: PDH901 appends the pattern after it, which excludes them again
and keeps the rest of the directory.

## Why is this bad?
The last matching line wins: the exception sends the path to the builder again,
and `COPY . .` puts it in the image.

## Example
```text
**/.env
!config/.env
```

## Use instead
```text
**/.env
```

## Fix safety
No fix: the exception was written on purpose; removing it is for a person.
"""

INVALID_DOC = """\
## What it does
Reports a line BuildKit cannot read: a pattern with a bad character class (`[`
unclosed, `[]a]`, a reversed range such as `[z-a]`), a trailing `\\`, a lone `!`,
or a line longer than 64 KiB.

## Why is this bad?
BuildKit refuses the whole ignore file, so every build with this context fails.

## Example
```text
src/[generated
```

## Use instead
```text
src/\\[generated
```

## Fix safety
No fix: what the pattern was meant to match is for a person to say.
"""

MISSING = Rule(
    "PDH901",
    "dockerignore-entries",
    "ignore file missing, or lacks a required pattern",
    fix=FIX_SAFE,
    doc=MISSING_DOC,
    options={"required": REQUIRED, "extra": ()},
)
RECOMMENDED_RULE = Rule(
    "PDH902",
    "dockerignore-entries",
    "ignore file lacks a recommended pattern",
    fix=FIX_SAFE,
    doc=RECOMMENDED_DOC,
    options={"recommended": RECOMMENDED},
)
CONFLICT = Rule(
    "PDH903",
    "dockerignore-entries",
    "a pattern to add would exclude a file a Dockerfile copies",
    fix=FIX_NONE,
    doc=CONFLICT_DOC,
)
REINCLUDED = Rule(
    "PDH904",
    "dockerignore-entries",
    "a ! line re-includes a path that must be excluded",
    fix=FIX_NONE,
    doc=REINCLUDED_DOC,
)
INVALID = Rule(
    "PDH905",
    "dockerignore-entries",
    "ignore file line BuildKit cannot read",
    severity="error",
    fix=FIX_NONE,
    doc=INVALID_DOC,
)
RULES = (MISSING, RECOMMENDED_RULE, CONFLICT, REINCLUDED, INVALID)


def samples(pattern: str) -> list[str]:
    """Paths a pattern is meant to exclude: at the root and below for a leading
    ``**/``, each ``*`` as nothing and as ``.`` (``*venv``: ``venv``, ``.venv``), a
    ``?`` as ``x``, each with a child path (a directory's contents go too)."""
    body = pattern.strip().lstrip("/")
    anywhere = body.startswith("**/")
    if anywhere:
        body = body[3:]
    names = {""}
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "*":
            names = {n + fill for n in names for fill in ("", ".")}
            while i + 1 < len(body) and body[i + 1] == "*":
                i += 1
        elif ch == "?":
            names = {n + "x" for n in names}
        elif ch == "\\" and i + 1 < len(body):
            i += 1
            names = {n + body[i] for n in names}
        else:
            names = {n + ch for n in names}
        i += 1
    bases = sorted(n for n in names if n and not n.endswith("/"))
    prefixes = ("", "app/", "app/sub/") if anywhere else ("",)
    out: list[str] = []
    for base in bases:
        for prefix in prefixes:
            out.extend((prefix + base, f"{prefix}{base}/x"))
    return out


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


class _Judged:
    """How the ignore file stands against one wanted pattern."""

    __slots__ = ("pattern", "rule", "missing", "reincluded_by", "conflicts")

    def __init__(self, pattern: str, rule: Rule) -> None:
        self.pattern = pattern
        self.rule = rule
        self.missing = False
        self.reincluded_by: IgnoreLine | None = None
        # (Dockerfile shown, line, what) of sources the pattern would exclude.
        self.conflicts: list[tuple[str, int, str]] = []


# Pattern -> the samples it excludes: a function of the pattern alone, so each
# pattern is matched against its samples once per process, not once per ignore
# file checked (the required and recommended patterns are the same for each).
_SAMPLES: dict[str, tuple[str, ...]] = {}


def _samples_of(pattern: str) -> tuple[str, ...]:
    """The samples the pattern itself excludes (a class or an escape can make a
    sample miss it); () when it excludes none of them."""
    found = _SAMPLES.get(pattern)
    if found is None:
        from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

        alone = IgnoreFile(pattern)
        found = (
            ()
            if alone.errors
            else tuple(path for path in samples(pattern) if alone.decide(path)[0])
        )
        _SAMPLES[pattern] = found
    return found


def _judge(
    ignore: IgnoreFile,
    pattern: str,
    rule: Rule,
    served: Sequence[Build],
    decide: Callable[[str], tuple[bool, IgnoreLine | None]],
) -> _Judged:
    from python_docker_hooks._dockerignore.syntax import read_line

    judged = _Judged(pattern, rule)
    paths = _samples_of(pattern)
    if not paths:
        # Nothing to judge by: present when some line reads as the same pattern.
        wanted = read_line(pattern)
        judged.missing = wanted is not None and all(
            line.pattern != wanted for line in ignore.lines
        )
    wanted_pattern = _compiled(pattern)
    for path in paths:
        excluded, line = decide(path)
        if excluded:
            continue
        if line is not None and line.exception and _aims_at(line, wanted_pattern, path):
            judged.reincluded_by = judged.reincluded_by or line
        else:
            # No line, or an exception for a directory that holds the path
            # (``!src`` sends ``src/__pycache__``): the pattern appended after it
            # excludes the path again, and the exception keeps the rest.
            judged.missing = True
    if judged.reincluded_by is None:
        judged.reincluded_by = _reincluding(ignore, pattern)
    if judged.missing and judged.reincluded_by is None:
        widened = ignore.with_lines([pattern])
        for build in served:
            for cs in build.sources:
                for path in cs.paths or ():
                    if not decide(path)[0] and widened.decide(path)[0]:
                        shown = f"`{path}`"
                        if cs.source.wildcard:
                            shown += f" (`{cs.source.value}`)"
                        judged.conflicts.append(
                            (build.dockerfile_shown, cs.source.instruction.start_line, shown)
                        )
                        break
    return judged


def _compiled(pattern: str) -> CompiledPattern | None:
    from python_docker_hooks._dockerignore.syntax import PatternError, compiled

    try:
        return compiled(pattern)
    except PatternError:
        return None


def _prefixes(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _aims_at(line: IgnoreLine, wanted: CompiledPattern | None, path: str) -> bool:
    """Whether the exception ``line`` re-includes, at ``path`` or a directory above
    it, something the wanted pattern itself names (``!.env``, ``!.venv/bin``), not
    only a directory that holds it (``!app``)."""
    exception = _compiled(line.text)
    if exception is None or wanted is None:
        return True
    return any(
        exception.matches(prefix) and wanted.matches(prefix) for prefix in _prefixes(path)
    )


def _reincluding(ignore: IgnoreFile, pattern: str) -> IgnoreLine | None:
    """A ``!`` line that decides for a path of its own the pattern excludes
    (``!config/.env`` against ``**/.env``)."""
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

    wanted = IgnoreFile(pattern)
    for line in ignore.lines:
        if not line.exception or line.pattern is None:
            continue
        for path in _samples_of(line.pattern[1:]):
            if wanted.excludes(path) is not None and ignore.decide(path) == (False, line):
                return line
    return None


def _newline(text: str) -> str:
    from python_docker_hooks._dockerfile.text import newline_of

    return newline_of(text)


def _append(ignore: IgnoreFile, patterns: list[str]) -> Fix:
    text = ignore.text
    newline = _newline(text)
    lines = list(patterns)
    if not any(line.text.rstrip("\r") == HEADER for line in ignore.lines):
        lines.insert(0, HEADER)
    addition = "".join(line + newline for line in lines)
    if text and not text.endswith("\n"):
        addition = newline + addition
    return Fix([Edit(len(text), len(text), addition)], FIX_SAFE)


def check(model: IgnoreFile, context: Context) -> Iterator[Finding]:
    ignore = model
    errors = ignore.errors
    for line in errors:
        yield Finding(
            INVALID,
            line.start,
            f"line {line.number}: {line.error}; BuildKit refuses the build",
            end=line.end,
        )
    if errors:
        return
    served = context.served
    required = _strings(context.option(MISSING, "required")) + _strings(
        context.option(MISSING, "extra")
    )
    recommended = _strings(context.option(RECOMMENDED_RULE, "recommended"))
    if served and not any(b.sends_git for b in served):
        # No context this file serves can send a .git (it is not the
        # repository's root and has none of its own): nothing to exclude.
        required = [p for p in required if p.strip("/") != ".git"]
    wanted: list[tuple[str, Rule]] = [(p, MISSING) for p in dict.fromkeys(required)]
    wanted += [(p, RECOMMENDED_RULE) for p in dict.fromkeys(recommended) if p not in required]
    # What the ignore file decides for a path, asked once per path: every
    # wanted pattern's samples and every COPY source path asks again.
    decided: dict[str, tuple[bool, IgnoreLine | None]] = {}

    def decide(path: str) -> tuple[bool, IgnoreLine | None]:
        found = decided.get(path)
        if found is None:
            found = decided[path] = ignore.decide(path)
        return found

    judged = [_judge(ignore, pattern, rule, served, decide) for pattern, rule in wanted]
    # The engine hands a missing ignore file over as empty text.
    empty = not ignore.text and any(
        b.ignore is None and b.ignore_problem is None for b in served
    )
    for rule in (MISSING, RECOMMENDED_RULE):
        missing = [
            j.pattern
            for j in judged
            if j.rule is rule and j.missing and not j.conflicts and j.reincluded_by is None
        ]
        if not missing:
            continue
        names = ", ".join(f"`{p}`" for p in missing)
        kind = "required" if rule is MISSING else "recommended"
        if empty and rule is MISSING:
            message = f"no ignore file: {_whom(served)} is sent whole; add {names}"
        else:
            message = f"does not exclude {kind} {names}"
        yield Finding(rule, 0, message, _append(ignore, missing))
    for j in judged:
        if j.reincluded_by is not None:
            line = j.reincluded_by
            yield Finding(
                REINCLUDED,
                line.start,
                f"`{line.pattern}` re-includes what `{j.pattern}` must exclude",
                end=line.end,
            )
        for dockerfile, number, source in j.conflicts[:1]:
            yield Finding(
                CONFLICT,
                0,
                f"`{j.pattern}` not added: it would exclude {source}, which "
                f"{dockerfile}:{number} copies",
            )


def _whom(served: Sequence[Build]) -> str:
    if not served:
        return "the build context"
    first = served[0]
    return (
        f"the build context `{first.context_shown}` of {first.dockerfile_shown}"
        f" ({first.evidence})"
    )


SPEC = HookSpec(
    "dockerignore-entries",
    RULES,
    check,
    name="dockerignore excludes caches, virtualenvs, .env and .git",
    description=(
        "Checks that each build context's .dockerignore excludes .git, __pycache__, "
        "virtualenvs and .env files (and a recommended set); appends what is missing."
    ),
    kinds=(DOCKERFILE, DOCKERIGNORE, COMPOSE),
    checks=DOCKERIGNORE,
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._engine.runner import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
