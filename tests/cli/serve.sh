# serve.sh - mrm serve: its help, usage errors, a database that is not
# there, and a graceful stop on SIGTERM and SIGINT. (The API itself is
# tested over HTTP by tests/test_server.c, which has its own client.)
. "$(dirname "$0")/lib.sh.inc"

# A server left running when a check fails is stopped on the way out.
PID=
trap '[ -z "$PID" ] || kill -KILL "$PID" 2>/dev/null; rm -rf "$T"' EXIT

# Under a launcher (valgrind) everything is slower.
if [ -n "$MRM_LAUNCHER" ]; then SLOW=10; else SLOW=1; fi

expect_exit 0 mrm serve --help
contains out "usage: mrm serve --db FILE"
contains out "--access-log"
expect_exit 0 mrm help serve
contains out "--tls-cert"

newdb s.db MAP
expect_exit 2 mrm serve
contains err "--db is required"
for bad in nowhere 127.0.0.1 127.0.0.1:99999 127.0.0.1:-1 :8080 \
	'127.0.0.1:80x' 'host.example:80' '[::1' '1.2.3.4.5:80'; do
	expect_exit 2 mrm serve --db s.db --listen "$bad"
	contains err "--listen"
done
expect_exit 2 mrm serve --db s.db --threads 0
expect_exit 2 mrm serve --db s.db --threads 9999
expect_exit 2 mrm serve --db s.db --tls-cert cert.pem
contains err "go together"
expect_exit 2 mrm serve --db s.db --colour blue
expect_exit 1 mrm serve --db missing.db --listen 127.0.0.1:0
contains err "no database here"
expect_exit 1 mrm serve --db s.db --tls-cert nothere.pem --tls-key nothere.pem
contains err "nothere.pem"
printf 'not a key\n' >junk.key
expect_exit 1 mrm serve --db s.db --listen 127.0.0.1:0 --tls-cert junk.key \
	--tls-key junk.key
touch wrongkey.db
expect_exit 1 mrm serve --db wrongkey.db --listen 127.0.0.1:0

# start_server: mrm serve in the background on a free port; sets PID and
# PORT once it says it listens.
start_server() {
	rm -f serve.err
	# shellcheck disable=SC2086
	$MRM_LAUNCHER "$MRM" serve --db s.db --listen 127.0.0.1:0 --threads 2 \
		--access-log access.log 2>serve.err &
	PID=$!
	i=0
	while ! grep -q "listening on" serve.err 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $((100 * SLOW)) ] || {
			cat serve.err >&2
			fail "mrm serve did not start"
		}
		kill -0 "$PID" 2>/dev/null || {
			cat serve.err >&2
			fail "mrm serve exited at start"
		}
		sleep 0.1
	done
	PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' serve.err)
	[ -n "$PORT" ] && [ "$PORT" -gt 0 ] || fail "no port in: $(cat serve.err)"
}

# stop_server SIGNAL: the server exits 0 within 5 seconds.
stop_server() {
	kill "-$1" "$PID"
	i=0
	while kill -0 "$PID" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $((50 * SLOW)) ] || {
			kill -KILL "$PID"
			fail "mrm serve did not stop within 5 s of SIG$1"
		}
		sleep 0.1
	done
	RC=0
	wait "$PID" || RC=$?
	PID=
	expect_eq 0 "$RC" "exit status after SIG$1"
	contains serve.err "stopped"
}

start_server
stop_server TERM
contains serve.err "SIGTERM"
[ -f access.log ] || fail "no access log"
expect_eq "-rw-------" "$(mode access.log)" "access log mode"

start_server
stop_server INT
contains serve.err "SIGINT"
exit 0
