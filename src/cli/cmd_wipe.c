/* cmd_wipe.c - mrm wipe: destroy an organisation's keys (crypto-shredding) */
#include "cli.h"

#include "mrm/keyring.h"
#include "mrm/store.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Ask on the terminal for the organisation's code, typed again. */
static int confirmed(const char *org)
{
	char line[64];
	ssize_t n;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), ok = 0;

	if (fd < 0)
		return -1;
	dprintf(fd,
		"This destroys every key of %s: its names, contacts, health "
		"and narratives\ncan never be read again, by anyone. Type %s "
		"to go on: ",
		org, org);
	n = read(fd, line, sizeof(line) - 1);
	if (n > 0) {
		line[n] = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		ok = !strcmp(line, org);
	}
	close(fd);
	return ok;
}

int cmd_wipe(int argc, char **argv)
{
	const char *db = NULL, *org = NULL;
	int yes = 0, clean = 0, rc, npos;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"org", &org, NULL, NULL},
				       {"yes", NULL, &yes, NULL},
				       {NULL}};
	struct mrm_store *st = NULL;
	struct mrm_error err;
	char *pos[1];

	rc = cli_parse(cli_find("wipe"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!org)
		return cli_usage("wipe", "--org CODE is required");
	rc = cli_open("wipe", db, &st);
	if (rc)
		return rc;
	if (!yes) {
		int ok = confirmed(org);

		if (ok <= 0) {
			mrm_store_close(st);
			if (ok < 0)
				return cli_usage("wipe",
						 "no terminal to confirm on: "
						 "add --yes to wipe %s",
						 org);
			fprintf(stderr, "mrm wipe: not confirmed; nothing was "
					"changed\n");
			return CLI_FAIL;
		}
	}
	if (mrm_keys_wipe(st, org, &clean, &err)) {
		rc = cli_error("wipe", &err);
	} else {
		printf("Destroyed every key of %s: its sensitive fields now "
		       "read as %s; statistics still count its records.\n",
		       org, MRM_DESTROYED_TEXT);
		if (!clean)
			fprintf(stderr,
				"mrm wipe: warning: another program (mrm "
				"serve?) is reading %s, so its write-ahead "
				"log could not be emptied; stop it and run "
				"mrm wipe again to be sure no old key bytes "
				"remain on disk\n",
				db);
	}
	mrm_store_close(st);
	return rc;
}
