/*
 * test_stats.c - the statistics engine (src/lib/stats.c, stats_cells.c,
 * disclosure.c, facts.c).
 *
 * People are counted, not rows; every dimension lands each act where it
 * belongs; filters and periods take each date at its own precision; days
 * in detention and money are summed as documented; bad queries are refused
 * with the valid choices, closest first; published tables give nobody
 * away, checked by attacking them as a reader would (subtraction, linear
 * algebra over all the published totals, and the bounds "<5" and "x"
 * reveal); the IOM Missing Migrants figures match the file; the fact cache
 * is never stale.
 *
 * Every expected figure is worked out by hand from the small CSV fixture
 * next to it (the IOM ones from the CSV file itself). Each test gets a
 * fresh database from setup(); the last answer hangs in `res`, so that
 * teardown frees it even when an assertion fails.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/csv.h"
#include "mrm/stats.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define IOM_CSV "tests/data/iom-missing-migrants-2014-2019.csv"

/* ==== the fixture ==== */

/* What a reader of a published table knows of each cell (section 7), and
 * the equations the published totals make. */
#define INF INT64_MAX

struct eqn {
	size_t parent;
	size_t *child;
	size_t nchild;
};

struct reader {
	const struct mrm_stats_result *r;
	int64_t *lo, *hi; /* each cell is in [lo, hi] */
	struct eqn *eq;
	size_t neq;
};

static struct tdb db;
static struct mrm_stats_result *res; /* the last answer */
static struct reader live;	     /* the reader of the answer attacked */
static struct mrm_error err;

static int setup(void **state)
{
	(void)state;
	tdb_open(&db);
	res = NULL;
	return 0;
}

static void reader_free(struct reader *rd);

static int teardown(void **state)
{
	(void)state;
	reader_free(&live);
	mrm_stats_result_free(res);
	res = NULL;
	tdb_close(&db);
	return 0;
}

/* Import CSV text into the test database; it must land. */
static void load(const char *csv)
{
	struct mrm_import_stats stats;
	struct tproblems probs;
	int rc =
		tdb_import(&db, "fixture.csv", csv, NULL, &stats, &probs, &err);

	if (rc)
		print_error("import: %s\n%s", err.msg, probs.text);
	assert_int_equal(rc, 0);
}

/* ==== queries ==== */

#define NWHERE 4

/* A query as a test writes it: RUN(.measure = "persons", .by = "year"). */
struct q {
	const char *measure, *by, *from, *to, *as_of;
	const char *where[NWHERE];
	int public;
	unsigned k;
};

/* Run `q` on `st` into `*out`; returns the engine's code (message in
 * err). */
static int run_on(struct mrm_store *st, struct q q,
		  struct mrm_stats_result **out)
{
	struct mrm_stats_query sq = {0};

	sq.measure = q.measure;
	sq.by = q.by;
	sq.from = q.from;
	sq.to = q.to;
	sq.as_of = q.as_of;
	sq.public = q.public;
	sq.k = q.k;
	while (sq.nwhere < NWHERE && q.where[sq.nwhere]) {
		sq.where[sq.nwhere] = q.where[sq.nwhere];
		sq.nwhere++;
	}
	mrm_error_clear(&err);
	return mrm_stats_run(st, &sq, out, &err);
}

/* Run `q` into `res`. */
static int try_run(struct q q)
{
	mrm_stats_result_free(res);
	res = NULL;
	return run_on(db.st, q, &res);
}

static const struct mrm_stats_result *run(struct q q)
{
	int rc = try_run(q);

	if (rc)
		print_error("mrm_stats_run: %s: %s\n", err.where, err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(res);
	return res;
}

/*
 * Does `q` come back at all? Asked in a child process on a connection of
 * its own, so that a crash fails the test instead of ending the program.
 */
static void survives(struct q q)
{
	int status = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct mrm_stats_result *r = NULL;
		struct mrm_store *st = NULL;
		int rc = mrm_store_open(&st, db.path, &err);

		if (!rc)
			rc = run_on(st, q, &r);
		_exit(rc ? 1 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		fail_msg("mrm_stats_run (measure %s, by %s) crashed: signal %d",
			 q.measure, q.by ? q.by : "-", WTERMSIG(status));
	if (WEXITSTATUS(status))
		fail_msg("mrm_stats_run (measure %s, by %s) failed or was "
			 "stopped by a sanitizer",
			 q.measure, q.by ? q.by : "-");
}

#define RUN(...) run((struct q){__VA_ARGS__})
#define TRY(...) try_run((struct q){__VA_ARGS__})
/* RUN, once it is known not to crash */
#define SAFE_RUN(...)                                                          \
	do {                                                                   \
		survives((struct q){__VA_ARGS__});                             \
		RUN(__VA_ARGS__);                                              \
	} while (0)

/* ==== reading an answer ==== */

static int is_all(const char *key)
{
	return !strcmp(key, MRM_STATS_ALL);
}

/* How many dimensions of `c` are summed over. */
static size_t level(const struct mrm_stats_result *r,
		    const struct mrm_stats_cell *c)
{
	size_t n = 0;

	for (size_t d = 0; d < r->ndims; d++)
		n += is_all(c->key[d]) ? 1 : 0;
	return n;
}

/* Are a and b the same but for dimension d? */
static int same_but(const struct mrm_stats_result *r,
		    const struct mrm_stats_cell *a,
		    const struct mrm_stats_cell *b, size_t d)
{
	for (size_t e = 0; e < r->ndims; e++)
		if (e != d && strcmp(a->key[e], b->key[e]))
			return 0;
	return !r->money || !strcmp(a->currency, b->currency);
}

/* "MM|female|*", with the currency last for money: the name of a cell. */
static const char *cell_name(const struct mrm_stats_result *r,
			     const struct mrm_stats_cell *c)
{
	static char name[256];
	size_t len = 0;

	name[0] = '\0';
	for (size_t d = 0; d < r->ndims; d++)
		len += (size_t)snprintf(name + len, sizeof(name) - len, "%s%s",
					d ? "|" : "", c->key[d]);
	if (r->money)
		snprintf(name + len, sizeof(name) - len, "%s%s",
			 r->ndims ? "|" : "", c->currency);
	return name;
}

/* The cell named `name` (see cell_name), or NULL; never two. */
static const struct mrm_stats_cell *find(const struct mrm_stats_result *r,
					 const char *name)
{
	const struct mrm_stats_cell *found = NULL;

	for (size_t i = 0; i < r->ncells; i++) {
		if (strcmp(cell_name(r, &r->cells[i]), name))
			continue;
		if (found)
			fail_msg("two cells are named \"%s\"", name);
		found = &r->cells[i];
	}
	return found;
}

/* The value of cell `name` in `res`; -1 when there is no such cell. */
static int64_t val(const char *name)
{
	const struct mrm_stats_cell *c = find(res, name);

	return c ? c->value : -1;
}

/* The value of cell `name` as published ("814", "1500.50", "<5", "x"). */
static const char *text(const char *name)
{
	static char out[64];
	const struct mrm_stats_cell *c = find(res, name);

	if (!c)
		fail_msg("no cell \"%s\"", name);
	mrm_stats_value_text(res, c, out, sizeof(out));
	return out;
}

static void dump(const struct mrm_stats_result *r)
{
	char v[64];

	for (size_t i = 0; i < r->ncells; i++) {
		mrm_stats_value_text(r, &r->cells[i], v, sizeof(v));
		print_message("  %-40s %8s (value %lld, people %lld)\n",
			      cell_name(r, &r->cells[i]), v,
			      (long long)r->cells[i].value,
			      (long long)r->cells[i].people);
	}
}

/*
 * The answer holds exactly the cells of `spec` ("NAME=TEXT ..."; the text
 * as mrm_stats_value_text gives it), each once, and no other.
 */
static void expect_cells(const char *spec)
{
	char buf[4096], *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *tok = strtok_r(buf, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save), n++) {
		char *eq = strrchr(tok, '=');
		const struct mrm_stats_cell *c;

		assert_non_null(eq);
		*eq = '\0';
		c = find(res, tok);
		if (!c) {
			dump(res);
			fail_msg("no cell \"%s\" (want %s)", tok, eq + 1);
		}
		if (strcmp(text(tok), eq + 1)) {
			dump(res);
			fail_msg("cell \"%s\": want %s, got %s", tok, eq + 1,
				 text(tok));
		}
	}
	if (res->ncells != n) {
		dump(res);
		fail_msg("%zu cells, want %zu", res->ncells, n);
	}
}

/* The sum of the cells under subtotal p along dimension d. */
static int64_t sum_under(const struct mrm_stats_result *r,
			 const struct mrm_stats_cell *p, size_t d)
{
	int64_t sum = 0;

	for (size_t j = 0; j < r->ncells; j++)
		if (!is_all(r->cells[j].key[d]) &&
		    same_but(r, p, &r->cells[j], d))
			sum += r->cells[j].value;
	return sum;
}

/*
 * What every answer promises: full cells first, then subtotals, the grand
 * total(s) last; no two cells alike; for additive measures each subtotal is
 * the sum of the cells under it along every dimension summed over.
 */
static void check_structure(const struct mrm_stats_result *r, int additive)
{
	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *p = &r->cells[i];
		char name[256];

		snprintf(name, sizeof(name), "%s", cell_name(r, p));
		if (i)
			assert_true(level(r, &r->cells[i - 1]) <= level(r, p));
		for (size_t j = i + 1; j < r->ncells; j++)
			if (!strcmp(name, cell_name(r, &r->cells[j])))
				fail_msg("cell %s twice", name);
		for (size_t d = 0; additive && d < r->ndims; d++) {
			if (!is_all(p->key[d]) ||
			    sum_under(r, p, d) == p->value)
				continue;
			dump(r);
			fail_msg(
				"%s is %lld but its cells along %s sum to %lld",
				name, (long long)p->value, r->dims[d],
				(long long)sum_under(r, p, d));
		}
	}
	if (r->ncells)
		assert_int_equal(level(r, &r->cells[r->ncells - 1]), r->ndims);
}

