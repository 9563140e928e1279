/* audit.c - see include/mrm/audit.h and docs/audit.md */
#include "mrm/audit.h"

#include "mrm/buf.h"
#include "mrm/store.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SERIAL_VERSION 1

/* Value tags of the canonical serialisation (docs/audit.md). */
enum { TAG_NULL = 0, TAG_INT = 1, TAG_TEXT = 2, TAG_BLOB = 3, TAG_REAL = 4 };

#define ENTRY_COLUMNS                                                          \
	"seq, at, user_id, actor, action, tbl, record, detail, old_hash,"      \
	" new_hash, prev_hash, hash"

/* ---- the canonical serialisation ---- */

/*
 * The bytes of a serialisation go to BLAKE2b through a small buffer: a row
 * is many short values (a tag, a length, a few bytes each), and one
 * update per value cost an import more than its inserts did.
 */
struct sink {
	crypto_generichash_state h;
	struct mrm_buf *to; /* set: the bytes are kept there, not hashed */
	int failed;	    /* ... and one did not fit */
	size_t n;
	unsigned char b[2048];
};

static void sink_init(struct sink *k)
{
	crypto_generichash_init(&k->h, NULL, 0, MRM_AUDIT_HASH);
	k->to = NULL;
	k->n = 0;
}

static void sink_flush(struct sink *k)
{
	crypto_generichash_update(&k->h, k->b, (unsigned long long)k->n);
	k->n = 0;
}

static void sink_put(struct sink *k, const void *p, size_t n)
{
	if (k->to) {
		k->failed |= mrm_buf_add(k->to, p, n) != 0;
		return;
	}
	if (n > sizeof(k->b) - k->n) {
		sink_flush(k);
		if (n > sizeof(k->b)) {
			crypto_generichash_update(&k->h, p,
						  (unsigned long long)n);
			return;
		}
	}
	memcpy(k->b + k->n, p, n);
	k->n += n;
}

static void sink_final(struct sink *k, unsigned char out[MRM_AUDIT_HASH])
{
	sink_flush(k);
	crypto_generichash_final(&k->h, out, MRM_AUDIT_HASH);
}

static void put_be(struct sink *k, uint64_t v, int bytes)
{
	unsigned char b[8];

	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	sink_put(k, b, (size_t)bytes);
}

static void put_tag(struct sink *k, int tag)
{
	unsigned char t = (unsigned char)tag;

	sink_put(k, &t, 1);
}

static void put_int(struct sink *k, int64_t v)
{
	put_tag(k, TAG_INT);
	put_be(k, (uint64_t)v, 8);
}

/* An integer where 0 stands for NULL. */
static void put_opt_int(struct sink *k, int64_t v)
{
	if (v)
		put_int(k, v);
	else
		put_tag(k, TAG_NULL);
}

static void put_bytes(struct sink *k, int tag, const void *p, size_t n)
{
	if (!p) {
		put_tag(k, TAG_NULL);
		return;
	}
	put_tag(k, tag);
	put_be(k, (uint64_t)n, 4);
	sink_put(k, p, n);
}

static void put_text(struct sink *k, const char *s)
{
	put_bytes(k, TAG_TEXT, s, s ? strlen(s) : 0);
}

void mrm_audit_entry_hash(const unsigned char prev[MRM_AUDIT_HASH],
			  const struct mrm_audit_fields *f,
			  unsigned char out[MRM_AUDIT_HASH])
{
	struct sink k;

	sink_init(&k);
	sink_put(&k, prev, MRM_AUDIT_HASH);
	put_tag(&k, SERIAL_VERSION);
	put_int(&k, f->seq);
	put_text(&k, f->at);
	put_opt_int(&k, f->user_id);
	put_text(&k, f->actor);
	put_text(&k, f->action);
	put_text(&k, f->table);
	put_opt_int(&k, f->record);
	put_text(&k, f->detail);
	put_bytes(&k, TAG_BLOB, f->old_hash, MRM_AUDIT_HASH);
	put_bytes(&k, TAG_BLOB, f->new_hash, MRM_AUDIT_HASH);
	sink_final(&k, out);
}

/* ---- hashes of records ---- */

/* The value of column `col` of the current row of `s`; the caller holds
 * the connection's mutex, which makes it safe to read directly. */
