"""non-root-user: the shipped stage runs as a non-root user created with an explicit UID."""

from __future__ import annotations

from python_docker_hooks._dockerfile.facts import (
    DROPS,
    UNKNOWN_USER,
    base_facts,
    builds_as_root,
    command_user,
    effective_user,
    expand_known,
    family,
    is_root_user,
    line_ending,
    unknown_base,
    users_created,
)
from python_docker_hooks._dockerfile.image import (
    ALPINE,
    DEBIAN,
    DISTROLESS,
    RHEL,
    SCRATCH,
    WINDOWS,
    stage_image,
)
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
    from collections.abc import Callable, Iterator, Sequence

    from python_docker_hooks._dockerfile.facts import User, UserCreation
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._engine.vocabulary import Context

_FIX = """\
## Options
`uid` (integer; default 10001) and `name` (string; default `app`): the user the
fix creates.

```toml
[tool.python-docker-hooks.non-root-user]
uid = 10001
name = "app"
```

## Fix safety
Unsafe (only with `--unsafe-fixes`): files the application writes at run time
must be writable by the new user, which a person must check. The fix inserts,
before the stage's first `CMD`/`ENTRYPOINT` after its last `USER` (or at its end
when a `RUN` follows them), a `RUN` that creates the user and then `USER`: on
Debian/Ubuntu and RHEL-family images `useradd --uid <uid> --no-log-init --shell
/usr/sbin/nologin <name>` (`--no-log-init` keeps a large UID from making
`/var/log/lastlog` huge, hadolint DL3046; shadow's useradd creates the group of
the same name); on Alpine/BusyBox `adduser -D -u <uid> <name>` (BusyBox's adduser:
`-D` no password); on distroless images, which have no shell, only
`USER 65532` (their `nonroot` user); on `scratch`, only `USER <uid>`. When the
stage creates a group of the user's name, the user joins it (`--gid <name>`,
BusyBox `-G <name>`): neither program creates a group that exists (useradd
exits 9, BusyBox's adduser dies with "group '<name>' in use"). When the
stage already creates a user but never switches to it, the fix adds only `USER`
for that user (`USER $USERNAME` when it was created with that build argument);
when it creates none but already names one, in a `COPY --chown` (which fails the
build unless the user exists) or in an earlier `USER` that a later `USER root`
overrides, the fix adds `USER` for that one instead of creating a second user. On an image whose distribution is not known, or a minimal RHEL
image without `useradd` (`ubi-minimal`, `ubi-micro`), there is no fix.
"""

