"""The container command, the server it starts, EXPOSE ports and Python installs,
as the model reads them."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerfile.command import container_command
from python_docker_hooks._dockerfile.parse import parse
from python_docker_hooks._dockerfile.ports import exposed
from python_docker_hooks._dockerfile.pyinstall import (
    PACKAGES,
    PROJECT,
    REQUIREMENTS,
    python_installs,
)
from python_docker_hooks._dockerfile.server import (
    Server,
    _interval,
    gunicorn_config_binds,
    gunicorn_config_reload,
    server_of,
    uwsgi_ini_reload,
    uwsgi_ini_sockets,
    uwsgi_reload,
    without_config,
)
from python_docker_hooks._dockerfile.text import ascii_number

F = "FROM python:3.12-slim\n"


def command_of(text: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    model = parse(text)
    command = container_command(model, model.stages[-1])
    return command.entrypoint, command.cmd


# BuildKit's dispatchCmd/dispatchEntrypoint (dockerfile2llb/convert.go).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(F, (None, None), id="from-the-base-image-unknown"),
        pytest.param(F + 'CMD ["a", "b"]\n', (None, ("a", "b")), id="exec-form"),
        pytest.param(F + "CMD a b\n", (None, ("/bin/sh", "-c", "a b")), id="shell-form-default-shell"),
        pytest.param(
            F + 'SHELL ["/bin/bash", "-eu", "-c"]\nCMD a b\n',
            (None, ("/bin/bash", "-eu", "-c", "a b")),
            id="shell-form-with-SHELL",
        ),
        pytest.param(
            F + 'CMD ["a"]\nENTRYPOINT ["e"]\n', (("e",), ("a",)), id="cmd-set-earlier-in-the-stage-kept"
        ),
        pytest.param(
            "FROM python:3.12-slim AS base\nCMD [\"a\"]\nFROM base\nENTRYPOINT [\"e\"]\n",
            (("e",), None),
            id="inherited-cmd-reset-by-entrypoint",
        ),
        pytest.param(
            "FROM python:3.12-slim AS base\nENTRYPOINT [\"e\"]\nFROM base\nCMD [\"a\"]\n",
            (("e",), ("a",)),
            id="entrypoint-inherited-cmd-added",
        ),
        pytest.param(F + 'CMD ["a"]\nCMD ["b"]\n', (None, ("b",)), id="last-cmd-wins"),
    ],
)
def test_container_command(
    text: str, expected: tuple[tuple[str, ...] | None, tuple[str, ...] | None]
) -> None:
    assert command_of(text) == expected


def shipped_server(text: str) -> Server | None:
    """The server the last stage of ``text`` starts, read with its ``ENV``."""
    model = parse(text)
    stage = model.stages[-1]
    return server_of(container_command(model, stage), model.env_values(stage))


def server(text: str) -> tuple[str, list[tuple[str | None, int | None]] | None] | None:
    found = shipped_server(text)
    if found is None:
        return None
    if found.config is not None:
        found = without_config(found)  # as when the image holds no config file
    binds = None if found.binds is None else [(b.host, b.port) for b in found.binds]
    return found.program, binds


# One row per server and default (each program's own source; see the module doc
# of python_docker_hooks._dockerfile.server).
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ('["uvicorn", "m:app"]', ("uvicorn", [("127.0.0.1", 8000)])),
        ('["uvicorn", "m:app", "--host=0.0.0.0", "--port=81"]', ("uvicorn", [("0.0.0.0", 81)])),
        ('["python", "-m", "uvicorn", "m:app", "--uds", "/s"]', ("uvicorn", [])),
        ('["gunicorn", "m:app"]', ("gunicorn", [("127.0.0.1", 8000)])),
        ('["gunicorn", "-b", "0.0.0.0", "m:app"]', ("gunicorn", [("0.0.0.0", 8000)])),
        ('["gunicorn", "-b0.0.0.0:82", "m:app"]', ("gunicorn", [("0.0.0.0", 82)])),
        ('["gunicorn", "-b", "unix:/s", "m:app"]', ("gunicorn", [])),
        ('["gunicorn", "-c", "conf.py", "m:app"]', ("gunicorn", None)),
        ('["hypercorn", "m:app"]', ("hypercorn", [("127.0.0.1", 8000)])),
        ('["hypercorn", "--bind", "[::]:83", "m:app"]', ("hypercorn", [("::", 83)])),
        ('["daphne", "m:app"]', ("daphne", [("127.0.0.1", 8000)])),
        ('["daphne", "-b", "0.0.0.0", "m:app"]', ("daphne", [("0.0.0.0", 8000)])),
        ('["flask", "run"]', ("flask run", [("127.0.0.1", 5000)])),
        ('["flask", "--app", "m", "run", "-h", "0.0.0.0", "-p", "84"]', ("flask run", [("0.0.0.0", 84)])),
        ('["python", "manage.py", "runserver"]', ("manage.py runserver", [("127.0.0.1", 8000)])),
        ('["python", "manage.py", "runserver", "-6"]', ("manage.py runserver", [("::1", 8000)])),
        ('["python", "manage.py", "runserver", "85"]', ("manage.py runserver", [("127.0.0.1", 85)])),
        ('["python", "manage.py", "runserver", "[::]:86"]', ("manage.py runserver", [("::", 86)])),
        ('["django-admin", "runserver", "0.0.0.0:87"]', ("manage.py runserver", [("0.0.0.0", 87)])),
        ('["streamlit", "run", "a.py"]', ("streamlit run", [("", 8501)])),
        ('["streamlit", "run", "a.py", "--server.address", "localhost"]', ("streamlit run", [("localhost", 8501)])),
        ('["waitress-serve", "m:app"]', ("waitress-serve", [("0.0.0.0", 8080)])),
        ('["waitress-serve", "--port=88", "m:app"]', ("waitress-serve", [("0.0.0.0", 88)])),
        ('["python", "-m", "waitress", "--listen=*:89", "m:app"]', ("waitress-serve", [("", 89)])),
        ('["uwsgi", "--http-socket", ":90"]', ("uwsgi", [("", 90)])),
        ('["uwsgi", "--module", "m"]', ("uwsgi", None)),
        ('["python", "-m", "http.server"]', ("http.server", [("", 8000)])),
        ('["python3.12", "-u", "-m", "http.server", "91", "-b", "::1"]', ("http.server", [("::1", 91)])),
        ('["python", "app.py"]', None),
        ('["nginx", "-g", "daemon off;"]', None),
    ],
)
def test_server(cmd: str, expected: object) -> None:
    assert server(F + f"CMD {cmd}\n") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(F + "ENV UVICORN_PORT=92\nCMD [\"uvicorn\", \"m:app\"]\n", ("uvicorn", [("127.0.0.1", 92)]), id="uvicorn-env"),
        pytest.param(F + "ENV PORT=93\nCMD [\"gunicorn\", \"m:app\"]\n", ("gunicorn", [("", 93)]), id="gunicorn-PORT"),
        pytest.param(
            F + "ENV FLASK_RUN_HOST=0.0.0.0\nCMD flask run\n", ("flask run", [("0.0.0.0", 5000)]), id="flask-env"
        ),
        pytest.param(
            F + "ENV STREAMLIT_SERVER_PORT=94\nCMD streamlit run a.py\n", ("streamlit run", [("", 94)]), id="streamlit-env"
        ),
        pytest.param(F + "ARG PORT=95\nCMD uvicorn m:app --port $PORT\n", ("uvicorn", [("127.0.0.1", None)]), id="arg-is-gone-at-run-time"),
        pytest.param(F + "ARG P=96\nENV PORT=$P\nCMD uvicorn m:app --port $PORT\n", ("uvicorn", [("127.0.0.1", 96)]), id="env-from-arg"),
        pytest.param(F + 'CMD ["sh", "-c", "exec uvicorn m:app --port ${PORT-97}"]\n', ("uvicorn", [("127.0.0.1", 97)]), id="sh-c-default"),
        pytest.param(F + "CMD env A=1 nohup uvicorn m:app\n", ("uvicorn", [("127.0.0.1", 8000)]), id="wrappers"),
        pytest.param(
            F + 'ENTRYPOINT ["tini", "-g", "--"]\nCMD ["uvicorn", "m:app", "--port", "98"]\n',
            ("uvicorn", [("127.0.0.1", 98)]),
            id="tini-entrypoint-runs-the-cmd",
        ),
        pytest.param(
            F + 'ENTRYPOINT ["/usr/bin/dumb-init", "-r", "15:2", "--"]\nCMD ["gunicorn", "-b", ":99", "m:app"]\n',
            ("gunicorn", [("", 99)]),
            id="dumb-init-entrypoint-runs-the-cmd",
        ),
    ],
)
def test_server_reads_the_image_environment(text: str, expected: object) -> None:
    assert server(text) == expected


def test_exposed_ports_are_inherited_and_expanded() -> None:
    model = parse(
        "FROM python:3.12-slim AS base\nARG P=8000\nEXPOSE $P/udp 9000-9002\n"
        "FROM base\nEXPOSE 7000\n"
    )
    specs = exposed(model, model.stages[-1])
    assert [(s.value, s.low, s.high, s.protocol) for s in specs] == [
        ("8000/udp", 8000, 8000, "udp"),
        ("9000-9002", 9000, 9002, "tcp"),
        ("7000", 7000, 7000, "tcp"),
    ]
    assert specs[1].covers(9001) and not specs[0].covers(8000)


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("pip install -r requirements.txt", [("pip install", REQUIREMENTS, ("requirements.txt",))]),
        ("pip install -rreq.txt --requirement=dev.txt", [("pip install", REQUIREMENTS, ("req.txt", "dev.txt"))]),
        ("python3 -m pip install .", [("pip install", PROJECT, ())]),
        ("pip install --no-deps -e .", [("pip install", PROJECT, ())]),
        ("pip install -i https://x flask", [("pip install", PACKAGES, ())]),
        ("pip download flask", []),
        ("uv pip install -r r.txt", [("uv pip install", REQUIREMENTS, ("r.txt",))]),
        ("uv pip sync r.lock", [("uv pip sync", REQUIREMENTS, ("r.lock",))]),
        ("uv sync --frozen", [("uv sync", REQUIREMENTS, ())]),
        ("poetry install --no-root", [("poetry install", REQUIREMENTS, ())]),
        ("pipenv sync", [("pipenv sync", REQUIREMENTS, ())]),
        ("pipenv install flask", [("pipenv install", PACKAGES, ())]),
        ("pdm sync", [("pdm sync", REQUIREMENTS, ())]),
        ("apt-get install -y python3-pip && pip install -r r.txt", [("pip install", REQUIREMENTS, ("r.txt",))]),
    ],
)
def test_python_installs(run: str, expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    model = parse(F + f"RUN {run}\n")
    found = python_installs(model.instructions[-1])
    assert [(i.tool, i.kind, i.files) for i in found] == expected


# uWSGI deduces a config file's type from its extension when no option names
# it ("Configuring uWSGI"); uwsgi_ini_config (core/ini.c) splits FILE:SECTION
# at the last colon.
@pytest.mark.parametrize(
    ("cmd", "config"),
    [
        ('["uwsgi", "--ini", "uwsgi.ini"]', "uwsgi.ini"),
        ('["uwsgi", "--ini=/etc/u.ini", "--master"]', "/etc/u.ini"),
        ('["uwsgi", "/opt/app/uwsgi.ini"]', "/opt/app/uwsgi.ini"),
        ('["uwsgi", "--http", ":80", "--ini", "uwsgi.ini"]', None),
        ('["uwsgi", "--ini", "a.ini", "b.ini"]', None),
        ('["uwsgi", "--ini", "uwsgi.ini:prod"]', None),
        ('["uwsgi", "--ini", "uwsgi.ini", "--yaml", "u.yaml"]', None),
        ('["uwsgi", "--ini", "http://example.org/u.ini"]', None),
        ('["uwsgi", "uwsgi.yaml"]', None),
    ],
)
def test_uwsgi_reads_the_one_ini_file_it_loads_unless_a_socket_is_given(
    cmd: str, config: str | None
) -> None:
    model = parse(F + f"CMD {cmd}\n")
    found = server_of(container_command(model, model.stages[-1]), {})
    assert found is not None
    assert (found.config, found.config_required) == (config, config is not None)


def test_no_deps_project_install_installs_no_dependencies() -> None:
    model = parse(F + "RUN pip install --no-deps .\n")
    (install,) = python_installs(model.instructions[-1])
    assert not install.installs_dependencies


# gunicorn/app/base.py load_config: the -c file, else ./gunicorn.conf.py when it
# exists (gunicorn/config.py get_default_config_file), then GUNICORN_CMD_ARGS,
# then the command line.
@pytest.mark.parametrize(
    ("cmd", "env", "config", "required"),
    [
        ('["gunicorn", "app:app"]', "", "gunicorn.conf.py", False),
        ('["gunicorn", "-c", "conf/g.py", "app:app"]', "", "conf/g.py", True),
        ('["gunicorn", "app:app"]', 'ENV GUNICORN_CMD_ARGS="-c /etc/g.py"\n', "/etc/g.py", True),
        ('["gunicorn", "-b", ":8000", "app:app"]', "", None, False),
        ('["gunicorn", "app:app"]', 'ENV GUNICORN_CMD_ARGS="--bind=:7000"\n', None, False),
    ],
)
def test_gunicorn_reads_a_config_file_unless_the_bind_is_given(
    cmd: str, env: str, config: str | None, required: bool
) -> None:
    model = parse(F + env + f"CMD {cmd}\n")
    stage = model.stages[-1]
    found = server_of(
        container_command(model, stage), {k: v for k, (v, _) in model.env(stage).items()}
    )
    assert found is not None
    assert (found.config, found.config_required) == (config, required)
    assert (found.binds is None) is (config is not None)


@pytest.mark.parametrize(
    ("source", "binds"),
    [
        ("bind = '0.0.0.0:8000'\nworkers = 2\n", ("0.0.0.0:8000",)),
        ('bind = ["0.0.0.0:80", "unix:/run/g.sock"]\n', ("0.0.0.0:80", "unix:/run/g.sock")),
        ("bind = ':1'\nbind = ':2'\n", (":2",)),
        ("workers = 4\n", ()),
        ("import os\nbind = os.environ.get('BIND', ':8000')\n", None),
        ("import os\nif os.environ.get('X'):\n    bind = ':1'\n", None),
        ("from settings import *\n", None),
        ("from settings import bind\n", None),
        ("globals()['bind'] = ':1'\n", None),
        ("bind = a = ':1'\n", None),
        ("bind += ':1'\n", None),
        ("bind = (\n", None),
    ],
)
def test_gunicorn_config_bind_is_read_only_as_a_literal(
    source: str, binds: tuple[str, ...] | None
) -> None:
    assert gunicorn_config_binds(source) == binds


# core/ini.c uwsgi_ini_config: lines stripped of spaces, tabs and CRs, `[name]`
# sections (only `uwsgi` taken), `;`/`#` comments, `key = value` split at the
# first `=`; core/uwsgi.c: socket, uwsgi-socket, http-socket and the http router
# bind, and if-*/for* ... endif/endfor blocks are the configuration logic.
@pytest.mark.parametrize(
    ("source", "sockets"),
    [
        pytest.param("[uwsgi]\nhttp-socket = :8000\n", (":8000",), id="one"),
        pytest.param(
            "[uwsgi]\nsocket=/tmp/a.sock\nuwsgi-socket = 0.0.0.0:3031\nhttp = :80\n",
            ("/tmp/a.sock", "0.0.0.0:3031", ":80"),
            id="every-socket-option-in-order",
        ),
        pytest.param("http-socket = :8000\n", (), id="outside-a-section-is-not-read"),
        pytest.param("[app]\nhttp-socket = :8000\n", (), id="another-section"),
        pytest.param("[uwsgi]\n;http-socket = :1\n# socket = :2\n", (), id="comments"),
        pytest.param("[uwsgi]\r\n\thttp-socket\t=\t:8000 \r\n", (":8000",), id="blanks-and-crlf"),
        pytest.param("[uwsgi]\nhttp-socket = :%(port)\n", None, id="placeholder"),
        pytest.param("[uwsgi]\nhttp-socket = :$(PORT)\n", None, id="environment-variable"),
        pytest.param(
            "[uwsgi]\nifenv = A\nhttp-socket = :1\nend-if =\nhttp-socket = :2\n",
            (":2",),
            id="a-block-is-conditional",
        ),
        pytest.param(
            "[uwsgi]\nfor = a b\nhttp-socket = :1\nendfor =\n", (), id="a-for-block-too"
        ),
        pytest.param(
            "[uwsgi]\nforce-cwd = /app\nhttp-socket = :8000\n",
            (":8000",),
            id="an-option-named-for-something-opens-no-block",
        ),
        pytest.param(
            "[uwsgi]\nif-env = A\nhttp-socket = 127.0.0.1:9\nendif =\n"
            "if-not-env = A\nhttp-socket = 127.0.0.1:9\nendif =\n",
            (),
            id="both-branches-on-loopback-only",
        ),
        pytest.param(
            "[uwsgi]\nif-exists = /x\nhttp-socket = :7\nendif =\n"
            "if-not-exists = /x\nhttp-socket = :8\nendif =\n",
            (),
            id="branches-on-different-ports",
        ),
        pytest.param(
            "[uwsgi]\nifexists = /x\nhttp-socket = :7\nendif =\n"
            "if-not-exists = /x\nhttp-socket = 0.0.0.0:7\nendif =\n",
            (":7",),
            id="branches-on-the-same-port",
        ),
    ],
)
def test_uwsgi_ini_sockets(source: str, sockets: tuple[str, ...] | None) -> None:
    assert uwsgi_ini_sockets(source) == sockets


# core/uwsgi.c uwsgi_opt_set_int: (int)strtol(value, &endptr, 10), a warning for
# trailing text, exit(1) below 0; the reloader runs when the value is not 0
# (plugins/python/python_plugin.c: if (up.auto_reload) pthread_create ...).
@pytest.mark.parametrize(
    ("value", "on"),
    [
        ("1", True),
        ("2", True),
        ("  3", True),
        ("+4", True),
        ("5s", True),
        ("007", True),
        ("0", False),
        ("", False),
        ("yes", False),
        ("true", False),
        ("-1", False),
        ("- 1", False),
        # (int)strtol(...): clamped to LONG_MAX on overflow, then cut to 32 bits.
        ("4294967297", True),
        ("4294967296", False),
        ("2147483648", False),
        ("-4294967295", True),
        ("9" * 5000, False),
        (None, None),
    ],
)
def test_uwsgi_interval_as_strtol_reads_it(value: str | None, on: bool | None) -> None:
    assert _interval(value) is on


@pytest.mark.parametrize(
    ("source", "state"),
    [
        pytest.param("[uwsgi]\npy-autoreload = 1\n", "on", id="on"),
        pytest.param("[uwsgi]\npy-auto-reload=0\n", "off", id="off"),
        pytest.param("[uwsgi]\npython-autoreload = 2\npython-auto-reload = 0\n", "off", id="last-wins"),
        pytest.param("[uwsgi]\nmodule = app\n", "unset", id="unset"),
        pytest.param("[other]\npy-autoreload = 1\n", "unset", id="other-section"),
        pytest.param("[uwsgi]\n; py-autoreload = 1\n", "unset", id="comment"),
        pytest.param("[uwsgi]\npy-autoreload-ignore = x\n", "unset", id="a-longer-option"),
        pytest.param("[uwsgi]\nif-env = DEV\npy-autoreload = 1\nendif =\n", None, id="in-a-block"),
        pytest.param("[uwsgi]\npy-autoreload = %(dev)\n", None, id="placeholder"),
    ],
)
def test_uwsgi_ini_reload(source: str, state: str | None) -> None:
    assert uwsgi_ini_reload(source) == state


# uWSGI reads the UWSGI_* variables, then the command line (core/uwsgi.c:
# parse_sys_envs before uwsgi_commandline_config); the ini is loaded where the
# command line names it, an order not kept, so a disagreement says nothing.
@pytest.mark.parametrize(
    ("env", "args", "ini", "why"),
    [
        ("", "", "on", "py-autoreload in u.ini"),
        ("", "", "off", None),
        ("", "", "unset", None),
        ("", "", None, None),
        ("UWSGI_PY_AUTORELOAD=1", "", "unset", "UWSGI_PY_AUTORELOAD=1"),
        ("UWSGI_PY_AUTORELOAD=1", "", None, "UWSGI_PY_AUTORELOAD=1"),
        ("UWSGI_PY_AUTORELOAD=1", "", "off", None),
        ("UWSGI_PY_AUTORELOAD=0", "", "on", "py-autoreload in u.ini"),
        ("", " --py-autoreload 1", "on", "--py-autoreload"),
        ("", " --py-autoreload 1", "off", None),
        ("", " --py-autoreload 0", "on", None),
        ("", " --py-autoreload 1", None, "--py-autoreload"),
        ("", " --py-autoreload $X", "on", None),
    ],
)
def test_uwsgi_reload_weighs_the_ini_against_the_command(
    env: str, args: str, ini: str | None, why: str | None
) -> None:
    found = shipped_server(F + (f"ENV {env}\n" if env else "") + f"CMD uwsgi --ini u.ini{args}\n")
    assert found is not None and found.settings_file == "u.ini"
    assert uwsgi_reload(found, ini) == why


# core/utils.c parse_sys_envs and env_to_arg: UWSGI_HTTP_SOCKET is http-socket,
# one more socket beside the command line's; UWSGI_INI one more ini file.
@pytest.mark.parametrize(
    ("text", "binds", "config"),
    [
        pytest.param(
            F + 'ENV UWSGI_HTTP_SOCKET=:9000\nCMD ["uwsgi", "--module", "app"]\n',
            [("", 9000)],
            None,
            id="http-socket-variable",
        ),
        pytest.param(
            F + 'ENV UWSGI_SOCKET=/tmp/u.sock\nCMD ["uwsgi", "--http", "0.0.0.0:80"]\n',
            [("0.0.0.0", 80)],
            None,
            id="a-unix-socket-variable-beside-the-command-line",
        ),
        pytest.param(
            F + 'ENV UWSGI_HTTP=:$PORT\nCMD ["uwsgi", "--module", "app"]\n',
            [("", None)],
            None,
            id="a-variable-in-the-value-is-not-known",
        ),
        # uwsgi_manage_opt finds an option by its long name only.
        pytest.param(
            F + 'ENV UWSGI_S=:9000\nCMD ["uwsgi", "--module", "app"]\n',
            None,
            None,
            id="a-short-option-has-no-variable",
        ),
        pytest.param(
            F + 'ENV UWSGI_INI=/app/uwsgi.ini\nCMD ["uwsgi"]\n',
            None,
            "/app/uwsgi.ini",
            id="ini-variable",
        ),
        pytest.param(
            F + 'ENV UWSGI_INI=/app/uwsgi.ini\nCMD ["uwsgi", "--ini", "other.ini"]\n',
            None,
            None,
            id="two-ini-files",
        ),
    ],
)
def test_uwsgi_options_from_variables(
    text: str, binds: list[tuple[str | None, int | None]] | None, config: str | None
) -> None:
    found = shipped_server(text)
    assert found is not None and found.program == "uwsgi"
    got = None if found.binds is None else [(b.host, b.port) for b in found.binds]
    assert (got, found.config) == (binds, config)


# gunicorn/config.py validate_bool: a bool, or a string that is true/false in any
# case once stripped; anything else is refused (TypeError, ValueError).
@pytest.mark.parametrize(
    ("source", "state"),
    [
        pytest.param("reload = True\n", "on", id="true"),
        pytest.param("reload = ' TRUE '\n", "on", id="string-true"),
        pytest.param("reload = False\n", "off", id="false"),
        pytest.param("reload = True\nreload = 'false'\n", "off", id="last-wins"),
        pytest.param("workers = 2\n", "unset", id="unset"),
        pytest.param("RELOAD = True\n", "unset", id="not-a-setting-name"),
        pytest.param("reload = 1\n", None, id="an-int-is-refused"),
        pytest.param("import os\nreload = os.environ.get('DEV') == '1'\n", None, id="computed"),
        pytest.param("if DEV:\n    reload = True\n", None, id="conditional"),
        pytest.param("from dev import *\n", None, id="star-import"),
        pytest.param("reload = (\n", None, id="does-not-parse"),
        pytest.param("reload = True\n\0", None, id="a-null-byte"),
    ],
)
def test_gunicorn_config_reload(source: str, state: str | None) -> None:
    assert gunicorn_config_reload(source) == state


# Nesting deeper than CPython's parser takes: it raises MemoryError (its own
# stack) or RecursionError (building the tree), depending on the shape and the
# version; a config file gunicorn could not load either is not known.
@pytest.mark.parametrize(
    "source",
    [
        pytest.param("reload = " + "-" * 200_000 + "1\n", id="unary-minus"),
        pytest.param("x = " + "not " * 60_000 + "1\n", id="not"),
        pytest.param("bind = " + "+".join(["'a'"] * 100_000) + "\n", id="long-sum"),
    ],
)
def test_gunicorn_config_nested_past_the_parser_is_not_known(source: str) -> None:
    assert (gunicorn_config_reload(source), gunicorn_config_binds(source)) in (
        (None, None),
        ("unset", None),
    )


# gunicorn/app/base.py load_config: the -c file (or GUNICORN_CMD_ARGS's), else
# ./gunicorn.conf.py; a python: module is not a file of the context.
@pytest.mark.parametrize(
    ("text", "settings"),
    [
        (F + 'CMD ["gunicorn", "-b", ":80", "app:app"]\n', "gunicorn.conf.py"),
        (F + 'CMD ["gunicorn", "-c", "conf/dev.py", "-b", ":80", "app:app"]\n', "conf/dev.py"),
        (F + 'ENV GUNICORN_CMD_ARGS="-c g.py"\nCMD ["gunicorn", "-b", ":80", "app:app"]\n', "g.py"),
        (F + 'CMD ["gunicorn", "-c", "python:conf", "app:app"]\n', None),
    ],
)
def test_gunicorn_settings_file(text: str, settings: str | None) -> None:
    found = shipped_server(text)
    assert found is not None and found.settings_file == settings


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("8000", 8000),
        ("08000", 8000),
        ("0", 0),
        ("000", 0),
        ("9" * 12, 999_999_999_999),
        ("9" * 13, None),
        ("0" * 5000 + "80", 80),
        ("9" * 5000, None),
        ("", None),
        ("\u00b2", None),
        ("\u0663", None),
        ("+80", None),
        (" 80", None),
    ],
)
def test_ascii_number(text: str, number: int | None) -> None:
    assert ascii_number(text) == number
