#!/bin/bash
# web_api.sh: `spfloor serve` over real HTTP on loopback (docs/web.md), against an SQLite file,
# or PostgreSQL when SPFLOOR_WEB_DB is given (postgres_web.sh). The server starts on a free
# port against a new registry; curl then checks:
#   - persons: create (201, Location), read, search, the single window's entitlements (the
#     same bytes as `spfloor entitlements ID --json`, a BS as_of read too);
#   - errors as {"error": {"code", "message", "field"}} with the right status and JSON pointer:
#     bad JSON, a duplicate key, an unknown field, money as a number, a wrong value, a future
#     birth date, 404, 405, 413, 414;
#   - 401 without or with a wrong token; 403 for a wrong role, a partner outside their area, a
#     worker reading another record (each refusal in the audit log), a worker reading their
#     own record;
#   - sessions: a login form with its CSRF token, cookies HttpOnly and SameSite=Strict, a POST
#     without the session's CSRF token refused, a form with it accepted; a logout; the login
#     rate limit (429);
#   - an Idempotency-Key replayed, and refused with another body;
#   - a person's contributions, claims, payments and grievances (the CLI's JSON), and who may
#     read them; filing a claim and opening a grievance through the forms, the payroll runs
#     and their pain.001 (payers), the audit trail of a person (auditors); the pages in Nepali
#     or Indonesian by ?lang= or Accept-Language; reports as `spfloor report --format json`, public for partners and workers;
#   - the pages: search, the single window (a verdict, a reason, dates in BS for Nepal), a
#     validation message beside the birth date, the public figures without a name, each under
#     50 KB; the OpenAPI description names every /api/ route;
#   - huge headers, broken UTF-8, random bytes, requests cut short and slowloris connections
#     are refused or dropped, and a normal request is still answered;
#   - SIGTERM while a request is being sent: it is answered, then the server exits 0.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=${work:-$(mktemp -d)}
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
export SPFLOOR_SCHEMES="$SPFLOOR_SRC/schemes"
export SPFLOOR_DB="${SPFLOOR_WEB_DB:-$work/registry.db}"
export SPFLOOR_TODAY=2026-06-01
export SPFLOOR_USER=clerk
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }

expect 0 "init" -- sp init
expect 0 "a person in Kathmandu" -- sp person add --given-name Maya --family-name Gurung \
    --sex female --birth-date 1950-04-02 --country NP --admin1 Bagmati --admin2 Kathmandu
maya=$out
expect 0 "a person in Kaski" -- sp person add --given-name Hari --family-name Thapa \
    --sex male --birth-date 1988-09-09 --country NP --admin1 Gandaki --admin2 Kaski
hari=$out
password="a long enough password"
for u in "admin admin" "reg registrar" "aud auditor" "pay payer"; do
    set -- $u
    echo "$password" | sp user add "$1" --role "$2" >/dev/null || fail "user add $1"
done
echo "$password" | sp user add part --role partner --area Bagmati/Kathmandu >/dev/null ||
    fail "user add partner"
echo "$password" | sp user add wrk --role worker --person "$hari" >/dev/null || fail "user add worker"
expect 2 "a role that is none" -- sp user add x --role king --no-password
contains "$err" "not a role" "the roles are named"
expect 2 "a partner without an area" -- sp user add y --role partner --no-password
expect 2 "a short password" -- sh -c "echo short | \"$SPFLOOR\" user add z --role payer"
for u in reg aud part wrk pay; do
    declare "tok_$u=$(sp user token "$u")"
