# crash.sh - SIGKILL at random points: an import of a native CSV, and the
# server while a client creates events. After each kill the database passes
# PRAGMA integrity_check, the audit chain verifies, every event has its
# audit entry and no entry lacks its event, every POST answered 201 is
# there, and an import is all or nothing.
#
# MRM_CRASH_ROUNDS (default 12) sets the rounds of each kind; the default
# keeps the test near 30 s. MRM_CRASH_EVENTS (default 1500) the import size.
. "$(dirname "$0")/lib.sh.inc"

ROUNDS=${MRM_CRASH_ROUNDS:-12}
EVENTS=${MRM_CRASH_EVENTS:-1500}
SERVE_PID=
CLIENT_PID=
trap '[ -z "$SERVE_PID" ] || kill -KILL "$SERVE_PID" 2>/dev/null
[ -z "$CLIENT_PID" ] || kill -KILL "$CLIENT_PID" 2>/dev/null
rm -rf "$T"' EXIT

# A random whole number below $1.
rnd() {
	echo $(($(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1))
}

# Milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

q() {
	sqlite3 c.db "$1"
}

# The checks after a kill.
after_kill() {
	what=$1
	ok=$(q "PRAGMA integrity_check")
	expect_eq ok "$ok" "$what: integrity_check"
	expect_exit 0 mrm audit verify --db c.db
	expect_eq 1 "$(q "SELECT (SELECT count(*) FROM event) = (SELECT count(*)
		FROM audit WHERE action = 'create' AND tbl = 'event')")" \
		"$what: one audit entry per event"
}

newdb c.db
expect_exit 0 mrm demo-data --db c.db --events 1 --seed 5 # organisations
expect_exit 0 mrm demo-data --csv base.csv --events "$EVENTS" --seed 5

# ---- the import ----

# Round 0 runs to the end: how long an import takes.
sed 's/^demo-/r0-/' base.csv >r.csv
before=$(q "SELECT count(*) FROM event")
t0=$(now_ms)
expect_exit 0 mrm import --db c.db r.csv
took=$(($(now_ms) - t0))
added=$(($(q "SELECT count(*) FROM event") - before))
[ "$added" -gt 0 ] || fail "the uninterrupted import added nothing"
after_kill "import, uninterrupted"

# Kill ROUNDS imports at random points while they write. An import that
# ends before its kill (the machine got faster than round 0) does not count,
# and the next delays are drawn from a shorter span; at most 4 x ROUNDS tries.
killed=0
round=1
span=$took
while [ "$killed" -lt "$ROUNDS" ] && [ $round -le $((4 * ROUNDS)) ]; do
	sed "s/^demo-/r$round-/" base.csv >r.csv
	before=$(q "SELECT count(*) FROM event")
	# shellcheck disable=SC2086
	$MRM_LAUNCHER "$MRM" import --db c.db r.csv >/dev/null 2>&1 &
	pid=$!
	ms=$(rnd $((span + 1)))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	if kill -KILL "$pid" 2>/dev/null; then
		killed=$((killed + 1))
	else
		span=$((span / 2 + 1))
	fi
	wait "$pid" 2>/dev/null || :
	after_kill "import round $round (killed after $ms ms)"
	n=$(($(q "SELECT count(*) FROM event") - before))
	[ "$n" = 0 ] || [ "$n" = "$added" ] ||
		fail "import round $round: $n of $added events landed (a partial import)"
	round=$((round + 1))
done
[ "$killed" -ge "$ROUNDS" ] ||
	fail "only $killed of $((round - 1)) imports were still running when killed"

# ---- the server ----

echo "$PASSWORD" >pw
expect_exit 0 mrm user add --db c.db --org MKN-TH --login writer --role caseworker <pw
expect_exit 0 mrm token add --db c.db --login writer --name crash --days 1
TOKEN=$(cat out)

# client ROUND: POST events one after the other; the keys answered 201 go
# to acked.ROUND.
client() {
	k=1
	while :; do
		code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
			-H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' \
			-d "{\"key\":\"s$1-$k\",\"title\":\"crash test $1-$k\",\"narrative\":\"secret $k\"}" \
			"http://127.0.0.1:$PORT/api/v1/events" 2>/dev/null) || code=000
		[ "$code" = 201 ] && echo "s$1-$k" >>"acked.$1"
		k=$((k + 1))
	done
}

total=0
round=1
while [ $round -le "$ROUNDS" ]; do
	: >"acked.$round"
	serve_start c.db
	client "$round" &
	CLIENT_PID=$!
	ms=$(rnd 700)
	sleep "0.$(printf '%03d' "$((100 + ms))" | cut -c1-3)"
	kill -KILL "$SERVE_PID"
	wait "$SERVE_PID" 2>/dev/null || :
	SERVE_PID=
	kill -KILL "$CLIENT_PID" 2>/dev/null || :
	wait "$CLIENT_PID" 2>/dev/null || :
	CLIENT_PID=
	after_kill "server round $round"
	while read -r key; do
		[ "$(q "SELECT count(*) FROM event WHERE key = '$key'")" = 1 ] ||
			fail "server round $round: $key was answered 201 but is not there"
	done <"acked.$round"
	total=$((total + $(wc -l <"acked.$round")))
	round=$((round + 1))
done
[ "$total" -gt 0 ] || fail "no POST was ever acknowledged"
echo "crash: $ROUNDS import kills (import ~${took} ms), $ROUNDS server kills, $total acknowledged events checked"
exit 0
