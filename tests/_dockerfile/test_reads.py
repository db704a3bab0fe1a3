"""What a build reads besides its COPY/ADD sources: bind mounts, git, uv/pyenv,
the project's install, and how a project is versioned."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerfile.parse import parse
from python_docker_hooks._dockerfile.reads import build_reads, vcs_versioning

FROM = "FROM python:3.12-slim\n"


# (Dockerfile after FROM, bind-mount paths with the flag's text)
MOUNTS = [
    pytest.param(
        "RUN --mount=type=bind,source=.python-version,target=.python-version uv sync\n",
        [(".python-version", "--mount=type=bind,source=.python-version,target=.python-version")],
        id="bind",
    ),
    pytest.param(
        "RUN --mount=source=.git,target=.git,type=bind pip install .\n",
        [(".git", "--mount=source=.git,target=.git,type=bind")],
        id="setuptools-scm-docs-spelling",
    ),
    pytest.param(
        "RUN --mount=src=./uv.lock,dst=uv.lock uv sync\n",
        [("uv.lock", "--mount=src=./uv.lock,dst=uv.lock")],
        id="type-bind-by-default-src-and-dst",
    ),
    pytest.param(
        "RUN --mount=type=bind,target=/src pip install /src\n",
        [(".", "--mount=type=bind,target=/src")],
        id="no-source-is-the-whole-context",
    ),
    pytest.param(
        "ARG LOCK=uv.lock\nRUN --mount=type=bind,source=${LOCK},target=/l uv sync\n",
        [("uv.lock", "--mount=type=bind,source=${LOCK},target=/l")],
        id="variable-expanded",
    ),
    pytest.param(
        "RUN --mount=TYPE=BIND,SOURCE=a,TARGET=/a true\n",
        [("a", "--mount=TYPE=BIND,SOURCE=a,TARGET=/a")],
        id="keys-in-any-case",
    ),
    pytest.param(
        "RUN --mount=type=bind,from=builder,source=/w,target=/w true\n", [], id="from-a-stage"
    ),
    pytest.param("RUN --mount=type=cache,target=/root/.cache pip install x\n", [], id="cache"),
    pytest.param("RUN --mount=type=secret,id=env,target=.env true\n", [], id="secret"),
    pytest.param(
        "RUN --mount=type=cache,target=/c --mount=source=req.txt,target=/r.txt true\n",
        [("req.txt", "--mount=source=req.txt,target=/r.txt")],
        id="second-of-two-mounts",
    ),
]


@pytest.mark.parametrize(("body", "expected"), MOUNTS)
def test_bind_mounts(body: str, expected: list[tuple[str, str]]) -> None:
    model = parse(FROM + body)
    reads = build_reads(model)
    assert [(r.path, model.text[r.start : r.end]) for r in reads.mounts] == expected


def test_mounts_of_stages_the_build_does_not_run_are_not_read() -> None:
    model = parse(
        "FROM python:3.12-slim AS test\nRUN --mount=source=.git,target=.git git log\n"
        "FROM python:3.12-slim\nRUN true\n"
    )
    reads = build_reads(model)
    assert (reads.mounts, reads.git) == ([], None)
    assert [r.path for r in build_reads(model, "test").mounts] == [".git"]


# (Dockerfile after FROM, line of the RUN running git in a work tree, or None)
GIT = [
    pytest.param("RUN git rev-parse HEAD > REVISION\n", 2, id="rev-parse"),
    pytest.param("RUN git submodule update --init\n", 2, id="submodule"),
    pytest.param("RUN /usr/bin/git -C /app describe --tags\n", 2, id="path-and-global-option"),
    pytest.param("RUN apt-get install -y git && git log -1\n", 2, id="after-install"),
    pytest.param('RUN ["git", "describe"]\n', 2, id="exec-form"),
    pytest.param("RUN git clone https://example.com/x.git /opt/x\n", None, id="clone"),
    pytest.param("RUN git init /repo\n", None, id="init"),
    pytest.param("RUN git ls-remote https://example.com/x.git\n", None, id="ls-remote"),
    pytest.param("RUN git config --global user.name x\n", None, id="config-global"),
    pytest.param("RUN git --version\n", None, id="version"),
    pytest.param("RUN apt-get install -y git\n", None, id="installed-not-run"),
    pytest.param("RUN pip install git+https://example.com/x.git\n", None, id="pip-vcs-url"),
]


@pytest.mark.parametrize(("body", "line"), GIT)
def test_git_in_a_work_tree(body: str, line: int | None) -> None:
    reads = build_reads(parse(FROM + body))
    assert (reads.git.start_line if reads.git else None) == line


# (Dockerfile after FROM, the project is built or installed)
INSTALLS = [
    pytest.param("RUN pip install .\n", True, id="pip-dot"),
    pytest.param("RUN pip install --no-cache-dir -e .\n", True, id="pip-editable"),
    pytest.param("RUN uv pip install --system .\n", True, id="uv-pip"),
    pytest.param("RUN uv sync --frozen\n", True, id="uv-sync"),
    pytest.param("RUN uv sync --frozen --no-install-project\n", False, id="uv-sync-no-project"),
    pytest.param("RUN poetry install --only main\n", True, id="poetry-install"),
    pytest.param("RUN poetry install --no-root\n", False, id="poetry-no-root"),
    pytest.param("RUN python -m build --wheel\n", True, id="python-m-build"),
    pytest.param("RUN uv build\n", True, id="uv-build"),
    pytest.param("RUN pip install -r requirements.txt\n", False, id="requirements"),
    pytest.param("RUN pip install flask\n", False, id="package"),
]


@pytest.mark.parametrize(("body", "installs"), INSTALLS)
def test_project_installed(body: str, installs: bool) -> None:
    assert (build_reads(parse(FROM + body)).installs_project is not None) is installs


@pytest.mark.parametrize(
    ("body", "tool"),
    [
        pytest.param("WORKDIR /app\nCOPY . .\nRUN uv sync\n", "uv", id="uv"),
        pytest.param("COPY . /\nRUN uvx ruff check\n", "uv", id="uvx"),
        pytest.param("COPY . /root/\nWORKDIR /root\nRUN pyenv install\n", "pyenv", id="pyenv"),
        pytest.param("WORKDIR /app\nCOPY . .\nRUN pip install uv\n", None, id="installed-not-run"),
        # uv looks in the working directory and each parent (uv's docs, "Python
        # version files"): a copy into the WORKDIR's parent is seen too...
        pytest.param(
            "WORKDIR /usr/src\nCOPY . .\nWORKDIR app\nRUN uv sync\n", "uv", id="copied-to-a-parent"
        ),
        pytest.param(
            "WORKDIR /app\nCOPY .python-version pyproject.toml ./\nRUN uv sync\n",
            "uv",
            id="copied-by-name",
        ),
        pytest.param(
            "WORKDIR /app\nCOPY .python* ./\nRUN uv sync\n", "uv", id="copied-by-wildcard"
        ),
        pytest.param(
            "WORKDIR /app\nRUN --mount=type=bind,source=.python-version,target=.python-version"
            " uv sync\n",
            "uv",
            id="bind-mounted-by-name",
        ),
        pytest.param(
            "WORKDIR /src\nRUN --mount=type=bind,target=/src uv sync\n", "uv", id="context-mounted"
        ),
        # ... but not one below it, nor one made after the run.
        pytest.param(
            "WORKDIR /usr/src\nCOPY . homeassistant/\nRUN uv pip install -e ./homeassistant\n",
            None,
            id="context-copied-below-the-workdir",
        ),
        pytest.param(
            "WORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync\nCOPY . /app\n",
            None,
            id="uv-runs-before-the-copy",
        ),
        pytest.param(
            "RUN uv venv /venv\nFROM python:3.12-slim\nCOPY --from=0 /venv /venv\n"
            "WORKDIR /app\nCOPY . .\n",
            None,
            id="uv-in-a-stage-without-the-copy",
        ),
        pytest.param(
            "WORKDIR /app\nCOPY *.toml ./\nRUN uv sync\n", None, id="wildcard-not-matching-it"
        ),
        pytest.param(
            "RUN --mount=type=bind,target=/src uv sync\n", None, id="context-mounted-below"
        ),
        pytest.param(
            "WORKDIR /app\nCOPY src/ ./\nRUN uv sync\n", None, id="a-directory-copied-into-it"
        ),
        # Where the directories are not known, it is taken as read.
        pytest.param("WORKDIR $APP\nCOPY . .\nRUN uv sync\n", "uv", id="workdir-unset"),
        pytest.param("COPY . $DEST\nRUN uv sync\n", "uv", id="destination-unset"),
        pytest.param(
            "ARG DEST=/\nCOPY . $DEST\nRUN uv sync\n", "uv", id="destination-from-an-arg"
        ),
        pytest.param(
            "ARG DEST=/app\nCOPY . $DEST\nRUN uv sync\n", None, id="destination-from-an-arg-below"
        ),
        pytest.param(
            "COPY --from=builder /app /app\nWORKDIR /app\nRUN uv sync\n",
            "uv",
            id="copied-from-another-stage",
        ),
        pytest.param(
            "COPY . /app\nRUN cd /app && uv sync\n", "uv", id="cd-in-the-run"
        ),
        pytest.param(
            "COPY . /app\nRUN uv sync --directory /app\n", "uv", id="uv-directory-option"
        ),
    ],
)
def test_python_version_readers(body: str, tool: str | None) -> None:
    found = build_reads(parse(FROM + body)).python_version
    assert (found[1] if found else None) == tool


# (project files, the tool versioning it from git and the file naming it)
VERSIONING = [
    pytest.param(
        {"pyproject.toml": '[build-system]\nrequires = ["setuptools", "setuptools-scm"]\n'},
        ("setuptools-scm", "pyproject.toml"),
        id="setuptools-scm-requires",
    ),
    pytest.param(
        {"pyproject.toml": "[tool.setuptools_scm]\n"},
        ("setuptools-scm", "pyproject.toml"),
        id="setuptools-scm-table",
    ),
    pytest.param(
        {"pyproject.toml": '[tool.hatch.version]\nsource = "vcs"\n'},
        ("hatch-vcs", "pyproject.toml"),
        id="hatch-vcs-source",
    ),
    pytest.param(
        {"pyproject.toml": '[tool.hatch]\nversion.source = "vcs"\n'},
        ("hatch-vcs", "pyproject.toml"),
        id="hatch-vcs-dotted-key",
    ),
    pytest.param(
        {"setup.cfg": "[versioneer]\nVCS = git\nstyle = pep440\n"},
        ("versioneer", "setup.cfg"),
        id="versioneer",
    ),
    pytest.param(
        {"pyproject.toml": "[tool.poetry-dynamic-versioning]\nenable = true\n"},
        ("poetry-dynamic-versioning", "pyproject.toml"),
        id="poetry-dynamic-versioning",
    ),
    pytest.param(
        {"setup.py": "from setuptools import setup\nsetup(setup_requires=['pbr'], pbr=True)\n"},
        ("pbr", "setup.py"),
        id="pbr",
    ),
    pytest.param(
        {"setup.py": "setup(use_scm_version=True)\n"},
        ("setuptools-scm", "setup.py"),
        id="use-scm-version",
    ),
    pytest.param(
        {"pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\n'}, None, id="static"
    ),
    pytest.param({}, None, id="no-project-files"),
]


@pytest.mark.parametrize(("files", "expected"), VERSIONING)
def test_versioned_from_git(files: dict[str, str], expected: tuple[str, str] | None) -> None:
    assert vcs_versioning(files) == expected
