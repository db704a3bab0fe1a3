"""python-slim-base: Python stages build on a pinned, supported `python:<3.X>-slim` image."""

from __future__ import annotations

from python_docker_hooks._dockerfile.image import (
    DEBIAN_EOL,
    PYTHON_EOL,
    last_day,
    past,
    python_image,
    python_tag,
    stage_image,
)
from python_docker_hooks._engine.vocabulary import Finding, HookSpec, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from python_docker_hooks._dockerfile.image import ImageRef, PythonTag
    from python_docker_hooks._dockerfile.parse import Dockerfile, Stage
    from python_docker_hooks._engine.vocabulary import Context

_SCOPE = """\
It judges each stage built on the official `python` or `pypy` image: `python`,
`library/python`, `docker.io/library/python`, `index.docker.io/library/python`,
or a known mirror of the library (`mirror.gcr.io/library/python`,
`public.ecr.aws/docker/library/python`,
`mcr.microsoft.com/mirror/docker/library/python`), with `ARG` defaults put in.
Other namespaces are other images: distribution/reference reads
`docker.io/bitnami/python` as `bitnami/python`, and a registry with a dot in its
name (`gcr.io/google_appengine/python`) is not a mirror of the library, so the
library's tags may not exist there; a stage built `FROM` another stage
is judged once, at the root of its chain. A tag that still holds a build argument
without a default is not judged.
"""

UNTAGGED_DOC = f"""\
## What it does
Flags `FROM python` without a tag (and without a digest).

{_SCOPE}
## Why is this bad?
No tag means `latest`: the next Python release, or the next Debian release under it,
arrives in your image with the next build, unannounced (hadolint DL3006).

## Example
```dockerfile
FROM python
```

## Use instead
```dockerfile
FROM python:3.13-slim
```

## Fix safety
No fix: which Python version the application supports is for a person to say.
"""

LATEST_DOC = f"""\
## What it does
Flags `FROM python:latest`.

{_SCOPE}
## Why is this bad?
`latest` moves to each new Python release and each new Debian release: builds
change under you (hadolint DL3007).

## Example
```dockerfile
FROM python:latest
```

## Use instead
```dockerfile
FROM python:3.13-slim
```

## Fix safety
No fix: which Python version the application supports is for a person to say.
"""

MINOR_DOC = f"""\
## What it does
Flags a tag that does not name the Python minor version: `python:3`, `python:3-slim`,
`python:slim`, `python:bookworm`. A digest pin (`@sha256:...`) counts as pinned.

{_SCOPE}
## Why is this bad?
`3` moves from 3.12 to 3.13 to 3.14 as they are released: a new minor version can
remove modules and deprecated APIs, and wheels for it may not exist yet.

## Example
```dockerfile
FROM python:3-slim
```

## Use instead
```dockerfile
FROM python:3.13-slim
```

## Fix safety
No fix: which Python version the application supports is for a person to say.
"""

SLIM_DOC = f"""\
## What it does
Flags the full variant of the official image (`python:3.12`, `python:3.12-bookworm`,
`python:3.12-trixie`) in the stage the build ships (the last stage, or the one
`targets` names, with the stages it is built `FROM`), and suggests its `-slim`
counterpart. A build stage on the full image is fine: its compilers and headers
stay out of the image when only its results are copied into a slim stage, which
is what `build-deps-in-final-stage` (PDH801) advises. Alpine variants are left to
`no-alpine-python`; Windows variants have no slim counterpart and are not
flagged. Nor is a shared tag (`python:3.12.8`, `python:3.12`) in a file that
shows Windows (a drive-letter `WORKDIR` or destination, a `.exe` program): a
Windows daemon resolves it to the `windowsservercore` image (docker-library's
python README, "Shared Tags").

{_SCOPE}
## Why is this bad?
The full variant is built on `buildpack-deps`: compilers, headers, version control
tools and hundreds of libraries the application does not run with. The image is
several times larger, slower to pull, and carries more packages with
vulnerabilities. `-slim` holds what Python needs to run; a stage that compiles can
install what it needs, or use the full image as a build stage only.

## Example
```dockerfile
FROM python:3.12-bookworm
```

## Use instead
```dockerfile
FROM python:3.12-slim-bookworm
```

## Fix safety
No fix: a build may rely on a compiler or library of the full image, so a person
must check what the stage installs.
"""

