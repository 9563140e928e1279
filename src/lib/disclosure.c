/*
 * disclosure.c - disclosure control for published statistics.
 *
 * Primary suppression withholds every cell that describes fewer than k
 * people. Secondary suppression then withholds more cells until no
 * withheld cell can be worked out from what is published:
 *
 *   - every published total is a sum of the cells under it along one
 *     dimension (an equation); no equation may have exactly one withheld
 *     member, or subtraction gives it away;
 *   - for counts, a withheld primary cell is known to lie in [1, k-1] and
 *     a secondary one in [k, ...]; where an equation's bounds pin a cell to
 *     one value, another cell is withheld;
 *   - for counts, a final exact audit solves the published equations
 *     together (Gaussian elimination) and withholds more while any withheld
 *     cell is determined by a combination of them.
 *
 * Each step withholds the smallest published non-zero member of the
 * equation concerned (or its total when there is none), which keeps the
 * information lost small. Zero cells are published: they identify no one.
 */
#include "stats_internal.h"

#include "mrm/buf.h"
#include "mrm/hmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct equation {
	size_t parent;
	size_t *children;
	size_t n;
};

struct dc {
	struct mrm_stats_result *r;
	struct equation *eqs;
	size_t neqs;
	int additive; /* counts whose totals are exact sums */
};

static int key_of(const struct mrm_stats_result *r,
		  const struct mrm_stats_cell *c, size_t except,
		  struct mrm_buf *b)
{
	int rc = 0;

	mrm_buf_reset(b);
	for (size_t d = 0; !rc && d < r->ndims; d++) {
		rc = mrm_buf_adds(b, d == except ? MRM_STATS_ALL : c->key[d]);
		if (!rc)
			rc = mrm_buf_addc(b, '\x1f');
	}
	if (!rc && r->money)
		rc = mrm_buf_adds(b, c->currency);
	return rc;
}

static int add_child(struct dc *dc, struct mrm_hmap *groups, size_t parent,
		     size_t d, size_t child, struct mrm_buf *b)
{
	struct equation *e;
	int64_t at;

	mrm_buf_addf(b, "|%zu", d);
	if (!mrm_hmap_get(groups, b->ptr, &at)) {
		struct equation *eqs =
			realloc(dc->eqs, (dc->neqs + 1) * sizeof(*eqs));

		if (!eqs || mrm_hmap_put(groups, b->ptr, (int64_t)dc->neqs)) {
			if (eqs)
				dc->eqs = eqs;
			return MRM_ERR_NOMEM;
		}
		dc->eqs = eqs;
		at = (int64_t)dc->neqs++;
		dc->eqs[at] = (struct equation){ parent, NULL, 0 };
	}
	e = &dc->eqs[at];
	{
		size_t *ch = realloc(e->children, (e->n + 1) * sizeof(*ch));

		if (!ch)
			return MRM_ERR_NOMEM;
		e->children = ch;
		e->children[e->n++] = child;
	}
	return 0;
}

/* Every published total and the cells it sums, one equation each. */
static int build_equations(struct dc *dc)
{
	struct mrm_stats_result *r = dc->r;
	struct mrm_hmap cells, groups;
	struct mrm_buf b = MRM_BUF_INIT(4096);
	int rc = 0;

	mrm_hmap_init(&cells);
	mrm_hmap_init(&groups);
	for (size_t i = 0; !rc && i < r->ncells; i++) {
		rc = key_of(r, &r->cells[i], (size_t)-1, &b);
		if (!rc)
			rc = mrm_hmap_put(&cells, b.ptr, (int64_t)i);
	}
	for (size_t i = 0; !rc && i < r->ncells; i++) {
		for (size_t d = 0; !rc && d < r->ndims; d++) {
			int64_t parent;

			if (!strcmp(r->cells[i].key[d], MRM_STATS_ALL))
				continue;
			rc = key_of(r, &r->cells[i], d, &b);
			if (rc || !mrm_hmap_get(&cells, b.ptr, &parent))
				continue;
			rc = add_child(dc, &groups, (size_t)parent, d, i, &b);
		}
	}
	mrm_hmap_release(&cells);
	mrm_hmap_release(&groups);
	mrm_buf_release(&b);
	return rc;
}

static int is_primary(const struct mrm_stats_result *r,
		      const struct mrm_stats_cell *c)
{
	int64_t k = r->k;

	if (c->people > 0 && c->people < k)
		return 1;
	if (!r->money && !r->days && c->value > 0 && c->value < k)
		return 1;
	return r->days && c->count > 0 && c->count < k;
}

static size_t withheld(const struct mrm_stats_cell *c)
{
	return c->mark != MRM_STATS_SHOWN;
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

/*
 * Do the published values of `e` and the known bounds of its withheld
 * children pin one of them? (Counts only.)
 */
static int bounds_pin(const struct dc *dc, const struct equation *e)
{
	const struct mrm_stats_cell *cells = dc->r->cells;
	const int64_t k = dc->r->k, inf = INT64_MAX / 4;
	int64_t s = cells[e->parent].value, lo = 0, hi = 0;
	size_t m = 0;

	if (withheld(&cells[e->parent]))
		return 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct mrm_stats_cell *c = &cells[e->children[i]];

		if (!withheld(c)) {
			s -= c->value;
			continue;
		}
		m++;
		lo += c->mark == MRM_STATS_PRIMARY ? 1 : k;
		hi = c->mark == MRM_STATS_PRIMARY && hi < inf ? hi + k - 1 : inf;
	}
	if (!m)
		return 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct mrm_stats_cell *c = &cells[e->children[i]];
		int64_t clo, chi, from, to;

		if (!withheld(c))
			continue;
		clo = c->mark == MRM_STATS_PRIMARY ? 1 : k;
		chi = c->mark == MRM_STATS_PRIMARY ? k - 1 : inf;
		from = hi >= inf ? clo : s - (hi - chi);
		to = s - (lo - clo);
		if (from < clo)
			from = clo;
		if (to > chi)
			to = chi;
		if (from >= to)
			return 1;
	}
	return 0;
}

