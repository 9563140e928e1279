/*
 * fuzz_db.h - a small database for the fuzz targets that need one.
 *
 * Created once per process in a fresh directory under $TMPDIR (or /tmp):
 * the demo organisations and a few dozen synthetic demo events. The
 * directory is removed at exit (fuzz/run.sh also runs each target in a
 * temporary directory of its own, in case the process is killed).
 */
#ifndef MRM_FUZZ_DB_H
#define MRM_FUZZ_DB_H

#include "mrm/demo.h"
#include "mrm/error.h"
#include "mrm/import.h"
#include "mrm/org.h"
#include "mrm/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_DB_EVENTS 40

static struct mrm_store *fuzz_st;
static char fuzz_dir[512];

static void fuzz_db_cleanup(void)
{
	char path[600];

	if (fuzz_st) {
		mrm_store_close(fuzz_st);
		fuzz_st = NULL;
	}
	if (!fuzz_dir[0])
		return;
	static const char *const suffix[] = {"", ".key", "-wal", "-shm",
					     "-journal"};
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s/f.db%s", fuzz_dir, suffix[i]);
		unlink(path);
	}
	rmdir(fuzz_dir);
	fuzz_dir[0] = '\0';
}

static void fuzz_die(const char *what, const struct mrm_error *err)
{
	fprintf(stderr, "fuzz setup: %s: %s: %s\n", what, err->where, err->msg);
	abort();
}

/* The store, created on first use; aborts if it cannot be made. */
static struct mrm_store *fuzz_db(void)
{
	struct mrm_error err;
	struct mrm_import_opts io = {0};
	struct mrm_import_stats stats;
	char path[600];
	const char *tmp = getenv("TMPDIR");
	size_t n;
	FILE *fp;

	if (fuzz_st)
		return fuzz_st;
	mrm_error_clear(&err);
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/mrm-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_dir)) {
		perror("fuzz setup: mkdtemp");
		abort();
	}
	atexit(fuzz_db_cleanup);
	snprintf(path, sizeof(path), "%s/f.db", fuzz_dir);
	if (mrm_store_create(path, &err))
		fuzz_die("create", &err);
	if (mrm_store_open(&fuzz_st, path, &err))
		fuzz_die("open", &err);
	const struct mrm_demo_org *o = mrm_demo_orgs(&n);
	for (size_t i = 0; i < n; i++)
		if (mrm_org_add(fuzz_st, o[i].code, o[i].name, o[i].country,
				&err))
			fuzz_die("org", &err);
	fp = tmpfile();
	if (!fp) {
		perror("fuzz setup: tmpfile");
		abort();
	}
	if (mrm_demo_write_csv(fp, FUZZ_DB_EVENTS, 1, NULL, NULL, NULL, &err))
		fuzz_die("demo", &err);
	rewind(fp);
	if (mrm_import_csv(fuzz_st, fp, "demo", &io, &stats, &err))
		fuzz_die("import", &err);
	fclose(fp);
	return fuzz_st;
}

#endif
