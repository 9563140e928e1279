/* export.c - see include/mrm/export.h */
#include "mrm/export.h"

#include "labour.h"
#include "mrm/audit.h"
#include "policy_internal.h"
#include "mrm/auth.h"
#include "mrm/buf.h"
#include "mrm/crypto.h"
#include "mrm/csv.h"
#include "mrm/events.h"
#include "mrm/fields.h"
#include "mrm/hmap.h"
#include "mrm/keyring.h"
#include "mrm/store.h"
#include "mrm/utf8.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mrm_json_scalar_text(const json_t *v, char *tmp, size_t size)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(tmp, size, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		/* the shortest text that reads back as the same number */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(tmp, size, "%.*g", prec, json_real_value(v));
			if (strtod(tmp, NULL) == json_real_value(v))
				break;
		}
	} else if (json_is_boolean(v)) {
		snprintf(tmp, size, "%s", json_is_true(v) ? "true" : "false");
	} else {
		return NULL;
	}
	return tmp;
}

static int no_memory(struct mrm_error *err)
{
	return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
			     "out of memory building the export");
}

/* Set o[key] = v, taking v over (NULL: allocating it failed). */
static int put(json_t *o, const char *key, json_t *v, struct mrm_error *err)
{
	return json_object_set_new(o, key, v) ? no_memory(err) : 0;
}

/* ---- one event as JSON text ----
 *
 * An event is read with one statement per table (the event, its
 * attributes, its acts, each kind of act detail, the victims, sources,
 * interventions), all selecting by the event's id, and written straight
 * out as JSON text, byte for byte what jansson's json_dumps(JSON_COMPACT)
 * wrote of the objects this module used to build.
 */

#define ENT_FIELDS_MAX 32

/*
 * The SELECTs, built once from the catalogue. A row of an entity is its
 * id column then one column per field; the acts' statement also carries,
 * on each act's row, its victim_id and the rows of its one-to-one details
 * and its victim (LEFT JOINs: a NULL id where there is none). Several
 * perpetrators of an act come from their own statement (the last counts).
 */
static struct {
	char *sql[MRM_ENT_COUNT]; /* NULL: on the acts' rows */
	unsigned short field[MRM_ENT_COUNT][ENT_FIELDS_MAX];
	int nfields[MRM_ENT_COUNT];
	int currency[MRM_ENT_COUNT]; /* field index of the currency, or -1 */
	int base[MRM_ENT_COUNT];     /* column of the row's id */
	int org[MRM_ENT_COUNT]; /* column of the owner's id (its key seals the
				 * sensitive fields), or -1 */
	int ok;
} cat;
static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

#define VICTIM_COL (1 + cat.nfields[MRM_ENT_ACT]) /* on the acts' rows */

/* Details and the victim that the acts' statement joins. */
static int on_act_row(enum mrm_entity e)
{
	return e == MRM_ENT_ARREST || e == MRM_ENT_DETENTION ||
	       e == MRM_ENT_DEPORTATION || e == MRM_ENT_RETURN ||
	       e == MRM_ENT_VICTIM;
}

/* Do rows of `e` carry their organisation's id (events and persons)? */
static int has_org(enum mrm_entity e)
{
	return e == MRM_ENT_EVENT || e == MRM_ENT_VICTIM;
}

/* Columns a row of `e` takes: its id, its fields, its owner's id. */
static int cat_width(enum mrm_entity e)
{
	return 1 + cat.nfields[e] + has_org(e);
}

/* ", t.id, t.field..." of entity `e` under alias `t` from column `base`,
 * then ", t.org_id" where the owner's key seals fields. */
static int cat_columns(struct mrm_buf *sql, enum mrm_entity e, const char *t,
		       int base)
{
	int rc = mrm_buf_addf(sql, "%s.%s", t,
			      on_act_row(e) && e != MRM_ENT_VICTIM ? "act_id"
								   : "id");

	cat.currency[e] = -1;
	cat.base[e] = base;
	for (size_t i = 0; !rc && i < mrm_field_count; i++) {
		const struct mrm_field *f = &mrm_fields[i];

		if (f->ent != e)
			continue;
		if (cat.nfields[e] == ENT_FIELDS_MAX)
			return MRM_ERR_LIMIT;
		if (f->type == MRM_F_CURRENCY)
			cat.currency[e] = cat.nfields[e];
		cat.field[e][cat.nfields[e]++] = (unsigned short)i;
		rc = f->type == MRM_F_ORG
			     ? mrm_buf_addf(sql,
					    ", (SELECT code FROM org WHERE "
					    "org.id = %s.%s)",
					    t, f->column)
			     : mrm_buf_addf(sql, ", %s.%s", t, f->column);
	}
	cat.org[e] = has_org(e) ? base + 1 + cat.nfields[e] : -1;
	if (!rc && has_org(e))
		rc = mrm_buf_addf(sql, ", %s.org_id", t);
	return rc;
}

