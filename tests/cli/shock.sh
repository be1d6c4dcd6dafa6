#!/bin/bash
# shock.sh: shock response (docs/payroll.md "Shock response").
#   - Bad input exits 2 and writes nothing: an unknown district (with a hint), --from after
#     --to, an unknown scheme, a name that is no short code.
#   - A top-up limited to its area and its days: Nepali senior citizens in Kathmandu get
#     2,000.00 NPR extra in the quarter the flood overlaps, through the same payroll, under
#     the period "2078/79-Q1+flood-2021"; those in Ilam get nothing, and nor does the next
#     quarter. A rate (25%) for an earthquake in Ilam tops up the second quarter only.
#     Running the payroll again makes nothing; the pain.001 is valid and names the shock.
#   - A horizontal expansion enrols everyone of the households in the district in a
#     temporary scheme from the shock's first day, ending on its last.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_SHOCK_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2021-07-20
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }
senior=np.ssa.senior_citizen
xsd="$SPFLOOR_SRC/tests/data/iso20022"

expect 0 "init" -- sp init
{
    echo "given_name,family_name,sex,birth_date,country,admin1,admin2,marital_status,account,household"
    echo "Ram,Thapa,male,1940-03-01,NP,Bagmati,Kathmandu,married,01002003000,H1"
    echo "Sita,Thapa,female,1975-03-02,NP,Bagmati,Kathmandu,married,01002003001,H1"
    echo "Hari,Shrestha,male,1941-04-01,NP,Bagmati,Kathmandu,married,01002003002,H2"
    echo "Bhim,Rai,male,1942-05-05,NP,Koshi,Ilam,married,01002003003,H3"
    echo "Gopal,Lama,male,1943-06-06,NP,Koshi,Ilam,married,01002003004,H4"
} >"$work/people.csv"
expect 0 "import" -- sp import persons "$work/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
ram=$(id_of Ram)
sita=$(id_of Sita)
hari=$(id_of Hari)
bhim=$(id_of Bhim)
expect 0 "the seniors enrolled" -- sp enroll --all --scheme $senior --as-of 2021-07-16
audit_entries() { sp audit show | wc -l; }
before=$(audit_entries)

# ---- bad input: exit 2, nothing written ----
expect 2 "an unknown district" -- sp shock declare --name flood-2021 --area Kathmanduu \
    --from 2021-08-01 --to 2021-09-30 --top-up 2000.00 --scheme $senior
contains "$err" "\"Kathmanduu\" is not a district of NP: did you mean \"Kathmandu\"?" "the hint"
expect 2 "--from after --to" -- sp shock declare --name flood-2021 --area Kathmandu \
    --from 2021-09-30 --to 2021-08-01 --top-up 2000.00 --scheme $senior
contains "$err" "--from 2021-09-30 is after --to 2021-08-01" "the days named"
expect 2 "an unknown scheme" -- sp shock declare --name flood-2021 --area Kathmandu \
    --from 2021-08-01 --to 2021-09-30 --top-up 2000.00 --scheme np.ssa.no_such
contains "$err" "no scheme has the id \"np.ssa.no_such\"" "the scheme named"
expect 2 "a name that is no short code" -- sp shock declare --name "Koshi floods of 2021" \
    --area Kathmandu --from 2021-08-01 --to 2021-09-30 --top-up 2000.00 --scheme $senior
expect 2 "a top-up that is no amount" -- sp shock declare --name flood-2021 --area Kathmandu \
    --from 2021-08-01 --to 2021-09-30 --top-up lots --scheme $senior
expect 1 "neither mode" -- sp shock declare --name flood-2021 --area Kathmandu \
    --from 2021-08-01 --to 2021-09-30 --scheme $senior
expect 0 "no shock declared" -- sp shock list
[ -z "$out" ] || fail "bad input declared a shock: $out"
[ "$(audit_entries)" = "$before" ] || fail "bad input wrote to the audit log"

# ---- a top-up in Kathmandu, August and September 2021 ----
expect 0 "the flood" -- sp shock declare --name flood-2021 --area "kathmandu" \
    --from 2021-08-01 --to 2021-09-30 --top-up 2000.00 --scheme $senior
contains "$out" "shock 1 declared: 1    flood-2021   2021-08-01 to 2021-09-30  NP: Kathmandu  $senior  [top-up 2000.00 NPR a period]" \
    "declared, the district's official name"
expect 3 "the same name again" -- sp shock declare --name flood-2021 --area Ilam \
    --from 2021-08-01 --to 2021-09-30 --top-up 1.00 --scheme $senior
expect 0 "the earthquake, a rate, in Ilam in November" -- sp shock declare --name quake-2021 \
    --area Ilam --from 2021-11-01 --to 2021-11-30 --top-up 25% --scheme $senior
