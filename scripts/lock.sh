#!/usr/bin/env bash
# Regenerate requirements/test.lock: every package the README's test command installs, at the versions CI tested.
# Run it after changing a dependency in pyproject.toml, then commit the lock with the change (.ci/run's first gate
# installs from it; its "newest" gate shows what a fresh resolution would pick instead).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check -e '.[test]'
{
  echo "# The whole test environment, as CI tested it (scripts/lock.sh writes this file; do not edit by hand)."
  echo "# Installed by the README's test command: python -m uv pip install -r requirements/test.lock -e '.[test]'"
  echo "# Generated with $("$work/venv/bin/python" --version) on $(uname -sm); platform-only packages that another"
  echo "# OS needs (pywin32-ctypes for keyring on Windows) are resolved by pip beside it."
  "$work/venv/bin/pip" freeze --exclude-editable --disable-pip-version-check | grep -v '^pipeline-tui'
} > requirements/test.lock
echo "wrote requirements/test.lock ($(grep -cv '^#' requirements/test.lock) packages)"
