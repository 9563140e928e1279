/*
 * test_backup.c - encrypted backups and restores (src/lib/backup.c).
 *
 * What matters most here: a restore gives back the database exactly; a
 * backup holds nothing in clear; and a backup that is truncated, altered,
 * foreign or opened with the wrong key is refused with a clear message and
 * leaves no file behind.
 */
#define _GNU_SOURCE /* memmem */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/backup.h"
#include "mrm/keyring.h"
#include "mrm/org.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#define FIXTURE "tests/data/import/native-events.csv"
#define TITLE_1                                                                \
	"Arrest, detention and deportation of fishing workers in Mae Sot"
#define NAME_MY "မောင်အောင်ကျော်" /* Maung Aung Kyaw */

#define HEAD_LEN (MRM_BACKUP_HEAD + 24) /* clear header + stream header */
#define PASS	 "a long enough passphrase"
#define ABYTES	 17

struct fx {
	struct tdb t;
	char bak[200], db2[200], key2[200];
	char *before;
	struct mrm_error err;
};

static void spit(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct mrm_import_stats stats;
	struct tproblems probs;
	char *text;

	assert_non_null(f);
	tdb_open(&f->t);
	text = slurp(tsrc(FIXTURE), NULL);
	assert_non_null(text);
	assert_int_equal(
		tdb_import(&f->t, FIXTURE, text, NULL, &stats, &probs, &f->err),
		0);
	free(text);
	snprintf(f->bak, sizeof(f->bak), "%s/b.mrmbak", f->t.dir);
	snprintf(f->db2, sizeof(f->db2), "%s/r.db", f->t.dir);
	snprintf(f->key2, sizeof(f->key2), "%s/r.db.key", f->t.dir);
	f->before = tdb_snapshot(&f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->before);
	tdb_close(&f->t);
	free(f);
	return 0;
}

static int mode_of(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return (int)(sb.st_mode & 0777);
}

/* The directory holds only the database, its key, its WAL and `extra`. */
static void assert_only(const char *dir, const char *const *extra)
{
	static const char *const base[] = {".",	       "..",	   "t.db",
					   "t.db.key", "t.db-wal", "t.db-shm"};
	struct dirent *de;
	DIR *d = opendir(dir);
	int ok;

	assert_non_null(d);
	while ((de = readdir(d))) {
		ok = 0;
		for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
			ok |= !strcmp(de->d_name, base[i]);
		for (size_t i = 0; extra && extra[i]; i++)
			ok |= !strcmp(de->d_name, extra[i]);
		if (!ok)
			fail_msg("unexpected file left behind: %s/%s", dir,
				 de->d_name);
	}
	closedir(d);
}

static void backup(struct fx *f)
{
	if (mrm_backup_create(f->t.st, f->bak, &f->err))
		fail_msg("backup: %s: %s", f->err.where, f->err.msg);
}

/* Restore f->bak into f->db2 and require its snapshot to equal before. */
static void restore_and_compare(struct fx *f)
{
	struct tdb t2 = {0};
	char key[200], *after;

	snprintf(key, sizeof(key), "%s.key", f->t.path);
	if (mrm_backup_restore(key, f->bak, f->db2, &f->err))
		fail_msg("restore: %s: %s", f->err.where, f->err.msg);
	assert_int_equal(mode_of(f->key2), 0600);
	assert_int_equal(mrm_store_open(&t2.st, f->db2, &f->err), 0);
	after = tdb_snapshot(&t2);
	assert_string_equal(after, f->before);
	free(after);
	mrm_store_close(t2.st);
}

static void test_round_trip(void **state)
{
	static const char *const left[] = {"b.mrmbak", "r.db", "r.db.key",
					   NULL};
	struct fx *f = *state;
	size_t len = 0;
	char *bytes;

	backup(f);
	assert_int_equal(mode_of(f->bak), 0600);
	bytes = slurp(f->bak, &len);
	assert_non_null(bytes);
	/* The clear header: a key file's database keeps no salt, no
	 * recovery copy. */
	assert_memory_equal(bytes, "mrm-backup-v2\n", 14);
	assert_int_equal(bytes[14], 'F');
	for (size_t i = 15; i < 48; i++)
		assert_int_equal(bytes[i], 0);
	for (size_t i = 120; i < MRM_BACKUP_HEAD; i++)
		assert_int_equal(bytes[i], 0);
	/* Nothing in clear: not a name, not even a title or SQLite's header. */
	assert_null(memmem(bytes, len, NAME_MY, strlen(NAME_MY)));
	assert_null(memmem(bytes, len, TITLE_1, strlen(TITLE_1)));
	assert_null(memmem(bytes, len, "SQLite format 3", 15));
	assert_null(memmem(bytes, len, "Mae Sot", 7));
	free(bytes);
	restore_and_compare(f);
	assert_only(f->t.dir, left);
}

