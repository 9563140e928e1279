# demo.sh - synthetic demonstration data: labelled as such, deterministic.
. "$(dirname "$0")/lib.sh.inc"

newdb d.db
expect_exit 0 mrm demo-data --db d.db --events 300 --seed 7
cat out err >said
grep -i -q synthetic said || fail "demo-data does not say the data is synthetic"
expect_exit 0 mrm info --db d.db --format json
expect_eq 300 "$(jnum events)" "events"
acts=$(jnum acts)
[ "$acts" -gt 300 ] || fail "acts: expected more than 300, got $acts"
[ "$(jnum persons)" -gt 0 ] || fail "no persons"
[ "$(jnum organisations)" -gt 0 ] || fail "no organisations"
expect_exit 0 mrm search --db d.db --format csv --limit 5 'synthetic'

# The same seed gives the same bytes; another seed, others.
expect_exit 0 mrm demo-data --csv a.csv --events 50 --seed 7
cat out err >said
grep -i -q synthetic said || fail "demo-data --csv does not say synthetic"
expect_exit 0 mrm demo-data --csv b.csv --events 50 --seed 7
expect_exit 0 mrm demo-data --csv c.csv --events 50 --seed 8
same_file a.csv b.csv
cmp -s a.csv c.csv && fail "seeds 7 and 8 gave the same file"
head -n 1 a.csv | grep -q 'event\.key' || fail "a.csv has no native header"

# The CSV imports cleanly.
newdb e.db
expect_exit 0 mrm demo-data --db e.db --events 1 --seed 7 # its organisations
expect_exit 0 mrm import --db e.db a.csv
expect_exit 0 mrm info --db e.db --format json
n=$(jnum events)
if [ "$n" -lt 50 ] || [ "$n" -gt 51 ]; then fail "events after importing a.csv: $n"; fi

# Bad counts and seeds are usage errors.
expect_exit 2 mrm demo-data --db d.db --events 0
expect_exit 2 mrm demo-data --db d.db --events -3
expect_exit 2 mrm demo-data --db d.db --events ten
expect_exit 2 mrm demo-data --db d.db --events 5 --seed x
expect_exit 2 mrm demo-data --db d.db --csv z.csv --events 5
[ ! -e z.csv ] || fail "a refused demo-data created z.csv"
exit 0
