"""Settings from ``[tool.python-docker-hooks]`` in the nearest pyproject.toml.

Codes to ignore everywhere or per file pattern, the stage each Dockerfile ships
(``targets``), and per-hook options, checked against the rules so that a typo
fails loudly instead of silently doing nothing.
"""

from __future__ import annotations

import os
import sys

from python_docker_hooks._engine.boundary import boundary_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import TypeGuard

    from python_docker_hooks._engine.vocabulary import Rule

TABLE = "python-docker-hooks"
_TABLE_NAME = f"[tool.{TABLE}]"
_KNOWN_KEYS = (
    "fix",
    "ignore",
    "per-file-ignores",
    "targets",
    "contexts",
    "development-images",
)

# Dockerfiles of a development image: a dev container's (the Development
# Containers specification keeps its files in a `.devcontainer` directory), which
# is built for an editor to work in and never ships.
DEVELOPMENT_IMAGES = ("**/.devcontainer/**",)

# Directory -> the pyproject.toml that governs it (None: no config), and
# pyproject path -> what it says; one run checks many files in few directories.
_dirs: dict[str, str | None] = {}
_files: dict[str, Config | ConfigError] = {}


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key,
    one line per problem (every problem of the table, not only the first)."""


class Config:
    """What one pyproject.toml says: ignored codes, shipped stages, per-hook options."""

    __slots__ = (
        "contexts",
        "development_images",
        "fix",
        "ignore",
        "options",
        "path",
        "per_file_ignores",
        "root",
        "targets",
    )

    def __init__(
        self,
        path: str | None = None,
        *,
        ignore: frozenset[str] = frozenset(),
        per_file_ignores: Sequence[tuple[str, frozenset[str]]] = (),
        options: Mapping[str, Mapping[str, object]] | None = None,
        targets: Sequence[tuple[str, str]] = (),
        contexts: Sequence[tuple[str, str]] = (),
        development_images: Sequence[str] = DEVELOPMENT_IMAGES,
        fix: bool | None = None,
    ) -> None:
        self.path = path
        # ``fix = true``: ``check`` fixes without ``--fix`` (None: not said).
        self.fix = fix
        # Patterns are relative to the directory holding the config.
        self.root = os.path.dirname(path) if path else os.curdir
        self.ignore = ignore
        self.per_file_ignores = tuple(per_file_ignores)
        self.options: Mapping[str, Mapping[str, object]] = options or {}
        # (Dockerfile glob, stage name): the stage a build of that file ships.
        self.targets = tuple(targets)
        # Dockerfile glob -> build context directory, both relative to ``root``.
        self.contexts = tuple(contexts)
        # Dockerfile globs (relative to ``root``) of development images.
        self.development_images = tuple(development_images)

    def target_for(self, file_path: str) -> str | None:
        """The stage name ``targets`` gives for ``file_path`` (the last matching
        pattern wins), else None: the last stage is shipped."""
        if not self.targets:
            return None
        relative = _relative_posix(file_path, self.root)
        found = None
        for pattern, stage in self.targets:
            if match_path(pattern, relative):
                found = stage
        return found

    def context_of(self, file_path: str) -> str | None:
        """The build context directory the config names for a Dockerfile (the
        first glob that matches it), as an absolute path; None when none does."""
        if not self.contexts:
            return None
        relative = _relative_posix(file_path, self.root)
        for pattern, directory in self.contexts:
            if match_path(pattern, relative):
                return os.path.normpath(os.path.join(os.path.abspath(self.root), directory))
        return None

    def context_written(self, file_path: str) -> str | None:
        """The directory of ``context_of`` as the config writes it."""
        relative = _relative_posix(file_path, self.root)
        for pattern, directory in self.contexts:
            if match_path(pattern, relative):
                return directory
        return None

    def development_image(self, file_path: str) -> bool:
        """Whether ``file_path`` builds a development image (a glob of
        ``development-images`` matches it): the rules that judge only a shipped
        image are not reported on it."""
        if not self.development_images:
            return False
        relative = _relative_posix(file_path, self.root)
        # A path without a pattern's plain text cannot match it: most runs
        # decide here, without loading the glob matcher.
        return any(
            _plain_text(p) in relative and match_path(p, relative)
            for p in self.development_images
        )

    def ignored_codes(self, file_path: str) -> frozenset[str]:
        """Our codes to ignore in ``file_path``: everywhere ones plus matching patterns."""
        if not self.per_file_ignores:
            return self.ignore
        relative = _relative_posix(file_path, self.root)
        codes = set(self.ignore)
        for pattern, pattern_codes in self.per_file_ignores:
            if match_path(pattern, relative):
                codes.update(pattern_codes)
        return frozenset(codes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and (
            (
                self.path,
                self.ignore,
                self.per_file_ignores,
                self.options,
                self.targets,
                self.contexts,
                self.development_images,
                self.fix,
            )
            == (
                other.path,
                other.ignore,
                other.per_file_ignores,
                other.options,
                other.targets,
                other.contexts,
                other.development_images,
                other.fix,
            )
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Config({self.path!r}, ignore={sorted(self.ignore)!r}, "
            f"per_file_ignores={self.per_file_ignores!r}, options={self.options!r}, "
            f"targets={self.targets!r})"
        )


def _plain_text(pattern: str) -> str:
    """The longest run of a glob pattern (as ``match_path`` reads it: fnmatch
    within a segment) without a wildcard, a character class or a slash: every
    path the pattern matches holds it."""
    while pattern.startswith("./"):
        pattern = pattern[2:]
    runs = []
    current: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "[":
            # fnmatch's class: `[`, an optional `!`, a `]` taken as a member
            # when first, up to the next `]`; without one `[` is itself.
            j = i + 1
            if j < len(pattern) and pattern[j] == "!":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            close = pattern.find("]", j)
            runs.append("".join(current))
            current = []
            i = close + 1 if close != -1 else i + 1
            continue
        if c in "*?/":
            runs.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    runs.append("".join(current))
    return max(runs, key=len)


def _relative_posix(file_path: str, root: str) -> str:
    absolute = os.path.abspath(file_path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:
        # Another drive on Windows: there is no relative path.
        relative = absolute
    return relative.replace(os.sep, "/")


def match_path(pattern: str, path: str) -> bool:
    """Whether a posix ``path`` (relative to the config) matches a glob ``pattern``.

    ``*``, ``?`` and ``[...]`` stay within one path segment, a ``**`` segment
    spans any number of segments, and a pattern without ``/`` matches the
    basename in any directory. A trailing ``/`` means everything below.
    """
    from fnmatch import fnmatchcase

    if pattern.endswith("/"):
        pattern += "**"
    while pattern.startswith("./"):
        pattern = pattern[2:]
    if "/" not in pattern:
        return fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    parts = [p for p in pattern.lstrip("/").split("/") if p]
    segments = [s for s in path.split("/") if s and s != "."]
    # reachable[j]: the pattern parts seen so far can match segments[:j].
    # One pass per pattern part keeps this linear in the path's length.
    reachable = [True] + [False] * len(segments)
    for part in parts:
        if part == "**":
            for j in range(1, len(reachable)):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            for j in range(len(segments), 0, -1):
                reachable[j] = reachable[j - 1] and fnmatchcase(segments[j - 1], part)
            reachable[0] = False
    return reachable[-1]


def _load_toml(path: str, shown: str, explicit: bool = True) -> dict[str, object]:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if not explicit and TABLE.encode() not in data:
        # Most pyproject.toml files have no table of ours: knowing that costs
        # a substring search, not a TOML parser on every hook run.
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: invalid TOML: not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ConfigError(f"{shown}: invalid TOML: {reason}") from None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _is_str_list(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class _Validator:
    """Checks one table against the known rules and builds the Config.

    Every problem is noted (``errors``) and the check goes on, so that one run
    names them all; ``build`` raises one ``ConfigError`` holding every line.
    """

    __slots__ = (
        "aliases",
        "codes",
        "errors",
        "hook_options",
        "option_checks",
        "path",
        "shown",
    )

    def __init__(self, path: str, shown: str, rules: Sequence[Rule]) -> None:
        self.path = path
        self.shown = shown
        self.codes = {rule.code for rule in rules}
        self.errors: list[str] = []
        self.aliases: dict[str, list[str]] = {}
        self.hook_options: dict[str, dict[str, object]] = {}
        self.option_checks: dict[tuple[str, str], Callable[[object], str | None]] = {}
        for rule in rules:
            for name, option_check in rule.option_checks.items():
                self.option_checks[(rule.hook, name)] = option_check
            for alias in rule.aliases:
                self.aliases.setdefault(alias, []).append(rule.code)
            defaults = self.hook_options.setdefault(rule.hook, {})
            for name, default in rule.options.items():
                defaults.setdefault(name, default)

    def fail(self, reason: str) -> None:
        self.errors.append(f"{self.shown}: {reason}")

    def resolve(self, code: str, where: str) -> list[str]:
        if code in self.codes:
            return [code]
        if code in self.aliases:
            return self.aliases[code]
        self.fail(f'unknown code "{code}" in {where}')
        return []

    def codes_of(self, value: object, where: str) -> frozenset[str]:
        if not _is_str_list(value):
            self.fail(f"{where} must be an array of strings, not {_kind(value)}")
            return frozenset()
        found: list[str] = []
        for code in value:
            found.extend(self.resolve(code, where))
        return frozenset(found)

    def option(self, hook: str, name: str, value: object, default: object) -> bool:
        """Whether ``value`` is of the kind of ``default`` (noting why not)."""
        where = f'option "{name}" in [tool.{TABLE}.{hook}]'
        if default is None:
            return True
        # TOML writes 1 for 1.0; an integer is a fine float.
        if (
            isinstance(default, float)
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            return True
        if _kind(value) != _kind(default):
            self.fail(f"{where} must be {_kind(default)}, not {_kind(value)}")
            return False
        if isinstance(default, (tuple, set, frozenset, list)):
            assert isinstance(value, list)
            element_kinds = {_kind(d) for d in default}
            if len(element_kinds) == 1:
                (expected,) = element_kinds
                for item in value:
                    if _kind(item) != expected:
                        noun = expected.split(" ", 1)[-1]
                        self.fail(
                            f"{where} must be an array of {noun}s, "
                            f"not one holding {_kind(item)}"
                        )
                        return False
        return True

    @staticmethod
    def converted(value: object, default: object) -> object:
        if (
            isinstance(default, float)
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            return float(value)
        if isinstance(default, (tuple, set, frozenset)):
            assert isinstance(value, list)
            return type(default)(value)
        return value

    def build(self, table: Mapping[str, object]) -> Config:
        ignore: frozenset[str] = frozenset()
        per_file: list[tuple[str, frozenset[str]]] = []
        options: dict[str, dict[str, object]] = {}
        targets: list[tuple[str, str]] = []
        contexts: list[tuple[str, str]] = []
        development: Sequence[str] = DEVELOPMENT_IMAGES
        fix: bool | None = None
        for key, value in table.items():
            if key == "fix":
                if isinstance(value, bool):
                    fix = value
                else:
                    self.fail(f'"fix" must be a boolean, not {_kind(value)}')
            elif key == "contexts":
                contexts = self.contexts_of(value)
            elif key == "development-images":
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    development = tuple(value)
                else:
                    self.fail(
                        '"development-images" must be an array of strings, '
                        f"not {_kind(value)}"
                    )
            elif key == "ignore":
                ignore = self.codes_of(value, '"ignore"')
            elif key == "per-file-ignores":
                if not isinstance(value, dict):
                    self.fail(f'"per-file-ignores" must be a table, not {_kind(value)}')
                    continue
                for pattern, codes in value.items():
                    where = f'"per-file-ignores" for "{pattern}"'
                    per_file.append((pattern, self.codes_of(codes, where)))
            elif key == "targets":
                targets = self.targets_of(value)
            elif key in self.hook_options:
                options[key] = self.hook_table(key, value)
            elif isinstance(value, dict):
                self.fail(f'unknown hook id "{key}" in [tool.{TABLE}.{key}]')
            else:
                self.fail(f'unknown key "{key}" in {_TABLE_NAME}')
        if self.errors:
            raise ConfigError("\n".join(self.errors))
        return Config(
            self.path,
            ignore=ignore,
            per_file_ignores=per_file,
            options=options,
            targets=targets,
            contexts=contexts,
            development_images=development,
            fix=fix,
        )

    def contexts_of(self, value: object) -> list[tuple[str, str]]:
        """``contexts``: a table of Dockerfile glob -> build context directory."""
        if not isinstance(value, dict):
            self.fail(f'"contexts" must be a table, not {_kind(value)}')
            return []
        found: list[tuple[str, str]] = []
        for pattern, directory in value.items():
            if not isinstance(directory, str):
                self.fail(
                    f'"contexts" for "{pattern}" must be a string (a directory), '
                    f"not {_kind(directory)}"
                )
                continue
            found.append((pattern, directory))
        return found

    def targets_of(self, value: object) -> list[tuple[str, str]]:
        """``targets``: a table of Dockerfile glob -> stage name (non-empty)."""
        if not isinstance(value, dict):
            self.fail(f'"targets" must be a table, not {_kind(value)}')
            return []
        found: list[tuple[str, str]] = []
        for pattern, stage in value.items():
            where = f'"targets" for "{pattern}"'
            if not isinstance(stage, str):
                self.fail(f"{where} must be a string, not {_kind(stage)}")
            elif not stage.strip() or any(c.isspace() for c in stage):
                self.fail(f"{where} must be a stage name, not {stage!r}")
            else:
                found.append((pattern, stage))
        return found

    def hook_table(self, hook: str, value: object) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(f"[tool.{TABLE}.{hook}] must be a table, not {_kind(value)}")
            return {}
        defaults = self.hook_options[hook]
        checked: dict[str, object] = {}
        for name, option_value in value.items():
            if name not in defaults:
                self.fail(f'unknown option "{name}" in [tool.{TABLE}.{hook}]')
                continue
            if not self.option(hook, name, option_value, defaults[name]):
                continue
            checked[name] = self.converted(option_value, defaults[name])
            option_check = self.option_checks.get((hook, name))
            reason = option_check(checked[name]) if option_check is not None else None
            if reason is not None:
                self.fail(f'option "{name}" in [tool.{TABLE}.{hook}] {reason}')
        return checked


def _read_config(
    path: str, shown: str, rules: Callable[[], Sequence[Rule]], explicit: bool
) -> Config | None:
    """The config in one pyproject.toml; None when it has no table of ours."""
    document = _load_toml(path, shown, explicit)
    tool = document.get("tool")
    if not isinstance(tool, dict) or TABLE not in tool:
        return None
    table = tool[TABLE]
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: {_TABLE_NAME} must be a table, not {_kind(table)}")
    return _Validator(path, shown, rules()).build(table)


def _cached_config(
    path: str, shown: str, rules: Callable[[], Sequence[Rule]], *, explicit: bool
) -> Config:
    key = ("explicit:" if explicit else "") + path
    cached = _files.get(key)
    if cached is None:
        try:
            cached = _read_config(path, shown, rules, explicit)
        except ConfigError as exc:
            cached = exc
        if cached is None:
            # A pyproject without our table is no config when found on the
            # way up, but it is still the file named on the command line.
            cached = Config(path if explicit else None)
        _files[key] = cached
    if isinstance(cached, ConfigError):
        raise ConfigError(str(cached))
    return cached


def _shown(path: str) -> str:
    """``path`` as a user would write it: relative when it is below the cwd."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def find_pyproject(file_path: str) -> str | None:
    """The nearest pyproject.toml in the file's directory or above it, up to
    the file's boundary (the repository's root): a file outside is never read."""
    directory = os.path.dirname(os.path.abspath(file_path))
    bounds = boundary_of(file_path)
    passed: list[str] = []
    found: str | None = None
    while True:
        if directory in _dirs:
            found = _dirs[directory]
            break
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and bounds.holds(candidate):
            found = candidate
            passed.append(directory)
            break
        passed.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory or directory == bounds.root:
            break
        directory = parent
    for directory in passed:
        _dirs[directory] = found
    return found


def load_config(
    file_path: str, explicit: str | None, rules: Callable[[], Sequence[Rule]]
) -> Config:
    """The config governing ``file_path``: ``explicit`` if given, else the nearest.

    The nearest pyproject.toml wins even without our table (then there is no
    config), so a nested project is never governed by its parent's settings.
    ``rules`` is called only when there is a table to check.
    """
    if explicit is not None:
        path = os.path.abspath(explicit)
        return _cached_config(path, explicit, rules, explicit=True)
    found = find_pyproject(file_path)
    if found is None:
        return Config()
    return _cached_config(found, _shown(found), rules, explicit=False)


def clear_cache() -> None:
    """Forget every file read, for callers (tests) that change files mid-run."""
    _dirs.clear()
    _files.clear()
