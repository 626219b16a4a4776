#!/usr/bin/env bash
# Pack the asyncfix binary of a maturin wheel as a GitHub release asset (used by
# .github/workflows/release.yml, one wheel per platform):
#   release-archive.sh WHEEL TARGET VERSION OUTDIR
# writes OUTDIR/asyncfix-VERSION-TARGET.tar.gz (.zip for a Windows TARGET) holding `asyncfix`
# (`asyncfix.exe`) at its top level, and OUTDIR/asyncfix-VERSION-TARGET.EXT.sha256
# (`HASH  NAME`, as sha256sum writes it). This is the layout scripts/action-install.sh
# downloads. The binary is the wheel's, byte for byte: the Action and pip run the same build.
# With SMOKE_TEST=1 (a binary for the machine it runs on), also runs `asyncfix --version` and
# checks that it says VERSION.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 WHEEL TARGET VERSION OUTDIR" >&2; exit 2; }
wheel=$1 target=$2 version=$3 out=$4

exe=
ext=tar.gz
case "$target" in
  *windows*) exe=.exe ext=zip ;;
esac
python=python3
command -v python3 > /dev/null 2>&1 && python3 -c '' 2> /dev/null || python=python

name="asyncfix-$version-$target"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

# The wheel holds the binary as asyncfix_cli-VERSION.data/scripts/asyncfix[.exe].
"$python" - "$wheel" "$staging/asyncfix$exe" "asyncfix$exe" <<'EOF'
import sys, zipfile
wheel, dest, binary = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    found = [n for n in z.namelist() if n.endswith(".data/scripts/" + binary)]
    if len(found) != 1:
        sys.exit(f"{wheel}: expected one */.data/scripts/{binary}, found {found}")
    with z.open(found[0]) as src, open(dest, "wb") as dst:
        dst.write(src.read())
EOF
chmod +x "$staging/asyncfix$exe"

mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ "$ext" = zip ]; then
  (cd "$staging" && "$python" -m zipfile -c "$out/$name.zip" "asyncfix$exe")
else
  tar -czf "$out/$name.tar.gz" -C "$staging" "asyncfix$exe"
fi
if command -v sha256sum > /dev/null 2>&1; then
  (cd "$out" && sha256sum "$name.$ext" > "$name.$ext.sha256")
else
  (cd "$out" && shasum -a 256 "$name.$ext" > "$name.$ext.sha256")
fi
cat "$out/$name.$ext.sha256"

if [ "${SMOKE_TEST:-}" = 1 ]; then
  got=$("$staging/asyncfix$exe" --version)
  [ "$got" = "asyncfix $version" ] || { echo "::error::the binary says '$got', expected 'asyncfix $version'" >&2; exit 1; }
  echo "ran: $got"
fi
