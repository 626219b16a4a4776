#!/usr/bin/env bash
# The logic of the asyncfix GitHub Action (action.yml at the repository root), kept in a
# script so that it can be run and tested without GitHub: tests/action.rs runs it on a
# fixture repository with a stub `reviewdog` that records what it is given.
#
# Environment (action.yml sets it from the inputs and the GitHub context):
#   INPUT_MODE             suggest | annotate | check                         (default: suggest)
#   INPUT_PATHS            files or folders to check                          (default: .)
#   INPUT_ARGS             extra asyncfix flags                               (default: none;
#                          not --output-format, --color or a mode flag: the script sets those)
#   INPUT_FILTER_MODE      reviewdog -filter-mode                             (default: diff_context)
#   INPUT_FAIL_LEVEL       reviewdog -fail-level                              (default: none)
#   INPUT_REVIEWDOG_FLAGS  extra reviewdog flags                              (default: none)
#     PATHS, ARGS and REVIEWDOG_FLAGS are lists of shell-style words, on one line or several:
#     quote a word with spaces ('my dir/a.py', --config 'ignore = ["AF004"]'); nothing is
#     expanded or run (no $VAR, globs or command substitution).
#   ASYNCFIX, REVIEWDOG    the programs to run              (default: asyncfix, reviewdog on PATH)
#   GITHUB_EVENT_NAME, GITHUB_REPOSITORY, PR_HEAD_REPO (the pull request's head repository):
#                          whether review comments can be posted (not from a fork's pull request)
#   PR_BASE_SHA            the pull request's base commit: where review comments cannot be
#                          posted, only findings on the lines the pull request changes are
#                          annotated (`git diff PR_BASE_SHA HEAD`, fetched if missing)
#   REVIEWDOG_GITHUB_API_TOKEN  the token reviewdog posts with
#   RUNNER_TEMP, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT     as on a runner (each optional)
#
# Modes:
#   suggest   findings go to reviewdog as rdjsonl (github-pr-review reporter): one review
#             comment per finding, with the fix as a suggested change. Where the token cannot
#             comment (a pull request from a fork, a push) or reviewdog fails, the findings are
#             printed as annotations instead: on a pull request only those on the lines it
#             changes (as filter-mode would have chosen them). Findings fail the step only
#             through fail-level; reaching it prints one line, not the findings again.
#   annotate  findings are printed as workflow-command annotations; findings fail the step.
#   check     the plain report; findings fail the step.
# Every mode writes a step summary (annotations are capped at 10 a step; the summary is not)
# and the `exit-code` output (0 clean, 1 findings, 2 error). An asyncfix error always fails
# the step with exit code 2.
set -uo pipefail

mode=${INPUT_MODE:-suggest}
asyncfix=${ASYNCFIX:-asyncfix}
reviewdog=${REVIEWDOG:-reviewdog}
tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/asyncfix.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# words NAME VALUE: split VALUE into shell-style words (quotes and backslashes as in a shell,
# newlines separate words too; nothing is expanded) into $tmp/NAME.words, NUL-separated.
words() {
  : > "$tmp/$1.words"
  case "$2" in
    *[![:space:]]*) ;;
    *) return 0 ;;
  esac
  if ! printf '%s\n' "$2" | xargs printf '%s\0' > "$tmp/$1.words" 2> "$tmp/$1.xargs"; then
    echo "::error title=asyncfix::cannot read the $1 input (an unmatched quote?): $(head -n 1 "$tmp/$1.xargs")"
    exit 2
  fi
}
words paths "${INPUT_PATHS:-.}"
words args "${INPUT_ARGS:-}"
words reviewdog_flags "${INPUT_REVIEWDOG_FLAGS:-}"
paths=() args=() reviewdog_flags=()
while IFS= read -r -d '' w; do paths+=("$w"); done < "$tmp/paths.words"
while IFS= read -r -d '' w; do args+=("$w"); done < "$tmp/args.words"
while IFS= read -r -d '' w; do reviewdog_flags+=("$w"); done < "$tmp/reviewdog_flags.words"
[ ${#paths[@]} -eq 0 ] && paths=(.)

case "$mode" in
  suggest|annotate|check) ;;
  *) echo "::error title=asyncfix::unknown mode '$mode' (expected suggest, annotate or check)"; exit 2 ;;
