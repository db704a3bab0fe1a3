"""non-root-user's unsafe fix, run for real in a Debian root (the ``live`` profile).

Each row is a Dockerfile on a Debian-family base that the hook fixes with
``--unsafe-fixes``. What the fix inserted is found by comparing BuildKit's parse of
the file before and after; the RUN instructions of the shipped stage (and of the
stages it is built on) then run in the root as BuildKit runs them, and the user the
fix's ``USER`` line names must exist there, with the UID, group and shell that the
command creating it asks for. Nothing is expected from a table of our own: the
name, UID, group and shell come from the fixed file, so the rows hold whatever
command the fix writes.
"""

from __future__ import annotations

import difflib
import shlex
import time
from pathlib import Path
from typing import Any, NamedTuple

import dockerfile
import pytest

from python_docker_hooks import non_root_user

from .debian_root import DebianRoot, Overlay, unchanged

pytestmark = pytest.mark.live

HOST_FILES = (Path("/etc/passwd"), Path("/etc/group"), Path("/etc/shadow"))
ROOT_FILES = ("etc/passwd", "etc/group", "etc/shadow")

P = "FROM python:3.12-slim\n"
CMD = 'CMD ["python", "-m", "app"]\n'
CONFIG = '[tool.python-docker-hooks.non-root-user]\nuid = 5678\nname = "web"\n'

ROWS = [
    # A user created fresh, with the group useradd makes of the same name.
    pytest.param(P + "WORKDIR /app\nCOPY . .\n" + CMD, None, id="python-slim-no-user"),
    pytest.param(
        "FROM python:3.11-slim-bookworm\nRUN mkdir -p /srv/data\n",
        None,
        id="python-slim-at-the-end",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nUSER root\nRUN mkdir -p /srv/app\n" + CMD,
        None,
        id="debian-slim-user-root",
    ),
    pytest.param("FROM ubuntu:24.04\n" + CMD, None, id="ubuntu-no-user"),
    pytest.param(
        "FROM python:3.12 AS build\nRUN mkdir /wheels\n"
        + P
        + "COPY --from=build /wheels /wheels\n"
        + CMD,
        None,
        id="multi-stage",
    ),
    pytest.param(
        (P + "RUN mkdir -p /srv/app\n" + CMD).replace("\n", "\r\n"),
        None,
        id="crlf",
    ),
    pytest.param(P + CMD, CONFIG, id="configured-uid-and-name"),
    # A group the file creates with the fix's UID as its GID: shadow's useradd
    # then gives the new group another GID.
    pytest.param(
        P + "RUN groupadd --gid 10001 web\n" + CMD, None, id="gid-of-the-uid-taken"
    ),
    # A group of the fix's name, created by the file: useradd must join it, as
    # it refuses to create a group that exists (exit 9).
    pytest.param(
        P + "RUN groupadd --gid 7000 app\n" + CMD, None, id="group-of-the-name"
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN addgroup --gid 7000 app\n" + CMD,
        None,
        id="group-of-the-name-debian-addgroup",
    ),
    # An existing user is reused: the fix writes only USER.
    pytest.param(
        P
        + "RUN groupadd --gid 5678 web && useradd --uid 5678 --gid web "
        + "--no-log-init --create-home web\n"
        + CMD,
        None,
        id="reuse-useradd",
    ),
    pytest.param(
        P + "RUN adduser --uid 5678 --disabled-password --gecos '' web\n" + CMD,
        None,
        id="reuse-debian-adduser",
    ),
    pytest.param(
        P + "RUN useradd --create-home web\n" + CMD, None, id="reuse-user-without-uid"
    ),
    pytest.param(
        P + "RUN useradd -u 5678 web\nUSER web\nRUN mkdir /srv/x\nUSER root\n",
        None,
        id="reuse-after-user-root",
    ),
    pytest.param(
        P + "RUN useradd --uid 5678 --shell /bin/bash web\nFROM python:3.12-slim AS x\n"
        "FROM debian:bookworm-slim AS base\nRUN useradd --uid 4321 svc\n"
        "FROM base\n" + CMD,
        None,
        id="reuse-from-the-stage-built-on",
    ),
]


