#!/bin/bash
# web_writes.sh: the JSON API's writes on a person's records and the payroll runs (docs/web.md)
# over real HTTP on loopback, against an SQLite file, or PostgreSQL when SPFLOOR_WEB_DB is
# given (postgres_web_writes.sh). For each route: its success, then its refusals: 401 without
# a token, 403 for a role without the right (audited) or a session without its CSRF token, 400
# with the JSON pointer of the field (bad JSON, a duplicate key, an unknown field, a missing or
# wrong value, money as a number), 409 where the rules or the state machine refuse. An
# enrolment and a payroll run sent twice with one Idempotency-Key: the same reply, nothing
# made twice.
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
unset SPFLOOR_GRIEVANCE_POLICY
source "$(dirname "$0")/../support/cli.bash"
sp() { "$SPFLOOR" --quiet "$@"; }
senior=np.ssa.senior_citizen

expect 0 "init" -- sp init
expect 0 "an old woman in Kathmandu" -- sp person add --given-name Maya --family-name Gurung \
    --sex female --birth-date 1950-04-02 --country NP --admin1 Bagmati --admin2 Kathmandu \
    --account 01002003001
maya=$out
expect 0 "a young man in Kaski" -- sp person add --given-name Hari --family-name Thapa \
    --sex male --birth-date 1988-09-09 --country NP --admin1 Gandaki --admin2 Kaski
hari=$out
expect 0 "a Cambodian factory worker" -- sp person add --given-name Sreyleak --family-name Chan \
    --sex female --birth-date 1996-02-01 --country KH --admin1 "Phnom Penh" \
    --worker-category formal_employee
sreyleak=$out
password="a long enough password"
for u in "reg registrar" "adj adjudicator" "aud auditor" "pay payer"; do
    set -- $u
    echo "$password" | sp user add "$1" --role "$2" >/dev/null || fail "user add $1"
done
echo "$password" | sp user add part --role partner --area Gandaki/Kaski >/dev/null ||
    fail "user add partner"
echo "$password" | sp user add wrk --role worker --person "$hari" >/dev/null || fail "user add worker"
for u in reg adj aud pay part wrk; do
    declare "tok_$u=$(sp user token "$u")"
done

"$SPFLOOR" serve --listen 127.0.0.1:0 --threads 2 2>"$work/serve.log" &
server_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { fail "the server did not start: $(cat "$work/serve.log")"; finish web_writes; }
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
# post TOKEN PATH BODY [CURL ARGS...]
post() {
    local token=$1 path=$2 data=$3
    shift 3
    req POST "$path" -H "$(as "$token")" -H 'Content-Type: application/json' -d "$data" "$@"
}
# refused STATUS CODE FIELD DESCRIPTION: the last reply was this error
refused() {
    [ "$status" = "$1" ] || { fail "$4: status $status, expected $1: $body"; return; }
    [ "$(json "d['error']['code']")" = "$2" ] || fail "$4: code: $body"
    [ "$(json "d['error'].get('field')")" = "$3" ] || fail "$4: field: $body"
}
audit_entries() { sp audit show | wc -l; }

# ---- enrolments ----
enrol_path="/api/v1/persons/$maya/enrolments"
maya_enrol='{"scheme": "'$senior'", "from": "2026-06-01", "reason": "eligible on the day"}'
before=$(audit_entries)
post "$tok_reg" "$enrol_path" "$maya_enrol" -H 'Idempotency-Key: enrol-maya-1'
[ "$status" = 201 ] || fail "an enrolment: $status $body"
[ "$(json "d['scheme'] + ' ' + d['from'] + ' ' + d['decision'] + ' ' + str(d['added'])")" = \
    "$senior 2026-06-01 eligible True" ] || fail "the enrolment's reply: $body"
first=$body
after=$(audit_entries)
[ "$after" -gt "$before" ] || fail "the enrolment is audited"
post "$tok_reg" "$enrol_path" "$maya_enrol" -H 'Idempotency-Key: enrol-maya-1'
[ "$status" = 201 ] && [ "$body" = "$first" ] || fail "the enrolment replayed: $status $body"
contains "$headers" "Idempotent-Replayed: true" "the replay says it is one"
expect 0 "Maya's enrolments" -- sp enroll list "$maya"
[ "$(grep -c "$senior" <<<"$out")" = 1 ] || fail "one enrolment, not two: $out"
[ "$(audit_entries)" = "$after" ] || fail "the replay wrote to the audit log"
post "$tok_reg" "$enrol_path" '{"scheme": "'$senior'", "from": "2026-06-01", "reason": "x"}' \
    -H 'Idempotency-Key: enrol-maya-1'
