#!/usr/bin/env bash
# `spfloor entitlements`: a registered person's decisions for every scheme of their country,
# the same JSON as `spfloor evaluate`; an unknown id exits 2.
set -euo pipefail
: "${SPFLOOR:?}" "${SPFLOOR_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
sp() { "$SPFLOOR" --db "$tmp/registry.db" --schemes "$SPFLOOR_SRC/tests/data/rules/schemes" "$@"; }

sp init >/dev/null
id=$(sp person add --given-name Ram --family-name Thapa --sex male --birth-date 1954-06-01 \
    --country NP --admin2 Jumla --household h9 --relationship head)
sp person add --given-name Sita --family-name Thapa --sex female --birth-date 1960-01-01 \
    --country NP --admin2 Jumla --household h9 --relationship spouse \
    --marital-status widowed >"$tmp/sita"
sita=$(cat "$tmp/sita")

sp entitlements "$id" --as-of 2025-01-15 --json >"$tmp/ram.json"
sp entitlements "$sita" --as-of 2025-01-15 --json >"$tmp/sita.json"
python3 - "$tmp/ram.json" "$tmp/sita.json" "$id" <<'EOF' || fail "entitlements JSON"
import json, sys
ram, sita, ram_id = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
assert ram["as_of"] == "2025-01-15" and ram["person"] == ram_id, ram
by_scheme = {r["scheme"]: r for r in ram["results"]}
assert sorted(by_scheme) == ["np.ssa.karnali_senior", "np.ssa.senior_citizen",
                             "np.ssa.single_woman"], by_scheme
senior = by_scheme["np.ssa.senior_citizen"]
assert senior["eligible"] is True and senior["amount"] == "4000.00", senior
assert senior["person"] == ram_id and senior["per"] == "month", senior
assert any("2022-07-17" in line for line in senior["explanation"]), senior
assert by_scheme["np.ssa.karnali_senior"]["status"] == "parameter_not_set"
woman = {r["scheme"]: r for r in sita["results"]}["np.ssa.single_woman"]
assert woman["eligible"] is True and woman["amount"] == "2660.00", woman
EOF

sp entitlements "$id" --as-of 2025-01-15 >"$tmp/text"
grep -q "^$id .*np.ssa.senior_citizen .*yes .*4000.00 NPR" "$tmp/text" || fail "text table"
rc=0
sp entitlements 000000000000 --as-of 2025-01-15 >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "unknown person: exit $rc"
grep -q 'no person with ID 000000000000 is registered' "$tmp/err" || fail "unknown person message"
rc=0
sp entitlements >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "no id is a usage error (exit $rc)"
echo "entitlements: ok"
