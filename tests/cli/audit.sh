# audit.sh - mrm audit verify, head and log; what lands in the log; tampering
# found; GET /api/v1/audit for administrators only.
. "$(dirname "$0")/lib.sh.inc"

SERVE_PID=
trap '[ -z "$SERVE_PID" ] || kill -KILL "$SERVE_PID" 2>/dev/null; rm -rf "$T"' EXIT

entries() {
	expect_exit 0 mrm audit verify --db "$1"
	sed -n 's/.*verifies: \([0-9]*\) entries.*/\1/p' "$T/out"
}

expect_exit 0 mrm help audit
contains out "mrm audit verify --db FILE [--expect-head SEQ:HEX]"
expect_exit 0 mrm audit --help
contains out "--format table|json|csv"

newdb a.db
expect_exit 0 mrm demo-data --db a.db --events 1 --seed 3 # its organisations
expect_exit 0 mrm demo-data --csv d.csv --events 20 --seed 3
expect_exit 0 mrm audit head --db a.db
noted=$(cat out)
echo "$noted" | grep -q '^[0-9]*:[0-9a-f]\{64\}$' || fail "head: $noted"

# An import: an entry per event and person it adds, one for the batch.
expect_exit 0 mrm import --db a.db d.csv
n=$(entries a.db)
[ "$n" -gt 40 ] || fail "only $n entries after importing 20 events"
expect_exit 0 mrm audit verify --db a.db --expect-head "$noted"
contains out "it holds the head you noted"
expect_exit 0 mrm audit log --db a.db --action import --format json
contains out '"detail": "d.csv: 19 event'
expect_exit 0 mrm audit log --db a.db --table event --format csv --limit all
# (demo-000001 was there already: 19 new, 1 from demo-data)
expect_eq 21 "$(wc -l <out | tr -d ' ')" "event entries (header, 1 demo, 19)"
head -n 1 out | grep -q '^seq,at,actor,action,table,record,detail' ||
	fail "csv header: $(head -n 1 out)"
expect_exit 0 mrm audit log --db a.db --table event --record 5
expect_eq 2 "$(wc -l <out | tr -d ' ')" "entries of event 5 (header, 1)"
contains out "create"
contains out "cli:"
expect_exit 0 mrm audit log --db a.db --since 2000-01-01 --until 2999-12-31 --limit 3
expect_eq 4 "$(wc -l <out | tr -d ' ')" "--limit 3"

# A rolled-back import leaves nothing.
before=$(entries a.db)
printf 'event.key,event.title,act.type\nx1,Fine,arrest\nx2,,arrest\n' >bad.csv
expect_exit 1 mrm import --db a.db --org MKN-TH bad.csv
expect_eq "$before" "$(entries a.db)" "entries after a failed import"

# Decryption, export, backup and restore are logged.
expect_exit 0 mrm show --db a.db 5
expect_exit 0 mrm audit log --db a.db --action decrypt --format csv
contains out ",decrypt,event,5,mrm show,"
expect_exit 0 mrm export --db a.db --format csv --out x.csv
expect_exit 0 mrm audit log --db a.db --action export
contains out "csv acts"
expect_exit 0 mrm backup --db a.db --out a.mrmbak
expect_exit 0 mrm restore --key a.db.key --from a.mrmbak --db r.db
expect_exit 0 mrm audit log --db r.db --limit 2 --format csv
contains out ",restore,,,a.mrmbak,"
contains out ",backup,,,a.mrmbak,"
expect_exit 0 mrm audit verify --db r.db

# Tampering behind mrm's back is found and the entry named.
cp a.db t.db
cp a.db.key t.db.key
sqlite3 t.db "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'x' WHERE seq = 7;"
expect_exit 1 mrm audit verify --db t.db
contains err "does NOT verify: entry 7: altered"
cp a.db t.db
sqlite3 t.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 9;"
expect_exit 1 mrm audit verify --db t.db
contains err "entry 9: missing"
# ... and deleting the newest entries only against a noted head.
expect_exit 0 mrm audit head --db a.db
noted=$(cat out)
cp a.db t.db
sqlite3 t.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);"
expect_exit 0 mrm audit verify --db t.db
expect_exit 1 mrm audit verify --db t.db --expect-head "$noted"
contains err "deleted from its end"
# the triggers stop plain changes
sqlite3 a.db "DELETE FROM audit" 2>/dev/null && fail "the log let rows go"

# Bad input is a usage error.
expect_exit 2 mrm audit --db a.db
contains err "say verify, head or log"
expect_exit 2 mrm audit log --db a.db --since yesterday
contains err "--since"
expect_exit 2 mrm audit log --db a.db --limit 0
expect_exit 2 mrm audit log --db a.db --record x
expect_exit 2 mrm audit log --db a.db --format xml
expect_exit 2 mrm audit verify --db a.db --expect-head nothex
contains err "--expect-head"
expect_exit 2 mrm audit log --db a.db --expect-head "$noted"
expect_exit 2 mrm audit verify
expect_exit 1 mrm audit verify --db nothere.db

# The API: administrators only, filters, pages.
echo "$PASSWORD" >pw
expect_exit 0 mrm user add --db a.db --org MKN-TH --login boss --role admin <pw
expect_exit 0 mrm user add --db a.db --org MKN-TH --login case --role caseworker <pw
expect_exit 0 mrm token add --db a.db --login boss --name t
ADMIN=$(cat out)
expect_exit 0 mrm token add --db a.db --login case --name t
CASE=$(cat out)
serve_start a.db
api() { # api TOKEN PATH: body in out, status in code
	curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $1" \
		"http://127.0.0.1:$PORT$2" >"$T/code"
}
api "$ADMIN" "/api/v1/audit?action=import&limit=5"
expect_eq 200 "$(cat code)" "GET /api/v1/audit as admin"
contains out '"detail":"d.csv: 19 event'
api "$ADMIN" "/api/v1/audit?table=user&limit=1"
contains out '"next_cursor":"'
api "$ADMIN" "/api/v1/audit?since=soon"
expect_eq 400 "$(cat code)" "bad since"
contains out '"field":"since"'
api "$ADMIN" "/api/v1/audit?record=-1"
expect_eq 400 "$(cat code)" "bad record"
api "$CASE" "/api/v1/audit"
expect_eq 403 "$(cat code)" "GET /api/v1/audit as caseworker"
# need to know: the list holds no names and logs no decryption until
# they are asked for
api "$CASE" "/api/v1/persons?limit=3"
expect_eq 200 "$(cat code)" "persons"
expect_exit 0 mrm audit log --db a.db --action decrypt --user case --format csv
expect_eq 1 "$(wc -l <out)" "no decrypt entry before identities=1"
api "$CASE" "/api/v1/persons?limit=3&identities=1"
expect_eq 200 "$(cat code)" "persons with identities"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || :
SERVE_PID=
expect_exit 0 mrm audit log --db a.db --action decrypt --user case --format csv
contains out ",case,decrypt,person,"
expect_exit 0 mrm audit verify --db a.db
exit 0
