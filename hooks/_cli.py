"""The ``python-docker-hooks`` command: ``check``, ``rules`` and ``explain``.

``check`` is the engine with every hook of the registry (or the ones ``--select``
names): one read and one parse per file, whatever the number of hooks. Hooks
added to the registry join with no change here. ``python-docker-hooks FILE...``
without a command name is ``check`` (it is what the pre-commit hook ran before
the commands existed); a first argument that is a command name is the command.

``check`` reports and writes nothing unless asked: ``--fix`` (or ``fix = true``
in the configuration) applies safe fixes, ``--unsafe-fixes`` with it unsafe ones
too, ``--diff`` prints what ``--fix`` would change. (The hook commands fix by
default, as pre-commit's hooks do; ``--no-fix`` makes them report only.)

Findings are printed sorted by path, then line and column, whatever order the
build-context groups or the worker processes produced them in.

Exit codes, as the hooks: 0 clean, 1 findings, fixes or a file that could not be
checked (``--exit-zero`` turns these into 0), 2 bad usage or configuration.
"""

from __future__ import annotations

import os
import sys

from python_docker_hooks import __version__
from python_docker_hooks._engine import registry
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.builds import start_indexes
from python_docker_hooks._engine.files import git_forget, kind_by_name, kind_of, walk
from python_docker_hooks._engine.group import check_files
from python_docker_hooks._engine.options import (
    CHECK,
    EXPLAIN,
    RULES,
    build_parser,
    parse,
)
from python_docker_hooks._engine.runner import FileResult, Options
from python_docker_hooks._output import (
    in_order,
    problems,
    quiet_when_closed,
    rule_url,
    write_line,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Collection, Iterable, Sequence
    from typing import TextIO

    from python_docker_hooks._engine.options import Args
    from python_docker_hooks._engine.vocabulary import HookSpec, Rule

PROG = "python-docker-hooks"

USAGE = f"""\
usage: {PROG} <command> [options]
       {PROG} [check options] FILE...

Checks the Dockerfiles of Python applications against the best practices for
Python container images; with --fix, fixes what can be fixed safely.

commands:
  check [PATH ...]   check files, or the Dockerfiles under directories (default: .)
  rules              list every rule: code, hook, severity, fix, aliases
  explain CODE       print a rule's documentation (a hook id: each of its rules;
                     hadolint and BuildKit codes too)

Run '{PROG} <command> --help' for a command's options.
"""


class UsageError(Exception):
    """A bad argument; the message is printed after the command's name."""


def main(argv: Sequence[str] | None = None) -> int:
    return quiet_when_closed(_main, sys.argv[1:] if argv is None else argv)


def _main(argv: Sequence[str]) -> int:
    args = list(argv)
    if not args:
        sys.stderr.write(USAGE)
        return 2
    first = args[0]
    if first in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if first == "--version":
        sys.stdout.write(f"{PROG} {__version__}\n")
        return 0
    if first == "rules":
        return rules(args[1:])
    if first == "explain":
        return explain(args[1:])
    if first == "check":
        return check(args[1:])
    return check(args)


# --- check ---------------------------------------------------------------


CHECK_DESCRIPTION = (
    "Check files, or the Dockerfiles under directories, with every rule "
    "(or the ones selected). Reports only, unless --fix (or fix = true in "
    "the configuration) asks for the safe fixes."
)


def _check_parser() -> argparse.ArgumentParser:
    return build_parser(f"{PROG} check", CHECK_DESCRIPTION, CHECK)


def check(argv: Sequence[str]) -> int:
    args = parse(argv, CHECK, f"{PROG} check", CHECK_DESCRIPTION)
    if args.diff and args.fix is False:
        _check_parser().error("--diff shows what --fix would do: not with --no-fix")
    if args.statistics and args.format not in ("text", "json"):
        _check_parser().error("--statistics works with --format text or json")
    specs: Sequence[HookSpec] | None = None
    select = None
    if args.select or args.ignore or args.format == "sarif":
        # Codes and hook ids name rules of any hook; SARIF lists every rule.
        specs = registry.all_specs()
        try:
            select = selection(specs, args.select, args.ignore)
        except UsageError as exc:
            _check_parser().error(str(exc))
    options = Options(
        # None: as each file's configuration says (``fix = true``), else report.
        fix=True if args.diff else args.fix,
        unsafe=args.unsafe_fixes,
        config_path=args.config,
        select=select,
        write=not args.diff,
    )
    out = sys.stdout
    if args.config is not None:
        # A configuration named on the command line governs every file: when it
        # cannot be used, the run stops before it starts.
        from python_docker_hooks._engine.config import ConfigError, load_config
        try:
            load_config(args.config, args.config, registry.all_rules)
        except ConfigError as exc:
            stopped = [FileResult(args.config, config_error=str(exc))]
            if args.diff:
                return _diff(stopped, out, sys.stderr)
            _renderer(args, [], out).file(stopped[0])
            return 2
    paths = args.paths or ["."]
    try:
        status = _check_paths(args, paths, specs, select, options, out)
    finally:
        git_forget()
    out.flush()
    if args.exit_zero and status == 1:
        return 0
    return status



def _check_paths(
    args: argparse.Namespace | Args,
    paths: Sequence[str],
    specs: Sequence[HookSpec] | None,
    select: frozenset[str] | None,
    options: Options,
    out: TextIO,
) -> int:
    """``check`` on ``paths``: discover the files, run the hooks, report; the
    exit status."""
    running: Sequence[HookSpec]
    if specs is None:
        # Only the hooks the files' kinds make run are imported: a run on
        # Dockerfiles alone imports no hook of ignore or compose files only, and
        # a run on ignore files none of the Dockerfile hooks.
        every = {kind for hook_id in registry.HOOKS for kind in registry.kinds_of(hook_id)}
        files = discover(paths, every, sys.stderr)
        jobs = _jobs(args, files)
        if jobs == 1:
            # Git reads its index while the hooks are imported.
            start_indexes(files)
        specs = running = registry.specs_for({kind_of(f) for f in files})
    else:
        # Only the hooks with a selected rule run: a hook left out entirely
        # reads nothing (not even the ignore file a Dockerfile leads to).
        running = [
            s for s in specs if select is None or any(r.code in select for r in s.rules)
        ]
        files = discover(paths, {kind for s in running for kind in s.kinds}, sys.stderr)
        jobs = _jobs(args, files)
    if jobs > 1:
        from python_docker_hooks._engine.parallel import check_parallel

        results: Iterable[FileResult] = check_parallel(files, running, options, jobs)
    else:
        results = check_files(files, running, options)
    if args.diff:
        status = _diff(results, out, sys.stderr)
    else:
        rules = [r for s in specs for r in s.rules if select is None or r.code in select]
        status = _render(results, args, rules, out)
    return status


def _jobs(args: argparse.Namespace | Args, files: Sequence[str]) -> int:
    """How many processes check ``files`` (``parallel.jobs_for``). ``--diff``
    needs each file's bytes, which workers do not send back; one file is
    checked by the parent alone (jobs_for says so too)."""
    if args.diff or len(files) < 2:
        return 1
    from python_docker_hooks._engine.parallel import jobs_for

    return jobs_for(files)


def selection(
    specs: Sequence[HookSpec], select: Sequence[str], ignore: Sequence[str]
) -> frozenset[str] | None:
    """The codes a run reports: ``select`` (every code when empty) minus ``ignore``.

    Each item is one of our codes, a hadolint or BuildKit code (the rules it maps
    to), a hook id (its rules) or ``ALL``; items are comma-separated. ``None``
    means every code of ``specs``.
    """
    if not select and not ignore:
        return None
    every = frozenset(r.code for s in specs for r in s.rules)
    chosen = _codes(specs, select, "--select") if select else every
    return frozenset(chosen - _codes(specs, ignore, "--ignore"))


def _codes(specs: Sequence[HookSpec], items: Sequence[str], option: str) -> set[str]:
    hooks = {s.id: s for s in specs}
    found: set[str] = set()
    for item in items:
        for name in (n.strip() for n in item.split(",")):
            if not name:
                continue
            if name.upper() == "ALL":
                found.update(r.code for s in specs for r in s.rules)
            elif name in hooks:
                found.update(r.code for r in hooks[name].rules)
            else:
                codes = registry.resolve_code(name) or registry.resolve_code(name.upper())
                if not codes:
                    raise UsageError(f"{option}: {unknown_code(name)}")
                found.update(codes)
    return found


# hadolint's own rules: one module per code in its src/Hadolint/Rule/ (DL1001,
# DL3000 to DL3077, DL4000, DL4001, DL4003 to DL4007); SC codes are ShellCheck's,
# which hadolint runs on RUN lines (Rule/Shellcheck.hs).
_HADOLINT_CODES = frozenset(
    ["DL1001"]
    + [f"DL{n}" for n in range(3000, 3078)]
    + [f"DL{n}" for n in (4000, 4001, 4003, 4004, 4005, 4006, 4007)]
)


def unknown_code(name: str) -> str:
    """Why ``name`` selects no rule, for an error message."""
    import re

    if name.upper() in _HADOLINT_CODES:
        return (
            f"{name!r} is a hadolint code with no counterpart here "
            f"(see '{PROG} rules' for the hadolint codes that map to ours)"
        )
    if re.fullmatch(r"(?i)SC\d{4}", name):
        return (
            f"{name!r} is a ShellCheck code (hadolint reports them) with no "
            f"counterpart here (see '{PROG} rules')"
        )
    return (
        f"{name!r} is not a code, a hadolint or BuildKit code, or a hook id "
        f"(see '{PROG} rules')"
    )


def discover(
    paths: Sequence[str], kinds: Collection[str], err: TextIO | None = None
) -> list[str]:
    """The files to check: each file as given (whatever its name), and the files
    under each directory that the manifest's name rules select as one of
    ``kinds`` (those of the hooks that run). A directory holding none is said on
    ``err`` (a warning: nothing is wrong)."""
    files: list[str] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path) and boundary_of(path).holds(path):
            found = [p for p in walk(path) if kind_by_name(p.replace(os.sep, "/")) in kinds]
            if not found and err is not None:
                write_line(err, f"warning: no Dockerfiles found under {path}\n")
        else:
            # A missing file (or a directory reached through a symlink that
            # leaves the repository) is reported by the run, on one line.
            found = [path]
        for name in found:
            if name not in seen:
                seen.add(name)
                files.append(name)
    return files


