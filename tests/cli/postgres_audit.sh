#!/bin/bash
# postgres_audit.sh: the audit scenario of audit.sh, every step, on a registry on PostgreSQL,
# with the key in SPFLOOR_AUDIT_KEY. Runs on the test server in SPFLOOR_TEST_PG (ctest starts
# one), in a schema of its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema audit
SPFLOOR_AUDIT_KEY=$(printf '%064x' 12345) SPFLOOR_AUDIT_DB="$db" SPFLOOR_AUDIT_PSQL="$db" \
    bash "$(dirname "$0")/audit.sh" || exit 1
echo "postgres_audit: ok"
