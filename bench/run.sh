#!/bin/sh
# Benchmarks. Speed targets live here, never in the tests. Each figure is a
# ratio to a baseline measured in the same run on the same machine.
#
#   sh bench/run.sh [EVENTS]      (default 345000 events, just over 1,000,000 acts)
#
# Writes the results to docs/benchmarks.md. The import benchmark leaves its
# database for the statistics benchmark (bench/stats.sh).
set -eu
cd "$(dirname "$0")/.."
EVENTS=${1:-345000}
MRM=${MRM:-build/release/mrm}
OUT=bench/out
mkdir -p "$OUT"
rm -f "$OUT"/import.db* "$OUT"/plain.db*

measure() { # measure LABEL CMD... -> seconds and peak KiB in $OUT/LABEL.time
	label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$OUT/$label.time" "$@"
}

echo "generating $EVENTS synthetic events..." >&2
"$MRM" demo-data --csv "$OUT/acts.csv" --events "$EVENTS" --seed 1 2>"$OUT/gen.log"
ACTS=$(grep -o '[0-9]* acts' "$OUT/gen.log" | cut -d' ' -f1)
ROWS=$(($(wc -l <"$OUT/acts.csv") - 1))
SIZE=$(du -m "$OUT/acts.csv" | cut -f1)

"$MRM" init --db "$OUT/import.db" >/dev/null
for org in MKN-TH:TH MKN-MM:MM MKN-KH:KH MKN-LA:LA MKN-VN:VN MKN-CN:CN; do
	"$MRM" org add --db "$OUT/import.db" --code "${org%%:*}" \
		--name "Benchmark ${org%%:*}" --country "${org##*:}" >/dev/null
done

echo "baseline: sqlite3 .import into a plain table..." >&2
measure sqlite3 sqlite3 "$OUT/plain.db" ".import --csv $OUT/acts.csv t"
echo "mrm import..." >&2
measure mrm "$MRM" import --db "$OUT/import.db" "$OUT/acts.csv"

read -r BASE_S BASE_KB <"$OUT/sqlite3.time"
read -r MRM_S MRM_KB <"$OUT/mrm.time"
RATIO=$(awk -v a="$MRM_S" -v b="$BASE_S" 'BEGIN { printf "%.2f", a / b }')
RATE=$(awk -v r="$ROWS" -v s="$MRM_S" 'BEGIN { printf "%.0f", r / s }')
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')

cat >"$OUT/import.md" <<MD
## Import: 1,000,000 acts

\`mrm demo-data --csv\` writes synthetic events in the native CSV (one row per act);
\`mrm import\` reads it into a new database: validation of every field against the
vocabularies, encryption of names, contacts and health fields, the trigram search index,
one transaction. Baseline: \`sqlite3 NEW.db ".import --csv FILE t"\` of the same file into
a plain table (no checks, no index, no encryption).
Target: at most 3 times the baseline's time; aim 1.5.

| | figure |
|---|---|
| date | $(date -u +%Y-%m-%d) |
| machine | $CPU, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB |
| input | $EVENTS events, $ACTS acts, $ROWS rows, $SIZE MB |
| sqlite3 .import (baseline) | $BASE_S s, peak $((BASE_KB / 1024)) MiB |
| mrm import | $MRM_S s, peak $((MRM_KB / 1024)) MiB, $RATE rows/s |
| **ratio mrm / baseline** | **$RATIO** (target at most 3.0, aim 1.5) |

Where the time goes (perf on this machine, 2026-11-28, about 15 s in all): reading and
checking the CSV in one thread while a second writes the rows (SQLite's B-tree inserts
of the 3.7 million rows of events, acts, details, persons, perpetrators, sources and
interventions), about 9 s; then, in the same transaction, the trigram search index over
titles, summaries and places in one statement (about 2.5 s; row by row through a
trigger it was five times slower), the audit log (docs/audit.md: a BLAKE2b hash of
every row written, hashed by a helper thread a batch at a time, and an entry per event
and person; about 2.5 s) and the commit, whose checkpoint copies the write-ahead log
into the database (about 2 s). What brought it from 3.2-3.5 to this (2026-11-28): new
databases have 16 KB pages (fewer pages to split, log and copy back), the search index
gathers 16 MB of terms before it writes a segment (FTS5's default is 1 MB), SQLite
takes no global mutex around its every allocation, and the audit's hashing runs beside
its reading. The aim of 1.5 would need the search index built outside the import
transaction, which would let a crash leave events unsearchable.
MD
MRM="$MRM" sh bench/stats.sh "$OUT/import.db"
MRM="$MRM" sh bench/web.sh "$OUT/import.db"
{
	printf '# Benchmarks\n\nRun with `make bench` (`sh bench/run.sh`). Targets are ratios to a\n'
	printf 'baseline measured in the same run on the same machine, so they hold on any\n'
	printf 'machine.\n\n'
	cat "$OUT/import.md"
	echo
	cat "$OUT/stats.md"
	echo
	cat "$OUT/web.md"
} >docs/benchmarks.md
cat docs/benchmarks.md
