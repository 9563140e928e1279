/*
 * ref.h - reference data: minimum and living wages, recruitment fee caps,
 * exchange rates, and whatever other table lies in data/reference/.
 *
 * Every data/reference/NAME.csv file compiled into the library is one table
 * NAME. Each is read with the project's CSV reader and checked: every row
 * has as many fields as the header, a non-empty `source`, an
 * `effective_from` date (YYYY, YYYY-MM or YYYY-MM-DD), an `effective_to`
 * that is empty or a date not before it, and an `estimate` of 0 or 1; a
 * `key` column holds unique values; columns named `amount` or ending in
 * `amount`, `_bp`, `_months`, `_age`, `_floor` or `_ceiling` hold integers
 * when not empty (money in minor units, basis points, months, years),
 * `currency` columns known ISO 4217 codes, `country`, `admin1` and
 * `sector` columns codes of the shipped vocabularies. The rules are in
 * data/reference/README.md.
 *
 * Dates: a partial date opens a period on its first day and closes one on
 * its last (effective_from "2023-10" starts on 2023-10-01; effective_to
 * "2021" ends on 2021-12-31).
 *
 * Lookups return a struct mrm_ref_figure whose strings point into the
 * loaded tables: valid as long as the struct mrm_ref.
 */
#ifndef MRM_REF_H
#define MRM_REF_H

#include "mrm/error.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct mrm_ref_table {
	const char *name; /* "minimum-wage" (file name without .csv) */
	const char *path; /* "data/reference/minimum-wage.csv" */
	size_t ncols;
	char **cols; /* header names */
	size_t nrows;
	char **cells;	      /* nrows * ncols, row-major */
	unsigned long *lines; /* line of each row in the file */
};

struct mrm_ref {
	size_t ntables;
	struct mrm_ref_table *tables; /* sorted by name */
};

/*
 * Load and check every embedded data/reference/ *.csv. On success *out is
 * owned by the caller (mrm_ref_free()). A malformed file is an error that
 * names FILE:LINE and the column.
 */
int mrm_ref_load(struct mrm_ref **out, struct mrm_error *err);

/*
 * Parse and check one table from `data` (`len` bytes) named `path` (the
 * table name is its base name without ".csv"), as mrm_ref_load() does for
 * each embedded file. `t` is filled and owned by the caller
 * (mrm_ref_table_release()); on failure it holds nothing.
 */
int mrm_ref_table_parse(struct mrm_ref_table *t, const char *path,
			const char *data, size_t len, struct mrm_error *err);
void mrm_ref_table_release(struct mrm_ref_table *t);

/*
 * The one table NAME ("social-security-benefit": the embedded
 * data/reference/NAME.csv), read and checked as mrm_ref_load() does, into
 * `t` (release it with mrm_ref_table_release()), requiring every column of
 * `required` (NULL-terminated; NULL: none): MRM_ERR_NOTFOUND when the
 * program has no such table, MRM_ERR_INVALID naming the file and what is
 * wrong. On failure `t` holds nothing.
 */
int mrm_ref_table_load(struct mrm_ref_table *t, const char *name,
		       const char *const *required, struct mrm_error *err);

void mrm_ref_free(struct mrm_ref *ref);

/* The table NAME, or NULL. */
const struct mrm_ref_table *mrm_ref_find(const struct mrm_ref *ref,
					 const char *name);
/* Index of column `name`, or -1. */
int mrm_ref_col(const struct mrm_ref_table *t, const char *name);
/* Cell of row `row` in column `name`; "" when there is no such column. */
const char *mrm_ref_cell(const struct mrm_ref_table *t, size_t row,
			 const char *name);
/* The cell as an integer; `dflt` when it is empty, or there is no such
 * column. */
int64_t mrm_ref_int(const struct mrm_ref_table *t, size_t row, const char *name,
		    int64_t dflt);

/*
 * A date at any precision ("2025", "2025-07", "2025-07-01") as YYYYMMDD:
 * its first day (`last` 0) or its last day (`last` 1). 0, or
 * MRM_ERR_INVALID with a message.
 */
int mrm_ref_date(const char *s, int last, long *out, struct mrm_error *err);

/* Days since 1970-01-01 of YYYYMMDD `ymd` (a valid date; proleptic
 * Gregorian), so that the difference of two is the days between them. */
long mrm_ref_days(long ymd);

/* 1 when row `row` of `t` is in force on YYYYMMDD `day`. */
int mrm_ref_in_force(const struct mrm_ref_table *t, size_t row, long day);

