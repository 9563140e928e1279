/* cmd_linkage.c - mrm linkage init|import|export|rebuild: the network's
 * linkage key (DB.linkage) and the persons' linkage values (linkage.h) */
#include "cli.h"

#include "mrm/linkage.h"
#include "mrm/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(const char *path, const struct mrm_linkage_stats *s)
{
	printf("%lld of %lld individual persons have a linkage value; %lld "
	       "share theirs with another person\n",
	       (long long)s->keyed, (long long)s->persons,
	       (long long)s->shared);
	if (s->persons > s->keyed)
		fprintf(stderr,
			"mrm linkage: %lld persons have no name or no birth "
			"year: each counts as a person of its own\n",
			(long long)(s->persons - s->keyed));
	if (s->zawgyi)
		fprintf(stderr,
			"mrm linkage: %lld names look like Burmese in the "
			"Zawgyi "
			"encoding, which is not converted: they will not match "
			"the same names in Unicode (docs/linkage.md)\n",
			(long long)s->zawgyi);
	(void)path;
}

/* Put the key in place for init and import. */
static int place_key(const char *sub, const char *key_path, const char *from,
		     struct mrm_error *err)
{
	struct mrm_linkage_key key;
	int rc;

	if (!strcmp(sub, "init"))
		return mrm_linkage_create(key_path, err);
	rc = mrm_linkage_load(from, &key, err);
	if (!rc)
		rc = mrm_linkage_save(key_path, &key, err);
	sodium_memzero(&key, sizeof(key));
	return rc;
}

/* The audit entry of a key placed by init or import. */
static int note_key(struct mrm_store *st, const char *sub, const char *from,
		    const struct mrm_linkage_key *key, struct mrm_error *err)
{
	char what[600];

	if (!strcmp(sub, "init"))
		snprintf(what, sizeof(what), "created");
	else
		snprintf(what, sizeof(what), "imported from %.500s", from);
	return mrm_linkage_noted(st, what, key, err);
}

static int run(const char *sub, const char *db, const char *file,
	       struct mrm_error *err)
{
	char *key_path = mrm_linkage_path_for(db);
	struct mrm_linkage_stats stats;
	struct mrm_linkage_key key;
	struct mrm_store *st = NULL;
	int rc = key_path ? 0
			  : mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					  "out of memory");

	/* the database must open (and unlock) before a key is placed */
	if (!rc)
		rc = mrm_store_open(&st, db, err);
	if (!rc && (!strcmp(sub, "init") || !strcmp(sub, "import")))
		rc = place_key(sub, key_path, file, err);
	if (!rc)
		rc = mrm_linkage_load(key_path, &key, err);
	if (!rc && (!strcmp(sub, "init") || !strcmp(sub, "import")))
		rc = note_key(st, sub, file, &key, err);
	if (!rc && !strcmp(sub, "export")) {
		rc = mrm_linkage_save(file, &key, err);
		if (!rc)
			printf("Wrote the linkage key to %s (mode 0600): give "
			       "it "
			       "to the other organisations of the network over "
			       "a safe channel, then delete it.\n",
			       file);
	} else if (!rc) {
		rc = mrm_linkage_rebuild(st, &key, 1, &stats, err);
		if (!rc)
			report(key_path, &stats);
	}
	sodium_memzero(&key, sizeof(key));
	mrm_store_close(st);
	free(key_path);
	return rc;
}

int cmd_linkage(int argc, char **argv)
{
	const char *db = NULL, *from = NULL, *out = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"from", &from, NULL, NULL},
				       {"out", &out, NULL, NULL},
				       {NULL}};
	struct mrm_error err;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("linkage"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 ||
	    (strcmp(pos[0], "init") && strcmp(pos[0], "import") &&
	     strcmp(pos[0], "export") && strcmp(pos[0], "rebuild")))
		return cli_usage("linkage",
				 "say init, import, export or rebuild");
	if (!db)
		return cli_usage("linkage", "--db is required");
	if (!strcmp(pos[0], "import") != !!from)
		return cli_usage("linkage", "--from FILE goes with import "
					    "(and only with it)");
	if (!strcmp(pos[0], "export") != !!out)
		return cli_usage("linkage", "--out FILE goes with export "
					    "(and only with it)");
	if (run(pos[0], db, from ? from : out, &err))
		return cli_error("linkage", &err);
	return CLI_OK;
}
