/*
 * policy_impact.c - the "policy on the ground" comparison (see
 * include/mrm/policy.h): what was documented in the months before a
 * policy's date and in as many months from it, counted by the statistics
 * engine, shown as JSON or as an HTML page with a chart.
 */
#include "mrm/policy.h"

#include "mrm/stats.h"
#include "mrm/store.h"
#include "mrm/svg.h"
#include "mrm/vocab.h"
#include "policy_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPACT_HTML_MAX ((size_t)8 << 20)
#define ROWS_MAX	4096

enum { BEFORE, AFTER };
enum { M_ACTS, M_PERSONS };
static const char *const measures[] = {"acts", "persons"};

/* Strings the result owns: the policy's and the row codes. */
struct impact_priv {
	char **s;
	size_t n, cap;
};

static const char *own(struct mrm_policy_impact *r, const char *s)
{
	struct impact_priv *p = r->priv;
	char *copy;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		char **grown = realloc(p->s, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		p->s = grown;
		p->cap = cap;
	}
	copy = strdup(s ? s : "");
	if (copy)
		p->s[p->n++] = copy;
	return copy;
}

void mrm_policy_impact_free(struct mrm_policy_impact *r)
{
	struct impact_priv *p;

	if (!r)
		return;
	p = r->priv;
	for (size_t i = 0; p && i < p->n; i++)
		free(p->s[i]);
	if (p)
		free(p->s);
	free(p);
	free(r->rows);
	free(r);
}

static int copy_policy(void *ctx, const struct mrm_policy *in)
{
	struct mrm_policy_impact *r = ctx;
	struct mrm_policy *p = &r->policy, from = *in;
	const char **dst[POLICY_NTEXTS], **src[POLICY_NTEXTS];
	size_t n = policy_texts(p, dst);

	policy_texts(&from, src);
	p->id = in->id;
	p->estimate = in->estimate;
	p->shipped = in->shipped;
	for (size_t i = 0; i < n; i++)
		if (!(*dst[i] = own(r, *src[i])))
			return MRM_ERR_NOMEM;
	return 0;
}

/* ---- the windows ---- */

