#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1 for the test suite (and for trying Lan Tỏa on
# PostgreSQL). initdb/pg_ctl refuse to run as root, so as root they run as the OS user postgres.
#   scripts/pg.sh start   → prints nothing; the server listens on 127.0.0.1:$LANTOA_PG_PORT
#   scripts/pg.sh stop
#   scripts/pg.sh url     → the DATABASE_URL to use
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${LANTOA_PG_DATA:-$PWD/var/pg-test}"
PORT_FILE="$DATA.port"

# The port: LANTOA_PG_PORT if given; else the one this cluster was started on; else the first
# free one from 54329 (another checkout's cluster may hold 54329 on the same machine).
free_port() {
  python3 - <<'PY'
import socket
for port in range(54329, 54429):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
}
if [ -n "${LANTOA_PG_PORT:-}" ]; then PORT="$LANTOA_PG_PORT"
elif [ -f "$PORT_FILE" ]; then PORT="$(cat "$PORT_FILE")"
else PORT=""; fi
BIN="${LANTOA_PG_BIN:-/usr/lib/postgresql/15/bin}"

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_binaries() {
  if [ ! -x "$BIN/initdb" ]; then
    echo "PostgreSQL binaries missing in $BIN: installing postgresql with apt" >&2
    if [ "$(id -u)" != "0" ]; then echo "run as root or install postgresql-15 yourself" >&2; exit 1; fi
    apt-get install -y -q postgresql >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
  fi
}

case "${1:-}" in
  start)
    ensure_binaries
    mkdir -p "$(dirname "$DATA")"
    if [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      exit 0
    fi
    if [ -z "${LANTOA_PG_PORT:-}" ]; then PORT="$(free_port)"; fi
    echo "$PORT" > "$PORT_FILE"
    if [ ! -f "$DATA/PG_VERSION" ]; then
      rm -rf "$DATA"; mkdir -p "$DATA"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA"
      as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 30 \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
      start >/dev/null
    ;;
  stop)
    if [ -f "$DATA/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true; fi
    ;;
  url)
    echo "postgres://postgres@127.0.0.1:${PORT:-54329}/lantoa"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
