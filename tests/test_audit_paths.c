/* test_audit_paths.c - every write path leaves its audit entry (key
 * management, accounts, policies, linkage, labour records), with the
 * hashes of what changed; a failing operation leaves none
 * (docs/audit.md) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "mrm/account.h"
#include "mrm/audit.h"
#include "mrm/auth.h"
#include "mrm/keyring.h"
#include "mrm/linkage.h"
#include "mrm/policy.h"
#include "mrm/totp.h"
#include "testutil.h"

#include <sodium.h>
#include <sqlite3.h>
#include <time.h>

#define PW   "correct horse battery staple"
#define PW2  "purple elephants dance at noon"
#define PASS "a long passphrase for the keys"

static const char csv[] =
	"event.key,event.title,event.narrative,act.type,victim.key,"
	"victim.name,victim.sex\n"
	"e1,Raid at a camp,confidential story,arrest,v1,Aung Aung,male\n"
	"e2,Deportation,,deportation,v2,Su Su,female\n";

static int64_t scalar(struct tdb *t, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n;

	assert_int_equal(
		sqlite3_prepare_v2(mrm_store_db(t->st), sql, -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static int64_t head(struct tdb *t)
{
	return scalar(t, "SELECT coalesce(max(seq), 0) FROM audit");
}

/* The entries after `since`: their number. */
static int64_t added(struct tdb *t, int64_t since)
{
	return head(t) - since;
}

/*
 * Exactly one entry after `since` has `action` (and `table`, `record`
 * when given, `record` -1: any; `detail` a LIKE pattern or NULL); its
 * hashes are there as `hashes` says ("o": old, "n": new, "on": both and
 * different) and the chain verifies. Returns its seq.
 */
