"""File I/O for the engine: bounded reads, atomic writes, and the kind of a file.

Nothing here knows about rules; the runner decides what to read and write.
"""

from __future__ import annotations

import os
import stat

from python_docker_hooks._dockerfile.text import DecodeError, decode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._engine.boundary import Boundary

# Real Dockerfiles are kilobytes (the largest of several hundred public ones is
# 20 KB). Anything past this is generated or not a Dockerfile at all; refusing it
# before reading keeps a hook run bounded in time and memory on hostile input.
MAX_BYTES = 1 << 20


class Refusal(Exception):
    """The file cannot be handled; str() is the one-line reason."""


# The kinds of file a hook can read. Every file a run is given has one kind,
# decided from its name (``kind_of``).
DOCKERFILE = "dockerfile"
DOCKERIGNORE = "dockerignore"
COMPOSE = "compose"
KINDS = (DOCKERFILE, DOCKERIGNORE, COMPOSE)


# What pre-commit gives each kind of file to a hook: the manifest's ``files`` and
# ``exclude`` regexes (``re.search`` on the repository-relative path), generated
# into ``.pre-commit-hooks.yaml`` by ``scripts/generate.py``; ``kind_of`` reads a
# path with the same regexes, so the two cannot disagree.
#
# Dockerfiles: pre-commit AND-s ``types`` with ``files``, so ``types: [dockerfile]``
# alone would miss names identify does not tag (``app.dockerfile``, lowercase
# ``dockerfile``). Instead ``files`` lists every Dockerfile name on its own: a
# dot-separated part of the file name is exactly ``Dockerfile`` or ``Containerfile``
# (identify's own rule: Dockerfile, Dockerfile.dev, api.Dockerfile,
# Containerfile.prod); or the name is ``dockerfile``/``containerfile``, or ends in
# ``.dockerfile``/``.containerfile``, in any case. ``exclude`` drops BuildKit's
# per-Dockerfile ignore files (api.Dockerfile.dockerignore, which identify tags as
# a Dockerfile) and templates (Dockerfile.j2, Dockerfile.in, ...), which are not
# Dockerfiles until rendered.
#
# Ignore files: ``.dockerignore`` and BuildKit's per-Dockerfile
# ``<Dockerfile name>.dockerignore`` (exact case: BuildKit opens that name).
#
# Compose files: the names ``docker compose`` looks for by default
# (``compose.yaml``, ``compose.yml``, ``docker-compose.yaml``,
# ``docker-compose.yml``), their ``.override`` files, and every other name that
# starts the same way and ends in ``.yaml``/``.yml`` (``compose.production.yaml``,
# ``docker-compose.ci.yml``: files given to ``docker compose -f``).
FILE_SELECTION: dict[str, tuple[str, str]] = {
    "dockerfile": (
        ("(?x)\n"
        "(?:^|/|\\.)(?:Dockerfile|Containerfile)(?:\\.[^/]*)?$\n"
        "| (?i:(?:^|/)(?:docker|container)file$)\n"
        "| (?i:\\.(?:docker|container)file$)\n"),
        "(?i)\\.(?:dockerignore|containerignore|j2|jinja2?|tpl|tmpl|template|in)$",
    ),
    "dockerignore": ("(?:^|/)[^/]*\\.dockerignore$", "^$"),
    "compose": ("(?:^|/)(?:docker-)?compose[^/]*\\.ya?ml$", "^$"),
}

# The compose file names in the order ``docker compose`` prefers them.
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
COMPOSE_OVERRIDES = (
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
)


def selects(kind: str, path: str) -> bool:
    """Whether the manifest's filter for ``kind`` takes ``path`` ('/'-separated).

    ``FILE_SELECTION``'s regexes read with string methods, which cost nothing
    to set up where compiling the regexes costs a run on one file more than
    checking it; a test holds the two equal on generated paths. Each regex ends
    in ``$``, which also matches before a final newline, so the name that
    ends there is tried with and without one."""
    names = [path.rpartition("/")[2]]
    if path.endswith("\n"):
        names.append(path[:-1].rpartition("/")[2])
    if kind == DOCKERIGNORE:
        return any(name.endswith(".dockerignore") for name in names)
    if kind == COMPOSE:
        return any(
            name.startswith(("compose", "docker-compose")) and name.endswith((".yaml", ".yml"))
            for name in names
        )
    folded = [name.translate(_IGNORE_CASE) for name in names]
    if any(name.endswith(_NOT_DOCKERFILES) for name in folded):
        return False
    return any(
        not _DOCKERFILE_PARTS.isdisjoint(name.split("."))
        for name in names
    ) or any(
        name in _DOCKERFILE_NAMES or name.endswith(_DOCKERFILE_SUFFIXES) for name in folded
    )


