"""Meta tests: the manifest, the console scripts, the registry, the rule docs, the
README and the documentation pages agree with each other and with what the hooks
really do."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from python_docker_hooks._engine import config as _config
from python_docker_hooks._engine.registry import (
    AGGREGATE,
    HOOKS,
    all_rules,
    all_specs,
    hook_module,
)
from python_docker_hooks._engine.vocabulary import (
    DOC_SECTIONS,
    FIX_NONE,
    FIX_SAFE,
    FIX_UNSAFE,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

yaml = pytest.importorskip(
    "yaml", reason="PyYAML comes with pre-commit: pip install -e '.[test]'"
)

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
README = ROOT / "README.md"
DOCS = ROOT / "docs"
CLI_DOC = DOCS / "cli.md"
CONFIGURATION_DOC = DOCS / "configuration.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
CI_RUN = ROOT / ".ci" / "run"
DEMO = ROOT / "examples" / "demo.sh"
TEST_COMMAND = "pip install -e '.[test]' && pytest"

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MANIFEST_HOOKS: list[dict[str, object]] = yaml.safe_load(
    MANIFEST.read_text(encoding="utf-8")
)
README_TEXT = README.read_text(encoding="utf-8")
RULES = all_rules()


# --- README structure ------------------------------------------------------

_HEADING = re.compile(r"(#{1,6}) (.+)")
_FENCE = re.compile(r"(`{3,})(\S*)(?:[ \t].*)?")


class Section:
    """A README heading and the lines up to the next heading of any level."""

    __slots__ = ("level", "title", "lines")

    def __init__(self, level: int, title: str) -> None:
        self.level = level
        self.title = title
        self.lines: list[str] = []

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def blocks(self) -> list[tuple[str, str]]:
        """The fenced code blocks, as (info string, content)."""
        found: list[tuple[str, str]] = []
        fence: str | None = None
        info = ""
        body: list[str] = []
        for line in self.lines:
            if fence is None:
                match = _FENCE.fullmatch(line.strip())
                if match:
                    fence, info, body = match[1], match[2], []
            elif line.strip() == fence:
                found.append((info, "".join(f"{b}\n" for b in body)))
                fence = None
            else:
                body.append(line)
        return found

    def __repr__(self) -> str:
        return f"Section({self.level}, {self.title!r})"


def readme_sections(text: str) -> list[Section]:
    sections = [Section(0, "")]
    in_fence: str | None = None
    for line in text.splitlines():
        fence = _FENCE.fullmatch(line.strip())
        if in_fence is None and fence:
            in_fence = fence[1]
        elif in_fence is not None and line.strip() == in_fence:
            in_fence = None
        elif in_fence is None:
            heading = _HEADING.fullmatch(line)
            if heading:
                sections.append(Section(len(heading[1]), heading[2].strip()))
                continue
        sections[-1].lines.append(line)
    return sections


SECTIONS = readme_sections(README_TEXT)


def section(title: str, document: Path = README) -> Section:
    """The one section of ``document`` (the README unless told) titled ``title``."""
    sections = (
        SECTIONS
        if document == README
        else readme_sections(document.read_text(encoding="utf-8"))
    )
    found = [s for s in sections if s.title == title]
    name = document.relative_to(ROOT)
    assert len(found) == 1, f"{name} must have exactly one section {title!r}"
    return found[0]


def hook_page(hook_id: str) -> Path:
    return DOCS / "hooks" / f"{hook_id}.md"


def table_rows(text: str) -> list[list[str]]:
    """Body rows of the Markdown tables in ``text``, as lists of stripped cells."""
    rows: list[list[str]] = []
    previous_in_table = False
    for line in text.splitlines():
        line = line.strip()
        in_table = line.startswith("|")
        # The first line of a table is its header; the second, the separator.
        if in_table and previous_in_table and not set(line) <= set("|-: "):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        previous_in_table = in_table
    return rows


# --- manifest, scripts, registry --------------------------------------------


def test_manifest_is_valid_for_pre_commit() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hooks = clientlib.load_manifest(str(MANIFEST))
    assert [h["id"] for h in hooks] == [*HOOKS, AGGREGATE]


def test_manifest_lists_the_registry_hooks_in_order() -> None:
    assert [h["id"] for h in MANIFEST_HOOKS] == [*HOOKS, AGGREGATE]


def test_generated_files_are_current() -> None:
    """The manifest, the README's hooks table and docs/rules come from the registry."""
    import subprocess

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_aggregate_hook_entry_runs_every_hook() -> None:
    (hook,) = [h for h in MANIFEST_HOOKS if h["id"] == AGGREGATE]
    # `check` reports only; the hook fixes in place, as pre-commit users expect.
    assert hook["entry"] == f"{AGGREGATE} check --fix"
    assert hook["language"] == "python"
    assert PYPROJECT["project"]["scripts"][AGGREGATE] == "python_docker_hooks._cli:main"
    # It reads every kind of file some hook reads: its selection is that of a
    # hook reading all of them.
    kinds = set(_kinds_of(hook))
    assert kinds == {k for spec in all_specs() for k in spec.kinds}
    widest = [h for h in MANIFEST_HOOKS if h["id"] in HOOKS and set(_kinds_of(h)) == kinds]
    assert widest
    assert (hook["files"], hook["exclude"]) == (widest[0]["files"], widest[0]["exclude"])
    assert hook.get("require_serial", False) == any(s.serial for s in all_specs())


