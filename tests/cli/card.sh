#!/usr/bin/env bash
# card: `spfloor card ID --out FILE.svg` writes a well-formed SVG card with the name, the
# grouped worker ID and a QR code; unknown or malformed IDs exit 2 and write nothing.
set -euo pipefail
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}" "${SPFLOOR_SRC:?set SPFLOOR_SRC to the repo}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SPFLOOR_TODAY=2025-01-15
db=$tmp/registry.db
source "$(dirname "$0")/../support/cli.bash"


cat >"$tmp/persons.csv" <<'CSV'
national_id,given_name,family_name,sex,birth_date,country,admin2
NP-1001,Sita,Sharma,female,1961-04-13,NP,Kathmandu
NP-1002,"Ana <&> ""Bo""",O'Brien,female,1990-01-02,NP,Kaski
CSV
"$SPFLOOR" --quiet --db "$db" init >/dev/null
"$SPFLOOR" --quiet --db "$db" import persons "$tmp/persons.csv" >/dev/null

sita=$(sqlite3 "$db" "SELECT id FROM persons WHERE national_id = 'NP-1001';")
grouped="${sita:0:4} ${sita:4:4} ${sita:8:4}"
rc=0
"$SPFLOOR" --db "$db" card "$sita" --out "$tmp/sita.svg" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 0 ] || fail "card $sita: exit $rc: $(cat "$tmp/err")"
xmllint --noout "$tmp/sita.svg" || fail "sita.svg is not well-formed XML"
grep -qF '>Sita Sharma</text>' "$tmp/sita.svg" || fail "sita.svg does not show the name"
grep -qF ">$grouped</text>" "$tmp/sita.svg" || fail "sita.svg does not show \"$grouped\""
grep -qF '>1961-04-13</text>' "$tmp/sita.svg" || fail "sita.svg does not show the birth date"
grep -qF '>NP</text>' "$tmp/sita.svg" || fail "sita.svg does not show the country"
grep -qF 'viewBox="0 0 85.6 54"' "$tmp/sita.svg" || fail "sita.svg is not card-sized"
grep -q '<g id="qr" [^>]*data-modules="2[15]"' "$tmp/sita.svg" || fail "sita.svg has no QR code"
[ "$(grep -c '<rect x="[0-9]*" y="[0-9]*" width="[0-9]*" height="1"/>' "$tmp/sita.svg")" -gt 50 ] ||
    fail "sita.svg: the QR code has too few modules"

# the ID may be typed as it is printed, in groups
"$SPFLOOR" --db "$db" card "$grouped" >"$tmp/stdout.svg" || fail "card \"$grouped\" failed"
cmp -s "$tmp/stdout.svg" "$tmp/sita.svg" || fail "the card on stdout differs from --out"
# and so in every command that takes a worker ID
"$SPFLOOR" --db "$db" person show "$grouped" >"$tmp/show" 2>&1 || fail "person show \"$grouped\": $(cat "$tmp/show")"
grep -qF "Sharma" "$tmp/show" || fail "person show \"$grouped\" does not show Sita"
"$SPFLOOR" --db "$db" find "$grouped" >"$tmp/find" 2>&1 || fail "find \"$grouped\": $(cat "$tmp/find")"
[ "$(grep -c "$sita" "$tmp/find")" -eq 1 ] || fail "find \"$grouped\" does not list Sita once: $(cat "$tmp/find")"
"$SPFLOOR" --db "$db" --schemes "$SPFLOOR_SRC/schemes" entitlements "${sita:0:4}-${sita:4:4}-${sita:8:4}" \
    --as-of 2025-01-15 >"$tmp/ent" 2>&1 || fail "entitlements with dashes: $(cat "$tmp/ent")"
grep -qF "np.ssa" "$tmp/ent" || fail "entitlements with dashes decides nothing: $(cat "$tmp/ent")"

# markup in a name is escaped
ana=$(sqlite3 "$db" "SELECT id FROM persons WHERE national_id = 'NP-1002';")
"$SPFLOOR" --db "$db" card "$ana" --out "$tmp/ana.svg" >/dev/null || fail "card $ana failed"
xmllint --noout "$tmp/ana.svg" || fail "ana.svg is not well-formed XML"
grep -qF 'Ana &lt;&amp;&gt; &quot;Bo&quot; O&#39;Brien' "$tmp/ana.svg" ||
    fail "ana.svg: the name is not escaped"
[ "$(xmllint --xpath 'string(//*[local-name()="title"])' "$tmp/ana.svg")" = \
    "Ana <&> \"Bo\" O'Brien - worker ${ana:0:4} ${ana:4:4} ${ana:8:4}" ] ||
    fail "ana.svg: the title does not read back as the name"

# an unknown worker ID (serial 999 with its check digit) and mistyped ones
rc=0
"$SPFLOOR" --db "$db" card 000000009999 --out "$tmp/none.svg" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "card 000000009999: exit $rc, expected 2"
grep -qF "no person with ID 000000009999 is registered" "$tmp/err" || fail "unknown ID: $(cat "$tmp/err")"
[ ! -e "$tmp/none.svg" ] || fail "a card was written for an unknown ID"
rc=0
"$SPFLOOR" --db "$db" card 000000009998 >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "card 000000009998: exit $rc, expected 2"
grep -qF "check digit" "$tmp/err" || fail "card 000000009998: $(cat "$tmp/err")"
rc=0
"$SPFLOOR" --db "$db" card 12345 >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "card 12345: exit $rc, expected 2"
grep -qF "12 digits" "$tmp/err" || fail "card 12345: $(cat "$tmp/err")"
rc=0
"$SPFLOOR" --db "$db" card >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "card without an ID: exit $rc, expected 1"

finish card
