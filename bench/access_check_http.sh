#!/usr/bin/env bash
# Load figures for POST /v1/access/check on the release build and the embedded SQLite
# database (demo data; the partner asks about one of its customers, so every answer after
# the first comes from memory), against the ceiling: a plain axum handler reading the same
# body and answering from a bare HashMap of 1,000,000 pairs with the expiry checked
# (crates/http/examples/access_ceiling.rs), on the same machine. Reports checks/s and p99.
# GET /v1/me with the same token shows what authentication alone costs per request.
# Needs `wrk` (Debian package wrk) and python3.
#
# Usage: bench/access_check_http.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
#        (defaults 15, 16 and 1)
#
# The ceiling moves by a third between runs on a busy machine, so compare builds within
# one run: with BASELINE=path/to/another/partnerdesk the same demo database is served by
# both binaries and each round measures them one after the other, then the ceiling.
# PARTNERDESK=path/to/partnerdesk measures that binary instead of building one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=${1:-15}
connections=${2:-16}
rounds=${3:-1}
command -v wrk >/dev/null || { echo "bench/access_check_http.sh needs wrk: apt-get install wrk" >&2; exit 1; }

target_dir=${CARGO_TARGET_DIR:-target}
if [[ -z "${PARTNERDESK:-}" ]]; then
    cargo build --release -q -p partnerdesk
fi
bin=${PARTNERDESK:-$target_dir/release/partnerdesk}
cargo build --release -q -p partnerdesk-http --example access_ceiling

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Starts a command that prints "... listening on http://ADDR" and echoes ADDR.
start() {
    local log=$1; shift
    "$@" >"$log" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 1 300); do
        addr=$(sed -n 's/.*listening on http:\/\///p' "$log" | head -n1)
        [[ -n "$addr" ]] && { echo "$addr"; return; }
        sleep 0.1
    done
    echo "server did not start: $log" >&2; exit 1
}

"$bin" --log warn --database-url "sqlite://$work/pd.db" demo >/dev/null
[[ -n "${BASELINE:-}" ]] && cp "$work/pd.db" "$work/baseline.db"

# Serves `db` with binary `bin` and signs in: sets base and auth.
serve() {
    local name=$1 bin=$2 db=$3 addr token
    addr=$(start "$work/$name.log" "$bin" --log warn --database-url "sqlite://$db" serve --listen 127.0.0.1:0 --rate-limit 0)
    base="http://$addr"
    token=$(curl -sf "$base/oauth2/token" -d grant_type=password \
        -d username=admin@contoso-partners.example -d password=partnerdesk-demo |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    auth="Authorization: Bearer $token"
}

serve server "$bin" "$work/pd.db"
partner=$(curl -sf -H "$auth" "$base/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenantId"])')
customer=$(curl -sf -H "$auth" "$base/v1/customers?size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
role=729827e3-9c14-49f7-bb1b-9608f156bbb8
body="{\"customerId\": \"$customer\", \"partnerId\": \"$partner\", \"role\": \"$role\"}"
echo "the route answers: $(curl -sf -H "$auth" -H 'Content-Type: application/json' "$base/v1/access/check" -d "$body")"
servers=("$bin|$base|$auth")
if [[ -n "${BASELINE:-}" ]]; then
    serve baseline "$BASELINE" "$work/baseline.db"
    servers=("$BASELINE|$base|$auth" "${servers[@]}")
fi

ceiling=$(start "$work/ceiling.log" "$target_dir/release/examples/access_ceiling" 127.0.0.1:0 "$partner" "$customer")
echo "the ceiling answers: $(curl -sf -H 'Content-Type: application/json' "http://$ceiling/v1/access/check" -d "$body")"

cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA

run() {
    local name=$1; shift
    echo "== $name"
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" | grep -E 'Requests/sec|Latency|  50%|  99%|Non-2xx'
}
echo "machine: $(nproc) cores; wrk -t2 -c$connections -d${duration}s"
for round in $(seq 1 "$rounds"); do
    [[ "$rounds" -gt 1 ]] && echo "### round $round"
    for server in "${servers[@]}"; do
        IFS='|' read -r name url header <<<"$server"
        run "$name: POST /v1/access/check (bearer access token)" -s "$work/post.lua" -H "$header" "$url/v1/access/check"
        run "$name: GET /v1/me (the same authentication, no access check)" -H "$header" "$url/v1/me"
    done
    run "ceiling: plain axum handler, HashMap of 1,000,000 pairs" -s "$work/post.lua" "http://$ceiling/v1/access/check"
done
