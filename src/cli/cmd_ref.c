/* cmd_ref.c - mrm ref list|show: the reference tables of data/reference/ */
#include "cli.h"

#include "mrm/buf.h"
#include "mrm/ref.h"

#include <stdlib.h>
#include <string.h>

static const struct cli_column list_columns[] = {
	{"table", 20}, {"rows", 5},    {"estimates", 9},
	{"first", 10}, {"latest", 10}, {"file", 0}};
static const int list_table[] = {0, 1, 2, 3, 4, 5, -1};

static int list(const struct mrm_ref *ref, enum cli_format fmt,
		struct mrm_error *err)
{
	json_t *arr = mrm_ref_tables_json(ref), *t;
	struct cli_rows rows;
	size_t i;
	int rc = 0;

	if (!arr)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	if (fmt == CLI_JSON) {
		json_dumpf(arr, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(arr);
		return 0;
	}
	cli_rows_begin(&rows, fmt, list_columns, 6, list_table, err);
	if (fmt == CLI_TABLE)
		printf("%-20s %-5s %-9s %-10s %-10s %s\n", "TABLE", "ROWS",
		       "ESTIMATES", "FIRST", "LATEST", "FILE");
	json_array_foreach(arr, i, t)
	{
		char n[24], e[24];
		const char *v[6];

		snprintf(n, sizeof(n), "%lld",
			 (long long)json_integer_value(
				 json_object_get(t, "rows")));
		snprintf(e, sizeof(e), "%lld",
			 (long long)json_integer_value(
				 json_object_get(t, "estimates")));
		v[0] = json_string_value(json_object_get(t, "name"));
		v[1] = n;
		v[2] = e;
		v[3] = json_string_value(json_object_get(t, "first"));
		v[4] = json_string_value(json_object_get(t, "latest"));
		v[5] = json_string_value(json_object_get(t, "file"));
		v[3] = v[3] ? v[3] : "";
		v[4] = v[4] ? v[4] : "";
		if ((rc = cli_emit_row(&rows, v)))
			break;
	}
	cli_rows_end(&rows, !rc);
	json_decref(arr);
	return rc;
}

/* The rows (already filtered) in the table or CSV form: every column; the
 * table leaves out source_url and note, and pads each column to its
 * widest value. */
static int show_rows(const struct mrm_ref_table *t, json_t *arr,
		     enum cli_format fmt, struct mrm_error *err)
{
	struct cli_column *cols = calloc(t->ncols, sizeof(*cols));
	int *table = calloc(t->ncols + 1, sizeof(*table));
	const char **v = calloc(t->ncols, sizeof(*v));
	struct cli_rows rows;
	size_t i, nt = 0;
	json_t *o;
	int rc = 0;

	if (!cols || !table || !v) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		cols[c].name = t->cols[c];
		cols[c].width = cli_width(t->cols[c]);
		json_array_foreach(arr, i, o)
		{
			json_t *x = json_object_get(o, t->cols[c]);
			int w = json_is_string(x)
					? cli_width(json_string_value(x))
					: 1;

			if (w > cols[c].width)
				cols[c].width = w;
		}
		if (strcmp(t->cols[c], "source_url") &&
		    strcmp(t->cols[c], "note"))
			table[nt++] = (int)c;
	}
	table[nt] = -1;
	if (fmt == CLI_TABLE)
		for (size_t k = 0; k < nt; k++)
			printf("%-*s%s", cols[table[k]].width,
			       cols[table[k]].name, k + 1 < nt ? " " : "\n");
	cli_rows_begin(&rows, fmt, cols, t->ncols, table, err);
	json_array_foreach(arr, i, o)
	{
		for (size_t c = 0; c < t->ncols; c++) {
			json_t *x = json_object_get(o, t->cols[c]);

			v[c] = json_is_string(x) ? json_string_value(x)
			       : json_is_true(x) ? "1"
						 : "0";
		}
		if ((rc = cli_emit_row(&rows, v)))
			break;
	}
	cli_rows_end(&rows, !rc);
	if (!rc && fmt == CLI_TABLE)
		printf("(%zu rows; sources and notes: --format csv or json; "
		       "estimate 1 = flagged VERIFY or derived)\n",
		       json_array_size(arr));
out:
	free(cols);
	free(table);
	free(v);
	return rc;
}

static int show(const struct mrm_ref *ref, const char *name,
		const char *country, const char *on, enum cli_format fmt,
		struct mrm_error *err)
{
	const struct mrm_ref_table *t = mrm_ref_find(ref, name);
	json_t *arr;
	int rc;

	if (!t) {
		struct mrm_buf b = MRM_BUF_INIT(512);

		for (size_t i = 0; i < ref->ntables; i++)
			mrm_buf_addf(&b, "%s%s", i ? ", " : "",
				     ref->tables[i].name);
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, NULL,
				   "no reference table \"%s\" (tables: %s)",
				   name, mrm_buf_str(&b));
		mrm_buf_release(&b);
		return rc;
	}
	if (country && mrm_ref_check_country(country, err)) {
		snprintf(err->where, sizeof(err->where), "--country");
		return MRM_ERR_INVALID;
	}
	arr = mrm_ref_rows_json(t, country, on, err);
	if (!arr)
		return err->code;
	if (fmt == CLI_JSON) {
		json_t *o = json_pack("{s:s, s:s, s:o}", "table", t->name,
				      "file", t->path, "rows", arr);

		json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
		return 0;
	}
	rc = show_rows(t, arr, fmt, err);
	json_decref(arr);
	return rc;
}

int cmd_ref(int argc, char **argv)
{
	const char *format = NULL, *country = NULL, *on = NULL;
	const struct cli_opt opts[] = {{"format", &format, NULL, NULL},
				       {"country", &country, NULL, NULL},
				       {"on", &on, NULL, NULL},
				       {NULL}};
	struct mrm_ref *ref = NULL;
	struct mrm_error err;
	enum cli_format fmt;
	char *pos[2];
	int npos, rc;

	rc = cli_parse(cli_find("ref"), argc, argv, opts, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos < 1 || (strcmp(pos[0], "list") && strcmp(pos[0], "show")))
		return cli_usage("ref", "say list or show TABLE");
	if (!strcmp(pos[0], "list") && (npos != 1 || country || on))
		return cli_usage("ref", "list takes no table, --country or "
					"--on");
	if (!strcmp(pos[0], "show") && npos != 2)
		return cli_usage("ref", "show needs one TABLE (mrm ref list "
					"names them)");
	if ((rc = cli_format("ref", format, &fmt)))
		return rc;
	if (mrm_ref_load(&ref, &err))
		return cli_error("ref", &err);
	if (!strcmp(pos[0], "list"))
		rc = list(ref, fmt, &err);
	else
		rc = show(ref, pos[1], country, on, fmt, &err);
	mrm_ref_free(ref);
	return rc ? cli_error("ref", &err) : CLI_OK;
}