static int cat_sql(enum mrm_entity e, struct mrm_buf *sql)
{
	static const char *const alias[MRM_ENT_COUNT] = {
		[MRM_ENT_ARREST] = "r",	     [MRM_ENT_DETENTION] = "d",
		[MRM_ENT_DEPORTATION] = "p", [MRM_ENT_RETURN] = "b",
		[MRM_ENT_VICTIM] = "v",
	};
	int rc = mrm_buf_adds(sql, "SELECT ");

	if (!rc)
		rc = cat_columns(sql, e, "t", 0);
	switch (e) {
	case MRM_ENT_EVENT:
		return rc ? rc
			  : mrm_buf_adds(sql, " FROM event t WHERE t.id = ?1");
	case MRM_ENT_ACT: {
		int col = VICTIM_COL + 1;

		rc = rc ? rc : mrm_buf_adds(sql, ", t.victim_id");
		for (int j = 0; !rc && j < MRM_ENT_COUNT; j++)
			if (on_act_row(j)) {
				rc = mrm_buf_adds(sql, ", ");
				if (!rc)
					rc = cat_columns(sql, j, alias[j], col);
				col += cat_width(j);
			}
		rc = rc ? rc : mrm_buf_adds(sql, " FROM act t");
		for (int j = 0; !rc && j < MRM_ENT_COUNT; j++)
			if (on_act_row(j))
				rc = mrm_buf_addf(
					sql, " LEFT JOIN %s %s ON %s.%s = t.%s",
					mrm_entity_table(j), alias[j], alias[j],
					j == MRM_ENT_VICTIM ? "id" : "act_id",
					j == MRM_ENT_VICTIM ? "victim_id"
							    : "id");
		return rc ? rc
			  : mrm_buf_adds(
				    sql,
				    " WHERE t.event_id = ?1 ORDER BY t.id");
	}
	case MRM_ENT_PERPETRATOR:
		return rc ? rc
			  : mrm_buf_addf(sql,
					 ", t.act_id FROM act a JOIN %s t ON "
					 "t.act_id = a.id WHERE a.event_id = "
					 "?1 ORDER BY a.id, t.id",
					 mrm_entity_table(e));
	case MRM_ENT_SOURCE:
		return rc ? rc
			  : mrm_buf_adds(sql, " FROM source t WHERE t.event_id "
					      "= ?1 ORDER BY t.id");
	case MRM_ENT_INTERVENTION:
		return rc ? rc
			  : mrm_buf_adds(sql,
					 ", (SELECT key FROM person WHERE "
					 "person.id = t.victim_id) FROM "
					 "intervention t WHERE t.event_id = "
					 "?1 ORDER BY t.id");
	default: return MRM_ERR_INVALID;
	}
}

static void cat_build(void)
{
	for (int e = 0; e < MRM_ENT_COUNT; e++) {
		struct mrm_buf sql = MRM_BUF_INIT(16384);

		if (on_act_row(e))
			continue;
		if (cat_sql(e, &sql) || !(cat.sql[e] = mrm_buf_detach(&sql))) {
			mrm_buf_release(&sql);
			return;
		}
	}
	cat.ok = 1;
}

/* A row written elsewhere (a detail of act `key`, or person `key`). */
struct piece {
	int64_t key;
	size_t off, len;
};

struct pieces {
	struct mrm_buf text;
	struct piece *at;
	size_t n, cap;
};

enum {
	SHAPE_RAW = 0,	  /* the export's shape */
	SHAPE_VISIBLE = 1 /* mrm_event_visible_json()'s (see the header) */
};

struct exporter {
	struct mrm_store *st;
	sqlite3_stmt *sel[MRM_ENT_COUNT];
	sqlite3_stmt *attrs;
	struct mrm_buf plain;
	int shape;
	int identities; /* SHAPE_VISIBLE: encrypted fields included */
	struct pieces parts[MRM_ENT_COUNT];
};

static void exporter_release(struct exporter *x)
{
	/* the statements belong to the store (mrm_store_prepare) */
	for (int e = 0; e < MRM_ENT_COUNT; e++) {
		if (x->sel[e])
			sqlite3_reset(x->sel[e]);
		mrm_buf_release(&x->parts[e].text);
		free(x->parts[e].at);
	}
	if (x->attrs)
		sqlite3_reset(x->attrs);
	mrm_buf_release(&x->plain);
}

static int exporter_init(struct exporter *x, struct mrm_store *st, int shape,
			 int identities, struct mrm_error *err)
{
	memset(x, 0, sizeof(*x));
	x->st = st;
	x->shape = shape;
	x->identities = shape == SHAPE_RAW || identities;
	mrm_buf_init(&x->plain, 64u << 20);
	for (int e = 0; e < MRM_ENT_COUNT; e++)
		mrm_buf_init(&x->parts[e].text, (size_t)1 << 30);
	pthread_once(&cat_once, cat_build);
	if (!cat.ok)
		return no_memory(err);
	for (int e = 0; e < MRM_ENT_COUNT; e++)
		if (cat.sql[e] &&
		    !(x->sel[e] = mrm_store_prepare(st, cat.sql[e])))
			return mrm_store_fail(st, err, "preparing the export");
	x->attrs = mrm_store_prepare(st, "SELECT name, value FROM event_attr "
					 "WHERE event_id = ? ORDER BY name, "
					 "value");
	if (!x->attrs)
		return mrm_store_fail(st, err, "preparing the export");
	return 0;
}

/* ---- JSON text, as jansson writes it ---- */

/* A comma unless the value or member is the first of its container. */
static int sep(struct mrm_buf *b)
{
	char last = b->len ? b->ptr[b->len - 1] : '{';

	return last == '{' || last == '[' ? 0 : mrm_buf_addc(b, ',');
}

/* A JSON string of s[0..n) (UTF-8 checked: jansson refuses anything else,
 * MRM_ERR_NOMEM like its NULL). Room for the worst case is taken at once
 * and what is not used given back. */
static int str_text(struct mrm_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t plain = 0;
	char *w;
	int rc;

	if (!s)
		return MRM_ERR_NOMEM;
	/* printable ASCII without quotes or backslashes, as most keys and
	 * many values are, goes as it is */
	while (plain < n && s[plain] >= 0x20 && s[plain] < 0x7f &&
	       s[plain] != '"' && s[plain] != '\\')
		plain++;
	if (plain == n) {
		if ((rc = mrm_buf_extend(b, n + 2, &w)))
			return rc;
		*w = '"';
		memcpy(w + 1, s, n);
		w[n + 1] = '"';
		return 0;
	}
	if (mrm_utf8_check(s, n) != n)
		return MRM_ERR_NOMEM;
	if ((rc = mrm_buf_extend(b, 6 * n + 2, &w)))
		return rc;
	*w++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\') {
			*w++ = (char)c;
			continue;
		}
		*w++ = '\\';
		switch (c) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '\b': *w++ = 'b'; break;
		case '\f': *w++ = 'f'; break;
		case '\n': *w++ = 'n'; break;
		case '\r': *w++ = 'r'; break;
		case '\t': *w++ = 't'; break;
		default:
			memcpy(w, "u00", 3);
			w[3] = hex[c >> 4];
			w[4] = hex[c & 15];
			w += 5;
		}
	}
	*w++ = '"';
	b->len = (size_t)(w - b->ptr);
	b->ptr[b->len] = '\0';
	return 0;
}

