from __future__ import annotations

import time
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from python_docker_hooks._dockerfile.shell import (
    MAX_DEPTH,
    Command,
    Word,
    split_commands,
)


def argvs(source: str) -> list[tuple[str, ...]]:
    return [cmd.argv for cmd in split_commands(source)]


def values(words: tuple[Word, ...]) -> tuple[str, ...]:
    return tuple(w.value for w in words)


def check_spans(source: str, commands: list[Command]) -> None:
    """Every span is in bounds, matches its text, and nests in its command."""
    size = len(source)
    starts = [cmd.start for cmd in commands]
    assert starts == sorted(starts)
    for cmd in commands:
        assert 0 <= cmd.start <= cmd.end <= size
        groups = (cmd.prefix, cmd.assignments, cmd.words, cmd.redirects)
        for group in groups:
            for before, after in pairwise(group):
                assert before.end <= after.start
            for w in group:
                assert cmd.start <= w.start <= w.end <= cmd.end
                assert source[w.start : w.end] == w.text
        if cmd.prefix and cmd.words:
            assert cmd.prefix[-1].end <= cmd.words[0].start


ARGV_CASES = [
    # quoting hides commands
    ('echo "pip install x"', [("echo", "pip install x")]),
    ("echo 'pip install x'", [("echo", "pip install x")]),
    ("echo pip\\ install", [("echo", "pip install")]),
    ("echo \"a b\" 'c d' e\\ f", [("echo", "a b", "c d", "e f")]),
    ('echo \\\\\\"', [("echo", '\\"')]),
    ('echo "a\\$b\\"c\\d"', [("echo", 'a$b"c\\d')]),
    ("echo $'a\\tb\\x41\\101\\u00e9\\cA\\''", [("echo", "a\tbAAé\x01'")]),
    ('echo $"loc"', [("echo", "loc")]),
    # separators
    (
        "apt-get update && pip install -r r.txt",
        [("apt-get", "update"), ("pip", "install", "-r", "r.txt")],
    ),
    ("pip freeze | grep x |& tee f", [("pip", "freeze"), ("grep", "x"), ("tee", "f")]),
    ("a; b;c", [("a",), ("b",), ("c",)]),
    ("a || b", [("a",), ("b",)]),
    ("a & b", [("a",), ("b",)]),
    ("a\nb\n\nc", [("a",), ("b",), ("c",)]),
    ("a&&b||c", [("a",), ("b",), ("c",)]),
    # subshells and groups
    ("(cd /app; pip install .)", [("cd", "/app"), ("pip", "install", ".")]),
    ("{ pip install x; }", [("pip", "install", "x")]),
    ("{ a; } > f && (b) 2>&1 | c", [("a",), ("b",), ("c",)]),
    ("echo { }", [("echo", "{", "}")]),
    ("echo }", [("echo", "}")]),
    ("f() { pip install x; }", [("pip", "install", "x")]),
    ("f () { x; }", [("x",)]),
    ("function g { a; }", [("a",)]),
    ("function g() { a; }", [("a",)]),
    # compound commands
    (
        "if pip install x; then pip install y; fi",
        [("pip", "install", "x"), ("pip", "install", "y")],
    ),
    (
        "if a; then b; elif c; then d; else e; fi",
        [("a",), ("b",), ("c",), ("d",), ("e",)],
    ),
    ("if ! command -v pip; then x; fi", [("command", "-v", "pip"), ("x",)]),
    ("for x in a b; do pip install $x; done", [("pip", "install", "$x")]),
    ("for x in $(ls); do echo $x; done", [("ls",), ("echo", "$x")]),
    ("for x\ndo echo $x\ndone", [("echo", "$x")]),
    ("for x\nin a b\ndo\n  echo $x\ndone", [("echo", "$x")]),
    ("for ((i=0; i<3; i++)); do echo $i; done", [("echo", "$i")]),
    ("select x in a b; do echo $x; done", [("echo", "$x")]),
    (
        "while read -r l; do pip install $l; done < r.txt",
        [
            ("read", "-r", "l"),
            ("pip", "install", "$l"),
        ],
    ),
    ("until false; do :; done", [("false",), (":",)]),
    (
        "while read l; do echo $l; done < <(pip freeze)",
        [("read", "l"), ("echo", "$l"), ("pip", "freeze")],
    ),
    (
        "case $x in a|b) pip install a;; (c) echo c;; *) true;; esac",
        [("pip", "install", "a"), ("echo", "c"), ("true",)],
    ),
    ("case a in\n(x|y)\n  echo 1\n  ;;\nesac\necho 2", [("echo", "1"), ("echo", "2")]),
    ("case a in x) case b in y) c;; esac;; esac; d", [("c",), ("d",)]),
    ("case a in x) b;& y) c;;& esac", [("b",), ("c",)]),
    (
        "echo $(case a in x) echo in;; esac) after",
        [
            ("echo", "$(case a in x) echo in;; esac)", "after"),
            ("echo", "in"),
        ],
    ),
    (
        "[[ -f a && -f b ]] && pip install x",
        [
            ("[[", "-f", "a", "&&", "-f", "b", "]]"),
            ("pip", "install", "x"),
        ],
    ),
    ("[[ ( $a < $b ) ]] || c", [("[[", "(", "$a", "<", "$b", ")", "]]"), ("c",)]),
    ("((i++)) && x", [("x",)]),
    ("! pip install x", [("pip", "install", "x")]),
    ("time pip install x", [("pip", "install", "x")]),
    ("time -p pip install x", [("pip", "install", "x")]),
    ("coproc cat", [("cat",)]),
    ("echo if then fi done", [("echo", "if", "then", "fi", "done")]),
    ("A=1 if", [("if",)]),
    ("'if' x", [("if", "x")]),
    # comments
    ("echo a # pip install x\npip install y", [("echo", "a"), ("pip", "install", "y")]),
    ("echo a#b #c", [("echo", "a#b")]),
    ("a;#c\nb", [("a",), ("b",)]),
    ("# only a comment", []),
    ("echo $# ${#x}", [("echo", "$#", "${#x}")]),
    # substitutions
    ("echo $(pip install x)", [("echo", "$(pip install x)"), ("pip", "install", "x")]),
    ("echo `pip install x`", [("echo", "`pip install x`"), ("pip", "install", "x")]),
    ('echo "$(a "$(b)")"', [("echo", '$(a "$(b)")'), ("a", "$(b)"), ("b",)]),
    (
        "echo $(a $(b) `c`)",
        [("echo", "$(a $(b) `c`)"), ("a", "$(b)", "`c`"), ("b",), ("c",)],
    ),
    ("echo $(a; (b)) c", [("echo", "$(a; (b))", "c"), ("a",), ("b",)]),
    ('echo $(echo ")")', [("echo", '$(echo ")")'), ("echo", ")")]),
    ("echo $((1 + (2 * 3))) x", [("echo", "$((1 + (2 * 3)))", "x")]),
    (
        "echo ${x:-$(pip install y)}",
        [
            ("echo", "${x:-$(pip install y)}"),
            ("pip", "install", "y"),
        ],
    ),
    ('echo ${x:-"}"} done', [("echo", '${x:-"}"}', "done")]),
    (
        "diff <(pip freeze) <(cat r.txt)",
        [
            ("diff", "<(pip freeze)", "<(cat r.txt)"),
            ("pip", "freeze"),
            ("cat", "r.txt"),
        ],
    ),
    (
        "x=$(pip download a) && y=`pip wheel b`",
        [
            (),
            ("pip", "download", "a"),
            (),
            ("pip", "wheel", "b"),
        ],
    ),
    # sh -c strings
    ("sh -c 'pip install x'", [("sh", "-c", "pip install x"), ("pip", "install", "x")]),
    (
        'bash -exc "pip install x && rm -rf /tmp"',
        [
            ("bash", "-exc", "pip install x && rm -rf /tmp"),
            ("pip", "install", "x"),
            ("rm", "-rf", "/tmp"),
        ],
    ),
    ("/bin/sh -ex -c 'a; b'", [("/bin/sh", "-ex", "-c", "a; b"), ("a",), ("b",)]),
    (
        'bash -o pipefail -c "a | b"',
        [("bash", "-o", "pipefail", "-c", "a | b"), ("a",), ("b",)],
    ),
    ("dash -c -- 'a'", [("dash", "-c", "--", "a"), ("a",)]),
    ("sudo sh -c 'a'", [("sh", "-c", "a"), ("a",)]),
    ("sh -c pip", [("sh", "-c", "pip"), ("pip",)]),
    ("sh -c 'echo $(a)'", [("sh", "-c", "echo $(a)"), ("echo", "$(a)"), ("a",)]),
    ('sh -c "echo $(a)"', [("sh", "-c", "echo $(a)"), ("echo", "$(a)"), ("a",)]),
    ("sh -c \"sh -c 'a'\"", [("sh", "-c", "sh -c 'a'"), ("sh", "-c", "a"), ("a",)]),
    (
        "sh -c 'cat <<EOF\nnot a command\nEOF\nb'",
        [
            ("sh", "-c", "cat <<EOF\nnot a command\nEOF\nb"),
            ("cat",),
            ("b",),
        ],
    ),
    # not mappable one to one, or not a -c string: no recursion
    ('sh -c "pip install \\"a\\""', [("sh", "-c", 'pip install "a"')]),
    ("sh -c 'a'' b'", [("sh", "-c", "a b")]),
    ("sh -c $CMD", [("sh", "-c", "$CMD")]),
    ("sh script.sh -c x", [("sh", "script.sh", "-c", "x")]),
    ("sh -c", [("sh", "-c")]),
    ("python -c 'import x'", [("python", "-c", "import x")]),
    # assignments and wrappers
    ("PIP_NO_CACHE_DIR=1 pip install x", [("pip", "install", "x")]),
    ("env A=1 B=2 pip install x", [("pip", "install", "x")]),
    ("env A=1 pip install", [("pip", "install")]),
    ("export PIP_NO_CACHE_DIR=1", [("export", "PIP_NO_CACHE_DIR=1")]),
    ("A=1", [()]),
    ('"A"=1 cmd', [("A=1", "cmd")]),
    ("a=(1 2) b+=3 c[1]=4 cmd", [("cmd",)]),
    ("cmd A=1", [("cmd", "A=1")]),
    ("env", [("env",)]),
    ("env A=1", [("env", "A=1")]),
    ("env -S 'pip install' x", [("env", "-S", "pip install", "x")]),
    ("sudo -l", [("sudo", "-l")]),
    ("command -v pip", [("command", "-v", "pip")]),
    ("command pip install x", [("pip", "install", "x")]),
    ("exec pip install x", [("pip", "install", "x")]),
    ("exec -a name pip", [("pip",)]),
    ("nohup pip install x &", [("pip", "install", "x")]),
    ("/usr/bin/time -v pip install x", [("pip", "install", "x")]),
    ("/usr/bin/exec pip", [("/usr/bin/exec", "pip")]),
    # the wrappers of shell.WRAPPERS: their own words move to the prefix
    ("xargs pip install", [("pip", "install")]),
    ("xargs -0 -n 1 -P4 pip install", [("pip", "install")]),
    ("xargs -I{} pip install {}", [("pip", "install", "{}")]),
    ("xargs -i pip install {}", [("pip", "install", "{}")]),
    ("xargs --max-args 2 --null pip install", [("pip", "install")]),
    ("xargs", [("xargs",)]),
    ("timeout 300 pip install x", [("pip", "install", "x")]),
    ("timeout -s KILL -k 5 1m pip install x", [("pip", "install", "x")]),
    ("timeout --signal=TERM 10 pip", [("pip",)]),
    ("timeout 10", [("timeout", "10")]),
    ("nice pip install x", [("pip", "install", "x")]),
    ("nice -n 19 pip install x", [("pip", "install", "x")]),
    ("nice -10 pip", [("pip",)]),
    ("gosu app pip install x", [("pip", "install", "x")]),
    ("gosu app:app /usr/bin/pip", [("/usr/bin/pip",)]),
    ("gosu app", [("gosu", "app")]),
    ("tini -g -e 143 -- pip install x", [("pip", "install", "x")]),
    ("/sbin/tini -s -p SIGKILL uvicorn app:app", [("uvicorn", "app:app")]),
    ("dumb-init --rewrite 15:2 -c -- uvicorn app:app", [("uvicorn", "app:app")]),
    ("/usr/bin/dumb-init -r 15:2 pip install x", [("pip", "install", "x")]),
    ("runuser -u app -- pip install x", [("pip", "install", "x")]),
    ("runuser -u app -g grp pip", [("pip",)]),
    ("setpriv --reuid=1000 --regid 1000 --clear-groups pip", [("pip",)]),
    ("conda run -n env pip install x", [("pip", "install", "x")]),
    (
        "conda run -p /opt/env --no-capture-output python -m pip",
        [("python", "-m", "pip")],
    ),
    ("conda install -y pip", [("conda", "install", "-y", "pip")]),
    ("mamba run -n env pip", [("pip",)]),
    ("micromamba run -n env -e A=1 pip", [("pip",)]),
    ("uv run pip install x", [("pip", "install", "x")]),
    ("uv run --with flask -p 3.12 python app.py", [("python", "app.py")]),
    ("uv --directory /app run python", [("python",)]),
    ("uv pip install x", [("uv", "pip", "install", "x")]),
    ("poetry run pip install x", [("pip", "install", "x")]),
    ("poetry -C /app run python", [("python",)]),
    ("poetry install", [("poetry", "install")]),
    ("pipenv run python manage.py", [("python", "manage.py")]),
    ("pipenv --python 3.12 run pip", [("pip",)]),
    ("sudo -u app timeout 5 nice gosu app pip", [("pip",)]),
    # su/runuser -c SCRIPT: the script is read like sh -c's
    (
        "su app -c 'pip install x'",
        [("su", "app", "-c", "pip install x"), ("pip", "install", "x")],
    ),
    (
        "su -s /bin/bash -c 'a' app",
        [("su", "-s", "/bin/bash", "-c", "a", "app"), ("a",)],
    ),
    ("su - app --command 'a'", [("su", "-", "app", "--command", "a"), ("a",)]),
    ("runuser app -c 'a'", [("runuser", "app", "-c", "a"), ("a",)]),
    ("su app", [("su", "app")]),
    # redirections
    ("pip install x > /dev/null 2>&1", [("pip", "install", "x")]),
    ("cat <<EOF > f", [("cat",)]),
    (">f", [()]),
    ("2>&1 pip install x", [("pip", "install", "x")]),
    ("echo 2 > f", [("echo", "2")]),
    ("echo a>b", [("echo", "a")]),
    ("exec 3>&1", [("exec",)]),
    # continuation, CRLF, tabs
    ("pip install \\\n  x", [("pip", "install", "x")]),
    ("pip ins\\\ntall x", [("pip", "install", "x")]),
    (
        "pip install x\\\r\n  y\r\nrm -rf z\r\n",
        [("pip", "install", "x", "y"), ("rm", "-rf", "z")],
    ),
    ("a\r\nb\r\n", [("a",), ("b",)]),
    ("a\rb", [("a\rb",)]),
    ("pip\tinstall\t\tx", [("pip", "install", "x")]),
    # unterminated input: the rest is the word
    ('echo "unterminated', [("echo", "unterminated")]),
    ("echo 'unterminated", [("echo", "unterminated")]),
    ("echo $(unterminated x", [("echo", "$(unterminated x"), ("unterminated", "x")]),
    ("echo `x", [("echo", "`x"), ("x",)]),
    ("echo ${x", [("echo", "${x")]),
    ("echo $'x", [("echo", "x")]),
    ("echo a\\", [("echo", "a\\")]),
    ("", []),
    ("   \n\t ", []),
]


