#!/bin/bash
# report.sh: `spfloor report` end to end on a small Nepali registry whose figures are known
# (docs/reports.md): 12 persons, 7 women, 5 under 35, in Kathmandu (7) and Morang (5).
#   - Covered on 2026-08-01: Ram and Sunita (senior allowance), Gita (SSF entries in June
#     and July) and Bikash (July): 4 of 12, 33.3%. Sita's allowance was suspended on
#     2026-07-01: she is not covered; Maya's last entry is May's, older than 3 months.
#   - The gap: those the rules find eligible who are neither enrolled nor paying in: Kamala
#     (senior allowance), Maya (SSF) and Dipak (SSF, migrant workers): 3 of 8 eligible,
#     listed with --list. Sita's suspended enrolment keeps her out of it.
#   - Golden CSV and JSON files (tests/data/report/), the same on PostgreSQL
#     (postgres_report.sh runs this script there).
#   - The HTML page's SVG is well-formed XML, with one bar per cell and its value.
#   - --public holds back small cells; --list is never public.
#   - Bad arguments exit 2: an unknown indicator, an unknown breakdown, --from after --to,
#     bad age groups; and change nothing.
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

expect 0 "init" -- sp init
expect 0 "import" -- sp import persons "$golden/people.csv"
id_of() { sp find "$1" | awk '{ print $1; exit }'; }
ram=$(id_of Ram)
sita=$(id_of Sita)
gita=$(id_of Gita)
maya=$(id_of Maya)
bikash=$(id_of Bikash)
sunita=$(id_of Sunita)
senior=np.ssa.senior_citizen
expect 0 "Ram enrolled" -- sp enroll "$ram" $senior --from 2026-01-01
expect 0 "Sita enrolled" -- sp enroll "$sita" $senior --from 2026-01-01
expect 0 "Sita suspended" -- sp enroll suspend "$sita" $senior --date 2026-07-01 --reason "not collected"
expect 0 "Sunita enrolled" -- sp enroll "$sunita" $senior --from 2025-06-01
cat >"$work/contributions.csv" <<CSV
person,scheme,month,wage
$gita,np.ssf.contributions,2026-06,30000.00
$gita,np.ssf.contributions,2026-07,30000.00
$maya,np.ssf.contributions,2026-05,30000.00
$bikash,np.ssf.contributions,2026-07,30000.00
CSV
expect 0 "contributions" -- sp import contributions "$work/contributions.csv"

# ---- the figures, against the golden files ----
check_golden() { # NAME ARGS...: the report's output is tests/data/report/NAME
    local name=$1
    shift
    expect 0 "report $name" -- sp report "$@" --as-of 2026-08-01
    if [ "${SPFLOOR_REPORT_BLESS:-}" = 1 ]; then
        printf '%s\n' "$out" >"$golden/$name"
    fi
    diff <(printf '%s\n' "$out") "$golden/$name" >"$work/diff" ||
        fail "$name differs from its golden file: $(head -8 "$work/diff")"
}
check_golden coverage.csv coverage --format csv
check_golden coverage_by_sex_age.csv coverage --by sex,age_group --format csv
check_golden coverage_by_branch.json coverage --by branch --format json
check_golden coverage_by_admin2_ilo.csv coverage --by admin2,age_group \
    --age-groups 0-14,15-24,25-64,65+ --format csv
check_golden enrolment_by_admin2.json enrolment --by admin2 --format json
check_golden gap_by_scheme.csv gap --by scheme,sex --format csv
check_golden coverage_public.csv coverage --by admin2 --public --format csv

# the figures a person can check by hand
expect 0 "coverage" -- sp report coverage --as-of 2026-08-01 --format csv
contains "$out" $'\n12,58.3,41.7,4,50.0,50.0,2,50.0,100.0,2,50.0,0.0,33.3,0' \
    "12 persons (7 women, 5 under 35), 4 covered (2 women, 2 under 35): 33.3%"
expect 0 "coverage by sex" -- sp report coverage --as-of 2026-08-01 --by sex --format csv
contains "$out" $'\nfemale,7,100.0,57.1,2,100.0,50.0' "7 women, 2 covered (Gita and Sunita)"
contains "$out" $'\nmale,5,0.0,20.0,2,0.0,50.0' "5 men, 2 covered (Ram and Bikash)"
expect 0 "coverage over June to August" -- sp report coverage --from 2026-06-01 \
    --to 2026-08-01 --format csv
