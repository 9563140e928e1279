#!/bin/sh
# Install the Debian packages that building and testing mrm needs.
# Idempotent and quiet when everything is present; when something is missing
# and we are not root, print the exact apt-get line and stop.
set -eu

PKGS="build-essential cmake pkg-config sqlite3 libsqlite3-dev libsodium-dev \
libjansson-dev libcmocka-dev valgrind time"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "mrm needs these Debian packages:$missing" >&2
	echo "Run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "Installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