NO_USER_DOC = (
    """\
## What it does
Checks that the shipped stage (the last stage, or the one `targets` names in the
configuration) says which user it runs as: it flags a stage with no `USER` at all,
in the stage or in a stage it is built `FROM` (checkov CKV_DOCKER_3). Windows
images, whose accounts are `ContainerAdministrator` and `ContainerUser`, are not
judged. A stage whose base is not known (a build argument, a local tag), or is
on a shared tag of the official image (`python:3.12.8`, which names the Debian
image and the `windowsservercore` one: a Windows daemon takes the latter), is
taken for Windows when the file shows it: it copies from a stage on a Windows base
that runs a `RUN` (which needs a Windows daemon, and that builds Windows images
only), or it has a drive-letter path (`C:\\app`) as `WORKDIR` or destination, or
runs a `.exe` program.

A base image that is not known (a build argument without a default, a local
tag, an image neither in the vendor table nor among the library images the
tables list: `FROM mycorp-web` reads as Docker Hub's `library/mycorp-web`, but
is as often a local tag, and official images such as `odoo` end with a `USER`
of their own) may set a `USER` of its own: unless the
file shows that its RUNs run as root (a package manager installs or removes
packages, or a user is created, not through `sudo`: each needs root, and would
fail the build under another user), the finding says so and offers no fix.

A Docker container action's image (a Dockerfile that an `action.yml` names as
`runs.image`, and that no other build builds) is not judged for root: GitHub
runs it as the image's user and requires root ("Dockerfile support for GitHub
Actions": "Docker actions must be run by the default Docker user (root). Do not
use the USER instruction in your Dockerfile").

Base images known to run as a non-root user of their own need no `USER`:
distroless `:nonroot` tags (`nonroot`, UID 65532, GoogleContainerTools/distroless);
the Chainguard images whose apko config says so (`python`, `static`: `run-as:
65532`; not `wolfi-base`, whose config runs as `0`; another Chainguard image is
not known here); the jupyter/docker-stacks images (`base-notebook`,
`scipy-notebook` and the others, under `quay.io/jupyter/` or `jupyter/`:
docker-stacks-foundation ends with `USER ${NB_UID}`, 1000; not jupyterhub's own
`jupyter/jupyterhub`, which runs as root);
micromamba's (`mambauser`; also the `micromamba:test-*` tag micromamba-docker's
tests give their own build), CircleCI's `cimg/python` (`circleci`), Red Hat's
UBI Python images (1001), `gitpod/workspace-*` (`gitpod`: gitpod-io/
workspace-images), `apache/airflow` (50000) and Elastic's kibana and logstash
images (`kibana`, `logstash`). The official `postgres` image and Elastic's
elasticsearch image run as root, but their own ENTRYPOINT switches to `postgres`
(`gosu`) or 1000 (`chroot --userspec`) for their own CMD (`postgres` or options;
`eswrapper` or `elasticsearch`): that counts when the file keeps their
ENTRYPOINT and gives no other command.

An ENTRYPOINT that drops root before the application starts counts as a non-root
user: exec form running `gosu USER`, `su-exec USER` (their user spec
`user[:group]`), `setpriv --reuid UID` or `runuser -u USER` (util-linux), after
`tini`/`dumb-init` or not, to a user that is not root. When the ENTRYPOINT runs a
shell script copied from the build context, the script is read from the context
(inside the repository only) and judged by its last `exec` (`exec "$@"` by the
CMD), or by an `exec` through gosu, su-exec, setpriv or runuser that runs the
script itself again (`"$0"`, `"$BASH_SOURCE"`) or the command it was given
(`"$@"`) as a non-root user: the branch such a script takes when it starts as
root (`exec gosu app "$0" "$@"`). The user may be one the script assigns first,
a literal or `${PUID:-911}` (the image's `PUID` when it sets one, else 911: POSIX
Shell Command Language 2.6.2); a user the script works out as it runs
(`$(stat -c %u /data)`) is not known, and the finding says so with no fix. A
script that cannot be read (not in the context, copied from another stage, or a
pure run without the file system) is reported with the reason and no fix: it is
not known to run as root, nor not to.

## Why is this bad?
Without `USER`, the process in the container is root (UID 0), the default of
Docker and of the official images. A flaw in the application then runs with
root's rights inside the container, and any escape from it starts as root on the
host; Kubernetes' `runAsNonRoot` refuses such an image.

## Example
```dockerfile
FROM python:3.12-slim
COPY . /app
CMD ["python", "/app/main.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY . /app
RUN useradd --uid 10001 --no-log-init --shell /usr/sbin/nologin app
USER app
CMD ["python", "/app/main.py"]
```

"""
    + _FIX
)

ROOT_USER_DOC = (
    """\
## What it does
Flags a shipped stage whose last `USER` (its own, or inherited from the stage it is
built `FROM`, variables put in from the build state) is `root` or UID 0, with any
group: `root`, `root:root`, `0`, `0:0`, and `00` or `+0`, which Docker reads as 0
(moby/sys `user.GetExecUser`, runc's user lookup: a numeric user is read with Go's
`strconv.Atoi` and "always treated as a UID"). hadolint DL3002 judges every
stage; this rule judges the shipped one, the others do not run. An ENTRYPOINT
that drops root (see PDH511) leaves no finding.

## Why is this bad?
Switching back to root for a build step is fine, but the last `USER` is the one the
container runs as: the application gets root's rights in the container.

## Example
```dockerfile
FROM python:3.12-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
CMD ["python", "-m", "app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
USER 10001
CMD ["python", "-m", "app"]
```

"""
    + _FIX
)

