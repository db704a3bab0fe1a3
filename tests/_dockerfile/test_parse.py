"""The Dockerfile model: lines, spans, directives, heredocs, flags, stages, shell view."""

from __future__ import annotations

import pytest

from python_docker_hooks._dockerfile.parse import Dockerfile, ParseError, parse
from python_docker_hooks._dockerfile.text import decode


def kinds(model: Dockerfile) -> list[tuple[str, int, int]]:
    return [(i.keyword, i.start_line, i.end_line) for i in model.instructions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM a\nRUN x\n", [("FROM", 1, 1), ("RUN", 2, 2)]),
        ("FROM a\r\nRUN x\r\n", [("FROM", 1, 1), ("RUN", 2, 2)]),
        ("FROM a\nRUN x", [("FROM", 1, 1), ("RUN", 2, 2)]),
        ("from a\nrun x\n", [("FROM", 1, 1), ("RUN", 2, 2)]),
        ("  FROM a\n\tRUN x\n", [("FROM", 1, 1), ("RUN", 2, 2)]),
        # A comment line and a blank line inside a continuation do not end it.
        ("FROM a\nRUN a \\\n  # c\n\n  b\nUSER u\n", [("FROM", 1, 1), ("RUN", 2, 5), ("USER", 6, 6)]),
        # Trailing blanks after the escape still continue the line.
        ("FROM a\nRUN a \\  \t\n b\n", [("FROM", 1, 1), ("RUN", 2, 3)]),
        # A doubled escape at the end does not continue.
        ("FROM a\nENV C x\\\\\nENV D y\n", [("FROM", 1, 1), ("ENV", 2, 2), ("ENV", 3, 3)]),
        # Continuation at end of file.
        ("FROM a\nRUN x \\\n", [("FROM", 1, 1), ("RUN", 2, 2)]),
        # Backtick escape: backslash is an ordinary character.
        ("# escape=`\nFROM a\nRUN dir c:\\ `\n  /b\n", [("FROM", 2, 2), ("RUN", 3, 4)]),
        ("# escape=`\nFROM a\nRUN echo \\\nRUN b\n", [("FROM", 2, 2), ("RUN", 3, 3), ("RUN", 4, 4)]),
        # Heredocs run to their delimiter line.
        ("FROM a\nRUN <<EOF\necho hi\nEOF\nUSER u\n", [("FROM", 1, 1), ("RUN", 2, 4), ("USER", 5, 5)]),
        (
            "FROM a\nRUN <<-EOF cat <<'B' > f\n\techo\n\tEOF\nbody $x\nB\n",
            [("FROM", 1, 1), ("RUN", 2, 6)],
        ),
        ("FROM a\nCOPY <<EOF /dst\nhello\nEOF\n", [("FROM", 1, 1), ("COPY", 2, 4)]),
        # Exec form cannot hold a heredoc: the lines after are instructions.
        (
            'FROM a\nRUN ["<<EOF"]\nx\nEOF\n',
            [("FROM", 1, 1), ("RUN", 2, 2), ("X", 3, 3), ("EOF", 4, 4)],
        ),
        ("FROM a\nONBUILD RUN <<EOF\necho\nEOF\n", [("FROM", 1, 1), ("ONBUILD", 2, 4)]),
        ("\ufeffFROM a\n", [("FROM", 1, 1)]),
    ],
)
def test_instruction_lines(text: str, expected: list[tuple[str, int, int]]) -> None:
    decoded, _ = decode(text.encode())
    assert kinds(parse(decoded)) == expected


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "file with no instructions", 1),
        ("# only a comment\n\n", "file with no instructions", 1),
        ("FROM a\nRUN <<EOF\nx\n", "unterminated heredoc", 2),
        ("FROM a\nENV PATH\n", "ENV must have two arguments", 2),
        ("FROM a\nENV a=b c\n", "Syntax error - can't find = in 'c'. Must be of the form: name=value", 2),
        ('FROM a\nCMD [ "echo", [ "x" ] ]\n', "when using JSON array syntax, arrays must be comprised of strings only", 2),
        ("# escape=x\nFROM a\n", "invalid escape token 'x' does not match ` or \\", 1),
        ("# escape=`\n# escape=\\\nFROM a\n", "only one escape parser directive can be used", 2),
    ],
)
def test_refusals(text: str, message: str, line: int) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert str(info.value) == message
    assert info.value.line == line