static void put_value(struct sink *h, sqlite3_stmt *s, int col)
{
	sqlite3_value *v = sqlite3_column_value(s, col);
	const void *blob;
	union {
		double d;
		uint64_t u;
	} real;

	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL: put_tag(h, TAG_NULL); break;
	case SQLITE_INTEGER: put_int(h, sqlite3_value_int64(v)); break;
	case SQLITE_FLOAT:
		real.d = sqlite3_value_double(v);
		put_tag(h, TAG_REAL);
		put_be(h, real.u, 8);
		break;
	case SQLITE_BLOB:
		blob = sqlite3_value_blob(v);
		put_bytes(h, TAG_BLOB, blob ? blob : "",
			  (size_t)sqlite3_value_bytes(v));
		break;
	default:
		blob = sqlite3_value_text(v);
		put_bytes(h, TAG_TEXT, blob, (size_t)sqlite3_value_bytes(v));
	}
}

/*
 * The serialised names of the columns of a statement, made once for all
 * its rows: name c is bytes off[c] to off[c + 1] of `b`.
 */
struct names {
	int ncol;
	size_t *off;
	unsigned char *b;
};

static void names_release(struct names *n)
{
	free(n->off);
	free(n->b);
}

static int names_init(struct names *n, sqlite3_stmt *s)
{
	size_t len = 0;

	n->ncol = sqlite3_column_count(s);
	n->off = malloc(((size_t)n->ncol + 1) * sizeof(*n->off));
	for (int c = 0; c < n->ncol; c++)
		len += 5 + strlen(sqlite3_column_name(s, c));
	n->b = malloc(len ? len : 1);
	if (!n->off || !n->b) {
		names_release(n);
		return -1;
	}
	n->off[0] = 0;
	for (int c = 0; c < n->ncol; c++) {
		const char *name = sqlite3_column_name(s, c);
		size_t k = strlen(name), at = n->off[c];

		n->b[at] = TAG_TEXT;
		for (int i = 0; i < 4; i++)
			n->b[at + 1 + (size_t)i] =
				(unsigned char)(k >> (8 * (3 - i)));
		memcpy(n->b + at + 5, name, k);
		n->off[c + 1] = at + 5 + k;
	}
	return 0;
}

/* The row hash of the current row of `s`, its names serialised in `n`. */
static void row_put(struct sink *k, sqlite3_stmt *s, const struct names *n)
{
	put_int(k, n->ncol);
	for (int c = 0; c < n->ncol; c++) {
		sink_put(k, n->b + n->off[c], n->off[c + 1] - n->off[c]);
		put_value(k, s, c);
	}
}

void mrm_audit_row_hash(struct sqlite3_stmt *s,
			unsigned char out[MRM_AUDIT_HASH])
{
	/* Each sqlite3_column_*() call takes the connection's mutex: hold
	 * it (it is recursive) for the row instead, and read the values
	 * under it. */
	sqlite3_mutex *m = sqlite3_db_mutex(sqlite3_db_handle(s));
	int ncol = sqlite3_column_count(s);
	struct sink k;

	sqlite3_mutex_enter(m);
	sink_init(&k);
	put_int(&k, ncol);
	for (int c = 0; c < ncol; c++) {
		put_text(&k, sqlite3_column_name(s, c));
		put_value(&k, s, c);
	}
	sqlite3_mutex_leave(m);
	sink_final(&k, out);
}

/*
 * A walk's rows go in batches: the walking thread serialises a batch while
 * a helper thread hashes the one before (BLAKE2b is a good part of an
 * import's audit), then the walker hands the hashes to the callback in row
 * order. A walk shorter than one batch has no helper.
 */
#define BATCH_ROWS 512

struct batch {
	struct mrm_buf bytes; /* the rows' serialisations, one after another */
	size_t off[BATCH_ROWS + 1];
	int64_t first[BATCH_ROWS]; /* each row's first column */
	unsigned char hash[BATCH_ROWS][MRM_AUDIT_HASH];
	size_t n;
};

struct hasher {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *job; /* to hash; NULL when the helper is idle */
	int quit;
};

static void batch_hash(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		crypto_generichash(b->hash[i], MRM_AUDIT_HASH,
				   (const unsigned char *)b->bytes.ptr +
					   b->off[i],
				   b->off[i + 1] - b->off[i], NULL, 0);
}

