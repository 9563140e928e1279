/* stats.c - see include/mrm/stats.h */
#include "mrm/stats.h"

#include "facts.h"
#include "mrm/buf.h"
#include "mrm/fields.h"
#include "mrm/ref.h"
#include "mrm/store.h"
#include "mrm/utf8.h"
#include "mrm/vocab.h"
#include "stats_internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum measure {
	M_EVENTS,
	M_ACTS,
	M_PERSONS,
	M_DISTINCT,
	M_DAYS,
	M_DEMANDED,
	M_PAID,
	M_COST,
	M_COMP,
};

const char *const mrm_stats_measures[] = {"events",	    "acts",
					  "persons",	    "distinct-persons",
					  "detention-days", "money-demanded",
					  "money-paid",	    "deportation-cost",
					  "compensation",   NULL};

enum dim_kind {
	D_YEAR,
	D_QUARTER,
	D_MONTH,
	D_COUNTRY,
	D_ADMIN1,
	D_ACT_TYPE,
	D_ACT_GROUP,
	D_PERP,
	D_SECTOR,
	D_NAT,
	D_SEX,
	D_AGE,
	D_DOC,
	D_ORG,
	D_CORRIDOR,
	D_CHECKPOINT,
	D_ATTR,
};

static const struct {
	const char *name;
	enum dim_kind kind;
	const char *scheme; /* vocabulary of its values, if any */
	int col;	    /* fact column, or -1 */
} dim_defs[] = {
	{"year", D_YEAR, NULL, -1},
	{"quarter", D_QUARTER, NULL, -1},
	{"month", D_MONTH, NULL, -1},
	{"country", D_COUNTRY, "country", FC_COUNTRY},
	{"admin1", D_ADMIN1, "admin1", FC_ADMIN1},
	{"act_type", D_ACT_TYPE, "act_type", FC_TYPE},
	{"act_group", D_ACT_GROUP, "act_type", FC_TYPE},
	{"perpetrator_type", D_PERP, "perpetrator_type", FC_PERP},
	{"sector", D_SECTOR, "sector", FC_SECTOR},
	{"nationality", D_NAT, "country", FC_NAT},
	{"sex", D_SEX, "sex", FC_SEX},
	{"age_band", D_AGE, NULL, -1},
	{"doc_status", D_DOC, "doc_status", FC_DOC},
	{"org", D_ORG, NULL, FC_ORG},
	{"corridor", D_CORRIDOR, NULL, -1},
	{"checkpoint", D_CHECKPOINT, "checkpoint", FC_CHECKPOINT},
};
#define NDIM_DEFS (sizeof(dim_defs) / sizeof(dim_defs[0]))

const char *const mrm_stats_dims[] = {
	"year",	      "quarter",     "month",	  "country",
	"admin1",     "act_type",    "act_group", "perpetrator_type",
	"sector",     "nationality", "sex",	  "age_band",
	"doc_status", "org",	     "corridor",  "checkpoint",
	"attr.NAME",  NULL};

static const char *const age_bands[] = {"0-14",	 "15-17", "18-24", "25-34",
					"35-44", "45-54", "55-64", "65+"};

/* Closest names first, into `out`. */
static void closest(const char *const *names, const char *given, char *out,
		    size_t size)
{
	size_t n = 0, order[64];
	struct mrm_buf b = MRM_BUF_INIT(4096);

	while (names[n] && n < 64)
		n++;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i;
		     j > 0 &&
		     mrm_utf8_distance(given, names[order[j]]) <
			     mrm_utf8_distance(given, names[order[j - 1]]);
		     j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		mrm_buf_addf(&b, "%s%s", i ? ", " : "", names[order[i]]);
	snprintf(out, size, "%s", mrm_buf_str(&b));
	mrm_buf_release(&b);
}

static int parse_measure(const char *m, int *out, struct mrm_error *err)
{
	char near[1024];

	for (int i = 0; m && mrm_stats_measures[i]; i++)
		if (!strcmp(m, mrm_stats_measures[i])) {
			*out = i;
			return 0;
		}
	closest(mrm_stats_measures, m ? m : "", near, sizeof(near));
	return mrm_error_set(err, MRM_ERR_INVALID, "--measure",
			     "unknown measure \"%s\"; valid: %s", m ? m : "",
			     near);
}

