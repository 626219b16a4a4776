#!/usr/bin/env bash
# Verify the Python packaging (pyproject.toml, maturin `bindings = "bin"`): build and install
# this repository with pip into a scratch virtualenv, then run the installed `asyncfix`.
# Needs python3 (with venv), cargo and access to PyPI (pip fetches maturin for the build).
# Slow (a release build): run it by hand, not in CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet --upgrade pip
# Build from a copy: pip must not leave build output in the work tree.
mkdir "$scratch/src"
tar --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$scratch/src"
"$scratch/venv/bin/python" -m pip install --quiet "$scratch/src"

bin="$scratch/venv/bin/asyncfix"
[ -x "$bin" ] || { echo "FAIL: pip installed no asyncfix command" >&2; exit 1; }
"$scratch/venv/bin/python" -m pip show asyncfix-cli | grep -E '^(Name|Version):'

expected=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)
got=$("$bin" --version)
[ "$got" = "asyncfix $expected" ] || { echo "FAIL: '$got', expected 'asyncfix $expected'" >&2; exit 1; }

# It runs: a finding, and its fix.
printf 'import time\n\n\nasync def poll():\n    time.sleep(1)\n' > "$scratch/demo.py"
set +e
(cd "$scratch" && "$bin" --isolated demo.py)
code=$?
set -e
[ $code -eq 1 ] || { echo "FAIL: exit code $code, expected 1 (one finding)" >&2; exit 1; }
(cd "$scratch" && "$bin" --isolated --write demo.py)
grep -q 'await asyncio.sleep(1)' "$scratch/demo.py" || { echo "FAIL: not fixed" >&2; exit 1; }

echo "OK: pip install gives a working '$got' (distribution asyncfix-cli)"
