/*
 * test_report.c - reports (src/lib/report.c) and their charts
 * (src/lib/svg.c).
 *
 * What matters most here: a report says only counts, codes and vocabulary
 * labels (never a name or any other free text of the records), a public
 * report never shows a figure that disclosure control withheld, the HTML
 * is self-contained and well formed whatever the labels hold, and the
 * figures are right: the IOM Missing Migrants totals are checked against
 * the file itself.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/csv.h"
#include "mrm/report.h"
#include "mrm/svg.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IOM_CSV "tests/data/iom-missing-migrants-2014-2019.csv"
#define NAME	"Maung Aung Kyaw"
#define NAME_MY "မောင်အောင်ကျော်"
#define SECRET	"Secret narrative: beaten at the pier"
#define SCRIPT	"<script>alert(1)</script>"
#define WHEN	((time_t)1700000000) /* 2023-11-14 22:13:20 UTC */

/*
 * Small documentation with every section of add-monitoring filled:
 * arrests 120 (2018), 30 + 1 + 40 (2019), 3 (2021); detentions of 1, 40, 12
 * and 3 people; deportations at three checkpoints; returns of 40 and 12.
 */
static const char fixture_csv[] =
	"event.key,event.title,event.summary,event.narrative,event.start_date,"
	"event.country,event.place,act.type,act.start_date,act.end_date,"
	"deportation.checkpoint,perpetrator.type,perpetrator.name,victim.key,"
	"victim.unit,victim.group_size,victim.name,victim.contact,"
	"victim.nationality\n"
	"e1,Raid on a fishing pier in Samut Sakhon,Workers taken,,2018-05-03,"
	"TH,Mahachai pier,arrest,2018-05-03,,,police,Sergeant Somchai,g1,group,"
	"120,,,MM\n"
	"e2,Raid two,,,2019-02-10,TH,,arrest,2019-02-10,,,immigration,,g2,"
	"group,30,,,KH\n"
	"e3,Arrest of one worker,,\"" SECRET "\",2019-03-02,TH,,arrest,"
	"2019-03-02,,,police,,v1,individual,1," NAME ",+66 81 234 5678,MM\n"
	"e3,Arrest of one worker,,,2019-03-02,TH,,detention,2019-03-02,"
	"2019-03-20,,,,v1,individual,1," NAME ",,MM\n"
	"e3,Arrest of one worker,,,2019-03-02,TH,,deportation,2019-03-25,,"
	"th-ranong,,,v1,individual,1," NAME ",,MM\n"
	"e4,Raid four,,,2019-06-14,TH,,arrest,2019-06-14,,,police,,g4,group,"
	"40,,,MM\n"
	"e4,Raid four,,,2019-06-14,TH,,detention,2019-06-14,2019-07-13,,,,g4,"
	"group,40,,,MM\n"
	"e4,Raid four,,,2019-06-14,TH,,deportation,2019-07-14,,th-maesot,,,"
	"g4,group,40,,,MM\n"
	"e4,Raid four,,,2019-06-14,TH,,return_reception,2019-07-14,,,,,g4,"
	"group,40,,,MM\n"
	"e5,Raid five,,,2019-05-01,TH,,detention,2019-05-01,2019-05-10,,,,g5,"
	"group,12,,,KH\n"
	"e5,Raid five,,,2019-05-01,TH,,deportation,2019-05-11,,"
	"th-aranyaprathet,,,g5,group,12,,,KH\n"
	"e5,Raid five,,,2019-05-01,TH,,return_reception,2019-05-11,,,,,g5,"
	"group,12,,,KH\n"
	"e6,Small raid,,,2021-01-05,TH,,arrest,2021-01-05,,,police,,g6,group,3,"
	"" NAME_MY ",,LA\n"
	"e6,Small raid,,,2021-01-05,TH,,detention,2021-01-05,2021-01-09,,,,g6,"
	"group,3," NAME_MY ",,LA\n";

/* Text of the records that must never reach a report. */
static const char *const never[] = {
	NAME,	   NAME_MY,	SECRET,		 "Samut Sakhon", "Mahachai",
	"Somchai", "Raid four", "Workers taken", "+66 81",
};

struct fx {
	struct tdb t;
	struct mrm_mapping *map;
	char *html;
	size_t len;
	char csvdir[128];
	struct mrm_error err;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	tdb_open(&f->t);
	*state = f;
	return 0;
}

