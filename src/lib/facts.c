/* facts.c - see facts.h */
#include "facts.h"

#include "mrm/buf.h"
#include "mrm/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Bump when the columns or the cache layout change. */
#define CACHE_FORMAT 3

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
	for (int c = 0; c < FF_COUNT; c++)
		free(f->col[c].data);
	mrm_hmap_release(&f->index);
	facts_init(f);
}

/* ---- the columns ---- */

static int64_t col_get(const struct fact_column *c, size_t i)
{
	switch (c->width) {
	case 1: return ((const int8_t *)c->data)[i];
	case 2: return ((const int16_t *)c->data)[i];
	case 4: return ((const int32_t *)c->data)[i];
	default: return ((const int64_t *)c->data)[i];
	}
}

static void col_set(struct fact_column *c, size_t i, int64_t v)
{
	switch (c->width) {
	case 1: ((int8_t *)c->data)[i] = (int8_t)v; break;
	case 2: ((int16_t *)c->data)[i] = (int16_t)v; break;
	case 4: ((int32_t *)c->data)[i] = (int32_t)v; break;
	default: ((int64_t *)c->data)[i] = v;
	}
}

static uint8_t width_for(int64_t v)
{
	return v >= INT8_MIN && v <= INT8_MAX	  ? 1
	       : v >= INT16_MIN && v <= INT16_MAX ? 2
	       : v >= INT32_MIN && v <= INT32_MAX ? 4
						  : 8;
}

/* Room for `cap` values of `width` bytes, the `n` values kept. */
static int col_resize(struct fact_column *c, size_t n, size_t cap,
		      uint8_t width)
{
	struct fact_column wide = {NULL, width, 0};

	if (width == c->width) {
		void *d = realloc(c->data, cap * width);

		if (!d)
			return MRM_ERR_NOMEM;
		c->data = d;
		return 0;
	}
	wide.data = malloc(cap * width);
	if (!wide.data)
		return MRM_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		col_set(&wide, i, col_get(c, i));
	free(c->data);
	*c = wide;
	return 0;
}

static void fact_values(const struct fact *r, int64_t v[FF_COUNT])
{
	v[FF_EVENT] = r->event;
	v[FF_PERSON] = r->person;
	v[FF_GROUP] = r->group;
	v[FF_DATE] = r->date;
	v[FF_END] = r->end;
	v[FF_BIRTH] = r->birth;
	v[FF_FLAGS] = (r->prec & 3) | (r->end_prec & 3) << 2 |
		      (r->birth_prec & 3) << 4 | (r->kind & 3) << 6;
	for (int c = 0; c < FC_COLS; c++)
		v[FF_CODE + c] = r->code[c];
	v[FF_DEMANDED] = r->demanded;
	v[FF_PAID] = r->paid;
	v[FF_COST] = r->cost;
	v[FF_COMPENSATION] = r->compensation;
}

int facts_append(struct facts *f, const struct fact *r)
{
	int64_t v[FF_COUNT];

	fact_values(r, v);
	v[FF_FLAGS] = (int8_t)(uint8_t)v[FF_FLAGS]; /* one byte */
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap + f->cap / 2 : 4096;

		for (int c = 0; c < FF_COUNT; c++)
			if (col_resize(&f->col[c], f->n, cap,
				       f->col[c].width ? f->col[c].width : 1))
				return MRM_ERR_NOMEM;
		f->cap = cap;
	}
	for (int c = 0; c < FF_COUNT; c++) {
		struct fact_column *col = &f->col[c];
		uint8_t w = width_for(v[c]);

		if (w > col->width && col_resize(col, f->n, f->cap, w))
			return MRM_ERR_NOMEM;
		col_set(col, f->n, v[c]);
	}
	f->n++;
	return 0;
}

