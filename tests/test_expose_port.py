"""expose-port: catches, does-not-catch and fixes-to tables, run through the hook."""

from __future__ import annotations

from pathlib import Path

import pytest
from contextrun import assert_reported, run_tree, write_tree
from hookrun import LISTING_B, pure

HOOK = "expose_port"
F = "FROM python:3.12-slim\n"
BOM = "\ufeff"


def unexposed(pos: str, program: str, port: int, fixable: bool = True) -> str:
    line = (
        f"{pos}: PDH601 `{program}` listens on port {port}, which the image does not "
        f"declare: add `EXPOSE {port}`"
    )
    return line + (" [*]" if fixable else "")


def loopback(pos: str, program: str, hosts: str, flag: str) -> str:
    return (
        f"{pos}: PDH602 `{program}` listens only on {hosts}, the container's own "
        f"loopback: it cannot be reached from outside the container; use `{flag}`"
    )


def invalid(pos: str, word: str, problem: str) -> str:
    return f"{pos}: PDH603 `EXPOSE {word}`: {problem}"


def host(pos: str, word: str, port: str) -> str:
    return (
        f"{pos}: PDH604 `EXPOSE {word}` names a host address or port, which EXPOSE "
        f"ignores: use `EXPOSE {port}` and publish with `docker run -p`"
    )


UVICORN_ALL = 'CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]\n'
HOST_PORT = (
    "`{}` before `:` is read as a host port, which it is not, and the build fails "
    "on it; EXPOSE takes a container port only"
)

# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
CATCHES = [
    pytest.param(
        F + UVICORN_ALL, [unexposed("2:1", "uvicorn", 8000)], id="uvicorn-default-port"
    ),
    pytest.param(
        # A port bound only to loopback is not EXPOSEd: nothing outside reaches it.
        F + 'CMD ["uvicorn", "app:app"]\n',
        [loopback("2:1", "uvicorn", "127.0.0.1", "--host 0.0.0.0")],
        id="uvicorn-defaults-loopback-no-expose-asked",
    ),
    pytest.param(
        F + "EXPOSE 8000\n" + 'CMD ["uvicorn", "app:app", "--port", "9000", "--host=::"]\n',
        [unexposed("3:1", "uvicorn", 9000)],
        id="expose-does-not-include-the-port",
    ),
    # Command wrappers are read through (the shell view's one table).
    pytest.param(
        F + 'CMD ["gosu", "app", "uvicorn", "app:app", "--host", "0.0.0.0"]\n',
        [unexposed("2:1", "uvicorn", 8000)],
        id="gosu-wrapper",
    ),
    # su-exec.c: "Usage: su-exec user-spec command [args]".
    pytest.param(
        "FROM python:3.12-alpine\n"
        'CMD ["su-exec", "app:app", "uvicorn", "app:app", "--host", "0.0.0.0"]\n',
        [unexposed("2:1", "uvicorn", 8000)],
        id="su-exec-wrapper",
    ),
    # fastapi-cli's cli.py: `run` defaults to --host 0.0.0.0 --port 8000.
    pytest.param(
        F + 'CMD ["fastapi", "run", "app/main.py"]\n',
        [unexposed("2:1", "fastapi run", 8000)],
        id="fastapi-run-default-all-interfaces-8000",
    ),
    pytest.param(
        F + "EXPOSE 8000\n" + 'CMD ["fastapi", "dev", "app/main.py"]\n',
        [loopback("3:1", "fastapi dev", "127.0.0.1", "--host 0.0.0.0")],
        id="fastapi-dev-default-loopback",
    ),
    pytest.param(
        F + 'CMD ["python", "-m", "fastapi", "run", "--port", "80"]\n',
        [unexposed("2:1", "fastapi run", 80)],
        id="python-m-fastapi-run-port",
    ),
    # django/__main__.py runs execute_from_command_line, as manage.py does.
    pytest.param(
        F + 'CMD ["python", "-m", "django", "runserver", "0.0.0.0:8000"]\n',
        [unexposed("2:1", "manage.py runserver", 8000)],
        id="python-m-django-runserver",
    ),
    pytest.param(
        F + 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "-b", "127.0.0.1:9000", "app:app"]\n',
        [unexposed("2:1", "gunicorn", 8000)],
        id="loopback-only-port-beside-a-public-one-is-not-asked-for",
    ),
    pytest.param(
        F + 'CMD ["conda", "run", "-n", "web", "uvicorn", "app:app", "--host", "0.0.0.0"]\n',
        [unexposed("2:1", "uvicorn", 8000)],
        id="conda-run-wrapper",
    ),
    pytest.param(
        F + "EXPOSE 8000\n" + 'CMD ["gunicorn", "app:app"]\n',
        [loopback("3:1", "gunicorn", "127.0.0.1", "--bind 0.0.0.0:8000")],
        id="gunicorn-default-bind-is-loopback",
    ),
    pytest.param(
        F + 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "--bind", "[::]:8001", "app:app"]\n',
        [unexposed("2:1", "gunicorn", 8000), unexposed("2:1", "gunicorn", 8001)],
        id="gunicorn-several-binds",
    ),
    pytest.param(
        F + "ENV PORT=5000\n" + 'CMD ["gunicorn", "app:app"]\n',
        [unexposed("3:1", "gunicorn", 5000)],
        id="gunicorn-PORT-variable-binds-all-interfaces",
    ),
    pytest.param(
        F + 'ENV GUNICORN_CMD_ARGS="--bind=0.0.0.0:7000 --workers=2"\n'
        'CMD ["gunicorn", "app:app"]\n',
        [unexposed("3:1", "gunicorn", 7000)],
        id="gunicorn-cmd-args-variable",
    ),
    pytest.param(
        F + 'CMD ["hypercorn", "app:app", "-b", "0.0.0.0"]\n',
        [unexposed("2:1", "hypercorn", 8000)],
        id="hypercorn-bare-host-takes-8000",
    ),
    # granian/cli.py: --host 127.0.0.1, --port 8000; click reads GRANIAN_*.
    pytest.param(
        F + 'ENV GRANIAN_PORT=9000\nCMD ["granian", "--interface", "asgi", "--host", "0.0.0.0", "app:app"]\n',
        [unexposed("3:1", "granian", 9000)],
        id="granian-port-variable",
    ),
    pytest.param(
        F + "EXPOSE 8000\n" + 'CMD ["granian", "app:app"]\n',
        [loopback("3:1", "granian", "127.0.0.1", "--host 0.0.0.0")],
        id="granian-default-is-loopback",
    ),
    pytest.param(
        F + "EXPOSE 8000\n" + 'CMD ["daphne", "-p", "8000", "app.asgi:application"]\n',
        [loopback("3:1", "daphne", "127.0.0.1", "--bind 0.0.0.0")],
        id="daphne-port-without-bind-is-loopback",
    ),
    pytest.param(
        F + 'CMD ["flask", "run", "--host", "0.0.0.0"]\n',
        [unexposed("2:1", "flask run", 5000)],
        id="flask-run-default-port",
    ),
    pytest.param(
        F + 'ENV FLASK_RUN_PORT=8080 FLASK_RUN_HOST=0.0.0.0\nCMD ["python", "-m", "flask", "run"]\n',
        [unexposed("3:1", "flask run", 8080)],
        id="python-m-flask-run-environment",
    ),
    pytest.param(
        F + "EXPOSE 8000\n" + 'CMD ["python", "manage.py", "runserver"]\n',
        [loopback("3:1", "manage.py runserver", "127.0.0.1", "0.0.0.0:8000")],
        id="runserver-default-loopback",
    ),
    pytest.param(
        F + 'ENTRYPOINT ["python", "manage.py"]\nCMD ["runserver", "0:8080"]\n',
        [unexposed("3:1", "manage.py runserver", 8080)],
        id="runserver-zero-is-all-interfaces-entrypoint-and-cmd",
    ),
    pytest.param(
        F + 'CMD ["streamlit", "run", "app.py"]\n',
        [unexposed("2:1", "streamlit run", 8501)],
        id="streamlit-default-8501-all-interfaces",
    ),
    pytest.param(
        F + 'CMD ["python", "-m", "streamlit", "run", "app.py", "--server.port=8080"]\n',
        [unexposed("2:1", "streamlit run", 8080)],
        id="python-m-streamlit-port",
    ),
    pytest.param(
        F + 'CMD ["waitress-serve", "app:app"]\n',
        [unexposed("2:1", "waitress-serve", 8080)],
        id="waitress-default-all-interfaces-8080",
    ),
    pytest.param(
        F + 'CMD ["waitress-serve", "--listen=127.0.0.1:6543", "app:app"]\n',
        [loopback("2:1", "waitress-serve", "127.0.0.1", "--listen=*:PORT")],
        id="waitress-listen-loopback",
    ),
    pytest.param(
        F + 'CMD ["uwsgi", "--http", ":9090", "--module", "app"]\n',
        [unexposed("2:1", "uwsgi", 9090)],
        id="uwsgi-http-all-interfaces",
    ),
    pytest.param(
        F + 'CMD ["uwsgi", "--socket", "127.0.0.1:3031"]\n',
        [loopback("2:1", "uwsgi", "127.0.0.1", "--http :PORT")],
        id="uwsgi-socket-loopback",
    ),
    pytest.param(
        F + 'CMD ["python3", "-m", "http.server", "9000"]\n',
        [unexposed("2:1", "http.server", 9000)],
        id="http-server-positional-port",
    ),
    pytest.param(
        F + "CMD python -m http.server --bind 127.0.0.1\n",
        [loopback("2:1", "http.server", "127.0.0.1", "--bind 0.0.0.0")],
        id="http-server-shell-form-bind",
    ),
    pytest.param(
        F + "ENV PORT=8080\n" + 'CMD ["sh", "-c", "exec uvicorn app:app --host 0.0.0.0 --port $PORT"]\n',
        [unexposed("3:1", "uvicorn", 8080)],
        id="sh-c-exec-variable-from-env",
    ),
    pytest.param(
        F + "CMD uvicorn app:app --host 0.0.0.0 --port ${PORT:-8081}\n",
        [unexposed("2:1", "uvicorn", 8081)],
        id="shell-form-variable-default",
    ),
    pytest.param(
        F + 'CMD ["sh", "-c", "python manage.py migrate && gunicorn -b :8000 proj.wsgi"]\n',
        [unexposed("2:1", "gunicorn", 8000)],
        id="sh-c-last-server-command",
    ),
    pytest.param(
        F + 'ENTRYPOINT ["tini", "--"]\nCMD ["uvicorn", "app:app", "--host", "::"]\n',
        [unexposed("3:1", "uvicorn", 8000)],
        id="tini-entrypoint-runs-the-server",
    ),
    pytest.param(
        F + "EXPOSE 80000\n",
        [invalid("2:8", "80000", "port 80000 is outside 1-65535")],
        id="port-out-of-range",
    ),
    # More digits than CPython's int() reads (4,300), and a digit str.isdigit
    # takes but int() refuses: one line each, never an internal error.
    pytest.param(
        F + "EXPOSE 000" + "9" * 5000 + "\n",
        [invalid("2:8", "000" + "9" * 5000, "port 999999999999… is outside 1-65535")],
        id="port-of-5000-digits",
    ),
    pytest.param(
        F + "EXPOSE \u00b2\n",
        [invalid("2:8", "\u00b2", "`\u00b2` is not a port number")],
        id="superscript-two-is-not-a-digit",
    ),
    pytest.param(
        F + "EXPOSE 0 8000-7000 http 53/tcpx\n",
        [
            invalid("2:8", "0", "port 0 is outside 1-65535"),
            invalid("2:10", "8000-7000", "range `8000-7000` ends below its start"),
            invalid("2:20", "http", "`http` is not a port number"),
            invalid("2:25", "53/tcpx", "unknown protocol `tcpx` (tcp, udp or sctp)"),
        ],
        id="malformed-words",
    ),
    pytest.param(
        F + "EXPOSE 80:8080/udp 127.0.0.1:80:8000 [::1]:80:8000\n",
        [
            host("2:8", "80:8080/udp", "8080/udp"),
            host("2:20", "127.0.0.1:80:8000", "8000"),
            host("2:38", "[::1]:80:8000", "8000"),
        ],
        id="host-port-and-ip-host-port-buildkit-warns-ExposeInvalidFormat",
    ),
    # convert_expose.go splitParts: with two parts the first is a host port, and
    # parsePortRange rejects `127.0.0.1` and `foo`: the build fails.
    pytest.param(
        F + "EXPOSE 127.0.0.1:8000 foo:8000\n",
        [
            invalid("2:8", "127.0.0.1:8000", HOST_PORT.format("127.0.0.1")),
            invalid("2:23", "foo:8000", HOST_PORT.format("foo")),
        ],
        id="two-parts-first-read-as-host-port-parsePortRange-fails-the-build",
    ),
    pytest.param(
        F + "EXPOSE 80:8000-8001 foo:80:8000\n",
        [
            invalid(
                "2:8",
                "80:8000-8001",
                "host ports `80` and container ports `8000-8001` are ranges of different "
                "lengths, and the build fails on it; EXPOSE takes a container port only",
            ),
            invalid(
                "2:21",
                "foo:80:8000",
                "`foo` is not an IP address, and the build fails on it; EXPOSE takes a "
                "container port only",
            ),
        ],
        id="range-length-mismatch-and-net-ParseIP-fail-the-build",
    ),
    # ProcessWords splits an unquoted value on blanks: two ports, one of them bad.
    pytest.param(
        F + 'ARG PORTS="8000 80000"\nEXPOSE $PORTS\n',
        ["3:8: PDH603 `EXPOSE $PORTS` (`80000`): port 80000 is outside 1-65535"],
        id="ProcessWords-splits-a-variable-into-ports",
    ),
    pytest.param(
        F + "EXPOSE :/tcp ::\n",
        [invalid("2:8", ":/tcp", "no port number"), invalid("2:14", "::", "no port number")],
        id="no-container-port-is-invalid-not-a-host-mapping",
    ),
    pytest.param(
        F + "ARG P=70000\nEXPOSE $P\n",
        ["3:8: PDH603 `EXPOSE $P` (`70000`): port 70000 is outside 1-65535"],
        id="build-argument-expanded",
    ),
    pytest.param(
        F + "from base AS b\nexpose 99999\n",
        [invalid("3:8", "99999", "port 99999 is outside 1-65535")],
        id="lowercase",
    ),
    pytest.param(
        (F + UVICORN_ALL).replace("\n", "\r\n"),
        [unexposed("2:1", "uvicorn", 8000)],
        id="crlf",
    ),
    pytest.param(BOM + F + UVICORN_ALL, [unexposed("2:1", "uvicorn", 8000)], id="bom"),
    pytest.param(
        F + UVICORN_ALL.rstrip("\n"), [unexposed("2:1", "uvicorn", 8000)], id="no-final-newline"
    ),
    pytest.param(
        "# escape=`\n" + F + "CMD uvicorn app:app `\n    --host 0.0.0.0\n",
        [unexposed("3:1", "uvicorn", 8000)],
        id="backtick-escape",
    ),
    pytest.param(
        F + "CMD uvicorn app:app \\\n# the port\n    --host 0.0.0.0 --port 7000\n",
        [unexposed("2:1", "uvicorn", 7000)],
        id="comment-in-continuation",
    ),
    pytest.param(
        F + "RUN <<EOF\npip install uvicorn\nEOF\n" + UVICORN_ALL,
        [unexposed("5:1", "uvicorn", 8000)],
        id="heredoc",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH601\n" + 'CMD ["uvicorn", "app:app"]\n',
        [loopback("3:1", "uvicorn", "127.0.0.1", "--host 0.0.0.0")],
        id="suppressed-one-of-two",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\n" + 'CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]\n'
        "FROM base\nRUN pip install --no-cache-dir x\n",
        [unexposed("2:1", "uvicorn", 8000)],
        id="command-inherited-from-a-parent-stage",
    ),
]

