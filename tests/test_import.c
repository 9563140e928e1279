/*
 * test_import.c - importing documentation (src/lib/import.c, import_json.c,
 * mapping.c): native CSV, the project's JSON, mapping files.
 *
 * What matters most here: bad input never half-lands (every rejected import
 * leaves the database exactly as it was), every problem is located
 * (NAME:LINE:COLUMN, or a JSON path), and sensitive fields never reach the
 * database file in clear.
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

/* ---- the fixture: tests/data/import/native-events.csv ---- */

#define FIXTURE "tests/data/import/native-events.csv"
#define TITLE_1 "Arrest, detention and deportation of fishing workers in Mae Sot"
#define NAME_MY "မောင်အောင်ကျော်" /* Maung Aung Kyaw */
#define CONTACT "+66 81 234 5678"
#define HEALTH "HIV positive"
#define NARRATIVE "Secret narrative: he was beaten at the pier by two officers"

/* ---- small helpers ---- */

/* The whole file at `path` (NUL-terminated, malloc'd); NULL if absent. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!fp)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
	} while (got);
	fclose(fp);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

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
	const char *suffix[] = { "", "-wal" };
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

/* One integer from a query on the store's database. */
static int64_t db_int(struct tdb *t, const char *sql, const char *arg)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t->st), sql, -1, &s,
					    NULL),
			 SQLITE_OK);
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int64_t event_id(struct tdb *t, const char *key)
{
	return db_int(t, "SELECT id FROM event WHERE key = ?", key);
}

/* mrm_event_json of the event with `key` (json_decref it). */
static json_t *event_by_key(struct tdb *t, const char *key)
{
	struct mrm_error err;
	json_t *ev = NULL;
	int64_t id = event_id(t, key);

	assert_true(id > 0);
	assert_int_equal(mrm_event_json(t->st, id, &ev, &err), 0);
	assert_non_null(ev);
	return ev;
}

/* A member of a JSON document by path: "acts[2].deportation.cost". */
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

/*
 * Was a problem reported (to on_error, or as the import's own error) whose
 * location is exactly `where` and whose message holds `phrase` and, if
 * given, `hint`?
 */
