/*
 * keyring.h - a data key per organisation, wrapped by a key-encryption key.
 *
 * Every organisation's sensitive fields (a person's name, other names,
 * guardian, contact and health; an event's narrative) are sealed under that
 * organisation's own random data key (DEK). The database keeps each DEK
 * only wrapped (XChaCha20-Poly1305, associated data "org_key/ORG/VERSION")
 * by the key-encryption key (KEK), which is either
 *
 *   - a random key in the key file DB.key beside the database (the
 *     default, as `mrm init` makes it), or
 *   - derived with Argon2id from a passphrase (salt and limits in the
 *     database's meta table).
 *
 * A sealed value is VERSION (4 bytes, big-endian) || nonce || ciphertext ||
 * tag, with "TABLE/ID/COLUMN" as associated data: readers pick the DEK by
 * the version, so a rotation can re-encrypt in batches while the database
 * stays in use. Version 0 is the one database key of databases made
 * before keys per organisation; the first open re-encrypts those values
 * under each organisation's version 1 (see docs/keys.md).
 *
 * Optionally every DEK is also sealed (crypto_box_seal) to a recovery
 * public key whose secret half is derived from a recovery key printed once
 * for paper: with it a new KEK can be set when the passphrase or key file
 * is lost. Wiping an organisation deletes all its wrapped DEKs (and their
 * recovery copies) in one transaction with secure_delete on, then
 * checkpoints the WAL: its sensitive fields can never be read again.
 */
#ifndef MRM_KEYRING_H
#define MRM_KEYRING_H

#include "mrm/buf.h"
#include "mrm/crypto.h"
#include "mrm/error.h"

#include <stdint.h>

struct mrm_store;

#define MRM_KEY_VERSION_BYTES 4
/* "ABCD-EFGH-..." : 14 groups of 4 base32 characters, and a NUL */
#define MRM_RECOVERY_TEXT 71
/* What a reader shows for a field whose organisation's keys were wiped. */
#define MRM_DESTROYED_TEXT "[destroyed]"

/* Argon2id limits for a passphrase: libsodium's INTERACTIVE (64 MiB),
 * MODERATE (256 MiB, the default) and SENSITIVE (1 GiB). */
enum mrm_kdf_level { MRM_KDF_MODERATE, MRM_KDF_INTERACTIVE, MRM_KDF_SENSITIVE };

/* Parse "interactive", "moderate" or "sensitive". */
int mrm_kdf_level_parse(const char *s, enum mrm_kdf_level *out,
			struct mrm_error *err);

/* A key-encryption key to set. */
struct mrm_kek_spec {
	/* NULL: a new random key in the key file DB.key; else a passphrase
	 * (passphrase_len bytes, at least MRM_PASSPHRASE_MIN) */
	const char *passphrase;
	size_t passphrase_len;
	enum mrm_kdf_level kdf;
};

#define MRM_PASSPHRASE_MIN 12
#define MRM_PASSPHRASE_MAX 1024

/*
 * Seal `len` bytes of `plain` for a record of organisation `org` under its
 * current DEK, creating the organisation's first DEK if it has none (so
 * call it inside the write transaction), and append the versioned sealed
 * value to `out`.
 */
int mrm_store_seal(struct mrm_store *st, int64_t org, const char *ad,
		   const void *plain, size_t len, struct mrm_buf *out,
		   struct mrm_error *err);

/*
 * Open a value sealed by mrm_store_seal() for a record of organisation
 * `org`, with whichever DEK version it names; append the plaintext to
 * `out`. MRM_ERR_DESTROYED when the organisation's keys were wiped
 * (readers show MRM_DESTROYED_TEXT), MRM_ERR_CRYPTO when the value was
 * altered, moved or belongs to another organisation.
 */
int mrm_store_unseal(struct mrm_store *st, int64_t org, const char *ad,
		     const void *sealed, size_t len, struct mrm_buf *out,
		     struct mrm_error *err);

/*
 * For readers: as mrm_store_unseal(), but a value whose keys were wiped
 * gives MRM_DESTROYED_TEXT in `out` and returns 1 (not an error).
 */
int mrm_store_unseal_shown(struct mrm_store *st, int64_t org, const char *ad,
			   const void *sealed, size_t len, struct mrm_buf *out,
			   struct mrm_error *err);

/* Told after each committed batch of a rotation: `done` of `total`
 * values. A non-zero return stops the rotation there (MRM_ERR_LIMIT,
 * "rotation stopped"); running it again resumes. */
typedef int (*mrm_rotate_progress)(void *ctx, const char *org, int64_t done,
				   int64_t total);

/*
 * Give organisation `org_code` (NULL: every organisation) a new DEK
 * version and re-encrypt its values under it, `batch` values per
 * transaction, then delete the older versions. An organisation whose
 * rotation was interrupted resumes it (with the version it had started)
 * instead of starting another. Readers and writers may use the database
 * meanwhile.
 */
int mrm_keys_rotate(struct mrm_store *st, const char *org_code, unsigned batch,
		    mrm_rotate_progress progress, void *ctx,
		    struct mrm_error *err);

/*
 * Set a new KEK as `to` says and re-wrap every DEK under it (the values
 * are not touched). For a key file, the new key goes to DB.key and the
 * old one, if any, is kept as DB.key.old (older backups need it): *note
 * gets a sentence saying what the caller should tell the user (static
 * text, may be NULL).
 */
int mrm_keys_rotate_kek(struct mrm_store *st, const struct mrm_kek_spec *to,
			const char **note, struct mrm_error *err);

/*
 * Make a new recovery key, seal every DEK to it and write its text (14
 * groups of 4 base32 characters, a checksum in the last ones) into `out`.
 * A recovery key made before stops working.
 */
int mrm_keys_recovery(struct mrm_store *st, char out[MRM_RECOVERY_TEXT],
		      struct mrm_error *err);

/*
 * With the recovery key `text` (spaces, dashes and case do not matter),
 * open the database `db_path` without its KEK and set the KEK `to`.
 * A mistyped key (the checksum), or one that is not this database's, is
 * MRM_ERR_CRYPTO and writes nothing.
 */
int mrm_keys_recover(const char *db_path, const char *text,
		     const struct mrm_kek_spec *to, const char **note,
		     struct mrm_error *err);

/*
 * Destroy every DEK of organisation `org_code`, and their recovery copies,
 * at once. *clean is set to 1 when the WAL was also checkpointed and
 * truncated (0: another connection was reading; the old pages stay in the
 * WAL until the next checkpoint, see docs/keys.md). The plain copies a
 * killed backup or restore left beside the database are removed too
 * (mrm_backup_clean()).
 */
int mrm_keys_wipe(struct mrm_store *st, const char *org_code, int *clean,
		  struct mrm_error *err);

struct mrm_key_status {
	const char *org;     /* organisation code */
	uint32_t version;    /* 0: no key yet */
	const char *state;   /* "current", "rotating to", "old", "destroyed",
				"none" (no key yet), "missing" (values
				under a version it has no key for) */
	const char *created; /* ISO time, or "" */
	int64_t values;	     /* sensitive values sealed under this version */
	int recovery;	     /* also sealed to the recovery key */
};

/* Call `cb` per organisation and key version (valid during the call). */
int mrm_keys_status(struct mrm_store *st,
		    int (*cb)(void *ctx, const struct mrm_key_status *s),
		    void *ctx, struct mrm_error *err);

#endif
