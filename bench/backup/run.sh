#!/usr/bin/env bash
# Benchmark: `capstan backup` (dump + archive + verification) side by side with the common shell pipeline
# (pg_dump -Fc, tar czf, sha256sum; no verification) on a database of >= 500 MB and a directory of 10,000 files.
# Needs the test PostgreSQL (tests/harness/pg.sh start) and a release build (build/capstan).
# Usage: bench/backup/run.sh [DB_MB=520] [FILES=10000]        Prints wall times and the ratio.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DB_MB=${1:-520}
FILES=${2:-10000}
CAPSTAN=${CAPSTAN:-$ROOT/build/capstan}
[ -x "$CAPSTAN" ] || { echo "build capstan first (cmake --build build --target capstan)" >&2; exit 2; }
[ -f "$ROOT/.pg-test/env" ] || { echo "start the test server first: tests/harness/pg.sh start" >&2; exit 2; }
set -a; . "$ROOT/.pg-test/env"; set +a
export PGSSLMODE=verify-full PGSSLROOTCERT=$CAPSTAN_TEST_PG_CA PGDATABASE=capstan_bench_backup
WORK=${BENCH_DIR:-/tmp/capstan-bench-backup}
mkdir -p "$WORK"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d postgres)

# 1. The database: wide rows (about 1 KB each), partly compressible, generated once and reused.
have=$("${PSQL[@]}" -Atc "SELECT coalesce((SELECT pg_database_size('capstan_bench_backup')), 0)" 2>/dev/null || echo 0)
if [ "$have" -lt $((DB_MB * 1000000)) ]; then
  echo "generating a ${DB_MB} MB database (once)..."
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS capstan_bench_backup" -c "CREATE DATABASE capstan_bench_backup"
  rows=$((DB_MB * 1000))
  psql -X -q -v ON_ERROR_STOP=1 -c "
    CREATE TABLE events (id bigint PRIMARY KEY, kind text, body text, amount numeric, at timestamptz);
    INSERT INTO events SELECT g, 'kind-' || (g % 17),
        md5(g::text) || repeat(md5((g * 7)::text) || md5(random()::text), 14) ,
        (g * 13 % 100000) / 100.0, '2026-01-01'::timestamptz + g * interval '1 second'
      FROM generate_series(1, $rows) g;
    CREATE INDEX events_kind ON events (kind);"
fi
size=$("${PSQL[@]}" -Atc "SELECT pg_database_size('capstan_bench_backup')")
echo "database: $((size / 1000000)) MB"

# 2. The directory: FILES files of 1..16 KB in 100 folders, generated once.
DATA=$WORK/data
if [ "$(find "$DATA" -type f 2>/dev/null | wc -l)" -ne "$FILES" ]; then
  rm -rf "$DATA"
  python3 - "$DATA" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
words = [bytes(rnd.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 9))) for _ in range(5000)]
for i in range(n):
    d = os.path.join(root, "folder%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    size = rnd.randint(1024, 16384)
    if i % 4 == 0:
        data = os.urandom(size)                      # already-compressed assets
    else:
        out = bytearray()
        while len(out) < size:
            out += rnd.choice(words) + b" "
        data = bytes(out[:size])
    with open(os.path.join(d, "file%05d.dat" % i), "wb") as f:
        f.write(data)
PY
fi
echo "directory: $(find "$DATA" -type f | wc -l) files, $(du -sm "$DATA" | cut -f1) MB"
[ "${BENCH_PREPARE_ONLY:-0}" = 1 ] && exit 0  # bench/backup/s3.sh: the data only

sync
# 3. The shell pipeline (as charts write it): dump, archive, checksums; no verification.
rm -rf "$WORK/shell" "$WORK/capstan"; mkdir -p "$WORK/shell"
t0=$(date +%s.%N)
pg_dump -Fc -f "$WORK/shell/db.dump"
tar czf "$WORK/shell/files.tar.gz" -C "$DATA" .
(cd "$WORK/shell" && sha256sum db.dump files.tar.gz > SHA256SUMS)
t1=$(date +%s.%N)
shell=$(echo "$t1 - $t0" | bc)

# 4. capstan backup: dump and archive in parallel, each hashed while written, then re-read and verified.
t0=$(date +%s.%N)
"$CAPSTAN" backup --backup-root "$WORK/capstan" --dir "$DATA" -o json -q > "$WORK/capstan.json"
t1=$(date +%s.%N)
capstan=$(echo "$t1 - $t0" | bc)

sd=$(stat -c %s "$WORK/shell/db.dump"); sa=$(stat -c %s "$WORK/shell/files.tar.gz")
cd_=$(stat -c %s "$WORK"/capstan/2*/database.dump); ca=$(stat -c %s "$WORK"/capstan/2*/dir-0-*.tar.gz)
printf '%-44s %8.1f s   dump %5d MB  archive %4d MB\n' "shell: pg_dump -Fc; tar czf; sha256sum" "$shell" $((sd/1000000)) $((sa/1000000))
printf '%-44s %8.1f s   dump %5d MB  archive %4d MB\n' "capstan backup (verification included)" "$capstan" $((cd_/1000000)) $((ca/1000000))
printf 'ratio capstan/shell: %.2f (<= 1.00 means capstan is no slower)\n' "$(echo "$capstan / $shell" | bc -l)"
rm -rf "$WORK/shell" "$WORK/capstan"
