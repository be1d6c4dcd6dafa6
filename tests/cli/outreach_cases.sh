#!/bin/bash
# outreach_cases.sh: legal-aid and assisted-claim cases followed to their outcome
# (docs/reports.md "Cases"): opened pending for a registry person or an anonymous claimant,
# then won (with the amount recovered, money in the case's currency) or lost on a day; each
# write audited; bad input writes nothing. postgres_outreach_cases.sh runs it on PostgreSQL.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_REPORT_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
expect 0 "import" -- sp import persons "$SPFLOOR_SRC/tests/data/report/people.csv"
gita=$(sp find Gita | awk '{ print $1; exit }')
org=(--org "GEFONT Kathmandu" --country NP --area Kathmandu)

expect 0 "a legal-aid case for Gita" -- sp outreach case add "${org[@]}" --kind legal_aid \
    --date 2026-02-01 --person "$gita" --note "unpaid wages"
contains "$out" "case 1 " "numbered 1"
contains "$out" "$gita  pending" "pending, for Gita"
expect 0 "an anonymous claimant" -- sp outreach case add "${org[@]}" --kind assisted_claim \
    --date 2026-03-01 --claimant female:under_35
expect 0 "a third, to be lost" -- sp outreach case add "${org[@]}" --kind legal_aid \
    --date 2026-03-05 --claimant male:35_and_over
expect 0 "Gita's case won" -- sp outreach case update 1 --outcome won --date 2026-05-01 \
    --recovered 15000.50
contains "$out" "won on 2026-05-01, recovered 15000.50 NPR" "won, in the currency of Nepal"
expect 0 "the third lost, today" -- sp outreach case update 3 --outcome lost
contains "$out" "lost on 2026-08-01" "on today's date"
expect 0 "list" -- sp outreach case list
[ "$(wc -l <<<"$out")" = 3 ] || fail "three cases: $out"
contains "$out" "anonymous  pending" "the second still pending"

# ---- bad input writes nothing ----
before=$(sp audit verify)
expect 2 "an amount by a case lost" -- sp outreach case update 3 --recovered 100
contains "$err" "only a case won recovers an amount" "said"
expect 2 "a negative amount" -- sp outreach case update 1 --recovered=-5
expect 2 "decided before it was opened" -- sp outreach case update 2 --outcome won \
    --date 2026-01-01
contains "$err" "case 2 is decided before it was opened" "said"
expect 2 "no such case" -- sp outreach case update 9 --outcome lost
contains "$err" "there is no case 9" "named"
expect 2 "an unknown claimant" -- sp outreach case add "${org[@]}" --kind legal_aid \
    --date 2026-03-01 --person 999999999999
expect 2 "an unknown kind" -- sp outreach case add "${org[@]}" --kind appeal --date 2026-03-01
expect 1 "add without its area" -- sp outreach case add --org X --kind legal_aid \
    --date 2026-03-01 --country NP
expect 1 "update with nothing to change" -- sp outreach case update 1
[ "$(sp audit verify)" = "$before" ] || fail "the refused writes wrote nothing"

expect 0 "the audit log" -- sp audit verify
contains "$out" "the audit log holds" "verified"
expect 0 "case entries" -- sp audit show --object case:1
contains "$out" "case.add" "opening audited"
contains "$out" "case.update" "updates audited"

finish outreach_cases
