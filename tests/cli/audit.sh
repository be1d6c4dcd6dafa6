#!/bin/bash
# audit.sh: the audit log (docs/audit.md) on a registry in an SQLite file, or on PostgreSQL
# when SPFLOOR_AUDIT_DB is given (postgres_audit.sh; then SQL goes through psql).
#   - init makes the key beside a database file, readable by its owner only.
#   - Every write appends an entry in its transaction: an import (one entry for its persons),
#     a person added, corrected, marked deceased, enrolled, the default overlay set; a write
#     refused appends nothing. `audit show --object ID` gives one person's history.
#   - `audit verify` passes, and finds an entry altered, removed or reordered (exit 3), and a
#     key that is not the one the log was written with.
#   - An import killed part way leaves a chain that verifies.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
: "${SPFLOOR_BUILD:?set SPFLOOR_BUILD to the build directory (for gen-population)}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_AUDIT_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }
if [ -n "${SPFLOOR_AUDIT_DB:-}" ]; then
    sql() { psql -qtA "$SPFLOOR_AUDIT_PSQL" -c "$1"; }
else
    sql() { sqlite3 "$SPFLOOR_DB" "$1"; }
fi

expect 0 "init" -- "$SPFLOOR" init
if [ -z "${SPFLOOR_AUDIT_DB:-}" ]; then
    contains "$out" "audit key made: $SPFLOOR_DB.audit-key" "init says where the key is"
    [ "$(stat -c %a "$SPFLOOR_DB.audit-key")" = 600 ] || fail "the key is readable by its owner only"
fi
expect 0 "import" -- sp import persons "$SPFLOOR_SRC/tests/data/simulate/nepal.csv"
expect 0 "add Asha" -- sp person add --given-name Asha --family-name Rai --sex female \
    --birth-date 1990-01-01 --country NP --admin2 Ilam
asha=$out
ram=$(sp find Ram | awk '{ print $1; exit }')
expect 0 "a correction" -- sp person update "$asha" --phone 9851111111 --reason "she called" --by registrar
expect 0 "an enrolment" -- sp enroll "$ram" np.ssa.senior_citizen --by adjudicator
cat >"$work/districts.yaml" <<'EOF'
id: np.karnali_child_grant
title: Child grant districts
reference: "District office circular of 2025-01-02"
parameters:
  np.ssa.child_grant_districts:
    values:
      2016-07-16: {value: [Humla, Jumla], reference: "Karnali zone"}
EOF
expect 0 "the default overlay" -- sp overlay set "$work/districts.yaml"
expect 0 "a death" -- sp person deceased "$ram" --date 2026-07-20 --reason certificate --by registrar
before=$(sql "SELECT count(*) FROM audit_log")
expect 2 "a refused write" -- sp person update 000000099995 --phone 1 --reason x
expect 3 "a refused enrolment" -- sp enroll "$asha" np.ssa.senior_citizen
[ "$(sql "SELECT count(*) FROM audit_log")" = "$before" ] || fail "a refused write appends nothing"

expect 0 "audit show" -- sp audit show
for action in "person.add       6 persons" "person.add       $asha" "registrar        person.update" \
    "adjudicator      enrolment.add    $ram" "overlay.set      np.karnali_child_grant" \
    "registrar        person.mark      $ram"; do
    contains "$out" "$action" "an entry for each write"
done
expect 0 "one person's entries" -- sp audit show --object "$(sed 's/\(....\)\(....\)\(....\)/\1 \2 \3/' <<<"$ram")"
[ "$(wc -l <<<"$out")" = 2 ] || fail "Ram's entries: the enrolment and the death: $out"
expect 0 "verify" -- sp audit verify
contains "$out" "the audit log holds: 6 entries" "the chain holds"

# ---- tampering ----
sql "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3" >/dev/null
expect 3 "an entry altered" -- sp audit verify
contains "$err" "entry 3 does not match its MAC: it was altered" "the altered entry named"
sql "UPDATE audit_log SET actor = 'registrar' WHERE seq = 3" >/dev/null
expect 0 "put back" -- sp audit verify
sql "UPDATE audit_log SET seq = 100 WHERE seq = 4" >/dev/null
expect 3 "an entry removed" -- sp audit verify
contains "$err" "entry 4 is missing" "the removed entry named"
sql "UPDATE audit_log SET seq = 4 WHERE seq = 100" >/dev/null
sql "UPDATE audit_log SET seq = 0 - seq WHERE seq IN (4, 5)" >/dev/null
sql "UPDATE audit_log SET seq = 5 WHERE seq = -4" >/dev/null
sql "UPDATE audit_log SET seq = 4 WHERE seq = -5" >/dev/null
expect 3 "two entries swapped" -- sp audit verify
contains "$err" "entry 4 does not match its MAC" "the reordering found"
sql "UPDATE audit_log SET seq = 0 - seq WHERE seq IN (4, 5)" >/dev/null
sql "UPDATE audit_log SET seq = 5 WHERE seq = -4" >/dev/null
sql "UPDATE audit_log SET seq = 4 WHERE seq = -5" >/dev/null
expect 0 "put back" -- sp audit verify
SPFLOOR_AUDIT_KEY=$(printf '%064d' 7) expect 3 "another key" -- sp audit verify
contains "$err" "or the key is not the one the log was written with" "a wrong key said"

# ---- an import killed part way ----
"$SPFLOOR_BUILD/gen-population" --persons 20000 --country NP --seed 5 --out "$work/np.csv" ||
    fail "gen-population"
sp import persons "$work/np.csv" --batch 500 >/dev/null 2>&1 &
sleep 1
kill -9 $! 2>/dev/null
wait $! 2>/dev/null
expect 0 "verify after a kill" -- sp audit verify
expect 0 "the import again" -- sp import persons "$work/np.csv" --batch 500
expect 0 "verify after the import" -- sp audit verify
added=$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.add'")
[ "$added" -ge 3 ] || fail "the import's batches have their entries ($added)"

finish audit
