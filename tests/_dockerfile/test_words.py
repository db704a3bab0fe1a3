from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from python_docker_hooks._dockerfile.words import (
    WordError,
    expand,
    key_value_fix,
    process_word,
    split_words,
)

BS = "\\"
BT = "`"

# BuildKit's reWhitespace, used to split a legacy `ENV key value` line.
_LEGACY_SPLIT = re.compile(r"[\t\v\f\r ]+")


def _oracle(text: str, escape: str = BS, instruction: str = "ENV") -> object:
    """What BuildKit's own parser makes of `<instruction> <text>`.

    The flattened (key, value, key, value...) raw pairs, or "error".
    """
    dockerfile = pytest.importorskip("dockerfile")
    prefix = "# escape=`\n" if escape == BT else ""
    try:
        commands = dockerfile.parse_string(f"{prefix}{instruction} {text}")
    except dockerfile.GoParseError:
        return "error"
    assert len(commands) == 1
    return commands[0].value


def _pairs(text: str, escape: str = BS) -> object:
    """parseNameVal from split_words: new form, legacy form, or "error"."""
    words = [word for word, _, _ in split_words(text, escape)]
    if "=" not in words[0]:
        parts = _LEGACY_SPLIT.split(text, maxsplit=1)
        return tuple(parts) if len(parts) == 2 else "error"
    flat: list[str] = []
    for word in words:
        if "=" not in word:
            return "error"
        flat.extend(word.split("=", 1))
    return tuple(flat)


def _oracle_safe(text: str, escape: str) -> bool:
    """Can `ENV <text>` stand on one Dockerfile line with the same argument?"""
    return (
        bool(text.strip(" \t"))
        and text == text.strip(" \t")
        and "\n" not in text
        and not text.endswith(escape)
        and not text.startswith("--")
    )


def lit(text: str) -> tuple[str, str]:
    return ("lit", text)


def var(name: str, op: str = "", *words: tuple[object, ...]) -> tuple[object, ...]:
    return ("var", name, op, *words) if op else ("var", name, "", ())


# ---------------------------------------------------------------------------
# split_words
# ---------------------------------------------------------------------------

SPLIT_CASES = [
    ("a=b", BS, [("a=b", 0, 3)]),
    ("a=b c=d", BS, [("a=b", 0, 3), ("c=d", 4, 7)]),
    ("a=b \t  c=d", BS, [("a=b", 0, 3), ("c=d", 7, 10)]),
    ('a="b c" d=e', BS, [('a="b c"', 0, 7), ("d=e", 8, 11)]),
    ("a='b c' d=e", BS, [("a='b c'", 0, 7), ("d=e", 8, 11)]),
    ("a=b'c d'e f=g", BS, [("a=b'c d'e", 0, 9), ("f=g", 10, 13)]),
    ("a=b\\ c d=e", BS, [("a=b\\ c", 0, 6), ("d=e", 7, 10)]),
    ('a="b\\" c" d=e', BS, [('a="b\\" c"', 0, 9), ("d=e", 10, 13)]),
    # No escapes inside single quotes: the quote closes.
    ("a='b\\' c=d", BS, [("a='b\\'", 0, 6), ("c=d", 7, 10)]),
    # An escaped quote does not open a quote.
    ('a=\\"b c=d', BS, [('a=\\"b', 0, 5), ("c=d", 6, 9)]),
    ("a=\"\" b=''", BS, [('a=""', 0, 4), ("b=''", 5, 9)]),
    ('a="b c', BS, [('a="b c', 0, 6)]),
    ("a='b c", BS, [("a='b c", 0, 6)]),
    # A final escape is dropped from the word, not from the span.
    ("a=b\\", BS, [("a=b", 0, 4)]),
    ('a="b\\', BS, [('a="b', 0, 5)]),
    ("a=b \\", BS, [("a=b", 0, 3)]),
    ("\\", BS, []),
    ("", BS, []),
    (" \t ", BS, []),
    # Go's unicode.IsSpace: NBSP splits, U+001C does not (unlike str.isspace).
    ("a=b\u00a0c=d", BS, [("a=b", 0, 3), ("c=d", 4, 7)]),
    ("a=b\u2003c=d", BS, [("a=b", 0, 3), ("c=d", 4, 7)]),
    ("a=b\x1cc=d", BS, [("a=b\x1cc=d", 0, 7)]),
    ("a=b\x0bc=d", BS, [("a=b", 0, 3), ("c=d", 4, 7)]),
    ("a=é ü=ß", BS, [("a=é", 0, 3), ("ü=ß", 4, 7)]),
    # Backtick escape: the backslash is an ordinary character.
    ("a=b` c d=e", BT, [("a=b` c", 0, 6), ("d=e", 7, 10)]),
    ("a=b\\ c", BT, [("a=b\\", 0, 4), ("c", 5, 6)]),
    ('a="b`" c" d=e', BT, [('a="b`" c"', 0, 9), ("d=e", 10, 13)]),
    ('a="b\\" c=d', BT, [('a="b\\"', 0, 6), ("c=d", 7, 10)]),
    ("a=b`", BT, [("a=b", 0, 4)]),
]