static int64_t expect_entry(struct tdb *t, int64_t since, const char *action,
			    const char *table, int64_t record,
			    const char *detail, const char *hashes)
{
	struct mrm_audit_report r;
	struct mrm_error err;
	sqlite3_stmt *s;
	int64_t seq, n = 0;

	assert_int_equal(
		sqlite3_prepare_v2(
			mrm_store_db(t->st),
			"SELECT seq, old_hash, new_hash FROM audit WHERE seq > "
			"?1 AND action = ?2 AND (?3 IS NULL OR tbl = ?3) AND "
			"(?4 < 0 OR record = ?4) AND (?5 IS NULL OR detail "
			"LIKE ?5)",
			-1, &s, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, record);
	sqlite3_bind_text(s, 5, detail, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int old = sqlite3_column_bytes(s, 1) == MRM_AUDIT_HASH;
		int new = sqlite3_column_bytes(s, 2) == MRM_AUDIT_HASH;

		seq = sqlite3_column_int64(s, 0);
		n++;
		if (strchr(hashes, 'o') && !old)
			fail_msg("%s: no old hash", action);
		if (strchr(hashes, 'n') && !new)
			fail_msg("%s: no new hash", action);
		if (old && new &&strchr(hashes, 'o') &&
		    !memcmp(sqlite3_column_blob(s, 1),
			    sqlite3_column_blob(s, 2), MRM_AUDIT_HASH))
			fail_msg("%s: the hashes before and after are equal",
				 action);
	}
	sqlite3_finalize(s);
	if (n != 1)
		fail_msg("%lld entries %s after %lld, expected 1", (long long)n,
			 action, (long long)since);
	if (mrm_audit_verify(t->st, NULL, &r, &err))
		fail_msg("verify: %s", err.msg);
	return seq;
}

static int64_t org_id(struct tdb *t, const char *code)
{
	struct mrm_error err;
	int64_t id = 0;

	assert_int_equal(mrm_org_id(t->st, code, &id, &err), 0);
	return id;
}

static void open_with_import(struct tdb *t)
{
	struct mrm_import_stats stats;
	struct mrm_error err;
	struct mrm_import_opts o = {.org = "MKN-TH"};

	tdb_open(t);
	assert_int_equal(tdb_import(t, "a.csv", csv, &o, &stats, NULL, &err),
			 0);
}

/* ---- keys ---- */

static void test_keys(void **state)
{
	struct mrm_kek_spec spec = {PASS, strlen(PASS), MRM_KDF_INTERACTIVE};
	char text[MRM_RECOVERY_TEXT];
	struct mrm_error err;
	const char *note;
	int64_t th, seq;
	struct tdb t;
	int clean;

	(void)state;
	open_with_import(&t);
	th = org_id(&t, "MKN-TH");
	/* the import sealed names: the organisation's first key, in the
	 * import's own transaction */
	expect_entry(&t, 0, "key-create", "org_key", th, "version 1", "n");

	seq = head(&t);
	assert_int_equal(
		mrm_keys_rotate(t.st, "MKN-TH", 1000, NULL, NULL, &err), 0);
	expect_entry(&t, seq, "key-create", "org_key", th, "version 2", "on");
	expect_entry(&t, seq, "key-rotate-begin", "org_key_rotation", th,
		     "%version 2", "on");
	/* one entry for the batch: the values before and after */
	expect_entry(&t, seq, "key-rotate", "org", th,
		     "3 values re-encrypted under key version 2", "on");
	expect_entry(&t, seq, "key-rotate-end", "org_key", th,
		     "%other than 2 destroyed", "on");
	assert_int_equal(added(&t, seq), 4);

	seq = head(&t);
	assert_int_equal(mrm_keys_recovery(t.st, text, &err), 0);
	expect_entry(&t, seq, "key-recovery", "org_key", -1,
		     "%1 data key versions%", "on");
	assert_int_equal(added(&t, seq), 1);

	seq = head(&t);
	assert_int_equal(mrm_keys_rotate_kek(t.st, &spec, &note, &err), 0);
	expect_entry(&t, seq, "key-rotate-kek", "org_key", -1, "%passphrase",
		     "on");
	assert_int_equal(added(&t, seq), 1);

	/* recovery, from the file alone */
	mrm_store_close(t.st);
	assert_int_equal(mrm_keys_recover(t.path, text, &spec, NULL, &err), 0);
	assert_int_equal(mrm_store_open_passphrase(&t.st, t.path, PASS,
						   strlen(PASS), &err),
			 0);
	expect_entry(&t, seq, "key-recover", "org_key", -1, NULL, "on");
	assert_int_equal(added(&t, seq), 2);

	/* a wipe of an unknown organisation writes nothing */
	seq = head(&t);
	assert_int_equal(mrm_keys_wipe(t.st, "NO-SUCH", &clean, &err),
			 MRM_ERR_NOTFOUND);
	assert_int_equal(added(&t, seq), 0);
	/* the wipe's entry outlives it and names what it destroyed */
	assert_int_equal(mrm_keys_wipe(t.st, "MKN-TH", &clean, &err), 0);
	expect_entry(&t, seq, "key-wipe", "org_key", th,
		     "organisation MKN-TH (#%): key versions 2 destroyed%",
		     "on");
	assert_int_equal(added(&t, seq), 1);
	assert_int_equal(
		scalar(&t, "SELECT count(*) FROM org_key WHERE org_id = 1"), 0);
	tdb_close(&t);
}

/* ---- accounts ---- */

static void login(struct tdb *t, const char *pw)
{
	char session[MRM_TOKEN_HEX + 1], csrf[MRM_TOKEN_HEX + 1];
	struct mrm_actor who;
	struct mrm_error err;

	if (mrm_auth_login(t->st, "ana", pw, "test", session, csrf, &who, &err))
		fail_msg("login: %s", err.msg);
}

static void code_now(const unsigned char *key, char out[8])
{
	snprintf(out, 8, "%06u",
		 (unsigned)mrm_hotp(key, MRM_TOTP_SECRET_BYTES,
				    (uint64_t)mrm_totp_step(time(NULL)), 6));
}

static void test_accounts(void **state)
{
	char secret[MRM_TOTP_SECRET_B32 + 1], uri[MRM_TOTP_URI_MAX], code[8];
	unsigned char key[MRM_TOTP_SECRET_BYTES];
	struct mrm_error err;
	int64_t id, seq;
	struct tdb t;
	int ended;

	(void)state;
	tdb_open(&t);
	assert_int_equal(mrm_user_add(t.st, "MKN-TH", "ana", "admin", PW, &err),
			 0);
	assert_int_equal(mrm_user_id(t.st, "ana", &id, &err), 0);

	/* a password change: the user's row, and the sessions it ends */
	login(&t, PW);
	seq = head(&t);
	assert_int_equal(mrm_user_set_password(t.st, id, PW2, NULL, &err), 0);
	expect_entry(&t, seq, "password", "user", id, NULL, "on");
	expect_entry(&t, seq, "revoke", "session", id, "1 session ended", "on");
	assert_int_equal(added(&t, seq), 2);
	/* a refused password writes nothing */
	seq = head(&t);
	assert_int_equal(mrm_user_set_password(t.st, id, "short", NULL, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(added(&t, seq), 0);

	/* revoke: only when a session ended */
	assert_int_equal(mrm_user_revoke(t.st, id, NULL, &ended, &err), 0);
	assert_int_equal(added(&t, seq), 0);
	login(&t, PW2);
	login(&t, PW2);
	seq = head(&t);
	assert_int_equal(mrm_user_revoke(t.st, id, NULL, &ended, &err), 0);
	assert_int_equal(ended, 2);
	expect_entry(&t, seq, "revoke", "session", id, "2 sessions ended",
		     "on");
	assert_int_equal(added(&t, seq), 1);

	/* two-factor login: enrol, confirm, off */
	seq = head(&t);
	assert_int_equal(mrm_totp_enrol(t.st, id, 1, secret, uri, &err), 0);
	expect_entry(&t, seq, "totp-enrol", "user", id, NULL, "on");
	/* the secret is the organisation's first sealed value: its key is
	 * made in the same transaction */
	expect_entry(&t, seq, "key-create", "org_key", 1, "version 1", "n");
	assert_int_equal(added(&t, seq), 2);
	seq = head(&t);
	assert_int_equal(mrm_totp_confirm(t.st, id, "000000x", &err),
			 MRM_ERR_INVALID);
	assert_int_equal(added(&t, seq), 0);
	assert_int_equal(mrm_base32_decode(secret, key, sizeof(key)),
			 (int)sizeof(key));
	code_now(key, code);
	assert_int_equal(mrm_totp_confirm(t.st, id, code, &err), 0);
	expect_entry(&t, seq, "totp-confirm", "user", id, NULL, "on");
	assert_int_equal(added(&t, seq), 1);
	seq = head(&t);
	assert_int_equal(mrm_totp_off(t.st, id, &err), 0);
	expect_entry(&t, seq, "totp-off", "user", id, NULL, "on");
	assert_int_equal(added(&t, seq), 1);
	assert_int_equal(mrm_totp_off(t.st, 9999, &err), MRM_ERR_NOTFOUND);
	assert_int_equal(added(&t, seq), 1);

	/* disable ends the sessions; enable */
	login(&t, PW2);
	seq = head(&t);
	assert_int_equal(mrm_user_disable(t.st, id, 1, &err), 0);
	expect_entry(&t, seq, "disable", "user", id, NULL, "on");
	expect_entry(&t, seq, "revoke", "session", id, "1 session ended", "on");
	assert_int_equal(added(&t, seq), 2);
	seq = head(&t);
	assert_int_equal(mrm_user_disable(t.st, id, 0, &err), 0);
	expect_entry(&t, seq, "enable", "user", id, NULL, "on");
	assert_int_equal(mrm_user_disable(t.st, 9999, 1, &err),
			 MRM_ERR_NOTFOUND);
	assert_int_equal(added(&t, seq), 1);
	/* no password or secret in clear in the log */
	assert_int_equal(scalar(&t,
				"SELECT count(*) FROM audit WHERE detail "
				"LIKE '%elephants%' OR detail LIKE '%" PW "%'"),
			 0);
	tdb_close(&t);
}

/* ---- policies, linkage, labour ---- */

static void test_policies(void **state)
{
	struct mrm_policy p = {.key = "th-audit-test",
			       .country = "Thailand",
			       .instrument = "cabinet_resolution",
			       .title = "Registration deadline",
			       .adopted = "2024-12-20",
			       .effective_from = "2025-02",
			       .source = "Cabinet resolution, 20 Dec 2024"};
	struct mrm_error err;
	int64_t seq, pid;
	struct tdb t;
	int loaded = 0;

	(void)state;
	open_with_import(&t);
	seq = head(&t);
	assert_int_equal(mrm_policy_add(t.st, NULL, &p, &err), 0);
	pid = scalar(&t, "SELECT id FROM policy WHERE key = 'th-audit-test'");
	expect_entry(&t, seq, "create", "policy", pid, "th-audit-test", "n");
	assert_int_equal(mrm_policy_add(t.st, NULL, &p, &err), MRM_ERR_EXISTS);
	assert_int_equal(added(&t, seq), 1);

	seq = head(&t);
	assert_int_equal(mrm_policy_link(t.st, NULL, 1, "th-audit-test", &err),
			 0);
	expect_entry(&t, seq, "policy-link", "event", 1, "th-audit-test", "on");
	/* linked already: nothing changes, nothing is written */
	assert_int_equal(mrm_policy_link(t.st, NULL, 1, "th-audit-test", &err),
			 0);
	assert_int_equal(added(&t, seq), 1);
	seq = head(&t);
	assert_int_equal(
		mrm_policy_unlink(t.st, NULL, 1, "th-audit-test", &err), 0);
	expect_entry(&t, seq, "policy-unlink", "event", 1, "th-audit-test",
		     "on");
	assert_int_equal(
		mrm_policy_unlink(t.st, NULL, 1, "th-audit-test", &err),
		MRM_ERR_NOTFOUND);
	assert_int_equal(added(&t, seq), 1);

	/* the shipped register, one entry for the whole sync */
	seq = head(&t);
	assert_int_equal(mrm_policy_sync(t.st, 1, &loaded, &err), 0);
	assert_true(loaded > 0);
	expect_entry(&t, seq, "policy-sync", "policy", -1,
		     "the shipped register: % policies loaded", "n");
	assert_int_equal(added(&t, seq), 1);
	tdb_close(&t);
}

static void test_linkage(void **state)
{
	struct mrm_linkage_key key;
	struct mrm_linkage_stats ls;
	struct mrm_error err;
	int64_t seq;
	struct tdb t;
	sqlite3_stmt *s;

	(void)state;
	open_with_import(&t);
	randombytes_buf(key.bytes, sizeof(key.bytes));
	seq = head(&t);
	assert_int_equal(mrm_linkage_noted(t.st, "created", &key, &err), 0);
	expect_entry(&t, seq, "linkage-key", NULL, -1, "created", "n");
	/* the entry identifies the key without holding it */
	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t.st),
					    "SELECT new_hash FROM audit WHERE "
					    "action = 'linkage-key'",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_memory_not_equal(sqlite3_column_blob(s, 0), key.bytes,
				sizeof(key.bytes));
	sqlite3_finalize(s);

	seq = head(&t);
	assert_int_equal(mrm_linkage_rebuild(t.st, &key, 1, &ls, &err), 0);
	assert_int_equal(ls.keyed, 0); /* no birth years: no values */
	expect_entry(&t, seq, "linkage-rebuild", "person", -1,
		     "rebuild: 2 persons read, 0 with a value, 0 changed%",
		     "n");
	assert_int_equal(added(&t, seq), 1);
	/* after an import, a pass that changes nothing writes nothing */
	assert_int_equal(mrm_linkage_rebuild(t.st, &key, 0, &ls, &err), 0);
	assert_int_equal(added(&t, seq), 1);
	tdb_close(&t);
}

/* The hash of every row of the import tables, recomputed row by row in
 * the documented order, as an import's entry has it when the database
 * holds that import only. */
static void import_sum(struct tdb *t, unsigned char sum[MRM_AUDIT_HASH])
{
	static const char *const q[] = {
		"SELECT * FROM event ORDER BY id",
		"SELECT * FROM person ORDER BY id",
		"SELECT * FROM event_attr ORDER BY event_id, name, value",
		"SELECT * FROM act ORDER BY id",
		"SELECT * FROM act_arrest ORDER BY act_id",
		"SELECT * FROM act_detention ORDER BY act_id",
		"SELECT * FROM act_deportation ORDER BY act_id",
		"SELECT * FROM act_return ORDER BY act_id",
		"SELECT * FROM involvement ORDER BY id",
		"SELECT * FROM source ORDER BY id",
		"SELECT * FROM intervention ORDER BY id",
		"SELECT * FROM wage_record ORDER BY id",
		"SELECT * FROM recruitment_cost ORDER BY id"};
	unsigned char row[MRM_AUDIT_HASH];
	crypto_generichash_state all;
	sqlite3_stmt *s;

	crypto_generichash_init(&all, NULL, 0, MRM_AUDIT_HASH);
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t->st), q[i],
						    -1, &s, NULL),
				 SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			mrm_audit_row_hash(s, row);
			crypto_generichash_update(&all, row, sizeof(row));
		}
		sqlite3_finalize(s);
	}
	crypto_generichash_final(&all, sum, MRM_AUDIT_HASH);
}

