#!/usr/bin/env bash
# Installs (if missing) PostgreSQL 15 with pgvector, starts a throwaway cluster on a loopback port
# as the unprivileged `postgres` user, and prints its URL on the last line of stdout.
#   bash scripts/postgres-test-server.sh            # start (or reuse) and print the URL
#   bash scripts/postgres-test-server.sh stop       # stop it
# Env: PGTEST_PORT (default 54329), PGTEST_DIR (default /tmp/hotline-pgtest).
# bookworm has no pgvector binary package, so pgvector is built from Debian trixie's source package.
set -euo pipefail

PORT="${PGTEST_PORT:-54329}"
DIR="${PGTEST_DIR:-/tmp/hotline-pgtest}"
PGVER=15
BIN="/usr/lib/postgresql/$PGVER/bin"
log() { echo "[pg-test] $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${1:-start}" = "stop" ]; then
  if [ -f "$DIR/data/postmaster.pid" ]; then
    su postgres -s /bin/bash -c "$BIN/pg_ctl -D '$DIR/data' -m fast stop" >&2 || true
  fi
  exit 0
fi

apt_updated=0
apt_update() { [ "$apt_updated" = 1 ] || { as_root apt-get update -qq >&2; apt_updated=1; }; }

if [ ! -x "$BIN/postgres" ] || ! dpkg -s "postgresql-server-dev-$PGVER" >/dev/null 2>&1; then
  log "installing postgresql-$PGVER and its server headers"
  apt_update
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "postgresql-$PGVER" "postgresql-server-dev-$PGVER" make gcc >&2
fi

if [ ! -f "/usr/share/postgresql/$PGVER/extension/vector.control" ]; then
  log "building pgvector from Debian trixie's source package"
  src_list=/etc/apt/sources.list.d/trixie-src.sources
  if [ ! -f "$src_list" ]; then
    as_root tee "$src_list" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt_updated=0
  fi
  apt_update
  build=$(mktemp -d)
  (cd "$build" && apt-get source --download-only pgvector >&2 \
    && tar -xf pgvector_*.orig.tar.* \
    && cd pgvector-*/ \
    && make -s PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" OPTFLAGS="" >&2 \
    && as_root make -s install PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" >&2)
  rm -rf "$build"
fi

start_cluster() {
  su postgres -s /bin/bash -c "$BIN/pg_ctl -D '$DIR/data' -l '$DIR/server.log' -w \
    -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >&2
}

if su postgres -s /bin/bash -c "$BIN/pg_ctl -D '$DIR/data' status" >/dev/null 2>&1; then
  log "already running on port $PORT"
elif [ -f "$DIR/data/PG_VERSION" ]; then
  # A stopped cluster keeps its data: start it again (tests stop and restart the server).
  start_cluster
  log "restarted on 127.0.0.1:$PORT (data in $DIR)"
else
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chown postgres:postgres "$DIR"
  su postgres -s /bin/bash -c "$BIN/initdb -D '$DIR/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  start_cluster
  log "started on 127.0.0.1:$PORT (data in $DIR)"
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
