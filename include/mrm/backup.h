/*
 * backup.h - encrypted backups of a database, and restoring them.
 *
 * A backup is an online, consistent copy of the database (SQLite's backup
 * API, so writers may go on meanwhile) encrypted as one libsodium
 * secretstream (XChaCha20-Poly1305) under a random file key made for that
 * backup. The file key is kept in the backup's clear header twice:
 *
 *   - wrapped (XChaCha20-Poly1305) under a key derived from the
 *     database's key-encryption key (crypto_kdf, context "mrmbakup",
 *     subkey 2), so the database's key file or passphrase opens it;
 *   - sealed (crypto_box_seal) to the database's recovery public key, when
 *     it has one (mrm key recovery), so its recovery key opens it too.
 *
 * To derive a passphrase's key without the database, the header also
 * holds the passphrase's Argon2id salt and limits (never a key). The key
 * file, the passphrase or the recovery key must therefore be kept apart
 * from the backups.
 *
 * File format, version 2 (all integers big-endian):
 *
 *   offset size
 *        0   14  "mrm-backup-v2\n", the magic line
 *       14    1  'F': the database opened with a key file; 'P': with a
 *                passphrase
 *       15   16  'P': the Argon2id salt; 'F': zeros
 *       31    8  'P': the Argon2id opslimit; 'F': 0
 *       39    8  'P': the Argon2id memlimit in bytes; 'F': 0
 *       47    1  1: a recovery copy of the file key follows; 0: none
 *       48   72  the wrapped file key: nonce (24) || the file key sealed
 *                with XChaCha20-Poly1305 (32 + 16), with bytes 0..47 as
 *                associated data
 *      120   80  the recovery copy (crypto_box_seal of the file key), or
 *                zeros
 *      200   24  secretstream header (under the file key)
 *      224       chunk 0: the plain copy's size, 8 bytes, sealed (tag
 *                MESSAGE); chunks 1..n: the copy, 64 KiB each, the last
 *                shorter or empty and tagged FINAL
 *
 * Every chunk carries the 200 header bytes as associated data, so a
 * change anywhere in the header fails the restore. Nothing follows the
 * final chunk.
 *
 * Version 1 (still read): "mrm-backup-v1\n", then the secretstream header
 * and the same chunks, keyed directly by subkey 1 of the KEK, with the
 * magic line as associated data. It holds no salt, so a version 1 backup
 * of a database locked with a passphrase cannot be opened by the
 * passphrase alone (see docs/keys.md).
 *
 * The unencrypted copy that SQLite's backup API needs, and that a restore
 * decrypts into, lives in a private directory (mode 0700) beside the
 * database, ".NAME.mrm-tmp-XXXXXX", locked (flock) while in use and
 * removed on every path. A process killed meanwhile leaves it behind; the
 * next backup of, or restore into, that database removes any such
 * directory whose lock is free, and so does mrm_backup_clean().
 */
#ifndef MRM_BACKUP_H
#define MRM_BACKUP_H

#include "mrm/error.h"

#include <stddef.h>

struct mrm_store;
struct mrm_kek_spec;

#define MRM_BACKUP_MAGIC    "mrm-backup-v2\n"
#define MRM_BACKUP_MAGIC_V1 "mrm-backup-v1\n"
/* Bytes of a version 2 header before the secretstream header. */
#define MRM_BACKUP_HEAD 200

/*
 * Write an encrypted backup of the open store `st` to `out`, which must
 * not exist. The file is written as `out`.tmp (mode 0600) and renamed to
 * `out` only when complete. On failure nothing is left behind.
 */
int mrm_backup_create(struct mrm_store *st, const char *out,
		      struct mrm_error *err);

/* What a backup's clear header says. */
struct mrm_backup_info {
	int version;	/* 1 or 2 */
	int passphrase; /* 1: its database was locked with a passphrase
			   (version 2 only: version 1 does not say) */
	int recovery;	/* 1: a recovery key opens it */
};

/* Read the header of the backup `from` (not a backup: MRM_ERR_INVALID). */
int mrm_backup_info(const char *from, struct mrm_backup_info *info,
		    struct mrm_error *err);

/* What opens a backup: exactly one of the three. */
struct mrm_backup_unlock {
	/* the key file of the database it was taken from; copied to the
	 * new database's DB.key (mode 0600) */
	const char *key_path;
	/* or the passphrase the database was locked with (len bytes); the
	 * restored database opens with the same passphrase */
	const char *passphrase;
	size_t passphrase_len;
	/* or its recovery key's text; the restored database then gets the
	 * new KEK `new_kek` (a new key file or passphrase), as
	 * mrm_keys_recover() */
	const char *recovery;
	const struct mrm_kek_spec *new_kek;
};

/*
 * Restore the backup `from` into a new database `db_path` (which must not
 * exist, nor `db_path`.key), unlocking it as `u` says. A wrong key,
 * passphrase or recovery key is MRM_ERR_CRYPTO and is found before any
 * file is made. The whole stream is authenticated before the database is
 * renamed into place, and the result must open. A truncated, altered or
 * wrong-key backup, or a file that is not a backup, is an error that
 * leaves no file behind. *note (may be NULL) gets a sentence for the user
 * or NULL (static text).
 */
int mrm_backup_restore_with(const struct mrm_backup_unlock *u, const char *from,
			    const char *db_path, const char **note,
			    struct mrm_error *err);

/* mrm_backup_restore_with() with the key file `key_path`. */
int mrm_backup_restore(const char *key_path, const char *from,
		       const char *db_path, struct mrm_error *err);

/*
 * Remove the private directories a killed backup or restore left beside
 * the database `db_path` (those whose lock is free); returns how many.
 */
int mrm_backup_clean(const char *db_path);

#endif
