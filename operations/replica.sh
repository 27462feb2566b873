#!/usr/bin/env bash
# A PostgreSQL streaming read replica of the local primary, for development, CI and the load
# benchmark (README, "Read replica"). `make replica` / `make replica-stop` call it.
#
#   operations/replica.sh start    base backup (pg_basebackup -R -X stream) into REPLICA_DIR, start
#                                  it on REPLICA_PORT, wait until it streams, print its URL
#   operations/replica.sh stop     stop it and delete its folder
#   operations/replica.sh status   is it running, in recovery, streaming, and how far behind
#   operations/replica.sh url      print DATABASE_REPLICA_URL=... (whether or not it runs)
#
# `start` is idempotent: a replica that already streams is left alone (its URL is printed again);
# a folder left by a stopped one is replaced by a fresh base backup (the primary may have
# recycled the WAL it would need). It never restarts the primary: the only change it may make
# there is a pg_hba.conf rule for replication connections from 127.0.0.1 (then a reload), when
# the primary refuses them; a primary without wal_level=replica or WAL senders is reported, not
# reconfigured (both need a restart).
#
# Environment (defaults in brackets):
#   PRIMARY_HOST [127.0.0.1]  PRIMARY_PORT [5432]  PRIMARY_USER [postgres]  (PGPASSWORD if needed)
#   REPLICA_PORT [5433]  REPLICA_DIR [/tmp/lentera-replica-$REPLICA_PORT]
#   REPLICA_DB   database named in the printed URL [DATABASE_URL's database, else lentera]
#   REPLICA_WAIT [600]  seconds to wait for the replica to stream and accept reads
#   PG_BINDIR    server binaries matching the primary's version [/usr/lib/postgresql/<major>/bin]
#
# The server runs as the owner of the primary's files (postgres): initdb and pg_ctl refuse root,
# so under root every server-side command goes through `runuser -u postgres`.
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PRIMARY_USER=${PRIMARY_USER:-postgres}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/tmp/lentera-replica-$REPLICA_PORT}
NAME="lentera_replica_$REPLICA_PORT" # cluster_name: the walreceiver's application_name
SERVER_USER=${REPLICA_SERVER_USER:-postgres}

