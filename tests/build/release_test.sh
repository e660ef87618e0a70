#!/usr/bin/env bash
# scripts/release.sh on the build's binaries (run by ctest, label unit): the tarball holds both static binaries
# whose --version names version, commit and date; SHA256SUMS verifies; the SPDX SBOM names each binary and what it
# links (capstan: libpq, libfyaml, OpenSSL, the go-yaml port...; capstan-postrender: no libpq) with Debian
# versions; the Helm plugin tarball holds the binary; and two runs give the same bytes (reproducible).
#   tests/build/release_test.sh BUILD_DIR
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$1
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
"$ROOT/scripts/release.sh" --build "$BUILD" --unsigned --out "$WORK/a" 2> "$WORK/log" || { cat "$WORK/log" >&2; fail "release.sh failed"; }
"$ROOT/scripts/release.sh" --build "$BUILD" --unsigned --out "$WORK/b" 2>> "$WORK/log" || fail "release.sh failed the second time"
(cd "$WORK/a" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
# helm plugin package stamps its tarball with the time it runs: the rest must be byte for byte the same.
grep -v ' capstan-[0-9.]*\.tgz$' "$WORK/a/SHA256SUMS" > "$WORK/a.sums"
grep -v ' capstan-[0-9.]*\.tgz$' "$WORK/b/SHA256SUMS" > "$WORK/b.sums"
cmp -s "$WORK/a.sums" "$WORK/b.sums" || { diff "$WORK/a.sums" "$WORK/b.sums" >&2; fail "two runs differ"; }
tarball=$(ls "$WORK"/a/capstan_*_linux_*.tar.gz) || fail "no tarball"
plugin=$(ls "$WORK"/a/capstan-*.tgz) || fail "no plugin tarball"
entries=$(tar -tzf "$plugin") || fail "the plugin tarball does not list"
grep -q "capstan/bin/capstan-postrender" <<< "$entries" || fail "the plugin tarball holds no binary"
mkdir "$WORK/x" && tar -xzf "$tarball" -C "$WORK/x" || fail "tarball does not extract"
for b in capstan capstan-postrender; do
  [ -x "$WORK/x/$b" ] || fail "$b missing from the tarball"
  readelf -l "$WORK/x/$b" | grep -q INTERP && fail "$b is not static"
  v=$("$WORK/x/$b" --version) || fail "$b --version failed"
  echo "$v" | grep -qE "^$b [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{12}, built [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\)$" ||
    fail "$b --version says: $v"
  echo "ok: $v"
done
python3 - "$WORK"/a/capstan_*.spdx.json <<'PY' || fail "the SBOM is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["spdxVersion"] == "SPDX-2.3", d["spdxVersion"]
names = {p["SPDXID"]: p for p in d["packages"]}
links = {}
for r in d["relationships"]:
    links.setdefault(r["spdxElementId"], set()).add(r["relatedSpdxElement"])
for lib in ("glibc", "openssl-crypto", "openssl-ssl", "zlib", "libfyaml", "libpq", "cpp-httplib", "go-yaml"):
    assert "SPDXRef-" + lib in links["SPDXRef-capstan"], "capstan does not list " + lib
for lib in ("libpq", "cpp-httplib"):
    assert "SPDXRef-" + lib not in links["SPDXRef-capstan-postrender"], "capstan-postrender lists " + lib
for pid, p in names.items():
    assert p["versionInfo"] not in ("", "NOASSERTION"), pid + " has no version"
print("ok: SBOM lists", len(names) - 2, "components with versions")
PY
echo "ok: release artifacts reproducible and verified"
