"""The network server a container command starts: program, bind host and port.

Read from the command line of the server programs Python images run, with each
program's own defaults (from its source):

- uvicorn (``uvicorn/main.py``): ``--host`` 127.0.0.1, ``--port`` 8000; click reads
  ``UVICORN_HOST``/``UVICORN_PORT`` (``auto_envvar_prefix="UVICORN"``); ``--uds`` or
  ``--fd`` bind no TCP port.
- gunicorn (``gunicorn/config.py`` ``Bind``): ``-b/--bind`` (repeatable), default
  127.0.0.1:8000, or 0.0.0.0:$PORT when ``PORT`` is set. ``Application.load_config``
  (``gunicorn/app/base.py``) reads a config file first: the ``-c`` one, else
  ``gunicorn.conf.py`` in the working directory when it exists
  (``get_default_config_file``); then ``GUNICORN_CMD_ARGS``; then the command line,
  each over the one before. So a command without ``-b`` takes its bind from that
  file when the image holds one: the server carries the file's path
  (``Server.config``), and :func:`gunicorn_config_binds` reads a literal ``bind``
  from it. A bare host gets port 8000; ``:8000`` is every interface
  (``util.parse_address``).
- hypercorn (``hypercorn/__main__.py``, ``config.py``): ``-b/--bind`` (repeatable),
  default 127.0.0.1:8000; a bare host gets 8000; ``-c`` config not known.
- daphne (``daphne/cli.py``): ``-b/--bind`` host, ``-p/--port``; 127.0.0.1:8000 when
  neither is given, a missing one takes its default (so ``-p 8000`` alone binds
  127.0.0.1); ``-u``, ``--fd``, ``-e`` add no known TCP listener.
- ``flask run`` (``flask/cli.py``): ``--host/-h`` 127.0.0.1, ``--port/-p`` 5000;
  ``FLASK_RUN_HOST``/``FLASK_RUN_PORT``.
- ``manage.py runserver [addr:]port`` (Django): 127.0.0.1:8000 (``::1`` with
  ``-6``); ``0`` is 0.0.0.0. ``django-admin runserver`` and ``python -m django
  runserver`` are the same command (``django/__main__.py`` runs
  ``execute_from_command_line``, as ``django-admin`` does).
- ``fastapi run`` (fastapi-cli, ``fastapi_cli/cli.py``): ``--host`` 0.0.0.0,
  ``--port`` 8000; ``fastapi dev``: ``--host`` 127.0.0.1, ``--port`` 8000; some
  releases read ``--port`` from ``PORT`` (``envvar="PORT"``), others do not, so
  with ``PORT`` set and no ``--port`` the port is not known.
- ``streamlit run`` (``streamlit/config.py``): ``--server.port`` 8501,
  ``--server.address`` unset = every interface; ``STREAMLIT_SERVER_PORT``/
  ``STREAMLIT_SERVER_ADDRESS``.
- ``waitress-serve`` (``waitress/adjustments.py``): ``--host`` 0.0.0.0, ``--port``
  8080, or ``--listen`` (repeatable, ``*`` = every interface).
- uWSGI (``core/socket.c``; the options of ``core/uwsgi.c``): ``--http``,
  ``--http-socket``, ``--socket``/``-s``, ``--uwsgi-socket``; ``:8000`` is every
  interface; no default port. Without one on the command line, the sockets come
  from the one ini file it loads: ``--ini FILE``, or an argument named ``*.ini``
  (uWSGI deduces a file's type from its extension when no option names it,
  "Configuring uWSGI"). :func:`uwsgi_ini_sockets` reads the file as
  ``uwsgi_ini_config`` (``core/ini.c``) does. uWSGI also takes every option
  from a ``UWSGI_<NAME>`` variable (``parse_sys_envs`` and ``env_to_arg`` in
  ``core/utils.c``: the name lowercased, ``_`` read as ``-``), before the
  command line (``core/uwsgi.c``): ``UWSGI_HTTP_SOCKET=:8000`` is one more
  socket, ``UWSGI_INI`` one more ini file.
- ``python -m http.server [port] [--bind ADDR]`` (CPython): port 8000, every
  interface.
- granian (``granian/cli.py``): ``--host`` 127.0.0.1, ``--port`` 8000; click reads
  ``GRANIAN_HOST``/``GRANIAN_PORT`` (``auto_envvar_prefix="GRANIAN"``); ``--uds``
  binds no TCP port.

A server is a development one (``Server.development``) when its project says
so: ``runserver``, ``flask run`` and ``fastapi dev`` always; uvicorn, gunicorn,
hypercorn, granian and ``fastapi run`` with ``--reload`` (uvicorn and granian
also with ``UVICORN_RELOAD``/``GRANIAN_RELOAD`` true as click reads it, gunicorn
with ``--reload`` in ``GUNICORN_CMD_ARGS``); uWSGI with ``py-autoreload`` (or
its other spellings) set to a positive interval, on the command line, in a
``UWSGI_*`` variable or in its ini file (:func:`uwsgi_reload`).

Each runs as its program or as ``python -m <module>``. A value that stays a
variable (``$PORT`` with no value in the image) is not known, never guessed.
"""

from __future__ import annotations

import re

