/* cmd_search.c - mrm search */
#include "cli.h"

#include "mrm/csv.h"
#include "mrm/search.h"
#include "mrm/store.h"

#include <jansson.h>
#include <stdlib.h>

struct out {
	enum cli_format fmt;
	json_t *arr;
	unsigned n;
};

static int print_hit(void *ctx, const struct mrm_hit *h)
{
	struct out *o = ctx;
	struct mrm_buf b = MRM_BUF_INIT(1u << 20);
	char id[32];
	const char *f[6] = {id,		h->key,	  h->start_date,
			    h->country, h->place, h->title};

	snprintf(id, sizeof(id), "%lld", (long long)h->id);
	o->n++;
	if (o->fmt == CLI_JSON)
		json_array_append_new(
			o->arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id",
					  (json_int_t)h->id, "key", h->key,
					  "start_date", h->start_date,
					  "country", h->country, "place",
					  h->place, "title", h->title));
	else if (o->fmt == CLI_CSV && !mrm_csv_put_record(&b, f, 6))
		fputs(b.ptr, stdout);
	else if (o->fmt == CLI_TABLE)
		printf("%8lld  %-10s %-2s  %s\n", (long long)h->id,
		       h->start_date, h->country, h->title);
	mrm_buf_release(&b);
	return 0;
}

int cmd_search(int argc, char **argv)
{
	const char *db = NULL, *format = NULL, *limit = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {"limit", &limit, NULL, NULL},
				       {NULL}};
	struct out o = {CLI_TABLE, NULL, 0};
	struct mrm_store *st;
	struct mrm_error err;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("search"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_format("search", format, &o.fmt)))
		return rc;
	if (npos != 1)
		return cli_usage("search", "give the TEXT to search for");
	if (limit && (atoi(limit) < 1 || atoi(limit) > 100000))
		return cli_usage("search", "--limit must be 1 to 100000");
	if ((rc = cli_open("search", db, &st)))
		return rc;
	o.arr = json_array();
	if (o.fmt == CLI_CSV)
		printf("id,key,start_date,country,place,title\n");
	rc = mrm_search(st, pos[0], limit ? (unsigned)atoi(limit) : 50,
			print_hit, &o, &err);
	mrm_store_close(st);
	if (!rc && o.fmt == CLI_JSON) {
		json_dumpf(o.arr, stdout, JSON_COMPACT);
		putchar('\n');
	} else if (!rc && o.fmt == CLI_TABLE && !o.n) {
		printf("no events match\n");
	}
	json_decref(o.arr);
	return rc ? cli_error("search", &err) : CLI_OK;
}
