"""build-deps-in-final-stage: catches and does-not-catch tables (report only)."""

from __future__ import annotations

import pytest
from hookrun import ALPINE_STEP, LISTING_B

from python_docker_hooks.build_deps_in_final_stage import is_build_package

HOOK = "build_deps_in_final_stage"
TAIL = (
    " in the shipped image (not removed in the same RUN); build wheels in a "
    "build stage and install them in a final stage without compilers"
)


def left(pos: str, *names: str) -> str:
    """The verb agrees with the count: one package stays, several stay."""
    verb = " stays" if len(names) == 1 else " stay"
    return f"{pos}: PDH801 " + ", ".join(f"`{n}`" for n in names) + verb + TAIL


def pulled(pos: str, removed: str, stays: str, named: str = "", *, one: bool = False) -> str:
    """apt-get purge without --auto-remove: what apt installed with ``removed``
    (``one``: a single package stays, which --auto-remove takes)."""
    verb = "stays" if named.count("`") == 2 else "stay"
    head = f"{named} {verb} in the shipped image (not removed in the same RUN); " if named else ""
    them = "it" if one else "them"
    return (
        f"{pos}: PDH801 {head}removing {removed} without `--auto-remove` leaves what "
        f"apt installed with it: {stays} (`--auto-remove` takes {them} too); build "
        "wheels in a build stage and install them in a final stage without compilers"
    )


P = "FROM python:3.12-slim\n"
APT = "RUN apt-get update && apt-get install -y --no-install-recommends"