static void *hasher_main(void *arg)
{
	struct hasher *h = arg;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->job && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (!h->job)
			break;
		pthread_mutex_unlock(&h->mu);
		batch_hash(h->job);
		pthread_mutex_lock(&h->mu);
		h->job = NULL;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* Wait until the helper is idle; then give it `b` (NULL: nothing). */
static void hasher_give(struct hasher *h, struct batch *b)
{
	pthread_mutex_lock(&h->mu);
	while (h->job)
		pthread_cond_wait(&h->cv, &h->mu);
	h->job = b;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

/* The hashes of `b`, in order, to the callback; the batch emptied. */
static int batch_done(struct batch *b,
		      int (*cb)(void *ctx, int64_t first,
				const unsigned char hash[MRM_AUDIT_HASH]),
		      void *ctx)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < b->n; i++)
		rc = cb(ctx, b->first[i], b->hash[i]);
	b->n = 0;
	mrm_buf_reset(&b->bytes);
	return rc;
}

int mrm_audit_each_row(struct mrm_store *st, sqlite3_stmt *s,
		       int (*cb)(void *ctx, int64_t first,
				 const unsigned char hash[MRM_AUDIT_HASH]),
		       void *ctx, struct mrm_error *err)
{
	sqlite3_mutex *m = sqlite3_db_mutex(mrm_store_db(st));
	struct hasher h = {.job = NULL, .quit = 0};
	struct batch *b = calloc(2, sizeof(*b)), *prev = NULL;
	struct sink k = {.failed = 0};
	int rc = 0, step = SQLITE_DONE, helper = 0;
	struct names n;

	if (!b || names_init(&n, s)) {
		free(b);
		return mrm_error_set(err, MRM_ERR_NOMEM, "audit",
				     "out of memory");
	}
	for (int i = 0; i < 2; i++)
		mrm_buf_init(&b[i].bytes, SIZE_MAX);
	pthread_mutex_init(&h.mu, NULL);
	pthread_cond_init(&h.cv, NULL);
	/* the mutex held for the walk: see mrm_audit_row_hash() */
	sqlite3_mutex_enter(m);
	for (struct batch *cur = b; !rc;) {
		step = sqlite3_step(s);
		if (step == SQLITE_ROW) {
			k.to = &cur->bytes;
			cur->first[cur->n] = sqlite3_column_int64(s, 0);
			cur->off[cur->n] = cur->bytes.len;
			row_put(&k, s, &n);
			cur->off[++cur->n] = cur->bytes.len;
			if (k.failed)
				rc = mrm_error_set(err, MRM_ERR_NOMEM, "audit",
						   "out of memory");
			if (cur->n < BATCH_ROWS)
				continue;
		}
		/* a full batch, or the last: hashed by the helper while the
		 * walker goes on, else here */
		if (!rc && !helper && step == SQLITE_ROW)
			helper = !pthread_create(&h.thread, NULL, hasher_main,
						 &h);
		if (helper)
			hasher_give(&h, cur);
		else
			batch_hash(cur);
		if (!rc && prev)
			rc = batch_done(prev, cb, ctx);
		prev = helper ? cur : NULL;
		if (!rc && !helper)
			rc = batch_done(cur, cb, ctx);
		if (step != SQLITE_ROW)
			break;
		cur = cur == b ? b + 1 : b;
	}
	if (helper) {
		hasher_give(&h, NULL); /* wait for the last batch */
		if (!rc && prev)
			rc = batch_done(prev, cb, ctx);
		pthread_mutex_lock(&h.mu);
		h.quit = 1;
		pthread_cond_broadcast(&h.cv);
		pthread_mutex_unlock(&h.mu);
		pthread_join(h.thread, NULL);
	}
	if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "audit: hashing");
	sqlite3_reset(s);
	sqlite3_mutex_leave(m);
	pthread_cond_destroy(&h.cv);
	pthread_mutex_destroy(&h.mu);
	for (int i = 0; i < 2; i++)
		mrm_buf_release(&b[i].bytes);
	free(b);
	names_release(&n);
	return rc;
}

struct rows_sum {
	crypto_generichash_state h;
	int64_t n;
};

static int add_row(void *ctx, int64_t first,
		   const unsigned char hash[MRM_AUDIT_HASH])
{
	struct rows_sum *r = ctx;

	(void)first;
	crypto_generichash_update(&r->h, hash, MRM_AUDIT_HASH);
	r->n++;
	return 0;
}

int mrm_audit_hash_rows(struct mrm_store *st, sqlite3_stmt *s,
			unsigned char out[MRM_AUDIT_HASH], int64_t *nrows,
			struct mrm_error *err)
{
	struct rows_sum r = {.n = 0};
	int rc;

