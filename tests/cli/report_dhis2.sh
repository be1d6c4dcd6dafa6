#!/bin/bash
# report_dhis2.sh: `spfloor report ... --format dhis2 --mapping FILE` (docs/reports.md "DHIS2")
# on the small Nepali registry of report.sh (tests/data/report/people.csv), with the example
# mapping examples/dhis2/coverage-np.yaml:
#   - the output is a DHIS2 dataValueSets document: dataSet and period at the top, and
#     dataValues each with dataElement, period, orgUnit, categoryOptionCombo and value, the
#     value a string; one data value per cell and mapped measure, the total not repeated;
#   - the DHIS2 period follows the report's (202608, 2026Q2, 2026, months of --by period);
#   - a cell the mapping lacks (a district, a combination) exits 2 naming it, writing nothing;
#   - a mapping with a bad identifier or key exits 2 naming its line;
#   - a golden file (tests/data/report/), the same on PostgreSQL (postgres_report_dhis2.sh).
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_REPORT_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }
golden="$SPFLOOR_SRC/tests/data/report"
mapping="$SPFLOOR_SRC/examples/dhis2/coverage-np.yaml"

expect 0 "init" -- sp init
expect 0 "import" -- sp import persons "$golden/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
expect 0 "Ram enrolled" -- sp enroll "$(id_of Ram)" np.ssa.senior_citizen --from 2026-01-01
expect 0 "Sunita enrolled" -- sp enroll "$(id_of Sunita)" np.ssa.senior_citizen --from 2025-06-01

# check_set FILE CELLS MEASURES PERIOD: a dataValueSets document with CELLS x MEASURES values
check_set() {
    python3 - "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
cells, measures, period = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
assert set(doc) <= {"dataSet", "period", "orgUnit", "completeDate", "attributeOptionCombo",
                    "dataValues"}, sorted(doc)
assert doc["dataSet"] == "SPcovNP0001", doc.get("dataSet")
values = doc["dataValues"]
assert len(values) == cells * measures, (len(values), cells, measures)
seen = set()
for v in values:
    for key in ("dataElement", "period", "orgUnit", "categoryOptionCombo", "value"):
        assert key in v and isinstance(v[key], str) and v[key], (key, v)
    assert set(v) == {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}, v
    assert v["period"] == period or period == "*", v
    key = (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"])
    assert key not in seen, ("one value per cell and measure", key)
    seen.add(key)
    float(v["value"])
PY
}

expect 0 "the total" -- sp report coverage --as-of 2026-08-01 --format dhis2 --mapping "$mapping" \
    --out "$work/total.json"
check_set "$work/total.json" 1 3 202608 || fail "the total as a data value set"
contains "$(cat "$work/total.json")" \
    '{"dataElement":"SPcovered01","period":"202608","orgUnit":"NPcountry01","categoryOptionCombo":"HllvX50cXC0","value":"2"}' \
    "2 covered in the country, in the default combination, as a string"

expect 0 "by district, sex and age" -- sp report coverage --as-of 2026-08-01 \
    --by admin2,sex,age_group --format dhis2 --mapping "$mapping"
printf '%s\n' "$out" >"$work/cells.json"
cells=$(sp report coverage --as-of 2026-08-01 --by admin2,sex,age_group --format csv | tail -n +3 | wc -l)
check_set "$work/cells.json" "$cells" 3 202608 || fail "one value per cell and measure"
if [ "${SPFLOOR_REPORT_BLESS:-}" = 1 ]; then
    printf '%s\n' "$out" >"$golden/coverage_dhis2.json"
fi
diff "$work/cells.json" "$golden/coverage_dhis2.json" >"$work/diff" ||
    fail "coverage_dhis2.json differs from its golden file: $(head -8 "$work/diff")"
contains "$out" '"orgUnit":"NPmrg000001","categoryOptionCombo":"SPfem35p001","value":"1"}' \
    "Sunita: one woman over 35 in Morang covered"

expect 0 "a quarter" -- sp report coverage --from 2026-04-01 --to 2026-06-30 --format dhis2 \
    --mapping "$mapping" --out "$work/q.json"
check_set "$work/q.json" 1 3 2026Q2 || fail "a quarter is 2026Q2"
expect 0 "months" -- sp report coverage --from 2026-06-01 --to 2026-08-01 --by period \
    --format dhis2 --mapping "$mapping" --out "$work/months.json"
check_set "$work/months.json" 3 3 "*" || fail "three months"
contains "$(cat "$work/months.json")" '"period":"202607"' "July is 202607"
expect 2 "a period DHIS2 has no name for" -- sp report coverage --from 2026-06-03 \
    --to 2026-08-01 --format dhis2 --mapping "$mapping"
contains "$err" "2026-06-03 to 2026-08-01 is not a DHIS2 period" "said"

# ---- what the mapping lacks is named, not dropped ----
grep -v Morang "$mapping" | grep -v 'female,under_35' >"$work/partial.yaml"
expect 2 "a district and a combination not mapped" -- sp report coverage --as-of 2026-08-01 \
    --by admin2,sex,age_group --format dhis2 --mapping "$work/partial.yaml" --out "$work/p.json"
contains "$err" 'admin2 "Morang": no orgUnit' "the district named"
contains "$err" 'combination "female,under_35": no categoryOptionCombo' "the combination named"
[ -e "$work/p.json" ] && fail "nothing is written"
expect 2 "a breakdown the mapping has no combinations for" -- sp report coverage \
    --as-of 2026-08-01 --by worker_category --format dhis2 --mapping "$mapping"
contains "$err" 'combination "informal": no categoryOptionCombo' "named"
expect 2 "an indicator the mapping does not name" -- sp report enrolment --as-of 2026-08-01 \
    --format dhis2 --mapping "$mapping"
contains "$err" "names no dataElement for enrolment" "said"
sed 's/SPcovered01/covered/' "$mapping" >"$work/bad.yaml"
expect 2 "an identifier that is not one" -- sp report coverage --format dhis2 \
    --mapping "$work/bad.yaml"
contains "$err" 'bad.yaml:17:21: dataElements' "the line named"
contains "$err" '"covered" is not a DHIS2 identifier' "and why"
printf '{"dataSet": "SPcovNP0001", "orgUnits": {}, "colour": "red"}\n' >"$work/bad.json"
expect 2 "an unknown key, in JSON" -- sp report coverage --format dhis2 --mapping "$work/bad.json"
contains "$err" 'unknown key "colour"' "named"
expect 1 "--format dhis2 without a mapping" -- sp report coverage --format dhis2
expect 2 "a mapping that is not there" -- sp report coverage --format dhis2 \
    --mapping "$work/none.yaml"
contains "$err" "none.yaml: cannot open" "said"

finish report_dhis2