@pytest.mark.parametrize(("text", "escape", "expected"), SPLIT_CASES)
def test_split_words(
    text: str, escape: str, expected: list[tuple[str, int, int]]
) -> None:
    assert split_words(text, escape) == expected


@pytest.mark.parametrize(
    ("text", "escape"),
    [(text, escape) for text, escape, _ in SPLIT_CASES if _oracle_safe(text, escape)]
    + [
        ("a b c", BS),
        ("a  b\tc", BS),
        ("a b=c d", BS),
        ('a "b c" d', BS),
        ("a=b c", BS),
        ("a=b=c d==", BS),
        ("=a", BS),
        ('a="b c"d"e f"', BS),
        ("a='b c'\"d e\"", BS),
        ("a=b\\\tc", BS),
        ("a=\\'b c=d'", BS),
        ('a="\\\\" b=c', BS),
        ('a="`" b=c', BT),
        ("a=``b c=d", BT),
        ("a=$B c=${D:-e f}", BS),
    ],
)
def test_split_words_agrees_with_buildkit(text: str, escape: str) -> None:
    assert _pairs(text, escape) == _oracle(text, escape)


@pytest.mark.parametrize("text", ['a=b c="d e"', "a b c", "a=\\ x", "a='b c' d=e"])
def test_label_splits_like_env(text: str) -> None:
    assert _oracle(text, BS, "LABEL") == _oracle(text, BS, "ENV") == _pairs(text)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab=\"' \t\\`$-", min_size=1, max_size=14),
    escape=st.sampled_from([BS, BT]),
)
def test_split_words_matches_buildkit_property(text: str, escape: str) -> None:
    text = text.strip(" \t")
    assume(_oracle_safe(text, escape))
    assert _pairs(text, escape) == _oracle(text, escape)
    for word, start, end in split_words(text, escape):
        assert text[start:end] == word


# ---------------------------------------------------------------------------
# process_word
# ---------------------------------------------------------------------------

