#!/usr/bin/env bash
# Reasons a clerk and a worker can read (docs/schemes.md "Texts for people"): every condition
# of the shipped library has a text, and `schemes check` names one that lacks it; --explain
# prints each condition passed (✓), failed (✗) or to ask (?) with the person's figures and
# the rule in force; --explain=trace keeps the technical trace; JSON gains `reasons`; a
# translation catalogue is used when its language is chosen; a person's text view shows
# benefits first and contributions in a section of their own.
set -uo pipefail
: "${SPFLOOR:?}" "${SPFLOOR_SRC:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$SPFLOOR_SRC/tests/support/cli.bash"
shipped=$SPFLOOR_SRC/schemes
fixture=$SPFLOOR_SRC/tests/data/rules/schemes
unset LC_ALL LC_MESSAGES LANG

# ---- every condition of the shipped library has a text; a missing one is an error
expect 0 "the shipped library checks" -- "$SPFLOOR" schemes check "$shipped"
[[ "$out" != *"without a text"* ]] || fail "shipped conditions without a text: $out"

cp -r "$fixture" "$work/lib"
sed -i '/^    text: "A woman"/,+1d' "$work/lib/np/ssa_single_woman.yaml"
expect 2 "a condition without a text fails the check" -- "$SPFLOOR" schemes check "$work/lib"
contains "$out" "ssa_single_woman.yaml:11:11: np.ssa.single_woman: condition woman has no text" \
    "the check names the condition at file:line:col"
contains "$out" "1 condition without a text" "the check counts them"
# the library still loads for evaluation: the line falls back to the condition's name
printf 'persons:\n  - {id: w1, sex: male, birth_date: 1950-01-01, country: NP}\n' >"$work/w1.yaml"
expect 0 "evaluate with an untexted condition" -- "$SPFLOOR" --schemes "$work/lib" \
    evaluate "$work/w1.yaml" --as-of 2025-01-15 --scheme np.ssa.single_woman --explain
contains "$out" "✗ woman" "an untexted condition is named"

# ---- a template is checked when it loads: an unknown placeholder names file:line:col
cp -r "$fixture" "$work/bad"
sed -i 's/figure: "{she} is {age}"/figure: "{she} is {agee}"/' \
    "$work/bad/np/ssa_senior_citizen.yaml"
expect 2 "an unknown placeholder" -- "$SPFLOOR" schemes check "$work/bad"
contains "$err" "ssa_senior_citizen.yaml:15:23: unknown placeholder" "the placeholder's place"
contains "$err" "not {agee}" "the placeholder's name"

# ---- a Nepali woman of 66 and the senior citizen allowance (the shipped library)
cat >"$work/np.yaml" <<'EOF'
persons:
  - {id: sita, sex: female, birth_date: 1958-06-01, country: NP, admin2: Kathmandu, marital_status: married}
  - {id: ram, sex: male, birth_date: 1954-06-01, country: NP, admin2: Kathmandu}
EOF
expect 0 "evaluate --explain" -- "$SPFLOOR" --schemes "$shipped" evaluate "$work/np.yaml" \
    --as-of 2025-01-15 --scheme np.ssa.senior_citizen --explain
contains "$out" "    ✗ Aged 68 or more — she is 66 (rule since 2022-07-17: FY 2079/80 budget speech" \
    "a failed condition with her age and the rule in force"
contains "$out" "    ✓ Aged 68 or more — he is 70 (rule since 2022-07-17: FY 2079/80 budget speech" \
    "a passed condition"
[[ "$out" != *"senior_age: age"* ]] || fail "--explain prints the trace: $out"

expect 0 "evaluate --explain=trace" -- "$SPFLOOR" --schemes "$shipped" evaluate \
    "$work/np.yaml" --as-of 2025-01-15 --scheme np.ssa.senior_citizen --explain=trace
contains "$out" "    senior_age: age 66 < np.ssa.senior_age 68 (since 2022-07-17: FY 2079/80 budget" \
    "the technical trace"
contains "$out" "    age = 66" "the trace's named values"
[[ "$out" != *"✗"* ]] || fail "--explain=trace prints the reasons for people: $out"
expect 1 "--explain=other" -- "$SPFLOOR" --schemes "$shipped" evaluate "$work/np.yaml" \
    --explain=other

# ---- JSON: `reasons` beside the unchanged `explanation`
expect 0 "evaluate --json" -- "$SPFLOOR" --schemes "$shipped" evaluate "$work/np.yaml" \
    --as-of 2025-01-15 --scheme np.ssa.senior_citizen --json
