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

# ---- a database locked with a passphrase ----
PASS='seven quiet rivers cross the plain'
printf '%s\n' "$PASS" >pass.txt
printf '%s\n' 'seven quiet rivers cross the hill' >wrong.txt
chmod 600 pass.txt wrong.txt
expect_exit 0 mrm init --db p.db --kek passphrase --kdf interactive \
	--passphrase-file pass.txt
expect_exit 0 mrm org add --db p.db --code MAP --name MAP --country TH \
	--passphrase-file pass.txt
expect_exit 0 mrm import --db p.db --org MAP in.csv --passphrase-fd 3 3<pass.txt
expect_exit 0 mrm export --db p.db --format json --out p-before.json \
	--passphrase-file pass.txt
expect_exit 0 mrm backup --db p.db --out p.mrmbak --passphrase-file pass.txt
contains out "the passphrase of p.db"
lacks p.mrmbak "$NAME"
lacks p.mrmbak "$PASS"
# A wrong passphrase: a clear error, and no file at all.
expect_exit 1 mrm restore --from p.mrmbak --db n.db --passphrase-file wrong.txt
contains err "the passphrase is wrong"
left_nothing
# A key file does not open it.
expect_exit 1 mrm restore --from p.mrmbak --db n.db --key a.db.key
contains err "locked with a passphrase"
left_nothing
# No terminal and no passphrase given: told how to give it.
expect_exit 1 mrm restore --from p.mrmbak --db n.db </dev/null
contains err "--passphrase-fd"
left_nothing
# The right one, from a descriptor: the same data, the same passphrase.
expect_exit 0 mrm restore --from p.mrmbak --db pr.db --passphrase-fd 3 3<pass.txt
contains out "opens with the same passphrase"
[ ! -e pr.db.key ] || fail "a passphrase restore made a key file"
expect_exit 0 mrm export --db pr.db --format json --out p-after.json \
	--passphrase-file pass.txt
same_file p-before.json p-after.json

# ---- the recovery key ----
expect_exit 0 mrm key recovery --db p.db --passphrase-file pass.txt
grep -Eo '[A-Z2-7]{4}(-[A-Z2-7]{4}){13}' out >recovery.txt ||
	fail "no recovery key printed"
expect_exit 0 mrm backup --db p.db --out p2.mrmbak --passphrase-file pass.txt
contains out "or its recovery key"
# The recovery key does not open the backup made before it existed.
expect_exit 1 mrm restore --from p.mrmbak --db n.db --recovery-fd 0 \
	--to key-file <recovery.txt
contains err "had no recovery key"
left_nothing
# A new key is required with it.
expect_exit 2 mrm restore --from p2.mrmbak --db n.db --recovery-fd 0 <recovery.txt
contains err "--to key-file|passphrase is required"
left_nothing
# With it: the same data, under a new key file.
expect_exit 0 mrm restore --from p2.mrmbak --db rr.db --recovery-fd 0 \
	--to key-file <recovery.txt
contains out "key file rr.db.key"
expect_eq "-rw-------" "$(mode rr.db.key)" "mode of rr.db.key"
expect_exit 0 mrm export --db rr.db --format json --out r-after.json
same_file p-before.json r-after.json

# A key-file backup names what it needs.
expect_exit 2 mrm restore --from a.mrmbak --db n.db
contains err "--key KEYFILE is required"
left_nothing

# ---- a plain copy left by a killed backup is removed by the next one ----
mkdir -m 700 .a.db.mrm-tmp-KILLED
cp a.db .a.db.mrm-tmp-KILLED/copy
expect_exit 0 mrm backup --db a.db --out a2.mrmbak
[ ! -e .a.db.mrm-tmp-KILLED ] || fail "the killed backup's copy is still there"
! ls -a | grep -q 'mrm-tmp' || fail "a private directory was left behind"

# ---- and by a wipe, since such a copy still holds the wiped keys ----
mkdir -m 700 .a.db.mrm-tmp-KILLED
cp a.db .a.db.mrm-tmp-KILLED/copy
expect_exit 0 mrm wipe --db a.db --org MAP --yes
[ ! -e .a.db.mrm-tmp-KILLED ] || fail "a wipe left a killed backup's copy"
