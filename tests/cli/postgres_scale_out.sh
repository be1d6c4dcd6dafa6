#!/bin/bash
# postgres_scale_out.sh: scripts/citus-layout.sql fits the schema spfloor creates, so that a
# registry can be spread over Citus (docs/scale-out.md). Citus is not packaged by Debian, so
# the rules Citus enforces are checked here against a schema migrated on the test server:
#   - every table is named once, as distributed (with a column) or as a reference table;
#   - a distributed table's column is in its primary key and in every unique index (Citus can
#     only enforce uniqueness within one shard);
#   - a foreign key between two distributed tables is dropped by the script (they are not
#     co-located), and the script's plain PostgreSQL statements run on that schema.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
if [ -z "${SPFLOOR_TEST_PG:-}" ]; then
    echo "SKIPPED: SPFLOOR_TEST_PG is not set (ctest starts a server and sets it)"
    exit 0
fi
source "$(dirname "$0")/../support/cli.bash"
layout="$SPFLOOR_SRC/scripts/citus-layout.sql"
schema="layout_$$_$RANDOM"
case "$SPFLOOR_TEST_PG" in
*\?*) db="$SPFLOOR_TEST_PG&options=-csearch_path%3D$schema" ;;
*) db="$SPFLOOR_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
work=$(mktemp -d)
trap 'psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; rm -rf "$work"' EXIT
psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null || fail "creating $schema"
expect 0 "init" -- "$SPFLOOR" --db "$db" init

sql() { psql -tA "$db" -c "$1"; }

# The script's layout: "table column" for distributed tables, "table -" for reference tables.
layout_of() {
    sed -n -e "s/.*create_distributed_table('\([a-z_]*\)', '\([a-z_]*\)'.*/\1 \2/p" \
        -e "s/.*create_reference_table('\([a-z_]*\)').*/\1 -/p" "$layout"
}
declared=$(layout_of)
[ -n "$declared" ] || fail "$layout declares no table"
tables=$(sql "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1")

for t in $tables; do
    n=$(awk -v t="$t" '$1 == t' <<<"$declared" | wc -l)
    [ "$n" -eq 1 ] || fail "table $t is named $n times in $layout (once: distributed or reference)"
done
while read -r t column; do
    grep -qx "$t" <<<"$tables" || fail "$layout names $t, which the migrations do not create"
    [ "$column" = - ] && continue
    # every unique index (the primary key among them) must hold the distribution column
    while IFS='|' read -r index columns; do
        [[ ",$columns," == *",$column,"* ]] ||
            fail "$t is spread by $column, but its unique index $index ($columns) lacks it"
    done < <(sql "SELECT i.relname, string_agg(a.attname, ',') FROM pg_index x \
        JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
        JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON \
        a.attrelid = t.oid AND a.attnum = ANY (x.indkey) WHERE n.nspname = current_schema() \
        AND t.relname = '$t' AND x.indisunique GROUP BY i.relname")
    [ "$(sql "SELECT count(*) FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN \
        pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema() AND \
        t.relname = '$t' AND x.indisprimary")" -eq 1 ] || fail "$t has no primary key"
done <<<"$declared"

# Foreign keys between two distributed tables must be dropped by the script.
while IFS='|' read -r name from to; do
    from_column=$(awk -v t="$from" '$1 == t { print $2 }' <<<"$declared")
    to_column=$(awk -v t="$to" '$1 == t { print $2 }' <<<"$declared")
    [ "$from_column" = - ] || [ "$to_column" = - ] && continue
    grep -qi "ALTER TABLE $from DROP CONSTRAINT $name;" "$layout" ||
        fail "foreign key $name ($from -> $to) joins two distributed tables; $layout must drop it"
done < <(sql "SELECT c.conname, f.relname, r.relname FROM pg_constraint c JOIN pg_class f ON \
    f.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace n ON \
    n.oid = f.relnamespace WHERE n.nspname = current_schema() AND c.contype = 'f'")

# The statements that are plain PostgreSQL run on the migrated schema (and are rolled back).
plain=$(grep -i '^ALTER TABLE' "$layout")
[ -z "$plain" ] || psql -q -v ON_ERROR_STOP=1 "$db" -c "BEGIN" -c "$plain" -c "ROLLBACK" \
    >/dev/null 2>"$work/errors" || fail "$layout: $(cat "$work/errors")"

finish postgres_scale_out
