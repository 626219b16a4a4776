#!/usr/bin/env bash
# Install asyncfix for the GitHub Action (action.yml).
#   action-install.sh key       print `key=...` and `dir=...` for actions/cache (to $GITHUB_OUTPUT)
#   action-install.sh install   cargo install into that folder unless the cache restored it,
#                               and put its bin/ on $GITHUB_PATH
# INPUT_VERSION empty: build the action's own source (`cargo install --locked --path
# "$GITHUB_ACTION_PATH"`); otherwise that version from crates.io.
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
version=${INPUT_VERSION:-}
platform="${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}"

if [ -n "$version" ]; then
  key="asyncfix-$platform-v$version"
else
  # The source's content decides: a new commit of the action rebuilds, the same one is cached.
  hash=$(cd "$action_path" && find Cargo.toml Cargo.lock src -type f -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum | sha256sum | cut -c1-16)
  key="asyncfix-$platform-src-$hash"
fi
dir="${RUNNER_TOOL_CACHE:-$HOME/.cache}/asyncfix/$key"

case "${1:-}" in
  key)
    {
      echo "key=$key"
      echo "dir=$dir"
    } >> "${GITHUB_OUTPUT:-/dev/stdout}"
    ;;
  install)
    if [ ! -x "$dir/bin/asyncfix" ]; then
      if [ -n "$version" ]; then
        cargo install --locked --root "$dir" asyncfix --version "$version"
      else
        cargo install --locked --root "$dir" --path "$action_path"
      fi
    fi
    echo "$dir/bin" >> "${GITHUB_PATH:-/dev/stdout}"
    "$dir/bin/asyncfix" --version
    ;;
  *)
    echo "usage: $0 key|install" >&2
    exit 2
    ;;
esac
