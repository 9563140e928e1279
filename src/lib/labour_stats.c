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
 * fewer than k records is withheld). --where filters as for the other
 * measures: OR within one filter, AND across filters.
 */
#include "stats_internal.h"

#include "mrm/ref.h"
#include "mrm/store.h"
#include "mrm/vocab.h"
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

/* A --where filter: the record's value of `dim` must be one of vals[]
 * (codes). Filters on different dimensions must all pass. */
#define LWHERE_VALS_MAX 64
struct lfilter {
	char dim[16];
	char *vals[LWHERE_VALS_MAX];
	size_t n;
};

struct lagg {
	int measure;
	size_t ndims;
	char *dims[MRM_STATS_DIMS_MAX];
	struct lfilter where[MRM_STATS_WHERE_MAX];
	size_t nwhere;
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

/* A record's values of the dimensions ("" when unknown). */
struct lrec {
	const char *corridor, *sector, *admin1, *country, *nat, *date;
};

static void dim_value(const char *dim, char *out, size_t size,
		      const struct lrec *r)
{
	const char *v = !strcmp(dim, "corridor")      ? r->corridor
			: !strcmp(dim, "sector")      ? r->sector
			: !strcmp(dim, "admin1")      ? r->admin1
			: !strcmp(dim, "country")     ? r->country
			: !strcmp(dim, "nationality") ? r->nat
						      : NULL;

	if (v)
		snprintf(out, size, "%s", v);
	else
		snprintf(out, size, "%.4s", r->date);
}

/* Does the record pass every --where? A blank value is "unknown". */
static int passes(const struct lagg *a, const struct lrec *r)
{
	for (size_t f = 0; f < a->nwhere; f++) {
		const struct lfilter *w = &a->where[f];
		char v[40];
		int ok = 0;

		dim_value(w->dim, v, sizeof(v), r);
		for (size_t i = 0; i < w->n && !ok; i++)
			ok = !strcmp(w->vals[i], *v ? v : "unknown");
		if (!ok)
			return 0;
	}
	return 1;
}

/* Count `value` of record `r` into the cells of its dimension values. */
static int count(struct lagg *a, const struct lrec *r, const char *cur,
		 int64_t value)
{
	char v[MRM_STATS_DIMS_MAX][40];
	const char *vals[MRM_STATS_DIMS_MAX];

	for (size_t d = 0; d < a->ndims; d++) {
		dim_value(a->dims[d], v[d], sizeof(v[d]), r);
		vals[d] = v[d];
	}
	add(a, vals, cur, value);
	return a->nomem ? MRM_ERR_NOMEM : 0;
}

static int owed_cb(void *ctx, const struct mrm_wage_record *w)
{
	struct lagg *a = ctx;
	struct mrm_wage_calc c;
	char corridor[16];
	struct lrec r = {corridor,   w->sector,	     w->admin1,
			 w->country, w->nationality, w->period_start};

	snprintf(corridor, sizeof(corridor), "%s-%s",
		 *w->nationality ? w->nationality : "unknown", w->country);
	if (!in_range(a, w->period_start) || !passes(a, &r) ||
	    mrm_wage_compute(a->ref, w, &c, NULL) || !c.min_ok)
		return 0;
	return count(a, &r, w->currency, c.owed);
}

static int burden_cb(void *ctx, const struct mrm_recruitment_cost *rc)
{
	struct lagg *a = ctx;
	struct mrm_burden b;
	struct lrec r = {
		"",	 "", "", "", *rc->origin ? rc->origin : rc->nationality,
		rc->date};
	int e;

	if (*rc->date && !in_range(a, rc->date))
		return 0;
	if ((e = mrm_burden_compute(a->st, a->ref, rc, &b, NULL)))
		return e;
	r.corridor = b.corridor;
	r.country = strchr(b.corridor, '-') + 1;
	if (!b.ok || !passes(a, &r))
		return 0;
	/* percent of a month's earnings, rounded */
	return count(a, &r, NULL, (b.burden_bp + 50) / 100);
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

/* Is `dim` one of `ok`? If not, an error that lists them. */
static int known_dim(const char *const *ok, const char *measure,
		     const char *dim, const char *opt, struct mrm_error *err)
{
	char list[128] = "";

	for (size_t i = 0; ok[i]; i++) {
		if (!strcmp(ok[i], dim))
			return 0;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? ", " : "", ok[i]);
	}
	return mrm_error_set(err, MRM_ERR_INVALID, opt,
			     "%s cannot be %s by \"%s\"; valid: %s", measure,
			     strcmp(opt, "--by") ? "filtered" : "broken down",
			     dim, list);
}

/* One value of a --where on `dim`, as the code the records hold: a
 * vocabulary term (code or label), a corridor of two country codes
 * ("MM-TH", "Myanmar-Thailand"), a year, or "unknown". */
static int where_value(struct lagg *a, const char *dim, const char *v,
		       char *out, size_t size, struct mrm_error *err)
{
	const struct mrm_vocab *vocab = mrm_store_vocab(a->st);
	const char *scheme = mrm_stats_dim_scheme(dim), *code;
	char near[256], from[64], *to;

	if (!strcmp(v, "unknown")) {
		snprintf(out, size, "unknown");
		return 0;
	}
	if (!strcmp(dim, "year")) {
		if (strlen(v) != 4 || strspn(v, "0123456789") != 4)
			return mrm_error_set(err, MRM_ERR_INVALID, "--where",
					     "year \"%s\": write a year of "
					     "four digits, 2025",
					     v);
		snprintf(out, size, "%s", v);
		return 0;
	}
	if (!strcmp(dim, "corridor")) {
		const char *side[2];

		snprintf(from, sizeof(from), "%s", v);
		to = strchr(from, '-');
		if (!to)
			return mrm_error_set(err, MRM_ERR_INVALID, "--where",
					     "corridor \"%s\": write ORIGIN-"
					     "DESTINATION, MM-TH",
					     v);
		*to++ = '\0';
		for (int i = 0; i < 2; i++) {
			const char *c = i ? to : from;

			side[i] = !strcmp(c, "unknown")
					  ? "unknown"
					  : mrm_vocab_resolve(vocab, "country",
							      c);
			if (!side[i]) {
				mrm_vocab_suggest(vocab, "country", c, near,
						  sizeof(near));
				return mrm_error_set(
					err, MRM_ERR_INVALID, "--where",
					"corridor \"%s\": unknown country "
					"\"%s\"; closest valid codes: %s",
					v, c, near);
			}
		}
		snprintf(out, size, "%s-%s", side[0], side[1]);
		return 0;
	}
	if (!(code = mrm_vocab_resolve(vocab, scheme, v))) {
		mrm_vocab_suggest(vocab, scheme, v, near, sizeof(near));
		return mrm_error_set(err, MRM_ERR_INVALID, "--where",
				     "unknown %s \"%s\"; closest valid terms: "
				     "%s",
				     dim, v, near);
	}
	snprintf(out, size, "%s", code);
	return 0;
}

/* "DIM=V1,V2": the record's DIM must be one of the values. */
static int parse_where(struct lagg *a, const char *measure,
		       const char *const *ok, const char *w,
		       struct mrm_error *err)
{
	char buf[1024], *eq, *save = NULL, *tok;
	struct lfilter *f = &a->where[a->nwhere];
	int rc;

