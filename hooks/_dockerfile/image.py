"""Image facts: the reference a stage is built on, what it is, what it runs on.

- :func:`parse_reference` splits a reference as Docker's reference grammar does
  (``distribution/reference``): the first path component is a registry when it
  holds a ``.`` or a ``:`` or is ``localhost``; the tag follows the last ``:`` of
  the last component; the digest follows ``@``.
- :func:`library_name` says whether a reference names an official library image:
  Docker Hub's ``library/`` namespace, spelled with or without it, with Docker
  Hub's host names, or through a known mirror of the library. distribution/reference
  (``normalize.go``, ``splitDockerDomain``) puts ``library/`` before a single
  name on ``docker.io`` only, and canonicalizes ``index.docker.io`` to
  ``docker.io``: ``docker.io/bitnami/python`` is ``bitnami/python``, not the
  library's, and a registry with a dot in its name (``gcr.io/google_appengine/
  python``) is another registry, not a mirror of the library.
- :func:`stage_image` resolves a stage's ``FROM`` after ``ARG`` substitution.
- :func:`image_facts` looks a reference up in one small table of images: does
  its base provide Python, which distribution family it is, which non-root user
  it already runs as.
- :func:`python_tag` reads the tag of the official ``python``/``pypy`` images
  (docker-library/python: ``3.12``, ``3.12.7-slim-bookworm``, ``3-alpine3.20``,
  ``3.12-windowsservercore-ltsc2022``; pypy adds its own version, ``3.10-7.3.17-slim``).
"""

from __future__ import annotations

import re

from python_docker_hooks._dockerfile.text import LazyPattern
from python_docker_hooks._dockerfile.words import WordError, process_word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from python_docker_hooks._dockerfile.parse import Dockerfile, Stage

# Distribution families.
DEBIAN = "debian"  # Debian and Ubuntu: apt-get, useradd/adduser (Debian's)
ALPINE = "alpine"  # Alpine and BusyBox: apk, BusyBox adduser/addgroup
RHEL = "rhel"  # UBI, Fedora, CentOS, Rocky, Alma, Amazon Linux: dnf/yum/microdnf
DISTROLESS = "distroless"  # no shell, no package manager
WOLFI = "wolfi"  # Chainguard's Wolfi: apk, but glibc (not Alpine), BusyBox tools
SCRATCH = "scratch"  # the empty image
WINDOWS = "windows"  # Windows Server Core, Nano Server: no root, no POSIX users
UNKNOWN = "unknown"

# Docker Hub's own host names; a reference without a registry is on Docker Hub.
# distribution/reference canonicalizes `index.docker.io` to `docker.io`; its
# comment on defaultDomain names `registry-1.docker.io` as the actual domain of
# Docker Hub's registry, and `registry.hub.docker.com` serves the same API.
_HUB = frozenset(
    {
        "",
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "registry.hub.docker.com",
    }
)
# Mirrors of the official library: host/path prefix -> the library sits below it.
# Google's Docker Hub mirror (mirror.gcr.io, cloud.google.com/artifact-registry/
# docs/pull-cached-dockerhub-images), Amazon ECR Public's Docker Official Images
# (gallery.ecr.aws/docker), the Microsoft Artifact Registry's mirror of them.
_LIBRARY_MIRRORS = (
    "mirror.gcr.io/library/",
    "public.ecr.aws/docker/library/",
    "mcr.microsoft.com/mirror/docker/library/",
)

