#!/usr/bin/env bash
# `spfloor evaluate`: the DESIGN.md example situations in YAML and JSON give the contract's JSON
# fields; bad input exits 2 naming the place; `schemes list --json` gives the contract's fields.
set -euo pipefail
: "${SPFLOOR:?}" "${SPFLOOR_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data="$SPFLOOR_SRC/tests/data/rules"
fixture="$data/schemes"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Exit code of a command, without tripping set -e.
code() { local rc=0; "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?; echo "$rc"; }

# The senior citizen decision for p1 on 2025-01-15, against a library.
check_senior() {
    local lib=$1 file=$2
    "$SPFLOOR" --schemes "$lib" evaluate "$file" --as-of 2025-01-15 --json >"$tmp/result.json"
    python3 - "$tmp/result.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["as_of"] == "2025-01-15", doc["as_of"]
rows = [r for r in doc["results"] if r["person"] == "p1" and r["scheme"] == "np.ssa.senior_citizen"]
assert len(rows) == 1, rows
r = rows[0]
for key, want in [("country", "NP"), ("branch", "old_age"), ("kind", "non_contributory"),
                  ("eligible", True), ("amount", "4000.00"), ("currency", "NPR"),
                  ("per", "month")]:
    assert r[key] == want, (key, r[key], want)
text = " ".join(r["explanation"])
assert "68" in text and "2022-07-17" in text, r["explanation"]
# every result has the contract's fields; p1 is only evaluated against NP schemes
for r in doc["results"]:
    for key in ("person", "scheme", "country", "branch", "kind", "eligible", "amount",
                "currency", "per", "explanation"):
        assert key in r, (key, r)
    assert isinstance(r["explanation"], list)
    if r["person"] == "p1":
        assert r["country"] == "NP", r
    if not r["eligible"]:
        assert r["amount"] is None, r
EOF
}

check_senior "$fixture" "$data/situations.yaml" || fail "senior citizen decision (YAML, fixture)"
check_senior "$fixture" "$data/situations.json" || fail "senior citizen decision (JSON, fixture)"
"$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" --as-of 2025-01-15 --json >"$tmp/y"
"$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.json" --as-of 2025-01-15 --json >"$tmp/j"
cmp -s "$tmp/y" "$tmp/j" || fail "YAML and JSON situations give different results"

# The shipped library, when it has the senior citizen scheme.
if [ -f "$SPFLOOR_SRC/schemes/np/ssa_senior_citizen.yaml" ]; then
    check_senior "$SPFLOOR_SRC/schemes" "$data/situations.yaml" ||
        fail "senior citizen decision with the shipped library"
fi

# A contributory scheme: the contribution block, clamped to the cap.
cat >"$tmp/ph.yaml" <<'EOF'
persons:
  - {id: e1, country: PH, worker_category: formal_employee, monthly_wage: "40000.00"}
EOF
"$SPFLOOR" --schemes "$fixture" evaluate "$tmp/ph.yaml" --as-of 2025-01-15 --json >"$tmp/ph.json"
python3 - "$tmp/ph.json" <<'EOF' || fail "contribution block"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["kind"] == "contributory" and r["eligible"] is True, r
assert r["contribution"] == {"employee": "1750.00", "employer": "3500.00", "state": "0.00",
                             "total": "5250.00"}, r["contribution"]
EOF

# --explain adds the parameters used; --scheme keeps one scheme.
"$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" --as-of 2025-01-15 --json \
    --explain --scheme np.ssa.senior_citizen >"$tmp/explain.json"
python3 - "$tmp/explain.json" <<'EOF' || fail "--explain / --scheme"
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
assert [r["scheme"] for r in rows] == ["np.ssa.senior_citizen"], rows
assert any("np.ssa.allowance.senior = 4000.00 NPR" in line for line in rows[0]["explanation"]), rows
EOF

# The text table.
"$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" --as-of 2025-01-15 >"$tmp/text"
grep -q '^p1 .*np.ssa.senior_citizen .*yes .*4000.00 NPR' "$tmp/text" || fail "text table"

# Bad input: exit 2, naming the place.
printf 'persons:\n  - {id: p1, sex: mail, country: NP}\n' >"$tmp/bad.yaml"
[ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/bad.yaml" --as-of 2025-01-15)" = 2 ] ||
    fail "bad sex: exit code"
grep -q 'bad.yaml:2:19: sex: "mail" is not allowed' "$tmp/err" || fail "bad sex: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "bad input wrote output"
printf '{"persons": [{"id": "p1", "birth_date": "1954-02-30"}]}' >"$tmp/bad.json"
[ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/bad.json" --as-of 2025-01-15)" = 2 ] ||
    fail "bad JSON date: exit code"
grep -q 'bad.json: /persons/0/birth_date: ' "$tmp/err" || fail "JSON pointer: $(cat "$tmp/err")"
printf 'persons: [\n' >"$tmp/syntax.yaml"
[ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/syntax.yaml" --as-of 2025-01-15)" = 2 ] ||
    fail "YAML syntax error: exit code"
grep -q 'syntax.yaml:2:1: YAML syntax error' "$tmp/err" || fail "syntax: $(cat "$tmp/err")"
[ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" --as-of 2025-01-15 \
    --scheme np.ssa.nope)" = 2 ] || fail "unknown --scheme: exit code"
grep -q 'no scheme has the id "np.ssa.nope"' "$tmp/err" || fail "unknown scheme message"
# A run-time overflow says which operation failed on which values, not only "could not be
# computed", in the failed result's explanation (text and JSON).
mkdir -p "$tmp/ov/np"
cat >"$tmp/ov/np/params.yaml" <<'EOF'
namespace: np.ov
parameters:
  big:
    unit: count
    values:
      2016-07-16: {value: 9223372036854775807, reference: "test"}
EOF
cat >"$tmp/ov/np/ov.yaml" <<'EOF'
id: np.ov.overflow
name: Overflow test
country: NP
branch: old_age
kind: non_contributory
currency: NPR
params: np.ov
valid_from: 2016-07-16
description: a value that overflows
values:
  total: params.big + living_children
eligibility:
  - name: big_enough
    when: total > 5
amount: money("100.00")
per: month
EOF
printf 'persons:\n  - {id: p1, country: NP, living_children: 1}\n' >"$tmp/ov.yaml"
rc=0
"$SPFLOOR" --schemes "$tmp/ov" evaluate "$tmp/ov.yaml" --as-of 2025-01-15 --json \
    >"$tmp/ov.json" 2>"$tmp/ov.err" || rc=$?
[ "$rc" -eq 2 ] || fail "overflow: a failed decision is exit 2, got $rc"
grep -q "1 decision failed" "$tmp/ov.err" || fail "overflow: $(cat "$tmp/ov.err")"
python3 - "$tmp/ov.json" <<'EOF' || fail "overflow: $(cat "$tmp/ov.json")"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["status"] == "failed", r
assert r["explanation"] == ["big_enough: overflow in params.big + living_children: "
                            "9223372036854775807 + 1 does not fit in a 64-bit integer"], r
EOF
"$SPFLOOR" --schemes "$tmp/ov" evaluate "$tmp/ov.yaml" --as-of 2025-01-15 --explain=trace \
    >"$tmp/ov.txt" 2>/dev/null || true
grep -qF 'big_enough: overflow in params.big + living_children: 9223372036854775807 + 1' \
    "$tmp/ov.txt" || fail "overflow (text): $(cat "$tmp/ov.txt")"

# SPFLOOR_TODAY is a testing aid: named in --help, and a command that uses it says so on stderr
# (unless --quiet, or the date is given).
"$SPFLOOR" --help >"$tmp/help"
grep -q '^Environment:' "$tmp/help" || fail "--help has no Environment section"
for var in SPFLOOR_DB SPFLOOR_SCHEMES SPFLOOR_TODAY; do
    grep -q "^  $var " "$tmp/help" || fail "--help does not name $var"
done
grep -qF 'SPFLOOR_TODAY    (testing aid: pretend today is DATE' "$tmp/help" ||
    fail "--help does not call SPFLOOR_TODAY a testing aid"
SPFLOOR_TODAY=2025-01-15 "$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" --json \
    >"$tmp/today.json" 2>"$tmp/err" || fail "SPFLOOR_TODAY: evaluate failed"
grep -qF '"as_of": "2025-01-15"' "$tmp/today.json" || fail "SPFLOOR_TODAY: not used as today"
grep -qxF 'spfloor: note: today is 2025-01-15, as SPFLOOR_TODAY says (a testing aid), not the system clock'"'"'s date' \
    "$tmp/err" || fail "SPFLOOR_TODAY: no note on stderr: $(cat "$tmp/err")"
SPFLOOR_TODAY=2025-01-15 "$SPFLOOR" --quiet --schemes "$fixture" evaluate "$data/situations.yaml" \
    >/dev/null 2>"$tmp/err" || fail "SPFLOOR_TODAY --quiet: evaluate failed"
[ -s "$tmp/err" ] && fail "SPFLOOR_TODAY --quiet: stderr: $(cat "$tmp/err")"
SPFLOOR_TODAY=2025-01-15 "$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" \
    --as-of 2025-01-15 >/dev/null 2>"$tmp/err" || fail "SPFLOOR_TODAY --as-of: evaluate failed"
[ -s "$tmp/err" ] && fail "SPFLOOR_TODAY with --as-of: stderr: $(cat "$tmp/err")"
env -u SPFLOOR_TODAY "$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" \
    >/dev/null 2>"$tmp/err" || fail "no SPFLOOR_TODAY: evaluate failed"
[ -s "$tmp/err" ] && fail "no SPFLOOR_TODAY: stderr: $(cat "$tmp/err")"

# A binary file (NUL bytes) is not a situations file: said so, with the place.
printf 'persons:\n  - {id: p1, sex: fe\0male, country: NP}\n' >"$tmp/nul.yaml"
printf '{"persons": [{"id": "p1\0"}]}' >"$tmp/nul.json"
for f in nul.yaml nul.json; do
    [ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/$f" --as-of 2025-01-15)" = 2 ] ||
        fail "$f: exit code"
done
grep -qF 'nul.json:1:24: byte offset 23 is a NUL byte: this is not a JSON text file' "$tmp/err" ||
    fail "nul.json: $(cat "$tmp/err")"
"$SPFLOOR" --schemes "$fixture" evaluate "$tmp/nul.yaml" --as-of 2025-01-15 2>"$tmp/err" &&
    fail "nul.yaml: accepted"
grep -qF 'nul.yaml:2:21: byte offset 29 is a NUL byte: this is not a YAML text file' "$tmp/err" ||
    fail "nul.yaml: $(cat "$tmp/err")"

# An amount that is never negative refuses "-0.00" as it refuses "-5".
for wage in '"-5.00"' '"-0.00"' '"-0"'; do
    printf 'persons:\n  - {id: e1, country: PH}\ncontributions:\n  - {person: e1, scheme: %s, month: 2024-12, wage: %s}\n' \
        ph.sss.contributions "$wage" >"$tmp/neg.yaml"
    [ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/neg.yaml" --as-of 2025-01-15)" = 2 ] ||
        fail "contribution wage $wage: exit code"
    grep -qF "neg.yaml:4:70: wage: $wage is negative: write the amount without a sign" "$tmp/err" ||
        fail "contribution wage $wage: $(cat "$tmp/err")"
    printf 'persons:\n  - {id: p1, country: NP, monthly_wage: %s}\n' "$wage" >"$tmp/neg.yaml"
    [ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/neg.yaml" --as-of 2025-01-15)" = 2 ] ||
        fail "monthly_wage $wage: exit code"
    grep -qF "monthly_wage: $wage is negative" "$tmp/err" || fail "monthly_wage $wage: $(cat "$tmp/err")"
done
[ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/missing.yaml")" = 2 ] ||
    fail "missing file: exit code"
[ "$(code "$SPFLOOR" --schemes "$fixture" evaluate "$data/situations.yaml" --as-of 15/01/2025)" \
    = 1 ] || fail "bad --as-of is a usage error"
[ "$(code "$SPFLOOR" --schemes "$fixture" evaluate)" = 1 ] || fail "no file is a usage error"

# schemes list --json: exactly the contract's fields.
"$SPFLOOR" --schemes "$fixture" schemes list --json --country np >"$tmp/list.json"
python3 - "$tmp/list.json" <<'EOF' || fail "schemes list --json"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["id"] for r in rows] == ["np.ssa.karnali_senior", "np.ssa.senior_citizen",
                                   "np.ssa.single_woman"], rows
for r in rows:
    assert sorted(r) == sorted(["id", "name", "country", "branch", "kind", "currency", "per"]), r
    assert r["country"] == "NP" and r["currency"] == "NPR" and r["per"] == "month", r
EOF
echo "evaluate: ok"
