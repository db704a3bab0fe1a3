"""Rules, findings and edits: the vocabulary shared by every hook and the runner."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from hooks._parse import Dockerfile

# Fix safety of a rule or of one fix.
FIX_NONE = "none"
FIX_SAFE = "safe"
FIX_UNSAFE = "unsafe"

DOC_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
)


class Rule:
    """One stable code: its hook, severity, summary, fix safety, aliases and doc."""

    __slots__ = (
        "code",
        "hook",
        "severity",
        "summary",
        "fix",
        "hadolint",
        "buildkit",
        "doc",
        "options",
    )

    def __init__(
        self,
        code: str,
        hook: str,
        summary: str,
        *,
        severity: str = "warning",
        fix: str = FIX_NONE,
        hadolint: str | None = None,
        buildkit: str | None = None,
        doc: str = "",
        options: Mapping[str, object] | None = None,
    ) -> None:
        self.code = code
        self.hook = hook
        self.severity = severity
        self.summary = summary
        self.fix = fix
        self.hadolint = hadolint
        self.buildkit = buildkit
        self.doc = doc
        self.options: Mapping[str, object] = options or {}

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other tools' codes that name this rule (pragmas using them apply to it)."""
        return tuple(a for a in (self.hadolint, self.buildkit) if a)

    def __repr__(self) -> str:
        return f"Rule({self.code!r}, hook={self.hook!r})"


class Edit:
    """Replace text[start:end] (offsets into the decoded file text) by ``text``."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Edit)
            and (self.start, self.end, self.text) == (other.start, other.end, other.text)
        )

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))

    def __repr__(self) -> str:
        return f"Edit({self.start}, {self.end}, {self.text!r})"


class Fix:
    """A set of edits that together mend one finding."""

    __slots__ = ("edits", "safety")

    def __init__(self, edits: Iterable[Edit], safety: str = FIX_SAFE) -> None:
        self.edits = tuple(sorted(edits, key=lambda e: (e.start, e.end)))
        self.safety = safety

    def __repr__(self) -> str:
        return f"Fix({list(self.edits)!r}, {self.safety!r})"


class Finding:
    """One violation at a 1-based line and column, maybe with a fix."""

    __slots__ = ("code", "line", "col", "message", "fix", "end_line")

    def __init__(
        self,
        code: str,
        line: int,
        col: int,
        message: str,
        fix: Fix | None = None,
        end_line: int | None = None,
    ) -> None:
        self.code = code
        self.line = line
        self.col = col
        self.message = message
        self.fix = fix
        # The last line of the instruction the finding is about: a pragma above
        # the instruction covers findings anywhere inside it.
        self.end_line = line if end_line is None else end_line

    def __repr__(self) -> str:
        return f"Finding({self.code!r}, {self.line}:{self.col}, {self.message!r})"


class Context:
    """What a rule may know besides the model: the file's path and rule options."""

    __slots__ = ("path", "options")

    def __init__(
        self, path: str, options: Mapping[str, Mapping[str, object]] | None = None
    ) -> None:
        self.path = path
        self.options: Mapping[str, Mapping[str, object]] = options or {}

    def option(self, rule: Rule, name: str) -> object:
        """The configured value of one of ``rule``'s options, else its default."""
        return self.options.get(rule.hook, {}).get(name, rule.options[name])


if TYPE_CHECKING:
    Check = Callable[[Dockerfile, Context], Iterable[Finding]]