static int last_day(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

struct ymd {
	int y, m, d;
};

/* `n` months later (earlier when negative), the day kept within the
 * month. */
static struct ymd add_months(struct ymd a, int n)
{
	int months = a.y * 12 + (a.m - 1) + n;

	a.y = months / 12;
	a.m = months % 12 + 1;
	if (a.d > last_day(a.y, a.m))
		a.d = last_day(a.y, a.m);
	return a;
}

static struct ymd day_before(struct ymd a)
{
	if (--a.d > 0)
		return a;
	a = add_months((struct ymd){a.y, a.m, 1}, -1);
	a.d = last_day(a.y, a.m);
	return a;
}

static void ymd_text(struct ymd a, char out[11])
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", a.y, a.m, a.d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

/* The date the windows meet at, from `at` or the policy's dates. */
static int meeting_date(struct mrm_policy_impact *r, const char *at,
			struct ymd *out, struct mrm_error *err)
{
	const struct mrm_policy *p = &r->policy;
	const char *given = at			 ? at
			    : *p->effective_from ? p->effective_from
						 : p->adopted;
	const char *where = at ? "--at" : "policy";
	struct mrm_buf iso = MRM_BUF_INIT(64);
	int rc = policy_date(where, given, &iso, err);
	const char *s = mrm_buf_str(&iso);

	if (!rc && iso.len < 7)
		rc = mrm_error_set(err, MRM_ERR_INVALID, where,
				   "%s is dated to the year only (%s): give "
				   "the date to compare around with --at "
				   "YYYY-MM or YYYY-MM-DD",
				   at ? "--at" : p->key, s);
	if (!rc) {
		out->y = atoi(s);
		out->m = atoi(s + 5);
		out->d = iso.len >= 10 ? atoi(s + 8) : 1;
	}
	mrm_buf_release(&iso);
	return rc;
}

static int set_windows(struct mrm_policy_impact *r,
		       const struct mrm_policy_impact_opts *o,
		       struct mrm_error *err)
{
	struct ymd at;
	int n = (int)r->window;
	int rc = meeting_date(r, o->at, &at, err);

	if (rc)
		return rc;
	ymd_text(at, r->at);
	ymd_text(add_months(at, -n), r->from[BEFORE]);
	ymd_text(day_before(at), r->to[BEFORE]);
	ymd_text(at, r->from[AFTER]);
	ymd_text(day_before(add_months(at, n)), r->to[AFTER]);
	return 0;
}

/* Where the acts are counted: r->places, "" for anywhere. */
static int set_places(struct mrm_store *st, struct mrm_policy_impact *r,
		      const char *given, struct mrm_error *err)
{
	const char *cc = NULL, *members;
	int rc = 0;

	if (given && !strcmp(given, "any"))
		return 0;
	if (given)
		rc = policy_country(mrm_store_vocab(st), "--country", given,
				    &cc, err);
	else
		cc = r->policy.country;
	if (rc)
		return rc;
	members = policy_region_members(cc);
	snprintf(r->places, sizeof(r->places), "%s", members ? members : cc);
	return 0;
}

static int check_opts(const struct mrm_policy_impact_opts *o,
		      struct mrm_policy_impact *r, struct mrm_error *err)
{
	const char *by = o->by ? o->by : "act_type";

	if (o->window > MRM_POLICY_WINDOW_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "--window",
				     "%u months; give 1 to %d", o->window,
				     MRM_POLICY_WINDOW_MAX);
	if (strcmp(by, "act_type") && strcmp(by, "nationality"))
		return mrm_error_set(err, MRM_ERR_INVALID, "--by",
				     "unknown breakdown \"%s\"; valid: "
				     "act_type, nationality",
				     by);
	if (o->k == 1 || o->k > 1000)
		return mrm_error_set(err, MRM_ERR_INVALID, "--k",
				     "the threshold must be 2 to 1000, not %u",
				     o->k);
	snprintf(r->by, sizeof(r->by), "%s", by);
	r->window = o->window ? o->window : 12;
	r->public = o->public;
	r->k = o->k ? o->k : MRM_STATS_K_DEFAULT;
	return 0;
}

/* ---- counting ---- */

static int run(struct mrm_store *st, const struct mrm_policy_impact *r,
	       int measure, const char *by, const char *from, const char *to,
	       int whole, int public, struct mrm_stats_result **res,
	       struct mrm_error *err)
{
	struct mrm_stats_query q = {0};
	char where[96];

	q.measure = measures[measure];
	q.by = by;
	if (*r->places) {
		snprintf(where, sizeof(where), "country=%s", r->places);
		q.where[q.nwhere++] = where;
	}
	q.from = from;
	q.to = to;
	q.whole = whole;
	q.public = public;
	q.k = r->k;
	return mrm_stats_run(st, &q, res, err);
}

static struct mrm_policy_figure figure_of(const struct mrm_stats_cell *c)
{
	struct mrm_policy_figure f = {0, MRM_STATS_SHOWN};

	if (c) {
		f.value = c->mark == MRM_STATS_SHOWN ? c->value : 0;
		f.mark = c->mark;
	}
	return f;
}

/* The cell of `code` (MRM_STATS_ALL for the total), or NULL. */
static const struct mrm_stats_cell *cell_of(const struct mrm_stats_result *res,
					    const char *code)
{
	for (size_t i = 0; i < res->ncells; i++)
		if (res->cells[i].key[0] && !strcmp(res->cells[i].key[0], code))
			return &res->cells[i];
	return NULL;
}

static size_t row_find(const struct mrm_policy_impact *r, const char *code)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].code, code))
			return i;
	return r->nrows;
}

static int by_code(const void *a, const void *b)
{
	const struct mrm_policy_impact_row *x = a, *y = b;

	/* unknown ("") last */
	if (!*x->code || !*y->code)
		return !*x->code - !*y->code;
	return strcmp(x->code, y->code);
}

/* The rows: every code any of the four results has, then the total. */
static int build_rows(struct mrm_policy_impact *r,
		      struct mrm_stats_result *res[2][2])
{
	size_t cap = 1;

