#!/bin/bash
# postgres_contributions.sh: the ledger scenario of contributions.sh, every step, on a
# registry on PostgreSQL (bookings go through COPY there). Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema ledger
SPFLOOR_CONTRIBUTIONS_DB="$db" bash "$(dirname "$0")/contributions.sh" || exit 1
echo "postgres_contributions: ok"