def _render(
    results: Iterable[FileResult],
    args: argparse.Namespace | Args,
    rules: list[Rule],
    out: TextIO,
) -> int:
    renderer = _renderer(args, rules, out)
    status = 0
    for result in in_order(results):
        renderer.file(result)
        status = max(status, result.status)
    renderer.finish()
    return status


def _renderer(
    args: argparse.Namespace | Args, rules: list[Rule], out: TextIO
) -> _Renderer:
    fmt = args.format
    if fmt == "json":
        if args.statistics:
            from python_docker_hooks._output.json import StatisticsRenderer

            return StatisticsRenderer(out, sys.stderr, rules)
        from python_docker_hooks._output.json import JsonRenderer

        return JsonRenderer(out, sys.stderr)
    if fmt == "sarif":
        from python_docker_hooks._output.sarif import SarifRenderer

        return SarifRenderer(out, sys.stderr, rules)
    if fmt == "github":
        from python_docker_hooks._output.github import GithubRenderer

        return GithubRenderer(out)
    from python_docker_hooks._output.text import CheckTextRenderer, use_colour

    return CheckTextRenderer(
        out,
        statistics=args.statistics,
        colour=use_colour(out),
        summaries={r.code: r.summary for r in rules},
    )


def _diff(results: Iterable[FileResult], out: TextIO, err: TextIO) -> int:
    """``--diff``: a unified diff per file the fixes would change; nothing written.

    Exit 1 when there is a diff or a file could not be checked, else 0 (2 for a
    configuration error). The diff is of the file's text as read (``a/`` and
    ``b/`` prefixes, as git writes them), so ``git apply`` or ``patch -p1`` takes it.
    """
    from python_docker_hooks._output.diff import unified_diff

    status = 0
    changed = 0
    seen: set[str] = set()
    for result in in_order(results):
        for line in problems(result):
            if line not in seen:
                seen.add(line)
                write_line(err, line + "\n")
        if result.config_error is not None or result.internal_error is not None:
            status = 2
        elif result.refusal is not None:
            status = max(status, 1)
        if result.changed and result.output is not None and result.source is not None:
            created = not result.source and not os.path.lexists(result.path)
            _write_exact(
                out,
                unified_diff(result.path, result.source, result.output, created=created),
            )
            changed += 1
            status = max(status, 1)
    fixes = "file" if changed == 1 else "files"
    if status != 2:
        err.write(f"Would fix {changed} {fixes}\n" if changed else "No fixes to apply\n")
    return status


