/* stats_cells.c - cells of a statistics query and its result; see
 * stats_internal.h */
#include "stats_internal.h"

#include "mrm/fields.h"
#include "mrm/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the result owns besides its cells: the dictionary of codes. */
struct result_priv {
	char **dict;
	size_t ndict;
};

static void sdim_release(struct sdim *d)
{
	free(d->group_of);
	free(d->attr_event);
	free(d->attr_code);
}

void squery_free(struct squery *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->ndims; i++)
		sdim_release(&q->dims[i]);
	for (size_t i = 0; i < q->nfilters; i++)
		sdim_release(&q->filters[i]);
	facts_release(&q->facts);
	free(q->cells);
	free(q->slots);
	free(q->pairs);
	free(q);
}

/* ---- attributes ---- */

int attr_load(struct squery *q, struct sdim *d, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc = 0;

	if (sqlite3_prepare_v2(mrm_store_db(q->st),
			       "SELECT event_id, value FROM event_attr WHERE "
			       "name = ? ORDER BY event_id",
			       -1, &s, NULL))
		return mrm_store_fail(q->st, err, "attributes");
	sqlite3_bind_text(s, 1, d->name + 5, -1, SQLITE_STATIC);
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if (d->nattr == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			uint32_t *e = realloc(d->attr_event, ncap * sizeof(*e));
			uint32_t *c =
				e ? realloc(d->attr_code, ncap * sizeof(*c))
				  : NULL;

			if (e)
				d->attr_event = e;
			if (!c) {
				rc = MRM_ERR_NOMEM;
				break;
			}
			d->attr_code = c;
			cap = ncap;
		}
		d->attr_event[d->nattr] = (uint32_t)sqlite3_column_int64(s, 0);
		d->attr_code[d->nattr] = facts_intern(
			&q->facts, (const char *)sqlite3_column_text(s, 1));
		if (d->attr_code[d->nattr++] == UINT32_MAX)
			rc = MRM_ERR_NOMEM;
	}
	sqlite3_finalize(s);
	return rc ? mrm_error_set(err, rc, NULL, "out of memory") : 0;
}

size_t attr_values(const struct sdim *d, uint32_t event, uint32_t *out,
		   size_t max)
{
	size_t lo = 0, hi = d->nattr, n = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (d->attr_event[mid] < event)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < d->nattr && d->attr_event[lo] == event && n < max)
		out[n++] = d->attr_code[lo++];
	return n;
}

/* ---- cells ---- */

static uint64_t key_hash(const uint32_t *key)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i <= MRM_STATS_DIMS_MAX; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static int rehash(struct squery *q)
{
	size_t n = q->nslots ? q->nslots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return MRM_ERR_NOMEM;
	for (size_t i = 0; i < q->ncells; i++) {
		size_t h = (size_t)key_hash(q->cells[i].key) & (n - 1);

		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = (uint32_t)i + 1;
	}
	free(q->slots);
	q->slots = slots;
	q->nslots = n;
	return 0;
}

struct scell *cells_get(struct squery *q, const uint32_t *key)
{
	const size_t keybytes = sizeof(uint32_t) * (MRM_STATS_DIMS_MAX + 1);
	size_t h;

	if ((q->ncells + 1) * 2 > q->nslots && rehash(q))
		return NULL;
	h = (size_t)key_hash(key) & (q->nslots - 1);
	for (; q->slots[h]; h = (h + 1) & (q->nslots - 1)) {
		struct scell *c = &q->cells[q->slots[h] - 1];

		if (!memcmp(c->key, key, keybytes))
			return c;
	}
	if (q->ncells == q->capcells) {
		size_t cap = q->capcells ? q->capcells * 2 : 256;
		struct scell *cells = realloc(q->cells, cap * sizeof(*cells));

		if (!cells)
			return NULL;
		q->cells = cells;
		q->capcells = cap;
	}
	memset(&q->cells[q->ncells], 0, sizeof(struct scell));
	memcpy(q->cells[q->ncells].key, key, keybytes);
	q->slots[h] = (uint32_t)++q->ncells;
	return &q->cells[q->ncells - 1];
}

static int push_pair(struct squery *q, const struct scell *c, uint32_t item,
		     int64_t weight)
{
	if (q->npairs == q->cappairs) {
		size_t cap = q->cappairs ? q->cappairs * 2 : 4096;
		struct spair *p = realloc(q->pairs, cap * sizeof(*p));

		if (!p)
			return MRM_ERR_NOMEM;
		q->pairs = p;
		q->cappairs = cap;
	}
	q->pairs[q->npairs++] =
		(struct spair){(uint32_t)(c - q->cells), item, weight};
	return 0;
}