	crypto_generichash_init(&r.h, NULL, 0, MRM_AUDIT_HASH);
	rc = mrm_audit_each_row(st, s, add_row, &r, err);
	if (nrows)
		*nrows = r.n;
	crypto_generichash_final(&r.h, out, MRM_AUDIT_HASH);
	return rc;
}

int mrm_audit_hash_record(struct mrm_store *st, const char *table, int64_t id,
			  unsigned char out[MRM_AUDIT_HASH],
			  struct mrm_error *err)
{
	char sql[128];
	sqlite3_stmt *s;

	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" WHERE rowid = ?",
		 table);
	s = mrm_store_prepare(st, sql);
	if (!s)
		return mrm_store_fail(st, err, "audit: hashing");
	sqlite3_bind_int64(s, 1, id);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW: mrm_audit_row_hash(s, out); break;
	case SQLITE_DONE: /* no such row: the hash of nothing */
		crypto_generichash(out, MRM_AUDIT_HASH, NULL, 0, NULL, 0);
		break;
	default: sqlite3_reset(s); return mrm_store_fail(st, err, "audit");
	}
	sqlite3_reset(s);
	return 0;
}

/* ---- appending ---- */

static void now_iso(char out[32])
{
	/* the seconds are formatted once a second (an import appends tens
	 * of thousands of entries in one) */
	static _Thread_local time_t last = -1;
	static _Thread_local char sec[24];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != last) {
		gmtime_r(&ts.tv_sec, &tm);
		strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
		last = ts.tv_sec;
	}
	ms = (int)(ts.tv_nsec / 1000000);
	n = strlen(sec);
	memcpy(out, sec, n);
	out[n] = '.';
	out[n + 1] = (char)('0' + ms / 100);
	out[n + 2] = (char)('0' + ms / 10 % 10);
	out[n + 3] = (char)('0' + ms % 10);
	out[n + 4] = 'Z';
	out[n + 5] = '\0';
}

int mrm_audit_head(struct mrm_store *st, int64_t *seq,
		   unsigned char hash[MRM_AUDIT_HASH], struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
	int rc = 0;

	*seq = 0;
	memset(hash, 0, MRM_AUDIT_HASH);
	if (!s)
		return mrm_store_fail(st, err, "audit: reading the head");
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		*seq = sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) != MRM_AUDIT_HASH)
			rc = mrm_error_set(err, MRM_ERR_CRYPTO, "audit",
					   "entry %lld has no valid hash; run "
					   "mrm audit verify",
					   (long long)*seq);
		else
			memcpy(hash, sqlite3_column_blob(s, 1), MRM_AUDIT_HASH);
		break;
	case SQLITE_DONE: break;
	default: rc = mrm_store_fail(st, err, "audit: reading the head");
	}
	sqlite3_reset(s);
	return rc;
}

static void bind_opt_int(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
}

static void bind_opt_hash(sqlite3_stmt *s, int i, const unsigned char *h)
{
	if (h)
		sqlite3_bind_blob(s, i, h, MRM_AUDIT_HASH, SQLITE_STATIC);
}

int mrm_audit_chain_load(struct mrm_store *st, struct mrm_audit_chain *c,
			 struct mrm_error *err)
{
	if (sqlite3_get_autocommit(mrm_store_db(st)))
		return mrm_error_set(err, MRM_ERR_INVALID, "audit",
				     "an entry must be appended inside the "
				     "transaction of what it records");
	return mrm_audit_head(st, &c->seq, c->hash, err);
}

int mrm_audit_append(struct mrm_store *st, const struct mrm_audit_entry *e,
		     struct mrm_error *err)
{
	struct mrm_audit_chain c;
	int rc = mrm_audit_chain_load(st, &c, err);

	return rc ? rc : mrm_audit_chain_append(st, &c, e, err);
}

int mrm_audit_chain_append(struct mrm_store *st, struct mrm_audit_chain *c,
			   const struct mrm_audit_entry *e,
			   struct mrm_error *err)
{
	unsigned char hash[MRM_AUDIT_HASH];
	struct mrm_audit_fields f = {0};
	sqlite3_stmt *s;
	char at[32];
	int rc;