done
[ ${#tok_reg} -eq 64 ] || fail "a token has 256 bits in hex: $tok_reg"

# the server, on a free port
"$SPFLOOR" serve --listen 127.0.0.1:0 --threads 2 --access-log "$work/access.log" \
    2>"$work/serve.log" &
server_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { fail "the server did not start: $(cat "$work/serve.log")"; finish web_api; }
base="http://127.0.0.1:$port"

# req METHOD PATH [CURL ARGS...]: $status, $body, $headers
req() {
    local method=$1 path=$2
    shift 2
    status=$(curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" \
        "$@" "$base$path")
    body=$(cat "$work/body")
    headers=$(cat "$work/headers")
}
json() { python3 -c "import json,sys; d=json.load(open('$work/body')); print($1)"; }
as() { echo "Authorization: Bearer $1"; }
person='{"given_name": "Sita", "family_name": "Sharma", "sex": "female",
    "birth_date": "1952-03-01", "country": "NP", "admin1": "Bagmati", "admin2": "Kathmandu"}'

# --- persons ---
req POST /api/v1/persons -H "$(as "$tok_reg")" -H 'Content-Type: application/json' -d "$person"
[ "$status" = 201 ] || fail "create: $status $body"
sita=$(json "d['id']")
contains "$headers" "Location: /api/v1/persons/$sita" "create names where the person is"
req GET "/api/v1/persons/$sita" -H "$(as "$tok_reg")"
[ "$status" = 200 ] || fail "read: $status"
[ "$(json "d['given_name'] + ' ' + d['birth_date']")" = "Sita 1952-03-01" ] || fail "read: $body"
req GET "/api/v1/persons?q=sita%20sharma" -H "$(as "$tok_reg")"
[ "$(json "d['count']")" = 1 ] && [ "$(json "d['persons'][0]['id']")" = "$sita" ] ||
    fail "search: $body"
req GET "/api/v1/persons/$sita/entitlements?as_of=2026-06-01" -H "$(as "$tok_reg")"
[ "$status" = 200 ] || fail "entitlements: $status $body"
sp entitlements "$sita" --as-of 2026-06-01 --json >"$work/cli.json" 2>/dev/null
cmp -s "$work/cli.json" "$work/body" || fail "the API's entitlements differ from the CLI's --json"
cp "$work/cli.json" "$work/plain.json"
contains "$body" '"status":"eligible"' "Sita, 74, is eligible for something"
req GET "/api/v1/persons/$sita/entitlements?as_of=2026-06-01&explain=text" -H "$(as "$tok_reg")"
sp entitlements "$sita" --as-of 2026-06-01 --json --explain >"$work/cli.json" 2>/dev/null
cmp -s "$work/cli.json" "$work/body" || fail "explain=text differs from the CLI's --json --explain"
# many at once, on the pool's threads: each the same document
seq 40 | xargs -P 8 -I{} curl -s -o "$work/par.{}" -H "$(as "$tok_reg")" \
    "$base/api/v1/persons/$sita/entitlements?as_of=2026-06-01"
for i in $(seq 40); do
    cmp -s "$work/plain.json" "$work/par.$i" || { fail "request $i of 40 at once differs"; break; }
done
req GET "/api/v1/persons/$sita/entitlements?as_of=2083-02-18%20BS" -H "$(as "$tok_reg")"
[ "$(json "d['as_of']")" = 2026-06-01 ] || fail "a BS as_of: $body"
req GET "/api/v1/persons/$sita/entitlements?as_of=2026-13-01" -H "$(as "$tok_reg")"
[ "$status" = 400 ] && [ "$(json "d['error']['code']")" = bad_parameter ] || fail "bad as_of: $body"

# --- errors, each with its JSON pointer ---
bad() { # bad STATUS CODE FIELD BODY DESCRIPTION
    req POST /api/v1/persons -H "$(as "$tok_reg")" -H 'Content-Type: application/json' -d "$4"
    [ "$status" = "$1" ] || fail "$5: status $status, expected $1: $body"
    [ "$(json "d['error']['code']")" = "$2" ] || fail "$5: code: $body"
    [ "$(json "d['error'].get('field')")" = "$3" ] || fail "$5: field: $body"
}
bad 400 bad_json "" '{"given_name": "A",' "broken JSON"
bad 400 bad_json "" '{"given_name": "A", "given_name": "B"}' "a duplicate key"
bad 400 unknown_field /nickname '{"given_name": "A", "nickname": "B"}' "an unknown field"
bad 400 unknown_field /id '{"id": "000000000019"}' "an id given"
bad 400 wrong_type /monthly_wage '{"country": "NP", "monthly_wage": 4000}' "money as a number"
bad 400 wrong_type "" '[1, 2]' "not an object"
bad 400 invalid /sex "${person/\"female\"/\"mail\"}" "a sex that is none"
bad 400 invalid /birth_date "${person/1952-03-01/2030-01-01}" "a birth in the future"
bad 409 conflict None "$person" "the same person again"
req GET /api/v1/nothing -H "$(as "$tok_reg")"
[ "$status" = 404 ] && [ "$(json "d['error']['code']")" = not_found ] || fail "404: $body"
req GET /api/v1/persons/000000009999 -H "$(as "$tok_reg")"
[ "$status" = 404 ] || fail "nobody: $status"
req DELETE "/api/v1/persons/$sita" -H "$(as "$tok_reg")"
[ "$status" = 405 ] || fail "405: $status"
head -c 70000 /dev/zero | tr '\0' 'x' >"$work/big"
req POST /api/v1/persons -H "$(as "$tok_reg")" --data-binary @"$work/big"
[ "$status" = 413 ] && [ "$(json "d['error']['code']")" = too_large ] || fail "413: $status"
req GET "/api/v1/persons/$(head -c 3000 /dev/zero | tr '\0' 'a')" -H "$(as "$tok_reg")"
[ "$status" = 414 ] || fail "414: $status"

# --- who may ---
req GET "/api/v1/persons/$sita"
[ "$status" = 401 ] && [ "$(json "d['error']['code']")" = unauthenticated ] || fail "401: $body"
contains "$headers" "WWW-Authenticate: Bearer" "401 says how to authenticate"
req GET "/api/v1/persons/$sita" -H "$(as "$(printf '%064d' 7)")"
[ "$status" = 401 ] || fail "a wrong token: $status"
req POST /api/v1/persons -H "$(as "$tok_aud")" -d "$person"
[ "$status" = 403 ] && [ "$(json "d['error']['code']")" = forbidden ] || fail "auditor creates: $body"
req GET "/api/v1/persons/$maya" -H "$(as "$tok_part")"
[ "$status" = 200 ] || fail "a partner reads their area: $status"
req GET "/api/v1/persons/$hari/entitlements" -H "$(as "$tok_part")"
[ "$status" = 403 ] || fail "a partner reads another area: $status"
req GET "/api/v1/persons?q=" -H "$(as "$tok_part")"
[ "$(json "sorted(p['admin2'] for p in d['persons'])")" = "['Kathmandu', 'Kathmandu']" ] ||
    fail "a partner's search shows only their area: $body"
req GET "/api/v1/persons/$hari" -H "$(as "$tok_wrk")"
[ "$status" = 200 ] || fail "a worker reads their own record: $status"
req GET "/api/v1/persons/$maya" -H "$(as "$tok_wrk")"
[ "$status" = 403 ] || fail "a worker reads another: $status"
req GET "/api/v1/persons?q=maya" -H "$(as "$tok_wrk")"
[ "$status" = 403 ] || fail "a worker searches: $status"
req GET /api/v1/audit/verify -H "$(as "$tok_pay")"
[ "$status" = 403 ] || fail "a payer verifies the audit log: $status"
req GET /api/v1/audit/verify -H "$(as "$tok_aud")"
[ "$status" = 200 ] && [ "$(json "d['intact']")" = True ] || fail "audit verify: $body"
refused=$(sp audit show | grep -c 'access.refused')
[ "$refused" -ge 5 ] || fail "each refusal is in the audit log ($refused)"

# --- Idempotency-Key ---
asha='{"given_name": "Asha", "family_name": "Rai", "sex": "female", "birth_date": "1990-01-01",
    "country": "NP", "admin2": "Ilam"}'
req POST /api/v1/persons -H "$(as "$tok_reg")" -H 'Idempotency-Key: k-1' -d "$asha"
[ "$status" = 201 ] || fail "a create with a key: $status $body"
first=$body
req POST /api/v1/persons -H "$(as "$tok_reg")" -H 'Idempotency-Key: k-1' -d "$asha"
[ "$status" = 201 ] && [ "$body" = "$first" ] || fail "the replay: $status $body"
contains "$headers" "Idempotent-Replayed: true" "the replay says so"
[ "$(sp find Asha | wc -l)" = 1 ] || fail "a replay registers nobody again"
req POST /api/v1/persons -H "$(as "$tok_reg")" -H 'Idempotency-Key: k-1' -d "${asha/Rai/Roy}"
[ "$status" = 422 ] && [ "$(json "d['error']['code']")" = idempotency_key_reused ] ||
    fail "a key reused with another body: $body"

# --- a person's records: contributions, claims, payments, grievances ---
expect 0 "a claim for Sita" -- sp claim file "$sita" np.ssa.senior_citizen --event sickness \
    --date 2026-05-01
expect 0 "a grievance of Sita" -- sp grievance open "$sita" --about registration \
    --text "The family name is misspelt"
expect 0 "a correction of Sita" -- sp person update "$sita" --phone 9800000001 --reason "new phone"
req GET "/api/v1/persons/$sita/claims" -H "$(as "$tok_reg")"
[ "$status" = 200 ] || fail "claims: $status $body"
sp claim list "$sita" --json >"$work/cli.json" 2>/dev/null
[ "$(json "d['claims']")" = "$(python3 -c "import json; print(json.load(open('$work/cli.json')))")" ] ||
    fail "the API's claims differ from the CLI's: $body"
[ "$(json "d['claims'][0]['state'] + ' ' + d['claims'][0]['amount']")" = "approved 4000.00" ] ||
    fail "the claim is approved for 4000.00: $body"
req GET "/api/v1/persons/$sita/grievances" -H "$(as "$tok_reg")"
[ "$(json "d['grievances'][0]['about'] + '/' + d['grievances'][0]['state']")" = registration/open ] ||
    fail "grievances: $body"
req GET "/api/v1/persons/$sita/payments" -H "$(as "$tok_reg")"
[ "$status" = 200 ] && [ "$(json "d['payments']")" = "[]" ] || fail "payments: $status $body"
req GET "/api/v1/persons/$sita/contributions?as_of=2026-06-01" -H "$(as "$tok_reg")"
sp contributions "$sita" --as-of 2026-06-01 --json >"$work/cli.json" 2>/dev/null
[ "$status" = 200 ] && [ "$(json "sorted(d)")" = "['entries', 'person', 'qualifying', 'totals']" ] ||
    fail "contributions: $status $body"
cmp -s <(python3 -m json.tool "$work/cli.json") <(python3 -m json.tool "$work/body") ||
    fail "the API's contributions differ from the CLI's --json"
req GET "/api/v1/persons/$sita/contributions?as_of=someday" -H "$(as "$tok_reg")"
[ "$status" = 400 ] || fail "contributions with a bad as_of: $status"
for what in contributions claims payments grievances; do
    req GET "/api/v1/persons/$sita/$what"
    [ "$status" = 401 ] || fail "$what without a token: $status"
    req GET "/api/v1/persons/$hari/$what" -H "$(as "$tok_part")"
    [ "$status" = 403 ] || fail "a partner reads $what of another area: $status"
    req GET "/api/v1/persons/$sita/$what" -H "$(as "$tok_wrk")"
    [ "$status" = 403 ] || fail "a worker reads another's $what: $status"
    req GET "/api/v1/persons/$hari/$what" -H "$(as "$tok_wrk")"
    [ "$status" = 200 ] || fail "a worker reads their own $what: $status"
done

# --- reports: the JSON of `spfloor report --format json`, public for partners and workers ---
req GET "/api/v1/reports/coverage?as_of=2026-06-01&by=sex,age_group" -H "$(as "$tok_reg")"
sp report coverage --as-of 2026-06-01 --by sex,age_group --format json >"$work/cli.json" 2>/dev/null
[ "$status" = 200 ] && cmp -s "$work/cli.json" "$work/body" ||
    fail "the API's coverage differs from the CLI's: $status $body"
req GET "/api/v1/reports/coverage?as_of=2026-06-01&by=sex" -H "$(as "$tok_part")"
sp report coverage --as-of 2026-06-01 --by sex --format json --public >"$work/cli.json" 2>/dev/null
cmp -s "$work/cli.json" "$work/body" || fail "a partner gets the public figures: $body"
req GET "/api/v1/reports/coverage?as_of=2026-06-01&by=sex" -H "$(as "$tok_wrk")"
cmp -s "$work/cli.json" "$work/body" || fail "a worker gets the public figures: $body"
req GET "/api/v1/reports/nothing" -H "$(as "$tok_reg")"
[ "$status" = 400 ] && [ "$(json "d['error']['code']")" = bad_parameter ] ||
    fail "an unknown indicator: $status $body"
req GET "/api/v1/reports/coverage?by=shoe_size" -H "$(as "$tok_reg")"
[ "$status" = 400 ] || fail "an unknown breakdown: $status"
req GET "/api/v1/reports/coverage?from=2026-07-01&as_of=2026-06-01" -H "$(as "$tok_reg")"
[ "$status" = 400 ] || fail "from after as_of: $status"
req GET "/api/v1/reports/coverage"
[ "$status" = 401 ] || fail "a report without a token: $status"

# --- the OpenAPI description names every /api/ route ---
req GET /api/v1/openapi.json
[ "$status" = 200 ] || fail "openapi.json: $status"
"$SPFLOOR" serve --routes | grep ' /api/' | while read -r method path; do
    python3 -c "import json,sys; d=json.load(open('$work/body'))
sys.exit(0 if '${method,,}' in d['paths'].get('$path', {}) else 1)" ||
        echo "FAIL: $method $path is not in openapi.json" >&2
done 2>&1 | grep FAIL && fail "routes missing from openapi.json"

# --- sessions, CSRF, pages ---
jar="$work/jar"
page() { req GET "$1" -b "$jar" -c "$jar"; }
page /login
[ "$status" = 200 ] || fail "the login page: $status"
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$work/body" | head -1)
req POST /login -b "$jar" -c "$jar" --data-urlencode name=reg --data-urlencode "password=$password"
[ "$status" = 403 ] || fail "a login without the form's token: $status"
req POST /login -b "$jar" -c "$jar" --data-urlencode name=reg \
    --data-urlencode "password=$password" --data-urlencode "csrf=$csrf"
[ "$status" = 303 ] || fail "login: $status $body"
contains "$headers" "HttpOnly; SameSite=Strict" "the session cookie is HttpOnly and SameSite"
page "/search?q=Sita"
contains "$body" "/persons/$sita\">Sita Sharma</a>" "the search page finds Sita"
page "/persons/$sita"
[ "$status" = 200 ] || fail "the single window: $status"
contains "$body" "Eligible" "the single window shows a verdict"
contains "$body" "Aged" "the single window shows a reason"
contains "$body" "1952-03-01 (2008-11-18 BS)" "dates in BS for Nepal"
contains "$body" "<h2 id=\"contributions\">Contributions</h2>" "the single window shows contributions"
contains "$body" "<td>np.ssa.senior_citizen</td><td>sickness</td><td>2026-05-01</td><td>approved</td>" \
    "the single window shows the claim"
contains "$body" "The family name is misspelt" "the single window shows the grievance"
contains "$body" "9800000001" "the single window shows the history of corrections"
contains "$body" "new phone" "with why"
[ "${#body}" -lt 51200 ] || fail "the single window is ${#body} bytes"
form_csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$work/body" | head -1)
contains "$body" "/persons/$sita/card.svg" "the single window shows the card"
page "/persons/$sita/card.svg"
[ "$status" = 200 ] || fail "the card: $status"
contains "$headers" "Content-Type: image/svg+xml" "the card is an SVG image"
contains "$body" "0000 0000" "the card prints the worker ID"
req GET "/persons/$sita/card.svg" -H "$(as "$tok_wrk")"
[ "$status" = 403 ] || fail "a worker reads another's card: $status"
req POST /api/v1/persons -b "$jar" -d "$asha"
[ "$status" = 403 ] || fail "a session's POST without its CSRF token: $status"
req POST /register -b "$jar" --data "given_name=Ram&family_name=Rai&sex=male&birth_date=2090-01-01&country=NP"
[ "$status" = 403 ] || fail "a form without the CSRF token: $status"
req POST /register -b "$jar" --data "csrf=$form_csrf&given_name=Ram&family_name=Rai&sex=male&birth_date=2090-01-01&country=NP"
[ "$status" = 400 ] || fail "a bad birth date: $status"
contains "$body" 'id="birth_date" name="birth_date" aria-describedby="birth_date-note" aria-invalid="true"' \
    "the birth date is marked"
contains "$body" '<p class="problem" id="birth_date-note">birth_date' "its message is beside it"
contains "$body" 'list="admin2-list"' "the district field offers the gazetteer's districts"
contains "$body" '<option value="Jumla">जुम्ला · NP</option>' "in the local script too"
[ "${#body}" -lt 51200 ] || fail "the register page is ${#body} bytes"
req POST /register -b "$jar" --data "csrf=$form_csrf&given_name=Ram&family_name=Rai&sex=male&birth_date=2010-01-01&country=NP&admin2=Ilam"
[ "$status" = 200 ] || fail "a Nepali birth date that may be BS: $status"
contains "$body" 'name="birth_ad"' "it asks whether the date is AD"
contains "$body" "BS" "with both readings"
req POST /register -b "$jar" --data "csrf=$form_csrf&given_name=Bina&family_name=Shrestha&sex=female&birth_date=2010-01-01&country=NP&admin2=Ilam&birth_ad=1"
[ "$status" = 303 ] || fail "a Nepali birth date confirmed as AD: $status"
req POST /register -b "$jar" --data "csrf=$form_csrf&given_name=Ram&family_name=Rai&sex=male&birth_date=2030-01-01%20BS&country=NP&admin2=Ilam"
[ "$status" = 303 ] || fail "register with a BS date: $status $body"
contains "$headers" "Location: /persons/" "register goes to the new person's page"
page "/dashboard?as_of=2026-06-01&country=NP"
[ "$status" = 200 ] || fail "the dashboard: $status"
contains "$body" "<svg" "the dashboard draws bars"
contains "$body" "% women and " "the dashboard gives the share of women"
contains "$body" "under 35 years" "and of the under-35s"
contains "$body" "Bagmati" "coverage by province"
[ "${#body}" -lt 51200 ] || fail "the dashboard is ${#body} bytes"
page "/dashboard?as_of=2026-06-01"
contains "$body" "Coverage by country" "across countries the dashboard breaks down by country"
# a claim and a grievance filed through the forms
page "/persons/$sita/claim"
[ "$status" = 200 ] && contains "$body" '<option value="np.ssa.senior_citizen"' "the claim form offers Nepal's schemes"
[ "${#body}" -lt 51200 ] || fail "the claim form is ${#body} bytes"
req POST "/persons/$sita/claim" -b "$jar" --data "scheme=np.ssa.senior_citizen&event=sickness&date=2026-05-02"
[ "$status" = 403 ] || fail "a claim form without the CSRF token: $status"
req POST "/persons/$sita/claim" -b "$jar" --data "csrf=$form_csrf&scheme=np.ssa.senior_citizen&event=sickness&date=2090-01-01"
[ "$status" = 400 ] && contains "$body" 'role="alert"' "a claim dated in the future is refused beside the form"
req POST "/persons/$sita/claim" -b "$jar" --data "csrf=$form_csrf&scheme=np.ssa.senior_citizen&event=sickness&date=2083-01-19%20BS"
[ "$status" = 303 ] && contains "$headers" "Location: /persons/$sita#claims" "a claim filed goes back to the person" ||
    fail "a claim through the form: $status $body"
[ "$(sp claim list "$sita" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ] ||
    fail "the form's claim is stored"
page "/persons/$sita/grievance"
[ "$status" = 200 ] || fail "the grievance form: $status"
req POST "/persons/$sita/grievance" -b "$jar" --data "csrf=$form_csrf&about=claim&ref=2&text=Paid%20late"
[ "$status" = 303 ] || fail "a grievance through the form: $status $body"
page "/persons/$sita"
contains "$body" "Paid late" "the grievance filed shows on the single window"
req GET "/persons/$sita/claim" -H "$(as "$tok_wrk")"
[ "$status" = 403 ] || fail "a worker files a claim: $status"
req GET "/persons/$hari/grievance" -H "$(as "$tok_wrk")"
[ "$status" = 200 ] || fail "a worker opens a grievance of their own: $status"
req GET "/persons/$maya/grievance" -H "$(as "$tok_wrk")"
[ "$status" = 403 ] || fail "a worker opens another's grievance: $status"
# the payroll runs and their pain.001, for payers
expect 0 "Sita's account" -- sp person update "$sita" --account NP12BANK000123 --reason "bank account"
expect 0 "Sita enrolled" -- sp enroll "$sita" np.ssa.senior_citizen --from 2025-07-17
expect 0 "a payroll" -- sp payroll run --scheme np.ssa.senior_citizen --period 2082/83-Q3
page /payroll
[ "$status" = 403 ] || fail "a registrar reads the payroll runs: $status"
req GET /payroll -H "$(as "$tok_pay")"
[ "$status" = 200 ] && contains "$body" "PAY-000001" "the payroll page lists the batch"
contains "$body" "12000.00 NPR" "with its amount"
req POST /payroll/PAY-000001/pain.001 -H "$(as "$tok_reg")"
[ "$status" = 403 ] || fail "a registrar downloads a pain.001: $status"
req POST /payroll/PAY-000001/pain.001 -H "$(as "$tok_pay")"
[ "$status" = 200 ] || fail "the pain.001: $status $body"
contains "$headers" 'Content-Disposition: attachment; filename="PAY-000001.pain.001.xml"' "it downloads as a file"
contains "$body" "<MsgId>PAY-000001</MsgId>" "it is the batch's pain.001"
contains "$body" "NP12BANK000123" "paying Sita's account"
req POST /payroll/PAY-999999/pain.001 -H "$(as "$tok_pay")"
[ "$status" = 404 ] || fail "an unknown batch: $status"
# the audit trail of one object
page "/audit?object=$sita"
[ "$status" = 403 ] || fail "a registrar reads the audit trail: $status"
req GET "/audit?object=$sita" -H "$(as "$tok_aud")"
[ "$status" = 200 ] && contains "$body" "claim.file" "the audit trail shows the claim filed"
contains "$body" "grievance.open" "and the grievance"
[ "${#body}" -lt 51200 ] || fail "the audit page is ${#body} bytes"
# a long ledger: the page shows the latest entries and stays small
expect 0 "an employee in Kathmandu" -- sp person add --given-name Gita --family-name Tamang \
    --sex female --birth-date 1994-02-01 --country NP --admin1 Bagmati --admin2 Kathmandu \
    --worker-category formal_employee
gita=$out
{
    echo "person,scheme,month,wage"
    for y in 2022 2023 2024 2025; do
        for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
            echo "$gita,np.ssf.contributions,$y-$m,30000.00"
        done
    done
} >"$work/ledger.csv"
expect 0 "48 months of contributions" -- sp import contributions "$work/ledger.csv"
page "/persons/$gita"
contains "$body" "The latest entries" "a long ledger shows its latest entries"
[ "$(grep -c '<td>np.ssf.contributions</td>' "$work/body")" = 36 ] || fail "36 months shown"
contains "$body" "<td>2025-12</td>" "the latest month among them"
[ "${#body}" -lt 51200 ] || fail "the single window with a long ledger is ${#body} bytes"
# languages: ?lang= (kept in a cookie), else Accept-Language
page "/persons/$sita?lang=ne"
contains "$body" '<html lang="ne">' "?lang=ne gives the page in Nepali"
contains "$body" "<h2>सुविधाहरू</h2>" "its headings translated"
contains "$body" "योग्य" "and the verdicts"
contains "$headers" "Set-Cookie: sp_lang=ne" "the choice is kept"
page /dashboard
contains "$body" '<html lang="ne">' "the next page is in Nepali too"
contains "$body" "लिङ्गअनुसार संरक्षण" "the dashboard's figures are named in Nepali"
page "/search?lang=en"
contains "$body" "Search the registry" "?lang=en goes back to English"
req GET /login -H "Accept-Language: id-ID,id;q=0.9,en;q=0.5"
contains "$body" '<html lang="id">' "Accept-Language chooses Indonesian"
contains "$body" "Kata sandi" "the sign-in form in Indonesian"
req GET /login -H "Accept-Language: fr, en;q=0.1"
contains "$body" '<html lang="en">' "a language without a catalogue gives English"
page /public
[ "$status" = 200 ] || fail "the public page: $status"
contains "$body" "Under 35" "the public page shows the share of under-35s"
for name in Sita Maya Hari Asha Ram Bina; do
    case "$body" in *"$name"*) fail "the public page shows $name" ;; esac
done
req POST /logout -b "$jar" -c "$jar" --data "csrf=$form_csrf"
[ "$status" = 303 ] || fail "logout: $status"
page "/persons/$sita"
[ "$status" = 303 ] || fail "after logout the page asks to sign in: $status"

# the login rate limit
page /login
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$work/body" | head -1)
for i in 1 2 3 4 5; do
    req POST /login -b "$jar" --data "name=aud&password=wrong-$i&csrf=$csrf"
    [ "$status" = 401 ] || fail "a wrong password: $status"
done
req POST /login -b "$jar" --data-urlencode name=aud --data-urlencode "password=$password" \
    --data-urlencode "csrf=$csrf"
[ "$status" = 429 ] || fail "the sixth attempt is held back: $status"
contains "$headers" "Retry-After:" "429 says when to try again"

# --- what a client should not send: refused, and the server goes on answering ---
req GET /api/v1/openapi.json -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)"
[ "$status" = 431 ] || fail "huge headers: $status"
printf '{"given_name": "\xff\xfe", "family_name": "X"}' >"$work/broken"
req POST /api/v1/persons -H "$(as "$tok_reg")" --data-binary @"$work/broken"
[ "$status" = 400 ] && [ "$(json "d['error']['code']")" = bad_json ] || fail "broken UTF-8: $body"
for _ in $(seq 40); do # random bytes, and requests cut short
    timeout 2 bash -c "head -c 3000 /dev/urandom >/dev/tcp/127.0.0.1/$port" 2>/dev/null
    timeout 2 bash -c "printf 'POST /api/v1/persons HTTP/1.1\r\nContent-Length: 90\r\n\r\n{' \
        >/dev/tcp/127.0.0.1/$port" 2>/dev/null
