/* ref.c - the reference tables of data/reference/ and their lookups */
#include "mrm/ref.h"

#include "mrm/buf.h"
#include "mrm/csv.h"
#include "mrm/embedded.h"
#include "mrm/fields.h"
#include "mrm/policy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REF_DIR "data/reference/"

static const char *const common_cols[] = {"effective_from", "effective_to",
					  "source",	    "source_url",
					  "estimate",	    "note"};

/* Whether `code` is the first field of a row of data/vocab/SCHEME.csv. */
static int vocab_has(const char *scheme, const char *code)
{
	char path[64];
	const struct mrm_embedded *e;
	size_t n = strlen(code);
	const char *p;

	snprintf(path, sizeof(path), "data/vocab/%s.csv", scheme);
	e = mrm_embedded_find(path);
	if (!e || !n || strchr(code, ',') || strchr(code, '\n'))
		return 0;
	for (p = (const char *)e->data; (p = strstr(p, code)); p++)
		if (p > (const char *)e->data && p[-1] == '\n' && p[n] == ',')
			return 1;
	return 0;
}

/* A grouping of countries a policy may apply to (mrm/policy.h). */
static int is_region(const char *v)
{
	for (const char *const *r = mrm_policy_regions; *r; r++)
		if (!strcmp(*r, v))
			return 1;
	return 0;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

long mrm_ref_days(long ymd)
{
	long y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int mrm_ref_date(const char *s, int last, long *out, struct mrm_error *err)
{
	int y = 0, m = 0, d = 0, n = 0;
	size_t len = s ? strlen(s) : 0;

	for (size_t i = 0; i < len; i++)
		if (!(isdigit((unsigned char)s[i]) ||
		      (s[i] == '-' && (i == 4 || i == 7))))
			goto bad;
	if (len == 4)
		n = sscanf(s, "%4d", &y);
	else if (len == 7)
		n = sscanf(s, "%4d-%2d", &y, &m);
	else if (len == 10)
		n = sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
	else
		goto bad;
	if (y < 1900 || y > 2100 || (n >= 2 && (m < 1 || m > 12)) ||
	    (n == 3 && (d < 1 || d > days_in(y, m))))
		goto bad;
	if (n < 2)
		m = last ? 12 : 1;
	if (n < 3)
		d = last ? days_in(y, m) : 1;
	*out = (long)y * 10000 + m * 100 + d;
	return 0;
bad:
	return mrm_error_set(err, MRM_ERR_INVALID, NULL,
			     "\"%s\" is not a date (YYYY, YYYY-MM or "
			     "YYYY-MM-DD)",
			     s ? s : "");
}

int mrm_ref_col(const struct mrm_ref_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return (int)i;
	return -1;
}

const char *mrm_ref_cell(const struct mrm_ref_table *t, size_t row,
			 const char *name)
{
	int c = mrm_ref_col(t, name);

	return c < 0 || row >= t->nrows ? ""
					: t->cells[row * t->ncols + (size_t)c];
}

int mrm_ref_in_force(const struct mrm_ref_table *t, size_t row, long day)
{
	const char *to = mrm_ref_cell(t, row, "effective_to");
	long from = 0, until = 0;

	if (mrm_ref_date(mrm_ref_cell(t, row, "effective_from"), 0, &from,
			 NULL))
		return 0;
	if (*to && mrm_ref_date(to, 1, &until, NULL))
		return 0;
	return day >= from && (!*to || day <= until);
}

void mrm_ref_table_release(struct mrm_ref_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->cells);
	free(t->lines);
	free((char *)t->name);
	free((char *)t->path);
	memset(t, 0, sizeof(*t));
}

void mrm_ref_free(struct mrm_ref *ref)
{
	if (!ref)
		return;
	for (size_t i = 0; i < ref->ntables; i++)
		mrm_ref_table_release(&ref->tables[i]);
	free(ref->tables);
	free(ref);
}

/* Columns that hold integers when not empty: money in minor units,
 * rates in basis points, months, ages, wage floors and ceilings. */
static int is_int_col(const char *name)
{
	static const char *const suffixes[] = {"amount", "_bp",	   "_months",
					       "_age",	 "_floor", "_ceiling"};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);

		if (n >= k && !strcmp(name + n - k, suffixes[i]))
			return 1;
	}
	return 0;
}

