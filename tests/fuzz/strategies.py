"""Hypothesis strategies: Dockerfiles from a grammar, and mutated corpus files.

The grammar draws what real files hold and what trips parsers: keywords in any case,
continuation lines with either escape character (backtick with its ``# escape=``
directive), comment and blank lines inside continuations, heredocs (``<<EOF``,
``<<-EOF``, quoted names, several on one line, ``COPY`` heredocs, near-miss
terminators), exec and shell forms, flags, CRLF or mixed line endings, a BOM,
unicode and odd blanks, stray whitespace and suppression pragmas. Most drawn files
are valid for BuildKit, so the properties that need a valid file get to run.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from hypothesis import strategies as st

from python_docker_hooks._engine.registry import all_rules

PROJECT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT.parent / "shared" / "corpus"
CORPUS_ABSENT = (
    f"real-world corpus not found at {CORPUS} (it lives beside the project, in "
    "../shared/corpus, and is not part of a clone)"
)

if TYPE_CHECKING:
    from collections.abc import Sequence

T = TypeVar("T")

CODES = [rule.code for rule in all_rules()]
ALIASES = sorted({alias for rule in all_rules() for alias in rule.aliases})

# --- words -------------------------------------------------------------------------

IMAGES = [
    "python:3.12-slim",
    "python:3.11-slim-bookworm",
    "python:3.12-alpine",
    "python:3.12-alpine3.20",
    "pypy:3.10-alpine",
    "docker.io/library/python:3.11-alpine3.19",
    "alpine:3.20",
    "alpine",
    "ubuntu:22.04",
    "scratch",
    "$BASE",
    "${BASE:-python:3.12-slim}",
    "${BASE}",
    "builder",
    "base",
    "python@sha256:" + "ab" * 32,
]
STAGE_NAMES = ["builder", "base", "final", "Build", "deps"]

COMMANDS = [
    "pip install flask",
    "pip3 install -r requirements.txt",
    "pip3.12 install --upgrade pip setuptools wheel",
    "python -m pip install --upgrade -r /app/requirements.txt",
    "python3.12 -m pip install --no-cache-dir uvicorn",
    "pip install --no-cache-dir gunicorn",
    "pip install --user -e .",
    "uv pip install --system ruff",
    "uv pip install --no-cache -r requirements.txt",
    "PIP_NO_CACHE_DIR=1 pip install requests",
    "PIP_NO_CACHE_DIR=0 pip install requests",
    "export PIP_NO_CACHE_DIR=true",
    "UV_NO_CACHE=1 uv pip install x",
    "pipx install black",
    "pipenv install --system",
    "pip download -d /wheels numpy",
    "pip wheel --wheel-dir=/wheels .",
    'echo "pip install x"',
    "echo 'python -m pip install y'",
    "apk add --no-cache python3 py3-pip",
    "apk add --virtual .build-deps gcc musl-dev python3-dev",
    "apt-get update",
    "apt-get install -y --no-install-recommends gcc",
    "rm -rf /var/lib/apt/lists/* /root/.cache/pip",
    "cd /app",
    'adduser -u 5678 --disabled-password --gecos "" appuser',
    "chown -R appuser /app",
    "set -eux",
    "python -c 'import sys; print(sys.version)'",
    "echo ${HOME:-/root} $((1 + 2)) $(id -u)",
    "for p in a b; do pip install $p; done",
    "if [ -f x ]; then pip install x; fi",
    "echo café ☕ 中文",
    "true || false",
    "sudo pip install x",
    "env PIP_NO_CACHE_DIR=1 pip install x",
    "/usr/local/bin/pip install x",
    "python -m venv /venv && /venv/bin/pip install x",
    "printf 'a\\tb\\n'",
    "echo `date`",
    "ls -la | grep -v x > /dev/null 2>&1",
    "{ pip install a; }",
    "(cd /x && pip install .)",
    "git rev-parse HEAD > REVISION",
    "git clone https://example.com/x.git /opt/x",
    "uv sync --frozen --no-install-project",
    "pyenv install 3.12",
]
SEPARATORS = [" && ", "; ", " || ", " | ", " &&", " ;"]

SCRIPT_LINES = [
    "pip install flask",
    "set -e",
    "python -m pip install -r requirements.txt",
    "apt-get update && apt-get install -y gcc",
    "echo done",
    "# a comment in the script",
    "",
    "  indented line",
    "\tpip install --no-cache-dir x",
    "line with trailing backslash \\",
    "line with trailing backtick `",
    "EOFX",
    "xEOF",
    "print('héllo')",
    "import sys",
    "cat <<INNER",
    "INNER",
    "uv pip install y",
]
HEREDOC_NAMES = ["EOF", "END", "PY", "A", "SCRIPT_1", "eof"]

ENV_KEYS = [
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "DEBUG",
    "PIP_NO_CACHE_DIR",
    "UV_NO_CACHE",
    "APP_HOME",
    "NAME",
    "PATH",
    "maintainer",
    "org.opencontainers.image.title",
]
ENV_VALUES = [
    "1",
    "0",
    "true",
    "off",
    '"a b"',
    "'x y'",
    "café",
    "${HOME}/x",
    "$PATH:/venv/bin",
    '""',
    '"quoted \\"inner\\" value"',
    "a\\ b",
    "x@example.com",
]
UNICODE = [
    "é",
    "中",
    "☕",
    "\u00a0",
    "\u3000",
    "\u2028",
    "\x85",
    "\ufeff",
    "\U0001f40d",
    "\u200b",
]
ODD = ["\x0b", "\x0c", "\r", "\x1b", "\t"]


# Strategies are built once, here or through the caches below: building one per draw
# makes hypothesis validate it again every time, which used to cost more than
# running the hooks.
BOOL = st.booleans()


@functools.cache
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options`` (repeats weigh more); shrinks towards the first."""
    return options[draw(_ints(0, len(options) - 1))]


