/* api.c - what the API handlers share: pages, access, the actor */
#include "api.h"

#include "mrm/events.h"

#include <inttypes.h>
#include <string.h>

int api_page(struct srv_req *r, unsigned *limit, int64_t *cursor)
{
	long n;

	if (srv_arg_int(r, "limit", 1, MRM_LIST_LIMIT_MAX, 50, &n) ||
	    srv_arg_cursor(r, cursor))
		return -1;
	*limit = (unsigned)n;
	return 0;
}

int api_send_page(struct srv_req *r, json_t *items, int64_t next)
{
	char cursor[32];

	snprintf(cursor, sizeof(cursor), "%" PRId64, next);
	return srv_json(r, 200,
			json_pack("{s:o, s:o}", "items", items, "next_cursor",
				  next ? json_string(cursor) : json_null()));
}

int api_strings(struct srv_req *r, json_t *b, const char *const *names,
		size_t n, const char *optional, const char **out)
{
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_object_get(b, names[i]);
		int may_lack = optional && !strcmp(optional, names[i]);

		out[i] = json_string_value(m);
		if (out[i] || (may_lack && (!m || json_is_null(m))))
			continue;
		srv_error(r, 400, "invalid", names[i],
			  "is required (a string)");
		return -1;
	}
	return 0;
}

int api_allow(struct srv_req *r, enum mrm_action action, int64_t org_id)
{
	struct mrm_error e;

	if (!mrm_access_check(r->st, &r->who, action, org_id, 0, &e))
		return 0;
	srv_fail(r, &e);
	return -1;
}
