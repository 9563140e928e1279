/* test_ref.c - the reference tables and their lookups, against values read
 * off data/reference/ *.csv by hand */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mrm/embedded.h"
#include "mrm/ref.h"

#include <stdlib.h>
#include <string.h>

static struct mrm_ref *ref;

static int setup(void **state)
{
	struct mrm_error err;

	(void)state;
	if (mrm_ref_load(&ref, &err)) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mrm_ref_free(ref);
	return 0;
}

/* Every row of every data/reference/ file, including files others add. */
static void test_every_row_has_source_date_and_estimate(void **state)
{
	size_t files = 0;

	(void)state;
	for (const struct mrm_embedded *e = mrm_embedded_files; e->path; e++)
		files += !strncmp(e->path, "data/reference/", 15) &&
			 strstr(e->path, ".csv");
	assert_int_equal(ref->ntables, files);
	assert_true(files >= 4);
	for (size_t i = 0; i < ref->ntables; i++) {
		const struct mrm_ref_table *t = &ref->tables[i];

		assert_true(t->nrows > 0);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *est = mrm_ref_cell(t, r, "estimate");
			long d;

			if (!*mrm_ref_cell(t, r, "source"))
				fail_msg("%s:%lu: no source", t->path,
					 t->lines[r]);
			if (mrm_ref_date(mrm_ref_cell(t, r, "effective_from"),
					 0, &d, NULL))
				fail_msg("%s:%lu: no effective_from", t->path,
					 t->lines[r]);
			if (strcmp(est, "0") && strcmp(est, "1"))
				fail_msg("%s:%lu: estimate \"%s\"", t->path,
					 t->lines[r], est);
		}
	}
	assert_non_null(mrm_ref_find(ref, "minimum-wage"));
	assert_non_null(mrm_ref_find(ref, "living-wage"));
	assert_non_null(mrm_ref_find(ref, "recruitment-fee-cap"));
	assert_non_null(mrm_ref_find(ref, "exchange-rate"));
}

static int64_t min_wage(const char *cc, const char *a1, const char *area,
			const char *sector, const char *cat, const char *date,
			const char *unit, const char *key)
{
	struct mrm_wage_query q = {cc, a1, area, sector, cat, date, unit};
	struct mrm_ref_figure f;
	struct mrm_error err;

	if (mrm_ref_min_wage(ref, &q, &f, &err))
		fail_msg("%s %s %s: %s", cc, a1 ? a1 : "", date, err.msg);
	assert_string_equal(f.key, key);
	assert_non_null(f.source);
	assert_true(*f.source && *f.effective_from);
	return f.amount;
}

static void test_thailand(void **state)
{
	(void)state;
	/* Bangkok: 372 from 1 Jan 2025, 400 from 1 Jul 2025 */
	assert_int_equal(min_wage("TH", "TH-10", NULL, NULL, NULL, "2025-03-15",
				  "day", "TH-10-2025"),
			 37200);
	assert_int_equal(min_wage("TH", "TH-10", NULL, NULL, NULL, "2025-06-30",
				  "day", "TH-10-2025"),
			 37200);
	assert_int_equal(min_wage("TH", "TH-10", NULL, NULL, NULL, "2025-07-01",
				  "day", "TH-10-2025-07"),
			 40000);
	/* Samut Sakhon stays at 372 */
	assert_int_equal(min_wage("TH", "TH-74", NULL, "fishing", NULL,
				  "2025-08-01", "day", "TH-74-2025"),
			 37200);
	/* the lowest tier, then a hotel there after July: the higher wins */
	assert_int_equal(min_wage("TH", "TH-95", NULL, NULL, NULL, "2025-02",
				  "day", "TH-95-2025"),
			 33700);
	assert_int_equal(min_wage("TH", "TH-95", NULL, "hospitality", NULL,
				  "2025-09-01", "day", "TH-HOTEL-2025-07"),
			 40000);
	/* province without a row falls back to the country-wide sector row */
	assert_int_equal(min_wage("TH", "TH-57", NULL, "entertainment", NULL,
				  "2025-12-31", "day",
				  "TH-ENTERTAINMENT-2025-07"),
			 40000);
	/* a district */
	assert_int_equal(min_wage("TH", "TH-90", "Hat Yai district", NULL, NULL,
				  "2025-04-01", "day", "TH-90-HATYAI-2025"),
			 38000);
}

