#!/bin/sh
# Web benchmark: wrk on loopback (2 threads, 64 connections, 20 s) against
# `mrm serve` on the import benchmark's database (1,000,000 acts): GET one
# event as JSON (authenticated), GET a different event each time (5,000 of
# them: no answer is kept for the next), and GET the dashboard's
# statistics; the baseline is nginx serving a static file of the same size
# as the event, on the same machine in the same run. Writes
# bench/out/web.md.
#
#   sh bench/web.sh DB
set -eu
cd "$(dirname "$0")/.."
DB=$1
MRM=${MRM:-build/release/mrm}
OUT=$(pwd)/bench/out
PORT=18080
NGINX_PORT=18081
DURATION=${DURATION:-20}

for tool in wrk nginx; do
	command -v $tool >/dev/null 2>&1 || [ -x /usr/sbin/$tool ] || {
		echo "bench/web.sh needs $tool: apt-get install -y wrk nginx" >&2
		exit 1
	}
done

# a user and an API token for the benchmark
"$MRM" user list --db "$DB" --format csv | grep -q '^bench,' ||
	echo 'wrk load test passphrase' | "$MRM" user add --db "$DB" --org MKN-TH \
		--login bench --role coordinator >/dev/null
TOKEN=$("$MRM" token add --db "$DB" --login bench --name bench --days 1 2>/dev/null)
EVENT=$(sqlite3 "$DB" "SELECT id FROM event WHERE org_id = (SELECT id FROM org WHERE code = 'MKN-TH') ORDER BY id DESC LIMIT 1")
STATS="/api/v1/stats?measure=persons&by=year,act_group&public=1"
# 5,000 of the organisation's events in random order, each wrk thread from
# its own place in the list
{
	printf 'ids = {'
	sqlite3 "$DB" "SELECT id FROM event WHERE org_id = (SELECT id FROM org WHERE code = 'MKN-TH') ORDER BY random() LIMIT 5000" | paste -sd, -
	cat <<'LUA'
}
local threads = 0
function setup(thread)
	thread:set("offset", threads * 2500)
	threads = threads + 1
end
local i = 0
function request()
	i = i + 1
	return wrk.format(nil, "/api/v1/events/" .. ids[(offset + i) % #ids + 1])
end
LUA
} >"$OUT/events.lua"

"$MRM" serve --db "$DB" --listen 127.0.0.1:$PORT 2>"$OUT/serve.log" &
SERVER=$!
stop_nginx() {
	[ -s "$OUT/nginx.pid" ] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null
	rm -f "$OUT/nginx.pid"
}
trap 'kill $SERVER 2>/dev/null || :; stop_nginx || :' EXIT
i=0
until grep -q "listening on" "$OUT/serve.log"; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$OUT/serve.log"; exit 1; }; sleep 0.1
done

# the static twin of the event's JSON, served by nginx
mkdir -p "$OUT/www"
wrk -t1 -c1 -d1s -H "Authorization: Bearer $TOKEN" \
	"http://127.0.0.1:$PORT/api/v1/events/$EVENT" >/dev/null
node -e "
const http=require('http');
http.get({host:'127.0.0.1',port:$PORT,path:'/api/v1/events/$EVENT',headers:{Authorization:'Bearer $TOKEN'}},r=>{
 let b='';r.on('data',d=>b+=d);r.on('end',()=>{require('fs').writeFileSync('$OUT/www/event.json',b);});});"
sleep 1
SIZE=$(wc -c <"$OUT/www/event.json")
cat >"$OUT/nginx.conf" <<NGX
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $OUT/www;
		location / { default_type application/json; }
	}
}
NGX
/usr/sbin/nginx -c "$OUT/nginx.conf"

