#!/usr/bin/env bash
# import_bad_input: every kind of bad CSV is refused with exit 2, a message naming the row and
# column, a rejects file listing the row, and a database left exactly as it was. --skip-bad
# imports the good rows and lists the bad ones.
set -euo pipefail
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SPFLOOR_TODAY=2025-01-15
good=$SPFLOOR_SRC/tests/data/import/persons_good.csv
more=$SPFLOOR_SRC/tests/data/import/persons_more.csv
db=$tmp/registry.db
source "$(dirname "$0")/../support/cli.bash"


# Everything a user could see in the database: persons, households and the ID counter.
db_state() {
    {
        sqlite3 "$db" 'SELECT * FROM persons ORDER BY id;'
        sqlite3 "$db" 'SELECT * FROM households ORDER BY id;'
        sqlite3 "$db" 'SELECT * FROM counters ORDER BY name;'
    } | sha256sum
}

# A database that already holds the six persons of the good file.
fresh_db() {
    rm -f "$db" "$db"-wal "$db"-shm
    "$SPFLOOR" --quiet --db "$db" init >/dev/null || fail "init $db"
    "$SPFLOOR" --quiet --db "$db" import persons "$good" >/dev/null ||
        { echo "FAIL: importing $good" >&2; exit 1; }
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM persons;')" = 6 ] ||
        { echo "FAIL: $good did not give 6 persons" >&2; exit 1; }
}

# bad_case NAME ROW COLUMN: imports the CSV on stdin as NAME.csv into a fresh database and
# checks exit 2, the message "NAME.csv:row ROW:column COLUMN: ", the rejects line and that the
# database did not change.
bad_case() {
    local name=$1 row=$2 column=$3
    local csv=$tmp/$name.csv rejects=$tmp/$name.rejects.csv
    cat >"$csv"
    fresh_db
    local count_before state_before rc=0
    count_before=$(sqlite3 "$db" 'SELECT count(*) FROM persons;')
    state_before=$(db_state)
    (cd "$tmp" && "$SPFLOOR" --db "$db" import persons "$name.csv") \
        >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -eq 2 ] || fail "$name: exit $rc, expected 2 ($(cat "$tmp/err"))"
    grep -qF "spfloor: $name.csv:row $row:column $column: " "$tmp/err" ||
        fail "$name: stderr does not name row $row and column $column: $(cat "$tmp/err")"
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM persons;')" = "$count_before" ] ||
        fail "$name: the number of persons changed"
    [ "$(db_state)" = "$state_before" ] || fail "$name: the database content changed"
    if [ ! -f "$rejects" ]; then
        fail "$name: no rejects file $rejects"
    else
        [ "$(head -1 "$rejects")" = "row,column,reason,$(head -1 "$csv" | cut -d $'\r' -f1)" ] ||
            [ "$row" -eq 1 ] || fail "$name: rejects header: $(head -1 "$rejects")"
        grep -q "^$row,$column," "$rejects" || fail "$name: rejects has no line for row $row"
    fi
    grep -q "imported 0," "$tmp/out" || fail "$name: summary does not say imported 0"
}

header=given_name,family_name,sex,birth_date,country,national_id,monthly_wage

bad_case wrong_sex 3 sex <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,9000.50
Bimala,Rai,mail,1999-12-31,NP,NP-2002,
EOF
grep -qF 'column sex: "mail" is not allowed: use female, male or other' "$tmp/err" ||
    fail "wrong_sex: the reason is not spelt out: $(cat "$tmp/err")"

bad_case impossible_date 2 birth_date <<EOF
$header
Hari,Karki,male,2023-02-30,NP,NP-2001,
EOF

bad_case future_birth_date 4 birth_date <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,
Bimala,Rai,female,1999-12-31,NP,NP-2002,
Dorj,Bat,male,2031-01-01,MN,MN-3,
EOF

bad_case money_decimals 2 monthly_wage <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,9000.505
EOF

bad_case unknown_column 1 sexx <<EOF
given_name,family_name,sexx,birth_date,country
Hari,Karki,male,1980-05-05,NP
EOF

