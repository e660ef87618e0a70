#!/usr/bin/env bash
# Side-by-side benchmark: Capstan's JSON Schema validator versus python3-jsonschema (Debian) on a generated
# 10,000-key values document (100 sections x 100 keys) and its 2020-12 schema. Prints CPU time per operation and
# the ratio. Needs a release build in build/ (cmake --build build --target capstan_core).
# Usage: bench/jsonschema/run.sh [SECTIONS] [KEYS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$root/bench/jsonschema/gen_values.py" "$work" "${1:-100}" "${2:-100}"
g++ -std=c++20 -O2 -DRAPIDJSON_HAS_STDSTRING=1 -I"$root/lib" "$root/bench/jsonschema/bench_validate.cc" \
  "$root/build/libcapstan_core.a" -o "$work/bench_validate"
ours=$("$work/bench_validate" "$work/schema.json" "$work/values.json" 50)
peer=$(python3 "$root/bench/jsonschema/bench_validate.py" "$work/schema.json" "$work/values.json" 5)
get() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }
printf "%-22s %12s %18s %8s\n" "CPU ms per operation" capstan python-jsonschema ratio
for k in compile_ms validate_ms; do
  a=$(get "$k" "$ours"); b=$(get "$k" "$peer")
  printf "%-22s %12s %18s %7.1fx\n" "${k%_ms}" "$a" "$b" "$(python3 -c "print($b / max($a, 0.001))")"
done
echo "errors: capstan $(get errors "$ours"), python-jsonschema $(get errors "$peer")"
