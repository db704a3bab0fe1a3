"""pip-no-cache-dir: what it catches, what it leaves alone, and what it fixes to.

Each table runs through the hook's ``main`` (a real file, as pre-commit runs it)
and through the pure ``process`` function. Rows are whole Dockerfiles; expected
lines are ``line:col: CODE message`` with the path taken off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hookrun import ALPINE_STEP, LISTING_B, HookRun, pure
from tables import (  # noqa: F401
    test_catches,
    test_does_not_catch,
    test_fixes_to,
    test_unfixable_catches_leave_the_file_alone,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    Hook = Callable[..., HookRun]

HOOK = "pip_no_cache_dir"
PIP = "PDH101 `pip install` without `--no-cache-dir` leaves the package cache in the image"
UV = (
    "PDH102 `uv pip install` without `--no-cache` leaves the package cache in the image"
)


def pip(pos: str) -> str:
    """A fixable PDH101 line as ``--no-fix`` prints it."""
    return f"{pos}: {PIP} [*]"


def uv(pos: str) -> str:
    return f"{pos}: {UV} [*]"


# Valid Python that a shell would read as a `pip install x` command on line 4 of
# the body: after `'it\'` the shell opens a quote that the `'''` closes.
PY_BODY = "s = 'it\\'s'\nt = '''\npip install x\n'''\n"

F = "FROM python:3.12-slim\n"

CATCHES = [
    pytest.param(F + "RUN pip install flask\n", [pip("2:9")], id="pip"),
    pytest.param(F + "RUN pip3 install flask\n", [pip("2:10")], id="pip3"),
    pytest.param(F + "RUN pip3.12 install flask\n", [pip("2:13")], id="pip3.12"),
    pytest.param(F + "RUN python -m pip install flask\n", [pip("2:19")], id="python-m"),
    pytest.param(
        F + "RUN python3.12 -m pip install flask\n", [pip("2:23")], id="python3.12-m"
    ),
    pytest.param(F + "RUN python -Im pip install x\n", [pip("2:20")], id="python-Im"),
    pytest.param(
        F + "RUN python -W ignore -m pip install x\n", [pip("2:29")], id="python-W"
    ),
    pytest.param(
        F + "RUN /usr/local/bin/pip install flask\n", [pip("2:24")], id="pip-path"
    ),
    pytest.param(F + 'RUN ["pip", "install", "flask"]\n', [pip("2:13")], id="exec"),
    pytest.param(
        F + 'RUN ["python3", "-m", "pip", "install", "x"]\n',
        [pip("2:30")],
        id="exec-python-m",
    ),
    pytest.param(
        F + 'RUN ["sudo", "pip", "install", "x"]\n', [pip("2:21")], id="exec-sudo"
    ),
    pytest.param(
        F + 'RUN ["sh", "-c", "pip install x"]\n', [pip("2:23")], id="exec-sh-c"
    ),
    pytest.param(
        F + 'RUN ["bash", "-l", "-c", "echo \\"go\\" && pip install x"]\n',
        [pip("2:46")],
        id="exec-sh-c-json-escapes",
    ),
    pytest.param(F + "RUN sh -c 'pip install x'\n", [pip("2:16")], id="sh-c"),
    pytest.param(
        F + "RUN <<EOF\nset -e\npip install flask\nEOF\n", [pip("4:5")], id="heredoc"
    ),
    pytest.param(
        F + "RUN bash <<'EOF'\npip install flask\nEOF\n",
        [pip("3:5")],
        id="heredoc-bash",
    ),
    pytest.param(
        F + "RUN python3 <<EOF\n" + PY_BODY + "EOF\nRUN pip install x\n",
        [pip("8:9")],
        id="python-heredoc-then-run",
    ),
    pytest.param(
        F + "RUN pip install x && pip install --no-cache-dir y; pip3 install z\n",
        [pip("2:9"), pip("2:57")],
        id="two-of-three-on-one-line",
    ),
    pytest.param(
        F + "RUN pip --disable-pip-version-check install x\n",
        [pip("2:37")],
        id="global-option",
    ),
    pytest.param(F + "ONBUILD RUN pip install x\n", [pip("2:17")], id="onbuild"),
    pytest.param(F + "RUN sudo pip install x\n", [pip("2:14")], id="sudo"),
    pytest.param(
        F + "RUN if [ -f r.txt ]; then pip install -r r.txt; fi\n",
        [pip("2:31")],
        id="if-then",
    ),
    pytest.param(F + "RUN echo $(pip install x)\n", [pip("2:16")], id="substitution"),
    pytest.param(F + "RUN echo `pip install x`\n", [pip("2:15")], id="backticks"),
    pytest.param(
        F + "RUN PIP_NO_CACHE_DIR=0 pip install x\n", [pip("2:28")], id="inline-0"
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=false\nRUN pip install x\n",
        [pip("3:9")],
        id="env-false",
    ),
    pytest.param(
        F + "RUN PIP_NO_CACHE_DIR=1 true && pip install x\n",
        [pip("2:36")],
        id="inline-for-another-command",
    ),
    pytest.param(
        F + "RUN pip install x && export PIP_NO_CACHE_DIR=1\n",
        [pip("2:9")],
        id="export-after",
    ),
    pytest.param(
        F + "RUN export PIP_NO_CACHE_DIR=1\nRUN pip install x\n",
        [pip("3:9")],
        id="export-in-earlier-run",
    ),
    pytest.param(
        F + "RUN pip install x\nENV PIP_NO_CACHE_DIR=1\n", [pip("2:9")], id="env-after"
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\n"
        "FROM python:3.12-slim AS final\nRUN pip install x\n",
        [pip("4:9")],
        id="env-in-unrelated-stage",
    ),
    pytest.param(
        "ARG PIP_NO_CACHE_DIR=1\n" + F + "RUN pip install x\n",
        [pip("3:9")],
        id="global-arg-not-redeclared",
    ),
    pytest.param(
        F + "RUN --mount=type=bind,target=/root/.cache/pip pip install x\n",
        [pip("2:51")],
        id="bind-mount",
    ),
    pytest.param(
        F + "RUN --mount=type=cache,target=/root/.cache/pip-tools pip install x\n",
        [pip("2:58")],
        id="cache-mount-elsewhere",
    ),
    pytest.param(
        F + "RUN --mount=type=cache,target=/root/.cache/pip true\nRUN pip install x\n",
        [pip("3:9")],
        id="cache-mount-on-another-run",
    ),
    pytest.param(F + "RUN uv pip install httpx\n", [uv("2:12")], id="uv"),
    pytest.param(
        F + "RUN uv --cache-dir /uv pip install httpx\n", [uv("2:28")], id="uv-option"
    ),
    pytest.param(
        F + "RUN --mount=type=cache,target=/root/.cache/pip uv pip install x\n",
        [uv("2:55")],
        id="uv-pip-cache-mount",
    ),
    pytest.param(
        F + "RUN uv pip install x && pip install y\n",
        [uv("2:12"), pip("2:29")],
        id="uv-and-pip",
    ),
    # The rows every table has.
    pytest.param(
        "FROM python:3.12-slim\r\nRUN pip install x\r\n", [pip("2:9")], id="crlf"
    ),
    pytest.param(
        "\ufeffFROM python:3.12-slim\nRUN pip install x\n", [pip("2:9")], id="bom"
    ),
    pytest.param(F + "RUN pip install x", [pip("2:9")], id="no-final-newline"),
    pytest.param(
        "from python:3.12-slim\nrun pip install x\n", [pip("2:9")], id="lowercase"
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nRUN pip `\n    install x\n",
        [pip("4:5")],
        id="escape-backtick",
    ),
    pytest.param(
        F + "RUN echo start \\\n# pip install --no-cache-dir y\n && pip install x\n",
        [pip("4:9")],
        id="continuation-with-comment",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH102\nRUN pip install x\n",
        [pip("3:9")],
        id="pragma-for-another-code",
    ),
    pytest.param(
        F + "# hadolint ignore=DL3042\nRUN pip install x\nRUN pip install y\n",
        [pip("4:9")],
        id="pragma-covers-next-instruction-only",
    ),
    pytest.param(ALPINE_STEP, [pip("2:124"), pip("2:170")], id="seed-alpine-step"),
]


DOES_NOT_CATCH = [
    pytest.param(F + "RUN pip install --no-cache-dir flask\n", id="option"),
    pytest.param(F + "RUN pip install flask --no-cache-dir\n", id="option-last"),
    pytest.param(F + "RUN pip --no-cache-dir install flask\n", id="option-global"),
    pytest.param(
        F + "RUN python -m pip install --no-cache-dir -U pip\n", id="python-m-option"
    ),
    pytest.param(
        F + 'RUN ["pip", "install", "--no-cache-dir", "x"]\n', id="exec-option"
    ),
    pytest.param(F + "RUN PIP_NO_CACHE_DIR=1 pip install x\n", id="inline-1"),
    pytest.param(F + "RUN PIP_NO_CACHE_DIR=TRUE pip install x\n", id="inline-TRUE"),
    pytest.param(F + 'RUN PIP_NO_CACHE_DIR="On" pip install x\n', id="inline-On"),
    pytest.param(F + "RUN PIP_NO_CACHE_DIR=yes pip install x\n", id="inline-yes"),
    pytest.param(F + "RUN env PIP_NO_CACHE_DIR=1 pip install x\n", id="env-command"),
    pytest.param(
        F + 'RUN ["env", "PIP_NO_CACHE_DIR=1", "pip", "install", "x"]\n',
        id="exec-env-command",
    ),
    pytest.param(
        F + "RUN export PIP_NO_CACHE_DIR=true && pip install x\n", id="export"
    ),
    pytest.param(
        F + "RUN <<EOF\nexport PIP_NO_CACHE_DIR=1\npip install x\nEOF\n",
        id="export-in-heredoc",
    ),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n", id="env"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR 1\nRUN pip install x\n", id="env-legacy"),
    pytest.param(
        F + 'ENV PIP_NO_CACHE_DIR="true"\nRUN ["pip", "install", "x"]\n',
        id="env-exec-form",
    ),
    pytest.param(
        F + "ARG NOCACHE=on\nENV PIP_NO_CACHE_DIR=${NOCACHE}\nRUN pip install x\n",
        id="env-from-arg",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\n"
        "FROM base AS final\nRUN pip install x\n",
        id="env-inherited",
    ),
    pytest.param(F + "ARG PIP_NO_CACHE_DIR=1\nRUN pip install x\n", id="arg"),
    pytest.param(
        "ARG PIP_NO_CACHE_DIR=1\n" + F + "ARG PIP_NO_CACHE_DIR\nRUN pip install x\n",
        id="global-arg-redeclared",
    ),
    pytest.param(
        F + "RUN --mount=type=cache,target=/root/.cache/pip pip install x\n",
        id="cache-mount",
    ),
    pytest.param(
        F + "RUN --mount=type=cache,id=pip,target=/root/.cache/pip,sharing=locked"
        " \\\n    pip install -r requirements.txt\n",
        id="cache-mount-options",
    ),
    pytest.param(
        F + "RUN --mount=target=/root/.cache,type=cache pip install x\n",
        id="cache-mount-on-cache-root",
    ),
    pytest.param(
        F + "RUN --mount=type=tmpfs,target=/root/.cache/pip pip install x\n",
        id="tmpfs-mount",
    ),
    pytest.param(
        F
        + "RUN --mount=type=cache,target=/root/.cache/pip <<EOF\npip install x\nEOF\n",
        id="cache-mount-heredoc",
    ),
    pytest.param(
        F + "RUN pipx install black && pipenv install --system\n", id="pipx-pipenv"
    ),
    pytest.param(
        F + "RUN pip download -d /w x && pip wheel -w /w x && pip3 uninstall -y x\n",
        id="download-wheel-uninstall",
    ),
    pytest.param(F + "RUN pip --version && pip list\n", id="no-install"),
    pytest.param(F + 'RUN echo "pip install x"\n', id="echo-text"),
    pytest.param(F + "RUN echo ok # pip install x\n", id="shell-comment"),
    pytest.param(F + 'RUN python -c "import pip" -m pip install x\n', id="python-c"),
    pytest.param(F + "RUN uv pip install --no-cache httpx\n", id="uv-option"),
    pytest.param(F + "RUN uv pip install -n httpx\n", id="uv-n"),
    pytest.param(F + "RUN uv --no-cache pip install httpx\n", id="uv-global-option"),
    pytest.param(F + "RUN uv pip install --no-cache-dir httpx\n", id="uv-pip-alias"),
    pytest.param(F + "ENV UV_NO_CACHE=1\nRUN uv pip install x\n", id="uv-env"),
    pytest.param(F + "RUN UV_NO_CACHE=true uv pip install x\n", id="uv-inline"),
    pytest.param(
        F + "RUN --mount=type=cache,target=/root/.cache/uv uv pip install x\n",
        id="uv-cache-mount",
    ),
    pytest.param(
        F + "RUN cat <<EOF > /etc/motd\npip install x\nEOF\n", id="heredoc-is-data"
    ),
    pytest.param(F + "COPY <<EOF /setup.sh\npip install x\nEOF\n", id="copy-heredoc"),
    pytest.param(
        F + "RUN <<EOF\npip install --no-cache-dir x\nEOF\n", id="heredoc-with-option"
    ),
    pytest.param(F + "RUN python3 <<EOF\n" + PY_BODY + "EOF\n", id="python-heredoc"),
    # The rows every table has.
    pytest.param(
        "FROM python:3.12-slim\r\nRUN pip install --no-cache-dir x\r\n", id="crlf"
    ),
    pytest.param(
        "\ufeffFROM python:3.12-slim\nRUN pip install --no-cache-dir x\n", id="bom"
    ),
    pytest.param(F + "RUN pip install --no-cache-dir x", id="no-final-newline"),
    pytest.param(
        "from python:3.12-slim\nenv PIP_NO_CACHE_DIR=1\nrun pip install x\n",
        id="lowercase",
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12-slim\nRUN pip install `\n    --no-cache-dir x\n",
        id="escape-backtick",
    ),
    pytest.param(
        F + "RUN pip install --no-cache-dir x \\\n# pip install y\n && echo done\n",
        id="continuation-with-comment",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH101\nRUN pip install x\n",
        id="pragma",
    ),
    pytest.param(F + "# hadolint ignore=DL3042\nRUN pip install x\n", id="hadolint"),
    pytest.param(
        "# python-docker-hooks: global ignore=PDH101,PDH102\n"
        + F
        + "RUN pip install x && uv pip install y\n",
        id="global-pragma",
    ),
    pytest.param(
        F + "# hadolint ignore=DL3042\nRUN pip install \\\n    # why\n    x\n",
        id="pragma-over-continuation",
    ),
    pytest.param(LISTING_B, id="seed-listing-b"),
]


FIXES_TO = [
    pytest.param(
        F + "RUN pip install flask\n",
        F + "RUN pip install --no-cache-dir flask\n",
        id="pip",
    ),
    pytest.param(
        F + "RUN python3.12 -m pip install -U pip\n",
        F + "RUN python3.12 -m pip install --no-cache-dir -U pip\n",
        id="python-m",
    ),
    pytest.param(
        F + 'RUN ["pip", "install", "flask"]\n',
        F + 'RUN ["pip", "install", "--no-cache-dir", "flask"]\n',
        id="exec",
    ),
    pytest.param(
        F + 'RUN ["pip", \\\n    "install", "flask"]\n',
        F + 'RUN ["pip", \\\n    "install", "--no-cache-dir", "flask"]\n',
        id="exec-continued",
    ),
    pytest.param(
        F + 'RUN ["sh", "-c", "pip install x"]\n',
        F + 'RUN ["sh", "-c", "pip install --no-cache-dir x"]\n',
        id="exec-sh-c",
    ),
    pytest.param(
        F + 'RUN ["bash", "-o", "pipefail", "-ec", "pip install x | cat"]\n',
        F
        + 'RUN ["bash", "-o", "pipefail", "-ec", "pip install --no-cache-dir x | cat"]\n',
        id="exec-bash-o-c",
    ),
    pytest.param(
        F + 'RUN ["sh", "-c", "echo \\u00e9 \\"ok\\" && pip install x"]\n',
        F
        + 'RUN ["sh", "-c", "echo \\u00e9 \\"ok\\" && pip install --no-cache-dir x"]\n',
        id="exec-sh-c-json-escapes",
    ),
    pytest.param(
        F + "RUN <<EOF\nset -e\npip install x\nEOF\n",
        F + "RUN <<EOF\nset -e\npip install --no-cache-dir x\nEOF\n",
        id="heredoc",
    ),
    pytest.param(
        F + "RUN python3 <<EOF\n" + PY_BODY + "EOF\nRUN pip install x\n",
        F + "RUN python3 <<EOF\n" + PY_BODY + "EOF\nRUN pip install --no-cache-dir x\n",
        id="python-heredoc-untouched",
    ),
    pytest.param(
        F + "RUN uv pip install --system httpx\n",
        F + "RUN uv pip install --no-cache --system httpx\n",
        id="uv",
    ),
    pytest.param(
        F + "RUN pip install a && pip3 install b; uv pip install c\n",
        F + "RUN pip install --no-cache-dir a && pip3 install --no-cache-dir b;"
        " uv pip install --no-cache c\n",
        id="three-on-one-line",
    ),
    pytest.param(
        F + "RUN pip --disable-pip-version-check install x\n",
        F + "RUN pip --disable-pip-version-check install --no-cache-dir x\n",
        id="global-option",
    ),
    pytest.param(
        F + "ONBUILD RUN pip install x\n",
        F + "ONBUILD RUN pip install --no-cache-dir x\n",
        id="onbuild",
    ),
    pytest.param(
        F + "RUN pip install \\\n    -r requirements.txt\n",
        F + "RUN pip install --no-cache-dir \\\n    -r requirements.txt\n",
        id="install-ends-line",
    ),
    pytest.param(
        ALPINE_STEP,
        ALPINE_STEP.replace(
            "pip install --upgrade", "pip install --no-cache-dir --upgrade"
        ),
        id="seed-alpine-step",
    ),
    # The rows every table has.
    pytest.param(
        "FROM python:3.12-slim\r\nRUN pip install x \\\r\n && pip install y\r\n",
        "FROM python:3.12-slim\r\nRUN pip install --no-cache-dir x \\\r\n"
        " && pip install --no-cache-dir y\r\n",
        id="crlf",
    ),
    pytest.param(
        "\ufeffFROM python:3.12-slim\nRUN pip install x\n",
        "\ufeffFROM python:3.12-slim\nRUN pip install --no-cache-dir x\n",
        id="bom",
    ),
    pytest.param(
        F + "RUN pip install x",
        F + "RUN pip install --no-cache-dir x",
        id="no-final-newline",
    ),
    pytest.param(
        "from python:3.12-slim\nrun pip install x\n",
        "from python:3.12-slim\nrun pip install --no-cache-dir x\n",
        id="lowercase",
    ),
    pytest.param(
        "# escape=`\r\nFROM python:3.12-slim\r\nRUN pip `\r\n    install x\r\n",
        "# escape=`\r\nFROM python:3.12-slim\r\nRUN pip `\r\n"
        "    install --no-cache-dir x\r\n",
        id="escape-backtick",
    ),
    pytest.param(
        F + "RUN pip install x \\\n# pip install y\n && pip install z\n",
        F + "RUN pip install --no-cache-dir x \\\n# pip install y\n"
        " && pip install --no-cache-dir z\n",
        id="continuation-with-comment",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH101\nRUN pip install x\n"
        "RUN pip install y\n",
        F + "# python-docker-hooks: ignore=PDH101\nRUN pip install x\n"
        "RUN pip install --no-cache-dir y\n",
        id="pragma",
    ),
    pytest.param(
        F + "# hadolint ignore=DL3042\nRUN pip install x && uv pip install y\n",
        F
        + "# hadolint ignore=DL3042\nRUN pip install x && uv pip install --no-cache y\n",
        id="hadolint-pragma-keeps-uv",
    ),
]


def test_fix_reports_positions_in_the_original_file(hook: Hook) -> None:
    text = F + "RUN pip install a && uv pip install b\nRUN pip3 install c\n"
    result = hook(text)
    assert result.lines == [
        f"2:9: {PIP} (fixed)",
        f"2:29: {UV} (fixed)",
        f"3:10: {PIP} (fixed)",
        "Fixing",
    ]


def test_exit_code_and_message_for_both_rules_in_one_run(hook: Hook) -> None:
    text = F + "RUN uv pip install x\nRUN pip install y\n"
    assert hook(text, "--no-fix").lines == [uv("2:12"), pip("3:9")]


# Model facts this hook relies on: ARG values stay in their stage, and a heredoc
# script with a #! line runs in that interpreter, not in the shell.
MODEL_ROWS = [
    pytest.param(
        "FROM python:3.12-slim AS base\nARG PIP_NO_CACHE_DIR=1\n"
        "FROM base\nRUN pip install x\n",
        [pip("4:9")],
        id="arg-does-not-cross-stages",
    ),
    pytest.param(
        F + "RUN <<EOF\n#!/usr/bin/env python3\n" + PY_BODY + "EOF\n",
        [],
        id="shebang-python-heredoc",
    ),
    pytest.param(
        F + "RUN <<EOF\n#!/bin/bash\npip install x\nEOF\n",
        [pip("4:5")],
        id="shebang-shell-heredoc",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MODEL_ROWS)
def test_model_facts(text: str, expected: list[str]) -> None:
    assert pure(HOOK, text.encode(), "--no-fix").lines == expected
