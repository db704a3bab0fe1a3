"""Rules, findings, edits and hook specs: the vocabulary shared by every hook and
the engine."""

from __future__ import annotations

# The kinds of file, named here with the rest of the vocabulary.
from python_docker_hooks._engine.files import COMPOSE, DOCKERFILE, DOCKERIGNORE, KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Protocol, TypeVar

    from python_docker_hooks._dockerfile.parse import Dockerfile, Stage
    from python_docker_hooks._dockerignore.ignorefile import IgnoreFile
    from python_docker_hooks._engine.builds import Build

    Read = TypeVar("Read")

__all__ = [
    "COMPOSE",
    "CONTEXT_FILE_LIMIT",
    "DOCKERFILE",
    "DOCKERIGNORE",
    "DOC_SECTIONS",
    "FIX_NONE",
    "FIX_SAFE",
    "FIX_UNSAFE",
    "IMAGE_FILE_READ",
    "KINDS",
    "Context",
    "ContextFile",
    "Edit",
    "Finding",
    "Fix",
    "HookSpec",
    "Rule",
]

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
        "option_checks",
        "shipped_only",
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
        option_checks: Mapping[str, Callable[[object], str | None]] | None = None,
        shipped_only: bool = False,
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
        # Option name -> a check of a configured value beyond its type: the
        # reason it is wrong ("must be ..."), or None when it is fine.
        self.option_checks: Mapping[str, Callable[[object], str | None]] = (
            option_checks or {}
        )
        # Judges only an image that ships (its user, labels, server, dev
        # dependencies, compilers): not reported on a development image.
        self.shipped_only = shipped_only

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
    """One violation: its rule, an offset range in the text it was found in, maybe a fix.

    Line and column are not stored: they are computed from the offsets when a
    renderer asks (``line``, ``col``, ``end_line``, ``end_col``), against the text
    the finding was made on (the engine sets ``origin``; a fixed finding's offsets
    are moved into the text the run leaves, and ``origin`` with them).
    """

    __slots__ = ("rule", "start", "end", "message", "fix", "fixed", "origin")

    def __init__(
        self,
        rule: Rule,
        start: int,
        message: str,
        fix: Fix | None = None,
        *,
        end: int | None = None,
    ) -> None:
        self.rule = rule
        self.start = start
        self.end = start if end is None else end
        self.message = message
        self.fix = fix
        self.fixed = False
        self.origin: Positions | None = None

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def severity(self) -> str:
        return self.rule.severity

    def _position(self, offset: int) -> tuple[int, int]:
        if self.origin is None:
            raise ValueError(f"{self!r} has no text to compute its position in")
        return self.origin.position(offset)

    @property
    def line(self) -> int:
        return self._position(self.start)[0]

    @property
    def col(self) -> int:
        return self._position(self.start)[1]

    @property
    def end_line(self) -> int:
        return self._position(self.end)[0]

    @property
    def end_col(self) -> int:
        return self._position(self.end)[1]

    def fixable(self, allowed: tuple[str, ...]) -> bool:
        """Whether its fix would be applied by a run allowing ``allowed`` safeties."""
        return self.fix is not None and bool(self.fix.edits) and self.fix.safety in allowed

    def __repr__(self) -> str:
        return f"Finding({self.code!r}, @{self.start}, {self.message!r})"


class Context:
    """What a rule may know besides the model: the file's path, rule options, the
    stage the build ships, and what the engine found on disk about the builds,
    asked for lazily.

    ``target``: the stage name the config's ``targets`` gives for this file, else
    None for the last stage. ``builds`` (for a Dockerfile): each way it is built
    (``python_docker_hooks._engine.builds.Build``: context directory, target, ignore file, COPY
    sources matched against the context). ``served`` (for an ignore file): the
    builds it applies to, each with its parsed Dockerfile. Nothing is read until a
    hook asks; without a ``BuildFinder`` (a pure run) both are empty.
    :meth:`context_file` reads one file of the build contexts, bounded by the
    repository.
    """

    __slots__ = (
        "path",
        "options",
        "target",
        "_finder",
        "_builds",
        "_served",
    )

    def __init__(
        self,
        path: str,
        options: Mapping[str, Mapping[str, object]] | None = None,
        target: str | None = None,
        finder: BuildFinder | None = None,
    ) -> None:
        self.path = path
        self.options: Mapping[str, Mapping[str, object]] = options or {}
        self.target = target
        self._finder = finder
        self._builds: tuple[Build, ...] | None = None
        self._served: tuple[Build, ...] | None = None

    @property
    def builds(self) -> tuple[Build, ...]:
        if self._builds is None:
            self._builds = self._finder.builds() if self._finder else ()
        return self._builds

    @property
    def served(self) -> tuple[Build, ...]:
        if self._served is None:
            self._served = self._finder.served() if self._finder else ()
        return self._served

    def context_file(self, build: Build, path: str) -> ContextFile:
        """The file at ``path`` (relative to ``build``'s context, '/'-separated)
        as the build would send it: ``exists`` False when there is no regular
        file there; ``data`` None when there is one but it is not read (outside
        the repository, reached through a symlink that leaves the context, or
        larger than ``CONTEXT_FILE_LIMIT``). Without a finder, nothing exists."""
        if self._finder is None:
            return ContextFile(False, None)
        return self._finder.context_file(build, path)

    def image_file(
        self, model: Dockerfile, stage: Stage, path: str, read: Callable[[str], Read | None]
    ) -> tuple[str, Read | None, tuple[str, str] | None]:
        """What ``read`` makes of the text of the file at the absolute ``path`` of
        ``stage``'s image, when a COPY or ADD puts it there from the build context
        (``copies.file_origin``) and every build agrees.

        Per build, the newest copy whose source the context holds (and its ignore
        file sends) is the file. Not known (``state`` UNKNOWN) when the file could
        come from elsewhere, no build is seen, or the builds make different things
        of it; ABSENT when the image holds no such file. ``read`` gets the file as
        UTF-8 text and returns None for what it cannot tell; a file that is not
        UTF-8, or not read (``context_file``), is not known either.

        The answer is ``(state, value, guessed)``: ``state`` IMAGE_FILE_READ, ABSENT
        or UNKNOWN; ``value`` what ``read`` made of the file when read; ``guessed``,
        when it was read in a guessed build context, its path there and the
        context as shown (a rule then reports but does not fix on that evidence)."""
        from python_docker_hooks._dockerfile.copies import ABSENT, UNKNOWN, file_origin

        origin = file_origin(model, stage, path)
        if not origin.candidates:
            return origin.rest, None, None
        outcomes: set[tuple[str, Read | None]] = set()
        guessed: tuple[str, str] | None = None
        for build in self.builds:
            outcome: tuple[str, Read | None] = (origin.rest, None)
            for relative, _ in origin.candidates:
                if build.ignore is not None and build.ignore.excludes(relative) is not None:
                    continue  # not sent with the context
                found = self.context_file(build, relative)
                if not found.exists:
                    continue
                try:
                    text = found.data.decode("utf-8") if found.data is not None else None
                except UnicodeDecodeError:
                    text = None
                outcome = (IMAGE_FILE_READ, None if text is None else read(text))
                if not build.certain and guessed is None:
                    guessed = (relative, build.context_shown)
                break
            outcomes.add(outcome)
        if len(outcomes) != 1:
            return UNKNOWN, None, None  # no build seen, or builds that differ
        ((state, value),) = outcomes
        if state == ABSENT:
            return ABSENT, None, None
        if state != IMAGE_FILE_READ:
            return UNKNOWN, None, None
        return IMAGE_FILE_READ, value, guessed

    def option(self, rule: Rule, name: str) -> object:
        """The configured value of one of ``rule``'s options, else its default."""
        return self.options.get(rule.hook, {}).get(name, rule.options[name])