	if (!e->action || !*e->action)
		return mrm_error_set(err, MRM_ERR_INVALID, "audit",
				     "an entry needs an action");
	now_iso(at);
	f.seq = c->seq + 1;
	f.at = at;
	if (e->actor) {
		f.actor = e->actor;
		f.user_id = e->user_id;
	} else {
		f.actor = mrm_store_actor(st, &f.user_id);
	}
	f.action = e->action;
	f.table = e->table;
	f.record = e->record;
	f.detail = e->detail;
	f.old_hash = e->old_hash;
	f.new_hash = e->new_hash;
	mrm_audit_entry_hash(c->hash, &f, hash);
	s = mrm_store_prepare(st, "INSERT INTO audit(" ENTRY_COLUMNS ") VALUES"
				  " (?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!s)
		return mrm_store_fail(st, err, "audit: appending");
	sqlite3_bind_int64(s, 1, f.seq);
	sqlite3_bind_text(s, 2, f.at, -1, SQLITE_STATIC);
	bind_opt_int(s, 3, f.user_id);
	sqlite3_bind_text(s, 4, f.actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, f.action, -1, SQLITE_STATIC);
	if (f.table)
		sqlite3_bind_text(s, 6, f.table, -1, SQLITE_STATIC);
	bind_opt_int(s, 7, f.record);
	if (f.detail)
		sqlite3_bind_text(s, 8, f.detail, -1, SQLITE_STATIC);
	bind_opt_hash(s, 9, f.old_hash);
	bind_opt_hash(s, 10, f.new_hash);
	sqlite3_bind_blob(s, 11, c->hash, MRM_AUDIT_HASH, SQLITE_STATIC);
	sqlite3_bind_blob(s, 12, hash, MRM_AUDIT_HASH, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE
		     ? 0
		     : mrm_store_fail(st, err, "audit: appending");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (!rc) {
		c->seq = f.seq;
		memcpy(c->hash, hash, MRM_AUDIT_HASH);
	}
	return rc;
}

int mrm_audit_note(struct mrm_store *st, const struct mrm_audit_entry *e,
		   struct mrm_error *err)
{
	int rc = mrm_store_begin(st, err);

	if (!rc)
		rc = mrm_audit_append(st, e, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

int mrm_audit_created(struct mrm_store *st, const char *table, int64_t id,
		      const char *detail, struct mrm_error *err)
{
	unsigned char h[MRM_AUDIT_HASH];
	struct mrm_audit_entry e = {.action = "create",
				    .table = table,
				    .record = id,
				    .detail = detail,
				    .new_hash = h};
	int rc = mrm_audit_hash_record(st, table, id, h, err);

	return rc ? rc : mrm_audit_append(st, &e, err);
}

int mrm_audit_rows(struct mrm_store *st, const struct mrm_audit_entry *e,
		   const char *sql, const void *blob, size_t len, int64_t id,
		   int after, struct mrm_error *err)
{
	unsigned char h[MRM_AUDIT_HASH];
	struct mrm_audit_entry x = *e;
	sqlite3_stmt *s = mrm_store_prepare(st, sql);
	int rc;

	if (!s)
		return mrm_store_fail(st, err, "audit: hashing");
	if (blob)
		sqlite3_bind_blob(s, 1, blob, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	rc = mrm_audit_hash_rows(st, s, h, NULL, err);
	sqlite3_clear_bindings(s);
	if (after)
		x.new_hash = h;
	else
		x.old_hash = h;
	return rc ? rc : mrm_audit_append(st, &x, err);
}

int mrm_audit_hash_query(struct mrm_store *st, const char *sql, int64_t arg,
			 unsigned char out[MRM_AUDIT_HASH], int64_t *nrows,
			 struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(st, sql);
	int rc;

	if (!s)
		return mrm_store_fail(st, err, "audit: hashing");
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, arg);
	rc = mrm_audit_hash_rows(st, s, out, nrows, err);
	sqlite3_clear_bindings(s);
	return rc;
}

static int change_hash(struct mrm_store *st, const struct mrm_audit_change *c,
		       unsigned char out[MRM_AUDIT_HASH], int64_t *nrows,
		       struct mrm_error *err)
{
	if (c->sql)
		return mrm_audit_hash_query(st, c->sql, c->arg, out, nrows,
					    err);
	*nrows = 1;
	return mrm_audit_hash_record(st, c->table, c->record, out, err);
}

int mrm_audit_change_begin(struct mrm_store *st, struct mrm_audit_change *c,
			   struct mrm_error *err)
{
	if (sqlite3_get_autocommit(mrm_store_db(st)))
		return mrm_error_set(err, MRM_ERR_INVALID, "audit",
				     "a change must be recorded inside the "
				     "transaction that makes it");
	return change_hash(st, c, c->old, &c->old_rows, err);
}

int mrm_audit_change_end(struct mrm_store *st, struct mrm_audit_change *c,
			 const char *action, const char *detail,
			 struct mrm_error *err)
{
	unsigned char h[MRM_AUDIT_HASH];
	int64_t n;
	struct mrm_audit_entry e = {.action = action,
				    .table = c->table,
				    .record = c->record,
				    .detail = detail,
				    .old_hash = c->old,
				    .new_hash = h};
	int rc = change_hash(st, c, h, &n, err);

	return rc ? rc : mrm_audit_append(st, &e, err);
}

void mrm_audit_head_format(int64_t seq, const unsigned char *hash,
			   char out[MRM_AUDIT_HEAD_MAX])
{
	char hex[2 * MRM_AUDIT_HASH + 1];

	sodium_bin2hex(hex, sizeof(hex), hash, MRM_AUDIT_HASH);
	snprintf(out, MRM_AUDIT_HEAD_MAX, "%lld:%s", (long long)seq, hex);
}

/* ---- verifying ---- */

struct expect {
	int given, any_seq; /* any_seq: HEX alone, the current head */
	int64_t seq;
	unsigned char hash[MRM_AUDIT_HASH];
	int found;
};

static int parse_head(const char *s, struct expect *x, struct mrm_error *err)
{
	const char *hex = strchr(s, ':');
	char *end = NULL;
	size_t n;

	x->given = 1;
	x->any_seq = !hex;
	if (hex) {
		long long v = strtoll(s, &end, 10);

		if (end != hex || v < 1)
			goto bad;
		x->seq = v;
		hex++;
	} else {
		hex = s;
	}
	if (strlen(hex) != 2 * MRM_AUDIT_HASH ||
	    sodium_hex2bin(x->hash, MRM_AUDIT_HASH, hex, strlen(hex), NULL, &n,
			   NULL) ||
	    n != MRM_AUDIT_HASH)
		goto bad;
	return 0;
bad:
	return mrm_error_set(err, MRM_ERR_INVALID, "--expect-head",
			     "\"%.100s\" is not a head: give SEQ:HEX as mrm "
			     "audit head prints it (HEX: 64 hex digits)",
			     s);
}

/* Set the report's problem for entry `seq` and return MRM_ERR_CRYPTO. */
static int broken(struct mrm_audit_report *r, struct mrm_error *err,
		  int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int broken(struct mrm_audit_report *r, struct mrm_error *err,
		  int64_t seq, const char *fmt, ...)
{
	va_list ap;

	r->bad_seq = seq;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
	va_end(ap);
	return mrm_error_set(err, MRM_ERR_CRYPTO, "audit", "entry %lld: %s",
			     (long long)seq, r->problem);
}

static const unsigned char *hash_col(sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) != SQLITE_BLOB ||
	    sqlite3_column_bytes(s, col) != MRM_AUDIT_HASH)
		return NULL;
	return sqlite3_column_blob(s, col);
}

static const char *text_col(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL
		       ? NULL
		       : (const char *)sqlite3_column_text(s, col);
}

/* A hash column that is NULL or a hash: 0, else -1. */
static int opt_hash(sqlite3_stmt *s, int col, const unsigned char **out)
{
	*out = hash_col(s, col);
	return *out || sqlite3_column_type(s, col) == SQLITE_NULL ? 0 : -1;
}

/* Check one entry against the one before it (prev: its hash). */
static int check_entry(sqlite3_stmt *s, int64_t want,
		       const unsigned char prev[MRM_AUDIT_HASH],
		       struct mrm_audit_report *r, struct mrm_error *err)
{
	struct mrm_audit_fields f = {0};
	const unsigned char *stored_prev = hash_col(s, 10),
			    *stored = hash_col(s, 11);
	unsigned char calc[MRM_AUDIT_HASH];

	f.seq = sqlite3_column_int64(s, 0);
	if (sqlite3_column_type(s, 0) != SQLITE_INTEGER || f.seq < want)
		return broken(r, err, want,
			      "an entry numbered %lld stands where entry "
			      "%lld should (inserted or renumbered)",
			      (long long)f.seq, (long long)want);
	if (f.seq > want)
		return broken(r, err, want,
			      "missing: the log goes from entry %lld to "
			      "entry %lld (deleted)",
			      (long long)want - 1, (long long)f.seq);
	if (!stored_prev || !stored)
		return broken(r, err, want,
			      "malformed: its hashes are not 32-byte values");
	if (sodium_memcmp(stored_prev, prev, MRM_AUDIT_HASH))
		return broken(r, err, want,
			      "does not follow entry %lld: the hash it chains "
			      "to is not that entry's (an entry was inserted, "
			      "removed, reordered or rewritten before it)",
			      (long long)want - 1);
	f.at = text_col(s, 1);
	f.user_id = sqlite3_column_int64(s, 2);
	f.actor = text_col(s, 3);
	f.action = text_col(s, 4);
	f.table = text_col(s, 5);
	f.record = sqlite3_column_int64(s, 6);
	f.detail = text_col(s, 7);
	if (opt_hash(s, 8, &f.old_hash) || opt_hash(s, 9, &f.new_hash))
		return broken(r, err, want,
			      "malformed: a value hash is not a 32-byte "
			      "value");
	mrm_audit_entry_hash(prev, &f, calc);
	if (sodium_memcmp(calc, stored, MRM_AUDIT_HASH))
		return broken(r, err, want,
			      "altered: its content does not match its hash");
	return 0;
}

static int check_expected(struct expect *x, struct mrm_audit_report *r,
			  struct mrm_error *err)
{
	char noted[MRM_AUDIT_HEAD_MAX];

	if (!x->given)
		return 0;
	if (x->any_seq) {
		if (!sodium_memcmp(x->hash, r->head, MRM_AUDIT_HASH))
			return 0;
		return broken(r, err, r->head_seq,
			      "the log's head is not the head you noted "
			      "(entries were added, removed or rewritten "
			      "since)");
	}
	if (x->found)
		return 0;
	mrm_audit_head_format(x->seq, x->hash, noted);
	if (x->seq > r->head_seq)
		return broken(r, err, r->head_seq + 1,
			      "missing: the log ends at entry %lld but you "
			      "noted the head %s (entries were deleted from "
			      "its end)",
			      (long long)r->head_seq, noted);
	return broken(r, err, x->seq,
		      "not the entry you noted as the head %s (the log was "
		      "rewritten from here on or before)",
		      noted);
}

int mrm_audit_verify(struct mrm_store *st, const char *expect_head,
		     struct mrm_audit_report *r, struct mrm_error *err)
{
	struct expect x = {0};
	sqlite3_stmt *s = NULL;
	int rc = 0, step;

	memset(r, 0, sizeof(*r));
	if (expect_head && (rc = parse_head(expect_head, &x, err)))
		return rc;
	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT " ENTRY_COLUMNS
			       " FROM audit ORDER BY seq",
			       -1, &s, NULL))
		return mrm_store_fail(st, err, "audit");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		rc = check_entry(s, r->head_seq + 1, r->head, r, err);
		if (rc)
			break;
		r->entries++;
		r->head_seq++;
		memcpy(r->head, hash_col(s, 11), MRM_AUDIT_HASH);
		if (x.given && !x.any_seq && x.seq == r->head_seq)
			x.found =
				!sodium_memcmp(x.hash, r->head, MRM_AUDIT_HASH);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "audit");
	sqlite3_finalize(s);
	return rc ? rc : check_expected(&x, r, err);
}

