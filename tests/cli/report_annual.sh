#!/bin/bash
# report_annual.sh: `spfloor report annual` (docs/reports.md "The annual summary") on the small
# Nepali registry of report.sh (tests/data/report/people.csv), with figures known in advance:
#   - reach: GEFONT's two local unions (network GEFONT) reached Ram and 16 anonymous persons
#     (12 women under 35, 4 men over 35) in 2026: 17 people, 70.6% women and under 35; an
#     activity of another network and one of 2025 are not counted;
#   - coverage on 2026-12-31 (today is 2026-08-01: on that day): Ram, Sita and Sunita, 3 of 12;
#   - benefits paid: the settled quarter, 36,000.00 NPR to 3 people;
#   - better work: 2 cases won (15,010.50 NPR), 1 lost, 1 pending; one of another network;
#   - advocacy: 2 proposals of GEFONT's in 2026, one approved (175,000 people).
# A golden JSON file; the HTML is self-contained and its SVG well-formed, with a bar per share.
# postgres_report_annual.sh runs it on PostgreSQL.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_REPORT_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-08-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }
golden="$SPFLOOR_SRC/tests/data/report"
senior=np.ssa.senior_citizen

expect 0 "init" -- sp init
expect 0 "import" -- sp import persons "$golden/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
n=0
for name in Ram Sita Sunita; do
    n=$((n + 1))
    id=$(id_of $name)
    expect 0 "$name's account" -- sp person update "$id" --account "NP0000000$n" --reason account
    expect 0 "$name enrolled" -- sp enroll "$id" $senior --from 2026-01-01
done
expect 0 "a quarter paid" -- sp payroll run --scheme $senior --period 2082/83-Q4
expect 0 "export" -- sp payroll export PAY-000001 --format csv --out "$work/q4.csv"
{
    echo end_to_end_id,status
    tail -n +2 "$work/q4.csv" | cut -d, -f1 | sed 's/$/,settled/'
} >"$work/settled.csv"
expect 0 "settled" -- sp payroll reconcile "$work/settled.csv"

ram=$(id_of Ram)
gita=$(id_of Gita)
ktm=(--country NP --area Kathmandu)
expect 0 "an awareness session" -- sp outreach add --org "GEFONT Kathmandu" --network GEFONT \
    --type awareness --date 2026-07-10 "${ktm[@]}" --person "$ram" --count female:under_35=12
expect 0 "a training" -- sp outreach add --org "GEFONT Morang" --network GEFONT \
    --type training --date 2026-03-02 --country NP --area Morang --count male:35_and_over=4
expect 0 "another network's" -- sp outreach add --org "HomeNet Nepal" --network HomeNet \
    --type awareness --date 2026-04-01 "${ktm[@]}" --count female:35_and_over=30
expect 0 "last year's" -- sp outreach add --org "GEFONT Kathmandu" --type awareness \
    --date 2025-12-01 "${ktm[@]}" --count female:under_35=50
org=(--org "GEFONT Kathmandu" "${ktm[@]}")
expect 0 "case 1" -- sp outreach case add "${org[@]}" --kind legal_aid --date 2026-02-01 \
    --person "$gita"
expect 0 "case 2" -- sp outreach case add "${org[@]}" --kind assisted_claim --date 2026-03-01 \
    --claimant male:35_and_over
expect 0 "case 3" -- sp outreach case add "${org[@]}" --kind legal_aid --date 2026-03-05 \
    --claimant female:under_35
expect 0 "case 4" -- sp outreach case add "${org[@]}" --kind legal_aid --date 2026-04-05 \
    --claimant female:under_35
expect 0 "case 5, another network's" -- sp outreach case add --org "HomeNet Nepal" "${ktm[@]}" \
    --kind legal_aid --date 2026-04-05 --claimant female:under_35
expect 0 "case 1 won" -- sp outreach case update 1 --outcome won --date 2026-05-01 \
    --recovered 15000.50
