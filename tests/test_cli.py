"""``python-docker-hooks``: check (files, directories, selection, fix modes, diff,
statistics, exit codes), rules and explain, run as a user runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import CLEAN, FLAWED, FLAWED_FIXED, cli

from python_docker_hooks._engine.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent

ALPINE = (
    "Dockerfile:1:1: PDH201 `python:3.12-alpine` is Alpine (musl): PyPI's manylinux "
    "(glibc) wheels do not install, so a package without a musllinux wheel compiles "
    "from source (slow builds, bigger images); use `python:3.12-slim`"
)
ENV_VARS = (
    "Dockerfile:1:1: PDH301 final Python stage does not set PYTHONDONTWRITEBYTECODE "
    "and PYTHONUNBUFFERED"
)
KEY_VALUE = (
    'Dockerfile:2:5: PDH401 legacy "ENV APP_HOME value" format; use "ENV APP_HOME=value"'
)
PIP = (
    "Dockerfile:3:9: PDH101 `pip install` without `--no-cache-dir` leaves the "
    "package cache in the image"
)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


# --- check: fix modes and output ----------------------------------------------


REPORT = [
    ALPINE,
    f"{ENV_VARS} [*]",
    f"{KEY_VALUE} [*]",
    f"{PIP} [*]",
    "Found 4 findings (3 fixable with --fix)",
]


@pytest.mark.parametrize("argv", [[], ["--no-fix"]], ids=["plain", "no-fix"])
def test_check_reports_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    dockerfile = write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", *argv, "Dockerfile", every_hook=True)
    assert run.code == 1
    assert "Fixing" not in run.out
    # Not even the ignore file the Dockerfile's context lacks is created.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]
    assert dockerfile.read_text(encoding="utf-8") == FLAWED
    shown = cli(capsys, tmp_path, "check", *argv, "Dockerfile")
    assert (shown.code, shown.lines) == (1, REPORT)


def test_fix_applies_safe_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--fix", "Dockerfile")
    assert run.code == 1
    # Sorted by position in the file as the run leaves it: the ENV the fix
    # added is line 3, under the stage's ENV, so the RUN is line 4.
    assert run.lines == [
        ALPINE,
        f"{ENV_VARS} (fixed)",
        KEY_VALUE + " (fixed)",
        PIP.replace(":3:9:", ":4:9:") + " (fixed)",
        "Fixing Dockerfile",
        "Found 4 findings (3 fixed)",
    ]
    assert dockerfile.read_text(encoding="utf-8") == FLAWED_FIXED
    again = cli(capsys, tmp_path, "check", "--fix", "Dockerfile")
    assert again.lines == [ALPINE, "Found 1 finding"]


@pytest.mark.parametrize(
    ("config", "argv", "fixes"),
    [
        ("fix = true\n", [], True),
        ("fix = true\n", ["--no-fix"], False),
        ("fix = false\n", [], False),
        ("fix = false\n", ["--fix"], True),
        ("", [], False),
    ],
    ids=["fix-true", "fix-true-no-fix", "fix-false", "fix-false-fix", "unset"],
)
def test_configuration_fix_makes_fixing_the_default(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    config: str,
    argv: list[str],
    fixes: bool,
) -> None:
    write(tmp_path / "pyproject.toml", "[tool.python-docker-hooks]\n" + config)
    dockerfile = write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", *argv, "Dockerfile")
    assert run.code == 1
    if fixes:
        assert run.lines[-2:] == ["Fixing Dockerfile", "Found 4 findings (3 fixed)"]
        assert dockerfile.read_text(encoding="utf-8") == FLAWED_FIXED
    else:
        assert run.lines == REPORT
        assert dockerfile.read_text(encoding="utf-8") == FLAWED


def test_configuration_fix_must_be_a_boolean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.python-docker-hooks]\nfix = "yes"\n')
    write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "Dockerfile")
    assert (run.code, run.lines) == (
        2,
        ['pyproject.toml: "fix" must be a boolean, not a string'],
    )
    assert (tmp_path / "Dockerfile").read_text(encoding="utf-8") == FLAWED


def test_without_a_command_name_it_is_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    bare = cli(capsys, tmp_path, "--no-fix", "Dockerfile")
    named = cli(capsys, tmp_path, "check", "--no-fix", "Dockerfile")
    assert (bare.code, bare.out) == (named.code, named.out)
    assert bare.code == 1 and len(bare.lines) == 5
    # A file named like a command is reached through `check`.
    write(tmp_path / "rules", CLEAN)
    assert cli(capsys, tmp_path, "check", "rules").lines == ["Found 0 findings"]


def test_clean_file_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "Dockerfile", CLEAN)
    run = cli(capsys, tmp_path, "check", "Dockerfile")
    assert (run.code, run.lines) == (0, ["Found 0 findings"])


def test_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--no-fix", "--exit-zero", "Dockerfile")
    assert run.code == 0 and len(run.lines) == 5
    # A usage or configuration error is still 2.
    write(tmp_path / "bad.toml", "[tool.python-docker-hooks]\nignore = [1]\n")
    bad = cli(capsys, tmp_path, "check", "--exit-zero", "--config", "bad.toml", "Dockerfile")
    assert bad.code == 2


@pytest.mark.parametrize("explicit", [True, False], ids=["config", "discovered"])
@pytest.mark.parametrize("argv", [["--fix"], []], ids=["fix", "report"])
def test_config_error_stops_the_run_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], explicit: bool, argv: list[str]
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    write(tmp_path / "b" / "Dockerfile", FLAWED)
    write(tmp_path / "pyproject.toml", '[tool.python-docker-hooks]\nignore = ["PDH999"]\n')
    config = ["--config", "pyproject.toml"] if explicit else []
    run = cli(capsys, tmp_path, "check", *argv, *config, ".")
    # Said once, and no summary after it: nothing was checked.
    assert (run.code, run.lines, run.err) == (
        2,
        ['pyproject.toml: unknown code "PDH999" in "ignore"'],
        "",
    )
    assert (tmp_path / "Dockerfile").read_text(encoding="utf-8") == FLAWED


def test_every_configuration_error_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    write(
        tmp_path / "pyproject.toml",
        "[tool.python-docker-hooks]\n"
        'ignore = ["PDH999", "PDH101", "DL9999"]\n'
        "colour = true\n"
        "fix = 1\n"
        "[tool.python-docker-hooks.non-root-user]\n"
        'uid = "10001"\n'
        "shell = 1\n"
        "[tool.python-docker-hooks.no-such-hook]\n"
        "x = 1\n",
    )
    run = cli(capsys, tmp_path, "check", "Dockerfile")
    assert (run.code, run.lines) == (
        2,
        [
            'pyproject.toml: unknown code "PDH999" in "ignore"',
            'pyproject.toml: unknown code "DL9999" in "ignore"',
            'pyproject.toml: unknown key "colour" in [tool.python-docker-hooks]',
            'pyproject.toml: "fix" must be a boolean, not an integer',
            ('pyproject.toml: option "uid" in [tool.python-docker-hooks.non-root-user] '
            "must be an integer, not a string"),
            ('pyproject.toml: unknown option "shell" in '
            "[tool.python-docker-hooks.non-root-user]"),
            ('pyproject.toml: unknown hook id "no-such-hook" in '
            "[tool.python-docker-hooks.no-such-hook]"),
        ],
    )


def test_summary_counts_files_with_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A nested project's broken configuration keeps its files from being
    checked; the others are, and the summary counts the ones that were not."""
    write(tmp_path / "Dockerfile", FLAWED)
    write(tmp_path / "sub" / "Dockerfile", FLAWED)
    write(tmp_path / "sub" / "pyproject.toml", "[tool.python-docker-hooks]\nfixx = true\n")
    run = cli(capsys, tmp_path, "check", ".")
    assert run.code == 2
    assert run.lines == [
        *REPORT[:-1],
        'sub/pyproject.toml: unknown key "fixx" in [tool.python-docker-hooks]',
        "Found 4 findings (3 fixable with --fix); 1 file could not be checked",
    ]


