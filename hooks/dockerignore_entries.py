"""dockerignore-entries: each build context's ignore file keeps caches, virtualenvs,
secrets and VCS data out of the build."""

from __future__ import annotations

import itertools

from python_docker_hooks._dockerfile.reads import vcs_versioning
from python_docker_hooks._dockerfile.text import newline_of
from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
from python_docker_hooks._dockerignore.syntax import (
    PatternError,
    compiled,
    plain_text,
    read_line,
)
from python_docker_hooks._engine.vocabulary import (
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

    from python_docker_hooks._dockerignore.ignorefile import IgnoreLine
    from python_docker_hooks._dockerignore.syntax import CompiledPattern
    from python_docker_hooks._engine.builds import Build
    from python_docker_hooks._engine.vocabulary import Context

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
Only the contexts of Python builds are judged: an ignore file whose builds are
all known, none running a Python stage (no Python base image, no Python
installed or run; a Node or Go service beside the Python one), gets no
findings but its syntax errors (PDH905), and none is created for it. Nor does
one whose builds all take nothing from the context (no COPY/ADD of it, no bind
mount, no `ONBUILD`, on base images that are known): BuildKit loads only the
context paths those name (the Dockerfile frontend's `ctxPaths`, passed on as
`FollowPaths`), so such a build loads none, whatever the file excludes.

A pattern counts as present when the ignore file, read as BuildKit reads it
(moby/patternmatcher: last matching line wins, `!` re-includes, a matched
directory excludes what is below it), excludes sample paths for it, tried at the
root and, for a leading `**/`, in each directory the context really has (a walk
of it, tracked or not, since BuildKit sends what is there whatever git makes of
it; the shallowest 200, read a depth at a time; no symlink followed; `.git`,
virtualenvs and caches not entered): for `**/__pycache__` and a context holding `src/pkg/`, `__pycache__`,
`src/__pycache__` and `src/pkg/__pycache__`; for `**/*venv`, `venv` and `.venv`
in the same places. Any spelling that excludes them will do. `.git` is asked
for only where a build can send it: when the context is the repository's root,
or holds a `.git` of its own (BuildKit sends the context directory's files; a
`.git` above the context is never among them). The ignore file of a Dockerfile
is `<Dockerfile name>.dockerignore` beside it when that exists, else
`.dockerignore` in its build context (docs/contexts.md says how contexts are
found).

An existing line is intent. A line that excludes part of what a pattern names
(`.git/objects/*` for `.git`, `node_modules` for `**/node_modules`,
`__pycache__/` for `**/__pycache__` once the context has subdirectories) is
reported at that line, and nothing is appended beside it. The finding names the
files of the context the ignore file still sends and the pattern would exclude
(at most three, the rest counted), as git lists them (tracked, and untracked
not ignored) or, outside git, as a walk finds them (which skips virtualenvs,
caches and `node_modules`); when there are none it says no file is affected
today. Of those files, the ones the build reads are named apart, as ones that
must stay sent, as the guard on a fix (PDH903) judges them: a path a COPY/ADD
source or a bind mount names, and a file git tracks in a directory copied or in
a whole context copied (a helper script `bin/create-venv` that `COPY bin/*`
copies, which `**/*venv` matches). The sample paths only decide that the line is partial and
are never shown. What is below `.git` is in no listing: for `.git` the finding
says the rest of it is sent. A pattern matches as BuildKit's does (moby/patternmatcher:
`.git` matches the path `.git` and what is below it, never `.gitignore`).

An exception for a directory that holds such paths (`*` then `!src` sends
`src/__pycache__`, `src/.venv`, `src/.env`) is reported by PDH904, and not
overridden.
"""

_FIX_GUARD = """\
A fix edits or creates the ignore file only for a context that is known: one
declared (`[tool.python-docker-hooks.contexts]`, a compose file), or inferred
from COPY sources that all resolved. For a guessed context the finding says so
and how to declare it, and no file is created or changed.

A pattern is never appended when it would exclude something the build reads
(PDH903 names it for a required pattern; a recommended one is left out without
a word):

- a path a COPY/ADD source names, and the files git tracks below it;
- with `COPY . …` (or a bind mount of the whole context), every file git tracks
  in the context: tracked files are the project's, and the ignore file is for
  the untracked rest (outside git, every file a walk finds);
