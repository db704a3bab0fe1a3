"""uv-image-practices: catches, does-not-catch and fixes-to tables, run through the hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from hookrun import HookRun

    Hook = Callable[..., HookRun]

HOOK = "uv_image_practices"
F = "FROM python:3.12-slim\n"
BOM = "\ufeff"
UV = "COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/\n"
# Every practice followed: the base of the does-not-catch rows.
GOOD_ENV = "ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy\n"
GOOD_SYNC = "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev\n"


def pin(pos: str, text: str) -> str:
    return (
        f"{pos}: PDH111 `{text}` does not pin uv: name a version "
        "(`ghcr.io/astral-sh/uv:X.Y.Z`) or a digest, as uv's Docker guide does"
    )


def installer(pos: str) -> str:
    return (
        f"{pos}: PDH111 `https://astral.sh/uv/install.sh` installs whatever uv is newest: "
        "use the versioned address (`https://astral.sh/uv/X.Y.Z/install.sh`)"
    )


# The fixes of PDH112 and PDH113 are unsafe: a run without --unsafe-fixes
# shows no `[*]` marker.
def lock(pos: str) -> str:
    return (
        f"{pos}: PDH112 `uv sync` without `--locked` (or `--frozen`) may re-resolve and "
        "install versions `uv.lock` does not hold"
    )


def no_lock(pos: str) -> str:
    return (
        f"{pos}: PDH112 `uv sync` runs where no `uv.lock` is (none is copied or mounted "
        "there before it): uv resolves the versions as the image is built; copy the "
        "project's `uv.lock` in and sync with `--locked`"
    )


def dev(pos: str) -> str:
    return (
        f"{pos}: PDH113 `uv sync` installs the dev dependency group (uv's default) into "
        "the image: add `--no-dev`"
    )


DEV_AT_START = (
    "{}: PDH113 `uv sync` installs the dev dependency group (uv's default) into the image, "
    "and the image's `uv run` syncs it again at start: add `--no-dev` to both (or run with "
    "`--no-sync`)"
)


def bytecode(pos: str, what: str = "uv sync", fixable: bool = True) -> str:
    return (
        f"{pos}: PDH114 `{what}` is the last uv install of the environment and does not "
        "compile it to bytecode: pass `--compile-bytecode`" + (" [*]" if fixable else "")
    )


def link(pos: str, what: str = "uv sync", fixable: bool = True) -> str:
    return (
        f"{pos}: PDH115 `{what}` with uv's cache on a cache mount cannot hard-link across "
        "it: uv warns and copies on every build; set `ENV UV_LINK_MODE=copy`"
        + (" [*]" if fixable else "")
    )


# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
# A builder that syncs every group to build the wheel and the docs; the last
# line of each row says what the final stage takes from it.
UV_BUILDER = (
    "FROM python:3.12-slim AS build\n" + UV + GOOD_ENV + "WORKDIR /app\nCOPY . .\n"
    "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked && uv run mkdocs build && uv build\n"
    "FROM python:3.12-slim\n"
)

CATCHES = [
    pytest.param(
        F + "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n",
        [pin("2:6", "ghcr.io/astral-sh/uv:latest")],
        id="latest",
    ),
    pytest.param(
        F + "COPY --from=ghcr.io/astral-sh/uv /uv /bin/\n",
        [pin("2:6", "ghcr.io/astral-sh/uv")],
        id="untagged",
    ),
    # `0.9` is "the latest patch version" (uv's guide): it moves.
    pytest.param(
        F + "COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/\n",
        [pin("2:6", "ghcr.io/astral-sh/uv:0.9")],
        id="minor-only",
    ),
    pytest.param(
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n" + GOOD_ENV + GOOD_SYNC,
        [pin("1:1", "ghcr.io/astral-sh/uv:python3.12-bookworm-slim")],
        id="derived-image-without-version",
    ),
    pytest.param(
        "ARG UV=latest\n" + F + "COPY --from=ghcr.io/astral-sh/uv:${UV} /uv /bin/\n",
        [pin("3:6", "ghcr.io/astral-sh/uv:latest")],
        id="tag-from-a-variable",
    ),
    pytest.param(
        F + "RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv uv --version\n",
        [pin("2:5", "ghcr.io/astral-sh/uv")],
        id="mount-from",
    ),
    pytest.param(
        F + "ADD https://astral.sh/uv/install.sh /uv-installer.sh\n",
        [installer("2:5")],
        id="installer-add",
    ),
    pytest.param(
        F + "RUN curl -LsSf https://astral.sh/uv/install.sh | sh\n",
        [installer("2:16")],
        id="installer-curl",
    ),
    pytest.param(
        F + "RUN pip install --no-cache-dir uv\n",
        ["2:9: PDH111 `pip install uv` does not pin uv: install `uv==X.Y.Z`"],
        id="pip-install-uv",
    ),
    # uv sync: the lock file and the dev group.
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --no-dev\n",
        [lock("4:8")],
        id="sync-without-locked",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "ENV UV_FROZEN=0\nRUN uv sync --no-dev\n",
        [lock("5:8")],
        id="frozen-variable-false",
    ),
    # The project is there and its lock file is not: uv resolves at build time,
    # and `--locked` would stop the build (uv's CLI reference: "If the lockfile
    # is missing or needs to be updated, uv will exit with an error"): no fix.
    pytest.param(
        F + UV + GOOD_ENV + "WORKDIR /app\nCOPY pyproject.toml .\nRUN uv sync --no-dev\n",
        [no_lock("6:8")],
        id="project-copied-without-its-lock-file",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "WORKDIR /app\n"
        "RUN --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --no-dev\n",
        [no_lock("5:70")],
        id="project-mounted-without-its-lock-file",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "WORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --no-dev\n",
        [lock("6:8")],
        id="project-copied-with-its-lock-file",
    ),
    # BuildKit's mount parser takes target's whole value (commands_runmount.go):
    # `target=uv.lock:rw` is the path `uv.lock:rw`, not uv.lock read-write.
    pytest.param(
        F + UV + GOOD_ENV + "WORKDIR /app\n"
        "RUN --mount=type=bind,source=pyproject.toml,target=pyproject.toml "
        "--mount=type=bind,source=uv.lock,target=uv.lock:rw uv sync --no-dev\n",
        [no_lock("5:121")],
        id="buildkit-mounts-the-lock-file-at-uv.lock:rw",
    ),
    pytest.param(
        "FROM mycorp/uv-base:1\n" + GOOD_ENV + "WORKDIR /app\nCOPY pyproject.toml .\n"
        "RUN uv sync --no-dev\n",
        [lock("5:8")],
        id="base-not-known-may-hold-the-lock-file",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --locked\n",
        [dev("4:8")],
        id="sync-with-dev",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --locked --dev\n",
        [dev("4:8")],
        id="dev-asked-for-no-fix",
    ),
    # The image's `uv run` syncs the dev group again at start (uv syncs it by
    # default): `--no-dev` on the build's sync alone is no fix.
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --locked\n" + 'ENTRYPOINT ["uv", "run", "app"]\n',
        [DEV_AT_START.format("4:8")],
        id="uv-run-syncs-again-at-start",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --locked\n" + "CMD exec uv run --frozen gunicorn app:app\n",
        [DEV_AT_START.format("4:8")],
        id="uv-run-in-a-shell-form-cmd",
    ),
    pytest.param(
        (F + UV + GOOD_ENV + "RUN <<EOF\nuv sync --locked\nEOF\n" + 'ENTRYPOINT ["uv", "run", "app"]\n').replace(
            "\n", "\r\n"
        ),
        [DEV_AT_START.format("5:4")],
        id="uv-run-syncs-again-heredoc-crlf",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --locked\n" + 'CMD ["uv", "run", "--no-sync", "app"]\n',
        [dev("4:8")],
        id="uv-run-no-sync",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --locked\n" + 'CMD ["uv", "run", "--no-group", "dev", "app"]\n',
        [dev("4:8")],
        id="uv-run-no-group-dev",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "ENV UV_NO_SYNC=true\nRUN uv sync --locked\n" + 'CMD ["uv", "run", "app"]\n',
        [dev("5:8")],
        id="uv-run-with-uv-no-sync",
    ),
    # The image takes a place the builder's environment may be in.
    pytest.param(UV_BUILDER + "COPY --from=build /app /app\n", [dev("6:50")], id="builder-project-taken"),
    pytest.param(UV_BUILDER + "COPY --from=build /app/.venv /venv\n", [dev("6:50")], id="builder-venv-taken"),
    pytest.param(
        UV_BUILDER + "COPY --from=build /app/.venv/lib/python3.12/site-packages /site\n",
        [dev("6:50")],
        id="builder-part-of-the-venv-taken",
    ),
    pytest.param(
        UV_BUILDER.replace("WORKDIR /app\n", "WORKDIR /app\nENV UV_PROJECT_ENVIRONMENT=/opt/env\n")
        + "COPY --from=build /opt/env /opt/env\n",
        [dev("7:50")],
        id="builder-project-environment-variable-taken",
    ),
    pytest.param(
        UV_BUILDER.replace("uv sync --locked", "cd /srv && uv sync --locked")
        + "COPY --from=build /app/dist /dist\n",
        [dev("6:61")],
        id="builder-cd-not-known",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync --locked --only-dev\n",
        ["4:8: PDH113 `uv sync --only-dev` installs the dev dependency group into the image"],
        id="only-dev",
    ),
    pytest.param(
        F + UV + GOOD_ENV + 'RUN ["uv", "sync"]\n',
        [lock("4:12"), dev("4:12")],
        id="exec-form",
    ),
    # Bytecode: the last install of the environment.
    pytest.param(
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev\n",
        [bytecode("4:8")],
        id="no-bytecode",
    ),
    pytest.param(
        F + UV + "RUN uv sync --locked --no-dev --compile-bytecode\nRUN uv pip install gunicorn\n",
        [bytecode("4:12", "uv pip install")],
        id="a-later-install-does-not-compile",
    ),
    # compileall of the application only, or of sys.path with -l (what it does
    # without a directory), leaves the installed packages as they were.
    pytest.param(
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev\n"
        "RUN python -m compileall -q /app/src\n",
        [bytecode("4:8")],
        id="compileall-of-the-app-only",
    ),
    pytest.param(
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev && python3 -m compileall\n",
        [bytecode("4:8")],
        id="compileall-without-a-directory",
    ),
    pytest.param(
        # Before the install, it compiles what is not there yet.
        F + UV + "ENV UV_LINK_MODE=copy\nRUN python -m compileall /app/.venv/lib && "
        "uv sync --locked --no-dev\n",
        [bytecode("4:47")],
        id="compileall-before-the-install",
    ),
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=no\nRUN uv pip install --system flask\n",
        [bytecode("4:12", "uv pip install", fixable=False)],
        id="turned-off-no-fix",
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\n" + UV + "RUN uv sync --locked --no-dev\n"
        "FROM python:3.12-slim\nCOPY --from=build /app/.venv /app/.venv\n",
        [bytecode("3:8")],
        id="builder-whose-environment-is-copied",
    ),
    # Link mode with a cache mount holding uv's cache.
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=1\n" + GOOD_SYNC,
        [link("4:50")],
        id="cache-mount",
    ),
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=1\nRUN --mount=type=cache,target=/root/.cache "
        "uv sync --locked --no-dev --link-mode=hardlink\n",
        [link("4:47", fixable=False)],
        id="mount-above-and-another-mode",
    ),
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=1 UV_CACHE_DIR=/cache\n"
        "RUN --mount=type=cache,target=/cache uv pip install --system flask\n",
        [link("4:45", "uv pip install")],
        id="cache-dir-variable",
    ),
    # Shapes.
    pytest.param(
        "from python:3.12-slim\ncopy --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n",
        [pin("2:6", "ghcr.io/astral-sh/uv:latest")],
        id="lowercase",
    ),
    pytest.param(
        (F + UV + GOOD_ENV + "RUN uv sync --no-dev\n").replace("\n", "\r\n"),
        [lock("4:8")],
        id="crlf",
    ),
    pytest.param(BOM + F + UV + GOOD_ENV + "RUN uv sync --no-dev\n", [lock("4:8")], id="bom"),
    pytest.param(F + UV + GOOD_ENV + "RUN uv sync --no-dev", [lock("4:8")], id="no-final-newline"),
    pytest.param(
        "# escape=`\n" + F + UV + GOOD_ENV + "RUN uv sync `\n  --no-dev\n",
        [lock("5:8")],
        id="backtick-escape",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync \\\n# no dev\n  --no-dev\n",
        [lock("4:8")],
        id="comment-in-continuation",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "RUN <<EOF\nuv sync --no-dev\nEOF\n",
        [lock("5:4")],
        id="heredoc",
    ),
    pytest.param(
        F + UV + GOOD_ENV + "# python-docker-hooks: ignore=PDH113\nRUN uv sync\n",
        [lock("5:8")],
        id="suppressed-one-of-two",
    ),
]

# Dockerfiles every mode leaves alone.
DOES_NOT_CATCH = [
    pytest.param(F + UV + GOOD_ENV + GOOD_SYNC, id="the-guide"),
    # The environment stays in the builder: the image takes only the wheel.
    pytest.param(UV_BUILDER + "COPY --from=build /app/dist /dist\n", id="builder-only-dist-taken"),
    pytest.param(UV_BUILDER + "COPY --from=build /app/dist/*.whl /tmp/\n", id="builder-wheel-by-wildcard"),
    pytest.param(
        UV_BUILDER.replace("WORKDIR /app\n", "WORKDIR /app\nENV UV_PROJECT_ENVIRONMENT=/opt/env\n")
        + "COPY --from=build /app/site /srv\n",
        id="builder-environment-elsewhere-site-taken",
    ),
    pytest.param(
        F + "COPY --from=ghcr.io/astral-sh/uv@sha256:" + "a" * 64 + " /uv /bin/\n",
        id="digest",
    ),
    pytest.param(F + "COPY --from=ghcr.io/astral-sh/uv:0.9.5-alpine /uv /bin/\n", id="version-and-base"),
    pytest.param("FROM ghcr.io/astral-sh/uv:0.9.5-python3.12-bookworm-slim\n", id="derived-with-version"),
    pytest.param(F + "ADD https://astral.sh/uv/0.9.5/install.sh /uv-installer.sh\n", id="versioned-installer"),
    pytest.param(F + "RUN pip install --no-cache-dir uv==0.9.5\n", id="pip-install-uv-pinned"),
    pytest.param("ARG UV\n" + F + "COPY --from=ghcr.io/astral-sh/uv:${UV} /uv /bin/\n", id="tag-not-known"),
    pytest.param(
        "FROM ghcr.io/astral-sh/uv:0.9.5 AS uv\n" + F + "COPY --from=uv /uv /bin/\n",
        id="from-a-stage",
    ),
    # The lock file and the dev group, as uv reads them.
    pytest.param(F + UV + GOOD_ENV + "RUN uv sync --frozen --no-dev\n", id="frozen"),
    pytest.param(F + UV + GOOD_ENV + "ENV UV_LOCKED=1 UV_NO_DEV=true\nRUN uv sync\n", id="variables"),
    pytest.param(F + UV + GOOD_ENV + "RUN UV_FROZEN=yes uv sync --no-default-groups\n", id="inline-variable"),
    pytest.param(F + UV + GOOD_ENV + "RUN uv sync --locked --only-group prod\n", id="only-group"),
    pytest.param(F + UV + GOOD_ENV + "RUN uv sync --locked --no-group dev\n", id="no-group-dev"),
    pytest.param(F + UV + GOOD_ENV + "ARG OPTS\nRUN uv sync $OPTS\n", id="options-in-a-variable-not-known"),
    # Only the stages the shipped one needs.
    pytest.param(
        "FROM python:3.12-slim AS test\n" + UV + "RUN uv sync\nFROM python:3.12-slim\nCMD [\"python\"]\n",
        id="test-stage-not-built",
    ),
    # Bytecode: a later install that compiles covers the environment.
    pytest.param(
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev --no-install-project\n"
        "RUN uv sync --locked --no-dev --compile-bytecode\n",
        id="last-compiles",
    ),
    pytest.param(F + UV + "ENV UV_COMPILE_BYTECODE=1\nRUN uv pip install --system flask\n", id="pip-compiled"),
    # compileall on the environment after the install (searxng's builder).
    pytest.param(
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv venv && uv pip install -r requirements.txt && "
        "python -m compileall -q -f -j 0 --invalidation-mode=unchecked-hash ./.venv/lib/\n",
        id="compileall-on-the-venv",
    ),
    pytest.param(
        # python's options before -m, bundled (python3 -Im compileall), by path.
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev\n"
        "RUN /usr/local/bin/python3 -Im compileall -q /app/.venv/lib\n",
        id="compileall-with-python-options",
    ),
    pytest.param(
        (F + UV + "ENV UV_LINK_MODE=copy\nRUN <<EOF\nuv sync --locked --no-dev\n"
        "python -m compileall .venv/lib\nEOF\n").replace("\n", "\r\n"),
        id="compileall-in-a-heredoc-crlf",
    ),
    # Link mode: no mount, --no-cache, a mount elsewhere, copy given.
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=1\nRUN --mount=type=cache,target=/root/.cache/uv "
        "uv sync --locked --no-dev --link-mode copy\n",
        id="link-mode-option",
    ),
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=1\nRUN --mount=type=cache,target=/root/.cache/pip "
        "uv sync --locked --no-dev\n",
        id="mount-not-uv-cache",
    ),
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=1\nRUN --mount=type=cache,target=/root/.cache/uv "
        "uv sync --no-cache --locked --no-dev\n",
        id="no-cache",
    ),
    # Shapes.
    pytest.param(
        ("from python:3.12-slim\n" + UV + GOOD_ENV + "run uv sync --locked --no-dev").replace("\n", "\r\n"),
        id="lowercase-crlf-no-final-newline",
    ),
    pytest.param(BOM + F + UV + GOOD_ENV + GOOD_SYNC, id="bom"),
    pytest.param("# escape=`\n" + F + UV + GOOD_ENV + "RUN uv sync `\n  --locked --no-dev\n", id="backtick-escape"),
    pytest.param(
        F + UV + GOOD_ENV + "RUN uv sync \\\n# the lock\n  --locked --no-dev\n", id="comment-in-continuation"
    ),
    pytest.param(F + UV + GOOD_ENV + "RUN <<EOF\nuv sync --locked --no-dev\nEOF\n", id="heredoc"),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH111\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n",
        id="suppressed",
    ),
]

# (before, after) of one fixing run: the safe ENV fixes (the unsafe ones need
# --unsafe-fixes, see below).
FIXES_TO = [
    pytest.param(
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev\n",
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --compile-bytecode --locked --no-dev\n",
        id="bytecode-option-after-sync",
    ),
    pytest.param(
        F + UV + "ENV UV_COMPILE_BYTECODE=1\n" + GOOD_SYNC,
        F + UV + "ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy\n" + GOOD_SYNC,
        id="link-mode-joins-the-uv-env",
    ),
    pytest.param(
        F + UV + GOOD_SYNC,
        F + "ENV UV_LINK_MODE=copy\n" + UV + GOOD_SYNC.replace("uv sync", "uv sync --compile-bytecode"),
        id="link-mode-after-from-and-the-option",
    ),
    pytest.param(
        F + UV + "ENV PATH=/app/.venv/bin:$PATH\nRUN uv sync --locked --no-dev --link-mode=copy\n",
        F + UV + "ENV PATH=/app/.venv/bin:$PATH\nRUN uv sync --compile-bytecode --locked --no-dev --link-mode=copy\n",
        id="option-with-an-env-before",
    ),
    pytest.param(
        F + UV + "ENV PATH=/app/.venv/bin:$PATH\n"
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --compile-bytecode --locked --no-dev\n",
        F + UV + "ENV PATH=/app/.venv/bin:$PATH\nENV UV_LINK_MODE=copy\n"
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --compile-bytecode --locked --no-dev\n",
        id="link-mode-under-the-first-env",
    ),
    pytest.param(
        (F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev\n").replace("\n", "\r\n"),
        (F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --compile-bytecode --locked --no-dev\n").replace(
            "\n", "\r\n"
        ),
        id="crlf",
    ),
    pytest.param(
        BOM + F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev\n",
        BOM + F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --compile-bytecode --locked --no-dev\n",
        id="bom",
    ),
    pytest.param(
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --locked --no-dev",
        F + UV + "ENV UV_LINK_MODE=copy\nRUN uv sync --compile-bytecode --locked --no-dev",
        id="no-final-newline",
    ),
    pytest.param(
        "from python:3.12-slim\nenv UV_LINK_MODE=copy\nrun uv sync --locked --no-dev\n",
        "from python:3.12-slim\nenv UV_LINK_MODE=copy\nrun uv sync --compile-bytecode --locked --no-dev\n",
        id="lowercase",
    ),
    pytest.param(
        "# escape=`\n" + F + "ENV UV_LINK_MODE=copy\nRUN uv sync `\n  --locked --no-dev\n",
        "# escape=`\n" + F + "ENV UV_LINK_MODE=copy\nRUN uv sync --compile-bytecode `\n  --locked --no-dev\n",
        id="backtick-escape",
    ),
    pytest.param(
        F + "ENV UV_LINK_MODE=copy\nRUN uv sync \\\n# the lock\n  --locked --no-dev\n",
        F + "ENV UV_LINK_MODE=copy\nRUN uv sync --compile-bytecode \\\n# the lock\n  --locked --no-dev\n",
        id="comment-in-continuation",
    ),
    pytest.param(
        F + "ENV UV_LINK_MODE=copy\nRUN <<EOF\nuv sync --locked --no-dev\nEOF\n",
        F + "ENV UV_LINK_MODE=copy\nRUN <<EOF\nuv sync --compile-bytecode --locked --no-dev\nEOF\n",
        id="heredoc",
    ),
    pytest.param(
        F + "ENV UV_LINK_MODE=copy\n# python-docker-hooks: ignore=PDH111\nRUN uv sync --locked --no-dev\n",
        F + "ENV UV_LINK_MODE=copy\n# python-docker-hooks: ignore=PDH111\n"
        "RUN uv sync --compile-bytecode --locked --no-dev\n",
        id="suppression",
    ),
]


def test_an_env_after_the_install_is_not_a_fix(hook: Hook) -> None:
    """The only ENV of the stage comes after the RUN: an ENV there would not
    reach the install, so the link-mode finding has no fix."""
    text = (
        F + "RUN --mount=type=cache,target=/root/.cache/uv uv sync --compile-bytecode --locked --no-dev\n"
        "ENV PATH=/app/.venv/bin:$PATH\n"
    )
    result = hook(text)
    assert (result.code, result.lines) == (1, [link("2:50", fixable=False)])
    assert result.data == text.encode()


def test_the_bytecode_fix_is_the_option_not_an_env(hook: Hook) -> None:
    """An ENV UV_COMPILE_BYTECODE=1 stays in the image, where `uv run` compiles
    the whole environment again on every start (astral-sh/uv#12202): the fix is
    the install's option, which changes that install alone."""
    text = F + UV + 'ENV UV_LINK_MODE=copy\nRUN uv pip install --system flask\nCMD ["uv", "run", "app"]\n'
    result = hook(text)
    assert result.data == text.replace("uv pip install", "uv pip install --compile-bytecode").encode()


def test_unsafe_fixes_insert_locked_and_no_dev(hook: Hook) -> None:
    text = F + UV + GOOD_ENV + 'RUN uv sync\nRUN ["uv", "sync", "--frozen"]\n'
    result = hook(text, "--unsafe-fixes")
    assert result.data == (
        F + UV + GOOD_ENV + 'RUN uv sync --no-dev --locked\nRUN ["uv", "sync", "--no-dev", "--frozen"]\n'
    ).encode()
    assert result.code == 1
    # Without --unsafe-fixes nothing changes.
    assert hook(text).data == text.encode()
    # `--dev` asked for the group: no --no-dev is offered against it.
    asked = F + UV + GOOD_ENV + "RUN uv sync --locked --dev\n"
    assert hook(asked, "--unsafe-fixes").data == asked.encode()
