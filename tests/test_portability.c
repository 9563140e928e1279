/*
 * test_portability.c - the portability calculator and the welfare table,
 * against vectors computed by hand (each worked out in its comment).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mrm/buf.h"
#include "mrm/portability.h"
#include "mrm/welfare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compute the history `specs` (NULL-terminated, CLI form); 0 or the code. */
static int run(const char *const *specs, int birth, const char *claim,
	       int lump_sum_switch, struct mrm_port_result **r,
	       struct mrm_error *err)
{
	static char copy[16][80];
	struct mrm_port_input in;
	int rc = 0;

	mrm_port_input_init(&in);
	in.birth_year = birth;
	in.claim_date = claim;
	in.switches[MRM_PORT_THAI_LUMP_SUM_AFTER_LEAVING] = lump_sum_switch;
	for (size_t i = 0; specs[i] && !rc; i++) {
		snprintf(copy[i], sizeof(copy[i]), "%s", specs[i]);
		rc = mrm_port_input_add_spec(&in, copy[i], err);
	}
	*r = NULL;
	return rc ? rc : mrm_port_compute(&in, r, err);
}

static const struct mrm_port_country *country(const struct mrm_port_result *r,
					      const char *cc)
{
	for (size_t i = 0; i < r->ncountries; i++)
		if (!strcmp(r->countries[i].country, cc))
			return &r->countries[i];
	fail_msg("no country %s in the result", cc);
	return NULL;
}

/* ---- the generic Art. 52 arithmetic ---- */

static void test_ratio_rounds_half_away_from_zero(void **state)
{
	(void)state;
	assert_int_equal(mrm_port_ratio(5, 1, 2), 3);	/* 2.5 -> 3 */
	assert_int_equal(mrm_port_ratio(-5, 1, 2), -3); /* -2.5 -> -3 */
	assert_int_equal(mrm_port_ratio(7, 1, 3), 2);	/* 2.33 -> 2 */
	assert_int_equal(mrm_port_ratio(8, 1, 3), 3);	/* 2.67 -> 3 */
	/* past 2^63 in the product: 9e15 x 9e6 / 9e6 */
	assert_int_equal(mrm_port_ratio(9000000000000000LL, 9000000, 9000000),
			 9000000000000000LL);
}

/*
 * The two-country example of the IZA Journal of European Labor Studies
 * (2016, table 7), in euro cents. 18 years in A, 24 in B: 42 in all.
 *   A: full pension 800 EUR after 40 years (2.5% of 800 = 20 EUR a year,
 *      at most 40 years counted), at least 20 years needed.
 *   B: 50% of 1,000 EUR + 1% per year, at most 50 years, at least 25.
 * Alone, neither is due: 18 < 20 and 24 < 25.
 * Theoretical (all 42 years under each law):
 *   A: 40 years counted x 2.5% = 100% of 800 = 800.00 EUR
 *   B: 50% + 42 x 1% = 92% of 1,000 = 920.00 EUR
 * Pro-rata (own / all):
 *   A: 800 x 18/42 = 342.857... -> 342.86 EUR (34286 cents)
 *   B: 920 x 24/42 = 525.714... -> 525.71 EUR (52571 cents)
 * Together 868.57 EUR a month, all of it lost without an agreement.
 */
static const struct mrm_port_formula iza_a = {.step_bp = 250,
					      .step_months = 12,
					      .cap_months = 480,
					      .min_months = 240};
static const struct mrm_port_formula iza_b = {.fixed_bp = 5000,
					      .step_bp = 100,
					      .step_months = 12,
					      .cap_months = 600,
					      .min_months = 300};

static void test_iza_two_countries_pro_rata(void **state)
{
	struct mrm_port_award a, b;

	(void)state;
	mrm_port_art52(&iza_a, 18 * 12, 42 * 12, 80000, 1, &a);
	mrm_port_art52(&iza_b, 24 * 12, 42 * 12, 100000, 1, &b);
	assert_false(a.independent_right);
	assert_false(b.independent_right);
	assert_int_equal(a.independent, 0);
	assert_int_equal(b.independent, 0);
	assert_true(a.totalised_right && b.totalised_right);
	assert_int_equal(a.theoretical, 80000);
	assert_int_equal(b.theoretical, 92000);
	assert_int_equal(a.prorata, 34286);
	assert_int_equal(b.prorata, 52571);
	assert_int_equal(a.awarded + b.awarded, 86857);
}

