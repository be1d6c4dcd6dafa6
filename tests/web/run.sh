#!/bin/bash
# run.sh: the browser tests (tests/web/*.mjs): playwright-core (npm, pinned in
# package-lock.json) drives Debian's chromium against `spfloor serve` on a free loopback port,
# with a registry made here (a registrar, a worker with their own record, a payer, an auditor,
# a few persons, one with a claim, a grievance, a correction and a payroll).
# Each .mjs gets BASE (the server's URL) and the users in its environment, and keeps its
# screenshots in $SPFLOOR_BUILD/web-artifacts. Exits 77 (skipped) when `npm ci` has not run or
# chromium is not installed (make test does both).
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
chromium=${CHROMIUM:-$(command -v chromium || true)}
if [ ! -d "$SPFLOOR_SRC/node_modules/playwright-core" ] || [ -z "$chromium" ]; then
    echo "SKIPPED: run 'npm ci' and install chromium (scripts/install-deps) for the browser tests"
    exit 77
fi
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
# the shipped library, with a Nepali text for one condition (a catalogue, docs/schemes.md), so
# that a reason shows in the language of the page
cp -r "$SPFLOOR_SRC/schemes" "$work/schemes"
mkdir -p "$work/schemes/np/messages"
cat >"$work/schemes/np/messages/ne.yaml" <<'EOF'
np.ssa.senior_citizen:
  senior_age: {text: "{params.senior_age} वर्ष वा सोभन्दा माथि", figure: "उमेर {age}"}
EOF
export SPFLOOR_SCHEMES="$work/schemes"
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_TODAY=2026-06-01
sp() { "$SPFLOOR" --quiet "$@"; }
sp init >/dev/null || exit 1
worker_id=$(sp person add --given-name Hari --family-name Thapa --sex male \
    --birth-date 1988-09-09 --country NP --admin1 Gandaki --admin2 Kaski) || exit 1
other_id=$(sp person add --given-name Maya --family-name Gurung --sex female \
    --birth-date 1950-04-02 --country NP --admin1 Bagmati --admin2 Kathmandu) || exit 1
password="a long enough password"
echo "$password" | sp user add registrar1 --role registrar >/dev/null || exit 1
echo "$password" | sp user add hari --role worker --person "$worker_id" >/dev/null || exit 1
echo "$password" | sp user add payer1 --role payer >/dev/null || exit 1
echo "$password" | sp user add auditor1 --role auditor >/dev/null || exit 1
# Maya's records for her single window: a claim, a grievance, a correction, a payroll
sp claim file "$other_id" np.ssa.senior_citizen --event sickness --date 2026-05-01 >/dev/null ||
    exit 1
sp grievance open "$other_id" --about registration --text "The district is wrong" >/dev/null ||
    exit 1
sp person update "$other_id" --account NP12BANK000123 --reason "bank account" >/dev/null || exit 1
sp enroll "$other_id" np.ssa.senior_citizen --from 2025-07-17 >/dev/null || exit 1
sp payroll run --scheme np.ssa.senior_citizen --period 2082/83-Q3 >/dev/null || exit 1

"$SPFLOOR" serve --listen 127.0.0.1:0 --threads 2 --access-log none 2>"$work/serve.log" &
server_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: the server did not start: $(cat "$work/serve.log")" >&2; exit 1; }

export BASE="http://127.0.0.1:$port" CHROMIUM="$chromium" PASSWORD="$password"
export WORKER_ID="$worker_id" OTHER_ID="$other_id" REGISTRAR=registrar1 WORKER=hari
export PAYER=payer1 AUDITOR=auditor1
export ARTIFACTS="${SPFLOOR_BUILD:-$work}/web-artifacts"
mkdir -p "$ARTIFACTS"
failed=0
for test in "$SPFLOOR_SRC"/tests/web/*.mjs; do
    node "$test" || failed=$((failed + 1))
done
[ "$failed" -eq 0 ] || { echo "web: $failed test file(s) failed" >&2; exit 1; }
echo "web: ok"
