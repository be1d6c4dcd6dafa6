#!/bin/bash
# postgres_audit.sh: the audit scenario of audit.sh, every step, on a registry on PostgreSQL,
# with the key in SPFLOOR_AUDIT_KEY. Runs on the test server in SPFLOOR_TEST_PG (ctest starts
# one), in a schema of its own; skipped with a message without it.
set -u
if [ -z "${SPFLOOR_TEST_PG:-}" ]; then
    echo "SKIPPED: SPFLOOR_TEST_PG is not set (ctest starts a server and sets it)"
    exit 0
fi
schema="audit_$$_$RANDOM"
case "$SPFLOOR_TEST_PG" in
*\?*) db="$SPFLOOR_TEST_PG&options=-csearch_path%3D$schema" ;;
*) db="$SPFLOOR_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
trap 'psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1' EXIT
psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null || {
    echo "FAIL: cannot create schema $schema on the test server" >&2
    exit 1
}
SPFLOOR_AUDIT_KEY=$(printf '%064x' 12345) SPFLOOR_AUDIT_DB="$db" SPFLOOR_AUDIT_PSQL="$db" \
    bash "$(dirname "$0")/audit.sh" || exit 1
echo "postgres_audit: ok"
