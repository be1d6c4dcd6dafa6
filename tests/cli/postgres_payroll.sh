#!/bin/bash
# postgres_payroll.sh: the payroll scenario of payroll.sh, every step, on a registry on
# PostgreSQL (the kill-and-rerun step is payroll.sh's, on SQLite). Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema payroll
SPFLOOR_PAYROLL_DB="$db" bash "$(dirname "$0")/payroll.sh" || exit 1
echo "postgres_payroll: ok"
