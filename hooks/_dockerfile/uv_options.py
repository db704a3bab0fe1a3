"""uv's options that take a value, as its command line (clap, ``crates/uv-cli``)
reads them: the shell view needs them to find the command ``uv run`` runs, and
``python_docker_hooks._dockerfile.programs`` to read uv's install commands."""

from __future__ import annotations

# uv's global options that take a value (``GlobalArgs``, ``TopLevelArgs``,
# ``CacheArgs``); clap also reads them after the subcommand.
UV_GLOBAL_VALUE = frozenset(
    {
        "--cache-dir",
        "--config-file",
        "--directory",
        "--project",
        "--color",
        "--allow-insecure-host",
        "--trusted-host",
        "--python-preference",
        "--python-fetch",
        "--preview-features",
        "--preview-feature",
    }
)
# ``uv run``'s own options that take a value (``RunArgs`` and what it flattens).
UV_RUN_VALUE_LONG = UV_GLOBAL_VALUE | frozenset(
    {
        "--extra",
        "--no-extra",
        "--group",
        "--no-group",
        "--only-group",
        "--config-setting",
        "--config-settings",
        "--config-settings-package",
        "--default-index",
        "--env-file",
        "--exclude-newer",
        "--exclude-newer-package",
        "--find-links",
        "--index",
        "--index-strategy",
        "--index-url",
        "--extra-index-url",
        "--keyring-provider",
        "--link-mode",
        "--max-recursion-depth",
        "--no-editable-package",
        "--package",
        "--python",
        "--python-platform",
        "--refresh-package",
        "--reinstall-package",
        "--upgrade-group",
        "--upgrade-package",
        "--no-binary-package",
        "--no-build-package",
        "--no-build-isolation-package",
        "--resolution",
        "--prerelease",
        "--fork-strategy",
        "--with",
        "--with-editable",
        "--with-requirements",
    }
)
UV_RUN_VALUE_SHORT = "CPfipw"