/* The import entry's hash is import_sum()'s. */
static void expect_import_sum(struct tdb *t)
{
	unsigned char sum[MRM_AUDIT_HASH];
	sqlite3_stmt *s;

	import_sum(t, sum);
	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t->st),
					    "SELECT new_hash FROM audit WHERE "
					    "action = 'import'",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_memory_equal(sqlite3_column_blob(s, 0), sum, sizeof(sum));
	sqlite3_finalize(s);
}

static void test_labour_rows_in_import(void **state)
{
	struct mrm_import_opts o = {0};
	struct mrm_import_stats st;
	struct mrm_error err;
	struct tdb t;
	FILE *fp;

	(void)state;
	tdb_open(&t);
	fp = fopen(tsrc("tests/data/wages.json"), "r");
	assert_non_null(fp);
	if (mrm_import_json(t.st, fp, "wages.json", &o, &st, &err))
		fail_msg("%s: %s", err.where, err.msg);
	fclose(fp);
	expect_entry(&t, 0, "import", NULL, -1,
		     "wages.json:% wage_record % recruitment_cost", "n");
	assert_true(scalar(&t, "SELECT count(*) FROM wage_record") > 0);
	/* its hash covers the labour rows */
	expect_import_sum(&t);
	tdb_close(&t);
}