PROCESS_CASES = [
    # Outside quotes.
    ("hello", BS, (lit("hello"),)),
    ("", BS, ()),
    ("he'll'o", BS, (lit("hello"),)),
    ("he\\'llo", BS, (lit("he'llo"),)),
    ("abc\\tdef", BS, (lit("abctdef"),)),
    ("hello\\", BS, (lit("hello"),)),
    ("hello\\\\", BS, (lit("hello\\"),)),
    ("a\\ b", BS, (lit("a b"),)),
    ('a\\"b', BS, (lit('a"b'),)),
    ("a<<b", BS, (lit("a<<b"),)),
    # Inside double quotes: only ", $ and the escape character are escaped.
    ('"abc\\tdef"', BS, (lit("abc\\tdef"),)),
    ('"abc\\\\tdef"', BS, (lit("abc\\tdef"),)),
    ('"a\\"b"', BS, (lit('a"b'),)),
    ('"a\\$b"', BS, (lit("a$b"),)),
    ('"hel\'lo"', BS, (lit("hel'lo"),)),
    ("\"''\"", BS, (lit("''"),)),
    ('"a  b\t"', BS, (lit("a  b\t"),)),
    # Inside single quotes: nothing is special.
    ("'abc\\tdef'", BS, (lit("abc\\tdef"),)),
    ("'hello\\'", BS, (lit("hello\\"),)),
    ("'\"hello\"'", BS, (lit('"hello"'),)),
    ("'$A'", BS, (lit("$A"),)),
    ("'\\$A'", BS, (lit("\\$A"),)),
    # Variables.
    ("$A", BS, (var("A"),)),
    ("${A}", BS, (var("A"),)),
    ('"$A"', BS, (var("A"),)),
    ("\\$A", BS, (lit("$A"),)),
    ('"\\$A"', BS, (lit("$A"),)),
    ("\\\\$A", BS, (lit("\\"), var("A"))),
    ("\"he'$A'\"", BS, (lit("he'"), var("A"), lit("'"))),
    ("x$A-y", BS, (lit("x"), var("A"), lit("-y"))),
    ("$A$B", BS, (var("A"), var("B"))),
    ("$A_1.x", BS, (var("A_1"), lit(".x"))),
    ("$", BS, (lit("$"),)),
    ("$.", BS, (lit("$."),)),
    ('"$"', BS, (lit("$"),)),
    ("$1x", BS, (var("1"), lit("x"))),
    ("$12", BS, (var("12"),)),
    ("$@@", BS, (var("@"), lit("@"))),
    ("$$", BS, (var("$"),)),
    ("${#}", BS, (var("#"),)),
    ("$é", BS, (var("é"),)),
    ("\\${}", BS, (lit("${}"),)),
    ("${aaa}}", BS, (var("aaa"), lit("}"))),
    # Modifiers keep their word, processed.
    ("${A:-x y}", BS, (var("A", ":-", (lit("x y"),)),)),
    ("${A-x}", BS, (var("A", "-", (lit("x"),)),)),
    ("${A:+x}", BS, (var("A", ":+", (lit("x"),)),)),
    ("${A+x}", BS, (var("A", "+", (lit("x"),)),)),
    ("${A?msg}", BS, (var("A", "?", (lit("msg"),)),)),
    ("${A:?}", BS, (var("A", ":?", ()),)),
    ("${A:-$B}", BS, (var("A", ":-", (var("B"),)),)),
    ("${A:-${B:-z}}", BS, (var("A", ":-", (var("B", ":-", (lit("z"),)),)),)),
    ('${A:-"x}"}', BS, (var("A", ":-", (lit("x}"),)),)),
    ("${A:-'x}'}", BS, (var("A", ":-", (lit("x}"),)),)),
    ("${A:-x\\}}", BS, (var("A", ":-", (lit("x}"),)),)),
    ("${A:-\\$B}", BS, (var("A", ":-", (lit("$B"),)),)),
    ("${aaa:-bbb {foo}", BS, (var("aaa", ":-", (lit("bbb {foo"),)),)),
    # Folded spellings.
    ("${A:-}", BS, (var("A"),)),
    ("${A-}", BS, (var("A"),)),
    ("${A:+}", BS, ()),
    ("a${A+}b", BS, (lit("ab"),)),
    ("${A#}", BS, (var("A"),)),
    ("${A##}", BS, (var("A"),)),
    ("${A%*}", BS, (var("A"),)),
    # Pattern words keep escapes raw; the leading # / % asks for greedy.
    ("${A#x}", BS, (var("A", "#", (lit("x"),)),)),
    ("${A##*/}", BS, (var("A", "#", (lit("#*/"),)),)),
    ("${A%%.*}", BS, (var("A", "%", (lit("%.*"),)),)),
    ("${A#\\*}", BS, (var("A", "#", (lit("\\*"),)),)),
    ('${A%"\\x"}', BS, (var("A", "%", (lit("\\\\x"),)),)),
    ("${A#${B:-\\*}}", BS, (var("A", "#", (var("B", ":-", (lit("*"),)),)),)),
    ("${A/x/y}", BS, (("var", "A", "/", (lit("x"),), (lit("y"),)),)),
    ("${A//x/}", BS, (("var", "A", "//", (lit("x"),), ()),)),
    ("${A///}", BS, (("var", "A", "//", (), ()),)),
    ("${A/\\//\\/}", BS, (("var", "A", "/", (lit("\\/"),), (lit("\\/"),)),)),
    # A leading byte order mark is dropped, as Go's text/scanner does.
    ("\ufeffa", BS, (lit("a"),)),
    ("a\ufeff", BS, (lit("a\ufeff"),)),
    # Backtick escape: the backslash is ordinary.
    ("a`b", BT, (lit("ab"),)),
    ("a\\b", BT, (lit("a\\b"),)),
    ("a`", BT, (lit("a"),)),
    ("`$A", BT, (lit("$A"),)),
    ("\\$A", BT, (lit("\\"), var("A"))),
    ('"a`"b"', BT, (lit('a"b'),)),
    ('"a\\"', BT, (lit("a\\"),)),
    ('"a``b`x"', BT, (lit("a`b`x"),)),
    ("'a`b'", BT, (lit("a`b"),)),
    ("${A#`*}", BT, (var("A", "#", (lit("`*"),)),)),
]


