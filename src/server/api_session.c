/* api_session.c - logging in and out: POST/DELETE /api/v1/session, GET
 * /api/v1/me */
#include "api.h"

#include "mrm/account.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define COOKIE_ATTRS "HttpOnly; SameSite=Strict; Path=/"

static json_t *user_json(const struct mrm_actor *who)
{
	return json_pack("{s:s, s:s, s:s}", "login", who->login, "org",
			 who->org, "role", mrm_role_name(who->role));
}

static const char *string_member(struct srv_req *r, json_t *b, const char *name)
{
	const char *v = json_string_value(json_object_get(b, name));

	if (!v || !*v)
		srv_error(r, 400, "invalid", name, "is required (a string)");
	return v && *v ? v : NULL;
}

int api_session_create(struct srv_req *r)
{
	static const char *const fields[] = {"login", "password", "totp", NULL};
	char session[MRM_TOKEN_HEX + 1], csrf[MRM_TOKEN_HEX + 1];
	char cookie[MRM_TOKEN_HEX + 128];
	json_t *b = srv_body_object(r, fields);
	const char *login, *password;
	struct mrm_login l = {0};
	json_t *totp;
	struct mrm_actor who;
	struct mrm_error err;
	int rc;

	if (!b)
		return 0;
	login = string_member(r, b, "login");
	password = login ? string_member(r, b, "password") : NULL;
	if (!password)
		goto out;
	totp = json_object_get(b, "totp");
	if (totp && !json_is_string(totp)) {
		srv_error(r, 400, "invalid", "totp",
			  "is the 6-digit code as a string (\"123456\")");
		goto out;
	}
	l = (struct mrm_login){login, password, json_string_value(totp),
			       r->client, r->srv->o.session_max};
	rc = mrm_auth_login_with(r->st, &l, session, csrf, &who, &err);
	/* two-factor: say whether the code was missing or wrong, so that the
	 * browser asks for it (only after a right password) */
	if (rc == MRM_ERR_ACCESS && !strcmp(err.where, "totp"))
		srv_error(r, 401,
			  l.totp && *l.totp ? "totp_invalid" : "totp_required",
			  "totp", "%s", err.msg);
	else if (rc == MRM_ERR_ACCESS)
		srv_error(r, 401, "login", NULL, "%s", err.msg);
	else if (rc == MRM_ERR_LIMIT)
		srv_error(r, 429, "limit", NULL, "%s", err.msg);
	else if (rc)
		srv_fail(r, &err);
	if (rc)
		goto out;
	snprintf(cookie, sizeof(cookie),
		 "mrm_session=%s; " COOKIE_ATTRS "; Max-Age=%lld%s", session,
		 (long long)r->srv->o.session_max,
		 r->srv->tls ? "; Secure" : "");
	srv_json(
		r, 200,
		json_pack("{s:s, s:o}", "csrf", csrf, "user", user_json(&who)));
	srv_header(r, "Set-Cookie", cookie);
	sodium_memzero(session, sizeof(session));
	sodium_memzero(cookie, sizeof(cookie));
out:
	json_decref(b);
	return 0;
}

int api_session_delete(struct srv_req *r)
{
	struct mrm_error err;
	int rc;

	if (!r->via_cookie)
		return srv_error(r, 400, "invalid", NULL,
				 "there is no session to end: this request "
				 "did not come with the session cookie (API "
				 "tokens expire by themselves)");
	rc = mrm_auth_logout(r->st, r->session, &err);
	/* at once, not after the cache's few seconds */
	srv_auth_forget(&r->srv->auth, SRV_AUTH_SESSION, r->session);
	if (rc)
		return srv_fail(r, &err);
	srv_send_static(r, 204, NULL, "", 0);
	srv_header(r, "Set-Cookie",
		   r->srv->tls ? "mrm_session=; " COOKIE_ATTRS
				 "; Max-Age=0; Secure"
			       : "mrm_session=; " COOKIE_ATTRS "; Max-Age=0");
	return 0;
}

int api_me(struct srv_req *r)
{
	json_t *v = user_json(&r->who);
	struct mrm_error err;
	int on = 0, pending = 0;

	/* for the account page: is two-factor login on? */
	if (mrm_totp_status(r->st, r->who.user_id, &on, &pending, &err)) {
		json_decref(v);
		return srv_fail(r, &err);
	}
	if (v)
		json_object_set_new(v, "totp", json_boolean(on));
	return srv_json(r, 200, v);
}
