#!/bin/bash
# postgres_enroll.sh: the enrolment scenario of enroll.sh, every step, on a registry on
# PostgreSQL (the kill-and-rerun step is enroll.sh's, on SQLite). Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message without it.
set -u
if [ -z "${SPFLOOR_TEST_PG:-}" ]; then
    echo "SKIPPED: SPFLOOR_TEST_PG is not set (ctest starts a server and sets it)"
    exit 0
fi
schema="enrol_$$_$RANDOM"
case "$SPFLOOR_TEST_PG" in
*\?*) db="$SPFLOOR_TEST_PG&options=-csearch_path%3D$schema" ;;
*) db="$SPFLOOR_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
trap 'psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1' EXIT
psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null || {
    echo "FAIL: cannot create schema $schema on the test server" >&2
    exit 1
}
SPFLOOR_ENROL_DB="$db" bash "$(dirname "$0")/enroll.sh" || exit 1
echo "postgres_enroll: ok"
