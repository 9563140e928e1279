# ref.sh - mrm ref list|show: every table with its rows' sources and dates;
# bad input names the problem and exits non-zero.
. "$(dirname "$0")/lib.sh.inc"

expect_exit 0 mrm ref list
contains out "minimum-wage"
contains out "living-wage"
contains out "recruitment-fee-cap"
contains out "exchange-rate"
# every data/reference file is a table
for f in "$MRM_SOURCE_DIR"/data/reference/*.csv; do
	contains out "data/reference/$(basename "$f")"
done
expect_exit 0 mrm ref list --format json
contains out '"name":"minimum-wage"'

# Bangkok on 1 July 2025: 400 THB/day (the 372 row has ended)
expect_exit 0 mrm ref show minimum-wage --country TH --on 2025-07-01 --format csv
contains out 'TH-10-2025-07,TH,TH-10,,,,day,40000,THB,2025-07-01,,"Royal Gazette, 17 Jun 2025"'
lacks out 'TH-10-2025,'
lacks out ',VN,'
expect_exit 0 mrm ref show minimum-wage --country TH --on 2025-03-01 --format csv
contains out 'TH-10-2025,TH,TH-10,,,,day,37200,THB,2025-01-01,2025-06-30'
lacks out 'TH-10-2025-07'
# the table form shows source and dates too
expect_exit 0 mrm ref show living-wage --country VN
contains out 'effective_from'
contains out 'Anker Research Network'
contains out '2022-11'
expect_exit 0 mrm ref show recruitment-fee-cap --format json
contains out '"estimate":true'
contains out '"source":"Five Corridors Project'

# bad input
expect_exit 1 mrm ref show no-such-table
contains err 'no reference table "no-such-table" (tables: exchange-rate'
expect_exit 1 mrm ref show minimum-wage --country XX
contains err 'unknown country "XX"'
expect_exit 1 mrm ref show minimum-wage --on 2025-13-01
contains err '"2025-13-01" is not a date'
expect_exit 2 mrm ref show
expect_exit 2 mrm ref list --country TH
expect_exit 2 mrm ref frob
expect_exit 2 mrm ref list --format xml
expect_exit 0 mrm help ref
contains out 'mrm ref show TABLE'
exit 0
