"""``files.selects`` reads a path as the manifest's regexes do (``FILE_SELECTION``,
which pre-commit runs with ``re.search``), with string methods: the two agree on
the names of the tables and on generated paths built from the pieces the
regexes look at, in every case and with the characters ``(?i)`` equates with a
letter."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from python_docker_hooks._engine.files import FILE_SELECTION, selects


def _by_regex(kind: str, path: str) -> bool:
    files, exclude = FILE_SELECTION[kind]
    return re.search(files, path) is not None and re.search(exclude, path) is None


NAMES = [
    "Dockerfile",
    "dockerfile",
    "DOCKERFILE",
    "Dockerfile.dev",
    "Dockerfile.",
    "api.Dockerfile",
    "api.dockerfile",
    "api.DockerFile",
    "apiDockerfile",
    "Dockerfiles",
    "Dockerfile.j2",
    "Dockerfile.IN",
    "Dockerfile.Jinja2",
    "Dockerfile.template",
    "api.Dockerfile.dockerignore",
    "Containerfile.prod",
    "containerfile",
    "x.containerfile",
    "Dockerfile\n",
    "Dockerfile.in\n",
    "docker/Dockerfile",
    "a.b/Dockerfile.x/y",
    "Dockerfile/readme",
    ".dockerignore",
    "sub/api.Dockerfile.dockerignore",
    "x.dockerignore\n",
    "dockerignore",
    "compose.yaml",
    "compose.yml",
    "docker-compose.override.yml",
    "compose.production.yaml",
    "deploy/docker-compose.ci.yml",
    "Compose.yaml",
    "compose.yaml.bak",
    "my-compose.yaml",
    "compose.yml\n",
    "composeyml",
    "",
    "\n",
]


@pytest.mark.parametrize("kind", sorted(FILE_SELECTION))
@pytest.mark.parametrize("path", NAMES)
def test_selects_as_the_manifest_regex(kind: str, path: str) -> None:
    assert selects(kind, path) == _by_regex(kind, path)


# The characters Python's re makes a letter match under (?i), besides its
# other case: found by trying every code point, not assumed.
def test_every_character_the_regexes_equate_with_a_letter_is_known() -> None:
    unusual = {
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if not chr(cp).isascii() and re.fullmatch("(?i)[a-z]", chr(cp))
    }
    for char in unusual:
        for template in ("Dockerfile.%sn", "%snfile", "x.containerf%sle", "a.J%snja2", "x.doc%serfile"):
            name = template % char
            for kind in FILE_SELECTION:
                assert selects(kind, name) == _by_regex(kind, name), (kind, name)
    assert unusual == {"\u0130", "\u0131", "\u017f", "\u212a"}


PIECES = st.sampled_from(
    [
        "Dockerfile",
        "Containerfile",
        "ockerfile",
        "docker",
        "DOCKER",
        "container",
        "file",
        "FILE",
        "compose",
        "docker-compose",
        "ignore",
        ".dockerignore",
        ".containerignore",
        ".yaml",
        ".yml",
        ".ya",
        "ml",
        ".in",
        ".j2",
        ".jinja",
        "2",
        ".tpl",
        ".tmpl",
        ".template",
        ".",
        "/",
        "\n",
        "-",
        "x",
        "\u0130",
        "\u0131",
        "\u017f",
        "\u212a",
        "K",
        "i",
        "I",
    ]
)


@pytest.mark.parametrize("examples", [500, pytest.param(1500, marks=pytest.mark.heavy)])
def test_selects_as_the_manifest_regex_on_generated_paths(examples: int) -> None:
    @settings(max_examples=examples, deadline=None)
    @given(st.lists(PIECES, max_size=8).map("".join))
    def check(path: str) -> None:
        for kind in FILE_SELECTION:
            assert selects(kind, path) == _by_regex(kind, path), (kind, path)

    check()
