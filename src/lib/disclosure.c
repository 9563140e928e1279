/*
 * disclosure.c - disclosure control for published statistics.
 *
 * Primary suppression withholds every cell that describes fewer than k
 * people (or, for sums, rests on fewer than k acts). A total under the
 * threshold is not broken down at all: every cell under it is withheld,
 * including the empty ones, so that the number of non-empty cells does not
 * tell their values. "<k" therefore means "fewer than k, possibly none".
 *
 * Secondary suppression then withholds more cells until no withheld cell
 * can be worked out from what is published. Every published total is the
 * sum of the cells under it along one dimension (an equation):
 *
 *   1. no equation may have exactly one withheld member (subtraction);
 *   2. for sums (persons, acts, detention days, money), intervals are
 *      propagated through all equations together, starting from what a
 *      reader knows (a "<k" cell lies in [1, k-1], or [0, k-1] under a
 *      withheld total; an "x" cell is k or more for counts); a cell whose
 *      interval shrinks to one value is given away;
 *   3. for sums, an exact audit solves the equations together (Gaussian
 *      elimination) for any withheld cell they determine.
 *
 * Each step withholds the smallest published non-zero member of the
 * equation concerned (or its total when there is none).
 */
#include "stats_internal.h"

#include "mrm/buf.h"
#include "mrm/hmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INF (INT64_MAX / 4)

struct equation {
	size_t parent;
	size_t *children;
	size_t n;
};

struct dc {
	struct mrm_stats_result *r;
	struct equation *eqs;
	size_t neqs;
	int sum;	    /* the measure is a sum: equations hold exactly */
	int count;	    /* ... of people or acts: values are whole counts */
	unsigned char *low; /* per cell: may be zero although withheld */
};

/* "key1\x1fkey2\x1f...currency": a cell's identity, with dimension
 * `except` replaced by "*". Never empty. */
static int key_of(const struct mrm_stats_result *r, const char *const *key,
		  const char *currency, size_t except, struct mrm_buf *b)
{
	int rc = 0;

	mrm_buf_reset(b);
	rc = mrm_buf_addc(b, '|');
	for (size_t d = 0; !rc && d < r->ndims; d++) {
		rc = mrm_buf_adds(b, d == except ? MRM_STATS_ALL : key[d]);
		if (!rc)
			rc = mrm_buf_addc(b, '\x1f');
	}
	if (!rc && currency)
		rc = mrm_buf_adds(b, currency);
	return rc;
}

static size_t withheld(const struct mrm_stats_cell *c)
{
	return c->mark != MRM_STATS_SHOWN;
}

static int is_primary(const struct mrm_stats_result *r,
		      const struct mrm_stats_cell *c)
{
	int64_t k = r->k;

	if (c->people > 0 && c->people < k)
		return 1;
	if ((r->money || r->days) && c->count > 0 && c->count < k)
		return 1;
	return !r->money && !r->days && c->value > 0 && c->value < k;
}

/* ---- whole lines under a total below the threshold ---- */

/* Distinct values of each dimension in the result. */
struct values {
	const char **v[MRM_STATS_DIMS_MAX];
	size_t n[MRM_STATS_DIMS_MAX];
};

static int collect_values(const struct mrm_stats_result *r, struct values *vals)
{
	for (size_t d = 0; d < r->ndims; d++) {
		struct mrm_hmap seen;

		mrm_hmap_init(&seen);
		vals->v[d] = calloc(r->ncells + 1, sizeof(char *));
		if (!vals->v[d]) {
			mrm_hmap_release(&seen);
			return MRM_ERR_NOMEM;
		}
		for (size_t i = 0; i < r->ncells; i++) {
			const char *s = r->cells[i].key[d];

			if (!strcmp(s, MRM_STATS_ALL) ||
			    mrm_hmap_get(&seen, s, NULL))
				continue;
			if (mrm_hmap_put(&seen, s, 1)) {
				mrm_hmap_release(&seen);
				return MRM_ERR_NOMEM;
			}
			vals->v[d][vals->n[d]++] = s;
		}
		mrm_hmap_release(&seen);
	}
	return 0;
}

