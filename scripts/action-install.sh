#!/usr/bin/env bash
# Install asyncfix for the GitHub Action (action.yml).
#   action-install.sh key       print `key=`, `dir=`, `version=` and `method=` for actions/cache
#                               (to $GITHUB_OUTPUT)
#   action-install.sh install   install into `dir` unless the cache restored it, and put its
#                               bin/ on $GITHUB_PATH
#
# Which asyncfix, and how (`method`):
#   download  a released version: INPUT_VERSION (X.Y.Z), or else the action's own ref when it is
#             a release tag vX.Y.Z whose Cargo.toml says X.Y.Z. The release's prebuilt binary for
#             the runner (asyncfix-X.Y.Z-TARGET.tar.gz, .zip on Windows) is downloaded with curl
#             from the GitHub release and checked against the release's .sha256 file.
#             - no such asset (the release is not out yet, or the download fails): a warning, then
#               the version is built from source (the action's own source for its tag, crates.io
#               for INPUT_VERSION);
#             - an asset whose sha256 does not match: the step FAILS (a corrupt or replaced
#               binary is not something to work around silently) and nothing is installed.
#   source    anything else (a branch, a commit, `uses: ./`, a runner with no prebuilt binary):
#             `cargo install --locked --path "$GITHUB_ACTION_PATH"`, keyed by the source's hash;
#             with INPUT_VERSION on such a runner, `cargo install asyncfix --version X.Y.Z`.
#
# Environment (action.yml sets it):
#   INPUT_VERSION       the `version` input (X.Y.Z or vX.Y.Z; empty: the action's own version)
#   ACTION_REF          ${{ github.action_ref }}: the ref the workflow's `uses:` names. It is
#                       empty in some composite-action contexts (actions/runner#2473), so the
#                       last part of GITHUB_ACTION_PATH (.../_actions/OWNER/REPO/REF) is the
#                       fallback.
#   ACTION_REPOSITORY   ${{ github.action_repository }} (OWNER/REPO), with the same fallback, then
#                       the repository below.
#   GITHUB_ACTION_PATH, GITHUB_SERVER_URL, RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE,
#   RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH   as on a runner
set -euo pipefail

# Where releases come from when the action's own repository cannot be known (`uses: ./`).
# OWNER: fill in before the first release (RELEASING.md).
default_repository=OWNER/asyncfix

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
action_path=${action_path%/}

# The Rust target whose release binary runs on this runner, or nothing. Linux gets the static
# musl build: it runs on any distribution and in Alpine containers.
target=
exe=
case "${RUNNER_OS:-$(uname -s)}:${RUNNER_ARCH:-$(uname -m)}" in
  Linux:X64 | Linux:x86_64) target=x86_64-unknown-linux-musl ;;
  Linux:ARM64 | Linux:aarch64) target=aarch64-unknown-linux-musl ;;
  macOS:X64 | Darwin:x86_64) target=x86_64-apple-darwin ;;
  macOS:ARM64 | Darwin:arm64) target=aarch64-apple-darwin ;;
  Windows:X64) target=x86_64-pc-windows-msvc ;;
esac
case "${RUNNER_OS:-}" in
  Windows) exe=.exe ;;
esac
platform="${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}"

# The sha256 command ("HASH  NAME" lines for the files named, or stdin); macOS has only shasum.
sha256=(sha256sum)
command -v sha256sum > /dev/null 2>&1 || sha256=(shasum -a 256)

