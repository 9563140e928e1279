/* cmd_init.c - mrm init */
#include "cli.h"

#include "mrm/store.h"

int cmd_init(int argc, char **argv)
{
	const char *db = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL}, {NULL}};
	struct mrm_error err;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("init"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!db)
		return cli_usage("init", "--db FILE is required");
	if (mrm_store_create(db, &err))
		return cli_error("init", &err);
	printf("Created %s and its key %s.key (keep the key safe and apart "
	       "from backups).\n",
	       db, db);
	return CLI_OK;
}
