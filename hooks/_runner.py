"""The one runner behind every hook script: read, parse, check, fix, write, report.

A hook module gives its rules and its ``check``; everything a user sees (arguments,
messages, exit codes, how files are written) is decided here, the same for every hook.
Exit codes: 0 clean; 1 findings, fixes or unreadable input; 2 usage or config error,
or an internal error (reported in one line, never as a traceback).
"""

from __future__ import annotations

import os
import sys

from hooks._rules import FIX_SAFE, FIX_UNSAFE, Context, Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Sequence
    from typing import TextIO

    from hooks._config import Config
    from hooks._parse import Dockerfile
    from hooks._rules import Check, Fix, Rule

# Fix rounds before a file is declared not to converge.
MAX_ROUNDS = 8

# Real Dockerfiles are kilobytes (the largest of several hundred public ones is
# 20 KB). Anything past this is generated or not a Dockerfile at all; refusing it
# before reading keeps a hook run bounded in time and memory on hostile input.
MAX_BYTES = 1 << 20


class Refusal(Exception):
    """The file cannot be handled; str() is the one-line reason."""


def run_hook(rules: Sequence[Rule], check: Check, argv: Sequence[str] | None) -> int:
    """Entry point shared by every hook script."""
    import argparse

    hook = rules[0].hook
    parser = argparse.ArgumentParser(
        prog=hook,
        description=f"{hook}: " + "; ".join(f"{r.code} {r.summary}" for r in rules),
        formatter_class=_help_formatter,
    )
    parser.add_argument("filenames", nargs="*", help="Dockerfiles to check")
    parser.add_argument(
        "--no-fix", action="store_true", help="report only; never change a file"
    )
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply fixes marked unsafe",
    )
    parser.add_argument(
        "--config", metavar="PATH", help="pyproject.toml to use instead of discovery"
    )
    args = parser.parse_args(argv)
    out = sys.stdout
    write = _once_per_run(_writer(out))
    status = 0
    for path in args.filenames:
        status = max(
            status,
            _run_file(
                path,
                rules,
                check,
                fix=not args.no_fix,
                unsafe=args.unsafe_fixes,
                config_path=args.config,
                write=write,
            ),
        )
    out.flush()
    return status


def _help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter with the width given, so that building the parser does
    not import shutil (and its compression modules) just to ask for it."""
    import argparse

    try:
        width = int(os.environ.get("COLUMNS", "")) - 2
    except ValueError:
        try:
            width = os.get_terminal_size().columns - 2
        except OSError:
            width = 78
    return argparse.HelpFormatter(prog, width=max(width, 40))


def _once_per_run(write: Callable[[str], object]) -> Callable[[str], object]:
    """``write`` that prints a configuration error once, not once per file."""
    seen: set[str] = set()

    def once(line: str) -> object:
        if line.startswith(_CONFIG_ERROR):
            if line in seen:
                return None
            seen.add(line)
            line = line[len(_CONFIG_ERROR) :]
        return write(line)

    return once


# Marks a configuration error line for ``_once_per_run``; never printed.
_CONFIG_ERROR = "\0config\0"


def _writer(out: TextIO) -> Callable[[str], object]:
    """``out.write`` that never fails on text the stream cannot encode.

    File names are undecodable bytes smuggled in as surrogates, and messages may
    quote file text; a console in a legacy encoding must still get the line.
    """

    def write(line: str) -> object:
        try:
            return out.write(line)
        except UnicodeEncodeError:
            encoding = getattr(out, "encoding", None) or "utf-8"
            safe = line.encode(encoding, "backslashreplace").decode(encoding, "replace")
            return out.write(safe)

    return write


def _run_file(
    path: str,
    rules: Sequence[Rule],
    check: Check,
    *,
    fix: bool,
    unsafe: bool,
    config_path: str | None,
    write: Callable[[str], object],
) -> int:
    from hooks._config import ConfigError, load_config

    try:
        config = load_config(path, config_path, _all_rules)
    except ConfigError as exc:
        write(f"{_CONFIG_ERROR}{exc}\n")
        return 2
    try:
        stat_before, data = _read(path)
    except Refusal as exc:
        write(f"{path}: {exc}\n")
        return 1
    try:
        result = process(data, path, rules, check, fix=fix, unsafe=unsafe, config=config)
    except Refusal as exc:
        write(f"{path}: {exc}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - one line per file, never a traceback
        write(f"{path}: {_internal_error(exc)}\n")
        return 2
    status = 1 if result.lines or result.changed else 0
    if result.changed and result.output is not None:
        try:
            _write_atomic(path, stat_before, data, result.output)
        except Refusal as exc:
            # Nothing was written: report what is wrong as a run without fixes
            # would, so no line claims a fix that is not in the file.
            unfixed = process(data, path, rules, check, fix=False, unsafe=unsafe, config=config)
            for line in unfixed.lines:
                write(f"{path}:{line}\n")
            write(f"{path}: {exc}\n")
            return 1
    for line in result.lines:
        write(f"{path}:{line}\n")
    if result.changed:
        write(f"Fixing {path}\n")
    return status


def _internal_error(exc: Exception) -> str:
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        where = f" in {os.path.basename(code.co_filename)}:{tb.tb_lineno} ({code.co_name})"
        tb = tb.tb_next
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return (
        f"internal error{where}: {type(exc).__name__}"
        + (f": {detail}" if detail else "")
        + "; file left unchanged (please report this with the file)"
    )


def _all_rules() -> Sequence[Rule]:
    from hooks._registry import all_rules

    return all_rules()


class Result:
    """What one file's run produced: report lines and, if fixed, the new bytes."""

    __slots__ = ("lines", "changed", "output", "findings")

    def __init__(
        self,
        lines: list[str],
        changed: bool,
        output: bytes | None,
        findings: list[Finding],
    ) -> None:
        # Each line is "<line>:<col>: <CODE> <message>" (the path is put in front).
        self.lines = lines
        self.changed = changed
        self.output = output
        self.findings = findings


