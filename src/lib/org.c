/* org.c - see include/mrm/org.h */
#include "mrm/org.h"

#include "mrm/account.h"
#include "mrm/audit.h"
#include "mrm/buf.h"
#include "mrm/crypto.h"
#include "mrm/store.h"
#include "mrm/utf8.h"
#include "mrm/vocab.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

const char *const mrm_roles[] = {"admin",      "coordinator", "caseworker",
				 "researcher", "viewer",      NULL};

static int check_ident(const char *what, const char *s, size_t min, size_t max,
		       const char *extra, struct mrm_error *err)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return mrm_error_set(err, MRM_ERR_INVALID, what,
				     "\"%s\" must be %zu to %zu characters", s,
				     min, max);
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(extra, *p))
			return mrm_error_set(err, MRM_ERR_INVALID, what,
					     "\"%s\": only letters, digits and "
					     "\"%s\" are allowed",
					     s, extra);
	return 0;
}

static int check_text(const char *what, const char *s, size_t max,
		      struct mrm_error *err)
{
	size_t n = strlen(s);

	if (!n || n > max)
		return mrm_error_set(err, MRM_ERR_INVALID, what,
				     "must be 1 to %zu bytes", max);
	if (mrm_utf8_check(s, n) != n)
		return mrm_error_set(err, MRM_ERR_INVALID, what,
				     "invalid UTF-8 at byte %zu",
				     mrm_utf8_check(s, n));
	return 0;
}

/* Run a one-row insert into `table` with text parameters, in a
 * transaction, with its audit entry. */
static int write_row(struct mrm_store *st, const char *table, const char *sql,
		     const char *const *params, int n, const char *what,
		     struct mrm_error *err)
{
	sqlite3 *db = mrm_store_db(st);
	sqlite3_stmt *s = NULL;
	int rc = mrm_store_begin(st, err);

	if (rc)
		return rc;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL)) {
		rc = mrm_store_fail(st, err, what);
		goto out;
	}
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(s, i + 1, params[i], -1, SQLITE_STATIC);
	switch (sqlite3_step(s)) { /* extended result codes are on */
	case SQLITE_DONE: break;
	case SQLITE_CONSTRAINT_UNIQUE:
		rc = mrm_error_set(err, MRM_ERR_EXISTS, what,
				   "\"%s\" already exists", params[0]);
		goto out;
	default: rc = mrm_store_fail(st, err, what); goto out;
	}
	if (sqlite3_changes(db) != 1)
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, what,
				   "nothing written");
	else
		rc = mrm_audit_created(st, table, sqlite3_last_insert_rowid(db),
				       params[0], err);
	if (!rc)
		rc = mrm_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

int mrm_org_check(struct mrm_store *st, const char *where, const char *code,
		  const char *name, const char *country, const char **cc,
		  struct mrm_error *err)
{
	const struct mrm_vocab *v = mrm_store_vocab(st);
	char at[MRM_ERROR_WHERE_MAX], near[256];
	int rc;

	snprintf(at, sizeof(at), "%scode", where);
	rc = check_ident(at, code, 2, 32, "-_", err);
	if (rc)
		return rc;
	snprintf(at, sizeof(at), "%sname", where);
	rc = check_text(at, name, 200, err);
	if (rc)
		return rc;
	*cc = mrm_vocab_resolve(v, "country", country);
	if (*cc)
		return 0;
	snprintf(at, sizeof(at), "%scountry", where);
	mrm_vocab_suggest(v, "country", country, near, sizeof(near));
	return mrm_error_set(err, MRM_ERR_INVALID, at,
			     "unknown country \"%s\"; closest: %s", country,
			     near);
}

int mrm_org_add(struct mrm_store *st, const char *code, const char *name,
		const char *country, struct mrm_error *err)
{
	const char *params[3] = {code, name, NULL};
	int rc = mrm_org_check(st, "--", code, name, country, &params[2], err);

	if (rc)
		return rc;
	return write_row(st, "org",
			 "INSERT INTO org(code, name, country) VALUES (?,?,?)",
			 params, 3, "organisation", err);
}

