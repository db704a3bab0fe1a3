"""The ``dockerignore`` pathspec pattern class against moby/patternmatcher.

Every vector of moby/patternmatcher's ``patternmatcher_test.go`` is a row here
(the vectors are facts about BuildKit's matcher; the tests are ours). A row's
``text`` is given to the matcher as moby's table tests give it (not cleaned);
the top-level rows clean the path first, as moby's package functions do.
"""

from __future__ import annotations

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
from python_docker_hooks._dockerignore.patterns import DockerIgnorePattern, PatternError
from python_docker_hooks._dockerignore.syntax import (
    EXACT,
    PREFIX,
    REGEXP,
    SUFFIX,
    CompiledPattern,
    compile_pattern,
    read_line,
    to_python,
)
from python_docker_hooks._go import go_clean


def spec(patterns: list[str]) -> pathspec.PathSpec[pathspec.Pattern]:
    return pathspec.PathSpec.from_lines("dockerignore", patterns)


def matches_or_parent(patterns: list[str], text: str) -> bool:
    """moby's ``PatternMatcher.MatchesOrParentMatches(text)``."""
    return spec(patterns).match_file(text)


def package_matches(text: str, patterns: list[str]) -> bool:
    """moby's package-level ``MatchesOrParentMatches(file, patterns)``: the file is
    cleaned, and ``.`` (the whole context) never matches."""
    compiled = spec(patterns)
    cleaned = go_clean(text)
    if cleaned == ".":
        return False
    return compiled.match_file(cleaned)


def test_from_lines_knows_the_name() -> None:
    compiled = pathspec.PathSpec.from_lines("dockerignore", ["**/__pycache__"])
    assert all(isinstance(p, DockerIgnorePattern) for p in compiled.patterns)
    assert compiled.match_file("app/__pycache__/x.pyc")


# --- TestWildcardMatches ... TestMatchesWithMalformedPatterns ----------------------

PACKAGE_ROWS = [
    # (file, patterns, matched)
    ("fileutils.go", ["*"], True),  # TestWildcardMatches
    ("fileutils.go", ["*.go"], True),  # TestPatternMatches
    ("fileutils.go", ["!fileutils.go", "*.go"], True),  # exclusion before a match
    ("docs/README.md", ["docs", "!docs/README.md"], False),  # folder, then exception
    ("docs/README.md", ["docs/", "!docs/README.md"], False),  # folder with slash
    ("docs/README.md", ["docs/*", "!docs/README.md"], False),  # folder wildcard
    ("fileutils.go", ["*.go", "!fileutils.go"], False),  # exception after a match
    (".", ["*.go"], False),  # the whole context is never matched
    ("/any/path/there", [], False),  # TestMatchesWithNoPatterns
]


@pytest.mark.parametrize(("text", "patterns", "matched"), PACKAGE_ROWS)
def test_package_level_matching(text: str, patterns: list[str], matched: bool) -> None:
    assert package_matches(text, patterns) is matched


@pytest.mark.parametrize("patterns", [["!"], ["["]])
def test_single_exclamation_and_malformed_pattern_are_errors(patterns: list[str]) -> None:
    with pytest.raises(PatternError):
        spec(patterns)


# --- TestMatches ---------------------------------------------------------------------