esac

# asyncfix FORMAT [more flags]: run on the paths; stdout to $tmp/FORMAT.out, stderr to $tmp/FORMAT.err.
run_asyncfix() {
  local format=$1
  shift
  "$asyncfix" --output-format "$format" --color never "$@" ${args[@]+"${args[@]}"} -- "${paths[@]}" \
    > "$tmp/$format.out" 2> "$tmp/$format.err"
}

# Print the github-format annotations (and asyncfix's messages).
annotate() {
  run_asyncfix github
  local code=$?
  cat "$tmp/github.out"
  cat "$tmp/github.err" >&2
  return $code
}

# Can the token post review comments? Not on a pull request from a fork (read-only token),
# nor outside a pull request.
can_comment() {
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request_target) return 0 ;;
    pull_request) [ -n "${PR_HEAD_REPO:-}" ] && [ "${PR_HEAD_REPO}" = "${GITHUB_REPOSITORY:-}" ] ;;
    *) return 1 ;;
  esac
}

write_summary() {
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] || return 0
  run_asyncfix concise
  local code=$?
  {
    echo "### asyncfix"
    echo
    case $code in
      0) echo "No problems found." ;;
      1) echo "$(grep -c . "$tmp/concise.out") problem(s) found (\`asyncfix --diff\` shows the fixes, \`asyncfix --write\` applies them):" ;;
      *) echo "asyncfix failed (exit code $code)." ;;
    esac
    if [ -s "$tmp/concise.out" ] || [ -s "$tmp/concise.err" ]; then
      echo
      echo '```text'
      head -n 500 "$tmp/concise.err"
      head -n 500 "$tmp/concise.out"
      echo '```'
    fi
  } >> "$GITHUB_STEP_SUMMARY"
}

# The lines a pull request changes, as `path:first:last` (path relative to the repository
# root) in $tmp/changed; fails when they cannot be known (no base commit, no git).
# filter-mode added: the added lines; diff_context: the hunks with 3 lines of context.
changed_lines() {
  local base=${PR_BASE_SHA:-} context=3
  [ -n "$base" ] || return 1
  git rev-parse --show-toplevel > "$tmp/toplevel" 2> /dev/null || return 1
  if ! git cat-file -e "$base^{commit}" 2> /dev/null; then
    git fetch --quiet --no-tags --depth=1 origin "$base" > /dev/null 2>&1 || return 1
  fi
  [ "${INPUT_FILTER_MODE:-diff_context}" = added ] && context=0
  git -c core.quotePath=false diff --no-color --no-ext-diff --unified=$context "$base" HEAD > "$tmp/pr.diff" \
    2> /dev/null || return 1
  awk '
    /^\+\+\+ / { path = substr($0, 5); sub(/\t$/, "", path); if (path ~ /^b\//) path = substr(path, 3); next }
    /^@@ / {
      split($3, new, ","); first = substr(new[1], 2) + 0
      count = (new[2] == "") ? 1 : new[2] + 0
      if (count > 0) print path ":" first ":" (first + count - 1)
    }
  ' "$tmp/pr.diff" > "$tmp/changed"
}

# Print the annotations after a fallback from review comments: on a pull request whose
# changed lines are known, only the findings there (or, with filter-mode file, in the changed
# files; nofilter: all); file errors always.
fallback_annotations() {
  annotate > /dev/null 2>&1
  local filter=${INPUT_FILTER_MODE:-diff_context}
  case "$filter:${GITHUB_EVENT_NAME:-}" in
    nofilter:* | *:) cat "$tmp/github.out"; return ;;
    *:pull_request | *:pull_request_target) ;;
    *) cat "$tmp/github.out"; return ;;
  esac
  if ! changed_lines; then
    echo "::notice title=asyncfix::the pull request's changed lines are unknown (no base commit); annotating every finding"
    cat "$tmp/github.out"
    return
  fi
  awk -v top="$(cat "$tmp/toplevel")/" -v filter="$filter" '
    FNR == NR {
      n = split($0, part, ":"); last = part[n]; first = part[n - 1]
      path = substr($0, 1, length($0) - length(first) - length(last) - 2)
      files[path] = 1; ranges[path] = ranges[path] " " first ":" last
      next
    }
    {
      if (!match($0, /file=[^,:]*/)) { print; next }
      file = substr($0, RSTART + 5, RLENGTH - 5)
      gsub(/%2C/, ",", file); gsub(/%3A/, ":", file); gsub(/%0A/, "\n", file); gsub(/%0D/, "\r", file); gsub(/%25/, "%", file)
      if (index(file, top) == 1) file = substr(file, length(top) + 1)
      if (!match($0, /,line=[0-9]+/)) { print; next }
      line = substr($0, RSTART + 6, RLENGTH - 6) + 0
      end = line
      if (match($0, /,endLine=[0-9]+/)) end = substr($0, RSTART + 9, RLENGTH - 9) + 0
      if (!(file in files)) next
      if (filter == "file") { print; next }
      k = split(ranges[file], r, " ")
      for (i = 1; i <= k; i++) {
        split(r[i], fl, ":")
        if (line <= fl[2] + 0 && end >= fl[1] + 0) { print; next }
      }
    }
  ' "$tmp/changed" "$tmp/github.out"
}

