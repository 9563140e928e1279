# portability.sh - mrm portability and mrm welfare: hand-computed amounts in
# JSON and the table, the switch, located errors with exit 1 (2 for usage),
# help; the welfare table as CSV and HTML with a source for every known cell.
. "$(dirname "$0")/lib.sh.inc"

# jval KEY: every "KEY":VALUE of the JSON output, one a line
jval() {
	grep -o "\"$1\":[^,}]*" "$T/out" | sed "s/^\"$1\"://"
}

# 20 years at 15,000 THB: 20% + 5 x 1.5% = 27.5% -> 4,125.00 THB a month
expect_exit 0 mrm portability --period TH:2005-01:2024-12:15000 \
	--birth-year 1965 --claim-date 2025-06-01 --format json
expect_eq "412500" "$(jval amount | head -n 1)" "independent pension"
contains out '"type":"pension"'
contains out '"currency":"THB"'
contains out '"thai_lump_sum_after_leaving":false'
contains out '"source":"Social Security Act B.E. 2533 (1990)'
contains out '"in_force":"in force 1990 to 2025-12-31"'

expect_exit 0 mrm portability --period TH:2005-01:2024-12:15000 \
	--birth-year 1965 --claim-date 2025-06-01
contains out '4125.00 THB/m  payable'
contains out 'social-security-benefit.csv:2'

# Thailand 15 years at 12,000 then Myanmar 10: alone 2,400.00; theoretical
# on 300 months 35% x 12,000 = 4,200.00; x 180/300 = 2,520.00; 120.00 lost
expect_exit 0 mrm portability --period TH:2000-01:2014-12:12000 \
	--period MM:2015-01:2024-12:300000 --birth-year 1975 \
	--claim-date 2025-06-01 --format json
contains out '"all_months":300'
contains out '"amount":252000'
contains out '"pension_per_month":12000'

# 6 months: the worker's own 3% x 15,000 x 6 = 2,700.00; deferred to 55
# unless the switch says a migrant may take it on leaving
expect_exit 0 mrm portability --period TH:2024-01:2024-06:15000 \
	--birth-year 1990 --claim-date 2025-01-01 --format json
contains out '"type":"lump_sum","amount":270000'
contains out '"status":"deferred","payable_from":"2045"'
expect_exit 0 mrm portability --period TH:2024-01:2024-06:15000 \
	--birth-year 1990 --claim-date 2025-01-01 --format json \
	--switch thai_lump_sum_after_leaving=on
contains out '"status":"payable"'
contains out '"thai_lump_sum_after_leaving":true'

# bad input: exit 1, the message names the period and the problem
expect_exit 1 mrm portability --period TH:2010-01:2012-01:15000 \
	--period TH:2011-06:2013-01:15000
contains err 'period 1 (TH:2010-01:2012-01:15000) and period 2'
contains err 'overlap'
expect_exit 1 mrm portability --period TH:2010-05:2009-01:15000
contains err 'is reversed: it ends (2009-01) before it starts (2010-05)'
expect_exit 1 mrm portability --period XX:2010-01:2011-01:100
contains err 'no social security rules for country XX; rules exist for TH'
expect_exit 1 mrm portability --period TH:2010-01:2011-01:100:USD
contains err 'give the wage in THB'
expect_exit 1 mrm portability --period TH:1985-01:1985-12:15000
contains err 'no TH SSA-s33 contribution rule is in force in 1985-01'
expect_exit 1 mrm portability --period KH:2015-01:2023-12:2000000
contains err 'period 1 (KH:2015-01:2023-12:2000000): no KH NSSF-pension'
contains err 'in force 2022-10-01 to 2027-09-30'
expect_exit 1 mrm portability --period TH:2010-01:2011-01:100 \
	--switch nope=on
contains err 'no switch "nope"'
expect_exit 1 mrm portability
contains err 'no period of work'
expect_exit 2 mrm portability --period TH:2010-01:2011-01:100 \
	--birth-year soon
contains err '--birth-year must be a year'
expect_exit 2 mrm portability --period TH:2010-01:2011-01:100 --format csv

expect_exit 0 mrm portability --help
contains out 'thai_lump_sum_after_leaving'
expect_exit 0 mrm help welfare
contains out 'usage: mrm welfare'

# the welfare table: every known cell with a source and a date; the rest
# unknown, never filled in
expect_exit 0 mrm welfare --format csv
head -n 1 out >head.txt
contains head.txt 'country,branch,scheme,employee_pct,employer_pct'
expect_eq 55 "$(wc -l <out | tr -d ' ')" "CSV rows (6 countries x 9 branches + header)"
contains out 'TH,old_age,SSA-s33,3.00,3.00,1.00,yes,unknown,1990,'
contains out 'LA,health_care,,,,,unknown,unknown,,,no source found,,'
expect_exit 0 mrm welfare --format html
contains out '<!DOCTYPE html>'
contains out 'Thai Ministry of Labour, 23 May 2024'
contains out 'in force from 2022-10-01 to 2027-09-30'
expect_exit 0 mrm welfare --format html --lang th
contains out '<html lang="th">'
contains out 'มีผลตั้งแต่ 2022-10-01 ถึง 2027-09-30'
expect_exit 1 mrm welfare --format html --lang km
contains err 'en, th and my'
expect_exit 2 mrm welfare --lang th
expect_exit 0 mrm welfare
contains out 'no source found'
expect_exit 2 mrm welfare --format pdf
