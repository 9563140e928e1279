/* cmd_token.c - mrm token add */
#include "cli.h"

#include "mrm/auth.h"
#include "mrm/store.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define DAYS_DEFAULT 90
#define DAYS_MAX     3650

/* --days as a whole number of 1 to DAYS_MAX; -1 when it is not. */
static int parse_days(const char *s)
{
	char *end;
	long v;

	if (!s)
		return DAYS_DEFAULT;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > DAYS_MAX)
		return -1;
	return (int)v;
}

int cmd_token(int argc, char **argv)
{
	const char *db = NULL, *login = NULL, *name = NULL, *days_s = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"login", &login, NULL, NULL},
				       {"name", &name, NULL, NULL},
				       {"days", &days_s, NULL, NULL},
				       {NULL}};
	char token[MRM_TOKEN_HEX + 1];
	struct mrm_store *st;
	struct mrm_error err;
	char *pos[1];
	int npos, rc, days;

	rc = cli_parse(cli_find("token"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || strcmp(pos[0], "add"))
		return cli_usage("token", "say add");
	if (!login || !name)
		return cli_usage("token", "add needs --login and --name");
	days = parse_days(days_s);
	if (days < 0)
		return cli_usage("token", "--days \"%s\": give 1 to %d days",
				 days_s, DAYS_MAX);
	if ((rc = cli_open("token", db, &st)))
		return rc;
	rc = mrm_auth_token_create(st, login, name, days, token, &err);
	mrm_store_close(st);
	if (rc)
		return cli_error("token", &err);
	/* The token alone on standard output, for scripts to capture; it is
	 * never shown again. */
	printf("%s\n", token);
	sodium_memzero(token, sizeof(token));
	fprintf(stderr,
		"mrm token: token \"%s\" for %s, valid %d days; keep it now, "
		"only its hash is stored\n",
		name, login, days);
	return fflush(stdout) ? CLI_FAIL : CLI_OK;
}
