/* backup.c - see include/mrm/backup.h */
#define _POSIX_C_SOURCE 200809L

#include "mrm/backup.h"

#include "mrm/audit.h"
#include "mrm/crypto.h"
#include "mrm/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC_LEN (sizeof(MRM_BACKUP_MAGIC) - 1)
#define CHUNK	  (64 * 1024)
#define ABYTES	  crypto_secretstream_xchacha20poly1305_ABYTES
#define HDRBYTES  crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define TAG_MSG	  crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL

typedef crypto_secretstream_xchacha20poly1305_state stream_state;

static const unsigned char *magic(void)
{
	return (const unsigned char *)MRM_BACKUP_MAGIC;
}

/* `a` followed by `b` (malloc'd), or NULL. */
static char *concat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *p = malloc(na + nb + 1);

	if (p) {
		memcpy(p, a, na);
		memcpy(p + na, b, nb + 1);
	}
	return p;
}

static int exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

/* Remove a SQLite file and whatever journals it may have beside it. */
static void remove_db_files(const char *path)
{
	static const char *const suffix[] = {"-journal", "-wal", "-shm"};
	char *p;

	unlink(path);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		p = concat(path, suffix[i]);
		if (p)
			unlink(p);
		free(p);
	}
}

/* The backup key: derived from the field key, so no second key to keep. */
static void
backup_key(const struct mrm_key *key,
	   unsigned char sub[crypto_secretstream_xchacha20poly1305_KEYBYTES])
{
	crypto_kdf_derive_from_key(
		sub, crypto_secretstream_xchacha20poly1305_KEYBYTES, 1,
		"mrmbakup", key->bytes);
}

/*
 * A private temporary file beside `near`: "NEAR.TAG-XXXXXX", created mode
 * 0600 by mkstemp. Its name goes to *path (malloc'd); the caller removes
 * it and frees the name.
 */
static int private_temp(const char *near, const char *tag, char **path,
			struct mrm_error *err)
{
	char *suffix = concat(tag, "-XXXXXX");
	int fd;

	*path = suffix ? concat(near, suffix) : NULL;
	free(suffix);
	if (!*path)
		return mrm_error_set(err, MRM_ERR_NOMEM, near, "out of memory");
	fd = mkstemp(*path);
	if (fd < 0) {
		int e = errno;

		free(*path);
		*path = NULL;
		return mrm_error_set(err, MRM_ERR_IO, near,
				     "cannot create a temporary file beside "
				     "it: %s",
				     strerror(e));
	}
	close(fd);
	return 0;
}

/* Copy the live database into the (empty) file `dst_path`. */
static int copy_db(struct mrm_store *st, const char *dst_path,
		   struct mrm_error *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	int rc = 0, src;

	if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		rc = mrm_error_set(err, MRM_ERR_DB, dst_path,
				   "cannot open the temporary copy: %s",
				   sqlite3_errmsg(dst));
		goto out;
	}
	/* No journal beside the copy: a failed copy is removed whole. */
	sqlite3_exec(dst, "PRAGMA journal_mode=OFF", NULL, NULL, NULL);
	bk = sqlite3_backup_init(dst, "main", mrm_store_db(st), "main");
	if (!bk) {
		rc = mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
				   "cannot start the backup: %s",
				   sqlite3_errmsg(dst));
		goto out;
	}
	src = sqlite3_backup_step(bk, -1);
	sqlite3_backup_finish(bk);
	if (src != SQLITE_DONE)
		rc = mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
				   "the backup copy failed: %s",
				   sqlite3_errstr(src));
out:
	if (sqlite3_close(dst) != SQLITE_OK && !rc)
		rc = mrm_error_set(err, MRM_ERR_DB, dst_path,
				   "cannot close the temporary copy");
	return rc;
}

static int push(stream_state *s, FILE *out, const unsigned char *m, size_t len,
		unsigned char tag, unsigned char *cbuf)
{
	unsigned long long clen = 0;

	crypto_secretstream_xchacha20poly1305_push(s, cbuf, &clen, m, len,
						   magic(), MAGIC_LEN, tag);
	return fwrite(cbuf, 1, clen, out) == clen ? 0 : -1;
}

