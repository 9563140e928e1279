/* facts.c - see facts.h */
#include "facts.h"

#include "mrm/buf.h"
#include "mrm/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Bump when struct fact or the cache layout changes. */
#define CACHE_FORMAT 2

void facts_init(struct facts *f)
{
	memset(f, 0, sizeof(*f));
	mrm_hmap_init(&f->index);
}

void facts_release(struct facts *f)
{
	for (size_t i = 0; i < f->ndict; i++)
		free(f->dict[i]);
	free(f->dict);
	free(f->rows);
	mrm_hmap_release(&f->index);
	facts_init(f);
}

uint32_t facts_lookup(const struct facts *f, const char *s)
{
	int64_t code;

	return mrm_hmap_get(&f->index, s, &code) ? (uint32_t)code : UINT32_MAX;
}

uint32_t facts_intern(struct facts *f, const char *s)
{
	uint32_t code = facts_lookup(f, s ? s : "");
	char *copy;

	if (code != UINT32_MAX)
		return code;
	if (f->ndict == f->capdict) {
		size_t cap = f->capdict ? f->capdict * 2 : 256;
		char **d = realloc(f->dict, cap * sizeof(*d));

		if (!d)
			return UINT32_MAX;
		f->dict = d;
		f->capdict = cap;
	}
	copy = strdup(s ? s : "");
	if (!copy || mrm_hmap_put(&f->index, copy, (int64_t)f->ndict)) {
		free(copy);
		return UINT32_MAX;
	}
	f->dict[f->ndict] = copy;
	return (uint32_t)f->ndict++;
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int32_t facts_pack_date(const char *iso, uint8_t *prec)
{
	int y = 0, m = 0, d = 0;
	size_t n = iso ? strlen(iso) : 0;

	*prec = 0;
	if (n < 4 || digits(iso, 4, &y))
		return 0;
	*prec = 1;
	if (n >= 7 && !digits(iso + 5, 2, &m))
		*prec = 2;
	if (n >= 10 && *prec == 2 && !digits(iso + 8, 2, &d))
		*prec = 3;
	return y * 10000 + m * 100 + d;
}

/* ---- from the tables ---- */

/* The person a victim counts as: the first person (smallest id) with the
 * same linkage key, from any organisation (linkage.h); NULL without one. */
#define LINKED_PERSON                                                          \
	"(SELECT min(q.id) FROM person q WHERE q.linkage_key = p.linkage_key)"

/* Columns: event, person, group, date, end, birth, the FC_COLS codes in
 * order, then the amounts and the kind. */
static const char facts_sql[] =
	"SELECT a.event_id, coalesce(" LINKED_PERSON ", a.victim_id, 0),"
	" coalesce(p.group_size, 0), coalesce(a.start_date, e.start_date),"
	" a.end_date, p.birth_date, a.type, coalesce(a.country, e.country),"
	" coalesce(a.admin1, e.admin1),"
	" (SELECT i.type FROM involvement i WHERE i.act_id = a.id"
	"  ORDER BY i.id LIMIT 1),"
	" p.sector, p.nationality, p.sex, p.doc_status, o.code, d.checkpoint,"
	" r.currency, d.currency, NULL,"
	" r.money_demanded, r.money_paid, d.cost, NULL, 1"
	" FROM act a JOIN event e ON e.id = a.event_id"
	" JOIN org o ON o.id = e.org_id"
	" LEFT JOIN person p ON p.id = a.victim_id"
	" LEFT JOIN act_arrest r ON r.act_id = a.id"
	" LEFT JOIN act_deportation d ON d.act_id = a.id"
	" UNION ALL "
	"SELECT e.id, 0, 0, e.start_date, NULL, NULL, NULL, e.country,"
	" e.admin1, NULL, NULL, NULL, NULL, NULL, o.code, NULL, NULL, NULL,"
	" NULL, NULL, NULL, NULL, NULL, 0"
	" FROM event e JOIN org o ON o.id = e.org_id"
	" WHERE NOT EXISTS (SELECT 1 FROM act WHERE act.event_id = e.id)"
	" UNION ALL "
	"SELECT i.event_id, coalesce(" LINKED_PERSON ", i.victim_id, 0),"
	" coalesce(p.group_size, "
	"0),"
	" coalesce(i.start_date, e.start_date), NULL, p.birth_date, NULL,"
	" e.country, e.admin1, NULL, p.sector, p.nationality, p.sex,"
	" p.doc_status, o.code, NULL, NULL, NULL, i.currency,"
	" NULL, NULL, NULL, i.compensation, 2"
	" FROM intervention i JOIN event e ON e.id = i.event_id"
	" JOIN org o ON o.id = e.org_id"
	" LEFT JOIN person p ON p.id = i.victim_id"
	" WHERE i.compensation IS NOT NULL";

#define COL_CODES   6
#define COL_AMOUNTS (COL_CODES + FC_COLS)

static int add_row(struct facts *f, sqlite3_stmt *s, size_t *cap)
{
	struct fact *r;

	if (f->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4096;
		struct fact *rows = realloc(f->rows, ncap * sizeof(*rows));

		if (!rows)
			return MRM_ERR_NOMEM;
		f->rows = rows;
		*cap = ncap;
	}
	r = &f->rows[f->n];
	memset(r, 0, sizeof(*r));
	r->event = (uint32_t)sqlite3_column_int64(s, 0);
	r->person = (uint32_t)sqlite3_column_int64(s, 1);
	r->group = (uint32_t)sqlite3_column_int64(s, 2);
	r->date = facts_pack_date((const char *)sqlite3_column_text(s, 3),
				  &r->prec);
	r->end = facts_pack_date((const char *)sqlite3_column_text(s, 4),
				 &r->end_prec);
	r->birth = facts_pack_date((const char *)sqlite3_column_text(s, 5),
				   &r->birth_prec);
	for (int c = 0; c < FC_COLS; c++) {
		r->code[c] = facts_intern(
			f, (const char *)sqlite3_column_text(s, COL_CODES + c));
		if (r->code[c] == UINT32_MAX)
			return MRM_ERR_NOMEM;
	}
	r->demanded = sqlite3_column_int64(s, COL_AMOUNTS);
	r->paid = sqlite3_column_int64(s, COL_AMOUNTS + 1);
	r->cost = sqlite3_column_int64(s, COL_AMOUNTS + 2);
	r->compensation = sqlite3_column_int64(s, COL_AMOUNTS + 3);
	r->kind = (uint8_t)sqlite3_column_int(s, COL_AMOUNTS + 4);
	f->n++;
	return 0;
}

static int by_event(const void *a, const void *b)
{
	const struct fact *x = a, *y = b;

	return (x->event > y->event) - (x->event < y->event);
}

static int build(struct mrm_store *st, struct facts *f, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc = 0, step, sorted = 1;

	if (facts_intern(f, "") != 0)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	if (sqlite3_prepare_v2(mrm_store_db(st), facts_sql, -1, &s, NULL))
		return mrm_store_fail(st, err, "statistics");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		rc = add_row(f, s, &cap);
		if (!rc && f->n > 1 &&
		    f->rows[f->n - 1].event < f->rows[f->n - 2].event)
			sorted = 0;
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "statistics");
	else if (rc)
		rc = mrm_error_set(err, rc, NULL, "out of memory");
	sqlite3_finalize(s);
	/* events measure counts an event once per cell: its rows must be
	 * together */
	if (!rc && !sorted)
		qsort(f->rows, f->n, sizeof(*f->rows), by_event);
	return rc;
}

