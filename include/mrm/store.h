/*
 * store.h - the case store: one database holding an organisation's (or a
 * network's) documentation.
 *
 * struct mrm_store is the one handle every module goes through. This
 * release implements it on an embedded SQLite file (WAL mode, foreign keys
 * on, secure_delete on, schema versioned with migrations). The sensitive
 * columns are sealed under per-organisation data keys, which the
 * key-encryption key unwraps (mrm/keyring.h): that key is read from the key
 * file DB.key beside the database, or derived from a passphrase.
 *
 * Writes go through mrm_store_begin()/mrm_store_commit(), so that a failed
 * operation is rolled back whole with mrm_store_rollback().
 */
#ifndef MRM_STORE_H
#define MRM_STORE_H

#include "mrm/crypto.h"
#include "mrm/error.h"

#include <stdint.h>

struct mrm_store;
struct mrm_vocab;
struct sqlite3;
struct sqlite3_stmt;

/* Current schema version; older databases are migrated on open. */
#define MRM_SCHEMA_VERSION 8

/*
 * Create a new database at `path` and its key file `path`.key (mode 0600),
 * load the shipped vocabularies. Refuses to overwrite either file. On
 * failure neither file is left behind.
 */
int mrm_store_create(const char *path, struct mrm_error *err);

/*
 * As mrm_store_create(), with the key-encryption key `kek` says: NULL or
 * no passphrase is a key file DB.key; a passphrase makes no key file and
 * keeps its Argon2id salt and limits in the database.
 */
struct mrm_kek_spec;
int mrm_store_create_kek(const char *path, const struct mrm_kek_spec *kek,
			 struct mrm_error *err);

/*
 * SQLite's settings for a program that works with several threads: no
 * global mutex around its every allocation (the server's workers and an
 * import's reader and writer would queue on it). SQLite takes them only
 * before its first use, so a program calls this first thing (mrm's main()
 * does); later it changes nothing.
 */
void mrm_store_process_init(void);

/*
 * Open an existing database read-write and unlock it with its key file.
 * A missing database, a file that is not an mrm database, a missing or
 * wrong key are each a clear error. Close with mrm_store_close().
 */
int mrm_store_open(struct mrm_store **out, const char *path,
		   struct mrm_error *err);
/* Open a database locked with a passphrase (`len` bytes). A wrong one is
 * MRM_ERR_CRYPTO ("the key does not open this database") and writes
 * nothing. */
int mrm_store_open_passphrase(struct mrm_store **out, const char *path,
			      const char *passphrase, size_t len,
			      struct mrm_error *err);
/* Open with a key-encryption key already derived (mrm_store_key() of
 * another open store of the same database): the server's connections. */
int mrm_store_open_kek(struct mrm_store **out, const char *path,
		       const struct mrm_key *kek, struct mrm_error *err);
/*
 * mrm_store_open_kek() (a NULL `kek`: the key file, as mrm_store_open())
 * for a connection that only one thread uses at a time (the server's
 * workers): SQLite then takes no mutex around each call.
 */
int mrm_store_open_worker(struct mrm_store **out, const char *path,
			  const struct mrm_key *kek, struct mrm_error *err);
/* 1 when the database at `path` is locked with a passphrase (so that a
 * program knows to ask for one), 0 otherwise or when it cannot tell. */
int mrm_store_needs_passphrase(const char *path);
void mrm_store_close(struct mrm_store *st);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback is safe without a begin). */
int mrm_store_begin(struct mrm_store *st, struct mrm_error *err);
int mrm_store_commit(struct mrm_store *st, struct mrm_error *err);
void mrm_store_rollback(struct mrm_store *st);

/*
 * The data generation: a number that every write of documentation (events,
 * acts, persons, interventions) increases, so that caches derived from
 * them (the statistics' fact table) know they are stale. A writer calls
 * mrm_store_touch() inside its transaction; logins and other bookkeeping
 * do not.
 */
int64_t mrm_store_generation(struct mrm_store *st);
int mrm_store_touch(struct mrm_store *st, struct mrm_error *err);

/* The vocabularies, loaded on open; owned by the store. */
const struct mrm_vocab *mrm_store_vocab(const struct mrm_store *st);
/*
 * The key-encryption key; owned by the store, wiped on close. Do not seal
 * data with it: use mrm_store_seal() (mrm/keyring.h), which picks the
 * organisation's data key. (The backup key is derived from it.)
 */
const struct mrm_key *mrm_store_key(const struct mrm_store *st);
/*
 * Who writes through this handle, for the audit log (audit.h): a user id
 * (0: none) and a login, copied (up to 127 bytes). A NULL `actor` is the
 * default, "cli:<unix user>", which a new handle starts with. The server
 * sets the user of each request on its worker's handle.
 */
void mrm_store_set_actor(struct mrm_store *st, int64_t user_id,
			 const char *actor);
/* The actor set above; *user_id (may be NULL) gets its user id. */
const char *mrm_store_actor(const struct mrm_store *st, int64_t *user_id);
/* The path the store was opened with. */
const char *mrm_store_path(const struct mrm_store *st);

/*
 * The SQLite connection, for libmrm's own modules (import, export, search).
 * Code outside libmrm must not use it.
 */
struct sqlite3 *mrm_store_db(struct mrm_store *st);

/*
 * A prepared statement for `sql`, kept by the store and used again by the
 * next call with the same text (reset, bindings cleared). The store owns
 * it: do not finalize it; reset it when done. NULL when SQLite refuses
 * (mrm_store_fail() tells why). For libmrm's own modules.
 */
struct sqlite3_stmt *mrm_store_prepare(struct mrm_store *st, const char *sql);

/* Record a database failure in `err` with SQLite's message. */
int mrm_store_fail(struct mrm_store *st, struct mrm_error *err,
		   const char *what);

struct mrm_counts {
	int64_t events, acts, persons, people, organisations, users;
};

/* `persons` counts records; `people` sums victim group sizes. */
int mrm_store_counts(struct mrm_store *st, struct mrm_counts *c,
		     struct mrm_error *err);

#endif
