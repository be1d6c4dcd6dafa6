#!/bin/bash
# postgres_report_annual.sh: the annual summary scenario of report_annual.sh, every step, on a registry on
# PostgreSQL: the same golden CSV and JSON files, the same gap list, the same SVG. Runs on the
# test server in SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a
# message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema report_annual
SPFLOOR_REPORT_DB="$db" bash "$(dirname "$0")/report_annual.sh" || exit 1
echo "postgres_report_annual: ok"
