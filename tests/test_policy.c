/*
 * test_policy.c - the policy register (src/lib/policy.c) and the policy
 * on the ground (src/lib/policy_impact.c).
 *
 * The fixture tests/data/policy/crackdown.csv holds ten events of
 * MKN-TH around the June 2014 crackdown (th-crackdown-2014-06, dated to
 * the month: the windows meet at 2014-06-01; before 2013-06-01 to
 * 2014-05-31, after 2014-06-01 to 2015-05-31). Worked out by hand:
 *
 *   E1  2014-03-10 TH arrest      1 MM        before
 *   E2  2014-05    TH detention  12 KH group  before (the month is wholly in)
 *   E3  2014-06-15 TH arrest     50 KH group  after
 *       and        TH deportation 50 KH group after
 *   E4  2014-07-02 TH arrest      1 MM        after
 *   E5  2015-05-31 TH arrest      1 LA        after (its last day)
 *   E6  2015-06-01 TH arrest      1 MM        outside (a day late)
 *   E7  2013-05-31 TH arrest      1 MM        outside (a day early)
 *   E8  2013-06-01 TH detention   1 MM        before (its first day)
 *   E9  2014       TH arrest      7 MM group  neither: known to the year
 *   E10 2014-04    MM arrest      1 MM        not in Thailand
 *
 *   by act type   acts before/after   persons before/after
 *   arrest            1 / 3               1 / 52
 *   deportation       0 / 1               0 / 50
 *   detention         2 / 0              13 / 0
 *   total             3 / 4              14 / 102   unplaced: 1 act, 7
 *   by nationality
 *   KH                1 / 2              12 / 100
 *   LA                0 / 1               0 / 1
 *   MM                2 / 1               2 / 1
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/auth.h"
#include "mrm/policy.h"
#include "mrm/report.h"

#include <sqlite3.h>
#include <sys/stat.h>

#define FIXTURE	  "tests/data/policy/crackdown.csv"
#define CRACKDOWN "th-crackdown-2014-06"
#define NSHIPPED  26 /* rows of data/reference/policies.csv */

TDB_GROUP_FIXTURE