static void test_others(void **state)
{
	(void)state;
	assert_int_equal(min_wage("VN", NULL, "region I", NULL, NULL,
				  "2026-02-01", "month", "VN-I-2026"),
			 5310000);
	assert_int_equal(min_wage("VN", NULL, "region IV", NULL, NULL,
				  "2026-02-01", "hour", "VN-IV-2026-H"),
			 17800);
	assert_int_equal(min_wage("VN", NULL, "region II", NULL, NULL,
				  "2025-12-31", "month", "VN-II-2024"),
			 4410000);
	assert_int_equal(min_wage("KH", NULL, NULL, "garments", NULL,
				  "2025-06-01", "month", "KH-GARMENT-2025"),
			 20800);
	assert_int_equal(min_wage("KH", NULL, NULL, "garments", "probation",
				  "2025-06-01", "month",
				  "KH-GARMENT-2025-PROB"),
			 20600);
	assert_int_equal(min_wage("KH", "KH-12", NULL, "garments", NULL,
				  "2026-01-01", "month", "KH-GARMENT-2026"),
			 21000);
	assert_int_equal(min_wage("LA", NULL, NULL, NULL, NULL, "2023-06-01",
				  "month", "LA-2023"),
			 160000000);
	assert_int_equal(min_wage("LA", NULL, NULL, NULL, NULL, "2024-10-01",
				  "month", "LA-2024-10"),
			 250000000);
	assert_int_equal(min_wage("MM", "MM-06", NULL, NULL, NULL, "2023-09-30",
				  "day", "MM-2018"),
			 480000);
	assert_int_equal(min_wage("MM", NULL, NULL, NULL, NULL, "2024-09-01",
				  "day", "MM-2024-08"),
			 680000);
	assert_int_equal(min_wage("MM", NULL, NULL, NULL, NULL, "2026-01-01",
				  "day", "MM-2025-10"),
			 780000);
	assert_int_equal(min_wage("CN", NULL, "Yunnan tier 2", NULL, NULL,
				  "2025-05-01", "month", "CN-YN-2-2025"),
			 202000);
}

static void expect_error(const char *cc, const char *a1, const char *area,
			 const char *sector, const char *date, const char *unit,
			 int code, const char *msg)
{
	struct mrm_wage_query q = {cc, a1, area, sector, NULL, date, unit};
	struct mrm_ref_figure f;
	struct mrm_error err;

	assert_int_equal(mrm_ref_min_wage(ref, &q, &f, &err), code);
	if (!strstr(err.msg, msg))
		fail_msg("\"%s\" not in \"%s\"", msg, err.msg);
}

static void test_no_figure(void **state)
{
	(void)state;
	expect_error("TH", "TH-10", NULL, NULL, "2019-05-01", "day",
		     MRM_ERR_NOTFOUND,
		     "no minimum wage for TH-10 per day on 2019-05-01; "
		     "figures exist from 2025-01-01");
	/* a province that is not encoded: what is */
	expect_error("TH", "TH-57", NULL, NULL, "2025-03-01", "day",
		     MRM_ERR_NOTFOUND, "figures exist for: TH-24 per day");
	expect_error("TH", "TH-57", NULL, NULL, "2025-03-01", "day",
		     MRM_ERR_NOTFOUND, "TH sector hospitality per day");
	expect_error("KH", NULL, NULL, "construction", "2025-03-01", "month",
		     MRM_ERR_NOTFOUND, "KH sector garments per month");
	expect_error("VN", NULL, NULL, NULL, "2026-03-01", "month",
		     MRM_ERR_NOTFOUND, "VN region I per month");
	expect_error("LA", NULL, NULL, NULL, "2017-03-01", "month",
		     MRM_ERR_NOTFOUND, "figures exist from 2018");
	expect_error("XX", NULL, NULL, NULL, "2025-03-01", "day",
		     MRM_ERR_INVALID, "unknown country \"XX\"");
	expect_error("TH", "MM-01", NULL, NULL, "2025-03-01", "day",
		     MRM_ERR_INVALID, "unknown admin1 \"MM-01\"");
	expect_error("TH", "TH-10", NULL, "mining", "2025-03-01", "day",
		     MRM_ERR_INVALID, "unknown sector");
	expect_error("TH", "TH-10", NULL, NULL, "2025-02-30", "day",
		     MRM_ERR_INVALID, "not a date");
	expect_error("TH", "TH-10", NULL, NULL, "2025-03-01", "week",
		     MRM_ERR_INVALID, "day, month or hour");
}

