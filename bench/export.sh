#!/usr/bin/env bash
# Memory and time of the streaming CSV export of the customer list (`Accept: text/csv` on
# GET /v1/customers) at scale, on the embedded SQLite database and the release build.
# Seeds the demo with N generated customers for its direct partner, starts the server,
# and reports the export's wall time and size and the server's peak resident memory
# (VmHWM) before and after the export.
#
# Usage: bench/export.sh [N]        (default 100000; seeding 100,000 takes about 2.5 min)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-100000}

cargo build --release -q -p partnerdesk
bin=${CARGO_TARGET_DIR:-target}/release/partnerdesk
work=$(mktemp -d)
pid=
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

db="sqlite://$work/pd.db"
echo "seeding the demo with $n generated customers..."
"$bin" --log warn --database-url "$db" demo --more-customers "$n" >/dev/null
"$bin" --log warn --database-url "$db" serve --listen 127.0.0.1:0 --rate-limit 0 >"$work/serve.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do
    addr=$(sed -n 's/.*listening on http:\/\///p' "$work/serve.log" | head -n1)
    [[ -n "${addr:-}" ]] && break
    sleep 0.1
done
base="http://$addr"
token=$(curl -sf "$base/oauth2/token" -d grant_type=password \
    -d username=admin@contoso-partners.example -d password=partnerdesk-demo |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
hwm() { awk '/VmHWM/ {print $2 " kB"}' "/proc/$pid/status"; }
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "server peak memory before the export: $(hwm) (now $(rss))"
curl -sf -H "Authorization: Bearer $token" -H 'Accept: text/csv' "$base/v1/customers" \
    -o "$work/customers.csv" -w 'export: %{time_total} s, %{size_download} bytes\n'
echo "rows (with the header): $(wc -l <"$work/customers.csv")"
echo "server peak memory after the export: $(hwm) (now $(rss))"
