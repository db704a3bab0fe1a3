"""python-slim-base: catches and does-not-catch tables (report only), run through the hook.

Rows use Python versions whose end of life is long past (3.8, 3.9) or years ahead
(3.13, 3.14), so they read the same whatever the clock says; the `today` option's
own tests pin the date.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hookrun import LISTING_B, run

HOOK = "python_slim_base"
DIGEST = "sha256:" + "0" * 64


def untagged(pos: str, base: str, use: str) -> str:
    return f"{pos}: PDH501 `{base}` has no tag: pin it, e.g. `{use}`"


def latest(pos: str, base: str, use: str) -> str:
    return f"{pos}: PDH502 `{base}` follows every release: pin it, e.g. `{use}`"


def minor(pos: str, base: str, use: str) -> str:
    return f"{pos}: PDH503 `{base}` does not pin the Python minor version: use e.g. `{use}`"


def full(pos: str, base: str, use: str) -> str:
    return (
        f"{pos}: PDH504 `{base}` is the full image (compilers, headers, VCS tools): "
        f"use `{use}`"
    )


def eol(pos: str, version: str, date: str) -> str:
    return (
        f"{pos}: PDH505 Python {version} reached its end of life on {date}: "
        "no more security fixes"
    )


def debian_eol(pos: str, codename: str, date: str) -> str:
    return (
        f"{pos}: PDH505 Debian {codename} reached the end of its long-term support on "
        f"{date}: no more security fixes"
    )


CATCHES = [
    pytest.param(
        "FROM python\n", [untagged("1:1", "python", "python:3.13-slim")], id="no-tag"
    ),
    pytest.param(
        "FROM docker.io/library/python\n",
        [
            untagged(
                "1:1", "docker.io/library/python", "docker.io/library/python:3.13-slim"
            )
        ],
        id="no-tag-registry",
    ),
    pytest.param(
        "FROM python:latest\n",
        [latest("1:1", "python:latest", "python:3.13-slim")],
        id="latest",
    ),
    pytest.param(
        "FROM pypy:latest AS app\n",
        [latest("1:1", "pypy:latest", "pypy:3.11-slim")],
        id="pypy-latest",
    ),
    pytest.param(
        "FROM python:3-slim\n",
        [minor("1:1", "python:3-slim", "python:3.13-slim")],
        id="major-only",
    ),
    pytest.param(
        "FROM python:3\n",
        [
            minor("1:1", "python:3", "python:3.13-slim"),
            full("1:1", "python:3", "python:3.13-slim"),
        ],
        id="major-only-full",
    ),
    pytest.param(
        "FROM python:slim\n",
        [minor("1:1", "python:slim", "python:3.13-slim")],
        id="no-version",
    ),
    pytest.param(
        "FROM python:3.13\n",
        [full("1:1", "python:3.13", "python:3.13-slim")],
        id="full",
    ),
    pytest.param(
        "FROM python:3.13.1\nWORKDIR /app\n",
        [full("1:1", "python:3.13.1", "python:3.13-slim")],
        id="shared-tag-linux-workdir",
    ),
    pytest.param(
        "FROM python:3.13-bookworm\n",
        [full("1:1", "python:3.13-bookworm", "python:3.13-slim-bookworm")],
        id="full-codename",
    ),
    pytest.param(
        "FROM python:3.14.2-trixie\n",
        [full("1:1", "python:3.14.2-trixie", "python:3.14-slim-trixie")],
        id="full-patch-version",
    ),
    pytest.param(
        "FROM mirror.gcr.io/library/python:3.13\n",
        [
            full(
                "1:1",
                "mirror.gcr.io/library/python:3.13",
                "mirror.gcr.io/library/python:3.13-slim",
            )
        ],
        id="library-mirror",
    ),
    pytest.param(
        "FROM public.ecr.aws/docker/library/python:3.9-slim\n",
        [eol("1:1", "3.9", "2025-10-31")],
        id="ecr-mirror-eol",
    ),
    pytest.param(
        "FROM python:3.8-slim\n", [eol("1:1", "3.8", "2024-10-07")], id="eol-3.8"
    ),
    pytest.param(
        "FROM python:2.7-slim\n", [eol("1:1", "2.7", "2020-01-01")], id="eol-2.7"
    ),
    pytest.param(
        "FROM python:3.4-slim\n",
        ["1:1: PDH505 Python 3.4 is long past its end of life: no more security fixes"],
        id="eol-older-than-the-table",
    ),
    pytest.param(
        "FROM python:3.13-slim-buster\n",
        [debian_eol("1:1", "buster", "2024-06-30")],
        id="debian-eol",
    ),
    pytest.param(
        "FROM python:3.9-bullseye\n",
        [
            full("1:1", "python:3.9-bullseye", "python:3.9-slim-bullseye"),
            eol("1:1", "3.9", "2025-10-31"),
            debian_eol("1:1", "bullseye", "2026-08-31"),
        ],
        id="everything",
    ),
    pytest.param(
        "ARG PY=3.13\nFROM python:${PY}\n",
        [full("2:1", "python:3.13", "python:3.13-slim")],
        id="arg-default",
    ),
    pytest.param(
        "ARG PY\nFROM python:${PY:-3.9}-slim\n",
        [eol("2:1", "3.9", "2025-10-31")],
        id="arg-inline-default",
    ),
    pytest.param(
        "ARG BASE=python\nFROM $BASE\n",
        [untagged("2:1", "python", "python:3.13-slim")],
        id="arg-whole-image",
    ),
    pytest.param(
        "FROM --platform=linux/amd64 python:3.13\n",
        [full("1:1", "python:3.13", "python:3.13-slim")],
        id="platform-flag",
    ),
    pytest.param(
        f"FROM python:3.13@{DIGEST}\n",
        [full("1:1", f"python:3.13@{DIGEST}", "python:3.13-slim")],
        id="digest-with-full-tag",
    ),
    pytest.param(
        "FROM python:3.13 AS base\nFROM base AS app\nFROM app\n",
        [full("1:1", "python:3.13", "python:3.13-slim")],
        id="judged-once-at-the-root",
    ),
    pytest.param(
        "FROM python:3.13-slim AS build\nFROM python:3.9-slim\n",
        [eol("2:1", "3.9", "2025-10-31")],
        id="every-root-stage",
    ),
    # PDH504 judges the shipped stage only: a builder on the full image is
    # what PDH801 advises; the other codes judge every stage.
    pytest.param(
        "FROM python:3.9 AS build\nRUN pip wheel -w /w .\nFROM python:3.13-slim\n"
        "COPY --from=build /w /w\n",
        [eol("1:1", "3.9", "2025-10-31")],
        id="full-builder-only-its-end-of-life",
    ),
    pytest.param(
        "FROM python:3.13-slim AS build\nFROM python:3.13\nCOPY --from=build /w /w\n",
        [full("2:1", "python:3.13", "python:3.13-slim")],
        id="full-shipped-stage-after-a-builder",
    ),
    pytest.param(
        "FROM python:3.13 AS base\nFROM python:3.13-slim AS build\nFROM base\n",
        [full("1:1", "python:3.13", "python:3.13-slim")],
        id="full-root-of-the-shipped-chain",
    ),
    # The official image by Docker Hub's other names and the library's mirrors.
    pytest.param(
        "FROM index.docker.io/library/python:3.13\n",
        [
            full(
                "1:1",
                "index.docker.io/library/python:3.13",
                "index.docker.io/library/python:3.13-slim",
            )
        ],
        id="index-docker-io",
    ),
    pytest.param(
        "FROM mcr.microsoft.com/mirror/docker/library/python:3.13\n",
        [
            full(
                "1:1",
                "mcr.microsoft.com/mirror/docker/library/python:3.13",
                "mcr.microsoft.com/mirror/docker/library/python:3.13-slim",
            )
        ],
        id="microsoft-mirror-of-the-library",
    ),
    # The rows every table has.
    pytest.param(
        b"FROM python:3.13\r\nRUN x\r\n",
        [full("1:1", "python:3.13", "python:3.13-slim")],
        id="crlf",
    ),
    pytest.param(
        b"\xef\xbb\xbfFROM python\n",
        [untagged("1:1", "python", "python:3.13-slim")],
        id="bom",
    ),
    pytest.param(
        "FROM python:3-slim",
        [minor("1:1", "python:3-slim", "python:3.13-slim")],
        id="no-final-newline",
    ),
    pytest.param(
        "from python:latest\n",
        [latest("1:1", "python:latest", "python:3.13-slim")],
        id="lowercase",
    ),
    pytest.param(
        "# escape=`\nFROM python:3.13 `\n  AS app\n",
        [full("2:1", "python:3.13", "python:3.13-slim")],
        id="escape-backtick",
    ),
    pytest.param(
        "FROM python:3.13 \\\n# the app\n  AS app\n",
        [full("1:1", "python:3.13", "python:3.13-slim")],
        id="comment-in-continuation",
    ),
    pytest.param(
        "FROM python:3.13\nRUN <<EOF\necho FROM python\nEOF\n",
        [full("1:1", "python:3.13", "python:3.13-slim")],
        id="heredoc",
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH505\nFROM python:3.9\n",
        [full("2:1", "python:3.9", "python:3.9-slim")],
        id="suppressed-one-code",
    ),
    pytest.param(LISTING_B, [eol("1:1", "3.10", "2026-10-31")], id="seed-listing-b"),
]

DOES_NOT_CATCH = [
    pytest.param("FROM python:3.13-slim\n", id="slim"),
    pytest.param("FROM python:3.13-slim-trixie\n", id="slim-codename"),
    pytest.param("FROM python:3.14.2-slim-trixie\n", id="slim-patch"),
    pytest.param(
        "FROM pypy:3.10-slim\n", id="pypy-versions-not-judged-by-cpython-dates"
    ),
    pytest.param("FROM pypy:3.10-7.3.17-slim\n", id="pypy-own-version"),
    pytest.param(f"FROM python@{DIGEST}\n", id="digest-pin"),
    pytest.param(
        f"FROM python:3@{DIGEST}\n".replace(":3@", ":3-slim@"), id="digest-major-only"
    ),
    pytest.param("FROM python:3.13-alpine\n", id="alpine-left-to-no-alpine-python"),
    pytest.param("FROM python:3.13-windowsservercore-ltsc2022\n", id="windows"),
    # A shared tag in a file that shows Windows is the windowsservercore image
    # (docker-library's python README, Shared Tags): no slim counterpart.
    pytest.param("FROM python:3.13.1\nWORKDIR C:\\app\n", id="shared-tag-windows-workdir"),
    pytest.param('FROM python:3.13\nCMD ["C:\\\\app\\\\run.exe"]\n', id="shared-tag-windows-exe"),
    pytest.param("FROM bitnami/python:3.9\n", id="other-namespace"),
    # distribution/reference: docker.io/<org>/python is <org>/python.
    pytest.param("FROM docker.io/bitnami/python:3.9\n", id="docker-io-bitnami"),
    pytest.param("FROM docker.io/circleci/python:3.9\n", id="docker-io-circleci"),
    # A dotted registry is another registry, not a mirror of the library: the
    # suggested tags would not exist there.
    pytest.param("FROM gcr.io/google_appengine/python\n", id="appengine-python"),
    pytest.param("FROM localhost:5000/python:3.9\n", id="local-registry-copy"),
    pytest.param(
        "FROM registry.example.com/library/python:3\n", id="other-registry-library"
    ),
    pytest.param(
        "FROM python:3.13 AS build\nRUN pip wheel -w /w .\n"
        "FROM python:3.13-slim\nCOPY --from=build /w /w\n",
        id="full-image-builder",
    ),
    pytest.param("FROM debian:bookworm\n", id="not-python"),
    pytest.param("FROM python:3.13-slim AS base\nFROM base\n", id="stage-alias"),
    pytest.param("ARG TAG\nFROM python:$TAG\n", id="tag-is-a-build-argument"),
    pytest.param("FROM $BASE\n", id="undeclared-arg"),
    pytest.param("FROM python:3.13-custom-build\n", id="tag-outside-the-scheme"),
    pytest.param("FROM scratch\n", id="scratch"),
    # The rows every table has.
    pytest.param(b"FROM python:3.13-slim\r\n", id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM python:3.13-slim\n", id="bom"),
    pytest.param("FROM python:3.13-slim", id="no-final-newline"),
    pytest.param("from python:3.13-slim\n", id="lowercase"),
    pytest.param(
        "# escape=`\nFROM python:3.13-slim `\n  AS app\n", id="escape-backtick"
    ),
    pytest.param(
        "FROM python:3.13-slim \\\n# the app\n  AS app\n", id="comment-in-continuation"
    ),
    pytest.param(
        "FROM python:3.13-slim\nRUN <<EOF\necho FROM python:3.9\nEOF\n", id="heredoc"
    ),
    pytest.param(
        "# python-docker-hooks: ignore=PDH504\nFROM python:3.13\n", id="suppressed"
    ),
    pytest.param(
        "# hadolint ignore=DL3007\nFROM python:latest\n", id="hadolint-pragma"
    ),
]


def _configured(
    pyproject: str,
    content: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[int, list[str]]:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    result = run(HOOK, content, tmp_path, capsys)
    clear_cache()
    assert result.data == content.encode()
    return result.code, result.lines


TABLE = "[tool.python-docker-hooks.python-slim-base]\n"


def test_full_image_in_the_target_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `targets` naming the builder, the builder is the shipped stage."""
    content = "FROM python:3.13 AS build\nFROM python:3.13-slim\n"
    code, lines = _configured(
        '[tool.python-docker-hooks]\ntargets = { "Dockerfile" = "build" }\n',
        content,
        tmp_path,
        capsys,
        monkeypatch,
    )
    assert (code, lines) == (1, [full("1:1", "python:3.13", "python:3.13-slim")])


