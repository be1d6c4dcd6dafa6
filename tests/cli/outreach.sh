#!/bin/bash
# outreach.sh: the outreach and advocacy logs (docs/reports.md), and the reach indicator.
#   - Two organisations of the GEFONT network and one of none log activities: registry
#     persons and anonymous counts by sex and age group. Kamala takes part twice and is
#     reached once: 3 registry persons and 16 anonymous ones, 19 reached (14 women, 13 under 35).
#   - Reach by org counts Kamala once in each; by network and activity; over a period.
#   - An assisted registration's persons, enrolled later, show as enrolled.
#   - The advocacy log: 3 proposals, 2 approved with entered estimates, summed with their
#     shares of women and under-35s.
#   - Bad input exits 2 and logs nothing: an unknown type, a person not registered, a bad
#     count, an estimate without its source. audit verify passes after all of it.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_OUTREACH_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
expect 0 "import" -- sp import persons "$SPFLOOR_SRC/tests/data/report/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
kamala=$(id_of Kamala)
gita=$(id_of Gita)
hari=$(id_of Hari)

expect 0 "awareness" -- sp outreach add --org "GEFONT Kathmandu" --network GEFONT \
    --type awareness --date 2026-07-10 --country NP --area Kathmandu --person "$kamala" \
    --person "$gita" --count female:under_35=12 --count male:35_and_over=4
contains "$out" "activity 1 logged: GEFONT Kathmandu, awareness, 18 participant(s)" "logged"
expect 0 "assisted registration" -- sp outreach add --org "HomeNet Nepal" \
    --type assisted_registration --date 2026-07-20 --country NP --area Morang \
    --person "$kamala" --person "$hari"
expect 0 "an activity in June" -- sp outreach add --org "GEFONT Morang" --network GEFONT \
    --type training --date 2026-06-05 --country NP --area Morang --count not_given:age_not_given=3
expect 0 "Kamala enrolled after" -- sp enroll "$kamala" np.ssa.senior_citizen --from 2026-07-25

expect 0 "the log" -- sp outreach list
contains "$out" "GEFONT Kathmandu (GEFONT)  awareness  NP / Kathmandu  2 registry person(s), 16 anonymous" "activity 1"
contains "$out" "HomeNet Nepal  assisted_registration  NP / Morang  2 registry person(s), 0 anonymous" "activity 2"

# July: Kamala (F, 72), Gita (F, 30), Hari (M, 41), 12 women under 35 and 4 men of 35+
expect 0 "reach in July" -- sp report reach --from 2026-07-01 --to 2026-08-01 --format csv
contains "$out" $'\n19,73.7,68.4,3,66.7,33.3,1,100.0,0.0,0' \
    "19 reached, 14 women, 13 under 35; 3 in the registry; Kamala enrolled"
expect 0 "reach by org" -- sp report reach --from 2026-07-01 --to 2026-08-01 --by org --format csv
contains "$out" $'\nGEFONT Kathmandu,18,77.8,72.2,2,100.0,50.0,1,' "GEFONT Kathmandu"
contains "$out" $'\nHomeNet Nepal,2,50.0,0.0,2,50.0,0.0,1,' "HomeNet Nepal: Kamala again"
expect 0 "reach since June, by network" -- sp report reach --as-of 2026-08-01 --by network,activity \
    --format csv
contains "$out" $'\nall,all,22,' "3 more in June"
contains "$out" $'\nGEFONT,training,3,0.0,0.0,0,' "the June training: 3 of no given sex or age"
contains "$out" $'\nnot_given,assisted_registration,2,' "HomeNet has no network"
expect 0 "reach, table" -- sp report reach --as-of 2026-08-01
contains "$out" "3 activities by 3 organisations in 1 network" "the summary"
expect 0 "reach, JSON" -- sp report reach --as-of 2026-08-01 --format json
contains "$out" '"summary":"3 activities by 3 organisations in 1 network"' "the summary in JSON"

# ---- advocacy ----
expect 0 "approved" -- sp advocacy add --title "Maternity cover for home-based workers" \
    --country NP --status approved --date 2025-05-01 --org GEFONT --org "HomeNet Nepal" \
    --benefit 175000 --women 82000 --young 70000 --source "SSF actuarial note 2025"
expect 0 "approved 2" -- sp advocacy add --title "Domestic workers in the SSF" --country NP \
    --status approved --date 2025-09-01 --benefit 25000 --women 20000 --young 10000 \
    --source "Ministry of Labour estimate"
expect 0 "lobbied" -- sp advocacy add --title "Pension at 65" --country NP --status lobbied \
    --date 2025-06-01
expect 0 "the advocacy log" -- sp advocacy list
contains "$out" "Lobbied for 3 proposals, contributing to the approval of 2 which would benefit 200000 people (51.0% women and 40.0% under 35 years; entered estimates for 2 of them); 0 rejected, 1 still lobbied." "the summary"
contains "$out" "[GEFONT;HomeNet Nepal]" "the organisations"
expect 0 "a period" -- sp advocacy list --from 2025-06-01 --to 2025-12-31
contains "$out" "Lobbied for 2 proposals, contributing to the approval of 1 which would benefit 25000" "the period"

# ---- bad input writes nothing ----
before=$(sp audit verify)
expect 2 "an unknown type" -- sp outreach add --org X --type dancing --date 2026-07-01 \
    --country NP --area Morang
contains "$err" "--type \"dancing\"" "the type named"
expect 2 "a person not registered" -- sp outreach add --org X --type training \
    --date 2026-07-01 --country NP --area Morang --count female:under_35=2 --person 000000099995
expect 2 "a bad count" -- sp outreach add --org X --type training --date 2026-07-01 \
    --country NP --area Morang --count woman:young=2
expect 2 "a zero count" -- sp outreach add --org X --type training --date 2026-07-01 \
    --country NP --area Morang --count female:under_35=0
expect 1 "no area" -- sp outreach add --org X --type training --date 2026-07-01 --country NP
expect 2 "an estimate without its source" -- sp advocacy add --title T --country NP \
    --status approved --date 2025-01-01 --benefit 10
expect 2 "more women than persons" -- sp advocacy add --title T --country NP \
    --status approved --date 2025-01-01 --benefit 10 --women 11 --source S
expect 2 "an unknown status" -- sp advocacy add --title T --country NP --status won \
    --date 2025-01-01
[ "$(sp audit verify)" = "$before" ] || fail "nothing logged by bad input"
expect 0 "the log unchanged" -- sp outreach list
[ "$(wc -l <<<"$out")" = 3 ] || fail "3 activities: $out"
expect 0 "audit verify" -- sp audit verify

finish outreach
