/*
 * test_account.c - the password policy, password changes, two-factor
 * login with TOTP (with, without, wrong and replayed codes), session
 * revocation, idle and absolute expiry, and disabled users
 * (src/lib/account.c, src/lib/auth.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/account.h"
#include "mrm/auth.h"
#include "mrm/totp.h"

#include <sodium.h>
#include <sqlite3.h>
#include <time.h>

#define PW  "a long passphrase of words"
#define PW2 "another long passphrase"

TDB_GROUP_FIXTURE

static void sql(const char *text)
{
	char *msg = NULL;

	if (sqlite3_exec(mrm_store_db(db.st), text, NULL, NULL, &msg) !=
	    SQLITE_OK)
		fail_msg("%s: %s", text, msg);
}

static int64_t sql_int(const char *text)
{
	return tdb_int(db.st, text);
}

static int64_t add_user(const char *login)
{
	struct mrm_error err;
	int64_t id = 0;

	if (mrm_user_add(db.st, "MKN-TH", login, "caseworker", PW, &err))
		fail_msg("%s: %s", err.where, err.msg);
	assert_int_equal(mrm_user_id(db.st, login, &id, &err), 0);
	return id;
}

/* Log in; returns the code, with the session in `session`. */
static int login(const char *user, const char *pw, const char *totp,
		 char session[MRM_TOKEN_HEX + 1], struct mrm_error *err)
{
	struct mrm_login l = {user, pw, totp, "10.0.0.1", 0};
	char csrf[MRM_TOKEN_HEX + 1];
	struct mrm_actor who;

	return mrm_auth_login_with(db.st, &l, session, csrf, &who, err);
}

static int session_ok(const char *session)
{
	struct mrm_actor who;
	struct mrm_error err;

	return mrm_auth_session(db.st, session, &who, NULL, &err) == 0;
}

