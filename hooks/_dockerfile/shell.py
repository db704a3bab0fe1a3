"""Shell view of RUN commands: simple commands with exact word spans.

A rule that looks for ``pip install`` must not be fooled by quoting
(``echo "pip install x"`` is one ``echo`` command) and must see the commands
hidden in ``$(...)``, backticks and ``sh -c '...'`` strings.  The scanner here
splits shell source into simple commands, keeping the span of every word so a
fix can edit the source in place.  Nothing is expanded: ``$VAR`` stays literal
in a word's value.

Offsets are indexes into the string given to :func:`split_commands`; mapping
them back to file bytes is the caller's job.  In a Dockerfile ``RUN`` line the
heredoc bodies are not part of the shell text, so by default ``<<EOF`` is just
a redirection and scanning goes on with the same line.

What is recognised, in brief:

* operators ``&& || ; ;; | |& & ( )``, newlines, ``{ }`` groups, comments;
* compound-command keywords are not commands: ``if/then/elif/else/fi``,
  ``while/until/do/done``, ``for``/``select`` headers, ``case`` words and
  patterns, ``!``, ``time [-p]``, ``function NAME`` and ``NAME()`` heads;
  ``((...))`` arithmetic is skipped; ``[[ ... ]]`` is kept as one command
  whose words run from ``[[`` to ``]]``;
* quotes (single, double, ``$'...'``, ``$"..."``), backslash escapes and
  backslash-newline continuations;
* ``$(...)``, backticks and ``<(...)``/``>(...)`` stay inside their word, and
  the commands inside them are returned too; ``$((...))`` and ``${...}`` are
  word text;
* redirections (with fd numbers or ``{var}``) move out of the words;
* wrappers in front of a command move out of the words into ``prefix``, as
  the one table :data:`WRAPPERS` describes them: ``env`` (its ``NAME=value``
  operands become assignments; ``-S`` is left alone), ``sudo`` (options,
  ``NAME=value`` operands as for ``env``), ``nohup``, ``nice``,
  ``timeout DURATION``, ``xargs``, ``gosu USER``, ``su-exec USER``,
  ``runuser -u USER``,
  ``setpriv``, ``conda``/``mamba``/``micromamba run``, ``uv run``,
  ``poetry run``, ``pipenv run``, ``exec``, ``command`` (but not
  ``command -v/-V``) and ``time``.  A wrapper with no command after it stays
  as it is (``env``, ``sudo -l``, ``exec 3>&1``, ``conda install``);
* ``sh -c STR`` (also ``bash``, ``dash``, ``ash``, ``zsh``, ``ksh``,
  ``mksh``, any path, flags before and around ``-c``) and ``su``/``runuser
  [USER] -c STR``: STR is split too when its value is exactly its source
  text between the quotes (or the whole word when unquoted and not
  expanding).  Heredoc bodies inside such a string are part of it and are
  skipped.

Nesting is capped at :data:`MAX_DEPTH` levels (deeper text is skipped as
plain word text) and ``sh -c`` strings at :data:`MAX_SHELL_DEPTH`, so the work
stays linear in the input size.
"""

from __future__ import annotations

import gc
import re
from operator import attrgetter

from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._dockerfile.uv_options import (
    UV_RUN_VALUE_LONG,
    UV_RUN_VALUE_SHORT,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "MAX_DEPTH",
    "MAX_SHELL_DEPTH",
    "WRAPPERS",
    "Command",
    "Word",
    "Wrapper",
    "quotes_close",
    "script_index",
    "split_commands",
    "unwrap",
]

MAX_DEPTH = 50
# Each sh -c level scans its string once more, so this bounds the work factor.
MAX_SHELL_DEPTH = 8
_GC_PAUSE_SIZE = 1 << 16
_START = attrgetter("start")

# Runs of characters with no meaning to the scanner in each context. Plain
# words are in every command; the others (double quotes, back quotes, ${...},
# $NAME, $'...' strings, array assignments, {fd} redirections) are compiled
# when first met: a small file may have none.
_PLAIN = re.compile(r"[^ \t\n\r;&|()<>'\"\\$`]+")
_DQ_PLAIN = LazyPattern(r'[^"\\$`]+')
_BQ_PLAIN = LazyPattern(r"[^\\`]+")
_BRACE_PLAIN = LazyPattern(r"[^}\\'\"$`]+")
_SKIP_PLAIN = LazyPattern(r"[^()'\"\\$`{}]+")
_ANSI_PLAIN = LazyPattern(r"[^'\\]+")
_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
_HEX = LazyPattern(r"[0-9A-Fa-f]+")
_OCT = LazyPattern(r"[0-7]+")
_FD_NAME = LazyPattern(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_ARRAY_ASSIGN = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_DIGITS = frozenset("0123456789")

_META = frozenset(" \t\n;&|()<>")
_BLANK_STARTS = frozenset(" \t\\\r")
# Characters that may start an operator or a redirection ("2>", "{fd}>").
_TOKEN_STARTS = frozenset(";&|()<>0123456789{")
_OP_SECOND = {";": ";&", "&": "&>", "|": "|&", "<": "<>&", ">": ">|&"}
_OPS: dict[str, tuple[str, ...]] = {
    ";": (";;&", ";;", ";&", ";"),
    "&": ("&&", "&>>", "&>", "&"),
    "|": ("||", "|&", "|"),
    "(": ("(",),
    ")": (")",),
    "<": ("<<<", "<<-", "<<", "<>", "<&", "<"),
    ">": (">>", ">|", ">&", ">"),
}
_CASE_ENDS = frozenset({";;", ";&", ";;&"})

# Reserved words that only shape a compound command; the ones that close a
# compound command may be followed by redirections that belong to it.
_KEYWORDS = frozenset(
    {"if", "then", "elif", "else", "while", "until", "do", "!", "{", "time", "coproc"}
)
_CLOSING_KEYWORDS = frozenset({"fi", "done", "esac", "}"})
# Words with a meaning at the start of a command ("-p" after "time").
_RESERVED = (
    _KEYWORDS
    | _CLOSING_KEYWORDS
    | frozenset({"for", "select", "case", "function", "[[", "-p", "--"})
)

_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})