def test_unreadable_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "Dockerfile", b"FROM python:3.12-slim\n\xff\n")
    run = cli(capsys, tmp_path, "check", "Dockerfile", "missing/Dockerfile")
    assert run.code == 1
    assert run.lines[1:] == [
        "missing/Dockerfile: no such file",
        "Found 0 findings; 2 files could not be checked",
    ]
    assert run.lines[0].startswith("Dockerfile: ")
    assert "Traceback" not in run.out + run.err


# --- selection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "codes"),
    [
        (["--select", "PDH101"], ["PDH101"]),
        (["--select", "DL3042"], ["PDH101"]),
        (["--select", "LegacyKeyValueFormat"], ["PDH401"]),
        (["--select", "pip-no-cache-dir,no-alpine-python"], ["PDH201", "PDH101"]),
        (["--select", "pdh201", "--select", "PDH401"], ["PDH201", "PDH401"]),
        (["--ignore", "PDH201,python-env-vars"], ["PDH401", "PDH101"]),
        (["--select", "ALL", "--ignore", "DL3042"], ["PDH201", "PDH301", "PDH401"]),
        (["--select", "env-key-value", "--ignore", "PDH401"], []),
    ],
)
def test_select_and_ignore(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    codes: list[str],
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--no-fix", *options, "Dockerfile")
    assert [line.split(" ")[1] for line in run.lines[:-1]] == codes
    assert run.code == (1 if codes else 0)


def test_selection_limits_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--fix", "--select", "PDH401", "Dockerfile")
    assert run.lines == [
        f"{KEY_VALUE} (fixed)",
        "Fixing Dockerfile",
        "Found 1 finding (1 fixed)",
    ]
    assert dockerfile.read_text(encoding="utf-8") == FLAWED.replace(
        "APP_HOME /app", "APP_HOME=/app"
    )


def test_unknown_selection_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--ignore", "PDH101,DL9999", "Dockerfile")
    assert run.code == 2
    assert run.err.splitlines()[-1] == (
        "python-docker-hooks check: error: --ignore: 'DL9999' is not a code, a "
        "hadolint or BuildKit code, or a hook id (see 'python-docker-hooks rules')"
    )
    assert run.out == ""
    assert (tmp_path / "Dockerfile").read_text(encoding="utf-8") == FLAWED


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("DL3008", ("is a hadolint code with no counterpart here (see "
         "'python-docker-hooks rules' for the hadolint codes that map to ours)")),
        ("SC2086", ("is a ShellCheck code (hadolint reports them) with no "
         "counterpart here (see 'python-docker-hooks rules')")),
    ],
)
def test_selecting_another_tool_s_code_without_a_counterpart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, reason: str
) -> None:
    run = cli(capsys, tmp_path, "check", "--select", name, "Dockerfile")
    assert run.code == 2
    assert run.err.splitlines()[-1] == (
        f"python-docker-hooks check: error: --select: {name!r} {reason}"
    )