MATCHES = [
    ("**", "file", True),
    ("**", "file/", True),
    ("**/", "file", True),
    ("**/", "file/", True),
    ("**", "/", True),
    ("**/", "/", True),
    ("**", "dir/file", True),
    ("**/", "dir/file", True),
    ("**", "dir/file/", True),
    ("**/", "dir/file/", True),
    ("**/**", "dir/file", True),
    ("**/**", "dir/file/", True),
    ("dir/**", "dir/file", True),
    ("dir/**", "dir/file/", True),
    ("dir/**", "dir/dir2/file", True),
    ("dir/**", "dir/dir2/file/", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/*", "dir/dir2/file/", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file/", True),
    ("**file", "file", True),
    ("**file", "dir/file", True),
    ("**/file", "dir/file", True),
    ("**file", "dir/dir/file", True),
    ("**/file", "dir/dir/file", True),
    ("**/file*", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True),
    ("**/file*txt", "dir/dir/file.txt", True),
    ("**/file*.txt", "dir/dir/file.txt", True),
    ("**/file*.txt*", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True),
    ("**/**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/file.txt", True),
    ("a**/*.txt", "a/dir/file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt", "a/file.txt", True),
    ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False),
    ("a[b-d]e", "ace", True),
    ("a[b-d]e", "aae", False),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcdef", False),
    ("abc.def", "abc.def", True),
    ("abc.def", "abcZdef", False),
    ("abc?def", "abcZdef", True),
    ("abc?def", "abcdef", False),
    ("a\\\\", "a\\", True),
    ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "dir/foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def", True),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a(b)c/def", "a(b)c/xyz", False),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    (
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        True,
    ),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    # Added by moby's table on every system but Windows (where '\' separates).
    ("a\\*b", "a*b", True),
]


@pytest.mark.parametrize(("pattern", "text", "matched"), MATCHES)
def test_matches(pattern: str, text: str, matched: bool) -> None:
    assert matches_or_parent([pattern], text) is matched


MULTI = [
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (
        ["**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"],
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        False,
    ),
    (
        ["**", "!dist/*.whl"],
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        False,
    ),
]


@pytest.mark.parametrize(("patterns", "text", "matched"), MULTI)
def test_matches_several_patterns(patterns: list[str], text: str, matched: bool) -> None:
    assert matches_or_parent(patterns, text) is matched


# --- TestCleanPatterns* ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "kept", "exceptions"),
    [
        (["docs", "config"], 2, False),  # TestCleanPatterns
        (["docs", "config", ""], 2, False),  # ...StripEmptyPatterns
        (["docs", "!docs/README.md"], 2, True),  # ...ExceptionFlag
        (["docs", "  !docs/README.md"], 2, True),  # ...LeadingSpaceTrimmed
        (["docs", "!docs/README.md  "], 2, True),  # ...TrailingSpaceTrimmed
    ],
)
def test_clean_patterns(patterns: list[str], kept: int, exceptions: bool) -> None:
    compiled = [DockerIgnorePattern(p) for p in patterns]
    active = [p for p in compiled if p.include is not None]
    assert len(active) == kept
    assert any(p.include is False for p in active) is exceptions


def test_clean_patterns_error_single_exception() -> None:
    with pytest.raises(PatternError, match="illegal exclusion pattern"):
        DockerIgnorePattern("!")


# --- TestMatch (Go's own filepath.Match vectors, through the matcher) -----------------

GO_MATCH = [
    # (pattern, name, matched, bad pattern)
    ("abc", "abc", True, False),
    ("*", "abc", True, False),
    ("*c", "abc", True, False),
    ("a*", "a", True, False),
    ("a*", "abc", True, False),
    ("a*", "ab/c", True, False),
    ("a*/b", "abc/b", True, False),
    ("a*/b", "a/c/b", False, False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True, False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True, False),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False, False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False, False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True, False),
    ("a*b?c*x", "abxbbxdbxebxczzy", False, False),
    ("ab[c]", "abc", True, False),
    ("ab[b-d]", "abc", True, False),
    ("ab[e-g]", "abc", False, False),
    ("ab[^c]", "abc", False, False),
    ("ab[^b-d]", "abc", False, False),
    ("ab[^e-g]", "abc", True, False),
    ("a\\*b", "a*b", True, False),
    ("a\\*b", "ab", False, False),
    ("a?b", "a☺b", True, False),
    ("a[^a]b", "a☺b", True, False),
    ("a???b", "a☺b", False, False),
    ("a[^a][^a][^a]b", "a☺b", False, False),
    ("[a-ζ]*", "α", True, False),
    ("*[a-ζ]", "A", False, False),
    ("a?b", "a/b", False, False),
    ("a*b", "a/b", False, False),
    ("[\\]a]", "]", True, False),
    ("[\\-]", "-", True, False),
    ("[x\\-]", "x", True, False),
    ("[x\\-]", "-", True, False),
    ("[x\\-]", "z", False, False),
    ("[\\-x]", "x", True, False),
    ("[\\-x]", "-", True, False),
    ("[\\-x]", "a", False, False),
    ("[]a]", "]", False, True),
    ("[-]", "-", False, True),
    ("[x-]", "x", False, True),
    ("[x-]", "-", False, True),
    ("[x-]", "z", False, True),
    ("[-x]", "x", False, True),
    ("[-x]", "-", False, True),
    ("[-x]", "a", False, True),
    ("\\", "a", False, True),
    ("[a-b-c]", "a", False, True),
    ("[", "a", False, True),
    ("[^", "a", False, True),
    ("[^bc", "a", False, True),
    ("a[", "a", False, True),
    ("a[", "ab", False, True),
    ("*x", "xxx", True, False),
]


