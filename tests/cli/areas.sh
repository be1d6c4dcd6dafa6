#!/bin/bash
# areas.sh: districts and groups as a registration clerk writes them. "jumla", "JUMLA" and
# "जुम्ला" are the same district, stored as "Jumla", so the Karnali rule of Nepal's other
# senior citizen allowance sees it, in the registry as in `spfloor evaluate`; an unknown
# district or group word is refused with exit 2, the word meant, and nothing written;
# `spfloor vocab` lists the words and the districts.
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

# add GIVEN ADMIN2 [FLAG VALUE ...]: registers a Nepali man born in 1962 (62 on the test's
# today) living in ADMIN2; the worker ID is in $out.
add() {
    local given=$1 district=$2
    shift 2
    expect 0 "add $given in $district" -- "$SPFLOOR" person add --given-name "$given" \
        --family-name Rokaya --sex male --birth-date 1962-05-01 --country NP --admin2 "$district" "$@"
}

expect 0 "init" -- "$SPFLOOR" init

# the same district, however it is written, is stored by its official name
n=0
for district in jumla JUMLA "जुम्ला" " Jumla "; do
    add "Bal$((++n))" "$district"
    id=$out
    expect 0 "show the person added in $district" -- "$SPFLOOR" person show "$id"
    contains "$out" "admin2            Jumla" "\"$district\" is stored as Jumla"
done
add Padam Kabhrepalanchok --admin1 "बागमती"
expect 0 "show Padam" -- "$SPFLOOR" person show "$out"
contains "$out" "admin1            Bagmati" "the province in Devanagari is stored as Bagmati"
contains "$out" "admin2            Kavrepalanchok" "an alternative spelling is stored as the official one"

# the Karnali rule (admin2 in np.ssa.karnali_districts) sees the stored name: a man of 62 of
# "jumla" gets the other senior citizen allowance, which starts at 60 there
add Dil jumla
jumla_man=$out
expect 0 "entitlements of the man of jumla" -- "$SPFLOOR" entitlements "$jumla_man" \
    --as-of 2025-01-15 --json
python3 - "$out" <<'EOF' || fail "the man of \"jumla\" gets the Karnali allowance"
import json, sys
results = {r["scheme"]: r for r in json.loads(sys.argv[1])["results"]}
other = results["np.ssa.other_senior_citizen"]
assert other["eligible"] is True, other
EOF

# evaluate resolves the districts of a situation file the same way
cat >"$work/situation.yaml" <<'EOF2'
persons:
  - {id: p1, sex: male, birth_date: 1962-05-01, country: NP, admin1: karnali, admin2: जुम्ला}
  - {id: p2, sex: male, birth_date: 1962-05-01, country: NP, admin2: JUMLA}
EOF2
expect 0 "evaluate districts in any case or script" -- "$SPFLOOR" evaluate \
    "$work/situation.yaml" --as-of 2025-01-15 --scheme np.ssa.other_senior_citizen --json
python3 - "$out" <<'EOF2' || fail "evaluate gives both men of Jumla the Karnali allowance"
import json, sys
results = json.loads(sys.argv[1])["results"]
assert [r["eligible"] for r in results] == [True, True], results
EOF2
sed -i 's/admin2: JUMLA}/admin2: Jumlaa}/' "$work/situation.yaml"
expect 2 "evaluate an unknown district" -- "$SPFLOOR" evaluate "$work/situation.yaml" \
    --as-of 2025-01-15
contains "$err" 'situation.yaml: persons/1 (p2): admin2: "Jumlaa" is not a district of NP: did you mean "Jumla"?' \
    "evaluate names the file, the person and the district meant"

persons=$(count_persons)

# an unknown district: exit 2, the district meant, and nothing written
expect 2 "an unknown district" -- "$SPFLOOR" person add --given-name Hari --family-name Rokaya \
    --sex male --birth-date 1962-05-01 --country NP --admin2 Jumlaa
contains "$err" 'admin2: "Jumlaa" is not a district of NP: did you mean "Jumla"?' \
    "the unknown district names the one meant"
contains "$err" "spfloor vocab admin2 --country NP" "the message says where the list is"
[ "$(count_persons)" -eq "$persons" ] || fail "a refused district wrote a row"
expect 2 "an unknown district, no database yet" -- "$SPFLOOR" --db "$work/new.db" person add \
    --given-name Hari --family-name Rokaya --sex male --birth-date 1962-05-01 --country NP \
    --admin2 Springfield
