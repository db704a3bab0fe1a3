"""Build definitions a repository holds: compose files, bake files and GitHub
Actions workflows, read for the Dockerfiles they build and the contexts they
build them in.

Each reader takes one file's bytes (already read inside the repository's
boundary) and gives the builds it declares, as ``Declared`` values whose paths
are absolute but not yet checked against the boundary: the resolver does that,
and reports a build that leaves it.

Compose (the Compose Specification's ``build`` section): ``build`` is a string
(the context) or a mapping of ``context`` (default ``.``, relative to the
compose file's directory), ``dockerfile`` (default ``Dockerfile``, relative to
the context), ``target`` and ``additional_contexts`` (names ``COPY --from=``
can refer to). ``dockerfile_inline`` is text, not a file: no build of a file.
Values are interpolated as Compose does (the specification's interpolation
chapter): ``$$`` is a literal ``$``; ``$VAR``, ``${VAR}``, ``${VAR:?err}``,
``${VAR?err}``, ``${VAR:+alt}`` and ``${VAR+alt}`` take their value from the
environment of the run that builds, which a hook cannot know: the value is
unknown and the build is left out; ``${VAR:-default}`` and ``${VAR-default}``
are read as their default, and the build is marked uncertain (the environment
may say otherwise). A remote context (a URL, ``git@``) is not a directory here.

Bake (``docker buildx bake``'s file definition): ``target`` blocks with
``context`` (default ``.``, relative to the bake file's directory, where
``bake`` runs), ``dockerfile`` (default ``Dockerfile``, relative to the
context), ``target`` and ``contexts``; ``inherits`` copies a parent target's
attributes first. ``docker-bake.override.*`` is read over the file beside it.
An HCL bake file is read with python-hcl2 (imported only when a repository has
one); a string with ``${...}`` takes a ``variable`` block's default, uncertain
as in compose, and any other expression is unknown. The JSON form is JSON.

Workflows (``.github/workflows/*.yml``): a step that uses
``docker/build-push-action`` builds ``with: file`` (default
``<context>/Dockerfile``) in ``with: context`` (default: the Git context, the
repository at the commit: its root), both relative to the workspace, the
repository's root. A ``run:`` step's script is read with the model's shell view
(``_dockerfile.shell``): ``docker build``, ``docker buildx build``,
``docker image build`` and ``podman build`` with ``-f``/``--file``,
``--target`` and the context operand, relative to the step's
``working-directory`` and to a ``cd`` before the command. A value with an
expression (``${{ ... }}``, ``$VAR``) is unknown: no build.

Actions (``action.yml``, ``action.yaml``: a Docker container action's
metadata): ``runs.using: docker`` with ``runs.image`` naming a Dockerfile, a
path relative to the metadata file's directory (an image reference,
``docker://...``, builds nothing). The runner builds it with the Dockerfile's
own directory as the context (actions/runner ``ContainerActionHandler``:
``DockerBuild(..., dockerFile, Directory.GetParent(dockerFile).FullName, ...)``),
and runs the container as the image's user, which GitHub's documentation
requires to be root ("Dockerfile support for GitHub Actions", ``USER``: "Docker
actions must be run by the default Docker user (root)"): the build is marked
``action``.
"""

from __future__ import annotations

import os
import re

from python_docker_hooks._dockerfile.shell import Word, split_commands
from python_docker_hooks._dockerfile.text import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


class Declared:
    """One build a definition file declares.

    ``context`` and ``dockerfile`` are absolute and normalised (``context`` is
    None when it is a name that cannot be a directory here); ``where`` is the
    evidence ("service web"); ``raw`` holds the values as written, for a
    message; ``named`` maps additional context names to directories (None: not
    a local directory).
    """

    __slots__ = (
        "file", "where", "context", "dockerfile", "target", "certain", "raw", "named", "action"
    )

    def __init__(
        self,
        file: str,
        where: str,
        context: str,
        dockerfile: str,
        target: str | None,
        *,
        certain: bool = True,
        raw: tuple[str, str] = (".", "Dockerfile"),
        named: dict[str, str | None] | None = None,
        action: bool = False,
    ) -> None:
        self.file = file
        # A GitHub Docker container action's image, which runs as root.
        self.action = action
        self.where = where
        self.context = context
        self.dockerfile = dockerfile
        self.target = target
        self.certain = certain
        self.raw = raw
        self.named = named or {}

    def __repr__(self) -> str:
        return (
            f"Declared({self.where!r}, context={self.context!r}, "
            f"dockerfile={self.dockerfile!r}, target={self.target!r}, certain={self.certain})"
        )


