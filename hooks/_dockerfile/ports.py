"""The ports an image declares with EXPOSE, read as BuildKit reads them.

BuildKit (``frontend/dockerfile/dockerfile2llb/convert_expose.go``):

- expands each word with ``ProcessWords`` and the build's variables: an unquoted
  variable's value is split on blanks (``EXPOSE $PORTS`` with ``PORTS="8000
  8001"`` is two ports), a quoted one is not, and an empty one is no word;
- splits a word on ``:`` (``splitParts``): one part is the container port; two
  are ``hostPort:containerPort``; three ``ip:hostPort:containerPort``; more
  make an unbracketed IPv6 address of all but the last two;
- takes ``/tcp``, ``/udp`` or ``/sctp`` (any case; ``tcp`` when none) off the
  container port; any other protocol fails the build;
- reads the container port, and a host port when there is one, with
  ``parsePortRange``: a number in 0-65535 or a ``low-high`` range, else the
  build fails; an IP address that ``net.ParseIP`` rejects fails it too, and so
  does a host range whose length differs from a container range's. So
  ``EXPOSE 127.0.0.1:8000`` and ``EXPOSE foo:8000`` are build errors (the first
  part is a host port, which they are not), and so is ``EXPOSE 80:8000-8001``;
- warns (``ExposeInvalidFormat``) about a word that does parse but names an IP
  address or a host port (``80:8000``, ``127.0.0.1:80:8000``), which EXPOSE
  drops: only the container port is declared.

The image config keeps what a stage built ``FROM`` another stage inherits.
"""

from __future__ import annotations

from python_docker_hooks._dockerfile.text import LazyPattern, ascii_number
from python_docker_hooks._dockerfile.words import WordError, expand, split_words

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage

PROTOCOLS = frozenset({"tcp", "udp", "sctp"})
_REFERENCE = LazyPattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)(:?[-+=?])?")


class PortSpec:
    """One EXPOSE word as BuildKit reads it: its text, its instruction, and what
    it declares.

    ``value`` is the word after expansion, None when it stays a variable (not
    known here); ``low``/``high`` the container ports; ``problem`` why the build
    fails on it, if it does; ``host`` the IP address and host port written
    before the container port (``127.0.0.1:80``, ``80``), None when there is
    neither.
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
        self.host: str | None = None
        self.problem: str | None = None
        if value is not None:
            self._read(value)

    def _read(self, value: str) -> None:
        ip, host_port, container = _split_parts(value)
        port, _, protocol = container.partition("/")
        if not port:
            self.problem = "no port number"
            return
        if protocol:
            self.protocol = protocol.lower()
            if self.protocol not in PROTOCOLS:
                self.problem = f"unknown protocol `{protocol}` (tcp, udp or sctp)"
                return
        if ip and not _is_ip(ip):
            self.problem = (
                f"`{ip}` is not an IP address, and the build fails on it; "
                "EXPOSE takes a container port only"
            )
            return
        ports = _port_range(port)
        if isinstance(ports, str):
            self.problem = ports
            return
        self.low, self.high = ports
        if host_port:
            hosts = _port_range(host_port)
            if isinstance(hosts, str):
                self.problem = (
                    f"`{host_port}` before `:` is read as a host port, which it is "
                    "not, and the build fails on it; EXPOSE takes a container port only"
                )
                return
            if self.high != self.low and hosts[1] - hosts[0] != self.high - self.low:
                self.problem = (
                    f"host ports `{host_port}` and container ports `{port}` are ranges "
                    "of different lengths, and the build fails on it; EXPOSE takes a "
                    "container port only"
                )
                return
        if ip or host_port:
            self.host = ":".join(p for p in (ip, host_port) if p)

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


def _split_parts(value: str) -> tuple[str, str, str]:
    """(IP address, host port, container port), as BuildKit's ``splitParts``."""
    parts = value.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def _is_ip(text: str) -> bool:
    """What Go's ``net.ParseIP`` takes, after BuildKit strips ``[...]``."""
    if text.startswith("["):
        if not text.endswith("]"):
            return False
        text = text[1:-1]
    if "%" in text:
        return False
    import ipaddress  # only an EXPOSE with an address reaches here

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _port_range(text: str) -> tuple[int, int] | str:
    """A port or ``low-high`` range (BuildKit's ``parsePortRange``), or why not.
    Port 0 parses, but declares nothing a container could listen on: it is
    reported too."""
    low_text, dash, high_text = text.partition("-")
    numbers = [low_text] if not dash or low_text == high_text else [low_text, high_text]
    values: list[int] = []
    for number in numbers:
        if not (number.isascii() and number.isdigit()):
            return f"`{text}` is not a port number"
        value = ascii_number(number)
        if value is None:
            return f"port {number.lstrip('0')[:12]}… is outside 1-65535"
        values.append(value)
    for value in values:
        if not 1 <= value <= 65535:
            return f"port {value} is outside 1-65535"
    low, high = values[0], values[-1]
    if high < low:
        return f"range `{text}` ends below its start"
    return low, high


def expose_specs(model: Dockerfile, instruction: Instruction) -> list[PortSpec]:
    """The ports of one EXPOSE, expanded with the build variables in effect and
    split as ``ProcessWords`` splits them (each spec keeps its source word's
    span)."""
    stage = model.stage_of(instruction)
    env: dict[str, str] = {}
    if stage is not None:
        env = model.env_values(stage, before=instruction, build=True)
    out = []
    for raw, start, end in split_words(instruction.args, instruction.escape):
        first, last = instruction.span(start, end)
        values: list[str | None]
        if "$" in raw and not _all_known(raw, env):
            values = [None]
        else:
            try:
                expanded = expand(raw, env, instruction.escape)
            except WordError:
                values = [None]
            else:
                if "$" not in raw:
                    values = [expanded]
                elif not any(q in raw for q in ("'", '"', instruction.escape)):
                    # An unquoted expansion is split on blanks; an empty one
                    # is no word at all.
                    values = list(expanded.split())
                elif any(c.isspace() for c in expanded):
                    values = [None]  # quoting and splitting mixed: not read
                else:
                    values = [expanded]
        for value in values:
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
