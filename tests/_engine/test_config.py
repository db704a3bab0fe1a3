from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from python_docker_hooks._engine import config as _config
from python_docker_hooks._engine.config import (
    Config,
    ConfigError,
    _plain_text,
    load_config,
    match_path,
)
from python_docker_hooks._engine.vocabulary import Rule

RULES = (
    Rule("PDH101", "pip-no-cache-dir", "pip keeps its cache", hadolint="DL3042"),
    Rule(
        "PDH201",
        "python-env-vars",
        "missing Python variables",
        options={
            "required": ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"),
            "strict": False,
            "max-length": 3,
            "ratio": 0.5,
            "extra": {},
            "anything": None,
        },
    ),
    Rule("PDH202", "python-env-vars", "DEBUG set", options={"strict": True}),
    Rule("PDH301", "env-key-value", "legacy ENV", buildkit="LegacyKeyValueFormat"),
    Rule("PDH302", "env-key-value", "a", hadolint="DL3000"),
    Rule("PDH303", "env-key-value", "b", hadolint="DL3000"),
)


class CountingRules:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple[Rule, ...]:
        self.calls += 1
        return RULES


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _config.clear_cache()
    # Whatever lies above tmp_path must not govern these tests.
    _config._dirs[str(tmp_path.parent)] = None
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def dockerfile(tmp_path: Path, rel: str) -> str:
    return str(write(tmp_path / rel, "FROM python:3.12-slim\n"))


TABLE = "[tool.python-docker-hooks]\n"


# --- discovery ---------------------------------------------------------------


def test_no_pyproject(tmp_path: Path) -> None:
    rules = CountingRules()
    config = load_config(dockerfile(tmp_path, "a/b/Dockerfile"), None, rules)
    assert config == Config()
    assert config.path is None
    assert config.ignored_codes("a/b/Dockerfile") == frozenset()
    assert rules.calls == 0


def test_nearest_pyproject_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", TABLE + 'ignore = ["PDH101"]\n')
    inner = write(tmp_path / "sub/pyproject.toml", TABLE + 'ignore = ["PDH201"]\n')
    config = load_config(
        dockerfile(tmp_path, "sub/x/Dockerfile"), None, CountingRules()
    )
    assert config.path == str(inner)
    assert config.ignored_codes("sub/x/Dockerfile") == {"PDH201"}
    outer = load_config(dockerfile(tmp_path, "y/Dockerfile"), None, CountingRules())
    assert outer.path == str(tmp_path / "pyproject.toml")
    assert outer.ignored_codes("y/Dockerfile") == {"PDH101"}