/* ==== 1. counting people ==== */

static const char counting_csv[] =
	"event.key,event.title,event.start_date,event.country,act.type,"
	"victim.key,victim.unit,victim.group_size\n"
	/* a raid: one act, a group of 120 */
	"raid,Raid on a fishing pier,2016-03-02,TH,arrest,g120,group,120\n"
	/* one event, three arrests */
	"three,Three arrested,2016-04-01,TH,arrest,p1,individual,1\n"
	"three,Three arrested,2016-04-01,TH,arrest,p2,individual,1\n"
	"three,Three arrested,2016-04-01,TH,arrest,p3,individual,1\n"
	/* one event, acts of two types, one person */
	"two,Arrested and detained,2016-05-01,TH,arrest,p4,individual,1\n"
	"two,Arrested and detained,2016-05-01,TH,detention,p4,,\n"
	/* p1 again, in another event */
	"again,Detained again,2016-06-01,TH,detention,p1,,\n"
	/* an event without acts */
	"noact,Reported only,2016-07-01,TH,,,,\n";

static void test_counting_people(void **state)
{
	(void)state;
	load(counting_csv);

	/* persons: 120 + 3 + 1 arrested; p4 and p1 detained */
	RUN(.measure = "persons", .by = "act_type");
	check_structure(res, 1);
	expect_cells("arrest=124 detention=2 *=126");

	/* acts: rows */
	RUN(.measure = "acts", .by = "act_type");
	check_structure(res, 1);
	expect_cells("arrest=5 detention=2 *=7");

	/* events: "three" once under arrest, "two" once in each type and
	 * once in the total; the event without acts has no type */
	RUN(.measure = "events", .by = "act_type");
	expect_cells("arrest=3 detention=2 unknown=1 *=5");
	RUN(.measure = "events");
	expect_cells("=5");

	/* distinct persons: p1 (two events) and p4 (two acts) once each */
	RUN(.measure = "distinct-persons", .by = "act_type");
	expect_cells("arrest=124 detention=2 *=124");
	RUN(.measure = "distinct-persons", .where = {"act_type=detention"});
	expect_cells("=2");
	RUN(.measure = "persons", .where = {"act_type=detention"});
	expect_cells("=2");
	RUN(.measure = "distinct-persons", .by = "year");
	expect_cells("2016=124 *=124");
	RUN(.measure = "persons", .by = "year");
	expect_cells("2016=126 *=126");
}

/* ==== 2. dimensions ==== */

static const char time_csv[] =
	"event.key,event.title,event.start_date,act.type,act.start_date,"
	"victim.unit,victim.group_size\n"
	"d1,Day,2014-06-14,arrest,,group,2\n"
	"d2,Month,2014-06,arrest,,group,3\n"
	"d3,Year,2014,arrest,,group,5\n"
	"d4,Unknown date,,arrest,,group,7\n"
	"d5,Late 2014,2014-11-30,arrest,,group,11\n"
	"d6,Early 2015,2015-01-01,arrest,,group,13\n"
	/* the act's own date wins over its event's */
	"d7,Act date,2013-01-01,arrest,2015-02-03,group,17\n";

static void test_time_dimensions(void **state)
{
	(void)state;
	load(time_csv);

	RUN(.measure = "persons", .by = "year");
	check_structure(res, 1);
	expect_cells("2014=21 2015=30 unknown=7 *=58");

	/* a date known to the year is in no quarter or month */
	RUN(.measure = "persons", .by = "quarter");
	check_structure(res, 1);
	expect_cells("2014-Q2=5 2014-Q4=11 2014-unknown=5 2015-Q1=30 "
		     "unknown=7 *=58");

	RUN(.measure = "persons", .by = "month");
	check_structure(res, 1);
	expect_cells("2014-06=5 2014-11=11 2014-unknown=5 2015-01=13 "
		     "2015-02=17 unknown=7 *=58");
}

/*
 * Five acts: a (MM man, arrested by police in Tak), b (MM woman, deported
 * at Mae Sot by immigration), c (KH woman detained in Bangkok, recorded by
 * the Myanmar organisation), d (KH men deported at Aranyaprathet by border
 * guards: the event is placed in MM, the act in TH), e (LA workers whose
 * wages were stolen).
 */
static const char place_csv[] =
	"event.key,event.org,event.title,event.start_date,event.country,"
	"event.admin1,act.type,act.country,perpetrator.type,victim.key,"
	"victim.unit,victim.group_size,victim.nationality,victim.sex,"
	"victim.sector,victim.doc_status,deportation.checkpoint\n"
	"p1,MKN-TH,Pier raid,2016-01-05,TH,TH-63,arrest,,police,a,group,10,MM,"
	"male,fishing,undocumented,\n"
	"p1,MKN-TH,Pier raid,2016-01-05,TH,TH-63,deportation,,immigration,b,"
	"group,4,MM,female,fishing,pink_card,th-maesot\n"
	"p2,MKN-MM,Detention,2016-02-01,TH,TH-10,detention,,immigration,c,"
	"individual,1,KH,female,construction,undocumented,\n"
	"p3,MKN-TH,Push back,2016-03-01,MM,,deportation,TH,border_guard,d,"
	"group,6,KH,male,,,th-aranyaprathet\n"
	"p4,MKN-TH,Wages,2016-04-01,TH,TH-63,wage_theft,,employer,e,group,20,"
	"LA,,agriculture,,\n";

static const struct {
	const char *dim, *cells;
} place_dims[] = {
	{"country", "TH=41 *=41"},
	{"admin1", "TH-10=1 TH-63=34 unknown=6 *=41"},
	{"act_type", "arrest=10 deportation=10 detention=1 wage_theft=20 "
		     "*=41"},
	{"act_group", "deprivation_of_liberty=11 expulsion=10 "
		      "labour_exploitation=20 *=41"},
	{"perpetrator_type",
	 "border_guard=6 employer=20 immigration=5 police=10 *=41"},
	{"sector", "agriculture=20 construction=1 fishing=14 unknown=6 *=41"},
	{"nationality", "KH=7 LA=20 MM=14 *=41"},
	{"sex", "female=5 male=16 unknown=20 *=41"},
	{"doc_status", "pink_card=4 undocumented=11 unknown=26 *=41"},
	{"org", "MKN-MM=1 MKN-TH=40 *=41"},
	{"corridor", "KH-TH=7 LA-TH=20 MM-TH=14 *=41"},
	{"checkpoint", "th-aranyaprathet=6 th-maesot=4 unknown=31 *=41"},
};

static void test_place_person_dimensions(void **state)
{
	(void)state;
	load(place_csv);
	for (size_t i = 0; i < sizeof(place_dims) / sizeof(place_dims[0]);
	     i++) {
		print_message("by %s\n", place_dims[i].dim);
		RUN(.measure = "persons", .by = place_dims[i].dim);
		check_structure(res, 1);
		expect_cells(place_dims[i].cells);
	}
}

static void test_three_dimensions_and_subtotals(void **state)
{
	(void)state;
	load(place_csv);
	RUN(.measure = "persons", .by = "nationality,sex,act_group");
	check_structure(res, 1);
	assert_int_equal(res->ndims, 3);
	assert_string_equal(res->dims[2], "act_group");
	expect_cells(
		/* full cells */
		"KH|female|deprivation_of_liberty=1 KH|male|expulsion=6 "
		"LA|unknown|labour_exploitation=20 "
		"MM|female|expulsion=4 MM|male|deprivation_of_liberty=10 "
		/* one dimension summed over */
		"KH|female|*=1 KH|male|*=6 LA|unknown|*=20 MM|female|*=4 "
		"MM|male|*=10 "
		"KH|*|deprivation_of_liberty=1 KH|*|expulsion=6 "
		"LA|*|labour_exploitation=20 MM|*|deprivation_of_liberty=10 "
		"MM|*|expulsion=4 "
		"*|female|deprivation_of_liberty=1 *|female|expulsion=4 "
		"*|male|deprivation_of_liberty=10 *|male|expulsion=6 "
		"*|unknown|labour_exploitation=20 "
		/* two */
		"KH|*|*=7 LA|*|*=20 MM|*|*=14 *|female|*=5 *|male|*=16 "
		"*|unknown|*=20 *|*|deprivation_of_liberty=11 "
		"*|*|expulsion=10 *|*|labour_exploitation=20 "
		/* the grand total */
		"*|*|*=41");
	assert_true(mrm_stats_cell_is_full(res, &res->cells[0]));
	assert_false(mrm_stats_cell_is_full(res, &res->cells[res->ncells - 1]));

	/* a fourth dimension is refused */
	assert_int_equal(TRY(.measure = "persons",
			     .by = "nationality,sex,act_group,year"),
			 MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "at most 3"));
	assert_int_equal(TRY(.measure = "persons", .by = "sex,sex"),
			 MRM_ERR_INVALID);
}

/*
 * One person ("child", born 2000-06-15) in three events: 13 on 2014-06-14,
 * 14 on 2015-06-14 (the day before the birthday), 15 on 2015-06-15.
 */
static const char age_csv[] =
	"event.key,event.title,event.start_date,act.type,victim.key,"
	"victim.birth_date\n"
	"a1,Age 13,2014-06-14,arrest,child,2000-06-15\n"
	"a2,Age 14,2015-06-14,arrest,child,\n"
	"a3,Age 15,2015-06-15,arrest,child,\n"
	"a4,Born 1990,2016-03-01,arrest,adult,1990\n"
	"a5,No birth date,2016-03-01,arrest,nobody,\n"
	"a6,Aged 70,2020-01-01,arrest,old,1950-01-01\n"
	"a7,Aged 17,2017-12-31,arrest,teen,2000-01-01\n"
	"a8,Aged 18,2018-01-01,arrest,teen,\n";

