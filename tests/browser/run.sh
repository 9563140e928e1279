#!/bin/sh
# Browser test: a real `mrm serve` on loopback, Debian's chromium, driven by
# playwright-core (installed by scripts/deps.sh into tests/browser).
# Environment from ctest: MRM, MRM_SOURCE_DIR, MRM_ARTEFACTS (screenshots).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "browser test: playwright-core is missing; run scripts/deps.sh" >&2
	exit 1
fi
PASSWORD='correct horse battery'
"$MRM" init --db "$dir/t.db" >/dev/null
"$MRM" org add --db "$dir/t.db" --code MKN-TH --name "Test Thailand" --country TH >/dev/null
"$MRM" org add --db "$dir/t.db" --code MKN-MM --name "Test Myanmar" --country MM >/dev/null
echo "$PASSWORD" | "$MRM" user add --db "$dir/t.db" --org MKN-TH --login alice --role caseworker >/dev/null
echo "$PASSWORD" | "$MRM" user add --db "$dir/t.db" --org MKN-MM --login bob --role caseworker >/dev/null
# carol logs in with two factors: the secret is the first line of totp
echo "$PASSWORD" | "$MRM" user add --db "$dir/t.db" --org MKN-TH --login carol --role viewer >/dev/null
# wage records of MKN-TH (docs/wages.md's worked examples) for the wages page
"$MRM" import --db "$dir/t.db" "$MRM_SOURCE_DIR/tests/data/wages.json" >/dev/null 2>&1
# one victim with a name, hidden in the event view until asked for
printf '%s\n' 'event.key,event.org,event.title,event.country,act.type,victim.key,victim.unit,victim.group_size,victim.name' \
	'named-1,MKN-TH,Arrest on the Myawaddy road,TH,arrest,nv-1,individual,1,Ko Min Thu' >"$dir/named.csv"
"$MRM" import --db "$dir/t.db" "$dir/named.csv" >/dev/null
totp_secret=$("$MRM" user totp --db "$dir/t.db" --login carol 2>/dev/null | head -n 1)
# dana administers MKN-TH (the account actions of the administration page)
echo "$PASSWORD" | "$MRM" user add --db "$dir/t.db" --org MKN-TH --login dana --role admin >/dev/null

# a free port: let the server pick one and tell us
"$MRM" serve --db "$dir/t.db" --listen 127.0.0.1:0 2>"$dir/serve.log" &
pid=$!
i=0
while ! grep -q "listening on" "$dir/serve.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$dir/serve.log" >&2; exit 1; }
	sleep 0.1
done
port=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$dir/serve.log" | head -n 1)

# this run's screenshots only
[ -n "${MRM_ARTEFACTS:-}" ] && rm -f "$MRM_ARTEFACTS"/*.png
MRM_URL="http://127.0.0.1:$port" MRM_PASSWORD="$PASSWORD" MRM_TOTP_SECRET="$totp_secret" \
MRM_SHOTS="${MRM_ARTEFACTS:-$dir/shots}" node "$here/e2e.mjs"

kill -TERM "$pid"
wait "$pid"
pid=