def sometimes(draw: st.DrawFn, one_in: int) -> bool:
    return draw(_ints(0, one_in - 1)) == 0


@functools.cache
def free_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Text without line breaks, NUL or surrogates: what a line may hold."""
    return st.text(
        alphabet=st.one_of(
            st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\n"),
            st.sampled_from(UNICODE + ODD + ["\\", "`", "$", "'", '"', "#", "<", "="]),
        ),
        max_size=max_size,
    )


@functools.cache
def cased(word: str) -> st.SearchStrategy[str]:
    """``word`` in upper, lower, title or mixed case."""
    return st.one_of(
        st.just(word.upper()),
        st.just(word.lower()),
        st.just(word.title()),
        st.lists(BOOL, min_size=len(word), max_size=len(word)).map(
            lambda flips: "".join(
                c.upper() if f else c.lower() for c, f in zip(word, flips)
            )
        ),
    )


# --- instructions --------------------------------------------------------------------


class Draft:
    """One instruction before rendering: keyword, argument words, heredoc bodies."""

    def __init__(
        self, keyword: str, words: list[str], bodies: list[list[str]] | None = None
    ) -> None:
        self.keyword = keyword
        self.words = words
        # Physical lines after the instruction's last line: bodies and terminators.
        self.bodies = bodies or []


def _words(text: str) -> list[str]:
    return [w for w in text.split(" ") if w]


SCRIPT_LINE = st.one_of(st.sampled_from(SCRIPT_LINES), free_text(20))
SCRIPT = st.lists(SCRIPT_LINE, max_size=4)


@st.composite
def heredoc(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A heredoc operator word and the lines of its body, terminator included."""
    name = pick(draw, HEREDOC_NAMES)
    chomp = draw(BOOL)
    quote = pick(draw, ["", "", '"', "'"])
    fd = pick(draw, ["", "", "", "3"])
    word = f"{fd}<<{'-' if chomp else ''}{quote}{name}{quote}"
    body = []
    for line in draw(SCRIPT):
        if chomp and draw(BOOL):
            line = "\t" + line
        # The terminator itself may not appear early (that ends the body there).
        if line == name or (chomp and line.lstrip("\t") == name):
            line += "x"
        body.append(line)
    terminator = ("\t" if chomp and draw(BOOL) else "") + name
    return word, [*body, terminator]


HEREDOC = heredoc()
HEREDOCS = {n: st.lists(HEREDOC, min_size=1, max_size=n) for n in (2, 3)}