@pytest.mark.parametrize(("pattern", "name", "matched", "bad"), GO_MATCH)
def test_go_filepath_match_vectors(pattern: str, name: str, matched: bool, bad: bool) -> None:
    if bad:
        with pytest.raises(PatternError):
            spec([pattern])
    else:
        assert package_matches(name, [pattern]) is matched


# --- TestCompile ---------------------------------------------------------------------

COMPILE = [
    ("*", REGEXP, "^[^/]*$"),
    ("file*", REGEXP, "^file[^/]*$"),
    ("*file", REGEXP, "^[^/]*file$"),
    ("a*/b", REGEXP, "^a[^/]*/b$"),
    ("**", SUFFIX, None),
    ("**/**", REGEXP, "^(.*/)?.*$"),
    ("dir/**", PREFIX, None),
    ("**/dir", SUFFIX, None),
    ("**/dir2/*", REGEXP, "^(.*/)?dir2/[^/]*$"),
    ("**/dir2/**", REGEXP, "^(.*/)?dir2/.*$"),
    ("**file", SUFFIX, None),
    ("**/file*txt", REGEXP, "^(.*/)?file[^/]*txt$"),
    ("**/**/*.txt", REGEXP, "^(.*/)?(.*/)?[^/]*\\.txt$"),
    ("a[b-d]e", REGEXP, "^a[b-d]e$"),
    (".*", REGEXP, "^\\.[^/]*$"),
    ("abc.def", EXACT, None),
    ("abc?def", REGEXP, "^abc[^/]def$"),
    ("**/foo/bar", SUFFIX, None),
    ("a(b)c/def", EXACT, None),
    ("a.|)$(}+{bc", EXACT, None),
    ("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", EXACT, None),
]


@pytest.mark.parametrize(("pattern", "kind", "regexp"), COMPILE)
def test_compile(pattern: str, kind: str, regexp: str | None) -> None:
    assert compile_pattern(go_clean(pattern)) == (kind, regexp)


def test_class_valid_for_filepath_match_but_not_for_re2_is_refused() -> None:
    # moby/moby#52203: "[Local-Only]/" passes patternmatcher.New (filepath.Match
    # accepts the reversed range l-O) and fails as ErrBadPattern when matched, so
    # the build fails; here the pattern is refused when it is made.
    with pytest.raises(PatternError, match="invalid character class range 'l-O'"):
        DockerIgnorePattern("[Local-Only]/")


# --- RE2 meaning kept in classes and escapes ----------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "matched"),
    [
        # '*' inside a class becomes "[^/]*" in the regexp, which RE2 reads as a
        # class "[[^/]" repeated, then a literal ']'.
        ("[*]", "*", False),
        ("[*]", "[[]", True),
        ("[[:digit:]]x", "7x", True),
        ("[[:digit:]]x", "ax", False),
        ("a\\d", "a7", True),  # '\d' is RE2's digit class
        ("a\\s", "a\v", False),  # RE2's \s has no \v
        ("a\\$", "a$", True),
        ("x[^a]b", "x/b", True),  # a negated class matches "/"
        ("a*", "a\n", True),
    ],
)
def test_regexp_keeps_re2_meaning(pattern: str, text: str, matched: bool) -> None:
    assert matches_or_parent([pattern], text) is matched


