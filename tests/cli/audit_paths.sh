# audit_paths.sh - the command line's writes beyond imports land in the audit
# log: the linkage key and its values, key rotation and wipe, user changes,
# demo labour rows; a refused command adds nothing (docs/audit.md).
. "$(dirname "$0")/lib.sh.inc"
trap 'rm -rf "$T"' EXIT

entries() {
	expect_exit 0 mrm audit verify --db a.db
	sed -n 's/.*verifies: \([0-9]*\) entries.*/\1/p' "$T/out"
}
# one entry with action $1 (csv), its line matching $2
one() {
	expect_exit 0 mrm audit log --db a.db --action "$1" --format csv --limit all
	expect_eq 2 "$(wc -l <out | tr -d ' ')" "entries $1 (header, 1)"
	contains out "$2"
}

newdb a.db
# (only events in places and months with a legal minimum get wage records:
# 400 events give a few)
expect_exit 0 mrm demo-data --db a.db --events 400 --seed 5
# demo-data's wage records and recruitment costs: one batch entry
expect_exit 0 mrm audit log --db a.db --action import --format csv
contains out "demo labour data: "

# the linkage key: placed, then every person's value, one entry each
expect_exit 0 mrm linkage init --db a.db
one linkage-key ",linkage-key,,,created,"
expect_exit 0 mrm audit log --db a.db --action linkage-rebuild --format csv
contains out ",linkage-rebuild,person,,\"rebuild: "
expect_exit 0 mrm linkage export --db a.db --out k.txt
n=$(entries)
expect_exit 1 mrm linkage import --db a.db --from k.txt # one is there
expect_eq "$n" "$(entries)" "entries after a refused key import"
rm a.db.linkage
expect_exit 0 mrm linkage import --db a.db --from k.txt
expect_exit 0 mrm audit log --db a.db --action linkage-key --format csv
contains out "imported from k.txt"

# users: a password set, a user disabled and enabled; a refused one, nothing
echo "$PASSWORD" >pw
expect_exit 0 mrm user add --db a.db --org MKN-TH --login ana --role admin <pw
n=$(entries)
expect_exit 1 mrm user disable --db a.db --login nobody
expect_eq "$n" "$(entries)" "entries after a refused disable"
expect_exit 0 mrm user disable --db a.db --login ana
one disable ",disable,user,"
expect_exit 0 mrm user enable --db a.db --login ana
one enable ",enable,user,"

# key rotation (batches, counted) and the wipe, whose entry outlives it
expect_exit 0 mrm key rotate --db a.db --org MKN-TH
one key-rotate-end "key versions other than 2 destroyed"
expect_exit 0 mrm audit log --db a.db --action key-rotate --format csv
contains out "values re-encrypted under key version 2"
n=$(entries)
expect_exit 2 mrm wipe --db a.db --org MKN-TH
expect_eq "$n" "$(entries)" "entries after an unconfirmed wipe"
expect_exit 0 mrm wipe --db a.db --org MKN-TH --yes
one key-wipe "organisation MKN-TH (#"
contains out "key versions 2 destroyed"
expect_exit 0 mrm audit verify --db a.db
exit 0
