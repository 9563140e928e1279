#!/bin/sh
# Build the fuzz targets and run each for SECONDS (default 60), one after
# the other, from its seed corpus in fuzz/corpus/TARGET. Prints the
# executions of each run and whether it crashed; crash reproducers are
# written to fuzz/crashes/TARGET-crash-... (and leak-, timeout-, oom-).
# Exit status 1 if any target crashed (or failed to start).
#
# usage: sh fuzz/run.sh [SECONDS] [TARGET...]
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
out="$root/build/fuzz"

sh "$root/fuzz/build.sh" >/dev/null

targets="$*"
if [ -z "$targets" ]; then
	for f in "$root"/fuzz/fuzz_*.c; do
		targets="$targets $(basename "$f" .c)"
	done
fi

mkdir -p "$root/fuzz/crashes"
work=$(mktemp -d "${TMPDIR:-/tmp}/mrm-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
failed=0
printf '%-20s %12s %10s  %s\n' target executions exec/s result
for t in $targets; do
	t=${t%.c}
	bin="$out/$t"
	seeds="$root/fuzz/corpus/${t#fuzz_}"
	mkdir -p "$work/$t/corpus" "$work/$t/tmp"
	log="$work/$t/log"
	# New inputs go to the work corpus; the seed corpus is only read.
	set +e
	(cd "$work/$t" && TMPDIR="$work/$t/tmp" "$bin" \
		-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 \
		-artifact_prefix="$root/fuzz/crashes/$t-" \
		corpus "$seeds") >"$log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	persec=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		result="ok"
	else
		result="CRASHED (exit $rc)"
		failed=1
	fi
	printf '%-20s %12s %10s  %s\n' "$t" "${execs:-?}" "${persec:-?}" "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E '^==[0-9]+==ERROR|runtime error|SUMMARY|Test unit written|artifact_prefix' "$log" | head -20 | sed 's/^/    /'
		tail -40 "$log" | sed 's/^/    | /'
	fi
done
exit $failed