static int setup_fixture(void **state)
{
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct fx *f;

	setup(state);
	f = *state;
	assert_int_equal(tdb_import(&f->t, "fixture.csv", fixture_csv, NULL,
				    &stats, &probs, &f->err),
			 0);
	assert_int_equal(probs.n, 0);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->html);
	mrm_mapping_free(f->map);
	tdb_close(&f->t);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Write a report into f->html; returns mrm_report_write's result. */
static int report(struct fx *f, const char *tmpl, const char *lang, int public,
		  unsigned k, const char *csv_dir)
{
	struct mrm_report_opts o = {0};
	FILE *fp;
	int rc;

	free(f->html);
	f->html = NULL;
	fp = open_memstream(&f->html, &f->len);
	assert_non_null(fp);
	o.template_name = tmpl;
	o.lang = lang;
	o.public = public;
	o.k = k;
	o.csv_dir = csv_dir;
	o.generated = WHEN;
	rc = mrm_report_write(f->t.st, &o, fp, &f->err);
	assert_int_equal(fclose(fp), 0);
	if (rc)
		print_message("report: %s: %s\n", f->err.where, f->err.msg);
	return rc;
}

static int void_element(const char *name, size_t n)
{
	static const char *const v[] = {"meta", "link",	 "br",	"hr",
					"img",	"input", "col", "wbr"};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strlen(v[i]) == n && !strncmp(v[i], name, n))
			return 1;
	return 0;
}

/*
 * Every '<' opens a tag, a closing tag or a declaration; tags nest and
 * close in order (void HTML elements and "/>" need no closing tag); no
 * '>' stands in text. Fails the test with the place otherwise.
 */
static void check_tags(const char *s)
{
	const char *stack[256];
	size_t len[256], depth = 0;

	for (const char *p = s; *p;) {
		const char *end, *name;
		size_t n;
		int closing;

		if (*p == '>')
			fail_msg("stray '>' at offset %zu", (size_t)(p - s));
		if (*p != '<') {
			p++;
			continue;
		}
		end = strchr(p, '>');
		assert_non_null(end);
		if (p[1] == '!') {
			p = end + 1;
			continue;
		}
		closing = p[1] == '/';
		name = p + 1 + closing;
		if (!((*name >= 'a' && *name <= 'z') ||
		      (*name >= 'A' && *name <= 'Z')))
			fail_msg("'<' that opens no tag at offset %zu: %.20s",
				 (size_t)(p - s), p);
		for (n = 0; name[n] && name[n] != ' ' && name[n] != '>' &&
			    name[n] != '/' && name[n] != '\n';
		     n++)
			;
		assert_null(memchr(p + 1, '<', (size_t)(end - p - 1)));
		if (closing) {
			if (!depth || len[depth - 1] != n ||
			    strncmp(stack[depth - 1], name, n))
				fail_msg("</%.*s> at offset %zu closes <%.*s>",
					 (int)n, name, (size_t)(p - s),
					 depth ? (int)len[depth - 1] : 0,
					 depth ? stack[depth - 1] : "");
			depth--;
		} else if (end[-1] != '/' && !void_element(name, n)) {
			assert_true(depth < 256);
			stack[depth] = name;
			len[depth++] = n;
		}
		/* a style sheet holds no '<' but may hold '>' */
		if (!closing && n == 5 && !strncmp(name, "style", 5)) {
			end = strstr(end, "</style>");
			assert_non_null(end);
			p = end;
			continue;
		}
		p = end + 1;
	}
	if (depth)
		fail_msg("<%.*s> is never closed", (int)len[depth - 1],
			 stack[depth - 1]);
}

