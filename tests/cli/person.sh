#!/bin/bash
# person.sh: `spfloor init`, `person add`, `person show` and `find`, as a registration clerk
# uses them: add, look up, refuse duplicates and bad input without writing anything.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_TODAY=2025-01-15
source "$(dirname "$0")/../support/cli.bash"




count_persons() {
    "$SPFLOOR" find --limit 10000 --json </dev/null | grep -c '"id":'
}

# A mistyped --db is refused by the commands that write, and no registry appears there.
expect 4 "person add on a registry that does not exist" -- "$SPFLOOR" --db "$work/regg.db" \
    person add --given-name Sita --family-name Sharma --sex female --birth-date 1958-03-02 \
    --country NP
contains "$err" "there is no database here: create it with 'spfloor --db $work/regg.db init'" \
    "the refusal says how to make one"
printf 'given_name,family_name,sex,birth_date,country\nRam,K,male,1960-01-01,NP\n' >"$work/one.csv"
expect 4 "import into a registry that does not exist" -- "$SPFLOOR" --db "$work/regg.db" \
    import persons "$work/one.csv"
[ -e "$work/regg.db" ] && fail "a command other than init made a new registry"

expect 0 "init" -- "$SPFLOOR" init
contains "$out" "$work/registry.db" "init names the database"
expect 0 "init again" -- "$SPFLOOR" init

# --help on every command
for cmd in init person find "person add" "person show"; do
    # shellcheck disable=SC2086
    expect 0 "$cmd --help" -- "$SPFLOOR" $cmd --help
    contains "$out" "Usage:" "$cmd --help has a usage line"
    contains "$out" "Example" "$cmd --help has an example"
done

expect 0 "add Sita" -- "$SPFLOOR" person add --given-name Sita --family-name Sharma \
    --sex female --birth-date 1958-03-02 --country NP --admin1 Bagmati --admin2 Kathmandu \
    --national-id 12-01-74-01234 --groups "dalit;solo_parent" --monthly-wage 4000
sita=$out
[[ "$sita" =~ ^[0-9]{12}$ ]] || fail "add prints a 12-digit worker ID, got '$sita'"

expect 0 "show Sita" -- "$SPFLOOR" person show "$sita"
contains "$out" "Sharma" "show prints the family name"
contains "$out" "dalit;solo_parent" "show prints groups"
contains "$out" "4000.00" "show prints the wage"

expect 0 "show --json" -- "$SPFLOOR" person show "$sita" --json
contains "$out" "\"birth_date\": \"1958-03-02\"" "show --json has the birth date"
contains "$out" "\"monthly_wage\": \"4000.00\"" "show --json has money as a string"

# a second person from JSON on stdin
echo '{"given_name": "Ram", "family_name": "Thapa", "sex": "male", "birth_date": "1950-01-01",
       "country": "NP", "admin2": "Kaski", "living_children": 2, "groups": ["dalit"]}' \
    >"$work/ram.json"
"$SPFLOOR" person add <"$work/ram.json" >"$work/out" 2>"$work/err" || fail "add from stdin JSON"
ram=$(cat "$work/out")
[[ "$ram" =~ ^[0-9]{12}$ ]] || fail "JSON add prints a worker ID, got '$ram'"
[ "$ram" != "$sita" ] || fail "two persons got the same worker ID"
expect 3 "add --json FILE, a duplicate" -- "$SPFLOOR" person add --json "$work/ram.json"
contains "$err" "$ram" "the JSON duplicate names the existing record"
[ "$(count_persons)" -eq 2 ] || fail "a duplicate JSON add wrote a row"

# duplicates: same national ID in the country, or same name + birth date + district
expect 3 "duplicate national ID" -- "$SPFLOOR" person add --given-name Gita --family-name Rai \
    --sex female --birth-date 1970-01-01 --country NP --national-id 12-01-74-01234
contains "$err" "$sita" "the conflict names the existing worker ID"
contains "$err" "Sita Sharma" "the conflict names the existing person"
expect 3 "duplicate name and birth" -- "$SPFLOOR" person add --given-name " SITA " \
    --family-name sharma --sex female --birth-date 1958-03-02 --country NP --admin2 KATHMANDU
contains "$err" "$sita" "the dedup conflict names the existing worker ID"
[ "$(count_persons)" -eq 2 ] || fail "a refused duplicate wrote a row"

