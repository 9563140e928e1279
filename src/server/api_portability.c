/* api_portability.c - POST /api/v1/portability: the JSON of mrm portability */
#include "api.h"

#include "mrm/portability.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Member `name` of period `p` as text into `buf` (numbers allowed for the
 * wage); NULL when absent or null; -1 in *bad when of another type. */
static const char *member(json_t *p, const char *name, char *buf, size_t size,
			  int *bad)
{
	json_t *v = json_object_get(p, name);

	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v) && !strcmp(name, "wage")) {
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	*bad = 1;
	return NULL;
}

/* Wages given as numbers, as text: they must live as long as the input. */
typedef char wage_text[MRM_PORT_PERIODS_MAX][32];

static int read_periods(struct srv_req *r, json_t *arr,
			struct mrm_port_input *in, wage_text wages)
{
	size_t i;
	json_t *p;

	if (!json_is_array(arr) || !json_array_size(arr))
		return srv_error(r, 400, "invalid", "periods",
				 "an array of at least one period {country, "
				 "from, to, wage[, currency, scheme]}"),
		       -1;
	if (json_array_size(arr) > MRM_PORT_PERIODS_MAX)
		return srv_error(r, 400, "limit", "periods", "at most %d",
				 MRM_PORT_PERIODS_MAX),
		       -1;
	json_array_foreach(arr, i, p)
	{
		struct mrm_port_period *q = &in->periods[i];
		int bad = !json_is_object(p);

		q->country = member(p, "country", NULL, 0, &bad);
		q->from = member(p, "from", NULL, 0, &bad);
		q->to = member(p, "to", NULL, 0, &bad);
		q->wage = member(p, "wage", wages[i], sizeof(wages[i]), &bad);
		q->currency = member(p, "currency", NULL, 0, &bad);
		q->scheme = member(p, "scheme", NULL, 0, &bad);
		if (bad || !q->country || !q->from || !q->to || !q->wage)
			return srv_error(r, 400, "invalid", "periods",
					 "period %zu: country, from and to "
					 "(YYYY-MM) and wage are required "
					 "strings (wage may be a number)",
					 i + 1),
			       -1;
	}
	in->nperiods = json_array_size(arr);
	return 0;
}

static int read_switches(struct srv_req *r, json_t *sw,
			 struct mrm_port_input *in)
{
	struct mrm_error err;
	const char *name;
	json_t *v;

	if (!sw || json_is_null(sw))
		return 0;
	if (!json_is_object(sw))
		return srv_error(r, 400, "invalid", "switches",
				 "an object of NAME: true|false"),
		       -1;
	json_object_foreach(sw, name, v)
	{
		if (!json_is_boolean(v))
			return srv_error(r, 400, "invalid", "switches",
					 "%.64s must be true or false", name),
			       -1;
		if (mrm_port_input_switch(in, name,
					  json_is_true(v) ? "on" : "off", &err))
			return srv_error(r, 400, "invalid", "switches", "%s",
					 err.msg),
			       -1;
	}
	return 0;
}

int api_portability(struct srv_req *r)
{
	static const char *const fields[] = {"periods", "birth_year",
					     "claim_date", "switches", NULL};
	struct mrm_port_input in;
	wage_text wages;
	struct mrm_port_result *res = NULL;
	struct mrm_error err;
	json_t *b, *by, *cd;

	if (!(b = srv_body_object(r, fields)))
		return 0;
	mrm_port_input_init(&in);
	by = json_object_get(b, "birth_year");
	cd = json_object_get(b, "claim_date");
	if (by && !json_is_null(by) && !json_is_integer(by)) {
		srv_error(r, 400, "invalid", "birth_year", "a year, e.g. 1975");
		goto out;
	}
	if (cd && !json_is_null(cd) && !json_is_string(cd)) {
		srv_error(r, 400, "invalid", "claim_date",
			  "a date YYYY-MM-DD or YYYY-MM");
		goto out;
	}
	in.birth_year = by ? (int)json_integer_value(by) : 0;
	if (by && (in.birth_year < 1900 || in.birth_year > 2199)) {
		srv_error(r, 400, "invalid", "birth_year", "a year, e.g. 1975");
		goto out;
	}
	in.claim_date = cd ? json_string_value(cd) : NULL;
	if (read_periods(r, json_object_get(b, "periods"), &in, wages) ||
	    read_switches(r, json_object_get(b, "switches"), &in))
		goto out;
	if (mrm_port_compute(&in, &res, &err))
		srv_fail(r, &err);
	else
		srv_json(r, 200, mrm_port_json(res));
out:
	free(res);
	json_decref(b);
	return 0;
}