# Left alone by every mode.
DOES_NOT_CATCH = [
    # A port servers would not read is not known: nothing to declare.
    pytest.param(F + "CMD uvicorn app:app --host 0.0.0.0 --port \u00b2\n", id="server-port-superscript"),
    pytest.param(
        F + "CMD uvicorn app:app --host 0.0.0.0 --port " + "9" * 5000 + "\n",
        id="server-port-of-5000-digits",
    ),
    pytest.param(F + "CMD uvicorn app:app --host 0.0.0.0 --port 70000\n", id="server-port-past-65535"),
    # BuildKit's ProcessWords splits the value: 8000 and 8001 are both declared.
    pytest.param(
        F + 'ARG PORTS="8000 8001"\nEXPOSE $PORTS\n'
        'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8001"]\n',
        id="ProcessWords-two-ports-from-one-variable",
    ),
    pytest.param(F + "ARG EXTRA=\nEXPOSE 8000 $EXTRA\n", id="empty-variable-is-no-word"),
    pytest.param(F + "EXPOSE :8000\n", id="empty-host-port-is-neither-an-error-nor-a-warning"),
    pytest.param(
        F + "EXPOSE 8000\n"
        'CMD ["gunicorn", "-b", "0.0.0.0:8000", "-b", "127.0.0.1:9000", "app:app"]\n',
        id="loopback-bind-beside-a-public-one-needs-no-expose",
    ),
    pytest.param(
        F + "ENV PORT=8080\n" + 'CMD ["fastapi", "run"]\n',
        id="fastapi-with-PORT-set-is-not-known-some-releases-read-it",
    ),
    pytest.param(LISTING_B, id="seed-listing-b"),
    pytest.param(F + "EXPOSE 8000\n" + UVICORN_ALL, id="exposed"),
    pytest.param(F + "EXPOSE 8000-8010/tcp\n" + UVICORN_ALL, id="exposed-in-a-range"),
    pytest.param(
        "FROM python:3.12-slim AS base\nEXPOSE 8000\nFROM base\n" + UVICORN_ALL,
        id="expose-inherited",
    ),
    pytest.param(F + "EXPOSE 8000/udp\nEXPOSE 8000\n" + UVICORN_ALL, id="udp-and-tcp"),
    pytest.param(F + 'CMD ["uvicorn", "app:app", "--uds", "/tmp/app.sock"]\n', id="unix-socket"),
    pytest.param(F + "CMD uvicorn app:app --host 0.0.0.0 --port $PORT\n", id="port-variable-unset"),
    pytest.param(
        F + 'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "$PORT"]\n',
        id="exec-form-dollar-is-literal-not-a-port",
    ),
    pytest.param(F + "EXPOSE $PORT\n", id="expose-variable-unset"),
    pytest.param(F + 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n', id="gunicorn-config-file"),
    pytest.param(F + 'CMD ["uwsgi", "--ini", "uwsgi.ini"]\n', id="uwsgi-ini"),
    pytest.param(F + 'CMD ["python", "app.py"]\n', id="unknown-program"),
    pytest.param(F + 'CMD ["python", "-m", "flask", "db", "upgrade"]\n', id="flask-not-run"),
    pytest.param(
        "FROM python:3.12-slim AS base\n" + UVICORN_ALL + 'FROM base\nENTRYPOINT ["tini", "--"]\n',
        id="entrypoint-resets-the-inherited-cmd",
    ),
    pytest.param(
        "from python:3.12-slim\r\nexpose 8000\r\ncmd uvicorn app:app --host 0.0.0.0",
        id="lowercase-crlf-no-final-newline",
    ),
    pytest.param(BOM + F + "EXPOSE 8000\n" + UVICORN_ALL, id="bom"),
    pytest.param(
        "# escape=`\n" + F + "EXPOSE 8000 `\n  8001\n" + UVICORN_ALL, id="backtick-escape"
    ),
    pytest.param(
        F + "EXPOSE 8000 \\\n# and the metrics port\n  9100\n" + UVICORN_ALL,
        id="comment-in-continuation",
    ),
    pytest.param(
        F + "RUN <<EOF\necho 'EXPOSE 99999'\nEOF\nEXPOSE 8000\n" + UVICORN_ALL, id="heredoc"
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH603\nEXPOSE 99999\n", id="suppressed"
    ),
    pytest.param(
        F + "# hadolint ignore=DL3011\nEXPOSE 99999\n", id="suppressed-by-hadolint-code"
    ),
]

# (before, after): one run fixes to exactly this; a second run changes nothing.
FIXES_TO = [
    pytest.param(F + UVICORN_ALL, F + "EXPOSE 8000\n" + UVICORN_ALL, id="before-cmd"),
    pytest.param(
        F + "# Start the server\n" + UVICORN_ALL,
        F + "EXPOSE 8000\n# Start the server\n" + UVICORN_ALL,
        id="above-the-comment-over-the-cmd",
    ),
    pytest.param(
        F + 'ENTRYPOINT ["gunicorn"]\nCMD ["-b", "0.0.0.0:9000", "app:app"]\n',
        F + 'EXPOSE 9000\nENTRYPOINT ["gunicorn"]\nCMD ["-b", "0.0.0.0:9000", "app:app"]\n',
        id="before-the-first-of-entrypoint-and-cmd",
    ),
    pytest.param(
        F + 'CMD ["gunicorn", "-b", ":8000", "-b", ":8001", "app:app"]\n',
        F + "EXPOSE 8000\nEXPOSE 8001\n" + 'CMD ["gunicorn", "-b", ":8000", "-b", ":8001", "app:app"]\n',
        id="two-ports-two-lines",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\n" + UVICORN_ALL + "FROM base\nRUN true",
        "FROM python:3.12-slim AS base\n" + UVICORN_ALL + "FROM base\nRUN true\nEXPOSE 8000",
        id="inherited-command-end-of-stage-no-final-newline",
    ),
    pytest.param(
        (F + UVICORN_ALL).replace("\n", "\r\n"),
        (F + "EXPOSE 8000\n" + UVICORN_ALL).replace("\n", "\r\n"),
        id="crlf",
    ),
    pytest.param(BOM + F + UVICORN_ALL, BOM + F + "EXPOSE 8000\n" + UVICORN_ALL, id="bom"),
    pytest.param(
        "from python:3.12-slim\ncmd uvicorn app:app --host 0.0.0.0",
        "from python:3.12-slim\nEXPOSE 8000\ncmd uvicorn app:app --host 0.0.0.0",
        id="lowercase-no-final-newline",
    ),
    pytest.param(
        "# escape=`\n" + F + "CMD uvicorn app:app `\n  --host 0.0.0.0\n",
        "# escape=`\n" + F + "EXPOSE 8000\nCMD uvicorn app:app `\n  --host 0.0.0.0\n",
        id="backtick-escape",
    ),
    pytest.param(
        F + "CMD uvicorn app:app \\\n# all interfaces\n  --host 0.0.0.0\n",
        F + "EXPOSE 8000\nCMD uvicorn app:app \\\n# all interfaces\n  --host 0.0.0.0\n",
        id="comment-in-continuation",
    ),
    pytest.param(
        F + "RUN <<EOF\npip install uvicorn\nEOF\n" + UVICORN_ALL,
        F + "RUN <<EOF\npip install uvicorn\nEOF\nEXPOSE 8000\n" + UVICORN_ALL,
        id="after-a-heredoc",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH621\n" + UVICORN_ALL,
        F + "EXPOSE 8000\n# python-docker-hooks: ignore=PDH621\n" + UVICORN_ALL,
        id="pragma-stays-above-its-instruction",
    ),
]


# gunicorn reads ./gunicorn.conf.py when the working directory holds one
# (gunicorn/config.py get_default_config_file; gunicorn/app/base.py load_config):
# the bind comes from the file the build copies there, read from the context.
GUNICORN_APP = (
    F + "WORKDIR /app\nCOPY . .\n" + 'CMD ["gunicorn", "app:app"]\n'
)
# A compose file declares the build context (the Dockerfile's directory): a bind
# read from a file of a declared context may be fixed.
COMPOSE = "services:\n  app:\n    build: .\n"
GUESSED = (
    " (the bind is read from gunicorn.conf.py in the guessed build context `.`;"
    " declare the context to have it fixed)"
)
GUNICORN_TREES = [
    pytest.param(
        {
            "Dockerfile": GUNICORN_APP,
            "gunicorn.conf.py": "bind = '0.0.0.0:9000'\n",
            "compose.yaml": COMPOSE,
        },
        [unexposed("Dockerfile:4:1", "gunicorn", 9000)],
        id="literal-bind-in-the-copied-gunicorn-conf-py",
    ),
    pytest.param(
        {"Dockerfile": GUNICORN_APP, "gunicorn.conf.py": "bind = '0.0.0.0:9000'\n"},
        [unexposed("Dockerfile:4:1", "gunicorn", 9000, fixable=False) + GUESSED],
        id="bind-read-from-a-guessed-context-is-reported-without-a-fix",
    ),
    pytest.param(
        {
            "Dockerfile": GUNICORN_APP,
            "gunicorn.conf.py": "import os\nbind = f\"0.0.0.0:{os.environ['PORT']}\"\n",
        },
        [],
        id="computed-bind-is-not-known-never-guessed-8000",
    ),
    pytest.param(
        {
            "Dockerfile": GUNICORN_APP,
            "gunicorn.conf.py": "bind = " + "-" * 200_000 + "1\n",
            "compose.yaml": COMPOSE,
        },
        [],
        id="a-config-nested-past-the-parser-is-not-known-and-no-internal-error",
    ),
    pytest.param(
        {"Dockerfile": GUNICORN_APP, "gunicorn.conf.py": "workers = 2\n"},
        [loopback("Dockerfile:4:1", "gunicorn", "127.0.0.1", "--bind 0.0.0.0:8000")],
        id="config-without-bind-keeps-the-default",
    ),
    pytest.param(
        {"Dockerfile": GUNICORN_APP},
        [loopback("Dockerfile:4:1", "gunicorn", "127.0.0.1", "--bind 0.0.0.0:8000")],
        id="no-config-in-the-context-default-bind",
    ),
    pytest.param(
        {
            "Dockerfile": GUNICORN_APP,
            "gunicorn.conf.py": "bind = '0.0.0.0:9000'\n",
            ".dockerignore": "gunicorn.conf.py\n",
        },
        [loopback("Dockerfile:4:1", "gunicorn", "127.0.0.1", "--bind 0.0.0.0:8000")],
        id="config-left-out-by-the-ignore-file-is-not-in-the-image",
    ),
    pytest.param(
        {
            "Dockerfile": F + "WORKDIR /srv\nCOPY deploy/gunicorn.conf.py ./\n"
            'CMD ["gunicorn", "app:app"]\n',
            "deploy/gunicorn.conf.py": "bind = ['0.0.0.0:8000', '127.0.0.1:9000']\n",
        },
        [unexposed("Dockerfile:4:1", "gunicorn", 8000)],
        id="config-copied-by-name-loopback-bind-in-it-not-asked-for",
    ),
    pytest.param(
        {
            "Dockerfile": F + "WORKDIR /app\nCOPY conf/g.py conf/\n"
            'CMD ["gunicorn", "-c", "conf/g.py", "app:app"]\n',
            "conf/g.py": "bind = ':7000'\n",
        },
        [unexposed("Dockerfile:4:1", "gunicorn", 7000)],
        id="config-named-with-c",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS build\nWORKDIR /app\nCOPY . .\n"
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=build /app /app\n"
            'CMD ["gunicorn", "app:app"]\n',
            "gunicorn.conf.py": "bind = ':9000'\n",
            "compose.yaml": COMPOSE,
        },
        [unexposed("Dockerfile:7:1", "gunicorn", 9000)],
        id="copied-from-an-earlier-stage-is-followed-into-it",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS build\nWORKDIR /app\nCOPY . .\n"
            "RUN sed -i s/9000/8000/ gunicorn.conf.py\n"
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=build /app /app\n"
            'CMD ["gunicorn", "app:app"]\n',
            "gunicorn.conf.py": "bind = ':9000'\n",
        },
        [],
        id="changed-by-a-run-of-the-earlier-stage-is-not-known",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\n"
            "COPY --from=ghcr.io/acme/conf:1 /app /app\n"
            'CMD ["gunicorn", "app:app"]\n',
            "gunicorn.conf.py": "bind = ':9000'\n",
        },
        [],
        id="copied-from-an-image-is-not-known",
    ),
]


