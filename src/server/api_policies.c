/* api_policies.c - /api/v1/policies and the policy links of an event */
#include "api.h"

#include "mrm/events.h"
#include "mrm/policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The policy-impact report is a self-contained page, as the reports are
 * (api_reports.c): inline style only, no scripts. */
#define IMPACT_CSP                                                             \
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "       \
	"frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

static int add_policy(void *ctx, const struct mrm_policy *p)
{
	json_t *o = mrm_policy_json(p);

	return !o || json_array_append_new(ctx, o) ? MRM_ERR_NOMEM : 0;
}

int api_policies_list(struct srv_req *r)
{
	const char *country = srv_arg(r, "country");
	json_t *items = json_array();
	struct mrm_error err;
	int rc;

	mrm_error_clear(&err);
	rc = items ? mrm_policy_each(r->st,
				     country && *country ? country : NULL,
				     add_policy, items, &err)
		   : MRM_ERR_NOMEM;
	if (rc) {
		json_decref(items);
		err.code = rc;
		return srv_fail(r, &err);
	}
	return srv_json(r, 200, json_pack("{s:o}", "items", items));
}

static int add_event(void *ctx, int64_t id)
{
	return json_array_append_new(ctx, json_integer(id)) ? MRM_ERR_NOMEM : 0;
}

int api_policy_get(struct srv_req *r)
{
	json_t *items = json_array(), *events = json_array();
	struct mrm_error err;
	int rc;

	mrm_error_clear(&err);
	rc = items && events ? mrm_policy_find(r->st, r->args[0], add_policy,
					       items, &err)
			     : MRM_ERR_NOMEM;
	/* the events linked to it that the asker may read */
	if (!rc)
		rc = mrm_policy_events(r->st, &r->who, r->args[0], add_event,
				       events, &err);
	if (!rc)
		rc = json_object_set(json_array_get(items, 0), "events", events)
			     ? MRM_ERR_NOMEM
			     : 0;
	if (rc) {
		json_decref(items);
		json_decref(events);
		err.code = rc;
		return srv_fail(r, &err);
	}
	srv_json(r, 200, json_incref(json_array_get(items, 0)));
	json_decref(items);
	json_decref(events);
	return 0;
}

int api_policy_add(struct srv_req *r)
{
	static const char *const fields[] = {
		"key",	   "country",	 "instrument",	   "title",
		"summary", "adopted",	 "effective_from", "effective_to",
		"source",  "source_url", "note",	   "estimate",
		NULL};
	const char *v[11];
	struct mrm_policy p;
	struct mrm_error err;
	json_t *b = srv_body_object(r, fields);

	if (!b)
		return 0;
	for (size_t i = 0; i < 11; i++) {
		json_t *m = json_object_get(b, fields[i]);

		v[i] = json_string_value(m);
		if (m && !json_is_null(m) && !v[i]) {
			srv_error(r, 400, "invalid", fields[i],
				  "must be a "
				  "string");
			goto out;
		}
	}
	p = (struct mrm_policy){
		.key = v[0],
		.country = v[1],
		.instrument = v[2],
		.title = v[3],
		.summary = v[4],
		.adopted = v[5],
		.effective_from = v[6],
		.effective_to = v[7],
		.source = v[8],
		.source_url = v[9],
		.note = v[10],
		.estimate = json_is_true(json_object_get(b, "estimate"))};
	if (mrm_policy_add(r->st, &r->who, &p, &err))
		srv_fail(r, &err);
	else
		srv_json(r, 201, json_pack("{s:s}", "key", p.key));
out:
	json_decref(b);
	return 0;
}

/*
 * The event of the path, when the asker may read it. Another
 * organisation's event is answered like a missing one, as GET
 * /api/v1/events/{id} does; 0, or -1 when it answered.
 */
static int readable_event(struct srv_req *r, int64_t *id)
{
	struct mrm_error err;
	json_t *ev = NULL;
	char *end;
	long long n;

	errno = 0;
	n = strtoll(r->args[0], &end, 10);
	if (errno || *end || n < 1 || *r->args[0] < '0' || *r->args[0] > '9') {
		srv_error(r, 400, "invalid", "id",
			  "an event id is a whole number above 0");
		return -1;
	}
	if (mrm_event_visible_json(r->st, &r->who, n, MRM_REVEAL_NONE, NULL,
				   &ev, &err)) {
		srv_fail(r, &err);
		return -1;
	}
	json_decref(ev);
	*id = n;
	return 0;
}

