"""The Dockerfile model: directives, instructions with exact spans, heredocs, stages.

Line joining, comment lines inside continuations, parser directives and heredocs follow
BuildKit's parser, so every instruction starts and ends on the lines BuildKit sees.
All offsets index the decoded text (see ``python_docker_hooks._dockerfile.text``); a logical (joined) argument
string maps back to the text through ``Instruction.pos``.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right

from python_docker_hooks._dockerfile.text import LazyPattern, ascii_number, line_starts
from python_docker_hooks._dockerfile.words import WordError, expand, split_words
from python_docker_hooks._go import BLANKS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TypeVar

    from python_docker_hooks._dockerfile.shell import Command

    _Memo = TypeVar("_Memo")

_DIRECTIVE = LazyPattern(r"#[^\S\x1c-\x1f]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=(.*)")
# Go's regexp \s: what BuildKit trims around a directive's name, '=' and value.
_GO_SPACE = "\t\n\f\r "
_DIRECTIVE_NAMES = frozenset({"syntax", "escape", "check"})
# BuildKit's reHeredoc; Go's \d is ASCII only.
_HEREDOC_WORD = LazyPattern(r"([0-9]*)<<(-?)([^<]*)")
# strconv.ParseUint(s, 10, 0) of more digits than a uint64 holds: its error is
# dropped (heredocFromMatch), and the value it returns then is the largest.
_UINT64_MAX = (1 << 64) - 1
_SPLIT_WS = re.compile(r"[\t\v\f\r ]+")
HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})


class ParseError(ValueError):
    """BuildKit would refuse the file; ``line`` is where (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class Directive:
    """A parser directive at the top of the file, e.g. ``# escape=`` + "`"."""

    __slots__ = ("name", "value", "line")

    def __init__(self, name: str, value: str, line: int) -> None:
        self.name = name
        self.value = value
        self.line = line

    def __repr__(self) -> str:
        return f"Directive({self.name!r}, {self.value!r}, line={self.line})"


class Flag:
    """``--name=value`` before an instruction's arguments; value has quotes removed."""

    __slots__ = ("name", "value", "start", "end")

    def __init__(self, name: str, value: str | None, start: int, end: int) -> None:
        self.name = name
        self.value = value
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Flag({self.name!r}, {self.value!r})"


class Heredoc:
    """A heredoc body: data with its own span (``body`` is the text from
    ``body_start`` on)."""

    __slots__ = (
        "name",
        "chomp",
        "quoted",
        "fd",
        "body",
        "body_start",
        "start_line",
        "end_line",
        "word",
    )

    def __init__(
        self,
        name: str,
        chomp: bool,
        quoted: bool,
        fd: int,
        word: str,
    ) -> None:
        self.name = name
        self.chomp = chomp
        self.quoted = quoted
        self.fd = fd
        self.word = word
        self.body = ""
        self.body_start = 0
        # First body line and the terminator's line (1-based).
        self.start_line = 0
        self.end_line = 0

    def __repr__(self) -> str:
        return f"Heredoc({self.name!r}, body={self.body!r})"


class JsonArg:
    """One string of an exec-form (JSON) argument list, with its quoted span."""

    __slots__ = ("value", "start", "end")

    def __init__(self, value: str, start: int, end: int) -> None:
        self.value = value
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"JsonArg({self.value!r})"


class Mount:
    """One ``RUN --mount=...`` as BuildKit reads it (``parseMount``): CSV fields
    of ``key=value`` (keys in any case), ``type`` ``bind`` unless given, the
    target from ``target``, ``dst`` or ``destination``, as written (variables
    are expanded by BuildKit against the build environment; see
    :meth:`Dockerfile.mount_target`)."""

    __slots__ = ("fields", "target", "type", "source")

    def __init__(self, fields: dict[str, str], source: str = "") -> None:
        self.fields = fields
        self.type = fields.get("type", "bind").lower()
        self.target = ""
        for key in ("target", "dst", "destination"):
            if key in fields:
                self.target = fields[key]
        # ``source`` or its alias ``src``, whichever the flag gives last.
        self.source = source

    @property
    def bind_from_context(self) -> bool:
        """A bind mount of the build context: type ``bind`` and no ``from=``
        (a stage, an image or a named context)."""
        return self.type == "bind" and "from" not in self.fields

    def __repr__(self) -> str:
        return f"Mount({self.type!r}, target={self.target!r})"


def parse_mount(value: str) -> Mount | None:
    """One ``--mount`` flag's value read as CSV fields (BuildKit's
    ``parseMount``); None when it is not valid CSV."""
    import csv

    try:
        rows = list(csv.reader([value]))
    except csv.Error:
        return None
    fields: dict[str, str] = {}
    source = ""
    for field in rows[0] if rows else ():
        key, eq, item = field.partition("=")
        if eq:
            key = key.strip().lower()
            fields[key] = item
            if key in ("source", "src"):
                source = item
    return Mount(fields, source)


class Instruction:
    """One instruction, from its keyword to the end of its last line (heredocs included)."""

    __slots__ = (
        "keyword",
        "start_line",
        "end_line",
        "start",
        "end",
        "keyword_end",
        "flags",
        "args",
        "json",
        "heredocs",
        "sub",
        "escape",
        "open_ended",
        "_map",
        "_keys",
        "_text",
        "_commands",
        "_pairs",
    )

    def __init__(
        self,
        keyword: str,
        start_line: int,
        end_line: int,
        start: int,
        end: int,
        keyword_end: int,
        flags: tuple[Flag, ...],
        args: str,
        args_map: list[tuple[int, int]],
        text: str,
        escape: str = "\\",
    ) -> None:
        self.keyword = keyword
        self.escape = escape
        self.start_line = start_line
        self.end_line = end_line
        self.start = start
        self.end = end
        self.keyword_end = keyword_end
        self.flags = flags
        # The joined argument text after the flags, as BuildKit sees it.
        self.args = args
        self._map = args_map
        # Where each piece starts in ``args``, to find a piece by bisection.
        self._keys = [piece[0] for piece in args_map]
        self._text = text
        self.json: tuple[JsonArg, ...] | None = None
        self.heredocs: tuple[Heredoc, ...] = ()
        self.sub: Instruction | None = None
        # Its last line ends in an escape that no later line closed (the file
        # ended first): a line inserted after it would be joined to it.
        self.open_ended = False
        # Computed on first use and shared by every hook of the run.
        self._commands: list[Command] | None = None
        self._pairs: list[KeyValue] | None = None

    def __repr__(self) -> str:
        return f"Instruction({self.keyword!r}, {self.args!r}, lines={self.start_line}-{self.end_line})"

    def pos(self, index: int) -> int:
        """The text offset of ``args[index]`` (``len(args)`` maps past the last char)."""
        amap = self._map
        if not amap:
            return self.keyword_end
        if len(amap) == 1:
            # One piece (no continuation line): a plain shift.
            first = amap[0]
            return first[1] + (index - first[0])
        # The last piece starting at or before index (the first when before all).
        k = bisect_right(self._keys, index) - 1
        piece = amap[k if k > 0 else 0]  # noqa: FURB136 - max() is a call, and this is hot
        return piece[1] + (index - piece[0])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Text offsets of ``args[start:end]`` (end maps just past its last char)."""
        if end <= start:
            p = self.pos(start)
            return p, p
        return self.pos(start), self.pos(end - 1) + 1

    def source(self, start: int, end: int) -> str:
        """The file text between two offsets."""
        return self._text[start:end]

    def flag(self, name: str) -> Flag | None:
        for f in self.flags:
            if f.name == name:
                return f
        return None

    def flag_values(self, name: str) -> list[str]:
        return [f.value or "" for f in self.flags if f.name == name]

    def mounts(self) -> list[Mount]:
        """The ``--mount`` flags of a RUN."""
        values = self.flag_values("mount")
        if not values:
            return []
        return [m for m in map(parse_mount, values) if m is not None]

    def words_after(self, start: int, words: Sequence[str]) -> str:
        """The text that adds ``words`` as arguments right after the word that
        starts at ``start``: ``, "a", "b"`` when that word is a string of the
        exec-form list, else `` a b`` (plain words: no quoting is added)."""
        if self.json is not None and any(a.start == start for a in self.json):
            return "".join(f', "{w}"' for w in words)
        return "".join(f" {w}" for w in words)

    @property
    def effective(self) -> Instruction:
        """The instruction that runs: ONBUILD's and HEALTHCHECK's innermost
        sub-instruction, else itself."""
        ins = self
        while ins.sub is not None:
            ins = ins.sub
        return ins

    def pairs(self) -> list[KeyValue]:
        """ENV / LABEL / ARG arguments as BuildKit's parser splits them."""
        if self._pairs is None:
            self._pairs = _pairs(self)
        return list(self._pairs)

    def shell_commands(self) -> list[Command]:
        """Simple commands a RUN, CMD or ENTRYPOINT executes, with text offsets.

        Shell form: every command of the shell source, and of heredoc scripts run
        by a shell. Exec form: the argument list itself, and the commands of an
        ``sh -c`` script when its JSON string maps to the file one to one.

        Computed once per instruction: every hook of a run reads the same list
        (a copy of it, so a caller cannot change what the next one sees).
        """
        if self._commands is None:
            self._commands = _shell_commands(self)
        return list(self._commands)


class KeyValue:
    """``key=value`` (or legacy ``key value``) with raw value and text spans."""

    __slots__ = ("key", "value", "legacy", "start", "end", "key_end", "value_start")

    def __init__(
        self,
        key: str,
        value: str | None,
        legacy: bool,
        start: int,
        end: int,
        key_end: int,
        value_start: int,
    ) -> None:
        self.key = key
        # Raw value text (quotes kept); None for an ARG without default.
        self.value = value
        self.legacy = legacy
        self.start = start
        self.end = end
        self.key_end = key_end
        self.value_start = value_start

    def __repr__(self) -> str:
        return f"KeyValue({self.key!r}, {self.value!r}, legacy={self.legacy})"


class Stage:
    """A build stage: its FROM, resolved base, name, parent stage and instructions."""

    __slots__ = (
        "index",
        "name",
        "base",
        "base_raw",
        "parent",
        "from_instruction",
        "instructions",
        "is_final",
        "root",
    )

    def __init__(
        self,
        index: int,
        name: str | None,
        base: str,
        base_raw: str,
        parent: int | None,
        from_instruction: Instruction,
        instructions: tuple[Instruction, ...],
        is_final: bool,
        root: int | None = None,
    ) -> None:
        self.index = index
        # Stage names are case-insensitive in BuildKit: kept lowercased.
        self.name = name
        self.base = base
        self.base_raw = base_raw
        self.parent = parent
        self.from_instruction = from_instruction
        self.instructions = instructions
        self.is_final = is_final
        # The stage at the start of the chain this one is built on (itself if
        # its base is an image).
        self.root = index if root is None else root

    def __repr__(self) -> str:
        return f"Stage({self.index}, {self.name!r}, base={self.base!r})"


class Dockerfile:
    """The parsed file: immutable data for rules to read."""

    __slots__ = (
        "text",
        "escape",
        "directives",
        "instructions",
        "comments",
        "stages",
        "global_args",
        "build_args",
        "_line_starts",
        "_ends",
        "_states",
        "_memos",
    )

    def __init__(
        self,
        text: str,
        escape: str,
        directives: tuple[Directive, ...],
        instructions: tuple[Instruction, ...],
        comments: tuple[tuple[int, str], ...],
        stages: tuple[Stage, ...],
        global_args: dict[str, str],
        starts: list[int],
        build_args: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.escape = escape
        self.directives = directives
        self.instructions = instructions
        # Whole comment lines (1-based line, text): pragmas live here.
        self.comments = comments
        self.stages = stages
        # ARGs before the first FROM, with their defaults ('' when none).
        self.global_args = global_args
        # Those of them without a default: only ``--build-arg`` gives a value.
        self.build_args = build_args
        self._line_starts = starts
        # (stage index, build) -> the _State at the end of that stage.
        self._ends: dict[tuple[int, bool], _State] = {}
        # (stage index, build) -> the states asked for so far in that stage, by
        # the number of its instructions they follow (in that order).
        self._states: dict[tuple[int, bool], dict[int, _State]] = {}
        # kind -> the model's one instance of it (``memo``).
        self._memos: dict[type, object] = {}

    def memo(self, kind: type[_Memo]) -> _Memo:
        """The model's one ``kind()``, made when first asked for.

        A module that derives facts from the model (``facts``, ``image``,
        ``reads``, ``sources``) keeps them in a class of its own, typed, so
        that they are made once and shared by every hook of the run.
        """
        found = self._memos.get(kind)
        if isinstance(found, kind):
            return found
        made = self._memos[kind] = kind()
        return made

    def directive(self, name: str) -> str | None:
        """The value BuildKit gives the ``syntax`` or ``check`` directive.

        BuildKit looks these up apart from the parse: a ``#!`` first line is
        skipped, and the value ends at its first space.
        """
        text = self.text
        if text.startswith("#!"):
            cut = text.find("\n")
            text = "" if cut == -1 else text[cut + 1 :]
        seen: set[str] = set()
        for line in text.split("\n"):
            if not line.startswith("#"):
                return None
            key, value = _directive(line)
            if not value or key not in _DIRECTIVE_NAMES or key in seen:
                return None
            if key == name:
                return value.split(" ", 1)[0]
            seen.add(key)
        return None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a text offset."""
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def line_start(self, line: int) -> int:
        return self._line_starts[line - 1]

    def stage_of(self, instruction: Instruction) -> Stage | None:
        for stage in self.stages:
            if stage.from_instruction is instruction or instruction in stage.instructions:
                return stage
        return None

    def shipped(self, target: str | None = None) -> Stage | None:
        """The stage a build ships: the one named ``target`` (``docker build
        --target``; stage names are case-insensitive), else the last one."""
        if not self.stages:
            return None
        if target:
            wanted = target.lower()
            for stage in self.stages:
                if stage.name == wanted:
                    return stage
        return self.stages[-1]

    def stage_named(self, value: str) -> Stage | None:
        """The stage a ``--from`` value (``COPY --from``, ``RUN --mount=from=``)
        names: a stage name (names are case-insensitive, and kept lowercased),
        else a stage's index; None for an image."""
        wanted = value.lower()
        for stage in self.stages:
            if stage.name == wanted:
                return stage
        index = ascii_number(value)
        if index is not None and index < len(self.stages):
            return self.stages[index]
        return None

    def lineage(self, stage: Stage) -> list[Stage]:
        """The stage and the stages it inherits from, oldest first."""
        chain = [stage]
        # A parent is always an earlier stage, so the walk ends.
        while chain[-1].parent is not None:
            chain.append(self.stages[chain[-1].parent])
        chain.reverse()
        return chain

    def inherited(self, own: Callable[[Stage], bool]) -> list[bool]:
        """For each stage, whether ``own`` holds for it or a stage it is built on:
        one pass in stage order, linear in the number of stages."""
        result: list[bool] = []
        for stage in self.stages:
            parent = stage.parent
            result.append((parent is not None and result[parent]) or own(stage))
        return result

    def env(
        self,
        stage: Stage,
        before: Instruction | None = None,
        build: bool = False,
    ) -> dict[str, tuple[str, Instruction]]:
        """Variables in effect in ``stage`` (inherited ones included), up to
        ``before`` if given: name -> (value as built, the instruction setting it).

        With ``build``, ARG values count too: they are environment variables while
        RUN executes, in the stage that declares them and in the stages built
        ``FROM`` it (BuildKit starts a stage from its base stage's state, whose
        environment holds the ARG values: ``dispatchState.init`` in
        ``dockerfile2llb/convert.go``), but they are not kept in the image config.

        The mapping is the model's own (shared by every hook): read it only."""
        return self._state(stage, before, build).result

    def env_values(
        self,
        stage: Stage,
        before: Instruction | None = None,
        build: bool = False,
    ) -> dict[str, str]:
        """``env`` without the instructions: name -> value, a new dict."""
        return {k: v for k, (v, _) in self._state(stage, before, build).result.items()}

    def workdir(self, stage: Stage, before: Instruction | None = None) -> str:
        """The directory RUN starts in at ``before``: the stage's WORKDIR lines and
        those of the stages it is built on, a relative one joined to the one
        before it (BuildKit's ``dispatchWorkdir``); ``/`` before any, which is
        also what a base image's own WORKDIR (not known here) is taken to be."""
        return self._state(stage, before, True).workdir

    def user(self, stage: Stage, before: Instruction | None = None) -> str | None:
        """The user RUN runs as at ``before`` (``USER`` along the lineage, its
        ``user[:group]`` user part); None when no USER line is in effect (the
        base image's user, root for most images)."""
        return self._state(stage, before, True).user

    def _state(self, stage: Stage, before: Instruction | None, build: bool) -> _State:
        """The build state at ``before`` in ``stage`` (at its end when None).

        Each stage's end state is computed once, from its parent's: asking for
        every RUN of a long chain of stages stays linear.
        """
        # The stages it is built on, oldest first, up to one whose end is known.
        pending: list[Stage] = []
        parent = stage.parent
        while parent is not None and (parent, build) not in self._ends:
            pending.append(self.stages[parent])
            parent = self.stages[parent].parent
        state = self._ends[(parent, build)] if parent is not None else _State()
        for st in reversed(pending):
            state = self._walk(st, len(st.instructions), build, state)
            self._ends[(st.index, build)] = state
        upto = len(stage.instructions)
        if before is not None:
            for i, ins in enumerate(stage.instructions):
                if ins is before:
                    upto = i
                    break
        return self._walk(stage, upto, build, state)

    def _walk(self, stage: Stage, upto: int, build: bool, base: _State) -> _State:
        """The state after the first ``upto`` instructions of ``stage``, from
        ``base`` (its parent's end), going on from the nearest state already
        made in the stage: hooks ask at each RUN in turn, so each walks the
        stage once, and the next hook finds the states made."""
        known = self._states.setdefault((stage.index, build), {})
        found = known.get(upto)
        if found is not None:
            return found
        start = max((k for k in known if k < upto), default=0)
        state = known[start] if start else base
        state = state.advanced(self, stage, None, build, stage.instructions[start:upto])
        # Kept for the model's life, unless its values are huge (a chain of
        # ENV lines that doubles a value): those are made again when asked.
        if sum(map(len, state.scope.values())) <= _KEPT_STATE_CHARS:
            known[upto] = state
        return state

    def mount_target(self, stage: Stage, ins: Instruction, mount: Mount) -> str:
        """Where ``mount`` is mounted while ``ins`` runs: its target with build
        variables expanded, a relative one joined to the WORKDIR (BuildKit's
        ``dispatchRunMounts``). It is not a shell word: ``~`` stays as it is."""
        target = mount.target
        if "$" in target:
            scope = self.env_values(stage, before=ins, build=True)
            target = _safe_expand(target, scope, self.escape)
        if not target.startswith("/"):
            target = posixpath.join(self.workdir(stage, ins), target)
        return posixpath.normpath(target)


_KEPT_STATE_CHARS = 1 << 16


class _State:
    """What BuildKit's build state holds at one point of a stage: the variables
    ENV and ARG lines expand against (``scope``), the variables set
    (``result``: name -> (value, instruction); ARG ones only for a build state),
    the WORKDIR and the USER."""

    __slots__ = ("result", "scope", "user", "workdir")

    def __init__(
        self,
        scope: dict[str, str] | None = None,
        result: dict[str, tuple[str, Instruction]] | None = None,
        workdir: str = "/",
        user: str | None = None,
    ) -> None:
        self.scope = scope or {}
        self.result = result or {}
        self.workdir = workdir
        self.user = user

    def advanced(
        self,
        model: Dockerfile,
        stage: Stage,
        before: Instruction | None,
        build: bool,
        instructions: Sequence[Instruction] | None = None,
    ) -> _State:
        """A new state: this one after ``stage``'s instructions up to ``before``
        (or after ``instructions``, a run of them)."""
        scope = dict(self.scope)
        result = dict(self.result)
        workdir, user = self.workdir, self.user
        escape = model.escape
        for ins in stage.instructions if instructions is None else instructions:
            if ins is before:
                break
            keyword = ins.keyword
            if keyword == "ARG":
                for kv in ins.pairs():
                    if kv.value is not None:
                        value = _safe_expand(kv.value, scope, escape)
                    elif kv.key in model.global_args:
                        value = model.global_args[kv.key]
                    else:
                        continue
                    # BuildKit adds the value to the state's environment
                    # (``dispatchArg``: ``AddEnv``), over an earlier one.
                    scope[kv.key] = value
                    if build:
                        result[kv.key] = (value, ins)
            elif keyword == "ENV":
                for kv in ins.pairs():
                    raw = kv.value or ""
                    try:
                        value = expand(raw, scope, escape)
                    except WordError:
                        value = raw
                    scope[kv.key] = value
                    result[kv.key] = (value, ins)
            elif keyword == "WORKDIR":
                line = _safe_expand(ins.args.strip(), scope, escape)
                workdir = posixpath.normpath(posixpath.join(workdir, line))
            elif keyword == "USER":
                line = _safe_expand(ins.args.strip(), scope, escape)
                user = line.split(":", 1)[0] if line else None
        return _State(scope, result, workdir, user)


def _safe_expand(raw: str, env: dict[str, str], escape: str) -> str:
    try:
        return expand(raw, env, escape)
    except WordError:
        return raw


def _directive(line: str) -> tuple[str, str]:
    """(lowercased name, value) of a ``# name=value`` line, ('', '') if none.

    BuildKit wants a non-empty value with blanks around it trimmed; a value of
    blanks only keeps its last one (its pattern is ``=\\s*(.+?)\\s*$``).
    """
    # Its pattern starts with '#': a line that does not is not tried (a file
    # with no comment at its top does not compile it).
    m = _DIRECTIVE.fullmatch(line) if line.startswith("#") else None
    if not m:
        return "", ""
    raw = m.group(2)
    return m.group(1).lower(), raw.strip(_GO_SPACE) or raw[-1:]


def _is_comment(line: str) -> bool:
    return line.lstrip(BLANKS).startswith("#")


def parse(text: str) -> Dockerfile:
    """Parse decoded Dockerfile text; raise ParseError where BuildKit would refuse it."""
    starts = line_starts(text)
    nlines = len(starts)
    if starts[-1] == len(text) and nlines > 1:
        nlines -= 1  # text ends with a newline: no empty last line

    def content_end(i: int) -> int:
        """End offset of line i's content (0-based), line ending trimmed."""
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        while end > starts[i] and text[end - 1] in "\r\n":
            end -= 1
        return end

    _check_line_lengths(text, starts)
    escape = "\\"
    directives: list[Directive] = []
    directives_done = False
    seen_directives: set[str] = set()
    comments: list[tuple[int, str]] = []
    instructions: list[Instruction] = []

    i = 0
    while i < nlines:
        ls, le = starts[i], content_end(i)
        line = text[ls:le]
        stripped = line.lstrip(BLANKS)
        if not directives_done:
            name, value = _directive(stripped)
            if value and name in _DIRECTIVE_NAMES:
                if name in seen_directives:
                    raise ParseError(f"only one {name} parser directive can be used", i + 1)
                seen_directives.add(name)
                if name == "escape":
                    if value not in ("`", "\\"):
                        raise ParseError(
                            f"invalid escape token '{value}' does not match ` or \\", i + 1
                        )
                    escape = value
                directives.append(Directive(name, value, i + 1))
                comments.append((i + 1, stripped))
                i += 1
                continue
            directives_done = True
        if stripped.startswith("#"):
            comments.append((i + 1, stripped))
            i += 1
            continue
        if not stripped:
            i += 1
            continue
        start_line = i + 1
        first = ls + (len(line) - len(stripped))
        # Joined logical line and the map from logical index to text offset.
        pieces: list[tuple[int, int]] = []  # (text start, text end) of each piece
        seg_end, cont = _trim_continuation(text, first, le, escape)
        pieces.append((first, seg_end))
        i += 1
        while cont and i < nlines:
            ls, le = starts[i], content_end(i)
            line = text[ls:le]
            if _is_comment(line):
                comments.append((i + 1, line.lstrip(BLANKS)))
                i += 1
                continue
            if not line.strip(BLANKS):
                i += 1
                continue
            seg_end, cont = _trim_continuation(text, ls, le, escape)
            pieces.append((ls, seg_end))
            i += 1
        end_line = i
        end = content_end(end_line - 1)
        ins = _make_instruction(text, pieces, start_line, end_line, end, escape)
        if ins is None:
            continue
        ins.open_ended = cont
        target = ins.effective
        if (
            target.keyword in HEREDOC_KEYWORDS
            and target.json is None
            and "<<" in target.args
        ):
            docs = _heredocs_from_args(target.args)
            for doc in docs:
                terminated = False
                body_start = starts[i] if i < len(starts) else len(text)
                doc.start_line = i + 1
                while i < nlines:
                    ls, le = starts[i], content_end(i)
                    candidate = text[ls:le]
                    if doc.chomp:
                        candidate = candidate.lstrip("\t")
                    i += 1
                    if candidate == doc.name:
                        terminated = True
                        doc.body_start = body_start
                        doc.body = text[body_start:ls]
                        doc.end_line = i
                        break
                if not terminated:
                    raise ParseError("unterminated heredoc", start_line)
            if docs:
                target.heredocs = tuple(docs)
                ins.end_line = target.end_line = i
                ins.end = target.end = content_end(i - 1)
        instructions.append(ins)

    if not instructions:
        raise ParseError("file with no instructions", 1)
    stages, global_args, build_args = _stages(instructions, escape)
    return Dockerfile(
        text,
        escape,
        tuple(directives),
        tuple(instructions),
        tuple(comments),
        stages,
        global_args,
        starts,
        build_args,
    )


# BuildKit reads lines with a buffer of this many bytes and refuses longer ones.
MAX_LINE_BYTES = 65535


def _check_line_lengths(text: str, starts: list[int]) -> None:
    bounds = [*starts, len(text) + 1]
    for i in range(len(starts)):
        # A line of n characters holds at most 4n bytes: encode only long ones.
        if (bounds[i + 1] - bounds[i]) * 4 <= MAX_LINE_BYTES:
            continue
        line = text[bounds[i] : bounds[i + 1] - 1] if i + 1 < len(starts) else text[bounds[i] :]
        if len(line.encode("utf-8")) > MAX_LINE_BYTES:
            raise ParseError(
                f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}", i + 1
            )


def _trim_continuation(text: str, start: int, end: int, escape: str) -> tuple[int, bool]:
    """End of the piece without a trailing escape (+ blanks); whether it continues."""
    j = end
    while j > start and text[j - 1] in " \t":
        j -= 1
    # Like BuildKit, a doubled escape at the end does not continue the line.
    if j > start and text[j - 1] == escape and (j - 1 == start or text[j - 2] != escape):
        return j - 1, True
    return end, False


def _make_instruction(
    text: str,
    pieces: list[tuple[int, int]],
    start_line: int,
    end_line: int,
    end: int,
    escape: str,
) -> Instruction | None:
    logical_parts: list[str] = []
    amap: list[tuple[int, int]] = []
    n = 0
    for ps, pe in pieces:
        if pe > ps:
            amap.append((n, ps))
            logical_parts.append(text[ps:pe])
            n += pe - ps
    logical = "".join(logical_parts)
    return _instruction_from_logical(
        logical, amap, text, start_line, end_line, end, escape, depth=0
    )


def _instruction_from_logical(
    logical: str,
    amap: list[tuple[int, int]],
    text: str,
    start_line: int,
    end_line: int,
    end: int,
    escape: str,
    depth: int,
) -> Instruction | None:
    # Trim like BuildKit (TrimSpace), keeping the map right.
    lead = len(logical) - len(logical.lstrip(BLANKS))
    body = logical.strip(BLANKS)
    if not body:
        return None
    m = _SPLIT_WS.search(body)
    keyword_raw = body[: m.start()] if m else body
    rest_index = m.end() if m else len(body)
    base = lead

    def mpos(idx: int) -> int:
        return _map_pos(amap, idx, logical)

    start = mpos(base)
    keyword_end = mpos(base + len(keyword_raw) - 1) + 1
    rest = body[rest_index:]
    flags, args_offset = _extract_flags(rest)
    args = rest[args_offset:]
    args_base = base + rest_index + args_offset
    args_map = _sub_map(amap, args_base, len(args), logical)
    flag_objs = tuple(
        Flag(name, value, mpos(base + rest_index + fs), mpos(base + rest_index + fe - 1) + 1)
        for name, value, fs, fe in flags
    )
    ins = Instruction(
        keyword_raw.upper(),
        start_line,
        end_line,
        start,
        end,
        keyword_end,
        flag_objs,
        args,
        args_map,
        text,
        escape,
    )
    # ONBUILD's argument is an instruction, and so is HEALTHCHECK's CMD (also
    # under ONBUILD): shell or exec form, read as at top level.
    if (
        ins.keyword == "HEALTHCHECK"
        and depth < 2
        and args[:3].upper() == "CMD"
        and _SPLIT_WS.match(args, 3)
    ) or (ins.keyword == "ONBUILD" and depth == 0 and args.strip(BLANKS)):
        ins.sub = _instruction_from_logical(
            args, args_map, text, start_line, end_line, end, escape, depth=depth + 1
        )
    if ins.keyword in _JSON_KEYWORDS and args.startswith("["):
        ins.json = _json_args(args, ins)
    if ins.keyword in ("ENV", "LABEL"):
        _check_name_values(ins)
    return ins


def _check_name_values(ins: Instruction) -> None:
    words = split_words(ins.args, ins.escape)
    if not words:
        return
    if "=" not in words[0][0]:
        if not _SPLIT_WS.search(ins.args):
            raise ParseError(f"{ins.keyword} must have two arguments", ins.start_line)
        return
    for raw, _, _ in words:
        if "=" not in raw:
            raise ParseError(
                f"Syntax error - can't find = in {raw!r}. Must be of the form: name=value",
                ins.start_line,
            )


_JSON_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})


