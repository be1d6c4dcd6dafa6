#!/bin/bash
# simulate.sh: `spfloor simulate` on a hand-built population whose every figure is known in
# advance (tests/data/simulate/nepal.yaml says who gets what), and on the registry.
#   - Nepal's senior allowance at 65 (examples/reforms/np-senior-age-65.yaml): cost, caseload,
#     winners and losers, persons not enrolled, broken down by sex, age, area and scheme,
#     with totals that add up; one allowance per person (a widow switches to the larger one).
#   - Weights are applied exactly (a person of weight 2.5), and refused when negative, not a
#     number, or missing for a person.
#   - A reform that changes nothing gives no winners, no losers and the same cost.
#   - The same inputs give byte-identical output, with the digests of what was used.
#   - Bad input exits 2: an overlay with an unknown parameter (file:line:col), a reform dated
#     after --as-of (with a warning), a synthetic country that is not shipped.
#   - --out writes the file whole (HTML with SVG charts), and a failed run leaves it as it was.
#   - The registry gives the same figures as the file.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_TODAY=2026-08-01
source "$(dirname "$0")/../support/cli.bash"

reforms="$SPFLOOR_SRC/examples/reforms"
people="$SPFLOOR_SRC/tests/data/simulate/nepal.yaml"
sim() { "$SPFLOOR" simulate --as-of 2026-08-01 "$@"; }

# ---- the senior allowance at 65, figure by figure ----
expect 0 "senior age 65 as CSV" -- sim --reform "$reforms/np-senior-age-65.yaml" \
    --situations "$people" --format csv
csv=$out
header="breakdown,group,persons,baseline_eligible,baseline_paid,baseline_undetermined,baseline_not_enrolled,baseline_cost,reform_eligible,reform_paid,reform_undetermined,reform_not_enrolled,reform_cost,cost_change,gain,loss,gain_more_5,gain_less_5,no_change,lose_less_5,lose_more_5"
contains "$csv" "$header" "the CSV header"
# today: a2 senior 48,000 a year, a4 single woman 31,920, a6 other senior 31,920; after: a1,
# a2, a4 and a5 seniors (4 x 48,000) and a6: 3 winners (a1 and a5 from nothing, a4 by 50%)
contains "$csv" "total,all,6,3,3,6,3,111840.00,5,5,6,4,223920.00,112080.00,112080.00,0.00,3,0,3,0,0" \
    "the totals: cost, caseload, winners, not enrolled (a5 is enrolled)"
contains "$csv" "sex,female,3,1,1,3,1,31920.00,2,2,3,2,96000.00,64080.00,64080.00,0.00,2,0,1,0,0" \
    "women: a1 gains the allowance, a4 the larger one"
contains "$csv" "sex,male,3,2,2,3,2,79920.00,3,3,3,2,127920.00,48000.00,48000.00,0.00,1,0,2,0,0" \
    "men: a5 gains the allowance"
contains "$csv" "youth,under_35,1,0,0,1,0,0.00,0,0,1,0,0.00,0.00,0.00,0.00,0,0,1,0,0" \
    "the under-35s: a3, nothing changes"
contains "$csv" "age_ilo,65+,4,2,2,4,2,79920.00,4,4,4,3,192000.00,112080.00,112080.00,0.00,3,0,1,0,0" \
    "the ILO band 65+"
contains "$csv" "admin2,Lalitpur,1,0,0,1,0,0.00,1,1,1,0,48000.00,48000.00,48000.00,0.00,1,0,0,0,0" \
    "by district: Lalitpur"
contains "$csv" "admin1,Karnali,1,1,1,1,1,31920.00,1,1,1,1,31920.00,0.00,0.00,0.00,0,0,1,0,0" \
    "by province: Karnali, unchanged"
contains "$csv" "scheme,np.ssa.senior_citizen,6,1,1,0,1,48000.00,4,4,0,3,192000.00,144000.00,144000.00,0.00,3,0,3,0,0" \
    "by scheme: the senior allowance"
contains "$csv" "scheme,np.ssa.single_woman,6,1,1,0,1,31920.00,1,0,0,0,0.00,-31920.00,0.00,31920.00,0,0,5,0,1" \
    "by scheme: a4 leaves the single woman allowance for the senior one"
contains "$csv" "scheme,np.ssa.widow,6,1,0,0,0,0.00,1,0,0,0,0.00,0.00,0.00,0.00,0,0,6,0,0" \
    "the widow allowance: eligible, never paid beside another (one allowance per person)"