static int add_cell(struct dc *dc, const struct mrm_stats_cell *model,
		    struct mrm_hmap *index, struct mrm_buf *b)
{
	struct mrm_stats_result *r = dc->r;
	struct mrm_stats_cell *cells =
		realloc(r->cells, (r->ncells + 1) * sizeof(*cells));
	unsigned char *low = realloc(dc->low, r->ncells + 1);

	if (cells)
		r->cells = cells;
	if (low)
		dc->low = low;
	if (!cells || !low)
		return MRM_ERR_NOMEM;
	memset(&r->cells[r->ncells], 0, sizeof(*cells));
	memcpy(r->cells[r->ncells].key, model->key, sizeof(model->key));
	r->cells[r->ncells].currency = model->currency;
	r->cells[r->ncells].mark = MRM_STATS_PRIMARY;
	dc->low[r->ncells] = 1;
	if (mrm_hmap_put(index, b->ptr, (int64_t)r->ncells))
		return MRM_ERR_NOMEM;
	r->ncells++;
	return 0;
}

/*
 * Withhold every cell under a primary total, adding the empty ones, from
 * the most summed-up level down (a new cell can itself be such a total).
 */
static int withhold_lines(struct dc *dc, struct mrm_hmap *index)
{
	struct mrm_stats_result *r = dc->r;
	struct values vals = {0};
	struct mrm_buf b = MRM_BUF_INIT(4096);
	int rc = collect_values(r, &vals);

	for (size_t i = 0; !rc && i < r->ncells; i++) {
		struct mrm_stats_cell line;

		if (r->cells[i].mark != MRM_STATS_PRIMARY)
			continue;
		line = r->cells[i];
		for (size_t d = 0; !rc && d < r->ndims; d++) {
			if (strcmp(line.key[d], MRM_STATS_ALL))
				continue;
			for (size_t v = 0; !rc && v < vals.n[d]; v++) {
				struct mrm_stats_cell child = line;
				int64_t at;

				child.key[d] = vals.v[d][v];
				rc = key_of(r, child.key, child.currency,
					    (size_t)-1, &b);
				if (rc)
					break;
				if (mrm_hmap_get(index, b.ptr, &at)) {
					dc->low[at] = 1;
					r->cells[at].mark = MRM_STATS_PRIMARY;
				} else {
					rc = add_cell(dc, &child, index, &b);
				}
			}
		}
	}
	for (size_t d = 0; d < MRM_STATS_DIMS_MAX; d++)
		free(vals.v[d]);
	mrm_buf_release(&b);
	return rc;
}

/* ---- equations ---- */

static int add_child(struct dc *dc, struct mrm_hmap *groups, size_t parent,
		     size_t d, size_t child, struct mrm_buf *b)
{
	struct equation *e;
	size_t *ch;
	int64_t at;

	if (mrm_buf_addf(b, "|%zu", d))
		return MRM_ERR_NOMEM;
	if (!mrm_hmap_get(groups, b->ptr, &at)) {
		struct equation *eqs =
			realloc(dc->eqs, (dc->neqs + 1) * sizeof(*eqs));

		if (!eqs)
			return MRM_ERR_NOMEM;
		dc->eqs = eqs;
		if (mrm_hmap_put(groups, b->ptr, (int64_t)dc->neqs))
			return MRM_ERR_NOMEM;
		at = (int64_t)dc->neqs++;
		dc->eqs[at] = (struct equation){parent, NULL, 0};
	}
	e = &dc->eqs[at];
	ch = realloc(e->children, (e->n + 1) * sizeof(*ch));
	if (!ch)
		return MRM_ERR_NOMEM;
	e->children = ch;
	e->children[e->n++] = child;
	return 0;
}

