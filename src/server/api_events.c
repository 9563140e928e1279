/* api_events.c - /api/v1/events, /api/v1/events/{id}, /api/v1/search */
#include "api.h"

#include "mrm/events.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

/* A string member, null when empty. */
static json_t *text(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static int add_brief(void *ctx, const struct mrm_event_brief *e)
{
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:o, s:o, s:o}", "id",
		(json_int_t)e->id, "key", e->key, "org", e->org, "title",
		e->title, "start_date", text(e->start_date), "start_precision",
		mrm_date_precision(e->start_date), "end_date",
		text(e->end_date), "end_precision",
		mrm_date_precision(e->end_date), "country", text(e->country),
		"admin1", text(e->admin1), "place", text(e->place));

	return !o || json_array_append_new(ctx, o) ? MRM_ERR_NOMEM : 0;
}

static int list(struct srv_req *r, const struct mrm_event_filter *f)
{
	json_t *items = json_array();
	struct mrm_error err;
	int64_t cursor, next = 0;
	unsigned limit;
	int rc;

	if (!items || api_page(r, &limit, &cursor) ||
	    api_allow(r, MRM_ACT_READ_RECORDS, r->who.org_id)) {
		json_decref(items);
		return 0;
	}
	mrm_error_clear(&err);
	rc = mrm_event_list(r->st, &r->who, f, cursor, limit, add_brief, items,
			    &next, &err);
	if (rc) {
		json_decref(items);
		if (rc == MRM_ERR_NOMEM && !err.msg[0])
			mrm_error_set(&err, rc, NULL, "out of memory");
		return srv_fail(r, &err);
	}
	return api_send_page(r, items, next);
}

static void filter_of(struct srv_req *r, struct mrm_event_filter *f)
{
	f->q = srv_arg(r, "q");
	f->country = srv_arg(r, "country");
	f->act_type = srv_arg(r, "act_type");
	f->from = srv_arg(r, "from");
	f->to = srv_arg(r, "to");
}

int api_events_list(struct srv_req *r)
{
	struct mrm_event_filter f;

	filter_of(r, &f);
	return list(r, &f);
}

/* The events list with text to find required. */
int api_search(struct srv_req *r)
{
	struct mrm_event_filter f;

	filter_of(r, &f);
	if (!f.q || !*f.q)
		return srv_error(r, 400, "invalid", "q",
				 "give some text to search for");
	return list(r, &f);
}

/* MRM-Identities: whether the answer holds the event's names, contacts and
 * health ("included"), would on asking with identities=1 ("withheld"), or
 * never for this user ("none"). */
int api_event_get(struct srv_req *r)
{
	struct mrm_buf text = MRM_BUF_INIT((size_t)1 << 30);
	struct mrm_error err;
	char *end, *answer;
	long long id;
	int ask, may = 0;
	size_t len;

	errno = 0;
	id = strtoll(r->args[0], &end, 10);
	if (errno || *end || id < 1 || *r->args[0] < '0' || *r->args[0] > '9')
		return srv_error(r, 400, "invalid", "id",
				 "an event id is a whole number above 0");
	if (srv_arg_flag(r, "identities", &ask))
		return 0;
	/* written as text straight away: no JSON objects in between */
	if (mrm_event_visible_text(r->st, &r->who, id,
				   ask ? MRM_REVEAL_IDENTITIES
				       : MRM_REVEAL_NONE,
				   &may, &text, &err)) {
		mrm_buf_release(&text);
		return srv_fail(r, &err);
	}
	len = text.len;
	answer = mrm_buf_detach(&text);
	if (!answer)
		return srv_error(r, 500, "out-of-memory", NULL,
				 "out of memory");
	srv_send(r, 200, "application/json", answer, len);
	srv_header(r, "MRM-Identities",
		   !may	 ? "none"
		   : ask ? "included"
			 : "withheld");
	return 0;
}

int api_event_create(struct srv_req *r)
{
	char where[64];
	struct mrm_error err;
	int64_t id = 0;
	json_t *b;
	int rc;

	if (api_allow(r, MRM_ACT_WRITE_RECORDS, r->who.org_id) ||
	    !(b = srv_body_object(r, NULL)))
		return 0;
	rc = mrm_event_create_json(r->st, &r->who, b, &id, &err);
	json_decref(b);
	if (rc)
		return srv_fail(r, &err);
	srv_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
	snprintf(where, sizeof(where), "/api/v1/events/%" PRId64, id);
	srv_header(r, "Location", where);
	return 0;
}