# Greater than any text offset: (idx, _AFTER_ANY) sorts after every (idx, offset).
_AFTER_ANY = float("inf")


def _map_pos(amap: list[tuple[int, int]], idx: int, logical: str) -> int:
    if not amap:
        return 0
    # The last piece starting at or before idx (the first when idx is before all).
    k = max(bisect_right(amap, (idx, _AFTER_ANY)) - 1, 0)
    return amap[k][1] + (idx - amap[k][0])


def _sub_map(
    amap: list[tuple[int, int]], base: int, length: int, logical: str
) -> list[tuple[int, int]]:
    """The map for logical[base:base+length], re-indexed from 0."""
    out: list[tuple[int, int]] = []
    if not amap:
        return out
    out.append((0, _map_pos(amap, base, logical)))
    for lidx, off in amap:
        if base < lidx < base + length:
            out.append((lidx - base, off))
    return out


def _extract_flags(rest: str) -> tuple[list[tuple[str, str | None, int, int]], int]:
    """Leading ``--flag[=value]`` words, unquoted and unescaped as BuildKit does.

    Returns the flags with their (start, end) in ``rest`` and where the args begin.
    """
    flags: list[tuple[str, str | None, int, int]] = []
    pos = 0
    n = len(rest)
    while True:
        while pos < n and rest[pos] in BLANKS:
            pos += 1
        if not rest.startswith("--", pos):
            return flags, pos
        wstart = pos
        chars: list[str] = []
        quote = ""
        while pos < n:
            ch = rest[pos]
            if quote:
                if ch == quote:
                    quote = ""
                    pos += 1
                    continue
            elif ch in "\"'":
                quote = ch
                pos += 1
                continue
            elif ch in BLANKS:
                break
            if ch == "\\":
                # A backslash takes the next character literally (one at the end
                # is dropped), inside quotes too.
                pos += 1
                if pos == n:
                    break
                ch = rest[pos]
            chars.append(ch)
            pos += 1
        word = "".join(chars)
        if word == "--":
            # A bare "--" ends the flags and is consumed.
            while pos < n and rest[pos] in BLANKS:
                pos += 1
            return flags, pos
        body = word[2:]
        name, eq, value = body.partition("=")
        flags.append((name, value if eq else None, wstart, pos))


