#!/usr/bin/env bash
# The rules engine's limits (docs/expressions.md "Limits"): a rule too costly for a large
# household, and eight nested list macros, make those decisions `failed` with a reason naming
# the limit; every other decision of the run is made and printed, and `evaluate` and
# `entitlements` exit 2 saying how many failed.
set -euo pipefail
: "${SPFLOOR:?}" "${SPFLOOR_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
limits="$SPFLOOR_SRC/tests/data/rules/limits"
fail() { echo "FAIL: $*" >&2; exit 1; }
code() { local rc=0; "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?; echo "$rc"; }

# A household of 1,500 (b0 a senior), one of 3, one of 12 of whom 2 live in Nepal (the others
# are not decided by Nepal's schemes, but are members), and a senior alone, last.
python3 - "$tmp/situation.yaml" <<'EOF'
import sys
rows = ["persons:"]
for k in range(1500):
    rows.append("  - {id: b%d, birth_date: %d-%02d-01, country: NP, household: many}"
                % (k, 1950 + k % 70, 1 + k % 12))
for k in range(3):
    rows.append("  - {id: s%d, birth_date: %d-01-01, country: NP, household: few}" % (k, 1950 + 20 * k))
for k in range(12):
    rows.append("  - {id: d%d, birth_date: %d-01-01, country: %s, household: dozen}"
                % (k, 1960 + k, "NP" if k < 2 else "PH"))
rows.append("  - {id: alone, birth_date: 1950-01-01, country: NP}")
rows.append("households:\n  - {id: many}\n  - {id: few}\n  - {id: dozen}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
EOF

[ "$(code "$SPFLOOR" --schemes "$limits" evaluate "$tmp/situation.yaml" --as-of 2025-01-15 \
    --json)" = 2 ] || fail "evaluate: exit code is not 2: $(cat "$tmp/err")"
grep -qx 'spfloor: 3002 decisions failed: see the reason in each result' "$tmp/err" ||
    fail "evaluate: message: $(cat "$tmp/err")"
python3 - "$tmp/out" <<'EOF' || fail "evaluate: results"
import json, sys
results = json.load(open(sys.argv[1]))["results"]  # the whole document, closed
got = {(r["person"], r["scheme"]): r for r in results}
stop = ("stopped after 10,000,000 evaluation steps: the rule is too costly for this household "
        "(limit: docs/expressions.md#limits)")
for k in range(1500):
    r = got[("b%d" % k, "np.limits.costly")]
    assert r["status"] == "failed" and r["eligible"] is False and r["amount"] is None, r
    assert r["explanation"] == ["ages_add_up: " + stop], r
for person in ("s0", "s1", "s2", "alone"):  # the same rule over a small household
    assert got[(person, "np.limits.costly")]["status"] == "not_eligible", person
for person in ("d0", "d1"):  # eight nested macros over 12 persons
    r = got[(person, "np.limits.deep")]
    assert r["status"] == "failed", r
    assert len(r["explanation"]) == 1 and r["explanation"][0].startswith("eight_ages: stopped"), r
    assert r["explanation"][0].endswith("(limit: docs/expressions.md#limits)"), r
assert ("d2", "np.limits.deep") not in got  # not of Nepal
assert got[("s0", "np.limits.deep")]["status"] == "not_eligible"
# the cheap rule, in the same run, for the same households and after them
senior = got[("b0", "np.limits.senior")]
assert senior["status"] == "eligible" and senior["amount"] == "1000.00", senior
assert got[("b1499", "np.limits.senior")]["status"] == "not_eligible"
assert got[("alone", "np.limits.senior")]["amount"] == "1000.00"
assert results[-1]["person"] == "alone", results[-1]
# and the eight nested macros over the large household fail as well
assert got[("b9", "np.limits.deep")]["status"] == "failed"
assert sum(r["status"] == "failed" for r in results) == 3002
EOF

# The text table: every row, the failed ones say so.
[ "$(code "$SPFLOOR" --schemes "$limits" evaluate "$tmp/situation.yaml" --as-of 2025-01-15 \
    --scheme np.limits.costly)" = 2 ] || fail "text: exit code is not 2"
grep -q '^b7 .*np.limits.costly .*no .*failed$' "$tmp/out" || fail "text: b7 row"
grep -q '^alone .*np.limits.costly .*no .*not_eligible$' "$tmp/out" || fail "text: last row"

# No failed decision: exit 0.
[ "$(code "$SPFLOOR" --schemes "$limits" evaluate "$tmp/situation.yaml" --as-of 2025-01-15 \
    --scheme np.limits.senior)" = 0 ] || fail "senior only: $(cat "$tmp/err")"

# entitlements: the same engine over a household read from the registry.
python3 - "$tmp/persons.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("given_name,family_name,sex,birth_date,country,admin2,household,relationship\n")
    for k in range(1500):
        f.write("G%d,Thapa,%s,%d-%02d-01,NP,Jumla,many,%s\n"
                % (k, "male" if k % 2 else "female", 1950 + k % 70, 1 + k % 12,
                   "head" if k == 0 else "other"))
EOF
db="$tmp/registry.db"
"$SPFLOOR" --quiet --db "$db" init >/dev/null
"$SPFLOOR" --quiet --db "$db" import persons "$tmp/persons.csv" >/dev/null
id=$("$SPFLOOR" --db "$db" find G0 --country NP | awk '$2 == "G0" { print $1; exit }')
[ -n "$id" ] || fail "entitlements: no id for G0: $("$SPFLOOR" --db "$db" find G0 --country NP)"
[ "$(code "$SPFLOOR" --db "$db" --schemes "$limits" entitlements "$id" --as-of 2025-01-15 \
    --json)" = 2 ] || fail "entitlements: exit code is not 2: $(cat "$tmp/err")"
grep -qx 'spfloor: 2 decisions failed: see the reason in each result' "$tmp/err" ||
    fail "entitlements: message: $(cat "$tmp/err")"
python3 - "$tmp/out" <<'EOF' || fail "entitlements: results"
import json, sys
got = {r["scheme"]: r for r in json.load(open(sys.argv[1]))["results"]}
r = got["np.limits.costly"]
assert r["status"] == "failed", r
assert r["explanation"][0].startswith("ages_add_up: stopped after 10,000,000 evaluation steps"), r
assert got["np.limits.senior"]["status"] == "eligible", got["np.limits.senior"]
assert got["np.limits.deep"]["status"] == "failed", got["np.limits.deep"]
EOF
echo "limits: ok"