@pytest.mark.parametrize("pattern", ["a\\q", "a\\8", "a\\1", "[\\b]x"])
def test_invalid_re2_escape_is_refused(pattern: str) -> None:
    with pytest.raises(PatternError, match="not a valid Go regular expression"):
        DockerIgnorePattern(pattern)


# --- ignorefile.ReadAll ----------------------------------------------------------------

READ_ALL = """\
test1
/test2
/a/file/here

lastfile
# this is a comment
! /inverted/abs/path
!
! """


def test_read_all() -> None:
    read = [read_line(line) for line in READ_ALL.split("\n")]
    assert [p for p in read if p is not None] == [
        "test1",
        "test2",
        "a/file/here",
        "lastfile",
        "!inverted/abs/path",
        "!",
        "!",
    ]


def test_read_all_of_nothing() -> None:
    assert IgnoreFile("").patterns == []


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ("  # not a comment", "# not a comment"),  # '#' counts only in column 1
        ("#comment", None),
        ("./a/../b/", "b"),
        ("/", "/"),
        ("//a", "a"),
        ("\t.git\r", ".git"),
        ("\u00a0.env\u3000", ".env"),  # Go's TrimSpace: Unicode blanks
        ("\x1c.env", "\x1c.env"),  # ...which do not include \x1c-\x1f
        ("!  /x", "!x"),
    ],
)
def test_read_line(line: str, pattern: str | None) -> None:
    assert read_line(line) == pattern


# --- one matcher, two faces ----------------------------------------------------------

AGREEMENT = [
    *[([p], t) for p, t, _ in MATCHES],
    *[(ps, t) for ps, t, _ in MULTI],
    *[(ps, t) for t, ps, _ in PACKAGE_ROWS],
    *[([p], t) for p, t, _, bad in GO_MATCH if not bad],
]


@pytest.mark.parametrize(("patterns", "text"), AGREEMENT)
def test_ignore_file_decides_as_the_pathspec(patterns: list[str], text: str) -> None:
    """The hooks match through IgnoreFile (no pathspec import); it must give the
    answer PathSpec.from_lines("dockerignore", ...) gives, the context root aside
    (never excluded)."""
    if go_clean(text).strip("/") in ("", "."):
        assert IgnoreFile("\n".join(patterns)).decide(text) == (False, None)
        return
    assert IgnoreFile("\n".join(patterns)).decide(text)[0] is package_matches(text, patterns)


@pytest.mark.parametrize("examples", [1000, pytest.param(3000, marks=pytest.mark.heavy)])
def test_the_plain_text_test_before_the_regex_changes_no_answer(examples: int) -> None:
    """``CompiledPattern.matches`` tries its regular expression only on a path
    holding the pattern's plain text (``plain_text``), and compiles it then:
    its answer is the regular expression's, written as patternmatcher writes
    it (``compile_pattern``, then RE2 read as Python)."""
    @settings(max_examples=examples, deadline=None)
    @given(
        st.text(alphabet="ab.*?[]^\\-+|(){}$/!:", min_size=1, max_size=10),
        st.lists(st.text(alphabet="ab.-]\\^*?[+|(){}$\n", min_size=1, max_size=4), min_size=1, max_size=4),
    )
    def check(line: str, segments: list[str]) -> None:
        try:
            pattern = CompiledPattern(line)
        except PatternError:
            return
        if pattern.kind != REGEXP:
            return
        assert pattern.re2 is not None
        path = "/".join(segments)
        assert pattern.matches(path) == (to_python(pattern.re2).search(path) is not None)

    check()
