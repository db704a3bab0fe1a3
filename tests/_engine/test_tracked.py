"""What git's index holds, as the engine reads it: one ``git ls-files`` per
run and repository, then questions answered from its bytes (the directories a
presence check tries, the paths holding a text, the paths below a directory)
that agree with a whole listing."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest
from clirun import cli
from contextrun import git_tree

from python_docker_hooks._engine import boundary
from python_docker_hooks._engine.builds import Build, Tracked, tracked_index

# Names whose order as "name/" in the index differs from their order as names
# ("a-b/" sorts before "a/", "a" before "a-b"), and a few more.
NAMES = ["a", "b", "a-b", "a.b", "ab", "d1", "d10", "d1-", "a b", "a-", "a!c", "é", "__pycache__", ".venv"]


def _blob(paths: set[str]) -> bytes:
    return b"".join(os.fsencode(p) + b"\0" for p in sorted(paths, key=os.fsencode))


def _directories(paths: set[str], limit: int, skipped: set[str]) -> tuple[str, ...]:
    """Every directory of ``paths``, listed whole and sorted."""
    found = {p.rsplit("/", k)[0] for p in paths for k in range(1, p.count("/") + 1)}
    ordered = sorted(found, key=lambda d: (d.count("/"), os.fsencode(d)))
    return tuple(d for d in ordered if skipped.isdisjoint(d.split("/")))[:limit]


def _tree(rng: random.Random) -> set[str]:
    paths = set()
    for _ in range(rng.choice([3, 30, 300])):
        depth = rng.randint(1, 4)
        paths.add("/".join(rng.choice(NAMES) + "x" * rng.choice([0, 0, 0, 30]) for _ in range(depth)))
    # A path is a file or a directory, not both.
    return {p for p in paths if not any(q.startswith(p + "/") for q in paths)}


@pytest.mark.parametrize("seed", range(8))
def test_directories_are_those_of_the_whole_listing(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        paths = _tree(rng)
        limit = rng.choice([1, 2, 3, 5, 10, 200])
        skipped = rng.choice([set(), {".venv"}, {"a", "__pycache__"}])
        assert Tracked(_blob(paths)).directories(limit, skipped) == _directories(
            paths, limit, skipped
        ), (sorted(paths), limit, skipped)


def test_directories_read_only_what_the_first_ones_need() -> None:
    # 1,000 directories of 100 files: the first 200 by name are found without
    # reading the paths of the other 800 (a slice past them is never read).
    paths = {f"pkg/d{i}/m{j}.py" for i in range(1000) for j in range(3)}
    blob = _blob(paths)
    expected = _directories(paths, 200, set())
    assert expected[:3] == ("pkg", "pkg/d0", "pkg/d1")
    assert Tracked(blob).directories(200, set()) == expected


def test_paths_below_a_directory() -> None:
    index = Tracked(
        _blob({".github/a", ".github/workflows/a.yml", ".github/workflows/b/c.yml",
               ".github/workflows0", ".github/workflows-x/y", "z"})
    )
    assert index.below(".github/workflows") == (".github/workflows/a.yml", ".github/workflows/b/c.yml")
    assert index.below("missing") == ()
    assert Tracked(b"").below(".github/workflows") == ()


def test_paths_holding_a_text_are_what_git_pathspecs_find(tmp_path: Path) -> None:
    # git's pathspec *text* (its * crosses "/") is the question answered.
    names = ["search.db", "app/data.db/x", "a b/.db", "dbx", "node_modules/m.js",
             "src/node_modules", "é/.db", ".python-version", "deep/er/.python-version~"]
    git_tree(tmp_path, {name: "" for name in names})
    index = tracked_index(str(tmp_path))
    assert index is not None
    for texts in ([".db"], ["node_modules", ".python-version"], ["é"], ["nothing"], ["/"]):
        out = subprocess.run(
            ["git", "-c", "core.quotepath=off", "ls-files", "-z", "--", *(f"*{t}*" for t in texts)],
            cwd=tmp_path, capture_output=True, check=True,
        ).stdout
        expected = tuple(sorted(os.fsdecode(n) for n in out.split(b"\0") if n))
        assert index.holding(texts) == expected, texts


def test_a_context_tries_the_directories_git_tracks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a commit holds decides, the same on every checkout: an untracked
    # directory (a local scratch/) is not one of them; outside git, a walk's.
    git_tree(tmp_path, {"src/app/m.py": "", "Dockerfile": ""}, {"scratch/notes.txt": ""})
    monkeypatch.chdir(tmp_path)
    boundary.clear_cache()
    build = Build(str(tmp_path / "Dockerfile"), str(tmp_path), None, "test")
    assert build.directories(200) == ("src", "src/app")
    assert build.tracked() == ("Dockerfile", "src/app/m.py")
    assert "scratch/notes.txt" in build.files()


def test_a_context_outside_git_tries_a_walks_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for path in ("src/app/m.py", "scratch/notes.txt", "Dockerfile"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    monkeypatch.chdir(tmp_path)
    boundary.clear_cache()
    build = Build(str(tmp_path / "Dockerfile"), str(tmp_path), None, "test")
    assert build.directories(200) == ("scratch", "src", "src/app")
    assert build.directories(200, {"app"}) == ("scratch", "src")
    assert build.tracked() is None


def test_a_run_reads_the_index_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every hook on a Dockerfile built from the root, with a partial-free
    # ignore file and patterns to add: one git process in the whole run, the
    # index listing, started before the hooks are imported.
    git_tree(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
            ".dockerignore": ".git\n**/__pycache__\n**/*venv\n**/.env\n",
            "compose.yaml": "services:\n  app:\n    build: .\n",
            **{f"pkg/d{i}/m.py": "" for i in range(30)},
        },
    )
    spawned: list[list[str]] = []
    real = os.posix_spawnp

    def spy(path: str, argv: list[str], *args: object, **kwargs: object) -> int:
        spawned.append(list(argv))
        return real(path, argv, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "posix_spawnp", spy)
    run = cli(capsys, tmp_path, "check", "--no-fix", "Dockerfile", every_hook=True)
    assert run.code == 1, run.out
    assert [argv[3:] for argv in spawned] == [["ls-files", "-z", "--cached"]]
    assert "PDH902" in run.out