static int parse_dim(const char *name, struct sdim *d, struct mrm_error *err)
{
	char near[1024];

	memset(d, 0, sizeof(*d));
	d->col = -1;
	if (mrm_field_is_attr(name)) {
		d->kind = D_ATTR;
		snprintf(d->name, sizeof(d->name), "%s", name);
		return 0;
	}
	for (size_t i = 0; i < NDIM_DEFS; i++)
		if (!strcmp(name, dim_defs[i].name)) {
			d->kind = dim_defs[i].kind;
			d->scheme = dim_defs[i].scheme;
			d->col = dim_defs[i].col;
			snprintf(d->name, sizeof(d->name), "%s", name);
			return 0;
		}
	closest(mrm_stats_dims, name, near, sizeof(near));
	return mrm_error_set(err, MRM_ERR_INVALID, "dimension",
			     "unknown dimension \"%s\"; valid: %s", name, near);
}

/* Split "a,b,c" into at most `max` trimmed parts (in place in `buf`). */
static size_t split(char *buf, char **parts, size_t max)
{
	size_t n = 0;

	for (char *p = buf; p && n < max;) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		while (*p == ' ')
			p++;
		if (*p)
			parts[n++] = p;
		p = comma ? comma + 1 : NULL;
	}
	return n;
}

const char *mrm_stats_dim_scheme(const char *dim)
{
	for (size_t i = 0; i < NDIM_DEFS; i++)
		if (!strcmp(dim, dim_defs[i].name))
			return dim_defs[i].scheme;
	return NULL;
}

/* ---- dimension values of a fact ---- */

static uint32_t intern_or_fail(struct squery *q, const char *s)
{
	uint32_t c = facts_intern(&q->facts, s);

	if (c == UINT32_MAX)
		q->nomem = 1;
	return c;
}

/* Code of a computed value, through a small table indexed by `slot`. */
static uint32_t computed(struct squery *q, struct sdim *d, size_t slot,
			 const char *text)
{
	if (slot >= SDIM_SLOTS)
		return intern_or_fail(q, text);
	if (!d->slot[slot])
		d->slot[slot] = intern_or_fail(q, text) + 1;
	return d->slot[slot] - 1;
}

static uint32_t time_value(struct squery *q, struct sdim *d,
			   const struct fact *f)
{
	int y = f->date / 10000, m = f->date / 100 % 100;
	char text[16];

	if (!f->prec || y < 1900 || y > 2100)
		return computed(q, d, 0, "unknown");
	if (d->kind == D_YEAR) {
		snprintf(text, sizeof(text), "%04d", y);
		return computed(q, d, (size_t)(y - 1900) + 1, text);
	}
	/* a date known to the year is never placed in a month */
	if (f->prec < 2) {
		snprintf(text, sizeof(text), "%04d-unknown", y);
		return computed(q, d, (size_t)(y - 1900) * 13 + 1, text);
	}
	if (d->kind == D_QUARTER)
		snprintf(text, sizeof(text), "%04d-Q%d", y, (m - 1) / 3 + 1);
	else
		snprintf(text, sizeof(text), "%04d-%02d", y, m);
	return computed(
		q, d,
		(size_t)(y - 1900) * 13 + 1 +
			(size_t)(d->kind == D_QUARTER ? (m - 1) / 3 + 1 : m),
		text);
}

/*
 * Age at the act. Where the dates do not tell whether the birthday had
 * come (a month or a day unknown on either side), the lower age is taken:
 * a person is never counted older than they may have been.
 */
static int age_at(const struct fact *f)
{
	int age = f->date / 10000 - f->birth / 10000;
	int am = f->date / 100 % 100, bm = f->birth / 100 % 100;
	int ad = f->date % 100, bd = f->birth % 100;

	if (f->prec < 2 || f->birth_prec < 2)
		return age - 1;
	if (am != bm)
		return am < bm ? age - 1 : age;
	if (f->prec < 3 || f->birth_prec < 3)
		return age - 1;
	return ad < bd ? age - 1 : age;
}