@pytest.mark.parametrize(
    ("text", "directives"),
    [
        ("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n", [("syntax", "docker/dockerfile:1"), ("escape", "`")]),
        # A shebang line ends the directives too.
        ("#!/usr/bin/env x\n# syntax=a\nFROM a\n", []),
        ("# escape=\nFROM a\n", []),
        # A blank line, a plain comment or an instruction ends the directives.
        ("\n# escape=`\nFROM a\n", []),
        ("# hello\n# escape=`\nFROM a\n", []),
        ("FROM a\n# escape=`\n", []),
        ("# CHECK = skip=all \nFROM a\n", [("check", "skip=all")]),
        ("# unknown=1\n# escape=`\nFROM a\n", []),
    ],
)
def test_directives(text: str, directives: list[tuple[str, str]]) -> None:
    model = parse(text)
    assert [(d.name, d.value) for d in model.directives] == directives


def test_escape_directive_drives_continuation() -> None:
    model = parse("# escape=`\nFROM a\nRUN a `\n b\n")
    assert model.escape == "`"
    assert model.instructions[1].args == "a  b"


def test_args_map_back_to_text_through_continuations() -> None:
    text = "FROM a\nRUN pip \\\n  # note\n  install \\\n  x\n"
    model = parse(text)
    run = model.instructions[1]
    assert run.args == "pip   install   x"
    index = run.args.index("install")
    start, end = run.span(index, index + len("install"))
    assert text[start:end] == "install"
    assert model.position(start) == (4, 3)
    assert text[run.start : run.end] == text[7:-1]


def test_heredoc_bodies_are_data_with_spans() -> None:
    text = "FROM a\r\nRUN <<EOF python3 - <<'PY'\r\necho $x\r\nEOF\r\nprint(1)\r\nPY\r\nUSER u\r\n"
    model = parse(text)
    run = model.instructions[1]
    bodies = [(d.name, d.quoted, d.body) for d in run.heredocs]
    assert bodies == [("EOF", False, "echo $x\r\n"), ("PY", True, "print(1)\r\n")]
    for doc in run.heredocs:
        assert text[doc.body_start : doc.body_start + len(doc.body)] == doc.body
    assert [i.keyword for i in model.instructions] == ["FROM", "RUN", "USER"]


def test_flags_and_exec_form() -> None:
    text = 'FROM a\nRUN --mount="type=cache,target=/root/.cache/pip" --network=none ["pip", "install", "x"]\n'
    run = parse(text).instructions[1]
    assert [(f.name, f.value) for f in run.flags] == [
        ("mount", "type=cache,target=/root/.cache/pip"),
        ("network", "none"),
    ]
    assert run.flag_values("mount") == ["type=cache,target=/root/.cache/pip"]
    assert run.json is not None
    assert [a.value for a in run.json] == ["pip", "install", "x"]
    assert [text[a.start : a.end] for a in run.json] == ['"pip"', '"install"', '"x"']


def test_invalid_json_is_shell_form() -> None:
    run = parse("FROM a\nCMD [a]\n").instructions[1]
    assert run.json is None
    assert run.args == "[a]"


@pytest.mark.parametrize(
    ("line", "pairs"),
    [
        ("ENV A b", [("A", "b", True)]),
        ("ENV A b  c", [("A", "b  c", True)]),
        ('ENV A="b c" D=e', [("A", '"b c"', False), ("D", "e", False)]),
        ("LABEL maintainer Jane Doe", [("maintainer", "Jane Doe", True)]),
        ("ARG X", [("X", None, False)]),
        ("ARG X=1 Y", [("X", "1", False), ("Y", None, False)]),
    ],
)
def test_pairs(line: str, pairs: list[tuple[str, str | None, bool]]) -> None:
    ins = parse(f"FROM a\n{line}\n").instructions[1]
    assert [(kv.key, kv.value, kv.legacy) for kv in ins.pairs()] == pairs


