"""label-maintainer: catches, does-not-catch and fixes-to tables, run through the hook."""

from __future__ import annotations

from pathlib import Path

import pytest
from hookrun import LISTING_B, as_bytes, run

from python_docker_hooks._dockerfile.words import literal_word, process_word

HOOK = "label_maintainer"
L = 'LABEL maintainer="team@example.com"\n'


def deprecated(pos: str, fixable: bool = True) -> str:
    line = f"{pos}: PDH701 `MAINTAINER` is deprecated; use `LABEL maintainer=...`"
    return line + " [*]" if fixable else line


def missing(pos: str, base: str | None = None) -> str:
    # No `maintainer` option in these runs: no fix. A base whose labels are
    # not known (`x`, a local name) may carry the label: said so.
    line = (
        f"{pos}: PDH702 shipped image has no `maintainer` "
        "(or `org.opencontainers.image.authors`) label"
    )
    if base is not None:
        line += f", unless its base image `{base}`, whose labels are not known, sets one"
    return line


# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
CATCHES = [
    pytest.param(
        "FROM python:3.12-slim\nMAINTAINER Jane <j@x>\n",
        [deprecated("2:1")],
        id="maintainer",
    ),
    pytest.param("FROM python:3.12-slim\n", [missing("1:1")], id="no-label"),
    # A base passes its labels on: nginx's names NGINX's maintainers, and a
    # vendor's or a local image may carry one.
    pytest.param(
        "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n",
        [
            missing("1:1") + " of its own: its base image `nginx:1.27` gives it "
            "`maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>`"
        ],
        id="nginx-label-is-the-base-s",
    ),
    pytest.param(
        "FROM tiangolo/uvicorn-gunicorn:python3.11\n",
        [missing("1:1", "tiangolo/uvicorn-gunicorn:python3.11")],
        id="vendor-image-labels-not-known",
    ),
    pytest.param("ARG BASE\nFROM ${BASE}\n", [missing("2:1", "${BASE}")], id="base-from-a-variable"),
    pytest.param("FROM mycorp/app-base:1.0 AS base\nFROM base\n", [missing("2:1", "mycorp/app-base:1.0")], id="local-base-through-a-stage"),
    pytest.param(
        "FROM python:3.12-slim AS build\n" + L + "FROM python:3.12-slim\n",
        [missing("3:1")],
        id="label-only-in-a-build-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim\nLABEL version=1.0 org.opencontainers.image.title=app\n",
        [missing("1:1")],
        id="other-labels",
    ),
    pytest.param(
        "FROM a AS one\nMAINTAINER x\nFROM b\nMAINTAINER y\n",
        [deprecated("2:1"), deprecated("4:1")],
        id="every-maintainer",
    ),
    pytest.param(
        "FROM python:3.12-slim\nMAINTAINER Jane \\\n# who\n  Doe\n",
        [deprecated("2:1", fixable=False)],
        id="continuation-with-comment-not-fixed",
    ),
    # The rows every table has.
    pytest.param(b"FROM x\r\nMAINTAINER Jane\r\n", [deprecated("2:1")], id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM x\n", [missing("1:1", "x")], id="bom"),
    pytest.param("FROM x\nMAINTAINER Jane", [deprecated("2:1")], id="no-final-newline"),
    pytest.param("from x\nmaintainer Jane\n", [deprecated("2:1")], id="lowercase"),
    pytest.param(
        "# escape=`\nFROM x\nMAINTAINER C:\\Users\\jane\n",
        [deprecated("3:1")],
        id="escape-backtick",
    ),
    pytest.param(
        "FROM x\nRUN echo a \\\n# comment\n  b\n",
        [missing("1:1", "x")],
        id="comment-in-continuation",
    ),
    pytest.param(
        "FROM x\nCOPY <<EOF /labels\nLABEL maintainer=x\nEOF\n",
        [missing("1:1", "x")],
        id="heredoc-body-is-not-a-label",
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=PDH701\nMAINTAINER Jane\nFROM y\n",
        [missing("4:1", "y")],
        id="suppressed-one-code",
    ),
]

DOES_NOT_CATCH = [
    pytest.param("FROM python:3.12-slim\n" + L, id="label"),
    pytest.param(
        'FROM x\nLABEL org.opencontainers.image.authors="Jane <j@x>"\n',
        id="oci-authors",
    ),
    pytest.param('FROM x\nLABEL "maintainer"="Jane"\n', id="quoted-key"),
    pytest.param("FROM x\nLABEL Maintainer=Jane\n", id="key-case"),
    pytest.param("FROM x\nLABEL maintainer Jane Doe\n", id="legacy-label-form"),
    pytest.param("FROM x AS base\n" + L + "FROM base\n", id="inherited"),
    pytest.param("FROM x\nLABEL a=1 \\\n    maintainer=team\n", id="second-pair"),
    pytest.param(LISTING_B, id="seed-listing-b"),
    # The rows every table has.
    pytest.param(b"FROM x\r\n" + L.encode().replace(b"\n", b"\r\n"), id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM x\n" + L.encode(), id="bom"),
    pytest.param("FROM x\n" + L.rstrip("\n"), id="no-final-newline"),
    pytest.param("from x\nlabel maintainer=team\n", id="lowercase"),
    pytest.param(
        "# escape=`\nFROM x\nLABEL maintainer=team `\n    version=1\n",
        id="escape-backtick",
    ),
    pytest.param(
        "FROM x\nLABEL a=1 \\\n# who\n    maintainer=team\n",
        id="comment-in-continuation",
    ),
    pytest.param("FROM x\n" + L + "RUN <<EOF\necho MAINTAINER x\nEOF\n", id="heredoc"),
    pytest.param("# python-docker-hooks: ignore=PDH702\nFROM x\n", id="suppressed"),
    pytest.param(
        "# python-docker-hooks: global ignore=PDH701,PDH702\nFROM x\nMAINTAINER y\n",
        id="suppressed-globally",
    ),
    pytest.param(
        "# hadolint ignore=DL4000\nFROM x\n"
        + L
        + "# hadolint ignore=DL4000\nMAINTAINER y\n",
        id="hadolint-pragma",
    ),
    pytest.param(
        "# check=skip=MaintainerDeprecated\nFROM x\nMAINTAINER y\n",
        id="buildkit-check-skip",
    ),
]

FIXES_TO = [
    pytest.param(
        "FROM x\nMAINTAINER Jane Doe <jane@example.com>\n",
        'FROM x\nLABEL maintainer="Jane Doe <jane@example.com>"\n',
        id="maintainer",
    ),
    pytest.param(
        'FROM x\nMAINTAINER Jane "JD" Doe costs $5\n',
        'FROM x\nLABEL maintainer="Jane \\"JD\\" Doe costs \\$5"\n',
        id="quotes-and-dollar-escaped",
    ),
    pytest.param(
        "FROM x\nMAINTAINER   spaced    words  \n",
        'FROM x\nLABEL   maintainer="spaced    words"  \n',
        id="inner-blanks-kept",
    ),
    # The rows every table has.
    pytest.param(
        b"FROM x\r\nMAINTAINER Jane\r\n",
        b'FROM x\r\nLABEL maintainer="Jane"\r\n',
        id="crlf",
    ),
    pytest.param(
        b"\xef\xbb\xbfFROM x\nMAINTAINER Jane\n",
        b'\xef\xbb\xbfFROM x\nLABEL maintainer="Jane"\n',
        id="bom",
    ),
    pytest.param(
        "FROM x\nMAINTAINER Jane",
        'FROM x\nLABEL maintainer="Jane"',
        id="no-final-newline",
    ),
    pytest.param(
        "from x\nmaintainer Jane\n", 'from x\nLABEL maintainer="Jane"\n', id="lowercase"
    ),
    pytest.param(
        '# escape=`\nFROM x\nMAINTAINER C:\\jane "j`"\n',
        '# escape=`\nFROM x\nLABEL maintainer="C:\\jane `"j```""\n',
        id="escape-backtick",
    ),
    pytest.param(
        "FROM x\nRUN a \\\n# c\n  b\nMAINTAINER Jane\n",
        'FROM x\nRUN a \\\n# c\n  b\nLABEL maintainer="Jane"\n',
        id="comment-in-continuation-elsewhere",
    ),
    pytest.param(
        "FROM x\nRUN <<EOF\necho hi\nEOF\nMAINTAINER Jane\n",
        'FROM x\nRUN <<EOF\necho hi\nEOF\nLABEL maintainer="Jane"\n',
        id="heredoc",
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=PDH701\nMAINTAINER a\nMAINTAINER b\n",
        'FROM x\n# python-docker-hooks: ignore=PDH701\nMAINTAINER a\nLABEL maintainer="b"\n',
        id="suppressed-one-stays",
    ),
]


@pytest.mark.parametrize(
    "value",
    ["Jane", 'a "b" c', "$HOME ${X}", "back\\slash\\", "tick`s", "<j@x> (team)"],
)
@pytest.mark.parametrize("escape", ["\\", "`"])
def test_label_value_is_the_maintainer_text(value: str, escape: str) -> None:
    """BuildKit takes MAINTAINER's argument literally; the label word processes
    to exactly that text."""
    word = literal_word(value, escape)
    assert word is not None
    assert process_word(word, escape) == (("lit", value),)


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_buildkit_reads_the_label(before: str | bytes, after: str | bytes) -> None:
    dockerfile = pytest.importorskip("dockerfile")
    from python_docker_hooks._dockerfile.parse import parse
    from python_docker_hooks._dockerfile.text import decode

    old_text, _ = decode(as_bytes(before))
    new_text, _ = decode(as_bytes(after))
    escape = parse(new_text).escape
    old = [
        c for c in dockerfile.parse_string(old_text) if c.cmd.upper() == "MAINTAINER"
    ]
    new = {
        str(k): process_word(str(v), escape)
        for c in dockerfile.parse_string(new_text)
        if c.cmd.upper() == "LABEL"
        for k, v in zip(c.value[0::2], c.value[1::2])
    }
    if "python-docker-hooks:" in new_text:
        old = old[1:]
    assert [(("lit", c.value[0]),) for c in old] == [new["maintainer"]] * len(old)


@pytest.mark.parametrize(
    ("pyproject", "code", "lines", "after"),
    [
        pytest.param(
            '[tool.python-docker-hooks.label-maintainer]\nmaintainer = "Team <t@x>"\n',
            1,
            [
                (
                    "2:1: PDH702 shipped image has no `maintainer` "
                    "(or `org.opencontainers.image.authors`) label (fixed)"
                ),
                "Fixing",
            ],
            '# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nARG V\nLABEL maintainer="Team <t@x>"\nCMD ["python"]\n',
            id="maintainer-option-fixes",
        ),
        pytest.param(
            "[tool.python-docker-hooks.label-maintainer]\nmaintainer = 1\n",
            2,
            [
                (
                    'pyproject.toml: option "maintainer" in [tool.python-docker-hooks.'
                    "label-maintainer] must be a string, not an integer"
                )
            ],
            None,
            id="wrong-type",
        ),
    ],
)
def test_maintainer_option(
    pyproject: str,
    code: int,
    lines: list[str],
    after: str | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    content = (
        '# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nARG V\nCMD ["python"]\n'
    )
    result = run(HOOK, content, tmp_path, capsys)
    clear_cache()
    assert (result.code, result.lines) == (code, lines)
    assert result.data == (after or content).encode()
