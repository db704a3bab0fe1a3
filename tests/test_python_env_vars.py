"""python-env-vars: catches, does-not-catch and fixes-to tables, run through the hook."""

from __future__ import annotations

from pathlib import Path

import pytest
from hookrun import LISTING_B, as_bytes, run

HOOK = "python_env_vars"
BOTH = "PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED"
BYTECODE = "PYTHONDONTWRITEBYTECODE"
UNBUFFERED = "PYTHONUNBUFFERED"
ENV_BOTH = "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1"
SET_BOTH = "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"


def missing(pos: str, names: str = BOTH, fixable: bool = True) -> str:
    line = f"{pos}: PDH301 final Python stage does not set {names}"
    return line + " [*]" if fixable else line


def empty(pos: str, name: str) -> str:
    return f"{pos}: PDH301 {name} is set to an empty value, which Python ignores"


def zero(pos: str, name: str, value: str) -> str:
    return (
        f"{pos}: PDH301 {name} is set to {value}, which turns it off"
        " (CPython reads it as the integer 0)"
    )


def debug(pos: str) -> str:
    return (
        f"{pos}: PDH302 `ENV DEBUG=0` is unnecessary; "
        "configure debug mode in the application"
    )


# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
CATCHES = [
    # Older tiangolo tags were built before the ENV lines: not known to set them.
    pytest.param(
        "FROM tiangolo/uwsgi-nginx-flask:python3.6\nCOPY ./app /app\n",
        [missing("1:1")],
        id="tiangolo-tag-before-the-env-lines",
    ),
    pytest.param(
        "FROM tiangolo/uvicorn-gunicorn:python3.11\nENV PYTHONUNBUFFERED=0\n",
        [zero("2:1", UNBUFFERED, "0")],
        id="own-zero-overrides-the-base",
    ),
    pytest.param("FROM python:3.12-slim\nCOPY . /app\n", [missing("1:1")], id="plain"),
    # A base image the tables do not know may set them: reported, not fixed.
    pytest.param(
        "ARG BASE\nFROM ${BASE}\nRUN pip install --no-cache-dir flask\n",
        [missing("2:1", fixable=False) + ", unless its base image `${BASE}`, which is not "
         "known, sets them; not fixed"],
        id="base-from-a-build-argument-is-not-known",
    ),
    pytest.param(
        "FROM mycorp/python-base:1.0\nENV PYTHONUNBUFFERED=1\nCMD [\"python\", \"app.py\"]\n",
        [missing("1:1", BYTECODE, fixable=False) + ", unless its base image "
         "`mycorp/python-base:1.0`, which is not known, sets it; not fixed"],
        id="unlisted-base-is-not-known",
    ),
    # A one-word name the tables do not list is a local tag as often as an
    # image of Docker Hub's library: not known either, so no fix on a guess.
    pytest.param(
        "FROM mycorp-web\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n",
        [missing("1:1", fixable=False) + ", unless its base image `mycorp-web`, which is "
         "not known, sets them; not fixed"],
        id="one-word-local-tag-is-not-known",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONUNBUFFERED=1\n",
        [missing("1:1", BYTECODE)],
        id="one-missing",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONUNBUFFERED 1\n",
        [missing("1:1", BYTECODE)],
        id="legacy-form-counts-as-set",
    ),
    pytest.param(
        # The legacy form sets one variable: the rest of the line is its value.
        "FROM python:3.12\nENV PYTHONUNBUFFERED 1 PYTHONDONTWRITEBYTECODE=1\n",
        [missing("1:1", BYTECODE)],
        id="legacy-form-sets-only-its-key",
    ),
    pytest.param(
        "FROM docker.io/library/python:3.12-slim\n",
        [missing("1:1")],
        id="registry-prefix",
    ),
    pytest.param(
        "ARG PY=3.12\nFROM python:${PY}-slim\n", [missing("2:1")], id="global-arg-base"
    ),
    # Python images besides the official ones (the model's image table).
    pytest.param(
        "FROM gcr.io/distroless/python3-debian12\nCOPY . /app\n",
        [missing("1:1")],
        id="distroless-python",
    ),
    pytest.param(
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n",
        [missing("1:1")],
        id="uv-python-image",
    ),
    pytest.param(
        "FROM continuumio/miniconda3\n", [missing("1:1")], id="conda-image"
    ),
    pytest.param(
        "FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends python3\n",
        [missing("1:1")],
        id="installs-python-with-apt",
    ),
    pytest.param(
        "FROM debian:12-slim\nCMD [\"gunicorn\", \"app:app\"]\n",
        [missing("1:1")],
        id="runs-a-python-server",
    ),
    pytest.param("FROM pypy:3.10-slim\n", [missing("1:1")], id="pypy"),
    pytest.param(
        "FROM python:3.12@sha256:" + "a" * 64 + "\n", [missing("1:1")], id="digest"
    ),
    pytest.param(
        "FROM debian:12\nRUN apt-get install -y python3-pip && pip3 install app\n",
        [missing("1:1")],
        id="runs-pip",
    ),
    pytest.param(
        "FROM debian:12\nRUN uv pip install --system app\n",
        [missing("1:1")],
        id="runs-uv-pip",
    ),
    pytest.param(
        'FROM debian:12\nCMD ["python3.12", "-m", "app"]\n',
        [missing("1:1")],
        id="exec-form-cmd",
    ),
    pytest.param(
        "FROM debian:12\nCMD python3 app.py\n", [missing("1:1")], id="shell-form-cmd"
    ),
    pytest.param(
        "FROM debian:12\nENTRYPOINT exec /opt/venv/bin/python -m app\n",
        [missing("1:1")],
        id="shell-form-entrypoint-by-path",
    ),
    pytest.param(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        'ENTRYPOINT ["C:\\\\Python312\\\\python.exe", "app.py"]\n',
        [missing("1:1")],
        id="windows-python-exe",
    ),
    pytest.param(
        "FROM python:3.12 AS build\n" + SET_BOTH + "FROM python:3.12-slim\n",
        [missing("3:1")],
        id="not-inherited-from-unrelated-stage",
    ),
    pytest.param(
        "FROM python:3.12 AS base\nENV PYTHONUNBUFFERED=1\nFROM base AS final\n",
        [missing("3:1", BYTECODE)],
        id="partly-inherited",
    ),
    pytest.param(
        "FROM debian:12 AS base\nRUN pip install app\nFROM base\nUSER app\n",
        [missing("3:1")],
        id="parent-stage-runs-pip",
    ),
    pytest.param(
        "FROM python:3.12\n" + SET_BOTH + "ENV DEBUG 0\n",
        [debug("3:5")],
        id="debug-legacy",
    ),
    pytest.param(
        "FROM python:3.12\n" + SET_BOTH + "ENV DEBUG=0\n",
        [debug("3:5")],
        id="debug-new",
    ),
    pytest.param(
        "FROM python:3.12\nENV A=1 DEBUG=False " + SET_BOTH[4:],
        [debug("2:9")],
        id="debug-false-among-others",
    ),
    pytest.param(
        "FROM python:3.12\n" + SET_BOTH + 'ENV DEBUG="off"\n',
        [debug("3:5")],
        id="debug-quoted",
    ),
    pytest.param(
        "FROM python:3.12 AS build\nENV DEBUG 0\nFROM python:3.12-slim\n" + SET_BOTH,
        [debug("2:5")],
        id="debug-in-build-stage",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=\n",
        [empty("2:1", UNBUFFERED)],
        id="set-but-empty",
    ),
    pytest.param(
        'FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE="" PYTHONUNBUFFERED=1\n',
        [empty("2:1", BYTECODE)],
        id="set-to-empty-quotes",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=$NOPE PYTHONUNBUFFERED=1\n",
        [empty("2:1", BYTECODE)],
        id="set-from-undeclared-variable",
    ),
    pytest.param(
        # An ARG of another stage is not in scope: $U is empty here.
        "FROM python:3.12 AS base\nARG U\nFROM python:3.12\n"
        "ENV PYTHONUNBUFFERED=$U PYTHONDONTWRITEBYTECODE=1\n",
        [empty("4:1", UNBUFFERED)],
        id="build-arg-of-unrelated-stage-is-out-of-scope",
    ),
    # CPython reads both as integer flags: a value that reads as 0 turns it off.
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=0\n",
        [zero("2:1", UNBUFFERED, "0")],
        id="set-to-0",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=00\nENV PYTHONUNBUFFERED=1\n",
        [zero("2:1", BYTECODE, "00")],
        id="set-to-00",
    ),
    pytest.param(
        'FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=" +0" PYTHONUNBUFFERED=1\n',
        [zero("2:1", BYTECODE, " +0")],
        id="strtol-skips-leading-blanks-and-sign",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONUNBUFFERED=\n",
        [missing("1:1", BYTECODE), empty("2:1", UNBUFFERED)],
        id="missing-and-empty",
    ),
    pytest.param(
        "FROM python:3.12 AS base\n" + SET_BOTH + "FROM base\nENV PYTHONUNBUFFERED=\n",
        [empty("4:1", UNBUFFERED)],
        id="emptied-in-child-stage",
    ),
    pytest.param(b"FROM python:3.12\r\nRUN make\r\n", [missing("1:1")], id="crlf"),
    pytest.param(
        b"\xef\xbb\xbfFROM python:3.12\nENV PYTHONUNBUFFERED=1\n",
        [missing("1:1", BYTECODE)],
        id="bom",
    ),
    pytest.param("FROM python:3.12", [missing("1:1")], id="no-final-newline"),
    pytest.param(
        "from python:3.12 as app\nenv PYTHONUNBUFFERED 1\n",
        [missing("1:1", BYTECODE)],
        id="lowercase-keywords",
    ),
    pytest.param(
        # Variable names are case-sensitive: these set other variables.
        "FROM python:3.12\nENV pythonunbuffered=1 PythonDontWriteBytecode=1\n",
        [missing("1:1")],
        id="lowercase-names-do-not-count",
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-windowsservercore `\n  AS app\nRUN python -V\n",
        [missing("2:1")],
        id="backtick-escape",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONUNBUFFERED=1 \\\n# no .pyc files\n  A=b\n",
        [missing("1:1", BYTECODE)],
        id="continuation-with-comment",
    ),
    pytest.param(
        "FROM debian:12\nRUN <<EOF\nset -e\npip install app\nEOF\n",
        [missing("1:1")],
        id="heredoc-runs-pip",
    ),
    pytest.param(
        # A heredoc body is data: its lines are not ENV instructions.
        "FROM python:3.12\nCOPY <<EOF /app/env\nENV PYTHONUNBUFFERED=1\nEOF\n",
        [missing("1:1")],
        id="heredoc-body-is-not-env",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\n# check=skip=all\nFROM python:3.12\n",
        [missing("3:1")],
        id="parser-directives",
    ),
    pytest.param(
        "FROM python:3.12\n# python-docker-hooks: ignore=PDH302\n"
        + SET_BOTH[:-1]
        + "\nENV DEBUG 0\n",
        [debug("4:5")],
        id="pragma-covers-only-the-next-instruction",
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH302\nFROM python:3.12\n",
        [missing("2:1")],
        id="pragma-for-another-code",
    ),
    pytest.param(
        # A line put after an open continuation would join it: no fix.
        "FROM python:3.12 \\\n",
        [missing("1:1", fixable=False)],
        id="dangling-continuation-on-from",
    ),
    pytest.param(
        "FROM python:3.12\nARG A=1 \\\n# the end\n",
        [missing("1:1", fixable=False)],
        id="dangling-continuation-on-arg",
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12 `\n",
        [missing("2:1", fixable=False)],
        id="dangling-backtick-continuation",
    ),
]

