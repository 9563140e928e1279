# stats.sh - mrm stats: people counted (a group of 120 is 120) in table,
# CSV and JSON; labels in Thai; public output withholds small cells and
# the cells that would give them away; exit codes and help.
. "$(dirname "$0")/lib.sh.inc"

# persons: arrest 120 + 3 + 1 = 124, detention 1 + 9 = 10, total 134;
# by nationality MM 120 + 9 = 129, KH 3, LA 2 (p4 twice).
cat >s.csv <<'EOF'
event.key,event.title,event.start_date,event.country,act.type,victim.key,victim.unit,victim.group_size,victim.nationality
raid,Raid on a fishing pier,2016-03-02,TH,arrest,g120,group,120,MM
three,Three arrested,2016-04-01,TH,arrest,p1,individual,1,KH
three,Three arrested,2016-04-01,TH,arrest,p2,individual,1,KH
three,Three arrested,2016-04-01,TH,arrest,p3,individual,1,KH
two,Arrested and detained,2017-05-01,TH,arrest,p4,individual,1,LA
two,Arrested and detained,2017-05-01,TH,detention,p4,,,
held,Detained,2017-06-01,TH,detention,g9,group,9,MM
EOF
newdb s.db MKN
expect_exit 0 mrm import --db s.db --org MKN s.csv

# stats ARGS...: mrm stats on s.db, which must succeed.
stats() {
	expect_exit 0 mrm stats --db s.db "$@"
}

# ---- CSV: exactly the cells, subtotal "*" last ----
stats --measure persons --by act_type --format csv
printf 'act_type,value\narrest,124\ndetention,10\n*,134\n' >want
same_file want out

stats --measure acts --by year,act_type --format csv
printf '%s\n' 'year,act_type,value' '2016,arrest,4' '2017,arrest,1' \
	'2017,detention,2' '2016,*,4' '2017,*,3' '*,arrest,5' \
	'*,detention,2' '*,*,7' >want
same_file want out

stats --measure events --format csv
printf 'value\n4\n' >want
same_file want out

stats --measure distinct-persons --format csv
printf 'value\n133\n' >want
same_file want out

# ---- JSON ----
stats --measure persons --by act_type --format json
expect_eq '{"measure":"persons","dims":["act_type"],"rows":[{"act_type":"arrest","value":124},{"act_type":"detention","value":10}],"subtotals":[],"total":134,"suppressed":0}' \
	"$(cat out)" "json"

stats --measure persons --where act_type=deprivation_of_liberty \
	--where nationality=MM --from 2017 --format json
expect_eq 9 "$(jnum total)" "persons detained from MM in 2017"

# ---- the table, in English and in Thai ----
stats --measure persons --by act_type
contains out "act_type"
contains out "persons"
contains out "Arrest"
contains out "Detention"
contains out "(all)"
contains out "124"
contains out "134"
lacks out "withheld"

stats --measure persons --by act_type --lang th
contains out "การจับกุม" # arrest
contains out "การกักขัง" # detention
contains out "124"
lacks out "Arrest"

stats --measure persons --by nationality --lang th
contains out "เมียนมา" # Myanmar

# ---- public output ----
stats --measure persons --by nationality --public --format csv
printf 'nationality,value\nKH,<5\nLA,<5\nMM,129\n*,134\n' >want
same_file want out

stats --measure persons --by nationality --public --format json
contains out '{"nationality":"KH","value":"<5"}'
contains out '{"nationality":"MM","value":129}'
contains out '"suppressed":2'
contains out '"threshold":5'

stats --measure persons --by nationality --public
contains out "<5"
contains out "(2 withheld)"

# with k = 3, KH (3) is shown but then gives LA (2) away: withheld too
stats --measure persons --by nationality --public --k 3 --format csv
printf 'nationality,value\nKH,x\nLA,<3\nMM,129\n*,134\n' >want
same_file want out

# attributes are never a published breakdown
expect_exit 1 mrm stats --db s.db --measure persons --by attr.cause --public
contains err "attributes"

# ---- exit codes and messages ----
expect_exit 2 mrm stats --db s.db
contains err "--measure"
expect_exit 2 mrm stats --measure persons
expect_exit 2 mrm stats --db s.db --measure persons --format xml
expect_exit 2 mrm stats --db s.db --measure persons --public --k 1
expect_exit 2 mrm stats --db s.db --measure persons --bogus
expect_exit 2 mrm stats --db s.db --measure

expect_exit 1 mrm stats --db s.db --measure person
contains err "valid: persons,"
for m in events acts persons distinct-persons detention-days \
	money-demanded money-paid deportation-cost; do
	contains err "$m"
done
expect_exit 1 mrm stats --db s.db --measure persons --by yaer
contains err "valid: year,"
expect_exit 1 mrm stats --db s.db --measure persons --where act_type=arest
contains err "arest"
contains err "terms: arrest"
expect_exit 1 mrm stats --db s.db --measure persons --where act_type
contains err "DIM=VALUE"
expect_exit 1 mrm stats --db s.db --measure persons --from 2014-13-01
contains err "--from"
expect_exit 1 mrm stats --db s.db --measure persons \
	--by year,act_type,nationality,sex
contains err "at most 3"
expect_exit 1 mrm stats --db nosuch.db --measure persons
[ ! -e nosuch.db ] || fail "mrm stats created nosuch.db"

# ---- help ----
expect_exit 0 mrm stats --help
contains out "usage: mrm stats"
contains out "--measure"
contains out "distinct-persons"
contains out "attr.NAME"
contains out "--public"
expect_exit 0 mrm help stats
contains out "usage: mrm stats"
expect_exit 0 mrm help
contains out "stats"

# ---- last: a published grand total alone, and an empty database ----
stats --measure persons --public --format csv
printf 'value\n134\n' >want
same_file want out
stats --measure persons --where nationality=KH --public --format csv
printf 'value\n<5\n' >want
same_file want out
newdb empty.db
expect_exit 0 mrm stats --db empty.db --measure persons --by year --format json
expect_eq '{"measure":"persons","dims":["year"],"rows":[],"subtotals":[],"total":0,"suppressed":0}' \
	"$(cat out)" "json of an empty database"
exit 0
