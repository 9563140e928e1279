/* auth.c - see include/mrm/auth.h */
#include "mrm/auth.h"

#include "mrm/account.h"
#include "mrm/audit.h"
#include "mrm/crypto.h"
#include "mrm/org.h"
#include "mrm/store.h"
#include "mrm/utf8.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HASH_BYTES	crypto_generichash_BYTES /* BLAKE2b-256 */
#define AUDIT_SESSION	"SELECT * FROM session WHERE token_hash = ?"
#define TOKEN_BYTES	32
#define LOGIN_MAX	64
#define CLIENT_MAX	64
#define TOKEN_NAME_MAX	64
#define TOKEN_DAYS_MAX	3650
#define WRONG_LOGIN	"wrong login or password"
#define SESSION_UNKNOWN "session expired or unknown: log in again"
#define TOKEN_UNKNOWN                                                          \
	"API token expired or unknown: create a new one with mrm token add"

static const char *const role_names[] = {
	[MRM_ROLE_ADMIN] = "admin",
	[MRM_ROLE_COORDINATOR] = "coordinator",
	[MRM_ROLE_CASEWORKER] = "caseworker",
	[MRM_ROLE_RESEARCHER] = "researcher",
	[MRM_ROLE_VIEWER] = "viewer",
};
#define NROLES ((int)(sizeof(role_names) / sizeof(role_names[0])))

int mrm_role_parse(const char *name)
{
	for (int i = 0; name && i < NROLES; i++)
		if (!strcmp(role_names[i], name))
			return i;
	return -1;
}

const char *mrm_role_name(enum mrm_role role)
{
	return (int)role >= 0 && (int)role < NROLES ? role_names[role]
						    : "unknown";
}

int mrm_auth_token_equal(const char *a, const char *b)
{
	size_t n;

	if (!a || !b || (n = strlen(a)) != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

/* ---- tokens ---- */

/* A new token: TOKEN_BYTES random bytes as hex, into `hex`. */
static void token_new(char hex[MRM_TOKEN_HEX + 1])
{
	unsigned char bin[TOKEN_BYTES];

	randombytes_buf(bin, sizeof(bin));
	sodium_bin2hex(hex, MRM_TOKEN_HEX + 1, bin, sizeof(bin));
	sodium_memzero(bin, sizeof(bin));
}

/* What the database keeps of a token: the BLAKE2b hash of its hex text.
 * 0, or -1 when `hex` is not MRM_TOKEN_HEX characters long (such a token
 * was never given out). */
static int token_hash(const char *hex, unsigned char out[HASH_BYTES])
{
	if (!hex || strnlen(hex, MRM_TOKEN_HEX + 1) != MRM_TOKEN_HEX)
		return -1;
	crypto_generichash(out, HASH_BYTES, (const unsigned char *)hex,
			   MRM_TOKEN_HEX, NULL, 0);
	return 0;
}

/* ---- small database helpers ---- */

static int prepare(struct mrm_store *st, const char *sql, sqlite3_stmt **s,
		   const char *what, struct mrm_error *err)
{
	if (sqlite3_prepare_v2(mrm_store_db(st), sql, -1, s, NULL) != SQLITE_OK)
		return mrm_store_fail(st, err, what);
	return 0;
}

/* Step a statement that returns no row, then finalize it. */
static int run_done(struct mrm_store *st, sqlite3_stmt *s, const char *what,
		    struct mrm_error *err)
{
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0
						: mrm_store_fail(st, err, what);

	sqlite3_finalize(s);
	return rc;
}

/* Copy text column `col` into `out` of `size` bytes; -1 when it does not
 * fit (or is NULL). */
static int column_copy(sqlite3_stmt *s, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t n = (size_t)sqlite3_column_bytes(s, col);

	if (!t || n >= size)
		return -1;
	memcpy(out, t, n + 1);
	return 0;
}

/* The actor from columns col.. of `s`: user id, org id, login, org code,
 * role (the SELECT of ACTOR_COLUMNS). */
#define ACTOR_COLUMNS "u.id, u.org_id, u.login, o.code, u.role"
#define ACTOR_JOIN                                                             \
	" JOIN user u ON u.id = t.user_id AND u.disabled = 0"                  \
	" JOIN org o ON o.id = u.org_id"

static int actor_from_row(struct mrm_store *st, sqlite3_stmt *s, int col,
			  struct mrm_actor *who, struct mrm_error *err)
{
	int role =
		mrm_role_parse((const char *)sqlite3_column_text(s, col + 4));

	memset(who, 0, sizeof(*who));
	who->user_id = sqlite3_column_int64(s, col);
	who->org_id = sqlite3_column_int64(s, col + 1);
	if (role < 0 ||
	    column_copy(s, col + 2, who->login, sizeof(who->login)) ||
	    column_copy(s, col + 3, who->org, sizeof(who->org))) {
		memset(who, 0, sizeof(*who));
		return mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
				     "user #%lld has a role, login or "
				     "organisation code mrm does not accept; "
				     "fix it in the user table",
				     (long long)sqlite3_column_int64(s, col));
	}
	who->role = (enum mrm_role)role;
	return 0;
}

/* ---- logging in ---- */

/*
 * An Argon2id hash of a random password nobody knows, so that an unknown
 * login costs the same verification as a wrong password (the time of a
 * refusal must not tell which logins exist). Computed once per process.
 */
static char dummy_hash[MRM_PWHASH_BYTES];
static int dummy_ok;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	char pw[MRM_TOKEN_HEX + 1];

	token_new(pw);
	dummy_ok = mrm_password_hash(pw, dummy_hash, NULL) == 0;
	sodium_memzero(pw, sizeof(pw));
}