static int is_int(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || strlen(s) > 18)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Check one cell by its column's name; 0 or MRM_ERR_INVALID. */
static int check_cell(const struct mrm_ref_table *t, size_t row, size_t col,
		      struct mrm_error *err)
{
	const char *name = t->cols[col], *v = t->cells[row * t->ncols + col];
	char where[MRM_ERROR_WHERE_MAX];
	long from, to;

	snprintf(where, sizeof(where), "%s:%lu:%zu (%s)", t->path,
		 t->lines[row], col + 1, name);
	if (!strcmp(name, "source") && !*v)
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "every figure needs its source");
	if (!strcmp(name, "effective_from")) {
		if (!*v)
			return mrm_error_set(err, MRM_ERR_INVALID, where,
					     "every figure needs the date it "
					     "takes effect");
		if (mrm_ref_date(v, 0, &from, err))
			goto located;
	}
	if (!strcmp(name, "effective_to") && *v) {
		if (mrm_ref_date(v, 1, &to, err))
			goto located;
		if (!mrm_ref_date(mrm_ref_cell(t, row, "effective_from"), 0,
				  &from, NULL) &&
		    to < from)
			return mrm_error_set(
				err, MRM_ERR_INVALID, where,
				"%s is before effective_from %s", v,
				mrm_ref_cell(t, row, "effective_from"));
	}
	if (!strcmp(name, "estimate") && strcmp(v, "0") && strcmp(v, "1"))
		return mrm_error_set(
			err, MRM_ERR_INVALID, where,
			"\"%s\": must be 0 or 1 (1 when the figure "
			"is flagged VERIFY or derived)",
			v);
	if (is_int_col(name) && *v && !is_int(v))
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "\"%s\" is not an integer%s", v,
				     strstr(name, "amount")
					     ? " in minor units (THB 400.00 is "
					       "40000)"
				     : strstr(name, "_bp")
					     ? " in basis points (5% is 500)"
					     : "");
	if ((!strcmp(name, "currency") || !strcmp(name, "base") ||
	     !strcmp(name, "quote")) &&
	    *v && mrm_currency_digits(v) < 0)
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "\"%s\" is not a known ISO 4217 currency",
				     v);
	if ((!strcmp(name, "country") || !strcmp(name, "origin") ||
	     !strcmp(name, "destination")) &&
	    *v && !vocab_has("country", v) && !is_region(v))
		return mrm_error_set(
			err, MRM_ERR_INVALID, where,
			"\"%s\" is not a country code of "
			"data/vocab/country.csv, nor a grouping (ASEAN, CLMTV)",
			v);
	if (!strcmp(name, "admin1") && *v &&
	    (!vocab_has("admin1", v) ||
	     strncmp(v, mrm_ref_cell(t, row, "country"), 2)))
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "\"%s\" is not an admin1 code of "
				     "data/vocab/admin1.csv in the row's "
				     "country",
				     v);
	if (!strcmp(name, "sector") && *v && !vocab_has("sector", v))
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "\"%s\" is not a sector code of "
				     "data/vocab/sector.csv",
				     v);
	return 0;
located:
	mrm_error_prefix(err, "%s", where);
	return MRM_ERR_INVALID;
}

static int check_table(const struct mrm_ref_table *t, struct mrm_error *err)
{
	int key = mrm_ref_col(t, "key");

	for (size_t i = 0; i < sizeof(common_cols) / sizeof(common_cols[0]);
	     i++)
		if (mrm_ref_col(t, common_cols[i]) < 0)
			return mrm_error_set(
				err, MRM_ERR_INVALID, t->path,
				"the header has no \"%s\" column (every "
				"reference table has effective_from, "
				"effective_to, source, source_url, estimate, "
				"note)",
				common_cols[i]);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			if (check_cell(t, r, c, err))
				return MRM_ERR_INVALID;
		for (size_t p = 0; key >= 0 && p < r; p++)
			if (!strcmp(t->cells[p * t->ncols + (size_t)key],
				    t->cells[r * t->ncols + (size_t)key]))
				return mrm_error_set(
					err, MRM_ERR_INVALID, NULL,
					"%s:%lu: key \"%s\" is already on "
					"line %lu",
					t->path, t->lines[r],
					t->cells[r * t->ncols + (size_t)key],
					t->lines[p]);
	}
	return 0;
}