from python_docker_hooks._dockerfile.command import shell_script
from python_docker_hooks._dockerfile.programs import is_python_interpreter
from python_docker_hooks._dockerfile.text import LazyPattern, ascii_number
from python_docker_hooks._dockerfile.words import WordError, expand

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from python_docker_hooks._dockerfile.command import ContainerCommand

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "ip6-localhost"})
_ALL = ""  # the host of a bind to every interface

# ``$NAME``, ``${NAME}``, ``${NAME-default}``, ``${NAME:-default}`` (and ``=``):
# the name cannot run into the default, so a failed match backtracks in one step.
_VAR = LazyPattern(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:(?P<op>:?[-=])(?P<default>[^}$`\\]*))?\}"
    r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)


class Bind:
    """One address a server listens on; None where the file does not tell."""

    __slots__ = ("host", "port")

    def __init__(self, host: str | None, port: int | None) -> None:
        self.host = host
        self.port = port

    @property
    def loopback_only(self) -> bool:
        return self.host is not None and self.host.lower() in LOOPBACK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bind) and (self.host, self.port) == (other.host, other.port)

    def __hash__(self) -> int:
        return hash((self.host, self.port))

    def __repr__(self) -> str:
        return f"Bind({self.host!r}, {self.port!r})"


class Server:
    """A known server program and where it listens.

    ``binds`` is empty when it listens on no TCP port (a UNIX socket), and None
    when where it listens is not known (a config file the Dockerfile cannot show).
    ``host_flag`` names the option that sets the bind address, for messages.
    """

    __slots__ = (
        "program",
        "binds",
        "host_flag",
        "config",
        "config_required",
        "fallback",
        "development",
        "command_reload",
        "settings_file",
    )

    def __init__(
        self,
        program: str,
        binds: tuple[Bind, ...] | None,
        host_flag: str,
        config: str | None = None,
        config_required: bool = False,
        fallback: tuple[Bind, ...] | None = None,
        development: str | None = None,
    ) -> None:
        self.program = program
        self.binds = binds
        self.host_flag = host_flag
        # A config file that may set the bind (a path as given, relative to the
        # working directory): ``binds`` is then None until the file is read
        # (``with_config``), and ``fallback`` is what holds when the file sets
        # no bind, or (unless ``config_required``: named with ``-c``) is absent.
        self.config = config
        self.config_required = config_required
        self.fallback = fallback
        # What makes this a development server, in the words of the command
        # (``--reload``, ``runserver``...); None when it is not one.
        self.development = development
        # uWSGI: whether its command line turns the Python reloader "on",
        # "off", to a value not known ("unknown"), or does not name it (None),
        # for ``uwsgi_reload`` to weigh against the ini file.
        self.command_reload: str | None = None
        # The file whose settings may turn a reloader on (a path as given,
        # relative to the working directory): uWSGI's one ini file, gunicorn's
        # config file; read by ``reload_with_settings``.
        self.settings_file: str | None = None

    def __repr__(self) -> str:
        return f"Server({self.program!r}, {self.binds!r})"


def server_of(command: ContainerCommand, env: Mapping[str, str]) -> Server | None:
    """The server ``command`` starts, read with the image's environment ``env``.

    Through ``sh -c SCRIPT`` the script's commands are read (variables resolved
    from ``env`` as the shell would, ``${X:-default}`` included); the last command
    that starts a known server is the server. Exec form is not expanded by anyone,
    so a ``$`` there is literal text.
    """
    argv = command.argv
    if not argv:
        return None
    script = shell_script(argv)
    if script is None:
        return _server([*argv], env)
    from python_docker_hooks._dockerfile.shell import split_commands

    found: Server | None = None
    for cmd in split_commands(script):
        words = [_resolve(w.text, env) if w.expands else w.value for w in cmd.words]
        if any(w is None for w in words[:1]):
            continue
        server = _server(words, env)
        if server is not None:
            found = server
    return found


def _resolve(text: str, env: Mapping[str, str]) -> str | None:
    """A shell word's value with its variables taken from ``env``; None when a
    variable is unset with no default, or the word does more than that."""
    unknown = False

    def value(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match["braced"] or match["plain"]
        got = env.get(name)
        op = match["op"]
        if op is not None and (got is None or (op.startswith(":") and got == "")):
            return match["default"]
        if got is None:
            unknown = True
            return ""
        return got

    replaced = _VAR.sub(value, text)
    if unknown or "$" in replaced or "`" in replaced:
        return None
    try:
        # Only quote removal is left to do.
        return expand(replaced, {}, "\\")
    except WordError:
        return None


def _server(argv: Sequence[str | None], env: Mapping[str, str]) -> Server | None:
    words = _unwrapped(argv)
    if not words or words[0] is None:
        return None
    program = words[0].rsplit("/", 1)[-1]
    args = words[1:]
    if is_python_interpreter(program):
        module, args = _python_target(args)
        if module is None:
            return None
        if module.endswith("manage.py"):
            return _django(args)
        program = module
    reader = _PROGRAMS.get(program)
    if reader is None:
        if program in ("django-admin", "django"):
            return _django(args)
        return None
    server = reader(args, env)
    if server is not None and server.development is None:
        server.development = _development(program, args, env)
    return server


def _unwrapped(argv: Sequence[str | None]) -> list[str | None]:
    """``argv`` without the wrappers the shell view knows (``exec``, ``env``...)."""
    from python_docker_hooks._dockerfile.shell import Word, unwrap

    if any(a is None for a in argv[:1]):
        return list(argv)
    words = [Word(a or "", a or "", 0, 0) for a in argv]
    rest, _, _ = unwrap(words, [])
    offset = len(argv) - len(rest)
    return list(argv[offset:])


def _python_target(args: Sequence[str | None]) -> tuple[str | None, list[str | None]]:
    """What ``python ARGS`` runs: ``-m MODULE`` (module name) or a script path."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None:
            return None, []
        if arg == "-m" and i + 1 < len(args):
            return args[i + 1], list(args[i + 2 :])
        if arg.startswith("-m") and len(arg) > 2:
            return arg[2:], list(args[i + 1 :])
        if arg in ("-c", "-"):
            return None, []
        if arg in ("-W", "-X", "--check-hash-based-pycs"):
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg, list(args[i + 1 :])
    return None, []


# --- option reading ----------------------------------------------------------


class _Options:
    """Values of the options a program was given, click/argparse style:
    ``--name value``, ``--name=value``, ``-x value``, ``-xvalue``."""

    __slots__ = ("values", "positionals", "flags", "unknown")

    def __init__(
        self,
        args: Sequence[str | None],
        with_value: frozenset[str],
        flags: frozenset[str] = frozenset(),
    ) -> None:
        self.values: dict[str, list[str | None]] = {}
        self.positionals: list[str | None] = []
        self.flags: set[str] = set()
        i = 0
        while i < len(args):
            arg = args[i]
            i += 1
            if arg is None:
                self.positionals.append(None)
                continue
            if arg == "--":
                self.positionals.extend(args[i:])
                break
            if arg.startswith("--") and "=" in arg:
                name, _, value = arg.partition("=")
                self.values.setdefault(name, []).append(value)
                continue
            if arg in with_value:
                given = args[i] if i < len(args) else None
                i += 1
                self.values.setdefault(arg, []).append(given)
                continue
            if arg.startswith("-") and not arg.startswith("--") and arg[:2] in with_value:
                self.values.setdefault(arg[:2], []).append(arg[2:])
                continue
            if arg in flags:
                self.flags.add(arg)
                continue
            if arg.startswith("-") and arg != "-":
                continue
            self.positionals.append(arg)

    def last(self, *names: str) -> str | None | bool:
        """The last value of any of ``names``; False when none was given (None
        when given but not known)."""
        found: str | None | bool = False
        for name in names:
            if name in self.values:
                found = self.values[name][-1]
        return found

    def all(self, *names: str) -> list[str | None]:
        return [v for name in names for v in self.values.get(name, [])]


def _port(value: str | None) -> int | None:
    """A TCP port as the servers read one: ASCII digits, at most 65535; None
    for anything else."""
    port = ascii_number(value) if value is not None else None
    return port if port is not None and port <= 65535 else None


def _host_port(value: str | None, default_port: int | None) -> Bind:
    """``HOST:PORT``, ``HOST``, ``:PORT``, ``[V6]:PORT`` (gunicorn/hypercorn style)."""
    if value is None:
        return Bind(None, None)
    value = value.removeprefix("tcp://")
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return Bind(host, _port(rest[1:]) if rest.startswith(":") else default_port)
    if value.count(":") > 1:
        return Bind(value, default_port)  # a bare IPv6 address
    host, sep, port = value.partition(":")
    return Bind(host, _port(port) if sep else default_port)


def _env_value(env: Mapping[str, str], name: str) -> str | None | bool:
    """The variable's value, or False when the image does not set it."""
    return env.get(name, False)


def _pick(option: str | None | bool, env_value: str | None | bool, default: str) -> str | None:
    """Command line over environment over default."""
    if option is not False:
        return option if not isinstance(option, bool) else None
    if env_value is not False:
        return env_value if not isinstance(env_value, bool) else None
    return default


def _uvicorn(args: Sequence[str | None], env: Mapping[str, str]) -> Server:
    opts = _Options(args, frozenset({"--host", "--port", "--uds", "--fd"}))
    if opts.last("--uds", "--fd") is not False or _env_value(env, "UVICORN_UDS") is not False:
        return Server("uvicorn", (), "--host")
    host = _pick(opts.last("--host"), _env_value(env, "UVICORN_HOST"), "127.0.0.1")
    port = _pick(opts.last("--port"), _env_value(env, "UVICORN_PORT"), "8000")
    return Server("uvicorn", (Bind(host, _port(port)),), "--host 0.0.0.0")


def _gunicorn(args: Sequence[str | None], env: Mapping[str, str]) -> Server:
    opts = _Options(args, frozenset({"-b", "--bind", "-c", "--config", "-w", "--workers", "-k", "--worker-class", "-t", "--timeout"}))
    binds = opts.all("-b", "--bind")
    config = opts.last("-c", "--config")
    if "GUNICORN_CMD_ARGS" in env:
        extra = _Options(env["GUNICORN_CMD_ARGS"].split(), frozenset({"-b", "--bind", "-c", "--config"}))
        if not binds:
            binds = extra.all("-b", "--bind")
        if config is False:
            config = extra.last("-c", "--config")
    # gunicorn.conf.py in the working directory, when the image holds one.
    path = "gunicorn.conf.py" if config is False else config
    settings = None if not isinstance(path, str) or path.startswith("python:") else path
    if binds:
        server = Server("gunicorn", _tcp_binds(binds, 8000), "--bind 0.0.0.0:PORT")
    else:
        if "PORT" in env:
            default, flag = (Bind(_ALL, _port(env["PORT"])),), "--bind"
        else:
            default, flag = (Bind("127.0.0.1", 8000),), "--bind 0.0.0.0:8000"
        if settings is None:
            server = Server("gunicorn", None, "--bind 0.0.0.0:PORT")
        else:
            server = Server("gunicorn", None, flag, settings, config is not False, default)
    server.settings_file = settings
    return server


def _gunicorn_setting(source: str, name: str) -> tuple[str, object] | None:
    """How a gunicorn config file sets ``name``, read without running it:
    ``("unset", None)`` when nothing in it names it, ``("set", node)`` with the
    last module-level ``name = ...`` assignment's value; None when it is set
    some other way (conditionally, by several targets, imported,
    ``globals()``) or the file does not parse, for us or for gunicorn. gunicorn
    takes every module name that is a setting
    (``load_config_from_module_name_or_filename``), so a star import counts as
    not known."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Null bytes, or nesting deeper than CPython's parser takes (it raises
        # MemoryError for its own stack, RecursionError building the tree): a
        # file gunicorn could not load either.
        return None
    found: tuple[str, object] = ("unset", None)
    literal: set[int] = set()
    for statement in tree.body:
        if not isinstance(statement, ast.Assign):
            continue
        targets = statement.targets
        if not any(isinstance(t, ast.Name) and t.id == name for t in targets):
            continue
        if len(targets) != 1:
            return None
        found = ("set", statement.value)
        literal.add(id(targets[0]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id == name and not isinstance(node.ctx, ast.Load) and id(node) not in literal:
                return None
            if node.id in ("globals", "vars", "locals", "exec", "eval", "setattr", "__import__"):
                return None
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any(a.name == "*" or (a.asname or a.name) == name for a in node.names):
                return None
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return None
    return found


def gunicorn_config_binds(source: str) -> tuple[str, ...] | None:
    """The ``bind`` a gunicorn config file sets (``_gunicorn_setting``): the
    last module-level ``bind = "..."`` (or a list or tuple of strings); ``()``
    when nothing in it names ``bind`` (the default holds); None when ``bind``
    is set some other way (computed, conditional, imported) or the file does
    not parse."""
    setting = _gunicorn_setting(source, "bind")
    if setting is None:
        return None
    state, value = setting
    return () if state == "unset" else _string_list(value)


def gunicorn_config_reload(source: str) -> str | None:
    """Whether a gunicorn config file turns the reloader ``"on"`` or ``"off"``
    or leaves it ``"unset"``: ``reload`` read as ``validate_bool``
    (``gunicorn/config.py``) reads it, ``True``/``False`` or a string that is
    ``true``/``false`` in any case once stripped. None when not known: set some
    other way (``_gunicorn_setting``), or a value gunicorn refuses."""
    import ast

    setting = _gunicorn_setting(source, "reload")
    if setting is None:
        return None
    state, value = setting
    if state == "unset":
        return "unset"
    if not isinstance(value, ast.Constant):
        return None
    got = value.value
    if isinstance(got, str):
        got = {"true": True, "false": False}.get(got.lower().strip())
    if not isinstance(got, bool):
        return None
    return "on" if got else "off"


def _string_list(node: object) -> tuple[str, ...] | None:
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(values) == len(node.elts):
            return tuple(values)
    return None


def with_config(server: Server, values: tuple[str, ...] | None) -> Server:
    """``server`` once its config file is read: ``values`` the binds the file
    sets (``()`` none: the fallback holds; None: not known)."""
    if values is None:
        binds = None
    elif not values:
        binds = server.fallback
    elif server.program == "uwsgi":
        binds = _uwsgi_binds(values)
    else:
        binds = _tcp_binds(values, 8000)
    flag = (
        server.host_flag if not values or server.program == "uwsgi" else "--bind 0.0.0.0:PORT"
    )
    return Server(server.program, binds, flag, development=server.development)


def without_config(server: Server) -> Server:
    """``server`` when the image holds no config file for it."""
    return Server(
        server.program,
        None if server.config_required else server.fallback,
        server.host_flag,
        development=server.development,
    )


def _tcp_binds(values: Sequence[str | None], default_port: int) -> tuple[Bind, ...]:
    out = []
    for value in values:
        if value is not None and value.startswith(("unix:", "fd://")):
            continue
        out.append(_host_port(value, default_port))
    return tuple(out)


def _hypercorn(args: Sequence[str | None], env: Mapping[str, str]) -> Server:
    opts = _Options(args, frozenset({"-b", "--bind", "--insecure-bind", "-c", "--config", "-w", "--workers", "-k", "--worker-class"}))
    binds = opts.all("-b", "--bind", "--insecure-bind")
    if not binds:
        if opts.last("-c", "--config") is not False:
            return Server("hypercorn", None, "--bind 0.0.0.0:PORT")
        return Server("hypercorn", (Bind("127.0.0.1", 8000),), "--bind 0.0.0.0:8000")
    return Server("hypercorn", _tcp_binds(binds, 8000), "--bind 0.0.0.0:PORT")


def _daphne(args: Sequence[str | None], env: Mapping[str, str]) -> Server:
    opts = _Options(args, frozenset({"-b", "--bind", "-p", "--port", "-u", "--unix-socket", "--fd", "-e", "--endpoint"}))
    host = opts.last("-b", "--bind")
    port = opts.last("-p", "--port")
    if host is False and port is False:
        if opts.last("-u", "--unix-socket", "--fd", "-e", "--endpoint") is not False:
            return Server("daphne", None, "--bind 0.0.0.0")
        return Server("daphne", (Bind("127.0.0.1", 8000),), "--bind 0.0.0.0")
    h = "127.0.0.1" if host is False else (None if isinstance(host, bool) else host)
    p = 8000 if port is False else _port(None if isinstance(port, bool) else port)
    return Server("daphne", (Bind(h, p),), "--bind 0.0.0.0")


def _flask(args: Sequence[str | None], env: Mapping[str, str]) -> Server | None:
    # Group options come before the subcommand: ``flask --app x run``.
    group = _Options(args, frozenset({"--app", "-A", "--env-file", "-e"}))
    if not group.positionals or group.positionals[0] != "run":
        return None
    rest = list(args[args.index("run") + 1 :])
    opts = _Options(rest, frozenset({"--host", "-h", "--port", "-p", "--cert", "--key", "--extra-files", "--exclude-patterns"}))
    host = _pick(opts.last("--host", "-h"), _env_value(env, "FLASK_RUN_HOST"), "127.0.0.1")
    port = _pick(opts.last("--port", "-p"), _env_value(env, "FLASK_RUN_PORT"), "5000")
    return Server("flask run", (Bind(host, _port(port)),), "--host 0.0.0.0")


_DJANGO_ADDRPORT = LazyPattern(r"(?:(?P<addr>\[[^\]]*\]|[^:\[\]]+):)?(?P<port>\d+)")


def _django(args: Sequence[str | None]) -> Server | None:
    server = _runserver(args)
    if server is not None:
        server.development = "runserver"
    return server


def _runserver(args: Sequence[str | None]) -> Server | None:
    if not args or args[0] != "runserver":
        return None
    opts = _Options(args[1:], frozenset({"--settings", "--pythonpath"}), frozenset({"-6", "--ipv6"}))
    default_host = "::1" if opts.flags & {"-6", "--ipv6"} else "127.0.0.1"
    if not opts.positionals:
        return Server("manage.py runserver", (Bind(default_host, 8000),), "0.0.0.0:8000")
    value = opts.positionals[0]
    if value is None:
        return Server("manage.py runserver", (Bind(None, None),), "0.0.0.0:PORT")
    match = _DJANGO_ADDRPORT.fullmatch(value)
    if match is None:
        return Server("manage.py runserver", None, "0.0.0.0:PORT")
    addr = match["addr"]
    host = default_host if addr is None else addr.strip("[]")
    if host == "0":
        host = "0.0.0.0"
    return Server("manage.py runserver", (Bind(host, _port(match["port"])),), "0.0.0.0:PORT")


def _fastapi(args: Sequence[str | None], env: Mapping[str, str]) -> Server | None:
    # A --version or --help before the subcommand exits without serving.
    if not args or args[0] not in ("run", "dev"):
        return None
    opts = _Options(args[1:], frozenset({"--host", "--port", "--workers", "--root-path", "--app"}))
    default_host = "0.0.0.0" if args[0] == "run" else "127.0.0.1"
    host = _pick(opts.last("--host"), False, default_host)
    port_option = opts.last("--port")
    if port_option is False and "PORT" in env:
        port: str | None = None  # read from PORT by some releases only
    else:
        port = _pick(port_option, False, "8000")
    return Server(f"fastapi {args[0]}", (Bind(host, _port(port)),), "--host 0.0.0.0")


def _streamlit(args: Sequence[str | None], env: Mapping[str, str]) -> Server | None:
    if not args or args[0] != "run":
        return None
    opts = _Options(args[1:], frozenset({"--server.port", "--server.address"}))
    port = _pick(opts.last("--server.port"), _env_value(env, "STREAMLIT_SERVER_PORT"), "8501")
    host = _pick(opts.last("--server.address"), _env_value(env, "STREAMLIT_SERVER_ADDRESS"), _ALL)
    return Server("streamlit run", (Bind(host, _port(port)),), "--server.address 0.0.0.0")


def _waitress(args: Sequence[str | None], env: Mapping[str, str]) -> Server:
    opts = _Options(args, frozenset({"--host", "--port", "--listen", "--unix-socket"}))
    listens = opts.all("--listen")
    if listens:
        binds = []
        for value in listens:
            bind = _host_port(value, None)
            binds.append(Bind(_ALL if bind.host == "*" else bind.host, bind.port))
        return Server("waitress-serve", tuple(binds), "--listen=*:PORT")
    if opts.last("--unix-socket") is not False:
        return Server("waitress-serve", (), "--host 0.0.0.0")
    host = _pick(opts.last("--host"), False, "0.0.0.0")
    port = _pick(opts.last("--port"), False, "8080")
    return Server("waitress-serve", (Bind(host, _port(port)),), "--host 0.0.0.0")


# The uWSGI options that bind a listening socket: ``socket`` (``-s``),
# ``uwsgi-socket`` and ``http-socket`` of ``core/uwsgi.c``, and the http
# plugin's ``http`` router.
_UWSGI_SOCKETS = ("--http", "--http-socket", "--socket", "-s", "--uwsgi-socket")
_UWSGI_CONFIGS = ("--ini", "--yaml", "--json", "--xml")
# The Python plugin's reloader (``plugins/python/python_plugin.c``: "monitor
# python modules mtime to trigger reload (use only in development)"), one
# setting under four names; its value is an interval in seconds.
_UWSGI_AUTORELOAD = (
    "--py-autoreload",
    "--py-auto-reload",
    "--python-autoreload",
    "--python-auto-reload",
)


def _uwsgi_variables(
    env: Mapping[str, str], options: Sequence[str]
) -> list[tuple[str, str | None]]:
    """The ``UWSGI_*`` variables of ``env`` that set ``options``, as (name,
    value) (``env_to_arg``: ``UWSGI_HTTP_SOCKET`` is ``http-socket``); the value
    is None when it holds a placeholder or a variable. A short option (``-s``)
    has none: ``uwsgi_manage_opt`` (``core/config.c``) finds an option by its
    long name."""
    found: list[tuple[str, str | None]] = []
    for option in options:
        if not option.startswith("--"):
            continue
        name = "UWSGI_" + option[2:].upper().replace("-", "_")
        value = env.get(name)
        if value is not None:
            found.append((name, None if any(m in value for m in "%$@") else value))
    return found


def _uwsgi_env(env: Mapping[str, str], options: Sequence[str]) -> list[str | None]:
    """The values of the ``UWSGI_*`` variables that set ``options``."""
    return [value for _, value in _uwsgi_variables(env, options)]


def _uwsgi(args: Sequence[str | None], env: Mapping[str, str]) -> Server | None:
    opts = _Options(args, frozenset({*_UWSGI_SOCKETS, *_UWSGI_CONFIGS, *_UWSGI_AUTORELOAD}))
    values = [*_uwsgi_env(env, _UWSGI_SOCKETS), *opts.all(*_UWSGI_SOCKETS)]
    development, command_reload = _uwsgi_command_reload(opts, env)
    ini = _uwsgi_ini(opts, _uwsgi_env(env, ("--ini",)))
    if values:
        server = Server("uwsgi", _uwsgi_binds(values), "--http :PORT")
    elif ini is None:
        server = Server("uwsgi", None, "--http :PORT")
    else:
        # The sockets are the file's; without it, or with none in it, uWSGI has
        # no socket to bind, so nothing is known.
        server = Server("uwsgi", None, "--http :PORT", ini, True)
    server.development = development
    server.command_reload = command_reload
    server.settings_file = ini
    return server


# strtol's range on the LP64 Linux of a container: on overflow it returns
# LONG_MAX or LONG_MIN (C11 7.22.1.4, ERANGE).
_LONG_MAX = (1 << 63) - 1


def _interval(value: str | None) -> bool | None:
    """Whether uWSGI reads ``value`` as a positive interval: ``uwsgi_opt_set_int``
    stores ``(int)strtol(value, &endptr, 10)`` (leading blanks, a sign, digits; 0
    when there are none; the rest ignored) and exits below 0. strtol's result is
    clamped to a long, then cut to an int's 32 bits (GCC's conversion keeps the
    low bits), so a huge number can come out negative or 0. None when not
    known."""
    if value is None:
        return None
    text = value.lstrip(" \t\n\v\f\r")
    sign = text[:1] in ("-", "+")
    digits = text[sign:][: len(text) - sign - len(text[sign:].lstrip("0123456789"))]
    digits = digits.lstrip("0") or "0"
    # Past 19 digits the number is over LONG_MAX; int() is not asked to read
    # more (CPython refuses strings of over 4,300 digits).
    number = _LONG_MAX if len(digits) > 19 else min(int(digits), _LONG_MAX)
    if text[:1] == "-":
        number = -min(number, _LONG_MAX + 1)
    low = number & 0xFFFFFFFF
    return (low - (1 << 32) if low >= 1 << 31 else low) > 0


def _switched(values: Sequence[str | None]) -> bool | None:
    """True when every value turns the reloader on, False when every one turns
    it off, None when they disagree or one is not known (``all`` reads options
    grouped by name, not in the order given)."""
    states = {_interval(v) for v in values}
    return states.pop() if len(states) == 1 else None


def _uwsgi_command_reload(opts: _Options, env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """What turns uWSGI's reloader on from the command line or a variable (the
    command line is read after the variables, so it wins), and whether the
    command line turns it "on", "off", to "unknown", or does not name it (None)."""
    given = opts.all(*_UWSGI_AUTORELOAD)
    if given:
        on = _switched(given)
        state = "unknown" if on is None else ("on" if on else "off")
        return ("--py-autoreload" if on else None), state
    variables = _uwsgi_variables(env, _UWSGI_AUTORELOAD)
    if not variables:
        return None, None
    on = _switched([value for _, value in variables])
    return (f"{variables[-1][0]}={variables[-1][1]}" if on else None), None


def _uwsgi_binds(values: Sequence[str | None]) -> tuple[Bind, ...]:
    binds = []
    for value in values:
        if value is not None and "/" in value and ":" not in value:
            continue  # a UNIX socket path
        binds.append(_host_port(value, None))
    return tuple(binds)


def _uwsgi_ini(opts: _Options, variables: Sequence[str | None] = ()) -> str | None:
    """The ini file a uWSGI command loads, when it loads just that one: ``--ini
    FILE``, ``UWSGI_INI=FILE`` (``variables``) or an argument named ``*.ini``.
    None for anything else: no file, two, another format beside it, a section
    asked (``FILE:SECTION``, which ``uwsgi_ini_config`` splits at the last
    colon), a URL or a placeholder."""
    named = [p for p in opts.positionals if p is not None and p.endswith(".ini")]
    others = [
        p
        for p in opts.positionals
        if p is not None and p.endswith((".xml", ".yaml", ".yml", ".json", ".js"))
    ]
    files = [*variables, *opts.all("--ini"), *named]
    if len(files) != 1 or others or opts.all("--yaml", "--json", "--xml"):
        return None
    path = files[0]
    if path is None or any(c in path for c in ":%$@"):
        return None
    return path


# uWSGI's configuration logic (``core/uwsgi.c``): a block from an ``if-*`` or
# ``for*`` option to its ``endif``/``end-if`` or ``endfor``/``end-for``; the
# short spellings are the same tests.
_UWSGI_IF_ALIASES = {
    "ifenv": "if-env",
    "ifexists": "if-exists",
    "ifplugin": "if-plugin",
    "ifdir": "if-dir",
    "if-directory": "if-dir",
}
_UWSGI_ENDS = frozenset({"endif", "end-if", "endfor", "end-for"})
_UWSGI_SOCKET_KEYS = frozenset(name.lstrip("-") for name in _UWSGI_SOCKETS if name != "-s")


def _uwsgi_ini_options(
    source: str, keys: frozenset[str]
) -> Iterator[tuple[str, str, int, tuple[bool, str, str] | None]]:
    """The options named in ``keys`` that a uWSGI ini file sets, read as
    ``uwsgi_ini_config`` (``core/ini.c``) reads it: lines stripped of spaces,
    tabs and carriage returns; ``[name]`` opens a section, and only ``[uwsgi]``
    is taken; a line starting with ``;`` or ``#`` is a comment; ``key = value``
    splits at the first ``=``. Each comes as (key, value, the depth of
    configuration logic blocks it is in, the outermost ``if-*`` block's test
    as (negated, test, argument) when it is in one at depth 1)."""
    section = ""
    depth = 0
    block: tuple[bool, str, str] | None = None
    for raw in source.split("\n"):
        line = raw.strip(" \t\r")
        if not line:
            continue
        if line[0] == "[":
            section = line[1:-1]
            continue
        if line[0] in ";#" or section != "uwsgi":
            continue
        key, _, value = line.partition("=")
        key = key.rstrip(" \t\r")
        value = value.strip(" \t\r")
        if key in _UWSGI_ENDS:
            depth = max(depth - 1, 0)
            block = None
            continue
        if key.startswith(("if-", "for-")) or key == "for" or key in _UWSGI_IF_ALIASES:
            depth += 1
            test = _UWSGI_IF_ALIASES.get(key, key)
            block = None
            if depth == 1 and test.startswith("if-"):
                block = (test.startswith("if-not-"), test.replace("if-not-", "if-", 1), value)
            continue
        if key in keys:
            yield key, value, depth, block


def uwsgi_ini_sockets(source: str) -> tuple[str, ...] | None:
    """The sockets a uWSGI ini file binds (``_uwsgi_ini_options``).

    A socket set inside a configuration logic block is bound only when its
    test holds, so it is not counted, except where a block and its negation
    (``if-env = X`` and ``if-not-env = X``) both bind a port on more than
    loopback: one of the two holds. None when a socket's value holds a
    placeholder or a magic variable (``%(name)``, ``%d``, ``$(VAR)``,
    ``@(file)``), which only the running server knows; ``()`` when the file
    binds none."""
    unconditional: list[str] = []
    blocks: dict[tuple[bool, str, str], list[str]] = {}
    for _, value, depth, block in _uwsgi_ini_options(source, _UWSGI_SOCKET_KEYS):
        if any(mark in value for mark in "%$@"):
            return None
        if depth == 0:
            unconditional.append(value)
        elif block is not None:
            blocks.setdefault(block, []).append(value)
    for (negated, test, argument), values in blocks.items():
        opposite = blocks.get((True, test, argument))
        if negated or opposite is None:
            continue
        ports = {
            b.port for b in _uwsgi_binds(opposite) if b.port is not None and not b.loopback_only
        }
        for value in values:
            bind = _uwsgi_binds([value])
            if bind and bind[0].port in ports and not bind[0].loopback_only:
                unconditional.append(value)
    return tuple(unconditional)


_UWSGI_AUTORELOAD_KEYS = frozenset(name.lstrip("-") for name in _UWSGI_AUTORELOAD)


def uwsgi_ini_reload(source: str) -> str | None:
    """Whether a uWSGI ini file turns the Python reloader ``"on"`` or ``"off"``,
    or leaves it ``"unset"``; the last setting of the file wins
    (``uwsgi_opt_set_int``). None when not known: a setting inside a
    configuration logic block, or one holding a placeholder."""
    found = "unset"
    for _, value, depth, _ in _uwsgi_ini_options(source, _UWSGI_AUTORELOAD_KEYS):
        if depth or any(mark in value for mark in "%$@"):
            return None
        found = "on" if _interval(value) else "off"
    return found


def uwsgi_reload(server: Server, ini: str | None) -> str | None:
    """What makes the uWSGI ``server`` a development server once its ini file
    is read: ``ini`` is what :func:`uwsgi_ini_reload` made of it (``"unset"``
    when the image holds no such file, None when it is not known).

    uWSGI reads the ``UWSGI_*`` variables first, then the command line, loading
    the ini file where the command line names it. The file thus overrides a
    variable; against an option of the command line the order is not kept
    here, so when the two disagree nothing is said. A file that cannot be read
    leaves what the command line and the variables say."""
    command = server.command_reload
    if ini is None or ini == "unset":
        return server.development
    if command is not None and command != ini:
        return None
    if ini == "off":
        return None
    return server.development if command else f"py-autoreload in {server.settings_file}"


def settings_reader(server: Server) -> Callable[[str], str | None]:
    """How ``server``'s settings file is read for its reloader
    (``reload_with_settings``'s ``state``)."""
    return uwsgi_ini_reload if server.program == "uwsgi" else gunicorn_config_reload


def reload_with_settings(server: Server, state: str | None) -> str | None:
    """What makes ``server`` a development server once its settings file
    (``Server.settings_file``) is read: ``state`` what ``settings_reader`` made
    of it (``"unset"`` when the image holds no such file, None when it is not
    known). gunicorn's ``reload`` is a flag the command line can only turn on
    (``store_true``, no ``--no-reload``), so the file's ``reload = True`` holds
    whatever follows; uWSGI's is weighed by :func:`uwsgi_reload`."""
    if server.program == "uwsgi":
        return uwsgi_reload(server, state)
    if server.development is None and state == "on":
        return f"reload = True in {server.settings_file}"
    return server.development


def config_binds(server: Server, source: str) -> tuple[str, ...] | None:
    """The binds ``server``'s config file sets (``with_config``'s values)."""
    if server.program == "uwsgi":
        return uwsgi_ini_sockets(source)
    return gunicorn_config_binds(source)


def _http_server(args: Sequence[str | None], env: Mapping[str, str]) -> Server:
    opts = _Options(args, frozenset({"-b", "--bind", "-d", "--directory", "-p", "--protocol"}))
    bind = opts.last("-b", "--bind")
    host = _ALL if bind is False else (None if isinstance(bind, bool) else bind)
    port = opts.positionals[0] if opts.positionals else "8000"
    return Server("http.server", (Bind(host, _port(port)),), "--bind 0.0.0.0")


def _granian(args: Sequence[str | None], env: Mapping[str, str]) -> Server:
    opts = _Options(args, frozenset({"--host", "--port", "--uds", "--workers", "--interface"}))
    if opts.last("--uds") is not False or _env_value(env, "GRANIAN_UDS") is not False:
        return Server("granian", (), "--host 0.0.0.0")
    host = _pick(opts.last("--host"), _env_value(env, "GRANIAN_HOST"), "127.0.0.1")
    port = _pick(opts.last("--port"), _env_value(env, "GRANIAN_PORT"), "8000")
    return Server("granian", (Bind(host, _port(port)),), "--host 0.0.0.0")


# --- development servers -------------------------------------------------------

# click's BoolParamType: the values it reads as true (``click/types.py``; the
# value is stripped and lowercased first). Any other value is an error or false.
_CLICK_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})