static int dummy_ready(struct mrm_error *err)
{
	int rc = mrm_crypto_init(err);

	if (rc)
		return rc;
	if (pthread_once(&dummy_once, dummy_make) || !dummy_ok)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
				     "password hashing ran out of memory");
	return 0;
}

/*
 * Seconds until the failures of `col` = `value` within the window fall
 * under the limit: 0 when they are under it now. The MAX-th most recent
 * failure is the one whose ageing out brings them under.
 */
static int limit_wait(struct mrm_store *st, int by_client, const char *value,
		      int64_t now, int64_t *wait, struct mrm_error *err)
{
	const char *sql =
		by_client ? "SELECT at FROM login_failure WHERE client = ?"
			    " AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?"
			  : "SELECT at FROM login_failure WHERE login = ?"
			    " AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?";
	sqlite3_stmt *s = NULL;
	int rc = prepare(st, sql, &s, "login failures", err);

	*wait = 0;
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now - MRM_LOGIN_WINDOW_SECONDS);
	sqlite3_bind_int(s, 3, MRM_LOGIN_FAILURES_MAX - 1);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		*wait = sqlite3_column_int64(s, 0) + MRM_LOGIN_WINDOW_SECONDS -
			now;
		if (*wait < 1)
			*wait = 1;
		break;
	case SQLITE_DONE: break;
	default: rc = mrm_store_fail(st, err, "login failures");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Refuse when either limit is reached; otherwise count this attempt as a
 * failure (cleared on success) and forget failures out of the window. */
