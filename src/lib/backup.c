/* backup.c - see include/mrm/backup.h */
#define _DEFAULT_SOURCE /* flock, mkdtemp */

#include "mrm/backup.h"

#include "mrm/audit.h"
#include "keyring_internal.h"
#include "mrm/crypto.h"
#include "mrm/keyring.h"
#include "mrm/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC_LEN (sizeof(MRM_BACKUP_MAGIC) - 1)
#define CHUNK	  (64 * 1024)
#define ABYTES	  crypto_secretstream_xchacha20poly1305_ABYTES
#define HDRBYTES  crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define KEYBYTES  crypto_secretstream_xchacha20poly1305_KEYBYTES
#define TAG_MSG	  crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL
#define NPUB	  crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_A	  crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SALT	  crypto_pwhash_SALTBYTES
#define SEALED	  (crypto_box_SEALBYTES + KEYBYTES)
#define TMP_TAG	  ".mrm-tmp-"

/* The version 2 header (see backup.h). */
enum {
	OFF_KIND = 14,
	OFF_SALT = 15,
	OFF_OPS = 31,
	OFF_MEM = 39,
	OFF_REC = 47,
	OFF_WRAP = 48,
	OFF_SEAL = OFF_WRAP + NPUB + KEYBYTES + AEAD_A,
	HEAD = OFF_SEAL + SEALED
};

typedef crypto_secretstream_xchacha20poly1305_state stream_state;

/* A backup's header as read or about to be written. */
struct head {
	unsigned char raw[HEAD]; /* the associated data of every chunk */
	size_t ad_len;		 /* MAGIC_LEN (version 1) or HEAD */
	int version, passphrase, recovery;
};

static int exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
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

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (56 - 8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
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

/* Key number `id` of the KEK: 1 the version 1 stream key, 2 the key that
 * wraps a version 2 file key. */
static void kek_subkey(const struct mrm_key *kek, unsigned id,
		       unsigned char sub[KEYBYTES])
{
	crypto_kdf_derive_from_key(sub, KEYBYTES, id, "mrmbakup", kek->bytes);
}

/* ---- the private directory of the plain copy ---- */

/* The directory holding `path` and the prefix of its private
 * directories, ".NAME.mrm-tmp-" (both malloc'd). */
static int tmp_prefix(const char *path, char **dir, char **prefix)
{
	const char *slash = strrchr(path, '/');
	char *base;

	*dir = slash ? strndup(path, (size_t)(slash - path + 1)) : strdup("./");
	base = concat(".", slash ? slash + 1 : path);
	*prefix = base ? concat(base, TMP_TAG) : NULL;
	free(base);
	return *dir && *prefix ? 0 : -1;
}

/* Remove the directory `path` and the files in it. */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	rmdir(path);
}

int mrm_backup_clean(const char *db_path)
{
	char *dir = NULL, *prefix = NULL, *p;
	struct dirent *de;
	DIR *d = NULL;
	int n = 0, fd;

	if (tmp_prefix(db_path, &dir, &prefix) || !(d = opendir(dir)))
		goto out;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		p = concat(dir, de->d_name);
		fd = p ? open(p,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		       : -1;
		/* A free lock: its process is gone. */
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
			remove_tree(p);
			n++;
		}
		if (fd >= 0)
			close(fd);
		free(p);
	}
out:
	if (d)
		closedir(d);
	free(dir);
	free(prefix);
	return n;
}

/* A private, locked directory beside `near` and the name of the copy in it. */
struct private_dir {
	char *path, *file;
	int fd;
};

static int private_dir_make(const char *near, struct private_dir *pd,
			    struct mrm_error *err)
{
	char *dir = NULL, *prefix = NULL, *tmpl = NULL;
	struct stat sb;
	int rc = 0, e = 0;

