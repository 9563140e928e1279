/* keyring.c - see include/mrm/keyring.h */
#include "mrm/keyring.h"

#include "keyring_internal.h"
#include "mrm/audit.h"
#include "mrm/backup.h"
#include "mrm/fields.h"
#include "mrm/org.h"
#include "mrm/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VB	   MRM_KEY_VERSION_BYTES
#define CACHE_MAX  64
#define KEYCHECK   "mrm key check"
#define SALT_BYTES crypto_pwhash_SALTBYTES
#define SEED_BYTES crypto_box_SEEDBYTES
#define REC_SUM	   3  /* checksum bytes after the 32 of a recovery key */
#define REC_CHARS  56 /* (32 + 3) * 8 / 5 */
#define REC_AD_MAX 64

struct dek {
	int64_t org;
	uint32_t version;
	struct mrm_key key;
};

/* Unwrapped DEKs and current versions, dropped whenever the database
 * changed under us (another connection's commit may have rotated or wiped
 * keys): SQLITE_FCNTL_DATA_VERSION tells. */
struct mrm_keyring {
	struct dek dek[CACHE_MAX];
	size_t ndek;
	struct {
		int64_t org;
		uint32_t version;
	} cur[CACHE_MAX];
	size_t ncur;
	unsigned data_version;
	int legacy; /* version 0 (the old database key = the KEK) readable */
};

/* ---- small helpers ---- */

/* The key rows the audit log hashes: of one organisation, of all. */
#define KEYS_OF_ORG "SELECT * FROM org_key WHERE org_id = ? ORDER BY version"
#define ALL_KEYS    "SELECT * FROM org_key ORDER BY org_id, version"

static int exec(struct mrm_store *st, const char *sql, struct mrm_error *err)
{
	if (sqlite3_exec(mrm_store_db(st), sql, NULL, NULL, NULL) != SQLITE_OK)
		return mrm_store_fail(st, err, sql);
	return 0;
}

static int nomem(struct mrm_error *err)
{
	return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
}

static void be32_put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t be32_get(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void wrap_ad(char *ad, size_t size, int64_t org, uint32_t version)
{
	snprintf(ad, size, "org_key/%lld/%u", (long long)org, version);
}

static struct mrm_keyring *ring(struct mrm_store *st)
{
	struct mrm_keyring **kr = store_keyring(st);

	if (!*kr)
		*kr = calloc(1, sizeof(**kr));
	return *kr;
}

static void ring_flush(struct mrm_keyring *kr)
{
	sodium_memzero(kr->dek, sizeof(kr->dek));
	kr->ndek = 0;
	kr->ncur = 0;
}

void keyring_free(struct mrm_keyring *kr)
{
	if (kr)
		ring_flush(kr);
	free(kr);
}

/* Drop what another connection's commit may have made stale. */
static void ring_check(struct mrm_store *st, struct mrm_keyring *kr)
{
	unsigned v = 0;

	sqlite3_file_control(mrm_store_db(st), "main",
			     SQLITE_FCNTL_DATA_VERSION, &v);
	if (v != kr->data_version) {
		ring_flush(kr);
		kr->data_version = v;
	}
}

/* The checkpoint that leaves no old page in the WAL: 1 when complete. */
static int checkpoint(struct mrm_store *st)
{
	int log = -1, done = -1;

	return sqlite3_wal_checkpoint_v2(mrm_store_db(st), NULL,
					 SQLITE_CHECKPOINT_TRUNCATE, &log,
					 &done) == SQLITE_OK;
}

/* ---- the KEK ---- */

static void kdf_limits(enum mrm_kdf_level l, unsigned long long *ops,
		       size_t *mem)
{
	switch (l) {
	case MRM_KDF_INTERACTIVE:
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case MRM_KDF_SENSITIVE:
		*ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		*mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	default:
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
	}
}

int mrm_kdf_level_parse(const char *s, enum mrm_kdf_level *out,
			struct mrm_error *err)
{
	if (!strcmp(s, "moderate"))
		*out = MRM_KDF_MODERATE;
	else if (!strcmp(s, "interactive"))
		*out = MRM_KDF_INTERACTIVE;
	else if (!strcmp(s, "sensitive"))
		*out = MRM_KDF_SENSITIVE;
	else
		return mrm_error_set(err, MRM_ERR_INVALID, "--kdf",
				     "\"%s\" is not interactive (64 MiB), "
				     "moderate (256 MiB) or sensitive (1 GiB)",
				     s);
	return 0;
}

static int argon2(struct mrm_key *kek, const char *pass, size_t len,
		  const unsigned char *salt, unsigned long long ops, size_t mem,
		  struct mrm_error *err)
{
	if (crypto_pwhash(kek->bytes, sizeof(kek->bytes), pass, len, salt, ops,
			  mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
				     "deriving the key from the passphrase "
				     "needs %zu MiB of memory, which this "
				     "machine refused",
				     mem >> 20);
	return 0;
}

static int meta_get(struct mrm_store *st, const char *key, sqlite3_stmt **s)
{
	*s = mrm_store_prepare(st, "SELECT value FROM meta WHERE key = ?");
	if (!*s)
		return -1;
	sqlite3_bind_text(*s, 1, key, -1, SQLITE_STATIC);
	return sqlite3_step(*s) == SQLITE_ROW ? 1 : 0;
}

static int64_t meta_int(struct mrm_store *st, const char *key)
{
	sqlite3_stmt *s;
	int64_t v = meta_get(st, key, &s) == 1 ? sqlite3_column_int64(s, 0) : 0;

	if (s)
		sqlite3_reset(s);
	return v;
}

static int meta_put(struct mrm_store *st, const char *key, const void *blob,
		    size_t len, int64_t num, struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
	int rc = 0;

	if (!s)
		return mrm_store_fail(st, err, "meta");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (blob)
		sqlite3_bind_blob(s, 2, blob, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 2, num);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "meta");
	sqlite3_reset(s);
	return rc;
}

static int meta_del(struct mrm_store *st, const char *key,
		    struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(st, "DELETE FROM meta WHERE key=?");
	int rc = 0;

	if (!s)
		return mrm_store_fail(st, err, "meta");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "meta");
	sqlite3_reset(s);
	return rc;
}

int keyring_kek_is_passphrase(struct mrm_store *st)
{
	sqlite3_stmt *s;
	int yes =
		meta_get(st, "kek", &s) == 1 &&
		!strcmp((const char *)sqlite3_column_text(s, 0), "passphrase");

	if (s)
		sqlite3_reset(s);
	return yes;
}

int keyring_kek_derive(struct mrm_store *st, const char *pass, size_t len,
		       struct mrm_error *err)
{
	unsigned char salt[SALT_BYTES];
	unsigned long long ops = (unsigned long long)meta_int(st, "kek_ops");
	size_t mem = (size_t)meta_int(st, "kek_mem");
	sqlite3_stmt *s;
	int ok = meta_get(st, "kek_salt", &s) == 1 &&
		 sqlite3_column_bytes(s, 0) == (int)SALT_BYTES;

