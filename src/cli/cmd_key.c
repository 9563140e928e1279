/* cmd_key.c - mrm key: status, rotate, rotate-kek, recovery, recover */
#include "cli.h"

#include "mrm/keyring.h"
#include "mrm/store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct key_args {
	const char *db, *org, *batch, *format, *to, *kdf, *new_fd, *new_file,
		*recovery_fd;
};

/* The new KEK `a` asks for; a passphrase is read into `pass`. */
static int new_kek(const char *cmd, const struct key_args *a,
		   struct cli_secret *pass, struct mrm_kek_spec *spec)
{
	return cli_new_kek(cmd, a->to, a->kdf, a->new_fd, a->new_file, pass,
			   spec);
}

static int say_kek(const char *db, const struct mrm_kek_spec *spec,
		   const char *note)
{
	if (spec->passphrase)
		printf("%s now opens with the new passphrase.\n", db);
	else
		printf("%s now opens with the new key file %s.key.\n", db, db);
	if (note)
		printf("Note: %s.\n", note);
	return CLI_OK;
}

static int status_row(void *ctx, const struct mrm_key_status *s)
{
	struct cli_rows *r = ctx;
	char version[16], values[32];
	const char *v[6] = {s->org,	version, s->state,
			    s->created, values,	 s->recovery ? "yes" : "no"};

	snprintf(version, sizeof(version), "%u", s->version);
	snprintf(values, sizeof(values), "%lld", (long long)s->values);
	return cli_emit_row(r, v);
}

static int key_status(struct mrm_store *st, const struct key_args *a)
{
	static const struct cli_column cols[] = {
		{"org", 12},	{"version", 8}, {"state", 12},
		{"created", 0}, {"values", 8},	{"recovery", 9}};
	static const int table[] = {0, 1, 2, 4, 5, 3, -1};
	struct mrm_error err;
	enum cli_format fmt;
	struct cli_rows r;
	int rc = cli_format("key", a->format, &fmt);

	if (rc)
		return rc;
	cli_rows_begin(&r, fmt, cols, 6, table, &err);
	if (fmt == CLI_TABLE)
		printf("%-12s %-8s %-12s %-8s %-9s %s\n", "org", "version",
		       "state", "values", "recovery", "created");
	rc = mrm_keys_status(st, status_row, &r, &err);
	cli_rows_end(&r, !rc);
	return rc ? cli_error("key", &err) : CLI_OK;
}

static int progress(void *ctx, const char *org, int64_t done, int64_t total)
{
	int *tty = ctx;

	if (*tty)
		fprintf(stderr, "\rmrm key rotate: %s: %lld of %lld values%s",
			org, (long long)done, (long long)total,
			done == total ? "\n" : "");
	return 0;
}

static int key_rotate(struct mrm_store *st, const struct key_args *a)
{
	struct mrm_error err;
	unsigned long batch = 1000;
	int tty = isatty(2);
	char *end;

	if (a->batch) {
		batch = strtoul(a->batch, &end, 10);
		if (*end || !*a->batch || batch < 1 || batch > 1000000)
			return cli_usage("key",
					 "--batch must be 1 to 1000000, not "
					 "\"%s\"",
					 a->batch);
	}
	if (mrm_keys_rotate(st, a->org, (unsigned)batch, progress, &tty, &err))
		return cli_error("key", &err);
	printf("Rotated the data keys of %s: every value is sealed under the "
	       "new version and the old versions are deleted.\n",
	       a->org ? a->org : "every organisation");
	return CLI_OK;
}

static int key_rotate_kek(struct mrm_store *st, const struct key_args *a)
{
	struct mrm_kek_spec spec;
	struct cli_secret pass;
	struct mrm_error err;
	const char *note = NULL;
	int rc = new_kek("key", a, &pass, &spec);

	if (!rc && mrm_keys_rotate_kek(st, &spec, &note, &err))
		rc = cli_error("key", &err);
	else if (!rc)
		rc = say_kek(a->db, &spec, note);
	cli_secret_wipe(&pass);
	return rc;
}

static int key_recovery(struct mrm_store *st)
{
	char text[MRM_RECOVERY_TEXT];
	struct mrm_error err;

	if (mrm_keys_recovery(st, text, &err))
		return cli_error("key", &err);
	printf("Recovery key (write it on paper, keep it locked away from the "
	       "computer;\nwith it, mrm key recover sets a new passphrase or "
	       "key file):\n\n  %s\n\n"
	       "Any recovery key printed before no longer works.\n",
	       text);
	return CLI_OK;
}

static int key_recover(const struct key_args *a)
{
	struct mrm_kek_spec spec;
	struct cli_secret text, pass;
	struct mrm_error err;
	const char *note = NULL;
	int rc;

	memset(&pass, 0, sizeof(pass));
	rc = cli_passphrase("key", "recovery-fd",
			    a->recovery_fd ? a->recovery_fd : "0", "", NULL, "",
			    0, &text);
	if (!rc)
		rc = new_kek("key", a, &pass, &spec);
	if (!rc && mrm_keys_recover(a->db, text.text, &spec, &note, &err))
		rc = cli_error("key", &err);
	else if (!rc)
		rc = say_kek(a->db, &spec, note);
	cli_secret_wipe(&text);
	cli_secret_wipe(&pass);
	return rc;
}

int cmd_key(int argc, char **argv)
{
	struct key_args a = {0};
	const struct cli_opt opts[] = {
		{"db", &a.db, NULL, NULL},
		{"org", &a.org, NULL, NULL},
		{"batch", &a.batch, NULL, NULL},
		{"format", &a.format, NULL, NULL},
		{"to", &a.to, NULL, NULL},
		{"kdf", &a.kdf, NULL, NULL},
		{"new-passphrase-fd", &a.new_fd, NULL, NULL},
		{"new-passphrase-file", &a.new_file, NULL, NULL},
		{"recovery-fd", &a.recovery_fd, NULL, NULL},
		{NULL}};
	static const char *const verbs[] = {"status", "rotate", "rotate-kek",
					    "recovery", "recover"};
	struct mrm_store *st = NULL;
	char *pos[1];
	int npos, rc, verb = -1;

	rc = cli_parse(cli_find("key"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	for (int i = 0; npos && i < 5; i++)
		if (!strcmp(pos[0], verbs[i]))
			verb = i;
	if (verb < 0)
		return cli_usage("key",
				 "say status, rotate, rotate-kek, recovery "
				 "or recover%s%s",
				 npos ? ", not " : "", npos ? pos[0] : "");
	if (verb == 4)
		return a.db ? key_recover(&a)
			    : cli_usage("key", "--db FILE is required");
	rc = cli_open("key", a.db, &st);
	if (rc)
		return rc;
	switch (verb) {
	case 0: rc = key_status(st, &a); break;
	case 1: rc = key_rotate(st, &a); break;
	case 2: rc = key_rotate_kek(st, &a); break;
	default: rc = key_recovery(st);
	}
	mrm_store_close(st);
	return rc;
}