RUN_FLAGS = st.lists(
    st.sampled_from(
        [
            "--mount=type=cache,target=/root/.cache/pip",
            "--mount=type=cache,target=/root/.cache/uv",
            "--mount=type=cache,id=pip,target=/root/.cache",
            "--mount=type=secret,id=token",
            "--mount=type=bind,source=.python-version,target=.python-version",
            "--mount=source=.git,target=.git,type=bind",
            "--mount=type=bind,from=builder,source=/w,target=/w",
            "--mount=target=/src",
            "--network=none",
            '--mount="type=cache,target=/root/.cache/pip"',
        ]
    ),
    max_size=2,
)
EXEC_FORMS = [
    ["pip", "install", "flask"],
    ["python", "-m", "pip", "install", "-r", "requirements.txt"],
    ["pip", "install", "--no-cache-dir", "x"],
    ["/bin/sh", "-c", "pip install x"],
    ["uv", "pip", "install", "y"],
    [],
]
COMMAND_LISTS = st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=4)


@st.composite
def run_instruction(draw: st.DrawFn) -> Draft:
    flags = draw(RUN_FLAGS)
    form = pick(draw, ["shell", "shell", "shell", "json", "heredoc", "heredoc"])
    if form == "json":
        spaced = draw(BOOL)
        inner = (", " if spaced else ",").join(f'"{a}"' for a in pick(draw, EXEC_FORMS))
        return Draft("RUN", flags + _words(f"[ {inner} ]" if spaced else f"[{inner}]"))
    if form == "heredoc":
        docs = draw(HEREDOCS[3])
        shape = pick(draw, ["bare", "shell", "cat", "python"])
        words: list[str] = []
        if shape == "bare" and len(docs) == 1:
            words = [docs[0][0]]
        elif shape in ("shell", "python"):
            runner = (
                "python3"
                if shape == "python"
                else pick(draw, ["bash", "sh", "sh -e", "/bin/bash -ex"])
            )
            words = [*_words(runner), docs[0][0]]
            for word, _ in docs[1:]:
                words += ["&&", "cat", word]
        else:
            for n, (word, _) in enumerate(docs):
                words += ["&&"] if n else []
                words += ["cat", word, ">", f"/tmp/f{n}"]
        return Draft("RUN", flags + words, [body for _, body in docs])
    commands = draw(COMMAND_LISTS)
    text = commands[0]
    for command in commands[1:]:
        text += pick(draw, SEPARATORS) + command
    if sometimes(draw, 10):
        text += " " + draw(free_text())
    return Draft("RUN", flags + _words(text))


COPY_FLAGS = st.lists(
    st.sampled_from(["--from=builder", "--chown=app:app", "--chmod=755", "--link"]),
    max_size=2,
)


@st.composite
def copy_instruction(draw: st.DrawFn) -> Draft:
    keyword = pick(draw, ["COPY", "COPY", "ADD"])
    flags = draw(COPY_FLAGS)
    form = pick(draw, ["plain", "json", "heredoc"])
    if form == "heredoc":
        docs = draw(HEREDOCS[2])
        dest = "/app/" if len(docs) > 1 else "/app/x.txt"
        return Draft(
            keyword, flags + [w for w, _ in docs] + [dest], [b for _, b in docs]
        )
    if form == "json":
        return Draft(keyword, flags + _words('["requirements.txt", "/app/"]'))
    source = pick(draw, [". /app", "requirements.txt .", "src/ /app/src", "a b c /d/"])
    return Draft(keyword, flags + _words(source))


PAIRS = st.lists(
    st.tuples(
        st.sampled_from(ENV_KEYS), st.one_of(st.sampled_from(ENV_VALUES), free_text(8))
    ),
    min_size=1,
    max_size=3,
)


@st.composite
def env_instruction(draw: st.DrawFn) -> Draft:
    keyword = pick(draw, ["ENV", "ENV", "LABEL", "ARG"])
    if keyword != "ARG" and sometimes(draw, 3):
        # Legacy form: one key, the rest of the line is the value.
        value = pick(draw, ["1", "0", "hello world", "a  b", "x=y", "café"])
        return Draft(keyword, [pick(draw, ENV_KEYS), *_words(value)])
    words = []
    for key, value in draw(PAIRS):
        if keyword == "ARG" and draw(BOOL):
            words.append(key)
        else:
            words.append(f"{key}={value}")
    return Draft(keyword, words)