def test_unsafe_fixes_are_counted_and_applied_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_docker_hooks._engine import registry
    from python_docker_hooks._engine.vocabulary import (
        FIX_UNSAFE,
        Edit,
        Finding,
        Fix,
        HookSpec,
        Rule,
    )

    rule = Rule("PDH901", "shout", "lowercase FROM", fix=FIX_UNSAFE, doc="")

    def check(model, context):  # type: ignore[no-untyped-def]
        for ins in model.instructions:
            if ins.keyword == "FROM" and model.text[ins.start : ins.start + 4] == "from":
                yield Finding(rule, ins.start, "lowercase FROM", Fix(
                    [Edit(ins.start, ins.start + 4, "FROM")], FIX_UNSAFE
                ))

    spec = HookSpec("shout", [rule], check, name="shout", description="shout")
    monkeypatch.setattr(registry, "all_specs", lambda: (spec,))
    monkeypatch.setattr(registry, "specs_for", lambda kinds: (spec,))
    monkeypatch.setattr(registry, "all_rules", lambda: (rule,))
    dockerfile = write(tmp_path / "Dockerfile", "from python:3.12-slim\n")
    safe = cli(capsys, tmp_path, "check", "--fix", "Dockerfile", every_hook=True)
    assert safe.lines == [
        "Dockerfile:1:1: PDH901 lowercase FROM",
        "Found 1 finding (1 fixable with --unsafe-fixes)",
    ]
    # Without --fix, --unsafe-fixes reports what it would fix and writes nothing.
    report = cli(capsys, tmp_path, "check", "--unsafe-fixes", "Dockerfile", every_hook=True)
    assert report.lines == [
        "Dockerfile:1:1: PDH901 lowercase FROM [*]",
        "Found 1 finding (1 fixable with --fix)",
    ]
    assert dockerfile.read_text(encoding="utf-8") == "from python:3.12-slim\n"
    unsafe = cli(
        capsys, tmp_path, "check", "--fix", "--unsafe-fixes", "Dockerfile", every_hook=True
    )
    assert unsafe.lines == [
        "Dockerfile:1:1: PDH901 lowercase FROM (fixed)",
        "Fixing Dockerfile",
        "Found 1 finding (1 fixed)",
    ]
    assert dockerfile.read_text(encoding="utf-8") == "FROM python:3.12-slim\n"


