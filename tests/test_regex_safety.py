"""Every regular expression in ``hooks/`` stays linear on hostile file text.

Patterns are found two ways: compiled patterns held by a module (at top level or in
a top-level container), and the literal first argument of every ``re.compile`` /
``re.match`` / ``re.search`` / ... call in the source. A call whose pattern is built
at run time must be listed in ``DYNAMIC`` with the instances it can build.

Each pattern must pass a static check (no repeat inside a repeat, no repeated
alternation whose branches can start alike) and then run on inputs made of the
characters it repeats over, with near-miss endings, through the same methods the
code calls on it (``search`` and the like try every start position, so a pattern
that is fine under ``match`` can be quadratic there). Sizes grow fourfold from 4 KB
to 256 KB in a plain run, and on to 1 MB with ``pytest -m heavy``, so super-linear
growth shows (and fails) long before an input could hang the run.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import python_docker_hooks
from python_docker_hooks._dockerfile.text import LazyPattern

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # the deprecated names are the only ones on 3.10
    import sre_constants
    import sre_parse

PACKAGE = Path(python_docker_hooks.__file__).resolve().parent
RE_FUNCTIONS = frozenset(
    {
        "compile",
        "match",
        "fullmatch",
        "search",
        "sub",
        "subn",
        "split",
        "findall",
        "finditer",
    }
)
MEGABYTE = 1 << 20
# The largest input of a plain run: the fourfold steps up to it already show a
# quadratic pattern (16 times the time per step), at a sixteenth of the cost.
PLAIN_LARGEST = 1 << 18
# Generous: linear patterns take milliseconds on 1 MB. Times are this thread's CPU
# time, so a busy machine does not make a linear pattern look slow.
BOUND = 2.0


def _words_runs() -> list[re.Pattern[str]]:
    from python_docker_hooks._dockerfile.words import _run_re

    escapes = ("\\", "`")
    stops = ("", "}", "/")
    built = [_run_re("$'\"" + esc + stop) for esc in escapes for stop in stops]
    built += [_run_re('"$' + esc) for esc in escapes]
    return built


def _dockerignore_patterns() -> list[re.Pattern[str]]:
    """What .dockerignore lines compile to: every shape patternmatcher builds
    (``*``, ``?``, classes, a ``**`` inside, a trailing ``**``, escapes)."""
    from python_docker_hooks._dockerignore.syntax import compile_pattern, to_python

    lines = (
        "*",
        "**/*.txt",
        "**/**/*.txt",
        "a*/b",
        "**/dir2/**",
        "abc?def",
        "a[b-d]e",
        "[^a]*",
        "a\\*b",
        "**/*venv",
        "[[:digit:]]*",
        "*.py[cod]",
    )
    built = []
    for line in lines:
        _, re2 = compile_pattern(line)
        assert re2 is not None
        built.append(to_python(re2))
    return built


def _file_selection() -> list[re.Pattern[str]]:
    from python_docker_hooks._engine.files import FILE_SELECTION

    return [re.compile(p) for pair in FILE_SELECTION.values() for p in pair]


# (module, function) of a call whose pattern is built at run time -> its instances.
DYNAMIC = {
    ("python_docker_hooks._engine.files", "selects"): _file_selection,
    ("python_docker_hooks._dockerfile.words", "_run_re"): _words_runs,
    ("python_docker_hooks._dockerignore.syntax", "_compile"): _dockerignore_patterns,
    # LazyPattern compiles what it was given: each LazyPattern(...) call is read
    # as a literal re.compile above.
    ("python_docker_hooks._dockerfile.text", "compiled"): list,
}


class Found:
    """One pattern, where it comes from, and how the code calls it."""

    def __init__(self, pattern: re.Pattern[str], where: str, methods: set[str]) -> None:
        self.pattern = pattern
        self.where = where
        self.methods = methods

    def __repr__(self) -> str:
        return f"{self.where}: {self.pattern.pattern!r}"


def module_names() -> list[str]:
    """Every module of the package, subpackages included."""
    return sorted(
        info.name
        for info in pkgutil.walk_packages([str(PACKAGE)], prefix="python_docker_hooks.")
        if not info.ispkg
    )


def _source(module: str) -> str:
    relative = Path(*module.split(".")[1:]).with_suffix(".py")
    return (PACKAGE / relative).read_text(encoding="utf-8")


def _methods_used(source: str, name: str) -> set[str]:
    """Pattern methods the source calls on ``name`` (also through an alias)."""
    found = set(re.findall(rf"\b{re.escape(name)}\.([a-z]+)\b", source))
    return (found & RE_FUNCTIONS) or {"match", "fullmatch", "search"}


def _held_patterns(value: object, depth: int = 0) -> list[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        return [value]
    if isinstance(value, LazyPattern):
        return [value.compiled]
    if depth >= 2:
        return []
    items: list[Any] = []
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    return [p for item in items for p in _held_patterns(item, depth + 1)]


class _Calls(ast.NodeVisitor):
    """``re.<function>(pattern, ...)`` calls: literal patterns and dynamic sites."""

    def __init__(self) -> None:
        self.literal: list[tuple[int, str, int, str]] = []  # line, pattern, flags, fn
        self.dynamic: list[tuple[int, str]] = []  # line, enclosing function
        self.imports: list[int] = []
        self.function = "<module>"

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "re":
            self.imports.append(node.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        # LazyPattern(pattern, flags) compiles as re.compile does, on first use.
        lazy = isinstance(func, ast.Name) and func.id == "LazyPattern"
        if (
            lazy
            or isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "re"
            and func.attr in RE_FUNCTIONS
        ) and node.args:
            function = "compile" if lazy else func.attr  # type: ignore[union-attr]
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                flags = 0
                for flag in node.args[1:] if function == "compile" else []:
                    flags |= _literal_flags(flag)
                for kw in node.keywords:
                    if kw.arg == "flags":
                        flags |= _literal_flags(kw.value)
                self.literal.append((node.lineno, arg.value, flags, function))
            else:
                self.dynamic.append((node.lineno, self.function))
        self.generic_visit(node)


def _literal_flags(node: ast.expr) -> int:
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "re"
    ):
        return int(getattr(re, node.attr))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _literal_flags(node.left) | _literal_flags(node.right)
    raise AssertionError(f"flags not written as re.<FLAG>: {ast.dump(node)}")


def collect() -> list[Found]:
    found: list[Found] = []
    seen: set[tuple[str, int]] = set()

    def add(pattern: re.Pattern[str], where: str, methods: set[str]) -> None:
        key = (pattern.pattern, pattern.flags)
        if key not in seen:
            seen.add(key)
            found.append(Found(pattern, where, methods))

    for module in module_names():
        mod = importlib.import_module(module)
        source = _source(module)
        for name, value in sorted(vars(mod).items()):
            for pattern in _held_patterns(value):
                add(pattern, f"{module}.{name}", _methods_used(source, name))
        calls = _Calls()
        calls.visit(ast.parse(source))
        assert not calls.imports, (
            f"{module}: `from re import ...` at lines {calls.imports} hides patterns "
            "from this test; call re.<function> instead"
        )
        for line, text, flags, function in calls.literal:
            methods = (
                {"match", "fullmatch", "search"}
                if function == "compile"
                else {function}
            )
            add(re.compile(text, flags), f"{module}:{line}", methods)
        for line, function in calls.dynamic:
            builder = DYNAMIC.get((module, function))
            assert builder is not None, (
                f"{module}:{line} builds a pattern at run time in {function}(); add its "
                "instances to DYNAMIC in this test"
            )
            for pattern in builder():
                add(pattern, f"{module}:{line} ({function})", {"match", "search"})
    return found


PATTERNS = collect()


def test_patterns_were_found() -> None:
    """The collection itself works: known patterns of the parse and a hook are in it."""
    wheres = {f.where for f in PATTERNS}
    assert "python_docker_hooks._dockerfile.parse._DIRECTIVE" in wheres
    assert "python_docker_hooks._dockerfile.programs._PIP" in wheres
    assert "python_docker_hooks.no_alpine_python._ALPINE_TAG" in wheres
    assert any(w.startswith("python_docker_hooks._dockerfile.words:") for w in wheres)


# --- static check ---------------------------------------------------------------

_REPEATS = {
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    *(
        [sre_constants.POSSESSIVE_REPEAT]
        if hasattr(sre_constants, "POSSESSIVE_REPEAT")
        else []
    ),
}


def _unbounded(max_count: int) -> bool:
    return max_count > 1


def _children(op: Any, av: Any) -> list[Any]:
    """Sub-patterns of one parsed node."""
    if op in _REPEATS:
        return [av[2]]
    if op is sre_constants.SUBPATTERN:
        return [av[-1]]
    if op is sre_constants.BRANCH:
        return list(av[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]
    if op is sre_constants.GROUPREF_EXISTS:
        return [p for p in av[1:] if p is not None]
    if hasattr(sre_constants, "ATOMIC_GROUP") and op is sre_constants.ATOMIC_GROUP:
        return [av]
    return []


def _contains_repeat(sub: Any) -> bool:
    for op, av in sub:
        if op in _REPEATS and _unbounded(av[1]):
            return True
        if any(_contains_repeat(child) for child in _children(op, av)):
            return True
    return False


def _first_chars(sub: Any) -> set[str] | None:
    """Characters a match of ``sub`` can start with among a probe set (None: any)."""
    for op, av in sub:
        if op is sre_constants.AT:
            continue
        if op in _REPEATS:
            inner = _first_chars(av[2])
            if av[0] == 0:
                return None  # may be skipped: the next item counts too (be safe)
            return inner
        if op is sre_constants.SUBPATTERN:
            return _first_chars(av[-1])
        if op is sre_constants.BRANCH:
            result: set[str] = set()
            for alt in av[1]:
                chars = _first_chars(alt)
                if chars is None:
                    return None
                result |= chars
            return result
        return {ch for ch in _PROBE if _matches_one(op, av, ch)}
    return None


_PROBE = [chr(c) for c in range(32, 127)] + ["\t", "\n", "\r", "\x00", "\xe9", "\u4e2d"]


def _matches_one(op: Any, av: Any, ch: str) -> bool:
    pattern = sre_parse.SubPattern(sre_parse.State(), [(op, av)])
    try:
        compiled = re.compile(_unparse_one(pattern))
    except (re.error, ValueError):  # a node we cannot rebuild: assume the worst
        return True
    return compiled.fullmatch(ch) is not None


def _unparse_one(sub: Any) -> str:
    """A regex for one single-character node (literal, class, any, category)."""
    ((op, av),) = list(sub)
    if op is sre_constants.LITERAL:
        return re.escape(chr(av))
    if op is sre_constants.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]"
    if op is sre_constants.ANY:
        return "."
    if op is sre_constants.IN:
        return _class(av)
    raise ValueError(op)


def _class(items: Any) -> str:
    parts = []
    negate = ""
    for op, av in items:
        if op is sre_constants.NEGATE:
            negate = "^"
        elif op is sre_constants.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is sre_constants.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre_constants.CATEGORY:
            parts.append(_CATEGORIES[av])
        else:
            raise ValueError(op)
    return f"[{negate}{''.join(parts)}]"


_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
}


def nested_quantifiers(pattern: str, flags: int = 0) -> list[str]:
    """Why ``pattern`` can backtrack exponentially: repeats that hold a repeat, and
    repeated alternations whose branches can start with the same character."""
    problems: list[str] = []

    def walk(sub: Any) -> None:
        for op, av in sub:
            if op in _REPEATS and _unbounded(av[1]):
                if _contains_repeat(av[2]):
                    problems.append(f"repeat {{{av[0]},{av[1]}}} holds another repeat")
                if _ambiguous_branch(av[2]):
                    problems.append(
                        f"repeat {{{av[0]},{av[1]}}} holds an alternation whose "
                        "branches can start alike (or be empty)"
                    )
            for child in _children(op, av):
                walk(child)

    walk(sre_parse.parse(pattern, flags))
    return problems


def _ambiguous_branch(sub: Any) -> bool:
    # The parser factors common prefixes out (``a|aa`` becomes ``a(?:|a)``), so an
    # empty branch counts as overlapping too.
    for op, av in sub:
        if op is sre_constants.BRANCH and _overlap(av[1]):
            return True
        if op not in _REPEATS and any(_ambiguous_branch(c) for c in _children(op, av)):
            return True
    return False


def _overlap(alts: Any) -> bool:
    seen: set[str] = set()
    for alt in alts:
        chars = _first_chars(alt)
        if chars is None or chars & seen:
            return True
        seen |= chars
    return False


@pytest.mark.parametrize(
    ("pattern", "bad"),
    [
        (r"(a+)+b", True),
        (r"(?:\w*\s?)*$", True),
        (r"(a|aa)*c", True),
        (r"(?:ab|cd)*", False),
        (r"(?:x|y)+", False),
        (r"(a*)?", False),
        (r"pip(?:\d+(?:\.\d+)?)?", False),
        (r"[^ \t]+", False),
        (r"(\d{2,})+", True),
        (r"(?:a{1,3}){2}", True),
    ],
)
def test_static_check_itself(pattern: str, bad: bool) -> None:
    assert bool(nested_quantifiers(pattern)) is bad


@pytest.mark.parametrize("found", PATTERNS, ids=[f.where for f in PATTERNS])
def test_no_nested_quantifiers(found: Found) -> None:
    assert nested_quantifiers(found.pattern.pattern, found.pattern.flags) == []


# --- dynamic check ----------------------------------------------------------------


def _sample(
    sub: Any, pump: int | None, counter: list[int], size: int, run: list[str]
) -> str:
    """A string ``sub`` matches, with repeat number ``pump`` run to about ``size``
    characters (that run alone is appended to ``run``)."""
    out: list[str] = []
    for op, av in sub:
        if op in _REPEATS:
            index = counter[0]
            counter[0] += 1
            body = _sample(av[2], pump, counter, size, run)
            if index == pump and _unbounded(av[1]) and body:
                count = min(av[1], max(av[0], size // len(body)))
                run.append(body * count)
            else:
                count = av[0] if av[0] > 0 else (1 if av[1] == 1 else 0)
            out.append(body * count)
        elif op is sre_constants.SUBPATTERN:
            out.append(_sample(av[-1], pump, counter, size, run))
        elif op is sre_constants.BRANCH:
            out.append(_sample(av[1][0], pump, counter, size, run))
            for alt in av[1][1:]:
                _count_repeats(alt, counter)
        elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        elif op is sre_constants.LITERAL:
            out.append(chr(av))
        else:
            out.append(_one_char(op, av))
    return "".join(out)


def _count_repeats(sub: Any, counter: list[int]) -> None:
    for op, av in sub:
        if op in _REPEATS:
            counter[0] += 1
        for child in _children(op, av):
            _count_repeats(child, counter)


def _one_char(op: Any, av: Any) -> str:
    for ch in _PROBE:
        if _matches_one(op, av, ch):
            return ch
    return "a"


def _repeat_count(pattern: re.Pattern[str]) -> int:
    counter = [0]
    _count_repeats(sre_parse.parse(pattern.pattern, pattern.flags), counter)
    return counter[0]


NEAR_MISS = ["", "\x00", "\n", "!", " ", "=", ".", "\u4e2d"]


def adversarial(pattern: re.Pattern[str], size: int) -> list[str]:
    """Inputs of about ``size`` characters: each repeat pumped in a match of the
    whole pattern, the same run alone, and every near-miss ending after each."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    bodies: list[str] = []
    for pump in range(_repeat_count(pattern)):
        run: list[str] = []
        bodies.append(_sample(parsed, pump, [0], size, run))
        bodies.extend(run[:1])
    return [body[:size] + suffix for body in bodies for suffix in NEAR_MISS]