static int login_gate(struct mrm_store *st, const char *login,
		      const char *client, int64_t now, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int64_t wait = 0, wait_client = 0;
	int rc = mrm_store_begin(st, err);

	if (rc)
		return rc;
	rc = limit_wait(st, 0, login, now, &wait, err);
	if (!rc && *client)
		rc = limit_wait(st, 1, client, now, &wait_client, err);
	if (rc)
		goto out;
	if (wait_client > wait)
		wait = wait_client;
	if (wait) {
		rc = mrm_error_set(err, MRM_ERR_LIMIT, NULL,
				   "too many failed logins; try again in "
				   "%lld minutes",
				   (long long)((wait + 59) / 60));
		goto out;
	}
	rc = prepare(st,
		     "INSERT INTO login_failure(login, client, at) "
		     "VALUES (?, ?, ?)",
		     &s, "login failures", err);
	if (rc)
		goto out;
	sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, client, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = run_done(st, s, "login failures", err);
	if (!rc) /* the login as typed is hashed, never kept: it may be a
		    password typed into the wrong box */
		rc = mrm_audit_created(
			st, "login_failure",
			sqlite3_last_insert_rowid(mrm_store_db(st)),
			"login attempt", err);
	if (!rc)
		rc = prepare(st, "DELETE FROM login_failure WHERE at <= ?", &s,
			     "login failures", err);
	if (rc)
		goto out;
	sqlite3_bind_int64(s, 1, now - MRM_LOGIN_WINDOW_SECONDS);
	rc = run_done(st, s, "login failures", err);
	if (!rc)
		rc = mrm_store_commit(st, err);
out:
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

/* The actor and password hash of `login`; *found 0 when there is none. */
static int user_find(struct mrm_store *st, const char *login,
		     struct mrm_actor *who, char hash[MRM_PWHASH_BYTES],
		     int *found, int *disabled, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = prepare(st,
			 "SELECT " ACTOR_COLUMNS ", u.pw_hash, u.disabled"
			 " FROM user u"
			 " JOIN org o ON o.id = u.org_id WHERE u.login = ?",
			 &s, "users", err);

	*found = 0;
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		rc = actor_from_row(st, s, 0, who, err);
		if (!rc && column_copy(s, 5, hash, MRM_PWHASH_BYTES))
			rc = mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
					   "user \"%s\" has no valid password "
					   "hash; set a new password",
					   login);
		*found = !rc;
		*disabled = sqlite3_column_int(s, 6) != 0;
		break;
	case SQLITE_DONE: break;
	default: rc = mrm_store_fail(st, err, "users");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Clear the login's failures, forget expired sessions, add a new one. */
static int session_open(struct mrm_store *st, const struct mrm_actor *who,
			int64_t now, int64_t max_seconds,
			char session[MRM_TOKEN_HEX + 1],
			char csrf[MRM_TOKEN_HEX + 1], struct mrm_error *err)
{
	unsigned char hash[HASH_BYTES];
	sqlite3_stmt *s = NULL;
	int rc = mrm_store_begin(st, err);

	if (rc)
		return rc;
	rc = prepare(st, "DELETE FROM login_failure WHERE login = ?", &s,
		     "login failures", err);
	if (rc)
		goto out;
	sqlite3_bind_text(s, 1, who->login, -1, SQLITE_STATIC);
	rc = run_done(st, s, "login failures", err);
	if (!rc)
		rc = prepare(st, "DELETE FROM session WHERE expires <= ?", &s,
			     "sessions", err);
	if (rc)
		goto out;
	sqlite3_bind_int64(s, 1, now);
	rc = run_done(st, s, "sessions", err);
	if (!rc)
		rc = prepare(st,
			     "INSERT INTO session(token_hash, user_id, csrf,"
			     " created, expires, seen) VALUES (?, ?, ?, ?4, ?,"
			     " ?4)",
			     &s, "sessions", err);
	if (rc)
		goto out;
	token_new(session);
	token_new(csrf);
	token_hash(session, hash);
	sqlite3_bind_blob(s, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, who->user_id);
	sqlite3_bind_text(s, 3, csrf, MRM_TOKEN_HEX, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, now + max_seconds);
	rc = run_done(st, s, "sessions", err);
	if (!rc)
		rc = mrm_audit_rows(
			st,
			&(struct mrm_audit_entry){.action = "login",
						  .table = "session",
						  .record = who->user_id,
						  .user_id = who->user_id,
						  .actor = who->login},
			AUDIT_SESSION, hash, sizeof(hash), 0, 1, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
out:
	if (rc) {
		mrm_store_rollback(st);
		sodium_memzero(session, MRM_TOKEN_HEX + 1);
		sodium_memzero(csrf, MRM_TOKEN_HEX + 1);
	}
	return rc;
}

int mrm_auth_login_with(struct mrm_store *st, const struct mrm_login *l,
			char session[MRM_TOKEN_HEX + 1],
			char csrf[MRM_TOKEN_HEX + 1], struct mrm_actor *who,
			struct mrm_error *err)
{
	char hash[MRM_PWHASH_BYTES] = "";
	int64_t now = (int64_t)time(NULL);
	const char *client = l->client ? l->client : "";
	int rc, found = 0, disabled = 0, ok, totp = 0;

	session[0] = csrf[0] = '\0';
	memset(who, 0, sizeof(*who));
	if (!l->login || !l->password)
		return mrm_error_set(err, MRM_ERR_INVALID, "login",
				     "give a login and a password");
	if (l->max_seconds < 0)
		return mrm_error_set(err, MRM_ERR_INVALID, "max_seconds",
				     "a session cannot last less than nothing");
	if (strnlen(client, CLIENT_MAX + 1) > CLIENT_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "client",
				     "the client address is over %d bytes",
				     CLIENT_MAX);
	/* No user has a longer login (mrm_user_add): nothing to check, and
	 * nothing that long is written to the failure table. */
	if (strnlen(l->login, LOGIN_MAX + 1) > LOGIN_MAX)
		return mrm_error_set(err, MRM_ERR_ACCESS, NULL, WRONG_LOGIN);
	rc = dummy_ready(err);
	if (!rc)
		rc = login_gate(st, l->login, client, now, err);
	if (!rc)
		rc = user_find(st, l->login, who, hash, &found, &disabled, err);
	if (rc)
		goto out;
	ok = mrm_password_verify(found ? hash : dummy_hash, l->password);
	if (!ok || !found) {
		rc = mrm_error_set(err, MRM_ERR_ACCESS, NULL, WRONG_LOGIN);
		goto out;
	}
	if (disabled) {
		rc = mrm_error_set(err, MRM_ERR_ACCESS, NULL,
				   "this account is disabled; ask an "
				   "administrator");
		goto out;
	}
	/* the failure counted by login_gate() stays when the code fails */
	rc = mrm_totp_login(st, who->user_id, l->totp, now, &totp, err);
	if (!rc)
		rc = session_open(st, who, now,
				  l->max_seconds ? l->max_seconds
						 : MRM_SESSION_SECONDS,
				  session, csrf, err);
out:
	sodium_memzero(hash, sizeof(hash));
	if (rc)
		memset(who, 0, sizeof(*who));
	return rc;
}

int mrm_auth_login(struct mrm_store *st, const char *login,
		   const char *password, const char *client,
		   char session[MRM_TOKEN_HEX + 1],
		   char csrf[MRM_TOKEN_HEX + 1], struct mrm_actor *who,
		   struct mrm_error *err)
{
	struct mrm_login l = {login, password, NULL, client, 0};

	return mrm_auth_login_with(st, &l, session, csrf, who, err);
}

/* ---- sessions and API tokens ---- */

/* Record the use of a session. A failure (a busy database) is not the
 * request's: at worst the session goes idle a minute early. */
static void session_touch(struct mrm_store *st,
			  const unsigned char hash[HASH_BYTES], int64_t now)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "UPDATE session SET seen = ? WHERE token_hash = ?");

	if (!s)
		return;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_blob(s, 2, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_step(s);
	sqlite3_reset(s);
}

/* The actor of token `token` in `sql` (which selects ACTOR_COLUMNS and one
 * more text column, copied into `extra` when it is not NULL). */
static int token_actor(struct mrm_store *st, const char *sql, const char *token,
		       const char *unknown, int64_t idle, struct mrm_actor *who,
		       char extra[MRM_TOKEN_HEX + 1], struct mrm_error *err)
{
	int64_t now = (int64_t)time(NULL), seen = now;
	unsigned char hash[HASH_BYTES];
	sqlite3_stmt *s = NULL;
	int rc;

	memset(who, 0, sizeof(*who));
	if (extra)
		extra[0] = '\0';
	if (token_hash(token, hash))
		return mrm_error_set(err, MRM_ERR_ACCESS, NULL, "%s", unknown);
	/* every request asks this: the store keeps the statement */
	s = mrm_store_prepare(st, sql);
	if (!s)
		return mrm_store_fail(st, err, "sessions");
	sqlite3_bind_blob(s, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	if (idle)
		sqlite3_bind_int64(s, 3, now - idle);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		if (idle)
			seen = sqlite3_column_int64(s, 6);
		rc = actor_from_row(st, s, 0, who, err);
		if (!rc && extra && column_copy(s, 5, extra, MRM_TOKEN_HEX + 1))
			rc = mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
					   "a session has a malformed CSRF "
					   "token; log in again");
		break;
	case SQLITE_DONE:
		rc = mrm_error_set(err, MRM_ERR_ACCESS, NULL, "%s", unknown);
		break;
	default: rc = mrm_store_fail(st, err, "sessions");
	}
	sqlite3_reset(s);
	if (rc) {
		memset(who, 0, sizeof(*who));
		if (extra)
			extra[0] = '\0';
	} else if (now - seen >= MRM_SESSION_TOUCH_SECONDS) {
		session_touch(st, hash, now);
	}
	return rc;
}

