/* cmd_export.c - mrm export */
#include "cli.h"

#include "mrm/export.h"
#include "mrm/store.h"

#include <string.h>

int cmd_export(int argc, char **argv)
{
	const char *db = NULL, *format = NULL, *what = "acts", *out = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {"what", &what, NULL, NULL},
				       {"out", &out, NULL, NULL},
				       {NULL}};
	struct mrm_store *st = NULL;
	struct mrm_error err;
	FILE *fp = stdout;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("export"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!format || (strcmp(format, "json") && strcmp(format, "csv")))
		return cli_usage("export", "--format json or csv is required");
	if ((rc = cli_open("export", db, &st)))
		return rc;
	/* an export holds the sensitive fields in clear */
	if (out && !(fp = cli_create_private("export", out))) {
		rc = CLI_FAIL;
		goto done;
	}
	rc = !strcmp(format, "json") ? mrm_export_json(st, fp, &err)
				     : mrm_export_csv(st, what, fp, &err);
	if (!rc && fflush(fp))
		rc = mrm_error_set(&err, MRM_ERR_IO, out ? out : "stdout",
				   "write failed");
	rc = rc ? cli_error("export", &err) : CLI_OK;
	if (out && fclose(fp) && !rc)
		rc = CLI_FAIL;
done:
	mrm_store_close(st);
	return rc;
}