/* Every published total and the cells it sums, one equation each. */
static int build_equations(struct dc *dc, struct mrm_hmap *index)
{
	struct mrm_stats_result *r = dc->r;
	struct mrm_hmap groups;
	struct mrm_buf b = MRM_BUF_INIT(4096);
	int rc = 0;

	mrm_hmap_init(&groups);
	for (size_t i = 0; !rc && i < r->ncells; i++) {
		for (size_t d = 0; !rc && d < r->ndims; d++) {
			int64_t parent;

			if (!strcmp(r->cells[i].key[d], MRM_STATS_ALL))
				continue;
			rc = key_of(r, r->cells[i].key, r->cells[i].currency, d,
				    &b);
			if (rc || !mrm_hmap_get(index, b.ptr, &parent))
				continue;
			rc = add_child(dc, &groups, (size_t)parent, d, i, &b);
		}
	}
	mrm_hmap_release(&groups);
	mrm_buf_release(&b);
	return rc;
}

/* Withhold one more member of `e`: its smallest published non-zero
 * child, else its total. Returns 1 when something was withheld. */
static int withhold_more(struct dc *dc, const struct equation *e)
{
	struct mrm_stats_cell *cells = dc->r->cells, *best = NULL;

	for (size_t i = 0; i < e->n; i++) {
		struct mrm_stats_cell *c = &cells[e->children[i]];

		if (!withheld(c) && (c->value > 0 || c->people > 0) &&
		    (!best || c->value < best->value))
			best = c;
	}
	if (!best && !withheld(&cells[e->parent]))
		best = &cells[e->parent];
	if (!best)
		return 0;
	best->mark = MRM_STATS_SECONDARY;
	return 1;
}

/* Rule 1: returns how many cells it withheld. */
static size_t single_pass(struct dc *dc)
{
	size_t added = 0;

	for (size_t i = 0; i < dc->neqs; i++) {
		const struct equation *e = &dc->eqs[i];
		size_t w = withheld(&dc->r->cells[e->parent]);

		for (size_t j = 0; j < e->n; j++)
			w += withheld(&dc->r->cells[e->children[j]]);
		if (w == 1)
			added += (size_t)withhold_more(dc, e);
	}
	return added;
}

/* ---- rule 2: intervals ---- */

static int64_t sat_add(int64_t a, int64_t b)
{
	return a >= INF || b >= INF ? INF : a + b;
}

/* What a reader knows of each cell before using the equations. */
static void start_intervals(const struct dc *dc, int64_t *lo, int64_t *hi)
{
	const struct mrm_stats_result *r = dc->r;

	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *c = &r->cells[i];

		if (!withheld(c)) {
			lo[i] = hi[i] = c->value;
		} else if (!dc->count) {
			lo[i] = 0;
			hi[i] = INF;
		} else if (c->mark == MRM_STATS_PRIMARY) {
			lo[i] = dc->low[i] ? 0 : 1;
			hi[i] = r->k - 1;
		} else {
			lo[i] = r->k;
			hi[i] = INF;
		}
	}
}

/* Tighten the intervals of one equation; 1 when anything changed. */
static int tighten(const struct equation *e, int64_t *lo, int64_t *hi)
{
	int64_t slo = 0, shi = 0;
	int changed = 0;

	for (size_t j = 0; j < e->n; j++) {
		slo = sat_add(slo, lo[e->children[j]]);
		shi = sat_add(shi, hi[e->children[j]]);
	}
	if (slo > lo[e->parent])
		lo[e->parent] = slo, changed = 1;
	if (shi < hi[e->parent])
		hi[e->parent] = shi, changed = 1;
	for (size_t j = 0; j < e->n; j++) {
		size_t c = e->children[j];
		int64_t others_hi = shi >= INF ? INF : shi - hi[c];
		int64_t others_lo = slo - lo[c];
		int64_t from, to;

		/* with hi[c] infinite, the others' upper sum is unknown here */
		if (hi[c] >= INF) {
			others_hi = 0;
			for (size_t k = 0; k < e->n; k++)
				if (k != j)
					others_hi = sat_add(others_hi,
							    hi[e->children[k]]);
		}
		from = others_hi >= INF ? lo[c] : lo[e->parent] - others_hi;
		to = hi[e->parent] >= INF ? hi[c] : hi[e->parent] - others_lo;
		if (from > lo[c])
			lo[c] = from, changed = 1;
		if (to < hi[c])
			hi[c] = to, changed = 1;
	}
	return changed;
}