/* `"key":` after a comma where one is needed. */
static int key_text(struct mrm_buf *b, const char *key)
{
	int rc = sep(b);

	if (!rc)
		rc = str_text(b, key, strlen(key));
	return rc ? rc : mrm_buf_addc(b, ':');
}

static int member_str(struct mrm_buf *b, const char *key, const char *v)
{
	int rc = key_text(b, key);

	return rc ? rc : str_text(b, v, v ? strlen(v) : 0);
}

/* A real as jansson writes it: %.17g, ".0" when it would read back as an
 * integer, no '+' or leading zeros in the exponent. */
static int real_text(struct mrm_buf *b, double v)
{
	char t[64], *e;
	int n;

	if (!isfinite(v))
		return MRM_ERR_NOMEM; /* json_real() gives NULL */
	n = snprintf(t, sizeof(t) - 3, "%.17g", v);
	if (!strchr(t, '.') && !strchr(t, 'e')) {
		memcpy(t + n, ".0", 3);
		n += 2;
	}
	if ((e = strchr(t, 'e'))) {
		char *start = e + 1, *end = e + 2;

		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)(t + n - end) + 1);
			n -= (int)(end - start);
		}
	}
	return mrm_buf_add(b, t, (size_t)n);
}

/* An integer in decimal, as "%lld" writes it, at the end of t[24]: its
 * first character (*len of them). */
static const char *int_chars(int64_t v, char t[24], size_t *len)
{
	char *p = t + 24;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	*len = (size_t)(t + 24 - p);
	return p;
}

static int int_text(struct mrm_buf *b, int64_t v)
{
	char t[24];
	size_t n;
	const char *p = int_chars(v, t, &n);

	return mrm_buf_add(b, p, n);
}

/* The associated data a sealed field was sealed with: "table/id/column"
 * (without printf: this is on every sealed value's way out). */
static void ad_of(char *ad, size_t size, const char *table, int64_t id,
		  const char *column)
{
	char t[24];
	size_t lt = strlen(table), lc = strlen(column), n;
	const char *num = int_chars(id, t, &n);

	if (lt + n + lc + 3 > size) {
		snprintf(ad, size, "%s/%lld/%s", table, (long long)id, column);
		return;
	}
	memcpy(ad, table, lt);
	ad[lt] = '/';
	memcpy(ad + lt + 1, num, n);
	ad[lt + 1 + n] = '/';
	memcpy(ad + lt + 2 + n, column, lc + 1);
}

/* ---- rows ---- */

static int text_error(int rc, struct mrm_error *err)
{
	return rc == MRM_ERR_LIMIT ? mrm_error_set(err, rc, NULL,
						   "an event is over the "
						   "size limit")
				   : no_memory(err);
}

/* The value of field `f` at result column `col` as JSON text. */
static int value_text(struct exporter *x, struct mrm_buf *b, sqlite3_stmt *s,
		      int col, const struct mrm_field *f, const char *currency,
		      struct mrm_error *err)
{
	char ad[128], money[64];
	int rc;

	switch (f->type) {
	case MRM_F_SECRET:
		ad_of(ad, sizeof(ad), mrm_entity_table(f->ent),
		      sqlite3_column_int64(s, cat.base[f->ent]), f->column);
		mrm_buf_reset(&x->plain);
		/* a wiped key shows MRM_DESTROYED_TEXT (rc 1) */
		rc = mrm_store_unseal_shown(
			x->st, sqlite3_column_int64(s, cat.org[f->ent]), ad,
			sqlite3_column_blob(s, col),
			(size_t)sqlite3_column_bytes(s, col), &x->plain, err);
		if (rc < 0)
			return rc;
		rc = str_text(b, mrm_buf_str(&x->plain), x->plain.len);
		break;
	case MRM_F_INT: rc = int_text(b, sqlite3_column_int64(s, col)); break;
	case MRM_F_BOOL:
		rc = mrm_buf_adds(b, sqlite3_column_int(s, col) ? "true"
								: "false");
		break;
	case MRM_F_REAL:
		rc = real_text(b, sqlite3_column_double(s, col));
		break;
	case MRM_F_MONEY:
		mrm_money_format(sqlite3_column_int64(s, col),
				 currency ? currency : "", money,
				 sizeof(money));
		rc = str_text(b, money, strlen(money));
		break;
	default: {
		const char *t = (const char *)sqlite3_column_text(s, col);

		rc = str_text(b, t, t ? strlen(t) : 0);
	}
	}
	return rc ? text_error(rc, err) : 0;
}

/* Which of start_date and end_date a row had (bits 1 and 2). */
enum { HAD_START = 1, HAD_END = 2 };

/*
 * The row's fields as members of the object open in `b`. `dates`: the
 * visible shape's start_precision and end_precision after the dates (the
 * dates seen are added to *had).
 */
static int fields_text(struct exporter *x, struct mrm_buf *b, sqlite3_stmt *s,
		       enum mrm_entity ent, int dates, unsigned *had,
		       struct mrm_error *err)
{
	size_t plen = strlen(mrm_entity_prefix(ent)) + 1;
	int base = cat.base[ent];
	const char *currency =
		cat.currency[ent] < 0
			? NULL
			: (const char *)sqlite3_column_text(
				  s, base + 1 + cat.currency[ent]);
	int rc = 0;