def _write_exact(out: TextIO, text: str) -> None:
    """Write text that carries a file's bytes (as surrogates) byte for byte."""
    data = text.encode("utf-8", "surrogateescape")
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8", "replace"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()


# --- rules and explain --------------------------------------------------------

RULES_DESCRIPTION = (
    "List every rule: code, hook id, severity, fix safety, aliases "
    "(hadolint and BuildKit codes for the same rule) and summary."
)
EXPLAIN_DESCRIPTION = (
    "Print a rule's documentation. CODE is one of our codes "
    "(PDH101), a hadolint or BuildKit code that maps to our rules (DL3042, "
    "LegacyKeyValueFormat), or a hook id (each of its rules)."
)


def rules(argv: Sequence[str]) -> int:
    args = parse(argv, RULES, f"{PROG} rules", RULES_DESCRIPTION)
    every = registry.all_rules()
    out = sys.stdout
    if args.format == "json":
        from python_docker_hooks._output.json import dumps

        out.write(
            dumps(
                [
                    {
                        "code": r.code,
                        "hook": r.hook,
                        "severity": r.severity,
                        "fix": r.fix,
                        "aliases": list(r.aliases),
                        "hadolint": r.hadolint,
                        "buildkit": r.buildkit,
                        "summary": r.summary,
                        "url": rule_url(r.code),
                    }
                    for r in every
                ]
            )
        )
        return 0
    header = ("Code", "Hook", "Severity", "Fix", "Aliases", "Summary")
    rows = [
        (r.code, r.hook, r.severity, r.fix, ",".join(r.aliases) or "-", r.summary)
        for r in every
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:5])]
        out.write("  ".join([*cells, row[5]]) + "\n")
    return 0


def explain(argv: Sequence[str]) -> int:
    prog = f"{PROG} explain"
    args = parse(argv, EXPLAIN, prog, EXPLAIN_DESCRIPTION)
    if args.code in registry.HOOKS:
        codes: tuple[str, ...] = tuple(r.code for r in registry.spec(args.code).rules)
    else:
        codes = registry.resolve_code(args.code) or registry.resolve_code(args.code.upper())
    if not codes:
        build_parser(prog, EXPLAIN_DESCRIPTION, EXPLAIN).error(unknown_code(args.code))
    by_code = {r.code: r for r in registry.all_rules()}
    from python_docker_hooks._output.docs import rule_page

    sys.stdout.write("\n".join(rule_page(by_code[code]) for code in codes))
    return 0


if TYPE_CHECKING:
    from typing import Protocol

    class _Renderer(Protocol):
        def file(self, result: FileResult) -> None: ...

        def finish(self) -> None: ...
