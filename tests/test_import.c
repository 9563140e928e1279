/*
 * test_import.c - importing documentation (src/lib/import.c, import_json.c,
 * mapping.c): native CSV, the project's JSON, mapping files.
 *
 * What matters most here: bad input never half-lands (every rejected import
 * leaves the database exactly as it was), every problem is located
 * (NAME:LINE:COLUMN, or a JSON path), and sensitive fields never reach the
 * database file, nor a message, in clear.
 *
 * Each test gets a struct fx from its setup; everything it allocates hangs
 * there, so that teardown frees it even when an assertion fails.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/csv.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tests/data/import/native-events.csv: two events, four acts */
#define FIXTURE "tests/data/import/native-events.csv"
#define TITLE_1                                                                \
	"Arrest, detention and deportation of fishing workers in Mae Sot"
#define NAME_MY	  "မောင်အောင်ကျော်" /* Maung Aung Kyaw */
#define CONTACT	  "+66 81 234 5678"
#define HEALTH	  "HIV positive"
#define NARRATIVE "Secret narrative: he was beaten at the pier by two officers"

#define IOM_CSV	   "tests/data/iom-missing-migrants-2014-2019.csv"
#define IOM_EVENTS 5987

/* ---- the per-test fixture ---- */

struct fx {
	struct tdb t, t2;   /* t2: a second database, when dir is set */
	const void *c;	    /* the case of a table-driven test */
	char *before;	    /* snapshot taken before the import under test */
	char *text, *text2; /* inputs, exports */
	json_t *json;
	FILE *rejects;
	struct mrm_mapping *map;
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
};

static int setup_db(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->c = *state;
	tdb_open(&f->t);
	*state = f;
	return 0;
}

/* Import CSV file `rel` of the source tree into f->t; `opts` may be NULL. */
static int import_file(struct fx *f, const char *rel,
		       struct mrm_import_opts *opts)
{
	char *text = slurp(tsrc(rel), NULL);
	int rc;

	assert_non_null(text);
	rc = tdb_import(&f->t, rel, text, opts, &f->stats, &f->probs, &f->err);
	free(text);
	if (rc || f->probs.n)
		print_message("%s(import error) %s: %s\n", f->probs.text,
			      f->err.where, f->err.msg);
	return rc;
}

/* Import the fixture, insist that it landed cleanly, take a snapshot. */
static int setup_fixture(void **state)
{
	struct fx *f;

	setup_db(state);
	f = *state;
	assert_int_equal(import_file(f, FIXTURE, NULL), 0);
	assert_int_equal(f->probs.n, 0);
	f->before = tdb_snapshot(&f->t);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->before);
	free(f->text);
	free(f->text2);
	json_decref(f->json);
	if (f->rejects)
		fclose(f->rejects);
	mrm_mapping_free(f->map);
	tdb_close(&f->t);
	if (f->t2.dir[0])
		tdb_close(&f->t2);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static int bytes_contain(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

/* Does `needle` occur in the database file or its -wal file? */
static int db_files_contain(const struct tdb *t, const char *needle)
{
	static const char *const suffix[] = {"", "-wal"};
	int found = 0;

	for (size_t i = 0; i < 2; i++) {
		char path[160];
		size_t n = 0;
		char *bytes;

		snprintf(path, sizeof(path), "%s%s", t->path, suffix[i]);
		bytes = slurp(path, &n);
		if (bytes)
			found |= bytes_contain(bytes, n, needle);
		free(bytes);
	}
	return found;
}

/* One integer from a query (with one optional text parameter). */
static int64_t db_int(struct tdb *t, const char *sql, const char *arg)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	assert_int_equal(
		sqlite3_prepare_v2(mrm_store_db(t->st), sql, -1, &s, NULL),
		SQLITE_OK);
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The id of the event with `key`, or -1. */
static int64_t event_id(struct tdb *t, const char *key)
{
	return db_int(t, "SELECT id FROM event WHERE key = ?", key);
}

/* mrm_event_json of the event with `key`, kept in f->json. */
static json_t *event_by_key(struct fx *f, const char *key)
{
	int64_t id = event_id(&f->t, key);

	assert_true(id > 0);
	json_decref(f->json);
	f->json = NULL;
	assert_int_equal(mrm_event_json(f->t.st, id, &f->json, &f->err), 0);
	assert_non_null(f->json);
	return f->json;
}

/* The database must still read exactly as f->before. */
static void expect_unchanged(struct fx *f)
{
	free(f->text2);
	f->text2 = tdb_snapshot(&f->t);
	assert_string_equal(f->text2, f->before);
}

/* ---- JSON by path ("acts[2].deportation.cost") ---- */

static json_t *jpath(json_t *v, const char *path)
{
	char key[64];

	while (v && *path) {
		size_t n = strcspn(path, ".[");

		if (n) {
			snprintf(key, sizeof(key), "%.*s", (int)n, path);
			v = json_object_get(v, key);
			path += n;
		}
		if (*path == '[') {
			char *end;

			v = json_array_get(v, strtoul(path + 1, &end, 10));
			path = end + (*end == ']');
		}
		if (*path == '.')
			path++;
	}
	return v;
}

static void expect_str(json_t *root, const char *path, const char *want)
{
	const char *got = json_string_value(jpath(root, path));

	if (!got || strcmp(got, want))
		print_error("%s is \"%s\", expected \"%s\"\n", path,
			    got ? got : "(absent)", want);
	assert_non_null(got);
	assert_string_equal(got, want);
}

static void expect_int(json_t *root, const char *path, json_int_t want)
{
	json_t *v = jpath(root, path);

	if (!json_is_integer(v) || json_integer_value(v) != want)
		print_error("%s is not the integer %lld\n", path,
			    (long long)want);
	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), want);
}

static void expect_bool(json_t *root, const char *path, int want)
{
	json_t *v = jpath(root, path);

	if (!json_is_boolean(v) || json_is_true(v) != want)
		print_error("%s is not %s\n", path, want ? "true" : "false");
	assert_true(json_is_boolean(v));
	assert_int_equal(json_is_true(v), want);
}

static void expect_real(json_t *root, const char *path, double want)
{
	json_t *v = jpath(root, path);

	assert_true(json_is_number(v));
	assert_true(json_number_value(v) > want - 1e-9 &&
		    json_number_value(v) < want + 1e-9);
}

static void expect_absent(json_t *root, const char *path)
{
	if (jpath(root, path))
		print_error("%s should be absent\n", path);
	assert_null(jpath(root, path));
}

/* ---- located problems ---- */

/*
 * Was a problem reported (to on_error, or as the import's own error) at
 * exactly `where`, its message holding `phrase` and, if given, `hint`?
 */
