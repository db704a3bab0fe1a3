"""One file through the engine: read, process (parse, check, fix), write.

Any set of hook specs runs over a file. It is read, decoded and parsed once;
every selected hook's check runs on that one model; fixes from all of them are
chosen together (non-overlapping, in rounds until stable) and the file is
written once. What a run found comes back as data (``FileResult``); rendering it
is the business of ``python_docker_hooks._output``. Runs over many files are
planned (``python_docker_hooks._engine.plan``) and checked group by group, each
group by the owner of its files (``python_docker_hooks._engine.group``).

Exit codes: 0 clean; 1 findings, fixes or unreadable input; 2 usage or config error,
or an internal error (reported in one line, never as a traceback).
"""

from __future__ import annotations

import os
import sys

from python_docker_hooks._dockerfile import parse as dockerfile
from python_docker_hooks._dockerfile.text import DecodeError, decode, encode
from python_docker_hooks._engine.boundary import boundary_of
from python_docker_hooks._engine.config import Config, ConfigError, load_config
from python_docker_hooks._engine.files import (
    MAX_BYTES,
    Refusal,
    create_atomic,
    kind_of,
    write_atomic,
)
from python_docker_hooks._engine.files import read as read_file
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
    from collections.abc import Callable, Collection, Iterable, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._engine.boundary import Boundary
    from python_docker_hooks._engine.vocabulary import (
        BuildFinder,
        Edit,
        HookSpec,
        Model,
        Rule,
    )

__all__ = [
    "MAX_BYTES",
    "MAX_ROUNDS",
    "FileResult",
    "Options",
    "Refusal",
    "check_file",
    "process",
]

# Fix rounds before a file is declared not to converge.
MAX_ROUNDS = 8

# The settings of a file no pyproject.toml governs.
_NO_CONFIG = Config()


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


# --- running files -----------------------------------------------------------


def config_of(path: str, options: Options) -> Config:
    """The configuration governing ``path`` in a run with ``options``."""
    return load_config(path, options.config_path, _all_rules)


def check_file(
    path: str,
    specs: Sequence[HookSpec],
    options: Options,
    *,
    kind: str | None = None,
    missing_ok: bool = False,
    probe: bool = False,
    known: Callable[[bytes], Model | None] | None = None,
    finder: Callable[[Model], BuildFinder] | None = None,
) -> tuple[FileResult, Model | None]:
    """Read one file, process it with the hooks that read its kind, write the
    fix if any; the result, and the model of the text the file holds after it
    (None when the run made none, or the file is still missing).

    ``kind`` given: ``specs`` are the hooks to run on it, already chosen. With
    ``missing_ok``, an ignore file that does not exist is checked as empty (a fix
    creates it). A ``probe`` (with no hooks) is only read and parsed. ``known``
    gives the model the caller holds of the bytes read, if any; ``finder``
    what a check's ``Context`` asks of the file's builds.
    """
    try:
        config = config_of(path, options)
    except ConfigError as exc:
        return FileResult(path, config_error=str(exc)), None
    if kind is None:
        kind = kind_of(path)
        selected = [s for s in specs if kind in s.kinds and s.model_kind == kind]
    else:
        selected = list(specs)
    if options.select is not None:
        selected = [s for s in selected if any(r.code in options.select for r in s.rules)]
    bounds = boundary_of(path)
    read = _read(path, kind, bounds, missing_ok=missing_ok and bool(selected))
    if isinstance(read, FileResult):
        return read, None
    stat_before, data = read
    if not selected and not probe:
        return FileResult(path), None

    def processed(*, fix: bool, model: Model | None = None) -> FileResult:
        return process(
            data,
            path,
            selected,
            fix=fix,
            unsafe=options.unsafe,
            config=config,
            select=options.select,
            kind=kind,
            finder=finder,
            known=model,
        )

    try:
        result = processed(
            fix=bool(config.fix) if options.fix is None else options.fix,
            model=known(data) if known is not None and stat_before is not None else None,
        )
    except Exception as exc:  # noqa: BLE001 - one line per file, never a traceback
        return FileResult(path, internal_error=_internal_error(exc)), None
    result.source = data
    models = result.models
    result.models = None
    if not (result.changed and result.output is not None and options.write):
        # What the file holds: what was read (a missing file stays missing).
        held = models[0] if models is not None and stat_before is not None else None
        return result, held
    try:
        _write(path, bounds, stat_before, data, result.output)
    except Refusal as exc:
        # Nothing was written: report what is wrong as a run without fixes
        # would, so no line claims a fix that is not in the file.
        unfixed = processed(fix=False)
        unfixed.refusal = str(exc)
        unfixed.source = data
        unfixed.parsed = True
        unfixed.models = None
        return unfixed, models[0] if models is not None and stat_before is not None else None
    result.written = True
    return result, models[1] if models is not None else None


