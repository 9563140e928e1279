# backup.sh - mrm backup and mrm restore: a round trip, private files,
# nothing in clear, and bad backups refused without leaving files behind.
. "$(dirname "$0")/lib.sh.inc"

NAME='အောင်ကျော်သိန်း' # the victim's name (Burmese)
TITLE='Raid on a construction site in Mae Sot'
cat >in.csv <<EOF
event.key,event.title,event.start_date,event.country,act.type,act.start_date,victim.key,victim.unit,victim.group_size,victim.name,victim.sex,victim.nationality
ev-1,$TITLE,2019-03-04,TH,arrest,2019-03-04,v-1,individual,1,$NAME,male,MM
EOF

newdb a.db MAP
expect_exit 0 mrm import --db a.db --org MAP in.csv
expect_exit 0 mrm export --db a.db --format json --out before.json

# The backup: private, and nothing in clear.
expect_exit 0 mrm backup --db a.db --out a.mrmbak
expect_eq "-rw-------" "$(mode a.mrmbak)" "mode of a.mrmbak"
lacks a.mrmbak "$NAME"
lacks a.mrmbak "$TITLE"
lacks a.mrmbak "SQLite format 3"
[ ! -e a.mrmbak.tmp ] || fail "a.mrmbak.tmp left behind"
! ls | grep -q plain || fail "a temporary plain copy was left behind"

# The backup never overwrites.
expect_exit 1 mrm backup --db a.db --out a.mrmbak
contains err "already exists"

# Restore into a new database with the original key.
expect_exit 0 mrm restore --key a.db.key --from a.mrmbak --db r.db
expect_eq "-rw-------" "$(mode r.db.key)" "mode of r.db.key"
same_file a.db.key r.db.key
expect_exit 0 mrm export --db r.db --format json --out after.json
same_file before.json after.json

# Restoring onto an existing database is refused and changes nothing.
expect_exit 1 mrm restore --key a.db.key --from a.mrmbak --db r.db
contains err "already exists"
same_file a.db.key r.db.key

# Usage errors.
expect_exit 2 mrm backup --db a.db
expect_exit 2 mrm backup --out x.mrmbak
expect_exit 2 mrm restore --key a.db.key --from a.mrmbak
expect_exit 2 mrm restore --from a.mrmbak --db n.db
expect_exit 2 mrm restore --key a.db.key --db n.db
expect_exit 0 mrm restore --help
contains out "usage: mrm restore"

# A refused restore leaves no file at all.
left_nothing() {
	for f in n.db n.db.key n.db-wal n.db-shm; do
		[ ! -e "$f" ] || fail "$f left behind after: $LAST"
	done
	! ls | grep -q 'n\.db\.' || fail "a temporary was left: $LAST"
}

size=$(wc -c <a.mrmbak | tr -d ' ')
head -c 38 a.mrmbak >trunc.mrmbak
expect_exit 1 mrm restore --key a.db.key --from trunc.mrmbak --db n.db
contains err "backup is truncated"
left_nothing
head -c $((size - 1)) a.mrmbak >trunc.mrmbak
expect_exit 1 mrm restore --key a.db.key --from trunc.mrmbak --db n.db
contains err "backup is truncated"
left_nothing

# One byte changed in the middle.
half=$((size / 2))
{
	head -c "$half" a.mrmbak
	head -c $((half + 1)) a.mrmbak | tail -c 1 |
		tr '\000-\377' '\001-\377\000'
	tail -c $((size - half - 1)) a.mrmbak
} >altered.mrmbak
expect_eq "$size" "$(wc -c <altered.mrmbak | tr -d ' ')" "size of altered"
cmp -s a.mrmbak altered.mrmbak && fail "altered.mrmbak was not altered"
expect_exit 1 mrm restore --key a.db.key --from altered.mrmbak --db n.db
contains err "backup was altered or the key is wrong"
left_nothing

# The key of another database.
newdb other.db
expect_exit 1 mrm restore --key other.db.key --from a.mrmbak --db n.db
contains err "backup was altered or the key is wrong"
left_nothing

# Not a backup: an empty file, the database itself.
: >empty.mrmbak
expect_exit 1 mrm restore --key a.db.key --from empty.mrmbak --db n.db
contains err "not an mrm backup"
left_nothing
expect_exit 1 mrm restore --key a.db.key --from a.db --db n.db
contains err "not an mrm backup"
left_nothing