	if (ok)
		memcpy(salt, sqlite3_column_blob(s, 0), SALT_BYTES);
	if (s)
		sqlite3_reset(s);
	if (!ok || ops < crypto_pwhash_OPSLIMIT_MIN ||
	    mem < crypto_pwhash_MEMLIMIT_MIN)
		return mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
				     "the passphrase's salt and limits are "
				     "missing from the database (damaged?)");
	return argon2(store_kek(st), pass, len, salt, ops, mem, err);
}

/* Write the key check and the KEK's kind and parameters (in a txn). */
static int kek_meta(struct mrm_store *st, const struct mrm_key *kek,
		    const unsigned char *salt, unsigned long long ops,
		    size_t mem, struct mrm_error *err)
{
	struct mrm_buf sealed = MRM_BUF_INIT(256);
	int rc = mrm_seal(kek, "meta/keycheck", KEYCHECK, strlen(KEYCHECK),
			  &sealed, err);

	if (!rc)
		rc = meta_put(st, "keycheck", sealed.ptr, sealed.len, 0, err);
	if (!rc)
		rc = meta_put(st, "kek", salt ? "passphrase" : "file",
			      salt ? 10 : 4, 0, err);
	if (!rc && salt) {
		rc = meta_put(st, "kek_salt", salt, SALT_BYTES, 0, err);
		if (!rc)
			rc = meta_put(st, "kek_ops", NULL, 0, (int64_t)ops,
				      err);
		if (!rc)
			rc = meta_put(st, "kek_mem", NULL, 0, (int64_t)mem,
				      err);
	} else if (!rc) {
		rc = meta_del(st, "kek_salt", err);
		if (!rc)
			rc = meta_del(st, "kek_ops", err);
		if (!rc)
			rc = meta_del(st, "kek_mem", err);
	}
	mrm_buf_release(&sealed);
	return rc;
}

/* A new KEK from `spec` (a passphrase) into `kek`, with its salt. */
static int kek_from_spec(const struct mrm_kek_spec *spec, struct mrm_key *kek,
			 unsigned char salt[SALT_BYTES],
			 unsigned long long *ops, size_t *mem,
			 struct mrm_error *err)
{
	if (spec->passphrase_len < MRM_PASSPHRASE_MIN ||
	    spec->passphrase_len > MRM_PASSPHRASE_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "passphrase",
				     "must be %d to %d bytes long (a few "
				     "words you can remember are best)",
				     MRM_PASSPHRASE_MIN, MRM_PASSPHRASE_MAX);
	randombytes_buf(salt, SALT_BYTES);
	kdf_limits(spec->kdf, ops, mem);
	return argon2(kek, spec->passphrase, spec->passphrase_len, salt, *ops,
		      *mem, err);
}

int keyring_kek_init(struct mrm_store *st, const struct mrm_kek_spec *spec,
		     struct mrm_error *err)
{
	unsigned char salt[SALT_BYTES];
	unsigned long long ops = 0;
	size_t mem = 0;
	int rc = 0;

	if (spec && spec->passphrase)
		rc = kek_from_spec(spec, store_kek(st), salt, &ops, &mem, err);
	if (!rc)
		rc = kek_meta(st, store_kek(st),
			      spec && spec->passphrase ? salt : NULL, ops, mem,
			      err);
	return rc;
}

int keyring_keycheck(struct mrm_store *st, const char *what,
		     struct mrm_error *err)
{
	struct mrm_buf plain = MRM_BUF_INIT(256);
	sqlite3_stmt *s;
	int rc = 0, got = meta_get(st, "keycheck", &s);

	if (got != 1)
		rc = mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
				   "not an mrm database (no key check)");
	else if (mrm_unseal(store_kek(st), "meta/keycheck",
			    sqlite3_column_blob(s, 0),
			    (size_t)sqlite3_column_bytes(s, 0), &plain, NULL) ||
		 strcmp(mrm_buf_str(&plain), KEYCHECK))
		rc = mrm_error_set(err, MRM_ERR_CRYPTO, mrm_store_path(st),
				   "the key does not open this database: %s "
				   "does not unlock %s (wrong %s?)",
				   what, mrm_store_path(st),
				   keyring_kek_is_passphrase(st) ? "passphrase"
								 : "key file");
	if (s)
		sqlite3_reset(s);
	mrm_buf_release(&plain);
	return rc;
}

/* ---- data keys ---- */

static int unwrap(struct mrm_store *st, const struct mrm_key *kek, int64_t org,
		  uint32_t version, const void *w, size_t wlen,
		  struct mrm_key *dek, struct mrm_error *err)
{
	struct mrm_buf plain = MRM_BUF_INIT(64);
	char ad[64];
	int rc;

	wrap_ad(ad, sizeof(ad), org, version);
	rc = mrm_unseal(kek, ad, w, wlen, &plain, NULL);
	if (!rc && plain.len != MRM_KEY_BYTES)
		rc = MRM_ERR_CRYPTO;
	if (rc)
		rc = mrm_error_set(err, MRM_ERR_CRYPTO, mrm_store_path(st),
				   "key version %u of organisation %lld does "
				   "not unwrap (damaged, or moved from another "
				   "organisation)",
				   version, (long long)org);
	else
		memcpy(dek->bytes, plain.ptr, MRM_KEY_BYTES);
	if (plain.ptr)
		sodium_memzero(plain.ptr, plain.cap);
	mrm_buf_release(&plain);
	return rc;
}

static int wrap(const struct mrm_key *kek, int64_t org, uint32_t version,
		const struct mrm_key *dek, struct mrm_buf *out,
		struct mrm_error *err)
{
	char ad[64];

	wrap_ad(ad, sizeof(ad), org, version);
	mrm_buf_reset(out);
	return mrm_seal(kek, ad, dek->bytes, MRM_KEY_BYTES, out, err);
}

/* Seal `dek` || its wrap AD to the recovery public key `pk` into `out`. */
static int recovery_wrap(
	const unsigned char *pk, int64_t org, uint32_t version,
	const struct mrm_key *dek,
	unsigned char out[crypto_box_SEALBYTES + MRM_KEY_BYTES + REC_AD_MAX])
{
	unsigned char m[MRM_KEY_BYTES + REC_AD_MAX];

	memset(m, 0, sizeof(m));
	memcpy(m, dek->bytes, MRM_KEY_BYTES);
	wrap_ad((char *)m + MRM_KEY_BYTES, REC_AD_MAX, org, version);
	crypto_box_seal(out, m, sizeof(m), pk);
	sodium_memzero(m, sizeof(m));
	return 0;
}

#define REC_WRAP_BYTES (crypto_box_SEALBYTES + MRM_KEY_BYTES + REC_AD_MAX)

