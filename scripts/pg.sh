#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1 for the test suite (and for trying Lan Tỏa on
# PostgreSQL). initdb/pg_ctl refuse to run as root, so as root they run as the OS user postgres.
#   scripts/pg.sh start     → the server listens on 127.0.0.1:<port> (`scripts/pg.sh url` tells)
#   scripts/pg.sh stop      → stops it; the data stays for the next start
#   scripts/pg.sh destroy   → stops it and removes its data
#   scripts/pg.sh url       → the DATABASE_URL to use
#
# Where the data lives: not inside the checkout. The postgres user cannot enter a checkout under
# a private directory (/root is mode 700, so is anything made by `mktemp -d`), so the cluster
# lives under /tmp in a directory named after the checkout's path (two checkouts never share
# one), owned by whoever runs the server. LANTOA_PG_DATA chooses another place.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout_id="$(pwd -P | cksum | cut -d' ' -f1)"
DATA="${LANTOA_PG_DATA:-/tmp/lantoa-pg-$checkout_id}"
PORT_FILE="$DATA.port"
BIN="${LANTOA_PG_BIN:-/usr/lib/postgresql/15/bin}"

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

as_root() { [ "$(id -u)" = "0" ]; }
as_pg() {
  if as_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_binaries() {
  if [ ! -x "$BIN/initdb" ]; then
    echo "PostgreSQL binaries missing in $BIN: installing postgresql with apt" >&2
    if ! as_root; then echo "run as root or install postgresql-15 yourself" >&2; exit 1; fi
    apt-get install -y -q postgresql >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
  fi
}

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

stop() {
  if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true; fi
}

case "${1:-}" in
  start)
    # Two jobs may ask at once (make -j): one starts the server, the other waits and finds it up.
    exec 9>"$DATA.lock"
    flock 9
    ensure_binaries
    if running; then exit 0; fi
    if [ -z "${LANTOA_PG_PORT:-}" ]; then PORT="$(free_port)"; fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
      rm -rf "$DATA"
      mkdir -p -m 700 "$DATA"
      if as_root; then chown postgres:postgres "$DATA"; fi
      as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    echo "$PORT" > "$PORT_FILE"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 30 \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
      start >/dev/null 9>&- || { tail -n 20 "$DATA/server.log" >&2 || true; exit 1; }
    # (9>&-: the server must not inherit the lock, or the next start would wait for it forever.)
    ;;
  stop)
    stop
    ;;
  destroy)
    stop
    rm -rf "$DATA" "$PORT_FILE" "$DATA.lock"
    ;;
  url)
    echo "postgres://postgres@127.0.0.1:${PORT:-54329}/lantoa"
    ;;
  dir)
    echo "$DATA"
    ;;
  *)
    echo "usage: $0 start|stop|destroy|url|dir" >&2; exit 2 ;;
esac
