# account.sh - mrm user passwd|totp|revoke|disable|enable: the password
# policy, two-factor enrolment, ending sessions, disabling a user.
. "$(dirname "$0")/lib.sh.inc"

newdb a.db MAP
printf '%s\n' "$PASSWORD" >pw
expect_exit 0 mrm user add --db a.db --org MAP --login alice --role caseworker <pw

# The policy: 12 characters, not the login, not a common password.
for bad in 'eleven char' 'I am BOB, hello' 'Password1234' 'qwertyuiop123'; do
	printf '%s\n' "$bad" >bad
	expect_exit 1 mrm user add --db a.db --org MAP --login bob --role viewer <bad
	contains err "password"
done
printf 'my name is alice!\n' >bad
expect_exit 1 mrm user passwd --db a.db --login alice <bad
contains err "must not contain the login"
expect_exit 0 mrm user list --db a.db --format csv
lacks out "bob"

# Sessions (made as a login would) end with passwd, revoke and disable.
sessions() {
	sqlite3 a.db "SELECT count(*) FROM session"
}
add_session() {
	sqlite3 a.db "INSERT INTO session(token_hash, user_id, csrf, created,
	  expires, seen) SELECT randomblob(32), id, 'x', 0, 9999999999,
	  strftime('%s','now') FROM user WHERE login = 'alice'"
}
if command -v sqlite3 >/dev/null; then
	add_session
	add_session
	expect_eq 2 "$(sessions)" "sessions before revoke"
	expect_exit 0 mrm user revoke --db a.db --login alice
	contains out "Ended 2 sessions of alice"
	expect_eq 0 "$(sessions)" "sessions after revoke"
	add_session
	printf 'a brand new passphrase\n' >new
	expect_exit 0 mrm user passwd --db a.db --login alice <new
	expect_eq 0 "$(sessions)" "sessions after passwd"
	add_session
	expect_exit 0 mrm token add --db a.db --login alice --name script
	expect_exit 0 mrm user disable --db a.db --login alice
	expect_eq 0 "$(sessions)" "sessions after disable"
	expect_eq 0 "$(sqlite3 a.db 'SELECT count(*) FROM api_token')" "tokens after disable"
	expect_eq 1 "$(sqlite3 a.db "SELECT disabled FROM user WHERE login='alice'")" "disabled"
	expect_exit 0 mrm user enable --db a.db --login alice
	expect_eq 0 "$(sqlite3 a.db "SELECT disabled FROM user WHERE login='alice'")" "enabled"
fi

# totp: the secret (32 base32 characters) and the otpauth URI.
expect_exit 0 mrm user totp --db a.db --login alice
expect_eq 2 "$(wc -l <out | tr -d ' ')" "lines of totp"
secret=$(head -n 1 out)
printf '%s\n' "$secret" | grep -Eq '^[A-Z2-7]{32}$' || fail "secret \"$secret\""
sed -n 2p out | grep -Eq "^otpauth://totp/Migrant%20Rights%20Monitor:alice\?secret=$secret&issuer=Migrant%20Rights%20Monitor&algorithm=SHA1&digits=6&period=30$" ||
	fail "uri: $(sed -n 2p out)"
contains err "authenticator app"
# Sealed in the database, not kept as it is.
lacks a.db "$secret"
expect_exit 0 mrm user totp --db a.db --login alice --off
contains out "off"

# Bad use: unknown user (1), missing --login or --off elsewhere (2).
expect_exit 1 mrm user revoke --db a.db --login mallory
contains err '"mallory"'
expect_exit 2 mrm user totp --db a.db
contains err "--login"
expect_exit 2 mrm user disable --db a.db --login alice --off
contains err "--off"
expect_exit 0 mrm help user
contains out "passwd"
contains out "12"