static int has_problem(const struct tproblems *p, const struct mrm_error *err,
		       const char *where, const char *phrase, const char *hint)
{
	size_t wlen = strlen(where);
	char *all = malloc(sizeof(p->text) + sizeof(*err));
	char *line, *save = NULL;
	int found = 0;

	assert_non_null(all);
	snprintf(all, sizeof(p->text) + sizeof(*err), "%s%s: %s\n", p->text,
		 err->where, err->msg);
	for (line = strtok_r(all, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = !strncmp(line, where, wlen) && line[wlen] == ':' &&
			line[wlen + 1] == ' ' && strstr(line + wlen, phrase) &&
			(!hint || strstr(line + wlen, hint));
	free(all);
	return found;
}

static void expect_problem(const struct tproblems *p,
			   const struct mrm_error *err, const char *where,
			   const char *phrase, const char *hint)
{
	int found = has_problem(p, err, where, phrase, hint);

	if (!found)
		print_error("expected a problem \"%s: ...%s...%s\"; reported:\n"
			    "%s(import error) %s: %s\n",
			    where, phrase, hint ? hint : "", p->text,
			    err->where, err->msg);
	assert_true(found);
}

/* Import CSV file `rel` of the source tree; `opts` may be NULL. */
static int import_file(struct tdb *t, const char *rel,
		       struct mrm_import_opts *opts,
		       struct mrm_import_stats *stats, struct tproblems *probs,
		       struct mrm_error *err)
{
	char *text = slurp(tsrc(rel), NULL);
	int rc;

	assert_non_null(text);
	rc = tdb_import(t, rel, text, opts, stats, probs, err);
	free(text);
	return rc;
}

/* Import the fixture and insist that it landed cleanly. */
static void import_fixture(struct tdb *t, struct mrm_import_stats *out)
{
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	int rc = import_file(t, FIXTURE, NULL, &stats, &probs, &err);

	if (rc)
		print_error("%s%s: %s\n", probs.text, err.where, err.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(probs.n, 0);
	if (out)
		*out = stats;
}

/* Import `len` bytes of JSON text; `probs` collects problems. */
static int import_json_text(struct tdb *t, const char *name, const char *text,
			    size_t len, struct mrm_import_stats *stats,
			    struct tproblems *probs, struct mrm_error *err)
{
	struct mrm_import_opts o = { 0 };
	FILE *fp = tmpfile();
	int rc;

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	rewind(fp);
	o.org = "MKN-TH";
	memset(probs, 0, sizeof(*probs));
	o.on_error = tproblem;
	o.ctx = probs;
	rc = mrm_import_json(t->st, fp, name, &o, stats, err);
	fclose(fp);
	return rc;
}

/* A database holding the fixture, and its snapshot. */
static char *open_with_fixture(struct tdb *t)
{
	tdb_open(t);
	import_fixture(t, NULL);
	return tdb_snapshot(t);
}

/* The database must still read exactly as `before` (which is freed). */
static void expect_unchanged(struct tdb *t, char *before)
{
	char *after = tdb_snapshot(t);

	assert_string_equal(after, before);
	free(after);
	free(before);
}

/* ---- 1. native CSV, every kind of value ---- */

static void test_native_csv_values(void **state)
{
	struct mrm_import_stats stats;
	struct tdb t;
	json_t *ev;

	(void)state;
	tdb_open(&t);
	import_fixture(&t, &stats);
	assert_int_equal(stats.rows, 4);
	assert_int_equal(stats.errors, 0);
	assert_int_equal(stats.rejected, 0);
	assert_int_equal(stats.events, 2);
	assert_int_equal(stats.events_existing, 0);
	assert_int_equal(stats.acts, 4);
	assert_int_equal(stats.persons, 2);
	assert_int_equal(stats.sources, 3); /* a repeated source is one */
	assert_int_equal(stats.interventions, 1);

	ev = event_by_key(&t, "mkn-2019-001");
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
	/* the same person, by victim.key */
	expect_str(ev, "acts[1].victim.name", NAME_MY);
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
	expect_str(ev, "interventions[0].type", "legal_aid");
	expect_str(ev, "interventions[0].compensation", "15000.00");
	expect_str(ev, "interventions[0].currency", "THB");
	expect_str(ev, "interventions[0].victim", "v-001");
	json_decref(ev);

	ev = event_by_key(&t, "mkn-2019-002");
	expect_str(ev, "start_date", "2019-06");
	expect_absent(ev, "end_date");
	expect_absent(ev, "narrative");
	expect_str(ev, "attrs.raid_size[0]", "300");
	assert_int_equal(json_array_size(json_object_get(ev, "acts")), 1);
	expect_str(ev, "acts[0].victim.unit", "group");
	expect_int(ev, "acts[0].victim.group_size", 120);
	expect_str(ev, "acts[0].victim.doc_status", "undocumented");
	expect_absent(ev, "acts[0].victim.name");
	expect_int(ev, "sources[0].reliability", 5);
	expect_absent(ev, "interventions");
	json_decref(ev);

	assert_int_equal(db_int(&t, "SELECT sum(group_size) FROM person", NULL),
			 121);
	tdb_close(&t);
}

/* ---- 2. encryption at rest ---- */

static void expect_no_clear_text(const struct tdb *t)
{
	static const char *const secret[] = { NAME_MY, CONTACT, HEALTH,
					      NARRATIVE };

	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		if (db_files_contain(t, secret[i]))
			print_error("\"%s\" is in the database in clear\n",
				    secret[i]);
		assert_false(db_files_contain(t, secret[i]));
	}
	/* the check can see text: the public title is there */
	assert_true(db_files_contain(t, TITLE_1));
}

static void test_encrypted_at_rest(void **state)
{
	struct tdb t;

	(void)state;
	tdb_open(&t);
	import_fixture(&t, NULL);
	expect_no_clear_text(&t); /* open: recent pages are in the WAL */
	mrm_store_close(t.st);
	t.st = NULL;
	expect_no_clear_text(&t); /* closed: checkpointed into the file */
	tdb_close(&t);
}

/* ---- 3. every kind of bad CSV input is located and lands nothing ---- */

#define BAD_HEADER                                                       \
	"event.key,event.title,event.start_date,event.latitude,act.type,"   \
	"victim.unit,victim.group_size,source.reliability,deportation.cost," \
	"deportation.currency,victim.name\n"
/* Line 2 of every bad file: a good row, which must not land either. */
#define GOOD_ROW "bad-2,A good row,2019-01-05,16.7,arrest,individual,,3,,,Ko Ko\n"

struct bad_csv {
	const char *label;
	const char *header; /* NULL: BAD_HEADER */
	const char *row;    /* line 3; with `big`, "%s" is a big field */
	size_t big;
	const char *where, *phrase, *hint;
};

static struct bad_csv bad_csv_cases[] = {
	{ "bad csv: invalid UTF-8", NULL, "bad-3,Title \xff here,,,,,,,,,\n", 0,
	  "bad.csv:3:2", "invalid UTF-8", NULL },
	{ "bad csv: unknown vocabulary term", NULL, "bad-3,T,,,arest,,,,,,\n",
	  0, "bad.csv:3:5", "unknown act_type \"arest\"", "arrest" },
	{ "bad csv: day that does not exist", NULL,
	  "bad-3,T,2014-02-30,,,,,,,,\n", 0, "bad.csv:3:3",
	  "day 30 does not exist", NULL },
	{ "bad csv: date not ISO", NULL, "bad-3,T,June 5,,,,,,,,\n", 0,
	  "bad.csv:3:3", "bad date \"June 5\"", NULL },
	{ "bad csv: group size 0", NULL, "bad-3,T,,,arrest,group,0,,,,\n", 0,
	  "bad.csv:3:7", "out of range", NULL },
	{ "bad csv: group size 20000000", NULL,
	  "bad-3,T,,,arrest,group,20000000,,,,\n", 0, "bad.csv:3:7",
	  "20000000 is out of range", NULL },
	{ "bad csv: reliability 9", NULL, "bad-3,T,,,,,,9,,,\n", 0,
	  "bad.csv:3:8", "9 is out of range", NULL },
	{ "bad csv: latitude 200", NULL, "bad-3,T,,200,,,,,,,\n", 0,
	  "bad.csv:3:4", "200 is out of range", NULL },
	{ "bad csv: empty title", NULL, "bad-3,,,,arrest,,,,,,\n", 0,
	  "bad.csv:3:2", "missing required field event.title", NULL },
	{ "bad csv: quote never closed", NULL,
	  "bad-3,\"never closed,,,,,,,,,\nbad-4,T,,,,,,,,,\n", 0,
	  "bad.csv:3:2", "quote never closed", NULL },
	{ "bad csv: too many columns", NULL, "bad-3,T,,,,,,,,,,extra\n", 0,
	  "bad.csv:3:12", "12 columns, the header has 11", NULL },
	{ "bad csv: field over the size limit", NULL, "bad-3,%s,,,,,,,,,\n",
	  (size_t)2 << 20, "bad.csv:3:2", "field longer than", NULL },
	{ "bad csv: unknown column in the header",
	  "event.key,event.title,event.start_date,event.latitude,act.tpye,"
	  "victim.unit,victim.group_size,source.reliability,deportation.cost,"
	  "deportation.currency,victim.name\n",
	  "bad-3,T,,,,,,,,,\n", 0, "bad.csv:1:5", "unknown field \"act.tpye\"",
	  "act.type" },
	{ "bad csv: money without currency", NULL,
	  "bad-3,T,,,deportation,,,,500,,\n", 0, "bad.csv:3:9",
	  "has no currency", NULL },
	{ "bad csv: unknown currency", NULL,
	  "bad-3,T,,,deportation,,,,500,XYZ,\n", 0, "bad.csv:3:10",
	  "unknown currency \"XYZ\"", NULL },
	{ "bad csv: individual of 5", NULL,
	  "bad-3,T,,,arrest,individual,5,,,,\n", 0, "bad.csv:3:7",
	  "victim.unit is individual", NULL },
};

/* Header, good row, bad row (malloc'd). */
static char *bad_csv_text(const struct bad_csv *c)
{
	const char *header = c->header ? c->header : BAD_HEADER;
	char *big = NULL, *text;
	size_t size;

	if (c->big) {
		big = malloc(c->big + 1);
		assert_non_null(big);
		memset(big, 'x', c->big);
		big[c->big] = '\0';
	}
	size = strlen(header) + strlen(GOOD_ROW) + strlen(c->row) + c->big + 1;
	text = malloc(size);
	assert_non_null(text);
	snprintf(text, size, "%s%s", header, GOOD_ROW);
	if (big)
		snprintf(text + strlen(text), size - strlen(text), c->row, big);
	else
		snprintf(text + strlen(text), size - strlen(text), "%s", c->row);
	free(big);
	return text;
}

static void test_bad_csv(void **state)
{
	const struct bad_csv *c = *state;
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	char *text = bad_csv_text(c), *before;
	struct tdb t;

	before = open_with_fixture(&t);
	assert_int_equal(tdb_import(&t, "bad.csv", text, NULL, &stats, &probs,
				    &err),
			 MRM_ERR_INVALID);
	expect_problem(&probs, &err, c->where, c->phrase, c->hint);
	/* the good row is never blamed */
	assert_null(strstr(probs.text, "bad.csv:2:"));
	expect_unchanged(&t, before);
	free(text);
	tdb_close(&t);
}

static void test_good_row_then_bad_row(void **state)
{
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	struct tdb t;
	char *before = open_with_fixture(&t);

	(void)state;
	assert_int_equal(tdb_import(&t, "bad.csv",
				    BAD_HEADER GOOD_ROW "bad-3,T,,,arest,,,,,,\n",
				    NULL, &stats, &probs, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(stats.rows, 2);
	assert_int_equal(stats.errors, 1);
	assert_int_equal(probs.n, 1);
	expect_problem(&probs, &err, "bad.csv:3:5", "arest", "arrest");
	expect_problem(&probs, &err, "bad.csv", "nothing was imported", NULL);
	assert_int_equal(event_id(&t, "bad-2"), -1);
	expect_unchanged(&t, before);
	tdb_close(&t);
}

/* ---- 4. several problems, and max_errors ---- */

#define MANY_ERRORS                         \
	BAD_HEADER                          \
	"m-2,T,2014-02-30,,,,,,,,\n"        \
	"m-3,T,,,arest,,,,,,\n"             \
	"m-4,T,,,,,,9,,,\n"                 \
	"m-5,A good one,,,,,,,,,\n"         \
	"m-6,T,,200,,,,,,,\n"               \
	"m-7,T,,,arrest,group,0,,,,\n"

static const struct {
	const char *where, *phrase;
} many_errors[] = {
	{ "many.csv:2:3", "day 30 does not exist" },
	{ "many.csv:3:5", "unknown act_type \"arest\"" },
	{ "many.csv:4:8", "9 is out of range" },
	{ "many.csv:6:4", "200 is out of range" },
	{ "many.csv:7:7", "0 is out of range" },
};

static void test_many_errors(void **state)
{
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	struct tdb t;
	char *before = open_with_fixture(&t);

	(void)state;
	/* all five, each on its own line */
	assert_int_equal(tdb_import(&t, "many.csv", MANY_ERRORS, NULL, &stats,
				    &probs, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(probs.n, 5);
	assert_int_equal(stats.errors, 5);
	for (size_t i = 0; i < sizeof(many_errors) / sizeof(many_errors[0]);
	     i++)
		expect_problem(&probs, &err, many_errors[i].where,
			       many_errors[i].phrase, NULL);
	expect_problem(&probs, &err, "many.csv", "5 problems", NULL);
	expect_unchanged(&t, before);
	tdb_close(&t);
}

static void test_max_errors(void **state)
{
	struct mrm_import_opts opts = { .max_errors = 2 };
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	char summary[64];
	struct tdb t;
	char *before = open_with_fixture(&t);

	(void)state;
	/* "reports up to max_errors of them": the first two */
	assert_int_equal(tdb_import(&t, "many.csv", MANY_ERRORS, &opts, &stats,
				    &probs, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(probs.n, 2);
	expect_problem(&probs, &err, many_errors[0].where,
		       many_errors[0].phrase, NULL);
	expect_problem(&probs, &err, many_errors[1].where,
		       many_errors[1].phrase, NULL);
	assert_null(strstr(probs.text, "many.csv:4:"));
	assert_true(stats.errors >= 2 && stats.errors <= 5);
	snprintf(summary, sizeof(summary), "%llu problems",
		 (unsigned long long)stats.errors);
	expect_problem(&probs, &err, "many.csv", summary,
		       "nothing was imported");

	/* three problems in one row, two shown: the summary says so */
	assert_int_equal(tdb_import(&t, "three.csv",
				    BAD_HEADER "x-2,T,June 5,200,arest,,,,,,\n",
				    &opts, &stats, &probs, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(probs.n, 2);
	assert_int_equal(stats.errors, 3);
	expect_problem(&probs, &err, "three.csv", "3 problems",
		       "only the first shown");
	expect_unchanged(&t, before);
	tdb_close(&t);
}

/* ---- 5. skip_invalid and the rejects file ---- */

/* Every record of CSV stream `fp` (from the start), as one string per
 * record: fields joined by '|'. */
static void read_csv_records(FILE *fp, char rec[][512], size_t max,
			     size_t *nrec, size_t *nfields)
{
	struct mrm_csv_reader *r = NULL;
	struct mrm_error err;

	rewind(fp);
	assert_int_equal(mrm_csv_reader_new(&r, fp, "rejects", NULL, &err), 0);
	*nrec = 0;
	while (*nrec < max && mrm_csv_next(r, &err) == 1) {
		nfields[*nrec] = mrm_csv_nfields(r);
		rec[*nrec][0] = '\0';
		for (size_t i = 0; i < mrm_csv_nfields(r); i++) {
			size_t len = strlen(rec[*nrec]);

			snprintf(rec[*nrec] + len, 512 - len, "%s%s",
				 i ? "|" : "", mrm_csv_field(r, i, NULL));
		}
		(*nrec)++;
	}
	mrm_csv_reader_free(r);
}

static void expect_substr(const char *s, const char *sub)
{
	if (!strstr(s, sub))
		print_error("\"%s\" lacks \"%s\"\n", s, sub);
	assert_non_null(strstr(s, sub));
}

static void test_skip_invalid_rejects(void **state)
{
	struct mrm_import_opts opts = { .skip_invalid = 1 };
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	size_t nrec, nfields[8];
	char rec[8][512];
	struct tdb t;

	(void)state;
	tdb_open(&t);
	opts.rejects = tmpfile();
	assert_non_null(opts.rejects);
	assert_int_equal(tdb_import(&t, "skip.csv",
				    BAD_HEADER "s-2,Good two,,,arrest,,,,,,\n"
					       "s-3,Bad three,,,arest,,,,,,\n"
					       "s-4,Good four,,,,,,,,,\n"
					       "s-5,Bad five,June 5,,,,,,,,\n",
				    &opts, &stats, &probs, &err),
			 0);
	assert_int_equal(stats.rows, 4);
	assert_int_equal(stats.rejected, 2);
	assert_int_equal(stats.errors, 2);
	assert_int_equal(stats.events, 2);
	assert_int_equal(stats.acts, 1);
	expect_problem(&probs, &err, "skip.csv:3:5", "arest", "arrest");
	expect_problem(&probs, &err, "skip.csv:5:3", "June 5", NULL);
	assert_true(event_id(&t, "s-2") > 0);
	assert_true(event_id(&t, "s-4") > 0);
	assert_int_equal(event_id(&t, "s-3"), -1);
	assert_int_equal(event_id(&t, "s-5"), -1);

	/* the header with an error column, then each bad row and why */
	read_csv_records(opts.rejects, rec, 8, &nrec, nfields);
	assert_int_equal(nrec, 3);
	assert_int_equal(nfields[0], 12);
	assert_true(strncmp(rec[0], "event.key|event.title|", 22) == 0);
	assert_true(rec[0][strlen(rec[0]) - 1] != '|'); /* column is named */
	for (size_t i = 1; i < 3; i++)
		assert_int_equal(nfields[i], 12);
	assert_true(strncmp(rec[1], "s-3|Bad three|||arest|", 22) == 0);
	expect_substr(rec[1], "unknown act_type \"arest\"");
	assert_true(strncmp(rec[2], "s-5|Bad five|June 5|", 20) == 0);
	expect_substr(rec[2], "bad date \"June 5\"");
	fclose(opts.rejects);
	tdb_close(&t);
}

/* A row the CSV reader cannot read (invalid UTF-8) is rejected too, and
 * the rejects file must account for it like any other. */
static void test_skip_invalid_unreadable_row(void **state)
{
	struct mrm_import_opts opts = { .skip_invalid = 1 };
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	size_t nrec, nfields[8];
	char rec[8][512];
	struct tdb t;

	(void)state;
	tdb_open(&t);
	opts.rejects = tmpfile();
	assert_non_null(opts.rejects);
	assert_int_equal(tdb_import(&t, "skip.csv",
				    BAD_HEADER "u-2,Good,,,,,,,,,\n"
					       "u-3,Bad \xc3 byte,,,,,,,,,\n",
				    &opts, &stats, &probs, &err),
			 0);
	assert_int_equal(stats.rejected, 1);
	assert_int_equal(stats.events, 1);
	expect_problem(&probs, &err, "skip.csv:3:2", "invalid UTF-8", NULL);
	read_csv_records(opts.rejects, rec, 8, &nrec, nfields);
	/* header + one line per rejected row */
	assert_int_equal(nrec, 1 + stats.rejected);
	expect_substr(rec[nrec - 1], "invalid UTF-8");
	fclose(opts.rejects);
	tdb_close(&t);
}

/* ---- 6. re-import adds nothing ---- */

static void test_reimport_adds_nothing(void **state)
{
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	struct tdb t;
	char *before = open_with_fixture(&t);

	(void)state;
	assert_int_equal(import_file(&t, FIXTURE, NULL, &stats, &probs, &err),
			 0);
	assert_int_equal(probs.n, 0);
	assert_int_equal(stats.rows, 4);
	assert_int_equal(stats.events, 0);
	assert_int_equal(stats.events_existing, 2);
	assert_int_equal(stats.acts, 0);
	assert_int_equal(stats.persons, 0);
	assert_int_equal(stats.sources, 0);
	assert_int_equal(stats.interventions, 0);
	expect_unchanged(&t, before);
	tdb_close(&t);
}

/* ---- 7. JSON round trip ---- */

static void test_json_round_trip(void **state)
{
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	struct tdb a, b;
	char *first, *second;
	json_t *doc;

	(void)state;
	first = open_with_fixture(&a);
	tdb_open(&b);
	assert_int_equal(import_json_text(&b, "a.json", first, strlen(first),
					  &stats, &probs, &err),
			 0);
	assert_int_equal(probs.n, 0);
	assert_int_equal(stats.rows, 2);
	assert_int_equal(stats.events, 2);
	assert_int_equal(stats.acts, 4);
	assert_int_equal(stats.persons, 2);
	assert_int_equal(stats.sources, 3);
	assert_int_equal(stats.interventions, 1);
	second = tdb_snapshot(&b);
	assert_string_equal(second, first);

	/* the identity is about real content, sensitive fields included */
	doc = json_loads(first, 0, NULL);
	assert_non_null(doc);
	expect_str(doc, "format", "mrm-export/1");
	assert_int_equal(json_array_size(json_object_get(doc, "events")), 2);
	expect_str(doc, "events[0].key", "mkn-2019-001");
	expect_str(doc, "events[0].narrative", NARRATIVE);
	expect_str(doc, "events[0].acts[0].victim.name", NAME_MY);
	expect_str(doc, "events[0].acts[0].victim.contact", CONTACT);
	expect_str(doc, "events[0].acts[0].victim.health", HEALTH);
	expect_str(doc, "events[0].acts[2].victim.name", NAME_MY);
	expect_str(doc, "events[0].acts[2].deportation.cost", "500.50");
	expect_str(doc, "events[0].interventions[0].victim", "v-001");
	expect_int(doc, "events[1].acts[0].victim.group_size", 120);
	json_decref(doc);

	/* and the second database keeps them encrypted too */
	assert_false(db_files_contain(&b, CONTACT));
	free(first);
	free(second);
	tdb_close(&a);
	tdb_close(&b);
}

/* ---- 8. malformed JSON ---- */

#define JSON_HEAD "{\"format\":\"mrm-export/1\",\"organisations\":[],\n"
#define JSON_ACT(members)                                               \
	JSON_HEAD "\"events\":[{\"key\":\"j-1\",\"title\":\"T\",\"acts\":[" \
		  "{\"type\":\"arrest\"," members "}]}]}\n"

struct bad_json {
	const char *label, *text, *where, *phrase, *hint;
};

static struct bad_json bad_json_cases[] = {
	{ "bad json: truncated",
	  JSON_HEAD "\"events\":[\n{\"key\":\"j-1\",\n\"title\":\"T\"",
	  "j.json:4:11", "end of", NULL },
	{ "bad json: wrong format",
	  "{\"format\":\"mrm-export/9\",\"events\":[]}", "j.json",
	  "mrm-export/1", NULL },
	{ "bad json: unknown field in an act",
	  JSON_ACT("\"tpye\":\"x\",\"victim\":{\"name\":\"N\"}"),
	  "j.json: events[0].acts[0].tpye", "unknown field \"tpye\"", "type" },
	{ "bad json: group size not a number",
	  JSON_ACT("\"victim\":{\"unit\":\"group\",\"group_size\":\"abc\"}"),
	  "j.json: events[0].acts[0].victim.group_size",
	  "\"abc\" is not a whole number", NULL },
	{ "bad json: victim not an object", JSON_ACT("\"victim\":[1]"),
	  "j.json: events[0].acts[0].victim", "must be an object", NULL },
};

static void test_bad_json(void **state)
{
	const struct bad_json *c = *state;
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	struct tdb t;
	char *before = open_with_fixture(&t);

	assert_int_equal(import_json_text(&t, "j.json", c->text,
					  strlen(c->text), &stats, &probs,
					  &err),
			 MRM_ERR_INVALID);
	expect_problem(&probs, &err, c->where, c->phrase, c->hint);
	assert_int_equal(event_id(&t, "j-1"), -1);
	expect_unchanged(&t, before);
	tdb_close(&t);
}

/* ---- 9. the IOM Missing Migrants file through its shipped mapping ---- */

#define IOM_CSV "tests/data/iom-missing-migrants-2014-2019.csv"

/* Sum of a numeric column over every data row, read with the library's
 * CSV reader. */
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

static void test_iom_mapping(void **state)
{
	struct mrm_import_opts opts = { 0 };
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	uint64_t rows, total;
	char *before;
	struct tdb t;
	int rc;

	(void)state;
	total = csv_column_sum(IOM_CSV, "Total Dead and Missing", &rows);
	assert_int_equal(rows, 5987);
	tdb_open(&t);
	assert_int_equal(mrm_mapping_load(&opts.mapping, "iom-missing-migrants",
					  &err),
			 0);
	rc = import_file(&t, IOM_CSV, &opts, &stats, &probs, &err);
	if (rc)
		print_error("%s%s: %s\n", probs.text, err.where, err.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(probs.n, 0);
	assert_int_equal(stats.rows, 5987);
	assert_int_equal(stats.events, 5987);
	assert_int_equal(db_int(&t, "SELECT count(*) FROM event", NULL), 5987);
	assert_int_equal(db_int(&t, "SELECT sum(group_size) FROM person", NULL),
			 (int64_t)total);

	/* twice: nothing more (a fresh mapping, as a second run would load) */
	before = tdb_snapshot(&t);
	mrm_mapping_free(opts.mapping);
	assert_int_equal(mrm_mapping_load(&opts.mapping, "iom-missing-migrants",
					  &err),
			 0);
	assert_int_equal(import_file(&t, IOM_CSV, &opts, &stats, &probs, &err),
			 0);
	assert_int_equal(stats.events, 0);
	assert_int_equal(stats.events_existing, 5987);
	assert_int_equal(stats.acts, 0);
	assert_int_equal(stats.persons, 0);
	assert_int_equal(stats.sources, 0);
	expect_unchanged(&t, before);
	mrm_mapping_free(opts.mapping);
	tdb_close(&t);
}

/* ---- 10. mapping files with mistakes ---- */

#define MAP_HEAD "{\"format\": \"mrm-mapping/1\", \"name\": \"m\",\n"

/* Parse mapping text that must fail; its error is left in *err. */
static void expect_bad_mapping(const char *text, struct mrm_error *err)
{
	struct mrm_mapping *m = (struct mrm_mapping *)&m; /* not NULL */

	assert_int_equal(mrm_mapping_parse(&m, text, strlen(text), "m.json",
					   err),
			 MRM_ERR_INVALID);
	assert_null(m);
}

static void test_mapping_errors(void **state)
{
	struct mrm_mapping *m = NULL;
	struct mrm_import_opts opts = { 0 };
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	char where[300];
	char *before;
	struct tdb t;

	(void)state;
	/* not JSON: located at line:column, from a file too */
	expect_bad_mapping(MAP_HEAD "\"event\": {\n"
				    "  \"event.key\": {\"column\": \"id\"},\n"
				    "}}\n",
			   &err);
	assert_string_equal(err.where, "m.json:4:1");
	snprintf(where, sizeof(where), "%s:4:1",
		 tsrc("tests/data/import/mapping-not-json.json"));
	assert_int_equal(mrm_mapping_load(&m, tsrc("tests/data/import/"
						   "mapping-not-json.json"),
					  &err),
			 MRM_ERR_INVALID);
	assert_null(m);
	assert_string_equal(err.where, where);

	/* no event.key */
	expect_bad_mapping(MAP_HEAD "\"event\": {\"event.title\": "
				    "{\"column\": \"title\"}}}",
			   &err);
	expect_substr(err.msg, "must give event.key");

	/* an unknown field name, with the closest ones */
	expect_bad_mapping(MAP_HEAD "\"event\": {\"event.key\": {\"column\": "
				    "\"id\"}, \"event.titel\": {\"column\": "
				    "\"title\"}}}",
			   &err);
	assert_string_equal(err.where, "m.json: event.titel");
	expect_substr(err.msg, "unknown field \"event.titel\"");
	expect_substr(err.msg, "closest: event.title");

	/* a column the file lacks: the message lists the header */
	const char *good = MAP_HEAD
		"\"event\": {\"event.key\": {\"column\": \"id\"},"
		" \"event.title\": {\"column\": \"Headline\"}}}";
	assert_int_equal(mrm_mapping_parse(&opts.mapping, good, strlen(good),
					   "m.json", &err),
			 0);
	before = open_with_fixture(&t);
	assert_int_equal(tdb_import(&t, "in.csv", "id,title\nk-1,A title\n",
				    &opts, &stats, &probs, &err),
			 MRM_ERR_INVALID);
	expect_substr(err.msg, "\"Headline\"");
	expect_substr(err.msg, "the header has: \"id\", \"title\"");
	expect_unchanged(&t, before);
	mrm_mapping_free(opts.mapping);
	tdb_close(&t);
}

/* ---- main ---- */

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_native_csv_values),
		cmocka_unit_test(test_encrypted_at_rest),
		cmocka_unit_test(test_good_row_then_bad_row),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_max_errors),
		cmocka_unit_test(test_skip_invalid_rejects),
		cmocka_unit_test(test_skip_invalid_unreadable_row),
		cmocka_unit_test(test_reimport_adds_nothing),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_iom_mapping),
		cmocka_unit_test(test_mapping_errors),
	};
	enum {
		NFIXED = sizeof(fixed) / sizeof(fixed[0]),
		NCSV = sizeof(bad_csv_cases) / sizeof(bad_csv_cases[0]),
		NJSON = sizeof(bad_json_cases) / sizeof(bad_json_cases[0]),
	};
	struct CMUnitTest tests[NFIXED + NCSV + NJSON];
	size_t n = 0;

	/* one test per bad input, named after it */
	for (size_t i = 0; i < NFIXED; i++)
		tests[n++] = fixed[i];
	for (size_t i = 0; i < NCSV; i++)
		tests[n++] = (struct CMUnitTest){ bad_csv_cases[i].label,
						  test_bad_csv, NULL, NULL,
						  &bad_csv_cases[i] };
	for (size_t i = 0; i < NJSON; i++)
		tests[n++] = (struct CMUnitTest){ bad_json_cases[i].label,
						  test_bad_json, NULL, NULL,
						  &bad_json_cases[i] };
	return _cmocka_run_group_tests("test_import", tests, n, NULL, NULL);
}
