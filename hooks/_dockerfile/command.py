"""The container's command: ENTRYPOINT and CMD combined as Docker builds them.

BuildKit's dispatcher (``frontend/dockerfile/dockerfile2llb/convert.go``) keeps the
image config of a stage, which a stage built ``FROM`` another stage starts from:

- shell form is the stage's ``SHELL`` (default ``["/bin/sh", "-c"]``) followed by
  the command text as one argument; exec form is the JSON list as written;
- ``ENTRYPOINT`` sets the entrypoint and resets ``CMD`` unless a ``CMD`` was set
  earlier in the same stage (the ``cmdSet`` flag of ``dispatchEntrypoint``); so an
  inherited ``CMD`` does not survive a new ``ENTRYPOINT``;
- the container runs ``entrypoint + cmd``.

A stage whose chain starts at an image (not another stage) starts from that
image's config, which the file does not show: its inherited command is unknown.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage

DEFAULT_SHELL = ("/bin/sh", "-c")


class ContainerCommand:
    """What a container of a stage runs, with the instructions that set it.

    ``entrypoint`` and ``cmd`` are None when the file does not set them (they come
    from the base image, unseen). ``shell`` is the SHELL in effect at the end of
    the stage, and ``shell_set`` whether the file set one (own or inherited).
    """

    __slots__ = (
        "entrypoint",
        "cmd",
        "entrypoint_instruction",
        "cmd_instruction",
        "shell",
        "shell_set",
    )

    def __init__(
        self,
        entrypoint: tuple[str, ...] | None,
        cmd: tuple[str, ...] | None,
        entrypoint_instruction: Instruction | None,
        cmd_instruction: Instruction | None,
        shell: tuple[str, ...],
        shell_set: bool,
    ) -> None:
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.entrypoint_instruction = entrypoint_instruction
        self.cmd_instruction = cmd_instruction
        self.shell = shell
        self.shell_set = shell_set

    @property
    def argv(self) -> tuple[str, ...] | None:
        """``entrypoint + cmd``; None when neither is set in the file."""
        if self.entrypoint is None and self.cmd is None:
            return None
        return (self.entrypoint or ()) + (self.cmd or ())

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        """The ENTRYPOINT and CMD in effect, in file order."""
        found = [i for i in (self.entrypoint_instruction, self.cmd_instruction) if i]
        return tuple(sorted(found, key=lambda i: i.start))

    def __repr__(self) -> str:
        return f"ContainerCommand({self.entrypoint!r}, {self.cmd!r})"


def container_command(model: Dockerfile, stage: Stage) -> ContainerCommand:
    """The command of ``stage`` as Docker builds it, inherited along FROM <stage>."""
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    entrypoint_ins: Instruction | None = None
    cmd_ins: Instruction | None = None
    shell: tuple[str, ...] = DEFAULT_SHELL
    shell_set = False
    for st in model.lineage(stage):
        cmd_set = False
        for ins in st.instructions:
            keyword = ins.keyword
            if keyword == "SHELL":
                if ins.json:
                    shell = tuple(a.value for a in ins.json)
                    shell_set = True
            elif keyword == "ENTRYPOINT":
                entrypoint = _config_value(ins, shell)
                entrypoint_ins = ins
                if not cmd_set:
                    cmd, cmd_ins = None, None
            elif keyword == "CMD":
                cmd = _config_value(ins, shell)
                cmd_ins = ins
                cmd_set = True
    return ContainerCommand(entrypoint, cmd, entrypoint_ins, cmd_ins, shell, shell_set)


def _config_value(ins: Instruction, shell: tuple[str, ...]) -> tuple[str, ...]:
    if ins.json is not None:
        return tuple(a.value for a in ins.json)
    return (*shell, ins.args)


def shell_script(argv: tuple[str, ...]) -> str | None:
    """The script of ``sh -c SCRIPT ...`` (any shell, any path, options before
    ``-c``) or ``su USER -c SCRIPT``, as the shell view finds it; else None."""
    from python_docker_hooks._dockerfile.shell import script_index

    index = script_index(argv)
    return None if index is None else argv[index]