int mrm_auth_session_idle(struct mrm_store *st, const char *session,
			  int64_t idle_seconds, struct mrm_actor *who,
			  char csrf[MRM_TOKEN_HEX + 1], struct mrm_error *err)
{
	return token_actor(st,
			   "SELECT " ACTOR_COLUMNS
			   ", t.csrf, t.seen FROM session t" ACTOR_JOIN
			   " WHERE t.token_hash = ?1 AND t.expires > ?2"
			   " AND t.seen > ?3",
			   session, SESSION_UNKNOWN,
			   idle_seconds > 0 ? idle_seconds
					    : MRM_SESSION_IDLE_SECONDS,
			   who, csrf, err);
}

int mrm_auth_session(struct mrm_store *st, const char *session,
		     struct mrm_actor *who, char csrf[MRM_TOKEN_HEX + 1],
		     struct mrm_error *err)
{
	return mrm_auth_session_idle(st, session, 0, who, csrf, err);
}

int mrm_auth_bearer(struct mrm_store *st, const char *token,
		    struct mrm_actor *who, struct mrm_error *err)
{
	return token_actor(st,
			   "SELECT " ACTOR_COLUMNS
			   " FROM api_token t" ACTOR_JOIN
			   " WHERE t.token_hash = ? AND "
			   "t.expires > ?",
			   token, TOKEN_UNKNOWN, 0, who, NULL, err);
}