/* Encrypt the plain file `in` into the stream `out`. */
static int encrypt_file(const struct mrm_key *key, FILE *in, FILE *out)
{
	unsigned char sub[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char hdr[HDRBYTES], size[8];
	unsigned char *plain = malloc(CHUNK), *cbuf = malloc(CHUNK + ABYTES);
	stream_state s;
	struct stat sb;
	uint64_t left;
	size_t n;
	int rc = -1;

	if (!plain || !cbuf || fstat(fileno(in), &sb) != 0)
		goto out;
	backup_key(key, sub);
	crypto_secretstream_xchacha20poly1305_init_push(&s, hdr, sub);
	left = (uint64_t)sb.st_size;
	for (int i = 0; i < 8; i++)
		size[i] = (unsigned char)(left >> (56 - 8 * i));
	if (fwrite(magic(), 1, MAGIC_LEN, out) != MAGIC_LEN ||
	    fwrite(hdr, 1, HDRBYTES, out) != HDRBYTES ||
	    push(&s, out, size, sizeof(size), TAG_MSG, cbuf))
		goto out;
	do {
		n = left < CHUNK ? (size_t)left : CHUNK;
		if (fread(plain, 1, n, in) != n)
			goto out;
		left -= n;
		if (push(&s, out, plain, n, left ? TAG_MSG : TAG_FINAL, cbuf))
			goto out;
	} while (left);
	rc = 0;
out:
	sodium_memzero(sub, sizeof(sub));
	sodium_memzero(&s, sizeof(s));
	if (plain)
		sodium_memzero(plain, CHUNK);
	free(plain);
	free(cbuf);
	return rc;
}

/* Flush, fsync and close `fp`; -1 when any of it failed. */
static int close_synced(FILE *fp)
{
	int rc = fflush(fp) || fsync(fileno(fp)) ? -1 : 0;

	return fclose(fp) || rc ? -1 : 0;
}

static int write_backup(struct mrm_store *st, const char *plain_path,
			const char *tmp, struct mrm_error *err)
{
	FILE *in = NULL, *out = NULL;
	int fd, rc = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		rc = mrm_error_set(
			err, errno == EEXIST ? MRM_ERR_EXISTS : MRM_ERR_IO, tmp,
			"cannot create: %s%s", strerror(errno),
			errno == EEXIST ? " (left by an interrupted backup? "
					  "remove it)"
					: "");
		return rc;
	}
	out = fdopen(fd, "wb");
	in = fopen(plain_path, "rb");
	if (!out || !in) {
		rc = mrm_error_set(err, MRM_ERR_IO, tmp, "%s", strerror(errno));
		if (!out)
			close(fd);
		goto out;
	}
	if (encrypt_file(mrm_store_key(st), in, out))
		rc = mrm_error_set(err, MRM_ERR_IO, tmp,
				   "cannot write the backup: %s",
				   strerror(errno));
out:
	if (in)
		fclose(in);
	if (out && close_synced(out) && !rc)
		rc = mrm_error_set(err, MRM_ERR_IO, tmp,
				   "cannot write the backup: %s",
				   strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}

int mrm_backup_create(struct mrm_store *st, const char *out,
		      struct mrm_error *err)
{
	char *tmp = concat(out, ".tmp"), *plain = NULL;
	int rc = 0;

	if (!tmp) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, out, "out of memory");
		goto out;
	}
	if (exists(out)) {
		rc = mrm_error_set(err, MRM_ERR_EXISTS, out,
				   "already exists; a backup never overwrites "
				   "a file (choose a new name)");
		goto out;
	}
	rc = mrm_audit_note(
		st,
		&(struct mrm_audit_entry){.action = "backup", .detail = out},
		err);
	if (!rc)
		rc = private_temp(out, ".plain", &plain, err);
	if (!rc)
		rc = copy_db(st, plain, err);
	if (!rc)
		rc = write_backup(st, plain, tmp, err);
	if (!rc && rename(tmp, out) != 0) {
		rc = mrm_error_set(err, MRM_ERR_IO, out, "cannot rename %s: %s",
				   tmp, strerror(errno));
		unlink(tmp);
	}
out:
	if (plain)
		remove_db_files(plain);
	free(plain);
	free(tmp);
	return rc;
}

/* ---- restore ---- */