# --- --diff ---------------------------------------------------------------------


def test_diff_prints_the_fix_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b"FROM python:3.12-slim\r\nENV A 1\r\nRUN pip install flask"
    dockerfile = write(tmp_path / "Dockerfile", data)
    run = cli(capsys, tmp_path, "check", "--diff", "Dockerfile")
    assert run.code == 1
    assert run.out == (
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -1,3 +1,4 @@\n"
        " FROM python:3.12-slim\r\n"
        "-ENV A 1\r\n"
        "-RUN pip install flask\n"
        "\\ No newline at end of file\n"
        "+ENV A=1\r\n"
        "+ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\r\n"
        "+RUN pip install --no-cache-dir flask\n"
        "\\ No newline at end of file\n"
    )
    assert run.err == "Would fix 1 file\n"
    assert dockerfile.read_bytes() == data
    if shutil.which("git") is None:
        return
    # git takes the diff as it is and makes the file the fix would write.
    patch = write(tmp_path / "fix.patch", run.out.encode())
    subprocess.run(
        ["git", "apply", "--unsafe-paths", str(patch)], cwd=tmp_path, check=True
    )
    cli(capsys, tmp_path, "check", "--no-fix", "Dockerfile")
    assert dockerfile.read_bytes() == (
        b"FROM python:3.12-slim\r\nENV A=1\r\n"
        b"ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\r\nRUN pip install --no-cache-dir flask"
    )


def test_diff_without_fixes_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "Dockerfile", "FROM python:3.12-alpine\n" + CLEAN.split("\n", 1)[1])
    run = cli(capsys, tmp_path, "check", "--diff", "Dockerfile")
    assert (run.code, run.out, run.err) == (0, "", "No fixes to apply\n")


def test_diff_is_not_with_no_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = cli(capsys, tmp_path, "check", "--diff", "--no-fix", "Dockerfile")
    assert run.code == 2
    assert run.err.splitlines()[-1] == (
        "python-docker-hooks check: error: --diff shows what --fix would do: "
        "not with --no-fix"
    )


@pytest.mark.parametrize(
    ("argv", "fixes"),
    [(["--fix", "--no-fix"], False), (["--no-fix", "--fix"], True)],
    ids=["fix-no-fix", "no-fix-fix"],
)
def test_the_last_of_fix_and_no_fix_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], fixes: bool
) -> None:
    """pre-commit puts a hook's `args` after its entry: the aggregate hook's
    `check --fix` with `args: [--no-fix]` reports only."""
    dockerfile = write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", *argv, "Dockerfile")
    assert run.code == 1
    assert dockerfile.read_text(encoding="utf-8") == (FLAWED_FIXED if fixes else FLAWED)
    # --diff with --fix before it is the diff, and writes nothing.
    write(tmp_path / "Dockerfile", FLAWED)
    diff = cli(capsys, tmp_path, "check", "--fix", "--diff", "Dockerfile")
    assert (diff.code, diff.err) == (1, "Would fix 1 file\n")
    assert dockerfile.read_text(encoding="utf-8") == FLAWED


# --- statistics ------------------------------------------------------------------


