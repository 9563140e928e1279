/*
 * test_linkage.c - counting people across organisations without names
 * (src/lib/linkage.c, the person mapping in src/lib/facts.c): the
 * normalisation of names, the key file, and distinct-persons with and
 * without a network linkage key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/linkage.h"
#include "mrm/stats.h"

#include <sqlite3.h>
#include <sys/stat.h>

TDB_GROUP_FIXTURE

static void norm(const char *name, char *out, size_t size, int *zawgyi)
{
	struct mrm_buf b = MRM_BUF_INIT(4096);

	assert_int_equal(mrm_linkage_normalise(name, &b, zawgyi), 0);
	snprintf(out, size, "%s", mrm_buf_str(&b));
	mrm_buf_release(&b);
}

static void same(const char *a, const char *b)
{
	char x[256], y[256];

	norm(a, x, sizeof(x), NULL);
	norm(b, y, sizeof(y), NULL);
	if (strcmp(x, y))
		fail_msg("\"%s\" -> \"%s\" but \"%s\" -> \"%s\"", a, x, b, y);
}

static void differ(const char *a, const char *b)
{
	char x[256], y[256];

	norm(a, x, sizeof(x), NULL);
	norm(b, y, sizeof(y), NULL);
	if (!strcmp(x, y))
		fail_msg("\"%s\" and \"%s\" both -> \"%s\"", a, b, x);
}

static void test_normalise(void **state)
{
	char out[256];
	int zawgyi = -1;

	(void)state;
	norm("  Nguyễn Văn  Ánh ", out, sizeof(out), &zawgyi);
	assert_string_equal(out, "nguyenvananh");
	assert_int_equal(zawgyi, 0);
	same("Nguyễn Thị Lan", "NGUYEN THI LAN");
	same("Nguyễn Thị Lan", "Nguyen-Thi-Lan");
	same("Đặng Thùy Trâm", "dang thuy tram");
	/* decomposed (NFD) input: base letter and combining marks */
	same("Jose\xcc\x81", "José");
	same("Aung Kyaw", "aung  kyaw");
	same("Aung Kyaw", "AungKyaw");
	same("Aung Kyaw", "Aung\xe2\x80\x8b"
			  "Kyaw");		   /* U+200B */
	same("Aung Kyaw", "\xef\xbc\xa1ung Kyaw"); /* full-width A */
	same("Aung Kyaw", "U Aung Kyaw");
	same("Mya Mya", "Daw Mya Mya");
	same("Mya Mya", "Ma. Mya Mya");
	/* Burmese: zero-width spaces and spaces between syllables */
	same("အောင်ကျော်ဝင်း", "အောင်\xe2\x80\x8bကျော် ဝင်း");
	same("အောင်ကျော်", "ဦး အောင်ကျော်");
	/* Thai: the title is written without a space */
	same("สมชาย ใจดี", "นายสมชาย ใจดี");
	same("สมหญิง ใจดี", "นางสาวสมหญิง ใจดี");
	/* not merged: order, different names, a lone title */
	differ("Aung Kyaw", "Kyaw Aung");
	differ("Mya Mya", "Mya Myat");
	differ("Aung Kyaw", "အောင်ကျော်"); /* no transliteration */
	norm("U", out, sizeof(out), NULL);
	assert_string_equal(out, "u");
	norm("...", out, sizeof(out), NULL);
	assert_string_equal(out, "");
	/* Zawgyi: the vowel sign E before its consonant */
	norm("\xe1\x80\xb1\xe1\x80\xa1\xe1\x80\xac\xe1\x80\x84\xe1\x80\xb9",
	     out, sizeof(out), &zawgyi);
	assert_int_equal(zawgyi, 1);
	norm("အောင်", out, sizeof(out), &zawgyi);
	assert_int_equal(zawgyi, 0);
}

