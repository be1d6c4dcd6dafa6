#!/bin/bash
# overlay.sh: an operator fills in what the sources do not confirm, and a reform changes a
# value, without editing the shipped library (docs/overlays.md).
#   - An overlay fills Nepal's child-grant districts (NOT CONFIRMED, unset in the library):
#     `schemes check --overlay` still passes, and runs the overlay's own case too; a child in
#     Humla goes from parameter_not_set to eligible, and the explanation names the overlay.
#   - A bad overlay exits 2 naming file:line:col: an unknown parameter, a wrong unit, a value
#     not keyed by a date; a failing case of the overlay's own fails the check.
#   - Two overlays in order: the later wins; an overlay dated after the decision changes nothing.
#   - A rule changes a condition and the amount from a date; the reason names the overlay.
#   - On a registry, `overlay set` stores a default overlay (checked first), `entitlements`
#     lays it, then --overlay over it; `overlay clear` goes back to the library as shipped.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_TODAY=2025-01-15
source "$(dirname "$0")/../support/cli.bash"

cat >"$work/districts.yaml" <<'EOF'
id: np.karnali_child_grant
title: Child grant districts, as the district office lists them
reference: "District office circular of 2025-01-02"
parameters:
  np.ssa.child_grant_districts:
    values:
      2016-07-16: {value: [Humla, Jumla, Kalikot, Mugu, Dolpa], reference: "Karnali zone, 2016"}
tests:
  - name: a non-Dalit child in Humla receives the child grant once the districts are filled
    as_of: 2025-01-15
    input:
      persons:
        - {id: c1, sex: female, birth_date: 2022-10-01, country: NP, admin2: Humla}
    output:
      - {person: c1, scheme: np.ssa.child_grant, eligible: true, amount: "532.00"}
EOF
cat >"$work/child.yaml" <<'EOF'
persons:
  - {id: c1, sex: female, birth_date: 2022-10-01, country: NP, admin2: Humla}
  - {id: c2, sex: male, birth_date: 2022-10-01, country: NP, admin2: Kaski}
EOF

# The library alone, then with the districts filled: every case passes, the overlay's own too.
expect 0 "schemes check" -- "$SPFLOOR" schemes check
base_cases=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) test cases in.*/\1/p')
expect 0 "schemes check --overlay districts" -- "$SPFLOOR" schemes check --overlay "$work/districts.yaml"
contains "$out" "overlay np.karnali_child_grant" "check names the overlay"
contains "$out" "$((base_cases + 1)) passed, 0 failed" "the overlay's own case runs"

# A case of the overlay that does not hold fails the check.
sed 's/amount: "532.00"/amount: "999.00"/' "$work/districts.yaml" >"$work/wrong_case.yaml"
expect 2 "an overlay case that fails" -- "$SPFLOOR" schemes check --overlay "$work/wrong_case.yaml"
contains "$out" "amount: expected 999.00, got 532.00" "the failing overlay case"

# Bad overlays: exit 2 with file:line:col, and nothing decided.
bad() { # bad NAME LINE:COL MESSAGE: writes $work/NAME.yaml from stdin and checks evaluate
    cat >"$work/$1.yaml"
    expect 2 "overlay $1" -- "$SPFLOOR" evaluate "$work/child.yaml" --overlay "$work/$1.yaml"
    contains "$err" "$work/$1.yaml:$2: $3" "overlay $1 names where"
    [ -z "$out" ] || fail "overlay $1 printed results: $out"
}
bad unknown_path 5:3 'unknown parameter "np.ssa.child_grant_district"' <<'EOF'
id: typo
title: A misspelt parameter
reference: "test"
parameters:
  np.ssa.child_grant_district:
    values:
      2016-07-16: {value: [Humla], reference: "x"}
EOF
bad wrong_unit 6:11 "parameter np.ssa.senior_age is in years, not months" <<'EOF'
id: months
title: An age in the wrong unit
reference: "test"
parameters:
  np.ssa.senior_age:
    unit: months
    values:
      2024-07-16: {value: 780, reference: "x"}
EOF
bad undated 8:7 'parameter np.ssa.senior_age: "from_now" is not a date' <<'EOF'
id: undated
title: A value without a date
reference: "test"
parameters:
  np.ssa.senior_age:
    unit: years
    values:
      from_now: {value: 65, reference: "x"}
EOF
bad no_reference 8:19 "parameter np.ssa.senior_age: the value on 2024-07-16 needs a reference" <<'EOF'
id: unsourced
title: A value without its reference
reference: "test"
parameters:
  np.ssa.senior_age:
    unit: years
    values:
      2024-07-16: {value: 65}
