#!/bin/bash
# contributions.sh: the contributions ledger (docs/contributions.md), story by story.
#   - A Cambodian worker: wages above the ceiling and below the floor are booked capped and
#     floored (KHR 400,000-1,200,000), the parts 2% + 2% of the booked base; a payment after
#     the 15th of the next month is shown late; importing the file again books nothing.
#   - A Nepali worker: two months booked, a medical claim is refused (the SSF asks for 3
#     continuous months); after a third month the claim is approved.
#   - A Philippine member: the maternity benefit is computed from the ledger's 6 highest
#     monthly salary credits (credits, never raw wages), and `entitlements` decides exactly as
#     an evaluate file with the same facts does.
#   - An Indonesian migrant worker: the lump-sum premium for the contract's length is booked.
#   - A correction is a reversal plus a new entry; nothing is changed in place.
#   - An employer's file whose paid amount differs is refused, or booked with the difference
#     kept (--accept-differences).
#   - Bad input exits 2 and books nothing: a month before the scheme existed, an unknown
#     person, a negative wage, a duplicate row (named with both rows).
#   - audit verify passes after all of it.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_CONTRIBUTIONS_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2025-10-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
cat >"$work/people.csv" <<'EOF'
given_name,family_name,sex,birth_date,country,admin1,admin2,worker_category
Sok,Dara,female,1990-03-01,KH,Phnom Penh,Chamkar Mon,formal_employee
Maya,Tamang,female,1994-02-01,NP,Bagmati,Kathmandu,formal_employee
Liza,Santos,female,1995-02-11,PH,NCR,Manila,formal_employee
Budi,Santoso,male,1990-01-01,ID,Jawa Timur,Malang,migrant
Hari,Rai,male,1985-06-01,NP,Koshi,Morang,self_employed
Sri,Wahyuni,female,1988-04-04,ID,Jawa Timur,Malang,informal
EOF
expect 0 "import persons" -- sp import persons "$work/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
sok=$(id_of Sok)
maya=$(id_of Maya)
liza=$(id_of Liza)
budi=$(id_of Budi)
hari=$(id_of Hari)
sri=$(id_of Sri)
[ -n "$sok" ] && [ -n "$maya" ] && [ -n "$liza" ] && [ -n "$budi" ] || fail "persons registered"

# ---- Cambodia: ceiling and floor ----
cat >"$work/kh.csv" <<EOF
person,scheme,month,wage,employer,paid_on
$sok,kh.nssf.pension_contributions,2024-01,2000000.00,KH-E-17,2024-02-10
$sok,kh.nssf.pension_contributions,2024-02,300000.00,KH-E-17,2024-03-20
$sok,kh.nssf.pension_contributions,2024-03,800000.00,KH-E-17,
EOF
expect 0 "book KH" -- sp import contributions "$work/kh.csv"
contains "$out" "3 booked" "KH rows booked"
expect 0 "KH ledger" -- sp contributions "$sok" --json
json=$out
pick() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$json"; }
[ "$(pick 'd["entries"][0]["wage"]')" = "1200000.00" ] || fail "KHR 2,000,000 booked at the ceiling 1,200,000: $(pick 'd["entries"][0]')"
[ "$(pick 'd["entries"][0]["employee"], d["entries"][0]["employer"]')" = "24000.00 24000.00" ] ||
    fail "2% + 2% of the ceiling: $(pick 'd["entries"][0]')"
[ "$(pick 'd["entries"][1]["wage"]')" = "400000.00" ] || fail "KHR 300,000 booked at the floor 400,000"
[ "$(pick 'd["entries"][1]["employee"]')" = "8000.00" ] || fail "2% of the floor"
[ "$(pick 'd["entries"][2]["wage"]')" = "800000.00" ] || fail "a wage between floor and ceiling as it is"
[ "$(pick 'd["entries"][1]["due"], d["entries"][1]["days_late"]')" = "2024-03-15 5" ] ||
    fail "February's contribution due 15 March, paid 20 March: 5 days late: $(pick 'd["entries"][1]')"
[ "$(pick 'd["entries"][0]["days_late"]')" = "0" ] || fail "January's paid on time"
[ "$(pick 'd["totals"][0]["total"], d["totals"][0]["months"]')" = "96000.00 3" ] ||
    fail "KH totals: $(pick 'd["totals"]')"
expect 0 "KH ledger, text" -- sp contributions "$sok"
contains "$out" "5 days late: due 2024-03-15" "lateness shown to the clerk"
expect 0 "the same file again" -- sp import contributions "$work/kh.csv"
contains "$out" "0 booked in 0 transactions, 3 booked before" "a file imported again books nothing"