static uint32_t age_value(struct squery *q, struct sdim *d,
			  const struct fact *f)
{
	int age, band;

	if (!f->birth_prec || !f->prec)
		return computed(q, d, 0, "unknown");
	age = age_at(f);
	if (age < 0 || age > 120)
		return computed(q, d, 0, "unknown");
	band = age < 15	  ? 0
	       : age < 18 ? 1
	       : age < 25 ? 2
	       : age < 35 ? 3
	       : age < 45 ? 4
	       : age < 55 ? 5
	       : age < 65 ? 6
			  : 7;
	return computed(q, d, (size_t)band + 1, age_bands[band]);
}

static uint32_t corridor_value(struct squery *q, const struct fact *f)
{
	const char *from = q->facts.dict[f->code[FC_NAT]];
	const char *to = q->facts.dict[f->code[FC_COUNTRY]];
	char text[64];

	snprintf(text, sizeof(text), "%s-%s", *from ? from : "unknown",
		 *to ? to : "unknown");
	return intern_or_fail(q, text);
}

/*
 * The values of dimension `d` for fact `f` into `out` (usually one;
 * several for a multi-valued attribute). Returns how many.
 */
static size_t dim_values(struct squery *q, struct sdim *d, const struct fact *f,
			 uint32_t *out, size_t max)
{
	switch (d->kind) {
	case D_YEAR:
	case D_QUARTER:
	case D_MONTH: out[0] = time_value(q, d, f); return 1;
	case D_AGE: out[0] = age_value(q, d, f); return 1;
	case D_CORRIDOR: out[0] = corridor_value(q, f); return 1;
	case D_ACT_GROUP: out[0] = d->group_of[f->code[FC_TYPE]]; return 1;
	case D_ATTR: return attr_values(d, f->event, out, max);
	default:
		/* a recorded "unknown" term and a blank are one cell */
		out[0] = f->code[d->col] == q->unknown ? 0 : f->code[d->col];
		return 1;
	}
}

/* ---- filters ---- */

/* Does `value` (a code) pass the filter of `d`? */
static int passes(const struct sdim *d, uint32_t value)
{
	for (size_t i = 0; i < d->nallowed; i++)
		if (d->allowed[i] == value)
			return 1;
	return 0;
}

/* Terms of `scheme` under `code` (itself included) into d->allowed. */
static int allow_subtree(struct squery *q, struct sdim *d, const char *code)
{
	size_t n;
	const struct mrm_term *t =
		mrm_vocab_terms(mrm_store_vocab(q->st), d->scheme, &n);

	for (size_t i = 0; i < n; i++) {
		const char *c = t[i].code;
		int under = 0;

		/* walk up from t[i] to see whether `code` is an ancestor */
		for (const struct mrm_term *up = &t[i]; up && !under;) {
			under = !strcmp(up->code, code);
			up = *up->parent
				     ? mrm_vocab_term(mrm_store_vocab(q->st),
						      d->scheme, up->parent)
				     : NULL;
		}
		if (under && d->nallowed < SDIM_ALLOWED_MAX)
			d->allowed[d->nallowed++] = intern_or_fail(q, c);
	}
	return 0;
}

int stats_where_split(char *buf, size_t size, const char *w, size_t n,
		      char **eq, struct mrm_error *err)
{
	snprintf(buf, size, "%s", w);
	*eq = strchr(buf, '=');
	if (!*eq || *eq == buf || !(*eq)[1])
		return mrm_error_set(err, MRM_ERR_INVALID, "--where",
				     "\"%s\": write DIM=VALUE[,VALUE...]", w);
	**eq = '\0';
	if (n == MRM_STATS_WHERE_MAX)
		return mrm_error_set(err, MRM_ERR_LIMIT, "--where",
				     "at most %d filters", MRM_STATS_WHERE_MAX);
	return 0;
}

