#!/usr/bin/env bash
# `spfloor schemes check`: a good library passes its cases; every broken library in
# tests/data/bad-schemes exits 2 naming file:line:col; a failing case exits 2 with the case,
# what was expected, what came out and why.
set -euo pipefail
: "${SPFLOOR:?}" "${SPFLOOR_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fixture="$SPFLOOR_SRC/tests/data/rules/schemes"
fail() { echo "FAIL: $*" >&2; exit 1; }
code() { local rc=0; "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?; echo "$rc"; }

[ "$(code "$SPFLOOR" schemes check "$fixture")" = 0 ] || fail "fixture: $(cat "$tmp/out" "$tmp/err")"
tail -n 1 "$tmp/out" | grep -qx '8 passed, 0 failed' || fail "summary: $(tail -n 1 "$tmp/out")"

for dir in "$SPFLOOR_SRC"/tests/data/bad-schemes/*/; do
    name=$(basename "$dir")
    [ "$(code "$SPFLOOR" schemes check "$dir")" = 2 ] || fail "$name: exit code is not 2"
    grep -qE '^spfloor: [^ ]+\.yaml:[0-9]+:[0-9]+: ' "$tmp/err" ||
        fail "$name: no file:line:col in: $(cat "$tmp/err")"
done

# A wrong expectation fails the case, and says what and why.
cp -r "$fixture" "$tmp/lib"
sed -i 's/amount: "2660.00"/amount: "2000.00"/' "$tmp/lib/np/tests/ssa.yaml"
[ "$(code "$SPFLOOR" schemes check "$tmp/lib")" = 2 ] || fail "a failing case exits 2"
grep -q '^FAIL .*/np/tests/ssa.yaml:[0-9]*: a single woman of 60 receives 2,660 a month' \
    "$tmp/out" || fail "failing case name: $(cat "$tmp/out")"
grep -q 'amount: expected 2000.00, got 2660.00' "$tmp/out" || fail "expected/got"
grep -q 'np.ssa.single_woman_age 60' "$tmp/out" || fail "explanation of the failing case"
tail -n 1 "$tmp/out" | grep -qx '7 passed, 1 failed' || fail "summary with a failure"

# --schemes is where list and the default check look.
[ "$(code "$SPFLOOR" --schemes "$fixture" schemes check)" = 0 ] || fail "default folder"
[ "$(code "$SPFLOOR" --schemes "$tmp/nowhere" schemes list)" = 2 ] || fail "missing library"
[ "$(code "$SPFLOOR" schemes frobnicate)" = 1 ] || fail "unknown subcommand is usage"
"$SPFLOOR" --schemes "$fixture" schemes list >"$tmp/list"
grep -q '^ph.sss.contributions .*PH .*contributory .*PHP' "$tmp/list" || fail "text list"
echo "schemes: ok"
