#!/bin/bash
# payroll.sh: paying enrolled persons, bank files and reconciliation (docs/payroll.md).
#   - Nepali senior citizens paid by quarter of the fiscal year (Shrawan-Asoj ...) from FY
#     2078/79, each quarter 3 x 4,000.00 NPR (the rate from mid-July 2021); every four months
#     before it (FY 2077/78, at 3,000 a month).
#   - A person without an account of their own is paid into their account_holder's; one with
#     neither is listed, not paid; one enrolled against a decision that does not pay is listed.
#   - A payroll run twice gives one set of payments, and says so.
#   - The pain.001 validates against the official ISO 20022 XSD; exported again, it has the
#     same EndToEndIds; the CSV export has them too.
#   - A pain.002 rejecting 2 of 10: those 2 are re-issued (once, under new ids naming the
#     first), the 8 settled are never paid again.
#   - Bad status files exit 2 and change nothing: malformed (naming the line), for another
#     message id, a CSV with an amount that does not match, an unknown id, a duplicate.
#   - A statement lists a person's payments, re-issues and totals.
#   - A payroll killed mid-run (kill -9) and run again ends with the payments of a clean run.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_PAYROLL_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2021-07-20
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }
senior=np.ssa.senior_citizen
xsd="$SPFLOOR_SRC/tests/data/iso20022"

expect 0 "init" -- sp init
{
    echo "given_name,family_name,sex,birth_date,country,admin1,admin2,marital_status,account"
    names=(Ram Hari Shyam Krishna Gopal Bishnu Laxmi Sarita Maya Durga)
    for i in "${!names[@]}"; do
        echo "${names[$i]},Thapa,male,194$i-03-0$((i % 9 + 1)),NP,Bagmati,Kathmandu,married,0100200300$i"
    done
    echo "Bhim,Rai,male,1941-05-05,NP,Koshi,Ilam,married,"      # no account: his son's
    echo "Kiran,Rai,male,1975-05-05,NP,Koshi,Ilam,married,0990000001"
    echo "Mohan,Lama,male,1942-06-06,NP,Koshi,Ilam,married,"    # no account at all
    echo "Young,Magar,male,1970-06-06,NP,Koshi,Ilam,married,0990000002"
} >"$work/people.csv"
expect 0 "import" -- sp import persons "$work/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
ram=$(id_of Ram)
bhim=$(id_of Bhim)
kiran=$(id_of Kiran)
mohan=$(id_of Mohan)
young=$(id_of Young)
expect 0 "Bhim is paid into his son Kiran's account" -- \
    sp person update "$bhim" --account-holder "$kiran" --reason "son's account"

# ---- before FY 2078/79: every four months, at 3,000 a month ----
expect 0 "Ram enrolled from FY 2077/78" -- sp enroll "$ram" $senior --from 2020-07-16
expect 2 "a quarter while thirds were paid is no period" -- \
    sp payroll run --scheme $senior --period 2077/78-Q1
contains "$err" "its periods are 2073/74-T1 and on (from 2016-07-16); 2078/79-Q1 and on" \
    "the forms of the scheme's periods"
expect 0 "FY 2077/78, first third" -- sp payroll run --scheme $senior --period 2077/78-T1
contains "$out" "Shrawan-Kartik 2077" "named in Bikram Sambat"
contains "$out" "1 payments made (0 re-issued), 12000.00 NPR" "4 months x 3,000.00"

# ---- from FY 2078/79: quarters, at 4,000 a month ----
expect 0 "everyone else enrolled" -- sp enroll --all --scheme $senior --as-of 2021-07-16
expect 0 "the young man enrolled against the decision" -- \
    sp enroll "$young" $senior --from 2021-07-16 --override --reason "appeal pending"
expect 0 "first quarter of FY 2078/79" -- sp payroll run --scheme $senior --period 2078/79-Q1
contains "$out" "Shrawan-Asoj 2078 (2078-04-01 to 2078-06-31 BS; 2021-07-16 to 2021-10-17)" \
    "the quarter in BS and AD"
contains "$out" "batch PAY-000002: 11 payments made (0 re-issued), 132000.00 NPR" \
    "11 paid 12,000.00 each"
contains "$out" "13 enrolled, 12 payable" "who was decided"
contains "$out" "$mohan not paid: no account to pay into" "no account: listed"
contains "$out" "$young not paid: the decision on the day is not_eligible" "not payable: listed"
first_run=$out