static void test_value(void **state)
{
	struct mrm_linkage_key k1, k2;
	char a[MRM_LINKAGE_HEX + 1], b[MRM_LINKAGE_HEX + 1];

	(void)state;
	memset(k1.bytes, 1, sizeof(k1.bytes));
	memset(k2.bytes, 2, sizeof(k2.bytes));
	assert_int_equal(
		mrm_linkage_value(&k1, "Aung Kyaw", "1990", "male", "MM", a),
		1);
	assert_int_equal(strlen(a), MRM_LINKAGE_HEX);
	assert_int_equal(mrm_linkage_value(&k1, "U AUNG KYAW", "1990-03-02",
					   "male", "MM", b),
			 1);
	assert_string_equal(a, b);
	mrm_linkage_value(&k1, "Aung Kyaw", "1991", "male", "MM", b);
	assert_string_not_equal(a, b);
	mrm_linkage_value(&k1, "Aung Kyaw", "1990", "female", "MM", b);
	assert_string_not_equal(a, b);
	mrm_linkage_value(&k1, "Aung Kyaw", "1990", "male", "TH", b);
	assert_string_not_equal(a, b);
	mrm_linkage_value(&k2, "Aung Kyaw", "1990", "male", "MM", b);
	assert_string_not_equal(a, b); /* another network's key */
	/* no birth year or no name left: no value */
	assert_int_equal(
		mrm_linkage_value(&k1, "Aung Kyaw", NULL, "male", "MM", b), 0);
	assert_int_equal(mrm_linkage_value(&k1, "- -", "1990", NULL, NULL, b),
			 0);
	assert_string_equal(b, "");
}

static void test_key_file(void **state)
{
	struct mrm_linkage_key a, b;
	struct mrm_error err;
	char path[256], copy[256];
	struct stat sb;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/k.linkage", db.dir);
	snprintf(copy, sizeof(copy), "%s/copy.linkage", db.dir);
	assert_int_equal(mrm_linkage_load(path, &a, &err), MRM_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "mrm linkage init"));
	assert_int_equal(mrm_linkage_create(path, &err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(mrm_linkage_create(path, &err), MRM_ERR_IO);
	assert_int_equal(mrm_linkage_load(path, &a, &err), 0);
	assert_int_equal(mrm_linkage_save(copy, &a, &err), 0);
	assert_int_equal(mrm_linkage_load(copy, &b, &err), 0);
	assert_memory_equal(a.bytes, b.bytes, sizeof(a.bytes));
	chmod(copy, 0644);
	assert_int_equal(mrm_linkage_load(copy, &b, &err), MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "chmod 600"));
	unlink(copy);
	fp = fopen(copy, "w");
	fputs("mrm linkage key v1\nnot hex\n", fp);
	fclose(fp);
	chmod(copy, 0600);
	assert_int_equal(mrm_linkage_load(copy, &b, &err), MRM_ERR_INVALID);
	unlink(copy);
	unlink(path);
}

static int64_t total(const char *measure)
{
	struct mrm_stats_query q = {.measure = measure};
	struct mrm_stats_result *r = NULL;
	struct mrm_error err;
	int64_t v;

	if (mrm_stats_run(db.st, &q, &r, &err))
		fail_msg("stats %s: %s", measure, err.msg);
	v = r->cells[r->ncells - 1].value;
	mrm_stats_result_free(r);
	return v;
}

static int64_t sql_int(const char *text)
{
	return tdb_int(db.st, text);
}

static void import(const char *org, const char *rows)
{
	struct mrm_import_opts o = {.org = org};
	struct mrm_import_stats stats;
	struct mrm_error err;
	char csv[4096];

	snprintf(csv, sizeof(csv),
		 "event.key,event.title,event.country,event.start_date,"
		 "act.type,victim.key,victim.name,victim.birth_date,"
		 "victim.sex,victim.nationality\n%s",
		 rows);
	if (tdb_import(&db, "l.csv", csv, &o, &stats, NULL, &err))
		fail_msg("import: %s: %s", err.where, err.msg);
	assert_int_equal(mrm_linkage_after_import(db.st, NULL, &err), 0);
}