contains "$err" '"Springfield" is not a district of NP' "a district far from any is refused too"
[ ! -e "$work/new.db" ] || fail "a refused person created a database"
expect 2 "a district of another province" -- "$SPFLOOR" person add --given-name Hari \
    --family-name Rokaya --sex male --birth-date 1962-05-01 --country NP --admin1 Bagmati \
    --admin2 Jumla
contains "$err" '"Jumla" is a district of Karnali, not of Bagmati' "province and district disagree"
[ "$(count_persons)" -eq "$persons" ] || fail "a refused province wrote a row"

# a country without a district list keeps admin2 as written
expect 0 "a district of India" -- "$SPFLOOR" person add --given-name Asha --family-name Devi \
    --sex female --birth-date 1970-01-01 --country IN --admin1 maharashtra --admin2 "pune city"
expect 0 "show Asha" -- "$SPFLOOR" person show "$out"
contains "$out" "admin1            Maharashtra" "an Indian state is stored by its official name"
contains "$out" "admin2            pune city" "admin2 outside Nepal stays free text"
persons=$((persons + 1))

# groups are a closed vocabulary: a near miss is refused with the word meant
expect 2 "--groups dalits" -- "$SPFLOOR" person add --given-name Hari --family-name Rokaya \
    --sex male --birth-date 1962-05-01 --country NP --admin2 Jumla --groups dalits
contains "$err" 'groups: "dalits" is not allowed: did you mean "dalit"?' "groups suggests dalit"
[ "$(count_persons)" -eq "$persons" ] || fail "a refused group wrote a row"

# an import resolves the same way, and refuses an unknown district naming its row and column
printf '%s\n' "given_name,family_name,sex,birth_date,country,admin2,groups" \
    "Kamala,Budha,female,1950-01-01,NP,HUMLA,dalit" \
    "Goma,Budha,female,1951-01-01,NP,हुम्ला," >"$work/good.csv"
expect 0 "import districts in any case or script" -- "$SPFLOOR" --quiet import persons \
    "$work/good.csv"
expect 0 "find the imported" -- "$SPFLOOR" find Budha --json
[ "$(grep -o '"admin2": "Humla"' <<<"$out" | wc -l)" -eq 2 ] ||
    fail "both imported districts are stored as Humla: $out"
persons=$((persons + 2))
printf '%s\n' "given_name,family_name,sex,birth_date,country,admin2,groups" \
    "Maya,Shahi,female,1950-01-01,NP,Mugu," \
    "Tulasi,Shahi,female,1951-01-01,NP,Mugo," >"$work/bad.csv"
expect 2 "import an unknown district" -- "$SPFLOOR" --quiet import persons "$work/bad.csv"
contains "$err" 'row 3:column admin2: "Mugo" is not a district of NP: did you mean "Mugu"?' \
    "the import names the row, the column and the district meant"
[ "$(count_persons)" -eq "$persons" ] || fail "a refused import wrote a row"

# the valid words and districts are listed
expect 0 "person add --help" -- "$SPFLOOR" person add --help
contains "$out" "dalit, endangered_indigenous" "person add --help lists the groups"
contains "$out" "spfloor vocab admin2 --country CC" "person add --help says where the districts are"
expect 0 "vocab" -- "$SPFLOOR" vocab
contains "$out" "worker_category" "vocab lists the fields"
contains "$out" "formal_employee, informal" "vocab lists an enum's words"
expect 0 "vocab groups" -- "$SPFLOOR" vocab groups
contains "$out" $'\ndalit\n' "vocab groups lists dalit on a line"
expect 0 "vocab admin2 --country NP" -- "$SPFLOOR" vocab admin2 --country NP
contains "$out" $'NP-D63\tJumla\tजुम्ला' "the districts of Nepal with codes and Devanagari"
[ "$(grep -c '^NP-D' <<<"$out")" -eq 77 ] || fail "vocab lists Nepal's 77 districts"
expect 1 "vocab of an unknown field" -- "$SPFLOOR" vocab grups
contains "$err" 'did you mean "groups"?' "vocab suggests the field meant"

finish areas
