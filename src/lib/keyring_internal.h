/*
 * keyring_internal.h - what store.c and keyring.c share about unlocking a
 * database (libmrm only).
 */
#ifndef MRM_KEYRING_INTERNAL_H
#define MRM_KEYRING_INTERNAL_H

#include "mrm/keyring.h"
#include "mrm/store.h"

#include <sodium.h>

struct mrm_keyring;

/* How to unlock a database being opened; all NULL: its key file. */
struct store_unlock {
	const struct mrm_key *kek; /* an already derived KEK */
	const char *passphrase;	   /* or a passphrase */
	size_t passphrase_len;
	int no_kek; /* open without a KEK (recovery); no key check */
	int worker; /* used by one thread at a time: no SQLite mutex */
};

/* store.c: open as `u` says. */
int store_open_with(struct mrm_store **out, const char *path,
		    const struct store_unlock *u, struct mrm_error *err);
/* store.c: the store's KEK and key cache, for keyring.c. */
struct mrm_key *store_kek(struct mrm_store *st);
struct mrm_keyring **store_keyring(struct mrm_store *st);

/* 1 when the database locks with a passphrase, 0 with a key file. */
int keyring_kek_is_passphrase(struct mrm_store *st);
/* Derive the KEK from `pass` with the salt and limits in meta. */
int keyring_kek_derive(struct mrm_store *st, const char *pass, size_t len,
		       struct mrm_error *err);
/*
 * At creation, inside its transaction: the KEK as `spec` says (NULL: a
 * key file, already loaded into the store's KEK by the caller), its meta
 * rows and the key check.
 */
int keyring_kek_init(struct mrm_store *st, const struct mrm_kek_spec *spec,
		     struct mrm_error *err);
/* Check the store's KEK against the key check; `what` names the key. */
int keyring_keycheck(struct mrm_store *st, const char *what,
		     struct mrm_error *err);
/* After migrations: finish converting version-0 values, if any. */
int keyring_open(struct mrm_store *st, struct mrm_error *err);
void keyring_free(struct mrm_keyring *kr);

/*
 * backup.c: derive a KEK from a passphrase with a backup's salt and
 * limits; limits beyond libsodium's SENSITIVE level are MRM_ERR_INVALID
 * (they come from a file, which must not make us allocate without bound).
 */
int keyring_kek_argon2(struct mrm_key *kek, const char *pass, size_t len,
		       const unsigned char salt[crypto_pwhash_SALTBYTES],
		       unsigned long long ops, size_t mem,
		       struct mrm_error *err);
/* backup.c: the recovery key pair of a recovery key's text (a mistyped
 * one is MRM_ERR_INVALID or MRM_ERR_CRYPTO, as mrm_keys_recover()). */
int keyring_recovery_keypair(const char *text,
			     unsigned char pk[crypto_box_PUBLICKEYBYTES],
			     unsigned char sk[crypto_box_SECRETKEYBYTES],
			     struct mrm_error *err);

#endif