def test_stages_resolve_global_args_and_inheritance() -> None:
    text = (
        "ARG PY=3.12\n"
        "ARG REG\n"
        "FROM ${REG}python:${PY:-3.11}-slim AS Base\n"
        "ENV A=1\n"
        "FROM base AS final\n"
        "ENV B=$A-2\n"
    )
    model = parse(text)
    base, final = model.stages
    assert (base.name, base.base, base.parent, base.is_final) == ("base", "python:3.12-slim", None, False)
    assert (final.name, final.base, final.parent, final.is_final) == ("final", "base", 0, True)
    assert model.global_args == {"PY": "3.12", "REG": ""}
    env = {k: v for k, (v, _) in model.env(final).items()}
    assert env == {"A": "1", "B": "1-2"}
    assert [s.index for s in model.lineage(final)] == [0, 1]


def test_env_before_and_build_args() -> None:
    model = parse("FROM a\nARG X=1\nRUN one\nENV Y=2\nRUN two\n")
    stage = model.stages[0]
    first, second = (i for i in stage.instructions if i.keyword == "RUN")
    assert model.env(stage, before=first) == {}
    assert {k: v for k, (v, _) in model.env(stage, before=first, build=True).items()} == {"X": "1"}
    assert {k: v for k, (v, _) in model.env(stage, before=second).items()} == {"Y": "2"}


def test_shell_view_maps_words_to_text() -> None:
    text = "FROM a\nRUN apt-get update \\\n && pip install x; echo 'pip install y'\n"
    run = parse(text).instructions[1]
    commands = run.shell_commands()
    assert [c.argv for c in commands] == [
        ("apt-get", "update"),
        ("pip", "install", "x"),
        ("echo", "pip install y"),
    ]
    for command in commands:
        for word in command.words:
            assert text[word.start : word.end] == word.text


# BuildKit's reHeredoc is ^(\d*)<<(-?)([^<]*)$ with Go's ASCII \d, and
# heredocFromMatch drops strconv.ParseUint's error: past a uint64 the fd is the
# largest one (the value ParseUint returns with ErrRange).
@pytest.mark.parametrize(
    ("word", "fd"),
    [
        ("<<EOF", 0),
        ("3<<EOF", 3),
        ("003<<EOF", 3),
        ("18446744073709551615<<EOF", (1 << 64) - 1),
        ("18446744073709551616<<EOF", (1 << 64) - 1),
        ("9" * 5000 + "<<EOF", (1 << 64) - 1),
        ("\u0663<<EOF", None),
    ],
)
def test_heredoc_file_descriptor_as_buildkit_reads_it(word: str, fd: int | None) -> None:
    model = parse(f"FROM a\nRUN cat {word}\nx\nEOF\n")
    docs = [d.fd for ins in model.instructions for d in ins.heredocs]
    assert docs == ([] if fd is None else [fd])


def test_shell_view_reads_heredoc_scripts_only_for_shells() -> None:
    text = "FROM a\nRUN <<EOF\npip install a\nEOF\nRUN python3 <<EOF\npip install b\nEOF\nRUN bash <<EOF\npip install c\nEOF\n"
    model = parse(text)
    argvs = [[c.argv for c in ins.shell_commands()] for ins in model.instructions[1:]]
    assert argvs == [
        [(), ("pip", "install", "a")],
        [("python3",)],
        [("bash",), ("pip", "install", "c")],
    ]
    body_word = model.instructions[1].shell_commands()[1].words[1]
    assert text[body_word.start : body_word.end] == "install"


