# policy.sh - mrm policy: the shipped register, add with its checks, links,
# the policy on the ground as table, CSV, JSON and the HTML report, and the
# same over the API. Expected figures are worked out in tests/test_policy.c
# from the fixture tests/data/policy/crackdown.csv.
. "$(dirname "$0")/lib.sh.inc"

FIXTURE=$MRM_SOURCE_DIR/tests/data/policy/crackdown.csv

expect_exit 0 mrm policy --help
contains out "mrm policy impact --db FILE --policy KEY"
expect_exit 0 mrm help policy
contains out "cabinet_resolution"
expect_exit 2 mrm policy
contains err "say list, show, add"
expect_exit 2 mrm policy list
contains err "--db FILE is required"

newdb p.db MKN-TH
expect_exit 0 mrm import --db p.db --org MKN-TH "$FIXTURE"

# the shipped register, each row with its source
expect_exit 0 mrm policy list --db p.db --format csv
expect_eq 27 "$(wc -l <"$T/out" | tr -d ' ')" "header and 26 shipped policies"
contains out "th-crackdown-2014-06,TH,measure,2014-06"
expect_exit 0 mrm policy list --db p.db --country KH
expect_eq 5 "$(wc -l <"$T/out" | tr -d ' ')" "Cambodia's and the regional ones"
contains out "clmtv-portability-framework-2019"
expect_exit 1 mrm policy list --db p.db --country XX
contains err "unknown country \"XX\""
expect_exit 0 mrm policy show --db p.db th-crackdown-2014-06
contains out "220,000 Cambodians"
contains out "(none linked)"
expect_exit 1 mrm policy show --db p.db th-crackdown
contains err "closest: th-crackdown-2014-06"
expect_exit 0 mrm policy install --db p.db
contains out "Loaded 26 shipped policies."

# add: checks first, nothing written on error
add() {
	mrm policy add --db p.db --key th-test-deadline --country TH \
		--instrument cabinet_resolution --title "Registration deadline" \
		--source "Cabinet resolution" "$@"
}
expect_exit 2 mrm policy add --db p.db --key th-x --country TH
contains err "add needs --instrument"
expect_exit 1 add --date 2025-02-30
contains err "adopted: day 30 does not exist"
expect_exit 1 add --date 2025-02 --country Atlantis
contains err "unknown country \"Atlantis\""
expect_exit 1 add --date 2025-02 --instrument treaty
contains err "unknown instrument \"treaty\""
expect_exit 1 add --date 2025-02 --from 2025-03 --to 2025-01
contains err "effective_to"
expect_exit 0 mrm policy list --db p.db --format csv
expect_eq 27 "$(wc -l <"$T/out" | tr -d ' ')" "nothing added by the errors"
expect_exit 0 add --date 2025-02 --summary "Last day to register"
contains out "Added policy th-test-deadline."
expect_exit 1 add --date 2025-02
contains err "exists already"

# links
expect_exit 0 mrm policy link --db p.db --event 3 --policy th-crackdown-2014-06
contains out "Linked event 3 to policy th-crackdown-2014-06."
expect_exit 1 mrm policy link --db p.db --event 999 --policy th-crackdown-2014-06
contains err "no event with id 999"
expect_exit 1 mrm policy link --db p.db --event 3 --policy nope
contains err "no policy \"nope\""
expect_exit 2 mrm policy link --db p.db --event three --policy nope
contains err "--event must be an event id"
expect_exit 0 mrm policy show --db p.db --format json th-crackdown-2014-06
contains out '"events":[3]'
expect_exit 0 mrm policy unlink --db p.db --event 3 --policy th-crackdown-2014-06
expect_exit 1 mrm policy unlink --db p.db --event 3 --policy th-crackdown-2014-06
contains err "is not linked"

# the policy on the ground
expect_exit 0 mrm policy impact --db p.db --policy th-crackdown-2014-06
contains out "Before:  2013-06-01 to 2014-05-31"
contains out "source: The network's arrest, detention and deportation"
expect_exit 0 mrm policy impact --db p.db --policy th-crackdown-2014-06 --format csv
contains out "arrest,1,3,+2,1,52,+51"
contains out "detention,2,0,-2,13,0,-13"
contains out "total,3,4,+1,14,102,+88"
expect_exit 0 mrm policy impact --db p.db --policy th-crackdown-2014-06 \
	--by nationality --country any --format csv
