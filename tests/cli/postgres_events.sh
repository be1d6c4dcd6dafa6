#!/bin/bash
# postgres_events.sh: life events in a registry on PostgreSQL, the same scenario as events.sh
# on SQLite (tests/support/events_scenario.bash): a death widows the spouse and changes her
# next entitlements, a mother's maternity decision sees the birth, bad events change nothing,
# and `entitlements --all` skips dead and merged records. Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message without it.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"
if [ -z "${SPFLOOR_TEST_PG:-}" ]; then
    echo "SKIPPED: SPFLOOR_TEST_PG is not set (ctest starts a server and sets it)"
    exit 0
fi
work=$(mktemp -d)
schema="events_$$_$RANDOM"
case "$SPFLOOR_TEST_PG" in
*\?*) db="$SPFLOOR_TEST_PG&options=-csearch_path%3D$schema" ;;
*) db="$SPFLOOR_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
cleanup() {
    psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null || {
    echo "FAIL: cannot create schema $schema on the test server" >&2
    exit 1
}
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2026-03-01
source "$(dirname "$0")/../support/cli.bash"
source "$(dirname "$0")/../support/events_scenario.bash"
finish postgres_events