expect 0 "the same payroll again" -- sp payroll run --scheme $senior --period 2078/79-Q1
contains "$out" "nothing new: 13 enrolled, 12 payable, 11 paid before" "nothing made twice"
expect 0 "list" -- sp payroll list
contains "$out" "PAY-000002  $senior 2078/79-Q1  as of 2021-07-16  not exported  created 11 (132000.00 NPR)" \
    "one set of payments"
[ "$(grep -c "^PAY-" <<<"$out")" = 2 ] || fail "two batches, not three: $out"

# ---- the bank file ----
expect 0 "export pain.001" -- sp payroll export PAY-000002 --format pain.001 --out "$work/q1.xml" \
    --payer "Department of National ID and Civil Registration" --payer-account 0001000200030004
contains "$out" "11 payments of batch PAY-000002" "every payment written"
if command -v xmllint >/dev/null; then
    expect 0 "the pain.001 is valid against pain.001.001.09.xsd" -- \
        xmllint --noout --schema "$xsd/pain.001.001.09.xsd" "$work/q1.xml"
else
    "$SPFLOOR_BUILD/test_pay" >/dev/null || fail "no xmllint, and the unit test fails"
fi
grep -q "<CtrlSum>132000.00</CtrlSum>" "$work/q1.xml" || fail "CtrlSum is the exact sum"
grep -q "<InstdAmt Ccy=\"NPR\">12000.00</InstdAmt>" "$work/q1.xml" || fail "amounts exact"
grep -q "<Nm>Kiran Rai</Nm>" "$work/q1.xml" || fail "Bhim's payment names his son's account"
grep -q "<Id>0990000001</Id>" "$work/q1.xml" || fail "Bhim's payment goes to Kiran's account"
grep -q "Senior citizen allowance 2078/79-Q1" "$work/q1.xml" || fail "remittance names scheme and period"
ids() { grep -o "SPFI[0-9a-f]*" "$1" | sort -u; }
expect 0 "export again" -- sp payroll export PAY-000002 --format pain.001 --out "$work/q1b.xml"
[ "$(ids "$work/q1.xml")" = "$(ids "$work/q1b.xml")" ] || fail "the same EndToEndIds each time"
expect 0 "export as CSV" -- sp payroll export PAY-000002 --format csv --out "$work/q1.csv"
[ "$(ids "$work/q1.xml")" = "$(ids "$work/q1.csv")" ] || fail "the CSV has the same ids"
head -1 "$work/q1.csv" | grep -q "^end_to_end_id,person,name,account,amount,currency" ||
    fail "the CSV's header"

# ---- the bank's answer: 2 of 10 rejected ----
# pain002 MSGID FILE: a status report on MSGID, one TxInfAndSts per "ID STATUS [AMOUNT]" line.
pain002() {
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>'
        echo '<GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2021-07-25T09:00:00Z</CreDtTm></GrpHdr>'
        echo "<OrgnlGrpInfAndSts><OrgnlMsgId>$1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>"
        echo "<OrgnlPmtInfAndSts><OrgnlPmtInfId>$1</OrgnlPmtInfId>"
        while read -r id status amount; do
            echo "<TxInfAndSts><OrgnlEndToEndId>$id</OrgnlEndToEndId><TxSts>$status</TxSts>"
            [ "$status" = RJCT ] && echo "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>"
            [ -n "$amount" ] && echo "<OrgnlTxRef><Amt><InstdAmt Ccy=\"NPR\">$amount</InstdAmt></Amt></OrgnlTxRef>"
            echo "</TxInfAndSts>"
        done
        echo '</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>'
    } >"$2"
}
mapfile -t all < <(ids "$work/q1.xml")
ten=("${all[@]:0:10}")
{
    echo "${ten[0]} RJCT"
    echo "${ten[1]} RJCT 12000.00"
    for id in "${ten[@]:2}"; do echo "$id ACSC 12000.00"; done
} | pain002 PAY-000002 "$work/status.xml"
if command -v xmllint >/dev/null; then
    expect 0 "the status report is valid against pain.002.001.10.xsd" -- \
        xmllint --noout --schema "$xsd/pain.002.001.10.xsd" "$work/status.xml"