/* ---- listing ---- */

/* YYYY[-MM[-DD[THH[:MM[:SS]]]]], optionally with a final Z. */
static int check_when(const char *name, const char *v, struct mrm_error *err)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t n = v ? strlen(v) : 0;

	if (n && v[n - 1] == 'Z')
		n--;
	if (n != 4 && n != 7 && n != 10 && n != 13 && n != 16 && n != 19)
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? v[i] < '0' || v[i] > '9'
				    : v[i] != shape[i] &&
					      !(shape[i] == 'T' && v[i] == ' '))
			goto bad;
	return 0;
bad:
	return mrm_error_set(err, MRM_ERR_INVALID, name,
			     "\"%.60s\" is not a date: give YYYY-MM-DD or "
			     "YYYY-MM-DDTHH:MM:SS (UTC)",
			     v ? v : "");
}

static json_t *hex_or_null(sqlite3_stmt *s, int col)
{
	const unsigned char *h = hash_col(s, col);
	char hex[2 * MRM_AUDIT_HASH + 1];

	if (!h)
		return json_null();
	sodium_bin2hex(hex, sizeof(hex), h, MRM_AUDIT_HASH);
	return json_string(hex);
}

static json_t *text_or_null(sqlite3_stmt *s, int col)
{
	const char *t = text_col(s, col);

	return t ? json_string(t) : json_null();
}

