#!/usr/bin/env bash
# The load bench: the release binary over a generated data set (`demo --scale N`, embedded
# SQLite), driven by wrk through the scenarios below, with the bench's own baselines
# (bench/baseline, a workspace member no product crate depends on) measured in the same
# run, alternating with the product, so ratios compare like with like on one machine:
#
#   page 1        GET /v1/customers?size=100 as the largest partner (40 % of N customers)
#   deep page     the same, the page after the 50,000th customer (or half-way, if fewer)
#   subscriptions GET /v1/customers/{id}/subscriptions (ten per customer)
#   access check  POST /v1/access/check
#   suspend/reactivate  PATCH a subscription's status, suspended and active in turn
#   baseline bytes      a bare axum handler answering the bytes of the product's page 1
#   baseline keyset     bare axum + rusqlite, a keyset page of 100 from a plain table of
#                       the same partner's customers (page 1 and the same deep page)
#
# With BENCH_POSTGRES_URL (a PostgreSQL server's maintenance database, e.g.
# postgres://postgres@127.0.0.1:5432/postgres) it also writes the same data set into a
# database of its own there (dropped after), serves it, and alternates page 1 on PostgreSQL
# with `pgbench -f` running the page's transaction (its count and its keyset query, as the
# store runs them) at the same concurrency.
#
# Writes docs/BENCHMARKS.md (req/s, p50/p99, errors, the server's idle and peak RSS, the
# machine and the commands), keeping what follows the line `<!-- kept by bench/run.sh -->`
# (figures measured by other commands). Needs wrk and python3 (and pgbench for PostgreSQL).
#
# Usage: bash bench/run.sh [N] [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
#                                             (defaults 250000, 10, 16, 2)
#        bash bench/run.sh --smoke            (2,000 customers, 2 s per scenario, one round;
#                                             checks every scenario answers without errors;
#                                             writes nothing under docs/; runs the debug
#                                             binaries `cargo test --workspace` builds, so
#                                             CI runs it without a build of its own)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
smoke=false
if [[ "${1:-}" == "--smoke" ]]; then
    smoke=true
    shift
    set -- 2000 2 4 1
fi
n=${1:-250000}
duration=${2:-10}
connections=${3:-16}
rounds=${4:-2}
command -v wrk >/dev/null || { echo "bench/run.sh needs wrk: apt-get install wrk" >&2; exit 1; }

target_dir=${CARGO_TARGET_DIR:-$PWD/target}
if $smoke; then
    # The test profile's binaries (built by `cargo test --workspace`); built here if missing.
    profile=debug
    [[ -x $target_dir/debug/partnerdesk && -x $target_dir/debug/partnerdesk-bench-baseline ]] ||
        cargo build -q -p partnerdesk -p partnerdesk-bench-baseline
else
    profile=release
    cargo build --release -q -p partnerdesk -p partnerdesk-bench-baseline
fi
bin=$target_dir/$profile/partnerdesk
baseline=$target_dir/$profile/partnerdesk-bench-baseline

work=$(mktemp -d)
pids=()
pg_db=""
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    if [[ -n "$pg_db" ]]; then
        sleep 1
        psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Starts a command that prints "... listening on http://ADDR"; sets $addr and $pid.
start() {
    local log=$1; shift
    "$@" >"$log" 2>/dev/null &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 1 600); do
        addr=$(sed -n 's/.*listening on http:\/\///p' "$log" | head -n1)
        [[ -n "$addr" ]] && return
        sleep 0.1
    done
    echo "server did not start: $log" >&2; exit 1
}

db_file=$work/pd.db
db="sqlite://$db_file"
generate_cmd="partnerdesk --database-url sqlite://pd.db demo --scale $n"
echo "generating: $generate_cmd"
gen_start=$(date +%s.%N)
"$bin" --log warn --database-url "$db" demo --scale "$n" | tail -n1 | tee "$work/generated.txt"
gen_seconds=$(python3 -c "import time; print(round(time.time() - $gen_start, 1))")

