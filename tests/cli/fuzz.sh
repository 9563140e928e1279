# fuzz.sh - every libFuzzer target builds and runs 5 seconds from its seed
# corpus without a crash (fuzz/run.sh). Needs clang and libclang-rt-14-dev
# (the libFuzzer and sanitizer runtimes); without them the test says why
# and passes, as scripts/deps.sh installs them where it can.
set -u

src=$(cd "$(dirname "$0")/../.." && pwd)

if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: skipped: clang is not installed (apt-get install clang)"
	exit 0
fi
if ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null |
	grep -q "install ok installed"; then
	echo "fuzz: skipped: libclang-rt-14-dev is not installed" \
		"(apt-get install libclang-rt-14-dev)"
	exit 0
fi
rt=$(clang --print-runtime-dir 2>/dev/null || true)
arch=$(uname -m)
if [ ! -f "$rt/libclang_rt.fuzzer-$arch.a" ]; then
	echo "fuzz: skipped: clang ($(clang --version | head -1)) has no" \
		"libFuzzer runtime $rt/libclang_rt.fuzzer-$arch.a" \
		"(libclang-rt-14-dev serves clang 14)"
	exit 0
fi

if ! sh "$src/fuzz/run.sh" 5; then
	echo "FAIL: a fuzz target crashed (reproducers in $src/fuzz/crashes)" >&2
	exit 1
fi
echo "fuzz: all targets ran 5 seconds without a crash"