@pytest.mark.parametrize(("source", "expected"), ARGV_CASES)
def test_argv(source: str, expected: list[tuple[str, ...]]) -> None:
    commands = split_commands(source)
    assert [cmd.argv for cmd in commands] == expected
    check_spans(source, commands)


@pytest.mark.parametrize(
    ("source", "assignments", "redirects", "prefix"),
    [
        ("PIP_NO_CACHE_DIR=1 pip install x", ("PIP_NO_CACHE_DIR=1",), (), ()),
        ("env A=1 B=2 pip install x", ("A=1", "B=2"), (), ("env",)),
        ("A=0 env -i -u X A=1 pip", ("A=0", "A=1"), (), ("env", "-i", "-u", "X")),
        ("env --unset=X -- A=1 pip", ("A=1",), (), ("env", "--unset=X", "--")),
        ("sudo -u root -E pip install x", (), (), ("sudo", "-u", "root", "-E")),
        ("sudo -Eu root pip", (), (), ("sudo", "-Eu", "root")),
        ("sudo --user=root HOME=/r pip", ("HOME=/r",), (), ("sudo", "--user=root")),
        ("nohup sudo env A=1 pip", ("A=1",), (), ("nohup", "sudo", "env")),
        ("timeout -s KILL 5 pip", (), (), ("timeout", "-s", "KILL", "5")),
        ("conda run -n env pip", (), (), ("conda", "run", "-n", "env")),
        ("uv run --with x pip", (), (), ("uv", "run", "--with", "x")),
        ("A=1 gosu app pip", ("A=1",), (), ("gosu", "app")),
        ("a=(1 2) b+=3 c[1]=4 cmd", ("a=(1 2)", "b+=3", "c[1]=4"), (), ()),
        ("A=1", ("A=1",), (), ()),
        ("pip install x > /dev/null 2>&1", (), (">", "/dev/null", "2>&1"), ()),
        ("cat <<EOF > f", (), ("<<EOF", ">", "f"), ()),
        ("cat <<'EOF' | sh", (), ("<<EOF",), ()),
        ('cat <<-"EOF"', (), ("<<-EOF",), ()),
        ("cat << EOF", (), ("<<", "EOF"), ()),
        (
            'cmd 2>/dev/null >>log &>all &>>both <in <>rw >|c 3<&0 4>&- <<<"$s"',
            (),
            (
                "2>/dev/null",
                ">>log",
                "&>all",
                "&>>both",
                "<in",
                "<>rw",
                ">|c",
                "3<&0",
                "4>&-",
                "<<<$s",
            ),
            (),
        ),
        ("cmd {fd}>f", (), ("{fd}>f",), ()),
        (">f A=1 cmd", ("A=1",), (">f",), ()),
        ("cmd > $(pip freeze)", (), (">", "$(pip freeze)"), ()),
        ("echo >", (), (">",), ()),
    ],
)
def test_parts(
    source: str,
    assignments: tuple[str, ...],
    redirects: tuple[str, ...],
    prefix: tuple[str, ...],
) -> None:
    cmd = split_commands(source)[0]
    assert values(cmd.assignments) == assignments
    assert values(cmd.redirects) == redirects
    assert values(cmd.prefix) == prefix


