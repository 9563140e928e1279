/* socsec.c - see socsec.h */
#include "socsec.h"

#include "mrm/csv.h"
#include "mrm/embedded.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SS_ROWS_MAX 4096

void ss_table_release(struct ss_table *t)
{
	for (size_t i = 0; t->head && i < t->ncols; i++)
		free(t->head[i]);
	for (size_t i = 0; t->cell && i < t->nrows * t->ncols; i++)
		free(t->cell[i]);
	free(t->head);
	free(t->cell);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

static char **copy_record(struct mrm_csv_reader *r, size_t n)
{
	char **v = calloc(n, sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		if (!(v[i] = strdup(mrm_csv_field(r, i, NULL)))) {
			while (i--)
				free(v[i]);
			free(v);
			return NULL;
		}
	return v;
}

static int add_row(struct ss_table *t, struct mrm_csv_reader *r,
		   struct mrm_error *err)
{
	size_t n = t->ncols, at = t->nrows * n;
	char **cell, **row;
	size_t *line;

	if (mrm_csv_nfields(r) != n)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "%s:%lu: %zu columns, expected %zu",
				     t->path, mrm_csv_line(r),
				     mrm_csv_nfields(r), n);
	if (t->nrows == SS_ROWS_MAX)
		return mrm_error_set(err, MRM_ERR_LIMIT, t->path,
				     "more than %d rows", SS_ROWS_MAX);
	cell = realloc(t->cell, (at + n) * sizeof(*cell));
	if (cell)
		t->cell = cell;
	line = realloc(t->line, (t->nrows + 1) * sizeof(*line));
	if (line)
		t->line = line;
	row = cell && line ? copy_record(r, n) : NULL;
	if (!row)
		return mrm_error_set(err, MRM_ERR_NOMEM, t->path,
				     "out of memory");
	memcpy(t->cell + at, row, n * sizeof(*row));
	free(row);
	t->line[t->nrows++] = mrm_csv_line(r);
	return 0;
}

static int check_head(struct ss_table *t, const char *const *required,
		      struct mrm_error *err)
{
	for (size_t i = 0; required[i]; i++) {
		size_t c = 0;

		while (c < t->ncols && strcmp(t->head[c], required[i]))
			c++;
		if (c == t->ncols)
			return mrm_error_set(err, MRM_ERR_INVALID, t->path,
					     "no column \"%s\"", required[i]);
	}
	return 0;
}

int ss_table_load(struct ss_table *t, const char *path,
		  const char *const *required, struct mrm_error *err)
{
	const struct mrm_embedded *e = mrm_embedded_find(path);
	struct mrm_csv_reader *r = NULL;
	FILE *fp = NULL;
	int rc, got = 0;

	memset(t, 0, sizeof(*t));
	t->path = path;
	if (!e)
		return mrm_error_set(err, MRM_ERR_NOTFOUND, path,
				     "not built into this program");
	fp = fmemopen((void *)e->data, e->len, "r");
	if (!fp)
		return mrm_error_set(err, MRM_ERR_NOMEM, path, "cannot read");
	rc = mrm_csv_reader_new(&r, fp, path, NULL, err);
	while (!rc && (got = mrm_csv_next(r, err)) == 1) {
		if (mrm_csv_nfields(r) == 1 && !*mrm_csv_field(r, 0, NULL))
			continue; /* an empty line */
		if (t->head) {
			rc = add_row(t, r, err);
			continue;
		}
		t->ncols = mrm_csv_nfields(r);
		t->head = copy_record(r, t->ncols);
		rc = t->head ? check_head(t, required, err)
			     : mrm_error_set(err, MRM_ERR_NOMEM, path,
					     "out of memory");
	}
	if (!rc && got < 0)
		rc = got;
	mrm_csv_reader_free(r);
	fclose(fp);
	if (rc)
		ss_table_release(t);
	return rc;
}

const char *ss_get(const struct ss_table *t, size_t row, const char *col)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->head[c], col))
			return t->cell[row * t->ncols + c];
	return "";
}

int64_t ss_int(const struct ss_table *t, size_t row, const char *col,
	       int64_t dflt)
{
	const char *s = ss_get(t, row, col);
	char *end;
	long long v;

	if (!*s)
		return dflt;
	errno = 0;
	v = strtoll(s, &end, 10);
	return *end || errno ? dflt : (int64_t)v;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* YYYY, YYYY-MM or YYYY-MM-DD into y, m (0: absent), d (0: absent). */
static int split_date(const char *s, int *y, int *m, int *d)
{
	size_t n = strlen(s);

	*m = *d = 0;
	if ((n != 4 && n != 7 && n != 10) || !digits(s, 4))
		return -1;
	*y = atoi(s);
	if (n >= 7) {
		if (s[4] != '-' || !digits(s + 5, 2))
			return -1;
		*m = atoi(s + 5);
		if (*m < 1 || *m > 12)
			return -1;
	}
	if (n == 10) {
		if (s[7] != '-' || !digits(s + 8, 2))
			return -1;
		*d = atoi(s + 8);
		if (*d < 1 || *d > 31)
			return -1;
	}
	return 0;
}

long ss_day_first(const char *s)
{
	int y, m, d;

	if (!*s || split_date(s, &y, &m, &d))
		return -1;
	return (long)y * 10000 + (m ? m : 1) * 100 + (d ? d : 1);
}

long ss_day_last(const char *s)
{
	int y, m, d;

	if (!*s)
		return SS_OPEN_END;
	if (split_date(s, &y, &m, &d))
		return -1;
	/* the 31st of any month is after its last day: comparisons hold */
	return (long)y * 10000 + (m ? m : 12) * 100 + (d ? d : 31);
}

int ss_in_force(const struct ss_table *t, size_t row, long day)
{
	long from = ss_day_first(ss_get(t, row, "effective_from"));
	long to = ss_day_last(ss_get(t, row, "effective_to"));

	return from >= 0 && to >= 0 && from <= day && day <= to;
}

void ss_period_text(const struct ss_table *t, size_t row, char *out,
		    size_t size)
{
	const char *from = ss_get(t, row, "effective_from");
	const char *to = ss_get(t, row, "effective_to");

	if (*to)
		snprintf(out, size, "in force %s to %s", from, to);
	else
		snprintf(out, size, "in force from %s", from);
}
