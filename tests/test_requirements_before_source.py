"""requirements-before-source: catches and does-not-catch tables, run through the hook."""

from __future__ import annotations

import pytest
from hookrun import LISTING_B

HOOK = "requirements_before_source"
F = "FROM python:3.12-slim\nWORKDIR /app\n"
BOM = "\ufeff"


def early(pos: str, copy: str, tool: str, line: int) -> str:
    return (
        f"{pos}: PDH611 `{copy}` comes before `{tool}` (line {line}): every source "
        "change re-runs the dependency install; copy the dependency files first, "
        "install, then copy the rest"
    )


PIP_R = "RUN pip install --no-cache-dir -r requirements.txt\n"

# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
CATCHES = [
    pytest.param(F + "COPY . .\n" + PIP_R, [early("3:1", "COPY . .", "pip install", 4)], id="pip-r"),
    pytest.param(
        F + "COPY ./ /app/\nRUN python -m pip install --no-cache-dir .\n",
        [early("3:1", "COPY ./ /app/", "pip install", 4)],
        id="python-m-pip-project",
    ),
    pytest.param(
        F + "ADD . /app\nRUN pip3 install --no-cache-dir -e .\n",
        [early("3:1", "ADD . /app", "pip install", 4)],
        id="add-editable",
    ),
    # pip's command line as pip reads it (the shared facts of the model).
    pytest.param(
        F + "COPY . .\nRUN python3 -Im pip install --no-cache-dir -r requirements.txt\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="python-bundled-m",
    ),
    pytest.param(
        F + "COPY . .\nRUN pip --proxy http://p:3128 install --no-cache -r requirements.txt\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="value-option-before-subcommand",
    ),
    pytest.param(
        F + "COPY . .\nRUN timeout 600 pip install --no-cache-dir -r requirements.txt\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="wrapper",
    ),
    pytest.param(
        F + "COPY . .\nRUN poetry install --no-interaction\n",
        [early("3:1", "COPY . .", "poetry install", 4)],
        id="poetry",
    ),
    pytest.param(
        F + "COPY . .\nRUN pipenv install --deploy --system\n",
        [early("3:1", "COPY . .", "pipenv install", 4)],
        id="pipenv",
    ),
    pytest.param(
        F + "COPY . .\nRUN pdm install --prod\n", [early("3:1", "COPY . .", "pdm install", 4)], id="pdm"
    ),
    pytest.param(
        F + "COPY . .\nRUN uv sync --frozen --no-cache\n",
        [early("3:1", "COPY . .", "uv sync", 4)],
        id="uv-sync",
    ),
    pytest.param(
        F + "COPY . .\nRUN uv pip install --no-cache -r requirements.txt\n",
        [early("3:1", "COPY . .", "uv pip install", 4)],
        id="uv-pip-install-r",
    ),
    pytest.param(
        F + "COPY . .\nRUN uv pip sync --no-cache requirements.lock\n",
        [early("3:1", "COPY . .", "uv pip sync", 4)],
        id="uv-pip-sync",
    ),
    pytest.param(
        F + 'COPY [".", "/app"]\nRUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\n',
        [early("3:1", 'COPY [".", "/app"]', "pip install", 4)],
        id="exec-forms",
    ),
    pytest.param(
        F + "ARG SRC=./src/..\nCOPY $SRC /app\n" + PIP_R,
        [early("4:1", "COPY $SRC /app", "pip install", 5)],
        id="source-expanded-and-cleaned-is-the-context",
    ),
    pytest.param(
        F + "COPY * ./\n" + PIP_R, [early("3:1", "COPY * ./", "pip install", 4)], id="every-entry"
    ),
    pytest.param(
        F + "COPY --chown=app . .\nRUN apt-get update\n" + PIP_R,
        [early("3:1", "COPY . .", "pip install", 5)],
        id="flags-and-other-runs-between",
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\nCOPY . .\n" + PIP_R + "FROM python:3.12-slim\nCOPY . .\n" + PIP_R,
        [
            early("2:1", "COPY . .", "pip install", 3),
            early("5:1", "COPY . .", "pip install", 6),
        ],
        id="each-stage",
    ),
    # Named packages after the broad copy re-run on every source change.
    pytest.param(
        F + "COPY . .\nRUN pip install --no-cache-dir flask gunicorn\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="named-packages",
    ),
    pytest.param(
        F + "COPY . .\nRUN pip install --no-cache-dir -U pip && pip install --no-cache-dir gunicorn\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="named-after-installer-upgrade",
    ),
    # Named packages before the broad copy do not install the project's dependencies.
    pytest.param(
        F + "RUN pip install --no-cache-dir gunicorn\nCOPY . .\n" + PIP_R,
        [early("4:1", "COPY . .", "pip install", 5)],
        id="named-packages-before-do-not-settle",
    ),
    pytest.param(
        F + "COPY . .\nRUN pipenv install requests\n",
        [early("3:1", "COPY . .", "pipenv install", 4)],
        id="pipenv-package",
    ),
    # pip reads an argument with a "/" or starting with "." as a path
    # (_looks_like_path): a project, installed with its dependencies.
    pytest.param(
        F + "COPY . .\nRUN pip install --no-cache-dir src/\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="pip-project-directory",
    ),
    pytest.param(
        F + "COPY . .\nRUN pip install --no-cache-dir ./pkg\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="pip-dot-slash-project",
    ),
    pytest.param(
        F + "COPY . .\nRUN uv pip install --no-cache --system ./pkg\n",
        [early("3:1", "COPY . .", "uv pip install", 4)],
        id="uv-pip-project",
    ),
    # Poetry's global options take their value before the subcommand.
    pytest.param(
        F + "COPY . .\nRUN poetry --directory /app install --no-interaction\n",
        [early("3:1", "COPY . .", "poetry install", 4)],
        id="poetry-directory-before-install",
    ),
    pytest.param(
        F + "COPY . .\nRUN poetry -C /app install\n",
        [early("3:1", "COPY . .", "poetry install", 4)],
        id="poetry-C-before-install",
    ),
    pytest.param(
        F + "COPY . .\nRUN uv --project /app sync --frozen --no-cache\n",
        [early("3:1", "COPY . .", "uv sync", 4)],
        id="uv-project-before-sync",
    ),
    # The broad copy in a stage the install's stage is built FROM.
    pytest.param(
        "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY . .\n"
        "FROM base AS app\n" + PIP_R,
        [early("3:1", "COPY . .", "pip install", 5)],
        id="copy-in-parent-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nCOPY . .\n"
        "FROM base AS a\n" + PIP_R + "FROM base AS b\n" + PIP_R,
        [early("2:1", "COPY . .", "pip install", 4)],
        id="copy-in-parent-reported-once",
    ),
    pytest.param(
        "from python:3.12-slim\ncopy . .\nrun pip install --no-cache-dir -r requirements.txt\n",
        [early("2:1", "COPY . .", "pip install", 3)],
        id="lowercase",
    ),
    pytest.param(
        (F + "COPY . .\n" + PIP_R).replace("\n", "\r\n"),
        [early("3:1", "COPY . .", "pip install", 4)],
        id="crlf",
    ),
    pytest.param(BOM + F + "COPY . .\n" + PIP_R, [early("3:1", "COPY . .", "pip install", 4)], id="bom"),
    pytest.param(
        F + "COPY . .\n" + PIP_R.rstrip("\n"),
        [early("3:1", "COPY . .", "pip install", 4)],
        id="no-final-newline",
    ),
    pytest.param(
        "# escape=`\n" + F + "COPY . .\nRUN pip install --no-cache-dir `\n  -r requirements.txt\n",
        [early("4:1", "COPY . .", "pip install", 5)],
        id="backtick-escape",
    ),
    pytest.param(
        F + "COPY . .\nRUN pip install --no-cache-dir \\\n# pinned\n  -r requirements.txt\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="comment-in-continuation",
    ),
    pytest.param(
        F + "COPY . .\nRUN <<EOF\nset -e\npip install --no-cache-dir -r requirements.txt\nEOF\n",
        [early("3:1", "COPY . .", "pip install", 4)],
        id="heredoc-script",
    ),
    # A copy from a stage that installed no dependencies brings none.
    pytest.param(
        "FROM python:3.12-slim AS assets\nRUN mkdir /static\n"
        "FROM python:3.12-slim\nCOPY --from=assets /static /static\nCOPY . .\n" + PIP_R,
        [early("5:1", "COPY . .", "pip install", 6)],
        id="copy-from-a-stage-without-dependencies",
    ),
    pytest.param(
        "FROM python:3.12-slim AS a\n# python-docker-hooks: ignore=PDH611\nCOPY . .\n" + PIP_R
        + "FROM python:3.12-slim\nCOPY . .\n" + PIP_R,
        [early("6:1", "COPY . .", "pip install", 7)],
        id="suppressed-one-of-two",
    ),
]

