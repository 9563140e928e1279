/* test_keys.c - keys per organisation, passphrases, rotation, recovery,
 * wipe, and the conversion of single-key databases */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/keyring.h"

#include <ctype.h>
#include <sodium.h>
#include <sqlite3.h>

#define PASS "a long enough passphrase"

/* Import `n` people of organisation `org`, keys p0..p(n-1), named
 * "NAME k". */
static void add_people(struct tdb *t, const char *org, int n, const char *name)
{
	struct mrm_buf csv = MRM_BUF_INIT(1u << 20);
	struct mrm_import_opts o = {0};
	struct mrm_import_stats stats;
	struct mrm_error err;

	mrm_buf_adds(&csv, "event.key,event.title,event.narrative,act.type,"
			   "victim.key,victim.name,victim.contact\n");
	for (int i = 0; i < n; i++)
		mrm_buf_addf(&csv,
			     "e%d,Raid %d,Told by %s %d,arrest,p%d,%s %d,"
			     "+66 %d\n",
			     i, i, name, i, i, name, i, i);
	o.org = org;
	assert_int_equal(
		tdb_import(t, "t.csv", csv.ptr, &o, &stats, NULL, &err), 0);
	mrm_buf_release(&csv);
}

static int64_t org_id(struct tdb *t, const char *code)
{
	struct mrm_error err;
	int64_t id = 0;

	assert_int_equal(mrm_org_id(t->st, code, &id, &err), 0);
	return id;
}

/* The sealed name of person `key` of `org`, into `out`; its id. */
static int64_t sealed_name(struct mrm_store *st, int64_t org, const char *key,
			   struct mrm_buf *out)
{
	sqlite3_stmt *s;
	int64_t id;

	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(st),
					    "SELECT id, name FROM person WHERE "
					    "org_id = ? AND key = ?",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	id = sqlite3_column_int64(s, 0);
	mrm_buf_reset(out);
	mrm_buf_add(out, sqlite3_column_blob(s, 1),
		    (size_t)sqlite3_column_bytes(s, 1));
	sqlite3_finalize(s);
	return id;
}

/* Read person `key`'s name of `org` through `st`: 0 and the name, or
 * the error code. */
static int read_name(struct mrm_store *st, int64_t org, const char *key,
		     struct mrm_buf *name)
{
	struct mrm_buf sealed = MRM_BUF_INIT(4096);
	struct mrm_error err;
	char ad[64];
	int64_t id = sealed_name(st, org, key, &sealed);
	int rc;

	snprintf(ad, sizeof(ad), "person/%lld/name", (long long)id);
	mrm_buf_reset(name);
	rc = mrm_store_unseal(st, org, ad, sealed.ptr, sealed.len, name, &err);
	mrm_buf_release(&sealed);
	return rc;
}

static void test_each_org_has_its_own_key(void **state)
{
	struct mrm_buf a = MRM_BUF_INIT(4096), b = MRM_BUF_INIT(4096),
		       name = MRM_BUF_INIT(4096);
	struct mrm_error err;
	struct tdb t;
	int64_t th, mm, id_th;
	char ad[64];

	(void)state;
	tdb_open(&t);
	th = org_id(&t, "MKN-TH");
	mm = org_id(&t, "MKN-MM");
	add_people(&t, "MKN-TH", 1, "Somchai");
	add_people(&t, "MKN-MM", 1, "Somchai");
	assert_int_equal(tdb_int(t.st, "SELECT count(DISTINCT wrapped) FROM "
				       "org_key WHERE version = 1"),
			 2);
	id_th = sealed_name(t.st, th, "p0", &a);
	sealed_name(t.st, mm, "p0", &b);
	/* the same name, two different ciphertexts, version 1 in front */
	assert_int_equal(a.len, b.len);
	assert_memory_not_equal(a.ptr, b.ptr, a.len);
	assert_memory_equal(a.ptr, "\0\0\0\1", 4);
	assert_int_equal(read_name(t.st, th, "p0", &name), 0);
	assert_string_equal(name.ptr, "Somchai 0");
	assert_int_equal(read_name(t.st, mm, "p0", &name), 0);
	assert_string_equal(name.ptr, "Somchai 0");
	/* Myanmar's key does not open Thailand's value */
	snprintf(ad, sizeof(ad), "person/%lld/name", (long long)id_th);
	mrm_buf_reset(&name);
	assert_int_equal(
		mrm_store_unseal(t.st, mm, ad, a.ptr, a.len, &name, &err),
		MRM_ERR_CRYPTO);
	assert_int_equal(name.len, 0);
	mrm_buf_release(&a);
	mrm_buf_release(&b);
	mrm_buf_release(&name);
	tdb_close(&t);
}