	for (int i = 0; !rc && i < cat.nfields[ent]; i++) {
		const struct mrm_field *f = &mrm_fields[cat.field[ent][i]];
		const char *name = f->name + plen;
		int col = base + 1 + i;

		if ((f->type == MRM_F_SECRET && !x->identities) ||
		    sqlite3_column_type(s, col) == SQLITE_NULL)
			continue;
		rc = key_text(b, name);
		rc = rc ? text_error(rc, err)
			: value_text(x, b, s, col, f, currency, err);
		if (rc || !dates)
			continue;
		for (int d = 0; d < 2; d++)
			if (!strcmp(name, d ? "end_date" : "start_date")) {
				*had |= d ? HAD_END : HAD_START;
				rc = member_str(
					b,
					d ? "end_precision" : "start_precision",
					mrm_date_precision(
						(const char *)
							sqlite3_column_text(
								s, col)));
				rc = rc ? text_error(rc, err) : 0;
			}
	}
	return rc;
}

/* The precisions of the dates a row did not have, at its end. */
static int missing_precisions(struct mrm_buf *b, unsigned had)
{
	int rc = 0;

	if (!(had & HAD_START))
		rc = member_str(b, "start_precision", "unknown");
	if (!rc && !(had & HAD_END))
		rc = member_str(b, "end_precision", "unknown");
	return rc;
}

/* Run the statement of `ent` for event `id` and write each row as an
 * object into its pieces, keyed by its last column. */
static int pieces_read(struct exporter *x, enum mrm_entity ent, int64_t id,
		       struct mrm_error *err)
{
	struct pieces *p = &x->parts[ent];
	sqlite3_stmt *s = x->sel[ent];
	int rc = 0, step, key_col = cat.base[ent] + 1 + cat.nfields[ent];
	unsigned had = 0;

	sqlite3_bind_int64(s, 1, id);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		size_t off = p->text.len;

		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 16;
			struct piece *at = realloc(p->at, cap * sizeof(*at));

			if (!at) {
				rc = no_memory(err);
				break;
			}
			p->at = at;
			p->cap = cap;
		}
		rc = mrm_buf_addc(&p->text, '{') ? no_memory(err) : 0;
		if (!rc)
			rc = fields_text(x, &p->text, s, ent, 0, &had, err);
		if (!rc && mrm_buf_addc(&p->text, '}'))
			rc = no_memory(err);
		if (!rc)
			p->at[p->n++] =
				(struct piece){sqlite3_column_int64(s, key_col),
					       off, p->text.len - off};
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(x->st, err, mrm_entity_table(ent));
	sqlite3_reset(s);
	return rc;
}

/* The last piece of `ent` with `key` (they are in key order), or NULL. */
static const struct piece *piece_find(const struct exporter *x,
				      enum mrm_entity ent, int64_t key)
{
	const struct pieces *p = &x->parts[ent];
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->at[mid].key <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && p->at[lo - 1].key == key ? &p->at[lo - 1] : NULL;
}

/* `,"prefix":{...}` of the piece of `ent` with `id`, if there is one. */
static int piece_text(struct exporter *x, struct mrm_buf *b,
		      enum mrm_entity ent, int64_t id)
{
	const struct piece *pc = piece_find(x, ent, id);
	int rc = 0;

	if (pc) {
		rc = key_text(b, mrm_entity_prefix(ent));
		if (!rc)
			rc = mrm_buf_add(b, x->parts[ent].text.ptr + pc->off,
					 pc->len);
	}
	return rc;
}

/* `,"key":{...}` of the row of `ent` joined on the act's row, if any. */
static int joined_text(struct exporter *x, struct mrm_buf *b, sqlite3_stmt *s,
		       enum mrm_entity ent, struct mrm_error *err)
{
	unsigned had = 0;
	int rc;

	if (sqlite3_column_type(s, cat.base[ent]) == SQLITE_NULL)
		return 0;
	rc = key_text(b, mrm_entity_prefix(ent)) || mrm_buf_addc(b, '{')
		     ? no_memory(err)
		     : 0;
	if (!rc)
		rc = fields_text(x, b, s, ent, 0, &had, err);
	if (!rc && mrm_buf_addc(b, '}'))
		rc = no_memory(err);
	return rc;
}

static int act_text(struct exporter *x, struct mrm_buf *b, sqlite3_stmt *s,
		    struct mrm_error *err)
{
	int64_t act_id = sqlite3_column_int64(s, 0);
	int visible = x->shape == SHAPE_VISIBLE, rc;
	unsigned had = 0;

	rc = sep(b) || mrm_buf_addc(b, '{') ? no_memory(err) : 0;
	if (!rc)
		rc = fields_text(x, b, s, MRM_ENT_ACT, visible, &had, err);
	for (size_t i = 0; !rc && i < mrm_act_nparts; i++) {
		enum mrm_entity part = mrm_act_parts[i];

		if (on_act_row(part))
			rc = joined_text(x, b, s, part, err);
		else if (piece_text(x, b, part, act_id))
			rc = no_memory(err);
	}
	if (!rc && sqlite3_column_type(s, VICTIM_COL) != SQLITE_NULL)
		rc = joined_text(x, b, s, MRM_ENT_VICTIM, err);
	if (!rc && visible && missing_precisions(b, had))
		rc = no_memory(err);
	if (!rc && mrm_buf_addc(b, '}'))
		rc = no_memory(err);
	return rc;
}

static int intervention_text(struct exporter *x, struct mrm_buf *b,
			     sqlite3_stmt *s, struct mrm_error *err)
{
	int victim_col = 1 + cat.nfields[MRM_ENT_INTERVENTION];
	int visible = x->shape == SHAPE_VISIBLE, rc;
	unsigned had = 0;

	rc = sep(b) || mrm_buf_addc(b, '{') ? no_memory(err) : 0;
	if (!rc)
		rc = fields_text(x, b, s, MRM_ENT_INTERVENTION, visible, &had,
				 err);
	if (!rc && sqlite3_column_type(s, victim_col) != SQLITE_NULL)
		rc = member_str(
			b, "victim",
			(const char *)sqlite3_column_text(s, victim_col));
	if (!rc && visible)
		rc = missing_precisions(b, had);
	if (!rc)
		rc = mrm_buf_addc(b, '}');
	return rc ? text_error(rc, err) : 0;
}