# The action's own version (its Cargo.toml), ref and repository.
own_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" 2> /dev/null | head -n 1 || true)
ref=${ACTION_REF:-}
repository=${ACTION_REPOSITORY:-}
unix_path=${action_path//\\//}
case "$unix_path" in
  */_actions/*/*/*)
    rest=${unix_path##*/_actions/}
    [ -n "$ref" ] || ref=${rest#*/*/}
    [ -n "$repository" ] || repository=${rest%/"${rest#*/*/}"}
    ;;
esac
[ -n "$repository" ] || repository=$default_repository

version=${INPUT_VERSION:-}
version=${version#v}
from_input=
if [ -n "$version" ]; then
  from_input=1
elif [[ $ref =~ ^v([0-9]+\.[0-9]+\.[0-9]+)$ ]]; then
  if [ "${BASH_REMATCH[1]}" = "$own_version" ]; then
    version=$own_version
  else
    echo "::notice title=asyncfix::the action's ref $ref is not its Cargo.toml version ($own_version): building it from source" >&2
  fi
fi

if [ -n "$version" ] && [ -n "$target" ]; then
  method=download
  key="asyncfix-$version-$target"
elif [ -n "$version" ] && [ -n "$from_input" ]; then
  method=source
  key="asyncfix-$platform-v$version"
else
  method=source
  version=
  # The source's content decides: a new commit of the action rebuilds, the same one is cached.
  hash=$(cd "$action_path" && find Cargo.toml Cargo.lock src -type f -print0 | LC_ALL=C sort -z \
    | xargs -0 "${sha256[@]}" | "${sha256[@]}" | cut -c1-16)
  key="asyncfix-$platform-src-$hash"
fi
dir="${RUNNER_TOOL_CACHE:-$HOME/.cache}/asyncfix/$key"
bin="$dir/bin/asyncfix$exe"

# download: the release asset into $dir/bin. Returns 1 when there is no asset to use (then the
# caller builds from source); exits 1 when the asset's sha256 does not match.
download() {
  local ext=tar.gz
  [ -n "$exe" ] && ext=zip
  local asset="asyncfix-$version-$target.$ext"
  local url="${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download/v$version/$asset"
  tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/asyncfix-download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "Downloading $url"
  if ! curl --fail --location --silent --show-error --retry 3 -o "$tmp/$asset" "$url" \
    || ! curl --fail --location --silent --show-error --retry 3 -o "$tmp/$asset.sha256" "$url.sha256"; then
    echo "::warning title=asyncfix::no prebuilt asyncfix $version for $target at $url; building it from source instead (slow)"
    return 1
  fi
  local expected actual
  expected=$(tr -d '\r' < "$tmp/$asset.sha256" | cut -d' ' -f1 | head -n 1)
  actual=$("${sha256[@]}" "$tmp/$asset" | cut -d' ' -f1)
  if [ "$expected" != "$actual" ]; then
    echo "::error title=asyncfix::sha256 mismatch for $asset: the release says '$expected', the download is $actual. Nothing was installed; set \`version\` to another release or use the action at a branch to build from source."
    exit 1
  fi
  mkdir -p "$tmp/x"
  if [ "$ext" = zip ]; then
    if command -v unzip > /dev/null 2>&1; then
      unzip -q "$tmp/$asset" -d "$tmp/x"
    else
      python3 -m zipfile -e "$tmp/$asset" "$tmp/x"
    fi
  else
    tar -xzf "$tmp/$asset" -C "$tmp/x"
  fi
  if [ ! -f "$tmp/x/asyncfix$exe" ]; then
    echo "::error title=asyncfix::$asset has no asyncfix$exe at its top level"
    exit 1
  fi
  mkdir -p "$dir/bin"
  mv "$tmp/x/asyncfix$exe" "$bin"
  chmod +x "$bin"
  echo "asyncfix $version for $target: sha256 $actual verified"
}

build() {
  if [ -n "$from_input" ]; then
    cargo install --locked --root "$dir" asyncfix --version "$version"
  else
    cargo install --locked --root "$dir" --path "$action_path"
  fi
}

case "${1:-}" in
  key)
    {
      echo "key=$key"
      echo "dir=$dir"
      echo "version=$version"
      echo "method=$method"
    } >> "${GITHUB_OUTPUT:-/dev/stdout}"
    ;;
  install)
    if [ -x "$bin" ]; then
      echo "asyncfix restored from the cache ($key)"
    elif [ "$method" = download ]; then
      download || build
    else
      build
    fi
    echo "$dir/bin" >> "${GITHUB_PATH:-/dev/stdout}"
    "$bin" --version
    ;;
  *)
    echo "usage: $0 key|install" >&2
    exit 2
    ;;
esac
