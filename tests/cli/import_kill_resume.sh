#!/usr/bin/env bash
# import_kill_resume: an import killed with SIGKILL leaves only whole batches, and running it
# again finishes it without duplicating anyone: the result equals a clean import of the file,
# worker IDs included (they are handed out in file order).
set -euo pipefail
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
batch=5000

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# generate N FILE: N synthetic persons, deterministic.
generate() {
    local n=$1 out=$2
    if [ -n "${SPFLOOR_BUILD:-}" ] && [ -x "$SPFLOOR_BUILD/gen-population" ]; then
        "$SPFLOOR_BUILD/gen-population" --persons "$n" --seed 11 --out "$out"
        return
    fi
    python3 - "$n" "$out" <<'EOF'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(11)
given = ["Sita", "Gita", "Maya", "Ram", "Hari", "Bimala", "Dorj", "Maria", "Asha", "Kamal",
         "Nirmala", "Bishnu", "Laxmi", "Sunil", "Rita", "Anil", "Sarita", "Deepak", "Puja", "Raju"]
family = ["Sharma", "Thapa", "Gurung", "Rai", "Karki", "Tamang", "Magar", "Shrestha", "Limbu",
          "Bhandari", "Adhikari", "Khadka", "Poudel", "Basnet", "Yadav", "Mahato", "Sah", "Das"]
districts = ["Kathmandu", "Lalitpur", "Kaski", "Ilam", "Jumla", "Humla", "Dolpa", "Morang",
             "Sunsari", "Jhapa", "Chitwan", "Banke", "Bardiya", "Kailali", "Dang", "Rupandehi"]
sexes = ["female", "male"]
seen = set()
with open(out, "w", newline="") as f:
    f.write("national_id,given_name,family_name,sex,birth_date,country,admin2,monthly_wage\n")
    i = 0
    while i < n:
        key = (rng.choice(given), rng.choice(family), rng.randrange(1940, 2006),
               rng.randrange(1, 13), rng.randrange(1, 29), rng.choice(districts))
        if key in seen:
            continue
        seen.add(key)
        g, fam, y, m, d, dist = key
        wage = "%d.%02d" % (rng.randrange(5000, 60000), rng.randrange(100)) if i % 3 else ""
        f.write("NP-%08d,%s,%s,%s,%04d-%02d-%02d,NP,%s,%s\n"
                % (i + 1, g, fam, sexes[i % 2], y, m, d, dist, wage))
        i += 1
EOF
}

count() {
    sqlite3 "$1" 'SELECT count(*) FROM persons;' 2>/dev/null || echo 0
}

snapshot() {
    {
        sqlite3 "$1" 'SELECT * FROM persons ORDER BY id;'
        sqlite3 "$1" 'SELECT * FROM households ORDER BY id;'
        sqlite3 "$1" 'SELECT * FROM counters ORDER BY name;'
    } | sha256sum
}

killed=0
for total in 60000 200000 600000; do
    csv=$tmp/persons-$total.csv
    db=$tmp/killed-$total.db
    generate "$total" "$csv"
    "$SPFLOOR" --quiet --db "$db" init >/dev/null || fail "init $db"
    "$SPFLOOR" --quiet --db "$db" import persons "$csv" --batch "$batch" \
        >"$tmp/first.out" 2>"$tmp/first.err" &
    pid=$!
    # wait for the first committed batch, then kill at once
    while kill -0 "$pid" 2>/dev/null && [ "$(count "$db")" -eq 0 ]; do
        sleep 0.02
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
    at_kill=$(count "$db")
    if [ "$at_kill" -gt 0 ] && [ "$at_kill" -lt "$total" ]; then
        killed=1
        break
    fi
    echo "import_kill_resume: $total rows: $at_kill imported before the kill; trying more rows"
done
[ "$killed" -eq 1 ] || fail "could not kill an import midway (it finished too fast)"
echo "import_kill_resume: killed after $at_kill of $total rows"
[ $((at_kill % batch)) -eq 0 ] || fail "$at_kill persons after the kill: not whole batches of $batch"

# The import ran in a session (a first load): its indexes were set aside when it was killed.
# Opening the registry brings every one of them back, and duplicates are refused again.
indexes() {
    sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name;" | tr '\n' ' '
}
case " $(indexes "$db") " in
*" persons_national_id "*) fail "the killed import's indexes are in place: was it not a session?" ;;
esac
"$SPFLOOR" --db "$db" init >/dev/null || fail "opening the registry after the kill"
for index in persons_national_id persons_dedup persons_household; do
    case " $(indexes "$db") " in
    *" $index "*) ;;
    *) fail "$index is missing after reopening: $(indexes "$db")" ;;
    esac
