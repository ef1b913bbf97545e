#!/usr/bin/env bash
# Soak: mixed, stateful load (bench/soak.py) against one `partnerdesk serve` with the demo
# data for a set time, on the embedded SQLite database or on PostgreSQL, with webhook
# deliveries to a receiver on 127.0.0.1. Reports requests, errors (must be 0), provoked
# refusals, p50/p99 latency and the server's RSS at the start and at the end.
#
# Usage: bench/soak.sh [SECONDS] [sqlite|postgres]        (defaults: 600, sqlite)
#
# The binary is the release build (built here), or PARTNERDESK_BIN when set (CI runs the
# test-profile binary for 30 s). PostgreSQL: a database of its own on
# PARTNERDESK_SOAK_POSTGRES (default postgres://postgres@127.0.0.1:5432), dropped after.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-600}
backend=${2:-sqlite}
workers=${PARTNERDESK_SOAK_WORKERS:-4}

bin=${PARTNERDESK_BIN:-}
if [[ -z "$bin" ]]; then
    cargo build --release -q -p partnerdesk
    bin=${CARGO_TARGET_DIR:-target}/release/partnerdesk
fi

work=$(mktemp -d)
pg_base=${PARTNERDESK_SOAK_POSTGRES:-postgres://postgres@127.0.0.1:5432}
pg_db="soak_$$"
server_pid=
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
    if [[ "$backend" == postgres ]]; then
        psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

case "$backend" in
    sqlite) db="sqlite://$work/pd.db" ;;
    postgres)
        psql "$pg_base/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
        db="$pg_base/$pg_db"
        ;;
    *) echo "usage: bench/soak.sh [SECONDS] [sqlite|postgres]" >&2; exit 2 ;;
esac

"$bin" --log warn --database-url "$db" demo >/dev/null
PARTNERDESK_WEBHOOK_ALLOW_PRIVATE=true "$bin" --log warn --database-url "$db" \
    serve --listen 127.0.0.1:0 --rate-limit 0 --webhook-interval 100 >"$work/serve.log" 2>"$work/serve.err" &
server_pid=$!
addr=
for _ in $(seq 1 300); do
    addr=$(sed -n 's/.*listening on http:\/\///p' "$work/serve.log" | head -n1)
    [[ -n "$addr" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$addr" ]] || { echo "the server did not start" >&2; exit 1; }

echo "soak: $seconds s on $backend, $workers workers, $(basename "$bin") at $addr"
status=0
python3 bench/soak.py "http://$addr" "$seconds" "$server_pid" "$workers" || status=$?
if grep -qiE 'panicked|ERROR' "$work/serve.err"; then
    echo "the server logged errors:" >&2
    grep -iE 'panicked|ERROR' "$work/serve.err" | head -20 >&2
    status=1
fi
exit "$status"