EOF

# evaluate: unset without the overlay, eligible with it, and the reason names the overlay.
expect 0 "evaluate, shipped" -- "$SPFLOOR" evaluate "$work/child.yaml" --scheme np.ssa.child_grant --json
contains "$out" '"person":"c1","scheme":"np.ssa.child_grant"' "c1 decided"
printf '%s\n' "$out" | grep -q '"person":"c1".*"status":"parameter_not_set"' ||
    fail "shipped: c1 should wait for the districts: $out"
expect 0 "evaluate --overlay" -- "$SPFLOOR" evaluate "$work/child.yaml" --scheme np.ssa.child_grant \
    --json --overlay "$work/districts.yaml"
printf '%s\n' "$out" | grep -q '"person":"c1".*"status":"eligible".*overlay np.karnali_child_grant: Karnali zone, 2016' ||
    fail "overlaid: c1 eligible, naming the overlay: $out"
printf '%s\n' "$out" | grep -q '"person":"c2".*"status":"not_eligible"' ||
    fail "overlaid: Kaski is not on the list: $out"

# Two reforms of the senior age: the later overlay wins from its date; one dated after the
# decision changes nothing.
reform() { # reform NAME AGE FROM
    cat >"$work/$1.yaml" <<EOF
id: reform.$1
title: Senior allowance from $2
reference: "Proposal $1"
parameters:
  np.ssa.senior_age:
    unit: years
    values:
      $3: {value: $2, reference: "proposal $1 (age $2)"}
EOF
}
reform age65 65 2024-07-16
reform age67 67 2024-07-16
reform later 60 2025-07-16
cat >"$work/senior.yaml" <<'EOF'
persons:
  - {id: s66, sex: male, birth_date: 1958-06-01, country: NP, admin2: Kaski}
EOF
senior() { # senior STATUS WHY DESCRIPTION -- OVERLAY ARGS...
    local status=$1 why=$2 what=$3
    shift 4
    expect 0 "$what" -- "$SPFLOOR" evaluate "$work/senior.yaml" --scheme np.ssa.senior_citizen \
        --json "$@"
    printf '%s\n' "$out" | grep -q "\"scheme\":\"np.ssa.senior_citizen\".*\"status\":\"$status\"" ||
        fail "$what: expected $status: $out"
    contains "$out" "$why" "$what: the reason"
}
senior not_eligible "np.ssa.senior_age 68 (since 2022-07-17: FY 2079/80" "shipped" --
senior eligible "age 66 >= np.ssa.senior_age 65 (since 2024-07-16: overlay reform.age65: proposal age65" \
    "one reform" -- --overlay "$work/age65.yaml"
senior not_eligible "np.ssa.senior_age 67 (since 2024-07-16: overlay reform.age67" "65 then 67" -- \
    --overlay "$work/age65.yaml" --overlay "$work/age67.yaml"
senior eligible "overlay reform.age65" "67 then 65" -- \
    --overlay "$work/age67.yaml" --overlay "$work/age65.yaml"
senior not_eligible "np.ssa.senior_age 68 (since 2022-07-17: FY 2079/80" "a reform not yet in force" -- \
    --overlay "$work/later.yaml"

# A rule: the senior allowance's age condition and amount change from a date, and the reason
# says so; a rule naming a condition the scheme lacks exits 2 naming where.
cat >"$work/rule.yaml" <<'EOF'
id: reform.senior65
title: Senior allowance from 65, doubled
reference: "Proposal X"
rules:
  - scheme: np.ssa.senior_citizen
    condition: senior_age
    when: "age >= 65"
    from: 2024-07-16
    reference: "Proposal X, clause 1"
  - scheme: np.ssa.senior_citizen
    amount: params.allowance.senior * 2
    from: 2024-07-16
    reference: "Proposal X, clause 2"
EOF
expect 0 "evaluate with a rule" -- "$SPFLOOR" evaluate "$work/senior.yaml" --json \
    --scheme np.ssa.senior_citizen --overlay "$work/rule.yaml"
printf '%s\n' "$out" | grep -q '"status":"eligible".*"amount":"8000.00"\|"amount":"8000.00".*"status":"eligible"' ||
    fail "the rule makes s66 eligible for twice the amount: $out"
contains "$out" "senior_age: changed by overlay reform.senior65 (since 2024-07-16: Proposal X, clause 1): age >= 65" \
    "the rule's reason"