def test_pyproject_without_table_stops_the_walk(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", TABLE + 'ignore = ["PDH101"]\n')
    write(tmp_path / "sub/pyproject.toml", '[project]\nname = "x"\n')
    rules = CountingRules()
    config = load_config(dockerfile(tmp_path, "sub/Dockerfile"), None, rules)
    assert config == Config()
    assert rules.calls == 0


def test_relative_file_path(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", TABLE + 'ignore = ["PDH101"]\n')
    dockerfile(tmp_path, "Dockerfile")
    config = load_config("Dockerfile", None, CountingRules())
    assert config.path == str(tmp_path / "pyproject.toml")


def test_explicit_overrides_discovery(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", TABLE + 'ignore = ["PDH101"]\n')
    write(tmp_path / "conf/other.toml", TABLE + 'ignore = ["PDH202"]\n')
    config = load_config(
        dockerfile(tmp_path, "Dockerfile"), "conf/other.toml", CountingRules()
    )
    assert config.path == str(tmp_path / "conf/other.toml")
    assert config.ignored_codes("Dockerfile") == {"PDH202"}


def test_explicit_without_table_is_an_empty_config(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", TABLE + 'ignore = ["PDH101"]\n')
    write(tmp_path / "empty.toml", "")
    config = load_config(
        dockerfile(tmp_path, "Dockerfile"), "empty.toml", CountingRules()
    )
    assert config == Config(str(tmp_path / "empty.toml"))
    assert config.ignored_codes("Dockerfile") == frozenset()


@pytest.mark.parametrize(
    ("explicit", "message"),
    [
        ("missing.toml", "missing.toml: cannot read: No such file or directory"),
        ("conf", "conf: cannot read: Is a directory"),
    ],
)
def test_explicit_unreadable(tmp_path: Path, explicit: str, message: str) -> None:
    (tmp_path / "conf").mkdir()
    with pytest.raises(ConfigError) as info:
        load_config(dockerfile(tmp_path, "Dockerfile"), explicit, CountingRules())
    assert str(info.value) == message


def test_explicit_invalid(tmp_path: Path) -> None:
    write(tmp_path / "c.toml", TABLE + "ignore = ]\n")
    with pytest.raises(
        ConfigError, match=r"^c\.toml: invalid TOML: .+ \(at line 2, column 10\)$"
    ):
        load_config(dockerfile(tmp_path, "Dockerfile"), "c.toml", CountingRules())


def test_discovered_pyproject_without_our_name_is_not_parsed(tmp_path: Path) -> None:
    # Another tool's broken TOML is not our error; and a pyproject without the
    # table's name never reaches the TOML parser.
    write(tmp_path / "pyproject.toml", "[tool.other]\nx = ]\n")
    config = load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert config.path is None
    assert config.ignored_codes("Dockerfile") == frozenset()


def test_discovered_invalid_toml_with_our_table_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", TABLE + "ignore = ]\n")
    with pytest.raises(ConfigError, match=r"^pyproject\.toml: invalid TOML: "):
        load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())


def test_unreadable_discovered_pyproject(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", TABLE)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read any file")
        with pytest.raises(ConfigError) as info:
            load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
        assert str(info.value) == "pyproject.toml: cannot read: Permission denied"
    finally:
        path.chmod(0o644)


# --- cache ---------------------------------------------------------------------


def test_cache_reads_each_pyproject_once(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", TABLE + 'ignore = ["PDH101"]\n')
    rules = CountingRules()
    first = load_config(dockerfile(tmp_path, "a/Dockerfile"), None, rules)
    path.write_text(TABLE + 'ignore = ["PDH201"]\n', encoding="utf-8")
    assert load_config(dockerfile(tmp_path, "a/Dockerfile.dev"), None, rules) is first
    assert load_config(dockerfile(tmp_path, "b/c/Dockerfile"), None, rules) is first
    assert rules.calls == 1
    # Every directory passed on the way up is remembered.
    for rel in ("a", "b/c", "b", ""):
        assert _config._dirs[str(tmp_path / rel).rstrip(os.sep)] == str(path)
    _config.clear_cache()
    again = load_config(dockerfile(tmp_path, "a/Dockerfile"), None, rules)
    assert again.ignored_codes("a/Dockerfile") == {"PDH201"}
    assert rules.calls == 2


def test_cache_keeps_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", TABLE + "ignor = 1\n")
    message = 'pyproject.toml: unknown key "ignor" in [tool.python-docker-hooks]'
    for rel in ("Dockerfile", "sub/Dockerfile"):
        with pytest.raises(ConfigError) as info:
            load_config(dockerfile(tmp_path, rel), None, CountingRules())
        assert str(info.value) == message
        path.write_text(TABLE, encoding="utf-8")


# --- contents --------------------------------------------------------------------


def test_ignore_resolves_aliases(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        TABLE + 'ignore = ["DL3042", "DL3000", "LegacyKeyValueFormat", "PDH202"]\n',
    )
    config = load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert config.ignore == {"PDH101", "PDH302", "PDH303", "PDH301", "PDH202"}
    assert config.ignored_codes("Dockerfile") == config.ignore


def test_per_file_ignores(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        TABLE
        + 'ignore = ["PDH202"]\n'
        + "per-file-ignores = { "
        + '"docker/legacy/*" = ["PDH301"], '
        + '"**/Dockerfile.dev" = ["DL3042"], '
        + '"Containerfile" = ["PDH201"] }\n',
    )
    config = load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert config.per_file_ignores == (
        ("docker/legacy/*", frozenset({"PDH301"})),
        ("**/Dockerfile.dev", frozenset({"PDH101"})),
        ("Containerfile", frozenset({"PDH201"})),
    )
    cases = {
        "Dockerfile": {"PDH202"},
        "docker/legacy/Dockerfile": {"PDH202", "PDH301"},
        "docker/legacy/old/Dockerfile": {"PDH202"},
        "Dockerfile.dev": {"PDH202", "PDH101"},
        "docker/legacy/Dockerfile.dev": {"PDH202", "PDH101", "PDH301"},
        "a/b/Containerfile": {"PDH202", "PDH201"},
        str(tmp_path / "docker/legacy/Dockerfile"): {"PDH202", "PDH301"},
    }
    got = {path: set(config.ignored_codes(path)) for path in cases}
    assert got == cases


def test_per_file_ignores_are_relative_to_the_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "proj/pyproject.toml",
        TABLE + 'per-file-ignores = { "docker/*" = ["PDH301"] }\n',
    )
    target = dockerfile(tmp_path, "proj/docker/Dockerfile")
    config = load_config(target, None, CountingRules())
    assert config.ignored_codes("proj/docker/Dockerfile") == {"PDH301"}
    monkeypatch.chdir(tmp_path / "proj/docker")
    assert config.ignored_codes("Dockerfile") == {"PDH301"}
    assert config.ignored_codes("../Dockerfile") == frozenset()


def test_options(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        TABLE
        + "[tool.python-docker-hooks.python-env-vars]\n"
        + 'required = ["PYTHONUNBUFFERED"]\n'
        + "strict = true\n"
        + "max-length = 5\n"
        + "ratio = 1\n"
        + "extra = { a = 1 }\n"
        + 'anything = [1, "x"]\n'
        + "[tool.python-docker-hooks.pip-no-cache-dir]\n",
    )
    config = load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert config.options == {
        "python-env-vars": {
            "required": ("PYTHONUNBUFFERED",),
            "strict": True,
            "max-length": 5,
            "ratio": 1.0,
            "extra": {"a": 1},
            "anything": [1, "x"],
        },
        "pip-no-cache-dir": {},
    }
    assert type(config.options["python-env-vars"]["ratio"]) is float


OPTIONS = "[tool.python-docker-hooks.python-env-vars]\n"
WHERE = "in [tool.python-docker-hooks.python-env-vars]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TABLE + "ignor = []\n", 'unknown key "ignor" in [tool.python-docker-hooks]'),
        (
            TABLE + 'ignore = "PDH101"\n',
            '"ignore" must be an array of strings, not a string',
        ),
        (
            TABLE + "ignore = [1]\n",
            '"ignore" must be an array of strings, not an array',
        ),
        (TABLE + 'ignore = ["PDH999"]\n', 'unknown code "PDH999" in "ignore"'),
        (TABLE + 'ignore = ["DL3008"]\n', 'unknown code "DL3008" in "ignore"'),
        (TABLE + 'ignore = ["pdh101"]\n', 'unknown code "pdh101" in "ignore"'),
        (
            TABLE + 'per-file-ignores = ["a"]\n',
            '"per-file-ignores" must be a table, not an array',
        ),
        (
            TABLE + 'per-file-ignores = { "a/*" = "PDH101" }\n',
            '"per-file-ignores" for "a/*" must be an array of strings, not a string',
        ),
        (
            TABLE + 'per-file-ignores = { "a/*" = ["X1"] }\n',
            'unknown code "X1" in "per-file-ignores" for "a/*"',
        ),
        (
            TABLE + 'development-images = "**/dev/**"\n',
            '"development-images" must be an array of strings, not a string',
        ),
        (
            TABLE + "development-images = [1]\n",
            '"development-images" must be an array of strings, not an array',
        ),
        (
            "[tool.python-docker-hooks.nope]\n",
            'unknown hook id "nope" in [tool.python-docker-hooks.nope]',
        ),
        (
            TABLE + "python-env-vars = 1\n",
            "[tool.python-docker-hooks.python-env-vars] must be a table, not an integer",
        ),
        (
            "[tool]\npython-docker-hooks = 1\n",
            "[tool.python-docker-hooks] must be a table, not an integer",
        ),
        (OPTIONS + "strictt = true\n", f'unknown option "strictt" {WHERE}'),
        (
            "[tool.python-docker-hooks.pip-no-cache-dir]\nstrict = true\n",
            'unknown option "strict" in [tool.python-docker-hooks.pip-no-cache-dir]',
        ),
        (
            OPTIONS + 'strict = "yes"\n',
            f'option "strict" {WHERE} must be a boolean, not a string',
        ),
        (
            OPTIONS + "max-length = true\n",
            f'option "max-length" {WHERE} must be an integer, not a boolean',
        ),
        (
            OPTIONS + "max-length = 1.5\n",
            f'option "max-length" {WHERE} must be an integer, not a float',
        ),
        (
            OPTIONS + 'ratio = "half"\n',
            f'option "ratio" {WHERE} must be a float, not a string',
        ),
        (
            OPTIONS + 'required = "X"\n',
            f'option "required" {WHERE} must be an array, not a string',
        ),
        (
            OPTIONS + "required = [1]\n",
            (
                f'option "required" {WHERE} must be an array of strings, '
                "not one holding an integer"
            ),
        ),
        (
            OPTIONS + "extra = 1\n",
            f'option "extra" {WHERE} must be a table, not an integer',
        ),
    ],
)
def test_errors(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert str(info.value) == f"pyproject.toml: {message}"


def test_error_names_the_file_below_cwd(tmp_path: Path) -> None:
    write(tmp_path / "sub/pyproject.toml", TABLE + 'ignore = ["X"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(dockerfile(tmp_path, "sub/Dockerfile"), None, CountingRules())
    assert str(info.value) == f'sub{os.sep}pyproject.toml: unknown code "X" in "ignore"'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            TABLE.encode() + b'ignore = ["\xff"]\n',
            "pyproject.toml: invalid TOML: not UTF-8",
        ),
        (b"[tool.python-docker-hooks\n", "pyproject.toml: invalid TOML: "),
        (
            TABLE.encode() + b"ignore = []\nignore = []\n",
            "pyproject.toml: invalid TOML: ",
        ),
    ],
)
def test_invalid_toml(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert "(at line" in str(info.value) or str(info.value) == message


# --- glob matching ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("docker/legacy/*", "docker/legacy/Dockerfile", True),
        ("docker/legacy/*", "docker/legacy/a/Dockerfile", False),
        ("docker/legacy/*", "x/docker/legacy/Dockerfile", False),
        ("docker/*/Dockerfile", "docker/a/Dockerfile", True),
        ("docker/*/Dockerfile", "docker/a/b/Dockerfile", False),
        ("docker/**/Dockerfile", "docker/Dockerfile", True),
        ("docker/**/Dockerfile", "docker/a/b/Dockerfile", True),
        ("docker/**", "docker/a/b/Dockerfile", True),
        ("docker/**", "dockers/Dockerfile", False),
        ("docker/", "docker/a/Dockerfile", True),
        ("**/Dockerfile.dev", "Dockerfile.dev", True),
        ("**/Dockerfile.dev", "a/b/Dockerfile.dev", True),
        ("**/Dockerfile.dev", "a/b/Dockerfile.devx", False),
        ("**/a/**/Dockerfile", "x/a/y/z/Dockerfile", True),
        ("**/a/**/Dockerfile", "x/b/y/z/Dockerfile", False),
        ("Dockerfile.*", "a/b/Dockerfile.dev", True),
        ("Dockerfile.*", "Dockerfile", False),
        ("*.Dockerfile", "svc/api.Dockerfile", True),
        ("Dockerfile", "a/Dockerfile", True),
        ("Dockerfile", "a/dockerfile", False),
        ("Dockerfile.[ab]", "Dockerfile.a", True),
        ("Dockerfile.[!ab]", "Dockerfile.a", False),
        ("Dockerfile.?", "Dockerfile.c", True),
        ("./docker/Dockerfile", "docker/Dockerfile", True),
        ("/docker/Dockerfile", "docker/Dockerfile", True),
        ("docker//Dockerfile", "docker/Dockerfile", True),
        ("docker/Dockerfile", "docker/Dockerfile/extra", False),
        ("**", "a/b/c", True),
    ],
)
def test_match_path(pattern: str, path: str, expected: bool) -> None:
    assert match_path(pattern, path) is expected