	if ((rc = stats_where_split(buf, sizeof(buf), w, a->nwhere, &eq, err)))
		return rc;
	if ((rc = known_dim(ok, measure, buf, "--where", err)))
		return rc;
	snprintf(f->dim, sizeof(f->dim), "%.15s", buf);
	a->nwhere++;
	for (tok = strtok_r(eq + 1, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char code[64];

		while (*tok == ' ')
			tok++;
		if ((rc = where_value(a, f->dim, tok, code, sizeof(code), err)))
			return rc;
		if (f->n == LWHERE_VALS_MAX)
			return mrm_error_set(err, MRM_ERR_LIMIT, "--where",
					     "at most %d values in one filter",
					     LWHERE_VALS_MAX);
		if (!(f->vals[f->n] = strdup(code)))
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
		f->n++;
	}
	return 0;
}

static int parse(struct lagg *a, const struct mrm_stats_query *in,
		 struct mrm_error *err)
{
	const char *const *ok = a->measure == L_OWED ? owed_dims : burden_dims;
	char by[256], *save = NULL, *tok;

	for (size_t i = 0; i < in->nwhere; i++) {
		int rc = parse_where(a, in->measure, ok, in->where[i], err);

		if (rc)
			return rc;
	}
	if ((in->from && mrm_ref_date(in->from, 0, &a->from, err)) ||
	    (in->to && mrm_ref_date(in->to, 1, &a->to, err)))
		return MRM_ERR_INVALID;
	snprintf(by, sizeof(by), "%s", in->by ? in->by : "");
	for (tok = strtok_r(by, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int rc = known_dim(ok, in->measure, tok, "--by", err);

		if (rc)
			return rc;
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
	for (size_t f = 0; f < a.nwhere; f++)
		for (size_t i = 0; i < a.where[f].n; i++)
			free(a.where[f].vals[i]);
	mrm_ref_free(ref);
	return rc;
}
