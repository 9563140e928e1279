/*
 * test_auth.c - logins, sessions, API tokens and the access rules
 * (src/lib/auth.c). Argon2id is slow under valgrind, so the users are
 * added once for the whole group and the tests log in about twenty times
 * in all; the access matrix takes its actors from API tokens, which cost
 * no password check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/auth.h"

#include <sodium.h>
#include <sqlite3.h>
#include <time.h>

#define PW "correct horse battery"

static struct tdb db;
static int64_t th_id, mm_id;

static const char *const th_logins[] = {
	[MRM_ROLE_ADMIN] = "th-admin",
	[MRM_ROLE_COORDINATOR] = "th-coord",
	[MRM_ROLE_CASEWORKER] = "th-case",
	[MRM_ROLE_RESEARCHER] = "th-research",
	[MRM_ROLE_VIEWER] = "th-viewer",
};

static void sql(const char *text)
{
	char *msg = NULL, copy[512];

	if (sqlite3_exec(mrm_store_db(db.st), text, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		snprintf(copy, sizeof(copy), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		fail_msg("%s: %s", text, copy);
	}
}

static int64_t sql_int(const char *text)
{
	return tdb_int(db.st, text);
}

static int64_t event_add(int64_t org, const char *key)
{
	sqlite3_stmt *s = NULL;
	int64_t id;

	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(db.st),
					    "INSERT INTO event(org_id, key, "
					    "title) VALUES (?, ?, 'test')",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	id = sqlite3_last_insert_rowid(mrm_store_db(db.st));
	/* As the import does: the deletion trigger expects it indexed. */
	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(db.st),
					    "INSERT INTO event_fts(rowid, "
					    "title) VALUES (?, 'test')",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	return id;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != MRM_TOKEN_HEX)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return 0;
	return 1;
}

/* The actor behind a fresh API token of `login`. */
static void actor_of(const char *login, struct mrm_actor *who)
{
	char token[MRM_TOKEN_HEX + 1];
	struct mrm_error err;

	assert_int_equal(
		mrm_auth_token_create(db.st, login, "test", 1, token, &err), 0);
	assert_int_equal(mrm_auth_bearer(db.st, token, who, &err), 0);
	assert_string_equal(who->login, login);
}

/* CPU time of this thread: a comparison of work done that other programs
 * running at the same time (ctest -j) do not disturb. */
static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int group_setup(void **state)
{
	struct mrm_error err;

	(void)state;
	tdb_open(&db);
	for (int r = 0; r <= MRM_ROLE_VIEWER; r++)
		assert_int_equal(mrm_user_add(db.st, "MKN-TH", th_logins[r],
					      mrm_role_name((enum mrm_role)r),
					      PW, &err),
				 0);
	assert_int_equal(mrm_user_add(db.st, "MKN-MM", "mm-case", "caseworker",
				      PW, &err),
			 0);
	assert_int_equal(mrm_org_id(db.st, "MKN-TH", &th_id, &err), 0);
	assert_int_equal(mrm_org_id(db.st, "MKN-MM", &mm_id, &err), 0);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	tdb_close(&db);
	return 0;
}

/* Each test starts with no failures and no sessions. */
static int setup(void **state)
{
	(void)state;
	sql("DELETE FROM login_failure; DELETE FROM session;");
	return 0;
}

static void test_roles(void **state)
{
	(void)state;
	for (int r = 0; r <= MRM_ROLE_VIEWER; r++)
		assert_int_equal(
			mrm_role_parse(mrm_role_name((enum mrm_role)r)), r);
	assert_int_equal(mrm_role_parse("researcher"), MRM_ROLE_RESEARCHER);
	assert_int_equal(mrm_role_parse("Admin"), -1);
	assert_int_equal(mrm_role_parse("root"), -1);
	assert_int_equal(mrm_role_parse(NULL), -1);
	assert_string_equal(mrm_role_name((enum mrm_role)99), "unknown");
	assert_string_equal(mrm_role_name((enum mrm_role) - 1), "unknown");
}

static void test_token_equal(void **state)
{
	(void)state;
	assert_int_equal(mrm_auth_token_equal("abc", "abc"), 1);
	assert_int_equal(mrm_auth_token_equal("", ""), 1);
	assert_int_equal(mrm_auth_token_equal("abc", "abd"), 0);
	assert_int_equal(mrm_auth_token_equal("abc", "abcd"), 0);
	assert_int_equal(mrm_auth_token_equal("abcd", "abc"), 0);
	assert_int_equal(mrm_auth_token_equal(NULL, "abc"), 0);
	assert_int_equal(mrm_auth_token_equal("abc", NULL), 0);
}