class Inserted(NamedTuple):
    runs: list[Any]  # BuildKit commands
    user: str  # the USER line's user part


def fix(tmp_path: Path, text: str, config: str | None) -> tuple[bytes, bytes]:
    """The file's bytes before and after ``non-root-user --unsafe-fixes``."""
    work = tmp_path / "project"
    work.mkdir()
    if config is not None:
        (work / "pyproject.toml").write_text(config)
    path = work / "Dockerfile"
    before = text.encode()
    path.write_bytes(before)
    code = non_root_user.main(["--unsafe-fixes", str(path)])
    after = path.read_bytes()
    assert code == 1, "a fix changes the file, and the hook says so"
    assert after != before
    return before, after


def parse(data: bytes) -> list[Any]:
    return list(dockerfile.parse_string(data.decode("utf-8-sig")))


def inserted(before: bytes, after: bytes) -> Inserted:
    """The instructions the fix added (it only adds, and ends with USER)."""
    old = [(c.cmd, c.value, c.flags) for c in parse(before)]
    new_cmds = parse(after)
    new = [(c.cmd, c.value, c.flags) for c in new_cmds]
    added: list[Any] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        assert op == "insert", f"the fix changed instructions: {op}"
        added.extend(new_cmds[j1:j2])
    assert added, "nothing inserted"
    assert [c.cmd.upper() for c in added[:-1]] == ["RUN"] * (len(added) - 1)
    assert added[-1].cmd.upper() == "USER"
    return Inserted(added[:-1], added[-1].value[0].split(":", 1)[0])


def shipped_runs(data: bytes) -> list[Any]:
    """The RUN instructions of the last stage and of the stages it is built on,
    in build order."""
    stages: list[tuple[str, str, list[Any]]] = []  # name, base, instructions
    for cmd in parse(data):
        if cmd.cmd.upper() == "FROM":
            words = [w for w in cmd.value]
            name = words[2].lower() if len(words) >= 3 else ""
            stages.append((name, words[0].lower(), []))
        elif stages:
            stages[-1][2].append(cmd)
    lineage = [stages[-1]]
    while True:
        base = lineage[-1][1]
        parents = [s for s in stages[: stages.index(lineage[-1])] if s[0] == base]
        if not parents:
            break
        lineage.append(parents[-1])
    return [c for st in reversed(lineage) for c in st[2] if c.cmd.upper() == "RUN"]


def run_as_buildkit(layer: Overlay, cmd: Any) -> None:
    """A RUN instruction, the way BuildKit runs it: exec form as written, shell
    form as ``/bin/sh -c <text>``."""
    if cmd.heredocs:
        pytest.fail(f"a heredoc RUN is not run here: {cmd.original}")
    result = layer.run(list(cmd.value)) if cmd.json else layer.sh(cmd.value[0])
    assert result.returncode == 0, (
        f"{cmd.original!r} failed in the root (exit {result.returncode}): "
        f"{result.stderr.strip()}"
    )


