# basics.sh - init, organisations, users and info.
. "$(dirname "$0")/lib.sh.inc"

# init: the database and its key, both private to the owner.
expect_exit 0 mrm init --db a.db
[ -f a.db ] || fail "init did not create a.db"
[ -f a.db.key ] || fail "init did not create a.db.key"
expect_eq "-rw-------" "$(mode a.db.key)" "mode of a.db.key"

# init again on the same path fails and changes nothing.
before=$(cksum a.db a.db.key)
expect_exit 1 mrm init --db a.db
contains err "a.db"
expect_eq "$before" "$(cksum a.db a.db.key)" "a.db and its key after a second init"
# A key left behind without its database is not overwritten either.
expect_exit 0 mrm init --db b.db
rm b.db
keysum=$(cksum <b.db.key)
run mrm init --db b.db
[ "$RC" != 0 ] || fail "init over an existing b.db.key succeeded"
expect_eq "$keysum" "$(cksum <b.db.key)" "b.db.key after init over it"

# Organisations.
expect_exit 0 mrm org add --db a.db --code MAP --name "MAP Foundation" --country TH
expect_exit 0 mrm org add --db a.db --code HRDF --name "Human Rights and Development Foundation" --country TH
expect_exit 0 mrm org add --db a.db --code AAPP-MM --name "Assistance Association" --country MM
expect_exit 1 mrm org add --db a.db --code CAM --name "Bad country" --country TX
contains err '"TX"'
contains err "MX"
expect_exit 1 mrm org add --db a.db --code MAP --name "Again" --country TH
contains err "MAP"

expect_exit 0 mrm org list --db a.db
contains out "MAP Foundation"
contains out "AAPP-MM"
lacks out "Bad country"
expect_exit 0 mrm org list --db a.db --format json
contains out '{"code":"MAP","name":"MAP Foundation","country":"TH","kind":""}'
contains out '"code":"HRDF"'
expect_eq 3 "$(grep -o '"code"' out | wc -l | tr -d ' ')" "organisations in the json list"
expect_exit 0 mrm org list --db a.db --format csv
expect_eq "code,name,country,kind" "$(head -n 1 out)" "csv header of org list"
contains out "MAP,MAP Foundation,TH"
expect_eq 4 "$(wc -l <out | tr -d ' ')" "lines of the csv org list"

# Users: the password comes on standard input.
printf '%s\n' "$PASSWORD" >pw
printf 'short\n' >short
expect_exit 0 mrm user add --db a.db --org MAP --login alice --role caseworker <pw
expect_exit 0 mrm user add --db a.db --org HRDF --login bob --role viewer <pw
expect_exit 1 mrm user add --db a.db --org MAP --login carol --role boss <pw
contains err '"boss"'
contains err "caseworker"
expect_exit 1 mrm user add --db a.db --org MAP --login carol --role admin <short
contains err "12 characters"
expect_exit 1 mrm user add --db a.db --org NOPE --login carol --role admin <pw
contains err '"NOPE"'
contains err "MAP"
contains err "HRDF"
expect_exit 1 mrm user add --db a.db --org MAP --login carol --role admin </dev/null
contains err "standard input"
expect_exit 1 mrm user add --db a.db --org MAP --login alice --role admin <pw
contains err "alice"

expect_exit 0 mrm user list --db a.db --format json
contains out '"login":"alice","org":"MAP","role":"caseworker"'
contains out '"login":"bob","org":"HRDF","role":"viewer"'
lacks out "carol"
lacks out 'argon2'
lacks out "hash"
lacks out "$PASSWORD"
expect_exit 0 mrm user list --db a.db --format csv
expect_eq "login,org,role,created" "$(head -n 1 out)" "csv header of user list"
lacks out 'argon2'
expect_exit 0 mrm user list --db a.db
contains out alice
lacks out 'argon2'

# info counts.
expect_exit 0 mrm info --db a.db --format json
for k in events acts persons people organisations users; do
	contains out "\"$k\":"
done
expect_eq 0 "$(jnum events)" "events"
expect_eq 0 "$(jnum acts)" "acts"
expect_eq 0 "$(jnum persons)" "persons"
expect_eq 3 "$(jnum organisations)" "organisations"
expect_eq 2 "$(jnum users)" "users"
expect_exit 0 mrm info --db a.db
contains out "organisations  3"
contains out "users          2"

# The database (password hashes, unencrypted fields) is private too.
expect_eq "-rw-------" "$(mode a.db)" "mode of a.db"
exit 0
