#!/usr/bin/env bash
# One-time, idempotent set-up of the linux/arm64 cross build and of the image tools, on a Debian 12 amd64 machine
# (run by scripts/release.sh and scripts/test.sh, after scripts/setup.sh):
#   - Debian's cross toolchain (crossbuild-essential-arm64) and qemu-user-static (runs the arm64 tests);
#   - the arm64 -dev packages the static build links (dpkg --add-architecture arm64: libssl-dev:arm64,
#     zlib1g-dev:arm64, libfyaml-dev:arm64); the header-only ones (CLI11, RapidJSON, Catch2) are the host's;
#   - a minimal static libpq for arm64 in .deps/pq-arm64 (or $CAPSTAN_PQ_ARM64), built with the cross compiler from the same
#     postgresql-15 source package scripts/setup.sh fetched (.deps/src/pg);
#   - the OCI image tools (scripts/build-images.sh and its tests): skopeo, umoci, dnsmasq-base, ca-certificates.
# Usage: scripts/setup-cross.sh [--images-only]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS=${CAPSTAN_DEPS_DIR:-$ROOT/.deps}
log() { printf '[setup-cross] %s\n' "$*" >&2; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
IMAGES_ONLY=0; [ "${1:-}" = "--images-only" ] && IMAGES_ONLY=1

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
apt_install() { # packages...: installs the missing ones (--no-remove: never trade a host package for a foreign one)
  local missing=() p
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-remove "${missing[@]}" >/dev/null
}

# --- the image tools ----------------------------------------------------------------------------------------
apt_install skopeo umoci dnsmasq-base ca-certificates python3 util-linux
[ $IMAGES_ONLY -eq 1 ] && exit 0

# --- the cross toolchain and the arm64 libraries ------------------------------------------------------------
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  log "adding the arm64 architecture to dpkg"
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -qq
fi
apt_install crossbuild-essential-arm64 qemu-user-static binfmt-support \
            libssl-dev:arm64 zlib1g-dev:arm64 libfyaml-dev:arm64

# --- the static libpq for arm64, from the postgresql-15 source package scripts/setup.sh fetched ---------------
PQ=${CAPSTAN_PQ_ARM64:-$DEPS/pq-arm64}
if [ ! -s "$PQ/lib/libpq.a" ]; then
  tarball=$(ls "$DEPS"/src/pg/postgresql-15_*.orig.tar.* 2>/dev/null | head -1)
  [ -n "$tarball" ] || { log "the postgresql-15 source package is missing: run scripts/setup.sh first"; exit 3; }
  log "building a minimal static libpq for arm64 (OpenSSL only) with the cross compiler"
  rm -rf "$DEPS/src/pg-arm64"; mkdir -p "$DEPS/src/pg-arm64"
  tar -xf "$tarball" -C "$DEPS/src/pg-arm64"
  srcdir=$(find "$DEPS/src/pg-arm64" -maxdepth 1 -type d -name 'postgresql-15*' | head -1)
  (cd "$srcdir" && ./configure -q --build=x86_64-linux-gnu --host=aarch64-linux-gnu --prefix="$PQ" \
        CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar RANLIB=aarch64-linux-gnu-ranlib \
        STRIP=aarch64-linux-gnu-strip PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig \
        --with-openssl --without-readline --without-zlib --without-icu --without-gssapi --without-ldap \
        CFLAGS="-O2 -fPIC" >/dev/null &&
   make -s -C src/include install >/dev/null && make -s -j"$(nproc)" -C src/common install >/dev/null &&
   make -s -j"$(nproc)" -C src/port install >/dev/null && make -s -j"$(nproc)" -C src/interfaces/libpq install >/dev/null)
  [ -s "$PQ/lib/libpq.a" ] || { log "the arm64 libpq build failed"; exit 3; }
  rm -rf "$DEPS/src/pg-arm64"
fi
log "ready: aarch64-linux-gnu-g++ $(aarch64-linux-gnu-g++ -dumpversion), qemu-aarch64-static, pq=$PQ"
