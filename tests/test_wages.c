/* test_wages.c - wages owed, living-wage gap and recruitment burden of
 * tests/data/wages.json, against values worked out by hand (docs/wages.md) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/ref.h"
#include "mrm/stats.h"
#include "mrm/wages.h"

/* db, setup() and teardown() */
static struct tdb db;
static struct mrm_ref *ref;

static int setup(void **state)
{
	struct mrm_import_opts o = {0};
	struct mrm_import_stats st;
	struct mrm_error err;
	FILE *fp;

	(void)state;
	tdb_open(&db);
	fp = fopen(tsrc("tests/data/wages.json"), "r");
	assert_non_null(fp);
	if (mrm_import_json(db.st, fp, "wages.json", &o, &st, &err))
		fail_msg("%s: %s", err.where, err.msg);
	fclose(fp);
	assert_int_equal(mrm_ref_load(&ref, &err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mrm_ref_free(ref);
	tdb_close(&db);
	return 0;
}

#define NREC 8
static struct mrm_wage_calc calc[NREC + 1];
static char err_of[NREC + 1][MRM_ERROR_MSG_MAX];

static int take(void *ctx, const struct mrm_wage_record *w)
{
	struct mrm_error err;

	(void)ctx;
	assert_true(w->id >= 1 && w->id <= NREC);
	assert_int_equal(mrm_wage_compute(ref, w, &calc[w->id], &err), 0);
	snprintf(err_of[w->id], sizeof(err_of[0]), "%s", calc[w->id].min_error);
	return 0;
}

static void test_wages_owed(void **state)
{
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_wages_each(db.st, 0, 0, take, NULL, &err), 0);
	/* Bangkok, March 2025: 372 x 20 = 7,440 - 6,000 paid = 1,440 owed,
	 * 72 a day; living wage AFW 19,571 for the whole month */
	assert_true(calc[1].min_ok);
	assert_string_equal(calc[1].minimum.key, "TH-10-2025");
	assert_string_equal(calc[1].minimum.effective_from, "2025-01-01");
	assert_int_equal(calc[1].legal, 744000);
	assert_int_equal(calc[1].owed, 144000);
	assert_int_equal(calc[1].per_day, 7200);
	assert_false(calc[1].changed);
	assert_int_equal(calc[1].living_total, 1957100);
	assert_int_equal(calc[1].living_gap, 1957100 - 600000);
	/* July 2025: 400 x 20 = 8,000 - 6,000 = 2,000, 100 a day */
	assert_string_equal(calc[2].minimum.key, "TH-10-2025-07");
	assert_int_equal(calc[2].owed, 200000);
	assert_int_equal(calc[2].per_day, 10000);
	/* 20 June - 10 July: 372 at the start, 18 x 372 = 6,696 < 7,200
	 * paid: nothing owed; the minimum changed on 1 July (flagged);
	 * living: 19,571 x 11/30 + 19,571 x 10/31 = 7,176.03 + 6,313.23 */
	assert_int_equal(calc[3].legal, 669600);
	assert_int_equal(calc[3].owed, 0);
	assert_true(calc[3].changed);
	assert_string_equal(calc[3].minimum_at_end.key, "TH-10-2025-07");
	assert_int_equal(calc[3].living_total, 717603 + 631323);
	/* Vietnam region I, 1-14 Feb 2026 (14 of 28 days), monthly minimum
	 * 5,310,000: 2,655,000 - 2,000,000 = 655,000; per calendar day
	 * 46,786; Anker 8,545,680 x 14/28 = 4,272,840 - 2,000,000 */
	assert_int_equal(calc[4].legal, 2655000);
	assert_int_equal(calc[4].owed, 655000);
	assert_int_equal(calc[4].per_day, 46786);
	assert_string_equal(calc[4].living.key, "VN-ANKER-I-2022");
	assert_int_equal(calc[4].living_gap, 2272840);
	/* Yangon, Sep 2024: 6,800 MMK a day x 25 = 170,000 - 150,000 */
	assert_string_equal(calc[5].minimum.key, "MM-2024-08");
	assert_int_equal(calc[5].owed, 2000000);
	assert_int_equal(calc[5].per_day, 80000);
	assert_int_equal(calc[5].living_gap, 87474300 - 15000000);
	/* a daily minimum without days worked */
	assert_false(calc[6].min_ok);
	assert_non_null(strstr(err_of[6], "no days_worked"));
	/* Cambodia's garment minimum is in USD, the record in KHR, no rate */
	assert_false(calc[7].min_ok);
	assert_non_null(strstr(err_of[7], "in USD, the record in KHR"));
	/* Chiang Rai 2019: nothing in force */
	assert_false(calc[8].min_ok);
	assert_non_null(strstr(err_of[8], "no minimum wage for TH-57"));
	assert_false(calc[8].living_ok);
}

struct burdens {
	struct mrm_burden b[4];
};

static int take_cost(void *ctx, const struct mrm_recruitment_cost *c)
{
	struct burdens *bs = ctx;
	struct mrm_error err;

	assert_true(c->id >= 1 && c->id <= 3);
	return mrm_burden_compute(db.st, ref, c, &bs->b[c->id], &err);
}

static void test_burden(void **state)
{
	struct burdens bs;
	struct mrm_error err;

	(void)state;
	memset(&bs, 0, sizeof(bs));
	assert_int_equal(
		mrm_recruitment_each(db.st, 0, 0, take_cost, &bs, &err), 0);
	/* 15,000 THB over 7,500 THB a month: 200%; Thailand's cap is 0 */
	assert_true(bs.b[1].ok);
	assert_string_equal(bs.b[1].corridor, "LA-TH");
	assert_int_equal(bs.b[1].burden_bp, 20000);
	assert_true(bs.b[1].cap_ok);
	assert_string_equal(bs.b[1].cap.key, "TH-2016-ZERO");
	assert_int_equal(bs.b[1].over_cap, 1500000);
	/* USD 500 over MMK 300,000 a month = USD 230 (300,000 kyat =
	 * USD 230): 217.39%; cap 300,000 kyat = USD 230: USD 270 over */
	assert_true(bs.b[2].ok);
	assert_true(bs.b[2].rate_used);
	assert_string_equal(bs.b[2].rate.key, "USD-MMK-2020");
	assert_int_equal(bs.b[2].earnings, 23000);
	assert_int_equal(bs.b[2].burden_bp, 21739);
	assert_string_equal(bs.b[2].cap.key, "MM-TH-300K");
	assert_int_equal(bs.b[2].cap_amount, 23000);
	assert_int_equal(bs.b[2].over_cap, 27000);
	/* MMK cost, THB earnings: no market rate, no burden */
	assert_false(bs.b[3].ok);
	assert_non_null(strstr(bs.b[3].error, "no market rate"));
	assert_int_equal(bs.b[3].over_cap, 30000000);
}

static const struct mrm_stats_cell *find(const struct mrm_stats_result *r,
					 const char *key, const char *cur)
{
	for (size_t i = 0; i < r->ncells; i++)
		if (!strcmp(r->cells[i].key[0], key) &&
		    (!cur || !strcmp(r->cells[i].currency, cur)))
			return &r->cells[i];
	fail_msg("no cell %s %s", key, cur ? cur : "");
	return NULL;
}

static void test_stats(void **state)
{
	struct mrm_stats_query q = {0};
	struct mrm_stats_result *r;
	struct mrm_error err;

	(void)state;
	q.measure = "wages-owed";
	q.by = "corridor";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_true(r->money);
	assert_int_equal(find(r, "MM-TH", "THB")->value, 144000 + 200000);
	assert_int_equal(find(r, "MM-MM", "MMK")->value, 2000000);
	assert_int_equal(find(r, "VN-VN", "VND")->value, 655000);
	assert_int_equal(find(r, "*", "THB")->value, 344000);
	mrm_stats_result_free(r);

	q.by = "admin1";
	q.from = "2025-07";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(find(r, "TH-10", "THB")->value, 200000);
	mrm_stats_result_free(r);

	/* public: one record per cell is under k = 5: withheld */
	q.from = NULL;
	q.public = 1;
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(find(r, "TH-10", "THB")->mark, MRM_STATS_PRIMARY);
	mrm_stats_result_free(r);

	q.public = 0;
	q.measure = "recruitment-burden";
	q.by = "corridor";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_true(r->days);
	assert_int_equal(find(r, "LA-TH", NULL)->value, 200);
	assert_int_equal(find(r, "MM-TH", NULL)->value, 217);
	assert_int_equal(find(r, "*", NULL)->count, 2);
	assert_true(find(r, "*", NULL)->median == 208.5);
	mrm_stats_result_free(r);

	q.by = "sector";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "valid: corridor"));
}