/* The database file and its WAL, as one buffer. */
static char *files(const char *path, size_t *len)
{
	char wal[200];
	size_t n1 = 0, n2 = 0;
	char *a = slurp(path, &n1), *b;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	b = slurp(wal, &n2);
	a = realloc(a, n1 + n2 + 1);
	assert_non_null(a);
	if (b)
		memcpy(a + n1, b, n2);
	free(b);
	*len = n1 + n2;
	return a;
}

static void test_passphrase(void **state)
{
	struct mrm_kek_spec spec = {PASS, strlen(PASS), MRM_KDF_INTERACTIVE};
	struct mrm_buf name = MRM_BUF_INIT(4096);
	struct mrm_store *st = NULL;
	struct mrm_error err;
	struct tdb t;
	size_t n1, n2;
	char *before, *after, key[160];

	(void)state;
	snprintf(t.dir, sizeof(t.dir), "/tmp/mrm-test-XXXXXX");
	assert_non_null(mkdtemp(t.dir));
	snprintf(t.path, sizeof(t.path), "%s/t.db", t.dir);
	spec.passphrase_len = 5;
	assert_int_equal(mrm_store_create_kek(t.path, &spec, &err),
			 MRM_ERR_INVALID);
	assert_int_equal(access(t.path, F_OK), -1);
	spec.passphrase_len = strlen(PASS);
	assert_int_equal(mrm_store_create_kek(t.path, &spec, &err), 0);
	snprintf(key, sizeof(key), "%s.key", t.path);
	assert_int_equal(access(key, F_OK), -1); /* no key file */
	assert_int_equal(mrm_store_needs_passphrase(t.path), 1);
	assert_int_equal(mrm_store_open(&st, t.path, &err), MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "locked with a passphrase"));
	assert_int_equal(mrm_store_open_passphrase(&t.st, t.path, PASS,
						   strlen(PASS), &err),
			 0);
	assert_int_equal(
		mrm_org_add(t.st, "MKN-TH", "Test org Thailand", "TH", &err),
		0);
	add_people(&t, "MKN-TH", 2, "Aung");
	mrm_store_close(t.st);
	t.st = NULL;

	/* a wrong passphrase: a clear error, and not one byte written */
	before = files(t.path, &n1);
	assert_int_equal(mrm_store_open_passphrase(&st, t.path, PASS "!",
						   strlen(PASS) + 1, &err),
			 MRM_ERR_CRYPTO);
	assert_null(st);
	assert_non_null(strstr(err.msg, "the key does not open this database"));
	after = files(t.path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);

	assert_int_equal(mrm_store_open_passphrase(&t.st, t.path, PASS,
						   strlen(PASS), &err),
			 0);
	assert_int_equal(read_name(t.st, org_id(&t, "MKN-TH"), "p1", &name), 0);
	assert_string_equal(name.ptr, "Aung 1");
	/* the server's way: another connection with the derived key */
	assert_int_equal(
		mrm_store_open_kek(&st, t.path, mrm_store_key(t.st), &err), 0);
	assert_int_equal(read_name(st, org_id(&t, "MKN-TH"), "p0", &name), 0);
	assert_string_equal(name.ptr, "Aung 0");
	mrm_store_close(st);
	mrm_buf_release(&name);
	tdb_close(&t);
}