contains "$out" "top-up 25.00% of each period's amount" "the rate"
expect 0 "audit" -- sp audit show
contains "$out" "shock.declare" "each declaration audited"

expect 0 "the first quarter" -- sp payroll run --scheme $senior --period 2078/79-Q1
contains "$out" "6 payments made (0 re-issued), 52000.00 NPR" \
    "4 seniors x 12,000.00 and 2 Kathmandu top-ups of 2,000.00"
contains "$out" "of them 2 shock top-up(s)" "the top-ups counted"
expect 0 "the first quarter again" -- sp payroll run --scheme $senior --period 2078/79-Q1
contains "$out" "nothing new: 4 enrolled, 4 payable, 4 paid before" "no top-up twice"
expect 0 "export" -- sp payroll export PAY-000001 --format csv --out "$work/q1.csv"
top_ups=$(awk -F, '$8 == "2078/79-Q1+flood-2021" { print $2 " " $5 }' "$work/q1.csv" | sort)
expected=$(printf '%s 2000.00\n%s 2000.00\n' "$ram" "$hari" | sort)
[ "$top_ups" = "$expected" ] || fail "top-ups to Kathmandu's seniors only: $top_ups"
grep -q "^[^,]*,$bhim,.*2078/79-Q1+" "$work/q1.csv" && fail "Ilam is outside the flood's area"
grep -q ",$sita," "$work/q1.csv" && fail "Sita is no beneficiary"
expect 0 "export pain.001" -- sp payroll export PAY-000001 --format pain.001 --out "$work/q1.xml"
if command -v xmllint >/dev/null; then
    expect 0 "the pain.001 is valid against pain.001.001.09.xsd" -- \
        xmllint --noout --schema "$xsd/pain.001.001.09.xsd" "$work/q1.xml"
fi
grep -q "2078/79-Q1+flood-2021 $ram" "$work/q1.xml" || fail "the remittance names the shock"

expect 0 "the second quarter" -- sp payroll run --scheme $senior --period 2078/79-Q2
contains "$out" "6 payments made (0 re-issued), 54000.00 NPR" \
    "4 x 12,000.00, no flood top-up (its days are over), Ilam's 2 seniors 25% of 12,000.00"
expect 0 "export the second quarter" -- sp payroll export PAY-000002 --format csv --out "$work/q2.csv"
grep -q "+flood-2021" "$work/q2.csv" && fail "no flood top-up outside its days"
gopal=$(id_of Gopal)
quake=$(awk -F, '$8 == "2078/79-Q2+quake-2021" { print $2 " " $5 }' "$work/q2.csv" | sort)
expected=$(printf '%s 3000.00\n%s 3000.00\n' "$bhim" "$gopal" | sort)
[ "$quake" = "$expected" ] || fail "the earthquake's top-ups, to Ilam's seniors only: $quake"
expect 0 "a fire in Ilam in August, declared after the first quarter was paid" -- \
    sp shock declare --name fire-2021 --area Ilam --from 2021-08-10 --to 2021-08-20 \
    --top-up 500.00 --scheme $senior
expect 0 "the first quarter once more" -- sp payroll run --scheme $senior --period 2078/79-Q1
contains "$out" "2 payments made (0 re-issued), 1000.00 NPR" "only the fire's top-ups, to Ilam"
expect 0 "shock list" -- sp shock list
contains "$out" "flood-2021" "listed"
contains "$out" "quake-2021" "listed"

# ---- horizontal: everyone of Kathmandu's households in a temporary scheme ----
expect 0 "the flood's temporary scheme" -- sp shock declare --name flood-cash --area Kathmandu \
    --from 2021-08-01 --to 2021-12-31 --enroll-affected --scheme np.ssa.single_woman
contains "$out" "3 persons of the area's households: 3 enrolled in np.ssa.single_woman" \
    "Ram, Sita and Hari"
expect 0 "declared again (as after a kill)" -- sp shock declare --name flood-cash \
    --area Kathmandu --from 2021-08-01 --to 2021-12-31 --enroll-affected \
    --scheme np.ssa.single_woman
contains "$out" "shock 4 continued" "the same shock goes on"
contains "$out" "0 enrolled in np.ssa.single_woman, 3 enrolled before" "nobody twice"
expect 3 "another shock under its name" -- sp shock declare --name flood-cash --area Ilam \
    --from 2021-08-01 --to 2021-12-31 --enroll-affected --scheme np.ssa.single_woman
expect 0 "Sita's enrolments" -- sp enroll list "$sita"
contains "$out" "np.ssa.single_woman" "Sita enrolled"
contains "$out" "2021-12-31" "until the shock's last day"
contains "$out" "shock flood-cash" "the shock as the reason"
expect 0 "Bhim's enrolments" -- sp enroll list "$bhim"
case "$out" in *single_woman*) fail "Ilam is not affected: $out" ;; esac
finish shock