int cell_add(struct squery *q, struct scell *c, const struct fact *f,
	     int64_t value)
{
	c->people += f->group;
	switch (q->measure) {
	case SM_EVENTS:
		/* facts come sorted by event: count each event once */
		if (c->last_event != f->event + 1) {
			c->last_event = f->event + 1;
			c->value++;
		}
		return 0;
	case SM_DISTINCT:
		if (!f->person || c->last_person == f->person)
			return 0;
		c->last_person = f->person;
		return push_pair(q, c, f->person, f->group);
	case SM_DAYS:
		c->count++;
		c->value += value;
		return push_pair(q, c, 0, value);
	default:
		/* money: the acts behind a sum are counted for the threshold */
		c->count++;
		c->value += value;
		return 0;
	}
}

static int pair_order(const void *a, const void *b)
{
	const struct spair *x = a, *y = b;

	if (x->cell != y->cell)
		return x->cell < y->cell ? -1 : 1;
	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return (x->weight > y->weight) - (x->weight < y->weight);
}

/* Value at quantile `p` of sorted values v[0..n) (nearest rank). */
static double quantile(const struct spair *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p * (double)n);

	return (double)v[rank ? rank - 1 : 0].weight;
}

int cells_finish(struct squery *q, struct mrm_error *err)
{
	(void)err;
	if (q->measure != SM_DISTINCT && q->measure != SM_DAYS)
		return 0;
	if (q->npairs)
		qsort(q->pairs, q->npairs, sizeof(*q->pairs), pair_order);
	for (size_t i = 0; i < q->npairs;) {
		struct scell *c = &q->cells[q->pairs[i].cell];
		size_t j = i;

		while (j < q->npairs && q->pairs[j].cell == q->pairs[i].cell)
			j++;
		if (q->measure == SM_DAYS) {
			size_t n = j - i;

			c->median =
				n % 2 ? (double)q->pairs[i + n / 2].weight
				      : ((double)q->pairs[i + n / 2 - 1]
						 .weight +
					 (double)q->pairs[i + n / 2].weight) /
						2;
			c->p90 = quantile(q->pairs + i, n, 0.9);
		} else {
			for (size_t k = i; k < j; k++)
				if (k == i ||
				    q->pairs[k].item != q->pairs[k - 1].item)
					c->value += q->pairs[k].weight;
		}
		i = j;
	}
	return 0;
}

/* ---- the result ---- */

/* Natural order of two dimension values: "*" last, then "unknown", else
 * by text (years and months sort as numbers do). */
static int value_order(const char *x, const char *y)
{
	int ax = !strcmp(x, MRM_STATS_ALL), ay = !strcmp(y, MRM_STATS_ALL);
	int ux = !strcmp(x, "unknown"), uy = !strcmp(y, "unknown");

	if (ax != ay)
		return ax - ay;
	if (ux != uy)
		return ux - uy;
	return strcmp(x, y);
}

static const struct mrm_stats_result *sort_r; /* qsort has no context */

/* Full cells first, then subtotals, then the total; within a level by the
 * dimensions' values in order, then currency. */
static int cell_order(const void *a, const void *b)
{
	const struct mrm_stats_cell *x = a, *y = b;
	size_t lx = 0, ly = 0;
	int o = 0;

	for (size_t d = 0; d < sort_r->ndims; d++) {
		lx += !strcmp(x->key[d], MRM_STATS_ALL);
		ly += !strcmp(y->key[d], MRM_STATS_ALL);
	}
	if (lx != ly)
		return lx < ly ? -1 : 1;
	for (size_t d = 0; !o && d < sort_r->ndims; d++)
		o = value_order(x->key[d], y->key[d]);
	return o ? o
		 : strcmp(x->currency ? x->currency : "",
			  y->currency ? y->currency : "");
}

void stats_sort_cells(struct mrm_stats_result *r)
{
	sort_r = r;
	if (r->ncells)
		qsort(r->cells, r->ncells, sizeof(*r->cells), cell_order);
}

static const char *key_text(const struct squery *q, uint32_t code)
{
	if (code == SCELL_ALL)
		return MRM_STATS_ALL;
	return *q->facts.dict[code] ? q->facts.dict[code] : "unknown";
}

int result_build(struct squery *q, const struct mrm_stats_query *in,
		 struct mrm_stats_result **out, struct mrm_error *err)
{
	struct mrm_stats_result *r = calloc(1, sizeof(*r));
	struct result_priv *priv = calloc(1, sizeof(*priv));
	int rc = 0;

	if (!r || !priv)
		goto nomem;
	r->priv = priv;
	r->measure = strdup(in->measure);
	r->ndims = q->ndims;
	r->money = q->measure > SM_DAYS;
	r->days = q->measure == SM_DAYS;
	r->public = in->public;
	r->k = in->k ? in->k : MRM_STATS_K_DEFAULT;
	for (size_t d = 0; d < q->ndims; d++)
		if (!(r->dims[d] = strdup(q->dims[d].name)))
			goto nomem;
	if (!r->measure)
		goto nomem;
	r->cells = calloc(q->ncells + 1, sizeof(*r->cells));
	if (!r->cells)
		goto nomem;
	for (size_t i = 0; i < q->ncells; i++) {
		const struct scell *c = &q->cells[i];
		struct mrm_stats_cell *o = &r->cells[i];

		for (size_t d = 0; d < q->ndims; d++)
			o->key[d] = key_text(q, c->key[d]);
		o->currency = r->money ? key_text(q, c->key[MRM_STATS_DIMS_MAX])
				       : NULL;
		o->value = c->value;
		o->people = c->people;
		o->count = c->count;
		o->mean = c->count ? (double)c->value / (double)c->count : 0;
		o->median = c->median;
		o->p90 = c->p90;
	}
	r->ncells = q->ncells;
	stats_sort_cells(r);
	/* the strings now belong to the result */
	priv->dict = q->facts.dict;
	priv->ndict = q->facts.ndict;
	q->facts.dict = NULL;
	q->facts.ndict = q->facts.capdict = 0;
	*out = r;
	return 0;
nomem:
	rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	*out = r;
	return rc;
}