UID_DOC = """\
## What it does
Flags the creation of the user that the shipped stage runs as (`USER name`)
without an explicit UID: `useradd` without `-u`/`--uid`, Debian's `adduser`
without `--uid`, BusyBox's `adduser` without `-u`.

## Why is this bad?
Without an explicit UID the user gets the next free one, which changes with the
base image and the packages installed before it: file ownership on volumes shared
with other containers or the host stops matching. Kubernetes' `runAsNonRoot` can
only verify a numeric user, so `securityContext.runAsUser` must name the UID, which
then has to be known.

## Example
```dockerfile
FROM python:3.12-slim
RUN useradd --create-home app
USER app
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN useradd --uid 10001 --no-log-init --create-home app
USER app
```

## Fix safety
No fix: another UID may already be in use in the image or expected by volumes.
"""

NO_USER = Rule(
    "PDH511",
    "non-root-user",
    "shipped stage has no USER: it runs as root",
    fix=FIX_UNSAFE,
    doc=NO_USER_DOC,
    options={"uid": 10001, "name": "app"},
    shipped_only=True,
)
ROOT_USER = Rule(
    "PDH512",
    "non-root-user",
    "shipped stage's last USER is root",
    fix=FIX_UNSAFE,
    hadolint="DL3002",
    doc=ROOT_USER_DOC,
    shipped_only=True,
)
UID = Rule(
    "PDH513",
    "non-root-user",
    "user created without an explicit UID",
    fix=FIX_NONE,
    doc=UID_DOC,
)
RULES = (NO_USER, ROOT_USER, UID)

# The user distroless images ship for running as non-root (GoogleContainerTools/
# distroless: `nonroot`, UID and GID 65532).
DISTROLESS_NONROOT = "65532"
# RHEL-family images without shadow-utils (no useradd).
_MINIMAL_RHEL = ("-minimal", "-micro", "ubi-minimal", "ubi-micro")


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    stage = model.shipped(context.target)
    if stage is None:
        return
    user = effective_user(model, stage)
    created = [u for u in users_created(model, stage) if u.kind == "user"]
    if family(model, stage) == WINDOWS:
        return  # no root: ContainerAdministrator and ContainerUser are Windows accounts
    if (user is None or user.is_root) and _action_image(context):
        # A Docker container action's image: GitHub runs it as the image's
        # user, which must be root (it could not reach GITHUB_WORKSPACE else).
        return
    if user is None:
        facts = base_facts(model, stage)
        if facts is not None and facts.user:
            return  # the base image runs as its own non-root user
        drop = command_user(model, stage, _reader(context))
        if drop.verdict == DROPS:
            return  # the ENTRYPOINT runs the application as a non-root user
        ins = stage.from_instruction
        base = unknown_base(model, stage)
        # A base image that is not known may set a USER of its own, unless the
        # file shows its RUNs run as root.
        hedged = base is not None and not builds_as_root(model, stage)
        if drop.verdict == UNKNOWN_USER:
            unless = (
                f" unless its base image `{base}`, which is not known, sets a "
                "non-root `USER`"
                if hedged
                else ""
            )
            yield Finding(
                NO_USER,
                ins.start,
                f"the shipped stage has no `USER`: the container starts as root{unless}; "
                f"{drop.detail}, so whether it switches to a non-root user is not known",
                end=ins.end,
            )
            return
        if hedged:
            yield Finding(
                NO_USER,
                ins.start,
                "the shipped stage has no `USER`: the container runs as root unless "
                f"its base image `{base}`, which is not known, sets a non-root "
                "`USER`; not fixed",
                end=ins.end,
            )
            return
        yield Finding(
            NO_USER,
            ins.start,
            "the shipped stage has no `USER`: the container runs as root",
            _fix(model, context, stage, created),
            end=ins.end,
        )
        return
    if "$" in user.value or not user.name:
        return  # a build argument decides
    if user.is_root:
        drop = command_user(model, stage, _reader(context))
        if drop.verdict == DROPS:
            return  # the ENTRYPOINT runs the application as a non-root user
        ins = user.instruction
        if drop.verdict == UNKNOWN_USER:
            yield Finding(
                ROOT_USER,
                ins.start,
                f"the shipped stage's last `USER` is `{user.value}`: the container "
                f"starts as root; {drop.detail}, so whether it switches to a "
                "non-root user is not known",
                end=ins.end,
            )
            return
        yield Finding(
            ROOT_USER,
            ins.start,
            f"the shipped stage's last `USER` is `{user.value}`: the container runs as root",
            _fix(model, context, stage, created),
            end=ins.end,
        )
        return
    yield from _uid_findings(user, created)