static void test_login_session_csrf(void **state)
{
	char s1[MRM_TOKEN_HEX + 1], c1[MRM_TOKEN_HEX + 1];
	char s2[MRM_TOKEN_HEX + 1], c2[MRM_TOKEN_HEX + 1];
	char csrf[MRM_TOKEN_HEX + 1];
	struct mrm_actor who, again;
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_auth_login(db.st, "th-case", PW, "10.1.1.1", s1,
					c1, &who, &err),
			 0);
	assert_true(is_hex64(s1));
	assert_true(is_hex64(c1));
	assert_string_not_equal(s1, c1);
	assert_string_equal(who.login, "th-case");
	assert_string_equal(who.org, "MKN-TH");
	assert_int_equal(who.org_id, th_id);
	assert_int_equal(who.role, MRM_ROLE_CASEWORKER);
	assert_true(who.user_id > 0);

	assert_int_equal(mrm_auth_session(db.st, s1, &again, csrf, &err), 0);
	assert_memory_equal(&who, &again, sizeof(who));
	assert_string_equal(csrf, c1);
	assert_true(mrm_auth_token_equal(csrf, c1));
	assert_int_equal(mrm_auth_session(db.st, s1, &again, NULL, &err), 0);

	/* A second session: its own token and its own CSRF token. */
	assert_int_equal(
		mrm_auth_login(db.st, "th-case", PW, NULL, s2, c2, &who, &err),
		0);
	assert_string_not_equal(s1, s2);
	assert_string_not_equal(c1, c2);
	assert_int_equal(mrm_auth_session(db.st, s2, &again, csrf, &err), 0);
	assert_string_equal(csrf, c2);
	assert_int_equal(mrm_auth_session(db.st, s1, &again, csrf, &err), 0);
	assert_string_equal(csrf, c1);
	assert_int_equal(sql_int("SELECT count(*) FROM session"), 2);
	/* A success leaves no failure behind. */
	assert_int_equal(sql_int("SELECT count(*) FROM login_failure"), 0);

	/* Unknown or malformed session tokens. */
	s1[0] = s1[0] == 'a' ? 'b' : 'a';
	assert_int_equal(mrm_auth_session(db.st, s1, &again, csrf, &err),
			 MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg, "log in again"));
	assert_string_equal(csrf, "");
	assert_int_equal(again.user_id, 0);
	assert_int_equal(mrm_auth_session(db.st, "short", &again, csrf, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(mrm_auth_session(db.st, NULL, &again, csrf, &err),
			 MRM_ERR_ACCESS);
	/* The CSRF token is no session token. */
	assert_int_equal(mrm_auth_session(db.st, c2, &again, csrf, &err),
			 MRM_ERR_ACCESS);
}

/* Unknown user and wrong password: same code, same message, about the
 * same time (both pay for one Argon2id verification). */
static void test_login_failures_look_alike(void **state)
{
	char s[MRM_TOKEN_HEX + 1], c[MRM_TOKEN_HEX + 1];
	char msg[MRM_ERROR_MSG_MAX], longlogin[100];
	struct mrm_actor who;
	struct mrm_error err;
	double t0, wrong, unknown;

	(void)state;
	t0 = seconds();
	assert_int_equal(mrm_auth_login(db.st, "th-coord", "wrong password",
					"10.2.2.2", s, c, &who, &err),
			 MRM_ERR_ACCESS);
	wrong = seconds() - t0;
	snprintf(msg, sizeof(msg), "%s", err.msg);
	assert_string_equal(msg, "wrong login or password");
	assert_string_equal(s, "");
	assert_string_equal(c, "");
	assert_int_equal(who.user_id, 0);
	assert_string_equal(who.login, "");

	t0 = seconds();
	assert_int_equal(mrm_auth_login(db.st, "nobody", PW, "10.2.2.2", s, c,
					&who, &err),
			 MRM_ERR_ACCESS);
	unknown = seconds() - t0;
	assert_string_equal(err.msg, msg);
	assert_string_equal(err.where, "");
	assert_string_equal(s, "");
	/* Generous: both are one Argon2id verification. */
	assert_true(unknown > wrong / 3);
	assert_true(wrong > unknown / 3);

	/* The password of another user is no good either. */
	assert_int_equal(mrm_auth_login(db.st, "th-coord", "", "10.2.2.2", s, c,
					&who, &err),
			 MRM_ERR_ACCESS);
	assert_string_equal(err.msg, msg);
	/* No user has a login over 64 bytes. */
	memset(longlogin, 'x', sizeof(longlogin) - 1);
	longlogin[sizeof(longlogin) - 1] = '\0';
	assert_int_equal(mrm_auth_login(db.st, longlogin, PW, "10.2.2.2", s, c,
					&who, &err),
			 MRM_ERR_ACCESS);
	assert_string_equal(err.msg, msg);
	assert_int_equal(sql_int("SELECT count(*) FROM login_failure WHERE "
				 "client = '10.2.2.2'"),
			 3);
	assert_int_equal(sql_int("SELECT count(*) FROM session"), 0);
	assert_int_equal(
		mrm_auth_login(db.st, NULL, PW, "10.2.2.2", s, c, &who, &err),
		MRM_ERR_INVALID);
}

/* Five failures for one login, from five addresses: the sixth attempt is
 * refused, even with the right password, until the failures age out. */
static void test_limit_per_login(void **state)
{
	char s[MRM_TOKEN_HEX + 1], c[MRM_TOKEN_HEX + 1], client[32];
	struct mrm_actor who;
	struct mrm_error err;

	(void)state;
	for (int i = 0; i < MRM_LOGIN_FAILURES_MAX; i++) {
		snprintf(client, sizeof(client), "10.3.3.%d", i);
		assert_int_equal(mrm_auth_login(db.st, "th-coord", "nope nope",
						client, s, c, &who, &err),
				 MRM_ERR_ACCESS);
	}
	assert_int_equal(mrm_auth_login(db.st, "th-coord", PW, "10.3.3.99", s,
					c, &who, &err),
			 MRM_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "too many failed logins"));
	assert_non_null(strstr(err.msg, "try again in 15 minutes"));
	assert_string_equal(s, "");
	assert_int_equal(who.user_id, 0);
	/* Refused without a password check, and not counted again. */
	assert_int_equal(sql_int("SELECT count(*) FROM login_failure"),
			 MRM_LOGIN_FAILURES_MAX);
	assert_int_equal(mrm_auth_login(db.st, "th-coord", "nope nope",
					"10.3.3.98", s, c, &who, &err),
			 MRM_ERR_LIMIT);
	assert_int_equal(sql_int("SELECT count(*) FROM session"), 0);

	/* Other logins are not held back. */
	assert_int_equal(mrm_auth_login(db.st, "th-admin", PW, "10.3.3.1", s, c,
					&who, &err),
			 0);

	/* Ten minutes on, the oldest failure has 5 minutes to live. */
	sql("UPDATE login_failure SET at = at - 600");
	assert_int_equal(mrm_auth_login(db.st, "th-coord", PW, "10.3.3.99", s,
					c, &who, &err),
			 MRM_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "try again in 5 minutes"));
	/* Out of the window: the right password works and clears them. */
	sql("UPDATE login_failure SET at = at - 300");
	assert_int_equal(mrm_auth_login(db.st, "th-coord", PW, "10.3.3.99", s,
					c, &who, &err),
			 0);
	assert_string_equal(who.login, "th-coord");
	assert_int_equal(sql_int("SELECT count(*) FROM login_failure WHERE "
				 "login = 'th-coord'"),
			 0);
}