static int source_text(struct exporter *x, struct mrm_buf *b, sqlite3_stmt *s,
		       struct mrm_error *err)
{
	unsigned had = 0;
	int rc = sep(b) || mrm_buf_addc(b, '{') ? no_memory(err) : 0;

	if (!rc)
		rc = fields_text(x, b, s, MRM_ENT_SOURCE, 0, &had, err);
	if (!rc && mrm_buf_addc(b, '}'))
		rc = no_memory(err);
	return rc;
}

/*
 * `,"key":[...]` with a row of `ent` of event `id` each; with `always`
 * unset, nothing when there are none.
 */
static int list_text(struct exporter *x, struct mrm_buf *b, const char *key,
		     enum mrm_entity ent, int64_t id, int always,
		     int (*row)(struct exporter *x, struct mrm_buf *b,
				sqlite3_stmt *s, struct mrm_error *err),
		     struct mrm_error *err)
{
	sqlite3_stmt *s = x->sel[ent];
	size_t start = b->len;
	int rc = key_text(b, key), step = SQLITE_DONE, n = 0;

	rc = rc || mrm_buf_addc(b, '[') ? text_error(rc, err) : 0;
	sqlite3_bind_int64(s, 1, id);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		rc = row(x, b, s, err);
		n++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(x->st, err, mrm_entity_table(ent));
	sqlite3_reset(s);
	if (!rc && !n && !always) {
		b->len = start; /* no list at all */
		if (b->ptr)
			b->ptr[start] = '\0';
	} else if (!rc && mrm_buf_addc(b, ']')) {
		rc = no_memory(err);
	}
	return rc;
}

/* The event's attributes, as "attrs": {name: [values]}, if any. */
static int attrs_text(struct exporter *x, struct mrm_buf *b, int64_t id,
		      struct mrm_error *err)
{
	sqlite3_stmt *s = x->attrs;
	char *last = NULL;
	int rc = 0, step = SQLITE_DONE;

	sqlite3_bind_int64(s, 1, id);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		const char *value = (const char *)sqlite3_column_text(s, 1);

		if (!name || !value) {
			rc = MRM_ERR_NOMEM;
		} else if (!last || strcmp(last, name)) {
			rc = last ? mrm_buf_adds(b, "]")
				  : key_text(b, "attrs") ||
					     mrm_buf_addc(b, '{');
			free(last);
			last = strdup(name);
			if (!rc)
				rc = !last ? MRM_ERR_NOMEM : key_text(b, name);
			if (!rc)
				rc = mrm_buf_addc(b, '[');
		}
		if (!rc)
			rc = sep(b);
		if (!rc)
			rc = str_text(b, value, strlen(value));
	}
	if (!rc && last)
		rc = mrm_buf_adds(b, "]}");
	free(last);
	if (rc)
		return text_error(rc, err);
	if (step != SQLITE_DONE)
		rc = mrm_store_fail(x->st, err, "attributes");
	sqlite3_reset(s);
	return rc;
}

/*
 * The members other modules add after the interventions: "wages" and
 * "recruitment_costs" (labour.c), "policies" (policy_io.c), each only when
 * the event has some. They are built as JSON by their modules and written
 * as jansson writes them.
 */
static int extras_text(struct exporter *x, struct mrm_buf *b, int64_t id,
		       struct mrm_error *err)
{
	json_t *o = json_object();
	int rc = o ? labour_export(x->st, id, o, err) : no_memory(err);

	if (!rc)
		rc = policy_export(x->st, id, o, err);
	for (void *it = rc ? NULL : json_object_iter(o); it;
	     it = json_object_iter_next(o, it)) {
		char *t = json_dumps(json_object_iter_value(it), JSON_COMPACT);

		rc = t ? key_text(b, json_object_iter_key(it)) : MRM_ERR_NOMEM;
		if (!rc)
			rc = mrm_buf_adds(b, t);
		free(t);
		if (rc) {
			rc = text_error(rc, err);
			break;
		}
	}
	json_decref(o);
	return rc;
}

static int event_text(struct exporter *x, int64_t id, struct mrm_buf *b,
		      struct mrm_error *err)
{
	sqlite3_stmt *s = x->sel[MRM_ENT_EVENT];
	int visible = x->shape == SHAPE_VISIBLE, rc, step;
	unsigned had = 0;

	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step != SQLITE_ROW) {
		sqlite3_reset(s);
		return step == SQLITE_DONE
			       ? mrm_error_set(err, MRM_ERR_NOTFOUND, NULL,
					       "no event with id %lld",
					       (long long)id)
			       : mrm_store_fail(x->st, err, "event");
	}
	rc = mrm_buf_addc(b, '{');
	/* the visible shape puts the id first, for readers */
	if (!rc && visible)
		rc = key_text(b, "id") || int_text(b, id);
	rc = rc ? text_error(rc, err)
		: fields_text(x, b, s, MRM_ENT_EVENT, visible, &had, err);
	sqlite3_reset(s);
	if (!rc && !visible && (key_text(b, "id") || int_text(b, id)))
		rc = no_memory(err);
	if (!rc)
		rc = attrs_text(x, b, id, err);
	for (size_t i = 0; !rc && i < mrm_act_nparts; i++)
		if (!on_act_row(mrm_act_parts[i]))
			rc = pieces_read(x, mrm_act_parts[i], id, err);
	if (!rc)
		rc = list_text(x, b, "acts", MRM_ENT_ACT, id, 1, act_text, err);
	if (!rc)
		rc = list_text(x, b, "sources", MRM_ENT_SOURCE, id, 0,
			       source_text, err);
	if (!rc)
		rc = list_text(x, b, "interventions", MRM_ENT_INTERVENTION, id,
			       0, intervention_text, err);
	if (!rc)
		rc = extras_text(x, b, id, err);
	if (!rc && visible && missing_precisions(b, had))
		rc = no_memory(err);
	if (!rc && mrm_buf_addc(b, '}'))
		rc = no_memory(err);
	return rc;
}

