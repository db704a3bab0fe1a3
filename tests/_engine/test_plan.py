"""A run of every hook parses each file once, whatever leads to it, and a
group of files tied by a build context is checked together and then let go."""

from __future__ import annotations

import collections
import os
from typing import TYPE_CHECKING

import pytest

from python_docker_hooks._engine import config as _config
from python_docker_hooks._engine.group import (
    Group,
    ReadAhead,
    check_files,
    check_groups,
)
from python_docker_hooks._engine.plan import plan
from python_docker_hooks._engine.registry import all_specs
from python_docker_hooks._engine.runner import Options

if TYPE_CHECKING:
    from pathlib import Path

    from python_docker_hooks._dockerfile.parse import Dockerfile

# Every Dockerfile distinct (a comment), so a parse is known by its text.
DOCKERFILE = """\
# {name}
FROM python:3.12
ENV APP_HOME /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD uvicorn main:app --host 0.0.0.0
"""

COMPOSE = """\
services:
  api:
    build:
      context: ../api
      dockerfile: ../svc/api.Dockerfile
"""


def project(root: Path) -> dict[str, str]:
    """Dockerfiles sharing a .dockerignore, one with its own ignore file, one
    built by a compose file from another directory, one alone; returns the
    path of each file (relative) by its text."""
    files = {
        "a/Dockerfile": DOCKERFILE.format(name="a"),
        "a/worker.Dockerfile": DOCKERFILE.format(name="a worker"),
        "a/.dockerignore": "# a\n.git\n*.pyc\n",
        "b/Dockerfile": DOCKERFILE.format(name="b"),
        "b/Dockerfile.dockerignore": "# b own\n.git\n",
        "b/.dockerignore": "# b shared\n.venv\n",
        "svc/api.Dockerfile": DOCKERFILE.format(name="api"),
        "svc/compose.yaml": COMPOSE,
        "api/.dockerignore": "# api\n__pycache__\n",
        "c/Dockerfile": DOCKERFILE.format(name="c"),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "api" / "requirements.txt").write_text("flask\n")
    (root / ".git").mkdir()
    return {text: name for name, text in files.items()}