int mrm_auth_logout(struct mrm_store *st, const char *session,
		    struct mrm_error *err)
{
	unsigned char hash[HASH_BYTES];
	sqlite3_stmt *s = NULL;
	int rc;

	if (token_hash(session, hash))
		return 0; /* never given out, so nothing to end */
	rc = mrm_store_begin(st, err);
	if (!rc)
		rc = mrm_audit_rows(
			st,
			&(struct mrm_audit_entry){.action = "logout",
						  .table = "session"},
			AUDIT_SESSION, hash, sizeof(hash), 0, 0, err);
	if (!rc)
		rc = prepare(st, "DELETE FROM session WHERE token_hash = ?", &s,
			     "sessions", err);
	if (!rc) {
		sqlite3_bind_blob(s, 1, hash, sizeof(hash), SQLITE_STATIC);
		rc = run_done(st, s, "sessions", err);
	}
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

static int token_name_check(const char *name, struct mrm_error *err)
{
	size_t n = name ? strlen(name) : 0;
	size_t chars = n && mrm_utf8_check(name, n) == n
			       ? mrm_utf8_length(name, n)
			       : 0;

	if (!chars || chars > TOKEN_NAME_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "--name",
				     "give 1 to %d characters of UTF-8 that "
				     "say what the token is for",
				     TOKEN_NAME_MAX);
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return mrm_error_set(err, MRM_ERR_INVALID, "--name",
					     "control characters are not "
					     "allowed");
	return 0;
}

int mrm_auth_token_create(struct mrm_store *st, const char *login,
			  const char *name, int days,
			  char token[MRM_TOKEN_HEX + 1], struct mrm_error *err)
{
	unsigned char hash[HASH_BYTES];
	int64_t now = (int64_t)time(NULL);
	sqlite3_stmt *s = NULL;
	int rc;

	token[0] = '\0';
	if (days < 1 || days > TOKEN_DAYS_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "--days",
				     "%d: give 1 to %d days", days,
				     TOKEN_DAYS_MAX);
	rc = token_name_check(name, err);
	if (!rc && !login)
		rc = mrm_error_set(err, MRM_ERR_INVALID, "--login",
				   "give the login of the token's user");
	if (!rc)
		rc = mrm_crypto_init(err);
	if (!rc)
		rc = mrm_store_begin(st, err);
	if (rc)
		return rc;
	rc = prepare(st,
		     "INSERT INTO api_token(token_hash, user_id, name, "
		     "created, expires) SELECT ?, id, ?, ?, ? FROM user "
		     "WHERE login = ?",
		     &s, "API tokens", err);
	if (rc)
		goto out;
	token_new(token);
	token_hash(token, hash);
	sqlite3_bind_blob(s, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, now + (int64_t)days * 86400);
	sqlite3_bind_text(s, 5, login, -1, SQLITE_STATIC);
	rc = run_done(st, s, "API tokens", err);
	if (!rc && sqlite3_changes(mrm_store_db(st)) != 1)
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, "--login",
				   "no user \"%s\"; see the users with: mrm "
				   "user list",
				   login);
	if (!rc)
		rc = mrm_audit_rows(
			st,
			&(struct mrm_audit_entry){.action = "create",
						  .table = "api_token",
						  .detail = login},
			"SELECT * FROM api_token WHERE token_hash "
			"= ?",
			hash, sizeof(hash), 0, 1, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
out:
	if (rc) {
		mrm_store_rollback(st);
		sodium_memzero(token, MRM_TOKEN_HEX + 1);
	}
	return rc;
}

/* ---- access ---- */

#define ACT(a) (1u << (a))
#define RECORD_ACTIONS                                                         \
	(ACT(MRM_ACT_READ_RECORDS) | ACT(MRM_ACT_WRITE_RECORDS) |              \
	 ACT(MRM_ACT_READ_IDENTITY) | ACT(MRM_ACT_EXPORT))
#define STATS_ACTIONS (ACT(MRM_ACT_STATS) | ACT(MRM_ACT_STATS_PUBLIC))

/* What each role may do at all; RECORD_ACTIONS only on its own
 * organisation's records (and, for reading, those shared with it). */
static const unsigned role_may[] = {
	[MRM_ROLE_ADMIN] = RECORD_ACTIONS | STATS_ACTIONS | ACT(MRM_ACT_ADMIN),
	[MRM_ROLE_COORDINATOR] = RECORD_ACTIONS | STATS_ACTIONS,
	[MRM_ROLE_CASEWORKER] = ACT(MRM_ACT_READ_RECORDS) |
				ACT(MRM_ACT_WRITE_RECORDS) |
				ACT(MRM_ACT_READ_IDENTITY) | STATS_ACTIONS,
	[MRM_ROLE_RESEARCHER] = STATS_ACTIONS,
	[MRM_ROLE_VIEWER] = ACT(MRM_ACT_STATS_PUBLIC),
};

/* What a role may do, for the messages that refuse it something. */
static const char *const role_allows[] = {
	[MRM_ROLE_ADMIN] = "administrators may do everything, on their own "
			   "organisation's records",
	[MRM_ROLE_COORDINATOR] = "coordinators read, write and export their "
				 "organisation's records and see statistics; "
				 "only administrators manage users and "
				 "organisations",
	[MRM_ROLE_CASEWORKER] = "caseworkers read and write their "
				"organisation's records and see statistics; "
				"exports need a coordinator, users and "
				"organisations an administrator",
	[MRM_ROLE_RESEARCHER] = "researchers see aggregates only, never "
				"records",
	[MRM_ROLE_VIEWER] = "viewers see published (public) figures and "
			    "reports only",
};

static const char *const action_text[] = {
	[MRM_ACT_READ_RECORDS] = "read records",
	[MRM_ACT_WRITE_RECORDS] = "create or change records",
	[MRM_ACT_READ_IDENTITY] = "read identities (names, contacts, health)",
	[MRM_ACT_EXPORT] = "export the database",
	[MRM_ACT_STATS] = "see internal statistics",
	[MRM_ACT_STATS_PUBLIC] = "see public statistics",
	[MRM_ACT_ADMIN] = "manage users and organisations",
};
#define NACTIONS ((int)(sizeof(action_text) / sizeof(action_text[0])))

/* The code of organisation `id` for a message ("#id" when unknown). */
static void org_code_of(struct mrm_store *st, int64_t id, char *out,
			size_t size)
{
	sqlite3_stmt *s = NULL;

	snprintf(out, size, "#%lld", (long long)id);
	if (!prepare(st, "SELECT code FROM org WHERE id = ?", &s, "", NULL)) {
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW)
			snprintf(out, size, "%s", sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
}

/* 1 when event `event_id` of organisation `org_id` is shared with
 * `with`, 0 when not, or a negative code. */
static int is_shared(struct mrm_store *st, int64_t event_id, int64_t org_id,
		     int64_t with, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = prepare(st,
			 "SELECT 1 FROM event_share x JOIN event e"
			 " ON e.id = x.event_id WHERE x.event_id = ?"
			 " AND e.org_id = ? AND x.org_id = ?",
			 &s, "shared events", err);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, event_id);
	sqlite3_bind_int64(s, 2, org_id);
	sqlite3_bind_int64(s, 3, with);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW: rc = 1; break;
	case SQLITE_DONE: rc = 0; break;
	default: rc = mrm_store_fail(st, err, "shared events");
	}
	sqlite3_finalize(s);
	return rc;
}