static int parse_where(struct squery *q, const char *w, struct mrm_error *err)
{
	char buf[1024], *eq, *vals[SDIM_ALLOWED_MAX], near[256];
	struct sdim *d;
	size_t n;
	int rc;

	if ((rc = stats_where_split(buf, sizeof(buf), w, q->nfilters, &eq,
				    err)))
		return rc;
	d = &q->filters[q->nfilters];
	rc = parse_dim(buf, d, err);
	if (rc)
		return rc;
	q->nfilters++;
	n = split(eq + 1, vals, SDIM_ALLOWED_MAX);
	for (size_t i = 0; i < n; i++) {
		const char *v = vals[i];

		if (d->scheme) {
			const char *code = mrm_vocab_resolve(
				mrm_store_vocab(q->st), d->scheme, vals[i]);

			if (!code) {
				mrm_vocab_suggest(mrm_store_vocab(q->st),
						  d->scheme, vals[i], near,
						  sizeof(near));
				return mrm_error_set(
					err, MRM_ERR_INVALID, "--where",
					"unknown %s \"%s\"; closest "
					"valid terms: %s",
					d->name, vals[i], near);
			}
			if (d->kind == D_ACT_TYPE || d->kind == D_ACT_GROUP) {
				allow_subtree(q, d, code);
				continue;
			}
			v = code;
		}
		if (d->nallowed < SDIM_ALLOWED_MAX)
			d->allowed[d->nallowed++] = intern_or_fail(q, v);
	}
	if (q->nomem)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	return d->kind == D_ATTR ? attr_load(q, d, err) : 0;
}

/* A date bound truncated to the precision of the date it is compared
 * with: a date known to the month is in range when its month is. */
static int32_t truncate_to(int32_t bound, uint8_t prec)
{
	return prec == 1   ? bound / 10000 * 10000
	       : prec == 2 ? bound / 100 * 100
			   : bound;
}

static int wholly_in_period(const struct squery *q, const struct fact *f);

static int in_period(const struct squery *q, const struct fact *f)
{
	if (!q->from && !q->to)
		return 1;
	if (!f->prec)
		return 0;
	if (q->whole)
		return wholly_in_period(q, f);
	if (q->from && f->date < truncate_to(q->from, f->prec))
		return 0;
	if (q->to && f->date > truncate_to(q->to, f->prec))
		return 0;
	return 1;
}

static int last_day(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* The first and last day a date at its precision may be. */
static int wholly_in_period(const struct squery *q, const struct fact *f)
{
	int32_t first = f->date, last = f->date;

	if (f->prec == 1) {
		first += 101;
		last += 1231;
	} else if (f->prec == 2) {
		first += 1;
		last += last_day(f->date / 10000, f->date / 100 % 100);
	}
	return (!q->from || first >= q->from) && (!q->to || last <= q->to);
}

static int parse_bound(const char *s, int end, int32_t *out,
		       struct mrm_error *err)
{
	struct mrm_buf iso = MRM_BUF_INIT(64);
	uint8_t prec;
	int rc = 0;

	*out = 0;
	if (!s)
		return 0;
	if (mrm_field_normalise(
		    &mrm_fields[mrm_field_index("event.start_date")], s, NULL,
		    NULL, &iso, err)) {
		rc = MRM_ERR_INVALID;
		mrm_error_prefix(err, end ? "--to" : "--from");
		goto out;
	}
	*out = facts_pack_date(iso.ptr, &prec);
	/* the end of a partial date is the last day of its period */
	if (end && prec == 1)
		*out += 1231;
	else if (end && prec == 2)
		*out += last_day(*out / 10000, *out / 100 % 100);
out:
	mrm_buf_release(&iso);
	return rc;
}

/* ---- the query ---- */

static int prepare(struct squery *q, const struct mrm_stats_query *in,
		   struct mrm_error *err)
{
	char by[512], *names[MRM_STATS_DIMS_MAX + 1];
	size_t n = 0;
	int rc = parse_measure(in->measure, &q->measure, err);

	if (rc)
		return rc;
	snprintf(by, sizeof(by), "%s", in->by ? in->by : "");
	n = split(by, names, MRM_STATS_DIMS_MAX + 1);
	if (n > MRM_STATS_DIMS_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "--by",
				     "at most %d dimensions at once",
				     MRM_STATS_DIMS_MAX);
	for (size_t i = 0; i < n; i++) {
		/* counted at once, so that squery_free() releases what this
		 * dimension loaded when a later one is refused */
		q->ndims = i + 1;
		rc = parse_dim(names[i], &q->dims[i], err);
		if (!rc && q->dims[i].kind == D_ATTR)
			rc = attr_load(q, &q->dims[i], err);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(q->dims[i].name, q->dims[j].name))
				return mrm_error_set(
					err, MRM_ERR_INVALID, "--by",
					"dimension %s given twice", names[i]);
	}
	for (size_t i = 0; i < in->nwhere; i++) {
		rc = parse_where(q, in->where[i], err);
		if (rc)
			return rc;
	}
	rc = parse_bound(in->from, 0, &q->from, err);
	if (!rc)
		rc = parse_bound(in->to, 1, &q->to, err);
	/* --as-of 2020-03 counts open detentions to the end of March */
	if (!rc)
		rc = parse_bound(in->as_of, 1, &q->as_of, err);
	if (!rc && !in->as_of) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		q->as_of = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
			   tm.tm_mday;
	}
	return rc;
}

