"""no-dev-server: catches and does-not-catch tables, run through the hook."""

from __future__ import annotations

from pathlib import Path

import pytest
from contextrun import assert_reported

from python_docker_hooks._dockerfile.server import click_true
from python_docker_hooks.no_dev_server import flask_debug_true

HOOK = "no_dev_server"
F = "FROM python:3.12-slim\n"
BOM = "\ufeff"

RUNSERVER = (
    "PDH631 `runserver` is Django's development server, not for production: run a "
    "WSGI or ASGI server such as gunicorn (or uvicorn with `--workers`)"
)
FLASK_RUN = (
    "PDH631 `flask run` starts Werkzeug's development server, not for production: "
    "run a WSGI server such as gunicorn"
)
FASTAPI_DEV = (
    "PDH631 `fastapi dev` runs FastAPI in development mode (auto-reload, 127.0.0.1): "
    "use `fastapi run`"
)


def reload(pos: str, program: str, why: str = "--reload") -> str:
    workers = " (for more processes use `--workers`)" if program in ("uvicorn", "fastapi run") else ""
    return (
        f"{pos}: PDH631 `{program}` with `{why}` watches the source and restarts on "
        f"changes, which is for development: drop it{workers}"
    )


def debug(pos: str, value: str) -> str:
    return (
        f"{pos}: PDH632 `FLASK_DEBUG={value}` turns on Flask's debug mode in the shipped "
        "image (Flask reads any value but 0, false and no as true): remove it, or set "
        "it only in a development stage"
    )


GUNICORN = 'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]\n'

# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
CATCHES = [
    pytest.param(
        F + 'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
        ["2:1: " + RUNSERVER],
        id="manage-py-runserver",
    ),
    pytest.param(F + "CMD django-admin runserver 0:8000\n", ["2:1: " + RUNSERVER], id="django-admin"),
    pytest.param(
        F + 'CMD ["python", "-m", "django", "runserver", "--noreload"]\n',
        ["2:1: " + RUNSERVER],
        id="python-m-django-noreload-is-still-runserver",
    ),
    pytest.param(F + "CMD flask --app app run --host 0.0.0.0\n", ["2:1: " + FLASK_RUN], id="flask-run"),
    pytest.param(F + 'CMD ["python3", "-m", "flask", "run"]\n', ["2:1: " + FLASK_RUN], id="python-m-flask"),
    pytest.param(F + "CMD fastapi dev app/main.py --host 0.0.0.0\n", ["2:1: " + FASTAPI_DEV], id="fastapi-dev"),
    pytest.param(
        F + "CMD fastapi run --no-reload --reload\n",
        [reload("2:1", "fastapi run")],
        id="fastapi-run-last-reload-wins",
    ),
    pytest.param(
        F + 'CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--reload"]\n',
        [reload("2:1", "uvicorn")],
        id="uvicorn-reload",
    ),
    pytest.param(
        F + "CMD python -m gunicorn --reload -b 0.0.0.0:8000 app:app\n",
        [reload("2:1", "gunicorn")],
        id="python-m-gunicorn-reload",
    ),
    pytest.param(
        F + "CMD hypercorn --reload --bind 0.0.0.0:8000 app:app\n",
        [reload("2:1", "hypercorn")],
        id="hypercorn-reload",
    ),
    pytest.param(
        F + "CMD granian --interface asgi --reload app:app\n",
        [reload("2:1", "granian")],
        id="granian-reload",
    ),
    # click reads UVICORN_*/GRANIAN_* (auto_envvar_prefix) as a boolean.
    pytest.param(
        F + "ENV UVICORN_RELOAD=Yes\nCMD uvicorn app:app --host 0.0.0.0\n",
        [reload("3:1", "uvicorn", "UVICORN_RELOAD=Yes")],
        id="uvicorn-reload-variable",
    ),
    pytest.param(
        F + "ENV GRANIAN_RELOAD=on\nCMD granian app:app\n",
        [reload("3:1", "granian", "GRANIAN_RELOAD=on")],
        id="granian-reload-variable",
    ),
    pytest.param(
        F + 'ENV GUNICORN_CMD_ARGS="--reload --workers 2"\nCMD gunicorn app:app\n',
        [reload("3:1", "gunicorn", "GUNICORN_CMD_ARGS --reload")],
        id="gunicorn-cmd-args",
    ),
    # uWSGI's Python reloader (plugins/python/python_plugin.c: "use only in
    # development"), under any of its four names, or from a UWSGI_* variable
    # (core/utils.c parse_sys_envs: UWSGI_PY_AUTORELOAD is py-autoreload).
    pytest.param(
        F + 'CMD ["uwsgi", "--http", ":8000", "--py-autoreload", "1", "--module", "app"]\n',
        [reload("2:1", "uwsgi", "--py-autoreload")],
        id="uwsgi-py-autoreload",
    ),
    pytest.param(
        F + "CMD uwsgi --http :8000 --python-auto-reload=2 --module app\n",
        [reload("2:1", "uwsgi", "--py-autoreload")],
        id="uwsgi-python-auto-reload-spelling",
    ),
    pytest.param(
        F + 'ENV UWSGI_PY_AUTORELOAD=1\nCMD ["uwsgi", "--http", ":8000", "--module", "app"]\n',
        [reload("3:1", "uwsgi", "UWSGI_PY_AUTORELOAD=1")],
        id="uwsgi-py-autoreload-variable",
    ),
    pytest.param(
        (F + "ENV UWSGI_PY_AUTORELOAD=2\nCMD uwsgi --http :8000 \\\n  --module app\n").replace("\n", "\r\n"),
        [reload("3:1", "uwsgi", "UWSGI_PY_AUTORELOAD=2")],
        id="uwsgi-variable-crlf-continued",
    ),
    pytest.param(
        F + "RUN <<EOF\npip install uwsgi\nEOF\n" + 'CMD ["uwsgi", "--http", ":8000", "--py-auto-reload=1", "-w", "app"]\n',
        [reload("5:1", "uwsgi", "--py-autoreload")],
        id="uwsgi-after-a-heredoc",
    ),
    # Through the container command as Docker combines it, and its wrappers.
    pytest.param(
        F + 'ENTRYPOINT ["uvicorn"]\nCMD ["app:app", "--reload"]\n',
        [reload("3:1", "uvicorn")],
        id="entrypoint-and-cmd",
    ),
    pytest.param(
        F + 'CMD ["sh", "-c", "python manage.py migrate && exec python manage.py runserver 0.0.0.0:$PORT"]\n',
        ["2:1: " + RUNSERVER],
        id="sh-c-script-exec",
    ),
    pytest.param(
        F + 'ENTRYPOINT ["gosu", "app", "uvicorn", "app:app", "--reload"]\n',
        [reload("2:1", "uvicorn")],
        id="wrapper",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nCMD uvicorn app:app --reload\nFROM base\nRUN true\n",
        [reload("2:1", "uvicorn")],
        id="inherited-from-a-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nENV UVICORN_RELOAD=1\nFROM base\nCMD [\"uvicorn\", \"app:app\"]\n",
        [reload("4:1", "uvicorn", "UVICORN_RELOAD=1")],
        id="reload-variable-inherited",
    ),
    # FLASK_DEBUG as Flask's get_debug_flag reads it.
    pytest.param(F + "ENV FLASK_DEBUG=1\n" + GUNICORN, [debug("2:1", "1")], id="flask-debug-1"),
    pytest.param(F + "ENV FLASK_DEBUG=True\n" + GUNICORN, [debug("2:1", "True")], id="flask-debug-true"),
    pytest.param(F + "ENV FLASK_DEBUG off\n" + GUNICORN, [debug("2:1", "off")], id="flask-debug-off-is-true"),
    pytest.param(
        "FROM python:3.12-slim AS base\nENV FLASK_DEBUG=yes\nFROM base\n" + GUNICORN,
        [debug("2:1", "yes")],
        id="flask-debug-inherited",
    ),
    pytest.param(
        F + "ENV FLASK_DEBUG=1\nCMD flask run\n",
        [debug("2:1", "1"), "3:1: " + FLASK_RUN],
        id="both",
    ),
    # Shapes.
    pytest.param(
        "from python:3.12-slim\ncmd uvicorn app:app --reload\n", [reload("2:1", "uvicorn")], id="lowercase"
    ),
    pytest.param(
        (F + "CMD uvicorn app:app --reload\n").replace("\n", "\r\n"),
        [reload("2:1", "uvicorn")],
        id="crlf",
    ),
    pytest.param(BOM + F + "CMD fastapi dev\n", ["2:1: " + FASTAPI_DEV], id="bom"),
    pytest.param(F + "CMD fastapi dev", ["2:1: " + FASTAPI_DEV], id="no-final-newline"),
    pytest.param(
        "# escape=`\n" + F + "CMD uvicorn app:app `\n  --reload\n",
        [reload("3:1", "uvicorn")],
        id="backtick-escape",
    ),
    pytest.param(
        F + "CMD uvicorn app:app \\\n# watch\n  --reload\n",
        [reload("2:1", "uvicorn")],
        id="comment-in-continuation",
    ),
    pytest.param(
        F + "COPY <<EOF /app/run.sh\nuvicorn app:app --reload\nEOF\nCMD fastapi dev\n",
        ["5:1: " + FASTAPI_DEV],
        id="heredoc-file-is-not-the-command",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH632\nENV FLASK_DEBUG=1\nCMD flask run\n",
        ["4:1: " + FLASK_RUN],
        id="suppressed-one-of-two",
    ),
]

