#!/usr/bin/env bash
# Builds the release artifacts for linux/amd64 and linux/arm64 (or --arch) into dist/ (or --out DIR):
#   capstan_<V>_linux_<arch>.tar.gz       capstan and capstan-postrender (static, stripped), README.md, LICENSES
#   capstan_<V>_linux_<arch>.spdx.json    SPDX 2.3 SBOM: both binaries and every library linked into them, with the
#                                          exact Debian package (or source package) version it came from
#   capstan-<V>.tgz (+ .prov)              the Helm 4 plugin (the amd64 capstan-postrender), by `helm plugin
#                                          package` (scripts/package-plugin.sh), signed with --sign-key/--sign-keyring
#                                          (or --unsigned: no .prov)
#   capstan-release.asc, .gpg              the signing key's public key (ASCII armor; binary for Helm's --keyring)
#   SHA256SUMS.asc                         a detached signature of SHA256SUMS by the same key (not with --unsigned)
#   SHA256SUMS                             sha256sum format, every artifact in the folder
# Reproducible: file times, owners and order in the tarball come from the commit (SOURCE_DATE_EPOCH, the commit's
# date unless set), gzip stores no name or time; the same commit and toolchain give the same bytes -- except the
# plugin tarball, which `helm plugin package` stamps with the time it runs (its contents are the same).
# arm64 is cross-built on amd64 with Debian's cross toolchain (scripts/setup-cross.sh, cmake/toolchain-aarch64-
# linux-gnu.cmake) in build-release-arm64/; its binaries' --version runs under qemu-aarch64-static here.
# Usage: scripts/release.sh [--out DIR] [--arch "amd64 arm64"] [--build DIR]
#        (--sign-key NAME --sign-keyring FILE [--passphrase-file F] | --unsigned)
#   --arch: the architectures (amd64, arm64 or both, space- or comma-separated; default both);
#   --build: an existing static build to package instead of building it (repeatable: one per architecture, found
#   from its binaries; without --arch, only the architectures of the builds given); the keyring is a binary OpenPGP file holding the secret key (scripts/package-plugin.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/dist
BUILD_DIRS=()
ARCHES=""
SIGN=()
KEY_NAME="" KEYRING="" PASSFILE=""
UNSIGNED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift ;;
    --build) BUILD_DIRS+=("$2"); shift ;;
    --arch) ARCHES=${2//,/ }; shift ;;
    --sign-key) SIGN+=(--key "$2"); KEY_NAME=$2; shift ;;
    --sign-keyring) SIGN+=(--keyring "$2"); KEYRING=$2; shift ;;
    --passphrase-file) SIGN+=(--passphrase-file "$2"); PASSFILE=$2; shift ;;
    --unsigned) UNSIGNED=1 ;;
    *) echo "usage: scripts/release.sh [--out DIR] [--arch LIST] [--build DIR] (--sign-key NAME --sign-keyring FILE" \
            "| --unsigned)" >&2
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

[ "$(uname -m)" = x86_64 ] || { log "release.sh builds on linux/amd64 (arm64 is cross-built)"; exit 2; }
elf_arch() { case "$(readelf -h "$1" | awk -F: '/Machine:/ {print $2}')" in *X86-64*) echo amd64 ;; *AArch64*) echo arm64 ;; esac; }
declare -A BUILDS=()
for b in "${BUILD_DIRS[@]}"; do
  [ -x "$b/capstan" ] || { log "$b/capstan is missing: build it first"; exit 1; }
  BUILDS[$(elf_arch "$b/capstan")]=$b
done
[ ${#BUILD_DIRS[@]} -gt 0 ] && ARCHES=${ARCHES:-${!BUILDS[*]}}
ARCHES=${ARCHES:-amd64 arm64}
for a in $ARCHES; do case "$a" in amd64|arm64) ;; *) log "unsupported architecture $a"; exit 2 ;; esac; done
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
  log "warning: the work tree has uncommitted changes; the binaries name commit $(git -C "$ROOT" rev-parse --short=12 HEAD)"
