#!/bin/bash
# postgres.sh: the registry on PostgreSQL (--db postgresql://...) does what it does in an SQLite
# file: init, person add, find, person show, import, a duplicate refused naming the record,
# entitlements one by one and --all, the same decisions as from an SQLite file holding the
# same persons, and the same with the registry's default overlay. Runs on the test server in
# SPFLOOR_TEST_PG (ctest starts one), in a schema of its own; skipped with a message without it.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
: "${SPFLOOR_BUILD:?set SPFLOOR_BUILD to the build directory (for gen-population)}"
if [ -z "${SPFLOOR_TEST_PG:-}" ]; then
    echo "SKIPPED: SPFLOOR_TEST_PG is not set (ctest starts a server and sets it)"
    exit 0
fi
work=$(mktemp -d)
schema="cli_$$_$RANDOM"
case "$SPFLOOR_TEST_PG" in
*\?*) db="$SPFLOOR_TEST_PG&options=-csearch_path%3D$schema" ;;
*) db="$SPFLOOR_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
cleanup() {
    psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
    for suffix in race kill clean overlap blank; do
        psql -q "$SPFLOOR_TEST_PG" -c "DROP SCHEMA IF EXISTS ${schema}_$suffix CASCADE" \
            >/dev/null 2>&1
    done
    rm -rf "$work"
}
trap cleanup EXIT
psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null || {
    echo "FAIL: cannot create schema $schema on the test server" >&2
    exit 1
}
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2025-01-15
source "$(dirname "$0")/../support/cli.bash"




expect 0 "init" -- "$SPFLOOR" --db "$db" init
contains "$out" "0 persons" "init says the registry is empty"
expect 0 "init again" -- "$SPFLOOR" --db "$db" init

expect 0 "add Sita" -- "$SPFLOOR" --db "$db" person add --given-name Sita --family-name Sharma \
    --sex female --birth-date 1958-03-02 --country NP --admin1 Bagmati --admin2 Kathmandu \
    --national-id 12-01-74-01234 --groups "dalit;solo_parent" --monthly-wage 4000
sita=$out
[[ "$sita" =~ ^[0-9]{12}$ ]] || fail "add prints a 12-digit worker ID, got '$sita'"

expect 0 "show Sita" -- "$SPFLOOR" --db "$db" person show "$sita"
contains "$out" "Sharma" "show prints the family name"
contains "$out" "1958-03-02" "show prints the birth date"
contains "$out" "dalit;solo_parent" "show prints the groups"

expect 0 "find sharma" -- "$SPFLOOR" --db "$db" find sharma
contains "$out" "$sita" "find by name (any case) finds Sita"
expect 0 "find 100%" -- "$SPFLOOR" --db "$db" find "100%"
[ -z "$(grep -F "$sita" <<<"$out")" ] || fail "a % in the search text is a wildcard: $out"

expect 3 "the same national ID again" -- "$SPFLOOR" --db "$db" person add --given-name Gita \
    --family-name Thapa --sex female --birth-date 1960-01-01 --country NP \
    --national-id 12-01-74-01234
contains "$err" "$sita" "the refusal names the existing record"
contains "$err" "Sita Sharma" "the refusal names the existing person"
expect 3 "the same person again" -- "$SPFLOOR" --db "$db" person add --given-name SITA \
    --family-name Sharma --sex female --birth-date 1958-03-02 --country NP --admin2 Kathmandu
contains "$err" "$sita" "the dedup refusal names the existing record"

# A correction on PostgreSQL keeps the old values, and frees the national ID given up.
expect 0 "correct Sita's national ID" -- "$SPFLOOR" --db "$db" person update "$sita" \
    --national-id 12-01-74-09999 --reason "the card was misread" --by clerk2
expect 0 "Sita's history" -- "$SPFLOOR" --db "$db" person history "$sita"
contains "$out" "12-01-74-01234 -> 12-01-74-09999" "history keeps the old national ID"
expect 0 "the old national ID is free again" -- "$SPFLOOR" --db "$db" person update "$sita" \
    --national-id 12-01-74-01234 --reason "it was right after all"
