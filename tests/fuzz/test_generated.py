"""Properties of every hook, and of the parse, on Dockerfiles drawn from a grammar.

- no exception from decode, parse, check or fix but a clean refusal;
- a run that fixes nothing reports what a report-only run reports;
- a file that could be checked can be fixed (a fix never makes the file unparsable
  and always converges), and fixing twice changes nothing the second time;
- the fixed file still parses with BuildKit when the original did;
- our parse reads the instructions BuildKit reads: keyword, lines, exec form,
  flags, heredoc bodies, command text; and refuses what BuildKit refuses;
- a ``# python-docker-hooks: ignore=<code>`` (or hadolint's, for a mapped code)
  line above an instruction removes that code's findings on it, and only those.

Each property is a test of a plain run (``FUZZ_QUICK``) and a ``_full`` test of the
heavy profile (``FUZZ``, ``pytest -m heavy``).
"""

from __future__ import annotations

import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st

from fuzz.strategies import dockerfiles
from fuzz.support import (
    FUZZ,
    FUZZ_QUICK,
    HOOK_IDS,
    buildkit,
    buildkit_lines,
    instruction_lines,
    ours,
    run,
    text_of,
)
from python_docker_hooks._dockerfile.parse import Dockerfile
from python_docker_hooks._dockerfile.text import decode, newline_of
from python_docker_hooks._engine.registry import all_rules, hook_module
from python_docker_hooks._output.text import report_lines


def check_fix_properties(data: bytes, hook_id: str, unsafe: bool) -> None:
    """The properties every hook must have on any input (see the module docstring)."""
    report = run(data, hook_id, fix=False, unsafe=unsafe)
    fixed = run(data, hook_id, fix=True, unsafe=unsafe)
    if report is None:
        event("refused")
        assert fixed is None, "refused when checking but not when fixing"
        return
    assert fixed is not None, (
        "a fix refused (made the file unparsable or did not converge)"
    )
    if not fixed.changed:
        event("findings, none fixed" if report.findings else "clean")
        assert fixed.output is None
        assert report_lines(fixed) == report_lines(report)
        return
    event("fixed")
    assert fixed.output is not None and fixed.output != data
    note(f"fixed: {fixed.output!r}")
    again = run(fixed.output, hook_id, fix=True, unsafe=unsafe)
    assert again is not None, "the fixed file is refused"
    assert not again.changed, f"a second fix changed it again: {again.output!r}"
    before = text_of(data)
    after = text_of(fixed.output)
    assert before is not None and after is not None
    if buildkit(before) is not None:
        event("fixed, and BuildKit reads the original")
        assert buildkit(after) is not None, "BuildKit cannot parse the fixed file"


@pytest.mark.parametrize("hook_id", HOOK_IDS)
@FUZZ_QUICK
@given(data=dockerfiles(), unsafe=st.booleans())
def test_hooks_on_generated_files(hook_id: str, data: bytes, unsafe: bool) -> None:
    check_fix_properties(data, hook_id, unsafe)


@pytest.mark.heavy
@pytest.mark.parametrize("hook_id", HOOK_IDS)
@FUZZ
@given(data=dockerfiles(), unsafe=st.booleans())
def test_hooks_on_generated_files_full(hook_id: str, data: bytes, unsafe: bool) -> None:
    check_fix_properties(data, hook_id, unsafe)


def _buildkit_today_differs(model: Dockerfile) -> bool:
    """The BuildKit bundled with the oracle ends the directives at ``check``,
    which it predates; BuildKit today reads on, as our parse does."""
    names = [d.name for d in model.directives]
    if "check" not in names:
        return False
    if names[-1] != "check":
        return True
    after = model.directives[-1].line + 1
    return any(line == after for line, _ in model.comments)


@FUZZ_QUICK
@given(data=dockerfiles())
def test_parse_agrees_with_buildkit(data: bytes) -> None:
    check_parse_agrees(data)


@pytest.mark.heavy
@FUZZ
@given(data=dockerfiles())
def test_parse_agrees_with_buildkit_full(data: bytes) -> None:
    check_parse_agrees(data)


def check_parse_agrees(data: bytes) -> None:
    text = text_of(data)
    if text is None:
        return
    commands = buildkit(text)
    model = ours(data)
    if commands is None:
        event("BuildKit refuses it")
        assert model is None, "BuildKit refuses this file but our parse reads it"
        return
    assert model is not None, "BuildKit reads this file but our parse refuses it"
    if _buildkit_today_differs(model):
        event("the oracle's BuildKit predates the check directive")
        return
    event("BuildKit reads it")
    assert instruction_lines(model) == buildkit_lines(commands)


def _pragma_for(code: str) -> str:
    """Our pragma for ``code``, or hadolint's when the rule maps to a hadolint code
    (chosen by the code's last digit, so both forms get exercised)."""
    rule = next(r for r in all_rules() if r.code == code)
    if rule.hadolint and int(code[-1]) % 2:
        return f"# hadolint ignore={rule.hadolint}"
    return f"# python-docker-hooks: ignore={code}"


@pytest.mark.parametrize("hook_id", HOOK_IDS)
@FUZZ_QUICK
@given(data=dockerfiles())
def test_pragma_above_an_instruction_silences_its_code(
    hook_id: str, data: bytes
) -> None:
    check_pragma(data, hook_id)


@pytest.mark.heavy
@pytest.mark.parametrize("hook_id", HOOK_IDS)
@FUZZ
@given(data=dockerfiles())
def test_pragma_above_an_instruction_silences_its_code_full(
    hook_id: str, data: bytes
) -> None:
    check_pragma(data, hook_id)


def check_pragma(data: bytes, hook_id: str) -> None:
    report = run(data, hook_id, fix=False)
    model = ours(data)
    if report is None or model is None or not report.findings:
        return
    target = report.findings[0]
    instruction = next(
        (i for i in model.instructions if i.start_line <= target.line <= i.end_line),
        None,
    )
    if instruction is None:
        event("a finding about the file, not an instruction")
        return
    event(f"pragma for {target.code}")
    text, bom = decode(data)
    start = model.line_start(instruction.start_line)
    pragma = _pragma_for(target.code) + newline_of(text)
    silenced = (b"\xef\xbb\xbf" if bom else b"") + (
        text[:start] + pragma + text[start:]
    ).encode()
    note(f"with pragma: {silenced!r}")
    after = run(silenced, hook_id, fix=False)
    assert after is not None

    def shifted(line: int) -> int:
        return line + 1 if line >= instruction.start_line else line

    covered = range(shifted(instruction.start_line), shifted(instruction.end_line) + 1)
    assert not [
        f for f in after.findings if f.code == target.code and f.line in covered
    ]
    # Everything else is still reported, one line further down after the pragma.
    others = sorted(
        (f.code, shifted(f.line), f.col)
        for f in report.findings
        if not (
            f.code == target.code
            and instruction.start_line <= f.line <= instruction.end_line
        )
    )
    assert sorted((f.code, f.line, f.col) for f in after.findings) == others


def test_hooks_of_the_registry_are_covered() -> None:
    """Hooks added later are fuzzed without new test code."""
    assert HOOK_IDS and all(hasattr(hook_module(h), "check") for h in HOOK_IDS)
