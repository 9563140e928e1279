/* test_search.c - full-text search in scripts written without spaces */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/search.h"

#include <sqlite3.h>

static struct tdb db;

static const char csv[] =
	"event.key,event.title,event.summary,event.place,act.type,victim.key,"
	"victim.name\n"
	"e1,ตำรวจจับแรงงานข้ามชาติที่แม่สอด,,แม่สอด,arrest,p1,สมชาย ใจดี\n"
	"e2,ရွှေ့ပြောင်းလုပ်သားများဖမ်းဆီးခံရ,,,detention,p2,မောင်ကျော်ဇင်\n"
	"e3,Raid on a construction camp,Workers from Myanmar detained,"
	"ມະຫາໄຊ,arrest,p3,Bounmy\n"
	"e4,ការចាប់ខ្លួនពលករចំណាកស្រុក,,ប៉ោយប៉ែត,deportation,p4,Sokha\n";

static int setup(void **state)
{
	struct mrm_import_stats stats;
	struct mrm_error err;

	(void)state;
	tdb_open(&db);
	assert_int_equal(
		tdb_import(&db, "s.csv", csv, NULL, &stats, NULL, &err), 0);
	assert_int_equal(stats.events, 4);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tdb_close(&db);
	return 0;
}

struct found {
	char keys[256];
	int n;
};

static int collect(void *ctx, const struct mrm_hit *h)
{
	struct found *f = ctx;
	size_t len = strlen(f->keys);

	snprintf(f->keys + len, sizeof(f->keys) - len, "%s ", h->key);
	f->n++;
	return 0;
}

static struct found find(const char *text)
{
	struct found f = {"", 0};
	struct mrm_error err;

	assert_int_equal(mrm_search(db.st, text, 50, collect, &f, &err), 0);
	return f;
}

static void test_words_inside_unspaced_scripts(void **state)
{
	(void)state;
	assert_string_equal(find("แรงงาน").keys, "e1 "); /* Thai, mid-title */
	assert_string_equal(find("แม่สอด").keys, "e1 ");	 /* Thai place */
	assert_string_equal(find("လုပ်သား").keys, "e2 ");	 /* Burmese */
	assert_string_equal(find("ពលករ").keys, "e4 ");	 /* Khmer */
	assert_string_equal(find("ມະຫາໄຊ").keys, "e3 "); /* Lao place */
	assert_string_equal(find("construction").keys, "e3 ");
	assert_string_equal(find("MYANMAR").keys,
			    "e3 "); /* summary, any case */
}

static void test_names_are_not_searchable(void **state)
{
	(void)state;
	assert_int_equal(find("สมชาย").n, 0);
	assert_int_equal(find("ကျော်ဇင်").n, 0);
	assert_int_equal(find("Bounmy").n, 0);
}

static void test_query_syntax_is_literal(void **state)
{
	struct mrm_counts c;
	struct mrm_error err;
	struct found f = {"", 0};

	(void)state;
	assert_int_equal(find("\"").n, 0);
	assert_int_equal(find("'; DROP TABLE event; --").n, 0);
	assert_int_equal(find("camp OR Raid").n, 0);
	assert_int_equal(find("NEAR(a b)").n, 0);
	assert_int_equal(find("on").n, 1); /* short text: scan */
	assert_int_equal(mrm_store_counts(db.st, &c, &err), 0);
	assert_int_equal(c.events, 4);
	assert_int_equal(mrm_search(db.st, "", 5, collect, &f, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_search(db.st, "\xff\xfe", 5, collect, &f, &err),
			 MRM_ERR_INVALID);
}

static int interrupt(void *ctx)
{
	(void)ctx;
	return 1;
}

/* A search the database fails part way is an error, not "no hits". */
static void test_failed_search_is_an_error(void **state)
{
	struct mrm_error err;
	struct found f = {"", 0};

	(void)state;
	sqlite3_progress_handler(mrm_store_db(db.st), 1, interrupt, NULL);
	assert_int_equal(mrm_search(db.st, "Raid", 0, collect, &f, &err),
			 MRM_ERR_DB);
	assert_int_equal(mrm_search(db.st, "on", 0, collect, &f, &err),
			 MRM_ERR_DB);
	sqlite3_progress_handler(mrm_store_db(db.st), 0, NULL, NULL);
	assert_int_equal(f.n, 0);
	assert_int_equal(find("Raid").n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_inside_unspaced_scripts),
		cmocka_unit_test(test_names_are_not_searchable),
		cmocka_unit_test(test_query_syntax_is_literal),
		cmocka_unit_test(test_failed_search_is_an_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
