"""label-maintainer: `MAINTAINER` becomes `LABEL maintainer=...`; the shipped image names
its maintainer."""

from __future__ import annotations

from python_docker_hooks._dockerfile.words import WordError, expand, literal_word
from python_docker_hooks._engine.vocabulary import (
    FIX_SAFE,
    Edit,
    Finding,
    Fix,
    HookSpec,
    Rule,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.parse import Dockerfile, Instruction, Stage
    from python_docker_hooks._engine.vocabulary import Context

DEPRECATED_DOC = """\
## What it does
Flags the `MAINTAINER` instruction and rewrites it as `LABEL maintainer="..."`.

## Why is this bad?
`MAINTAINER` is deprecated (Docker's Dockerfile reference; BuildKit's build check
`MaintainerDeprecated`, hadolint DL4000). It sets only the image's legacy `Author`
field, which tools no longer show; a label is what registries, `docker inspect` and
scanners read, and `LABEL` is the one instruction for image metadata.

## Example
```dockerfile
FROM python:3.12-slim
MAINTAINER Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
FROM python:3.12-slim
LABEL maintainer="Jane Doe <jane@example.com>"
```

## Fix safety
Safe: the instruction is replaced in place by a `LABEL` whose value BuildKit reads
as exactly the text `MAINTAINER` had (BuildKit takes `MAINTAINER`'s whole argument
as one literal string, with no variable expansion; in the label, `"`, `$` and the
escape character are escaped). What changes in the image is only where the name is
kept: the `maintainer` label instead of the deprecated `Author` field. A
`MAINTAINER` written over several lines (comment lines inside) is reported without
a fix.
"""

MISSING_DOC = """\
## What it does
Checks that the shipped stage (the last stage, or the one `targets` names in the
configuration) has a `maintainer` or `org.opencontainers.image.authors` label, set
in the stage or in a stage it is built `FROM` (a `MAINTAINER` counts too: the
other rule turns it into the label).

A base image passes its labels on (Docker's Dockerfile reference, `LABEL`:
"Labels included in base or parent images ... are inherited"). The labels of
the official `python`, `pypy`, `debian`, `ubuntu`, `buildpack-deps`, `alpine`,
`busybox`, `node`, `golang` and `postgres` images and of `scratch` are known:
none names a maintainer. `nginx` has `maintainer="NGINX Docker Maintainers
<docker-maint@nginx.com>"` (nginxinc/docker-nginx): the finding says that the
label is the base's, not the image's own. Any other base (a vendor's image, a
local one) may carry one: the finding says so.

## Why is this bad?
Whoever finds the image in a registry or a running cluster should be able to tell
who maintains it, without the source repository: the label travels with the image.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["python", "-m", "app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
LABEL maintainer="team@example.com"
CMD ["python", "-m", "app"]
```

## Options
`maintainer` (string; default empty): when set, the fix inserts
`LABEL maintainer="<value>"` after the shipped stage's `FROM` (and the `ARG` lines
that follow it). When empty, the finding is reported without a fix.

```toml
[tool.python-docker-hooks.label-maintainer]
maintainer = "Platform team <platform@example.com>"
```

## Fix safety
Safe, and only with the `maintainer` option: one `LABEL` line is added after the
stage's `FROM` and its `ARG` lines (never above the parser directives), in the
file's own line ending; a label adds metadata and changes nothing the image runs.
When the line it would follow ends in an open continuation, there is no fix.
"""

DEPRECATED = Rule(
    "PDH701",
    "label-maintainer",
    "deprecated MAINTAINER instruction",
    fix=FIX_SAFE,
    hadolint="DL4000",
    buildkit="MaintainerDeprecated",
    doc=DEPRECATED_DOC,
)
MISSING = Rule(
    "PDH702",
    "label-maintainer",
    "shipped image has no maintainer label",
    fix=FIX_SAFE,
    doc=MISSING_DOC,
    options={"maintainer": ""},
    shipped_only=True,
)
RULES = (DEPRECATED, MISSING)

# Label keys that name who maintains the image: the Docker convention and the
# OCI image spec's annotation (image-spec annotations.md).
MAINTAINER_KEYS = ("maintainer", "org.opencontainers.image.authors")


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    for ins in model.instructions:
        if ins.keyword == "MAINTAINER":
            yield Finding(
                DEPRECATED,
                ins.start,
                "`MAINTAINER` is deprecated; use `LABEL maintainer=...`",
                _replace(model, ins),
                end=ins.end,
            )
    stage = model.shipped(context.target)
    if stage is None or _names_maintainer(model, stage):
        return
    configured = context.option(MISSING, "maintainer")
    value = configured if isinstance(configured, str) else ""
    ins = stage.from_instruction
    yield Finding(
        MISSING,
        ins.start,
        _missing_message(model, stage),
        _insert_label(model, stage, value) if value else None,
        end=ins.end,
    )


def _missing_message(model: Dockerfile, stage: Stage) -> str:
    """PDH702's message: the base image passes its labels on, so what the
    tables know of its maintainer label is said (``image.maintainer_label``)."""
    from python_docker_hooks._dockerfile.image import maintainer_label, stage_image

    message = "shipped image has no `maintainer` (or `org.opencontainers.image.authors`) label"
    ref = stage_image(model, stage)
    if ref is None:
        return f"{message}, unless its base image `{model.stages[stage.root].base_raw}`, whose labels are not known, sets one"
    known, inherited = maintainer_label(ref)
    if not known:
        return f"{message}, unless its base image `{ref.text}`, whose labels are not known, sets one"
    if inherited is not None:
        return f"{message} of its own: its base image `{ref.text}` gives it `maintainer={inherited}`"
    return message


def _replace(model: Dockerfile, ins: Instruction) -> Fix | None:
    value = ins.args
    start, end = ins.span(0, len(value))
    if ins.source(start, end) != value:
        return None  # continuation lines or comments inside: a person rewrites it
    word = literal_word(value, model.escape)
    if word is None:
        return None
    return Fix(
        [
            Edit(ins.start, ins.keyword_end, "LABEL"),
            Edit(start, end, f"maintainer={word}"),
        ]
    )


def _label_key(raw: str, escape: str) -> str:
    try:
        return expand(raw, {}, escape)
    except WordError:
        return raw


def _names_maintainer(model: Dockerfile, stage: Stage) -> bool:
    for st in model.lineage(stage):
        for ins in st.instructions:
            if ins.keyword == "MAINTAINER":
                return True
            if ins.keyword != "LABEL":
                continue
            for kv in ins.pairs():
                # Keys are compared without case: `Maintainer` states the intent.
                if _label_key(kv.key, model.escape).lower() in MAINTAINER_KEYS:
                    return True
    return False


def _insert_label(model: Dockerfile, stage: Stage, value: str) -> Fix | None:
    from python_docker_hooks._dockerfile.facts import after_from
    word = literal_word(value, model.escape)
    place = after_from(model, stage)
    if word is None or place is None:
        return None
    offset, newline = place
    return Fix([Edit(offset, offset, f"{newline}LABEL maintainer={word}")])


SPEC = HookSpec(
    "label-maintainer",
    RULES,
    check,
    name="LABEL maintainer instead of MAINTAINER",
    description="Rewrites MAINTAINER as LABEL maintainer=...; flags a shipped image without a maintainer label.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