/* ---- the cache ---- */

struct cache_head {
	uint32_t format, fact_size;
	uint64_t nrows, ndict;
};

/* Read the cached facts straight into our own array (no copy through
 * SQLite's memory). */
static int cache_read(struct mrm_store *st, struct facts *f)
{
	sqlite3 *db = mrm_store_db(st);
	sqlite3_stmt *s = NULL;
	sqlite3_blob *blob = NULL;
	const char *dict;
	struct cache_head h;
	size_t dict_bytes, rows_bytes;
	int rc = -1;

	if (sqlite3_prepare_v2(db,
			       "SELECT dict FROM stats_cache WHERE id = 1 AND "
			       "generation = ?",
			       -1, &s, NULL) ||
	    sqlite3_bind_int64(s, 1, f->generation) ||
	    sqlite3_step(s) != SQLITE_ROW ||
	    sqlite3_blob_open(db, "main", "stats_cache", "facts", 1, 0,
			      &blob) ||
	    sqlite3_blob_read(blob, &h, sizeof(h), 0))
		goto out;
	rows_bytes = (size_t)sqlite3_blob_bytes(blob);
	if (h.format != CACHE_FORMAT || h.fact_size != sizeof(struct fact) ||
	    rows_bytes != sizeof(h) + h.nrows * sizeof(struct fact))
		goto out;
	f->rows = malloc(h.nrows ? h.nrows * sizeof(struct fact) : 1);
	if (!f->rows ||
	    (h.nrows && sqlite3_blob_read(blob, f->rows,
					  (int)(h.nrows * sizeof(struct fact)),
					  sizeof(h))))
		goto out;
	f->n = h.nrows;
	dict = sqlite3_column_blob(s, 0);
	dict_bytes = (size_t)sqlite3_column_bytes(s, 0);
	for (size_t i = 0, off = 0; i < h.ndict; i++) {
		size_t len = dict ? strnlen(dict + off, dict_bytes - off) : 0;

		if (!dict || off + len >= dict_bytes ||
		    facts_intern(f, dict + off) != i)
			goto out;
		off += len + 1;
	}
	rc = 0;
out:
	if (blob)
		sqlite3_blob_close(blob);
	sqlite3_finalize(s);
	return rc;
}