refused 422 idempotency_key_reused None "the key with another body"
post "$tok_reg" "$enrol_path" "$maya_enrol"
[ "$status" = 200 ] && [ "$(json "d['added']")" = False ] || fail "enrolled again: $status $body"
# refusals
post "$tok_reg" "/api/v1/persons/$hari/enrolments" \
    '{"scheme": "'$senior'", "from": "2026-06-01", "reason": "asked"}'
refused 409 conflict /scheme "a man of 37 is not a senior citizen"
contains "$body" "not_eligible" "the rules' decision is said"
post "$tok_adj" "/api/v1/persons/$hari/enrolments" \
    '{"scheme": "'$senior'", "from": "2026-06-01", "override_reason": "appeal upheld", "reason": "appeal"}'
[ "$status" = 201 ] && [ "$(json "d['override']")" = True ] || fail "an override: $status $body"
req POST "$enrol_path" -H 'Content-Type: application/json' -d "$maya_enrol"
refused 401 unauthenticated None "an enrolment without a token"
post "$tok_pay" "$enrol_path" "$maya_enrol"
refused 403 forbidden None "a payer enrols no one"
post "$tok_reg" "$enrol_path" '{"scheme": "'$senior'", "from": "2026-06-01", "reason": "a", "reason": "b"}'
refused 400 bad_json "" "a duplicate key"
post "$tok_reg" "$enrol_path" '{"scheme": "'$senior'", "from": "2026-06-01", "reason": "a", "colour": "red"}'
refused 400 unknown_field /colour "an unknown field"
post "$tok_reg" "$enrol_path" '{"scheme": "'$senior'", "from": "2026-06-01", "reason": "a", "a/b~c": "x"}'
refused 400 unknown_field "/a~1b~0c" "an unknown field's pointer escaped (RFC 6901)"
post "$tok_reg" "$enrol_path" '{"scheme": "'$senior'", "reason": "a"}'
refused 400 missing_field /from "no first day"
post "$tok_reg" "$enrol_path" '{"scheme": "'$senior'", "from": "2026-02-30", "reason": "a"}'
refused 400 invalid /from "a day that is none"
post "$tok_reg" "$enrol_path" '{"scheme": 7, "from": "2026-06-01", "reason": "a"}'
refused 400 wrong_type /scheme "a number for a scheme"
post "$tok_reg" "$enrol_path" '{"scheme": "np.nothing", "from": "2026-06-01", "reason": "a"}'
refused 400 invalid None "an unknown scheme"
post "$tok_reg" "/api/v1/persons/000000000999/enrolments" "$maya_enrol"
refused 404 not_found None "no such person"

# ---- grievances ----
griev_path="/api/v1/persons/$maya/grievances"
post "$tok_reg" "$griev_path" '{"about": "registration", "text": "My name is misspelt"}'
[ "$status" = 201 ] || fail "a grievance: $status $body"
[ "$(json "d['about'] + '/' + d['state']")" = registration/open ] || fail "the grievance: $body"
post "$tok_wrk" "/api/v1/persons/$hari/grievances" '{"about": "enrolment", "ref": "'$senior'", "text": "Why?"}'
[ "$status" = 201 ] || fail "a worker's own grievance: $status $body"
post "$tok_wrk" "$griev_path" '{"about": "registration", "text": "not mine"}'
refused 403 forbidden None "a worker's grievance on another's record"
post "$tok_reg" "$griev_path" '{"about": "registration", "text": "x", "urgent": "yes"}'
refused 400 unknown_field /urgent "an unknown field of a grievance"
post "$tok_reg" "$griev_path" '{"about": "registration"}'
refused 400 missing_field /text "a grievance without its text"
post "$tok_reg" "$griev_path" '{"about": "weather", "text": "too hot"}'
refused 400 invalid /about "a grievance about nothing known"
req GET "$griev_path" -H "$(as "$tok_reg")"
[ "$(json "len(d['grievances'])")" = 1 ] || fail "the refusals stored no grievance: $body"