static int dek_store(struct mrm_store *st, int64_t org, uint32_t version,
		     const struct mrm_key *dek, struct mrm_error *err)
{
	struct mrm_buf w = MRM_BUF_INIT(256);
	unsigned char rec[REC_WRAP_BYTES];
	struct mrm_audit_change c = {.table = "org_key",
				     .record = org,
				     .sql = KEYS_OF_ORG,
				     .arg = org};
	sqlite3_stmt *s, *m;
	char detail[32];
	/* sealing outside a transaction makes its key in one of its own */
	int own = sqlite3_get_autocommit(mrm_store_db(st));
	int rc = wrap(store_kek(st), org, version, dek, &w, err), has_pk;

	if (!rc && own)
		rc = mrm_store_begin(st, err);
	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	if (rc)
		goto out;
	has_pk = meta_get(st, "recovery_pk", &m) == 1 &&
		 sqlite3_column_bytes(m, 0) == crypto_box_PUBLICKEYBYTES;
	if (has_pk)
		recovery_wrap(sqlite3_column_blob(m, 0), org, version, dek,
			      rec);
	if (m)
		sqlite3_reset(m);
	s = mrm_store_prepare(st, "INSERT INTO org_key(org_id, version, "
				  "wrapped, recovery) VALUES (?, ?, ?, ?)");
	if (!s) {
		rc = mrm_store_fail(st, err, "org_key");
		goto out;
	}
	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_int64(s, 2, version);
	sqlite3_bind_blob(s, 3, w.ptr, (int)w.len, SQLITE_STATIC);
	if (has_pk)
		sqlite3_bind_blob(s, 4, rec, sizeof(rec), SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "storing a new data key");
	sqlite3_reset(s);
	snprintf(detail, sizeof(detail), "version %u", version);
	if (!rc)
		rc = mrm_audit_change_end(st, &c, "key-create", detail, err);
out:
	if (own && !rc)
		rc = mrm_store_commit(st, err);
	if (own && rc)
		mrm_store_rollback(st);
	mrm_buf_release(&w);
	return rc;
}

static int ring_put(struct mrm_keyring *kr, int64_t org, uint32_t version,
		    const struct mrm_key *key)
{
	if (kr->ndek == CACHE_MAX)
		ring_flush(kr);
	kr->dek[kr->ndek].org = org;
	kr->dek[kr->ndek].version = version;
	kr->dek[kr->ndek++].key = *key;
	return 0;
}

static int destroyed(struct mrm_store *st, int64_t org, uint32_t version,
		     struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "SELECT last_version, wiped FROM org_key_wiped "
		    "WHERE org_id = ?");
	int rc;

	if (!s)
		return mrm_store_fail(st, err, "org_key_wiped");
	sqlite3_bind_int64(s, 1, org);
	if (sqlite3_step(s) == SQLITE_ROW &&
	    version <= (uint32_t)sqlite3_column_int64(s, 0))
		rc = mrm_error_set(err, MRM_ERR_DESTROYED, NULL,
				   "the keys of organisation %lld were "
				   "destroyed by mrm wipe on %s",
				   (long long)org, sqlite3_column_text(s, 1));
	else
		rc = mrm_error_set(err, MRM_ERR_CRYPTO, NULL,
				   "no key version %u for organisation %lld "
				   "(the value was altered or moved?)",
				   version, (long long)org);
	sqlite3_reset(s);
	return rc;
}

/* The DEK `version` of `org` (pointing into the cache). */
static int dek_get(struct mrm_store *st, int64_t org, uint32_t version,
		   const struct mrm_key **out, struct mrm_error *err)
{
	struct mrm_keyring *kr = ring(st);
	struct mrm_key k;
	sqlite3_stmt *s;
	int rc;

	if (!kr)
		return nomem(err);
	ring_check(st, kr);
	if (version == 0 && kr->legacy) {
		*out = store_kek(st);
		return 0;
	}
	for (size_t i = 0; i < kr->ndek; i++)
		if (kr->dek[i].org == org && kr->dek[i].version == version) {
			*out = &kr->dek[i].key;
			return 0;
		}
	s = mrm_store_prepare(st, "SELECT wrapped FROM org_key "
				  "WHERE org_id = ? AND version = ?");
	if (!s)
		return mrm_store_fail(st, err, "org_key");
	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_int64(s, 2, version);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return destroyed(st, org, version, err);
	}
	rc = unwrap(st, store_kek(st), org, version, sqlite3_column_blob(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0), &k, err);
	sqlite3_reset(s);
	if (!rc) {
		ring_put(kr, org, version, &k);
		*out = &kr->dek[kr->ndek - 1].key;
	}
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* Highest version `org` ever had, kept or wiped (0: none). */
static int last_version(struct mrm_store *st, int64_t org, uint32_t *kept,
			uint32_t *any, struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "SELECT (SELECT max(version) FROM org_key WHERE org_id=?1),"
		    " (SELECT last_version FROM org_key_wiped WHERE "
		    "org_id=?1)");
	uint32_t w;

	if (!s ||
	    (sqlite3_bind_int64(s, 1, org), sqlite3_step(s) != SQLITE_ROW)) {
		if (s)
			sqlite3_reset(s);
		return mrm_store_fail(st, err, "org_key");
	}
	*kept = (uint32_t)sqlite3_column_int64(s, 0);
	w = (uint32_t)sqlite3_column_int64(s, 1);
	*any = *kept > w ? *kept : w;
	sqlite3_reset(s);
	return 0;
}

/* A new random DEK for `org` at `version`. */
static int dek_new(struct mrm_store *st, int64_t org, uint32_t version,
		   struct mrm_error *err)
{
	struct mrm_key k;
	int rc;

	randombytes_buf(k.bytes, sizeof(k.bytes));
	rc = dek_store(st, org, version, &k, err);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* The current version of `org`'s DEK, made when it has none. */
static int dek_current(struct mrm_store *st, int64_t org, uint32_t *version,
		       struct mrm_error *err)
{
	struct mrm_keyring *kr = ring(st);
	uint32_t kept = 0, any = 0;
	int rc;

	if (!kr)
		return nomem(err);
	ring_check(st, kr);
	for (size_t i = 0; i < kr->ncur; i++)
		if (kr->cur[i].org == org) {
			*version = kr->cur[i].version;
			return 0;
		}
	rc = last_version(st, org, &kept, &any, err);
	if (!rc && !kept) {
		kept = any + 1;
		rc = dek_new(st, org, kept, err);
		ring_check(st, kr);
	}
	if (rc)
		return rc;
	if (kr->ncur == CACHE_MAX)
		kr->ncur = 0;
	kr->cur[kr->ncur].org = org;
	kr->cur[kr->ncur++].version = kept;
	*version = kept;
	return 0;
}

int mrm_store_seal(struct mrm_store *st, int64_t org, const char *ad,
		   const void *plain, size_t len, struct mrm_buf *out,
		   struct mrm_error *err)
{
	const struct mrm_key *key;
	uint32_t version = 0;
	char *p;
	int rc = dek_current(st, org, &version, err);

	if (!rc)
		rc = dek_get(st, org, version, &key, err);
	if (rc)
		return rc;
	if (mrm_buf_extend(out, VB, &p))
		return mrm_error_set(err, MRM_ERR_LIMIT, ad,
				     "cannot seal a field of %zu bytes", len);
	be32_put((unsigned char *)p, version);
	rc = mrm_seal(key, ad, plain, len, out, err);
	if (rc)
		out->len -= VB;
	return rc;
}

int mrm_store_unseal(struct mrm_store *st, int64_t org, const char *ad,
		     const void *sealed, size_t len, struct mrm_buf *out,
		     struct mrm_error *err)
{
	const struct mrm_key *key;
	int rc;

