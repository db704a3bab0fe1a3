"""pip-no-cache-dir: what it catches, what it leaves alone, and what it fixes to.

Each table runs through the hook's ``main`` (a real file, as pre-commit runs it)
and through the pure ``process`` function. Rows are whole Dockerfiles; expected
lines are ``line:col: CODE message`` with the path taken off.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hookrun import ALPINE_STEP, LISTING_B, HookRun, pure, run

if TYPE_CHECKING:
    from collections.abc import Callable

    Hook = Callable[..., HookRun]

HOOK = "pip_no_cache_dir"
PIP = "PDH101 `pip install` without `--no-cache-dir` leaves the package cache in the image"
UV = (
    "PDH102 `uv pip install` without `--no-cache` leaves the package cache in the image"
)
REJECTED = (
    "PDH101 `PIP_NO_CACHE_DIR={}` is not a value pip accepts: `pip install` stops"
    ' with "invalid truth value" (any of 1/0, true/false, yes/no, on/off turns the'
    " cache off)"
)


def uvc(pos: str, what: str, where: str = "the image") -> str:
    """A fixable PDH102 line for another uv command."""
    return (
        f"{pos}: PDH102 `{what}` without `--no-cache` leaves the package cache in"
        f" {where} [*]"
    )


def pip_in(pos: str, where: str) -> str:
    return f"{pos}: {PIP.replace('the image', where)} [*]"


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
    # A base image the tables do not know may set the variable; the option is
    # still what the rule asks, and changes nothing but the cache.
    pytest.param(
        "ARG BASE\nFROM ${BASE}\nRUN pip install flask\n",
        [(f"3:9: {PIP}, unless its base image `${{BASE}}`, which is not known, sets "
         "PIP_NO_CACHE_DIR [*]")],
        id="pip-on-a-base-that-is-not-known",
    ),
    pytest.param(
        "FROM mycorp/tools:2\nRUN uv pip install --system flask\n",
        [uvc("2:12", "uv pip install").replace(
            " [*]", ", unless its base image `mycorp/tools:2`, which is not known, sets "
            "UV_NO_CACHE [*]")],
        id="uv-on-a-base-that-is-not-known",
    ),
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
    # pip drops an empty value before reading it: the cache stays on.
    pytest.param(
        F + "RUN PIP_NO_CACHE_DIR= pip install x\n", [pip("2:27")], id="inline-empty"
    ),
    pytest.param(
        F + 'ENV PIP_NO_CACHE_DIR=""\nRUN pip install x\n',
        [pip("3:9")],
        id="env-empty",
    ),
    # Another value makes pip stop ("invalid truth value"): reported, no fix.
    pytest.param(
        F + "RUN PIP_NO_CACHE_DIR=maybe pip install x\n",
        [f"2:32: {REJECTED.format('maybe')}"],
        id="inline-rejected",
    ),
    pytest.param(
        F + 'ENV PIP_NO_CACHE_DIR=" 1"\nRUN pip install x\n',
        [f"3:9: {REJECTED.format(' 1')}"],
        id="strtobool-does-not-strip",
    ),
    # optparse: a unique prefix of a long option is that option.
    pytest.param(
        F + "RUN pip --prox http://proxy:3128 install x\n",
        [pip("2:34")],
        id="abbreviated-value-option-before-subcommand",
    ),
    pytest.param(
        F + "RUN pip --local-log /tmp/pip.log install x\n",
        [pip("2:34")],
        id="value-option-alias-before-subcommand",
    ),
    pytest.param(
        F + "RUN pip --log=/tmp/pip.log -qq install x\n",
        [pip("2:32")],
        id="value-option-with-equals-and-bundled-flags",
    ),
    pytest.param(
        F + "RUN pip install --no-c x\n", [pip("2:9")], id="ambiguous-prefix-is-not-it"
    ),
    pytest.param(
        F + "RUN pip install -r --no-cache-dir\n",
        [pip("2:9")],
        id="option-as-a-value-is-not-it",
    ),
    # Interpreters that run pip as python -m pip does.
    pytest.param(F + "RUN pypy3 -m pip install x\n", [pip("2:18")], id="pypy3-m"),
    pytest.param(F + "RUN pypy -m pip install x\n", [pip("2:17")], id="pypy-m"),
    pytest.param(
        F + "RUN python3.13t -m pip install x\n", [pip("2:24")], id="free-threaded-m"
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
    # uv commands that write uv's cache as `uv pip install` does.
    pytest.param(F + "RUN uv sync --frozen\n", [uvc("2:8", "uv sync")], id="uv-sync"),
    pytest.param(
        F + "RUN uv pip sync requirements.txt\n",
        [uvc("2:12", "uv pip sync")],
        id="uv-pip-sync",
    ),
    pytest.param(
        F + "RUN uv tool install ruff\n",
        [uvc("2:13", "uv tool install")],
        id="uv-tool-install",
    ),
    pytest.param(
        F + "RUN uv run --with flask python app.py\n",
        [uvc("2:8", "uv run")],
        id="uv-run",
    ),
    pytest.param(
        F + "RUN uv run python -n x.py\n",
        [uvc("2:8", "uv run")],
        id="uv-run-option-of-the-command-is-not-uvs",
    ),
    pytest.param(F + "RUN uv add flask\n", [uvc("2:8", "uv add")], id="uv-add"),
    pytest.param(
        F + "RUN UV_NO_CACHE=0 uv sync\n",
        [uvc("2:22", "uv sync")],
        id="uv-no-cache-false-leaves-it-on",
    ),
    pytest.param(
        F + "RUN uv --directory /app sync\n",
        [uvc("2:25", "uv sync")],
        id="uv-value-option-before-subcommand",
    ),
    # Wrappers: the command they run is read (one table in the shell view).
    pytest.param(
        F + "RUN cat r.txt | xargs -n 1 pip install\n",
        [pip("2:32")],
        id="xargs",
    ),
    pytest.param(F + "RUN timeout 300 pip install x\n", [pip("2:21")], id="timeout"),
    pytest.param(
        F + "RUN timeout -s KILL 5m pip install x\n", [pip("2:28")], id="timeout-opts"
    ),
    pytest.param(F + "RUN nice -n 10 pip install x\n", [pip("2:20")], id="nice"),
    pytest.param(F + "RUN nohup pip install x\n", [pip("2:15")], id="nohup"),
    pytest.param(F + "RUN su app -c 'pip install x'\n", [pip("2:20")], id="su-c"),
    pytest.param(
        F + 'RUN su -s /bin/sh -c "pip install x" app\n',
        [pip("2:27")],
        id="su-c-before-user",
    ),
    pytest.param(
        F + "RUN runuser -u app -- pip install x\n", [pip("2:27")], id="runuser-u"
    ),
    pytest.param(
        F + "RUN runuser app -c 'pip install x'\n", [pip("2:25")], id="runuser-c"
    ),
    pytest.param(F + "RUN gosu app pip install x\n", [pip("2:18")], id="gosu"),
    pytest.param(
        F + "RUN setpriv --reuid=1000 --init-groups pip install x\n",
        [pip("2:44")],
        id="setpriv",
    ),
    pytest.param(
        F + "RUN conda run -n app pip install x\n", [pip("2:26")], id="conda-run"
    ),
    pytest.param(
        F + "RUN mamba run -n app pip install x\n", [pip("2:26")], id="mamba-run"
    ),
    pytest.param(
        F + "RUN micromamba run -n app pip install x\n",
        [pip("2:31")],
        id="micromamba-run",
    ),
    pytest.param(F + "RUN poetry run pip install x\n", [pip("2:20")], id="poetry-run"),
    pytest.param(F + "RUN pipenv run pip install x\n", [pip("2:20")], id="pipenv-run"),
    pytest.param(
        F + "RUN uv run pip install x\n",
        [uvc("2:8", "uv run"), pip("2:16")],
        id="uv-run-pip",
    ),
    pytest.param(
        F + 'RUN ["gosu", "app", "pip", "install", "x"]\n',
        [pip("2:28")],
        id="exec-gosu",
    ),
    pytest.param(
        F + 'RUN ["su", "app", "-c", "pip install x"]\n',
        [pip("2:30")],
        id="exec-su-c",
    ),
    # BuildKit runs a heredoc as the script when it is the whole command.
    pytest.param(
        F + "RUN 3<<EOF\npip install x\nEOF\n", [pip("3:5")], id="heredoc-fd-3"
    ),
    pytest.param(
        F + "RUN <<-EOF\n\tpip install x\n\tEOF\n", [pip("3:6")], id="heredoc-chomp"
    ),
    pytest.param(
        F + "RUN sh -s -- arg <<EOF\npip install x\nEOF\n",
        [pip("3:5")],
        id="heredoc-sh-s",
    ),
    # Cache mounts count when they hold the whole cache directory.
    pytest.param(
        F + "RUN --mount=type=cache,target=/root/.cache/pip/http pip install x\n",
        [pip("2:57")],
        id="cache-mount-below-the-cache",
    ),
    pytest.param(
        F + "RUN --mount=type=cache,target=~/.cache/pip pip install x\n",
        [pip("2:48")],
        id="cache-mount-tilde-is-not-home",
    ),
    pytest.param(
        F + "WORKDIR /app\nRUN --mount=type=cache,target=.cache/pip pip install x\n",
        [pip("3:46")],
        id="cache-mount-relative-to-workdir",
    ),
    pytest.param(
        F + "USER app\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n",
        [pip("3:52")],
        id="cache-mount-in-another-users-home",
    ),
    pytest.param(
        F + "ENV PIP_CACHE_DIR=/var/cache/pip\n"
        "RUN --mount=type=cache,target=/root/.cache/pip pip install x\n",
        [pip("3:52")],
        id="cache-moved-away-from-the-mount",
    ),
    pytest.param(
        F + "RUN pip install --cache-dir /tmp/pip x\n",
        [f"2:9: {PIP}"],
        id="cache-dir-chosen-no-fix",
    ),
    pytest.param(
        F
        + "RUN --mount=type=cache,target=/root/.cache/uv uv --cache-dir /tmp/uv sync\n",
        [uvc("2:70", "uv sync")],
        id="uv-cache-dir-away-from-the-mount",
    ),
    # The stage the finding is in says where the cache stays.
    pytest.param(
        "FROM python:3.12-slim AS build\nRUN pip install x\n"
        "FROM python:3.12-slim\nCOPY --from=build /usr/local /usr/local\n",
        [pip_in("2:9", "the layers of stage `build` (and the build cache)")],
        id="builder-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim\nRUN pip install x\nFROM scratch\n",
        [pip_in("2:9", "the layers of stage `stage-0` (and the build cache)")],
        id="unnamed-builder-stage",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nRUN pip install x\nFROM base\n",
        [pip("2:9")],
        id="stage-the-image-is-built-on",
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
    # hadolint reads no pragma here (codes are comma separated, upper case), nor
    # do we.
    pytest.param(
        F + "# hadolint ignore=DL3042 DL3008\nRUN pip install x\n",
        [pip("3:9")],
        id="hadolint-pragma-hadolint-rejects",
    ),
    pytest.param(
        F + "# hadolint ignore=dl3042\nRUN pip install x\n",
        [pip("3:9")],
        id="hadolint-pragma-lowercase-code",
    ),
    # The seed's step with its cache removal taken out: both installs leave it.
    pytest.param(
        ALPINE_STEP.replace(" && rm -rf /root/.cache/pip", ""),
        [pip("2:124"), pip("2:170")],
        id="seed-alpine-step-without-its-rm",
    ),
    # A removal that does not always remove the cache this install wrote.
    pytest.param(
        F + "RUN rm -rf /root/.cache/pip && pip install x\n",
        [pip("2:36")],
        id="removed-before-the-install",
    ),
    pytest.param(
        F + "RUN pip install x && rm -rf /root/.cache/pip && pip install y\n",
        [pip("2:53")],
        id="install-after-the-removal",
    ),
    pytest.param(
        F + "RUN pip install x\nRUN rm -rf /root/.cache/pip\n",
        [pip("2:9")],
        id="removed-in-a-later-run-is-still-in-the-layer",
    ),
    pytest.param(
        F + "RUN pip install x || rm -rf /root/.cache\n", [pip("2:9")], id="after-or"
    ),
    # POSIX 2.9.2: a pipeline's commands are started together.
    pytest.param(
        F + "RUN pip install x | rm -rf /root/.cache/pip\n",
        [pip("2:9")],
        id="removal-in-the-installs-own-pipeline-runs-at-the-same-time",
    ),
    pytest.param(
        F + "RUN pip install x 2>&1 | tee /log | rm -rf /root/.cache/pip && true\n",
        [pip("2:9")],
        id="removal-at-the-end-of-the-installs-pipeline",
    ),
    pytest.param(
        F + "RUN pip install x; if [ -n \"$CLEAN\" ]; then rm -rf /root/.cache; fi\n",
        [pip("2:9")],
        id="removal-in-a-conditional",
    ),
    pytest.param(
        F + "RUN pip install x && (rm -rf /root/.cache) & wait\n",
        [pip("2:9")],
        id="removal-in-a-background-subshell",
    ),
    pytest.param(
        F + "RUN pip install x && rm /root/.cache/pip\n",
        [pip("2:9")],
        id="rm-without-r-removes-no-directory",
    ),
    pytest.param(
        F + "RUN pip install x && rm -rf /root/.cache/pip/http\n",
        [pip("2:9")],
        id="part-of-the-cache",
    ),
    # The path must be pip's cache for that RUN's user and environment.
    pytest.param(
        F + "USER app\nRUN pip install x && rm -rf /root/.cache\n",
        [pip("3:9")],
        id="another-users-cache",
    ),
    pytest.param(
        F + "USER app\nRUN pip install x && rm -rf /home/app/.cache\n",
        [pip("3:9")],
        id="home-of-a-user-is-not-known",
    ),
    pytest.param(
        F + "ENV XDG_CACHE_HOME=/var/cache\nRUN pip install x && rm -rf /root/.cache\n",
        [pip("3:9")],
        id="xdg-cache-home-elsewhere",
    ),
    pytest.param(
        F + "RUN PIP_CACHE_DIR=/tmp/pip pip install x && rm -rf /root/.cache/pip\n",
        [pip("2:32")],
        id="inline-cache-dir-elsewhere",
    ),
    pytest.param(
        F + "RUN pip install x && rm -rf $CACHE\n", [pip("2:9")], id="unset-variable"
    ),
    pytest.param(
        F + "RUN sudo -u app pip install x && rm -rf ~/.cache\n",
        [pip("2:21")],
        id="install-as-another-user",
    ),
    pytest.param(
        F + "RUN pip install x && pip cache purge --cache-dir /tmp/other\n",
        [pip("2:9")],
        id="purge-of-another-cache",
    ),
    pytest.param(
        F + "RUN uv pip install --system x && uv cache clean requests\n",
        [uv("2:12")],
        id="uv-clean-of-one-package",
    ),
    # --no-index: pip may still build an sdist from the directory, and keeps
    # the wheel in its cache (wheel_builder._should_cache).
    pytest.param(
        F + "RUN pip install --no-index --find-links /wheels -r requirements.txt\n",
        [pip("2:9")],
        id="no-index-may-build-sdists",
    ),
    pytest.param(
        F + "RUN pip install --no-index --find-links https://example.com/w"
        " --only-binary :all: x\n",
        [pip("2:9")],
        id="no-index-remote-find-links",
    ),
    pytest.param(
        F + "RUN pip install --only-binary :all: x\n",
        [pip("2:9")],
        id="index-downloads-are-cached",
    ),
    pytest.param(
        F + "RUN pip install --no-index --find-links /w --only-binary :all:"
        " --no-binary lxml x\n",
        [pip("2:9")],
        id="no-index-no-binary-builds",
    ),
]


DOES_NOT_CATCH = [
    # The same RUN removes the cache after the last install: not in the layer.
    pytest.param(ALPINE_STEP, id="seed-alpine-step-removes-root-cache-pip"),
    pytest.param(
        F + "RUN pip install x && rm -rf /root/.cache\n", id="rm-of-the-directory-above"
    ),
    pytest.param(
        F + "RUN pip install x; rm -fr ~/.cache/pip\n", id="rm-tilde-after-semicolon"
    ),
    pytest.param(
        F + 'RUN pip install x \\\n # tidy up\n && rm -Rf "$HOME"/.cache/*\n',
        id="rm-contents-of-the-cache-above",
    ),
    pytest.param(
        F + "RUN pip install x && rm -r --one-file-system -- /root/.cache/pip/*\n",
        id="rm-contents-of-the-cache",
    ),
    pytest.param(
        F + "RUN pip install -r r.txt && python -m compileall . && pip cache purge\n",
        id="pip-cache-purge",
    ),
    pytest.param(
        F + "RUN <<EOF\npip install x\napt-get clean\nrm -rf /root/.cache\nEOF\n",
        id="heredoc-script",
    ),
    pytest.param(
        F + 'RUN ["sh", "-c", "pip install x && rm -rf /root/.cache/pip"]\n',
        id="exec-form-sh-c",
    ),
    # POSIX 2.9.3: the AND-OR list goes on once the whole pipeline has finished.
    pytest.param(
        F + "RUN pip install x && \\\n    find /usr/local/lib -name '__pycache__' | xargs rm -r && \\\n"
        "    rm -rf /root/.cache/pip\n",
        id="pipeline-between-the-install-and-the-removal",
    ),
    pytest.param(
        F + "RUN pip install x 2>&1 | tee /log && rm -rf /root/.cache/pip\n",
        id="removal-after-the-installs-pipeline",
    ),
    pytest.param(
        F + "USER app\nRUN pip install --user x && rm -rf ~/.cache\n",
        id="tilde-is-the-users-home",
    ),
    pytest.param(
        F + "USER app\nRUN pip install --user x && rm -rf ${HOME}/.cache/pip\n",
        id="home-variable-is-the-users-home",
    ),
    pytest.param(
        F + "ENV PIP_CACHE_DIR=/tmp/pip\nRUN pip install x && rm -rf /tmp/pip\n",
        id="pip-cache-dir-removed",
    ),
    pytest.param(
        F + "ENV XDG_CACHE_HOME=/var/cache\nWORKDIR /var\n"
        "RUN pip install x && rm -rf cache/pip\n",
        id="xdg-cache-home-removed-by-a-relative-path",
    ),
    pytest.param(
        F + "RUN pip install --cache-dir=/c x && pip cache purge --cache-dir /c\n",
        id="purge-of-the-cache-dir-given",
    ),
    pytest.param(
        F + "RUN uv pip install --system x && uv cache clean\n", id="uv-cache-clean"
    ),
    pytest.param(
        F + "RUN uv sync --frozen && rm -rf /root/.cache/uv\n", id="uv-rm"
    ),
    pytest.param(
        F + "RUN uv pip install --system x && uv cache clear --force\n",
        id="uv-cache-clear-alias",
    ),
    pytest.param(
        F + "RUN python3 -m pip install x && python3 -m pip -q cache purge\n",
        id="python-m-pip-cache-purge",
    ),
    # pip install --no-index from local wheels only writes nothing to the cache:
    # no HTTP (file:// is LocalFSAdapter, uncached), nothing built (_should_build
    # is false for a wheel), no self version check (skipped with --no-index).
    pytest.param(
        F + "RUN pip install --no-index --find-links=/wheels --only-binary=:all:"
        " -r requirements.txt\n",
        id="no-index-only-binary",
    ),
    pytest.param(
        F + "RUN pip install --no-index --no-deps /wheels/*.whl\n",
        id="no-index-wheel-files-no-deps",
    ),
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
    # pip turns the cache off for every value strtobool accepts, false ones too.
    pytest.param(F + "RUN PIP_NO_CACHE_DIR=0 pip install x\n", id="inline-0"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=false\nRUN pip install x\n", id="env-false"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=OFF\nRUN pip install x\n", id="env-OFF"),
    pytest.param(F + "ARG PIP_NO_CACHE_DIR=no\nRUN pip install x\n", id="arg-no"),
    pytest.param(F + "RUN PIP_NO_CACHE_DIR=n pip install x\n", id="inline-n"),
    pytest.param(F + "RUN PIP_NO_CACHE_DIR=T pip install x\n", id="inline-T"),
    # optparse prefixes: the option is given, under another spelling.
    pytest.param(F + "RUN pip install --no-cache x\n", id="abbreviated"),
    pytest.param(F + "RUN pip install --no-ca x\n", id="shortest-unique-prefix"),
    pytest.param(F + "RUN pip --no-cache install x\n", id="abbreviated-global"),
    pytest.param(
        F + "RUN python -m pip install -r r.txt --no-cache-d\n", id="python-m-prefix"
    ),
    pytest.param(F + "RUN pypy3 -m pip install --no-cache-dir x\n", id="pypy3-m"),
    # An ARG is in the environment of the stages built FROM its stage too.
    pytest.param(
        "FROM python:3.12-slim AS base\nARG PIP_NO_CACHE_DIR=1\n"
        "FROM base\nRUN pip install x\n",
        id="arg-inherited",
    ),
    pytest.param(
        "ARG NOCACHE=1\nFROM python:3.12-slim AS base\nARG NOCACHE\n"
        "ARG PIP_NO_CACHE_DIR=$NOCACHE\nFROM base AS final\nRUN pip install x\n",
        id="arg-from-global-arg-inherited",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nARG UV_NO_CACHE=true\nFROM base\nRUN uv sync\n",
        id="uv-arg-inherited",
    ),
    # uv: the exemptions of uv pip install hold for its other commands.
    pytest.param(F + "RUN uv sync --no-cache\n", id="uv-sync-option"),
    pytest.param(F + "RUN uv --no-cache sync\n", id="uv-sync-global-option"),
    pytest.param(F + "RUN uv sync -n --frozen\n", id="uv-sync-n"),
    pytest.param(F + "RUN UV_NO_CACHE=1 uv tool install ruff\n", id="uv-tool-env"),
    pytest.param(F + "RUN uv run --no-cache python x.py\n", id="uv-run-option"),
    pytest.param(F + "RUN uv run --no-sync python x.py\n", id="uv-run-no-sync"),
    pytest.param(
        F + "RUN --mount=type=cache,target=/root/.cache/uv uv sync\n",
        id="uv-sync-cache-mount",
    ),
    pytest.param(F + "RUN uv lock && uv venv && uv --version\n", id="uv-no-install"),
    # Wrappers around a compliant command.
    pytest.param(
        F + "RUN timeout 300 pip install --no-cache-dir x\n", id="timeout-option"
    ),
    pytest.param(F + "RUN su app -c 'pip install --no-cache x'\n", id="su-c-option"),
    pytest.param(F + "RUN conda run -n app python x.py\n", id="conda-run-python"),
    pytest.param(F + "RUN conda install -y pip\n", id="conda-install"),
    # A heredoc is data unless the whole command is that one heredoc.
    pytest.param(
        F + "RUN <<EOF > /tmp/setup.sh\npip install x\nEOF\n",
        id="heredoc-redirected-is-data",
    ),
    pytest.param(
        F + "RUN bash setup.sh <<EOF\npip install x\nEOF\n",
        id="heredoc-stdin-of-a-script",
    ),
    pytest.param(
        F + "RUN 3<<EOF bash\npip install x\nEOF\n",
        id="heredoc-on-fd-3-of-bash",
    ),
    # Mounts that hold the whole cache directory, wherever it is.
    pytest.param(
        F + "WORKDIR /root\nRUN --mount=type=cache,target=.cache/pip pip install x\n",
        id="cache-mount-relative-to-workdir",
    ),
    pytest.param(
        F + "USER app\n"
        "RUN --mount=type=cache,target=/home/app/.cache/pip pip install x\n",
        id="cache-mount-in-the-users-home",
    ),
    pytest.param(
        F + "ENV HOME=/srv\nRUN --mount=type=cache,target=/srv/.cache pip install x\n",
        id="cache-mount-home-from-env",
    ),
    pytest.param(
        F + "ENV PIP_CACHE_DIR=/var/cache/pip\n"
        "RUN --mount=type=cache,target=/var/cache/pip pip install x\n",
        id="cache-dir-env-into-a-mount",
    ),
    pytest.param(
        F + "RUN --mount=type=cache,target=/cache pip install --cache-dir /cache x\n",
        id="cache-dir-option-into-a-mount",
    ),
    pytest.param(
        F + "RUN --mount=type=cache,target=/cache PIP_CACHE_DIR=/cache/pip"
        " pip install x\n",
        id="cache-dir-inline-below-a-mount",
    ),
    pytest.param(
        F + "ENV XDG_CACHE_HOME=/xdg\n"
        "RUN --mount=type=cache,target=/xdg/pip pip install x\n",
        id="xdg-cache-home",
    ),
    pytest.param(
        F + "ARG CACHE=/root/.cache\n"
        "RUN --mount=type=cache,target=$CACHE pip install x\n",
        id="cache-mount-target-from-arg",
    ),
    pytest.param(
        F + "ENV UV_CACHE_DIR=/uv\nRUN --mount=type=cache,target=/uv uv sync\n",
        id="uv-cache-dir-into-a-mount",
    ),
    pytest.param(
        F
        + "RUN --mount=type=cache,target=/uv uv --cache-dir /uv/cache pip install x\n",
        id="uv-cache-dir-option-into-a-mount",
    ),
    pytest.param(
        F + "ENV XDG_CACHE_HOME=/xdg\nRUN --mount=type=cache,target=/xdg/uv uv sync\n",
        id="uv-xdg-cache-home",
    ),
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
        F
        + "# python-docker-hooks: ignore=PDH101 -- vendored base\nRUN pip install x\n",
        id="pragma-with-reason",
    ),
    pytest.param(
        F + "# hadolint ignore=DL3042 # the base image prunes it\nRUN pip install x\n",
        id="hadolint-pragma-with-comment",
    ),
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
        ALPINE_STEP.replace("rm -rf /root/.cache/pip", "rm -rf /tmp/build"),
        ALPINE_STEP.replace("rm -rf /root/.cache/pip", "rm -rf /tmp/build").replace(
            "pip install --upgrade", "pip install --no-cache-dir --upgrade"
        ),
        id="seed-alpine-step-removing-something-else",
    ),
    pytest.param(
        F + "RUN pip install x && rm -rf /root/.cache/pip && pip install y\n",
        F + "RUN pip install x && rm -rf /root/.cache/pip && pip install --no-cache-dir y\n",
        id="only-the-install-after-the-removal",
    ),
    pytest.param(
        F + "RUN pypy3 -m pip install x\n",
        F + "RUN pypy3 -m pip install --no-cache-dir x\n",
        id="pypy3-m",
    ),
    pytest.param(
        F + "RUN pip --prox http://proxy:3128 install x\n",
        F + "RUN pip --prox http://proxy:3128 install --no-cache-dir x\n",
        id="abbreviated-value-option-before-subcommand",
    ),
    pytest.param(
        F + "RUN pip install --no-cache x && pip install y\n",
        F + "RUN pip install --no-cache x && pip install --no-cache-dir y\n",
        id="abbreviated-option-not-added-twice",
    ),
    pytest.param(
        F + "RUN uv sync --frozen\n",
        F + "RUN uv sync --no-cache --frozen\n",
        id="uv-sync",
    ),
    pytest.param(
        F + "RUN uv tool install ruff\n",
        F + "RUN uv tool install --no-cache ruff\n",
        id="uv-tool-install",
    ),
    pytest.param(
        F + "RUN uv run pip install x\n",
        F + "RUN uv run --no-cache pip install --no-cache-dir x\n",
        id="uv-run-pip",
    ),
    pytest.param(
        F + 'RUN ["uv", "pip", "sync", "r.txt"]\n',
        F + 'RUN ["uv", "pip", "sync", "--no-cache", "r.txt"]\n',
        id="exec-uv-pip-sync",
    ),
    pytest.param(
        F + "RUN su app -c 'pip install x'\n",
        F + "RUN su app -c 'pip install --no-cache-dir x'\n",
        id="su-c",
    ),
    pytest.param(
        F + 'RUN ["gosu", "app", "pip", "install", "x"]\n',
        F + 'RUN ["gosu", "app", "pip", "install", "--no-cache-dir", "x"]\n',
        id="exec-gosu",
    ),
    pytest.param(
        F + "RUN cat r.txt | xargs -r timeout 60 pip install\n",
        F + "RUN cat r.txt | xargs -r timeout 60 pip install --no-cache-dir\n",
        id="xargs-timeout",
    ),
    pytest.param(
        F + "RUN 3<<EOF\npip install x\nEOF\n",
        F + "RUN 3<<EOF\npip install --no-cache-dir x\nEOF\n",
        id="heredoc-fd-3",
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\nRUN pip install x\nFROM python:3.12-slim\n",
        "FROM python:3.12-slim AS build\nRUN pip install --no-cache-dir x\n"
        "FROM python:3.12-slim\n",
        id="builder-stage",
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


def test_fix_reports_positions_in_the_fixed_file(hook: Hook) -> None:
    text = F + "RUN pip install a && uv pip install b\nRUN pip3 install c\n"
    result = hook(text)
    # uv's `install` is column 29 of the file as read; the ` --no-cache-dir`
    # inserted before it on the same line moves it to 44 in the fixed file.
    assert result.lines == [
        f"2:9: {PIP} (fixed)",
        f"2:44: {UV} (fixed)",
        f"3:10: {PIP} (fixed)",
        "Fixing",
    ]
    fixed = result.data.decode().splitlines()
    assert fixed[1][8:15] == fixed[1][43:50] == fixed[2][9:16] == "install"


def test_a_chosen_cache_dir_is_reported_without_a_fix(hook: Hook) -> None:
    # ``--no-cache-dir`` inserted after ``install`` would come before the
    # ``--cache-dir`` that pip reads after it, and change nothing.
    text = F + "RUN pip install --cache-dir /tmp/pip x\n"
    result = hook(text)
    assert (result.code, result.lines, result.data) == (
        1,
        [f"2:9: {PIP}"],
        text.encode(),
    )


def test_exit_code_and_message_for_both_rules_in_one_run(hook: Hook) -> None:
    text = F + "RUN uv pip install x\nRUN pip install y\n"
    assert hook(text, "--no-fix").lines == [uv("2:12"), pip("3:9")]


# With ``targets`` naming `runtime`, the build stops there: `runtime` (and the
# stage it is built FROM) is the image; `test`, after it, is not.
TARGET_TEXT = (
    "FROM python:3.12-slim AS base\nRUN pip install a\n"
    "FROM base AS runtime\nRUN pip install b\n"
    "FROM runtime AS test\nRUN pip install c\n"
)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param(
            "runtime",
            [
                pip("2:9"),
                pip("4:9"),
                pip_in("6:9", "the layers of stage `test` (and the build cache)"),
            ],
            id="stage-after-the-target-is-not-the-image",
        ),
        pytest.param(
            None, [pip("2:9"), pip("4:9"), pip("6:9")], id="no-target-last-stage"
        ),
        pytest.param(
            "base",
            [
                pip("2:9"),
                pip_in("4:9", "the layers of stage `runtime` (and the build cache)"),
                pip_in("6:9", "the layers of stage `test` (and the build cache)"),
            ],
            id="target-is-the-first-stage",
        ),
    ],
)
def test_the_shipped_stage_is_the_configured_target(
    target: str | None,
    expected: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    table = "[tool.python-docker-hooks]\n"
    if target is not None:
        table += f'targets = {{ "Dockerfile" = "{target}" }}\n'
    (tmp_path / "pyproject.toml").write_text(table)
    result = run(HOOK, TARGET_TEXT, tmp_path, capsys, "--no-fix")
    clear_cache()
    assert (result.code, result.lines) == (1, expected)


# Model facts this hook relies on: ARG values reach the stages built FROM their
# stage (BuildKit's dispatchState.init starts from the base stage's state), and a
# heredoc script with a #! line runs in that interpreter, not in the shell.
MODEL_ROWS = [
    pytest.param(
        "FROM python:3.12-slim AS base\nARG PIP_NO_CACHE_DIR=1\n"
        "FROM base\nRUN pip install x\n",
        [],
        id="arg-is-in-the-build-environment-of-stages-built-on-it",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nARG PIP_NO_CACHE_DIR=1\n"
        "FROM python:3.12-slim\nRUN pip install x\n",
        [pip("4:9")],
        id="arg-does-not-reach-an-unrelated-stage",
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