# bad input: exit 2, a message naming the field, and no row written
expect 2 "bad sex" -- "$SPFLOOR" person add --given-name Hari --family-name Rai --sex mail \
    --birth-date 1970-01-01 --country NP
contains "$err" 'sex: "mail" is not allowed: use female, male or other' "bad sex message"
expect 2 "future birth date" -- "$SPFLOOR" person add --given-name Hari --family-name Rai \
    --sex male --birth-date 2031-01-01 --country NP
contains "$err" "is in the future" "future date message"
expect 2 "too many decimals" -- "$SPFLOOR" person add --given-name Hari --family-name Rai \
    --sex male --birth-date 1970-01-01 --country NP --monthly-wage 12.345
contains "$err" "NPR has 2" "decimal places message"
expect 2 "unknown country" -- "$SPFLOOR" person add --given-name Hari --family-name Rai \
    --sex male --birth-date 1970-01-01 --country XX
contains "$err" "is not a country spfloor knows" "country message"
expect 2 "missing sex" -- "$SPFLOOR" person add --given-name Hari --family-name Rai \
    --birth-date 1970-01-01 --country NP
contains "$err" "sex is missing" "missing field message"
echo '{"given_name": "Hari", "family_name": "Rai", "sex": "male", "birth_date": "1970-01-01",
       "country": "NP", "colour": "blue"}' >"$work/bad.json"
expect 2 "unknown JSON key" -- "$SPFLOOR" person add --json "$work/bad.json"
contains "$err" "/colour" "JSON errors name the pointer"
echo '{"given_name": "Hari", "family_name": "Rai", "sex": "male", "birth_date": "1970-01-01",
       "country": "NP", "groups": ["dalit", "solo parent"]}' >"$work/bad.json"
expect 2 "bad list item" -- "$SPFLOOR" person add --json "$work/bad.json"
contains "$err" "/groups/1" "JSON errors name the array item"
expect 1 "unknown flag" -- "$SPFLOOR" person add --given-name Hari --colour blue
[ "$(count_persons)" -eq 2 ] || fail "bad input wrote a row"

# show: unknown and mistyped IDs
expect 2 "mistyped ID" -- "$SPFLOOR" person show 000000000018
contains "$err" "check digit" "a mistyped ID is explained"
expect 2 "unknown ID" -- "$SPFLOOR" person show 000000009999
contains "$err" "no person with ID 000000009999 is registered" "an unknown ID is reported"

# find
expect 0 "find by name" -- "$SPFLOOR" find sharma
contains "$out" "$sita" "find lists Sita"
case "$out" in *"$ram"*) fail "find sharma lists Ram" ;; esac
expect 0 "find by two words" -- "$SPFLOOR" find Sita Sharma
contains "$out" "$sita" "find joins words"
expect 0 "find by national ID" -- "$SPFLOOR" find 01-74-01234
contains "$out" "$sita" "find by national ID"
expect 0 "find --json" -- "$SPFLOOR" find thapa --json
contains "$out" "\"id\": \"$ram\"" "find --json has the id"
contains "$out" "\"admin2\": \"Kaski\"" "find --json has admin2"
expect 0 "find everyone" -- "$SPFLOOR" find --limit 1
[ "$(echo "$out" | grep -c .)" -eq 1 ] || fail "--limit 1 lists one person"
expect 0 "find other country" -- "$SPFLOOR" find --country IN --json
[ "$out" = "[]" ] || fail "find --country IN lists no one: $out"
expect 1 "find bad country" -- "$SPFLOOR" find --country XX

# reading a registry that does not exist is an error, and creates nothing
expect 4 "find without a database" -- "$SPFLOOR" --db "$work/none.db" find Sita
contains "$err" "init" "the missing database message says how to create it"
[ ! -e "$work/none.db" ] || fail "find created a database"

# a PostgreSQL server that is not there: a storage error naming it, without the password
expect 4 "postgres" -- "$SPFLOOR" --db "postgres://clerk:s3cret@/spfloor?host=/nonexistent-pg" init
contains "$err" "postgres://clerk:******@/spfloor" "the server is named"
contains "$err" "cannot connect to the database" "postgres is refused clearly"
case "$err" in *s3cret*) fail "the password is shown: $err" ;; esac

# A correction keeps the old values, with who, when and why; nothing is deleted.
expect 0 "correct Sita's phone" -- "$SPFLOOR" person update "$sita" --phone 9851111111 \
    --marital-status widowed --reason "she came to the office" --by clerk1