static json_t *int_or_null(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL
		       ? json_null()
		       : json_integer(sqlite3_column_int64(s, col));
}

static json_t *entry_json(sqlite3_stmt *s)
{
	return json_pack(
		"{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
		" s:o}",
		"seq", (json_int_t)sqlite3_column_int64(s, 0), "at",
		text_or_null(s, 1), "user_id", int_or_null(s, 2), "actor",
		text_or_null(s, 3), "action", text_or_null(s, 4), "table",
		text_or_null(s, 5), "record", int_or_null(s, 6), "detail",
		text_or_null(s, 7), "old_hash", hex_or_null(s, 8), "new_hash",
		hex_or_null(s, 9), "hash", hex_or_null(s, 11));
}

/* The WHERE clause of `f`, parameters numbered as bound by bind_filter(). */
static int filter_sql(const struct mrm_audit_filter *f, struct mrm_buf *sql)
{
	mrm_buf_adds(sql, "SELECT " ENTRY_COLUMNS " FROM audit WHERE seq < ?1");
	if (f->since)
		mrm_buf_adds(sql, " AND substr(at, 1, length(?2)) >= ?2");
	if (f->until)
		mrm_buf_adds(sql, " AND substr(at, 1, length(?3)) <= ?3");
	if (f->user)
		mrm_buf_adds(sql, " AND actor = ?4");
	if (f->table)
		mrm_buf_adds(sql, " AND tbl = ?5");
	if (f->record)
		mrm_buf_adds(sql, " AND record = ?6");
	if (f->action)
		mrm_buf_adds(sql, " AND action = ?7");
	return mrm_buf_adds(sql, " ORDER BY seq DESC LIMIT ?8");
}

