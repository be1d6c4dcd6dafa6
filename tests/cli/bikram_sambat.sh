#!/bin/bash
# bikram_sambat.sh: a ward office in Nepal registers people from documents dated in Bikram
# Sambat (BS): a BS birth date gives the person their true age and allowance, both calendars
# are shown, an impossible BS date is refused (exit 2) without writing anything, and a BS year
# typed as if Gregorian is registered with a warning.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/tests/data/rules/schemes"
export SPFLOOR_TODAY=2026-12-02
source "$(dirname "$0")/../support/cli.bash"

count_persons() {
    "$SPFLOOR" find --limit 10000 --json </dev/null | grep -c '"id":'
}

expect 0 "init" -- "$SPFLOOR" init

# 18 Magh 2007 BS is 31 January 1951 (medic/bikram-sambat's published pairs): a senior of 75
expect 0 "add a BS birth date" -- "$SPFLOOR" person add --given-name Sita --family-name Sharma \
    --sex female --birth-date "2007-10-18 BS" --country NP --admin2 Jumla
sita=$out
contains "[$err]" "[spfloor: note: today is 2026-12-02" "no warning for a date that names BS"
case "$err" in *warning*) fail "a BS date warns: $err" ;; esac
expect 0 "show" -- "$SPFLOOR" person show "$sita"
contains "$out" "birth_date        1951-01-31 (2007-10-18 BS)" "show gives both calendars"
expect 0 "show --json" -- "$SPFLOOR" person show "$sita" --json
contains "$out" '"birth_date": "1951-01-31"' "JSON keeps ISO dates"

# the allowance decided on 15 Mangsir 2083 BS (2026-12-01)
expect 0 "entitlements as of a BS date" -- "$SPFLOOR" entitlements "$sita" \
    --as-of "2083-08-15 BS" --json
contains "$out" '"as_of": "2026-12-01"' "--as-of in BS is the right day"
contains "$out" 'age 75 >= np.ssa.senior_age 70' "the senior is 75"
contains "$out" '"scheme":"np.ssa.senior_citizen","country":"NP","branch":"old_age","kind":"non_contributory","eligible":true,"amount":"4000.00"' \
    "and gets the senior allowance"
expect 0 "entitlements --calendar bs" -- "$SPFLOOR" entitlements "$sita" \
    --as-of 2083-08-15 --calendar bs
contains "$out" "as of 2026-12-01" "--calendar bs reads --as-of as BS"

# evaluate without a database: a BS birth date in the situations file, --as-of read as BS
cat >"$work/situation.yaml" <<'YAML'
persons:
  - {id: p1, sex: male, birth_date: 2007-10-18 BS, country: NP, admin2: Jumla}
YAML
expect 0 "evaluate" -- "$SPFLOOR" evaluate "$work/situation.yaml" --as-of 2083-08-15 \
    --calendar bs --json
contains "$out" '"as_of": "2026-12-01"' "evaluate reads --as-of as BS"
contains "$out" 'age 75 >= np.ssa.senior_age 70' "evaluate reads the BS birth date"

# the same digits typed without a calendar: Gregorian, age 19, with a warning
expect 0 "a BS year given as Gregorian" -- "$SPFLOOR" person add --given-name Ram \
    --family-name Thapa --sex male --birth-date 2007-10-18 --country NP --admin2 Jumla
ram=$out
contains "$err" 'warning: birth_date "2007-10-18" of a person in Nepal was read as Gregorian (age 19' \
    "the warning says how it was read"
contains "$err" 'write "2007-10-18 BS" (1951-01-31, age 75)' "the warning gives the BS reading"
expect 0 "Ram's entitlements" -- "$SPFLOOR" entitlements "$ram" --as-of 2026-12-01 --json
contains "$out" 'senior_age: age 19 < np.ssa.senior_age 70' "read as Gregorian, Ram is 19"

# --calendar bs on person add; an AD suffix still means Gregorian
expect 0 "person add --calendar bs" -- "$SPFLOOR" person add --calendar bs --given-name Hari \
    --family-name Rai --sex male --birth-date 2010-05-05 --employment-start "2020-01-01 AD" \
    --country NP
