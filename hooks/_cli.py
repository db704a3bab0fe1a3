"""The aggregate command ``python-docker-hooks``: every hook in one process.

The same engine as each per-concern hook script, with every hook of the registry
selected: one read and one parse per file, whatever the number of hooks.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


import sys


def main(argv: Sequence[str] | None = None) -> int:
    from hooks._engine.registry import AGGREGATE, all_specs
    from hooks._engine.runner import main_for

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["check"]:
        # The subcommand pre-commit's entry names; checking is the only one yet.
        args = args[1:]
    return main_for(all_specs(), args, prog=AGGREGATE)


if __name__ == "__main__":
    raise SystemExit(main())
