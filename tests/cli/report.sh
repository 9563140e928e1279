# report.sh - mrm report: both templates in every language, private files
# (mode 600) and no partial file on failure, --csv-dir, --public, and the
# usage errors.
. "$(dirname "$0")/lib.sh.inc"

IOM=$MRM_SOURCE_DIR/tests/data/iom-missing-migrants-2014-2019.csv
[ -r "$IOM" ] || fail "cannot read $IOM"

# Every section of add-monitoring gets something; one name that must never
# reach a report.
cat >acts.csv <<'EOF'
event.key,event.title,event.start_date,event.country,act.type,act.start_date,act.end_date,deportation.checkpoint,perpetrator.type,victim.key,victim.unit,victim.group_size,victim.name,victim.nationality
e1,Raid at Mahachai pier,2018-05-03,TH,arrest,2018-05-03,,,police,g1,group,120,,MM
e2,Raid two,2019-02-10,TH,arrest,2019-02-10,,,immigration,g2,group,30,,KH
e3,One worker,2019-03-02,TH,arrest,2019-03-02,,,police,v1,individual,1,Maung Aung Kyaw,MM
e3,One worker,2019-03-02,TH,detention,2019-03-02,2019-03-20,,,v1,individual,1,Maung Aung Kyaw,MM
e3,One worker,2019-03-02,TH,deportation,2019-03-25,,th-ranong,,v1,individual,1,Maung Aung Kyaw,MM
e4,Raid four,2019-06-14,TH,detention,2019-06-14,2019-07-13,,,g4,group,40,,MM
e4,Raid four,2019-06-14,TH,deportation,2019-07-14,,th-maesot,,g4,group,40,,MM
e4,Raid four,2019-06-14,TH,return_reception,2019-07-14,,,,g4,group,40,,MM
e5,Raid five,2019-05-01,TH,detention,2019-05-01,2019-05-10,,,g5,group,12,,KH
e5,Raid five,2019-05-01,TH,return_reception,2019-05-11,,,,g5,group,12,,KH
EOF

newdb r.db MKN-TH
expect_exit 0 mrm import --db r.db --org MKN-TH acts.csv

# check_report FILE: a private, self-contained, complete HTML file
check_report() {
	[ -f "$1" ] || fail "$1 was not written"
	[ ! -e "$1.tmp" ] || fail "$1.tmp was left behind"
	expect_eq "-rw-------" "$(mode "$1")" "mode of $1"
	expect_eq "<!DOCTYPE html>" "$(head -n 1 "$1")" "first line of $1"
	contains "$1" '<meta charset="utf-8">'
	contains "$1" "@media print"
	contains "$1" "</html>"
	lacks "$1" "http"
	lacks "$1" "<script"
	lacks "$1" "Maung Aung Kyaw"
	lacks "$1" "Mahachai"
}

for lang in en th my; do
	expect_exit 0 mrm report --db r.db --template add-monitoring \
		--out "add-$lang.html" --lang "$lang"
	check_report "add-$lang.html"
	contains "add-$lang.html" "<html lang=\"$lang\">"
	expect_exit 0 mrm report --db r.db --template add-monitoring \
		--out "add-public-$lang.html" --lang "$lang" --public
	check_report "add-public-$lang.html"
	# 1 deported through Ranong: under 5
	contains "add-public-$lang.html" "&lt;5"
done
contains add-en.html "Persons arrested, by year"
contains add-th.html "จำนวนผู้ถูกจับกุม จำแนกตามปี"
contains add-my.html "ဖမ်းဆီးခံရသူ ဦးရေ (ခုနှစ်အလိုက်)"
contains add-en.html '<td class="num">120</td>'
contains add-public-en.html 'fewer than 5 people'
expect_eq 6 "$(grep -c '<svg' add-en.html)" "charts in add-en.html"

# --k goes with --public
expect_exit 0 mrm report --db r.db --template add-monitoring --out k.html \
	--public --k 50
