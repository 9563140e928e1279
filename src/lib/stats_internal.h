/*
 * stats_internal.h - (internal) the parts of the statistics engine:
 * stats.c parses the query and feeds facts into cells, stats_cells.c keeps
 * the cells and builds the result, disclosure.c suppresses what must not
 * be published.
 */
#ifndef MRM_STATS_INTERNAL_H
#define MRM_STATS_INTERNAL_H

#include "facts.h"
#include "mrm/stats.h"

#define SCELL_ALL	 UINT32_MAX
#define SDIM_SLOTS	 2700 /* computed values cached per dimension */
#define SDIM_ALLOWED_MAX 512  /* values one filter may list */
#define SATTR_MAX	 16   /* values one attribute may have per event */

/* A dimension (of the breakdown or of a filter). */
struct sdim {
	char name[80];
	int kind;
	const char *scheme;
	int col;
	uint32_t allowed[SDIM_ALLOWED_MAX]; /* filters: accepted codes */
	size_t nallowed;
	uint32_t slot[SDIM_SLOTS];	  /* code + 1 of computed values */
	uint32_t *group_of;		  /* act_group: type -> top term */
	uint32_t *attr_event, *attr_code; /* attr: sorted by event */
	size_t nattr;
};

struct scell {
	uint32_t key[MRM_STATS_DIMS_MAX + 1]; /* dims..., currency */
	int64_t value, people, count;
	double median, p90;  /* detention-days */
	uint32_t last_event; /* event id + 1 last counted (events measure) */
	uint32_t last_person;
};

/* (cell, item) pairs for measures that need more than a running sum. */
struct spair {
	uint32_t cell, item;
	int64_t weight;
};

struct squery {
	struct mrm_store *st;
	struct facts facts;
	int measure;
	struct sdim dims[MRM_STATS_DIMS_MAX];
	size_t ndims;
	struct sdim filters[MRM_STATS_WHERE_MAX];
	size_t nfilters;
	int32_t from, to, as_of;
	int whole;	  /* the query's `whole` */
	uint32_t unknown; /* code of the term "unknown", if the data has it */
	int nomem;

	struct scell *cells;
	size_t ncells, capcells;
	uint32_t *slots; /* hash of cells: index + 1 */
	size_t nslots;
	struct spair *pairs;
	size_t npairs, cappairs;
};

void squery_free(struct squery *q);

/* Attribute dimensions: load NAME's values; the values of one event. */
int attr_load(struct squery *q, struct sdim *d, struct mrm_error *err);
size_t attr_values(const struct sdim *d, uint32_t event, uint32_t *out,
		   size_t max);

/* The cell with `key`, created empty when new; NULL when out of memory. */
struct scell *cells_get(struct squery *q, const uint32_t *key);
/* Count fact `f`, whose measure contribution is `value`, into `c`. */
int cell_add(struct squery *q, struct scell *c, const struct fact *f,
	     int64_t value);
/* Finish measures that need it (distinct persons, medians). */
int cells_finish(struct squery *q, struct mrm_error *err);

/* Turn the cells into the public result, ordered. */
int result_build(struct squery *q, const struct mrm_stats_query *in,
		 struct mrm_stats_result **out, struct mrm_error *err);

/* Put cells in their published order (stats_cells.c). */
void stats_sort_cells(struct mrm_stats_result *r);

/* Primary and secondary suppression (disclosure.c). */
int disclosure_apply(struct mrm_stats_result *r, struct mrm_error *err);

/* A result built elsewhere (labour_stats.c) takes over `dict` (n
 * malloc'd strings, the array malloc'd too), which its cells' keys point
 * into; mrm_stats_result_free() frees them. 0 or MRM_ERR_NOMEM. */
int result_adopt(struct mrm_stats_result *r, char **dict, size_t n);

/* The measures of wage records and recruitment costs (labour_stats.c):
 * 1 when `measure` is one of them. */
int labour_stats_measure(const char *measure);
int labour_stats_run(struct mrm_store *st, const struct mrm_stats_query *in,
		     struct mrm_stats_result **out, struct mrm_error *err);

/* Copy a --where "DIM=V1,V2" (`w`) into `buf` (`size` bytes), cut at
 * its '=' (*eq); MRM_ERR_INVALID when it is not of that form,
 * MRM_ERR_LIMIT when `n` filters are already there (stats.c). */
int stats_where_split(char *buf, size_t size, const char *w, size_t n,
		      char **eq, struct mrm_error *err);

/* Measures that stats_cells.c needs to tell apart. */
enum { SM_EVENTS = 0, SM_ACTS, SM_PERSONS, SM_DISTINCT, SM_DAYS };

#endif
