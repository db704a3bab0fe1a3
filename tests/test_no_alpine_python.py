"""no-alpine-python: what it catches and what it leaves alone (it has no fix).

Each table runs through the hook's ``main`` (a real file, as pre-commit runs it)
and through the pure ``process`` function, with and without ``--no-fix``: the
output is the same and the file never changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hookrun import ALPINE_STEP, LISTING_B, HookRun

if TYPE_CHECKING:
    from collections.abc import Callable

    Hook = Callable[..., HookRun]

HOOK = "no_alpine_python"
WHY = (
    "is Alpine (musl): PyPI's manylinux (glibc) wheels do not install, so a package"
    " without a musllinux wheel compiles from source (slow builds, bigger images)"
)
APK = ("python:3-slim", " with the minor version you need")


def alpine(pos: str, base: str, use: str, hint: str = "", why: str = "") -> str:
    """A PDH201 line: no fix, so no marker in either mode."""
    return f"{pos}: PDH201 `{base}` {why}{WHY}; use `{use}`{hint}"


UNKNOWN = "(an image not known here, whose stage installs Python with apk) "


# Valid Python that a shell would read as an `apk add python3` command: after
# `'it\'` the shell opens a quote that the `'''` closes.
PY_BODY = "s = 'it\\'s'\nt = '''\napk add python3\n'''\n"

A = "FROM alpine:3.20\n"

CATCHES = [
    pytest.param(
        "FROM python:3.12-alpine3.20\n",
        [alpine("1:1", "python:3.12-alpine3.20", "python:3.12-slim")],
        id="python-alpine-version",
    ),
    pytest.param(
        "FROM python:alpine\n",
        [alpine("1:1", "python:alpine", "python:slim")],
        id="python-alpine",
    ),
    pytest.param(
        "FROM docker.io/library/python:3.11-alpine\n",
        [
            alpine(
                "1:1",
                "docker.io/library/python:3.11-alpine",
                "docker.io/library/python:3.11-slim",
            )
        ],
        id="registry-prefix",
    ),
    # An image the tables do not know is Alpine when its stage runs apk, and a
    # Python stage when that apk installs Python (Home Assistant add-ons).
    pytest.param(
        "ARG BUILD_FROM\nFROM $BUILD_FROM\nRUN apk add --no-cache python3 py3-pip\n",
        [alpine("2:1", "$BUILD_FROM", *APK, UNKNOWN)],
        id="build-arg-base-apk-python3",
    ),
    pytest.param(
        "ARG BUILD_FROM\nFROM ${BUILD_FROM} AS base\nRUN apk add python3-dev gcc\n"
        "FROM base\nRUN pip install x\n",
        [alpine("2:1", "${BUILD_FROM}", *APK, UNKNOWN)],
        id="build-arg-base-apk-python3-dev",
    ),
    pytest.param(
        "FROM localhost:5000/python:3.12-alpine AS app\nRUN apk add py3-requests\n",
        [alpine("1:1", "localhost:5000/python:3.12-alpine", *APK, UNKNOWN)],
        id="registry-port-not-the-library",
    ),
    pytest.param(
        "ARG BUILD_FROM=ghcr.io/home-assistant/amd64-base:3.19\nFROM $BUILD_FROM\n"
        "RUN apk add --no-cache python3\n",
        [alpine("2:1", "ghcr.io/home-assistant/amd64-base:3.19", *APK, UNKNOWN)],
        id="unknown-image-apk-python3",
    ),
    pytest.param(
        "FROM ghcr.io/astral-sh/uv:python3.12-alpine\n",
        [
            alpine(
                "1:1",
                "ghcr.io/astral-sh/uv:python3.12-alpine",
                "ghcr.io/astral-sh/uv:python3.12-bookworm-slim",
            )
        ],
        id="uv-alpine-python-image",
    ),
    # tiangolo's Debian tags are `python3.8`, `python3.8-<date>`: the uv rewrite
    # (alpine -> bookworm-slim) would name a tag that does not exist.
    pytest.param(
        "FROM tiangolo/uwsgi-nginx:python3.8-alpine-2020-12-19\n",
        [
            (
                f"1:1: PDH201 `tiangolo/uwsgi-nginx:python3.8-alpine-2020-12-19` {WHY}; "
                "use a Debian-based (glibc) tag of `tiangolo/uwsgi-nginx`"
            )
        ],
        id="vendor-alpine-python-image-names-no-made-up-tag",
    ),
    pytest.param(
        "FROM mirror.gcr.io/library/python:3.12-alpine\n",
        [
            alpine(
                "1:1",
                "mirror.gcr.io/library/python:3.12-alpine",
                "mirror.gcr.io/library/python:3.12-slim",
            )
        ],
        id="library-mirror",
    ),
    pytest.param(
        "FROM pypy:3.10-alpine\n",
        [alpine("1:1", "pypy:3.10-alpine", "pypy:3.10-slim")],
        id="pypy",
    ),
    pytest.param(
        "FROM --platform=linux/amd64 python:3.12-alpine@sha256:" + "0" * 64 + "\n",
        [alpine("1:1", "python:3.12-alpine@sha256:" + "0" * 64, "python:3.12-slim")],
        id="platform-and-digest",
    ),
    pytest.param(
        "ARG PY=3.12\nFROM python:${PY}-alpine\n",
        [alpine("2:1", "python:3.12-alpine", "python:3.12-slim")],
        id="arg-substituted",
    ),
    pytest.param(
        "ARG PY\nFROM python:${PY:-3.11}-alpine3.19\n",
        [alpine("2:1", "python:3.11-alpine3.19", "python:3.11-slim")],
        id="arg-default-in-from",
    ),
    pytest.param(
        "ARG BASE=python:3.12-alpine\nFROM $BASE\n",
        [alpine("2:1", "python:3.12-alpine", "python:3.12-slim")],
        id="arg-whole-image",
    ),
    pytest.param(
        "ARG PY\nFROM python:${PY}-alpine\n",
        [alpine("2:1", "python:${PY}-alpine", "python:${PY}-slim")],
        id="arg-without-default",
    ),
    pytest.param(
        A + "RUN apk add --no-cache python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="apk-python3",
    ),
    pytest.param(
        A + "RUN apk update && apk add py3-pip=24.0-r2\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="apk-py3-pip-pinned",
    ),
    pytest.param(
        "FROM alpine\nRUN apk --no-cache add -X https://dl-cdn.alpinelinux.org/x python3\n",
        [alpine("1:1", "alpine", *APK)],
        id="apk-options",
    ),
    pytest.param(
        A + 'RUN ["apk", "add", "python3"]\n',
        [alpine("1:1", "alpine:3.20", *APK)],
        id="apk-exec-form",
    ),
    pytest.param(
        A + 'RUN ["/bin/sh", "-c", "apk add py3-requests"]\n',
        [alpine("1:1", "alpine:3.20", *APK)],
        id="apk-exec-sh-c",
    ),
    pytest.param(
        A + "RUN <<EOF\nset -e\napk add python3\nEOF\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="apk-heredoc",
    ),
    pytest.param(
        A + "RUN python3 <<EOF\n" + PY_BODY + "EOF\nRUN apk add py3-pip\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="python-heredoc-then-apk",
    ),
    pytest.param(
        A + "RUN apk add --virtual .build-deps gcc && apk add python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="virtual-group-and-runtime-python",
    ),
    # A virtual group is removable, but until it is removed the stage has Python.
    pytest.param(
        A + "RUN apk add --virtual=.gyp python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="virtual-equals",
    ),
    pytest.param(
        A + "RUN apk add -t .gyp python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="virtual-short",
    ),
    pytest.param(
        A + "RUN apk add -t.gyp python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="virtual-short-attached",
    ),
    pytest.param(
        A + "RUN apk add --virtual .gyp python3\nRUN make && apk del .gyp\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="virtual-group-deleted-in-a-later-run",
    ),
    pytest.param(
        A + "RUN apk add --virtual .gyp python3 && apk del .other\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="another-group-deleted",
    ),
    pytest.param(
        A + "ONBUILD RUN apk add python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="onbuild",
    ),
    pytest.param(
        "FROM python:3.12-alpine AS builder\nRUN pip wheel -w /w x\n"
        "FROM builder\nRUN pip install /w/*\n",
        [alpine("1:1", "python:3.12-alpine", "python:3.12-slim")],
        id="child-stage-reported-once-at-alpine-from",
    ),
    pytest.param(
        "FROM alpine:3.20 AS base\nRUN apk add curl\n"
        "FROM base AS app\nRUN apk add python3\nFROM app\nRUN apk add py3-pip\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="python-added-in-child-stage",
    ),
    pytest.param(
        "FROM python:3.12-alpine3.20 AS build\nRUN pip wheel --no-cache-dir -w /w x\n\n"
        "FROM alpine:3.20\nRUN apk add --no-cache python3 py3-pip\n",
        [
            alpine("1:1", "python:3.12-alpine3.20", "python:3.12-slim"),
            alpine("4:1", "alpine:3.20", *APK),
        ],
        id="two-stages",
    ),
    pytest.param(
        ALPINE_STEP,
        [alpine("1:1", "python:3.10-alpine", "python:3.10-slim")],
        id="seed-alpine-step",
    ),
    # The rows every table has.
    pytest.param(
        "FROM alpine:3.20\r\nRUN apk add python3\r\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="crlf",
    ),
    pytest.param(
        "\ufeffFROM python:3.12-alpine\n",
        [alpine("1:1", "python:3.12-alpine", "python:3.12-slim")],
        id="bom",
    ),
    pytest.param(
        "FROM python:3.12-alpine",
        [alpine("1:1", "python:3.12-alpine", "python:3.12-slim")],
        id="no-final-newline",
    ),
    pytest.param(
        "from alpine:3.20\nrun apk add python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="lowercase",
    ),
    pytest.param(
        "# escape=`\nFROM alpine:3.20\nRUN apk add `\n    python3\n",
        [alpine("2:1", "alpine:3.20", *APK)],
        id="escape-backtick",
    ),
    pytest.param(
        A + "RUN apk add --no-cache \\\n# the interpreter\n    python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="continuation-with-comment",
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH101\nFROM python:3.12-alpine\n",
        [alpine("2:1", "python:3.12-alpine", "python:3.12-slim")],
        id="pragma-for-another-code",
    ),
    pytest.param(
        A + "# python-docker-hooks: ignore=PDH201\nRUN apk add python3\n",
        [alpine("1:1", "alpine:3.20", *APK)],
        id="pragma-above-apk-not-above-from",
    ),
]


DOES_NOT_CATCH = [
    pytest.param("FROM python:3.12-slim\n", id="slim"),
    pytest.param("FROM python:3.12-slim-bookworm\n", id="slim-codename"),
    pytest.param("FROM python:3.12\n", id="full"),
    pytest.param("FROM docker.io/library/python:3.12-slim\n", id="registry-slim"),
    pytest.param("FROM scratch\n", id="scratch"),
    pytest.param(A + "RUN apk add --no-cache curl\n", id="alpine-without-python"),
    # uv's bare Alpine tag holds uv, not Python.
    pytest.param("FROM ghcr.io/astral-sh/uv:alpine\n", id="uv-alpine-without-python"),
    pytest.param("FROM gcr.io/distroless/python3-debian12\n", id="distroless-python"),
    pytest.param("FROM bitnami/python:3.12\n", id="vendor-python-debian"),
    pytest.param(
        "FROM alpine\nRUN apk add --virtual .build-deps python3 make g++ && npm ci"
        " && apk del .build-deps\n",
        id="virtual-build-dependency",
    ),
    pytest.param(
        A + "RUN apk add --virtual=.gyp python3 && make && apk del --purge .gyp\n",
        id="virtual-equals-deleted",
    ),
    pytest.param(
        A + 'RUN ["sh", "-c", "apk add -t .gyp py3-pip && make; apk del .gyp"]\n',
        id="virtual-group-deleted-exec-sh-c",
    ),
    pytest.param(A + "RUN echo apk add python3\n", id="apk-as-text"),
    pytest.param(A + "RUN apk del python3\n", id="apk-del"),
    pytest.param(A + "RUN apk add python3-doc-viewer\n", id="other-package"),
    pytest.param(
        "FROM node:20-alpine\nRUN apk add --no-cache python3 make g++\n",
        id="node-alpine",
    ),
    pytest.param("FROM $BASE\n", id="undeclared-arg"),
    # Not the library, and nothing in the stage says Python or Alpine.
    pytest.param("FROM localhost:5000/python:3.12-alpine\n", id="registry-copy"),
    pytest.param("FROM gcr.io/google_appengine/python\n", id="appengine-python"),
    pytest.param(
        "ARG BUILD_FROM\nFROM $BUILD_FROM\nRUN apk add --no-cache curl\n",
        id="build-arg-base-apk-without-python",
    ),
    pytest.param(
        "ARG BUILD_FROM\nFROM $BUILD_FROM\nRUN apt-get install -y python3\n",
        id="build-arg-base-apt-python3",
    ),
    # Wolfi has apk but glibc.
    pytest.param(
        "FROM cgr.dev/chainguard/wolfi-base\nRUN apk add python-3.12 py3.12-pip\n",
        id="wolfi-apk",
    ),
    pytest.param("ARG BASE\nFROM ${BASE}\n", id="arg-without-default"),
    pytest.param("ARG TAG\nFROM python:$TAG\n", id="unknown-tag"),
    pytest.param(
        "FROM python:3.12-slim AS build\nRUN pip wheel -w /w x\n"
        "FROM alpine:3.20\nCOPY --from=build /w /w\n",
        id="alpine-final-without-python",
    ),
    pytest.param(
        "FROM golang:1.22-alpine AS build\nRUN go build -o /app .\n"
        "FROM python:3.12-slim\nCOPY --from=build /app /app\n",
        id="other-alpine-stage",
    ),
    pytest.param(A + "COPY <<EOF /notes\napk add python3\nEOF\n", id="copy-heredoc"),
    pytest.param(A + "RUN cat <<EOF > /x\napk add python3\nEOF\n", id="data-heredoc"),
    pytest.param(A + "RUN <<EOF\napk add curl\nEOF\n", id="heredoc"),
    pytest.param(A + "RUN python3 <<EOF\n" + PY_BODY + "EOF\n", id="python-heredoc"),
    # The rows every table has.
    pytest.param("FROM python:3.12-slim\r\nRUN pip --version\r\n", id="crlf"),
    pytest.param("\ufeffFROM python:3.12-slim\n", id="bom"),
    pytest.param(A + "RUN apk add curl", id="no-final-newline"),
    pytest.param("from alpine:3.20\nrun apk add curl\n", id="lowercase"),
    pytest.param(
        "# escape=`\nFROM alpine:3.20\nRUN apk add `\n    curl\n", id="escape-backtick"
    ),
    pytest.param(
        A + "RUN apk add --no-cache \\\n# python3\n    curl\n",
        id="continuation-with-comment",
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH201\nFROM python:3.12-alpine\n", id="pragma"
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH201\n" + A + "RUN apk add python3\n",
        id="pragma-above-from",
    ),
    pytest.param(
        "# python-docker-hooks: global ignore=PDH201\n"
        "FROM python:3.12-alpine\nFROM alpine\nRUN apk add python3\n",
        id="global-pragma",
    ),
    pytest.param(LISTING_B, id="seed-listing-b"),
]