/* The refusal of records of another organisation. */
static int deny_other_org(struct mrm_store *st, const struct mrm_actor *who,
			  enum mrm_action action, int64_t org_id, int shared,
			  struct mrm_error *err)
{
	char owner[40];

	org_code_of(st, org_id, owner, sizeof(owner));
	if (shared)
		return mrm_error_set(err, MRM_ERR_ACCESS, NULL,
				     "identities are never shared: only %s "
				     "may read the names, contacts and health "
				     "in its records",
				     owner);
	return mrm_error_set(
		err, MRM_ERR_ACCESS, NULL,
		"these records belong to %s: a %s of %s may %s of %s only%s",
		owner, mrm_role_name(who->role), who->org, action_text[action],
		who->org,
		action == MRM_ACT_READ_RECORDS ? " and those shared with it"
					       : "");
}

int mrm_access_check(struct mrm_store *st, const struct mrm_actor *who,
		     enum mrm_action action, int64_t org_id, int64_t event_id,
		     struct mrm_error *err)
{
	int shared = 0;

	if ((int)action < 0 || (int)action >= NACTIONS)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "unknown action %d", (int)action);
	if (!who || !who->user_id)
		return mrm_error_set(err, MRM_ERR_ACCESS, NULL,
				     "not logged in: log in first");
	if ((int)who->role < 0 || (int)who->role >= NROLES)
		return mrm_error_set(err, MRM_ERR_ACCESS, NULL,
				     "unknown role %d may do nothing",
				     (int)who->role);
	if (!(role_may[who->role] & ACT(action)))
		return mrm_error_set(
			err, MRM_ERR_ACCESS, NULL, "a %s may not %s: %s",
			mrm_role_name(who->role), action_text[action],
			role_allows[who->role]);
	if (!(RECORD_ACTIONS & ACT(action)) || org_id == 0 ||
	    org_id == who->org_id)
		return 0;
	if (event_id > 0) {
		shared = is_shared(st, event_id, org_id, who->org_id, err);
		if (shared < 0)
			return shared;
		if (shared && action == MRM_ACT_READ_RECORDS)
			return 0;
	}
	return deny_other_org(st, who, action, org_id, shared, err);
}

