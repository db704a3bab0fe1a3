"""Development images: a dev container's Dockerfile is not judged as one that ships.

The Development Containers specification keeps a project's dev container files in a
`.devcontainer` directory (containers.dev/implementors/spec, "devcontainer.json": the
file is `.devcontainer/devcontainer.json`, `.devcontainer.json`, or
`.devcontainer/<folder>/devcontainer.json`; its `build.dockerfile` is relative to
it); the user the editor works as is `remoteUser` there (containers.dev/implementors/
json_reference), and its ports are `forwardPorts`. So on such a Dockerfile the
rules that judge only a shipped image say nothing, and the others still do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clirun import cli

from python_docker_hooks._engine.registry import all_rules

# Trips the shipped-only rules PDH113, PDH511, PDH602 (`flask run` binds 127.0.0.1),
# PDH621, PDH631, PDH702 and PDH801, and two that hold everywhere: PDH101, PDH301.
DOCKERFILE = """\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc
COPY --from=ghcr.io/astral-sh/uv:0.5.1 /uv /bin/
RUN uv sync --locked
RUN pip install flask
CMD flask run --debug
"""

SHIPPED_ONLY = ("PDH113", "PDH511", "PDH602", "PDH621", "PDH631", "PDH702", "PDH801")
EVERYWHERE = ("PDH101", "PDH301")


def codes(out: str) -> set[str]:
    return set(re.findall(r"^\S+:\d+:\d+: (PDH\d+) ", out, re.MULTILINE))


def run_on(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> set[str]:
    dockerfile = tmp_path / where
    dockerfile.parent.mkdir(parents=True, exist_ok=True)
    dockerfile.write_text(DOCKERFILE, encoding="utf-8")
    run = cli(capsys, tmp_path, "check", where, every_hook=True)
    assert run.code == 1, run.out + run.err
    assert dockerfile.read_text(encoding="utf-8") == DOCKERFILE
    return codes(run.out)


def test_a_shipped_dockerfile_trips_every_rule_of_the_fixture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = run_on(tmp_path, capsys, "docker/Dockerfile")
    assert set(SHIPPED_ONLY) | set(EVERYWHERE) <= found


@pytest.mark.parametrize(
    "where",
    [".devcontainer/Dockerfile", ".github/.devcontainer/Dockerfile", ".devcontainer/py/Dockerfile"],
)
def test_a_dev_containers_dockerfile_is_not_judged_as_shipped(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = run_on(tmp_path, capsys, where)
    assert not found & set(SHIPPED_ONLY)
    assert set(EVERYWHERE) <= found


def test_development_images_empty_judges_every_dockerfile_as_shipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.python-docker-hooks]\ndevelopment-images = []\n", encoding="utf-8"
    )
    found = run_on(tmp_path, capsys, ".devcontainer/Dockerfile")
    assert set(SHIPPED_ONLY) | set(EVERYWHERE) <= found


def test_development_images_names_other_dockerfiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.python-docker-hooks]\ndevelopment-images = ["docker/dev.Dockerfile"]\n',
        encoding="utf-8",
    )
    assert not run_on(tmp_path, capsys, "docker/dev.Dockerfile") & set(SHIPPED_ONLY)
    # The configured list replaces the default.
    assert set(SHIPPED_ONLY) <= run_on(tmp_path, capsys, ".devcontainer/Dockerfile")


def test_a_fix_on_a_development_image_mends_only_what_still_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = tmp_path / ".devcontainer" / "Dockerfile"
    dockerfile.parent.mkdir()
    dockerfile.write_text(DOCKERFILE, encoding="utf-8")
    run = cli(capsys, tmp_path, "check", "--fix", ".devcontainer/Dockerfile", every_hook=True)
    assert run.code == 1
    # The rules that still apply are fixed (PDH301, PDH114, PDH102, PDH101); the
    # shell-form CMD (PDH621) is left as written.
    assert dockerfile.read_text(encoding="utf-8") == (
        "FROM python:3.12-slim\n"
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
        "COPY --from=ghcr.io/astral-sh/uv:0.5.1 /uv /bin/\n"
        "RUN uv sync --compile-bytecode --no-cache --locked\n"
        "RUN pip install --no-cache-dir flask\n"
        "CMD flask run --debug\n"
    )


def test_the_shipped_only_rules_are_those_the_docs_name() -> None:
    """docs/configuration.md lists the rules a development image is spared."""
    shipped_only = {r.code for r in all_rules() if r.shipped_only}
    assert set(SHIPPED_ONLY) <= shipped_only
    text = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text(
        encoding="utf-8"
    )
    paragraph = text.split("A *development image*", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"PDH\d+", paragraph)) == shipped_only
