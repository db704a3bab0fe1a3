"""non-root-user: catches, does-not-catch and fixes-to tables, run through the hook.

The fix is unsafe: the fixes-to rows run with ``--unsafe-fixes``; a plain run
reports and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hookrun import LISTING_B, HookRun, as_bytes, run

HOOK = "non_root_user"
DEB = "RUN useradd --uid 10001 --no-log-init --shell /usr/sbin/nologin app\nUSER app\n"
ALP = "RUN adduser -D -u 10001 app\nUSER app\n"


def no_user(pos: str) -> str:
    # The fix is unsafe: a run without --unsafe-fixes shows no `[*]` marker.
    return f"{pos}: PDH511 the shipped stage has no `USER`: the container runs as root"


def no_user_unknown_base(pos: str, base: str) -> str:
    return (
        f"{pos}: PDH511 the shipped stage has no `USER`: the container runs as root "
        f"unless its base image `{base}`, which is not known, sets a non-root `USER`; "
        "not fixed"
    )


def root(pos: str, value: str) -> str:
    return (
        f"{pos}: PDH512 the shipped stage's last `USER` is `{value}`: "
        "the container runs as root"
    )


def no_uid(pos: str, name: str, hint: str) -> str:
    return (
        f"{pos}: PDH513 user `{name}` is created without an explicit UID: "
        f"give it one (`{hint} ...`)"
    )


def unknown(pos: str, script: str, why: str) -> str:
    return (
        f"{pos}: PDH511 the shipped stage has no `USER`: the container starts as "
        f"root; its ENTRYPOINT runs `{script}`, which {why}, so whether it "
        "switches to a non-root user is not known"
    )


P = "FROM python:3.12-slim\n"

CATCHES = [
    pytest.param(P + "COPY . /app\n", [no_user("1:1")], id="no-user"),
    pytest.param("FROM python:3.12.8\nWORKDIR /app\n", [no_user("1:1")], id="shared-tag-on-linux"),
    pytest.param(P + "USER root\n", [root("2:1", "root")], id="user-root"),
    pytest.param(P + "USER 0\n", [root("2:1", "0")], id="user-0"),
    pytest.param(P + "USER 0:0\n", [root("2:1", "0:0")], id="user-0-group"),
    pytest.param(
        P + "USER root:app\n", [root("2:1", "root:app")], id="root-with-group"
    ),
    pytest.param(
        P + "USER app\nRUN x\nUSER root\n", [root("4:1", "root")], id="back-to-root"
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nUSER root\nFROM base\n",
        [root("2:1", "root")],
        id="inherited-root",
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\nUSER app\nFROM python:3.12-slim\n",
        [no_user("3:1")],
        id="user-only-in-a-build-stage",
    ),
    pytest.param(
        P + "ARG U=root\nUSER $U\n", [root("3:1", "root")], id="user-from-arg"
    ),
    # moby/sys user.GetExecUser reads a numeric user with strconv.Atoi: `00` is
    # UID 0.
    pytest.param(P + "USER 00\n", [root("2:1", "00")], id="user-00-atoi"),
    pytest.param(P + "USER +0:0\n", [root("2:1", "+0:0")], id="user-plus-0-atoi"),
    pytest.param(P + "USER root:root\n", [root("2:1", "root:root")], id="root-root"),
    # A name from the build state: the RUN's environment holds the ARG.
    pytest.param(
        P + 'ARG USERNAME=app\nRUN useradd --create-home "$USERNAME"\nUSER $USERNAME\n',
        [no_uid("3:5", "app", "useradd --uid 10001")],
        id="user-name-from-arg",
    ),
    pytest.param(
        P + "ENV APP_USER=web\nRUN adduser --disabled-password ${APP_USER}\n"
        "USER ${APP_USER}\n",
        [no_uid("3:5", "web", "adduser --uid 10001")],
        id="user-name-from-env",
    ),
    # Chainguard's wolfi-base config runs as 0 (images/wolfi-base/config/main.tf).
    pytest.param(
        "FROM cgr.dev/chainguard/wolfi-base\nCOPY . /app\n",
        [no_user("1:1")],
        id="chainguard-wolfi-base-runs-as-root",
    ),
    pytest.param(
        "FROM cgr.dev/chainguard/node:latest\nCOPY . /app\n",
        [no_user("1:1")],
        id="chainguard-image-whose-config-was-not-read",
    ),
    pytest.param(
        "FROM quay.io/jupyter/scipy-notebook:2024-05-27\nUSER root\n"
        "RUN apt-get update\n",
        [root("2:1", "root")],
        id="jupyter-back-to-root",
    ),
    # The official postgres image's entrypoint drops to `postgres` only for its
    # own CMD `postgres` (or options): another command runs as root, and a new
    # ENTRYPOINT replaces it (docker-library/postgres docker-entrypoint.sh).
    pytest.param(
        'FROM postgres:16\nCMD ["bash"]\n',
        [no_user("1:1")],
        id="postgres-entrypoint-with-another-command",
    ),
    pytest.param(
        'FROM postgres:16\nENTRYPOINT ["postgres"]\n',
        [no_user("1:1")],
        id="postgres-entrypoint-replaced",
    ),
    pytest.param(
        "FROM docker.elastic.co/elasticsearch/elasticsearch-oss:6.0.0\n"
        'CMD ["/bin/bash"]\n',
        [no_user("1:1")],
        id="elasticsearch-entrypoint-with-another-command",
    ),
    # The airflow image runs as 50000, but the file switches back to root.
    pytest.param(
        "FROM apache/airflow:3.0.4\nUSER root\nRUN apt-get update\n",
        [root("2:1", "root")],
        id="airflow-back-to-root",
    ),
    # A name that only starts like the local micromamba tag is not it.
    pytest.param(
        "FROM micromamba-tools:1\nCOPY . /app\n",
        [no_user("1:1")],
        id="micromamba-prefix-is-not-the-local-tag",
    ),
    # A base from a build argument, and nothing in the file says Windows.
    pytest.param(
        "ARG BASE\nFROM $BASE\nWORKDIR /inetpub/wwwroot\nCOPY web.config .\n",
        [no_user_unknown_base("2:1", "$BASE")],
        id="unknown-base-nothing-windows",
    ),
    # A Windows stage the file copies from, but it runs no RUN: no daemon is implied.
    pytest.param(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2019 AS tools\n"
        "ARG BASE\nFROM $BASE\nCOPY --from=tools /x /x\n",
        [no_user_unknown_base("3:1", "$BASE")],
        id="copies-from-a-windows-stage-without-run",
    ),
    # gosu to root drops nothing.
    pytest.param(
        P + 'ENTRYPOINT ["gosu", "0:0", "python", "main.py"]\n',
        [no_user("1:1")],
        id="gosu-to-root",
    ),
    # A script the build context does not give (from the base image, another
    # stage, or unreadable): not known, so reported with the reason, no fix.
    pytest.param(
        P + 'ENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["python", "main.py"]\n',
        [unknown("1:1", "/docker-entrypoint.sh", "is not traced to a file of the build context")],
        id="entrypoint-script-not-copied",
    ),
    pytest.param(
        P + 'COPY --from=build /e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n',
        [unknown("1:1", "/e.sh", "is not traced to a file of the build context")],
        id="entrypoint-script-from-another-stage",
    ),
    # On a base image that is not known, both doubts are said (searxng's
    # dist.dockerfile: its base sets the WORKDIR the script is copied into).
    pytest.param(
        "FROM docker.io/searxng/base:searxng\nCOPY ./container/ ./\n"
        'ENTRYPOINT ["/usr/local/searxng/entrypoint.sh"]\n',
        [
            (
                "1:1: PDH511 the shipped stage has no `USER`: the container starts as "
                "root unless its base image `docker.io/searxng/base:searxng`, which is "
                "not known, sets a non-root `USER`; its ENTRYPOINT runs "
                "`/usr/local/searxng/entrypoint.sh`, which is not traced to a file of "
                "the build context, so whether it switches to a non-root user is not known"
            )
        ],
        id="entrypoint-not-traced-on-a-base-not-known",
    ),
    # A program whose name says it is no shell script is judged as a program.
    pytest.param(
        P + 'COPY sync.py /usr/local/bin/\nENTRYPOINT ["/usr/local/bin/sync.py"]\n',
        [no_user("1:1")],
        id="entrypoint-python-program",
    ),
    pytest.param(
        P + 'COPY missing.sh /e.sh\nENTRYPOINT ["/e.sh"]\n',
        [unknown("1:1", "/e.sh", "could not be read from the build context")],
        id="entrypoint-script-not-in-the-context",
    ),
    pytest.param(
        P + 'USER root\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n',
        [
            ("2:1: PDH512 the shipped stage's last `USER` is `root`: the container "
            "starts as root; its ENTRYPOINT runs `/e.sh`, which could not be read "
            "from the build context, so whether it switches to a non-root user is "
            "not known")
        ],
        id="user-root-then-unread-script",
    ),
    pytest.param(
        P + 'ENTRYPOINT ["gosu", "$APP_USER", "python"]\n',
        [
            ("1:1: PDH511 the shipped stage has no `USER`: the container starts as "
            "root; its ENTRYPOINT passes `$APP_USER` unexpanded (exec form), so "
            "whether it switches to a non-root user is not known")
        ],
        id="exec-form-does-not-expand",
    ),
    pytest.param(
        P + "RUN useradd --create-home app\nUSER app\n",
        [no_uid("2:5", "app", "useradd --uid 10001")],
        id="useradd-without-uid",
    ),
    pytest.param(
        P + "RUN adduser --disabled-password --gecos '' app\nUSER app\n",
        [no_uid("2:5", "app", "adduser --uid 10001")],
        id="debian-adduser-without-uid",
    ),
    pytest.param(
        "FROM alpine:3.20\nRUN addgroup -S app && adduser -S -G app app\nUSER app\n",
        [no_uid("2:24", "app", "adduser -u 10001")],
        id="busybox-adduser-without-uid",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nRUN useradd app\nFROM base\nUSER app\n",
        [no_uid("2:5", "app", "useradd --uid 10001")],
        id="created-in-the-parent-stage",
    ),
    pytest.param("FROM scratch\nCOPY app /app\n", [no_user("1:1")], id="scratch"),
    pytest.param(
        "FROM gcr.io/distroless/python3-debian12\nCOPY . /app\n",
        [no_user("1:1")],
        id="distroless-root-tag",
    ),
    pytest.param(
        "FROM example.com/base:1\nCOPY . /app\n",
        [no_user_unknown_base("1:1", "example.com/base:1")],
        id="unknown-image",
    ),
    # A one-word name reads as a library image, but the tables list only some
    # of those: another is a local tag (or a named context) or an official image
    # whose USER they do not hold (odoo/docker's Dockerfiles end with USER odoo).
    pytest.param(
        "FROM mycorp-web\nCOPY app.py /app/\n",
        [no_user_unknown_base("1:1", "mycorp-web")],
        id="one-word-local-tag-is-not-known",
    ),
    pytest.param(
        "FROM odoo:17\nCOPY addons /mnt/extra-addons\n",
        [no_user_unknown_base("1:1", "odoo:17")],
        id="official-image-the-tables-do-not-list-is-not-known",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nCOPY . /app\n", [no_user("1:1")], id="listed-library-image"
    ),
    # A base image that is not known may set a USER of its own; a package
    # install or a user created shows the RUNs run as root (each needs root).
    pytest.param(
        "FROM example.com/base:1\nRUN apt-get update && apt-get install -y curl\n",
        [no_user("1:1")],
        id="unknown-image-installs-packages-as-root",
    ),
    pytest.param(
        "FROM example.com/base:1\nRUN useradd --uid 10001 app\nCOPY . /app\n",
        [no_user("1:1")],
        id="unknown-image-creates-a-user-as-root",
    ),
    pytest.param(
        "FROM example.com/base:1\nRUN sudo apt-get install -y curl\n",
        [no_user_unknown_base("1:1", "example.com/base:1")],
        id="unknown-image-installs-through-sudo",
    ),
    # The rows every table has.
    pytest.param(
        b"FROM python:3.12-slim\r\nUSER root\r\n", [root("2:1", "root")], id="crlf"
    ),
    pytest.param(b"\xef\xbb\xbfFROM python:3.12-slim\n", [no_user("1:1")], id="bom"),
    pytest.param(P + "USER root", [root("2:1", "root")], id="no-final-newline"),
    pytest.param(
        "from python:3.12-slim\nuser root\n", [root("2:1", "root")], id="lowercase"
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nRUN useradd `\n  app\nUSER app\n",
        [no_uid("3:5", "app", "useradd --uid 10001")],
        id="escape-backtick",
    ),
    pytest.param(
        P + "RUN useradd \\\n# the user\n  app\nUSER app\n",
        [no_uid("2:5", "app", "useradd --uid 10001")],
        id="comment-in-continuation",
    ),
    pytest.param(
        P + "RUN <<EOF\nuseradd app\nEOF\nUSER app\n",
        [no_uid("3:1", "app", "useradd --uid 10001")],
        id="heredoc",
    ),
    pytest.param(
        # The pragma is above USER; the finding is at the useradd command.
        P + "RUN useradd app\n# python-docker-hooks: ignore=PDH513\nUSER app\n",
        [no_uid("2:5", "app", "useradd --uid 10001")],
        id="pragma-above-another-instruction",
    ),
]

DOES_NOT_CATCH = [
    pytest.param(P + "USER 10001\n", id="numeric"),
    pytest.param(P + "USER 10001:10001\n", id="numeric-group"),
    pytest.param(P + "RUN useradd --uid 10001 app\nUSER app\n", id="useradd-uid"),
    pytest.param(P + "RUN useradd -u 10001 -l app\nUSER app:app\n", id="useradd-short"),
    pytest.param(
        "FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER app\n", id="busybox-uid"
    ),
    pytest.param(P + "USER nobody\n", id="user-of-the-base-image"),
    pytest.param(P + "RUN useradd app\nUSER 10001\n", id="numeric-user-wins"),
    pytest.param(P + "ARG UID\nUSER $UID\n", id="user-is-a-build-argument"),
    pytest.param(P + "USER 010001\n", id="numeric-leading-zero"),
    pytest.param(
        P + 'ARG USERNAME=app\nRUN useradd --uid 10001 "$USERNAME"\nUSER $USERNAME\n',
        id="user-name-from-arg-with-uid",
    ),
    pytest.param(
        P + 'ARG UID=10001\nRUN useradd -u "${UID}" app\nUSER app\n',
        id="uid-from-arg",
    ),
    # Bases that run as their own user (each image's Dockerfile, see image.py).
    pytest.param(
        "FROM gitpod/workspace-python\nRUN pyenv install 3.10.14\n",
        id="gitpod-workspace",
    ),
    pytest.param(
        "FROM apache/airflow:3.0.4\nRUN pip install x\n", id="apache-airflow"
    ),
    pytest.param(
        "FROM docker.elastic.co/kibana/kibana-oss:6.0.0\nCOPY k.yml /k.yml\n",
        id="elastic-kibana",
    ),
    pytest.param(
        "FROM docker.elastic.co/logstash/logstash-oss:6.0.0\n"
        "RUN logstash-plugin install x\n",
        id="elastic-logstash",
    ),
    pytest.param(
        "ARG BASE_IMAGE=micromamba:test-debian12-slim\nFROM $BASE_IMAGE\n"
        "RUN micromamba install -y python\n",
        id="micromamba-docker-local-test-tag",
    ),
    # Bases whose own ENTRYPOINT drops root for their own CMD.
    pytest.param("FROM postgres:16\nCOPY x /x\n", id="postgres-entrypoint"),
    pytest.param(
        'FROM postgres:16-alpine\nCMD ["postgres", "-c", "fsync=off"]\n',
        id="postgres-entrypoint-own-command",
    ),
    pytest.param(
        'FROM docker.io/postgres:16\nCMD ["-c", "fsync=off"]\n',
        id="postgres-entrypoint-options",
    ),
    pytest.param(
        "FROM docker.elastic.co/elasticsearch/elasticsearch-oss:6.0.0\n"
        "RUN elasticsearch-plugin install x\n",
        id="elasticsearch-entrypoint",
    ),
    # Windows bases: no root to judge.
    pytest.param("FROM microsoft/iis\nRUN echo\n", id="windows-microsoft-iis"),
    pytest.param(
        "FROM microsoft/mssql-server-windows-express\nCOPY x C:/x\n",
        id="windows-mssql-server",
    ),
    # A base from a build argument, and the file shows a Windows image.
    pytest.param(
        'ARG BASE\nFROM $BASE\nWORKDIR "c:\\inetpub\\wwwroot"\nCOPY web.config .\n',
        id="unknown-base-windows-workdir",
    ),
    pytest.param(
        'ARG BASE\nFROM $BASE\nCOPY bin/ .\nENTRYPOINT ["dotnetapp.exe"]\n',
        id="unknown-base-exe-entrypoint",
    ),
    pytest.param(
        "FROM iis\nRUN powershell.exe -Command Import-Module IISAdministration\n",
        id="unknown-base-exe-run",
    ),
    pytest.param(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2019 AS tools\n"
        "RUN powershell -Command echo\nARG BASE\nFROM ${BASE}\n"
        "COPY --from=tools /x /x\n",
        id="copies-from-a-windows-stage-that-runs",
    ),
    # jupyter/docker-stacks end with `USER ${NB_UID}` (docker-stacks-foundation).
    pytest.param(
        "FROM quay.io/jupyter/scipy-notebook:2024-05-27\nCOPY . /home/jovyan/work\n",
        id="jupyter-quay",
    ),
    pytest.param(
        "FROM jupyter/base-notebook:python-3.11\nRUN pip install x\n",
        id="jupyter-docker-hub",
    ),
    pytest.param(
        "FROM cgr.dev/chainguard/python:latest-dev\nRUN pip install x\n",
        id="chainguard-python-dev",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nUSER 10001\nFROM base\n", id="inherited"
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\nRUN make\nFROM python:3.12-slim\nUSER 10001\n",
        id="root-build-stage",
    ),
    pytest.param(
        P + "USER root\nRUN apt-get update\nUSER 10001\n", id="root-then-back"
    ),
    pytest.param(
        "FROM gcr.io/distroless/python3-debian12:nonroot\n", id="distroless-nonroot"
    ),
    pytest.param("FROM cgr.dev/chainguard/python:latest\n", id="chainguard"),
    # The ENTRYPOINT drops root before the application runs: gosu, su-exec
    # (`user-spec command`), setpriv --reuid, runuser -u (util-linux).
    pytest.param(
        P + 'ENTRYPOINT ["gosu", "app", "python", "main.py"]\n', id="entrypoint-gosu"
    ),
    pytest.param(
        P + 'ENTRYPOINT ["/usr/bin/tini", "-g", "--", "su-exec", "10001:10001"]\n'
        'CMD ["python", "main.py"]\n',
        id="entrypoint-tini-su-exec",
    ),
    pytest.param(
        P + 'ENTRYPOINT ["setpriv", "--reuid=10001", "--regid=10001", '
        '"--init-groups", "python", "main.py"]\n',
        id="entrypoint-setpriv-reuid",
    ),
    pytest.param(
        P + 'ENTRYPOINT ["runuser", "-u", "app", "--", "python", "main.py"]\n',
        id="entrypoint-runuser",
    ),
    pytest.param(
        P + 'USER root\nENTRYPOINT ["gosu", "app"]\nCMD ["python", "main.py"]\n',
        id="user-root-then-gosu",
    ),
    pytest.param(
        P + 'ENV APP_USER=app\nENTRYPOINT exec gosu "$APP_USER" python main.py\n',
        id="entrypoint-shell-form-gosu-env-user",
    ),
    pytest.param("FROM registry.access.redhat.com/ubi9/python-311\n", id="ubi-python"),
    pytest.param(LISTING_B, id="seed-listing-b"),
    pytest.param(
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n",
        id="windows-image",
    ),
    pytest.param("FROM python:3.12-windowsservercore-ltsc2022\n", id="windows-python"),
    # A shared tag names the Debian image and the windowsservercore one (the
    # daemon's platform picks); a drive-letter WORKDIR says Windows (chroma).
    pytest.param(
        'FROM python:3.12.8\nSHELL ["powershell", "-Command"]\nWORKDIR C:\\app\nCMD ["python", "app.py"]\n',
        id="shared-tag-on-windows",
    ),
    # The rows every table has.
    pytest.param(b"FROM python:3.12-slim\r\nUSER 10001\r\n", id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM python:3.12-slim\nUSER 10001\n", id="bom"),
    pytest.param(P + "USER 10001", id="no-final-newline"),
    pytest.param("from python:3.12-slim\nuser 10001\n", id="lowercase"),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nRUN useradd `\n  -u 10001 app\nUSER app\n",
        id="escape-backtick",
    ),
    pytest.param(
        P + "RUN useradd \\\n# fixed UID\n  -u 10001 app\nUSER app\n",
        id="comment-in-continuation",
    ),
    pytest.param(P + "RUN <<EOF\nuseradd -u 10001 app\nEOF\nUSER app\n", id="heredoc"),
    pytest.param("# python-docker-hooks: ignore=PDH511\n" + P, id="suppressed"),
    pytest.param(P + "# hadolint ignore=DL3002\nUSER root\n", id="hadolint-pragma"),
]

FIXES_TO = [
    pytest.param(
        P + 'COPY . /app\nCMD ["python", "/app/main.py"]\n',
        P + "COPY . /app\n" + DEB + 'CMD ["python", "/app/main.py"]\n',
        id="before-cmd",
    ),
    pytest.param(
        P + "COPY . /app\n",
        P + "COPY . /app\n" + DEB.rstrip("\n") + "\n",
        id="at-the-end",
    ),
    pytest.param(
        P + 'ENTRYPOINT ["app"]\nRUN echo late\n',
        P + 'ENTRYPOINT ["app"]\nRUN echo late\n' + DEB,
        id="at-the-end-when-a-run-follows-the-command",
    ),
    pytest.param(
        P + "COPY . /app\n\n# Start the server\n# hadolint ignore=DL3025\nCMD app\n",
        P + "COPY . /app\n\n" + DEB + "# Start the server\n# hadolint ignore=DL3025\nCMD app\n",
        id="comments-above-the-command-stay-with-it",
    ),
    pytest.param(
        P + 'USER root\nCMD ["app"]\n',
        P + "USER root\n" + DEB + 'CMD ["app"]\n',
        id="after-user-root",
    ),
    pytest.param(
        P + 'RUN useradd --uid 5678 web\nCMD ["app"]\n',
        P + 'RUN useradd --uid 5678 web\nUSER web\nCMD ["app"]\n',
        id="existing-user",
    ),
    # The user the stage creates with a build argument: USER names it the same
    # way, so `--build-arg USERNAME=other` still runs as the user created.
    pytest.param(
        P + 'ARG USERNAME=web\nRUN useradd -u 5678 "$USERNAME"\nCMD ["app"]\n',
        P + 'ARG USERNAME=web\nRUN useradd -u 5678 "$USERNAME"\nUSER $USERNAME\n'
        'CMD ["app"]\n',
        id="existing-user-from-arg",
    ),
    # A user named in --chown exists (BuildKit fails the COPY otherwise): no
    # second user.
    pytest.param(
        P + 'COPY --chown=web:web . /app\nCMD ["app"]\n',
        P + 'COPY --chown=web:web . /app\nUSER web\nCMD ["app"]\n',
        id="user-named-in-chown",
    ),
    pytest.param(
        P + 'ARG UID=1000\nCOPY --chown=${UID}:${UID} . /app\nCMD ["app"]\n',
        P + 'ARG UID=1000\nCOPY --chown=${UID}:${UID} . /app\nUSER 1000\nCMD ["app"]\n',
        id="uid-named-in-chown",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nUSER web\nFROM base\nUSER root\n"
        'RUN apt-get update\nCMD ["app"]\n',
        "FROM python:3.12-slim AS base\nUSER web\nFROM base\nUSER root\n"
        'RUN apt-get update\nUSER web\nCMD ["app"]\n',
        id="user-of-an-earlier-user-line",
    ),
    pytest.param(
        'FROM alpine:3.20\nRUN apk add --no-cache py3-pip\nCMD ["python3"]\n',
        "FROM alpine:3.20\nRUN apk add --no-cache py3-pip\n"
        + ALP
        + 'CMD ["python3"]\n',
        id="alpine",
    ),
    pytest.param(
        'FROM python:3.12-alpine\nCMD ["python"]\n',
        "FROM python:3.12-alpine\n" + ALP + 'CMD ["python"]\n',
        id="python-alpine",
    ),
    pytest.param(
        "FROM fedora:40\nRUN dnf install -y python3\n",
        "FROM fedora:40\nRUN dnf install -y python3\n" + DEB.rstrip("\n") + "\n",
        id="rhel-family",
    ),
    pytest.param(
        'FROM gcr.io/distroless/python3-debian12\nCMD ["main.py"]\n',
        'FROM gcr.io/distroless/python3-debian12\nUSER 65532\nCMD ["main.py"]\n',
        id="distroless",
    ),
    pytest.param(
        "FROM scratch\nCOPY app /\n",
        "FROM scratch\nCOPY app /\nUSER 10001\n",
        id="scratch",
    ),
    pytest.param(
        'FROM python:3.12-slim AS base\nFROM base\nCMD ["app"]\n',
        "FROM python:3.12-slim AS base\nFROM base\n" + DEB + 'CMD ["app"]\n',
        id="child-stage",
    ),
    # useradd exits 9 on a group that exists ("group app exists - if you want to
    # add this user to that group, use -g"; run in the live profile); BusyBox's
    # adduser dies with "group 'app' in use" unless -G names it (adduser.c).
    pytest.param(
        P + 'RUN groupadd --gid 7000 app\nCMD ["app"]\n',
        P
        + "RUN groupadd --gid 7000 app\n"
        + DEB.replace("--uid 10001", "--uid 10001 --gid app")
        + 'CMD ["app"]\n',
        id="group-of-the-name-is-joined",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nRUN addgroup app\nFROM base\n",
        "FROM python:3.12-slim AS base\nRUN addgroup app\nFROM base\n"
        + DEB.replace("--uid 10001", "--uid 10001 --gid app").rstrip("\n")
        + "\n",
        id="group-of-the-name-in-the-stage-built-on",
    ),
    pytest.param(
        P + 'RUN groupadd --gid 10001 web\nCMD ["app"]\n',
        P + "RUN groupadd --gid 10001 web\n" + DEB + 'CMD ["app"]\n',
        id="group-of-another-name-is-left-alone",
    ),
    pytest.param(
        'FROM alpine:3.20\nRUN addgroup -S app\nCMD ["python3"]\n',
        "FROM alpine:3.20\nRUN addgroup -S app\n"
        + ALP.replace("-u 10001", "-u 10001 -G app")
        + 'CMD ["python3"]\n',
        id="alpine-group-of-the-name-is-joined",
    ),
    # The rows every table has.
    pytest.param(
        b'FROM python:3.12-slim\r\nCMD ["app"]\r\n',
        b"FROM python:3.12-slim\r\n"
        + DEB.replace("\n", "\r\n").encode()
        + b'CMD ["app"]\r\n',
        id="crlf",
    ),
    pytest.param(
        b'\xef\xbb\xbfFROM python:3.12-slim\nCMD ["app"]\n',
        b"\xef\xbb\xbfFROM python:3.12-slim\n" + DEB.encode() + b'CMD ["app"]\n',
        id="bom",
    ),
    pytest.param(
        P + "COPY . /app", P + "COPY . /app\n" + DEB.rstrip("\n"), id="no-final-newline"
    ),
    pytest.param(
        'from python:3.12-slim\ncmd ["app"]\n',
        "from python:3.12-slim\n" + DEB + 'cmd ["app"]\n',
        id="lowercase",
    ),
    pytest.param(
        '# escape=`\nFROM python:3.12-slim\nRUN pip install `\n  app\nCMD ["app"]\n',
        "# escape=`\nFROM python:3.12-slim\nRUN pip install `\n  app\n"
        + DEB
        + 'CMD ["app"]\n',
        id="escape-backtick",
    ),
    pytest.param(
        P + 'RUN pip install \\\n# the app\n  app\nCMD ["app"]\n',
        P + "RUN pip install \\\n# the app\n  app\n" + DEB + 'CMD ["app"]\n',
        id="comment-in-continuation",
    ),
    pytest.param(
        P + 'RUN <<EOF\npip install app\nEOF\nCMD ["app"]\n',
        P + "RUN <<EOF\npip install app\nEOF\n" + DEB + 'CMD ["app"]\n',
        id="heredoc",
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH513\n" + P + 'RUN useradd web\nCMD ["app"]\n',
        "# python-docker-hooks: ignore=PDH513\n"
        + P
        + 'RUN useradd web\nUSER web\nCMD ["app"]\n',
        id="suppressed-code-left-alone",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_fixes_to(
    hook: object, before: str | bytes, after: str | bytes
) -> None:
    """With --unsafe-fixes: exactly ``after``; then nothing of PDH511/PDH512 left
    (other findings a row keeps, as a suppressed code, stay). The module's own
    fixes-to test: the shared one runs without --unsafe-fixes."""
    assert callable(hook)
    first: HookRun = hook(before, "--unsafe-fixes")
    assert first.data == as_bytes(after)
    assert (first.code, first.lines[-1]) == (1, "Fixing")
    assert any(line.endswith(" (fixed)") and " PDH51" in line for line in first.lines)
    second: HookRun = hook(first.data, "--unsafe-fixes")
    assert second.data == first.data
    assert not any(code in line for line in second.lines for code in ("PDH511", "PDH512"))


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_unsafe_fix_needs_the_flag(
    hook: object, before: str | bytes, after: str | bytes
) -> None:
    assert callable(hook)
    result: HookRun = hook(before)
    assert result.data == as_bytes(before)
    assert result.code == 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'FROM example.com/base:1\nCMD ["app"]\n', id="unknown-distribution"
        ),
        pytest.param(
            'FROM registry.access.redhat.com/ubi9/ubi-minimal\nCMD ["app"]\n',
            id="ubi-minimal-has-no-useradd",
        ),
        pytest.param(P + "COPY . /app \\\n", id="open-continuation-at-the-end"),
        # Names the user programs refuse (BusyBox's die_if_bad_username,
        # shadow's is_valid_user_name): no USER line for them.
        pytest.param(P + "RUN useradd 'a b'\n", id="created-name-with-a-space"),
        pytest.param(P + "RUN useradd -- -app\n", id="created-name-starting-with-a-dash"),
    ],
)
def test_no_fix(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(HOOK, text, tmp_path, capsys, "--unsafe-fixes")
    assert result.code == 1 and result.data == text.encode()
    assert all(not line.endswith(" (fixed)") for line in result.lines)


def test_uid_and_name_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.python-docker-hooks.non-root-user]\nuid = 5678\nname = "web"\n'
    )
    result = run(HOOK, P + 'CMD ["app"]\n', tmp_path, capsys, "--unsafe-fixes")
    clear_cache()
    assert (
        result.data
        == (
            P + "RUN useradd --uid 5678 --no-log-init --shell /usr/sbin/nologin web\n"
            'USER web\nCMD ["app"]\n'
        ).encode()
    )


def test_target_is_the_shipped_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.python-docker-hooks]\ntargets = { "Dockerfile" = "app" }\n'
    )
    content = (
        'FROM python:3.12-slim AS app\nCMD ["app"]\nFROM app AS test\nUSER 10001\n'
    )
    result = run(HOOK, content, tmp_path, capsys, "--no-fix")
    clear_cache()
    assert (result.code, result.lines) == (1, [no_user("1:1")])


def test_a_useradd_with_a_quote_left_open_creates_no_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # sh refuses a script with an open quote, so it creates no user: the fix
    # creates one of its own, and the file still parses (the open quote once
    # ran a "name" into the next lines, and USER got it).
    text = P + 'RUN <<EOF\nuseradd app", "x"]\nFROM a\nEOF\nCMD ["app"]\n'
    result = run(HOOK, text, tmp_path, capsys, "--unsafe-fixes")
    assert result.code == 1
    assert result.data == (
        P
        + 'RUN <<EOF\nuseradd app", "x"]\nFROM a\nEOF\n'
        + "RUN useradd --uid 10001 --no-log-init --shell /usr/sbin/nologin app\n"
        + "USER app\n"
        + 'CMD ["app"]\n'
    ).encode()
    again = run(HOOK, result.data.decode(), tmp_path, capsys, "--unsafe-fixes")
    assert again.data == result.data


ENTRY = 'COPY docker/entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n'


@pytest.mark.parametrize(
    ("dockerfile", "script", "lines"),
    [
        pytest.param(
            P + ENTRY + 'CMD ["python", "main.py"]\n',
            '#!/bin/sh\nset -e\nchown -R app /data\nexec gosu app "$@"\n',
            [],
            id="last-exec-gosu",
        ),
        pytest.param(
            # The script runs itself again as app, then `exec "$@"` runs as app.
            P + ENTRY + 'CMD ["python", "main.py"]\n',
            "#!/bin/bash\nif [ \"$(id -u)\" = '0' ]; then\n"
            '  exec su-exec app "$BASH_SOURCE" "$@"\nfi\nexec "$@"\n',
            [],
            id="runs-itself-again-as-app",
        ),
        pytest.param(
            P + ENTRY + 'CMD ["gosu", "app", "python", "main.py"]\n',
            '#!/bin/sh\nexec "$@"\n',
            [],
            id="exec-args-judged-by-cmd",
        ),
        pytest.param(
            P + "COPY . /app\n" + 'ENTRYPOINT ["/app/docker/entrypoint.sh"]\n',
            "#!/bin/sh\nexec setpriv --reuid=10001 --regid=10001 --clear-groups python app.py\n",
            [],
            id="copied-with-the-whole-context",
        ),
        pytest.param(
            P + "WORKDIR /app\nCOPY docker/ ./docker/\n"
            + 'ENTRYPOINT ["sh", "./docker/entrypoint.sh"]\n',
            "exec runuser -u app -- python app.py\n",
            [],
            id="shell-runs-the-script-relative-to-workdir",
        ),
        # A file copied to a directory that exists goes into it, trailing
        # slash or not (fsutil copy.go prepareTargetDir): the script is traced.
        pytest.param(
            P + "COPY docker/entrypoint.sh /usr/local/bin\n"
            + 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\nCMD ["python", "main.py"]\n',
            '#!/bin/sh\nexec setpriv --reuid=10001 --regid=10001 --clear-groups "$@"\n',
            [],
            id="copied-into-an-existing-directory-without-a-slash",
        ),
        pytest.param(
            P + "RUN mkdir /resources\nCOPY docker/entrypoint.sh /resources\n"
            + 'ENTRYPOINT ["/resources/entrypoint.sh"]\nCMD ["python", "main.py"]\n',
            '#!/bin/sh\npython manage.py migrate\nexec "$@"\n',
            [no_user("1:1")],
            id="copied-into-a-made-directory-without-a-slash-runs-as-root",
        ),
        pytest.param(
            P + "WORKDIR /app\nCOPY docker/entrypoint.sh .\n"
            + 'ENTRYPOINT ["./entrypoint.sh"]\nCMD ["python", "main.py"]\n',
            '#!/bin/sh\nexec gosu app "$@"\n',
            [],
            id="copied-into-the-workdir-as-dot",
        ),
        pytest.param(
            P + ENTRY + 'CMD ["python", "main.py"]\n',
            '#!/bin/sh\npython manage.py migrate\nexec "$@"\n',
            [no_user("1:1")],
            id="last-exec-runs-as-root",
        ),
        pytest.param(
            P + ENTRY,
            '#!/usr/bin/env bash\nset -euo pipefail\nexec gosu 10001:10001 python main.py\n',
            [],
            id="env-bash-shebang",
        ),
        # The kernel runs the interpreter of the #! line: a Python program is
        # judged as a program, whatever its text says.
        pytest.param(
            P + ENTRY,
            "#!/usr/bin/env python3\nimport os\nos.execvp('gosu', ['gosu', 'app', 'x'])\n",
            [no_user("1:1")],
            id="python-program-not-a-shell-script",
        ),
        pytest.param(
            # A user the script assigns, with a default when the environment does
            # not set it (POSIX 2.6.2 `${parameter:-word}`), inside a function
            # (mealie's docker/entry.sh); the image sets no PUID: 911.
            P + ENTRY + 'CMD ["python", "main.py"]\n',
            '#!/bin/bash\nPUID=${PUID:-911}\nBASH_SOURCE=${BASH_SOURCE:-$0}\n'
            'change_user() {\n  if [ "$(id -u)" = "0" ]; then\n'
            '    exec gosu $PUID "$BASH_SOURCE" "$@"\n  fi\n}\n'
            'change_user "$@"\nexec python /app/main.py\n',
            [],
            id="runs-itself-again-as-a-user-the-script-assigns",
        ),
        pytest.param(
            # The image sets PUID=0: the script's default is not taken, and gosu
            # to root drops nothing; the last exec runs as root.
            P + "ENV PUID=0\n" + ENTRY + 'CMD ["python", "main.py"]\n',
            '#!/bin/sh\nPUID=${PUID:-911}\n'
            'if [ "$(id -u)" = 0 ]; then exec gosu "$PUID" "$0" "$@"; fi\nexec "$@"\n',
            [no_user("1:1")],
            id="script-default-overridden-by-the-image-to-root",
        ),
        pytest.param(
            # A default that is itself a variable the image sets: APP_UID.
            P + "ENV APP_UID=10001\n" + ENTRY + 'CMD ["python", "main.py"]\n',
            '#!/bin/sh\nRUN_AS="${RUN_AS:-$APP_UID}"\n'
            'if [ "$(id -u)" = 0 ]; then exec gosu "$RUN_AS" "$0" "$@"; fi\nexec "$@"\n',
            [],
            id="script-default-from-a-variable-the-image-sets",
        ),
        pytest.param(
            # Started as root, the script runs the CMD as app; otherwise as is.
            P + ENTRY + 'CMD ["python", "main.py"]\n',
            '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then\n  exec gosu app "$@"\nfi\nexec "$@"\n',
            [],
            id="runs-the-command-as-app-when-root",
        ),
        pytest.param(
            # A user the script computes at run time is not known: the last exec
            # is not taken for the answer.
            P + ENTRY + 'CMD ["python", "main.py"]\n',
            '#!/bin/sh\nRUN_AS=$(stat -c %u /data)\n'
            'if [ "$(id -u)" = 0 ]; then exec gosu "$RUN_AS" "$0" "$@"; fi\nexec "$@"\n',
            [
                ("1:1: PDH511 the shipped stage has no `USER`: the container starts "
                "as root; it switches to `$RUN_AS`, which the image does not set, "
                "so whether it switches to a non-root user is not known")
            ],
            id="runs-itself-again-as-a-user-computed-at-run-time",
        ),
        pytest.param(
            P + ENTRY,
            '#!/bin/sh\nexec gosu "$RUN_AS" python main.py\n',
            [
                ("1:1: PDH511 the shipped stage has no `USER`: the container starts "
                "as root; it switches to `$RUN_AS`, which the image does not set, "
                "so whether it switches to a non-root user is not known")
            ],
            id="user-the-image-does-not-set",
        ),
    ],
)
def test_entrypoint_script_read_from_the_context(
    dockerfile: str,
    script: str,
    lines: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "entrypoint.sh").write_text(script)
    result = run(HOOK, dockerfile, tmp_path, capsys, "--no-fix")
    assert (result.code, result.lines) == (1 if lines else 0, lines)


def test_entrypoint_script_through_a_symlink_leaving_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A context file is read only inside the repository: a symlink out of it
    is not followed, and the script is unknown."""
    outside = tmp_path / "outside.sh"
    outside.write_text('#!/bin/sh\nexec gosu app "$@"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "entrypoint.sh").symlink_to(outside)
    text = P + 'COPY entrypoint.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["python"]\n'
    result = run(HOOK, text, repo, capsys, "--unsafe-fixes")
    assert (result.code, result.lines) == (
        1,
        [unknown("1:1", "/e.sh", "could not be read from the build context")],
    )
    assert result.data == text.encode()


def test_entrypoint_script_that_runs_as_root_gets_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "entrypoint.sh").write_text("#!/bin/sh\nexec python main.py\n")
    text = P + 'COPY entrypoint.sh /e.sh\nENTRYPOINT ["/e.sh"]\n'
    result = run(HOOK, text, tmp_path, capsys, "--unsafe-fixes")
    assert result.data == (P + "COPY entrypoint.sh /e.sh\n" + DEB + 'ENTRYPOINT ["/e.sh"]\n').encode()


