#!/bin/bash
# postgres_search.sh: the scenario of tests/cli/search.sh (tests/support/search.bash) on
# PostgreSQL, in a schema of its own on the server in SPFLOOR_TEST_PG; also checks that the
# migration made pg_trgm's index. Skipped with a message without a server.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema search
export SPFLOOR_TODAY=2025-01-15
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"

run_sql() { psql -q "$db" -c "$1" >/dev/null; }
source "$(dirname "$0")/../support/search.bash"

index=$(psql -tA "$db" -c "SELECT count(*) FROM pg_indexes WHERE schemaname = '$schema' AND \
    indexname = 'person_search_trgm'")
[ "$index" = "1" ] || fail "the migration made the pg_trgm index (found $index)"

finish postgres_search