/* What every report must be. */
static void check_page(const char *html, size_t charts)
{
	const char *p;

	assert_memory_equal(html, "<!DOCTYPE html>", 15);
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(html, "<style>"));
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "size:A4"));
	assert_non_null(strstr(html, "Noto Sans Thai"));
	assert_non_null(strstr(html, "Noto Sans Myanmar"));
	assert_non_null(strstr(html, "Padauk"));
	assert_non_null(strstr(html, "Noto Sans Khmer"));
	assert_non_null(strstr(html, "Noto Sans Lao"));
	assert_non_null(strstr(html, "2023-11-14 22:13 UTC"));
	assert_int_equal(count(html, "<svg"), charts);
	assert_int_equal(count(html, "</svg>"), charts);
	assert_int_equal(count(html, "<title id=\"chart-"), charts);
	assert_int_equal(count(html, "<desc id=\"chart-"), charts);
	check_tags(html);
	/* self-contained: nothing is fetched, nothing runs */
	assert_null(strstr(html, "http"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "@font-face"));
	for (p = html; (p = strstr(p, "url(")); p += 4)
		assert_int_equal(p[4], '#');
	for (p = html; (p = strstr(p, "href=\"")); p += 6)
		assert_int_equal(p[6], '#');
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strstr(html, never[i]))
			fail_msg("the report holds \"%s\"", never[i]);
}

/* The section with id `id` ("s1"), as a malloc'd string. */
static char *section(const char *html, const char *id)
{
	char open[96];
	const char *a, *b;

	snprintf(open, sizeof(open), "<section class=\"sec\" id=\"%s\">", id);
	a = strstr(html, open);
	assert_non_null(a);
	b = strstr(a, "</section>");
	assert_non_null(b);
	return strndup(a, (size_t)(b - a));
}

/* The text of the last cell of the table row headed `row` in `html`. */
static void row_total(const char *html, const char *row, char *out, size_t size)
{
	char head[128];
	const char *a, *end, *last = NULL;

	snprintf(head, sizeof(head), "<tr><th scope=\"row\">%s</th>", row);
	a = strstr(html, head);
	if (!a)
		fail_msg("no table row \"%s\"", row);
	end = strstr(a, "</tr>");
	assert_non_null(end);
	for (const char *p = a; (p = strstr(p, "<td")) && p < end; p++)
		last = p;
	assert_non_null(last);
	last = strchr(last, '>') + 1;
	snprintf(out, size, "%.*s", (int)(strstr(last, "</td>") - last), last);
}

/* ---- add-monitoring ---- */

static void test_add_monitoring_figures(void **state)
{
	struct fx *f = *state;
	char *s;

	assert_int_equal(report(f, "add-monitoring", "en", 0, 0, NULL), 0);
	check_page(f->html, 6); /* seven sections, one a table only */
	assert_non_null(strstr(f->html, "<html lang=\"en\">"));
	assert_non_null(strstr(f->html, "Internal edition"));
	assert_non_null(strstr(f->html, "MKN-TH")); /* the credit */

	s = section(f->html, "s1"); /* arrests by year, a line */
	assert_non_null(strstr(s, "<path"));
	assert_non_null(strstr(s, "<tr><th scope=\"row\">2018</th>"
				  "<td class=\"num\">120</td></tr>"));
	assert_non_null(strstr(s, "<tr><th scope=\"row\">2019</th>"
				  "<td class=\"num\">71</td></tr>"));
	/* a year with nothing is a zero, not a gap */
	assert_non_null(strstr(s, "<tr><th scope=\"row\">2020</th>"
				  "<td class=\"num\">0</td></tr>"));
	assert_non_null(strstr(s, "<tr><th scope=\"row\">Total</th>"
				  "<td class=\"num\">194</td></tr>"));
	free(s);

	s = section(f->html, "s2"); /* perpetrators of arrests */
	assert_non_null(strstr(s, "<th scope=\"row\">Police</th>"
				  "<td class=\"num\">164</td>"));
	free(s);

	s = section(f->html, "s4"); /* detention days */
	assert_null(strstr(s, "<svg"));
	assert_non_null(strstr(s, "<th scope=\"row\">Myanmar</th>"
				  "<td class=\"num\">2</td>"
				  "<td class=\"num\">24.5</td>"
				  "<td class=\"num\">24.5</td>"
				  "<td class=\"num\">30.0</td>"));
	free(s);

	s = section(f->html, "s5"); /* deportations by checkpoint */
	assert_non_null(strstr(s, "Mae Sot"));
	assert_non_null(strstr(s, "<td class=\"num\">40</td>"));
	assert_non_null(strstr(s, "<td class=\"num\">53</td>"));
	free(s);

	/* by month and nationality, stacked: the nationalities in vocabulary
	 * order, so that each keeps its colour from chart to chart */
	s = section(f->html, "s6");
	assert_non_null(strstr(s, "<th scope=\"col\" class=\"num\">Cambodia"
				  "</th><th scope=\"col\" class=\"num\">"
				  "Myanmar</th>"));
	assert_non_null(strstr(s, "<tr><th scope=\"row\">2019-05</th>"
				  "<td class=\"num\">12</td>"
				  "<td class=\"num\">0</td>"
				  "<td class=\"num\">12</td></tr>"));
	/* a month with nothing is a row of zeros, not a gap */
	assert_non_null(strstr(s, "<tr><th scope=\"row\">2019-04</th>"
				  "<td class=\"num\">0</td>"
				  "<td class=\"num\">0</td>"
				  "<td class=\"num\">0</td></tr>"));
	free(s);

	s = section(f->html, "s7"); /* returns */
	assert_non_null(strstr(s, "<th scope=\"row\">Myanmar</th>"
				  "<td class=\"num\">40</td>"));
	assert_non_null(strstr(s, "<th scope=\"row\">Cambodia</th>"
				  "<td class=\"num\">12</td>"));
	free(s);
}

