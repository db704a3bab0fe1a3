"""exec-form-cmd: catches, does-not-catch and fixes-to tables, run through the hook.

Every fix is also held to its promise with BuildKit's own parser: the rewritten
instruction is exec form and its argv is the one ``sh -c`` would have run.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from hookrun import LISTING_B, as_bytes, run

HOOK = "exec_form_cmd"
F = "FROM python:3.12-slim\n"
BOM = "\ufeff"
WHY = "runs under `/bin/sh -c`, which stays PID 1 and does not pass `docker stop`'s SIGTERM on"


def fixable(pos: str, keyword: str, json: str, marker: str = " [*]") -> str:
    return f"{pos}: PDH621 shell-form {keyword} {WHY}; use exec form: `{keyword} {json}`{marker}"


def needs_shell(pos: str, keyword: str) -> str:
    return (
        f"{pos}: PDH621 shell-form {keyword} {WHY}; use exec form, or "
        f'`{keyword} ["sh", "-c", "exec ..."]` if it needs the shell'
    )


IGNORED = ", and CMD and `docker run` arguments are ignored"
# sh -c TEXT ARG0 ARG1...: POSIX sets $0 to ARG0 and $1... to the rest.
POSITIONAL = (
    ", and CMD and `docker run` arguments reach the text only as `sh -c`'s `$0`, `$1`, ..."
)


def execs(
    pos: str, keyword: str, json: str | None, marker: str = " [*]", arguments: str = IGNORED
) -> str:
    """A shell-form command whose `exec` hands PID 1 to the program."""
    head = (
        f"{pos}: PDH621 shell-form {keyword} runs under `/bin/sh -c`, whose `exec` hands "
        "PID 1 to the program, so `docker stop`'s SIGTERM reaches it; what is left is "
        "the shell step itself (the image needs `/bin/sh`"
        + (arguments if keyword == "ENTRYPOINT" else "")
        + ")"
    )
    if json is None:
        return head + (
            f'; the command needs the shell, and `{keyword} ["sh", "-c", ...]` would run '
            "the same processes: suppress PDH621 here if the shell is meant"
        )
    return head + f"; use exec form: `{keyword} {json}`{marker}"


def builtin(pos: str, keyword: str, name: str) -> str:
    return (
        f"{pos}: PDH621 shell-form {keyword} runs the shell builtin `{name}`, which has "
        "no program of its own: exec form could not start it; keep the shell "
        f'(`{keyword} ["sh", "-c", "..."]`) and end the script with `exec` of the '
        "program it is meant to run"
    )


def under_entrypoint(pos: str, program: str, json: str | None) -> str:
    head = (
        f"{pos}: PDH621 shell-form CMD under the exec-form ENTRYPOINT gives it "
        f'`/bin/sh -c "..."` as arguments (the container runs `{program} /bin/sh -c ...`)'
        "; write the arguments in exec form"
    )
    return head + (f": `CMD {json}`" if json else "")


UV = '["uvicorn", "app:app", "--host", "0.0.0.0"]'

# (Dockerfile, exact output of a --no-fix run); exit 1, file untouched.
CATCHES = [
    pytest.param(F + "CMD uvicorn app:app --host 0.0.0.0\n", [fixable("2:1", "CMD", UV)], id="cmd"),
    pytest.param(
        F + "ENTRYPOINT python app.py\n",
        [fixable("2:1", "ENTRYPOINT", '["python", "app.py"]')],
        id="entrypoint-without-cmd",
    ),
    pytest.param(
        F + "ENTRYPOINT python app.py\nCMD [\"--debug\"]\n",
        [fixable("2:1", "ENTRYPOINT", '["python", "app.py"]', "")],
        id="entrypoint-with-cmd-fix-is-unsafe",
    ),
    pytest.param(
        F + "CMD uvicorn app:app --port $PORT\n", [needs_shell("2:1", "CMD")], id="variable"
    ),
    pytest.param(
        F + "CMD python manage.py migrate && gunicorn proj.wsgi\n",
        [needs_shell("2:1", "CMD")],
        id="two-commands",
    ),
    pytest.param(F + "CMD python app.py > /tmp/log\n", [needs_shell("2:1", "CMD")], id="redirect"),
    pytest.param(F + "CMD python *.py\n", [needs_shell("2:1", "CMD")], id="glob"),
    pytest.param(F + "CMD python ~/app.py\n", [needs_shell("2:1", "CMD")], id="tilde"),
    pytest.param(F + "CMD DEBUG=1 python app.py\n", [needs_shell("2:1", "CMD")], id="assignment"),
    pytest.param(F + "CMD python app.py # main\n", [needs_shell("2:1", "CMD")], id="comment"),
    pytest.param(F + "CMD python 'a\\b'\n", [needs_shell("2:1", "CMD")], id="backslash"),
    pytest.param(
        F + 'CMD python "app.py\n', [needs_shell("2:1", "CMD")], id="unclosed-quote-sh-refuses"
    ),
    pytest.param(
        F + "CMD echo \"it's\"\n",
        [fixable("2:1", "CMD", '["echo", "it\'s"]')],
        id="single-quote-inside-double-quotes",
    ),
    # POSIX exec: "the command shall replace the shell"; the program is PID 1.
    pytest.param(
        F + "CMD exec python app.py\n",
        [execs("2:1", "CMD", '["python", "app.py"]')],
        id="leading-exec-replaces-the-shell-so-the-program-is-pid-1",
    ),
    pytest.param(
        F + "CMD exec gunicorn -b 0.0.0.0:$PORT app:app\n",
        [execs("2:1", "CMD", None)],
        id="exec-that-needs-the-shell-is-not-told-to-add-sh-c-exec",
    ),
    pytest.param(
        F + "CMD python manage.py migrate && exec gunicorn proj.wsgi\n",
        [execs("2:1", "CMD", None)],
        id="exec-of-the-last-command",
    ),
    pytest.param(
        F + "CMD python manage.py migrate; exec gunicorn proj.wsgi &\n",
        [needs_shell("2:1", "CMD")],
        id="exec-in-the-background-does-not-replace-the-shell",
    ),
    pytest.param(
        F + "ENTRYPOINT exec python app.py\n",
        [execs("2:1", "ENTRYPOINT", '["python", "app.py"]')],
        id="entrypoint-exec-says-arguments-are-ignored",
    ),
    # The runtime runs Entrypoint + Cmd: `/bin/sh -c TEXT run web`, and sh -c
    # makes `run` $0 and `web` $1, which the text passes on.
    pytest.param(
        F + 'ENTRYPOINT exec /docker-entrypoint.sh "$0" "$@"\nCMD ["run", "web"]\n',
        [
            execs("2:1", "ENTRYPOINT", None, arguments=POSITIONAL).split("; the command")[0]
            + '; `ENTRYPOINT ["/docker-entrypoint.sh"]` gets the same arguments whenever '
            "CMD or `docker run` gives at least one (with none, `\"$0\"` passes `/bin/sh`)"
        ],
        id="entrypoint-passing-dollar-0-and-dollar-at-gets-every-argument",
    ),
    pytest.param(
        F + 'ENTRYPOINT exec /docker-entrypoint.sh "$@"\nCMD ["run", "web"]\n',
        [execs("2:1", "ENTRYPOINT", None, arguments=POSITIONAL)],
        id="entrypoint-passing-dollar-at-alone-loses-the-first-argument-to-dollar-0",
    ),
    pytest.param(
        F + 'ENTRYPOINT exec "$APP" "$0" "$@"\n',
        [execs("2:1", "ENTRYPOINT", None, arguments=POSITIONAL)],
        id="entrypoint-passing-every-argument-to-a-variable-program-needs-the-shell",
    ),
    pytest.param(
        F + "ENTRYPOINT exec python app.py $*\n",
        [execs("2:1", "ENTRYPOINT", None, arguments=POSITIONAL)],
        id="entrypoint-reading-dollar-star",
    ),
    pytest.param(
        F + 'ENTRYPOINT python -m app migrate && exec gunicorn --workers "${1:-2}" app:app\n',
        [execs("2:1", "ENTRYPOINT", None, arguments=POSITIONAL)],
        id="entrypoint-reading-braced-dollar-1",
    ),
    pytest.param(
        F + "ENTRYPOINT exec gunicorn -b 0.0.0.0:$PORT app:app\n",
        [execs("2:1", "ENTRYPOINT", None)],
        id="entrypoint-reading-only-a-named-variable-ignores-the-arguments",
    ),
    pytest.param(
        F + "ENTRYPOINT exec python app.py '$1' \\$2 $$3 --port $PORT\n",
        [execs("2:1", "ENTRYPOINT", None)],
        id="entrypoint-quoted-escaped-or-pid-dollar-is-not-a-positional-parameter",
    ),
    # Builtins have no executable: exec form would not start.
    pytest.param(F + "CMD cd /app\n", [builtin("2:1", "CMD", "cd")], id="builtin-cd"),
    pytest.param(
        F + "CMD . /venv/bin/activate\n", [builtin("2:1", "CMD", ".")], id="builtin-dot"
    ),
    pytest.param(
        F + "CMD source /venv/bin/activate\n",
        [builtin("2:1", "CMD", "source")],
        id="builtin-source",
    ),
    pytest.param(
        F + "CMD export APP_ENV=prod\n", [builtin("2:1", "CMD", "export")], id="builtin-export"
    ),
    pytest.param(
        F + "CMD cd /app && gunicorn app:app\n",
        [needs_shell("2:1", "CMD")],
        id="cd-then-a-program-needs-the-shell",
    ),
    # Under ENTRYPOINT ["python"], shell-form CMD app.py is `python /bin/sh -c app.py`.
    pytest.param(
        F + 'ENTRYPOINT ["python"]\nCMD app.py\n',
        [under_entrypoint("3:1", "python", '["app.py"]') + ""],
        id="cmd-under-exec-form-entrypoint-fix-is-unsafe",
    ),
    pytest.param(
        F + 'ENTRYPOINT ["python", "-m"]\nCMD app --port $PORT\n',
        [under_entrypoint("3:1", "python -m", None)],
        id="cmd-under-exec-form-entrypoint-needs-shell",
    ),
    pytest.param(
        F + "CMD python -c 'print(\"hi there\")'\n",
        [needs_shell("2:1", "CMD")],
        id="parentheses-in-quotes-refused",
    ),
    pytest.param(
        F + "CMD echo \"hello world\" 'it''s'\n",
        [fixable("2:1", "CMD", '["echo", "hello world", "its"]')],
        id="grouping-quotes",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nCMD python app.py\nFROM base\nRUN true\n",
        [fixable("2:1", "CMD", '["python", "app.py"]')],
        id="inherited-from-a-parent-stage",
    ),
    pytest.param(
        F + "CMD python a.py\nSHELL [\"/bin/bash\", \"-c\"]\n",
        [fixable("2:1", "CMD", '["python", "a.py"]')],
        id="shell-after-the-cmd-does-not-count",
    ),
    pytest.param(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD python app.py\n",
        [
            ("2:1: PDH621 shell-form CMD runs under `cmd /S /C`; use exec form: "
            '`CMD ["python", "app.py"]` [*]')
        ],
        id="windows-default-shell",
    ),
    pytest.param(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD python %APP%\n",
        [
            ("2:1: PDH621 shell-form CMD runs under `cmd /S /C`; use exec form, or "
            '`CMD ["cmd", "/S", "/C", "..."]` if it needs the shell')
        ],
        id="windows-needs-the-shell",
    ),
    pytest.param(
        "FROM microsoft/mssql-server-windows-express\nCMD start.ps1 %X%\n",
        [
            ("2:1: PDH621 shell-form CMD runs under `cmd /S /C`; use exec form, or "
            '`CMD ["cmd", "/S", "/C", "..."]` if it needs the shell')
        ],
        id="windows-mssql-server-base",
    ),
    pytest.param(
        "ARG B\nFROM $B\nWORKDIR C:\\app\nCMD run.exe --port 80\n",
        [
            ("4:1: PDH621 shell-form CMD runs under `cmd /S /C`; use exec form: "
            '`CMD ["run.exe", "--port", "80"]` [*]')
        ],
        id="windows-shown-by-the-file",
    ),
    pytest.param(
        "from python:3.12-slim\ncmd python app.py\n",
        [fixable("2:1", "CMD", '["python", "app.py"]')],
        id="lowercase",
    ),
    pytest.param(
        (F + "CMD python app.py\n").replace("\n", "\r\n"),
        [fixable("2:1", "CMD", '["python", "app.py"]')],
        id="crlf",
    ),
    pytest.param(
        BOM + F + "CMD python app.py\n", [fixable("2:1", "CMD", '["python", "app.py"]')], id="bom"
    ),
    pytest.param(
        F + "CMD python app.py", [fixable("2:1", "CMD", '["python", "app.py"]')], id="no-final-newline"
    ),
    pytest.param(
        "# escape=`\n" + F + "CMD python `\n  app.py\n", [needs_shell("3:1", "CMD")], id="backtick-continuation"
    ),
    pytest.param(
        F + "CMD python \\\n# the app\n  app.py\n",
        [needs_shell("2:1", "CMD")],
        id="comment-in-continuation-not-rewritten",
    ),
    pytest.param(
        F + "RUN <<EOF\npip install --no-cache-dir x\nEOF\nCMD python app.py\n",
        [fixable("5:1", "CMD", '["python", "app.py"]')],
        id="heredoc",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH621\nENTRYPOINT python a.py\nCMD python b.py\n",
        [fixable("4:1", "CMD", '["python", "b.py"]')],
        id="suppressed-one-of-two",
    ),
]

# Left alone by every mode.
DOES_NOT_CATCH = [
    pytest.param(LISTING_B, id="seed-listing-b"),
    pytest.param(F + 'CMD ["python", "app.py"]\n', id="exec-form"),
    pytest.param(F + 'SHELL ["/bin/bash", "-c"]\nCMD python app.py\n', id="shell-set"),
    pytest.param(
        'FROM python:3.12-slim AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nCMD python app.py\n',
        id="shell-inherited-from-a-parent-stage",
    ),
    pytest.param(
        F + "CMD python a.py\nCMD [\"python\", \"b.py\"]\n", id="overridden-by-a-later-exec-form"
    ),
    pytest.param(
        "FROM python:3.12-slim AS build\nCMD python build.py\nFROM python:3.12-slim\n"
        'CMD ["python", "app.py"]\n',
        id="other-stage-not-shipped",
    ),
    pytest.param(
        "FROM python:3.12-slim AS base\nCMD python a.py\nFROM base\nENTRYPOINT [\"python\"]\n",
        id="inherited-cmd-reset-by-entrypoint",
    ),
    pytest.param(F + "HEALTHCHECK CMD curl -f http://localhost/\n", id="healthcheck"),
    pytest.param(F + "ONBUILD CMD python app.py\n", id="onbuild"),
    pytest.param('from python:3.12-slim\r\ncmd ["python", "app.py"]', id="lowercase-crlf-no-final-newline"),
    pytest.param(BOM + F + 'CMD ["python", "app.py"]\n', id="bom"),
    pytest.param("# escape=`\n" + F + 'CMD ["python", `\n  "app.py"]\n', id="backtick-escape"),
    pytest.param(F + 'CMD ["python", \\\n# the app\n  "app.py"]\n', id="comment-in-continuation"),
    pytest.param(F + "RUN <<EOF\npython setup.py\nEOF\n" + 'CMD ["python", "app.py"]\n', id="heredoc"),
    pytest.param(F + "# python-docker-hooks: ignore=PDH621\nCMD python app.py\n", id="suppressed"),
    pytest.param(F + "# hadolint ignore=DL3025\nCMD python app.py\n", id="suppressed-by-hadolint-code"),
    pytest.param("# check=skip=JSONArgsRecommended\n" + F + "CMD python app.py\n", id="buildkit-check-skip"),
]

# (before, after): one run fixes to exactly this; a second run changes nothing.
FIXES_TO = [
    pytest.param(F + "CMD uvicorn app:app --host 0.0.0.0\n", F + f"CMD {UV}\n", id="cmd"),
    pytest.param(F + "CMD   exec  python  app.py  \n", F + 'CMD   ["python", "app.py"]  \n', id="exec-dropped-blanks-kept"),
    pytest.param(F + "ENTRYPOINT python app.py\n", F + 'ENTRYPOINT ["python", "app.py"]\n', id="entrypoint"),
    pytest.param(
        F + "CMD echo 'say \"hi\"'\n", F + 'CMD ["echo", "say \\"hi\\""]\n', id="double-quote-escaped"
    ),
    pytest.param(
        (F + "CMD python app.py\n").replace("\n", "\r\n"),
        (F + 'CMD ["python", "app.py"]\n').replace("\n", "\r\n"),
        id="crlf",
    ),
    pytest.param(BOM + F + "CMD python app.py\n", BOM + F + 'CMD ["python", "app.py"]\n', id="bom"),
    pytest.param("from python:3.12-slim\ncmd python app.py", 'from python:3.12-slim\ncmd ["python", "app.py"]', id="lowercase-no-final-newline"),
    pytest.param(
        "# escape=`\n" + F + "RUN echo a `\n  b\nCMD python app.py\n",
        "# escape=`\n" + F + "RUN echo a `\n  b\nCMD [\"python\", \"app.py\"]\n",
        id="backtick-escape",
    ),
    pytest.param(
        F + "RUN pip install \\\n# no cache\n  --no-cache-dir x\nCMD python app.py\n",
        F + "RUN pip install \\\n# no cache\n  --no-cache-dir x\nCMD [\"python\", \"app.py\"]\n",
        id="comment-in-continuation-elsewhere",
    ),
    pytest.param(
        F + "RUN <<EOF\necho hi\nEOF\nCMD python app.py\n",
        F + "RUN <<EOF\necho hi\nEOF\nCMD [\"python\", \"app.py\"]\n",
        id="heredoc",
    ),
    pytest.param(
        F + "# python-docker-hooks: ignore=PDH101\nCMD python app.py\n",
        F + "# python-docker-hooks: ignore=PDH101\nCMD [\"python\", \"app.py\"]\n",
        id="pragma-for-another-code",
    ),
]


def test_cmd_under_an_exec_form_entrypoint_is_rewritten_only_with_unsafe_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python /bin/sh -c app.py` and `python app.py` are different programs run."""
    before = F + 'ENTRYPOINT ["python"]\nCMD app.py\n'
    assert run(HOOK, before, tmp_path, capsys).data == as_bytes(before)
    fixed = run(HOOK, before, tmp_path, capsys, "--unsafe-fixes")
    assert fixed.data == as_bytes(F + 'ENTRYPOINT ["python"]\nCMD ["app.py"]\n')