def test_console_scripts_are_the_hooks() -> None:
    scripts = PYPROJECT["project"]["scripts"]
    assert scripts == {
        **{hook_id: f"python_docker_hooks.{module}:main" for hook_id, module in HOOKS.items()},
        AGGREGATE: "python_docker_hooks._cli:main",
    }


@pytest.mark.parametrize(
    "hook",
    [h for h in MANIFEST_HOOKS if h["id"] != AGGREGATE],
    ids=lambda h: str(h["id"]),
)
def test_manifest_entry(hook: dict[str, object]) -> None:
    hook_id = str(hook["id"])
    assert hook["entry"] == hook_id
    assert hook["language"] == "python"
    assert isinstance(hook["name"], str) and hook["name"]
    assert isinstance(hook["description"], str) and hook["description"]
    target = PYPROJECT["project"]["scripts"][hook_id]
    module_name, _, function = target.partition(":")
    module = importlib.import_module(module_name)
    assert module is hook_module(hook_id)
    assert callable(getattr(module, function))
    assert module.RULES
    assert {rule.hook for rule in module.RULES} == {hook_id}


def test_every_rule_belongs_to_a_registered_hook() -> None:
    assert {rule.hook for rule in RULES} == set(HOOKS)


def test_hook_modules_are_the_registry() -> None:
    """Every module of hooks/ not starting with ``_`` is a hook in the registry,
    and every hook of the registry is such a module: a hook cannot be left out."""
    modules = {
        path.stem
        for path in (ROOT / "hooks").glob("*.py")
        if not path.name.startswith("_")
    }
    assert modules == set(HOOKS.values())
    assert len(set(HOOKS.values())) == len(HOOKS)


def _version(text: str) -> tuple[int, ...]:
    parts = tuple(int(p) for p in text.split("."))
    return parts + (0,) * (3 - len(parts))


def _kinds_of(hook: dict[str, object]) -> tuple[str, ...]:
    """The kinds of file a manifest entry's hook reads."""
    if hook["id"] == AGGREGATE:
        return tuple(dict.fromkeys(k for s in all_specs() for k in s.kinds))
    return tuple(hook_module(str(hook["id"])).SPEC.kinds)


def test_hooks_share_file_selection_and_stages() -> None:
    """Hooks reading the same kinds of file select the same files; all share the
    stages; a hook one file can lead to others (``serial``) runs in one process."""
    keys = ("types", "stages", "minimum_pre_commit_version")
    first = {k: MANIFEST_HOOKS[0].get(k) for k in keys}
    by_kinds: dict[tuple[str, ...], tuple[object, object]] = {}
    for hook in MANIFEST_HOOKS:
        assert {k: hook.get(k) for k in keys} == first, hook["id"]
        selection = (hook["files"], hook["exclude"])
        assert by_kinds.setdefault(_kinds_of(hook), selection) == selection, hook["id"]
        if hook["id"] in HOOKS:
            serial = hook_module(str(hook["id"])).SPEC.serial
            assert hook.get("require_serial", False) is serial, hook["id"]