static int has_problem(const struct fx *f, const char *where,
		       const char *phrase, const char *hint)
{
	size_t wlen = strlen(where), size = sizeof(f->probs.text) + 2048;
	char *all = malloc(size), *line, *save = NULL;
	int found = 0;

	assert_non_null(all);
	snprintf(all, size, "%s%s: %s\n", f->probs.text, f->err.where,
		 f->err.msg);
	for (line = strtok_r(all, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = !strncmp(line, where, wlen) && line[wlen] == ':' &&
			line[wlen + 1] == ' ' && strstr(line + wlen, phrase) &&
			(!hint || strstr(line + wlen, hint));
	free(all);
	return found;
}

static void expect_problem(const struct fx *f, const char *where,
			   const char *phrase, const char *hint)
{
	int found = has_problem(f, where, phrase, hint);

	if (!found)
		print_error("expected a problem \"%s: ...%s...%s\"; reported:\n"
			    "%s(import error) %s: %s\n",
			    where, phrase, hint ? hint : "", f->probs.text,
			    f->err.where, f->err.msg);
	assert_true(found);
}

/* No message may repeat a person's name. */
static void expect_not_mentioned(const struct fx *f, const char *name)
{
	assert_null(strstr(f->probs.text, name));
	assert_null(strstr(f->err.msg, name));
	assert_null(strstr(f->err.where, name));
}

static void expect_substr(const char *s, const char *sub)
{
	if (!strstr(s, sub))
		print_error("\"%s\" lacks \"%s\"\n", s, sub);
	assert_non_null(strstr(s, sub));
}

/* ---- 1. native CSV, every kind of value ---- */

static void test_native_csv_values(void **state)
{
	struct fx *f = *state;
	json_t *ev;

	assert_int_equal(f->stats.rows, 4);
	assert_int_equal(f->stats.errors, 0);
	assert_int_equal(f->stats.rejected, 0);
	assert_int_equal(f->stats.events, 2);
	assert_int_equal(f->stats.events_existing, 0);
	assert_int_equal(f->stats.acts, 4);
	assert_int_equal(f->stats.persons, 2);
	assert_int_equal(f->stats.sources, 3); /* a repeated source is one */
	assert_int_equal(f->stats.interventions, 1);
	assert_int_equal(
		db_int(&f->t, "SELECT sum(group_size) FROM person", NULL), 121);

	ev = event_by_key(f, "mkn-2019-001");
	expect_str(ev, "org", "MKN-TH");
	expect_str(ev, "title", TITLE_1);
	expect_str(ev, "narrative", NARRATIVE);
	expect_str(ev, "start_date", "2019-03-02");
	expect_str(ev, "end_date", "2019-03-25");
	expect_str(ev, "country", "TH");
	expect_str(ev, "admin1", "TH-63");
	expect_str(ev, "confidentiality", "restricted");
	expect_real(ev, "latitude", 16.7136);
	expect_real(ev, "longitude", 98.5745);
	expect_absent(ev, "attrs");
	assert_int_equal(json_array_size(json_object_get(ev, "acts")), 3);

	expect_str(ev, "acts[0].type", "arrest");
	expect_str(ev, "acts[0].arrest.authority", "Tak immigration police");
	expect_str(ev, "acts[0].perpetrator.type", "police");
	expect_str(ev, "acts[0].victim.key", "v-001");
	expect_str(ev, "acts[0].victim.unit", "individual");
	expect_int(ev, "acts[0].victim.group_size", 1);
	expect_str(ev, "acts[0].victim.name", NAME_MY);
	expect_str(ev, "acts[0].victim.contact", CONTACT);
	expect_str(ev, "acts[0].victim.health", HEALTH);
	expect_str(ev, "acts[0].victim.sex", "male");
	expect_str(ev, "acts[0].victim.birth_date", "1990-04");
	expect_str(ev, "acts[0].victim.nationality", "MM");
	expect_str(ev, "acts[0].victim.doc_status", "pink_card");
	expect_str(ev, "acts[0].victim.sector", "fishing");

	expect_str(ev, "acts[1].type", "detention");
	expect_str(ev, "acts[1].start_date", "2019-03-02");
	expect_str(ev, "acts[1].end_date", "2019-03-20");
	expect_str(ev, "acts[1].detention.facility_type",
		   "immigration_detention_centre");
	expect_str(ev, "acts[1].detention.facility_name", "Mae Sot IDC");
	expect_bool(ev, "acts[1].detention.legal_counsel", 0);
	expect_bool(ev, "acts[1].detention.consular_access", 0);
	expect_str(ev, "acts[1].victim.name", NAME_MY); /* by victim.key */
	expect_absent(ev, "acts[1].arrest");

	expect_str(ev, "acts[2].type", "deportation");
	expect_str(ev, "acts[2].deportation.checkpoint", "th-maesot");
	expect_bool(ev, "acts[2].deportation.formal", 1);
	expect_str(ev, "acts[2].deportation.cost", "500.50");
	expect_str(ev, "acts[2].deportation.currency", "THB");
	expect_str(ev, "acts[2].victim.key", "v-001");

	assert_int_equal(json_array_size(json_object_get(ev, "sources")), 2);
	expect_str(ev, "sources[0].kind", "interview");
	expect_int(ev, "sources[0].reliability", 4);
	expect_str(ev, "sources[0].date", "2019-03-28");
	expect_str(ev, "sources[1].kind", "media");
	expect_str(ev, "sources[1].name", "Myanmar Now");
	assert_int_equal(json_array_size(json_object_get(ev, "interventions")),
			 1);
	expect_str(ev, "interventions[0].type", "legal_aid");
	expect_str(ev, "interventions[0].compensation", "15000.00");
	expect_str(ev, "interventions[0].currency", "THB");
	expect_str(ev, "interventions[0].victim", "v-001");

	ev = event_by_key(f, "mkn-2019-002");
	expect_str(ev, "start_date", "2019-06");
	expect_absent(ev, "end_date");
	expect_absent(ev, "narrative");
	assert_int_equal(json_array_size(json_object_get(ev, "acts")), 1);
	expect_str(ev, "acts[0].victim.unit", "group");
	expect_int(ev, "acts[0].victim.group_size", 120);
	expect_str(ev, "acts[0].victim.doc_status", "undocumented");
	expect_absent(ev, "acts[0].victim.name");
	expect_int(ev, "sources[0].reliability", 5);
	expect_absent(ev, "interventions");
	/* the custom attribute keeps its name (column attr.raid_size) */
	assert_int_equal(json_object_size(json_object_get(ev, "attrs")), 1);
	expect_str(ev, "attrs.raid_size[0]", "300");
}

/* ---- 2. encryption at rest ---- */

static void expect_no_clear_text(const struct tdb *t)
{
	static const char *const secret[] = {NAME_MY, CONTACT, HEALTH,
					     NARRATIVE};

	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		if (db_files_contain(t, secret[i]))
			print_error("\"%s\" is in the database in clear\n",
				    secret[i]);
		assert_false(db_files_contain(t, secret[i]));
	}
	/* the search can see text: the public title is there */
	assert_true(db_files_contain(t, TITLE_1));
}

static void test_encrypted_at_rest(void **state)
{
	struct fx *f = *state;

	expect_no_clear_text(&f->t); /* open: recent pages are in the WAL */
	mrm_store_close(f->t.st);
	f->t.st = NULL;
	expect_no_clear_text(&f->t); /* closed: checkpointed into the file */
}

/* A child's guardian can identify the child: sealed like the name, and
 * back in clear in the export. */
static void test_guardian_sealed(void **state)
{
	const char *guardian = "Daw Khin Khin Guardian";
	struct mrm_import_stats stats;
	struct mrm_error err;
	struct tdb t;
	char csv[512], *json;

	(void)state;
	tdb_open(&t);
	snprintf(csv, sizeof(csv),
		 "event.key,event.title,act.type,victim.key,victim.child,"
		 "victim.guardian\n"
		 "g-1,Child without papers,birth_registration_denied,c-1,true,"
		 "%s\n",
		 guardian);
	assert_int_equal(tdb_import(&t, "g.csv", csv, NULL, &stats, NULL, &err),
			 0);
	mrm_store_close(t.st);
	t.st = NULL;
	assert_false(db_files_contain(&t, guardian));
	assert_int_equal(mrm_store_open(&t.st, t.path, &err), 0);
	json = tdb_snapshot(&t);
	assert_non_null(strstr(json, guardian));
	free(json);
	tdb_close(&t);
}

/* ---- 3. every kind of bad CSV input is located and lands nothing ---- */

#define BAD_HEADER                                                             \
	"event.key,event.title,event.start_date,event.latitude,act.type,"      \
	"victim.unit,victim.group_size,source.reliability,deportation.cost,"   \
	"deportation.currency,victim.name\n"
/* Line 2 of every bad file: a good row, which must not land either. */
#define GOOD_ROW                                                               \
	"bad-2,A good row,2019-01-05,16.7,arrest,individual,,3,,,Ko Ko\n"
/* The name in the bad rows, which no message may repeat. */
#define BAD_NAME "Ma Hla"

struct bad_csv {
	const char *label;
	const char *header; /* NULL: BAD_HEADER */
	const char *row;    /* line 3; with `big`, "%s" is a big field */
	size_t big;
	const char *where, *phrase, *hint;
};

static struct bad_csv bad_csv_cases[] = {
	{"bad csv: invalid UTF-8", NULL,
	 "bad-3,Title \xff here,,,,,,,,," BAD_NAME "\n", 0, "bad.csv:3:2",
	 "invalid UTF-8", NULL},
	{"bad csv: invalid UTF-8 in a name", NULL,
	 "bad-3,T,,,arrest,,,,,,Ma \xe1\x80 Hla\n", 0, "bad.csv:3:11",
	 "invalid UTF-8", NULL},
	{"bad csv: unknown vocabulary term", NULL,
	 "bad-3,T,,,arest,,,,,," BAD_NAME "\n", 0, "bad.csv:3:5",
	 "unknown act_type \"arest\"", "arrest"},
	{"bad csv: day that does not exist", NULL,
	 "bad-3,T,2014-02-30,,,,,,,," BAD_NAME "\n", 0, "bad.csv:3:3",
	 "day 30 does not exist", NULL},
	{"bad csv: date not ISO", NULL, "bad-3,T,June 5,,,,,,,," BAD_NAME "\n",
	 0, "bad.csv:3:3", "bad date \"June 5\"", NULL},
	{"bad csv: group size 0", NULL,
	 "bad-3,T,,,arrest,group,0,,,," BAD_NAME "\n", 0, "bad.csv:3:7",
	 "0 is out of range", NULL},
	{"bad csv: group size 20000000", NULL,
	 "bad-3,T,,,arrest,group,20000000,,,," BAD_NAME "\n", 0, "bad.csv:3:7",
	 "20000000 is out of range", NULL},
	{"bad csv: reliability 9", NULL, "bad-3,T,,,,,,9,,," BAD_NAME "\n", 0,
	 "bad.csv:3:8", "9 is out of range", NULL},
	{"bad csv: latitude 200", NULL, "bad-3,T,,200,,,,,,," BAD_NAME "\n", 0,
	 "bad.csv:3:4", "200 is out of range", NULL},
	/* cross-field problems are located at the cell at fault too */
	{"bad csv: empty title", NULL, "bad-3,,,,arrest,,,,,," BAD_NAME "\n", 0,
	 "bad.csv:3:2", "missing required field event.title", NULL},
	{"bad csv: quote never closed", NULL,
	 "bad-3,\"never closed,,,,,,,,," BAD_NAME "\nbad-4,T,,,,,,,,,\n", 0,
	 "bad.csv:3:2", "quote never closed", NULL},
	{"bad csv: too many columns", NULL,
	 "bad-3,T,,,,,,,,," BAD_NAME ",extra\n", 0, "bad.csv:3:12",
	 "12 columns, the header has 11", NULL},
	{"bad csv: field over the size limit", NULL,
	 "bad-3,%s,,,,,,,,," BAD_NAME "\n", (size_t)2 << 20, "bad.csv:3:2",
	 "field longer than", NULL},
	{"bad csv: unknown column in the header",
	 "event.key,event.title,event.start_date,event.latitude,act.tpye,"
	 "victim.unit,victim.group_size,source.reliability,deportation.cost,"
	 "deportation.currency,victim.name\n",
	 "bad-3,T,,,,,,,,," BAD_NAME "\n", 0, "bad.csv:1:5",
	 "unknown field \"act.tpye\"", "act.type"},
	{"bad csv: money without currency", NULL,
	 "bad-3,T,,,deportation,,,,500,," BAD_NAME "\n", 0, "bad.csv:3:9",
	 "has no currency", NULL},
	{"bad csv: unknown currency", NULL,
	 "bad-3,T,,,deportation,,,,500,XYZ," BAD_NAME "\n", 0, "bad.csv:3:10",
	 "unknown currency \"XYZ\"", NULL},
	{"bad csv: individual of 5", NULL,
	 "bad-3,T,,,arrest,individual,5,,,," BAD_NAME "\n", 0, "bad.csv:3:7",
	 "victim.unit is individual", NULL},
};

/* Header, good row, bad row (malloc'd). */
static char *bad_csv_text(const struct bad_csv *c)
{
	const char *header = c->header ? c->header : BAD_HEADER;
	size_t size =
		strlen(header) + strlen(GOOD_ROW) + strlen(c->row) + c->big + 1;
	char *text = malloc(size), *big = malloc(c->big + 1);
	size_t at;

	assert_non_null(text);
	assert_non_null(big);
	memset(big, 'x', c->big);
	big[c->big] = '\0';
	at = (size_t)snprintf(text, size, "%s%s", header, GOOD_ROW);
	if (c->big)
		snprintf(text + at, size - at, c->row, big);
	else
		snprintf(text + at, size - at, "%s", c->row);
	free(big);
	return text;
}

static void test_bad_csv(void **state)
{
	struct fx *f = *state;
	const struct bad_csv *c = f->c;

	f->text = bad_csv_text(c);
	assert_int_equal(tdb_import(&f->t, "bad.csv", f->text, NULL, &f->stats,
				    &f->probs, &f->err),
			 MRM_ERR_INVALID);
	expect_problem(f, c->where, c->phrase, c->hint);
	assert_null(strstr(f->probs.text, "bad.csv:2:")); /* good row */
	expect_not_mentioned(f, "Ko Ko");
	expect_not_mentioned(f, "Hla");
	expect_unchanged(f);
}

static void test_good_row_then_bad_row(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tdb_import(&f->t, "bad.csv",
				    BAD_HEADER GOOD_ROW
				    "bad-3,T,,,arest,,,,,,\n",
				    NULL, &f->stats, &f->probs, &f->err),
			 MRM_ERR_INVALID);
	assert_int_equal(f->stats.rows, 2);
	assert_int_equal(f->stats.errors, 1);
	assert_int_equal(f->probs.n, 1);
	expect_problem(f, "bad.csv:3:5", "arest", "arrest");
	expect_problem(f, "bad.csv", "nothing was imported", NULL);
	assert_int_equal(event_id(&f->t, "bad-2"), -1);
	expect_unchanged(f);
}