# uWSGI takes its sockets from the ini file it loads (`--ini FILE`, or a FILE.ini
# argument: "Configuring uWSGI" deduces the type from the extension), read as
# core/ini.c uwsgi_ini_config reads it; core/uwsgi.c's logic options (if-env,
# if-not-env, endif...) make a socket conditional.
UWSGI_APP = F + "WORKDIR /app\nCOPY . .\n" + 'CMD ["uwsgi", "--ini", "uwsgi.ini"]\n'
UWSGI_TREES = [
    pytest.param(
        {"Dockerfile": UWSGI_APP, "uwsgi.ini": "[uwsgi]\nhttp-socket = :9000\nmodule = app\n",
         "compose.yaml": COMPOSE},
        [unexposed("Dockerfile:4:1", "uwsgi", 9000)],
        id="http-socket-in-the-ini",
    ),
    pytest.param(
        {"Dockerfile": F + "WORKDIR /app\nCOPY . .\n" + 'CMD ["uwsgi", "/app/conf/site.ini"]\n',
         "conf/site.ini": "; comment\n[uwsgi]\n  socket=:3031  \r\n",
         "compose.yaml": COMPOSE},
        [unexposed("Dockerfile:4:1", "uwsgi", 3031)],
        id="ini-file-as-an-argument-by-its-extension",
    ),
    pytest.param(
        {"Dockerfile": UWSGI_APP,
         "uwsgi.ini": "[uwsgi]\nif-not-env = IPV6\nhttp-socket = :8000\nendif =\n"
                      "if-env = IPV6\nhttp-socket = [::]:8000\nendif =\n",
         "compose.yaml": COMPOSE},
        [unexposed("Dockerfile:4:1", "uwsgi", 8000)],
        id="a-test-and-its-negation-bind-the-same-port",
    ),
    pytest.param(
        {"Dockerfile": UWSGI_APP,
         "uwsgi.ini": "[uwsgi]\nif-env = PROD\nhttp-socket = :8000\nendif =\n",
         "compose.yaml": COMPOSE},
        [],
        id="a-socket-under-one-test-only-is-not-known",
    ),
    pytest.param(
        {"Dockerfile": UWSGI_APP,
         "uwsgi.ini": "[uwsgi]\nport = 9000\nhttp-socket = :%(port)\n",
         "compose.yaml": COMPOSE},
        [],
        id="a-placeholder-is-not-known",
    ),
    pytest.param(
        {"Dockerfile": UWSGI_APP,
         "uwsgi.ini": "[other]\nhttp-socket = :9000\n[uwsgi]\nsocket = /tmp/app.sock\n",
         "compose.yaml": COMPOSE},
        [],
        id="another-section-and-a-unix-socket-bind-no-port",
    ),
    pytest.param(
        {"Dockerfile": UWSGI_APP, "uwsgi.ini": "[uwsgi]\n#http-socket = :9000\nmodule = app\n",
         "compose.yaml": COMPOSE},
        [],
        id="no-socket-in-the-ini-is-not-known",
    ),
    pytest.param(
        {"Dockerfile": F + "WORKDIR /app\nCOPY . .\nEXPOSE 9000\n"
                       'CMD ["uwsgi", "--ini", "uwsgi.ini"]\n',
         "uwsgi.ini": "[uwsgi]\nhttp-socket = 0.0.0.0:9000\n",
         "compose.yaml": COMPOSE},
        [],
        id="exposed",
    ),
    pytest.param(
        {"Dockerfile": F + "WORKDIR /app\nCOPY . .\n"
                       'CMD ["uwsgi", "--ini", "uwsgi.ini", "--ini", "more.ini"]\n',
         "uwsgi.ini": "[uwsgi]\nhttp-socket = :9000\n", "more.ini": "[uwsgi]\n",
         "compose.yaml": COMPOSE},
        [],
        id="two-ini-files-are-not-read",
    ),
    # core/utils.c parse_sys_envs: a UWSGI_* variable is the option it names.
    pytest.param(
        {"Dockerfile": F + "WORKDIR /app\nCOPY . .\nENV UWSGI_INI=/app/uwsgi.ini\n"
                       'CMD ["uwsgi"]\n',
         "uwsgi.ini": "[uwsgi]\nhttp-socket = :9000\n",
         "compose.yaml": COMPOSE},
        [unexposed("Dockerfile:5:1", "uwsgi", 9000)],
        id="ini-file-named-by-a-variable",
    ),
    pytest.param(
        {"Dockerfile": F + 'ENV UWSGI_HTTP_SOCKET=:9000\nCMD ["uwsgi", "--module", "app"]\n'},
        [unexposed("Dockerfile:3:1", "uwsgi", 9000)],
        id="socket-named-by-a-variable",
    ),
]


