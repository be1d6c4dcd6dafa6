#!/bin/bash
# postgres_shock.sh: the shock response scenario of shock.sh, every step, on a registry on
# PostgreSQL. Runs on the test server in SPFLOOR_TEST_PG (ctest starts one), in a schema of its
# own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema shock
SPFLOOR_SHOCK_DB="$db" bash "$(dirname "$0")/shock.sh" || exit 1
echo "postgres_shock: ok"
