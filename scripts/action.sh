#!/usr/bin/env bash
# The logic of the asyncfix GitHub Action (action.yml at the repository root), kept in a
# script so that it can be run and tested without GitHub: tests/action.rs runs it on a
# fixture repository with a stub `reviewdog` that records what it is given.
#
# Environment (action.yml sets it from the inputs and the GitHub context):
#   INPUT_MODE             suggest | annotate | check                         (default: suggest)
#   INPUT_PATHS            files or folders to check, separated by whitespace (default: .)
#   INPUT_ARGS             extra asyncfix flags, separated by whitespace      (default: none;
#                          not --output-format, --color or a mode flag: the script sets those)
#   INPUT_FILTER_MODE      reviewdog -filter-mode                             (default: diff_context)
#   INPUT_FAIL_LEVEL       reviewdog -fail-level                              (default: none)
#   INPUT_REVIEWDOG_FLAGS  extra reviewdog flags                              (default: none)
#   ASYNCFIX, REVIEWDOG    the programs to run              (default: asyncfix, reviewdog on PATH)
#   GITHUB_EVENT_NAME, GITHUB_REPOSITORY, PR_HEAD_REPO (the pull request's head repository):
#                          whether review comments can be posted (not from a fork's pull request)
#   REVIEWDOG_GITHUB_API_TOKEN  the token reviewdog posts with
#   RUNNER_TEMP, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT     as on a runner (each optional)
#
# Modes:
#   suggest   findings go to reviewdog as rdjsonl (github-pr-review reporter): one review
#             comment per finding, with the fix as a suggested change. Where the token cannot
#             comment (a pull request from a fork, a push) or reviewdog fails, the findings are
#             printed as annotations instead. Findings fail the step only through fail-level.
#   annotate  findings are printed as workflow-command annotations; findings fail the step.
#   check     the plain report; findings fail the step.
# Every mode writes a step summary (annotations are capped at 10 a step; the summary is not)
# and the `exit-code` output (0 clean, 1 findings, 2 error). An asyncfix error always fails
# the step with exit code 2.
set -uo pipefail

mode=${INPUT_MODE:-suggest}
asyncfix=${ASYNCFIX:-asyncfix}
reviewdog=${REVIEWDOG:-reviewdog}
read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a args <<< "${INPUT_ARGS:-}"
read -r -a reviewdog_flags <<< "${INPUT_REVIEWDOG_FLAGS:-}"
[ ${#paths[@]} -eq 0 ] && paths=(.)
tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/asyncfix.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case "$mode" in
  suggest|annotate|check) ;;
  *) echo "::error title=asyncfix::unknown mode '$mode' (expected suggest, annotate or check)"; exit 2 ;;
esac

# asyncfix FORMAT [more flags]: run on the paths; stdout to $tmp/FORMAT.out, stderr to $tmp/FORMAT.err.
run_asyncfix() {
  local format=$1
  shift
  "$asyncfix" --output-format "$format" --color never "$@" "${args[@]}" -- "${paths[@]}" \
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

# Print the annotations after a fallback from review comments.
fallback_annotations() {
  annotate > /dev/null 2>&1
  cat "$tmp/github.out"
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
        "${reviewdog_flags[@]}" < "$tmp/rdjsonl.out"
      reviewdog_code=$?
      if [ $reviewdog_code -ne 0 ]; then
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
exit $code