# Dockerfiles every mode leaves alone.
DOES_NOT_CATCH = [
    pytest.param(F + GUNICORN, id="gunicorn"),
    pytest.param(F + "CMD fastapi run app/main.py\n", id="fastapi-run"),
    pytest.param(F + "CMD fastapi run --reload --no-reload\n", id="fastapi-run-no-reload-last"),
    pytest.param(F + 'CMD ["uvicorn", "app:app", "--workers", "4"]\n', id="uvicorn-workers"),
    pytest.param(F + "CMD granian --reload --no-reload app:app\n", id="granian-no-reload-last"),
    pytest.param(F + "ENV UVICORN_RELOAD=false\nCMD uvicorn app:app\n", id="uvicorn-reload-false"),
    # A value click does not read as true is not reload (click stops with an error).
    pytest.param(F + "ENV UVICORN_RELOAD=2\nCMD uvicorn app:app\n", id="uvicorn-reload-not-a-boolean"),
    pytest.param(F + "CMD uvicorn app:app --reload-dir src\n", id="reload-dir-alone-is-not-reload"),
    pytest.param(F + "CMD python manage.py migrate\n", id="other-manage-command"),
    # uwsgi_opt_set_int reads the interval with strtol: 0, or no digits, is off.
    pytest.param(F + "CMD uwsgi --http :80 --py-autoreload 0 -w app\n", id="uwsgi-autoreload-0"),
    pytest.param(F + "CMD uwsgi --http :80 --py-autoreload yes -w app\n", id="uwsgi-autoreload-word"),
    pytest.param(
        F + "CMD uwsgi --http :80 --py-autoreload " + "9" * 5000 + " -w app\n",
        id="uwsgi-autoreload-past-a-long-is-negative-and-uwsgi-exits",
    ),
    # The command line is read after the variables.
    pytest.param(
        F + "ENV UWSGI_PY_AUTORELOAD=3\nCMD uwsgi --http :80 --py-autoreload=0 -w app\n",
        id="uwsgi-command-line-after-variable",
    ),
    pytest.param(F + "CMD uwsgi --http :80 --touch-reload app.py -w app\n", id="uwsgi-touch-reload"),
    pytest.param(
        F + "ARG DEV\nENV UWSGI_PY_AUTORELOAD=$DEV\nCMD uwsgi --http :80 -w app\n",
        id="uwsgi-variable-not-known",
    ),
    pytest.param(F + "CMD flask db upgrade\n", id="other-flask-command"),
    pytest.param(F + 'CMD ["echo", "flask run --reload"]\n', id="echo"),
    # Only the shipped stage is judged.
    pytest.param(
        "FROM python:3.12-slim AS dev\nENV FLASK_DEBUG=1\nCMD flask run\n"
        "FROM python:3.12-slim\n" + GUNICORN,
        id="dev-stage-not-shipped",
    ),
    # FLASK_DEBUG as Flask reads it: empty, 0, false, no (any case) are false.
    pytest.param(F + "ENV FLASK_DEBUG=0\n" + GUNICORN, id="flask-debug-0"),
    pytest.param(F + "ENV FLASK_DEBUG=False\n" + GUNICORN, id="flask-debug-False"),
    pytest.param(F + "ENV FLASK_DEBUG=NO\n" + GUNICORN, id="flask-debug-NO"),
    pytest.param(F + 'ENV FLASK_DEBUG=""\n' + GUNICORN, id="flask-debug-empty"),
    pytest.param(F + "ARG FLASK_DEBUG=1\n" + GUNICORN, id="arg-is-not-in-the-container"),
    pytest.param(F + "ARG DEBUG\nENV FLASK_DEBUG=$DEBUG\n" + GUNICORN, id="value-not-known"),
    pytest.param(F + 'ENTRYPOINT ["/entrypoint.sh"]\n', id="script-not-read"),
    # Shapes.
    pytest.param(
        ("from python:3.12-slim\nenv FLASK_DEBUG=0\ncmd gunicorn app:app").replace("\n", "\r\n"),
        id="lowercase-crlf-no-final-newline",
    ),
    pytest.param(BOM + F + GUNICORN, id="bom"),
    pytest.param("# escape=`\n" + F + "CMD uvicorn app:app `\n  --workers 2\n", id="backtick-escape"),
    pytest.param(F + "CMD uvicorn app:app \\\n# no reload\n  --workers 2\n", id="comment-in-continuation"),
    pytest.param(F + "RUN <<EOF\necho flask run\nEOF\n" + GUNICORN, id="heredoc"),
    pytest.param(F + "# python-docker-hooks: ignore=PDH631\nCMD fastapi dev\n", id="suppressed"),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("T", True), ("0", False), ("2", False), ("", False)],
)
def test_click_reads_a_boolean_as_click_types_does(value: str, expected: bool) -> None:
    assert click_true(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("off", True), (" 0", True), ("0", False), ("FALSE", False), ("No", False), ("", False)],
)
def test_flask_debug_as_get_debug_flag_reads_it(value: str, expected: bool) -> None:
    assert flask_debug_true(value) is expected


