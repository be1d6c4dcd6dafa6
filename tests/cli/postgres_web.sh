#!/bin/bash
# postgres_web.sh: the web scenario of web_api.sh, every step, against a registry on
# PostgreSQL (the server's threads each with their own connection), with the audit key in
# SPFLOOR_AUDIT_KEY. Runs on the test server in SPFLOOR_TEST_PG (ctest starts one), in a schema
# of its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema web
SPFLOOR_AUDIT_KEY=$(printf '%064x' 777) SPFLOOR_WEB_DB="$db" \
    bash "$(dirname "$0")/web_api.sh" || exit 1
echo "postgres_web: ok"
