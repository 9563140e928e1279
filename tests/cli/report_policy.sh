# report_policy.sh - the policy-impact report through mrm report and GET
# /api/v1/reports/policy-impact: the same page as mrm policy impact, in
# English, Thai and Burmese, its table with --csv-dir, and the errors.
# Figures are worked out in tests/test_policy.c from the fixture
# tests/data/policy/crackdown.csv.
. "$(dirname "$0")/lib.sh.inc"

FIXTURE=$MRM_SOURCE_DIR/tests/data/policy/crackdown.csv
P=th-crackdown-2014-06

expect_exit 0 mrm help report
contains out "--template policy-impact --policy KEY"
contains out "policy-impact (the policy on the ground"

newdb p.db MKN-TH
expect_exit 0 mrm import --db p.db --org MKN-TH "$FIXTURE"

# the report is the page of mrm policy impact --format html
expect_exit 0 mrm report --db p.db --template policy-impact --policy $P \
	--out r-en.html --csv-dir tables
contains err "wrote r-en.html (policy-impact, en, internal"
expect_exit 0 mrm policy impact --db p.db --policy $P --format html \
	--out p-en.html
same_file p-en.html r-en.html
expect_eq "-rw-------" "$(mode r-en.html)" "the report is private"
[ ! -e r-en.html.tmp ] || fail "r-en.html.tmp left behind"
contains r-en.html '<html lang="en">'
contains r-en.html "<h1>Policy on the ground: June 2014 crackdown"
contains r-en.html "<dt>Source</dt>"
contains r-en.html '<td class="num">+88</td>'
lacks r-en.html "<script"
expect_eq "-rw-------" "$(mode tables/01-policy-impact.csv)" "the table is private"
expect_eq "total,3,4,+1,14,102,+88" "$(tail -n 1 tables/01-policy-impact.csv)" \
	"the total row of the table"

# its own words in Thai and Burmese; options as mrm policy impact
expect_exit 0 mrm report --db p.db --template policy-impact --policy $P \
	--lang th --public --out r-th.html
contains r-th.html '<html lang="th">'
contains r-th.html "ผลของนโยบายในทางปฏิบัติ: June 2014 crackdown"
contains r-th.html "ฉบับเผยแพร่สาธารณะ"
contains r-th.html "&lt;5"
lacks r-th.html "Before"
expect_exit 0 mrm report --db p.db --template policy-impact --policy $P \
	--lang my --window 6 --by nationality --country any --out r-my.html
contains r-my.html '<html lang="my">'
contains r-my.html "(2013-12-01 မှ 2014-05-31 အထိ)"
contains r-my.html "နိုင်ငံသား"
lacks r-my.html "Before"
expect_exit 0 mrm report --db p.db --template policy-impact \
	--policy th-royal-decree-recruitment-2016 --at 2016-07 --out r-at.html
contains r-at.html "2016-07-01"

# errors: located, and no file
expect_exit 2 mrm report --db p.db --template policy-impact --out x.html
contains err "--template policy-impact needs --policy KEY"
expect_exit 2 mrm report --db p.db --template policy-impact --policy $P \
	--window 0 --out x.html
contains err "--window must be 1 to 120, not \"0\""
expect_exit 1 mrm report --db p.db --template policy-impact --policy th-crackdown \
	--out x.html
contains err "no policy \"th-crackdown\"; closest: $P"
expect_exit 1 mrm report --db p.db --template policy-impact --policy $P \
	--from 2014 --out x.html
contains err "--from: the policy-impact report compares"
expect_exit 1 mrm report --db p.db --template add-monitoring --policy $P \
	--out x.html
contains err "--policy: only --template policy-impact takes this"
expect_exit 1 mrm report --db p.db --template policy-impact \
	--policy th-royal-decree-recruitment-2016 --out x.html
contains err "dated to the year only"
expect_exit 1 mrm report --db p.db --template policy-impact --policy $P \
	--by sex --out x.html
contains err "unknown breakdown \"sex\""
[ ! -e x.html ] && [ ! -e x.html.tmp ] || fail "a failed report left a file"

# the API
echo "$PASSWORD" | mrm user add --db p.db --org MKN-TH --login worker1 \
	--role caseworker >/dev/null
echo "$PASSWORD" | mrm user add --db p.db --org MKN-TH --login viewer1 \
	--role viewer >/dev/null
CW=$(mrm token add --db p.db --login worker1 --name t | tail -n 1)
VIEWER=$(mrm token add --db p.db --login viewer1 --name t | tail -n 1)
serve_up p.db
get() { # get TOKEN PATH: status in $T/status, body in $T/out
	curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $1" \
		"$URL$2" >"$T/status"
}
get "$CW" /api/v1/reports
contains out '"policy-impact"'
get "$CW" "/api/v1/reports/policy-impact?policy=$P"
expect_eq 200 "$(cat "$T/status")" "the report"
same_file r-en.html "$T/out"
get "$CW" "/api/v1/reports/policy-impact?policy=$P&lang=th&public=1"
expect_eq 200 "$(cat "$T/status")" "in Thai"
same_file r-th.html "$T/out"
get "$VIEWER" "/api/v1/reports/policy-impact?policy=$P&public=1&window=6&by=nationality&country=any&lang=my"
expect_eq 200 "$(cat "$T/status")" "a viewer, public"
contains out "(2013-12-01 မှ 2014-05-31 အထိ)"
get "$VIEWER" "/api/v1/reports/policy-impact?policy=$P"
expect_eq 403 "$(cat "$T/status")" "a viewer, internal"
get "$CW" /api/v1/reports/policy-impact
expect_eq 400 "$(cat "$T/status")" "no policy"
contains out '"field":"--policy"'
get "$CW" "/api/v1/reports/policy-impact?policy=nope"
expect_eq 404 "$(cat "$T/status")" "unknown policy"
contains out "no policy \\\"nope\\\""
get "$CW" "/api/v1/reports/policy-impact?policy=$P&window=500"
expect_eq 400 "$(cat "$T/status")" "window"
contains out '"field":"window"'
get "$CW" "/api/v1/reports/policy-impact?policy=$P&lang=fr"
expect_eq 400 "$(cat "$T/status")" "language"
contains out '"field":"--lang"'
get "$CW" "/api/v1/reports/add-monitoring?policy=$P"
expect_eq 400 "$(cat "$T/status")" "policy with another template"
get "$CW" "/api/v1/reports/policy-impact?policy=$P&from=2014"
expect_eq 400 "$(cat "$T/status")" "from with policy-impact"
serve_down