/* Append the current record's fields to t (header when t->ncols is 0). */
static int take_record(struct mrm_ref_table *t, struct mrm_csv_reader *r,
		       struct mrm_error *err)
{
	size_t nf = mrm_csv_nfields(r), base;
	char **cells;
	unsigned long *lines;

	if (!t->ncols) {
		t->cols = calloc(nf, sizeof(*t->cols));
		if (!t->cols)
			return mrm_error_set(err, MRM_ERR_NOMEM, t->path,
					     "out of memory");
		for (size_t i = 0; i < nf; i++)
			if (!(t->cols[t->ncols++] =
				      strdup(mrm_csv_field(r, i, NULL))))
				return mrm_error_set(err, MRM_ERR_NOMEM,
						     t->path, "out of memory");
		return 0;
	}
	if (nf != t->ncols)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "%s:%lu: %zu fields, the header has %zu",
				     t->path, mrm_csv_line(r), nf, t->ncols);
	cells = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(*cells));
	if (!cells)
		return mrm_error_set(err, MRM_ERR_NOMEM, t->path,
				     "out of memory");
	t->cells = cells;
	lines = realloc(t->lines, (t->nrows + 1) * sizeof(*lines));
	if (!lines)
		return mrm_error_set(err, MRM_ERR_NOMEM, t->path,
				     "out of memory");
	t->lines = lines;
	base = t->nrows * t->ncols;
	for (size_t i = 0; i < nf; i++)
		cells[base + i] = strdup(mrm_csv_field(r, i, NULL));
	t->lines[t->nrows++] = mrm_csv_line(r);
	for (size_t i = 0; i < nf; i++)
		if (!cells[base + i])
			return mrm_error_set(err, MRM_ERR_NOMEM, t->path,
					     "out of memory");
	return 0;
}

int mrm_ref_table_parse(struct mrm_ref_table *t, const char *path,
			const char *data, size_t len, struct mrm_error *err)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t blen = strcspn(base, ".");
	struct mrm_csv_reader *r = NULL;
	FILE *fp = NULL;
	int rc = 0, got;

	memset(t, 0, sizeof(*t));
	t->name = strndup(base, blen);
	t->path = strdup(path);
	if (!t->name || !t->path) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	fp = len ? fmemopen((void *)data, len, "r") : NULL;
	if (!fp) {
		rc = mrm_error_set(err, MRM_ERR_INVALID, path,
				   "empty file (a reference table needs a "
				   "header)");
		goto out;
	}
	if ((rc = mrm_csv_reader_new(&r, fp, path, NULL, err)))
		goto out;
	while ((got = mrm_csv_next(r, err)) == 1) {
		if (mrm_csv_nfields(r) == 1 && !*mrm_csv_field(r, 0, NULL))
			continue; /* empty line */
		if ((rc = take_record(t, r, err)))
			goto out;
	}
	if (got < 0) {
		rc = got;
		goto out;
	}
	if (!t->ncols)
		rc = mrm_error_set(err, MRM_ERR_INVALID, path, "no header row");
	else
		rc = check_table(t, err);
out:
	mrm_csv_reader_free(r);
	if (fp)
		fclose(fp);
	if (rc)
		mrm_ref_table_release(t);
	return rc;
}

int mrm_ref_table_load(struct mrm_ref_table *t, const char *name,
		       const char *const *required, struct mrm_error *err)
{
	const struct mrm_embedded *e;
	char path[128];
	int rc;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), REF_DIR "%s.csv", name);
	if (!(e = mrm_embedded_find(path)))
		return mrm_error_set(err, MRM_ERR_NOTFOUND, path,
				     "not built into this program");
	rc = mrm_ref_table_parse(t, path, (const char *)e->data, e->len, err);
	for (size_t i = 0; !rc && required && required[i]; i++)
		if (mrm_ref_col(t, required[i]) < 0)
			rc = mrm_error_set(err, MRM_ERR_INVALID, path,
					   "no column \"%s\"", required[i]);
	if (rc)
		mrm_ref_table_release(t);
	return rc;
}

int64_t mrm_ref_int(const struct mrm_ref_table *t, size_t row, const char *name,
		    int64_t dflt)
{
	const char *s = mrm_ref_cell(t, row, name);

	return is_int(s) ? (int64_t)strtoll(s, NULL, 10) : dflt;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct mrm_ref_table *)a)->name,
		      ((const struct mrm_ref_table *)b)->name);
}

