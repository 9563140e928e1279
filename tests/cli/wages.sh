# wages.sh - mrm wages, mrm recruitment and the wages-owed and
# recruitment-burden statistics on tests/data/wages.json (values worked out
# by hand in docs/wages.md); wage records round-trip through export and
# import; bad records are located and change nothing.
. "$(dirname "$0")/lib.sh.inc"

DATA=$MRM_SOURCE_DIR/tests/data/wages.json
newdb a.db MKN-TH
expect_exit 0 mrm import --db a.db "$DATA"

# Bangkok, March 2025: 372 x 20 - 6,000 = 1,440 owed, 72 a day; July: 400
expect_exit 0 mrm wages --db a.db --format csv
contains out '1,w-bkk,w-p1,TH-10,,construction,2025-03-01,2025-03-31,20,6000.00,THB,372.00,day,7440.00,1440.00,72.00,13571.00,"Royal Gazette, 27 Dec 2024 (17-tier provincial minimum wage)",2025-01-01,TH-10-2025,0'
contains out '2,w-bkk,w-p1,TH-10,,construction,2025-07-01,2025-07-31,20,6000.00,THB,400.00,day,8000.00,2000.00,100.00,13571.00,"Royal Gazette, 17 Jun 2025",2025-07-01,TH-10-2025-07,0'
contains out ',TH-10-2025-07'
contains out 'no minimum wage for TH-57 sector agriculture per day on 2019-05-01'
expect_exit 0 mrm wages --db a.db --event 1
contains out 'TH-10-2025'
contains out '1440.00'
lacks out 'w-vn'
expect_exit 0 mrm wages --db a.db --format json
contains out '"owed":"655000"'
contains out '"source":"Decree 293/2025/ND-CP"'

expect_exit 0 mrm recruitment --db a.db --format csv
contains out '1,w-bkk,w-p1,LA-TH,broker,irregular,2024-11,15000.00,THB,7500.00,200.00,0.00,15000.00'
contains out '2,w-mm,w-p3,MM-TH,agency,MOU,2024-06,500.00,USD,230.00,217.39,230.00,270.00'
contains out 'no market rate converts them'

expect_exit 0 mrm stats --db a.db --measure wages-owed --by corridor --format csv
contains out 'MM-TH,THB,3440.00'
contains out 'VN-VN,VND,655000'
contains out '*,THB,3440.00'
expect_exit 0 mrm stats --db a.db --measure recruitment-burden --by corridor
contains out 'LA-TH'
contains out '200.0'
expect_exit 0 mrm stats --db a.db --measure wages-owed --by sector --public
contains out '<5'
expect_exit 1 mrm stats --db a.db --measure wages-owed --by act_type
contains err 'valid: corridor'
# --where: OR within, AND across; located errors
expect_exit 0 mrm stats --db a.db --measure wages-owed --by corridor --format csv \
	--where corridor=MM-TH,VN-VN --where sector=construction
contains out 'MM-TH,THB,3440.00'
lacks out 'VN-VN'
expect_exit 1 mrm stats --db a.db --measure wages-owed --where sector=constr
contains err 'closest valid terms'
expect_exit 1 mrm stats --db a.db --measure recruitment-burden --where sector=construction
contains err 'cannot be filtered by "sector"'

# round trip: export, import into a new database, export again
expect_exit 0 mrm export --db a.db --format json --out one.json
newdb b.db
expect_exit 0 mrm import --db b.db one.json
expect_exit 0 mrm export --db b.db --format json --out two.json
contains one.json '"wages":'
contains one.json '"recruitment_costs":'
contains one.json '"monthly_earnings":"7500.00"'
same_file one.json two.json

# bad input: located, nothing imported
expect_exit 0 mrm export --db a.db --format json --out before.json
cat >bad.json <<'JSON'
{"format": "mrm-export/1", "events": [
 {"org": "MKN-TH", "key": "bad-1", "title": "Bad wage records",
  "acts": [{"type": "wage_theft", "victim": {"key": "b-1"}}],
  "wages": [{"victim": "b-1", "country": "XX", "period_start": "2025-03-01", "period_end": "2025-03-31", "amount_paid": "100", "currency": "THB"},
            {"victim": "b-1", "country": "TH", "period_start": "2025-03-01", "period_end": "2025-03-31", "amount_paid": "100", "currency": "BAHT"},
            {"victim": "b-9", "country": "TH", "admin1": "MM-01", "period_start": "2025-04-01", "period_end": "2025-03-31", "amount_paid": "1.234", "currency": "THB", "hours": 3}],
  "recruitment_costs": [{"amount": "500", "currency": "THB", "paid_to": "uncle"}]}]}
JSON
expect_exit 1 mrm import --db a.db bad.json
contains err 'bad.json: events[0].wages[0].country: unknown country "XX"'
contains err 'events[0].wages[1].currency'
contains err 'BAHT'
contains err 'events[0].wages[2].victim: no victim with key "b-9"'
contains err 'events[0].wages[2].admin1: MM-01 is not in country TH'
contains err 'events[0].wages[2].period_end'
contains err 'events[0].wages[2].amount_paid'
contains err 'events[0].wages[2].hours: unknown member "hours"'
contains err 'events[0].recruitment_costs[0].paid_to'
contains err 'nothing was imported'
expect_exit 0 mrm export --db a.db --format json --out after.json
same_file before.json after.json

expect_exit 2 mrm wages --db a.db --event x1
expect_exit 1 mrm wages --db a.db --event 999
contains err 'no event 999'
expect_exit 2 mrm recruitment --db a.db --format xml
expect_exit 2 mrm wages
expect_exit 0 mrm help wages
contains out 'mrm wages --db FILE'
expect_exit 0 mrm help recruitment
contains out 'SDG'
exit 0
