#!/usr/bin/env bash
# Weight and server time of the dashboard's Customers page with many customers, on the
# embedded SQLite database and the release build. Seeds the demo with N more customers for
# its direct partner, signs in through the form, then fetches each page RUNS times and
# reports the HTML size, the stylesheet size, and the server time (curl's time to first
# byte on loopback) as median and 95th percentile.
#
# Usage: bench/pages.sh [N] [RUNS]        (defaults 10000 and 200)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-10000}
runs=${2:-200}

cargo build --release -q -p partnerdesk
bin=${CARGO_TARGET_DIR:-target}/release/partnerdesk
work=$(mktemp -d)
pid=
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

db="sqlite://$work/pd.db"
echo "seeding the demo with $n more customers..."
"$bin" --log warn --database-url "$db" demo --more-customers "$n" >/dev/null
"$bin" --log warn --database-url "$db" serve --listen 127.0.0.1:0 >"$work/serve.log" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do
    addr=$(sed -n 's/.*listening on http:\/\///p' "$work/serve.log" | head -n1)
    [[ -n "${addr:-}" ]] && break
    sleep 0.1
done
base="http://$addr"
jar="$work/cookies"
curl -sf -c "$jar" -b "$jar" -o /dev/null "$base/signin"
csrf=$(awk '$6 == "pd_csrf" {print $7}' "$jar")
curl -sf -c "$jar" -b "$jar" -o /dev/null "$base/signin" \
    --data-urlencode "_csrf=$csrf" --data-urlencode "email=admin@contoso-partners.example" \
    --data-urlencode "password=partnerdesk-demo" --data-urlencode "next=/home"

measure() {
    local label=$1 path=$2
    local size
    size=$(curl -sf -b "$jar" -o /dev/null -w '%{size_download}' "$base$path")
    for _ in $(seq 1 "$runs"); do
        curl -sf -b "$jar" -o /dev/null -w '%{time_starttransfer}\n' "$base$path"
    done | sort -n | awk -v label="$label" -v size="$size" '
        { t[NR] = $1 * 1000 }
        END { printf "%-44s %8d bytes   median %6.2f ms   p95 %6.2f ms\n", label, size, t[int(NR * 0.5)], t[int(NR * 0.95)] }'
}

total=$(curl -sf -b "$jar" "$base/customers" | sed -n 's/.*<p class="summary">//p; /customer(s)/p' | grep -o '[0-9][0-9]*' | head -n1 || true)
echo "customers of the partner: ${total:-?}"
measure "GET /customers (first page of 50)" "/customers"
measure "GET /customers?q=Ромашка (search)" "/customers?q=%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0"
measure "GET /customers?q=generated009 (narrow search)" "/customers?q=generated009"
measure "GET /static/app.css" "/static/app.css"