/* ---- 4. several problems, and max_errors ---- */

#define MANY_ERRORS                                                            \
	BAD_HEADER                                                             \
	"m-2,T,2014-02-30,,,,,,,,\n"                                           \
	"m-3,T,,,arest,,,,,,\n"                                                \
	"m-4,T,,,,,,9,,,\n"                                                    \
	"m-5,A good one,,,,,,,,,\n"                                            \
	"m-6,T,,200,,,,,,,\n"                                                  \
	"m-7,T,,,arrest,group,0,,,,\n"

static const struct {
	const char *where, *phrase;
} many_errors[] = {
	{"many.csv:2:3", "day 30 does not exist"},
	{"many.csv:3:5", "unknown act_type \"arest\""},
	{"many.csv:4:8", "9 is out of range"},
	{"many.csv:6:4", "200 is out of range"},
	{"many.csv:7:7", "0 is out of range"},
};

static void test_many_errors(void **state)
{
	struct fx *f = *state;

	assert_int_equal(tdb_import(&f->t, "many.csv", MANY_ERRORS, NULL,
				    &f->stats, &f->probs, &f->err),
			 MRM_ERR_INVALID);
	assert_int_equal(f->probs.n, 5);
	assert_int_equal(f->stats.errors, 5);
	for (size_t i = 0; i < sizeof(many_errors) / sizeof(many_errors[0]);
	     i++)
		expect_problem(f, many_errors[i].where, many_errors[i].phrase,
			       NULL);
	expect_problem(f, "many.csv", "5 problems", "nothing was imported");
	expect_unchanged(f);
}

