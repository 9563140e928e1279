/* cmd_user.c - mrm user add|list */
#include "cli.h"

#include "mrm/csv.h"
#include "mrm/org.h"
#include "mrm/store.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

struct listing {
	enum cli_format fmt;
	json_t *arr;
};

static int print_user(void *ctx, const struct mrm_user *u)
{
	struct listing *l = ctx;
	struct mrm_buf b = MRM_BUF_INIT(4096);
	const char *f[4] = {u->login, u->org, u->role, u->created};

	if (l->fmt == CLI_JSON)
		json_array_append_new(
			l->arr, json_pack("{s:s,s:s,s:s,s:s}", "login",
					  u->login, "org", u->org, "role",
					  u->role, "created", u->created));
	else if (l->fmt == CLI_CSV && !mrm_csv_put_record(&b, f, 4))
		fputs(b.ptr, stdout);
	else if (l->fmt == CLI_TABLE)
		printf("%-24s %-16s %-12s %s\n", u->login, u->org, u->role,
		       u->created);
	mrm_buf_release(&b);
	return 0;
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
	struct listing l = {CLI_TABLE, NULL};
	struct mrm_store *st;
	struct mrm_error err;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("user"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || (strcmp(pos[0], "add") && strcmp(pos[0], "list")))
		return cli_usage("user", "say add or list");
	if ((rc = cli_format("user", format, &l.fmt)))
		return rc;
	if (!strcmp(pos[0], "add") && (!org || !login || !role))
		return cli_usage("user", "add needs --org, --login and --role");
	if ((rc = cli_open("user", db, &st)))
		return rc;
	if (!strcmp(pos[0], "add")) {
		rc = add(st, org, login, role, &err);
	} else {
		l.arr = json_array();
		if (l.fmt == CLI_CSV)
			printf("login,org,role,created\n");
		rc = mrm_user_each(st, print_user, &l, &err);
		if (!rc && l.fmt == CLI_JSON) {
			json_dumpf(l.arr, stdout, JSON_COMPACT);
			putchar('\n');
		}
		json_decref(l.arr);
	}
	mrm_store_close(st);
	return rc ? cli_error("user", &err) : CLI_OK;
}
