#!/usr/bin/env bash
# The arm64 binaries under qemu-aarch64-static (run by scripts/test.sh after the arm64 cross build): both are
# static aarch64 executables, --version names version, commit and date, and on the same inputs they print the
# same bytes and exit codes as the amd64 build: capstan-postrender on corpus charts (../shared/corpus/rendered),
# `capstan values lint` on the example chart (clean, and with a values file that has findings). Then
# scripts/release.sh on both builds: a tarball and an SBOM per architecture (the arm64 one names the arm64 and cross
# packages' versions), SHA256SUMS over all of them.
#   tests/build/arm64_smoke_test.sh AMD64_BUILD_DIR ARM64_BUILD_DIR
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AMD64=$(realpath "$1") ARM64=$(realpath "$2")
SHARED=${CAPSTAN_SHARED_DIR:-$ROOT/../shared}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
QEMU=$(command -v qemu-aarch64-static) || fail "qemu-aarch64-static is missing (scripts/setup-cross.sh installs it)"
export XDG_STATE_HOME=$WORK/state
for b in capstan capstan-postrender; do
  f=$ARM64/$b
  [ -x "$f" ] || fail "$f is missing"
  readelf -h "$f" | grep -q 'Machine:.*AArch64' || fail "$f is not an aarch64 binary"
  readelf -l "$f" | grep -q INTERP && fail "$f is not static"
  v=$("$QEMU" "$f" --version) || fail "$b --version failed under qemu"
  echo "$v" | grep -qE "^$b [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{12}, built [0-9T:-]+Z\)$" || fail "$b --version says: $v"
  echo "ok: $v (arm64, qemu)"
done

same() { # name, then the command line after the binary's path; the binary is $BIN (capstan or capstan-postrender)
  local name=$1; shift
  (cd "$WORK" && "$AMD64/$BIN" "$@" < "$IN" > "$WORK/amd64.out" 2> "$WORK/amd64.err"); local ra=$?
  (cd "$WORK" && "$QEMU" "$ARM64/$BIN" "$@" < "$IN" > "$WORK/arm64.out" 2> "$WORK/arm64.err"); local rb=$?
  [ $ra -eq $rb ] || { cat "$WORK/arm64.err" >&2; fail "$name: exit $rb on arm64, $ra on amd64"; }
  cmp -s "$WORK/amd64.out" "$WORK/arm64.out" || { diff "$WORK/amd64.out" "$WORK/arm64.out" | head -20 >&2; fail "$name: outputs differ"; }
  echo "ok: $name: same output on arm64 and amd64 ($(wc -c < "$WORK/arm64.out") bytes, exit $rb)"
}
BIN=capstan-postrender
n=0
for chart in bitnami__postgresql grafana__grafana argoproj__argo-workflows; do
  IN=$SHARED/corpus/rendered/$chart.yaml
  [ -f "$IN" ] || continue
  same "capstan-postrender on $chart" --namespace portal --release portal
  n=$((n + 1))
done
[ $n -gt 0 ] || fail "no corpus chart found in $SHARED/corpus/rendered"
BIN=capstan IN=/dev/null
same "capstan values lint (example chart)" values lint "$ROOT/charts/example-portal"
printf 'replicaCount: "3"\nunknownKey: 1\nimage:\n  tag: 1.10\n' > "$WORK/bad-values.yaml"
same "capstan values lint (findings)" values lint "$ROOT/charts/example-portal" -f "$WORK/bad-values.yaml"
echo "ok: arm64 binaries smoke-tested under qemu"

"$ROOT/scripts/release.sh" --build "$AMD64" --build "$ARM64" --unsigned --out "$WORK/dist" 2> "$WORK/release.log" ||
  { cat "$WORK/release.log" >&2; fail "release.sh on both builds failed"; }
(cd "$WORK/dist" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
for arch in amd64 arm64; do
  t=$(ls "$WORK"/dist/capstan_*_linux_$arch.tar.gz) || fail "no $arch tarball"
  mkdir -p "$WORK/x-$arch" && tar -xzf "$t" -C "$WORK/x-$arch" || fail "the $arch tarball does not extract"
  for b in capstan capstan-postrender; do
    file=$WORK/x-$arch/$b
    [ -x "$file" ] || fail "$b missing from the $arch tarball"
    case $arch in amd64) want=X86-64 ;; arm64) want=AArch64 ;; esac
    readelf -h "$file" | grep -q "Machine:.*$want" || fail "$b in the $arch tarball is not a $want binary"
  done
  grep -q "capstan_.*_linux_$arch.spdx.json" "$WORK/dist/SHA256SUMS" || fail "SHA256SUMS lacks the $arch SBOM"
done
python3 - "$WORK"/dist/capstan_*_linux_arm64.spdx.json <<'PY' || fail "the arm64 SBOM is wrong"
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
p = {x["SPDXID"]: x for x in d["packages"]}
def deb(name):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True).stdout
assert p["SPDXRef-openssl-ssl"]["versionInfo"] == deb("libssl-dev:arm64"), p["SPDXRef-openssl-ssl"]
assert p["SPDXRef-libfyaml"]["versionInfo"] == deb("libfyaml-dev:arm64"), p["SPDXRef-libfyaml"]
assert p["SPDXRef-glibc"]["versionInfo"] == deb("libc6-dev-arm64-cross"), p["SPDXRef-glibc"]
assert p["SPDXRef-libpq"]["versionInfo"] not in ("", "NOASSERTION"), p["SPDXRef-libpq"]
print("ok: the arm64 SBOM names", len(p) - 2, "components with their arm64 package versions")
PY
echo "ok: release.sh makes the amd64 and arm64 artifacts"