# Debian and Ubuntu release codenames, as they appear in image tags.
DEBIAN_CODENAMES = frozenset(
    {"jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "sid"}
)
UBUNTU_CODENAMES = frozenset(
    {"bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing", "resolute"}
)
# Official images that are Debian unless their tag says otherwise.
_DEBIAN_LIBRARY = frozenset(
    {
        "debian",
        "ubuntu",
        "buildpack-deps",
        "python",
        "pypy",
        "node",
        "golang",
        "ruby",
        "rust",
        "perl",
        "php",
        "haskell",
        "gcc",
        "openjdk",
        "eclipse-temurin",
        "r-base",
        "julia",
        "elixir",
        "erlang",
        "clojure",
        "maven",
        "gradle",
        "nginx",
        "httpd",
        "postgres",
        "redis",
        "mysql",
        "mariadb",
        "bash",
        "sapmachine",
    }
)
_ALPINE_LIBRARY = frozenset({"alpine", "busybox"})
_RHEL_LIBRARY = frozenset(
    {"fedora", "centos", "rockylinux", "almalinux", "amazonlinux", "oraclelinux"}
)
# The library images whose ``ENV`` and ``USER`` the tables hold. Any one-word
# name reads as a library image (``FROM mycorp-web`` pulls
# ``docker.io/library/mycorp-web``), but it is as often a local tag, a named
# build context or another build's image; and the other official images set
# what their own Dockerfiles set (odoo/docker's end with ``USER odoo``). None
# of them is known.
_KNOWN_LIBRARY = _DEBIAN_LIBRARY | _ALPINE_LIBRARY | _RHEL_LIBRARY | {"scratch"}
_WINDOWS_TAG = LazyPattern(r"windowsservercore|nanoserver", re.IGNORECASE)


class ImageRef:
    """A parsed image reference. ``repository`` is the path below the registry
    (``library/python``, ``astral-sh/uv``); ``name`` its last component;
    ``tag`` and ``digest`` are '' when absent (``digest`` keeps its algorithm,
    ``sha256:...``). ``unresolved`` is set when the text still holds a variable
    reference (an ``ARG`` without a default)."""

    __slots__ = (
        "text",
        "registry",
        "repository",
        "name",
        "tag",
        "digest",
        "unresolved",
    )

    def __init__(
        self,
        text: str,
        registry: str,
        repository: str,
        tag: str,
        digest: str,
        unresolved: bool = False,
    ) -> None:
        self.text = text
        self.registry = registry
        self.repository = repository
        self.name = repository.rsplit("/", 1)[-1]
        self.tag = tag
        self.digest = digest
        self.unresolved = unresolved

    @property
    def prefix(self) -> str:
        """Everything before the name, with its trailing '/' (as written)."""
        at = self.text.find("@")
        ref = self.text if at == -1 else self.text[:at]
        name_end = len(ref) - (len(self.tag) + 1 if self.tag else 0)
        return ref[: name_end - len(self.name)]

    @property
    def path(self) -> str:
        """Registry and repository, lowercased, with Docker Hub's host names left
        out (``docker.io/bitnami/python`` is ``bitnami/python``, as
        distribution/reference familiarizes it): what the image tables match."""
        path = self.repository.lower()
        registry = self.registry.lower()
        return f"{registry}/{path}" if registry not in _HUB else path

    def __repr__(self) -> str:
        return (
            f"ImageRef({self.text!r}, registry={self.registry!r}, "
            f"repository={self.repository!r}, tag={self.tag!r}, digest={self.digest!r})"
        )


def parse_reference(text: str, unresolved: bool = False) -> ImageRef:
    """Split ``text`` into registry, repository, tag and digest."""
    ref, _, digest = text.partition("@")
    first, slash, rest = ref.partition("/")
    registry = ""
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, ref = first, rest
    name_start = ref.rfind("/") + 1
    colon = ref.find(":", name_start)
    tag = ""
    if colon != -1:
        ref, tag = ref[:colon], ref[colon + 1 :]
    return ImageRef(text, registry, ref, tag, digest, unresolved)


def library_name(ref: ImageRef) -> str | None:
    """The official library image ``ref`` names (``python`` for ``python``,
    ``library/python``, ``docker.io/library/python``, ``mirror.gcr.io/library/python``,
    ``public.ecr.aws/docker/library/python``), else None."""
    registry = ref.registry.lower()
    repository = ref.repository.lower()
    if registry in _HUB:
        if "/" not in repository:
            return repository
        namespace, _, name = repository.partition("/")
        return name if namespace == "library" and "/" not in name else None
    path = ref.path + "/"
    for mirror in _LIBRARY_MIRRORS:
        if path.startswith(mirror):
            name = path[len(mirror) : -1]
            return name if name and "/" not in name else None
    return None


def stage_image(model: Dockerfile, stage: Stage) -> ImageRef | None:
    """The image at the root of ``stage``'s chain, after ``ARG`` substitution.

    A reference to an ``ARG`` that has a default takes the default (BuildKit
    expands ``FROM`` with the global ARGs, those declared before the first
    ``FROM``, only); one to an ``ARG`` without a default (or not declared) is
    kept as written and marked ``unresolved``. None when the word cannot be read.
    """
    known = model.memo(_StageImages)
    root = stage.root
    if root not in known:
        known[root] = _stage_image(model, stage)
    return known[root]


class _StageImages(dict[int, "ImageRef | None"]):
    """``stage_image`` of each chain, by the index of the stage at its root."""

    __slots__ = ()


def _stage_image(model: Dockerfile, stage: Stage) -> ImageRef | None:
    root = model.stages[stage.root]
    if "$" not in root.base_raw:
        return parse_reference(root.base)
    try:
        parts = process_word(root.base_raw, model.escape)
    except WordError:
        return None
    for part in parts:
        if len(part) <= 2 or part[2] in ("-", ":-"):
            continue  # literal text, or a reference with its own default
        if part[1] not in model.global_args or part[1] in model.build_args:
            return parse_reference(root.base_raw, unresolved=True)
    if "$" in root.base:
        return parse_reference(root.base, unresolved=True)
    return parse_reference(root.base)


class ImageFacts:
    """What the image table knows about a base image.

    ``python``: the image provides a Python interpreter. ``family``: one of the
    distribution families above. ``user``: the non-root user the image already
    runs as (its own ``USER``), '' when it runs as root or is not known to set one.
    ``env``: environment variables the image's own Dockerfile sets (``ENV``,
    inherited by every image built on it), for the images whose Dockerfile was
    read; read it only. ``drop_user``: the user the image's own ENTRYPOINT
    switches to before it runs the command, when that command's program is one
    of ``drop_commands`` ('-' for a first argument that is an option, which the
    entrypoint takes for options of its server); the image's own CMD is one.
    ``shared``: the tag is a shared one, which names a Linux image and a
    Windows one alike (the daemon's platform picks); ``family`` is then the
    Linux one.
    """

    __slots__ = ("python", "family", "user", "env", "drop_user", "drop_commands", "shared")

    def __init__(
        self,
        python: bool,
        family: str,
        user: str = "",
        env: dict[str, str] | None = None,
        drop_user: str = "",
        drop_commands: frozenset[str] = frozenset(),
    ) -> None:
        self.python = python
        self.family = family
        self.user = user
        self.env: dict[str, str] = env or {}
        self.drop_user = drop_user
        self.drop_commands = drop_commands
        self.shared = False

    def __repr__(self) -> str:
        return f"ImageFacts(python={self.python}, family={self.family!r}, user={self.user!r})"


def _tag_family(tag: str, default: str) -> str:
    lowered = tag.lower()
    if "alpine" in lowered:
        return ALPINE
    # Both Windows names hold "erver", whose letters fold to no other character
    # in the lowered tag: a tag without it is not searched (nor the pattern
    # compiled).
    if "erver" in lowered and _WINDOWS_TAG.search(lowered):
        return WINDOWS
    # The runs of ASCII letters (the words ``re.split(r"[^a-z]+")`` gives).
    words = set("".join(c if "a" <= c <= "z" else " " for c in lowered).split())
    if words & (DEBIAN_CODENAMES | UBUNTU_CODENAMES):
        return DEBIAN
    return default


# The Python images people build on, besides the official ones: path prefix
# (registry/repository, lowercased) -> how to read the rest. Sources: each
# project's published tags and Dockerfiles.
def _uv(ref: ImageRef) -> ImageFacts:
    # ghcr.io/astral-sh/uv: `python3.12-bookworm-slim`, `python3.12-alpine` carry
    # Python; `latest`, `0.5` hold only the uv binary on scratch; `bookworm`,
    # `alpine`, `debian-slim` are the distributions with uv and no Python.
    tag = ref.tag.lower()
    if tag.startswith("python"):
        return ImageFacts(True, _tag_family(tag, DEBIAN))
    if not tag or tag == "latest" or tag[:1].isdigit():
        return ImageFacts(False, SCRATCH)
    return ImageFacts(False, _tag_family(tag, DEBIAN if "debian" in tag else UNKNOWN))


def _distroless(ref: ImageRef) -> ImageFacts:
    # gcr.io/distroless/python3, python3-debian12, ...: Python without a shell;
    # the `nonroot` tags run as the image's user nonroot (UID 65532).
    python = ref.repository.lower().startswith("distroless/python")
    user = "nonroot" if "nonroot" in ref.tag.lower() else ""
    return ImageFacts(python, DISTROLESS, user)


# Chainguard images and the user their config runs as (chainguard-images/images:
# each image's apko config, `accounts.run-as`; tflib/accts defaults it to
# 65532, the `nonroot` user). The `-dev` variants add packages (a shell, apk)
# to the same config. Only the images whose config was read are listed:
# another Chainguard image's user is not known here.
_CHAINGUARD_USERS = {
    "python": "65532",  # images/python/config/main.tf: module accts, defaults
    "static": "65532",  # images/static/configs/latest.apko.yaml: run-as 65532
    "wolfi-base": "",  # images/wolfi-base/config/main.tf: run-as 0, root
}


def _chainguard(ref: ImageRef) -> ImageFacts:
    # cgr.dev/chainguard/*: without a shell unless the `-dev` tags, which add a
    # shell and apk (Wolfi, glibc: not Alpine); wolfi-base always has both.
    name = ref.name.lower()
    python = name == "python"
    user = _CHAINGUARD_USERS.get(name, "")
    if name == "wolfi-base" or ref.tag.lower().endswith("dev"):
        return ImageFacts(python, WOLFI, user)
    return ImageFacts(python, DISTROLESS, user)


# jupyter/docker-stacks: every image is built on docker-stacks-foundation, whose
# Dockerfile ends with `USER ${NB_UID}` (ARG NB_UID="1000", the user jovyan);
# Ubuntu under conda's Python. Published as quay.io/jupyter/<name> and, until
# 2023, as jupyter/<name> on Docker Hub.
_JUPYTER_STACKS = frozenset(
    {
        "docker-stacks-foundation",
        "base-notebook",
        "minimal-notebook",
        "scipy-notebook",
        "r-notebook",
        "julia-notebook",
        "tensorflow-notebook",
        "pytorch-notebook",
        "datascience-notebook",
        "pyspark-notebook",
        "all-spark-notebook",
    }
)


def _jupyter(ref: ImageRef) -> ImageFacts | None:
    # Other images under jupyter/ are not docker-stacks' and not known here:
    # jupyter/jupyterhub and jupyter/jupyterhub-onbuild (jupyterhub's own,
    # which run as root; the onbuild one ADDs jupyterhub_config.py ONBUILD).
    if ref.name.lower() in _JUPYTER_STACKS:
        return ImageFacts(True, DEBIAN, "1000")
    return None


def _fixed(python: bool, family: str, user: str = "") -> ImageFacts:
    return ImageFacts(python, family, user)


# tiangolo's images: the tags whose Dockerfile sets `ENV PYTHONDONTWRITEBYTECODE=1`
# and `ENV PYTHONUNBUFFERED=1`. tiangolo/uwsgi-nginx-docker added both to
# docker-images/python3.7 ... 3.11.dockerfile in #208 (2024-03-21), 3.12 has them
# since it was added; tiangolo/uvicorn-gunicorn-docker did the same in #192
# (2024-03-21) for python3.7, 3.8, 3.9, 3.10, 3.11 and their -slim files (the
# Alpine files were removed four days before and never had them). The -flask and
# -fastapi images are built FROM those tags (uwsgi-nginx-flask-docker's and
# uvicorn-gunicorn-fastapi-docker's docker-images/*.dockerfile) and ENV is
# inherited. Each repository's deploy workflow rebuilds its tags (and `latest`)
# every week until the tag is dropped, all after that date; older tags (python3.6,
# python2.7, flask-*) and the dated tags (`python3.11-2024-01-01`) are not listed:
# what they set is not known here.
_TIANGOLO_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
_UWSGI_TAGS = frozenset(
    {"", "latest"} | {f"python3.{minor}" for minor in range(7, 13)}
)
_UVICORN_TAGS = frozenset(
    {"", "latest", "python3.7"}
    | {f"python3.{minor}{slim}" for minor in range(8, 12) for slim in ("", "-slim")}
)
_TIANGOLO_TAGS = {
    "tiangolo/uwsgi-nginx": _UWSGI_TAGS,
    "tiangolo/uwsgi-nginx-flask": _UWSGI_TAGS,
    "tiangolo/uvicorn-gunicorn": _UVICORN_TAGS,
    "tiangolo/uvicorn-gunicorn-fastapi": _UVICORN_TAGS,
}


def _tiangolo(ref: ImageRef) -> ImageFacts:
    tags = _TIANGOLO_TAGS.get(ref.path, frozenset())
    env = _TIANGOLO_ENV if ref.tag.lower() in tags and not ref.digest else None
    return ImageFacts(True, _tag_family(ref.tag, DEBIAN), env=env)


def _micromamba_local(ref: ImageRef) -> ImageFacts:
    # mamba-org/micromamba-docker's tests build the repository's own Dockerfile
    # as `micromamba:test-<base>` (test/test_helper/common-setup.bash) and build
    # the test files FROM it: the image of debian.Dockerfile, which ends with
    # `USER $MAMBA_USER` (ARG MAMBA_USER=mambauser). Docker Hub has no library
    # image of that name (docker-library/official-images has no
    # library/micromamba). The image holds the micromamba binary, no Python.
    if ref.path != "micromamba":
        return ImageFacts(False, _tag_family(ref.tag, UNKNOWN))
    return ImageFacts(False, _tag_family(ref.tag, UNKNOWN), "mambauser")


def _gitpod(ref: ImageRef) -> ImageFacts:
    # gitpod/workspace-*: gitpod-io/workspace-images' base/Dockerfile (FROM
    # buildpack-deps:jammy, Ubuntu) creates `gitpod` (useradd -u 33333) and ends
    # its setup with `USER gitpod`; each chunk it combines (chunks/*/Dockerfile)
    # that switches to root switches back to `USER gitpod`. workspace-python
    # adds chunks/lang-python (Python through pyenv).
    python = ref.name.lower().startswith("workspace-python")
    return ImageFacts(python, DEBIAN, "gitpod")


_TABLE: tuple[tuple[str, object], ...] = (
    ("ghcr.io/astral-sh/uv", _uv),
    ("gcr.io/distroless/", _distroless),
    ("cgr.dev/chainguard/", _chainguard),
    ("quay.io/jupyter/", _jupyter),
    ("jupyter/", _jupyter),
    ("continuumio/miniconda3", _fixed(True, DEBIAN)),
    ("continuumio/anaconda3", _fixed(True, DEBIAN)),
    ("condaforge/miniforge3", _fixed(True, DEBIAN)),
    ("condaforge/mambaforge", _fixed(True, DEBIAN)),
    # micromamba's own user is `mambauser` (UID 57439).
    # micromamba's own user is `mambauser` (UID 57439): mamba-org/micromamba-docker
    # debian.Dockerfile, `ARG MAMBA_USER=mambauser` ... `USER $MAMBA_USER`.
    ("mambaorg/micromamba", _fixed(True, DEBIAN, "mambauser")),
    ("micromamba", _micromamba_local),
    ("gitpod/workspace-", _gitpod),
    # apache/airflow's Dockerfile: `ARG AIRFLOW_UID="50000"`, creates `airflow`
    # with that UID and ends with `USER ${AIRFLOW_UID}` (Debian bookworm-slim).
    ("apache/airflow", _fixed(True, DEBIAN, "50000")),
    # Elastic's images (elastic/kibana-docker and elastic/logstash-docker,
    # templates/Dockerfile.j2 of the 6.x branches: `USER kibana`, `USER
    # logstash`; their later master: `USER kibana`, `USER 1000`, logstash's UID).
    ("docker.elastic.co/kibana/", _fixed(False, UNKNOWN, "kibana")),
    ("docker.elastic.co/logstash/", _fixed(False, UNKNOWN, "logstash")),
    # elastic/elasticsearch-docker (6.x branches and master): no USER, but the
    # ENTRYPOINT bin/docker-entrypoint.sh runs the server with `chroot
    # --userspec=1000 /` when it starts as root and its first argument is the
    # image's CMD `eswrapper` or an `elasticsearch` program; anything else it
    # execs as it is.
    (
        "docker.elastic.co/elasticsearch/",
        ImageFacts(
            False,
            UNKNOWN,
            drop_user="1000",
            drop_commands=frozenset({"eswrapper", "elasticsearch"}),
        ),
    ),
    # Red Hat's Python images run as UID 1001.
    ("registry.access.redhat.com/ubi8/python-", _fixed(True, RHEL, "1001")),
    ("registry.access.redhat.com/ubi9/python-", _fixed(True, RHEL, "1001")),
    ("registry.redhat.io/ubi8/python-", _fixed(True, RHEL, "1001")),
    ("registry.redhat.io/ubi9/python-", _fixed(True, RHEL, "1001")),
    ("public.ecr.aws/lambda/python", _fixed(True, RHEL)),
    ("amazon/aws-lambda-python", _fixed(True, RHEL)),
    ("bitnami/python", _fixed(True, DEBIAN)),
    ("cimg/python", _fixed(True, DEBIAN, "circleci")),
    ("mcr.microsoft.com/devcontainers/python", _fixed(True, DEBIAN)),
    ("mcr.microsoft.com/vscode/devcontainers/python", _fixed(True, DEBIAN)),
    ("nikolaik/python-nodejs", _fixed(True, DEBIAN)),
    ("tiangolo/uvicorn-gunicorn", _tiangolo),
    ("tiangolo/uwsgi-nginx", _tiangolo),
    ("mcr.microsoft.com/windows", _fixed(False, WINDOWS)),
    ("mcr.microsoft.com/powershell", _fixed(False, WINDOWS)),
    ("mcr.microsoft.com/dotnet/framework", _fixed(False, WINDOWS)),
    ("microsoft/windowsservercore", _fixed(False, WINDOWS)),
    ("microsoft/nanoserver", _fixed(False, WINDOWS)),
    ("microsoft/dotnet-framework", _fixed(False, WINDOWS)),
    # microsoft/iis: microsoft/iis-docker's Dockerfiles are FROM
    # microsoft/windowsservercore, mcr.microsoft.com/windows/servercore or
    # nanoserver. microsoft/mssql-server-windows-*: microsoft/mssql-docker's
    # windows/mssql-server-windows*/dockerfile are FROM microsoft/windowsservercore.
    ("microsoft/iis", _fixed(False, WINDOWS)),
    ("microsoft/mssql-server-windows", _fixed(False, WINDOWS)),
    ("registry.access.redhat.com/ubi", _fixed(False, RHEL)),
    ("registry.redhat.io/ubi", _fixed(False, RHEL)),
    ("redhat/ubi", _fixed(False, RHEL)),
    ("quay.io/centos/", _fixed(False, RHEL)),
    ("quay.io/fedora/", _fixed(False, RHEL)),
)


# The official postgres image (docker-library/postgres, <version>/<variant>/
# docker-entrypoint.sh, `_main`): runs as root, and its ENTRYPOINT, when its
# first argument is `postgres` (the image's CMD) or an option (taken for
# `postgres <options>`) and it runs as UID 0, sets up the data directory and
# runs itself again with `exec gosu postgres`; any other command it execs as
# it is.
_POSTGRES_DROP = frozenset({"postgres", "-"})
_POSTGRES = ImageFacts(False, DEBIAN, drop_user="postgres", drop_commands=_POSTGRES_DROP)
_POSTGRES_ALPINE = ImageFacts(
    False, ALPINE, drop_user="postgres", drop_commands=_POSTGRES_DROP
)


def python_image(ref: ImageRef) -> str | None:
    """``python`` or ``pypy`` when ``ref`` is the official image of that name:
    the library image on Docker Hub or a known mirror of the library (see
    :func:`library_name`). Another namespace on Docker Hub (``bitnami/python``,
    ``docker.io/circleci/python``), a copy on another registry
    (``gcr.io/google_appengine/python``, ``localhost:5000/python``) and the vendor
    images of the table are not it: their tags follow their own schemes, and a
    tag suggested from the library's would not exist there."""
    library = library_name(ref)
    return library if library in ("python", "pypy") else None


# The maintainer labels of the library images whose labels the tables know.
# docker-library's Dockerfiles of these set no maintainer or
# org.opencontainers.image.authors label (ubuntu's set only ref.name and
# version); nginx's does: nginxinc/docker-nginx, `LABEL maintainer="NGINX Docker
# Maintainers <docker-maint@nginx.com>"`. Any other image's labels are not
# known: a base passes its labels on (Docker's Dockerfile reference, LABEL:
# "Labels included in base or parent images ... are inherited").
_LIBRARY_MAINTAINER: dict[str, str | None] = {
    "python": None,
    "pypy": None,
    "debian": None,
    "ubuntu": None,
    "buildpack-deps": None,
    "alpine": None,
    "busybox": None,
    "scratch": None,
    "node": None,
    "golang": None,
    "postgres": None,
    "nginx": "NGINX Docker Maintainers <docker-maint@nginx.com>",
}


def maintainer_label(ref: ImageRef) -> tuple[bool, str | None]:
    """Whether the tables know the maintainer label ``ref`` carries, and its
    value (None: it carries none)."""
    if "$" in ref.registry or "$" in ref.repository:
        return False, None
    library = library_name(ref)
    if library in _LIBRARY_MAINTAINER:
        return True, _LIBRARY_MAINTAINER[library]
    return False, None


def known_image(ref: ImageRef) -> bool:
    """Whether the tables say what ``ref`` is: one of the library images they
    list, or an image of the vendor table. Another one-word name (a local tag,
    or an official image the tables do not list) is not known, nor is an image
    name still holding a build argument (its tag may be)."""
    if "$" in ref.registry or "$" in ref.repository:
        return False
    if library_name(ref) in _KNOWN_LIBRARY:
        return True
    return _table_entry(ref) is not None


def image_facts(ref: ImageRef) -> ImageFacts:
    """What the tables know about ``ref`` (family UNKNOWN when nothing)."""
    if python_image(ref) is not None:
        facts = ImageFacts(True, _tag_family(ref.tag, DEBIAN))
        # docker-library/python's "Shared Tags" (3.12, 3.12.8, 3, latest): each
        # names the Debian image and the windowsservercore one.
        tag = python_tag(ref.tag)
        facts.shared = tag is not None and tag.variant == "" and not tag.codename
        return facts
    library = library_name(ref)
    if library is not None:
        if library == "scratch":
            return ImageFacts(False, SCRATCH)
        if library in _ALPINE_LIBRARY:
            return ImageFacts(False, ALPINE)
        if library in _RHEL_LIBRARY:
            return ImageFacts(False, RHEL)
        if library == "postgres":
            return _POSTGRES_ALPINE if _tag_family(ref.tag, DEBIAN) == ALPINE else _POSTGRES
        if library in _DEBIAN_LIBRARY:
            return ImageFacts(False, _tag_family(ref.tag, DEBIAN))
    found = _table_entry(ref)
    if found is not None:
        return found
    return ImageFacts(False, _tag_family(ref.tag, UNKNOWN))


def _table_entry(ref: ImageRef) -> ImageFacts | None:
    """What the vendor table says of ``ref``: the entry of the first prefix
    its path starts with, when that entry knows the name (a reader may not:
    None)."""
    path = ref.path
    for prefix, reader in _TABLE:
        if path.startswith(prefix):
            if isinstance(reader, ImageFacts):
                return reader
            found: ImageFacts | None = reader(ref)  # type: ignore[operator]
            return found
    return None


# --- the official python / pypy tags ------------------------------------------

# One '-'-separated word of a tag: a version (3, 3.12, 3.12.7, 3.15.0a2) or
# a PyPy version after the Python one (7.3.17).
_DIGITS = "0123456789"


def _version_word(word: str) -> bool:
    """``[0-9][0-9.]*(?:(?:a|b|rc)[0-9]+)?`` in full, read with string methods."""
    stem = word.rstrip(_DIGITS)
    if stem != word and stem.endswith(("a", "b")):
        stem = stem[:-1]
    elif stem != word and stem.endswith("rc"):
        stem = stem[:-2]
    else:
        stem = word
    return stem[:1] != "" and stem[0] in _DIGITS and not stem.strip(_DIGITS + ".")


class PythonTag:
    """A tag of the official ``python``/``pypy`` images, read.

    ``version``: the numbers written (``(3, 12)``, ``(3,)``, ``()`` for none);
    ``variant``: ``slim``, ``alpine``, ``windows`` or '' for the full image;
    ``codename``: the Debian release named, if any; ``latest``: the tag is
    ``latest`` (or absent).
    """

    __slots__ = ("tag", "version", "variant", "codename", "latest")

    def __init__(
        self,
        tag: str,
        version: tuple[int, ...],
        variant: str,
        codename: str,
        latest: bool,
    ) -> None:
        self.tag = tag
        self.version = version
        self.variant = variant
        self.codename = codename
        self.latest = latest

    def __repr__(self) -> str:
        return (
            f"PythonTag({self.tag!r}, version={self.version!r}, variant={self.variant!r}, "
            f"codename={self.codename!r})"
        )


def python_tag(tag: str) -> PythonTag | None:
    """Read an official python/pypy tag; None when it does not follow the scheme."""
    lowered = tag.lower()
    if lowered in ("", "latest"):
        return PythonTag(tag, (), "", "", True)
    words = lowered.split("-")
    version: tuple[int, ...] = ()
    if _version_word(words[0]):
        # Its leading digits and dots.
        numbers = words[0][: len(words[0]) - len(words[0].lstrip(_DIGITS + "."))]
        parts = [n for n in numbers.split(".") if n]
        if any(len(n) > 12 for n in parts):
            return None  # no Python has such a version (and int() stops at 4,300 digits)
        version = tuple(int(n) for n in parts)
        words = words[1:]
        if words[:1] == ["rc"]:
            words = words[1:]
        if words and _version_word(words[0]):
            words = words[1:]  # pypy's own version
    if any(not w for w in words):
        return None
    variant = ""
    codename = ""
    for word in words:
        if word == "slim":
            variant = variant or "slim"
        elif word.startswith("alpine"):
            variant = "alpine"
        elif word in ("windowsservercore", "nanoserver"):
            variant = "windows"
        elif word in DEBIAN_CODENAMES:
            codename = word
        elif variant == "windows":
            continue  # ltsc2022, 1809: the Windows release
        else:
            return None
    return PythonTag(tag, version, variant, codename, False)


# End of life, from the Python developer's guide (devguide.python.org/versions)
# and each release's PEP: (major, minor) -> 'YYYY-MM-DD', or 'YYYY-MM' where the
# schedule names only the month (then the end of that month).
PYTHON_EOL: dict[tuple[int, int], str] = {
    (2, 7): "2020-01-01",
    (3, 5): "2020-09-30",
    (3, 6): "2021-12-23",
    (3, 7): "2023-06-27",
    (3, 8): "2024-10-07",
    (3, 9): "2025-10-31",
    (3, 10): "2026-10",
    (3, 11): "2027-10",
    (3, 12): "2028-10",
    (3, 13): "2029-10",
    (3, 14): "2030-10",
}

# End of Debian's long-term support (wiki.debian.org/LTS): no security updates
# after this day. bookworm and trixie are listed so the table says when.
DEBIAN_EOL: dict[str, str] = {
    "jessie": "2020-06-30",
    "stretch": "2022-06-30",
    "buster": "2024-06-30",
    "bullseye": "2026-08-31",
    "bookworm": "2028-06-30",
    "trixie": "2030-06-30",
}


def last_day(date: str) -> tuple[int, int, int]:
    """'YYYY-MM-DD' as a tuple; 'YYYY-MM' as the last day of that month."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    year, month = parts
    days = (
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    )
    return year, month, days[month - 1]


def past(date: str, today: tuple[int, int, int]) -> bool:
    """Whether the end-of-life ``date`` is before ``today``."""
    return last_day(date) < today
