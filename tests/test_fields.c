/* test_fields.c - the field catalogue and value normalisation */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/fields.h"
#include "mrm/utf8.h"
#include "mrm/vocab.h"

/* db, setup() and teardown() */
TDB_GROUP_FIXTURE

/* Normalise `raw` for field `name`; returns the code, text in `out`. */
static int norm(const char *name, const char *raw, const char *currency,
		char *out, size_t size)
{
	struct mrm_buf b = MRM_BUF_INIT(1024);
	struct mrm_error err;
	int i = mrm_field_index(name);
	int rc;

	assert_true(i >= 0);
	rc = mrm_field_normalise(&mrm_fields[i], raw, currency,
				 mrm_store_vocab(db.st), &b, &err);
	snprintf(out, size, "%s", rc ? err.msg : mrm_buf_str(&b));
	mrm_buf_release(&b);
	return rc;
}

#define OK(name, raw, cur, want)                                               \
	do {                                                                   \
		char out_[MRM_ERROR_MSG_MAX];                                  \
		assert_int_equal(norm(name, raw, cur, out_, sizeof(out_)), 0); \
		assert_string_equal(out_, want);                               \
	} while (0)

#define BAD(name, raw, cur, phrase)                                            \
	do {                                                                   \
		char out_[MRM_ERROR_MSG_MAX];                                  \
		assert_int_equal(norm(name, raw, cur, out_, sizeof(out_)),     \
				 MRM_ERR_INVALID);                             \
		assert_non_null(strstr(out_, phrase));                         \
	} while (0)

static void test_dates_keep_their_precision(void **state)
{
	(void)state;
	OK("event.start_date", "2014-06-03", NULL, "2014-06-03");
	OK("event.start_date", "2014-06", NULL, "2014-06");
	OK("event.start_date", "2014", NULL, "2014");
	OK("event.start_date", "2016-02-29", NULL, "2016-02-29");
	BAD("event.start_date", "2015-02-29", NULL, "does not exist");
	BAD("event.start_date", "2014-13", NULL, "month 13");
	BAD("event.start_date", "14-06-03", NULL, "expected YYYY-MM-DD");
	BAD("event.start_date", "2014-6-3", NULL, "expected");
	BAD("event.start_date", "1850", NULL, "out of range");
}

