#!/usr/bin/env bash
# Benchmark asyncfix against ruff (ASYNC + RUF006 rules) on the shared Python corpora.
#
# Usage: bash bench/run.sh [CORPUS_DIR...]
#   CORPUS_DIR      directories of Python files, each timed on its own (default: the mixed
#                   corpus of ../shared/bench/fetch-corpus.sh, the async corpus of
#                   ../shared/bench/fetch-async-corpus.sh, and its litellm package alone)
# Environment:
#   ROUNDS=5                            alternating rounds per tool
#   BENCH_VENV=/tmp/asyncfix-bench-venv scratch virtualenv holding ruff (created if missing)
#   ASYNCFIX_BIN=path                   use this binary instead of building target/release/asyncfix
#                                       (the cargo build is then skipped)
#   ASYNCFIX_REF=path                   also time this binary (an older build) in every round,
#                                       beside the other two: its ratio, and asyncfix/reference
#                                       per round (the machine drifts; only the same rounds compare)
# Targets: asyncfix peak RSS < 300 MB (a WARNING is printed otherwise; ratios per corpus are printed;
# the script still exits 0).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-5}
venv=${BENCH_VENV:-/tmp/asyncfix-bench-venv}
measure=("python3" "$here/measure.py")

[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer" >&2; exit 2; }

# 1. Corpora.
if [[ $# -ge 1 ]]; then
  corpora=("$@")
else
  mixed=$(bash "$root/../shared/bench/fetch-corpus.sh" | tail -n 1)
  async=$(bash "$root/../shared/bench/fetch-async-corpus.sh" | tail -n 1)
  corpora=("$mixed" "$async" "$async/litellm")
fi
for corpus in "${corpora[@]}"; do
  [[ -d $corpus ]] || { echo "corpus dir not found: $corpus" >&2; exit 2; }
done

# 2. ruff and asyncfix (bench/lib.sh).
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

# 4. Alternating rounds, per corpus. Exit 1/2 (findings / unparsable files) is fine; >2 or a
# signal is not.
run() { # name cmd... -> appends wall time and peak MB to the name's arrays
  local name=$1; shift
  local out wall mb rc
  out=$("${measure[@]}" "$@")
  read -r wall mb rc <<<"$out"
  if (( rc > 2 )); then
    echo "FAILED: $name exited with $rc: $*" >&2
    exit 1
  fi
  printf '  %-9s %7.2f s %8.1f MB  (exit %d)\n' "$name" "$wall" "$mb" "$rc" >&2
  case $name in
    asyncfix) asyncfix_walls+=("$wall"); asyncfix_mbs+=("$mb") ;;
    ruff) ruff_walls+=("$wall"); ruff_mbs+=("$mb") ;;
    reference) ref_walls+=("$wall"); ref_mbs+=("$mb") ;;
  esac
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
echo "ruff $("$ruff" --version | awk '{print $2}'), asyncfix $asyncfix, $rounds rounds" >&2
summary=()
for corpus in "${corpora[@]}"; do
  corpus=$(cd "$corpus" && pwd)
  asyncfix_walls=(); asyncfix_mbs=(); ruff_walls=(); ruff_mbs=(); ratios=()
  ref_walls=(); ref_mbs=(); ref_ratios=(); now_vs_ref=()
  echo "== $corpus" >&2
  for ((i = 1; i <= rounds; i++)); do
    echo "round $i/$rounds" >&2
    # With a reference, the two builds swap places every other round (a run after a run of
    # the other build, or of ruff, is not timed alike on every machine).
    if [[ -n ${ASYNCFIX_REF:-} ]] && (( i % 2 == 0 )); then
      run reference "$ASYNCFIX_REF" --check -q "$corpus"
    fi
    run asyncfix "$asyncfix" --check -q "$corpus"
    run ruff "$ruff" check --isolated --select ASYNC,RUF006 --no-cache --quiet "$corpus"
    ratios+=("$(awk -v a="${asyncfix_walls[-1]}" -v r="${ruff_walls[-1]}" 'BEGIN {printf "%.3f", (r > 0 ? a / r : 0)}')")
    if [[ -n ${ASYNCFIX_REF:-} ]]; then
      if (( i % 2 == 1 )); then
        run reference "$ASYNCFIX_REF" --check -q "$corpus"
      fi
      ref_ratios+=("$(awk -v a="${ref_walls[-1]}" -v r="${ruff_walls[-1]}" 'BEGIN {printf "%.3f", (r > 0 ? a / r : 0)}')")
      now_vs_ref+=("$(awk -v a="${asyncfix_walls[-1]}" -v r="${ref_walls[-1]}" 'BEGIN {printf "%.3f", (r > 0 ? a / r : 0)}')")
    fi
  done
  af_med=$(median "${asyncfix_walls[@]}")
  ruff_med=$(median "${ruff_walls[@]}")
  af_peak=$(maxof "${asyncfix_mbs[@]}")
  ruff_peak=$(maxof "${ruff_mbs[@]}")
  ratio=$(awk -v a="$af_med" -v r="$ruff_med" 'BEGIN {printf "%.3f", (r > 0 ? a / r : 0)}')
  spread="$(printf '%s\n' "${ratios[@]}" | sort -g | head -n 1)-$(printf '%s\n' "${ratios[@]}" | sort -g | tail -n 1)"
  files=$(find "$corpus" -type f \( -name '*.py' -o -name '*.pyi' \) | wc -l | tr -d ' ')
  lines=$(find "$corpus" -type f \( -name '*.py' -o -name '*.pyi' \) -print0 | xargs -0 cat | wc -l | tr -d ' ')
  echo "corpus:   $corpus ($files files, $lines lines)"
  echo "asyncfix: median $af_med s, peak $af_peak MB"
  echo "ruff:     median $ruff_med s, peak $ruff_peak MB"
  echo "ratio asyncfix/ruff (median/median): $ratio (per-round ratios $spread)"
  if [[ -n ${ASYNCFIX_REF:-} ]]; then
    ref_med=$(median "${ref_walls[@]}")
    ref_ratio=$(awk -v a="$ref_med" -v r="$ruff_med" 'BEGIN {printf "%.3f", (r > 0 ? a / r : 0)}')
    ref_spread="$(printf '%s\n' "${ref_ratios[@]}" | sort -g | head -n 1)-$(printf '%s\n' "${ref_ratios[@]}" | sort -g | tail -n 1)"
    vs_spread="$(printf '%s\n' "${now_vs_ref[@]}" | sort -g | head -n 1)-$(printf '%s\n' "${now_vs_ref[@]}" | sort -g | tail -n 1)"
    echo "reference: median $ref_med s, peak $(maxof "${ref_mbs[@]}") MB; ratio reference/ruff $ref_ratio (per-round $ref_spread)"
    echo "asyncfix/reference per round: median $(median "${now_vs_ref[@]}") (spread $vs_spread)"
  fi
  if awk -v x="$af_peak" 'BEGIN {exit !(x > 300)}'; then
    echo "WARNING: asyncfix peak memory $af_peak MB > 300 MB"
  fi
  summary+=("RESULT corpus=$(basename "$corpus") ratio=$ratio spread=$spread asyncfix_peak_mb=$af_peak")
done
printf '%s\n' "${summary[@]}"