int mrm_ref_load(struct mrm_ref **out, struct mrm_error *err)
{
	struct mrm_ref *ref = calloc(1, sizeof(*ref));
	size_t n = 0;
	int rc = 0;

	*out = NULL;
	if (!ref)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	for (const struct mrm_embedded *e = mrm_embedded_files; e->path; e++)
		n += !strncmp(e->path, REF_DIR, strlen(REF_DIR)) &&
		     strstr(e->path, ".csv");
	ref->tables = calloc(n ? n : 1, sizeof(*ref->tables));
	if (!ref->tables) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (const struct mrm_embedded *e = mrm_embedded_files; e->path; e++) {
		size_t pl = strlen(e->path);

		if (strncmp(e->path, REF_DIR, strlen(REF_DIR)) || pl < 4 ||
		    strcmp(e->path + pl - 4, ".csv"))
			continue;
		if ((rc = mrm_ref_table_parse(&ref->tables[ref->ntables],
					      e->path, (const char *)e->data,
					      e->len, err)))
			goto out;
		ref->ntables++;
	}
	qsort(ref->tables, ref->ntables, sizeof(*ref->tables), by_name);
out:
	if (rc)
		mrm_ref_free(ref);
	else
		*out = ref;
	return rc;
}

const struct mrm_ref_table *mrm_ref_find(const struct mrm_ref *ref,
					 const char *name)
{
	for (size_t i = 0; i < ref->ntables; i++)
		if (!strcmp(ref->tables[i].name, name))
			return &ref->tables[i];
	return NULL;
}

int mrm_ref_row_country(const struct mrm_ref_table *t, size_t row,
			const char *cc)
{
	static const char *const cols[] = {"country", "origin", "destination"};
	int any = 0;

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		if (mrm_ref_col(t, cols[i]) < 0)
			continue;
		any = 1;
		if (!strcasecmp(mrm_ref_cell(t, row, cols[i]), cc))
			return 1;
	}
	if (!any && mrm_ref_col(t, "base") >= 0) {
		/* exchange rates: a country matches its currency */
		static const char *const cur[][2] = {
			{"TH", "THB"}, {"MM", "MMK"}, {"KH", "KHR"},
			{"LA", "LAK"}, {"VN", "VND"}, {"CN", "CNY"},
			{"US", "USD"}};

		for (size_t i = 0; i < sizeof(cur) / sizeof(cur[0]); i++)
			if (!strcasecmp(cur[i][0], cc) &&
			    (!strcmp(mrm_ref_cell(t, row, "base"), cur[i][1]) ||
			     !strcmp(mrm_ref_cell(t, row, "quote"), cur[i][1])))
				return 1;
		return 0;
	}
	return !any;
}

