#!/bin/bash
# postgres_outreach.sh: the outreach and advocacy scenario of outreach.sh, every step, on a
# registry on PostgreSQL. Runs on the test server in SPFLOOR_TEST_PG (ctest starts one), in a
# schema of its own; skipped with a message without it.
set -u
source "$(dirname "$0")/../support/pg_schema.bash"
pg_schema outreach
SPFLOOR_OUTREACH_DB="$db" bash "$(dirname "$0")/outreach.sh" || exit 1
echo "postgres_outreach: ok"