def _reject_constant(name: str) -> object:
    raise ValueError(name)


def _json_args(args: str, ins: Instruction) -> tuple[JsonArg, ...] | None:
    """The exec-form list with each string's span, or None for shell form.

    Like BuildKit, the first JSON value is read and anything after it ignored; a
    valid array holding anything but strings is refused.
    """
    plain = _plain_string_array(args)
    if plain is not None:
        return tuple(JsonArg(v, *ins.span(start, end)) for v, start, end in plain)
    from json import JSONDecoder

    decode = JSONDecoder(parse_constant=_reject_constant).raw_decode
    try:
        value, _ = decode(args, 0)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise ParseError(
            "when using JSON array syntax, arrays must be comprised of strings only",
            ins.start_line,
        )
    pos = 1
    values: list[JsonArg] = []
    for item in value:
        while args[pos] in " \t\n\r,":
            pos += 1
        _, after = decode(args, pos)
        s, e = ins.span(pos, after)
        values.append(JsonArg(item, s, e))
        pos = after
    return tuple(values)


# JSON's whitespace (RFC 8259, section 2).
_JSON_BLANKS = " \t\n\r"


def _plain_string_array(args: str) -> list[tuple[str, int, int]] | None:
    """A JSON array of strings none of which holds an escape, read without the
    json module: (value, start, end) of each string, quotes included; None for
    anything else (the json module reads that). In JSON a string is any
    characters but ``"``, ``\\`` and U+0000-U+001F between quotes (RFC 8259,
    section 7), so a string with neither is its own value."""
    if not args.startswith("["):
        return None
    n = len(args)
    i = 1
    while i < n and args[i] in _JSON_BLANKS:
        i += 1
    out: list[tuple[str, int, int]] = []
    if i < n and args[i] == "]":
        return out
    while i < n and args[i] == '"':
        close = args.find('"', i + 1)
        if close < 0:
            return None
        value = args[i + 1 : close]
        if "\\" in value or (value and min(value) < " "):
            return None
        out.append((value, i, close + 1))
        i = close + 1
        while i < n and args[i] in _JSON_BLANKS:
            i += 1
        if i < n and args[i] == "]":
            return out
        if i >= n or args[i] != ",":
            return None
        i += 1
        while i < n and args[i] in _JSON_BLANKS:
            i += 1
    return None