def test_minimum_pre_commit_version_covers_features_used() -> None:
    # The stage names pre-commit/pre-merge-commit/pre-push arrived in 3.2.0.
    for hook in MANIFEST_HOOKS:
        stages = hook["stages"]
        assert isinstance(stages, list)
        assert set(stages) <= {"pre-commit", "pre-merge-commit", "pre-push", "manual"}
        assert _version(str(hook["minimum_pre_commit_version"])) >= (3, 2, 0)
    # The test extra must install a pre-commit the manifest accepts.
    (requirement,) = [
        r
        for r in PYPROJECT["project"]["optional-dependencies"]["test"]
        if re.match(r"pre-commit\b", r)
    ]
    bound = re.fullmatch(r"pre-commit>=([\d.]+)", requirement)
    assert bound is not None, requirement
    assert _version(bound[1]) >= _version(
        str(MANIFEST_HOOKS[0]["minimum_pre_commit_version"])
    )


# --- file selection ---------------------------------------------------------

# (path, identify tags it "dockerfile", the hooks run on it)
SELECTION = [
    ("Dockerfile", True, True),
    ("Dockerfile.dev", True, True),
    ("api.Dockerfile", True, True),
    ("app.dockerfile", False, True),
    ("dockerfile", False, True),
    ("DockerFile", False, True),
    ("Containerfile", True, True),
    ("Containerfile.prod", True, True),
    ("x.Containerfile", True, True),
    ("app.containerfile", False, True),
    ("docker/Dockerfile", True, True),
    ("services/api/Dockerfile.prod", True, True),
    ("sub.dir/Dockerfile", True, True),
    ("api.Dockerfile.dockerignore", True, False),
    ("Dockerfile.dockerignore", True, False),
    (".dockerignore", False, False),
    ("app/.dockerignore", False, False),
    ("compose.yaml", False, False),
    ("compose.yml", False, False),
    ("deploy/docker-compose.yaml", False, False),
    ("docker-compose.yml", False, False),
    ("compose.override.yaml", False, False),
    ("docker-compose.override.yml", False, False),
    # A file given to ``docker compose -f`` (compose*.y[a]ml, docker-compose*.y[a]ml).
    ("docker-compose.prod.yml", False, False),
    ("deploy/compose.production.yaml", False, False),
    ("compose.yaml.bak", False, False),
    (".dockerignore.orig", False, False),
    ("Dockerfile.j2", True, False),
    ("Dockerfile.jinja2", True, False),
    ("Dockerfile.template", True, False),
    ("Dockerfile.in", True, False),
    ("Dockerfile.d/entrypoint.sh", False, False),
    ("Dockerfiles/readme.txt", False, False),
    ("dockerfile.py", False, False),
    ("tests/test_dockerfile.py", False, False),
    ("docs/dockerfile.md", False, False),
    ("README.md", False, False),
]


# Paths that hooks reading ignore files and compose files take besides Dockerfiles.
IGNORE_FILES = {
    "api.Dockerfile.dockerignore",
    "Dockerfile.dockerignore",
    ".dockerignore",
    "app/.dockerignore",
}
COMPOSE_FILES = {
    "compose.yaml",
    "compose.yml",
    "deploy/docker-compose.yaml",
    "docker-compose.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.prod.yml",
    "deploy/compose.production.yaml",
}


def expected_for(hook: dict[str, object], path: str, dockerfile_hooks: bool) -> bool:
    kinds = _kinds_of(hook)
    if path in IGNORE_FILES:
        return "dockerignore" in kinds
    if path in COMPOSE_FILES:
        return "compose" in kinds
    return dockerfile_hooks and "dockerfile" in kinds