start "$work/serve.log" "$bin" --log warn --database-url "$db" serve --listen 127.0.0.1:0 --rate-limit 0
server_pid=$pid
base="http://$addr"
sleep 1
idle_rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")

python3 - "$base" "$work" <<'PY'
import json, sys, urllib.request
base, work = sys.argv[1], sys.argv[2]
def call(path, method="GET", body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=body, headers=headers or {})
    with urllib.request.urlopen(req) as r:
        return r.read(), r.headers
form = b"grant_type=password&username=admin%40scale0001.example&password=partnerdesk-demo"
token = json.loads(call("/oauth2/token", "POST", form, {"Content-Type": "application/x-www-form-urlencoded"})[0])["access_token"]
auth = {"Authorization": "Bearer " + token}
me = json.loads(call("/v1/me", headers=auth)[0])
first, _ = call("/v1/customers?size=100", headers=auth)
page = json.loads(first)
total = page["totalCount"]
deep_after = min(50000, total // 2)
# Walk to the deep page as a client does, following the continuation tokens.
seen, token_header, last_id = len(page["items"]), None, page["items"][-1]["id"]
while seen < deep_after:
    nxt = page["links"]["next"]
    token_header = nxt["headers"][0]["value"]
    body, _ = call(nxt["uri"], headers={**auth, "MS-ContinuationToken": token_header})
    page = json.loads(body)
    seen += len(page["items"])
    last_id = page["items"][-1]["id"]
nxt = page["links"]["next"]
deep_token = nxt["headers"][0]["value"]
customer = json.loads(first)["items"][0]["id"]
subs = json.loads(call(f"/v1/customers/{customer}/subscriptions", headers=auth)[0])["items"]
active = [s["id"] for s in subs if s["status"] in ("active", "suspended")]
open(f"{work}/page1.json", "wb").write(first)
env = {
    "TOKEN": token, "PARTNER": me["tenantId"], "CUSTOMER": customer, "TOTAL": str(total),
    "DEEP_TOKEN": deep_token, "DEEP_AFTER_ID": last_id, "DEEP_AT": str(seen),
    "SUBS": " ".join(active),
}
with open(f"{work}/env.sh", "w") as f:
    for k, v in env.items():
        f.write(f"{k}='{v}'\n")
PY
# shellcheck disable=SC1091
source "$work/env.sh"
echo "largest partner: $TOTAL customers; deep page after customer $DEEP_AT"

# The keyset baseline's plain table: the same partner's customers, id as the primary key.
python3 - "$db_file" "$work/plain.db" "$PARTNER" <<'PY'
import sqlite3, sys
src, dst, partner = sys.argv[1:]
c = sqlite3.connect(dst)
c.execute("ATTACH DATABASE ? AS pd", (f"file:{src}?mode=ro",))
c.execute("""CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL,
             country TEXT NOT NULL, culture TEXT NOT NULL, billing_contact TEXT NOT NULL,
             billing_email TEXT NOT NULL, billing_address TEXT NOT NULL, created_at TEXT NOT NULL,
             version INTEGER NOT NULL)""")
c.execute("""INSERT INTO customers SELECT customer_id, name, domain, country, culture, billing_contact,
             billing_email, billing_address, created_at, version FROM pd.customer_list
             WHERE partner_id = ? ORDER BY customer_id""", (partner,))
c.execute("CREATE TABLE count_cache (n INTEGER NOT NULL)")
c.execute("INSERT INTO count_cache SELECT count(*) FROM customers")
c.commit()
PY

start "$work/bytes.log" "$baseline" bytes 127.0.0.1:0 "$work/page1.json"
bytes_base="http://$addr"
start "$work/keyset.log" "$baseline" keyset 127.0.0.1:0 "$work/plain.db"
keyset_base="http://$addr"

role=729827e3-9c14-49f7-bb1b-9608f156bbb8
cat >"$work/access.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"customerId": "$CUSTOMER", "partnerId": "$PARTNER", "role": "$role"}'
wrk.headers["Content-Type"] = "application/json"
LUA
# Each request patches the next subscription of the customer, suspending on one lap over
# them and reactivating on the next.
lua_subs=$(printf '"%s",' $SUBS)
cat >"$work/patch.lua" <<LUA
local subs = {${lua_subs%,}}
local i = 0
request = function()
    local sub = subs[(i % #subs) + 1]
    local status = (math.floor(i / #subs) % 2 == 0) and "suspended" or "active"
    i = i + 1
    return wrk.format("PATCH", "/v1/customers/$CUSTOMER/subscriptions/" .. sub,
        {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $TOKEN"},
        '{"status": "' .. status .. '"}')
end
LUA

results=$work/results.tsv
: >"$results"
# run NAME WRK-ARGS...: one wrk run; appends name, req/s, p50, p99, requests, errors.
run() {
    local name=$1; shift
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" >"$work/wrk.out" 2>&1 || true
    python3 - "$name" "$work/wrk.out" >>"$results" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
reqs = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
print(f"{name}\t{rps:.0f}\t{ms('50'):.2f}\t{ms('99'):.2f}\t{reqs}\t{errors}")
PY
    tail -n1 "$results" | awk -F'\t' '{printf "%-44s %8s req/s  p50 %6s ms  p99 %6s ms  errors %s\n", $1, $2, $3, $4, $6}'
}

# PostgreSQL: the same data set in a database of its own, its server, and pgbench's script.
pg=false
if [[ -n "${BENCH_POSTGRES_URL:-}" ]]; then
    command -v pgbench >/dev/null || { echo "BENCH_POSTGRES_URL needs pgbench" >&2; exit 1; }
    pg=true
    pg_db=partnerdesk_bench_$$
    psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $pg_db"
    pg_url="${BENCH_POSTGRES_URL%/*}/$pg_db"
    echo "generating on PostgreSQL: partnerdesk --database-url $pg_url demo --scale $n"
    pg_gen_start=$(date +%s.%N)
    "$bin" --log warn --database-url "$pg_url" demo --scale "$n" | tail -n1 | tee "$work/pg-generated.txt"
    pg_gen_seconds=$(python3 -c "import time; print(round(time.time() - $pg_gen_start, 1))")
    start "$work/pg-serve.log" "$bin" --log warn --database-url "$pg_url" serve --listen 127.0.0.1:0 --rate-limit 0
    pg_base="http://$addr"
    python3 - "$pg_base" "$work" <<'PY'
import json, sys, urllib.request
base, work = sys.argv[1], sys.argv[2]
form = b"grant_type=password&username=admin%40scale0001.example&password=partnerdesk-demo"
req = urllib.request.Request(base + "/oauth2/token", method="POST", data=form,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
token = json.loads(urllib.request.urlopen(req).read())["access_token"]
req = urllib.request.Request(base + "/v1/me", headers={"Authorization": "Bearer " + token})
partner = json.loads(urllib.request.urlopen(req).read())["tenantId"]
open(f"{work}/pg-env.sh", "w").write(f"PG_TOKEN='{token}'\nPG_PARTNER='{partner}'\n")
PY
    # shellcheck disable=SC1091
    source "$work/pg-env.sh"
    # Page 1 as the store reads it (postgres/relationships.rs): the count row, then a
    # range of the partner's list rows, one more than the page, in a read-only transaction.
    cat >"$work/page.sql" <<'SQL'
BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
SELECT coalesce((SELECT customers FROM partner_customer_counts WHERE partner_id = :partner), 0);
SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact,
       l.billing_email, l.billing_address, l.created_at, l.version
FROM customer_list l WHERE l.partner_id = :partner AND l.customer_id >= '00000000-0000-0000-0000-000000000000'
ORDER BY l.customer_id LIMIT 101;
COMMIT;
SQL
fi

# pgbench_run NAME: pgbench -f page.sql at the bench's concurrency; appends a result row.
pgbench_run() {
    pgbench -n -M prepared -f "$work/page.sql" -D "partner=$PG_PARTNER" -c "$connections" -j 2 \
        -T "$duration" "$pg_url" >"$work/pgbench.out" 2>&1 || true
    python3 - "$1" "$work/pgbench.out" >>"$results" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
tps = float(re.search(r"tps = ([\d.]+)", text).group(1))
done = int(re.search(r"number of transactions actually processed: (\d+)", text).group(1))
avg = re.search(r"latency average = ([\d.]+) ms", text)
failed = re.search(r"number of failed transactions: (\d+)", text)
print(f"{name}\t{tps:.0f}\t{float(avg.group(1)) if avg else float('nan'):.2f}\tnan\t{done}\t{int(failed.group(1)) if failed else 0}")
PY
    tail -n1 "$results" | awk -F'\t' '{printf "%-44s %8s tx/s   avg %6s ms               errors %s\n", $1, $2, $3, $6}'
}

H="Authorization: Bearer $TOKEN"
echo "machine: $(nproc) cores; wrk -t2 -c$connections -d${duration}s; $rounds round(s)"
for round in $(seq 1 "$rounds"); do
    echo "-- round $round"
    run "page 1" -H "$H" "$base/v1/customers?size=100"
    run "baseline bytes (page 1)" "$bytes_base/v1/customers"
    run "baseline keyset (page 1)" "$keyset_base/v1/customers?size=100"
    run "deep page" -H "$H" -H "MS-ContinuationToken: $DEEP_TOKEN" "$base/v1/customers?size=100&seekOperation=Next"
    run "baseline keyset (deep page)" "$keyset_base/v1/customers?size=100&after=$DEEP_AFTER_ID"
    run "subscriptions of a customer" -H "$H" "$base/v1/customers/$CUSTOMER/subscriptions"
    run "access check" -H "$H" -s "$work/access.lua" "$base/v1/access/check"
    run "suspend/reactivate" -s "$work/patch.lua" "$base"
    if $pg; then
        run "PostgreSQL: page 1" -H "Authorization: Bearer $PG_TOKEN" "$pg_base/v1/customers?size=100"
        pgbench_run "PostgreSQL: pgbench, page 1's transaction"
    fi
done
rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")

summary=$(python3 - "$results" <<'PY'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, rps, p50, p99, reqs, errors = line.rstrip("\n").split("\t")
    rows[name].append((float(rps), float(p50), float(p99), int(reqs), int(errors)))
print("| scenario | req/s (each round) | p50 ms | p99 ms | requests | errors |")
print("| --- | --- | --- | --- | --- | --- |")
for name, rs in rows.items():
    print(f"| {name} | {' / '.join(f'{r[0]:,.0f}' for r in rs)} | {' / '.join(f'{r[1]:.2f}' for r in rs)} "
          f"| {' / '.join(f'{r[2]:.2f}' for r in rs)} | {sum(r[3] for r in rs):,} | {sum(r[4] for r in rs)} |")
def mean(name, i):
    return sum(r[i] for r in rows[name]) / len(rows[name])
print()
print(f"- page 1 against the bare axum + rusqlite keyset page: "
      f"{mean('page 1', 0) / mean('baseline keyset (page 1)', 0):.2f} x its rate (target: at least 1.00)")
print(f"- page 1 against the bare axum handler returning its bytes: "
      f"{mean('page 1', 0) / mean('baseline bytes (page 1)', 0):.2f} x")
print(f"- deep page p99 against page 1 p99: {mean('deep page', 2) / mean('page 1', 2):.2f} x (target: at most 1.10)")
pg_page, pg_bench = "PostgreSQL: page 1", "PostgreSQL: pgbench, page 1's transaction"
if pg_page in rows:
    print(f"- PostgreSQL page 1 against pgbench running its transaction: "
          f"{mean(pg_page, 0) / mean(pg_bench, 0):.2f} x its rate (target: at least 0.50)")
PY
)
echo "$summary"
echo "server RSS: idle $((idle_rss_kib / 1024)) MiB, peak $((rss_kib / 1024)) MiB"
errors=$(awk -F'\t' '{s += $6} END {print s + 0}' "$results")

if $smoke; then
    [[ "$errors" -eq 0 ]] || { echo "smoke: $errors errors" >&2; exit 1; }
    echo "smoke: every scenario answered without errors"
    exit 0
fi

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
kept=""
if [[ -f docs/BENCHMARKS.md ]] && grep -q '^<!-- kept by bench/run.sh -->' docs/BENCHMARKS.md; then
    kept=$(sed -n '/^<!-- kept by bench\/run.sh -->/,$p' docs/BENCHMARKS.md)
fi
pg_lines=""
if $pg; then
    pg_lines="
On PostgreSQL (the same server as the tests, 127.0.0.1): \`partnerdesk --database-url postgres://.../DB demo --scale $n\` ($pg_gen_seconds s):
$(sed 's/^/    /' "$work/pg-generated.txt")
"
fi
pg_prefix="" pg_scenarios="" pg_note=""
if $pg; then
    pg_prefix="BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres "
    pg_scenarios=", page 1 on PostgreSQL, pgbench"
    pg_note=" pgbench runs page 1's transaction as the store does (\`-M prepared\`, the count
row and the keyset query in a read-only repeatable-read transaction); its p50 column is
its average latency."
fi
cat >docs/BENCHMARKS.md <<MD
# Benchmarks

Written by \`${pg_prefix}bash bench/run.sh $n $duration $connections $rounds\` on $(date -u +%Y-%m-%d). Rerun it to
refresh this file; compare figures within one run (this machine's ceiling moves by a third
between runs).

## Machine

- $(nproc) cores ($cpu), $mem, $(uname -sr); the bench shares them with the server
  (wrk -t2) and with whatever else runs. The machine was shared with other builds during
  the run (load average $load at its end), so single figures are noisy: the ratios within
  this run, product and baselines alternating, are what counts.
- The release build of \`partnerdesk\`, embedded SQLite (WAL), \`serve --rate-limit 0\`.

## Data set

\`$generate_cmd\` ($gen_seconds s):
$(sed 's/^/    /' "$work/generated.txt")
$pg_lines
The largest partner (admin@scale0001.example) has $TOTAL customers; the deep page is the
page after its customer number $DEEP_AT.

## Results

Each scenario: \`wrk -t2 -c$connections -d${duration}s --latency\`, $rounds round(s), the product and the
baselines alternating within each round (page 1, baseline bytes, baseline keyset, deep
page, baseline keyset deep, subscriptions, access check, suspend/reactivate$pg_scenarios).

$summary
- The server's RSS: idle after start over the data set $((idle_rss_kib / 1024)) MiB (target: under 30 MB);
  peak over the whole run $((rss_kib / 1024)) MiB (target: under 300 MB serving 1,000,000 customers;
  this data set has $n).

The baselines (\`bench/baseline\`): a bare axum handler answering the bytes of the product's
page 1, and a bare axum + rusqlite handler reading a keyset page of 100 from a plain table
(\`id TEXT PRIMARY KEY\` and the list columns) of the same customers, with a cached count:
a fixed pool of read connections (one per runtime worker, opened once, the statement
prepared once), the query run on the worker, each row written straight into the response
buffer. Suspend/reactivate patches the customer's subscriptions in turn; concurrent
requests on one subscription may be refused (counted as errors).$pg_note
MD
if [[ -n "$kept" ]]; then
    printf '\n%s\n' "$kept" >>docs/BENCHMARKS.md
fi
echo "wrote docs/BENCHMARKS.md"