/* Five failures from one address, for five logins (unknown ones): that
 * address is held back for every login, others are not. */
static void test_limit_per_client(void **state)
{
	char s[MRM_TOKEN_HEX + 1], c[MRM_TOKEN_HEX + 1], login[32];
	struct mrm_actor who;
	struct mrm_error err;

	(void)state;
	for (int i = 0; i < MRM_LOGIN_FAILURES_MAX; i++) {
		snprintf(login, sizeof(login), "guess%d", i);
		assert_int_equal(mrm_auth_login(db.st, login, PW, "192.0.2.7",
						s, c, &who, &err),
				 MRM_ERR_ACCESS);
	}
	assert_int_equal(mrm_auth_login(db.st, "th-research", PW, "192.0.2.7",
					s, c, &who, &err),
			 MRM_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "minutes"));
	assert_int_equal(mrm_auth_login(db.st, "th-research", PW, "192.0.2.8",
					s, c, &who, &err),
			 0);
	assert_int_equal(who.role, MRM_ROLE_RESEARCHER);
	/* The success cleared th-research's failures only: the address is
	 * still held back. */
	assert_int_equal(mrm_auth_login(db.st, "th-research", PW, "192.0.2.7",
					s, c, &who, &err),
			 MRM_ERR_LIMIT);
}