/* An import of more rows than a batch of the audit's walk (its rows are
 * hashed by a helper thread, a batch at a time): every event's and
 * person's entry has its stored row's hash, in order, and the import's
 * entry the hash of them all. */
static void test_large_import_hashes(void **state)
{
	enum { N = 1300 };
	struct mrm_import_stats st;
	struct mrm_buf text = MRM_BUF_INIT(1 << 20);
	unsigned char want[MRM_AUDIT_HASH];
	struct mrm_error err;
	sqlite3_stmt *e, *row;
	struct tdb t;
	int n = 0;

	(void)state;
	tdb_open(&t);
	mrm_buf_adds(&text, "event.key,event.title,act.type,victim.key,"
			    "victim.unit,victim.group_size,victim.name\n");
	for (int i = 0; i < N; i++)
		mrm_buf_addf(&text,
			     "k%d,Raid %d,arrest,p%d,individual,1,N %d\n", i, i,
			     i, i);
	assert_int_equal(tdb_import(&t, "big.csv", mrm_buf_str(&text), NULL,
				    &st, NULL, &err),
			 0);
	mrm_buf_release(&text);
	for (int k = 0; k < 2; k++) {
		const char *table = k ? "person" : "event";
		char sql[64];

		snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE id = ?",
			 table);
		assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t.st), sql, -1,
						    &row, NULL),
				 SQLITE_OK);
		assert_int_equal(
			sqlite3_prepare_v2(mrm_store_db(t.st),
					   "SELECT record, new_hash FROM audit "
					   "WHERE action = 'create' AND tbl = "
					   "? ORDER BY seq",
					   -1, &e, NULL),
			SQLITE_OK);
		sqlite3_bind_text(e, 1, table, -1, SQLITE_STATIC);
		for (int64_t last = 0; sqlite3_step(e) == SQLITE_ROW; n++) {
			assert_true(sqlite3_column_int64(e, 0) > last);
			last = sqlite3_column_int64(e, 0);
			sqlite3_bind_int64(row, 1, last);
			assert_int_equal(sqlite3_step(row), SQLITE_ROW);
			mrm_audit_row_hash(row, want);
			assert_memory_equal(sqlite3_column_blob(e, 1), want,
					    sizeof(want));
			sqlite3_reset(row);
		}
		sqlite3_finalize(e);
		sqlite3_finalize(row);
	}
	assert_int_equal(n, 2 * N);
	expect_import_sum(&t);
	tdb_close(&t);
}