@pytest.mark.parametrize(
    ("run", "argvs"),
    [
        # BuildKit's dispatchRun: the body is the script only when the whole
        # command is that one heredoc (any fd, with or without ``-``).
        ("RUN <<EOF\npip install a\nEOF\n", [(), ("pip", "install", "a")]),
        ("RUN 3<<EOF\npip install a\nEOF\n", [(), ("pip", "install", "a")]),
        ("RUN <<-'EOF'\n\tpip install a\n\tEOF\n", [(), ("pip", "install", "a")]),
        ("RUN --mount=type=cache,target=/c <<EOF\na\nEOF\n", [(), ("a",)]),
        # Otherwise the body is data for the redirection...
        ("RUN <<EOF > /tmp/x\npip install a\nEOF\n", [()]),
        ("RUN <<EOF cat\npip install a\nEOF\n", [("cat",)]),
        ("RUN <<A <<B\na\nA\nb\nB\n", [()]),
        ("RUN bash script.sh <<EOF\na\nEOF\n", [("bash", "script.sh")]),
        ("RUN bash 3<<EOF\na\nEOF\n", [("bash",)]),
        # ... which a shell reading its script from stdin runs.
        ("RUN <<EOF bash\na\nEOF\n", [("bash",), ("a",)]),
        ("RUN bash -ex <<EOF\na\nEOF\n", [("bash", "-ex"), ("a",)]),
        ("RUN sh -s -- x <<EOF\na\nEOF\n", [("sh", "-s", "--", "x"), ("a",)]),
        ("RUN cat <<EOF | sh -c 'b'\na\nEOF\n", [("cat",), ("sh", "-c", "b"), ("b",)]),
        # A #! line names the program for a whole-command heredoc only; a
        # shell reading stdin takes it for a comment.
        ("RUN <<EOF\n#!/usr/bin/python3\na\nEOF\n", [()]),
        ("RUN bash <<EOF\n#!/usr/bin/python3\na\nEOF\n", [("bash",), ("a",)]),
    ],
)
def test_heredoc_is_a_script_exactly_when_buildkit_runs_it_as_one(
    run: str, argvs: list[tuple[str, ...]]
) -> None:
    ins = parse("FROM a\n" + run).instructions[1]
    assert [c.argv for c in ins.shell_commands()] == argvs


def test_arg_is_in_the_build_environment_of_stages_built_on_its_stage() -> None:
    # BuildKit starts a stage from its base stage's state (dispatchState.init),
    # whose environment holds the ARG values; the image config does not.
    model = parse(
        "FROM a AS base\nARG X=1\nENV Y=$X\n"
        "FROM base AS mid\nARG X=2\nENV Z=$X\n"
        "FROM base\nRUN one\n"
        "FROM a\nRUN two\n"
    )
    _, mid, child, other = model.stages
    build = {k: v for k, (v, _) in model.env(mid, build=True).items()}
    assert build == {"X": "2", "Y": "1", "Z": "2"}
    assert {k: v for k, (v, _) in model.env(mid).items()} == {"Y": "1", "Z": "2"}
    assert {k: v for k, (v, _) in model.env(child, build=True).items()} == {"X": "1", "Y": "1"}
    assert model.env(other, build=True) == {}


def test_workdir_user_and_mount_targets() -> None:
    model = parse(
        "FROM a AS base\nWORKDIR /srv\nUSER app:grp\n"
        "FROM base\nARG C=/c\nWORKDIR app\n"
        "RUN --mount=type=cache,target=.cache/pip"
        " --mount=type=cache,dst=~/x --mount=target=$C/pip,type=tmpfs true\n"
    )
    child = model.stages[1]
    run = child.instructions[-1]
    assert model.workdir(child, run) == "/srv/app"
    assert model.workdir(model.stages[0], model.stages[0].instructions[0]) == "/"
    assert model.user(child, run) == "app"
    assert model.user(model.stages[0], model.stages[0].instructions[0]) is None
    mounts = run.mounts()
    assert [(m.type, m.target) for m in mounts] == [
        ("cache", ".cache/pip"),
        ("cache", "~/x"),
        ("tmpfs", "$C/pip"),
    ]
    assert [model.mount_target(child, run, m) for m in mounts] == [
        "/srv/app/.cache/pip",
        "/srv/app/~/x",
        "/c/pip",
    ]