# ---- Nepal: 3 continuous months for medical cover ----
cat >"$work/np2.csv" <<EOF
person,scheme,month,wage
$maya,np.ssf.contributions,2025-07,30000.00
$maya,np.ssf.contributions,2025-08,30000.00
EOF
expect 0 "book NP two months" -- sp import contributions "$work/np2.csv"
expect 0 "NP qualifying after 2 months" -- sp contributions "$maya" --as-of 2025-09-15
contains "$out" "np.ssf.medical: not_eligible" "2 months: no medical cover"
medical() {
    sp entitlements "$maya" --as-of "$1" --json | python3 -c '
import json, sys
for r in json.load(sys.stdin)["results"]:
    if r["scheme"] == "np.ssf.medical": print(r["eligible"])'
}
[ "$(medical 2025-09-15)" = "False" ] || fail "medical cover refused after 2 months"
expect 0 "a medical claim after 2 months" -- sp claim file "$maya" np.ssf.medical --event sickness \
    --date 2025-09-15 --reason "hospital bill"
contains "$out" "rejected" "the claim is refused: fewer than 3 continuous months"
printf 'person,scheme,month,wage\n%s,np.ssf.contributions,2025-09,30000.00\n' "$maya" >"$work/np3.csv"
expect 0 "book NP third month" -- sp import contributions "$work/np3.csv"
[ "$(medical 2025-10-15)" = "True" ] || fail "medical cover after 3 continuous months"
expect 0 "a medical claim after 3 months" -- sp claim file "$maya" np.ssf.medical --event sickness \
    --date 2025-10-01 --reason "hospital bill"
contains "$out" "approved" "the claim is approved after the third month"
expect 0 "NP qualifying after 3 months" -- sp contributions "$maya" --as-of 2025-10-15
contains "$out" "np.ssf.medical: eligible" "3 months: medical cover"
expect 0 "NP ledger" -- sp contributions "$maya" --json
json=$out
[ "$(pick 'd["entries"][0]["employee"], d["entries"][0]["employer"]')" = "3300.00 6000.00" ] ||
    fail "SSF 11% employee, 20% employer of 30,000: $(pick 'd["entries"][0]')"

# an informal worker's voluntary contribution on a declared income (Indonesia's BPU JHT, 2%)
printf 'person,scheme,month,declared_income\n%s,id.bpjstk.bpu_jht_contributions,2025-07,2500000.00\n' "$sri" >"$work/id-vol.csv"
expect 0 "book a voluntary contribution" -- sp import contributions "$work/id-vol.csv"
expect 0 "the voluntary entry" -- sp contributions "$sri" --json
json=$out
[ "$(pick 'd["entries"][0]["voluntary"], d["entries"][0]["wage"], d["entries"][0]["employee"]')" = "True 2500000.00 50000.00" ] ||
    fail "a voluntary entry on the declared income, 2%: $(pick 'd["entries"][0]')"
# Nepal's rate for the self-employed is not confirmed: the row is refused, saying so
printf 'person,scheme,month,declared_income\n%s,np.ssf.voluntary_contributions,2025-07,20000.00\n' "$hari" >"$work/np-vol.csv"
expect 2 "a rate not set" -- sp import contributions "$work/np-vol.csv"
contains "$err" "np.ssf.voluntary.contributor_rate not set" "the parameter to fill in is named"
printf 'person,scheme,month,wage\n%s,np.ssf.contributions,2025-07,20000.00\n' "$hari" >"$work/np-self.csv"
expect 2 "a self-employed worker in the employees' scheme" -- sp import contributions "$work/np-self.csv"
contains "$err" "is not covered by np.ssf.contributions in 2025-07" "refused with the rule"

expect 0 "the worker's statement" -- sp statement "$maya" --year 2025
contains "$out" "2025-09  np.ssf.contributions" "the statement lists the months contributed"
contains "$out" "you 3300.00, employer 6000.00" "with what each paid in"
contains "$out" "np.ssf.medical" "and the claims"
contains "$out" "approved" "with where each stands"

