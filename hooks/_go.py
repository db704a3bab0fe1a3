"""What Go's standard library does to text and paths, where BuildKit relies on it.

The Dockerfile and ``.dockerignore`` models both read text the way BuildKit's Go
code does; this module is below both and imports nothing of the package.
"""

from __future__ import annotations

# Go's unicode.IsSpace, what BuildKit trims: Python's str.isspace() without the
# information separators \x1c-\x1f.
BLANKS = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def go_trim(text: str) -> str:
    """Go's ``strings.TrimSpace``."""
    return text.strip(BLANKS)


def go_clean(path: str) -> str:
    """Go's ``filepath.Clean`` on a Unix system (posixpath.normpath keeps '//')."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_dir(path: str) -> str:
    """Go's ``filepath.Dir``: everything before the last '/', cleaned."""
    return go_clean(path[: path.rfind("/") + 1])
