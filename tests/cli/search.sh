#!/bin/bash
# search.sh: find through the text index (names in any script, transliterated, by phone and by
# the printed worker ID, ranked and paged, kept in step with corrections and imports) and
# likely duplicates (person add refuses one, --not-duplicate-of, dedup scan, merge), on SQLite.
# tests/cli/postgres_search.sh runs the same scenario on PostgreSQL.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_TODAY=2025-01-15
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"

db="$work/registry.db"
run_sql() { sqlite3 "$db" "$1"; }
source "$(dirname "$0")/../support/search.bash"

finish search
