# events_scenario.bash: life events in the registry (docs/events.md), as a municipal office
# records them, run on the registry in $db (an SQLite file or a PostgreSQL URL): tests/cli/
# events.sh and tests/cli/postgres_events.sh source it after cli.bash, with $SPFLOOR,
# $SPFLOOR_SCHEMES, SPFLOOR_TODAY=2026-03-01 and $work set.

sp() { "$SPFLOOR" --quiet --db "$db" "$@"; }

expect 0 "init" -- sp init
expect 0 "event --help" -- sp event --help
contains "$out" "Usage:" "event --help has a usage line"
contains "$out" "Example" "event --help has examples"
contains "$out" "widowhood" "event --help lists the event types"

# A married couple in Kaski: Ram, the head, and Gita, his wife, 45.
expect 0 "add Ram" -- sp person add --given-name Ram --family-name Thapa --sex male \
    --birth-date 1950-01-01 --country NP --admin2 Kaski --household h1 --relationship head \
    --marital-status married
ram=$out
expect 0 "add Gita" -- sp person add --given-name Gita --family-name Thapa --sex female \
    --birth-date 1980-05-01 --country NP --admin2 Kaski --household h1 --relationship spouse \
    --marital-status married
gita=$out
widow() { echo "$1" | grep '"scheme":"np.ssa.widow"'; }
expect 0 "Gita's entitlements before" -- sp entitlements "$gita" --json
contains "$(widow "$out")" '"eligible":false,"amount":null' \
    "a married woman is not eligible for the widow allowance"

history_before=$(sp person history "$gita")
# Bad input: exit 2, a clear message, nothing changed.
nothing_changed() {
    local events
    events=$(sp event list "$gita")
    contains "$events" "no events recorded" "$1: no event was recorded"
    [ "$(sp person history "$gita")" = "$history_before" ] || fail "$1: the history changed"
    sp person show "$gita" | grep -q "married" || fail "$1: Gita's facts changed"
}
expect 2 "an unknown type" -- sp event add "$gita" --type wedding --date 2026-01-01
contains "$err" 'type: "wedding" is not an event: use birth, death' "the unknown type is named"
nothing_changed "an unknown type"
expect 2 "an impossible date" -- sp event add "$gita" --type job_loss --date 2026-02-30
contains "$err" "--date" "the impossible date names the option"
nothing_changed "an impossible date"
expect 2 "an impossible BS date" -- sp event add "$gita" --type job_loss --date "2082-13-01 BS"
nothing_changed "an impossible BS date"
expect 2 "a date in the future" -- sp event add "$gita" --type job_loss --date 2026-03-02
contains "$err" "in the future" "a future date is refused, saying why"
expect 2 "an event before the person's birth" -- sp event add "$gita" --type job_loss \
    --date 1975-01-01
contains "$err" "before the birth of $gita (1980-05-01)" "the refusal names the birth date"
nothing_changed "an event before the birth"
expect 2 "a person who does not exist" -- sp event add 000000009999 --type death \
    --date 2026-01-01
contains "$err" "no person with ID 000000009999 is registered" "the unknown person is named"
expect 2 "a spouse who does not exist" -- sp event add "$gita" --type divorce \
    --date 2026-01-01 --spouse 000000009999
contains "$err" "000000009999" "the unknown spouse is named"
nothing_changed "an unknown spouse"
expect 2 "a fact the type does not take" -- sp event add "$gita" --type death \
    --date 2026-01-01 --destination MY
contains "$err" "destination: a death event does not take it (only departure)" \
    "the misplaced fact is named with the type that takes it"
nothing_changed "a misplaced fact"
expect 2 "a move to an unknown district" -- sp event add "$gita" --type move \
    --date 2026-01-01 --admin2 Jumlaa
contains "$err" 'did you mean "Jumla"' "the unknown district gets a suggestion"
nothing_changed "an unknown district"

# Ram dies: his record is marked, Gita is widowed, and her next decision sees it.
expect 0 "Ram's death" -- sp event add "$ram" --type death --date 2026-01-05 \
    --reason "death certificate 4411" --by clerk1
contains "$out" "$ram: death of 2026-01-05 recorded" "the death is recorded"
contains "$out" "$gita: marital_status married -> widowed" "the spouse is widowed"
expect 0 "Gita's entitlements after" -- sp entitlements "$gita" --json
contains "$(widow "$out")" '"eligible":true,"amount":"2660.00"' \
    "the widow's next entitlements call makes her eligible for the widow allowance"
expect 0 "Gita's history" -- sp person history "$gita"
contains "$out" "by clerk1: death of 2026-01-05 (event): death certificate 4411" \
    "the correction says who and why"
contains "$out" "married -> widowed" "the correction keeps the old value"
expect 0 "Gita's events" -- sp event list "$gita" --json
contains "$out" '"type": "widowhood"' "the spouse has a widowhood event"
contains "$out" "\"spouse\": \"$ram\"" "naming the one who died"
expect 2 "Ram's entitlements are refused" -- sp entitlements "$ram"
contains "$err" "the death of $ram is recorded on 2026-01-05" "a dead person is refused"
expect 3 "a second death" -- sp event add "$ram" --type death --date 2026-01-04
contains "$err" "already deceased on 2026-01-05" "a second death is refused"
expect 2 "an event after the death" -- sp event add "$ram" --type job_loss --date 2026-02-01
contains "$err" "died on 2026-01-05" "nothing happens to a person after their death"