	for (int m = 0; m < 2; m++)
		for (int s = 0; s < 2; s++)
			cap += res[m][s]->ncells;
	if (cap > ROWS_MAX)
		cap = ROWS_MAX;
	r->rows = calloc(cap, sizeof(*r->rows));
	if (!r->rows)
		return MRM_ERR_NOMEM;
	for (int m = 0; m < 2; m++)
		for (int s = 0; s < 2; s++)
			for (size_t i = 0; i < res[m][s]->ncells; i++) {
				const char *code = res[m][s]->cells[i].key[0];

				if (code && strcmp(code, MRM_STATS_ALL) &&
				    row_find(r, code) == r->nrows &&
				    r->nrows + 1 < cap &&
				    !(r->rows[r->nrows++].code = own(r, code)))
					return MRM_ERR_NOMEM;
			}
	qsort(r->rows, r->nrows, sizeof(*r->rows), by_code);
	r->rows[r->nrows++].code = MRM_STATS_ALL;
	for (size_t i = 0; i < r->nrows; i++)
		for (int s = 0; s < 2; s++) {
			r->rows[i].acts[s] = figure_of(
				cell_of(res[M_ACTS][s], r->rows[i].code));
			r->rows[i].persons[s] = figure_of(
				cell_of(res[M_PERSONS][s], r->rows[i].code));
		}
	return 0;
}

/* The grand total of a result without dimensions: its last cell. */
static int64_t total_of(const struct mrm_stats_result *res)
{
	return res->ncells ? res->cells[res->ncells - 1].value : 0;
}

/*
 * What lies in the two windows at its own precision but wholly in
 * neither: counted over both windows, less what each window counted
 * wholly. Figures before disclosure control; a public result withholds
 * one under the threshold.
 */
static int unplaced(struct mrm_store *st, struct mrm_policy_impact *r,
		    int measure, struct mrm_policy_figure *out,
		    struct mrm_error *err)
{
	struct mrm_stats_result *res[3] = {NULL, NULL, NULL};
	int rc = run(st, r, measure, NULL, r->from[BEFORE], r->to[AFTER], 0, 0,
		     &res[0], err);

	for (int s = 0; !rc && s < 2; s++)
		rc = run(st, r, measure, NULL, r->from[s], r->to[s], 1, 0,
			 &res[1 + s], err);
	if (!rc) {
		out->value =
			total_of(res[0]) - total_of(res[1]) - total_of(res[2]);
		out->mark = MRM_STATS_SHOWN;
		if (r->public && out->value > 0 && out->value < (int64_t)r->k) {
			out->mark = MRM_STATS_PRIMARY;
			out->value = 0;
		}
	}
	for (int i = 0; i < 3; i++)
		mrm_stats_result_free(res[i]);
	return rc;
}

static int count(struct mrm_store *st, struct mrm_policy_impact *r,
		 struct mrm_error *err)
{
	struct mrm_stats_result *res[2][2] = {{NULL, NULL}, {NULL, NULL}};
	int rc = 0;

	for (int m = 0; !rc && m < 2; m++)
		for (int s = 0; !rc && s < 2; s++)
			rc = run(st, r, m, r->by, r->from[s], r->to[s], 1,
				 r->public, &res[m][s], err);
	if (!rc && build_rows(r, res))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	if (!rc)
		rc = unplaced(st, r, M_ACTS, &r->unplaced_acts, err);
	if (!rc)
		rc = unplaced(st, r, M_PERSONS, &r->unplaced_persons, err);
	for (int m = 0; m < 2; m++)
		for (int s = 0; s < 2; s++)
			mrm_stats_result_free(res[m][s]);
	return rc;
}

int mrm_policy_impact(struct mrm_store *st,
		      const struct mrm_policy_impact_opts *o,
		      struct mrm_policy_impact **out, struct mrm_error *err)
{
	struct mrm_policy_impact *r = calloc(1, sizeof(*r));
	int rc = MRM_ERR_NOMEM;

	*out = NULL;
	if (!r || !(r->priv = calloc(1, sizeof(struct impact_priv)))) {
		rc = mrm_error_set(err, rc, NULL, "out of memory");
		goto out;
	}
	rc = check_opts(o, r, err);
	if (!rc && !o->key)
		rc = mrm_error_set(err, MRM_ERR_INVALID, "--policy",
				   "give the key of a policy");
	if (!rc)
		rc = mrm_policy_find(st, o->key, copy_policy, r, err);
	if (rc == MRM_ERR_NOMEM)
		mrm_error_set(err, rc, NULL, "out of memory");
	if (!rc)
		rc = set_windows(r, o, err);
	if (!rc)
		rc = set_places(st, r, o->country, err);
	if (!rc)
		rc = count(st, r, err);
out:
	if (rc)
		mrm_policy_impact_free(r);
	else
		*out = r;
	return rc;
}