CATCHES = [
    pytest.param(
        P + APT + " gcc libpq-dev\n", [left("2:23", "gcc", "libpq-dev")], id="apt"
    ),
    pytest.param(
        P + "RUN apt install -y build-essential python3-dev\n",
        [left("2:5", "build-essential", "python3-dev")],
        id="apt-build-essential",
    ),
    pytest.param(
        "FROM python:3.12-alpine\nRUN apk add --no-cache gcc musl-dev libffi-dev\n",
        [left("2:5", "gcc", "musl-dev", "libffi-dev")],
        id="apk",
    ),
    pytest.param(
        "FROM python:3.12-alpine\nRUN apk add --virtual .b gcc musl-dev && pip install x\n"
        "RUN apk del .b\n",
        [left("2:5", "gcc", "musl-dev")],
        id="removed-in-a-later-run",
    ),
    pytest.param(
        "FROM python:3.12-alpine\nRUN apk add --virtual .b gcc && apk del .c\n",
        [left("2:5", "gcc")],
        id="other-group-removed",
    ),
    pytest.param(
        P + APT + " gcc g++ && pip install x && apt-get purge -y gcc\n",
        [pulled("2:23", "`gcc`", "`gcc-N`, `cpp`, `cpp-N`", named="`g++`")],
        id="one-of-two-removed-and-what-gcc-pulled-in-stays",
    ),
    # apt-get(8): remove/purge removes only the packages named; the ones apt
    # installed as their dependencies stay until `autoremove`/`--auto-remove`.
    pytest.param(
        P + APT + " gcc && pip install x && apt-get purge -y gcc\n",
        [pulled("2:23", "`gcc`", "`gcc-N`, `cpp`, `cpp-N`")],
        id="apt-get-8-purge-without-auto-remove-leaves-gcc-N",
    ),
    pytest.param(
        P + APT + " build-essential && pip install x && apt-get remove -y build-essential\n",
        [pulled("2:23", "`build-essential`", "`gcc`, `g++`, `make`, `libc6-dev`, ...")],
        id="build-essential-is-a-metapackage-its-depends-stay",
    ),
    pytest.param(
        P + APT + " libpq-dev && pip install x && apt-get purge -y libpq-dev\n",
        [pulled("2:23", "`libpq-dev`", "`libssl-dev`", one=True)],
        id="one-package-pulled-in-stays-and-auto-remove-takes-it",
    ),
    pytest.param(
        P + APT + " libxrender-dev\n",
        [("2:23: PDH801 `libxrender-dev` stays in the shipped image (not removed in the "
         "same RUN); build wheels in a build stage and install them in a final stage "
         "without compilers")],
        id="one-package-stays",
    ),
    pytest.param(
        P + APT + " gcc libxrender-dev\n",
        [("2:23: PDH801 `gcc`, `libxrender-dev` stay in the shipped image (not removed "
         "in the same RUN); build wheels in a build stage and install them in a final "
         "stage without compilers")],
        id="two-packages-stay",
    ),
    # sh splits an unquoted variable into fields (field splitting); the value
    # comes from the ARG in the build state.
    pytest.param(
        P + 'ARG BUILD_DEPS="gcc libpq-dev"\n' + APT + " $BUILD_DEPS && pip install x\n",
        [left("3:23", "gcc", "libpq-dev")],
        id="package-list-in-an-arg",
    ),
    pytest.param(
        P + "ENV DEPS=libpq-dev\n" + APT + ' "${DEPS}" && pip install x\n',
        [left("3:23", "libpq-dev")],
        id="package-in-a-quoted-env-variable",
    ),
    # The RHEL family's comps: "Development Tools" (id development) holds gcc,
    # gcc-c++ and make as mandatory packages.
    pytest.param(
        "FROM rockylinux:9\nRUN dnf install -y python3 && yum groupinstall -y 'Development Tools'\n",
        [left("2:31", "@development tools")],
        id="yum-groupinstall-development-tools",
    ),
    pytest.param(
        "FROM rockylinux:9\nRUN dnf install -y python3 && dnf group install -y \"Development Tools\"\n",
        [left("2:31", "@development tools")],
        id="dnf-group-install",
    ),
    pytest.param(
        "FROM rockylinux:9\nRUN dnf install -y python3 @development\n",
        [left("2:5", "@development")],
        id="dnf-install-at-group",
    ),
    pytest.param(
        P + APT + " gcc && pip install x && apt-get autoremove -y\n",
        [left("2:23", "gcc")],
        id="autoremove-alone-keeps-named-packages",
    ),
    pytest.param(
        # Without `apt-mark auto`, gcc stays marked manual: --auto-remove keeps it.
        P + APT + " gcc && apt-get purge -y --auto-remove\n",
        [left("2:23", "gcc")],
        id="auto-remove-without-apt-mark",
    ),
    pytest.param(
        "FROM registry.access.redhat.com/ubi9/python-311\nRUN dnf install -y gcc-c++ python3.11-devel\n",
        [left("2:5", "gcc-c++", "python3.11-devel")],
        id="dnf",
    ),
    pytest.param(
        P + "RUN apt-get install -y gcc-12 clang-16 cargo rustc cmake\n",
        ["2:5: PDH801 `gcc-12`, `clang-16`, `cargo`, `rustc`, ... stay" + TAIL],
        id="more-than-four-named",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\n" + APT + " gcc\nFROM base\nCOPY . /app\n",
        [left("2:23", "gcc")],
        id="inherited-layer",
    ),
    pytest.param(
        # The seed's Alpine step puts its compilers in a --virtual group but never
        # runs `apk del .build-deps`: they stay.
        ALPINE_STEP,
        ["2:17: PDH801 `build-base`, `openssl-dev`, `libffi-dev`, `gcc`, ... stay" + TAIL],
        id="seed-alpine-step",
    ),
    # The rows every table has.
    pytest.param(
        b"FROM python:3.12-slim\r\nRUN apt-get install -y gcc\r\n",
        [left("2:5", "gcc")],
        id="crlf",
    ),
    pytest.param(
        b"\xef\xbb\xbf" + (P + "RUN apk add gcc\n").encode(),
        [left("2:5", "gcc")],
        id="bom",
    ),
    pytest.param(P + "RUN apk add gcc", [left("2:5", "gcc")], id="no-final-newline"),
    pytest.param(
        "from python:3.12-slim\nrun apk add gcc\n", [left("2:5", "gcc")], id="lowercase"
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nRUN apt-get install -y `\n  gcc\n",
        [left("3:5", "gcc")],
        id="escape-backtick",
    ),
    pytest.param(
        P + "RUN apt-get install -y \\\n# to build psycopg\n  gcc libpq-dev\n",
        [left("2:5", "gcc", "libpq-dev")],
        id="comment-in-continuation",
    ),
    pytest.param(
        P + "RUN <<EOF\nset -e\napt-get install -y gcc\nEOF\n",
        [left("4:1", "gcc")],
        id="heredoc",
    ),
    pytest.param(
        P + "# python-docker-hooks: ignore=PDH801\nRUN apk add gcc\nRUN apk add make\n",
        [left("4:5", "make")],
        id="suppressed-one",
    ),
]

DOES_NOT_CATCH = [
    pytest.param(P + APT + " libpq5 libffi8\n", id="runtime-libraries"),
    pytest.param(
        "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .b gcc musl-dev"
        " && pip install x && apk del .b\n",
        id="virtual-group-removed",
    ),
    pytest.param(
        P
        + APT
        + " gcc libpq-dev && pip install x && apt-get purge -y --auto-remove gcc libpq-dev\n",
        id="purged-in-the-same-run",
    ),
    pytest.param(
        "FROM fedora:40\nRUN dnf install -y gcc python3-devel && pip install x && dnf remove -y gcc python3-devel\n",
        id="dnf-removed",
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\n" + APT + " gcc libpq-dev\n"
        "RUN pip wheel --no-cache-dir -w /wheels psycopg2\n"
        "FROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n",
        id="multi-stage",
    ),
    pytest.param(
        "FROM node:20\nRUN apt-get install -y g++ make\n", id="not-a-python-stage"
    ),
    pytest.param(P + "RUN echo apt-get install gcc\n", id="only-text"),
    pytest.param(
        # docker-library/python's own build: every package not marked manual again
        # is purged in the same RUN.
        P + 'RUN savedAptMark="$(apt-mark showmanual)"; ' + APT[4:] + " gcc libssl-dev;"
        " make; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark;"
        " apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false\n",
        id="apt-mark-auto-then-auto-remove",
    ),
    pytest.param(P + "RUN apt-get purge -y gcc\n", id="removal-only"),
    pytest.param(
        P + APT + " gcc && pip install x && apt-get purge -y gcc && apt-get autoremove -y\n",
        id="purge-then-autoremove-takes-what-gcc-pulled-in",
    ),
    pytest.param(
        P + 'ARG BUILD_DEPS="gcc libpq-dev"\n' + APT + " $BUILD_DEPS && pip install x"
        " && apt-get purge -y --auto-remove $BUILD_DEPS\n",
        id="arg-package-list-purged-with-auto-remove",
    ),
    pytest.param(P + APT + " $RUNTIME_DEPS\n", id="variable-without-a-value"),
    pytest.param(
        "FROM rockylinux:9\nRUN dnf install -y python3 && dnf group install -y 'Development Tools'"
        " && pip install x && dnf group remove -y 'development tools'\n",
        id="group-removed-in-the-same-run",
    ),
    pytest.param(
        "FROM rockylinux:9\nRUN dnf install -y python3 && dnf group install -y 'Fonts'\n",
        id="a-group-without-compilers",
    ),
    pytest.param(LISTING_B, id="seed-listing-b"),
    pytest.param(
        "FROM python:3.12-slim AS build\nFROM python:3.12-slim AS app\n"
        + APT
        + " make\n"
        "FROM python:3.12-slim AS test\n",
        id="build-deps-in-another-stage-than-the-shipped-one",
    ),
    # The rows every table has.
    pytest.param(
        b"FROM python:3.12-slim\r\nRUN apt-get install -y curl\r\n", id="crlf"
    ),
    pytest.param(b"\xef\xbb\xbf" + (P + "RUN apk add curl\n").encode(), id="bom"),
    pytest.param(P + "RUN apk add curl", id="no-final-newline"),
    pytest.param("from python:3.12-slim\nrun apk add curl\n", id="lowercase"),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nRUN apt-get install -y `\n  curl\n",
        id="escape-backtick",
    ),
    pytest.param(
        P + "RUN apt-get install -y \\\n# gcc\n  curl\n", id="comment-in-continuation"
    ),
    pytest.param(
        P + "COPY <<EOF /notes\napt-get install gcc\nEOF\n", id="heredoc-is-data"
    ),
    pytest.param(
        P + "# python-docker-hooks: ignore=PDH801\nRUN apk add gcc\n", id="suppressed"
    ),
]


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("gcc", True),
        ("g++", True),
        ("gcc-12", True),
        ("build-essential", True),
        ("build-base", True),
        ("musl-dev", True),
        ("python3-dev", True),
        ("libpq-dev", True),
        ("python3.11-devel", True),
        ("linux-headers", True),
        ("cargo", True),
        ("libpq5", False),
        ("libffi8", False),
        ("libpq", False),
        ("curl", False),
        ("python3", False),
        ("devscripts", False),
        ("@development tools", True),
        ("@c-development", True),
        ("@fonts", False),
    ],
)
def test_is_build_package(name: str, build: bool) -> None:
    assert is_build_package(name) is build