int mrm_event_text(struct mrm_store *st, int64_t id, int visible,
		   int identities, struct mrm_buf *out, struct mrm_error *err)
{
	struct exporter x;
	size_t start = out->len;
	int rc = exporter_init(&x, st, visible ? SHAPE_VISIBLE : SHAPE_RAW,
			       identities, err);

	if (!rc)
		rc = event_text(&x, id, out, err);
	exporter_release(&x);
	if (rc && out->ptr) {
		out->len = start;
		out->ptr[start] = '\0';
	}
	return rc;
}

int mrm_event_json(struct mrm_store *st, int64_t id, json_t **out,
		   struct mrm_error *err)
{
	struct mrm_buf text = MRM_BUF_INIT((size_t)1 << 30);
	json_error_t jerr;
	int rc = mrm_event_text(st, id, 0, 1, &text, err);

	*out = NULL;
	if (!rc &&
	    !(*out = json_loadb(text.ptr, text.len, JSON_ALLOW_NUL, &jerr)))
		rc = no_memory(err);
	mrm_buf_release(&text);
	return rc;
}

static int org_json(sqlite3_stmt *s, json_t **out, struct mrm_error *err)
{
	json_t *o =
		json_pack("{s:s, s:s, s:s}", "code", sqlite3_column_text(s, 0),
			  "name", sqlite3_column_text(s, 1), "country",
			  sqlite3_column_text(s, 2));
	int rc = o ? 0 : no_memory(err);

	if (!rc && sqlite3_column_type(s, 3) != SQLITE_NULL)
		rc = put(o, "kind",
			 json_string((const char *)sqlite3_column_text(s, 3)),
			 err);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

static int invalid(struct mrm_error *err, const char *where, const char *msg)
{
	return mrm_error_set(err, MRM_ERR_INVALID, where, "%s", msg);
}

/*
 * May `who` export the records of `org` (event `event`)? 1 yes, 0 no, or a
 * negative code with err filled. A NULL `who` is the database's own user
 * at the command line, who may export everything.
 */
static int may_export(struct mrm_store *st, const struct mrm_actor *who,
		      int64_t org, int64_t event, struct mrm_error *err)
{
	struct mrm_error e;
	int rc;

	if (!who)
		return 1;
	rc = mrm_access_check(st, who, MRM_ACT_EXPORT, org, event, &e);
	if (!rc)
		return 1;
	if (rc == MRM_ERR_ACCESS) {
		if (err && !event)
			*err = e;
		return 0;
	}
	if (err)
		*err = e;
	return rc;
}

/* ---- the export stream ---- */

enum stage { STAGE_START, STAGE_EVENTS, STAGE_DONE };

struct mrm_export_stream {
	struct mrm_store *st;
	int anyone; /* no actor: everything may go out */
	struct mrm_actor who;
	int csv, in_txn, first;
	const char *what; /* CSV: acts, events, persons, organisations */
	enum stage stage;
	sqlite3_stmt *ids;
	json_t *attr_names;
	char tmp[MRM_JSON_SCALAR_MAX];
};

static int out_of_room(int rc, struct mrm_error *err)
{
	return rc == MRM_ERR_LIMIT
		       ? mrm_error_set(err, rc, NULL,
				       "an export piece is over the size "
				       "limit")
		       : no_memory(err);
}

static int put_json(struct mrm_buf *out, const json_t *v, struct mrm_error *err)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
					   JSON_REAL_PRECISION(12));
	int rc = text ? mrm_buf_adds(out, text) : MRM_ERR_NOMEM;

	free(text);
	return rc ? out_of_room(rc, err) : 0;
}

/* Every organisation, as mrm_export_json() writes them. */
static int orgs_array(struct mrm_store *st, json_t **out, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();
	int rc = arr ? 0 : no_memory(err), step = SQLITE_DONE;

	if (!rc && sqlite3_prepare_v2(mrm_store_db(st),
				      "SELECT code, name, country, kind FROM "
				      "org ORDER BY code",
				      -1, &s, NULL))
		rc = mrm_store_fail(st, err, "organisations");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = NULL;

		rc = org_json(s, &o, err);
		if (!rc && json_array_append_new(arr, o))
			rc = no_memory(err);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "organisations");
	sqlite3_finalize(s);
	if (rc) {
		json_decref(arr);
		arr = NULL;
	}
	*out = arr;
	return rc;
}

static int cell_text(struct mrm_buf *line, const char *t, int first)
{
	int rc = first ? 0 : mrm_buf_addc(line, ',');

	return rc ? rc : mrm_csv_put_field(line, t, strlen(t));
}

/* A JSON scalar as a cell ("" for anything else). */
static int cell(struct mrm_export_stream *x, struct mrm_buf *line,
		const json_t *v, int first)
{
	const char *t = mrm_json_scalar_text(v, x->tmp, sizeof(x->tmp));

	return cell_text(line, t ? t : "", first);
}

static int wanted(const struct mrm_export_stream *x, enum mrm_entity ent)
{
	if (!strcmp(x->what, "events"))
		return ent == MRM_ENT_EVENT;
	if (!strcmp(x->what, "persons"))
		return ent == MRM_ENT_VICTIM;
	return 1;
}

static int csv_header(struct mrm_export_stream *x, struct mrm_buf *out)
{
	json_t *name;
	char col[300];
	size_t i;
	int rc = 0, first = 1;

	for (size_t f = 0; !rc && f < mrm_field_count; f++)
		if (wanted(x, mrm_fields[f].ent)) {
			rc = cell_text(out, mrm_fields[f].name, first);
			first = 0;
		}
	json_array_foreach(x->attr_names, i, name)
	{
		snprintf(col, sizeof(col), "attr.%.250s",
			 json_string_value(name));
		if (!rc)
			rc = cell_text(out, col, 0);
	}
	return rc ? rc : mrm_buf_addc(out, '\n');
}

