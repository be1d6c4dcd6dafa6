#!/bin/bash
# store_safety.sh: a database file is input like any other. A crafted one runs no SQL of its
# author's; read commands write nothing (a read-only copy can be searched by a user who may not
# write it); new registries are private to their owner; what is not a registry is refused and
# left as it was.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
chmod 755 "$work"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
export SPFLOOR_TODAY=2025-01-15
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
source "$(dirname "$0")/../support/cli.bash"
expect_dir=$work # commands run where the test databases are




add_sita() { # add_sita DB: adds Sita to the registry at DB, made first if there is no file
    [ -e "$1" ] || "$SPFLOOR" --quiet --db "$1" init >/dev/null
    "$SPFLOOR" --db "$1" person add --given-name Sita --family-name Sharma --sex female \
        --birth-date 1950-03-02 --country NP --admin2 Jumla --national-id 12-34 >/dev/null
}

# --- 1. SQL stored in the database is never run --------------------------------------------
# A registry in the first format, whose pending_indexes row carries an ATTACH that would
# create pwned.db beside it (and one more in the current format's name column).
sqlite3 "$work/evil.db" <"$SPFLOOR_SRC/src/store/migrations/sqlite/0001_registry.sql"
sqlite3 "$work/evil.db" "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL);
    INSERT INTO schema_migrations VALUES ('0001_registry.sql', '2025-01-01T00:00:00Z');
    INSERT INTO pending_indexes (name, sql) VALUES ('zz',
        'ATTACH ''pwned.db'' AS pw; CREATE TABLE pw.t(a)');"
expect 4 "find on a registry of an older format" -- "$SPFLOOR" --db evil.db find x
contains "$err" "older than this spfloor" "find names the old format"
contains "$err" "init" "find says how to bring it up to date"
[ -e "$work/pwned.db" ] && fail "find ran the SQL stored in pending_indexes"
expect 0 "init migrates the crafted registry" -- "$SPFLOOR" --db evil.db init
[ -e "$work/pwned.db" ] && fail "init ran the SQL stored in pending_indexes"
indexes=$(sqlite3 "$work/evil.db" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema
    WHERE type = 'index' AND tbl_name = 'persons' ORDER BY name)")
[ "$indexes" = "persons_dedup,persons_household,persons_national_id" ] ||
    fail "the indexes are rebuilt from spfloor's own definitions: got $indexes"
[ "$(sqlite3 "$work/evil.db" 'SELECT count(*) FROM pending_indexes')" = 0 ] ||
    fail "the crafted pending index is cleared"

sqlite3 "$work/evil.db" "DROP INDEX persons_dedup;
    INSERT INTO pending_indexes (name) VALUES ('x; ATTACH ''pwned.db'' AS pw; --');"
expect 0 "a write command on a registry with a crafted index name" -- add_sita evil.db
[ -e "$work/pwned.db" ] && fail "a crafted index name was run as SQL"
[ "$(sqlite3 "$work/evil.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'persons_dedup'")" \
    = 1 ] || fail "the dropped dedup index is rebuilt before writing"

# --- 2. read commands write nothing ----------------------------------------------------------
add_sita "$work/registry.db" 2>/dev/null || fail "adding a person to a new registry"
id=$("$SPFLOOR" --db "$work/registry.db" find Sita --json | sed -n 's/.*"id": "\([0-9]*\)".*/\1/p')
[ -n "$id" ] || fail "the added person is found"
mkdir "$work/copy"
cp "$work/registry.db" "$work/copy/registry.db"
chmod 444 "$work/copy/registry.db"
chmod 555 "$work/copy"
before=$(ls -l "$work/copy" | md5sum)
# as a user who may not write there: root may write anywhere, so the test drops to nobody
as_reader=()
if [ "$(id -u)" -eq 0 ]; then
    as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