json_t *mrm_ref_rows_json(const struct mrm_ref_table *t, const char *country,
			  const char *on, struct mrm_error *err)
{
	json_t *arr = json_array(), *o;
	long day = 0;

	if (on && *on && mrm_ref_date(on, 0, &day, err)) {
		mrm_error_prefix(err, "--on");
		json_decref(arr);
		return NULL;
	}
	for (size_t r = 0; arr && r < t->nrows; r++) {
		if (country && *country && !mrm_ref_row_country(t, r, country))
			continue;
		if (day && !mrm_ref_in_force(t, r, day))
			continue;
		o = json_object();
		for (size_t c = 0; o && c < t->ncols; c++) {
			const char *v = t->cells[r * t->ncols + c];

			if (!strcmp(t->cols[c], "estimate"))
				json_object_set_new(o, t->cols[c],
						    json_boolean(*v == '1'));
			else
				json_object_set_new(o, t->cols[c],
						    json_string(v));
		}
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (!arr)
		mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	return arr;
}

static void fill_figure(struct mrm_ref_figure *f, const struct mrm_ref_table *t,
			size_t row)
{
	memset(f, 0, sizeof(*f));
	f->table = t;
	f->row = row;
	f->amount = strtoll(mrm_ref_cell(t, row, "amount"), NULL, 10);
	f->currency = mrm_ref_cell(t, row, "currency");
	f->key = mrm_ref_cell(t, row, "key");
	f->unit = mrm_ref_cell(t, row, "unit");
	f->effective_from = mrm_ref_cell(t, row, "effective_from");
	f->effective_to = mrm_ref_cell(t, row, "effective_to");
	f->source = mrm_ref_cell(t, row, "source");
	f->source_url = mrm_ref_cell(t, row, "source_url");
	f->note = mrm_ref_cell(t, row, "note");
	f->estimate = *mrm_ref_cell(t, row, "estimate") == '1';
}

static const struct mrm_ref_table *need(const struct mrm_ref *ref,
					const char *name, struct mrm_error *err)
{
	const struct mrm_ref_table *t = mrm_ref_find(ref, name);

	if (!t)
		mrm_error_set(err, MRM_ERR_NOTFOUND, name,
			      "no reference table %s.csv", name);
	return t;
}

/* A short description of a row, for "what exists" in a message. */
typedef void (*ref_label)(const struct mrm_ref_table *t, size_t row, char *out,
			  size_t size);

static void key_label(const struct mrm_ref_table *t, size_t row, char *out,
		      size_t size)
{
	snprintf(out, size, "%s", mrm_ref_cell(t, row, "key"));
}

static void wage_label(const struct mrm_ref_table *t, size_t row, char *out,
		       size_t size)
{
	const char *a1 = mrm_ref_cell(t, row, "admin1"),
		   *area = mrm_ref_cell(t, row, "area"),
		   *sec = mrm_ref_cell(t, row, "sector"),
		   *cat = mrm_ref_cell(t, row, "category");

	snprintf(out, size, "%s%s%s%s%s%s%s per %s",
		 *a1 ? a1 : mrm_ref_cell(t, row, "country"), *area ? " " : "",
		 area, *sec ? " sector " : "", sec, *cat ? " " : "", cat,
		 mrm_ref_cell(t, row, "unit"));
}

/* "what exists": the distinct labels of `rows` (n of them). */
static void list_labels(struct mrm_buf *b, const struct mrm_ref_table *t,
			const size_t *rows, size_t n, ref_label label)
{
	char a[160], o[160];
	size_t shown = 0;

	for (size_t i = 0; i < n; i++) {
		int dup = 0;

		label(t, rows[i], a, sizeof(a));
		for (size_t j = 0; j < i && !dup; j++) {
			label(t, rows[j], o, sizeof(o));
			dup = !strcmp(a, o);
		}
		if (!dup)
			mrm_buf_addf(b, "%s%s", shown++ ? ", " : "", a);
	}
}

/* The span of dates that rows (n of them) cover, for a message. */
static void span(struct mrm_buf *b, const struct mrm_ref_table *t,
		 const size_t *rows, size_t n)
{
	const char *first = NULL, *last = NULL;
	long lo = 0, hi = 0, d;
	int open = 0;

	for (size_t i = 0; i < n; i++) {
		const char *f = mrm_ref_cell(t, rows[i], "effective_from");
		const char *to = mrm_ref_cell(t, rows[i], "effective_to");

		if (!mrm_ref_date(f, 0, &d, NULL) && (!first || d < lo))
			first = f, lo = d;
		if (!*to)
			open = 1;
		else if (!mrm_ref_date(to, 1, &d, NULL) && (!last || d > hi))
			last = to, hi = d;
	}
	if (first && open)
		mrm_buf_addf(b, "figures exist from %s", first);
	else if (first)
		mrm_buf_addf(b, "figures exist from %s to %s", first, last);
}

int mrm_ref_check_country(const char *cc, struct mrm_error *err)
{
	if (!cc || !*cc)
		return mrm_error_set(err, MRM_ERR_INVALID, "country",
				     "a country is needed (ISO 3166-1, e.g. "
				     "TH)");
	if (!vocab_has("country", cc))
		return mrm_error_set(err, MRM_ERR_INVALID, "country",
				     "unknown country \"%s\" (ISO 3166-1 "
				     "alpha-2, upper case, e.g. TH, MM, KH)",
				     cc);
	return 0;
}

static int eq_or_empty(const char *row, const char *q)
{
	return !*row || (q && !strcasecmp(row, q));
}

/*
 * Explain why nothing matched: rows of `t` matching all of `keep` (a
 * predicate on the row) but the date; else what the country has.
 */
static int not_found(const struct mrm_ref_table *t, ref_label label,
		     const char *what, const char *subject, const char *date,
		     size_t *rows, size_t n, const size_t *ctry, size_t nctry,
		     struct mrm_error *err)
{
	struct mrm_buf b = MRM_BUF_INIT(MRM_ERROR_MSG_MAX);
	int rc;

	mrm_buf_addf(&b, "no %s for %s on %s; ", what, subject, date);
	if (n)
		span(&b, t, rows, n);
	else if (nctry) {
		mrm_buf_addf(&b, "figures exist for: ");
		list_labels(&b, t, ctry, nctry, label);
	} else
		mrm_buf_adds(&b, "none encoded for this country (see "
				 "docs/reference.md)");
	rc = mrm_error_set(err, MRM_ERR_NOTFOUND, NULL, "%s", mrm_buf_str(&b));
	mrm_buf_release(&b);
	return rc;
}

int mrm_ref_min_wage(const struct mrm_ref *ref, const struct mrm_wage_query *q,
		     struct mrm_ref_figure *out, struct mrm_error *err)
{
	const struct mrm_ref_table *t = need(ref, "minimum-wage", err);
	const char *cat = q->category ? q->category : "";
	size_t *near = NULL, *ctry = NULL, nn = 0, nc = 0;
	char subject[160];
	long day;
	int best = -1, rc = 0;

	if (!t)
		return MRM_ERR_NOTFOUND;
	if (mrm_ref_check_country(q->country, err))
		return MRM_ERR_INVALID;
	if (q->admin1 && *q->admin1 &&
	    (!vocab_has("admin1", q->admin1) ||
	     strncmp(q->admin1, q->country, 2)))
		return mrm_error_set(err, MRM_ERR_INVALID, "admin1",
				     "unknown admin1 \"%s\" for %s (codes of "
				     "data/vocab/admin1.csv, e.g. TH-10)",
				     q->admin1, q->country);
	if (q->sector && *q->sector && !vocab_has("sector", q->sector))
		return mrm_error_set(err, MRM_ERR_INVALID, "sector",
				     "unknown sector \"%s\"", q->sector);
	if (!q->unit || (strcmp(q->unit, "day") && strcmp(q->unit, "month") &&
			 strcmp(q->unit, "hour")))
		return mrm_error_set(err, MRM_ERR_INVALID, "unit",
				     "unit must be day, month or hour");
	if (mrm_ref_date(q->date, 0, &day, err)) {
		mrm_error_prefix(err, "date");
		return MRM_ERR_INVALID;
	}
	near = calloc(t->nrows + 1, sizeof(*near));
	ctry = calloc(t->nrows + 1, sizeof(*ctry));
	if (!near || !ctry) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		if (strcmp(mrm_ref_cell(t, r, "country"), q->country))
			continue;
		ctry[nc++] = r;
		if (strcmp(mrm_ref_cell(t, r, "category"), cat) ||
		    strcmp(mrm_ref_cell(t, r, "unit"), q->unit) ||
		    !eq_or_empty(mrm_ref_cell(t, r, "admin1"), q->admin1) ||
		    !eq_or_empty(mrm_ref_cell(t, r, "area"), q->area) ||
		    !eq_or_empty(mrm_ref_cell(t, r, "sector"), q->sector))
			continue;
		near[nn++] = r;
		if (mrm_ref_in_force(t, r, day) &&
		    (best < 0 ||
		     strtoll(mrm_ref_cell(t, r, "amount"), NULL, 10) >
			     strtoll(mrm_ref_cell(t, (size_t)best, "amount"),
				     NULL, 10)))
			best = (int)r;
	}
	if (best >= 0) {
		fill_figure(out, t, (size_t)best);
		goto out;
	}
	snprintf(subject, sizeof(subject), "%s%s%s%s%s%s per %s%s%s",
		 q->admin1 && *q->admin1 ? q->admin1 : q->country,
		 q->area && *q->area ? " " : "", q->area ? q->area : "",
		 q->sector && *q->sector ? " sector " : "",
		 q->sector ? q->sector : "", "", q->unit, *cat ? " " : "", cat);
	rc = not_found(t, wage_label, "minimum wage", subject, q->date, near,
		       nn, ctry, nc, err);
out:
	free(near);
	free(ctry);
	return rc;
}

