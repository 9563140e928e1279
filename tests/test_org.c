/*
 * test_org.c - organisations and users (src/lib/org.c): the shared checks,
 * and error codes that say what happened (a database failure is never
 * "not found" nor "already exists").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <sqlite3.h>

/* db, setup() and teardown() */
TDB_GROUP_FIXTURE

static void test_check_locates_and_resolves(void **state)
{
	struct mrm_error err;
	const char *cc = NULL;

	(void)state;
	assert_int_equal(mrm_org_check(db.st, "f.json: organisations[2].", "X",
				       "Name", "TH", &cc, &err),
			 MRM_ERR_INVALID);
	assert_string_equal(err.where, "f.json: organisations[2].code");
	assert_int_equal(
		mrm_org_check(db.st, "--", "OK-1", "", "TH", &cc, &err),
		MRM_ERR_INVALID);
	assert_string_equal(err.where, "--name");
	assert_int_equal(mrm_org_check(db.st, "--", "OK-1", "Name", "Thailandd",
				       &cc, &err),
			 MRM_ERR_INVALID);
	assert_string_equal(err.where, "--country");
	assert_non_null(strstr(err.msg, "closest"));
	assert_int_equal(mrm_org_check(db.st, "--", "OK-1", "Name", "Thailand",
				       &cc, &err),
			 0);
	assert_string_equal(cc, "TH");
}

/* Only a UNIQUE constraint means "already exists". */
static void test_other_constraints_are_db_errors(void **state)
{
	sqlite3 *sql = mrm_store_db(db.st);
	struct mrm_error err;

	(void)state;
	assert_int_equal(
		sqlite3_exec(sql,
			     "CREATE TEMP TRIGGER no_orgs BEFORE INSERT ON org "
			     "BEGIN SELECT RAISE(ABORT, 'closed'); END",
			     NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(mrm_org_add(db.st, "NEW-1", "New", "TH", &err),
			 MRM_ERR_DB);
	assert_non_null(strstr(err.msg, "closed"));
	assert_int_equal(
		sqlite3_exec(sql, "DROP TRIGGER no_orgs", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(mrm_org_add(db.st, "MKN-TH", "Again", "TH", &err),
			 MRM_ERR_EXISTS);
}

static int interrupt(void *ctx)
{
	(void)ctx;
	return 1;
}

static int count(void *ctx, const void *row)
{
	(void)row;
	(*(int *)ctx)++;
	return 0;
}

static int count_org(void *ctx, const struct mrm_org *o)
{
	return count(ctx, o);
}

static int count_user(void *ctx, const struct mrm_user *u)
{
	return count(ctx, u);
}

/* A query that fails part way is a database error, not an empty answer
 * nor "no such organisation". */
static void test_failed_queries_are_db_errors(void **state)
{
	sqlite3 *sql = mrm_store_db(db.st);
	struct mrm_error err;
	int64_t id;
	int n = 0;

	(void)state;
	sqlite3_progress_handler(sql, 1, interrupt, NULL);
	assert_int_equal(mrm_org_id(db.st, "MKN-TH", &id, &err), MRM_ERR_DB);
	assert_int_equal(mrm_org_id(db.st, "NOPE", &id, &err), MRM_ERR_DB);
	assert_int_equal(mrm_org_each(db.st, count_org, &n, &err), MRM_ERR_DB);
	assert_int_equal(mrm_user_each(db.st, count_user, &n, &err),
			 MRM_ERR_DB);
	sqlite3_progress_handler(sql, 0, NULL, NULL);
	assert_int_equal(n, 0);
	assert_int_equal(mrm_org_each(db.st, count_org, &n, &err), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_locates_and_resolves),
		cmocka_unit_test(test_other_constraints_are_db_errors),
		cmocka_unit_test(test_failed_queries_are_db_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
