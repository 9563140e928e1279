# export_policies.sh - an event's policies in the JSON export and import:
# "policies": [keys] when the event is linked to any, a byte-identical
# round trip, and located errors for a bad list (nothing imported).
. "$(dirname "$0")/lib.sh.inc"

FIXTURE=$MRM_SOURCE_DIR/tests/data/policy/crackdown.csv

newdb a.db MKN-TH
expect_exit 0 mrm import --db a.db --org MKN-TH "$FIXTURE"
expect_exit 0 mrm export --db a.db --format json --out e0.json
lacks e0.json '"policies"'
expect_exit 0 mrm policy link --db a.db --event 3 --policy th-pink-card-2024-25
expect_exit 0 mrm policy link --db a.db --event 3 --policy th-crackdown-2014-06
expect_exit 0 mrm policy link --db a.db --event 4 --policy th-crackdown-2014-06
expect_exit 0 mrm export --db a.db --format json --out e1.json
# by key, only on the linked events
contains e1.json '"id":3,'
contains e1.json '"policies":["th-crackdown-2014-06","th-pink-card-2024-25"]}'
contains e1.json '"policies":["th-crackdown-2014-06"]}'
expect_eq 2 "$(grep -c '"policies"' e1.json)" "events with policies"
# the same in one event's JSON
expect_exit 0 mrm show --db a.db --format json 4
contains out '"policies": ['

# round trip: import into a fresh database, export again
newdb b.db
expect_exit 0 mrm import --db b.db e1.json
expect_exit 0 mrm export --db b.db --format json --out e2.json
same_file e1.json e2.json
expect_exit 0 mrm policy show --db b.db --format json th-crackdown-2014-06
contains out '"events":[4,3]'

# bad lists: located, and nothing imported
bad() { # bad SED-EXPRESSION MESSAGE
	sed "$1" e1.json >bad.json
	cmp -s bad.json e1.json && fail "the edit \"$1\" changed nothing"
	rm -f c.db c.db.key
	newdb c.db
	expect_exit 1 mrm import --db c.db bad.json
	contains err "$2"
	expect_eq 0 "$(info_num events c.db)" "events imported from bad.json"
}
bad 's/"policies":\["th-crackdown-2014-06"\]/"policies":["th-crackdown"]/' \
	'bad.json: events[3].policies[0]: no policy "th-crackdown"; closest: th-crackdown-2014-06'
bad 's/"policies":\["th-crackdown-2014-06"\]/"policies":"th-crackdown-2014-06"/' \
	'bad.json: events[3].policies: must be an array of policy keys'
bad 's/"policies":\["th-crackdown-2014-06"\]/"policies":["th-crackdown-2014-06",7]/' \
	'bad.json: events[3].policies[1]: must be a policy key (a string)'
bad 's/"policies":\["th-crackdown-2014-06"\]/"policies":["th-crackdown-2014-06","th-crackdown-2014-06"]/' \
	'bad.json: events[3].policies[1]: "th-crackdown-2014-06" is listed twice'

# POST /api/v1/events takes the same member
echo "$PASSWORD" | mrm user add --db a.db --org MKN-TH --login worker1 \
	--role caseworker >/dev/null
TOKEN=$(mrm token add --db a.db --login worker1 --name t | tail -n 1)
serve_up a.db
post() { # post BODY: status in $T/status, body in $T/out
	curl -s -o "$T/out" -w '%{http_code}' -X POST \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data "$1" "$URL/api/v1/events" >"$T/status"
}
post '{"title":"Raid","start_date":"2014-06-20","country":"TH","policies":["th-crackdown"]}'
expect_eq 400 "$(cat "$T/status")" "an unknown policy"
contains out '"field":"policies[0]"'
contains out 'closest: th-crackdown-2014-06'
post '{"title":"Raid","start_date":"2014-06-20","country":"TH","policies":["th-crackdown-2014-06"]}'
expect_eq 201 "$(cat "$T/status")" "an event with a policy"
ID=$(jnum id)
curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/events/$ID/policies" >"$T/out"
contains out '"policies":["th-crackdown-2014-06"]'
serve_down
