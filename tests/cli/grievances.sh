#!/bin/bash
# grievances.sh: grievances and their levels (docs/grievances.md), every state, level and
# deadline asserted:
#   - A grievance opens at the office with its type's time limit (15 days; a payment 7).
#   - One that passes its deadline escalates, on the day after it, to the district with a new
#     deadline (30 days); left long enough it climbs to the court, and stays overdue there.
#   - An escalation by hand, a resolution; a resolved grievance neither escalates nor resolves
#     again (exit 3).
#   - A policy file sets other levels and days; a mistake in it is placed at line:column.
#   - Bad input exits 2 and writes nothing: an unknown person, an unknown type, a claim that
#     is not the person's.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_GRIEVANCES_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
unset SPFLOOR_GRIEVANCE_POLICY
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
expect 0 "a Nepali worker" -- sp person add --given-name Maya --family-name Tamang --sex female \
    --birth-date 1990-04-01 --country NP --admin1 Bagmati --admin2 Kathmandu
maya=$out
expect 0 "another" -- sp person add --given-name Hari --family-name Rai --sex male \
    --birth-date 1985-09-01 --country NP --admin1 Koshi --admin2 Morang
hari=$out

# ---- bad input writes nothing ----
expect 2 "an unknown person" -- sp grievance open 000000000999 --about registration \
    --text "x"
expect 2 "an unknown type" -- sp grievance open "$maya" --about pension --text "x"
contains "$err" "use claim, enrolment, payment or registration" "the types named"
expect 2 "a claim that is not hers" -- sp grievance open "$maya" --about claim 7 --text "x"
contains "$err" "$maya has no claim number 7" "the claim named"
expect 1 "no text" -- sp grievance open "$maya" --about registration
expect 0 "nothing stored" -- sp grievance list
[ -z "$out" ] || fail "bad input stored a grievance: $out"

# ---- a grievance that passes its deadline and escalates ----
expect 0 "Maya's registration grievance" -- sp grievance open "$maya" --about registration \
    --text "my card shows the wrong district" --date 2026-01-05
contains "$out" "grievance 1: open at office, deadline 2026-01-20" "office, 15 days"
expect 0 "Hari's payment grievance" -- sp grievance open "$hari" --about payment --text \
    "allowance for Poush not received" --date 2026-01-05
contains "$out" "grievance 2: open at office, deadline 2026-01-12" "a payment: 7 days"
expect 0 "Hari's is resolved in time" -- sp grievance resolve 2 --date 2026-01-09 \
    --reason "paid on 2026-01-09"
contains "$out" "grievance 2: resolved at office" "resolved"

expect 0 "on its deadline nothing is overdue" -- sp grievance list --overdue --as-of 2026-01-20
[ -z "$out" ] || fail "nothing is overdue on the deadline day: $out"
expect 0 "the day after, listed without escalating" -- sp grievance list --overdue \
    --as-of 2026-01-21 --no-escalate
contains "$out" "office" "still at the office"
contains "$out" "OVERDUE" "marked overdue"
expect 0 "the day after, it escalates" -- sp grievance list --overdue --as-of 2026-01-21
contains "$out" "district" "to the district"
contains "$out" "deadline 2026-02-20 (escalated 1)" "30 days from 2026-01-21"
case "$out" in *OVERDUE*) fail "not overdue at its new level: $out" ;; esac
expect 0 "the grievance" -- sp grievance show 1 --json
contains "$out" '"level": "district"' "at the district"
contains "$out" '"state": "open"' "open"
contains "$out" '"deadline": "2026-02-20"' "its new deadline"
expect 0 "its steps" -- sp grievance show 1
contains "$out" "1. 2026-01-05  open     -> office     deadline 2026-01-20" "opened"
contains "$out" "2. 2026-01-21  escalate -> district   deadline 2026-02-20" "escalated"
contains "$out" "not resolved at office by its deadline, 2026-01-20" "why"
expect 0 "listed again the same day: nothing more" -- sp grievance list --overdue \
    --as-of 2026-01-21
[ -z "$out" ] || fail "escalated twice: $out"

# ---- by hand, then forgotten until it reaches the court ----
expect 0 "escalated by hand" -- sp grievance escalate 1 --date 2026-02-01 \
    --reason "the district office has no card printer" --by "district officer"
contains "$out" "grievance 1: open at national, deadline 2026-04-02" "national, 60 days"
expect 0 "forgotten for a year" -- sp grievance list --overdue --as-of 2027-01-15
contains "$out" "court" "it climbs to the court"
contains "$out" "deadline 2026-09-30 (escalated 1) OVERDUE" "180 days from 2026-04-03, passed"
expect 0 "at the court it stays" -- sp grievance list --overdue --as-of 2027-01-15
contains "$out" "court" "still at the court"
contains "$out" "OVERDUE" "still overdue"
case "$out" in *escalated*) fail "escalated past the last level: $out" ;; esac
expect 3 "no level after the court" -- sp grievance escalate 1 --reason "x"
contains "$err" "the last level" "said"
expect 0 "resolved" -- sp grievance resolve 1 --reason "card reprinted" --by "court registrar"
contains "$out" "grievance 1: resolved at court" "resolved"
expect 3 "resolved twice" -- sp grievance resolve 1 --reason "again"
expect 3 "a resolved grievance does not escalate" -- sp grievance escalate 1 --reason "x"
expect 0 "nothing overdue once resolved" -- sp grievance list --overdue --as-of 2028-01-01
[ -z "$out" ] || fail "a resolved grievance is overdue: $out"
expect 0 "Maya's grievances" -- sp grievance list "$maya"
contains "$out" "resolved" "on her record"

# ---- a policy of its own ----
cat >"$work/policy.txt" <<'POLICY'
# the ward hears it first
ward      10  payment=3
ministry  20
POLICY
expect 0 "a payment grievance at the ward" -- sp grievance open "$hari" --about payment \
    --text "second instalment missing" --date 2026-07-01 --policy "$work/policy.txt"
contains "$out" "grievance 3: open at ward, deadline 2026-07-04" "3 days at the ward"
expect 0 "to the ministry" -- env SPFLOOR_GRIEVANCE_POLICY="$work/policy.txt" \
    "$SPFLOOR" --quiet grievance list --overdue --as-of 2026-07-05
contains "$out" "ministry" "escalated as the policy says"
contains "$out" "deadline 2026-07-25" "20 days at the ministry"
expect 3 "the ministry is this policy's last level" -- sp grievance escalate 3 --reason "x" \
    --policy "$work/policy.txt"
printf 'ward 10\nministry\n' >"$work/bad-policy.txt"
expect 2 "a level without its days" -- sp grievance list --overdue --policy "$work/bad-policy.txt"
contains "$err" "bad-policy.txt:2:9:" "placed at line:column"

expect 0 "the audit log verifies" -- sp audit verify
expect 0 "Maya's audit trail" -- sp audit show --object "$maya"
[ "$(grep -c 'grievance\.' <<<"$out")" = 5 ] ||
    fail "open, three escalations (the district, by hand, the court), resolve: $out"

finish grievances