/* Act groups: every act type's top-level ancestor. */
static int prepare_groups(struct squery *q, struct sdim *d)
{
	const struct mrm_vocab *v = mrm_store_vocab(q->st);

	/* codes the facts use; interning the groups adds more */
	size_t n = q->facts.ndict;

	d->group_of = calloc(n + 1, sizeof(uint32_t));
	if (!d->group_of)
		return MRM_ERR_NOMEM;
	for (size_t c = 0; c < n; c++) {
		const struct mrm_term *t =
			mrm_vocab_term(v, "act_type", q->facts.dict[c]);

		while (t && *t->parent)
			t = mrm_vocab_term(v, "act_type", t->parent);
		d->group_of[c] = t ? intern_or_fail(q, t->code) : 0;
	}
	return q->nomem ? MRM_ERR_NOMEM : 0;
}

static int fact_counts(const struct squery *q, const struct fact *f)
{
	int act = f->kind == FK_ACT;

	switch (q->measure) {
	case M_EVENTS: return 1;
	case M_DAYS:
		return act &&
		       !strcmp(q->facts.dict[f->code[FC_TYPE]], "detention");
	case M_DEMANDED:
	case M_PAID:
		return act && f->code[FC_CUR_ARREST] &&
		       (q->measure == M_DEMANDED ? f->demanded : f->paid);
	case M_COST: return act && f->code[FC_CUR_COST] && f->cost;
	case M_COMP:
		return f->kind == FK_INTERVENTION && f->code[FC_CUR_COMP] &&
		       f->compensation;
	default: return act;
	}
}

/* Days in detention, or -1 when the dates do not give it. */
static int64_t detention_days(const struct squery *q, const struct fact *f)
{
	int32_t end = f->end_prec ? f->end : q->as_of;

	if (f->prec != 3 || (f->end_prec && f->end_prec != 3) || end < f->date)
		return -1;
	return mrm_ref_days(end) - mrm_ref_days(f->date) + 1;
}

/* The contribution of fact `f`: its value and its people. */
static void contribution(const struct squery *q, const struct fact *f,
			 int64_t *value, uint32_t *currency)
{
	*currency = 0;
	*value = 0;
	switch (q->measure) {
	case M_ACTS: *value = 1; break;
	case M_PERSONS:
	case M_DISTINCT:
	case M_EVENTS: *value = f->group; break;
	case M_DAYS: *value = detention_days(q, f); break;
	case M_DEMANDED:
		*value = f->demanded;
		*currency = f->code[FC_CUR_ARREST];
		break;
	case M_PAID:
		*value = f->paid;
		*currency = f->code[FC_CUR_ARREST];
		break;
	case M_COST:
		*value = f->cost;
		*currency = f->code[FC_CUR_COST];
		break;
	case M_COMP:
		*value = f->compensation;
		*currency = f->code[FC_CUR_COMP];
		break;
	}
}

