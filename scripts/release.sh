#!/usr/bin/env bash
# Builds the release artifacts of this machine's architecture into dist/ (or --out DIR):
#   capstan_<V>_linux_<arch>.tar.gz       capstan and capstan-postrender (static, stripped), README.md, LICENSES
#   capstan_<V>_linux_<arch>.spdx.json    SPDX 2.3 SBOM: both binaries and every library linked into them, with the
#                                          exact Debian package (or source package) version it came from
#   capstan-<V>.tgz (+ .prov)              the Helm 4 plugin, by `helm plugin package` (scripts/package-plugin.sh),
#                                          signed with --sign-key/--sign-keyring (or --unsigned: no .prov)
#   SHA256SUMS                             sha256sum format, every artifact in the folder
# Reproducible: file times, owners and order in the tarball come from the commit (SOURCE_DATE_EPOCH, the commit's
# date unless set), gzip stores no name or time; the same commit and toolchain give the same bytes -- except the
# plugin tarball, which `helm plugin package` stamps with the time it runs (its contents are the same).
# The arm64 build (Debian's cross toolchain, tests under qemu-user-static) is not made by this script yet.
# Usage: scripts/release.sh [--out DIR] [--build DIR] (--sign-key NAME --sign-keyring FILE [--passphrase-file F]
#        | --unsigned)   --build: an existing release build to package (default: build-release/, configured and
#        built here); the keyring is a binary OpenPGP file holding the secret key (see scripts/package-plugin.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/dist
BUILD=""
SIGN=()
UNSIGNED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift ;;
    --build) BUILD=$2; shift ;;
    --sign-key) SIGN+=(--key "$2"); shift ;;
    --sign-keyring) SIGN+=(--keyring "$2"); shift ;;
    --passphrase-file) SIGN+=(--passphrase-file "$2"); shift ;;
    --unsigned) UNSIGNED=1 ;;
    *) echo "usage: scripts/release.sh [--out DIR] [--build DIR] (--sign-key NAME --sign-keyring FILE | --unsigned)" >&2
       exit 2 ;;
  esac
  shift
done
if [ $UNSIGNED -eq 0 ] && [ ${#SIGN[@]} -lt 4 ]; then
  echo "release.sh: the Helm plugin tarball must be signed: pass --sign-key NAME --sign-keyring FILE (or --unsigned" \
       "for a test release: Helm 4 then installs it only with --verify=false)" >&2
  exit 2
fi
DEPS=${CAPSTAN_DEPS_DIR:-$ROOT/.deps}
log() { echo "[release] $*" >&2; }

case "$(uname -m)" in
  x86_64) ARCH=amd64 ;;
  aarch64) ARCH=arm64 ;;
  *) log "unsupported architecture $(uname -m)"; exit 2 ;;
esac
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
  log "warning: the work tree has uncommitted changes; the binaries name commit $(git -C "$ROOT" rev-parse --short=12 HEAD)"
fi

if [ -z "$BUILD" ]; then
  BUILD=$ROOT/build-release
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAPSTAN_TESTS=OFF >/dev/null
  cmake --build "$BUILD" --target capstan capstan-postrender
fi
for b in capstan capstan-postrender; do
  [ -x "$BUILD/$b" ] || { log "$BUILD/$b is missing: build it first"; exit 1; }
  if readelf -l "$BUILD/$b" | grep -q INTERP; then log "$BUILD/$b is not static (it has a program interpreter)"; exit 1; fi
done
VERSION=$("$BUILD/capstan" --version | awk '{print $2}')
NAME=capstan_${VERSION}_linux_${ARCH}
mkdir -p "$OUT"
STAGE=$(mktemp -d); trap 'rm -rf "$STAGE"' EXIT

# --- the binaries' tarball ---------------------------------------------------------------------------------
mkdir -p "$STAGE/pkg"
for b in capstan capstan-postrender; do strip -o "$STAGE/pkg/$b" "$BUILD/$b"; done
cp "$ROOT/README.md" "$STAGE/pkg/"
cp "$ROOT/lib/goyaml/LICENSE.go-yaml" "$STAGE/pkg/LICENSE.go-yaml"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --mode=go-w \
    -C "$STAGE/pkg" -cf - . | gzip -9 -n > "$OUT/$NAME.tar.gz"
log "wrote $OUT/$NAME.tar.gz"