	if (len < VB + MRM_SEAL_OVERHEAD)
		return mrm_error_set(err, MRM_ERR_CRYPTO, ad,
				     "sealed value too short (%zu bytes)", len);
	rc = dek_get(st, org, be32_get(sealed), &key, err);
	if (rc) {
		mrm_error_prefix(err, "%s", ad);
		return rc;
	}
	return mrm_unseal(key, ad, (const unsigned char *)sealed + VB, len - VB,
			  out, err);
}

int mrm_store_unseal_shown(struct mrm_store *st, int64_t org, const char *ad,
			   const void *sealed, size_t len, struct mrm_buf *out,
			   struct mrm_error *err)
{
	int rc = mrm_store_unseal(st, org, ad, sealed, len, out, err);

	if (rc != MRM_ERR_DESTROYED)
		return rc;
	return mrm_buf_adds(out, MRM_DESTROYED_TEXT)
		       ? mrm_error_set(err, MRM_ERR_NOMEM, ad, "out of memory")
		       : 1;
}

/* ---- rotation ---- */

/* The sealed columns: every SECRET field; their tables have org_id. */
static int secret_next(size_t *i)
{
	while (*i < mrm_field_count && mrm_fields[*i].type != MRM_F_SECRET)
		(*i)++;
	return *i < mrm_field_count;
}

/* Values of `org` not under `target`, counted. */
static int count_other(struct mrm_store *st, int64_t org, uint32_t target,
		       int64_t *n, struct mrm_error *err)
{
	unsigned char v[VB];
	int rc = 0;

	be32_put(v, target);
	*n = 0;
	for (size_t i = 0; !rc && secret_next(&i); i++) {
		char sql[256];
		sqlite3_stmt *s;

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM %s WHERE org_id = ? AND %s IS "
			 "NOT NULL AND substr(%s, 1, 4) <> ?",
			 mrm_entity_table(mrm_fields[i].ent),
			 mrm_fields[i].column, mrm_fields[i].column);
		s = mrm_store_prepare(st, sql);
		if (!s)
			return mrm_store_fail(st, err, "counting values");
		sqlite3_bind_int64(s, 1, org);
		sqlite3_bind_blob(s, 2, v, VB, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			*n += sqlite3_column_int64(s, 0);
		else
			rc = mrm_store_fail(st, err, "counting values");
		sqlite3_reset(s);
	}
	return rc;
}

/* Re-seal one value of field `f`, row `id`, under `target`. */
static int reseal(struct mrm_store *st, const struct mrm_field *f, int64_t org,
		  int64_t id, const void *old, size_t len,
		  struct mrm_buf *plain, struct mrm_buf *sealed,
		  struct mrm_error *err)
{
	char ad[128], sql[160];
	sqlite3_stmt *u;
	int rc;

	snprintf(ad, sizeof(ad), "%s/%lld/%s", mrm_entity_table(f->ent),
		 (long long)id, f->column);
	mrm_buf_reset(plain);
	mrm_buf_reset(sealed);
	rc = mrm_store_unseal(st, org, ad, old, len, plain, err);
	if (!rc)
		rc = mrm_store_seal(st, org, ad, plain->ptr, plain->len, sealed,
				    err);
	if (plain->ptr)
		sodium_memzero(plain->ptr, plain->cap);
	if (rc)
		return rc;
	snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ? WHERE id = ?",
		 mrm_entity_table(f->ent), f->column);
	u = mrm_store_prepare(st, sql);
	if (!u)
		return mrm_store_fail(st, err, "re-encrypting");
	sqlite3_bind_blob(u, 1, sealed->ptr, (int)sealed->len, SQLITE_STATIC);
	sqlite3_bind_int64(u, 2, id);
	rc = sqlite3_step(u) == SQLITE_DONE
		     ? 0
		     : mrm_store_fail(st, err, "re-encrypting");
	sqlite3_reset(u);
	return rc;
}

/*
 * One batch: up to `batch` values of `org` not under `target`, from the
 * cursors on (one per field, ids done so far), in one transaction.
 * *did is the number re-sealed.
 */
static int rotate_batch(struct mrm_store *st, int64_t org, uint32_t target,
			unsigned batch, int64_t *cursor, int64_t *did,
			struct mrm_error *err)
{
	struct mrm_buf plain = MRM_BUF_INIT(64u << 20);
	struct mrm_buf sealed = MRM_BUF_INIT(64u << 20);
	struct mrm_buf old = MRM_BUF_INIT(64u << 20);
	unsigned char v[VB], before[MRM_AUDIT_HASH], after[MRM_AUDIT_HASH];
	crypto_generichash_state hb, ha;
	char detail[96];
	int rc = mrm_store_begin(st, err);

	be32_put(v, target);
	crypto_generichash_init(&hb, NULL, 0, sizeof(before));
	crypto_generichash_init(&ha, NULL, 0, sizeof(after));
	*did = 0;
	for (size_t i = 0; !rc && *did < batch && secret_next(&i); i++) {
		const struct mrm_field *f = &mrm_fields[i];
		char sql[256];
		sqlite3_stmt *s;
		int64_t id;

		/* "+org_id": walk the rows in id order from the cursor (an
		 * index on org_id would have every row of the organisation
		 * read and sorted for each value) */
		snprintf(sql, sizeof(sql),
			 "SELECT id, %s FROM %s WHERE +org_id = ? AND id > ? "
			 "AND %s IS NOT NULL AND substr(%s, 1, 4) <> ? "
			 "ORDER BY id LIMIT 1",
			 f->column, mrm_entity_table(f->ent), f->column,
			 f->column);
		while (!rc && *did < batch) {
			s = mrm_store_prepare(st, sql);
			if (!s) {
				rc = mrm_store_fail(st, err, "re-encrypting");
				break;
			}
			sqlite3_bind_int64(s, 1, org);
			sqlite3_bind_int64(s, 2, cursor[i]);
			sqlite3_bind_blob(s, 3, v, VB, SQLITE_STATIC);
			if (sqlite3_step(s) != SQLITE_ROW) {
				sqlite3_reset(s);
				/* none left: not looked for again in this run
				 * (a field that few rows have would be
				 * scanned to its end by every batch;
				 * rotate_finish() checks that none is left) */
				cursor[i] = INT64_MAX;
				break;
			}
			id = sqlite3_column_int64(s, 0);
			mrm_buf_reset(&old);
			rc = mrm_buf_add(&old, sqlite3_column_blob(s, 1),
					 (size_t)sqlite3_column_bytes(s, 1));
			sqlite3_reset(s);
			if (rc) {
				rc = nomem(err);
				break;
			}
			rc = reseal(st, f, org, id, old.ptr, old.len, &plain,
				    &sealed, err);
			crypto_generichash_update(
				&hb, (const unsigned char *)old.ptr, old.len);
			crypto_generichash_update(
				&ha, (const unsigned char *)sealed.ptr,
				sealed.len);
			cursor[i] = id;
			(*did)++;
		}
	}
	crypto_generichash_final(&hb, before, sizeof(before));
	crypto_generichash_final(&ha, after, sizeof(after));
	snprintf(detail, sizeof(detail),
		 "%lld values re-encrypted under key version %u",
		 (long long)*did, target);
	/* one entry per batch: the hashes are of the values re-encrypted,
	 * before and after, in the order done */
	if (!rc && *did)
		rc = mrm_audit_append(
			st,
			&(struct mrm_audit_entry){.action = "key-rotate",
						  .table = "org",
						  .record = org,
						  .detail = detail,
						  .old_hash = before,
						  .new_hash = after},
			err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	mrm_buf_release(&plain);
	mrm_buf_release(&sealed);
	mrm_buf_release(&old);
	return rc;
}

/* Drop the versions of `org` other than `target`, once no value needs
 * them, and the rotation's mark. */
static int rotate_finish(struct mrm_store *st, int64_t org, uint32_t target,
			 struct mrm_error *err)
{
	struct mrm_audit_change c = {.table = "org_key",
				     .record = org,
				     .sql = KEYS_OF_ORG,
				     .arg = org};
	char sql[160], detail[96];
	int64_t left = 0;
	int rc = mrm_store_begin(st, err);

	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	if (!rc)
		rc = count_other(st, org, target, &left, err);
	if (!rc && left)
		rc = mrm_error_set(err, MRM_ERR_DB, mrm_store_path(st),
				   "%lld values of organisation %lld are "
				   "still under an older key; run the "
				   "rotation again",
				   (long long)left, (long long)org);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM org_key WHERE org_id = %lld AND version <> %u;"
		 "DELETE FROM org_key_rotation WHERE org_id = %lld;",
		 (long long)org, target, (long long)org);
	if (!rc)
		rc = exec(st, sql, err);
	snprintf(detail, sizeof(detail),
		 "rotation done: key versions other than %u destroyed", target);
	if (!rc)
		rc = mrm_audit_change_end(st, &c, "key-rotate-end", detail,
					  err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	ring_flush(ring(st));
	checkpoint(st);
	return rc;
}

static int rotate_org(struct mrm_store *st, int64_t org, const char *code,
		      uint32_t target, unsigned batch,
		      mrm_rotate_progress progress, void *ctx,
		      struct mrm_error *err)
{
	int64_t cursor[256] = {0}, total = 0, done = 0, did = 1;
	int rc = count_other(st, org, target, &total, err), stop = 0;

