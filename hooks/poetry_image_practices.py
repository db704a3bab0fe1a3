"""poetry-image-practices: Poetry pinned, no dev groups and no Poetry cache in the image."""

from __future__ import annotations

from python_docker_hooks._engine.vocabulary import (
    FIX_NONE,
    FIX_UNSAFE,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._dockerfile.shell import Command, Word
    from python_docker_hooks._engine.vocabulary import Context

PIN_DOC = """\
## What it does
Flags Poetry installed at whatever version is newest, in the stages a build of
the shipped stage runs (the shipped stage, the stages it is built `FROM` and
those it copies or mounts from): `pip install poetry` or `pipx install poetry`
without `==`, and the official installer (`install.python-poetry.org` piped to
Python) run with neither `POETRY_VERSION` in its environment nor `--version`.
The installer reads both (`install.python-poetry.org`'s `install-poetry.py`:
`--version`, else the `POETRY_VERSION` variable, else the latest release).

## Why is this bad?
A rebuild takes a new Poetry: its resolver, its lock file format and its
command line change under the Dockerfile. Poetry 2.0 removed options many
Dockerfiles still pass (`poetry install --no-dev`, CHANGELOG "Remove deprecated
CLI options"), so an unpinned Poetry breaks such builds on the day it ships.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir poetry
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir poetry==2.1.3
```

## Fix safety
No fix: which Poetry version to pin is the project's choice. No hadolint or
BuildKit check maps to this (DL3013 asks for a pin on every pip package).
"""

DEV_DOC = """\
## What it does
Flags `poetry install` (and Poetry 2's `poetry sync`) in those stages that
installs every non-optional dependency group, `dev` included: without
`--only main` (or `--only` another group), `--without` naming `dev`,
`--only-root` ("Exclude all dependencies"), or the `--no-dev` of Poetry before
2.0. Options that a variable or a command substitution supplies
(`$(if [ "$ENV" = production ]; then echo --only main; fi)`) are not known, and
the install is not judged. Poetry computes the groups as `--only`, else the default groups plus
`--with` minus `--without` (`activated_groups` in
`console/commands/group_command.py`). `--no-dev` was deprecated in 1.2 ("use
the `--only main` notation instead") and removed in 2.0: it is taken as meant,
though Poetry 2 stops on it.

The project's `pyproject.toml` is not read: a project without a dev group
installs nothing more.

An install in a stage the shipped one is not built on is judged only when the
image can take its environment: when the build copies or mounts, from that
stage or one built on it, a path that is, holds or lies in a place the
environment may be. Poetry finds `pyproject.toml` in the working directory or
above it (poetry-core `Factory.locate`; `--directory`, `--project` move the
start) and installs into the active environment (`VIRTUAL_ENV`,
`CONDA_PREFIX`), the project's `.venv`, one under `virtualenvs.path`
(`POETRY_VIRTUALENVS_PATH`, else `{cache-dir}/virtualenvs`), or, with
`virtualenvs.create` false, the interpreter's prefix (`/usr/local`, `/usr`,
`/opt/conda` are taken). A builder that installs every group to build the
wheel and the docs, of which the final stage copies only `dist`, ships no dev
group. A `poetry config` of `virtualenvs.path` anywhere in the file, a `cd` in
the RUN, or a variable in a path taken makes the answer not known: judged. A
`virtualenvs.path` set in a `poetry.toml` is not read.

## Why is this bad?
Test runners, linters and type checkers in the shipped environment: more
megabytes, more packages to patch, more tools an attacker finds. The Poetry FAQ's
Docker recipe installs with `--only main`.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir poetry==2.1.3
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir poetry==2.1.3
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root --only main
```

## Fix safety
Unsafe (`--unsafe-fixes`): `--only main` is inserted after the subcommand. It
leaves out every group but `main`, so a runtime dependency kept in another group
goes missing (`--without dev` would instead fail on a project without a `dev`
group: Poetry raises "Group(s) not found").
"""

CACHE_DOC = """\
## What it does
Flags `poetry install` (or `poetry sync`) in the shipped stage (or a stage it
is built `FROM`) that leaves Poetry's cache in the layer. During an install
Poetry keeps every archive it downloads or builds in its artifacts cache,
`{cache-dir}/artifacts`, and HTTP responses under `{cache-dir}/cache`
(`Config.artifacts_cache_directory`, `repository_cache_directory`). The cache
directory is `POETRY_CACHE_DIR`, else `$XDG_CACHE_HOME/pypoetry` or
`~/.cache/pypoetry` (Poetry's configuration docs).

`--no-cache` is not enough: it turns off the HTTP and repository caches only
(`Authenticator(disable_cache=...)`, `CachedRepository`); the artifacts cache is
made from the configuration alone (`RepositoryPool`'s `ArtifactCache`) and still
receives every download. `--only-root` (the project alone, nothing
downloaded) is not judged. Not flagged when the same `RUN` has a cache (or tmpfs)
mount on the cache directory, a directory above it or its `artifacts`
directory, or removes one of those with `rm -r` after the install.

Stages that do not ship are not judged: their cache stays in the build's
layers, not in the image. Mind where the environment is: by default Poetry
creates it under `{cache-dir}/virtualenvs`, so removing or mounting the whole
cache directory takes the environment with it unless
`POETRY_VIRTUALENVS_CREATE=false` or `POETRY_VIRTUALENVS_IN_PROJECT=true`.

## Why is this bad?
The cached archives are a second copy of every dependency, written into the
image and never used again.

## Example
```dockerfile
FROM python:3.12-slim
ENV POETRY_VIRTUALENVS_CREATE=false
RUN pip install --no-cache-dir poetry==2.1.3
COPY pyproject.toml poetry.lock ./
RUN poetry install --only main --no-root
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENV POETRY_VIRTUALENVS_CREATE=false
RUN pip install --no-cache-dir poetry==2.1.3
COPY pyproject.toml poetry.lock ./
RUN poetry install --only main --no-root && rm -rf /root/.cache/pypoetry
```

## Fix safety
No fix: where the environment lives decides whether the cache directory can be
removed whole. The dependency layer split (`poetry install --no-root` before
the source is copied, `--only-root` after) is requirements-before-source's
(PDH611), which reads `poetry install` among the installs.
"""

PIN = Rule("PDH121", "poetry-image-practices", "Poetry not pinned to a version", fix=FIX_NONE, doc=PIN_DOC)
DEV = Rule(
    "PDH122",
    "poetry-image-practices",
    "poetry install includes the dev group",
    fix=FIX_UNSAFE,
    doc=DEV_DOC,
    shipped_only=True,
)
CACHE = Rule(
    "PDH123",
    "poetry-image-practices",
    "poetry install leaves Poetry's cache in the image",
    fix=FIX_NONE,
    doc=CACHE_DOC,
)
RULES = (PIN, DEV, CACHE)

# The official installer's address.
_INSTALLER = "install.python-poetry.org"
# Poetry's global options that take a value (``poetry --directory /app install``).
_GLOBAL_VALUE = frozenset({"--directory", "-C", "--project", "-P"})


class _Poetry:
    """One ``poetry install`` or ``poetry sync``: its subcommand word and options."""

    __slots__ = ("command", "opaque", "options", "subcommand")

    def __init__(self, command: Command, subcommand: Word, options: list[tuple[str, str | None]]) -> None:
        self.command = command
        self.subcommand = subcommand
        self.options = options
        # An unquoted expansion standing for words of its own (``$(if ...;
        # then echo '--only main'; fi)``, ``$POETRY_OPTIONS``) may be any
        # options: which groups are installed is not known.
        self.opaque = any(
            w.expands and not w.quoted and not w.value.startswith("-") for w in command.words[1:]
        )

    def values(self, name: str) -> list[str]:
        return [v or "" for o, v in self.options if o == name]

    def has(self, name: str) -> bool:
        return any(o == name for o, _ in self.options)


def _poetry_install(command: Command) -> _Poetry | None:
    words = command.words
    if not words or words[0].value.rsplit("/", 1)[-1] != "poetry":
        return None
    options: list[tuple[str, str | None]] = []
    sub: Word | None = None
    i = 1
    while i < len(words):
        value = words[i].value
        i += 1
        if value == "--":
            break
        if value.startswith("-"):
            name, eq, inline = value.partition("=")
            if name in _GLOBAL_VALUE or (sub is not None and name in ("--only", "--without", "--with", "--extras", "-E")):
                if eq:
                    options.append((name, inline))
                else:
                    options.append((name, words[i].value if i < len(words) else None))
                    i += 1
            else:
                options.append((name, inline if eq else None))
            continue
        if sub is None:
            if value not in ("install", "sync"):
                return None
            sub = words[i - 1]
    if sub is None:
        return None
    return _Poetry(command, sub, options)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.sources import needed_stages

    stages = needed_stages(model, context.target)
    shipped = model.shipped(context.target)
    lineage = {s.index for s in model.lineage(shipped)} if shipped is not None else set()
    for stage in stages:
        for ins in stage.instructions:
            if ins.keyword != "RUN":
                continue
            commands = ins.shell_commands()
            env: dict[str, str] | None = None
            for k, command in enumerate(commands):
                if env is None:
                    env = model.env_values(stage, before=ins, build=True)
                yield from _pin_findings(ins, commands, k, {**env, **_inline(command)})
                call = _poetry_install(command)
                if call is None:
                    continue
                yield from _dev_finding(model, stage, ins, commands, call, {**env, **_inline(command)}, context.target)
                # ``--only-root`` installs the project alone: nothing is
                # downloaded into the artifacts cache.
                if stage.index in lineage and not call.has("--only-root"):
                    yield from _cache_finding(model, stage, ins, commands, k, call, {**env, **_inline(command)})


def _inline(command: Command) -> dict[str, str]:
    return dict(a.value.partition("=")[::2] for a in command.assignments)


# --- PDH121 ---------------------------------------------------------------------


def _pin_findings(
    ins: Instruction, commands: Sequence[Command], k: int, env: Mapping[str, str]
) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.programs import installer_call

    command = commands[k]
    words = command.words
    if not words:
        return
    program = words[0].value.rsplit("/", 1)[-1]
    if program == "pipx" and len(words) > 2 and words[1].value == "install":
        for word in words[2:]:
            if _names_poetry(word.value) and "==" not in word.value:
                yield Finding(PIN, word.start, f"`pipx install {word.value}` does not pin Poetry: install `poetry==X.Y.Z`", end=word.end)
        return
    call = installer_call(words)
    if call is not None and call.tool == "pip":
        for argument in call.arguments:
            if _names_poetry(argument) and "==" not in argument:
                at = call.insert_after
                yield Finding(
                    PIN,
                    at.start,
                    f"`pip install {argument}` does not pin Poetry: install `poetry==X.Y.Z`",
                    end=at.end,
                )
        return
    # The official installer: ``curl ... install.python-poetry.org | python3 -``.
    for word in words:
        if _INSTALLER not in word.value:
            continue
        text = " ".join(w.value for c in commands for w in c.words)
        assigned = any(a.value.startswith("POETRY_VERSION=") for c in commands for a in c.assignments)
        if "POETRY_VERSION" in env or assigned or "--version" in text or "export POETRY_VERSION" in text:
            return
        yield Finding(
            PIN,
            word.start,
            "the official Poetry installer installs the newest Poetry: set "
            "`POETRY_VERSION` (or pass `--version X.Y.Z` to the installer)",
            end=word.end,
        )
        return


def _names_poetry(argument: str) -> bool:
    from python_docker_hooks._dockerfile.pyinstall import requirement_name

    return requirement_name(argument) == "poetry"


# --- PDH122 ---------------------------------------------------------------------


def _dev_finding(
    model: Dockerfile,
    stage: Stage,
    ins: Instruction,
    commands: Sequence[Command],
    call: _Poetry,
    env: Mapping[str, str],
    target: str | None,
) -> Iterator[Finding]:
    if call.opaque or call.has("--only") or call.has("--only-root") or call.has("--no-dev"):
        return
    without = {g.strip().lower() for v in call.values("--without") for g in v.split(",")}
    if "dev" in without:
        return
    if any("$" in v for v in call.values("--without")):
        return
    from python_docker_hooks._dockerfile.copies import may_ship

    if not may_ship(model, stage, target, lambda: _environment_places(model, stage, ins, commands, call, env)):
        return
    at = call.subcommand
    text = ins.words_after(at.start, ("--only", "main"))
    verb = at.value
    yield Finding(
        DEV,
        at.start,
        f"`poetry {verb}` installs every non-optional group, `dev` included: add "
        "`--only main` (or `--without dev`)",
        Fix([Edit(at.end, at.end, text)], FIX_UNSAFE),
        end=at.end,
    )


def _environment_places(
    model: Dockerfile,
    stage: Stage,
    ins: Instruction,
    commands: Sequence[Command],
    call: _Poetry,
    env: Mapping[str, str],
) -> list[str] | None:
    """Every place Poetry may put the environment it installs into; None when
    one is not known. Poetry finds ``pyproject.toml`` in the working directory
    or a directory above it (poetry-core ``Factory.locate``); it installs into
    the active environment (``VIRTUAL_ENV``, ``CONDA_PREFIX``), else the
    project's ``.venv`` (``virtualenvs.in-project``, or one already there),
    else one under ``virtualenvs.path`` (``{cache-dir}/virtualenvs``), or, with
    ``virtualenvs.create`` false, the interpreter's own prefix (Poetry's
    configuration docs, ``EnvManager.get``). A ``poetry config`` of
    ``virtualenvs.path``, or a ``cd`` in the RUN, makes the place not known; a
    ``virtualenvs.path`` of a ``poetry.toml`` copied in is not read."""
    import posixpath

    from python_docker_hooks._dockerfile.copies import project_places
    from python_docker_hooks._dockerfile.programs import home_of, tool_cache_dir

    # ``poetry config`` writes the user's config file, which a stage may copy
    # from another: one anywhere in the file that sets ``virtualenvs.path``
    # (or a key not known) moves the environment.
    for st in model.stages:
        for other in st.instructions:
            if other.keyword != "RUN":
                continue
            for c in other.shell_commands():
                argv = c.argv
                if len(argv) > 1 and argv[0].rsplit("/", 1)[-1] == "poetry" and argv[1] == "config":
                    keys = [a for a in argv[2:] if not a.startswith("-")][:1]
                    if not keys or "$" in keys[0] or keys[0] == "virtualenvs.path":
                        return None
    from python_docker_hooks._dockerfile.shell import changes_directory

    if changes_directory(commands):
        return None
    start = model.workdir(stage, ins)
    for option in ("--directory", "-C", "--project", "-P"):
        for value in call.values(option):
            if not value or "$" in value:
                return None
            start = posixpath.normpath(posixpath.join(start, value))
    places = project_places(start, ".venv")
    home = env.get("HOME") or home_of(model.user(stage, ins))
    cache = tool_cache_dir("poetry", None, env.get, home, model.workdir(stage, ins))
    if cache is None:
        return None
    places.append(posixpath.join(cache, "virtualenvs"))
    for name in ("VIRTUAL_ENV", "CONDA_PREFIX", "POETRY_VIRTUALENVS_PATH"):
        active = env.get(name)
        if active is not None:
            if "$" in active or not active.startswith("/"):
                return None
            places.append(posixpath.normpath(active))
    # With ``virtualenvs.create`` false (a variable, ``poetry config``, a
    # ``poetry.toml``), the interpreter's prefix: the official images'
    # /usr/local, Debian's /usr, conda's /opt/conda.
    places.extend(("/usr/local", "/usr", "/opt/conda"))
    return places


# --- PDH123 ---------------------------------------------------------------------


def _cache_finding(
    model: Dockerfile,
    stage: Stage,
    ins: Instruction,
    commands: Sequence[Command],
    k: int,
    call: _Poetry,
    env: Mapping[str, str],
) -> Iterator[Finding]:
    import posixpath

    from python_docker_hooks._dockerfile.programs import (
        home_of,
        rm_recursive_operands,
        tool_cache_dir,
    )

    home = env.get("HOME") or home_of(model.user(stage, ins))
    workdir = model.workdir(stage, ins)
    cache = tool_cache_dir("poetry", None, env.get, home, workdir)
    if cache is None:
        return
    artifacts = posixpath.join(cache, "artifacts")

    def covers(path: str) -> bool:
        path = posixpath.normpath(posixpath.join(workdir, path))
        return path == "/" or artifacts == path or artifacts.startswith(path.rstrip("/") + "/")

    for mount in ins.mounts():
        if mount.type in ("cache", "tmpfs") and mount.target and covers(model.mount_target(stage, ins, mount)):
            return
    for later in commands[k + 1 :]:
        operands = rm_recursive_operands(later.words)
        for word in operands or ():
            value = word.value
            if value.startswith("~/") and home is not None:
                value = home + value[1:]
            value = value.replace("$HOME", home or "\0").replace("${HOME}", home or "\0")
            for name, known in env.items():
                if name.startswith("POETRY_") or name == "XDG_CACHE_HOME":
                    value = value.replace("${" + name + "}", known).replace("$" + name, known)
            value = value.rstrip("*").rstrip("/") or "/"
            if "$" not in value and covers(value):
                return
    at = call.subcommand
    yield Finding(
        CACHE,
        at.start,
        f"`poetry {at.value}` leaves Poetry's artifacts cache (`{artifacts}`) in the "
        "image (`--no-cache` does not turn it off): remove it in the same RUN, or "
        "mount a cache there",
        end=at.end,
    )


SPEC = HookSpec(
    "poetry-image-practices",
    RULES,
    check,
    name="Poetry pinned, no dev group, no Poetry cache",
    description="Flags an unpinned Poetry, poetry install with the dev group, and Poetry's artifacts cache left in the image.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