fi
mkdir -p "$OUT"
STAGE=$(mktemp -d); trap 'rm -rf "$STAGE"' EXIT
deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo NOASSERTION; }
dsc_version() { # folder: the version in the Debian source package's .dsc that scripts/setup.sh fetched
  local dsc; dsc=$(ls "$1"/*.dsc 2>/dev/null | head -1)
  [ -n "$dsc" ] && awk '/^Version:/ {print $2; exit}' "$dsc" || echo NOASSERTION
}

release_arch() { # arch: build (unless --build names it), then the tarball and the SBOM
local ARCH=$1 BUILD=${BUILDS[$1]:-}
local TOOL="" RUN=() LIBC_DEV=libc6-dev LIBSTDCXX_DEV=libstdc++-12-dev DEBARCH="" GLIBC_SRC=glibc LIBSTDCXX_SRC=gcc-12
if [ "$ARCH" = arm64 ]; then
  TOOL=aarch64-linux-gnu-; RUN=(qemu-aarch64-static); DEBARCH=:arm64
  # What the cross compiler links: Debian's cross packages (binary packages of cross-toolchain-base and
  # gcc-12-cross, named in the SBOM by their own name: arch=all).
  LIBC_DEV=libc6-dev-arm64-cross; LIBSTDCXX_DEV=libstdc++-12-dev-arm64-cross
  GLIBC_SRC=$LIBC_DEV; LIBSTDCXX_SRC=$LIBSTDCXX_DEV
fi
if [ -z "$BUILD" ]; then
  if [ "$ARCH" = amd64 ]; then
    BUILD=$ROOT/build-release
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAPSTAN_TESTS=OFF >/dev/null
  else
    "$ROOT/scripts/setup-cross.sh"
    BUILD=$ROOT/build-release-arm64
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAPSTAN_TESTS=OFF \
          -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-aarch64-linux-gnu.cmake" >/dev/null
  fi
  cmake --build "$BUILD" --target capstan capstan-postrender
fi
for b in capstan capstan-postrender; do
  [ -x "$BUILD/$b" ] || { log "$BUILD/$b is missing: build it first"; exit 1; }
  if readelf -l "$BUILD/$b" | grep -q INTERP; then log "$BUILD/$b is not static (it has a program interpreter)"; exit 1; fi
  [ "$(elf_arch "$BUILD/$b")" = "$ARCH" ] || { log "$BUILD/$b is not a linux/$ARCH binary"; exit 1; }
done
VERSION=$("${RUN[@]}" "$BUILD/capstan" --version | awk '{print $2}')
"${RUN[@]}" "$BUILD/capstan-postrender" --version >/dev/null || { log "$ARCH capstan-postrender --version failed"; exit 1; }
NAME=capstan_${VERSION}_linux_${ARCH}
rm -rf "$STAGE/pkg"
# --- the binaries' tarball ---------------------------------------------------------------------------------
mkdir -p "$STAGE/pkg"
for b in capstan capstan-postrender; do "${TOOL}strip" -o "$STAGE/pkg/$b" "$BUILD/$b"; done
cp "$ROOT/README.md" "$STAGE/pkg/"
cp "$ROOT/lib/goyaml/LICENSE.go-yaml" "$STAGE/pkg/LICENSE.go-yaml"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --mode=go-w \
    -C "$STAGE/pkg" -cf - . | gzip -9 -n > "$OUT/$NAME.tar.gz"
log "wrote $OUT/$NAME.tar.gz"

# --- the SBOM: what is linked into each binary, found by its symbols, with the Debian version it came from ------
# id|name|debian source package|version|license|symbol pattern (grep -E on nm -C output)
COMPONENTS=(
  "glibc|GNU C Library|$GLIBC_SRC|$(deb_version $LIBC_DEV)|LGPL-2.1-or-later|T __libc_start_main"
  "libstdcxx|GNU C++ Library (libstdc++)|$LIBSTDCXX_SRC|$(deb_version $LIBSTDCXX_DEV)|GPL-3.0-or-later WITH GCC-exception-3.1|__cxa_throw"
  "openssl-crypto|OpenSSL libcrypto|openssl|$(deb_version libssl-dev$DEBARCH)|Apache-2.0|T EVP_DigestInit_ex$"
  "openssl-ssl|OpenSSL libssl|openssl|$(deb_version libssl-dev$DEBARCH)|Apache-2.0|T SSL_CTX_new$"
  "zlib|zlib|zlib|$(deb_version zlib1g-dev$DEBARCH)|Zlib|T deflateInit2_$"
  "libfyaml|libfyaml|libfyaml|$(deb_version libfyaml-dev$DEBARCH)|MIT|T fy_document_build_from_string$"
  "libpq|PostgreSQL libpq|postgresql-15|$(dsc_version "$DEPS/src/pg")|PostgreSQL|T PQconnectdb$"
  "cpp-httplib|cpp-httplib|cpp-httplib|$(dsc_version "$DEPS/src/httplib")|MIT|httplib::Client"
  "cli11|CLI11|cli11|$(deb_version libcli11-dev)|BSD-3-Clause|CLI::App::"
  "rapidjson|RapidJSON|rapidjson|$(deb_version rapidjson-dev)|MIT|rapidjson::"
  "go-yaml|go-yaml v2.4.0, ported to C++ (lib/goyaml)|-|2.4.0|Apache-2.0 AND MIT|capstan::goyaml::"
)
SBOM_INPUT=$STAGE/components.tsv
: > "$SBOM_INPUT"
for b in capstan capstan-postrender; do
  "${TOOL}nm" -C "$BUILD/$b" > "$STAGE/$b.nm"
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
                f"pkg:deb/debian/{src}@{ver}?arch=all&distro=debian-12" if src.endswith("-cross") else
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

cp "$STAGE/pkg/capstan-postrender" "$STAGE/capstan-postrender-$ARCH"
}
for a in $ARCHES; do release_arch "$a"; done

# --- the Helm 4 plugin tarball (and its .prov): Helm's plugin format has one binary, the amd64 one -------------
if [ -f "$STAGE/capstan-postrender-amd64" ]; then
mkdir -p "$STAGE/plugin/capstan/bin"
cp "$ROOT/postrender/helm-plugin/plugin.yaml" "$STAGE/plugin/capstan/"
cp "$STAGE/capstan-postrender-amd64" "$STAGE/plugin/capstan/bin/capstan-postrender"
if [ $UNSIGNED -eq 1 ]; then SIGN=(--unsigned); fi
"$ROOT/scripts/package-plugin.sh" --plugin-dir "$STAGE/plugin/capstan" --dest "$OUT" --version "$VERSION" "${SIGN[@]}"
log "wrote $OUT/capstan-$VERSION.tgz"
fi

# --- the public key users verify with (capstan-release.asc), from the signing keyring ---------------------------
if [ $UNSIGNED -eq 0 ]; then
  export GNUPGHOME=$STAGE/gnupg; mkdir -m 0700 "$GNUPGHOME"
  gpg --batch --quiet --import "$KEYRING" 2>/dev/null
  gpg --batch --armor --export "$KEY_NAME" > "$OUT/capstan-release.asc"
  [ -s "$OUT/capstan-release.asc" ] || { log "no public key named $KEY_NAME in $KEYRING"; exit 1; }
  gpg --batch --export "$KEY_NAME" > "$OUT/capstan-release.gpg"  # binary: what helm plugin install --keyring reads
  log "wrote $OUT/capstan-release.asc and capstan-release.gpg"
fi

# --- checksums of everything in the folder ----------------------------------------------------------------
(cd "$OUT" && find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name SHA256SUMS.asc -printf '%f\n' | sort |
 xargs sha256sum > SHA256SUMS)
log "wrote $OUT/SHA256SUMS"
if [ $UNSIGNED -eq 0 ]; then
  pass=(); [ -n "${PASSFILE:-}" ] && pass=(--pinentry-mode loopback --passphrase-file "$PASSFILE")
  rm -f "$OUT/SHA256SUMS.asc"
  gpg --batch --quiet "${pass[@]}" --local-user "$KEY_NAME" --armor --detach-sign --output "$OUT/SHA256SUMS.asc" \
      "$OUT/SHA256SUMS"
  log "wrote $OUT/SHA256SUMS.asc (gpg --verify SHA256SUMS.asc SHA256SUMS, with capstan-release.asc imported)"
fi