static void test_age_band(void **state)
{
	(void)state;
	load(age_csv);
	RUN(.measure = "persons", .by = "age_band");
	check_structure(res, 1);
	expect_cells("0-14=2 15-17=2 18-24=1 25-34=1 65+=1 unknown=1 *=8");
	RUN(.measure = "persons", .by = "age_band", .where = {"year=2015"});
	expect_cells("0-14=1 15-17=1 *=2");
	RUN(.measure = "distinct-persons", .by = "age_band");
	expect_cells("0-14=1 15-17=2 18-24=1 25-34=1 65+=1 unknown=1 *=5");
}

/*
 * Ages from partial dates, where the dates still decide the band: someone
 * born in June 2000 has not turned 15 by 20 May 2015 (nor in May 2015),
 * nor has someone born 15 June 2000.
 */
static const char age_partial_csv[] =
	"event.key,event.title,event.start_date,act.type,victim.key,"
	"victim.birth_date\n"
	"b1,Born June 2000,2015-05-20,arrest,june,2000-06\n"
	"b2,Month of the act,2015-05,arrest,mid,2000-06-15\n"
	"b3,After the birthday,2015-07,arrest,mid2,2000-06-15\n";

static void test_age_band_partial_dates(void **state)
{
	(void)state;
	load(age_partial_csv);
	RUN(.measure = "persons", .by = "age_band");
	expect_cells("0-14=2 15-17=1 *=3");
}

static void expect_refused(int rc, const char *what, const char *list,
			   const char *first);

static const char attr_csv[] =
	"event.key,event.title,event.start_date,attr.cause,act.type,"
	"victim.unit,victim.group_size\n"
	/* two causes for one event: a second row without an act */
	"m1,Boat,2016-01-01,drowning,death,group,10\n"
	"m1,Boat,2016-01-01,violence,,,\n"
	"m2,Truck,2016-02-01,drowning,death,group,5\n"
	"m3,Unknown cause,2017-02-01,,death,group,3\n";

static void test_attribute_dimension(void **state)
{
	(void)state;
	load(attr_csv);
	/* each value of a multi-valued attribute counts the event's people;
	 * those without the attribute are unknown */
	RUN(.measure = "persons", .by = "attr.cause", .where = {"year=2016"});
	assert_int_equal(val("drowning"), 15);
	assert_int_equal(val("violence"), 10);
	RUN(.measure = "events", .by = "attr.cause");
	expect_cells("drowning=2 violence=1 unknown=1 *=3");
	RUN(.measure = "persons", .where = {"attr.cause=violence"});
	expect_cells("=10");
	RUN(.measure = "persons", .where = {"attr.cause=violence,drowning"});
	expect_cells("=15");
	/* the total counts people once: 18 died, whatever the breakdown */
	RUN(.measure = "persons", .by = "year");
	expect_cells("2016=15 2017=3 *=18");
	RUN(.measure = "persons", .by = "attr.cause");
	expect_cells("drowning=15 violence=10 unknown=3 *=18");
	/* an attribute's values loaded, then a bad dimension: refused, and
	 * nothing leaks (found by fuzz_stats_query; ASan checks) */
	expect_refused(TRY(.measure = "persons", .by = "attr.cause,nonsense"),
		       "nonsense", NULL, NULL);
}

/*
 * "unknown" is a term of sex, doc_status and perpetrator_type; recorded as
 * such or not recorded at all, it is one cell.
 */
static const char unknown_csv[] =
	"event.key,event.title,act.type,victim.unit,victim.group_size,"
	"victim.sex,victim.doc_status,perpetrator.type\n"
	"u1,Recorded unknown,arrest,group,3,unknown,unknown,unknown\n"
	"u2,Not recorded,arrest,group,2,,,\n"
	"u3,Known,arrest,group,6,female,pink_card,police\n";

static void test_unknown_is_one_cell(void **state)
{
	(void)state;
	load(unknown_csv);
	RUN(.measure = "persons", .by = "sex");
	expect_cells("female=6 unknown=5 *=11");
	RUN(.measure = "persons", .by = "doc_status");
	expect_cells("pink_card=6 unknown=5 *=11");
	RUN(.measure = "persons", .by = "perpetrator_type");
	expect_cells("police=6 unknown=5 *=11");
	RUN(.measure = "persons", .by = "sex", .public = 1);
	check_structure(res, 1);
}

/* ==== 3. filters and periods ==== */

static const char filter_csv[] =
	"event.key,event.title,event.start_date,event.country,act.type,"
	"victim.nationality,victim.unit,victim.group_size\n"
	"f1,Day,2014-06-10,TH,arrest,MM,group,2\n"
	"f2,Month,2014-06,TH,detention,MM,group,3\n"
	"f3,Year,2014,TH,deportation,KH,group,5\n"
	"f4,July,2014-07-01,TH,arrest,KH,group,7\n"
	"f5,New Year's Eve,2014-12-31,MM,arrest,MM,group,11\n"
	"f6,New Year,2015-01-01,TH,wage_theft,MM,group,13\n"
	"f7,Unknown date,,TH,arrest,MM,group,17\n";

static const struct {
	const char *where[NWHERE];
	int64_t persons;
} filters[] = {
	/* AND across dimensions, OR within one */
	{{"nationality=MM", "act_type=arrest,detention"}, 2 + 3 + 11 + 17},
	{{"nationality=MM,KH", "country=TH"}, 2 + 3 + 5 + 7 + 13 + 17},
	/* a term includes the terms under it */
	{{"act_type=deprivation_of_liberty"}, 2 + 3 + 7 + 11 + 17},
	{{"act_group=deprivation_of_liberty"}, 2 + 3 + 7 + 11 + 17},
	{{"act_type=labour_exploitation"}, 13},
	/* labels resolve to codes */
	{{"nationality=Myanmar"}, 2 + 3 + 11 + 13 + 17},
	/* the time dimensions filter at their own precision */
	{{"year=2014"}, 2 + 3 + 5 + 7 + 11},
	{{"month=2014-06"}, 2 + 3},
	{{"quarter=2014-unknown"}, 5},
	{{"year=unknown"}, 17},
	{{"corridor=KH-TH"}, 5 + 7},
};

/*
 * --from and --to compare each date at its own precision: the bound is cut
 * down to the precision of the date (in_period/truncate_to), and an open
 * end of a partial bound reaches to the end of its period ("--to 2014" is
 * 2014-12-31, "--to 2014-06" is 2014-06-31). So a date is in the period
 * when the day, month or year it names overlaps it; no day is ever
 * invented for a partial date (2014-06 is neither 06-01 nor 06-30), and
 * an unknown date is never in a period.
 */
static const struct {
	const char *from, *to;
	int64_t persons;
} periods[] = {
	{"2014-07", NULL, 5 + 7 + 11 + 13}, /* 2014 overlaps July on */
	{NULL, "2014", 2 + 3 + 5 + 7 + 11}, /* to 2014-12-31 */
	{NULL, "2014-12-31", 2 + 3 + 5 + 7 + 11},
	{NULL, "2014-12-30", 2 + 3 + 5 + 7},
	{"2014-06-15", NULL, 3 + 5 + 7 + 11 + 13}, /* 2014-06 overlaps */
	{NULL, "2014-06-10", 2 + 3 + 5},	   /* so does it here */
	{NULL, "2014-06-09", 3 + 5},
	{"2014-06-01", "2014-08-01", 2 + 3 + 5 + 7}, /* the year 2014 too */
	{"2014-06-11", "2014-06-30", 3 + 5},
	{NULL, "2014-06", 2 + 3 + 5},
	{"2015", "2015", 13},
	{"2014-07-02", "2014-12-30", 5},
};

static void test_filters(void **state)
{
	(void)state;
	load(filter_csv);
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		print_message("where %s %s\n", filters[i].where[0],
			      filters[i].where[1] ? filters[i].where[1] : "");
		RUN(.measure = "persons",
		    .where = {filters[i].where[0], filters[i].where[1]});
		assert_int_equal(val(""), filters[i].persons);
	}
	/* filters and breakdowns together */
	RUN(.measure = "persons", .by = "act_type",
	    .where = {"act_type=deprivation_of_liberty", "nationality=MM"});
	expect_cells("arrest=30 detention=3 *=33");
}

static void test_periods(void **state)
{
	(void)state;
	load(filter_csv);
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		print_message("from %s to %s\n",
			      periods[i].from ? periods[i].from : "-",
			      periods[i].to ? periods[i].to : "-");
		RUN(.measure = "persons", .from = periods[i].from,
		    .to = periods[i].to);
		assert_int_equal(val(""), periods[i].persons);
	}
	/* a year-only date stays out of the months, in the period or not */
	RUN(.measure = "persons", .by = "month", .from = "2014-06-01",
	    .to = "2014-08-01");
	expect_cells("2014-06=5 2014-07=7 2014-unknown=5 *=17");
}

/* ==== 4. days in detention ==== */

static const char detention_csv[] =
	"event.key,event.title,act.type,act.start_date,act.end_date,"
	"victim.key\n"
	"k1,Ten days,detention,2020-01-01,2020-01-10,v1\n"
	"k2,One day,detention,2020-01-01,2020-01-01,v2\n"
	"k3,Over 29 February,detention,2020-02-01,2020-03-01,v3\n"
	"k4,Still held,detention,2020-03-01,,v4\n"
	"k5,Month only,detention,2020-01,2020-02,v5\n"
	"k6,End month only,detention,2020-01-05,2020-02,v6\n"
	"k7,An arrest,arrest,2020-01-01,2020-01-10,v7\n"
	"k8,Over New Year,detention,2019-12-30,2020-01-03,v8\n"
	"k9,Four days,detention,2020-04-01,2020-04-04,v9\n";

static void expect_days(const char *name, int64_t count, int64_t sum,
			double mean, double median, double p90)
{
	const struct mrm_stats_cell *c = find(res, name);

	assert_non_null(c);
	assert_int_equal(c->count, count);
	assert_int_equal(c->value, sum);
	assert_float_equal(c->mean, mean, 1e-9);
	assert_float_equal(c->median, median, 1e-9);
	assert_float_equal(c->p90, p90, 1e-9);
}

