# search.sh - full-text search finds words of unspaced scripts, never names,
# and takes any text as a query without harm.
. "$(dirname "$0")/lib.sh.inc"

TH_TITLE='ตำรวจจับแรงงานข้ามชาติ'       # police arrest migrant workers
MY_TITLE='ရွှေ့ပြောင်းလုပ်သားများဖမ်းဆီးခံရ' # migrant workers arrested
TH_NAME='สมชายใจดี'
MY_NAME='မောင်မောင်ထွန်း'
cat >s.csv <<EOF
event.key,event.title,event.summary,event.country,event.place,act.type,victim.key,victim.unit,victim.group_size,victim.name
th-1,$TH_TITLE,,TH,แม่สอด,arrest,v-1,individual,1,$TH_NAME
my-1,$MY_TITLE,,MM,,detention,v-2,individual,1,$MY_NAME
en-1,Raid in Bangkok,Workers were taken away,TH,Bangkok,arrest,v-3,individual,1,Somchai Jaidee
EOF
newdb s.db MAP
expect_exit 0 mrm import --db s.db s.csv
expect_exit 0 mrm info --db s.db --format json
cp out info1

# found SEARCH-TEXT KEY: the search finds the event KEY and nothing else.
found() {
	expect_exit 0 mrm search --db s.db --format csv "$1"
	expect_eq "id,key,start_date,country,place,title" "$(head -n 1 out)" "csv header"
	expect_eq "$2" "$(sed 1d out | cut -d, -f2 | tr '\n' ' ')" "events found by \"$1\""
}
found 'แรงงาน' 'th-1 '     # a Thai word in the middle of the title
found 'ข้ามชาติ' 'th-1 '
found 'แม่สอด' 'th-1 '      # the place
found 'လုပ်သား' 'my-1 '     # a Burmese word in the middle
found 'ရွှေ့ပြောင်း' 'my-1 '
found 'workers' 'en-1 '     # the public summary

# Names are never found.
for q in "$TH_NAME" 'สมชาย' "$MY_NAME" 'Somchai'; do
	found "$q" ''
done
expect_exit 0 mrm search --db s.db 'Jaidee'
contains out "no events match"

# Quotes, SQL and full-text syntax are just text.
for q in "'; DROP TABLE event; --" '"' "it's" 'a"b' '*' '(' 'NOT' \
	'title:Raid' 'NEAR(' '%' 'a\\b'; do
	expect_exit 0 mrm search --db s.db --format json "$q"
	case $(cat out) in \[*\]) ;; *) fail "search \"$q\": not a JSON array" ;; esac
done
found "Bangkok'; DROP TABLE event; --" ''
expect_exit 0 mrm info --db s.db --format json
same_file info1 out
found 'Bangkok' 'en-1 '

# Formats.
expect_exit 0 mrm search --db s.db --format json 'แรงงาน'
contains out '"key":"th-1"'
contains out "\"title\":\"$TH_TITLE\""
expect_eq 1 "$(grep -o '"id":' out | wc -l | tr -d ' ')" "json hits"
expect_exit 0 mrm search --db s.db --format json 'nothingmatchesthis'
expect_eq '[]' "$(cat out)" "json of no hits"
expect_exit 0 mrm search --db s.db 'แรงงาน'
contains out "$TH_TITLE"
expect_exit 0 mrm search --db s.db --limit 1 --format csv 'arrest OR Bangkok OR แรงงาน'
[ "$(wc -l <out)" -le 2 ] || fail "--limit 1 gave more than one hit"
expect_exit 2 mrm search --db s.db --limit 0 'x'
expect_exit 2 mrm search --db s.db --format xml 'x'
exit 0
