"""env-key-value: catches, does-not-catch and fixes-to tables, run through the hook.

Every fix is also held to its promise with BuildKit's own parser: the fixed file
parses, and each ENV/LABEL value processes to the same word as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hookrun import LISTING_B, as_bytes, run

from python_docker_hooks._dockerfile.parse import parse
from python_docker_hooks._dockerfile.text import decode
from python_docker_hooks._dockerfile.words import WordError, process_word

HOOK = "env_key_value"


def legacy(pos: str, key: str, keyword: str = "ENV", fixable: bool = True) -> str:
    line = (
        f'{pos}: PDH401 legacy "{keyword} {key} value" format; '
        f'use "{keyword} {key}=value"'
    )
    return line + " [*]" if fixable else line


# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
CATCHES = [
    pytest.param("FROM x\nENV A b\n", [legacy("2:5", "A")], id="env"),
    pytest.param(
        "FROM x\nLABEL maintainer Jane Doe <j@x>\n",
        [legacy("2:7", "maintainer", "LABEL")],
        id="label",
    ),
    pytest.param("FROM x\nONBUILD ENV A b c\n", [legacy("2:13", "A")], id="onbuild"),
    pytest.param(
        "FROM x\nENV A b\nENV C=d\nLABEL e f\n",
        [legacy("2:5", "A"), legacy("4:7", "e", "LABEL")],
        id="several",
    ),
    pytest.param(
        "FROM x\nENV \\\n  A b\n", [legacy("3:3", "A")], id="key-on-next-line"
    ),
    pytest.param(b"FROM x\r\nENV A b c\r\n", [legacy("2:5", "A")], id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM x\nENV A b\n", [legacy("2:5", "A")], id="bom"),
    pytest.param("FROM x\nENV A b", [legacy("2:5", "A")], id="no-final-newline"),
    pytest.param("from x\nenv A b\n", [legacy("2:5", "A")], id="lowercase-keywords"),
    pytest.param(
        "# escape=`\nFROM x\nENV PATH C:\\Python `\n  ;C:\\Tools\n",
        [legacy("3:5", "PATH")],
        id="backtick-escape",
    ),
    pytest.param(
        "FROM x\nENV A one \\\n# between\n  two\n",
        [legacy("2:5", "A")],
        id="continuation-with-comment",
    ),
    pytest.param(
        "FROM x\nRUN <<EOF\nset -e\nmake\nEOF\nENV A b\n",
        [legacy("6:5", "A")],
        id="after-heredoc",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\nFROM x\nENV A b\n",
        [legacy("4:5", "A")],
        id="directives-skipping-another-check",
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=PDH301\nENV A b\n",
        [legacy("3:5", "A")],
        id="pragma-for-another-code",
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=PDH401\nENV A b\nENV C d\n",
        [legacy("4:5", "C")],
        id="pragma-covers-only-the-next-instruction",
    ),
    pytest.param(
        "FROM x\nRUN <<EOF\n# python-docker-hooks: ignore=PDH401\nEOF\nENV A b\n",
        [legacy("5:5", "A")],
        id="pragma-text-in-heredoc-is-data",
    ),
    # Values for which no equivalent `key=value` can be proven: reported, not fixed.
    pytest.param(
        "FROM x\nENV MSG don't panic\n",
        [legacy("2:5", "MSG", fixable=False)],
        id="unterminated-single-quote",
    ),
    pytest.param(
        'FROM x\nENV A "b c\n',
        [legacy("2:5", "A", fixable=False)],
        id="unterminated-double-quote",
    ),
    pytest.param(
        "FROM x\nENV A ${B\n",
        [legacy("2:5", "A", fixable=False)],
        id="bad-substitution",
    ),
    pytest.param(
        'FROM x\nENV A say \\\n  "hi"\n',
        [legacy("2:5", "A", fixable=False)],
        id="requoting-across-lines",
    ),
    pytest.param(
        'FROM x\nLABEL "com.example.vendor" ACME\n',
        [legacy("2:7", '"com.example.vendor"', "LABEL", fixable=False)],
        id="quoted-key",
    ),
]

# Exit 0, no output, bytes unchanged.
DOES_NOT_CATCH = [
    pytest.param("FROM x\nENV A=b\n", id="env"),
    pytest.param('FROM x\nENV A=b C="d e" F=\n', id="env-several"),
    pytest.param('FROM x\nLABEL maintainer="Jane Doe <j@x>"\n', id="label"),
    pytest.param("FROM x\nONBUILD ENV A=b\n", id="onbuild"),
    pytest.param("FROM x\nARG A\nARG B=c\n", id="arg"),
    pytest.param(
        'FROM x\nRUN echo ENV A b\nCMD ["ENV", "A", "b"]\n', id="words-in-run"
    ),
    pytest.param("FROM x\n# ENV A b\n", id="comment"),
    pytest.param(b"FROM x\r\nENV A=b\r\n", id="crlf"),
    pytest.param(b"\xef\xbb\xbfFROM x\nENV A=b\n", id="bom"),
    pytest.param("FROM x\nENV A=b", id="no-final-newline"),
    pytest.param("from x\nenv A=b\nlabel c=d\n", id="lowercase-keywords"),
    pytest.param(
        "# escape=`\nFROM x\nENV PATH=C:\\Python `\n  TOOLS=C:\\Tools\n",
        id="backtick-escape",
    ),
    pytest.param(
        "FROM x\nENV A=b \\\n# and c\n  C=d\n", id="continuation-with-comment"
    ),
    pytest.param("FROM x\nRUN <<EOF\nENV A b\nEOF\n", id="run-heredoc"),
    pytest.param("FROM x\nCOPY <<EOF /etc/app.env\nENV A b\nEOF\n", id="copy-heredoc"),
    pytest.param(
        "# syntax=docker/dockerfile:1\nFROM x\nENV A=b\n", id="parser-directive"
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=PDH401\nENV A b\n", id="pragma"
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=LegacyKeyValueFormat\nENV A b\n",
        id="pragma-by-buildkit-name",
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=PDH401\nONBUILD ENV A \\\n# c\n  b c\n",
        id="pragma-above-continued-onbuild",
    ),
    pytest.param(
        "# check=skip=LegacyKeyValueFormat\nFROM x\nENV A b\n", id="check-skip"
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended,LegacyKeyValueFormat;"
        "error=true\nFROM x\nLABEL a b\n",
        id="check-skip-list",
    ),
    pytest.param("# check=skip=all\nFROM x\nENV A b\n", id="check-skip-all"),
    pytest.param(
        "# python-docker-hooks: global ignore=PDH401\nFROM x\nENV A b\nLABEL c d\n",
        id="global-ignore",
    ),
]

# (input, exact bytes after the fix); a second run exits 0 and changes nothing.
FIXES_TO = [
    pytest.param("FROM x\nENV A b\n", "FROM x\nENV A=b\n", id="plain"),
    pytest.param("FROM x\nENV A b c\n", 'FROM x\nENV A="b c"\n', id="two-words"),
    pytest.param(
        "FROM x\nLABEL maintainer Jane Doe <j@x>\n",
        'FROM x\nLABEL maintainer="Jane Doe <j@x>"\n',
        id="label-maintainer",
    ),
    pytest.param("FROM x\nENV A    b\n", "FROM x\nENV A=b\n", id="wide-separator"),
    pytest.param("FROM x\nENV A\tb\n", "FROM x\nENV A=b\n", id="tab-separator"),
    pytest.param(
        "FROM x\nENV PATH /opt/venv/bin:$PATH\n",
        "FROM x\nENV PATH=/opt/venv/bin:$PATH\n",
        id="path-variable",
    ),
    pytest.param(
        "FROM x\nENV PATH /opt/my app/bin:${PATH}\n",
        'FROM x\nENV PATH="/opt/my app/bin:${PATH}"\n',
        id="braced-variable-with-space",
    ),
    pytest.param(
        "FROM x\nENV A ${X:-y} z\n",
        'FROM x\nENV A="${X:-y} z"\n',
        id="default-modifier",
    ),
    pytest.param(
        "FROM x\nENV A cost $ 5\n", 'FROM x\nENV A="cost $ 5"\n', id="lone-dollar"
    ),
    pytest.param(
        "FROM x\nENV A \\$HOME x\n", "FROM x\nENV A='$HOME x'\n", id="escaped-dollar"
    ),
    pytest.param('FROM x\nENV A "b c"\n', 'FROM x\nENV A="b c"\n', id="already-quoted"),
    pytest.param(
        'FROM x\nENV A say "hi"\n', 'FROM x\nENV A="say hi"\n', id="inner-quotes"
    ),
    pytest.param(
        'FROM x\nENV A say \\"hi\\"\n',
        "FROM x\nENV A='say \"hi\"'\n",
        id="escaped-double-quotes",
    ),
    pytest.param("FROM x\nENV A 'b c'\n", "FROM x\nENV A='b c'\n", id="single-quoted"),
    pytest.param(
        "FROM x\nENV A 'x \"y\" z'\n",
        "FROM x\nENV A='x \"y\" z'\n",
        id="double-quotes-in-single-quotes",
    ),
    pytest.param(
        "FROM x\nENV A a\\ b\n", "FROM x\nENV A=a\\ b\n", id="escaped-space-stays"
    ),
    pytest.param(
        "FROM x\nENV A a\\\\b c\n",
        'FROM x\nENV A="a\\b c"\n',
        id="escaped-backslash",
    ),
    pytest.param(
        "FROM x\nENV A b\\\\\n", "FROM x\nENV A='b\\'\n", id="trailing-backslash"
    ),
    pytest.param("FROM x\nENV A a\tb\n", 'FROM x\nENV A="a\tb"\n', id="tab-in-value"),
    pytest.param(
        "FROM x\nENV A a   b  c\n", 'FROM x\nENV A="a   b  c"\n', id="spaces-kept"
    ),
    pytest.param(
        "FROM x\nENV A b # not a comment\n",
        'FROM x\nENV A="b # not a comment"\n',
        id="hash-in-value",
    ),
    pytest.param("FROM x\nENV A b=c\n", "FROM x\nENV A=b=c\n", id="equals-in-value"),
    pytest.param(
        "FROM x\nENV A one \\\n  two\n",
        'FROM x\nENV A="one \\\n  two"\n',
        id="value-over-two-lines",
    ),
    pytest.param(
        "FROM x\nENV A \\\n  b\n", "FROM x\nENV A=b\n", id="value-on-next-line"
    ),
    pytest.param(
        "FROM x\nENV A one \\\n# between\n  two\n",
        'FROM x\nENV A="one \\\n# between\n  two"\n',
        id="continuation-with-comment-in-value",
    ),
    pytest.param(
        "FROM x\nENV A \\\n# the value\n  b c\n",
        'FROM x\nENV A=\\\n# the value\n"b c"\n',
        id="continuation-with-comment-before-value",
    ),
    pytest.param(
        b"FROM x\r\nENV A \\\r\n# c\r\n  \\\r\n  b\r\n",
        b"FROM x\r\nENV A=\\\r\n# c\r\n\\\r\nb\r\n",
        id="comment-and-empty-piece-before-value-crlf",
    ),
    pytest.param(
        "FROM x\nONBUILD ENV A b c\n", 'FROM x\nONBUILD ENV A="b c"\n', id="onbuild"
    ),
    pytest.param(
        "FROM x\nONBUILD LABEL a b\n", "FROM x\nONBUILD LABEL a=b\n", id="onbuild-label"
    ),
    pytest.param(
        b"FROM x\r\nENV A b c\r\nLABEL d e\r\n",
        b'FROM x\r\nENV A="b c"\r\nLABEL d=e\r\n',
        id="crlf",
    ),
    pytest.param(
        b"\xef\xbb\xbfFROM x\nENV A b c\n",
        b'\xef\xbb\xbfFROM x\nENV A="b c"\n',
        id="bom",
    ),
    pytest.param("FROM x\nENV A b c", 'FROM x\nENV A="b c"', id="no-final-newline"),
    pytest.param(
        "from x\nenv A b\nlabel c d e\n",
        'from x\nenv A=b\nlabel c="d e"\n',
        id="lowercase-keywords",
    ),
    pytest.param(
        "# escape=`\nFROM x\nENV PATH C:\\Python;C:\\Python\\Scripts `\n  ;D:\\x\n",
        '# escape=`\nFROM x\nENV PATH="C:\\Python;C:\\Python\\Scripts `\n  ;D:\\x"\n',
        id="backtick-escape",
    ),
    pytest.param(
        "# escape=`\nFROM x\nENV APPDIR C:\\Program Files\\app\n",
        '# escape=`\nFROM x\nENV APPDIR="C:\\Program Files\\app"\n',
        id="backtick-escape-windows-path",
    ),
    pytest.param(
        "FROM x\nRUN <<EOF\nENV A b\nEOF\nENV A b\n",
        "FROM x\nRUN <<EOF\nENV A b\nEOF\nENV A=b\n",
        id="heredoc",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\n# escape=\\\nFROM x\nENV A b c\n",
        '# syntax=docker/dockerfile:1\n# escape=\\\nFROM x\nENV A="b c"\n',
        id="parser-directives",
    ),
    pytest.param(
        "FROM x\n# python-docker-hooks: ignore=PDH401\nENV A b\nENV C d\n",
        "FROM x\n# python-docker-hooks: ignore=PDH401\nENV A b\nENV C=d\n",
        id="suppressed-one-stays",
    ),
    pytest.param(
        # BuildKit's parser ends the directives at a `#!` line: the escape stays
        # a backslash, the backtick is part of the value and `c` is an instruction.
        "#!/usr/bin/env buildctl\n# escape=`\nFROM x\nENV A b `\n  c\n",
        '#!/usr/bin/env buildctl\n# escape=`\nFROM x\nENV A="b `"\n  c\n',
        id="escape-after-shebang-is-a-comment",
    ),
]


def _buildkit_view(
    content: str | bytes,
) -> tuple[str, list[tuple[str, tuple[object, ...]]]]:
    """The file's escape character and BuildKit's (instruction, value) list, with
    each ENV/LABEL value replaced by its processed form."""
    dockerfile = pytest.importorskip("dockerfile")
    text, _ = decode(as_bytes(content))
    escape = parse(text).escape
    view: list[tuple[str, tuple[object, ...]]] = []
    for command in dockerfile.parse_string(text):
        name = command.cmd.upper()
        if command.sub_cmd:
            name += " " + command.sub_cmd.upper()
        value: tuple[object, ...] = tuple(command.value)
        if name.split()[-1] in ("ENV", "LABEL"):
            processed: list[object] = []
            for key, raw in zip(value[0::2], value[1::2]):
                try:
                    word: object = process_word(str(raw), escape)
                except WordError as exc:
                    word = f"error: {exc}"
                processed += [key, word]
            value = tuple(processed)
        view.append((name, value))
    return escape, view


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_buildkit_reads_the_same_values(
    before: str | bytes, after: str | bytes
) -> None:
    escape, old = _buildkit_view(before)
    new_escape, new = _buildkit_view(after)
    assert new_escape == escape
    assert new == old
    # And the values are real words, not errors kept equal.
    for _, value in new:
        assert not any(isinstance(v, str) and v.startswith("error: ") for v in value)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            # BuildKit reads `check` with ParseDirective, which skips a `#!` first
            # line (its own test: "#!/bin/sh\n# check = skip=all\nFROM busybox").
            "#!/usr/bin/env buildctl\n# check=skip=LegacyKeyValueFormat\nFROM x\nENV A b\n",
            id="check-after-shebang",
        ),
        pytest.param(
            # ParseDirective returns the value up to its first space: "skip=all".
            "#check=skip=all // opts\nFROM x\nENV A b\n",
            id="check-value-ends-at-a-space",
        ),
    ],
)
def test_buildkit_check_directive_edges(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(HOOK, content, tmp_path, capsys)
    assert (result.code, result.lines, result.data) == (0, [], content.encode())


def test_listing_b_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(HOOK, LISTING_B, tmp_path, capsys)
    assert (result.code, result.lines, result.data) == (0, [], LISTING_B.encode())


def test_tables_have_parser_directive_rows() -> None:
    """Beyond the shared shapes (``tables.SHAPES``): every table has a row that
    starts with a parser directive."""
    for table in (CATCHES, DOES_NOT_CATCH, FIXES_TO):
        assert any(as_bytes(p.values[0]).startswith(b"# syntax=") for p in table)