/*
 * Add fact `f` with dimension values `vals` to every level of cells. `idx`
 * says which of a multi-valued dimension's values this is: a level that
 * sums over that dimension takes the fact once, from its first value.
 */
static int add_to_cells(struct squery *q, const struct fact *f,
			const uint32_t *vals, const size_t *idx)
{
	size_t levels = (size_t)1 << q->ndims;
	uint32_t currency;
	int64_t value;

	contribution(q, f, &value, &currency);
	if (q->measure == M_DAYS && value < 0)
		return 0;
	for (size_t mask = 0; mask < levels; mask++) {
		uint32_t key[MRM_STATS_DIMS_MAX + 1] = {0};
		struct scell *c;
		size_t d;

		for (d = 0; d < q->ndims; d++)
			if (mask & ((size_t)1 << d) && idx[d])
				break;
		if (d < q->ndims)
			continue;
		for (d = 0; d < q->ndims; d++)
			key[d] = mask & ((size_t)1 << d) ? SCELL_ALL : vals[d];
		key[MRM_STATS_DIMS_MAX] = currency;
		c = cells_get(q, key);
		if (!c)
			return MRM_ERR_NOMEM;
		if (cell_add(q, c, f, value))
			return MRM_ERR_NOMEM;
	}
	return 0;
}

/* Every combination of the fact's dimension values (attributes can have
 * several). */
static int add_fact(struct squery *q, const struct fact *f)
{
	uint32_t vals[MRM_STATS_DIMS_MAX][SATTR_MAX], pick[MRM_STATS_DIMS_MAX];
	size_t nvals[MRM_STATS_DIMS_MAX], idx[MRM_STATS_DIMS_MAX] = {0};
	int rc = 0;

	for (size_t d = 0; d < q->ndims; d++) {
		nvals[d] = dim_values(q, &q->dims[d], f, vals[d], SATTR_MAX);
		if (!nvals[d]) {
			vals[d][0] = 0;
			nvals[d] = 1;
		}
	}
	for (;;) {
		size_t d;

		for (d = 0; d < q->ndims; d++)
			pick[d] = vals[d][idx[d]];
		rc = add_to_cells(q, f, pick, idx);
		for (d = 0; d < q->ndims && ++idx[d] == nvals[d]; d++)
			idx[d] = 0;
		if (rc || d == q->ndims)
			return rc;
	}
}

static int fact_passes(struct squery *q, const struct fact *f)
{
	uint32_t vals[SATTR_MAX];

	if (!in_period(q, f) || !fact_counts(q, f))
		return 0;
	for (size_t i = 0; i < q->nfilters; i++) {
		struct sdim *d = &q->filters[i];
		size_t n = dim_values(q, d, f, vals, SATTR_MAX), k;

		for (k = 0; k < n && !passes(d, vals[k]); k++)
			;
		if (k == n)
			return 0;
	}
	return 1;
}

static int aggregate(struct squery *q, struct mrm_error *err)
{
	struct fact f = {0};
	int rc = 0;

	for (size_t i = 0; i < q->ndims; i++)
		if (q->dims[i].kind == D_ACT_GROUP &&
		    prepare_groups(q, &q->dims[i]))
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
	for (size_t i = 0; i < q->nfilters; i++)
		if (q->filters[i].kind == D_ACT_GROUP &&
		    prepare_groups(q, &q->filters[i]))
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
	for (size_t i = 0; !rc && i < q->facts.n; i++) {
		facts_get(&q->facts, i, &f);
		if (fact_passes(q, &f))
			rc = add_fact(q, &f);
	}
	if (rc || q->nomem)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	return cells_finish(q, err);
}