# The ini file uWSGI loads, read from the build context as expose-port reads it
# (Context.image_file): core/ini.c's reading, the [uwsgi] section only.
GUNICORN_APP = F + "WORKDIR /app\nCOPY . .\n" + 'CMD ["gunicorn", "app:app"]\n'
UWSGI_APP = F + "WORKDIR /app\nCOPY . .\n" + 'CMD ["uwsgi", "--ini", "uwsgi.ini"]\n'
COMPOSE = "services:\n  app:\n    build: .\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"Dockerfile": UWSGI_APP, "uwsgi.ini": "[uwsgi]\nmodule = app\npy-autoreload = 1\n",
             "compose.yaml": COMPOSE},
            [reload("Dockerfile:4:1", "uwsgi", "py-autoreload in uwsgi.ini")],
            id="py-autoreload-in-the-ini",
        ),
        pytest.param(
            {"Dockerfile": UWSGI_APP, "uwsgi.ini": "[uwsgi]\r\n  python-autoreload=2\r\n"},
            [reload("Dockerfile:4:1", "uwsgi", "py-autoreload in uwsgi.ini")
             + " (read from uwsgi.ini in the guessed build context `.`)"],
            id="read-in-a-guessed-context-says-so",
        ),
        pytest.param(
            {"Dockerfile": F + "ENV UWSGI_PY_AUTORELOAD=1\n" + UWSGI_APP.removeprefix(F),
             "uwsgi.ini": "[uwsgi]\npy-autoreload = 0\n", "compose.yaml": COMPOSE},
            [],
            id="the-ini-is-read-after-the-variable",
        ),
        pytest.param(
            {"Dockerfile": F + "ENV UWSGI_PY_AUTORELOAD=1\n" + UWSGI_APP.removeprefix(F),
             "uwsgi.ini": "[uwsgi]\nmodule = app\n", "compose.yaml": COMPOSE},
            [reload("Dockerfile:5:1", "uwsgi", "UWSGI_PY_AUTORELOAD=1")],
            id="an-ini-without-it-leaves-the-variable",
        ),
        pytest.param(
            {"Dockerfile": UWSGI_APP,
             "uwsgi.ini": "[uwsgi]\nif-env = DEV\npy-autoreload = 1\nendif =\n",
             "compose.yaml": COMPOSE},
            [],
            id="under-a-test-is-not-known",
        ),
        pytest.param(
            {"Dockerfile": UWSGI_APP, "uwsgi.ini": "[dev]\npy-autoreload = 1\n[uwsgi]\n#py-autoreload = 1\n",
             "compose.yaml": COMPOSE},
            [],
            id="another-section-and-a-comment",
        ),
        pytest.param(
            {"Dockerfile": F + "WORKDIR /app\nCOPY . .\n"
                           "CMD uwsgi --ini uwsgi.ini --py-autoreload 0\n",
             "uwsgi.ini": "[uwsgi]\npy-autoreload = 1\n", "compose.yaml": COMPOSE},
            [],
            id="the-command-line-and-the-ini-disagree",
        ),
        pytest.param(
            {"Dockerfile": F + "WORKDIR /app\nCOPY . .\n"
                           "CMD uwsgi --ini uwsgi.ini --py-autoreload 1\n",
             "compose.yaml": COMPOSE},
            [reload("Dockerfile:4:1", "uwsgi", "--py-autoreload")],
            id="no-ini-in-the-context-leaves-the-command-line",
        ),
        pytest.param(
            {"Dockerfile": F + 'WORKDIR /app\nCOPY app.py .\nCMD ["uwsgi", "--ini", "uwsgi.ini"]\n',
             "uwsgi.ini": "[uwsgi]\npy-autoreload = 1\n", "app.py": "", "compose.yaml": COMPOSE},
            [],
            id="an-ini-the-image-does-not-hold-is-not-read",
        ),
        # gunicorn reads ./gunicorn.conf.py, or the -c file, before the command
        # line, whose --reload is store_true: the file's reload = True holds.
        pytest.param(
            {"Dockerfile": GUNICORN_APP, "gunicorn.conf.py": "bind = ':8000'\nreload = True\n",
             "compose.yaml": COMPOSE},
            [reload("Dockerfile:4:1", "gunicorn", "reload = True in gunicorn.conf.py")],
            id="gunicorn-conf-py-reload",
        ),
        pytest.param(
            {"Dockerfile": F + "WORKDIR /app\nCOPY . .\n"
                           'CMD ["gunicorn", "-c", "conf/dev.py", "app:app"]\n',
             "conf/dev.py": "reload = 'true'\n", "compose.yaml": COMPOSE},
            [reload("Dockerfile:4:1", "gunicorn", "reload = True in conf/dev.py")],
            id="gunicorn-c-file-reload",
        ),
        pytest.param(
            {"Dockerfile": GUNICORN_APP, "gunicorn.conf.py": "import os\nreload = bool(os.environ.get('DEV'))\n",
             "compose.yaml": COMPOSE},
            [],
            id="gunicorn-computed-reload-is-not-known",
        ),
        pytest.param(
            {"Dockerfile": GUNICORN_APP, "gunicorn.conf.py": "reload = " + "-" * 200_000 + "1\n",
             "compose.yaml": COMPOSE},
            [],
            id="gunicorn-config-nested-past-the-parser-is-not-known",
        ),
        pytest.param(
            {"Dockerfile": F + "WORKDIR /app\nCOPY . .\n"
                           'CMD ["gunicorn", "--reload", "app:app"]\n',
             "gunicorn.conf.py": "reload = False\n", "compose.yaml": COMPOSE},
            [reload("Dockerfile:4:1", "gunicorn")],
            id="gunicorn-command-line-reload-after-the-file",
        ),
    ],
)
def test_reloader_from_the_settings_file_the_build_copies(
    files: dict[str, str],
    expected: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_reported(HOOK, tmp_path, files, expected, capsys, monkeypatch)