static void test_detention_days(void **state)
{
	json_t *j, *total;

	(void)state;
	load(detention_csv);
	/* days, first and last included: 10, 1, 30, 20 (to as-of), 5, 4; the
	 * month-precision ones are left out */
	RUN(.measure = "detention-days", .by = "year", .as_of = "2020-03-20");
	assert_true(res->days);
	assert_int_equal(res->ncells, 3);
	expect_days("2019", 1, 5, 5, 5, 5);
	/* 2020: 1 4 10 20 30: median 10, p90 the 5th of 5 (nearest rank) */
	expect_days("2020", 5, 65, 13, 10, 30);
	/* all: 1 4 5 10 20 30: median (5 + 10) / 2, p90 the 6th of 6 */
	expect_days("*", 6, 70, 70.0 / 6, 7.5, 30);

	RUN(.measure = "detention-days", .as_of = "2020-03-01");
	expect_days("", 6, 51, 51.0 / 6, 4.5, 30);
	/* before the detention began: not counted */
	RUN(.measure = "detention-days", .as_of = "2020-02-29");
	expect_days("", 5, 50, 10, 5, 30);

	RUN(.measure = "detention-days", .as_of = "2020-03-20");
	j = mrm_stats_json(res);
	total = json_object_get(j, "total");
	assert_int_equal(json_integer_value(json_object_get(total, "count")),
			 6);
	assert_int_equal(json_integer_value(json_object_get(total, "sum")), 70);
	assert_float_equal(json_real_value(json_object_get(total, "median")),
			   7.5, 1e-9);
	assert_float_equal(json_real_value(json_object_get(total, "p90")), 30,
			   1e-9);
	json_decref(j);
}

/* Ten detentions of 1..10 days: p90 is the 9th (nearest rank). */
static void test_detention_days_quantiles(void **state)
{
	char csv[2048];
	size_t len;

	(void)state;
	len = (size_t)snprintf(csv, sizeof(csv),
			       "event.key,event.title,act.type,act.start_date,"
			       "act.end_date\n");
	for (int i = 1; i <= 10; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len,
					"q%d,Held,detention,2021-03-01,"
					"2021-03-%02d\n",
					i, i);
	load(csv);
	RUN(.measure = "detention-days");
	expect_days("", 10, 55, 5.5, 5.5, 9);
}

/* In public output the median and p90 of a cell of fewer than 2k
 * detentions are not published: they come close to single detentions. */
static void test_detention_quantiles_public(void **state)
{
	char csv[4096];
	size_t len;
	json_t *j, *total;

	(void)state;
	len = (size_t)snprintf(csv, sizeof(csv),
			       "event.key,event.title,act.type,act.start_date,"
			       "act.end_date,victim.key,victim.unit,"
			       "victim.group_size\n");
	for (int i = 1; i <= 9; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len,
					"p%d,Held,detention,2021-03-01,"
					"2021-03-%02d,v%d,group,2\n",
					i, i, i);
	load(csv);
	RUN(.measure = "detention-days", .public = 1);
	j = mrm_stats_json(res);
	total = json_object_get(j, "total");
	assert_int_equal(json_integer_value(json_object_get(total, "count")),
			 9);
	assert_true(json_is_null(json_object_get(total, "median")));
	assert_true(json_is_null(json_object_get(total, "p90")));
	assert_false(mrm_stats_quantiles_shown(res, &res->cells[0]));
	json_decref(j);
	RUN(.measure = "detention-days");
	j = mrm_stats_json(res);
	total = json_object_get(j, "total");
	assert_true(json_is_real(json_object_get(total, "median")));
	json_decref(j);
}

/*
 * An --as-of known only to the month or the year stands for a day in that
 * period (or is refused): open detentions are never counted only up to a
 * day before it. Held since 2019-06-01: to 2020-03-01 is 275 days, to
 * 2020-03-31 305; to 2020-01-01 215, to 2020-12-31 580.
 */
static void expect_open_days(const char *as_of, int64_t lo, int64_t hi)
{
	int rc = TRY(.measure = "detention-days", .as_of = as_of);

	if (rc == MRM_ERR_INVALID)
		return;
	assert_int_equal(rc, 0);
	if (val("") < lo || val("") > hi)
		fail_msg("--as-of %s: %lld days, want %lld to %lld", as_of,
			 (long long)val(""), (long long)lo, (long long)hi);
}

static void test_detention_days_partial_as_of(void **state)
{
	(void)state;
	load("event.key,event.title,act.type,act.start_date,victim.key\n"
	     "o1,Still held,detention,2019-06-01,v1\n");
	expect_open_days("2020-03-01", 275, 275);
	expect_open_days("2020-03", 275, 305);
	expect_open_days("2020", 215, 580);
}

/* ==== 5. money ==== */

static const char money_csv[] =
	"event.key,event.title,event.start_date,act.type,"
	"arrest.money_demanded,arrest.money_paid,arrest.currency,"
	"deportation.cost,deportation.currency\n"
	"m1,Bribe,2016-03-01,arrest,1500.50,1000,THB,,\n"
	"m2,Bribe,2017-03-01,arrest,2000,,THB,,\n"
	"m3,Bribe,2016-05-01,arrest,300,25.5,USD,,\n"
	"m4,Bus,2016-06-01,deportation,,,,45.25,THB\n"
	"m5,Boat,2016-07-01,deportation,,,,10,USD\n"
	"m6,Flight,2017-08-01,deportation,,,,1200,JPY\n"
	"m7,Nothing asked,2017-01-01,arrest,,,,,\n";

static void test_money(void **state)
{
	json_t *j, *total;

	(void)state;
	load(money_csv);
	RUN(.measure = "money-demanded", .by = "year");
	assert_true(res->money);
	check_structure(res, 1);
	assert_int_equal(val("2016|THB"), 150050); /* minor units */
	expect_cells("2016|THB=1500.50 2016|USD=300.00 2017|THB=2000.00 "
		     "*|THB=3500.50 *|USD=300.00");
	j = mrm_stats_json(res);
	total = json_object_get(j, "total");
	assert_string_equal(json_string_value(json_object_get(total, "THB")),
			    "3500.50");
	assert_string_equal(json_string_value(json_object_get(total, "USD")),
			    "300.00");
	json_decref(j);

	RUN(.measure = "money-paid");
	expect_cells("THB=1000.00 USD=25.50");

	RUN(.measure = "deportation-cost", .by = "year");
	expect_cells("2016|THB=45.25 2016|USD=10.00 2017|JPY=1200 *|JPY=1200 "
		     "*|THB=45.25 *|USD=10.00");
}

/* Compensation obtained: from interventions, not acts; dated by the
 * intervention, else the event; acts and persons are not affected. */
static void test_compensation(void **state)
{
	(void)state;
	load("event.key,event.title,event.start_date,act.type,victim.key,"
	     "intervention.type,intervention.start_date,"
	     "intervention.compensation,intervention.currency\n"
	     "c1,Wages,2018-03-01,wage_theft,w1,complaint_labour_office,"
	     "2019-01-10,12000.50,THB\n"
	     "c2,Wages,2018-05-01,wage_theft,w2,legal_aid,,300,USD\n"
	     "c3,Wages,2018-06-01,wage_theft,w3,legal_aid,,,\n");
	RUN(.measure = "compensation", .by = "year");
	assert_true(res->money);
	expect_cells("2018|USD=300.00 2019|THB=12000.50 *|THB=12000.50 "
		     "*|USD=300.00");
	RUN(.measure = "acts");
	expect_cells("=3");
	RUN(.measure = "events");
	expect_cells("=3");
}

/* ==== 6. bad queries ==== */

/* The query fails with MRM_ERR_INVALID saying `what`; when `list` is
 * given, the valid choices follow it, `first` first. */
static void expect_refused(int rc, const char *what, const char *list,
			   const char *first)
{
	const char *choices;

	if (rc != MRM_ERR_INVALID)
		fail_msg("want MRM_ERR_INVALID, got %d: %s", rc, err.msg);
	assert_null(res);
	if (!strstr(err.msg, what))
		fail_msg("\"%s\" does not say \"%s\"", err.msg, what);
	if (!list)
		return;
	choices = strstr(err.msg, list);
	if (!choices)
		fail_msg("\"%s\" lists no choices after \"%s\"", err.msg, list);
	choices += strlen(list);
	if (strncmp(choices, first, strlen(first)) ||
	    (choices[strlen(first)] != ',' && choices[strlen(first)] != '\0'))
		fail_msg("\"%s\": want %s first", err.msg, first);
}

static void test_bad_queries(void **state)
{
	(void)state;
	load(counting_csv);
	expect_refused(TRY(.measure = "person"), "person",
		       "valid: ", "persons");
	expect_refused(TRY(.measure = "evnts"), "evnts", "valid: ", "events");
	expect_refused(TRY(.measure = "detention_days"), "detention_days",
		       "valid: ", "detention-days");
	expect_refused(TRY(.measure = NULL), "measure", NULL, NULL);
	/* every measure is listed */
	assert_int_equal(TRY(.measure = "nonsense"), MRM_ERR_INVALID);
	for (size_t i = 0; mrm_stats_measures[i]; i++)
		assert_non_null(strstr(err.msg, mrm_stats_measures[i]));

	expect_refused(TRY(.measure = "persons", .by = "yaer"), "yaer",
		       "valid: ", "year");
	expect_refused(TRY(.measure = "persons", .by = "year,contry"), "contry",
		       "valid: ", "country");
	expect_refused(TRY(.measure = "persons", .where = {"nationalty=MM"}),
		       "nationalty", "valid: ", "nationality");

	expect_refused(TRY(.measure = "persons", .where = {"act_type=arest"}),
		       "arest", "terms: ", "arrest");
	expect_refused(TRY(.measure = "persons",
			   .where = {"act_type=arrest,detension"}),
		       "detension", "terms: ", "detention");
	expect_refused(TRY(.measure = "persons", .where = {"nationality=MMR"}),
		       "MMR", NULL, NULL);

	/* malformed --where */
	expect_refused(TRY(.measure = "persons", .where = {"act_type"}),
		       "DIM=VALUE", NULL, NULL);
	expect_refused(TRY(.measure = "persons", .where = {"=arrest"}),
		       "DIM=VALUE", NULL, NULL);
	expect_refused(TRY(.measure = "persons", .where = {"act_type="}),
		       "DIM=VALUE", NULL, NULL);

	/* bad dates */
	expect_refused(TRY(.measure = "persons", .from = "2014-13-01"),
		       "--from", NULL, NULL);
	expect_refused(TRY(.measure = "persons", .from = "yesterday"), "--from",
		       NULL, NULL);
	expect_refused(TRY(.measure = "persons", .to = "2015-02-30"), "--to",
		       NULL, NULL);
	assert_int_equal(TRY(.measure = "detention-days", .as_of = "2020-99"),
			 MRM_ERR_INVALID);
}