- the source of a `RUN --mount=type=bind` without `from=`;
- `.git`, with the whole context copied or mounted, when a RUN runs `git` in a
  work tree (`git clone`, `init`, `ls-remote` read none), or when the project
  is versioned from git and a RUN installs or builds it (`pip install .`, `uv
  sync` or `poetry install` without their no-project options, `python -m
  build`): setuptools-scm (its docs, "with Docker/Podman", mount `.git` for the
  install), hatch-vcs (`[tool.hatch.version] source = "vcs"`, built on
  setuptools-scm), versioneer (`git describe`), poetry-dynamic-versioning and
  dunamai (versions from VCS tags), pbr (its docs: "Manage version number based
  on git revisions and tags"), as `pyproject.toml`, `setup.cfg` or `setup.py` at
  the context's root names them;
- `.python-version`, with the whole context copied, when a RUN runs uv (which
  looks for it in the working directory and each parent, never below: uv's
  docs, "Python version files"; `find_nearest` in uv-python's
  `version_files.rs` walks the directory's ancestors) or pyenv (which reads the version `pyenv local`
  wrote there) after a COPY/ADD or bind mount put the context's
  `.python-version` in that RUN's WORKDIR or a parent of it; a uv run before
  the copy, or one in the parent of the directory the context went into, reads
  none. Where the directories are not known (a variable without a value, a
  copy from another stage, a `cd` in the RUN), it is taken as read.
"""

MISSING_DOC = f"""\
## What it does
Checks that the ignore file of every build context excludes at least `.git`,
`__pycache__` at any depth, virtual environments (`.venv`, `venv`) at any depth
and `.env` files at any depth; a missing ignore file is reported too.

{_HOW_JUDGED}
## Why is this bad?
What a build takes from its context is sent to the builder, less what the ignore
file excludes (BuildKit sends the paths that COPY, ADD and bind mounts name: for
`COPY . .`, all of it), and `COPY . .` puts it in the image: the repository's history, compiled caches from the host's Python
(possibly another version), a virtualenv built for the host, and `.env` files,
which usually hold secrets. The image gets bigger, builds get slower and cache
less, and secrets end up in a layer.

## Example
```dockerignore title=".dockerignore"
*.log
```

## Use instead
```dockerignore title=".dockerignore"
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
file's line endings. A pattern a `!` line re-includes is not added (PDH904),
nor one beside a line that already covers part of it.

{_FIX_GUARD}"""

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
```dockerignore title=".dockerignore"
.git
**/__pycache__
**/*venv
**/.env
```

## Use instead
```dockerignore title=".dockerignore"
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
Safe, as for PDH901: patterns are appended under the header, with the same
guard. The recommended set is where it matters most: `*.db` would drop a
tracked `search.db` the application opens, `**/charts` a Python package named
`charts`, `.python-version` the file uv reads.

{_FIX_GUARD}"""

CONFLICT_DOC = """\
## What it does
Reports a required pattern that is not added because it would exclude
something the build reads, naming the path and the instruction that reads it: a COPY/ADD source (an explicit `COPY .env …`, or `COPY
requirements.txt …` against a configured `*.txt`), a file git tracks that `COPY
. …` copies (a `search.db` the application opens, a package named `charts/`), a
`RUN --mount=type=bind` source, `.git` where the build runs git or installs a
project versioned from git (setuptools-scm, hatch-vcs, versioneer, dunamai,
pbr), or `.python-version` where uv or pyenv runs. See PDH901's fix safety for
how each is found and why it is read.

A recommended pattern (PDH902) that the same reads rule out is left out without
a finding: it does not fit this context (a tracked `search.db` the application
opens, a `.python-version` uv reads), and nothing in the ignore file could
answer a finding about it, which would then stay on every run. For the same
reason, a line that covers part of a recommended pattern is not reported when
every file the whole pattern would add is one the build reads.

## Why is this bad?
The file is then either in the image on purpose, or copied by mistake. Adding the
pattern would make the build fail (the source is not in the context), pick
another Python or version, or ship less than intended; leaving it out keeps what
the pattern protects against.

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
names: one aimed at it (`!.env` or `!config/.env` after `**/.env`), or one for a
directory that holds such paths in this context (`*` then `!src` sends
`src/__pycache__`, `src/.venv` and `src/.env`). The directories tried are the
context's own (git's listing, or a walk outside git). The finding names the
files of the context the exception really sends that a pattern would exclude
(at most three, the rest counted), or says that none is affected today; the
sample paths tried are never shown.

## Why is this bad?
The last matching line wins: the exception sends the path to the builder again,
and `COPY . .` puts it in the image.

## Example
```dockerignore title=".dockerignore"
*
!src
```

```dockerfile
FROM python:3.12-slim
COPY src /app/src
```

```text title="src/.env"
API_TOKEN=s3cret
```

## Use instead
Exclude, after the exception, what must not be sent from below it (the
required and the recommended patterns that can match there):

```dockerignore title=".dockerignore"
*
!src
**/__pycache__
**/*venv
**/.env
**/.pytest_cache
**/.mypy_cache
**/.ruff_cache
**/node_modules
**/.vscode
**/.idea
**/.gitignore
**/docker-compose*
**/charts
```

