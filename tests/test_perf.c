/*
 * test_perf.c - the parts that make the server fast and small: the fact
 * columns (values of every width read back as written, only the columns
 * asked for loaded), the token cache (kept, stale after its time,
 * forgotten at once on logout) and the event written as text (the same
 * bytes as the JSON objects of mrm_event_visible_json()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "facts.h"
#include "mrm/auth.h"
#include "mrm/crypto.h"
#include "mrm/events.h"
#include "mrm/org.h"
#include "testutil.h"

#include "authcache.h"

/* ---- fact columns ---- */

static void test_fact_columns_keep_every_width(void **state)
{
	static const int64_t amounts[] = {
		0, 5, -3, 300, -40000, 70000, INT64_C(5000000000), INT64_MIN};
	struct facts f;
	struct fact in, out;
	size_t n = sizeof(amounts) / sizeof(amounts[0]);

	(void)state;
	facts_init(&f);
	for (size_t i = 0; i < n; i++) {
		memset(&in, 0, sizeof(in));
		in.event = (uint32_t)(i * 100000);
		in.person = UINT32_MAX - (uint32_t)i;
		in.group = (uint32_t)i + 1;
		in.date = 20140603;
		in.prec = 3;
		in.end_prec = 2;
		in.birth_prec = 1;
		in.kind = FK_INTERVENTION;
		in.code[FC_TYPE] = (uint32_t)(i * 1000);
		in.compensation = amounts[i];
		assert_int_equal(facts_append(&f, &in), 0);
	}
	assert_int_equal(f.n, n);
	/* the widest value decides the column's width */
	assert_int_equal(f.col[FF_COMPENSATION].width, 8);
	assert_int_equal(f.col[FF_GROUP].width, 1);
	assert_int_equal(f.col[FF_FLAGS].width, 1);
	for (size_t i = 0; i < n; i++) {
		memset(&out, 0, sizeof(out));
		facts_get(&f, i, &out);
		assert_int_equal(out.event, i * 100000);
		assert_int_equal(out.person, UINT32_MAX - (uint32_t)i);
		assert_int_equal(out.group, i + 1);
		assert_int_equal(out.date, 20140603);
		assert_int_equal(out.prec, 3);
		assert_int_equal(out.end_prec, 2);
		assert_int_equal(out.birth_prec, 1);
		assert_int_equal(out.kind, FK_INTERVENTION);
		assert_int_equal(out.code[FC_TYPE], i * 1000);
		assert_true(out.compensation == amounts[i]);
	}
	facts_release(&f);
}

static const char acts_csv[] =
	"event.key,event.title,event.start_date,event.country,act.type,"
	"act.start_date,victim.key,victim.group_size\n"
	"e1,One,2014-06-03,TH,arrest,2014-06-03,p1,3\n"
	"e1,One,2014-06-03,TH,detention,2014-06-04,p1,3\n"
	"e2,Two,2015,TH,arrest,2015,p2,200\n";

/* From the cache, a query's columns only; the rest stay unloaded. */
static void test_facts_load_only_the_columns_asked(void **state)
{
	struct mrm_import_stats stats;
	struct tdb t;
	struct facts f;
	struct fact r;
	struct mrm_error err;
	int rc;

	(void)state;
	tdb_open(&t);
	assert_int_equal(
		tdb_import(&t, "acts.csv", acts_csv, NULL, &stats, NULL, &err),
		0);
	/* the first load builds every column and writes the cache */
	assert_int_equal(facts_load(t.st, &f, &err), 0);
	assert_int_equal(f.n, 3);
	assert_non_null(f.col[FF_BIRTH].data);
	facts_release(&f);
	/* the second reads the cache: nothing until asked */
	assert_int_equal(facts_load(t.st, &f, &err), 0);
	assert_int_equal(f.n, 3);
	assert_null(f.col[FF_GROUP].data);
	rc = facts_columns(t.st, &f, FF_BIT(FF_GROUP) | FF_BIT(FF_DATE), &err);
	assert_int_equal(rc, 0);
	assert_non_null(f.col[FF_GROUP].data);
	assert_null(f.col[FF_BIRTH].data);
	memset(&r, 0, sizeof(r));
	facts_get(&f, 2, &r);
	assert_int_equal(r.group, 200);
	assert_int_equal(r.date, 20150000);
	assert_int_equal(r.code[FC_TYPE], 0); /* not loaded */
	facts_release(&f);
	tdb_close(&t);
}

