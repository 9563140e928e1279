/*
 * test_report_labour.c - the labour-rights report (src/lib/report_labour.c)
 * on tests/data/wages.json, against the values worked out by hand in
 * docs/wages.md: wages owed by corridor and sector, the recruitment
 * burden beside the legal cap, the reference figures with their sources,
 * the welfare table; the public edition withholds small figures; no free
 * text of the records reaches the report.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WHEN ((time_t)1767225600) /* 2026-01-01 00:00:00 UTC */

TDB_GROUP_FIXTURE

static int setup_group(void **state)
{
	struct mrm_import_opts o = {0};
	struct mrm_import_stats st;
	struct mrm_error err;
	FILE *fp;

	setup(state);
	fp = fopen(tsrc("tests/data/wages.json"), "r");
	assert_non_null(fp);
	if (mrm_import_json(db.st, fp, "wages.json", &o, &st, &err))
		fail_msg("%s: %s", err.where, err.msg);
	fclose(fp);
	return 0;
}

/* The report as a string (the caller frees it); fails the test on error. */
static char *report(const char *lang, int public, const char *from,
		    const char *csv_dir)
{
	struct mrm_report_opts o = {.template_name = "labour-rights",
				    .lang = lang,
				    .public = public,
				    .from = from,
				    .csv_dir = csv_dir,
				    .generated = WHEN};
	struct mrm_error err;
	char *html = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&html, &len);

	assert_non_null(fp);
	if (mrm_report_write(db.st, &o, fp, &err))
		fail_msg("report: %s: %s", err.where, err.msg);
	assert_int_equal(fclose(fp), 0);
	return html;
}

/* The cells of the table row headed `row` in the section `id` ("s1"),
 * joined by "|". */
static void row_of(const char *html, const char *id, const char *row, char *out,
		   size_t size)
{
	char head[256], at[32];
	const char *s, *a, *end;

	snprintf(at, sizeof(at), "id=\"%s\"", id);
	s = strstr(html, at);
	assert_non_null(s);
	snprintf(head, sizeof(head), "<th scope=\"row\">%s</th>", row);
	a = strstr(s, head);
	if (!a)
		fail_msg("no row \"%s\" in %s", row, id);
	end = strstr(a, "</tr>");
	out[0] = '\0';
	for (const char *p = a + strlen(head);
	     (p = strstr(p, "<td")) && p < end;) {
		const char *v = strchr(p, '>') + 1, *e = strstr(v, "</td>");

		snprintf(out + strlen(out), size - strlen(out), "%s%.*s",
			 *out ? "|" : "", (int)(e - v), v);
		p = e;
	}
}

static void test_internal_figures(void **state)
{
	char *html = report("en", 0, NULL, NULL), row[1024];

	(void)state;
	/* Bangkok: 1,440 (March) + 2,000 (July) + 0 (June-July): 3 records */
	row_of(html, "s1", "Myanmar → Thailand", row, sizeof(row));
	assert_string_equal(row, "THB|3|3440.00");
	/* Yangon, September 2024: 6,800 x 25 - 150,000 = 20,000 kyat */
	row_of(html, "s1", "Myanmar → Myanmar", row, sizeof(row));
	assert_string_equal(row, "MMK|1|20000.00");
	row_of(html, "s1", "Vietnam → Vietnam", row, sizeof(row));
	assert_string_equal(row, "VND|1|655000");
	row_of(html, "s2", "Construction", row, sizeof(row));
	assert_string_equal(row, "THB|3|3440.00");
	/* 15,000 THB over 7,500 a month: 200%; zero-fee cap, 1 of 1 over */
	row_of(html, "s3", "Laos → Thailand", row, sizeof(row));
	assert_non_null(strstr(row, "1|200.0|200.0|0.00 THB|"));
	assert_non_null(strstr(row, "Royal Decree on recruitment (2016)"));
	assert_non_null(strstr(row, "|1|1"));
	/* USD 500 over USD 230: 217%; both costs over the kyat cap */
	row_of(html, "s3", "Myanmar → Thailand", row, sizeof(row));
	assert_non_null(strstr(row, "1|217.0|217.0|300000.00 MMK|"));
	assert_non_null(strstr(row, "estimate"));
	assert_non_null(strstr(row, "|2|2"));
	/* every figure used, with its source and dates: 372 by the March
	 * record and the one from 20 June (its first day decides) */
	row_of(html, "s4", "TH-10-2025", row, sizeof(row));
	assert_string_equal(row, "minimum-wage|372.00 THB / day|2025-01-01|"
				 "2025-06-30|Royal Gazette, 27 Dec 2024 "
				 "(17-tier provincial minimum wage)|2");
	row_of(html, "s4", "TH-10-2025-07", row, sizeof(row));
	assert_non_null(strstr(row, "400.00 THB / day|2025-07-01|"));
	row_of(html, "s4", "VN-I-2026", row, sizeof(row));
	assert_non_null(strstr(row, "Decree 293/2025/ND-CP"));
	row_of(html, "s4", "USD-MMK-2020", row, sizeof(row));
	assert_non_null(strstr(row, "(estimate)"));
	row_of(html, "s4", "MM-TH-300K", row, sizeof(row));
	assert_non_null(strstr(row, "|2020|"));
	/* the welfare table, and the as-of date */
	assert_non_null(strstr(html, "Social security for migrant workers"));
	assert_non_null(strstr(html, "As of 2026-01-01"));
	assert_non_null(strstr(html, "in force on 2026-01-01"));
	/* never free text of the records */
	assert_null(strstr(html, "Site A"));
	assert_null(strstr(html, "Construction site, Bangkok"));
	assert_null(strstr(html, "w-p1"));
	free(html);
}

