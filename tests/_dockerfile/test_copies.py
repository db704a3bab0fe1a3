"""Where a file of the image comes from: COPY/ADD destinations as BuildKit's
dispatchCopy reads them (relative to WORKDIR; a trailing `/` or several sources
make a directory; a directory source puts its contents there)."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerfile.copies import ABSENT, UNKNOWN, file_origin
from python_docker_hooks._dockerfile.parse import parse

F = "FROM python:3.12-slim\nWORKDIR /app\n"
PATH = "/app/gunicorn.conf.py"


@pytest.mark.parametrize(
    ("text", "candidates", "rest"),
    [
        pytest.param(F, [], ABSENT, id="nothing-copied"),
        pytest.param(F + "COPY . .\n", ["gunicorn.conf.py"], ABSENT, id="whole-context"),
        pytest.param(
            F + "COPY . /srv/\n", [], ABSENT, id="whole-context-elsewhere"
        ),
        pytest.param(
            F + "COPY src/ /app/\n", ["src/gunicorn.conf.py"], ABSENT, id="directory-contents"
        ),
        pytest.param(
            F + "COPY deploy/gunicorn.conf.py ./\n",
            ["deploy/gunicorn.conf.py", "deploy/gunicorn.conf.py/gunicorn.conf.py"],
            ABSENT,
            id="file-into-the-workdir",
        ),
        pytest.param(
            F + "COPY conf.py /app/gunicorn.conf.py\n",
            ["conf.py"],
            ABSENT,
            id="file-renamed",
        ),
        pytest.param(
            F + "ARG D=/app\nCOPY g.py ${D}/gunicorn.conf.py\n",
            ["g.py"],
            ABSENT,
            id="destination-from-an-arg",
        ),
        pytest.param(F + "COPY *.py ./\n", ["gunicorn.conf.py"], UNKNOWN, id="wildcard"),
        pytest.param(
            F + "COPY --from=build /app /app\n", [], UNKNOWN, id="another-stage"
        ),
        pytest.param(
            F + "COPY <<EOF gunicorn.conf.py\nbind = ':1'\nEOF\n", [], UNKNOWN, id="heredoc"
        ),
        pytest.param(F + "ADD app.tar.gz /app/\n", [], UNKNOWN, id="archive-unpacked"),
        pytest.param(
            F + "RUN printf 'bind = \":1\"' > gunicorn.conf.py\n", [], UNKNOWN, id="run-names-it"
        ),
        pytest.param(
            F + "COPY . .\nCOPY conf/gunicorn.conf.py .\n",
            [
                "conf/gunicorn.conf.py",
                "conf/gunicorn.conf.py/gunicorn.conf.py",
                "gunicorn.conf.py",
            ],
            ABSENT,
            id="newest-copy-first",
        ),
        pytest.param(
            "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY . .\nFROM base\nRUN true\n",
            ["gunicorn.conf.py"],
            ABSENT,
            id="copied-in-the-parent-stage",
        ),
        pytest.param(
            "FROM example.org/team/base:1\nWORKDIR /app\n", [], UNKNOWN, id="unknown-base-image"
        ),
        # COPY --from an earlier stage: the source is read in that stage from
        # its root (dockerfile2llb/convert.go dispatchCopy), and followed there.
        pytest.param(
            "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
            + F + "COPY --from=build /src /app\n",
            ["gunicorn.conf.py"],
            ABSENT,
            id="an-earlier-stage-s-directory",
        ),
        pytest.param(
            "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
            + F + "ARG D=/app\nCOPY --from=build /src ${D}\n",
            ["gunicorn.conf.py"],
            ABSENT,
            id="an-earlier-stage-to-a-destination-from-an-arg",
        ),
        pytest.param(
            "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
            + F + "COPY --from=build /${SRC} /app\n",
            [],
            UNKNOWN,
            id="an-earlier-stage-s-source-from-a-variable-is-not-followed",
        ),
        pytest.param(
            "FROM python:3.12-slim AS build\nCOPY deploy/g.py /etc/gunicorn.conf.py\n"
            + F + "COPY --from=build etc/gunicorn.conf.py ./\n",
            ["deploy/g.py/gunicorn.conf.py", "deploy/g.py"],
            ABSENT,
            id="an-earlier-stage-s-file-into-the-workdir",
        ),
        pytest.param(
            "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
            + F + "COPY --from=0 /src/other /app\n",
            ["other/gunicorn.conf.py"],
            ABSENT,
            id="an-earlier-stage-by-index",
        ),
        pytest.param(
            "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
            + F + "COPY --from=build /etc/app /app\n",
            [],
            ABSENT,
            id="an-earlier-stage-without-the-file",
        ),
        pytest.param(
            "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
            "RUN echo >> gunicorn.conf.py\n" + F + "COPY --from=build /src /app\n",
            [],
            UNKNOWN,
            id="an-earlier-stage-s-run-names-it",
        ),
        pytest.param(
            "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
            + F + "COPY --from=build --exclude=*.md /src /app\n",
            [],
            UNKNOWN,
            id="an-exclude-is-not-followed",
        ),
    ],
)
def test_file_origin(text: str, candidates: list[str], rest: str) -> None:
    model = parse(text)
    origin = file_origin(model, model.stages[-1], PATH)
    assert ([c for c, _ in origin.candidates], origin.rest) == (candidates, rest)
