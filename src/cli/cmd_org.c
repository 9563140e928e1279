/* cmd_org.c - mrm org add|list */
#include "cli.h"

#include "mrm/org.h"
#include "mrm/store.h"

#include <string.h>

static const struct cli_column org_columns[] = {
	{"code", 16}, {"name", 0}, {"country", 3}, {"kind", 0}};
/* the table: code, country, then the name, which may be long */
static const int org_table[] = {0, 2, 1, -1};

static int print_org(void *ctx, const struct mrm_org *o)
{
	const char *values[] = {o->code, o->name, o->country, o->kind};

	return cli_emit_row(ctx, values);
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
	struct mrm_store *st;
	struct mrm_error err;
	struct cli_rows rows;
	enum cli_format fmt;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("org"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || (strcmp(pos[0], "add") && strcmp(pos[0], "list")))
		return cli_usage("org", "say add or list");
	if ((rc = cli_format("org", format, &fmt)))
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
		cli_rows_begin(&rows, fmt, org_columns, 4, org_table, &err);
		rc = mrm_org_each(st, print_org, &rows, &err);
		cli_rows_end(&rows, !rc);
	}
	mrm_store_close(st);
	return rc ? cli_error("org", &err) : CLI_OK;
}
