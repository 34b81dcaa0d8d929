#!/usr/bin/env bash
# A private Redis server for the test suites: loopback and a unix socket in its own directory.
#
#   eval "$(scripts/redis.sh start)"   # start (or reuse) it; exports PITBOSS_TEST_REDIS_URL
#   scripts/redis.sh url               # print the URL of the running server
#   scripts/redis.sh stop              # stop it and remove its files
#   scripts/redis.sh run CMD [ARG...]  # a fresh server in a temporary directory for one command
#                                      # (PITBOSS_TEST_REDIS_URL set), stopped afterwards
#
# Settings (environment): PITBOSS_REDIS_DIR (default /tmp/pitboss-redis). Nothing is persisted
# (no RDB, no AOF): the server must never hold real data. Only the `export` line of `start`
# goes to stdout, so `eval` is safe; progress goes to stderr.
set -euo pipefail

log() { echo "redis.sh: $*" >&2; }
die() { log "$*"; exit 1; }

command -v redis-server >/dev/null || die "redis-server is missing (apt-get install redis-server)"

socket_of() { echo "$1/redis.sock"; }
url_of() { echo "unix://$(socket_of "$1")"; }

running() { [[ -S "$(socket_of "$1")" ]] && redis-cli -s "$(socket_of "$1")" ping >/dev/null 2>&1; }

start_in() {
    local dir="$1"
    mkdir -p "$dir"
    if running "$dir"; then
        log "already running"
        return
    fi
    # port 0: no TCP listener at all; the unix socket is private to this directory.
    redis-server --port 0 --unixsocket "$(socket_of "$dir")" --unixsocketperm 700 \
        --dir "$dir" --save '' --appendonly no --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null \
        || die "redis-server did not start; see $dir/redis.log"
    local tries
    for tries in $(seq 1 100); do
        if running "$dir"; then return; fi
        sleep 0.05
    done
    die "redis-server does not answer; see $dir/redis.log"
}

stop_in() {
    local dir="$1"
    if running "$dir"; then
        redis-cli -s "$(socket_of "$dir")" shutdown nosave >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

readonly DIR="${PITBOSS_REDIS_DIR:-/tmp/pitboss-redis}"

case "${1:-}" in
    start)
        start_in "$DIR"
        echo "export PITBOSS_TEST_REDIS_URL=$(url_of "$DIR")"
        ;;
    stop) stop_in "$DIR" ;;
    url)
        running "$DIR" || die "not running; start it with: eval \"\$($0 start)\""
        url_of "$DIR"
        ;;
    run)
        shift
        [[ $# -gt 0 ]] || die "usage: $0 run CMD [ARG...]"
        tmp="$(mktemp -d /tmp/pitboss-redis-run.XXXXXX)"
        trap 'stop_in "$tmp"' EXIT
        start_in "$tmp"
        PITBOSS_TEST_REDIS_URL="$(url_of "$tmp")" "$@"
        ;;
    *) echo "usage: $0 start|stop|url|run CMD..." >&2; exit 2 ;;
esac
