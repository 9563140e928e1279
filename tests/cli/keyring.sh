# keyring.sh - keys per organisation from the command line: a passphrase
# from a descriptor, a file or nowhere; rotation; the recovery key; wipe.
. "$(dirname "$0")/lib.sh.inc"

PASS='seven quiet rivers cross the plain'
printf '%s\n' "$PASS" >pass.txt
chmod 600 pass.txt
cat >th.csv <<'EOF'
event.key,event.title,event.country,act.type,victim.key,victim.unit,victim.group_size,victim.name,victim.sex,victim.nationality
e1,Raid in Mae Sot,TH,arrest,v1,individual,1,Somchai Thongdee,male,MM
e2,Raid in Ranong,TH,arrest,v2,group,12,Workers group Ranong,female,MM
EOF
sed 's/Somchai Thongdee/Kyaw Min Htet/; s/Workers group Ranong/Workers group Myawaddy/' th.csv >mm.csv

# ---- a passphrase instead of a key file ----
expect_exit 0 mrm init --db p.db --kek passphrase --kdf interactive \
	--passphrase-file pass.txt
[ ! -e p.db.key ] || fail "a passphrase database got a key file"
contains out "mrm key recovery"
for org in TH1 MM1; do
	expect_exit 0 mrm org add --db p.db --code $org --name "$org org" \
		--country TH --passphrase-file pass.txt
done
expect_exit 0 mrm import --db p.db --org TH1 th.csv --passphrase-fd 3 3<pass.txt
expect_exit 0 mrm import --db p.db --org MM1 mm.csv --passphrase-fd 0 <pass.txt
# every command asks for it; without one and no terminal, a clear error
expect_exit 1 mrm info --db p.db </dev/null
contains err "passphrase"
# a wrong one: the clear error, and the files are untouched
cp p.db before.db
printf 'not the passphrase at all\n' >wrong.txt
chmod 600 wrong.txt
expect_exit 1 mrm import --db p.db --org TH1 th.csv --passphrase-file wrong.txt
contains err "the key does not open this database"
same_file before.db p.db
# a passphrase file others can read is refused
chmod 644 wrong.txt
expect_exit 1 mrm info --db p.db --passphrase-file wrong.txt
contains err "chmod 600"
# the passphrase never goes on the command line
expect_exit 2 mrm info --db p.db --passphrase "$PASS"
contains err "unknown option --passphrase"

# ---- status, and names apart per organisation ----
expect_exit 0 mrm key status --db p.db --passphrase-file pass.txt --format csv
contains out "TH1,1,current,"
contains out "MM1,1,current,"
expect_exit 0 mrm export --db p.db --format json --passphrase-file pass.txt
contains out "Somchai Thongdee"
contains out "Kyaw Min Htet"
lacks p.db "Somchai"

# ---- rotation in batches ----
expect_exit 0 mrm key rotate --db p.db --org TH1 --batch 1 --passphrase-file pass.txt
expect_exit 0 mrm key status --db p.db --passphrase-file pass.txt --format csv
contains out "TH1,2,current,"
lacks out "TH1,1,"
contains out "MM1,1,current,"
expect_exit 2 mrm key rotate --db p.db --batch 0 --passphrase-file pass.txt
contains err "--batch must be"
expect_exit 0 mrm export --db p.db --format json --passphrase-file pass.txt
contains out "Somchai Thongdee"

# ---- the recovery key, and a new passphrase with it ----
expect_exit 0 mrm key recovery --db p.db --passphrase-file pass.txt
grep -Eo '[A-Z2-7]{4}(-[A-Z2-7]{4}){13}' out >recovery.txt ||
	fail "no recovery key printed"
NEW='a different passphrase for the office'
printf '%s\n' "$NEW" >new.txt
chmod 600 new.txt
printf 'AAAA-BBBB\n' >short.txt
expect_exit 1 mrm key recover --db p.db --to passphrase --kdf interactive \
	--new-passphrase-file new.txt <short.txt
contains err "groups of 4"
expect_exit 0 mrm key recover --db p.db --to passphrase --kdf interactive \
	--new-passphrase-file new.txt <recovery.txt
expect_exit 1 mrm info --db p.db --passphrase-file pass.txt
contains err "the key does not open this database"
expect_exit 0 mrm info --db p.db --passphrase-file new.txt
# and back to a key file
expect_exit 0 mrm key rotate-kek --db p.db --to key-file --passphrase-file new.txt
[ -e p.db.key ] || fail "no key file after rotate-kek --to key-file"
expect_eq "-rw-------" "$(mode p.db.key)" "mode of p.db.key"
expect_exit 0 mrm info --db p.db

# ---- wipe ----
expect_exit 0 mrm stats --db p.db --measure persons --by org --format csv
cp out stats-before.csv
if command -v sqlite3 >/dev/null 2>&1; then
	WRAPPED=$(sqlite3 p.db "SELECT hex(wrapped) FROM org_key WHERE org_id = (SELECT id FROM org WHERE code = 'TH1')")
	[ -n "$WRAPPED" ] || fail "no wrapped key for TH1"
fi
expect_exit 2 mrm wipe --db p.db --org TH1 </dev/null
contains err "--yes"
expect_exit 1 mrm wipe --db p.db --org NOPE --yes
contains err "no organisation \"NOPE\""
expect_exit 0 mrm wipe --db p.db --org TH1 --yes
contains out "Destroyed every key of TH1"
expect_exit 0 mrm export --db p.db --format json
lacks out "Somchai Thongdee"
contains out "[destroyed]"
contains out "Kyaw Min Htet"
expect_exit 0 mrm stats --db p.db --measure persons --by org --format csv
same_file stats-before.csv out
expect_exit 0 mrm key status --db p.db --format csv
contains out "TH1,2,destroyed,"
if [ -n "${WRAPPED:-}" ]; then
	for f in p.db p.db-wal; do
		[ -e $f ] || continue
		! od -An -v -tx1 $f | tr -d ' \n' | tr a-f A-F |
			grep -q "$WRAPPED" || fail "$f still holds TH1's wrapped key"
	done
fi
exit 0
