"""Where a new ``ENV`` line goes in a stage: beside the stage's ``ENV`` of the
same family, else right under its first ``ENV``, else after ``FROM`` (and the
``ARG`` lines right after it). One placement for every fix that sets a variable
(python-env-vars' PYTHON* variables, uv-image-practices' UV_* ones).

Edits are ``(start, end, text)`` offsets into the decoded file text: the model
sits below the engine, which turns them into ``Edit`` objects.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage

RawEdit = tuple[int, int, str]


def env_family(name: str) -> str:
    """``PYTHON*`` variables are one family; another's is its prefix up to ``_``."""
    return "PYTHON" if name.startswith("PYTHON") else name.split("_", 1)[0]


def _appends_cleanly(ins: Instruction, assignments: str) -> bool:
    """Whether BuildKit reads ``assignments`` appended to the ENV's arguments as
    new words of their own (an open quote would swallow them into a value)."""
    from python_docker_hooks._dockerfile.words import WordError, split_words

    try:
        old = [w for w, _, _ in split_words(ins.args, ins.escape)]
        new = [w for w, _, _ in split_words(f"{ins.args} {assignments}", ins.escape)]
    except WordError:
        return False
    return new == old + assignments.split(" ")


def env_insertion(
    model: Dockerfile, stage: Stage, assignments: list[str]
) -> list[RawEdit] | None:
    """The edits that set ``assignments`` (``NAME=value`` words) in the stage's
    ENV of their family, else on a line right under its first ENV, else in an
    ENV block of its own after FROM (and the leading ARGs); None when the line
    it would follow ends in an open continuation."""
    from python_docker_hooks._dockerfile.facts import line_ending

    family: dict[str, Instruction] = {}
    first_env: Instruction | None = None
    for ins in stage.instructions:
        if ins.keyword == "ENV":
            first_env = first_env or ins
            for kv in ins.pairs():
                family.setdefault(env_family(kv.key), ins)
    edits: list[RawEdit] = []
    grouped: dict[int, tuple[Instruction, list[str]]] = {}
    others: list[str] = []
    for assignment in assignments:
        env = family.get(env_family(assignment.partition("=")[0]))
        if env is not None:
            grouped.setdefault(id(env), (env, []))[1].append(assignment)
        else:
            others.append(assignment)
    for ins, group in grouped.values():
        edit = _join_env(model, stage, ins, group)
        if edit is None:
            return None
        edits.append(edit)
    if others and first_env is not None:
        # Another family's ENV: a line of their own right under it, and under
        # the ENV lines right below it (one block of ENVs stays one block).
        last = _env_block_end(stage, first_env)
        if last.open_ended:
            return None
        newline = line_ending(model.text, last.end)
        joined = " ".join(others)
        edits.append((last.end, last.end, f"{newline}ENV {joined}"))
    if first_env is None:
        place = _env_block_place(model, stage)
        if place is None:
            # A dangling continuation would swallow the new line into the anchor.
            return None
        offset, before, after = place
        joined = " ".join(assignments)
        newline = line_ending(model.text, offset)
        edits.append((offset, offset, f"{newline * before}ENV {joined}{newline * after}"))
    return edits


def _env_block_end(stage: Stage, env: Instruction) -> Instruction:
    """The last of the ENV lines that follow ``env`` line after line."""
    last = env
    for ins in stage.instructions[stage.instructions.index(env) + 1 :]:
        if ins.keyword != "ENV" or ins.start_line != last.end_line + 1:
            break
        last = ins
    return last


def _join_env(
    model: Dockerfile, stage: Stage, ins: Instruction, assignments: list[str]
) -> RawEdit | None:
    """The edit that adds ``assignments`` to the ENV ``ins``: after its last
    pair (on one line, or on continuation lines of their own in the indentation
    of its last line), else in a new ENV line right after it and the ENV lines
    right below it (the legacy ``ENV KEY value`` form sets one variable only);
    None when that line would follow an open continuation."""
    from python_docker_hooks._dockerfile.facts import line_ending

    text = model.text
    joined = " ".join(assignments)
    pairs = ins.pairs()
    if pairs and not pairs[0].legacy and _appends_cleanly(ins, joined):
        pair = pairs[-1]
        if ins.start_line == ins.end_line:
            return (pair.end, pair.end, f" {joined}")
        line_start = text.rfind("\n", 0, pair.start) + 1
        indent = text[line_start : pair.start]
        tail = text[pair.end : ins.end]
        if not indent.strip(" \t") and not tail.strip(" \t\r") and not ins.open_ended:
            newline = line_ending(text, pair.end)
            glue = f" {ins.escape}{newline}{indent}"
            return (pair.end, pair.end, glue + glue.join(assignments))
    last = _env_block_end(stage, ins)
    if last.open_ended:
        return None
    newline = line_ending(text, last.end)
    return (last.end, last.end, f"{newline}ENV {joined}")


def _env_block_place(model: Dockerfile, stage: Stage) -> tuple[int, int, int] | None:
    """Where a new ENV line goes in a stage without ENV: (offset, line endings
    before it, line endings after it), inserted as ``before`` line endings, the
    line, ``after`` more.

    After the ARG lines right after FROM, set off from them by a blank line,
    when a blank line (or the end of the file) follows them and no later
    instruction of the stage reads one of them (``$NAME``, ``${NAME…}``).
    Otherwise right after FROM: an ARG block glued to what follows belongs to
    it (``ARG DEBIAN_FRONTEND=noninteractive`` over its ``RUN``), and a line
    after it would come between the ARG and the instruction that uses it. A
    blank line follows the new line where a comment follows it (the comment
    belongs to the instruction below it), or, after the ARG block, anything.
    """
    import re

    text = model.text
    anchor = stage.from_instruction
    args: list[Instruction] = []
    for ins in stage.instructions:
        if ins.keyword != "ARG":
            break
        args.append(ins)
    if args and not _next_line(text, args[-1].end):
        names = {kv.key for ins in args for kv in ins.pairs()}
        reference = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
        rest = stage.instructions[len(args) :]
        if not any(
            match.group(1) in names
            for ins in rest
            for match in reference.finditer(text, ins.start, ins.end)
        ):
            anchor = args[-1]
    if anchor.open_ended:
        return None
    after_args = anchor is not stage.from_instruction
    following = _next_line(text, anchor.end)
    blank_after = bool(following) and (after_args or following.startswith("#"))
    return anchor.end, 2 if after_args else 1, 1 if blank_after else 0


def _next_line(text: str, offset: int) -> str:
    """The line after the one ``offset`` is on, stripped ('' when blank or none)."""
    newline_at = text.find("\n", offset)
    if newline_at < 0:
        return ""
    line_end = text.find("\n", newline_at + 1)
    return text[newline_at + 1 : len(text) if line_end < 0 else line_end].strip(" \t\r")