@st.composite
def from_instruction(draw: st.DrawFn) -> Draft:
    words = ["--platform=$BUILDPLATFORM"] if sometimes(draw, 5) else []
    words.append(pick(draw, IMAGES))
    if draw(BOOL):
        words += [draw(cased("as")), pick(draw, STAGE_NAMES)]
    return Draft("FROM", words)


SIMPLE = [
    ("CMD", '["python", "app.py"]'),
    ("CMD", "python app.py"),
    ("CMD", '["uvicorn", "main:app", "--host", "0.0.0.0"]'),
    ("ENTRYPOINT", '["/entrypoint.sh"]'),
    ("ENTRYPOINT", "exec python -m app"),
    ("WORKDIR", "/app"),
    ("WORKDIR", "C:\\app"),
    ("USER", "appuser"),
    ("USER", "1000:1000"),
    ("EXPOSE", "8000 8001/udp"),
    ("VOLUME", '["/data"]'),
    ("VOLUME", "/data /logs"),
    ("STOPSIGNAL", "SIGTERM"),
    ("HEALTHCHECK", "CMD curl -f http://localhost/ || exit 1"),
    ("HEALTHCHECK", '--interval=30s CMD ["curl", "-f", "x"]'),
    ("HEALTHCHECK", "NONE"),
    ("SHELL", '["/bin/bash", "-o", "pipefail", "-c"]'),
    ("SHELL", '["powershell", "-Command"]'),
    ("MAINTAINER", "someone@example.com"),
    ("ARG", "BASE=python:3.12-alpine"),
    ("ARG", "PIP_NO_CACHE_DIR=1"),
    ("FOO", "unknown instruction"),
]


@st.composite
def simple_instruction(draw: st.DrawFn) -> Draft:
    keyword, args = pick(draw, SIMPLE)
    return Draft(keyword, _words(args))


RUN = run_instruction()
ENV = env_instruction()
SIMPLE_INSTRUCTION = simple_instruction()


@st.composite
def onbuild_instruction(draw: st.DrawFn) -> Draft:
    inner = pick(draw, [RUN, SIMPLE_INSTRUCTION, ENV])
    drawn = draw(inner)
    return Draft("ONBUILD", [drawn.keyword, *drawn.words], drawn.bodies)


FROM = from_instruction()
INSTRUCTION = st.one_of(
    RUN,
    RUN,
    RUN,
    ENV,
    ENV,
    copy_instruction(),
    SIMPLE_INSTRUCTION,
    FROM,
    onbuild_instruction(),
)


# --- lines and files ---------------------------------------------------------------

CODE_LISTS = {
    "ours": st.lists(st.sampled_from([*CODES, "XYZ999"]), min_size=1, max_size=2),
    "hadolint": st.lists(
        st.sampled_from(ALIASES or ["XYZ999"]), min_size=1, max_size=2
    ),
}


@st.composite
def pragma(draw: st.DrawFn) -> str:
    tool = pick(draw, ["python-docker-hooks:", "python-docker-hooks :", "hadolint"])
    scope = pick(draw, ["", "", "", "global "])
    codes = draw(CODE_LISTS["hadolint" if tool == "hadolint" else "ours"])
    return f"# {tool} {scope}ignore={','.join(codes)}"


COMMENT_LINE = st.one_of(
    st.sampled_from(["# a comment", "#", "  # indented", "\t#tab", "# escape=`"]),
    free_text().map(lambda t: "# " + t),
    pragma(),
)
INTERIOR_LINE = st.one_of(COMMENT_LINE, st.sampled_from(["", "  "]))


def render(draw: st.DrawFn, draft: Draft, escape: str) -> list[str]:
    """The physical lines of one instruction, continued where the draw says."""
    line = pick(draw, ["", "", "", "", " ", "\t", "  "]) + draw(cased(draft.keyword))
    lines: list[str] = []
    for n, word in enumerate(draft.words):
        if sometimes(draw, 6):
            glue = "" if n and sometimes(draw, 5) else " "
            lines.append(line + glue + escape + pick(draw, ["", "", "", " ", "\t"]))
            if draw(BOOL):
                lines += [draw(INTERIOR_LINE) for _ in range(draw(_ints(0, 2)))]
            line = pick(draw, ["", " ", "  ", "    ", "\t"]) + word
        else:
            line += pick(draw, [" ", " ", " ", "  ", "\t"]) + word
    if sometimes(draw, 6):
        line += pick(draw, [" ", "\t", "  "])
    lines.append(line)
    for body in draft.bodies:
        lines.extend(body)
    return lines


