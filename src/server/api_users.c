/* api_users.c - /api/v1/users */
#include "api.h"

#include "mrm/org.h"

#include <string.h>

struct users {
	struct srv_req *r;
	json_t *items;
};

/* Users of organisations the actor administers. */
static int add_user(void *ctx, const struct mrm_user *u)
{
	struct users *us = ctx;
	int64_t org = 0;
	json_t *v;
	int rc = mrm_org_id(us->r->st, u->org, &org, NULL);

	if (rc)
		return rc;
	rc = mrm_access_check(us->r->st, &us->r->who, MRM_ACT_ADMIN, org, 0,
			      NULL);
	if (rc)
		return rc == MRM_ERR_ACCESS ? 0 : rc;
	v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b}", "id",
		      (json_int_t)u->id, "login", u->login, "org", u->org,
		      "role", u->role, "created", u->created, "disabled",
		      u->disabled, "totp", u->totp);
	return !v || json_array_append_new(us->items, v) ? MRM_ERR_NOMEM : 0;
}

int api_users_list(struct srv_req *r)
{
	struct users us = {r, json_array()};
	struct mrm_error err;
	int rc;

	if (!us.items || api_allow(r, MRM_ACT_ADMIN, r->who.org_id)) {
		json_decref(us.items);
		return 0;
	}
	mrm_error_clear(&err);
	rc = mrm_user_each(r->st, add_user, &us, &err);
	if (rc) {
		json_decref(us.items);
		if (!err.msg[0])
			mrm_error_set(&err, rc, NULL, "listing users failed");
		return srv_fail(r, &err);
	}
	return srv_json(r, 200, json_pack("{s:o}", "items", us.items));
}

/* The id of organisation `code` named in a body; -1 when it answered. */
static int body_org(struct srv_req *r, const char *code, int64_t *org)
{
	struct mrm_error err;

	if (!mrm_org_id(r->st, code, org, &err))
		return 0;
	if (err.code == MRM_ERR_NOTFOUND)
		srv_error(r, 400, "invalid", "org", "%s", err.msg);
	else
		srv_fail(r, &err);
	return -1;
}

int api_user_add(struct srv_req *r)
{
	static const char *const fields[] = {"login", "role", "password", "org",
					     NULL};
	const char *v[4];
	struct mrm_error err;
	int64_t org = 0;
	json_t *b = srv_body_object(r, fields);

	if (!b)
		return 0;
	if (api_strings(r, b, fields, 4, "org", v))
		goto out;
	if (!v[3])
		v[3] = r->who.org; /* the administrator's own */
	/* administrators only, before anything about organisations is said */
	if (api_allow(r, MRM_ACT_ADMIN, 0) || body_org(r, v[3], &org) ||
	    api_allow(r, MRM_ACT_ADMIN, org))
		goto out;
	if (mrm_user_add(r->st, v[3], v[0], v[1], v[2], &err))
		srv_fail(r, &err);
	else
		srv_json(r, 201, json_pack("{s:s}", "login", v[0]));
out:
	json_decref(b);
	return 0;
}