expect 0 "evaluate before the rule" -- "$SPFLOOR" evaluate "$work/senior.yaml" --json \
    --scheme np.ssa.senior_citizen --overlay "$work/rule.yaml" --as-of 2024-07-15
contains "$out" '"status":"not_eligible"' "before its date the rule changes nothing"
sed 's/condition: senior_age/condition: senior_agee/' "$work/rule.yaml" >"$work/bad_rule.yaml"
expect 2 "a rule on a condition that does not exist" -- "$SPFLOOR" evaluate "$work/senior.yaml" \
    --overlay "$work/bad_rule.yaml"
contains "$err" "$work/bad_rule.yaml:6:16: scheme np.ssa.senior_citizen has no condition \"senior_agee\"" \
    "the bad rule names where"

# A registry: `overlay set` stores the default overlay, checked first; `entitlements` lays it.
expect 0 "init" -- "$SPFLOOR" init
expect 0 "person add" -- "$SPFLOOR" person add --given-name Maya --family-name Rokaya --sex female \
    --birth-date 2022-10-01 --country NP --admin2 Humla
id=$out
expect 0 "entitlements, shipped" -- "$SPFLOOR" entitlements "$id" --json
printf '%s\n' "$out" | grep -q '"scheme":"np.ssa.child_grant".*"status":"parameter_not_set"' ||
    fail "registry, shipped: the child grant waits for the districts: $out"
expect 2 "overlay show, none set" -- "$SPFLOOR" overlay show
contains "$err" "has no default overlay" "overlay show, none set"
expect 2 "overlay set, a bad file" -- "$SPFLOOR" overlay set "$work/undated.yaml"
contains "$err" "$work/undated.yaml:8:7: parameter np.ssa.senior_age" "overlay set names where"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$work/huge.yaml" # one byte over the most kept
expect 2 "overlay set, a file over 1 MiB" -- "$SPFLOOR" overlay set "$work/huge.yaml"
contains "$err" "huge.yaml: too big: more than 1048576 bytes" "overlay set, the limit"
expect 2 "overlay show, still none" -- "$SPFLOOR" overlay show
expect 0 "overlay set" -- "$SPFLOOR" overlay set "$work/districts.yaml"
contains "$out" "default overlay: np.karnali_child_grant" "overlay set says which"
expect 0 "overlay show" -- "$SPFLOOR" overlay show
[ "$out" = "$(cat "$work/districts.yaml")" ] || fail "overlay show gives back the file: $out"
expect 2 "a default overlay the library no longer fits" -- "$SPFLOOR" \
    --schemes "$SPFLOOR_SRC/tests/data/rules/schemes" entitlements "$id"
contains "$err" "the registry's default overlay:5:3: unknown parameter \"np.ssa.child_grant_districts\"" \
    "a default overlay that no longer fits is named, not skipped"
expect 0 "entitlements, default overlay" -- "$SPFLOOR" entitlements "$id" --json
printf '%s\n' "$out" | grep -q '"scheme":"np.ssa.child_grant".*"status":"eligible".*overlay np.karnali_child_grant' ||
    fail "registry, default overlay: eligible, naming it: $out"
expect 0 "entitlements --all, default overlay" -- "$SPFLOOR" --quiet entitlements --all \
    --format json --scheme np.ssa.child_grant
contains "$out" '"status":"eligible"' "--all lays the default overlay"
# --overlay comes after the default one, and wins over it from its dates on.
cat >"$work/no_humla.yaml" <<'EOF'
id: np.no_humla
title: Humla taken off the list
reference: "test"
parameters:
  np.ssa.child_grant_districts:
    values:
      2024-07-16: {value: [Jumla], reference: "list of 2024-07-16"}
EOF
expect 0 "entitlements, default then --overlay" -- "$SPFLOOR" entitlements "$id" --json \
    --overlay "$work/no_humla.yaml"
printf '%s\n' "$out" | grep -q '"scheme":"np.ssa.child_grant".*"status":"not_eligible".*overlay np.no_humla' ||
    fail "--overlay wins over the default overlay: $out"
expect 0 "overlay clear" -- "$SPFLOOR" overlay clear
expect 0 "entitlements, cleared" -- "$SPFLOOR" entitlements "$id" --json
printf '%s\n' "$out" | grep -q '"scheme":"np.ssa.child_grant".*"status":"parameter_not_set"' ||
    fail "registry, cleared: as shipped again: $out"

finish overlay
