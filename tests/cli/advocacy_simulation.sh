#!/bin/bash
# advocacy_simulation.sh: whom a proposal would benefit, from a simulation (docs/reports.md
# "The advocacy log"): `advocacy add --simulation REFORM.yaml` simulates the reform over the
# registry or a synthetic population and keeps its gainers, with the women and under-35s
# among them, under the source "simulation of <overlay id> ..."; the list and the annual
# summary say which figures are entered and which simulated. On the small registry of
# report.sh plus Radha, a woman of 66: the senior allowance from 65 (examples/reforms/
# np-senior-age-65.yaml) would add her alone. postgres_advocacy_simulation.sh runs it on
# PostgreSQL.
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
reform="$SPFLOOR_SRC/examples/reforms/np-senior-age-65.yaml"

expect 0 "init" -- sp init
expect 0 "import" -- sp import persons "$SPFLOOR_SRC/tests/data/report/people.csv"
expect 0 "Radha, 66" -- sp person add --given-name Radha --family-name Adhikari --sex female \
    --birth-date 1960-01-01 --country NP --admin1 Bagmati --admin2 Lalitpur

proposal=(--title "Senior allowance at 65" --country NP --status approved --date 2026-05-01
    --org GEFONT)
expect 0 "simulated over the registry" -- sp advocacy add "${proposal[@]}" --simulation "$reform"
contains "$out" "1 people, 1 women, 0 under 35" "Radha alone gains"
contains "$out" "source: simulation of np.senior_age_65 over the registry on 2026-08-01" \
    "the source says it is a simulation, of what, over what, on which day"
expect 0 "over a synthetic population" -- sp advocacy add "${proposal[@]}" \
    --simulation "$reform" --population synthetic --as-of 2026-08-01
contains "$out" "over a synthetic population of NP (10000 persons) on 2026-08-01" "said"
benefit=$(sed -n 's/^  \([0-9]*\) people.*/\1/p' <<<"$out")
[ "${benefit:-0}" -gt 100000 ] || fail "a synthetic population stands for the country: $out"
expect 0 "an entered estimate" -- sp advocacy add --title "Maternity cover" --country NP \
    --status approved --date 2026-05-01 --org GEFONT --benefit 175000 --women 82000 \
    --young 70000 --source "SSF actuarial note"
expect 0 "list" -- sp advocacy list
contains "$out" "entered estimates for 1 of them, simulations for 2" "the list says which"
expect 0 "the annual summary" -- sp report annual --org GEFONT --year 2026
contains "$out" ": 1 entered estimate, 2 simulations;" "and so does the annual summary"

# ---- bad arguments ----
expect 2 "a simulation and an estimate" -- sp advocacy add "${proposal[@]}" \
    --simulation "$reform" --benefit 10 --source x
expect 2 "an entered source posing as a simulation" -- sp advocacy add "${proposal[@]}" \
    --benefit 10 --source "simulation of np.senior_age_65"
expect 1 "--population without a simulation" -- sp advocacy add "${proposal[@]}" \
    --population synthetic
printf 'id: np.broken\nparameters: [\n' >"$work/broken.yaml"
expect 2 "a reform that does not load" -- sp advocacy add "${proposal[@]}" \
    --simulation "$work/broken.yaml"
contains "$err" "broken.yaml:" "named with its place"
expect 0 "three proposals, no more" -- sp advocacy list
contains "$out" "Lobbied for 3 proposals" "the refused ones were not logged"

finish advocacy_simulation
