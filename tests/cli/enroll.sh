#!/bin/bash
# enroll.sh: enrolment of registered persons as the rules engine decides (docs/enrolment.md).
#   - An eligible person is enrolled once: enrolling again changes nothing.
#   - A person the rules do not pay is refused (exit 3) with the reasons (✗ and the figure);
#     an adjudicator may enrol against the decision with --override --reason, which is kept.
#   - An undetermined decision names the facts to ask for and enrols nobody.
#   - A 69-year-old enrolled before FY 2082/83 keeps the senior allowance (grandfathering):
#     entitlements reads the registry's enrolments, as an evaluate file's.
#   - enroll --all enrols everyone payable, lists the undetermined, and run again (or after
#     a kill -9) ends with the same enrolments, none twice.
#   - suspend, resume and end, each kept in the person's history.
#   - Bad input exits 2 and changes nothing: an unknown person or scheme, a scheme of another
#     country, a record of a person who died.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
: "${SPFLOOR_BUILD:?set SPFLOOR_BUILD to the build directory (for gen-population)}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_ENROL_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
cat >"$work/people.csv" <<'EOF'
given_name,family_name,sex,birth_date,country,admin1,admin2,marital_status,worker_category
Ram,Thapa,male,1950-01-01,NP,Bagmati,Kathmandu,married,
Sita,Karki,female,1959-01-01,NP,Bagmati,Kathmandu,married,
Kamala,Gurung,female,1957-01-01,NP,Bagmati,Kathmandu,married,
Gita,Shrestha,female,1960-03-01,NP,Bagmati,Kathmandu,widowed,
Juan,Cruz,male,1950-01-01,PH,NCR,Manila,married,informal
EOF
expect 0 "import" -- sp import persons "$work/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
ram=$(id_of Ram)
sita=$(id_of Sita)
kamala=$(id_of Kamala)
gita=$(id_of Gita)
juan=$(id_of Juan)
senior=np.ssa.senior_citizen

# ---- one person ----
expect 0 "Ram, 76, is enrolled" -- sp enroll "$ram" $senior
contains "$out" "$ram enrolled in $senior from 2026-08-01 (decision: eligible)" "the enrolment"
expect 0 "enrolling Ram again" -- sp enroll "$ram" $senior
contains "$out" "already enrolled" "no second enrolment"
expect 0 "Ram's enrolments" -- sp enroll list "$ram"
[ "$(grep -c $senior <<<"$out")" = 1 ] || fail "one enrolment, not two: $out"
contains "$out" "active    since 2026-08-01  by clerk: eligible" "state, day, who and why"

expect 3 "Sita, 67, is refused" -- sp enroll "$sita" $senior
contains "$err" "the decision on 2026-08-01 is not_eligible" "the decision"
contains "$err" "✗ Aged 70 or more — she is 67" "the reason, with her figure"
expect 0 "Sita's enrolments" -- sp enroll list "$sita"
[ -z "$out" ] || fail "a refused enrolment writes nothing: $out"
expect 1 "an override without its reason" -- sp enroll "$sita" $senior --override
expect 0 "an override with its reason" -- sp enroll "$sita" $senior --override \
    --reason "Supreme Court order 080-WO-1234"
contains "$out" "set aside by override" "the override said"
expect 0 "Sita's enrolments" -- sp enroll list "$sita"
contains "$out" "Supreme Court order 080-WO-1234 (enrolled against the rules' decision)" \
    "the override's reason is kept"

expect 3 "undetermined" -- sp enroll "$gita" np.ssa.full_disability
contains "$err" "undetermined: ask for" "what to ask"
contains "$err" "disability_class" "the fact"

# ---- grandfathering reads the registry's enrolments ----
expect 0 "Kamala, 69, before enrolment" -- sp entitlements "$kamala"
line=$(grep " $senior " <<<"$out")
# 69 is under the age of 70 in force since FY 2082/83 (68 is kept for remote districts, whose
# list an operator has not set: parameter_not_set)
contains "$line" " no " "she is not paid before she is enrolled"
expect 0 "Kamala enrolled on 2025-07-01, when the age was 68" -- sp enroll "$kamala" $senior \
    --from 2025-07-01