/* ==== 7. disclosure control ==== */

static int withheld(const struct mrm_stats_cell *c)
{
	return c->mark != MRM_STATS_SHOWN;
}

/*
 * Is cell `c` under a total published as "<k"? Such a total is not broken
 * down: every cell under it is withheld, the empty ones too, so there "<k"
 * means 0 to k-1 (docs/statistics.md).
 */
static int under_small_total(const struct mrm_stats_result *r,
			     const struct mrm_stats_cell *c)
{
	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *p = &r->cells[i];
		size_t differ = 0, summed = 0;

		if (p->mark != MRM_STATS_PRIMARY ||
		    (r->money && strcmp(p->currency, c->currency)))
			continue;
		for (size_t d = 0; d < r->ndims; d++) {
			if (!strcmp(p->key[d], c->key[d]))
				continue;
			differ++;
			summed += !strcmp(p->key[d], MRM_STATS_ALL);
		}
		if (differ == 1 && summed == 1)
			return 1;
	}
	return 0;
}

/*
 * Read `r` as the public would: shown cells are known; a withheld count
 * "<k" lies in [1, k-1] (in [0, k-1] under a "<k" total), "x" in
 * [k, inf); a withheld sum is >= 0. Each subtotal is, along each dimension
 * it sums over, the sum of the cells under it (cells not listed are 0).
 */
static void reader_init(struct reader *rd, const struct mrm_stats_result *r)
{
	/* sums (days, money) withheld say nothing of their size */
	const int sums = r->money || r->days;
	const int64_t k = r->k;

	memset(rd, 0, sizeof(*rd));
	rd->r = r;
	rd->lo = calloc(r->ncells + 1, sizeof(int64_t));
	rd->hi = calloc(r->ncells + 1, sizeof(int64_t));
	rd->eq = calloc(r->ncells * MRM_STATS_DIMS_MAX + 1, sizeof(*rd->eq));
	assert_true(rd->lo && rd->hi && rd->eq);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *c = &r->cells[i];

		rd->lo[i] = c->mark == MRM_STATS_SHOWN ? c->value
			    : sums		       ? 0
			    : c->mark == MRM_STATS_PRIMARY
				    ? !under_small_total(r, c)
				    : k;
		rd->hi[i] = c->mark == MRM_STATS_SHOWN	   ? c->value
			    : sums			   ? INF
			    : c->mark == MRM_STATS_PRIMARY ? k - 1
							   : INF;
		/* the reader's model holds for the truth */
		if (c->value < rd->lo[i] || c->value > rd->hi[i]) {
			dump(r);
			fail_msg("%s is %lld, published as outside that",
				 cell_name(r, c), (long long)c->value);
		}
		for (size_t d = 0; d < r->ndims; d++) {
			struct eqn *e = &rd->eq[rd->neq];

			if (!is_all(c->key[d]))
				continue;
			e->parent = i;
			e->child = calloc(r->ncells, sizeof(size_t));
			assert_non_null(e->child);
			rd->neq++;
			for (size_t j = 0; j < r->ncells; j++)
				if (!is_all(r->cells[j].key[d]) &&
				    same_but(r, c, &r->cells[j], d))
					e->child[e->nchild++] = j;
		}
	}
}

static void reader_free(struct reader *rd)
{
	for (size_t i = 0; i < rd->neq; i++)
		free(rd->eq[i].child);
	free(rd->eq);
	free(rd->lo);
	free(rd->hi);
	memset(rd, 0, sizeof(*rd));
}

static void leak(const struct reader *rd, size_t cell, const char *how)
{
	dump(rd->r);
	fail_msg("withheld cell %s (true value %lld) is given away: %s",
		 cell_name(rd->r, &rd->r->cells[cell]),
		 (long long)rd->r->cells[cell].value, how);
}

/*
 * The attacks each return a withheld cell they work out, or SIZE_MAX.
 *
 * (a) A published total with exactly one withheld member: subtraction
 * gives it.
 */
static size_t lone_withheld(const struct reader *rd)
{
	for (size_t i = 0; i < rd->neq; i++) {
		const struct eqn *e = &rd->eq[i];
		size_t n = withheld(&rd->r->cells[e->parent]) ? 1 : 0;
		size_t last = e->parent;

		for (size_t j = 0; j < e->nchild; j++)
			if (withheld(&rd->r->cells[e->child[j]])) {
				n++;
				last = e->child[j];
			}
		if (n == 1)
			return last;
	}
	return SIZE_MAX;
}

/* Arithmetic modulo the prime 2^31 - 1: exact, and products fit. */
#define PRIME 2147483647u

static uint64_t mod_pow(uint64_t b, uint64_t e)
{
	uint64_t r = 1;

	for (b %= PRIME; e; e >>= 1, b = b * b % PRIME)
		if (e & 1)
			r = r * b % PRIME;
	return r;
}

/*
 * (b) Solve all published equations together, the withheld cells being
 * the unknowns: a cell is determined when its unit vector lies in the row
 * space, that is, when the reduced row echelon form has it as a row.
 */
static size_t solved(const struct reader *rd)
{
	const struct mrm_stats_result *r = rd->r;
	size_t *var = malloc((r->ncells + 1) * sizeof(size_t)), nvar = 0;
	size_t *cell_of = malloc((r->ncells + 1) * sizeof(size_t));
	size_t rows = rd->neq, lead = 0, found = SIZE_MAX;
	uint64_t *m;

	assert_true(var && cell_of);
	for (size_t i = 0; i < r->ncells; i++)
		if (withheld(&r->cells[i])) {
			cell_of[nvar] = i;
			var[i] = nvar++;
		} else {
			var[i] = SIZE_MAX;
		}
	m = calloc(rows * nvar + 1, sizeof(uint64_t));
	assert_non_null(m);
	for (size_t i = 0; i < rows; i++) {
		const struct eqn *e = &rd->eq[i];

		if (var[e->parent] != SIZE_MAX)
			m[i * nvar + var[e->parent]] = 1;
		for (size_t j = 0; j < e->nchild; j++)
			if (var[e->child[j]] != SIZE_MAX)
				m[i * nvar + var[e->child[j]]] = PRIME - 1;
	}
	for (size_t c = 0; c < nvar && lead < rows; c++) {
		size_t p = lead;
		uint64_t inv;

		while (p < rows && !m[p * nvar + c])
			p++;
		if (p == rows)
			continue;
		for (size_t x = 0; x < nvar; x++) {
			uint64_t t = m[p * nvar + x];

			m[p * nvar + x] = m[lead * nvar + x];
			m[lead * nvar + x] = t;
		}
		inv = mod_pow(m[lead * nvar + c], PRIME - 2);
		for (size_t x = 0; x < nvar; x++)
			m[lead * nvar + x] = m[lead * nvar + x] * inv % PRIME;
		for (size_t q = 0; q < rows; q++) {
			uint64_t f = m[q * nvar + c];

			if (q == lead || !f)
				continue;
			for (size_t x = 0; x < nvar; x++)
				m[q * nvar + x] =
					(m[q * nvar + x] +
					 (PRIME - f) * m[lead * nvar + x]) %
					PRIME;
		}
		lead++;
	}
	for (size_t row = 0; row < lead && found == SIZE_MAX; row++) {
		size_t nonzero = 0, at = 0;

		for (size_t x = 0; x < nvar; x++)
			if (m[row * nvar + x]) {
				nonzero++;
				at = x;
			}
		if (nonzero == 1)
			found = cell_of[at];
	}
	free(m);
	free(var);
	free(cell_of);
	return found;
}

/* Sums of bounds, one side possibly infinite. */
#define NEG INT64_MIN

static int64_t sat_add(int64_t a, int64_t b)
{
	if (a == INF || b == INF)
		return INF;
	if (a == NEG || b == NEG)
		return NEG;
	return a + b;
}

static int64_t sat_neg(int64_t a)
{
	return a == INF ? NEG : a == NEG ? INF : -a;
}

#define MEMBER(e, j) ((j) < (e)->nchild ? (e)->child[j] : (e)->parent)
#define SIGN(e, j)   ((j) < (e)->nchild ? -1 : 1)

/*
 * What equation `e` says of its withheld member j, given bounds lo and hi
 * of every cell: the equation is sum(a_i x_i) = 0 with a = +1 for the
 * total and -1 for its cells; the published members move to the right,
 * the other withheld ones are replaced by their range.
 */
static void narrow(const struct reader *rd, const struct eqn *e, size_t j,
		   const int64_t *lo, const int64_t *hi, int64_t *out_lo,
		   int64_t *out_hi)
{
	const struct mrm_stats_result *r = rd->r;
	int64_t b = 0, smin = 0, smax = 0;
	size_t c = MEMBER(e, j);

	for (size_t x = 0; x <= e->nchild; x++) {
		size_t o = MEMBER(e, x);

		if (!withheld(&r->cells[o]))
			b -= SIGN(e, x) * r->cells[o].value;
		else if (x == j)
			continue;
		else if (SIGN(e, x) > 0) {
			smin = sat_add(smin, lo[o]);
			smax = sat_add(smax, hi[o]);
		} else {
			smin = sat_add(smin, sat_neg(hi[o]));
			smax = sat_add(smax, sat_neg(lo[o]));
		}
	}
	/* a_j x_j = b - (the others' sum) */
	if (SIGN(e, j) > 0) {
		*out_lo = sat_add(b, sat_neg(smax));
		*out_hi = sat_add(b, sat_neg(smin));
	} else {
		*out_lo = sat_add(smin, -b);
		*out_hi = sat_add(smax, -b);
	}
	if (*out_lo < lo[c])
		*out_lo = lo[c];
	if (*out_hi > hi[c])
		*out_hi = hi[c];
	if (r->cells[c].value < *out_lo || r->cells[c].value > *out_hi) {
		dump(r);
		fail_msg("bounds of %s do not hold the truth",
			 cell_name(r, &r->cells[c]));
	}
}