def _timed(method: Any, text: str, tries: int = 1) -> float:
    best = float("inf")
    for _ in range(tries):
        began = time.thread_time()
        result = method(text)
        if hasattr(result, "__next__"):
            for _ in result:
                pass
        best = min(best, time.thread_time() - began)
    return best


def _call(pattern: re.Pattern[str], name: str) -> Any:
    if name in ("sub", "subn"):
        return lambda text: getattr(pattern, name)("", text)
    return getattr(pattern, name)


# Known offenders outside the runner: strict xfails, to go when the pattern is fixed.
KNOWN_SUPERLINEAR: dict[str, str] = {}


def _params(*marks: Any) -> list[Any]:
    return [
        pytest.param(
            f,
            id=f.where,
            marks=[
                *marks,
                *(
                    [pytest.mark.xfail(strict=True, reason=KNOWN_SUPERLINEAR[f.where])]
                    if f.where in KNOWN_SUPERLINEAR
                    else []
                ),
            ],
        )
        for f in PATTERNS
    ]


@pytest.mark.parametrize("found", _params())
def test_linear_on_adversarial_input(found: Found) -> None:
    check_linear(found, PLAIN_LARGEST)


@pytest.mark.parametrize("found", _params(pytest.mark.heavy))
def test_linear_on_adversarial_megabyte(found: Found) -> None:
    check_linear(found, MEGABYTE)


