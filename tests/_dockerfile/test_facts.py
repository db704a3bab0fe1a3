"""Stage facts: Python stages, family, package calls, users."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerfile.facts import (
    INSTALL,
    REMOVE,
    effective_user,
    family,
    package_calls,
    python_stages,
    users_created,
)
from python_docker_hooks._dockerfile.image import (
    ALPINE,
    DEBIAN,
    DISTROLESS,
    RHEL,
    SCRATCH,
    UNKNOWN,
)
from python_docker_hooks._dockerfile.parse import parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM python:3.12-slim\n", [True]),
        ("FROM pypy:3.10\n", [True]),
        ("FROM gcr.io/distroless/python3-debian12\n", [True]),
        ("FROM ghcr.io/astral-sh/uv:python3.12-alpine\n", [True]),
        ("FROM ghcr.io/astral-sh/uv:0.5 AS uv\nFROM debian:12\n", [False, False]),
        ("FROM continuumio/miniconda3\n", [True]),
        ("FROM debian:12\nRUN apt-get install -y python3\n", [True]),
        ("FROM debian:12\nRUN apt-get install -y python3.11-venv\n", [True]),
        ("FROM alpine\nRUN apk add py3-pip\n", [True]),
        ("FROM fedora\nRUN dnf install -y python3.12\n", [True]),
        # Python in an apk --virtual group runs in the stage until the group is
        # deleted; only a deletion in the same RUN takes it out of the layer.
        ("FROM alpine\nRUN apk add --virtual .gyp python3\n", [True]),
        ("FROM alpine\nRUN apk add --virtual .gyp python3 && make && apk del .gyp\n", [False]),
        ("FROM alpine\nRUN apk add --virtual .gyp python3\nRUN apk del .gyp\n", [True]),
        ("FROM debian:12\nRUN apt-get purge -y python3\n", [False]),
        ('FROM debian:12\nCMD ["gunicorn", "app:app"]\n', [True]),
        ("FROM debian:12\nRUN uv sync\n", [True]),
        ("FROM debian:12\nRUN poetry install\n", [True]),
        ("FROM debian:12\nRUN pipenv install\n", [True]),
        ("FROM debian:12\nRUN echo python\n", [False]),
        ("FROM node:20\nRUN npm ci\n", [False]),
        # Inherited along FROM <stage>.
        ("FROM python:3.12 AS base\nFROM base\n", [True, True]),
        ("FROM debian AS base\nRUN pip install x\nFROM base\n", [True, True]),
    ],
)
def test_python_stages(text: str, expected: list[bool]) -> None:
    assert python_stages(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM python:3.12-slim\n", DEBIAN),
        ("FROM python:3.12-alpine\n", ALPINE),
        ("FROM python:3.12 AS a\nFROM a\n", DEBIAN),
        ("FROM scratch\n", SCRATCH),
        ("FROM gcr.io/distroless/python3\n", DISTROLESS),
        ("FROM registry.access.redhat.com/ubi9/ubi\n", RHEL),
        ("FROM example.com/base:1\n", UNKNOWN),
        # An unknown image tells its family by the package manager it runs.
        ("FROM example.com/base:1\nRUN apk add curl\n", ALPINE),
        (
            "FROM example.com/base:1\nRUN apt-get update\nRUN apt-get install -y curl\n",
            DEBIAN,
        ),
        ("FROM example.com/base:1\nRUN microdnf install -y shadow-utils\n", RHEL),
        ("FROM example.com/base:1 AS a\nRUN yum install -y x\nFROM a\n", RHEL),
        ("FROM $BASE\n", UNKNOWN),
    ],
)
def test_family(text: str, expected: str) -> None:
    model = parse(text)
    assert family(model, model.stages[-1]) == expected


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        (
            "apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev=15.1 curl/bookworm",
            [("apt", INSTALL, ("gcc", "libpq-dev", "curl"), "")],
        ),
        (
            "apt-get -o Dpkg::Options::=--force-confnew -y install make",
            [("apt", INSTALL, ("make",), "")],
        ),
        (
            "apt install -y build-essential",
            [("apt", INSTALL, ("build-essential",), "")],
        ),
        ("apt-get purge -y --auto-remove gcc", [("apt", REMOVE, ("gcc",), "")]),
        ("apt-get autoremove -y", [("apt", REMOVE, (), "")]),
        (
            "apk add --no-cache --virtual .build-deps gcc musl-dev",
            [("apk", INSTALL, ("gcc", "musl-dev"), ".build-deps")],
        ),
        ("apk add --virtual=.b gcc", [("apk", INSTALL, ("gcc",), ".b")]),
        ("apk add -t .b gcc", [("apk", INSTALL, ("gcc",), ".b")]),
        ("apk add -X http://x/y py3-pip=24.0-r2", [("apk", INSTALL, ("py3-pip",), "")]),
        ("apk del .build-deps", [("apk", REMOVE, (".build-deps",), "")]),
        (
            "dnf install -y --setopt=tsflags=nodocs gcc-c++ python3-devel",
            [("dnf", INSTALL, ("gcc-c++", "python3-devel"), "")],
        ),
        ("yum -y install make && yum clean all", [("dnf", INSTALL, ("make",), "")]),
        ("microdnf remove gcc", [("dnf", REMOVE, ("gcc",), "")]),
        ("/usr/bin/apt-get install -y x", [("apt", INSTALL, ("x",), "")]),
        ("echo apt-get install gcc", []),
        ("apk update", []),
    ],
)
def test_package_calls(
    run: str, expected: list[tuple[str, str, tuple[str, ...], str]]
) -> None:
    model = parse(f"FROM x\nRUN {run}\n")
    calls = package_calls(model.instructions[-1])
    assert [(c.manager, c.action, c.packages, c.virtual) for c in calls] == expected


def test_package_calls_exec_form_and_heredoc() -> None:
    model = parse(
        'FROM x\nRUN ["apk", "add", "gcc"]\nRUN <<EOF\napt-get install -y make\nEOF\n'
    )
    assert [c.packages for c in package_calls(model.instructions[1])] == [("gcc",)]
    assert [c.packages for c in package_calls(model.instructions[2])] == [("make",)]


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        # shadow's useradd(8): -u/--uid, options with values skipped.
        ("useradd -u 10001 -m -s /bin/false app", [("user", "app", "10001")]),
        ("useradd --uid=10001 --no-log-init app", [("user", "app", "10001")]),
        ("useradd -r -g app app", [("user", "app", "")]),
        ("useradd -lu 10001 app", [("user", "app", "10001")]),
        (
            "groupadd -g 10001 app && useradd -u 10001 -g app app",
            [("group", "app", "10001"), ("user", "app", "10001")],
        ),
        ("groupadd --system app", [("group", "app", "")]),
        # Debian's adduser(8): long options; Getopt::Long takes `-u` for --uid.
        (
            'adduser -u 5678 --disabled-password --gecos "" appuser',
            [("user", "appuser", "5678")],
        ),
        ("adduser --uid 1000 --system --group app", [("user", "app", "1000")]),
        ("adduser --disabled-password app", [("user", "app", "")]),
        ("addgroup --gid 1000 app", [("group", "app", "1000")]),
        ("adduser --group staff", [("group", "staff", "")]),
        # `adduser USER GROUP` adds an existing user to a group.
        ("adduser app sudo", []),
        # BusyBox adduser/addgroup: -D no password, -u UID, -G group, -g GECOS.
        ("adduser -D -u 10001 app", [("user", "app", "10001")]),
        (
            "addgroup -S app && adduser -S -G app app",
            [("group", "app", ""), ("user", "app", "")],
        ),
        ("addgroup -g 10001 -S app", [("group", "app", "10001")]),
        ("adduser -D -g 'App user' -h /app app", [("user", "app", "")]),
        # BusyBox's long options; with options, a second operand does not make
        # it a group membership (BusyBox adduser.c).
        ("adduser -D --uid 10001 --home /app app", [("user", "app", "10001")]),
        ("adduser -D -u 10001 app users", [("user", "app", "10001")]),
        ("adduser --uid 10001 --stdoutmsglevel warn app", [("user", "app", "10001")]),
        ("useradd -D -s /bin/bash", []),
        ("echo useradd app", []),
        # A quote left open is a syntax error: sh runs nothing, no user is made.
        ('useradd app", "x"]', []),
        ("useradd -c 'it\\'s' app", []),
        # An escaped quote outside single quotes closes nothing.
        ('useradd -c "a \\"b\\"" app', [("user", "app", "")]),
    ],
)
def test_users_created(run: str, expected: list[tuple[str, str, str]]) -> None:
    model = parse(f"FROM x\nRUN {run}\n")
    found = users_created(model, model.stages[-1])
    assert [(u.kind, u.name, u.id) for u in found] == expected


@pytest.mark.parametrize(
    ("text", "value", "root"),
    [
        ("FROM x\n", None, False),
        ("FROM x\nUSER app\n", "app", False),
        ("FROM x\nUSER 10001:10001\n", "10001:10001", False),
        ("FROM x\nUSER app\nUSER root\n", "root", True),
        ("FROM x\nUSER 0:0\n", "0:0", True),
        ("FROM x\nUSER root:app\n", "root:app", True),
        # Inherited from the stage it is built on; a later stage may switch back.
        ("FROM x AS a\nUSER app\nFROM a\n", "app", False),
        ("FROM x AS a\nUSER app\nFROM a\nUSER root\n", "root", True),
        ("FROM x AS a\nUSER app\nFROM y\n", None, False),
        # USER expands variables (ENV and ARG).
        ("FROM x\nARG UID=10001\nUSER $UID\n", "10001", False),
        ("FROM x\nENV APP_USER=app\nUSER ${APP_USER}\n", "app", False),
    ],
)
def test_effective_user(text: str, value: str | None, root: bool) -> None:
    model = parse(text)
    user = effective_user(model, model.stages[-1])
    assert (user.value if user else None) == value
    assert (user.is_root if user else False) == root


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM x\nRUN a\n", (6, "\n")),
        ("FROM x\r\nRUN a\r\n", (6, "\r\n")),
        # After the ARG lines that follow FROM.
        ("FROM x\nARG A\nARG B=1\nRUN a\n", (20, "\n")),
        ("FROM x", (6, "\n")),
        # An open continuation would swallow the new line.
        ("FROM x\nARG A \\\n", None),
    ],
)
def test_after_from(text: str, expected: tuple[int, str] | None) -> None:
    from python_docker_hooks._dockerfile.facts import after_from

    model = parse(text)
    assert after_from(model, model.stages[-1]) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        # tianon/gosu: `gosu user-spec command [args]`.
        (["gosu", "app", "python"], ("app", 2)),
        (["/usr/local/bin/gosu", "1000:1000", "python", "x"], ("1000:1000", 2)),
        # ncopa/su-exec: `su-exec user-spec command [arguments...]`.
        (["su-exec", "app:app", "python"], ("app:app", 2)),
        # util-linux setpriv(1): --reuid uid, attached or not.
        (["setpriv", "--reuid=10001", "--regid=10001", "--init-groups", "x"], ("10001", 4)),
        (["setpriv", "--reuid", "app", "--clear-groups", "x"], ("app", 4)),
        # util-linux runuser(1): `runuser -u user [--] command`.
        (["runuser", "-u", "app", "--", "python"], ("app", 4)),
        (["runuser", "--user=app", "python"], ("app", 2)),
        (["runuser", "-uapp", "python"], ("app", 2)),
        # No command after it, or no user to switch to.
        (["gosu", "app"], None),
        (["setpriv", "--no-new-privs", "python"], None),
        (["runuser", "app", "-c", "python"], None),
        (["python", "app.py"], None),
    ],
)
def test_switched_user(argv: list[str], expected: tuple[str, int] | None) -> None:
    from python_docker_hooks._dockerfile.facts import switched_user

    assert switched_user(argv) == expected


@pytest.mark.parametrize(
    ("name", "root"),
    [
        ("root", True),
        ("0", True),
        # strconv.Atoi, as moby/sys user.GetExecUser reads a numeric user.
        ("00", True),
        ("+0", True),
        ("-0", True),
        ("10001", False),
        ("0x0", False),
        ("rooty", False),
        ("0" * 5000, True),
        ("9" * 5000, False),
    ],
)
def test_is_root_user_reads_uids_as_atoi(name: str, root: bool) -> None:
    from python_docker_hooks._dockerfile.facts import is_root_user

    assert is_root_user(name) is root


# strconv.Atoi reads an int64 and fails past it (ErrRange); GetExecUser then
# looks the user up by name.
@pytest.mark.parametrize(
    ("name", "numeric"),
    [
        ("10001", True),
        ("9223372036854775807", True),
        ("09223372036854775807", True),
        ("9223372036854775808", False),
        ("-9223372036854775808", True),
        ("-9223372036854775809", False),
        ("9" * 5000, False),
        ("\u00b2", False),
        ("app", False),
    ],
)
def test_numeric_user_is_what_atoi_reads(name: str, numeric: bool) -> None:
    from python_docker_hooks._dockerfile.facts import numeric_user

    assert numeric_user(name) is numeric