static int csv_orgs(struct mrm_export_stream *x, struct mrm_buf *out,
		    struct mrm_error *err)
{
	static const char *const cols[] = {"code", "name", "country", "kind"};
	json_t *orgs = NULL, *o;
	size_t i;
	int rc = orgs_array(x->st, &orgs, err);

	if (rc)
		return rc;
	rc = mrm_buf_adds(out, "code,name,country,kind\n");
	json_array_foreach(orgs, i, o)
	{
		for (int k = 0; !rc && k < 4; k++)
			rc = cell(x, out, json_object_get(o, cols[k]), !k);
		if (!rc)
			rc = mrm_buf_addc(out, '\n');
	}
	json_decref(orgs);
	return rc ? out_of_room(rc, err) : 0;
}

/* The object a field of `ent` is read from, for row `k` of an event. */
static json_t *holder(json_t *ev, json_t *act, enum mrm_entity ent, size_t k)
{
	switch (ent) {
	case MRM_ENT_EVENT: return ev;
	case MRM_ENT_ACT: return act;
	case MRM_ENT_SOURCE:
		return json_array_get(json_object_get(ev, "sources"), k);
	case MRM_ENT_INTERVENTION:
		return json_array_get(json_object_get(ev, "interventions"), k);
	default: return json_object_get(act, mrm_entity_prefix(ent));
	}
}

static size_t max_size(size_t n, json_t *a)
{
	return json_array_size(a) > n ? json_array_size(a) : n;
}

/* Rows an event takes, as mrm_export_csv() writes them. */
static size_t rows_needed(const struct mrm_export_stream *x, json_t *ev)
{
	size_t n = 1;
	const char *k;
	json_t *v;

	if (!strcmp(x->what, "persons"))
		return json_array_size(json_object_get(ev, "acts"));
	if (strcmp(x->what, "events")) {
		n = max_size(n, json_object_get(ev, "acts"));
		n = max_size(n, json_object_get(ev, "sources"));
		n = max_size(n, json_object_get(ev, "interventions"));
	}
	json_object_foreach(json_object_get(ev, "attrs"), k, v) n =
		max_size(n, v);
	return n;
}

static int csv_row(struct mrm_export_stream *x, struct mrm_buf *out, json_t *ev,
		   json_t *act, size_t k)
{
	json_t *name;
	size_t i;
	int rc = 0, first = 1;

	for (size_t f = 0; !rc && f < mrm_field_count; f++) {
		const struct mrm_field *fd = &mrm_fields[f];
		size_t plen = strlen(mrm_entity_prefix(fd->ent)) + 1;

		if (!wanted(x, fd->ent))
			continue;
		rc = cell(x, out,
			  json_object_get(holder(ev, act, fd->ent, k),
					  fd->name + plen),
			  first);
		first = 0;
	}
	json_array_foreach(x->attr_names, i, name)
	{
		json_t *vals = json_object_get(json_object_get(ev, "attrs"),
					       json_string_value(name));
		if (!rc)
			rc = cell(x, out, json_array_get(vals, k), 0);
	}
	return rc ? rc : mrm_buf_addc(out, '\n');
}

static int csv_event(struct mrm_export_stream *x, struct mrm_buf *out,
		     json_t *ev)
{
	size_t nrows = rows_needed(x, ev);
	struct mrm_hmap seen;
	int rc = 0;

	mrm_hmap_init(&seen);
	for (size_t k = 0; !rc && k < nrows; k++) {
		json_t *act = json_array_get(json_object_get(ev, "acts"), k);

		if (!strcmp(x->what, "persons")) {
			const char *key = json_string_value(json_object_get(
				json_object_get(act, "victim"), "key"));

			if (!key || mrm_hmap_get(&seen, key, NULL))
				continue;
			rc = mrm_hmap_put(&seen, key, 1);
		}
		if (!rc)
			rc = csv_row(x, out, ev, act, k);
	}
	mrm_hmap_release(&seen);
	return rc;
}

/* The attribute names of the events an export holds: all of them, or
 * those of organisation `org` (an actor may export only its own). */
static int attr_names(struct mrm_store *st, int64_t org, json_t **out,
		      struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step = SQLITE_DONE;

	*out = json_array();
	if (!*out)
		return no_memory(err);
	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT DISTINCT a.name FROM event_attr a JOIN "
			       "event e ON e.id = a.event_id WHERE ?1 = 0 OR "
			       "e.org_id = ?1 ORDER BY a.name",
			       -1, &s, NULL))
		return mrm_store_fail(st, err, "attributes");
	sqlite3_bind_int64(s, 1, org);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
		if (json_array_append_new(
			    *out, json_string((const char *)sqlite3_column_text(
					  s, 0))))
			rc = no_memory(err);
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "attributes");
	sqlite3_finalize(s);
	return rc;
}

static const char *x_what(int csv, const char *what)
{
	return !csv ? "" : what ? what : "acts";
}

/* The export's audit entry, committed before anything is taken out. */
static int audit_export(struct mrm_store *st, const struct mrm_actor *who,
			const char *format, const char *what,
			struct mrm_error *err)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "%s%s%s", format, *what ? " " : "",
		 what);
	return mrm_audit_note(
		st,
		&(struct mrm_audit_entry){.action = "export",
					  .detail = detail,
					  .user_id = who ? who->user_id : 0,
					  .actor = who ? who->login : NULL},
		err);
}

int mrm_export_stream_begin(struct mrm_export_stream **out,
			    struct mrm_store *st, const struct mrm_actor *who,
			    const char *format, const char *what,
			    struct mrm_error *err)
{
	static const char *const tables[] = {"acts", "events", "persons",
					     "organisations"};
	struct mrm_export_stream *x;
	int rc, ok, csv = format && !strcmp(format, "csv");

