/*
 * socsec.h - (internal) the social security reference tables of
 * data/reference/social-security-*.csv, read from the embedded copies, for
 * the portability calculator (portability.c) and the welfare table
 * (welfare.c).
 *
 * A table keeps every cell as text; the typed readers below parse a cell
 * when asked. Rows follow data/reference/README.md: effective_from and
 * effective_to at any precision, source, source_url, estimate, note.
 */
#ifndef MRM_SOCSEC_H
#define MRM_SOCSEC_H

#include "mrm/error.h"

#include <stddef.h>
#include <stdint.h>

#define SS_SCHEME  "data/reference/social-security-scheme.csv"
#define SS_BENEFIT "data/reference/social-security-benefit.csv"
#define SS_BRANCH  "data/reference/social-security-branch.csv"

/* A day as YYYYMMDD; SS_OPEN_END for "still in force". */
#define SS_OPEN_END 99991231L

struct ss_table {
	const char *path;
	char **head;  /* ncols column names */
	char **cell;  /* nrows x ncols, row-major */
	size_t *line; /* the file line of each row */
	size_t ncols, nrows;
};

/*
 * Read the embedded file `path` into `t` (which needs no init). Every name
 * of `required` (NULL-terminated) must be a column. On failure `t` holds
 * nothing. Free with ss_table_release().
 */
int ss_table_load(struct ss_table *t, const char *path,
		  const char *const *required, struct mrm_error *err);
void ss_table_release(struct ss_table *t);

/* The cell of `row` in column `col`; "" when there is no such column. */
const char *ss_get(const struct ss_table *t, size_t row, const char *col);

/* The cell as an integer, or `dflt` when empty or not a number. */
int64_t ss_int(const struct ss_table *t, size_t row, const char *col,
	       int64_t dflt);

/*
 * A date at any precision as the first (ss_day_first) or last
 * (ss_day_last) day it covers, YYYYMMDD; -1 when malformed. An empty
 * string is -1 for the first and SS_OPEN_END for the last.
 */
long ss_day_first(const char *s);
long ss_day_last(const char *s);

/* Is `row` in force on `day` (YYYYMMDD)? */
int ss_in_force(const struct ss_table *t, size_t row, long day);

/* "from FROM to TO" or "from FROM" into out. */
void ss_period_text(const struct ss_table *t, size_t row, char *out,
		    size_t size);

#endif