ACTION = "name: lint\nruns:\n  using: docker\n  image: Dockerfile\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # GitHub runs a Docker container action's image as its user, which must
        # be root ("Dockerfile support for GitHub Actions": "Do not use the USER
        # instruction"): no USER, or USER root, is what it asks.
        pytest.param({"action.yml": ACTION, "Dockerfile": P + 'ENTRYPOINT ["ruff", "check"]\n'}, [], id="action-no-user"),
        pytest.param({"action.yaml": ACTION, "Dockerfile": P + "USER root\n"}, [], id="action-user-root"),
        # Built by compose too: that image is judged as any other.
        pytest.param(
            {
                "action.yml": ACTION,
                "Dockerfile": P + 'ENTRYPOINT ["ruff", "check"]\n',
                "compose.yaml": "services:\n  lint:\n    build: .\n",
            },
            ["Dockerfile:" + no_user("1:1")],
            id="action-image-also-built-by-compose",
        ),
        # An action that runs a published image builds nothing here.
        pytest.param(
            {
                "action.yml": "runs:\n  using: docker\n  image: docker://python:3.12-slim\n",
                "Dockerfile": P + 'CMD ["app"]\n',
            },
            ["Dockerfile:" + no_user("1:1")],
            id="action-on-a-published-image",
        ),
    ],
)
def test_a_docker_container_action_s_image_runs_as_root(
    files: dict[str, str],
    expected: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from contextrun import assert_reported

    assert_reported("non_root_user", tmp_path, files, expected, capsys, monkeypatch, tracked=True)


def test_an_action_metadata_file_that_does_not_parse_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextrun import git_tree, run_tree

    files = {"action.yml": "runs: [\n", "Dockerfile": P + 'ENTRYPOINT ["ruff", "check"]\n'}
    git_tree(tmp_path, files)
    result = run_tree("non_root_user", tmp_path, capsys, monkeypatch, "--no-fix", "Dockerfile")
    # The build is not known from it: the Dockerfile is judged as any other.
    assert (result.code, result.lines) == (
        1, ["Dockerfile:" + no_user("1:1"), "action.yml: invalid YAML"]
    )
    assert {k: result.files[k] for k in files} == {k: v.encode() for k, v in files.items()}