static int64_t scalar(const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v;

	assert_int_equal(
		sqlite3_prepare_v2(mrm_store_db(db.st), sql, -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int64_t event_id(const char *key)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT id FROM event WHERE key = '%s'",
		 key);
	return scalar(sql);
}

static void actor(const char *login, const char *org, const char *role,
		  struct mrm_actor *who)
{
	char token[MRM_TOKEN_HEX + 1];
	struct mrm_error err;

	assert_int_equal(mrm_user_add(db.st, org, login, role,
				      "correct horse battery", &err),
			 0);
	assert_int_equal(
		mrm_auth_token_create(db.st, login, "test", 1, token, &err), 0);
	assert_int_equal(mrm_auth_bearer(db.st, token, who, &err), 0);
}

static struct mrm_actor th_case, th_coord, th_research, mm_case, th_admin;

static int group_setup(void **state)
{
	struct mrm_import_stats stats;
	struct mrm_error err;
	char *csv;

	setup(state);
	csv = slurp(tsrc(FIXTURE), NULL);
	assert_non_null(csv);
	assert_int_equal(
		tdb_import(&db, FIXTURE, csv, NULL, &stats, NULL, &err), 0);
	free(csv);
	actor("th-case", "MKN-TH", "caseworker", &th_case);
	actor("th-coord", "MKN-TH", "coordinator", &th_coord);
	actor("th-research", "MKN-TH", "researcher", &th_research);
	actor("th-admin", "MKN-TH", "admin", &th_admin);
	actor("mm-case", "MKN-MM", "caseworker", &mm_case);
	return 0;
}

/* ---- the register ---- */

static int count_cb(void *ctx, const struct mrm_policy *p)
{
	(void)p;
	++*(int *)ctx;
	return 0;
}

static void test_shipped_register_loaded(void **state)
{
	(void)state;
	assert_int_equal(scalar("SELECT count(*) FROM policy WHERE shipped"),
			 NSHIPPED);
	assert_int_equal(
		scalar("SELECT count(*) FROM policy WHERE source IS NULL OR "
		       "source = '' OR (adopted IS NULL AND effective_from IS "
		       "NULL)"),
		0);
}

static int keep_policy(void *ctx, const struct mrm_policy *p)
{
	struct mrm_policy *out = ctx;

	assert_string_equal(p->key, CRACKDOWN);
	assert_string_equal(p->country, "TH");
	assert_string_equal(p->instrument, "measure");
	assert_string_equal(p->effective_from, "2014-06");
	assert_non_null(strstr(p->note, "220,000 Cambodians"));
	assert_int_equal(p->shipped, 1);
	out->id = p->id;
	return 0;
}

static void test_find_and_list(void **state)
{
	struct mrm_policy p = {0};
	struct mrm_error err;
	int n = 0;

	(void)state;
	assert_int_equal(
		mrm_policy_find(db.st, CRACKDOWN, keep_policy, &p, &err), 0);
	assert_true(p.id > 0);
	assert_int_equal(mrm_policy_find(db.st, "th-crackdown-2014",
					 keep_policy, &p, &err),
			 MRM_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, CRACKDOWN)); /* the closest key */
	/* Cambodia's own three, with the ASEAN and CLMTV ones */
	assert_int_equal(mrm_policy_each(db.st, "KH", count_cb, &n, &err), 0);
	assert_int_equal(n, 5);
	n = 0;
	assert_int_equal(mrm_policy_each(db.st, "Cambodia", count_cb, &n, &err),
			 0);
	assert_int_equal(n, 5);
	n = 0;
	assert_int_equal(mrm_policy_each(db.st, "CLMTV", count_cb, &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(mrm_policy_each(db.st, "XX", count_cb, &n, &err),
			 MRM_ERR_INVALID);
	assert_string_equal(err.where, "country");
}

static struct mrm_policy valid_policy(const char *key)
{
	return (struct mrm_policy){.key = key,
				   .country = "Thailand",
				   .instrument = "cabinet_resolution",
				   .title = "Registration deadline",
				   .adopted = "2024-12-20",
				   .effective_from = "2025-02",
				   .source = "Cabinet resolution, 20 Dec 2024"};
}

static void test_add_checks_and_changes_nothing_on_error(void **state)
{
	int64_t before = scalar("SELECT count(*) FROM policy");
	struct mrm_policy p = valid_policy("th-test-registration");
	struct mrm_error err;
	struct {
		const char *field, *value, *where;
		int code;
	} bad[] = {
		{"country", "XX", "country", MRM_ERR_INVALID},
		{"adopted", "2024-13-01", "adopted", MRM_ERR_INVALID},
		{"effective_to", "2025-01", "effective_to", MRM_ERR_INVALID},
		{"instrument", "treaty", "instrument", MRM_ERR_INVALID},
		{"key", "Bad Key", "key", MRM_ERR_INVALID},
		{"key", CRACKDOWN, "key", MRM_ERR_EXISTS},
		{"source", "", "source", MRM_ERR_INVALID},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mrm_policy q = p;

		if (!strcmp(bad[i].field, "country"))
			q.country = bad[i].value;
		else if (!strcmp(bad[i].field, "adopted"))
			q.adopted = bad[i].value;
		else if (!strcmp(bad[i].field, "effective_to"))
			q.effective_to = bad[i].value;
		else if (!strcmp(bad[i].field, "instrument"))
			q.instrument = bad[i].value;
		else if (!strcmp(bad[i].field, "key"))
			q.key = bad[i].value;
		else
			q.source = bad[i].value;
		assert_int_equal(mrm_policy_add(db.st, NULL, &q, &err),
				 bad[i].code);
		assert_string_equal(err.where, bad[i].where);
		assert_int_equal(scalar("SELECT count(*) FROM policy"), before);
	}
	p.adopted = p.effective_from = NULL;
	assert_int_equal(mrm_policy_add(db.st, NULL, &p, &err),
			 MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "date"));
	/* a caseworker may not add; a coordinator may, for the org */
	p = valid_policy("th-test-registration");
	assert_int_equal(mrm_policy_add(db.st, &th_case, &p, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(scalar("SELECT count(*) FROM policy"), before);
	assert_int_equal(mrm_policy_add(db.st, &th_coord, &p, &err), 0);
	assert_int_equal(
		scalar("SELECT count(*) FROM policy p JOIN org o ON o.id = "
		       "p.org_id WHERE p.key = 'th-test-registration' AND "
		       "o.code = 'MKN-TH' AND p.country = 'TH' AND NOT "
		       "p.shipped"),
		1);
}

static void test_sync_is_idempotent_and_keeps_users_rows(void **state)
{
	struct mrm_policy p = valid_policy("th-test-own");
	struct mrm_error err;
	int n = -1;

	(void)state;
	assert_int_equal(mrm_policy_add(db.st, NULL, &p, &err), 0);
	/* unchanged since it was loaded: nothing to do */
	assert_int_equal(mrm_policy_sync(db.st, 0, &n, &err), 0);
	assert_int_equal(n, 0);
	/* a shipped row changed by hand comes back; the user's stays */
	assert_int_equal(sqlite3_exec(mrm_store_db(db.st),
				      "UPDATE policy SET title = 'changed'"
				      " WHERE key IN ('" CRACKDOWN
				      "', 'th-test-own')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(mrm_policy_sync(db.st, 1, &n, &err), 0);
	assert_int_equal(n, NSHIPPED);
	assert_int_equal(scalar("SELECT count(*) FROM policy WHERE title = "
				"'changed' AND key = 'th-test-own'"),
			 1);
	assert_int_equal(scalar("SELECT count(*) FROM policy WHERE title = "
				"'changed'"),
			 1);
	assert_int_equal(scalar("SELECT count(*) FROM policy WHERE shipped"),
			 NSHIPPED);
}

static void test_reopen_reloads_a_register_it_has_not_seen(void **state)
{
	struct mrm_error err;

	(void)state;
	assert_int_equal(
		sqlite3_exec(mrm_store_db(db.st),
			     "DELETE FROM policy WHERE key = '" CRACKDOWN
			     "'; DELETE FROM meta WHERE key ="
			     " 'policies_digest'",
			     NULL, NULL, NULL),
		SQLITE_OK);
	mrm_store_close(db.st);
	assert_int_equal(mrm_store_open(&db.st, db.path, &err), 0);
	assert_int_equal(scalar("SELECT count(*) FROM policy WHERE key = "
				"'" CRACKDOWN "'"),
			 1);
}

/* ---- links ---- */

static int collect(void *ctx, int64_t id)
{
	int64_t *ids = ctx;

	ids[++ids[0]] = id;
	return 0;
}

static void test_link_access_and_errors(void **state)
{
	int64_t e1 = event_id("E1"), e3 = event_id("E3"), ids[8] = {0};
	struct mrm_error err;
	json_t *keys;

	(void)state;
	assert_int_equal(mrm_policy_link(db.st, &mm_case, e1, CRACKDOWN, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(
		mrm_policy_link(db.st, &th_research, e1, CRACKDOWN, &err),
		MRM_ERR_ACCESS);
	/* a share gives reading, not writing */
	assert_int_equal(mrm_access_share(db.st, &th_admin, e1, "MKN-MM", &err),
			 0);
	assert_int_equal(mrm_policy_link(db.st, &mm_case, e1, CRACKDOWN, &err),
			 MRM_ERR_ACCESS);
	assert_int_equal(
		mrm_policy_link(db.st, &th_case, 999999, CRACKDOWN, &err),
		MRM_ERR_NOTFOUND);
	assert_int_equal(
		mrm_policy_link(db.st, &th_case, e1, "no-such-policy", &err),
		MRM_ERR_NOTFOUND);
	assert_int_equal(scalar("SELECT count(*) FROM event_policy"), 0);

	assert_int_equal(mrm_policy_link(db.st, &th_case, e1, CRACKDOWN, &err),
			 0);
	assert_int_equal(mrm_policy_link(db.st, &th_case, e1, CRACKDOWN, &err),
			 0); /* twice is fine */
	assert_int_equal(mrm_policy_link(db.st, NULL, e3, CRACKDOWN, &err), 0);
	assert_int_equal(
		mrm_policy_link(db.st, NULL, e3, "th-pink-card-2024-25", &err),
		0);
	assert_int_equal(scalar("SELECT count(*) FROM event_policy"), 3);
	keys = mrm_policy_event_keys(db.st, e3);
	assert_int_equal(json_array_size(keys), 2);
	assert_string_equal(json_string_value(json_array_get(keys, 0)),
			    CRACKDOWN);
	json_decref(keys);
	/* MKN-MM reads E1 (shared) but not E3 */
	assert_int_equal(mrm_policy_events(db.st, &mm_case, CRACKDOWN, collect,
					   ids, &err),
			 0);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], e1);

	assert_int_equal(
		mrm_policy_unlink(db.st, &mm_case, e3, CRACKDOWN, &err),
		MRM_ERR_ACCESS);
	assert_int_equal(
		mrm_policy_unlink(db.st, &th_case, e3, CRACKDOWN, &err), 0);
	assert_int_equal(
		mrm_policy_unlink(db.st, &th_case, e3, CRACKDOWN, &err),
		MRM_ERR_NOTFOUND);
	assert_int_equal(scalar("SELECT count(*) FROM event_policy"), 2);
}

/* ---- the policy on the ground ---- */

static const struct mrm_policy_impact_row *
row(const struct mrm_policy_impact *r, const char *code)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].code, code))
			return &r->rows[i];
	fail_msg("no row %s", code);
	return NULL;
}

static void expect(const struct mrm_policy_impact *r, const char *code,
		   int64_t acts_before, int64_t acts_after,
		   int64_t persons_before, int64_t persons_after)
{
	const struct mrm_policy_impact_row *w = row(r, code);

	assert_int_equal(w->acts[0].value, acts_before);
	assert_int_equal(w->acts[1].value, acts_after);
	assert_int_equal(w->persons[0].value, persons_before);
	assert_int_equal(w->persons[1].value, persons_after);
	assert_int_equal(w->persons[0].mark, MRM_STATS_SHOWN);
}

static void test_impact_by_act_type(void **state)
{
	struct mrm_policy_impact_opts o = {.key = CRACKDOWN};
	struct mrm_policy_impact *r = NULL;
	struct mrm_error err;
	char change[16];

	(void)state;
	assert_int_equal(mrm_policy_impact(db.st, &o, &r, &err), 0);
	assert_string_equal(r->at, "2014-06-01");
	assert_string_equal(r->from[0], "2013-06-01");
	assert_string_equal(r->to[0], "2014-05-31");
	assert_string_equal(r->from[1], "2014-06-01");
	assert_string_equal(r->to[1], "2015-05-31");
	assert_string_equal(r->places, "TH");
	assert_int_equal(r->nrows, 4);
	expect(r, "arrest", 1, 3, 1, 52);
	expect(r, "deportation", 0, 1, 0, 50);
	expect(r, "detention", 2, 0, 13, 0);
	expect(r, MRM_STATS_ALL, 3, 4, 14, 102);
	assert_int_equal(r->unplaced_acts.value, 1);
	assert_int_equal(r->unplaced_persons.value, 7);
	mrm_policy_change_text(row(r, "detention")->persons, change,
			       sizeof(change));
	assert_string_equal(change, "-13");
	mrm_policy_change_text(row(r, MRM_STATS_ALL)->persons, change,
			       sizeof(change));
	assert_string_equal(change, "+88");
	mrm_policy_impact_free(r);
}

static void test_impact_by_nationality_anywhere(void **state)
{
	struct mrm_policy_impact_opts o = {
		.key = CRACKDOWN, .by = "nationality", .country = "any"};
	struct mrm_policy_impact *r = NULL;
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_policy_impact(db.st, &o, &r, &err), 0);
	assert_string_equal(r->places, "");
	expect(r, "KH", 1, 2, 12, 100);
	expect(r, "LA", 0, 1, 0, 1);
	expect(r, "MM", 3, 1, 3, 1); /* E10 in Myanmar too */
	expect(r, MRM_STATS_ALL, 4, 4, 15, 102);
	mrm_policy_impact_free(r);
	o.country = "TH";
	assert_int_equal(mrm_policy_impact(db.st, &o, &r, &err), 0);
	expect(r, "MM", 2, 1, 2, 1);
	mrm_policy_impact_free(r);
}

