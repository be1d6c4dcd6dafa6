#!/bin/bash
# events.sh: life events in an SQLite registry (tests/support/events_scenario.bash): a death
# widows the spouse and changes her next entitlements, a mother's maternity decision sees the
# birth, bad events change nothing, and `entitlements --all` skips dead and merged records.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2026-03-01
db="$work/registry.db"
source "$(dirname "$0")/../support/cli.bash"
source "$(dirname "$0")/../support/events_scenario.bash"
finish events
