#!/usr/bin/env bash
# Schema fuzzing: schemathesis generates requests from /openapi.json, valid ones and invalid
# ones, and checks every answer: never a 5xx, a status the document declares for that
# operation, a body and content type that match what it declares.
#
# It runs once per kind of caller (a direct partner's admin, an indirect reseller's admin, a
# customer's global admin and the operator), each against a fresh server with the demo data
# on its own SQLite file, since the fuzzer deletes and changes whatever it finds.
#
#   scripts/schema-fuzz.sh                 # the bounded run .ci/run makes
#   scripts/schema-fuzz.sh --examples 200  # a long run
#   scripts/schema-fuzz.sh --caller operator --examples 50
#
# Options:
#   --examples N   test cases per operation and phase (default 5)
#   --caller WHO   only this caller: partner, reseller, customer or operator
#   --seed N       schemathesis's seed (default 1, so a failure can be replayed)
#   --keep DIR     keep each caller's report (ndjson, junit) and server log in DIR
# The binary is target/debug/partnerdesk (built here if cargo is at hand); PARTNERDESK names
# another. schemathesis is installed, pinned, into target/schemathesis-venv.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION=4.32.5
examples=5
seed=1
callers=(partner reseller customer operator)
keep=""
while (($#)); do
    case "$1" in
        --examples) examples="$2"; shift 2 ;;
        --caller) callers=("$2"); shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

venv="$PWD/target/schemathesis-venv"
if ! "$venv/bin/python" -c "import sys; from importlib.metadata import version; sys.exit(version('schemathesis') != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

binary="${PARTNERDESK:-}"
if [[ -z "$binary" ]]; then
    cargo build --quiet -p partnerdesk
    binary="$PWD/target/debug/partnerdesk"
fi

work="$(mktemp -d)"
server=""
stop_server() {
    if [[ -n "$server" ]]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=""
    fi
}
trap 'stop_server; rm -rf "$work"' EXIT

email_of() {
    case "$1" in
        partner) echo admin@contoso-partners.example ;;
        reseller) echo admin@fabrikam-resellers.example ;;
        customer) echo admin@treyresearch.example ;;
        operator) echo operator@partnerdesk.example ;;
        *) echo "unknown caller $1" >&2; exit 2 ;;
    esac
}

# Starts a server with the demo data on a new database; sets $base.
start_server() {
    local dir="$1"
    "$binary" serve --database-url "sqlite://$dir/partnerdesk.db" --listen 127.0.0.1:0 --demo \
        --rate-limit 0 --log warn >"$dir/stdout" 2>"$dir/server.log" &
    server=$!
    base=""
    for _ in $(seq 1 600); do
        base="$(sed -n 's/^partnerdesk listening on //p' "$dir/stdout")"
        [[ -n "$base" ]] && break
        kill -0 "$server" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
        sleep 0.1
    done
    [[ -n "$base" ]] || { echo "the server did not start" >&2; exit 1; }
}

token_for() {
    curl --silent --show-error --fail "$base/oauth2/token" \
        --data-urlencode grant_type=password \
        --data-urlencode "username=$(email_of "$1")" \
        --data-urlencode password=partnerdesk-demo |
        "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

failed=0
summary=""
for who in "${callers[@]}"; do
    dir="$work/$who"
    mkdir -p "$dir"
    start_server "$dir"
    token="$(token_for "$who")"
    echo "==> schemathesis as the $who ($(email_of "$who")) against $base, $examples examples"
    status=0
    # The access token is valid for an hour; a run as one caller longer than that would
    # see 401s from then on (documented, so no failure, but nothing more is covered).
    # Run from the caller's directory: schemathesis keeps a cache where it runs.
    (cd "$dir" && "$venv/bin/schemathesis" --no-color run "$base/openapi.json" \
        --header "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --mode all --phases examples,coverage,fuzzing \
        --max-examples "$examples" --seed "$seed" --workers 2 \
        --suppress-health-check all --generation-database none \
        --report ndjson,junit --report-dir "$dir/report" \
        --warnings off) 2>&1 | tee "$dir/out" || status=${PIPESTATUS[0]}
    stop_server
    # "3318 generated, 4 found 4 unique failures" or "3318 generated, 3318 passed"
    cases="$(sed -n 's/^ *\([0-9]* generated.*\)$/\1/p' "$dir/out" | tail -n 1)"
    summary+="$who: ${cases:-no test cases}; exit $status"$'\n'
    if [[ -n "$keep" ]]; then
        mkdir -p "$keep/$who"
        cp -r "$dir/report" "$dir/server.log" "$dir/out" "$keep/$who/"
    fi
    ((status == 0)) || failed=1
done

printf '\n==> schema fuzzing\n%s' "$summary"
exit "$failed"
