/* account.c - see include/mrm/account.h */
#include "mrm/account.h"

#include "mrm/keyring.h"
#include "mrm/audit.h"
#include "mrm/auth.h"
#include "mrm/crypto.h"
#include "mrm/embedded.h"
#include "mrm/store.h"
#include "mrm/utf8.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define COMMON_PASSWORDS "data/passwords/common-passwords.txt"
#define TOTP_AD_MAX	 48
#define HASH_BYTES	 crypto_generichash_BYTES

/* ---- the password policy ---- */

/* Is `pw` (ASCII case ignored) a line of the common passwords? */
static int is_common(const char *pw)
{
	const struct mrm_embedded *f = mrm_embedded_find(COMMON_PASSWORDS);
	const char *p = f ? (const char *)f->data : "";
	size_t n = strlen(pw);

	while (*p) {
		size_t len = strcspn(p, "\n");

		if (*p != '#' && len == n && !strncasecmp(p, pw, n))
			return 1;
		p += len + (p[len] == '\n');
	}
	return 0;
}

/* Does `hay` contain `needle`, ignoring ASCII case? */
static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; n && *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

int mrm_password_policy(const char *login, const char *password,
			struct mrm_error *err)
{
	size_t n = password ? strlen(password) : 0;

	if (!password || mrm_utf8_check(password, n) != n)
		return mrm_error_set(err, MRM_ERR_INVALID, "password",
				     "give the password as UTF-8 text");
	if (mrm_utf8_length(password, n) < MRM_PASSWORD_MIN)
		return mrm_error_set(err, MRM_ERR_INVALID, "password",
				     "must be at least %d characters (a few "
				     "words you remember are fine)",
				     MRM_PASSWORD_MIN);
	if (login && *login && contains_nocase(password, login))
		return mrm_error_set(err, MRM_ERR_INVALID, "password",
				     "must not contain the login");
	if (is_common(password))
		return mrm_error_set(err, MRM_ERR_INVALID, "password",
				     "is one of the most common passwords, "
				     "which attackers try first; choose "
				     "another");
	return 0;
}

/* ---- small database helpers ---- */

static int prepare(struct mrm_store *st, const char *sql, sqlite3_stmt **s,
		   struct mrm_error *err)
{
	if (sqlite3_prepare_v2(mrm_store_db(st), sql, -1, s, NULL) != SQLITE_OK)
		return mrm_store_fail(st, err, "users");
	return 0;
}

/* Run `sql` with integer ?1 = a and ?2 = b (when the statement has it);
 * *changes (may be NULL) the rows changed. */
static int run2(struct mrm_store *st, const char *sql, int64_t a, int64_t b,
		int *changes, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = prepare(st, sql, &s, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, a);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0
					    : mrm_store_fail(st, err, "users");
	if (!rc && changes)
		*changes = sqlite3_changes(mrm_store_db(st));
	sqlite3_finalize(s);
	return rc;
}

int mrm_user_id(struct mrm_store *st, const char *login, int64_t *id,
		struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = prepare(st, "SELECT id FROM user WHERE login = ?", &s, err);

	*id = 0;
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, login ? login : "", -1, SQLITE_STATIC);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW: *id = sqlite3_column_int64(s, 0); break;
	case SQLITE_DONE:
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, "--login",
				   "no user \"%s\"; see the users with: mrm "
				   "user list",
				   login ? login : "");
		break;
	default: rc = mrm_store_fail(st, err, "users");
	}
	sqlite3_finalize(s);
	return rc;
}

/* A user's sessions and tokens, as the audit log hashes them. */
#define SESSIONS_OF_USER                                                       \
	"SELECT * FROM session WHERE user_id = ? ORDER BY token_hash"
#define TOKENS_OF_USER                                                         \
	"SELECT * FROM api_token WHERE user_id = ? ORDER BY token_hash"

/* Delete the sessions of `user_id` but `keep` (within a transaction); a
 * "revoke" entry in the audit log when any ended. */
