#!/bin/bash
# report_benefits.sh: benefits paid, and enrolment over time (docs/reports.md), on the small
# Nepali registry of report.sh (tests/data/report/people.csv):
#   - Ram (male), Sita and Sunita (women), all over 35, get the senior citizens' allowance
#     from the payroll: 12,000.00 NPR each a quarter. The quarter 2082/83-Q4 is settled; the
#     next, 2083/84-Q1, is made but not settled.
#   - Benefits paid counts settled payments: 3 recipients (66.7% women), 36,000.00 NPR; with
#     --payments created both quarters: 72,000.00 NPR, the recipients still once each.
#   - --by period: the payment's own period for benefits; each month for enrolment, where
#     Gita's ledger entries count in June and July only.
#   - Golden CSV and JSON files (tests/data/report/), the same on PostgreSQL
#     (postgres_report_benefits.sh runs this script there).
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
senior=np.ssa.senior_citizen

expect 0 "init" -- sp init
expect 0 "import" -- sp import persons "$golden/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
n=0
for name in Ram Sita Sunita; do
    n=$((n + 1))
    id=$(id_of $name)
    expect 0 "$name's account" -- sp person update "$id" --account "NP0000000$n" --reason account
    expect 0 "$name enrolled" -- sp enroll "$id" $senior --from 2026-01-01
done
gita=$(id_of Gita)
printf 'person,scheme,month,wage\n%s,np.ssf.contributions,2026-06,30000.00\n%s,np.ssf.contributions,2026-07,30000.00\n' \
    "$gita" "$gita" >"$work/contributions.csv"
expect 0 "Gita's contributions" -- sp import contributions "$work/contributions.csv"

expect 0 "report before any payroll" -- sp report benefits --as-of 2026-08-01 --format csv
contains "$out" $'\n0,,,0,,,,0' "nothing paid yet: 0 recipients, 0, no currency"

expect 0 "the fourth quarter" -- sp payroll run --scheme $senior --period 2082/83-Q4
expect 0 "the next quarter" -- sp payroll run --scheme $senior --period 2083/84-Q1
expect 0 "export" -- sp payroll export PAY-000001 --format csv --out "$work/q4.csv"
{
    echo end_to_end_id,status
    tail -n +2 "$work/q4.csv" | cut -d, -f1 | sed 's/$/,settled/'
} >"$work/settled.csv"
expect 0 "the fourth quarter is settled" -- sp payroll reconcile "$work/settled.csv"

check_golden() { # NAME ARGS...: the report's output is tests/data/report/NAME
    local name=$1
    shift
    expect 0 "report $name" -- sp report "$@"
    if [ "${SPFLOOR_REPORT_BLESS:-}" = 1 ]; then
        printf '%s\n' "$out" >"$golden/$name"
    fi
    diff <(printf '%s\n' "$out") "$golden/$name" >"$work/diff" ||
        fail "$name differs from its golden file: $(head -8 "$work/diff")"
}
check_golden benefits_by_sex.csv benefits --from 2026-07-01 --to 2026-08-01 --by sex --format csv
check_golden benefits_created_by_period.json benefits --from 2026-07-01 --to 2026-08-01 \
    --by scheme,period --payments created --format json
check_golden enrolment_by_period.csv enrolment --from 2026-05-01 --to 2026-08-01 --by period \
    --format csv

# the figures a person can check by hand
expect 0 "settled" -- sp report benefits --from 2026-07-01 --to 2026-08-01 --format csv
contains "$out" $'\n3,66.7,0.0,36000.00,66.7,0.0,NPR,0' "3 paid 36,000.00, two thirds to women"
expect 0 "created" -- sp report benefits --from 2026-07-01 --to 2026-08-01 --payments created \
    --by period --format csv
contains "$out" $'\nall,3,66.7,0.0,72000.00,66.7,0.0,NPR,0' "both quarters: 72,000.00, 3 persons"
contains "$out" $'\n2082/83-Q4,3,66.7,0.0,36000.00,' "the fourth quarter"
contains "$out" $'\n2083/84-Q1,3,66.7,0.0,36000.00,' "the first quarter"
expect 0 "settled before the period" -- sp report benefits --from 2026-08-02 --to 2026-09-01 \
    --format csv
contains "$out" $'\n0,,,0,' "settled on 2026-08-01: not in a period after it"
expect 0 "enrolment by month" -- sp report enrolment --from 2026-05-01 --to 2026-08-01 \
    --by period --format csv
contains "$out" $'\n2026-05,12,58.3,41.7,3,66.7,0.0,0,' "May: 3 enrolled, no contributor"
contains "$out" $'\n2026-06,12,58.3,41.7,3,66.7,0.0,1,100.0,100.0,' "June: Gita contributes"
contains "$out" $'\n2026-08,12,58.3,41.7,3,66.7,0.0,0,' "August: no entry yet"
expect 0 "public" -- sp report benefits --from 2026-07-01 --to 2026-08-01 --by sex --public \
    --format csv
contains "$out" $'\nmale,,,,,,,NPR,1' "one man paid: his amount held back with him"

# ---- to DHIS2: payroll periods through the mapping's periods ----
cat >"$work/benefits.json" <<'JSON'
{"orgUnit": "NPcountry01",
 "dataElements": {"benefits.recipients": "SPrecipnt01", "benefits.amount": "SPamount001"},
 "categoryOptionCombos": {"default": "HllvX50cXC0"},
 "periods": {"2082/83-Q4": "2026Q2"}}
JSON
expect 2 "a payroll period the mapping lacks" -- sp report benefits --from 2026-07-01 \
    --to 2026-08-01 --by period --payments created --format dhis2 --mapping "$work/benefits.json"
contains "$err" 'period "2083/84-Q1": no DHIS2 period' "named"
expect 0 "the settled quarter" -- sp report benefits --from 2026-07-01 --to 2026-08-01 \
    --by period --format dhis2 --mapping "$work/benefits.json"
contains "$out" '{"dataElement":"SPamount001","period":"2026Q2","orgUnit":"NPcountry01","categoryOptionCombo":"HllvX50cXC0","value":"36000.00"}' \
    "the amount, as a string with its decimals, in the mapped period"
contains "$out" '"dataElement":"SPrecipnt01","period":"2026Q2"' "and the recipients"

# ---- bad arguments ----
expect 2 "the gap has no periods" -- sp report gap --by period
contains "$err" "gap has no periods" "said"
expect 1 "--payments of another kind" -- sp report benefits --payments some
expect 0 "after all of it" -- sp audit verify

finish report_benefits