def _raw_words(line: str) -> list[str]:
    """Whitespace-separated words with quotes and escapes kept raw."""
    words: list[str] = []
    cur: list[str] = []
    quote = ""
    i, n = 0, len(line)
    in_word = False
    while i < n:
        ch = line[i]
        if quote:
            cur.append(ch)
            if ch == "\\" and quote == '"' and i + 1 < n:
                cur.append(line[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in " \t\r\n":
            if in_word:
                words.append("".join(cur))
                cur = []
                in_word = False
        else:
            in_word = True
            cur.append(ch)
            if ch == "\\" and i + 1 < n:
                cur.append(line[i + 1])
                i += 1
            elif ch in "\"'":
                quote = ch
        i += 1
    if in_word:
        words.append("".join(cur))
    return words


def _unquote(word: str) -> tuple[str, bool, bool]:
    """The word without quotes and escapes; whether it was quoted; whether every
    quote was closed."""
    out: list[str] = []
    quoted = False
    quote = ""
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and i + 1 < n and word[i + 1] in '"\\$':
                out.append(word[i + 1])
                i += 1
            else:
                out.append(ch)
        elif ch in "\"'":
            quote = ch
            quoted = True
        elif ch == "\\" and i + 1 < n:
            out.append(word[i + 1])
            quoted = True
            i += 1
        else:
            out.append(ch)
        i += 1
    return "".join(out), quoted, not quote


def _heredocs_from_args(args: str) -> list[Heredoc]:
    docs: list[Heredoc] = []
    for word in _raw_words(args):
        m = _HEREDOC_WORD.fullmatch(word)
        if not m:
            continue
        name, quoted, closed = _unquote(m.group(3))
        if not name or not closed:
            continue
        fd = ascii_number(m.group(1), 20) if m.group(1) else 0
        fd = _UINT64_MAX if fd is None else min(fd, _UINT64_MAX)
        docs.append(Heredoc(name, m.group(2) == "-", quoted, fd, word))
    return docs


def _pairs(ins: Instruction) -> list[KeyValue]:
    args = ins.args
    words = split_words(args, ins.escape)
    if not words:
        return []
    out: list[KeyValue] = []
    kw = ins.keyword
    if kw in ("ENV", "LABEL") and "=" not in words[0][0]:
        m = _SPLIT_WS.search(args)
        if not m:
            key_end = len(args)
            return [
                KeyValue(args, "", True, *ins.span(0, len(args)), ins.pos(len(args)), ins.pos(len(args)))
            ]
        key = args[: m.start()]
        value = args[m.end() :]
        s, e = ins.span(0, len(args))
        key_end = ins.span(0, m.start())[1]
        return [KeyValue(key, value, True, s, e, key_end, ins.pos(m.end()))]
    for raw, ws, we in words:
        s, e = ins.span(ws, we)
        key, eq, value = raw.partition("=")
        if eq:
            kend = ins.span(ws, ws + len(key))[1]
            out.append(KeyValue(key, value, False, s, e, kend, ins.pos(ws + len(key) + 1)))
        else:
            out.append(KeyValue(key, None, False, s, e, e, e))
    return out


def _stages(
    instructions: list[Instruction], escape: str
) -> tuple[tuple[Stage, ...], dict[str, str], frozenset[str]]:
    global_args: dict[str, str] = {}
    build_args: set[str] = set()
    froms = [n for n, ins in enumerate(instructions) if ins.keyword == "FROM"]
    if not froms:
        return (), global_args, frozenset()
    for ins in instructions[: froms[0]]:
        if ins.keyword == "ARG":
            for kv in ins.pairs():
                if kv.value is not None:
                    global_args[kv.key] = _safe_expand(kv.value, global_args, escape)
                    build_args.discard(kv.key)
                elif kv.key not in global_args:
                    global_args[kv.key] = ""
                    build_args.add(kv.key)
    stages: list[Stage] = []
    names: dict[str, int] = {}
    for k, n in enumerate(froms):
        ins = instructions[n]
        end = froms[k + 1] if k + 1 < len(froms) else len(instructions)
        words = ins.args.split()
        base_raw = words[0] if words else ""
        name = None
        if len(words) >= 3 and words[1].lower() == "as":
            name = words[2].lower()
        base = _safe_expand(base_raw, global_args, escape)
        parent = names.get(base.lower())
        stage = Stage(
            k,
            name,
            base,
            base_raw,
            parent,
            ins,
            tuple(instructions[n + 1 : end]),
            k == len(froms) - 1,
            stages[parent].root if parent is not None else k,
        )
        stages.append(stage)
        if name:
            names[name] = k
    return tuple(stages), global_args, frozenset(build_args)


# Instructions that run a program: RUN at build time, CMD/ENTRYPOINT (and a
# HEALTHCHECK's CMD) in the container.
_COMMAND_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT"})


def _shell_commands(ins: Instruction) -> list[Command]:
    from python_docker_hooks._dockerfile.shell import split_commands

    ins = ins.effective
    if ins.keyword not in _COMMAND_KEYWORDS:
        return []
    if ins.json is not None:
        return _exec_commands(ins)
    commands = split_commands(ins.args)
    # The redirections as written in ``ins.args`` (a heredoc's word is matched
    # against them), before the words move to text offsets.
    redirects = [[r.text for r in c.redirects] for c in commands] if ins.heredocs else []
    out: list[Command] = _relocated(commands, ins)
    if not ins.heredocs:
        return out
    script = _heredoc_as_script(ins)
    if script is not None:
        # ``RUN <<EOF``: BuildKit runs the body itself, in the default shell
        # unless it starts with ``#!`` (then it is run as an executable file).
        if not _shell_shebang(script.body):
            return out
        return out + _heredoc_commands(script)
    # Otherwise BuildKit hands the command line and the bodies to the shell:
    # a body is data on its redirection, a script only to a shell reading its
    # script from stdin (``bash <<EOF``, ``sh -s arg <<EOF``).
    for cmd, written in zip(list(out), redirects):
        if not _reads_script_from_stdin(cmd.argv):
            continue
        for redirect in written:
            for doc in ins.heredocs:
                if doc.word == redirect and doc.fd == 0:
                    out.extend(_heredoc_commands(doc))
                    break
    return out


def _heredoc_as_script(ins: Instruction) -> Heredoc | None:
    """The heredoc BuildKit runs as the script: only when the whole command is
    one heredoc word (``RUN <<EOF``, ``RUN 3<<-EOF``; BuildKit's
    ``dispatchRun``: ``MustParseHeredoc`` of the whole command line)."""
    if len(ins.heredocs) != 1:
        return None
    words = _raw_words(ins.args)
    doc = ins.heredocs[0]
    return doc if len(words) == 1 and words[0] == doc.word else None


def _reads_script_from_stdin(argv: Sequence[str]) -> bool:
    """``sh`` (any shell of ours) with no ``-c`` and no script file operand, or
    with ``-s`` (its operands are then positional parameters)."""
    if not argv or argv[0].rsplit("/", 1)[-1] not in SHELLS:
        return False
    i = 1
    while i < len(argv):
        value = argv[i]
        if value in ("-", "--"):
            return i + 1 >= len(argv)
        if len(value) < 2 or value[0] not in "-+":
            return False  # a script file: stdin is its data
        if not value.startswith("--"):
            letters = value[1:]
            if value[0] == "-" and "c" in letters:
                return False
            if "s" in letters:
                return True
            if "o" in letters or "O" in letters:
                i += 1
        i += 1
    return True


def _exec_commands(run: Instruction) -> list[Command]:
    """Exec form: the argv itself (no shell runs it, but ``env``/``sudo`` in front
    still run the command after them), and the commands of an ``sh -c`` script."""
    from python_docker_hooks._dockerfile.shell import Command, Word, unwrap

    args = run.json
    if not args:
        return []
    words = [
        Word(run.source(a.start, a.end), a.value, a.start, a.end, True, False)
        for a in args
    ]
    argv, assigns, prefix = unwrap(words, [])
    commands = [
        Command(tuple(argv), tuple(assigns), (), args[0].start, args[-1].end, tuple(prefix))
    ]
    script = _shell_script(args)
    if script is not None:
        commands += _script_commands(run, script)
    return commands


def _shell_script(args: Sequence[JsonArg]) -> JsonArg | None:
    """The SCRIPT of an exec-form ``["sh", ..., "-c", SCRIPT, ...]`` (or
    ``["su", USER, "-c", SCRIPT]``)."""
    from python_docker_hooks._dockerfile.shell import script_index

    index = script_index([a.value for a in args])
    return None if index is None else args[index]


def _script_commands(run: Instruction, script: JsonArg) -> list[Command]:
    """The commands of a JSON string's shell script, with file offsets."""
    from python_docker_hooks._dockerfile.shell import Command, Word, split_commands

    offsets = _json_offsets(run.source(script.start, script.end), script.value)
    if offsets is None:
        return []  # a continuation inside the string: no 1:1 map to the file
    base = script.start

    def move(w: Word) -> Word:
        s, e = base + offsets[w.start], base + offsets[w.end]
        return Word(run.source(s, e), w.value, s, e, w.quoted, w.expands)

    return [
        Command(
            tuple(move(w) for w in c.words),
            tuple(move(w) for w in c.assignments),
            tuple(move(w) for w in c.redirects),
            base + offsets[c.start],
            base + offsets[c.end],
            tuple(move(w) for w in c.prefix),
        )
        for c in split_commands(script.value)
    ]


_JSON_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}


def _json_offsets(source: str, value: str) -> list[int] | None:
    """For each index of a JSON string's value (and its end), where it starts
    in ``source`` (the quoted string); None unless ``source`` decodes to ``value``."""
    if len(source) < 2 or source[0] != '"' or source[-1] != '"':
        return None
    out: list[str] = []
    offsets: list[int] = []
    i, end = 1, len(source) - 1
    while i < end:
        ch = source[i]
        offsets.append(i)
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        kind = source[i + 1] if i + 1 < end else ""
        if kind == "u" and i + 6 <= end:
            try:
                code = int(source[i + 2 : i + 6], 16)
            except ValueError:
                return None
            i += 6
            if 0xD800 <= code < 0xDC00 and source.startswith("\\u", i) and i + 6 <= end:
                try:
                    low = int(source[i + 2 : i + 6], 16)
                except ValueError:
                    return None
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
            out.append(chr(code))
        elif kind in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[kind])
            i += 2
        else:
            return None
    offsets.append(end)
    return offsets if "".join(out) == value else None