/*
 * (c) In one equation, the published values and the bounds of the other
 * withheld members ("<k": 1 to k-1, "x": k or more) leave a withheld
 * member a single value.
 */
static size_t pinned(const struct reader *rd)
{
	for (size_t i = 0; i < rd->neq; i++) {
		const struct eqn *e = &rd->eq[i];

		for (size_t j = 0; j <= e->nchild; j++) {
			int64_t lo, hi;

			if (!withheld(&rd->r->cells[MEMBER(e, j)]))
				continue;
			narrow(rd, e, j, rd->lo, rd->hi, &lo, &hi);
			if (lo == hi)
				return MEMBER(e, j);
		}
	}
	return SIZE_MAX;
}

/*
 * (d) The same, equation after equation, each narrowing the bounds the
 * next one starts from, until nothing changes.
 */
static size_t propagate(const struct reader *rd)
{
	const size_t n = rd->r->ncells;
	int64_t *lo = malloc((n + 1) * sizeof(int64_t));
	int64_t *hi = malloc((n + 1) * sizeof(int64_t));
	size_t pinned = SIZE_MAX;
	int changed = 1;

	assert_true(lo && hi);
	memcpy(lo, rd->lo, n * sizeof(int64_t));
	memcpy(hi, rd->hi, n * sizeof(int64_t));
	for (int round = 0; changed && round < 1000; round++) {
		changed = 0;
		for (size_t i = 0; i < rd->neq; i++) {
			const struct eqn *e = &rd->eq[i];

			for (size_t j = 0; j <= e->nchild; j++) {
				size_t c = MEMBER(e, j);
				int64_t l, h;

				if (!withheld(&rd->r->cells[c]))
					continue;
				narrow(rd, e, j, lo, hi, &l, &h);
				changed |= l != lo[c] || h != hi[c];
				lo[c] = l;
				hi[c] = h;
			}
		}
	}
	for (size_t c = 0; c < n && pinned == SIZE_MAX; c++)
		if (withheld(&rd->r->cells[c]) && lo[c] == hi[c])
			pinned = c;
	free(lo);
	free(hi);
	return pinned;
}

/* The JSON value of cell `c` in `j`, the output of mrm_stats_json(). */
static json_t *json_value(const struct mrm_stats_result *r,
			  const struct mrm_stats_cell *c, json_t *j,
			  size_t *nrow, size_t *nsub)
{
	size_t lv = level(r, c);
	json_t *total = json_object_get(j, "total");

	if (lv == r->ndims)
		return r->money ? json_object_get(total, c->currency) : total;
	if (lv == 0)
		return json_object_get(
			json_array_get(json_object_get(j, "rows"), (*nrow)++),
			"value");
	return json_object_get(
		json_array_get(json_object_get(j, "subtotals"), (*nsub)++),
		"value");
}

/*
 * The published form agrees with the marks: JSON rows, subtotals and total
 * in the order of the cells, withheld ones as "<k" and "x", "suppressed"
 * their number; small cells withheld, zero cells shown as 0.
 */
static void check_published(const struct mrm_stats_result *r)
{
	json_t *j = mrm_stats_json(r);
	size_t nrow = 0, nsub = 0, marked = 0;
	char primary[16], shown[64];

	snprintf(primary, sizeof(primary), "<%u", r->k);
	assert_true(r->public);
	assert_int_equal(json_integer_value(json_object_get(j, "threshold")),
			 r->k);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct mrm_stats_cell *c = &r->cells[i];
		json_t *v = json_value(r, c, j, &nrow, &nsub);

		assert_non_null(v);
		mrm_stats_value_text(r, c, shown, sizeof(shown));
		if (withheld(c)) {
			marked++;
			assert_string_equal(
				json_string_value(v),
				c->mark == MRM_STATS_PRIMARY ? primary : "x");
			assert_string_equal(shown, json_string_value(v));
		} else if (r->money) {
			assert_string_equal(json_string_value(v), shown);
		} else if (r->days) {
			assert_int_equal(
				json_integer_value(json_object_get(v, "count")),
				c->count);
		} else {
			assert_true(json_is_integer(v));
			assert_int_equal(json_integer_value(v), c->value);
		}
		if (c->people > 0 && c->people < r->k)
			assert_int_equal(c->mark, MRM_STATS_PRIMARY);
		/* zero cells are shown, unless a "<k" total hides its line */
		if (c->value == 0 && c->people == 0 &&
		    !under_small_total(r, c)) {
			assert_int_equal(c->mark, MRM_STATS_SHOWN);
			assert_string_equal(shown, "0");
		}
	}
	assert_int_equal(json_array_size(json_object_get(j, "rows")), nrow);
	assert_int_equal(json_array_size(json_object_get(j, "subtotals")),
			 nsub);
	assert_int_equal(r->suppressed, marked);
	assert_int_equal(json_integer_value(json_object_get(j, "suppressed")),
			 marked);
	json_decref(j);
}

/* Every attack on the published answer `r` but (d) fails; (c) for counts
 * of people only, whose bounds "<k" and "x" tell. */
static void attack(const struct mrm_stats_result *r)
{
	size_t c;

	check_published(r);
	reader_free(&live);
	reader_init(&live, r);
	if ((c = lone_withheld(&live)) != SIZE_MAX)
		leak(&live, c, "the only withheld cell of a total");
	if ((c = solved(&live)) != SIZE_MAX)
		leak(&live, c, "solved from the published totals");
	if (!strcmp(r->measure, "persons") && (c = pinned(&live)) != SIZE_MAX)
		leak(&live, c, "pinned by the bounds of a total");
	reader_free(&live);
}

/* ---- tables of small counts ---- */

static const char *const countries[] = {"TH", "MM", "KH", "LA"};
static const char *const types5[] = {"arrest", "detention", "deportation",
				     "extortion", "wage_theft"};
static const char *const types8[] = {"arrest",	    "detention", "deportation",
				     "push_back",   "extortion", "wage_theft",
				     "trafficking", "death"};
static const char *const years[] = {"2018", "2019"};

struct shape {
	const char *by;
	const char *const *vals[MRM_STATS_DIMS_MAX];
	size_t n[MRM_STATS_DIMS_MAX];
	size_t ndims;
};

static const struct shape shape1 = {"act_type", {types8}, {8}, 1};
static const struct shape shape2 = {
	"country,act_type", {countries, types5}, {4, 5}, 2};
static const struct shape shape3 = {
	"country,act_type,year", {countries, types5, years}, {4, 5, 2}, 3};

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Append to `fp` trial `trial` of shape `sh`: every full cell gets a
 * group of 0..12 people (seeded by the trial); a cell of 0 people is
 * sometimes there, as an act without a victim.
 */
static void write_trial(FILE *fp, const struct shape *sh, unsigned trial)
{
	uint32_t seed = trial * 2654435761u + 12345u;
	size_t cells = 1;

	for (size_t d = 0; d < sh->ndims; d++)
		cells *= sh->n[d];
	for (size_t i = 0; i < cells; i++) {
		/* country, act type, year */
		const char *v[MRM_STATS_DIMS_MAX] = {"TH", "arrest", "2018"};
		uint32_t n = rnd(&seed) % 13;
		size_t rest = i;

		for (size_t d = sh->ndims; d-- > 0; rest /= sh->n[d])
			v[sh->ndims == 1 ? 1 : d] =
				sh->vals[d][rest % sh->n[d]];
		if (!n && rnd(&seed) % 3)
			continue;
		fprintf(fp, "t%u-%zu,Trial %u,%s-03-01,%s,%u,%s,", trial, i,
			trial, v[2], v[0], trial, v[1]);
		if (n)
			fprintf(fp, "%s,%u\n", n > 1 ? "group" : "individual",
				n);
		else
			fputs(",\n", fp);
	}
}

/* Import trials first..last of `sh`. */
static void load_trials(const struct shape *sh, unsigned first, unsigned last)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&csv, &len);

	assert_non_null(fp);
	fputs("event.key,event.title,event.start_date,event.country,"
	      "attr.trial,act.type,victim.unit,victim.group_size\n",
	      fp);
	for (unsigned t = first; t <= last; t++)
		write_trial(fp, sh, t);
	fclose(fp);
	load(csv);
	free(csv);
}

/* Publish trial `t` of `sh` with threshold k into `res`. */
static void publish(const struct shape *sh, unsigned t, unsigned k)
{
	char where[32];

	snprintf(where, sizeof(where), "attr.trial=%u", t);
	print_message("trial %u by %s, k %u\n", t, sh->by, k);
	RUN(.measure = "persons", .by = sh->by, .where = {where}, .public = 1,
	    .k = k);
	assert_int_equal(res->ndims, sh->ndims);
	check_structure(res, 1);
}

static void publish_and_attack(const struct shape *sh, unsigned t, unsigned k)
{
	publish(sh, t, k);
	attack(res);
}

/* How many of trials first..last of `sh` give a cell away to (d). */
static unsigned propagation_leaks(const struct shape *sh, unsigned first,
				  unsigned last)
{
	unsigned leaks = 0;

	for (unsigned t = first; t <= last; t++) {
		size_t c;

		publish(sh, t, 5);
		reader_init(&live, res);
		c = propagate(&live);
		if (c != SIZE_MAX) {
			dump(res);
			print_message("trial %u: %s (true value %lld) is "
				      "pinned\n",
				      t, cell_name(res, &res->cells[c]),
				      (long long)res->cells[c].value);
			leaks++;
		}
		reader_free(&live);
	}
	return leaks;
}