/* One pass of the equation rules; returns how many cells it withheld. */
static size_t equation_pass(struct dc *dc)
{
	size_t added = 0;

	for (size_t i = 0; i < dc->neqs; i++) {
		const struct equation *e = &dc->eqs[i];
		size_t w = withheld(&dc->r->cells[e->parent]);

		for (size_t j = 0; j < e->n; j++)
			w += withheld(&dc->r->cells[e->children[j]]);
		if (w == 1 || (w && dc->additive && bounds_pin(dc, e)))
			added += (size_t)withhold_more(dc, e);
	}
	return added;
}

#define AUDIT_MAX 600 /* withheld cells the exact audit handles */

/*
 * Is any withheld cell determined by the published equations together?
 * Returns the index of one, or (size_t)-1. Unknowns are the withheld
 * cells; a cell is determined when its unit vector lies in the row space
 * of the equations restricted to the unknowns.
 */
static size_t audit(const struct dc *dc)
{
	const struct mrm_stats_result *r = dc->r;
	size_t *var = malloc(r->ncells * sizeof(*var)), nvar = 0, found = (size_t)-1;
	double *m = NULL;
	size_t rows = 0;

	if (!var)
		return found;
	for (size_t i = 0; i < r->ncells; i++)
		var[i] = withheld(&r->cells[i]) ? nvar++ : (size_t)-1;
	if (!nvar || nvar > AUDIT_MAX)
		goto out;
	m = calloc(dc->neqs * nvar + 1, sizeof(*m));
	if (!m)
		goto out;
	for (size_t i = 0; i < dc->neqs; i++) {
		const struct equation *e = &dc->eqs[i];
		double *row = m + rows * nvar;
		int any = 0;

		if (var[e->parent] != (size_t)-1) {
			row[var[e->parent]] = 1;
			any = 1;
		}
		for (size_t j = 0; j < e->n; j++)
			if (var[e->children[j]] != (size_t)-1) {
				row[var[e->children[j]]] = -1;
				any = 1;
			}
		rows += (size_t)any;
	}
	/* reduced row echelon form */
	{
		size_t lead = 0, *pivot_row = malloc(nvar * sizeof(size_t));

		if (!pivot_row)
			goto out;
		for (size_t c = 0; c < nvar; c++)
			pivot_row[c] = (size_t)-1;
		for (size_t c = 0; c < nvar && lead < rows; c++) {
			size_t p = lead;
			double *prow;

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
			{
				double piv = prow[c];

				for (size_t k = 0; k < nvar; k++)
					prow[k] /= piv;
			}
			for (size_t q = 0; q < rows; q++) {
				double f = m[q * nvar + c];

				if (q == lead || fabs(f) < 1e-12)
					continue;
				for (size_t k = 0; k < nvar; k++)
					m[q * nvar + k] -= f * prow[k];
			}
			pivot_row[c] = lead++;
		}
		for (size_t c = 0; c < nvar && found == (size_t)-1; c++) {
			size_t k, pr = pivot_row[c];

			if (pr == (size_t)-1)
				continue;
			for (k = 0; k < nvar; k++)
				if (k != c && fabs(m[pr * nvar + k]) > 1e-9)
					break;
			if (k == nvar) /* the pivot row is the unit vector */
				for (size_t i = 0; i < r->ncells; i++)
					if (var[i] == c)
						found = i;
		}
		free(pivot_row);
	}
out:
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

int disclosure_apply(struct mrm_stats_result *r, struct mrm_error *err)
{
	struct dc dc = { r, NULL, 0, 0 };
	int rc;

	dc.additive = !r->money && !r->days &&
		      (!strcmp(r->measure, "persons") || !strcmp(r->measure, "acts"));
	for (size_t d = 0; d < r->ndims; d++)
		if (!strncmp(r->dims[d], "attr.", 5)) {
			rc = mrm_error_set(err, MRM_ERR_INVALID, "--public",
					   "custom attributes can hold free text "
					   "and are not published as a "
					   "breakdown; use them in --where");
			goto out;
		}
	for (size_t i = 0; i < r->ncells; i++)
		if (is_primary(r, &r->cells[i]))
			r->cells[i].mark = MRM_STATS_PRIMARY;
	rc = build_equations(&dc);
	if (rc) {
		rc = mrm_error_set(err, rc, NULL, "out of memory");
		goto out;
	}
	for (size_t round = 0; round <= r->ncells; round++) {
		size_t found;

		if (equation_pass(&dc))
			continue;
		if (!dc.additive)
			break;
		found = audit(&dc);
		if (found == (size_t)-1 || !widen_around(&dc, found))
			break;
	}
	r->suppressed = 0;
	for (size_t i = 0; i < r->ncells; i++)
		r->suppressed += withheld(&r->cells[i]);
out:
	for (size_t i = 0; i < dc.neqs; i++)
		free(dc.eqs[i].children);
	free(dc.eqs);
	return rc;
}
