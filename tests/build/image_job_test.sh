#!/usr/bin/env bash
# Runs an unpacked backup image (amd64) the way a Kubernetes Job runs it, against the test PostgreSQL
# (tests/harness/pg.sh): in a mount namespace of its own, the root filesystem is a read-only bind mount; as in a
# pod, the runtime mounts /etc/resolv.conf and /etc/hosts (files of this test), the Secret volume
# /var/run/secrets/db (password, CA), the migrations (read-only) and an emptyDir /tmp, plus /dev/null, /dev/zero,
# /dev/random, /dev/urandom; there is no /etc/passwd, and the commands run as uid/gid 1001 through chroot. The
# resolver is Debian's dnsmasq on 127.0.0.1:53 answering the Service name
# portal-postgresql.portal.svc.cluster.local (and nothing else) with 127.0.0.1; resolv.conf has the pod's search
# list and ndots:5, so the short name portal-postgresql resolves too. Then `capstan wait` (dns:, tcp://, postgres://
# by the Service name, TLS verified with the CA) and `capstan migrate status` reach the server by that name.
# Needs root (mount namespaces, chroot, port 53): skipped (exit 77) otherwise.
#   tests/build/image_job_test.sh ROOTFS
set -uo pipefail
export PATH=$PATH:/usr/sbin:/sbin  # chroot, dnsmasq
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROOTFS=$(realpath "$1")
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "the Job-like run of the image needs root (mount namespace, chroot, port 53)"
for t in dnsmasq unshare chroot mount; do command -v $t >/dev/null || fail "$t is missing (scripts/setup-cross.sh)"; done
PG_ENV=${CAPSTAN_PG_DIR:-$ROOT/.pg-test}/env
[ -f "$PG_ENV" ] || fail "no test PostgreSQL: start it with tests/harness/pg.sh start"
# shellcheck disable=SC1090
. "$PG_ENV"
[ -x "$ROOTFS/capstan" ] || fail "$ROOTFS/capstan is missing"
[ -e "$ROOTFS/etc/passwd" ] && fail "the image has an /etc/passwd"
WORK=$(mktemp -d)
DNS_PID=""
cleanup() { [ -n "$DNS_PID" ] && kill "$DNS_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
SVC=portal-postgresql.portal.svc.cluster.local

# --- the pod's resolver: dnsmasq on 127.0.0.1:53, the one name -------------------------------------------------
dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll --bind-interfaces \
        --listen-address=127.0.0.1 --port=53 --address=/$SVC/127.0.0.1 --user=root --pid-file="$WORK/dnsmasq.pid" \
        --log-facility="$WORK/dnsmasq.log" --log-queries 2> "$WORK/dnsmasq.err" &
DNS_PID=$!
sleep 0.5
if ! kill -0 "$DNS_PID" 2>/dev/null; then
  cat "$WORK/dnsmasq.err" >&2
  grep -qi 'address already in use' "$WORK/dnsmasq.err" && skip "127.0.0.1:53 is taken on this machine (another resolver)"
  fail "dnsmasq did not start"
fi
printf 'search portal.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.0.0.1\noptions ndots:5\n' \
  > "$WORK/resolv.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$WORK/hosts"
mkdir -p "$WORK/secret" "$WORK/migrations"
printf '%s' "$PGPASSWORD" > "$WORK/secret/password"
cp "$CAPSTAN_TEST_PG_CA" "$WORK/secret/ca.crt"
chmod 0444 "$WORK/secret/password" "$WORK/secret/ca.crt"
table=capstan_image_job_$$
printf 'CREATE TABLE %s_t (id int);\n' "$table" > "$WORK/migrations/V1__first.sql"
chmod -R a+rX "$WORK"

# --- the pod: the mount points the runtime creates, then the mounts, then the root made read-only ----------------
for f in etc/resolv.conf etc/hosts dev/null dev/zero dev/random dev/urandom; do
  mkdir -p "$ROOTFS/$(dirname "$f")"; [ -e "$ROOTFS/$f" ] || : > "$ROOTFS/$f"
done
mkdir -p "$ROOTFS/var/run/secrets/db" "$ROOTFS/migrations" "$ROOTFS/tmp"
cat > "$WORK/pod.sh" <<'POD'
set -eu
R=$1 W=$2; shift 2
mount --bind "$R" "$R"
mount --bind "$W/resolv.conf" "$R/etc/resolv.conf"
mount --bind "$W/hosts" "$R/etc/hosts"
mount --bind "$W/secret" "$R/var/run/secrets/db"; mount -o remount,bind,ro "$R/var/run/secrets/db"
mount --bind "$W/migrations" "$R/migrations"; mount -o remount,bind,ro "$R/migrations"
mount -t tmpfs -o size=16m,mode=1777 tmpfs "$R/tmp"
for d in null zero random urandom; do mount --bind "/dev/$d" "$R/dev/$d"; done
mount -o remount,bind,ro "$R"
if touch "$R/probe-write" 2>/dev/null; then echo "the root is writable" >&2; exit 90; fi
CHROOT=$(command -v chroot)
exec env -i PATH=/usr/bin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PG_BIN=/usr/lib/postgresql/15/bin \
  HOME=/ "$CHROOT" --userspec=1001:1001 --groups=1001 "$R" "$@"
POD
pod() { unshare --mount --propagation private bash "$WORK/pod.sh" "$ROOTFS" "$WORK" "$@"; }

out=$(pod /capstan wait --timeout 30s "dns:$SVC" "dns:portal-postgresql" "tcp://$SVC:$PGPORT" \
      "postgres://$PGUSER@$SVC:$PGPORT/$PGDATABASE?sslmode=verify-ca (password-file=/var/run/secrets/db/password, ca=/var/run/secrets/db/ca.crt)" 2>&1)
rc=$?
echo "$out"
[ $rc -ne 90 ] || fail "the root filesystem was not read-only"
[ $rc -eq 0 ] || { cat "$WORK/dnsmasq.log" >&2 2>/dev/null; fail "capstan wait failed in the image (exit $rc)"; }
grep -q "query\[A\] $SVC" "$WORK/dnsmasq.log" || fail "capstan wait did not ask the resolver for $SVC"
echo "ok: capstan wait reached PostgreSQL by its Service name (read-only root, uid 1001, no /etc/passwd)"

out=$(pod /capstan migrate status -d /migrations --history-table "$table" --host "$SVC" --port "$PGPORT" \
      --user "$PGUSER" --dbname "$PGDATABASE" --password-file /var/run/secrets/db/password --sslmode verify-ca \
      --sslrootcert /var/run/secrets/db/ca.crt 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "capstan migrate status failed in the image (exit $rc)"
grep -q '"state": "pending"' <<< "$out" || fail "capstan migrate status does not show V1 pending"
echo "ok: capstan migrate status reached PostgreSQL by its Service name"

# A name the resolver does not know fails, and says so (the binary really asks the resolver: no hidden fallback).
out=$(pod /capstan wait --timeout 3s "dns:unknown-service.portal.svc.cluster.local" 2>&1) && fail "an unknown name resolved: $out"
echo "ok: an unknown Service name does not resolve: $(tail -1 <<< "$out")"