@st.composite
def directives(draw: st.DrawFn) -> tuple[list[str], str]:
    """Parser directive lines for the top of the file, and the escape they select."""
    escape = pick(draw, ["\\", "\\", "`"])
    lines = []
    if sometimes(draw, 4):
        lines.append(
            pick(
                draw,
                ["# syntax=docker/dockerfile:1", "#syntax = docker/dockerfile:1.7"],
            )
        )
    if escape == "`" or sometimes(draw, 6):
        # \x1c is no blank to BuildKit (test_found.py); other unicode blanks
        # there changed meaning after the BuildKit the oracle bundles.
        after_hash = pick(draw, ["", " ", " ", "\t", "\x0c", "\x1c"])
        around = pick(draw, ["", "", " ", "\t", "\x0c", "\x0b"])
        trailing = pick(draw, ["", "", " ", "\t", "\x0c", "\x0b"])
        lines.append(
            f"#{after_hash}{draw(cased('escape'))}{around}={around}{escape}{trailing}"
        )
    if len(lines) == 2 and draw(BOOL):
        lines.reverse()
    if sometimes(draw, 6):
        # Last: the BuildKit bundled with the oracle predates `check` and ends the
        # directives at it, where BuildKit today reads on.
        lines.append(
            pick(
                draw,
                [
                    "# check=skip=LegacyKeyValueFormat",
                    "# check=error=true",
                    "# check=skip=all",
                ],
            )
        )
    return lines, escape


DIRECTIVES = directives()
ITEMS = st.lists(
    st.one_of(
        INSTRUCTION.map(lambda d: ("instruction", d)),
        INSTRUCTION.map(lambda d: ("instruction", d)),
        COMMENT_LINE.map(lambda c: ("line", c)),
        st.sampled_from(["", "   "]).map(lambda c: ("line", c)),
    ),
    max_size=10,
)


@st.composite
def dockerfile_lines(draw: st.DrawFn) -> list[str]:
    """The physical lines of a whole file (no line endings)."""
    top, escape = draw(DIRECTIVES)
    lines = list(top)
    if sometimes(draw, 4):
        lines += render(draw, Draft("ARG", ["BASE=python:3.12-alpine"]), escape)
    lines += render(draw, draw(FROM), escape)
    for _, item in draw(ITEMS):
        if isinstance(item, Draft):
            lines += render(draw, item, escape)
        else:
            lines.append(item)
    return lines


LINES = dockerfile_lines()


@st.composite
def dockerfiles(draw: st.DrawFn) -> bytes:
    """A whole file as bytes: lines, line endings, final newline, maybe a BOM."""
    lines = draw(LINES)
    ending = pick(draw, ["\n", "\n", "\r\n", "mixed"])
    parts = []
    for line in lines:
        eol = pick(draw, ["\n", "\r\n"]) if ending == "mixed" else ending
        parts.append(line + eol)
    text = "".join(parts)
    if sometimes(draw, 5):
        text = text.rstrip("\r\n")
    bom = b"\xef\xbb\xbf" if sometimes(draw, 10) else b""
    return bom + text.encode("utf-8")


# --- mutation of real files -----------------------------------------------------------

INTERESTING = [
    b"\\",
    b"`",
    b"\n",
    b"\r\n",
    b"\r",
    b" \\\n",
    b" `\n",
    b"\\\n# comment\n",
    b"<<EOF",
    b"<<-EOF",
    b"\nEOF\n",
    b"RUN <<EOF\npip install x\nEOF\n",
    b"#",
    b"# escape=`\n",
    b'"',
    b"'",
    b"[",
    b"]",
    b'["pip", "install", "x"]',
    b"$",
    b"${",
    b"}",
    b"\t",
    b"  ",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xc3\xa9",
    b"\xe2\x80\xa8",
    b"\xef\xbb\xbf",
    b"pip install x",
    b"python -m pip install -r r.txt && ",
    b"RUN ",
    b"ONBUILD ",
    b"ENV A 1\n",
    b"ENV PYTHONUNBUFFERED=1\n",
    b"FROM python:3.12-alpine AS x\n",
    b"--mount=type=cache,target=/root/.cache/pip ",
    b"# python-docker-hooks: ignore=PDH101\n",
    b"# hadolint ignore=DL3042\n",
]