static void test_disclosure_1d(void **state)
{
	(void)state;
	load_trials(&shape1, 1, 15);
	for (unsigned t = 1; t <= 15; t++)
		publish_and_attack(&shape1, t, 5);
}

static void test_disclosure_2d(void **state)
{
	(void)state;
	load_trials(&shape2, 1, 30);
	for (unsigned t = 1; t <= 30; t++)
		publish_and_attack(&shape2, t, 5);
	for (unsigned t = 1; t <= 5; t++) {
		publish_and_attack(&shape2, t, 3);
		publish_and_attack(&shape2, t, 10);
	}
}

static void test_disclosure_3d(void **state)
{
	(void)state;
	load_trials(&shape3, 1, 10);
	for (unsigned t = 1; t <= 10; t++)
		publish_and_attack(&shape3, t, 5);
}

/*
 * (d) A reader combines the bounds of several totals: in one table (trial
 * 5 of the 4 x 5 ones), KH|deportation ("<5") + KH|wage_theft ("x") = 10
 * gives wage theft in KH at most 9, TH|deportation ("<5") +
 * TH|wage_theft ("x") = 10 the same in TH, and the wage theft column says
 * the two make 18: both are 9, so both deportation cells are exactly 1.
 */
static void test_disclosure_bounds_across_totals(void **state)
{
	unsigned leaks;

	(void)state;
	load_trials(&shape2, 1, 30);
	load_trials(&shape3, 101, 110);
	leaks = propagation_leaks(&shape2, 1, 30) +
		propagation_leaks(&shape3, 101, 110);
	if (leaks)
		fail_msg("%u of 40 published tables give a cell away", leaks);
}

/*
 * The attacker is not blind: with the secondary cells shown again (primary
 * suppression alone), every one of its attacks works cells out.
 */
static void test_disclosure_attacker_sees(void **state)
{
	unsigned by_subtraction = 0, by_algebra = 0, by_bounds = 0;

	(void)state;
	load_trials(&shape2, 1, 30);
	for (unsigned t = 1; t <= 30; t++) {
		publish(&shape2, t, 5);
		for (size_t i = 0; i < res->ncells; i++)
			if (res->cells[i].mark == MRM_STATS_SECONDARY)
				res->cells[i].mark = MRM_STATS_SHOWN;
		reader_init(&live, res);
		by_subtraction += lone_withheld(&live) != SIZE_MAX;
		by_algebra += solved(&live) != SIZE_MAX;
		by_bounds += pinned(&live) != SIZE_MAX;
		reader_free(&live);
	}
	print_message("subtraction %u, algebra %u, bounds %u of 30\n",
		      by_subtraction, by_algebra, by_bounds);
	assert_true(by_subtraction > 0);
	assert_true(by_algebra >= by_subtraction);
	assert_true(by_bounds >= by_subtraction);
}

/* A small table worked out by hand. */
static const char small_csv[] =
	"event.key,event.title,attr.cause,act.type,victim.unit,"
	"victim.group_size\n"
	"s1,Raid,drowning,arrest,group,12\n"
	"s2,Held,,detention,group,3\n"
	"s3,Sent back,,deportation,group,8\n"
	"s4,Asked for money,,extortion,,\n"
	"s5,Unpaid,,wage_theft,group,7\n";

static void test_disclosure_by_hand(void **state)
{
	json_t *j, *rows;
	char *dumped;

	(void)state;
	load(small_csv);
	/* detention (3) is under the threshold; the total would give it
	 * away, so the smallest other non-zero cell (wage theft, 7) goes
	 * too; extortion involved nobody and is shown as 0 */
	RUN(.measure = "persons", .by = "act_type", .public = 1);
	expect_cells("arrest=12 deportation=8 detention=<5 extortion=0 "
		     "wage_theft=x *=30");
	assert_int_equal(res->suppressed, 2);
	attack(res);

	j = mrm_stats_json(res);
	dumped = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(strstr(dumped, "{\"act_type\":\"detention\","
				       "\"value\":\"<5\"}"));
	assert_non_null(strstr(dumped, "{\"act_type\":\"wage_theft\","
				       "\"value\":\"x\"}"));
	assert_non_null(strstr(dumped, "{\"act_type\":\"extortion\","
				       "\"value\":0}"));
	assert_non_null(strstr(dumped, "\"suppressed\":2"));
	assert_non_null(strstr(dumped, "\"threshold\":5"));
	assert_non_null(strstr(dumped, "\"total\":30"));
	rows = json_object_get(j, "rows");
	assert_int_equal(json_array_size(rows), 5);
	free(dumped);
	json_decref(j);

	/* the same query unpublished shows everything */
	RUN(.measure = "persons", .by = "act_type");
	expect_cells("arrest=12 deportation=8 detention=3 extortion=0 "
		     "wage_theft=7 *=30");
	assert_int_equal(res->suppressed, 0);

	/* a higher threshold */
	RUN(.measure = "persons", .by = "act_type", .public = 1, .k = 10);
	assert_string_equal(text("detention"), "<10");
	assert_string_equal(text("wage_theft"), "<10");
	assert_string_equal(text("deportation"), "<10");
	attack(res);

	/* attributes can hold free text: never a published breakdown (but
	 * a filter: see test_disclosure_total_alone) */
	expect_refused(
		TRY(.measure = "persons", .by = "attr.cause", .public = 1),
		"attributes", NULL, NULL);
	expect_refused(
		TRY(.measure = "persons", .by = "year,attr.cause", .public = 1),
		"attributes", NULL, NULL);
	RUN(.measure = "persons", .by = "year",
	    .where = {"attr.cause=drowning"}, .public = 1);
	expect_cells("unknown=12 *=12");
}

/* A published total alone, without a breakdown. */
static void test_disclosure_total_alone(void **state)
{
	(void)state;
	load(small_csv);
	SAFE_RUN(.measure = "persons", .public = 1);
	expect_cells("=30");
	SAFE_RUN(.measure = "persons", .where = {"act_type=detention"},
		 .public = 1);
	expect_cells("=<5");
	SAFE_RUN(.measure = "persons", .where = {"attr.cause=drowning"},
		 .public = 1);
	expect_cells("=12");
}

/*
 * A total under the threshold over k - 1 non-zero cells: each of them
 * is at least 1 and together they are at most k - 1, so each is exactly
 * 1 - unless something more is withheld.
 */
static const char pin_csv[] =
	"event.key,event.title,event.country,act.type,victim.unit,"
	"victim.group_size\n"
	"p1,A,MM,arrest,individual,1\n"
	"p2,B,MM,detention,individual,1\n"
	"p3,C,MM,deportation,individual,1\n"
	"p4,D,MM,extortion,individual,1\n"
	"p5,E,TH,arrest,group,30\n"
	"p6,F,TH,detention,group,20\n"
	"p7,G,TH,deportation,group,25\n"
	"p8,H,TH,extortion,group,40\n"
	"p9,I,TH,wage_theft,group,50\n"
	"p10,J,KH,arrest,group,12\n"
	"p11,K,KH,wage_theft,group,15\n";

static void test_disclosure_small_total_pins_cells(void **state)
{
	(void)state;
	load(pin_csv);
	RUN(.measure = "persons", .by = "act_type", .public = 1,
	    .where = {"country=MM"});
	attack(res);
	RUN(.measure = "persons", .by = "country,act_type", .public = 1);
	attack(res);
}

/*
 * Sums (days in detention, money) add up like counts, so the published
 * totals must not give a withheld sum away either. Nine small cells of a
 * 4 x 4 table in two blocks joined by one cell (marked #):
 *
 *	s s . .
 *	s s # .
 *	. . s s
 *	. . s s
 *
 * Every row and column has two withheld cells or more, but rows 1 and 2
 * less columns 1 and 2 leave # alone.
 */
static const int sums_small[4][4] = {
	{1, 1, 0, 0}, {1, 1, 1, 0}, {0, 0, 1, 1}, {0, 0, 1, 1}};
static const char *const sums_nat[] = {"MM", "KH", "LA", "VN"};

static void load_sums_table(void)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&csv, &len);
	unsigned n = 0;

	assert_non_null(fp);
	fputs("event.key,event.title,act.type,act.start_date,act.end_date,"
	      "victim.key,victim.nationality,arrest.money_demanded,"
	      "arrest.currency\n",
	      fp);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 4; c++)
			for (int i = 0; i < (sums_small[r][c] ? 2 : 5); i++) {
				int days = 1 + (r * 7 + c * 3 + i * 5) % 20;

				n++;
				fprintf(fp,
					"h%u,Held,detention,%d-01-01,%d-01-%"
					"02d,"
					"v%u,%s,,\n",
					n, 2016 + c, 2016 + c, days, n,
					sums_nat[r]);
				fprintf(fp,
					"a%u,Bribe,arrest,%d-01-01,,w%u,%s,%d,"
					"THB\n",
					n, 2016 + c, n, sums_nat[r],
					100 * days + 37 * r);
			}
	fclose(fp);
	load(csv);
	free(csv);
}

static void test_disclosure_sums_of_days(void **state)
{
	(void)state;
	load_sums_table();
	/* the counts of people are protected */
	RUN(.measure = "persons", .by = "nationality,year", .public = 1,
	    .where = {"act_type=detention"});
	assert_string_equal(text("KH|2018"), "<5");
	attack(res);
	RUN(.measure = "detention-days", .by = "nationality,year", .public = 1,
	    .as_of = "2021-01-01");
	assert_string_equal(text("KH|2018"), "<5");
	attack(res);
}

static void test_disclosure_sums_of_money(void **state)
{
	(void)state;
	load_sums_table();
	RUN(.measure = "money-demanded", .by = "nationality,year", .public = 1);
	assert_string_equal(text("KH|2018|THB"), "<5");
	attack(res);
}