## Fix safety
No fix: the exception was written on purpose, and appending a pattern after it
would override part of it; that is for a person to decide.
"""

INVALID_DOC = """\
## What it does
Reports a line BuildKit cannot read: a pattern with a bad character class (`[`
unclosed, `[]a]`, a reversed range such as `[z-a]`), a trailing `\\`, a lone `!`,
or a line longer than 64 KiB.

## Why is this bad?
BuildKit refuses the whole ignore file, so every build with this context fails.

## Example
```dockerignore title=".dockerignore"
src/[generated
```

## Use instead
```dockerignore title=".dockerignore"
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
    "a pattern to add would exclude something the build reads",
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


# Directories a sample is tried under when the context's own are not known
# (a run without a resolver).
SAMPLE_DIRECTORIES = ("app", "app/sub")
# At most this many of the context's directories are tried, shallowest first.
MAX_DIRECTORIES = 200


def samples(pattern: str, directories: Sequence[str] = SAMPLE_DIRECTORIES) -> list[str]:
    """Paths a pattern is meant to exclude: at the root and, for a leading
    ``**/``, in each of ``directories``; each ``*`` as nothing and as ``.``
    (``*venv``: ``venv``, ``.venv``), or as ``x`` before a ``.`` (``*.db``:
    ``x.db``), a ``?`` as ``x``; at the root each with a child path too (a
    directory's contents go with it)."""
    body = pattern.strip().lstrip("/")
    anywhere = body.startswith("**/")
    if anywhere:
        body = body[3:]
    names = {""}
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "*":
            while i + 1 < len(body) and body[i + 1] == "*":
                i += 1
            # ``*.db``: a name before the suffix (``x.db``; ``.db`` alone is a
            # dotfile, which ``.*`` would exclude); else nothing and ``.``.
            fills = ("x",) if body[i + 1 : i + 2] == "." else ("", ".")
            names = {n + fill for n in names for fill in fills}
        elif ch == "?":
            names = {n + "x" for n in names}
        elif ch == "\\" and i + 1 < len(body):
            i += 1
            names = {n + body[i] for n in names}
        else:
            names = {n + ch for n in names}
        i += 1
    bases = sorted(n for n in names if n and not n.endswith("/"))
    out: list[str] = []
    for base in bases:
        out.extend((base, f"{base}/x"))
    if anywhere:
        # The same names below each directory (their contents are judged at
        # the root: what excludes ``name`` there excludes ``d/name`` with it).
        out.extend(f"{d}/{base}" for d in directories for base in bases)
    return out


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


class _Judged:
    """How the ignore file stands against one wanted pattern, on the context's
    directories: the samples sent with no line deciding (``gap``), those an
    exception for a directory holding them sends (``sent_by``), an exception
    aimed at the pattern itself (``reincluded_by``), a line covering part of the
    pattern (``partial``), and what the build reads that the pattern would
    exclude (``conflicts``: the path shown, and which instruction reads it)."""

    __slots__ = (
        "pattern",
        "rule",
        "gap",
        "sent_by",
        "reincluded_by",
        "partial",
        "conflicts",
    )

    def __init__(self, pattern: str, rule: Rule) -> None:
        self.pattern = pattern
        self.rule = rule
        self.gap: list[str] = []
        self.sent_by: dict[int, tuple[IgnoreLine, list[str]]] = {}
        self.reincluded_by: IgnoreLine | None = None
        self.partial: IgnoreLine | None = None
        self.conflicts: list[tuple[str, str]] = []

    @property
    def fixable(self) -> bool:
        """Missing, and nothing written or read stands in the way of adding it."""
        return (
            bool(self.gap)
            and not self.sent_by
            and self.reincluded_by is None
            and self.partial is None
            and not self.conflicts
        )


# Pattern -> IgnoreFile of that one line (None: not a valid pattern).
_ALONE: dict[str, IgnoreFile | None] = {}


def _alone(pattern: str) -> IgnoreFile | None:
    if pattern not in _ALONE:
        ignore = IgnoreFile(pattern)
        _ALONE[pattern] = None if ignore.errors else ignore
    return _ALONE[pattern]


def _samples_of(pattern: str, directories: Sequence[str] = ()) -> tuple[str, ...]:
    """The samples the pattern itself excludes (a class or an escape can make a
    sample miss it); () when it excludes none of them."""
    return tuple(_sample_paths(pattern, directories))


def _sample_paths(pattern: str, directories: Sequence[str] = ()) -> Iterator[str]:
    """``_samples_of``, one at a time: those at the root first, then those in
    each directory (made only when asked for: a judge that has its answer at
    the root makes none of the others)."""
    alone = _alone(pattern)
    if alone is None:
        return
    root = samples(pattern, ())
    found = [path for path in root if alone.decide(path)[0]]
    yield from found
    if directories and pattern.strip().lstrip("/").startswith("**/"):
        # A leading ``**/`` matches a name at any depth as at the root.
        kept = [path for path in found if "/" not in path]
        for directory in directories:
            for name in kept:
                yield f"{directory}/{name}"


def _narrower(line: IgnoreLine, pattern: str) -> bool:
    """Whether ``line`` excludes only part of what ``pattern`` does: every path
    it is written for is one the pattern excludes (``.git/objects/*`` of
    ``.git``, ``node_modules`` of ``**/node_modules``)."""
    wanted = _alone(pattern)
    if wanted is None or line.pattern is None or line.exception:
        return False
    own = _samples_of(line.pattern)
    return bool(own) and all(wanted.decide(path)[0] for path in own)


def _judge(
    ignore: IgnoreFile,
    pattern: str,
    rule: Rule,
    directories: Sequence[str],
    decide: Callable[[str], tuple[bool, IgnoreLine | None]],
) -> _Judged:
    judged = _Judged(pattern, rule)
    sampled = _sample_paths(pattern, directories)
    first = next(sampled, None)
    if first is None:
        # Nothing to judge by: present when some line reads as the same pattern.
        wanted = read_line(pattern)
        if wanted is not None and all(line.pattern != wanted for line in ignore.lines):
            judged.gap.append(pattern)
        return judged
    lines = ignore.lines
    wanted = read_line(pattern)
    exceptions = [i for i, line in enumerate(lines) if line.exception]
    if not ignore.errors and any(
        line.pattern == wanted and (not exceptions or exceptions[-1] < i)
        for i, line in enumerate(lines)
    ):
        # A line of the same pattern with no exception after it: every path the
        # pattern matches is left out (the last line matching decides, and no
        # later one re-includes), in every directory; none needs trying.
        return judged
    wanted_pattern = _compiled(pattern)
    for path in itertools.chain((first,), sampled):
        excluded, line = decide(path)
        if excluded:
            continue
        if not exceptions:
            # No exception line: nothing re-includes or sends on purpose, and
            # one path sent is the gap.
            judged.gap.append(path)
            break
        if line is not None and line.exception:
            if _aims_at(line, wanted_pattern, path):
                judged.reincluded_by = judged.reincluded_by or line
            elif not path.endswith("/x"):
                # An exception for a directory holding the path (``!src`` sends
                # ``src/__pycache__``): written on purpose, and not overridden.
                judged.sent_by.setdefault(line.number, (line, []))[1].append(path)
        elif not path.endswith("/x") or not judged.gap:
            judged.gap.append(path)
    if judged.reincluded_by is None:
        judged.reincluded_by = _reincluding(ignore, pattern)
    if judged.gap:
        # The line that covers most of the pattern (``**/.venv`` rather than a
        # later ``.venv``, of ``**/*venv``); of equals, the last.
        # Coverage: how many of the pattern's samples, at the root and in a
        # directory, the line alone excludes.
        samples = _samples_of(pattern, ("d",))
        widest = -1
        for line in ignore.patterns:
            if _narrower(line, pattern):
                assert line.pattern is not None
                alone = _alone(line.pattern)
                covered = sum(1 for p in samples if alone is not None and alone.decide(p)[0])
                if covered >= widest:
                    widest = covered
                    judged.partial = line
    return judged


def _compiled(pattern: str) -> CompiledPattern | None:
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
        exception.matches(prefix) and wanted.matches(prefix)
        for prefix in _prefixes(path)
    )


def _reincluding(ignore: IgnoreFile, pattern: str) -> IgnoreLine | None:
    """A ``!`` line that decides for a path of its own the pattern excludes
    (``!config/.env`` against ``**/.env``)."""
    wanted = _alone(pattern)
    if wanted is None:
        return None
    for line in ignore.lines:
        if not line.exception or line.pattern is None:
            continue
        for path in _samples_of(line.pattern[1:]):
            if wanted.excludes(path) is not None and ignore.decide(path) == (
                False,
                line,
            ):
                return line
    return None


# --- what the build reads -------------------------------------------------------------


class _Reads:
    """What the builds an ignore file serves read from the context: named paths
    (a COPY/ADD source, a bind mount, a file a tool reads), each with the clause
    saying which instruction reads it; and, when a build takes the whole
    context, the files git tracks in it (the project's files)."""

    __slots__ = ("named", "below", "whole", "builds")

    def __init__(self, builds: Sequence[Build]) -> None:
        self.builds = builds
        # (path, the source as written or None, why): checked as they are.
        self.named: list[tuple[str, str | None, str]] = []
        # (directory, why): the tracked files below it are read.
        self.below: list[tuple[str, str]] = []
        # Why the whole context is read (the first instruction doing it).
        self.whole: str | None = None
        for build in builds:
            self._add(build)

    def _add(self, build: Build) -> None:
        shown = build.dockerfile_shown
        whole: str | None = None
        for cs in build.sources:
            ins = cs.source.instruction
            at = f"{shown}:{ins.start_line}"
            # A RUN bind mount's source is among the sources too.
            verb = "mounts" if cs.source.mount else "copies"
            if cs.paths is None:
                whole = (
                    whole
                    or f"{at} {verb} the whole context (`{cs.source.label} {cs.source.value}`)"
                )
                continue
            shown_source = cs.source.value if cs.source.wildcard else None
            for path in cs.paths:
                self.named.append((path, shown_source, f"{at} {verb}"))
                self.below.append((path, f"{at} {verb} `{cs.source.value}`"))
        reads = build.reads
        if reads is not None:
            for read in reads.mounts:
                at = f"{shown}:{read.instruction.start_line}"
                if read.path == ".":
                    whole = whole or f"{at} mounts the whole context"
                else:
                    self.named.append((read.path, None, f"{at} mounts"))
                    self.below.append((read.path, f"{at} mounts `{read.path}`"))
        if whole is None:
            return
        self.whole = self.whole or whole
        if reads is None:
            return
        if reads.git is not None:
            at = f"{shown}:{reads.git.start_line}"
            self.named.append((".git", None, f"git reads: {at} runs git"))
        if reads.installs_project is not None:
            versioned = vcs_versioning(build.project_files())
            if versioned is not None:
                tool, name = versioned
                at = f"{shown}:{reads.installs_project.start_line}"
                self.named.append(
                    (
                        ".git",
                        None,
                        f"{tool} ({name}) reads to version the project {at} installs",
                    )
                )
        if reads.python_version is not None:
            ins, tool = reads.python_version
            self.named.append(
                (
                    ".python-version",
                    None,
                    f"{tool} reads: {shown}:{ins.start_line} runs {tool}",
                )
            )

    def why_named(self, path: str) -> str | None:
        """Why the build reads ``path`` when a COPY/ADD source, a bind mount or
        a file a tool reads names it; None otherwise."""
        for named, source, why in self.named:
            if path == named:
                return why + (f" (`{source}`)" if source else "")
        return None

    def why_tracked(self, path: str, called: str | None = None) -> str | None:
        """Why the build reads ``path``, a project file (``called``: what the
        listing calls those, by default ``tracked``'s word): a whole context
        copied, or a directory copied that holds it."""
        if called is None:
            called = self.tracked()[1]
        if self.whole is not None:
            return f"{called} and {self.whole}"
        for directory, why in self.below:
            if path.startswith(directory + "/"):
                return f"{called} and {why}"
        return None

    def tracked(self, containing: Sequence[str] = ()) -> tuple[tuple[str, ...], str]:
        """The project's files of the context (those holding one of
        ``containing``, at least), and what they are called: git's tracked
        files, else (no work tree) every file a walk finds."""
        for build in self.builds:
            tracked = build.tracked(containing)
            if tracked is not None:
                return tracked, "git tracks"
        for build in self.builds:
            return build.files(), "is in the context"
        return (), ""


def _conflicts(
    ignore: IgnoreFile,
    judged: _Judged,
    reads: _Reads,
    decide: Callable[[str], tuple[bool, IgnoreLine | None]],
    tracked: Callable[[str], tuple[tuple[str, ...], str]],
) -> None:
    """What the build reads that the pattern, appended, would exclude."""
    widened = ignore.with_lines([judged.pattern])
    for path, source, why in reads.named:
        if not decide(path)[0] and widened.decide(path)[0]:
            shown = f"`{path}`" + (f" (`{source}`)" if source else "")
            judged.conflicts.append((shown, why))
            return
    if reads.whole is None and not reads.below:
        return
    literal = plain_text(judged.pattern)
    files, called = tracked(literal)
    alone = _alone(judged.pattern)
    if alone is None:
        return
    for path in files:
        if literal not in path or not alone.decide(path)[0]:
            continue
        if decide(path)[0] or not widened.decide(path)[0]:
            continue
        reason = reads.why_tracked(path, called)
        if reason is not None:
            judged.conflicts.append((f"`{path}`", reason))
            return


# --- the check --------------------------------------------------------------------------


def _directories(served: Sequence[Build], wanted: Sequence[str]) -> tuple[str, ...]:
    """The directories of the contexts served (``Build.directories``: a walk
    that stops at the depth that fills it), shallowest first, at most
    ``MAX_DIRECTORIES``; the fixed sample ones without builds. A
    directory a wanted pattern names (``src/__pycache__``) is none to try: what
    is below it goes with it."""
    if not served:
        return SAMPLE_DIRECTORIES
    # The names the ``**/`` patterns exclude at any depth.
    named = {
        path
        for pattern in wanted
        if pattern.strip().lstrip("/").startswith("**/")
        for path in _samples_of(pattern)
        if "/" not in path
    }
    if len(served) == 1 or len({b.context for b in served}) == 1:
        return served[0].directories(MAX_DIRECTORIES, named)
    found = {d for build in served for d in build.directories(MAX_DIRECTORIES, named)}
    ordered = sorted(found, key=lambda d: (d.count("/"), d))
    return tuple(ordered[:MAX_DIRECTORIES])


def _newline(text: str) -> str:
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


def _shown_list(paths: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(f"`{p}`" for p in paths[:limit])
    if len(paths) > limit:
        shown += f" and {len(paths) - limit} more"
    return shown


def _listed(served: Sequence[Build]) -> tuple[tuple[str, ...], str]:
    """The files of the contexts ``served`` (each context once), and who lists
    them: git (its tracked files and the untracked ones it does not ignore), or
    a walk of the context outside a work tree (which skips
    ``SKIPPED_DIRECTORIES``)."""
    files: dict[str, None] = {}
    by_git = False
    for build in {b.context: b for b in served}.values():
        files.update(dict.fromkeys(build.files()))
        by_git = by_git or build.index() is not None
    return tuple(sorted(files)), (
        "git lists in the context" if by_git else "a walk of the context finds"
    )


def _slipping(
    ignore: IgnoreFile,
    pattern: str,
    served: Sequence[Build],
    listed: Callable[[], tuple[tuple[str, ...], str]],
    decide: Callable[[str], tuple[bool, IgnoreLine | None]],
    reads: Callable[[], _Reads],
) -> tuple[str, bool]:
    """What a line covering part of ``pattern`` lets through, in the words of a
    message: the context's own files the ignore file sends and the pattern,
    appended, would exclude (a few named, the rest counted), or that there are
    none today; apart, those of them the build reads, which must stay sent. No
    sample path is named: only files that are there. The second item is True
    when there are such files and the build reads every one of them: the line
    is then as wide as it can be."""
    if not served:
        return " (no Dockerfile found is built with this context: its files are not known)", False
    if pattern.strip().strip("/") == ".git":
        # Neither git's listing nor a walk shows what is below `.git`; `.git` is
        # asked for only when a context served holds one (Build.sends_git).
        return ": the rest of the context's `.git` is still sent", False
    files, called = listed()
    alone = _alone(pattern)
    if alone is None:
        return "", False
    literal = plain_text(pattern)
    widened = ignore.with_lines([pattern])
    sent = [
        path
        for path in files
        if literal in path
        and alone.decide(path)[0]
        and not decide(path)[0]
        and widened.decide(path)[0]
    ]
    return _affected_and_read(sent, called, "still sent", reads)


def _affected_and_read(
    sent: Sequence[str], called: str, what: str, reads: Callable[[], _Reads]
) -> tuple[str, bool]:
    """``_affected`` for the files the build does not read; the first one it
    reads is named apart, as one that must stay sent. The second item: whether
    there are files, and the build reads them all. The build reads a path a
    COPY/ADD source or a bind mount names, and, as the guard on a fix judges it
    (PDH903), a file git tracks below a copied directory or in a whole context
    copied: untracked files there are what ignore files are for."""
    if not sent:
        return _affected(sent, called, what), False
    known = reads()
    tracked: set[str] | None = None
    unread = []
    needed: list[tuple[str, str]] = []
    for path in sent:
        why = known.why_named(path)
        if why is None and (known.whole is not None or known.below):
            if tracked is None:
                tracked = set(known.tracked()[0])
            if path in tracked:
                why = known.why_tracked(path)
        if why is None:
            unread.append(path)
        else:
            needed.append((path, why))
    if not needed:
        return _affected(unread, called, what), False
    path, why = needed[0]
    more = f" (and {len(needed) - 1} more the build reads)" if len(needed) > 1 else ""
    if not unread:
        # Every file it would affect is one the build reads: saying that none
        # is affected, and then naming one, would contradict itself.
        return (
            f": of the files {called}, `{path}`, which {why}, is {what} and must stay so{more}",
            True,
        )
    return _affected(unread, called, what) + f"; `{path}`, which {why}, must stay sent{more}", False


def _affected(sent: Sequence[str], called: str, what: str) -> str:
    """The context's files a finding is about, in its words: a few named and
    the rest counted, or that none is affected today."""
    if not sent:
        return f" (no file {called} is affected today)"
    verb = "is" if len(sent) == 1 else "are"
    return f": of the files {called}, {_shown_list(sent, 3)} {verb} {what}"


def _sent_by_exception(
    line: IgnoreLine,
    patterns: Sequence[str],
    served: Sequence[Build],
    listed: Callable[[], tuple[tuple[str, ...], str]],
    decide: Callable[[str], tuple[bool, IgnoreLine | None]],
    reads: Callable[[], _Reads],
) -> str:
    """What the exception ``line`` sends of what ``patterns`` exclude, in the
    words of a message: the context's own files it decides for, never the
    sample paths that found it."""
    if not served:
        return " (no Dockerfile found is built with this context: its files are not known)"
    files, called = listed()
    wanted = [
        (plain_text(p), alone) for p in patterns if (alone := _alone(p)) is not None
    ]
    sent = []
    for path in files:
        if not any(literal in path and alone.decide(path)[0] for literal, alone in wanted):
            continue
        excluded, deciding = decide(path)
        if not excluded and deciding is line:
            sent.append(path)
    return _affected_and_read(sent, called, "sent", reads)[0]


def _uncertain(served: Sequence[Build]) -> str | None:
    """Why no fix may touch the ignore file (None: one may): no build serves it,
    or every build's context is a guess."""
    if not served:
        return "no Dockerfile found is built with this context"
    if any(build.certain for build in served):
        return None
    first = served[0]
    return (
        f"the build context `{first.context_shown}` of {first.dockerfile_shown} is a "
        f"guess ({first.evidence})"
    )


_DECLARE = (
    "; declare it under [tool.python-docker-hooks.contexts] or build it from a compose file"
)


def check(model: IgnoreFile, context: Context) -> Iterator[Finding]:
    served = context.served
    note = _contexts_note(served)
    for finding in _check(model, context):
        if note and finding.rule is not INVALID and "the build context `" not in finding.message:
            finding.message += note
        yield finding


