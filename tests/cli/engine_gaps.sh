#!/bin/bash
# engine_gaps.sh: what the rules engine says of benefits that are not a sum of money a month.
#   - A benefit per fortnight is shown `per: fortnight`, and its annual amount is 26 of them
#     (not 24, not 2 x 12); a cycle paid every two weeks says "26 payments a year", Cambodia's
#     NSSF pension, paid twice a month, "24".
#   - MGNREGA's guarantee is counted in days: "100 days" in the table, `in_kind` {quantity,
#     unit} and no money `amount` in JSON; 150 days in a notified drought area.
#   - A flat contribution has no wage: an Indonesian BPU worker who declared no income owes
#     the flat JKM premium of 6,800 a month.
#   - A benefit of a contingency takes the amount in force on the contingency's day: a
#     Cambodian IDPoor mother who delivered on 2023-07-31 is paid 200,000, not the 400,000 in
#     force when it is decided; the explanation says which date was used.
#   - A benefit whose qualifying contributions come from several schemes reads them all: the
#     heirs of a BPU worker who paid JKM as a BPU worker get the JKM death benefit.
#   - Mistakes in these fields exit 2 naming file:line:col.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2025-01-15
source "$(dirname "$0")/../support/cli.bash"
gaps="$SPFLOOR_SRC/tests/data/rules/gaps"

# --- fortnights ------------------------------------------------------------------------------
expect 0 "schemes check of the fortnight fixture" -- "$SPFLOOR" schemes check "$gaps"
contains "$out" "3 passed, 0 failed" "the fortnight cases pass"
cat >"$work/kh.yaml" <<'EOF'
persons:
  - {id: old, sex: female, birth_date: 1950-01-01, country: KH}
EOF
expect 0 "evaluate a fortnightly benefit --json" -- \
    "$SPFLOOR" --schemes "$gaps" evaluate "$work/kh.yaml" --as-of 2025-03-01 --json
contains "$out" '"amount":"60000.00"' "the amount is per fortnight"
contains "$out" '"per":"fortnight"' "the period is named"
contains "$out" '"annual_amount":"1560000.00"' "a year is 26 fortnights (26 x 60,000)"
expect 0 "evaluate a fortnightly benefit --explain=trace" -- \
    "$SPFLOOR" --schemes "$gaps" evaluate "$work/kh.yaml" --as-of 2025-03-01 --explain=trace
contains "$out" "fortnight" "the table names the period"
contains "$out" "paid: every 2 weeks, 26 payments a year" "the cycle gives 26 payments a year"
expect 0 "schemes list --json names the period" -- "$SPFLOOR" --schemes "$gaps" schemes list --json
contains "$out" '"per": "fortnight"' "schemes list shows per fortnight"

# --- days of work (MGNREGA) ------------------------------------------------------------------
cat >"$work/in.yaml" <<'EOF'
persons:
  - {id: head, sex: male, birth_date: 1980-01-01, country: IN, admin1: Rajasthan, relationship: head, rural_household: true}
  - {id: drought, sex: male, birth_date: 1980-01-01, country: IN, admin1: Rajasthan, relationship: head, rural_household: true, notified_drought_area: true}
EOF
expect 0 "MGNREGA in the table" -- \
    "$SPFLOOR" evaluate "$work/in.yaml" --as-of 2024-06-15 --scheme in.mgnrega.employment
contains "$out" "100 days" "the guarantee is shown in days"
contains "$out" "150 days" "a drought area has 150 days"
case "$out" in *"100.00 INR"* | *"100 INR"*) fail "days shown as money: $out" ;; esac
expect 0 "MGNREGA --json" -- \
    "$SPFLOOR" evaluate "$work/in.yaml" --as-of 2024-06-15 --scheme in.mgnrega.employment --json
printf '%s\n' "$out" >"$work/in.json"
python3 - "$work/in.json" <<'EOF' || fail "MGNREGA JSON"
import json, sys
r = {x["person"]: x for x in json.load(open(sys.argv[1]))["results"]}
assert r["head"]["amount"] is None, r["head"]          # no money amount
assert r["head"]["in_kind"] == {"quantity": 100, "unit": "days"}, r["head"]
assert r["drought"]["in_kind"] == {"quantity": 150, "unit": "days"}, r["drought"]
assert "annual_amount" not in r["head"], r["head"]     # days are not annualised as money
assert r["head"]["per"] == "year" and r["head"]["status"] == "eligible"
EOF