	if (progress && !rc && progress(ctx, code, 0, total))
		did = 0, stop = 1;
	while (!rc && did) {
		rc = rotate_batch(st, org, target, batch, cursor, &did, err);
		done += did;
		if (progress && !rc && did && progress(ctx, code, done, total))
			did = 0, stop = 1;
	}
	if (stop)
		return mrm_error_set(err, MRM_ERR_LIMIT, code,
				     "rotation stopped after %lld of %lld "
				     "values; run it again to resume",
				     (long long)done, (long long)total);
	return rc ? rc : rotate_finish(st, org, target, err);
}

/* Start (or find) the rotation of `org`: *target is the version to move
 * every value to. With `fresh`, a new version is made unless one is in
 * progress; without, the current version is the target (conversion). */
static int rotate_start(struct mrm_store *st, int64_t org, int fresh,
			uint32_t *target, struct mrm_error *err)
{
	struct mrm_audit_change c = {
		.table = "org_key_rotation",
		.record = org,
		.sql = "SELECT * FROM org_key_rotation WHERE org_id = ?",
		.arg = org};
	sqlite3_stmt *s;
	uint32_t kept = 0, any = 0;
	char sql[160], detail[64];
	int rc = mrm_store_begin(st, err), found = 0;

	s = rc ? NULL
	       : mrm_store_prepare(st, "SELECT target FROM org_key_rotation "
				       "WHERE org_id = ?");
	if (!rc && !s)
		rc = mrm_store_fail(st, err, "org_key_rotation");
	if (s) {
		sqlite3_bind_int64(s, 1, org);
		if (sqlite3_step(s) == SQLITE_ROW) {
			*target = (uint32_t)sqlite3_column_int64(s, 0);
			found = 1;
		}
		sqlite3_reset(s);
	}
	if (!rc && !found) {
		rc = last_version(st, org, &kept, &any, err);
		*target = fresh || !kept ? any + 1 : kept;
		if (!rc && (fresh || !kept))
			rc = dek_new(st, org, *target, err);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO org_key_rotation(org_id, target) "
			 "VALUES (%lld, %u)",
			 (long long)org, *target);
		snprintf(detail, sizeof(detail),
			 "rotation begun: to key version %u", *target);
		if (!rc)
			rc = mrm_audit_change_begin(st, &c, err);
		if (!rc)
			rc = exec(st, sql, err);
		if (!rc)
			rc = mrm_audit_change_end(st, &c, "key-rotate-begin",
						  detail, err);
	}
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	ring_flush(ring(st));
	return rc;
}

struct org_list {
	int64_t id[1024];
	char code[1024][40];
	size_t n;
};

static int org_collect(void *ctx, const struct mrm_org *o)
{
	struct org_list *l = ctx;

	if (l->n == sizeof(l->id) / sizeof(l->id[0]))
		return MRM_ERR_LIMIT;
	l->id[l->n] = o->id;
	snprintf(l->code[l->n++], sizeof(l->code[0]), "%s", o->code);
	return 0;
}

static int orgs(struct mrm_store *st, const char *code, struct org_list *l,
		struct mrm_error *err)
{
	int rc;

	l->n = 0;
	if (code) {
		rc = mrm_org_id(st, code, &l->id[0], err);
		if (!rc)
			snprintf(l->code[l->n++], sizeof(l->code[0]), "%s",
				 code);
		return rc;
	}
	rc = mrm_org_each(st, org_collect, l, err);
	if (rc == MRM_ERR_LIMIT)
		return mrm_error_set(err, rc, NULL,
				     "more than 1024 organisations: rotate "
				     "them one by one with --org");
	return rc;
}

static int rotate(struct mrm_store *st, const char *org_code, int fresh,
		  unsigned batch, mrm_rotate_progress progress, void *ctx,
		  struct mrm_error *err)
{
	struct org_list *l = malloc(sizeof(*l));
	uint32_t target = 0;
	int rc = l ? orgs(st, org_code, l, err) : nomem(err);

	if (!batch)
		batch = 1000;
	for (size_t i = 0; !rc && l && i < l->n; i++) {
		rc = rotate_start(st, l->id[i], fresh, &target, err);
		if (!rc)
			rc = rotate_org(st, l->id[i], l->code[i], target, batch,
					progress, ctx, err);
	}
	free(l);
	return rc;
}

int mrm_keys_rotate(struct mrm_store *st, const char *org_code, unsigned batch,
		    mrm_rotate_progress progress, void *ctx,
		    struct mrm_error *err)
{
	return rotate(st, org_code, 1, batch, progress, ctx, err);
}

int keyring_open(struct mrm_store *st, struct mrm_error *err)
{
	struct mrm_keyring *kr = ring(st);
	int rc;

	if (!kr)
		return nomem(err);
	kr->legacy = meta_int(st, "keys_legacy") != 0;
	if (!kr->legacy)
		return 0;
	/* the values sealed under the one database key (version 0, the key
	 * file's key) move to each organisation's own version 1 */
	rc = rotate(st, NULL, 0, 1000, NULL, NULL, err);
	if (!rc)
		rc = mrm_store_begin(st, err);
	if (!rc)
		rc = meta_del(st, "keys_legacy", err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc) {
		mrm_store_rollback(st);
		mrm_error_prefix(err, "converting to keys per organisation");
	} else {
		kr->legacy = 0;
	}
	return rc;
}

