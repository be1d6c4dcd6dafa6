#!/bin/bash
# claims.sh: claims for event-based benefits (docs/claims.md), every state asserted:
#   - A Cambodian worker's childbirth claim is recorded with its birth event and approved by
#     the rules with the scheme's amount (KHR 400,000 per child, kh.nssf.childbirth_allowance);
#     her birth certificate is kept by SHA-256 and file name.
#   - An informal worker who is not an NSSF member is rejected with the explanation; she
#     appeals, the appeal is reviewed and rejected again; paying a rejected claim is refused.
#   - A Bangladeshi garment worker dismissed when pregnant claims 112 days of maternity
#     benefit (Labour Act s.46, at her average daily wage); the factory does not pay, her
#     grievance goes from the labour court to the employers' association, and she is paid
#     after the buyer intervenes: the whole trail, with its dates, parties and the amount
#     paid, is on her record and in the audit log.
#   - Bad input exits 2 and writes nothing: a claim without its event date, an unknown person,
#     an unknown scheme, a fact the event and the scheme do not take.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_CLAIMS_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
unset SPFLOOR_GRIEVANCE_POLICY
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
expect 0 "a Cambodian factory worker" -- sp person add --given-name Sreyleak --family-name Chan \
    --sex female --birth-date 1996-02-01 --country KH --admin1 "Phnom Penh" \
    --worker-category formal_employee
sreyleak=$out
expect 0 "a Cambodian informal worker" -- sp person add --given-name Dara --family-name Sok \
    --sex female --birth-date 1994-05-01 --country KH --admin1 "Phnom Penh" \
    --worker-category informal
dara=$out
expect 0 "a Bangladeshi garment worker" -- sp person add --given-name Rina --family-name Akter \
    --sex female --birth-date 1998-03-01 --country BD --admin1 Dhaka \
    --worker-category formal_employee --employer "Star Garments" --employment-start 2024-01-15 \
    --living-children 1
rina=$out
audit_entries() { sp audit show | wc -l; }
before=$(audit_entries)

# ---- bad input writes nothing ----
expect 2 "a claim without its event date" -- sp claim file "$sreyleak" \
    kh.nssf.childbirth_allowance --event birth
contains "$err" "--date: a claim needs the day its event happened" "the date is asked for"
expect 2 "an unknown person" -- sp claim file 000000000999 kh.nssf.childbirth_allowance \
    --event birth --date 2026-07-10
contains "$err" "no person with ID 000000000999" "the person named"
expect 2 "an unknown scheme" -- sp claim file "$sreyleak" kh.nssf.no_such_grant --event birth \
    --date 2026-07-10
contains "$err" "no scheme has the id \"kh.nssf.no_such_grant\"" "the scheme named"
expect 2 "a scheme of another country" -- sp claim file "$sreyleak" bd.labour.maternity \
    --event birth --date 2026-07-10
expect 2 "a fact neither the event nor the scheme takes" -- sp claim file "$sreyleak" \
    kh.nssf.childbirth_allowance --event birth --date 2026-07-10 --field weight=3.2
contains "$err" "--field weight" "the fact named"
expect 2 "a date in the future" -- sp claim file "$sreyleak" kh.nssf.childbirth_allowance \
    --event birth --date 2026-09-01
expect 1 "no --event" -- sp claim file "$sreyleak" kh.nssf.childbirth_allowance --date 2026-07-10
expect 0 "no claim stored" -- sp claim list
[ -z "$out" ] || fail "bad input stored a claim: $out"
expect 0 "no event stored" -- sp event list "$sreyleak"
contains "$out" "no events recorded" "bad input recorded no event"
[ "$(audit_entries)" = "$before" ] || fail "bad input wrote to the audit log"

# ---- approved, with the scheme's amount ----
printf 'birth certificate 2026/0711\n' >"$work/birth-certificate.pdf"
expect 0 "Sreyleak's childbirth claim" -- sp claim file "$sreyleak" kh.nssf.childbirth_allowance \
    --event birth --date 2026-07-10 --evidence "$work/birth-certificate.pdf" \
    --reason "form NSSF-CB1"