/* No cell for `key` in currency `cur`. */
static void none(const struct mrm_stats_result *r, const char *key,
		 const char *cur)
{
	for (size_t i = 0; i < r->ncells; i++)
		if (!strcmp(r->cells[i].key[0], key) &&
		    (!cur || !strcmp(r->cells[i].currency, cur)))
			fail_msg("unexpected cell %s %s", key, cur ? cur : "");
}

/* --where: OR within a filter, AND across filters, labels resolved. */
static void test_stats_where(void **state)
{
	struct mrm_stats_query q = {0};
	struct mrm_stats_result *r;
	struct mrm_error err;

	(void)state;
	q.measure = "wages-owed";
	q.by = "corridor";
	q.where[0] = "corridor=MM-TH,VN-VN";
	q.where[1] = "sector=construction";
	q.nwhere = 2;
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(find(r, "MM-TH", "THB")->value, 344000);
	none(r, "VN-VN", NULL);
	none(r, "MM-MM", NULL);
	mrm_stats_result_free(r);

	/* OR: garments or manufacturing; labels of the vocabularies */
	q.where[0] = "sector=garments,manufacturing";
	q.nwhere = 1;
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(find(r, "MM-MM", "MMK")->value, 2000000);
	assert_int_equal(find(r, "VN-VN", "VND")->value, 655000);
	none(r, "MM-TH", NULL);
	mrm_stats_result_free(r);

	q.where[0] = "nationality=Myanmar";
	q.where[1] = "year=2024";
	q.nwhere = 2;
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(find(r, "MM-MM", "MMK")->value, 2000000);
	none(r, "MM-TH", NULL);
	mrm_stats_result_free(r);

	/* AND of two filters that no record passes: no cell at all */
	q.where[0] = "corridor=Myanmar-Thailand";
	q.where[1] = "year=2026";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(r->ncells, 0);
	mrm_stats_result_free(r);

	q.measure = "recruitment-burden";
	q.where[0] = "corridor=LA-TH";
	q.nwhere = 1;
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(find(r, "LA-TH", NULL)->value, 200);
	assert_int_equal(find(r, "*", NULL)->count, 1);
	none(r, "MM-TH", NULL);
	mrm_stats_result_free(r);

	q.where[0] = "nationality=MM";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), 0);
	assert_int_equal(find(r, "MM-TH", NULL)->value, 217);
	assert_int_equal(find(r, "*", NULL)->count, 1);
	mrm_stats_result_free(r);

	/* bad filters: located, with the valid choices */
	q.where[0] = "sector=construction";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
	assert_string_equal(err.where, "--where");
	assert_non_null(strstr(err.msg, "valid: corridor, nationality"));
	q.measure = "wages-owed";
	q.where[0] = "sector=constr";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "construction"));
	q.where[0] = "act_type=arrest";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "cannot be filtered"));
	q.where[0] = "corridor=MM";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
	q.where[0] = "corridor=MM-XX";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "\"XX\""));
	q.where[0] = "year=25";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
	q.where[0] = "year";
	assert_int_equal(mrm_stats_run(db.st, &q, &r, &err), MRM_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wages_owed),
		cmocka_unit_test(test_burden),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_stats_where),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
