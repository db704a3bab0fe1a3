"""uv-image-practices: uv in an image as uv's Docker guide sets it up."""

from __future__ import annotations

from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._engine.vocabulary import (
    FIX_NONE,
    FIX_SAFE,
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
    from python_docker_hooks._dockerfile.programs import InstallerCall
    from python_docker_hooks._dockerfile.shell import Command
    from python_docker_hooks._engine.vocabulary import Context

_SCOPE = """\
The stages judged are those a build of the shipped stage runs: the shipped
stage (the one `targets` names for the file in the configuration, else the
last), the stages it is built `FROM` and the stages it copies or mounts from
(a builder whose `.venv` the final stage copies). A `test` or `dev` stage the
shipped one does not use is not judged."""

_ENV_FIX = """\
The `ENV` goes where python-env-vars puts its own: beside the stage's `UV_*`
`ENV`, else right under the stage's first `ENV`, else after `FROM` (and the
`ARG` lines right after it); it is offered only when that place comes before the
`RUN` it must reach, and when neither the command line nor the environment
already sets the variable."""

PIN_DOC = f"""\
## What it does
Flags uv taken at a version that moves: `COPY --from=ghcr.io/astral-sh/uv` (or
`RUN --mount=from=...`, or `FROM ghcr.io/astral-sh/uv:...`) without a
`major.minor.patch` tag or a digest, uv's installer script without a version
in its address (`https://astral.sh/uv/install.sh` rather than
`https://astral.sh/uv/0.9.5/install.sh`), and `pip install uv` without `==`.

uv's image tags are `latest`, `{{major}}.{{minor}}.{{patch}}`, `{{major}}.{{minor}}`
("the latest patch version") and the derived images' `python3.12-bookworm-slim`,
`alpine`..., each also as `0.9.5-<base>` (uv's "Using uv in Docker" guide,
`docs/guides/integration/docker.md`). A tag without the patch, or a derived
image's tag without a version, moves with every uv release.

{_SCOPE}

## Why is this bad?
uv's Docker guide: "it is best practice to pin to a specific uv version", and a
digest "in environments that require reproducible builds as tags can be moved".
A floating uv changes the resolver and installer a rebuild uses without any
change to the Dockerfile.

## Example
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
```

## Fix safety
No fix: which uv version to pin is the project's choice. No hadolint or
BuildKit check maps to this (hadolint's DL3007 is about `FROM ...:latest`
only), so no pragma of theirs names it.
"""

LOCK_DOC = f"""\
## What it does
Flags `uv sync` that neither checks nor follows the lock file: without
`--locked` or `--frozen`, and without `UV_LOCKED` or `UV_FROZEN` set to a value
uv reads as true (clap's `BoolishValueParser`: `1`, `true`, `yes`, `on`, `y`,
`t`, any case) in the `RUN`'s environment (`ENV`, `ARG`, or in front of the
command). uv's CLI reference: `--locked` "Assert that the `uv.lock` will remain
unchanged", `--frozen` "Sync without updating the `uv.lock` file"; both
variables exist from uv 0.4.25 (`crates/uv-static/src/env_vars.rs`).

{_SCOPE}

## Why is this bad?
A plain `uv sync` re-resolves when `pyproject.toml` and `uv.lock` disagree, and
installs the new resolution: the image gets versions nobody locked or reviewed.
uv's guide syncs with `--locked` throughout.

## Example
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
COPY . .
RUN uv sync --no-dev
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
COPY . .
RUN uv sync --locked --no-dev
```

When the project is there but its lock file is not (a `pyproject.toml` is
copied or mounted into the directory `uv sync` runs in, or one above it, and no
`uv.lock` is), the finding says that uv resolves the versions as the image is
built, and has no fix: uv's CLI reference says of `--locked` "If the lockfile is
missing or needs to be updated, uv will exit with an error". A base image the
tables do not know may hold the file, and `UV_PROJECT` or
`UV_WORKING_DIRECTORY` move the project: then the finding is the plain one.

## Fix safety
Unsafe (`--unsafe-fixes`): `--locked` is inserted after `sync`. A build whose
`uv.lock` is stale, or missing, then fails where it used to pass.
"""

DEV_DOC = f"""\
## What it does
Flags `uv sync` that installs the `dev` dependency group. uv syncs the
`tool.uv.default-groups` groups, `dev` by default; the group is left out by
`--no-dev`, `--no-group dev`, `--no-default-groups`, `--only-group <group>`,
or `UV_NO_DEV` (uv 0.8.7) / `UV_NO_DEFAULT_GROUPS` (uv 0.9.9) set true
(`crates/uv-static/src/env_vars.rs`); `--only-dev` installs the dev group
alone and is flagged. A `--no-dev` sync later in the same stage removes what an
earlier one installed (uv syncs exactly), so each sync is judged on its own.

The project's `pyproject.toml` is not read: a project without a `dev` group, or
with `default-groups = []`, installs nothing more without `--no-dev`.

When the image's command is `uv run` (exec form, or a command of `sh -c`),
which syncs the project before it runs, dev group included, unless given
`--no-sync`, `--no-dev`, `--no-default-groups`, `--only-group`, `--no-group
dev`, `--no-project` or `--script` (or `UV_NO_SYNC`, `UV_NO_DEV`,
`UV_NO_DEFAULT_GROUPS` set true in the image), the finding says so and offers
no fix: `--no-dev` on the build's sync alone would move the install to each
container start.

{_SCOPE}

A sync in a stage the shipped one is not built on is judged only when the
image can take its environment: when the build copies or mounts, from that
stage or one built on it, a path that is, holds or lies in a place the
environment may be. uv finds the project from the working directory upwards
(`--directory`, `--project`, `UV_WORKING_DIRECTORY`, `UV_PROJECT` move the
start) and syncs `.venv` in the workspace root, or `UV_PROJECT_ENVIRONMENT`:
an absolute path as it is, a relative one from the workspace root
(astral-sh/uv#6834); `--active` prefers `VIRTUAL_ENV`. A builder that runs
`uv sync` to build a wheel or the docs, of which the final stage copies only
`dist`, ships no dev group. A `cd` in the RUN, or a variable in a `--from` or
in a path taken, makes the answer not known: judged.

## Why is this bad?
Test runners, linters and type checkers have no place in the image: more
megabytes, more packages to patch, more tools an attacker finds.

## Example
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
COPY . .
RUN uv sync --locked
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
COPY . .
RUN uv sync --locked --no-dev
```

## Fix safety
Unsafe (`--unsafe-fixes`): `--no-dev` is inserted after `sync`. A dependency
that really is needed at run time, but was put in the dev group, goes missing.
"""

BYTECODE_DOC = f"""\
## What it does
Flags an environment uv installs without compiling it to bytecode: the last uv
install (`uv sync`, `uv pip install`, `uv pip sync`) of each stage the build
ends in has neither `--compile-bytecode` (or `--compile`) nor
`UV_COMPILE_BYTECODE` set true in its environment. uv's reference: "When
enabled, uv will process the entire site-packages directory (including packages
that are not being modified by the current operation)", so the last install
compiling covers the ones before it, and only the last is judged. A
`python -m compileall` that runs on the environment's directory after the
install (`./.venv/lib/`, a `site-packages`) compiles it too, as reproducible
builds do to choose `--invalidation-mode`; CPython's compileall without a
directory compiles `sys.path` with `-l` (no subdirectories), which compiles no
installed package.

{_SCOPE}

## Why is this bad?
uv's Docker guide: "Compiling Python source files to bytecode is typically
desirable for production images as it tends to improve startup time". Without
it, each container compiles on first import (or, with
`PYTHONDONTWRITEBYTECODE`, on every start).

## Example
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
COPY . .
RUN uv sync --locked --no-dev
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
COPY . .
RUN uv sync --compile-bytecode --locked --no-dev
```

## Fix safety
Safe: `--compile-bytecode` is added to the install, after its subcommand, which
only adds `.pyc` files next to the installed sources. uv's Docker guide sets
`ENV UV_COMPILE_BYTECODE=1` instead, but the variable stays in the image: a
container that starts with `uv run` then compiles the whole environment again
on every start (astral-sh/uv#12202, open, since uv 0.5.5). The option changes
the one install alone. An install told not to compile
(`--no-compile-bytecode`, the variable set false) is reported without a fix.
"""

LINK_DOC = f"""\
## What it does
Flags a uv install in a `RUN` with a cache mount that holds uv's cache (its
target is uv's cache directory or a directory above it: `--cache-dir`, else
`UV_CACHE_DIR`, else `$XDG_CACHE_HOME/uv` or `~/.cache/uv`) when the link mode
is not `copy` (`--link-mode copy` or `UV_LINK_MODE=copy`). An install with
`--no-cache` (or `UV_NO_CACHE` true) does not use the mount and is not flagged.

{_SCOPE}

## Why is this bad?
uv links packages from its cache into the environment, by hard link on Linux.
A cache mount is another file system, where a hard link cannot reach: uv warns
on every build and falls back to copying. uv's Docker guide sets
`UV_LINK_MODE=copy` beside the cache mount: "Changing the default
`UV_LINK_MODE` silences warnings about not being able to use hard links since
the cache and sync target are on separate file systems."

## Example
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENV UV_LINK_MODE=copy
COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev
```

## Fix safety
Safe: `ENV UV_LINK_MODE=copy` is added; uv copies as it already did, without
the warning. {_ENV_FIX}

The dependency layer split (`uv sync --no-install-project` before the source is
copied) is requirements-before-source's (PDH611), which reads `uv sync` among
the installs; this hook does not report it again.
"""

PIN = Rule("PDH111", "uv-image-practices", "uv not pinned to a version", fix=FIX_NONE, doc=PIN_DOC)
LOCK = Rule(
    "PDH112",
    "uv-image-practices",
    "uv sync without --locked or --frozen",
    fix=FIX_UNSAFE,
    doc=LOCK_DOC,
)
DEV = Rule(
    "PDH113",
    "uv-image-practices",
    "uv sync installs the dev dependency group",
    fix=FIX_UNSAFE,
    doc=DEV_DOC,
    shipped_only=True,
)
BYTECODE = Rule(
    "PDH114",
    "uv-image-practices",
    "uv environment not compiled to bytecode",
    fix=FIX_SAFE,
    doc=BYTECODE_DOC,
)
LINK = Rule(
    "PDH115",
    "uv-image-practices",
    "uv cache mount without UV_LINK_MODE=copy",
    fix=FIX_SAFE,
    doc=LINK_DOC,
)
RULES = (PIN, LOCK, DEV, BYTECODE, LINK)

_UV_IMAGE = "ghcr.io/astral-sh/uv"
# A uv version tag, alone or before a derived image's base (``0.9.5-alpine``).
_PINNED_TAG = LazyPattern(r"\d+\.\d+\.\d+(?:-.*)?")
_INSTALLER = LazyPattern(r"https?://astral\.sh/uv/(?:(?P<version>[^/]+)/)?install\.(?:sh|ps1)")
# Text every address of the installer holds: where it is missing, the pattern
# is not tried (nor compiled).
_INSTALLER_HOST = "://astral.sh/uv/"
# clap's BoolishValueParser: the values it reads as true (any case).
_UV_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_INSTALLS = (("sync",), ("pip", "install"), ("pip", "sync"))


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.sources import needed_stages

    stages = needed_stages(model, context.target)
    if not stages:
        return
    needed = {s.index for s in stages}
    installs: dict[int, list[_Install]] = {}
    for stage in stages:
        yield from _pins(model, stage)
        found = installs[stage.index] = []
        for ins in stage.instructions:
            if ins.keyword != "RUN":
                continue
            env: dict[str, str] | None = None
            for command in ins.shell_commands():
                call = _uv_install(command)
                if call is None:
                    continue
                if env is None:
                    env = model.env_values(stage, before=ins, build=True)
                install = _Install(stage, ins, command, call, {**env, **_inline(command)})
                found.append(install)
                if call.subcommand == ("sync",):
                    yield from _sync_findings(model, install, context.target)
                yield from _link_finding(model, install)
    yield from _bytecode_findings(model, stages, needed, installs)


class _Install:
    """One uv install in a RUN, with the variables it sees."""

    __slots__ = ("call", "command", "env", "ins", "opaque", "stage")

    def __init__(
        self,
        stage: Stage,
        ins: Instruction,
        command: Command,
        call: InstallerCall,
        env: Mapping[str, str],
    ) -> None:
        self.stage = stage
        self.ins = ins
        self.command = command
        self.call = call
        self.env = env
        # An unquoted expansion standing for words of its own (``uv sync
        # $UV_OPTIONS``) may be any options: what the command line holds is not
        # known. One inside an option's word (``--python=$V``) is that value.
        self.opaque = any(
            w.expands and not w.quoted and not w.value.startswith("-") for w in call.words[1:]
        )

    def true(self, name: str) -> bool:
        value = self.env.get(name)
        return value is not None and value.lower() in _UV_TRUE

    @property
    def what(self) -> str:
        return " ".join(("uv", *self.call.subcommand))


def _uv_install(command: Command) -> InstallerCall | None:
    from python_docker_hooks._dockerfile.programs import installer_call

    words = command.words
    if not words or words[0].value.rsplit("/", 1)[-1] != "uv":
        return None
    call = installer_call(words)
    if call is None or call.tool != "uv" or call.subcommand not in _INSTALLS:
        return None
    return call


def _inline(command: Command) -> dict[str, str]:
    return dict(a.value.partition("=")[::2] for a in command.assignments)


# --- PDH111: the uv version ----------------------------------------------------


def _pins(model: Dockerfile, stage: Stage) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.image import parse_reference, stage_image

    if stage.parent is None:
        ref = stage_image(model, stage)
        if ref is not None and not ref.unresolved and ref.path == _UV_IMAGE and not _pinned(ref.tag, ref.digest):
            ins = stage.from_instruction
            yield Finding(PIN, ins.start, _pin_message(ref.text), end=ins.end)
    for ins in stage.instructions:
        if ins.keyword in ("COPY", "RUN"):
            for flag in ins.flags:
                value = _from_value(flag.name, flag.value)
                if value is None or model.stage_named(value.strip()) is not None:
                    continue
                value = _expanded(model, stage, ins, value)
                if value is None:
                    continue
                ref = parse_reference(value)
                if ref.path == _UV_IMAGE and not _pinned(ref.tag, ref.digest):
                    yield Finding(PIN, flag.start, _pin_message(value), end=flag.end)
        if ins.keyword == "ADD" and model.text.find(_INSTALLER_HOST, ins.start, ins.end) != -1:
            for match in _INSTALLER.compiled.finditer(model.text, ins.start, ins.end):
                if match["version"] is None:
                    yield Finding(PIN, match.start(), _installer_message(match[0]), end=match.end())
        if ins.keyword == "RUN":
            yield from _run_pins(model, ins)


def _from_value(name: str, value: str | None) -> str | None:
    """The image a ``--from`` (COPY) or a ``--mount`` ``from=`` (RUN) names."""
    from python_docker_hooks._dockerfile.parse import parse_mount

    if not value:
        return None
    if name == "from":
        return value.strip()
    if name == "mount":
        mount = parse_mount(value)
        if mount is not None:
            found = mount.fields.get("from", "").strip()
            return found or None
    return None


def _expanded(model: Dockerfile, stage: Stage, ins: Instruction, value: str) -> str | None:
    from python_docker_hooks._dockerfile.words import WordError, expand

    if "$" not in value:
        return value
    # The ARG values in the file: the global ones (before the first FROM) and
    # the stage's own; one without a value leaves the reference not known.
    scope = {k: v for k, v in model.global_args.items() if k not in model.build_args}
    scope.update(model.env_values(stage, before=ins, build=True))
    try:
        out = expand(value, scope, model.escape)
    except WordError:
        return None
    return None if "$" in out or out.endswith(":") else out


def _pinned(tag: str, digest: str) -> bool:
    return bool(digest) or _PINNED_TAG.fullmatch(tag) is not None


def _pin_message(text: str) -> str:
    return (
        f"`{text}` does not pin uv: name a version (`{_UV_IMAGE}:X.Y.Z`) or a "
        "digest, as uv's Docker guide does"
    )


def _installer_message(url: str) -> str:
    return (
        f"`{url}` installs whatever uv is newest: use the versioned address "
        "(`https://astral.sh/uv/X.Y.Z/install.sh`)"
    )


def _run_pins(model: Dockerfile, ins: Instruction) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.programs import installer_call
    from python_docker_hooks._dockerfile.pyinstall import requirement_name

    for command in ins.shell_commands():
        for word in command.words:
            if _INSTALLER_HOST not in word.value:
                continue
            match = _INSTALLER.fullmatch(word.value)
            if match is not None and match["version"] is None:
                yield Finding(PIN, word.start, _installer_message(word.value), end=word.end)
        call = installer_call(command.words)
        if call is None or call.tool != "pip":
            continue
        for argument in call.arguments:
            if requirement_name(argument) == "uv" and "==" not in argument:
                at = call.insert_after
                yield Finding(
                    PIN,
                    at.start,
                    f"`pip install {argument}` does not pin uv: install `uv==X.Y.Z`",
                    end=at.end,
                )


# --- PDH112, PDH113: what uv sync installs --------------------------------------


def _without_lock_file(model: Dockerfile, install: _Install) -> bool:
    """Whether the project ``uv sync`` of ``install`` syncs is there but no
    ``uv.lock`` can be: a ``pyproject.toml`` is copied or mounted into its
    working directory or a directory above it and no ``uv.lock`` is
    (``reads.sees_file``), the project is not moved elsewhere (``UV_PROJECT``,
    ``UV_WORKING_DIRECTORY``) and the base image is one the tables know (an
    unknown one may hold the file)."""
    if "UV_PROJECT" in install.env or "UV_WORKING_DIRECTORY" in install.env:
        return False
    # The image tables and the copies are read only for a sync without a lock
    # option: a clean file never loads them.
    from python_docker_hooks._dockerfile.facts import unknown_base
    from python_docker_hooks._dockerfile.reads import sees_file

    if unknown_base(model, install.stage) is not None:
        return False
    stage, ins = install.stage, install.ins
    return sees_file(model, stage, ins, "pyproject.toml") and not sees_file(
        model, stage, ins, "uv.lock"
    )



def _sync_findings(model: Dockerfile, install: _Install, target: str | None) -> Iterator[Finding]:
    call = install.call
    if install.opaque:
        return
    at = call.insert_after
    if not (call.has("--locked") or call.has("--frozen") or install.true("UV_LOCKED") or install.true("UV_FROZEN")):
        if _without_lock_file(model, install):
            yield Finding(
                LOCK,
                at.start,
                "`uv sync` runs where no `uv.lock` is (none is copied or mounted there "
                "before it): uv resolves the versions as the image is built; copy the "
                "project's `uv.lock` in and sync with `--locked`",
                end=at.end,
            )
        else:
            yield Finding(
                LOCK,
                at.start,
                "`uv sync` without `--locked` (or `--frozen`) may re-resolve and install "
                "versions `uv.lock` does not hold",
                _insert_option(install, "--locked"),
                end=at.end,
            )
    from python_docker_hooks._dockerfile.copies import may_ship

    if not may_ship(model, install.stage, target, lambda: _environment_places(model, install)):
        return  # the dev group stays in a stage the image takes nothing of it from
    if call.has("--only-dev"):
        yield Finding(
            DEV,
            at.start,
            "`uv sync --only-dev` installs the dev dependency group into the image",
            end=at.end,
        )
        return
    no_groups = [v for o, v in call.options if o == "--no-group"] + install.env.get("UV_NO_GROUP", "").split()
    if (
        call.has("--no-dev")
        or call.has("--no-default-groups")
        or call.has("--only-group")
        or "dev" in no_groups
        or install.true("UV_NO_DEV")
        or install.true("UV_NO_DEFAULT_GROUPS")
    ):
        return
    if _runs_syncing(model, target):
        # `--no-dev` here alone would move the install to each start.
        yield Finding(
            DEV,
            at.start,
            "`uv sync` installs the dev dependency group (uv's default) into the image, "
            "and the image's `uv run` syncs it again at start: add `--no-dev` to both "
            "(or run with `--no-sync`)",
            end=at.end,
        )
        return
    yield Finding(
        DEV,
        at.start,
        "`uv sync` installs the dev dependency group (uv's default) into the image: "
        "add `--no-dev`",
        _insert_option(install, "--no-dev") if not call.has("--dev") else None,
        end=at.end,
    )


# `uv run`'s options after which it does not sync the dev group before it runs
# the command (uv's CLI reference for `uv run`; the dev group is one of the
# default groups `uv run` syncs, as `uv sync` does).
_RUN_SKIPS_DEV = frozenset(
    {"--no-sync", "--no-dev", "--no-default-groups", "--only-group", "--no-project", "--script"}
)


def _runs_syncing(model: Dockerfile, target: str | None) -> bool:
    """Whether the shipped image's command is ``uv run`` that syncs the project,
    the dev group included, before it runs: ``uv run`` syncs the project's
    environment first (inexactly: it adds, removes nothing), and uv syncs the
    dev group by default (uv 0.4.27's release notes), unless one of
    ``_RUN_SKIPS_DEV``, ``--no-group dev``, or ``UV_NO_SYNC``, ``UV_NO_DEV``,
    ``UV_NO_DEFAULT_GROUPS`` set true in the image's environment. Through
    ``sh -c SCRIPT``, each command of the script is read."""
    from python_docker_hooks._dockerfile.command import container_command, shell_script
    from python_docker_hooks._dockerfile.shell import Word, split_commands, unwrap

    stage = model.shipped(target)
    if stage is None:
        return False
    argv = container_command(model, stage).argv
    if not argv:
        return False
    env = model.env_values(stage)
    if any(env.get(n, "").lower() in _UV_TRUE for n in ("UV_NO_SYNC", "UV_NO_DEV", "UV_NO_DEFAULT_GROUPS")):
        return False
    script = shell_script(argv)
    if script is None:
        prefixes = [unwrap([Word(a, a, 0, 0) for a in argv], [])[2]]
    else:
        # The shell view takes the wrapper words out of each command.
        prefixes = [list(c.prefix) for c in split_commands(script)]
    for prefix in prefixes:
        values = [w.value for w in prefix]
        for i, value in enumerate(values):
            if value.rsplit("/", 1)[-1] != "uv":
                continue
            options = values[i + 1 :]
            if "run" not in options:
                continue
            if any(o.split("=", 1)[0] in _RUN_SKIPS_DEV for o in options):
                continue
            no_group = [options[j + 1] for j in range(len(options) - 1) if options[j] == "--no-group"]
            no_group += [o.split("=", 1)[1] for o in options if o.startswith("--no-group=")]
            if "dev" in no_group:
                continue
            return True
    return False


def _environment_places(model: Dockerfile, install: _Install) -> list[str] | None:
    """Every place ``uv sync`` may put the project environment; None when one
    is not known. uv finds the project from the working directory upwards
    (``--directory``, ``--project`` and ``UV_WORKING_DIRECTORY``, ``UV_PROJECT``
    move the start) and syncs ``.venv`` in the workspace root, or
    ``UV_PROJECT_ENVIRONMENT``: an absolute path as it is, a relative one from
    the workspace root (astral-sh/uv#6834); ``--active`` prefers
    ``VIRTUAL_ENV``. A ``cd`` in the RUN moves the start: not known."""
    import posixpath

    from python_docker_hooks._dockerfile.copies import project_places
    from python_docker_hooks._dockerfile.shell import changes_directory

    if changes_directory(install.ins.shell_commands()):
        return None
    env, call = install.env, install.call
    start = model.workdir(install.stage, install.ins)
    for option, variable in (("--directory", "UV_WORKING_DIRECTORY"), ("--project", "UV_PROJECT")):
        value = call.value(option) if call.has(option) else env.get(variable)
        if value is not None:
            if not value or "$" in value:
                return None
            start = posixpath.normpath(posixpath.join(start, value))
    name = env.get("UV_PROJECT_ENVIRONMENT") or ".venv"
    if "$" in name:
        return None
    places = [posixpath.normpath(name)] if name.startswith("/") else project_places(start, name)
    if call.has("--active"):
        active = env.get("VIRTUAL_ENV")
        if active is not None:
            if "$" in active or not active.startswith("/"):
                return None
            places.append(posixpath.normpath(active))
    return places


def _insert_option(install: _Install, option: str, safety: str = FIX_UNSAFE) -> Fix:
    at = install.call.insert_after
    return Fix([Edit(at.end, at.end, install.ins.words_after(at.start, (option,)))], safety)


# --- PDH114: bytecode ------------------------------------------------------------


def _compiles(install: _Install) -> bool | None:
    """True when the install compiles; False when it does not; None when it was
    told not to (``--no-compile-bytecode`` or the variable set false)."""
    call = install.call
    flags = [o for o, _ in call.options if o in ("--compile-bytecode", "--compile", "--no-compile-bytecode", "--no-compile")]
    if flags:
        return None if flags[-1] in ("--no-compile-bytecode", "--no-compile") else True
    if install.true("UV_COMPILE_BYTECODE"):
        return True
    if install.opaque:
        return True  # not known: not reported
    return None if "UV_COMPILE_BYTECODE" in install.env else False


def _bytecode_findings(
    model: Dockerfile,
    stages: Sequence[Stage],
    needed: set[int],
    installs: Mapping[int, list[_Install]],
) -> Iterator[Finding]:
    # The stages the build ends in: no needed stage is built FROM them or
    # copies from them (a builder whose files the final stage copies is not
    # an end: what it installed is judged where it ends up).
    sources = {s.index: _copied_stages(model, s) for s in stages}
    used = {s.parent for s in stages if s.parent is not None}
    used.update(i for found in sources.values() for i in found)
    # A stage mounted into a RUN (``--mount=from=<stage>``) is read there.
    for s in stages:
        for ins in s.instructions:
            for m in ins.mounts():
                mounted = model.stage_named(m.fields.get("from", "").strip())
                if mounted is not None:
                    used.add(mounted.index)
    seen: set[tuple[int, int]] = set()
    for stage in stages:
        if stage.index in used:
            continue
        for last in _last_installs(model, stage, needed, installs, sources, set()):
            key = (last.ins.start, last.call.insert_after.start)
            if key in seen:
                continue
            seen.add(key)
            compiles = _compiles(last)
            if compiles or _compiled_after(last):
                continue
            at = last.call.insert_after
            # The option, not an ENV: the variable would stay in the image, and
            # there each `uv run` compiles the whole environment again on every
            # start (astral-sh/uv#12202, since uv 0.5.5).
            fix = _insert_option(last, "--compile-bytecode", FIX_SAFE) if compiles is False else None
            yield Finding(
                BYTECODE,
                at.start,
                f"`{last.what}` is the last uv install of the environment and does not "
                "compile it to bytecode: pass `--compile-bytecode`",
                fix,
                end=at.end,
            )


# CPython's compileall command line (Lib/compileall.py, its argparse): the
# options that take a value. Without a directory it compiles sys.path with -l,
# the top level of each directory only, so it covers no installed package; a
# directory given is compiled down to the recursion limit.
_COMPILEALL_VALUES = frozenset(
    {"-r", "-d", "-s", "-p", "-x", "-i", "-j", "-o", "-e", "--invalidation-mode"}
)
# Words in a directory that say it holds an environment's packages.
_ENVIRONMENT_PATHS = ("venv", "site-packages", "dist-packages", "/lib/python")


def _compiled_after(install: _Install) -> bool:
    """Whether the stage runs ``python -m compileall`` on the environment after
    the install (a directory given that holds its packages: ``.venv/lib/``,
    ``site-packages``), as reproducible builds do to pick the invalidation mode
    (``--invalidation-mode=unchecked-hash``)."""
    from python_docker_hooks._dockerfile.programs import python_module_call

    after = False
    for ins in install.stage.instructions:
        if ins is install.ins:
            after = True
        if not after or ins.keyword != "RUN":
            continue
        for command in ins.shell_commands():
            if ins is install.ins and command.start <= install.command.start:
                continue
            module = python_module_call(command.words)
            if module is None or module[0] != "compileall":
                continue
            argv = command.argv
            k = module[1]
            while k < len(argv):
                word = argv[k]
                if word in _COMPILEALL_VALUES:
                    k += 2
                    continue
                if not word.startswith("-") and any(p in word for p in _ENVIRONMENT_PATHS):
                    return True
                k += 1
    return False


def _copied_stages(model: Dockerfile, stage: Stage) -> set[int]:
    """The stages ``stage`` copies files from (``COPY --from=<stage>``)."""
    found = set()
    for ins in stage.instructions:
        if ins.keyword not in ("COPY", "ADD"):
            continue
        flag = ins.flag("from")
        if flag is None or not flag.value:
            continue
        other = model.stage_named(flag.value.strip())
        if other is not None:
            found.add(other.index)
    return found


def _last_installs(
    model: Dockerfile,
    stage: Stage,
    needed: set[int],
    installs: Mapping[int, list[_Install]],
    sources: Mapping[int, set[int]],
    visiting: set[int],
) -> list[_Install]:
    """The install that leaves the environment of ``stage`` as it ends: the
    last uv install of its lineage; without one, those of the stages it copies
    from (a final stage that copies a builder's ``.venv``)."""
    if stage.index in visiting:
        return []
    visiting.add(stage.index)
    lineage = [s for s in model.lineage(stage) if s.index in needed]
    ordered = [i for s in lineage for i in installs.get(s.index, [])]
    if ordered:
        return [ordered[-1]]
    found: list[_Install] = []
    for s in lineage:
        for index in sorted(sources.get(s.index, ())):
            if index < len(model.stages):
                found.extend(
                    _last_installs(model, model.stages[index], needed, installs, sources, visiting)
                )
    return found


def _env_fix(model: Dockerfile, install: _Install, assignment: str) -> Fix | None:
    """``ENV NAME=value`` placed as python-env-vars places its own, when that
    place is before the install's RUN (where the RUN sees it)."""
    from python_docker_hooks._dockerfile.envplace import env_insertion

    edits = env_insertion(model, install.stage, [assignment])
    if edits is None or any(start > install.ins.start for start, _, _ in edits):
        return None
    return Fix([Edit(*e) for e in edits], FIX_SAFE)


# --- PDH115: link mode with a cache mount ---------------------------------------


def _link_finding(model: Dockerfile, install: _Install) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.programs import home_of, tool_cache_dir

    call = install.call
    if call.has("--no-cache") or install.true("UV_NO_CACHE"):
        return
    ins = install.ins
    stage = install.stage
    mounts = [model.mount_target(stage, ins, m) for m in ins.mounts() if m.type == "cache" and m.target]
    if not mounts:
        return
    mode = call.value("--link-mode")
    if mode is None and install.opaque:
        return
    if mode is None:
        mode = install.env.get("UV_LINK_MODE")
    if mode == "copy":
        return
    home = install.env.get("HOME") or home_of(model.user(stage, ins))
    cache = tool_cache_dir(
        "uv", call.value("--cache-dir"), install.env.get, home, model.workdir(stage, ins)
    )
    if cache is None or not any(t == "/" or cache == t or cache.startswith(t + "/") for t in mounts):
        return
    at = call.insert_after
    given = call.value("--link-mode") is not None or "UV_LINK_MODE" in install.env
    yield Finding(
        LINK,
        at.start,
        f"`{install.what}` with uv's cache on a cache mount cannot hard-link across "
        "it: uv warns and copies on every build; set `ENV UV_LINK_MODE=copy`",
        None if given else _env_fix(model, install, "UV_LINK_MODE=copy"),
        end=at.end,
    )


SPEC = HookSpec(
    "uv-image-practices",
    RULES,
    check,
    name="uv in an image as its Docker guide says",
    description="Flags an unpinned uv, uv sync without --locked or with dev dependencies, an environment not compiled to bytecode, and a cache mount without UV_LINK_MODE=copy.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
