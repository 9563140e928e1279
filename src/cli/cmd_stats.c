/* cmd_stats.c - mrm stats */
#include "cli.h"

#include "mrm/csv.h"
#include "mrm/stats.h"
#include "mrm/store.h"
#include "mrm/vocab.h"

#include <stdlib.h>
#include <string.h>

/* A dimension value as a reader wants it: the label in `lang`. */
static const char *label(struct mrm_store *st, const char *dim,
			 const char *code, const char *lang)
{
	const char *scheme = mrm_stats_dim_scheme(dim);

	if (!strcmp(code, MRM_STATS_ALL))
		return "(all)";
	return scheme ? mrm_vocab_label(mrm_store_vocab(st), scheme, code, lang)
		      : code;
}

#define COL 26 /* columns for a dimension value */

static void print_table(struct mrm_store *st, const struct mrm_stats_result *r,
			const char *lang)
{
	char value[64];

	for (size_t d = 0; d < r->ndims; d++)
		cli_pad(stdout, r->dims[d], COL, 0);
	if (r->money)
		cli_pad(stdout, "currency", 9, 0);
	if (r->days)
		printf("%8s %10s %8s %8s %8s\n", "count",
		       strcmp(r->measure, "detention-days") ? "sum" : "days",
		       "mean", "median", "p90");
	else
		printf("%12s\n", r->measure);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *c = &r->cells[i];

		for (size_t d = 0; d < r->ndims; d++)
			cli_pad(stdout, label(st, r->dims[d], c->key[d], lang),
				COL, 0);
		if (r->money)
			cli_pad(stdout, c->currency, 9, 0);
		mrm_stats_value_text(r, c, value, sizeof(value));
		if (r->days && mrm_stats_quantiles_shown(r, c))
			printf("%8lld %10s %8.1f %8.1f %8.1f\n",
			       (long long)c->count, value, c->mean, c->median,
			       c->p90);
		else if (r->days && c->mark == MRM_STATS_SHOWN)
			printf("%8lld %10s %8.1f %8s %8s\n",
			       (long long)c->count, value, c->mean, "-", "-");
		else
			printf("%12s\n", value);
	}
	if (r->public)
		printf("\nPublic output: cells describing fewer than %u people "
		       "read \"<%u\"; cells marked \"x\" are withheld so that "
		       "those cannot be worked out (%zu withheld).\n",
		       r->k, r->k, r->suppressed);
}

static void print_csv(const struct mrm_stats_result *r)
{
	struct mrm_buf b = MRM_BUF_INIT(1u << 20);
	const char *f[MRM_STATS_DIMS_MAX + 2];
	char value[64];
	size_t n = 0;

	for (size_t d = 0; d < r->ndims; d++)
		f[n++] = r->dims[d];
	if (r->money)
		f[n++] = "currency";
	f[n++] = "value";
	mrm_csv_put_record(&b, f, n);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *c = &r->cells[i];

		n = 0;
		for (size_t d = 0; d < r->ndims; d++)
			f[n++] = c->key[d];
		if (r->money)
			f[n++] = c->currency;
		mrm_stats_value_text(r, c, value, sizeof(value));
		f[n++] = value;
		mrm_csv_put_record(&b, f, n);
	}
	fputs(mrm_buf_str(&b), stdout);
	mrm_buf_release(&b);
}

int cmd_stats(int argc, char **argv)
{
	struct mrm_stats_query q = {0};
	const char *db = NULL, *format = NULL, *lang = "en", *k = NULL;
	const char **where = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"measure", &q.measure, NULL, NULL},
				       {"by", &q.by, NULL, NULL},
				       {"where", NULL, NULL, &where},
				       {"from", &q.from, NULL, NULL},
				       {"to", &q.to, NULL, NULL},
				       {"as-of", &q.as_of, NULL, NULL},
				       {"public", NULL, &q.public, NULL},
				       {"k", &k, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {"lang", &lang, NULL, NULL},
				       {NULL}};
	struct mrm_stats_result *r = NULL;
	struct mrm_store *st = NULL;
	struct mrm_error err;
	enum cli_format fmt;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("stats"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		goto out;
	if ((rc = cli_format("stats", format, &fmt)))
		goto out;
	if (!q.measure) {
		rc = cli_usage("stats", "--measure is required");
		goto out;
	}
	if (k && (atoi(k) < 2 || atoi(k) > 1000)) {
		rc = cli_usage("stats", "--k must be 2 to 1000");
		goto out;
	}
	q.k = k ? (unsigned)atoi(k) : 0;
	for (q.nwhere = 0; where && where[q.nwhere]; q.nwhere++)
		if (q.nwhere == MRM_STATS_WHERE_MAX) {
			rc = cli_usage("stats", "at most %d --where",
				       MRM_STATS_WHERE_MAX);
			goto out;
		} else {
			q.where[q.nwhere] = where[q.nwhere];
		}
	if ((rc = cli_open("stats", db, &st)))
		goto out;
	if (mrm_stats_run(st, &q, &r, &err)) {
		rc = cli_error("stats", &err);
		goto out;
	}
	if (fmt == CLI_JSON) {
		json_t *j = mrm_stats_json(r);

		json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(j);
	} else if (fmt == CLI_CSV) {
		print_csv(r);
	} else {
		print_table(st, r, lang);
	}
out:
	mrm_stats_result_free(r);
	mrm_store_close(st);
	free(where);
	return rc < 0 ? CLI_OK : rc;
}
