/*
 * api_account.c - the logged-in user's own account: two-factor
 * enrolment (POST /api/v1/me/totp, POST /api/v1/me/totp/confirm), the
 * password (PUT /api/v1/me/password), logging out everywhere (DELETE
 * /api/v1/me/sessions), turning two-factor login off (DELETE
 * /api/v1/me/totp); and an administrator ending a user's sessions (POST
 * /api/v1/users/{id}/revoke), disabling and enabling a user (POST
 * /api/v1/users/{id}/disable, /enable). The rules are libmrm's
 * (account.h).
 */
#include "api.h"

#include "mrm/account.h"
#include "mrm/store.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define CLEAR_COOKIE                                                           \
	"mrm_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"

/* Sessions or tokens were ended, or a user changed: what this server's
 * cache of who they stand for holds is forgotten, so that the change
 * holds from the next request on (authcache.h). */
static void forget_actors(struct srv_req *r)
{
	srv_auth_forget_all(&r->srv->auth);
}

/* A libmrm failure about the actor's own credentials: a wrong current
 * password is 403 with its field. */
static int account_fail(struct srv_req *r, const struct mrm_error *e)
{
	if (e->code == MRM_ERR_ACCESS)
		return srv_error(r, 403, "access", e->where, "%s", e->msg);
	return srv_fail(r, e);
}

/* The string members `names` (n, all required) of a body allowing only
 * them; NULL when it answered (then nothing to free). */
static json_t *body_strings(struct srv_req *r, const char *const *names,
			    size_t n, const char **out)
{
	json_t *b = srv_body_object(r, names);

	if (b && api_strings(r, b, names, n, NULL, out)) {
		json_decref(b);
		return NULL;
	}
	return b;
}

/* The body of `r` with the user's own password in "password", checked;
 * NULL, the answer sent, when it is missing or wrong. */
static json_t *password_again(struct srv_req *r)
{
	static const char *const fields[] = {"password", NULL};
	struct mrm_error err;
	const char *pw;
	json_t *b = body_strings(r, fields, 1, &pw);

	if (b && mrm_user_check_password(r->st, r->who.user_id, pw, "password",
					 &err)) {
		account_fail(r, &err);
		json_decref(b);
		return NULL;
	}
	return b;
}

int api_me_totp_begin(struct srv_req *r)
{
	char secret[MRM_TOTP_SECRET_B32 + 1], uri[MRM_TOTP_URI_MAX];
	struct mrm_error err;
	/* enrolling needs the password again: a session left open on a
	 * shared computer must not be enough to take the account over */
	json_t *b = password_again(r);

	if (!b)
		return 0;
	if (mrm_totp_enrol(r->st, r->who.user_id, 1, secret, uri, &err))
		srv_fail(r, &err);
	else
		srv_json(r, 200,
			 json_pack("{s:s, s:s, s:s, s:i, s:i}", "secret",
				   secret, "uri", uri, "algorithm", "SHA1",
				   "digits", MRM_TOTP_DIGITS, "period",
				   MRM_TOTP_STEP));
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(uri, sizeof(uri));
	json_decref(b);
	return 0;
}

int api_me_totp_confirm(struct srv_req *r)
{
	static const char *const fields[] = {"code", NULL};
	struct mrm_error err;
	const char *code;
	json_t *b = body_strings(r, fields, 1, &code);

	if (!b)
		return 0;
	if (mrm_totp_confirm(r->st, r->who.user_id, code, &err))
		srv_error(r, 400,
			  err.code == MRM_ERR_INVALID ? "totp_invalid"
						      : "invalid",
			  "code", "%s", err.msg);
	else
		srv_json(r, 200, json_pack("{s:b}", "totp", 1));
	json_decref(b);
	return 0;
}

int api_me_password(struct srv_req *r)
{
	static const char *const fields[] = {"old_password", "password", NULL};
	const char *v[2];
	struct mrm_error err;
	json_t *b = body_strings(r, fields, 2, v);

	if (!b)
		return 0;
	/* the session that asked goes on; every other one ends */
	if (mrm_user_change_password(r->st, &r->who, v[0], v[1],
				     r->via_cookie ? r->session : NULL, &err)) {
		account_fail(r, &err);
	} else {
		forget_actors(r);
		srv_send_static(r, 204, NULL, "", 0);
	}
	json_decref(b);
	return 0;
}

