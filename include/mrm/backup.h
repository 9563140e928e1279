/*
 * backup.h - encrypted backups of a database, and restoring them.
 *
 * A backup is an online, consistent copy of the database (SQLite's backup
 * API, so writers may go on meanwhile) encrypted as one libsodium
 * secretstream (XChaCha20-Poly1305) under a key derived from the
 * database's field key (crypto_kdf, context "mrmbakup", subkey 1). The
 * key file is therefore needed to restore, and must be kept apart from
 * the backups.
 *
 * File format, version 1:
 *
 *   "mrm-backup-v1\n"            the magic line (14 bytes)
 *   secretstream header          24 bytes
 *   chunk 0                      the plain copy's size, 8 bytes big-endian,
 *                                sealed (tag MESSAGE)
 *   chunks 1..n                  the copy, 64 KiB each, the last shorter
 *                                or empty and tagged FINAL
 *
 * Every chunk carries the magic line as associated data. Nothing follows
 * the final chunk.
 */
#ifndef MRM_BACKUP_H
#define MRM_BACKUP_H

#include "mrm/error.h"

struct mrm_store;

#define MRM_BACKUP_MAGIC "mrm-backup-v1\n"

/*
 * Write an encrypted backup of the open store `st` to `out`, which must
 * not exist. The file is written as `out`.tmp (mode 0600) and renamed to
 * `out` only when complete; the temporary plain copy (mode 0600, beside
 * `out`) is removed on every path. On failure nothing is left behind.
 */
int mrm_backup_create(struct mrm_store *st, const char *out,
		      struct mrm_error *err);

/*
 * Restore the backup `from` into a new database `db_path` (which must not
 * exist, nor `db_path`.key), using `key_path`, the key file of the
 * database the backup was taken from; that key file is copied to
 * `db_path`.key (mode 0600). The whole stream is authenticated before the
 * database is renamed into place, and the result must open with
 * mrm_store_open(). A truncated, altered or wrong-key backup, or a file
 * that is not a backup, is an error that leaves no file behind.
 */
int mrm_backup_restore(const char *key_path, const char *from,
		       const char *db_path, struct mrm_error *err);

#endif