def process(
    data: bytes,
    path: str,
    rules: Sequence[Rule],
    check: Check,
    *,
    fix: bool = True,
    unsafe: bool = False,
    config: Config | None = None,
) -> Result:
    """Check (and fix) one file's bytes. Pure: nothing is read or written here."""
    from hooks._parse import ParseError, parse
    from hooks._text import DecodeError, decode, encode

    try:
        text, bom = decode(data)
    except DecodeError as exc:
        raise Refusal(str(exc)) from None
    try:
        model = parse(text)
    except ParseError as exc:
        raise Refusal(f"line {exc.line}: {exc}") from None
    ignored = config.ignored_codes(path) if config is not None else frozenset()
    active = {r.code: r for r in rules if r.code not in ignored}
    options = config.options if config is not None else {}
    context = Context(path, options)

    findings, warnings = _findings(model, active, check, context)
    first_findings = findings
    fixed: list[Finding] = []
    fixed_later: list[Finding] = []
    rounds = 0
    changed = False
    if fix:
        allowed = (FIX_SAFE, FIX_UNSAFE) if unsafe else (FIX_SAFE,)
        while True:
            chosen = _choose_fixes(findings, allowed)
            if not chosen:
                break
            rounds += 1
            if rounds > MAX_ROUNDS:
                raise Refusal(
                    f"fixes did not converge after {MAX_ROUNDS} rounds; file left unchanged"
                )
            if rounds == 1:
                fixed = chosen
            else:
                # Deferred because its edits overlapped an earlier fix; its
                # position is the one it had in the text of its round.
                fixed_later.extend(chosen)
            text = _apply(text, chosen)
            changed = True
            try:
                model = parse(text)
            except ParseError as exc:
                raise Refusal(
                    f"a fix would make the file unparsable ({exc}); file left unchanged"
                ) from None
            findings, _ = _findings(model, active, check, context)
    lines = [f"{line}:1: warning: {msg}" for line, msg in warnings]
    if changed:
        # Positions refer to the file as it was; what is left is re-checked below.
        fixed_ids = {id(f) for f in fixed}
        lines += [_format(f, " (fixed)") for f in first_findings if id(f) in fixed_ids]
        lines += [_format(f, " (fixed)") for f in fixed_later]
        lines += [_format(f, "") for f in findings]
    else:
        marker_ok = (FIX_SAFE, FIX_UNSAFE) if unsafe else (FIX_SAFE,)
        lines += [
            _format(f, " [*]" if f.fix is not None and f.fix.safety in marker_ok else "")
            for f in findings
        ]
    return Result(
        lines,
        changed,
        encode(text, bom) if changed else None,
        findings,
    )