static void test_impact_window_and_date(void **state)
{
	/* three months each side of 15 June 2014: 2014-03-15 to 2014-06-14
	 * (E1 no, E2: May is wholly in) and 2014-06-15 to 2014-09-14 (E3,
	 * E4) */
	struct mrm_policy_impact_opts o = {
		.key = CRACKDOWN, .at = "2014-06-15", .window = 3};
	struct mrm_policy_impact *r = NULL;
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_policy_impact(db.st, &o, &r, &err), 0);
	assert_string_equal(r->from[0], "2014-03-15");
	assert_string_equal(r->to[0], "2014-06-14");
	assert_string_equal(r->to[1], "2014-09-14");
	expect(r, MRM_STATS_ALL, 1, 3, 12, 101);
	expect(r, "detention", 1, 0, 12, 0);
	mrm_policy_impact_free(r);
}

static void test_impact_public_withholds(void **state)
{
	struct mrm_policy_impact_opts o = {.key = CRACKDOWN, .public = 1};
	struct mrm_policy_impact *r = NULL;
	struct mrm_error err;
	char text[16];
	json_t *j, *row0, *before;

	(void)state;
	assert_int_equal(mrm_policy_impact(db.st, &o, &r, &err), 0);
	/* 1 person arrested before: under 5 */
	assert_int_equal(row(r, "arrest")->persons[0].mark, MRM_STATS_PRIMARY);
	mrm_policy_figure_text(r, &row(r, "arrest")->persons[0], text,
			       sizeof(text));
	assert_string_equal(text, "<5");
	mrm_policy_change_text(row(r, "arrest")->persons, text, sizeof(text));
	assert_string_equal(text, "");
	assert_int_equal(row(r, "arrest")->persons[1].value, 52);
	j = mrm_policy_impact_json(r);
	assert_non_null(j);
	row0 = json_array_get(json_object_get(j, "rows"), 0);
	assert_string_equal(
		json_string_value(json_object_get(row0, "act_type")), "arrest");
	before = json_object_get(json_object_get(row0, "persons"), "before");
	assert_string_equal(json_string_value(before), "<5");
	json_decref(j);
	mrm_policy_impact_free(r);
}