int mrm_event_owner(struct mrm_store *st, int64_t event_id, int64_t *org,
		    struct mrm_error *err)
{
	sqlite3_stmt *s =
		mrm_store_prepare(st, "SELECT org_id FROM event WHERE id = ?");
	int rc = 0;

	if (!s)
		return mrm_store_fail(st, err, "events");
	sqlite3_bind_int64(s, 1, event_id);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW: *org = sqlite3_column_int64(s, 0); break;
	case SQLITE_DONE:
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, "event",
				   "no event with id %lld",
				   (long long)event_id);
		break;
	default: rc = mrm_store_fail(st, err, "events");
	}
	sqlite3_reset(s);
	return rc;
}

int mrm_access_share(struct mrm_store *st, const struct mrm_actor *who,
		     int64_t event_id, const char *org_code,
		     struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int64_t owner = 0, with = 0;
	int rc = mrm_event_owner(st, event_id, &owner, err);

	/* Sharing is not reading: event_id 0, so a share received does not
	 * let its receiver pass it on. */
	if (!rc)
		rc = mrm_access_check(st, who, MRM_ACT_READ_RECORDS, owner, 0,
				      err);
	if (!rc)
		rc = mrm_access_check(st, who, MRM_ACT_WRITE_RECORDS, owner, 0,
				      err);
	if (!rc && !org_code)
		rc = mrm_error_set(err, MRM_ERR_INVALID, "org",
				   "give the code of the organisation to "
				   "share with");
	if (!rc)
		rc = mrm_org_id(st, org_code, &with, err);
	if (rc)
		return rc;
	if (with == owner)
		return mrm_error_set(err, MRM_ERR_INVALID, "org",
				     "event #%lld belongs to %s already; share "
				     "it with another organisation",
				     (long long)event_id, org_code);
	rc = mrm_store_begin(st, err);
	if (!rc)
		rc = prepare(st,
			     "INSERT OR IGNORE INTO event_share(event_id, "
			     "org_id) VALUES (?, ?)",
			     &s, "shared events", err);
	if (!rc) {
		sqlite3_bind_int64(s, 1, event_id);
		sqlite3_bind_int64(s, 2, with);
		rc = run_done(st, s, "shared events", err);
	}
	if (!rc)
		rc = mrm_audit_rows(
			st,
			&(struct mrm_audit_entry){.action = "share",
						  .table = "event",
						  .record = event_id,
						  .detail = org_code},
			"SELECT * FROM event_share WHERE event_id "
			"= ? ORDER BY org_id",
			NULL, 0, event_id, 1, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}
