/*
 * stats.h - the statistics engine: measures over the documentation,
 * cross-tabulated by up to three dimensions, with filters, subtotals and,
 * for anything published, disclosure control.
 *
 * People are counted, not rows: a raid in which 120 people were arrested is
 * one act whose victim is a group of 120, and counts 120 `persons`.
 *
 * A query is written as the command line writes it:
 *
 *	measure  "persons"
 *	by       "year,act_type"
 *	where    "act_type=arrest,detention", "nationality=MM"
 *	from, to "2014-06", "2015"
 *
 * mrm_stats_run() answers it with every cell of the full cross-tabulation,
 * every subtotal (a dimension replaced by "*") and the grand total.
 */
#ifndef MRM_STATS_H
#define MRM_STATS_H

#include "mrm/error.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct mrm_store;

#define MRM_STATS_DIMS_MAX  3
#define MRM_STATS_WHERE_MAX 16
#define MRM_STATS_K_DEFAULT 5

/* The "dimension value" of a subtotal: the dimension is summed over. */
#define MRM_STATS_ALL "*"

struct mrm_stats_query {
	const char *measure;
	const char *by;				/* "d1[,d2[,d3]]" or NULL */
	const char *where[MRM_STATS_WHERE_MAX]; /* "DIM=V1,V2" each */
	size_t nwhere;
	const char *from, *to; /* ISO dates at any precision, or NULL */
	const char *as_of;     /* counts open detentions up to; NULL: today */
	int public;	       /* apply disclosure control */
	unsigned k;	       /* threshold; 0: MRM_STATS_K_DEFAULT */
	int whole; /* count a fact only when its date, at its precision,
		      lies wholly within [from, to] (a date known to the
		      year is not placed in a window of months) */
};

enum mrm_stats_mark {
	MRM_STATS_SHOWN = 0,
	MRM_STATS_PRIMARY,   /* under the threshold: shown as "<k" */
	MRM_STATS_SECONDARY, /* withheld so that primary cells cannot be
				worked out from totals: shown as "x" */
};

struct mrm_stats_cell {
	const char *key[MRM_STATS_DIMS_MAX]; /* codes, or MRM_STATS_ALL */
	const char *currency; /* money measures: the ISO 4217 code */
	int64_t value;	      /* counts; money in minor units; days: sum */
	int64_t people; /* the people behind the cell (for the threshold) */
	/* detention-days only */
	int64_t count;
	double mean, median, p90;
	enum mrm_stats_mark mark;
};

/* The answer. Strings and cells belong to it; free with
 * mrm_stats_result_free(). */
struct mrm_stats_result {
	char *measure;
	char *dims[MRM_STATS_DIMS_MAX];
	size_t ndims;
	int money; /* a money measure: a currency per cell */
	int days;  /* detention-days: count, mean, median, p90 per cell */
	struct mrm_stats_cell *cells; /* full cells first, then subtotals,
					 the grand total(s) last */
	size_t ncells;
	size_t suppressed;
	unsigned k;
	int public;
	void *priv;
};

/* Measures and dimensions, for help texts and messages. */
extern const char *const mrm_stats_measures[];
extern const char *const mrm_stats_dims[];

/*
 * Run `q`. Unknown measures, dimensions and vocabulary values are errors
 * whose message lists the valid choices, closest first.
 */
int mrm_stats_run(struct mrm_store *st, const struct mrm_stats_query *q,
		  struct mrm_stats_result **out, struct mrm_error *err);
void mrm_stats_result_free(struct mrm_stats_result *r);

/*
 * May the median and 90th percentile of detention-days cell `c` be
 * published? In public output only for cells of at least 2k detentions:
 * in a smaller cell they come close to single people's detentions.
 */
int mrm_stats_quantiles_shown(const struct mrm_stats_result *r,
			      const struct mrm_stats_cell *c);

/* The vocabulary scheme of a dimension's values ("country" for
 * nationality), or NULL when they are not vocabulary terms. */
const char *mrm_stats_dim_scheme(const char *dim);

/* Is cell `c` a full cell (no dimension summed over)? */
int mrm_stats_cell_is_full(const struct mrm_stats_result *r,
			   const struct mrm_stats_cell *c);

/*
 * The result as JSON:
 * {"measure": M, "dims": [...], "rows": [{DIM: CODE, ..., "value": V}],
 *  "subtotals": [...], "total": V, "suppressed": K}
 * where a suppressed V is the string "<k" or "x". The caller owns it.
 */
json_t *mrm_stats_json(const struct mrm_stats_result *r);

/* The value of a cell as text: "814", "1500.50", "<5", "x". */
void mrm_stats_value_text(const struct mrm_stats_result *r,
			  const struct mrm_stats_cell *c, char *out,
			  size_t size);

#endif