static void test_max_errors(void **state)
{
	struct mrm_import_opts opts = {.max_errors = 2};
	struct fx *f = *state;
	char summary[64];

	/* "reports up to max_errors of them": the first two */
	assert_int_equal(tdb_import(&f->t, "many.csv", MANY_ERRORS, &opts,
				    &f->stats, &f->probs, &f->err),
			 MRM_ERR_INVALID);
	assert_int_equal(f->probs.n, 2);
	for (size_t i = 0; i < 2; i++)
		expect_problem(f, many_errors[i].where, many_errors[i].phrase,
			       NULL);
	assert_null(strstr(f->probs.text, "many.csv:4:"));
	assert_true(f->stats.errors >= 2 && f->stats.errors <= 5);
	snprintf(summary, sizeof(summary), "%llu problems",
		 (unsigned long long)f->stats.errors);
	expect_problem(f, "many.csv", summary, "nothing was imported");
	expect_unchanged(f);

	/* three problems in one row, two shown: the summary says so */
	assert_int_equal(tdb_import(&f->t, "three.csv",
				    BAD_HEADER "x-2,T,June 5,200,arest,,,,,,\n",
				    &opts, &f->stats, &f->probs, &f->err),
			 MRM_ERR_INVALID);
	assert_int_equal(f->probs.n, 2);
	assert_int_equal(f->stats.errors, 3);
	expect_problem(f, "three.csv", "3 problems", "only the first shown");
	expect_unchanged(f);
}

/* ---- 5. skip_invalid and the rejects file ---- */

#define REJECTS_MAX 8

struct records {
	char rec[REJECTS_MAX][512]; /* fields joined by '|' */
	size_t nfields[REJECTS_MAX];
	size_t n;
};

/* Every record of CSV stream `fp`, read from its start. */
static void read_records(FILE *fp, struct records *out)
{
	struct mrm_csv_reader *r = NULL;
	struct mrm_error err;

	memset(out, 0, sizeof(*out));
	rewind(fp);
	assert_int_equal(mrm_csv_reader_new(&r, fp, "rejects", NULL, &err), 0);
	while (out->n < REJECTS_MAX && mrm_csv_next(r, &err) == 1) {
		char *rec = out->rec[out->n];

		out->nfields[out->n] = mrm_csv_nfields(r);
		for (size_t i = 0; i < mrm_csv_nfields(r); i++) {
			size_t len = strlen(rec);

			snprintf(rec + len, 512 - len, "%s%s", i ? "|" : "",
				 mrm_csv_field(r, i, NULL));
		}
		out->n++;
	}
	mrm_csv_reader_free(r);
}

static int import_skipping(struct fx *f, const char *text)
{
	struct mrm_import_opts opts = {.skip_invalid = 1};

	f->rejects = tmpfile();
	assert_non_null(f->rejects);
	opts.rejects = f->rejects;
	return tdb_import(&f->t, "skip.csv", text, &opts, &f->stats, &f->probs,
			  &f->err);
}

static void test_skip_invalid_rejects(void **state)
{
	struct fx *f = *state;
	struct records r;

	assert_int_equal(import_skipping(f, BAD_HEADER
					 "s-2,Good two,,,arrest,,,,,,\n"
					 "s-3,Bad three,,,arest,,,,,,\n"
					 "s-4,Good four,,,,,,,,,\n"
					 "s-5,Bad five,June 5,,,,,,,,\n"),
			 0);
	assert_int_equal(f->stats.rows, 4);
	assert_int_equal(f->stats.rejected, 2);
	assert_int_equal(f->stats.errors, 2);
	assert_int_equal(f->stats.events, 2);
	assert_int_equal(f->stats.acts, 1);
	expect_problem(f, "skip.csv:3:5", "arest", "arrest");
	expect_problem(f, "skip.csv:5:3", "June 5", NULL);
	assert_true(event_id(&f->t, "s-2") > 0);
	assert_true(event_id(&f->t, "s-4") > 0);
	assert_int_equal(event_id(&f->t, "s-3"), -1);
	assert_int_equal(event_id(&f->t, "s-5"), -1);

	/* the header with an error column, then each bad row and why */
	read_records(f->rejects, &r);
	assert_int_equal(r.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(r.nfields[i], 12);
	assert_true(!strncmp(r.rec[0], "event.key|event.title|", 22));
	assert_true(!strncmp(r.rec[1], "s-3|Bad three|||arest|", 22));
	expect_substr(r.rec[1], "unknown act_type \"arest\"");
	assert_true(!strncmp(r.rec[2], "s-5|Bad five|June 5|", 20));
	expect_substr(r.rec[2], "bad date \"June 5\"");
	/* the error column has a name in the header */
	assert_true(r.rec[0][strlen(r.rec[0]) - 1] != '|');
}

/* A row the CSV reader cannot read (invalid UTF-8) is rejected too, and
 * the rejects file must account for it like for any other. */
static void test_skip_invalid_unreadable_row(void **state)
{
	struct fx *f = *state;
	struct records r;

	assert_int_equal(import_skipping(f, BAD_HEADER
					 "u-2,Good,,,,,,,,,\n"
					 "u-3,Bad \xc3 byte,,,,,,,,,\n"),
			 0);
	assert_int_equal(f->stats.rejected, 1);
	assert_int_equal(f->stats.events, 1);
	expect_problem(f, "skip.csv:3:2", "invalid UTF-8", NULL);
	read_records(f->rejects, &r);
	assert_int_equal(r.n, 1 + f->stats.rejected); /* header + rows */
	expect_substr(r.rec[r.n - 1], "invalid UTF-8");
}

/* ---- 6. re-import adds nothing ---- */

static void test_reimport_adds_nothing(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import_file(f, FIXTURE, NULL), 0);
	assert_int_equal(f->probs.n, 0);
	assert_int_equal(f->stats.rows, 4);
	assert_int_equal(f->stats.events, 0);
	assert_int_equal(f->stats.events_existing, 2);
	assert_int_equal(f->stats.acts, 0);
	assert_int_equal(f->stats.persons, 0);
	assert_int_equal(f->stats.sources, 0);
	assert_int_equal(f->stats.interventions, 0);
	expect_unchanged(f);
}

/* ---- 7. JSON round trip ---- */

/* Import `len` bytes of JSON text into `t`. */
static int import_json_text(struct fx *f, struct tdb *t, const char *name,
			    const char *text, size_t len)
{
	struct mrm_import_opts o = {.org = "MKN-TH"};
	FILE *fp = tmpfile();
	int rc;

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	rewind(fp);
	memset(&f->probs, 0, sizeof(f->probs));
	o.on_error = tproblem;
	o.ctx = &f->probs;
	rc = mrm_import_json(t->st, fp, name, &o, &f->stats, &f->err);
	fclose(fp);
	return rc;
}