def test_onbuild_sub_instruction() -> None:
    text = "FROM a\nONBUILD RUN pip install x\n"
    ins = parse(text).instructions[1]
    assert ins.sub is not None
    assert ins.effective.keyword == "RUN"
    [command] = ins.shell_commands()
    word = command.words[1]
    assert text[word.start : word.end] == "install"


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("# check=skip=all\nFROM a\n", "skip=all"),
        # BuildKit skips a shebang and ends the value at its first space.
        ("#!/usr/bin/env buildctl\n# check=skip=LegacyKeyValueFormat\nFROM a\n", "skip=LegacyKeyValueFormat"),
        ("#check=skip=all // opts\nFROM a\n", "skip=all"),
        ("# syntax=docker/dockerfile:1\n#  CHECK = error=true\nFROM a\n", "error=true"),
        ("# plain comment\n# check=skip=all\nFROM a\n", None),
        ("FROM a\n# check=skip=all\n", None),
    ],
)
def test_check_directive(text: str, check: str | None) -> None:
    assert parse(text).directive("check") == check


@pytest.mark.parametrize(
    ("line", "argvs", "word"),
    [
        ('RUN ["pip", "install", "x"]', [("pip", "install", "x")], '"install"'),
        ('RUN ["env", "A=1", "pip", "install"]', [("pip", "install")], '"install"'),
        ('RUN ["sh", "-c", "apt-get update && pip install x"]', [("sh", "-c", "apt-get update && pip install x"), ("apt-get", "update"), ("pip", "install", "x")], "install"),
        # A JSON escape before the script's words: offsets still map to the file.
        ('RUN ["bash", "-ec", "echo \\"hi\\"; pip install x"]', [("bash", "-ec", 'echo "hi"; pip install x'), ("echo", "hi"), ("pip", "install", "x")], "install"),
        ('CMD python -m app', [("python", "-m", "app")], None),
        ('ENTRYPOINT ["python3", "-m", "app"]', [("python3", "-m", "app")], None),
        ('HEALTHCHECK CMD ["python", "-c", "1"]', [("python", "-c", "1")], None),
        ("COPY a b", [], None),
    ],
)
def test_commands_of_every_form(line: str, argvs: list[tuple[str, ...]], word: str | None) -> None:
    text = f"FROM a\n{line}\n"
    commands = parse(text).instructions[1].shell_commands()
    assert [c.argv for c in commands] == argvs
    if word is not None:
        install = next(w for c in commands for w in c.words if w.value == "install")
        assert text[install.start : install.end] == word


def test_build_args_are_global_args_without_default() -> None:
    model = parse("ARG A=1\nARG B\nARG C\nARG C=3\nFROM x\nARG D\n")
    assert model.global_args == {"A": "1", "B": "", "C": "3"}
    assert model.build_args == frozenset({"B"})


@pytest.mark.parametrize(
    ("text", "open_ended"),
    [
        ("FROM a\nRUN x\n", False),
        ("FROM a\nRUN x \\\n  y\n", False),
        ("FROM a\nRUN x \\\n", True),
        ("FROM a\nRUN x \\\n# trailing comment\n\n", True),
    ],
)
def test_open_ended_instruction(text: str, open_ended: bool) -> None:
    assert parse(text).instructions[-1].open_ended is open_ended


