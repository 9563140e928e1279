/*
 * labour_stats.c - the statistics measures over wage records and
 * recruitment costs, which need the reference tables and so are not in
 * the fact table:
 *
 *   wages-owed          sum of wages owed (wages.h), per currency;
 *   recruitment-burden  the cost burden in percent of monthly earnings:
 *                       count, sum, mean, median and p90 per cell.
 *
 * Records whose figures cannot be computed (no minimum in force, no
 * earnings) are left out; `mrm wages` and `mrm recruitment` say why for
 * each. Cells, subtotals and the total have the shape of the other
 * measures, and --public applies the same disclosure control (a cell of
 * fewer than k records is withheld).
 */
#include "stats_internal.h"

#include "mrm/ref.h"
#include "mrm/store.h"
#include "mrm/wages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { L_OWED = 1, L_BURDEN };

static const char *const owed_dims[] = {
	"corridor", "sector", "admin1", "country", "nationality", "year", NULL};
static const char *const burden_dims[] = {"corridor", "nationality", "country",
					  "year", NULL};

int labour_stats_measure(const char *measure)
{
	if (!measure)
		return 0;
	if (!strcmp(measure, "wages-owed"))
		return L_OWED;
	return !strcmp(measure, "recruitment-burden") ? L_BURDEN : 0;
}

struct lcell {
	size_t key[MRM_STATS_DIMS_MAX + 1]; /* dict index; SIZE_MAX: all */
	int64_t value, count;
	int64_t *items; /* burden: each value, for the quantiles */
	size_t nitems;
};

struct lagg {
	int measure;
	size_t ndims;
	char *dims[MRM_STATS_DIMS_MAX];
	long from, to;
	char **dict;
	size_t ndict, capdict;
	struct lcell *cells;
	size_t ncells, capcells;
	const struct mrm_ref *ref;
	struct mrm_store *st;
	int nomem;
};

static size_t intern(struct lagg *a, const char *s)
{
	for (size_t i = 0; i < a->ndict; i++)
		if (!strcmp(a->dict[i], s))
			return i;
	if (a->ndict == a->capdict) {
		size_t cap = a->capdict ? 2 * a->capdict : 64;
		char **d = realloc(a->dict, cap * sizeof(*d));

		if (!d)
			return a->nomem = 1, 0;
		a->dict = d;
		a->capdict = cap;
	}
	if (!(a->dict[a->ndict] = strdup(s)))
		return a->nomem = 1, 0;
	return a->ndict++;
}

static struct lcell *cell(struct lagg *a, const size_t *key)
{
	for (size_t i = 0; i < a->ncells; i++)
		if (!memcmp(a->cells[i].key, key, sizeof(a->cells[i].key)))
			return &a->cells[i];
	if (a->ncells == a->capcells) {
		size_t cap = a->capcells ? 2 * a->capcells : 64;
		struct lcell *c = realloc(a->cells, cap * sizeof(*c));

		if (!c)
			return a->nomem = 1, NULL;
		a->cells = c;
		a->capcells = cap;
	}
	memset(&a->cells[a->ncells], 0, sizeof(a->cells[0]));
	memcpy(a->cells[a->ncells].key, key, sizeof(a->cells[0].key));
	return &a->cells[a->ncells++];
}

/* Count `value` with dimension values `vals` into every level. */
static void add(struct lagg *a, const char *const *vals, const char *cur,
		int64_t value)
{
	size_t levels = (size_t)1 << a->ndims, key[MRM_STATS_DIMS_MAX + 1];

	for (size_t mask = 0; mask < levels && !a->nomem; mask++) {
		struct lcell *c;

		for (size_t d = 0; d < a->ndims; d++)
			key[d] = mask & ((size_t)1 << d)
					 ? SIZE_MAX
					 : intern(a, *vals[d] ? vals[d]
							      : "unknown");
		for (size_t d = a->ndims; d < MRM_STATS_DIMS_MAX; d++)
			key[d] = SIZE_MAX;
		key[MRM_STATS_DIMS_MAX] = cur ? intern(a, cur) : SIZE_MAX;
		if (!(c = cell(a, key)))
			return;
		c->value += value;
		c->count++;
		if (a->measure == L_BURDEN) {
			int64_t *it = realloc(c->items,
					      (c->nitems + 1) * sizeof(*it));

			if (!it) {
				a->nomem = 1;
				return;
			}
			c->items = it;
			c->items[c->nitems++] = value;
		}
	}
}