int mrm_org_each(struct mrm_store *st,
		 int (*cb)(void *ctx, const struct mrm_org *org), void *ctx,
		 struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step = SQLITE_DONE;

	if (sqlite3_prepare_v2(
		    mrm_store_db(st),
		    "SELECT id, code, name, country, coalesce(kind,'')"
		    " FROM org ORDER BY code",
		    -1, &s, NULL))
		return mrm_store_fail(st, err, "organisations");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		struct mrm_org o = {
			sqlite3_column_int64(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			(const char *)sqlite3_column_text(s, 3),
			(const char *)sqlite3_column_text(s, 4),
		};
		rc = cb(ctx, &o);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "organisations");
	sqlite3_finalize(s);
	return rc;
}

/* "A, B, C" of up to 20 organisation codes into `known`. */
static int known_codes(struct mrm_store *st, struct mrm_buf *known,
		       struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int step = SQLITE_DONE;

	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT code FROM org ORDER BY code LIMIT 20",
			       -1, &s, NULL))
		return mrm_store_fail(st, err, "organisations");
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		mrm_buf_addf(known, "%s%s", known->len ? ", " : "",
			     sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return step == SQLITE_DONE ? 0
				   : mrm_store_fail(st, err, "organisations");
}

int mrm_org_id(struct mrm_store *st, const char *code, int64_t *id,
	       struct mrm_error *err)
{
	struct mrm_buf known = MRM_BUF_INIT(1024);
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT id FROM org WHERE code=?", -1, &s, NULL))
		return mrm_store_fail(st, err, "organisations");
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW: *id = sqlite3_column_int64(s, 0); goto out;
	case SQLITE_DONE: break;
	default: rc = mrm_store_fail(st, err, "organisations"); goto out;
	}
	rc = known_codes(st, &known, err);
	if (!rc)
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, "organisation",
				   "no organisation \"%s\"; known: %s", code,
				   known.len ? known.ptr
					     : "none (add one with mrm org "
					       "add)");
out:
	sqlite3_finalize(s);
	mrm_buf_release(&known);
	return rc;
}

int mrm_user_add(struct mrm_store *st, const char *org_code, const char *login,
		 const char *role, const char *password, struct mrm_error *err)
{
	char hash[MRM_PWHASH_BYTES];
	const char *params[4] = {login, org_code, role, hash};
	int64_t org_id;
	int rc, known = 0;

	for (int i = 0; mrm_roles[i]; i++)
		known |= !strcmp(mrm_roles[i], role);
	if (!known)
		return mrm_error_set(err, MRM_ERR_INVALID, "--role",
				     "\"%s\" is not a role; use admin, "
				     "coordinator, caseworker, researcher or "
				     "viewer",
				     role);
	rc = check_ident("--login", login, 3, 64, "._-@", err);
	if (!rc)
		rc = mrm_org_id(st, org_code, &org_id, err);
	if (rc)
		return rc;
	rc = mrm_password_policy(login, password, err);
	if (rc)
		return rc;
	rc = mrm_password_hash(password, hash, err);
	if (!rc)
		rc = write_row(st, "user",
			       "INSERT INTO user(login, org_id, role, pw_hash) "
			       "SELECT ?, id, ?3, ?4 FROM org WHERE code=?2",
			       params, 4, "user", err);
	return rc;
}

int mrm_user_each(struct mrm_store *st,
		  int (*cb)(void *ctx, const struct mrm_user *user), void *ctx,
		  struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step = SQLITE_DONE;

	if (sqlite3_prepare_v2(
		    mrm_store_db(st),
		    "SELECT u.id, o.code, u.login, u.role, u.created,"
		    " u.disabled, u.totp_secret IS NOT NULL"
		    " FROM user u JOIN org o ON o.id = u.org_id"
		    " ORDER BY o.code, u.login",
		    -1, &s, NULL))
		return mrm_store_fail(st, err, "users");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		struct mrm_user u = {
			sqlite3_column_int64(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			(const char *)sqlite3_column_text(s, 3),
			(const char *)sqlite3_column_text(s, 4),
			sqlite3_column_int(s, 5),
			sqlite3_column_int(s, 6),
		};
		rc = cb(ctx, &u);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "users");
	sqlite3_finalize(s);
	return rc;
}