/*
 * The generic lookup of the other tables: rows where `match` says 2
 * (exact) or 1 (fallback), in force on `date`; the best score wins, then
 * the latest effective_from.
 */
typedef int (*ref_match)(const struct mrm_ref_table *t, size_t row,
			 const void *ctx);

static int lookup(const struct mrm_ref_table *t, ref_match match,
		  ref_match exist, const void *ctx, const char *what,
		  const char *subject, const char *date, const char *cc,
		  struct mrm_ref_figure *out, struct mrm_error *err)
{
	size_t *near = calloc(t->nrows + 1, sizeof(*near));
	size_t *ctry = calloc(t->nrows + 1, sizeof(*ctry));
	size_t nn = 0, nc = 0;
	int best = -1, bscore = 0, rc = 0;
	long day, bfrom = 0, from;

	if (!near || !ctry) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (mrm_ref_date(date, 0, &day, err)) {
		mrm_error_prefix(err, "date");
		rc = MRM_ERR_INVALID;
		goto out;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		int s = match(t, r, ctx);

		if (exist ? exist(t, r, ctx)
			  : !cc || mrm_ref_row_country(t, r, cc))
			ctry[nc++] = r;
		if (!s)
			continue;
		near[nn++] = r;
		if (!mrm_ref_in_force(t, r, day))
			continue;
		mrm_ref_date(mrm_ref_cell(t, r, "effective_from"), 0, &from,
			     NULL);
		if (best < 0 || s > bscore || (s == bscore && from > bfrom))
			best = (int)r, bscore = s, bfrom = from;
	}
	if (best >= 0)
		fill_figure(out, t, (size_t)best);
	else
		rc = not_found(t, key_label, what, subject, date, near, nn,
			       ctry, nc, err);
out:
	free(near);
	free(ctry);
	return rc;
}