bad_case missing_column 1 birth_date <<EOF
given_name,family_name,sex,country
Hari,Karki,male,NP
EOF

bad_case unterminated_quote 3 family_name <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,
Bimala,"Rai,female,1999-12-31,NP,NP-2002,
Dorj,Bat,male,1975-08-15,MN,MN-3,
EOF

bad_case duplicate_in_file 4 national_id <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,
Bimala,Rai,female,1999-12-31,NP,NP-2002,
Dorj,Bat,male,1975-08-15,NP,NP-2001,
EOF
grep -qF 'first on row 2' "$tmp/err" || fail "duplicate_in_file: the first row is not named"

# NP-1001 is Sita Sharma's, from the good file
sita=$(sqlite3 "$db" "SELECT id FROM persons WHERE national_id = 'NP-1001';")
bad_case duplicate_in_db 3 national_id <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,
Sarita,Sharma,female,1961-04-13,NP,NP-1001,
EOF
grep -qF "worker $sita" "$tmp/err" || fail "duplicate_in_db: the existing worker is not named"

bad_case not_utf8 3 given_name < <(printf '%s\n%s\n%b\n' "$header" \
    "Hari,Karki,male,1980-05-05,NP,NP-2001," 'S\xe9ta,Sharma,female,1961-04-13,NP,NP-9,')
grep -qF 'UTF-8' "$tmp/err" || fail "not_utf8: the reason does not say UTF-8"

# Spaces are part of a field (docs/import.md): " female" is not female.
bad_case space_before_value 3 sex <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,
Bimala,Rai, female,1999-12-31,NP,NP-2002,
EOF
grep -qF 'column sex: starts with a space: in CSV a space is part of the field' "$tmp/err" ||
    fail "space_before_value: the reason is not spelt out: $(cat "$tmp/err")"
bad_case space_after_value 2 monthly_wage <<EOF
$header
Hari,Karki,male,1980-05-05,NP,NP-2001,"9000.50 "
EOF
grep -qF 'ends with a space' "$tmp/err" || fail "space_after_value: $(cat "$tmp/err")"

# A bare CR (old Mac line ending) is refused where it is, naming the problem; CRLF is fine.
bad_case bare_cr 3 monthly_wage < <(printf '%s\r\n%s\r\n%s\r%s\r\n' "$header" \
    "Hari,Karki,male,1980-05-05,NP,NP-2001," "Bimala,Rai,female,1999-12-31,NP,NP-2002," \
    "Dorj,Bat,male,1975-08-15,MN,MN-3,")
grep -qF 'a bare CR (an old Mac line ending) ends the line here: save the file with LF or CRLF' \
    "$tmp/err" || fail "bare_cr: the reason is not spelt out: $(cat "$tmp/err")"
fresh_db
printf '%s\r\n%s\r\n' "$header" "Hari,Karki,male,1980-05-05,NP,NP-2001," >"$tmp/crlf.csv"
"$SPFLOOR" --db "$db" import persons "$tmp/crlf.csv" >"$tmp/out" 2>"$tmp/err" ||
    fail "crlf: $(cat "$tmp/err")"
grep -qF "rows 1, imported 1," "$tmp/out" || fail "crlf: summary: $(cat "$tmp/out")"

# A file saved with ';' (or tabs) between its columns is named as such, not as an unknown field.
fresh_db
printf '%s\n%s\n' "${header//,/;}" "Hari;Karki;male;1980-05-05;NP;NP-2001;" >"$tmp/semicolon.csv"
rc=0
"$SPFLOOR" --db "$db" import persons "$tmp/semicolon.csv" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "semicolon: exit $rc, expected 2"
grep -qF "this file separates its columns with ';', not commas" "$tmp/err" ||
    fail "semicolon: the separator is not named: $(cat "$tmp/err")"
printf '%s\n' "${header//,/$'\t'}" >"$tmp/tabs.csv"
"$SPFLOOR" --db "$db" import persons "$tmp/tabs.csv" >"$tmp/out" 2>"$tmp/err" && fail "tabs: accepted"
grep -qF "separates its columns with tabs" "$tmp/err" || fail "tabs: $(cat "$tmp/err")"

