/* test_store.c - creating and opening databases; organisations, users */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

static void test_create_open_and_schema(void **state)
{
	struct tdb t;
	struct mrm_counts c;
	struct mrm_error err;
	struct stat sb;
	char key[160];
	sqlite3_stmt *s;

	(void)state;
	tdb_open(&t);
	snprintf(key, sizeof(key), "%s.key", t.path);
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(mrm_store_counts(t.st, &c, &err), 0);
	assert_int_equal(c.organisations, 2);
	assert_int_equal(c.events + c.acts + c.persons + c.users, 0);
	/* WAL, foreign keys, schema version */
	assert_int_equal(
		sqlite3_prepare_v2(mrm_store_db(t.st),
				   "SELECT (SELECT journal_mode FROM "
				   "pragma_journal_mode), (SELECT "
				   "foreign_keys FROM pragma_foreign_keys),"
				   " (SELECT user_version FROM "
				   "pragma_user_version)",
				   -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	assert_int_equal(sqlite3_column_int(s, 1), 1);
	assert_int_equal(sqlite3_column_int(s, 2), MRM_SCHEMA_VERSION);
	sqlite3_finalize(s);
	/* never created over an existing database */
	assert_int_equal(mrm_store_create(t.path, &err), MRM_ERR_EXISTS);
	tdb_close(&t);
}

static void test_open_refuses_missing_or_wrong_key(void **state)
{
	struct tdb a, b;
	struct mrm_store *st = NULL;
	struct mrm_error err;
	char cmd[512];

	(void)state;
	tdb_open(&a);
	tdb_open(&b);
	mrm_store_close(a.st);
	a.st = NULL;
	/* b's key on a's database */
	snprintf(cmd, sizeof(cmd), "cp -p '%s.key' '%s.key'", b.path, a.path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mrm_store_open(&st, a.path, &err), MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "does not unlock"));
	assert_null(st);
	snprintf(cmd, sizeof(cmd), "rm '%s.key'", a.path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mrm_store_open(&st, a.path, &err), MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "cannot open the key file"));
	/* no database at all */
	snprintf(cmd, sizeof(cmd), "%s/none.db", a.dir);
	assert_int_equal(mrm_store_open(&st, cmd, &err), MRM_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "mrm init"));
	tdb_close(&a);
	tdb_close(&b);
}

static void test_open_refuses_foreign_files(void **state)
{
	struct tdb t;
	struct mrm_store *st = NULL;
	struct mrm_error err;
	char path[160];
	FILE *fp;

	(void)state;
	tdb_open(&t);
	snprintf(path, sizeof(path), "%s/plain.db", t.dir);
	fp = fopen(path, "w");
	fputs("this is not a database at all, just some text\n", fp);
	fclose(fp);
	assert_int_not_equal(mrm_store_open(&st, path, &err), 0);
	assert_null(st);
	tdb_close(&t);
}

static int count_org(void *ctx, const struct mrm_org *o)
{
	(*(int *)ctx)++;
	assert_non_null(o->code);
	return 0;
}

static void test_organisations(void **state)
{
	struct tdb t;
	struct mrm_error err;
	int64_t id;
	int n = 0;

	(void)state;
	tdb_open(&t);
	assert_int_equal(mrm_org_add(t.st, "MKN-TH", "Again", "TH", &err),
			 MRM_ERR_EXISTS);
	assert_int_equal(mrm_org_add(t.st, "X", "Short", "TH", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_org_add(t.st, "A B", "Space", "TH", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_org_add(t.st, "OK1", "", "TH", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_org_add(t.st, "OK2", "Bad \xff", "TH", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_org_add(t.st, "OK3", "Name", "Thailandd", &err),
			 MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "TH"));
	assert_int_equal(
		mrm_org_add(t.st, "MKN-KH", "Cambodia org", "Cambodia", &err),
		0);
	assert_int_equal(mrm_org_each(t.st, count_org, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(mrm_org_id(t.st, "MKN-KH", &id, &err), 0);
	assert_int_equal(mrm_org_id(t.st, "NOPE", &id, &err), MRM_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "MKN-KH"));
	tdb_close(&t);
}

static int find_user(void *ctx, const struct mrm_user *u)
{
	if (!strcmp(u->login, "somchai")) {
		assert_string_equal(u->role, "caseworker");
		assert_string_equal(u->org, "MKN-TH");
		*(int *)ctx = 1;
	}
	return 0;
}

static void test_users(void **state)
{
	struct tdb t;
	struct mrm_error err;
	sqlite3_stmt *s;
	int found = 0;

	(void)state;
	tdb_open(&t);
	assert_int_equal(mrm_user_add(t.st, "MKN-TH", "somchai", "caseworker",
				      "long enough pw", &err),
			 0);
	assert_int_equal(mrm_user_add(t.st, "MKN-TH", "somchai", "viewer",
				      "long enough pw", &err),
			 MRM_ERR_EXISTS);
	assert_int_equal(mrm_user_add(t.st, "MKN-TH", "other", "boss",
				      "long enough pw", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(
		mrm_user_add(t.st, "MKN-TH", "other", "viewer", "short", &err),
		MRM_ERR_INVALID);
	assert_int_equal(mrm_user_add(t.st, "NONE", "other", "viewer",
				      "long enough pw", &err),
			 MRM_ERR_NOTFOUND);
	assert_int_equal(mrm_user_each(t.st, find_user, &found, &err), 0);
	assert_true(found);
	/* only a hash is stored */
	sqlite3_prepare_v2(mrm_store_db(t.st),
			   "SELECT pw_hash FROM user WHERE login='somchai'", -1,
			   &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(mrm_password_verify((const char *)sqlite3_column_text(s, 0),
					"long enough pw"));
	assert_null(strstr((const char *)sqlite3_column_text(s, 0), "long"));
	sqlite3_finalize(s);
	tdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_open_and_schema),
		cmocka_unit_test(test_open_refuses_missing_or_wrong_key),
		cmocka_unit_test(test_open_refuses_foreign_files),
		cmocka_unit_test(test_organisations),
		cmocka_unit_test(test_users),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