expect 0 "show Hari" -- "$SPFLOOR" person show "$out"
contains "$out" "(2010-05-05 BS)" "the birth date was read as BS"
contains "$out" "employment_start  2020-01-01 (" "the AD suffix was kept Gregorian"

# impossible BS dates: exit 2, the reason, nothing written
before=$(count_persons)
expect 2 "month 13" -- "$SPFLOOR" person add --given-name Gita --family-name Rai --sex female \
    --birth-date "2030-13-01 BS" --country NP
contains "$err" 'birth_date: "2030-13-01" is not a Bikram Sambat date: no month 13' "month 13"
expect 2 "day 32 of a 31-day month" -- "$SPFLOOR" person add --calendar bs --given-name Gita \
    --family-name Rai --sex female --birth-date 2081-12-32 --country NP
contains "$err" "2081-12 BS has 31 days" "names the month's length"
expect 2 "day 0" -- "$SPFLOOR" person add --given-name Gita --family-name Rai --sex female \
    --birth-date "2030-01-00 BS" --country NP
contains "$err" "2030-01 BS has 31 days" "day 0"
expect 2 "before the table" -- "$SPFLOOR" person add --given-name Gita --family-name Rai \
    --sex female --birth-date "1960-01-01 BS" --country NP
contains "$err" "outside the Bikram Sambat calendar spfloor knows" "out of range"
expect 2 "a future year that is a past BS year" -- "$SPFLOOR" person add --given-name Gita \
    --family-name Rai --sex female --birth-date 2045-01-01 --country NP
contains "$err" 'a Bikram Sambat date is written "2045-01-01 BS"' "the hint"
expect 2 "an unknown suffix" -- "$SPFLOOR" person add --given-name Gita --family-name Rai \
    --sex female --birth-date "2030-01-01 NS" --country NP
expect 1 "an unknown calendar" -- "$SPFLOOR" person add --calendar nepali --given-name Gita \
    --family-name Rai --sex female --birth-date 2030-01-01 --country NP
contains "$err" "use ad (Gregorian, the default) or bs" "names the calendars"
expect 2 "--as-of month 13" -- "$SPFLOOR" entitlements "$sita" --as-of "2083-13-01 BS"
contains "$err" "--as-of: " "names the option"
[ "$(count_persons)" -eq "$before" ] || fail "an impossible BS date wrote a person"

# import: BS fields, --calendar bs, and an impossible BS date refusing the whole file
cat >"$work/ward.csv" <<'CSV'
given_name,family_name,sex,birth_date,country,admin2
Maya,Gurung,female,2012-04-10 BS,NP,Kaski
Bir,Gurung,male,2009-02-20,NP,Kaski
CSV
expect 0 "import --calendar bs" -- "$SPFLOOR" --quiet import persons "$work/ward.csv" \
    --calendar bs
contains "$out" "imported 2" "both rows imported"
case "$err" in *warning*) fail "BS import warns: $err" ;; esac
expect 0 "find Bir" -- "$SPFLOOR" find Bir --json
contains "$out" '"birth_date": "1952-06-02"' "2009-02-20 BS is 1952-06-02"
before=$(count_persons)
cat >"$work/bad.csv" <<'CSV'
given_name,family_name,sex,birth_date,country
Dil,Tamang,male,2015-05-05 BS,NP
Kul,Tamang,male,2015-13-05 BS,NP
CSV
expect 2 "import with month 13" -- "$SPFLOOR" --quiet import persons "$work/bad.csv"
contains "$err" 'bad.csv:row 3:column birth_date: "2015-13-05" is not a Bikram Sambat date' \
    "names the row and the column"
[ "$(count_persons)" -eq "$before" ] || fail "a bad BS row let the import write"
cat >"$work/ad.csv" <<'CSV'
given_name,family_name,sex,birth_date,country
Dil,Tamang,male,2015-05-05,NP
Kul,Tamang,male,1980-05-05,NP
CSV
expect 0 "import a BS-looking year as Gregorian" -- "$SPFLOOR" --quiet import persons \
    "$work/ad.csv"
contains "$err" "warning: 1 row (the first: row 2) holds a birth date in Nepal" "import warns"

finish bikram_sambat