/* Best effort: a read-only database simply has no cache. */
static void cache_write(struct mrm_store *st, const struct facts *f)
{
	struct cache_head h = {CACHE_FORMAT, sizeof(struct fact), f->n,
			       f->ndict};
	struct mrm_buf dict = MRM_BUF_INIT((size_t)1 << 30);
	sqlite3 *db = mrm_store_db(st);
	sqlite3_stmt *s = NULL;
	sqlite3_blob *blob = NULL;
	size_t bytes = sizeof(h) + f->n * sizeof(struct fact);

	for (size_t i = 0; i < f->ndict; i++)
		if (mrm_buf_add(&dict, f->dict[i], strlen(f->dict[i]) + 1))
			goto out;
	if (bytes > INT32_MAX ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		goto out;
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO stats_cache(id, "
			       "generation, facts, dict) VALUES (1, ?, "
			       "zeroblob(?), ?)",
			       -1, &s, NULL) ||
	    sqlite3_bind_int64(s, 1, f->generation) ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)bytes) ||
	    sqlite3_bind_blob(s, 3, dict.ptr ? dict.ptr : "", (int)dict.len,
			      SQLITE_STATIC) ||
	    sqlite3_step(s) != SQLITE_DONE ||
	    sqlite3_blob_open(db, "main", "stats_cache", "facts", 1, 1,
			      &blob) ||
	    sqlite3_blob_write(blob, &h, sizeof(h), 0) ||
	    (f->n && sqlite3_blob_write(blob, f->rows,
					(int)(f->n * sizeof(struct fact)),
					sizeof(h))) ||
	    sqlite3_blob_close(blob)) {
		blob = NULL;
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	blob = NULL;
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
out:
	if (blob)
		sqlite3_blob_close(blob);
	sqlite3_finalize(s);
	mrm_buf_release(&dict);
}

int facts_load(struct mrm_store *st, struct facts *f, struct mrm_error *err)
{
	sqlite3 *db = mrm_store_db(st);
	int rc, cached;

	/* one snapshot: the generation and the rows read agree */
	facts_init(f);
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL))
		return mrm_store_fail(st, err, "statistics");
	f->generation = mrm_store_generation(st);
	cached = !cache_read(st, f);
	if (!cached) {
		int64_t gen = f->generation;

		facts_release(f);
		f->generation = gen;
	}
	rc = cached ? 0 : build(st, f, err);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (!rc && !cached)
		cache_write(st, f);
	return rc;
}
