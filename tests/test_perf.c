/*
 * test_perf.c - the parts that make the server fast and small: the fact
 * columns (values of every width read back as written, only the columns
 * asked for loaded), the token cache (kept, stale after its time,
 * forgotten at once on logout), the event written as text (the same
 * bytes as the JSON objects of mrm_event_visible_json(), with the members
 * other modules add: wages, recruitment costs, policies; sensitive fields
 * whose keys were wiped shown as destroyed) and kept by a worker
 * connection until the database changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "facts.h"
#include "labour.h"
#include "mrm/auth.h"
#include "mrm/crypto.h"
#include "mrm/events.h"
#include "mrm/export.h"
#include "mrm/fields.h"
#include "mrm/import.h"
#include "mrm/keyring.h"
#include "mrm/org.h"
#include "mrm/policy.h"
#include "policy_internal.h"
#include "testutil.h"

#include <sqlite3.h>

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

/* A caseworker of `org` (who reads its identities), as a token gives it. */
static void caseworker_of(struct tdb *t, const char *org, const char *login,
			  struct mrm_actor *who)
{
	char token[MRM_TOKEN_HEX + 1];
	struct mrm_error err;

	assert_int_equal(mrm_user_add(t->st, org, login, "caseworker",
				      "pass word 1234", &err),
			 0);
	assert_int_equal(
		mrm_auth_token_create(t->st, login, "t", 1, token, &err), 0);
	assert_int_equal(mrm_auth_bearer(t->st, token, who, &err), 0);
}

static void caseworker(struct tdb *t, struct mrm_actor *who)
{
	caseworker_of(t, "MKN-TH", "case-th", who);
}

static int traced;

static int count_statement(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)ctx;
	(void)p;
	(void)x;
	traced++;
	return 0;
}

/* Event `id` through `st` as `who` sees it (reveal `r`), into *text;
 * returns how many statements that took. */
static int shown(struct mrm_store *st, const struct mrm_actor *who, int64_t id,
		 enum mrm_reveal r, struct mrm_buf *text, int want)
{
	struct mrm_error err;

	mrm_buf_reset(text);
	traced = 0;
	sqlite3_trace_v2(mrm_store_db(st), SQLITE_TRACE_STMT, count_statement,
			 NULL);
	assert_int_equal(
		mrm_event_visible_text(st, who, id, r, NULL, text, &err), want);
	sqlite3_trace_v2(mrm_store_db(st), 0, NULL, NULL);
	return traced;
}

/* A worker connection keeps the text of the events it showed, without
 * identities, until the database changes: by another connection or by
 * itself. Access is checked every time. */