static void test_add_monitoring_languages(void **state)
{
	struct fx *f = *state;

	assert_int_equal(report(f, "add-monitoring", "th", 0, 0, NULL), 0);
	check_page(f->html, 6);
	assert_non_null(strstr(f->html, "<html lang=\"th\">"));
	assert_non_null(strstr(f->html, "การจับกุม")); /* report text */
	assert_non_null(strstr(f->html, "เมียนมา"));  /* vocabulary */
	assert_null(strstr(f->html, ">Myanmar<"));
	assert_null(strstr(f->html, "Persons"));

	assert_int_equal(report(f, "add-monitoring", "my", 0, 0, NULL), 0);
	check_page(f->html, 6);
	assert_non_null(strstr(f->html, "<html lang=\"my\">"));
	assert_non_null(strstr(f->html, "ဖမ်းဆီးခံရသူ"));
	assert_non_null(strstr(f->html, "မြန်မာ"));
	assert_non_null(strstr(f->html, "ကမ္ဘောဒီးယား"));
	assert_null(strstr(f->html, ">Cambodia<"));
	/* Unicode Burmese, not Zawgyi: none of U+1060..U+1097, where Zawgyi
	 * puts its stacked and positional forms (in Unicode they belong to
	 * Mon, Karen and Shan, never to Burmese) */
	for (const unsigned char *p = (const unsigned char *)f->html; *p; p++)
		if (p[0] == 0xe1 && ((p[1] == 0x81 && p[2] >= 0xa0) ||
				     (p[1] == 0x82 && p[2] <= 0x97)))
			fail_msg("a Zawgyi code point in the Burmese report");
}

static void test_public_withholds(void **state)
{
	struct fx *f = *state;
	char *s;

	assert_int_equal(report(f, "add-monitoring", "en", 1, 0, NULL), 0);
	check_page(f->html, 6);
	assert_non_null(strstr(f->html, "Public edition"));
	/* the note that explains the marks, visible */
	assert_non_null(strstr(f->html, "<p class=\"note public\">"));
	assert_non_null(strstr(f->html, "fewer than 5 people is shown as "
					"&quot;&lt;5&quot;"));
	assert_non_null(strstr(f->html, "shown as &quot;x&quot;"));
	s = section(f->html, "s1");
	/* 3 people arrested in 2021: "<5" in the table and the chart */
	assert_non_null(strstr(s, "<tr><th scope=\"row\">2021</th>"
				  "<td class=\"num withheld\">&lt;5</td>"));
	assert_non_null(strstr(s, "2021: &lt;5</title>"));
	assert_null(strstr(s, ">3<"));
	assert_null(strstr(s, ": 3<"));
	assert_non_null(strstr(s, "-hatch)"));
	free(s);
	/* the 3 Laotians detained, and the 1 deported through Ranong */
	s = section(f->html, "s3");
	assert_non_null(strstr(s, "<th scope=\"row\">Laos</th>"
				  "<td class=\"num withheld\">&lt;5</td>"));
	assert_null(strstr(s, ">3<"));
	free(s);
	s = section(f->html, "s5");
	assert_null(strstr(s, ">1<"));
	assert_null(strstr(s, ": 1<"));
	free(s);
	/* no small count of people in any table (the detention-days table
	 * counts detentions, not people, and is left out) */
	for (int i = 1; i <= 7; i++) {
		char id[8];

		if (i == 4)
			continue;
		snprintf(id, sizeof(id), "s%d", i);
		s = section(f->html, id);
		for (int n = 1; n < 5; n++) {
			char cell[48];

			snprintf(cell, sizeof(cell),
				 "<td class=\"num\">%d</td>", n);
			assert_null(strstr(s, cell));
		}
		free(s);
	}

	/* a higher threshold */
	assert_int_equal(report(f, "add-monitoring", "th", 1, 20, NULL), 0);
	check_page(f->html, 6);
	assert_non_null(strstr(f->html, "&lt;20"));
	assert_null(strstr(f->html, "<td class=\"num\">12</td>"));
}