struct interleave {
	struct tdb *t;
	struct mrm_store *reader;
	int batches, stop_after, wrote;
};

/* After each batch: every name still reads through another connection,
 * and that connection can write meanwhile. */
static int interleave(void *ctx, const char *org, int64_t done, int64_t total)
{
	struct interleave *in = ctx;
	struct mrm_buf name = MRM_BUF_INIT(4096);
	int64_t th = org_id(in->t, "MKN-TH");
	char key[16], want[32];

	assert_string_equal(org, "MKN-TH");
	assert_true(done <= total);
	for (int i = 0; i < 9; i++) {
		snprintf(key, sizeof(key), "p%d", i);
		snprintf(want, sizeof(want), "Nang %d", i);
		assert_int_equal(read_name(in->reader, th, key, &name), 0);
		assert_string_equal(name.ptr, want);
	}
	mrm_buf_release(&name);
	if (done && !in->wrote) {
		struct mrm_import_opts o = {.org = "MKN-TH"};
		struct mrm_import_stats stats;
		struct mrm_error err;
		struct tdb other = *in->t;

		other.st = in->reader;
		assert_int_equal(tdb_import(&other, "w.csv",
					    "event.key,event.title,act.type,"
					    "victim.key,victim.name\n"
					    "w1,Later,arrest,w1,Written "
					    "meanwhile\n",
					    &o, &stats, NULL, &err),
				 0);
		in->wrote = 1;
	}
	if (done)
		in->batches++;
	return in->stop_after && in->batches == in->stop_after;
}

static void test_rotation_in_batches_resumes(void **state)
{
	struct mrm_buf name = MRM_BUF_INIT(4096);
	struct interleave in = {0};
	struct mrm_error err;
	struct tdb t;
	int64_t th, total;

	(void)state;
	tdb_open(&t);
	th = org_id(&t, "MKN-TH");
	add_people(&t, "MKN-TH", 9, "Nang"); /* 27 sealed values */
	add_people(&t, "MKN-MM", 1, "Min");
	assert_int_equal(mrm_store_open(&in.reader, t.path, &err), 0);
	in.t = &t;
	in.stop_after = 2;
	/* interrupted after two batches of 4 */
	assert_int_equal(
		mrm_keys_rotate(t.st, "MKN-TH", 4, interleave, &in, &err),
		MRM_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "run it again to resume"));
	assert_int_equal(tdb_int(t.st, "SELECT target FROM org_key_rotation"),
			 2);
	/* the narratives come first; names are still under version 1 but
	 * the one written meanwhile */
	assert_int_equal(tdb_int(t.st, "SELECT count(*) FROM event WHERE "
				       "substr(narrative, 1, 4) = x'00000002'"),
			 8);
	assert_int_equal(tdb_int(t.st, "SELECT count(*) FROM person WHERE "
				       "substr(name, 1, 4) = x'00000002'"),
			 1);
	/* resumed: the same version 2, then version 1 is gone */
	in.stop_after = 0;
	assert_int_equal(
		mrm_keys_rotate(t.st, "MKN-TH", 4, interleave, &in, &err), 0);
	assert_true(in.batches >= 7);
	total = tdb_int(t.st, "SELECT count(*) FROM person p, org o WHERE "
			      "o.id = p.org_id AND o.code = 'MKN-TH' AND "
			      "substr(p.name, 1, 4) = x'00000002'");
	assert_int_equal(total, 10);
	assert_int_equal(tdb_int(t.st, "SELECT group_concat(version) FROM "
				       "org_key WHERE org_id = 1"),
			 2);
	assert_int_equal(tdb_int(t.st, "SELECT count(*) FROM "
				       "org_key_rotation"),
			 0);
	assert_int_equal(read_name(t.st, th, "w1", &name), 0);
	assert_string_equal(name.ptr, "Written meanwhile");
	/* the other organisation was not touched */
	assert_int_equal(read_name(t.st, org_id(&t, "MKN-MM"), "p0", &name), 0);
	assert_string_equal(name.ptr, "Min 0");
	assert_int_equal(tdb_int(t.st, "SELECT max(version) FROM org_key "
				       "WHERE org_id = 2"),
			 1);
	mrm_store_close(in.reader);
	mrm_buf_release(&name);
	tdb_close(&t);
}