void facts_get(const struct facts *f, size_t i, struct fact *r)
{
	const struct fact_column *c = f->col;

	if (c[FF_EVENT].data)
		r->event = (uint32_t)col_get(&c[FF_EVENT], i);
	if (c[FF_PERSON].data)
		r->person = (uint32_t)col_get(&c[FF_PERSON], i);
	if (c[FF_GROUP].data)
		r->group = (uint32_t)col_get(&c[FF_GROUP], i);
	if (c[FF_DATE].data)
		r->date = (int32_t)col_get(&c[FF_DATE], i);
	if (c[FF_END].data)
		r->end = (int32_t)col_get(&c[FF_END], i);
	if (c[FF_BIRTH].data)
		r->birth = (int32_t)col_get(&c[FF_BIRTH], i);
	if (c[FF_FLAGS].data) {
		uint8_t fl = (uint8_t)col_get(&c[FF_FLAGS], i);

		r->prec = fl & 3;
		r->end_prec = fl >> 2 & 3;
		r->birth_prec = fl >> 4 & 3;
		r->kind = fl >> 6 & 3;
	}
	for (int k = 0; k < FC_COLS; k++)
		if (c[FF_CODE + k].data)
			r->code[k] = (uint32_t)col_get(&c[FF_CODE + k], i);
	if (c[FF_DEMANDED].data)
		r->demanded = col_get(&c[FF_DEMANDED], i);
	if (c[FF_PAID].data)
		r->paid = col_get(&c[FF_PAID], i);
	if (c[FF_COST].data)
		r->cost = col_get(&c[FF_COST], i);
	if (c[FF_COMPENSATION].data)
		r->compensation = col_get(&c[FF_COMPENSATION], i);
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

/* How many rows facts_sql gives. */
static const char count_sql[] =
	"SELECT (SELECT count(*) FROM act)"
	" + (SELECT count(*) FROM event e WHERE NOT EXISTS"
	"  (SELECT 1 FROM act WHERE act.event_id = e.id))"
	" + (SELECT count(*) FROM intervention WHERE compensation IS NOT "
	"NULL)";

#define COL_CODES   6
#define COL_AMOUNTS (COL_CODES + FC_COLS)

static int add_row(struct facts *f, sqlite3_stmt *s)
{
	struct fact row, *r = &row;

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
	return facts_append(f, r);
}

static int key_order(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Facts of one event together: a stable sort by event, through an order
 * of rows applied to each column in turn. */
static int sort_by_event(struct facts *f)
{
	uint32_t *order = malloc((f->n ? f->n : 1) * sizeof(*order));
	const struct fact_column *ev = &f->col[FF_EVENT];
	size_t nev = 0;
	uint32_t *start = NULL;
	int rc = MRM_ERR_NOMEM;

	if (!order)
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if ((size_t)col_get(ev, i) + 1 > nev)
			nev = (size_t)col_get(ev, i) + 1;
	if (nev <= 4 * f->n + 65536) { /* counting sort on the event id */
		start = calloc(nev + 1, sizeof(*start));
		if (!start)
			goto out;
		for (size_t i = 0; i < f->n; i++)
			start[col_get(ev, i) + 1]++;
		for (size_t e = 1; e <= nev; e++)
			start[e] += start[e - 1];
		for (size_t i = 0; i < f->n; i++)
			order[start[col_get(ev, i)]++] = (uint32_t)i;
		free(start);
		start = NULL;
	} else { /* ids far apart: by comparison, ties in row order */
		uint64_t *key = malloc(f->n * sizeof(*key));

		if (!key)
			goto out;
		for (size_t i = 0; i < f->n; i++)
			key[i] = (uint64_t)col_get(ev, i) << 32 | i;
		qsort(key, f->n, sizeof(*key), key_order);
		for (size_t i = 0; i < f->n; i++)
			order[i] = (uint32_t)key[i];
		free(key);
	}
	for (int c = 0; c < FF_COUNT; c++) {
		struct fact_column *col = &f->col[c];
		struct fact_column sorted = {
			malloc((f->n ? f->n : 1) * col->width), col->width, 0};

		if (!sorted.data)
			goto out;
		for (size_t i = 0; i < f->n; i++)
			col_set(&sorted, i, col_get(col, order[i]));
		free(col->data);
		*col = sorted;
	}
	f->cap = f->n;
	rc = 0;
out:
	free(start);
	free(order);
	return rc;
}

static int build(struct mrm_store *st, struct facts *f, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step, sorted = 1;
	int64_t last = 0;

	if (facts_intern(f, "") != 0)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	/* room for the rows there will be, no more */
	if (sqlite3_prepare_v2(mrm_store_db(st), count_sql, -1, &s, NULL) ||
	    sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return mrm_store_fail(st, err, "statistics");
	}
	f->cap = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	for (int c = 0; f->cap && c < FF_COUNT; c++)
		if (col_resize(&f->col[c], 0, f->cap, 1))
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
	if (sqlite3_prepare_v2(mrm_store_db(st), facts_sql, -1, &s, NULL))
		return mrm_store_fail(st, err, "statistics");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		rc = add_row(f, s);
		if (!rc && f->n > 1 &&
		    col_get(&f->col[FF_EVENT], f->n - 1) < last)
			sorted = 0;
		if (!rc)
			last = col_get(&f->col[FF_EVENT], f->n - 1);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "statistics");
	else if (rc)
		rc = mrm_error_set(err, rc, NULL, "out of memory");
	sqlite3_finalize(s);
	/* events measure counts an event once per cell: its rows must be
	 * together */
	if (!rc && !sorted && sort_by_event(f))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	for (int c = 0; !rc && c < FF_COUNT && !f->n; c++)
		if (!f->col[c].width)
			f->col[c].width = 1;
	return rc;
}

/* ---- the cache ----
 *
 * One row of stats_cache: `facts` holds a head, the dictionary
 * (NUL-separated strings), then each column's values one after another;
 * `dict` is left empty. (Written as a zeroblob and then filled in place: a
 * zeroblob is only kept unexpanded when nothing but empty columns follow
 * it in the row, else SQLite would build the whole blob in memory, twice.)
 */

struct cache_head {
	uint32_t format, ncols;
	uint64_t nrows, ndict, dict_bytes;
	uint8_t width[FF_COUNT];
};

/* Bytes of the blob; each column's offset into off[]. */
static uint64_t cache_bytes(const struct facts *f, uint64_t dict_bytes,
			    uint64_t *off)
{
	uint64_t at = sizeof(struct cache_head) + dict_bytes;

	for (int c = 0; c < FF_COUNT; c++) {
		off[c] = at;
		at += (uint64_t)f->n * f->col[c].width;
	}
	return at;
}

/* The cache's blob for reading into *blob (closed by the caller), when
 * the cache is of f->generation; non-zero when it is not. */
static int cache_open(sqlite3 *db, const struct facts *f, sqlite3_blob **blob)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT 1 FROM stats_cache WHERE id = 1 "
				    "AND generation = ?",
				    -1, &s, NULL) ||
		 sqlite3_bind_int64(s, 1, f->generation) ||
		 sqlite3_step(s) != SQLITE_ROW ||
		 sqlite3_blob_open(db, "main", "stats_cache", "facts", 1, 0,
				   blob);

	sqlite3_finalize(s);
	return rc;
}

