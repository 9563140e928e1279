#!/bin/sh
# Install the Debian packages that building and testing mrm needs (and,
# for the browser tests, playwright-core from the npm registry, pinned by
# tests/browser/package-lock.json). Idempotent and quiet when everything is
# present; when a Debian package is missing and we are not root, print the
# exact apt-get line and stop.
set -eu

PKGS="build-essential cmake pkg-config sqlite3 libsqlite3-dev libsodium-dev \
libjansson-dev libcmocka-dev libmicrohttpd-dev zlib1g-dev valgrind time chromium \
fonts-noto-core clang libclang-rt-14-dev zbar-tools"
# Node.js and npm for the browser tests, unless the machine has them
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
npm_deps() {
	# playwright-core for the browser tests, pinned by package-lock.json
	dir=$(dirname "$0")/../tests/browser
	[ -d "$dir/node_modules/playwright-core" ] && return 0
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

if [ -z "$missing" ]; then
	npm_deps
	exit 0
fi

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
npm_deps
