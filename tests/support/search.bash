# search.bash: the search and duplicate scenario, run on SQLite by tests/cli/search.sh and on
# PostgreSQL by tests/cli/postgres_search.sh. Needs $SPFLOOR, $work, $db (the --db value) and
# run_sql SQL (runs SQL on that registry's engine). Names are registered in Devanagari and
# Latin; the issue's four registrations of one woman are the thread.

sp() { "$SPFLOOR" --db "$db" "$@"; }

# the ID in a find --json answer for the given name, or ""
id_of() { grep -o '"id": "[0-9]*"' <<<"$1" | head -1 | grep -o '[0-9]\{12\}'; }

expect 0 "init" -- sp init
expect 0 "add सीता शर्मा" -- sp person add --given-name सीता --family-name शर्मा --sex female \
    --birth-date 1980-04-12 --country NP --admin2 Kathmandu --phone +977-9841-000001
sita=$out
expect 0 "add Gita Sharma" -- sp person add --given-name Gita --family-name Sharma \
    --sex female --birth-date 1983-09-01 --country NP --admin2 Kathmandu
gita=$out
expect 0 "add Buddha Lama" -- sp person add --given-name Buddha --family-name Lama --sex male \
    --birth-date 1950-02-02 --country NP --admin2 Jumla
buddha=$out

# ---- find ----
expect 0 "find Sita Sharma" -- sp find Sita Sharma
contains "$out" "$sita  सीता शर्मा" "Sita Sharma finds सीता शर्मा"
[[ "$out" != *"$gita"* ]] || fail "Sita Sharma does not find Gita Sharma: $out"
expect 0 "find सीता" -- sp find सीता
contains "$out" "$sita" "the Devanagari name finds itself"
expect 0 "find Seeta" -- sp find Seeta
contains "$out" "$sita" "another spelling (Seeta) finds Sita"
expect 0 "find Budah" -- sp find Budah
contains "$out" "$buddha  Buddha Lama" "Budah finds Buddha"
expect 0 "find the phone as written elsewhere" -- sp find 9841 000001
contains "$out" "$sita" "the phone's digits, grouped otherwise, find her"
printed="${sita:0:4} ${sita:4:4} ${sita:8:4}"
expect 0 "find the printed ID" -- sp find "$printed"
[ "$(head -1 <<<"$out" | cut -d' ' -f1)" = "$sita" ] || fail "the printed ID comes first: $out"
dashed="${sita:0:4}-${sita:4:4}-${sita:8:4}"
expect 0 "person show with the ID in dashes" -- sp person show "$dashed"
contains "$out" "सीता" "person show reads the dashed ID"
expect 0 "find nobody" -- sp find Zzyzx
[ -z "$out" ] || fail "an unknown name finds nobody: $out"
contains "$err" 'no one registered matches "Zzyzx"' "and says so"

