#!/usr/bin/env bash
# The arm64 binaries under qemu-aarch64-static (run by scripts/test.sh after the arm64 cross build): both are
# static aarch64 executables, --version names version, commit and date, and on the same inputs they print the
# same bytes and exit codes as the amd64 build: capstan-postrender on corpus charts (../shared/corpus/rendered),
# `capstan values lint` on the example chart (clean, and with a values file that has findings).
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