/* The fact columns that dimension `d` reads. */
static uint64_t dim_columns(const struct sdim *d)
{
	switch (d->kind) {
	case D_YEAR:
	case D_QUARTER:
	case D_MONTH: return FF_BIT(FF_DATE) | FF_BIT(FF_FLAGS);
	case D_AGE:
		return FF_BIT(FF_DATE) | FF_BIT(FF_BIRTH) | FF_BIT(FF_FLAGS);
	case D_CORRIDOR:
		return FF_BIT(FF_CODE + FC_NAT) | FF_BIT(FF_CODE + FC_COUNTRY);
	case D_ACT_GROUP: return FF_BIT(FF_CODE + FC_TYPE);
	case D_ATTR: return FF_BIT(FF_EVENT);
	default: return d->col >= 0 ? FF_BIT(FF_CODE + d->col) : 0;
	}
}

/* The fact columns query `q` reads: see fact_passes(), contribution(),
 * cell_add() and dim_values(). */
static uint64_t query_columns(const struct squery *q)
{
	static const struct {
		int measure;
		uint64_t cols;
	} by_measure[] = {
		{M_EVENTS, FF_BIT(FF_EVENT)},
		{M_DISTINCT, FF_BIT(FF_PERSON)},
		{M_DAYS, FF_BIT(FF_END) | FF_BIT(FF_CODE + FC_TYPE)},
		{M_DEMANDED,
		 FF_BIT(FF_DEMANDED) | FF_BIT(FF_CODE + FC_CUR_ARREST)},
		{M_PAID, FF_BIT(FF_PAID) | FF_BIT(FF_CODE + FC_CUR_ARREST)},
		{M_COST, FF_BIT(FF_COST) | FF_BIT(FF_CODE + FC_CUR_COST)},
		{M_COMP,
		 FF_BIT(FF_COMPENSATION) | FF_BIT(FF_CODE + FC_CUR_COMP)},
	};
	/* the kind and dates (periods), the people in each cell */
	uint64_t cols = FF_BIT(FF_FLAGS) | FF_BIT(FF_DATE) | FF_BIT(FF_GROUP);

	for (size_t i = 0; i < sizeof(by_measure) / sizeof(by_measure[0]); i++)
		if (by_measure[i].measure == q->measure)
			cols |= by_measure[i].cols;
	for (size_t i = 0; i < q->ndims; i++)
		cols |= dim_columns(&q->dims[i]);
	for (size_t i = 0; i < q->nfilters; i++)
		cols |= dim_columns(&q->filters[i]);
	return cols;
}

/* Load the facts and prepare the query over them: 1 when the cache moved
 * on in between (load again). */
static int load(struct squery *q, const struct mrm_stats_query *in,
		struct mrm_error *err)
{
	int rc = facts_load(q->st, &q->facts, err);

	q->unknown = rc ? 0 : facts_lookup(&q->facts, "unknown");
	if (!rc)
		rc = prepare(q, in, err);
	if (!rc)
		rc = facts_columns(q->st, &q->facts, query_columns(q), err);
	return rc;
}

int mrm_stats_run(struct mrm_store *st, const struct mrm_stats_query *in,
		  struct mrm_stats_result **out, struct mrm_error *err)
{
	struct squery *q;
	int rc, tries = 0;

	*out = NULL;
	if (labour_stats_measure(in->measure))
		return labour_stats_run(st, in, out, err);
	q = calloc(1, sizeof(*q));
	if (!q)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	q->st = st;
	q->whole = in->whole;
	while ((rc = load(q, in, err)) == 1 && ++tries < 3) {
		squery_free(q);
		if (!(q = calloc(1, sizeof(*q))))
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
		q->st = st;
		q->whole = in->whole;
	}
	if (rc == 1)
		rc = mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
				   "the statistics' cache kept changing "
				   "while it was read; try again");
	if (!rc)
		rc = aggregate(q, err);
	if (!rc)
		rc = result_build(q, in, out, err);
	if (!rc && in->public)
		rc = disclosure_apply(*out, err);
	squery_free(q);
	if (rc) {
		mrm_stats_result_free(*out);
		*out = NULL;
	}
	return rc;
}
