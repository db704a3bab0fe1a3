"""expose-port: the image EXPOSEs the port its server listens on, on every interface."""

from __future__ import annotations

import posixpath

from python_docker_hooks._dockerfile.command import container_command
from python_docker_hooks._dockerfile.ports import expose_specs, exposed
from python_docker_hooks._dockerfile.server import (
    config_binds,
    server_of,
    with_config,
    without_config,
)
from python_docker_hooks._dockerfile.text import newline_of
from python_docker_hooks._engine.vocabulary import (
    FIX_NONE,
    FIX_SAFE,
    IMAGE_FILE_READ,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.command import ContainerCommand
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._dockerfile.ports import PortSpec
    from python_docker_hooks._dockerfile.server import Bind, Server
    from python_docker_hooks._engine.vocabulary import Context

_SERVERS = """\
The servers read are uvicorn, gunicorn, hypercorn, daphne, granian, `flask run`,
`manage.py runserver` (also `django-admin runserver` and `python -m django
runserver`), `fastapi run` and `fastapi dev`, `streamlit run`, waitress-serve,
uWSGI and `python -m http.server`, each also as `python -m <module>`, in exec
form, shell form and `sh -c "..."` scripts (command wrappers in front, such as
`exec`, `env`, `gosu`, `su-exec` or `conda run`, are read through). Their
defaults are each program's own: uvicorn, gunicorn, hypercorn, daphne,
granian (`granian/cli.py`), runserver and `fastapi dev` listen on 127.0.0.1:8000, `fastapi run` on
0.0.0.0:8000 (fastapi-cli's `cli.py`), `flask run` on 127.0.0.1:5000, waitress on
0.0.0.0:8080, streamlit on every interface at 8501, `http.server` on every
interface at 8000; gunicorn listens on 0.0.0.0:$PORT when `PORT` is set, and
uvicorn, granian, flask and streamlit read their `UVICORN_*`, `GRANIAN_*`,
`FLASK_RUN_*` and `STREAMLIT_SERVER_*` variables. Variables are taken from the image's `ENV` (an
`ARG` is gone when the container runs).

gunicorn reads a config file before `GUNICORN_CMD_ARGS` and the command line:
the `-c` one, else `gunicorn.conf.py` in the working directory when it exists
(`get_default_config_file` in `gunicorn/config.py`, `load_config` in
`gunicorn/app/base.py`). So without `-b`, the bind comes from that file when the
image holds one: when a `COPY`/`ADD` puts it there from the build context (a
`COPY --from` an earlier stage is followed into that stage, whose source paths
BuildKit reads from its root), a literal `bind = "..."` (or a list of them) is
read from the context's file (the `.dockerignore` applied); a bind computed at
run time, a file copied from an image, written by a `RUN` or perhaps in a base
image the table does not know, leaves the port not known, and nothing is
reported or inserted: the default 127.0.0.1:8000 is never assumed for such an
image.

uWSGI with no socket on its command line binds the sockets of the one ini file
it loads: `--ini FILE`, or an argument named `*.ini` (uWSGI deduces a file's
type from its extension, "Configuring uWSGI"). That file is found the same way
and read as uWSGI reads it (`uwsgi_ini_config` in `core/ini.c`): the `[uwsgi]`
section, `;` and `#` comments, `socket`, `uwsgi-socket`, `http-socket` and
`http`. A socket inside a configuration logic block (`if-env = X` ... `endif`,
`core/uwsgi.c`) counts only when the block and its negation (`if-not-env = X`)
both bind its port on more than loopback; a placeholder (`%(port)`, `$(PORT)`)
leaves the port not known. uWSGI also reads each option from a `UWSGI_*`
variable before its command line (`parse_sys_envs` and `env_to_arg` in
`core/utils.c`: the name lowercased, `_` read as `-`), so `ENV
UWSGI_HTTP_SOCKET=:8000` is one more socket and `ENV UWSGI_INI=/app/uwsgi.ini`
names the ini file. A port that stays a variable or an unknown program is not
judged either."""

UNEXPOSED_DOC = f"""\
## What it does
Checks that the image's command, when it starts a known Python server, has its port
declared with `EXPOSE` in the shipped stage (own or inherited). A port the server
binds only on a loopback address (`-b 127.0.0.1:9000` beside `-b 0.0.0.0:8000`)
is not asked for: nothing outside the container can reach it, so there is
nothing to declare (a server bound only to loopback is PDH602).

{_SERVERS}

## Why is this bad?
`EXPOSE` documents which port the container serves: `docker run -P`, Compose,
orchestrators and people reading the Dockerfile rely on it. Without it, the port
must be found in the application's code.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
```

## Fix safety
Safe: `EXPOSE <port>` is inserted on a line of its own before the shipped stage's
first `CMD`/`ENTRYPOINT` (above the comment lines directly over it, so a pragma
stays with its instruction), or at the end of the stage when the command is
inherited. `EXPOSE` only records metadata; it publishes nothing. When the port
comes from a file read in a guessed build context (only `COPY . .`, nothing
declares the context), the finding says so and carries no fix: the file read may
not be the one the build sends.
"""

LOOPBACK_DOC = f"""\
## What it does
Flags a server that the image's command starts bound only to a loopback address
(`127.0.0.1`, `localhost`, `::1`), given or by the program's default.

{_SERVERS}

## Why is this bad?
Inside a container, loopback is the container's own: a server listening there
cannot be reached through a published port, from other containers or from the
host. uvicorn, gunicorn, hypercorn, daphne, `flask run` and `runserver` all bind
127.0.0.1 unless told otherwise.

## Example
```dockerfile
FROM python:3.12-slim
EXPOSE 8000
CMD ["uvicorn", "app.main:app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
```

## Fix safety
No fix: which interface a service should listen on is a deployment decision.
"""

INVALID_DOC = """\
## What it does
Flags an `EXPOSE` word that is not a port BuildKit can declare: not a number, a
port outside 1-65535, a range that ends below its start, or a protocol other than
`tcp`, `udp` or `sctp`; and a part before a `:` that BuildKit cannot read. With
two parts the first is a host port (`splitParts` in
`frontend/dockerfile/dockerfile2llb/convert_expose.go`), so `EXPOSE
127.0.0.1:8000` and `EXPOSE foo:8000` fail the build (`parsePortRange` rejects
`127.0.0.1` and `foo` as host ports), as does `EXPOSE 80:8000-8001` (a host port
range must match the container range's length); with three, the first must be an
IP address. Words are read as BuildKit's `ProcessWords` makes them: variables
expanded with the build's values, an unquoted value split on blanks (`EXPOSE
$PORTS` with `PORTS="8000 8001"` is two ports). A variable with no value here is
not judged.

## Why is this bad?
BuildKit fails the build on a port it cannot parse or outside 0-65535, on an
unknown protocol, on an address `net.ParseIP` rejects and on a host port it
cannot parse (`convert_expose.go`); port 0 is accepted but means nothing.
hadolint's DL3011 checks the upper bound only.

## Example
```dockerfile
FROM python:3.12-slim
EXPOSE 80000
```

## Use instead
```dockerfile
FROM python:3.12-slim
EXPOSE 8000
```

## Fix safety
No fix: the intended port is for a person to say.
"""

HOST_DOC = """\
## What it does
Flags an `EXPOSE` word that BuildKit builds but that names a host port, or an IP
address and a host port, before the container port (`EXPOSE 80:8000`, `EXPOSE
127.0.0.1:80:8000`). A word whose first part is not a port (`EXPOSE
127.0.0.1:8000`) fails the build: that is PDH603.

## Why is this bad?
`EXPOSE` declares a container port only: BuildKit drops the address and the host
port and warns (`ExposeInvalidFormat`: "IP address and host-port mapping should not
be used in EXPOSE instruction. This will become an error in a future release").
Publishing to a host address is `docker run -p`'s job.

## Example
```dockerfile
FROM python:3.12-slim
EXPOSE 127.0.0.1:80:8000
```

## Use instead
```dockerfile
FROM python:3.12-slim
EXPOSE 8000
```

## Fix safety
No fix: the mapping meant for `docker run -p` is for a person to move.
"""

UNEXPOSED = Rule(
    "PDH601",
    "expose-port",
    "server port not declared with EXPOSE",
    fix=FIX_SAFE,
    doc=UNEXPOSED_DOC,
    shipped_only=True,
)
LOOPBACK = Rule(
    "PDH602",
    "expose-port",
    "server binds only a loopback address",
    fix=FIX_NONE,
    doc=LOOPBACK_DOC,
    shipped_only=True,
)
INVALID = Rule(
    "PDH603",
    "expose-port",
    "EXPOSE port is not valid",
    severity="error",
    fix=FIX_NONE,
    hadolint="DL3011",
    doc=INVALID_DOC,
)
HOST = Rule(
    "PDH604",
    "expose-port",
    "EXPOSE names a host address or host port",
    fix=FIX_NONE,
    buildkit="ExposeInvalidFormat",
    doc=HOST_DOC,
)
RULES = (UNEXPOSED, LOOPBACK, INVALID, HOST)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    for ins in model.instructions:
        if ins.keyword != "EXPOSE":
            continue
        for spec in expose_specs(model, ins):
            yield from _spec_findings(spec)
    stage = model.shipped(context.target)
    if stage is None:
        return
    command = container_command(model, stage)
    env = model.env_values(stage)
    server = server_of(command, env)
    guessed: str | None = None
    if server is not None and server.config is not None:
        server, guessed = _read_config(model, stage, server, context)
    if server is None or not server.binds:
        return
    where = _command_instruction(command)
    if where is None:
        return
    declared = exposed(model, stage)
    # A port bound only to loopback cannot be reached from outside the
    # container: EXPOSE would declare what nobody can connect to.
    ports = sorted(
        {b.port for b in server.binds if b.port is not None and not b.loopback_only}
    )
    for port in ports:
        if any(spec.covers(port) for spec in declared):
            continue
        message = (
            f"`{server.program}` listens on port {port}, which the image does not "
            "declare: add `EXPOSE " + str(port) + "`"
        )
        if guessed is not None:
            # The port was read from a file of a guessed context: reported, and
            # explained, but not fixed on that evidence.
            yield Finding(UNEXPOSED, where.start, message + guessed, end=where.end)
            continue
        yield Finding(
            UNEXPOSED,
            where.start,
            message,
            _insert_expose(model, stage, command, port),
            end=where.end,
        )
    if all(b.loopback_only for b in server.binds):
        yield Finding(
            LOOPBACK,
            where.start,
            _loopback_message(server, server.binds),
            end=where.end,
        )


def _read_config(
    model: Dockerfile, stage: Stage, server: Server, context: Context
) -> tuple[Server, str | None]:
    """``server`` with the bind its config file sets, read from the build
    context when a COPY puts the file in the image's working directory; not
    known when the file could come from elsewhere, or the builds disagree.
    The second item, when the bind was read from a file of a guessed context,
    says so (the finding then carries no fix)."""
    from python_docker_hooks._dockerfile.copies import ABSENT

    assert server.config is not None
    path = posixpath.join(model.workdir(stage), server.config)
    state, binds, guessed = context.image_file(
        model, stage, path, lambda text: config_binds(server, text)
    )
    if state == ABSENT:
        return without_config(server), None
    if state != IMAGE_FILE_READ:
        return with_config(server, None), None
    shown = None
    if guessed is not None:
        shown = (
            f" (the bind is read from {guessed[0]} in the guessed build context "
            f"`{guessed[1]}`; declare the context to have it fixed)"
        )
    return with_config(server, binds), shown


def _command_instruction(command: ContainerCommand) -> Instruction | None:
    """The instruction a finding about the server points at: the CMD when there
    is one (it names the server or its arguments), else the ENTRYPOINT."""
    return command.cmd_instruction or command.entrypoint_instruction


def _spec_findings(spec: PortSpec) -> Iterator[Finding]:
    if spec.value is None:
        return
    if spec.problem is not None:
        word = f"`EXPOSE {spec.text}`"
        if spec.value != spec.text:
            word += f" (`{spec.value}`)"
        yield Finding(INVALID, spec.start, f"{word}: {spec.problem}", end=spec.end)
    elif spec.host is not None:
        port = spec.value.rsplit(":", 1)[-1]
        yield Finding(
            HOST,
            spec.start,
            f"`EXPOSE {spec.text}` names a host address or port, which EXPOSE "
            f"ignores: use `EXPOSE {port}` and publish with `docker run -p`",
            end=spec.end,
        )


def _loopback_message(server: Server, binds: Sequence[Bind]) -> str:
    hosts = sorted({b.host or "" for b in binds})
    return (
        f"`{server.program}` listens only on {', '.join(hosts)}, the container's "
        "own loopback: it cannot be reached from outside the container; "
        f"use `{server.host_flag}`"
    )


def _insert_expose(
    model: Dockerfile, stage: Stage, command: ContainerCommand, port: int
) -> Fix | None:
    newline = newline_of(model.text)
    own = [i for i in command.instructions if i in stage.instructions]
    if own:
        line = own[0].start_line
        # Above the comment lines right over the instruction: a pragma there
        # must stay with it.
        comment_lines = {number for number, _ in model.comments}
        while line - 1 in comment_lines:
            line -= 1
        at = model.line_start(line)
        return Fix([Edit(at, at, f"EXPOSE {port}{newline}")])
    last = stage.instructions[-1] if stage.instructions else stage.from_instruction
    if last.open_ended:
        return None
    return Fix([Edit(last.end, last.end, f"{newline}EXPOSE {port}")])


SPEC = HookSpec(
    "expose-port",
    RULES,
    check,
    name="EXPOSE the server's port",
    reads_contexts=True,
    description="Adds EXPOSE for the port the image's Python server listens on; flags servers bound to loopback and invalid EXPOSE ports.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