expect 0 "find on a read-only copy" -- "${as_reader[@]}" "$SPFLOOR" --db copy/registry.db find Sita
contains "$out" "Sita Sharma" "find on a read-only copy finds her"
expect 0 "person show on a read-only copy" -- \
    "${as_reader[@]}" "$SPFLOOR" --db copy/registry.db person show "$id"
contains "$out" "Sharma" "person show on a read-only copy"
expect 0 "entitlements on a read-only copy" -- \
    "${as_reader[@]}" "$SPFLOOR" --db copy/registry.db entitlements "$id"
contains "$out" "np.ssa.senior_citizen" "entitlements on a read-only copy"
expect 4 "person add on a read-only copy" -- "${as_reader[@]}" "$SPFLOOR" \
    --db copy/registry.db person add --given-name Ram --family-name K --sex male \
    --birth-date 1960-01-01 --country NP
[ "$(ls -l "$work/copy" | md5sum)" = "$before" ] || fail "reading the copy changed its folder"

: >"$work/empty.db"
expect 4 "find on an empty file" -- "$SPFLOOR" --db empty.db find x
contains "$err" "empty" "find on an empty file says so"
[ -s "$work/empty.db" ] && fail "find turned an empty file into a registry"
expect 4 "find on /dev/null" -- "$SPFLOOR" --db /dev/null find x
contains "$err" "not a regular file" "/dev/null is refused as not a file"
expect 4 "init on /dev/null" -- "$SPFLOOR" --db /dev/null init
[ -e /dev/null-journal ] && fail "/dev/null-journal was created"
expect 4 "init on a directory" -- "$SPFLOOR" --db copy init

# --- 3. new registries are private -------------------------------------------------------------
(umask 000 && cd "$work" && "$SPFLOOR" --db private.db init >/dev/null) ||
    fail "init under umask 000"
mode=$(stat -c %a "$work/private.db")
[ "$mode" = 600 ] || fail "a new registry holds national IDs: mode $mode, expected 600"

printf 'given_name,family_name,sex,birth_date,country\nRam,K,mail,1960-01-01,NP\n' >"$work/bad.csv"
(umask 000 && cd "$work" && "$SPFLOOR" --db private.db import persons bad.csv >/dev/null 2>&1)
mode=$(stat -c %a "$work/bad.rejects.csv" 2>/dev/null)
[ "$mode" = 600 ] || fail "a rejects file repeats personal data: mode $mode, expected 600"

# --- 4. what is not a registry is refused and left as it was ---------------------------------
sqlite3 "$work/other.db" "CREATE TABLE accounts (a); INSERT INTO accounts VALUES (1);"
sum=$(md5sum <"$work/other.db")
expect 4 "init on another program's database" -- "$SPFLOOR" --db other.db init
contains "$err" "not a spfloor registry" "another program's database is named as such"
[ "$(md5sum <"$work/other.db")" = "$sum" ] || fail "another program's database was changed"
printf 'name,phone\nSita,123\n' >"$work/people.db"
expect 4 "find on a text file" -- "$SPFLOOR" --db people.db find x
contains "$err" "not an SQLite database" "a text file is named as such"

cp "$work/registry.db" "$work/trigger.db"
sqlite3 "$work/trigger.db" "CREATE TRIGGER t AFTER INSERT ON persons BEGIN
    DELETE FROM persons; END;"
expect 4 "a registry with a trigger" -- add_sita trigger.db
contains "$err" "trigger" "the trigger is named"
[ "$(sqlite3 "$work/trigger.db" 'SELECT count(*) FROM persons')" = 1 ] ||
    fail "the trigger ran"

sqlite3 "$work/newer.db" "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL);
    INSERT INTO schema_migrations VALUES ('9999_future.sql', '2030-01-01T00:00:00Z');"
expect 4 "a registry from a newer spfloor" -- "$SPFLOOR" --db newer.db init
contains "$err" "newer version" "a newer registry is named as such"

finish store_safety
