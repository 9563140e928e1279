/* api_orgs.c - /api/v1/organisations */
#include "api.h"

#include "mrm/org.h"

static int add_org(void *ctx, const struct mrm_org *o)
{
	json_t *v = json_pack("{s:s, s:s, s:s, s:s?}", "code", o->code, "name",
			      o->name, "country", o->country, "kind",
			      o->kind && *o->kind ? o->kind : NULL);

	return !v || json_array_append_new(ctx, v) ? MRM_ERR_NOMEM : 0;
}

int api_orgs_list(struct srv_req *r)
{
	json_t *items = json_array();
	struct mrm_error err;
	int rc;

	mrm_error_clear(&err);
	rc = items ? mrm_org_each(r->st, add_org, items, &err) : MRM_ERR_NOMEM;
	if (rc) {
		json_decref(items);
		err.code = rc;
		return srv_fail(r, &err);
	}
	return srv_json(r, 200, json_pack("{s:o}", "items", items));
}

int api_org_add(struct srv_req *r)
{
	static const char *const fields[] = {"code", "name", "country", NULL};
	const char *v[3];
	struct mrm_error err;
	json_t *b;

	if (api_allow(r, MRM_ACT_ADMIN, 0) || !(b = srv_body_object(r, fields)))
		return 0;
	if (api_strings(r, b, fields, 3, NULL, v))
		goto out;
	if (mrm_org_add(r->st, v[0], v[1], v[2], &err))
		srv_fail(r, &err);
	else
		srv_json(r, 201, json_pack("{s:s}", "code", v[0]));
out:
	json_decref(b);
	return 0;
}
