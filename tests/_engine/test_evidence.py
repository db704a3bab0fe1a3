"""Where a build context comes from, strongest evidence first, on real git
repositories (tracked and untracked files): the config, then compose, bake and
workflow files, then the directory where the Dockerfile's COPY sources exist."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from contextrun import write_tree

from python_docker_hooks._engine import boundary, files
from python_docker_hooks._engine import builds as builds_module
from python_docker_hooks._engine.config import Config
from python_docker_hooks._engine.contexts import Resolver
from python_docker_hooks._engine.group import read_dockerfile

Files = dict[str, str]

WGER_LIKE = (
    "FROM python:3.12-slim\n"
    "COPY requirements/docker.txt /tmp/\n"
    "RUN pip install --no-cache-dir -r /tmp/docker.txt\n"
    "COPY wger /app/wger\n"
)


def repo(tmp_path: Path, tracked: Files, untracked: Files | None = None) -> Path:
    boundary.clear_cache()
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, tracked)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    write_tree(tmp_path, untracked or {})
    return tmp_path


def builds(root: Path, dockerfile: str, config: Config | None = None) -> list[tuple[str, str, str | None, str, bool]]:
    resolver = Resolver(lambda p: config or Config(), read_dockerfile)
    return [
        (
            Path(b.context).relative_to(root).as_posix(),
            Path(b.dockerfile).relative_to(root).as_posix(),
            b.target,
            b.evidence.replace(str(root) + "/", ""),
            b.certain,
        )
        for b in resolver.builds_of(str(root / dockerfile))
    ]


# (tracked files, untracked files, Dockerfile, expected builds:
#  (context, Dockerfile, target, evidence, certain))
ROWS = [
    pytest.param(
        {
            "extras/docker/production/Dockerfile": WGER_LIKE,
            "requirements/docker.txt": "django\n",
            "wger/__init__.py": "",
        },
        {},
        "extras/docker/production/Dockerfile",
        [(".", "extras/docker/production/Dockerfile", None,
          "where COPY requirements/docker.txt exists", True)],
        id="copy-sources-exist-only-at-the-root",
    ),
    pytest.param(
        {"api/Dockerfile": "FROM python:3.12-slim\nCOPY app.py .\n", "api/app.py": "", "app.py": ""},
        {},
        "api/Dockerfile",
        [("api", "api/Dockerfile", None, "where COPY app.py exists", True)],
        id="nearest-directory-wins",
    ),
    pytest.param(
        {"api/Dockerfile": "FROM python:3.12-slim\nCOPY src/*.py .\n"},
        {"src/main.py": ""},
        "api/Dockerfile",
        [(".", "api/Dockerfile", None, "where COPY src/*.py exists", True)],
        id="wildcard-matches-an-untracked-file",
    ),
    # The builder reads .dockerignore at the root of the context only, and a
    # <Dockerfile>.dockerignore beside the Dockerfile whatever the context
    # (Docker's "Build context" docs, .dockerignore files): a .dockerignore in the
    # Dockerfile's directory says that directory is built as a context, so a
    # missing source is no reason to climb; the Dockerfile-specific one says
    # nothing about the context.
    pytest.param(
        {"app/Dockerfile": "FROM python:3.12-slim\nCOPY README.md main.py ./\n",
         "app/.dockerignore": ".git\n", "app/main.py": "", "README.md": "", "main.py": ""},
        {},
        "app/Dockerfile",
        [("app", "app/Dockerfile", None,
          ("the Dockerfile's directory, which has its own .dockerignore, "
          "though COPY README.md is not in it; uncertain"), False)],
        id="own-dockerignore-stops-the-climb-uncertain",
    ),
    pytest.param(
        {"app/Dockerfile": "FROM python:3.12-slim\nCOPY README.md ./\n",
         "app/Dockerfile.dockerignore": ".git\n", "README.md": ""},
        {},
        "app/Dockerfile",
        [(".", "app/Dockerfile", None, "where COPY README.md exists", True)],
        id="dockerfile-specific-ignore-file-is-read-from-any-context",
    ),
    pytest.param(
        {"api/Dockerfile": "FROM python:3.12-slim\nARG REQ=requirements.txt\nCOPY ${REQ} .\n",
         "requirements.txt": ""},
        {},
        "api/Dockerfile",
        [(".", "api/Dockerfile", None, "where COPY requirements.txt exists", True)],
        id="expanded-variable-counts",
    ),
    pytest.param(
        {"api/Dockerfile": (
            "FROM python:3.12-slim AS base\nFROM base\nCOPY --from=base /x /x\n"
            "ADD https://example.com/a.tgz /\nCOPY <<EOF /etc/x\nhi\nEOF\nCOPY . .\n"
        )},
        {},
        "api/Dockerfile",
        [("api", "api/Dockerfile", None, "the Dockerfile's directory, uncertain", False)],
        id="from-url-heredoc-and-dot-decide-nothing",
    ),
    pytest.param(
        {"Dockerfile": (
            "FROM python:3.12-slim\nARG SRC\nCOPY ${SRC}/requirements.txt reqs.txt /\n"
        ), "reqs.txt": ""},
        {},
        "Dockerfile",
        [(".", "Dockerfile", None, "where COPY reqs.txt exists", True)],
        id="arg-without-default-is-given-at-build-time",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\n",
            "compose.yaml": "services:\n  a:\n    build: .\n    ports: !reset []\n",
            "compose.override.yaml": "services:\n  a:\n    build: !override\n      target: dev\n",
        },
        {},
        "Dockerfile",
        [(".", "Dockerfile", "dev", "compose.yaml, service a", True)],
        id="compose-reset-and-override-tags",
    ),
    pytest.param(
        {"api/Dockerfile": "FROM python:3.12-slim\nCOPY nowhere.txt .\n"},
        {},
        "api/Dockerfile",
        [("api", "api/Dockerfile", None, "the Dockerfile's directory, uncertain", False)],
        id="source-found-nowhere",
    ),
    pytest.param(
        {
            "extras/docker/production/Dockerfile": WGER_LIKE,
            "deploy/compose.production.yaml": (
                "services:\n  web:\n    build:\n      context: ..\n"
                "      dockerfile: extras/docker/production/Dockerfile\n      target: prod\n"
            ),
        },
        {},
        "extras/docker/production/Dockerfile",
        [(".", "extras/docker/production/Dockerfile", "prod",
          "deploy/compose.production.yaml, service web", True)],
        id="compose-file-of-any-name-at-any-depth",
    ),
    pytest.param(
        {
            "svc/Dockerfile": "FROM python:3.12-slim\n",
            "compose.yaml": "services:\n  a:\n    build: svc\n  b:\n    build:\n      context: .\n"
            "      dockerfile: svc/Dockerfile\n",
        },
        {},
        "svc/Dockerfile",
        [("svc", "svc/Dockerfile", None, "compose.yaml, service a", True),
         (".", "svc/Dockerfile", None, "compose.yaml, service b", True)],
        id="compose-builds-one-dockerfile-in-two-contexts",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\n",
            "compose.yaml": "services:\n  a:\n    build: ${CTX:-.}\n",
        },
        {},
        "Dockerfile",
        [(".", "Dockerfile", None,
          "compose.yaml, service a, read with the defaults of its variables, uncertain", False)],
        id="compose-variable-default-is-uncertain",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\n",
            "compose.yaml": "services:\n  a:\n    build: ${CTX}\n  b:\n    build: $$x\n",
        },
        {},
        "Dockerfile",
        [(".", "Dockerfile", None, "the Dockerfile's directory, uncertain", False)],
        id="compose-variable-from-the-environment-is-unknown",
    ),
    pytest.param(
        {
            "docker/app.Dockerfile": "FROM python:3.12-slim\n",
            "docker-bake.hcl": (
                'variable "TAG" {\n  default = "latest"\n}\n'
                'target "base" {\n  context = "."\n}\n'
                'target "app" {\n  inherits = ["base"]\n  dockerfile = "docker/app.Dockerfile"\n'
                '  target = "runtime"\n  tags = ["x:${TAG}"]\n}\n'
            ),
        },
        {},
        "docker/app.Dockerfile",
        [(".", "docker/app.Dockerfile", "runtime", "docker-bake.hcl, target app", True)],
        id="bake-hcl-with-inherits",
    ),
    pytest.param(
        {
            "api/Dockerfile": "FROM python:3.12-slim\n",
            "docker-bake.json": '{"target": {"api": {"context": "api"}}}',
            "docker-bake.override.json": '{"target": {"api": {"target": "dev"}}}',
        },
        {},
        "api/Dockerfile",
        [("api", "api/Dockerfile", "dev", "docker-bake.json, target api", True)],
        id="bake-json-with-override",
    ),
    pytest.param(
        {
            "docker/Dockerfile": "FROM python:3.12-slim\n",
            ".github/workflows/release.yml": (
                "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: actions/checkout@v4\n"
                "      - name: Build\n        uses: docker/build-push-action@v6\n"
                "        with:\n          file: docker/Dockerfile\n          target: prod\n"
            ),
        },
        {},
        "docker/Dockerfile",
        [(".", "docker/Dockerfile", "prod", ".github/workflows/release.yml, job image, Build", True)],
        id="workflow-build-push-action-default-context-is-the-root",
    ),
    pytest.param(
        {
            "svc/api/Containerfile": "FROM python:3.12-slim\n",
            ".github/workflows/ci.yaml": (
                "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: |\n          cd svc\n"
                "          docker buildx build --platform linux/amd64 -t x:1 "
                "--file api/Containerfile --target test --load .\n"
                "      - run: podman build -f \"$FILE\" .\n"
            ),
        },
        {},
        "svc/api/Containerfile",
        [("svc", "svc/api/Containerfile", "test", ".github/workflows/ci.yaml, job test, step 1", True)],
        id="workflow-run-line-read-with-the-shell-view",
    ),
    # A Docker container action: the runner builds runs.image with the
    # Dockerfile's own directory as the context (actions/runner
    # ContainerActionHandler).
    pytest.param(
        {
            ".github/actions/lint/action.yml": "name: lint\nruns:\n  using: docker\n  image: docker/Dockerfile\n",
            ".github/actions/lint/docker/Dockerfile": "FROM python:3.12-slim\n",
        },
        {},
        ".github/actions/lint/docker/Dockerfile",
        [(
            ".github/actions/lint/docker",
            ".github/actions/lint/docker/Dockerfile",
            None,
            ".github/actions/lint/action.yml, runs.image",
            True,
        )],
        id="docker-container-action-context-is-the-dockerfile-s-directory",
    ),
    pytest.param(
        {
            "action.yaml": "runs:\n  using: docker\n  image: docker://python:3.12-slim\n",
            "Dockerfile": "FROM python:3.12-slim\n",
        },
        {},
        "Dockerfile",
        [(".", "Dockerfile", None, "the Dockerfile's directory, uncertain", False)],
        id="action-running-an-image-builds-nothing",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY app.py .\n",
            "app.py": "",
            "compose.yaml": "services:\n  a:\n    build: .\n",
        },
        {},
        "Dockerfile",
        [("sub", "Dockerfile", None, "pyproject.toml [tool.python-docker-hooks.contexts]", True)],
        id="config-wins-over-compose",
    ),
]


@pytest.mark.parametrize(("tracked", "untracked", "dockerfile", "expected"), ROWS)
def test_context_evidence(
    tracked: Files,
    untracked: Files,
    dockerfile: str,
    expected: list[tuple[str, str, str | None, str, bool]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = repo(tmp_path, tracked, untracked)
    monkeypatch.chdir(root)
    config = None
    if "[tool.python-docker-hooks.contexts]" in str(expected):
        (root / "sub").mkdir()
        config = Config(str(root / "pyproject.toml"), contexts=[("Dockerfile", "sub")])
    assert builds(root, dockerfile, config) == expected


def test_definitions_are_found_with_one_git_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(
        tmp_path,
        {f"pkg{i}/mod.py": "" for i in range(50)}
        | {"a/Dockerfile": "FROM python:3.12-slim\nCOPY . .\n", "compose.yaml": "services: {}\n"},
    )
    monkeypatch.chdir(root)
    calls: list[list[str]] = []
    real = files.git_output

    def spy(args: list[str], directory: str) -> bytes | None:
        calls.append(["git", *args])
        return real(args, directory)

    monkeypatch.setattr(files, "git_output", spy)
    monkeypatch.setattr(builds_module, "git_output", spy)
    resolver = Resolver(lambda p: Config(), read_dockerfile)
    resolver.builds_of(str(root / "a/Dockerfile"))
    resolver.served_by(str(root / ".dockerignore"))
    # The index is read once: the definitions are found in it, and the context
    # at the root asks the same listing.
    assert resolver.context_tracked(str(root)) is not None
    assert calls == [["git", "ls-files", "-z", "--cached"]]


@pytest.mark.parametrize(
    ("files", "dockerfile", "sends"),
    [
        ({"Dockerfile": "FROM python:3.12-slim\n"}, "Dockerfile", True),
        ({"api/Dockerfile": "FROM python:3.12-slim\n"}, "api/Dockerfile", False),
        ({"api/Dockerfile": "FROM python:3.12-slim\n", "api/.git": "gitdir: ../.git/modules/api\n"},
         "api/Dockerfile", True),
    ],
    ids=["root", "subdirectory", "subdirectory-with-its-own-git"],
)
def test_git_can_be_sent_only_from_the_root_or_its_own(
    files: Files, dockerfile: str, sends: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path, {})
    write_tree(root, files)
    monkeypatch.chdir(root)
    (build,) = Resolver(lambda p: Config(), read_dockerfile).builds_of(str(root / dockerfile))
    assert build.sends_git is sends


def test_broken_compose_file_elsewhere_is_not_this_runs_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextrun import NO_RECOMMENDED, REQUIRED_LINES, run_tree

    repo(
        tmp_path,
        {
            "api/Dockerfile": "FROM python:3.12-slim\nCOPY app.py .\n",
            "api/app.py": "",
            "api/.dockerignore": REQUIRED_LINES,
            "other/compose.yaml": "services:\n  x:\n    build: [\n",
            "pyproject.toml": NO_RECOMMENDED,
        },
    )
    result = run_tree("dockerignore_entries", tmp_path, capsys, monkeypatch, "api/Dockerfile")
    assert (result.code, result.lines) == (0, [])


def test_finding_names_the_evidence_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from python_docker_hooks import _cli

    repo(
        tmp_path,
        {
            "extras/docker/production/Dockerfile": WGER_LIKE,
            "requirements/docker.txt": "",
            "wger/__init__.py": "",
            ".dockerignore": "requirements\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    code = _cli.main(
        ["check", "--no-fix", "--select", "PDH911", "--format", "json",
         "extras/docker/production/Dockerfile"]
    )
    entries = json.loads(capsys.readouterr().out)
    entries = entries if isinstance(entries, list) else entries.get("findings", entries)
    messages = [e["message"] for e in entries]
    assert code == 1
    assert messages == [
        (
            "COPY source `requirements/docker.txt` is excluded by .dockerignore:1 "
            "(`requirements`) (build context `.`, where COPY requirements/docker.txt "
            "exists): it is not in the build context"
        )
    ]