# the breakdowns add up to the total
for dim in sex youth age_ilo admin1 admin2 worker_category; do
    sums=$(awk -F, -v d="$dim" '$1 == d { p += $3; c += $13 * 100; g += $17 } END { printf "%d %d %d", p, c, g }' <<<"$csv")
    [ "$sums" = "6 22392000 3" ] || fail "the $dim breakdown adds up to 6 persons, 223920.00 and 3 winners, not $sums"
done

# ---- the other shipped reforms ----
expect 0 "the child grant made universal" -- sim \
    --reform "$reforms/np-child-grant-universal.yaml" \
    --situations "$SPFLOOR_SRC/tests/data/simulate/children.yaml" --format csv
# k1 (Dalit) today and after; k2 undetermined today (the district list is not set), paid after
contains "$out" "scheme,np.ssa.child_grant,3,1,1,1,1,6384.00,2,2,0,2,12768.00,6384.00,6384.00,0.00,1,0,2,0,0" \
    "the child grant everywhere: one more child paid, and no child left undetermined"
expect 0 "SSS maternity at 120 days for informal members" -- "$SPFLOOR" simulate \
    --as-of 2025-08-15 --reform "$reforms/ph-sss-maternity-informal-120.yaml" \
    --situations "$SPFLOOR_SRC/tests/data/simulate/philippines.yaml" --format csv
contains "$out" "scheme,ph.sss.maternity,2,2,2,0,2,140000.00,2,2,0,2,150000.00,10000.00,10000.00,0.00,1,0,1,0,0" \
    "the informal mother gets 80,000 instead of 70,000; the employee keeps 70,000"
contains "$out" "worker_category,informal,1,1,1,1,1,70000.00,1,1,1,1,80000.00,10000.00,10000.00,0.00,1,0,0,0,0" \
    "by worker category"

# ---- weights ----
printf 'id,weight\na1,2.5\na2,1\na3,1\na4,1\na5,1\na6,1\n' >"$work/weights.csv"
expect 0 "weighted" -- sim --reform "$reforms/np-senior-age-65.yaml" --situations "$people" \
    --weights "$work/weights.csv" --format csv
# 7.5 persons round to 8 (halves away from zero), 6.5 paid to 7; a1's 48,000 counts 2.5 times
contains "$out" "total,all,8,3,3,8,3,111840.00,7,7,8,6,295920.00,184080.00,184080.00,0.00,5,0,3,0,0" \
    "weights are applied exactly, and rounded once at the end"
printf 'id,weight\na1,1\na2,-1\n' >"$work/negative.csv"
expect 2 "a negative weight" -- sim --reform "$reforms/np-senior-age-65.yaml" \
    --situations "$people" --weights "$work/negative.csv"
contains "$err" "negative.csv:3:4: weight \"-1\" is negative" "the negative weight's place"
printf 'id,weight\na1,one\n' >"$work/word.csv"
expect 2 "a weight that is not a number" -- sim --reform "$reforms/np-senior-age-65.yaml" \
    --situations "$people" --weights "$work/word.csv"
contains "$err" "word.csv:2:4: weight \"one\" is not a number" "the bad weight's place"
printf 'id,weight\na1,1\n' >"$work/short.csv"
expect 2 "a person without a weight" -- sim --reform "$reforms/np-senior-age-65.yaml" \
    --situations "$people" --weights "$work/short.csv"
contains "$err" "has no weight in" "a person the weights file misses"

# ---- a reform that changes nothing ----
cat >"$work/same.yaml" <<'EOF'
id: np.senior_age_same
title: The senior age as it is
reference: "No change"
parameters:
  np.ssa.senior_age:
    unit: years
    values:
      2026-07-17: {value: 70, reference: "as today"}
EOF
expect 0 "a reform that changes nothing" -- sim --reform "$work/same.yaml" --situations "$people" \
    --format csv
contains "$out" "total,all,6,3,3,6,3,111840.00,3,3,6,3,111840.00,0.00,0.00,0.00,0,0,6,0,0" \
    "no winners, no losers, the same cost"

# ---- reproducible, with digests ----
expect 0 "JSON, once" -- sim --reform "$reforms/np-senior-age-65.yaml" --situations "$people" \
    --format json --out "$work/one.json"
expect 0 "JSON, again" -- sim --reform "$reforms/np-senior-age-65.yaml" --situations "$people" \
    --format json --out "$work/two.json"
