/*
 * crypto.h - field encryption at rest and password hashing (libsodium).
 *
 * Sensitive fields are sealed with XChaCha20-Poly1305 under the database's
 * data key. The associated data names the record and the field
 * ("person/42/name"), so a ciphertext copied onto another record or field
 * fails to open. A sealed value is nonce (24 bytes) || ciphertext || tag.
 *
 * The key lives in a file beside the database (DB.key, mode 0600), never in
 * the database itself.
 */
#ifndef MRM_CRYPTO_H
#define MRM_CRYPTO_H

#include "mrm/buf.h"
#include "mrm/error.h"

#include <stddef.h>

#define MRM_KEY_BYTES	  32
#define MRM_SEAL_OVERHEAD (24 + 16)
#define MRM_PWHASH_BYTES  128

struct mrm_key {
	unsigned char bytes[MRM_KEY_BYTES];
};

/* Initialise libsodium; safe to call more than once. */
int mrm_crypto_init(struct mrm_error *err);

/*
 * Create a new random key and write it to `path`, which must not exist,
 * with mode 0600. The key is also returned in `key`.
 */
int mrm_key_create(const char *path, struct mrm_key *key,
		   struct mrm_error *err);

/*
 * Read the key at `path`. Refuses a file that others can read (the message
 * says how to fix the mode) and a file that is not a key.
 */
int mrm_key_load(const char *path, struct mrm_key *key, struct mrm_error *err);

/* Overwrite the key's memory. */
void mrm_key_wipe(struct mrm_key *key);

/* The key file that belongs to database `db_path`: "DB.key" (malloc'd). */
char *mrm_key_path_for(const char *db_path);

/*
 * Seal `len` bytes of `plain` with associated data `ad` (a C string) and
 * append nonce || ciphertext || tag to `out`.
 */
int mrm_seal(const struct mrm_key *key, const char *ad, const void *plain,
	     size_t len, struct mrm_buf *out, struct mrm_error *err);

/*
 * Open a sealed value; append the plaintext to `out` (NUL-terminated by the
 * buffer). A wrong key, wrong associated data or altered bytes give
 * MRM_ERR_CRYPTO and leave `out` unchanged.
 */
int mrm_unseal(const struct mrm_key *key, const char *ad, const void *sealed,
	       size_t len, struct mrm_buf *out, struct mrm_error *err);

/* Argon2id hash of a password into `out` (a C string of < MRM_PWHASH_BYTES). */
int mrm_password_hash(const char *password, char out[MRM_PWHASH_BYTES],
		      struct mrm_error *err);
/* 1 when `password` matches `hash`, 0 when not. */
int mrm_password_verify(const char *hash, const char *password);

#endif