fi
expect 0 "list before the bad files" -- sp payroll list
before=$out

# ---- bad files: exit 2, nothing changed ----
head -c 400 "$work/status.xml" >"$work/malformed.xml"
expect 2 "a malformed pain.002" -- sp payroll reconcile "$work/malformed.xml"
contains "$err" "malformed.xml:6: malformed XML: Premature end of data" "the line"
sed 's/<OrgnlMsgId>PAY-000002</<OrgnlMsgId>OTHER-BANK-FILE</' "$work/status.xml" >"$work/other.xml"
expect 2 "a pain.002 for another message id" -- sp payroll reconcile "$work/other.xml"
contains "$err" "\"OTHER-BANK-FILE\", which is no payroll batch" "the message id"
{ echo "${ten[0]} ACSC 12000.00"; echo "${ten[0]} ACSC 12000.00"; echo "SPFI0000000000000000 ACSC"; } |
    pain002 PAY-000002 "$work/dup.xml"
expect 2 "a duplicate and an unknown id" -- sp payroll reconcile "$work/dup.xml"
contains "$err" "${ten[0]} is given a second time" "the duplicate"
contains "$err" "unknown EndToEndId \"SPFI0000000000000000\"" "the unknown id"
printf 'end_to_end_id,status,amount\n%s,settled,12000.00\n%s,settled,1200.00\n' \
    "${ten[2]}" "${ten[3]}" >"$work/wrong.csv"
expect 2 "a CSV with an amount that does not match" -- sp payroll reconcile "$work/wrong.csv"
contains "$err" "wrong.csv:3: ${ten[3]}: the amount 1200.00 does not match the payment's 12000.00 NPR" \
    "the mismatch, with its line"
expect 2 "a status report that is not there" -- sp payroll reconcile "$work/absent.xml"
contains "$err" "absent.xml: cannot open: No such file or directory" "the missing file"
expect 0 "list after the bad files" -- sp payroll list
[ "$out" = "$before" ] || fail "bad files change nothing: $before -> $out"

# ---- reconcile, and re-issue the rejected ----
expect 0 "reconcile" -- sp payroll reconcile "$work/status.xml"
contains "$out" "batch PAY-000002: 10 statuses: 0 accepted, 2 rejected, 8 settled" "moved"
printf 'end_to_end_id,status\n%s,ACCP\n' "${all[10]}" >"$work/accepted.csv"
expect 0 "the eleventh accepted, by CSV" -- sp payroll reconcile "$work/accepted.csv"
contains "$out" "1 statuses: 1 accepted" "moved"
expect 0 "payroll again after the rejections" -- sp payroll run --scheme $senior --period 2078/79-Q1
contains "$out" "batch PAY-000003: 2 payments made (2 re-issued), 24000.00 NPR" \
    "the 2 rejected re-issued, nobody else"
expect 0 "and again" -- sp payroll run --scheme $senior --period 2078/79-Q1
contains "$out" "nothing new" "a re-issue is made once"
expect 0 "export the re-issues" -- sp payroll export PAY-000003 --format pain.001 --out "$work/re.xml"
mapfile -t again < <(ids "$work/re.xml")
[ "${#again[@]}" = 2 ] || fail "2 re-issued payments: ${again[*]}"
for id in "${again[@]}"; do
    for old in "${all[@]}"; do [ "$id" != "$old" ] || fail "a re-issue has a new id: $id"; done
done
expect 0 "list" -- sp payroll list
contains "$out" "PAY-000002  $senior 2078/79-Q1  as of 2021-07-16  exported  accepted 1 (12000.00 NPR)  rejected 2 (24000.00 NPR)  settled 8 (96000.00 NPR)" \
    "the first batch's states"
contains "$out" "PAY-000003  $senior 2078/79-Q1  as of 2021-07-16  exported  exported 2 (24000.00 NPR)" \
    "the re-issues, exported"
expect 0 "the second quarter pays everyone once more" -- \
    sp payroll run --scheme $senior --period 2078/79-Q2
