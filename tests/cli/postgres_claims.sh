#!/bin/bash
# postgres_claims.sh: the claim and grievance scenarios of claims.sh and grievances.sh, every
# step, each on a registry of its own on PostgreSQL. Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in schemas of its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema claims
claims_db=$db
claims_schema=$schema
claims_work=$work
pg_schema grievances
trap 'for s in "$claims_schema" "$schema"; do psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1; done; rm -rf "$claims_work" "$work"' EXIT
SPFLOOR_CLAIMS_DB="$claims_db" bash "$(dirname "$0")/claims.sh" || exit 1
SPFLOOR_GRIEVANCES_DB="$db" bash "$(dirname "$0")/grievances.sh" || exit 1
echo "postgres_claims: ok"
