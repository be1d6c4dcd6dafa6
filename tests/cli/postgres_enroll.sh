#!/bin/bash
# postgres_enroll.sh: the enrolment scenario of enroll.sh, every step, on a registry on
# PostgreSQL (the kill-and-rerun step is enroll.sh's, on SQLite). Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema enrol
SPFLOOR_ENROL_DB="$db" bash "$(dirname "$0")/enroll.sh" || exit 1
echo "postgres_enroll: ok"
