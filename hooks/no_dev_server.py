"""no-dev-server: the shipped image does not start a development server."""

from __future__ import annotations

import posixpath

from python_docker_hooks._engine.vocabulary import (
    FIX_NONE,
    IMAGE_FILE_READ,
    Finding,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Stage
    from python_docker_hooks._dockerfile.server import Server
    from python_docker_hooks._engine.vocabulary import Context

SERVER_DOC = """\
## What it does
Flags a shipped image whose command starts a server that its own project says
is for development only:

- `manage.py runserver`, `django-admin runserver`, `python -m django runserver`:
  Django's `django-admin` reference says of `runserver` "DO NOT USE THIS SERVER
  IN A PRODUCTION SETTING" (it has not gone through security audits or
  performance tests), and from Django 5.2 the command prints a warning saying
  so;
- `flask run`, `python -m flask run`: the Werkzeug development server, which
  prints "This is a development server. Do not use it in a production
  deployment. Use a production WSGI server instead.";
- `fastapi dev`: fastapi-cli's "development mode" (`fastapi_cli/cli.py`: it is
  `fastapi run` with reload on and 127.0.0.1 as the host; its banner says "for
  production use: fastapi run");
- uvicorn, gunicorn, hypercorn, granian or `fastapi run` with `--reload`
  (granian's and fastapi's last `--reload`/`--no-reload` wins). gunicorn's
  `reload` setting "is intended for development" (`gunicorn/config.py`);
  uvicorn's deployment guide runs `--reload` "for local development" and
  `--reload` cannot be combined with `--workers`; fastapi-cli's help for
  `--reload` says "use it only during development"; granian's reloader is an
  extra for watching file changes. uvicorn and granian read their options
  from `UVICORN_*` and `GRANIAN_*` variables too (click's
  `auto_envvar_prefix`), so `ENV UVICORN_RELOAD=true` counts, with click's
  reading of a boolean (`1`, `true`, `t`, `yes`, `y`, `on`, in any case);
  gunicorn reads `--reload` from `GUNICORN_CMD_ARGS` as well, and `reload`
  from its config file (the `-c` file, else `gunicorn.conf.py` in the working
  directory, found in the build context as expose-port finds it): `reload =
  True`, or a string gunicorn's `validate_bool` reads as true. The command
  line's `--reload` is a `store_true` flag, so nothing after the file turns it
  off; a value computed at run time is not known;
- uWSGI with its Python reloader on: `py-autoreload` (also spelled
  `py-auto-reload`, `python-autoreload`, `python-auto-reload`), whose help in
  `plugins/python/python_plugin.c` reads "monitor python modules mtime to
  trigger reload (use only in development)". Its value is an interval in
  seconds, read with `strtol` (`uwsgi_opt_set_int` in `core/uwsgi.c`), so `0`
  or a word leaves it off. It is read from the command line, from a
  `UWSGI_PY_AUTORELOAD` variable (uWSGI takes `UWSGI_*` variables as options
  before the command line, `parse_sys_envs` in `core/utils.c`), and from the
  one ini file uWSGI loads, found in the build context as expose-port finds it
  and read as `uwsgi_ini_config` (`core/ini.c`) reads it. The ini file
  overrides a variable; where it and the command line disagree, the order
  they are read in decides, so nothing is said; a setting inside a
  configuration logic block (`if-env = X` ... `endif`) is not known.

The command is the shipped stage's `ENTRYPOINT` and `CMD` as Docker combines
them, read through `sh -c` scripts and command wrappers (`exec`, `env`, `gosu`,
`su-exec`...), with the same server table as expose-port. Stages that are not
shipped (a `dev` target built with `--target dev`) are not judged: the shipped
stage is the one `targets` names for the file in the configuration, else the
last one. A server started by an entrypoint script the file does not show is
not seen.

## Why is this bad?
Development servers trade safety and throughput for convenience: a single
process, a reloader that watches the source tree and restarts the application
on any change (and costs CPU doing so), Werkzeug's interactive debugger where
debug mode is on. None of them is meant to face traffic.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"]
```

## Fix safety
No fix: which production server to run, and how, is the project's choice. The
message names one that fits: gunicorn (or uvicorn with `--workers` for ASGI) in
place of `runserver` and `flask run`, `fastapi run` in place of `fastapi dev`,
and the same command without `--reload`. hadolint and BuildKit have no check
for this, so no pragma of theirs names it.
"""

FLASK_DEBUG_DOC = """\
## What it does
Flags `FLASK_DEBUG` set by `ENV` to a value Flask reads as true, in the shipped
stage or a stage it is built `FROM`. Flask's `get_debug_flag`
(`src/flask/helpers.py`) is true for any non-empty value whose lowercase is not
`0`, `false` or `no`: `1`, `true`, `yes`, but also `on`, `off` and ` 0` (the
value is not stripped). An `ARG` is not in the container's environment and is
not judged; nor is a value that stays a variable.

## Why is this bad?
Flask seeds `app.config["DEBUG"]` from `FLASK_DEBUG` when the application is
created (`make_config`), under any server, and `flask run` then starts the
Werkzeug debugger, which lets whoever sees an error page run Python code in the
container. Debug mode also shows tracebacks to clients.

## Example
```dockerfile
FROM python:3.12-slim
ENV FLASK_DEBUG=1
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```

## Fix safety
No fix: a debug setting in an image is often there on purpose for a
development target; which stage should carry it is for a person to decide.
hadolint and BuildKit have no check for this.
"""

SERVER = Rule(
    "PDH631",
    "no-dev-server",
    "shipped image starts a development server",
    fix=FIX_NONE,
    doc=SERVER_DOC,
    shipped_only=True,
)
FLASK_DEBUG = Rule(
    "PDH632",
    "no-dev-server",
    "FLASK_DEBUG is true in the shipped image",
    fix=FIX_NONE,
    doc=FLASK_DEBUG_DOC,
    shipped_only=True,
)
RULES = (SERVER, FLASK_DEBUG)

# Flask's ``get_debug_flag``: any other non-empty value is true.
_FLASK_FALSE = frozenset({"0", "false", "no"})


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    from python_docker_hooks._dockerfile.command import container_command
    from python_docker_hooks._dockerfile.server import server_of

    stage = model.shipped(context.target)
    if stage is None:
        return
    env = model.env(stage)
    command = container_command(model, stage)
    server = server_of(command, model.env_values(stage))
    where = command.cmd_instruction or command.entrypoint_instruction
    if server is not None and where is not None:
        why, guessed = server.development, ""
        if server.settings_file is not None:
            why, guessed = _with_settings_file(model, stage, server, context)
        if why is not None:
            yield Finding(SERVER, where.start, _message(server.program, why) + guessed, end=where.end)
    if "FLASK_DEBUG" in env:
        value, ins = env["FLASK_DEBUG"]
        if ins.keyword == "ENV" and "$" not in value and flask_debug_true(value):
            yield Finding(
                FLASK_DEBUG,
                ins.start,
                f"`FLASK_DEBUG={value}` turns on Flask's debug mode in the shipped "
                "image (Flask reads any value but 0, false and no as true): "
                "remove it, or set it only in a development stage",
                end=ins.end,
            )


def flask_debug_true(value: str) -> bool:
    """Flask's ``get_debug_flag`` for ``value``."""
    return bool(value) and value.lower() not in _FLASK_FALSE


def _with_settings_file(
    model: Dockerfile, stage: Stage, server: Server, context: Context
) -> tuple[str | None, str]:
    """What makes ``server`` a development server once its settings file
    (uWSGI's ini file, gunicorn's config file) is read from the build context
    (``Context.image_file``), and, when that file was read in a guessed
    context, a note saying so."""
    from python_docker_hooks._dockerfile.copies import ABSENT
    from python_docker_hooks._dockerfile.server import (
        reload_with_settings,
        settings_reader,
    )

    assert server.settings_file is not None
    path = posixpath.join(model.workdir(stage), server.settings_file)
    state, reload, guessed = context.image_file(model, stage, path, settings_reader(server))
    if state == ABSENT:
        reload = "unset"
    elif state != IMAGE_FILE_READ:
        reload = None
    why = reload_with_settings(server, reload)
    if why is None or guessed is None or reload != "on":
        return why, ""
    return why, f" (read from {guessed[0]} in the guessed build context `{guessed[1]}`)"


def _message(program: str, why: str) -> str:
    if why == "runserver":
        return (
            "`runserver` is Django's development server, not for production: run "
            "a WSGI or ASGI server such as gunicorn (or uvicorn with `--workers`)"
        )
    if why == "flask run":
        return (
            "`flask run` starts Werkzeug's development server, not for production: "
            "run a WSGI server such as gunicorn"
        )
    if why == "fastapi dev":
        return (
            "`fastapi dev` runs FastAPI in development mode (auto-reload, "
            "127.0.0.1): use `fastapi run`"
        )
    return (
        f"`{program}` with `{why}` watches the source and restarts on changes, "
        "which is for development: drop it"
        + (" (for more processes use `--workers`)" if program in ("uvicorn", "fastapi run") else "")
    )


SPEC = HookSpec(
    "no-dev-server",
    RULES,
    check,
    name="no development server in the shipped image",
    reads_contexts=True,
    description="Flags a shipped image whose command starts runserver, flask run, fastapi dev or a server with --reload, and FLASK_DEBUG set true.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
