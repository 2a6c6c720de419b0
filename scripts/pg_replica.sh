#!/usr/bin/env bash
# A streaming read replica (hot standby) of the local PostgreSQL, for the database router's tests and
# for trying the replica set-up on one machine.
#
#   scripts/pg_replica.sh start    copy the primary with pg_basebackup -R and start the copy
#   scripts/pg_replica.sh stop     stop it and remove its files
#   scripts/pg_replica.sh status   say whether it runs and how far behind it is
#
# The primary is the PostgreSQL on 127.0.0.1:5432 (trust authentication, user postgres); the replica
# runs as the postgres system user on port 5433 with its files under /var/lib/postgresql. Start needs
# root (or the postgres user) and, once, lets the primary accept replication connections from
# 127.0.0.1 by adding a line to its pg_hba.conf. Variables PG_PRIMARY_PORT, PG_REPLICA_PORT and
# PG_REPLICA_DIR change the defaults.
set -euo pipefail

PRIMARY_HOST=127.0.0.1
PRIMARY_PORT=${PG_PRIMARY_PORT:-5432}
PORT=${PG_REPLICA_PORT:-5433}
DATA=${PG_REPLICA_DIR:-/var/lib/postgresql/jingmin-replica-$PORT}
LOG="$DATA.log"
SOCKETS=/var/run/postgresql

version=$(ls /usr/lib/postgresql | sort -V | tail -1)
BIN=/usr/lib/postgresql/$version/bin

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

primary() {
  psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc "$1"
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

allow_replication() {
  local hba
  hba=$(primary "SHOW hba_file")
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    echo "pg_replica: letting the primary accept replication connections from 127.0.0.1 ($hba)"
    printf '\n# Streaming replicas on this machine (scripts/pg_replica.sh).\nhost replication postgres 127.0.0.1/32 trust\n' >>"$hba"
    primary "SELECT pg_reload_conf()" >/dev/null
  fi
  if [ "$(primary "SHOW wal_level")" = minimal ] || [ "$(primary "SHOW max_wal_senders")" = 0 ]; then
    echo "pg_replica: the primary needs wal_level=replica and max_wal_senders > 0" >&2
    exit 1
  fi
}

start() {
  if running; then
    echo "pg_replica: already running on port $PORT"
    return
  fi
  pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" || {
    echo "pg_replica: no primary on $PRIMARY_HOST:$PRIMARY_PORT" >&2
    exit 1
  }
  allow_replication
  rm -rf "$DATA"
  mkdir -p "$(dirname "$DATA")"
  chown postgres: "$(dirname "$DATA")" 2>/dev/null || true
  echo "pg_replica: copying the primary (pg_basebackup -R) into $DATA"
  as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
    -R -X stream -c fast
  # Debian keeps the configuration outside the data directory, so the copy has none: a hot
  # standby needs these limits at least as high as the primary's.
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PORT"
    echo "unix_socket_directories = '$SOCKETS'"
    echo "hot_standby = on"
    echo "shared_buffers = 64MB"
    for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
      echo "$name = $(primary "SHOW $name")"
    done
    # Queries on the replica may wait a little for replay instead of being cancelled at once.
    echo "max_standby_streaming_delay = 30s"
  } | as_postgres tee "$DATA/postgresql.conf" >/dev/null
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_postgres tee "$DATA/pg_hba.conf" >/dev/null
  as_postgres touch "$DATA/pg_ident.conf"
  as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
  for _ in $(seq 30); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 1
  done
  if [ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc 'SELECT pg_is_in_recovery()')" != t ]; then
    echo "pg_replica: the server on port $PORT is not a standby" >&2
    exit 1
  fi
  echo "pg_replica: streaming replica running on 127.0.0.1:$PORT"
}

stop() {
  if running; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    echo "pg_replica: stopped"
  fi
  rm -rf "$DATA" "$LOG"
}

status() {
  if ! running; then
    echo "pg_replica: not running"
    return 3
  fi
  psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc \
    "SELECT 'pg_replica: running on port $PORT, replayed up to ' || pg_last_wal_replay_lsn()
            || ', last transaction replayed at ' || coalesce(pg_last_xact_replay_timestamp()::text, 'none')"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