@pytest.mark.parametrize(
    ("today", "lines"),
    [
        # Python 3.10's end of life is "2026-10" (PEP 619): the last day of October.
        pytest.param("2026-10-31", [], id="3.10-on-its-last-day"),
        pytest.param("2026-11-01", [eol("1:1", "3.10", "2026-10-31")], id="3.10-after"),
        pytest.param("2026-12-01", [eol("1:1", "3.10", "2026-10-31")], id="3.10-today"),
    ],
)
def test_today_option(
    today: str,
    lines: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, printed = _configured(
        TABLE + f'today = "{today}"\n',
        "FROM python:3.10-slim\n",
        tmp_path,
        capsys,
        monkeypatch,
    )
    assert (code, printed) == (1 if lines else 0, lines)


@pytest.mark.parametrize(
    ("today", "codename", "lines"),
    [
        # bullseye's LTS ended 2026-08-31 (wiki.debian.org/LTS).
        pytest.param("2026-08-31", "bullseye", [], id="bullseye-last-day"),
        pytest.param(
            "2026-09-01",
            "bullseye",
            [debian_eol("1:1", "bullseye", "2026-08-31")],
            id="bullseye-after",
        ),
        pytest.param("2028-06-30", "bookworm", [], id="bookworm-last-day"),
        pytest.param(
            "2028-07-01",
            "bookworm",
            [debian_eol("1:1", "bookworm", "2028-06-30")],
            id="bookworm-after",
        ),
    ],
)
def test_debian_end_of_life(
    today: str,
    codename: str,
    lines: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, printed = _configured(
        TABLE + f'today = "{today}"\n',
        f"FROM python:3.14-slim-{codename}\n",
        tmp_path,
        capsys,
        monkeypatch,
    )
    assert (code, printed) == (1 if lines else 0, lines)


@pytest.mark.parametrize(
    ("content", "lines"),
    [
        pytest.param(
            "FROM python:3.13-slim\n",
            [
                (
                    "1:1: PDH506 `python:3.13-slim` follows each new Debian release: "
                    "name it, e.g. `python:3.13-slim-trixie`"
                )
            ],
            id="slim-without-codename",
        ),
        pytest.param("FROM python:3.13-slim-bookworm\n", [], id="slim-with-codename"),
        pytest.param("FROM python:3.13-alpine\n", [], id="alpine-has-no-codename"),
    ],
)
def test_require_codename(
    content: str,
    lines: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, printed = _configured(
        TABLE + "require-codename = true\n", content, tmp_path, capsys, monkeypatch
    )
    assert (code, printed) == (1 if lines else 0, lines)


def test_require_codename_is_off_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(HOOK, "FROM python:3.13-slim\n", tmp_path, capsys)
    assert (result.code, result.lines) == (0, [])


@pytest.mark.parametrize(
    "today",
    [
        "tomorrow",
        # A day of more digits than int() reads (4,300): the shape is refused first.
        "2026-01-" + "1" * 5000,
    ],
    ids=["a-word", "5000-digit-day"],
)
def test_bad_today_is_one_line(
    today: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, printed = _configured(
        TABLE + f'today = "{today}"\n',
        "FROM python:3.13-slim\n",
        tmp_path,
        capsys,
        monkeypatch,
    )
    assert (code, printed) == (
        2,
        [
            (
                'pyproject.toml: option "today" in [tool.python-docker-hooks.python-slim-base]'
                f" must be a date YYYY-MM-DD, not {today!r}"
            )
        ],
    )
