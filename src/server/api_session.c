/* api_session.c - logging in and out: POST/DELETE /api/v1/session, GET
 * /api/v1/me */
#include "api.h"

#include <sodium.h>
#include <stdio.h>

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
	static const char *const fields[] = {"login", "password", NULL};
	char session[MRM_TOKEN_HEX + 1], csrf[MRM_TOKEN_HEX + 1];
	char cookie[MRM_TOKEN_HEX + 128];
	json_t *b = srv_body_object(r, fields);
	const char *login, *password;
	struct mrm_actor who;
	struct mrm_error err;
	int rc;

	if (!b)
		return 0;
	login = string_member(r, b, "login");
	password = login ? string_member(r, b, "password") : NULL;
	if (!password)
		goto out;
	rc = mrm_auth_login(r->st, login, password, r->client, session, csrf,
			    &who, &err);
	if (rc == MRM_ERR_ACCESS)
		srv_error(r, 401, "login", NULL, "%s", err.msg);
	else if (rc == MRM_ERR_LIMIT)
		srv_error(r, 429, "limit", NULL, "%s", err.msg);
	else if (rc)
		srv_fail(r, &err);
	if (rc)
		goto out;
	snprintf(cookie, sizeof(cookie),
		 "mrm_session=%s; " COOKIE_ATTRS "; Max-Age=%d%s", session,
		 MRM_SESSION_SECONDS, r->srv->tls ? "; Secure" : "");
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
	return srv_json(r, 200, user_json(&r->who));
}