@pytest.mark.parametrize(("raw", "escape", "expected"), PROCESS_CASES)
def test_process_word(raw: str, escape: str, expected: tuple[object, ...]) -> None:
    assert process_word(raw, escape) == expected


@pytest.mark.parametrize(
    ("raw", "escape"),
    [
        ("he'llo", BS),
        ("he\\\\'llo", BS),
        ('"hello', BS),
        ('"hello\\"', BS),
        ('"a\\', BS),
        ("'hello", BS),
        ("${}", BS),
        ("${", BS),
        ("${A", BS),
        ("${A:-x", BS),
        ("${A:-x\\", BS),
        ("he${.}", BS),
        ("${A:x}", BS),
        ("${A=x}", BS),
        ("${A:=x}", BS),
        ("${:}", BS),
        ("${:-x}", BS),
        ("${{a}", BS),
        ("${A:#x}", BS),
        ("${A:%%x}", BS),
        ("${A B}", BS),
        ("${1a}", BS),
        ("${A//x}", BS),
        ("${A/x", BS),
        ("${aaa:-bbb ${foo}", BS),
        # Literal patterns BuildKit always refuses.
        ("${A#\\x}", BS),
        ("${A#'\\'}", BS),
        ("${A#'*\\'}", BS),
        ("${A/\\x/y}", BS),
        ('"a`', BT),
        ("${" * 60 + "}" * 60, BS),
    ],
)
def test_process_word_rejects(raw: str, escape: str) -> None:
    with pytest.raises(WordError):
        process_word(raw, escape)


def test_word_error_is_value_error() -> None:
    assert issubclass(WordError, ValueError)
    with pytest.raises(WordError):
        process_word("x", "!")