class Wrapper:
    """How a command wrapper reads its own words before the command it runs.

    ``subcommand``: the word that must follow the program and its leading
    options (``conda run``); ``lead_short``/``lead_long``: options before that
    word which take a value; ``short``/``long``: the options after it (or after
    the program) which take a value, in the next word or attached (``-n1``,
    ``--signal=KILL``); ``optional``: short options whose value, if any, is
    attached (``xargs -i{}``); ``operands``: positional words before the command
    (``timeout 10``, ``gosu app``); ``assigns``: ``NAME=value`` operands
    before the command (``env``, ``sudo``); ``by_path``: it is a program, so may
    be called by a path (not a shell builtin).
    """

    __slots__ = (
        "assigns",
        "by_path",
        "lead_long",
        "lead_short",
        "long",
        "operands",
        "optional",
        "short",
        "subcommand",
    )

    def __init__(
        self,
        short: str = "",
        long: Iterable[str] = (),
        *,
        subcommand: str | None = None,
        lead_short: str = "",
        lead_long: Iterable[str] = (),
        optional: str = "",
        operands: int = 0,
        assigns: bool = False,
        by_path: bool = True,
    ) -> None:
        self.short = short
        self.long = frozenset(long)
        self.subcommand = subcommand
        self.lead_short = lead_short
        self.lead_long = frozenset(lead_long)
        self.optional = optional
        self.operands = operands
        self.assigns = assigns
        self.by_path = by_path


_CONDA_RUN = Wrapper("np", ("--name", "--prefix", "--cwd"), subcommand="run")

# The one table of command wrappers: what each one's words are, so that every
# rule sees the command it runs.  Options per the tools' own manuals (GNU
# coreutils env/timeout/nice/nohup, findutils xargs, util-linux runuser/setpriv,
# sudo, gosu, su-exec, tini, dumb-init, conda/mamba/micromamba, uv, poetry, pipenv).
WRAPPERS: dict[str, Wrapper] = {
    "env": Wrapper("uCS", ("--unset", "--chdir", "--split-string"), assigns=True),
    "sudo": Wrapper(
        "ugCDhprtTUR",
        (
            "--user",
            "--group",
            "--close-from",
            "--chdir",
            "--host",
            "--prompt",
            "--role",
            "--type",
            "--command-timeout",
            "--other-user",
            "--chroot",
        ),
        assigns=True,
    ),
    "nohup": Wrapper(),
    "nice": Wrapper("n", ("--adjustment",)),
    "timeout": Wrapper("sk", ("--signal", "--kill-after"), operands=1),
    "xargs": Wrapper(
        "adEILnPs",
        (
            "--arg-file",
            "--delimiter",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ),
        optional="eil",
    ),
    "gosu": Wrapper(operands=1),
    # su-exec.c: "Usage: su-exec user-spec command [args]", no options.
    "su-exec": Wrapper(operands=1),
    # Init processes that run the command as their child: tini's usage text
    # (-p SIGNAL, -e EXIT_CODE take a value), dumb-init's --help (-r/--rewrite s:r).
    "tini": Wrapper("pe"),
    "dumb-init": Wrapper("r", ("--rewrite",)),
    "runuser": Wrapper(
        "ugGw", ("--user", "--group", "--supp-group", "--whitelist-environment")
    ),
    "setpriv": Wrapper(
        "",
        (
            "--reuid",
            "--regid",
            "--groups",
            "--inh-caps",
            "--ambient-caps",
            "--bounding-set",
            "--securebits",
            "--pdeathsig",
            "--selinux-label",
            "--apparmor-profile",
            "--landlock-access",
            "--landlock-rule",
            "--seccomp-filter",
        ),
    ),
    "conda": _CONDA_RUN,
    "mamba": _CONDA_RUN,
    "micromamba": Wrapper(
        "npraei",
        (
            "--name",
            "--prefix",
            "--root-prefix",
            "--attach",
            "--cwd",
            "--env",
            "--label",
            "--rc-file",
            "--log-level",
        ),
        subcommand="run",
    ),
    "uv": Wrapper(
        UV_RUN_VALUE_SHORT,
        UV_RUN_VALUE_LONG,
        subcommand="run",
        lead_long=UV_RUN_VALUE_LONG,
    ),
    "poetry": Wrapper(
        "CP",
        ("--directory", "--project"),
        subcommand="run",
        lead_short="CP",
        lead_long=("--directory", "--project"),
    ),
    "pipenv": Wrapper(subcommand="run", lead_long=("--python",)),
    "exec": Wrapper("a", by_path=False),
    "command": Wrapper(by_path=False),
    "time": Wrapper("fo", ("--format", "--output")),
}
# Programs that run a shell script given as an argument: ``su USER -c SCRIPT``
# and ``runuser USER -c SCRIPT`` (-> options of theirs that take a value).
_SCRIPT_RUNNERS: dict[str, frozenset[str]] = {
    "su": frozenset(
        {
            "-s",
            "--shell",
            "-g",
            "--group",
            "-G",
            "--supp-group",
            "-w",
            "--whitelist-environment",
        }
    ),
    "runuser": frozenset(
        {
            "-s",
            "--shell",
            "-g",
            "--group",
            "-G",
            "--supp-group",
            "-w",
            "--whitelist-environment",
        }
    ),
}
_SPECIAL_ARGV0 = _SHELLS | frozenset(WRAPPERS) | frozenset(_SCRIPT_RUNNERS)

