# pg_schema.bash: a schema of its own on the test server for a PostgreSQL scenario
# (tests/cli/postgres_*.sh). Source it early:
#     source "$(dirname "$0")/../support/pg_schema.bash"
#     pg_schema PREFIX
# Without SPFLOOR_TEST_PG (ctest starts a server and sets it) the script ends here, saying it
# is skipped. Otherwise it creates the schema PREFIX_<pid>_<random> and sets $schema and $db
# (the server's URL with that schema as search path) and $work (a scratch directory), and
# drops the schema and removes $work when the script exits.
pg_schema() {
    if [ -z "${SPFLOOR_TEST_PG:-}" ]; then
        echo "SKIPPED: SPFLOOR_TEST_PG is not set (ctest starts a server and sets it)"
        exit 0
    fi
    schema="$1_$$_$RANDOM"
    case "$SPFLOOR_TEST_PG" in
    *\?*) db="$SPFLOOR_TEST_PG&options=-csearch_path%3D$schema" ;;
    *) db="$SPFLOOR_TEST_PG?options=-csearch_path%3D$schema" ;;
    esac
    work=$(mktemp -d)
    trap 'psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; rm -rf "$work"' EXIT
    psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null || {
        echo "FAIL: cannot create schema $schema on the test server" >&2
        exit 1
    }
}
