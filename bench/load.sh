#!/usr/bin/env bash
# Load figures for the REST API on the embedded SQLite database, against the release build:
# requests/s and latency percentiles of
#   GET /v1/customers?size=100                 (a page of 100 customers)
#   GET /v1/customers/{id}/subscriptions       (one customer's subscriptions)
# and, as the ceiling on this machine, a plain axum handler returning a fixed JSON body
# (crates/http/examples/ceiling.rs). Needs `wrk` (Debian package wrk) and python3.
#
# Usage: bench/load.sh [DURATION_SECONDS] [CONNECTIONS]     (defaults 15 and 16)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=${1:-15}
connections=${2:-16}
command -v wrk >/dev/null || { echo "bench/load.sh needs wrk: apt-get install wrk" >&2; exit 1; }

cargo build --release -q -p partnerdesk
cargo build --release -q -p partnerdesk-http --example ceiling
target_dir=${CARGO_TARGET_DIR:-target}
bin=$target_dir/release/partnerdesk

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Starts a command that prints "... listening on http://ADDR" and echoes ADDR.
start() {
    local log=$1; shift
    "$@" >"$log" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 1 100); do
        addr=$(sed -n 's/.*listening on http:\/\///p' "$log" | head -n1)
        [[ -n "$addr" ]] && { echo "$addr"; return; }
        sleep 0.1
    done
    echo "server did not start: $log" >&2; exit 1
}

db="sqlite://$work/pd.db"
"$bin" --log warn --database-url "$db" demo >/dev/null
addr=$(start "$work/serve.log" "$bin" --log warn --database-url "$db" serve --listen 127.0.0.1:0 --rate-limit 0)
base="http://$addr"

token=$(curl -sf "$base/oauth2/token" -d grant_type=password \
    -d username=admin@contoso-partners.example -d password=partnerdesk-demo |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
auth="Authorization: Bearer $token"

# The demo gives the partner about 20 customers; bring it to 150 so a page holds 100.
have=$(curl -sf -H "$auth" "$base/v1/customers?size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalCount"])')
for i in $(seq "$have" 149); do
    curl -sf -o /dev/null -H "$auth" -H 'Content-Type: application/json' "$base/v1/customers" -d @- <<JSON
{"companyProfile": {"domain": "load$i.example", "companyName": "Load Test $i"},
 "billingProfile": {"email": "billing@load$i.example", "culture": "en-US", "companyName": "Load Test $i",
   "firstName": "Ann", "lastName": "Buyer", "defaultAddress": {"country": "US", "addressLine1": "1 Main St",
   "city": "Redmond", "state": "WA", "postalCode": "98052"}}}
JSON
done
customer=$(curl -sf -H "$auth" "$base/v1/customers?size=100" |
    python3 -c 'import json,sys; items=json.load(sys.stdin)["items"]; print(items[0]["id"])')
count=$(curl -sf -H "$auth" "$base/v1/customers?size=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')

ceiling=$(start "$work/ceiling.log" "$target_dir/release/examples/ceiling" 127.0.0.1:0)

run() {
    local name=$1; shift
    echo "== $name"
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" | grep -E 'Requests/sec|Latency|  50%|  99%|Non-2xx'
}
echo "machine: $(nproc) cores; wrk -t2 -c$connections -d${duration}s; page size $count"
run "GET /v1/customers?size=100" -H "$auth" "$base/v1/customers?size=100"
run "GET /v1/customers/{id}/subscriptions" -H "$auth" "$base/v1/customers/$customer/subscriptions"
run "ceiling: plain axum handler, fixed JSON" "http://$ceiling/"
