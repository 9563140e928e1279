/* api_persons.c - /api/v1/persons: victims, identities when asked for
 * (identities=1) by those who may read them */
#include "api.h"

#include "mrm/events.h"

static int add_person(void *ctx, json_t *person)
{
	return json_array_append(ctx, person) ? MRM_ERR_NOMEM : 0;
}

int api_persons_list(struct srv_req *r)
{
	json_t *items = json_array();
	struct mrm_error err;
	int64_t cursor, next = 0;
	unsigned limit;
	int ask;

	if (!items || api_page(r, &limit, &cursor) ||
	    srv_arg_flag(r, "identities", &ask) ||
	    api_allow(r, MRM_ACT_READ_RECORDS, r->who.org_id)) {
		json_decref(items);
		return 0;
	}
	mrm_error_clear(&err);
	if (mrm_person_list(r->st, &r->who,
			    ask ? MRM_REVEAL_IDENTITIES : MRM_REVEAL_NONE,
			    cursor, limit, add_person, items, &next, &err)) {
		json_decref(items);
		if (!err.msg[0])
			mrm_error_set(&err, MRM_ERR_NOMEM, NULL,
				      "out of memory");
		return srv_fail(r, &err);
	}
	return api_send_page(r, items, next);
}
