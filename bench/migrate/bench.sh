#!/usr/bin/env bash
# Benchmark: apply the same N (default 1,000) migration files to an empty database with `capstan migrate apply`
# and, side by side, with plain psql, printing the times and the ratios. Two psql baselines:
#   psql-per-file:  `psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f FILE` once per file, in version order
#                   (the usual way deploy scripts run a migrations directory);
#   psql-session:   ONE psql session that runs `BEGIN; \i FILE; COMMIT;` per file (one connection, one transaction
#                   per file, like capstan; the strictest baseline, with no history bookkeeping at all).
# capstan does more than either: checksums, the advisory lock, a history row per migration in the same
# transaction. Needs a running server: tests/harness/pg.sh start (its .pg-test/env is read when present).
# Usage: bench/migrate/bench.sh [N] [ROUNDS]   (CAPSTAN=path/to/capstan, default build/capstan; PER_FILE_ROUNDS=1;
#        PER_FILE=0 skips the per-file psql run)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-1000}
ROUNDS=${2:-3}
CAPSTAN=${CAPSTAN:-$ROOT/build/capstan}
[ -x "$CAPSTAN" ] || { echo "bench: $CAPSTAN not built (cmake --build build --target capstan)" >&2; exit 2; }
if [ -f "$ROOT/.pg-test/env" ]; then set -a; . "$ROOT/.pg-test/env"; set +a; fi
command -v psql >/dev/null || { echo "bench: psql not found" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK/m" "$N" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
for i in range(1, n + 1):
    t = f"t{i:05d}"
    sql = [f"-- migration {i}: table {t}",
           f"CREATE TABLE {t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,"
           f" amount numeric(12,2) DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now());",
           f"CREATE INDEX {t}_name ON {t} (name);",
           f"INSERT INTO {t} (name, amount) SELECT 'row ' || g, g * 1.5 FROM generate_series(1, 20) g;"]
    if i > 1 and i % 10 == 0:
        sql.append(f"ALTER TABLE t{i-1:05d} ADD COLUMN note_{i} text;")
        sql.append(f"COMMENT ON TABLE {t} IS 'migration {i}';")
    open(os.path.join(d, f"V{i}__create_{t}.sql"), "w").write("\n".join(sql) + "\n")
PY
ls "$WORK/m" | sort -V > "$WORK/order"
{ echo '\set ON_ERROR_STOP 1'; while read -r f; do printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$WORK/m/$f"; done < "$WORK/order"; } > "$WORK/session.sql"

now() { date +%s%N; }
fresh_db() { psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null; }

run_capstan() {
  fresh_db bench_capstan
  local t0; t0=$(now)
  PGDATABASE=bench_capstan "$CAPSTAN" migrate apply -q -d "$WORK/m" > "$WORK/summary.json"
  echo $(( ($(now) - t0) / 1000000 ))
}
run_psql_files() {
  fresh_db bench_psql_files
  local t0; t0=$(now)
  while read -r f; do
    PGDATABASE=bench_psql_files psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$WORK/m/$f" >/dev/null
  done < "$WORK/order"
  echo $(( ($(now) - t0) / 1000000 ))
}
run_psql_session() {
  fresh_db bench_psql_session
  local t0; t0=$(now)
  PGDATABASE=bench_psql_session psql -X -q -f "$WORK/session.sql" >/dev/null
  echo $(( ($(now) - t0) / 1000000 ))
}

best() { sort -n | head -1; }
declare -a C F S
# psql per file starts N processes and connections (minutes on a busy machine): one round unless PER_FILE_ROUNDS.
[ "${PER_FILE:-1}" = 0 ] && F=(0)
[ "${PER_FILE:-1}" = 0 ] || for r in $(seq "${PER_FILE_ROUNDS:-1}"); do F+=("$(run_psql_files)"); done
for r in $(seq "$ROUNDS"); do
  C+=("$(run_capstan)"); S+=("$(run_psql_session)")
done
c=$(printf '%s\n' "${C[@]}" | best); f=$(printf '%s\n' "${F[@]}" | best); s=$(printf '%s\n' "${S[@]}" | best)
applied=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["applied"]))' "$WORK/summary.json")
tables=$(psql -X -qtA -d bench_capstan -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't%'")
for db in bench_capstan bench_psql_files bench_psql_session; do psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; done
[ "$applied" = "$N" ] && [ "$tables" = "$N" ] || { echo "bench: capstan applied $applied, tables $tables, expected $N" >&2; exit 1; }
echo "migrations: $N files, best of $ROUNDS rounds (runs: capstan ${C[*]} ms; psql-per-file ${F[*]} ms; psql-session ${S[*]} ms)"
printf '%-44s %8s ms\n' "capstan migrate apply (history, lock, checksums)" "$c" \
       "psql -f per file (--single-transaction)" "$f" "psql one session (BEGIN; \\i; COMMIT per file)" "$s"
python3 -c "
import sys
c, f, s = map(float, sys.argv[1:])
pf = f'{c/f:.2f}x' if f > 0 else 'n/a (PER_FILE=0)'
print(f'ratio capstan/psql-per-file: {pf}   ratio capstan/psql-session: {c/s:.2f}x   (done when <= 1.2x)')" "$c" "$f" "$s"
