/* api_audit.c - /api/v1/audit: the audit log, for administrators */
#include "api.h"

#include "mrm/audit.h"

#include <errno.h>
#include <stdlib.h>

static int add_entry(void *ctx, json_t *entry)
{
	return json_array_append(ctx, entry) ? MRM_ERR_NOMEM : 0;
}

/* ?record=ID into f->record; -1 when it answered 400. */
static int record_arg(struct srv_req *r, struct mrm_audit_filter *f)
{
	const char *s = srv_arg(r, "record");
	char *end;
	long long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 1) {
		srv_error(r, 400, "invalid", "record",
			  "give a record id (a positive number)");
		return -1;
	}
	f->record = v;
	return 0;
}

int api_audit_list(struct srv_req *r)
{
	struct mrm_audit_filter f = {
		.since = srv_arg(r, "since"),
		.until = srv_arg(r, "until"),
		.user = srv_arg(r, "user"),
		.table = srv_arg(r, "table"),
		.action = srv_arg(r, "action"),
	};
	json_t *items = json_array();
	struct mrm_error err;
	int64_t cursor, next = 0;
	unsigned limit;

	if (!items || api_allow(r, MRM_ACT_ADMIN, 0) ||
	    api_page(r, &limit, &cursor) || record_arg(r, &f)) {
		json_decref(items);
		return items ? 0
			     : srv_error(r, 500, "internal", NULL,
					 "out of memory");
	}
	mrm_error_clear(&err);
	if (mrm_audit_list(r->st, &f, cursor, limit, add_entry, items, &next,
			   &err)) {
		json_decref(items);
		if (!err.msg[0])
			mrm_error_set(&err, MRM_ERR_NOMEM, NULL,
				      "out of memory");
		return srv_fail(r, &err);
	}
	return api_send_page(r, items, next);
}