@pytest.mark.parametrize(
    ("first", "second", "equivalent"),
    [
        ("$A", "${A}", True),
        ('"$A"', "$A", True),
        ("a b", '"a b"', True),
        ("a b", "'a b'", True),
        ("a b", "a\\ b", True),
        ("\\$A", "'$A'", True),
        ("${A:-}", "$A", True),
        ("${A-}", "$A", True),
        ("x${A:+}", "x", True),
        ("${A##}", "$A", True),
        ("${A#*}", "$A", True),
        ("${A#'#'x}", "${A##x}", True),
        ("ab", "'a'\"b\"", True),
        ("${A%%*}", "$A", False),
        ("$A", "$B", False),
        ("$AB", "${A}B", False),
        ("${A:-x}", "${A-x}", False),
        ("${A:-x}", "${A:-y}", False),
        ("${A:+x}", "${A+x}", False),
        ("a  b", "a b", False),
        ("a\\tb", '"a\\tb"', False),
    ],
)
def test_process_word_equivalence(first: str, second: str, equivalent: bool) -> None:
    assert (process_word(first) == process_word(second)) is equivalent


# ---------------------------------------------------------------------------
# expand
# ---------------------------------------------------------------------------

ENV = {"PWD": "/home", "SHELL": "bash", "NULL": "", "KOREAN": "한국어"}


@pytest.mark.parametrize(
    ("raw", "env", "expected"),
    [
        ("${A:-x}", {}, "x"),
        ("${A:-x}", {"A": ""}, "x"),
        ("${A:-x}", {"A": "v"}, "v"),
        ("${A-x}", {}, "x"),
        ("${A-x}", {"A": ""}, ""),
        ("${A-x}", {"A": "v"}, "v"),
        ("${A:+x}", {}, ""),
        ("${A:+x}", {"A": ""}, ""),
        ("${A:+x}", {"A": "v"}, "x"),
        ("${A+x}", {}, ""),
        ("${A+x}", {"A": ""}, "x"),
        ("${A+x}", {"A": "v"}, "x"),
        ("$A", {"A": "v"}, "v"),
        ("${A}", {"A": "v"}, "v"),
        ("$A", {}, ""),
        ("${A}", {}, ""),
        ("a${A}b", {}, "ab"),
        ("${A?x}", {"A": ""}, ""),
        ("${A:?x}", {"A": "v"}, "v"),
        ("${A:-${B:-z}}", {}, "z"),
        ("${A:-${B:-z}}", {"B": "b"}, "b"),
        ("${A:-${B:-z}}", {"A": "a", "B": "b"}, "a"),
        ("${A:+${B}:}", {"A": "a", "B": "b"}, "b:"),
        ("${A:-\\$B:}", {}, "$B:"),
        ("${A:-\\${B}z}", {}, "${Bz}"),
        ("${BASE:-python}:${PY}-slim", {"PY": "3.12"}, "python:3.12-slim"),
        ("${BASE:-python}:${PY}-slim", {"BASE": "pypy", "PY": "3"}, "pypy:3-slim"),
        ("$1 ${1:-d} $@ ${0:+x}", {}, " d  "),
        ("he\\\\$PWD", ENV, "he\\/home"),
        ("\"he'$PWD'\"", ENV, "he'/home'"),
        ("안녕$KOREAN", ENV, "안녕한국어"),
        ("${NULL:+${PWD}}x${PWD:+${SHELL}}", ENV, "xbash"),
        # Patterns: # shortest / ## longest prefix, % / %% suffix.
        ("${A#*/}", {"A": "a/b/c"}, "b/c"),
        ("${A##*/}", {"A": "a/b/c"}, "c"),
        ("${A%/*}", {"A": "a/b/c"}, "a/b"),
        ("${A%%/*}", {"A": "a/b/c"}, "a"),
        ("${A#*x*y}", {"A": "xxyy"}, "y"),
        ("${A#?\\?}", {"A": "???y"}, "?y"),
        ("${A%%\\**\\*}", {"A": "a***yy*"}, "a"),
        ("${A#()[]{\\}^$.\\*\\?|\\\\}", {"A": "()[]{}^$.*?|\\x"}, "x"),
        ("${A#$B}", {"A": "xxyy", "B": "x"}, "xyy"),
        ("${A%'*\\'}", {"A": "a*"}, "a"),
        ("${A%'*\\'}", {"A": "a\\"}, "a\\"),
        ("${A##*}", {"A": "ab\ncd"}, "\ncd"),
        ("${A#*}", {"A": "ab"}, "ab"),
        # Substitution: first match, or every match (Go's ReplaceAllString).
        ("${A/o/0}", {"A": "foo"}, "f0o"),
        ("${A//o/0}", {"A": "foo"}, "f00"),
        (
            "${A/$N/.} - ${A//$N/.}",
            {"A": "/foo*/*/*.txt", "N": "\\*/"},
            "/foo.*/*.txt - /foo..*.txt",
        ),
        ("${A//\\//\\/}", {"A": "/tmp/foo.txt"}, "\\/tmp\\/foo.txt"),
        ("${A/$B/ww}", {"A": "xxyy", "B": ""}, "wwxxyy"),
        ("${A///}", {"A": "xxyy"}, "xxyy"),
        ("${A//*/x}", {"A": "ab"}, "x"),
        ("${A//?/x}", {"A": "a\nb"}, "x\nx"),
        ("${A//o/'[$0]'}", {"A": "foo"}, "f[o][o]"),
        ("${A//o/'${0}$$$9$x'}", {"A": "fo"}, "fo$"),
        ("${A/o/'[$0]'}", {"A": "foo"}, "f[$0]o"),
        ("${U/x/y}", {}, ""),
        # Backtick escape.
        ("`$A$A", {"A": "v"}, "$Av"),
        ('"`$A" \\$A', {"A": "v"}, "$A \\v"),
    ],
)
def test_expand(raw: str, env: dict[str, str], expected: str) -> None:
    escape = BT if "`" in raw else BS
    assert expand(raw, env, escape) == expected


