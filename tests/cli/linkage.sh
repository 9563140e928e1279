# linkage.sh - mrm linkage init|import|export|rebuild: the network's key,
# and distinct-persons across organisations.
. "$(dirname "$0")/lib.sh.inc"

newdb a.db TH-A
expect_exit 0 mrm org add --db a.db --code MM-B --name "B" --country MM
head='event.key,event.title,event.country,event.start_date,act.type,victim.key,victim.name,victim.birth_date,victim.sex,victim.nationality'
printf '%s\n' "$head" \
	'a1,Raid,TH,2024-01,arrest,p1,Aung Kyaw,1990,male,MM' \
	'a2,Raid,TH,2024-01,arrest,p2,Nguyễn Thị Lan,1988,female,VN' >a.csv
printf '%s\n' "$head" \
	'b1,Raid,TH,2024-02,arrest,q1,U AUNG  KYAW,1990-05,male,MM' \
	'b2,Raid,TH,2024-02,arrest,q2,NGUYEN THI LAN,1989,female,VN' >b.csv
expect_exit 0 mrm import --db a.db --org TH-A a.csv
expect_exit 0 mrm import --db a.db --org MM-B b.csv

distinct() {
	expect_exit 0 mrm stats --db a.db --measure distinct-persons --format csv
	sed -n 2p out
}

# Without a linkage key nothing is computed, and the help says so.
expect_exit 0 mrm help linkage
contains out "Without a linkage key"
expect_exit 1 mrm linkage rebuild --db a.db
contains err "mrm linkage init"
expect_eq 4 "$(distinct)" "distinct-persons without a key"

# init: the key file, private; the same man in two spellings counts once,
# the woman with another birth year twice.
expect_exit 0 mrm linkage init --db a.db
expect_eq "-rw-------" "$(mode a.db.linkage)" "mode of a.db.linkage"
contains out "2 share theirs"
expect_eq 3 "$(distinct)" "distinct-persons with a key"
expect_exit 0 mrm stats --db a.db --measure persons --format csv
expect_eq 4 "$(sed -n 2p out)" "persons with a key"
before=$(cksum <a.db.linkage)
expect_exit 1 mrm linkage init --db a.db
contains err "not replaced"
expect_eq "$before" "$(cksum <a.db.linkage)" "the key after a second init"

# export and import: another database of the network gets the same values.
expect_exit 0 mrm linkage export --db a.db --out net.key
expect_eq "-rw-------" "$(mode net.key)" "mode of the exported key"
newdb b.db TH-A
expect_exit 0 mrm import --db b.db --org TH-A a.csv
expect_exit 0 mrm linkage import --db b.db --from net.key
cmp -s net.key b.db.linkage || fail "the imported key differs"
if command -v sqlite3 >/dev/null; then
	one=$(sqlite3 a.db "SELECT linkage_key FROM person WHERE key='p1'")
	two=$(sqlite3 b.db "SELECT linkage_key FROM person WHERE key='p1'")
	expect_eq "$one" "$two" "the linkage value of p1 in both databases"
	lacks a.db "Aung"
fi

# Bad use.
expect_exit 2 mrm linkage import --db b.db
contains err "--from"
expect_exit 2 mrm linkage export --db a.db
contains err "--out"
expect_exit 2 mrm linkage frobnicate --db a.db
expect_exit 2 mrm linkage rebuild
contains err "--db"
printf 'not a key\n' >bad.key
chmod 600 bad.key
newdb c.db
expect_exit 1 mrm linkage import --db c.db --from bad.key
contains err "not a linkage key"
[ ! -e c.db.linkage ] || fail "a bad key was imported"
