#!/usr/bin/env bash
# Benchmark: `capstan backup` into S3 (dump + archive streamed as multipart uploads, then read back and verified;
# also with encryption) side by side with the pipelines charts write, `pg_dump -Fc | aws s3 cp -` and
# `tar czf - DIR | aws s3 cp -` (Debian's awscli, no verification), against the same s3rver (npm, over TLS on
# loopback), the same database and directory as bench/backup/run.sh. Wall time and peak memory (RSS) of each.
# Needs the test PostgreSQL (tests/harness/pg.sh start), a release build (build/capstan), scripts/setup.sh (s3rver,
# awscli). Usage: bench/backup/s3.sh [DB_MB=520] [FILES=10000]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DB_MB=${1:-520}
FILES=${2:-10000}
CAPSTAN=${CAPSTAN:-$ROOT/build/capstan}
AWS=${AWS:-/usr/bin/aws}
S3RVER=$ROOT/.deps/s3rver/node_modules/s3rver/bin/s3rver.js
[ -x "$CAPSTAN" ] || { echo "build capstan first (cmake --build build --target capstan)" >&2; exit 2; }
[ -x "$AWS" ] && [ -f "$S3RVER" ] || { echo "run scripts/setup.sh first (awscli, s3rver)" >&2; exit 2; }
WORK=${BENCH_DIR:-/tmp/capstan-bench-backup}
mkdir -p "$WORK"
# The database and the directory: made (once) by run.sh's generators, which this reuses.
BENCH_PREPARE_ONLY=1 "$ROOT/bench/backup/run.sh" "$DB_MB" "$FILES"
set -a; . "$ROOT/.pg-test/env"; set +a
export PGSSLMODE=verify-full PGSSLROOTCERT=$CAPSTAN_TEST_PG_CA PGDATABASE=capstan_bench_backup
DATA=$WORK/data

# s3rver over TLS with a throw-away CA (our client and aws both verify it).
S3=$WORK/s3; rm -rf "$S3"; mkdir -p "$S3/data"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca -keyout "$S3/ca.key" -out "$S3/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$S3/server.key" -out "$S3/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$S3/ext"
openssl x509 -req -in "$S3/server.csr" -CA "$S3/ca.crt" -CAkey "$S3/ca.key" -CAcreateserial -days 2 \
  -extfile "$S3/ext" -out "$S3/server.crt" 2>/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node --openssl-legacy-provider "$S3RVER" -d "$S3/data" -a 127.0.0.1 -p "$PORT" --key "$S3/server.key" \
  --cert "$S3/server.crt" --no-vhost-buckets --configure-bucket bench --silent >"$S3/log" 2>&1 &
S3PID=$!
trap 'kill $S3PID 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL=https://127.0.0.1:$PORT AWS_CA_BUNDLE=$S3/ca.crt AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
for _ in $(seq 100); do "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" s3 ls s3://bench >/dev/null 2>&1 && break; sleep 0.1; done
openssl rand -base64 32 > "$S3/key"

# One run: wall seconds and peak RSS (MB) of a command line, summed over its processes for pipelines
# (bash -c under /usr/bin/time: the children's maximum RSS).
measure() { # name, then the command (a string run by bash)
  local name=$1; shift
  sync
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$S3/rss" bash -c "$1"
  t1=$(date +%s.%N)
  printf '%s %s %s\n' "$name" "$(echo "$t1 - $t0" | bc)" "$(( $(tail -1 "$S3/rss") / 1024 ))"
}
E="--endpoint-url $AWS_ENDPOINT_URL"
results=$(
  measure shell "pg_dump -Fc | $AWS $E s3 cp - s3://bench/shell/db.dump && tar czf - -C '$DATA' . | $AWS $E s3 cp - s3://bench/shell/files.tar.gz"
  measure capstan "'$CAPSTAN' backup --backup-root s3://bench/capstan --dir '$DATA' -o json -q > '$S3/capstan.json'"
  measure encrypted "'$CAPSTAN' backup --backup-root s3://bench/encrypted --dir '$DATA' --encryption-key-file '$S3/key' -o json -q > '$S3/encrypted.json'"
)
shell=$(awk '$1=="shell"{print $2}' <<<"$results")
printf '%-58s %8s %10s %8s\n' "run (same s3rver, same data)" "seconds" "peak MB" "x shell"
while read -r name secs rss; do
  case $name in
    shell) label="shell: pg_dump -Fc | aws s3 cp -; tar czf - | aws s3 cp -" ;;
    capstan) label="capstan backup s3:// (verification included)" ;;
    encrypted) label="capstan backup s3:// --encryption-key-file (verified)" ;;
  esac
  printf '%-58s %8.1f %10d %8.2f\n' "$label" "$secs" "$rss" "$(echo "$secs / $shell" | bc -l)"
done <<<"$results"
"$AWS" $E s3 ls --recursive --summarize s3://bench/ | tail -2