@pytest.mark.parametrize(
    "source",
    [
        "while read l; do :; done < <(pip freeze) > out",
        "if a; then b; fi > log 2>&1",
        "{ a; } > f",
        "(a) >f",
        "case x in y) a;; esac >f",
    ],
)
def test_redirect_of_compound_command_is_not_a_command(source: str) -> None:
    assert all(cmd.words for cmd in split_commands(source))


@pytest.mark.parametrize(
    ("source", "index", "text", "value", "quoted", "expands"),
    [
        ("echo plain", 1, "plain", "plain", False, False),
        ("echo 'a $b'", 1, "'a $b'", "a $b", True, False),
        ('echo "a $b"', 1, '"a $b"', "a $b", True, True),
        ("echo $HOME/x", 1, "$HOME/x", "$HOME/x", False, True),
        ("echo ${HOME}", 1, "${HOME}", "${HOME}", False, True),
        ("echo $(date)", 1, "$(date)", "$(date)", False, True),
        ("echo `date`", 1, "`date`", "`date`", False, True),
        ("echo $((1+2))", 1, "$((1+2))", "$((1+2))", False, True),
        ("echo a\\ b", 1, "a\\ b", "a b", True, False),
        ("echo a\\\nb", 1, "a\\\nb", "ab", False, False),
        ("echo $'\\n'", 1, "$'\\n'", "\n", True, False),
        ("echo $", 1, "$", "$", False, False),
        ("echo $%", 1, "$%", "$%", False, False),
        ("echo a$1", 1, "a$1", "a$1", False, True),
        ('echo "x"$y', 1, '"x"$y', "x$y", True, True),
        ("echo '$(a)'", 1, "'$(a)'", "$(a)", True, False),
    ],
)
def test_word(
    source: str, index: int, text: str, value: str, quoted: bool, expands: bool
) -> None:
    word = split_commands(source)[0].words[index]
    assert (word.text, word.value, word.quoted, word.expands) == (
        text,
        value,
        quoted,
        expands,
    )
    assert source[word.start : word.end] == text