/* A date with a space for the T, as the log writes it (with T). */
static void iso_t(const char *in, char out[24])
{
	snprintf(out, 24, "%.20s", in);
	if (strlen(out) > 10)
		out[10] = 'T';
	if (*out && out[strlen(out) - 1] == 'Z')
		out[strlen(out) - 1] = '\0';
}

int mrm_audit_list(struct mrm_store *st, const struct mrm_audit_filter *f,
		   int64_t before, unsigned limit,
		   int (*cb)(void *ctx, json_t *entry), void *ctx,
		   int64_t *next, struct mrm_error *err)
{
	struct mrm_buf sql = MRM_BUF_INIT(4096);
	sqlite3_stmt *s = NULL;
	char since[24], until[24];
	int64_t last = 0, n = 0;
	int rc = 0, step = SQLITE_DONE;

	*next = 0;
	if (limit < 1 || limit > MRM_AUDIT_LIMIT_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "limit",
				     "%u: give 1 to %d", limit,
				     MRM_AUDIT_LIMIT_MAX);
	if ((f->since && (rc = check_when("since", f->since, err))) ||
	    (f->until && (rc = check_when("until", f->until, err))))
		return rc;
	if (filter_sql(f, &sql) ||
	    sqlite3_prepare_v2(mrm_store_db(st), sql.ptr, -1, &s, NULL)) {
		rc = mrm_store_fail(st, err, "audit");
		goto out;
	}
	sqlite3_bind_int64(s, 1, before > 0 ? before : INT64_MAX);
	if (f->since) {
		iso_t(f->since, since);
		sqlite3_bind_text(s, 2, since, -1, SQLITE_STATIC);
	}
	if (f->until) {
		iso_t(f->until, until);
		sqlite3_bind_text(s, 3, until, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(s, 4, f->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, f->table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, f->record);
	sqlite3_bind_text(s, 7, f->action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, (int64_t)limit + 1);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *e;

		if (n++ == limit) {
			*next = last;
			break;
		}
		last = sqlite3_column_int64(s, 0);
		e = entry_json(s);
		rc = e ? cb(ctx, e)
		       : mrm_error_set(err, MRM_ERR_NOMEM, "audit",
				       "out of memory");
		json_decref(e);
	}
	if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "audit");
out:
	sqlite3_finalize(s);
	mrm_buf_release(&sql);
	return rc;
}
