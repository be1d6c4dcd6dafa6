#!/usr/bin/env bash
# The shipped scheme library: every file loads, every test case passes, and every country of
# shared/reference/scheme-rules.md has schemes with the fields `schemes list --json` promises.
set -euo pipefail
: "${SPFLOOR:?}" "${SPFLOOR_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

rc=0
"$SPFLOOR" schemes check "$SPFLOOR_SRC/schemes" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 0 ] || fail "schemes check exited $rc: $(tail -n 20 "$tmp/out" "$tmp/err")"
summary=$(tail -n 1 "$tmp/out")
[[ "$summary" =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] || fail "summary: $summary"
[ "${BASH_REMATCH[1]}" -ge 200 ] || fail "only ${BASH_REMATCH[1]} test cases ran"

"$SPFLOOR" --schemes "$SPFLOOR_SRC/schemes" schemes list --json >"$tmp/list.json"
python3 - "$tmp/list.json" <<'PY' || fail "schemes list --json"
import json, sys
schemes = json.load(open(sys.argv[1]))
fields = {"id", "name", "country", "branch", "kind", "currency", "per"}
branches = {"medical_care", "sickness", "unemployment", "old_age", "employment_injury",
            "family", "maternity", "invalidity", "survivors", "general_assistance"}
for s in schemes:
    assert fields <= set(s), f"{s.get('id')}: missing {fields - set(s)}"
    assert s["branch"] in branches, f"{s['id']}: branch {s['branch']}"
    assert s["kind"] in ("contributory", "non_contributory"), s["id"]
countries = {s["country"] for s in schemes}
want = {"NP", "KH", "PH", "BD", "ID", "IN", "PK", "MN"}
assert want <= countries, f"no schemes for {want - countries}"
PY
"$SPFLOOR" --schemes "$SPFLOOR_SRC/schemes" schemes list --country KH --json >"$tmp/kh.json"
python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); assert l and all(s["country"]=="KH" for s in l)' \
    "$tmp/kh.json" || fail "--country KH lists only Cambodian schemes"
# a country the library does not cover, or no country at all, is said so (exit 2), not an empty list
rc=0
"$SPFLOOR" --schemes "$SPFLOOR_SRC/schemes" schemes list --country XX >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] && grep -qF "not an ISO 3166-1 country code" "$tmp/err" ||
    fail "--country XX: exit $rc: $(cat "$tmp/err")"
rc=0
"$SPFLOOR" --schemes "$SPFLOOR_SRC/schemes" schemes list --country US >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] && grep -qF "no scheme for US; it has BD, ID, IN, KH, MN, NP, PH, PK" "$tmp/err" ||
    fail "--country US: exit $rc: $(cat "$tmp/err")"
echo "scheme library: $summary"
