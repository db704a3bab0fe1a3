"""A Debian minbase root in which a Dockerfile's RUN commands run for real.

The root is built once with ``debootstrap --variant=minbase`` from Debian's
package archive and cached outside the repository, under
``${XDG_CACHE_HOME:-~/.cache}/python-docker-hooks/live/<suite>/root``; later runs
reuse it. Each command runs under ``unshare`` (private mount, PID, IPC, UTS and
network namespaces) and ``chroot``, on an overlay mount whose lower layer is the
cached root and whose upper layer is a directory of the test's own: what a
command writes lands there, so neither the cached root nor the host's files
change. The mount lives only in the namespace, which ends with the command.

``PYTHON_DOCKER_HOOKS_LIVE_SUITE`` (default ``bookworm``, the Debian release of
``python:3.12-slim``) and ``PYTHON_DOCKER_HOOKS_LIVE_MIRROR`` (default
``http://deb.debian.org/debian``) choose what is built.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

SUITE = os.environ.get("PYTHON_DOCKER_HOOKS_LIVE_SUITE", "bookworm")
MIRROR = os.environ.get(
    "PYTHON_DOCKER_HOOKS_LIVE_MIRROR", "http://deb.debian.org/debian"
)
# Generous: the build takes about 20 s on a good link.
BUILD_TIMEOUT = 1800
# BuildKit runs a shell-form RUN as ["/bin/sh", "-c", <text>] on Linux (Dockerfile
# reference, "Shell and exec form"); a process whose image sets no PATH gets this
# one (moby/buildkit util/system: DefaultPathEnvUnix).
BUILDKIT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Inside a fresh mount namespace: mount the overlay, then run argv in the chroot
# with BuildKit's environment, as root, from /.
_ENTER = (
    'set -e; mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4"; '
    'root=$4; shift 4; cd /; exec chroot "$root" /usr/bin/env -i '
    f'PATH={BUILDKIT_PATH} HOME=/root "$@"'
)
_UNSHARE = ("unshare", "--mount", "--pid", "--ipc", "--uts", "--net", "--fork", "--")


class Unavailable(Exception):
    """Why the root cannot be built or entered here: the tests skip with it."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return Path(base) / "python-docker-hooks" / "live" / SUITE


class DebianRoot:
    """The cached root, and how long getting it took (built, or found)."""

    def __init__(self, path: Path, seconds: float, built: bool) -> None:
        self.path = path
        self.seconds = seconds
        self.built = built

    def layer(self, scratch: Path) -> Overlay:
        return Overlay(self.path, scratch)


class Overlay:
    """The root with an upper layer of its own; every ``run`` sees what the
    earlier ones wrote."""

    def __init__(self, lower: Path, scratch: Path) -> None:
        self.lower = lower
        self.upper = scratch / "upper"
        self.work = scratch / "work"
        self.merged = scratch / "merged"
        for path in (self.upper, self.work, self.merged):
            path.mkdir(parents=True)

    def run(
        self, argv: list[str], timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """argv run as root in the chroot; its exit status, stdout and stderr."""
        return subprocess.run(
            [
                *_UNSHARE,
                "/bin/sh",
                "-c",
                _ENTER,
                "enter",
                str(self.lower),
                str(self.upper),
                str(self.work),
                str(self.merged),
                *argv,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def sh(self, script: str) -> subprocess.CompletedProcess[str]:
        """A shell-form RUN's text, run as BuildKit runs it."""
        return self.run(["/bin/sh", "-c", script])


def prepare(scratch: Path) -> DebianRoot:
    """The cached root, built first when it is missing; Unavailable says why not."""
    if not sys.platform.startswith("linux"):
        raise Unavailable("needs Linux (unshare, chroot and overlay mounts)")
    if os.geteuid() != 0:
        raise Unavailable(
            "needs root: debootstrap, mount and chroot do (run the profile as root, "
            "e.g. in a CI container)"
        )
    for tool in ("unshare", "chroot", "mount"):
        if shutil.which(tool) is None:
            raise Unavailable(f"`{tool}` is not installed")
    _probe(scratch)
    directory = cache_dir()
    root = directory / "root"
    done = directory / "root.done"
    start = time.monotonic()
    if done.is_file():
        return DebianRoot(root, time.monotonic() - start, built=False)
    if shutil.which("debootstrap") is None:
        raise Unavailable(
            f"no cached root at {root} and debootstrap is not installed "
            "(apt-get install debootstrap)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run may be building it
        if not done.is_file():
            _build(directory, root, done)
    return DebianRoot(root, time.monotonic() - start, built=True)


def _probe(scratch: Path) -> None:
    """An overlay mount in a private mount namespace works here."""
    dirs = [scratch / name for name in ("lower", "upper", "work", "merged")]
    for path in dirs:
        path.mkdir(parents=True)
    script = 'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4"'
    try:
        probe = subprocess.run(
            [*_UNSHARE, "/bin/sh", "-c", script, "probe", *map(str, dirs)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"unshare could not run: {exc}") from None
    if probe.returncode != 0:
        raise Unavailable(
            "an overlay mount under unshare is not permitted here: "
            + _last_line(probe.stderr)
        )


def _build(directory: Path, root: Path, done: Path) -> None:
    partial = directory / "root.partial"
    for old in (partial, root):
        if old.exists():
            # Left by an interrupted build. debootstrap mounts /proc, /sys and
            # sometimes the host's /dev in its target, but only in the mount
            # namespace it is run in below, which ended with it; still, never
            # delete through a mount.
            mounted = _mounts_under(old)
            if mounted:
                raise Unavailable(f"{mounted[0]} is still mounted: unmount it first")
            shutil.rmtree(old)
    log = directory / "build.log"
    argv = [
        "unshare",
        "--mount",
        "--fork",
        "--",
        "debootstrap",
        "--variant=minbase",
        SUITE,
        str(partial),
        MIRROR,
    ]
    start = time.monotonic()
    with open(log, "w") as out:
        try:
            result = subprocess.run(
                argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=BUILD_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(
                f"debootstrap took more than {BUILD_TIMEOUT} s (log: {log})"
            ) from None
    if result.returncode != 0:
        raise Unavailable(
            f"debootstrap {SUITE} from {MIRROR} failed (exit {result.returncode}): "
            f"{_last_line(log.read_text(errors='replace'))} (log: {log})"
        )
    partial.rename(root)
    done.write_text(
        f"{' '.join(argv[4:-2])} {root} {MIRROR}\n"
        f"built in {time.monotonic() - start:.1f} s\n"
    )


def _mounts_under(path: Path) -> list[str]:
    prefix = str(path.resolve())
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as info:
        points = [line.split()[4] for line in info]
    return [p for p in points if p == prefix or p.startswith(prefix + "/")]


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


@contextlib.contextmanager
def unchanged(*paths: Path) -> Iterator[None]:
    """Asserts that the files' bytes are the same after the block as before it."""
    before = {path: path.read_bytes() for path in paths if path.exists()}
    yield
    after = {path: path.read_bytes() for path in paths if path.exists()}
    assert after == before, "a file outside the overlay changed"