int api_me_sessions_delete(struct srv_req *r)
{
	struct mrm_error err;
	int ended = 0;

	if (mrm_user_revoke(r->st, r->who.user_id, NULL, &ended, &err))
		return srv_fail(r, &err);
	forget_actors(r);
	srv_json(r, 200, json_pack("{s:i}", "ended", ended));
	if (r->via_cookie)
		srv_header(r, "Set-Cookie",
			   r->srv->tls ? CLEAR_COOKIE "; Secure"
				       : CLEAR_COOKIE);
	return 0;
}

/* The organisation of user `id`; -1 when it answered (404 or 500). */
static int user_org(struct srv_req *r, int64_t id, int64_t *org)
{
	sqlite3_stmt *s = mrm_store_prepare(
		r->st, "SELECT org_id FROM user WHERE id = ?");
	struct mrm_error err;
	int step;

	if (!s) {
		mrm_store_fail(r->st, &err, "users");
		srv_fail(r, &err);
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*org = sqlite3_column_int64(s, 0);
	else if (step == SQLITE_DONE)
		srv_error(r, 404, "not-found", "id", "no user with id %lld",
			  (long long)id);
	else
		srv_fail(r, (mrm_store_fail(r->st, &err, "users"), &err));
	sqlite3_reset(s);
	return step == SQLITE_ROW ? 0 : -1;
}

/*
 * The user {id} of the request, which the actor administers: an
 * administrator (before anything about the user is said) of the user's
 * own organisation. -1 when it answered.
 */
static int admin_target(struct srv_req *r, const char *verb, int64_t *id)
{
	int64_t org = 0;
	char *end;

	if (api_allow(r, MRM_ACT_ADMIN, 0))
		return -1;
	errno = 0;
	*id = strtoll(r->args[0], &end, 10);
	if (errno || *end || *id < 1 || *r->args[0] < '0' || *r->args[0] > '9')
		return srv_error(r, 400, "invalid", "id",
				 "must be a user id (a whole number)"),
		       -1;
	if (user_org(r, *id, &org))
		return -1;
	if (org != r->who.org_id)
		return srv_error(r, 403, "access", NULL,
				 "user #%lld belongs to another organisation:"
				 " its own administrators %s",
				 (long long)*id, verb),
		       -1;
	return 0;
}

int api_user_revoke(struct srv_req *r)
{
	struct mrm_error err;
	int64_t id;
	int ended = 0;

	if (admin_target(r, "revoke its sessions", &id))
		return 0;
	if (mrm_user_revoke(r->st, id, NULL, &ended, &err))
		return srv_fail(r, &err);
	forget_actors(r);
	return srv_json(r, 200, json_pack("{s:i}", "ended", ended));
}

static int user_disable(struct srv_req *r, int disabled)
{
	struct mrm_error err;
	int64_t id;

	if (admin_target(r, disabled ? "disable it" : "enable it", &id))
		return 0;
	/* the last way in for this organisation's administration */
	if (disabled && id == r->who.user_id)
		return srv_error(r, 400, "invalid", "id",
				 "you cannot disable your own account (ask "
				 "another administrator)");
	if (mrm_user_disable(r->st, id, disabled, &err))
		return srv_fail(r, &err);
	forget_actors(r);
	return srv_json(r, 200,
			json_pack("{s:I, s:b}", "id", (json_int_t)id,
				  "disabled", disabled));
}

int api_user_disable(struct srv_req *r)
{
	return user_disable(r, 1);
}

int api_user_enable(struct srv_req *r)
{
	return user_disable(r, 0);
}

int api_me_totp_delete(struct srv_req *r)
{
	struct mrm_error err;
	/* as for enrolling: the password again, not just the session */
	json_t *b = password_again(r);

	if (!b)
		return 0;
	if (mrm_totp_off(r->st, r->who.user_id, &err))
		srv_fail(r, &err);
	else
		srv_json(r, 200, json_pack("{s:b}", "totp", 0));
	json_decref(b);
	return 0;
}
