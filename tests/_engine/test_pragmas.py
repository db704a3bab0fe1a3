from __future__ import annotations

import pytest

from python_docker_hooks._engine.pragmas import (
    HADOLINT,
    TOOL,
    Pragma,
    build_suppressions,
    parse_pragma,
)

# What the registry would answer for the fake rules of these tests.
_RESOLVED = {
    "PDH101": ("PDH101",),
    "PDH102": ("PDH102",),
    "PDH301": ("PDH301",),
    "DL3042": ("PDH101",),
    "DL3000": ("PDH301", "PDH302"),
    "LegacyKeyValueFormat": ("PDH301",),
}


def resolve(code: str) -> tuple[str, ...]:
    return _RESOLVED.get(code, ())


@pytest.mark.parametrize(
    ("text", "scope", "codes", "tool"),
    [
        (
            "# python-docker-hooks: ignore=PDH101,PDH102",
            "next",
            ("PDH101", "PDH102"),
            TOOL,
        ),
        ("# python-docker-hooks: global ignore=PDH101", "global", ("PDH101",), TOOL),
        ("#python-docker-hooks:ignore=PDH101", "next", ("PDH101",), TOOL),
        ("# python-docker-hooks ignore=PDH101", "next", ("PDH101",), TOOL),
        (
            "  #   PYTHON-DOCKER-HOOKS :  IGNORE = PDH101 PDH102",
            "next",
            ("PDH101", "PDH102"),
            TOOL,
        ),
        (
            "# python-docker-hooks: Global Ignore=pdh101, pdh102,",
            "global",
            ("PDH101", "PDH102"),
            TOOL,
        ),
        ("# python-docker-hooks: ignore=DL3042", "next", ("DL3042",), TOOL),
        ("# hadolint ignore=DL3042,DL3008", "next", ("DL3042", "DL3008"), HADOLINT),
        ("# hadolint global ignore=DL3042", "global", ("DL3042",), HADOLINT),
        (
            "# hadolint  global  ignore=DL3042 ,  DL3008",
            "global",
            ("DL3042", "DL3008"),
            HADOLINT,
        ),
        ("\t# hadolint ignore =DL3042\t\r\n", "next", ("DL3042",), HADOLINT),
        # hadolint reads a ``#`` comment after a code as the reason.
        (
            "# hadolint ignore=DL3042 # pinned elsewhere",
            "next",
            ("DL3042",),
            HADOLINT,
        ),
        ("# hadolint ignore=DL3042,SC2086#why", "next", ("DL3042", "SC2086"), HADOLINT),
        # Our reason form: a ``--`` word ends the codes.
        (
            "# python-docker-hooks: ignore=PDH101 -- vendored base",
            "next",
            ("PDH101",),
            TOOL,
        ),
        (
            "# python-docker-hooks: global ignore=PDH101, PDH102 -- see ADR 7, PDH301",
            "global",
            ("PDH101", "PDH102"),
            TOOL,
        ),
        # Without the ``--``, words after the codes are codes (and warn as unknown).
        (
            "# python-docker-hooks: ignore=PDH101 vendored",
            "next",
            ("PDH101", "vendored"),
            TOOL,
        ),
        (
            "# python-docker-hooks: ignore=PDH101 --vendored",
            "next",
            ("PDH101", "--vendored"),
            TOOL,
        ),
    ],
)
def test_parse_pragma(text: str, scope: str, codes: tuple[str, ...], tool: str) -> None:
    assert parse_pragma(7, text) == Pragma(7, scope, codes, tool)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "#",
        "# just a comment",
        "# noqa: PDH101",
        "RUN x  # hadolint ignore=DL3042",
        "# hadolint ignore DL3042",
        "# hadolint ignore=",
        "# hadolint ignore= , ,",
        "# hadolint shell=/bin/bash",
        "# hadolintignore=DL3042",
        "# hadolint-ignore=DL3042",
        "# hadolint globalignore=DL3042",
        "# hadolint global=DL3042",
        "# hadolint global",
        "# hadolint ignored=DL3042",
        # hadolint's parser rejects these as a whole (keywords are lower case,
        # codes are DLSC and digits, separated by commas, nothing after them).
        "# Hadolint ignore=DL3042",
        "# hadolint IGNORE=DL3042",
        "# hadolint ignore=dl3042",
        "# hadolint ignore=LegacyKeyValueFormat",
        "# hadolint ignore=DL3042 pinned elsewhere",
        "# hadolint ignore=DL3042 DL3008",
        "# hadolint ignore=DL3042,",
        "# hadolint ignore=DL3042 -- reason",
        "# hadolint ignore=PDH101",
        "# python-docker-hooks: ignore= -- only a reason",
        "# python-docker-hooks: ignored=PDH101",
        "# python-docker-hooks: ignore PDH101",
        "# python-docker-hooksx: ignore=PDH101",
        "# python-docker-hooks: global",
        "# ruff: noqa: PDH101",
    ],
)
def test_parse_pragma_not_a_pragma(text: str) -> None:
    assert parse_pragma(1, text) is None


def test_parse_pragma_is_linear() -> None:
    # A million separators must not take more than one pass.
    pragma = parse_pragma(1, "# hadolint ignore=" + "DL3042 , " * 200_000 + "DL3008")
    assert pragma is not None and len(pragma.codes) == 200_001
    pragma = parse_pragma(
        1, "# python-docker-hooks: ignore=" + ", " * 500_000 + "PDH101"
    )
    assert pragma == Pragma(1, "next", ("PDH101",), TOOL)
    assert parse_pragma(1, "#" + " " * 1_000_000) is None