static void test_recovery_round_trip(void **state)
{
	struct mrm_kek_spec spec = {PASS, strlen(PASS), MRM_KDF_INTERACTIVE};
	struct mrm_buf name = MRM_BUF_INIT(4096);
	char text[MRM_RECOVERY_TEXT], other[MRM_RECOVERY_TEXT], key[160], typo;
	struct mrm_error err;
	size_t n1, n2;
	char *before, *after;
	struct tdb t;

	(void)state;
	tdb_open(&t);
	add_people(&t, "MKN-TH", 2, "Sok");
	assert_int_equal(mrm_keys_recovery(t.st, other, &err), 0);
	assert_int_equal(mrm_keys_recovery(t.st, text, &err), 0);
	assert_int_equal(strlen(text), 14 * 4 + 13);
	assert_string_not_equal(text, other);
	add_people(&t, "MKN-MM", 1, "Sao"); /* a key made after it */
	mrm_store_close(t.st);
	t.st = NULL;
	snprintf(key, sizeof(key), "%s.key", t.path);
	assert_int_equal(unlink(key), 0); /* the key file is lost */

	before = files(t.path, &n1);
	/* the replaced recovery key, and a typo, open nothing */
	assert_int_equal(mrm_keys_recover(t.path, other, &spec, NULL, &err),
			 MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "does not open this database"));
	typo = text[5];
	text[5] = typo == 'A' ? 'B' : 'A';
	assert_int_equal(mrm_keys_recover(t.path, text, &spec, NULL, &err),
			 MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "checksum"));
	text[5] = typo;
	after = files(t.path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);

	/* lower case and spaces are fine */
	for (char *p = text; *p; p++)
		*p = *p == '-' ? ' ' : (char)tolower((unsigned char)*p);
	assert_int_equal(mrm_keys_recover(t.path, text, &spec, NULL, &err), 0);
	assert_int_equal(mrm_store_open_passphrase(&t.st, t.path, PASS,
						   strlen(PASS), &err),
			 0);
	assert_int_equal(read_name(t.st, org_id(&t, "MKN-TH"), "p1", &name), 0);
	assert_string_equal(name.ptr, "Sok 1");
	assert_int_equal(read_name(t.st, org_id(&t, "MKN-MM"), "p0", &name), 0);
	assert_string_equal(name.ptr, "Sao 0");
	mrm_buf_release(&name);
	tdb_close(&t);
}

