#!/usr/bin/env bash
# output_lost: output that does not reach the user is a failure. With standard output on
# /dev/full (a full disk), every command that prints exits 4 with "writing the output: No
# space left on device", not 0. And `evaluate --json` never leaves half a JSON document: when
# memory runs out part way through, standard output is empty or the whole, valid document.
set -euo pipefail
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"
: "${SPFLOOR_FAILMALLOC:?set SPFLOOR_FAILMALLOC to the failmalloc shim (libfailmalloc.so)}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SPFLOOR_TODAY=2025-01-15
db=$tmp/registry.db
fixture=$SPFLOOR_SRC/tests/data/rules/schemes
situations=$SPFLOOR_SRC/tests/data/rules/situations.yaml
source "$(dirname "$0")/../support/cli.bash"


# --- standard output on a full disk ---------------------------------------------------------
if [ ! -w /dev/full ]; then
    echo "output_lost: no /dev/full here: skipping the full standard output cases" >&2
else
    # lost DESCRIPTION CMD...: CMD with stdout on /dev/full exits 4 and says why.
    lost() {
        local what=$1 rc=0
        shift
        "$@" >/dev/full 2>"$tmp/err" || rc=$?
        [ "$rc" -eq 4 ] || fail "$what with stdout on /dev/full: exit $rc, expected 4"
        grep -qF "spfloor: writing the output: No space left on device" "$tmp/err" ||
            fail "$what with stdout on /dev/full: the message does not say why: $(cat "$tmp/err")"
    }
    "$SPFLOOR" --quiet --db "$db" init >/dev/null || fail "init $db"
    lost "import" "$SPFLOOR" --db "$db" import persons \
        "$SPFLOOR_SRC/tests/data/import/persons_good.csv"
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM persons;')" = 6 ] ||
        fail "import with stdout on /dev/full: the persons were not imported"
    sita=$(sqlite3 "$db" "SELECT id FROM persons WHERE national_id = 'NP-1001';")
    lost "import again" "$SPFLOOR" --db "$db" import persons \
        "$SPFLOOR_SRC/tests/data/import/persons_good.csv"
    lost "evaluate" "$SPFLOOR" --schemes "$fixture" evaluate "$situations" --as-of 2025-01-15
    lost "evaluate --json" "$SPFLOOR" --schemes "$fixture" evaluate "$situations" --json
    lost "evaluate --explain" "$SPFLOOR" --schemes "$fixture" evaluate "$situations" --explain
    lost "schemes list" "$SPFLOOR" --schemes "$fixture" schemes list
    lost "schemes list --json" "$SPFLOOR" --schemes "$fixture" schemes list --json
    lost "find" "$SPFLOOR" --db "$db" find Sita
    lost "find --json" "$SPFLOOR" --db "$db" find Sita --json
    lost "person show" "$SPFLOOR" --db "$db" person show "$sita"
    lost "entitlements" "$SPFLOOR" --schemes "$fixture" --db "$db" entitlements "$sita"
    lost "entitlements --json" "$SPFLOOR" --schemes "$fixture" --db "$db" entitlements "$sita" \
        --json
    lost "card" "$SPFLOOR" --db "$db" card "$sita"
    lost "--help" "$SPFLOOR" --help
fi

# --- evaluate --json when memory runs out part way ------------------------------------------
# Thirty persons, so that results are printed long before the last decision is made.
{
    echo "persons:"
    for i in $(seq 1 30); do
        sex=male
        [ $((i % 2)) -eq 0 ] && sex=female
        status=married
        [ $((i % 3)) -eq 0 ] && status=widowed
        echo "  - {id: q$i, sex: $sex, birth_date: $((1940 + i))-03-0$((i % 9 + 1)), country: NP," \
            "admin1: Karnali, admin2: Jumla, marital_status: $status}"
    done
} >"$tmp/many.yaml"
evaluate_json() {
    "$SPFLOOR" --schemes "$fixture" evaluate "$tmp/many.yaml" --as-of 2025-01-15 --json
}
evaluate_json >"$tmp/whole.json"
python3 -m json.tool "$tmp/whole.json" >/dev/null || fail "evaluate --json: not valid JSON"
[ "$(grep -c '"person":"q' "$tmp/whole.json")" -ge 30 ] || fail "evaluate --json: results missing"

rm -f "$tmp/count"
FAILMALLOC_COUNT=$tmp/count LD_PRELOAD=$SPFLOOR_FAILMALLOC \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    evaluate_json >/dev/null 2>&1 || true
total=$(cat "$tmp/count" 2>/dev/null || echo 0)
if [ "$total" -eq 0 ]; then
    # ASan's allocator comes first and the shim never sees an allocation
    echo "output_lost: memory failures cannot be injected in this build (ASan?):" \
        "skipping evaluate --json out of memory" >&2
else
    runs=0
    failed=0
    for i in $(seq 1 80); do
        after=$((total * i / 81))
        rc=0
        FAILMALLOC_AFTER=$after LD_PRELOAD=$SPFLOOR_FAILMALLOC evaluate_json \
            >"$tmp/part.json" 2>"$tmp/err" || rc=$?
        runs=$((runs + 1))
        [ "$rc" -eq 0 ] || failed=$((failed + 1))
        [ "$rc" -lt 128 ] || fail "evaluate --json, memory gone after $after allocations: crashed ($rc)"
        if [ "$rc" -eq 0 ] || [ -s "$tmp/part.json" ]; then
            cmp -s "$tmp/part.json" "$tmp/whole.json" ||
                fail "evaluate --json, memory gone after $after of $total allocations: exit $rc" \
                    "and $(wc -c <"$tmp/part.json") bytes of output that are not the document"
        fi
        if [ "$rc" -ne 0 ]; then
            grep -qF "out of memory" "$tmp/err" ||
                fail "evaluate --json, memory gone after $after allocations: $(cat "$tmp/err")"
        fi
    done
    [ "$failed" -gt 0 ] || fail "evaluate --json: no run ran out of memory ($runs runs)"
fi

finish output_lost