/* ---- the KEK changes ---- */

struct dek_row {
	int64_t org;
	uint32_t version;
	struct mrm_key key;
};

struct dek_rows {
	struct dek_row *r;
	size_t n;
};

static void dek_rows_release(struct dek_rows *d)
{
	if (d->r)
		sodium_memzero(d->r, d->n * sizeof(*d->r));
	free(d->r);
	d->r = NULL;
	d->n = 0;
}

/* Every DEK, unwrapped with the KEK or, when `sk` is given, opened with
 * the recovery key pair (`pk`, `sk`). */
static int dek_all(struct mrm_store *st, const unsigned char *pk,
		   const unsigned char *sk, struct dek_rows *d,
		   struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step;

	d->r = NULL;
	d->n = 0;
	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT org_id, version, wrapped, recovery FROM "
			       "org_key",
			       -1, &s, NULL))
		return mrm_store_fail(st, err, "org_key");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		struct dek_row *r = realloc(d->r, (d->n + 1) * sizeof(*r));
		unsigned char m[MRM_KEY_BYTES + REC_AD_MAX];
		char ad[REC_AD_MAX];

		if (!r) {
			rc = nomem(err);
			break;
		}
		d->r = r;
		r = &d->r[d->n++];
		r->org = sqlite3_column_int64(s, 0);
		r->version = (uint32_t)sqlite3_column_int64(s, 1);
		if (!sk) {
			rc = unwrap(st, store_kek(st), r->org, r->version,
				    sqlite3_column_blob(s, 2),
				    (size_t)sqlite3_column_bytes(s, 2), &r->key,
				    err);
			continue;
		}
		wrap_ad(ad, sizeof(ad), r->org, r->version);
		if (sqlite3_column_bytes(s, 3) != (int)REC_WRAP_BYTES ||
		    crypto_box_seal_open(m, sqlite3_column_blob(s, 3),
					 REC_WRAP_BYTES, pk, sk) != 0 ||
		    strncmp((char *)m + MRM_KEY_BYTES, ad, REC_AD_MAX))
			rc = mrm_error_set(
				err, MRM_ERR_CRYPTO, mrm_store_path(st),
				"key version %u of organisation %lld is not "
				"sealed to this recovery key (made after "
				"the recovery key was replaced?)",
				r->version, (long long)r->org);
		else
			memcpy(r->key.bytes, m, MRM_KEY_BYTES);
		sodium_memzero(m, sizeof(m));
	}
	sqlite3_finalize(s);
	if (rc)
		dek_rows_release(d);
	return rc;
}

/* Write DEKs `d` wrapped under the new KEK `kek` (in a txn). */
static int rewrap_all(struct mrm_store *st, const struct mrm_key *kek,
		      const struct dek_rows *d, struct mrm_error *err)
{
	struct mrm_buf w = MRM_BUF_INIT(256);
	int rc = 0;

	for (size_t i = 0; !rc && i < d->n; i++) {
		sqlite3_stmt *s = mrm_store_prepare(
			st, "UPDATE org_key SET wrapped = ? WHERE org_id = ? "
			    "AND version = ?");

		rc = wrap(kek, d->r[i].org, d->r[i].version, &d->r[i].key, &w,
			  err);
		if (rc)
			break;
		if (!s)
			return mrm_store_fail(st, err, "org_key");
		sqlite3_bind_blob(s, 1, w.ptr, (int)w.len, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, d->r[i].org);
		sqlite3_bind_int64(s, 3, d->r[i].version);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = mrm_store_fail(st, err, "org_key");
		sqlite3_reset(s);
	}
	mrm_buf_release(&w);
	return rc;
}

static char *with_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);
	char *p = malloc(n + m + 1);

	if (p) {
		memcpy(p, path, n);
		memcpy(p + n, suffix, m + 1);
	}
	return p;
}

/*
 * Set the KEK `to` for DEKs `d`: new meta rows and wraps in one
 * transaction; a new key file is written as DB.key.new first and renamed
 * into place (the old one kept as DB.key.old) after the commit.
 */
static int set_kek(struct mrm_store *st, const struct mrm_kek_spec *to,
		   const struct dek_rows *d, const char *action,
		   const char **note, struct mrm_error *err)
{
	struct mrm_audit_change c = {.table = "org_key", .sql = ALL_KEYS};
	const char *path = mrm_store_path(st);
	char *keypath = with_suffix(path, ".key");
	char *newpath = with_suffix(path, ".key.new");
	char *oldpath = with_suffix(path, ".key.old");
	unsigned char salt[SALT_BYTES];
	unsigned long long ops = 0;
	size_t mem = 0;
	struct mrm_key kek;
	int rc = 0, made = 0, had = 0;

	if (note)
		*note = NULL;
	if (!keypath || !newpath || !oldpath) {
		rc = nomem(err);
		goto out;
	}
	had = access(keypath, F_OK) == 0;
	if (to->passphrase)
		rc = kek_from_spec(to, &kek, salt, &ops, &mem, err);
	else if (!(rc = mrm_key_create(newpath, &kek, err)))
		made = 1;
	if (!rc)
		rc = mrm_store_begin(st, err);
	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	if (!rc)
		rc = rewrap_all(st, &kek, d, err);
	if (!rc)
		rc = kek_meta(st, &kek, to->passphrase ? salt : NULL, ops, mem,
			      err);
	if (!rc)
		rc = mrm_audit_change_end(
			st, &c, action,
			to->passphrase ? "data keys wrapped under a new "
					 "passphrase"
				       : "data keys wrapped under a new key "
					 "file",
			err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc) {
		mrm_store_rollback(st);
		if (made)
			unlink(newpath);
		goto out;
	}
	*store_kek(st) = kek;
	ring_flush(ring(st));
	checkpoint(st);
	if (had && rename(keypath, oldpath) != 0)
		rc = mrm_error_set(err, MRM_ERR_IO, keypath,
				   "the new key is set, but the old key file "
				   "could not be renamed: %s",
				   strerror(errno));
	else if (made && rename(newpath, keypath) != 0)
		rc = mrm_error_set(err, MRM_ERR_IO, newpath,
				   "the database now opens with this new key "
				   "file, which could not be renamed to %s: "
				   "%s; rename it by hand",
				   keypath, strerror(errno));
	if (note && had)
		*note = "the old key file is kept as DB.key.old: it opens "
			"only backups made before; delete it if you do not "
			"need those";
out:
	sodium_memzero(&kek, sizeof(kek));
	free(keypath);
	free(newpath);
	free(oldpath);
	return rc;
}

int mrm_keys_rotate_kek(struct mrm_store *st, const struct mrm_kek_spec *to,
			const char **note, struct mrm_error *err)
{
	struct dek_rows d;
	int rc = dek_all(st, NULL, NULL, &d, err);

	if (!rc)
		rc = set_kek(st, to, &d, "key-rotate-kek", note, err);
	dek_rows_release(&d);
	return rc;
}

/* ---- the recovery key ---- */

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static void rec_sum(const unsigned char *seed, unsigned char sum[REC_SUM])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), seed, SEED_BYTES,
			   (const unsigned char *)"mrm recovery key", 16);
	memcpy(sum, h, REC_SUM);
}