static void test_living_wage_cap_rate(void **state)
{
	struct mrm_ref_figure f, r;
	struct mrm_error err;
	int64_t v;

	(void)state;
	assert_int_equal(mrm_ref_living_wage(ref, "VN", "region I", NULL,
					     "2025-01-01", &f, &err),
			 0);
	assert_int_equal(f.amount, 8545680);
	assert_string_equal(f.effective_from, "2022-11");
	/* no Anker figure for region III: the country-wide AFW */
	assert_int_equal(mrm_ref_living_wage(ref, "VN", "region III", NULL,
					     "2025-01-01", &f, &err),
			 0);
	assert_int_equal(f.amount, 12453836);
	assert_int_equal(mrm_ref_living_wage(ref, "TH", NULL, NULL,
					     "2025-01-01", &f, &err),
			 0);
	assert_int_equal(f.amount, 1957100);
	assert_string_equal(f.currency, "THB");
	assert_int_equal(mrm_ref_living_wage(ref, "LA", NULL, NULL,
					     "2025-01-01", &f, &err),
			 MRM_ERR_NOTFOUND);
	assert_int_equal(mrm_ref_living_wage(ref, "TH", NULL, NULL,
					     "2023-01-01", &f, &err),
			 MRM_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "figures exist from 2024"));

	assert_int_equal(
		mrm_ref_fee_cap(ref, "MM", "TH", "2024-05-01", &f, &err), 0);
	assert_int_equal(f.amount, 30000000);
	assert_string_equal(f.currency, "MMK");
	assert_true(f.estimate);
	assert_int_equal(
		mrm_ref_fee_cap(ref, "LA", "TH", "2024-05-01", &f, &err), 0);
	assert_int_equal(f.amount, 0);
	assert_string_equal(f.key, "TH-2016-ZERO");
	assert_int_equal(
		mrm_ref_fee_cap(ref, "KH", "TH", "2015-05-01", &f, &err), 0);
	assert_int_equal(f.amount, 4900);
	assert_int_equal(
		mrm_ref_fee_cap(ref, "MM", "TH", "2010-05-01", &f, &err),
		MRM_ERR_NOTFOUND);

	assert_int_equal(
		mrm_ref_rate(ref, "MMK", "USD", "2024-01-01", &r, &err), 0);
	assert_int_equal(mrm_ref_convert(30000000, "MMK", &r, &v, &err), 0);
	assert_int_equal(v, 23000);
	assert_int_equal(mrm_ref_convert(100, "USD", &r, &v, &err), 0);
	assert_int_equal(v, 130435); /* 1 USD = 1304.35 MMK, rounded */
	assert_int_equal(mrm_ref_convert(100, "THB", &r, &v, &err),
			 MRM_ERR_INVALID);
	/* PPP factors are never used as market rates */
	assert_int_equal(
		mrm_ref_rate(ref, "USD", "THB", "2024-06-01", &r, &err),
		MRM_ERR_NOTFOUND);
	assert_int_equal(
		mrm_ref_rate(ref, "XYZ", "THB", "2024-06-01", &r, &err),
		MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "unknown currency \"XYZ\""));
}

static void bad_table(const char *text, const char *msg)
{
	struct mrm_ref_table t;
	struct mrm_error err;
	char full[200];

	assert_int_equal(mrm_ref_table_parse(&t, "data/reference/x.csv", text,
					     strlen(text), &err),
			 MRM_ERR_INVALID);
	mrm_error_format(&err, full, sizeof(full));
	if (!strstr(full, msg))
		fail_msg("\"%s\" not in \"%s\"", msg, full);
	assert_null(t.cells);
}

#define HEAD                                                                   \
	"key,country,admin1,amount,currency,effective_from,effective_to,"      \
	"source,source_url,estimate,note\n"

static void test_malformed_rows(void **state)
{
	struct mrm_ref_table t;
	struct mrm_error err;
	const char *good = HEAD "a,TH,TH-10,100,THB,2025,,Gazette,,0,\n";

	(void)state;
	assert_int_equal(mrm_ref_table_parse(&t, "data/reference/x.csv", good,
					     strlen(good), &err),
			 0);
	assert_string_equal(t.name, "x");
	assert_int_equal(t.nrows, 1);
	mrm_ref_table_release(&t);
	bad_table(HEAD "a,TH,TH-10,100,THB,2025,,,,0,\n",
		  "x.csv:2:8 (source): every figure needs its source");
	bad_table(HEAD "a,TH,TH-10,100,THB,,,G,,0,\n",
		  "x.csv:2:6 (effective_from)");
	bad_table(HEAD "a,TH,TH-10,100,THB,2025-13,,G,,0,\n",
		  "\"2025-13\" is not a date");
	bad_table(HEAD "a,TH,TH-10,100,THB,2025,2024,G,,0,\n",
		  "2024 is before effective_from 2025");
	bad_table(HEAD "a,TH,TH-10,100,THB,2025,,G,,yes,\n",
		  "x.csv:2:10 (estimate)");
	bad_table(HEAD "a,TH,TH-10,1.5,THB,2025,,G,,0,\n",
		  "not an integer in minor units");
	bad_table(HEAD "a,TH,TH-10,100,BAHT,2025,,G,,0,\n",
		  "\"BAHT\" is not a known ISO 4217");
	bad_table(HEAD "a,TH,MM-01,100,THB,2025,,G,,0,\n",
		  "\"MM-01\" is not an admin1 code");
	bad_table(HEAD "a,ZZ,,100,THB,2025,,G,,0,\n",
		  "\"ZZ\" is not a country");
	bad_table(HEAD "a,TH,TH-10,100,THB,2025,,G,,0\n",
		  "x.csv:2: 10 fields, the header has 11");
	bad_table(HEAD "a,TH,,1,THB,2025,,G,,0,\nb,TH,,1,THB,2025,,G,,0,\n"
		       "a,TH,,1,THB,2025,,G,,0,\n",
		  "x.csv:4: key \"a\" is already on line 2");
	bad_table("key,amount,source\na,1,G\n", "no \"effective_from\" column");
	bad_table(HEAD "a,TH,,1,THB,2025,,\"G,,0,\n", "x.csv");
}

