/* cmd_demo_data.c - mrm demo-data */
#include "cli.h"

#include "mrm/demo.h"
#include "mrm/import.h"
#include "mrm/org.h"
#include "mrm/store.h"

#include <stdlib.h>
#include <string.h>

static int add_orgs(struct mrm_store *st, struct mrm_error *err)
{
	size_t n;
	const struct mrm_demo_org *o = mrm_demo_orgs(&n);
	int64_t id;

	for (size_t i = 0; i < n; i++) {
		if (!mrm_org_id(st, o[i].code, &id, NULL))
			continue;
		if (mrm_org_add(st, o[i].code, o[i].name, o[i].country, err))
			return -1;
	}
	return 0;
}

static int to_db(const char *db, unsigned long events, uint64_t seed)
{
	struct mrm_import_opts io = {0};
	struct mrm_import_stats stats;
	struct mrm_store *st;
	struct mrm_error err;
	unsigned long acts = 0, wages = 0, costs = 0;
	FILE *tmp = NULL;
	int rc = cli_open("demo-data", db, &st);

	if (rc)
		return rc;
	rc = add_orgs(st, &err);
	if (!rc && !(tmp = tmpfile()))
		rc = mrm_error_set(&err, MRM_ERR_IO, NULL,
				   "cannot create a temporary file");
	if (!rc)
		rc = mrm_demo_write_csv(tmp, events, seed, &acts, NULL, NULL,
					&err);
	if (!rc && (fflush(tmp) || fseek(tmp, 0, SEEK_SET)))
		rc = mrm_error_set(&err, MRM_ERR_IO, NULL,
				   "cannot rewind the temporary file");
	if (!rc)
		rc = mrm_import_csv(st, tmp, "demo-data", &io, &stats, &err);
	if (!rc)
		rc = mrm_demo_add_labour(st, seed, &wages, &costs, &err);
	if (tmp)
		fclose(tmp);
	mrm_store_close(st);
	if (rc)
		return cli_error("demo-data", &err);
	printf("Added SYNTHETIC demo data (no real person): %llu events, %llu "
	       "acts, %llu persons, %lu wage records, %lu recruitment costs "
	       "(seed %llu).\n",
	       (unsigned long long)stats.events, (unsigned long long)stats.acts,
	       (unsigned long long)stats.persons, wages, costs,
	       (unsigned long long)seed);
	return CLI_OK;
}

static int to_csv(const char *path, unsigned long events, uint64_t seed)
{
	struct mrm_error err;
	unsigned long acts = 0;
	FILE *fp = fopen(path, "w");
	int rc;

	if (!fp) {
		mrm_error_set(&err, MRM_ERR_IO, path, "cannot create");
		return cli_error("demo-data", &err);
	}
	rc = mrm_demo_write_csv(fp, events, seed, &acts, NULL, NULL, &err);
	if (fclose(fp) && !rc)
		rc = mrm_error_set(&err, MRM_ERR_IO, path, "write failed");
	if (rc)
		return cli_error("demo-data", &err);
	fprintf(stderr,
		"Wrote SYNTHETIC demo data (no real person): %lu events, "
		"%lu acts to %s.\n",
		events, acts, path);
	return CLI_OK;
}

int cmd_demo_data(int argc, char **argv)
{
	const char *db = NULL, *csv = NULL, *events = NULL, *seed = "1";
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"csv", &csv, NULL, NULL},
				       {"events", &events, NULL, NULL},
				       {"seed", &seed, NULL, NULL},
				       {NULL}};
	char *pos[1], *end;
	unsigned long n;
	unsigned long long s;
	int npos, rc;

	rc = cli_parse(cli_find("demo-data"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!events)
		return cli_usage("demo-data", "--events N is required");
	n = strtoul(events, &end, 10);
	if (*end || !n || n > 10000000 || *events == '-')
		return cli_usage("demo-data", "--events must be 1 to 10000000");
	s = strtoull(seed, &end, 10);
	if (*end || *seed == '-')
		return cli_usage("demo-data", "--seed must be a whole number");
	if (!!db == !!csv)
		return cli_usage("demo-data", "give either --db or --csv");
	return db ? to_db(db, n, s) : to_csv(csv, n, s);
}
