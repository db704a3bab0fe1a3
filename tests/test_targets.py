"""Every rule about the shipped stage follows ``targets``: the stage the config
names for the file, else the last stage."""

from __future__ import annotations

from pathlib import Path

import pytest
from hookrun import run

# Stage `app` breaks every shipped-stage rule; the last stage, `test`, none.
APP = (
    "FROM python:3.12-slim AS app\n"
    "RUN apt-get install -y gcc\n"
    "CMD uvicorn main:app --host 0.0.0.0\n"
)
TEST = (
    "FROM python:3.12-slim AS test\n"
    'LABEL maintainer="team@example.com"\n'
    "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"
    "EXPOSE 8000\n"
    "USER 10001\n"
    'CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n'
)
CONTENT = APP + TEST


@pytest.mark.parametrize(
    ("hook", "code"),
    [
        ("python_env_vars", "PDH301"),
        ("non_root_user", "PDH511"),
        ("label_maintainer", "PDH702"),
        ("build_deps_in_final_stage", "PDH801"),
        ("expose_port", "PDH601"),
        ("exec_form_cmd", "PDH621"),
    ],
)
@pytest.mark.parametrize("target", [None, "app", "APP", "test"])
def test_rule_judges_the_target(
    hook: str,
    code: str,
    target: str | None,
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
    result = run(hook, CONTENT, tmp_path, capsys, "--no-fix")
    clear_cache()
    codes = [line.split(" ")[1] for line in result.lines]
    assert (code in codes) == (target in ("app", "APP")), result.lines
    assert result.data == CONTENT.encode()
