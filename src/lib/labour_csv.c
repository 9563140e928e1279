/*
 * labour_csv.c - wage records and recruitment costs from a spreadsheet:
 * one CSV row per record, keyed to an event already in the database by
 * its key (docs/wages.md, "From a spreadsheet"). The cells are checked
 * by the same rules as the JSON import (labour.c); every problem is
 * located FILE:LINE:COLUMN, and nothing is written unless every row is
 * good.
 */
#include "labour.h"

#include "mrm/csv.h"
#include "mrm/import.h"
#include "mrm/org.h"
#include "mrm/store.h"
#include "mrm/wages.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_ERRORS 20
#define COLS_MAX	   32

struct lcsv {
	struct mrm_store *st;
	const struct labour_table *t;
	const struct mrm_import_opts *opts;
	struct mrm_csv_reader *csv;
	const char *name;
	unsigned max_errors;
	char *head[COLS_MAX]; /* the header's column names */
	size_t nhead;
	int col_event, col_org, col_victim;
	int64_t default_org; /* --org, 0: none */
	unsigned long errors, rows;
};

/* Report a problem at 0-based column `col` (-1: the line only). */
static void problem_at(struct lcsv *c, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem_at(struct lcsv *c, int col, const char *fmt, ...)
{
	struct mrm_error e;
	va_list ap;

	mrm_error_clear(&e);
	e.code = MRM_ERR_INVALID;
	if (col >= 0 && (size_t)col < mrm_csv_nfields(c->csv))
		snprintf(e.where, sizeof(e.where), "%s:%lu:%d", c->name,
			 mrm_csv_field_line(c->csv, (size_t)col), col + 1);
	else if (col >= 0)
		snprintf(e.where, sizeof(e.where), "%s:%lu:%d", c->name,
			 mrm_csv_line(c->csv), col + 1);
	else
		snprintf(e.where, sizeof(e.where), "%s:%lu", c->name,
			 mrm_csv_line(c->csv));
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	if (++c->errors <= c->max_errors && c->opts && c->opts->on_error)
		c->opts->on_error(c->opts->ctx, &e);
}

static int column(const struct lcsv *c, const char *name)
{
	for (size_t i = 0; i < c->nhead; i++)
		if (!strcmp(c->head[i], name))
			return (int)i;
	return -1;
}

/* Known columns: event, org, victim and the record's members. */
static int known_column(const struct lcsv *c, const char *name)
{
	if (!strcmp(name, "event") || !strcmp(name, "org") ||
	    !strcmp(name, "victim"))
		return 1;
	for (size_t i = 0; labour_field(c->t, i); i++)
		if (!strcmp(labour_field(c->t, i), name))
			return 1;
	return 0;
}

static int read_header(struct lcsv *c, struct mrm_error *err)
{
	int rc = mrm_csv_next(c->csv, err);

	if (rc == 0)
		return mrm_error_set(err, MRM_ERR_INVALID, c->name,
				     "the file is empty (expected a header "
				     "row)");
	if (rc < 0)
		return rc;
	c->nhead = mrm_csv_nfields(c->csv);
	if (c->nhead > COLS_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, c->name,
				     "%zu columns: at most %d", c->nhead,
				     COLS_MAX);
	for (size_t i = 0; i < c->nhead; i++) {
		const char *h = mrm_csv_field(c->csv, i, NULL);

		if (!(c->head[i] = strdup(h)))
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
		if (!known_column(c, h)) {
			struct mrm_buf names = MRM_BUF_INIT(1024);

			for (size_t k = 0; labour_field(c->t, k); k++)
				mrm_buf_addf(&names, ", %s",
					     labour_field(c->t, k));
			problem_at(c, (int)i,
				   "unknown column \"%s\"; known: event, org, "
				   "victim%s",
				   h, mrm_buf_str(&names));
			mrm_buf_release(&names);
		} else if (column(c, h) != (int)i) {
			problem_at(c, (int)i, "column \"%s\" given twice", h);
		}
	}
	c->col_event = column(c, "event");
	c->col_org = column(c, "org");
	c->col_victim = column(c, "victim");
	if (c->col_event < 0)
		problem_at(c, -1,
			   "no column \"event\": each row names the key of "
			   "the event its record belongs to");
	return 0;
}

static const char *cell(const struct lcsv *c, int col)
{
	return col >= 0 ? mrm_csv_field(c->csv, (size_t)col, NULL) : "";
}

/* The event of the row: its id and organisation, or 0 (problem told). */
static int find_event(struct lcsv *c, int64_t *event, int64_t *org,
		      struct mrm_error *err)
{
	const char *key = cell(c, c->col_event), *code = cell(c, c->col_org);
	int64_t want = c->default_org;
	sqlite3_stmt *s;
	int n = 0, step;
	char owners[200] = "";

	*event = 0;
	if (!*key) {
		problem_at(c, c->col_event,
			   "event: the key of an event is "
			   "required");
		return 0;
	}
	if (*code && mrm_org_id(c->st, code, &want, NULL)) {
		problem_at(c, c->col_org,
			   "org: no organisation \"%s\"; see them with: mrm "
			   "org list",
			   code);
		return 0;
	}
	s = mrm_store_prepare(c->st,
			      "SELECT e.id, e.org_id, o.code FROM event e"
			      " JOIN org o ON o.id = e.org_id WHERE e.key = ?1"
			      " AND (?2 = 0 OR e.org_id = ?2) ORDER BY e.id");
	if (!s)
		return mrm_store_fail(c->st, err, "events");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, want);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (!n++) {
			*event = sqlite3_column_int64(s, 0);
			*org = sqlite3_column_int64(s, 1);
		}
		snprintf(owners + strlen(owners),
			 sizeof(owners) - strlen(owners), "%s%s",
			 n > 1 ? ", " : "", sqlite3_column_text(s, 2));
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return mrm_store_fail(c->st, err, "events");
	if (!n)
		problem_at(c, c->col_event,
			   "event: no event with key \"%s\"%s%s; import the "
			   "events first",
			   key, want ? " of organisation " : "",
			   want ? (*code ? code : c->opts->org) : "");
	else if (n > 1) {
		*event = 0;
		problem_at(c, c->col_event,
			   "event: key \"%s\" is used by events of several "
			   "organisations (%s): add an org column or --org",
			   key, owners);
	}
	return 0;
}