static void test_password_policy(void **state)
{
	static const struct {
		const char *login, *pw, *why;
	} bad[] = {
		{"maria", "short one", "12 characters"},
		{"maria", "elevenchars", "12 characters"},
		{"maria", "x-maria-passphrase", "login"},
		{"maria", "MARIA is my password", "login"},
		{"someone", "password1234", "common"},
		{"someone", "QwertyUiop123", "common"},
		{"someone", "correcthorsebatterystaple", "common"},
	};
	struct mrm_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
			mrm_password_policy(bad[i].login, bad[i].pw, &err),
			MRM_ERR_INVALID);
		assert_string_equal(err.where, "password");
		if (!strstr(err.msg, bad[i].why))
			fail_msg("%s: %s", bad[i].pw, err.msg);
	}
	/* 12 characters, not bytes: Thai and Burmese count as letters */
	assert_int_equal(mrm_password_policy("maria", "กขคงจฉชซฌญฎฏ", &err), 0);
	assert_int_equal(mrm_password_policy("maria", "กขคงจฉชซฌญฎ", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_password_policy("maria", PW, &err), 0);
	/* mrm_user_add applies it */
	assert_int_equal(mrm_user_add(db.st, "MKN-TH", "weak", "viewer",
				      "password123456", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(sql_int("SELECT count(*) FROM user"), 0);
}

static void test_password_change_revokes(void **state)
{
	char s1[MRM_TOKEN_HEX + 1], s2[MRM_TOKEN_HEX + 1];
	struct mrm_actor who = {0};
	struct mrm_error err;
	int64_t id = add_user("changer");

	(void)state;
	assert_int_equal(login("changer", PW, NULL, s1, &err), 0);
	assert_int_equal(login("changer", PW, NULL, s2, &err), 0);
	assert_int_equal(mrm_auth_session(db.st, s1, &who, NULL, &err), 0);
	/* the old password must be right; a weak new one is refused */
	assert_int_equal(
		mrm_user_change_password(db.st, &who, "wrong", PW2, s1, &err),
		MRM_ERR_ACCESS);
	assert_string_equal(err.where, "old_password");
	assert_int_equal(mrm_user_change_password(db.st, &who, PW,
						  "changer12345678", s1, &err),
			 MRM_ERR_INVALID);
	assert_true(session_ok(s2));
	assert_int_equal(
		mrm_user_change_password(db.st, &who, PW, PW2, s1, &err), 0);
	/* the session that asked goes on; the other ones are ended */
	assert_true(session_ok(s1));
	assert_false(session_ok(s2));
	assert_int_equal(login("changer", PW, NULL, s2, &err), MRM_ERR_ACCESS);
	/* an administrator's reset ends them all */
	assert_int_equal(mrm_user_set_password(db.st, id, PW, NULL, &err), 0);
	assert_false(session_ok(s1));
	assert_int_equal(login("changer", PW, NULL, s1, &err), 0);
	assert_true(session_ok(s1));
}

static void code_now(const unsigned char *key, int64_t offset, char out[8])
{
	int64_t t = (int64_t)time(NULL) + offset;

	snprintf(out, 8, "%06u",
		 (unsigned)mrm_hotp(key, MRM_TOTP_SECRET_BYTES,
				    (uint64_t)mrm_totp_step(t), 6));
}

static void test_totp_login(void **state)
{
	char secret[MRM_TOTP_SECRET_B32 + 1], uri[MRM_TOTP_URI_MAX];
	char session[MRM_TOKEN_HEX + 1], code[8], wrong[8];
	unsigned char key[MRM_TOTP_SECRET_BYTES];
	struct mrm_error err;
	int64_t id = add_user("two-factor");

	(void)state;
	/* begun but not confirmed: logins need no code yet */
	assert_int_equal(mrm_totp_enrol(db.st, id, 1, secret, uri, &err), 0);
	assert_int_equal(strlen(secret), MRM_TOTP_SECRET_B32);
	assert_non_null(strstr(uri, "otpauth://totp/"));
	assert_non_null(strstr(uri, secret));
	assert_int_equal(mrm_base32_decode(secret, key, sizeof(key)),
			 MRM_TOTP_SECRET_BYTES);
	/* the secret is sealed under the organisation's key, not stored as
	 * it is: key version (4) + nonce (24) + secret (20) + tag (16) */
	assert_int_equal(sql_int("SELECT length(totp_pending) FROM user"
				 " WHERE login = 'two-factor'"),
			 64);
	assert_int_equal(login("two-factor", PW, NULL, session, &err), 0);
	assert_int_equal(mrm_totp_confirm(db.st, id, "000000", &err),
			 MRM_ERR_INVALID);
	code_now(key, 0, code);
	assert_int_equal(mrm_totp_confirm(db.st, id, code, &err), 0);
	assert_int_equal(mrm_totp_confirm(db.st, id, code, &err),
			 MRM_ERR_NOTFOUND);

	/* now without a code, with a wrong one, with the right one (the
	 * confirmation used up this step's code: the next step's is good) */
	assert_int_equal(login("two-factor", PW, NULL, session, &err),
			 MRM_ERR_ACCESS);
	assert_string_equal(err.where, "totp");
	assert_string_equal(session, "");
	snprintf(wrong, sizeof(wrong), "%06d", (atoi(code) + 1) % 1000000);
	assert_int_equal(login("two-factor", PW, wrong, session, &err),
			 MRM_ERR_ACCESS);
	assert_string_equal(err.where, "totp");
	assert_int_equal(login("two-factor", PW, code, session, &err),
			 MRM_ERR_ACCESS); /* replay of the confirming code */
	code_now(key, 30, code);
	/* a right code with a wrong password tells nothing about the code */
	assert_int_equal(login("two-factor", PW2, code, session, &err),
			 MRM_ERR_ACCESS);
	assert_string_equal(err.where, "");
	sql("DELETE FROM login_failure");
	assert_int_equal(login("two-factor", PW, code, session, &err), 0);
	assert_true(session_ok(session));
	/* the same code again: replay */
	assert_int_equal(login("two-factor", PW, code, session, &err),
			 MRM_ERR_ACCESS);
	assert_string_equal(err.where, "totp");
	/* the failed codes count towards the login limit */
	assert_true(sql_int("SELECT count(*) FROM login_failure"
			    " WHERE login = 'two-factor'") >= 1);
	/* turned off: the password alone again */
	assert_int_equal(mrm_totp_off(db.st, id, &err), 0);
	assert_int_equal(login("two-factor", PW, NULL, session, &err), 0);
}

static void test_session_expiry(void **state)
{
	char s1[MRM_TOKEN_HEX + 1], s2[MRM_TOKEN_HEX + 1];
	struct mrm_login l = {"expiring", PW, NULL, NULL, 120};
	char csrf[MRM_TOKEN_HEX + 1];
	struct mrm_actor who;
	struct mrm_error err;
	int64_t now = (int64_t)time(NULL);

	(void)state;
	add_user("expiring");
	assert_int_equal(mrm_auth_login_with(db.st, &l, s1, csrf, &who, &err),
			 0);
	assert_int_equal(
		sql_int("SELECT max(s.expires - s.created) FROM session s"
			" JOIN user u ON u.id = s.user_id"
			" WHERE login = 'expiring'"),
		120);
	assert_int_equal(login("expiring", PW, NULL, s2, &err), 0);
	/* unused for 20 minutes: fine with the default 30, not with 10 */
	sql("UPDATE session SET seen = seen - 1200");
	assert_int_equal(
		mrm_auth_session_idle(db.st, s2, 600, &who, NULL, &err),
		MRM_ERR_ACCESS);
	assert_int_equal(mrm_auth_session(db.st, s2, &who, NULL, &err), 0);
	/* ... and that use was recorded */
	assert_true(sql_int("SELECT min(seen) FROM session JOIN user ON "
			    "user.id = user_id WHERE login = 'expiring'") >=
		    now - 1300);
	assert_int_equal(
		mrm_auth_session_idle(db.st, s2, 600, &who, NULL, &err), 0);
	/* unused for 31 minutes */
	sql("UPDATE session SET seen = seen - 1860");
	assert_false(session_ok(s2));
	/* past the absolute expiry however recently used */
	sql("UPDATE session SET seen = strftime('%s','now'),"
	    " expires = strftime('%s','now') - 1");
	assert_false(session_ok(s1));
}

static void test_revoke_and_disable(void **state)
{
	char s1[MRM_TOKEN_HEX + 1], s2[MRM_TOKEN_HEX + 1];
	char token[MRM_TOKEN_HEX + 1];
	struct mrm_actor who;
	struct mrm_error err;
	int64_t id = add_user("leaver");
	int ended = -1;

	(void)state;
	assert_int_equal(login("leaver", PW, NULL, s1, &err), 0);
	assert_int_equal(login("leaver", PW, NULL, s2, &err), 0);
	assert_int_equal(mrm_user_revoke(db.st, id, s1, &ended, &err), 0);
	assert_int_equal(ended, 1);
	assert_true(session_ok(s1));
	assert_false(session_ok(s2));
	assert_int_equal(mrm_user_revoke(db.st, id, NULL, &ended, &err), 0);
	assert_int_equal(ended, 1);
	assert_false(session_ok(s1));

	assert_int_equal(login("leaver", PW, NULL, s1, &err), 0);
	assert_int_equal(mrm_auth_token_create(db.st, "leaver", "script", 1,
					       token, &err),
			 0);
	assert_int_equal(mrm_auth_bearer(db.st, token, &who, &err), 0);
	assert_int_equal(mrm_user_disable(db.st, id, 1, &err), 0);
	assert_false(session_ok(s1));
	assert_int_equal(mrm_auth_bearer(db.st, token, &who, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(sql_int("SELECT count(*) FROM api_token WHERE "
				 "user_id = (SELECT id FROM user WHERE login "
				 "= 'leaver')"),
			 0);
	assert_int_equal(login("leaver", PW, NULL, s1, &err), MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg, "disabled"));
	assert_int_equal(mrm_user_disable(db.st, id, 0, &err), 0);
	assert_int_equal(login("leaver", PW, NULL, s1, &err), 0);
	assert_int_equal(mrm_user_disable(db.st, 99999, 1, &err),
			 MRM_ERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_password_change_revokes),
		cmocka_unit_test(test_totp_login),
		cmocka_unit_test(test_session_expiry),
		cmocka_unit_test(test_revoke_and_disable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