# ---- Philippines: maternity from the ledger's salary credits ----
{
    echo "person,scheme,month,wage"
    m=0
    for w in 8000 9000 10000 11000 12240 13000 14000 15000 16000 17000 18000 25000; do
        printf '%s,ph.sss.contributions,%s,%s.00\n' "$liza" \
            "$(date -u -d "2024-04-01 +$m month" +%Y-%m)" "$w"
        m=$((m + 1))
    done
} >"$work/ph.csv"
expect 0 "book PH 12 months" -- sp import contributions "$work/ph.csv"
expect 0 "PH ledger" -- sp contributions "$liza" --json
json=$out
[ "$(pick 'd["entries"][4]["wage"]')" = "12000.00" ] ||
    fail "a wage of 12,240 is booked as the 12,000 salary credit: $(pick 'd["entries"][4]')"
expect 0 "birth" -- sp event add "$liza" --type birth --date 2025-08-10 --child-given-name Ana \
    --child-sex female --reason "birth certificate"
maternity() {
    python3 -c '
import json, sys
for r in json.load(sys.stdin)["results"]:
    if r["person"] == sys.argv[1] and r["scheme"] == "ph.sss.maternity":
        print(r["eligible"], r.get("amount"))' "$1"
}
expect 0 "PH entitlements" -- sp entitlements "$liza" --as-of 2025-09-01 --json
# the 6 highest credits of 2024-04..2025-03, each at most 20,000 for the benefit:
# 20,000 + 18,000 + 17,000 + 16,000 + 15,000 + 14,000 = 100,000; x 105 days / 180 = 58,333.33
[ "$(maternity "$liza" <<<"$out")" = "True 58333.33" ] ||
    fail "maternity from the ledger: $(maternity "$liza" <<<"$out")"
# the same facts as an evaluate file decide the same
{
    echo "persons:"
    echo "  - {id: $liza, sex: female, birth_date: 1995-02-11, country: PH, admin1: NCR, admin2: Manila, worker_category: formal_employee}"
    echo "events:"
    echo "  - {type: birth, date: 2025-08-10, person: $liza}"
    echo "contributions:"
    python3 -c '
import json, sys
for e in json.load(sys.stdin)["entries"]:
    print("  - {person: %s, scheme: %s, month: %s, wage: \"%s\", currency: %s}" % (sys.argv[1], e["scheme"], e["month"], e["wage"], e["currency"]))' "$liza" <<<"$json"
} >"$work/same.yaml"
expect 0 "evaluate the same facts" -- sp evaluate "$work/same.yaml" --as-of 2025-09-01 --json
[ "$(maternity "$liza" <<<"$out")" = "True 58333.33" ] ||
    fail "an evaluate file with the same facts decides the same: $(maternity "$liza" <<<"$out")"

# ---- Indonesia: a migrant's lump sum for the contract ----
expect 0 "departure" -- sp event add "$budi" --type departure --date 2025-03-01 \
    --destination MY --contract-months 24 --reason "placement agreement"
printf 'person,scheme,month\n%s,id.bpjstk.migrant_placement,2025-03\n' "$budi" >"$work/id.csv"
expect 0 "book the migrant premium" -- sp import contributions "$work/id.csv"
expect 0 "ID ledger" -- sp contributions "$budi" --json
json=$out
[ "$(pick 'd["entries"][0]["employee"]')" = "332500.00" ] ||
    fail "a 24-month contract: Rp 332,500: $(pick 'd["entries"][0]')"

# ---- a correction: reversal and a new entry ----
entry=$(sp contributions "$sok" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][2]["entry"])')
printf 'person,scheme,month,wage,employer\n%s,kh.nssf.pension_contributions,2024-03,900000.00,KH-E-17\n' "$sok" >"$work/kh-fix.csv"
expect 3 "a booked month with other amounts is refused" -- sp import contributions "$work/kh-fix.csv"
contains "$err" "booked already as entry $entry" "the conflict names the entry"
expect 1 "a reversal needs its reason" -- sp contributions reverse "$sok" "$entry"
expect 0 "reverse" -- sp contributions reverse "$sok" "$entry" --reason "payroll error, employer letter"
expect 3 "twice" -- sp contributions reverse "$sok" "$entry" --reason "again"
expect 0 "the corrected row" -- sp import contributions "$work/kh-fix.csv"
expect 0 "KH after correction" -- sp contributions "$sok" --json
json=$out
[ "$(pick 'len(d["entries"]), [e["stands"] for e in d["entries"]]')" = "5 [True, True, False, False, True]" ] ||
    fail "3 entries, a reversal and the new one, the first two and the last standing: $(pick '[e["stands"] for e in d["entries"]]')"
[ "$(pick 'd["entries"][3]["wage"], d["entries"][3]["reverses"]')" = "-800000.00 $entry" ] ||
    fail "the reversal negates the entry: $(pick 'd["entries"][3]')"
