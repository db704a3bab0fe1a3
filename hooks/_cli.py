"""The aggregate command ``python-docker-hooks``: every hook in one process.

The same engine as each per-concern hook script, with every hook of the registry
selected: one read and one parse per file, whatever the number of hooks.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._engine.registry import AGGREGATE, all_specs
    from hooks._engine.runner import main_for

    return main_for(all_specs(), argv, prog=AGGREGATE)
