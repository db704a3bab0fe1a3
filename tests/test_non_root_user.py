"""non-root-user: catches, does-not-catch and fixes-to tables, run through the hook.

The fix is unsafe: the fixes-to rows run with ``--unsafe-fixes``; a plain run
reports and changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hookrun import LISTING_B, HookRun, as_bytes, run
from tables import (  # noqa: F401
    check_table_shapes,
    test_catches,
    test_does_not_catch,
    test_unfixable_catches_leave_the_file_alone,
)

HOOK = "non_root_user"
DEB = "RUN useradd --uid 10001 --no-log-init --shell /usr/sbin/nologin app\nUSER app\n"
ALP = "RUN adduser -D -u 10001 app\nUSER app\n"


def no_user(pos: str) -> str:
    # The fix is unsafe: a run without --unsafe-fixes shows no `[*]` marker.
    return f"{pos}: PDH511 the shipped stage has no `USER`: the container runs as root"


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


P = "FROM python:3.12-slim\n"

CATCHES = [
    pytest.param(P + "COPY . /app\n", [no_user("1:1")], id="no-user"),
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
        "FROM example.com/base:1\nCOPY . /app\n", [no_user("1:1")], id="unknown-image"
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
    pytest.param("FROM registry.access.redhat.com/ubi9/python-311\n", id="ubi-python"),
    pytest.param(LISTING_B, id="seed-listing-b"),
    pytest.param(
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n",
        id="windows-image",
    ),
    pytest.param("FROM python:3.12-windowsservercore-ltsc2022\n", id="windows-python"),
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


def test_tables_cover_the_required_shapes() -> None:
    check_table_shapes(sys.modules[__name__], ("CATCHES", "DOES_NOT_CATCH", "FIXES_TO"))


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_fixes_to_with_unsafe_fixes(
    hook: object, before: str | bytes, after: str | bytes
) -> None:
    """With --unsafe-fixes: exactly ``after``; then nothing left to fix."""
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