# --- the SBOM: what is linked into each binary, found by its symbols, with the Debian version it came from ------
deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo NOASSERTION; }
dsc_version() { # folder: the version in the Debian source package's .dsc that scripts/setup.sh fetched
  local dsc; dsc=$(ls "$1"/*.dsc 2>/dev/null | head -1)
  [ -n "$dsc" ] && awk '/^Version:/ {print $2; exit}' "$dsc" || echo NOASSERTION
}
# id|name|debian source package|version|license|symbol pattern (grep -E on nm -C output)
COMPONENTS=(
  "glibc|GNU C Library|glibc|$(deb_version libc6-dev)|LGPL-2.1-or-later|T __libc_start_main"
  "libstdcxx|GNU C++ Library (libstdc++)|gcc-12|$(deb_version libstdc++-12-dev)|GPL-3.0-or-later WITH GCC-exception-3.1|__cxa_throw"
  "openssl-crypto|OpenSSL libcrypto|openssl|$(deb_version libssl-dev)|Apache-2.0|T EVP_DigestInit_ex$"
  "openssl-ssl|OpenSSL libssl|openssl|$(deb_version libssl-dev)|Apache-2.0|T SSL_CTX_new$"
  "zlib|zlib|zlib|$(deb_version zlib1g-dev)|Zlib|T deflateInit2_$"
  "libfyaml|libfyaml|libfyaml|$(deb_version libfyaml-dev)|MIT|T fy_document_build_from_string$"
  "libpq|PostgreSQL libpq|postgresql-15|$(dsc_version "$DEPS/src/pg")|PostgreSQL|T PQconnectdb$"
  "cpp-httplib|cpp-httplib|cpp-httplib|$(dsc_version "$DEPS/src/httplib")|MIT|httplib::Client"
  "cli11|CLI11|cli11|$(deb_version libcli11-dev)|BSD-3-Clause|CLI::App::"
  "rapidjson|RapidJSON|rapidjson|$(deb_version rapidjson-dev)|MIT|rapidjson::"
  "go-yaml|go-yaml v2.4.0, ported to C++ (lib/goyaml)|-|2.4.0|Apache-2.0 AND MIT|capstan::goyaml::"
)
SBOM_INPUT=$STAGE/components.tsv
: > "$SBOM_INPUT"
for b in capstan capstan-postrender; do
  nm -C "$BUILD/$b" > "$STAGE/$b.nm"
  for c in "${COMPONENTS[@]}"; do
    IFS='|' read -r id name src version license pattern <<< "$c"
    if grep -qE "$pattern" "$STAGE/$b.nm"; then
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$id" "$name" "$src" "$version" "$license" >> "$SBOM_INPUT"
    fi
  done
done
python3 - "$SBOM_INPUT" "$OUT/$NAME.spdx.json" "$NAME" "$VERSION" "$ARCH" "$SOURCE_DATE_EPOCH" \
  "$(sha256sum "$STAGE/pkg/capstan" | cut -d' ' -f1)" "$(sha256sum "$STAGE/pkg/capstan-postrender" | cut -d' ' -f1)" \
  "$(git -C "$ROOT" rev-parse HEAD)" <<'PY'
import json, sys, datetime
rows_file, out, name, version, arch, epoch, sha_c, sha_p, commit = sys.argv[1:]
created = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
binaries = {"capstan": sha_c, "capstan-postrender": sha_p}
packages, relationships, seen = [], [], {}
for b, sha in binaries.items():
    packages.append({
        "SPDXID": f"SPDXRef-{b}", "name": b, "versionInfo": version, "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False, "licenseConcluded": "NOASSERTION", "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION", "checksums": [{"algorithm": "SHA256", "checksumValue": sha}],
        "sourceInfo": f"built from commit {commit}", "primaryPackagePurpose": "APPLICATION"})
    relationships.append({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                          "relatedSpdxElement": f"SPDXRef-{b}"})
for line in open(rows_file):
    b, cid, cname, src, ver, lic = line.rstrip("\n").split("\t")
    ported = src == "-"  # our own C++ translation of a library, not a Debian package
    if cid not in seen:
        seen[cid] = True
        purl = ("pkg:golang/sigs.k8s.io/yaml@v1.4.0#goyaml.v2" if ported else
                f"pkg:deb/debian/{src}@{ver}?arch=source&distro=debian-12")
        packages.append({
            "SPDXID": f"SPDXRef-{cid}", "name": cname, "versionInfo": ver,
            "supplier": "NOASSERTION" if ported else "Organization: Debian",
            "downloadLocation": "NOASSERTION", "filesAnalyzed": False, "licenseConcluded": "NOASSERTION",
            "licenseDeclared": lic, "copyrightText": "NOASSERTION",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": purl}],
            "primaryPackagePurpose": "LIBRARY"})
    relationships.append({"spdxElementId": f"SPDXRef-{b}",
                          "relationshipType": "CONTAINS" if ported else "STATIC_LINK",
                          "relatedSpdxElement": f"SPDXRef-{cid}"})
doc = {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": name,
       "documentNamespace": f"https://github.com/capstan-dev/capstan/spdx/{name}-{commit}",
       "creationInfo": {"created": created, "creators": ["Tool: capstan scripts/release.sh"]},
       "packages": packages, "relationships": relationships}
json.dump(doc, open(out, "w"), indent=2, sort_keys=True)
open(out, "a").write("\n")
PY
log "wrote $OUT/$NAME.spdx.json"

# --- the Helm 4 plugin tarball (and its .prov) --------------------------------------------------------------
mkdir -p "$STAGE/plugin/capstan/bin"
cp "$ROOT/postrender/helm-plugin/plugin.yaml" "$STAGE/plugin/capstan/"
cp "$STAGE/pkg/capstan-postrender" "$STAGE/plugin/capstan/bin/"
if [ $UNSIGNED -eq 1 ]; then SIGN=(--unsigned); fi
"$ROOT/scripts/package-plugin.sh" --plugin-dir "$STAGE/plugin/capstan" --dest "$OUT" --version "$VERSION" "${SIGN[@]}"
log "wrote $OUT/capstan-$VERSION.tgz"

# --- checksums of everything in the folder ----------------------------------------------------------------
(cd "$OUT" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | sort | xargs sha256sum > SHA256SUMS)
log "wrote $OUT/SHA256SUMS"