@pytest.mark.parametrize(
    ("raw", "env", "message"),
    [
        ("${A?}", {}, "A: is not allowed to be unset"),
        ("${A?custom $B}", {"B": "x"}, "A: custom x"),
        ("${A:?}", {"A": ""}, "A: is not allowed to be empty"),
        ("${A:?}", {}, "A: is not allowed to be unset"),
        # BuildKit processes the default even when it is not used.
        ("${A:-${B?}}", {"A": "a"}, "B: is not allowed to be unset"),
        ("${A#$P}", {"A": "a", "P": "\\x"}, "invalid escape"),
        ("${A:-x", {}, "missing '}'"),
    ],
)
def test_expand_rejects(raw: str, env: dict[str, str], message: str) -> None:
    with pytest.raises(WordError, match=re.escape(message)):
        expand(raw, env)


# ---------------------------------------------------------------------------
# key_value_fix
# ---------------------------------------------------------------------------

FIX_CASES = [
    ("a", "b", BS, "a=b"),
    ("a", "b c", BS, 'a="b c"'),
    ("a", "b  c", BS, 'a="b  c"'),
    ("a", "b\tc", BS, 'a="b\tc"'),
    ("a", "b \t c", BS, 'a="b \t c"'),
    ("a", "b=c", BS, "a=b=c"),
    ("a", "b=c d", BS, 'a="b=c d"'),
    ("a", "b\\ c", BS, "a=b\\ c"),
    ("a", '"b c"', BS, 'a="b c"'),
    ("a", "'b c'", BS, "a='b c'"),
    ("a", '"b c" d', BS, 'a="b c d"'),
    ("a", "b 'c d' e", BS, 'a="b c d e"'),
    # Quotes are removed by BuildKit in the legacy form too.
    ("a", 'say "hi" there', BS, 'a="say hi there"'),
    # Literal double quotes: single quotes need no escapes.
    ("a", 'say \\"hi\\" there', BS, "a='say \"hi\" there'"),
    ("a", "it\\'s fine", BS, 'a="it\'s fine"'),
    ("a", "'it'\\''s' x", BS, 'a="it\'s x"'),
    # Backslashes: kept bare where BuildKit keeps them.
    ("a", "C:\\\\dir x", BS, 'a="C:\\dir x"'),
    ("a", "x\\\\ y", BS, 'a="x\\ y"'),
    ("a", "x \\\\", BS, "a='x \\'"),
    ("a", "x \\\\\\$y", BS, "a='x \\$y'"),
    ("a", "b\\", BS, 'a="b"'),
    ("a", "\\", BS, 'a=""'),
    # Variables stay references; literal dollars stay literal.
    ("a", "$B", BS, "a=$B"),
    ("a", "$B c", BS, 'a="$B c"'),
    ("a", "${B:-x y} z", BS, 'a="${B:-x y} z"'),
    ("a", "${B:-'x y'} z", BS, "a=\"${B:-'x y'} z\""),
    ("a", '${B:-"x y"} z', BS, 'a=${B:-"x y"}" z"'),
    ("a", '"$B"c d', BS, 'a="${B}c d"'),
    ("a", "\\$B c", BS, "a='$B c'"),
    ("a", "'$B' c", BS, "a='$B c'"),
    ("a", "$ x", BS, 'a="$ x"'),
    ("a", "$B\\$C d", BS, 'a="$B\\$C d"'),
    ("a", "'$'$B x", BS, 'a="\\$$B x"'),
    ("a", "$1 2", BS, 'a="$1 2"'),
    ("a", "${B#* } c", BS, 'a="${B#* } c"'),
    ("PATH", "/opt/venv/bin:$PATH", BS, "PATH=/opt/venv/bin:$PATH"),
    (
        "maintainer",
        "Jane Doe <jane@example.com>",
        BS,
        'maintainer="Jane Doe <jane@example.com>"',
    ),
    ("a", "b\u00a0c", BS, 'a="b\u00a0c"'),
    # Backtick escape.
    ("a", "b c", BT, 'a="b c"'),
    ("a", "b` c", BT, "a=b` c"),
    ("a", "C:\\Program Files\\x", BT, 'a="C:\\Program Files\\x"'),
    ("a", "C:\\x\\ y\\", BT, 'a="C:\\x\\ y\\"'),
    ("a", 'say `"hi`" x', BT, "a='say \"hi\" x'"),
    ("a", "b`", BT, 'a="b"'),
    ("a", "$B` c", BT, "a=$B` c"),
    ("a", "$B c", BT, 'a="$B c"'),
    ("a", "`$B c", BT, "a='$B c'"),
]


