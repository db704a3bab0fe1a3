"""A per-concern hook's command: its options, the engine over the files given,
and the text report (the aggregate ``python-docker-hooks`` command is
``python_docker_hooks._cli``)."""

from __future__ import annotations

import sys

from python_docker_hooks._engine.group import check_files
from python_docker_hooks._engine.options import HOOK, parse
from python_docker_hooks._engine.runner import Options
from python_docker_hooks._output import in_order, quiet_when_closed
from python_docker_hooks._output.text import TextRenderer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from python_docker_hooks._engine.vocabulary import HookSpec

__all__ = ["main_for", "run_hook"]


def run_hook(spec: HookSpec, argv: Sequence[str] | None) -> int:
    """Entry point of a per-concern hook script: the engine with one hook."""
    return main_for([spec], argv, prog=spec.id)


def main_for(
    specs: Sequence[HookSpec], argv: Sequence[str] | None, *, prog: str
) -> int:
    """Parse the hook options, run ``specs`` over the files, print as text.

    A hook command fixes by default (pre-commit's hooks fix in place);
    ``--no-fix`` makes it report only."""
    return quiet_when_closed(
        lambda args: _main_for(specs, args, prog=prog),
        sys.argv[1:] if argv is None else argv,
    )


def _main_for(specs: Sequence[HookSpec], argv: Sequence[str], *, prog: str) -> int:
    args = parse(argv, HOOK, prog, _description(prog, specs))
    options = Options(fix=not args.no_fix, unsafe=args.unsafe_fixes, config_path=args.config)

    out = sys.stdout
    renderer = TextRenderer(out)
    status = 0
    for result in in_order(check_files(args.filenames, specs, options)):
        renderer.file(result)
        status = max(status, result.status)
    out.flush()
    return status


def _description(prog: str, specs: Sequence[HookSpec]) -> str:
    """A hook command's ``--help`` description: its rules' codes and summaries."""
    if len(specs) == 1:
        return f"{prog}: " + "; ".join(f"{r.code} {r.summary}" for r in specs[0].rules)
    return f"{prog}: every hook in one process ({', '.join(s.id for s in specs)})"