# Left alone by every mode.
DOES_NOT_CATCH = [
    pytest.param(LISTING_B, id="seed-listing-b"),
    # The builder pattern: the dependencies come installed from another stage.
    pytest.param(
        "FROM python:3.12-slim AS deps\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir --user -r requirements.txt\n"
        "FROM python:3.12-slim\nCOPY --from=deps /root/.local /root/.local\n"
        "COPY . /app\nRUN pip install --no-cache-dir --user -e /app\n",
        id="dependencies-copied-from-a-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim AS deps\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n"
        "FROM python:3.12-slim\nCOPY . /app\nCOPY --from=0 /install /usr/local\n"
        "RUN pip install --no-cache-dir /app\n",
        id="dependencies-copied-by-index-after-the-source",
    ),
    pytest.param(F + "COPY requirements.txt .\n" + PIP_R + "COPY . .\n", id="requirements-first"),
    pytest.param(
        F + "COPY requirements.txt .\n" + PIP_R + "COPY . .\nRUN pip install --no-cache-dir --no-deps .\n",
        id="project-installed-again-after",
    ),
    pytest.param(
        F + "RUN --mount=type=bind,source=uv.lock,target=uv.lock "
        "--mount=type=bind,source=pyproject.toml,target=pyproject.toml "
        "uv sync --frozen --no-install-project --no-cache\nCOPY . .\nRUN uv sync --frozen --no-cache\n",
        id="uv-bind-mounts-then-sync",
    ),
    pytest.param(
        F + "COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install\n",
        id="poetry-lock-first",
    ),
    pytest.param(F + "COPY . .\nRUN pip install --no-cache-dir --no-deps .\n", id="no-deps-only"),
    # Installing only the installers themselves installs no dependency.
    pytest.param(
        F + "COPY . .\nRUN pip install --no-cache-dir --upgrade pip setuptools wheel\n",
        id="installers-only",
    ),
    # Poetry's --only-root: "exclude all dependencies" (the project alone).
    pytest.param(
        F + "COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\n"
        "COPY . .\nRUN poetry install --only-root\n",
        id="poetry-only-root-after",
    ),
    pytest.param(F + "COPY . .\nRUN poetry install --only-root\n", id="poetry-only-root"),
    pytest.param(F + "COPY . .\nRUN pip install --no-cache-dir --no-deps ./pkg\n", id="no-deps-path"),
    # A parent stage's install before its broad copy settles the stages built on it.
    pytest.param(
        "FROM python:3.12-slim AS base\nCOPY requirements.txt .\n" + PIP_R
        + "COPY . .\nFROM base AS app\nRUN pip install --no-cache-dir -r more.txt\n",
        id="parent-installed-first",
    ),
    # A broad copy in a stage the install's stage is not built on.
    pytest.param(
        "FROM python:3.12-slim AS other\nCOPY . .\nFROM python:3.12-slim\n" + PIP_R,
        id="unrelated-stage-copy",
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\nCOPY . .\nFROM python:3.12-slim\n" + "COPY --from=build /app /app\n" + PIP_R,
        id="copy-from-another-stage",
    ),
    pytest.param(F + "COPY src/ ./src/\n" + PIP_R, id="subdirectory-copy"),
    pytest.param(F + "COPY . .\nRUN python -m compileall .\n", id="no-install"),
    pytest.param(
        "from python:3.12-slim\r\ncopy requirements.txt .\r\nrun pip install --no-cache-dir -r requirements.txt\r\ncopy . .",
        id="lowercase-crlf-no-final-newline",
    ),
    pytest.param(BOM + F + "COPY requirements.txt .\n" + PIP_R + "COPY . .\n", id="bom"),
    pytest.param(
        "# escape=`\n" + F + "COPY requirements.txt `\n  .\n" + PIP_R + "COPY . .\n", id="backtick-escape"
    ),
    pytest.param(
        F + "COPY requirements.txt \\\n# only this\n  .\n" + PIP_R + "COPY . .\n", id="comment-in-continuation"
    ),
    pytest.param(
        F + "COPY <<EOF requirements.txt\nflask\nEOF\n" + PIP_R + "COPY . .\n", id="heredoc-file"
    ),
    pytest.param(F + "# python-docker-hooks: ignore=PDH611\nCOPY . .\n" + PIP_R, id="suppressed"),
]

