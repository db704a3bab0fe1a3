"""What a Dockerfile takes from its build context: the sources of its COPY and ADD
instructions, and of its RUN instructions' bind mounts, in the stages a build runs.

BuildKit builds only the stages the target needs (the target stage, or the last
one, and the stages it is built on or copies from). A source is taken from the
context unless the instruction has ``--from``, the source is a URL (ADD) or a
heredoc (``<<EOF``). Sources are expanded with the variables in effect at the
instruction (ENV and ARG), in the JSON form as in the shell form: BuildKit's
``SourcesAndDest.Expand`` runs ProcessWord on every source path whichever form
the instruction was written in.

``RUN --mount=type=bind,source=X`` (``bind`` is the default type; ``src`` is an
alias of ``source``, BuildKit's ``parseMount``) without ``from=`` mounts ``X``
from the build context, the ignore file's exclusions applied: an excluded
source is missing, and the build fails as a COPY of it would. Its value is
expanded with the build's variables too; no ``source`` mounts the whole context.
"""

from __future__ import annotations

from python_docker_hooks._dockerfile.parse import (
    Dockerfile,
    Instruction,
    Stage,
    parse_mount,
)
from python_docker_hooks._dockerfile.words import WordError, expand, split_words
from python_docker_hooks._go import go_clean

_WILDCARDS = frozenset("*?[")
_URL_PREFIXES = ("http://", "https://", "git@", "git://", "ssh://")


class Source:
    """One context source of a COPY/ADD: the instruction, the word as written
    (``raw``, with text offsets), and its ``value`` after variable expansion."""

    __slots__ = ("instruction", "raw", "value", "start", "end", "mount")

    def __init__(
        self,
        instruction: Instruction,
        raw: str,
        value: str,
        start: int,
        end: int,
        mount: bool = False,
    ) -> None:
        self.instruction = instruction
        self.raw = raw
        self.value = value
        self.start = start
        self.end = end
        # A RUN bind mount's source, not a COPY/ADD one.
        self.mount = mount

    @property
    def label(self) -> str:
        """What takes the source, for messages: ``COPY``, ``ADD``, ``RUN --mount``."""
        return "RUN --mount" if self.mount else self.instruction.keyword

    @property
    def wildcard(self) -> bool:
        """Whether BuildKit matches the value against the context's files (a
        COPY/ADD source; a mount source is one path)."""
        return not self.mount and any(ch in _WILDCARDS for ch in self.value)

    @property
    def whole_context(self) -> bool:
        """``.`` (or ``./``, ``/``): the whole context, exclusions applied."""
        return go_clean(self.value).strip("/") in ("", ".")

    def __repr__(self) -> str:
        return f"Source({self.value!r})"


def needed_stages(model: Dockerfile, target: str | None = None) -> list[Stage]:
    """The stages a build of ``target`` runs, in file order: the shipped stage
    (``Dockerfile.shipped``: the one named ``target``, else the last) and the
    stages it is built on or copies from."""
    stages = model.stages
    shipped = model.shipped(target)
    if shipped is None:
        return []
    start = shipped.index
    seen: set[int] = set()
    todo = [start]
    while todo:
        index = todo.pop()
        if index in seen:
            continue
        seen.add(index)
        stage = stages[index]
        if stage.parent is not None:
            todo.append(stage.parent)
        for ins in stage.instructions:
            for value in (*ins.flag_values("from"), *_mount_froms(ins)):
                other = model.stage_named(value)
                if other is not None:
                    todo.append(other.index)
    return [s for s in stages if s.index in seen]


def _mount_froms(ins: Instruction) -> list[str]:
    return [m.fields["from"].strip() for m in ins.mounts() if m.fields.get("from", "").strip()]


def context_sources(model: Dockerfile, target: str | None = None) -> list[Source]:
    """Every source the build of ``target`` takes from the context."""
    found: list[Source] = []
    for stage in needed_stages(model, target):
        for ins in stage.instructions:
            if ins.keyword in ("COPY", "ADD") and ins.flag("from") is None:
                found.extend(_sources(model, stage, ins))
            elif ins.keyword == "RUN" and ins.flag("mount") is not None:
                found.extend(_mount_sources(model, stage, ins))
    return found


def _mount_sources(model: Dockerfile, stage: Stage, ins: Instruction) -> list[Source]:
    """The context sources of a RUN's bind mounts (``type=bind`` or no type,
    no ``from``), expanded with the build's variables."""
    out: list[Source] = []
    for flag in ins.flags:
        if flag.name != "mount" or not flag.value:
            continue
        mount = parse_mount(flag.value)
        if mount is None or not mount.bind_from_context:
            continue
        raw = mount.source
        try:
            value = expand(raw, model.env_values(stage, ins, build=True), model.escape) if "$" in raw else raw
        except WordError:
            continue
        # The span of the source's own text in the flag, else the whole flag.
        start, end = flag.start, flag.end
        text = model.text[flag.start : flag.end]
        for name in ("source=", "src="):
            at = text.rfind(f"{name}{raw}")
            if raw and at >= 0 and (at == 0 or text[at - 1] in ",="):
                start = flag.start + at + len(name)
                end = start + len(raw)
                break
        out.append(Source(ins, raw, value or ".", start, end, mount=True))
    return out


def instruction_sources(model: Dockerfile, ins: Instruction) -> list[Source]:
    """The context sources of one COPY/ADD (none with ``--from``)."""
    stage = model.stage_of(ins)
    if stage is None or ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
        return []
    return _sources(model, stage, ins)


def _sources(model: Dockerfile, stage: Stage, ins: Instruction) -> list[Source]:
    memo = model.memo(_SourcesByStart)
    known = memo.get(ins.start)
    if known is None:
        known = memo[ins.start] = _read_sources(model, stage, ins)
    return list(known)


class _SourcesByStart(dict[int, list[Source]]):
    """The context sources of each COPY/ADD asked for, by its start offset."""

    __slots__ = ()


def _read_sources(model: Dockerfile, stage: Stage, ins: Instruction) -> list[Source]:
    words: list[tuple[str, int, int, bool]] = []
    if ins.json is not None:
        words = [(arg.value, arg.start, arg.end, True) for arg in ins.json]
    else:
        for raw, start, end in split_words(ins.args, model.escape):
            text_start, text_end = ins.span(start, end)
            words.append((raw, text_start, text_end, False))
    if len(words) < 2:
        return []
    # The variables in effect, worked out only for a word that names one.
    env: dict[str, str] | None = None
    out = []
    for raw, start, end, literal in words[:-1]:
        if raw.startswith("<<") and not literal:
            continue
        # A JSON string is expanded as a shell-form word is (SourcesAndDest.Expand).
        if env is None and "$" in raw:
            env = model.env_values(stage, ins, build=True)
        try:
            value = expand(raw, env or {}, model.escape)
        except WordError:
            continue
        if not value or (ins.keyword == "ADD" and value.startswith(_URL_PREFIXES)):
            continue
        out.append(Source(ins, raw, value, start, end))
    return out