/* ---- the token cache ---- */

static void test_auth_cache_keeps_and_forgets(void **state)
{
	static struct srv_auth_cache c;
	struct mrm_actor who = {7, 3, "alice", "MKN-TH", MRM_ROLE_CASEWORKER};
	struct mrm_actor got;
	char csrf[MRM_TOKEN_HEX + 1];

	(void)state;
	srv_auth_cache_init(&c);
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_BEARER, "tok", &got, NULL), 0);
	srv_auth_cache_put(&c, SRV_AUTH_BEARER, "tok", &who, NULL);
	srv_auth_cache_put(&c, SRV_AUTH_SESSION, "sess", &who, "csrf-x");
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_BEARER, "tok", &got, NULL), 1);
	assert_int_equal(got.user_id, 7);
	assert_string_equal(got.login, "alice");
	/* a token is not a session of the same text, nor another token */
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_SESSION, "tok", &got, csrf), 0);
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_BEARER, "tok2", &got, NULL), 0);
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_SESSION, "sess", &got, csrf),
		1);
	assert_string_equal(csrf, "csrf-x");
	srv_auth_forget(&c, SRV_AUTH_SESSION, "sess");
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_SESSION, "sess", &got, csrf),
		0);
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_BEARER, "tok", &got, NULL), 1);
	srv_auth_forget_all(&c);
	assert_int_equal(
		srv_auth_cache_get(&c, SRV_AUTH_BEARER, "tok", &got, NULL), 0);
	srv_auth_cache_release(&c);
}

/* ---- the event as text ---- */

static void test_event_text_is_the_json(void **state)
{
	struct mrm_import_stats stats;
	struct tdb t;
	struct mrm_error err;
	struct mrm_actor who;
	struct mrm_buf text = MRM_BUF_INIT(1 << 20);
	char token[MRM_TOKEN_HEX + 1], *dumped;
	json_t *ev = NULL;

	(void)state;
	tdb_open(&t);
	assert_int_equal(
		tdb_import(&t, "acts.csv", acts_csv, NULL, &stats, NULL, &err),
		0);
	assert_int_equal(mrm_user_add(t.st, "MKN-TH", "case-th", "caseworker",
				      "pass word 1234", &err),
			 0);
	assert_int_equal(
		mrm_auth_token_create(t.st, "case-th", "t", 1, token, &err), 0);
	assert_int_equal(mrm_auth_bearer(t.st, token, &who, &err), 0);
	for (int64_t id = 1; id <= 2; id++) {
		mrm_buf_reset(&text);
		assert_int_equal(
			mrm_event_visible_text(t.st, &who, id, &text, &err), 0);
		assert_int_equal(
			mrm_event_visible_json(t.st, &who, id, &ev, &err), 0);
		dumped = json_dumps(ev, JSON_COMPACT);
		assert_string_equal(mrm_buf_str(&text), dumped);
		free(dumped);
		json_decref(ev);
	}
	assert_int_equal(mrm_event_visible_text(t.st, &who, 99, &text, &err),
			 MRM_ERR_NOTFOUND);
	mrm_buf_release(&text);
	tdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fact_columns_keep_every_width),
		cmocka_unit_test(test_facts_load_only_the_columns_asked),
		cmocka_unit_test(test_auth_cache_keeps_and_forgets),
		cmocka_unit_test(test_event_text_is_the_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