static int end_sessions(struct mrm_store *st, int64_t user_id, const char *keep,
			int *ended, struct mrm_error *err)
{
	unsigned char hash[HASH_BYTES] = {0};
	struct mrm_audit_change c = {.table = "session",
				     .record = user_id,
				     .sql = SESSIONS_OF_USER,
				     .arg = user_id};
	sqlite3_stmt *s = NULL;
	char detail[64];
	int n = 0, rc = prepare(st,
				"DELETE FROM session WHERE user_id = ?"
				" AND token_hash IS NOT ?",
				&s, err);

	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	if (rc) {
		sqlite3_finalize(s);
		return rc;
	}
	if (keep && strlen(keep) == MRM_TOKEN_HEX)
		crypto_generichash(hash, sizeof(hash),
				   (const unsigned char *)keep, MRM_TOKEN_HEX,
				   NULL, 0);
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_blob(s, 2, hash, sizeof(hash), SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE
		     ? 0
		     : mrm_store_fail(st, err, "sessions");
	if (!rc)
		n = sqlite3_changes(mrm_store_db(st));
	if (!rc && ended)
		*ended = n;
	sqlite3_finalize(s);
	snprintf(detail, sizeof(detail), "%d session%s ended", n,
		 n == 1 ? "" : "s");
	return rc || !n ? rc
			: mrm_audit_change_end(st, &c, "revoke", detail, err);
}

/* Commit when rc is 0, else roll back; returns rc (or the commit's). */
static int finish(struct mrm_store *st, int rc, struct mrm_error *err)
{
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

int mrm_user_revoke(struct mrm_store *st, int64_t user_id, const char *keep,
		    int *ended, struct mrm_error *err)
{
	int rc = mrm_store_begin(st, err);

	if (ended)
		*ended = 0;
	if (rc)
		return rc;
	return finish(st, end_sessions(st, user_id, keep, ended, err), err);
}

/* The login of `user_id` into `out`; MRM_ERR_NOTFOUND when none. */
/* The organisation of user `user_id` (0 if there is none): its key seals
 * the user's two-factor secret, so that mrm key rotate-kek keeps it
 * readable and mrm wipe destroys it with the organisation's records. */
static int64_t user_org(struct mrm_store *st, int64_t user_id)
{
	sqlite3_stmt *s = NULL;
	int64_t org = 0;

	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT org_id FROM user WHERE id = ?", -1, &s,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, user_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		org = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return org;
}

/* MRM_ERR_NOTFOUND for `user_id`. */
static int no_user(int64_t user_id, struct mrm_error *err)
{
	return mrm_error_set(err, MRM_ERR_NOTFOUND, "user",
			     "no user with id %lld", (long long)user_id);
}

/* Step `s`, a query of user `user_id`: 0 on its row, MRM_ERR_NOTFOUND
 * when there is none. */
static int user_row(struct mrm_store *st, sqlite3_stmt *s, int64_t user_id,
		    struct mrm_error *err)
{
	switch (sqlite3_step(s)) {
	case SQLITE_ROW: return 0;
	case SQLITE_DONE: return no_user(user_id, err);
	default: return mrm_store_fail(st, err, "users");
	}
}

static int login_of(struct mrm_store *st, int64_t user_id, char *out,
		    size_t size, char hash[MRM_PWHASH_BYTES],
		    struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = prepare(st, "SELECT login, pw_hash FROM user WHERE id = ?", &s,
			 err);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, user_id);
	rc = user_row(st, s, user_id, err);
	if (!rc) {
		snprintf(out, size, "%s", sqlite3_column_text(s, 0));
		if (hash)
			snprintf(hash, MRM_PWHASH_BYTES, "%s",
				 sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	return rc;
}

int mrm_user_set_password(struct mrm_store *st, int64_t user_id,
			  const char *password, const char *keep,
			  struct mrm_error *err)
{
	char login[128], hash[MRM_PWHASH_BYTES];
	struct mrm_audit_change c = {.table = "user", .record = user_id};
	sqlite3_stmt *s = NULL;
	int rc = login_of(st, user_id, login, sizeof(login), NULL, err);

	if (!rc)
		rc = mrm_password_policy(login, password, err);
	if (!rc)
		rc = mrm_password_hash(password, hash, err);
	if (!rc)
		rc = mrm_store_begin(st, err);
	if (rc)
		return rc;
	rc = mrm_audit_change_begin(st, &c, err);
	if (!rc)
		rc = prepare(st, "UPDATE user SET pw_hash = ? WHERE id = ?", &s,
			     err);
	if (!rc) {
		sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, user_id);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = mrm_store_fail(st, err, "users");
		sqlite3_finalize(s);
	}
	if (!rc)
		rc = mrm_audit_change_end(st, &c, "password", NULL, err);
	if (!rc)
		rc = end_sessions(st, user_id, keep, NULL, err);
	sodium_memzero(hash, sizeof(hash));
	return finish(st, rc, err);
}

int mrm_user_check_password(struct mrm_store *st, int64_t user_id,
			    const char *password, const char *where,
			    struct mrm_error *err)
{
	char login[128], hash[MRM_PWHASH_BYTES];
	int rc = login_of(st, user_id, login, sizeof(login), hash, err);

	if (!rc && (!password || !mrm_password_verify(hash, password)))
		rc = mrm_error_set(err, MRM_ERR_ACCESS, where,
				   "the current password is wrong");
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int mrm_user_change_password(struct mrm_store *st, const struct mrm_actor *who,
			     const char *old, const char *password,
			     const char *keep, struct mrm_error *err)
{
	int rc = mrm_user_check_password(st, who->user_id, old, "old_password",
					 err);

	if (!rc && password && !strcmp(old, password))
		rc = mrm_error_set(err, MRM_ERR_INVALID, "password",
				   "is the same as the current one");
	if (!rc)
		rc = mrm_user_set_password(st, who->user_id, password, keep,
					   err);
	return rc;
}

int mrm_user_disable(struct mrm_store *st, int64_t user_id, int disabled,
		     struct mrm_error *err)
{
	struct mrm_audit_change c = {.table = "user", .record = user_id};
	struct mrm_audit_change t = {.table = "api_token",
				     .record = user_id,
				     .sql = TOKENS_OF_USER,
				     .arg = user_id};
	int changed = 0;
	char detail[64];
	int rc = mrm_store_begin(st, err);

	if (rc)
		return rc;
	rc = mrm_audit_change_begin(st, &c, err);
	if (!rc)
		rc = run2(st, "UPDATE user SET disabled = ?2 WHERE id = ?1",
			  user_id, disabled ? 1 : 0, &changed, err);
	if (!rc && !changed)
		rc = no_user(user_id, err);
	if (!rc)
		rc = mrm_audit_change_end(
			st, &c, disabled ? "disable" : "enable", NULL, err);
	if (!rc && disabled)
		rc = end_sessions(st, user_id, NULL, NULL, err);
	if (!rc && disabled)
		rc = mrm_audit_change_begin(st, &t, err);
	if (!rc && disabled)
		rc = run2(st, "DELETE FROM api_token WHERE user_id = ?",
			  user_id, 0, &changed, err);
	if (!rc && disabled && changed) {
		snprintf(detail, sizeof(detail), "%d API token%s revoked",
			 changed, changed == 1 ? "" : "s");
		rc = mrm_audit_change_end(st, &t, "revoke", detail, err);
	}
	return finish(st, rc, err);
}

/* Run `sql` on user `user_id` (as run2()) in a transaction of its own,
 * with an `action` entry in the audit log; MRM_ERR_NOTFOUND when there
 * is no such user. */
static int user_change(struct mrm_store *st, int64_t user_id,
		       const char *action, const char *sql, int64_t b,
		       struct mrm_error *err)
{
	struct mrm_audit_change c = {.table = "user", .record = user_id};
	int changed = 0;
	int rc = mrm_store_begin(st, err);

	if (rc)
		return rc;
	rc = mrm_audit_change_begin(st, &c, err);
	if (!rc)
		rc = run2(st, sql, user_id, b, &changed, err);
	if (!rc && !changed)
		rc = no_user(user_id, err);
	if (!rc)
		rc = mrm_audit_change_end(st, &c, action, NULL, err);
	return finish(st, rc, err);
}

/* ---- TOTP ---- */

static void totp_ad(int64_t user_id, char ad[TOTP_AD_MAX])
{
	snprintf(ad, TOTP_AD_MAX, "user/%lld/totp", (long long)user_id);
}

/* Column `col` ("totp_secret" or "totp_pending") of `user_id`, opened
 * into `key`; *have 0 when it is NULL. */
static int secret_get(struct mrm_store *st, int64_t user_id, const char *col,
		      unsigned char key[MRM_TOTP_SECRET_BYTES], int *have,
		      int64_t *last, struct mrm_error *err)
{
	struct mrm_buf plain = MRM_BUF_INIT(256);
	char sql[128], ad[TOTP_AD_MAX];
	sqlite3_stmt *s = NULL;
	int rc;

	*have = 0;
	snprintf(sql, sizeof(sql),
		 "SELECT %s, totp_step FROM user WHERE id = ?", col);
	rc = prepare(st, sql, &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, user_id);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		if (last)
			*last = sqlite3_column_int64(s, 1);
		if (sqlite3_column_type(s, 0) == SQLITE_NULL)
			break;
		totp_ad(user_id, ad);
		rc = mrm_store_unseal(st, user_org(st, user_id), ad,
				      sqlite3_column_blob(s, 0),
				      (size_t)sqlite3_column_bytes(s, 0),
				      &plain, err);
		if (!rc && plain.len != MRM_TOTP_SECRET_BYTES)
			rc = mrm_error_set(err, MRM_ERR_CRYPTO, "user",
					   "the two-factor secret of user #%lld"
					   " is damaged; enrol again",
					   (long long)user_id);
		if (!rc) {
			memcpy(key, plain.ptr, MRM_TOTP_SECRET_BYTES);
			*have = 1;
		}
		break;
	case SQLITE_DONE: rc = no_user(user_id, err); break;
	default: rc = mrm_store_fail(st, err, "users");
	}
	sqlite3_finalize(s);
	if (plain.ptr)
		sodium_memzero(plain.ptr, plain.cap);
	mrm_buf_release(&plain);
	return rc;
}

int mrm_totp_enrol(struct mrm_store *st, int64_t user_id, int pending,
		   char secret[MRM_TOTP_SECRET_B32 + 1],
		   char uri[MRM_TOTP_URI_MAX], struct mrm_error *err)
{
	unsigned char key[MRM_TOTP_SECRET_BYTES];
	struct mrm_buf sealed = MRM_BUF_INIT(256);
	struct mrm_audit_change c = {.table = "user", .record = user_id};
	char login[128], ad[TOTP_AD_MAX];
	sqlite3_stmt *s = NULL;
	int rc = login_of(st, user_id, login, sizeof(login), NULL, err);

	secret[0] = uri[0] = '\0';
	if (!rc)
		rc = mrm_store_begin(st, err);
	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	if (rc) {
		mrm_store_rollback(st);
		return rc;
	}
	randombytes_buf(key, sizeof(key));
	totp_ad(user_id, ad);
	rc = mrm_store_seal(st, user_org(st, user_id), ad, key, sizeof(key),
			    &sealed, err);
	if (!rc && (mrm_base32_encode(key, sizeof(key), secret,
				      MRM_TOTP_SECRET_B32 + 1) ||
		    mrm_totp_uri(MRM_TOTP_ISSUER, login, secret, uri,
				 MRM_TOTP_URI_MAX)))
		rc = mrm_error_set(err, MRM_ERR_LIMIT, "login",
				   "the login is too long for an otpauth URI");
	if (!rc)
		rc = prepare(st,
			     pending ? "UPDATE user SET totp_pending = ?"
				       " WHERE id = ?"
				     : "UPDATE user SET totp_secret = ?,"
				       " totp_pending = NULL WHERE id = ?",
			     &s, err);
	if (!rc) {
		sqlite3_bind_blob(s, 1, sealed.ptr, (int)sealed.len,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, user_id);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = mrm_store_fail(st, err, "users");
		sqlite3_finalize(s);
	}
	if (!rc)
		rc = mrm_audit_change_end(
			st, &c, pending ? "totp-enrol" : "totp-on", NULL, err);
	rc = finish(st, rc, err);
	sodium_memzero(key, sizeof(key));
	mrm_buf_release(&sealed);
	if (rc) {
		sodium_memzero(secret, MRM_TOTP_SECRET_B32 + 1);
		uri[0] = '\0';
	}
	return rc;
}

int mrm_totp_confirm(struct mrm_store *st, int64_t user_id, const char *code,
		     struct mrm_error *err)
{
	unsigned char key[MRM_TOTP_SECRET_BYTES];
	int64_t step = 0, last = 0;
	int have = 0;
	int rc =
		secret_get(st, user_id, "totp_pending", key, &have, &last, err);

	if (!rc && !have)
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, "code",
				   "no two-factor enrolment is waiting: "
				   "begin with POST /api/v1/me/totp");
	if (!rc && !mrm_totp_check(key, sizeof(key), code, (int64_t)time(NULL),
				   0, &step))
		rc = mrm_error_set(err, MRM_ERR_INVALID, "code",
				   "is not the current 6-digit code of the "
				   "new secret; check the phone's clock and "
				   "try the next code");
	sodium_memzero(key, sizeof(key));
	return rc ? rc
		  : user_change(st, user_id, "totp-confirm",
				"UPDATE user SET totp_secret = totp_pending,"
				" totp_pending = NULL, totp_step = ?2 WHERE "
				"id = ?1",
				step, err);
}

int mrm_totp_off(struct mrm_store *st, int64_t user_id, struct mrm_error *err)
{
	return user_change(st, user_id, "totp-off",
			   "UPDATE user SET totp_secret = NULL,"
			   " totp_pending = NULL WHERE id = ?",
			   0, err);
}

int mrm_totp_login(struct mrm_store *st, int64_t user_id, const char *code,
		   int64_t now, int *on, struct mrm_error *err)
{
	unsigned char key[MRM_TOTP_SECRET_BYTES];
	int64_t step = 0, last = 0;
	int changed = 0, ok;
	int rc = secret_get(st, user_id, "totp_secret", key, on, &last, err);

	if (rc || !*on)
		return rc;
	if (!code || !*code) {
		sodium_memzero(key, sizeof(key));
		return mrm_error_set(err, MRM_ERR_ACCESS, "totp",
				     "two-factor login is on: give the 6-digit "
				     "code of your authenticator app");
	}
	ok = mrm_totp_check(key, sizeof(key), code, now, last, &step);
	sodium_memzero(key, sizeof(key));
	/* use the step up only if no one else did meanwhile */
	if (ok)
		rc = run2(st,
			  "UPDATE user SET totp_step = ?2 WHERE id = ?1"
			  " AND totp_step < ?2",
			  user_id, step, &changed, err);
	if (!rc && !changed)
		rc = mrm_error_set(err, MRM_ERR_ACCESS, "totp",
				   "the code is wrong or was used already; "
				   "wait for the next code of your "
				   "authenticator app");
	return rc;
}

int mrm_totp_status(struct mrm_store *st, int64_t user_id, int *on,
		    int *pending, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = prepare(st,
			 "SELECT totp_secret IS NOT NULL, totp_pending IS NOT "
			 "NULL FROM user WHERE id = ?",
			 &s, err);

	*on = *pending = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, user_id);
	rc = user_row(st, s, user_id, err);
	if (!rc) {
		*on = sqlite3_column_int(s, 0);
		*pending = sqlite3_column_int(s, 1);
	}
	sqlite3_finalize(s);
	return rc;
}
