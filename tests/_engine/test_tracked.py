"""What the engine reads of a context: git's index, once per run and
repository (one ``git ls-files``), with questions answered from its bytes that
agree with git's own answers (the paths holding a text, the paths below a
directory); and the directories a presence check tries, by a walk that stops
at the depth that fills it."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest
from clirun import cli
from contextrun import git_tree

from python_docker_hooks._engine import boundary
from python_docker_hooks._engine.builds import (
    Build,
    Tracked,
    tracked_index,
    walk_directories,
)
from python_docker_hooks._engine.files import SKIPPED_DIRECTORIES

# Names that sort differently as "name/" and as names ("a-b/" before "a/",
# "a" before "a-b"), and a few more.
NAMES = ["a", "b", "a-b", "a.b", "ab", "d1", "d10", "a b", "é", "__pycache__", ".venv", "vendor"]


def _blob(paths: set[str]) -> bytes:
    return b"".join(os.fsencode(p) + b"\0" for p in sorted(paths, key=os.fsencode))


def _every_directory(root: Path, limit: int, skipped: set[str]) -> tuple[str, ...]:
    """Every directory below ``root``, listed whole (os.walk) and sorted."""
    found = []
    for top, dirs, _ in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRECTORIES and d not in skipped]
        found.extend(os.path.relpath(os.path.join(top, d), root).replace(os.sep, "/") for d in dirs)
    return tuple(sorted(found, key=lambda d: (d.count("/"), d)))[:limit]


@pytest.mark.parametrize("seed", range(4))
def test_directories_are_those_of_a_whole_walk(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    rng = random.Random(seed)
    for trial in range(25):
        root = tmp_path / str(trial)
        root.mkdir()
        for _ in range(rng.choice([3, 30, 100])):
            depth = rng.randint(1, 4)
            path = root.joinpath(*(rng.choice(NAMES) for _ in range(depth)))
            path.mkdir(parents=True, exist_ok=True)
        boundary.clear_cache()
        limit = rng.choice([1, 2, 3, 5, 10, 200])
        skipped = rng.choice([set(), {"vendor"}, {"a", "b"}])
        assert walk_directories(str(root), limit, skipped) == _every_directory(root, limit, skipped)


def test_the_walk_stops_at_the_depth_that_fills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 300 directories at the first depth: the 200 first by name are kept, and
    # no directory of the first depth is read.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for i in range(300):
        (tmp_path / f"d{i:03}" / "deeper").mkdir(parents=True)
    read: list[str] = []
    real = os.scandir

    def spy(path: str) -> object:
        read.append(os.path.relpath(path, tmp_path))
        return real(path)

    monkeypatch.setattr(os, "scandir", spy)
    assert walk_directories(str(tmp_path), 200) == tuple(f"d{i:03}" for i in range(200))
    assert read == ["."]


def test_the_walk_follows_no_symlink_and_skips_what_no_build_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    outside = tmp_path / "outside"
    (outside / "secret").mkdir(parents=True)
    root = tmp_path / "ctx"
    for path in ("src/app", ".git/objects", "node_modules/x", ".venv/lib"):
        (root / path).mkdir(parents=True)
    (root / "link").symlink_to(outside)
    assert walk_directories(str(root), 200) == ("src", "src/app")
    (root / "src" / "up").symlink_to(outside)
    assert walk_directories(str(root), 200) == ("src", "src/app")


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


def test_a_context_tries_the_directories_a_build_sends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tracked or not, and whatever git ignores: BuildKit sends the directory's
    # files. What git tracks is asked of the index.
    git_tree(tmp_path, {"src/app/m.py": "", "Dockerfile": "", ".gitignore": "build/\n"},
             {"scratch/notes.txt": "", "build/lib/x.py": ""})
    monkeypatch.chdir(tmp_path)
    boundary.clear_cache()
    build = Build(str(tmp_path / "Dockerfile"), str(tmp_path), None, "test")
    assert build.directories(200) == ("build", "scratch", "src", "build/lib", "src/app")
    assert build.directories(200, {"build"}) == ("scratch", "src", "src/app")
    assert build.tracked() == (".gitignore", "Dockerfile", "src/app/m.py")
    assert "scratch/notes.txt" in build.files()


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