contains "$out" "Kartik-Poush 2078" "the second quarter"
contains "$out" "11 payments made (0 re-issued), 132000.00 NPR" "12,000.00 each again"
expect 0 "export the second quarter" -- sp payroll export PAY-000004 --format pain.001 --out "$work/q2.xml"
cat >"$work/q2-refused.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-2</MsgId><CreDtTm>2021-10-20T09:00:00Z</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>PAY-000004</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>RJCT</GrpSts></OrgnlGrpInfAndSts>
</CstmrPmtStsRpt></Document>
EOF
expect 0 "the bank refuses the whole file" -- sp payroll reconcile "$work/q2-refused.xml"
contains "$out" "11 statuses: 0 accepted, 11 rejected" "every payment of the file rejected"
expect 0 "and the second quarter is paid again" -- sp payroll run --scheme $senior --period 2078/79-Q2
contains "$out" "11 payments made (11 re-issued)" "each re-issued"

# ---- statements ----
person_of() { awk -F, -v id="$1" '$1 == id { print $2 }' "$work/q1.csv"; }
rejected=$(person_of "${ten[0]}")
expect 0 "the statement of a person rejected once" -- sp statement "$rejected" --year 2021
contains "$out" "12000.00 NPR  rejected  2021-07-20  ${ten[0]#SPF}: AC04" \
    "the rejected payment, with the bank's reason"
contains "$out" "re-issue of ${ten[0]#SPF}" "its re-issue names it"
contains "$out" "paid 0.00 NPR; on its way 24000.00; rejected or cancelled 24000.00" \
    "the totals (both quarters rejected once)"
expect 0 "the statement of a person paid" -- sp statement "$(person_of "${ten[5]}")"
contains "$out" "paid 12000.00 NPR; on its way 12000.00" "settled, and the second quarter"
expect 0 "another year" -- sp statement "$rejected" --year 2020
contains "$out" "no payments" "the year chosen"
expect 2 "no such person" -- sp statement 999999999999

# ---- usage and bad input ----
expect 1 "run without a period" -- sp payroll run --scheme $senior
expect 2 "an unknown scheme" -- sp payroll run --scheme np.nothing --period 2078/79-Q1
expect 2 "an unknown batch" -- sp payroll export PAY-999999 --format csv --out "$work/x.csv"
expect 1 "an unknown format" -- sp payroll export PAY-000002 --format mt940 --out "$work/x"

# ---- killed mid-run, then run again: the payments of a clean run ----
if [ -z "${SPFLOOR_PAYROLL_DB:-}" ] && command -v sqlite3 >/dev/null; then
    "$SPFLOOR_BUILD/gen-population" --persons 3000 --country NP --seed 5 --as-of 2021-07-16 \
        --out "$work/np.csv" || fail "gen-population"
    awk 'NR == 1 { print $0 ",account"; next } { print $0 ",07700" NR }' "$work/np.csv" \
        >"$work/np-accounts.csv"
    base="$work/base.db"
    SPFLOOR_DB=$base sp init >/dev/null
    SPFLOOR_DB=$base sp import persons "$work/np-accounts.csv" >/dev/null 2>&1 || fail "import"
    SPFLOOR_DB=$base sp enroll --all --scheme $senior --as-of 2021-07-16 >/dev/null 2>&1 ||
        fail "enroll --all"
    rows() { sqlite3 "$1" "SELECT serial, id, batch, scheme, period, amount, account, state, created_on FROM payments ORDER BY serial, id"; }
    cp "$base" "$work/clean.db"
    SPFLOOR_DB="$work/clean.db" sp payroll run --scheme $senior --period 2078/79-Q3 >/dev/null ||
        fail "a clean run"
    paid=$(rows "$work/clean.db" | wc -l)
    [ "$paid" -gt 50 ] || fail "the clean run pays the seniors: $paid payments"
    for delay in 0.05 0.2 0.4; do
        cp "$base" "$work/killed.db"
        SPFLOOR_DB="$work/killed.db" "$SPFLOOR" --quiet payroll run --scheme $senior \
            --period 2078/79-Q3 >/dev/null 2>&1 &
        sleep "$delay"
        kill -9 $! 2>/dev/null
        wait $! 2>/dev/null
        SPFLOOR_DB="$work/killed.db" sp payroll run --scheme $senior --period 2078/79-Q3 \
            >/dev/null || fail "the run after a kill at $delay s"
        [ "$(rows "$work/killed.db")" = "$(rows "$work/clean.db")" ] ||
            fail "killed at $delay s and run again: not the payments of a clean run, row by row"
    done
fi
finish payroll