# A binary file (NUL bytes) is not a CSV text file: said so, with the byte offset, not blamed on
# a missing quote; /dev/zero, which never ends, included.
{
    printf '%s\n%s\n' "$header" "Hari,Karki,male,1980-05-05,NP,NP-2001,"
    head -c 4096 /dev/zero
} >"$tmp/binary.csv"
fresh_db
state_before=$(db_state)
rc=0
"$SPFLOOR" --db "$db" import persons "$tmp/binary.csv" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "binary: exit $rc, expected 2"
grep -qF "binary.csv:row 3: byte offset 110 is a NUL byte: this is not a CSV text file" \
    "$tmp/err" || fail "binary: $(cat "$tmp/err")"
[ "$(db_state)" = "$state_before" ] || fail "binary: the database changed"
rc=0
timeout 60 "$SPFLOOR" --db "$db" import persons /dev/zero --rejects "$tmp/zero.rejects.csv" \
    >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "/dev/zero: exit $rc, expected 2"
grep -qF "/dev/zero: is not a regular file" "$tmp/err" || fail "/dev/zero: $(cat "$tmp/err")"
[ -e "$tmp/zero.rejects.csv" ] && fail "/dev/zero: a rejects file was written"
# a device is not a file: no rejects file is made beside it (in /dev)
rc=0
timeout 60 "$SPFLOOR" --db "$db" import persons /dev/zero >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "/dev/zero without --rejects: exit $rc, expected 2"
[ -e /dev/zero.rejects.csv ] && fail "a rejects file was written in /dev"

# every bad row is listed, and the message tells how many
cat >"$tmp/several.csv" <<EOF
$header
Hari,Karki,mail,1980-05-05,NP,NP-2001,
Bimala,Rai,female,1999-12-31,NP,NP-2002,
Dorj,Bat,male,2023-02-30,MN,MN-3,
EOF
fresh_db
rc=0
"$SPFLOOR" --db "$db" import persons "$tmp/several.csv" --rejects "$tmp/several.txt" \
    >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "several: exit $rc"
[ "$(wc -l <"$tmp/several.txt")" -eq 3 ] || fail "several: expected a header and 2 rejects"
grep -q '^2,sex,' "$tmp/several.txt" || fail "several: row 2 not listed"
grep -q '^4,birth_date,' "$tmp/several.txt" || fail "several: row 4 not listed"
grep -qF "2 bad rows, nothing was imported" "$tmp/err" || fail "several: no count on stderr"
[ ! -f "$tmp/several.rejects.csv" ] || fail "several: --rejects was not used"

# --skip-bad imports the good rows and lists the bad ones
fresh_db
rc=0
"$SPFLOOR" --db "$db" import persons "$tmp/several.csv" --skip-bad >"$tmp/out" 2>"$tmp/err" ||
    rc=$?
[ "$rc" -eq 0 ] || fail "skip-bad: exit $rc ($(cat "$tmp/err"))"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM persons;')" = 7 ] || fail "skip-bad: expected 6 + 1"
[ "$(sqlite3 "$db" "SELECT given_name FROM persons WHERE national_id = 'NP-2002';")" = Bimala ] ||
    fail "skip-bad: the good row is not there"
grep -qF "rows 3, imported 1, already present 0, rejected 2" "$tmp/out" ||
    fail "skip-bad: summary: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/several.rejects.csv")" -eq 3 ] || fail "skip-bad: expected 2 rejects"

# every problem of a row is listed, and the rejects file, corrected, imports as it is: its own
# columns (row, column, reason) are recognised and left out
cat >"$tmp/many.csv" <<EOF
given_name,family_name,sex,birth_date,country,admin2
Bimala,Rai,mail,1999-13-31,NP,Kaskii
Sunita,Gurung,female,1988-04-01,NP,Kaski
EOF
fresh_db
rc=0
"$SPFLOOR" --db "$db" import persons "$tmp/many.csv" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "many problems: exit $rc, expected 2"
rejects=$tmp/many.rejects.csv
expected_header=row,column,reason,given_name,family_name,sex,birth_date,country,admin2
[ "$(head -1 "$rejects")" = "$expected_header" ] ||
    fail "many problems: the rejects header is row,column,reason and the input's: $(head -1 "$rejects")"