/* A backup taken while another connection reads, and after more writes. */
static void test_online(void **state)
{
	struct fx *f = *state;
	sqlite3 *other = NULL;
	sqlite3_stmt *q = NULL;

	assert_int_equal(
		sqlite3_open_v2(f->t.path, &other, SQLITE_OPEN_READONLY, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(other, "SELECT count(*) FROM sqlite_master",
				   -1, &q, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	/* A write after the reader's snapshot, which the backup must hold. */
	assert_int_equal(mrm_org_add(f->t.st, "MKN-KH", "Test org Cambodia",
				     "KH", &f->err),
			 0);
	free(f->before);
	f->before = tdb_snapshot(&f->t);
	backup(f);
	sqlite3_finalize(q);
	sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(other);
	restore_and_compare(f);
	assert_non_null(strstr(f->before, "MKN-KH"));
}

/* Restoring `bytes` must fail with `msg` and leave no file behind. */
static void assert_refused(struct fx *f, const void *bytes, size_t len,
			   const char *msg, const char *key)
{
	static const char *const left[] = {"b.mrmbak", "o.db", "o.db.key",
					   NULL};
	char keypath[256];

	if (bytes)
		spit(f->bak, bytes, len);
	snprintf(keypath, sizeof(keypath), "%s.key", key ? key : f->t.path);
	if (mrm_backup_restore(keypath, f->bak, f->db2, &f->err) == 0)
		fail_msg("a bad backup (%zu bytes) was restored", len);
	if (!strstr(f->err.msg, msg))
		fail_msg("expected \"%s\", got: %s", msg, f->err.msg);
	assert_only(f->t.dir, left);
}

/* Size of the final chunk of a backup of `len` bytes, with its tag. */
static size_t final_chunk(size_t len)
{
	size_t body = len - HEAD_LEN - (8 + ABYTES), size, n;

	for (n = 1;; n++) {
		size = body - n * ABYTES;
		if ((size + 65535) / 65536 == n || (size == 0 && n == 1))
			return size - (n - 1) * 65536 + ABYTES;
	}
}

static void test_truncated(void **state)
{
	struct fx *f = *state;
	size_t len = 0, cuts[6], last;
	char *bytes;

	backup(f);
	bytes = slurp(f->bak, &len);
	assert_non_null(bytes);
	assert_true(len > HEAD_LEN + 3 * 65536); /* several chunks */
	last = final_chunk(len);
	cuts[0] = HEAD_LEN - 5;			/* in the stream header */
	cuts[1] = HEAD_LEN;			/* header only */
	cuts[2] = HEAD_LEN + 8 + ABYTES + 1000; /* mid-chunk */
	cuts[3] = HEAD_LEN + 8 + ABYTES + 65536 + ABYTES; /* a chunk */
	cuts[4] = len - last;				  /* no final chunk */
	cuts[5] = len - 1;				  /* mid final chunk */
	for (size_t i = 0; i < 6; i++)
		assert_refused(f, bytes, cuts[i], "backup is truncated", NULL);
	free(bytes);
}

static void test_altered(void **state)
{
	struct fx *f = *state;
	size_t len = 0, at[6];
	char *bytes, *more;

	backup(f);
	bytes = slurp(f->bak, &len);
	assert_non_null(bytes);
	at[0] = HEAD_LEN - 24 + 3; /* stream header */
	/* The clear header: the kind, the (empty) salt, the wrapped key,
	 * the (empty) recovery copy. */
	for (size_t i = 0; i < 4; i++) {
		static const size_t hat[] = {14, 20, 48 + 30, 150};

		bytes[hat[i]] ^= 0x02;
		assert_refused(f, bytes, len, "altered", NULL);
		bytes[hat[i]] ^= 0x02;
	}
	at[1] = HEAD_LEN + 2;		/* the size chunk */
	at[2] = HEAD_LEN + 8 + ABYTES;	/* first data chunk's tag byte */
	at[3] = len / 2;		/* the middle */
	at[4] = len - final_chunk(len); /* the final chunk */
	at[5] = len - 1;		/* its MAC */
	for (size_t i = 0; i < 6; i++) {
		bytes[at[i]] ^= 0x01;
		assert_refused(f, bytes, len,
			       "backup was altered or the key is wrong", NULL);
		bytes[at[i]] ^= 0x01;
	}
	/* Bytes after the final chunk. */
	more = malloc(len + 1);
	assert_non_null(more);
	memcpy(more, bytes, len);
	more[len] = 'x';
	assert_refused(f, more, len + 1, "altered", NULL);
	/* The magic line is what says a file is a backup. */
	bytes[0] ^= 0x01;
	assert_refused(f, bytes, len, "not an mrm backup", NULL);
	free(more);
	free(bytes);
}

static void test_wrong_key(void **state)
{
	struct fx *f = *state;
	char other[200];

	backup(f);
	snprintf(other, sizeof(other), "%s/o.db", f->t.dir);
	assert_int_equal(mrm_store_create(other, &f->err), 0);
	assert_refused(f, NULL, 0, "backup was altered or the key is wrong",
		       other);
}

static void test_not_a_backup(void **state)
{
	struct fx *f = *state;
	unsigned char noise[5000];

	randombytes_buf(noise, sizeof(noise));
	assert_refused(f, noise, sizeof(noise), "not an mrm backup", NULL);
	assert_refused(f, "", 0, "not an mrm backup", NULL);
	assert_refused(f, "mrm-backup", 10, "not an mrm backup", NULL);
	/* The database itself is not a backup either. */
	{
		size_t len = 0;
		char *db = slurp(f->t.path, &len);

		assert_non_null(db);
		assert_refused(f, db, len, "not an mrm backup", NULL);
		free(db);
	}
}

static void test_refusals(void **state)
{
	static const char *const left[] = {"b.mrmbak", "r.db.key", NULL};
	struct fx *f = *state;
	char path[300], key[200], *text;

	/* An existing output is never overwritten. */
	spit(f->bak, "keep", 4);
	assert_int_equal(mrm_backup_create(f->t.st, f->bak, &f->err),
			 MRM_ERR_EXISTS);
	assert_non_null(strstr(f->err.msg, "already exists"));
	text = slurp(f->bak, NULL);
	assert_string_equal(text, "keep");
	free(text);
	/* Nor the database itself. */
	assert_int_equal(mrm_backup_create(f->t.st, f->t.path, &f->err),
			 MRM_ERR_EXISTS);
	/* A directory that does not exist. */
	snprintf(path, sizeof(path), "%s/no/such/dir/b.mrmbak", f->t.dir);
	assert_int_equal(mrm_backup_create(f->t.st, path, &f->err), MRM_ERR_IO);
	/* A temporary left by an interrupted backup. */
	unlink(f->bak);
	snprintf(path, sizeof(path), "%s.tmp", f->bak);
	spit(path, "old", 3);
	assert_int_equal(mrm_backup_create(f->t.st, f->bak, &f->err),
			 MRM_ERR_EXISTS);
	assert_non_null(strstr(f->err.msg, "interrupted"));
	text = slurp(path, NULL);
	assert_string_equal(text, "old");
	free(text);
	unlink(path);
	backup(f);

	/* A restore never overwrites a database or a key file. */
	snprintf(key, sizeof(key), "%s.key", f->t.path);
	spit(f->db2, "db", 2);
	assert_int_equal(mrm_backup_restore(key, f->bak, f->db2, &f->err),
			 MRM_ERR_EXISTS);
	text = slurp(f->db2, NULL);
	assert_string_equal(text, "db");
	free(text);
	unlink(f->db2);
	spit(f->key2, "key", 3);
	assert_int_equal(mrm_backup_restore(key, f->bak, f->db2, &f->err),
			 MRM_ERR_EXISTS);
	text = slurp(f->key2, NULL);
	assert_string_equal(text, "key");
	free(text);
	assert_only(f->t.dir, left);
	/* A missing backup. */
	unlink(f->key2);
	snprintf(path, sizeof(path), "%s/none.mrmbak", f->t.dir);
	assert_int_not_equal(mrm_backup_restore(key, path, f->db2, &f->err), 0);
	assert_false(access(f->db2, F_OK) == 0);
	assert_false(access(f->key2, F_OK) == 0);
}

/* Entries in `dir` besides "." and "..". */
static int entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

/* A database locked with PASS in its own directory, with the fixture. */
static char *pass_db(struct tdb *t)
{
	const struct mrm_kek_spec spec = {PASS, strlen(PASS),
					  MRM_KDF_INTERACTIVE};
	struct mrm_import_stats stats;
	struct tproblems probs;
	struct mrm_error err;
	char *text;

	snprintf(t->dir, sizeof(t->dir), "/tmp/mrm-test-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/p.db", t->dir);
	assert_int_equal(mrm_store_create_kek(t->path, &spec, &err), 0);
	assert_int_equal(mrm_store_open_passphrase(&t->st, t->path, PASS,
						   strlen(PASS), &err),
			 0);
	assert_int_equal(
		mrm_org_add(t->st, "MKN-TH", "Test org Thailand", "TH", &err),
		0);
	text = slurp(tsrc(FIXTURE), NULL);
	assert_non_null(text);
	assert_int_equal(
		tdb_import(t, FIXTURE, text, NULL, &stats, &probs, &err), 0);
	free(text);
	return tdb_snapshot(t);
}

static void test_passphrase(void **state)
{
	struct mrm_backup_unlock u = {.passphrase = "a wrong passphrase!!",
				      .passphrase_len = 20};
	struct mrm_backup_info info;
	struct tdb t = {0}, r = {0};
	struct mrm_error err;
	char bak[200], out[200], key[260], *before, *after, *bytes;
	size_t len = 0;

	(void)state;
	before = pass_db(&t);
	snprintf(bak, sizeof(bak), "%s/p.mrmbak", t.dir);
	snprintf(out, sizeof(out), "%s/r.db", t.dir);
	snprintf(key, sizeof(key), "%s/r.db.key", t.dir);
	assert_int_equal(mrm_backup_create(t.st, bak, &err), 0);
	assert_int_equal(mrm_backup_info(bak, &info, &err), 0);
	assert_int_equal(info.version, 2);
	assert_int_equal(info.passphrase, 1);
	assert_int_equal(info.recovery, 0);
	/* The salt and limits are in clear: the database's own. */
	bytes = slurp(bak, &len);
	assert_non_null(bytes);
	assert_int_equal(bytes[14], 'P');
	assert_null(memmem(bytes, len, PASS, strlen(PASS)));
	assert_null(memmem(bytes, len, "Mae Sot", 7));
	{
		sqlite3 *db = NULL;
		sqlite3_stmt *q = NULL;

		assert_int_equal(sqlite3_open_v2(t.path, &db,
						 SQLITE_OPEN_READONLY, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db,
						    "SELECT value FROM meta "
						    "WHERE key = 'kek_salt'",
						    -1, &q, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_bytes(q, 0), 16);
		assert_memory_equal(bytes + 15, sqlite3_column_blob(q, 0), 16);
		sqlite3_finalize(q);
		sqlite3_close(db);
	}
	free(bytes);
	mrm_store_close(t.st);
	t.st = NULL;

	/* A wrong passphrase: found before any file is made. */
	assert_int_equal(entries(t.dir), 2); /* p.db, p.mrmbak */
	assert_int_equal(mrm_backup_restore_with(&u, bak, out, NULL, &err),
			 MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "the passphrase is wrong"));
	assert_int_equal(entries(t.dir), 2);
	/* A key file is not what opens it. */
	snprintf(key, sizeof(key), "%s.key", t.path);
	assert_int_equal(mrm_backup_restore(key, bak, out, &err),
			 MRM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "locked with a passphrase"));
	assert_int_equal(entries(t.dir), 2);

	/* The right one: the same data, opening with the same passphrase. */
	u.passphrase = PASS;
	u.passphrase_len = strlen(PASS);
	if (mrm_backup_restore_with(&u, bak, out, NULL, &err))
		fail_msg("restore: %s: %s", err.where, err.msg);
	snprintf(key, sizeof(key), "%s.key", out);
	assert_int_equal(access(key, F_OK), -1);
	assert_int_equal(mrm_store_needs_passphrase(out), 1);
	assert_int_equal(
		mrm_store_open_passphrase(&r.st, out, PASS, strlen(PASS), &err),
		0);
	after = tdb_snapshot(&r);
	assert_string_equal(after, before);
	mrm_store_close(r.st);
	free(after);
	free(before);
	tdb_close(&t);
}

/* The restored database `out` opens as `t`'s did and holds `before`. */
static void assert_restored(const char *out, const char *before)
{
	struct tdb r = {0};
	struct mrm_error err;
	char *after;

	assert_int_equal(mrm_store_open(&r.st, out, &err), 0);
	after = tdb_snapshot(&r);
	assert_string_equal(after, before);
	free(after);
	mrm_store_close(r.st);
}

static void test_recovery(void **state)
{
	static const char *const left[] = {"b.mrmbak", "r.db",	   "r.db.key",
					   "o.db",     "o.db.key", NULL};
	const struct mrm_kek_spec to_file = {NULL, 0, MRM_KDF_INTERACTIVE};
	struct mrm_backup_unlock u = {.new_kek = &to_file};
	struct fx *f = *state;
	struct mrm_backup_info info;
	struct mrm_store *o = NULL;
	char text[MRM_RECOVERY_TEXT], other[MRM_RECOVERY_TEXT], path[200];

	/* Without a recovery key, the backup holds no recovery copy. */
	backup(f);
	u.recovery = "AAAA";
	assert_int_equal(
		mrm_backup_restore_with(&u, f->bak, f->db2, NULL, &f->err),
		MRM_ERR_CRYPTO);
	assert_non_null(strstr(f->err.msg, "had no recovery key"));
	unlink(f->bak);

	assert_int_equal(mrm_keys_recovery(f->t.st, text, &f->err), 0);
	backup(f);
	assert_int_equal(mrm_backup_info(f->bak, &info, &f->err), 0);
	assert_int_equal(info.recovery, 1);
	/* Another database's recovery key does not open it. */
	snprintf(path, sizeof(path), "%s/o.db", f->t.dir);
	assert_int_equal(mrm_store_create(path, &f->err), 0);
	assert_int_equal(mrm_store_open(&o, path, &f->err), 0);
	assert_int_equal(mrm_keys_recovery(o, other, &f->err), 0);
	mrm_store_close(o);
	u.recovery = other;
	assert_int_equal(
		mrm_backup_restore_with(&u, f->bak, f->db2, NULL, &f->err),
		MRM_ERR_CRYPTO);
	assert_non_null(strstr(f->err.msg, "recovery key does not open"));
	/* Nor one with a mistyped group. */
	other[0] = text[0] == 'A' ? 'B' : 'A';
	memcpy(other + 1, text + 1, sizeof(text) - 1);
	u.recovery = other;
	assert_int_not_equal(
		mrm_backup_restore_with(&u, f->bak, f->db2, NULL, &f->err), 0);
	assert_false(access(f->db2, F_OK) == 0);
	/* Without saying the new key, nothing is tried. */
	u.recovery = text;
	u.new_kek = NULL;
	assert_int_equal(
		mrm_backup_restore_with(&u, f->bak, f->db2, NULL, &f->err),
		MRM_ERR_INVALID);
	assert_false(access(f->db2, F_OK) == 0);
	/* The right one: a new key file, the same data. */
	u.new_kek = &to_file;
	if (mrm_backup_restore_with(&u, f->bak, f->db2, NULL, &f->err))
		fail_msg("restore: %s: %s", f->err.where, f->err.msg);
	assert_int_equal(mode_of(f->key2), 0600);
	{
		size_t n1 = 0, n2 = 0;
		char *k1, *k2;
		char key[200];

		snprintf(key, sizeof(key), "%s.key", f->t.path);
		k1 = slurp(key, &n1);
		k2 = slurp(f->key2, &n2);
		/* a new key, not the old one */
		assert_false(n1 == n2 && !memcmp(k1, k2, n1));
		free(k1);
		free(k2);
	}
	assert_restored(f->db2, f->before);
	assert_only(f->t.dir, left);
}

/* Write a version 1 backup of `st` (the format of backup.h, by hand). */
static void write_v1(struct tdb *t, const char *bak)
{
	unsigned char key[32], sub[32], hdr[24], size[8];
	unsigned char *plain, *c;
	crypto_secretstream_xchacha20poly1305_state s;
	char copy[200], keypath[200];
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	size_t len = 0, off = 0, n;
	FILE *out;

	snprintf(copy, sizeof(copy), "%s/v1copy", t->dir);
	snprintf(keypath, sizeof(keypath), "%s.key", t->path);
	assert_int_equal(sqlite3_open(copy, &dst), SQLITE_OK);
	b = sqlite3_backup_init(dst, "main", mrm_store_db(t->st), "main");
	assert_non_null(b);
	assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
	sqlite3_backup_finish(b);
	sqlite3_close(dst);
	plain = (unsigned char *)slurp(copy, &len);
	unlink(copy);
	{
		struct mrm_key k;
		struct mrm_error err;

		assert_int_equal(mrm_key_load(keypath, &k, &err), 0);
		memcpy(key, k.bytes, 32);
	}
	crypto_kdf_derive_from_key(sub, 32, 1, "mrmbakup", key);
	out = fopen(bak, "wb");
	assert_non_null(out);
	c = malloc(65536 + 17);
	crypto_secretstream_xchacha20poly1305_init_push(&s, hdr, sub);
	fwrite(MRM_BACKUP_MAGIC_V1, 1, 14, out);
	fwrite(hdr, 1, 24, out);
	for (int i = 0; i < 8; i++)
		size[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	crypto_secretstream_xchacha20poly1305_push(
		&s, c, NULL, size, 8,
		(const unsigned char *)MRM_BACKUP_MAGIC_V1, 14, 0);
	fwrite(c, 1, 8 + 17, out);
	do {
		n = len - off < 65536 ? len - off : 65536;
		crypto_secretstream_xchacha20poly1305_push(
			&s, c, NULL, plain + off, n,
			(const unsigned char *)MRM_BACKUP_MAGIC_V1, 14,
			off + n == len
				? crypto_secretstream_xchacha20poly1305_TAG_FINAL
				: 0);
		fwrite(c, 1, n + 17, out);
		off += n;
	} while (off < len);
	assert_int_equal(fclose(out), 0);
	free(c);
	free(plain);
}

static void test_v1(void **state)
{
	static const char *const left[] = {"b.mrmbak", "r.db", "r.db.key",
					   NULL};
	struct mrm_backup_unlock u = {.passphrase = PASS,
				      .passphrase_len = strlen(PASS)};
	struct mrm_backup_info info;
	struct fx *f = *state;
	char key[200];

	write_v1(&f->t, f->bak);
	assert_int_equal(mrm_backup_info(f->bak, &info, &f->err), 0);
	assert_int_equal(info.version, 1);
	assert_int_equal(info.recovery, 0);
	/* Version 1 has no salt: a passphrase cannot open it. */
	assert_int_equal(
		mrm_backup_restore_with(&u, f->bak, f->db2, NULL, &f->err),
		MRM_ERR_INVALID);
	assert_non_null(strstr(f->err.msg, "version 1"));
	snprintf(key, sizeof(key), "%s.key", f->t.path);
	if (mrm_backup_restore(key, f->bak, f->db2, &f->err))
		fail_msg("restore v1: %s: %s", f->err.where, f->err.msg);
	assert_restored(f->db2, f->before);
	assert_only(f->t.dir, left);
}

/* A killed backup's private directory is removed by the next backup,
 * unless its lock is held (a backup still running). */
static void test_stale_copy(void **state)
{
	static const char *const left[] = {"b.mrmbak", ".t.db.mrm-tmp-RUNNIN",
					   NULL};
	static const char *const after[] = {"b.mrmbak", NULL};
	struct fx *f = *state;
	char dead[200], live[200], file[260];
	int fd;

	snprintf(dead, sizeof(dead), "%s/.t.db.mrm-tmp-KILLED", f->t.dir);
	snprintf(live, sizeof(live), "%s/.t.db.mrm-tmp-RUNNIN", f->t.dir);
	assert_int_equal(mkdir(dead, 0700), 0);
	assert_int_equal(mkdir(live, 0700), 0);
	snprintf(file, sizeof(file), "%s/copy", dead);
	spit(file, "SQLite format 3", 15);
	snprintf(file, sizeof(file), "%s/copy", live);
	spit(file, "SQLite format 3", 15);
	fd = open(live, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	backup(f);
	assert_only(f->t.dir, left);
	/* Once its process is gone, anyone may clean it up. */
	close(fd);
	assert_int_equal(mrm_backup_clean(f->t.path), 1);
	assert_only(f->t.dir, after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_online, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_altered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_a_backup, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test(test_passphrase),
		cmocka_unit_test_setup_teardown(test_recovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_copy, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
