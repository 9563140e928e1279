/* cmd_user.c - mrm user add|list */
#include "cli.h"

#include "mrm/org.h"
#include "mrm/store.h"

#include <sodium.h>
#include <string.h>

static const struct cli_column user_columns[] = {
	{"login", 24}, {"org", 16}, {"role", 12}, {"created", 0}};
static const int user_table[] = {0, 1, 2, 3, -1};

static int print_user(void *ctx, const struct mrm_user *u)
{
	const char *values[] = {u->login, u->org, u->role, u->created};

	return cli_emit_row(ctx, values);
}

/* First line of standard input, without its newline. */
static int read_password(char *pw, size_t size)
{
	size_t n;

	if (!fgets(pw, (int)size, stdin))
		return -1;
	n = strcspn(pw, "\r\n");
	if (n == size - 1 && pw[n] != '\n' && !feof(stdin))
		return -1;
	pw[n] = '\0';
	return 0;
}

static int add(struct mrm_store *st, const char *org, const char *login,
	       const char *role, struct mrm_error *err)
{
	char pw[1024];
	int rc;

	if (read_password(pw, sizeof(pw)))
		return mrm_error_set(err, MRM_ERR_INVALID, "password",
				     "give the password on standard input "
				     "(one line, under 1024 bytes)");
	rc = mrm_user_add(st, org, login, role, pw, err);
	sodium_memzero(pw, sizeof(pw));
	if (!rc)
		printf("Added user %s (%s of %s).\n", login, role, org);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	const char *db = NULL, *org = NULL, *login = NULL, *role = NULL,
		   *format = NULL;
	const struct cli_opt opts[] = {
		{"db", &db, NULL, NULL},	 {"org", &org, NULL, NULL},
		{"login", &login, NULL, NULL},	 {"role", &role, NULL, NULL},
		{"format", &format, NULL, NULL}, {NULL}};
	struct mrm_store *st;
	struct mrm_error err;
	struct cli_rows rows;
	enum cli_format fmt;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("user"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || (strcmp(pos[0], "add") && strcmp(pos[0], "list")))
		return cli_usage("user", "say add or list");
	if ((rc = cli_format("user", format, &fmt)))
		return rc;
	if (!strcmp(pos[0], "add") && (!org || !login || !role))
		return cli_usage("user", "add needs --org, --login and --role");
	if ((rc = cli_open("user", db, &st)))
		return rc;
	if (!strcmp(pos[0], "add")) {
		rc = add(st, org, login, role, &err);
	} else {
		cli_rows_begin(&rows, fmt, user_columns, 4, user_table, &err);
		rc = mrm_user_each(st, print_user, &rows, &err);
		cli_rows_end(&rows, !rc);
	}
	mrm_store_close(st);
	return rc ? cli_error("user", &err) : CLI_OK;
}
