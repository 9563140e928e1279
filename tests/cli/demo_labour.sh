# demo_labour.sh - the demo's wage records and recruitment costs get
# reference figures: every wage record a legal minimum in force (with its
# source), every recruitment cost a burden or a legal cap; the same seed
# gives the same records.
. "$(dirname "$0")/lib.sh.inc"

newdb d.db
expect_exit 0 mrm demo-data --db d.db --events 3000 --seed 7
contains out 'wage records'
expect_exit 0 mrm wages --db d.db --format csv
cp out w1.csv
n=$(($(wc -l <w1.csv) - 1))
[ "$n" -ge 10 ] || fail "3000 demo events gave $n wage records (want 10 or more)"
# column 12 is the minimum (before the quoted sources): every record has one
bad=$(awk -F, 'NR > 1 && $12 == "" { n++ } END { print n + 0 }' w1.csv)
expect_eq 0 "$bad" "demo wage records without a minimum"
lacks w1.csv 'no minimum wage'
contains w1.csv 'Royal Gazette'
# periods in 2025-2026 only, in the currency of the minimum
bad=$(awk -F, 'NR > 1 && $7 !~ /^202[56]-/ { n++ } END { print n + 0 }' w1.csv)
expect_eq 0 "$bad" "demo wage records outside 2025-2026"

expect_exit 0 mrm stats --db d.db --measure wages-owed --by corridor --format csv
contains out '*,THB,'
expect_exit 0 mrm recruitment --db d.db --format csv
cp out r1.csv
n=$(($(wc -l <r1.csv) - 1))
[ "$n" -ge 3 ] || fail "3000 demo events gave $n recruitment costs"
# column 11 is burden_percent, 12 cap: each cost has one or the other
bad=$(awk -F, 'NR > 1 && $11 == "" && $12 == "" { n++ } END { print n + 0 }' r1.csv)
expect_eq 0 "$bad" "demo recruitment costs with neither burden nor cap"
with_cap=$(awk -F, 'NR > 1 && $12 != "" { n++ } END { print n + 0 }' r1.csv)
[ "$with_cap" -ge 1 ] || fail "no demo recruitment cost is compared with a cap"
with_burden=$(awk -F, 'NR > 1 && $11 != "" { n++ } END { print n + 0 }' r1.csv)
[ "$with_burden" -ge 1 ] || fail "no demo recruitment cost has a burden"

# deterministic: the same seed again gives the same records
newdb e.db
expect_exit 0 mrm demo-data --db e.db --events 3000 --seed 7
expect_exit 0 mrm wages --db e.db --format csv
same_file w1.csv out
exit 0