static void test_rotate_kek(void **state)
{
	struct mrm_kek_spec spec = {PASS, strlen(PASS), MRM_KDF_INTERACTIVE};
	struct mrm_kek_spec file = {NULL, 0, MRM_KDF_MODERATE};
	struct mrm_buf name = MRM_BUF_INIT(4096), w1 = MRM_BUF_INIT(256);
	struct mrm_error err;
	const char *note = NULL;
	char path[200];
	struct tdb t;

	(void)state;
	tdb_open(&t);
	add_people(&t, "MKN-TH", 1, "Lan");
	assert_int_equal(mrm_keys_rotate_kek(t.st, &spec, &note, &err), 0);
	assert_non_null(note);
	snprintf(path, sizeof(path), "%s.key.old", t.path);
	assert_int_equal(access(path, F_OK), 0);
	mrm_store_close(t.st);
	assert_int_equal(mrm_store_open_passphrase(&t.st, t.path, PASS,
						   strlen(PASS), &err),
			 0);
	assert_int_equal(read_name(t.st, org_id(&t, "MKN-TH"), "p0", &name), 0);
	assert_string_equal(name.ptr, "Lan 0");
	/* back to a new key file */
	unlink(path);
	assert_int_equal(mrm_keys_rotate_kek(t.st, &file, &note, &err), 0);
	mrm_store_close(t.st);
	assert_int_equal(mrm_store_open(&t.st, t.path, &err), 0);
	assert_int_equal(read_name(t.st, org_id(&t, "MKN-TH"), "p0", &name), 0);
	mrm_buf_release(&name);
	mrm_buf_release(&w1);
	tdb_close(&t);
}

/* Does `hay` of `n` bytes hold the `len` bytes of `needle`? */
static int holds(const char *hay, size_t n, const char *needle, size_t len)
{
	for (size_t i = 0; i + len <= n; i++)
		if (!memcmp(hay + i, needle, len))
			return 1;
	return 0;
}

/* The wrapped key of `org` (version 1) and that key unwrapped. */
static void org_key_bytes(struct tdb *t, int64_t org, struct mrm_buf *wrapped,
			  struct mrm_buf *dek)
{
	struct mrm_error err;
	sqlite3_stmt *s;
	char ad[64];

	assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t->st),
					    "SELECT wrapped FROM org_key WHERE "
					    "org_id = ? AND version = 1",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, org);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	mrm_buf_add(wrapped, sqlite3_column_blob(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0));
	sqlite3_finalize(s);
	snprintf(ad, sizeof(ad), "org_key/%lld/1", (long long)org);
	assert_int_equal(mrm_unseal(mrm_store_key(t->st), ad, wrapped->ptr,
				    wrapped->len, dek, &err),
			 0);
	assert_int_equal(dek->len, MRM_KEY_BYTES);
}

static void test_wipe(void **state)
{
	struct mrm_buf wrapped = MRM_BUF_INIT(256), dek = MRM_BUF_INIT(256),
		       name = MRM_BUF_INIT(4096);
	char text[MRM_RECOVERY_TEXT], *raw, *snap;
	struct mrm_counts before, after;
	struct mrm_import_stats stats;
	struct mrm_store *other = NULL;
	struct mrm_error err;
	int64_t th, mm;
	struct tdb t;
	int clean = 0;
	size_t n;

	(void)state;
	tdb_open(&t);
	th = org_id(&t, "MKN-TH");
	mm = org_id(&t, "MKN-MM");
	add_people(&t, "MKN-TH", 5, "Thida");
	add_people(&t, "MKN-MM", 3, "Kyaw");
	assert_int_equal(mrm_keys_recovery(t.st, text, &err), 0);
	org_key_bytes(&t, th, &wrapped, &dek);
	assert_int_equal(mrm_store_counts(t.st, &before, &err), 0);
	/* a connection that has Thailand's key in its cache */
	assert_int_equal(mrm_store_open(&other, t.path, &err), 0);
	assert_int_equal(read_name(other, th, "p2", &name), 0);
	assert_string_equal(name.ptr, "Thida 2");

	assert_int_equal(mrm_keys_wipe(t.st, "NOPE", &clean, &err),
			 MRM_ERR_NOTFOUND);
	assert_int_equal(mrm_keys_wipe(t.st, "MKN-TH", &clean, &err), 0);
	assert_int_equal(clean, 1);
	assert_int_equal(read_name(t.st, th, "p2", &name), MRM_ERR_DESTROYED);
	assert_int_equal(read_name(other, th, "p2", &name), MRM_ERR_DESTROYED);
	assert_int_equal(read_name(other, mm, "p2", &name), 0);
	assert_string_equal(name.ptr, "Kyaw 2");
	/* readers say so; counts do not change */
	snap = tdb_snapshot(&t);
	assert_non_null(strstr(snap, "\"" MRM_DESTROYED_TEXT "\""));
	assert_null(strstr(snap, "Thida"));
	assert_non_null(strstr(snap, "Kyaw 1"));
	free(snap);
	assert_int_equal(mrm_store_counts(t.st, &after, &err), 0);
	assert_memory_equal(&before, &after, sizeof(before));
	/* neither the wrapped nor the bare key is anywhere on disk */
	mrm_store_close(other);
	raw = files(t.path, &n);
	assert_false(holds(raw, n, wrapped.ptr, wrapped.len));
	assert_false(holds(raw, n, dek.ptr, dek.len));
	free(raw);
	/* new records of the organisation get a new key */
	assert_int_equal(tdb_import(&t, "n.csv",
				    "event.key,event.title,act.type,"
				    "victim.key,victim.name\n"
				    "n1,After,arrest,n1,Later 0\n",
				    NULL, &stats, NULL, &err),
			 0);
	assert_int_equal(read_name(t.st, th, "n1", &name), 0);
	assert_string_equal(name.ptr, "Later 0");
	assert_int_equal(tdb_int(t.st, "SELECT version FROM org_key WHERE "
				       "org_id = 1"),
			 2);
	mrm_buf_release(&wrapped);
	mrm_buf_release(&dek);
	mrm_buf_release(&name);
	tdb_close(&t);
}

