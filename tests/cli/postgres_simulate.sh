#!/bin/bash
# postgres_simulate.sh: `spfloor simulate` over a registry on PostgreSQL gives the figures it
# gives over an SQLite file holding the same persons: the hand-built Nepali population, whose
# totals are known (tests/cli/simulate.sh), and 3,000 synthetic Nepali persons in households.
# Runs on the test server in SPFLOOR_TEST_PG (ctest starts one), in a schema of its own;
# skipped with a message without it.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
: "${SPFLOOR_BUILD:?set SPFLOOR_BUILD to the build directory (for gen-population)}"
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema sim
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2026-08-01
source "$(dirname "$0")/../support/cli.bash"

reform="$SPFLOOR_SRC/examples/reforms/np-senior-age-65.yaml"
"$SPFLOOR_BUILD/gen-population" --persons 3000 --country NP --seed 7 --out "$work/np.csv" ||
    fail "gen-population"
for store in "$db" "$work/registry.db"; do
    expect 0 "init" -- "$SPFLOOR" --db "$store" init
    expect 0 "import the hand-built persons" -- "$SPFLOOR" --db "$store" import persons \
        "$SPFLOOR_SRC/tests/data/simulate/nepal.csv"
done
expect 0 "simulate on PostgreSQL" -- "$SPFLOOR" --db "$db" simulate --reform "$reform" \
    --as-of 2026-08-01 --format csv
contains "$out" "total,all,6,3,3,6,3,111840.00,5,5,6,5,223920.00,112080.00,112080.00,0.00,3,0,3,0,0" \
    "the known totals on PostgreSQL"
for store in "$db" "$work/registry.db"; do
    expect 0 "import 3,000 synthetic persons" -- "$SPFLOOR" --db "$store" import persons \
        "$work/np.csv"
done
expect 0 "simulate on PostgreSQL" -- "$SPFLOOR" --db "$db" simulate --reform "$reform" \
    --as-of 2026-08-01 --format csv
pg=$out
expect 0 "simulate on SQLite" -- "$SPFLOOR" --db "$work/registry.db" simulate \
    --reform "$reform" --as-of 2026-08-01 --format csv
[ "$pg" = "$out" ] || fail "PostgreSQL and SQLite give the same figures: $(diff <(echo "$pg") <(echo "$out") | head -5)"
winners=$(awk -F, '$1 == "total" { print $17 }' <<<"$pg")
[ "${winners:-0}" -gt 3 ] || fail "the synthetic persons add winners ($winners)"

finish postgres_simulate