/* The dictionary and where each column is, when the cache is of
 * f->generation; -1 when it is not there, of another generation or
 * unreadable. */
static int cache_read_head(struct mrm_store *st, struct facts *f)
{
	sqlite3 *db = mrm_store_db(st);
	sqlite3_blob *blob = NULL;
	char *dict = NULL;
	struct cache_head h;
	uint64_t off[FF_COUNT];
	int rc = -1;

	if (cache_open(db, f, &blob) ||
	    sqlite3_blob_bytes(blob) < (int)sizeof(h) ||
	    sqlite3_blob_read(blob, &h, sizeof(h), 0))
		goto out;
	if (h.format != CACHE_FORMAT || h.ncols != FF_COUNT ||
	    h.dict_bytes > INT32_MAX)
		goto out;
	f->n = f->cap = h.nrows;
	for (int c = 0; c < FF_COUNT; c++) {
		if (h.width[c] != 1 && h.width[c] != 2 && h.width[c] != 4 &&
		    h.width[c] != 8)
			goto out;
		f->col[c].width = h.width[c];
	}
	if (cache_bytes(f, h.dict_bytes, off) !=
	    (uint64_t)sqlite3_blob_bytes(blob))
		goto out;
	for (int c = 0; c < FF_COUNT; c++)
		f->col[c].off = off[c];
	dict = malloc(h.dict_bytes + 1);
	if (!dict ||
	    sqlite3_blob_read(blob, dict, (int)h.dict_bytes, (int)sizeof(h)))
		goto out;
	dict[h.dict_bytes] = '\0';
	for (size_t i = 0, at = 0; i < h.ndict; i++) {
		size_t len = strlen(dict + at);

		if (at + len >= h.dict_bytes || facts_intern(f, dict + at) != i)
			goto out;
		at += len + 1;
	}
	f->cached = 1;
	rc = 0;
out:
	free(dict);
	if (blob)
		sqlite3_blob_close(blob);
	return rc;
}