def _format(f: Finding, suffix: str) -> str:
    return f"{f.line}:{f.col}: {f.code} {f.message}{suffix}"


def _findings(
    model: Dockerfile,
    active: dict[str, Rule],
    check: Check,
    context: Context,
) -> tuple[list[Finding], list[tuple[int, str]]]:
    found = [f for f in check(model, context) if f.code in active]
    warnings: list[tuple[int, str]] = []
    # Our own pragmas are read even in a clean file, so a mistyped code in one
    # is reported; other comments only matter when something was found.
    own_pragma = any("python-docker-hooks" in text.lower() for _, text in model.comments)
    if not found and not own_pragma:
        return found, warnings
    skipped = _buildkit_skips(model, active)
    if skipped:
        found = [f for f in found if f.code not in skipped]
    if model.comments and (found or own_pragma):
        from hooks._pragmas import build_suppressions
        from hooks._registry import resolve_code

        suppressions = build_suppressions(
            model.comments,
            [(i.start_line, i.end_line) for i in model.instructions],
            resolve_code,
        )
        found = [f for f in found if not suppressions.is_suppressed(f.code, f.line)]
        warnings = list(suppressions.warnings)
    found.sort(key=lambda f: (f.line, f.col, f.code))
    return found, warnings


def _buildkit_skips(model: Dockerfile, active: dict[str, Rule]) -> set[str]:
    """Codes turned off by BuildKit's own ``# check=skip=<names>`` directive.

    The value is the one BuildKit looks up (``Dockerfile.directive``): a ``#!``
    first line skipped, the value cut at its first space.
    """
    value = model.directive("check")
    if not value:
        return set()
    for part in value.split(";"):
        key, _, names_value = part.strip().partition("=")
        if key.strip().lower() != "skip":
            continue
        names = {n.strip().lower() for n in names_value.split(",")}
        if "all" in names:
            return {code for code, rule in active.items() if rule.buildkit}
        return {
            code
            for code, rule in active.items()
            if rule.buildkit and rule.buildkit.lower() in names
        }
    return set()


def _choose_fixes(findings: Iterable[Finding], allowed: tuple[str, ...]) -> list[Finding]:
    """Findings whose fixes apply this round: allowed safety, no overlapping edits.

    The first finding wins a conflict. Spans taken so far are kept sorted; they do
    not overlap each other, so their ends are sorted too and a new span can only
    conflict with the last one starting at or before its end: a bisect, not a scan
    (a generated file can have a finding on each of 100,000 lines).
    """
    from bisect import bisect_right, insort

    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in findings:
        if f.fix is None or f.fix.safety not in allowed or not f.fix.edits:
            continue
        spans = [(e.start, e.end) for e in f.fix.edits]
        if any(_conflicts(span, taken, bisect_right) for span in spans):
            continue
        for span in spans:
            insort(taken, span)
        chosen.append(f)
    return chosen


def _conflicts(
    span: tuple[int, int],
    taken: list[tuple[int, int]],
    bisect_right: Callable[[list[tuple[int, int]], tuple[int, int]], int],
) -> bool:
    index = bisect_right(taken, (span[1], sys.maxsize))
    return index > 0 and _overlaps(span, taken[index - 1])


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        # Insertions conflict only with an edit at or around the same point.
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def _apply(text: str, findings: list[Finding]) -> str:
    edits = sorted(
        (e for f in findings if f.fix is not None for e in f.fix.edits),
        key=lambda e: (e.start, e.end),
    )
    out: list[str] = []
    pos = 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def apply_fix(text: str, fix: Fix) -> str:
    """Apply one fix's edits to text (for tests and tools)."""
    return _apply(text, [Finding("", 1, 1, "", fix)])


def _read(path: str) -> tuple[os.stat_result, bytes]:
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


def _write_atomic(path: str, before: os.stat_result, original: bytes, data: bytes) -> None:
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