done
[ "$(count "$db")" -eq "$at_kill" ] || fail "reopening changed the number of persons"
IFS='|' read -r country nid < <(sqlite3 "$db" \
    "SELECT country, national_id FROM persons WHERE national_id IS NOT NULL LIMIT 1;")
rc=0
"$SPFLOOR" --db "$db" person add --given-name Zora --family-name Duplicate --sex female \
    --birth-date 1970-01-01 --country "$country" --national-id "$nid" >/dev/null \
    2>"$tmp/dup.err" || rc=$?
[ "$rc" -eq 3 ] || fail "a duplicate national ID after the kill: exit $rc, not 3"
grep -qF "$nid" "$tmp/dup.err" || fail "the refusal does not name $nid: $(cat "$tmp/dup.err")"
if sqlite3 "$db" "INSERT INTO persons (serial, id, country, national_id, dedup_hash, given_name,
        family_name, sex, birth_date) SELECT serial + 90000000000, id, country, national_id,
        dedup_hash + 1, 'Zora', 'Duplicate', sex, birth_date FROM persons
        WHERE national_id IS NOT NULL LIMIT 1;" 2>"$tmp/dup.err"; then
    fail "the national ID index lets a duplicate in"
fi
grep -q "UNIQUE constraint failed: persons.country, persons.national_id" "$tmp/dup.err" ||
    fail "the duplicate was refused for another reason: $(cat "$tmp/dup.err")"

# the same import again finishes the job
rc=0
"$SPFLOOR" --quiet --db "$db" import persons "$csv" --batch "$batch" >"$tmp/again.out" \
    2>"$tmp/again.err" || rc=$?
[ "$rc" -eq 0 ] || fail "resuming: exit $rc: $(cat "$tmp/again.err")"
grep -qF "rows $total, imported $((total - at_kill)), already present $at_kill, rejected 0" \
    "$tmp/again.out" || fail "resuming: summary: $(cat "$tmp/again.out")"
[ "$(count "$db")" -eq "$total" ] || fail "after resuming: $(count "$db") persons, not $total"
dups=$(sqlite3 "$db" 'SELECT count(*) FROM (SELECT national_id FROM persons WHERE national_id IS NOT NULL
                      GROUP BY country, national_id HAVING count(*) > 1);')
[ "$dups" -eq 0 ] || fail "$dups national IDs are registered twice"

# equal to a clean import of the same file, worker IDs included
clean=$tmp/clean.db
"$SPFLOOR" --quiet --db "$clean" init >/dev/null || fail "init $clean"
"$SPFLOOR" --quiet --db "$clean" import persons "$csv" --batch "$batch" >/dev/null ||
    fail "clean import failed"
[ "$(snapshot "$db")" = "$(snapshot "$clean")" ] ||
    fail "the resumed database differs from a clean import"

# the text index, filled when each session ended (the killed one's by the next write): every
# person once, intact (FTS5's integrity-check, content included), merging again as it goes
# (automerge 4 after a session), and find answers as on the clean import
for d in "$db" "$clean"; do
    [ "$(sqlite3 "$d" 'SELECT count(*) FROM person_search;')" -eq "$total" ] ||
        fail "$d: the text index does not hold every person"
    sqlite3 "$d" "INSERT INTO person_search (person_search, rank) VALUES ('integrity-check', 1);" ||
        fail "$d: the text index is damaged"
    [ "$(sqlite3 "$d" "SELECT v FROM person_search_config WHERE k = 'automerge';")" = 4 ] ||
        fail "$d: the text index was left without automerge"
done
name=$(sqlite3 "$clean" "SELECT given_name || ' ' || family_name FROM persons ORDER BY serial DESC
                         LIMIT 1;")
found=$("$SPFLOOR" --quiet --db "$db" find "$name" --limit 50)
[ -n "$found" ] || fail "find $name finds nobody after resuming"
[ "$found" = "$("$SPFLOOR" --quiet --db "$clean" find "$name" --limit 50)" ] ||
    fail "find $name answers otherwise than on the clean import"
echo "import_kill_resume: ok"
