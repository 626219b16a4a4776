#!/usr/bin/env bash
# Do asyncfix's fixes add ruff findings? Runs `asyncfix --write --unsafe-fixes` over scratch
# copies of the shared corpora and compares ruff on every changed file before and after.
#
# Usage: bash bench/ruff-hygiene.sh [CORPUS_SRC_DIR...]
#   CORPUS_SRC_DIR  directories of Python files (default: the `src` of the mixed corpus of
#                   ../shared/bench/fetch-corpus.sh and of the async corpus of
#                   ../shared/bench/fetch-async-corpus.sh)
# Environment:
#   BENCH_VENV=/tmp/asyncfix-bench-venv   scratch virtualenv holding ruff (created if missing)
#   ASYNCFIX_BIN=path                     use this binary instead of building target/release/asyncfix
#   SCRATCH=dir                           where the copies go (default: a new temporary directory,
#                                         removed at the end)
#   KEEP=1                                keep the scratch directory (to look at the fixed files)
# Compared, per changed file (ruff run from its package's directory, `src/<package>`): `ruff check --isolated --select F401,F841,F821,E402,I001,RUF100`
# findings counted per (file, code), so that shifted line numbers do not matter; and
# `ruff format --isolated --check` on the files that were format-clean before.
# Prints the added findings per code and the newly unformatted files; exits 1 if any.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
venv=${BENCH_VENV:-/tmp/asyncfix-bench-venv}
codes=F401,F841,F821,E402,I001,RUF100

# 1. Corpora.
if [[ $# -ge 1 ]]; then
  corpora=("$@")
else
  mixed=$(bash "$root/../shared/bench/fetch-corpus.sh" | tail -n 1)
  async=$(bash "$root/../shared/bench/fetch-async-corpus.sh" | tail -n 1)
  corpora=("$mixed" "$async")
fi
for corpus in "${corpora[@]}"; do
  [[ -d $corpus ]] || { echo "corpus dir not found: $corpus" >&2; exit 2; }
done

# 2. ruff and asyncfix (bench/lib.sh).
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

scratch=${SCRATCH:-$(mktemp -d /tmp/asyncfix-hygiene.XXXXXX)}
mkdir -p "$scratch"
if [[ -z ${KEEP:-} && -z ${SCRATCH:-} ]]; then
  trap 'rm -rf "$scratch"' EXIT
fi

# ruff runs once per package, from the package's directory (`src/<package>`, the layout of
# the shared corpora: `src/aiohttp/aiohttp/...`), as in the package's own checkout: so ruff's
# first-party packages (its `src` default is the working directory) are that package's own,
# not every package of the corpus.
per_package() { # list-file command... -> runs "command... files" in each package dir, paths prefixed back
  local list=$1; shift
  [[ -s $list ]] || return 0
  local pkg
  for pkg in $(cut -d/ -f2 "$list" | sort -u); do
    (cd "src/$pkg" && grep "^src/$pkg/" "$list" | sed "s|^src/$pkg/||" | tr '\n' '\0' |
      xargs -0 "$@" 2>/dev/null | sed "s|^|src/$pkg/|") || true
  done
}
# ruff's findings on the listed files (relative to the current directory), one
# "file<TAB>code" line per finding.
findings() {
  per_package "$1" "$ruff" check --isolated --no-cache --select "$codes" --output-format concise --exit-zero |
    sed -nE 's/^(.+):[0-9]+:[0-9]+: ([A-Z]+[0-9]+)( \[\*\])? .*/\1\t\2/p'
}
# The listed files that `ruff format --check` would change, one per line.
unformatted() {
  per_package "$1" "$ruff" format --isolated --no-cache --check --output-format concise |
    sed -nE 's/^(.+):[0-9]+:[0-9]+: unformatted: .*/\1/p' | sort -u
}

total=0
report=$scratch/report.txt
: >"$report"
for corpus in "${corpora[@]}"; do
  corpus=$(cd "$corpus" && pwd)
  name=$(basename "$(dirname "$corpus")")-$(basename "$corpus")
  work=$scratch/$name
  echo "== $corpus" >&2
  rm -rf "$work" && mkdir -p "$work"
  cp -a "$corpus" "$work/src"
  set +e
  (cd "$work" && "$asyncfix" --write --unsafe-fixes -q src >"$work/asyncfix.out" 2>"$work/asyncfix.err")
  rc=$?
  set -e
  if ((rc > 2)); then
    echo "FAILED: asyncfix exited with $rc on $corpus" >&2
    cat "$work/asyncfix.err" >&2
    exit 2
  fi
  grep -i 'internal error' "$work/asyncfix.err" >&2 || true
  (cd "$work" && diff -rq "$corpus" src | sed -nE 's|^Files .* and (src/.*) differ$|\1|p' | grep '\.py$' | sort) \
    >"$work/changed.txt" || true
  changed=$(wc -l <"$work/changed.txt")
  echo "  changed files: $changed" >&2
  # Before: the original files, in a copy of the same layout.
  mkdir -p "$work/before"
  cp -a "$corpus" "$work/before/src"
  (cd "$work/before" && findings "$work/changed.txt") | sort >"$work/before.tsv"
  (cd "$work/before" && unformatted "$work/changed.txt") | sort >"$work/before-unformatted.txt"
  (cd "$work" && findings "$work/changed.txt") | sort >"$work/after.tsv"
  (cd "$work" && unformatted "$work/changed.txt") | sort >"$work/after-unformatted.txt"
  # Added: per (file, code), how many more after than before.
  awk -F'\t' 'NR == FNR { before[$1 "\t" $2]++; next } { after[$1 "\t" $2]++ }
      END { for (k in after) if (after[k] > before[k]) print k "\t" after[k] - before[k] }' \
    "$work/before.tsv" "$work/after.tsv" | sort >"$work/added.tsv"
  comm -13 "$work/before-unformatted.txt" "$work/after-unformatted.txt" >"$work/newly-unformatted.txt"
  for code in ${codes//,/ }; do
    b=$(awk -F'\t' -v c="$code" '$2 == c' "$work/before.tsv" | wc -l)
    a=$(awk -F'\t' -v c="$code" '$2 == c' "$work/after.tsv" | wc -l)
    added=$(awk -F'\t' -v c="$code" '$2 == c { n += $3 } END { print n + 0 }' "$work/added.tsv")
    printf '  %-7s before %5d  after %5d  added %4d\n' "$code" "$b" "$a" "$added" >&2
    total=$((total + added))
  done
  newly=$(wc -l <"$work/newly-unformatted.txt")
  printf '  format: unformatted before %d, after %d, newly unformatted %d\n' \
    "$(wc -l <"$work/before-unformatted.txt")" "$(wc -l <"$work/after-unformatted.txt")" "$newly" >&2
  total=$((total + newly))
  sed "s|^|$name: added |" "$work/added.tsv" >>"$report"
  sed "s|^|$name: newly unformatted |" "$work/newly-unformatted.txt" >>"$report"
done
if [[ -s $report ]]; then
  echo "-- added findings (file, code, count) and newly unformatted files:" >&2
  cat "$report" >&2
fi
echo "RESULT added=$total" >&2
((total == 0))