/*
 * Whether row `row` is about country `cc` (its country, origin,
 * destination, base or quote column; a currency column of a table with
 * none of those does not count). Tables with none of those columns: 1.
 */
int mrm_ref_row_country(const struct mrm_ref_table *t, size_t row,
			const char *cc);

/*
 * Rows of `t` as a JSON array of objects (one member per column; estimate
 * as a boolean), keeping only rows about `country` (NULL: all) and in force
 * on `on` (NULL: all dates; else a date at any precision, its first day).
 * NULL on a bad `on` or out of memory (err says which).
 */
json_t *mrm_ref_rows_json(const struct mrm_ref_table *t, const char *country,
			  const char *on, struct mrm_error *err);

/*
 * The tables as a JSON array: name, file, rows, estimates (rows flagged),
 * first and latest effective_from, columns. NULL when out of memory.
 */
json_t *mrm_ref_tables_json(const struct mrm_ref *ref);

/* 0 when `cc` is a country code of the shipped vocabulary, else
 * MRM_ERR_INVALID saying so. */
int mrm_ref_check_country(const char *cc, struct mrm_error *err);

/* One reference figure, as a lookup returns it. */
struct mrm_ref_figure {
	const struct mrm_ref_table *table;
	size_t row;
	int64_t amount; /* minor units of currency */
	const char *currency;
	const char *key, *unit, *effective_from, *effective_to, *source,
		*source_url, *note;
	int estimate;
	/* exchange rates: `base_amount` of `currency` = `amount` of `quote` */
	const char *quote;
	int64_t quote_amount;
};

struct mrm_wage_query {
	const char *country;  /* ISO 3166-1, required */
	const char *admin1;   /* admin1 code or NULL */
	const char *area;     /* district, "region I", "Yunnan tier 1"... */
	const char *sector;   /* sector code or NULL */
	const char *category; /* NULL/"" ordinary; "probation" */
	const char *date;     /* any precision; its first day is used */
	const char *unit;     /* "day", "month" or "hour" */
};

/*
 * The minimum wage in force for `q`: among the rows of minimum-wage of
 * that country, unit and category whose admin1, area and sector are empty
 * or equal to the query's, in force on the date, the highest (a worker is
 * owed the highest minimum that applies; a province row thus falls back to
 * a country-wide one). MRM_ERR_NOTFOUND when none applies, with a message
 * that says what exists ("no minimum wage for TH-10 on 2019-05-01; figures
 * exist from 2025-01-01"); MRM_ERR_INVALID for an unknown country, admin1,
 * sector or unit, or a bad date.
 */
int mrm_ref_min_wage(const struct mrm_ref *ref, const struct mrm_wage_query *q,
		     struct mrm_ref_figure *out, struct mrm_error *err);

/*
 * The living-wage benchmark (monthly) for `country` and `area` (NULL: the
 * country-wide one) on `date`; `benchmark` "anker", "asia-floor-wage" or
 * NULL (any; an area-specific row wins, then the latest). Errors as
 * mrm_ref_min_wage().
 */
int mrm_ref_living_wage(const struct mrm_ref *ref, const char *country,
			const char *area, const char *benchmark,
			const char *date, struct mrm_ref_figure *out,
			struct mrm_error *err);

/*
 * The legal cap on what a worker may be charged for recruitment from
 * `origin` (NULL: any) to `destination` on `date` (item "total"; a row for
 * that origin wins over one for any origin). Errors as above.
 */
int mrm_ref_fee_cap(const struct mrm_ref *ref, const char *origin,
		    const char *destination, const char *date,
		    struct mrm_ref_figure *out, struct mrm_error *err);

/*
 * The market exchange rate between currencies `from` and `to` in force on
 * `date` (a row for the pair either way round); the figure's `amount` is
 * its base_amount in `currency`, `quote_amount` the quote. Errors as
 * above; an unknown currency is MRM_ERR_INVALID.
 */
int mrm_ref_rate(const struct mrm_ref *ref, const char *from, const char *to,
		 const char *date, struct mrm_ref_figure *out,
		 struct mrm_error *err);

/*
 * Convert `amount` minor units of `from` with rate `r` (from
 * mrm_ref_rate()), rounded half away from zero, into *out (minor units of
 * the other currency). MRM_ERR_INVALID if `r` does not involve `from`.
 */
int mrm_ref_convert(int64_t amount, const char *from,
		    const struct mrm_ref_figure *r, int64_t *out,
		    struct mrm_error *err);

#endif