/* Re-seal every value as a database of before keys per organisation had
 * it: under the one key, with no version in front. */
static void make_legacy(struct tdb *t)
{
	struct mrm_buf plain = MRM_BUF_INIT(4096), sealed = MRM_BUF_INIT(4096);
	static const char *const cols[] = {"name", "contact"};
	struct mrm_error err;
	sqlite3_stmt *s, *u;
	char sql[200], ad[64];

	for (int c = 0; c < 2; c++) {
		snprintf(sql, sizeof(sql), "SELECT id, org_id, %s FROM person",
			 cols[c]);
		assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t->st), sql,
						    -1, &s, NULL),
				 SQLITE_OK);
		snprintf(sql, sizeof(sql),
			 "UPDATE person SET %s = ? WHERE id = ?", cols[c]);
		assert_int_equal(sqlite3_prepare_v2(mrm_store_db(t->st), sql,
						    -1, &u, NULL),
				 SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0);

			snprintf(ad, sizeof(ad), "person/%lld/%s",
				 (long long)id, cols[c]);
			mrm_buf_reset(&plain);
			mrm_buf_reset(&sealed);
			assert_int_equal(
				mrm_store_unseal(
					t->st, sqlite3_column_int64(s, 1), ad,
					sqlite3_column_blob(s, 2),
					(size_t)sqlite3_column_bytes(s, 2),
					&plain, &err),
				0);
			assert_int_equal(mrm_seal(mrm_store_key(t->st), ad,
						  plain.ptr, plain.len, &sealed,
						  &err),
					 0);
			sqlite3_bind_blob(u, 1, sealed.ptr, (int)sealed.len,
					  SQLITE_STATIC);
			sqlite3_bind_int64(u, 2, id);
			assert_int_equal(sqlite3_step(u), SQLITE_DONE);
			sqlite3_reset(u);
		}
		sqlite3_finalize(s);
		sqlite3_finalize(u);
	}
	/* and the event narratives go: a simpler database still. The keys
	 * migration is the last one (src/lib/schema.sql.h), so undoing it
	 * and going back one version makes the database of before. */
	assert_int_equal(sqlite3_exec(mrm_store_db(t->st),
				      "UPDATE event SET narrative = NULL;"
				      "DROP TABLE org_key;"
				      "DROP TABLE org_key_rotation;"
				      "DROP TABLE org_key_wiped;"
				      "DELETE FROM meta WHERE key = 'kek';",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 MRM_SCHEMA_VERSION - 1);
	assert_int_equal(
		sqlite3_exec(mrm_store_db(t->st), sql, NULL, NULL, NULL),
		SQLITE_OK);
	mrm_buf_release(&plain);
	mrm_buf_release(&sealed);
}