_ANSI_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_ANSI_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}

# Parser modes of _Scanner._parse_list.
_NORMAL = 0
_FOR_HEAD = 1
_CASE_WORD = 2
_CASE_PATTERN = 3
_CONDITION = 4
_FUNCTION_NAME = 5

_EXPANDS = 1
_QUOTED = 2


class Word:
    """One shell word: raw source text, span, and its value after quote removal."""

    __slots__ = ("end", "expands", "quoted", "start", "text", "value")

    def __init__(
        self,
        text: str,
        value: str,
        start: int,
        end: int,
        quoted: bool = False,
        expands: bool = False,
    ) -> None:
        self.text = text
        self.value = value
        self.start = start
        self.end = end
        self.quoted = quoted
        self.expands = expands

    def _key(self) -> tuple[str, str, int, int, bool, bool]:
        return (self.text, self.value, self.start, self.end, self.quoted, self.expands)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Word) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Word({self.text!r}, {self.value!r}, {self.start}, {self.end}, "
            f"quoted={self.quoted}, expands={self.expands})"
        )


class Command:
    """One simple command.

    ``words`` is the argv with redirections, leading assignments and wrapper
    words (``sudo -u x``, ``env -i``) taken out; those are in ``redirects``,
    ``assignments`` and ``prefix``.  ``start``/``end`` span all of them.
    """

    __slots__ = ("argv", "assignments", "end", "prefix", "redirects", "start", "words")

    def __init__(
        self,
        words: tuple[Word, ...],
        assignments: tuple[Word, ...] = (),
        redirects: tuple[Word, ...] = (),
        start: int = 0,
        end: int = 0,
        prefix: tuple[Word, ...] = (),
    ) -> None:
        self.words = words
        # The words' values, as the program gets them (a command is not changed
        # once made: a moved one is a new Command).
        self.argv: tuple[str, ...] = tuple(w.value for w in words)
        self.assignments = assignments
        self.redirects = redirects
        self.start = start
        self.end = end
        self.prefix = prefix

    def _key(
        self,
    ) -> tuple[
        tuple[Word, ...], tuple[Word, ...], tuple[Word, ...], int, int, tuple[Word, ...]
    ]:
        return (
            self.words,
            self.assignments,
            self.redirects,
            self.start,
            self.end,
            self.prefix,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Command) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Command(argv={self.argv!r}, "
            f"assignments={tuple(w.value for w in self.assignments)!r}, "
            f"redirects={tuple(w.value for w in self.redirects)!r}, "
            f"prefix={tuple(w.value for w in self.prefix)!r}, "
            f"start={self.start}, end={self.end})"
        )


def changes_directory(commands: Sequence[Command]) -> bool:
    """Whether one of ``commands`` is ``cd`` or ``pushd`` (by any path): the
    commands after it run in a directory the WORKDIR does not say."""
    return any(c.argv and c.argv[0].rsplit("/", 1)[-1] in ("cd", "pushd") for c in commands)


def split_commands(source: str, *, heredoc_bodies: bool = False) -> list[Command]:
    """All simple commands in ``source``, ordered by start offset.

    A command comes before the commands nested in it (``$(...)``, backticks,
    ``sh -c`` strings).  With ``heredoc_bodies=True`` the source is a whole
    script (a ``RUN <<EOF`` body, say) whose heredoc bodies follow their
    command line; they are skipped instead of read as commands.
    """
    found = _Output()
    scanner = _Scanner(source, len(source), found, heredoc_bodies, 0)
    # Collection passes over a growing heap of small objects cost more than
    # the scan itself on big inputs; nothing built here forms a cycle.
    pause_gc = len(source) > _GC_PAUSE_SIZE and gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        scanner.parse_list(0, 0, False)
    finally:
        if pause_gc:
            gc.enable()
    out = found.commands
    if not found.nested:
        return out
    # A nested command starts strictly inside the command around it, so the
    # start offset alone orders them; the sort is stable for duplicates.
    out.sort(key=_START)
    # An sh -c string in double quotes is scanned twice (as part of the outer
    # word and as a script), so its $(...) commands come out twice.
    unique = [out[0]]
    for cmd in out[1:]:
        last = unique[-1]
        if cmd.start != last.start or cmd.end != last.end:
            unique.append(cmd)
    return unique


class _Output:
    """Commands found so far, shared by nested scanners."""

    __slots__ = ("commands", "nested")

    def __init__(self) -> None:
        self.commands: list[Command] = []
        # Nested commands are found before the command around them.
        self.nested = False