static void test_event_text_kept_until_a_change(void **state)
{
	static const char named_csv[] =
		"event.key,event.title,act.type,victim.key,victim.unit,"
		"victim.group_size,victim.name\n"
		"e1,One,arrest,p1,individual,1,Somchai\n";
	struct mrm_import_stats stats;
	struct mrm_buf text = MRM_BUF_INIT(1 << 20);
	struct mrm_actor who, other;
	struct mrm_store *w;
	struct mrm_error err;
	struct tdb t;
	int first;

	(void)state;
	tdb_open(&t);
	assert_int_equal(tdb_import(&t, "named.csv", named_csv, NULL, &stats,
				    NULL, &err),
			 0);
	caseworker(&t, &who);
	assert_int_equal(
		mrm_store_open_worker(&w, t.path, mrm_store_key(t.st), &err),
		0);

	first = shown(w, &who, 1, MRM_REVEAL_NONE, &text, 0);
	assert_non_null(strstr(mrm_buf_str(&text), "\"title\":\"One\""));
	assert_null(strstr(mrm_buf_str(&text), "Somchai"));
	/* kept: the access check's statements only */
	assert_true(shown(w, &who, 1, MRM_REVEAL_NONE, &text, 0) < first);
	assert_non_null(strstr(mrm_buf_str(&text), "\"title\":\"One\""));

	/* identities are written afresh (and their reading audited), and
	 * never kept */
	assert_true(shown(w, &who, 1, MRM_REVEAL_IDENTITIES, &text, 0) > first);
	assert_non_null(strstr(mrm_buf_str(&text), "Somchai"));
	shown(w, &who, 1, MRM_REVEAL_NONE, &text, 0);
	assert_null(strstr(mrm_buf_str(&text), "Somchai"));

	/* a change by another connection, then by the worker's own */
	assert_int_equal(sqlite3_exec(mrm_store_db(t.st),
				      "UPDATE event SET title = 'Two'", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(shown(w, &who, 1, MRM_REVEAL_NONE, &text, 0), first);
	assert_non_null(strstr(mrm_buf_str(&text), "\"title\":\"Two\""));
	assert_int_equal(sqlite3_exec(mrm_store_db(w),
				      "UPDATE event SET title = 'Three'", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	shown(w, &who, 1, MRM_REVEAL_NONE, &text, 0);
	assert_non_null(strstr(mrm_buf_str(&text), "\"title\":\"Three\""));

	/* kept text is no way round the access check */
	caseworker_of(&t, "MKN-MM", "case-mm", &other);
	shown(w, &other, 1, MRM_REVEAL_NONE, &text, MRM_ERR_NOTFOUND);
	assert_int_equal(text.len, 0);

	mrm_buf_release(&text);
	mrm_store_close(w);
	tdb_close(&t);
}

static void test_event_text_is_the_json(void **state)
{
	struct mrm_import_stats stats;
	struct tdb t;
	struct mrm_error err;
	struct mrm_actor who;
	struct mrm_buf text = MRM_BUF_INIT(1 << 20);
	char *dumped;
	json_t *ev = NULL;

	(void)state;
	tdb_open(&t);
	assert_int_equal(
		tdb_import(&t, "acts.csv", acts_csv, NULL, &stats, NULL, &err),
		0);
	caseworker(&t, &who);
	for (int64_t id = 1; id <= 2; id++)
		for (int r = MRM_REVEAL_NONE; r <= MRM_REVEAL_IDENTITIES; r++) {
			mrm_buf_reset(&text);
			assert_int_equal(mrm_event_visible_text(t.st, &who, id,
								r, NULL, &text,
								&err),
					 0);
			assert_int_equal(mrm_event_visible_json(t.st, &who, id,
								r, NULL, &ev,
								&err),
					 0);
			dumped = json_dumps(ev, JSON_COMPACT);
			assert_string_equal(mrm_buf_str(&text), dumped);
			free(dumped);
			json_decref(ev);
		}
	assert_int_equal(mrm_event_visible_text(t.st, &who, 99,
						MRM_REVEAL_IDENTITIES, NULL,
						&text, &err),
			 MRM_ERR_NOTFOUND);
	mrm_buf_release(&text);
	tdb_close(&t);
}

/* An event with every kind of member: attributes, details of acts, a
 * victim with sensitive fields, sources, an intervention naming its
 * victim, wages and recruitment costs. */
static const char full_json[] =
	"{\"format\":\"mrm-export/1\",\"events\":[{\"org\":\"MKN-TH\","
	"\"key\":\"f1\",\"title\":\"Raid \\\"A\\\"\\n\\u00e9\",\"narrative\":"
	"\"what happened\",\"start_date\":\"2025-03\",\"country\":\"TH\","
	"\"latitude\":13.75,\"attrs\":{\"b\":[\"y\",\"x\"],\"a\":[\"z\"]},"
	"\"acts\":[{\"type\":\"arrest\",\"start_date\":\"2025-03-02\","
	"\"arrest\":{\"authority\":\"police\",\"money_demanded\":\"5000.50\","
	"\"currency\":\"THB\"},\"victim\":{\"key\":\"fp1\",\"name\":"
	"\"Aung\",\"sex\":\"male\"}},{\"type\":\"detention\",\"end_date\":"
	"\"2025-04\",\"detention\":{\"facility_name\":\"IDC\","
	"\"legal_counsel\":false},\"victim\":{\"key\":\"fp1\"}}],"
	"\"sources\":[{\"kind\":\"interview\",\"reliability\":4}],"
	"\"interventions\":[{\"type\":\"legal_aid\",\"start_date\":\"2025\","
	"\"victim\":\"fp1\",\"compensation\":\"100.00\",\"currency\":"
	"\"THB\"}],"
	"\"wages\":[{\"victim\":\"fp1\",\"employer\":\"Site A\",\"country\":"
	"\"TH\",\"sector\":\"construction\",\"period_start\":\"2025-03-01\","
	"\"period_end\":\"2025-03-31\",\"days_worked\":20,\"amount_paid\":"
	"\"6000.00\",\"currency\":\"THB\"}],\"recruitment_costs\":[{"
	"\"victim\":\"fp1\",\"paid_to\":\"broker\",\"amount\":\"15000.00\","
	"\"currency\":\"THB\",\"date\":\"2024-11\"}]}]}";

/* The names of the members of `o`, in order, joined with ','. */
static void member_names(json_t *o, char *out, size_t size)
{
	const char *key;
	json_t *v;

	out[0] = '\0';
	json_object_foreach(o, key, v)
	{
		size_t n = strlen(out);

		snprintf(out + n, size - n, "%s%s", n ? "," : "", key);
	}
}

/* Text `t` is JSON that jansson writes back the same, byte for byte. */
static json_t *parse_canonical(const char *t)
{
	json_error_t jerr;
	json_t *v = json_loads(t, JSON_REJECT_DUPLICATES, &jerr);
	char *again;

	if (!v)
		fail_msg("not JSON: %s: %s", jerr.text, t);
	again = json_dumps(v, JSON_COMPACT);
	assert_string_equal(again, t);
	free(again);
	return v;
}

/* The victim of act `i` of `ev` (NULL: none). */
static json_t *victim_of(json_t *ev, size_t i)
{
	return json_object_get(json_array_get(json_object_get(ev, "acts"), i),
			       "victim");
}

/* `ev` without the sensitive fields, as a reader without identities is
 * given it. */
static void strip_secrets(json_t *ev)
{
	json_object_del(ev, "narrative");
	for (size_t i = 0; i < json_array_size(json_object_get(ev, "acts"));
	     i++)
		for (size_t f = 0; f < mrm_field_count; f++)
			if (mrm_fields[f].ent == MRM_ENT_VICTIM &&
			    mrm_fields[f].type == MRM_F_SECRET)
				json_object_del(victim_of(ev, i),
						mrm_fields[f].name +
							strlen("victim."));
}

/* The event text of `id` (visible shape, or the export's), parsed. */
static json_t *event_text(struct tdb *t, int64_t id, int visible, int ident)
{
	struct mrm_buf b = MRM_BUF_INIT(1 << 20);
	struct mrm_error err;
	json_t *v;

	assert_int_equal(mrm_event_text(t->st, id, visible, ident, &b, &err),
			 0);
	v = parse_canonical(mrm_buf_str(&b));
	mrm_buf_release(&b);
	return v;
}

static void test_event_text_has_every_member(void **state)
{
	struct mrm_import_opts o = {0};
	struct mrm_import_stats stats;
	struct mrm_error err;
	struct mrm_actor who;
	struct mrm_buf text = MRM_BUF_INIT(1 << 20);
	char names[1024];
	json_t *raw, *vis, *plain, *want, *ev;
	struct tdb t;
	int64_t id, decrypts;
	FILE *fp;
	int clean;

	(void)state;
	tdb_open(&t);
	fp = fmemopen((void *)full_json, strlen(full_json), "r");
	assert_non_null(fp);
	if (mrm_import_json(t.st, fp, "full.json", &o, &stats, &err))
		fail_msg("import: %s: %s", err.where, err.msg);
	fclose(fp);
	id = tdb_int(t.st, "SELECT id FROM event WHERE key = 'f1'");
	assert_int_equal(
		mrm_policy_link(t.st, NULL, id, "th-crackdown-2014-06", &err),
		0);

	/* the export's shape: the other modules' members after the
	 * interventions, as they make them */
	raw = event_text(&t, id, 0, 1);
	member_names(raw, names, sizeof(names));
	assert_non_null(strstr(names, ",id,attrs,acts,sources,interventions,"
				      "wages,recruitment_costs,policies"));
	assert_int_equal(strlen(strstr(names, ",policies")),
			 strlen(",policies"));
	want = json_object();
	assert_int_equal(labour_export(t.st, id, want, &err), 0);
	assert_int_equal(policy_export(t.st, id, want, &err), 0);
	assert_true(json_equal(json_object_get(raw, "wages"),
			       json_object_get(want, "wages")));
	assert_true(json_equal(json_object_get(raw, "recruitment_costs"),
			       json_object_get(want, "recruitment_costs")));
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(raw, "policies"), 0)),
			    "th-crackdown-2014-06");
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(raw, "wages"), 0),
			"amount_paid")),
		"6000.00");
	json_decref(want);

	/* the visible shape: the id first, the precisions, the same members
	 * before the precisions of the dates the event lacks */
	vis = event_text(&t, id, 1, 1);
	member_names(vis, names, sizeof(names));
	assert_true(!strncmp(names, "id,", 3));
	assert_non_null(strstr(names, "start_date,start_precision,"));
	assert_non_null(strstr(names, ",interventions,wages,"
				      "recruitment_costs,policies,"
				      "end_precision"));
	assert_int_equal(strlen(strstr(names, ",end_precision")),
			 strlen(",end_precision"));
	assert_true(json_equal(json_object_get(vis, "wages"),
			       json_object_get(raw, "wages")));
	assert_true(json_equal(json_object_get(vis, "policies"),
			       json_object_get(raw, "policies")));
	assert_string_equal(
		json_string_value(json_object_get(vis, "narrative")),
		"what happened");
	/* without identities: the same less the sensitive fields */
	plain = event_text(&t, id, 1, 0);
	strip_secrets(vis);
	assert_true(json_equal(plain, vis));
	json_decref(plain);
	json_decref(vis);

	/* through the access check: the text is the JSON; identities only
	 * when asked for, and each read of them audited */
	caseworker(&t, &who);
	decrypts = tdb_int(t.st, "SELECT count(*) FROM audit WHERE action = "
				 "'decrypt' AND tbl = 'event'");
	for (int r = MRM_REVEAL_NONE; r <= MRM_REVEAL_IDENTITIES; r++) {
		int revealable = -1;
		char *dumped;

		mrm_buf_reset(&text);
		assert_int_equal(mrm_event_visible_text(t.st, &who, id, r,
							&revealable, &text,
							&err),
				 0);
		assert_int_equal(revealable, 1);
		assert_int_equal(mrm_event_visible_json(t.st, &who, id, r, NULL,
							&ev, &err),
				 0);
		dumped = json_dumps(ev, JSON_COMPACT);
		assert_string_equal(mrm_buf_str(&text), dumped);
		free(dumped);
		plain = event_text(&t, id, 1, r == MRM_REVEAL_IDENTITIES);
		assert_true(json_equal(plain, ev));
		json_decref(plain);
		json_decref(ev);
		assert_int_equal(
			tdb_int(t.st, "SELECT count(*) FROM audit WHERE "
				      "action = 'decrypt' AND tbl = 'event'"),
			decrypts + 2 * r);
	}

	/* the organisation's keys wiped: its sensitive fields read as
	 * destroyed, everything else as it was */
	assert_int_equal(mrm_keys_wipe(t.st, "MKN-TH", &clean, &err), 0);
	ev = event_text(&t, id, 1, 1);
	assert_string_equal(json_string_value(json_object_get(ev, "narrative")),
			    MRM_DESTROYED_TEXT);
	assert_string_equal(
		json_string_value(json_object_get(victim_of(ev, 0), "name")),
		MRM_DESTROYED_TEXT);
	assert_true(json_equal(json_object_get(ev, "wages"),
			       json_object_get(raw, "wages")));
	json_decref(ev);
	ev = event_text(&t, id, 0, 1);
	json_object_set_new(ev, "narrative", json_string("what happened"));
	for (size_t i = 0; i < 2; i++) /* both acts are fp1's */
		json_object_set_new(victim_of(ev, i), "name",
				    json_string("Aung"));
	assert_true(json_equal(ev, raw));
	json_decref(ev);
	json_decref(raw);
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
		cmocka_unit_test(test_event_text_kept_until_a_change),
		cmocka_unit_test(test_event_text_has_every_member),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
