/* api_wages.c - /api/v1/wages and /api/v1/recruitment: wage records with
 * what is owed, recruitment costs with their burden (docs/wages.md) */
#include "api.h"

#include "mrm/auth.h"
#include "mrm/ref.h"
#include "mrm/wages.h"

#include <limits.h>

struct walk {
	struct srv_req *r;
	const struct mrm_ref *ref;
	json_t *items;
	struct mrm_error *err;
};

static int add(struct walk *w, json_t *o)
{
	if (!o || json_array_append_new(w->items, o))
		return mrm_error_set(w->err, MRM_ERR_NOMEM, NULL,
				     "out of memory");
	return 0;
}

static int wage(void *ctx, const struct mrm_wage_record *rec)
{
	struct walk *w = ctx;
	struct mrm_wage_calc c;
	int rc = mrm_wage_compute(w->ref, rec, &c, w->err);

	return rc ? rc : add(w, mrm_wage_json(rec, &c));
}

static int cost(void *ctx, const struct mrm_recruitment_cost *rec)
{
	struct walk *w = ctx;
	struct mrm_burden b;
	int rc = mrm_burden_compute(w->r->st, w->ref, rec, &b, w->err);

	return rc ? rc : add(w, mrm_burden_json(rec, &b));
}

/* The records of ?event=ID (which the user may read: the organisation's
 * own, or shared with it), or of every event the user's organisation may
 * read. */
static int list(struct srv_req *r, int wages)
{
	struct mrm_error err;
	struct mrm_ref *ref = NULL;
	struct walk w = {r, NULL, NULL, &err};
	long event;
	int64_t org = r->who.org_id;
	int rc;

	if (srv_arg_int(r, "event", 1, LONG_MAX, 0, &event))
		return 0;
	if (event) {
		rc = mrm_event_owner(r->st, event, &org, &err);
		if (rc)
			return rc == MRM_ERR_NOTFOUND
				       ? srv_error(r, 404, "not-found", "event",
						   "no event %ld", event)
				       : srv_fail(r, &err);
	}
	if (mrm_access_check(r->st, &r->who, MRM_ACT_READ_RECORDS, org, event,
			     &err))
		return srv_fail(r, &err);
	if (mrm_ref_load(&ref, &err))
		return srv_fail(r, &err);
	w.ref = ref;
	w.items = json_array();
	if (!w.items)
		rc = mrm_error_set(&err, MRM_ERR_NOMEM, NULL, "out of memory");
	else if (event)
		rc = wages ? mrm_wages_each(r->st, event, 0, wage, &w, &err)
			   : mrm_recruitment_each(r->st, event, 0, cost, &w,
						  &err);
	else
		rc = wages ? mrm_wages_each_readable(r->st, org, wage, &w, &err)
			   : mrm_recruitment_each_readable(r->st, org, cost, &w,
							   &err);
	mrm_ref_free(ref);
	if (rc) {
		json_decref(w.items);
		return srv_fail(r, &err);
	}
	return srv_json(r, 200, json_pack("{s:o}", "items", w.items));
}

int api_wages_list(struct srv_req *r)
{
	return list(r, 1);
}

int api_recruitment_list(struct srv_req *r)
{
	return list(r, 0);
}