class _Scanner:
    """Scans ``src[:end]``; nested scanners share ``out``."""

    __slots__ = ("bodies", "end", "out", "pending", "shells", "src")

    def __init__(
        self, src: str, end: int, out: _Output, bodies: bool, shells: int
    ) -> None:
        self.src = src
        self.end = end
        self.out = out
        self.bodies = bodies
        self.shells = shells
        # Heredoc delimiters waiting for the next newline: (word, strip tabs).
        self.pending: list[tuple[str, bool]] = []

    # -- command level -----------------------------------------------------

    def parse_list(self, pos: int, depth: int, closer: bool) -> int:
        """Scan commands from ``pos``; return the position after the end.

        With ``closer`` the list is the body of ``$(`` or ``<(``: an unmatched
        ``)`` ends it and the position after it is returned.
        """
        src, end = self.src, self.end
        words: list[Word] = []
        assigns: list[Word] = []
        redirs: list[Word] = []
        cstart = cend = -1
        mode = _NORMAL
        parens = for_words = case_depth = cond_parens = 0
        time_options = after_close = False
        while True:
            if pos >= end:
                break
            c = src[pos]
            if c == " ":
                pos += 1
                if pos >= end:
                    break
                c = src[pos]
            if c in _BLANK_STARTS:
                pos = self._blanks(pos)
                if pos >= end:
                    break
                c = src[pos]
            if c == "#":
                newline = src.find("\n", pos, end)
                pos = end if newline < 0 else newline
                continue
            if c == "\n":
                pos += 1
                if mode == _CONDITION:
                    continue
                if cstart >= 0:
                    self._emit(words, assigns, redirs, cstart, cend, depth)
                    words, assigns, redirs, cstart = [], [], [], -1
                if (mode == _FOR_HEAD and for_words > 1) or mode == _FUNCTION_NAME:
                    mode = _NORMAL
                time_options = after_close = False
                if self.pending:
                    pos = self._skip_heredocs(pos)
                continue
            nxt = ""
            redirect_at = -1
            if c in _TOKEN_STARTS:
                nxt = src[pos + 1] if pos + 1 < end else ""
                if mode == _NORMAL:
                    if c == "<" or c == ">":
                        if nxt != "(":
                            redirect_at = pos
                    elif c == "&":
                        if nxt == ">":
                            redirect_at = pos
                    elif c not in _META:
                        fd_end = _fd_end(src, pos, end)
                        if fd_end >= 0 and src.startswith(("<", ">"), fd_end, end):
                            redirect_at = fd_end
            if redirect_at >= 0:
                found, pos = self._redirect(pos, redirect_at, depth)
                time_options = False
                if cstart < 0:
                    if after_close:
                        # It belongs to the compound command just closed.
                        continue
                    cstart = found[0].start
                redirs.extend(found)
                cend = pos
                continue

            if c in _META and not ((c == "<" or c == ">") and nxt == "("):
                if nxt != "" and nxt in _OP_SECOND.get(c, ""):
                    op_end = self._op_end(pos)
                    op = src[pos:op_end]
                else:
                    op_end = pos + 1
                    op = c
                if mode == _CONDITION:
                    if op != ")" or cond_parens > 0:
                        if op == "(":
                            cond_parens += 1
                        elif op == ")":
                            cond_parens -= 1
                        words.append(Word(op, op, pos, op_end))
                        cend = pos = op_end
                        continue
                    mode = _NORMAL
                elif mode == _CASE_PATTERN:
                    if op == ")":
                        mode = _NORMAL
                    pos = op_end
                    continue
                time_options = False
                if op == "(":
                    if cstart >= 0:
                        if len(words) == 1 and not assigns and not redirs:
                            after = self._blanks(op_end)
                            if after < end and src[after] == ")":
                                # NAME() starts a function definition.
                                words, cstart = [], -1
                                pos = after + 1
                                after_close = False
                                continue
                        self._emit(words, assigns, redirs, cstart, cend, depth)
                        words, assigns, redirs, cstart = [], [], [], -1
                    elif src.startswith("(", op_end, end):
                        pos = self._skip(op_end, ")")
                        mode = _NORMAL
                        after_close = True
                        continue
                    parens += 1
                    mode = _NORMAL
                    pos = op_end
                    after_close = False
                    continue
                if cstart >= 0:
                    self._emit(words, assigns, redirs, cstart, cend, depth)
                    words, assigns, redirs, cstart = [], [], [], -1
                pos = op_end
                if op == ")":
                    mode = _NORMAL
                    after_close = True
                    if parens > 0:
                        parens -= 1
                    elif closer:
                        return pos
                    continue
                after_close = False
                if op in _CASE_ENDS and case_depth > 0:
                    mode = _CASE_PATTERN
                else:
                    if mode == _CASE_WORD:
                        case_depth -= 1
                    mode = _NORMAL
                continue

            wstart = pos
            m = _PLAIN.match(src, pos, end)
            stop = m.end() if m is not None else pos
            if stop > pos and (
                stop >= end or (src[stop] in _META and src[stop] != "(")
            ):
                pos = stop
                value = src[wstart:stop]
                word = Word(value, value, wstart, pos)
                quoted = False
            else:
                pos, value, quoted, expands = self._word(pos, depth)
                if pos <= wstart:
                    pos = wstart + 1
                    continue
                word = Word(src[wstart:pos], value, wstart, pos, quoted, expands)
            if mode == _NORMAL:
                if cstart < 0 and not quoted and value in _RESERVED:
                    if value in _KEYWORDS:
                        time_options = value == "time"
                        after_close = False
                        continue
                    if value in _CLOSING_KEYWORDS:
                        if value == "esac" and case_depth > 0:
                            case_depth -= 1
                        time_options = False
                        after_close = True
                        continue
                    if time_options and (value == "-p" or value == "--"):
                        continue
                    if value == "for" or value == "select":
                        after = self._blanks(pos)
                        if value == "for" and src.startswith("((", after, end):
                            pos = self._skip(after + 1, ")")
                        else:
                            mode = _FOR_HEAD
                            for_words = 0
                        time_options = after_close = False
                        continue
                    if value == "case":
                        mode = _CASE_WORD
                        case_depth += 1
                        time_options = after_close = False
                        continue
                    if value == "function":
                        mode = _FUNCTION_NAME
                        time_options = after_close = False
                        continue
                    if value == "[[":
                        mode = _CONDITION
                        cond_parens = 0
                time_options = after_close = False
                if cstart < 0:
                    cstart = wstart
                if not words and "=" in value and _is_assignment(word.text):
                    assigns.append(word)
                else:
                    words.append(word)
                cend = pos
            elif mode == _CONDITION:
                words.append(word)
                cend = pos
                if value == "]]" and not quoted:
                    mode = _NORMAL
            elif mode == _FOR_HEAD:
                for_words += 1
                if for_words == 2 and value == "do" and not quoted:
                    mode = _NORMAL
            elif mode == _CASE_WORD:
                if value == "in" and not quoted:
                    mode = _CASE_PATTERN
            elif mode == _CASE_PATTERN:
                if value == "esac" and not quoted:
                    mode = _NORMAL
                    case_depth -= 1
                    after_close = True
            else:  # _FUNCTION_NAME
                mode = _NORMAL
                after = self._blanks(pos)
                if src.startswith("(", after, end):
                    after = self._blanks(after + 1)
                    if src.startswith(")", after, end):
                        pos = after + 1
        if cstart >= 0:
            self._emit(words, assigns, redirs, cstart, cend, depth)
        return end

    def _emit(
        self,
        words: list[Word],
        assigns: list[Word],
        redirs: list[Word],
        start: int,
        end: int,
        depth: int,
    ) -> None:
        prefix: list[Word] = []
        special = False
        if words:
            argv0 = words[0].value
            special = argv0 in _SPECIAL_ARGV0 or "/" in argv0
            if special:
                words, assigns, prefix = unwrap(words, assigns)
        if depth:
            self.out.nested = True
        self.out.commands.append(
            Command(
                tuple(words),
                tuple(assigns) if assigns else (),
                tuple(redirs) if redirs else (),
                start,
                end,
                tuple(prefix) if prefix else (),
            )
        )
        if special and words and depth < MAX_DEPTH and self.shells < MAX_SHELL_DEPTH:
            span = _shell_string(words)
            if span is not None:
                # The string is a whole script: its heredoc bodies are in it.
                inner = _Scanner(self.src, span[1], self.out, True, self.shells + 1)
                inner.parse_list(span[0], depth + 1, False)

    def _redirect(self, pos: int, op_pos: int, depth: int) -> tuple[list[Word], int]:
        """The redirection at ``pos`` (operator at ``op_pos``) and its target."""
        src = self.src
        op_end = self._op_end(op_pos)
        op_text = src[pos:op_end]
        heredoc = src[op_pos:op_end] in ("<<", "<<-")
        target: str | None = None
        if self._word_starts(op_end):
            new, value, quoted, expands = self._word(op_end, depth)
            found = [Word(src[pos:new], op_text + value, pos, new, quoted, expands)]
            target = value
        else:
            found = [Word(op_text, op_text, pos, op_end)]
            new = op_end
            after = self._blanks(op_end)
            if after > op_end and self._word_starts(after) and src[after] != "#":
                new, value, quoted, expands = self._word(after, depth)
                found.append(Word(src[after:new], value, after, new, quoted, expands))
                target = value
        if heredoc and self.bodies and target is not None:
            self.pending.append((target, op_text.endswith("-")))
        return found, new

    def _skip_heredocs(self, pos: int) -> int:
        src, end = self.src, self.end
        for delimiter, strip_tabs in self.pending:
            while pos < end:
                newline = src.find("\n", pos, end)
                stop = end if newline < 0 else newline
                line = src[pos:stop]
                pos = stop + 1
                line = line.removesuffix("\r")
                if strip_tabs:
                    line = line.lstrip("\t")
                if line == delimiter:
                    break
        self.pending.clear()
        return min(pos, end)

    # -- tokens ------------------------------------------------------------

    def _blanks(self, pos: int) -> int:
        """Skip blanks, line continuations and a CR that ends a line."""
        src, end = self.src, self.end
        while pos < end:
            c = src[pos]
            if c == " " or c == "\t":
                pos += 1
                while pos < end and (src[pos] == " " or src[pos] == "\t"):
                    pos += 1
            elif c == "\\":
                if src.startswith("\n", pos + 1, end):
                    pos += 2
                elif src.startswith("\r\n", pos + 1, end):
                    pos += 3
                else:
                    break
            elif c == "\r" and (pos + 1 == end or src[pos + 1] == "\n"):
                pos += 1
            else:
                break
        return pos

    def _op_end(self, pos: int) -> int:
        src, end = self.src, self.end
        for op in _OPS.get(src[pos], ()):
            if src.startswith(op, pos, end):
                return pos + len(op)
        return pos + 1

    def _word_starts(self, pos: int) -> bool:
        src, end = self.src, self.end
        if pos >= end:
            return False
        c = src[pos]
        if c in _META:
            return (c == "<" or c == ">") and src.startswith("(", pos + 1, end)
        if c == "\r":
            return not (pos + 1 == end or src[pos + 1] == "\n")
        return True

    def _word(self, pos: int, depth: int) -> tuple[int, str, bool, bool]:
        """Scan one word: (end, value, quoted, expands)."""
        src, end = self.src, self.end
        m = _PLAIN.match(src, pos, end)
        if m is not None:
            stop = m.end()
            # "(" may open an array assignment (NAME=(...)).
            if stop >= end or (src[stop] in _META and src[stop] != "("):
                return stop, m.group(), False, False
        start = pos
        parts: list[str] = []
        quoted = expands = False
        if src[pos] in "<>" and src.startswith("(", pos + 1, end):
            pos = self._substitution(pos + 2, depth)
            parts.append(src[start:pos])
            expands = True
        while pos < end:
            c = src[pos]
            if c == "'":
                quoted = True
                close = src.find("'", pos + 1, end)
                if close < 0:
                    parts.append(src[pos + 1 : end])
                    pos = end
                else:
                    parts.append(src[pos + 1 : close])
                    pos = close + 1
            elif c == '"':
                quoted = True
                pos, inner_expands = self._double_quoted(pos + 1, depth, parts)
                expands = expands or inner_expands
            elif c == "\\":
                if src.startswith("\n", pos + 1, end):
                    pos += 2
                elif src.startswith("\r\n", pos + 1, end):
                    pos += 3
                elif pos + 1 < end:
                    parts.append(src[pos + 1])
                    quoted = True
                    pos += 2
                else:
                    parts.append(c)
                    pos += 1
            elif c == "$":
                pos, flags = self._dollar(pos, depth, parts, False)
                expands = expands or bool(flags & _EXPANDS)
                quoted = quoted or bool(flags & _QUOTED)
            elif c == "`":
                close = self._backtick(pos, depth)
                parts.append(src[pos:close])
                pos = close
                expands = True
            elif c == "\r":
                if pos + 1 >= end or src[pos + 1] == "\n":
                    break
                parts.append(c)
                pos += 1
            elif c in _META:
                if c == "(" and not quoted and _ARRAY_ASSIGN.fullmatch(src, start, pos):
                    close = self._skip(pos + 1, ")")
                    parts.append(src[pos:close])
                    pos = close
                else:
                    break
            else:
                m = _PLAIN.match(src, pos, end)
                if m is None:
                    parts.append(c)
                    pos += 1
                else:
                    parts.append(m.group())
                    pos = m.end()
        return pos, "".join(parts), quoted, expands

    def _double_quoted(
        self, pos: int, depth: int, parts: list[str]
    ) -> tuple[int, bool]:
        """Scan a double-quoted string after its opening quote."""
        src, end = self.src, self.end
        expands = False
        while pos < end:
            c = src[pos]
            if c == '"':
                return pos + 1, expands
            if c == "\\":
                nxt = src[pos + 1] if pos + 1 < end else ""
                if nxt == "\n":
                    pos += 2
                elif nxt == "\r" and src.startswith("\n", pos + 2, end):
                    pos += 3
                elif nxt != "" and nxt in '\\$"`':
                    parts.append(nxt)
                    pos += 2
                else:
                    parts.append(c)
                    pos += 1
            elif c == "$":
                pos, flags = self._dollar(pos, depth, parts, True)
                expands = expands or bool(flags & _EXPANDS)
            elif c == "`":
                close = self._backtick(pos, depth)
                parts.append(src[pos:close])
                pos = close
                expands = True
            else:
                m = _DQ_PLAIN.match(src, pos, end)
                stop = m.end() if m is not None else pos + 1
                parts.append(src[pos:stop])
                pos = stop
        return end, expands

    def _dollar(
        self, pos: int, depth: int, parts: list[str], in_double: bool
    ) -> tuple[int, int]:
        """Scan what starts with ``$``; return (end, _EXPANDS/_QUOTED flags)."""
        src, end = self.src, self.end
        n = pos + 1
        c = src[n] if n < end else ""
        if c == "(":
            if src.startswith("(", n + 1, end):
                close = self._skip(n + 1, ")")
            else:
                close = self._substitution(n + 1, depth)
            parts.append(src[pos:close])
            return close, _EXPANDS
        if c == "{":
            close = self._parameter(n + 1, depth, in_double)
            parts.append(src[pos:close])
            return close, _EXPANDS
        if not in_double:
            if c == "'":
                return self._ansi_c(n + 1, parts), _QUOTED
            if c == '"':
                close, inner_expands = self._double_quoted(n + 1, depth, parts)
                return close, _QUOTED | (_EXPANDS if inner_expands else 0)
        if c != "":
            m = _NAME.match(src, n, end)
            if m is not None:
                parts.append(src[pos : m.end()])
                return m.end(), _EXPANDS
            if c in "0123456789@*#?$!-":
                parts.append(src[pos : n + 1])
                return n + 1, _EXPANDS
        parts.append("$")
        return n, 0

    def _substitution(self, pos: int, depth: int) -> int:
        """The body of ``$(`` or ``<(``: commands up to the matching ``)``."""
        if depth >= MAX_DEPTH:
            return self._skip(pos, ")")
        return self.parse_list(pos, depth + 1, True)

    def _backtick(self, pos: int, depth: int) -> int:
        """A backtick substitution at ``pos``; return the position after it."""
        src, end = self.src, self.end
        close = pos + 1
        while close < end:
            m = _BQ_PLAIN.match(src, close, end)
            if m is not None:
                close = m.end()
                if close >= end:
                    break
            if src[close] == "`":
                break
            close += 2
        close = min(close, end)
        if depth < MAX_DEPTH:
            inner = _Scanner(src, close, self.out, self.bodies, self.shells)
            inner.parse_list(pos + 1, depth + 1, False)
        return min(close + 1, end)

    def _parameter(self, pos: int, depth: int, in_double: bool) -> int:
        """The body of ``${``; return the position after the closing ``}``."""
        if depth >= MAX_DEPTH:
            return self._skip(pos, "}")
        depth += 1
        src, end = self.src, self.end
        scratch: list[str] = []
        while pos < end:
            m = _BRACE_PLAIN.match(src, pos, end)
            if m is not None:
                pos = m.end()
                if pos >= end:
                    break
            c = src[pos]
            if c == "}":
                return pos + 1
            if c == "\\":
                pos += 2
            elif c == "'":
                if in_double:
                    pos += 1
                else:
                    close = src.find("'", pos + 1, end)
                    pos = end if close < 0 else close + 1
            elif c == '"':
                pos = self._double_quoted(pos + 1, depth, scratch)[0]
            elif c == "$":
                pos = self._dollar(pos, depth, scratch, in_double)[0]
            else:
                pos = self._backtick(pos, depth)
            scratch.clear()
        return min(pos, end)

    def _ansi_c(self, pos: int, parts: list[str]) -> int:
        """Decode a ``$'...'`` string after its opening quote."""
        src, end = self.src, self.end
        while pos < end:
            m = _ANSI_PLAIN.match(src, pos, end)
            if m is not None:
                parts.append(m.group())
                pos = m.end()
                continue
            if src[pos] == "'":
                return pos + 1
            if pos + 1 >= end:
                parts.append("\\")
                return end
            d = src[pos + 1]
            simple = _ANSI_ESCAPES.get(d)
            if simple is not None:
                parts.append(simple)
                pos += 2
                continue
            width = _ANSI_HEX_WIDTH.get(d, 0)
            digits = None
            if width:
                digits = _HEX.match(src, pos + 2, min(pos + 2 + width, end))
                base = 16
            elif "0" <= d <= "7":
                digits = _OCT.match(src, pos + 1, min(pos + 4, end))
                base = 8
            if digits is not None:
                code = int(digits.group(), base)
                parts.append(chr(code) if code <= 0x10FFFF else "\ufffd")
                pos = digits.end()
            elif d == "c" and pos + 2 < end:
                parts.append(chr(ord(src[pos + 2]) & 0x1F))
                pos += 3
            else:
                parts.append(src[pos : pos + 2])
                pos += 2
        return end

    def _skip(self, pos: int, closer: str) -> int:
        """Skip balanced text without scanning commands; iterative, any depth.

        We are inside one construct that ``closer`` ends; return the position
        after it (or the end).  Used for arithmetic and past the depth cap.
        """
        src, end = self.src, self.end
        stack = [closer]
        while pos < end:
            top = stack[-1]
            c = src[pos]
            if c == "\\":
                pos += 2
            elif top == '"':
                if c == '"':
                    stack.pop()
                    pos += 1
                elif c == "`":
                    stack.append("`")
                    pos += 1
                elif c == "$" and src.startswith(("(", "{"), pos + 1, end):
                    stack.append(")" if src[pos + 1] == "(" else "}")
                    pos += 2
                else:
                    m = _DQ_PLAIN.match(src, pos, end)
                    pos = m.end() if m is not None else pos + 1
            elif top == "`":
                if c == "`":
                    stack.pop()
                    pos += 1
                else:
                    m = _BQ_PLAIN.match(src, pos, end)
                    pos = m.end() if m is not None else pos + 1
            elif c == top:
                stack.pop()
                pos += 1
            elif c == "(" and top == ")":
                stack.append(")")
                pos += 1
            elif c == "'":
                close = src.find("'", pos + 1, end)
                pos = end if close < 0 else close + 1
            elif c == '"' or c == "`":
                stack.append(c)
                pos += 1
            elif c == "$" and src.startswith(("(", "{"), pos + 1, end):
                stack.append(")" if src[pos + 1] == "(" else "}")
                pos += 2
            else:
                m = _SKIP_PLAIN.match(src, pos, end)
                pos = m.end() if m is not None else pos + 1
            if not stack:
                return pos
        return end