expect 3 "another person's national ID is refused" -- "$SPFLOOR" --db "$db" person add \
    --given-name Gita --family-name Thapa --sex female --birth-date 1960-01-01 --country NP \
    --national-id 12-01-74-01234

# Another clerk's transaction holds the worker serial and commits while `person add` waits for
# it: the add fails to serialize, tries again (saying so) and goes through.
sessions() { # sessions CONDITION: how many sessions of this database are in that state
    psql -tA "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE $1 AND datname = \
        current_database()"
}
wait_for() { # wait_for CONDITION: until a session is in that state (10 s at most)
    for _ in $(seq 100); do
        [ "$(sessions "$1")" -ge 1 ] && return 0
        sleep 0.1
    done
    fail "no session came to: $1"
}
fifo="$work/clerk"
mkfifo "$fifo"
psql -q "$db" <"$fifo" >/dev/null 2>&1 &
clerk=$!
exec 9>"$fifo"
echo "BEGIN; UPDATE counters SET value = value WHERE name = 'worker_serial';" >&9
wait_for "state = 'idle in transaction'"
"$SPFLOOR" --db "$db" person add --given-name Ram --family-name Thapa --sex male \
    --birth-date 1950-01-01 --country NP >"$work/ram" 2>"$work/ram.err" </dev/null &
add=$!
wait_for "wait_event_type = 'Lock'" # the add's own write waits for the clerk's
echo "COMMIT;" >&9
exec 9>&-
wait "$clerk"
rc=0
wait "$add" || rc=$?
[ "$rc" -eq 0 ] || fail "person add while another clerk writes: exit $rc: $(cat "$work/ram.err")"
contains "$(cat "$work/ram.err")" "trying again" "the add says it tries again"
expect 0 "show Ram" -- "$SPFLOOR" --db "$db" person show "$(cat "$work/ram")"
contains "$out" "Thapa" "Ram is registered"

# Four spfloor starting at once on a new registry: one migrates, the others wait and find it
# done; four clerks adding at once all get a worker ID of their own.
race="${db/%$schema/${schema}_race}"
psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA ${schema}_race" >/dev/null || fail "race schema"
pids=""
for i in 1 2 3 4; do
    "$SPFLOOR" --quiet --db "$race" init >/dev/null 2>"$work/init$i.err" &
    pids="$pids $!"
done
for pid in $pids; do wait "$pid" || fail "a concurrent init failed: $(cat "$work"/init*.err)"; done
migrations=$(find "$SPFLOOR_SRC/src/store/migrations/postgres" -name '*.sql' | wc -l)
[ "$(psql -tA "$race" -c "SELECT count(*) FROM schema_migrations")" -eq "$migrations" ] ||
    fail "concurrent inits did not record each of the $migrations migrations once"
pids=""
for i in 1 2 3 4; do
    "$SPFLOOR" --quiet --db "$race" person add --given-name "Clerk$i" --family-name \
        "Sherpa$(printf '%*s' "$i" '' | tr ' ' a)" --sex male --birth-date "1970-01-0$i" \
        --country NP >"$work/add$i" 2>"$work/add$i.err" &
    pids="$pids $!"
done
for pid in $pids; do wait "$pid" || fail "a concurrent add failed: $(cat "$work"/add*.err)"; done
[ "$(sort -u "$work"/add? | wc -l)" -eq 4 ] || fail "concurrent adds: $(cat "$work"/add?)"

# A command on a location that holds no registry is refused, and creates nothing; only init
# makes one.
empty_schema="${schema}_empty"
empty="${db/%$schema/$empty_schema}"
expect 4 "entitlements on an empty schema" -- "$SPFLOOR" --db "$empty" entitlements "$sita"
psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA ${schema}_blank" >/dev/null || fail "blank schema"
blank="${db/%$schema/${schema}_blank}"
expect 4 "person add on an empty schema" -- "$SPFLOOR" --db "$blank" person add \
    --given-name Hari --family-name Rai --sex male --birth-date 1970-01-01 --country NP