printf '%s' "$out" >"$work/np.json"
python3 - "$work/np.json" <<'EOF' || fail "JSON reasons: $out"
import json, sys
sita, ram = json.load(open(sys.argv[1]))["results"]
assert sita["explanation"][0] == ("senior_age: age 66 < np.ssa.senior_age 68 (since 2022-07-17: "
                                  "FY 2079/80 budget speech (from 1 Shrawan 2079): senior "
                                  "citizen age lowered from 70 to 68)"), sita
assert sita["reasons"] == [{"text": "Aged 68 or more — she is 66 (rule since 2022-07-17: FY "
                                    "2079/80 budget speech (from 1 Shrawan 2079): senior citizen "
                                    "age lowered from 70 to 68)", "passed": False}], sita
assert ram["reasons"][0]["passed"] is True and ram["reasons"][0]["text"].startswith(
    "Aged 68 or more — he is 70"), ram
assert list(sita)[-2:] == ["explanation", "reasons"], list(sita)
EOF

# ---- a grandfathered person keeps the old age, and the reason says so
cat >"$work/gf.yaml" <<'EOF'
persons:
  - {id: enrolled, sex: female, birth_date: 1956-06-01, country: NP}
  - {id: new, sex: female, birth_date: 1956-06-01, country: NP}
enrolments:
  - {person: enrolled, scheme: np.ssa.senior_citizen, from: 2024-01-01}
EOF
expect 0 "evaluate grandfathering" -- "$SPFLOOR" --schemes "$fixture" evaluate "$work/gf.yaml" \
    --as-of 2025-08-01 --scheme np.ssa.senior_citizen --explain
contains "$out" "    ✓ Aged 68 or more — she is 69 (rule since 2022-07-17: FY 2079/80 budget speech, kept for those enrolled before 2025-07-17)" \
    "the kept value for a person enrolled before"
contains "$out" "    ✗ Aged 70 or more — she is 69 (rule since 2025-07-17: FY 2082/83 budget" \
    "the new value for a new entrant"

# ---- undetermined: what to ask
printf 'persons:\n  - {id: i1, sex: male, birth_date: 1990-01-01, country: IN, worker_category: informal}\n' \
    >"$work/in.yaml"
expect 0 "evaluate an undetermined decision" -- "$SPFLOOR" --schemes "$shipped" evaluate \
    "$work/in.yaml" --as-of 2025-01-15 --scheme in.eshram.registration --explain
contains "$out" "    ? Not an income tax payer — income tax payer not given: ask" "what to ask"
contains "$out" "    ✓ Not a government employee — government employee: no (assumed)" \
    "a default the rule presumes"
expect 0 "evaluate --json, undetermined" -- "$SPFLOOR" --schemes "$shipped" evaluate \
    "$work/in.yaml" --as-of 2025-01-15 --scheme in.eshram.registration --json
contains "$out" '{"text":"Not an income tax payer — income tax payer not given: ask","passed":null}' \
    "an undetermined reason is neither passed nor failed"

# ---- a condition that cannot be computed says why
mkdir -p "$work/ov/np"
cat >"$work/ov/np/params.yaml" <<'EOF'
namespace: np.ov
parameters:
  big:
    unit: count
    values:
      2016-07-16: {value: 9223372036854775807, reference: "test"}
EOF
cat >"$work/ov/np/ov.yaml" <<'EOF'
id: np.ov.overflow
name: Overflow test
country: NP
branch: old_age
kind: non_contributory
currency: NPR
params: np.ov
values:
  total: params.big + living_children
eligibility:
  - name: big_enough
    text: "More than 5 in all"
    when: total > 5
amount: money("100.00")
per: month
EOF
printf 'persons:\n  - {id: p1, country: NP, living_children: 1}\n' >"$work/ov.yaml"
expect 2 "a failed decision" -- "$SPFLOOR" --schemes "$work/ov" evaluate "$work/ov.yaml" \
    --as-of 2025-01-15 --explain
contains "$out" "    ! More than 5 in all — could not be computed: overflow in params.big + living_children" \
    "a failure says why"

# ---- a translation catalogue, chosen with --lang or the locale; English where it has none
printf 'persons:\n  - {id: w66, sex: female, birth_date: 1958-06-01, country: NP, marital_status: widowed}\n' \
    >"$work/w66.yaml"
expect 0 "evaluate --lang ne" -- "$SPFLOOR" --schemes "$fixture" evaluate "$work/w66.yaml" \
    --as-of 2025-01-15 --explain --lang ne