static void test_date_formats(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(64);
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_date_parse_format("December 30, 2019", "%B %d, %Y",
					       "day", &b, &err),
			 0);
	assert_string_equal(b.ptr, "2019-12-30");
	mrm_buf_reset(&b);
	assert_int_equal(
		mrm_date_parse_format("Jun 2014", "%b %Y", "month", &b, &err),
		0);
	assert_string_equal(b.ptr, "2014-06");
	mrm_buf_reset(&b);
	assert_int_equal(mrm_date_parse_format("03/06/2014", "%d/%m/%Y", "day",
					       &b, &err),
			 0);
	assert_string_equal(b.ptr, "2014-06-03");
	assert_int_equal(mrm_date_parse_format("31/02/2014", "%d/%m/%Y", "day",
					       &b, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_date_parse_format("2014", "%Y", "week", &b, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(
		mrm_date_parse_format("June 5", "%B %d, %Y", "day", &b, &err),
		MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "does not match"));
	mrm_buf_release(&b);
}

static void test_money_is_exact_minor_units(void **state)
{
	char out[64];

	(void)state;
	OK("arrest.money_demanded", "1500.50", "THB", "150050");
	OK("arrest.money_demanded", "1,500", "THB", "150000");
	OK("arrest.money_demanded", "0.1", "USD", "10");
	OK("arrest.money_demanded", "25000", "VND", "25000");
	OK("arrest.money_demanded", "-3.5", "THB", "-350");
	BAD("arrest.money_demanded", "12.345", "THB", "more decimals");
	BAD("arrest.money_demanded", "1500", NULL, "has no currency");
	BAD("arrest.money_demanded", "abc", "THB", "not an amount");
	BAD("arrest.money_demanded", "99999999999999999999", "THB",
	    "too large");
	mrm_money_format(150050, "THB", out, sizeof(out));
	assert_string_equal(out, "1500.50");
	mrm_money_format(-5, "USD", out, sizeof(out));
	assert_string_equal(out, "-0.05");
	mrm_money_format(25000, "VND", out, sizeof(out));
	assert_string_equal(out, "25000");
	OK("arrest.currency", "thb", NULL, "THB");
	BAD("arrest.currency", "BAHT", NULL, "unknown currency");
}

static void test_numbers_booleans_enums(void **state)
{
	(void)state;
	OK("victim.group_size", "120", NULL, "120");
	BAD("victim.group_size", "0", NULL, "out of range");
	BAD("victim.group_size", "1e3", NULL, "not a whole number");
	BAD("victim.group_size", "99999999999999999999", NULL, "whole number");
	OK("event.latitude", "13.75", NULL, "13.75");
	BAD("event.latitude", "91", NULL, "out of range");
	BAD("event.latitude", "nan", NULL, "not a number");
	OK("detention.legal_counsel", "Yes", NULL, "1");
	OK("detention.legal_counsel", "false", NULL, "0");
	BAD("detention.legal_counsel", "maybe", NULL, "not true or false");
	OK("victim.unit", "GROUP", NULL, "group");
	{
		char longkey[300];

		memset(longkey, 'k', sizeof(longkey) - 1);
		longkey[sizeof(longkey) - 1] = '\0';
		BAD("event.key", longkey, NULL, "longer than 256 bytes");
		BAD("victim.key", longkey, NULL, "longer than 256 bytes");
	}
	BAD("victim.unit", "crowd", NULL, "individual|group");
}

static void test_vocab_terms_codes_and_labels(void **state)
{
	(void)state;
	OK("act.type", "arrest", NULL, "arrest");
	OK("act.type", "ARREST", NULL, "arrest");
	OK("event.country", "Thailand", NULL, "TH");
	OK("event.country", "ไทย", NULL, "TH");
	OK("victim.nationality", "ထိုင်း", NULL, "TH");
	BAD("act.type", "arest", NULL, "closest valid terms: arrest");
	BAD("deportation.checkpoint", "maesot", NULL, "th-maesot");
}

static void test_catalogue_is_consistent(void **state)
{
	char near[256];

	(void)state;
	for (size_t i = 0; i < mrm_field_count; i++) {
		const struct mrm_field *f = &mrm_fields[i];
		const char *prefix = mrm_entity_prefix(f->ent);

		assert_int_equal(strncmp(f->name, prefix, strlen(prefix)), 0);
		assert_int_equal(mrm_field_index(f->name), (int)i);
		if (f->type == MRM_F_MONEY)
			assert_true(mrm_field_index(f->aux) >= 0);
		if (f->type == MRM_F_VOCAB)
			assert_non_null(mrm_vocab_term(
				mrm_store_vocab(db.st), f->aux,
				mrm_vocab_terms(mrm_store_vocab(db.st), f->aux,
						&(size_t){0})
					->code));
	}
	assert_true(mrm_field_is_attr("attr.region"));
	assert_false(mrm_field_is_attr("attr."));
	assert_false(mrm_field_is_attr("attr.a b"));
	mrm_field_suggest("victim.nam", near, sizeof(near));
	assert_int_equal(strncmp(near, "victim.name", 11), 0);
}

/* A value that does not fit the output buffer is MRM_ERR_LIMIT, and the
 * error says so (callers print it). */
static void test_over_the_buffer_limit(void **state)
{
	static const char *const cases[][2] = {
		{"event.title", "a long title"},
		{"act.type", "arrest"},
		{"event.start_date", "2019-03-02"},
		{"victim.group_size", "123456"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mrm_buf b = MRM_BUF_INIT(4);
		struct mrm_error err;
		int f = mrm_field_index(cases[i][0]);

		memset(&err, 'x', sizeof(err));
		err.msg[sizeof(err.msg) - 1] = '\0';
		assert_int_equal(
			mrm_field_normalise(&mrm_fields[f], cases[i][1], NULL,
					    mrm_store_vocab(db.st), &b, &err),
			MRM_ERR_LIMIT);
		assert_int_equal(err.code, MRM_ERR_LIMIT);
		assert_string_equal(err.msg, "value longer than 4 bytes");
		mrm_buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_keep_their_precision),
		cmocka_unit_test(test_date_formats),
		cmocka_unit_test(test_money_is_exact_minor_units),
		cmocka_unit_test(test_numbers_booleans_enums),
		cmocka_unit_test(test_vocab_terms_codes_and_labels),
		cmocka_unit_test(test_catalogue_is_consistent),
		cmocka_unit_test(test_over_the_buffer_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