# What ``(?i)`` makes the regexes' ASCII letters match, one character for
# one: the other case, and the four other characters Python's ``re`` equates
# with a letter (İ and ı with i, ſ with s, the Kelvin sign with k). Other
# characters are left as they are, so that they match no letter.
_IGNORE_CASE = {
    **{ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    0x130: "i",
    0x131: "i",
    0x17F: "s",
    0x212A: "k",
}
_DOCKERFILE_PARTS = frozenset({"Dockerfile", "Containerfile"})
_DOCKERFILE_NAMES = frozenset({"dockerfile", "containerfile"})
_DOCKERFILE_SUFFIXES = (".dockerfile", ".containerfile")
_NOT_DOCKERFILES = (
    ".dockerignore",
    ".containerignore",
    ".j2",
    ".jinja",
    ".jinja2",
    ".tpl",
    ".tmpl",
    ".template",
    ".in",
)


# Directories a walk outside a git work tree never enters: version control
# data, virtual environments and caches hold no Dockerfiles of the project.
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)


def kind_by_name(relative: str) -> str | None:
    """The kind a directory walk gives the file at ``relative`` (a path with
    "/", relative to the directory walked), or None when the manifest's name
    rules (``FILE_SELECTION``) select it for no hook."""
    for kind in FILE_SELECTION:
        if selects(kind, relative):
            return kind
    return None


def walk(directory: str) -> list[str]:
    """The files under ``directory`` a run should check, sorted, as paths that
    start with ``directory`` (or are relative to it when it is ".").

    Inside a git work tree these are the tracked files and the untracked ones
    git does not ignore (``git ls-files --cached --others --exclude-standard``),
    as pre-commit sees a repository; elsewhere every file, skipping
    ``SKIPPED_DIRECTORIES``. Symlinks are left out, as the manifest's
    ``types: [file]`` leaves them out.
    """
    found = []
    for relative in listing(directory):
        if kind_by_name(relative) is None:
            continue
        path = relative if directory in (".", "./") else os.path.join(directory, relative)
        if os.path.isfile(path) and not os.path.islink(path):
            found.append(path)
    return sorted(set(found))


def listing(directory: str, *, git: bool = True) -> list[str]:
    """Every file under ``directory``, relative to it with "/": git's listing
    inside a work tree (tracked, and untracked not ignored), else a walk that
    skips ``SKIPPED_DIRECTORIES``. ``git=False``: the caller knows there is no
    work tree (no ``git`` process is started to find out)."""
    relatives = _git_files(directory) if git else None
    return _walk_files(directory) if relatives is None else relatives


def _git_files(directory: str) -> list[str] | None:
    out = git_output(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], directory)
    if out is None:
        return None  # no git, or not a work tree
    # ls-files run in a subdirectory lists the files below it, relative to it.
    return [os.fsdecode(name) for name in out.split(b"\0") if name]


def git_output(args: list[str], directory: str) -> bytes | None:
    """What ``git ARGS`` run in ``directory`` prints, or None when git cannot be
    started there or exits with an error; what it writes to stderr is dropped.

    Where the platform has ``posix_spawnp`` git is started with it: the
    ``subprocess`` module, with the ``threading``, ``signal``, ``selectors`` and
    ``locale`` modules it imports, costs a one-file run more than git itself."""
    if not directory:
        return None  # as a process started in directory "" (no such directory)
    started = _STARTED.get((directory, tuple(args)))
    if started is not None and started[0] == os.getpid():
        del _STARTED[(directory, tuple(args))]
        return _finish(*started[1:])
    if not hasattr(os, "posix_spawnp"):
        import subprocess

        try:
            proc = subprocess.run(["git", *args], cwd=directory, capture_output=True, check=False)
        except OSError:
            return None
        return proc.stdout if proc.returncode == 0 else None
    read_end, write_end = os.pipe()
    try:
        pid = _spawn_git(args, directory, write_end)
    except OSError:
        os.close(read_end)
        return None
    finally:
        os.close(write_end)
    with open(read_end, "rb") as fh:
        out = fh.read()
    _, status = os.waitpid(pid, 0)
    return out if os.waitstatus_to_exitcode(status) == 0 else None


# (directory, git's arguments) -> (the process that started it, git's process
# id, the anonymous file its output goes to): started by ``git_start``, taken
# by ``git_output`` in the same process (a worker forked later has none).
_STARTED: dict[tuple[str, tuple[str, ...]], tuple[int, int, int]] = {}


def git_start(args: list[str], directory: str) -> None:
    """Start ``git ARGS`` in ``directory`` now, its output going to an anonymous
    file in memory, for the first ``git_output`` of the same arguments and
    directory to take: a run starts reading git's index while it imports its
    hooks, and git works on another CPU meanwhile. Where the platform has no
    ``memfd_create`` (or no ``posix_spawnp``), nothing is started and
    ``git_output`` runs git when asked. ``git_forget`` ends what no one took."""
    key = (directory, tuple(args))
    if not directory or key in _STARTED:
        return
    if not hasattr(os, "memfd_create") or not hasattr(os, "posix_spawnp"):
        return
    try:
        out = os.memfd_create("git-output", os.MFD_CLOEXEC)
    except OSError:
        return
    try:
        pid = _spawn_git(args, directory, out)
    except OSError:
        os.close(out)
        return
    _STARTED[key] = (os.getpid(), pid, out)