def _fd_end(src: str, pos: int, end: int) -> int:
    """Where ``[0-9]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}`` matched at ``pos`` (before
    ``end``) ends; -1 when it does not match."""
    if src[pos] == "{":
        m = _FD_NAME.match(src, pos, end)
        return -1 if m is None else m.end()
    i = pos
    while i < end and src[i] in _DIGITS:
        i += 1
    return i if i > pos else -1


def _is_assignment(text: str) -> bool:
    """``NAME=...``, ``NAME+=...`` or ``NAME[sub]=...`` as written in source."""
    m = _NAME.match(text)
    if m is None:
        return False
    i = m.end()
    if text.startswith("[", i):
        close = text.find("]", i)
        if close < 0:
            return False
        i = close + 1
    if text.startswith("+=", i):
        return True
    return text.startswith("=", i)


def quotes_close(text: str) -> bool:
    """Whether every quote a word's source text opens is closed, as sh reads it:
    a backslash outside single quotes escapes the next character. sh refuses a
    script with a quote left open (a syntax error), so it runs none of it."""
    quote = ""
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif quote == "'":
            if ch == "'":
                quote = ""
        elif ch == "\\":
            escaped = True
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
    return not quote


def unwrap(
    words: list[Word], assigns: list[Word]
) -> tuple[list[Word], list[Word], list[Word]]:
    """Move wrapper words (``sudo -u x``, ``env A=1``, ``timeout 5``,
    ``conda run -n env``) out of a command's argv, by :data:`WRAPPERS`."""
    prefix: list[Word] = []
    i = 0
    count = len(words)
    while i < count:
        value = words[i].value
        name = value[value.rfind("/") + 1 :]
        spec = WRAPPERS.get(name)
        if spec is None or (name != value and not spec.by_path):
            break
        options_end, operands_end = _wrapper_operands(words, i + 1, name, spec)
        if operands_end < 0 or operands_end >= count:
            break
        if not prefix:
            assigns = list(assigns)
        prefix.extend(words[i:options_end])
        if spec.assigns:
            assigns.extend(words[options_end:operands_end])
        else:
            prefix.extend(words[options_end:operands_end])
        i = operands_end
    if not prefix:
        return words, assigns, prefix
    return words[i:], assigns, prefix


