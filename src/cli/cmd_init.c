/* cmd_init.c - mrm init */
#include "cli.h"

#include "mrm/keyring.h"
#include "mrm/store.h"

#include <string.h>

int cmd_init(int argc, char **argv)
{
	const char *db = NULL, *kek = NULL, *kdf = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"kek", &kek, NULL, NULL},
				       {"kdf", &kdf, NULL, NULL},
				       {NULL}};
	struct mrm_kek_spec spec = {0};
	struct cli_secret pass = {0};
	struct mrm_error err;
	char *pos[1];
	int npos, rc, use_pass;

	rc = cli_parse(cli_find("init"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!db)
		return cli_usage("init", "--db FILE is required");
	if (kek && strcmp(kek, "key-file") && strcmp(kek, "passphrase"))
		return cli_usage("init",
				 "--kek must be key-file or passphrase, not "
				 "\"%s\"",
				 kek);
	use_pass = kek ? !strcmp(kek, "passphrase")
		       : cli_passphrase_fd || cli_passphrase_file;
	if (kdf && mrm_kdf_level_parse(kdf, &spec.kdf, &err))
		return cli_usage("init", "%s", err.msg);
	if (use_pass) {
		rc = cli_passphrase("init", "passphrase-fd", cli_passphrase_fd,
				    "passphrase-file", cli_passphrase_file,
				    "New passphrase: ", 1, &pass);
		spec.passphrase = pass.text;
		spec.passphrase_len = pass.len;
	} else if (cli_passphrase_fd || cli_passphrase_file) {
		rc = cli_usage("init", "--kek key-file takes no passphrase");
	}
	if (!rc && mrm_store_create_kek(db, &spec, &err))
		rc = cli_error("init", &err);
	else if (!rc && use_pass)
		printf("Created %s, locked with the passphrase (no key file). "
		       "Print a recovery key now: mrm key recovery --db %s\n",
		       db, db);
	else if (!rc)
		printf("Created %s and its key %s.key (keep the key safe and "
		       "apart from backups).\n",
		       db, db);
	cli_secret_wipe(&pass);
	return rc;
}