def _spawn_git(args: list[str], directory: str, out: int) -> int:
    """Start ``git -C DIRECTORY ARGS`` with its standard output on the file
    descriptor ``out`` and its standard error on the null device; its process
    id (OSError when git cannot be started)."""
    return os.posix_spawnp(
        "git",
        ["git", "-C", directory, *args],
        os.environ,
        file_actions=[
            (os.POSIX_SPAWN_DUP2, out, 1),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
        ],
    )


def _finish(pid: int, out: int) -> bytes | None:
    """Wait for the git started as ``pid``; what it wrote to ``out`` (closed),
    or None when it failed."""
    try:
        _, status = os.waitpid(pid, 0)
        os.lseek(out, 0, os.SEEK_SET)
        with open(out, "rb", closefd=False) as fh:
            data = fh.read()
    except OSError:
        return None
    finally:
        os.close(out)
    return data if os.waitstatus_to_exitcode(status) == 0 else None


def git_forget() -> None:
    """Wait for every git ``git_start`` started that no ``git_output`` took,
    and drop its output: what it read is of this run only."""
    while _STARTED:
        _, (owner, pid, out) = _STARTED.popitem()
        if owner == os.getpid():
            _finish(pid, out)


def _walk_files(directory: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRECTORIES]
        relative_root = os.path.relpath(root, directory)
        for name in files:
            relative = name if relative_root == "." else os.path.join(relative_root, name)
            found.append(relative.replace(os.sep, "/"))
    return found


def kind_of(path: str) -> str:
    """The kind of file ``path`` is, from its name.

    An ignore file or a compose file by name (the manifest's filters for them);
    every other file a run is given is a Dockerfile: pre-commit's file filter, or
    the user naming it, chose it.
    """
    name = os.path.basename(path)
    if name.endswith(".dockerignore"):
        return DOCKERIGNORE
    # The compose filter needs "compose" in the name: most names skip the regex.
    if "compose" in name and selects("compose", name):
        return COMPOSE
    return DOCKERFILE


def read(path: str) -> tuple[os.stat_result, bytes]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise Refusal("no such file") from None
    except OSError as exc:
        raise Refusal(f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise Refusal("is a directory")
    if not stat.S_ISREG(st.st_mode):
        # A FIFO or device would block or never end.
        raise Refusal("not a regular file")
    if st.st_size > MAX_BYTES:
        raise Refusal(_too_large(st.st_size))
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Refusal(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise Refusal(_too_large(len(data)))
    return st, data


def _too_large(size: int) -> str:
    return f"too large for a Dockerfile ({size} bytes; the limit is {MAX_BYTES})"


def write_atomic(path: str, before: os.stat_result, original: bytes, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically, keeping its mode; refuse to write
    through a symlink, into a read-only file, or over a file changed since it was read."""
    if os.path.islink(path):
        raise Refusal("is a symlink; fix not applied (run on the target file)")
    if not before.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise Refusal("file is read-only; fix not applied")
    directory = os.path.dirname(path) or "."
    base = os.path.basename(path)
    tmp = os.path.join(directory, f".{base}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise Refusal(f"cannot write fix: {exc.strerror}") from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, stat.S_IMODE(before.st_mode))
            try:
                os.chown(tmp, before.st_uid, before.st_gid)
            except OSError:
                pass
            _ensure_unchanged(path, before, original)
            os.replace(tmp, path)
        except OSError as exc:
            raise Refusal(f"cannot write fix: {exc.strerror or exc}") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_directory(directory)


def create_atomic(path: str, data: bytes) -> None:
    """Create ``path`` holding ``data`` (mode 0o666 less the umask, as an editor
    would), all at once; refuse when something appeared there since the run
    found it missing."""
    directory = os.path.dirname(path) or "."
    base = os.path.basename(path)
    tmp = os.path.join(directory, f".{base}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise Refusal(f"cannot write fix: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # link() fails when the name exists: a file that appeared meanwhile is
        # never replaced.
        os.link(tmp, path)
    except FileExistsError:
        raise Refusal("file appeared while it was being created; fix not applied") from None
    except OSError as exc:
        raise Refusal(f"cannot write fix: {exc.strerror or exc}") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _sync_directory(directory)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable; the new content is complete either way,
    so a system that cannot sync a directory loses nothing but that."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(directory, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _ensure_unchanged(path: str, before: os.stat_result, original: bytes) -> None:
    try:
        now = os.stat(path)
        with open(path, "rb") as fh:
            current = fh.read()
    except OSError:
        raise Refusal("file changed while it was being fixed; fix not applied") from None
    if (
        now.st_ino != before.st_ino
        or now.st_size != before.st_size
        or now.st_mtime_ns != before.st_mtime_ns
        or current != original
    ):
        raise Refusal("file changed while it was being fixed; fix not applied")


def read_text(path: str, boundary: Boundary) -> str:
    """The text of the file at ``path``, which must stay inside ``boundary``.
    Raises Refusal (one line)."""
    if not boundary.holds(path):
        raise Refusal("is a symlink to a file outside the repository; not read")
    _, data = read(path)
    try:
        text, _ = decode(data)
    except DecodeError as exc:
        raise Refusal(str(exc)) from None
    return text
