/* cmd_backup.c - mrm backup, mrm restore */
#include "cli.h"

#include "mrm/backup.h"
#include "mrm/keyring.h"
#include "mrm/store.h"

#include <string.h>

static void say_backup(const char *db, const char *out)
{
	struct mrm_backup_info info;
	struct mrm_error err;
	int rec = !mrm_backup_info(out, &info, &err) && info.recovery;

	printf("Wrote the encrypted backup %s; to restore it you need ", out);
	if (mrm_store_needs_passphrase(db))
		printf("the passphrase of %s", db);
	else
		printf("the key file %s.key", db);
	printf("%s (keep it apart from the backup).\n",
	       rec ? " or its recovery key" : "");
}

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
		say_backup(db, out);
	mrm_store_close(st);
	return rc;
}

struct restore_args {
	const char *key, *from, *db, *recovery_fd, *to, *kdf, *new_fd,
		*new_file;
};

/* Read what opens the backup `info` describes, as `a` says, into `u`. */
static int restore_unlock(const struct restore_args *a,
			  const struct mrm_backup_info *info,
			  struct cli_secret *secret, struct cli_secret *pass,
			  struct mrm_kek_spec *spec,
			  struct mrm_backup_unlock *u)
{
	char prompt[300];
	int rc;

	memset(u, 0, sizeof(*u));
	if (a->recovery_fd) {
		if (a->key)
			return cli_usage("restore", "give --key or "
						    "--recovery-fd, not both");
		rc = cli_passphrase("restore", "recovery-fd", a->recovery_fd,
				    "", NULL, "", 0, secret);
		if (!rc)
			rc = cli_new_kek("restore", a->to, a->kdf, a->new_fd,
					 a->new_file, pass, spec);
		u->recovery = secret->text;
		u->new_kek = spec;
		return rc;
	}
	if (a->to || a->kdf || a->new_fd || a->new_file)
		return cli_usage("restore",
				 "--to, --kdf and --new-passphrase-* "
				 "go with --recovery-fd only");
	if (a->key || !info->passphrase) {
		if (!a->key)
			return cli_usage("restore",
					 "--key KEYFILE is required: %s was "
					 "taken from a database with a key "
					 "file (or give its recovery key with "
					 "--recovery-fd N)",
					 a->from);
		u->key_path = a->key;
		return 0;
	}
	snprintf(prompt, sizeof(prompt),
		 "Passphrase of the database in %.200s: ", a->from);
	rc = cli_passphrase("restore", "passphrase-fd", cli_passphrase_fd,
			    "passphrase-file", cli_passphrase_file, prompt, 0,
			    secret);
	u->passphrase = secret->text;
	u->passphrase_len = secret->len;
	return rc;
}

static void say_restored(const struct restore_args *a,
			 const struct mrm_backup_unlock *u, const char *note)
{
	printf("Restored %s into %s", a->from, a->db);
	if (u->key_path || (u->new_kek && !u->new_kek->passphrase))
		printf(" (key file %s.key).\n", a->db);
	else if (u->new_kek)
		printf(", which now opens with the new passphrase.\n");
	else
		printf(", which opens with the same passphrase.\n");
	if (note)
		printf("Note: %s.\n", note);
}

int cmd_restore(int argc, char **argv)
{
	struct restore_args a = {0};
	const struct cli_opt opts[] = {
		{"key", &a.key, NULL, NULL},
		{"from", &a.from, NULL, NULL},
		{"db", &a.db, NULL, NULL},
		{"recovery-fd", &a.recovery_fd, NULL, NULL},
		{"to", &a.to, NULL, NULL},
		{"kdf", &a.kdf, NULL, NULL},
		{"new-passphrase-fd", &a.new_fd, NULL, NULL},
		{"new-passphrase-file", &a.new_file, NULL, NULL},
		{NULL}};
	struct mrm_backup_info info;
	struct mrm_backup_unlock u;
	struct mrm_kek_spec spec;
	struct cli_secret secret, pass;
	struct mrm_error err;
	const char *note = NULL;
	char *pos[1];
	int npos, rc;

	memset(&secret, 0, sizeof(secret));
	memset(&pass, 0, sizeof(pass));
	rc = cli_parse(cli_find("restore"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!a.from || !a.db)
		return cli_usage("restore",
				 "--from FILE and --db NEWFILE are required");
	if (mrm_backup_info(a.from, &info, &err))
		return cli_error("restore", &err);
	rc = restore_unlock(&a, &info, &secret, &pass, &spec, &u);
	if (!rc && mrm_backup_restore_with(&u, a.from, a.db, &note, &err))
		rc = cli_error("restore", &err);
	else if (!rc)
		say_restored(&a, &u, note);
	cli_secret_wipe(&secret);
	cli_secret_wipe(&pass);
	return rc;
}
