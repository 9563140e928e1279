/* test_audit.c - the hash-chained audit log (include/mrm/audit.h) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "mrm/audit.h"
#include "mrm/auth.h"
#include "mrm/events.h"
#include "testutil.h"

#include <sodium.h>
#include <sqlite3.h>

#define PW "correct horse battery staple"

static const char csv[] =
	"event.key,event.title,event.narrative,act.type,victim.key,"
	"victim.name,victim.sex\n"
	"e1,Raid at a camp,confidential story,arrest,v1,Aung Aung,male\n"
	"e1,Raid at a camp,confidential story,detention,v1,Aung Aung,male\n"
	"e2,Deportation,,deportation,v2,Su Su,female\n";

static sqlite3 *h(struct tdb *t)
{
	return mrm_store_db(t->st);
}

static int64_t count_where(struct tdb *t, const char *where)
{
	char sql[512];
	sqlite3_stmt *s;
	int64_t n;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE %s",
		 where);
	assert_int_equal(sqlite3_prepare_v2(h(t), sql, -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void exec_ok(struct tdb *t, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(h(t), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void verify_ok(struct tdb *t)
{
	struct mrm_audit_report r;
	struct mrm_error err;

	if (mrm_audit_verify(t->st, NULL, &r, &err))
		fail_msg("verify: %s", err.msg);
	assert_int_equal(r.bad_seq, 0);
}

/* Verify must fail and name entry `seq` first, its message holding
 * `what`. */
static void verify_bad(struct tdb *t, const char *expect, int64_t seq,
		       const char *what)
{
	struct mrm_audit_report r;
	struct mrm_error err;

	assert_int_equal(mrm_audit_verify(t->st, expect, &r, &err),
			 MRM_ERR_CRYPTO);
	if (r.bad_seq != seq || !strstr(r.problem, what))
		fail_msg("expected entry %lld (%s), got %lld: %s",
			 (long long)seq, what, (long long)r.bad_seq, r.problem);
	assert_non_null(strstr(err.msg, what));
}

/* A database with an import in it: entries 1 (init), 2-3 (organisations),
 * then the import's. */
static void open_with_import(struct tdb *t)
{
	struct mrm_import_stats stats;
	struct mrm_error err;

	tdb_open(t);
	assert_int_equal(tdb_import(t, "a.csv", csv, NULL, &stats, NULL, &err),
			 0);
	assert_int_equal(stats.events, 2);
}