# ranked and paged: the whole name first, then pages that do not overlap
for given in Anita Sunita Kamala Laxmi; do
    expect 0 "add $given Sharma" -- sp person add --given-name $given --family-name Sharma \
        --sex female --birth-date 1990-01-0${#given} --country NP --admin2 Jumla
done
expect 0 "find Sharma, all" -- sp find Sharma --limit 4
all=$(cut -d' ' -f1 <<<"$out")
[ "$(wc -l <<<"$all")" -eq 4 ] || fail "--limit 4 gives 4 persons: $out"
expect 0 "find Sharma, page 1" -- sp find Sharma --limit 2
page1=$(cut -d' ' -f1 <<<"$out")
expect 0 "find Sharma, page 2" -- sp find Sharma --limit 2 --offset 2
page2=$(cut -d' ' -f1 <<<"$out")
[ "$page1"$'\n'"$page2" = "$all" ] || fail "two pages of 2 are the first 4: [$page1] [$page2] [$all]"
expect 0 "find past the end" -- sp find Sharma --offset 100
contains "$err" "no more persons match" "a page past the end says so"
expect 1 "a bad offset" -- sp find Sharma --offset -1
contains "$err" "--offset takes a number" "the offset is checked"

# the index follows corrections
expect 0 "correct Gita's name" -- sp person update "$gita" --given-name Rekha --reason "the name she uses"
expect 0 "find the new name" -- sp find Rekha Sharma
contains "$out" "$gita" "the corrected name is found"
expect 0 "find the old name" -- sp find Gita Sharma
[[ "$out" != *"$gita"* ]] || fail "the old spelling no longer finds her: $out"

# ---- duplicates ----
expect 3 "add Sita Sharma again, in Latin, in Lalitpur" -- sp person add --given-name Sita \
    --family-name Sharma --sex female --birth-date 1980-04-12 --country NP --admin2 Lalitpur
contains "$err" "likely already registered as $sita" "the refusal names the record"
contains "$err" "different: admin2" "and says the district differs"
expect 0 "nothing was added" -- sp find Sita Sharma --json
[ "$(grep -c '"id":' <<<"$out")" -eq 1 ] || fail "a refused duplicate wrote nothing: $out"
expect 2 "a reviewed ID that does not exist" -- sp person add --given-name Sita \
    --family-name Sharma --sex female --birth-date 1980-04-12 --country NP --admin2 Lalitpur \
    --not-duplicate-of 000000000995
contains "$err" "--not-duplicate-of 000000000995: no person with this ID is registered" \
    "a review must name a registered person"
expect 0 "another Sita Sharma, reviewed" -- sp person add --given-name Sita \
    --family-name Sharma --sex female --birth-date 1980-04-12 --country NP --admin2 Lalitpur \
    --not-duplicate-of "$printed"
other=$out
expect 0 "history keeps the review" -- sp person history "$other"
contains "$out" "not_duplicate_of" "the review is a correction of the new record"
contains "$out" "$sita" "naming the record reviewed"

# an import is not refused; the scan finds what it brought (names swapped, another spelling)
printf '%s\n' "given_name,family_name,sex,birth_date,country,admin2,phone" \
    "Sarma,Seeta,female,1980-04-12,NP,Kathmandu," \
    "Hari,Bahadur,male,1971-06-06,NP,Humla,9812345678" >"$work/more.csv"
expect 0 "import" -- sp --quiet import persons "$work/more.csv"
expect 0 "find the imported" -- sp find Hari Bahadur --json
hari=$(id_of "$out")
[ -n "$hari" ] || fail "an import is searchable at once: $out"
expect 0 "find by the imported phone" -- sp find 9812345678
contains "$out" "$hari" "the imported phone is searchable"
expect 0 "dedup scan" -- sp dedup scan
contains "$out" "$sita" "the scan lists Sita"
contains "$out" "names swapped" "and says the names are swapped"
[[ "$out" != *"$sita  $other"* ]] || fail "a reviewed pair is not listed: $out"
contains "$err" "pairs compared" "the scan says how much it compared"
expect 0 "dedup scan --json" -- sp --quiet dedup scan --json
contains "$out" '"same": [' "the JSON lists the fields that agree"
swapped=$(grep -o '"b": "[0-9]*"' <<<"$out" | head -1 | grep -o '[0-9]\{12\}')
expect 1 "dedup scan --threshold 2" -- sp dedup scan --threshold 2
expect 0 "merge the duplicate" -- sp person merge "$swapped" --into "$sita" --reason "the same"
expect 0 "dedup scan after the merge" -- sp --quiet dedup scan
[ -z "$out" ] || fail "a merged pair is not listed again: $out"

# ---- a registry from before the index: indexed at the next write ----
run_sql "DELETE FROM person_search; UPDATE counters SET value = 1 WHERE name = 'search_stale';"
expect 0 "the emptied index finds nobody" -- sp find Buddha
[ -z "$out" ] || fail "the index was emptied: $out"
expect 0 "a write rebuilds it" -- sp person add --given-name Tara --family-name Gurung \
    --sex female --birth-date 1999-09-09 --country NP --admin2 Humla
expect 0 "find after the rebuild" -- sp find Budah
contains "$out" "$buddha" "the rebuilt index finds Buddha"