@pytest.mark.parametrize(("key", "value_raw", "escape", "expected"), FIX_CASES)
def test_key_value_fix(key: str, value_raw: str, escape: str, expected: str) -> None:
    assert key_value_fix(key, value_raw, escape) == expected


@pytest.mark.parametrize(("key", "value_raw", "escape", "expected"), FIX_CASES)
def test_key_value_fix_keeps_meaning(
    key: str, value_raw: str, escape: str, expected: str
) -> None:
    fixed_value = expected[len(key) + 1 :]
    assert process_word(fixed_value, escape) == process_word(value_raw, escape)
    for env in ({}, {"B": ""}, {"B": "v w"}, {"B": "a b", "C": "c"}):
        assert expand(fixed_value, env, escape) == expand(value_raw, env, escape)


@pytest.mark.parametrize(("key", "value_raw", "escape", "expected"), FIX_CASES)
def test_key_value_fix_parses_in_buildkit(
    key: str, value_raw: str, escape: str, expected: str
) -> None:
    if not value_raw.endswith(escape):
        assert _oracle(f"{key} {value_raw}", escape) == (key, value_raw)
    assert _oracle(expected, escape) == (key, expected[len(key) + 1 :])


@pytest.mark.parametrize(
    ("key", "value_raw"),
    [
        ("a", "it's"),
        ("a", '"b'),
        ("a", "b 'c"),
        ("a", "${B"),
        ("a", "${B:=x}"),
        ("a", "${}"),
        ("a=b", "c"),
        ('"a"', "c"),
        ("a'", "c"),
        ("", "c"),
        ("--a", "c"),
        ("a\u00a0b", "c"),
        # A default mixing quoted and bare blanks fits neither quoting.
        ("a", '${B:-" "x y} z'),
    ],
)
def test_key_value_fix_gives_up(key: str, value_raw: str) -> None:
    assert key_value_fix(key, value_raw) is None


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much],
)
@given(
    value=st.text(alphabet="ab${}\"'\\\t=- ", min_size=1, max_size=16),
    escape=st.sampled_from([BS, BT]),
)
def test_key_value_fix_property(value: str, escape: str) -> None:
    value_raw = value.strip(" \t")
    assume(value_raw)
    try:
        want = process_word(value_raw, escape)
    except WordError:
        assert key_value_fix("k", value_raw, escape) is None
        return
    fixed = key_value_fix("k", value_raw, escape)
    if fixed is None:
        return
    assert fixed.startswith("k=")
    assert process_word(fixed[2:], escape) == want
    assert _oracle(fixed, escape) == ("k", fixed[2:])