def check_linear(found: Found, largest: int) -> None:
    """Time ``found`` on its adversarial inputs from 4 KB up to ``largest``
    characters; fail on a run over ``BOUND`` or on super-linear growth."""
    if nested_quantifiers(found.pattern.pattern, found.pattern.flags):
        pytest.fail("nested quantifiers (see test_no_nested_quantifiers); not run")
    pattern = found.pattern
    methods = sorted(found.methods)
    # times[key]: (size, seconds, input) of that input's last size.
    times: dict[str, tuple[int, float, str]] = {}
    size = 4096
    while size <= largest:
        for index, text in enumerate(adversarial(pattern, size)):
            for name in methods:
                call = _call(pattern, name)
                seconds = _timed(call, text)
                key = f"{name} input {index}"
                # Over the bound, one run is the answer: timing it again on a
                # quadratic pattern would cost minutes at the next size.
                if seconds >= BOUND:
                    pytest.fail(
                        f"{found}: {name}() took {seconds:.2f}s on {size} characters "
                        f"of input {index} (starts {text[:40]!r}, ends {text[-20:]!r})"
                    )
                before = times.get(key)
                # Four times the input costs about four times the time when linear
                # (cache effects make it up to ~8), sixteen times when quadratic.
                # Small times are noise. A suspicious ratio is judged on the least
                # of several runs of both sizes, since load only ever adds time: a
                # first run of the smaller input that came out slow would hide a
                # quadratic step, and the next size would then run for a minute.
                if before is not None and seconds > 0.05 and seconds > 3 * before[1]:
                    earlier = _timed(call, before[2], tries=3)
                    if seconds > 10 * earlier:
                        seconds = min(seconds, _timed(call, text))
                        if seconds > 10 * earlier:
                            pytest.fail(
                                f"{found}: {name}() took {earlier:.4f}s on {before[0]} "
                                f"and {seconds:.4f}s on {size} characters of input "
                                f"{index} (starts {text[:40]!r}, ends {text[-20:]!r})"
                            )
                times[key] = (size, seconds, text)
        size *= 4