class DefinitionError(Exception):
    """A definition file that cannot be read; str() is the one-line reason."""


def _is_remote(value: str) -> bool:
    return "://" in value or value.startswith(("git@", "github.com/"))


def _join(base: str, value: str) -> str:
    """``value`` read from ``base``; a ``~`` form stays as written (the home
    directory, never inside a repository)."""
    if value.startswith("~"):
        return value
    return os.path.normpath(os.path.join(base, value))


# --- compose interpolation ------------------------------------------------------------

_NAME = LazyPattern(r"[_a-zA-Z][_a-zA-Z0-9]*")


def interpolate(value: str) -> tuple[str | None, bool]:
    """``value`` as Compose reads it without knowing the environment: the text
    (None: it depends on a variable's value) and whether a default was taken."""
    out: list[str] = []
    uncertain = False
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        if ch != "$":
            out.append(ch)
            i += 1
            continue
        nxt = value[i + 1] if i + 1 < n else ""
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt == "{":
            end = _closing(value, i + 2)
            if end is None:
                return None, uncertain
            inner = value[i + 2 : end]
            i = end + 1
            name = _NAME.match(inner)
            if name is None:
                return None, uncertain
            rest = inner[name.end() :]
            if rest[:2] == ":-" or rest[:1] == "-":
                default = rest[2:] if rest[:2] == ":-" else rest[1:]
                text, _ = interpolate(default)
                if text is None:
                    return None, True
                out.append(text)
                uncertain = True
                continue
            return None, uncertain
        name = _NAME.match(value, i + 1)
        if name is None:
            out.append("$")
            i += 1
            continue
        return None, uncertain
    return "".join(out), uncertain


