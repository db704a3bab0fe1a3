"""The ports an image declares with EXPOSE, read as BuildKit reads them.

BuildKit (``frontend/dockerfile/dockerfile2llb/convert_expose.go``) expands each
word with the build's variables, splits it on ``:`` into an optional IP, an
optional host port and the container port (``ExposeInvalidFormat`` warns about
the first two, which EXPOSE ignores), takes ``/tcp``, ``/udp`` or ``/sctp`` (any
case; ``tcp`` when none), and a port or a ``low-high`` range. A port that is not
a number in 0-65535, or another protocol, fails the build. The image config keeps
what a stage built ``FROM`` another stage inherits.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage

PROTOCOLS = frozenset({"tcp", "udp", "sctp"})
_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)(:?[-+=?])?")


class PortSpec:
    """One EXPOSE word: its text, its instruction, and what it declares.

    ``low``/``high`` are None when the word stays a variable (not known here);
    ``problem`` says what is wrong with it, if anything.
    """

    __slots__ = ("text", "value", "instruction", "start", "end", "low", "high", "protocol", "host", "problem")

    def __init__(
        self,
        text: str,
        value: str | None,
        instruction: Instruction,
        start: int,
        end: int,
    ) -> None:
        self.text = text
        self.value = value
        self.instruction = instruction
        self.start = start
        self.end = end
        self.low: int | None = None
        self.high: int | None = None
        self.protocol = "tcp"
        # An IP address or host port written before the container port.
        self.host: str | None = None
        self.problem: str | None = None
        if value is not None:
            self._read(value)

    def _read(self, value: str) -> None:
        port, _, protocol = value.partition("/")
        if protocol:
            self.protocol = protocol.lower()
            if self.protocol not in PROTOCOLS:
                self.problem = f"unknown protocol `{protocol}` (tcp, udp or sctp)"
                return
        parts = port.split(":")
        if len(parts) > 1:
            self.host = ":".join(parts[:-1])
        container = parts[-1]
        if not container:
            self.problem = "no port number"
            return
        low, sep, high = container.partition("-")
        if not low.isdigit() or (sep and not high.isdigit()):
            self.problem = f"`{container}` is not a port number"
            return
        self.low = int(low)
        self.high = int(high) if sep else self.low
        for number in (self.low, self.high):
            if not 1 <= number <= 65535:
                self.problem = f"port {number} is outside 1-65535"
                return
        if self.high < self.low:
            self.problem = f"range `{container}` ends below its start"

    def covers(self, port: int, protocol: str = "tcp") -> bool:
        return (
            self.problem is None
            and self.low is not None
            and self.high is not None
            and self.protocol == protocol
            and self.low <= port <= self.high
        )

    def __repr__(self) -> str:
        return f"PortSpec({self.text!r}, {self.low}-{self.high}/{self.protocol})"


def expose_specs(model: Dockerfile, instruction: Instruction) -> list[PortSpec]:
    """The words of one EXPOSE, expanded with the build variables in effect."""
    from python_docker_hooks._dockerfile.words import WordError, expand, split_words

    stage = model.stage_of(instruction)
    env: dict[str, str] = {}
    if stage is not None:
        env = {k: v for k, (v, _) in model.env(stage, before=instruction, build=True).items()}
    out = []
    for raw, start, end in split_words(instruction.args, instruction.escape):
        value: str | None
        if "$" in raw and not _all_known(raw, env):
            value = None
        else:
            try:
                value = expand(raw, env, instruction.escape)
            except WordError:
                value = None
        first, last = instruction.span(start, end)
        out.append(PortSpec(raw, value, instruction, first, last))
    return out


def _all_known(raw: str, env: dict[str, str]) -> bool:
    """Whether every variable ``raw`` names has a value (or a default) here."""
    for match in _REFERENCE.finditer(raw):
        if match[1] not in env and match[2] is None:
            return False
    return True


def exposed(model: Dockerfile, stage: Stage) -> list[PortSpec]:
    """Every EXPOSE word in effect for ``stage``, inherited ones first."""
    found: list[PortSpec] = []
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.effective is ins and ins.keyword == "EXPOSE":
                found.extend(expose_specs(model, ins))
    return found
