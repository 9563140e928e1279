#!/bin/sh
# The benchmarks' own baselines and load generator (nginx, wrk): installed
# only for `make bench`. Same rules as scripts/deps.sh.
set -eu
missing=""
for p in nginx wrk; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "the benchmarks need:$missing" >&2
	echo "Run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
