#!/usr/bin/env bash
# A private PostgreSQL cluster for the test suites, on loopback only.
#
#   eval "$(scripts/postgres.sh start)"   # start (or reuse) it; exports PITBOSS_TEST_POSTGRES_URL
#   scripts/postgres.sh url               # print the URL of the running cluster
#   scripts/postgres.sh stop              # stop it and remove its files
#
# Settings (environment):
#   PITBOSS_PG_DIR   cluster directory (default /tmp/pitboss-pg)
#   PITBOSS_PG_PORT  TCP port (default: the first free port from 55432)
#   PITBOSS_PG_BIN   directory of initdb/pg_ctl (default: the newest /usr/lib/postgresql/*/bin)
#
# As root the server runs as the `postgres` user; otherwise as the current user. The cluster is
# tuned for tests (fsync off), trusts loopback connections, and must never hold real data.
# Only the `export` line goes to stdout, so `eval` is safe; progress goes to stderr.
set -euo pipefail

readonly DIR="${PITBOSS_PG_DIR:-/tmp/pitboss-pg}"
readonly DATA="$DIR/data"
readonly PORT_FILE="$DIR/port"
readonly LOG="$DIR/server.log"
readonly DATABASE=pitboss_test
readonly ROLE=pitboss

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

pg_bin() {
    if [[ -n "${PITBOSS_PG_BIN:-}" ]]; then
        echo "$PITBOSS_PG_BIN"
        return
    fi
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$found" && -x "$found/initdb" ]] \
        || die "no PostgreSQL server binaries (apt-get install postgresql), or set PITBOSS_PG_BIN"
    echo "$found"
}
BIN="$(pg_bin)"
readonly BIN

# Runs a command as the cluster's owner.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

choose_port() {
    if [[ -n "${PITBOSS_PG_PORT:-}" ]]; then
        echo "$PITBOSS_PG_PORT"
        return
    fi
    local port
    for port in $(seq 55432 55482); do
        if ! port_in_use "$port"; then
            echo "$port"
            return
        fi
    done
    die "no free port in 55432-55482; set PITBOSS_PG_PORT"
}

running() { [[ -d "$DATA" ]] && as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

url() { echo "postgresql://$ROLE@127.0.0.1:$(cat "$PORT_FILE")/$DATABASE"; }

psql_admin() {
    as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$(cat "$PORT_FILE")" \
        -U postgres -d "${2:-postgres}" -tA -c "$1"
}

init_cluster() {
    log "initialising a cluster in $DATA"
    mkdir -p "$DIR"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$DIR"
    chmod 700 "$DIR"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C >"$DIR/initdb.log" \
        || die "initdb failed; see $DIR/initdb.log"
}

start_server() {
    local port
    port="$(choose_port)"
    echo "$port" >"$PORT_FILE"
    log "starting on 127.0.0.1:$port (log: $LOG)"
    as_owner "$BIN/pg_ctl" start -D "$DATA" -w -t 60 -l "$LOG" -o "\
        -c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$DIR \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c max_connections=300 -c shared_buffers=64MB" >/dev/null \
        || die "the server did not start; see $LOG"
}

create_database() {
    if [[ -z "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]]; then
        psql_admin "CREATE ROLE $ROLE LOGIN"
    fi
    if [[ -z "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]]; then
        psql_admin "CREATE DATABASE $DATABASE OWNER $ROLE"
    fi
}

wait_ready() {
    local tries
    for tries in $(seq 1 100); do
        if as_owner "$BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$PORT_FILE")"; then return; fi
        sleep 0.1
    done
    die "the server does not accept connections; see $LOG"
}

cmd_start() {
    if running; then
        log "already running"
    else
        [[ -f "$DATA/PG_VERSION" ]] || init_cluster
        start_server
    fi
    wait_ready
    create_database
    echo "export PITBOSS_TEST_POSTGRES_URL=$(url)"
}

cmd_stop() {
    if running; then
        log "stopping"
        as_owner "$BIN/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null
    fi
    rm -rf "$DIR"
}

cmd_url() {
    running || die "not running; start it with: eval \"\$($0 start)\""
    url
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