static void test_json_round_trip(void **state)
{
	struct fx *f = *state;
	json_t *doc;

	tdb_open(&f->t2);
	assert_int_equal(import_json_text(f, &f->t2, "a.json", f->before,
					  strlen(f->before)),
			 0);
	assert_int_equal(f->probs.n, 0);
	assert_int_equal(f->stats.rows, 2);
	assert_int_equal(f->stats.events, 2);
	assert_int_equal(f->stats.acts, 4);
	assert_int_equal(f->stats.persons, 2);
	assert_int_equal(f->stats.sources, 3);
	assert_int_equal(f->stats.interventions, 1);
	f->text2 = tdb_snapshot(&f->t2);
	assert_string_equal(f->text2, f->before);

	/* the identity is about real content, sensitive fields included */
	doc = f->json = json_loads(f->before, 0, NULL);
	assert_non_null(doc);
	expect_str(doc, "format", "mrm-export/1");
	assert_int_equal(json_array_size(json_object_get(doc, "events")), 2);
	expect_str(doc, "events[0].key", "mkn-2019-001");
	expect_str(doc, "events[0].title", TITLE_1);
	expect_str(doc, "events[0].narrative", NARRATIVE);
	expect_str(doc, "events[0].acts[0].victim.name", NAME_MY);
	expect_str(doc, "events[0].acts[0].victim.contact", CONTACT);
	expect_str(doc, "events[0].acts[0].victim.health", HEALTH);
	expect_str(doc, "events[0].acts[2].victim.name", NAME_MY);
	expect_str(doc, "events[0].acts[2].deportation.cost", "500.50");
	expect_str(doc, "events[0].interventions[0].victim", "v-001");
	expect_int(doc, "events[1].acts[0].victim.group_size", 120);

	/* the second database keeps them encrypted too */
	expect_no_clear_text(&f->t2);
}

/* ---- 8. malformed JSON ---- */

#define JSON_HEAD "{\"format\":\"mrm-export/1\",\"organisations\":[],\n"
#define JSON_ACT(members)                                                      \
	JSON_HEAD "\"events\":[{\"key\":\"j-1\",\"title\":\"T\",\"acts\":["    \
		  "{\"type\":\"arrest\"," members "}]}]}\n"

struct bad_json {
	const char *label, *text, *where, *phrase, *hint;
};

static struct bad_json bad_json_cases[] = {
	{"bad json: truncated",
	 JSON_HEAD "\"events\":[\n{\"key\":\"j-1\",\n\"title\":\"T\"",
	 "j.json:4:11", "end of", NULL},
	{"bad json: wrong format",
	 "{\"format\":\"mrm-export/9\",\"events\":[]}", "j.json",
	 "mrm-export/1", NULL},
	{"bad json: unknown field in an act",
	 JSON_ACT("\"tpye\":\"x\",\"victim\":{\"name\":\"" BAD_NAME "\"}"),
	 "j.json: events[0].acts[0].tpye", "unknown field \"tpye\"", "type"},
	{"bad json: group size not a number",
	 JSON_ACT("\"victim\":{\"name\":\"" BAD_NAME "\",\"unit\":\"group\","
		  "\"group_size\":\"abc\"}"),
	 "j.json: events[0].acts[0].victim.group_size",
	 "\"abc\" is not a whole number", NULL},
	{"bad json: victim not an object", JSON_ACT("\"victim\":[1]"),
	 "j.json: events[0].acts[0].victim", "must be an object", NULL},
};

static void test_bad_json(void **state)
{
	struct fx *f = *state;
	const struct bad_json *c = f->c;

	assert_int_equal(
		import_json_text(f, &f->t, "j.json", c->text, strlen(c->text)),
		MRM_ERR_INVALID);
	expect_problem(f, c->where, c->phrase, c->hint);
	expect_not_mentioned(f, BAD_NAME);
	assert_int_equal(event_id(&f->t, "j-1"), -1);
	expect_unchanged(f);
}

/* ---- 9. the IOM Missing Migrants file through its shipped mapping ---- */

/* Sum of a numeric column over every data row of CSV file `rel`, read
 * with the library's CSV reader; *rows counts the rows. */
static uint64_t csv_column_sum(const char *rel, const char *column,
			       uint64_t *rows)
{
	struct mrm_csv_reader *r = NULL;
	struct mrm_error err;
	FILE *fp = fopen(tsrc(rel), "rb");
	size_t col = (size_t)-1;
	uint64_t sum = 0;
	int got;

	assert_non_null(fp);
	assert_int_equal(mrm_csv_reader_new(&r, fp, rel, NULL, &err), 0);
	assert_int_equal(mrm_csv_next(r, &err), 1);
	for (size_t i = 0; i < mrm_csv_nfields(r); i++)
		if (!strcmp(mrm_csv_field(r, i, NULL), column))
			col = i;
	assert_true(col != (size_t)-1);
	*rows = 0;
	while ((got = mrm_csv_next(r, &err)) == 1) {
		const char *v = mrm_csv_field(r, col, NULL);
		char *end;

		(*rows)++;
		assert_non_null(v);
		sum += strtoull(v, &end, 10);
		assert_true(*end == '\0');
	}
	assert_int_equal(got, 0);
	mrm_csv_reader_free(r);
	fclose(fp);
	return sum;
}

/* Import the IOM file with a freshly loaded shipped mapping. */
static int import_iom(struct fx *f)
{
	struct mrm_import_opts opts = {0};

	mrm_mapping_free(f->map);
	f->map = NULL;
	assert_int_equal(
		mrm_mapping_load(&f->map, "iom-missing-migrants", &f->err), 0);
	opts.mapping = f->map;
	return import_file(f, IOM_CSV, &opts);
}

static void test_iom_mapping(void **state)
{
	struct fx *f = *state;
	uint64_t rows, total;

	total = csv_column_sum(IOM_CSV, "Total Dead and Missing", &rows);
	assert_int_equal(rows, IOM_EVENTS);
	assert_true(total > rows); /* not a vacuous comparison */
	assert_int_equal(import_iom(f), 0);
	assert_int_equal(f->probs.n, 0);
	assert_int_equal(f->stats.rows, IOM_EVENTS);
	assert_int_equal(f->stats.events, IOM_EVENTS);
	assert_int_equal(db_int(&f->t, "SELECT count(*) FROM event", NULL),
			 IOM_EVENTS);
	assert_int_equal(
		db_int(&f->t, "SELECT sum(group_size) FROM person", NULL),
		(int64_t)total);

	/* twice: nothing more */
	f->before = tdb_snapshot(&f->t);
	assert_int_equal(import_iom(f), 0);
	assert_int_equal(f->stats.events, 0);
	assert_int_equal(f->stats.events_existing, IOM_EVENTS);
	assert_int_equal(f->stats.acts, 0);
	assert_int_equal(f->stats.persons, 0);
	assert_int_equal(f->stats.sources, 0);
	expect_unchanged(f);
}

/* ---- 10. mapping files with mistakes ---- */

#define MAP_HEAD "{\"format\": \"mrm-mapping/1\", \"name\": \"m\",\n"
#define MAP_TWO_COLUMNS(title_column)                                          \
	MAP_HEAD "\"event\": {\"event.key\": {\"column\": \"id\"},"            \
		 " \"event.title\": {\"column\": \"" title_column "\"}}}"

/* Parse mapping text that must fail; its error is left in f->err. */
static void expect_bad_mapping(struct fx *f, const char *text)
{
	assert_int_equal(mrm_mapping_parse(&f->map, text, strlen(text),
					   "m.json", &f->err),
			 MRM_ERR_INVALID);
	assert_null(f->map);
}

