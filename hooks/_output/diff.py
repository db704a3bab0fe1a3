"""``check --diff``: what the fixes would change, as a unified diff.

The diff is of the file's bytes as read and as the fixes would write them: line
endings (CRLF stays CRLF) and a BOM are in it as they are in the file, and a last
line without a newline is marked ``\\ No newline at end of file``, as git and
GNU diff mark it, so ``git apply`` and ``patch -p1`` take the output.
"""

from __future__ import annotations

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, before: bytes, after: bytes, *, created: bool = False) -> str:
    """The diff of one file (``a/<path>`` to ``b/<path>``; from ``/dev/null``
    for a file the fix would create, as git writes a new file); undecodable
    bytes are carried as surrogates (encode the result with ``surrogateescape``)."""
    import difflib

    old = before.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    new = after.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    name = path.replace("\\", "/")
    source = "/dev/null" if created else f"a/{name}"
    out: list[str] = []
    for line in difflib.unified_diff(old, new, source, f"b/{name}"):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + NO_NEWLINE)
    return "".join(out)