/* Work the propagation does at most (equations tightened). */
#define PROPAGATE_MAX 20000000

/* For each cell, the equations it is a member of (CSR layout). */
static int member_index(const struct dc *dc, size_t **start, size_t **list)
{
	size_t n = dc->r->ncells, total = 0;
	size_t *count = calloc(n + 1, sizeof(size_t));

	*start = *list = NULL;
	if (!count)
		return MRM_ERR_NOMEM;
	for (size_t i = 0; i < dc->neqs; i++) {
		count[dc->eqs[i].parent]++;
		for (size_t j = 0; j < dc->eqs[i].n; j++)
			count[dc->eqs[i].children[j]]++;
	}
	*start = malloc((n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		total += count[i];
	*list = malloc((total + 1) * sizeof(size_t));
	if (!*start || !*list) {
		free(count);
		return MRM_ERR_NOMEM;
	}
	(*start)[0] = 0;
	for (size_t i = 0; i < n; i++)
		(*start)[i + 1] = (*start)[i] + count[i];
	memset(count, 0, (n + 1) * sizeof(size_t));
	for (size_t i = 0; i < dc->neqs; i++) {
		size_t p = dc->eqs[i].parent;

		(*list)[(*start)[p] + count[p]++] = i;
		for (size_t j = 0; j < dc->eqs[i].n; j++) {
			size_t c = dc->eqs[i].children[j];

			(*list)[(*start)[c] + count[c]++] = i;
		}
	}
	free(count);
	return 0;
}

/*
 * A withheld cell whose interval the equations pin, or (size_t)-1. The
 * intervals are tightened to a fixed point: an equation is looked at again
 * whenever one of its members changed.
 */
static size_t pinned(const struct dc *dc)
{
	const struct mrm_stats_result *r = dc->r;
	size_t n = r->ncells, found = (size_t)-1, head = 0, tail = 0;
	int64_t *lo = malloc((n + 1) * sizeof(*lo));
	int64_t *hi = malloc((n + 1) * sizeof(*hi));
	size_t *queue = malloc((dc->neqs + 1) * sizeof(size_t));
	unsigned char *queued = calloc(dc->neqs + 1, 1);
	size_t *start = NULL, *list = NULL, work = 0;

	if (!lo || !hi || !queue || !queued || member_index(dc, &start, &list))
		goto out;
	start_intervals(dc, lo, hi);
	for (size_t i = 0; i < dc->neqs; i++)
		queue[tail++] = i, queued[i] = 1;
	tail %= dc->neqs + 1;
	while (head != tail && work++ < PROPAGATE_MAX) {
		const struct equation *e = &dc->eqs[queue[head]];

		queued[queue[head]] = 0;
		head = (head + 1) % (dc->neqs + 1);
		if (!tighten(e, lo, hi))
			continue;
		/* look again at every equation of every member */
		for (size_t j = 0; j <= e->n; j++) {
			size_t c = j < e->n ? e->children[j] : e->parent;

			for (size_t k = start[c]; k < start[c + 1]; k++) {
				size_t q = list[k];

				if (!queued[q]) {
					queued[q] = 1;
					queue[tail] = q;
					tail = (tail + 1) % (dc->neqs + 1);
				}
			}
		}
	}
	for (size_t i = 0; i < n && found == (size_t)-1; i++)
		if (withheld(&r->cells[i]) && lo[i] >= hi[i])
			found = i;
out:
	free(start);
	free(list);
	free(queue);
	free(queued);
	free(lo);
	free(hi);
	return found;
}

/* ---- rule 3: exact audit ---- */

#define AUDIT_MAX 600 /* withheld cells the exact audit handles */

/* Reduce m (rows x nvar) in place; pivot_row[c] is the row of column c's
 * pivot or (size_t)-1. */
static void reduce(double *m, size_t rows, size_t nvar, size_t *pivot_row)
{
	size_t lead = 0;

	for (size_t c = 0; c < nvar; c++)
		pivot_row[c] = (size_t)-1;
	for (size_t c = 0; c < nvar && lead < rows; c++) {
		size_t p = lead;
		double *prow, piv;

		while (p < rows && fabs(m[p * nvar + c]) < 1e-9)
			p++;
		if (p == rows)
			continue;
		for (size_t k = 0; k < nvar; k++) {
			double t = m[p * nvar + k];

			m[p * nvar + k] = m[lead * nvar + k];
			m[lead * nvar + k] = t;
		}
		prow = m + lead * nvar;
		piv = prow[c];
		for (size_t k = 0; k < nvar; k++)
			prow[k] /= piv;
		for (size_t q = 0; q < rows; q++) {
			double f = m[q * nvar + c];

			if (q == lead || fabs(f) < 1e-12)
				continue;
			for (size_t k = 0; k < nvar; k++)
				m[q * nvar + k] -= f * prow[k];
		}
		pivot_row[c] = lead++;
	}
}

/*
 * A withheld cell that the published equations determine together, or
 * (size_t)-1: a cell is determined when its unit vector lies in the row
 * space of the equations restricted to the withheld cells.
 */
static size_t determined(const struct dc *dc)
{
	const struct mrm_stats_result *r = dc->r;
	size_t *var = malloc((r->ncells + 1) * sizeof(*var)), nvar = 0;
	size_t found = (size_t)-1, rows = 0, *pivot_row = NULL;
	double *m = NULL;

	if (!var)
		return found;
	for (size_t i = 0; i < r->ncells; i++)
		var[i] = withheld(&r->cells[i]) ? nvar++ : (size_t)-1;
	if (!nvar || nvar > AUDIT_MAX)
		goto out;
	m = calloc(dc->neqs * nvar + 1, sizeof(*m));
	pivot_row = malloc(nvar * sizeof(*pivot_row));
	if (!m || !pivot_row)
		goto out;
	for (size_t i = 0; i < dc->neqs; i++) {
		const struct equation *e = &dc->eqs[i];
		double *row = m + rows * nvar;
		int any = 0;

		if (var[e->parent] != (size_t)-1)
			row[var[e->parent]] = 1, any = 1;
		for (size_t j = 0; j < e->n; j++)
			if (var[e->children[j]] != (size_t)-1)
				row[var[e->children[j]]] = -1, any = 1;
		rows += (size_t)any;
	}
	reduce(m, rows, nvar, pivot_row);
	for (size_t c = 0; c < nvar && found == (size_t)-1; c++) {
		size_t k, pr = pivot_row[c];

		if (pr == (size_t)-1)
			continue;
		for (k = 0; k < nvar; k++)
			if (k != c && fabs(m[pr * nvar + k]) > 1e-9)
				break;
		if (k < nvar)
			continue;
		for (size_t i = 0; i < r->ncells; i++)
			if (var[i] == c)
				found = i;
	}
out:
	free(pivot_row);
	free(m);
	free(var);
	return found;
}

/* Withhold another cell in an equation of cell `i`. */
static int widen_around(struct dc *dc, size_t i)
{
	for (size_t e = 0; e < dc->neqs; e++) {
		const struct equation *eq = &dc->eqs[e];
		int member = eq->parent == i;

		for (size_t j = 0; !member && j < eq->n; j++)
			member = eq->children[j] == i;
		if (member && withhold_more(dc, eq))
			return 1;
	}
	return 0;
}

/*
 * When every equation of a given-away cell is withheld already, the cell
 * is pinned through a longer chain: withhold the smallest published
 * non-zero cell of any equation that has a withheld member.
 */
static int widen_anywhere(struct dc *dc)
{
	struct mrm_stats_cell *cells = dc->r->cells, *best = NULL;

	for (size_t i = 0; i < dc->neqs; i++) {
		const struct equation *e = &dc->eqs[i];
		size_t w = withheld(&cells[e->parent]);

		for (size_t j = 0; !w && j < e->n; j++)
			w += withheld(&cells[e->children[j]]);
		if (!w)
			continue;
		for (size_t j = 0; j <= e->n; j++) {
			struct mrm_stats_cell *c =
				&cells[j < e->n ? e->children[j] : e->parent];

			if (!withheld(c) && (c->value > 0 || c->people > 0) &&
			    (!best || c->value < best->value))
				best = c;
		}
	}
	if (!best)
		return 0;
	best->mark = MRM_STATS_SECONDARY;
	return 1;
}

/* Apply the rules until none withholds anything more. */
static void secondary(struct dc *dc)
{
	for (size_t round = 0; round <= dc->r->ncells; round++) {
		size_t found;

		if (single_pass(dc))
			continue;
		if (!dc->sum)
			return;
		found = pinned(dc);
		if (found == (size_t)-1)
			found = determined(dc);
		if (found == (size_t)-1 ||
		    (!widen_around(dc, found) && !widen_anywhere(dc)))
			return;
	}
}

int disclosure_apply(struct mrm_stats_result *r, struct mrm_error *err)
{
	struct dc dc = {r, NULL, 0, 0, 0, NULL};
	struct mrm_hmap index;
	struct mrm_buf b = MRM_BUF_INIT(4096);
	size_t nbefore = r->ncells;
	int rc = 0;

	mrm_hmap_init(&index);
	for (size_t d = 0; d < r->ndims; d++)
		if (!strncmp(r->dims[d], "attr.", 5)) {
			rc = mrm_error_set(
				err, MRM_ERR_INVALID, "--public",
				"custom attributes can hold free text "
				"and are not published as a "
				"breakdown; use them in --where");
			goto out;
		}
	dc.count =
		!r->money && !r->days &&
		(!strcmp(r->measure, "persons") || !strcmp(r->measure, "acts"));
	dc.sum = dc.count || r->money || r->days;
	dc.low = calloc(r->ncells + 1, 1);
	if (!dc.low)
		goto nomem;
	for (size_t i = 0; i < r->ncells; i++) {
		if (is_primary(r, &r->cells[i]))
			r->cells[i].mark = MRM_STATS_PRIMARY;
		if (key_of(r, r->cells[i].key, r->cells[i].currency, (size_t)-1,
			   &b) ||
		    mrm_hmap_put(&index, b.ptr, (int64_t)i))
			goto nomem;
	}
	if (withhold_lines(&dc, &index) || build_equations(&dc, &index))
		goto nomem;
	secondary(&dc);
	r->suppressed = 0;
	for (size_t i = 0; i < r->ncells; i++)
		r->suppressed += withheld(&r->cells[i]);
	if (r->ncells != nbefore)
		stats_sort_cells(r); /* cells were added: in their places */
	goto out;
nomem:
	rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
out:
	for (size_t i = 0; i < dc.neqs; i++)
		free(dc.eqs[i].children);
	free(dc.eqs);
	free(dc.low);
	mrm_hmap_release(&index);
	mrm_buf_release(&b);
	return rc;
}