expect 0 "case 2 won" -- sp outreach case update 2 --outcome won --date 2026-06-01 --recovered 10
expect 0 "case 3 lost" -- sp outreach case update 3 --outcome lost --date 2026-06-02
expect 0 "case 5 won" -- sp outreach case update 5 --outcome won --date 2026-06-01 --recovered 99
expect 0 "a proposal approved" -- sp advocacy add --title "Maternity cover" --country NP \
    --status approved --date 2026-05-01 --org GEFONT --org "HomeNet Nepal" --benefit 175000 \
    --women 82000 --young 70000 --source "SSF actuarial note"
expect 0 "a proposal lobbied" -- sp advocacy add --title "Gig workers" --country NP \
    --status lobbied --date 2026-06-01 --org GEFONT
expect 0 "another network's proposal" -- sp advocacy add --title "Home workers" --country NP \
    --status lobbied --date 2026-06-01 --org "HomeNet Nepal"

expect 0 "the text" -- sp report annual --org GEFONT --year 2026
contains "$out" "Annual results 2026: GEFONT, NP (figures on 2026-08-01)" "the title"
contains "$out" "17 people (70.6% women and 70.6% under 35 years) reached by 2 activities of 2 organisations; 1 of them in the registry, 1 enrolled." \
    "reach"
contains "$out" "3 people covered (66.7% women and 0.0% under 35 years): effective coverage (SDG 1.3.1) 25.0% of the 12 registered" \
    "coverage"
contains "$out" "3 people (66.7% women and 0.0% under 35 years) paid 36000.00 NPR" "benefits"
contains "$out" "2 legal-aid and assisted-claim cases won (50.0% women and 50.0% under 35 years), 15010.50 NPR recovered; 1 lost, 1 pending." \
    "better work: Gita's and the anonymous man's"
contains "$out" "Lobbied for 2 proposals, contributing to the approval of 1 which would benefit 175000 people (46.9% women and 40.0% under 35 years): 1 entered estimate, 0 simulations; 0 rejected, 1 still lobbied." \
    "advocacy"

expect 0 "the JSON" -- sp report annual --org GEFONT --year 2026 --format json
if [ "${SPFLOOR_REPORT_BLESS:-}" = 1 ]; then
    printf '%s\n' "$out" >"$golden/annual_gefont_2026.json"
fi
diff <(printf '%s\n' "$out") "$golden/annual_gefont_2026.json" >"$work/diff" ||
    fail "annual_gefont_2026.json differs from its golden file: $(head -8 "$work/diff")"
python3 -c 'import json, sys; json.loads(sys.argv[1])' "$out" || fail "the JSON parses"

expect 0 "the country" -- sp report annual --country NP --year 2026 --format json
contains "$out" '"reached":47,' "every organisation's reach: 17 and HomeNet's 30"
contains "$out" '"cases_won":3,' "every organisation's cases"

expect 0 "the page" -- sp report annual --org GEFONT --year 2026 --out "$work/annual.html"
python3 - "$work/annual.html" <<'PY' || fail "the page and its SVG"
import re, sys
import xml.etree.ElementTree as ET
page = open(sys.argv[1], encoding="utf-8").read()
assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", ""), "self-contained"
assert 'name="viewport"' in page, "reads on a phone"
svgs = re.findall(r"<svg.*?</svg>", page, re.S)
assert len(svgs) == 5, len(svgs)
ns = "{http://www.w3.org/2000/svg}"
values = []
for svg in svgs:
    root = ET.fromstring(svg)
    values.append([g.findall(ns + "text")[-1].text for g in root.findall(ns + "g")])
assert values[0] == ["70.6%", "70.6%"], values[0]  # reach: women, under 35
assert values[3] == ["50.0%", "50.0%"], values[3]  # better work
widths = [r.get("width") for r in ET.fromstring(svgs[0]).iter(ns + "rect")]
assert widths == ["200", "141", "200", "141"], widths  # 200 px is 100%
PY

# ---- bad arguments ----
expect 1 "no year" -- sp report annual --org GEFONT
expect 1 "neither org nor country" -- sp report annual --year 2026
expect 2 "a year not begun" -- sp report annual --org GEFONT --year 2027
contains "$err" "2027 has not begun" "said"
expect 1 "an unknown format" -- sp report annual --org GEFONT --year 2026 --format pdf

finish report_annual