# kh.nssf.params.yaml: childbirth_allowance KHR 400,000 per child born (one child here)
contains "$out" "claim 1: $sreyleak, kh.nssf.childbirth_allowance for birth of 2026-07-10: approved (eligible): 400000.00 KHR once" \
    "approved with the scheme's amount"
contains "$out" "✓ An employee, or a member of the NSSF" "the explanation"
expect 0 "the birth is in the registry" -- sp event list "$sreyleak"
contains "$out" "2026-07-10  birth" "the claim's event recorded"
expect 0 "claim 1 as JSON" -- sp claim show 1 --json
contains "$out" '"state": "approved"' "state"
contains "$out" '"amount": "400000.00"' "amount"
hash=$(sha256sum "$work/birth-certificate.pdf" | cut -d' ' -f1)
contains "$out" "\"sha256\": \"$hash\"" "the document's SHA-256"
contains "$out" '"file": "birth-certificate.pdf"' "its file name, without its folder"
contains "$out" '"from": "filed"' "the rules' step from filed"
expect 0 "attaching the same document again" -- sp claim attach 1 "$work/birth-certificate.pdf"
contains "$out" "was attached already" "kept once"
expect 3 "the same claim filed twice" -- sp claim file "$sreyleak" kh.nssf.childbirth_allowance \
    --event birth --date 2026-07-10
contains "$err" "already: claim 1" "the first claim named"
expect 0 "her events" -- sp event list "$sreyleak"
[ "$(grep -c ' birth ' <<<"$out")" = 1 ] || fail "one birth, not two: $out"
# a birth recorded at the registry office before the claim is the claim's event, not a second
# birth (two births on one day would be twins: KHR 800,000)
expect 0 "another Cambodian factory worker" -- sp person add --given-name Bopha --family-name Keo \
    --sex female --birth-date 1997-06-01 --country KH --admin1 "Phnom Penh" \
    --worker-category formal_employee
bopha=$out
expect 0 "her baby's birth, recorded first" -- sp event add "$bopha" --type birth --date 2026-07-15
expect 0 "then her claim" -- sp claim file "$bopha" kh.nssf.childbirth_allowance --event birth \
    --date 2026-07-15
contains "$out" "approved (eligible): 400000.00 KHR once" "one child, KHR 400,000"
expect 0 "her events" -- sp event list "$bopha"
[ "$(grep -c ' birth ' <<<"$out")" = 1 ] || fail "the claim recorded the birth again: $out"
expect 0 "paid" -- sp claim pay 1 --reason "NSSF transfer 88123"
contains "$out" "claim 1: paid (eligible): 400000.00 KHR once; paid 400000.00 KHR" "paid in full"
expect 3 "paid twice" -- sp claim pay 1 --reason "again"
contains "$err" "claim 1: the claim is paid, which is final" "a paid claim is final"

# ---- rejected, with the explanation; appealed ----
dc=3 # Sreyleak's and Bopha's are 1 and 2
expect 0 "Dara's childbirth claim" -- sp claim file "$dara" kh.nssf.childbirth_allowance \
    --event birth --date 2026-07-12
contains "$out" "claim $dc: $dara, kh.nssf.childbirth_allowance for birth of 2026-07-12: rejected (not_eligible)" \
    "rejected"
contains "$out" "✗ An employee, or a member of the NSSF — her work: informal" "why: her work"
expect 3 "paying a rejected claim" -- sp claim pay "$dc" --reason "by mistake"
contains "$err" "it cannot become paid (only appealed)" "the allowed move is named"
expect 3 "approving a rejected claim without an appeal" -- sp claim approve "$dc" --reason "x"
expect 2 "an appeal dated before the claim's last step" -- sp claim appeal "$dc" --reason "x" \
    --date 2026-07-31
