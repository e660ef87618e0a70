#!/usr/bin/env bash
# Builds the Capstan images as OCI image layouts, without a container engine, each with a multi-arch index
# (linux/amd64 and linux/arm64):
#   dist/images/hook     the static capstan (/capstan, the entrypoint) and the CA bundle
#                        (/etc/ssl/certs/ca-certificates.crt, made from Debian's ca-certificates package the way
#                        update-ca-certificates makes it); no shell, no /etc/passwd; user 1001:1001
#   dist/images/backup   the hook image's layer plus a layer with the PostgreSQL 15 client tools (pg_dump,
#                        pg_restore, psql in /usr/lib/postgresql/15/bin, PG_BIN) and exactly the shared libraries
#                        they load (followed through DT_NEEDED, into /usr/lib/<triplet>/) with the program
#                        interpreter, from Debian's packages (apt-get download, dpkg-deb -x) of each architecture,
#                        and those packages' copyright files in /usr/share/doc/<package>/
# Each layout's index.json names the multi-arch index REF (the version) and each platform's manifest REF-<arch>
# (for tools that do not choose a platform: umoci unpack --image dist/images/hook:0.1.0-amd64).
# Reproducible: SOURCE_DATE_EPOCH (default: the commit's date) for every time, sorted tar entries, numeric owners,
# gzip without name or time (scripts/oci_layout.py): the same binaries and Debian packages give the same digests.
# The binaries come from the release tarballs scripts/release.sh made (DIST/capstan_<V>_linux_<arch>.tar.gz), or
# from --capstan ARCH=PATH. Load an image into an engine with skopeo (see README.md, "Images").
# Usage: scripts/build-images.sh [--dist DIR] [--out DIR] [--arch "amd64 arm64"] [--capstan ARCH=PATH]...
#        [--version V] [--debs DIR (download cache, default build-images/debs)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=$ROOT/dist
OUT=""
ARCHES="amd64 arm64"
VERSION=""
DEBS=$ROOT/build-images/debs
declare -A BIN=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) DIST=$2; shift ;;
    --out) OUT=$2; shift ;;
    --arch) ARCHES=$2; shift ;;
    --capstan) BIN[${2%%=*}]=${2#*=}; shift ;;
    --version) VERSION=$2; shift ;;
    --debs) DEBS=$2; shift ;;
    *) echo "usage: scripts/build-images.sh [--dist DIR] [--out DIR] [--arch LIST] [--capstan ARCH=PATH]..." \
            "[--version V] [--debs DIR]" >&2; exit 2 ;;
  esac
  shift
done
OUT=${OUT:-$DIST/images}
log() { echo "[images] $*" >&2; }
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}
for tool in dpkg-deb apt-get apt-cache readelf python3; do
  command -v $tool >/dev/null || { log "$tool is missing (scripts/setup-cross.sh installs what this needs)"; exit 3; }
done
triplet() { case "$1" in amd64) echo x86_64-linux-gnu ;; arm64) echo aarch64-linux-gnu ;; *) return 1 ;; esac; }

WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

# --- the binaries ----------------------------------------------------------------------------------------------
if [ -z "$VERSION" ]; then
  first=$(ls "$DIST"/capstan_*_linux_*.tar.gz 2>/dev/null | head -1 || true)
  [ -n "$first" ] || { log "no release tarball in $DIST (run scripts/release.sh) and no --version"; exit 2; }
  VERSION=$(basename "$first" | sed -E 's/^capstan_(.*)_linux_[a-z0-9]+\.tar\.gz$/\1/')
fi
for arch in $ARCHES; do
  triplet "$arch" >/dev/null || { log "unsupported architecture $arch"; exit 2; }
  mkdir -p "$WORK/bin/$arch"
  if [ -n "${BIN[$arch]:-}" ]; then
    cp "${BIN[$arch]}" "$WORK/bin/$arch/capstan"
  else
    tarball=$DIST/capstan_${VERSION}_linux_${arch}.tar.gz
    [ -f "$tarball" ] || { log "$tarball is missing (scripts/release.sh --arch $arch, or --capstan $arch=PATH)"; exit 2; }
    tar -xzf "$tarball" -C "$WORK/bin/$arch" ./capstan
  fi
  readelf -l "$WORK/bin/$arch/capstan" | grep -q INTERP && { log "the $arch capstan is not static"; exit 1; }
  machine=$(readelf -h "$WORK/bin/$arch/capstan" | awk -F: '/Machine:/ {gsub(/^ +/, "", $2); print $2}')
  case "$arch:$machine" in amd64:*X86-64*|arm64:AArch64) ;; *) log "the $arch capstan is built for $machine"; exit 1 ;; esac
done

