"""pip-no-cache-dir: ``pip install`` and uv's installs must not leave a cache in the image."""

from __future__ import annotations

import posixpath

from python_docker_hooks._dockerfile.programs import (
    cache_cleaner,
    home_of,
    installer_call,
    pip_cache_off,
    pip_leaves_no_cache,
    pip_rejects,
    rm_recursive_operands,
    tool_cache_dir,
    uv_cache_off,
)
from python_docker_hooks._engine.vocabulary import (
    FIX_SAFE,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._dockerfile.programs import InstallerCall
    from python_docker_hooks._dockerfile.shell import Command, Word
    from python_docker_hooks._engine.vocabulary import Context

PIP_DOC = """\
## What it does
Checks that every `pip install` run by a `RUN` instruction passes `--no-cache-dir`:
`pip`, `pip3`, `pip3.12` (by any path), or a Python interpreter with `-m pip`
(`python`, `python3.12`, `python3.13t`, `pypy3`), in shell form, exec form, an
`sh -c` or `su USER -c` string, a heredoc that BuildKit runs as the script, or
behind a command wrapper (`sudo`, `env`, `xargs`, `timeout`, `nice`, `nohup`,
`gosu`, `runuser -u`, `setpriv`, `conda run`, `mamba run`, `micromamba run`,
`uv run`, `poetry run`, `pipenv run`).

pip reads its command line with optparse: a long option may be shortened to any
prefix that names one option only, so `--no-cache` is `--no-cache-dir` and is
accepted as given; a global option before `install` that takes a value
(`--proxy URL`, `--prox URL`, `--log=FILE`) takes it.

## Why is this bad?
pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an image that cache
is dead weight: it is written into the layer, shipped with every pull, and never used
again. On a typical web service it adds tens to hundreds of megabytes. In a build
stage that is not shipped, the cache stays in that stage's layers and the build
cache; the message says so. The shipped stage is the one `targets` names for the
file in the configuration (`docker build --target`), else the last one, with
the stages it is built `FROM`; a stage after the target is not in the image.

The install is not flagged when the cache cannot end up in the layer:

* the command has `--no-cache-dir` (or a prefix of it);
* `PIP_NO_CACHE_DIR` is set inline, by `export`, or by `ENV`/`ARG` in the stage or
  a stage it is built `FROM` (BuildKit keeps a stage's ARG values in the build
  environment of the stages built on it). pip reads the variable with its
  `strtobool` and turns the cache off for every value it accepts, `0`, `false`,
  `no` and `off` included (`1/0`, `true/false`, `yes/no`, `on/off`, `y/n`, `t/f`, in
  any case); an empty value is ignored (the cache stays on). Any other value,
  `" 1"` included, makes pip stop with "invalid truth value": that is reported,
  without a fix;
* the `RUN` has a cache (or tmpfs) mount whose target is pip's cache directory
  or a directory above it. The cache directory is `--cache-dir`, else
  `PIP_CACHE_DIR`, else `$XDG_CACHE_HOME/pip`, else `$HOME/.cache/pip`, where
  `HOME` is root's `/root` or `/home/NAME` after `USER NAME` unless set. A mount
  target is not a shell word: `~` is not expanded, and a relative target is
  under the `WORKDIR`. A mount on `/root/.cache/pip/http` holds only part of the
  cache (`wheels/` stays in the layer);
* the same `RUN` removes that cache directory after the install, so the layer
  never holds it: `rm -r` (`-rf`, `-R`, `--recursive`) of the directory, of a
  directory above it (`rm -rf /root/.cache`) or of its contents
  (`rm -rf ~/.cache/pip/*`), or `pip cache purge` for the same directory (it
  removes the HTTP cache's files and the cached wheels: pip's
  `commands/cache.py`). The directory is the install's, worked out as above
  for that `RUN`'s environment (`--cache-dir`, `PIP_CACHE_DIR`,
  `XDG_CACHE_HOME`, `HOME`; `~` and `$HOME` are the user's home, `/root` for
  root; another user's home is not known, so only `~` or `$HOME` name it).
  The removal must run whenever the install has: in the same shell, after
  it, with only `&&`, `;` and other commands between (not after `||`, in an
  `if`, a subshell or the background). A pipeline between them does not
  matter (`find … | xargs rm -r && rm -rf /root/.cache/pip`: the list goes on
  once the whole pipeline has finished, POSIX Shell Command Language 2.9.3),
  but a removal in the install's own pipeline does not count (`pip install … |
  rm -rf …`: the shell starts a pipeline's commands together, 2.9.2). An
  install after the removal is flagged;
* `pip install --no-index` that reads only local `--find-links` directories
  and can build nothing (`--only-binary :all:`, or `--no-deps` with only
  `.whl` files named): pip's HTTP cache is written only for `http(s)://`
  responses (`network/session.py`; `file://` goes through the uncached
  `LocalFSAdapter`), a wheel is installed without being built
  (`wheel_builder._should_build`), and `--no-index` skips the self version
  check (`cli/index_command.py`). Without `--only-binary :all:`, an sdist in
  the directory is built and its wheel kept in the cache (`_should_cache`
  keeps a wheel built from an archive named `name-version`): still flagged.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix safety
Safe: `--no-cache-dir` is inserted right after `install` (inside the JSON array for the
exec form). It changes only where pip keeps its cache, never what is installed. When
the command chooses a cache directory itself (`--cache-dir`), the finding has no fix:
pip would read that option after the inserted one.

A base image the tables do not know (a build argument without a default, a
local tag, or an image neither in the vendor table nor among the library
images they list) may set `PIP_NO_CACHE_DIR` itself:
getsentry/sentry's image does (`ENV PIP_NO_CACHE_DIR=1` in its
`self-hosted/Dockerfile`). The finding then says so; the option is still added,
since it changes nothing but the cache.
"""

UV_DOC = """\
## What it does
Checks that every uv command that installs packages, run by a `RUN` instruction,
passes `--no-cache`: `uv pip install`, `uv pip sync`, `uv sync`, `uv add`,
`uv run` (not `uv run --no-sync`, which installs nothing), `uv tool install`,
`uv tool run` and `uvx`.

## Why is this bad?
uv keeps downloaded and built wheels in `$XDG_CACHE_HOME/uv` or `~/.cache/uv`
(`UV_CACHE_DIR` or `--cache-dir` move it); in an image that cache is written into
the layer and never used again. With `--no-cache` uv uses a temporary directory
and removes it when it exits.

Not flagged when the command has `--no-cache` (or `-n`, or its alias
`--no-cache-dir`; uv reads these global options before or after the subcommand,
and for `uv run` only before the command it runs), `UV_NO_CACHE` is set to a
value clap reads as true (`1`, `true`, `yes`, `on`, `y`, `t`, in any case; `0` or
`false` leave the cache on), the `RUN` has a cache (or tmpfs) mount whose
target is uv's cache directory or a directory above it, or the same `RUN`
removes that directory after the command, as for pip: `rm -r` of it, of a
directory above it or of its contents, or `uv cache clean` (also `uv clean`,
`uv cache clear`) with no package named, which removes every entry. uv does
not accept abbreviated options.

## Example
```dockerfile
FROM python:3.12-slim
RUN uv pip install --system -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN uv pip install --no-cache --system -r requirements.txt
```

## Fix safety
Safe: `--no-cache` is inserted right after the subcommand (`install`, `sync`,
`run`...); only the cache location changes.
"""

PIP = Rule(
    "PDH101",
    "pip-no-cache-dir",
    "pip install without --no-cache-dir",
    fix=FIX_SAFE,
    hadolint="DL3042",
    doc=PIP_DOC,
)
UV = Rule(
    "PDH102",
    "pip-no-cache-dir",
    "uv install command (uv pip install, uv sync, uv run...) without --no-cache",
    fix=FIX_SAFE,
    doc=UV_DOC,
)
RULES = (PIP, UV)

# The variables that turn each tool's cache off, and that move it.
_NO_CACHE = {"pip": "PIP_NO_CACHE_DIR", "uv": "UV_NO_CACHE"}
_CACHE_DIR = {"pip": "PIP_CACHE_DIR", "uv": "UV_CACHE_DIR"}
_OPTION = {"pip": "--no-cache-dir", "uv": "--no-cache"}
_RULE = {"pip": PIP, "uv": UV}
# What a variable of another stage or of this RUN could change.
_WATCHED = frozenset(
    {*_NO_CACHE.values(), *_CACHE_DIR.values(), "HOME", "XDG_CACHE_HOME"}
)


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    if not model.stages:
        return
    # Whether a stage or one it builds on sets a variable of ours with ENV or
    # ARG: only then is the stage's environment worth working out.
    sets_variable = model.inherited(_sets_variable)
    # The stage the build ships is the configured target's (``targets``),
    # else the last one; the stages it is built FROM end up in it too.
    final = model.shipped(context.target)
    shipped = {s.index for s in model.lineage(final)} if final is not None else set()
    for stage in model.stages:
        for ins in stage.instructions:
            run = ins.effective
            if run.keyword == "RUN":
                yield from _Run(
                    model,
                    stage,
                    ins,
                    run,
                    sets_variable[stage.index],
                    stage.index in shipped,
                ).findings()


def _sets_variable(stage: Stage) -> bool:
    for ins in stage.instructions:
        if ins.keyword in ("ENV", "ARG") and any(
            kv.key in _WATCHED for kv in ins.pairs()
        ):
            return True
    return False


class _Run:
    """One RUN instruction: its cache mounts, its commands, its environment."""

    __slots__ = (
        "_env",
        "_sequences",
        "_state",
        "env_known",
        "ins",
        "model",
        "mounts",
        "run",
        "shipped",
        "stage",
    )

    def __init__(
        self,
        model: Dockerfile,
        stage: Stage,
        ins: Instruction,
        run: Instruction,
        stage_sets_variable: bool,
        shipped: bool,
    ) -> None:
        self.model = model
        self.stage = stage
        self.ins = ins
        self.run = run
        self.shipped = shipped
        # (type, target) of the mounts that keep what is written there out
        # of the layer.
        self.mounts = [
            (m.type, model.mount_target(stage, ins, m))
            for m in run.mounts()
            if m.type in ("cache", "tmpfs") and m.target
        ]
        self._env: dict[str, str] = {}
        # (USER, WORKDIR) while this RUN runs, worked out once.
        self._state: tuple[str | None, str] | None = None
        self._sequences: (
            tuple[list[int], list[int], dict[tuple[int, str, str], int]] | None
        ) = None
        self.env_known = not stage_sets_variable and not self.mounts

    def _user(self) -> str | None:
        if self._state is None:
            self._state = (
                self.model.user(self.stage, self.ins),
                self.model.workdir(self.stage, self.ins),
            )
        return self._state[0]

    def _workdir(self) -> str:
        self._user()
        assert self._state is not None
        return self._state[1]

    def env(self) -> dict[str, str]:
        """The variables in effect while this RUN runs (ENV and ARG)."""
        if not self.env_known:
            self._env = {
                k: v
                for k, (v, _) in self.model.env(
                    self.stage, before=self.ins, build=True
                ).items()
            }
            self.env_known = True
        return self._env

    def findings(self) -> Iterator[Finding]:
        commands = self.run.shell_commands()
        # What ``export`` has set when each command runs.
        exports: list[dict[str, str]] = []
        exported: dict[str, str] = {}
        for command in commands:
            words = command.words
            if words and words[0].value == "export":
                exported = dict(exported)
                for word in words[1:]:
                    key, eq, value = word.value.partition("=")
                    if eq:
                        exported[key] = value
            exports.append(exported)
        for k, command in enumerate(commands):
            calls = _calls(command)
            if not calls:
                continue
            scopes = (_inline(command), exports[k])
            for call in calls:
                finding = self._judge(call, scopes, (commands, k, exports))
                if finding is not None:
                    yield finding

    def _lookup(self, name: str, scopes: Sequence[Mapping[str, str]]) -> str | None:
        for scope in scopes:
            if name in scope:
                return scope[name]
        return self.env().get(name)

    def _judge(
        self,
        call: InstallerCall,
        scopes: Sequence[Mapping[str, str]],
        place: tuple[Sequence[Command], int, Sequence[Mapping[str, str]]],
    ) -> Finding | None:
        """The finding for one install, None when its cache cannot stay in the
        layer; ``place`` is the RUN's commands, the install's index among them,
        and what ``export`` has set at each."""
        tool = call.tool
        if call.has(_OPTION[tool]):
            return None
        value = self._lookup(_NO_CACHE[tool], scopes)
        if tool == "pip":
            if pip_cache_off(value):
                return None
            if pip_rejects(value):
                return Finding(
                    PIP,
                    call.insert_after.start,
                    f"`PIP_NO_CACHE_DIR={value}` is not a value pip accepts: "
                    '`pip install` stops with "invalid truth value" '
                    "(any of 1/0, true/false, yes/no, on/off turns the cache off)",
                    end=call.insert_after.end,
                )
            if pip_leaves_no_cache(call, self._lookup("PIP_FIND_LINKS", scopes)):
                return None
        elif uv_cache_off(value):
            return None
        if self.mounts:
            home = self._lookup("HOME", scopes) or home_of(self._user())
            cache = self._cache_dir(tool, call.value("--cache-dir"), scopes, home)
            if self._mounted(cache, tool):
                return None
        if self._removed_after(call, *place):
            return None
        return self._finding(
            call, fixable=not (tool == "pip" and call.has("--cache-dir"))
        )

    def _cache_dir(
        self,
        tool: str,
        chosen: str | None,
        scopes: Sequence[Mapping[str, str]],
        home: str | None,
    ) -> str | None:
        """Where the tool writes its cache (None when it is not known here):
        the model's ``tool_cache_dir``, with this RUN's variables."""
        return tool_cache_dir(
            tool, chosen, lambda name: self._lookup(name, scopes), home, self._workdir()
        )

    def _removed_after(
        self,
        call: InstallerCall,
        commands: Sequence[Command],
        k: int,
        exports: Sequence[Mapping[str, str]],
    ) -> bool:
        """Whether a later command of this RUN always removes the cache this
        install wrote: ``rm -r`` of the cache directory, a directory above it
        or its contents (``DIR/*``), ``pip cache purge`` or ``uv cache clean``
        for the same directory, in the same shell, separated from the install
        only by ``&&``, ``;``, newlines and other commands (not ``||``, ``|``,
        ``&``, a compound command or a subshell, where it might not run)."""
        segments, pipelines, removed = self._layout(commands, exports)
        segment = segments[k]
        last = removed.get((segment, "", ""), -1)
        if last <= k or pipelines[last] == pipelines[k]:
            # Nothing after it in its sequence removes anything, or only a
            # command of its own pipeline, which runs at the same time.
            return False
        command = commands[k]
        if any(_basename(w.value) in _SWITCHES_USER for w in command.prefix):
            return False  # another user's home, maybe
        scopes = (_inline(command), exports[k])
        home = self._strict_home(scopes)
        cache = self._cache_dir(call.tool, call.value("--cache-dir"), scopes, home)
        if cache is None:
            return False

        def after(key: tuple[int, str, str]) -> bool:
            at = removed.get(key, -1)
            return at > k and pipelines[at] != pipelines[k]

        if after((segment, call.tool + ":", cache)):
            return True
        # ``rm -r`` of the directory or of one above it (not of ``/``).
        path = cache
        while path not in ("/", ""):
            if after((segment, "", path)):
                return True
            path = path.rsplit("/", 1)[0] or "/"
        return False

    def _layout(
        self, commands: Sequence[Command], exports: Sequence[Mapping[str, str]]
    ) -> tuple[list[int], list[int], dict[tuple[int, str, str], int]]:
        """Once per RUN, in one pass: for each command, its sequence (the run
        of commands at one level, in one shell, each of which runs whenever the
        one before it has: see ``_sequential``), named by its first command;
        and what the sequence's commands remove, with the index of the last
        command that does: ``(sequence, "", path)`` for ``rm -r`` of a
        directory (or of its contents, ``DIR/*``), ``(sequence, "pip:", cache
        directory)`` for ``pip cache purge``, ``(sequence, "uv:", …)`` for
        ``uv cache clean``; ``(sequence, "", "")`` for the last command of the
        sequence that removes anything.

        The level of a command is the command whose text holds it (a
        ``$(...)``, backticks or an ``sh -c`` string), found with a stack: a
        command comes before those nested in it.
        """
        if self._sequences is None:
            text = self.model.text
            escape = self.run.escape
            segments: list[int] = []
            pipelines: list[int] = []
            removed: dict[tuple[int, str, str], int] = {}
            open_spans: list[int] = []
            last_at_level: dict[int, int] = {}
            for j, inner in enumerate(commands):
                while open_spans:
                    outer = commands[open_spans[-1]]
                    if outer.start <= inner.start and inner.end <= outer.end:
                        break
                    open_spans.pop()
                level = open_spans[-1] if open_spans else -1
                open_spans.append(j)
                before = last_at_level.get(level)
                last_at_level[level] = j
                joined = (
                    _sequential(text, commands[before], inner, escape)
                    if before is not None
                    else None
                )
                if before is not None and joined is not None:
                    segments.append(segments[before])
                    pipelines.append(pipelines[before] if joined == "|" else j)
                else:
                    segments.append(j)
                    pipelines.append(j)
                scopes = (_inline(inner), exports[j])
                for kind, path in self._removes(inner, scopes):
                    removed[(segments[j], kind, path)] = j
                    removed[(segments[j], "", "")] = j
            self._sequences = (segments, pipelines, removed)
        return self._sequences

    def _strict_home(self, scopes: Sequence[Mapping[str, str]]) -> str:
        """``HOME`` as this RUN's shell has it: set by ENV, ARG or the RUN, else
        root's ``/root``; for another user, a stand-in that only ``~`` and
        ``$HOME`` match (the user's home is in the image's ``/etc/passwd``)."""
        home = self._lookup("HOME", scopes)
        if home:
            return home
        user = self._user()
        return "/root" if user in (None, "root", "0") else _UNKNOWN_HOME

    def _removes(
        self, command: Command, scopes: Sequence[Mapping[str, str]]
    ) -> list[tuple[str, str]]:
        """What the command removes: ``("", path)`` for each directory an
        ``rm -r`` removes (a ``DIR/*`` operand empties ``DIR``: the same for a
        cache), ``("pip:", dir)``/``("uv:", dir)`` for the cache directory
        ``pip cache purge``/``uv cache clean`` empties."""
        words = command.words
        if not words:
            return []
        operands = rm_recursive_operands(words)
        if operands is None:
            if not _basename(words[0].value).startswith(
                ("pip", "python", "pypy", "uv")
            ):
                return []
            cleaner = cache_cleaner(words)
            if cleaner is None:
                return []
            home = self._strict_home(scopes)
            cache = self._cache_dir(
                cleaner.tool, cleaner.value("--cache-dir"), scopes, home
            )
            return [] if cache is None else [(cleaner.tool + ":", cache)]
        home = self._strict_home(scopes)
        workdir = self._workdir()
        found: list[tuple[str, str]] = []
        for word in operands:
            path = self._word_path(word, scopes, home)
            if path is None:
                continue
            path = path.removesuffix("/*")
            if not path or any(ch in path for ch in "*?["):
                continue
            path = posixpath.normpath(posixpath.join(workdir, path))
            if path != "/":
                found.append(("", path))
        return found

    def _word_path(
        self, word: Word, scopes: Sequence[Mapping[str, str]], home: str
    ) -> str | None:
        """The path a shell word names: ``~`` and ``$NAME``/``${NAME}`` from
        the environment expanded; None for another expansion or an unset name."""
        import re

        value = word.value
        if word.text.startswith("~") and (value == "~" or value.startswith("~/")):
            value = home + value[1:]
        if not word.expands:
            return value

        def variable(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            found = home if name == "HOME" else self._lookup(name, scopes)
            if found is None:
                raise LookupError(name)
            return found

        try:
            value = re.sub(
                r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))",
                variable,
                value,
            )
        except LookupError:
            return None
        return None if "$" in value or "`" in value else value

    def _mounted(self, cache: str | None, tool: str) -> bool:
        """Whether a cache or tmpfs mount of this RUN holds the whole cache:
        its target is the cache directory or a directory above it."""
        for _, target in self.mounts:
            if cache is None:
                # Where the cache goes is not known: a target named like the
                # cache directory, or like the ``.cache`` above it, is taken.
                parts = target.rstrip("/").split("/")
                if parts[-1] == ".cache" or parts[-2:] == [".cache", tool]:
                    return True
                continue
            if target == "/" or cache == target or cache.startswith(target + "/"):
                return True
        return False

    def _finding(self, call: InstallerCall, fixable: bool) -> Finding:
        tool = call.tool
        option = _OPTION[tool]
        what = "pip install" if tool == "pip" else " ".join(("uv", *call.subcommand))
        if call.subcommand == ("uvx",):
            what = "uvx"
        if self.shipped:
            where = "the image"
        else:
            name = self.stage.name or f"stage-{self.stage.index}"
            where = f"the layers of stage `{name}` (and the build cache)"
        after = call.insert_after
        text = self.run.words_after(after.start, (option,))
        message = f"`{what}` without `{option}` leaves the package cache in {where}"
        # The image tables are read only for a finding: a clean file never loads them.
        from python_docker_hooks._dockerfile.facts import unknown_base

        unknown = unknown_base(self.model, self.stage)
        if unknown is not None:
            # The base image's own ENV is not known; the option is still what
            # the rule asks, and changes nothing but the cache.
            message += (
                f", unless its base image `{unknown}`, which is not known, "
                f"sets {_NO_CACHE[tool]}"
            )
        return Finding(
            _RULE[tool],
            after.start,
            message,
            Fix([Edit(after.end, after.end, text)], FIX_SAFE) if fixable else None,
            end=after.end,
        )


