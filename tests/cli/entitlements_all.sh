#!/bin/bash
# entitlements_all.sh: `entitlements --all` decides the whole registry as single `entitlements`
# calls do, person by person (1,000 persons of several countries, in households); its formats
# agree; bad input is refused before anything is written.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
: "${SPFLOOR_BUILD:?set SPFLOOR_BUILD to the build directory (for gen-population)}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_DB="$work/registry.db"
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_TODAY=2025-01-15
source "$(dirname "$0")/../support/cli.bash"


"$SPFLOOR_BUILD/gen-population" --persons 1000 --seed 7 --out "$work/people.csv" ||
    fail "generating the population"
"$SPFLOOR" --quiet init >/dev/null || fail "init"
"$SPFLOOR" import persons "$work/people.csv" >/dev/null || fail "importing the population"

"$SPFLOOR" --quiet entitlements --all --as-of 2025-01-15 --format csv --out "$work/all.csv" ||
    fail "entitlements --all --format csv"
"$SPFLOOR" --quiet entitlements --all --as-of 2025-01-15 --format json >"$work/all.json" ||
    fail "entitlements --all --format json"
"$SPFLOOR" --quiet entitlements --all --as-of 2025-01-15 --scheme np.ssa.senior_citizen \
    --format csv >"$work/np.csv" || fail "entitlements --all --scheme"
"$SPFLOOR" entitlements --all --as-of 2025-01-15 --country PH --format csv \
    >"$work/ph.csv" 2>"$work/summary" || fail "entitlements --all --country"
grep -q "persons decided" "$work/summary" || fail "no summary: $(cat "$work/summary")"
grep -q "^ph.sss.contributions " "$work/summary" || fail "the summary names each scheme"

# Each person, one call at a time, two at once (the machine's two cores).
cut -d, -f1 "$work/all.csv" | tail -n +2 | sort -u >"$work/ids"
[ "$(wc -l <"$work/ids")" -eq 1000 ] || fail "--all covered $(wc -l <"$work/ids") persons, not 1000"
mkdir "$work/one"
xargs -P 2 -I{} sh -c '"$0" --quiet entitlements {} --as-of 2025-01-15 --json >"$1/{}.json"' \
    "$SPFLOOR" "$work/one" <"$work/ids" || fail "single entitlements calls"

python3 - "$work" <<'EOF' || fail "--all and single calls disagree"
import csv, glob, json, os, sys
work = sys.argv[1]

def key(r):
    return (r["person"], r["scheme"])

def fact(status, eligible, amount):
    return (status, eligible, amount or None)

batch = {}
for r in csv.DictReader(open(os.path.join(work, "all.csv"))):
    batch[key(r)] = fact(r["status"], r["eligible"] == "true", r["amount"])
single = {}
for path in glob.glob(os.path.join(work, "one", "*.json")):
    for r in json.load(open(path))["results"]:
        single[key(r)] = fact(r["status"], r["eligible"], r["amount"])
as_json = {key(r): fact(r["status"], r["eligible"], r["amount"])
           for r in json.load(open(os.path.join(work, "all.json")))["results"]}
problems = []
if set(batch) != set(single):
    problems.append("results only in --all: %s; only in single calls: %s"
                    % (sorted(set(batch) - set(single))[:5], sorted(set(single) - set(batch))[:5]))
for k in sorted(set(batch) & set(single)):
    if batch[k] != single[k]:
        problems.append("%s: --all %s, single %s" % (k, batch[k], single[k]))
if as_json != batch:
    problems.append("--format json and --format csv differ")
eligible = sum(1 for v in batch.values() if v[1])
households = len({r["household"] for r in csv.DictReader(open(os.path.join(work, "people.csv")))
                  if r.get("household")})
countries = len({k[1].split(".")[0] for k in batch})
if eligible == 0 or households < 100 or countries < 6:
    problems.append("too little to compare: %d eligible, %d households, %d countries"
                    % (eligible, households, countries))
for p in problems[:20]:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

python3 - "$work/np.csv" <<'EOF' || fail "--scheme gives that scheme only, for its country's persons"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r["scheme"] == "np.ssa.senior_citizen" and r["country"] == "NP" for r in rows)
EOF

# Bad input: refused with its own exit code, and no output file is left behind.
rc=0
"$SPFLOOR" entitlements --all --as-of 2025-02-30 2>"$work/err" >/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--as-of 2025-02-30: exit $rc, expected 2"
grep -q "2025-02 has 28 days" "$work/err" || fail "--as-of: $(cat "$work/err")"
rc=0
"$SPFLOOR" entitlements --all --scheme np.ssa.nope --out "$work/nope.csv" 2>"$work/err" || rc=$?
[ "$rc" -eq 2 ] || fail "an unknown --scheme: exit $rc, expected 2"
grep -q '"np.ssa.nope"' "$work/err" || fail "an unknown --scheme is named: $(cat "$work/err")"
[ -e "$work/nope.csv" ] && fail "an unknown --scheme left an output file"
rc=0
"$SPFLOOR" entitlements --all --out "$work/missing/all.csv" 2>"$work/err" || rc=$?
[ "$rc" -eq 4 ] || fail "--out in a missing folder: exit $rc, expected 4"
[ -e "$work/missing" ] && fail "--out in a missing folder made something"
ls -a "$work" | grep -q '\.tmp$' && fail "a temporary file was left behind"

finish entitlements_all