/* Other measures are published under the same threshold. */
static void test_disclosure_other_measures(void **state)
{
	(void)state;
	load(counting_csv);
	/* 5 arrests of 124 people, 2 detentions of 2: withheld, and so is
	 * the arrest cell that would give them away */
	RUN(.measure = "acts", .by = "act_type", .public = 1);
	expect_cells("arrest=x detention=<5 *=7");
	check_published(res);
	/* events: 3, 2 and 1 (the event without acts) */
	RUN(.measure = "events", .by = "act_type", .public = 1);
	expect_cells("arrest=<5 detention=<5 unknown=<5 *=5");
	check_published(res);
	RUN(.measure = "distinct-persons", .by = "act_type", .public = 1);
	expect_cells("arrest=x detention=<5 *=124");
	check_published(res);

	/* days: a single detention in 2019; 2020 would give it away */
	load(detention_csv);
	RUN(.measure = "detention-days", .by = "year", .public = 1,
	    .from = "2019", .as_of = "2020-03-20");
	expect_cells("2019=<5 2020=x *=70");
	check_published(res);

	/* money: a sum paid by a single person */
	load("event.key,event.title,event.start_date,act.type,victim.key,"
	     "arrest.money_demanded,arrest.currency\n"
	     "b1,Bribe,2016-01-01,arrest,payer,500,THB\n"
	     "b2,Bribe,2017-01-01,arrest,,700,THB\n"
	     "b3,Bribe,2017-01-01,arrest,,800,THB\n");
	RUN(.measure = "money-demanded", .by = "year", .public = 1);
	assert_string_equal(text("2016|THB"), "<5");
	check_published(res);
}

/* ==== 8. the IOM Missing Migrants figures ==== */

#define IOM_FIRST 2014
#define IOM_YEARS 6

/* Column `name` of the header the reader has just read. */
static size_t column(struct mrm_csv_reader *rd, const char *name)
{
	for (size_t i = 0; i < mrm_csv_nfields(rd); i++)
		if (!strcmp(mrm_csv_field(rd, i, NULL), name))
			return i;
	fail_msg("no column \"%s\"", name);
	return 0;
}

static void test_iom_southeast_asia(void **state)
{
	int64_t want[IOM_YEARS] = {0}, total = 0;
	struct mrm_csv_reader *rd = NULL;
	struct mrm_import_opts o = {0};
	struct mrm_import_stats stats;
	struct mrm_mapping *map = NULL;
	size_t region, year, dead;
	FILE *fp;
	int rc;

	(void)state;
	/* the figures from the file itself */
	fp = fopen(tsrc(IOM_CSV), "r");
	assert_non_null(fp);
	assert_int_equal(mrm_csv_reader_new(&rd, fp, IOM_CSV, NULL, &err), 0);
	assert_int_equal(mrm_csv_next(rd, &err), 1);
	region = column(rd, "Region of Incident");
	year = column(rd, "Reported Year");
	dead = column(rd, "Total Dead and Missing");
	while ((rc = mrm_csv_next(rd, &err)) == 1) {
		const char *y = mrm_csv_field(rd, year, NULL);
		const char *n = mrm_csv_field(rd, dead, NULL);
		const char *reg = mrm_csv_field(rd, region, NULL);

		if (!reg || strcmp(reg, "Southeast Asia"))
			continue;
		assert_non_null(y);
		assert_in_range(atoi(y), IOM_FIRST, IOM_FIRST + IOM_YEARS - 1);
		want[atoi(y) - IOM_FIRST] += n ? atoll(n) : 0;
		total += n ? atoll(n) : 0;
	}
	assert_int_equal(rc, 0);
	mrm_csv_reader_free(rd);
	assert_true(total > 0);

	/* the engine's, after importing it through the shipped mapping */
	rewind(fp);
	assert_int_equal(mrm_mapping_load(&map, "iom-missing-migrants", &err),
			 0);
	assert_int_equal(mrm_org_add(db.st, "IOM",
				     "International Organization for "
				     "Migration",
				     "CH", &err),
			 0);
	o.org = "IOM";
	o.mapping = map;
	rc = mrm_import_csv(db.st, fp, IOM_CSV, &o, &stats, &err);
	fclose(fp);
	mrm_mapping_free(map);
	if (rc)
		print_error("import: %s\n", err.msg);
	assert_int_equal(rc, 0);

	RUN(.measure = "persons", .by = "year",
	    .where = {"act_type=death,missing", "attr.region=Southeast Asia"});
	check_structure(res, 1);
	for (int y = 0; y < IOM_YEARS; y++) {
		char name[8];

		snprintf(name, sizeof(name), "%d", IOM_FIRST + y);
		print_message("%s: %lld\n", name, (long long)want[y]);
		assert_int_equal(val(name), want[y] ? want[y] : -1);
	}
	assert_int_equal(val("*"), total);
	/* loss_of_life is the two of them */
	RUN(.measure = "persons",
	    .where = {"act_type=loss_of_life", "attr.region=Southeast Asia"});
	assert_int_equal(val(""), total);
}

/* ==== 9. the fact cache ==== */

static char *answer_json(struct q q)
{
	json_t *j;
	char *s;

	run(q);
	j = mrm_stats_json(res);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	assert_non_null(s);
	return s;
}

/* The generation the cache was built from (-1: no cache). */
static int64_t cache_generation(struct mrm_store *st)
{
	sqlite3_stmt *s = NULL;
	int64_t gen = -1;

	assert_int_equal(
		sqlite3_prepare_v2(mrm_store_db(st),
				   "SELECT generation FROM stats_cache", -1, &s,
				   NULL),
		SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		gen = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return gen;
}

static void test_fact_cache(void **state)
{
	static const struct q q = {.measure = "persons", .by = "year,act_type"};
	struct mrm_import_stats stats;
	struct mrm_store *other = NULL;
	struct tproblems probs;
	char *a, *b;
	FILE *fp;

	(void)state;
	load(counting_csv);
	a = answer_json(q);
	assert_int_equal(cache_generation(db.st), mrm_store_generation(db.st));
	/* from the cache: the same answer */
	b = answer_json(q);
	assert_string_equal(a, b);
	free(b);
	assert_int_equal(val("2016|*"), 126);

	/* more data: the next answer has it */
	load("event.key,event.title,event.start_date,act.type,victim.unit,"
	     "victim.group_size\n"
	     "later,Later raid,2017-01-01,arrest,group,9\n");
	b = answer_json(q);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(val("2017|arrest"), 9);
	assert_int_equal(val("*|*"), 135);
	assert_int_equal(cache_generation(db.st), mrm_store_generation(db.st));

	/* a write through another connection */
	assert_int_equal(mrm_store_open(&other, db.path, &err), 0);
	fp = tmpfile();
	assert_non_null(fp);
	fputs("event.key,event.title,event.start_date,act.type,victim.unit,"
	      "victim.group_size\n"
	      "other,Other raid,2018-01-01,detention,group,6\n",
	      fp);
	rewind(fp);
	assert_int_equal(
		mrm_import_csv(other, fp, "other.csv",
			       &(struct mrm_import_opts){.org = "MKN-MM"},
			       &stats, &err),
		0);
	fclose(fp);
	mrm_store_close(other);
	a = answer_json(q);
	assert_int_equal(val("2018|detention"), 6);
	assert_int_equal(val("*|*"), 141);

	/* a rejected import changes nothing */
	assert_int_equal(tdb_import(&db, "bad.csv",
				    "event.key,event.title,act.type\n"
				    "bad,Bad,arest\n",
				    NULL, &stats, &probs, &err),
			 MRM_ERR_INVALID);
	b = answer_json(q);
	assert_string_equal(a, b);
	free(a);
	free(b);

	/* the events measure relies on the cached order of facts */
	RUN(.measure = "events", .by = "act_type");
	expect_cells("arrest=4 detention=3 unknown=1 *=7");
	RUN(.measure = "events", .by = "act_type");
	expect_cells("arrest=4 detention=3 unknown=1 *=7");
}

/* ==== nothing to count ==== */

/*
 * Queries that match nothing answer with no cells, a total of 0 in JSON
 * and nothing suppressed; an empty database is no different.
 */
static void expect_empty(void)
{
	json_t *j = mrm_stats_json(res);

	assert_int_equal(res->ncells, 0);
	assert_int_equal(res->suppressed, 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "rows")), 0);
	json_decref(j);
}

static void test_empty_answers(void **state)
{
	(void)state;
	SAFE_RUN(.measure = "persons", .by = "year");
	expect_empty();
	SAFE_RUN(.measure = "detention-days", .public = 1);
	expect_empty();
	load(filter_csv);
	SAFE_RUN(.measure = "persons",
		 .where = {"act_type=arrest", "act_type=detention"});
	expect_empty();
	SAFE_RUN(.measure = "persons", .by = "year", .from = "2016");
	expect_empty();
	SAFE_RUN(.measure = "distinct-persons", .by = "sex", .to = "2000");
	expect_empty();
	SAFE_RUN(.measure = "money-paid", .public = 1);
	expect_empty();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_counting_people),
		T(test_time_dimensions),
		T(test_place_person_dimensions),
		T(test_three_dimensions_and_subtotals),
		T(test_age_band),
		T(test_age_band_partial_dates),
		T(test_attribute_dimension),
		T(test_unknown_is_one_cell),
		T(test_filters),
		T(test_periods),
		T(test_detention_days),
		T(test_detention_days_quantiles),
		T(test_detention_days_partial_as_of),
		T(test_detention_quantiles_public),
		T(test_compensation),
		T(test_money),
		T(test_bad_queries),
		T(test_disclosure_by_hand),
		T(test_disclosure_total_alone),
		T(test_disclosure_1d),
		T(test_disclosure_2d),
		T(test_disclosure_3d),
		T(test_disclosure_attacker_sees),
		T(test_disclosure_small_total_pins_cells),
		T(test_disclosure_bounds_across_totals),
		T(test_disclosure_sums_of_days),
		T(test_disclosure_sums_of_money),
		T(test_disclosure_other_measures),
		T(test_iom_southeast_asia),
		T(test_fact_cache),
		/* last: the sanitizers stop the program on the first bug */
		T(test_empty_answers),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
