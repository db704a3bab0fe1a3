"""File I/O for the engine: bounded reads, atomic writes, and the kind of a file.

Nothing here knows about rules; the runner decides what to read and write.
"""

from __future__ import annotations

import os

# Real Dockerfiles are kilobytes (the largest of several hundred public ones is
# 20 KB). Anything past this is generated or not a Dockerfile at all; refusing it
# before reading keeps a hook run bounded in time and memory on hostile input.
MAX_BYTES = 1 << 20


class Refusal(Exception):
    """The file cannot be handled; str() is the one-line reason."""


# What pre-commit gives each kind of file to a hook: the manifest's ``files`` and
# ``exclude`` regexes (``re.search`` on the repository-relative path), generated
# into ``.pre-commit-hooks.yaml`` by ``scripts/generate.py``.
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
FILE_SELECTION: dict[str, tuple[str, str]] = {
    "dockerfile": (
        ("(?x)\n"
        "(?:^|/|\\.)(?:Dockerfile|Containerfile)(?:\\.[^/]*)?$\n"
        "| (?i:(?:^|/)(?:docker|container)file$)\n"
        "| (?i:\\.(?:docker|container)file$)\n"),
        "(?i)\\.(?:dockerignore|containerignore|j2|jinja2?|tpl|tmpl|template|in)$",
    ),
}


def kind_of(path: str) -> str:
    """The kind of file ``path`` is, from its name.

    Every file a run is given is a Dockerfile unless its name says it is another
    kind the engine knows; pre-commit's file filter chose it.
    """
    from hooks._engine.rules import DOCKERFILE

    return DOCKERFILE


def read(path: str) -> tuple[os.stat_result, bytes]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise Refusal("no such file") from None
    except OSError as exc:
        raise Refusal(f"cannot read: {exc.strerror or exc}") from None
    import stat

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
    import stat

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