/* A label that holds markup is shown as text, in tables and charts. */
static void test_labels_escaped(void **state)
{
	struct fx *f = *state;
	struct mrm_error err;

	assert_int_equal(sqlite3_exec(mrm_store_db(f->t.st),
				      "UPDATE vocab SET en = '" SCRIPT "'"
				      " WHERE scheme = 'country' AND code = "
				      "'KH'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	mrm_store_close(f->t.st);
	assert_int_equal(mrm_store_open(&f->t.st, f->t.path, &err), 0);
	assert_int_equal(report(f, "add-monitoring", "en", 0, 0, NULL), 0);
	check_page(f->html, 6);
	assert_null(strstr(f->html, SCRIPT));
	assert_non_null(strstr(f->html, "<th scope=\"row\">&lt;script&gt;alert"
					"(1)&lt;/script&gt;</th>"));
	assert_non_null(strstr(f->html, "&lt;script&gt;alert(1)&lt;/script&gt;"
					": 12</title>"));
}

static void test_csv_dir(void **state)
{
	struct fx *f = *state;
	char path[256], *text;
	struct stat sb;

	snprintf(f->csvdir, sizeof(f->csvdir), "%s/tables", f->t.dir);
	assert_int_equal(report(f, "add-monitoring", "en", 1, 0, f->csvdir), 0);
	assert_int_equal(stat(f->csvdir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	snprintf(path, sizeof(path), "%s/01-arrests-by-year.csv", f->csvdir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	text = slurp(path, NULL);
	assert_non_null(text);
	assert_string_equal(text, "year,value\n2018,120\n2019,x\n2021,<5\n"
				  "*,194\n");
	free(text);
	snprintf(path, sizeof(path),
		 "%s/06-deportations-by-month-nationality.csv", f->csvdir);
	text = slurp(path, NULL);
	assert_non_null(text);
	/* codes, not labels */
	assert_non_null(strstr(text, "month,nationality,value\n"));
	/* (its value may be withheld to protect the small cells around it) */
	assert_non_null(strstr(text, "\n2019-05,KH,"));
	free(text);
	snprintf(path, sizeof(path), "%s/07-returns-by-nationality.csv",
		 f->csvdir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void test_period(void **state)
{
	struct fx *f = *state;
	struct mrm_report_opts o = {0};
	char *s;
	FILE *fp;

	free(f->html);
	fp = open_memstream(&f->html, &f->len);
	o.template_name = "add-monitoring";
	o.from = "2019";
	o.to = "2019-12";
	o.generated = WHEN;
	assert_int_equal(mrm_report_write(f->t.st, &o, fp, &f->err), 0);
	fclose(fp);
	check_page(f->html, 6);
	assert_non_null(strstr(f->html, "Period: 2019 to 2019-12"));
	s = section(f->html, "s1");
	assert_null(strstr(s, "2018"));
	assert_non_null(strstr(s, "<tr><th scope=\"row\">Total</th>"
				  "<td class=\"num\">71</td></tr>"));
	free(s);
}

static void test_unknown_template_and_language(void **state)
{
	struct fx *f = *state;
	char dir[160];
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s/none", f->t.dir);
	assert_int_equal(report(f, "add-monitoringg", "en", 0, 0, dir),
			 MRM_ERR_INVALID);
	assert_non_null(
		strstr(f->err.msg, "add-monitoring, deaths-and-missing"));
	assert_int_equal(f->len, 0); /* nothing written */
	assert_int_not_equal(stat(dir, &sb), 0);
	assert_int_equal(report(f, NULL, "en", 0, 0, NULL), MRM_ERR_INVALID);
	assert_int_equal(report(f, "deaths-and-missing", "km", 0, 0, NULL),
			 MRM_ERR_INVALID);
	assert_non_null(strstr(f->err.msg, "en, th, my"));
	assert_int_equal(f->len, 0);
	assert_int_equal(report(f, "add-monitoring", "en", 1, 1, NULL),
			 MRM_ERR_INVALID);
	assert_int_equal(f->len, 0);
}

/* ---- deaths-and-missing on the IOM file ---- */

struct iom_year {
	int year;
	uint64_t total;
};

/* Sum of "Total Dead and Missing" in Southeast Asia per "Reported Year",
 * read from the file with the CSV reader. Returns the number of years. */
static size_t iom_sea_totals(struct iom_year *out, size_t max)
{
	struct mrm_csv_reader *r = NULL;
	struct mrm_error err;
	FILE *fp = fopen(tsrc(IOM_CSV), "rb");
	size_t region = (size_t)-1, year = (size_t)-1, total = (size_t)-1;
	size_t n = 0;
	int got;

	assert_non_null(fp);
	assert_int_equal(mrm_csv_reader_new(&r, fp, IOM_CSV, NULL, &err), 0);
	assert_int_equal(mrm_csv_next(r, &err), 1);
	for (size_t i = 0; i < mrm_csv_nfields(r); i++) {
		const char *h = mrm_csv_field(r, i, NULL);

		if (!strcmp(h, "Region of Incident"))
			region = i;
		else if (!strcmp(h, "Reported Year"))
			year = i;
		else if (!strcmp(h, "Total Dead and Missing"))
			total = i;
	}
	assert_true(region != (size_t)-1 && year != (size_t)-1 &&
		    total != (size_t)-1);
	while ((got = mrm_csv_next(r, &err)) == 1) {
		int y;
		size_t k;

		if (strcmp(mrm_csv_field(r, region, NULL), "Southeast Asia"))
			continue;
		y = atoi(mrm_csv_field(r, year, NULL));
		for (k = 0; k < n && out[k].year != y; k++)
			;
		if (k == n) {
			assert_true(n < max);
			out[n++] = (struct iom_year){y, 0};
		}
		out[k].total +=
			strtoull(mrm_csv_field(r, total, NULL), NULL, 10);
	}
	assert_int_equal(got, 0);
	mrm_csv_reader_free(r);
	fclose(fp);
	return n;
}

static int setup_iom(void **state)
{
	struct mrm_import_opts opts = {0};
	struct mrm_import_stats stats;
	struct mrm_error err;
	struct fx *f;
	char *text;

	setup(state);
	f = *state;
	assert_int_equal(mrm_org_add(f->t.st, "IOM",
				     "International Organization for Migration",
				     "CH", &err),
			 0);
	assert_int_equal(
		mrm_mapping_load(&f->map, "iom-missing-migrants", &err), 0);
	opts.mapping = f->map;
	opts.org = "IOM";
	text = slurp(tsrc(IOM_CSV), NULL);
	assert_non_null(text);
	assert_int_equal(
		tdb_import(&f->t, IOM_CSV, text, &opts, &stats, NULL, &err), 0);
	free(text);
	return 0;
}

static void test_deaths_and_missing(void **state)
{
	struct fx *f = *state;
	struct iom_year years[32];
	size_t n = iom_sea_totals(years, 32);
	char *sea, got[64], want[32], row[8];

	/* the figures the file publishes, 2014 to 2019 */
	static const int published[] = {814, 789, 187, 301, 102, 143};

	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(years[i].total,
				 published[years[i].year - 2014]);

	assert_int_equal(report(f, "deaths-and-missing", "en", 0, 0, NULL), 0);
	check_page(f->html, 2);
	assert_non_null(strstr(f->html, "IOM Missing Migrants Project, "
					"missingmigrants.iom.int, CC BY 4.0"));
	assert_non_null(strstr(f->html, "excludes deaths in detention, during "
					"deportation and after return"));
	sea = section(f->html, "s1");
	assert_non_null(strstr(sea, "Death"));
	assert_non_null(strstr(sea, "Missing person"));
	for (size_t i = 0; i < n; i++) {
		snprintf(row, sizeof(row), "%d", years[i].year);
		snprintf(want, sizeof(want), "%llu",
			 (unsigned long long)years[i].total);
		row_total(sea, row, got, sizeof(got));
		assert_string_equal(got, want);
	}
	free(sea);

	/* the same in Thai and Burmese; the credit stays as IOM asks */
	assert_int_equal(report(f, "deaths-and-missing", "th", 0, 0, NULL), 0);
	check_page(f->html, 2);
	assert_non_null(strstr(f->html, "missingmigrants.iom.int, CC BY 4.0"));
	assert_non_null(strstr(f->html, "เอเชียตะวันออกเฉียงใต้"));
	assert_non_null(strstr(f->html, "ไม่นับรวมการเสียชีวิตระหว่างถูกกักขัง"));
	assert_int_equal(report(f, "deaths-and-missing", "my", 1, 0, NULL), 0);
	check_page(f->html, 2);
	assert_non_null(strstr(f->html, "missingmigrants.iom.int, CC BY 4.0"));
	assert_non_null(strstr(f->html, "အရှေ့တောင်အာရှ"));
	sea = section(f->html, "s1");
	row_total(sea, "2014", got, sizeof(got));
	assert_string_equal(got, "814");
	free(sea);
}

/* ---- charts alone ---- */

static const char *const cats[] = {"2017", "2018", "2019"};

static void test_svg_withheld_never_a_number(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(1 << 20);
	struct mrm_svg_value v[] = {{120, NULL}, {3, "<5"}, {9, "x"}};
	struct mrm_svg_series s = {"Persons", v};
	struct mrm_svg_chart c = {"c1", "T", "D", "Persons", "Year",	cats,
				  3,	&s,  1,	  NULL,	     "withheld"};

	(void)state;
	for (int kind = 0; kind < 3; kind++) {
		mrm_buf_reset(&b);
		assert_int_equal(kind == 0   ? mrm_svg_bars(&b, &c)
				 : kind == 1 ? mrm_svg_stacked(&b, &c)
					     : mrm_svg_line(&b, &c),
				 0);
		check_tags(b.ptr);
		assert_int_equal(count(b.ptr, "<svg"), 1);
		assert_non_null(strstr(b.ptr, "<title id=\"c1-t\">T</title>"));
		assert_non_null(strstr(b.ptr, "<desc id=\"c1-d\">D</desc>"));
		assert_non_null(strstr(b.ptr, "aria-labelledby=\"c1-t c1-d\""));
		assert_non_null(strstr(b.ptr, "url(#c1-hatch)"));
		assert_non_null(strstr(b.ptr, "&lt;5"));
		assert_non_null(strstr(b.ptr, ">x<"));
		assert_non_null(strstr(b.ptr, "120"));
		assert_non_null(strstr(b.ptr, ">withheld<"));
		/* the withheld values are not in the chart */
		assert_null(strstr(b.ptr, ">3<"));
		assert_null(strstr(b.ptr, ">9<"));
		assert_null(strstr(b.ptr, ": 3<"));
		assert_null(strstr(b.ptr, ": 9<"));
		assert_null(strstr(b.ptr, "http"));
	}
	mrm_buf_release(&b);
}

static void test_svg_stacked_legend(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(1 << 20);
	struct mrm_svg_value d[] = {{16, NULL}, {297, NULL}, {2, "<5"}};
	struct mrm_svg_value m[] = {{798, NULL}, {492, NULL}, {5, NULL}};
	struct mrm_svg_value t[] = {{814, NULL}, {789, NULL}, {7, NULL}};
	struct mrm_svg_series s[] = {{"Death", d}, {"Missing & <lost>", m}};
	struct mrm_svg_chart c = {
		"c2", "Dead & missing", "D", "Year", "Persons", cats, 3, s, 2,
		t,    "withheld"};

	(void)state;
	assert_int_equal(mrm_svg_stacked(&b, &c), 0);
	check_tags(b.ptr);
	assert_non_null(strstr(b.ptr, ">814<"));
	assert_non_null(strstr(b.ptr, ">Death<"));
	assert_non_null(strstr(b.ptr, ">Missing &amp; &lt;lost&gt;<"));
	assert_non_null(strstr(b.ptr, "Dead &amp; missing"));
	assert_null(strstr(b.ptr, ": 2<"));
	mrm_buf_reset(&b);
	assert_int_equal(mrm_svg_line(&b, &c), 0);
	check_tags(b.ptr);
	assert_int_equal(count(b.ptr, "<path"), 2);
	mrm_buf_release(&b);
}

static void test_svg_long_labels_cut_whole(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(1 << 20);
	const char *labels[] = {
		"ကမ္ဘောဒီးယား ကမ္ဘောဒီးယား ကမ္ဘောဒီးယား ကမ္ဘောဒီးယား ကမ္ဘောဒီးယား "
		"ကမ္ဘောဒီးယား ကမ္ဘောဒီးယား",
		"จุดผ่านแดนบ้านคลองลึก อรัญประเทศ–ปอยเปต จุดผ่านแดนบ้านคลองลึก "
		"อรัญประเทศ–ปอยเปต",
	};
	struct mrm_svg_value v[] = {{1, NULL}, {2, NULL}};
	struct mrm_svg_series s = {"n", v};
	struct mrm_svg_chart c = {"c3", "T", "D", NULL, NULL, labels,
				  2,	&s,  1,	  NULL, NULL};
	const char *p;

	(void)state;
	assert_int_equal(mrm_svg_bars(&b, &c), 0);
	check_tags(b.ptr);
	/* cut, with the whole label as a tooltip */
	assert_int_equal(count(b.ptr, "\xe2\x80\xa6<title>"), 2);
	/* never in front of a mark: what precedes the ellipsis ends a
	 * cluster, so the next code point in the label is not a mark */
	for (p = b.ptr; (p = strstr(p, "\xe2\x80\xa6<title>")); p++) {
		const unsigned char *q = (const unsigned char *)p - 3;

		/* U+1039 (the Burmese stacker) never ends a cut label */
		assert_false(q[0] == 0xe1 && q[1] == 0x80 && q[2] == 0xb9);
	}
	assert_true(mrm_svg_text_width("ကမ္ဘောဒီးယား", 12) > 40);
	assert_true(mrm_svg_text_width("abc", 12) < 30);
	mrm_buf_release(&b);
}

static void test_svg_errors(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(300);
	struct mrm_svg_value v[] = {{1, NULL}, {2, NULL}, {3, NULL}};
	struct mrm_svg_series s = {"n", v};
	struct mrm_svg_chart c = {"c4", "T", "D", NULL, NULL, cats,
				  3,	&s,  1,	  NULL, NULL};

	(void)state;
	assert_int_equal(mrm_buf_adds(&b, "before"), 0);
	/* over the buffer's cap: an error, and the buffer as it was */
	assert_int_equal(mrm_svg_bars(&b, &c), MRM_ERR_LIMIT);
	assert_string_equal(b.ptr, "before");
	assert_int_equal(mrm_svg_line(&b, &c), MRM_ERR_LIMIT);
	assert_string_equal(b.ptr, "before");
	c.ncats = 0;
	assert_int_equal(mrm_svg_stacked(&b, &c), MRM_ERR_INVALID);
	assert_string_equal(b.ptr, "before");
	mrm_buf_reset(&b);
	assert_int_equal(mrm_svg_escape(&b, "a<b>&\"c'\x01"), 0);
	assert_string_equal(b.ptr, "a&lt;b&gt;&amp;&quot;c&#39;");
	mrm_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_withheld_never_a_number),
		cmocka_unit_test(test_svg_stacked_legend),
		cmocka_unit_test(test_svg_long_labels_cut_whole),
		cmocka_unit_test(test_svg_errors),
		cmocka_unit_test_setup_teardown(test_add_monitoring_figures,
						setup_fixture, teardown),
		cmocka_unit_test_setup_teardown(test_add_monitoring_languages,
						setup_fixture, teardown),
		cmocka_unit_test_setup_teardown(test_public_withholds,
						setup_fixture, teardown),
		cmocka_unit_test_setup_teardown(test_labels_escaped,
						setup_fixture, teardown),
		cmocka_unit_test_setup_teardown(test_csv_dir, setup_fixture,
						teardown),
		cmocka_unit_test_setup_teardown(test_period, setup_fixture,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_unknown_template_and_language, setup_fixture,
			teardown),
		cmocka_unit_test_setup_teardown(test_deaths_and_missing,
						setup_iom, teardown),
	};

	return cmocka_run_group_tests_name("test_report", tests, NULL, NULL);
}
