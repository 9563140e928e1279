#!/bin/sh
# Build the libFuzzer targets into build/fuzz with clang:
# -fsanitize=fuzzer,address,undefined. The library and server sources are
# compiled once with the sanitizers (and fuzzer-no-link coverage) into
# build/fuzz/libmrm-fuzz.a; each fuzz/fuzz_*.c is linked against it.
# The normal CMake build is not touched.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/fuzz"
CC=${FUZZ_CC:-clang}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p "$out/obj"

pkgs="sqlite3 libsodium jansson libmicrohttpd"
PKG_CFLAGS=$(pkg-config --cflags $pkgs)
PKG_LIBS=$(pkg-config --libs $pkgs)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c17 -g -O1 -D_POSIX_C_SOURCE=200809L $SAN -I$root/include \
-I$root/src/lib -I$root/src/server $PKG_CFLAGS"

# The embedded vocabularies, reference data, mappings and web files, as CMake makes them.
if [ ! -x "$out/mrm-embed" ] || [ "$root/tools/embed.c" -nt "$out/mrm-embed" ]; then
	$CC -std=c17 -O1 -D_POSIX_C_SOURCE=200809L -o "$out/mrm-embed" "$root/tools/embed.c"
fi
web=$(find "$root/web" -type f | LC_ALL=C sort)
"$out/mrm-embed" "$out/embedded_data.c.new" "$root" \
	$(ls "$root"/data/vocab/*.csv | LC_ALL=C sort) \
	$(ls "$root"/data/reference/*.csv 2>/dev/null | LC_ALL=C sort) \
	$(ls "$root"/mappings/*.json | LC_ALL=C sort) $web
if cmp -s "$out/embedded_data.c.new" "$out/embedded_data.c"; then
	rm -f "$out/embedded_data.c.new"
else
	mv "$out/embedded_data.c.new" "$out/embedded_data.c"
fi

# Compile the library objects (in parallel, only what changed).
srcs="$(ls "$root"/src/lib/*.c "$root"/src/server/*.c) $out/embedded_data.c"
rebuilt=0
pids=""
n=0
for s in $srcs; do
	o="$out/obj/$(basename "$(dirname "$s")")_$(basename "$s" .c).o"
	if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || \
	   [ -n "$(find "$root/include" "$root/src" -name '*.h' -newer "$o" 2>/dev/null | head -1)" ]; then
		$CC $CFLAGS -fsanitize=fuzzer-no-link -c "$s" -o "$o" &
		pids="$pids $!"
		n=$((n + 1))
		rebuilt=1
		if [ "$n" -ge "$JOBS" ]; then
			for p in $pids; do wait "$p"; done
			pids=""
			n=0
		fi
	fi
done
for p in $pids; do wait "$p"; done
if [ "$rebuilt" = 1 ] || [ ! -f "$out/libmrm-fuzz.a" ]; then
	rm -f "$out/libmrm-fuzz.a"
	ar rcs "$out/libmrm-fuzz.a" "$out"/obj/*.o
fi

# Link the targets.
for f in "$root"/fuzz/fuzz_*.c; do
	t=$(basename "$f" .c)
	if [ ! -x "$out/$t" ] || [ "$f" -nt "$out/$t" ] || \
	   [ "$out/libmrm-fuzz.a" -nt "$out/$t" ] || [ -n "$(find "$root/fuzz" -maxdepth 1 -name "*.h" -newer "$out/$t")" ]; then
		$CC $CFLAGS -fsanitize=fuzzer -o "$out/$t" "$f" \
			"$out/libmrm-fuzz.a" $PKG_LIBS -lpthread -lm
	fi
done
echo "fuzz targets built in $out"