@pytest.mark.parametrize(
    ("source", "inner"),
    [
        ("sh -c 'pip install x'", "pip install x"),
        ('bash -exc "pip install x && rm -rf /tmp"', "pip install x"),
        ("RUN_ME=1 echo $(pip install x)", "pip install x"),
        ("echo `pip install x`", "pip install x"),
        ("x && sh -c \"y; sh -c 'pip install x'\"", "pip install x"),
        ("cat <(pip install x)", "pip install x"),
    ],
)
def test_nested_offsets(source: str, inner: str) -> None:
    commands = split_commands(source)
    found = [c for c in commands if c.argv == tuple(inner.split())]
    assert len(found) == 1
    cmd = found[0]
    assert source[cmd.start : cmd.end] == inner
    assert cmd.words[0].start == source.index(inner)
    check_spans(source, commands)


def test_command_span_covers_all_parts() -> None:
    source = "x; A=1 sudo pip install y >/dev/null; z"
    cmd = split_commands(source)[1]
    assert (cmd.start, cmd.end) == (3, 36)
    assert source[cmd.start : cmd.end] == "A=1 sudo pip install y >/dev/null"
    assert cmd.argv == ("pip", "install", "y")


def test_heredoc_bodies_skipped_on_request() -> None:
    source = (
        "cat <<EOF >/etc/pip.conf\n"
        "[global]\n"
        "no-cache-dir = false\n"
        "EOF\n"
        "cat <<-'END' <<X\n"
        "\tbody\n"
        "\tEND\n"
        "body\n"
        "X\r\n"
        "pip install y"
    )
    assert argvs(source)[:3] == [
        ("cat",),
        ("[global]",),
        ("no-cache-dir", "=", "false"),
    ]
    commands = split_commands(source, heredoc_bodies=True)
    assert [c.argv for c in commands] == [("cat",), ("cat",), ("pip", "install", "y")]
    check_spans(source, commands)


