/* cmd_user.c - mrm user add|list|passwd|totp|revoke|disable|enable */
#include "cli.h"

#include "mrm/account.h"
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

/* mrm user passwd: a new password from standard input; every session of
 * the user ends. */
static int passwd(struct mrm_store *st, int64_t id, const char *login,
		  struct mrm_error *err)
{
	char pw[1024];
	int rc;

	if (read_password(pw, sizeof(pw)))
		return mrm_error_set(err, MRM_ERR_INVALID, "password",
				     "give the new password on standard input "
				     "(one line, under 1024 bytes)");
	rc = mrm_user_set_password(st, id, pw, NULL, err);
	sodium_memzero(pw, sizeof(pw));
	if (!rc)
		printf("Set the password of %s; their sessions are ended.\n",
		       login);
	return rc;
}

static int totp(struct mrm_store *st, int64_t id, const char *login, int off,
		struct mrm_error *err)
{
	char secret[MRM_TOTP_SECRET_B32 + 1], uri[MRM_TOTP_URI_MAX];
	int rc;

	if (off) {
		rc = mrm_totp_off(st, id, err);
		if (!rc)
			printf("Two-factor login is off for %s.\n", login);
		return rc;
	}
	rc = mrm_totp_enrol(st, id, 0, secret, uri, err);
	if (rc)
		return rc;
	printf("%s\n%s\n", secret, uri);
	fprintf(stderr,
		"Two-factor login is on for %s. Add the secret (first line) "
		"or the otpauth URI (second line, as a QR code) to an "
		"authenticator app; logins now need its 6-digit code. Give it "
		"to the user privately and do not keep it.\n",
		login);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(uri, sizeof(uri));
	return 0;
}

/* The subcommands about one user's account (--login). */
static int account(struct mrm_store *st, const char *sub, const char *login,
		   int off, struct mrm_error *err)
{
	int64_t id = 0;
	int rc = mrm_user_id(st, login, &id, err), ended = 0;

	if (rc)
		return rc;
	if (!strcmp(sub, "passwd"))
		return passwd(st, id, login, err);
	if (!strcmp(sub, "totp"))
		return totp(st, id, login, off, err);
	if (!strcmp(sub, "revoke")) {
		rc = mrm_user_revoke(st, id, NULL, &ended, err);
		if (!rc)
			printf("Ended %d session%s of %s.\n", ended,
			       ended == 1 ? "" : "s", login);
		return rc;
	}
	rc = mrm_user_disable(st, id, !strcmp(sub, "disable"), err);
	if (!rc)
		printf(!strcmp(sub, "disable")
			       ? "Disabled %s: their sessions and API tokens "
				 "are gone.\n"
			       : "Enabled %s again.\n",
		       login);
	return rc;
}

static int is_account_sub(const char *sub)
{
	static const char *const subs[] = {"passwd",  "totp",	"revoke",
					   "disable", "enable", NULL};

	for (int i = 0; subs[i]; i++)
		if (!strcmp(sub, subs[i]))
			return 1;
	return 0;
}

int cmd_user(int argc, char **argv)
{
	const char *db = NULL, *org = NULL, *login = NULL, *role = NULL,
		   *format = NULL;
	int off = 0;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"org", &org, NULL, NULL},
				       {"login", &login, NULL, NULL},
				       {"role", &role, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {"off", NULL, &off, NULL},
				       {NULL}};
	struct mrm_store *st;
	struct mrm_error err;
	struct cli_rows rows;
	enum cli_format fmt;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("user"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || (strcmp(pos[0], "add") && strcmp(pos[0], "list") &&
			  !is_account_sub(pos[0])))
		return cli_usage("user", "say add, list, passwd, totp, revoke, "
					 "disable or enable");
	if (is_account_sub(pos[0]) && !login)
		return cli_usage("user", "%s needs --login", pos[0]);
	if (off && strcmp(pos[0], "totp"))
		return cli_usage("user", "--off goes with totp only");
	if ((rc = cli_format("user", format, &fmt)))
		return rc;
	if (!strcmp(pos[0], "add") && (!org || !login || !role))
		return cli_usage("user", "add needs --org, --login and --role");
	if ((rc = cli_open("user", db, &st)))
		return rc;
	if (!strcmp(pos[0], "add")) {
		rc = add(st, org, login, role, &err);
	} else if (is_account_sub(pos[0])) {
		rc = account(st, pos[0], login, off, &err);
	} else {
		cli_rows_begin(&rows, fmt, user_columns, 4, user_table, &err);
		rc = mrm_user_each(st, print_user, &rows, &err);
		cli_rows_end(&rows, !rc);
	}
	mrm_store_close(st);
	return rc ? cli_error("user", &err) : CLI_OK;
}