static void test_mapping_not_json(void **state)
{
	struct fx *f = *state;
	char path[1024], where[1100];

	expect_bad_mapping(f,
			   MAP_HEAD "\"event\": {\n"
				    "  \"event.key\": {\"column\": \"id\"},\n"
				    "}}\n");
	assert_string_equal(f->err.where, "m.json:4:1");
	/* the same from a file */
	snprintf(path, sizeof(path), "%s",
		 tsrc("tests/data/import/mapping-not-json.json"));
	snprintf(where, sizeof(where), "%s:4:1", path);
	assert_int_equal(mrm_mapping_load(&f->map, path, &f->err),
			 MRM_ERR_INVALID);
	assert_null(f->map);
	assert_string_equal(f->err.where, where);
}

static void test_mapping_without_key(void **state)
{
	struct fx *f = *state;

	expect_bad_mapping(f, MAP_HEAD "\"event\": {\"event.title\": "
				       "{\"column\": \"title\"}}}");
	assert_string_equal(f->err.where, "m.json");
	expect_substr(f->err.msg, "must give event.key");
}

static void test_mapping_unknown_field(void **state)
{
	struct fx *f = *state;

	expect_bad_mapping(f, MAP_HEAD "\"event\": {\"event.key\": "
				       "{\"column\": \"id\"}, \"event.titel\": "
				       "{\"column\": \"title\"}}}");
	assert_string_equal(f->err.where, "m.json: event.titel");
	expect_substr(f->err.msg, "unknown field \"event.titel\"");
	expect_substr(f->err.msg, "closest: event.title");
}

static void test_mapping_missing_column(void **state)
{
	struct mrm_import_opts opts = {0};
	struct fx *f = *state;
	const char *text = MAP_TWO_COLUMNS("Headline");

	assert_int_equal(mrm_mapping_parse(&f->map, text, strlen(text),
					   "m.json", &f->err),
			 0);
	opts.mapping = f->map;
	assert_int_equal(tdb_import(&f->t, "in.csv", "id,title\nk-1,A title\n",
				    &opts, &f->stats, &f->probs, &f->err),
			 MRM_ERR_INVALID);
	expect_substr(f->err.msg, "names column \"Headline\"");
	expect_substr(f->err.msg, "the header has: \"id\", \"title\"");
	assert_int_equal(event_id(&f->t, "k-1"), -1);
	expect_unchanged(f);
}

/* ---- memory safety of state kept between rows and imports ---- */

/* A loaded mapping serves more than one import (mrm_import_opts only
 * borrows it). */
static void test_mapping_reused(void **state)
{
	struct mrm_import_opts opts = {0};
	struct fx *f = *state;
	const char *text = MAP_TWO_COLUMNS("title");

	assert_int_equal(mrm_mapping_parse(&f->map, text, strlen(text),
					   "m.json", &f->err),
			 0);
	opts.mapping = f->map;
	assert_int_equal(tdb_import(&f->t, "a.csv", "id,title\nk-1,First\n",
				    &opts, &f->stats, &f->probs, &f->err),
			 0);
	assert_int_equal(tdb_import(&f->t, "b.csv",
				    "title,id\nSecond,k-2\nThird,k-3\n", &opts,
				    &f->stats, &f->probs, &f->err),
			 0);
	assert_int_equal(f->stats.events, 2);
	assert_int_equal(db_int(&f->t,
				"SELECT count(*) FROM event WHERE "
				"key = 'k-3' AND title = 'Third'",
				NULL),
			 1);
}

/* Attribute names come from the header: a long row after it must not
 * change them. */
static void test_attr_name_after_long_row(void **state)
{
	static const char head[] = "event.key,event.title,attr.raid_size\n";
	struct fx *f = *state;
	size_t big = 600000, n = strlen(head) + big + 64;

	f->text = malloc(n);
	assert_non_null(f->text);
	memcpy(f->text, head, sizeof(head));
	strcat(f->text, "k-1,");
	memset(f->text + strlen(f->text), 'x', big);
	snprintf(f->text + strlen(head) + 4 + big, 64, ",300\n");
	assert_int_equal(tdb_import(&f->t, "a.csv", f->text, NULL, &f->stats,
				    &f->probs, &f->err),
			 0);
	expect_str(event_by_key(f, "k-1"), "attrs.raid_size[0]", "300");
}

/* ---- review fixes: skip_invalid, rejects, NUL bytes, limits ---- */

/* With --skip-invalid, nothing landing is a failure, not a success. */
static void test_skip_invalid_nothing_lands(void **state)
{
	struct fx *f = *state;
	struct records r;

	assert_int_equal(import_skipping(f,
					 BAD_HEADER "a-2,T,,,arest,,,,,,\n"
						    "a-3,T,June 5,,,,,,,,\n"),
			 MRM_ERR_INVALID);
	expect_problem(f, "skip.csv", "no row could be imported",
		       "rejects file");
	assert_int_equal(f->stats.rows, 2);
	assert_int_equal(f->stats.rejected, 2);
	assert_int_equal(event_id(&f->t, "a-2"), -1);
	/* the rejects file still says why */
	read_records(f->rejects, &r);
	assert_int_equal(r.n, 3);
	expect_substr(r.rec[1], "arest");
}

/* A file that cannot be read to its end lands nothing, and the message
 * does not suggest the --skip-invalid that was given. */
static void test_skip_invalid_unreadable_file(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import_skipping(f, BAD_HEADER
					 "q-2,Good,,,,,,,,,\n"
					 "q-3,\"never closed,,,,,,,,,\n"),
			 MRM_ERR_INVALID);
	expect_problem(f, "skip.csv", "nothing was imported",
		       "cannot be read to its end");
	assert_null(strstr(f->err.msg, "--skip-invalid"));
	assert_int_equal(event_id(&f->t, "q-2"), -1);
}

/* Once a row of an event is rejected, its later rows are rejected too:
 * an event does not land with a part missing that its row has. */
static void test_skip_invalid_rest_of_event(void **state)
{
	struct fx *f = *state;
	struct records r;

	assert_int_equal(import_skipping(f, BAD_HEADER
					 "e-1,Event one,,,arrest,,,,,,\n"
					 "e-1,Event one,,,arest,,,,,,\n"
					 "e-1,Event one,,,detention,,,,,,\n"
					 "e-2,Event two,,,arrest,,,,,,\n"),
			 0);
	assert_int_equal(f->stats.rows, 4);
	assert_int_equal(f->stats.rejected, 2);
	assert_int_equal(f->stats.events, 2);
	assert_int_equal(f->stats.acts, 2);
	expect_problem(f, "skip.csv:3:5", "arest", NULL);
	expect_problem(f, "skip.csv:4:1",
		       "another row of event e-1 was rejected (line 3)", NULL);
	/* the row before the rejected one had landed */
	assert_int_equal(json_array_size(json_object_get(event_by_key(f, "e-1"),
							 "acts")),
			 1);
	read_records(f->rejects, &r);
	assert_int_equal(r.n, 3);
	assert_true(!strncmp(r.rec[2], "e-1|Event one|||detention|", 26));
	expect_substr(r.rec[2], "another row of event e-1");
}

/* Import `len` bytes of CSV (which may hold NUL bytes) into f->t. */
static int import_bytes(struct fx *f, const char *name, const char *text,
			size_t len)
{
	struct mrm_import_opts o = {.org = "MKN-TH"};
	FILE *fp = tmpfile();
	int rc;

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	rewind(fp);
	memset(&f->probs, 0, sizeof(f->probs));
	o.on_error = tproblem;
	o.ctx = &f->probs;
	rc = mrm_import_csv(f->t.st, fp, name, &o, &f->stats, &f->err);
	fclose(fp);
	return rc;
}

