"""The project a pip requirement argument names (``pyinstall.requirement_name``),
which pip-no-cache-dir, uv-image-practices and poetry-image-practices read.

Names are normalized as PEP 503 ("Normalized Names") says: ``re.sub(r"[-_.]+",
"-", name).lower()``. pip reads an argument with a ``/``, or one that starts
with ``.``, as a local path (pip's ``_looks_like_path``), whatever it is named.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from python_docker_hooks._dockerfile.pyinstall import requirement_name


@pytest.mark.parametrize(
    ("argument", "name"),
    [
        ("flask", "flask"),
        ("Flask[async]>=3", "flask"),
        ("Django==5.0", "django"),
        ("zope.interface", "zope-interface"),
        ("ruamel_yaml", "ruamel-yaml"),
        ("a._-b", "a-b"),
        ("uv~=0.5", "uv"),
        ("UV", "uv"),
        ("poetry@https://example.com/poetry.tar.gz", "poetry"),
        ("uv ; python_version > '3.8'", "uv"),
        (" poetry", "poetry"),
        ("poetry-core", "poetry-core"),
        ("name-", "name-"),
    ],
)
def test_the_normalized_name(argument: str, name: str) -> None:
    assert requirement_name(argument) == name


@pytest.mark.parametrize(
    "argument",
    [
        "uv/",  # the directory uv
        "./poetry",
        ".",
        "poetry.tar.gz",
        "uv-0.5.0-py3-none-any.whl",
        "git+https://github.com/astral-sh/uv",
        "https://example.com/uv.tar.gz",
        "uv://x",
        "-r",
        "",
        "[extra]",
    ],
)
def test_no_name_for_a_path_or_a_url(argument: str) -> None:
    assert requirement_name(argument) is None


def _by_regex(argument: str) -> str | None:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", argument.strip())
    if match is None or "://" in argument[: match.end() + 3]:
        return None
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9._- \t=[@:/\u212ak\u0130"), max_size=12))
def test_the_name_is_pep_503s_regex(argument: str) -> None:
    if "/" in argument or argument.startswith(".") or argument.lower().endswith((".whl", ".zip")):
        return
    assert requirement_name(argument) == _by_regex(argument)