static void test_single_key_database_converts(void **state)
{
	struct mrm_buf name = MRM_BUF_INIT(4096), a = MRM_BUF_INIT(4096),
		       b = MRM_BUF_INIT(4096);
	struct mrm_error err;
	struct tdb t;
	int64_t th, mm;

	(void)state;
	tdb_open(&t);
	th = org_id(&t, "MKN-TH");
	mm = org_id(&t, "MKN-MM");
	add_people(&t, "MKN-TH", 3, "Aye");
	add_people(&t, "MKN-MM", 3, "Aye");
	make_legacy(&t);
	mrm_store_close(t.st);

	assert_int_equal(mrm_store_open(&t.st, t.path, &err), 0);
	assert_int_equal(tdb_int(t.st, "SELECT user_version FROM "
				       "pragma_user_version"),
			 MRM_SCHEMA_VERSION);
	assert_int_equal(tdb_int(t.st, "SELECT count(*) FROM meta WHERE key = "
				       "'keys_legacy'"),
			 0);
	assert_int_equal(tdb_int(t.st, "SELECT count(*) FROM person WHERE "
				       "substr(name, 1, 4) <> x'00000001' OR "
				       "substr(contact, 1, 4) <> x'00000001'"),
			 0);
	assert_int_equal(read_name(t.st, th, "p2", &name), 0);
	assert_string_equal(name.ptr, "Aye 2");
	assert_int_equal(read_name(t.st, mm, "p2", &name), 0);
	assert_string_equal(name.ptr, "Aye 2");
	/* now under two keys */
	sealed_name(t.st, th, "p2", &a);
	sealed_name(t.st, mm, "p2", &b);
	assert_memory_not_equal(a.ptr + 4, b.ptr + 4, a.len - 4);
	assert_int_equal(tdb_int(t.st, "SELECT count(*) FROM org_key"), 2);
	mrm_buf_release(&name);
	mrm_buf_release(&a);
	mrm_buf_release(&b);
	tdb_close(&t);
}

struct status_seen {
	char text[2048];
};

static int status_cb(void *ctx, const struct mrm_key_status *s)
{
	struct status_seen *seen = ctx;
	size_t n = strlen(seen->text);

	snprintf(seen->text + n, sizeof(seen->text) - n, "%s %u %s %lld;",
		 s->org, s->version, s->state, (long long)s->values);
	return 0;
}

static void test_status(void **state)
{
	struct status_seen seen = {""};
	struct mrm_error err;
	struct tdb t;
	int clean;

	(void)state;
	tdb_open(&t);
	add_people(&t, "MKN-TH", 2, "Hla"); /* name, contact, narrative */
	assert_int_equal(mrm_keys_status(t.st, status_cb, &seen, &err), 0);
	assert_string_equal(seen.text, "MKN-MM 0 none 0;MKN-TH 1 current 6;");
	assert_int_equal(mrm_keys_wipe(t.st, "MKN-TH", &clean, &err), 0);
	seen.text[0] = '\0';
	assert_int_equal(mrm_keys_status(t.st, status_cb, &seen, &err), 0);
	assert_string_equal(seen.text, "MKN-MM 0 none 0;MKN-TH 1 destroyed 6;");
	tdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_org_has_its_own_key),
		cmocka_unit_test(test_passphrase),
		cmocka_unit_test(test_rotation_in_batches_resumes),
		cmocka_unit_test(test_recovery_round_trip),
		cmocka_unit_test(test_rotate_kek),
		cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_single_key_database_converts),
		cmocka_unit_test(test_status),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
