#!/bin/bash
# postgres_web_writes.sh: the API's writes of web_writes.sh, every step, against a registry on
# PostgreSQL (the server's threads each with their own connection). Runs on the test server
# in SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message
# without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema webw
SPFLOOR_WEB_DB="$db" bash "$(dirname "$0")/web_writes.sh" || exit 1
echo "postgres_web_writes: ok"