static void test_session_expiry_and_logout(void **state)
{
	char s1[MRM_TOKEN_HEX + 1], c1[MRM_TOKEN_HEX + 1];
	char s2[MRM_TOKEN_HEX + 1], c2[MRM_TOKEN_HEX + 1];
	struct mrm_actor who;
	struct mrm_error err;
	int64_t now = (int64_t)time(NULL);

	(void)state;
	assert_int_equal(mrm_auth_login(db.st, "th-viewer", PW, "10.4.4.4", s1,
					c1, &who, &err),
			 0);
	assert_int_equal(sql_int("SELECT expires - created FROM session"),
			 MRM_SESSION_SECONDS);
	assert_true(sql_int("SELECT created FROM session") >= now);
	sql("UPDATE session SET expires = strftime('%s','now') - 1");
	assert_int_equal(mrm_auth_session(db.st, s1, &who, c2, &err),
			 MRM_ERR_ACCESS);
	assert_string_equal(err.msg,
			    "session expired or unknown: log in again");
	assert_int_equal(who.user_id, 0);

	/* The next login sweeps expired sessions away. */
	assert_int_equal(mrm_auth_login(db.st, "th-viewer", PW, "10.4.4.4", s2,
					c2, &who, &err),
			 0);
	assert_int_equal(sql_int("SELECT count(*) FROM session"), 1);
	assert_int_equal(mrm_auth_session(db.st, s2, &who, NULL, &err), 0);

	assert_int_equal(mrm_auth_logout(db.st, s2, &err), 0);
	assert_int_equal(mrm_auth_session(db.st, s2, &who, NULL, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(sql_int("SELECT count(*) FROM session"), 0);
	/* Unknown or malformed sessions are fine to end. */
	assert_int_equal(mrm_auth_logout(db.st, s2, &err), 0);
	assert_int_equal(mrm_auth_logout(db.st, "nonsense", &err), 0);
	assert_int_equal(mrm_auth_logout(db.st, NULL, &err), 0);
}

static void test_api_tokens(void **state)
{
	char t1[MRM_TOKEN_HEX + 1], t2[MRM_TOKEN_HEX + 1], name[300] = "";
	unsigned char hash[crypto_generichash_BYTES];
	struct mrm_actor who;
	struct mrm_error err;
	sqlite3_stmt *s;

	(void)state;
	assert_int_equal(mrm_auth_token_create(db.st, "th-case",
					       "nightly import", 30, t1, &err),
			 0);
	assert_true(is_hex64(t1));
	assert_int_equal(mrm_auth_bearer(db.st, t1, &who, &err), 0);
	assert_string_equal(who.login, "th-case");
	assert_string_equal(who.org, "MKN-TH");
	assert_int_equal(who.role, MRM_ROLE_CASEWORKER);
	assert_int_equal(who.org_id, th_id);

	/* The database holds BLAKE2b-256 of the hex text, 30 days on. */
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)t1,
			   MRM_TOKEN_HEX, NULL, 0);
	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(db.st),
					    "SELECT name, expires - created "
					    "FROM api_token WHERE token_hash "
					    "= ?",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(s, 1, hash, sizeof(hash), SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
			    "nightly import");
	assert_int_equal(sqlite3_column_int64(s, 1), 30 * 86400);
	sqlite3_finalize(s);

	/* Days and names. */
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", "x", 0, t2, &err),
		MRM_ERR_INVALID);
	assert_string_equal(err.where, "--days");
	assert_string_equal(t2, "");
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", "x", 3651, t2, &err),
		MRM_ERR_INVALID);
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", "x", 3650, t2, &err),
		0);
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", "", 1, t2, &err),
		MRM_ERR_INVALID);
	assert_string_equal(err.where, "--name");
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", "a\nb", 1, t2, &err),
		MRM_ERR_INVALID);
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", "\xff", 1, t2, &err),
		MRM_ERR_INVALID);
	for (int i = 0; i < 64; i++)
		strcat(name, "\xe0\xb8\x81"); /* Thai ko kai: 3 bytes */
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", name, 1, t2, &err), 0);
	strcat(name, "x");
	assert_int_equal(
		mrm_auth_token_create(db.st, "th-case", name, 1, t2, &err),
		MRM_ERR_INVALID);

	/* An unknown user: the message names no user that exists. */
	assert_int_equal(
		mrm_auth_token_create(db.st, "ghost", "x", 1, t2, &err),
		MRM_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "ghost"));
	assert_null(strstr(err.msg, "th-"));
	assert_null(strstr(err.msg, "mm-"));
	assert_string_equal(t2, "");

	/* Unknown, malformed, expired. */
	memcpy(t2, t1, sizeof(t2));
	t2[10] = t2[10] == '0' ? '1' : '0';
	assert_int_equal(mrm_auth_bearer(db.st, t2, &who, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(who.user_id, 0);
	assert_int_equal(mrm_auth_bearer(db.st, "", &who, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(mrm_auth_bearer(db.st, NULL, &who, &err),
			 MRM_ERR_ACCESS);
	/* An API token is no session, and the other way round. */
	assert_int_equal(mrm_auth_session(db.st, t1, &who, NULL, &err),
			 MRM_ERR_ACCESS);
	sql("UPDATE api_token SET expires = strftime('%s','now') "
	    "WHERE name = 'nightly import'");
	assert_int_equal(mrm_auth_bearer(db.st, t1, &who, &err),
			 MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg, "expired or unknown"));
}

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

/* The bytes of the database file and its write-ahead log, if any. */
static char *file_bytes(const char *path, size_t *n)
{
	char wal[200];
	char *buf = NULL;
	FILE *out = open_memstream(&buf, n);
	const char *paths[2] = {path, wal};

	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_non_null(out);
	for (int i = 0; i < 2; i++) {
		FILE *in = fopen(paths[i], "rb");
		char chunk[4096];
		size_t got;

		if (!in)
			continue;
		while ((got = fread(chunk, 1, sizeof(chunk), in)) > 0)
			fwrite(chunk, 1, got, out);
		fclose(in);
	}
	fclose(out);
	return buf;
}

static void test_tokens_stored_as_hashes(void **state)
{
	char tok[3][MRM_TOKEN_HEX + 1], s[MRM_TOKEN_HEX + 1],
		c[MRM_TOKEN_HEX + 1];
	struct mrm_actor who;
	struct mrm_error err;
	char *bytes;
	size_t n;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(mrm_auth_token_create(db.st, "th-admin",
						       "hash check", 5, tok[i],
						       &err),
				 0);
	assert_int_equal(mrm_auth_login(db.st, "th-admin", PW, "10.5.5.5", s, c,
					&who, &err),
			 0);
	mrm_store_close(db.st); /* checkpoints the log into the file */
	db.st = NULL;
	bytes = file_bytes(db.path, &n);
	assert_true(n > 4096);
	for (int i = 0; i < 3; i++)
		assert_false(contains(bytes, n, tok[i]));
	assert_false(contains(bytes, n, s));
	/* The CSRF token is kept in clear: proof that the scan sees rows. */
	assert_true(contains(bytes, n, c));
	free(bytes);
	assert_int_equal(mrm_store_open(&db.st, db.path, &err), 0);
	assert_int_equal(mrm_auth_session(db.st, s, &who, NULL, &err), 0);
	assert_int_equal(mrm_auth_bearer(db.st, tok[0], &who, &err), 0);
}

enum ctx { OWN, OTHER, SHARED, ORG0, NCTX };

/* expected[role][action][ctx]: 1 allowed, 0 refused. */
static const int expected[5][7][NCTX] =
	{
		[MRM_ROLE_ADMIN] =
			{
				[MRM_ACT_READ_RECORDS] = {1, 0, 1, 1},
				[MRM_ACT_WRITE_RECORDS] = {1, 0, 0, 1},
				[MRM_ACT_READ_IDENTITY] = {1, 0, 0, 1},
				[MRM_ACT_EXPORT] = {1, 0, 0, 1},
				[MRM_ACT_STATS] = {1, 1, 1, 1},
				[MRM_ACT_STATS_PUBLIC] = {1, 1, 1, 1},
				[MRM_ACT_ADMIN] = {1, 1, 1, 1},
			},
		[MRM_ROLE_COORDINATOR] =
			{
				[MRM_ACT_READ_RECORDS] = {1, 0, 1, 1},
				[MRM_ACT_WRITE_RECORDS] = {1, 0, 0, 1},
				[MRM_ACT_READ_IDENTITY] = {1, 0, 0, 1},
				[MRM_ACT_EXPORT] = {1, 0, 0, 1},
				[MRM_ACT_STATS] = {1, 1, 1, 1},
				[MRM_ACT_STATS_PUBLIC] = {1, 1, 1, 1},
				[MRM_ACT_ADMIN] = {0, 0, 0, 0},
			},
		[MRM_ROLE_CASEWORKER] =
			{
				[MRM_ACT_READ_RECORDS] = {1, 0, 1, 1},
				[MRM_ACT_WRITE_RECORDS] = {1, 0, 0, 1},
				[MRM_ACT_READ_IDENTITY] = {1, 0, 0, 1},
				[MRM_ACT_EXPORT] = {0, 0, 0, 0},
				[MRM_ACT_STATS] = {1, 1, 1, 1},
				[MRM_ACT_STATS_PUBLIC] = {1, 1, 1, 1},
				[MRM_ACT_ADMIN] = {0, 0, 0, 0},
			},
		[MRM_ROLE_RESEARCHER] =
			{
				[MRM_ACT_READ_RECORDS] = {0, 0, 0, 0},
				[MRM_ACT_WRITE_RECORDS] = {0, 0, 0, 0},
				[MRM_ACT_READ_IDENTITY] = {0, 0, 0, 0},
				[MRM_ACT_EXPORT] = {0, 0, 0, 0},
				[MRM_ACT_STATS] = {1, 1, 1, 1},
				[MRM_ACT_STATS_PUBLIC] = {1, 1, 1, 1},
				[MRM_ACT_ADMIN] = {0, 0, 0, 0},
			},
		[MRM_ROLE_VIEWER] =
			{
				[MRM_ACT_READ_RECORDS] = {0, 0, 0, 0},
				[MRM_ACT_WRITE_RECORDS] = {0, 0, 0, 0},
				[MRM_ACT_READ_IDENTITY] = {0, 0, 0, 0},
				[MRM_ACT_EXPORT] = {0, 0, 0, 0},
				[MRM_ACT_STATS] = {0, 0, 0, 0},
				[MRM_ACT_STATS_PUBLIC] = {1, 1, 1, 1},
				[MRM_ACT_ADMIN] = {0, 0, 0, 0},
			},
};

static const char *const ctx_name[] = {"own org", "other org",
				       "other org, shared event", "org 0"};

static void test_access_matrix(void **state)
{
	struct mrm_actor actors[5], mm;
	struct mrm_error err;
	int64_t own, other, shared, org[NCTX], event[NCTX];

	(void)state;
	for (int r = 0; r < 5; r++)
		actor_of(th_logins[r], &actors[r]);
	actor_of("mm-case", &mm);
	own = event_add(th_id, "matrix-own");
	other = event_add(mm_id, "matrix-other");
	shared = event_add(mm_id, "matrix-shared");
	assert_int_equal(mrm_access_share(db.st, &mm, shared, "MKN-TH", &err),
			 0);
	org[OWN] = th_id, event[OWN] = own;
	org[OTHER] = mm_id, event[OTHER] = other;
	org[SHARED] = mm_id, event[SHARED] = shared;
	org[ORG0] = 0, event[ORG0] = 0;

	for (int r = 0; r < 5; r++)
		for (int a = 0; a <= MRM_ACT_ADMIN; a++)
			for (int c = 0; c < NCTX; c++) {
				int rc = mrm_access_check(
					db.st, &actors[r], (enum mrm_action)a,
					org[c], event[c], &err);
				int want = expected[r][a][c];

				if (want ? rc != 0 : rc != MRM_ERR_ACCESS)
					fail_msg("%s, action %d, %s: got %d, "
						 "expected %s (%s)",
						 th_logins[r], a, ctx_name[c],
						 rc,
						 want ? "allowed" : "access",
						 rc ? err.msg : "");
				if (!want && !*err.msg)
					fail_msg("%s, action %d, %s: refused "
						 "without a message",
						 th_logins[r], a, ctx_name[c]);
			}

	/* The messages say what the role may do. */
	assert_int_equal(mrm_access_check(db.st, &actors[MRM_ROLE_RESEARCHER],
					  MRM_ACT_READ_RECORDS, th_id, own,
					  &err),
			 MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg,
			       "researchers see aggregates only, never "
			       "records"));
	assert_int_equal(mrm_access_check(db.st, &actors[MRM_ROLE_VIEWER],
					  MRM_ACT_STATS, 0, 0, &err),
			 MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg, "published"));
	assert_int_equal(mrm_access_check(db.st, &actors[MRM_ROLE_CASEWORKER],
					  MRM_ACT_EXPORT, th_id, 0, &err),
			 MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg, "coordinator"));
	assert_int_equal(mrm_access_check(db.st, &actors[MRM_ROLE_CASEWORKER],
					  MRM_ACT_READ_RECORDS, mm_id, other,
					  &err),
			 MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg, "MKN-MM"));
	assert_non_null(strstr(err.msg, "shared with it"));
	assert_int_equal(mrm_access_check(db.st, &actors[MRM_ROLE_CASEWORKER],
					  MRM_ACT_READ_IDENTITY, mm_id, shared,
					  &err),
			 MRM_ERR_ACCESS);
	assert_non_null(strstr(err.msg, "never shared"));

	/* A shared event does not open its owner's other events, nor count
	 * when named with the wrong owner. */
	assert_int_equal(mrm_access_check(db.st, &actors[MRM_ROLE_CASEWORKER],
					  MRM_ACT_READ_RECORDS, mm_id, 0, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(mrm_access_check(db.st, &actors[MRM_ROLE_CASEWORKER],
					  MRM_ACT_READ_RECORDS, mm_id + 100,
					  shared, &err),
			 MRM_ERR_ACCESS);
	/* The other way: MKN-MM reads its own, not MKN-TH's. */
	assert_int_equal(mrm_access_check(db.st, &mm, MRM_ACT_READ_RECORDS,
					  mm_id, shared, &err),
			 0);
	assert_int_equal(mrm_access_check(db.st, &mm, MRM_ACT_READ_RECORDS,
					  th_id, own, &err),
			 MRM_ERR_ACCESS);

	/* Nobody, and nonsense. */
	assert_int_equal(
		mrm_access_check(db.st, NULL, MRM_ACT_STATS_PUBLIC, 0, 0, &err),
		MRM_ERR_ACCESS);
	assert_int_equal(mrm_access_check(db.st, &actors[0],
					  (enum mrm_action)42, 0, 0, &err),
			 MRM_ERR_INVALID);
	mm.role = (enum mrm_role)42;
	assert_int_equal(
		mrm_access_check(db.st, &mm, MRM_ACT_STATS_PUBLIC, 0, 0, &err),
		MRM_ERR_ACCESS);
}

static void test_share_rules(void **state)
{
	struct mrm_actor mm, th, other;
	struct mrm_error err;
	int64_t ev, ev2;

	(void)state;
	actor_of("mm-case", &mm);
	actor_of("th-case", &th);
	ev = event_add(mm_id, "share-1");
	ev2 = event_add(mm_id, "share-2");

	assert_int_equal(mrm_access_check(db.st, &th, MRM_ACT_READ_RECORDS,
					  mm_id, ev, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(mrm_access_share(db.st, &mm, ev, "MKN-TH", &err), 0);
	assert_int_equal(mrm_access_share(db.st, &mm, ev, "MKN-TH", &err), 0);
	assert_int_equal(mrm_access_check(db.st, &th, MRM_ACT_READ_RECORDS,
					  mm_id, ev, &err),
			 0);
	assert_int_equal(mrm_access_check(db.st, &th, MRM_ACT_READ_RECORDS,
					  mm_id, ev2, &err),
			 MRM_ERR_ACCESS);

	/* A share received is not passed on, nor are others' events. */
	assert_int_equal(mrm_access_share(db.st, &th, ev, "MKN-TH", &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(mrm_access_share(db.st, &th, ev2, "MKN-TH", &err),
			 MRM_ERR_ACCESS);
	/* Only who reads and writes the owner's records shares them. */
	for (int r = MRM_ROLE_RESEARCHER; r <= MRM_ROLE_VIEWER; r++) {
		other = mm;
		other.role = (enum mrm_role)r;
		assert_int_equal(
			mrm_access_share(db.st, &other, ev2, "MKN-TH", &err),
			MRM_ERR_ACCESS);
	}
	for (int r = MRM_ROLE_ADMIN; r <= MRM_ROLE_CASEWORKER; r++) {
		other = mm;
		other.role = (enum mrm_role)r;
		assert_int_equal(
			mrm_access_share(db.st, &other, ev2, "MKN-TH", &err),
			0);
	}
	assert_int_equal(mrm_access_share(db.st, NULL, ev2, "MKN-TH", &err),
			 MRM_ERR_ACCESS);

	/* Unknown organisation, unknown event, the owner itself. */
	assert_int_equal(mrm_access_share(db.st, &mm, ev, "NOPE", &err),
			 MRM_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "\"NOPE\""));
	assert_non_null(strstr(err.msg, "MKN-TH"));
	assert_non_null(strstr(err.msg, "MKN-MM"));
	assert_int_equal(mrm_access_share(db.st, &mm, 999999, "MKN-TH", &err),
			 MRM_ERR_NOTFOUND);
	assert_int_equal(mrm_access_share(db.st, &mm, ev, "MKN-MM", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_access_share(db.st, &mm, ev, NULL, &err),
			 MRM_ERR_INVALID);

	/* Shares go with their event. */
	assert_int_equal(sql_int("SELECT count(*) FROM event_share WHERE "
				 "event_id IN (SELECT id FROM event WHERE "
				 "key LIKE 'share-%')"),
			 2);
	sql("DELETE FROM event WHERE key LIKE 'share-%'");
	assert_int_equal(sql_int("SELECT count(*) FROM event_share WHERE "
				 "event_id NOT IN (SELECT id FROM event)"),
			 0);
}

/* A version 1 database gains the tables on open. */
static void test_migrates_from_v1(void **state)
{
	struct tdb t;
	struct mrm_error err;
	sqlite3 *h;

	(void)state;
	tdb_open(&t);
	h = mrm_store_db(t.st);
	assert_int_equal(
		sqlite3_exec(h,
			     "DROP TABLE session; DROP TABLE login_failure;"
			     " DROP TABLE api_token; DROP TABLE event_share;"
			     " DROP TABLE event_policy; DROP TABLE policy;"
			     " DROP TABLE org_key; DROP TABLE org_key_rotation;"
			     " DROP TABLE org_key_wiped;"
			     /* and what schema_websec adds */
			     " ALTER TABLE user DROP COLUMN disabled;"
			     " ALTER TABLE user DROP COLUMN totp_secret;"
			     " ALTER TABLE user DROP COLUMN totp_pending;"
			     " ALTER TABLE user DROP COLUMN totp_step;"
			     " DROP INDEX person_linkage;"
			     " DROP TRIGGER person_linkage_stale;"
			     " DROP TABLE wage_record;"
			     " DROP TABLE recruitment_cost;"
			     " DROP TABLE audit;"
			     " PRAGMA user_version = 1;",
			     NULL, NULL, NULL),
		SQLITE_OK);
	mrm_store_close(t.st);
	assert_int_equal(mrm_store_open(&t.st, t.path, &err), 0);
	h = mrm_store_db(t.st);
	{
		sqlite3_stmt *q;

		assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version",
						    -1, &q, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), MRM_SCHEMA_VERSION);
		sqlite3_finalize(q);
	}
	assert_int_equal(sqlite3_exec(h,
				      "SELECT count(*), max(s.seen),"
				      " max(u.totp_step + u.disabled) FROM "
				      "session s, login_failure, api_token, "
				      "event_share, user u",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	tdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_token_equal),
		cmocka_unit_test_setup(test_login_session_csrf, setup),
		cmocka_unit_test_setup(test_login_failures_look_alike, setup),
		cmocka_unit_test_setup(test_limit_per_login, setup),
		cmocka_unit_test_setup(test_limit_per_client, setup),
		cmocka_unit_test_setup(test_session_expiry_and_logout, setup),
		cmocka_unit_test_setup(test_api_tokens, setup),
		cmocka_unit_test_setup(test_tokens_stored_as_hashes, setup),
		cmocka_unit_test_setup(test_access_matrix, setup),
		cmocka_unit_test_setup(test_share_rules, setup),
		cmocka_unit_test(test_migrates_from_v1),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