/*
 * The paper's "direct method" (each country pays on its own years once
 * totalisation opened the right; not Art. 52): A 18 x 2% of 800 = 288;
 * B 24/30 of 50% of 1,000 + 24 x 1% of 1,000 = 400 + 240 = 640; 928 EUR.
 * The factors (2% a year, 24/30) are the paper's; this checks the
 * arithmetic with the module's one rounding.
 */
static void test_iza_direct_method_arithmetic(void **state)
{
	int64_t a = mrm_port_ratio(80000, 18 * 200, 10000);
	int64_t b =
		mrm_port_ratio(mrm_port_ratio(100000, 5000, 10000), 24, 30) +
		mrm_port_ratio(100000, 24 * 100, 10000);

	(void)state;
	assert_int_equal(a, 28800);
	assert_int_equal(b, 64000);
	assert_int_equal(a + b, 92800);
}

/*
 * The higher of the two: 20 years in A (a right alone) out of 44.
 * Independent 20 x 2.5% of 800 = 400.00; theoretical 40 years counted =
 * 800.00; pro-rata 800 x 240/528 = 363.636... -> 363.64. A pays 400.00.
 */
static void test_art52_pays_the_higher(void **state)
{
	struct mrm_port_award a;

	(void)state;
	mrm_port_art52(&iza_a, 240, 528, 80000, 1, &a);
	assert_true(a.independent_right);
	assert_int_equal(a.independent, 40000);
	assert_int_equal(a.prorata, 36364);
	assert_int_equal(a.awarded, 40000);
}

/* Art. 57: 6 own months out of 500 that give no right alone: unpaid. */
static void test_art57_under_a_year_unpaid(void **state)
{
	struct mrm_port_award a;

	(void)state;
	mrm_port_art52(&iza_a, 6, 500, 80000, 1, &a);
	assert_true(a.totalised_right);
	assert_true(a.art57);
	assert_int_equal(a.prorata, 0);
	assert_int_equal(a.awarded, 0);
}

/* ---- Thailand ---- */

/*
 * 20 years (240 months) at 15,000 THB, at the ceiling throughout:
 * 20% + 1.5% x (240 - 180) / 12 = 20% + 5 x 1.5% = 27.5% of 15,000 =
 * 4,125.00 THB a month. Born 1965, 60 at the claim, insured status ended.
 */
