#!/bin/bash
# web_entitlements_dates.sh: the single window's JSON from one server thread, which keeps the
# schemes bound on a date from one request to the next (ops/entitlements.h), is the same as
# `spfloor entitlements ID --json` whatever was asked before it: persons of two countries, one
# in a household, two in a household of 18, asked on dates in and out of turn (a date again
# after another, a date before a scheme's rule changed), and with the explanation for people.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=${work:-$(mktemp -d)}
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_TODAY=2026-06-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
expect 0 "a widow in Jumla" -- sp person add --given-name Maya --family-name Gurung \
    --sex female --birth-date 1950-04-02 --country NP --admin1 Karnali --admin2 Jumla \
    --marital-status widowed --household jumla-1 --relationship head
maya=$out
expect 0 "her grandson" -- sp person add --given-name Ram --family-name Gurung --sex male \
    --birth-date 2024-02-01 --country NP --admin1 Karnali --admin2 Jumla --household jumla-1 \
    --relationship other
ram=$out
expect 0 "a worker in the Philippines" -- sp person add --given-name Ana --family-name Cruz \
    --sex female --birth-date 1990-05-05 --country PH --admin1 "Metro Manila" \
    --admin2 Manila --worker-category formal_employee --employer "Acme" --monthly-wage 25000 \
    --employment-start 2015-01-01
ana=$out
# a household of 18: its members' household rules are planned (docs/expressions.md "Limits")
expect 0 "the head of a large household" -- sp person add --given-name Bir --family-name Tamang \
    --sex male --birth-date 1940-01-01 --country NP --admin1 Karnali --admin2 Humla \
    --household humla-9 --relationship head
bir=$out
for i in $(seq 1 17); do
    sp person add --given-name "Child$i" --family-name Tamang --sex female \
        --birth-date "$((2008 + i % 17))-03-0$((1 + i % 9))" --country NP --admin1 Karnali \
        --admin2 Humla --household humla-9 --relationship child >"$work/child" 2>/dev/null ||
        fail "member $i of the large household"
done
child=$(cat "$work/child")
expect 0 "a payer" -- sp user add pay --role payer --no-password
token=$(sp user token pay)

# one thread: every request after the first finds the schemes bound before
"$SPFLOOR" serve --listen 127.0.0.1:0 --threads 1 --access-log none 2>"$work/serve.log" &
server_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { fail "the server did not start: $(cat "$work/serve.log")"; finish web_entitlements_dates; }

n=0
for ask in "$maya 2026-06-01" "$ram 2026-06-01" "$maya 2024-01-01" "$ana 2026-06-01" \
    "$maya 2026-06-01" "$ana 2019-03-01" "$ram 2024-01-01" "$maya 2026-06-01 text" \
    "$maya 2024-01-01" "$bir 2026-06-01" "$child 2026-06-01" "$bir 2026-06-01" \
    "$child 2024-01-01 text" "$maya 2026-06-01"; do
    set -- $ask
    n=$((n + 1))
    query="as_of=$2"
    flags=(--json)
    [ "${3:-}" = text ] && query="$query&explain=text" && flags+=(--explain)
    status=$(curl -s -o "$work/web.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/api/v1/persons/$1/entitlements?$query")
    [ "$status" = 200 ] || fail "request $n ($ask): $status $(cat "$work/web.json")"
    sp entitlements "$1" --as-of "$2" "${flags[@]}" >"$work/cli.json" 2>/dev/null
    cmp -s "$work/cli.json" "$work/web.json" ||
        fail "request $n ($ask): the server's entitlements differ from the CLI's"
done
contains "$(cat "$work/cli.json")" '"person":"'"$maya"'"' "the last answer is Maya's"
finish web_entitlements_dates