def test_unsafe_entrypoint_fix_needs_unsafe_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = F + 'ENTRYPOINT python app.py\nCMD ["--debug"]\n'
    safe = run(HOOK, before, tmp_path, capsys)
    assert safe.data == as_bytes(before)
    fixed = run(HOOK, before, tmp_path, capsys, "--unsafe-fixes")
    assert fixed.data == as_bytes(F + 'ENTRYPOINT ["python", "app.py"]\nCMD ["--debug"]\n')


@pytest.mark.parametrize(("before", "after"), FIXES_TO)
def test_buildkit_reads_the_argv_sh_would_run(before: str, after: str) -> None:
    """BuildKit parses the rewritten instruction as exec form, and its argv is the
    shell's word splitting of the old text (``shlex`` in POSIX mode, ``exec`` dropped)."""
    dockerfile = pytest.importorskip("dockerfile")
    old = [c for c in dockerfile.parse_string(before.lstrip(BOM)) if c.cmd.upper() in ("CMD", "ENTRYPOINT")]
    new = [c for c in dockerfile.parse_string(after.lstrip(BOM)) if c.cmd.upper() in ("CMD", "ENTRYPOINT")]
    assert [c.json for c in old] == [False] and [c.json for c in new] == [True]
    words = shlex.split(old[0].value[0], posix=True)
    if words[0] == "exec":
        words = words[1:]
    assert list(new[0].value) == words