	pd->path = pd->file = NULL;
	pd->fd = -1;
	mrm_backup_clean(near);
	if (tmp_prefix(near, &dir, &prefix) ||
	    !(tmpl = concat(prefix, "XXXXXX"))) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, near, "out of memory");
		goto out;
	}
	/* Another process cleaning up may take a new directory before we
	 * lock it: then try again. */
	for (int tries = 0; tries < 3 && !pd->file; tries++) {
		free(pd->path);
		pd->path = concat(dir, tmpl);
		if (!pd->path || !mkdtemp(pd->path)) {
			e = errno;
			break;
		}
		pd->fd = open(pd->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pd->fd >= 0 && flock(pd->fd, LOCK_EX | LOCK_NB) == 0 &&
		    fstat(pd->fd, &sb) == 0 && sb.st_nlink > 0)
			pd->file = concat(pd->path, "/copy");
		else if (pd->fd >= 0)
			close(pd->fd);
	}
	if (!pd->file)
		rc = mrm_error_set(err, MRM_ERR_IO, near,
				   "cannot make a private directory beside "
				   "it: %s",
				   strerror(e ? e : EAGAIN));
out:
	if (rc && pd->fd >= 0)
		close(pd->fd);
	if (rc) {
		free(pd->path);
		pd->path = NULL;
		pd->fd = -1;
	}
	free(dir);
	free(prefix);
	free(tmpl);
	return rc;
}

static void private_dir_remove(struct private_dir *pd)
{
	if (pd->path)
		remove_tree(pd->path);
	if (pd->fd >= 0)
		close(pd->fd);
	free(pd->path);
	free(pd->file);
	pd->path = pd->file = NULL;
	pd->fd = -1;
}

/* ---- create ---- */

