#!/usr/bin/env bash
# Webhook figures on the release build and the embedded SQLite database (demo data): a
# receiver on 127.0.0.1 (Python, threaded) takes the deliveries of `subscription-updated`.
#
# 1. Latency: with the worker on (`--webhook-interval 100`), the partner suspends and
#    reactivates subscriptions one request after another; for each delivery the receiver
#    notes its arrival minus the event's ResourceChangeUtcDate (commit to delivery).
#    Reports the median and p99.
# 2. Throughput: with the worker off, N changes are committed (bulk suspend/reactivate);
#    then a server with the worker on is started over the same database and the time until
#    the receiver holds all N gives events/s delivered.
#
# Usage: bench/webhooks.sh [LATENCY_EVENTS] [THROUGHPUT_EVENTS]   (defaults 200 and 2000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
latency_events=${1:-200}
throughput_events=${2:-2000}

cargo build --release -q -p partnerdesk
target_dir=${CARGO_TARGET_DIR:-target}
bin=$target_dir/release/partnerdesk

work=$(mktemp -d)
# `start` runs in a command substitution (a subshell), so it records its pids in files.
cleanup() { for p in $(cat "$work"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Starts a command that prints "... listening on http://ADDR" and echoes ADDR.
start() {
    local log=$1; shift
    "$@" >"$log" 2>/dev/null &
    echo $! >"$log.pid"
    for _ in $(seq 1 300); do
        addr=$(sed -n 's/.*listening on http:\/\///p' "$log" | head -n1)
        [[ -n "$addr" ]] && { echo "$addr"; return; }
        sleep 0.1
    done
    echo "did not start: $log" >&2; exit 1
}

db="sqlite://$work/pd.db"
"$bin" --log warn --database-url "$db" demo >/dev/null
receiver=$(start "$work/receiver.log" python3 bench/webhook_receiver.py "$work/arrivals.txt")
serve() {
    start "$work/serve-$1.log" env PARTNERDESK_WEBHOOK_ALLOW_PRIVATE=true "$bin" --log warn --database-url "$db" \
        serve --listen 127.0.0.1:0 --rate-limit 0 --webhook-interval "$1"
}

# Stops the server started with `serve` for the given interval.
stop() { local pid; pid=$(cat "$work/serve-$1.log.pid"); kill "$pid" 2>/dev/null || true; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; }

addr=$(serve 100)
python3 bench/webhook_load.py latency "http://$addr" "http://$receiver/hook" "$work/arrivals.txt" "$latency_events"
stop 100

addr=$(serve 0)
python3 bench/webhook_load.py commit "http://$addr" "http://$receiver/hook" "$work/arrivals.txt" "$throughput_events"
stop 0
: >"$work/arrivals.txt"
started=$(date +%s.%N)
addr=$(serve 100)
python3 bench/webhook_load.py wait "http://$addr" "" "$work/arrivals.txt" "$throughput_events" "$started"
