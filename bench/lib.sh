# shellcheck shell=bash disable=SC2154,SC2034  # $root and $venv come from the sourcing script; it uses $ruff and $asyncfix
# What bench/run.sh and bench/ruff-hygiene.sh share; sourced, with $root (the repository) and
# $venv (the scratch virtualenv for ruff) set. Sets $ruff and $asyncfix.

# ruff in a scratch venv (never a project dependency), installed the first time.
if [[ ! -x $venv/bin/ruff ]]; then
  echo "creating $venv and installing ruff ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check ruff >&2
fi
ruff=$venv/bin/ruff

# asyncfix: $ASYNCFIX_BIN, else a release build of the repository.
if [[ -n ${ASYNCFIX_BIN:-} ]]; then
  asyncfix=$ASYNCFIX_BIN
else
  (cd "$root" && cargo build --release >&2)
  asyncfix=$root/target/release/asyncfix
fi
