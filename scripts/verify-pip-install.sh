#!/usr/bin/env bash
# Verify the Python packaging (pyproject.toml, maturin `bindings = "bin"`): pip-install asyncfix
# into a scratch virtualenv, then run the installed `asyncfix` (its version, a finding, a fix).
#   verify-pip-install.sh            build and install this work tree (a copy, as `pip install .`)
#   verify-pip-install.sh WHAT       install WHAT instead: a wheel or sdist file (from
#                                    `maturin build` / `maturin sdist`, or a release's), or a
#                                    URL pip accepts, e.g. git+https://github.com/OWNER/asyncfix
#                                    or git+file:///path/to/clone@branch, or a requirement
#                                    such as asyncfix-cli==0.1.0 (a release, from PyPI)
# Needs python3 (with venv); building from source needs cargo and access to PyPI (pip fetches
# maturin for the build). A build from source is a release build: slow; CARGO_TARGET_DIR (passed
# on to the build) lets it reuse a warm target folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet --upgrade pip
if [ $# -gt 0 ]; then
  what=$1
  # A file or folder: absolute (the install runs from here, but say what it was).
  [ -e "$what" ] && what=$(cd "$(dirname "$what")" && pwd)/$(basename "$what")
else
  # Build from a copy: pip must not leave build output in the work tree.
  mkdir "$scratch/src"
  tar --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$scratch/src"
  what=$scratch/src
fi
echo "pip install $what"
"$scratch/venv/bin/python" -m pip install --quiet "$what"

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