def corpus_files() -> list[bytes]:
    """Every Dockerfile of the corpus manifest, as bytes ([] when it is absent)."""
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    out = []
    for row in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 5 and cols[4] == "dockerfile":
            out.append((CORPUS / cols[0]).read_bytes())
    return out


MUTATIONS = [
    "insert",
    "insert",
    "insert",
    "delete",
    "byte",
    "duplicate",
    "splice",
    "endings",
    "truncate",
]


@st.composite
def mutated(draw: st.DrawFn, files: list[bytes]) -> bytes:
    """A corpus file after a few byte-level edits."""
    data = bytearray(pick(draw, files))
    for _ in range(draw(_ints(1, 6))):
        op = pick(draw, MUTATIONS)
        pos = draw(_ints(0, len(data)))
        if op == "insert":
            data[pos:pos] = pick(draw, INTERESTING)
        elif op == "delete":
            del data[pos : pos + draw(_ints(1, 64))]
        elif op == "byte" and pos < len(data):
            data[pos] = draw(_ints(0, 255))
        elif op == "duplicate":
            chunk = bytes(data[pos : pos + draw(_ints(1, 200))])
            at = draw(_ints(0, len(data)))
            data[at:at] = chunk
        elif op == "splice":
            other = pick(draw, files)
            start = draw(_ints(0, len(other)))
            data[pos:pos] = other[start : start + draw(_ints(1, 400))]
        elif op == "endings":
            lf = bytes(data).replace(b"\r\n", b"\n")
            data = bytearray(lf.replace(b"\n", b"\r\n") if draw(BOOL) else lf)
        elif op == "truncate":
            del data[pos:]
    return bytes(data)


# --- paths that try to leave a repository ---------------------------------------------

# Path pieces a pull request could write into a compose file, a bake file or a
# config: parent steps, absolute forms, the home directory, variables, links.
_PATH_PARTS = ("..", ".", "outside", "linked", "sub", "/", "~", "${HOME}", "${X:-..}", "$$x")


@st.composite
def escaping_path(draw: st.DrawFn) -> str:
    """A relative, absolute or ``~`` path built from the pieces above."""
    parts = draw(st.lists(st.sampled_from(_PATH_PARTS), min_size=1, max_size=5))
    path = "/".join(parts).replace("//", "/")
    return draw(st.sampled_from(["", "/", "./"])) + path


@st.composite
def escaping_compose(draw: st.DrawFn) -> str:
    """A compose file whose services build in contexts (and with Dockerfiles)
    that may leave the repository."""
    lines = ["services:"]
    for i in range(draw(_ints(1, 3))):
        lines.append(f"  s{i}:")
        if sometimes(draw, 3):
            lines.append(f"    build: {draw(escaping_path())!r}")
            continue
        lines.append("    build:")
        lines.append(f"      context: {draw(escaping_path())!r}")
        if sometimes(draw, 2):
            lines.append(f"      dockerfile: {draw(escaping_path())!r}")
        if sometimes(draw, 3):
            lines.append(f"      additional_contexts:\n        extra: {draw(escaping_path())!r}")
    return "\n".join(lines) + "\n"


@st.composite
def escaping_links(draw: st.DrawFn) -> dict[str, str]:
    """Symlinks in a repository (its path -> the link's target): ignore files,
    Dockerfiles, compose files and directories pointing out of it or inside."""
    names = (".dockerignore", "Dockerfile", "compose.yaml", "linked", "sub/.dockerignore",
             "Dockerfile.dockerignore")
    targets = ("../outside/secret.env", "../outside", "/", "sub", "../outside/Dockerfile",
               "../outside/compose.yaml", "real/Dockerfile", "/etc/hostname", "sub/missing")
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    return {name: draw(st.sampled_from(targets)) for name in chosen}