contains "$out" "2 fields changed" "the correction counts what changed"
expect 0 "show Sita after the correction" -- "$SPFLOOR" person show "$sita"
contains "$out" "9851111111" "show prints the new phone"
expect 0 "Sita's history" -- "$SPFLOOR" person history "$sita"
contains "$out" "correction 1 by clerk1: she came to the office" "history says who and why"
contains "$out" "(not set) -> widowed" "history keeps the old value"
expect 1 "a correction without a reason" -- "$SPFLOOR" person update "$sita" --phone 1234567
contains "$err" "--reason" "the refusal asks for the reason"
expect 2 "a correction of nobody" -- "$SPFLOOR" person update 000000009999 --phone 1234567 \
    --reason x
contains "$err" "no person with ID" "the refusal says nobody has that ID"
expect 2 "an invalid correction" -- "$SPFLOOR" person update "$sita" --sex mail --reason x
expect 0 "history unchanged by refused corrections" -- "$SPFLOOR" person history "$sita" --json
[ "$(grep -c '"version": 1' <<<"$out")" -eq 2 ] && [ "$(grep -c '"version"' <<<"$out")" -eq 2 ] ||
    fail "refused corrections left a trace: $out"

# A death and a duplicate are marks: the record stays, and decisions refuse it saying why.
# person add refuses her under another spelling in another district, naming the record; an
# import (which warns) registers the duplicate, and the merge resolves it.
expect 3 "person add refuses Seeta, likely Sita" -- "$SPFLOOR" person add --given-name Seeta \
    --family-name Sharma --sex female --birth-date 1958-03-02 --country NP --admin2 Lalitpur
contains "$err" "likely already registered as $sita" "the refusal names the record"
contains "$err" "--not-duplicate-of $sita" "the refusal says how to confirm another person"
printf '%s\n' "given_name,family_name,sex,birth_date,country,admin2" \
    "Seeta,Sharma,female,1958-03-02,NP,Lalitpur" >"$work/seeta.csv"
expect 0 "import Seeta, Sita's duplicate" -- "$SPFLOOR" --quiet import persons "$work/seeta.csv"
expect 0 "find Seeta" -- "$SPFLOOR" find Seeta Sharma --country NP --json
seeta=$(grep -o '"id": "[0-9]*"' <<<"$out" | grep -v "$sita" | head -1 | grep -o '[0-9]\{12\}')
[[ "$seeta" =~ ^[0-9]{12}$ ]] || fail "the imported duplicate is found: $out"
expect 0 "dedup scan lists the pair" -- "$SPFLOOR" dedup scan
contains "$out" "$sita  $seeta" "the scan pairs Sita with Seeta"
contains "$out" "different: admin2" "the scan says the district differs"
expect 0 "merge the duplicate" -- "$SPFLOOR" person merge "$seeta" --into "$sita" \
    --reason "the same woman, registered twice"
expect 0 "show the duplicate" -- "$SPFLOOR" person show "$seeta"
contains "$out" "merged into $sita" "show says which record stays"
expect 0 "dedup scan after the merge" -- "$SPFLOOR" dedup scan
[ -z "$out" ] || fail "a merged pair is not listed again: $out"
expect 2 "entitlements of the duplicate" -- "$SPFLOOR" --schemes "$SPFLOOR_SRC/schemes" \
    entitlements "$seeta" --as-of 2025-01-15
contains "$err" "merged into $sita: use that worker ID" "decisions send the clerk to the record"
expect 2 "a death before the birth" -- "$SPFLOOR" person deceased "$sita" --date 1950-01-01 \
    --reason "certificate"
expect 0 "record Sita's death" -- "$SPFLOOR" person deceased "$sita" --date 2025-01-01 \
    --reason "death certificate 42"
expect 2 "entitlements after her death" -- "$SPFLOOR" --schemes "$SPFLOOR_SRC/schemes" \
    entitlements "$sita" --as-of 2025-01-15
contains "$err" "recorded on 2025-01-01" "the refusal gives the day of death"
expect 0 "entitlements before her death" -- "$SPFLOOR" --schemes "$SPFLOOR_SRC/schemes" \
    entitlements "$sita" --as-of 2024-12-01
expect 3 "a second death" -- "$SPFLOOR" person deceased "$sita" --date 2025-01-02 --reason x
expect 0 "history keeps the death" -- "$SPFLOOR" person history "$sita"
contains "$out" "deceased on 2025-01-01" "history lists the death"

finish person