# The state ``Context.image_file`` gives a file it read (the other states are the
# model's ``copies.ABSENT`` and ``copies.UNKNOWN``).
IMAGE_FILE_READ = "read"


# The largest context file a rule is given to read.
CONTEXT_FILE_LIMIT = 256 * 1024


class ContextFile:
    """What the engine found at one path of a build context (``Context.context_file``)."""

    __slots__ = ("exists", "data")

    def __init__(self, exists: bool, data: bytes | None) -> None:
        self.exists = exists
        self.data = data

    def __repr__(self) -> str:
        return f"ContextFile({self.exists}, {None if self.data is None else len(self.data)})"




class HookSpec:
    """What a hook module declares: its id, rules, check and the file kinds it reads.

    ``kinds`` are the kinds of file that make it run (the manifest's file filter);
    ``model_kind`` is the kind its ``check`` is given as model: a Dockerfile
    (``python_docker_hooks._dockerfile.parse.Dockerfile``) or an ignore file
    (``python_docker_hooks._dockerignore.ignorefile.IgnoreFile``). A file of another kind leads
    the engine to the files of that kind it concerns (an ignore file to the
    Dockerfiles it serves, a Dockerfile to its ignore files, a compose file to the
    Dockerfiles it builds), so the results do not depend on which of them a run is
    given. ``reads_contexts``: its check may read files of the build context
    (``Context.context_file``), so a run of it alone still finds the builds.
    ``name`` and ``description`` are the manifest's; the registry lists every
    spec.
    """

    __slots__ = (
        "id",
        "rules",
        "check",
        "kinds",
        "model_kind",
        "name",
        "description",
        "reads_contexts",
    )

    def __init__(
        self,
        hook_id: str,
        rules: Sequence[Rule],
        check: Check,
        *,
        name: str,
        description: str,
        kinds: Sequence[str] = (DOCKERFILE,),
        model_kind: str = DOCKERFILE,
        reads_contexts: bool = False,
    ) -> None:
        self.id = hook_id
        self.rules = tuple(rules)
        self.check = check
        self.kinds = tuple(kinds)
        self.model_kind = model_kind
        self.name = name
        self.description = description
        # Whether its check asks for build contexts (``Context.builds``,
        # ``Context.context_file``) though it reads Dockerfiles only: the
        # engine then resolves them for it.
        self.reads_contexts = reads_contexts

    @property
    def serial(self) -> bool:
        """Whether a file can lead the hook to another file (an ignore file to its
        Dockerfiles, say): then pre-commit must give it every file in one process
        (``require_serial``), or two processes could check and fix one file."""
        return any(kind != self.model_kind for kind in self.kinds)

    def __repr__(self) -> str:
        return f"HookSpec({self.id!r})"


if TYPE_CHECKING:
    # The model of a file: a Dockerfile, or an ignore file.
    Model = Dockerfile | IgnoreFile

    class Positions(Protocol):
        """What a finding's position is computed from: the text it was found in."""

        text: str

        def position(self, offset: int) -> tuple[int, int]: ...

    class BuildFinder(Protocol):
        """What a ``Context`` asks the engine for: the builds of the file checked
        (a Dockerfile's), the builds it serves (an ignore file's), and a file of
        a build's context."""

        def builds(self) -> tuple[Build, ...]: ...

        def served(self) -> tuple[Build, ...]: ...

        def context_file(self, build: Build, path: str) -> ContextFile: ...

    # A hook's check: the model of the kind its spec's ``model_kind`` says.
    Check = (
        Callable[[Dockerfile, Context], Iterable[Finding]]
        | Callable[[IgnoreFile, Context], Iterable[Finding]]
    )
