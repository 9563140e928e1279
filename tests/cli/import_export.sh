# import_export.sh - native CSV import, show, info, and lossless round trips
# through JSON and CSV; names are encrypted at rest.
. "$(dirname "$0")/lib.sh.inc"

NAME='အောင်ကျော်သိန်း' # the victim's name (Burmese)
TITLE='Raid on a construction site in Mae Sot'
cat >in.csv <<EOF
event.key,event.title,event.summary,event.start_date,event.country,event.place,attr.region,act.type,act.start_date,victim.key,victim.unit,victim.group_size,victim.name,victim.sex,victim.nationality,perpetrator.type,detention.facility_type,deportation.checkpoint
ev-1,$TITLE,Police raid on workers' housing,2019-03-04,TH,Mae Sot,Tak,arrest,2019-03-04,v-1,individual,1,$NAME,male,MM,police,,
ev-1,$TITLE,,,,,,detention,2019-03-05,v-1,individual,1,$NAME,male,MM,immigration,immigration_detention_centre,
ev-1,$TITLE,,,,,,deportation,2019-03-20,v-1,individual,1,$NAME,male,MM,immigration,,th-maesot
ev-2,Mass arrest of fishing crews in Ranong,,2020-01,TH,Ranong,Ranong,arrest,2020-01,g-1,group,120,,,MM,police,,
EOF

newdb a.db MAP
expect_exit 0 mrm import --db a.db --org MAP in.csv
contains err "added 2 events"

expect_exit 0 mrm info --db a.db --format json
expect_eq 2 "$(jnum events)" "events"
expect_eq 4 "$(jnum acts)" "acts"
expect_eq 2 "$(jnum persons)" "persons"
expect_eq 121 "$(jnum people)" "people (1 + a group of 120)"
expect_exit 0 mrm info --db a.db
contains out "121 people"

# show, as a table and as JSON.
expect_exit 0 mrm show --db a.db 1
for t in "$TITLE" arrest detention deportation immigration_detention_centre \
	th-maesot police v-1; do
	contains out "$t"
done
expect_exit 0 mrm show --db a.db --format json 1
contains out '"key": "ev-1"'
contains out '"type": "arrest"'
contains out '"type": "detention"'
contains out '"type": "deportation"'
contains out '"checkpoint": "th-maesot"'
contains out '"region"'
expect_exit 0 mrm show --db a.db --format json 2
contains out '"group_size": 120'
expect_exit 1 mrm show --db a.db 99

# JSON round trip: export, import into a fresh database, export again.
expect_exit 0 mrm export --db a.db --format json --out e1.json
contains e1.json "$NAME"
# An export holds names in clear: it is its owner's only, also when the
# file existed before.
expect_eq "-rw-------" "$(mode e1.json)" "mode of e1.json"
printf 'old\n' >e0.json
chmod 644 e0.json
expect_exit 0 mrm export --db a.db --format json --out e0.json
expect_eq "-rw-------" "$(mode e0.json)" "mode of an export file that existed"
same_file e1.json e0.json
contains e1.json '"attrs":{"region":["Tak"]}'
newdb b.db
expect_exit 0 mrm import --db b.db e1.json
expect_exit 0 mrm export --db b.db --format json --out e2.json
same_file e1.json e2.json

# CSV round trip of the acts (the native format).
expect_exit 0 mrm export --db a.db --format csv --what acts --out acts.csv
head -n 1 acts.csv | grep -q '^event\.key,' || fail "acts.csv header"
expect_eq 5 "$(wc -l <acts.csv | tr -d ' ')" "lines of acts.csv"
newdb c.db MAP
expect_exit 0 mrm import --db c.db acts.csv
expect_exit 0 mrm export --db c.db --format json --out e3.json
same_file e1.json e3.json

# The other CSV exports have their headers.
expect_exit 0 mrm export --db a.db --format csv --what events
head -n 1 out | grep -q '^event\.key,.*event\.title' || fail "events csv header"
expect_eq 3 "$(wc -l <out | tr -d ' ')" "lines of the events csv"
expect_exit 0 mrm export --db a.db --format csv --what persons
head -n 1 out | grep -q '^victim\.key,' || fail "persons csv header"
expect_eq 3 "$(wc -l <out | tr -d ' ')" "lines of the persons csv"
expect_exit 0 mrm export --db a.db --format csv --what organisations
expect_eq "code,name,country,kind" "$(head -n 1 out)" "organisations csv header"
contains out "MAP,"

# The same file twice adds nothing.
expect_exit 0 mrm import --db a.db --org MAP in.csv
contains err "added 0 events"
contains err "2 events already present"
expect_exit 0 mrm export --db a.db --format json --out e4.json
same_file e1.json e4.json

# At rest: the title is in the file, the name is not (encrypted).
for f in a.db a.db-wal a.db-shm; do
	[ -e "$f" ] || continue
	n=$(grep -c -F -e "$NAME" "$f" || :)
	expect_eq 0 "$n" "lines of $f holding the victim's name"
done
n=$(grep -c -F -e "$TITLE" a.db || :)
[ "$n" -gt 0 ] || fail "the title is not in a.db (is the check itself right?)"
exit 0