def _contexts_note(served: Sequence[Build]) -> str:
    """What a finding adds to name the contexts the ignore file serves and the
    evidence for each: ``; context `.` (compose.yaml, service web)``; empty
    when it serves none (no build of it is known). A context several builds
    use is named once, with the evidence of two of them and the count of the
    others."""
    builds: dict[str, list[str]] = {}
    for build in served:
        evidence = builds.setdefault(build.context_shown, [])
        if build.evidence not in evidence:
            evidence.append(build.evidence)
    if not builds:
        return ""
    named = [f"`{c}` ({_first_two(e, 'build')})" for c, e in builds.items()]
    shown = ", ".join(named[:2])
    if len(named) > 2:
        shown += f" and {len(named) - 2} more"
    return f"; {'context' if len(named) == 1 else 'contexts'} {shown}"


def _first_two(evidence: Sequence[str], noun: str) -> str:
    shown = "; ".join(evidence[:2])
    rest = len(evidence) - 2
    if rest > 0:
        shown += f"; and {rest} more {noun}{'s' if rest > 1 else ''}"
    return shown


def _check(model: IgnoreFile, context: Context) -> Iterator[Finding]:
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
    if served and all(b.reads is not None and not b.reads.python for b in served):
        # Every build this file serves is known, and none runs a Python stage:
        # its patterns are not this hook's concern.
        return
    if served and all(b.reads is not None and not b.reads.context for b in served):
        # No build this file serves takes anything from its context: BuildKit
        # loads none of it, and what the file excludes changes nothing.
        return
    required = _strings(context.option(MISSING, "required")) + _strings(
        context.option(MISSING, "extra")
    )
    recommended = _strings(context.option(RECOMMENDED_RULE, "recommended"))
    if served and not any(b.sends_git for b in served):
        # No context this file serves can send a .git (it is not the
        # repository's root and has none of its own): nothing to exclude.
        required = [p for p in required if p.strip("/") != ".git"]
    wanted: list[tuple[str, Rule]] = [(p, MISSING) for p in dict.fromkeys(required)]
    wanted += [
        (p, RECOMMENDED_RULE) for p in dict.fromkeys(recommended) if p not in required
    ]
    # What the ignore file decides for a path, asked once per path: every
    # wanted pattern's samples and every path the build reads asks again.
    decided: dict[str, tuple[bool, IgnoreLine | None]] = {}

    def decide(path: str) -> tuple[bool, IgnoreLine | None]:
        found = decided.get(path)
        if found is None:
            found = decided[path] = ignore.decide(path)
        return found

    directories: Sequence[str] | None = None
    judged = []
    for pattern, rule in wanted:
        if not ignore.lines and read_line(pattern) is not None:
            # A file without a line (a missing one is handed over as empty text)
            # excludes nothing and has no line that re-includes or narrows: the
            # pattern is missing, with no sample path to try.
            absent = _Judged(pattern, rule)
            absent.gap.append(pattern)
            judged.append(absent)
            continue
        if directories is None:
            directories = _directories(served, [p for p, _ in wanted])
        judged.append(_judge(ignore, pattern, rule, directories, decide))
    candidates = [j for j in judged if j.fixable]
    reads: _Reads | None = None
    if candidates and served:
        reads = _Reads(served)
        listed: list[tuple[tuple[str, ...], str]] = []
        # One listing for every candidate: the paths holding one of their
        # literals (all of them when one pattern has none).
        literals = [plain_text(j.pattern) for j in candidates]
        containing = () if "" in literals else tuple(dict.fromkeys(literals))

        def tracked(_: str) -> tuple[tuple[str, ...], str]:
            if not listed:
                listed.append(reads.tracked(containing))
            return listed[0]

        for j in candidates:
            _conflicts(ignore, j, reads, decide, tracked)
    # The engine hands a missing ignore file over as empty text.
    empty = not ignore.text and any(
        b.ignore is None and b.ignore_problem is None for b in served
    )
    refused = _uncertain(served)
    for rule in (MISSING, RECOMMENDED_RULE):
        missing = [j.pattern for j in judged if j.rule is rule and j.fixable]
        if not missing:
            continue
        names = ", ".join(f"`{p}`" for p in missing)
        kind = "required" if rule is MISSING else "recommended"
        if empty and rule is MISSING:
            message = f"no ignore file: nothing is kept out of {_whom(served)}; add {names}"
        else:
            message = f"does not exclude {kind} {names}"
        if refused is not None:
            verb = "not created" if empty else "not fixed"
            # A missing file's message names the context and its evidence already.
            why = "the context is a guess" if empty and rule is MISSING and served else refused
            yield Finding(rule, 0, f"{message}; {verb}: {why}{_DECLARE}")
        else:
            yield Finding(rule, 0, message, _append(ignore, missing))
    listings: list[tuple[tuple[str, ...], str]] = []

    def context_files() -> tuple[tuple[str, ...], str]:
        if not listings:
            listings.append(_listed(served))
        return listings[0]

    built: list[_Reads] = []

    def reads_of() -> _Reads:
        if not built:
            built.append(reads if reads is not None else _Reads(served))
        return built[0]

    for j in judged:
        if j.partial is not None and j.gap:
            line = j.partial
            kind = "required" if j.rule is MISSING else "recommended"
            slipping, only_read = _slipping(ignore, j.pattern, served, context_files, decide, reads_of)
            if only_read and j.rule is RECOMMENDED_RULE:
                # Every file the whole pattern would add is one the build reads:
                # the recommendation does not fit this context, and a finding
                # no edit can answer would stay on every run.
                continue
            yield Finding(
                j.rule,
                line.start,
                f"`{line.text.strip()}` excludes only part of {kind} `{j.pattern}`"
                f"{slipping}; the line is kept as written",
                end=line.end,
            )
    # One finding per `!` line, naming every pattern it undoes.
    undone: dict[int, tuple[IgnoreLine, list[str], list[str]]] = {}
    for j in judged:
        if j.reincluded_by is not None:
            _, required, recommended = undone.setdefault(
                j.reincluded_by.start, (j.reincluded_by, [], [])
            )
            (required if j.rule is MISSING else recommended).append(j.pattern)
    for start in sorted(undone):
        line, required, recommended = undone[start]
        parts = []
        if required:
            parts.append(f"what {_shown_list(required)} must exclude")
        if recommended:
            parts.append(f"what recommended {_shown_list(recommended, 3)} would exclude")
        yield Finding(
            REINCLUDED,
            line.start,
            f"`{line.pattern}` re-includes {' and '.join(parts)}",
            end=line.end,
        )
    exceptions: dict[int, tuple[IgnoreLine, list[str], list[str]]] = {}
    for j in judged:
        if j.reincluded_by is not None:
            continue
        for number, (line, paths) in j.sent_by.items():
            entry = exceptions.setdefault(number, (line, [], []))
            entry[1].extend(paths)
            entry[2].append(j.pattern)
    for number in sorted(exceptions):
        line, _, patterns = exceptions[number]
        yield Finding(
            REINCLUDED,
            line.start,
            f"`{line.text.strip()}` re-includes paths {_shown_list(patterns, 3)} would "
            f"exclude{_sent_by_exception(line, patterns, served, context_files, decide, reads_of)}; "
            "the exception is kept as written",
            end=line.end,
        )
    for j in judged:
        if j.rule is RECOMMENDED_RULE:
            # A recommended pattern the build's reads rule out does not fit this
            # context: it is left out without a word, since no edit could answer
            # a finding that would stay on every run. A required one is said.
            continue
        for shown, why in j.conflicts[:1]:
            yield Finding(
                CONFLICT,
                0,
                f"`{j.pattern}` not added: it would exclude {shown}, which {why}",
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
    model_kind=DOCKERIGNORE,
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