def test_unterminated_heredoc_body_runs_to_end() -> None:
    assert [c.argv for c in split_commands("cat <<EOF\na\nb", heredoc_bodies=True)] == [
        ("cat",)
    ]


def test_depth_is_capped() -> None:
    source = "$(" * 200 + "pip install x" + ")" * 200
    commands = split_commands(source)
    assert len(commands) == MAX_DEPTH + 1
    assert commands[0].words[0].text == source
    check_spans(source, commands)


def test_records() -> None:
    w = Word("'a'", "a", 0, 3, quoted=True)
    assert w == Word("'a'", "a", 0, 3, True, False)
    assert w != Word("'a'", "a", 0, 3)
    assert hash(w) == hash(Word("'a'", "a", 0, 3, True, False))
    assert "'a'" in repr(w)
    cmd = Command((w,), (), (), 0, 3)
    assert cmd.argv == ("a",)
    assert cmd == split_commands("'a'")[0]
    assert "argv=('a',)" in repr(cmd)


SHELL_ALPHABET = " \t\n\r\\'\"`$(){}[]<>|&;#=!*?-+~ac0123456789EOFshpi"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(source: str) -> None:
    check_spans(source, split_commands(source))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=SHELL_ALPHABET, max_size=200), st.booleans())
def test_never_raises_on_shell_metacharacters(source: str, bodies: bool) -> None:
    check_spans(source, split_commands(source, heredoc_bodies=bodies))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["sh -c '", 'bash -c "', "$(", "`", "${", '"', "'", ")", "}", "a", " ", ";"]
        ),
        max_size=60,
    )
)
def test_never_raises_on_nested_constructs(parts: list[str]) -> None:
    source = "".join(parts)
    check_spans(source, split_commands(source))


@pytest.mark.parametrize(
    "source",
    [
        '"' * 500_000,
        "$(" * 100_000,
        "\\" * 1_000_000,
        "${" * 500_000,
        'sh -c "$(' * 100_000,
        "a;" * 100_000,
    ],
    ids=["quotes", "substitutions", "backslashes", "braces", "shell-c", "commands"],
)
def test_linear_time(source: str) -> None:
    start = time.thread_time()
    split_commands(source)
    assert time.thread_time() - start < 3.0