def test_match_path_is_linear() -> None:
    # Many stars over a long path must not backtrack.
    path = "a/" * 20_000 + "Dockerfile"
    assert match_path("**/" * 50 + "x", path) is False
    assert match_path("**/*/" * 50 + "Dockerfile", path) is True


# --- targets ------------------------------------------------------------------


def test_targets(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        TABLE + '[tool.python-docker-hooks.targets]\n"Dockerfile" = "app"\n'
        '"docker/*.Dockerfile" = "runtime"\n"docker/api.Dockerfile" = "api"\n',
    )
    config = load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert config.target_for(str(tmp_path / "Dockerfile")) == "app"
    assert config.target_for(str(tmp_path / "sub" / "Dockerfile")) == "app"
    assert config.target_for(str(tmp_path / "docker" / "web.Dockerfile")) == "runtime"
    # The last matching pattern wins.
    assert config.target_for(str(tmp_path / "docker" / "api.Dockerfile")) == "api"
    assert config.target_for(str(tmp_path / "Containerfile")) is None


def test_no_targets() -> None:
    assert Config().target_for("Dockerfile") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TABLE + 'targets = "app"\n', '"targets" must be a table, not a string'),
        (
            TABLE + 'targets = { "Dockerfile" = 1 }\n',
            '"targets" for "Dockerfile" must be a string, not an integer',
        ),
        (
            TABLE + 'targets = { "Dockerfile" = "" }\n',
            "\"targets\" for \"Dockerfile\" must be a stage name, not ''",
        ),
        (
            TABLE + 'targets = { "Dockerfile" = "my app" }\n',
            "\"targets\" for \"Dockerfile\" must be a stage name, not 'my app'",
        ),
        (TABLE + 'target = { "Dockerfile" = "app" }\n', 'unknown hook id "target" in [tool.python-docker-hooks.target]'),
    ],
)
def test_target_errors(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert str(info.value) == f"pyproject.toml: {message}"


def test_contexts(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.python-docker-hooks.contexts]\n"
        '"docker/*.Dockerfile" = "."\n'
        '"services/**/Dockerfile" = "services"\n',
    )
    config = load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert config.contexts == (
        ("docker/*.Dockerfile", "."),
        ("services/**/Dockerfile", "services"),
    )
    assert config.context_of(str(tmp_path / "docker" / "api.Dockerfile")) == str(tmp_path)
    assert config.context_of(str(tmp_path / "services" / "a" / "b" / "Dockerfile")) == str(
        tmp_path / "services"
    )
    assert config.context_of(str(tmp_path / "Dockerfile")) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TABLE + 'contexts = ["."]\n', '"contexts" must be a table, not an array'),
        (
            '[tool.python-docker-hooks.contexts]\n"Dockerfile" = 1\n',
            '"contexts" for "Dockerfile" must be a string (a directory), not an integer',
        ),
    ],
)
def test_contexts_errors(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(dockerfile(tmp_path, "Dockerfile"), None, CountingRules())
    assert str(info.value) == f"pyproject.toml: {message}"


# --- development images -------------------------------------------------------------


@pytest.mark.parametrize("examples", [1000, pytest.param(3000, marks=pytest.mark.heavy)])
def test_a_path_a_glob_matches_holds_its_plain_text(examples: int) -> None:
    """The shortcut of ``development_image``: a path without the pattern's plain
    text is not matched, so the matcher is not asked (nor loaded)."""
    @settings(max_examples=examples, deadline=None)
    @given(
        st.text(alphabet="ab./*?[]!-", min_size=1, max_size=9),
        st.text(alphabet="ab./-", min_size=1, max_size=9),
    )
    def check(pattern: str, path: str) -> None:
        if match_path(pattern, path):
            assert _plain_text(pattern) in path

    check()
@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        (None, ".devcontainer/Dockerfile", True),
        (None, "tools/.devcontainer/py/Dockerfile", True),
        (None, "docker/Dockerfile", False),
        (None, "devcontainer/Dockerfile", False),
        (["docker/dev.Dockerfile"], "docker/dev.Dockerfile", True),
        (["docker/dev.Dockerfile"], ".devcontainer/Dockerfile", False),
        (["./dev/"], "dev/Dockerfile", True),
        ([], ".devcontainer/Dockerfile", False),
    ],
)
def test_development_image(patterns: list[str] | None, path: str, expected: bool) -> None:
    config = Config() if patterns is None else Config(development_images=patterns)
    assert config.development_image(path) is expected
