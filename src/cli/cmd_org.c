/* cmd_org.c - mrm org add|list */
#include "cli.h"

#include "mrm/csv.h"
#include "mrm/org.h"
#include "mrm/store.h"

#include <jansson.h>
#include <string.h>

struct listing {
	enum cli_format fmt;
	json_t *arr;
};

static int print_org(void *ctx, const struct mrm_org *o)
{
	struct listing *l = ctx;
	struct mrm_buf b = MRM_BUF_INIT(4096);
	const char *f[4] = {o->code, o->name, o->country, o->kind};

	if (l->fmt == CLI_JSON)
		json_array_append_new(l->arr,
				      json_pack("{s:s,s:s,s:s}", "code",
						o->code, "name", o->name,
						"country", o->country));
	else if (l->fmt == CLI_CSV && !mrm_csv_put_record(&b, f, 4))
		fputs(b.ptr, stdout);
	else if (l->fmt == CLI_TABLE)
		printf("%-16s %-3s %s\n", o->code, o->country, o->name);
	mrm_buf_release(&b);
	return 0;
}

int cmd_org(int argc, char **argv)
{
	const char *db = NULL, *code = NULL, *name = NULL, *country = NULL,
		   *format = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"code", &code, NULL, NULL},
				       {"name", &name, NULL, NULL},
				       {"country", &country, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {NULL}};
	struct listing l = {CLI_TABLE, NULL};
	struct mrm_store *st;
	struct mrm_error err;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("org"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || (strcmp(pos[0], "add") && strcmp(pos[0], "list")))
		return cli_usage("org", "say add or list");
	if ((rc = cli_format("org", format, &l.fmt)))
		return rc;
	if (!strcmp(pos[0], "add") && (!code || !name || !country))
		return cli_usage("org",
				 "add needs --code, --name and --country");
	if ((rc = cli_open("org", db, &st)))
		return rc;
	if (!strcmp(pos[0], "add")) {
		rc = mrm_org_add(st, code, name, country, &err);
		if (!rc)
			printf("Added organisation %s.\n", code);
	} else {
		l.arr = json_array();
		if (l.fmt == CLI_CSV)
			printf("code,name,country,kind\n");
		rc = mrm_org_each(st, print_org, &l, &err);
		if (!rc && l.fmt == CLI_JSON) {
			json_dumpf(l.arr, stdout, JSON_COMPACT);
			putchar('\n');
		}
		json_decref(l.arr);
	}
	mrm_store_close(st);
	return rc ? cli_error("org", &err) : CLI_OK;
}