def test_statistics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    write(tmp_path / "b" / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--no-fix", "--statistics", ".")
    assert (run.code, run.lines) == (
        1,
        [
            "    2  PDH101  [*] pip install without --no-cache-dir",
            "    2  PDH201      Python stage on an Alpine (musl) base image",
            ("    2  PDH301  [*] final Python stage lacks PYTHONDONTWRITEBYTECODE / "
            "PYTHONUNBUFFERED"),
            "    2  PDH401  [*] legacy ENV/LABEL key value format",
            "Found 8 findings (6 fixable with --fix)",
        ],
    )


def test_statistics_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    write(tmp_path / "Dockerfile", FLAWED)
    run = cli(
        capsys, tmp_path, "check", "--fix", "--statistics", "--format", "json", "Dockerfile"
    )
    assert run.code == 1
    assert json.loads(run.out) == [
        {
            "code": code,
            "hook": hook,
            "count": 1,
            "fixed": fixed,
            "fixable": fixable,
            "summary": summary,
        }
        for code, hook, fixed, fixable, summary in [
            ("PDH101", "pip-no-cache-dir", 1, "safe", "pip install without --no-cache-dir"),
            ("PDH201", "no-alpine-python", 0, None, "Python stage on an Alpine (musl) base image"),
            (
                "PDH301",
                "python-env-vars",
                1,
                "safe",
                "final Python stage lacks PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED",
            ),
            ("PDH401", "env-key-value", 1, "safe", "legacy ENV/LABEL key value format"),
        ]
    ]


def test_statistics_needs_text_or_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = cli(capsys, tmp_path, "check", "--statistics", "--format", "sarif")
    assert run.code == 2
    assert run.err.splitlines()[-1] == (
        "python-docker-hooks check: error: --statistics works with --format text or json"
    )


# --- directories ---------------------------------------------------------------

TREE = {
    "Dockerfile": FLAWED,
    "api.Dockerfile": FLAWED,
    "docker/app.dockerfile": FLAWED,
    "docker/Containerfile.prod": FLAWED,
    "api.Dockerfile.dockerignore": "**/__pycache__\n",
    "Dockerfile.j2": FLAWED,
    "README.md": FLAWED,
    "build/Dockerfile": FLAWED,
    "notes/dockerfile.md": FLAWED,
}
CHECKED = ["Dockerfile", "api.Dockerfile", "docker/Containerfile.prod", "docker/app.dockerfile"]


def checked(run_lines: list[str]) -> list[str]:
    return sorted({line.split(":", 1)[0] for line in run_lines[:-1]})


def test_directory_outside_git_is_walked_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No git repository above the scratch directory may take part.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for name, text in TREE.items():
        write(tmp_path / "proj" / name, text)
    write(tmp_path / "proj" / ".venv" / "Dockerfile", FLAWED)
    write(tmp_path / "proj" / "node_modules" / "x" / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--no-fix", "proj")
    assert checked(run.lines) == sorted(
        [f"proj/{name}" for name in CHECKED] + ["proj/build/Dockerfile"]
    )
    # "." lists paths without a "./" prefix.
    run = cli(capsys, tmp_path / "proj", "check", "--no-fix")
    assert checked(run.lines) == sorted([*CHECKED, "build/Dockerfile"])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_directory_in_git_is_tracked_and_unignored_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    for name, text in TREE.items():
        write(repo / name, text)
    write(repo / ".gitignore", "build/\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "add", "Dockerfile", "docker"], cwd=repo, check=True, env=env)
    # Tracked, then deleted from the work tree: nothing to check.
    write(repo / "gone" / "Dockerfile", FLAWED)
    subprocess.run(["git", "add", "gone"], cwd=repo, check=True, env=env)
    (repo / "gone" / "Dockerfile").unlink()
    if os.name == "posix":
        os.symlink("Dockerfile", repo / "link.Dockerfile")
    run = cli(capsys, tmp_path, "check", "--no-fix", "repo")
    # Ignored build/ is left out; untracked api.Dockerfile is in.
    assert checked(run.lines) == [f"repo/{name}" for name in CHECKED]
    # A subdirectory lists only what is below it.
    run = cli(capsys, repo, "check", "--no-fix", "docker")
    assert checked(run.lines) == ["docker/Containerfile.prod", "docker/app.dockerfile"]
    # A file named on the command line is checked whatever its name.
    run = cli(capsys, repo, "check", "--no-fix", "build/Dockerfile", "README.md")
    assert checked(run.lines) == ["README.md", "build/Dockerfile"]


# --- rules and explain -----------------------------------------------------------


def test_rules_lists_every_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = cli(capsys, tmp_path, "rules")
    assert run.code == 0
    header, *rows = run.lines
    assert header.split() == ["Code", "Hook", "Severity", "Fix", "Aliases", "Summary"]
    assert [row.split()[:5] for row in rows] == [
        [r.code, r.hook, r.severity, r.fix, ",".join(r.aliases) or "-"] for r in all_rules()
    ]
    assert all(row.endswith(r.summary) for row, r in zip(rows, all_rules()))
    # The columns line up: every summary starts under the header's.
    assert {row.rindex(r.summary) for row, r in zip(rows, all_rules())} == {
        header.index("Summary")
    }


def test_rules_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    run = cli(capsys, tmp_path, "rules", "--format", "json")
    rules = json.loads(run.out)
    assert [r["code"] for r in rules] == [r.code for r in all_rules()]
    (key_value,) = [r for r in rules if r["code"] == "PDH401"]
    assert key_value == {
        "code": "PDH401",
        "hook": "env-key-value",
        "severity": "warning",
        "fix": "safe",
        "aliases": ["LegacyKeyValueFormat"],
        "hadolint": None,
        "buildkit": "LegacyKeyValueFormat",
        "summary": "legacy ENV/LABEL key value format",
        "url": "https://github.com/python-docker-hooks/python-docker-hooks/blob/main/"
        "docs/rules/PDH401.md",
    }


@pytest.mark.parametrize(
    ("name", "codes"),
    [("PDH101", ["PDH101"]), ("pdh101", ["PDH101"]), ("DL3042", ["PDH101"]),
     ("LegacyKeyValueFormat", ["PDH401"])],
)
def test_explain_prints_the_rule_page_for_any_alias(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, codes: list[str]
) -> None:
    run = cli(capsys, tmp_path, "explain", name)
    assert run.code == 0
    # The same text as the generated docs/rules/<CODE>.md.
    assert run.out == "\n".join(
        (ROOT / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")
        for code in codes
    )


def test_explain_a_hook_id_prints_each_of_its_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = cli(capsys, tmp_path, "explain", "python-slim-base")
    assert run.code == 0
    codes = ["PDH501", "PDH502", "PDH503", "PDH504", "PDH505", "PDH506"]
    assert run.out == "\n".join(
        (ROOT / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")
        for code in codes
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("DL3008", ("'DL3008' is a hadolint code with no counterpart here (see "
         "'python-docker-hooks rules' for the hadolint codes that map to ours)")),
        ("PDH999", ("'PDH999' is not a code, a hadolint or BuildKit code, or a hook id "
         "(see 'python-docker-hooks rules')")),
    ],
)
def test_explain_unknown_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, reason: str
) -> None:
    run = cli(capsys, tmp_path, "explain", name)
    assert run.code == 2
    assert run.err.splitlines()[-1] == f"python-docker-hooks explain: error: {reason}"


def test_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bare = cli(capsys, tmp_path)
    assert bare.code == 2 and bare.err.startswith("usage: python-docker-hooks <command>")
    assert cli(capsys, tmp_path, "--help").code == 0
    version = cli(capsys, tmp_path, "--version")
    assert (version.code, version.out) == (0, "python-docker-hooks 0.1.0\n")
    assert cli(capsys, tmp_path, "check", "--help").out.startswith(
        "usage: python-docker-hooks check"
    )


def test_python_dash_m_python_docker_hooks(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.run(
        [sys.executable, "-m", "python_docker_hooks", "check", "--no-fix", "--select", "PDH201", "Dockerfile"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (proc.returncode, proc.stdout.splitlines()) == (
        1,
        [ALPINE, "Found 1 finding"],
    )


CHECK_ARGV = [
    [],
    ["."],
    ["--no-fix", "Dockerfile"],
    ["--diff", "--unsafe-fixes", "a", "b"],
    ["--fix", "--fix"],
    ["--fix", "--no-fix", "x"],
    ["--no-fix", "--diff", "--fix"],
    ["--select", "PDH101,PDH201", "--select", "pip-no-cache-dir", "--ignore=DL3042"],
    ["--format", "sarif", "--exit-zero", "--config", "p.toml", "x"],
    ["--format=json", "--statistics", "--", "--no-fix"],
]


@pytest.mark.parametrize("argv", CHECK_ARGV, ids=" ".join)
def test_check_options_read_as_argparse_reads_them(argv: list[str]) -> None:
    from python_docker_hooks._cli import _check_parser
    from python_docker_hooks._engine.options import CHECK, quick_parse

    quick = quick_parse(argv, CHECK)
    assert quick is not None
    assert vars(quick) == vars(_check_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [["--diff", "--no-fix"], ["--format", "xml"], ["--sel", "PDH101"], ["-h"]],
    ids=" ".join,
)
def test_check_options_argparse_decides(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = cli(capsys, tmp_path, "check", *argv)
    if argv == ["-h"]:
        assert run.code == 0 and run.out.startswith("usage: python-docker-hooks check")
    elif argv == ["--sel", "PDH101"]:
        # argparse takes an unambiguous prefix of an option.
        assert run.code == 0
    else:
        assert run.code == 2 and "error:" in run.err


def test_configuration_applies_to_walked_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    write(tmp_path / "docker" / "Dockerfile", FLAWED)
    write(
        tmp_path / "pyproject.toml",
        '[tool.python-docker-hooks]\nignore = ["PDH201"]\n'
        '[tool.python-docker-hooks.per-file-ignores]\n"docker/**" = ["PDH401"]\n',
    )
    run = cli(capsys, tmp_path, "check", "--no-fix", ".")
    assert [line.split(" ")[:2] for line in run.lines[:-1]] == [
        ["Dockerfile:1:1:", "PDH301"],
        ["Dockerfile:2:5:", "PDH401"],
        ["Dockerfile:3:9:", "PDH101"],
        ["docker/Dockerfile:1:1:", "PDH301"],
        ["docker/Dockerfile:3:9:", "PDH101"],
    ]


def test_diff_reports_a_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    run = cli(capsys, tmp_path, "check", "--diff", "Dockerfile", "gone/Dockerfile")
    assert run.code == 1
    assert run.out.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n")
    assert run.err == "gone/Dockerfile: no such file\nWould fix 1 file\n"
    assert (tmp_path / "Dockerfile").read_text(encoding="utf-8") == FLAWED


def test_diff_of_a_file_the_fix_creates_is_from_dev_null(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "Dockerfile", FLAWED)
    # A context a compose file declares: a fix may create its ignore file.
    write(tmp_path / "compose.yaml", "services:\n  app:\n    build: .\n")
    run = cli(capsys, tmp_path, "check", "--diff", "Dockerfile", every_hook=True)
    assert run.code == 1
    assert "--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1," in run.out
    assert not (tmp_path / ".dockerignore").exists()
    assert run.err == "Would fix 2 files\n"


# --- order and positions -----------------------------------------------------------

EXAMPLE = ROOT / "examples" / "fastapi-app"


def copy_example(to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    for file in EXAMPLE.iterdir():
        (to / file.name).write_bytes(file.read_bytes())
    return to


def position_text(text: str, line: int, col: int, length: int) -> str:
    return text.splitlines()[line - 1][col - 1 : col - 1 + length]


def test_positions_are_in_the_file_as_the_run_leaves_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example's COPY of README.md (PDH911, no fix) is line 8 of the file as
    it is; with --fix, the ENV line PDH301 adds after FROM makes it line 9, and
    the fixed findings point at what their fixes wrote in that same text."""
    app = copy_example(tmp_path / "app")
    report = cli(capsys, app, "check", "--select", "PDH911", "Dockerfile", every_hook=True)
    assert report.lines[0].startswith("Dockerfile:8:6: PDH911 COPY source `README.md`")
    fixed = cli(capsys, app, "check", "--fix", "Dockerfile", every_hook=True)
    text = (app / "Dockerfile").read_text(encoding="utf-8")
    places = {
        line.split(" ")[1]: tuple(int(n) for n in line.split(":")[1:3])
        for line in fixed.lines
        if line.startswith("Dockerfile:")
    }
    assert places["PDH911"] == (9, 6)
    assert position_text(text, *places["PDH911"], 9) == "README.md"
    # Fixed ones, in the fixed text: the LABEL that replaced MAINTAINER, the
    # ENV in key=value form, pip's install, the EXPOSE added before the exec-form CMD.
    assert position_text(text, *places["PDH701"], 5) == "LABEL"
    assert position_text(text, *places["PDH401"], 12) == "APP_HOME=/ap"
    assert position_text(text, *places["PDH101"], 22) == "install --no-cache-dir"
    assert position_text(text, *places["PDH601"], 11) == "EXPOSE 8000"
    assert position_text(text, *places["PDH621"], 5) == 'CMD ['
    assert places["PDH301"] == (1, 1)
    # A run on the fixed file puts the findings left where the fix run did.
    again = cli(capsys, app, "check", "Dockerfile", every_hook=True)
    left = [line for line in fixed.lines if line.startswith("Dockerfile:") and "(fixed)" not in line]
    assert [line for line in again.lines if line.startswith("Dockerfile:")] == left


def test_json_positions_match_the_text_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    app = copy_example(tmp_path / "app")
    run = cli(capsys, app, "check", "--fix", "--format", "json", ".", every_hook=True)
    objects = json.loads(run.out)
    app2 = copy_example(tmp_path / "app2")
    text = cli(capsys, app2, "check", "--fix", ".", every_hook=True)
    assert [
        f"{o['path']}:{o['line']}:{o['column']}: {o['code']}" for o in objects
    ] == [" ".join(line.split(" ")[:2]) for line in text.lines[:-1] if "Fixing" not in line]


def test_findings_are_sorted_by_path_then_position_across_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many build contexts, shared out among worker processes: the output is
    sorted by path, then line and column, and the same as in one process."""
    names = [f"svc{i:02d}" for i in range(60, 0, -1)]
    for name in names:
        write(tmp_path / name / "Dockerfile", FLAWED)
        write(tmp_path / name / ".dockerignore", ".git\n")
    runs = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("PYTHON_DOCKER_HOOKS_JOBS", jobs)
        runs.append(cli(capsys, tmp_path, "check", "--no-fix", ".", every_hook=True))
    assert runs[0].out == runs[1].out
    keys = []
    for line in runs[0].lines[:-1]:
        path, row, col = line.split(":")[:3]
        keys.append((path.split("/"), int(row), int(col)))
    assert keys == sorted(keys)
    assert {k[0][0] for k in keys} == set(names)


def test_hook_command_output_is_sorted_by_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_docker_hooks import pip_no_cache_dir
    from python_docker_hooks._engine import config as _config

    for name in ("b", "a", "c"):
        write(tmp_path / name / "Dockerfile", FLAWED)
    monkeypatch.chdir(tmp_path)
    _config.clear_cache()
    _config._dirs[str(tmp_path.parent)] = None
    capsys.readouterr()
    status = pip_no_cache_dir.main(["--no-fix", "c/Dockerfile", "a/Dockerfile", "b/Dockerfile"])
    assert status == 1
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == [
        "a/Dockerfile",
        "b/Dockerfile",
        "c/Dockerfile",
    ]


# --- nothing to check, closed output ---------------------------------------------


def test_a_walk_that_finds_nothing_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    write(tmp_path / "empty" / "README.md", "no Dockerfile here\n")
    run = cli(capsys, tmp_path, "check", "empty")
    assert (run.code, run.out, run.err) == (
        0,
        "",
        "warning: no Dockerfiles found under empty\n",
    )
    bare = cli(capsys, tmp_path / "empty", "check")
    assert (bare.code, bare.out, bare.err) == (
        0,
        "",
        "warning: no Dockerfiles found under .\n",
    )


@pytest.mark.skipif(os.name != "posix", reason="a POSIX pipe closed early")
@pytest.mark.parametrize(
    ("argv", "reader"),
    [
        (["-m", "python_docker_hooks", "check", "."], ["head", "-1"]),
        (["-m", "python_docker_hooks", "check", "--format", "json", "."], ["head", "-c", "1"]),
        (["-m", "python_docker_hooks.pip_no_cache_dir", "--no-fix"], ["grep", "-q", "PDH101"]),
    ],
    ids=["check-head", "json-head", "hook-grep-q"],
)
def test_output_closed_early_ends_quietly(
    tmp_path: Path, argv: list[str], reader: list[str]
) -> None:
    # Enough output that the pipe's buffer fills after the reader is gone.
    for i in range(150):
        write(tmp_path / f"s{i:03d}" / "Dockerfile", FLAWED * 20)
    if argv[-1] == "--no-fix":
        argv = argv + [f"s{i:03d}/Dockerfile" for i in range(150)]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    env["PYTHON_DOCKER_HOOKS_JOBS"] = "1"
    producer = subprocess.Popen(
        [sys.executable, *argv],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert producer.stdout is not None
    consumer = subprocess.run(reader, stdin=producer.stdout, capture_output=True, check=False)
    producer.stdout.close()
    assert producer.stderr is not None
    err = producer.stderr.read().decode()
    status = producer.wait(timeout=120)
    assert consumer.returncode == 0
    assert err == ""
    assert status == 1
