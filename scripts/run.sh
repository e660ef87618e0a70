#!/usr/bin/env bash
# The main job, from a fresh machine: set everything up, build, then
#   1. render the example chart (charts/example-portal with the values hierarchy in values/) through the real
#      Helm 3.17.3 and Helm 4.1.4 with capstan-postrender (executable on Helm 3, plugin on Helm 4), and show what
#      was injected and why;
#   2. lint the values hierarchy (chart defaults + customer file + every environment overlay) with capstan.
# Output lands in out/ (rendered manifests, post-renderer reports, lint results).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
./scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target capstan capstan-postrender
OUT=$ROOT/out; mkdir -p "$OUT"
CHART=charts/example-portal
VALUES=(-f values/custom_values.yaml -f values/env/production.yaml)
export HELM_CONFIG_HOME=$OUT/helm/config HELM_DATA_HOME=$OUT/helm/data HELM_CACHE_HOME=$OUT/helm/cache
# The post-renderer: digests, and the capstan wait init containers the chart's pods ask for (capstan.dev/wait-for),
# with the chart's hook image (capstan.dev/wait-image); both by default. The release name is for the report only.
PR_ARGS=(--post-renderer-args --release=portal --post-renderer-args --namespace=portal)

echo "== Helm 3.17.3 with capstan-postrender (executable)"
.deps/helm/3/helm template portal "$CHART" -n portal "${VALUES[@]}" \
  --post-renderer "$ROOT/build/capstan-postrender" "${PR_ARGS[@]}" \
  --post-renderer-args --report="$OUT/report-helm3.json" > "$OUT/portal-helm3.yaml"
echo "   -> $OUT/portal-helm3.yaml, report $OUT/report-helm3.json"

echo "== Helm 4.1.4 with the capstan postrenderer/v1 plugin"
.deps/helm/4/helm plugin list 2>/dev/null | grep -q '^capstan' || .deps/helm/4/helm plugin install build/helm-plugin/capstan >/dev/null
.deps/helm/4/helm template portal "$CHART" -n portal "${VALUES[@]}" \
  --post-renderer capstan "${PR_ARGS[@]}" \
  --post-renderer-args --report="$OUT/report-helm4.json" \
  --post-renderer-args --log-file="$OUT/postrender-helm4.log" > "$OUT/portal-helm4.yaml"
echo "   -> $OUT/portal-helm4.yaml, report $OUT/report-helm4.json"

echo "== What the post-renderer did (Helm 4 run; Helm 3 does not send hook Jobs to post-renderers)"
python3 - "$OUT/report-helm4.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for w in r["workloads"]:
    if w["digest"]:
        uses = ", ".join(f'{c["kind"]}/{c["name"]}' + ("" if c["present"] else " (not in release)") for c in w["consumes"])
        print(f'  {w["kind"]}/{w["name"]}: {w["digest"][:23]}...  <- {uses}')
    else:
        print(f'  {w["kind"]}/{w["name"]}: no digest ({w.get("skipped", "")})')
for c in r["changes"]:
    if c["filter"] != "checksum":
        print(f'  {c["filter"]}: {c["object"]}: {c["description"]}')
for f in r["findings"]:
    print(f'  {f["severity"]}: {f["object"]}: {f["message"]}')
PY

echo "== upgrade risks (capstan-postrender --check) of the production rendering"
./build/capstan-postrender --check < "$OUT/portal-helm4.yaml" | tail -n 20

echo "== capstan values lint: chart defaults + customer file + each environment overlay"
./build/capstan values lint "$CHART" -f values/custom_values.yaml \
  $(for e in values/env/*.yaml; do printf -- '--matrix %s ' "$e"; done)
echo "== done: see $OUT/"
