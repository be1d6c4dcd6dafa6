#!/usr/bin/env bash
# output_files: a file spfloor writes for a user never costs them a file they had. --rejects
# naming the input (however spelt, or a hard link to it) is refused and the input is left
# byte for byte; a rejects or card path that is a symbolic link is refused and its target left
# alone; on a full disk (or a failing fsync) the old card and the old rejects list stay whole,
# with exit 4, and no temporary file is left behind.
set -euo pipefail
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"
: "${SPFLOOR_FAILWRITE:?set SPFLOOR_FAILWRITE to the failwrite shim (libfailwrite.so)}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SPFLOOR_TODAY=2025-01-15
db=$tmp/registry.db
source "$(dirname "$0")/../support/cli.bash"


# run NAME CMD...: runs CMD with stdout and stderr in $tmp/out and $tmp/err, exit code in $rc.
run() {
    rc=0
    "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# full_disk CMD...: runs CMD (like run) with the failwrite shim loaded: regular files under
# $tmp/full take $FAILWRITE_AFTER bytes (default 0) and then refuse more with ENOSPC.
full_disk() {
    rc=0
    FAILWRITE_DIR=$tmp/full LD_PRELOAD=$SPFLOOR_FAILWRITE \
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
        "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# only_files DIR NAME...: DIR holds exactly these entries (no temporary file left behind).
only_files() {
    local dir=$1
    shift
    local want got
    want=$(printf '%s\n' "$@" | sort)
    got=$(ls -A "$dir" | sort)
    [ "$got" = "$want" ] || fail "$dir holds [$(echo $got)], expected [$(echo $want)]"
}

mkdir "$tmp/in" "$tmp/full"
cat >"$tmp/in/people.csv" <<'CSV'
national_id,given_name,family_name,sex,birth_date,country,admin2
NP-1001,Sita,Sharma,female,1961-04-13,NP,Kathmandu
NP-1002,Ram,Thapa,mail,1958-11-02,NP,Kaski
NP-1003,Hari,Karki,male,2031-01-01,NP,Kaski
CSV
cp "$tmp/in/people.csv" "$tmp/people.orig"
"$SPFLOOR" --quiet --db "$db" init >/dev/null

# --- the input named as its own rejects file ------------------------------------------------
ln "$tmp/in/people.csv" "$tmp/in/hardlink.csv"
for rejects in people.csv ./people.csv "$tmp/in/people.csv" "$tmp/in/../in/people.csv" \
    hardlink.csv; do
    for mode in "" --skip-bad; do
        run env -C "$tmp/in" "$SPFLOOR" --db "$db" import persons people.csv \
            --rejects "$rejects" $mode
        [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] ||
            fail "--rejects $rejects $mode: exit $rc, expected 1 or 2 ($(cat "$tmp/err"))"
        grep -qF "is the input file" "$tmp/err" ||
            fail "--rejects $rejects $mode: the message does not say why: $(cat "$tmp/err")"
        cmp -s "$tmp/in/people.csv" "$tmp/people.orig" ||
            fail "--rejects $rejects $mode: the input file changed"
        cp "$tmp/people.orig" "$tmp/in/people.csv" # for the next case, if it did
    done
done
[ "$(sqlite3 "$db" 'SELECT count(*) FROM persons;')" = 0 ] ||
    fail "a refused --rejects still imported rows"
only_files "$tmp/in" people.csv hardlink.csv

# --- a rejects path that is a symbolic link -------------------------------------------------
echo "keep me" >"$tmp/in/target.txt"
ln -s target.txt "$tmp/in/link.csv"
ln -s nowhere.csv "$tmp/in/dangling.csv"
for link in link.csv dangling.csv; do
    run env -C "$tmp/in" "$SPFLOOR" --db "$db" import persons people.csv --rejects "$link"
    [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] ||
        fail "--rejects $link (a symlink): exit $rc, expected 1 or 2 ($(cat "$tmp/err"))"
    grep -qF "symbolic link" "$tmp/err" ||
        fail "--rejects $link: the message does not say why: $(cat "$tmp/err")"
    [ -L "$tmp/in/$link" ] || fail "--rejects $link: the link was replaced"
done
[ "$(cat "$tmp/in/target.txt")" = "keep me" ] || fail "the symlink's target was written"
[ ! -e "$tmp/in/nowhere.csv" ] || fail "the dangling symlink's target was created"
only_files "$tmp/in" people.csv hardlink.csv target.txt link.csv dangling.csv

# --- the rejects file is put in place whole; on a full disk the old one stays ---------------
run "$SPFLOOR" --db "$db" import persons "$tmp/in/people.csv" --rejects "$tmp/full/r.csv"
[ "$rc" -eq 2 ] || fail "import with bad rows: exit $rc, expected 2 ($(cat "$tmp/err"))"
[ "$(wc -l <"$tmp/full/r.csv")" -eq 3 ] || fail "the rejects file does not list the 2 bad rows"
grep -q '^3,sex,' "$tmp/full/r.csv" || fail "the rejects file has no line for row 3"
only_files "$tmp/full" r.csv
printf 'row,column,reason,line\n9,sex,an older list,x\n' >"$tmp/full/r.csv"
cp "$tmp/full/r.csv" "$tmp/rejects.orig"
for room in 0 40 100; do
    FAILWRITE_AFTER=$room full_disk "$SPFLOOR" --db "$db" import persons "$tmp/in/people.csv" \
        --rejects "$tmp/full/r.csv"
    [ "$rc" -eq 4 ] || fail "rejects on a full disk ($room bytes free): exit $rc, expected 4"
    grep -qF "No space left on device" "$tmp/err" ||
        fail "rejects on a full disk: the message does not say why: $(cat "$tmp/err")"
    cmp -s "$tmp/full/r.csv" "$tmp/rejects.orig" ||
        fail "rejects on a full disk ($room bytes free): the old rejects file was damaged"
    only_files "$tmp/full" r.csv
done
FAILWRITE_AFTER=1000000 FAILWRITE_FSYNC=1 full_disk "$SPFLOOR" --db "$db" import persons \
    "$tmp/in/people.csv" --rejects "$tmp/full/r.csv"
[ "$rc" -eq 4 ] || fail "rejects with a failing fsync: exit $rc, expected 4"
cmp -s "$tmp/full/r.csv" "$tmp/rejects.orig" ||
    fail "rejects with a failing fsync: the old rejects file was replaced"
only_files "$tmp/full" r.csv
[ "$(sqlite3 "$db" 'SELECT count(*) FROM persons;')" = 0 ] || fail "bad rows were imported"

# --- cards ------------------------------------------------------------------------------------
sed '/mail\|2031/d' "$tmp/people.orig" >"$tmp/good.csv"
echo "NP-1004,Maya,Gurung,female,1995-02-11,NP,Kaski" >>"$tmp/good.csv"
"$SPFLOOR" --quiet --db "$db" import persons "$tmp/good.csv" >/dev/null
sita=$(sqlite3 "$db" "SELECT id FROM persons WHERE national_id = 'NP-1001';")
maya=$(sqlite3 "$db" "SELECT id FROM persons WHERE national_id = 'NP-1004';")
run "$SPFLOOR" --db "$db" card "$sita" --out "$tmp/full/card.svg"
[ "$rc" -eq 0 ] || fail "card $sita: exit $rc ($(cat "$tmp/err"))"
grep -qF '>Sita Sharma</text>' "$tmp/full/card.svg" || fail "the card does not show the name"
cp "$tmp/full/card.svg" "$tmp/card.orig"
[ "$(wc -c <"$tmp/card.orig")" -gt 4096 ] || fail "a card is expected to be larger than 4096 bytes"
for room in 0 4096; do
    FAILWRITE_AFTER=$room full_disk "$SPFLOOR" --db "$db" card "$maya" --out "$tmp/full/card.svg"
    [ "$rc" -eq 4 ] || fail "card on a full disk ($room bytes free): exit $rc, expected 4"
    grep -qF "No space left on device" "$tmp/err" ||
        fail "card on a full disk: the message does not say why: $(cat "$tmp/err")"
    cmp -s "$tmp/full/card.svg" "$tmp/card.orig" ||
        fail "card on a full disk ($room bytes free): the good card was replaced"
    only_files "$tmp/full" r.csv card.svg
done
FAILWRITE_AFTER=1000000 FAILWRITE_FSYNC=1 full_disk "$SPFLOOR" --db "$db" card "$maya" \
    --out "$tmp/full/card.svg"
[ "$rc" -eq 4 ] || fail "card with a failing fsync: exit $rc, expected 4"
cmp -s "$tmp/full/card.svg" "$tmp/card.orig" || fail "card with a failing fsync: replaced"
only_files "$tmp/full" r.csv card.svg
# with room, the card is replaced, whole
FAILWRITE_AFTER=1000000 full_disk "$SPFLOOR" --db "$db" card "$maya" --out "$tmp/full/card.svg"
[ "$rc" -eq 0 ] || fail "card with room on the disk: exit $rc ($(cat "$tmp/err"))"
grep -qF '>Maya Gurung</text>' "$tmp/full/card.svg" || fail "the card was not replaced"
xmllint --noout "$tmp/full/card.svg" || fail "the replaced card is not well-formed"
only_files "$tmp/full" r.csv card.svg

# a card path that is a symbolic link
ln -s "$tmp/card.orig" "$tmp/in/card-link.svg"
run "$SPFLOOR" --db "$db" card "$maya" --out "$tmp/in/card-link.svg"
[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] || fail "card --out a symlink: exit $rc, expected 1 or 2"
grep -qF "symbolic link" "$tmp/err" || fail "card --out a symlink: $(cat "$tmp/err")"
grep -qF '>Sita Sharma</text>' "$tmp/card.orig" || fail "card --out a symlink: target written"
[ -L "$tmp/in/card-link.svg" ] || fail "card --out a symlink: the link was replaced"

finish output_files