def selected_by(hook: dict[str, object], path: str, tags: set[str]) -> bool:
    """Whether pre-commit gives ``path`` to ``hook``, as pre-commit decides it.

    pre-commit filters the repository's paths (relative, with "/") with
    ``re.search`` of the hook's ``files`` and not ``exclude``, then keeps the
    ones whose identify tags include every ``types``, one of ``types_or`` (if
    any), and none of ``exclude_types``.
    """
    if not re.search(str(hook["files"]), path):
        return False
    if re.search(str(hook["exclude"]), path):
        return False
    types = set(hook["types"])  # type: ignore[call-overload]
    types_or = set(hook["types_or"])  # type: ignore[call-overload]
    exclude_types = set(hook["exclude_types"])  # type: ignore[call-overload]
    return (
        tags >= types
        and (not types_or or bool(tags & types_or))
        and not tags & exclude_types
    )


@pytest.fixture(scope="module")
def loaded_hooks() -> list[dict[str, object]]:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    # Loading fills in pre-commit's defaults (types_or, exclude_types, ...).
    return list(clientlib.load_manifest(str(MANIFEST)))


@pytest.mark.parametrize(("path", "tagged", "expected"), SELECTION)
def test_file_selection(
    loaded_hooks: list[dict[str, object]],
    tmp_path: Path,
    path: str,
    tagged: bool,
    expected: bool,
) -> None:
    identify = pytest.importorskip("identify.identify")
    file = tmp_path / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("FROM python:3.12-slim\n", encoding="utf-8")
    tags = identify.tags_from_path(str(file))
    assert ("dockerfile" in tags) == tagged
    for hook in loaded_hooks:
        assert selected_by(hook, path, tags) == expected_for(hook, path, expected), hook[
            "id"
        ]


def test_symlinks_are_not_selected(
    loaded_hooks: list[dict[str, object]], tmp_path: Path
) -> None:
    identify = pytest.importorskip("identify.identify")
    (tmp_path / "Dockerfile.real").write_text("FROM python:3.12-slim\n")
    try:
        os.symlink("Dockerfile.real", tmp_path / "Dockerfile")
    except (OSError, NotImplementedError):
        pytest.skip("cannot create symlinks here")
    tags = identify.tags_from_path(str(tmp_path / "Dockerfile"))
    for hook in loaded_hooks:
        assert not selected_by(hook, "Dockerfile", tags)
        assert selected_by(hook, "Dockerfile.real", {"file", "text"})


# --- rules and their docs -----------------------------------------------------


def test_codes_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"PDH[1-9]\d\d", code), code


def test_each_hook_owns_one_block_of_codes() -> None:
    """A hook's codes share their first two digits (PDH10x, PDH61x): a decade no
    other hook uses, so a new rule of a hook takes the next code of its decade."""
    blocks: dict[str, set[str]] = {}
    for rule in RULES:
        blocks.setdefault(rule.hook, set()).add(rule.code[:5])
    assert all(len(b) == 1 for b in blocks.values()), blocks
    owned = [next(iter(b)) for b in blocks.values()]
    assert len(owned) == len(set(owned)), blocks


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_record(rule: object) -> None:
    from python_docker_hooks._engine.vocabulary import Rule

    assert isinstance(rule, Rule)
    assert rule.fix in (FIX_NONE, FIX_SAFE, FIX_UNSAFE)
    assert rule.summary and rule.summary == rule.summary.strip()
    assert not rule.summary.endswith(".")
    if rule.hadolint is not None:
        assert re.fullmatch(r"(?:DL|SC)\d{4}", rule.hadolint)
    if rule.buildkit is not None:
        assert re.fullmatch(r"[A-Z][A-Za-z]+", rule.buildkit)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_doc_sections(rule: object) -> None:
    from python_docker_hooks._engine.vocabulary import Rule

    assert isinstance(rule, Rule)
    doc = readme_sections(rule.doc)
    titles = [s.title for s in doc if s.level == 2]
    assert [t for t in titles if t in DOC_SECTIONS] == list(DOC_SECTIONS), titles
    for s in doc:
        if s.title in DOC_SECTIONS:
            assert s.text.strip(), f"{rule.code}: empty section {s.title!r}"
    assert doc[0].text.strip() == "", f"{rule.code}: text before the first section"


# --- README ---------------------------------------------------------------


