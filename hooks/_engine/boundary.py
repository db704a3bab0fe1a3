"""Where a run may read, list and write: inside the repository being checked.

A pre-commit hook runs on changes nobody has reviewed yet (a pull request's
files in CI). What those files say (a compose ``build.context: ../x``, an
ignore file that is a symlink to a secrets file) must never make a run read,
list, print or write anything outside the repository.

The boundary of a path is the repository's root, the nearest directory at or
above the path that holds ``.git`` (git's top level of the work tree or
submodule the path is in). Outside a repository it is the directory the run
was started in, for a path below it, else the directory of the path itself (a
path named on the command line is its own boundary).

A path is inside the boundary when it is both as written (after ``..`` and
absolute forms) and as the file system resolves it (after symlinks). A symlink
that stays inside may be read; nothing is ever written through one (see
``writable``).
"""

from __future__ import annotations

import os

# The ``~`` forms compose and the shell read as the home directory: always outside.
_HOME_PREFIXES = ("~",)


class Boundary:
    """One repository's root (or the run's directory), as written and resolved."""

    __slots__ = ("root", "real", "repository", "_inside")

    def __init__(self, root: str, repository: bool) -> None:
        self.root = os.path.normpath(os.path.abspath(root))
        self.real = os.path.realpath(self.root)
        # Whether the root holds a .git (a work tree); else a plain directory.
        self.repository = repository
        self._inside: dict[str, bool] = {}

    def holds(self, path: str) -> bool:
        """Whether ``path`` (absolute, or relative to the cwd) is inside, as
        written and after every symlink on the way is resolved."""
        if path.startswith(_HOME_PREFIXES):
            return False
        lexical = os.path.normpath(os.path.abspath(path))
        known = self._inside.get(lexical)
        if known is None:
            known = _below(lexical, self.root) and _below(os.path.realpath(lexical), self.real)
            if len(self._inside) < 100_000:
                self._inside[lexical] = known
        return known

    def writable(self, path: str) -> bool:
        """Whether a fix may write ``path``: inside, and no directory or file on
        the way from the root to it is a symlink (a write never goes through one)."""
        lexical = os.path.normpath(os.path.abspath(path))
        if not self.holds(lexical):
            return False
        relative = os.path.relpath(lexical, self.root)
        if relative == ".":
            return False
        current = self.root
        for part in relative.split(os.sep):
            current = os.path.join(current, part)
            if os.path.islink(current):
                return False
        return True

    def __repr__(self) -> str:
        return f"Boundary({self.root!r}, repository={self.repository})"


def _below(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def boundary_of(path: str) -> Boundary:
    """The boundary of ``path`` (a file or a directory), cached for the run."""
    lexical = os.path.normpath(os.path.abspath(path))
    directory = lexical if os.path.isdir(lexical) and not os.path.islink(lexical) else os.path.dirname(lexical)
    cwd = os.getcwd()
    key = (cwd, directory)
    found = _BOUNDARIES.get(key)
    if found is None:
        root = _work_tree(directory)
        if root is not None:
            found = _boundary(root, True)
        elif _below(directory, os.path.normpath(cwd)):
            found = _boundary(cwd, False)
        else:
            found = _boundary(directory, False)
        _BOUNDARIES[key] = found
    return found


def _boundary(root: str, repository: bool) -> Boundary:
    key = os.path.normpath(os.path.abspath(root))
    found = _BY_ROOT.get(key)
    if found is None:
        found = _BY_ROOT[key] = Boundary(key, repository)
    return found


def _work_tree(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` holding ``.git``."""
    current = directory
    passed = []
    found: str | None = None
    while True:
        if current in _TREES:
            found = _TREES[current]
            break
        passed.append(current)
        if os.path.lexists(os.path.join(current, ".git")):
            found = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for passed_directory in passed:
        _TREES[passed_directory] = found
    return found


def clear_cache() -> None:
    """Forget the boundaries found (tests that build trees mid-run)."""
    _BOUNDARIES.clear()
    _BY_ROOT.clear()
    _TREES.clear()


_BOUNDARIES: dict[tuple[str, str], Boundary] = {}
_BY_ROOT: dict[str, Boundary] = {}
_TREES: dict[str, str | None] = {}
