# iom.sh - the IOM Missing Migrants file through its shipped mapping: the
# event count and the people counted match what the file itself says.
. "$(dirname "$0")/lib.sh.inc"

IOM=$MRM_SOURCE_DIR/tests/data/iom-missing-migrants-2014-2019.csv
[ -r "$IOM" ] || fail "cannot read $IOM"

# Rows and the sum of "Total Dead and Missing", with an RFC 4180 reader in
# awk (quoted fields hold commas, quotes and, once, a line break).
expected=$(LC_ALL=C awk '
function parse(s,   n, i, c, f, q, len) {
	n = 0; f = ""; q = 0; len = length(s)
	for (i = 1; i <= len; i++) {
		c = substr(s, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(s, i + 1, 1) == "\"") { f = f c; i++ }
				else q = 0
			} else f = f c
		} else if (c == "\"") q = 1
		else if (c == ",") { F[++n] = f; f = "" }
		else f = f c
	}
	F[++n] = f
	return n
}
{
	sub(/\r$/, "")
	rec = pending == "" ? $0 : pending "\n" $0
	t = rec
	if (gsub(/"/, "", t) % 2) { pending = rec; next }
	pending = ""
	parse(rec)
	if (!col) {
		for (k in F) if (F[k] == "Total Dead and Missing") col = k
		if (!col) { print "no column"; exit 1 }
		next
	}
	rows++
	people += F[col]
}
END { if (pending != "") print "unterminated"; else print rows, people }
' "$IOM")
# shellcheck disable=SC2086
set -- $expected
[ $# = 2 ] || fail "could not read $IOM with awk: $expected"
rows=$1 people=$2
expect_eq 5987 "$rows" "incidents in the file (awk)"

newdb iom.db
expect_exit 0 mrm org add --db iom.db --code IOM \
	--name "International Organization for Migration" --country CH
expect_exit 0 mrm import --db iom.db --org IOM --mapping iom-missing-migrants "$IOM"
contains err "added 5987 events"
expect_exit 0 mrm info --db iom.db --format json
expect_eq 5987 "$(jnum events)" "events"
expect_eq "$people" "$(jnum people)" "people (sum of Total Dead and Missing)"
cp out info1

# Once more: nothing is added.
expect_exit 0 mrm import --db iom.db --org IOM --mapping iom-missing-migrants "$IOM"
contains err "added 0 events"
contains err "5987 events already present"
expect_exit 0 mrm info --db iom.db --format json
same_file info1 out
exit 0