def test_dynamic_check_itself() -> None:
    """A quadratic pattern fails the check long before its 1 MB input would hang,
    within the sizes of a plain run (the heavy run's steps up to there are the same)."""
    quadratic = Found(re.compile(r"#[a-z]+=[ \t]*(.*)"), "sample", {"fullmatch"})
    # Its fullmatch takes about 0.1 s on 4 KB, 2 s on 16 KB and 30 s on 64 KB of
    # its worst input: the check must stop at 16 KB at the latest.
    with pytest.raises(
        pytest.fail.Exception, match=r" (4096|16384) characters of input"
    ):
        check_linear(quadratic, PLAIN_LARGEST)


def test_dynamic_check_sees_through_a_slow_first_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Load only adds time: a first run of the 4 KB input that came out four times
    too slow (a ratio of 4 to the 16 KB run, like a linear pattern) does not let a
    quadratic pattern through to 64 KB; the least of further runs decides."""
    runs: dict[str, int] = {}

    def quadratic_time(method: Any, text: str, tries: int = 1) -> float:
        runs[text] = runs.get(text, 0) + tries
        seconds = 0.1 * (len(text) / 4096) ** 2
        return seconds * 4 if runs[text] == 1 and len(text) < 8192 else seconds

    monkeypatch.setattr(sys.modules[__name__], "_timed", quadratic_time)
    found = Found(re.compile(r"#[a-z]+=(.*)"), "sample", {"fullmatch"})
    with pytest.raises(
        pytest.fail.Exception, match=r"on 4096 and 1\.6\d+s on 16384 characters"
    ):
        check_linear(found, PLAIN_LARGEST)