contains "$out" $'\n12,58.3,41.7,5,60.0,40.0,2,50.0,100.0,3,66.7,0.0,41.7,0' \
    "over the period, Sita's allowance (paid in June, suspended since) counts"

# ---- the gap, listed ----
expect 0 "the gap's list" -- sp report gap --list --as-of 2026-08-01
list=$out
kamala=$(id_of Kamala)
contains "$list" "$kamala,np.ssa.senior_citizen,old_age,Kamala,Gurung,female,72" "Kamala"
contains "$list" "$maya,np.ssf.contributions,old_age,Maya,Tamang,female,32" "Maya"
grep -q "^$ram," <<<"$list" && fail "Ram is enrolled: not in the gap"
grep -q "^$sita," <<<"$list" && fail "Sita's enrolment is suspended, not ended: not in the gap"
grep -q "^$gita," <<<"$list" && fail "Gita pays in: not in the gap"
dipak=$(id_of Dipak)
contains "$list" "$dipak,np.ssf.migrant_contributions,old_age,Dipak,Bista,male,56" "Dipak"
[ "$(wc -l <<<"$list")" = 4 ] || fail "a header and 3 rows: $list"
expect 0 "the gap" -- sp report gap --as-of 2026-08-01 --format csv
contains "$out" $'\n12,58.3,41.7,8,62.5,37.5,3,66.7,33.3,37.5,0' "3 of 8 eligible persons"

# ---- HTML: a self-contained page with SVG bars ----
expect 0 "html" -- sp report coverage --as-of 2026-08-01 --by admin2,sex --out "$work/c.html"
[ -s "$work/c.html" ] || fail "the page is written"
python3 - "$work/c.html" <<'PY' || fail "the SVG bars"
import re, sys
import xml.etree.ElementTree as ET
page = open(sys.argv[1], encoding="utf-8").read()
assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", ""), "self-contained"
svg = ET.fromstring(re.search(r"<svg.*?</svg>", page, re.S).group(0))
ns = "{http://www.w3.org/2000/svg}"
bars = svg.findall(ns + "g")
labels = [g.find(ns + "text").text for g in bars]
assert labels == ["all", "Kathmandu, female", "Kathmandu, male", "Morang, female",
                  "Morang, male"], labels
values = [g.findall(ns + "text")[-1].text for g in bars]
assert values == ["33.3%", "20.0%", "50.0%", "50.0%", "33.3%"], values
widths = [int(g.find(ns + "rect").get("width")) for g in bars]
assert widths == [133, 80, 200, 200, 133], widths  # 400 px is 100%
assert "4 covered</strong> (50.0% women and 50.0% under 35 years): coverage 33.3%" in page
PY

# ---- public outputs ----
expect 0 "public" -- sp report coverage --as-of 2026-08-01 --by admin2,sex --public --format csv
contains "$out" $'\nKathmandu,female,5,100.0,' "5 women in Kathmandu are shown"
contains "$out" $'\nMorang,male,,,,,,,,,,,,,,1' "3 men in Morang are not"
expect 0 "public, k 2" -- sp report coverage --as-of 2026-08-01 --by admin2,sex --public --k 2 \
    --format csv
contains "$out" $'\nMorang,male,3,' "with k 2, they are"
expect 1 "a public list" -- sp report gap --list --public

# ---- bad arguments ----
expect 2 "an unknown indicator" -- sp report wealth --as-of 2026-08-01
contains "$err" "unknown indicator \"wealth\"" "the indicator named"
expect 2 "an unknown breakdown" -- sp report coverage --by sex,caste
contains "$err" "unknown breakdown \"caste\"" "the breakdown named"
expect 2 "from after to" -- sp report coverage --from 2026-09-01 --to 2026-08-01
contains "$err" "--from 2026-09-01 is after --to 2026-08-01" "the period"
expect 2 "bad age groups" -- sp report coverage --by age_group --age-groups 0-14,20+
expect 2 "a bad date" -- sp report coverage --as-of 2026-13-01
expect 2 "--list of coverage" -- sp report coverage --list
expect 1 "no indicator" -- sp report
expect 1 "an unknown format" -- sp report coverage --format pdf
expect 0 "after all of it" -- sp audit verify

finish report