contains "$err" "init" "the refusal says how to make a registry"
[ "$(psql -tA "$blank" -c "SELECT count(*) FROM pg_tables WHERE schemaname = \
    '${schema}_blank'")" -eq 0 ] || fail "person add made tables in an empty schema"
expect 0 "init makes the registry there" -- "$SPFLOOR" --db "$blank" init

# The same population in PostgreSQL and in an SQLite file: the same decisions.
"$SPFLOOR_BUILD/gen-population" --persons 300 --seed 11 --out "$work/people.csv" ||
    fail "generating the population"
expect 0 "import into PostgreSQL" -- "$SPFLOOR" --quiet --db "$db" import persons \
    "$work/people.csv"
sqlite="$work/registry.db"
"$SPFLOOR" --quiet --db "$sqlite" init >/dev/null || fail "init $sqlite"
"$SPFLOOR" --quiet --db "$sqlite" person add --given-name Sita --family-name Sharma \
    --sex female --birth-date 1958-03-02 --country NP --admin1 Bagmati --admin2 Kathmandu \
    --national-id 12-01-74-01234 --groups "dalit;solo_parent" --monthly-wage 4000 >/dev/null ||
    fail "adding Sita to the SQLite file"
"$SPFLOOR" --quiet --db "$sqlite" person add --given-name Ram --family-name Thapa --sex male \
    --birth-date 1950-01-01 --country NP >/dev/null || fail "adding Ram to the SQLite file"
expect 0 "import into SQLite" -- "$SPFLOOR" --quiet --db "$sqlite" import persons \
    "$work/people.csv"

expect 0 "entitlements $sita" -- "$SPFLOOR" --db "$db" entitlements "$sita" --as-of 2025-01-15
pg_one=$out
expect 0 "entitlements $sita (SQLite)" -- "$SPFLOOR" --db "$sqlite" entitlements "$sita" \
    --as-of 2025-01-15
[ "$pg_one" = "$out" ] || fail "entitlements $sita differs between PostgreSQL and SQLite"

expect 0 "entitlements --all" -- "$SPFLOOR" --quiet --db "$db" entitlements --all \
    --as-of 2025-01-15 --format csv --out "$work/pg.csv"
expect 0 "entitlements --all (SQLite)" -- "$SPFLOOR" --quiet --db "$sqlite" entitlements --all \
    --as-of 2025-01-15 --format csv --out "$work/sqlite.csv"
rows=$(wc -l <"$work/pg.csv")
[ "$rows" -gt 300 ] || fail "entitlements --all on PostgreSQL wrote only $rows lines"
cmp -s "$work/pg.csv" "$work/sqlite.csv" ||
    fail "entitlements --all differs between PostgreSQL and SQLite: $(diff "$work/pg.csv" \
        "$work/sqlite.csv" | head -5)"

# The registry's default overlay is kept in PostgreSQL as in an SQLite file: entitlements lay it
# (Sita, 66, reaches a senior age lowered to 65), show gives it back, clear removes it.
cat >"$work/age65.yaml" <<'EOF'
id: reform.age65
title: Senior allowance from 65
reference: "Proposal for FY 2081/82"
parameters:
  np.ssa.senior_age:
    unit: years
    values:
      2024-07-16: {value: 65, reference: "proposal (age 65)"}
EOF
for where in "$db" "$sqlite"; do
    expect 0 "overlay set ($where)" -- "$SPFLOOR" --db "$where" overlay set "$work/age65.yaml"
done
expect 0 "entitlements with the default overlay" -- "$SPFLOOR" --db "$db" entitlements "$sita" \
    --as-of 2025-01-15 --explain=trace