def test_readme_hooks_table() -> None:
    rows = table_rows(section("Hooks").text)
    expected = []
    for rule in RULES:
        names = [f"hadolint {rule.hadolint}"] if rule.hadolint else []
        names += [f"BuildKit {rule.buildkit}"] if rule.buildkit else []
        expected.append(
            (
                f"[`{rule.hook}`](docs/hooks/{rule.hook}.md)",
                f"[{rule.code}](docs/rules/{rule.code}.md)",
                rule.summary,
                rule.severity,
                rule.fix,
                ", ".join(names) or "—",
            )
        )
    assert sorted(tuple(r) for r in rows) == sorted(expected)
    for rule in RULES:
        page = (ROOT / "docs" / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {rule.code}: {rule.summary}\n")
        assert rule.doc in page


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_hook_page(hook_id: str) -> None:
    """A hook's page is titled with its id and links each of its rules' pages."""
    (title,) = [s for s in readme_sections(hook_page(hook_id).read_text()) if s.level == 1]
    assert title.title == f"`{hook_id}`"
    for rule in hook_module(hook_id).RULES:
        assert f"[{rule.code}](../rules/{rule.code}.md)" in title.text, rule.code


def test_readme_is_a_landing_page() -> None:
    """The README stays short: the hooks' prose, the command line and the
    configuration are on the documentation pages it links."""
    assert len(README_TEXT.splitlines()) <= 400
    for page in ("docs/index.md", "docs/cli.md", "docs/configuration.md",
                 "docs/contexts.md", "CONTRIBUTING.md"):
        assert f"]({page})" in README_TEXT, page
        assert (ROOT / page).is_file(), page


def test_configuration_options_table_is_the_rules_options() -> None:
    """The options table of docs/configuration.md names each option a rule
    declares, under its hook, and no other."""
    rows = table_rows(section("Configuration", CONFIGURATION_DOC).text)
    listed = {(row[0].strip("`"), row[1].strip("`")) for row in rows if len(row) == 4}
    declared = {(rule.hook, name) for rule in RULES for name in rule.options}
    assert listed == declared


def test_readme_config_snippet() -> None:
    blocks = [c for info, c in section("Usage").blocks() if info == "yaml"]
    # Every hook in one process, then the per-concern hooks.
    assert len(blocks) == 2
    ids = []
    revs = set()
    for block in blocks:
        (repo,) = yaml.safe_load(block)["repos"]
        assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", repo["repo"])
        revs.add(repo["rev"])
        ids.append([h["id"] for h in repo["hooks"]])
    assert ids == [[AGGREGATE], list(HOOKS)]
    # A tag only once one exists; until then a commit of this repository
    # whose manifest has every hook the snippets name.
    tags = _git("tag", "--list")
    (rev,) = revs
    if tags is not None and tags.strip():
        assert rev in tags.split(), rev
        return
    assert re.fullmatch(r"[0-9a-f]{40}", rev), rev
    manifest = _git("show", f"{rev}:.pre-commit-hooks.yaml")
    if manifest is None:
        pytest.skip("no git history here to find the pinned commit in")
    assert {h["id"] for h in yaml.safe_load(manifest)} >= {AGGREGATE, *HOOKS}


def _git(*argv: str) -> str | None:
    """git's output in this checkout; None where there is no git history."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if shallow.returncode != 0 or shallow.stdout.strip() == "true":
        return None
    found = subprocess.run(
        ["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert found.returncode == 0, found.stderr
    return found.stdout


def run_hook(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    hook_id, *args = argv
    _config.clear_cache()
    # No pyproject.toml above the scratch directory may govern the run.
    _config._dirs[str(tmp_path)] = None
    capsys.readouterr()
    status = hook_module(hook_id).main(args)
    return status, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("hook_id", list(HOOKS))
def test_readme_example_is_real_output(
    hook_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Dockerfile of the hook's page, run as its console block shows, prints
    exactly what the block shows and leaves the file shown after it (or unchanged)."""
    page = readme_sections(hook_page(hook_id).read_text(encoding="utf-8"))
    blocks = [block for s in page for block in s.blocks()]
    infos = [info for info, _ in blocks]
    assert infos in (
        ["dockerfile", "console"],
        ["dockerfile", "console", "dockerfile"],
        # With the .dockerignore next to the Dockerfile, before and after.
        ["dockerfile", "text", "console"],
        ["dockerfile", "text", "console", "text"],
        # And the compose file that builds it (compose.yaml).
        ["dockerfile", "text", "yaml", "console", "text"],
    ), infos
    before = blocks[0][1]
    after = blocks[2][1] if infos[-1] == "dockerfile" else before
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(before, encoding="utf-8")
    if "yaml" in infos:
        (tmp_path / "compose.yaml").write_text(blocks[2][1], encoding="utf-8")
        blocks = [b for b in blocks if b[0] != "yaml"]
        infos = [info for info, _ in blocks]
    ignore = tmp_path / ".dockerignore"
    ignore_before = blocks[1][1] if infos[1] == "text" else None
    if ignore_before is not None:
        ignore.write_text(ignore_before, encoding="utf-8")
        blocks = [blocks[0], *blocks[2:]]

    commands: list[tuple[list[str], list[str]]] = []
    for line in blocks[1][1].splitlines():
        if line.startswith("$ "):
            commands.append((shlex.split(line[2:]), []))
        else:
            commands[-1][1].append(line)
    assert commands and all(argv[0] == hook_id for argv, _ in commands)
    for argv, shown in commands:
        status, printed = run_hook(argv, tmp_path, capsys)
        assert printed == shown, argv
        assert status == 1, argv
    assert (tmp_path / "Dockerfile").read_text(encoding="utf-8") == after
    if ignore_before is not None:
        ignore_after = blocks[2][1] if len(blocks) == 3 else ignore_before
        assert ignore.read_text(encoding="utf-8") == ignore_after


def test_readme_suppression_example_is_clean(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (example,) = [
        c
        for i, c in section("Suppressing findings", CONFIGURATION_DOC).blocks()
        if i == "dockerfile"
    ]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(example, encoding="utf-8")
    # A complete ignore file, so that the context's hooks are clean too.
    from python_docker_hooks.dockerignore_entries import RECOMMENDED, REQUIRED

    patterns = [*REQUIRED, *RECOMMENDED]
    (tmp_path / ".dockerignore").write_text("".join(p + "\n" for p in patterns))
    for hook_id in HOOKS:
        assert run_hook([hook_id, "Dockerfile"], tmp_path, capsys) == (0, []), hook_id
    # Without the pragmas, the suppressed findings come back.
    bare = "".join(
        line for line in example.splitlines(keepends=True) if not line.startswith("#")
    )
    (tmp_path / "Dockerfile").write_text(bare, encoding="utf-8")
    status, printed = run_hook(
        ["pip-no-cache-dir", "--no-fix", "Dockerfile"], tmp_path, capsys
    )
    assert (status, [p.split(" ")[1] for p in printed]) == (1, ["PDH101"])
    status, printed = run_hook(["python-env-vars", "Dockerfile"], tmp_path, capsys)
    assert (status, [p.split(" ")[1] for p in printed]) == (1, ["PDH302"])


def test_readme_configuration_example_is_accepted(tmp_path: Path) -> None:
    (example,) = [
        c for i, c in section("Configuration", CONFIGURATION_DOC).blocks() if i == "toml"
    ]
    config_file = tmp_path / "pyproject.toml"
    config_file.write_text(example, encoding="utf-8")
    _config.clear_cache()
    config = _config.load_config(
        str(tmp_path / "docker" / "legacy" / "Dockerfile"), str(config_file), all_rules
    )
    legacy = str(tmp_path / "docker" / "legacy" / "Dockerfile")
    dev = str(tmp_path / "api" / "web.dev.Dockerfile")
    assert config.ignored_codes(legacy) == {"PDH302", "PDH401"}
    assert config.ignored_codes(dev) == {"PDH302", "PDH101"}
    assert config.ignored_codes(str(tmp_path / "Dockerfile")) == {"PDH302"}


def test_readme_test_command_and_ci() -> None:
    blocks = section("Running the tests").blocks()
    assert blocks and blocks[0][1] == TEST_COMMAND + "\n"
    script = CI_RUN.read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if line.strip()]
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    # The README's command, verbatim and once, in a fresh virtualenv per Python.
    assert lines.count(TEST_COMMAND) == 1
    (venv,) = [i for i, line in enumerate(lines) if line.startswith('"$python" -m venv ')]
    assert venv < lines.index(TEST_COMMAND)


def test_ci_builds_the_documentation_strictly() -> None:
    """.ci/run installs the docs extra and builds the site with --strict (every
    warning, such as a broken link, fails the run) into its scratch directory."""
    script = CI_RUN.read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[docs]'" in script
    assert 'mkdocs build --strict --site-dir "$scratch/site"' in script
    assert any(
        "mkdocs-material" in r for r in PYPROJECT["project"]["optional-dependencies"]["docs"]
    )
    assert "site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_ci_runs_the_profiles_a_plain_run_leaves_out() -> None:
    """A plain `pytest` deselects the heavy and live markers; .ci/run runs each
    of those profiles once, and a failure of either fails it."""
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert "-m 'not live and not heavy'" in options["addopts"]
    assert {m.partition(":")[0] for m in options["markers"]} >= {"live", "heavy"}
    script = CI_RUN.read_text(encoding="utf-8")
    assert script.count("&& pytest -m heavy);") == 1
    assert script.count("&& pytest -m live tests/live -rs);") == 1
    assert 'failed="$failed heavy"' in script
    assert 'failed="$failed live"' in script


def test_ci_runs_every_python_the_classifiers_name() -> None:
    """The versions .ci/run tests are the ones pyproject.toml claims: each of
    the classifiers' minor versions, the lowest being requires-python's."""
    script = CI_RUN.read_text(encoding="utf-8")
    (tested,) = re.findall(r'^PYTHONS="([\d. ]+)"$', script, re.MULTILINE)
    versions = tested.split()
    prefix = "Programming Language :: Python :: "
    claimed = [
        c.removeprefix(prefix)
        for c in PYPROJECT["project"]["classifiers"]
        if re.fullmatch(re.escape(prefix) + r"3\.\d+", c)
    ]
    assert versions == claimed
    assert PYPROJECT["project"]["requires-python"] == f">={versions[0]}"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + versions[0].replace(".", "")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash runs .ci/run")
def test_ci_fails_when_a_supported_python_is_missing(tmp_path: Path) -> None:
    """With no pyenv and no pythonX.Y on PATH, .ci/run stops before testing
    anything, naming what is missing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("mktemp", "rm", "ls", "grep", "sort", "tail", "dirname"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    proc = subprocess.run(
        [shutil.which("bash") or "bash", str(CI_RUN)],
        env={"PATH": str(bin_dir), "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        "ci: no interpreter for Python 3.10 3.11 3.12 3.13 "
        "(pyenv install, or pythonX.Y on PATH)\n"
    )
    assert proc.stdout == ""


@pytest.mark.skipif(os.name != "posix", reason="executable bits are POSIX")
@pytest.mark.parametrize("script", [CI_RUN, DEMO], ids=lambda p: p.name)
def test_scripts_are_executable(script: Path) -> None:
    assert script.stat().st_mode & stat.S_IXUSR
    assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")


def test_demo_runs_try_repo_on_a_copy_of_the_example() -> None:
    demo = DEMO.read_text(encoding="utf-8")
    assert "try-repo" in demo and "--all-files" in demo
    assert 'cp -R "$root/examples/fastapi-app"' in demo
    assert "examples/demo.sh" in section("Try it").text


def test_directory_walk_selects_by_the_manifest_patterns() -> None:
    from python_docker_hooks._engine.files import FILE_SELECTION
    from python_docker_hooks._engine.registry import spec

    files, exclude = FILE_SELECTION["dockerfile"]
    for hook in MANIFEST_HOOKS:
        if hook["id"] == AGGREGATE or spec(str(hook["id"])).kinds != ("dockerfile",):
            continue
        assert (hook["files"], hook["exclude"]) == (files, exclude), hook["id"]


@pytest.mark.parametrize(("path", "tagged", "expected"), SELECTION)
def test_directory_walk_selection(path: str, tagged: bool, expected: bool) -> None:
    from python_docker_hooks._engine.files import kind_by_name

    assert (kind_by_name(path) == "dockerfile") == expected


def test_version_is_the_release() -> None:
    import python_docker_hooks

    assert python_docker_hooks.__version__ == PYPROJECT["project"]["version"]


def test_rule_urls_point_into_the_repository_of_the_usage_snippet() -> None:
    from python_docker_hooks._output import REPOSITORY, rule_url

    for block in [c for info, c in section("Usage").blocks() if info == "yaml"]:
        (repo,) = yaml.safe_load(block)["repos"]
        assert REPOSITORY == repo["repo"]
    assert rule_url("PDH101") == f"{REPOSITORY}/blob/main/docs/rules/PDH101.md"


CLI_SECTIONS = (
    "`python-docker-hooks check`",
    "Output formats",
    "`python-docker-hooks rules` and `explain`",
)


@pytest.mark.parametrize("title", CLI_SECTIONS)
def test_readme_command_line_examples_are_real_output(
    title: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each console block of the command line sections, run on the Dockerfile of
    the `check` section (fresh for each block), prints exactly what it shows
    (standard output, then standard error)."""
    from clirun import cli

    (dockerfile,) = [
        c
        for i, c in section("`python-docker-hooks check`", CLI_DOC).blocks()
        if i == "dockerfile"
    ]
    consoles = [c for i, c in section(title, CLI_DOC).blocks() if i == "console"]
    assert consoles
    for console in consoles:
        (tmp_path / "Dockerfile").write_text(dockerfile, encoding="utf-8")
        commands: list[tuple[list[str], list[str]]] = []
        for line in console.splitlines():
            if line.startswith("$ "):
                commands.append((shlex.split(line[2:]), []))
            else:
                commands[-1][1].append(line)
        for argv, shown in commands:
            assert argv[0] == AGGREGATE
            run = cli(capsys, tmp_path, *argv[1:], every_hook=True)
            assert (run.out + run.err).splitlines() == shown, argv
            assert run.code in (0, 1), argv


def test_readme_pre_commit_args_are_check_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The `args` the README gives the aggregate hook are options `check` takes
    (pre-commit runs its entry, `python-docker-hooks check`, with them)."""
    from clirun import FLAWED, cli

    (block,) = [c for i, c in section("In pre-commit", CLI_DOC).blocks() if i == "yaml"]
    (hook,) = yaml.safe_load(block)
    (aggregate,) = [h for h in MANIFEST_HOOKS if h["id"] == hook["id"]]
    # `check` reports only; the hook fixes, as pre-commit's users expect.
    assert aggregate["entry"] == f"{AGGREGATE} check --fix"
    (tmp_path / "Dockerfile").write_text(FLAWED, encoding="utf-8")
    run = cli(
        capsys, tmp_path, *aggregate["entry"].split()[1:], *hook["args"], "--no-fix",
        "Dockerfile", every_hook=True,
    )
    assert run.code == 1
    assert (tmp_path / "Dockerfile").read_text(encoding="utf-8") == FLAWED
    codes = {line.split(" ")[1] for line in run.lines[:-1]}
    assert {"PDH301", "PDH401"} <= codes
    assert not {"PDH201", "PDH101"} & codes


RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def test_readme_performance_figures_are_the_benchmark_s() -> None:
    """Every figure CONTRIBUTING.md and the README quote about speed and memory is
    one that benchmarks/bench.py printed in its last report (benchmarks/RESULTS.md)."""
    results = RESULTS.read_text(encoding="utf-8")
    text = section("Performance", CONTRIBUTING).text + "\n" + section("Usage").text
    figures = re.findall(r"\b\d+\.\d+(?:x| MB| and \d+\.\d+ ms)", text)
    assert len(figures) >= 7, figures
    for figure in figures:
        if " and " in figure:
            low, high = figure.removesuffix(" ms").split(" and ")
            assert f"{low} ms per" in results and f"{high} ms from" in results, figure
        else:
            assert figure.replace(" MB", "") in results, figure
