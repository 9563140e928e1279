/*
 * testutil.h - helpers shared by the cmocka test programs: a fresh
 * database in a private temporary directory, CSV text imported from a
 * string, whole-database snapshots to prove that nothing changed.
 *
 * Include after <cmocka.h>. Everything is static: each test program is
 * one translation unit.
 */
#ifndef MRM_TESTUTIL_H
#define MRM_TESTUTIL_H

#include "mrm/export.h"
#include "mrm/import.h"
#include "mrm/org.h"
#include "mrm/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tdb {
	char dir[64];
	char path[128];
	struct mrm_store *st;
};

/* A new database with organisations MKN-TH (TH) and MKN-MM (MM). */
static inline void tdb_open(struct tdb *t)
{
	struct mrm_error err;

	snprintf(t->dir, sizeof(t->dir), "/tmp/mrm-test-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	assert_int_equal(mrm_store_create(t->path, &err), 0);
	assert_int_equal(mrm_store_open(&t->st, t->path, &err), 0);
	assert_int_equal(
		mrm_org_add(t->st, "MKN-TH", "Test org Thailand", "TH", &err),
		0);
	assert_int_equal(
		mrm_org_add(t->st, "MKN-MM", "Test org Myanmar", "MM", &err),
		0);
}

static inline void tdb_close(struct tdb *t)
{
	char cmd[200];

	mrm_store_close(t->st);
	t->st = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * One database `db` for a whole group of tests: setup() opens it and
 * teardown() removes it (pass them to cmocka_run_group_tests).
 */
#define TDB_GROUP_FIXTURE                                                      \
	static struct tdb db;                                                  \
	static int setup(void **state)                                         \
	{                                                                      \
		(void)state;                                                   \
		tdb_open(&db);                                                 \
		return 0;                                                      \
	}                                                                      \
	static int teardown(void **state)                                      \
	{                                                                      \
		(void)state;                                                   \
		tdb_close(&db);                                                \
		return 0;                                                      \
	}

/* Collects the problems an import reports. */
struct tproblems {
	char text[8192];
	int n;
};

static inline void tproblem(void *ctx, const struct mrm_error *e)
{
	struct tproblems *p = ctx;
	size_t len = strlen(p->text);

	snprintf(p->text + len, sizeof(p->text) - len, "%s: %s\n", e->where,
		 e->msg);
	p->n++;
}

/* Import CSV `text` (named `name`) with `opts` (may be NULL). */
static inline int tdb_import(struct tdb *t, const char *name, const char *text,
			     struct mrm_import_opts *opts,
			     struct mrm_import_stats *stats,
			     struct tproblems *probs, struct mrm_error *err)
{
	struct mrm_import_opts o = {0};
	FILE *fp = tmpfile();
	int rc;

	assert_non_null(fp);
	fputs(text, fp);
	rewind(fp);
	if (opts)
		o = *opts;
	if (!o.org)
		o.org = "MKN-TH";
	if (probs) {
		memset(probs, 0, sizeof(*probs));
		o.on_error = tproblem;
		o.ctx = probs;
	}
	rc = mrm_import_csv(t->st, fp, name, &o, stats, err);
	fclose(fp);
	return rc;
}

/* The whole database as export JSON (malloc'd; free it). */
static inline char *tdb_snapshot(struct tdb *t)
{
	struct mrm_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(mrm_export_json(t->st, fp, &err), 0);
	fclose(fp);
	return buf;
}

/* The whole file at `path`, NUL-terminated (malloc'd; free it), its
 * length in *len when `len` is given; NULL when it cannot be opened. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!fp)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
	} while (got);
	fclose(fp);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* The integer the first row of `sql` gives (the test fails without one). */
static inline int64_t tdb_int(struct mrm_store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v;

	assert_int_equal(
		sqlite3_prepare_v2(mrm_store_db(st), sql, -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Path of a file in the source tree (MRM_SOURCE_DIR set by ctest). */
static inline const char *tsrc(const char *rel)
{
	static char path[1024];
	const char *root = getenv("MRM_SOURCE_DIR");

	snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
	return path;
}

#endif