# Exit 0, no output, bytes unchanged.
DOES_NOT_CATCH = [
    # tiangolo's images set both since March 2024 in these tags; ENV is inherited.
    pytest.param(
        "FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim\nCOPY ./app /app\n",
        id="inherited-from-tiangolo-uvicorn",
    ),
    pytest.param(
        "FROM tiangolo/uwsgi-nginx-flask:python3.8\nCOPY ./app /app\n",
        id="inherited-from-tiangolo-uwsgi-nginx",
    ),
    pytest.param("FROM python:3.12-slim\n" + SET_BOTH, id="both-set"),
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE 1\nENV PYTHONUNBUFFERED 1\n",
        id="legacy-form",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=false PYTHONUNBUFFERED=no\n",
        id="any-value-not-read-as-0",
    ),
    pytest.param(
        'FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE="0 " PYTHONUNBUFFERED=-1\n',
        id="strtol-must-read-all-and-negative-is-1",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=2 PYTHONUNBUFFERED=true\n",
        id="any-level",
    ),
    pytest.param(
        # An ARG is in scope in the stages built on its stage: $U may be given.
        "FROM python:3.12 AS base\nARG U\nFROM base\n"
        "ENV PYTHONUNBUFFERED=$U PYTHONDONTWRITEBYTECODE=1\n",
        id="build-arg-of-parent-stage-is-in-scope",
    ),
    pytest.param(
        "FROM python:3.12\nARG U=0\nENV PYTHONUNBUFFERED=$U PYTHONDONTWRITEBYTECODE=1\n",
        id="zero-default-of-a-build-arg-may-be-overridden",
    ),
    pytest.param(
        "FROM python:3.12 AS base\n" + SET_BOTH + "FROM base AS final\nCOPY . /app\n",
        id="inherited",
    ),
    pytest.param(
        "FROM python:3.12 AS a\nENV PYTHONUNBUFFERED=1\nFROM a AS b\n"
        "ENV PYTHONDONTWRITEBYTECODE=1\nFROM B\n",
        id="inherited-over-two-stages-any-case",
    ),
    pytest.param(
        "FROM python:3.12 AS build\nRUN pip install --no-cache-dir mkdocs\n"
        "RUN mkdocs build\nFROM nginx:1.27\nCOPY --from=build /site /usr/share/nginx/html\n",
        id="final-stage-nginx",
    ),
    pytest.param(
        "FROM python:3.12 AS build\nRUN pip wheel .\nFROM scratch\nCOPY --from=build /w /\n",
        id="final-stage-scratch",
    ),
    pytest.param("FROM node:20\nRUN npm ci\nCMD node index.js\n", id="not-python"),
    pytest.param(
        'FROM debian:12\nRUN echo "pip install x" python\nCMD ["pipx", "run", "x"]\n',
        id="python-words-as-arguments",
    ),
    pytest.param("FROM nginx:1.27\nENV DEBUG 0\n", id="debug-in-non-python-stage"),
    pytest.param(
        "FROM python:3.12\n" + SET_BOTH + "ENV DEBUG=1 DEBUG_TOOLBAR=0\n",
        id="debug-not-falsy",
    ),
    pytest.param(
        "FROM python:3.12\nARG UNBUFFERED\nENV PYTHONUNBUFFERED=$UNBUFFERED "
        "PYTHONDONTWRITEBYTECODE=1\n",
        id="value-from-build-arg",
    ),
    pytest.param(
        "FROM python:3.12\nARG ONE=1\nENV PYTHONUNBUFFERED=${ONE} "
        "PYTHONDONTWRITEBYTECODE=$ONE\n",
        id="value-from-arg-default",
    ),
    pytest.param(b"FROM python:3.12\r\n" + SET_BOTH.encode()[:-1] + b"\r\n", id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM python:3.12\n" + SET_BOTH.encode(), id="bom"),
    pytest.param("FROM python:3.12\n" + SET_BOTH[:-1], id="no-final-newline"),
    pytest.param(
        "from python:3.12\nenv PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n",
        id="lowercase-keywords",
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-windowsservercore\n"
        "ENV PYTHONDONTWRITEBYTECODE=1 `\n    PYTHONUNBUFFERED=1\n",
        id="backtick-escape",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1 \\\n"
        "# unbuffered logs\n    PYTHONUNBUFFERED=1\n",
        id="continuation-with-comment",
    ),
    pytest.param(
        "FROM python:3.12\n"
        + SET_BOTH
        + "RUN <<EOF\npip install --no-cache-dir .\nEOF\n",
        id="heredoc",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\n# escape=\\\nFROM python:3.12\n" + SET_BOTH,
        id="parser-directives",
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH301\nFROM python:3.12\n",
        id="pragma-above-from",
    ),
    pytest.param(
        "# python-docker-hooks: global ignore=PDH301, PDH302\nFROM python:3.12\n"
        "ENV DEBUG 0\n",
        id="global-ignore",
    ),
    pytest.param(
        "FROM python:3.12\n" + SET_BOTH + "# python-docker-hooks: ignore=PDH302\n"
        "ENV DEBUG 0\n",
        id="pragma-above-debug",
    ),
    pytest.param(
        "FROM python:3.12\n# python-docker-hooks: ignore=PDH301\n"
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=\n",
        id="pragma-above-empty-value",
    ),
]