static int in_range(const struct lagg *a, const char *date)
{
	long d;

	if (!a->from && !a->to)
		return 1;
	if (mrm_ref_date(date, 0, &d, NULL))
		return 0;
	return (!a->from || d >= a->from) && (!a->to || d <= a->to);
}

static void dim_value(const char *dim, char *out, size_t size,
		      const char *corridor, const char *sector,
		      const char *admin1, const char *country, const char *nat,
		      const char *date)
{
	if (!strcmp(dim, "corridor"))
		snprintf(out, size, "%s", corridor);
	else if (!strcmp(dim, "sector"))
		snprintf(out, size, "%s", sector);
	else if (!strcmp(dim, "admin1"))
		snprintf(out, size, "%s", admin1);
	else if (!strcmp(dim, "country"))
		snprintf(out, size, "%s", country);
	else if (!strcmp(dim, "nationality"))
		snprintf(out, size, "%s", nat);
	else
		snprintf(out, size, "%.4s", date);
}

static int owed_cb(void *ctx, const struct mrm_wage_record *w)
{
	struct lagg *a = ctx;
	struct mrm_wage_calc c;
	char v[MRM_STATS_DIMS_MAX][40], corridor[16];
	const char *vals[MRM_STATS_DIMS_MAX];

	if (!in_range(a, w->period_start) ||
	    mrm_wage_compute(a->ref, w, &c, NULL) || !c.min_ok)
		return 0;
	snprintf(corridor, sizeof(corridor), "%s-%s",
		 *w->nationality ? w->nationality : "unknown", w->country);
	for (size_t d = 0; d < a->ndims; d++) {
		dim_value(a->dims[d], v[d], sizeof(v[d]), corridor, w->sector,
			  w->admin1, w->country, w->nationality,
			  w->period_start);
		vals[d] = v[d];
	}
	add(a, vals, w->currency, c.owed);
	return a->nomem ? MRM_ERR_NOMEM : 0;
}

static int burden_cb(void *ctx, const struct mrm_recruitment_cost *rc)
{
	struct lagg *a = ctx;
	struct mrm_burden b;
	char v[MRM_STATS_DIMS_MAX][40];
	const char *vals[MRM_STATS_DIMS_MAX];
	int r;

	if (*rc->date && !in_range(a, rc->date))
		return 0;
	if ((r = mrm_burden_compute(a->st, a->ref, rc, &b, NULL)))
		return r;
	if (!b.ok)
		return 0;
	for (size_t d = 0; d < a->ndims; d++) {
		dim_value(a->dims[d], v[d], sizeof(v[d]), b.corridor, "", "",
			  strchr(b.corridor, '-') + 1,
			  *rc->origin ? rc->origin : rc->nationality, rc->date);
		vals[d] = v[d];
	}
	/* percent of a month's earnings, rounded */
	add(a, vals, NULL, (b.burden_bp + 50) / 100);
	return a->nomem ? MRM_ERR_NOMEM : 0;
}

static int cmp64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

/* The q-quantile of sorted v[n] (linear interpolation, as stats.c). */
static double quantile(const int64_t *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return (double)v[n - 1];
	return (double)v[lo] + (pos - (double)lo) * (double)(v[lo + 1] - v[lo]);
}

static int parse(struct lagg *a, const struct mrm_stats_query *in,
		 struct mrm_error *err)
{
	const char *const *ok = a->measure == L_OWED ? owed_dims : burden_dims;
	char by[256], *save = NULL, *tok;

