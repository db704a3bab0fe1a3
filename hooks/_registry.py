"""The explicit list of hook modules, and the rules they declare.

Imported only when a run needs to know every rule (config validation, pragmas
that name other tools' codes, docs and tests), so a plain hook run stays light.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

    from hooks._rules import Rule

# Hook id -> module name inside ``hooks``. Order is the order of the docs.
HOOKS: dict[str, str] = {
    "pip-no-cache-dir": "pip_no_cache_dir",
    "no-alpine-python": "no_alpine_python",
    "python-env-vars": "python_env_vars",
    "env-key-value": "env_key_value",
}


def hook_module(hook_id: str) -> ModuleType:
    return importlib.import_module(f"hooks.{HOOKS[hook_id]}")


def all_rules() -> tuple[Rule, ...]:
    """Every rule of every hook, in code order."""
    rules: list[Rule] = []
    for hook_id in HOOKS:
        rules.extend(hook_module(hook_id).RULES)
    return tuple(sorted(rules, key=lambda r: r.code))


def resolve_code(code: str) -> tuple[str, ...]:
    """Our codes named by ``code``: itself, or the rules another tool's code maps to."""
    found = []
    for rule in all_rules():
        if code == rule.code or code in rule.aliases:
            found.append(rule.code)
    return tuple(found)
