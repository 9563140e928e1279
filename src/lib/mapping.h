/*
 * mapping.h - (internal) compiled mapping files: how the columns of one CSV
 * file become the fields of events, acts, victims, sources and
 * interventions. See docs/mapping.md for the file format.
 */
#ifndef MRM_MAPPING_H
#define MRM_MAPPING_H

#include "mrm/error.h"
#include "record.h"

#include <jansson.h>

struct mrm_vocab;

struct map_date {
	const char *format, *precision;
};

/* One target field and where its value comes from. Strings point into the
 * mapping's JSON document. */
struct map_spec {
	int field;	    /* index in mrm_fields, or -1 for attr */
	const char *attr;   /* attribute name for attr.NAME */
	const char *target; /* the name as written: "victim.sex" */
	const char *column; /* source column name, or NULL */
	const char *value;  /* constant, or NULL */
	const char *tmpl;   /* "{Col A} - {Col B}", or NULL */
	const char *prefix, *split, *dflt;
	int index;   /* with split: which part (0-based), -1 all */
	json_t *map; /* value map object, or NULL */
	struct map_date *dates;
	size_t ndates;
	int col; /* bound column index, -1 when none */
};

struct map_group {
	struct map_spec *specs;
	size_t n;
	const char *require; /* a field that must be present and non-zero */
};

enum map_kind { MAP_EVENT, MAP_ACT, MAP_SOURCE, MAP_INTERVENTION, MAP_KINDS };

struct mrm_mapping {
	json_t *root;
	const char *name;
	struct map_group *groups[MAP_KINDS];
	size_t ngroups[MAP_KINDS];
	char **header; /* bound header (copies), for templates */
	size_t nheader;
};

/*
 * Build the native mapping for a CSV whose header names fields directly
 * (docs/native-csv.md). Unknown columns are reported with `name`:1:COL.
 * On success *out is a new mapping that the caller frees with
 * mrm_mapping_free() (it keeps its own copy of `header`); on failure *out
 * is NULL.
 */
int mapping_native(struct mrm_mapping **out, const char *const *header,
		   size_t n, const char *name, struct mrm_error *err);

/* Resolve the mapping's column names against a file's header (copied).
 * This changes `m`: one mapping serves one import at a time. */
int mapping_bind(struct mrm_mapping *m, const char *const *header, size_t n,
		 const char *name, struct mrm_error *err);

/* The bound column (0-based) that fills field `field`, or -1. */
int mapping_column(const struct mrm_mapping *m, int field);

/* Receives each problem found in a row: `col` is the 0-based column or -1. */
typedef void (*map_error_fn)(void *ctx, int col, const struct mrm_error *e);

/*
 * Fill `row` from one CSV record. Returns the number of problems found (0:
 * the row is good as far as the mapping can tell), each passed to
 * `on_error` (a value over a size limit is one of them); or a negative
 * code, MRM_ERR_NOMEM, when memory ran out, which has no message: the
 * caller says what it was doing.
 */
int mapping_apply(const struct mrm_mapping *m, const char *const *fields,
		  size_t nfields, const struct mrm_vocab *vocab,
		  struct rec_row *row, map_error_fn on_error, void *ctx);

#endif