static void test_impact_bad_input(void **state)
{
	struct mrm_policy_impact *r = NULL;
	struct mrm_error err;
	struct {
		struct mrm_policy_impact_opts o;
		int code;
		const char *where;
	} bad[] = {
		{{.key = "th-crackdown"}, MRM_ERR_NOTFOUND, "policy"},
		{{.key = CRACKDOWN, .window = 121},
		 MRM_ERR_INVALID,
		 "--window"},
		{{.key = CRACKDOWN, .by = "sex"}, MRM_ERR_INVALID, "--by"},
		{{.key = CRACKDOWN, .at = "2014-02-30"},
		 MRM_ERR_INVALID,
		 "--at"},
		{{.key = CRACKDOWN, .country = "XX"},
		 MRM_ERR_INVALID,
		 "--country"},
		/* dated to the year only */
		{{.key = "th-royal-decree-recruitment-2016"},
		 MRM_ERR_INVALID,
		 "policy"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mrm_policy_impact(db.st, &bad[i].o, &r, &err),
				 bad[i].code);
		assert_null(r);
		assert_string_equal(err.where, bad[i].where);
	}
	assert_non_null(strstr(err.msg, "--at"));
}

static void test_impact_html(void **state)
{
	struct mrm_policy_impact_opts o = {.key = CRACKDOWN};
	struct mrm_policy_impact *r = NULL;
	struct mrm_buf b = MRM_BUF_INIT(1 << 22);
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_policy_impact(db.st, &o, &r, &err), 0);
	assert_int_equal(mrm_policy_impact_html(db.st, r, "en", &b, &err), 0);
	assert_non_null(strstr(b.ptr, "June 2014 crackdown"));
	assert_non_null(strstr(b.ptr, "ADD) research")); /* the source */
	assert_non_null(strstr(b.ptr, "<dd>2014-06</dd>"));
	assert_non_null(strstr(b.ptr, "<svg"));
	assert_non_null(strstr(b.ptr, "<td class=\"num\">+88</td>"));
	assert_null(strstr(b.ptr, "Raid in June")); /* no record text */
	mrm_buf_release(&b);
	mrm_policy_impact_free(r);
}