def _closing(value: str, start: int) -> int | None:
    depth = 1
    i = start
    while i < len(value):
        if value.startswith("${", i):
            depth += 1
            i += 2
            continue
        if value[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


# --- compose ---------------------------------------------------------------------------


def compose_services(text: str) -> dict[str, dict[str, object]]:
    """Service name -> its ``build`` as a mapping, from a compose file's text.

    Raises DefinitionError (one line) when the text is not a compose file.
    """
    import yaml  # type: ignore[import-untyped]

    try:
        document = yaml.load(text, Loader=_compose_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or type(exc).__name__
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise DefinitionError(f"invalid YAML: {where}{problem}") from None
    except RecursionError:
        raise DefinitionError("invalid YAML: nested too deeply") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise DefinitionError("not a compose file: the top level is not a mapping")
    services = document.get("services")
    if services is None:
        return {}
    if not isinstance(services, dict):
        raise DefinitionError('not a compose file: "services" is not a mapping')
    out: dict[str, dict[str, object]] = {}
    for name, service in services.items():
        if not isinstance(service, dict) or "build" not in service:
            continue
        build = service["build"]
        if isinstance(build, str):
            out[str(name)] = {"context": build}
        elif isinstance(build, dict):
            out[str(name)] = {str(k): v for k, v in build.items()}
    return out


def _compose_loader() -> type:
    """PyYAML's SafeLoader with the tags the Compose Specification adds for
    merging files: ``!reset`` (the value is dropped) and ``!override`` (the value
    replaces the one merged into)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class ComposeLoader(yaml.SafeLoader):  # type: ignore[misc]
            pass

        def reset(loader: yaml.SafeLoader, node: yaml.Node) -> None:
            return None

        def override(loader: yaml.SafeLoader, node: yaml.Node) -> object:
            if isinstance(node, yaml.MappingNode):
                return loader.construct_mapping(node, deep=True)
            if isinstance(node, yaml.SequenceNode):
                return loader.construct_sequence(node, deep=True)
            return loader.construct_scalar(node)

        ComposeLoader.add_constructor("!reset", reset)
        ComposeLoader.add_constructor("!override", override)
        _LOADER = ComposeLoader
    return _LOADER


_LOADER: type | None = None


def _declared(
    path: str,
    where: str,
    directory: str,
    context: str,
    dockerfile: str,
    target: str | None,
    uncertain: bool,
    named: dict[str, str | None],
) -> Declared:
    """A compose service's or bake target's build: the context relative to the
    file's directory, the Dockerfile relative to the context."""
    context_dir = _join(directory, context)
    return Declared(
        path,
        where + (", read with the defaults of its variables, uncertain" if uncertain else ""),
        context_dir,
        _join(context_dir, dockerfile),
        target,
        certain=not uncertain,
        raw=(context, dockerfile),
        named=dict(named),
    )


def compose_builds(
    path: str, services: dict[str, dict[str, object]], shown: str
) -> Iterator[Declared | tuple[str, str]]:
    """The builds of a compose file's services (``services`` from
    ``compose_services``, merged with an override's); a build whose values
    depend on the environment yields (where, reason) instead."""
    directory = os.path.dirname(path)
    for service, build in services.items():
        where = f"{shown}, service {service}"
        if "dockerfile_inline" in build:
            continue
        raw_context = build.get("context", ".")
        raw_dockerfile = build.get("dockerfile", "Dockerfile")
        raw_target = build.get("target")
        if not isinstance(raw_context, str) or not isinstance(raw_dockerfile, str):
            continue
        context, c_uncertain = interpolate(raw_context)
        dockerfile, d_uncertain = interpolate(raw_dockerfile)
        if context is None or dockerfile is None:
            yield (service, "its build depends on the environment")
            continue
        if _is_remote(context) or _is_remote(dockerfile):
            continue
        target: str | None = None
        t_uncertain = False
        if isinstance(raw_target, str):
            target, t_uncertain = interpolate(raw_target)
        named: dict[str, str | None] = {}
        extra = build.get("additional_contexts")
        if isinstance(extra, list):
            extra = dict(str(e).partition("=")[::2] for e in extra)
        if isinstance(extra, dict):
            for key, value in extra.items():
                text = interpolate(value)[0] if isinstance(value, str) else None
                named[str(key)] = (
                    None
                    if text is None or _is_remote(text) or text.startswith(("docker-image://", "service:"))
                    else text
                )
        uncertain = c_uncertain or d_uncertain or t_uncertain
        yield _declared(path, where, directory, context, dockerfile, target, uncertain, named)


# --- bake ------------------------------------------------------------------------------


def bake_targets(path: str, text: str) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """Target name -> its attributes, and variable name -> default, of one bake
    file (HCL or JSON by its name). Raises DefinitionError."""
    if path.endswith(".json"):
        import json

        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise DefinitionError(f"invalid JSON: {str(exc).splitlines()[0]}") from None
        if not isinstance(document, dict):
            raise DefinitionError("not a bake file: the top level is not an object")
        targets = document.get("target", {})
        variables = document.get("variable", {})
        out: dict[str, dict[str, object]] = {}
        if isinstance(targets, dict):
            for name, body in targets.items():
                if isinstance(body, dict):
                    out[str(name)] = {str(k): v for k, v in body.items()}
        defaults: dict[str, str] = {}
        if isinstance(variables, dict):
            for name, body in variables.items():
                if isinstance(body, dict) and isinstance(body.get("default"), str):
                    defaults[str(name)] = body["default"]
        return out, defaults
    return _hcl_targets(text)


def _hcl_targets(text: str) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    try:
        import hcl2  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise DefinitionError(
            "an HCL bake file needs python-hcl2 to be read (pip install python-hcl2)"
        ) from None
    try:
        document = hcl2.loads(text)
    except RecursionError:
        raise DefinitionError("invalid HCL: nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - the parser raises many kinds
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DefinitionError(f"invalid HCL: {first[:200]}") from None
    out: dict[str, dict[str, object]] = {}
    defaults: dict[str, str] = {}
    for block in document.get("target", []) or []:
        if isinstance(block, dict):
            for label, body in block.items():
                if isinstance(body, dict):
                    out[_unquote(label) or str(label)] = {
                        str(k): _hcl_value(v) for k, v in body.items() if k != "__is_block__"
                    }
    for block in document.get("variable", []) or []:
        if isinstance(block, dict):
            for label, body in block.items():
                if isinstance(body, dict):
                    default = _unquote(body.get("default"))
                    if default is not None:
                        defaults[_unquote(label) or str(label)] = default
    return out, defaults


def _unquote(value: object) -> str | None:
    """An HCL string literal's text (python-hcl2 keeps its quotes), else None."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return None


_UNKNOWN = object()


def _hcl_value(value: object) -> object:
    if isinstance(value, str):
        text = _unquote(value)
        return text if text is not None else _UNKNOWN
    if isinstance(value, list):
        return [_hcl_value(v) for v in value]
    if isinstance(value, dict):
        return {
            (_unquote(k) or str(k)): _hcl_value(v) for k, v in value.items() if k != "__is_block__"
        }
    return value


_BAKE_VARIABLE = LazyPattern(r"\$\{\s*([_a-zA-Z][_a-zA-Z0-9-]*)\s*\}")


def _bake_text(value: object, defaults: dict[str, str]) -> tuple[str | None, bool]:
    if not isinstance(value, str):
        return None, False
    if "${" not in value:
        return value, False
    uncertain = False

    def known(match: re.Match[str]) -> str:
        nonlocal uncertain
        uncertain = True
        return defaults.get(match.group(1), "\0")

    text = _BAKE_VARIABLE.sub(known, value.replace("$${", "\1"))
    if "\0" in text or "${" in text:
        return None, True
    return text.replace("\1", "${"), uncertain


def bake_builds(
    path: str,
    targets: dict[str, dict[str, object]],
    defaults: dict[str, str],
    shown: str,
) -> Iterator[Declared | tuple[str, str]]:
    directory = os.path.dirname(path)
    for name in targets:
        attrs = _inherited(name, targets, set())
        where = f"{shown}, target {name}"
        if "dockerfile-inline" in attrs:
            continue
        context, c_unc = _bake_text(attrs.get("context", "."), defaults)
        dockerfile, d_unc = _bake_text(attrs.get("dockerfile", "Dockerfile"), defaults)
        if context is None or dockerfile is None:
            yield (name, "its build depends on the environment")
            continue
        if _is_remote(context) or _is_remote(dockerfile):
            continue
        target, t_unc = _bake_text(attrs.get("target"), defaults)
        named: dict[str, str | None] = {}
        contexts = attrs.get("contexts")
        if isinstance(contexts, dict):
            for key, value in contexts.items():
                text, _ = _bake_text(value, defaults)
                named[str(key)] = (
                    None
                    if text is None or _is_remote(text) or ":" in text.split("/")[0]
                    else text
                )
        uncertain = c_unc or d_unc or t_unc
        yield _declared(path, where, directory, context, dockerfile, target, uncertain, named)


def _inherited(
    name: str, targets: dict[str, dict[str, object]], seen: set[str]
) -> dict[str, object]:
    attrs = targets.get(name, {})
    seen.add(name)
    merged: dict[str, object] = {}
    parents = attrs.get("inherits")
    if isinstance(parents, list):
        for parent in parents:
            if isinstance(parent, str) and parent in targets and parent not in seen:
                merged.update(_inherited(parent, targets, seen))
    merged.update(attrs)
    return merged


# --- workflows -------------------------------------------------------------------------

_BUILDERS = {
    ("docker", "build"),
    ("docker", "buildx", "build"),
    ("docker", "image", "build"),
    ("docker", "buildx", "b"),
    ("podman", "build"),
    ("podman", "buildx", "build"),
}
# docker build / podman build options that take no value (every other option
# takes the next word unless written --name=value).
_FLAGS = frozenset(
    {
        "--no-cache",
        "--pull",
        "--push",
        "--load",
        "-q",
        "--quiet",
        "--rm",
        "--force-rm",
        "--squash",
        "--squash-all",
        "--compress",
        "--disable-content-trust",
        "--debug",
        "-D",
        "--layers",
        "--no-hosts",
        "--all-platforms",
        "--check",
    }
)


def _safe_yaml(text: str) -> object:
    """A workflow's or an action's YAML document. Raises DefinitionError."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise DefinitionError("invalid YAML") from None
    except RecursionError:
        raise DefinitionError("invalid YAML: nested too deeply") from None


def workflow_builds(path: str, text: str, root: str, shown: str) -> Iterator[Declared]:
    """The builds a GitHub Actions workflow's steps run. Raises DefinitionError."""
    document = _safe_yaml(text)
    if not isinstance(document, dict):
        return
    jobs = document.get("jobs")
    if not isinstance(jobs, dict):
        return
    top = _working_directory(document.get("defaults"))
    for job_name, job in jobs.items():
        if not isinstance(job, dict):
            continue
        steps = job.get("steps")
        if not isinstance(steps, list):
            continue
        job_dir = _working_directory(job.get("defaults")) or top
        for index, step in enumerate(steps, 1):
            if not isinstance(step, dict):
                continue
            label = step.get("name") if isinstance(step.get("name"), str) else f"step {index}"
            where = f"{shown}, job {job_name}, {label}"
            uses = step.get("uses")
            if isinstance(uses, str) and uses.split("@")[0] == "docker/build-push-action":
                found = _action_build(path, step.get("with"), root, where)
                if found is not None:
                    yield found
                continue
            run = step.get("run")
            if isinstance(run, str) and ("build" in run or " b " in run):
                step_dir = step.get("working-directory")
                directory = step_dir if isinstance(step_dir, str) else job_dir
                if directory is not None and ("${{" in directory or "$" in directory):
                    continue
                base = _join(root, directory or ".")
                yield from _run_builds(path, run, base, where)


def action_builds(path: str, text: str, shown: str) -> Iterator[Declared]:
    """The build a Docker container action's metadata file declares (none for
    another kind of action, or an image reference). Raises DefinitionError."""
    document = _safe_yaml(text)
    runs = document.get("runs") if isinstance(document, dict) else None
    if not isinstance(runs, dict) or runs.get("using") != "docker":
        return
    image = runs.get("image")
    if not isinstance(image, str) or not image or image.startswith("docker://") or "${{" in image:
        return
    dockerfile = _join(os.path.dirname(path), image)
    yield Declared(
        path,
        f"{shown}, runs.image",
        os.path.dirname(dockerfile),
        dockerfile,
        None,
        raw=(os.path.dirname(image) or ".", image),
        action=True,
    )


def _working_directory(defaults: object) -> str | None:
    if isinstance(defaults, dict):
        run = defaults.get("run")
        if isinstance(run, dict) and isinstance(run.get("working-directory"), str):
            value: str = run["working-directory"]
            return value
    return None


def _action_build(path: str, with_: object, root: str, where: str) -> Declared | None:
    args = with_ if isinstance(with_, dict) else {}
    context = args.get("context")
    dockerfile = args.get("file")
    target = args.get("target")
    values = [v for v in (context, dockerfile, target) if v is not None]
    if any(not isinstance(v, str) or "${{" in v for v in values):
        return None
    if isinstance(context, str) and _is_remote(context):
        return None
    context_dir = _join(root, context if isinstance(context, str) and context else ".")
    dockerfile_path = (
        _join(root, dockerfile)
        if isinstance(dockerfile, str) and dockerfile
        else os.path.join(context_dir, "Dockerfile")
    )
    return Declared(
        path,
        where,
        context_dir,
        dockerfile_path,
        target if isinstance(target, str) and target else None,
        raw=(
            context if isinstance(context, str) else ".",
            dockerfile if isinstance(dockerfile, str) else "Dockerfile",
        ),
    )


def _run_builds(path: str, script: str, base: str, where: str) -> Iterator[Declared]:
    cwd = base
    for command in split_commands(script):
        argv = command.argv
        words = command.words
        if not argv:
            continue
        if argv[0] == "cd":
            operand = words[1] if len(words) == 2 else None
            if operand is None or operand.expands or "${{" in operand.text:
                cwd = ""  # unknown from here on
            else:
                cwd = _join(cwd, operand.value) if cwd else ""
            continue
        head = next((b for b in _BUILDERS if argv[: len(b)] == b), None)
        if head is None or not cwd:
            continue
        found = _build_line(path, words[len(head) :], cwd, where)
        if found is not None:
            yield found


def _build_line(path: str, words: tuple[object, ...], cwd: str, where: str) -> Declared | None:
    dockerfile: str | None = None
    target: str | None = None
    operands: list[str] = []
    i = 0
    typed = [w for w in words if isinstance(w, Word)]
    while i < len(typed):
        word = typed[i]
        unknown = word.expands or "${{" in word.text
        value = word.value
        if value.startswith("--") and "=" in value:
            name, _, arg = value.partition("=")
            if name == "--file":
                dockerfile = None if unknown else arg
                if unknown:
                    return None
            elif name == "--target":
                target = None if unknown else arg
            i += 1
            continue
        if value.startswith("-f") and len(value) > 2 and not value.startswith("--"):
            if unknown:
                return None
            dockerfile = value[2:]
            i += 1
            continue
        if value.startswith("-") and value != "-":
            nxt = typed[i + 1] if i + 1 < len(typed) else None
            if value in _FLAGS:
                i += 1
                continue
            if nxt is None:
                break
            nxt_unknown = nxt.expands or "${{" in nxt.text
            if value in ("-f", "--file"):
                if nxt_unknown:
                    return None
                dockerfile = nxt.value
            elif value == "--target":
                target = None if nxt_unknown else nxt.value
            i += 2
            continue
        if unknown:
            return None
        operands.append(value)
        i += 1
    if len(operands) != 1:
        return None
    context = operands[0]
    if context == "-" or _is_remote(context) or dockerfile == "-":
        return None
    context_dir = _join(cwd, context)
    dockerfile_path = (
        _join(cwd, dockerfile) if dockerfile else os.path.join(context_dir, "Dockerfile")
    )
    return Declared(
        path,
        where,
        context_dir,
        dockerfile_path,
        target,
        raw=(context, dockerfile or "Dockerfile"),
    )