/* The row hash as docs/audit.md defines it, computed here byte by byte:
 * the buffered serialiser of audit.c must give the same. */
static void put(crypto_generichash_state *h, const void *p, size_t n)
{
	crypto_generichash_update(h, p, n);
}

static void put_len_text(crypto_generichash_state *h, const char *s)
{
	unsigned char b[5] = {2, 0, 0, 0, (unsigned char)strlen(s)};

	put(h, b, 5);
	put(h, s, strlen(s));
}

static void test_row_hash_format(void **state)
{
	unsigned char got[MRM_AUDIT_HASH], want[MRM_AUDIT_HASH];
	static const unsigned char ncol[9] = {1, 0, 0, 0, 0, 0, 0, 0, 4};
	static const unsigned char i42[9] = {1, 0, 0, 0, 0, 0, 0, 0, 42};
	static const unsigned char null = 0;
	static const unsigned char blob[7] = {3, 0, 0, 0, 2, 0xab, 0xcd};
	crypto_generichash_state h;
	struct tdb t;
	sqlite3_stmt *s;

	(void)state;
	tdb_open(&t);
	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t.st),
					    "SELECT 42 AS a, 'xyz' AS b, NULL "
					    "AS c, x'abcd' AS d",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	mrm_audit_row_hash(s, got);
	sqlite3_finalize(s);
	crypto_generichash_init(&h, NULL, 0, sizeof(want));
	put(&h, ncol, sizeof(ncol));
	put_len_text(&h, "a");
	put(&h, i42, sizeof(i42));
	put_len_text(&h, "b");
	put_len_text(&h, "xyz");
	put_len_text(&h, "c");
	put(&h, &null, 1);
	put_len_text(&h, "d");
	put(&h, blob, sizeof(blob));
	crypto_generichash_final(&h, want, sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	tdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_hash_format),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_linkage),
		cmocka_unit_test(test_labour_rows_in_import),
		cmocka_unit_test(test_large_import_hashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