expect 0 "Kamala, 69, after enrolment" -- sp entitlements "$kamala"
line=$(grep " $senior " <<<"$out")
contains "$line" "yes      4000.00 NPR" "enrolled before 2025-07-17, she keeps the age of 68"

# ---- states ----
expect 0 "suspend" -- sp enroll suspend "$ram" $senior --date 2026-09-01 --reason "not collected"
expect 0 "resume" -- sp enroll resume "$ram" $senior --date 2026-10-01 --reason "collected"
expect 0 "end" -- sp enroll end "$ram" $senior --date 2026-10-31 --reason "moved abroad"
expect 0 "Ram's enrolment" -- sp enroll list "$ram"
contains "$out" "ended     since 2026-10-31, last day 2026-10-31  by clerk: moved abroad" "ended"
expect 0 "Ram's history" -- sp person history "$ram"
for step in "-> active from 2026-08-01" "active -> suspended from 2026-09-01" \
    "suspended -> active from 2026-10-01" "active -> ended after 2026-10-31"; do
    contains "$out" "$step" "the history keeps every state"
done
expect 2 "ending what is ended" -- sp enroll end "$ram" $senior --reason again
expect 1 "a change without its reason" -- sp enroll suspend "$sita" $senior

# ---- bad input ----
expect 2 "an unknown person" -- sp enroll 000000099995 $senior
expect 2 "an unknown scheme" -- sp enroll "$ram" np.ssa.nothing
contains "$err" "no scheme has the id" "the scheme named"
expect 2 "a scheme of another country" -- sp enroll "$juan" $senior
contains "$err" "is a scheme of NP" "the countries named"
expect 0 "Gita dies" -- sp person deceased "$gita" --date 2026-07-01 --reason certificate
expect 2 "the record of a person who died" -- sp enroll "$gita" np.ssa.widow

# ---- everyone ----
"$SPFLOOR_BUILD/gen-population" --persons 3000 --country NP --seed 3 --as-of 2026-08-01 \
    --out "$work/np.csv" || fail "gen-population"
expect 0 "3,000 more" -- sp import persons "$work/np.csv"
expect 0 "enroll --all" -- sp enroll --all --scheme $senior
summary=$err
added=$(sed -n 's/.* payable: \([0-9]*\) enrolled now.*/\1/p' <<<"$summary")
[ "${added:-0}" -gt 50 ] || fail "enroll --all enrols the payable seniors: $summary"
# Kamala was enrolled before; so was Ram on that day (his enrolment ended in October)
contains "$summary" "2 already" "those enrolled on the day are not enrolled again"
expect 0 "enroll --all again" -- sp enroll --all --scheme $senior
contains "$err" "payable: 0 enrolled now" "a second run enrols nobody twice"
expect 0 "the undetermined listed" -- sp enroll --all --scheme np.ssa.full_disability
contains "$out" "undetermined: ask for disability_class" "each with the facts to ask for"

# ---- killed and run again: the same enrolments ----
if [ -z "${SPFLOOR_ENROL_DB:-}" ]; then
    cp "$SPFLOOR_DB" "$work/clean.db"
    SPFLOOR_DB="$work/clean.db" sp enroll --all --scheme np.ssa.single_woman >/dev/null 2>&1 ||
        fail "a clean run"
    count() { sqlite3 "$1" "SELECT count(*), count(DISTINCT serial) FROM enrolments WHERE scheme = 'np.ssa.single_woman'"; }
    for delay in 0.2 0.5 1; do
        cp "$SPFLOOR_DB" "$work/killed.db"
        SPFLOOR_DB="$work/killed.db" "$SPFLOOR" --quiet enroll --all --scheme np.ssa.single_woman \
            >/dev/null 2>&1 &
        sleep "$delay"
        kill -9 $! 2>/dev/null
        wait $! 2>/dev/null
        SPFLOOR_DB="$work/killed.db" sp enroll --all --scheme np.ssa.single_woman >/dev/null 2>&1 ||
            fail "the run after a kill at $delay s"
        [ "$(count "$work/killed.db")" = "$(count "$work/clean.db")" ] ||
            fail "killed at $delay s and run again: $(count "$work/killed.db") enrolments, not $(count "$work/clean.db")"
    done
fi

finish enroll