static void rec_encode(const unsigned char *seed, char out[MRM_RECOVERY_TEXT])
{
	unsigned char raw[SEED_BYTES + REC_SUM];
	unsigned acc = 0, bits = 0;
	size_t n = 0, chars = 0;

	memcpy(raw, seed, SEED_BYTES);
	rec_sum(seed, raw + SEED_BYTES);
	for (size_t i = 0; i < sizeof(raw); i++) {
		acc = (acc << 8 | raw[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			if (chars && chars % 4 == 0)
				out[n++] = '-';
			out[n++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
			chars++;
		}
	}
	out[n] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

static int rec_decode(const char *text, unsigned char seed[SEED_BYTES],
		      struct mrm_error *err)
{
	unsigned char raw[SEED_BYTES + REC_SUM], sum[REC_SUM];
	unsigned acc = 0, bits = 0;
	size_t n = 0, chars = 0;
	int rc = 0;

	for (const char *p = text; *p && !rc; p++) {
		char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
		const char *at;

		if (c == '-' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		c = c == '0' ? 'O' : c == '1' ? 'I' : c == '8' ? 'B' : c;
		at = c ? strchr(b32, c) : NULL;
		if (!at || ++chars > REC_CHARS) {
			rc = 1;
			break;
		}
		acc = (acc << 5 | (unsigned)(at - b32)) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			raw[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	if (rc || chars != REC_CHARS)
		rc = mrm_error_set(err, MRM_ERR_INVALID, "recovery key",
				   "expected %d letters and digits 2-7 in "
				   "groups of 4 (as mrm key recovery printed "
				   "it), got %zu",
				   REC_CHARS, chars);
	else {
		rec_sum(raw, sum);
		if (sodium_memcmp(sum, raw + SEED_BYTES, REC_SUM))
			rc = mrm_error_set(err, MRM_ERR_CRYPTO, "recovery key",
					   "the checksum does not match: a "
					   "group was mistyped");
		else
			memcpy(seed, raw, SEED_BYTES);
	}
	sodium_memzero(raw, sizeof(raw));
	return rc;
}

int mrm_keys_recovery(struct mrm_store *st, char out[MRM_RECOVERY_TEXT],
		      struct mrm_error *err)
{
	unsigned char seed[SEED_BYTES], pk[crypto_box_PUBLICKEYBYTES],
		sk[crypto_box_SECRETKEYBYTES], rec[REC_WRAP_BYTES];
	struct mrm_audit_change c = {.table = "org_key", .sql = ALL_KEYS};
	struct dek_rows d;
	char detail[96];
	int rc = dek_all(st, NULL, NULL, &d, err);

	randombytes_buf(seed, sizeof(seed));
	crypto_box_seed_keypair(pk, sk, seed);
	if (!rc)
		rc = mrm_store_begin(st, err);
	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	for (size_t i = 0; !rc && i < d.n; i++) {
		sqlite3_stmt *s = mrm_store_prepare(
			st, "UPDATE org_key SET recovery = ? WHERE org_id = ? "
			    "AND version = ?");

		if (!s) {
			rc = mrm_store_fail(st, err, "org_key");
			break;
		}
		recovery_wrap(pk, d.r[i].org, d.r[i].version, &d.r[i].key, rec);
		sqlite3_bind_blob(s, 1, rec, sizeof(rec), SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, d.r[i].org);
		sqlite3_bind_int64(s, 3, d.r[i].version);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = mrm_store_fail(st, err, "org_key");
		sqlite3_reset(s);
	}
	if (!rc)
		rc = meta_put(st, "recovery_pk", pk, sizeof(pk), 0, err);
	snprintf(detail, sizeof(detail),
		 "a new recovery key: %zu data key versions sealed to it", d.n);
	if (!rc)
		rc = mrm_audit_change_end(st, &c, "key-recovery", detail, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	else
		rec_encode(seed, out);
	checkpoint(st);
	dek_rows_release(&d);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

int mrm_keys_recover(const char *db_path, const char *text,
		     const struct mrm_kek_spec *to, const char **note,
		     struct mrm_error *err)
{
	const struct store_unlock u = {.no_kek = 1};
	unsigned char seed[SEED_BYTES], pk[crypto_box_PUBLICKEYBYTES],
		sk[crypto_box_SECRETKEYBYTES];
	struct mrm_store *st = NULL;
	struct dek_rows d = {NULL, 0};
	sqlite3_stmt *s = NULL;
	int rc = mrm_crypto_init(err), known;

	if (!rc)
		rc = rec_decode(text, seed, err);
	if (rc)
		return rc;
	crypto_box_seed_keypair(pk, sk, seed);
	rc = store_open_with(&st, db_path, &u, err);
	if (!rc) {
		known = meta_get(st, "recovery_pk", &s) == 1 &&
			sqlite3_column_bytes(s, 0) == (int)sizeof(pk) &&
			!sodium_memcmp(sqlite3_column_blob(s, 0), pk,
				       sizeof(pk));
		if (s)
			sqlite3_reset(s);
		if (!known)
			rc = mrm_error_set(
				err, MRM_ERR_CRYPTO, "recovery key",
				"the key does not open this database: this "
				"recovery key is not %s's current one",
				db_path);
	}
	if (!rc)
		rc = dek_all(st, pk, sk, &d, err);
	if (!rc)
		rc = set_kek(st, to, &d, "key-recover", note, err);
	dek_rows_release(&d);
	mrm_store_close(st);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

/* ---- wipe ---- */

/* What a wipe of `org` destroys, for its audit entry. */
static int wipe_detail(struct mrm_store *st, const char *code, int64_t org,
		       char *out, size_t size, struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "SELECT group_concat(version, ', ') FROM (SELECT version "
		    "FROM org_key WHERE org_id = ? ORDER BY version)");

	if (!s)
		return mrm_store_fail(st, err, "org_key");
	sqlite3_bind_int64(s, 1, org);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return mrm_store_fail(st, err, "org_key");
	}
	if (sqlite3_column_type(s, 0) == SQLITE_NULL)
		snprintf(out, size,
			 "organisation %.60s (#%lld): no key left to destroy",
			 code, (long long)org);
	else
		snprintf(out, size,
			 "organisation %.60s (#%lld): key versions %.300s "
			 "destroyed; its sealed values can no longer be read",
			 code, (long long)org, sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return 0;
}

int mrm_keys_wipe(struct mrm_store *st, const char *org_code, int *clean,
		  struct mrm_error *err)
{
	struct mrm_audit_change c = {.table = "org_key", .sql = KEYS_OF_ORG};
	uint32_t kept = 0, any = 0;
	int64_t org = 0;
	char sql[320], detail[512];
	int rc = mrm_org_id(st, org_code, &org, err);

	c.record = c.arg = org;
	*clean = 0;
	if (!rc)
		rc = exec(st, "PRAGMA secure_delete = ON", err);
	if (!rc)
		rc = mrm_store_begin(st, err);
	if (!rc)
		rc = last_version(st, org, &kept, &any, err);
	if (!rc)
		rc = wipe_detail(st, org_code, org, detail, sizeof(detail),
				 err);
	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM org_key WHERE org_id = %lld;"
		 "DELETE FROM org_key_rotation WHERE org_id = %lld;"
		 "INSERT OR REPLACE INTO org_key_wiped(org_id, last_version)"
		 " VALUES (%lld, %u);",
		 (long long)org, (long long)org, (long long)org, any);
	if (!rc)
		rc = exec(st, sql, err);
	/* the entry is not the organisation's: it outlives the wipe */
	if (!rc)
		rc = mrm_audit_change_end(st, &c, "key-wipe", detail, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	ring_flush(ring(st));
	if (!rc)
		*clean = checkpoint(st);
	/* A plain copy left by a killed backup still holds the keys. */
	if (!rc)
		mrm_backup_clean(mrm_store_path(st));
	return rc;
}

/* ---- status ---- */

struct count {
	int64_t org;
	uint32_t version;
	int64_t n;
};

static int counts(struct mrm_store *st, struct count **out, size_t *nout,
		  struct mrm_error *err)
{
	struct count *c = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; !rc && secret_next(&i); i++) {
		char sql[256];
		sqlite3_stmt *s = NULL;

		snprintf(sql, sizeof(sql),
			 "SELECT org_id, substr(%s, 1, 4), count(*) FROM %s "
			 "WHERE %s IS NOT NULL GROUP BY 1, 2",
			 mrm_fields[i].column,
			 mrm_entity_table(mrm_fields[i].ent),
			 mrm_fields[i].column);
		if (sqlite3_prepare_v2(mrm_store_db(st), sql, -1, &s, NULL))
			rc = mrm_store_fail(st, err, "counting values");
		while (!rc && sqlite3_step(s) == SQLITE_ROW) {
			int64_t org = sqlite3_column_int64(s, 0);
			uint32_t v =
				sqlite3_column_bytes(s, 1) == VB
					? be32_get(sqlite3_column_blob(s, 1))
					: 0;
			size_t k = 0;
			struct count *g;

			while (k < n && (c[k].org != org || c[k].version != v))
				k++;
			if (k == n) {
				g = realloc(c, (n + 1) * sizeof(*c));
				if (!g) {
					rc = nomem(err);
					break;
				}
				c = g;
				c[n++] = (struct count){org, v, 0};
			}
			c[k].n += sqlite3_column_int64(s, 2);
		}
		sqlite3_finalize(s);
	}
	*out = c;
	*nout = n;
	return rc;
}

static int64_t take(struct count *c, size_t n, int64_t org, uint32_t v)
{
	int64_t got = 0;

	for (size_t i = 0; i < n; i++)
		if (c[i].org == org && c[i].version == v && c[i].n >= 0) {
			got = c[i].n;
			c[i].n = -1;
		}
	return got;
}

/* Report the kept versions of `org`, then the values under versions it
 * no longer has (destroyed), then "none" when there was nothing. */
static int org_status(struct mrm_store *st, int64_t org, const char *code,
		      struct count *c, size_t n,
		      int (*cb)(void *ctx, const struct mrm_key_status *s),
		      void *ctx, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	uint32_t kept = 0, any = 0, wiped = 0;
	int rc = last_version(st, org, &kept, &any, err), rotating, told = 0;
	char when[32] = "";

	if (!rc &&
	    sqlite3_prepare_v2(
		    mrm_store_db(st),
		    "SELECT version, created, recovery IS NOT NULL,"
		    " EXISTS (SELECT 1 FROM org_key_rotation WHERE "
		    "org_id = ?1),"
		    " (SELECT wiped FROM org_key_wiped WHERE org_id = ?1)"
		    " FROM org_key WHERE org_id = ?1 UNION ALL"
		    " SELECT NULL, NULL, 0, 0, wiped FROM org_key_wiped"
		    " WHERE org_id = ?1 ORDER BY 1 DESC",
		    -1, &s, NULL))
		rc = mrm_store_fail(st, err, "key status");
	if (s)
		sqlite3_bind_int64(s, 1, org);
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		uint32_t v = (uint32_t)sqlite3_column_int64(s, 0);
		struct mrm_key_status ks = {code, v, "", "", 0, 0};

		if (sqlite3_column_type(s, 4) != SQLITE_NULL) {
			wiped = any;
			snprintf(when, sizeof(when), "%s",
				 (const char *)sqlite3_column_text(s, 4));
		}
		if (sqlite3_column_type(s, 0) == SQLITE_NULL)
			continue;
		rotating = sqlite3_column_int(s, 3);
		ks.state = v != kept  ? "old"
			   : rotating ? "rotating to"
				      : "current";
		ks.created = (const char *)sqlite3_column_text(s, 1);
		ks.values = take(c, n, org, v);
		ks.recovery = sqlite3_column_int(s, 2);
		rc = cb(ctx, &ks);
		told = 1;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		struct mrm_key_status ks = {code, c[i].version, "destroyed",
					    when, c[i].n,	0};

		if (c[i].org != org || c[i].n < 0)
			continue;
		if (!wiped)
			ks.state = "missing";
		rc = cb(ctx, &ks);
		told = 1;
	}
	if (!rc && !told) {
		struct mrm_key_status ks = {
			code, wiped, wiped ? "destroyed" : "none", when, 0, 0};

		rc = cb(ctx, &ks);
	}
	sqlite3_finalize(s);
	return rc;
}

int mrm_keys_status(struct mrm_store *st,
		    int (*cb)(void *ctx, const struct mrm_key_status *s),
		    void *ctx, struct mrm_error *err)
{
	struct org_list *l = malloc(sizeof(*l));
	struct count *c = NULL;
	size_t n = 0;
	int rc = l ? counts(st, &c, &n, err) : nomem(err);

	if (!rc)
		rc = orgs(st, NULL, l, err);
	for (size_t i = 0; !rc && i < l->n; i++)
		rc = org_status(st, l->id[i], l->code[i], c, n, cb, ctx, err);
	free(c);
	free(l);
	return rc;
}

/* ---- for backups (keyring_internal.h) ---- */

int keyring_kek_argon2(struct mrm_key *kek, const char *pass, size_t len,
		       const unsigned char salt[crypto_pwhash_SALTBYTES],
		       unsigned long long ops, size_t mem,
		       struct mrm_error *err)
{
	/* The limits may come from a file: nothing beyond SENSITIVE. */
	if (ops < crypto_pwhash_OPSLIMIT_MIN ||
	    ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
	    mem < crypto_pwhash_MEMLIMIT_MIN ||
	    mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
		return mrm_error_set(err, MRM_ERR_INVALID, "passphrase",
				     "the Argon2id limits (%llu passes, %zu "
				     "MiB) are out of range (altered?)",
				     ops, mem >> 20);
	return argon2(kek, pass, len, salt, ops, mem, err);
}

int keyring_recovery_keypair(const char *text,
			     unsigned char pk[crypto_box_PUBLICKEYBYTES],
			     unsigned char sk[crypto_box_SECRETKEYBYTES],
			     struct mrm_error *err)
{
	unsigned char seed[SEED_BYTES];
	int rc = mrm_crypto_init(err);

	if (!rc)
		rc = rec_decode(text, seed, err);
	if (!rc)
		crypto_box_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
	return rc;
}