# --- a flat contribution without a wage ------------------------------------------------------
cat >"$work/id.yaml" <<'EOF'
persons:
  - {id: bpu, sex: female, birth_date: 1990-01-01, country: ID, worker_category: informal}
EOF
expect 0 "a BPU worker without a declared income" -- "$SPFLOOR" evaluate "$work/id.yaml" --as-of 2024-06-15
contains "$out" "bpu          contributions owed: 6800.00 IDR per month" "the flat JKM premium is owed"
expect 0 "the flat JKM premium's trace" -- \
    "$SPFLOOR" evaluate "$work/id.yaml" --as-of 2024-06-15 --scheme id.bpjstk.bpu_jkm_contributions --explain=trace
contains "$out" "contribution: fixed amounts, on no wage" "the trace says there is no wage"

# --- a contingency's date --------------------------------------------------------------------
cat >"$work/mothers.yaml" <<'EOF'
persons:
  - {id: july, sex: female, birth_date: 1998-04-01, country: KH, groups: [idpoor], health_facility_delivery: true}
  - {id: august, sex: female, birth_date: 1998-04-01, country: KH, groups: [idpoor], health_facility_delivery: true}
events:
  - {type: birth, date: 2023-07-31, person: july}
  - {type: birth, date: 2023-08-01, person: august}
EOF
expect 0 "IDPoor deliveries decided on 2023-08-15" -- \
    "$SPFLOOR" evaluate "$work/mothers.yaml" --as-of 2023-08-15 --scheme kh.idpoor.delivery --json
printf '%s\n' "$out" >"$work/mothers.json"
python3 - "$work/mothers.json" <<'EOF' || fail "IDPoor delivery by the delivery's day"
import json, sys
r = {x["person"]: x for x in json.load(open(sys.argv[1]))["results"]}
assert r["july"]["amount"] == "200000.00", r["july"]
assert r["august"]["amount"] == "400000.00", r["august"]
line = [l for l in r["july"]["explanation"] if l.startswith("contingency:")]
assert line and "read on 2023-07-31" in line[0] and "not 2023-08-15" in line[0], r["july"]
assert not any(l.startswith("contingency:") for l in r["august"]["explanation"]), r["august"]
EOF

# --- several contributions_from --------------------------------------------------------------
cat >"$work/death.yaml" <<'EOF'
persons:
  - {id: bpu, sex: male, birth_date: 1985-01-01, country: ID, worker_category: informal, declared_income: "1000000.00"}
contributions:
  - {person: bpu, scheme: id.bpjstk.bpu_jkm_contributions, month: 2023-11, wage: "1000000.00", currency: IDR}
events:
  - {type: death, date: 2024-05-01, person: bpu}
EOF
expect 0 "JKM death benefit of a BPU participant" -- \
    "$SPFLOOR" evaluate "$work/death.yaml" --as-of 2024-06-15 --scheme id.bpjstk.jkm_death_benefit
contains "$out" "42000000.00 IDR" "BPU JKM months count for the death benefit"

# --- mistakes exit 2 with file:line:col ------------------------------------------------------
bad="$work/bad/kh"
mkdir -p "$bad"
cp "$gaps/kh/params.yaml" "$bad/"
sed 's/every_weeks: 2/every_weeks: 0/' "$gaps/kh/fortnightly.yaml" >"$bad/fortnightly.yaml"
expect 2 "a cycle of 0 weeks" -- "$SPFLOOR" schemes check "$work/bad"
contains "$err" "fortnightly.yaml:21:" "the bad cycle is named by file and line"
contains "$err" "every_weeks \"0\" must be a whole number from 1 to 52" "the bad cycle is explained"
sed 's/^per: fortnight/amount_unit: days\nper: fortnight/' "$gaps/kh/fortnightly.yaml" >"$bad/fortnightly.yaml"
expect 2 "money counted as days" -- "$SPFLOOR" schemes check "$work/bad"
contains "$err" "fortnightly.yaml:18:9: expected int here, got money" "the amount is named by file:line:col"
printf 'contributions_from: [kh.test.fortnightly, kh.test.nope]\n' >>"$bad/fortnightly.yaml"
sed -i '/amount_unit/d' "$bad/fortnightly.yaml"
expect 2 "a contributions_from naming no scheme" -- "$SPFLOOR" schemes check "$work/bad"
contains "$err" "fortnightly.yaml:22:43: contributions_from: no scheme has the id kh.test.nope" \
    "the unknown scheme in the list is named"

finish engine_gaps
