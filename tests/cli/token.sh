# token.sh - mrm token add: API tokens for scripts.
. "$(dirname "$0")/lib.sh.inc"

newdb a.db MAP
printf '%s\n' "$PASSWORD" >pw
expect_exit 0 mrm user add --db a.db --org MAP --login alice --role caseworker <pw

# A token: 64 lowercase hex digits alone on standard output.
expect_exit 0 mrm token add --db a.db --login alice --name "nightly import"
expect_eq 1 "$(wc -l <out | tr -d ' ')" "lines on stdout of token add"
token=$(cat out)
printf '%s\n' "$token" | grep -Eq '^[0-9a-f]{64}$' ||
	fail "token add printed \"$token\", not 64 hex digits"
contains err "90 days"
contains err "alice"
# Only its hash is kept: the text is nowhere in the database.
lacks a.db "$token"
[ ! -f a.db-wal ] || lacks a.db-wal "$token"

# Another token is another token; --days is kept.
expect_exit 0 mrm token add --db a.db --login alice --name backup --days 7
other=$(cat out)
[ "$other" != "$token" ] || fail "two token add runs gave the same token"
contains err "7 days"
expect_exit 0 mrm token add --db a.db --login alice --name max --days=3650

# An unknown login fails (1) and prints no token.
expect_exit 1 mrm token add --db a.db --login mallory --name x
contains err '"mallory"'
lacks err "alice"
[ ! -s out ] || fail "a failed token add printed something on stdout"

# Bad --days, missing options, no database: usage (2).
for d in 0 3651 -1 seven 7x ""; do
	expect_exit 2 mrm token add --db a.db --login alice --name x --days "$d"
	contains err "--days"
	[ ! -s out ] || fail "token add --days \"$d\" printed a token"
done
expect_exit 2 mrm token add --db a.db --login alice
contains err "--name"
expect_exit 2 mrm token add --db a.db --name x
expect_exit 2 mrm token add --login alice --name x
contains err "--db"
expect_exit 2 mrm token --db a.db --login alice --name x
expect_exit 2 mrm token remove --db a.db --login alice --name x
expect_exit 2 mrm token add --db a.db --login alice --name x --day 3
contains err "--days"

# A bad name is the library's refusal (1).
expect_exit 1 mrm token add --db a.db --login alice --name ""
contains err "--name"

expect_exit 0 mrm token --help
contains out "usage: mrm token add"
