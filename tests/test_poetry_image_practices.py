"""poetry-image-practices: catches and does-not-catch tables, run through the hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from hookrun import HookRun

    Hook = Callable[..., HookRun]

HOOK = "poetry_image_practices"
F = "FROM python:3.12-slim\n"
BOM = "\ufeff"
PINNED = "RUN pip install --no-cache-dir poetry==2.1.3\n"
LOCK = "COPY pyproject.toml poetry.lock ./\n"
# Every practice followed: the base of the does-not-catch rows.
GOOD = F + PINNED + LOCK + "RUN poetry install --only main --no-root && rm -rf /root/.cache/pypoetry\n"


def pin(pos: str, what: str) -> str:
    return f"{pos}: PDH121 `{what}` does not pin Poetry: install `poetry==X.Y.Z`"


INSTALLER = (
    "PDH121 the official Poetry installer installs the newest Poetry: set "
    "`POETRY_VERSION` (or pass `--version X.Y.Z` to the installer)"
)


# The fix of PDH122 is unsafe: a run without --unsafe-fixes shows no `[*]`.
def dev(pos: str, verb: str = "install") -> str:
    return (
        f"{pos}: PDH122 `poetry {verb}` installs every non-optional group, `dev` "
        "included: add `--only main` (or `--without dev`)"
    )


def cache(pos: str, artifacts: str = "/root/.cache/pypoetry/artifacts", verb: str = "install") -> str:
    return (
        f"{pos}: PDH123 `poetry {verb}` leaves Poetry's artifacts cache (`{artifacts}`) in "
        "the image (`--no-cache` does not turn it off): remove it in the same RUN, or "
        "mount a cache there"
    )


RM = " && rm -rf /root/.cache/pypoetry\n"

# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
# A builder stage that installs every group and builds the wheel; the last
# line of each row says what the final stage takes from it.
BUILDER = (
    "FROM python:3.12-slim AS build\n" + PINNED + "WORKDIR /src\nCOPY . .\n"
    "RUN poetry install --no-root && poetry run mkdocs build && poetry build" + RM
    + "FROM python:3.12-slim\n"
)

CATCHES = [
    pytest.param(F + "RUN pip install --no-cache-dir poetry\n", [pin("2:9", "pip install poetry")], id="pip"),
    pytest.param(
        F + "RUN pip install --no-cache-dir 'poetry>=1.8'\n",
        [pin("2:9", "pip install poetry>=1.8")],
        id="pip-range",
    ),
    pytest.param(F + "RUN pipx install poetry\n", [pin("2:18", "pipx install poetry")], id="pipx"),
    pytest.param(
        F + "RUN curl -sSL https://install.python-poetry.org | python3 -\n",
        ["2:15: " + INSTALLER],
        id="installer",
    ),
    pytest.param(F + PINNED + LOCK + "RUN poetry install --no-root" + RM, [dev("4:12")], id="all-groups"),
    # The image takes a place the builder's environment may be in.
    pytest.param(
        BUILDER + "COPY --from=build /root/.cache/pypoetry/virtualenvs /root/.cache/pypoetry/virtualenvs\n",
        [dev("5:12")],
        id="builder-cache-virtualenvs-taken",
    ),
    pytest.param(BUILDER + "COPY --from=build /src /app\n", [dev("5:12")], id="builder-project-taken-with-its-venv"),
    pytest.param(
        (BUILDER.replace("RUN poetry install", "RUN <<EOF\npoetry install").replace(RM, RM + "EOF\n")
         + "COPY --from=build /src /app\n").replace("\n", "\r\n"),
        [dev("6:8")],
        id="builder-project-taken-heredoc-crlf",
    ),
    pytest.param(
        BUILDER + "COPY --from=build /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages\n",
        [dev("5:12")],
        id="builder-system-site-packages-taken",
    ),
    pytest.param(
        BUILDER.replace("WORKDIR /src\n", "WORKDIR /src\nENV VIRTUAL_ENV=/opt/venv\n")
        + "COPY --from=build /opt/venv /opt/venv\n",
        [dev("6:12")],
        id="builder-active-venv-taken",
    ),
    pytest.param(
        BUILDER.replace("WORKDIR /src\n", "WORKDIR /src\nRUN poetry config virtualenvs.path /envs\n")
        + "COPY --from=build /envs/app /envs/app\n",
        [dev("6:12")],
        id="builder-virtualenvs-path-configured-not-known",
    ),
    pytest.param(
        BUILDER + "ARG OUT=dist\nCOPY --from=build /src/${OUT} /dist\n",
        [dev("5:12")],
        id="builder-path-taken-from-a-variable-not-known",
    ),
    pytest.param(
        BUILDER + "FROM build AS docs\nFROM python:3.12-slim\nCOPY --from=docs /src/site /srv\nCOPY --from=docs /src/.venv /venv\n",
        [dev("5:12")],
        id="builder-venv-taken-through-a-stage-built-on-it",
    ),
    pytest.param(
        F + PINNED + LOCK + "RUN poetry --directory /app install --without test" + RM,
        [dev("4:29")],
        id="without-another-group",
    ),
    pytest.param(F + PINNED + LOCK + "RUN poetry sync --no-root" + RM, [dev("4:12", "sync")], id="poetry-2-sync"),
    pytest.param(
        F + PINNED + LOCK + "RUN poetry install --only main --no-root\n",
        [cache("4:12")],
        id="cache-left",
    ),
    # --no-cache leaves the artifacts cache on (RepositoryPool's ArtifactCache).
    pytest.param(
        F + PINNED + LOCK + "RUN poetry install --no-cache --only main --no-root\n",
        [cache("4:12")],
        id="no-cache-is-not-enough",
    ),
    pytest.param(
        F + PINNED + LOCK + "ENV POETRY_CACHE_DIR=/opt/poetry-cache\n"
        "RUN poetry install --only main --no-root && rm -rf /root/.cache/pypoetry\n",
        [cache("5:12", "/opt/poetry-cache/artifacts")],
        id="removes-the-wrong-directory",
    ),
    pytest.param(
        F + PINNED + LOCK + "USER app\nRUN poetry install --only main --no-root\n",
        [cache("5:12", "/home/app/.cache/pypoetry/artifacts")],
        id="another-user",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\n" + PINNED + LOCK + "RUN poetry install --only main\nFROM base\n",
        [cache("4:12")],
        id="built-from",
    ),
    # Shapes.
    pytest.param("from python:3.12-slim\nrun pipx install poetry\n", [pin("2:18", "pipx install poetry")], id="lowercase"),
    pytest.param(
        (F + PINNED + LOCK + "RUN poetry install --no-root" + RM).replace("\n", "\r\n"),
        [dev("4:12")],
        id="crlf",
    ),
    pytest.param(BOM + F + PINNED + LOCK + "RUN poetry install --no-root" + RM, [dev("4:12")], id="bom"),
    pytest.param(
        F + PINNED + LOCK + "RUN poetry install --no-root && rm -rf /root/.cache/pypoetry",
        [dev("4:12")],
        id="no-final-newline",
    ),
    pytest.param(
        "# escape=`\n" + F + PINNED + LOCK + "RUN poetry install `\n  --no-root" + RM,
        [dev("5:12")],
        id="backtick-escape",
    ),
    pytest.param(
        F + PINNED + LOCK + "RUN poetry install \\\n# the root later\n  --no-root" + RM,
        [dev("4:12")],
        id="comment-in-continuation",
    ),
    pytest.param(
        F + PINNED + LOCK + "RUN <<EOF\npoetry install --no-root\nrm -rf /root/.cache/pypoetry\nEOF\n",
        [dev("5:8")],
        id="heredoc",
    ),
    pytest.param(
        F + PINNED + LOCK + "# python-docker-hooks: ignore=PDH123\nRUN poetry install --no-root\n",
        [dev("5:12")],
        id="suppressed-one-of-two",
    ),
]

# Dockerfiles every mode leaves alone.
DOES_NOT_CATCH = [
    pytest.param(GOOD, id="good"),
    # The environment stays in the builder: the image takes only the wheel
    # (nautobot's build-nautobot stage), or a file outside every place Poetry
    # may put it.
    pytest.param(BUILDER + "COPY --from=build /src/dist /dist\n", id="builder-only-dist-is-taken"),
    pytest.param(
        (BUILDER.replace("RUN poetry install", "RUN <<EOF\npoetry install").replace(RM, RM + "EOF\n")
         + "COPY --from=build /src/dist /dist\n").replace("\n", "\r\n"),
        id="builder-only-dist-heredoc-crlf",
    ),
    pytest.param(BUILDER + "COPY --from=build /src/dist/*.whl /tmp/\n", id="builder-wheel-by-wildcard"),
    pytest.param(
        BUILDER + "RUN --mount=from=build,source=/src/dist,target=/dist pip install --no-cache-dir /dist/app.whl\n",
        id="builder-dist-mounted",
    ),
    pytest.param(F + "RUN pipx install poetry==2.1.3\n", id="pipx-pinned"),
    pytest.param(F + 'RUN pip install --no-cache-dir "poetry==$POETRY_VERSION"\n', id="pinned-by-variable"),
    pytest.param(
        F + "ENV POETRY_VERSION=2.1.3\nRUN curl -sSL https://install.python-poetry.org | python3 -\n",
        id="installer-variable",
    ),
    pytest.param(
        F + "RUN curl -sSL https://install.python-poetry.org | python3 - --version 2.1.3\n",
        id="installer-version-argument",
    ),
    pytest.param(F + "RUN pip install --no-cache-dir poetry-plugin-export==1.8.0 poetry==2.1.3\n", id="other-package"),
    # The groups, as Poetry's activated_groups computes them.
    pytest.param(F + PINNED + LOCK + "RUN poetry install --without dev,test --no-root" + RM, id="without-dev"),
    pytest.param(F + PINNED + LOCK + "RUN poetry install --without=dev --no-root" + RM, id="without-equals"),
    pytest.param(F + PINNED + LOCK + "RUN poetry install --only=main" + RM, id="only-equals"),
    pytest.param(F + PINNED + LOCK + "RUN poetry install --no-dev --no-root" + RM, id="no-dev-before-2"),
    pytest.param(F + PINNED + "COPY . .\nRUN poetry install --only-root" + RM, id="only-root"),
    pytest.param(
        F + PINNED + LOCK + "ARG ENV\nRUN poetry sync $(if [ \"$ENV\" = production ]; then echo '--only main'; fi)" + RM,
        id="options-from-a-command-substitution-not-known",
    ),
    # The cache kept out of the layer.
    pytest.param(
        F + PINNED + LOCK + "RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install --only main\n",
        id="cache-mount",
    ),
    pytest.param(
        F + PINNED + LOCK + "ENV POETRY_CACHE_DIR=/tmp/poetry_cache\n"
        "RUN poetry install --only main --no-root && rm -rf $POETRY_CACHE_DIR\n",
        id="removes-the-cache-variable",
    ),
    pytest.param(
        F + PINNED + LOCK + "RUN poetry install --only main --no-root && rm -rf ~/.cache/pypoetry/artifacts\n",
        id="removes-the-artifacts",
    ),
    # Stages that do not ship keep their cache in the build's layers.
    pytest.param(
        "FROM python:3.12-slim AS build\n" + PINNED + LOCK + "RUN poetry install --only main\n"
        "FROM python:3.12-slim\nCOPY --from=build /app /app\n",
        id="builder-cache-not-shipped",
    ),
    pytest.param(
        "FROM python:3.12-slim AS test\n" + "RUN pip install poetry && poetry install\n"
        "FROM python:3.12-slim\nCMD [\"python\"]\n",
        id="test-stage-not-built",
    ),
    # Shapes.
    pytest.param(GOOD.replace("FROM", "from").replace("RUN", "run").replace("COPY", "copy").replace("\n", "\r\n").rstrip("\r\n"), id="lowercase-crlf-no-final-newline"),
    pytest.param(BOM + GOOD, id="bom"),
    pytest.param("# escape=`\n" + F + PINNED + LOCK + "RUN poetry install `\n  --only main" + RM, id="backtick-escape"),
    pytest.param(F + PINNED + LOCK + "RUN poetry install \\\n# main only\n  --only main" + RM, id="comment-in-continuation"),
    pytest.param(
        F + PINNED + LOCK + "RUN <<EOF\npoetry install --only main\nrm -rf /root/.cache/pypoetry\nEOF\n", id="heredoc"
    ),
    pytest.param(F + "# python-docker-hooks: ignore=PDH121\nRUN pipx install poetry\n", id="suppressed"),
]


def test_unsafe_fix_inserts_only_main(hook: Hook) -> None:
    text = F + PINNED + LOCK + 'RUN poetry install --no-root' + RM + 'RUN ["poetry", "sync"]\n'
    result = hook(text, "--unsafe-fixes")
    assert result.data == (
        F + PINNED + LOCK + "RUN poetry install --only main --no-root" + RM
        + 'RUN ["poetry", "sync", "--only", "main"]\n'
    ).encode()
    # Without --unsafe-fixes nothing changes.
    assert hook(text).data == text.encode()