run() { # run LABEL URL [HEADER [WRK-OPTION...]]: requests/s and p99 (ms)
	label=$1 url=$2
	shift 2
	if [ $# -gt 0 ]; then
		h=$1
		shift
		wrk -t2 -c64 -d${DURATION}s --latency -H "$h" "$@" "$url" >"$OUT/$label.wrk"
	else
		wrk -t2 -c64 -d${DURATION}s --latency "$url" >"$OUT/$label.wrk"
	fi
	label=$OUT/$label.wrk
	rps=$(awk '/Requests\/sec/ { print $2 }' "$label")
	p99=$(awk '$1 == "99%" { print $2 }' "$label")
	echo "$rps $p99"
}
read -r NG_RPS NG_P99 <<EOT
$(run nginx "http://127.0.0.1:$NGINX_PORT/event.json")
EOT
read -r EV_RPS EV_P99 <<EOT
$(run event "http://127.0.0.1:$PORT/api/v1/events/$EVENT" "Authorization: Bearer $TOKEN")
EOT
read -r MANY_RPS MANY_P99 <<EOT
$(run events-many "http://127.0.0.1:$PORT/" "Authorization: Bearer $TOKEN" -s "$OUT/events.lua")
EOT
read -r ST_RPS ST_P99 <<EOT
$(run stats "http://127.0.0.1:$PORT$STATS" "Authorization: Bearer $TOKEN")
EOT
PEAK=$(awk '/VmHWM/ { print int($2 / 1024) }' /proc/$SERVER/status)
ACTS=$(sqlite3 "$DB" "SELECT count(*) FROM act")
R_EV=$(awk -v a="$EV_RPS" -v b="$NG_RPS" 'BEGIN { printf "%.2f", a / b }')
R_MANY=$(awk -v a="$MANY_RPS" -v b="$NG_RPS" 'BEGIN { printf "%.2f", a / b }')
R_ST=$(awk -v a="$ST_RPS" -v b="$NG_RPS" 'BEGIN { printf "%.2f", a / b }')
kill -TERM $SERVER
wait $SERVER || true
stop_nginx

cat >"$OUT/web.md" <<MD
## Web server: requests per second against nginx

wrk on loopback, 2 threads, 64 connections, ${DURATION} s each, on the import
benchmark's database ($ACTS acts). Baseline: nginx serving a static file of the same
size as the event's JSON ($SIZE bytes), same machine, same run. Target: at least 0.3 of
nginx's requests per second; aim 0.8. Server peak memory target: at most 64 MB.

| | requests/s | p99 latency | ratio to nginx |
|---|---|---|---|
| nginx, static file (baseline) | $NG_RPS | $NG_P99 | 1.00 |
| GET /api/v1/events/ID (Bearer token) | $EV_RPS | $EV_P99 | **$R_EV** |
| GET /api/v1/events/ID, a different event each time (5,000) | $MANY_RPS | $MANY_P99 | $R_MANY |
| GET $STATS | $ST_RPS | $ST_P99 | **$R_ST** |

Server peak memory (VmHWM) over the run: $PEAK MiB.

Where the time goes (perf, 2026-11-28). An event is answered without its victims'
names, contacts and health unless the request asks for them (identities=1): nothing
is decrypted and nothing written to the audit log for the ordinary read. (Before, the
benchmark user, who may read identities, was given them on every request, and each
request appended a "decrypt" entry in a write transaction of its own: about 0.08 of
nginx.) The event's JSON is written straight out as text from eleven statements in one
read transaction, 22 us on this machine, about half of it SQLite. A worker connection
keeps the text of the last 16 events it answered, without identities, tagged with the
database's data version (SQLITE_FCNTL_DATA_VERSION), and drops it all whenever any
connection or process commits (src/lib/evcache.h); who may read the event is checked
on every request all the same. The first row is the same event again and again, so it
is answered from what was kept (the access check's two statements and the sockets);
the second row asks for 5,000 different events and measures writing the text every
time. Who a bearer token stands for is kept 5 s (src/server/authcache.h). SQLite is
told before its first use not to take a global mutex around its every allocation
(that mutex had the workers queueing). Peak memory: the dashboard's statistics query
loads only the fact columns it reads (about 8 bytes per act) and each worker has a
2 MB page cache. The first statistics query after a write rebuilds the whole fact
table (about 52 bytes per act: some 70 MB for a million acts) and is not part of this
run. The machine is shared: ratios vary by about a fifth between runs.
MD
cat "$OUT/web.md"