def _heredoc_commands(doc: Heredoc) -> list[Command]:
    from python_docker_hooks._dockerfile.shell import split_commands

    return [
        shift_command(c, doc.body_start)
        for c in split_commands(doc.body, heredoc_bodies=True)
    ]


def _shell_shebang(body: str) -> bool:
    """Whether a script runs in a shell: no ``#!`` line, or one naming a shell."""
    if not body.startswith("#!"):
        return True
    words = body[2:].split("\n", 1)[0].split()
    if words and words[0].rsplit("/", 1)[-1] == "env":
        words = [w for w in words[1:] if not w.startswith("-")]
    return bool(words) and words[0].rsplit("/", 1)[-1] in SHELLS


def _relocated(commands: list[Command], ins: Instruction) -> list[Command]:
    """``commands``, just scanned from ``ins.args``, with their offsets moved to
    text offsets in place (each word and command is the scan's own: no copy)."""
    amap = ins._map
    keys = ins._keys
    text = ins._text
    here = ins.keyword_end
    single = len(amap) == 1
    shift = amap[0][1] - amap[0][0] if single else 0

    def at(index: int) -> int:
        # Instruction.pos, inlined: this runs for every word of every command.
        if single:
            return index + shift
        if not amap:
            return here
        k = bisect_right(keys, index) - 1
        piece = amap[k if k > 0 else 0]  # noqa: FURB136 - max() is a call, and this is hot
        return piece[1] + (index - piece[0])

    seen: set[int] = set()
    for cmd in commands:
        for group in (cmd.words, cmd.assignments, cmd.redirects, cmd.prefix):
            for w in group:
                if id(w) in seen:
                    continue
                seen.add(id(w))
                start, end = w.start, w.end
                s = at(start)
                e = s if end <= start else at(end - 1) + 1
                if not single:
                    w.text = text[s:e]
                w.start, w.end = s, e
        start, end = cmd.start, cmd.end
        cmd.start = at(start)
        cmd.end = cmd.start if end <= start else at(end - 1) + 1
    return commands


def shift_command(cmd: Command, base: int) -> Command:
    """``cmd`` with every offset moved by ``base``."""
    from python_docker_hooks._dockerfile.shell import Command, Word

    def move(w: Word) -> Word:
        return Word(w.text, w.value, w.start + base, w.end + base, w.quoted, w.expands)

    return Command(
        tuple(move(w) for w in cmd.words),
        tuple(move(w) for w in cmd.assignments),
        tuple(move(w) for w in cmd.redirects),
        cmd.start + base,
        cmd.end + base,
        tuple(move(w) for w in cmd.prefix),
    )
