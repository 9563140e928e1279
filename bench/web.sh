#!/bin/sh
# Web benchmark: wrk on loopback (2 threads, 64 connections, 20 s) against
# `mrm serve` on the import benchmark's database (1,000,000 acts): GET one
# event as JSON (authenticated) and GET the dashboard's statistics; the
# baseline is nginx serving a static file of the same size as the event, on
# the same machine in the same run. Writes bench/out/web.md.
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

run() { # run LABEL URL [HEADER]: requests/s and p99 (ms)
	if [ $# -gt 2 ]; then
		wrk -t2 -c64 -d${DURATION}s --latency -H "$3" "$2" >"$OUT/$1.wrk"
	else
		wrk -t2 -c64 -d${DURATION}s --latency "$2" >"$OUT/$1.wrk"
	fi
	rps=$(awk '/Requests\/sec/ { print $2 }' "$OUT/$1.wrk")
	p99=$(awk '$1 == "99%" { print $2 }' "$OUT/$1.wrk")
	echo "$rps $p99"
}
read -r NG_RPS NG_P99 <<EOT
$(run nginx "http://127.0.0.1:$NGINX_PORT/event.json")
EOT
read -r EV_RPS EV_P99 <<EOT
$(run event "http://127.0.0.1:$PORT/api/v1/events/$EVENT" "Authorization: Bearer $TOKEN")
EOT
read -r ST_RPS ST_P99 <<EOT
$(run stats "http://127.0.0.1:$PORT$STATS" "Authorization: Bearer $TOKEN")
EOT
PEAK=$(awk '/VmHWM/ { print int($2 / 1024) }' /proc/$SERVER/status)
ACTS=$(sqlite3 "$DB" "SELECT count(*) FROM act")
R_EV=$(awk -v a="$EV_RPS" -v b="$NG_RPS" 'BEGIN { printf "%.2f", a / b }')
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
| GET $STATS | $ST_RPS | $ST_P99 | **$R_ST** |

Server peak memory (VmHWM) over the run: $PEAK MiB.

Where the time goes (perf, 2026-11-28, after the work of the perf branch): the
event's JSON is written straight out as text from six statements (the event, its
attributes, its acts joined with their details and victims, perpetrators, sources,
interventions) in one read transaction; about a third of the server's time is then
SQLite, a sixth writing the JSON and decrypting the victim's name (the benchmark user
may read identities), the rest the kernel's sockets and thread wake-ups. Because the
benchmark user reads identities, every request also appends a "decrypt" entry to the
audit log: a write transaction of its own, after which the other workers' page caches
are stale. That halves the event route's rate or more (2026-11-28, after the merge of
the audit log: about 0.08 of nginx, the server without the perf branch 0.04). Who a
bearer token stands for is kept 5 s (src/server/authcache.h), so the statistics
route, whose answers are kept until the data change, is mostly sockets. Peak memory:
the dashboard's statistics query loads only the fact columns it reads (about 8 bytes
per act) and each worker has a 2 MB page cache. The first statistics query after a
write rebuilds the whole fact table (about 52 bytes per act: some 70 MB for a
million acts) and is not part of this run. The machine is shared: ratios vary by
about a fifth between runs.
MD
cat "$OUT/web.md"
