/* cmd_backup.c - mrm backup, mrm restore */
#include "cli.h"

#include "mrm/backup.h"
#include "mrm/store.h"

int cmd_backup(int argc, char **argv)
{
	const char *db = NULL, *out = NULL;
	const struct cli_opt opts[] = {
		{"db", &db, NULL, NULL}, {"out", &out, NULL, NULL}, {NULL}};
	struct mrm_store *st = NULL;
	struct mrm_error err;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("backup"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!out)
		return cli_usage("backup", "--out FILE is required");
	rc = cli_open("backup", db, &st);
	if (rc)
		return rc;
	if (mrm_backup_create(st, out, &err))
		rc = cli_error("backup", &err);
	else
		printf("Wrote the encrypted backup %s; to restore it you need "
		       "the key file %s.key (keep it apart).\n",
		       out, db);
	mrm_store_close(st);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	const char *key = NULL, *from = NULL, *db = NULL;
	const struct cli_opt opts[] = {{"key", &key, NULL, NULL},
				       {"from", &from, NULL, NULL},
				       {"db", &db, NULL, NULL},
				       {NULL}};
	struct mrm_error err;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("restore"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!key || !from || !db)
		return cli_usage("restore",
				 "--key KEYFILE, --from FILE and --db NEWFILE "
				 "are required");
	if (mrm_backup_restore(key, from, db, &err))
		return cli_error("restore", &err);
	printf("Restored %s into %s (key %s.key).\n", from, db, db);
	return CLI_OK;
}