def _read(
    path: str, kind: str, bounds: Boundary, *, missing_ok: bool
) -> tuple[os.stat_result | None, bytes] | FileResult:
    """The file's status and bytes (no status: an ignore file that is missing,
    checked as empty), or the result that says why it cannot be read."""
    if missing_ok and kind == DOCKERIGNORE and not os.path.lexists(path):
        if not bounds.holds(path):
            return FileResult(path, refusal="is outside the repository; not checked")
        return None, b""
    if not bounds.holds(path):
        return FileResult(
            path, refusal="is a symlink to a file outside the repository; not read"
        )
    try:
        return read_file(path)
    except Refusal as exc:
        return FileResult(path, refusal=str(exc))


def _write(
    path: str, bounds: Boundary, before: os.stat_result | None, data: bytes, output: bytes
) -> None:
    """Write ``output`` over the file read as ``data`` (or create it). Raises
    Refusal (one line) when it may not be written."""
    if not bounds.writable(path):
        raise Refusal(
            "is a symlink; fix not applied (run on the target file)"
            if os.path.islink(path)
            else "is in a directory reached through a symlink; fix not applied"
        )
    if before is None:
        create_atomic(path, output)
    else:
        write_atomic(path, before, data, output)


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
    finder: Callable[[Model], BuildFinder] | None = None,
    known: Model | None = None,
) -> FileResult:
    """Check (and fix) one file's bytes. Pure: nothing is read or written here,
    unless ``finder`` is given (the engine's, reading build contexts for the
    hooks that ask).

    ``kind`` says how the text is parsed: a Dockerfile, or an ignore file.
    ``select`` limits the codes reported and fixed (``None``: all of ``specs``'s);
    the configuration's ignores apply on top of it. A file that cannot be
    decoded or parsed, or whose fixes would not converge or would break it,
    comes back with ``refusal`` set and the file unchanged.
    """
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
    except dockerfile.ParseError as exc:
        return FileResult(path, allowed=allowed, refusal=f"line {exc.line}: {exc}")
    ignored = config.ignored_codes(path) if config is not None else frozenset()
    rules = {r.code: r for spec in specs for r in spec.rules}
    # A development image (a dev container's) is not judged as one that ships.
    if kind == DOCKERFILE and (config or _NO_CONFIG).development_image(path):
        ignored = ignored | {code for code, r in rules.items() if r.shipped_only}
    active = {
        code: r
        for code, r in rules.items()
        if code not in ignored and (select is None or code in select)
    }
    options = config.options if config is not None else {}
    target = config.target_for(path) if config is not None else None

    def context(model: Model) -> Context:
        return Context(
            path, options, target, finder(model) if finder is not None else None
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
        except dockerfile.ParseError as exc:
            return refused(
                f"a fix would make the file unparsable ({exc}); file left unchanged"
            )
        text = new_text
        findings, _ = _findings(model, specs, rules, active, context)
    if not fixed:
        return _parsed(FileResult(path, findings, warnings, allowed=allowed), model, model)
    for f in fixed:
        # Shown in the text the run leaves, as the findings left in it are.
        f.origin = model
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
    return dockerfile.parse


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
    found: list[Finding] = []
    made = context(model)
    for spec in specs:
        # The spec's ``model_kind`` is the kind of ``model`` (``process``
        # chose the specs by it): its check takes this model.
        for f in spec.check(model, made):  # type: ignore[arg-type]
            if f.rule.code not in rules or rules[f.rule.code] is not f.rule:
                raise _InternalError(
                    f"hook {spec.id} reported {f.rule.code}, which is not one of "
                    "the rules of the hooks run"
                )
            if f.rule.code in active:
                f.origin = model
                found.append(f)
    warnings: list[FileWarning] = []
    if not isinstance(model, dockerfile.Dockerfile):
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


def _apply_edits(text: str, edits: list[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