def _action_image(context: Context) -> bool:
    """Whether every build of the file is a Docker container action's (asked
    only of a stage that runs as root: the builds are planned then)."""
    builds = context.builds
    return bool(builds) and all(build.action for build in builds)


def _uid_findings(user: User, created: list[UserCreation]) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.facts import busybox_style as _busybox_style

    if user.numeric:
        return
    for creation in reversed(created):
        if creation.name != user.name:
            continue
        if not creation.id:
            program = creation.command.argv[0].rsplit("/", 1)[-1]
            busybox = program == "adduser" and _busybox_style(creation.command.argv)
            option = "-u 10001" if busybox else "--uid 10001"
            yield Finding(
                UID,
                _command_start(creation),
                f"user `{creation.name}` is created without an explicit UID: "
                f"give it one (`{program} {option} ...`)",
                end=_command_end(creation),
            )
        return


def _command_start(creation: UserCreation) -> int:
    words = creation.command.words
    return words[0].start if words else creation.instruction.start


def _command_end(creation: UserCreation) -> int:
    words = creation.command.words
    return words[-1].end if words else creation.instruction.end


def _fix(
    model: Dockerfile, context: Context, stage: Stage, created: list[UserCreation]
) -> Fix | None:
    place = _insertion(model, stage)
    if place is None:
        return None
    offset, before = place
    newline = line_ending(model.text, offset)
    uid = context.option(NO_USER, "uid")
    name = context.option(NO_USER, "name")
    if isinstance(uid, bool) or not isinstance(uid, int) or uid <= 0:
        return None
    if not isinstance(name, str) or not _valid_name(name):
        return None
    lines: list[str]
    if created:
        if not _created_name(created[-1].name):
            return None
        lines = [f"USER {_user_word(model, stage, created[-1])}"]
    elif (known := _named_user(model, stage)) is not None:
        lines = [f"USER {known}"]
    else:
        kind = family(model, stage)
        if kind == DISTROLESS:
            facts = base_facts(model, stage)
            lines = [
                f"USER {facts.user if facts and facts.user else DISTROLESS_NONROOT}"
            ]
        elif kind == SCRATCH:
            lines = [f"USER {uid}"]
        elif kind == ALPINE:
            group = f" -G {name}" if _creates_group(model, stage, name) else ""
            lines = [f"RUN adduser -D -u {uid}{group} {name}", f"USER {name}"]
        elif kind == DEBIAN or (kind == RHEL and not _minimal(model, stage)):
            group = f" --gid {name}" if _creates_group(model, stage, name) else ""
            useradd = f"useradd --uid {uid}{group} --no-log-init --shell /usr/sbin/nologin"
            lines = [f"RUN {useradd} {name}", f"USER {name}"]
        else:
            return None
    if before:
        text = "".join(line + newline for line in lines)
    else:
        text = "".join(newline + line for line in lines)
    return Fix([Edit(offset, offset, text)], FIX_UNSAFE)


def _creates_group(model: Dockerfile, stage: Stage, name: str) -> bool:
    """Whether the stage (or one it is built on) creates a group called ``name``:
    the new user must join it, as neither program creates a group that exists
    (shadow's useradd exits 9, "group app exists - if you want to add this user to
    that group, use -g"; BusyBox's ``passwd_study`` dies "group 'app' in use"
    unless ``-G`` names a group)."""
    created = users_created(model, stage)
    return any(c.kind == "group" and c.name == name for c in created)


def _user_word(model: Dockerfile, stage: Stage, creation: UserCreation) -> str:
    """What the new ``USER`` line says for a user the stage creates: the
    variable it was created with (``USER $USERNAME``) when that variable is
    still set at the end of the stage, so a build that passes another value
    creates and runs as the same user; else the name."""
    import re

    written = creation.written
    match = re.fullmatch(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})", written)
    if match and (match[1] or match[2]) in model.env(stage, build=True):
        return written
    return creation.name