@pytest.mark.parametrize(("files", "expected"), GUNICORN_TREES + UWSGI_TREES)
def test_bind_from_the_config_file_the_build_copies(
    files: dict[str, str],
    expected: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_reported(HOOK, tmp_path, files, expected, capsys, monkeypatch)


@pytest.mark.parametrize(
    ("config", "cmd", "nl"),
    [
        pytest.param(
            {"gunicorn.conf.py": "bind = ':9000'\n"}, '["gunicorn", "app:app"]', "\n", id="gunicorn"
        ),
        pytest.param(
            {"uwsgi.ini": "[uwsgi]\nhttp = :9000\n"},
            '["uwsgi", "--ini", "uwsgi.ini"]',
            "\n",
            id="uwsgi",
        ),
        pytest.param(
            {"uwsgi.ini": "[uwsgi]\r\nhttp = :9000\r\n"},
            "uwsgi uwsgi.ini",
            "\r\n",
            id="uwsgi-crlf-shell-form",
        ),
    ],
)
def test_config_bind_is_fixed_to_its_port(
    config: dict[str, str],
    cmd: str,
    nl: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    head = F.replace("\n", nl) + f"WORKDIR /app{nl}COPY . .{nl}"
    write_tree(tmp_path, {"Dockerfile": head + f"CMD {cmd}{nl}", **config, "compose.yaml": COMPOSE})
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert result.files["Dockerfile"] == (head + f"EXPOSE 9000{nl}CMD {cmd}{nl}").encode()


def test_an_ini_file_that_is_not_utf_8_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not text: no port is known from it, nothing is reported, nothing changes."""
    files: dict[str, str | bytes] = {
        "Dockerfile": UWSGI_APP,
        "uwsgi.ini": b"[uwsgi]\nhttp = :9000\n\xff\xfe\n",
        "compose.yaml": COMPOSE,
    }
    write_tree(tmp_path, files)
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert (result.code, result.lines) == (0, [])
    assert result.files["Dockerfile"] == UWSGI_APP.encode()


def test_gunicorn_config_bind_from_a_guessed_context_is_not_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only `COPY . .` and no build definition: the context is a guess, so the
    file read from it is no evidence a fix may act on."""
    write_tree(tmp_path, {"Dockerfile": GUNICORN_APP, "gunicorn.conf.py": "bind = ':9000'\n"})
    result = run_tree(HOOK, tmp_path, capsys, monkeypatch, "Dockerfile")
    assert result.code == 1
    assert result.lines == [unexposed("Dockerfile:4:1", "gunicorn", 9000, fixable=False) + GUESSED]
    assert result.files["Dockerfile"] == GUNICORN_APP.encode()


def test_gunicorn_without_the_build_context_is_not_known() -> None:
    """Without the build context (a pure run) a copied config may set any bind."""
    result = pure(HOOK, GUNICORN_APP.encode())
    assert (result.code, result.lines) == (0, [])