def click_true(value: str) -> bool:
    """Whether click reads ``value`` (an environment variable) as true."""
    return value.strip().lower() in _CLICK_TRUE


def _options_before_end(args: Sequence[str | None]) -> list[str]:
    out = []
    for arg in args:
        if arg == "--":
            break
        if arg is not None and arg.startswith("-"):
            out.append(arg)
    return out


def _switch(args: Sequence[str | None], on: str, off: str | None = None) -> bool | None:
    """The last of ``on``/``off`` given (``--reload``/``--no-reload``); None when
    neither is."""
    found = None
    for arg in _options_before_end(args):
        if arg == on:
            found = True
        elif off is not None and arg == off:
            found = False
    return found


def _development(program: str, args: Sequence[str | None], env: Mapping[str, str]) -> str | None:
    """What makes the server ``program ARGS`` starts a development server, as its
    own project says (see ``no-dev-server``): the subcommand, ``--reload``, or
    the variable that turns reload on (``UVICORN_RELOAD=1``); None when nothing
    does."""
    if program == "flask":
        return "flask run"
    if program == "fastapi":
        if args and args[0] == "dev":
            return "fastapi dev"
        return "--reload" if _switch(args[1:], "--reload", "--no-reload") else None
    if program in ("uvicorn", "granian"):
        # click options with auto_envvar_prefix: UVICORN_RELOAD, GRANIAN_RELOAD.
        given = _switch(args, "--reload", "--no-reload" if program == "granian" else None)
        if given is not None:
            return "--reload" if given else None
        name = f"{program.upper()}_RELOAD"
        value = env.get(name)
        return f"{name}={value}" if value is not None and click_true(value) else None
    if program == "gunicorn":
        if _switch(args, "--reload"):
            return "--reload"
        extra = env.get("GUNICORN_CMD_ARGS", "").split()
        return "GUNICORN_CMD_ARGS --reload" if _switch(extra, "--reload") else None
    if program == "hypercorn":
        return "--reload" if _switch(args, "--reload") else None
    return None


_PROGRAMS: dict[str, Callable[[Sequence[str | None], Mapping[str, str]], Server | None]] = {
    "uvicorn": _uvicorn,
    "gunicorn": _gunicorn,
    "hypercorn": _hypercorn,
    "daphne": _daphne,
    "flask": _flask,
    "fastapi": _fastapi,
    "streamlit": _streamlit,
    "waitress-serve": _waitress,
    "waitress": _waitress,
    "uwsgi": _uwsgi,
    "http.server": _http_server,
    "granian": _granian,
}