contains k.html "&lt;50"
lacks k.html '<td class="num">120</td>'
expect_exit 2 mrm report --db r.db --template add-monitoring --out k2.html --k 10
expect_exit 2 mrm report --db r.db --template add-monitoring --out k2.html \
	--public --k 1
[ ! -e k2.html ] || fail "k2.html written despite a usage error"

# An existing file is replaced, and private afterwards.
echo old >old.html
chmod 644 old.html
expect_exit 0 mrm report --db r.db --template add-monitoring --out old.html
check_report old.html

# Tables as CSV, with codes, each private.
expect_exit 0 mrm report --db r.db --template add-monitoring --out c.html \
	--csv-dir tables --public
[ -d tables ] || fail "--csv-dir made no directory"
n=0
for f in tables/*.csv; do
	expect_eq "-rw-------" "$(mode "$f")" "mode of $f"
	n=$((n + 1))
done
expect_eq 7 "$n" "CSV files"
contains tables/01-arrests-by-year.csv "year,value"
contains tables/01-arrests-by-year.csv "2018,120"
contains tables/05-deportations-by-checkpoint.csv "th-maesot,x"
contains tables/05-deportations-by-checkpoint.csv "th-ranong,<5"
lacks tables/05-deportations-by-checkpoint.csv "th-ranong,1"
[ ! -e tables/01-arrests-by-year.csv.tmp ] || fail "a .tmp CSV was left"

# Period.
expect_exit 0 mrm report --db r.db --template add-monitoring --out p.html \
	--from 2019 --to 2019-12
contains p.html "Period: 2019 to 2019-12"

# deaths-and-missing on the IOM file.
newdb iom.db
expect_exit 0 mrm org add --db iom.db --code IOM \
	--name "International Organization for Migration" --country CH
expect_exit 0 mrm import --db iom.db --org IOM --mapping iom-missing-migrants "$IOM"
for lang in en th my; do
	expect_exit 0 mrm report --db iom.db --template deaths-and-missing \
		--out "dm-$lang.html" --lang "$lang" --public
	check_report "dm-$lang.html"
	contains "dm-$lang.html" "IOM Missing Migrants Project, missingmigrants.iom.int, CC BY 4.0"
	expect_eq 2 "$(grep -c '<svg' "dm-$lang.html")" "charts in dm-$lang.html"
done
contains dm-en.html "excludes deaths in detention, during deportation and after return"
contains dm-en.html '<tr><th scope="row">2014</th><td class="num">16</td><td class="num">798</td><td class="num">814</td></tr>'
expect_exit 0 mrm report --db iom.db --template deaths-and-missing \
	--out dm.html --csv-dir dm
contains dm/01-southeast-asia-by-year.csv "2014,*,814"
contains dm/01-southeast-asia-by-year.csv "2019,*,143"

# Usage errors: the valid choices are listed, nothing is written.
expect_exit 2 mrm report --db r.db --template nope --out x.html
contains err "add-monitoring, deaths-and-missing"
expect_exit 2 mrm report --db r.db --out x.html
contains err "add-monitoring, deaths-and-missing"
expect_exit 2 mrm report --db r.db --template add-monitoring --out x.html --lang fr
contains err "en, th, my"
expect_exit 2 mrm report --db r.db --template add-monitoring
contains err "--out"
expect_exit 2 mrm report --template add-monitoring --out x.html
[ ! -e x.html ] || fail "x.html written despite a usage error"

# Failures leave no file, partial or temporary.
expect_exit 1 mrm report --db r.db --template add-monitoring --out bad.html \
	--from not-a-date
[ ! -e bad.html ] && [ ! -e bad.html.tmp ] || fail "a failed report left a file"
expect_exit 1 mrm report --db r.db --template add-monitoring \
	--out no/such/dir/r.html
expect_exit 1 mrm report --db missing.db --template add-monitoring --out m.html
[ ! -e m.html ] && [ ! -e m.html.tmp ] || fail "a failed report left a file"

expect_exit 0 mrm help report
contains out "--csv-dir"
exit 0