# A file's layout for the suppression tests, with its 1-based line numbers:
#  1 FROM python:3.12-slim
#  2 <pragma>
#  3
#  4 # an ordinary comment
#  5 RUN pip install a \
#  6     && pip install b
#  7 RUN pip install c
#  8 <pragma at the end>
INSTRUCTIONS = [(1, 1), (5, 6), (7, 7)]


@pytest.mark.parametrize(
    ("comments", "queries"),
    [
        pytest.param(
            [(2, "# python-docker-hooks: ignore=PDH101")],
            [
                ("PDH101", 5, True),
                ("PDH101", 6, True),
                ("PDH101", 7, False),
                ("PDH101", 1, False),
                ("PDH102", 5, False),
            ],
            id="next-instruction-across-blank-and-comment",
        ),
        pytest.param(
            [
                (2, "# python-docker-hooks: ignore=PDH101"),
                (4, "# hadolint ignore=DL3000"),
            ],
            [
                ("PDH101", 6, True),
                ("PDH301", 5, True),
                ("PDH302", 6, True),
                ("PDH301", 7, False),
            ],
            id="stacked-pragmas-add-up",
        ),
        pytest.param(
            [(8, "# python-docker-hooks: global ignore=PDH102")],
            [("PDH102", 1, True), ("PDH102", 7, True), ("PDH102", 99, True)],
            id="global-anywhere",
        ),
        pytest.param(
            [(4, "# hadolint global ignore=DL3042")],
            [("PDH101", 1, True), ("PDH101", 7, True), ("PDH102", 7, False)],
            id="hadolint-global-by-alias",
        ),
        pytest.param(
            [(4, "# hadolint ignore=DL3008,DL3042")],
            [("PDH101", 5, True), ("PDH101", 7, False)],
            id="hadolint-next-by-alias",
        ),
        pytest.param(
            [(4, "# hadolint ignore=PDH102")],
            [("PDH102", 5, False)],
            id="hadolint-pragma-ignores-our-codes",
        ),
        pytest.param(
            [(4, "# python-docker-hooks: ignore=DL3042 LegacyKeyValueFormat")],
            [("PDH101", 5, True), ("PDH301", 6, True)],
            id="aliases-in-our-pragma",
        ),
        pytest.param(
            [(6, "# python-docker-hooks: ignore=PDH101")],
            [("PDH101", 7, True), ("PDH101", 5, False), ("PDH101", 6, False)],
            id="comment-inside-continuation-covers-the-following-instruction",
        ),
        pytest.param(
            [(2, "# not a pragma"), (3, "# hadolint shell=bash")],
            [("PDH101", 5, False)],
            id="no-pragma",
        ),
    ],
)
def test_suppressions(
    comments: list[tuple[int, str]], queries: list[tuple[str, int, bool]]
) -> None:
    suppressions = build_suppressions(comments, INSTRUCTIONS, resolve)
    got = [
        (code, line, suppressions.is_suppressed(code, line))
        for code, line, _ in queries
    ]
    assert got == queries
    assert suppressions.warnings == []


@pytest.mark.parametrize(
    ("comments", "warnings"),
    [
        (
            [(2, "# python-docker-hooks: ignore=PDH999, PDH101")],
            [(2, "unknown code 'PDH999' in python-docker-hooks pragma")],
        ),
        (
            [(8, "# python-docker-hooks: global ignore=because")],
            [(8, "unknown code 'because' in python-docker-hooks pragma")],
        ),
        (
            [(8, "# python-docker-hooks: ignore=PDH101")],
            [(8, "python-docker-hooks pragma is not followed by an instruction")],
        ),
        # hadolint's own codes that we do not map are its business, not ours.
        ([(2, "# hadolint ignore=DL3008 SC2086")], []),
        ([(8, "# hadolint ignore=DL3042")], []),
    ],
)
def test_suppression_warnings(
    comments: list[tuple[int, str]], warnings: list[tuple[int, str]]
) -> None:
    assert build_suppressions(comments, INSTRUCTIONS, resolve).warnings == warnings


def test_unknown_code_does_not_stop_the_known_ones() -> None:
    suppressions = build_suppressions(
        [(2, "# python-docker-hooks: ignore=PDH999, PDH101")], INSTRUCTIONS, resolve
    )
    assert suppressions.is_suppressed("PDH101", 5)


def test_resolve_not_called_without_pragmas() -> None:
    def fail(code: str) -> tuple[str, ...]:
        raise AssertionError(code)

    suppressions = build_suppressions(
        [(2, "# hadolint: this explains things"), (4, "# ignore=PDH101")],
        INSTRUCTIONS,
        fail,
    )
    assert not suppressions.is_suppressed("PDH101", 5)


def test_resolve_called_once_per_code() -> None:
    calls: list[str] = []

    def counting(code: str) -> tuple[str, ...]:
        calls.append(code)
        return resolve(code)

    build_suppressions(
        [
            (2, "# hadolint ignore=DL3042"),
            (4, "# python-docker-hooks: ignore=DL3042,PDH101"),
            (8, "# hadolint global ignore=DL3042"),
        ],
        INSTRUCTIONS,
        counting,
    )
    assert calls == ["DL3042", "PDH101"]


def test_instruction_order_does_not_matter() -> None:
    suppressions = build_suppressions(
        [(2, "# python-docker-hooks: ignore=PDH101")],
        [(7, 7), (1, 1), (5, 6)],
        resolve,
    )
    assert suppressions.is_suppressed("PDH101", 6)
    assert not suppressions.is_suppressed("PDH101", 7)