def test_the_state_at_each_instruction_walks_the_stage_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Hooks ask for the variables, WORKDIR and USER at every RUN in turn, and
    # each hook starts again from the top: each instruction is read once.
    import python_docker_hooks._dockerfile.parse as parse_module

    lines = ["FROM python:3.12-slim AS base"]
    for i in range(100):
        lines += [f"ENV V{i}=${{V{i - 1}:-x}}{i}", f"RUN echo $V{i}"]
    lines += ["FROM base", "WORKDIR /app", "USER app", "RUN pip install x"]
    model = parse_module.parse("\n".join(lines) + "\n")
    walked: list[int] = []
    real = parse_module._State.advanced

    def counting(self: object, model: object, stage: object, before: object, build: bool,
                 instructions: object = None) -> object:
        walked.append(len(instructions) if instructions is not None else -1)
        return real(self, model, stage, before, build, instructions)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_module._State, "advanced", counting)
    first, second = model.stages
    for _ in range(3):  # three hooks
        for ins in first.instructions:
            if ins.keyword == "RUN":
                env = model.env(first, ins, build=True)
        assert env["V99"][0].endswith("9899")
    assert model.workdir(second, second.instructions[-1]) == "/app"
    assert model.user(second, second.instructions[-1]) == "app"
    # The first stage in forward steps, one per RUN (its end is one more step,
    # for the second stage), and the second stage up to its last RUN.
    assert -1 not in walked
    assert len(walked) == 100 + 1 + 1
    assert sum(walked) == len(first.instructions) + len(second.instructions) - 1


PLAIN_ARRAYS = [
    '["a", "b"]',
    '[ "uvicorn" ,"app:app" ]',
    "[]",
    "[ ]",
    '["a"] trailing words',
    '["caf\u00e9", "\u00a0x"]',
    '["a",\t"b"\r\n]',
    '[""]',
]
NOT_PLAIN = [
    '["a\\"b"]',  # an escape: the json module reads it
    '["tab\there"]',  # a control character: not a JSON string at all
    '["a", 1]',
    '["a",]',
    '["a" "b"]',
    '["a"',
    '["unclosed]',
    "[1]",
    '{"a": 1}',
    ' ["a"]',
]


@pytest.mark.parametrize("text", PLAIN_ARRAYS + NOT_PLAIN)
def test_plain_string_arrays_read_as_the_json_module_reads_them(text: str) -> None:
    # RFC 8259: a string without '"', '\' or U+0000-U+001F is its own value.
    import json

    from python_docker_hooks._dockerfile.parse import _plain_string_array

    plain = _plain_string_array(text)
    if text in NOT_PLAIN:
        assert plain is None
        return
    assert plain is not None
    value, _ = json.JSONDecoder().raw_decode(text)
    assert [v for v, _, _ in plain] == value
    for v, start, end in plain:
        assert json.JSONDecoder().raw_decode(text, start) == (v, end)


class _Seen(list[str]):
    """A memo kind for the test below."""


def test_memo_is_one_instance_per_model_and_kind() -> None:
    first = parse("FROM a\n")
    seen = first.memo(_Seen)
    seen.append("x")
    assert first.memo(_Seen) is seen and seen == ["x"]
    assert parse("FROM a\n").memo(_Seen) == []


@pytest.mark.parametrize(
    ("text", "target", "index"),
    [
        ("FROM a\n", None, 0),
        ("FROM a AS build\nFROM b AS app\n", None, 1),
        ("FROM a AS build\nFROM b AS app\n", "build", 0),
        # Stage names are case-insensitive (BuildKit lowercases them).
        ("FROM a AS Build\nFROM b\n", "BUILD", 0),
        # A target the file does not have: the last stage (the build would fail).
        ("FROM a AS build\nFROM b\n", "missing", 1),
    ],
)
def test_shipped(text: str, target: str | None, index: int) -> None:
    stage = parse(text).shipped(target)
    assert stage is not None and stage.index == index


def test_the_stage_a_from_value_names() -> None:
    # BuildKit's Dockerfile frontend reads --from as a stage name (names are
    # case-insensitive), else a stage's index, else an image.
    model = parse("FROM python:3.12-slim AS Build\nRUN true\nFROM python:3.12-slim\n")
    assert model.stage_named("build") is model.stages[0]
    assert model.stage_named("BUILD") is model.stages[0]
    assert model.stage_named("1") is model.stages[1]
    assert model.stage_named("2") is None
    assert model.stage_named("python:3.12-slim") is None