/* A NUL byte would cut a value short without a word: it is a problem. */
static void test_csv_nul_byte(void **state)
{
	static const char row[] = "event.key,event.title\n"
				  "n-1,Title\0 and the rest\n";
	static const char head[] = "event.key\0junk,event.title\n"
				   "n-1,Title\n";
	struct fx *f = *state;

	assert_int_equal(import_bytes(f, "nul.csv", row, sizeof(row) - 1),
			 MRM_ERR_INVALID);
	expect_problem(f, "nul.csv:2:2", "NUL byte", NULL);
	assert_int_equal(event_id(&f->t, "n-1"), -1);
	assert_int_equal(import_bytes(f, "nul.csv", head, sizeof(head) - 1),
			 MRM_ERR_INVALID);
	expect_problem(f, "nul.csv:1:1", "NUL byte", NULL);
	expect_unchanged(f);
}

/* A mapped value longer than the mapping's buffers is a located problem
 * of its row (not a silently shortened value, nor "out of memory"). */
static void test_mapping_value_too_long(void **state)
{
	static const char *const maps[] = {
		MAP_HEAD "\"event\": {\"event.key\": {\"column\": \"id\"},"
			 " \"event.title\": {\"column\": \"title\","
			 " \"prefix\": \"Title: \"}}}",
		MAP_HEAD
		"\"event\": {\"event.key\": {\"column\": \"id\"},"
		" \"event.title\": {\"template\": \"{title}{title}\"}}}",
	};
	struct fx *f = *state;
	size_t big = ((size_t)1 << 20) - 4;

	f->text = malloc(big + 64);
	assert_non_null(f->text);
	strcpy(f->text, "id,title\nk-1,");
	memset(f->text + strlen(f->text), 'x', big);
	strcpy(f->text + strlen("id,title\nk-1,") + big, "\n");
	for (size_t i = 0; i < 2; i++) {
		struct mrm_import_opts opts = {0};

		mrm_mapping_free(f->map);
		f->map = NULL;
		assert_int_equal(mrm_mapping_parse(&f->map, maps[i],
						   strlen(maps[i]), "m.json",
						   &f->err),
				 0);
		opts.mapping = f->map;
		assert_int_equal(tdb_import(&f->t, "long.csv", f->text, &opts,
					    &f->stats, &f->probs, &f->err),
				 MRM_ERR_INVALID);
		/* a template has no one column */
		expect_problem(f, i ? "long.csv:2" : "long.csv:2:2",
			       "value longer than", NULL);
		assert_int_equal(event_id(&f->t, "k-1"), -1);
	}
	expect_unchanged(f);
}

static void test_mapping_empty_split(void **state)
{
	struct fx *f = *state;

	expect_bad_mapping(f, MAP_HEAD
			   "\"event\": {\"event.key\": "
			   "{\"column\": \"id\"}, \"event.title\": "
			   "{\"column\": \"title\", \"split\": \"\"}}}");
	assert_string_equal(f->err.where, "m.json: event.title");
	expect_substr(f->err.msg, "\"split\" is empty");
}

#define ACTS_MAP(place)                                                        \
	MAP_HEAD "\"event\": {\"event.key\": {\"column\": \"id\"},"            \
		 " \"event.title\": {\"column\": \"title\"}},"                 \
		 " \"acts\": [{\"fields\": {"                                  \
		 " \"act.type\": {\"column\": \"acts\", \"split\": \";\","     \
		 " \"map\": {\"Held\": \"detention\"}},"                       \
		 " \"act.place\": " place ","                                  \
		 " \"victim.key\": {\"column\": \"who\"}}}]}"

/* Import `text` through mapping text `map` into f->t. */
static int import_mapped(struct fx *f, const char *map, const char *text)
{
	struct mrm_import_opts opts = {0};

	mrm_mapping_free(f->map);
	f->map = NULL;
	assert_int_equal(
		mrm_mapping_parse(&f->map, map, strlen(map), "m.json", &f->err),
		0);
	opts.mapping = f->map;
	return tdb_import(&f->t, "in.csv", text, &opts, &f->stats, &f->probs,
			  &f->err);
}

/* A multi-valued act.type makes one act per value: each value through
 * the value map, each act with every other field of the group. */
static void test_mapping_act_type_copies(void **state)
{
	struct fx *f = *state;
	json_t *ev;

	assert_int_equal(import_mapped(f, ACTS_MAP("{\"column\": \"place\"}"),
				       "id,title,acts,place,who\n"
				       "k-1,T,arrest; Held,Mae Sot,v-1\n"),
			 0);
	ev = event_by_key(f, "k-1");
	assert_int_equal(json_array_size(json_object_get(ev, "acts")), 2);
	expect_str(ev, "acts[0].type", "arrest");
	expect_str(ev, "acts[0].place", "Mae Sot");
	expect_str(ev, "acts[0].victim.key", "v-1");
	expect_str(ev, "acts[1].type", "detention");
	expect_str(ev, "acts[1].place", "Mae Sot");
	expect_str(ev, "acts[1].victim.key", "v-1");
	assert_int_equal(f->stats.persons, 1);

	/* any other act field takes one value, and says so */
	assert_int_equal(
		import_mapped(
			f,
			ACTS_MAP("{\"column\": \"place\", \"split\": \";\"}"),
			"id,title,acts,place,who\n"
			"k-2,T,arrest,Mae Sot; Tak,v-2\n"),
		MRM_ERR_INVALID);
	expect_problem(f, "in.csv:2:4", "takes one value, the cell has 2",
		       NULL);
	assert_int_equal(event_id(&f->t, "k-2"), -1);
}

/* Interventions of different victims that are otherwise alike are two. */
static void test_json_interventions_per_victim(void **state)
{
	static const char text[] =
		JSON_HEAD "\"events\":[{\"key\":\"j-1\",\"title\":\"T\","
			  "\"acts\":[{\"type\":\"arrest\",\"victim\":{\"key\":"
			  "\"v-1\"}},{\"type\":\"arrest\",\"victim\":{\"key\":"
			  "\"v-2\"}}],\"interventions\":["
			  "{\"type\":\"legal_aid\",\"victim\":\"v-1\"},"
			  "{\"type\":\"legal_aid\",\"victim\":\"v-2\"},"
			  "{\"type\":\"legal_aid\",\"victim\":\"v-2\"}]}]}\n";
	struct fx *f = *state;
	json_t *ev;

	assert_int_equal(
		import_json_text(f, &f->t, "j.json", text, strlen(text)), 0);
	assert_int_equal(f->stats.interventions, 2);
	ev = event_by_key(f, "j-1");
	assert_int_equal(json_array_size(json_object_get(ev, "interventions")),
			 2);
	expect_str(ev, "interventions[0].victim", "v-1");
	expect_str(ev, "interventions[1].victim", "v-2");
}