def test_expansion_is_bounded() -> None:
    from python_docker_hooks._dockerfile.words import MAX_EXPANSION

    half = "x" * (MAX_EXPANSION // 2)
    assert len(expand("$A$A", {"A": half})) == MAX_EXPANSION
    with pytest.raises(WordError, match="expansion longer than"):
        expand("$A$A$A", {"A": half})
    with pytest.raises(WordError, match="expansion longer than"):
        expand("${A//x/yy}", {"A": half + half})


@pytest.mark.parametrize(
    ("value", "escape", "word"),
    [
        ("Jane Doe <j@x>", "\\", '"Jane Doe <j@x>"'),
        ('say "hi"', "\\", '"say \\"hi\\""'),
        ("$HOME", "\\", '"\\$HOME"'),
        ("a\\b", "\\", '"a\\\\b"'),
        ("a\\b", "`", '"a\\b"'),
        ("tick`", "`", '"tick``"'),
        ("line\nbreak", "\\", None),
    ],
)
def test_literal_word(value: str, escape: str, word: str | None) -> None:
    from python_docker_hooks._dockerfile.words import literal_word

    assert literal_word(value, escape) == word
    if word is not None:
        assert process_word(word, escape) == (("lit", value),)


@pytest.mark.parametrize("escape", ["\\", "`"])
@pytest.mark.parametrize(
    "raw", ["plain", "a/b/*.txt", "x=y", "~/x", "{a,b}", "C:\\dir", "a`b", "", "\u00e9t\u00e9"]
)
def test_a_word_with_nothing_for_the_lexer_is_its_own_value(raw: str, escape: str) -> None:
    # BuildKit's lexer acts on '$', quotes and the escape character only; the
    # shortcut must give what the full lexer gives.
    from python_docker_hooks._dockerfile.words import _eval, expand, process_word

    assert expand(raw, {"a": "1"}, escape) == _eval(process_word(raw, escape), {"a": "1"})


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "  a  b  ",
        "a\tb\nc\vd\fe\rf",
        "x\u00a0y\u2003z\u3000w\x85v",
        "--mount=type=cache,target=/root/.cache pip install -r req.txt",
        "\u00e9t\u00e9 caf\u00e9",
    ],
)
def test_words_without_quotes_or_escapes_are_the_runs_between_spaces(text: str) -> None:
    # The shortcut for text with no quote and no escape character gives what
    # the scan of BuildKit's parseWords gives.
    from python_docker_hooks._dockerfile.words import (
        _GO_SPACE,
        _UNSPACED,
        _scan_words,
        split_words,
    )

    assert all(_UNSPACED.fullmatch(ch) is None for ch in _GO_SPACE if ch.isascii())
    assert all(_UNSPACED.fullmatch(chr(c)) for c in range(128) if chr(c) not in _GO_SPACE)
    assert split_words(text) == _scan_words(text, "\\")
    assert split_words(text, "`") == _scan_words(text, "`")