/* Copy the live database into the new file `dst_path`. */
static int copy_db(struct mrm_store *st, const char *dst_path,
		   struct mrm_error *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	int rc = 0, src;

	if (sqlite3_open_v2(dst_path, &dst,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
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

/*
 * The clear header of a backup of the copy `plain` (whose meta says how
 * its KEK is made and whether it has a recovery key), with the new file
 * key `fkey` wrapped under `kek`.
 */
static int make_head(const char *plain, const struct mrm_key *kek,
		     const unsigned char fkey[KEYBYTES], struct head *h,
		     struct mrm_error *err)
{
	unsigned char wrap[KEYBYTES];
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	h->version = 2;
	h->ad_len = HEAD;
	memcpy(h->raw, MRM_BACKUP_MAGIC, MAGIC_LEN);
	h->raw[OFF_KIND] = 'F';
	if (sqlite3_open_v2(plain, &db, SQLITE_OPEN_READONLY, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &s,
			       NULL)) {
		rc = mrm_error_set(err, MRM_ERR_DB, plain,
				   "cannot read the copy: %s",
				   sqlite3_errmsg(db));
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		const void *v = sqlite3_column_blob(s, 1);
		int n = sqlite3_column_bytes(s, 1);

		if (!strcmp(k, "kek") && n == 10 &&
		    !memcmp(v, "passphrase", 10))
			h->raw[OFF_KIND] = 'P';
		else if (!strcmp(k, "kek_salt") && n == SALT)
			memcpy(h->raw + OFF_SALT, v, SALT);
		else if (!strcmp(k, "kek_ops"))
			put64(h->raw + OFF_OPS,
			      (uint64_t)sqlite3_column_int64(s, 1));
		else if (!strcmp(k, "kek_mem"))
			put64(h->raw + OFF_MEM,
			      (uint64_t)sqlite3_column_int64(s, 1));
		else if (!strcmp(k, "recovery_pk") &&
			 n == crypto_box_PUBLICKEYBYTES) {
			crypto_box_seal(h->raw + OFF_SEAL, fkey, KEYBYTES, v);
			h->raw[OFF_REC] = 1;
		}
	}
	h->passphrase = h->raw[OFF_KIND] == 'P';
	h->recovery = h->raw[OFF_REC];
	if (!h->passphrase) /* a key file's database keeps no salt */
		memset(h->raw + OFF_SALT, 0, OFF_REC - OFF_SALT);
	kek_subkey(kek, 2, wrap);
	randombytes_buf(h->raw + OFF_WRAP, NPUB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
		h->raw + OFF_WRAP + NPUB, NULL, fkey, KEYBYTES, h->raw,
		OFF_WRAP, NULL, h->raw + OFF_WRAP, wrap);
	sodium_memzero(wrap, sizeof(wrap));
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

static int push(stream_state *s, FILE *out, const struct head *h,
		const unsigned char *m, size_t len, unsigned char tag,
		unsigned char *cbuf)
{
	unsigned long long clen = 0;

	crypto_secretstream_xchacha20poly1305_push(s, cbuf, &clen, m, len,
						   h->raw, h->ad_len, tag);
	return fwrite(cbuf, 1, clen, out) == clen ? 0 : -1;
}

/* Encrypt the plain file `in` into `out` after the header `h`. */
static int encrypt_file(const unsigned char fkey[KEYBYTES],
			const struct head *h, FILE *in, FILE *out)
{
	unsigned char hdr[HDRBYTES], size[8];
	unsigned char *plain = malloc(CHUNK), *cbuf = malloc(CHUNK + ABYTES);
	stream_state s;
	struct stat sb;
	uint64_t left;
	size_t n;
	int rc = -1;

	if (!plain || !cbuf || fstat(fileno(in), &sb) != 0)
		goto out;
	crypto_secretstream_xchacha20poly1305_init_push(&s, hdr, fkey);
	left = (uint64_t)sb.st_size;
	put64(size, left);
	if (fwrite(h->raw, 1, h->ad_len, out) != h->ad_len ||
	    fwrite(hdr, 1, HDRBYTES, out) != HDRBYTES ||
	    push(&s, out, h, size, sizeof(size), TAG_MSG, cbuf))
		goto out;
	do {
		n = left < CHUNK ? (size_t)left : CHUNK;
		if (fread(plain, 1, n, in) != n)
			goto out;
		left -= n;
		if (push(&s, out, h, plain, n, left ? TAG_MSG : TAG_FINAL,
			 cbuf))
			goto out;
	} while (left);
	rc = 0;
out:
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
	unsigned char fkey[KEYBYTES];
	struct head h;
	FILE *in = NULL, *out = NULL;
	int fd, rc;

	crypto_secretstream_xchacha20poly1305_keygen(fkey);
	rc = make_head(plain_path, mrm_store_key(st), fkey, &h, err);
	if (rc)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		rc = mrm_error_set(
			err, errno == EEXIST ? MRM_ERR_EXISTS : MRM_ERR_IO, tmp,
			"cannot create: %s%s", strerror(errno),
			errno == EEXIST ? " (left by an interrupted backup? "
					  "remove it)"
					: "");
		goto out;
	}
	out = fdopen(fd, "wb");
	in = fopen(plain_path, "rb");
	if (!out || !in) {
		rc = mrm_error_set(err, MRM_ERR_IO, tmp, "%s", strerror(errno));
		if (!out)
			close(fd);
	} else if (encrypt_file(fkey, &h, in, out)) {
		rc = mrm_error_set(err, MRM_ERR_IO, tmp,
				   "cannot write the backup: %s",
				   strerror(errno));
	}
	if (in)
		fclose(in);
	if (out && close_synced(out) && !rc)
		rc = mrm_error_set(err, MRM_ERR_IO, tmp,
				   "cannot write the backup: %s",
				   strerror(errno));
	if (rc)
		unlink(tmp);
out:
	sodium_memzero(fkey, sizeof(fkey));
	return rc;
}

int mrm_backup_create(struct mrm_store *st, const char *out,
		      struct mrm_error *err)
{
	struct private_dir pd = {NULL, NULL, -1};
	char *tmp = concat(out, ".tmp");
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
	/* The plain copy goes beside the database, never beside the
	 * output, which may be on removable media. */
	if (!rc)
		rc = private_dir_make(mrm_store_path(st), &pd, err);
	if (!rc)
		rc = copy_db(st, pd.file, err);
	if (!rc)
		rc = write_backup(st, pd.file, tmp, err);
	if (!rc && rename(tmp, out) != 0) {
		rc = mrm_error_set(err, MRM_ERR_IO, out, "cannot rename %s: %s",
				   tmp, strerror(errno));
		unlink(tmp);
	}
out:
	private_dir_remove(&pd);
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

/* Read and check the clear header (up to the secretstream header). */
static int read_head(FILE *in, struct head *h, const char *from,
		     struct mrm_error *err)
{
	int r;

	memset(h, 0, sizeof(*h));
	if (read_exact(in, h->raw, MAGIC_LEN) == 0 &&
	    !memcmp(h->raw, MRM_BACKUP_MAGIC_V1, MAGIC_LEN)) {
		h->version = 1;
		h->ad_len = MAGIC_LEN;
		return 0;
	}
	if (memcmp(h->raw, MRM_BACKUP_MAGIC, MAGIC_LEN))
		return mrm_error_set(err, MRM_ERR_INVALID, from,
				     "not an mrm backup (it does not start "
				     "with \"mrm-backup-v2\" or \"-v1\"; "
				     "backups are written by mrm backup)");
	r = read_exact(in, h->raw + MAGIC_LEN, HEAD - MAGIC_LEN);
	if (r < 0)
		return mrm_error_set(err, MRM_ERR_IO, from, "%s",
				     strerror(errno));
	if (r > 0)
		return truncated(err, from);
	h->version = 2;
	h->ad_len = HEAD;
	h->passphrase = h->raw[OFF_KIND] == 'P';
	h->recovery = h->raw[OFF_REC] == 1;
	if ((h->raw[OFF_KIND] != 'F' && !h->passphrase) || h->raw[OFF_REC] > 1)
		return mrm_error_set(err, MRM_ERR_CRYPTO, from,
				     "backup was altered (its header names "
				     "no key kind this program knows)");
	return 0;
}

int mrm_backup_info(const char *from, struct mrm_backup_info *info,
		    struct mrm_error *err)
{
	FILE *in = fopen(from, "rb");
	struct head h;
	int rc;

	memset(info, 0, sizeof(*info));
	if (!in)
		return mrm_error_set(err, MRM_ERR_IO, from, "cannot open: %s",
				     strerror(errno));
	rc = read_head(in, &h, from, err);
	fclose(in);
	info->version = h.version;
	info->passphrase = h.passphrase;
	info->recovery = h.recovery;
	return rc;
}

/* The file key of `h` from the recovery key `text`. */
static int key_by_recovery(const struct head *h, const char *text,
			   unsigned char fkey[KEYBYTES], const char *from,
			   struct mrm_error *err)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES],
		sk[crypto_box_SECRETKEYBYTES];
	int rc = 0;

	if (!h->recovery)
		return mrm_error_set(err, MRM_ERR_CRYPTO, from,
				     "a recovery key cannot open this backup: "
				     "%s",
				     h->version == 1
					     ? "its format (version 1) has no "
					       "recovery copy of its key"
					     : "its database had no recovery "
					       "key when it was backed up");
	rc = keyring_recovery_keypair(text, pk, sk, err);
	if (!rc &&
	    crypto_box_seal_open(fkey, h->raw + OFF_SEAL, SEALED, pk, sk) != 0)
		rc = mrm_error_set(err, MRM_ERR_CRYPTO, from,
				   "the recovery key does not open this "
				   "backup (it is not the recovery key its "
				   "database had when it was backed up)");
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

/* The KEK of the backup's database into `kek`, as `u` says. */
static int kek_of(const struct head *h, const struct mrm_backup_unlock *u,
		  struct mrm_key *kek, const char *from, struct mrm_error *err)
{
	if (h->version == 1 && !u->key_path)
		return mrm_error_set(
			err, MRM_ERR_INVALID, from,
			"this backup (format version 1) opens only with the "
			"key file of its database; a version 1 backup of a "
			"database locked with a passphrase cannot be restored "
			"(see docs/keys.md)");
	if (h->passphrase && !u->passphrase)
		return mrm_error_set(err, MRM_ERR_INVALID, from,
				     "this backup is of a database locked "
				     "with a passphrase: give that passphrase "
				     "(or the recovery key), not a key file");
	if (h->version == 2 && !h->passphrase && !u->key_path)
		return mrm_error_set(err, MRM_ERR_INVALID, from,
				     "this backup is of a database that opens "
				     "with a key file: give that key file "
				     "(DB.key), or the recovery key");
	if (!h->passphrase)
		return mrm_key_load(u->key_path, kek, err);
	return keyring_kek_argon2(kek, u->passphrase, u->passphrase_len,
				  h->raw + OFF_SALT, get64(h->raw + OFF_OPS),
				  (size_t)get64(h->raw + OFF_MEM), err);
}

/* The stream key of `h` into `fkey`, and the KEK into `kek`. */
static int stream_key(const struct head *h, const struct mrm_backup_unlock *u,
		      struct mrm_key *kek, unsigned char fkey[KEYBYTES],
		      const char *from, struct mrm_error *err)
{
	unsigned char wrap[KEYBYTES];
	int rc;

	if (u->recovery)
		return key_by_recovery(h, u->recovery, fkey, from, err);
	rc = kek_of(h, u, kek, from, err);
	if (rc || h->version == 1) {
		if (!rc)
			kek_subkey(kek, 1, fkey);
		return rc;
	}
	kek_subkey(kek, 2, wrap);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    fkey, NULL, NULL, h->raw + OFF_WRAP + NPUB,
		    KEYBYTES + AEAD_A, h->raw, OFF_WRAP, h->raw + OFF_WRAP,
		    wrap) != 0)
		rc = h->passphrase
			     ? mrm_error_set(err, MRM_ERR_CRYPTO, from,
					     "the passphrase is wrong (or the "
					     "backup was altered)")
			     : altered(err, from);
	sodium_memzero(wrap, sizeof(wrap));
	return rc;
}

/* Read and open one chunk of `plen` plain bytes into `plain`. */
static int pull(stream_state *s, const struct head *h, FILE *in,
		unsigned char *cbuf, unsigned char *plain, size_t plen,
		unsigned char *tag, const char *from, struct mrm_error *err)
{
	int r = read_exact(in, cbuf, plen + ABYTES);

	if (r < 0)
		return mrm_error_set(err, MRM_ERR_IO, from, "%s",
				     strerror(errno));
	if (r > 0)
		return truncated(err, from);
	if (crypto_secretstream_xchacha20poly1305_pull(s, plain, NULL, tag,
						       cbuf, plen + ABYTES,
						       h->raw, h->ad_len) != 0)
		return altered(err, from);
	return 0;
}

/* Set up `s` from the stream header and read the size chunk. */
static int read_start(FILE *in, const struct head *h,
		      const unsigned char fkey[KEYBYTES], stream_state *s,
		      uint64_t *size, const char *from, struct mrm_error *err)
{
	unsigned char hdr[HDRBYTES], cbuf[8 + ABYTES], sz[8];
	unsigned char tag = 0;
	int rc;

	*size = 0;
	if (read_exact(in, hdr, HDRBYTES))
		return truncated(err, from);
	if (crypto_secretstream_xchacha20poly1305_init_pull(s, hdr, fkey))
		return altered(err, from);
	rc = pull(s, h, in, cbuf, sz, 8, &tag, from, err);
	if (!rc && tag != TAG_MSG)
		rc = altered(err, from);
	if (!rc)
		*size = get64(sz);
	return rc;
}

/* Decrypt the chunks after the size into `out`, checking the end. */
static int decrypt_body(FILE *in, FILE *out, const struct head *h,
			stream_state *s, uint64_t left, const char *from,
			struct mrm_error *err)
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
		rc = pull(s, h, in, cbuf, plain, n, &tag, from, err);
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

/* Decrypt the rest of `in` (after the header `h`) into the new file `tmp`. */
static int decrypt_to(FILE *in, const struct head *h,
		      const unsigned char fkey[KEYBYTES], const char *from,
		      const char *tmp, struct mrm_error *err)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	stream_state s;
	uint64_t size = 0;
	int rc = 0;

	if (!out) {
		rc = mrm_error_set(err, MRM_ERR_IO, tmp, "cannot create: %s",
				   strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	rc = read_start(in, h, fkey, &s, &size, from, err);
	if (!rc)
		rc = decrypt_body(in, out, h, &s, size, from, err);
	sodium_memzero(&s, sizeof(s));
	if (close_synced(out) && !rc)
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

static int check_unlock(const struct mrm_backup_unlock *u, const char *from,
			struct mrm_error *err)
{
	int n = !!u->key_path + !!u->passphrase + !!u->recovery;

	if (n != 1)
		return mrm_error_set(err, MRM_ERR_INVALID, from,
				     "give one of: the key file, the "
				     "passphrase or the recovery key");
	if (u->recovery && !u->new_kek)
		return mrm_error_set(err, MRM_ERR_INVALID, from,
				     "with the recovery key, say which new "
				     "key the restored database gets (a key "
				     "file or a passphrase)");
	return 0;
}

/* Open the restored database `db_path` as `u` says, to check it. */
static int open_restored(const struct mrm_backup_unlock *u,
			 const struct head *h, const struct mrm_key *kek,
			 const char *from, const char *db_path,
			 const char **note, struct mrm_error *err)
{
	struct mrm_store *st = NULL;
	int rc;

	/* A recovery is audited as such by mrm_keys_recover(). */
	if (u->recovery)
		rc = mrm_keys_recover(db_path, u->recovery, u->new_kek, note,
				      err);
	else if (h->passphrase)
		rc = mrm_store_open_kek(&st, db_path, kek, err);
	else
		rc = mrm_store_open(&st, db_path, err);
	if (!rc && st)
		rc = mrm_audit_note(
			st,
			&(struct mrm_audit_entry){.action = "restore",
						  .detail = from},
			err);
	mrm_store_close(st);
	if (rc)
		mrm_error_prefix(err, "the restored database does not open");
	return rc;
}

int mrm_backup_restore_with(const struct mrm_backup_unlock *u, const char *from,
			    const char *db_path, const char **note,
			    struct mrm_error *err)
{
	char *key_out = mrm_key_path_for(db_path);
	unsigned char fkey[KEYBYTES];
	struct private_dir pd = {NULL, NULL, -1};
	struct mrm_key kek;
	struct head h;
	FILE *in = NULL;
	int rc, key_made = 0, placed = 0;

	if (note)
		*note = NULL;
	memset(&kek, 0, sizeof(kek));
	rc = key_out ? check_new(db_path, key_out, err)
		     : mrm_error_set(err, MRM_ERR_NOMEM, db_path,
				     "out of memory");
	if (!rc)
		rc = check_unlock(u, from, err);
	if (!rc)
		rc = mrm_crypto_init(err);
	if (!rc && !(in = fopen(from, "rb")))
		rc = mrm_error_set(err, MRM_ERR_IO, from, "cannot open: %s",
				   strerror(errno));
	if (!rc)
		rc = read_head(in, &h, from, err);
	/* A wrong key is found here, before any file is made. */
	if (!rc)
		rc = stream_key(&h, u, &kek, fkey, from, err);
	if (!rc)
		rc = private_dir_make(db_path, &pd, err);
	if (!rc)
		rc = decrypt_to(in, &h, fkey, from, pd.file, err);
	if (!rc && u->key_path) {
		rc = copy_key(u->key_path, key_out, err);
		key_made = !rc;
	}
	if (!rc && rename(pd.file, db_path) != 0)
		rc = mrm_error_set(err, MRM_ERR_IO, db_path,
				   "cannot rename %s: %s", pd.file,
				   strerror(errno));
	placed = !rc;
	if (!rc)
		rc = open_restored(u, &h, &kek, from, db_path, note, err);
	if (rc && placed)
		remove_db_files(db_path);
	/* a recovery may have made the key file before failing */
	if (rc && (key_made || (placed && u->recovery)))
		unlink(key_out);
	if (in)
		fclose(in);
	private_dir_remove(&pd);
	sodium_memzero(fkey, sizeof(fkey));
	mrm_key_wipe(&kek);
	free(key_out);
	return rc;
}

int mrm_backup_restore(const char *key_path, const char *from,
		       const char *db_path, struct mrm_error *err)
{
	const struct mrm_backup_unlock u = {.key_path = key_path};

	return mrm_backup_restore_with(&u, from, db_path, NULL, err);
}