# How many diagnostics of the rdjsonl output reviewdog counts at fail-level LEVEL.
at_fail_level() {
  case "$1" in
    error) grep -c '"severity":"ERROR"' "$tmp/rdjsonl.out" ;;
    *) grep -c . "$tmp/rdjsonl.out" ;;
  esac
}

fail_level=${INPUT_FAIL_LEVEL:-none}
case "$mode" in
  check)
    run_asyncfix concise
    asyncfix_code=$?
    cat "$tmp/concise.out"
    cat "$tmp/concise.err" >&2
    code=$asyncfix_code
    ;;
  annotate)
    annotate
    asyncfix_code=$?
    code=$asyncfix_code
    ;;
  suggest)
    run_asyncfix rdjsonl
    asyncfix_code=$?
    cat "$tmp/rdjsonl.err" >&2
    # Findings alone do not fail the step in this mode: reviewdog's fail-level decides.
    code=0
    if can_comment; then
      "$reviewdog" -f=rdjsonl -name=asyncfix -reporter=github-pr-review \
        -filter-mode="${INPUT_FILTER_MODE:-diff_context}" -fail-level="$fail_level" \
        ${reviewdog_flags[@]+"${reviewdog_flags[@]}"} < "$tmp/rdjsonl.out"
      reviewdog_code=$?
      if [ $reviewdog_code -eq 1 ] && [ "$fail_level" != none ] && [ "$(at_fail_level "$fail_level")" -gt 0 ]; then
        # fail-level reached: the findings are in the review already.
        echo "::error title=asyncfix::findings at fail-level $fail_level or above: see the review comments"
        code=1
      elif [ $reviewdog_code -ne 0 ]; then
        echo "::warning title=asyncfix::reviewdog exited with code $reviewdog_code; showing the findings as annotations"
        fallback_annotations
        [ "$fail_level" != none ] && code=$reviewdog_code
      fi
    else
      echo "::notice title=asyncfix::review comments cannot be posted here (a pull request from a fork, or no pull request); showing the findings as annotations"
      fallback_annotations
      [ "$fail_level" != none ] && [ $asyncfix_code -eq 1 ] && code=1
    fi
    [ $asyncfix_code -eq 2 ] && code=2
    ;;
esac

write_summary
# The exit code of asyncfix itself: 0 clean, 1 findings, 2 error (whatever the mode).
[ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=$asyncfix_code" >> "$GITHUB_OUTPUT"
exit "$code"