def _named_user(model: Dockerfile, stage: Stage) -> str | None:
    """A non-root user the stage already relies on, when it creates none: the
    user of the last ``--chown`` of a COPY/ADD (BuildKit looks a name up in the
    image's /etc/passwd and fails the build when it is not there), else the
    last non-root ``USER`` (one a later ``USER root`` overrode). Variables are
    put in as the build state has them."""
    found: list[str] = []
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.keyword in ("COPY", "ADD"):
                values = ins.flag_values("chown")
            elif ins.keyword == "USER":
                values = [ins.args.strip()]
            else:
                continue
            for value in values:
                if "$" in value:
                    env = model.env_values(st, ins, build=True)
                    value = expand_known(value, env, model.escape)
                user = value.split(":", 1)[0]
                if user and not is_root_user(user) and _created_name(user):
                    found.append(user)
    return found[-1] if found else None


def _reader(context: Context) -> Callable[[str], tuple[bytes | None, ...]]:
    """A COPY source -> its bytes in each build's context (None where it cannot
    be read), in the order of ``context.builds``."""
    return lambda relative: tuple(
        context.context_file(build, relative).data for build in context.builds
    )


def _valid_name(name: str) -> bool:
    # shadow's default NAME_REGEX, which BusyBox's adduser also accepts.
    return (
        0 < len(name) <= 32
        and name.isascii()
        and (name[0].islower() or name[0] == "_")
        and all(c.islower() or c.isdigit() or c in "_-" for c in name)
    )


def _created_name(name: str) -> bool:
    """Whether the name a RUN gave a user is one that the user programs accept
    and a ``USER`` line carries as written. BusyBox's ``die_if_bad_username``
    (libbb/die_if_bad_username.c) and shadow's ``is_valid_user_name``
    (lib/chkname.c) both take letters, digits, ``_``, ``.`` and ``-`` (BusyBox
    ``@`` too), not ``-`` first; a trailing ``$`` (Samba machine accounts) is
    left out, as ``USER`` expands variables. A word that is none of these (a
    quote left open that ran into the next lines) is not a user the build
    made."""
    return (
        0 < len(name) <= 32
        and name.isascii()
        and (name[0].isalnum() or name[0] == "_")
        and all(c.isalnum() or c in "_.@-" for c in name)
    )


def _minimal(model: Dockerfile, stage: Stage) -> bool:
    ref = stage_image(model, stage)
    return ref is not None and any(m in ref.repository.lower() for m in _MINIMAL_RHEL)


def _insertion(model: Dockerfile, stage: Stage) -> tuple[int, bool] | None:
    """Where the new lines go: (offset, True) to insert before a line start,
    (offset, False) to append after the end of the stage's last line. Comment
    lines right above the command (a pragma, a note about it) stay with it."""
    instructions = stage.instructions
    last_user = max(
        (i for i, ins in enumerate(instructions) if ins.keyword == "USER"), default=-1
    )
    for i in range(last_user + 1, len(instructions)):
        if instructions[i].keyword in ("CMD", "ENTRYPOINT"):
            # Only if no RUN comes after it: a RUN there would run as the new user.
            if any(ins.keyword == "RUN" for ins in instructions[i + 1 :]):
                break
            return _line_start(
                model,
                instructions[i],
                instructions[i - 1] if i else stage.from_instruction,
            ), True
    anchor = instructions[-1] if instructions else stage.from_instruction
    if anchor.open_ended:
        return None
    return anchor.end, False


def _line_start(model: Dockerfile, ins: Instruction, previous: Instruction) -> int:
    comments = {line for line, _ in model.comments}
    line = ins.start_line
    while line - 1 > previous.end_line and line - 1 in comments:
        line -= 1
    return model.line_start(line)


SPEC = HookSpec(
    "non-root-user",
    RULES,
    check,
    name="non-root USER with an explicit UID",
    description="Flags a shipped stage that runs as root or switches to a user created without an explicit UID.",
    reads_contexts=True,
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
