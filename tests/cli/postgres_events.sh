#!/bin/bash
# postgres_events.sh: life events in a registry on PostgreSQL, the same scenario as events.sh
# on SQLite (tests/support/events_scenario.bash): a death widows the spouse and changes her
# next entitlements, a mother's maternity decision sees the birth, bad events change nothing,
# and `entitlements --all` skips dead and merged records. Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message without it.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema events
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2026-03-01
source "$(dirname "$0")/../support/cli.bash"
source "$(dirname "$0")/../support/events_scenario.bash"
finish postgres_events