/* The person the record is about: the victim column's key in the
 * event's organisation, else the event's first victim (0: none). */
static int find_victim(struct lcsv *c, int64_t event, int64_t org,
		       int64_t *victim, struct mrm_error *err)
{
	const char *key = cell(c, c->col_victim);
	sqlite3_stmt *s =
		*key ? mrm_store_prepare(c->st,
					 "SELECT id FROM person WHERE org_id ="
					 " ?1 AND key = ?2")
		     : mrm_store_prepare(c->st,
					 "SELECT victim_id FROM act WHERE"
					 " event_id = ?3 AND victim_id IS NOT"
					 " NULL ORDER BY id LIMIT 1");
	int step;

	*victim = 0;
	if (!s)
		return mrm_store_fail(c->st, err, "persons");
	if (*key) {
		sqlite3_bind_int64(s, 1, org);
		sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
	} else
		sqlite3_bind_int64(s, 3, event);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*victim = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return mrm_store_fail(c->st, err, "persons");
	if (*key && !*victim)
		problem_at(c, c->col_victim,
			   "victim: no person with key \"%s\" in the event's "
			   "organisation",
			   key);
	return 0;
}

static void member_problem(void *ctx, const char *key,
			   const struct mrm_error *e)
{
	struct lcsv *c = ctx;

	problem_at(c, column(c, key), "%s: %s", key, e->msg);
}