int facts_columns(struct mrm_store *st, struct facts *f, uint64_t need,
		  struct mrm_error *err)
{
	sqlite3 *db = mrm_store_db(st);
	sqlite3_blob *blob = NULL;
	int rc = 0, own = sqlite3_get_autocommit(db);

	for (int c = 0; c < FF_COUNT; c++)
		if (!(need & FF_BIT(c)) || f->col[c].data || !f->cached)
			need &= ~FF_BIT(c);
	if (!need)
		return 0;
	if (own && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL))
		return mrm_store_fail(st, err, "statistics");
	/* still the cache facts_load() read? */
	if (cache_open(db, f, &blob)) {
		rc = 1;
		goto out;
	}
	for (int c = 0; !rc && c < FF_COUNT; c++) {
		struct fact_column *col = &f->col[c];
		uint64_t bytes = (uint64_t)f->n * col->width;

		if (!(need & FF_BIT(c)))
			continue;
		col->data = malloc(bytes ? bytes : 1);
		if (!col->data)
			rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					   "out of memory");
		else if (bytes > INT32_MAX || col->off > INT32_MAX ||
			 (bytes &&
			  sqlite3_blob_read(blob, col->data, (int)bytes,
					    (int)col->off)))
			rc = 1;
	}
out:
	if (blob)
		sqlite3_blob_close(blob);
	if (own)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* Best effort: a read-only database simply has no cache. */
static void cache_write(struct mrm_store *st, const struct facts *f)
{
	struct mrm_buf dict = MRM_BUF_INIT((size_t)1 << 30);
	sqlite3 *db = mrm_store_db(st);
	sqlite3_stmt *s = NULL;
	sqlite3_blob *blob = NULL;
	struct cache_head h = {CACHE_FORMAT, FF_COUNT, f->n, f->ndict, 0, {0}};
	uint64_t off[FF_COUNT], bytes;
	int bad = 0;

	for (size_t i = 0; i < f->ndict; i++)
		if (mrm_buf_add(&dict, f->dict[i], strlen(f->dict[i]) + 1))
			goto out;
	h.dict_bytes = dict.len;
	for (int c = 0; c < FF_COUNT; c++)
		h.width[c] = f->col[c].width;
	bytes = cache_bytes(f, h.dict_bytes, off);
	if (bytes > INT32_MAX ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		goto out;
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO stats_cache(id, "
			       "generation, facts, dict) VALUES (1, ?, "
			       "zeroblob(?), x'')",
			       -1, &s, NULL) ||
	    sqlite3_bind_int64(s, 1, f->generation) ||
	    sqlite3_bind_int64(s, 2, (sqlite3_int64)bytes) ||
	    sqlite3_step(s) != SQLITE_DONE ||
	    sqlite3_blob_open(db, "main", "stats_cache", "facts", 1, 1,
			      &blob) ||
	    sqlite3_blob_write(blob, &h, sizeof(h), 0) ||
	    (dict.len &&
	     sqlite3_blob_write(blob, dict.ptr, (int)dict.len, (int)sizeof(h))))
		bad = 1;
	for (int c = 0; !bad && c < FF_COUNT; c++)
		if (f->n && sqlite3_blob_write(blob, f->col[c].data,
					       (int)(f->n * f->col[c].width),
					       (int)off[c]))
			bad = 1;
	if (blob && sqlite3_blob_close(blob))
		bad = 1;
	blob = NULL;
	sqlite3_exec(db, bad ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
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
	cached = !cache_read_head(st, f);
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
