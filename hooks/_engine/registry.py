"""The one list of hooks, and the rules they declare.

Each hook module declares its ``SPEC`` (``python_docker_hooks._engine.rules.HookSpec``); this
table names the modules, in the order of the docs. Imported only when a run needs
to know every hook (the aggregate hook, config validation, pragmas that name other
tools' codes, generated files and tests), so a per-concern hook run stays light.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

    from python_docker_hooks._engine.rules import HookSpec, Rule

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

# The aggregate hook: every hook above in one process.
AGGREGATE = "python-docker-hooks"


def hook_module(hook_id: str) -> ModuleType:
    return importlib.import_module(f"python_docker_hooks.{HOOKS[hook_id]}")


def spec(hook_id: str) -> HookSpec:
    found: HookSpec = hook_module(hook_id).SPEC
    return found


def all_specs() -> tuple[HookSpec, ...]:
    """Every hook's spec, in the order of the docs."""
    return tuple(spec(hook_id) for hook_id in HOOKS)


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