EOL_DOC = f"""\
## What it does
Flags a Python version past its end of life, and a Debian release past the end of
its long-term support, named in the tag (`python:3.9-slim`,
`python:3.12-slim-bullseye`). "Today" is the clock's date, or the `today` option.

{_SCOPE}
Python's end-of-life dates (devguide.python.org/versions): 3.7 2023-06-27,
3.8 2024-10-07, 3.9 2025-10-31, 3.10 2026-10, 3.11 2027-10, 3.12 2028-10,
3.13 2029-10, 3.14 2030-10. Debian's end of LTS (wiki.debian.org/LTS): jessie
2020-06-30, stretch 2022-06-30, buster 2024-06-30, bullseye 2026-08-31, bookworm
2028-06-30, trixie 2030-06-30. The versions of `pypy` follow PyPy's own releases
and are not judged by these dates.

## Why is this bad?
Past its end of life, a Python version or a Debian release gets no security fixes:
known vulnerabilities stay in the image for good, and the official image stops
being rebuilt for it.

## Example
Judged on 1 December 2026 (the `today` option pins the date; by default it is
the clock's):

```toml title="pyproject.toml"
[tool.python-docker-hooks.python-slim-base]
today = "2026-12-01"
```

```dockerfile
FROM python:3.9-slim-bullseye
```

## Use instead
```dockerfile
FROM python:3.13-slim-trixie
```

## Options
`today` (string `YYYY-MM-DD`; default empty, the clock's date): the date to judge
end of life against, for reproducible checks and tests.

## Fix safety
No fix: moving to another Python or Debian release needs the application tested
on it.
"""

CODENAME_DOC = f"""\
## What it does
With the option `require-codename = true` (default off), flags a slim tag without
a Debian codename: `python:3.12-slim` instead of `python:3.12-slim-trixie`.

{_SCOPE}
## Why is this bad?
The unpinned `-slim` tag moves to each new Debian release: in August 2025 it moved
from bookworm to trixie, and builds that relied on bookworm's package names and
versions broke. Naming the codename makes that move a change you make.

## Example
```toml title="pyproject.toml"
[tool.python-docker-hooks.python-slim-base]
require-codename = true
```

```dockerfile
FROM python:3.12-slim
```

## Use instead
```dockerfile
FROM python:3.12-slim-trixie
```

## Options
`require-codename` (boolean; default false), as in the example.

## Fix safety
No fix: which Debian release the build expects is for a person to say.
"""

UNTAGGED = Rule(
    "PDH501",
    "python-slim-base",
    "official Python image without a tag",
    hadolint="DL3006",
    doc=UNTAGGED_DOC,
)
LATEST = Rule(
    "PDH502",
    "python-slim-base",
    "official Python image tagged latest",
    hadolint="DL3007",
    doc=LATEST_DOC,
)
MINOR = Rule(
    "PDH503",
    "python-slim-base",
    "official Python image tag without the minor version",
    doc=MINOR_DOC,
)
SLIM = Rule(
    "PDH504",
    "python-slim-base",
    "full official Python image instead of -slim",
    doc=SLIM_DOC,
)


def _check_today(value: object) -> str | None:
    if value == "" or (isinstance(value, str) and _date_of(value) is not None):
        return None
    return f"must be a date YYYY-MM-DD, not {value!r}"


def _date_of(text: str) -> tuple[int, int, int] | None:
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if len(parts[0]) != 4 or len(parts[1]) > 2 or len(parts[2]) > 2:
        return None
    year, month, day = (int(p) for p in parts)
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return year, month, day


EOL = Rule(
    "PDH505",
    "python-slim-base",
    "Python version or Debian release past its end of life",
    doc=EOL_DOC,
    options={"today": ""},
    option_checks={"today": _check_today},
)
CODENAME = Rule(
    "PDH506",
    "python-slim-base",
    "slim tag without a Debian codename",
    doc=CODENAME_DOC,
    options={"require-codename": False},
)
RULES = (UNTAGGED, LATEST, MINOR, SLIM, EOL, CODENAME)

# The Debian release the unpinned -slim tags follow (since August 2025).
CURRENT_CODENAME = "trixie"
# What to suggest when no minor version is known: a supported release of each
# (PyPy's newest line implements Python 3.11).
SUGGESTED = {"python": "3.13", "pypy": "3.11"}


