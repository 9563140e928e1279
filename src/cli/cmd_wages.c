/* cmd_wages.c - mrm wages and mrm recruitment: wage records with what is
 * owed, recruitment costs with their burden, each with the source and
 * date of every reference figure used (docs/wages.md) */
#include "cli.h"

#include "mrm/ref.h"
#include "mrm/store.h"
#include "mrm/wages.h"

#include <stdlib.h>
#include <string.h>

/* A column: its name and where its value is in the record's JSON
 * ("minimum.source" is member source of member minimum). */
struct col {
	struct cli_column c;
	const char *path;
};

static const struct col wage_cols[] = {
	{{"id", 5}, "id"},
	{{"event", 12}, "event"},
	{{"victim", 10}, "victim"},
	{{"place", 8}, "admin1"},
	{{"area", 0}, "area"},
	{{"sector", 0}, "sector"},
	{{"period_start", 10}, "period_start"},
	{{"period_end", 10}, "period_end"},
	{{"days", 4}, "days_worked"},
	{{"paid", 10}, "amount_paid"},
	{{"currency", 3}, "currency"},
	{{"minimum", 8}, "minimum.amount"},
	{{"unit", 5}, "minimum.unit"},
	{{"legal", 10}, "legal"},
	{{"owed", 10}, "owed"},
	{{"per_day", 7}, "shortfall_per_day"},
	{{"living_gap", 10}, "living_wage_gap"},
	{{"minimum_source", 0}, "minimum.source"},
	{{"minimum_from", 0}, "minimum.effective_from"},
	{{"minimum_key", 0}, "minimum.key"},
	{{"minimum_estimate", 0}, "minimum.estimate"},
	{{"living_source", 0}, "living_wage.source"},
	{{"living_from", 0}, "living_wage.effective_from"},
	{{"minimum_error", 0}, "minimum_error"},
	{{"living_error", 0}, "living_wage_error"},
	{{"minimum_at_end", 0}, "minimum_at_end.key"},
};
static const int wage_table[] = {0,  1,	 3,  6,	 8,  9,	 10, 11, 12,
				 14, 15, 16, 19, 17, 18, 23, -1};

static const struct col cost_cols[] = {
	{{"id", 5}, "id"},
	{{"event", 12}, "event"},
	{{"victim", 10}, "victim"},
	{{"corridor", 8}, "corridor"},
	{{"paid_to", 8}, "paid_to"},
	{{"channel", 0}, "channel"},
	{{"date", 10}, "date"},
	{{"amount", 10}, "amount"},
	{{"currency", 3}, "currency"},
	{{"monthly_earnings", 10}, "monthly_earnings"},
	{{"burden_percent", 7}, "burden_percent"},
	{{"cap", 10}, "cap_amount"},
	{{"over_cap", 10}, "over_cap"},
	{{"cap_source", 0}, "cap.source"},
	{{"cap_from", 0}, "cap.effective_from"},
	{{"cap_estimate", 0}, "cap.estimate"},
	{{"rate_source", 0}, "rate.source"},
	{{"burden_error", 0}, "burden_error"},
	{{"cap_error", 0}, "cap_error"},
};
static const int cost_table[] = {0,  1,	 3,  6,	 7,  8,	 9,
				 10, 11, 12, 14, 13, 17, -1};

struct listing {
	struct mrm_store *st;
	struct mrm_ref *ref;
	enum cli_format fmt;
	const struct col *cols;
	size_t ncols;
	json_t *all; /* JSON: the records */
	struct cli_rows rows;
	struct cli_column heads[32];
	const int *table;
	int headed;
	struct mrm_error *err;
};

/* The table's heading, once, before the first row (or at the end). */
static void heading(struct listing *l)
{
	if (l->fmt != CLI_TABLE || l->headed++)
		return;
	for (const int *t = l->table; *t >= 0; t++)
		printf("%-*s%s", l->heads[*t].width, l->heads[*t].name,
		       t[1] >= 0 ? " " : "\n");
}