#define SS_HEAD                                                                \
	"country,branch,rate_bp,min_months,min_age,wage_ceiling,"              \
	"effective_from,effective_to,source,source_url,estimate,note\n"

/* Rates, months, ages and wage limits are integers when given: one check
 * for the social security tables as for the wage tables. */
static void test_integer_columns(void **state)
{
	struct mrm_ref_table t;
	struct mrm_error err;
	const char *good = SS_HEAD "TH,old_age,500,180,55,1500000,1990,,A,,0,\n"
				   "TH,sickness,,,,,1990,,A,,0,\n";

	(void)state;
	assert_int_equal(mrm_ref_table_parse(&t, "data/reference/x.csv", good,
					     strlen(good), &err),
			 0);
	assert_int_equal(mrm_ref_int(&t, 0, "rate_bp", -1), 500);
	assert_int_equal(mrm_ref_int(&t, 0, "wage_ceiling", -1), 1500000);
	assert_int_equal(mrm_ref_int(&t, 1, "rate_bp", -1), -1); /* empty */
	assert_int_equal(mrm_ref_int(&t, 0, "no_such_column", 7), 7);
	mrm_ref_table_release(&t);
	bad_table(SS_HEAD "TH,old_age,5%,180,55,1500000,1990,,A,,0,\n",
		  "x.csv:2:3 (rate_bp): \"5%\" is not an integer in basis "
		  "points");
	bad_table(SS_HEAD "TH,old_age,500,15 years,55,1500000,1990,,A,,0,\n",
		  "x.csv:2:4 (min_months): \"15 years\" is not an integer");
	bad_table(SS_HEAD "TH,old_age,500,180,fifty,1500000,1990,,A,,0,\n",
		  "x.csv:2:5 (min_age)");
	bad_table(SS_HEAD "TH,old_age,500,180,55,15000.00,1990,,A,,0,\n",
		  "x.csv:2:6 (wage_ceiling)");
}

/* One table alone, as the portability calculator and the welfare table
 * read theirs. */
static void test_table_load(void **state)
{
	static const char *const need[] = {"country", "scheme", "min_months",
					   NULL};
	static const char *const missing[] = {"country", "no_such", NULL};
	struct mrm_ref_table t;
	struct mrm_error err;
	int found = 0;

	(void)state;
	assert_int_equal(
		mrm_ref_table_load(&t, "social-security-benefit", need, &err),
		0);
	assert_string_equal(t.name, "social-security-benefit");
	assert_string_equal(t.path,
			    "data/reference/social-security-benefit.csv");
	/* Thailand's old-age pension: 180 months, from 55 */
	for (size_t i = 0; i < t.nrows; i++)
		if (!strcmp(mrm_ref_cell(&t, i, "country"), "TH") &&
		    !strcmp(mrm_ref_cell(&t, i, "benefit"),
			    "old_age_pension")) {
			assert_int_equal(mrm_ref_int(&t, i, "min_months", 0),
					 180);
			assert_int_equal(mrm_ref_int(&t, i, "min_age", 0), 55);
			assert_true(t.lines[i] >= 2);
			found = 1;
		}
	assert_true(found);
	mrm_ref_table_release(&t);

	assert_int_equal(
		mrm_ref_table_load(&t, "social-security-branch", missing, &err),
		MRM_ERR_INVALID);
	assert_string_equal(err.where,
			    "data/reference/social-security-branch.csv");
	assert_string_equal(err.msg, "no column \"no_such\"");
	assert_null(t.cells);
	assert_int_equal(mrm_ref_table_load(&t, "no-such-table", NULL, &err),
			 MRM_ERR_NOTFOUND);
	assert_string_equal(err.where, "data/reference/no-such-table.csv");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_has_source_date_and_estimate),
		cmocka_unit_test(test_thailand),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_no_figure),
		cmocka_unit_test(test_living_wage_cap_rate),
		cmocka_unit_test(test_malformed_rows),
		cmocka_unit_test(test_integer_columns),
		cmocka_unit_test(test_table_load),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