def simple_commands(text: str) -> list[list[str]]:
    """The simple commands of a RUN's text, split at ``&&``, ``||``, ``;``, ``|``."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in ("&&", "||", ";", "|", "&"):
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


class Promise(NamedTuple):
    """What the command creating the user asks for ('' where it says nothing)."""

    command: list[str]
    uid: str
    group: str
    shell: str


def promise(runs: list[Any], name: str) -> Promise | None:
    """From the last useradd/adduser among ``runs`` that names ``name``; None
    when none does."""
    found = None
    for cmd in runs:
        if cmd.json or cmd.heredocs:
            continue
        for argv in simple_commands(cmd.value[0]):
            program = argv[0].rsplit("/", 1)[-1]
            if program in ("useradd", "adduser") and name in argv[1:]:
                found = argv
    if found is None:
        return None
    return Promise(
        found,
        _value(found, "-u", "--uid"),
        _value(found, "-g", "--gid", "--ingroup"),
        _value(found, "-s", "--shell"),
    )


def _value(argv: list[str], *names: str) -> str:
    for i, word in enumerate(argv[1:], 1):
        for name in names:
            if word == name and i + 1 < len(argv):
                return argv[i + 1]
            if name.startswith("--") and word.startswith(name + "="):
                return word[len(name) + 1 :]
    return ""


def check_user(layer: Overlay, name: str, wanted: Promise) -> None:
    """The user exists in the root as the creating command asked."""
    entry = layer.run(["getent", "passwd", name])
    assert entry.returncode == 0, f"user {name!r} does not exist in the root"
    fields = entry.stdout.strip().split(":")
    uid, gid, shell = fields[2], fields[3], fields[6]
    assert uid != "0"
    if wanted.uid:
        assert uid == wanted.uid, (
            f"{name!r} has UID {uid}, the fix promises {wanted.uid}"
        )
    # `id -u` resolves the name as USER does at run time (runc reads the image's
    # /etc/passwd); a process started as that user gets that UID.
    assert layer.run(["id", "-u", name]).stdout.strip() == uid
    started = layer.run(
        ["setpriv", f"--reuid={name}", f"--regid={gid}", "--init-groups", "id", "-u"]
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == uid
    group = layer.run(["id", "-gn", name]).stdout.strip()
    # Without a group named, useradd (USERGROUPS_ENAB) and Debian's adduser
    # (USERGROUPS=yes) make one of the user's own name.
    assert group == (wanted.group or name)
    if wanted.shell:
        assert shell == wanted.shell
        assert layer.run(["test", "-x", shell]).returncode == 0, f"no {shell}"


def check_uncreated_user(layer: Overlay, user: str) -> None:
    """A USER that no command of the build creates: a UID, which needs no entry
    in /etc/passwd, or a user the base image ships."""
    if user.isdigit():
        started = layer.run(
            ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
            + ["id", "-u"]
        )
        assert started.returncode == 0, started.stderr
        assert started.stdout.strip() == user != "0"
        return
    entry = layer.run(["getent", "passwd", user])
    if entry.returncode != 0:
        pytest.skip(
            f"the fix names {user!r}, which no command of the file creates: a user "
            "of the base image that a Debian minbase root does not have"
        )
    assert entry.stdout.split(":")[2] != "0"


@pytest.mark.parametrize(("text", "config"), ROWS)
def test_the_fix_creates_the_user_its_user_line_names(
    debian_root: DebianRoot, tmp_path: Path, text: str, config: str | None
) -> None:
    before, after = fix(tmp_path, text, config)
    added = inserted(before, after)
    runs = shipped_runs(after)
    for cmd in added.runs:
        assert cmd.original in [r.original for r in runs]
    wanted = promise(runs, added.user)
    if added.runs:
        # A user created fresh: by the fix's own command.
        assert wanted is not None, f"the fix's RUN does not create {added.user!r}"
        assert wanted.command in [
            argv for cmd in added.runs for argv in simple_commands(cmd.value[0])
        ]
    lower = debian_root.path
    layer = debian_root.layer(tmp_path / "overlay")
    with unchanged(*HOST_FILES, *(lower / f for f in ROOT_FILES)):
        for cmd in runs:
            run_as_buildkit(layer, cmd)
        if wanted is None:
            check_uncreated_user(layer, added.user)
            return
        check_user(layer, added.user, wanted)
    # What the commands wrote is in the test's own layer.
    assert f"\n{added.user}:" in "\n" + (layer.upper / "etc/passwd").read_text()


def test_the_fix_leaves_the_root_and_the_host_alone_when_a_command_fails(
    debian_root: DebianRoot, tmp_path: Path
) -> None:
    """The harness itself: a failing useradd is reported, and neither the host's
    nor the cached root's files change (the second useradd of one name fails)."""
    layer = debian_root.layer(tmp_path / "overlay")
    lower = debian_root.path
    with unchanged(*HOST_FILES, *(lower / f for f in ROOT_FILES)):
        assert layer.sh("useradd --uid 5678 web").returncode == 0
        again = layer.sh("useradd --uid 5679 web")
    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert layer.run(["getent", "passwd", "web"]).stdout.split(":")[2] == "5678"
    # A new layer on the same root starts from the root as built.
    fresh = debian_root.layer(tmp_path / "fresh")
    assert fresh.run(["getent", "passwd", "web"]).returncode != 0