static int truncated(struct mrm_error *err, const char *from)
{
	return mrm_error_set(err, MRM_ERR_INVALID, from,
			     "backup is truncated (it ends before its final "
			     "chunk; copy it again from its source)");
}

static int altered(struct mrm_error *err, const char *from)
{
	return mrm_error_set(err, MRM_ERR_CRYPTO, from,
			     "backup was altered or the key is wrong (use the "
			     "key file of the database it was taken from)");
}

/* Read exactly `n` bytes: 0, 1 at end of file, -1 on a read error. */
static int read_exact(FILE *in, unsigned char *buf, size_t n)
{
	if (fread(buf, 1, n, in) == n)
		return 0;
	return ferror(in) ? -1 : 1;
}

/* Read and open one chunk of `plen` plain bytes into `plain`. */
static int pull(stream_state *s, FILE *in, unsigned char *cbuf,
		unsigned char *plain, size_t plen, unsigned char *tag,
		const char *from, struct mrm_error *err)
{
	int r = read_exact(in, cbuf, plen + ABYTES);

	if (r < 0)
		return mrm_error_set(err, MRM_ERR_IO, from, "%s",
				     strerror(errno));
	if (r > 0)
		return truncated(err, from);
	if (crypto_secretstream_xchacha20poly1305_pull(s, plain, NULL, tag,
						       cbuf, plen + ABYTES,
						       magic(), MAGIC_LEN) != 0)
		return altered(err, from);
	return 0;
}

/* Check the start of the backup and set up `s`; *size: the plain size. */
static int read_head(FILE *in, const struct mrm_key *key, stream_state *s,
		     uint64_t *size, const char *from, struct mrm_error *err)
{
	unsigned char sub[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char head[MAGIC_LEN], hdr[HDRBYTES], cbuf[8 + ABYTES], sz[8];
	unsigned char tag = 0;
	int rc;

	if (read_exact(in, head, MAGIC_LEN) || memcmp(head, magic(), MAGIC_LEN))
		return mrm_error_set(err, MRM_ERR_INVALID, from,
				     "not an mrm backup (it does not start "
				     "with \"mrm-backup-v1\"; backups are "
				     "written by mrm backup)");
	if (read_exact(in, hdr, HDRBYTES))
		return truncated(err, from);
	backup_key(key, sub);
	rc = crypto_secretstream_xchacha20poly1305_init_pull(s, hdr, sub);
	sodium_memzero(sub, sizeof(sub));
	if (rc)
		return altered(err, from);
	rc = pull(s, in, cbuf, sz, 8, &tag, from, err);
	if (!rc && tag != TAG_MSG)
		rc = altered(err, from);
	*size = 0;
	for (int i = 0; !rc && i < 8; i++)
		*size = *size << 8 | sz[i];
	return rc;
}

/* Decrypt the chunks after the head into `out`, checking the end. */
static int decrypt_body(FILE *in, FILE *out, stream_state *s, uint64_t left,
			const char *from, struct mrm_error *err)
{
	unsigned char *plain = malloc(CHUNK), *cbuf = malloc(CHUNK + ABYTES);
	unsigned char tag = 0;
	size_t n;
	int rc = 0;

	if (!plain || !cbuf) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, from, "out of memory");
		goto out;
	}
	do {
		n = left < CHUNK ? (size_t)left : CHUNK;
		rc = pull(s, in, cbuf, plain, n, &tag, from, err);
		if (rc)
			goto out;
		left -= n;
		/* The final tag exactly at the end: no chunk dropped. */
		if ((tag == TAG_FINAL) != (left == 0)) {
			rc = altered(err, from);
			goto out;
		}
		if (fwrite(plain, 1, n, out) != n) {
			rc = mrm_error_set(err, MRM_ERR_IO, from,
					   "cannot write the restored "
					   "database: %s",
					   strerror(errno));
			goto out;
		}
	} while (left);
	if (fgetc(in) != EOF)
		rc = mrm_error_set(err, MRM_ERR_CRYPTO, from,
				   "backup was altered or the key is wrong "
				   "(there are bytes after its end)");
out:
	if (plain)
		sodium_memzero(plain, CHUNK);
	free(plain);
	free(cbuf);
	return rc;
}