/* Unicode Burmese, not Zawgyi: none of U+1060..U+1097 (as test_report.c) */
static void assert_no_zawgyi(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (p[0] == 0xe1 && ((p[1] == 0x81 && p[2] >= 0xa0) ||
				     (p[1] == 0x82 && p[2] <= 0x97)))
			fail_msg("a Zawgyi code point in the Burmese report");
}

static void test_impact_html_languages(void **state)
{
	struct mrm_policy_impact_opts o = {.key = CRACKDOWN, .public = 1};
	struct mrm_policy_impact *r = NULL;
	struct mrm_buf b = MRM_BUF_INIT(1 << 22);
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_policy_impact(db.st, &o, &r, &err), 0);
	assert_int_equal(mrm_policy_impact_html(db.st, r, "th", &b, &err), 0);
	assert_non_null(strstr(b.ptr, "<html lang=\"th\">"));
	assert_non_null(strstr(b.ptr, "<h1>ผลของนโยบายในทางปฏิบัติ: June 2014 "
				      "crackdown"));
	assert_non_null(strstr(b.ptr, "<dt>ประเภท</dt><dd>มาตรการ</dd>"));
	assert_non_null(strstr(b.ptr, "<dt>แหล่งที่มา</dt>"));
	assert_non_null(strstr(b.ptr, "<th>การจับกุม</th>"));
	assert_non_null(strstr(b.ptr, "ฉบับเผยแพร่สาธารณะ"));
	/* public: 1 arrest before is under 5; the total after is shown */
	assert_non_null(strstr(b.ptr, "<td class=\"num\">&lt;5</td>"));
	assert_non_null(strstr(b.ptr, "<td class=\"num\">102</td>"));
	assert_null(strstr(b.ptr, "Before"));
	assert_null(strstr(b.ptr, "Persons"));

	mrm_buf_reset(&b);
	assert_int_equal(mrm_policy_impact_html(db.st, r, "my", &b, &err), 0);
	assert_non_null(strstr(b.ptr, "<html lang=\"my\">"));
	assert_non_null(strstr(b.ptr, "<dt>ရင်းမြစ်</dt>"));
	assert_non_null(strstr(b.ptr, "<dd>အစီအမံ</dd>"));
	assert_non_null(strstr(b.ptr, "မတိုင်မီနှင့် နောက်ပိုင်း"));
	assert_null(strstr(b.ptr, "Before"));
	assert_no_zawgyi(b.ptr);

	/* NULL and "" are English; another language is refused, by name */
	mrm_buf_reset(&b);
	assert_int_equal(mrm_policy_impact_html(db.st, r, "", &b, &err), 0);
	assert_non_null(strstr(b.ptr, "<html lang=\"en\">"));
	assert_non_null(strstr(b.ptr, "<dt>Instrument</dt><dd>Measure</dd>"));
	mrm_buf_reset(&b);
	assert_int_equal(mrm_policy_impact_html(db.st, r, "fr", &b, &err),
			 MRM_ERR_INVALID);
	assert_string_equal(err.where, "--lang");
	assert_non_null(strstr(err.msg, "\"fr\"; valid: en, th, my"));
	assert_int_equal(b.len, 0);
	mrm_buf_release(&b);
	mrm_policy_impact_free(r);
}