/* ---- as text and JSON ---- */

void mrm_policy_figure_text(const struct mrm_policy_impact *r,
			    const struct mrm_policy_figure *f, char *out,
			    size_t size)
{
	if (f->mark == MRM_STATS_PRIMARY)
		snprintf(out, size, "<%u", r->k);
	else if (f->mark == MRM_STATS_SECONDARY)
		snprintf(out, size, "x");
	else
		snprintf(out, size, "%lld", (long long)f->value);
}

void mrm_policy_row_texts(const struct mrm_policy_impact *r,
			  const struct mrm_policy_impact_row *row,
			  char t[6][MRM_POLICY_FIGURE_MAX])
{
	for (int s = 0; s < 2; s++) {
		mrm_policy_figure_text(r, &row->acts[s], t[s],
				       MRM_POLICY_FIGURE_MAX);
		mrm_policy_figure_text(r, &row->persons[s], t[3 + s],
				       MRM_POLICY_FIGURE_MAX);
	}
	mrm_policy_change_text(row->acts, t[2], MRM_POLICY_FIGURE_MAX);
	mrm_policy_change_text(row->persons, t[5], MRM_POLICY_FIGURE_MAX);
}

void mrm_policy_change_text(const struct mrm_policy_figure f[2], char *out,
			    size_t size)
{
	int64_t d = f[AFTER].value - f[BEFORE].value;

	if (f[BEFORE].mark != MRM_STATS_SHOWN ||
	    f[AFTER].mark != MRM_STATS_SHOWN)
		snprintf(out, size, "%s", "");
	else
		snprintf(out, size, "%s%lld", d > 0 ? "+" : "", (long long)d);
}

static json_t *figure_json(const struct mrm_policy_impact *r,
			   const struct mrm_policy_figure *f)
{
	char text[16];

	if (f->mark == MRM_STATS_SHOWN)
		return json_integer(f->value);
	mrm_policy_figure_text(r, f, text, sizeof(text));
	return json_string(text);
}

static json_t *pair_json(const struct mrm_policy_impact *r,
			 const struct mrm_policy_figure f[2])
{
	int shown =
		f[0].mark == MRM_STATS_SHOWN && f[1].mark == MRM_STATS_SHOWN;

	return json_pack("{s:o, s:o, s:o}", "before", figure_json(r, &f[0]),
			 "after", figure_json(r, &f[1]), "change",
			 shown ? json_integer(f[1].value - f[0].value)
			       : json_null());
}

static json_t *row_json(const struct mrm_policy_impact *r,
			const struct mrm_policy_impact_row *row)
{
	json_t *o = json_object();

	if (o && strcmp(row->code, MRM_STATS_ALL) &&
	    json_object_set_new(
		    o, r->by, json_string(*row->code ? row->code : "unknown")))
		goto fail;
	if (o && !json_object_set_new(o, "acts", pair_json(r, row->acts)) &&
	    !json_object_set_new(o, "persons", pair_json(r, row->persons)))
		return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *window_json(const struct mrm_policy_impact *r, int side)
{
	return json_pack("{s:s, s:s}", "from", r->from[side], "to",
			 r->to[side]);
}

json_t *mrm_policy_impact_json(const struct mrm_policy_impact *r)
{
	json_t *rows = json_array(), *o;

	for (size_t i = 0; rows && i + 1 < r->nrows; i++)
		if (json_array_append_new(rows, row_json(r, &r->rows[i]))) {
			json_decref(rows);
			return NULL;
		}
	o = json_pack(
		"{s:o, s:s, s:i, s:o, s:o, s:s, s:s?, s:b, s:i, s:o, s:o, "
		"s:{s:o, s:o}}",
		"policy", mrm_policy_json(&r->policy), "at", r->at,
		"window_months", (int)r->window, "before",
		window_json(r, BEFORE), "after", window_json(r, AFTER), "by",
		r->by, "places", *r->places ? r->places : NULL, "public",
		r->public, "k", (int)r->k, "rows", rows, "total",
		row_json(r, &r->rows[r->nrows - 1]), "unplaced", "acts",
		figure_json(r, &r->unplaced_acts), "persons",
		figure_json(r, &r->unplaced_persons));
	return o;
}