static void text_of(json_t *o, const char *path, char *out, size_t size)
{
	const char *dot = strchr(path, '.');
	json_t *v;

	if (dot) {
		char head[32];

		snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, head);
		path = dot + 1;
	}
	v = json_object_get(o, path);
	if (json_is_string(v))
		snprintf(out, size, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, size, "%.2f", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(out, size, "%d", json_is_true(v));
	else
		*out = 0;
}

static int emit(struct listing *l, json_t *o)
{
	char cells[32][1100];
	const char *vals[32];

	if (!o)
		return mrm_error_set(l->err, MRM_ERR_NOMEM, NULL,
				     "out of memory");
	if (l->fmt == CLI_JSON)
		return json_array_append_new(l->all, o)
			       ? mrm_error_set(l->err, MRM_ERR_NOMEM, NULL,
					       "out of memory")
			       : 0;
	for (size_t i = 0; i < l->ncols; i++) {
		text_of(o, l->cols[i].path, cells[i], sizeof(cells[i]));
		vals[i] = cells[i];
	}
	json_decref(o);
	heading(l);
	return cli_emit_row(&l->rows, vals);
}

static int wage_row(void *ctx, const struct mrm_wage_record *w)
{
	struct listing *l = ctx;
	struct mrm_wage_calc c;
	int rc = mrm_wage_compute(l->ref, w, &c, l->err);

	return rc ? rc : emit(l, mrm_wage_json(w, &c));
}

static int cost_row(void *ctx, const struct mrm_recruitment_cost *rc)
{
	struct listing *l = ctx;
	struct mrm_burden b;
	int r = mrm_burden_compute(l->st, l->ref, rc, &b, l->err);

	return r ? r : emit(l, mrm_burden_json(rc, &b));
}

static int run(const char *cmd, int argc, char **argv, int wages)
{
	const char *db = NULL, *format = NULL, *event = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"event", &event, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {NULL}};
	struct listing l = {0};
	struct mrm_error err;
	int64_t id = 0;
	char *pos[1], *end;
	int npos, rc;

	rc = cli_parse(cli_find(cmd), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_format(cmd, format, &l.fmt)))
		return rc;
	if (event) {
		id = strtoll(event, &end, 10);
		if (*end || id <= 0)
			return cli_usage(cmd,
					 "--event must be an event id (a "
					 "whole number), not \"%s\"",
					 event);
	}
	if ((rc = cli_open(cmd, db, &l.st)))
		return rc;
	l.err = &err;
	l.cols = wages ? wage_cols : cost_cols;
	l.ncols = wages ? sizeof(wage_cols) / sizeof(wage_cols[0])
			: sizeof(cost_cols) / sizeof(cost_cols[0]);
	for (size_t i = 0; i < l.ncols; i++)
		l.heads[i] = l.cols[i].c;
	rc = mrm_ref_load(&l.ref, &err);
	if (!rc && l.fmt == CLI_JSON && !(l.all = json_array()))
		rc = mrm_error_set(&err, MRM_ERR_NOMEM, NULL, "out of memory");
	l.table = wages ? wage_table : cost_table;
	if (!rc && l.fmt != CLI_JSON)
		cli_rows_begin(&l.rows, l.fmt, l.heads, l.ncols, l.table, &err);
	if (!rc)
		rc = wages ? mrm_wages_each(l.st, id, 0, wage_row, &l, &err)
			   : mrm_recruitment_each(l.st, id, 0, cost_row, &l,
						  &err);
	if (!rc)
		heading(&l);
	if (l.fmt != CLI_JSON)
		cli_rows_end(&l.rows, !rc);
	if (!rc && l.fmt == CLI_JSON) {
		json_dumpf(l.all, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
	}
	json_decref(l.all);
	mrm_ref_free(l.ref);
	mrm_store_close(l.st);
	return rc ? cli_error(cmd, &err) : CLI_OK;
}

int cmd_wages(int argc, char **argv)
{
	return run("wages", argc, argv, 1);
}

int cmd_recruitment(int argc, char **argv)
{
	return run("recruitment", argc, argv, 0);
}
