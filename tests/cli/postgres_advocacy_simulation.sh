#!/bin/bash
# postgres_advocacy_simulation.sh: the advocacy simulation scenario of advocacy_simulation.sh, every step, on a registry on
# PostgreSQL: the same golden CSV and JSON files, the same gap list, the same SVG. Runs on the
# test server in SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a
# message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema advocacy_simulation
SPFLOOR_REPORT_DB="$db" bash "$(dirname "$0")/advocacy_simulation.sh" || exit 1
echo "postgres_advocacy_simulation: ok"