done
slow=()
for _ in $(seq 20); do # slowloris: headers that never end, held open
    bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'GET / HTTP/1.1\r\nHost: x\r\n' >&3;
        sleep 4" 2>/dev/null &
    slow+=($!)
done
sleep 0.5
req GET "/api/v1/persons/$sita" -H "$(as "$tok_reg")" --max-time 3
[ "$status" = 200 ] || fail "after bad clients, a normal request: $status"
kill "${slow[@]}" 2>/dev/null
wait "${slow[@]}" 2>/dev/null

# --- a revoked user's tokens open nothing ---
expect 0 "revoke" -- sp user revoke pay
contains "$out" "ended every session and token of pay (1)" "revoke says how many"
req GET "/api/v1/persons/$sita" -H "$(as "$tok_pay")"
[ "$status" = 401 ] || fail "a revoked token: $status"
expect 2 "revoke nobody" -- sp user revoke nobody

# --- SIGTERM while a request is being sent: it is answered ---
gita='{"given_name": "Gita", "family_name": "Magar", "sex": "female", "birth_date": "1991-02-02",
    "country": "NP", "admin2": "Ilam"}'
( sleep 1; echo "$gita" ) | curl -s -o "$work/late" -w '%{http_code}' -X POST \
    -H "$(as "$tok_reg")" -H 'Transfer-Encoding: chunked' \
    -T - "$base/api/v1/persons" >"$work/late.status" &
curl_pid=$!
sleep 0.5
kill -TERM "$server_pid"
wait "$curl_pid"
[ "$(cat "$work/late.status")" = 201 ] || fail "the request in flight: $(cat "$work/late.status")"
wait "$server_pid"
rc=$?
server_pid=
[ "$rc" = 0 ] || fail "the server exits 0 on SIGTERM: $rc"
contains "$(cat "$work/serve.log")" "stopped (SIGTERM)" "the server says it stopped"
contains "$(cat "$work/access.log")" "reg \"POST /api/v1/persons\" 201" "the access log"
case "$(cat "$work/access.log")" in *q=*) fail "the access log holds a search's words" ;; esac
finish web_api
