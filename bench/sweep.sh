#!/usr/bin/env bash
# Corpus sweep: asyncfix over real third-party Python must never break code.
#
# Usage: bash bench/sweep.sh [CORPUS_DIR...]
#   default: both shared corpora, the mixed one (../shared/bench/fetch-corpus.sh) and the
#   async one (../shared/bench/fetch-async-corpus.sh), each swept on its own.
#
# For each corpus:
# 1. The byte-level prefilter changes no finding: the report with and without it is identical.
# 2. `--write --unsafe-fixes` on a scratch copy: no crash (exit 0, 1 or 2 only), and every file
#    it changed still compiles under python3.
# 3. A second `--diff` run on the fixed copy prints nothing.
# Exits non-zero on any violation.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
if (( $# )); then
  corpora=("$@")
else
  corpora=("$(bash "$root/../shared/bench/fetch-corpus.sh" | tail -n 1)"
           "$(bash "$root/../shared/bench/fetch-async-corpus.sh" | tail -n 1)")
fi
(cd "$root" && cargo build --release >&2)
bin=$root/target/release/asyncfix
work=$(mktemp -d /tmp/asyncfix-sweep.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0

status() { # run "$@", accept exit 0..2; a panic (101), a signal or a timeout is a failure
  local rc=0
  timeout 600 "$@" || rc=$?
  if (( rc > 2 )); then echo "FAIL: exit $rc from: $*" >&2; fail=1; fi
}

sweep() { # corpus
  local corpus w
  corpus=$(cd "$1" && pwd)
  w=$work/$(basename "$(dirname "$corpus")")
  mkdir -p "$w"
  echo "### $corpus" >&2

  echo "== 1. prefilter equivalence" >&2
  (cd "$corpus" && status "$bin" --select ALL --unsafe-fixes -q . >"$w/with.txt" 2>"$w/with.err")
  (cd "$corpus" && status "$bin" --select ALL --unsafe-fixes -q --no-prefilter . >"$w/without.txt" 2>"$w/without.err")
  if grep -q "internal error" "$w/with.err" "$w/without.err"; then
    echo "FAIL: internal errors:" >&2; grep -h "internal error" "$w/with.err" "$w/without.err" | head >&2; fail=1
  fi
  # Syntax errors are only reported for files that are parsed; compare findings only.
  if ! diff -u "$w/with.txt" "$w/without.txt" >"$w/prefilter.diff"; then
    echo "FAIL: the prefilter changes findings:" >&2; head -40 "$w/prefilter.diff" >&2; fail=1
  fi
  echo "   $(wc -l <"$w/with.txt") findings either way" >&2
  if [[ -n ${SWEEP_KEEP:-} ]]; then cp "$w/with.txt" "$SWEEP_KEEP.$(basename "$(dirname "$corpus")").txt"; fi

  echo "== 2. --write --unsafe-fixes on a copy" >&2
  cp -r "$corpus" "$w/tree"
  (cd "$w/tree" && find . -name '*.py' -print0 | xargs -0 md5sum | sort -k2 >"$w/before.md5")
  (cd "$w/tree" && status "$bin" --write --unsafe-fixes -q . >"$w/write.txt" 2>"$w/write.err")
  (cd "$w/tree" && find . -name '*.py' -print0 | xargs -0 md5sum | sort -k2 >"$w/after.md5")
  local changed n
  changed=$(join -1 2 -2 2 "$w/before.md5" "$w/after.md5" | awk '$2 != $3 {print $1}')
  n=$(printf '%s' "$changed" | grep -c . || true)
  echo "   $n files changed" >&2
  if [[ -n $changed ]]; then
    (cd "$w/tree" && printf '%s\n' "$changed" | python3 -c '
import sys
bad = 0
for path in sys.stdin.read().split():
    try:
        compile(open(path, "rb").read(), path, "exec")
    except SyntaxError as e:
        bad += 1
        print(f"FAIL: {path} no longer compiles: {e}", file=sys.stderr)
sys.exit(1 if bad else 0)
') || fail=1
  fi

  echo "== 3. second run is silent" >&2
  (cd "$w/tree" && status "$bin" --diff --unsafe-fixes -q . >"$w/second.diff" 2>"$w/second.err")
  if [[ -s $w/second.diff ]]; then
    echo "FAIL: a second run still proposes changes:" >&2; head -40 "$w/second.diff" >&2; fail=1
  fi
  rm -rf "$w/tree"
}

for corpus in "${corpora[@]}"; do
  [[ -d $corpus ]] || { echo "corpus dir not found: $corpus" >&2; exit 2; }
  sweep "$corpus"
done

if (( fail )); then echo "SWEEP FAILED" >&2; exit 1; fi
echo "SWEEP OK" >&2