def check(model: Dockerfile, context: Context) -> Iterator[Finding]:
    today = _today(context)
    shipped = model.shipped(context.target)
    for stage in model.stages:
        if stage.parent is not None:
            continue  # judged at the root of its chain
        ref = stage_image(model, stage)
        if ref is None or ref.unresolved:
            continue
        image = python_image(ref)
        if image is None:
            continue
        tag = python_tag(ref.tag)
        if tag is None:
            continue  # a tag outside the official scheme: nothing to say
        ships = shipped is not None and shipped.root == stage.index
        full = tag.variant == "" and not tag.latest
        if ships and full:
            from python_docker_hooks._dockerfile.facts import family
            from python_docker_hooks._dockerfile.image import WINDOWS

            # A shared tag (3.12.8) built on a Windows daemon is the
            # windowsservercore image, which has no slim counterpart.
            full = family(model, stage) != WINDOWS
        yield from _judge(context, stage, ref, image, tag, today, ships and full)


def _judge(
    context: Context,
    stage: Stage,
    ref: ImageRef,
    image: str,
    tag: PythonTag,
    today: tuple[int, int, int],
    full_shipped: bool,
) -> Iterator[Finding]:
    ins = stage.from_instruction
    shown = ref.text
    base = f"{ref.prefix}{ref.name}"

    def finding(rule: Rule, message: str) -> Finding:
        return Finding(rule, ins.start, message, end=ins.end)

    version = ".".join(str(n) for n in tag.version[:2])
    suggestion = f"{base}:{version if len(tag.version) >= 2 else SUGGESTED[image]}-slim"
    if not ref.digest:
        if not ref.tag:
            yield finding(
                UNTAGGED, f"`{shown}` has no tag: pin it, e.g. `{suggestion}`"
            )
            return
        if tag.latest:
            yield finding(
                LATEST, f"`{shown}` follows every release: pin it, e.g. `{suggestion}`"
            )
            return
        if len(tag.version) < 2:
            yield finding(
                MINOR,
                f"`{shown}` does not pin the Python minor version: use e.g. `{suggestion}`",
            )
    if full_shipped:
        slim = suggestion + (f"-{tag.codename}" if tag.codename else "")
        yield finding(
            SLIM,
            f"`{shown}` is the full image (compilers, headers, VCS tools): use `{slim}`",
        )
    if image == "python" and len(tag.version) >= 2:
        eol = PYTHON_EOL.get((tag.version[0], tag.version[1]))
        if eol is not None and past(eol, today):
            yield finding(
                EOL,
                f"Python {version} reached its end of life on "
                f"{_date(last_day(eol))}: no more security fixes",
            )
        elif eol is None and tag.version[:2] < (3, 5):
            yield finding(
                EOL,
                f"Python {version} is long past its end of life: no more security fixes",
            )
    if (
        tag.codename
        and tag.codename in DEBIAN_EOL
        and past(DEBIAN_EOL[tag.codename], today)
    ):
        yield finding(
            EOL,
            f"Debian {tag.codename} reached the end of its long-term support on "
            f"{DEBIAN_EOL[tag.codename]}: no more security fixes",
        )
    if (
        tag.variant == "slim"
        and not tag.codename
        and context.option(CODENAME, "require-codename") is True
    ):
        yield finding(
            CODENAME,
            f"`{shown}` follows each new Debian release: name it, e.g. "
            f"`{base}:{ref.tag}-{CURRENT_CODENAME}`",
        )


def _date(day: tuple[int, int, int]) -> str:
    return f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}"


def _today(context: Context) -> tuple[int, int, int]:
    """The `today` option as (year, month, day), else the clock's UTC date."""
    configured = context.option(EOL, "today")
    if isinstance(configured, str) and configured:
        date = _date_of(configured)
        if date is not None:
            return date
    import time

    now = time.gmtime()
    return now.tm_year, now.tm_mon, now.tm_mday


SPEC = HookSpec(
    "python-slim-base",
    RULES,
    check,
    name="pinned, supported python:<version>-slim base",
    description="Flags official Python base images that are unpinned, full instead of -slim, or past their end of life.",
)


def main(argv: Sequence[str] | None = None) -> int:
    from python_docker_hooks._command import run_hook

    return run_hook(SPEC, argv)


if __name__ == "__main__":
    raise SystemExit(main())