/* Decrypt `from` into the existing temporary file `tmp`. */
static int decrypt_to(const struct mrm_key *key, const char *from,
		      const char *tmp, struct mrm_error *err)
{
	FILE *in = fopen(from, "rb"), *out = NULL;
	stream_state s;
	uint64_t size = 0;
	int rc = 0;

	if (!in) {
		rc = mrm_error_set(err, MRM_ERR_IO, from, "cannot open: %s",
				   strerror(errno));
		goto out;
	}
	out = fopen(tmp, "wb");
	if (!out) {
		rc = mrm_error_set(err, MRM_ERR_IO, tmp, "cannot open: %s",
				   strerror(errno));
		goto out;
	}
	rc = read_head(in, key, &s, &size, from, err);
	if (!rc)
		rc = decrypt_body(in, out, &s, size, from, err);
out:
	sodium_memzero(&s, sizeof(s));
	if (in)
		fclose(in);
	if (out && close_synced(out) && !rc)
		rc = mrm_error_set(err, MRM_ERR_IO, tmp, "cannot write: %s",
				   strerror(errno));
	return rc;
}

/* Copy the key file `src` to the new file `dst` (mode 0600). */
static int copy_key(const char *src, const char *dst, struct mrm_error *err)
{
	char buf[256];
	ssize_t n;
	int in, out, rc = 0;

	in = open(src, O_RDONLY);
	if (in < 0)
		return mrm_error_set(err, MRM_ERR_IO, src, "%s",
				     strerror(errno));
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (out < 0) {
		rc = mrm_error_set(err, MRM_ERR_IO, dst,
				   "cannot create the key file: %s",
				   strerror(errno));
		goto out;
	}
	n = read(in, buf, sizeof(buf));
	if (n <= 0 || write(out, buf, (size_t)n) != n || fsync(out) != 0)
		rc = mrm_error_set(err, MRM_ERR_IO, dst,
				   "cannot write the key file: %s",
				   strerror(errno));
	if (close(out) && !rc)
		rc = mrm_error_set(err, MRM_ERR_IO, dst, "%s", strerror(errno));
	if (rc)
		unlink(dst);
out:
	sodium_memzero(buf, sizeof(buf));
	close(in);
	return rc;
}

static int check_new(const char *db_path, const char *key_out,
		     struct mrm_error *err)
{
	const char *p = exists(db_path) ? db_path : key_out;

	if (!exists(db_path) && !exists(key_out))
		return 0;
	return mrm_error_set(err, MRM_ERR_EXISTS, p,
			     "already exists; restore into a new file");
}

int mrm_backup_restore(const char *key_path, const char *from,
		       const char *db_path, struct mrm_error *err)
{
	char *key_out = mrm_key_path_for(db_path), *tmp = NULL;
	struct mrm_store *st = NULL;
	struct mrm_key key;
	int rc, key_made = 0, placed = 0;

	memset(&key, 0, sizeof(key));
	rc = key_out ? check_new(db_path, key_out, err)
		     : mrm_error_set(err, MRM_ERR_NOMEM, db_path,
				     "out of memory");
	if (!rc)
		rc = mrm_key_load(key_path, &key, err);
	if (!rc)
		rc = private_temp(db_path, ".restore", &tmp, err);
	if (!rc)
		rc = decrypt_to(&key, from, tmp, err);
	if (!rc) {
		rc = copy_key(key_path, key_out, err);
		key_made = !rc;
	}
	if (!rc && rename(tmp, db_path) != 0)
		rc = mrm_error_set(err, MRM_ERR_IO, db_path,
				   "cannot rename %s: %s", tmp,
				   strerror(errno));
	placed = !rc;
	if (!rc)
		rc = mrm_store_open(&st, db_path, err);
	if (!rc)
		rc = mrm_audit_note(
			st,
			&(struct mrm_audit_entry){.action = "restore",
						  .detail = from},
			err);
	if (rc && placed)
		mrm_error_prefix(err, "the restored database does not open");
	mrm_store_close(st);
	if (rc && placed)
		remove_db_files(db_path);
	if (rc && key_made)
		unlink(key_out);
	if (tmp)
		remove_db_files(tmp);
	mrm_key_wipe(&key);
	free(tmp);
	free(key_out);
	return rc;
}