static int send_links(struct srv_req *r, unsigned status, int64_t id)
{
	json_t *keys = mrm_policy_event_keys(r->st, id);

	if (!keys)
		return srv_error(r, 500, "internal", NULL, "policy links");
	return srv_json(r, status,
			json_pack("{s:I, s:o}", "event", (json_int_t)id,
				  "policies", keys));
}

int api_event_policies(struct srv_req *r)
{
	int64_t id;

	if (readable_event(r, &id))
		return 0;
	return send_links(r, 200, id);
}

int api_event_policy_link(struct srv_req *r)
{
	static const char *const fields[] = {"policy", NULL};
	struct mrm_error err;
	const char *key;
	int64_t id;
	json_t *b;

	if (readable_event(r, &id) || !(b = srv_body_object(r, fields)))
		return 0;
	if (!api_strings(r, b, fields, 1, NULL, &key)) {
		if (mrm_policy_link(r->st, &r->who, id, key, &err))
			srv_fail(r, &err);
		else
			send_links(r, 201, id);
	}
	json_decref(b);
	return 0;
}

static int exists(void *ctx, const struct mrm_policy *p)
{
	(void)ctx;
	(void)p;
	return 0;
}

static int linked(struct mrm_store *st, int64_t id, const char *key)
{
	json_t *keys = mrm_policy_event_keys(st, id), *k;
	size_t i;
	int found = 0;

	json_array_foreach(keys, i, k) found |=
		!strcmp(json_string_value(k), key);
	json_decref(keys);
	return found;
}

int api_event_policy_unlink(struct srv_req *r)
{
	struct mrm_error err;
	int64_t id;

	if (readable_event(r, &id))
		return 0;
	/* DELETE is idempotent: a link that is not there is gone already
	 * (an unknown policy is still 404) */
	if (!linked(r->st, id, r->args[1])) {
		if (mrm_policy_find(r->st, r->args[1], exists, NULL, &err))
			return srv_fail(r, &err);
		return send_links(r, 200, id);
	}
	if (mrm_policy_unlink(r->st, &r->who, id, r->args[1], &err))
		return srv_fail(r, &err);
	return send_links(r, 200, id);
}

int api_policy_impact(struct srv_req *r)
{
	struct mrm_policy_impact_opts o = {.key = r->args[0]};
	struct mrm_policy_impact *res = NULL;
	struct mrm_buf html = MRM_BUF_INIT((size_t)8 << 20);
	const char *format = srv_arg(r, "format");
	struct mrm_error err;
	long window, k;
	int rc, as_html = format && !strcmp(format, "html");

	if (format && *format && !as_html && strcmp(format, "json"))
		return srv_error(r, 400, "invalid", "format",
				 "format is json or html");
	o.at = srv_arg(r, "at");
	o.by = srv_arg(r, "by");
	o.country = srv_arg(r, "country");
	o.at = o.at && *o.at ? o.at : NULL;
	o.by = o.by && *o.by ? o.by : NULL;
	o.country = o.country && *o.country ? o.country : NULL;
	if (srv_arg_int(r, "window", 1, MRM_POLICY_WINDOW_MAX, 12, &window) ||
	    srv_arg_flag(r, "public", &o.public) ||
	    srv_arg_int(r, "k", 2, 1000, 0, &k) ||
	    api_allow(r, o.public ? MRM_ACT_STATS_PUBLIC : MRM_ACT_STATS, 0))
		return 0;
	o.window = (unsigned)window;
	o.k = (unsigned)k;
	/* one statistics query at a time, as GET /api/v1/stats */
	pthread_mutex_lock(&r->srv->stats_mu);
	rc = mrm_policy_impact(r->st, &o, &res, &err);
	pthread_mutex_unlock(&r->srv->stats_mu);
	if (rc)
		return srv_fail(r, &err);
	if (!as_html) {
		srv_json(r, 200, mrm_policy_impact_json(res));
	} else if (mrm_policy_impact_html(r->st, res, srv_arg(r, "lang"), &html,
					  &err)) {
		srv_fail(r, &err);
	} else {
		size_t len = html.len;

		r->csp = IMPACT_CSP;
		srv_send(r, 200, "text/html; charset=utf-8",
			 mrm_buf_detach(&html), len);
	}
	mrm_buf_release(&html);
	mrm_policy_impact_free(res);
	return 0;
}