def _skip_options(
    words: Sequence[Word], i: int, short: str, long: frozenset[str], optional: str = ""
) -> int:
    """The index after the options at ``words[i:]`` (and a ``--`` ending them)."""
    count = len(words)
    while i < count:
        value = words[i].value
        if value == "--":
            return i + 1
        if len(value) < 2 or value[0] != "-":
            return i
        if value.startswith("--"):
            i += 2 if value in long else 1
            continue
        takes_arg = -1
        for k in range(1, len(value)):
            if value[k] in optional:
                break
            if value[k] in short:
                takes_arg = k
                break
        i += 2 if takes_arg == len(value) - 1 else 1
    return i


def _wrapper_operands(
    words: list[Word], i: int, name: str, spec: Wrapper
) -> tuple[int, int]:
    """Where a wrapper's options end and its operands end (the command starts).

    (-1, -1) when the wrapper does not run the rest as a command.
    """
    count = len(words)
    if spec.subcommand is not None:
        i = _skip_options(words, i, spec.lead_short, spec.lead_long)
        if i >= count or words[i].value != spec.subcommand:
            return -1, -1
        i += 1
    if name == "runuser" and not any(
        w.value in ("-u", "--user") or w.value.startswith("--user=") for w in words[i:]
    ):
        return -1, -1  # ``runuser USER -c SCRIPT``: see script_index
    for k in range(i, count):
        value = words[k].value
        if value == "--" or len(value) < 2 or value[0] != "-":
            break
        # "command -v NAME" only looks NAME up; "env -S" splits a string.
        if (
            name == "command"
            and not value.startswith("--")
            and ("v" in value or "V" in value)
        ):
            return -1, -1
        if name == "env" and value.startswith(("-S", "--split-string")):
            return -1, -1
    while name == "env" and i < count and words[i].value == "-":
        i += 1
    i = _skip_options(words, i, spec.short, spec.long, spec.optional)
    while name == "env" and i < count and words[i].value == "-":
        i += 1
    options_end = i
    if spec.assigns:
        while i < count and words[i].value.find("=") > 0:
            i += 1
    i = min(i + spec.operands, count)
    return options_end, i