pg_overlaid=$out
contains "$out" "age 66 >= np.ssa.senior_age 65 (since 2024-07-16: overlay reform.age65" \
    "PostgreSQL: the default overlay decides, and is named"
expect 0 "entitlements with the default overlay (SQLite)" -- "$SPFLOOR" --db "$sqlite" \
    entitlements "$sita" --as-of 2025-01-15 --explain=trace
[ "$pg_overlaid" = "$out" ] || fail "the default overlay decides alike on PostgreSQL and SQLite"
expect 0 "overlay show" -- "$SPFLOOR" --db "$db" overlay show
[ "$out" = "$(cat "$work/age65.yaml")" ] || fail "PostgreSQL gives the overlay back: $out"
expect 0 "overlay clear" -- "$SPFLOOR" --db "$db" overlay clear
expect 0 "entitlements once cleared" -- "$SPFLOOR" --db "$db" entitlements "$sita" --as-of 2025-01-15
[ "$pg_one" = "$out" ] || fail "cleared, PostgreSQL decides as shipped again"

# Importing the same file again resumes: every row is already present, nobody is added.
count() { psql -tA "$db" -c "SELECT count(*) FROM persons"; }
expect 0 "importing the same file again" -- "$SPFLOOR" --db "$db" import persons \
    "$work/people.csv"
contains "$out$err" "already present 300" "the second import recognises every row"
[ "$(count)" -eq 302 ] || fail "the registry holds $(count) persons, not 302"

# A file with a row whose national ID is another's is refused whole, on both engines alike.
other=$(sed -n 2p "$work/people.csv" | cut -d, -f5)
printf 'national_id,given_name,family_name,sex,birth_date,country,admin2\n%s\n%s\n' \
    "NP-9,Hari,Rai,male,1970-01-01,NP,Kaski" "$other,Gita,Thapa,female,1960-01-01,IN,Kaski" \
    >"$work/clash.csv"
for target in "$db" "$sqlite"; do
    expect 2 "importing a clashing row into $target" -- "$SPFLOOR" --db "$target" import \
        persons "$work/clash.csv" --rejects "$work/rejects.csv"
    contains "$(cat "$work/rejects.csv")" "is already registered to worker" \
        "the rejects name the existing record"
done
[ "$(count)" -eq 302 ] || fail "a refused import changed the registry: $(count) persons"

# A new schema NAME_SUFFIX beside the test's own, and its location.
new_schema() {
    psql -q "$SPFLOOR_TEST_PG" -c "CREATE SCHEMA ${schema}_$1" >/dev/null ||
        fail "creating schema ${schema}_$1"
    echo "${db/%$schema/${schema}_$1}"
}
dump() { # every person's stored row, by worker ID
    psql -tA "$1" -c "SELECT id, national_id, given_name, family_name, birth_date, household \
        FROM persons ORDER BY serial"
}
"$SPFLOOR_BUILD/gen-population" --persons 12000 --seed 5 --out "$work/big.csv" ||
    fail "generating 12000 persons"

# kill -9 in the middle of an import into PostgreSQL, then the same command again: the registry
# ends with exactly the rows, worker IDs and households of a clean import.
killed=$(new_schema kill)
clean=$(new_schema clean)
"$SPFLOOR" --quiet --db "$killed" init >/dev/null || fail "init $killed"
"$SPFLOOR" --quiet --db "$killed" import persons "$work/big.csv" --batch 500 \
    >/dev/null 2>&1 &
importer=$!
for _ in $(seq 300); do
    n=$(psql -tA "$killed" -c "SELECT count(*) FROM persons" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 1000 ] && break
    sleep 0.05
done
kill -9 "$importer" 2>/dev/null
wait "$importer" 2>/dev/null
partial=$(psql -tA "$killed" -c "SELECT count(*) FROM persons")
[ "$partial" -gt 0 ] && [ "$partial" -lt 12000 ] ||
    fail "the kill came at $partial persons, not in the middle of the import"