/* The row's members as a JSON object of strings (empty cells left out). */
static json_t *row_object(struct lcsv *c)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < c->nhead; i++) {
		const char *v = mrm_csv_field(c->csv, i, NULL);

		if ((int)i == c->col_event || (int)i == c->col_org ||
		    (int)i == c->col_victim || !*v ||
		    !known_column(c, c->head[i]))
			continue;
		if (json_object_set_new(o, c->head[i], json_string(v))) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Check the current row and, while the file has no problem, write it. */
static int one_row(struct lcsv *c, struct mrm_error *err)
{
	size_t n = mrm_csv_nfields(c->csv), len;
	int64_t event = 0, org = 0, victim = 0;
	unsigned long before = c->errors;
	json_t *o;
	int rc;

	if (n != c->nhead) {
		problem_at(c, (int)(n < c->nhead ? n : c->nhead),
			   "%zu columns, the header has %zu", n, c->nhead);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (strlen(mrm_csv_field(c->csv, i, &len)) != len)
			problem_at(c, (int)i,
				   "contains a NUL byte (is this a text file "
				   "in UTF-8?); remove it");
	if ((rc = find_event(c, &event, &org, err)))
		return rc;
	if (event && (rc = find_victim(c, event, org, &victim, err)))
		return rc;
	if (!(o = row_object(c)))
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	rc = labour_check(c->t, o, mrm_store_vocab(c->st), member_problem, c);
	if (rc < 0)
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	else if (!c->errors && before == c->errors)
		rc = labour_insert(c->st, c->t, o, mrm_store_vocab(c->st),
				   event, victim, err);
	else
		rc = 0;
	json_decref(o);
	return rc;
}

static int read_rows(struct lcsv *c, struct mrm_error *err)
{
	int rc = 0;

	while (!rc && c->errors < c->max_errors) {
		struct mrm_error e;
		int got = mrm_csv_next(c->csv, &e);

		if (got == 0)
			break;
		if (got > 0 && mrm_csv_nfields(c->csv) == 1 &&
		    !*mrm_csv_field(c->csv, 0, NULL))
			continue; /* a blank line */
		c->rows++;
		if (got < 0) {
			if (++c->errors <= c->max_errors && c->opts->on_error)
				c->opts->on_error(c->opts->ctx, &e);
			if (!mrm_csv_recoverable(c->csv))
				break;
			continue;
		}
		rc = one_row(c, err);
	}
	return rc;
}

int mrm_import_labour_csv(struct mrm_store *st, FILE *fp, const char *name,
			  const char *what, const struct mrm_import_opts *opts,
			  unsigned long *added, struct mrm_error *err)
{
	struct lcsv c = {.st = st, .opts = opts, .name = name};
	int rc = 0, txn = 0;

	*added = 0;
	c.t = labour_table_of(!strcmp(what, "wages") ? "wages"
			      : !strcmp(what, "recruitment")
				      ? "recruitment_costs"
				      : "");
	if (!c.t)
		return mrm_error_set(err, MRM_ERR_INVALID, "--what",
				     "\"%s\": import events, wages or "
				     "recruitment",
				     what);
	c.max_errors = opts->max_errors ? opts->max_errors : DEFAULT_MAX_ERRORS;
	if (opts->org &&
	    (rc = mrm_org_id(st, opts->org, &c.default_org, err))) {
		mrm_error_prefix(err, "--org");
		return rc;
	}
	rc = mrm_csv_reader_new(&c.csv, fp, name, NULL, err);
	if (!rc)
		rc = read_header(&c, err);
	if (!rc && !(rc = mrm_store_begin(st, err)))
		txn = 1;
	if (!rc && c.col_event >= 0)
		rc = read_rows(&c, err);
	if (!rc && c.errors)
		rc = mrm_error_set(err, MRM_ERR_INVALID, name,
				   "%lu problem%s%s; nothing was imported "
				   "(fix them and import the file again)",
				   c.errors, c.errors == 1 ? "" : "s",
				   c.errors >= c.max_errors
					   ? " (the import stopped there)"
					   : "");
	else if (!rc && !c.rows)
		rc = mrm_error_set(err, MRM_ERR_INVALID, name,
				   "no rows under the header: nothing to "
				   "import");
	if (!rc)
		rc = mrm_store_touch(st, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc && txn)
		mrm_store_rollback(st);
	if (!rc)
		*added = c.rows;
	mrm_csv_reader_free(c.csv);
	for (size_t i = 0; i < c.nhead; i++)
		free(c.head[i]);
	return rc;
}
