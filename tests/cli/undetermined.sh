#!/bin/bash
# undetermined.sh: what the single window tells a clerk when facts are not given, when a person
# qualifies for more than one allowance, and what a worker owes.
#   - Unknown is not "no": an informal Indian worker of 17 with nothing else given is
#     `undetermined` for e-Shram, naming the one fact to ask (income tax); a government post is
#     presumed not (the scheme's declared default), and the explanation says so. With the
#     income tax answered, she is eligible. A worker too old is `not_eligible` whatever the
#     facts not given are.
#   - One allowance per person (Nepal, Social Security Act 2075 s.13): a widow of 65 gets one
#     of the single woman and widow allowances, the other shows `excluded_by`; her recorded
#     choice wins; the registry's summary does not count the excluded one as payable.
#   - An Indonesian BPU worker on Rp 1,000,000 owes 16,800 a month; JHT is optional.
#   - Scheme files with a bad default, exclusion group or optional mark exit 2 naming
#     file:line:col.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_TODAY=2025-01-15
source "$(dirname "$0")/../support/cli.bash"

cat >"$work/people.yaml" <<'EOF'
persons:
  - {id: in17, birth_date: 2007-06-01, country: IN, worker_category: informal}
  - {id: in17tax, birth_date: 2007-06-01, country: IN, worker_category: informal, income_tax_payer: false}
  - {id: in65, birth_date: 1959-06-01, country: IN, worker_category: informal}
  - {id: ingov, birth_date: 1990-06-01, country: IN, worker_category: informal, income_tax_payer: false, government_employee: true}
  - {id: widow, sex: female, birth_date: 1959-03-01, marital_status: widowed, country: NP, admin2: Kaski}
  - {id: chose, sex: female, birth_date: 1959-03-01, marital_status: widowed, country: NP, admin2: Kaski, ssa_allowance_choice: np.ssa.widow}
  - {id: bpu, sex: female, birth_date: 1990-01-01, country: ID, worker_category: informal, declared_income: "1000000.00"}
EOF

expect 0 "evaluate --json" -- "$SPFLOOR" evaluate "$work/people.yaml" --as-of 2025-01-15 --json
printf '%s\n' "$out" >"$work/results.json"
python3 - "$work/results.json" <<'EOF' || fail "evaluate --json results"
import json, sys
results = json.load(open(sys.argv[1]))["results"]
def result(person, scheme):
    rows = [r for r in results if r["person"] == person and r["scheme"] == scheme]
    assert len(rows) == 1, (person, scheme, rows)
    return rows[0]

# e-Shram: the clerk is told exactly what to ask, and what was presumed
r = result("in17", "in.eshram.registration")
assert r["status"] == "undetermined" and r["eligible"] is False, r
assert r["missing"] == ["income_tax_payer"], r["missing"]
assert "not_a_government_employee: assumed: not a government employee (not given)" in \
    r["explanation"], r["explanation"]
r = result("in17tax", "in.eshram.registration")
assert r["status"] == "eligible" and r["eligible"] is True, r
assert "missing" not in r, r
assert any("assumed: not a government employee (not given)" in line
           for line in r["explanation"]), r["explanation"]
r = result("in65", "in.eshram.registration")  # too old: false && unknown is false
assert r["status"] == "not_eligible" and "missing" not in r, r
r = result("ingov", "in.eshram.registration")  # what the person says beats the default
assert r["status"] == "not_eligible", r
assert not any("assumed" in line for line in r["explanation"]), r["explanation"]
for r in results:  # missing only, and always, on undetermined results
    assert ("missing" in r) == (r["status"] == "undetermined"), r
    assert r["eligible"] == (r["status"] == "eligible"), r

# Nepal: one allowance; the other is eligible but excluded, with its amount shown
paid = result("widow", "np.ssa.single_woman")
excluded = result("widow", "np.ssa.widow")
assert paid["eligible"] and "excluded_by" not in paid, paid
assert excluded["eligible"] and excluded["excluded_by"] == "np.ssa.single_woman", excluded
assert excluded["amount"] == "2660.00", excluded
assert any(line.startswith("excluded: np.ssa.single_woman is paid instead, the most favourable")
           and "Social Security Act 2075, s.13" in line for line in excluded["explanation"]), \
    excluded["explanation"]
assert any("is paid instead, as the person chose" in line
           for line in result("chose", "np.ssa.single_woman")["explanation"])
assert result("chose", "np.ssa.widow").get("excluded_by") is None
assert result("chose", "np.ssa.single_woman")["excluded_by"] == "np.ssa.widow"

# Indonesia: 16,800 owed, JHT optional and apart
owed = 0
for r in results:
    if r["person"] == "bpu" and r["eligible"] and r.get("contribution"):
        if not r.get("optional"):
            owed += int(r["contribution"]["total"].replace(".", ""))
assert owed == 1680000, owed
jht = result("bpu", "id.bpjstk.bpu_jht_contributions")
assert jht["optional"] is True and jht["contribution"]["total"] == "20000.00", jht
assert "optional" not in result("bpu", "id.bpjstk.bpu_jkk_contributions")
EOF

# The text table: the status names what to ask; the worker's dues exclude JHT.
expect 0 "evaluate (text)" -- "$SPFLOOR" evaluate "$work/people.yaml" --as-of 2025-01-15
contains "$out" "undetermined (missing: income_tax_payer)" "text status of an undetermined result"
contains "$out" "eligible (excluded by np.ssa.single_woman: not payable)" "text of an excluded result"
contains "$out" "contributions owed: 16800.00 IDR per month (optional, not owed: 20000.00 IDR per month)" \
    "what the BPU worker owes"