# ---- claims ----
claim_path="/api/v1/persons/$sreyleak/claims"
birth='{"scheme": "kh.nssf.childbirth_allowance", "event": "birth", "date": "2026-05-10", "fields": {}, "reason": "form NSSF-CB1"}'
post "$tok_reg" "$claim_path" '{"scheme": "kh.nssf.childbirth_allowance", "event": "birth", "date": "2026-05-10", "fields": {"weight": "3.2"}}'
refused 400 invalid /fields/weight "a fact neither the event nor the scheme takes"
post "$tok_reg" "$claim_path" '{"scheme": "kh.nssf.childbirth_allowance", "event": "birth", "date": "2026-05-10", "fields": {"child": 7}}'
refused 400 wrong_type /fields/child "a fact given as a number"
post "$tok_reg" "$claim_path" '{"scheme": "kh.nssf.childbirth_allowance", "event": "birth", "date": "2090-01-01"}'
refused 400 invalid /date "a birth in the future"
post "$tok_reg" "$claim_path" '{"scheme": "kh.nssf.childbirth_allowance", "event": "birth"}'
refused 400 missing_field /date "a claim without its date"
post "$tok_reg" "$claim_path" '{"scheme": "kh.nssf.childbirth_allowance", "event": "birth", "date": "2026-05-10", "evidence": "a.pdf"}'
refused 400 unknown_field /evidence "evidence is not sent in JSON"
post "$tok_wrk" "$claim_path" "$birth"
refused 403 forbidden None "a worker files no claim"
req POST "$claim_path" -H 'Content-Type: application/json' -d "$birth"
refused 401 unauthenticated None "a claim without a token"
[ "$(sp claim list "$sreyleak" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] ||
    fail "the refused claims stored nothing"
post "$tok_reg" "$claim_path" "$birth"
[ "$status" = 201 ] || fail "a claim: $status $body"
claim=$(json "d['id']")
[ "$(json "d['state'] + ' ' + d['amount']")" = "approved 400000.00" ] || fail "the claim decided: $body"
post "$tok_reg" "$claim_path" "$birth"
refused 409 conflict None "the same claim filed twice"
state_path="/api/v1/claims/$claim/state"
post "$tok_adj" "$state_path" '{"to": "paid", "reason": "paid at the counter", "amount": 400000}'
refused 400 wrong_type /amount "money as a number"
post "$tok_adj" "$state_path" '{"to": "paid", "reason": "paid at the counter", "amount": "four"}'
refused 400 invalid /amount "money that is no amount"
post "$tok_adj" "$state_path" '{"to": "sideways", "reason": "x"}'
refused 400 invalid /to "a state that is none"
post "$tok_adj" "$state_path" '{"to": "paid"}'
refused 400 missing_field /reason "a move without its reason"
post "$tok_pay" "$state_path" '{"to": "paid", "reason": "x"}'
refused 403 forbidden None "a payer moves no claim"
post "$tok_adj" /api/v1/claims/999/state '{"to": "paid", "reason": "x"}'
refused 404 not_found None "no such claim"
post "$tok_adj" "$state_path" '{"to": "paid", "reason": "paid at the counter", "amount": "399000.00"}'
[ "$status" = 200 ] && [ "$(json "d['state'] + ' ' + d['paid']")" = "paid 399000.00" ] ||
    fail "a claim paid: $status $body"
post "$tok_adj" "$state_path" '{"to": "approved", "reason": "again"}'
refused 409 conflict /to "a paid claim is final"

# ---- payroll ----
run='{"scheme": "'$senior'", "period": "2082/83-Q4"}'
payments() { # Maya's payments
    curl -s -H "$(as "$tok_reg")" "$base/api/v1/persons/$maya/payments" |
        python3 -c 'import json,sys; print(len(json.load(sys.stdin)["payments"]))'
}
post "$tok_reg" /api/v1/payroll/runs "$run"
refused 403 forbidden None "a registrar runs no payroll"
req POST /api/v1/payroll/runs -H 'Content-Type: application/json' -d "$run"
refused 401 unauthenticated None "a payroll without a token"
post "$tok_pay" /api/v1/payroll/runs '{"scheme": "'$senior'", "period": "2082/83-Q4", "bank": "x"}'
refused 400 unknown_field /bank "an unknown field of a run"
post "$tok_pay" /api/v1/payroll/runs '{"scheme": "'$senior'"}'
refused 400 missing_field /period "a run without its period"
post "$tok_pay" /api/v1/payroll/runs '{"scheme": "np.nothing", "period": "2082/83-Q4"}'
refused 400 invalid None "a run of no scheme"
post "$tok_pay" /api/v1/payroll/runs '{"scheme": "'$senior'", "period": "2082/83-Q4", "as_of": "someday"}'
refused 400 invalid /as_of "a day that is none"
post "$tok_pay" /api/v1/payroll/runs "$run" -H 'Idempotency-Key: run-q4'
[ "$status" = 201 ] || fail "a payroll run: $status $body"
[ "$(json "str(d['created']) + ' ' + d['amount'] + ' ' + d['currency']")" = "1 12000.00 NPR" ] ||
    fail "Maya paid the quarter: $body"
[ "$(json "d['not_paid'][0]['person']")" = "$hari" ] || fail "Hari, without an account, is listed: $body"
first=$body
count=$(payments)
[ "$count" = 1 ] || fail "Maya has one payment: $count"
post "$tok_pay" /api/v1/payroll/runs "$run" -H 'Idempotency-Key: run-q4'
[ "$status" = 201 ] && [ "$body" = "$first" ] || fail "the run replayed: $status $body"
contains "$headers" "Idempotent-Replayed: true" "the run's replay says it is one"
[ "$(payments)" = "$count" ] || fail "the replay made payments"
post "$tok_pay" /api/v1/payroll/runs "$run"
[ "$status" = 200 ] && [ "$(json "d['created']")" = 0 ] || fail "the run again without a key: $status $body"
[ "$(payments)" = "$count" ] || fail "the run again made payments"
req GET /api/v1/payroll/batches -H "$(as "$tok_pay")"
[ "$status" = 200 ] && [ "$(json "len(d['batches'])")" = 1 ] || fail "the batches: $status $body"
[ "$(json "d['batches'][0]['payments']['created']['amount']")" = 12000.00 ] || fail "the batch's sums: $body"
req GET /api/v1/payroll/batches -H "$(as "$tok_reg")"
refused 403 forbidden None "a registrar sees no batches"

# ---- a browser session: its CSRF token in X-CSRF-Token; a partner outside their area ----
jar="$work/jar"
req GET /login -b "$jar" -c "$jar"
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$work/body" | head -1)
req POST /login -b "$jar" -c "$jar" --data-urlencode name=adj \
    --data-urlencode "password=$password" --data-urlencode "csrf=$csrf"
[ "$status" = 303 ] || fail "login: $status $body"
req GET "/persons/$maya" -b "$jar" -c "$jar"
form_csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$work/body" | head -1)
[ -n "$form_csrf" ] || fail "the single window holds the session's CSRF token"
before=$(audit_entries)
req POST "$griev_path" -b "$jar" -H 'Content-Type: application/json' \
    -d '{"about": "payment", "text": "Paid late"}'
refused 403 forbidden None "a session's grievance without its CSRF token"
[ "$(audit_entries)" -gt "$before" ] || fail "the refusal is in the audit log"
req POST "$griev_path" -b "$jar" -H "X-CSRF-Token: $form_csrf" -H 'Content-Type: application/json' \
    -d '{"about": "payment", "text": "Paid late"}'
[ "$status" = 201 ] || fail "a session's grievance with its CSRF token: $status $body"
req POST "/api/v1/persons/$hari/enrolments" -b "$jar" -H 'Content-Type: application/json' \
    -d '{"scheme": "'$senior'", "from": "2026-06-01", "reason": "x"}'
refused 403 forbidden None "a session's enrolment without its CSRF token"
post "$tok_part" "$griev_path" '{"about": "registration", "text": "not in my area"}'
refused 403 forbidden None "a partner's grievance outside their area"

finish web_writes
