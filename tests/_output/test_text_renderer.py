"""The text of ``check``: colour only where it belongs, and the summary's counts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from clirun import FLAWED, SHOWN

from python_docker_hooks._output.text import CheckTextRenderer, use_colour


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "env", "colour"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": ""}, False),
        (False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (True, {"TERM": "dumb"}, False),
    ],
)
def test_use_colour(tty: bool, env: dict[str, str], colour: bool) -> None:
    out = Tty() if tty else io.StringIO()
    assert use_colour(out, env) is colour


def test_colour_marks_path_code_and_fix_state(tmp_path: Path) -> None:
    from python_docker_hooks._engine.registry import spec
    from python_docker_hooks._engine.runner import process

    result = process(FLAWED.encode(), "Dockerfile", [spec(h) for h in SHOWN], fix=False)
    out = io.StringIO()
    renderer = CheckTextRenderer(out, colour=True)
    renderer.file(result)
    renderer.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "\x1b[1mDockerfile\x1b[0m:1:1: \x1b[1;31mPDH201\x1b[0m `python:3.12-alpine` is "
        "Alpine (musl): PyPI's manylinux (glibc) wheels do not install, so a package "
        "without a musllinux wheel compiles from source (slow builds, bigger images); "
        "use `python:3.12-slim`"
    )
    assert lines[3].endswith(" \x1b[36m[*]\x1b[0m")
    assert lines[-1] == "Found 4 findings (3 fixable with --fix)"