void mrm_stats_result_free(struct mrm_stats_result *r)
{
	struct result_priv *priv;

	if (!r)
		return;
	priv = r->priv;
	if (priv) {
		for (size_t i = 0; i < priv->ndict; i++)
			free(priv->dict[i]);
		free(priv->dict);
		free(priv);
	}
	for (size_t d = 0; d < MRM_STATS_DIMS_MAX; d++)
		free(r->dims[d]);
	free(r->measure);
	free(r->cells);
	free(r);
}

int mrm_stats_cell_is_full(const struct mrm_stats_result *r,
			   const struct mrm_stats_cell *c)
{
	for (size_t d = 0; d < r->ndims; d++)
		if (!strcmp(c->key[d], MRM_STATS_ALL))
			return 0;
	return 1;
}

void mrm_stats_value_text(const struct mrm_stats_result *r,
			  const struct mrm_stats_cell *c, char *out,
			  size_t size)
{
	if (c->mark == MRM_STATS_PRIMARY)
		snprintf(out, size, "<%u", r->k);
	else if (c->mark == MRM_STATS_SECONDARY)
		snprintf(out, size, "x");
	else if (r->money)
		mrm_money_format(c->value, c->currency, out, size);
	else
		snprintf(out, size, "%lld", (long long)c->value);
}

int mrm_stats_quantiles_shown(const struct mrm_stats_result *r,
			      const struct mrm_stats_cell *c)
{
	return c->mark == MRM_STATS_SHOWN &&
	       (!r->public || c->count >= 2 * (int64_t)r->k);
}

static json_t *value_json(const struct mrm_stats_result *r,
			  const struct mrm_stats_cell *c)
{
	char text[64];

	if (c->mark != MRM_STATS_SHOWN || r->money) {
		mrm_stats_value_text(r, c, text, sizeof(text));
		return json_string(text);
	}
	if (r->days) {
		json_t *o = json_pack("{s:I,s:I,s:f}", "count",
				      (json_int_t)c->count, "sum",
				      (json_int_t)c->value, "mean", c->mean);
		int q = mrm_stats_quantiles_shown(r, c);

		json_object_set_new(o, "median",
				    q ? json_real(c->median) : json_null());
		json_object_set_new(o, "p90",
				    q ? json_real(c->p90) : json_null());
		return o;
	}
	return json_integer(c->value);
}

static json_t *cell_json(const struct mrm_stats_result *r,
			 const struct mrm_stats_cell *c)
{
	json_t *o = json_object();

	for (size_t d = 0; d < r->ndims; d++)
		json_object_set_new(o, r->dims[d], json_string(c->key[d]));
	if (r->money)
		json_object_set_new(o, "currency", json_string(c->currency));
	json_object_set_new(o, "value", value_json(r, c));
	return o;
}

json_t *mrm_stats_json(const struct mrm_stats_result *r)
{
	json_t *dims = json_array(), *rows = json_array(), *subs = json_array();
	json_t *total = NULL, *o;

	for (size_t d = 0; d < r->ndims; d++)
		json_array_append_new(dims, json_string(r->dims[d]));
	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *c = &r->cells[i];
		size_t all = 0;

		for (size_t d = 0; d < r->ndims; d++)
			all += !strcmp(c->key[d], MRM_STATS_ALL);
		if (all == r->ndims && r->money) {
			if (!total)
				total = json_object();
			json_object_set_new(total, c->currency,
					    value_json(r, c));
		} else if (all == r->ndims) {
			total = value_json(r, c);
		}
		if (all == 0 && r->ndims)
			json_array_append_new(rows, cell_json(r, c));
		else if (all < r->ndims)
			json_array_append_new(subs, cell_json(r, c));
	}
	o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:I}", "measure", r->measure,
		      "dims", dims, "rows", rows, "subtotals", subs, "total",
		      total ? total : json_integer(0), "suppressed",
		      (json_int_t)r->suppressed);
	if (r->public)
		json_object_set_new(o, "threshold", json_integer(r->k));
	return o;
}

int result_adopt(struct mrm_stats_result *r, char **dict, size_t n)
{
	struct result_priv *priv = calloc(1, sizeof(*priv));

	if (!priv)
		return MRM_ERR_NOMEM;
	priv->dict = dict;
	priv->ndict = n;
	r->priv = priv;
	return 0;
}