[ $((partial % 500)) -eq 0 ] || fail "after kill -9 the registry holds $partial persons: not whole batches"
expect 0 "the killed import again" -- "$SPFLOOR" --db "$killed" import persons "$work/big.csv" \
    --batch 500
contains "$out$err" "already present $partial" "the rerun skips the committed batches"
"$SPFLOOR" --quiet --db "$clean" init >/dev/null || fail "init $clean"
expect 0 "a clean import" -- "$SPFLOOR" --quiet --db "$clean" import persons "$work/big.csv"
[ "$(dump "$killed")" = "$(dump "$clean")" ] ||
    fail "kill -9 and a rerun differ from a clean import: $(diff <(dump "$killed") \
        <(dump "$clean") | head -4)"

# Two imports of overlapping files at once: nobody twice, and between them they say which rows
# the other had registered.
overlap=$(new_schema overlap)
"$SPFLOOR" --quiet --db "$overlap" init >/dev/null || fail "init $overlap"
head -8001 "$work/big.csv" >"$work/first.csv"
{ head -1 "$work/big.csv"; sed -n '4002,12001p' "$work/big.csv"; } >"$work/second.csv"
"$SPFLOOR" --db "$overlap" import persons "$work/first.csv" --batch 1000 \
    >"$work/first.out" 2>&1 &
one=$!
"$SPFLOOR" --db "$overlap" import persons "$work/second.csv" --batch 1000 \
    >"$work/second.out" 2>&1 &
two=$!
wait "$one" || fail "the first of two overlapping imports failed: $(cat "$work/first.out")"
wait "$two" || fail "the second of two overlapping imports failed: $(cat "$work/second.out")"
[ "$(psql -tA "$overlap" -c "SELECT count(*) FROM persons")" -eq 12000 ] ||
    fail "two overlapping imports left $(psql -tA "$overlap" -c "SELECT count(*) FROM persons") persons, not 12000"
[ "$(psql -tA "$overlap" -c "SELECT count(DISTINCT (given_name, family_name, birth_date, \
    admin2)) FROM persons")" -eq 12000 ] || fail "two overlapping imports registered someone twice"
imported=0
present=0
for f in first second; do
    line=$(grep -o 'imported [0-9]*, already present [0-9]*' "$work/$f.out") ||
        fail "the $f import printed no summary: $(cat "$work/$f.out")"
    imported=$((imported + $(echo "$line" | cut -d' ' -f2 | tr -d ,)))
    present=$((present + $(echo "$line" | cut -d' ' -f5)))
done
[ "$imported" -eq 12000 ] && [ "$present" -eq 4000 ] ||
    fail "the two imports say they imported $imported and found $present present (12000, 4000)"

# A trigger or a view that someone added to the registry's schema: spfloor refuses to open it,
# for reading or writing, and says why.
psql -q "$overlap" -c "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN \
    NEW.given_name := 'X'; RETURN NEW; END \$\$" -c "CREATE TRIGGER touch BEFORE INSERT ON \
    persons FOR EACH ROW EXECUTE FUNCTION touch()" >/dev/null || fail "creating a trigger"
expect 4 "find in a schema with a trigger" -- "$SPFLOOR" --db "$overlap" find Sita
contains "$err" "trigger(s), rule(s) or view(s)" "the refusal names what was added"
expect 4 "person add in a schema with a trigger" -- "$SPFLOOR" --db "$overlap" person add \
    --given-name Hari --family-name Rai --sex male --birth-date 1970-01-01 --country NP
psql -q "$overlap" -c "DROP TRIGGER touch ON persons" -c "CREATE VIEW everyone AS SELECT * \
    FROM persons" >/dev/null || fail "creating a view"
expect 4 "find in a schema with a view" -- "$SPFLOOR" --db "$overlap" find Sita
psql -q "$overlap" -c "DROP VIEW everyone" >/dev/null || fail "dropping the view"
expect 0 "find once they are gone" -- "$SPFLOOR" --db "$overlap" find Sita

finish postgres