static void test_public_withholds(void **state)
{
	char *html = report("en", 1, NULL, NULL), row[1024];

	(void)state;
	assert_non_null(strstr(html, "<th scope=\"row\">Myanmar → Thailand</th>"
				     "<td>THB</td><td class=\"num\">&lt;5</td>"
				     "<td class=\"num\">&lt;5</td>"));
	row_of(html, "s3", "Laos → Thailand", row, sizeof(row));
	assert_non_null(strstr(row, "&lt;5|&lt;5|&lt;5|0.00 THB"));
	assert_null(strstr(html, "3440.00"));
	assert_null(strstr(html, "200.0|"));
	/* no figure is used by 5 records: none listed, and it says why */
	assert_null(strstr(html, "<th scope=\"row\">TH-10-2025</th>"));
	assert_non_null(strstr(html, "fewer than 5 records are not listed"));
	free(html);
}

static void test_period_and_languages(void **state)
{
	char *html = report("en", 0, "2025-07", NULL), row[1024];

	(void)state;
	/* from July 2025: the July record only (June 20 starts before) */
	row_of(html, "s1", "Myanmar → Thailand", row, sizeof(row));
	assert_string_equal(row, "THB|1|2000.00");
	assert_null(strstr(html, "<th scope=\"row\">TH-10-2025</th>"));
	free(html);
	html = report("th", 0, NULL, NULL);
	assert_non_null(strstr(html, "สิทธิแรงงาน"));
	row_of(html, "s1", "เมียนมา → ไทย", row, sizeof(row));
	assert_string_equal(row, "THB|3|3440.00");
	/* the welfare table in Thai too, its sources marked English */
	assert_non_null(strstr(html, "ประกันสังคมสำหรับแรงงานข้ามชาติ"));
	assert_non_null(strstr(html, "<span lang=\"en\">Social Security Act"));
	assert_null(strstr(html, "Migrants covered"));
	free(html);
	html = report("my", 0, NULL, NULL);
	assert_non_null(strstr(html, "ပေးရန်ကျန်ရှိသော လုပ်ခလစာ"));
	assert_non_null(strstr(html, "lang=\"my\""));
	assert_non_null(strstr(html, "ရွှေ့ပြောင်းအလုပ်သမားများ အကျုံးဝင်မှု"));
	free(html);
}

static void test_csv_dir(void **state)
{
	char dir[200], path[300], text[4096];
	char *html;
	size_t n;
	FILE *fp;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/csv", db.dir);
	html = report("en", 0, NULL, dir);
	free(html);
	snprintf(path, sizeof(path), "%s/01-wages-owed-by-corridor.csv", dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	assert_non_null(strstr(text, "corridor,currency,records,owed\n"));
	assert_non_null(strstr(text, "MM-TH,THB,3,3440.00\n"));
	snprintf(path, sizeof(path), "%s/03-recruitment-burden-by-corridor.csv",
		 dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	assert_non_null(strstr(
		text, "LA-TH,1,200.0,200.0,0.00,THB,TH-2016-ZERO,1,1\n"));
	snprintf(path, sizeof(path), "%s/04-reference-figures-used.csv", dir);
	assert_int_equal(access(path, R_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_internal_figures),
		cmocka_unit_test(test_public_withholds),
		cmocka_unit_test(test_period_and_languages),
		cmocka_unit_test(test_csv_dir),
	};

	return cmocka_run_group_tests(tests, setup_group, teardown);
}
