"""non-root-user's BusyBox command, held against BusyBox's own adduser.

Debian's busybox-static is built without the adduser applet, so the live profile
(tests/live) cannot run the Alpine form of the fix. Its words are checked here
instead against BusyBox's ``loginutils/adduser.c`` (BusyBox's git, as mirrored at
github.com/mirror/busybox, commit 036585a911a5fe6c2cd77b808dd9150500f37272), whose
facts are written below as data:

- ``getopt32long(argv, "h:g:s:G:DSHu:k:", adduser_longopts, ...)``: the options; a
  letter followed by ``:`` takes a value. The long names map to the same letters.
- ``opt_complementary = "-1:?2:SD"``: one or two operands; ``-S`` implies ``-D``.
  Two operands and no option add an existing user to a group instead.
- Without ``-D`` ("Don't assign a password" in the usage text) adduser ends in
  ``passwd_wrapper``, which runs ``passwd`` to ask for a password: a build has no
  one to answer it.
- ``-u`` is read with ``xatou_range(uid, 0, CONFIG_LAST_ID)``; ``LAST_ID``'s
  default is 60000 (Alpine's busyboxconfig raises it to 256000).
- ``passwd_study``: without ``-G`` the user's own group is made, and a group of
  that name already there stops adduser ("group '%s' in use").
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from hookrun import run

HOOK = "non_root_user"

BUSYBOX_ADDUSER_GETOPT = "h:g:s:G:DSHu:k:"
BUSYBOX_ADDUSER_LONGOPTS = {
    "home": "h",
    "gecos": "g",
    "shell": "s",
    "ingroup": "G",
    "disabled-password": "D",
    "empty-password": "D",
    "system": "S",
    "no-create-home": "H",
    "uid": "u",
    "skel": "k",
}
BUSYBOX_LAST_ID_DEFAULT = 60000


def getopt32(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """Options (by letter) and operands, as adduser's getopt32long reads them;
    ValueError for an option adduser does not have."""
    letters = BUSYBOX_ADDUSER_GETOPT.replace(":", "")
    takes_value = {
        c
        for i, c in enumerate(BUSYBOX_ADDUSER_GETOPT[:-1])
        if BUSYBOX_ADDUSER_GETOPT[i + 1] == ":"
    }
    options: dict[str, str] = {}
    operands: list[str] = []
    words = iter(argv[1:])
    for word in words:
        if word == "--":
            operands.extend(words)
        elif word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            if name not in BUSYBOX_ADDUSER_LONGOPTS:
                raise ValueError(f"adduser has no option --{name}")
            letter = BUSYBOX_ADDUSER_LONGOPTS[name]
            options[letter] = value if eq or letter not in takes_value else next(words)
        elif word.startswith("-") and len(word) > 1:
            for k, letter in enumerate(word[1:], 1):
                if letter not in letters:
                    raise ValueError(f"adduser has no option -{letter}")
                if letter in takes_value:
                    options[letter] = word[k + 1 :] or next(words)
                    break
                options[letter] = ""
        else:
            operands.append(word)
    return options, operands


def inserted_run(before: bytes, after: bytes) -> tuple[list[str], str]:
    """The argv of the RUN line the fix added, and its USER line's name."""
    added = [
        line for line in after.decode().splitlines() if line not in before.decode()
    ]
    runs = [line for line in added if line.startswith("RUN ")]
    users = [line for line in added if line.startswith("USER ")]
    assert len(runs) == 1 and len(users) == 1, added
    return shlex.split(runs[0][4:]), users[0][5:]


ALPINE_ROWS = [
    pytest.param('FROM python:3.12-alpine\nCMD ["python"]\n', None, id="python-alpine"),
    pytest.param(
        'FROM alpine:3.20\nUSER root\nCMD ["python3"]\n', None, id="alpine-user-root"
    ),
    pytest.param(
        'FROM python:3.12-alpine\nCMD ["python"]\n',
        '[tool.python-docker-hooks.non-root-user]\nuid = 5678\nname = "web"\n',
        id="configured-uid-and-name",
    ),
    pytest.param(
        'FROM alpine:3.20\nRUN addgroup -S app\nCMD ["python3"]\n',
        None,
        id="group-of-the-name",
    ),
]


@pytest.mark.parametrize(("text", "config"), ALPINE_ROWS)
def test_busybox_adduser_fix_uses_only_what_adduser_c_getopt32_and_usage_allow(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    config: str | None,
) -> None:
    if config is not None:
        (tmp_path / "pyproject.toml").write_text(config)
    result = run(HOOK, text, tmp_path, capsys, "--unsafe-fixes")
    assert result.code == 1
    argv, user = inserted_run(text.encode(), result.data)
    assert argv[0] == "adduser"
    options, operands = getopt32(argv)
    # One operand, the user; with options it creates that user.
    assert operands == [user]
    assert options
    # No password asked for (passwd_wrapper is not reached).
    assert "D" in options
    # An explicit UID within xatou_range(uid, 0, CONFIG_LAST_ID).
    assert 0 < int(options["u"]) <= BUSYBOX_LAST_ID_DEFAULT
    # A group of the user's name that the file creates is joined with -G, since
    # passwd_study refuses to make it again; otherwise adduser makes it.
    creates_group = f"addgroup -S {user}" in text
    assert options.get("G") == (user if creates_group else None)


@pytest.mark.parametrize(
    ("argv", "known"),
    [
        pytest.param("adduser -D -u 10001 app", True, id="the-fix"),
        pytest.param("adduser -Du10001 -G app app", True, id="letters-joined"),
        pytest.param("adduser --disabled-password --uid=10001 app", True, id="long"),
        pytest.param("adduser -D -m app", False, id="shadow-create-home"),
        pytest.param("adduser --no-log-init app", False, id="shadow-no-log-init"),
        pytest.param("adduser --gid 5 app", False, id="debian-gid"),
    ],
)
def test_the_getopt32_reading_knows_busybox_adduser_options_only(
    argv: str, known: bool
) -> None:
    if known:
        getopt32(shlex.split(argv))
    else:
        with pytest.raises(ValueError, match="adduser has no option"):
            getopt32(shlex.split(argv))
