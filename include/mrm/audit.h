/*
 * audit.h - the tamper-evident audit log: every write, export and
 * decryption of sensitive fields, appended to a hash chain.
 *
 * Each entry says who (a user id and login, or "cli:<unix user>"), when,
 * what action, on which record (table and id) and what changed, as the
 * BLAKE2b-256 hashes of the record's stored values before and after (the
 * stored values: sensitive fields are hashed as their ciphertext, so a
 * hash never lets anyone guess a name). Entries are numbered from 1 (seq)
 * and chained:
 *
 *   hash(n) = BLAKE2b-256(hash(n-1) || canonical serialisation of entry n)
 *
 * with hash(0) 32 zero bytes. The serialisation is described in
 * docs/audit.md. An entry is appended inside the transaction of the write
 * it records, so a rolled-back write leaves no entry and a committed one
 * always has its entry. The table refuses UPDATE and DELETE (triggers),
 * which stops mistakes; mrm_audit_verify() is what detects deliberate
 * changes.
 *
 * Who is writing comes from the store (mrm_store_set_actor()): the command
 * line is "cli:<unix user>" unless told otherwise; the server sets the
 * user of each request.
 */
#ifndef MRM_AUDIT_H
#define MRM_AUDIT_H

#include "mrm/error.h"

#include <jansson.h>
#include <stdint.h>

struct mrm_store;
struct sqlite3_stmt;

#define MRM_AUDIT_HASH	    32 /* bytes of every hash */
#define MRM_AUDIT_HEAD_MAX  96 /* "SEQ:HEX" of mrm_audit_head(), with NUL */
#define MRM_AUDIT_LIMIT_MAX 1000

/* One entry to append. Strings may be NULL unless said otherwise. */
struct mrm_audit_entry {
	const char *action; /* required: "create", "import", "export",
			       "decrypt", "login", ... (docs/audit.md) */
	const char *table;  /* the record's table ("event", "person") */
	int64_t record;	    /* the record's id; 0: none */
	const char *detail; /* what else helps, never a sensitive value */
	const unsigned char *old_hash; /* MRM_AUDIT_HASH bytes, or NULL */
	const unsigned char *new_hash; /* MRM_AUDIT_HASH bytes, or NULL */
	/* Who, when it is not the store's actor (a login names its user
	 * before the session exists): actor non-NULL overrides both. */
	int64_t user_id;
	const char *actor;
};

/*
 * Append `e` to the chain. Must be called inside a transaction
 * (mrm_store_begin()): MRM_ERR_INVALID otherwise, so that no write can be
 * recorded apart from its own transaction.
 */
int mrm_audit_append(struct mrm_store *st, const struct mrm_audit_entry *e,
		     struct mrm_error *err);

/*
 * The same for many entries in one transaction (an import): load the head
 * once, then append entry after entry. The chain must not be appended to
 * by other means meanwhile.
 */
struct mrm_audit_chain {
	int64_t seq;
	unsigned char hash[MRM_AUDIT_HASH];
};
int mrm_audit_chain_load(struct mrm_store *st, struct mrm_audit_chain *c,
			 struct mrm_error *err);
int mrm_audit_chain_append(struct mrm_store *st, struct mrm_audit_chain *c,
			   const struct mrm_audit_entry *e,
			   struct mrm_error *err);

/* Append `e` in a transaction of its own: for what is not a write of the
 * database (an export, a decryption, a backup). */
int mrm_audit_note(struct mrm_store *st, const struct mrm_audit_entry *e,
		   struct mrm_error *err);

/*
 * The hash of a row as stored: of the current row of `s` (stepped to
 * SQLITE_ROW), each column as its name, type and value (docs/audit.md).
 */
void mrm_audit_row_hash(struct sqlite3_stmt *s,
			unsigned char out[MRM_AUDIT_HASH]);

/*
 * Step `s` (a prepared, bound SELECT) to its end and call `cb` with each
 * row's first column (as an integer: its id) and its row hash, in row
 * order; a non-zero return of `cb` stops the walk and is returned. Faster
 * than mrm_audit_row_hash() row by row: the column names are serialised
 * once, and a helper thread hashes a batch of rows while the next is read
 * (so `cb` is called a batch behind the statement). `s` is reset. `cb`
 * runs on the calling thread.
 */
int mrm_audit_each_row(struct mrm_store *st, struct sqlite3_stmt *s,
		       int (*cb)(void *ctx, int64_t first,
				 const unsigned char hash[MRM_AUDIT_HASH]),
		       void *ctx, struct mrm_error *err);

/*
 * The hash of the rows that `s` (a prepared, bound SELECT) gives: BLAKE2b
 * of their row hashes in order. *nrows (may be NULL) is set to the number
 * of rows; `s` is reset.
 */
int mrm_audit_hash_rows(struct mrm_store *st, struct sqlite3_stmt *s,
			unsigned char out[MRM_AUDIT_HASH], int64_t *nrows,
			struct mrm_error *err);

/* The row hash of row `id` of `table` (by rowid); for a missing row, the
 * BLAKE2b of nothing, so that a deleted record has a defined hash. */
int mrm_audit_hash_record(struct mrm_store *st, const char *table, int64_t id,
			  unsigned char out[MRM_AUDIT_HASH],
			  struct mrm_error *err);

/*
 * Append a "create" entry for row `id` of `table`, just written in the
 * current transaction: its hash is the new hash. For the one-row writes
 * (organisations, users, tokens).
 */