def script_index(values: Sequence[str]) -> int | None:
    """Index of the shell script argument in ``sh [options] -c SCRIPT`` (any
    shell of ours, by any path) and ``su``/``runuser [options] USER -c SCRIPT``."""
    if not values:
        return None
    name = values[0][values[0].rfind("/") + 1 :]
    count = len(values)
    if name in _SCRIPT_RUNNERS:
        with_arg = _SCRIPT_RUNNERS[name]
        i = 1
        while i < count:
            value = values[i]
            if value in ("-c", "--command", "--session-command"):
                return i + 1 if i + 1 < count else None
            if value == "--":
                return None
            i += 2 if value in with_arg else 1
        return None
    if name not in _SHELLS:
        return None
    has_c = False
    i = 1
    while i < count:
        value = values[i]
        if value == "--" or value == "-":
            i += 1
            break
        if len(value) < 2 or value[0] not in "-+":
            break
        if value.startswith("--"):
            i += 2 if value in ("--rcfile", "--init-file") else 1
            continue
        letters = value[1:]
        if value[0] == "-" and "c" in letters:
            has_c = True
        i += 2 if ("o" in letters or "O" in letters) else 1
    return i if has_c and i < count else None


def _shell_string(words: list[Word]) -> tuple[int, int] | None:
    """Span of the script in ``sh -c SCRIPT`` (or ``su USER -c SCRIPT``) when it
    maps 1:1 to source."""
    index = script_index([w.value for w in words])
    if index is None:
        return None
    word = words[index]
    text, value = word.text, word.value
    if text == value:
        return None if word.expands else (word.start, word.end)
    quoted_whole = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
    if quoted_whole and text[1:-1] == value:
        return word.start + 1, word.end - 1
    return None