/* The same people recorded by two organisations in other spellings. */
static void test_distinct_persons_across_orgs(void **state)
{
	struct mrm_linkage_stats ls;
	struct mrm_linkage_key key;
	struct mrm_error err;
	char *path = mrm_linkage_path_for(db.path);
	int done = -1;

	(void)state;
	import("MKN-TH",
	       "t1,Raid,TH,2024-01,arrest,p1,Aung Kyaw,1990,male,MM\n"
	       "t2,Raid,TH,2024-01,arrest,p2,အောင်ကျော်ဝင်း,1985,female,MM\n"
	       "t3,Raid,TH,2024-02,arrest,p3,Mya Mya,1992,female,MM\n"
	       "t4,Raid,TH,2024-02,arrest,p4,Nguyễn Thị Lan,1988-05,female,"
	       "VN\n"
	       "t5,Raid,TH,2024-03,arrest,p5,Aung Kyaw,,male,MM\n");
	import("MKN-MM",
	       "m1,Raid,TH,2024-04,arrest,q1,U AUNG  KYAW,1990-03-02,male,MM\n"
	       "m2,Raid,TH,2024-04,arrest,q2,အောင်\xe2\x80\x8bကျော် ဝင်း,"
	       "1985,female,MM\n"
	       "m3,Raid,TH,2024-05,arrest,q3,Mya Mya,1993,female,MM\n"
	       "m4,Raid,TH,2024-05,arrest,q4,NGUYEN THI LAN,1988,female,VN\n");
	/* without a linkage key nothing is computed: every record counts */
	assert_int_equal(mrm_linkage_after_import(db.st, &done, &err), 0);
	assert_int_equal(done, 0);
	assert_int_equal(
		sql_int("SELECT count(*) FROM person WHERE linkage_key IS NOT "
			"NULL"),
		0);
	assert_int_equal(total("persons"), 9);
	assert_int_equal(total("distinct-persons"), 9);

	/* with the network's key: the three pairs count once each; a
	 * different birth year and a missing one do not merge */
	assert_int_equal(mrm_linkage_create(path, &err), 0);
	assert_int_equal(mrm_linkage_load(path, &key, &err), 0);
	assert_int_equal(mrm_linkage_rebuild(db.st, &key, 1, &ls, &err), 0);
	assert_int_equal(ls.persons, 9);
	assert_int_equal(ls.keyed, 8);
	assert_int_equal(ls.shared, 6);
	assert_int_equal(total("persons"), 9);
	assert_int_equal(total("distinct-persons"), 6);
	/* the stored value is the HMAC, not the name */
	assert_int_equal(sql_int("SELECT count(*) FROM person WHERE "
				 "length(linkage_key) = 64 AND linkage_key "
				 "GLOB '*[^0-9a-f]*'"),
			 0);

	/* a new import computes its persons' values by itself */
	import("MKN-MM",
	       "m5,Raid,TH,2024-06,arrest,q5,mya mya,1992,female,MM\n");
	assert_int_equal(total("persons"), 10);
	assert_int_equal(total("distinct-persons"), 6);
	/* a changed birth year: the value is computed again */
	assert_int_equal(sqlite3_exec(mrm_store_db(db.st),
				      "UPDATE person SET birth_date = '1970'"
				      " WHERE key = 'q5'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sql_int("SELECT linkage_key IS NULL FROM person "
				 "WHERE key = 'q5'"),
			 1);
	assert_int_equal(mrm_linkage_after_import(db.st, &done, &err), 0);
	assert_int_equal(done, 1);
	assert_int_equal(total("distinct-persons"), 7);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_key_file),
		cmocka_unit_test(test_distinct_persons_across_orgs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