contains "$err" "a change cannot come before it" "steps keep their order"
expect 0 "appealed" -- sp claim appeal "$dc" --reason "she says she joined the NSSF in June" \
    --by "legal aid clinic"
contains "$out" "claim $dc: appealed" "appealed"
expect 0 "under review" -- sp claim review "$dc" --reason "membership checked" --by adjudicator
contains "$out" "claim $dc: under_review" "under review"
expect 0 "rejected again" -- sp claim reject "$dc" --reason "no NSSF membership found" \
    --by adjudicator
contains "$out" "claim $dc: rejected" "rejected"
expect 1 "a change without its reason" -- sp claim appeal "$dc"
expect 0 "Dara's claim" -- sp claim show "$dc"
for step in "1. 2026-08-01  filed  by clerk" "2. 2026-08-01  filed -> rejected  by clerk" \
    "3. 2026-08-01  rejected -> appealed  by legal aid clinic" \
    "4. 2026-08-01  appealed -> under_review  by adjudicator" \
    "5. 2026-08-01  under_review -> rejected  by adjudicator"; do
    contains "$out" "$step" "every step kept"
done

# ---- the Bangladeshi case: 112 days, paid after the buyer intervened ----
rc=4
expect 0 "Rina's maternity claim, filed on 2026-02-10" -- env SPFLOOR_TODAY=2026-02-10 \
    "$SPFLOOR" --quiet claim file "$rina" bd.labour.maternity \
    --event pregnancy --date 2026-02-01 --field average_daily_wage=500.00 \
    --reason "filed at the labour court after her dismissal"
# bd.labour.params.yaml: 112 days (s.46) at her average daily wage of BDT 500.00
contains "$out" "approved (eligible): 56000.00 BDT once, 112 days" "112 days at her daily wage"
expect 0 "her grievance about the payment" -- sp grievance open "$rina" --about claim "$rc" \
    --text "Star Garments dismissed me and does not pay" --date 2026-02-10
expect 0 "the labour court's order is ignored" -- sp grievance escalate 1 --date 2026-03-15 \
    --by "Labour Court, Dhaka" --reason "order to pay by 2026-03-31 ignored by the factory"
expect 0 "the employers' association is ignored" -- sp grievance escalate 1 --date 2026-04-20 \
    --by "BGMEA" --reason "asked the factory to pay; ignored"
expect 0 "paid after the buyer intervened" -- sp claim pay "$rc" --date 2026-06-02 \
    --amount 56000.00 --by "Star Garments" --reason "paid after the buyer intervened"
contains "$out" "claim $rc: paid (eligible): 56000.00 BDT once, 112 days; paid 56000.00 BDT" \
    "the amount finally paid"
expect 0 "resolved" -- sp grievance resolve 1 --date 2026-06-03 --by "legal aid clinic" \
    --reason "paid in full on 2026-06-02"
expect 0 "her claims" -- sp claim list "$rina"
contains "$out" "bd.labour.maternity" "on her record"
expect 0 "the claim's trail" -- sp claim show "$rc"
contains "$out" "1. 2026-02-10  filed  by clerk" "filed, and when"
contains "$out" "2. 2026-02-10  filed -> approved  by clerk" "decided on filing"
contains "$out" "3. 2026-06-02  approved -> paid (56000.00 BDT)  by Star Garments" \
    "who paid, when, how much"
expect 0 "the grievance's trail" -- sp grievance show 1
contains "$out" "2. 2026-03-15  escalate -> district" "the court's step"
contains "$out" "by Labour Court, Dhaka" "the court named"
contains "$out" "3. 2026-04-20  escalate -> national" "the association's step"
contains "$out" "4. 2026-06-03  resolve" "resolved"
expect 0 "her audit trail" -- sp audit show --object "$rina"
for action in claim.file claim.approved grievance.open grievance.escalate claim.paid \
    grievance.resolve; do
    contains "$out" "$action" "audited: $action"
done
expect 0 "the audit log verifies" -- sp audit verify

finish claims
