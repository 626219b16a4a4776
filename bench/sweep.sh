#!/usr/bin/env bash
# Corpus sweep: asyncfix over real third-party Python must never break code.
#
# Usage: bash bench/sweep.sh [CORPUS_DIR]   (default: fetched by ../shared/bench/fetch-corpus.sh)
#
# 1. The byte-level prefilter changes no finding: the report with and without it is identical.
# 2. `--write --unsafe-fixes` on a scratch copy: no crash (exit 0, 1 or 2 only), and every file
#    it changed still compiles under python3.
# 3. A second `--diff` run on the fixed copy prints nothing.
# Exits non-zero on any violation.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-$(bash "$root/../shared/bench/fetch-corpus.sh" | tail -n 1)}
[[ -d $corpus ]] || { echo "corpus dir not found: $corpus" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd)
(cd "$root" && cargo build --release >&2)
bin=$root/target/release/asyncfix
work=$(mktemp -d /tmp/asyncfix-sweep.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0

status() { # run "$@", accept exit 0..2
  local rc=0
  "$@" || rc=$?
  if (( rc > 2 )); then echo "FAIL: exit $rc from: $*" >&2; fail=1; fi
}

echo "== 1. prefilter equivalence" >&2
(cd "$corpus" && status "$bin" --select ALL --unsafe-fixes -q . >"$work/with.txt" 2>"$work/with.err")
(cd "$corpus" && status "$bin" --select ALL --unsafe-fixes -q --no-prefilter . >"$work/without.txt" 2>"$work/without.err")
# Syntax errors are only reported for files that are parsed; compare findings only.
if ! diff -u "$work/with.txt" "$work/without.txt" >"$work/prefilter.diff"; then
  echo "FAIL: the prefilter changes findings:" >&2; head -40 "$work/prefilter.diff" >&2; fail=1
fi
echo "   $(wc -l <"$work/with.txt") findings either way" >&2

echo "== 2. --write --unsafe-fixes on a copy" >&2
cp -r "$corpus" "$work/tree"
(cd "$work/tree" && find . -name '*.py' -print0 | xargs -0 md5sum | sort -k2 >"$work/before.md5")
(cd "$work/tree" && status "$bin" --write --unsafe-fixes -q . >"$work/write.txt" 2>"$work/write.err")
(cd "$work/tree" && find . -name '*.py' -print0 | xargs -0 md5sum | sort -k2 >"$work/after.md5")
changed=$(join -1 2 -2 2 "$work/before.md5" "$work/after.md5" | awk '$2 != $3 {print $1}')
n=$(printf '%s' "$changed" | grep -c . || true)
echo "   $n files changed" >&2
if [[ -n $changed ]]; then
  (cd "$work/tree" && printf '%s\n' "$changed" | python3 -c '
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
(cd "$work/tree" && status "$bin" --diff --unsafe-fixes -q . >"$work/second.diff" 2>"$work/second.err")
if [[ -s $work/second.diff ]]; then
  echo "FAIL: a second run still proposes changes:" >&2; head -40 "$work/second.diff" >&2; fail=1
fi

if (( fail )); then echo "SWEEP FAILED" >&2; exit 1; fi
echo "SWEEP OK" >&2
