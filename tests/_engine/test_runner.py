"""The shared runner with rules made up for the test: choosing non-overlapping fixes,
fix rounds and how they are reported, refusals and internal errors.

File handling (bad input, atomic writes) has its own tests: test_bad_input.py and
test_atomic_write.py.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from python_docker_hooks._command import main_for, run_hook
from python_docker_hooks._engine.runner import _choose_fixes, process
from python_docker_hooks._engine.vocabulary import (
    FIX_SAFE,
    FIX_UNSAFE,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)
from python_docker_hooks._output.text import report_lines

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from python_docker_hooks._dockerfile.parse import Dockerfile
    from python_docker_hooks._engine.vocabulary import Context

RULE = Rule("TST001", "test-hook", "a made-up rule", fix=FIX_SAFE)
OTHER = Rule("TST002", "test-hook", "another made-up rule", fix=FIX_SAFE)


def spec(check: Callable[[Dockerfile, Context], Iterator[Finding]], *rules: Rule) -> HookSpec:
    return HookSpec(
        "test-hook", rules or (RULE, OTHER), check, name="test", description="test"
    )


def finding(*spans: tuple[int, int], safety: str = FIX_SAFE) -> Finding:
    edits = [Edit(start, end, "x") for start, end in spans]
    return Finding(RULE, 0, "m", Fix(edits, safety))


@pytest.mark.parametrize(
    ("spans", "chosen"),
    [
        pytest.param([[(0, 2)], [(2, 4)]], [0, 1], id="touching-replacements"),
        pytest.param([[(0, 3)], [(2, 4)]], [0], id="overlapping-replacements"),
        pytest.param([[(5, 5)], [(5, 5)]], [0], id="two-insertions-at-one-point"),
        pytest.param([[(2, 6)], [(6, 6)]], [0], id="insertion-at-end-of-replacement"),
        pytest.param([[(4, 4)], [(4, 8)]], [0], id="replacement-from-insertion-point"),
        pytest.param([[(3, 3)], [(4, 4)]], [0, 1], id="insertions-apart"),
        pytest.param(
            [[(10, 12)], [(0, 2)], [(1, 11)]], [0, 1], id="later-span-earlier"
        ),
        pytest.param(
            [[(0, 1), (20, 21)], [(10, 11)], [(21, 22)]],
            [0, 1, 2],
            id="touching-a-multi-edit-fix",
        ),
        pytest.param(
            [[(0, 1), (20, 21)], [(10, 11), (20, 20)]],
            [0],
            id="multi-edit-fix-conflicts-in-one-edit",
        ),
        pytest.param(
            [[(30, 40)], [(0, 5)], [(10, 15)], [(4, 11)], [(35, 35)]],
            [0, 1, 2],
            id="out-of-order",
        ),
    ],
)
def test_choose_fixes(spans: list[list[tuple[int, int]]], chosen: list[int]) -> None:
    findings = [finding(*s) for s in spans]
    assert _choose_fixes(findings, (FIX_SAFE,)) == [findings[i] for i in chosen]


def test_choose_fixes_skips_disallowed_safety() -> None:
    unsafe, safe = finding((0, 1), safety=FIX_UNSAFE), finding((0, 1))
    assert _choose_fixes([unsafe, safe], (FIX_SAFE,)) == [safe]
    assert _choose_fixes([unsafe, safe], (FIX_SAFE, FIX_UNSAFE)) == [unsafe]


def test_choose_fixes_is_not_quadratic() -> None:
    """A generated file can hold a fixable finding on each of 100,000 lines."""
    findings = [finding((n * 3, n * 3 + 1)) for n in range(20_000)]
    began = time.thread_time()
    assert len(_choose_fixes(findings, (FIX_SAFE,))) == 20_000
    # Linear takes a few milliseconds; quadratic, about a minute.
    assert time.thread_time() - began < 5


def tag_check(*tags: str) -> Callable[[Dockerfile, Context], Iterator[Finding]]:
    """A check that wants each tag right after ``RUN `` on every RUN line; all the
    fixes insert at the same point, so only one can apply per round."""

    def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
        for ins in model.instructions:
            if ins.keyword != "RUN":
                continue
            at = ins.pos(0)
            for rule, tag in zip((RULE, OTHER), tags):
                if tag not in ins.args:
                    yield Finding(rule, at, f"wants {tag}", Fix([Edit(at, at, tag)]))

    return check


def test_fix_deferred_to_a_later_round_is_reported_as_fixed() -> None:
    data = b"FROM a\nRUN x\n"
    result = process(data, "Dockerfile", [spec(tag_check("[p]", "[q]"))])
    assert result.output == b"FROM a\nRUN [q][p]x\n"
    # Positions in the text the run leaves: [q], inserted in the second round
    # at the point [p] went in the first, moved [p] on.
    assert report_lines(result) == [
        "2:5: TST002 wants [q] (fixed)",
        "2:8: TST001 wants [p] (fixed)",
    ]
    assert result.remaining == []


def test_fix_rounds_on_many_findings_stay_linear() -> None:
    data = b"FROM a\n" + b"RUN x\n" * 20_000
    began = time.thread_time()
    result = process(data, "Dockerfile", [spec(tag_check("[p]"))])
    assert result.output == b"FROM a\n" + b"RUN [p]x\n" * 20_000
    assert len(report_lines(result)) == 20_000
    assert time.thread_time() - began < 10


def test_fixes_that_never_converge_are_refused_with_the_findings() -> None:
    def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
        at = model.instructions[-1].end
        yield Finding(RULE, at, "more", Fix([Edit(at, at, "x")]))

    result = process(b"FROM a\n", "Dockerfile", [spec(check)])
    assert result.refusal == "fixes did not converge after 8 rounds; file left unchanged"
    assert (result.changed, result.output, result.status) == (False, None, 1)
    # What is wrong is still said, positioned in the file as it is.
    assert report_lines(result) == ["1:7: TST001 more [*]"]


def test_fix_that_breaks_the_file_is_refused() -> None:
    def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
        if "<<" not in model.text:
            at = len(model.text)
            yield Finding(RULE, at, "m", Fix([Edit(at, at, "RUN <<EOF\n")]))

    result = process(b"FROM a\n", "Dockerfile", [spec(check)])
    assert result.refusal == (
        "a fix would make the file unparsable (unterminated heredoc); file left unchanged"
    )
    assert (result.changed, result.output, report_lines(result)) == (False, None, ["2:1: TST001 m [*]"])


def test_internal_error_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_check(model: Dockerfile, context: Context) -> Iterator[Finding]:
        raise RuntimeError("boom\nsecond line")
        yield  # a generator, like real checks

    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM a\nRUN x\n")
    other = tmp_path / "Containerfile"
    other.write_bytes(b"FROM a\nRUN x\n")
    capsys.readouterr()
    code = run_hook(spec(broken_check), [str(path), str(other)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == ""
    lines = captured.out.splitlines()
    # Every file gets its line: one broken file does not stop the run.
    assert len(lines) == 2
    # In path order: Containerfile before Dockerfile.
    for name, line in zip((other, path), lines):
        assert line.startswith(f"{name}: internal error in test_runner.py:")
        assert line.endswith(
            " (broken_check): RuntimeError: boom; file left unchanged "
            "(please report this with the file)"
        )
    assert path.read_bytes() == b"FROM a\nRUN x\n"


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean"
    clean.write_bytes(b"FROM a\nRUN [p]x\n")
    dirty = tmp_path / "dirty"
    dirty.write_bytes(b"FROM a\nRUN x\n")
    hook = spec(tag_check("[p]"))
    assert run_hook(hook, [str(clean)]) == 0
    assert run_hook(hook, ["--no-fix", str(dirty)]) == 1
    assert dirty.read_bytes() == b"FROM a\nRUN x\n"
    assert run_hook(hook, [str(clean), str(dirty)]) == 1
    assert dirty.read_bytes() == b"FROM a\nRUN [p]x\n"
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        run_hook(hook, ["--no-such-option"])
    assert info.value.code == 2


def test_config_error_is_printed_once_per_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_docker_hooks._engine.config import clear_cache

    clear_cache()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.python-docker-hooks]\nignor = []\n')
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(b"FROM a\nRUN x\n")
    capsys.readouterr()
    code = run_hook(spec(tag_check("[p]")), ["a", "b"])
    clear_cache()
    assert code == 2
    assert capsys.readouterr().out == (
        'pyproject.toml: unknown key "ignor" in [tool.python-docker-hooks]\n'
    )
    assert (tmp_path / "a").read_bytes() == b"FROM a\nRUN x\n"


def test_unknown_code_in_own_pragma_is_reported_in_a_clean_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from python_docker_hooks.pip_no_cache_dir import main

    path = tmp_path / "Dockerfile"
    path.write_bytes(
        b"FROM python:3.12-slim\n# python-docker-hooks: ignore=PDH999\nRUN pip install --no-cache-dir x\n"
    )
    capsys.readouterr()
    assert main([str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}:2:1: warning: unknown code 'PDH999' in python-docker-hooks pragma\n"
    )


# --- many hooks on one parse ---------------------------------------------------


def test_hooks_run_together_on_one_parse_and_fix_in_one_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import python_docker_hooks._dockerfile.parse as parse_module

    parses = []
    real_parse = parse_module.parse

    def counting_parse(text: str) -> Dockerfile:
        parses.append(text)
        return real_parse(text)

    monkeypatch.setattr(parse_module, "parse", counting_parse)
    first = HookSpec("first", (RULE,), tag_check("[p]"), name="a", description="a")
    second = HookSpec(
        "second", (OTHER,), _only_other(tag_check("", "[q]")), name="b", description="b"
    )
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM a\nRUN x\n")
    capsys.readouterr()
    assert main_for([first, second], ["--no-fix", str(path)], prog="both") == 1
    # One read, one parse, both hooks' findings, in position then code order.
    assert len(parses) == 1
    assert capsys.readouterr().out == (
        f"{path}:2:5: TST001 wants [p] [*]\n{path}:2:5: TST002 wants [q] [*]\n"
    )
    parses.clear()
    assert main_for([first, second], [str(path)], prog="both") == 1
    # Both fixes insert at one point: one per round, two rounds, one write.
    assert path.read_bytes() == b"FROM a\nRUN [q][p]x\n"
    assert len(parses) == 3
    assert capsys.readouterr().out == (
        f"{path}:2:5: TST002 wants [q] (fixed)\n"
        f"{path}:2:8: TST001 wants [p] (fixed)\n"
        f"Fixing {path}\n"
    )


def _only_other(
    check: Callable[[Dockerfile, Context], Iterator[Finding]],
) -> Callable[[Dockerfile, Context], Iterator[Finding]]:
    def only(model: Dockerfile, context: Context) -> Iterator[Finding]:
        return (f for f in check(model, context) if f.rule is OTHER)

    return only


def test_a_finding_of_a_rule_not_run_is_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = Rule("TST003", "test-hook", "not declared by the hook")

    def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
        yield Finding(stray, 0, "from nowhere")

    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM a\n")
    capsys.readouterr()
    assert run_hook(spec(check, RULE), [str(path)]) == 2
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: internal error in runner.py:")
    assert "hook test-hook reported TST003, which is not one of the rules" in out


def test_results_are_data_with_offsets_and_positions_computed_on_demand() -> None:
    result = process(b"FROM a\r\nRUN x\r\n", "Dockerfile", [spec(tag_check("[p]"))], fix=False)
    (found,) = result.findings
    assert (found.rule, found.start, found.end) == (RULE, 12, 12)
    assert (found.line, found.col, found.end_line, found.end_col) == (2, 5, 2, 5)
    assert (found.fixed, found.severity, found.fixable((FIX_SAFE,))) == (False, "warning", True)
    assert (result.changed, result.output, result.refusal, result.status) == (False, None, None, 1)


def test_refusals_come_back_as_data() -> None:
    result = process(b"FROM a\n\x00", "Dockerfile", [spec(tag_check("[p]"))])
    assert result.status == 1
    assert result.findings == []
    assert result.refusal is not None and "NUL" in result.refusal


# --- the command line ------------------------------------------------------------


def test_usage_errors_are_argparse_s(capsys: pytest.CaptureFixture[str]) -> None:
    from python_docker_hooks._engine.registry import spec

    with pytest.raises(SystemExit) as exc:
        run_hook(spec("pip-no-cache-dir"), ["--what", "Dockerfile"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "pip-no-cache-dir: error: unrecognized arguments: --what"
    )
