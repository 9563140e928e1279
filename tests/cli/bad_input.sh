# bad_input.sh - a bad file is reported with FILE:LINE:COLUMN and imports
# nothing; --skip-invalid imports the good rows and keeps the bad ones.
. "$(dirname "$0")/lib.sh.inc"

H='event.key,event.title,event.start_date,event.latitude,act.type,victim.key,victim.unit,victim.group_size'
GOOD='ok-1,Good event,2019-01-02,16.7,arrest,v-1,individual,1'
# bad NAME ROW: NAME.csv with the header, a good row, then ROW (line 3).
bad() {
	printf '%s\n%s\n%s\n' "$H" "$GOOD" "$2" >"$1.csv"
}
bad utf8 "$(printf 'bad-1,Bad \377 byte,2019-01-02,,arrest,v-2,individual,1')"
bad act 'bad-1,Bad act,2019-01-02,,arest,v-2,individual,1'
bad date 'bad-1,Bad date,2019-13-05,,arrest,v-2,individual,1'
bad number 'bad-1,Bad latitude,2019-01-02,95.5,arrest,v-2,individual,1'
bad title 'bad-1,,2019-01-02,,arrest,v-2,individual,1'
bad quote 'bad-1,"Unbalanced,2019-01-02,,arrest,v-2,individual,1'
bad columns 'bad-1,Wrong count,2019-01-02,,arrest,v-2,individual'

newdb a.db MAP
printf '%s\n%s\n' "$H" 'pre-1,Already there,2018-05-06,,detention,v-9,group,4' >pre.csv
expect_exit 0 mrm import --db a.db pre.csv
expect_exit 0 mrm export --db a.db --format json --out before.json

# check NAME WHERE TEXT: importing NAME.csv fails at WHERE, saying TEXT.
check() {
	expect_exit 1 mrm import --db a.db "$1.csv"
	cp err "$1.err"
	contains "$1.err" "$1.csv:$2: "
	contains "$1.err" "$3"
	contains "$1.err" "nothing was imported"
	expect_exit 0 mrm export --db a.db --format json --out after.json
	same_file before.json after.json
}
check utf8 3:2 "UTF-8"
check act 3:5 '"arest"'
contains act.err "arrest"
check date 3:3 "13"
check number 3:4 "95.5"
check title 3:2 "event.title"
check quote 3:2 "quote"
check columns 3:8 "columns"
# Each problem in a cell is located as FILE:LINE:COLUMN.
for f in utf8 date number quote title columns; do
	grep -v '^mrm import: ' "$f.err" | grep -v -q "^$f\.csv:[0-9][0-9]*:[0-9][0-9]*: " &&
		fail "$f.csv: a message without FILE:LINE:COLUMN"
done

# --skip-invalid: the good rows land, the bad ones go to the rejects file.
{
	echo "$H"
	echo "$GOOD"
	echo 'bad-act,Bad act,2019-01-02,,arest,v-2,individual,1'
	echo 'ok-2,Good two,2019-02-03,,detention,v-3,group,7'
	echo 'bad-date,Bad date,2019-13-05,,arrest,v-4,individual,1'
	printf 'bad-utf8,Bad \377 byte,2019-01-02,,arrest,v-5,individual,1\n'
	echo 'bad-cols,Wrong count,2019-01-02'
	echo 'ok-3,Good three,2019-03-04,,deportation,v-6,individual,1'
} >mix.csv
expect_exit 3 mrm import --db a.db --skip-invalid --rejects R.csv mix.csv
contains err "mix.csv:3:5: "
contains err "4 rows rejected"
expect_exit 0 mrm info --db a.db --format json
expect_eq 4 "$(jnum events)" "events after the partial import"
expect_eq 13 "$(jnum people)" "people after the partial import"
[ -f R.csv ] || fail "no rejects file"
head -n 1 R.csv | grep -q "^$H," || fail "R.csv does not start with the header"
contains R.csv 'bad-act,Bad act,2019-01-02,,arest,v-2,individual,1,'
contains R.csv 'arest'
contains R.csv 'bad-date,Bad date,2019-13-05,'
contains R.csv 'month 13'
contains R.csv 'bad-cols,Wrong count,2019-01-02,'
# a record the reader cannot take apart is kept as its line and reason
contains R.csv 'mix.csv:6:2: invalid UTF-8'
lacks R.csv 'ok-'
expect_eq 3 "$(grep -c '^bad-' R.csv)" "readable rejected rows in R.csv"
expect_eq 5 "$(wc -l <R.csv)" "lines of R.csv (header and 4 rejected rows)"
# Rejected rows may hold names: the file is its owner's only, also when
# it existed before.
expect_eq "-rw-------" "$(mode R.csv)" "mode of R.csv"
printf 'old\n' >R3.csv
chmod 644 R3.csv
expect_exit 3 mrm import --db a.db --skip-invalid --rejects R3.csv mix.csv
expect_eq "-rw-------" "$(mode R3.csv)" "mode of a rejects file that existed"
lacks R3.csv 'old'

# --skip-invalid with every row rejected: nothing imported is a failure.
{
	echo "$H"
	echo 'all-1,Bad act,2019-01-02,,arest,v-2,individual,1'
	echo 'all-2,Bad date,2019-13-05,,arrest,v-4,individual,1'
} >allbad.csv
expect_exit 1 mrm import --db a.db --skip-invalid --rejects R4.csv allbad.csv
contains err "no row could be imported"
expect_eq 3 "$(wc -l <R4.csv)" "lines of R4.csv (header and 2 rejected rows)"

# --rejects goes with --skip-invalid.
expect_exit 2 mrm import --db a.db --rejects R2.csv mix.csv
contains err "--skip-invalid"
[ ! -e R2.csv ] || fail "R2.csv was created by a refused import"

# One bad act.type is one located problem, not also "act.type is empty".
lacks act.err "act.type is empty"
grep -v '^mrm import: ' act.err | grep -v -q '^act\.csv:[0-9][0-9]*:[0-9][0-9]*: ' &&
	fail "act.csv: a message without FILE:LINE:COLUMN"
exit 0
