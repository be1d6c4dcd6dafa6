#!/bin/bash
# postgres_outreach_cases.sh: the cases scenario of outreach_cases.sh, every step, on a registry on
# PostgreSQL: the same golden CSV and JSON files, the same gap list, the same SVG. Runs on the
# test server in SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a
# message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema outreach_cases
SPFLOOR_REPORT_DB="$db" bash "$(dirname "$0")/outreach_cases.sh" || exit 1
echo "postgres_outreach_cases: ok"
