#!/usr/bin/env bash
# scripts/build-images.sh on the amd64 and arm64 builds' capstan (run by scripts/test.sh after the arm64 cross
# build): built twice, the two layouts are byte for byte the same (same digests); Debian's skopeo reads both images
# for both platforms from the multi-arch index (user 1001:1001, entrypoint /capstan, the layers); umoci unpacks
# each platform: the hook image is /capstan (static, the right CPU) + the CA bundle and nothing else, the backup
# image adds pg_dump, pg_restore and psql with their libraries, which run (amd64) in a chroot as uid 1001. Then
# tests/build/image_job_test.sh runs the unpacked amd64 backup image the way a Kubernetes Job would.
#   tests/build/images_test.sh AMD64_BUILD_DIR ARM64_BUILD_DIR
set -uo pipefail
export PATH=$PATH:/usr/sbin:/sbin  # chroot, dnsmasq
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AMD64=$(realpath "$1") ARM64=$(realpath "$2")
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for t in skopeo umoci; do command -v $t >/dev/null || fail "$t is missing (scripts/setup-cross.sh installs it)"; done
V=$("$AMD64/capstan" --version | awk '{print $2}')
build() { # out dir
  "$ROOT/scripts/build-images.sh" --capstan amd64="$AMD64/capstan" --capstan arm64="$ARM64/capstan" --version "$V" \
    --out "$1" 2>> "$WORK/log" || { cat "$WORK/log" >&2; fail "build-images.sh failed"; }
}
start=$(date +%s)
build "$WORK/a"
build "$WORK/b"
echo "ok: images built twice in $(( $(date +%s) - start ))s"
for img in hook backup; do
  (cd "$WORK/a/$img" && find . -type f | sort | xargs sha256sum) > "$WORK/$img.a"
  (cd "$WORK/b/$img" && find . -type f | sort | xargs sha256sum) > "$WORK/$img.b"
  cmp -s "$WORK/$img.a" "$WORK/$img.b" || { diff "$WORK/$img.a" "$WORK/$img.b" >&2; fail "two builds of $img differ"; }
done
echo "ok: two builds give the same digests"

for img in hook backup; do
  for arch in amd64 arm64; do
    skopeo inspect --override-arch "$arch" "oci:$WORK/a/$img:$V" > "$WORK/inspect.json" 2>&1 ||
      { cat "$WORK/inspect.json" >&2; fail "skopeo inspect $img ($arch)"; }
    skopeo inspect --config --override-arch "$arch" "oci:$WORK/a/$img:$V" > "$WORK/config.json" 2>&1 ||
      { cat "$WORK/config.json" >&2; fail "skopeo inspect --config $img ($arch)"; }
    python3 - "$WORK/inspect.json" "$WORK/config.json" "$img" "$arch" <<'PY' || fail "skopeo inspect $img $arch: wrong"
import json, sys
inspect, config, img, arch = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3], sys.argv[4]
assert inspect["Architecture"] == arch and inspect["Os"] == "linux", inspect
assert len(inspect["Layers"]) == (1 if img == "hook" else 2), inspect["Layers"]
c = config["config"]
assert c["User"] == "1001:1001", c
assert c["Entrypoint"] == ["/capstan"], c
assert "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" in c["Env"], c
assert (img == "backup") == ("PG_BIN=/usr/lib/postgresql/15/bin" in c["Env"]), c
PY
  done
done
echo "ok: skopeo inspects both images for amd64 and arm64"

for arch in amd64 arm64; do
  for img in hook backup; do
    b=$WORK/unpack-$img-$arch
    rootless=(); [ "$(id -u)" -eq 0 ] || rootless=(--rootless)
    umoci unpack "${rootless[@]}" --image "$WORK/a/$img:$V-$arch" "$b" > "$WORK/umoci.log" 2>&1 ||
      { cat "$WORK/umoci.log" >&2; fail "umoci unpack $img ($arch)"; }
    r=$b/rootfs
    [ -x "$r/capstan" ] || fail "$img ($arch) has no /capstan"
    readelf -l "$r/capstan" | grep -q INTERP && fail "$img ($arch): /capstan is not static"
    m=$(readelf -h "$r/capstan" | grep Machine:)
    case "$arch" in amd64) grep -q X86-64 <<< "$m" ;; arm64) grep -q AArch64 <<< "$m" ;; esac || fail "$img ($arch): $m"
    grep -q 'BEGIN CERTIFICATE' "$r/etc/ssl/certs/ca-certificates.crt" || fail "$img ($arch): no CA bundle"
    for f in bin/sh usr/bin/sh etc/passwd etc/group; do [ -e "$r/$f" ] && fail "$img ($arch) has /$f"; done
    if [ $img = hook ]; then
      extra=$(cd "$r" && find . -type f ! -path ./capstan ! -path ./etc/ssl/certs/ca-certificates.crt)
      [ -z "$extra" ] || fail "the hook image ($arch) holds more than capstan and the CA bundle: $extra"
    else
      for b in pg_dump pg_restore psql; do [ -x "$r/usr/lib/postgresql/15/bin/$b" ] || fail "backup ($arch): no $b"; done
    fi
  done
done
echo "ok: umoci unpacks both images for both platforms; the hook image is capstan and the CA bundle only"

if [ "$(id -u)" -eq 0 ]; then
  r=$WORK/unpack-backup-amd64/rootfs
  for b in pg_dump pg_restore psql; do
    out=$(chroot --userspec=1001:1001 --groups=1001 "$r" "/usr/lib/postgresql/15/bin/$b" --version 2>&1) ||
      fail "$b does not run in the backup image: $out"
    echo "ok: $out (in the amd64 backup image, uid 1001)"
  done
  if command -v qemu-aarch64-static >/dev/null; then
    r=$WORK/unpack-backup-arm64/rootfs
    cp "$(command -v qemu-aarch64-static)" "$r/qemu-aarch64-static"  # a static emulator inside the root
    out=$(chroot --userspec=1001:1001 --groups=1001 "$r" /qemu-aarch64-static /usr/lib/postgresql/15/bin/pg_dump --version 2>&1) ||
      fail "pg_dump does not run in the arm64 backup image (qemu): $out"
    rm "$r/qemu-aarch64-static"
    echo "ok: $out (in the arm64 backup image, under qemu)"
  fi
fi
bash "$ROOT/tests/build/image_job_test.sh" "$WORK/unpack-backup-amd64/rootfs"; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 77 ] || fail "the Job-like run of the backup image failed"
echo "ok: images reproducible, valid and runnable"