def counting(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Parses of Dockerfiles and of ignore files, by text."""
    import python_docker_hooks._dockerfile.parse as parse_module
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

    seen: collections.Counter[str] = collections.Counter()
    real_parse = parse_module.parse
    real_init = IgnoreFile.__init__

    def parse(text: str) -> Dockerfile:
        seen[text] += 1
        return real_parse(text)

    def init(self: IgnoreFile, text: str) -> None:
        seen[text] += 1
        real_init(self, text)

    monkeypatch.setattr(parse_module, "parse", parse)
    monkeypatch.setattr(IgnoreFile, "__init__", init)
    return seen


ORDERS = {
    # pre-commit passes names sorted: the ignore files come first.
    "ignore files first": [
        "a/.dockerignore",
        "api/.dockerignore",
        "b/.dockerignore",
        "b/Dockerfile.dockerignore",
        "svc/compose.yaml",
        "a/Dockerfile",
        "a/worker.Dockerfile",
        "b/Dockerfile",
        "c/Dockerfile",
        "svc/api.Dockerfile",
    ],
    "Dockerfiles first": [
        "svc/api.Dockerfile",
        "c/Dockerfile",
        "b/Dockerfile",
        "a/worker.Dockerfile",
        "a/Dockerfile",
        "svc/compose.yaml",
        "b/Dockerfile.dockerignore",
        "b/.dockerignore",
        "api/.dockerignore",
        "a/.dockerignore",
    ],
    "Dockerfiles alone": ["a/Dockerfile", "a/worker.Dockerfile", "b/Dockerfile", "svc/api.Dockerfile"],
}


EVERY_FILE = {
    "a/Dockerfile",
    "a/worker.Dockerfile",
    "a/.dockerignore",
    "b/Dockerfile",
    "b/Dockerfile.dockerignore",
    "b/.dockerignore",
    "svc/api.Dockerfile",
    "api/.dockerignore",
    "c/Dockerfile",
}
# What each order reads: the files given and the ignore files they lead to,
# and the Dockerfiles those serve (compose files are not parsed as either).
PARSED = {
    "ignore files first": EVERY_FILE,
    "Dockerfiles first": EVERY_FILE,
    "Dockerfiles alone": EVERY_FILE - {"c/Dockerfile", "b/.dockerignore"},
}


@pytest.mark.parametrize("fix", [False, True], ids=["report", "fix"])
@pytest.mark.parametrize("order", list(ORDERS))
def test_every_hook_parses_each_file_once(
    order: str, fix: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = project(tmp_path)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    parses = counting(monkeypatch)
    results = list(check_files(ORDERS[order], all_specs(), Options(fix=fix)))
    assert all(r.internal_error is None and r.refusal is None for r in results)
    paths = [r.path for r in results]
    assert len(paths) == len(set(paths)), "a file was checked twice"
    parsed = {texts[t]: n for t, n in parses.items() if t in texts}
    assert parsed == dict.fromkeys(PARSED[order], 1)
    if fix:
        # A fixed Dockerfile's new text is parsed once (to check the fix holds);
        # the ignore files it serves read its sources from that parse.
        assert any(r.written for r in results)
        fixed = {t: n for t, n in parses.items() if t not in texts and "FROM python" in t}
        assert fixed and set(fixed.values()) == {1}


def test_files_tied_by_a_context_are_one_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    planned = plan(ORDERS["ignore files first"], all_specs(), Options(fix=False), ReadAhead().dockerfile)
    groups = [[os.path.relpath(u.key, tmp_path) for u in g] for g in planned.groups]
    assert groups == [
        # In the order the run meets the files; b/Dockerfile's ignore file is
        # its own, so b/.dockerignore serves no Dockerfile.
        ["a/.dockerignore", "a/Dockerfile", "a/worker.Dockerfile"],
        ["api/.dockerignore", "svc/api.Dockerfile"],
        ["b/.dockerignore"],
        ["b/Dockerfile.dockerignore", "b/Dockerfile"],
        # The compose file is read while planning: it leads to svc/api.Dockerfile.
        ["c/Dockerfile", "c/.dockerignore"],
    ]


def test_a_group_is_let_go_when_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    ahead = ReadAhead()
    planned = plan(ORDERS["ignore files first"], all_specs(), Options(fix=False), ahead.dockerfile)
    resolver = planned.resolver
    assert resolver is not None
    # The resolver keeps no model of a file: each group's owner holds them.
    assert not any(hasattr(resolver, name) for name in ("_models", "_ignores", "_sources"))
    read_ahead = len(ahead.models)
    held = []
    for units in planned.groups:
        group = Group(units, planned.options, resolver, ahead)
        resolver.dockerfile = group.dockerfile
        results = list(group.run())
        assert all(r.models is None for r in results)  # the owner used them
        held.append((len(group._dockerfiles), len(group._ignores), len(group._sources)))
    # What was read while planning went to the group that checks it; the run
    # keeps nothing of a group once it is done.
    assert read_ahead >= 1 and ahead.models == {}
    assert max(h[2] for h in held) >= 1


def test_check_groups_runs_each_group_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    ahead = ReadAhead()
    planned = plan(ORDERS["Dockerfiles first"], all_specs(), Options(fix=False), ahead.dockerfile)
    paths = [r.path for r in check_groups(planned, planned.groups, ahead)]
    assert sorted(paths) == sorted(u.path for g in planned.groups for u in g if not u.probe)


def test_a_group_answers_each_file_as_it_stands_after_its_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = project(tmp_path)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    before = {name: text for text, name in texts.items()}
    ahead = ReadAhead()
    planned = plan(["svc/api.Dockerfile"], all_specs(), Options(fix=True), ahead.dockerfile)
    resolver = planned.resolver
    assert resolver is not None
    (units,) = planned.groups
    assert [os.path.relpath(u.key, tmp_path) for u in units] == [
        "svc/api.Dockerfile",
        "api/.dockerignore",
    ]
    group = Group(units, planned.options, resolver, ahead)
    resolver.dockerfile = group.dockerfile
    results = list(group.run())
    assert [r.written for r in results] == [True, True]
    dockerfile = group.dockerfile("svc/api.Dockerfile")
    ignore, problem = group.ignore("api/.dockerignore")
    # The models the group holds are those of the bytes now in the files.
    assert dockerfile is not None and ignore is not None and problem is None
    assert dockerfile.text == (tmp_path / "svc/api.Dockerfile").read_text()
    assert dockerfile.text != before["svc/api.Dockerfile"]
    assert ignore.text == (tmp_path / "api/.dockerignore").read_text()
    assert ignore.text != before["api/.dockerignore"]
    # A file of no unit is read as it is on disk.
    other, _ = group.ignore("a/.dockerignore")
    assert other is not None and other.text == before["a/.dockerignore"]


def test_the_collector_is_off_while_a_run_starts_and_on_after_its_first_group(tmp_path: Path) -> None:
    import gc

    from python_docker_hooks._engine.group import (
        check_files,
        pause_collector,
        resume_collector,
    )
    from python_docker_hooks._engine.registry import spec
    from python_docker_hooks._engine.runner import Options

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text("FROM python:3.12-slim\n", encoding="utf-8")
    seen = []
    assert gc.isenabled()
    pause_collector()
    try:
        assert not gc.isenabled()
        for _ in check_files(
            [str(tmp_path / "a" / "Dockerfile"), str(tmp_path / "b" / "Dockerfile")],
            [spec("label-maintainer")],
            Options(fix=False),
        ):
            seen.append(gc.isenabled())
    finally:
        resume_collector()
    # The first file's result comes before its group ends; the second's after.
    assert seen == [False, True]
    assert gc.isenabled()


def test_a_run_that_checks_nothing_gives_the_collector_back() -> None:
    import gc

    from python_docker_hooks import _cli

    assert _cli.main(["--version"]) == 0
    assert gc.isenabled()


def test_what_was_made_while_the_collector_was_off_is_frozen_until_the_next_run() -> None:
    """gc.freeze (CPython's gc module docs): frozen objects are left out of every
    collection; the next run's pause gives them back (gc.unfreeze)."""
    import gc

    from python_docker_hooks._engine.group import pause_collector, resume_collector

    # A run's pause gives back what an earlier run in the process froze.
    pause_collector()
    assert gc.get_freeze_count() == 0
    made = [[i] for i in range(1000)]
    resume_collector()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen >= len(made)
    # Young again: a collection of the youngest generation finds nothing to do.
    assert gc.get_count()[0] < 100
    pause_collector()
    assert gc.get_freeze_count() == 0
    resume_collector()
    pause_collector()
    resume_collector()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