static void test_thai_pension_20_years(void **state)
{
	const char *h[] = {"TH:2005-01:2024-12:15000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *k;

	(void)state;
	assert_int_equal(run(h, 1965, "2025-06-01", 0, &r, &err), 0);
	k = country(r, "TH");
	assert_int_equal(k->own_months, 240);
	assert_int_equal(k->independent.kind, MRM_PORT_PENSION);
	assert_int_equal(k->independent.amount, 412500);
	assert_string_equal(k->independent.status, "payable");
	assert_int_equal(k->agreement.amount, 412500);
	assert_int_equal(k->pension_lost, 0);
	assert_non_null(strstr(k->independent.rule, "27.50%"));
	/* the ceiling row and the benefit row, with their sources */
	assert_true(k->nrefs >= 2);
	assert_non_null(strstr(k->refs[0].source, "Social Security Act"));
	free(r);
}

/*
 * A wage above the ceiling counts at the ceiling: 20 years at 30,000 THB
 * give the same 4,125.00 THB.
 */
static void test_thai_wage_capped(void **state)
{
	const char *h[] = {"TH:2005-01:2024-12:30000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;

	(void)state;
	assert_int_equal(run(h, 1965, "2025-06-01", 0, &r, &err), 0);
	assert_int_equal(country(r, "TH")->independent.amount, 412500);
	free(r);
}

/*
 * 120 months at 20,000 THB (capped at 15,000): under 180, so the grant of
 * the worker's and the employer's old-age contributions:
 * (3% + 3%) x 15,000 = 900.00 a month x 120 = 108,000.00 THB.
 */
static void test_thai_grant_under_180_months(void **state)
{
	const char *h[] = {"TH:2015-01:2024-12:20000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *k;

	(void)state;
	assert_int_equal(run(h, 1965, "2025-06-01", 0, &r, &err), 0);
	k = country(r, "TH");
	assert_int_equal(k->independent.kind, MRM_PORT_LUMP_SUM);
	assert_int_equal(k->independent.amount, 10800000);
	assert_string_equal(k->independent.status, "payable");
	assert_int_equal(k->prorata.kind, MRM_PORT_NONE);
	assert_non_null(strstr(k->independent.rule, "not modelled"));
	free(r);
}

/*
 * Across the 2026 ceiling change (an estimate): 6 months of 2025 at the
 * 15,000 ceiling (900.00 each) and 6 of 2026 at 17,500 (1,050.00 each):
 * 5,400.00 + 6,300.00 = 11,700.00 THB, flagged uncertain.
 */
static void test_thai_grant_across_ceilings(void **state)
{
	const char *h[] = {"TH:2025-07:2026-06:20000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *k;

	(void)state;
	assert_int_equal(run(h, 1965, "2027-01-01", 0, &r, &err), 0);
	k = country(r, "TH");
	assert_int_equal(k->independent.amount, 1170000);
	assert_non_null(strstr(k->uncertain, "VERIFY"));
	free(r);
}

/*
 * Under 12 months: 6 months at 15,000: the worker's own 3% = 450.00 x 6 =
 * 2,700.00 THB. Born 1990: 35 at the claim, so deferred to 2045 unless
 * the switch lets it be paid on leaving.
 */
static void test_thai_under_12_months_and_switch(void **state)
{
	const char *h[] = {"TH:2024-01:2024-06:15000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *k;

	(void)state;
	assert_int_equal(run(h, 1990, "2025-01-01", 0, &r, &err), 0);
	k = country(r, "TH");
	assert_int_equal(k->independent.kind, MRM_PORT_LUMP_SUM);
	assert_int_equal(k->independent.amount, 270000);
	assert_string_equal(k->independent.status, "deferred");
	assert_string_equal(k->independent.payable, "2045");
	free(r);
	assert_int_equal(run(h, 1990, "2025-01-01", 1, &r, &err), 0);
	k = country(r, "TH");
	assert_string_equal(k->independent.status, "payable");
	assert_int_equal(r->switches[MRM_PORT_THAI_LUMP_SUM_AFTER_LEAVING], 1);
	assert_non_null(strstr(k->independent.rule, "uncertain"));
	free(r);
}

/*
 * 15 years in Thailand at 12,000, then 10 in Myanmar: 300 months in all.
 * Thailand alone: 180 months, 20% x 12,000 = 2,400.00. Theoretical on 300
 * months: 20% + 10 x 1.5% = 35% x 12,000 = 4,200.00; pro-rata x 180/300 =
 * 2,520.00. The agreement pays 2,520.00: 120.00 a month lost without.
 * Myanmar: a pension under totalisation (300 >= 180), amount unknown.
 */
static void test_totalisation_thailand_myanmar(void **state)
{
	const char *h[] = {"TH:2000-01:2014-12:12000",
			   "MM:2015-01:2024-12:300000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *th, *mm;

	(void)state;
	assert_int_equal(run(h, 1975, "2025-06-01", 0, &r, &err), 0);
	assert_int_equal(r->all_months, 300);
	th = country(r, "TH");
	assert_int_equal(th->independent.amount, 240000);
	assert_int_equal(th->theoretical, 420000);
	assert_int_equal(th->prorata.amount, 252000);
	assert_int_equal(th->agreement.amount, 252000);
	assert_int_equal(th->pension_lost, 12000);
	assert_string_equal(th->agreement.status, "deferred"); /* age 50 */
	mm = country(r, "MM");
	assert_int_equal(mm->independent.kind, MRM_PORT_LUMP_SUM);
	assert_false(mm->independent.known);
	assert_int_equal(mm->agreement.kind, MRM_PORT_PENSION);
	assert_false(mm->agreement.known);
	assert_non_null(strstr(mm->uncertain, "not operating"));
	free(r);
}

/*
 * 10 years in Thailand at 15,000 and 10 in Myanmar: Thailand alone gives
 * the grant, 120 x 900.00 = 108,000.00; totalised 240 months give 27.5% x
 * 15,000 = 4,125.00, pro-rata x 120/240 = 2,062.50 a month, which the
 * agreement pays instead of the grant.
 */
static void test_totalisation_turns_grant_into_pension(void **state)
{
	const char *h[] = {"TH:2000-01:2009-12:15000",
			   "MM:2013-01:2022-12:300000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *th;

	(void)state;
	assert_int_equal(run(h, 1965, "2025-06-01", 0, &r, &err), 0);
	th = country(r, "TH");
	assert_int_equal(th->independent.kind, MRM_PORT_LUMP_SUM);
	assert_int_equal(th->independent.amount, 10800000);
	assert_int_equal(th->prorata.amount, 206250);
	assert_int_equal(th->agreement.kind, MRM_PORT_PENSION);
	assert_int_equal(th->pension_lost, 206250);
	assert_non_null(strstr(th->loss, "108000.00 THB"));
	free(r);
}

/*
 * Art. 57 with real data: 6 Thai months among 186: the theoretical
 * pension (20% x 15,000 = 3,000.00; under the 2027 ceiling of 17,500)
 * x 6/186 is not paid; the grant (3% x 15,000 x 6 = 2,700.00) stays.
 * A month worked in both countries counts once. Myanmar's rows start in
 * 2012, so its periods do too.
 */
static void test_art57_thailand_and_overlap(void **state)
{
	const char *h[] = {"MM:2012-01:2026-12:300000",
			   "TH:2026-07:2027-06:15000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *th;

	(void)state;
	assert_int_equal(run(h, 1965, "2028-01-01", 0, &r, &err), 0);
	/* 180 + 12 months, 6 of them (2026-07..12) in both */
	assert_int_equal(r->all_months, 186);
	assert_int_equal(r->overlap_months, 6);
	th = country(r, "TH");
	assert_int_equal(th->own_months, 12);
	free(r);

	const char *h2[] = {"MM:2012-01:2026-12:300000",
			    "TH:2027-01:2027-06:15000", NULL};
	assert_int_equal(run(h2, 1965, "2028-01-01", 0, &r, &err), 0);
	th = country(r, "TH");
	assert_string_equal(th->prorata.status, "not_paid");
	assert_int_equal(th->prorata.amount, 0);
	assert_int_equal(th->agreement.kind, MRM_PORT_LUMP_SUM);
	assert_int_equal(th->agreement.amount, 270000);
	free(r);
}

/*
 * 16 years in Myanmar alone (from 2012, where its rows start): a pension right
 * (192 >= 180) whose amount the data cannot compute; nothing shown as lost, and
 * the estimate flagged.
 */
static void test_uncomputed_country(void **state)
{
	const char *h[] = {"MM:2012-01:2027-12:300000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	const struct mrm_port_country *mm;

	(void)state;
	assert_int_equal(run(h, 1960, "2028-06-01", 0, &r, &err), 0);
	mm = country(r, "MM");
	assert_int_equal(mm->independent.kind, MRM_PORT_PENSION);
	assert_false(mm->independent.known);
	assert_int_equal(mm->pension_lost, 0);
	assert_non_null(strstr(mm->loss, "cannot be computed"));
	assert_true(mm->refs[0].estimate);
	free(r);
}

/* ---- bad input: a clear message, no result ---- */

static void expect_error(const char *const *h, const char *claim,
			 const char *want1, const char *want2)
{
	struct mrm_port_result *r = NULL;
	struct mrm_error err;

	assert_int_equal(run(h, 1965, claim, 0, &r, &err), MRM_ERR_INVALID);
	assert_null(r);
	if (!strstr(err.msg, want1) || !strstr(err.msg, want2))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.msg,
			 want1, want2);
}

static void test_errors(void **state)
{
	const char *overlap[] = {"TH:2010-01:2012-01:15000",
				 "TH:2011-06:2013-01:15000", NULL};
	const char *reversed[] = {"TH:2010-05:2009-01:15000", NULL};
	const char *unknown[] = {"XX:2010-01:2011-01:15000", NULL};
	const char *cur[] = {"TH:2010-01:2011-01:500:USD", NULL};
	const char *old[] = {"TH:1985-01:1986-01:15000", NULL};
	const char *month[] = {"TH:2010-13:2011-01:15000", NULL};
	const char *wage[] = {"TH:2010-01:2011-01:15000.505", NULL};
	const char *vn[] = {"VN:2010-01:2020-01:5000000", NULL};
	const char *kh[] = {"KH:2015-01:2023-12:2000000", NULL};

	(void)state;
	expect_error(overlap, "2025-01-01", "period 1", "overlap");
	expect_error(reversed, "2025-01-01", "reversed", "2009-01");
	expect_error(unknown, "2025-01-01", "country XX", "TH, KH, MM");
	expect_error(cur, "2025-01-01", "USD", "THB");
	expect_error(old, "2025-01-01", "1985-01", "1990 to 2025-12-31");
	expect_error(month, "2025-01-01", "period 1", "YYYY-MM");
	expect_error(wage, "2025-01-01", "15000.505", "2 decimals");
	/* Vietnam's rows start on 2025-07-01: none in force in 2020 */
	expect_error(vn, "2020-01-01", "no VN old-age rule", "2025-07-01");
	/* Cambodia's pension contributions start in October 2022 */
	expect_error(kh, "2025-01-01", "KH NSSF-pension contribution rule",
		     "2022-10-01 to 2027-09-30");
}

static void test_switch_and_spec_errors(void **state)
{
	struct mrm_port_input in;
	struct mrm_error err;
	char bad[] = "TH:2010-01";

	(void)state;
	mrm_port_input_init(&in);
	assert_int_equal(mrm_port_input_switch(&in, "nope", "on", &err),
			 MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "thai_lump_sum_after_leaving"));
	assert_int_equal(mrm_port_input_switch(&in,
					       "thai_lump_sum_after_leaving",
					       "maybe", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(mrm_port_input_add_spec(&in, bad, &err),
			 MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "COUNTRY:FROM:TO:MONTHLY_WAGE"));
}

static void test_json_shape(void **state)
{
	const char *h[] = {"TH:2005-01:2024-12:15000", NULL};
	struct mrm_port_result *r;
	struct mrm_error err;
	json_t *j, *c;

	(void)state;
	assert_int_equal(run(h, 1965, "2025-06-01", 0, &r, &err), 0);
	j = mrm_port_json(r);
	assert_non_null(j);
	c = json_array_get(json_object_get(j, "countries"), 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(c, "independent"), "type")),
			    "pension");
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(c, "pro_rata"), "amount")),
			 412500);
	assert_true(
		json_is_false(json_object_get(json_object_get(j, "switches"),
					      "thai_lump_sum_after_leaving")));
	assert_non_null(json_object_get(
		json_array_get(json_object_get(c, "references"), 0), "source"));
	json_decref(j);
	free(r);
}

/* ---- the welfare table ---- */

static void test_welfare_table(void **state)
{
	struct mrm_welfare *w;
	struct mrm_error err;
	struct mrm_buf b = MRM_BUF_INIT(1 << 20);
	const struct mrm_welfare_cell *th, *la;

	(void)state;
	assert_int_equal(mrm_welfare_load(&w, &err), 0);
	th = &w->cell[0][0]; /* TH old age */
	assert_true(th->known);
	assert_int_equal(th->rate_bp[0], 300);
	assert_int_equal(th->rate_bp[2], 100);
	assert_string_equal(th->migrants, "yes");
	assert_string_equal(th->exportable, "unknown");
	la = &w->cell[3][0]; /* Laos: nothing dated, nothing filled in */
	assert_false(la->known);
	assert_int_equal(mrm_welfare_csv(w, &b), 0);
	assert_non_null(strstr(b.ptr, "TH,old_age,SSA-s33,3.00,3.00,1.00,yes,"
				      "unknown,1990,"));
	assert_non_null(strstr(b.ptr, "LA,old_age,,,,,unknown,unknown,,,no "
				      "source found"));
	mrm_buf_reset(&b);
	assert_int_equal(mrm_welfare_html_section(w, NULL, &b, &err), 0);
	assert_non_null(strstr(b.ptr, "<section class=\"welfare\""));
	assert_non_null(strstr(b.ptr, "Thai Ministry of Labour, 23 May 2024"));
	assert_non_null(strstr(b.ptr, "Rate: employee 3.00%, employer 3.00%, "
				      "government 1.00%<br>Migrants "
				      "covered: yes<br>Exportable: unknown"));
	assert_non_null(
		strstr(b.ptr, "in force from 2022-10-01 to 2027-09-30"));
	assert_null(strstr(b.ptr, "<html"));
	assert_null(strstr(b.ptr, "lang=\"en\"")); /* all of it is */
	/* in Thai and Burmese: the words translated, the sources and notes
	 * as the file has them, marked English */
	mrm_buf_reset(&b);
	assert_int_equal(mrm_welfare_html_section(w, "th", &b, &err), 0);
	assert_non_null(strstr(b.ptr, "อัตราเงินสมทบ: ลูกจ้าง 3.00%, "
				      "นายจ้าง 3.00%, รัฐบาล 1.00%<br>"
				      "คุ้มครองแรงงานข้ามชาติ: ใช่"));
	assert_non_null(strstr(b.ptr, "<th scope=\"col\">ไทย</th>"));
	assert_non_null(strstr(b.ptr, "<span lang=\"en\">Social Security Act "
				      "B.E. 2533"));
	assert_non_null(strstr(b.ptr, "มีผลตั้งแต่ 2022-10-01 ถึง 2027-09-30"));
	assert_null(strstr(b.ptr, "Migrants covered"));
	mrm_buf_reset(&b);
	assert_int_equal(mrm_welfare_html_page(w, "my", &b, &err), 0);
	assert_non_null(strstr(b.ptr, "<html lang=\"my\">"));
	assert_non_null(strstr(b.ptr, "2022-10-01 မှ 2027-09-30 အထိ "
				      "အသက်ဝင်သည်"));
	assert_non_null(strstr(b.ptr, "<span class=\"unknown\">မသိရ</span>"));
	mrm_buf_reset(&b);
	assert_int_equal(mrm_welfare_html_section(w, "km", &b, &err),
			 MRM_ERR_INVALID);
	assert_string_equal(err.where, "--lang");
	assert_int_equal(b.len, 0);
	mrm_buf_release(&b);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_rounds_half_away_from_zero),
		cmocka_unit_test(test_iza_two_countries_pro_rata),
		cmocka_unit_test(test_iza_direct_method_arithmetic),
		cmocka_unit_test(test_art52_pays_the_higher),
		cmocka_unit_test(test_art57_under_a_year_unpaid),
		cmocka_unit_test(test_thai_pension_20_years),
		cmocka_unit_test(test_thai_wage_capped),
		cmocka_unit_test(test_thai_grant_under_180_months),
		cmocka_unit_test(test_thai_grant_across_ceilings),
		cmocka_unit_test(test_thai_under_12_months_and_switch),
		cmocka_unit_test(test_totalisation_thailand_myanmar),
		cmocka_unit_test(test_totalisation_turns_grant_into_pension),
		cmocka_unit_test(test_art57_thailand_and_overlap),
		cmocka_unit_test(test_uncomputed_country),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_switch_and_spec_errors),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_welfare_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