# --- Debian packages: downloaded once per version into the cache, unpacked here --------------------------------
# Which packages: postgresql-client-15 and, following Depends, every library package (lib*) it pulls in; only the
# files the tools load are copied into the image.
pkg_closure() { # arch -> package names, one a line
  local -A seen=(); local level=(postgresql-client-15) next p
  while [ ${#level[@]} -gt 0 ]; do
    for p in "${level[@]}"; do seen[$p]=1; echo "$p"; done
    mapfile -t next < <(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
                          --no-enhances "${level[@]/%/:$1}" 2>/dev/null | awk '$1 ~ /Depends:/ {print $2}' |
                        sed 's/:.*//' | grep -E '^(lib|zlib)' | sort -u)
    level=()
    for p in "${next[@]}"; do [ -z "${seen[$p]:-}" ] && level+=("$p"); done
  done
}
fetch_debs() { # arch packages... -> the .deb files (candidate versions), downloaded into the cache when missing
  local arch=$1; shift
  local dir=$DEBS/$arch p v f want=() missing=() q=":$arch"
  [ "$arch" = all ] && q=""
  mkdir -p "$dir"
  # apt-cache policy prints "name:arch:" (or "name:") then "  Candidate: version" for each package, in order.
  mapfile -t want < <(apt-cache policy "${@/%/$q}" |
                      awk '/^[^ ]/ {sub(/:$/, ""); sub(/:.*/, ""); p=$0} /Candidate:/ {print p "=" $2}')
  [ ${#want[@]} -eq $# ] || { log "apt-cache policy did not name all of: $*"; exit 3; }
  for p in "${want[@]}"; do
    v=${p#*=}
    [ "$v" != "(none)" ] || { log "no candidate for ${p%%=*}:$arch (apt-get update; scripts/setup-cross.sh)"; exit 3; }
    f=$dir/${p%%=*}_${v//:/%3a}_$arch.deb; [ "$arch" = all ] || [ -f "$f" ] || f=$dir/${p%%=*}_${v//:/%3a}_all.deb
    [ -f "$f" ] || [ -f "${f%_all.deb}_$arch.deb" ] || missing+=("${p%%=*}$q=$v")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "downloading ${#missing[@]} Debian packages ($arch)"
    (cd "$dir" && apt-get download -qq "${missing[@]}" 2>&1 >/dev/null | grep -v 'Download is performed unsandboxed' >&2 || true)
  fi
  for p in "${want[@]}"; do
    v=${p#*=}
    f=$(ls "$dir/${p%%=*}_${v//:/%3a}_"{"$arch",all}.deb 2>/dev/null | head -1 || true)
    [ -n "$f" ] || { log "download of ${p%%=*}:$arch=$v failed"; exit 3; }
    echo "$f"
  done
}

# The CA bundle, as update-ca-certificates writes it from the Mozilla certificates of the ca-certificates package.
ca_deb=$(fetch_debs all ca-certificates)
mkdir -p "$WORK/ca"; dpkg-deb -x "$ca_deb" "$WORK/ca"
CA_VERSION=$(dpkg-deb -f "$ca_deb" Version)
mkdir -p "$WORK/hook-common/etc/ssl/certs"
for crt in $(cd "$WORK/ca/usr/share/ca-certificates" && find mozilla -name '*.crt' | LC_ALL=C sort); do
  sed -e '$a\' "$WORK/ca/usr/share/ca-certificates/$crt"
done > "$WORK/hook-common/etc/ssl/certs/ca-certificates.crt"
[ -s "$WORK/hook-common/etc/ssl/certs/ca-certificates.crt" ] || { log "empty CA bundle"; exit 1; }
chmod 0644 "$WORK/hook-common/etc/ssl/certs/ca-certificates.crt"

declare -A PG_VERSIONS=()
for arch in $ARCHES; do
  t=$(triplet "$arch")
  # hook layer: /capstan and the CA bundle
  mkdir -p "$WORK/$arch/hook"
  cp -a "$WORK/hook-common/." "$WORK/$arch/hook/"
  install -m 0755 "$WORK/bin/$arch/capstan" "$WORK/$arch/hook/capstan"

  # backup layer: the PostgreSQL client tools and what they load
  mapfile -t pkgs < <(pkg_closure "$arch")
  mapfile -t debs < <(fetch_debs "$arch" "${pkgs[@]}")
  pkgroot=$WORK/$arch/pkgroot; mkdir -p "$pkgroot"
  declare -A owner=()
  for deb in "${debs[@]}"; do
    dpkg-deb -x "$deb" "$pkgroot"
    p=$(dpkg-deb -f "$deb" Package)
    while read -r path; do owner[$path]=$p; done < <(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
  done
  PG_VERSIONS[$arch]=$(for deb in "${debs[@]}"; do dpkg-deb -f "$deb" Package Version | paste -sd' '; done |
                       awk '{print $2"="$4}' | paste -sd,)
  layer=$WORK/$arch/backup
  bindir=usr/lib/postgresql/15/bin
  mkdir -p "$layer/$bindir" "$layer/usr/lib/$t"
  for b in pg_dump pg_restore psql; do install -m 0755 "$pkgroot/$bindir/$b" "$layer/$bindir/$b"; done
  # Follow DT_NEEDED from the three programs: each library is copied (its real file, under its soname) into
  # /usr/lib/<triplet>/; the program interpreter goes to the path the programs name.
  declare -A used_pkgs=([postgresql-client-15]=1)
  queue=("$layer/$bindir/pg_dump" "$layer/$bindir/pg_restore" "$layer/$bindir/psql")
  declare -A done_so=()
  while [ ${#queue[@]} -gt 0 ]; do
    elf=${queue[0]}; queue=("${queue[@]:1}")
    for so in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      [ -n "${done_so[$so]:-}" ] && continue
      done_so[$so]=1
      src=""
      for d in "lib/$t" "usr/lib/$t"; do [ -e "$pkgroot/$d/$so" ] && { src=$d/$so; break; }; done
      [ -n "$src" ] || { log "$so (needed by $(basename "$elf"), $arch) is in none of the downloaded packages"; exit 1; }
      real=$(realpath --relative-to="$pkgroot" "$pkgroot/$src")
      used_pkgs[${owner[/$real]:-?}]=1
      mode=0644; case "$so" in ld-linux*) mode=0755 ;; esac  # the kernel maps the interpreter only if executable
      install -m $mode "$pkgroot/$real" "$layer/usr/lib/$t/$so"
      queue+=("$layer/usr/lib/$t/$so")
    done
  done
  interp=$(readelf -l "$layer/$bindir/psql" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
  [ -n "$interp" ] || { log "psql ($arch) names no program interpreter"; exit 1; }
  mkdir -p "$layer/$(dirname "${interp#/}")"
  if [ -e "$layer/usr/lib/$t/$(basename "$interp")" ] && [ "$(dirname "$interp")" != "/usr/lib/$t" ]; then
    ln -s "/usr/lib/$t/$(basename "$interp")" "$layer/${interp#/}"
  else
    install -m 0755 "$(realpath "$pkgroot/${interp#/}")" "$layer/${interp#/}"
  fi
  for p in $(printf '%s\n' "${!used_pkgs[@]}" | grep -v '^?$' | sort); do
    if [ -f "$pkgroot/usr/share/doc/$p/copyright" ]; then
      install -D -m 0644 "$pkgroot/usr/share/doc/$p/copyright" "$layer/usr/share/doc/$p/copyright"
    fi
  done
  unset owner used_pkgs done_so
  find "$WORK/$arch" -type d -exec chmod 0755 {} +
done

# --- the layouts -------------------------------------------------------------------------------------------------
write_spec() { # name: the layout's spec for scripts/oci_layout.py
  local name=$1 spec=$WORK/$1.json
  python3 - "$spec" "$name" "$VERSION" "$SOURCE_DATE_EPOCH" "$WORK" "$ARCHES" "$CA_VERSION" \
    "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)" \
    "$(for a in $ARCHES; do echo "$a:${PG_VERSIONS[$a]}"; done)" <<'PY'
import json, sys
spec_file, name, version, epoch, work, arches, ca_version, commit, pg = sys.argv[1:]
pg_versions = dict(line.split(":", 1) for line in pg.splitlines() if line)
images = []
for arch in arches.split():
    layers = [{"root": f"{work}/{arch}/hook",
               "comment": f"capstan {version} (static) and the CA bundle of Debian ca-certificates {ca_version}"}]
    env = ["PATH=/usr/local/bin:/usr/bin:/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]
    labels = {"org.opencontainers.image.title": "capstan" if name == "hook" else "capstan-backup",
              "org.opencontainers.image.version": version, "org.opencontainers.image.revision": commit,
              "org.opencontainers.image.source": "https://github.com/capstan-dev/capstan",
              "dev.capstan.debian.ca-certificates": ca_version}
    if name == "backup":
        layers.append({"root": f"{work}/{arch}/backup",
                       "comment": "PostgreSQL 15 client tools from Debian: " + pg_versions[arch]})
        env.append("PG_BIN=/usr/lib/postgresql/15/bin")
        labels["dev.capstan.debian.packages"] = pg_versions[arch]
    images.append({"arch": arch, "variant": "v8" if arch == "arm64" else None, "layers": layers,
                   "config": {"User": "1001:1001", "Entrypoint": ["/capstan"], "Env": env, "WorkingDir": "/",
                              "Labels": labels},
                   "annotations": {k: v for k, v in labels.items() if k.startswith("org.opencontainers")}})
json.dump({"created_epoch": int(epoch), "ref": version, "images": images}, open(spec_file, "w"), indent=1)
PY
}
write_spec hook
write_spec backup
mkdir -p "$OUT/hook" "$OUT/backup"
mapfile -t digests < <(python3 "$ROOT/scripts/oci_layout.py" "$WORK/hook.json" "$OUT/hook" "$WORK/backup.json" "$OUT/backup")
[ ${#digests[@]} -eq 2 ] || { log "scripts/oci_layout.py failed"; exit 1; }
refs="$VERSION$(for a in $ARCHES; do printf ', %s' "$VERSION-$a"; done)"
log "wrote $OUT/hook (${digests[0]}; refs $refs)"
log "wrote $OUT/backup (${digests[1]}; refs $refs)"