[ "$(pick 'd["totals"][0]["wage"]')" = "2500000.00" ] || fail "totals over standing entries: $(pick 'd["totals"]')"

# ---- an employer's payment that differs ----
printf 'person,scheme,month,wage,employer,paid\n%s,kh.nssf.pension_contributions,2024-04,800000.00,KH-E-17,30000.00\n' "$sok" >"$work/kh-paid.csv"
expect 2 "a payment that differs is refused" -- sp import contributions "$work/kh-paid.csv"
contains "$err" "kh-paid.csv:2: paid: 30000.00 KHR paid" "the difference named with row and column"
contains "$err" "comes to 32000.00 KHR" "and the computed amount"
expect 0 "accepted with the difference kept" -- sp import contributions "$work/kh-paid.csv" --accept-differences
expect 0 "KH arrears" -- sp contributions "$sok"
contains "$out" "short by 2000.00" "the short payment shown"
contains "$out" "arrears 2000.00" "arrears in the totals"

# ---- bad input: nothing booked, exit 2 ----
before=$(sp contributions "$sok" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
cat >"$work/bad.csv" <<EOF
person,scheme,month,wage
$sok,kh.nssf.pension_contributions,2021-05,800000.00
000000000000,kh.nssf.pension_contributions,2024-05,800000.00
$sok,kh.nssf.pension_contributions,2024-06,-5.00
$sok,kh.nssf.pension_contributions,2024-07,800000.00
$sok,kh.nssf.pension_contributions,2024-07,800000.00
EOF
expect 2 "bad rows" -- sp import contributions "$work/bad.csv"
contains "$err" "bad.csv:2: month: 2021-05 is before kh.nssf.pension_contributions began (2022-10-01)" "month before the scheme"
contains "$err" "bad.csv:3: person:" "an ID that is no worker ID"
contains "$err" "bad.csv:4: wage: \"-5.00\" is negative" "a negative wage"
contains "$err" "bad.csv:6: the same person, scheme, month as row 5" "a duplicate row, named"
contains "$err" "nothing was booked" "says nothing was booked"
# a worker ID with a good check digit that nobody has (Verhoeff, as base/ids.c)
unknown=$(python3 -c '
d = [[0,1,2,3,4,5,6,7,8,9],[1,2,3,4,0,6,7,8,9,5],[2,3,4,0,1,7,8,9,5,6],[3,4,0,1,2,8,9,5,6,7],
     [4,0,1,2,3,9,5,6,7,8],[5,9,8,7,6,0,4,3,2,1],[6,5,9,8,7,1,0,4,3,2],[7,6,5,9,8,2,1,0,4,3],
     [8,7,6,5,9,3,2,1,0,4],[9,8,7,6,5,4,3,2,1,0]]
p = [[0,1,2,3,4,5,6,7,8,9],[1,5,7,6,2,8,3,0,9,4],[5,8,0,3,7,9,6,1,4,2],[8,9,1,6,0,4,3,5,2,7],
     [9,4,5,3,1,2,6,8,7,0],[4,2,8,6,5,7,3,9,0,1],[2,7,9,3,8,0,6,4,1,5],[7,0,4,6,9,1,3,2,5,8]]
inv = [0,4,3,2,1,5,6,7,8,9]
s = "%011d" % 99999
c = 0
for i, ch in enumerate(reversed(s)):
    c = d[c][p[(i + 1) % 8][int(ch)]]
print(s + str(inv[c]))')
printf 'person,scheme,month,wage\n%s,kh.nssf.pension_contributions,2024-05,800000.00\n%s,kh.nssf.pension_contributions,2024-05,800000.00\n' \
    "$sok" "$unknown" >"$work/unknown.csv"
expect 2 "an unknown person" -- sp import contributions "$work/unknown.csv"
contains "$err" "unknown.csv:3: person: no person with ID $unknown is registered" "unknown person named"
after=$(sp contributions "$sok" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
[ "$before" = "$after" ] || fail "bad files booked nothing ($before entries, then $after)"
printf 'person,scheme,month,salary\n' >"$work/header.csv"
expect 2 "an unknown column" -- sp import contributions "$work/header.csv"
contains "$err" "header.csv:1: column 4: unknown column \"salary\"" "the header's column named"

expect 0 "audit verify" -- sp audit verify
expect 0 "audit show" -- sp audit show
contains "$out" "contribution.book" "bookings are in the audit log"
finish contributions