# (input, exact bytes after the fix); a second run exits 0 and changes nothing.
FIXES_TO = [
    pytest.param(
        "FROM python:3.12-slim\nCOPY . /app\n",
        f"FROM python:3.12-slim\n{ENV_BOTH}\nCOPY . /app\n",
        id="plain",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONUNBUFFERED=1\n",
        "FROM python:3.12\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\n",
        id="only-the-missing-one",
    ),
    pytest.param(
        "FROM python:3.12-slim\n\n# Runtime settings\nWORKDIR /app\n"
        "ENV PYTHONUNBUFFERED=1 \\\n    APP=1\nCOPY . .\n",
        "FROM python:3.12-slim\n\n# Runtime settings\nWORKDIR /app\n"
        "ENV PYTHONUNBUFFERED=1 \\\n    APP=1 \\\n    PYTHONDONTWRITEBYTECODE=1\nCOPY . .\n",
        id="into-a-continued-env-of-the-family",
    ),
    pytest.param(
        "FROM python:3.12\nCOPY . .\nENV PYTHONUNBUFFERED 1\nCMD python app.py\n",
        "FROM python:3.12\nCOPY . .\nENV PYTHONUNBUFFERED 1\n"
        "ENV PYTHONDONTWRITEBYTECODE=1\nCMD python app.py\n",
        id="beside-a-legacy-env-of-the-family",
    ),
    pytest.param(
        "FROM python:3.12\nENV PATH=/venv/bin:$PATH\nENV PYTHONDONTWRITEBYTECODE=1\n",
        "FROM python:3.12\nENV PATH=/venv/bin:$PATH\n"
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n",
        id="the-env-of-the-family-not-the-first-env",
    ),
    pytest.param(
        # An open quote would take the appended text into its value.
        "FROM python:3.12\nENV PYTHON'UNBUFFERED=1\n",
        "FROM python:3.12\nENV PYTHON'UNBUFFERED=1\n"
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n",
        id="beside-an-env-with-an-open-quote",
    ),
    pytest.param(
        "FROM python:3.12 AS base\nENV PYTHONUNBUFFERED=1\nFROM python:3.12\nCOPY . .\n",
        "FROM python:3.12 AS base\nENV PYTHONUNBUFFERED=1\nFROM python:3.12\n"
        f"{ENV_BOTH}\nCOPY . .\n",
        id="env-of-another-stage-is-not-beside",
    ),
    pytest.param(
        "FROM python:3.12\nARG APP\nARG PORT=8000\n\nRUN make\n",
        f"FROM python:3.12\nARG APP\nARG PORT=8000\n\n{ENV_BOTH}\n\nRUN make\n",
        id="after-args-in-a-block-of-its-own",
    ),
    # An ARG block glued to the RUN below it belongs to it (the RUN has the
    # ARG in its environment): the new line goes above it, under FROM.
    pytest.param(
        "FROM python:3.12\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update\n",
        f"FROM python:3.12\n{ENV_BOTH}\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update\n",
        id="arg-block-glued-to-its-run",
    ),
    pytest.param(
        "FROM python:3.12 AS base\nENV PYTHONDONTWRITEBYTECODE=1\n"
        "FROM base AS final\nCOPY . /app\n",
        "FROM python:3.12 AS base\nENV PYTHONDONTWRITEBYTECODE=1\n"
        "FROM base AS final\nENV PYTHONUNBUFFERED=1\nCOPY . /app\n",
        id="inherited-one",
    ),
    pytest.param(
        "FROM python:3.12 AS build\nRUN pip wheel -w /w .\n"
        "FROM python:3.12-slim\nCOPY --from=build /w /w\n",
        "FROM python:3.12 AS build\nRUN pip wheel -w /w .\n"
        f"FROM python:3.12-slim\n{ENV_BOTH}\nCOPY --from=build /w /w\n",
        id="multi-stage-only-final",
    ),
    pytest.param(
        "ARG PY=3.12\nFROM docker.io/library/python:${PY}-slim\n",
        f"ARG PY=3.12\nFROM docker.io/library/python:${{PY}}-slim\n{ENV_BOTH}\n",
        id="global-arg-and-registry",
    ),
    pytest.param(
        b"FROM python:3.12\r\nARG A\r\n\r\nRUN make\r\n",
        b"FROM python:3.12\r\nARG A\r\n\r\n" + ENV_BOTH.encode() + b"\r\n\r\nRUN make\r\n",
        id="crlf",
    ),
    pytest.param(
        b"\xef\xbb\xbfFROM python:3.12\nRUN make\n",
        b"\xef\xbb\xbfFROM python:3.12\n" + ENV_BOTH.encode() + b"\nRUN make\n",
        id="bom",
    ),
    pytest.param(
        "FROM python:3.12", f"FROM python:3.12\n{ENV_BOTH}", id="no-final-newline"
    ),
    pytest.param(
        b"\xef\xbb\xbfFROM python:3.12\r\nARG A",
        b"\xef\xbb\xbfFROM python:3.12\r\nARG A\r\n\r\n" + ENV_BOTH.encode(),
        id="bom-crlf-no-final-newline",
    ),
    pytest.param(
        # The new line takes the ending of the line it follows.
        b"# syntax=docker/dockerfile:1\nFROM python:3.12\r\nRUN make\r\n",
        b"# syntax=docker/dockerfile:1\nFROM python:3.12\r\n"
        + ENV_BOTH.encode()
        + b"\r\nRUN make\r\n",
        id="mixed-line-endings",
    ),
    pytest.param(
        "from python:3.12 as app\nrun pip install --no-cache-dir .\n",
        f"from python:3.12 as app\n{ENV_BOTH}\nrun pip install --no-cache-dir .\n",
        id="lowercase-keywords",
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-windowsservercore `\n  AS app\nRUN python -V\n",
        "# escape=`\nFROM python:3.12-windowsservercore `\n  AS app\n"
        f"{ENV_BOTH}\nRUN python -V\n",
        id="backtick-escape",
    ),
    pytest.param(
        "FROM python:3.12\nARG A=1 \\\n# B as well\n  B=2\nRUN make\n",
        f"FROM python:3.12\n{ENV_BOTH}\nARG A=1 \\\n# B as well\n  B=2\nRUN make\n",
        id="continuation-with-comment",
    ),
    pytest.param(
        "FROM debian:12\nRUN <<EOF\napt-get install -y python3-pip\npip install .\nEOF\n",
        f"FROM debian:12\n{ENV_BOTH}\nRUN <<EOF\napt-get install -y python3-pip\n"
        "pip install .\nEOF\n",
        id="heredoc",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\n# check=error=true\nFROM python:3.12\n",
        f"# syntax=docker/dockerfile:1\n# check=error=true\nFROM python:3.12\n{ENV_BOTH}\n",
        id="parser-directives",
    ),
    pytest.param(
        "FROM python:3.12\n# python-docker-hooks: ignore=PDH302\nENV DEBUG 0\n",
        f"FROM python:3.12\n# python-docker-hooks: ignore=PDH302\nENV DEBUG 0\n{ENV_BOTH}\n",
        id="suppressed-debug-stays-and-is-joined",
    ),
    # Another family's ENV of the stage is joined, not a new line elsewhere
    # (seen: the new line glued to an ARG GITHUB_* block above `ENV LANG`).
    pytest.param(
        "FROM python:3.12\nARG GITHUB_TOKEN\nARG GITHUB_SHA\n\nENV LANG=C.UTF-8 LC_ALL=C.UTF-8\nRUN make\n",
        "FROM python:3.12\nARG GITHUB_TOKEN\nARG GITHUB_SHA\n\n"
        f"ENV LANG=C.UTF-8 LC_ALL=C.UTF-8\n{ENV_BOTH}\nRUN make\n",
        id="under-the-stage-env-of-another-family",
    ),
    pytest.param(
        "FROM pypy:3.11-slim\n\nENV HY_VERSION 1.3.0\nENV HYRULE_VERSION 1.1.0\n\n"
        "ENV LANG=C.UTF-8\nRUN pip install --no-cache-dir hy\n",
        "FROM pypy:3.11-slim\n\nENV HY_VERSION 1.3.0\nENV HYRULE_VERSION 1.1.0\n"
        f"{ENV_BOTH}\n\nENV LANG=C.UTF-8\nRUN pip install --no-cache-dir hy\n",
        id="under-the-block-of-envs-of-the-first",
    ),
    pytest.param(
        "FROM python:3.12\nARG GITHUB_SHA\nENV LANG=C.UTF-8 \\\n\tLC_ALL=C.UTF-8\n",
        f"FROM python:3.12\nARG GITHUB_SHA\nENV LANG=C.UTF-8 \\\n\tLC_ALL=C.UTF-8\n{ENV_BOTH}\n",
        id="under-a-continued-env-of-another-family",
    ),
    pytest.param(
        "FROM python:3.12\nENV PYTHONFAULTHANDLER=1 \\\n\tPYTHONUNBUFFERED=1\n",
        "FROM python:3.12\nENV PYTHONFAULTHANDLER=1 \\\n\tPYTHONUNBUFFERED=1 \\\n"
        "\tPYTHONDONTWRITEBYTECODE=1\n",
        id="into-a-continued-env-in-its-indentation",
    ),
    # Seen: between `ARG MAILPIT_VERSION` and its RUN, under the RUN's comment.
    # An ARG the stage uses later keeps its RUN: the ENV goes right after FROM.
    pytest.param(
        "FROM python:3.12-slim\n# Install mailpit\nARG MAILPIT_VERSION=1.20\n"
        "RUN curl -fsSL https://example.com/mailpit-${MAILPIT_VERSION}.tar.gz | tar xz\n",
        f"FROM python:3.12-slim\n{ENV_BOTH}\n\n# Install mailpit\nARG MAILPIT_VERSION=1.20\n"
        "RUN curl -fsSL https://example.com/mailpit-${MAILPIT_VERSION}.tar.gz | tar xz\n",
        id="not-between-an-arg-and-its-run",
    ),
    pytest.param(
        "FROM python:3.12-slim\nARG V\nRUN echo $V\n",
        f"FROM python:3.12-slim\n{ENV_BOTH}\nARG V\nRUN echo $V\n",
        id="arg-used-unbraced",
    ),
    pytest.param(
        "FROM python:3.12-slim\nARG V\n\nRUN echo $VERSION\n",
        f"FROM python:3.12-slim\nARG V\n\n{ENV_BOTH}\n\nRUN echo $VERSION\n",
        id="another-variable-is-not-the-arg",
    ),
    # A comment right under FROM belongs to the instruction below it.
    pytest.param(
        "FROM python:3.12-slim\n# Dependencies\nCOPY requirements.txt .\n",
        f"FROM python:3.12-slim\n{ENV_BOTH}\n\n# Dependencies\nCOPY requirements.txt .\n",
        id="not-inside-the-comment-block-of-the-next-instruction",
    ),
    pytest.param(
        "FROM python:3.12-slim\nARG A\n\n# Dependencies\nCOPY requirements.txt .\n",
        f"FROM python:3.12-slim\nARG A\n\n{ENV_BOTH}\n\n# Dependencies\nCOPY requirements.txt .\n",
        id="after-args-before-a-blank-line",
    ),
    pytest.param(
        "FROM python:3.12 \\\n  AS app\nRUN make\n",
        f"FROM python:3.12 \\\n  AS app\n{ENV_BOTH}\nRUN make\n",
        id="from-over-two-lines",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_fix_adds_one_env_instruction_for_buildkit(
    before: str | bytes, after: str | bytes
) -> None:
    """BuildKit reads the fixed file as the old one plus the missing variables set
    to 1: added to an ENV instruction of the final stage, or in one new ENV."""
    dockerfile = pytest.importorskip("dockerfile")
    old = [(c.cmd, c.value) for c in dockerfile.parse_string(as_bytes(before).decode())]
    new = [(c.cmd, c.value) for c in dockerfile.parse_string(as_bytes(after).decode())]
    last_from = max(i for i, (cmd, _) in enumerate(old) if cmd.upper() == "FROM")
    added: list[str] = []
    i = j = 0
    while j < len(new):
        cmd, value = new[j]
        if i < len(old) and (cmd, value) == old[i]:
            i, j = i + 1, j + 1
            continue
        assert cmd == "ENV"
        assert i > last_from
        if i < len(old) and old[i][0] == "ENV" and value[: len(old[i][1])] == old[i][1]:
            extra = value[len(old[i][1]) :]
            i += 1
        else:
            extra = value
        added += extra[0::2]
        assert extra[1::2] == ("1",) * (len(extra) // 2)
        j += 1
    assert i == len(old)
    assert added
    assert set(added) <= {BYTECODE, UNBUFFERED}


@pytest.mark.parametrize(
    ("content", "expected", "fixed"),
    [
        pytest.param(
            "FROM python:3.12\nENV PYTHONUNBUFFERED=\n",
            [
                missing("1:1", BYTECODE, fixable=False) + " (fixed)",
                empty("2:1", UNBUFFERED),
                "Fixing",
            ],
            "FROM python:3.12\nENV PYTHONUNBUFFERED= PYTHONDONTWRITEBYTECODE=1\n",
            id="empty-value-left",
        ),
        pytest.param(
            "FROM python:3.12\nENV DEBUG 0\n",
            [missing("1:1", fixable=False) + " (fixed)", debug("2:5"), "Fixing"],
            f"FROM python:3.12\nENV DEBUG 0\n{ENV_BOTH}\n",
            id="debug-left",
        ),
    ],
)
def test_fix_reports_what_is_left(
    content: str,
    expected: list[str],
    fixed: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Fixed findings keep their old position; what is left is placed in the new file."""
    result = run(HOOK, content, tmp_path, capsys)
    assert (result.code, result.lines, result.data) == (1, expected, fixed.encode())


def test_listing_b_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(HOOK, LISTING_B, tmp_path, capsys)
    assert (result.code, result.lines, result.data) == (0, [], LISTING_B.encode())


def test_tables_have_parser_directive_rows() -> None:
    """Beyond the shared shapes (``tables.SHAPES``): every table has a row that
    starts with a parser directive."""
    for table in (CATCHES, DOES_NOT_CATCH, FIXES_TO):
        assert any(as_bytes(p.values[0]).startswith(b"# syntax=") for p in table)


@pytest.mark.parametrize(
    ("pyproject", "code", "lines", "fixed"),
    [
        pytest.param(
            '[tool.python-docker-hooks.python-env-vars]\n'
            'required = ["PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONFAULTHANDLER"]\n',
            1,
            [
                ("1:1: PDH301 final Python stage does not set PYTHONDONTWRITEBYTECODE"
                " and PYTHONFAULTHANDLER (fixed)"),
                "Fixing",
            ],
            "FROM python:3.12-slim\n"
            "ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PYTHONFAULTHANDLER=1\n",
            id="more-required",
        ),
        pytest.param(
            '[tool.python-docker-hooks.python-env-vars]\nrequired = ["PYTHONUNBUFFERED"]\n',
            0,
            [],
            None,
            id="fewer-required",
        ),
        pytest.param(
            '[tool.python-docker-hooks.python-env-vars]\nrequired = "PYTHONUNBUFFERED"\n',
            2,
            [
                ("pyproject.toml: option \"required\" in [tool.python-docker-hooks."
                "python-env-vars] must be an array, not a string")
            ],
            None,
            id="wrong-type",
        ),
        pytest.param(
            '[tool.python-docker-hooks.python-env-vars]\nrequired = ["PYTHONUNBUFFERED", ""]\n',
            2,
            [
                (
                    'pyproject.toml: option "required" in [tool.python-docker-hooks.'
                    'python-env-vars] holds "", which is not an environment variable name'
                )
            ],
            None,
            id="empty-name",
        ),
        pytest.param(
            '[tool.python-docker-hooks.python-env-vars]\nrequired = ["A=1"]\n',
            2,
            [
                (
                    'pyproject.toml: option "required" in [tool.python-docker-hooks.'
                    'python-env-vars] holds "A=1", which is not an environment variable name'
                )
            ],
            None,
            id="name-with-equals",
        ),
        pytest.param(
            '[tool.python-docker-hooks.python-env-vars]\nrequired = ["1X", "MY VAR"]\n',
            2,
            [
                (
                    'pyproject.toml: option "required" in [tool.python-docker-hooks.'
                    'python-env-vars] holds "1X", which is not an environment variable name'
                )
            ],
            None,
            id="name-starting-with-a-digit",
        ),
        pytest.param(
            '[tool.python-docker-hooks.python-env-vars]\nrequired = ["_APP_MODE2"]\n',
            1,
            [
                "1:1: PDH301 final Python stage does not set _APP_MODE2 (fixed)",
                "Fixing",
            ],
            "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nENV _APP_MODE2=1\n",
            id="underscore-and-digits",
        ),
    ],
)
def test_required_option(
    pyproject: str,
    code: int,
    lines: list[str],
    fixed: str | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    content = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n"
    result = run(HOOK, content, tmp_path, capsys)
    clear_cache()
    assert (result.code, result.lines) == (code, lines)
    assert result.data == (fixed or content).encode()


@pytest.mark.parametrize(
    ("target", "lines"),
    [
        pytest.param(None, [], id="last-stage-shipped"),
        pytest.param(
            "app",
            ["1:1: PDH301 final Python stage does not set PYTHONDONTWRITEBYTECODE [*]"],
            id="target-names-the-shipped-stage",
        ),
    ],
)
def test_targets_choose_the_shipped_stage(
    target: str | None,
    lines: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    table = "[tool.python-docker-hooks]\n"
    if target is not None:
        table += f'targets = {{ "Dockerfile" = "{target}" }}\n'
    (tmp_path / "pyproject.toml").write_text(table)
    content = (
        "FROM python:3.12-slim AS app\nENV PYTHONUNBUFFERED=1\n"
        "FROM python:3.12-slim AS test\n" + SET_BOTH
    )
    result = run(HOOK, content, tmp_path, capsys, "--no-fix")
    clear_cache()
    assert (result.code, result.lines) == (1 if lines else 0, lines)
    assert result.data == content.encode()
