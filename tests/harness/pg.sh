#!/usr/bin/env bash
# Starts or stops the real PostgreSQL server the tests use: Debian's postgresql-15, a private cluster on
# 127.0.0.1 with scram-sha-256 passwords and TLS (a test CA and a server certificate for 127.0.0.1/localhost).
# As root it runs the server as the `postgres` user. It writes $DIR/env (PGHOST, PGPORT, PGUSER, PGPASSWORD,
# PGDATABASE, CAPSTAN_TEST_PG_CA, PG_BIN) for the tests to read.
# Usage: tests/harness/pg.sh start|stop|status     (DIR defaults to <checkout>/.pg-test)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${CAPSTAN_PG_DIR:-$ROOT/.pg-test}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$PG_BIN/pg_ctl" ] || { echo "pg.sh: PostgreSQL server binaries not found (run scripts/setup.sh)" >&2; exit 3; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start() {
  if [ -f "$DIR/env" ] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    echo "pg.sh: already running ($DIR/env)"; return
  fi
  rm -rf "$DIR"; mkdir -p "$DIR/tls" "$DIR/run"
  local pw; pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
  local port; port=$(free_port)
  # Test PKI: a CA, and a server certificate for 127.0.0.1 and localhost.
  (cd "$DIR/tls" &&
   openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=capstan-test-ca" -keyout ca.key -out ca.crt 2>/dev/null &&
   openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null &&
   printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext &&
   openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile san.ext -out server.crt 2>/dev/null &&
   openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=other-ca" -keyout other-ca.key -out other-ca.crt 2>/dev/null &&
   chmod 600 server.key)
  printf '%s\n' "$pw" > "$DIR/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$DIR"; fi
  as_pg "$PG_BIN/initdb" -D "$DIR/data" -U postgres --pwfile="$DIR/pwfile" -A scram-sha-256 -E UTF8 >/dev/null
  cat >> "$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR/run'
ssl = on
ssl_cert_file = '$DIR/tls/server.crt'
ssl_key_file = '$DIR/tls/server.key'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null
  cat > "$DIR/env" <<ENV
PGHOST=127.0.0.1
PGPORT=$port
PGUSER=postgres
PGPASSWORD=$pw
PGDATABASE=postgres
CAPSTAN_TEST_PG_CA=$DIR/tls/ca.crt
CAPSTAN_TEST_PG_OTHER_CA=$DIR/tls/other-ca.crt
CAPSTAN_TEST_PG_PWFILE=$DIR/pwfile
PG_BIN=$PG_BIN
ENV
  chmod 644 "$DIR/env"
  echo "pg.sh: PostgreSQL running on 127.0.0.1:$port ($DIR/env)"
}

stop() {
  if [ -d "$DIR/data" ]; then as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -f "$DIR/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