# --scheme still decides the rest of the group: the widow allowance alone shows it is excluded.
expect 0 "evaluate --scheme np.ssa.widow" -- "$SPFLOOR" evaluate "$work/people.yaml" \
    --as-of 2025-01-15 --scheme np.ssa.widow --json
contains "$out" '"excluded_by":"np.ssa.single_woman"' "--scheme keeps the exclusion"
case "$out" in *'"scheme":"np.ssa.single_woman"'*) fail "--scheme printed another scheme" ;; esac

# The registry: the same decisions, and the summary does not count the excluded as payable.
cat >"$work/people.csv" <<'EOF'
national_id,given_name,family_name,sex,birth_date,country,admin2,marital_status,groups
NP-1,Sita,Sharma,female,1959-03-01,NP,Kaski,widowed,
NP-2,Hari,Pariyar,male,1952-06-01,NP,Kathmandu,married,dalit
EOF
expect 0 "init" -- "$SPFLOOR" init
expect 0 "import" -- "$SPFLOOR" import persons "$work/people.csv"
expect 0 "entitlements --all --country NP" -- "$SPFLOOR" entitlements --all --as-of 2025-01-15 \
    --country NP --format json
printf '%s\n' "$out" >"$work/all.json"
summary=$err
python3 - "$work/all.json" <<'EOF' || fail "entitlements --all: excluded_by"
import json, sys
text = open(sys.argv[1]).read()
results = json.loads(text)["results"] if text.lstrip().startswith("{") else json.loads(text)
by = {(r["scheme"], r["person"]): r for r in results}
excluded = [r for r in results if r.get("excluded_by")]
assert sorted(r["scheme"] for r in excluded) == ["np.ssa.other_senior_citizen", "np.ssa.widow"], excluded
for r in excluded:
    assert r["eligible"] is True, r
EOF
contains "$summary" "np.ssa.widow" "the summary names the widow allowance"
widow_line=$(grep "^np.ssa.widow " <<<"$summary")
contains "$widow_line" "1 excluded by another allowance: not payable" "the summary counts the excluded"
case "$widow_line" in *"2660.00 NPR"*) fail "an excluded allowance counted as payable: $widow_line" ;; esac

# One allowance alone (--scheme) still shows the exclusion; so does the single window.
expect 0 "entitlements --all --scheme np.ssa.widow" -- "$SPFLOOR" entitlements --all \
    --as-of 2025-01-15 --scheme np.ssa.widow --format json
contains "$out" '"excluded_by":"np.ssa.single_woman"' "--all --scheme keeps the exclusion"
case "$out" in *'"scheme":"np.ssa.single_woman"'*) fail "--all --scheme printed another scheme" ;; esac
widow_id=$(python3 -c 'import json,sys; print([r["person"] for r in json.load(sys.stdin)["results"]][0])' <<<"$out")
expect 0 "entitlements (one person)" -- "$SPFLOOR" entitlements "$widow_id" --as-of 2025-01-15 --json
contains "$out" '"scheme":"np.ssa.widow"' "the widow's single window"
contains "$out" '"excluded_by":"np.ssa.single_woman"' "the single window shows the exclusion"

# A recorded choice must name an allowance of the group.
cat >"$work/choice.yaml" <<'EOF'
persons:
  - {id: w, sex: female, country: NP, ssa_allowance_choice: np.ssa.widdow}
EOF
expect 2 "a choice of no allowance" -- "$SPFLOOR" evaluate "$work/choice.yaml" --as-of 2025-01-15
contains "$err" 'choice.yaml:2:61: ssa_allowance_choice: "np.ssa.widdow" is not a scheme of exclusion group np.ssa.allowance' \
    "the bad choice's place"
[ -z "$out" ] || fail "a refused situation printed results: $out"

# Scheme files: a bad default, exclusion group or optional mark names the place.
bad=$work/bad/np
mkdir -p "$bad"
cp "$SPFLOOR_SRC/schemes/np/ssa.params.yaml" "$bad/"
sed 's/^  ssa_allowance_choice: .*/  ssa_allowance_choice: {type: int, description: "x", default: maybe}/' \
    "$SPFLOOR_SRC/schemes/np/ssa_widow.yaml" >"$bad/ssa_widow.yaml"
expect 2 "a default of the wrong type" -- "$SPFLOOR" schemes check "$work/bad"
contains "$err" "ssa_widow.yaml:13:64: " "the bad default's place"
contains "$err" 'default "maybe" is not a value of the fact'"'"'s type' "the bad default's message"
sed 's/^  group: np.ssa.allowance/  group: np.ssa.allowance\n  groop: x/' \
    "$SPFLOOR_SRC/schemes/np/ssa_widow.yaml" >"$bad/ssa_widow.yaml"
expect 2 "an unknown key in exclusive" -- "$SPFLOOR" schemes check "$work/bad"
contains "$err" 'ssa_widow.yaml:16:3: unknown key "groop"' "the unknown key's place"
sed 's/^kind: non_contributory/kind: non_contributory\noptional: true/' \
    "$SPFLOOR_SRC/schemes/np/ssa_widow.yaml" >"$bad/ssa_widow.yaml"
expect 2 "an optional allowance" -- "$SPFLOOR" schemes check "$work/bad"
contains "$err" "ssa_widow.yaml:9:11: only a contributory scheme may be optional" "optional's place"

finish undetermined
