"""The one engine behind every hook script: read, parse, check, fix, write.

Any set of hook specs runs over a batch of files. Each file is read, decoded and
parsed once; every selected hook's check runs on that one model; fixes from all of
them are chosen together (non-overlapping, in rounds until stable) and the file is
written once. What a run found comes back as data (``FileResult``); rendering it is
the business of ``python_docker_hooks._output``.

Exit codes: 0 clean; 1 findings, fixes or unreadable input; 2 usage or config error,
or an internal error (reported in one line, never as a traceback).
"""

from __future__ import annotations

import os
import sys

from python_docker_hooks._engine.files import MAX_BYTES, Refusal
from python_docker_hooks._engine.vocabulary import (
    DOCKERFILE,
    DOCKERIGNORE,
    FIX_SAFE,
    FIX_UNSAFE,
    Context,
    Finding,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Collection, Iterable, Sequence
    from typing import Any

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._engine.config import Config
    from python_docker_hooks._engine.contexts import Resolver
    from python_docker_hooks._engine.vocabulary import Edit, Fix, HookSpec, Rule
    from python_docker_hooks._engine.vocabulary import Resolver as Resolves

    # A parsed file of any kind, and what gives its Context the builds.
    Model = object
    ResolveFor = Callable[[object], Resolves]

__all__ = [
    "MAX_BYTES",
    "MAX_ROUNDS",
    "FileResult",
    "Options",
    "Refusal",
    "apply_fix",
    "check_files",
    "main_for",
    "process",
    "run_hook",
]

# Fix rounds before a file is declared not to converge.
MAX_ROUNDS = 8


class FileWarning:
    """Something to tell the user about a file that is not a finding (a pragma
    naming an unknown code), at a 1-based line."""

    __slots__ = ("line", "message")

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message

    def __repr__(self) -> str:
        return f"FileWarning({self.line}, {self.message!r})"


class FileResult:
    """Everything one file's run produced, as data.

    ``findings`` lists the fixed findings first (in the order they were fixed),
    then those left; every one is positioned in the text the run leaves (a fixed
    finding where its fix put the text it asked for).
    ``refusal`` is the one-line reason the file could not be read, parsed or
    written; ``config_error`` a configuration problem (the file was not checked);
    ``internal_error`` a bug, reported in one line.
    """

    __slots__ = (
        "path",
        "findings",
        "warnings",
        "changed",
        "output",
        "allowed",
        "refusal",
        "config_error",
        "internal_error",
        "source",
        "written",
        "parsed",
        "models",
    )

    def __init__(
        self,
        path: str,
        findings: list[Finding] | None = None,
        warnings: list[FileWarning] | None = None,
        *,
        changed: bool = False,
        output: bytes | None = None,
        allowed: tuple[str, ...] = (FIX_SAFE,),
        refusal: str | None = None,
        config_error: str | None = None,
        internal_error: str | None = None,
    ) -> None:
        self.path = path
        self.findings = findings or []
        self.warnings = warnings or []
        self.changed = changed
        self.output = output
        # Fix safeties the run applied (or would apply): the `[*]` marker.
        self.allowed = allowed
        self.refusal = refusal
        self.config_error = config_error
        self.internal_error = internal_error
        # The bytes read (set by ``check_file``), and whether ``output`` was
        # written over them: a run with ``write=False`` (``--diff``) computes
        # the fix and leaves the file alone.
        self.source: bytes | None = None
        self.written = False
        # Whether the text read parsed, and (for the engine, until it has used
        # them) the models of the text read and of the text the run leaves.
        self.parsed = False
        self.models: tuple[Model, Model] | None = None

    @property
    def status(self) -> int:
        if self.config_error is not None or self.internal_error is not None:
            return 2
        if self.refusal is not None or self.findings or self.warnings or self.changed:
            return 1
        return 0

    @property
    def remaining(self) -> list[Finding]:
        """Findings still in the file after the run."""
        return [f for f in self.findings if not f.fixed]

    @property
    def lines(self) -> list[str]:
        """The text renderer's report lines, without the path (for tests)."""
        from python_docker_hooks._output.text import report_lines

        return report_lines(self)

    def __repr__(self) -> str:
        return f"FileResult({self.path!r}, {self.findings!r}, changed={self.changed})"


class Options:
    """How a run treats files: fix or not (``None``: as the file's configuration
    says, ``fix = true``, else not), unsafe fixes, an explicit config, the codes
    to report (``None``: every code of the hooks run), and whether fixes are
    written (``write=False`` computes them only)."""

    __slots__ = ("fix", "unsafe", "config_path", "select", "write")

    def __init__(
        self,
        *,
        fix: bool | None = True,
        unsafe: bool = False,
        config_path: str | None = None,
        select: frozenset[str] | None = None,
        write: bool = True,
    ) -> None:
        self.fix = fix
        self.unsafe = unsafe
        self.config_path = config_path
        self.select = select
        self.write = write

    @property
    def allowed(self) -> tuple[str, ...]:
        return (FIX_SAFE, FIX_UNSAFE) if self.unsafe else (FIX_SAFE,)


# --- command line ------------------------------------------------------------


def run_hook(spec: HookSpec, argv: Sequence[str] | None) -> int:
    """Entry point of a per-concern hook script: the engine with one hook."""
    return main_for([spec], argv, prog=spec.id)


def main_for(
    specs: Sequence[HookSpec], argv: Sequence[str] | None, *, prog: str
) -> int:
    """Parse the hook options, run ``specs`` over the files, print as text.

    A hook command fixes by default (pre-commit's hooks fix in place);
    ``--no-fix`` makes it report only."""
    from python_docker_hooks._output import quiet_when_closed

    return quiet_when_closed(
        lambda args: _main_for(specs, args, prog=prog),
        sys.argv[1:] if argv is None else argv,
    )


def _main_for(specs: Sequence[HookSpec], argv: Sequence[str], *, prog: str) -> int:
    quick = quick_parse(
        argv,
        flags={"--no-fix": ("no_fix", True), "--unsafe-fixes": ("unsafe_fixes", True)},
        values={"--config": ("config", False)},
        positional="filenames",
        defaults={"no_fix": False, "unsafe_fixes": False, "config": None},
    )
    args = quick if quick is not None else _parser(prog, specs).parse_args(argv)
    options = Options(fix=not args.no_fix, unsafe=args.unsafe_fixes, config_path=args.config)
    from python_docker_hooks._output import in_order
    from python_docker_hooks._output.text import TextRenderer

    out = sys.stdout
    renderer = TextRenderer(out)
    status = 0
    for result in in_order(check_files(args.filenames, specs, options)):
        renderer.file(result)
        status = max(status, result.status)
    out.flush()
    return status


class Args:
    """Parsed options by name, as argparse's ``Namespace`` holds them."""

    def __init__(self, values: dict[str, object]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # for mypy: any option name
        raise AttributeError(name)


def quick_parse(
    argv: Sequence[str],
    *,
    flags: dict[str, tuple[str, object]],
    values: dict[str, tuple[str, bool]],
    positional: str,
    defaults: dict[str, object],
) -> Args | None:
    """The common command lines without argparse, whose import is a tenth of a
    hook run's start-up; None for anything else (help, an unknown or abbreviated
    option, an option without its value), which the caller hands to argparse, so
    usage, help and errors stay argparse's.

    ``flags``: option -> (name, value stored); ``values``: option -> (name,
    whether it is repeatable); the other arguments are ``positional``.
    """
    parsed: dict[str, object] = dict(defaults)
    rest: list[str] = []
    parsed[positional] = rest
    args = list(argv)
    # argparse reads the file names as one run: one after an option that
    # follows them is its error, so it is left to argparse, as is "--" after one.
    ended = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            if rest:
                return None
            rest.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "-":
            if ended:
                return None
            rest.append(arg)
            continue
        if rest:
            ended = True
        name, eq, inline = arg.partition("=")
        if name in flags and not eq:
            dest, value = flags[name]
            parsed[dest] = value
        elif name in values:
            if eq:
                value_text = inline
            elif i < len(args) and not args[i].startswith("-"):
                value_text = args[i]
                i += 1
            else:
                return None
            dest, repeatable = values[name]
            if repeatable:
                found = parsed.get(dest)
                parsed[dest] = [*found, value_text] if isinstance(found, list) else [value_text]
            else:
                parsed[dest] = value_text
        else:
            return None
    return Args(parsed)


def _parser(prog: str, specs: Sequence[HookSpec]) -> argparse.ArgumentParser:
    import argparse

    if len(specs) == 1:
        description = f"{prog}: " + "; ".join(
            f"{r.code} {r.summary}" for r in specs[0].rules
        )
    else:
        description = f"{prog}: every hook in one process ({', '.join(s.id for s in specs)})"
    parser = argparse.ArgumentParser(
        prog=prog, description=description, formatter_class=_help_formatter
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
    return parser


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


# --- running files -----------------------------------------------------------


def check_files(
    paths: Iterable[str], specs: Sequence[HookSpec], options: Options
) -> Iterable[FileResult]:
    """Run ``specs`` over each file in turn, writing fixes; yield each result.

    A hook whose ``model_kind`` differs from a file's kind is run on the files
    of its kind that the file leads to (``python_docker_hooks._engine.contexts``): each such
    file is checked once per run, however many of the given files lead to it,
    and every file is parsed once (``python_docker_hooks._engine.plan``).
    """
    from python_docker_hooks._engine import boundary
    from python_docker_hooks._engine.plan import plan, run

    # What is a repository and where it ends is learnt afresh each run.
    boundary.clear_cache()
    planned = plan(paths, specs, options)
    yield from run(planned, planned.groups)
    for path, reason in planned.after:
        yield FileResult(path, refusal=reason)


def config_of(path: str, options: Options) -> Config:
    from python_docker_hooks._engine.config import load_config

    return load_config(path, options.config_path, _all_rules)


def kind_of(path: str) -> str:
    from python_docker_hooks._engine.files import kind_of as of

    return of(path)


def check_file(
    path: str,
    specs: Sequence[HookSpec],
    options: Options,
    *,
    kind: str | None = None,
    resolver: Resolver | None = None,
    missing_ok: bool = False,
    probe: bool = False,
) -> FileResult:
    """Read one file, run the hooks that read its kind, write the fix if any.

    ``kind`` given: ``specs`` are the hooks to run on it, already chosen. With
    ``missing_ok``, an ignore file that does not exist is checked as empty (a fix
    creates it). A ``probe`` (with no hooks) is only read and parsed. With a
    ``resolver``, a Dockerfile's sources and an ignore file's lines are left
    with it for the other files of the group, as the file holds them after the
    run.
    """
    from python_docker_hooks._engine.config import ConfigError, load_config
    from python_docker_hooks._engine.files import create_atomic, read, write_atomic

    try:
        config = load_config(path, options.config_path, _all_rules)
    except ConfigError as exc:
        return FileResult(path, config_error=str(exc))
    select = options.select
    if kind is None:
        kind = kind_of(path)
        selected = [s for s in specs if kind in s.kinds and s.model_kind == kind]
    else:
        selected = list(specs)
    if select is not None:
        selected = [s for s in selected if any(r.code in select for r in s.rules)]
    from python_docker_hooks._engine.boundary import boundary_of

    bounds = boundary_of(path)
    stat_before: os.stat_result | None = None
    if missing_ok and kind == DOCKERIGNORE and selected and not os.path.lexists(path):
        if not bounds.holds(path):
            return FileResult(path, refusal="is outside the repository; not checked")
        data = b""
    else:
        if not bounds.holds(path):
            return FileResult(
                path, refusal="is a symlink to a file outside the repository; not read"
            )
        try:
            stat_before, data = read(path)
        except Refusal as exc:
            return FileResult(path, refusal=str(exc))
    if not selected and not probe:
        return FileResult(path)
    resolve = None
    known: Model | None = None
    if resolver is not None:
        from python_docker_hooks._engine.contexts import UnitResolver

        bound = resolver

        def resolve(model: object) -> UnitResolver:
            from python_docker_hooks._dockerfile.parse import Dockerfile

            return UnitResolver(
                bound, path, model if isinstance(model, Dockerfile) else None
            )

        if kind == DOCKERIGNORE:
            # Parsed once: the check's own builds hold this same ignore file.
            # (A missing one is checked as empty, and stays missing to the builds.)
            known = resolver.ignore_read(path, data) if stat_before is not None else None
        elif kind == DOCKERFILE:
            known = resolver.take_model(path)

    try:
        result = process(
            data,
            path,
            selected,
            fix=bool(config.fix) if options.fix is None else options.fix,
            unsafe=options.unsafe,
            config=config,
            select=select,
            kind=kind,
            resolve=resolve,
            known=known,
        )
    except Exception as exc:  # noqa: BLE001 - one line per file, never a traceback
        return FileResult(path, internal_error=_internal_error(exc))
    result.source = data
    models = result.models
    result.models = None
    if result.changed and result.output is not None and options.write:
        try:
            if not bounds.writable(path):
                raise Refusal(
                    "is a symlink; fix not applied (run on the target file)"
                    if os.path.islink(path)
                    else "is in a directory reached through a symlink; fix not applied"
                )
            if stat_before is None:
                create_atomic(path, result.output)
            else:
                write_atomic(path, stat_before, data, result.output)
        except Refusal as exc:
            # Nothing was written: report what is wrong as a run without fixes
            # would, so no line claims a fix that is not in the file.
            unfixed = process(
                data,
                path,
                selected,
                fix=False,
                unsafe=options.unsafe,
                config=config,
                select=select,
                kind=kind,
                resolve=resolve,
            )
            unfixed.refusal = str(exc)
            unfixed.source = data
            unfixed.parsed = True
            if resolver is not None and kind == DOCKERFILE and models is not None:
                resolver.settle(path, models[0])  # type: ignore[arg-type]
            return unfixed
        result.written = True
        if resolver is not None:
            resolver.forget(path)
    if resolver is not None and kind == DOCKERFILE:
        # What the file holds now: the fixed text if written, else what was read.
        held = None if models is None else models[1] if result.written else models[0]
        resolver.settle(path, held)  # type: ignore[arg-type]
    return result


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
    from python_docker_hooks._engine.registry import all_rules

    return all_rules()


# --- one file's bytes ----------------------------------------------------------


class _InternalError(Exception):
    """A check broke the engine's contract."""


def process(
    data: bytes,
    path: str,
    specs: Sequence[HookSpec],
    *,
    fix: bool = True,
    unsafe: bool = False,
    config: Config | None = None,
    select: Collection[str] | None = None,
    kind: str = DOCKERFILE,
    resolve: ResolveFor | None = None,
    known: Model | None = None,
) -> FileResult:
    """Check (and fix) one file's bytes. Pure: nothing is read or written here,
    unless ``resolve`` is given (the engine's, reading build contexts for the
    hooks that ask).

    ``kind`` says how the text is parsed: a Dockerfile, or an ignore file.
    ``select`` limits the codes reported and fixed (``None``: all of ``specs``'s);
    the configuration's ignores apply on top of it. A file that cannot be
    decoded or parsed, or whose fixes would not converge or would break it,
    comes back with ``refusal`` set and the file unchanged.
    """
    from python_docker_hooks._dockerfile.parse import ParseError
    from python_docker_hooks._dockerfile.text import DecodeError, decode, encode

    parse = _model_parser(kind)

    allowed = (FIX_SAFE, FIX_UNSAFE) if unsafe else (FIX_SAFE,)
    # A hook is given the kind of file it checks, nothing else.
    specs = [s for s in specs if s.model_kind == kind]
    try:
        text, bom = decode(data)
    except DecodeError as exc:
        return FileResult(path, allowed=allowed, refusal=str(exc))
    try:
        # ``known``: the model of these bytes the run already has, if any.
        model = known if known is not None and getattr(known, "text", None) == text else parse(text)
    except ParseError as exc:
        return FileResult(path, allowed=allowed, refusal=f"line {exc.line}: {exc}")
    ignored = config.ignored_codes(path) if config is not None else frozenset()
    rules = {r.code: r for spec in specs for r in spec.rules}
    active = {
        code: r
        for code, r in rules.items()
        if code not in ignored and (select is None or code in select)
    }
    options = config.options if config is not None else {}
    target = config.target_for(path) if config is not None else None

    def context(model: Model) -> Context:
        return Context(
            path, options, target, resolve(model) if resolve is not None else None
        )

    findings, warnings = _findings(model, specs, rules, active, context)
    if not fix:
        return _parsed(FileResult(path, findings, warnings, allowed=allowed), model, model)
    first_model = model

    def refused(reason: str) -> FileResult:
        # The file is left as it was: the findings of its text, fresh.
        unfixed = FileResult(
            path,
            _unfixed(first_model, specs, rules, active, context),
            warnings,
            allowed=allowed,
            refusal=reason,
        )
        return _parsed(unfixed, first_model, first_model)

    fixed: list[Finding] = []
    rounds = 0
    while True:
        chosen = _choose_fixes(findings, allowed)
        if not chosen:
            break
        rounds += 1
        if rounds > MAX_ROUNDS:
            return refused(
                f"fixes did not converge after {MAX_ROUNDS} rounds; file left unchanged"
            )
        for f in chosen:
            f.fixed = True
        fixed.extend(chosen)
        new_text = _apply(text, chosen)
        _follow_edits(fixed, chosen)
        try:
            model = parse(new_text)
        except ParseError as exc:
            return refused(
                f"a fix would make the file unparsable ({exc}); file left unchanged"
            )
        text = new_text
        findings, _ = _findings(model, specs, rules, active, context)
    if not fixed:
        return _parsed(FileResult(path, findings, warnings, allowed=allowed), model, model)
    for f in fixed:
        # Shown in the text the run leaves, as the findings left in it are.
        f.origin = model  # type: ignore[assignment]
    result = FileResult(
        path,
        fixed + findings,
        warnings,
        changed=True,
        output=encode(text, bom),
        allowed=allowed,
    )
    return _parsed(result, first_model, model)


def _parsed(result: FileResult, first: Model, last: Model) -> FileResult:
    """``result`` of a file that parsed: ``first`` the model of the text read,
    ``last`` that of the text the run leaves (the same unless fixed)."""
    result.parsed = True
    result.models = (first, last)
    return result


def _model_parser(kind: str) -> Callable[[str], Model]:
    if kind == DOCKERIGNORE:
        from python_docker_hooks._dockerignore.ignorefile import IgnoreFile

        return IgnoreFile
    from python_docker_hooks._dockerfile.parse import parse

    return parse


def _unfixed(
    model: Model,
    specs: Sequence[HookSpec],
    rules: dict[str, Rule],
    active: dict[str, Rule],
    context: Callable[[Model], Context],
) -> list[Finding]:
    """The findings of the original text, fresh (none marked fixed)."""
    return _findings(model, specs, rules, active, context)[0]


def _findings(
    model: Model,
    specs: Sequence[HookSpec],
    rules: dict[str, Rule],
    active: dict[str, Rule],
    context: Callable[[Model], Context],
) -> tuple[list[Finding], list[FileWarning]]:
    from python_docker_hooks._dockerfile.parse import Dockerfile

    found: list[Finding] = []
    made = context(model)
    for spec in specs:
        for f in spec.check(model, made):
            if f.rule.code not in rules or rules[f.rule.code] is not f.rule:
                raise _InternalError(
                    f"hook {spec.id} reported {f.rule.code}, which is not one of "
                    "the rules of the hooks run"
                )
            if f.rule.code in active:
                f.origin = model  # type: ignore[assignment]
                found.append(f)
    warnings: list[FileWarning] = []
    if not isinstance(model, Dockerfile):
        # Pragmas are Dockerfile comments; other kinds of file have none.
        found.sort(key=lambda f: (f.start, f.code))
        return found, warnings
    # Our own pragmas are read even in a clean file, so a mistyped code in one
    # is reported; other comments only matter when something was found.
    own_pragma = any("python-docker-hooks" in text.lower() for _, text in model.comments)
    if not found and not own_pragma:
        return found, warnings
    skipped = _buildkit_skips(model, active)
    if skipped:
        found = [f for f in found if f.code not in skipped]
    if model.comments and (found or own_pragma):
        from python_docker_hooks._engine.pragmas import build_suppressions
        from python_docker_hooks._engine.registry import resolve_code

        suppressions = build_suppressions(
            model.comments,
            [(i.start_line, i.end_line) for i in model.instructions],
            resolve_code,
        )
        found = [f for f in found if not suppressions.is_suppressed(f.code, f.line)]
        warnings = [FileWarning(line, msg) for line, msg in suppressions.warnings]
    found.sort(key=lambda f: (f.start, f.code))
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


def _follow_edits(fixed: list[Finding], chosen: list[Finding]) -> None:
    """Move the offsets of the ``fixed`` findings from the text of this round
    into the text ``chosen``'s edits make of it.

    Text another fix inserts at a finding's start comes before it; text its
    own fix inserts there comes after its start, and inside its end, so a fixed
    finding points at what its fix wrote. Edits are found by bisection, so a
    round costs n log n however many findings there are.
    """
    edits = sorted(
        (
            (e.start, e.end, len(e.text), owner)
            for owner in chosen
            if owner.fix is not None
            for e in owner.fix.edits
        ),
        key=lambda edit: (edit[0], edit[1]),
    )
    starts = [edit[0] for edit in edits]
    # shifts[i]: how far the edits before the i-th move the text after them.
    shifts = [0]
    for start, end, length, _ in edits:
        shifts.append(shifts[-1] + length - (end - start))
    for f in fixed:
        f.start = _moved(f.start, edits, starts, shifts, f, at_end=False)
        f.end = max(f.start, _moved(f.end, edits, starts, shifts, f, at_end=True))


def _moved(
    offset: int,
    edits: list[tuple[int, int, int, Finding]],
    starts: list[int],
    shifts: list[int],
    owner: Finding,
    *,
    at_end: bool,
) -> int:
    from bisect import bisect_right

    upto = bisect_right(starts, offset)
    first = upto
    # The edits that start at or before the offset and touch it: one that
    # spans it, or an insertion at it (edits do not overlap: a few at most).
    while first > 0 and (
        edits[first - 1][1] > offset or edits[first - 1][0] == edits[first - 1][1] == offset
    ):
        first -= 1
    shift = shifts[first]
    for start, end, length, by in edits[first:upto]:
        if start == end == offset:
            # An insertion at the offset: a start moves past another fix's
            # text, an end past the finding's own.
            if (by is owner) == at_end:
                shift += length
        else:
            # Inside a replaced span: where the replacement starts.
            return start + shift
    return offset + shift


def _apply(text: str, findings: list[Finding]) -> str:
    return _apply_edits(text, [e for f in findings if f.fix is not None for e in f.fix.edits])


def apply_fix(text: str, fix: Fix) -> str:
    """Apply one fix's edits to text (for tests and tools)."""
    return _apply_edits(text, list(fix.edits))


def _apply_edits(text: str, edits: list[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