contains out "KH,1,2,+1,12,100,+88"
contains out "MM,3,1,-2,3,1,-2"
expect_exit 0 mrm policy impact --db p.db --policy th-crackdown-2014-06 \
	--public --format json
contains out '"before":"<5"'
contains out '"unplaced":{"acts":"<5","persons":7}'
expect_exit 0 mrm policy impact --db p.db --policy th-crackdown-2014-06 \
	--format html --out impact.html
contains impact.html "Policy on the ground: June 2014 crackdown"
contains impact.html "<dt>Source</dt>"
contains impact.html "<svg"
expect_eq "-rw-------" "$(mode impact.html)" "the report is private"
expect_exit 2 mrm policy impact --db p.db --policy th-crackdown-2014-06 --window 0
contains err "--window must be 1 to 120"
expect_exit 2 mrm policy impact --db p.db --policy th-crackdown-2014-06 --k 3
contains err "--k goes with --public"
expect_exit 1 mrm policy impact --db p.db --policy th-royal-decree-recruitment-2016
contains err "dated to the year only"
expect_exit 0 mrm policy impact --db p.db --policy th-royal-decree-recruitment-2016 \
	--at 2016-07 --format csv
contains out "total,0,0,0,0,0,0"
expect_exit 1 mrm policy impact --db p.db --policy th-crackdown-2014-06 --by sex
contains err "unknown breakdown \"sex\""

# the API
echo "$PASSWORD" | mrm user add --db p.db --org MKN-TH --login coord \
	--role coordinator >/dev/null
echo "$PASSWORD" | mrm user add --db p.db --org MKN-TH --login caseworker1 \
	--role caseworker >/dev/null
COORD=$(mrm token add --db p.db --login coord --name t | tail -n 1)
CW=$(mrm token add --db p.db --login caseworker1 --name t | tail -n 1)
serve_up p.db
api() { # api TOKEN METHOD PATH [BODY]: status in $T/status, body in $T/out
	tok=$1 method=$2 path=$3
	shift 3
	curl -s -o "$T/out" -w '%{http_code}' -X "$method" \
		-H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
		${1+--data "$1"} "$URL$path" >"$T/status"
}
api "$CW" GET "/api/v1/policies?country=KH"
expect_eq 200 "$(cat "$T/status")" "list"
contains out '"key":"kh-nssf-pension-2022"'
api "$CW" GET /api/v1/policies/th-crackdown-2014-06/impact
expect_eq 200 "$(cat "$T/status")" "impact"
contains out '"total":{"acts":{"before":3,"after":4,"change":1}'
api "$CW" POST /api/v1/policies '{"key":"th-x-1","country":"TH","instrument":"law","title":"T","adopted":"2020","source":"S"}'
expect_eq 403 "$(cat "$T/status")" "a caseworker may not add"
api "$COORD" POST /api/v1/policies '{"key":"th-x-1","country":"XX","instrument":"law","title":"T","adopted":"2020","source":"S"}'
expect_eq 400 "$(cat "$T/status")" "unknown country"
contains out '"field":"country"'
api "$COORD" POST /api/v1/policies '{"key":"th-x-1","country":"TH","instrument":"law","title":"T","adopted":"2020","source":"S"}'
expect_eq 201 "$(cat "$T/status")" "a coordinator adds"
api "$CW" POST /api/v1/events/2/policies '{"policy":"th-x-1"}'
expect_eq 201 "$(cat "$T/status")" "link"
contains out '"policies":["th-x-1"]'
api "$CW" DELETE /api/v1/events/2/policies/th-x-1
expect_eq 200 "$(cat "$T/status")" "unlink"
contains out '"policies":[]'
api "$CW" GET "/api/v1/policies/th-crackdown-2014-06/impact?format=html"
expect_eq 200 "$(cat "$T/status")" "impact report"
contains out "Policy on the ground"
serve_down
