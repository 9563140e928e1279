# keys.sh - a database without its right key, or with a key others can read,
# is refused with a clear message.
. "$(dirname "$0")/lib.sh.inc"

newdb a.db MAP
newdb other.db
cp a.db.key good.key

# Missing key file.
mv a.db.key away.key
expect_exit 1 mrm info --db a.db
contains err "a.db.key"
contains err "cannot open the key file"
contains err "mrm init"
mv away.key a.db.key

# The key of another database.
cp other.db.key a.db.key
expect_exit 1 mrm org list --db a.db
contains err "a.db.key"
contains err "does not unlock"
contains err "wrong key"
lacks out "MAP"

# A key others can read.
cp good.key a.db.key
chmod 644 a.db.key
expect_exit 1 mrm info --db a.db
contains err "readable by others"
contains err "644"
contains err "chmod 600 a.db.key"

# A damaged key file.
chmod 600 a.db.key
printf 'mrm-key-v1 0123\n' >a.db.key
expect_exit 1 mrm info --db a.db
contains err "not an mrm key file"

# The right key again: all is well.
cp good.key a.db.key
chmod 600 a.db.key
expect_exit 0 mrm info --db a.db --format json
expect_eq 1 "$(jnum organisations)" "organisations"

# No database at that path: say how to make one, and make nothing.
expect_exit 1 mrm info --db none.db
contains err "none.db"
contains err "no database here"
contains err "mrm init --db none.db"
[ ! -e none.db ] || fail "info created none.db"
[ ! -e none.db.key ] || fail "info created none.db.key"
expect_exit 1 mrm import --db none.db "$MRM_SOURCE_DIR/docs/native-csv.md"
contains err "mrm init --db none.db"
[ ! -e none.db ] || fail "import created none.db"

# Something that is not an mrm database.
echo 'not a database' >junk.db
cp good.key junk.db.key
chmod 600 junk.db.key
expect_exit 1 mrm info --db junk.db
contains err "not an mrm database"
exit 0