struct lw_ctx {
	const char *country, *area, *benchmark;
};

static int lw_match(const struct mrm_ref_table *t, size_t r, const void *v)
{
	const struct lw_ctx *c = v;
	const char *area = mrm_ref_cell(t, r, "area");

	if (strcmp(mrm_ref_cell(t, r, "country"), c->country) ||
	    (c->benchmark && *c->benchmark &&
	     strcmp(mrm_ref_cell(t, r, "benchmark"), c->benchmark)))
		return 0;
	if (!*area)
		return 1;
	return c->area && !strcasecmp(area, c->area) ? 2 : 0;
}

int mrm_ref_living_wage(const struct mrm_ref *ref, const char *country,
			const char *area, const char *benchmark,
			const char *date, struct mrm_ref_figure *out,
			struct mrm_error *err)
{
	const struct mrm_ref_table *t = need(ref, "living-wage", err);
	struct lw_ctx c = {country, area, benchmark};
	char subject[160];

	if (!t)
		return MRM_ERR_NOTFOUND;
	if (mrm_ref_check_country(country, err))
		return MRM_ERR_INVALID;
	snprintf(subject, sizeof(subject), "%s%s%s%s%s%s", country,
		 area && *area ? " (" : "", area && *area ? area : "",
		 area && *area ? ")" : "",
		 benchmark && *benchmark ? ", benchmark " : "",
		 benchmark ? benchmark : "");
	return lookup(t, lw_match, NULL, &c, "living-wage benchmark", subject,
		      date, country, out, err);
}

struct cap_ctx {
	const char *origin, *destination;
};

static int cap_match(const struct mrm_ref_table *t, size_t r, const void *v)
{
	const struct cap_ctx *c = v;
	const char *o = mrm_ref_cell(t, r, "origin");

	if (strcmp(mrm_ref_cell(t, r, "destination"), c->destination) ||
	    strcmp(mrm_ref_cell(t, r, "item"), "total"))
		return 0;
	if (!*o)
		return 1;
	return c->origin && !strcmp(o, c->origin) ? 2 : 0;
}

int mrm_ref_fee_cap(const struct mrm_ref *ref, const char *origin,
		    const char *destination, const char *date,
		    struct mrm_ref_figure *out, struct mrm_error *err)
{
	const struct mrm_ref_table *t = need(ref, "recruitment-fee-cap", err);
	struct cap_ctx c = {origin, destination};
	char subject[64];

	if (!t)
		return MRM_ERR_NOTFOUND;
	if (mrm_ref_check_country(destination, err) ||
	    (origin && *origin && mrm_ref_check_country(origin, err)))
		return MRM_ERR_INVALID;
	snprintf(subject, sizeof(subject), "%s to %s",
		 origin && *origin ? origin : "any country", destination);
	return lookup(t, cap_match, NULL, &c, "recruitment fee cap", subject,
		      date, destination, out, err);
}

struct rate_ctx {
	const char *from, *to;
};

