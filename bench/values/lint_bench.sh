#!/usr/bin/env bash
# Benchmark: `capstan values lint` beside `helm lint` (Helm 3.17.3 and 4.1.4) on the same chart and the same three
# overlays, side by side (hyperfine, warm cache), on two inputs:
#   (a) the example chart with three overlays: charts/example-portal with values/*.yaml when the project has it,
#       otherwise a generated portal-like chart (bench/values/gen_charts.py realistic);
#   (b) a generated 10,000-key values hierarchy with a schema describing every key, three overlays of 1,000 keys.
# Prints wall times (mean, min) and CPU time (user+sys), with the ratios helm/capstan; on a loaded machine the
# CPU time is the stable number. Both tools validate the merged values against the schema; helm also
# renders the templates (it cannot lint values without rendering), capstan also checks unknown keys, renames and
# YAML 1.1 surprises. Usage: bench/values/lint_bench.sh [RUNS]   (needs a release build: build/capstan)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CAPSTAN=${CAPSTAN:-$ROOT/build/capstan}
H3=${HELM3:-$ROOT/.deps/helm/3/helm}
H4=${HELM4:-$ROOT/.deps/helm/4/helm}
RUNS=${1:-30}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
[ -x "$CAPSTAN" ] || { echo "build first: cmake -S . -B build -G Ninja && cmake --build build --target capstan" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
export HOME=$WORK HELM_CACHE_HOME=$WORK/.cache HELM_CONFIG_HOME=$WORK/.config HELM_DATA_HOME=$WORK/.data NO_COLOR=1

# (a) the example chart, or a generated one.
if [ -d "$ROOT/charts/example-portal/values" ]; then
  A_CHART=$ROOT/charts/example-portal
  mapfile -t A_FILES < <(ls "$A_CHART"/values/*.yaml | head -3)
  A_NAME="charts/example-portal + $(for f in "${A_FILES[@]}"; do printf '%s ' "$(basename "$f")"; done)"
else
  python3 "$ROOT/bench/values/gen_charts.py" realistic "$WORK/a"
  A_CHART=$WORK/a/chart
  A_FILES=("$WORK/a/overlays/customer.yaml" "$WORK/a/overlays/staging.yaml" "$WORK/a/overlays/eu.yaml")
  A_NAME="generated portal chart + 3 overlays"
fi
python3 "$ROOT/bench/values/gen_charts.py" big "$WORK/b"
B_CHART=$WORK/b/chart
B_FILES=("$WORK/b/overlays/customer.yaml" "$WORK/b/overlays/staging.yaml" "$WORK/b/overlays/eu.yaml")
B_NAME="10,000-key hierarchy + schema + 3 overlays"

run_case() { # name chart files...
  local name=$1 chart=$2; shift 2
  local fargs=""
  for f in "$@"; do fargs="$fargs -f $f"; done
  # Sanity: capstan must succeed (no findings at error level) on the benchmark input.
  "$CAPSTAN" values lint "$chart" $fargs > "$WORK/capstan.out" || { echo "capstan lint failed:"; cat "$WORK/capstan.out"; exit 1; }
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/h.json" \
    -n capstan "$CAPSTAN values lint $chart $fargs" \
    -n "helm3 lint" "$H3 lint $chart $fargs" \
    -n "helm4 lint" "$H4 lint $chart $fargs" > /dev/null
  python3 - "$WORK/h.json" "$name" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
c = res["capstan"]["mean"]
print(f"\n{sys.argv[2]}")
cc = res["capstan"]["user"] + res["capstan"]["system"]
print("| tool | wall mean ms | wall min ms | x capstan (wall) | CPU ms (user+sys) | x capstan (CPU) |")
print("|---|---|---|---|---|---|")
for name in ("capstan", "helm3 lint", "helm4 lint"):
    r = res[name]
    cpu = r["user"] + r["system"]
    print(f"| {name} | {r['mean']*1e3:.1f} | {r['min']*1e3:.1f} | {r['mean']/c:.1f} | {cpu*1e3:.1f} | {cpu/cc:.1f} |")
PY
}

echo "capstan values lint vs helm lint, $RUNS runs each (hyperfine, mean of wall time)"
run_case "(a) $A_NAME" "$A_CHART" "${A_FILES[@]}"
run_case "(b) $B_NAME" "$B_CHART" "${B_FILES[@]}"