# A mother in the Philippines: her maternity decision sees the birth recorded in the registry.
expect 0 "add Maria" -- sp person add --given-name Maria --family-name Santos --sex female \
    --birth-date 1995-02-11 --country PH --worker-category formal_employee --household ph1 \
    --relationship head --living-children 1
maria=$out
expect 0 "Maria's maternity before" -- sp entitlements "$maria" --explain
contains "$out" "✗ Gave birth or had a miscarriage" "no birth recorded yet"
expect 0 "the birth" -- sp event add "$maria" --type birth --date 2026-02-10 \
    --child-given-name Ana --child-sex female
contains "$out" "registered, Ana Santos, born 2026-02-10, child of $maria" \
    "the child is registered"
contains "$out" "$maria: living_children 1 -> 2" "the mother's living children grow"
ana=$(echo "$out" | sed -n 's/^  \([0-9]\{12\}\): registered.*/\1/p')
expect 0 "Maria's maternity after" -- sp entitlements "$maria" --explain
contains "$out" "✓ Gave birth or had a miscarriage" "the maternity decision sees the birth"
expect 0 "Ana" -- sp person show "$ana"
contains "$out" "2026-02-10" "the child is born on the event's day"
contains "$out" "ph1" "in the mother's household"
expect 2 "a birth on a man's record" -- sp event add "$ram" --type birth --date 2025-01-01
contains "$err" "recorded for the mother" "a birth goes on the mother's record"

# Everyone: the dead record is left out and counted; the mother's birth is read there too.
expect 0 "entitlements --all" -- "$SPFLOOR" --db "$db" entitlements --all --format csv \
    --explain
contains "$err" "persons decided" "the summary counts the persons decided"
contains "$err" "1 skipped (marked deceased or merged)" "the summary says who was skipped"
case "$out" in *"$ram,"*) fail "--all decided a dead person" ;; esac
echo "$out" | grep "^$gita,np.ssa.widow," | grep -q ",eligible,true," ||
    fail "--all makes the widow eligible too"
echo "$out" | grep "^$maria,ph.sss.maternity," | grep -q "birth_or_miscarriage: false" &&
    fail "--all reads the mother's birth event"

# A merged duplicate is left out by --all as well. (person add refuses a likely duplicate: the
# clerk says, wrongly here, that it is another person, and the merge puts it right.)
expect 0 "add a duplicate" -- sp person add --given-name Gitaa --family-name Thapa --sex female \
    --birth-date 1980-05-01 --country NP --admin2 Kaski --not-duplicate-of "$gita"
dup=$out
expect 0 "merge it" -- sp person merge "$dup" --into "$gita" --reason "the same woman"
expect 0 "entitlements --all after the merge" -- "$SPFLOOR" --db "$db" entitlements --all \
    --format csv
contains "$err" "2 skipped (marked deceased or merged)" "a merged record is skipped"
expect 2 "an event on a merged record" -- sp event add "$dup" --type job_loss --date 2026-01-01
contains "$err" "merged into $gita" "the event goes to the surviving record"

# A move through the gazetteer, a marriage of two, an assessment, a migrant's departure.
expect 0 "a move" -- sp event add "$gita" --type move --date 2026-02-01 --admin2 JUMLA
contains "$out" "admin2 Kaski -> Jumla" "the district is stored by its official name"
expect 0 "add Hari" -- sp person add --given-name Hari --family-name Rai --sex male \
    --birth-date 1978-01-01 --country NP --admin2 Jumla --marital-status single
hari=$out
expect 0 "a marriage" -- sp event add "$gita" --type marriage --date 2026-02-15 --spouse "$hari"
contains "$out" "$gita: marital_status widowed -> married" "the bride is married"
contains "$out" "$hari: marital_status single -> married" "and so is the groom"
expect 0 "Hari's events" -- sp event list "$hari"
contains "$out" "marriage" "the spouse gets the marriage too"
expect 0 "an assessment" -- sp event add "$hari" --type disability_assessment \
    --date 2026-02-20 --disability-class B
contains "$out" "disability_class (unset) -> B" "the class assessed is set"
expect 2 "an assessment without a class" -- sp event add "$hari" --type disability_assessment \
    --date 2026-02-20
expect 0 "a departure" -- sp event add "$hari" --type departure --date 2026-02-25 \
    --destination MY --contract-months 24
expect 0 "Hari's events" -- sp event list "$hari" --json
contains "$out" '"destination": "MY"' "the departure keeps its destination"
contains "$out" '"contract_months": 24' "and its contract"

# `person deceased` records the same death event: the spouse of the household is widowed too.
expect 0 "add Bir" -- sp person add --given-name Bir --family-name Tamang --sex male \
    --birth-date 1960-01-01 --country NP --admin2 Jumla --household h2 --relationship head \
    --marital-status married
bir=$out
expect 0 "add Laxmi" -- sp person add --given-name Laxmi --family-name Tamang --sex female \
    --birth-date 1962-01-01 --country NP --admin2 Jumla --household h2 --relationship spouse \
    --marital-status married
laxmi=$out
expect 0 "person deceased" -- sp person deceased "$bir" --date 2026-02-01 --reason "certificate"
contains "$out" "$bir: marked deceased" "person deceased marks the record"
contains "$out" "$laxmi: marital_status married -> widowed" "and widows the spouse"
expect 0 "Bir's events" -- sp event list "$bir"
contains "$out" "death" "person deceased keeps the death as an event"