/* mrm_report_write(template "policy-impact") into a string. */
static int write_report(const struct mrm_report_opts *o, char **html,
			size_t *len, struct mrm_error *err)
{
	FILE *fp = open_memstream(html, len);
	int rc;

	assert_non_null(fp);
	rc = mrm_report_write(db.st, o, fp, err);
	assert_int_equal(fclose(fp), 0);
	return rc;
}

static void test_report_template(void **state)
{
	struct mrm_policy_impact_opts io = {.key = CRACKDOWN,
					    .window = 6,
					    .by = "nationality",
					    .country = "any"};
	struct mrm_report_opts o = {.template_name = "policy-impact",
				    .lang = "my",
				    .policy = CRACKDOWN,
				    .window = 6,
				    .by = "nationality",
				    .country = "any"};
	struct mrm_policy_impact *r = NULL;
	struct mrm_buf b = MRM_BUF_INIT(1 << 22);
	char dir[160], path[200], *html = NULL, *csv;
	size_t len = 0;
	struct stat sb;
	struct mrm_error err;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/impact-tables", db.dir);
	o.csv_dir = dir;
	assert_int_equal(write_report(&o, &html, &len, &err), 0);
	/* the same page as the policy's own: one builder */
	assert_int_equal(mrm_policy_impact(db.st, &io, &r, &err), 0);
	assert_int_equal(mrm_policy_impact_html(db.st, r, "my", &b, &err), 0);
	assert_int_equal(len, b.len);
	assert_memory_equal(html, b.ptr, len);
	assert_non_null(strstr(html, "(2013-12-01 မှ 2014-05-31 အထိ)"));
	/* the table as CSV, private: 6 months each side (2013-12-01 to
	 * 2014-05-31, 2014-06-01 to 2014-11-30), by nationality, anywhere:
	 * before E1 (MM), E2 (KH 12), E10 (MM, in Myanmar); after E3 (KH 50,
	 * two acts), E4 (MM); E5 and E8 fall outside */
	snprintf(path, sizeof(path), "%s/01-policy-impact.csv", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	csv = slurp(path, NULL);
	assert_non_null(csv);
	assert_string_equal(csv,
			    "nationality,acts_before,acts_after,acts_change,"
			    "persons_before,persons_after,persons_change\n"
			    "KH,1,2,+1,12,100,+88\n"
			    "MM,2,1,-1,2,1,-1\n"
			    "total,3,3,0,14,101,+87\n");
	free(csv);
	free(html);
	mrm_buf_release(&b);
	mrm_policy_impact_free(r);
}

static void test_report_template_bad_input(void **state)
{
	struct {
		struct mrm_report_opts o;
		int code;
		const char *where;
	} bad[] = {
		{{.template_name = "policy-impact"},
		 MRM_ERR_INVALID,
		 "--policy"},
		{{.template_name = "policy-impact",
		  .policy = CRACKDOWN,
		  .from = "2014"},
		 MRM_ERR_INVALID,
		 "--from"},
		{{.template_name = "add-monitoring", .window = 6},
		 MRM_ERR_INVALID,
		 "--window"},
		{{.template_name = "deaths-and-missing", .policy = CRACKDOWN},
		 MRM_ERR_INVALID,
		 "--policy"},
		{{.template_name = "policy-impact", .policy = "th-crackdown"},
		 MRM_ERR_NOTFOUND,
		 "policy"},
		{{.template_name = "policy-impact",
		  .policy = CRACKDOWN,
		  .window = 121},
		 MRM_ERR_INVALID,
		 "--window"},
		{{.template_name = "policy-impact",
		  .policy = CRACKDOWN,
		  .lang = "fr"},
		 MRM_ERR_INVALID,
		 "--lang"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *html = NULL;
		size_t len = 0;
		struct mrm_error err;

		assert_int_equal(write_report(&bad[i].o, &html, &len, &err),
				 bad[i].code);
		assert_string_equal(err.where, bad[i].where);
		assert_int_equal(len, 0); /* nothing written */
		free(html);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_register_loaded),
		cmocka_unit_test(test_find_and_list),
		cmocka_unit_test(test_add_checks_and_changes_nothing_on_error),
		cmocka_unit_test(test_sync_is_idempotent_and_keeps_users_rows),
		cmocka_unit_test(
			test_reopen_reloads_a_register_it_has_not_seen),
		cmocka_unit_test(test_link_access_and_errors),
		cmocka_unit_test(test_impact_by_act_type),
		cmocka_unit_test(test_impact_by_nationality_anywhere),
		cmocka_unit_test(test_impact_window_and_date),
		cmocka_unit_test(test_impact_public_withholds),
		cmocka_unit_test(test_impact_bad_input),
		cmocka_unit_test(test_impact_html),
		cmocka_unit_test(test_impact_html_languages),
		cmocka_unit_test(test_report_template),
		cmocka_unit_test(test_report_template_bad_input),
	};

	return cmocka_run_group_tests(tests, group_setup, teardown);
}