def test_the_fixes_of_the_corpus_run(
    debian_root: DebianRoot, tmp_path: Path, corpus_fixes: list[CorpusFix]
) -> None:
    """Every distinct fix the hook makes on the Debian-family Dockerfiles of the
    real-world corpus runs, and creates (or reuses) the user its USER names."""
    failures = []
    for n, case in enumerate(corpus_fixes):
        layer = debian_root.layer(tmp_path / f"overlay{n}")
        try:
            with unchanged(*HOST_FILES, *(debian_root.path / f for f in ROOT_FILES)):
                for argv in case.commands:
                    result = layer.run(argv)
                    assert result.returncode == 0, (
                        f"{shlex.join(argv)}: exit {result.returncode}: "
                        f"{result.stderr.strip()}"
                    )
                check_user(layer, case.user, case.promise)
        except AssertionError as exc:
            failures.append(f"{case.files[0]} (+{len(case.files) - 1}): {exc}")
    assert not failures, "\n".join(failures)


class CorpusFix(NamedTuple):
    files: list[str]
    commands: list[list[str]]  # argv run in the root, in order
    user: str
    promise: Promise


@pytest.fixture(scope="session")
def corpus_fixes(summary_lines: list[str]) -> list[CorpusFix]:
    """The corpus's Debian-family fixes, one per distinct set of commands.

    A fresh user: the RUNs the fix inserted, as ``/bin/sh -c``. A reused user:
    the user and group commands the file itself runs for it (the other commands
    of those RUNs install packages and need the network), as the model reads
    them.
    """
    from corpus.conftest import CORPUS, dockerfiles

    from python_docker_hooks._dockerfile.facts import family, users_created
    from python_docker_hooks._dockerfile.image import DEBIAN
    from python_docker_hooks._dockerfile.parse import parse as our_parse
    from python_docker_hooks._dockerfile.text import decode
    from python_docker_hooks._engine.runner import process

    names = dockerfiles()
    if not names:
        pytest.skip(f"real-world corpus not found at {CORPUS}")
    start = time.monotonic()
    found: dict[tuple[Any, ...], CorpusFix] = {}
    uncreated: list[str] = []
    for name in names:
        data = (CORPUS / name).read_bytes()
        result = process(data, name, [non_root_user.SPEC], fix=True, unsafe=True)
        if result.refusal is not None or not result.changed or result.output is None:
            continue
        model = our_parse(decode(data)[0])
        stage = model.shipped()
        if stage is None or family(model, stage) != DEBIAN:
            continue
        added = inserted(data, result.output)
        if added.runs:
            commands = [["/bin/sh", "-c", c.value[0]] for c in added.runs]
            wanted = promise(added.runs, added.user)
            assert wanted is not None, f"{name}: the fix's RUN does not create its user"
        else:
            creations = users_created(model, stage)
            commands = [list(c.command.argv) for c in creations]
            mine = [c for c in creations if c.kind == "user" and c.name == added.user]
            if not mine:
                # A user of the base image, or a UID: nothing of the file to run.
                uncreated.append(name)
                continue
            argv = list(mine[-1].command.argv)
            wanted = Promise(
                argv,
                mine[-1].id,
                _value(argv, "-g", "--gid", "--ingroup"),
                _value(argv, "-s", "--shell"),
            )
        key = (tuple(map(tuple, commands)), added.user)
        if key in found:
            found[key].files.append(name)
        else:
            found[key] = CorpusFix([name], commands, added.user, wanted)
    assert found, "the corpus has no Debian-family file the fix changes"
    files = sum(len(case.files) for case in found.values())
    summary_lines.append(
        f"corpus: {files} Debian-family files fixed, {len(found)} distinct fixes "
        f"(hook run on every file in {time.monotonic() - start:.1f} s); "
        f"{len(uncreated)} name a user the file does not create, not run"
    )
    return list(found.values())
