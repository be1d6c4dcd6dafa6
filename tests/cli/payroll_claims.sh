#!/bin/bash
# payroll_claims.sh: approved claims paid through the payroll (docs/payroll.md "Claims").
#   - A Cambodian worker's two childbirth claims (two births, KHR 400,000 each) are approved;
#     `payroll run --period once` makes one payment per claim, into her account, and a claim
#     whose claimant has no account is listed, not paid.
#   - The pain.001 validates against the official ISO 20022 XSD.
#   - The bank settles one payment and rejects the other: the settled claim becomes paid (with
#     its step and audit entry), the other stays approved and its payment is re-issued once.
#   - Run again, the payroll makes nothing new.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_PAYROLL_CLAIMS_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
unset SPFLOOR_GRIEVANCE_POLICY
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }
grant=kh.nssf.childbirth_allowance
xsd="$SPFLOOR_SRC/tests/data/iso20022"

expect 0 "init" -- sp init
expect 0 "a Cambodian factory worker with an account" -- sp person add --given-name Sreyleak \
    --family-name Chan --sex female --birth-date 1996-02-01 --country KH --admin1 "Phnom Penh" \
    --worker-category formal_employee --account 0012345678
sreyleak=$out
expect 0 "another, without an account" -- sp person add --given-name Bopha --family-name Keo \
    --sex female --birth-date 1995-04-01 --country KH --admin1 "Phnom Penh" \
    --worker-category formal_employee
bopha=$out
expect 0 "her first child's claim" -- sp claim file "$sreyleak" $grant --event birth \
    --date 2025-03-10 --reason "form NSSF-CB1"
contains "$out" "claim 1: $sreyleak, $grant for birth of 2025-03-10: approved (eligible): 400000.00 KHR once" \
    "approved"
expect 0 "her second child's claim" -- sp claim file "$sreyleak" $grant --event birth \
    --date 2026-07-10 --reason "form NSSF-CB1"
contains "$out" "claim 2:" "a second claim"
contains "$out" "approved" "approved too"
expect 0 "Bopha's claim" -- sp claim file "$bopha" $grant --event birth --date 2026-07-01 \
    --reason "form NSSF-CB1"
contains "$out" "claim 3:" "a third claim"

expect 0 "the claims' payroll" -- sp payroll run --scheme $grant --period once
contains "$out" "batch PAY-000001: 2 payments made (0 re-issued), 800000.00 KHR" \
    "one payment per approved claim"
contains "$out" "$bopha not paid: no account to pay into" "no account: listed"
expect 0 "the same payroll again" -- sp payroll run --scheme $grant --period once
contains "$out" "nothing new: 3 approved claims, 3 payable, 2 paid before, 1 listed" "no claim paid twice"

expect 0 "export pain.001" -- sp payroll export PAY-000001 --format pain.001 --out "$work/cb.xml" \
    --payer "National Social Security Fund"
contains "$out" "2 payments of batch PAY-000001" "both claims in the file"
if command -v xmllint >/dev/null; then
    expect 0 "the pain.001 is valid against pain.001.001.09.xsd" -- \
        xmllint --noout --schema "$xsd/pain.001.001.09.xsd" "$work/cb.xml"
else
    "$SPFLOOR_BUILD/test_pay" >/dev/null || fail "no xmllint, and the unit test fails"
fi
grep -q "<CtrlSum>800000.00</CtrlSum>" "$work/cb.xml" || fail "CtrlSum: two births"
grep -q "<Id>0012345678</Id>" "$work/cb.xml" || fail "paid into her account"
grep -q "claim-1 " "$work/cb.xml" || fail "the remittance names claim 1"
grep -q "claim-2 " "$work/cb.xml" || fail "the remittance names claim 2"
expect 0 "export as CSV" -- sp payroll export PAY-000001 --format csv --out "$work/cb.csv"
first=$(awk -F, '$8 == "claim-1" { print $1 }' "$work/cb.csv")
second=$(awk -F, '$8 == "claim-2" { print $1 }' "$work/cb.csv")
[ -n "$first" ] && [ -n "$second" ] || fail "one payment per claim: $(cat "$work/cb.csv")"

export SPFLOOR_TODAY=2026-08-05
printf 'end_to_end_id,status,amount,reason\n%s,settled,400000.00,\n%s,rejected,,AC04\n' \
    "$first" "$second" >"$work/status.csv"
expect 0 "reconcile: one settled, one rejected" -- sp payroll reconcile "$work/status.csv"
contains "$out" "2 statuses: 0 accepted, 1 rejected, 1 settled" "moved"
contains "$out" "1 claim(s) paid" "the settled claim is paid"
expect 0 "claim 1" -- sp claim show 1
contains "$out" "paid" "claim 1 paid"
contains "$out" "paid by payroll: payment" "its step says how"
expect 0 "claim 1 as JSON" -- sp claim show 1 --json
contains "$out" '"state": "paid"' "claim 1's state"
expect 0 "claim 2" -- sp claim show 2 --json
contains "$out" '"state": "approved"' "claim 2 waits for its payment"
expect 0 "the audit log" -- sp audit show
contains "$out" "claim.paid" "the claim's payment audited"

expect 0 "the payroll after the bank's answer" -- sp payroll run --scheme $grant --period once
contains "$out" "1 payments made (1 re-issued), 400000.00 KHR" "only the rejected re-issued"
expect 0 "and again" -- sp payroll run --scheme $grant --period once
contains "$out" "nothing new" "nothing made twice"
expect 0 "reconcile the same file again" -- sp payroll reconcile "$work/status.csv"
contains "$out" "2 unchanged" "nothing moves twice"
finish payroll_claims