	*out = NULL;
	if (!csv && (!format || strcmp(format, "json")))
		return invalid(err, "format", "must be json or csv");
	if (!csv && what)
		return invalid(err, "what",
			       "applies to CSV exports only (JSON holds "
			       "everything)");
	for (ok = 0; csv && what && ok < 4 && strcmp(what, tables[ok]); ok++)
		;
	if (ok == 4)
		return invalid(err, "what",
			       "must be acts, events, persons or "
			       "organisations");
	ok = may_export(st, who, who ? who->org_id : 0, 0, err);
	if (ok <= 0)
		return ok < 0 ? ok : MRM_ERR_ACCESS;
	rc = audit_export(st, who, format, x_what(csv, what), err);
	if (rc)
		return rc;
	x = calloc(1, sizeof(*x));
	if (!x)
		return no_memory(err);
	x->st = st;
	x->anyone = !who;
	if (who)
		x->who = *who;
	x->csv = csv;
	x->first = 1;
	x->what = x_what(csv, what);
	/* one snapshot for the whole export */
	rc = sqlite3_exec(mrm_store_db(st), "BEGIN", NULL, NULL, NULL)
		     ? mrm_store_fail(st, err, "export")
		     : 0;
	x->in_txn = !rc;
	if (!rc && sqlite3_prepare_v2(mrm_store_db(st),
				      "SELECT id, org_id FROM event ORDER BY "
				      "id",
				      -1, &x->ids, NULL))
		rc = mrm_store_fail(st, err, "export");
	if (!rc && csv && strcmp(x->what, "persons"))
		rc = attr_names(st, who ? who->org_id : 0, &x->attr_names, err);
	if (rc) {
		mrm_export_stream_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

static int stream_start(struct mrm_export_stream *x, struct mrm_buf *out,
			struct mrm_error *err)
{
	json_t *orgs = NULL;
	int rc;

	x->stage = STAGE_EVENTS;
	if (x->csv && !strcmp(x->what, "organisations")) {
		x->stage = STAGE_DONE;
		return csv_orgs(x, out, err);
	}
	if (x->csv)
		return (rc = csv_header(x, out)) ? out_of_room(rc, err) : 0;
	rc = orgs_array(x->st, &orgs, err);
	if (!rc && mrm_buf_adds(out, "{\"format\":\"mrm-export/1\",\n"
				     "\"organisations\":"))
		rc = no_memory(err);
	if (!rc)
		rc = put_json(out, orgs, err);
	if (!rc && mrm_buf_adds(out, ",\n\"events\":[\n"))
		rc = no_memory(err);
	json_decref(orgs);
	return rc;
}

/* The next event `who` may export, into *ev (NULL at the end). */
static int next_event(struct mrm_export_stream *x, json_t **ev,
		      struct mrm_error *err)
{
	int step;

	*ev = NULL;
	while ((step = sqlite3_step(x->ids)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(x->ids, 0);
		int ok = may_export(x->st, x->anyone ? NULL : &x->who,
				    sqlite3_column_int64(x->ids, 1), id, NULL);

		if (ok)
			return ok < 0 ? ok : mrm_event_json(x->st, id, ev, err);
	}
	return step == SQLITE_DONE ? 0 : mrm_store_fail(x->st, err, "export");
}

int mrm_export_stream_next(struct mrm_export_stream *x, struct mrm_buf *out,
			   struct mrm_error *err)
{
	json_t *ev = NULL;
	int rc;

	if (x->stage == STAGE_DONE)
		return 0;
	if (x->stage == STAGE_START)
		return (rc = stream_start(x, out, err)) ? rc : 1;
	rc = next_event(x, &ev, err);
	if (rc)
		return rc;
	if (!ev) {
		x->stage = STAGE_DONE;
		if (x->csv)
			return 0;
		return mrm_buf_adds(out, "\n]}\n") ? no_memory(err) : 1;
	}
	if (x->csv) {
		rc = csv_event(x, out, ev);
		rc = rc ? out_of_room(rc, err) : 0;
	} else {
		rc = !x->first && mrm_buf_adds(out, ",\n") ? no_memory(err) : 0;
		if (!rc)
			rc = put_json(out, ev, err);
	}
	x->first = 0;
	json_decref(ev);
	return rc ? rc : 1;
}

void mrm_export_stream_free(struct mrm_export_stream *x)
{
	if (!x)
		return;
	sqlite3_finalize(x->ids);
	if (x->in_txn)
		sqlite3_exec(mrm_store_db(x->st), "ROLLBACK", NULL, NULL, NULL);
	json_decref(x->attr_names);
	free(x);
}

/* ---- writing a whole export to a file ---- */

static int export_to_file(struct mrm_store *st, const char *format,
			  const char *what, FILE *out, struct mrm_error *err)
{
	struct mrm_buf piece = MRM_BUF_INIT(256u << 20);
	struct mrm_export_stream *x = NULL;
	int rc = mrm_export_stream_begin(&x, st, NULL, format, what, err);

	while (!rc) {
		mrm_buf_reset(&piece);
		rc = mrm_export_stream_next(x, &piece, err);
		if (rc <= 0)
			break;
		rc = fwrite(piece.ptr, 1, piece.len, out) == piece.len
			     ? 0
			     : mrm_error_set(err, MRM_ERR_IO, NULL,
					     "write failed");
	}
	mrm_export_stream_free(x);
	mrm_buf_release(&piece);
	return rc < 0 ? rc : 0;
}

int mrm_export_json(struct mrm_store *st, FILE *out, struct mrm_error *err)
{
	return export_to_file(st, "json", NULL, out, err);
}

int mrm_export_csv(struct mrm_store *st, const char *what, FILE *out,
		   struct mrm_error *err)
{
	return export_to_file(st, "csv", what, out, err);
}