static int rate_match(const struct mrm_ref_table *t, size_t r, const void *v)
{
	const struct rate_ctx *c = v;
	const char *b = mrm_ref_cell(t, r, "base"),
		   *q = mrm_ref_cell(t, r, "quote");

	if (strcmp(mrm_ref_cell(t, r, "kind"), "market"))
		return 0;
	return (!strcmp(b, c->from) && !strcmp(q, c->to)) ||
	       (!strcmp(b, c->to) && !strcmp(q, c->from));
}

static int market(const struct mrm_ref_table *t, size_t r, const void *v)
{
	(void)v;
	return !strcmp(mrm_ref_cell(t, r, "kind"), "market");
}

int mrm_ref_rate(const struct mrm_ref *ref, const char *from, const char *to,
		 const char *date, struct mrm_ref_figure *out,
		 struct mrm_error *err)
{
	const struct mrm_ref_table *t = need(ref, "exchange-rate", err);
	struct rate_ctx c = {from, to};
	char subject[64];
	int rc;

	if (!t)
		return MRM_ERR_NOTFOUND;
	if (!from || mrm_currency_digits(from) < 0)
		return mrm_error_set(err, MRM_ERR_INVALID, "currency",
				     "unknown currency \"%s\" (ISO 4217)",
				     from ? from : "");
	if (!to || mrm_currency_digits(to) < 0)
		return mrm_error_set(err, MRM_ERR_INVALID, "currency",
				     "unknown currency \"%s\" (ISO 4217)",
				     to ? to : "");
	snprintf(subject, sizeof(subject), "%s/%s (market rate)", from, to);
	rc = lookup(t, rate_match, market, &c, "exchange rate", subject, date,
		    NULL, out, err);
	if (rc)
		return rc;
	out->amount =
		strtoll(mrm_ref_cell(t, out->row, "base_amount"), NULL, 10);
	out->currency = mrm_ref_cell(t, out->row, "base");
	out->quote = mrm_ref_cell(t, out->row, "quote");
	out->quote_amount =
		strtoll(mrm_ref_cell(t, out->row, "quote_amount"), NULL, 10);
	return 0;
}

/* a * num / den rounded half away from zero, without overflow. */
static int64_t mul_div(int64_t a, int64_t num, int64_t den)
{
	__extension__ typedef __int128 wide;
	wide p = (wide)a * num, q = p / den, rem = p % den;

	if (rem * 2 >= den)
		q++;
	else if (rem * 2 <= -den)
		q--;
	return (int64_t)q;
}

int mrm_ref_convert(int64_t amount, const char *from,
		    const struct mrm_ref_figure *r, int64_t *out,
		    struct mrm_error *err)
{
	if (!r->quote || r->amount <= 0 || r->quote_amount <= 0)
		return mrm_error_set(err, MRM_ERR_INVALID, "rate",
				     "not an exchange rate");
	if (!strcmp(from, r->currency))
		*out = mul_div(amount, r->quote_amount, r->amount);
	else if (!strcmp(from, r->quote))
		*out = mul_div(amount, r->amount, r->quote_amount);
	else
		return mrm_error_set(err, MRM_ERR_INVALID, "rate",
				     "rate %s is %s/%s, not for %s", r->key,
				     r->currency, r->quote, from);
	return 0;
}

json_t *mrm_ref_tables_json(const struct mrm_ref *ref)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < ref->ntables; i++) {
		const struct mrm_ref_table *t = &ref->tables[i];
		json_t *cols = json_array(), *o;
		const char *first = NULL, *latest = NULL;
		long lo = 0, hi = 0, d;
		size_t est = 0;

		for (size_t c = 0; cols && c < t->ncols; c++)
			json_array_append_new(cols, json_string(t->cols[c]));
		for (size_t r = 0; r < t->nrows; r++) {
			const char *f = mrm_ref_cell(t, r, "effective_from");

			est += *mrm_ref_cell(t, r, "estimate") == '1';
			if (mrm_ref_date(f, 0, &d, NULL))
				continue;
			if (!first || d < lo)
				first = f, lo = d;
			if (!latest || d > hi)
				latest = f, hi = d;
		}
		o = json_pack("{s:s, s:s, s:I, s:I, s:s?, s:s?, s:o?}", "name",
			      t->name, "file", t->path, "rows",
			      (json_int_t)t->nrows, "estimates",
			      (json_int_t)est, "first", first, "latest", latest,
			      "columns", cols);
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}