	if (in->nwhere)
		return mrm_error_set(err, MRM_ERR_INVALID, "--where",
				     "%s takes no --where (use --by, --from "
				     "and --to)",
				     in->measure);
	if ((in->from && mrm_ref_date(in->from, 0, &a->from, err)) ||
	    (in->to && mrm_ref_date(in->to, 1, &a->to, err)))
		return MRM_ERR_INVALID;
	snprintf(by, sizeof(by), "%s", in->by ? in->by : "");
	for (tok = strtok_r(by, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int found = 0;

		for (size_t i = 0; ok[i]; i++)
			found |= !strcmp(ok[i], tok);
		if (!found) {
			char list[128] = "";

			for (size_t i = 0; ok[i]; i++)
				snprintf(list + strlen(list),
					 sizeof(list) - strlen(list), "%s%s",
					 i ? ", " : "", ok[i]);
			return mrm_error_set(err, MRM_ERR_INVALID, "--by",
					     "%s cannot be broken down by "
					     "\"%s\"; valid: %s",
					     in->measure, tok, list);
		}
		if (a->ndims == MRM_STATS_DIMS_MAX)
			return mrm_error_set(err, MRM_ERR_INVALID, "--by",
					     "at most %d dimensions at once",
					     MRM_STATS_DIMS_MAX);
		for (size_t d = 0; d < a->ndims; d++)
			if (!strcmp(a->dims[d], tok))
				return mrm_error_set(
					err, MRM_ERR_INVALID, "--by",
					"dimension %s given twice", tok);
		if (!(a->dims[a->ndims++] = strdup(tok)))
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
	}
	return 0;
}

static int build(struct lagg *a, const struct mrm_stats_query *in,
		 struct mrm_stats_result **out, struct mrm_error *err)
{
	struct mrm_stats_result *r = calloc(1, sizeof(*r));
	char **dict = a->dict;

	*out = r;
	if (!r || !(r->measure = strdup(in->measure)) ||
	    !(r->cells = calloc(a->ncells + 1, sizeof(*r->cells))) ||
	    result_adopt(r, a->dict, a->ndict))
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	a->dict = NULL;
	r->ndims = a->ndims;
	for (size_t d = 0; d < a->ndims; d++) {
		r->dims[d] = a->dims[d];
		a->dims[d] = NULL;
	}
	r->money = a->measure == L_OWED;
	r->days = a->measure == L_BURDEN;
	r->public = in->public;
	r->k = in->k ? in->k : MRM_STATS_K_DEFAULT;
	for (size_t i = 0; i < a->ncells; i++) {
		struct lcell *c = &a->cells[i];
		struct mrm_stats_cell *o = &r->cells[i];

		for (size_t d = 0; d < r->ndims; d++)
			o->key[d] = c->key[d] == SIZE_MAX ? MRM_STATS_ALL
							  : dict[c->key[d]];
		o->currency = c->key[MRM_STATS_DIMS_MAX] == SIZE_MAX
				      ? NULL
				      : dict[c->key[MRM_STATS_DIMS_MAX]];
		o->value = c->value;
		o->count = c->count;
		o->people = c->count;
		o->mean = c->count ? (double)c->value / (double)c->count : 0;
		if (c->nitems) {
			qsort(c->items, c->nitems, sizeof(*c->items), cmp64);
			o->median = quantile(c->items, c->nitems, 0.5);
			o->p90 = quantile(c->items, c->nitems, 0.9);
		}
	}
	r->ncells = a->ncells;
	stats_sort_cells(r);
	return in->public ? disclosure_apply(r, err) : 0;
}

int labour_stats_run(struct mrm_store *st, const struct mrm_stats_query *in,
		     struct mrm_stats_result **out, struct mrm_error *err)
{
	struct lagg a = {0};
	struct mrm_ref *ref = NULL;
	int rc;

	*out = NULL;
	a.measure = labour_stats_measure(in->measure);
	a.st = st;
	rc = parse(&a, in, err);
	if (!rc)
		rc = mrm_ref_load(&ref, err);
	a.ref = ref;
	if (!rc && a.measure == L_OWED)
		rc = mrm_wages_each(st, 0, 0, owed_cb, &a, err);
	else if (!rc)
		rc = mrm_recruitment_each(st, 0, 0, burden_cb, &a, err);
	if (rc == MRM_ERR_NOMEM || (!rc && a.nomem))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	if (!rc) {
		/* the grand total exists even with no records */
		size_t key[MRM_STATS_DIMS_MAX + 1];

		for (size_t d = 0; d <= MRM_STATS_DIMS_MAX; d++)
			key[d] = SIZE_MAX;
		if (a.measure == L_BURDEN && !cell(&a, key))
			rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					   "out of memory");
	}
	if (!rc)
		rc = build(&a, in, out, err);
	if (rc) {
		mrm_stats_result_free(*out);
		*out = NULL;
	}
	for (size_t i = 0; i < a.ncells; i++)
		free(a.cells[i].items);
	free(a.cells);
	for (size_t i = 0; a.dict && i < a.ndict; i++)
		free(a.dict[i]);
	free(a.dict);
	for (size_t d = 0; d < MRM_STATS_DIMS_MAX; d++)
		free(a.dims[d]);
	mrm_ref_free(ref);
	return rc;
}
