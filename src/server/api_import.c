/* api_import.c - POST /api/v1/import: CSV of events, or (what=wages,
 * what=recruitment) of wage records or recruitment costs; all or nothing */
#include "api.h"

#include "mrm/events.h"
#include "mrm/linkage.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define UPLOAD_NAME  "upload.csv"
#define PROBLEMS_MAX 50

/* The problems, as the import finds them (from its reader thread too). */
struct problems {
	pthread_mutex_t mu;
	json_t *list;
};

static void on_problem(void *ctx, const struct mrm_error *e)
{
	struct problems *p = ctx;

	pthread_mutex_lock(&p->mu);
	json_array_append_new(p->list, json_pack("{s:s, s:s}", "where",
						 e->where, "message", e->msg));
	pthread_mutex_unlock(&p->mu);
}

static json_t *stats_json(const struct mrm_import_stats *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "rows",
			 (json_int_t)s->rows, "events", (json_int_t)s->events,
			 "events_existing", (json_int_t)s->events_existing,
			 "acts", (json_int_t)s->acts, "persons",
			 (json_int_t)s->persons, "sources",
			 (json_int_t)s->sources, "interventions",
			 (json_int_t)s->interventions);
}

/* The import did not land because of what the file holds: 422. */
static int refused(struct srv_req *r, struct problems *p,
		   const struct mrm_error *err)
{
	json_t *doc;

	if (!json_array_size(p->list))
		on_problem(p, err);
	doc = srv_error_json("invalid", NULL, err->msg);
	if (doc)
		json_object_set(doc, "problems", p->list);
	return srv_json(r, 422, doc);
}

/* Wage records or recruitment costs: {"stats": {"wage_records": N}} or
 * {"stats": {"recruitment_costs": N}}. */
static int import_labour(struct srv_req *r, FILE *fp, const char *what,
			 const struct mrm_import_opts *o, struct mrm_error *err,
			 json_t **stats)
{
	unsigned long added = 0;
	int rc = mrm_event_import_labour_csv(r->st, &r->who, fp, UPLOAD_NAME,
					     what, o, &added, err);

	if (!rc)
		*stats = json_pack("{s:I}",
				   !strcmp(what, "wages") ? "wage_records"
							  : "recruitment_costs",
				   (json_int_t)added);
	return rc;
}

int api_import(struct srv_req *r)
{
	struct problems p = {PTHREAD_MUTEX_INITIALIZER, json_array()};
	struct mrm_import_opts o = {.max_errors = PROBLEMS_MAX};
	const char *mapping = srv_arg(r, "mapping"), *what = srv_arg(r, "what");
	struct mrm_import_stats stats;
	struct mrm_error err;
	json_t *figures = NULL;
	FILE *fp = NULL;
	int rc, events = !what || !*what || !strcmp(what, "events");

	if (!p.list || api_allow(r, MRM_ACT_WRITE_RECORDS, r->who.org_id))
		goto out;
	if (!events && strcmp(what, "wages") && strcmp(what, "recruitment")) {
		srv_error(r, 400, "invalid", "what",
			  "what must be events, wages or recruitment");
		goto out;
	}
	if (!events && mapping && *mapping) {
		srv_error(r, 400, "invalid", "mapping",
			  "a mapping reads events only");
		goto out;
	}
	if (!srv_content_type_is(r, "text/csv")) {
		srv_error(r, 415, "media-type", NULL,
			  "send the CSV as Content-Type: text/csv");
		goto out;
	}
	if (!r->body.len) {
		srv_error(r, 400, "invalid", NULL,
			  "the body is empty: send the CSV file");
		goto out;
	}
	fp = fmemopen(r->body.ptr, r->body.len, "r");
	if (!fp) {
		srv_error(r, 500, "internal", NULL, "out of memory");
		goto out;
	}
	o.on_error = on_problem;
	o.ctx = &p;
	if (!events) {
		rc = import_labour(r, fp, what, &o, &err, &figures);
	} else {
		rc = mrm_event_import_csv(r->st, &r->who, fp, UPLOAD_NAME,
					  mapping && *mapping ? mapping : NULL,
					  &o, &stats, &err);
		/* with a network linkage key: the new persons' values */
		if (!rc)
			rc = mrm_linkage_after_import(r->st, NULL, &err);
		if (!rc)
			figures = stats_json(&stats);
	}
	if (!rc)
		srv_json(r, 200, json_pack("{s:o}", "stats", figures));
	else if (rc == MRM_ERR_INVALID && strcmp(err.where, "mapping"))
		refused(r, &p, &err);
	else
		srv_fail(r, &err);
out:
	if (fp)
		fclose(fp);
	json_decref(p.list);
	pthread_mutex_destroy(&p.mu);
	return 0;
}
