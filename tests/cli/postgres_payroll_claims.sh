#!/bin/bash
# postgres_payroll_claims.sh: the scenario of payroll_claims.sh, every step, on a registry on
# PostgreSQL. Runs on the test server in SPFLOOR_TEST_PG (ctest starts one), in a schema of
# its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema payroll_claims
SPFLOOR_PAYROLL_CLAIMS_DB="$db" bash "$(dirname "$0")/payroll_claims.sh" || exit 1
echo "postgres_payroll_claims: ok"
