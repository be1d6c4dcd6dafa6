#!/bin/bash
# contributions_kill.sh: a contributions import killed (kill -9) at random points, then run
# again, books every row exactly once.
#   - After each kill the ledger holds whole transactions only: its rows are a multiple of
#     the batch, its totals are the sum of exactly those committed rows, one audit entry each.
#   - Run again to the end, it holds every row of the file once, with the totals of a clean
#     run, and `audit verify` passes.
#   - An enrolment batch killed the same way and run again ends with the enrolments of a
#     clean run, and `audit verify` passes (enroll.sh checks the enrolments themselves).
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2025-06-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

persons=3000
batch=500
export SPFLOOR_DB="$work/base.db"
expect 0 "init" -- sp init
export SPFLOOR_AUDIT_KEY_FILE="$work/base.db.audit-key" # the copies below share the key
python3 - "$persons" >"$work/people.csv" <<'EOF'
import sys
n = int(sys.argv[1])
print("given_name,family_name,sex,birth_date,country,admin1,admin2,worker_category,marital_status")
for i in range(n):
    print("Worker%d,Kill%d,%s,%d-%02d-%02d,KH,Phnom Penh,Chamkar Mon,formal_employee,%s" % (
        i, i, "female" if i % 2 else "male", 1960 + i % 40, 1 + i % 12, 1 + i % 28,
        "widowed" if i % 3 == 0 else "married"))
EOF
expect 0 "import persons" -- sp import persons "$work/people.csv"
sqlite3 "$SPFLOOR_DB" "SELECT serial FROM persons ORDER BY serial" >"$work/serials"
python3 - "$work/serials" >"$work/contributions.csv" <<'EOF'
import sys
d = [[0,1,2,3,4,5,6,7,8,9],[1,2,3,4,0,6,7,8,9,5],[2,3,4,0,1,7,8,9,5,6],[3,4,0,1,2,8,9,5,6,7],
     [4,0,1,2,3,9,5,6,7,8],[5,9,8,7,6,0,4,3,2,1],[6,5,9,8,7,1,0,4,3,2],[7,6,5,9,8,2,1,0,4,3],
     [8,7,6,5,9,3,2,1,0,4],[9,8,7,6,5,4,3,2,1,0]]
p = [[0,1,2,3,4,5,6,7,8,9],[1,5,7,6,2,8,3,0,9,4],[5,8,0,3,7,9,6,1,4,2],[8,9,1,6,0,4,3,5,2,7],
     [9,4,5,3,1,2,6,8,7,0],[4,2,8,6,5,7,3,9,0,1],[2,7,9,3,8,0,6,4,1,5],[7,0,4,6,9,1,3,2,5,8]]
inv = [0,4,3,2,1,5,6,7,8,9]
def worker_id(serial):
    s = "%011d" % serial
    c = 0
    for i, ch in enumerate(reversed(s)):
        c = d[c][p[(i + 1) % 8][int(ch)]]
    return s + str(inv[c])
print("person,scheme,month,wage,employer")
for k, line in enumerate(open(sys.argv[1])):
    for m in range(1, 13):
        wage = 300000 + (k * 7919 + m * 104729) % 1100000
        print("%s,kh.nssf.pension_contributions,2024-%02d,%d.00,E%d" % (worker_id(int(line)), m, wage, k % 7))
EOF
rows=$((persons * 12))

# a clean run: the totals every killed run must end with
cp "$SPFLOOR_DB" "$work/clean.db"
SPFLOOR_DB="$work/clean.db" sp import contributions "$work/contributions.csv" --batch "$batch" \
    >/dev/null 2>&1 || fail "a clean run"
totals() { sqlite3 "$1" "SELECT count(*), count(DISTINCT serial || '/' || month), sum(wage), sum(employee), sum(employer_part) FROM contributions"; }
clean=$(totals "$work/clean.db")
case "$clean" in "$rows|$rows|"*) ;; *) fail "a clean run books every row once: $clean" ;; esac

for delay in 0.1 0.2 0.35 0.5 0.8; do
    cp "$SPFLOOR_DB" "$work/killed.db"
    SPFLOOR_DB="$work/killed.db" "$SPFLOOR" --quiet import contributions "$work/contributions.csv" \
        --batch "$batch" >/dev/null 2>&1 &
    sleep "$delay"
    kill -9 $! 2>/dev/null
    wait $! 2>/dev/null
    n=$(sqlite3 "$work/killed.db" "SELECT count(*) FROM contributions")
    echo "killed at $delay s: $n of $rows rows committed"
    [ $((n % batch)) -eq 0 ] || fail "killed at $delay s: $n rows, not whole transactions of $batch"
    books=$(sqlite3 "$work/killed.db" "SELECT count(*) FROM audit_log WHERE action = 'contribution.book'")
    [ "$books" -eq $((n / batch)) ] || fail "killed at $delay s: $books audit entries for $((n / batch)) transactions"
    # the committed rows are the first n of the file's order (person, month): their sums
    want=$(sqlite3 "$work/clean.db" "SELECT sum(wage), sum(employee) FROM (SELECT wage, employee FROM contributions ORDER BY entry LIMIT $n)")
    got=$(sqlite3 "$work/killed.db" "SELECT sum(wage), sum(employee) FROM contributions")
    [ "$n" -eq 0 ] || [ "$got" = "$want" ] || fail "killed at $delay s: the ledger's totals $got are not those of its $n committed rows ($want)"
    SPFLOOR_DB="$work/killed.db" expect 0 "audit verify after a kill at $delay s" -- sp audit verify
    SPFLOOR_DB="$work/killed.db" expect 0 "run again after a kill at $delay s" -- \
        sp import contributions "$work/contributions.csv" --batch "$batch"
    [ "$(totals "$work/killed.db")" = "$clean" ] ||
        fail "killed at $delay s and run again: $(totals "$work/killed.db"), not $clean"
    SPFLOOR_DB="$work/killed.db" expect 0 "audit verify after the rerun ($delay s)" -- sp audit verify
done

# an enrolment batch killed and run again, then the audit chain
cp "$SPFLOOR_DB" "$work/enrol.db"
SPFLOOR_DB="$work/enrol.db" "$SPFLOOR" --quiet enroll --all --scheme kh.nssf.pension_contributions \
    >/dev/null 2>&1 &
sleep 0.3
kill -9 $! 2>/dev/null
wait $! 2>/dev/null
SPFLOOR_DB="$work/enrol.db" expect 0 "enroll --all after a kill" -- \
    sp enroll --all --scheme kh.nssf.pension_contributions
[ "$(sqlite3 "$work/enrol.db" "SELECT count(*), count(DISTINCT serial) FROM enrolments")" = "$persons|$persons" ] ||
    fail "every employee enrolled once after the kill"
SPFLOOR_DB="$work/enrol.db" expect 0 "audit verify after the enrolment kill" -- sp audit verify
finish contributions_kill