int mrm_audit_created(struct mrm_store *st, const char *table, int64_t id,
		      const char *detail, struct mrm_error *err);

/*
 * Append `e` with the hash of the rows `sql` selects (a SELECT with one
 * parameter: `blob` of `len` bytes, or `id` when `blob` is NULL) as its
 * new hash (`after` 1, call it after the write) or its old hash (`after`
 * 0, before). For rows without an id of their own (sessions and tokens,
 * keyed by a token's hash; an event's shares).
 */
int mrm_audit_rows(struct mrm_store *st, const struct mrm_audit_entry *e,
		   const char *sql, const void *blob, size_t len, int64_t id,
		   int after, struct mrm_error *err);

/*
 * The hash of the rows `sql` (a SELECT) gives, as mrm_audit_hash_rows():
 * `arg` is bound to its parameter when it has one. *nrows (may be NULL)
 * gets their number.
 */
int mrm_audit_hash_query(struct mrm_store *st, const char *sql, int64_t arg,
			 unsigned char out[MRM_AUDIT_HASH], int64_t *nrows,
			 struct mrm_error *err);

/*
 * A change of a record, recorded with its hashes before and after: fill
 * in `table` and `record`, and `sql` and `arg` when the record is not one
 * row of `table` by rowid (then the rows `sql` selects with `arg`, as
 * mrm_audit_hash_query()); call mrm_audit_change_begin() before the write
 * and mrm_audit_change_end() after it, in the same transaction. The
 * entry has the action and detail given to the end, the hashes of the
 * rows before and after.
 */
struct mrm_audit_change {
	const char *table;
	int64_t record;
	const char *sql; /* NULL: the row of `table` whose rowid is `record` */
	int64_t arg;
	unsigned char old[MRM_AUDIT_HASH];
	int64_t old_rows; /* how many rows `sql` gave before */
};
int mrm_audit_change_begin(struct mrm_store *st, struct mrm_audit_change *c,
			   struct mrm_error *err);
int mrm_audit_change_end(struct mrm_store *st, struct mrm_audit_change *c,
			 const char *action, const char *detail,
			 struct mrm_error *err);

/* The last entry: its seq (0 when the log is empty) and hash. */
int mrm_audit_head(struct mrm_store *st, int64_t *seq,
		   unsigned char hash[MRM_AUDIT_HASH], struct mrm_error *err);

/* The head as "SEQ:HEX" (the form --expect-head takes) into `out`. */
void mrm_audit_head_format(int64_t seq, const unsigned char *hash,
			   char out[MRM_AUDIT_HEAD_MAX]);

/* What mrm_audit_verify() found. */
struct mrm_audit_report {
	int64_t entries;  /* entries read */
	int64_t head_seq; /* the last good entry */
	unsigned char head[MRM_AUDIT_HASH];
	int64_t bad_seq; /* the first bad entry, 0 when none */
	char problem[512];
};

/*
 * Walk the chain from entry 1 and check that the entries are numbered
 * without gaps, that each follows its predecessor's hash and that its
 * hash matches its content. `expect_head` (NULL when not given) is a head
 * noted earlier ("SEQ:HEX", or HEX alone for the current head): the
 * chain must still hold that entry with that hash. Returns 0 when all is
 * well; MRM_ERR_INVALID (a malformed `expect_head`, err->where
 * "--expect-head") or MRM_ERR_CRYPTO when the chain is broken, with the
 * first bad entry in r->bad_seq and the problem in r->problem and err.
 */
int mrm_audit_verify(struct mrm_store *st, const char *expect_head,
		     struct mrm_audit_report *r, struct mrm_error *err);

/* Which entries to list; NULL and 0 members do not filter. */
struct mrm_audit_filter {
	const char *since, *until; /* ISO dates or date-times, inclusive at
				      their precision (UTC) */
	const char *user;	   /* the actor: a login or "cli:NAME" */
	const char *table;
	int64_t record;
	const char *action;
};

/*
 * Call `cb` with up to `limit` (1 to MRM_AUDIT_LIMIT_MAX) entries matching
 * `f`, newest first, with seq below `before` (0: from the newest); each
 * entry is a JSON object {"seq", "at", "user_id", "actor", "action",
 * "table", "record", "detail", "old_hash", "new_hash", "hash"} (hashes
 * in hex; absent members null), borrowed by `cb`. *next is the cursor of
 * the next page, 0 when there is none. A malformed date is
 * MRM_ERR_INVALID with err->where "since" or "until". A non-zero return of
 * `cb` stops the list and is returned.
 */
int mrm_audit_list(struct mrm_store *st, const struct mrm_audit_filter *f,
		   int64_t before, unsigned limit,
		   int (*cb)(void *ctx, json_t *entry), void *ctx,
		   int64_t *next, struct mrm_error *err);

/* The canonical serialisation and hash of one entry, for tests and for
 * whoever checks the chain with another tool (docs/audit.md). */
struct mrm_audit_fields {
	int64_t seq;
	const char *at;
	int64_t user_id; /* 0: NULL */
	const char *actor, *action, *table;
	int64_t record; /* 0: NULL */
	const char *detail;
	const unsigned char *old_hash, *new_hash;
};
void mrm_audit_entry_hash(const unsigned char prev[MRM_AUDIT_HASH],
			  const struct mrm_audit_fields *f,
			  unsigned char out[MRM_AUDIT_HASH]);

#endif