line=$(grep '^2,sex,' "$rejects")
for problem in '""mail"" is not allowed' 'birth_date: ""1999-13-31"" is not a date' \
    'admin2: ""Kaskii"" is not a district of NP: did you mean ""Kaski""'; do
    case "$line" in
    *"$problem"*) ;;
    *) fail "many problems: the rejects line lacks $problem: $line" ;;
    esac
done
case "$line" in
*",Bimala,Rai,mail,1999-13-31,NP,Kaskii") ;;
*) fail "many problems: the row's fields follow as columns: $line" ;;
esac
grep -qF 'birth_date: "1999-13-31" is not a date' "$tmp/err" ||
    fail "many problems: stderr lists every problem of the row: $(cat "$tmp/err")"
sed -i 's/,mail,1999-13-31,NP,Kaskii$/,female,1999-12-31,NP,Kaski/' "$rejects"
"$SPFLOOR" --db "$db" import persons "$rejects" --rejects "$tmp/again.csv" >"$tmp/out" \
    2>"$tmp/err" || fail "the corrected rejects file does not import: $(cat "$tmp/err")"
grep -qF "rows 1, imported 1" "$tmp/out" || fail "the corrected row is imported: $(cat "$tmp/out")"
[ "$(sqlite3 "$db" "SELECT admin2 FROM persons WHERE given_name = 'Bimala';")" = Kaski ] ||
    fail "the corrected row is stored as corrected"
# a rejects file of a rejects file does not repeat its own columns
printf 'row,column,reason,given_name,family_name,sex,birth_date,country\n2,sex,x,Dawa,Sherpa,mail,1990-01-01,NP\n' \
    >"$tmp/old.rejects.csv"
rc=0
"$SPFLOOR" --db "$db" import persons "$tmp/old.rejects.csv" --rejects "$tmp/new.csv" \
    >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "a rejects file still wrong: exit $rc, expected 2"
[ "$(head -1 "$tmp/new.csv")" = "row,column,reason,given_name,family_name,sex,birth_date,country" ] ||
    fail "the new rejects file names each column once: $(head -1 "$tmp/new.csv")"

# a good file adds its persons; the same file again adds nothing
fresh_db
"$SPFLOOR" --db "$db" import persons "$more" >"$tmp/out" 2>"$tmp/err" ||
    fail "more: $(cat "$tmp/err")"
grep -qF "rows 3, imported 3, already present 0, rejected 0" "$tmp/out" ||
    fail "more: summary: $(cat "$tmp/out")"
state=$(db_state)
"$SPFLOOR" --db "$db" import persons "$more" >"$tmp/out" 2>"$tmp/err" ||
    fail "more again: $(cat "$tmp/err")"
grep -qF "rows 3, imported 0, already present 3, rejected 0" "$tmp/out" ||
    fail "more again: summary: $(cat "$tmp/out")"
[ "$(db_state)" = "$state" ] || fail "more again: the database changed"
[ ! -f "$SPFLOOR_SRC/tests/data/import/persons_more.rejects.csv" ] ||
    fail "a rejects file was written without rejects"

# usage errors exit 1; a missing file is I/O (4)
rc=0
"$SPFLOOR" --db "$db" import persons >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "no file: exit $rc, expected 1"
rc=0
"$SPFLOOR" --db "$db" import persons "$good" --batch 0 >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "--batch 0: exit $rc, expected 1"
rc=0
"$SPFLOOR" --db "$db" import households "$good" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "import households: exit $rc, expected 1"
rc=0
"$SPFLOOR" --db "$db" import persons "$tmp/nowhere.csv" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 4 ] || fail "missing file: exit $rc, expected 4"

finish import_bad_input
