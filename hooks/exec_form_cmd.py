"""exec-form-cmd: the shipped image's CMD and ENTRYPOINT in exec (JSON) form."""

from __future__ import annotations

from python_docker_hooks._dockerfile.command import container_command
from python_docker_hooks._dockerfile.facts import family
from python_docker_hooks._dockerfile.image import WINDOWS
from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._engine.vocabulary import (
    FIX_SAFE,
    FIX_UNSAFE,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.command import ContainerCommand
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._engine.vocabulary import Context

DOC = """\
## What it does
Flags a shell-form `CMD` or `ENTRYPOINT` (`CMD uvicorn app:app`) in effect for the
shipped stage (own or inherited from a stage it is built on), and rewrites it in
exec form when that runs exactly the same command.

As BuildKit's `JSONArgsRecommended` does, a stage whose image config has a shell
set by `SHELL` (before the instruction, in the stage or a stage it is built on) is
not flagged: choosing a shell says the shell is meant. (hadolint's DL3025 flags
those too, and shell-form `HEALTHCHECK`; this rule does not.)

## Why is this bad?
Shell form runs as `/bin/sh -c "<text>"`. On Debian, and so on every
`python:*-slim` image, `/bin/sh` is dash built with Debian's patch that turns off
its "exec the last command" optimisation (`debian/patches/0004-SHELL-Disable-sh-c-
command-sh-c-exec-command-optimiza.diff`, in bookworm's and trixie's dash): the
shell forks the application and stays PID 1 itself. PID 1 gets the `SIGTERM` of
`docker stop`, and a shell that has set no handler neither acts on it (the kernel
does not deliver a default-action signal to PID 1) nor passes it on, so Docker
waits its timeout (10 s) and kills the application with `SIGKILL`: no graceful
shutdown, no flushed work. bash, and BusyBox ash (Alpine's `/bin/sh`, 1.28 and
later) exec a single simple command themselves, so there the harm is smaller, but
the command still depends on the shell's word splitting and quoting. On a Windows
base (Server Core, Nano Server) the default shell is `cmd /S /C` (BuildKit's
`defaultshell.go`); the message says so, and the fix also refuses `%`, `^` and
quotes, which cmd.exe or the program reads itself.

## Example
```dockerfile
FROM python:3.12-slim
CMD uvicorn app.main:app --host 0.0.0.0
```

## Use instead
```dockerfile
FROM python:3.12-slim
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
```
When the command needs the shell (a variable such as `$PORT`: exec form expands
nothing), keep the shell but let the application replace it:
`CMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port $PORT"]`.

A shell-form command that already ends in `exec` (`CMD exec gunicorn app:app`)
has the program replace the shell (POSIX `exec`: "the command shall replace the
shell"), so the program is PID 1 and gets `SIGTERM`: the message says so, and
that what is left is the shell step itself (the image needs `/bin/sh`; for an
`ENTRYPOINT`, CMD and `docker run` arguments are ignored). The runtime runs the
image's `Entrypoint` followed by its `Cmd` (or the `docker run` arguments), and
BuildKit stores a shell-form `ENTRYPOINT` as `["/bin/sh", "-c", "<text>"]`
(`dispatchEntrypoint` in `dockerfile2llb/convert.go`), so those arguments do
reach `sh`: POSIX `sh -c command_string [command_name [argument...]]` sets `$0`
to the first and `$1`, `$2`, ... to the rest. Docker's reference ("the shell
form prevents any CMD or run command line arguments from being used") holds
only for text that reads none of them; when a word the shell expands reads `$0`,
`$1`..., `$@`, `$*` or `$#` (`ENTRYPOINT exec /entrypoint.sh "$0" "$@"`), the
message says the arguments arrive as those parameters instead. (With none given,
`$0` is the name `sh` was run by, `/bin/sh`.) The common `ENTRYPOINT exec
/entrypoint.sh "$0" "$@"` passes the program every argument: exec form
`ENTRYPOINT ["/entrypoint.sh"]` gets the same ones whenever there is at least
one, and the message names it (with no fix: with none, the shell form passes
`/bin/sh`). It is still reported,
as BuildKit's `JSONArgsRecommended` reports it (its check in
`dispatchEntrypoint` and `dispatchCmd` looks only at the form and at whether a
`SHELL` is set, not at the text); when it needs the shell,
`["sh", "-c", "exec ..."]` runs the same processes, and the message says that
rather than offering it as a cure.

A command that is a shell builtin (`.`, `source`, `cd`, `export`, `set`, ...)
has no program of its own: `CMD cd /app` in exec form would not start. It is
reported with no fix. Under an exec-form `ENTRYPOINT`, a shell-form `CMD` is
passed to it as `/bin/sh -c "..."` (`ENTRYPOINT ["python"]` with `CMD app.py`
runs `python /bin/sh -c app.py`), which the message says.

## Fix safety
Safe for `CMD`, and for an `ENTRYPOINT` with no `CMD` in effect: the text is
rewritten as a JSON list only when the shell would interpret nothing in it (no
`$`, backquote, backslash, `;`, `&`, `|`, redirection, glob, `~`, `#`, braces or
`!`; quotes only group words) and it is one simple command, optionally after
`exec` (dropped: the argv is the same), on one line, and does not start with a
shell builtin. BuildKit then reads exactly the argv `sh` would have run.
Anything else is reported with no fix. An `ENTRYPOINT` with a `CMD` in effect
gets an unsafe fix only (with `--unsafe-fixes`): in exec form the `CMD` (and
`docker run` arguments) become its arguments, which shell form ignores. So does a
`CMD` under an exec-form `ENTRYPOINT`: the rewrite changes the entrypoint's
arguments from `/bin/sh -c TEXT` to the words of TEXT, another program run.
"""

RULE = Rule(
    "PDH621",
    "exec-form-cmd",
    "shell-form CMD or ENTRYPOINT in the shipped image",
    fix=FIX_SAFE,
    hadolint="DL3025",
    buildkit="JSONArgsRecommended",
    doc=DOC,
    shipped_only=True,
)
RULES = (RULE,)

# Characters with a meaning to the shell beyond grouping words; a word holding
# any of them is not rewritten.
_SHELL_MEANINGFUL = frozenset("$`\\;&|<>()*?[]~#{}!\n\r\t\f\v")
# A `$` reference in a word's text: escapes and `$$` (the shell's PID) are
# matched first, so that `\$1` and `$$1` are not read as `$1`; group 1 or 2 is
# set for a positional parameter (`$1`, `$@`, `${10}`, `${1:-x}`, `${#}`).
_DOLLAR = LazyPattern(r"\\.|\$\$|\$(?:([0-9@*#])|\{#?([0-9]+|[@*#])[}:#%/+=?-])")
# cmd.exe's too (``%VAR%``, ``^`` escapes); and its program parses quotes itself,
# so a quoted word is not rewritten there either.
_CMD_MEANINGFUL = _SHELL_MEANINGFUL | frozenset("%^\"'")


# Shell builtins with no program of their own in the images Python is built on
# (POSIX's special built-ins, XCU 2.14, and the regular ones a shell must run
# itself: cd, umask, wait, read, ...; bash's source, declare, ...): exec form
# would look for an executable of that name and fail to start. `true`,
# `echo`, `test`, `kill` and `pwd` are programs too (coreutils, procps), so
# they are not here.
_BUILTINS = frozenset(
    {
        ".",
        ":",
        "source",
        "cd",
        "export",
        "set",
        "unset",
        "eval",
        "exit",
        "return",
        "shift",
        "trap",
        "readonly",
        "alias",
        "unalias",
        "umask",
        "ulimit",
        "wait",
        "read",
        "local",
        "declare",
        "typeset",
        "hash",
        "getopts",
        "jobs",
        "fg",
        "bg",
        "times",
        "break",
        "continue",
        "let",
        "shopt",
        "builtin",
    }
)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    stage = model.shipped(context.target)
    if stage is None:
        return
    command = container_command(model, stage)
    windows = family(model, stage) == WINDOWS
    for ins in command.instructions:
        if ins.json is not None or _shell_set_before(model, stage, ins):
            continue
        argv = _plain_argv(ins, _CMD_MEANINGFUL if windows else _SHELL_MEANINGFUL)
        kw = ins.keyword
        if windows:
            # BuildKit's default shell on Windows (defaultshell.go); the PID 1
            # story is dash's, so it is not told here.
            fix = _fix(ins, argv, command) if argv is not None else None
            why = f"shell-form {kw} runs under `cmd /S /C`"
            if argv is not None:
                message = f"{why}; use exec form: `{kw} {_json(argv)}`"
            else:
                message = (
                    f"{why}; use exec form, or `{kw} "
                    '["cmd", "/S", "/C", "..."]` if it needs the shell'
                )
            yield Finding(RULE, ins.start, message, fix, end=ins.end)
            continue
        yield _finding(ins, argv, command)


def _finding(
    ins: Instruction, argv: list[str] | None, command: ContainerCommand
) -> Finding:
    kw = ins.keyword
    entrypoint = command.entrypoint_instruction
    if kw == "CMD" and entrypoint is not None and entrypoint.json is not None:
        # The CMD is the exec-form ENTRYPOINT's arguments: shell form hands it
        # `/bin/sh -c TEXT`, exec form the words; the program gets another argv.
        program = " ".join(a.value for a in entrypoint.json) or "ENTRYPOINT"
        message = (
            f"shell-form CMD under the exec-form ENTRYPOINT gives it `/bin/sh -c "
            f"\"...\"` as arguments (the container runs `{program} /bin/sh -c ...`)"
        )
        if argv is not None and argv[0] not in _BUILTINS:
            message += f"; write the arguments in exec form: `CMD {_json(argv)}`"
            return Finding(RULE, ins.start, message, _fix(ins, argv, command), end=ins.end)
        return Finding(
            RULE, ins.start, message + "; write the arguments in exec form", end=ins.end
        )
    shell = "`/bin/sh -c`"
    if argv is not None and argv[0] in _BUILTINS:
        return Finding(
            RULE,
            ins.start,
            f"shell-form {kw} runs the shell builtin `{argv[0]}`, which has no "
            "program of its own: exec form could not start it; keep the shell "
            f'(`{kw} ["sh", "-c", "..."]`) and end the script with `exec` of the '
            "program it is meant to run",
            end=ins.end,
        )
    if _execs_last(ins.args):
        # `exec` replaces the shell: the program is PID 1 and gets the signals.
        why = (
            f"shell-form {kw} runs under {shell}, whose `exec` hands PID 1 to the "
            "program, so `docker stop`'s SIGTERM reaches it; what is left is the "
            "shell step itself (the image needs `/bin/sh`"
            + (_entrypoint_arguments(ins.args) if kw == "ENTRYPOINT" else "")
            + ")"
        )
        if argv is not None:
            return Finding(
                RULE,
                ins.start,
                f"{why}; use exec form: `{kw} {_json(argv)}`",
                _fix(ins, argv, command),
                end=ins.end,
            )
        target = _passes_all_arguments(ins) if kw == "ENTRYPOINT" else None
        if target is not None:
            # `exec PROG "$0" "$@"` hands PROG every argument sh -c was given,
            # which exec form `[PROG]` gets as they are.
            return Finding(
                RULE,
                ins.start,
                f"{why}; `{kw} {_json([target])}` gets the same arguments whenever "
                "CMD or `docker run` gives at least one (with none, `\"$0\"` passes "
                "`/bin/sh`)",
                end=ins.end,
            )
        return Finding(
            RULE,
            ins.start,
            f"{why}; the command needs the shell, and `{kw} [\"sh\", \"-c\", ...]` "
            "would run the same processes: suppress PDH621 here if the shell is meant",
            end=ins.end,
        )
    why = (
        f"shell-form {kw} runs under {shell}, which stays PID 1 and does not pass "
        "`docker stop`'s SIGTERM on"
    )
    if argv is not None:
        return Finding(
            RULE,
            ins.start,
            f"{why}; use exec form: `{kw} {_json(argv)}`",
            _fix(ins, argv, command),
            end=ins.end,
        )
    return Finding(
        RULE,
        ins.start,
        f'{why}; use exec form, or `{kw} ["sh", "-c", "exec ..."]` if it needs the shell',
        end=ins.end,
    )


def _entrypoint_arguments(script: str) -> str:
    """What becomes of CMD and ``docker run`` arguments under a shell-form
    ENTRYPOINT: the runtime appends them to ``/bin/sh -c TEXT``, and ``sh -c``
    makes them ``$0``, ``$1``, ...; text that reads none of those drops them."""
    if _reads_positional(script):
        return (
            ", and CMD and `docker run` arguments reach the text only as `sh -c`'s "
            "`$0`, `$1`, ..."
        )
    return ", and CMD and `docker run` arguments are ignored"


def _passes_all_arguments(ins: Instruction) -> str | None:
    """The program of a shell-form text that is exactly ``exec PROG "$0" "$@"``
    (PROG a plain word), else None."""
    from python_docker_hooks._dockerfile.shell import split_commands

    commands = split_commands(ins.args)
    if len(commands) != 1 or ins.args[commands[0].end :].strip():
        return None
    cmd = commands[0]
    if cmd.assignments or cmd.redirects or [w.value for w in cmd.prefix] != ["exec"]:
        return None
    if ins.args[: cmd.start].strip() or [w.text for w in cmd.words[1:]] != ['"$0"', '"$@"']:
        return None
    program = cmd.words[0]
    if program.expands or program.quoted or _SHELL_MEANINGFUL.intersection(program.text):
        return None
    if program.value in _BUILTINS:
        return None
    return program.value


def _reads_positional(script: str) -> bool:
    """Whether a word the shell expands in ``script`` reads a positional
    parameter (``$0``..``$9``, ``$@``, ``$*``, ``$#``, ``${1}``, ``${#}``)."""
    from python_docker_hooks._dockerfile.shell import split_commands

    for command in split_commands(script):
        words = (*command.assignments, *command.prefix, *command.words, *command.redirects)
        for word in words:
            if not word.expands:
                continue
            for m in _DOLLAR.finditer(word.text):
                if m.group(1) or m.group(2):
                    return True
    return False


def _execs_last(script: str) -> bool:
    """Whether the script ends by ``exec``-ing its last command, which then
    replaces the shell (run after ``;`` or ``&&``, not in a pipeline or the
    background)."""
    from python_docker_hooks._dockerfile.shell import split_commands

    commands = split_commands(script)
    if not commands:
        return False
    last = commands[-1]
    if not last.prefix or last.prefix[0].value != "exec" or not last.words:
        return False
    if script[last.end :].strip():
        return False
    if len(commands) == 1:
        return not script[: last.start].strip()
    between = script[commands[-2].end : last.start].strip()
    return between in ("&&", ";")


def _shell_set_before(model: Dockerfile, stage: Stage, target: Instruction) -> bool:
    """Whether a SHELL is in the image config when ``target`` is dispatched."""
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins is target:
                return False
            if ins.keyword == "SHELL" and ins.json:
                return True
    return False


def _plain_argv(ins: Instruction, meaningful: frozenset[str]) -> list[str] | None:
    """The argv ``sh -c`` would run for ``ins``'s text, when the shell interprets
    nothing in it but word splitting and grouping quotes; else None."""
    from python_docker_hooks._dockerfile.shell import quotes_close, split_commands

    args = ins.args
    start, end = ins.pos(0), ins.pos(len(args))
    if ins.source(start, end) != args:
        return None  # continuation lines: the rewrite would drop their layout
    commands = split_commands(args)
    if len(commands) != 1:
        return None
    cmd = commands[0]
    if cmd.assignments or cmd.redirects or not cmd.words:
        return None
    if [w.value for w in cmd.prefix] not in ([], ["exec"]):
        return None
    words = [*cmd.prefix, *cmd.words]
    covered = 0
    for w in words:
        if args[covered : w.start].strip(" "):
            return None  # text the shell view did not make a word of
        if w.expands or meaningful.intersection(w.text) or not quotes_close(w.text):
            return None
        covered = w.end
    if args[covered:].strip(" "):
        return None
    return [w.value for w in cmd.words]


def _json(argv: Sequence[str]) -> str:
    """A JSON list BuildKit parses back to ``argv`` (values hold no backslash or
    control character: ``_plain_argv`` refused those)."""
    return "[" + ", ".join('"' + a.replace('"', '\\"') + '"' for a in argv) + "]"


def _fix(ins: Instruction, argv: list[str], command: ContainerCommand) -> Fix | None:
    start, end = ins.pos(0), ins.pos(len(ins.args))
    safety = FIX_SAFE
    if ins.keyword == "ENTRYPOINT" and command.cmd is not None:
        safety = FIX_UNSAFE
    entrypoint = command.entrypoint_instruction
    if ins.keyword == "CMD" and entrypoint is not None and entrypoint.json is not None:
        # The exec-form ENTRYPOINT's arguments change: `python /bin/sh -c
        # app.py` becomes `python app.py`, another program run. (A shell-form
        # ENTRYPOINT ignores the CMD either way.)
        safety = FIX_UNSAFE
    return Fix([Edit(start, end, _json(argv))], safety)


SPEC = HookSpec(
    "exec-form-cmd",
    RULES,
    check,
    name="CMD and ENTRYPOINT in exec form",
    description="Rewrites shell-form CMD/ENTRYPOINT of the shipped image in exec (JSON) form when that runs the same command.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
