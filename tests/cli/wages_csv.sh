# wages_csv.sh - mrm import --what wages|recruitment: records from a
# spreadsheet keyed to events by their key; located errors; all or nothing.
. "$(dirname "$0")/lib.sh.inc"

newdb a.db MKN-TH
expect_exit 0 mrm org add --db a.db --code MKN-MM --name "MM test" --country MM
expect_exit 0 mrm import --db a.db "$MRM_SOURCE_DIR/tests/data/wages.json"
expect_exit 0 mrm wages --db a.db --format csv
n0=$(wc -l <out)

# Good rows: a victim by key, one without (the event's first victim), an
# amount with a thousands separator, a label for the country.
cat >good.csv <<'CSV'
event,victim,employer,country,admin1,sector,period_start,period_end,days_worked,amount_paid,currency
w-bkk,w-p1,Site B,TH,TH-10,construction,2025-08-01,2025-08-31,20,6000.00,THB

w-cr,,Farm C,Thailand,TH-10,agriculture,2025-03-01,2025-03-31,26,"7,000.00",THB
CSV
expect_exit 0 mrm import --db a.db --what wages good.csv
contains err 'added 2 wage records'
expect_exit 0 mrm wages --db a.db --format csv
expect_eq $((n0 + 2)) "$(wc -l <out)" "wage rows after the import"
# 400 x 20 - 6,000 = 2,000 owed in August 2025; 372 x 26 - 7,000 = 2,672
contains out 'w-bkk,w-p1,TH-10,,construction,2025-08-01,2025-08-31,20,6000.00,THB,400.00,day,8000.00,2000.00,100.00'
contains out 'w-cr,w-p5,TH-10,,agriculture,2025-03-01,2025-03-31,26,7000.00,THB,372.00,day,9672.00,2672.00'

# Recruitment costs: org column, earnings on the row
cat >costs.csv <<'CSV'
event,org,victim,paid_to,amount,currency,date,origin,destination,channel,monthly_earnings
w-cr,MKN-TH,w-p5,broker,"12,000.00",THB,2025-01,LA,TH,irregular,8000
CSV
expect_exit 0 mrm import --db a.db --what recruitment costs.csv
contains err 'added 1 recruitment costs'
expect_exit 0 mrm recruitment --db a.db --format csv
# 12,000 / 8,000 = 150%; Thailand's zero-fee cap: all 12,000 over
contains out 'w-cr,w-p5,LA-TH,broker,irregular,2025-01,12000.00,THB,8000.00,150.00,0.00,12000.00'

# Bad input: every problem located FILE:LINE:COLUMN, nothing imported
expect_exit 0 mrm export --db a.db --format json --out before.json
cat >bad.csv <<'CSV'
event,victim,employer,country,admin1,sector,period_start,period_end,days_worked,amount_paid,currency,hours
w-bkk,w-p9,Site B,TH,TH-10,construction,2025-09-01,2025-09-30,20,6000.00,THB,3
no-such,,Farm C,XX,,agri,2025-03-31,2025-03-01,400,abc,THB,
w-bkk,w-p1,Site B,TH,TH-10
w-bkk,w-p1,Site B,TH,MM-01,construction,2025-09-01,2025-09-30,20,6000.00,THB,
w-bkk,w-p1,Site B,TH,TH-10,construction,2025-09-01,2025-09-30,20,6000.00,THB,
CSV
expect_exit 1 mrm import --db a.db --what wages bad.csv
contains err 'bad.csv:1:12: unknown column "hours"'
contains err 'bad.csv:2:2: victim: no person with key "w-p9"'
contains err 'bad.csv:3:1: event: no event with key "no-such"'
contains err 'bad.csv:3:4: country: unknown country "XX"'
contains err 'bad.csv:3:6: sector: unknown sector "agri"'
contains err 'bad.csv:3:8: period_end: the period must be two full dates'
contains err 'bad.csv:3:9: days_worked: 400 is out of range'
contains err 'bad.csv:3:10: amount_paid: "abc" is not an amount'
contains err 'bad.csv:4:6: 5 columns, the header has 12'
contains err 'bad.csv:5:5: admin1: MM-01 is not in country TH'
contains err 'nothing was imported'
expect_exit 0 mrm export --db a.db --format json --out after.json
same_file before.json after.json

# a good first row is not kept when a later one is bad
printf 'event,country,period_start,period_end,amount_paid,currency\nw-bkk,TH,2025-10-01,2025-10-31,100,THB\nw-bkk,TH,2025-10-01,2025-10-31,100,\n' >late.csv
expect_exit 1 mrm import --db a.db --what wages late.csv
contains err 'late.csv:3:6: currency: is required'
expect_exit 0 mrm export --db a.db --format json --out after.json
same_file before.json after.json

# the same event key in two organisations: the org must be named
cat >mm.json <<'JSON'
{"format": "mrm-export/1", "events": [{"org": "MKN-MM", "key": "w-bkk", "title": "Same key, other organisation", "acts": [{"type": "wage_theft", "victim": {"key": "m-1"}}]}]}
JSON
expect_exit 0 mrm import --db a.db mm.json
printf 'event,country,period_start,period_end,amount_paid,currency\nw-bkk,TH,2025-10-01,2025-10-31,100,THB\n' >amb.csv
expect_exit 1 mrm import --db a.db --what wages amb.csv
contains err 'amb.csv:2:1: event: key "w-bkk" is used by events of several organisations (MKN-TH, MKN-MM)'
expect_exit 0 mrm import --db a.db --what wages --org MKN-MM amb.csv
contains err 'added 1 wage records'
expect_exit 1 mrm import --db a.db --what wages --org NOPE amb.csv
contains err '--org'

# no event column, an empty file, too many errors
printf 'key,country\nw-bkk,TH\n' >noev.csv
expect_exit 1 mrm import --db a.db --what wages noev.csv
contains err 'no column "event"'
: >empty.csv
expect_exit 1 mrm import --db a.db --what recruitment empty.csv
contains err 'empty'
{ echo 'event,amount,currency'; i=0; while [ $i -lt 30 ]; do echo 'w-bkk,x,THB'; i=$((i + 1)); done; } >many.csv
expect_exit 1 mrm import --db a.db --what recruitment --org MKN-TH --max-errors 3 many.csv
expect_eq 3 "$(grep -c '^many.csv:' err)" "problems shown with --max-errors 3"
contains err 'the import stopped there'

# usage errors
expect_exit 2 mrm import --db a.db --what salaries good.csv
expect_exit 2 mrm import --db a.db --what wages --skip-invalid good.csv
expect_exit 2 mrm import --db a.db --what wages x.json
expect_exit 0 mrm help import
contains out '--what wages|recruitment'
exit 0
