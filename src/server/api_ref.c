/* api_ref.c - /api/v1/ref and /api/v1/ref/{table}: the reference tables */
#include "api.h"

#include "mrm/ref.h"

#include <string.h>

/* The tables into *ref; -1 when it answered 500. */
static int load(struct srv_req *r, struct mrm_ref **ref)
{
	struct mrm_error err;

	if (mrm_ref_load(ref, &err)) {
		srv_fail(r, &err);
		return -1;
	}
	return 0;
}

int api_ref_list(struct srv_req *r)
{
	struct mrm_ref *ref;
	json_t *arr;

	if (load(r, &ref))
		return 0;
	arr = mrm_ref_tables_json(ref);
	mrm_ref_free(ref);
	return srv_json(r, 200, json_pack("{s:o?}", "tables", arr));
}

int api_ref_get(struct srv_req *r)
{
	const char *name = r->args[0], *country = srv_arg(r, "country"),
		   *on = srv_arg(r, "on");
	const struct mrm_ref_table *t;
	struct mrm_error err;
	struct mrm_ref *ref;
	json_t *rows, *cols;
	int rc;

	country = country && *country ? country : NULL;
	on = on && *on ? on : NULL;
	if (country && mrm_ref_check_country(country, &err))
		return srv_error(r, 400, "invalid", "country", "%s", err.msg);
	if (load(r, &ref))
		return 0;
	t = mrm_ref_find(ref, name);
	if (!t) {
		mrm_ref_free(ref);
		return srv_error(r, 404, "not-found", "table",
				 "no reference table \"%.64s\" (GET "
				 "/api/v1/ref lists them)",
				 name);
	}
	rows = mrm_ref_rows_json(t, country, on, &err);
	if (!rows) {
		mrm_ref_free(ref);
		return err.code == MRM_ERR_INVALID
			       ? srv_error(r, 400, "invalid", "on", "%s",
					   err.msg)
			       : srv_fail(r, &err);
	}
	cols = json_array();
	for (size_t c = 0; cols && c < t->ncols; c++)
		json_array_append_new(cols, json_string(t->cols[c]));
	rc = srv_json(r, 200,
		      json_pack("{s:s, s:s, s:o?, s:o}", "table", t->name,
				"file", t->path, "columns", cols, "rows",
				rows));
	mrm_ref_free(ref);
	return rc;
}