# A home directory that is not known: only ``~`` and ``$HOME`` lead there.
_UNKNOWN_HOME = "/\0home"
# Wrappers that run the command as another user (so with another home).
_SWITCHES_USER = frozenset({"sudo", "gosu", "su-exec", "runuser", "setpriv", "chroot"})


def _basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _inline(command: Command) -> dict[str, str]:
    """The ``NAME=value`` assignments in front of a command."""
    return dict(a.value.partition("=")[::2] for a in command.assignments)


def _sequential(text: str, first: Command, later: Command, escape: str) -> str | None:
    """How ``later``, the next command at its level, runs after ``first``:
    ``"&&"`` when the text between them holds only ``&&``, ``;``, newlines,
    blanks, line continuations and comments (it runs once ``first`` has);
    ``"|"`` when it holds one ``|`` too (both are commands of one pipeline,
    which the shell starts together: POSIX Shell Command Language, 2.9.2
    Pipelines; the AND-OR list they are in goes on once the whole pipeline has
    finished, 2.9.3 Lists); None otherwise (``||``, ``&``, a compound
    command's words or a parenthesis: it might not run)."""
    gap = text[first.end : later.start]
    gap = gap.replace(escape + "\r\n", " ").replace(escape + "\n", " ")
    pipes = 0
    for line in gap.split("\n"):
        rest = line.partition("#")[0].replace("&&", " ").replace(";", " ")
        if "||" in rest or "|&" in rest:
            return None
        pipes += rest.count("|")
        if rest.replace("|", " ").strip(" \t\r"):
            return None
    if pipes > 1:
        return None
    return "|" if pipes else "&&"


def _calls(command: Command) -> list[InstallerCall]:
    """The installs a command runs: itself, and a ``uv run`` wrapping it."""
    found: list[InstallerCall] = []
    prefix = command.prefix
    for k, word in enumerate(prefix):
        if word.value.rsplit("/", 1)[-1] == "uv":
            call = installer_call(prefix[k:])
            if call is not None:
                found.append(call)
    call = installer_call(command.words)
    if call is not None:
        found.append(call)
    return found


SPEC = HookSpec(
    "pip-no-cache-dir",
    RULES,
    check,
    name="pip install --no-cache-dir",
    description="Adds --no-cache-dir to pip install (and --no-cache to uv's installing commands) in RUN instructions.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