if [[ -z "${REPLICA_DB:-}" ]]; then
  REPLICA_DB=lentera
  if [[ "${DATABASE_URL:-}" == postgres*://*/* ]]; then
    db=${DATABASE_URL##*/}
    db=${db%%\?*}
    [[ -n "$db" ]] && REPLICA_DB=$db
  fi
fi

say() { printf 'replica: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

# Server-side commands run as the server's owner; `cd /` keeps them from complaining about a
# working directory they may not read.
# The lock's descriptor (9) is closed for them: a server started with it open would hold the
# lock for as long as it runs.
as_server() {
  if [[ $(id -u) == 0 ]]; then
    (cd / && runuser -u "$SERVER_USER" -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -wXAtq "$@"; }
replica() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U "$PRIMARY_USER" -d postgres -wXAtq "$@"; }

url() {
  printf 'DATABASE_REPLICA_URL=postgres://%s@127.0.0.1:%s/%s\n' "$PRIMARY_USER" "$REPLICA_PORT" "$REPLICA_DB"
}

bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then
    echo "$PG_BINDIR"
    return
  fi
  local major
  major=$(($(primary -c 'SHOW server_version_num') / 10000))
  if [[ -x /usr/lib/postgresql/$major/bin/pg_ctl ]]; then
    echo "/usr/lib/postgresql/$major/bin"
  elif command -v pg_config >/dev/null; then
    pg_config --bindir
  else
    die "no server binaries of PostgreSQL $major: set PG_BINDIR"
  fi
}

running() { [[ -f "$REPLICA_DIR/postmaster.pid" ]] && as_server "$BIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1; }

streaming() {
  [[ $(replica -c 'SELECT pg_is_in_recovery()' 2>/dev/null) == t ]] &&
    [[ $(primary -c "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$NAME' AND state = 'streaming'") -ge 1 ]]
}

# Replication connections from 127.0.0.1: a pg_hba.conf rule for the `all` database does not
# cover them. When the primary refuses one, add a rule with the authentication method the
# primary already applies to this user from 127.0.0.1 (no weaker), at the top of the file, and
# reload (a reload, not a restart).
replication_allowed() {
  psql "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$PRIMARY_USER dbname=postgres replication=true" \
    -wXAtqc 'IDENTIFY_SYSTEM' >/dev/null 2>&1
}

# The authentication method of the primary's first pg_hba.conf rule that lets PRIMARY_USER
# connect to the `postgres` database over TCP from 127.0.0.1 (empty when there is none).
local_method() {
  primary -c "SELECT auth_method FROM pg_hba_file_rules
      WHERE type IN ('host', 'hostnossl') AND error IS NULL
        AND ('all' = ANY(database) OR 'postgres' = ANY(database))
        AND ('all' = ANY(user_name) OR '$PRIMARY_USER' = ANY(user_name))
        AND CASE WHEN address IN ('all', 'samehost', 'samenet') THEN true
                 WHEN address ~ '^[0-9.]+\$' AND netmask ~ '^[0-9.]+\$'
                   THEN ('127.0.0.1'::inet & netmask::inet) = (address::inet & netmask::inet)
                 ELSE false END
      ORDER BY line_number LIMIT 1" 2>/dev/null || true
}

primary_check() {
  pg_isready -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -q || die "the primary at $PRIMARY_HOST:$PRIMARY_PORT does not answer"
  local wal_level senders
  wal_level=$(primary -c 'SHOW wal_level')
  senders=$(primary -c 'SHOW max_wal_senders')
  if [[ $wal_level == minimal || $senders == 0 ]]; then
    die "the primary has wal_level=$wal_level and max_wal_senders=$senders: streaming needs wal_level=replica and at least one WAL sender (ALTER SYSTEM SET wal_level = replica; ALTER SYSTEM SET max_wal_senders = 10; then restart the primary yourself)"
  fi
  replication_allowed && return
  local hba method rule
  hba=$(primary -c 'SHOW hba_file')
  method=$(local_method)
  [[ -n "$method" ]] || die "the primary refuses replication connections from 127.0.0.1 and no rule lets $PRIMARY_USER connect from there: add 'host replication $PRIMARY_USER 127.0.0.1/32 <method>' to its pg_hba.conf"
  [[ -w "$hba" ]] || die "the primary refuses replication connections: add 'host replication $PRIMARY_USER 127.0.0.1/32 $method' at the top of $hba and reload it (not writable from here)"
  rule="host replication $PRIMARY_USER 127.0.0.1/32 $method"
  say "adding '$rule' to $hba, then reloading the primary's configuration"
  if ! grep -qxF "$rule" "$hba"; then
    local tmp
    tmp=$(mktemp)
    { printf '# Streaming replicas on this machine (Lentera operations/replica.sh)\n%s\n' "$rule"; cat "$hba"; } >"$tmp"
    cat "$tmp" >"$hba" # keeps the file's owner and mode
    rm -f "$tmp"
  fi
  primary -c 'SELECT pg_reload_conf()' >/dev/null
  for _ in $(seq 1 20); do
    replication_allowed && return
    sleep 0.25
  done
  die "the primary still refuses replication connections from 127.0.0.1 after the reload (see $hba)"
}

start() {
  primary_check
  BIN=$(bindir)
  if running; then
    if streaming; then
      say "already streaming on port $REPLICA_PORT ($REPLICA_DIR)"
      url
      return
    fi
    say "a replica runs on $REPLICA_DIR but does not stream: replacing it"
    as_server "$BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
  fi
  if pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q; then
    die "port $REPLICA_PORT is taken by another server: choose REPLICA_PORT"
  fi
  rm -rf "$REPLICA_DIR"
  mkdir -p "$(dirname "$REPLICA_DIR")"
  say "base backup of $PRIMARY_HOST:$PRIMARY_PORT into $REPLICA_DIR"
  local started=$SECONDS
  # --checkpoint=fast: without it the backup waits for the primary's next scheduled checkpoint.
  as_server "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -w \
    -D "$REPLICA_DIR" -R -X stream --checkpoint=fast
  say "base backup done in $((SECONDS - started)) s ($(du -sh "$REPLICA_DIR" | cut -f1))"
  # A hot standby must allow at least what the primary allows, or it refuses to start.
  local settings
  settings=$(primary -c "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings
      WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders',
                     'max_prepared_transactions', 'max_locks_per_transaction')")
  local method
  method=$(local_method)
  method=${method:-scram-sha-256}
  # Debian keeps postgresql.conf and pg_hba.conf outside the data directory, so the backup has
  # neither: the replica gets its own (postgresql.auto.conf from -R holds primary_conninfo).
  as_server tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<EOF
# Lentera read replica (operations/replica.sh): a hot standby streaming from $PRIMARY_HOST:$PRIMARY_PORT.
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
cluster_name = '$NAME'
hot_standby = on
# Queries on the replica are not cancelled by the primary's vacuum of rows they still see.
hot_standby_feedback = on
wal_receiver_status_interval = 1s
shared_buffers = 64MB
ssl = off
log_line_prefix = '%m [%p] '
$settings
EOF
  as_server tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<EOF
local all all peer
host all all 127.0.0.1/32 $method
EOF
  as_server touch "$REPLICA_DIR/pg_ident.conf"
  as_server "$BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" -W start >/dev/null
  local deadline=$((SECONDS + ${REPLICA_WAIT:-600})) told=
  while ((SECONDS < deadline)); do
    if streaming; then
      say "streaming on port $REPLICA_PORT after $((SECONDS - started)) s (log: $REPLICA_DIR/server.log)"
      url
      return
    fi
    running || break
    # A hot standby opens for reads once it has a snapshot of the primary's transactions; a
    # transaction with more than 64 subtransactions (savepoints) on the primary makes that
    # snapshot overflow, and the standby then waits for the transaction to end.
    if [[ -z "$told" ]] && ((SECONDS - started > 30)); then
      told=1
      say "waiting for the replica to accept reads; the primary's oldest open transactions:"
      primary -c "SELECT '  ' || datname || ' pid ' || pid || ', open for ' ||
          date_trunc('second', now() - xact_start) FROM pg_stat_activity
          WHERE xact_start < now() - interval '10 seconds' AND backend_type = 'client backend'
          ORDER BY xact_start LIMIT 5" >&2 || true
    fi
    sleep 0.25
  done
  tail -n 20 "$REPLICA_DIR/server.log" >&2 || true
  die "the replica does not stream and accept reads after ${REPLICA_WAIT:-600} s (REPLICA_WAIT)"
}

stop() {
  BIN=$(bindir)
  if running; then
    as_server "$BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
    say "stopped the replica on port $REPLICA_PORT"
  fi
  rm -rf "$REPLICA_DIR"
}

status() {
  BIN=$(bindir)
  if ! running; then
    say "no replica runs in $REPLICA_DIR"
    return 1
  fi
  say "running in $REPLICA_DIR on port $REPLICA_PORT; in recovery: $(replica -c 'SELECT pg_is_in_recovery()'), replay paused: $(replica -c 'SELECT pg_is_wal_replay_paused()')"
  primary -c "SELECT 'primary sees ' || application_name || ': ' || state || ', replay lag ' ||
      coalesce(replay_lag::text, '0') || ', ' || pg_wal_lsn_diff(sent_lsn, replay_lsn) || ' bytes behind'
      FROM pg_stat_replication WHERE application_name = '$NAME'" >&2
  url
}

command=${1:-start}
case "$command" in
start | stop)
  # One start or stop at a time per folder (parallel test workers all ask for the replica).
  exec 9>"$REPLICA_DIR.start-stop.lock"
  flock 9
  "$command"
  ;;
status) status ;;
url) url ;;
*) die "usage: $0 [start|stop|status|url]" ;;
esac
