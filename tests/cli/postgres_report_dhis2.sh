#!/bin/bash
# postgres_report_dhis2.sh: the DHIS2 scenario of report_dhis2.sh, every step, on a registry on
# PostgreSQL: the same golden CSV and JSON files, the same gap list, the same SVG. Runs on the
# test server in SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a
# message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema report_dhis2
SPFLOOR_REPORT_DB="$db" bash "$(dirname "$0")/report_dhis2.sh" || exit 1
echo "postgres_report_dhis2: ok"