contains "$out" "    ✗ उमेर 68 वा सोभन्दा बढी — उमेर 66 (rule since 2022-07-17: FY 2079/80 budget speech)" \
    "the Nepali text and figure"
contains "$out" "    ✓ महिला" "a Nepali text without a figure"
contains "$out" "    ✓ Single: unmarried, divorced, separated or widowed — she is widowed" \
    "English where the catalogue has no entry"
expect 0 "evaluate with LANG=ne_NP.UTF-8" -- env LANG=ne_NP.UTF-8 "$SPFLOOR" --schemes "$fixture" \
    evaluate "$work/w66.yaml" --as-of 2025-01-15 --explain
contains "$out" "    ✗ उमेर 68 वा सोभन्दा बढी" "the locale's language"
expect 0 "evaluate --lang en with a Nepali locale" -- env LANG=ne_NP.UTF-8 "$SPFLOOR" \
    --schemes "$fixture" evaluate "$work/w66.yaml" --as-of 2025-01-15 --explain --lang en
contains "$out" "    ✗ Aged 68 or more — she is 66" "--lang comes before the locale"
expect 0 "evaluate --lang fr" -- "$SPFLOOR" --schemes "$fixture" evaluate "$work/w66.yaml" \
    --as-of 2025-01-15 --explain --lang fr
contains "$out" "    ✗ Aged 68 or more — she is 66" "English for a language without a catalogue"
expect 1 "a --lang that is no language" -- "$SPFLOOR" --schemes "$fixture" evaluate \
    "$work/w66.yaml" --lang "n3/"

cp -r "$fixture" "$work/cat"
printf 'np.ssa.senior_citizen:\n  senior_agee: {text: "x"}\n' >"$work/cat/np/messages/ne.yaml"
expect 2 "a catalogue entry for no condition" -- "$SPFLOOR" schemes check "$work/cat"
contains "$err" "messages/ne.yaml:2:3: scheme np.ssa.senior_citizen has no condition named" \
    "the catalogue's error names file:line:col"

# ---- a registered person: benefits first, contributions in their own section
sp() { "$SPFLOOR" --db "$work/registry.db" --schemes "$shipped" "$@"; }
sp init >/dev/null || fail "init"
id=$(sp person add --given-name Hari --family-name Karki --sex male --birth-date 1954-06-01 \
    --country NP --admin2 Kathmandu --worker-category formal_employee --monthly-wage 30000.00)
expect 0 "entitlements --explain" -- sp entitlements "$id" --as-of 2025-01-15 --explain
contains "$out" "    ✓ Aged 68 or more — he is 70" "a registered person's reasons"
contains "$out" "    ✓ An employee — his work: formal employee" "a contribution's reasons"
python3 - "$id" <<EOF || fail "sections: $out"
lines = """$out""".splitlines()
rows = [l.split()[1] for l in lines if l.startswith("$id ")]
heading = rows.index("contributions:")
before, after = rows[:heading], rows[heading + 1:]
assert "np.ssa.senior_citizen" in before and "np.ssf.old_age_pension" in before, rows
assert [s for s in after if s != "contributions"] == ["np.ssf.contributions",
    "np.ssf.migrant_contributions", "np.ssf.voluntary_contributions"], rows
assert lines[-1].startswith("$id") and "contributions owed: 9300.00 NPR per month" in lines[-1]
EOF
expect 0 "entitlements --json" -- sp entitlements "$id" --as-of 2025-01-15 --json
printf '%s' "$out" >"$work/hari.json"
python3 - "$work/hari.json" <<'EOF' || fail "entitlements JSON reasons: $out"
import json, sys
results = json.load(open(sys.argv[1]))["results"]
schemes = [r["scheme"] for r in results]
assert schemes == sorted(schemes), schemes  # JSON keeps the library's order
senior = [r for r in results if r["scheme"] == "np.ssa.senior_citizen"][0]
assert senior["reasons"][0]["passed"] is True, senior
EOF
expect 0 "entitlements --all --explain --format json" -- sp entitlements --all \
    --as-of 2025-01-15 --explain --format json --scheme np.ssa.senior_citizen
contains "$out" '"reasons":[{"text":"Aged 68 or more — he is 70' "--all JSON has the reasons"
expect 0 "entitlements --all --explain" -- sp entitlements --all --as-of 2025-01-15 \
    --explain --scheme np.ssa.senior_citizen
contains "$out" "    ✓ Aged 68 or more — he is 70" "--all's table has the reasons"

finish reasons
