#!/usr/bin/env bash
# Runs every hook of this repository through real pre-commit on a copy of the
# bundled FastAPI example, then shows what the fixers changed. The bundled
# example itself is never modified.
#
# Needs git and python3. pre-commit is taken from PATH, or from the current
# Python, or else installed into a throwaway virtualenv.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/python-docker-hooks-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if command -v pre-commit >/dev/null 2>&1; then
    pre_commit=(pre-commit)
elif python3 -c 'import pre_commit' >/dev/null 2>&1; then
    pre_commit=(python3 -m pre_commit)
else
    echo "pre-commit not found: installing it into a temporary virtualenv..."
    python3 -m venv "$work/venv"
    "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
    pre_commit=("$work/venv/bin/pre-commit")
fi

app="$work/fastapi-app"
cp -R "$root/examples/fastapi-app" "$app"
cd "$app"
git init --quiet .
git add --all

echo "== Dockerfile before =="
cat Dockerfile
echo
echo "== pre-commit try-repo $root --all-files =="
status=0
"${pre_commit[@]}" try-repo "$root" --all-files || status=$?
echo
echo "== What the fixers changed (git diff) =="
git --no-pager diff --no-color
echo
echo "== Dockerfile after =="
cat Dockerfile

# The example is flawed on purpose: pre-commit must report failures (exit 1).
# Anything else means the demo itself went wrong.
if [ "$status" -ne 1 ]; then
    echo "demo: expected pre-commit to exit 1 (findings), got $status" >&2
    exit 1
fi
if git diff --quiet; then
    echo "demo: the fixers changed nothing; see the hook output above" >&2
    exit 1
fi
echo
echo "demo: done (pre-commit exited 1: findings reported, safe fixes applied)"