/* Organisations in a JSON file are checked as `mrm org add` checks them. */
static void test_json_organisations_checked(void **state)
{
	static const char bad[] =
		"{\"format\":\"mrm-export/1\",\"organisations\":["
		"{\"code\":\"OK-1\",\"name\":\"Fine\",\"country\":\"TH\"},"
		"{\"code\":\"x\",\"name\":\"Too short\",\"country\":\"TH\"}],"
		"\"events\":[]}";
	static const char label[] =
		"{\"format\":\"mrm-export/1\",\"organisations\":["
		"{\"code\":\"OK-2\",\"name\":\"Fine\",\"country\":\"Thailand\"}"
		"],\"events\":[]}";
	struct fx *f = *state;

	assert_int_equal(import_json_text(f, &f->t, "o.json", bad, strlen(bad)),
			 MRM_ERR_INVALID);
	assert_string_equal(f->err.where, "o.json: organisations[1].code");
	expect_substr(f->err.msg, "2 to 32");
	expect_unchanged(f);
	assert_int_equal(
		import_json_text(f, &f->t, "o.json", label, strlen(label)), 0);
	assert_int_equal(db_int(&f->t,
				"SELECT count(*) FROM org WHERE "
				"code = 'OK-2' AND country = 'TH'",
				NULL),
			 1);
}

static int interrupt(void *ctx)
{
	(void)ctx;
	return 1;
}

/* An export the database fails part way is an error, not a short file. */
static void test_export_failed_query(void **state)
{
	struct fx *f = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	sqlite3_progress_handler(mrm_store_db(f->t.st), 1, interrupt, NULL);
	assert_int_equal(mrm_export_json(f->t.st, fp, &f->err), MRM_ERR_DB);
	assert_int_equal(mrm_export_csv(f->t.st, "acts", fp, &f->err),
			 MRM_ERR_DB);
	assert_int_equal(mrm_export_csv(f->t.st, "organisations", fp, &f->err),
			 MRM_ERR_DB);
	sqlite3_progress_handler(mrm_store_db(f->t.st), 0, NULL, NULL);
	fclose(fp);
	free(buf);
}

/* Numbers as text the same way for the CSV export and the JSON import:
 * as short as reads back exactly. */
static void test_json_scalar_text(void **state)
{
	char tmp[MRM_JSON_SCALAR_MAX];
	json_t *v;

	(void)state;
	v = json_real(16.7136);
	assert_string_equal(mrm_json_scalar_text(v, tmp, sizeof(tmp)),
			    "16.7136");
	json_decref(v);
	v = json_real(1.0 / 3.0);
	assert_true(strtod(mrm_json_scalar_text(v, tmp, sizeof(tmp)), NULL) ==
		    1.0 / 3.0);
	json_decref(v);
	v = json_integer(-42);
	assert_string_equal(mrm_json_scalar_text(v, tmp, sizeof(tmp)), "-42");
	json_decref(v);
	assert_string_equal(mrm_json_scalar_text(json_true(), tmp, sizeof(tmp)),
			    "true");
	assert_null(mrm_json_scalar_text(json_null(), tmp, sizeof(tmp)));
}

/* The rejects file gets one line per rejected row, its cells padded to
 * the header, also when the first rows are short (their cells are all
 * there is to read). */
static void test_rejects_short_rows(void **state)
{
	struct fx *f = *state;
	struct records r;

	assert_int_equal(import_skipping(f, "event.key,event.title,"
					    "event.start_date,act.type\n"
					    "r-2,Short\n"
					    "r-3,Good,2019-01-02,arrest\n"),
			 0);
	assert_int_equal(f->stats.rejected, 1);
	read_records(f->rejects, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.nfields[1], 5);
	assert_true(!strncmp(r.rec[1], "r-2|Short|||", 12));
	expect_substr(r.rec[1], "2 columns, the header has 4");
}

/* The reader thread's errors reach the caller with their message. */
static void test_rejects_write_failure(void **state)
{
	struct mrm_import_opts opts = {.skip_invalid = 1};
	struct fx *f = *state;
	char room[400], name[600];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	f->text = malloc(1024);
	assert_non_null(f->text);
	snprintf(f->text, 1024,
		 "%sw-2,Good,,,,,,,,,\nw-3,Bad,,,arest,,,,,,%s\n", BAD_HEADER,
		 name);
	f->rejects = fmemopen(room, sizeof(room), "w");
	assert_non_null(f->rejects);
	setvbuf(f->rejects, NULL, _IONBF, 0);
	opts.rejects = f->rejects;
	assert_int_equal(tdb_import(&f->t, "w.csv", f->text, &opts, &f->stats,
				    &f->probs, &f->err),
			 MRM_ERR_IO);
	assert_string_equal(f->err.where, "w.csv");
	expect_substr(f->err.msg, "cannot write the rejects file");
	assert_int_equal(event_id(&f->t, "w-2"), -1);
}

/* ---- main ---- */

#define TEST_DB(t) cmocka_unit_test_setup_teardown(t, setup_db, teardown)
#define TEST_FIXTURE(t)                                                        \
	cmocka_unit_test_setup_teardown(t, setup_fixture, teardown)

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		TEST_FIXTURE(test_native_csv_values),
		TEST_FIXTURE(test_encrypted_at_rest),
		cmocka_unit_test(test_guardian_sealed),
		TEST_FIXTURE(test_good_row_then_bad_row),
		TEST_FIXTURE(test_many_errors),
		TEST_FIXTURE(test_max_errors),
		TEST_DB(test_skip_invalid_rejects),
		TEST_DB(test_skip_invalid_unreadable_row),
		TEST_FIXTURE(test_reimport_adds_nothing),
		TEST_FIXTURE(test_json_round_trip),
		TEST_DB(test_iom_mapping),
		TEST_DB(test_mapping_not_json),
		TEST_DB(test_mapping_without_key),
		TEST_DB(test_mapping_unknown_field),
		TEST_FIXTURE(test_mapping_missing_column),
		TEST_DB(test_skip_invalid_nothing_lands),
		TEST_DB(test_skip_invalid_unreadable_file),
		TEST_DB(test_skip_invalid_rest_of_event),
		TEST_FIXTURE(test_csv_nul_byte),
		TEST_FIXTURE(test_mapping_value_too_long),
		TEST_DB(test_mapping_empty_split),
		TEST_DB(test_mapping_act_type_copies),
		TEST_DB(test_json_interventions_per_victim),
		TEST_FIXTURE(test_json_organisations_checked),
		TEST_FIXTURE(test_export_failed_query),
		TEST_DB(test_json_scalar_text),
		TEST_DB(test_rejects_write_failure),
	};
	/* last: with the sanitizers, a memory error ends the program */
	static const struct CMUnitTest unsafe[] = {
		TEST_DB(test_attr_name_after_long_row),
		TEST_DB(test_mapping_reused),
		TEST_DB(test_rejects_short_rows),
	};
	enum {
		NFIXED = sizeof(fixed) / sizeof(fixed[0]),
		NCSV = sizeof(bad_csv_cases) / sizeof(bad_csv_cases[0]),
		NJSON = sizeof(bad_json_cases) / sizeof(bad_json_cases[0]),
		NUNSAFE = sizeof(unsafe) / sizeof(unsafe[0]),
	};
	struct CMUnitTest tests[NFIXED + NCSV + NJSON + NUNSAFE];
	size_t n = 0;

	for (size_t i = 0; i < NFIXED; i++)
		tests[n++] = fixed[i];
	/* one test per bad input, named after it */
	for (size_t i = 0; i < NCSV; i++)
		tests[n++] = (struct CMUnitTest){bad_csv_cases[i].label,
						 test_bad_csv, setup_fixture,
						 teardown, &bad_csv_cases[i]};
	for (size_t i = 0; i < NJSON; i++)
		tests[n++] = (struct CMUnitTest){bad_json_cases[i].label,
						 test_bad_json, setup_fixture,
						 teardown, &bad_json_cases[i]};
	for (size_t i = 0; i < NUNSAFE; i++)
		tests[n++] = unsafe[i];
	return _cmocka_run_group_tests("test_import", tests, n, NULL, NULL);
}
