#!/bin/bash
# import_full_disk.sh: an import that meets a full disk says how many rows it committed, and
# that number is what the registry holds; running the same command again finishes the job.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_FAILWRITE:?set SPFLOOR_FAILWRITE to the failwrite shim (libfailwrite.so)}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_TODAY=2025-01-15
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
source "$(dirname "$0")/../support/cli.bash"


count() { sqlite3 "$work/full/r.db" 'SELECT count(*) FROM persons'; }

mkdir "$work/full"
awk 'BEGIN { print "given_name,family_name,sex,birth_date,country,admin2";
    for (i = 0; i < 300; i++)
        printf "Sita,Sharma,female,%d-%02d-%02d,NP,Jumla\n", 1960 + int(i / 336), 1 + i % 12,
            1 + int(i / 12) % 28 }' >"$work/people.csv"
"$SPFLOOR" --db "$work/full/r.db" init >/dev/null || fail "init"
cp "$work/full/r.db" "$work/empty.db"

# The disk fills at several points of the import: before, between and after the batches.
partial=0
for room in 60000 120000 200000 300000 1000000; do
    cp "$work/empty.db" "$work/full/r.db"
    rm -f "$work/full/r.db-wal" "$work/full/r.db-shm"
    FAILWRITE_DIR="$work/full" FAILWRITE_AFTER=$room LD_PRELOAD=$SPFLOOR_FAILWRITE \
        "$SPFLOOR" --db "$work/full/r.db" import persons "$work/people.csv" --batch 50 \
        >"$work/out" 2>"$work/err"
    rc=$?
    stored=$(count)
    if [ "$rc" -eq 0 ]; then
        [ "$stored" = 300 ] || fail "room $room: exit 0 with $stored of 300 rows stored"
        continue
    fi
    [ "$rc" -eq 4 ] || fail "room $room: a full disk is exit 4, got $rc"
    grep -q "imported $stored," "$work/out" ||
        fail "room $room: the summary counts $stored stored rows: $(cat "$work/out")"
    grep -q "committed $stored of 300 rows; run the same command again to resume" "$work/err" ||
        fail "room $room: the error says what was committed: $(cat "$work/err")"
    if [ "$stored" -gt 0 ] && [ "$stored" -lt 300 ]; then
        partial=$((partial + 1))
        "$SPFLOOR" --db "$work/full/r.db" import persons "$work/people.csv" >"$work/out" 2>&1 ||
            fail "room $room: running the import again: $(cat "$work/out")"
        [ "$(count)" = 300 ] || fail "room $room: the import resumed to $(count) rows"
        grep -q "already present $stored," "$work/out" ||
            fail "room $room: the resumed import recognises the $stored rows: $(cat "$work/out")"
    fi
done
[ "$partial" -gt 0 ] || fail "no room left the import between batches (the test needs a retune)"

finish import_full_disk