static void test_chain_after_writes(void **state)
{
	unsigned char want[MRM_AUDIT_HASH];
	struct mrm_audit_report r;
	struct mrm_error err;
	struct tdb t;
	sqlite3_stmt *s;

	(void)state;
	open_with_import(&t);
	assert_int_equal(count_where(&t, "action = 'init' AND seq = 1"), 1);
	assert_int_equal(count_where(&t, "action = 'create' AND tbl = 'org'"),
			 2);
	assert_int_equal(count_where(&t, "action = 'create' AND tbl = 'event'"),
			 2);
	assert_int_equal(
		count_where(&t, "action = 'create' AND tbl = 'person'"), 2);
	assert_int_equal(count_where(&t, "action = 'import' AND detail LIKE "
					 "'a.csv: 2 event 2 person%'"),
			 1);
	/* the entry of event 1 carries the hash of its stored row */
	assert_int_equal(mrm_audit_hash_record(t.st, "event", 1, want, &err),
			 0);
	assert_int_equal(sqlite3_prepare_v2(h(&t),
					    "SELECT new_hash, old_hash, actor "
					    "FROM audit WHERE tbl = 'event' "
					    "AND record = 1",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(s, 0), MRM_AUDIT_HASH);
	assert_memory_equal(sqlite3_column_blob(s, 0), want, MRM_AUDIT_HASH);
	assert_int_equal(sqlite3_column_type(s, 1), SQLITE_NULL);
	assert_int_equal(
		strncmp((const char *)sqlite3_column_text(s, 2), "cli:", 4), 0);
	sqlite3_finalize(s);
	/* no clear value of a sensitive field is in the log */
	assert_int_equal(count_where(&t, "detail LIKE '%Aung%' OR detail LIKE "
					 "'%confidential%'"),
			 0);
	assert_int_equal(mrm_audit_verify(t.st, NULL, &r, &err), 0);
	assert_int_equal(r.entries, count_where(&t, "1"));
	assert_int_equal(r.head_seq, r.entries);
	tdb_close(&t);
}

/* Change entry `seq` through `sql` (with the triggers out of the way),
 * check that verify names `bad` with `what`, and undo it. */
static void tamper(struct tdb *t, const char *sql, int64_t bad,
		   const char *what)
{
	exec_ok(t, "BEGIN; DROP TRIGGER audit_no_update;"
		   " DROP TRIGGER audit_no_delete;");
	exec_ok(t, sql);
	verify_bad(t, NULL, bad, what);
	exec_ok(t, "ROLLBACK");
	verify_ok(t);
}

static void test_edit_any_column(void **state)
{
	static const char *const edits[] = {
		"UPDATE audit SET at = '2001-01-01T00:00:00.000Z' WHERE seq=5",
		"UPDATE audit SET user_id = 7 WHERE seq = 5",
		"UPDATE audit SET actor = 'mallory' WHERE seq = 5",
		"UPDATE audit SET action = 'decrypt' WHERE seq = 5",
		"UPDATE audit SET tbl = 'user' WHERE seq = 5",
		"UPDATE audit SET record = 99 WHERE seq = 5",
		"UPDATE audit SET detail = 'nothing' WHERE seq = 5",
		"UPDATE audit SET old_hash = randomblob(32) WHERE seq = 5",
		"UPDATE audit SET new_hash = randomblob(32) WHERE seq = 5",
		"UPDATE audit SET new_hash = NULL WHERE seq = 5",
		"UPDATE audit SET hash = randomblob(32) WHERE seq = 5",
	};
	struct tdb t;

	(void)state;
	open_with_import(&t);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		tamper(&t, edits[i], 5, "altered");
	tamper(&t, "UPDATE audit SET prev_hash = randomblob(32) WHERE seq = 5",
	       5, "does not follow entry 4");
	tamper(&t, "UPDATE audit SET hash = x'00' WHERE seq = 5", 5,
	       "malformed");
	tamper(&t, "UPDATE audit SET seq = 1000 WHERE seq = 5", 5, "missing");
	tdb_close(&t);
}

static void test_delete_insert_swap(void **state)
{
	struct mrm_audit_fields f = {.seq = 4,
				     .at = "2024-01-01T00:00:00.000Z",
				     .actor = "mallory",
				     .action = "create",
				     .table = "event",
				     .record = 1};
	unsigned char prev[MRM_AUDIT_HASH], forged[MRM_AUDIT_HASH];
	char sql[512], hex[2 * MRM_AUDIT_HASH + 1], phex[sizeof(hex)];
	sqlite3_stmt *s;
	int64_t last;
	struct tdb t;

	(void)state;
	open_with_import(&t);
	last = count_where(&t, "1");
	tamper(&t, "DELETE FROM audit WHERE seq = 4", 4, "missing");
	tamper(&t, "DELETE FROM audit WHERE seq = 1", 1, "missing");
	/* swap the contents of entries 3 and 6 (a reordering) */
	tamper(&t,
	       "CREATE TEMP TABLE a AS SELECT * FROM audit WHERE seq IN (3, 6);"
	       "DELETE FROM audit WHERE seq IN (3, 6);"
	       "INSERT INTO audit SELECT 9 - seq, at, user_id, actor, action,"
	       " tbl, record, detail, old_hash, new_hash, prev_hash, hash"
	       " FROM a; DROP TABLE a;",
	       3, "does not follow entry 2");
	/* an entry forged with a correct hash, put in after entry 3: the
	 * entries after it were renumbered, so entry 5 no longer follows */
	assert_int_equal(sqlite3_prepare_v2(h(&t),
					    "SELECT hash FROM audit WHERE "
					    "seq = 3",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	memcpy(prev, sqlite3_column_blob(s, 0), MRM_AUDIT_HASH);
	sqlite3_finalize(s);
	mrm_audit_entry_hash(prev, &f, forged);
	sodium_bin2hex(hex, sizeof(hex), forged, MRM_AUDIT_HASH);
	sodium_bin2hex(phex, sizeof(phex), prev, MRM_AUDIT_HASH);
	snprintf(sql, sizeof(sql),
		 "UPDATE audit SET seq = -seq WHERE seq >= 4;"
		 "UPDATE audit SET seq = 1 - seq WHERE seq < 0;"
		 "INSERT INTO audit VALUES (4, '%s', NULL, 'mallory', "
		 "'create', 'event', 1, NULL, NULL, NULL, x'%s', x'%s');",
		 f.at, phex, hex);
	tamper(&t, sql, 5, "does not follow entry 4");
	/* an entry added at the end with a made-up hash */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO audit VALUES (%lld, 'x', NULL, 'mallory', "
		 "'create', NULL, NULL, NULL, NULL, NULL, randomblob(32), "
		 "randomblob(32));",
		 (long long)last + 1);
	tamper(&t, sql, last + 1, "does not follow");
	/* the triggers refuse changes made without going around them */
	assert_int_not_equal(
		sqlite3_exec(h(&t), "DELETE FROM audit", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h(&t), "UPDATE audit SET actor = 'x'",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_equal(count_where(&t, "1"), last);
	tdb_close(&t);
}

/* Rewrite the chain from entry 2 on with correct hashes, after changing
 * entry 2: only a head noted before shows it. */
static void rewrite_chain(struct tdb *t)
{
	unsigned char prev[MRM_AUDIT_HASH], hash[MRM_AUDIT_HASH];
	sqlite3_stmt *s, *u;

	exec_ok(t, "BEGIN; DROP TRIGGER audit_no_update;"
		   " UPDATE audit SET actor = 'mallory' WHERE seq = 2;");
	assert_int_equal(
		sqlite3_prepare_v2(h(t),
				   "SELECT seq, at, user_id, actor, action, "
				   "tbl, record, detail, old_hash, new_hash "
				   "FROM audit ORDER BY seq",
				   -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h(t),
					    "UPDATE audit SET prev_hash = ?, "
					    "hash = ? WHERE seq = ?",
					    -1, &u, NULL),
			 SQLITE_OK);
	memset(prev, 0, sizeof(prev));
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct mrm_audit_fields f = {
			sqlite3_column_int64(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			sqlite3_column_int64(s, 2),
			(const char *)sqlite3_column_text(s, 3),
			(const char *)sqlite3_column_text(s, 4),
			(const char *)sqlite3_column_text(s, 5),
			sqlite3_column_int64(s, 6),
			(const char *)sqlite3_column_text(s, 7),
			sqlite3_column_blob(s, 8),
			sqlite3_column_blob(s, 9)};

		mrm_audit_entry_hash(prev, &f, hash);
		sqlite3_bind_blob(u, 1, prev, MRM_AUDIT_HASH, SQLITE_STATIC);
		sqlite3_bind_blob(u, 2, hash, MRM_AUDIT_HASH, SQLITE_STATIC);
		sqlite3_bind_int64(u, 3, f.seq);
		assert_int_equal(sqlite3_step(u), SQLITE_DONE);
		sqlite3_reset(u);
		memcpy(prev, hash, MRM_AUDIT_HASH);
	}
	sqlite3_finalize(s);
	sqlite3_finalize(u);
}

static void test_expect_head(void **state)
{
	unsigned char hash[MRM_AUDIT_HASH];
	char noted[MRM_AUDIT_HEAD_MAX], bare[2 * MRM_AUDIT_HASH + 1];
	struct mrm_audit_report r;
	struct mrm_error err;
	int64_t seq;
	struct tdb t;

	(void)state;
	tdb_open(&t);
	assert_int_equal(mrm_audit_head(t.st, &seq, hash, &err), 0);
	assert_int_equal(seq, 3);
	mrm_audit_head_format(seq, hash, noted);
	sodium_bin2hex(bare, sizeof(bare), hash, MRM_AUDIT_HASH);
	assert_int_equal(mrm_audit_verify(t.st, noted, &r, &err), 0);
	assert_int_equal(mrm_audit_verify(t.st, bare, &r, &err), 0);
	/* the log grows: the noted head is still in it, no longer the head */
	assert_int_equal(mrm_org_add(t.st, "MKN-KH", "Cambodia", "KH", &err),
			 0);
	assert_int_equal(mrm_audit_verify(t.st, noted, &r, &err), 0);
	assert_int_equal(r.head_seq, 4);
	verify_bad(&t, bare, 4, "not the head you noted");
	/* a rewrite with correct hashes passes alone, not against the head */
	rewrite_chain(&t);
	verify_ok(&t);
	verify_bad(&t, noted, 3, "rewritten");
	exec_ok(&t, "ROLLBACK");
	/* entries deleted from the end */
	exec_ok(&t, "BEGIN; DROP TRIGGER audit_no_delete;"
		    " DELETE FROM audit WHERE seq >= 3;");
	verify_ok(&t);
	verify_bad(&t, noted, 3, "deleted from its end");
	exec_ok(&t, "ROLLBACK");
	/* malformed heads are bad input, not a broken chain */
	assert_int_equal(mrm_audit_verify(t.st, "3:zz", &r, &err),
			 MRM_ERR_INVALID);
	assert_string_equal(err.where, "--expect-head");
	assert_int_equal(mrm_audit_verify(t.st, "0:", &r, &err),
			 MRM_ERR_INVALID);
	tdb_close(&t);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct mrm_import_stats stats;
	struct mrm_audit_entry e = {.action = "create"};
	struct tproblems probs;
	struct mrm_error err;
	int64_t before;
	struct tdb t;

	(void)state;
	open_with_import(&t);
	before = count_where(&t, "1");
	/* a bad row: the whole import rolls back, and its entries with it */
	assert_int_equal(tdb_import(&t, "b.csv",
				    "event.key,event.title,act.type\n"
				    "e9,Fine,arrest\n"
				    "e10,,arrest\n",
				    NULL, &stats, &probs, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(count_where(&t, "1"), before);
	/* a write that fails (a duplicate) leaves none either */
	assert_int_equal(mrm_org_add(t.st, "MKN-TH", "Again", "TH", &err),
			 MRM_ERR_EXISTS);
	assert_int_equal(count_where(&t, "1"), before);
	/* an entry cannot be made outside a transaction */
	assert_int_equal(mrm_audit_append(t.st, &e, &err), MRM_ERR_INVALID);
	/* a transaction rolled back after the entry takes it away */
	assert_int_equal(mrm_store_begin(t.st, &err), 0);
	assert_int_equal(mrm_audit_append(t.st, &e, &err), 0);
	mrm_store_rollback(t.st);
	assert_int_equal(count_where(&t, "1"), before);
	verify_ok(&t);
	tdb_close(&t);
}

static int keep(void *ctx, json_t *o)
{
	(void)o;
	(*(int *)ctx)++;
	return 0;
}

static void test_export_and_decrypt(void **state)
{
	struct mrm_actor who;
	struct mrm_error err;
	char token[MRM_TOKEN_HEX + 1];
	char *snap;
	int64_t next;
	json_t *ev;
	struct tdb t;
	int n = 0;

	(void)state;
	open_with_import(&t);
	snap = tdb_snapshot(&t); /* mrm_export_json */
	free(snap);
	assert_int_equal(count_where(&t, "action = 'export' AND detail = "
					 "'json' AND actor LIKE 'cli:%'"),
			 1);
	assert_int_equal(
		mrm_user_add(t.st, "MKN-TH", "th-case", "caseworker", PW, &err),
		0);
	assert_int_equal(
		mrm_auth_token_create(t.st, "th-case", "test", 1, token, &err),
		0);
	assert_int_equal(count_where(&t, "action = 'create' AND tbl = "
					 "'api_token' AND new_hash IS NOT "
					 "NULL"),
			 1);
	assert_int_equal(mrm_auth_bearer(t.st, token, &who, &err), 0);
	/* need to know: nothing decrypted, nothing logged, until asked */
	assert_int_equal(mrm_event_visible_json(t.st, &who, 1, MRM_REVEAL_NONE,
						NULL, &ev, &err),
			 0);
	json_decref(ev);
	assert_int_equal(mrm_person_list(t.st, &who, MRM_REVEAL_NONE, 0, 10,
					 keep, &n, &next, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(count_where(&t, "action = 'decrypt'"), 0);
	assert_int_equal(mrm_event_visible_json(t.st, &who, 1,
						MRM_REVEAL_IDENTITIES, NULL,
						&ev, &err),
			 0);
	json_decref(ev);
	assert_int_equal(count_where(&t, "action = 'decrypt' AND tbl = "
					 "'event' AND record = 1 AND actor = "
					 "'th-case' AND user_id IS NOT NULL"),
			 1);
	n = 0;
	assert_int_equal(mrm_person_list(t.st, &who, MRM_REVEAL_IDENTITIES, 0,
					 10, keep, &n, &next, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(count_where(&t, "action = 'decrypt' AND tbl = "
					 "'person' AND actor = 'th-case'"),
			 2);
	verify_ok(&t);
	tdb_close(&t);
}

struct listed {
	int n;
	int64_t seqs[16];
};

static int take(void *ctx, json_t *e)
{
	struct listed *l = ctx;

	if (l->n < 16)
		l->seqs[l->n] = json_integer_value(json_object_get(e, "seq"));
	l->n++;
	return 0;
}

static void test_list_filters(void **state)
{
	struct mrm_audit_filter f = {0};
	struct listed l = {0};
	struct mrm_error err;
	int64_t next = 0, total;
	struct tdb t;

	(void)state;
	open_with_import(&t);
	total = count_where(&t, "1");
	f.table = "event";
	f.record = 2;
	assert_int_equal(mrm_audit_list(t.st, &f, 0, 10, take, &l, &next, &err),
			 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(next, 0);
	/* pages, newest first, cursor to go on */
	memset(&f, 0, sizeof(f));
	memset(&l, 0, sizeof(l));
	assert_int_equal(mrm_audit_list(t.st, &f, 0, 2, take, &l, &next, &err),
			 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.seqs[0], total);
	assert_int_equal(next, total - 1);
	memset(&l, 0, sizeof(l));
	assert_int_equal(
		mrm_audit_list(t.st, &f, next, 2, take, &l, &next, &err), 0);
	assert_int_equal(l.seqs[0], total - 2);
	/* by action and user; dates at any precision */
	memset(&l, 0, sizeof(l));
	f.action = "import";
	assert_int_equal(mrm_audit_list(t.st, &f, 0, 10, take, &l, &next, &err),
			 0);
	assert_int_equal(l.n, 1);
	memset(&l, 0, sizeof(l));
	f.action = NULL;
	f.user = "nobody";
	assert_int_equal(mrm_audit_list(t.st, &f, 0, 10, take, &l, &next, &err),
			 0);
	assert_int_equal(l.n, 0);
	f.user = NULL;
	f.since = "2000-01-01";
	f.until = "2999";
	assert_int_equal(
		mrm_audit_list(t.st, &f, 0, 1000, take, &l, &next, &err), 0);
	assert_int_equal(l.n, total);
	memset(&l, 0, sizeof(l));
	f.since = "2999-01-01T00:00";
	f.until = NULL;
	assert_int_equal(mrm_audit_list(t.st, &f, 0, 10, take, &l, &next, &err),
			 0);
	assert_int_equal(l.n, 0);
	f.since = "yesterday";
	assert_int_equal(mrm_audit_list(t.st, &f, 0, 10, take, &l, &next, &err),
			 MRM_ERR_INVALID);
	assert_string_equal(err.where, "since");
	f.since = NULL;
	assert_int_equal(mrm_audit_list(t.st, &f, 0, 0, take, &l, &next, &err),
			 MRM_ERR_INVALID);
	tdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_after_writes),
		cmocka_unit_test(test_edit_any_column),
		cmocka_unit_test(test_delete_insert_swap),
		cmocka_unit_test(test_expect_head),
		cmocka_unit_test(test_rollback_leaves_nothing),
		cmocka_unit_test(test_export_and_decrypt),
		cmocka_unit_test(test_list_filters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
