"""Image facts: references, the official library, the image table, python tags."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerfile.image import (
    ALPINE,
    DEBIAN,
    DISTROLESS,
    RHEL,
    SCRATCH,
    UNKNOWN,
    WINDOWS,
    WOLFI,
    image_facts,
    known_image,
    last_day,
    library_name,
    parse_reference,
    past,
    python_image,
    python_tag,
    stage_image,
)
from python_docker_hooks._dockerfile.parse import parse

DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("python", "", "python", "", ""),
        ("python:3.12-slim", "", "python", "3.12-slim", ""),
        ("library/python:3", "", "library/python", "3", ""),
        ("docker.io/library/python:3.12", "docker.io", "library/python", "3.12", ""),
        # distribution/reference: a first component with ':' or '.' or
        # `localhost` is a registry; otherwise it is a namespace.
        ("localhost:5000/python:3.12", "localhost:5000", "python", "3.12", ""),
        ("localhost/python", "localhost", "python", "", ""),
        ("bitnami/python:3.12", "", "bitnami/python", "3.12", ""),
        (
            "ghcr.io/astral-sh/uv:python3.12-alpine",
            "ghcr.io",
            "astral-sh/uv",
            "python3.12-alpine",
            "",
        ),
        (f"python:3.12@{DIGEST}", "", "python", "3.12", DIGEST),
        (f"python@{DIGEST}", "", "python", "", DIGEST),
        (f"reg.io:443/a/b/python:3@{DIGEST}", "reg.io:443", "a/b/python", "3", DIGEST),
    ],
)
def test_parse_reference(
    text: str, registry: str, repository: str, tag: str, digest: str
) -> None:
    ref = parse_reference(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        registry,
        repository,
        tag,
        digest,
    )


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("python:3.12-alpine", ""),
        ("localhost:5000/python:3.12-alpine", "localhost:5000/"),
        ("docker.io/library/python", "docker.io/library/"),
        (f"python:3.12@{DIGEST}", ""),
    ],
)
def test_prefix(text: str, prefix: str) -> None:
    assert parse_reference(text).prefix == prefix


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("python", "python"),
        ("library/python", "python"),
        ("docker.io/library/python:3", "python"),
        ("index.docker.io/library/python", "python"),
        ("registry-1.docker.io/library/pypy", "pypy"),
        ("docker.io/python", "python"),
        ("mirror.gcr.io/library/python:3.12", "python"),
        ("public.ecr.aws/docker/library/python:3.12-slim", "python"),
        ("mcr.microsoft.com/mirror/docker/library/python:3.12", "python"),
        ("bitnami/python", None),
        # distribution/reference: docker.io/<org>/python is <org>/python.
        ("docker.io/bitnami/python", None),
        ("docker.io/circleci/python:3.9", None),
        # A dotted registry is another registry, not a mirror by that alone.
        ("gcr.io/google_appengine/python", None),
        ("ghcr.io/library/python", None),
        ("mirror.gcr.io/python", None),
        ("public.ecr.aws/lambda/python:3.12", None),
    ],
)
def test_library_name(text: str, name: str | None) -> None:
    assert library_name(parse_reference(text)) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("python:3.12", "python"),
        ("pypy:3.10", "pypy"),
        ("docker.io/library/python:3.12", "python"),
        ("index.docker.io/library/python:3.12", "python"),
        ("public.ecr.aws/docker/library/pypy:3.10", "pypy"),
        # Only the library and its known mirrors: a copy elsewhere may carry
        # other tags, so what is said about the library's tags is not known
        # to hold there.
        ("localhost:5000/python:3.12", None),
        ("registry.example.com/library/python:3.12", None),
        ("artifactory.example.com/docker-remote/python:3.12", None),
        ("gcr.io/google_appengine/python", None),
        ("docker.io/bitnami/python:3.12", None),
        ("docker.io/circleci/python:3.9", None),
        ("bitnami/python:3.12", None),
        ("public.ecr.aws/lambda/python:3.12", None),
        ("mcr.microsoft.com/devcontainers/python:3.12", None),
        ("cimg/python:3.12", None),
        ("pythonista:1", None),
    ],
)
def test_python_image(text: str, name: str | None) -> None:
    assert python_image(parse_reference(text)) == name


@pytest.mark.parametrize(
    ("text", "python", "family", "user"),
    [
        ("python:3.12-slim", True, DEBIAN, ""),
        ("python:3.12-alpine3.20", True, ALPINE, ""),
        ("python:3.12-windowsservercore-ltsc2022", True, WINDOWS, ""),
        ("mcr.microsoft.com/windows/servercore:ltsc2022", False, WINDOWS, ""),
        ("microsoft/windowsservercore", False, WINDOWS, ""),
        ("mcr.microsoft.com/dotnet/framework/aspnet:4.8", False, WINDOWS, ""),
        ("pypy:3.10-slim", True, DEBIAN, ""),
        ("debian:bookworm-slim", False, DEBIAN, ""),
        ("ubuntu:24.04", False, DEBIAN, ""),
        ("node:20-alpine", False, ALPINE, ""),
        ("node:20", False, DEBIAN, ""),
        ("alpine:3.20", False, ALPINE, ""),
        ("busybox", False, ALPINE, ""),
        ("fedora:40", False, RHEL, ""),
        ("amazonlinux:2023", False, RHEL, ""),
        ("rockylinux:9", False, RHEL, ""),
        ("registry.access.redhat.com/ubi9/ubi-minimal", False, RHEL, ""),
        ("registry.access.redhat.com/ubi9/python-311", True, RHEL, "1001"),
        ("scratch", False, SCRATCH, ""),
        # distroless: Python without a shell; the nonroot tags set USER nonroot.
        ("gcr.io/distroless/python3-debian12", True, DISTROLESS, ""),
        ("gcr.io/distroless/python3-debian12:nonroot", True, DISTROLESS, "nonroot"),
        ("gcr.io/distroless/static-debian12", False, DISTROLESS, ""),
        # Chainguard: the user each image's apko config runs as
        # (chainguard-images/images); wolfi-base runs as 0.
        ("cgr.dev/chainguard/python:latest", True, DISTROLESS, "65532"),
        ("cgr.dev/chainguard/python:latest-dev", True, WOLFI, "65532"),
        ("cgr.dev/chainguard/static:latest", False, DISTROLESS, "65532"),
        ("cgr.dev/chainguard/wolfi-base", False, WOLFI, ""),
        ("cgr.dev/chainguard/node:latest", False, DISTROLESS, ""),
        # jupyter/docker-stacks end with `USER ${NB_UID}` (1000).
        ("quay.io/jupyter/scipy-notebook:2024-05-27", True, DEBIAN, "1000"),
        ("jupyter/base-notebook:python-3.11", True, DEBIAN, "1000"),
        ("docker.io/jupyter/minimal-notebook", True, DEBIAN, "1000"),
        ("jupyter/repo2docker", False, UNKNOWN, ""),
        # Docker Hub's host names are left out before the table is read.
        ("docker.io/bitnami/python:3.12", True, DEBIAN, ""),
        # uv's images: Python only in the python* tags; the bare tags are uv alone.
        ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", True, DEBIAN, ""),
        ("ghcr.io/astral-sh/uv:python3.12-alpine", True, ALPINE, ""),
        ("ghcr.io/astral-sh/uv:0.5.11", False, SCRATCH, ""),
        ("ghcr.io/astral-sh/uv:latest", False, SCRATCH, ""),
        ("ghcr.io/astral-sh/uv:bookworm-slim", False, DEBIAN, ""),
        ("ghcr.io/astral-sh/uv:alpine", False, ALPINE, ""),
        ("continuumio/miniconda3:24.1.2-0", True, DEBIAN, ""),
        ("mambaorg/micromamba:1.5", True, DEBIAN, "mambauser"),
        ("public.ecr.aws/lambda/python:3.12", True, RHEL, ""),
        ("example.com/team/app:1.0", False, UNKNOWN, ""),
        ("example.com/team/app:1.0-bookworm", False, DEBIAN, ""),
    ],
)
def test_image_facts(text: str, python: bool, family: str, user: str) -> None:
    facts = image_facts(parse_reference(text))
    assert (facts.python, facts.family, facts.user) == (python, family, user)


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("python:3.12-slim", True),
        ("quay.io/jupyter/scipy-notebook:2024-05-27", True),
        ("jupyter/base-notebook:python-3.11", True),
        # Under jupyter/ but not docker-stacks': jupyterhub's own images run as
        # root, and the onbuild one ADDs the context's jupyterhub_config.py.
        ("jupyter/jupyterhub-onbuild", False),
        ("jupyter/repo2docker", False),
        ("ghcr.io/astral-sh/uv:0.5.11", True),
        ("example.com/team/app:1.0", False),
    ],
)
def test_known_image_is_what_the_tables_say(text: str, known: bool) -> None:
    assert known_image(parse_reference(text)) is known


@pytest.mark.parametrize(
    ("text", "base", "unresolved"),
    [
        ("FROM python:3.12\n", "python:3.12", False),
        ("ARG PY=3.12\nFROM python:${PY}-slim\n", "python:3.12-slim", False),
        ("ARG PY\nFROM python:${PY:-3.11}-slim\n", "python:3.11-slim", False),
        ("ARG BASE=python:3.12\nFROM $BASE\n", "python:3.12", False),
        ("FROM --platform=linux/amd64 python:3.12\n", "python:3.12", False),
        ("ARG PY\nFROM python:${PY}-slim\n", "python:${PY}-slim", True),
        ("FROM $BASE\n", "$BASE", True),
        # An ARG declared after the first FROM is not seen by a FROM.
        ("FROM python:3.12 AS a\nARG B=x\nFROM a\n", "python:3.12", False),
    ],
)
def test_stage_image(text: str, base: str, unresolved: bool) -> None:
    model = parse(text)
    ref = stage_image(model, model.stages[-1])
    assert ref is not None
    assert (ref.text, ref.unresolved) == (base, unresolved)


@pytest.mark.parametrize(
    ("tag", "version", "variant", "codename", "latest"),
    [
        ("", (), "", "", True),
        ("latest", (), "", "", True),
        ("3", (3,), "", "", False),
        ("3-slim", (3,), "slim", "", False),
        ("3.12", (3, 12), "", "", False),
        ("3.12.7", (3, 12, 7), "", "", False),
        ("3.12-slim", (3, 12), "slim", "", False),
        ("3.12-slim-bookworm", (3, 12), "slim", "bookworm", False),
        ("3.13-trixie", (3, 13), "", "trixie", False),
        ("3.12-alpine", (3, 12), "alpine", "", False),
        ("3.12-alpine3.20", (3, 12), "alpine", "", False),
        ("alpine", (), "alpine", "", False),
        ("slim", (), "slim", "", False),
        ("bookworm", (), "", "bookworm", False),
        ("3.12-windowsservercore-ltsc2022", (3, 12), "windows", "", False),
        ("3.15.0a2-slim", (3, 15, 0), "slim", "", False),
        ("3.15-rc-slim", (3, 15), "slim", "", False),
        # pypy: the Python version, then PyPy's own.
        ("3.10-7.3.17-slim", (3, 10), "slim", "", False),
    ],
)
def test_python_tag(
    tag: str, version: tuple[int, ...], variant: str, codename: str, latest: bool
) -> None:
    read = python_tag(tag)
    assert read is not None
    assert (read.version, read.variant, read.codename, read.latest) == (
        version,
        variant,
        codename,
        latest,
    )


@pytest.mark.parametrize("tag", ["3.12-foo", "x.y", "3.12-slim-jammy"])
def test_python_tag_outside_the_scheme(tag: str) -> None:
    assert python_tag(tag) is None


def test_end_of_life_dates() -> None:
    assert last_day("2026-10") == (2026, 10, 31)
    assert last_day("2028-02") == (2028, 2, 29)
    assert last_day("2026-08-31") == (2026, 8, 31)
    assert past("2026-10", (2026, 12, 1))
    assert not past("2026-10", (2026, 10, 31))
    assert past("2026-08-31", (2026, 9, 1))