cmp -s "$work/one.json" "$work/two.json" || fail "the same inputs give byte-identical output"
json=$(cat "$work/one.json")
contains "$json" '"reform":["np.senior_age_65"]' "the JSON names the reform"
contains "$json" '"digests":{"library":"' "the JSON records the library's digest"
contains "$json" '"reform_cost":"223920.00"' "money is a decimal string"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/one.json" ||
    fail "the JSON output parses"

# ---- bad input ----
cat >"$work/unknown.yaml" <<'EOF'
id: np.senior_age_typo
title: A typo
reference: "A typo"
parameters:
  np.ssa.senior_ages:
    unit: years
    values:
      2026-07-17: {value: 65, reference: "typo"}
EOF
expect 2 "an unknown parameter" -- sim --reform "$work/unknown.yaml" --situations "$people"
contains "$err" "unknown.yaml:5:3:" "the unknown parameter's place"
expect 2 "a reform dated after --as-of" -- "$SPFLOOR" simulate --as-of 2026-07-01 \
    --reform "$reforms/np-senior-age-65.yaml" --situations "$people"
contains "$err" "warning: the reform takes effect on 2026-07-17, after --as-of 2026-07-01" \
    "the warning"
contains "$err" "nothing was simulated" "and nothing is applied"
expect 2 "a synthetic country not shipped" -- sim --reform "$reforms/np-senior-age-65.yaml" \
    --synthetic XX:100
contains "$err" "XX" "the country named"
expect 1 "no reform" -- sim --situations "$people"

# ---- a synthetic population, weighted to the country ----
expect 0 "synthetic" -- sim --reform "$reforms/np-senior-age-65.yaml" --synthetic NP:2000 \
    --format csv
contains "$out" "total,all,30900000," "2,000 synthetic persons stand for Nepal's 30.9 million"
first=$out
expect 0 "synthetic, again" -- sim --reform "$reforms/np-senior-age-65.yaml" --synthetic NP:2000 \
    --format csv
[ "$out" = "$first" ] || fail "the same seed gives the same figures"
gain=$(awk -F, '$1 == "total" { print $17 }' <<<"$first")
[ "${gain:-0}" -gt 0 ] || fail "the reform makes winners among 2,000 synthetic persons"

# ---- --out: whole, or not at all ----
expect 0 "HTML" -- sim --reform "$reforms/np-senior-age-65.yaml" --situations "$people" \
    --out "$work/report.html"
html=$(cat "$work/report.html")
contains "$html" "<svg" "the HTML holds SVG charts"
contains "$html" "Winners and losers" "the winners and losers chart"
contains "$html" "Cost by area" "the cost by area chart"
contains "$html" 'name="viewport"' "the page works on a phone"
expect 2 "a failed run" -- sim --reform "$work/unknown.yaml" --situations "$people" \
    --out "$work/report.html"
[ "$(cat "$work/report.html")" = "$html" ] || fail "a failed run leaves the output file as it was"

# ---- the registry ----
expect 4 "no registry yet" -- sim --reform "$reforms/np-senior-age-65.yaml"
expect 0 "init" -- "$SPFLOOR" init
expect 0 "import" -- "$SPFLOOR" import persons "$SPFLOOR_SRC/tests/data/simulate/nepal.csv"
expect 0 "the registry" -- sim --reform "$reforms/np-senior-age-65.yaml" --format csv
# the same six persons, none enrolled in the registry: a5's 48,000 counts as not enrolled
contains "$out" "total,all,6,3,3,6,3,111840.00,5,5,6,5,223920.00,112080.00,112080.00,0.00,3,0,3,0,0" \
    "the registry gives the file's figures"
# enrolled in the registry, as a5 is in the file (against today's rules: he is 65)
hari=$("$SPFLOOR" --quiet find Hari | awk '{ print $1; exit }')
expect 0 "Hari enrolled" -- "$SPFLOOR" --quiet enroll "$hari" np.ssa.senior_citizen \
    --from 2026-07-20 --override --reason "test: as in the file"
expect 0 "the registry, with an enrolment" -- sim --reform "$reforms/np-senior-age-65.yaml" \
    --format csv
contains "$out" "total,all,6,3,3,6,3,111840.00,5,5,6,4,223920.00,112080.00,112080.00,0.00,3,0,3,0,0" \
    "the registry's enrolments close the coverage gap as the file's do"

finish simulate
