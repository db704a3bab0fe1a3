"""The one list of hooks, and the rules they declare.

Each hook module declares its ``SPEC`` (``python_docker_hooks._engine.vocabulary.HookSpec``); this
table names the modules, in the order of the docs. Imported only when a run needs
to know every hook (the aggregate hook, config validation, pragmas that name other
tools' codes, generated files and tests), so a per-concern hook run stays light.
The aggregate hook imports only the hooks the kinds of its files make run
(``specs_for``): ``KINDS`` says them without importing the modules.
"""

from __future__ import annotations

import sys

from python_docker_hooks._engine.vocabulary import COMPOSE, DOCKERFILE, DOCKERIGNORE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

    from python_docker_hooks._engine.vocabulary import HookSpec, Rule

# Hook id -> module name inside ``hooks``. Order is the order of the docs.
HOOKS: dict[str, str] = {
    "pip-no-cache-dir": "pip_no_cache_dir",
    "uv-image-practices": "uv_image_practices",
    "poetry-image-practices": "poetry_image_practices",
    "no-alpine-python": "no_alpine_python",
    "python-env-vars": "python_env_vars",
    "env-key-value": "env_key_value",
    "python-slim-base": "python_slim_base",
    "non-root-user": "non_root_user",
    "label-maintainer": "label_maintainer",
    "build-deps-in-final-stage": "build_deps_in_final_stage",
    "expose-port": "expose_port",
    "requirements-before-source": "requirements_before_source",
    "exec-form-cmd": "exec_form_cmd",
    "no-dev-server": "no_dev_server",
    "dockerignore-entries": "dockerignore_entries",
    "copy-ignored-file": "copy_ignored_file",
}

# The kinds of file that make a hook run (its ``SPEC.kinds``) where they are not
# a Dockerfile alone (``HookSpec``'s default), so that a run can choose its hooks
# before importing them. A test holds each equal to the module's SPEC.
KINDS: dict[str, tuple[str, ...]] = {
    "dockerignore-entries": (DOCKERFILE, DOCKERIGNORE, COMPOSE),
    "copy-ignored-file": (DOCKERFILE, DOCKERIGNORE, COMPOSE),
}

# The aggregate hook: every hook above in one process.
AGGREGATE = "python-docker-hooks"


def hook_module(hook_id: str) -> ModuleType:
    name = f"python_docker_hooks.{HOOKS[hook_id]}"
    # __import__ rather than importlib.import_module: importlib (and the
    # warnings module it loads) is not otherwise imported by a run.
    __import__(name)
    return sys.modules[name]


def kinds_of(hook_id: str) -> tuple[str, ...]:
    """The kinds of file that make the hook run, without importing it."""
    return KINDS.get(hook_id, (DOCKERFILE,))


def spec(hook_id: str) -> HookSpec:
    found: HookSpec = hook_module(hook_id).SPEC
    return found


def all_specs() -> tuple[HookSpec, ...]:
    """Every hook's spec, in the order of the docs."""
    return tuple(spec(hook_id) for hook_id in HOOKS)


def specs_for(kinds: Iterable[str]) -> tuple[HookSpec, ...]:
    """The specs of the hooks that a file of one of ``kinds`` makes run, in the
    order of the docs; the other hooks' modules are not imported."""
    wanted = set(kinds)
    return tuple(spec(h) for h in HOOKS if not wanted.isdisjoint(kinds_of(h)))


def all_rules() -> tuple[Rule, ...]:
    """Every rule of every hook, in code order."""
    rules = [rule for s in all_specs() for rule in s.rules]
    return tuple(sorted(rules, key=lambda r: r.code))


def resolve_code(code: str) -> tuple[str, ...]:
    """Our codes named by ``code``: itself, or the rules another tool's code maps to."""
    found = []
    for rule in all_rules():
        if code == rule.code or code in rule.aliases:
            found.append(rule.code)
    return tuple(found)
