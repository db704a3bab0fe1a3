"""Our parse layer against BuildKit's own parser, on every Dockerfile of the corpus."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from python_docker_hooks._dockerfile.text import DecodeError

if TYPE_CHECKING:
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction

    from .conftest import Corpus

# Keywords whose shell-form argument BuildKit keeps as one string (its ``value``).
SHELL_FORM = frozenset({"RUN", "CMD", "ENTRYPOINT"})


def _from_buildkit(cmd: Any) -> dict[str, object]:
    keyword = cmd.sub_cmd.upper() if cmd.sub_cmd else cmd.cmd.upper()
    view: dict[str, object] = {
        "keyword": cmd.cmd.upper(),
        "lines": (cmd.start_line, cmd.end_line),
        "flags": tuple(cmd.flags),
        "sub": cmd.sub_cmd.upper() if cmd.sub_cmd else None,
        "heredocs": tuple((h.name, h.content) for h in cmd.heredocs),
    }
    view["json"] = bool(cmd.json)
    if keyword in SHELL_FORM or keyword == "HEALTHCHECK":
        view["value"] = tuple(cmd.value)
    return view


def _from_ours(ins: Instruction) -> dict[str, object]:
    run = ins.effective
    flags = tuple(
        f"--{f.name}" if f.value is None else f"--{f.name}={f.value}" for f in ins.flags
    )
    view: dict[str, object] = {
        "keyword": ins.keyword,
        "lines": (ins.start_line, ins.end_line),
        "flags": flags,
        # BuildKit names only ONBUILD's instruction a sub-command; HEALTHCHECK's
        # CMD is part of its value.
        "sub": ins.sub.keyword if ins.sub is not None and ins.keyword == "ONBUILD" else None,
        # BuildKit's bindings give an ONBUILD's heredocs no place: compare its own.
        "heredocs": tuple((h.name, h.body) for h in ins.heredocs),
    }
    view["json"] = run.json is not None
    if ins.keyword == "HEALTHCHECK":
        head: tuple[str, ...] = ("CMD",) if ins.sub is not None else ()
        # BuildKit splits off the first word: CMD, NONE, or anything else.
        rest = tuple(ins.args.split(None, 1))
        view["value"] = head + _value(run) if ins.sub is not None else rest
    elif run.keyword in SHELL_FORM:
        view["value"] = _value(run)
    return view


def _value(run: Instruction) -> tuple[str, ...]:
    if run.json is not None:
        # BuildKit's bindings hand strings over as C strings: a JSON "\u0000"
        # ends the string there.
        return tuple(a.value.split("\0", 1)[0] for a in run.json)
    return (run.args,) if run.args else ()


def describe_buildkit(commands: tuple[Any, ...]) -> list[dict[str, object]]:
    # A line holding only the escape character at the very end of the file gives an
    # empty node without a keyword: no instruction.
    return [_from_buildkit(c) for c in commands if c.cmd is not None]


def describe_ours(model: Dockerfile) -> list[dict[str, object]]:
    return [_from_ours(i) for i in model.instructions]


def test_parse_matches_buildkit(corpus: Corpus, corpus_file: str) -> None:
    entry = corpus.entry(corpus_file)
    figures = corpus.figures
    figures["files"] += 1
    if entry.utf8 is None:
        # BuildKit's str interface cannot take these bytes; we refuse them on purpose
        # (an edit could not be written back byte for byte).
        assert isinstance(entry.refusal, DecodeError), "non-UTF-8 file must be refused"
        figures["refused"] += 1
        figures["not utf-8"] += 1
        corpus.refusals[f"decode: {entry.refusal}"] += 1
        return
    if entry.buildkit is None:
        assert entry.refusal is not None, (
            f"BuildKit rejects the file ({entry.buildkit_error})"
        )
        figures["rejected"] += 1
        figures["refused"] += 1
        corpus.refusals[str(entry.refusal)] += 1
        return
    figures["accepted"] += 1
    assert entry.refusal is None, (
        f"BuildKit accepts the file, we refuse it: {entry.refusal}"
    )
    assert entry.model is not None
    assert describe_ours(entry.model) == describe_buildkit(entry.buildkit)
    figures["agreement"] += 1
