/* labour.c - wage records and recruitment costs: their fields, the JSON
 * import and export of an event's "wages" and "recruitment_costs", and the
 * walks over them (include/mrm/wages.h). */
#include "labour.h"

#include "import_internal.h"
#include "mrm/export.h"
#include "mrm/fields.h"
#include "mrm/store.h"
#include "mrm/utf8.h"
#include "mrm/wages.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define F(n, t, aux, lo, hi)                                                   \
	{                                                                      \
		n, MRM_ENT_EVENT, n, t, aux, lo, hi                            \
	}

/* Currencies first: amounts are read with them. */
static const struct mrm_field wage_fields[] = {
	F("currency", MRM_F_CURRENCY, NULL, 0, 0),
	F("employer", MRM_F_TEXT, NULL, 0, 200),
	F("country", MRM_F_VOCAB, "country", 0, 0),
	F("admin1", MRM_F_VOCAB, "admin1", 0, 0),
	F("area", MRM_F_TEXT, NULL, 0, 100),
	F("sector", MRM_F_VOCAB, "sector", 0, 0),
	F("period_start", MRM_F_DATE, NULL, 0, 0),
	F("period_end", MRM_F_DATE, NULL, 0, 0),
	F("days_worked", MRM_F_INT, NULL, 0, 366),
	F("hours_worked", MRM_F_INT, NULL, 0, 8784),
	F("amount_paid", MRM_F_MONEY, "currency", 0, 0),
	F("deductions", MRM_F_MONEY, "currency", 0, 0),
};

static const struct mrm_field cost_fields[] = {
	F("currency", MRM_F_CURRENCY, NULL, 0, 0),
	F("earnings_currency", MRM_F_CURRENCY, NULL, 0, 0),
	F("paid_to", MRM_F_ENUM, "agency|broker|employer|official|other", 0, 0),
	F("amount", MRM_F_MONEY, "currency", 0, 0),
	F("date", MRM_F_DATE, NULL, 0, 0),
	F("origin", MRM_F_VOCAB, "country", 0, 0),
	F("destination", MRM_F_VOCAB, "country", 0, 0),
	F("channel", MRM_F_TEXT, NULL, 0, 100),
	F("monthly_earnings", MRM_F_MONEY, "earnings_currency", 0, 0),
};

#define NW   (sizeof(wage_fields) / sizeof(wage_fields[0]))
#define NC   (sizeof(cost_fields) / sizeof(cost_fields[0]))
#define NMAX NW

static const struct labour_table {
	const char *member, *table;
	const struct mrm_field *fields;
	size_t n;
	const char *const *required;
} tables[] = {
	{"wages", "wage_record", wage_fields, NW,
	 (const char *const[]){"country", "period_start", "period_end",
			       "amount_paid", "currency", NULL}},
	{"recruitment_costs", "recruitment_cost", cost_fields, NC,
	 (const char *const[]){"amount", "currency", NULL}},
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* The export's SELECT of each table, written once: it runs for every
 * event shown. */
static char *export_sql[NTABLES];
static pthread_once_t export_sql_once = PTHREAD_ONCE_INIT;

static void export_sql_build(void)
{
	for (size_t t = 0; t < NTABLES; t++) {
		const struct labour_table *lt = &tables[t];
		struct mrm_buf sql = MRM_BUF_INIT(4096);

		mrm_buf_adds(&sql, "SELECT (SELECT key FROM person WHERE "
				   "person.id = victim_id)");
		for (size_t f = 0; f < lt->n; f++)
			mrm_buf_addf(&sql, ", %s", lt->fields[f].column);
		if (mrm_buf_addf(&sql,
				 " FROM %s WHERE event_id = ? ORDER BY id",
				 lt->table))
			mrm_buf_release(&sql);
		export_sql[t] = mrm_buf_detach(&sql); /* NULL: out of memory */
	}
}

static int field_of(const struct labour_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->fields[i].name, name))
			return (int)i;
	return -1;
}

/* One object's values, canonical, into vals[] (NULL: absent); `problem`
 * is told each bad member. Returns the number of problems, or a negative
 * code (out of memory). `arena` holds the texts. */
struct lvals {
	const char *v[NMAX];
	size_t off[NMAX];
	struct mrm_buf arena;
};

static int read_object(const struct labour_table *t, json_t *o,
		       const struct mrm_vocab *vocab, struct lvals *lv,
		       void (*problem)(void *ctx, const char *key,
				       const struct mrm_error *e),
		       void *ctx)
{
	const char *key;
	json_t *v;
	int bad = 0;
	struct mrm_error e;

	memset(lv->v, 0, sizeof(lv->v));
	mrm_buf_reset(&lv->arena);
	for (size_t i = 0; i < t->n; i++)
		lv->off[i] = (size_t)-1;
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "victim")) {
			if (!json_is_string(v) && !json_is_null(v)) {
				mrm_error_set(&e, MRM_ERR_INVALID, NULL,
					      "must be the key of a victim "
					      "of the event (a string)");
				problem(ctx, key, &e), bad++;
			}
			continue;
		}
		if (field_of(t, key) < 0) {
			struct mrm_buf names = MRM_BUF_INIT(1024);

			for (size_t i = 0; i < t->n; i++)
				mrm_buf_addf(&names, "%s, ", t->fields[i].name);
			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "unknown member \"%s\"; known: %svictim",
				      key, mrm_buf_str(&names));
			mrm_buf_release(&names);
			problem(ctx, key, &e), bad++;
		}
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct mrm_field *f = &t->fields[i];
		char tmp[MRM_JSON_SCALAR_MAX];
		const char *text, *cur = NULL;
		size_t before = lv->arena.len;
		int rc;

		v = json_object_get(o, f->name);
		if (!v || json_is_null(v))
			continue;
		text = mrm_json_scalar_text(v, tmp, sizeof(tmp));
		if (!text ||
		    mrm_utf8_check(text, strlen(text)) != strlen(text)) {
			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "must be a string or number (UTF-8)");
			problem(ctx, f->name, &e), bad++;
			continue;
		}
		if (!*text)
			continue;
		if (f->type == MRM_F_MONEY) {
			int c = field_of(t, f->aux);

			/* earnings without their own currency: the cost's */
			if (lv->off[c] == (size_t)-1)
				c = field_of(t, "currency");
			cur = lv->off[c] != (size_t)-1
				      ? lv->arena.ptr + lv->off[c]
				      : NULL;
		}
		mrm_error_clear(&e);
		rc = mrm_field_normalise(f, text, cur, vocab, &lv->arena, &e);
		if (!rc)
			rc = mrm_buf_addc(&lv->arena, '\0');
		if (rc == MRM_ERR_NOMEM || rc == MRM_ERR_LIMIT)
			return MRM_ERR_NOMEM;
		if (rc) {
			lv->arena.len = before;
			problem(ctx, f->name, &e), bad++;
			continue;
		}
		lv->off[i] = before;
	}
	for (size_t i = 0; i < t->n; i++)
		lv->v[i] = lv->off[i] == (size_t)-1
				   ? NULL
				   : lv->arena.ptr + lv->off[i];
	for (size_t i = 0; t->required[i]; i++) {
		int k = field_of(t, t->required[i]);

		if (!lv->v[k] && !json_object_get(o, t->required[i])) {
			mrm_error_set(&e, MRM_ERR_INVALID, NULL, "is required");
			problem(ctx, t->required[i], &e), bad++;
		}
	}
	if (t->fields == wage_fields) {
		int a = field_of(t, "admin1"), c = field_of(t, "country"),
		    s = field_of(t, "period_start"),
		    en = field_of(t, "period_end");

		if (lv->v[a] && lv->v[c] && strncmp(lv->v[a], lv->v[c], 2)) {
			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "%s is not in country %s", lv->v[a],
				      lv->v[c]);
			problem(ctx, "admin1", &e), bad++;
		}
		if (lv->v[s] && lv->v[en] &&
		    (strlen(lv->v[s]) != 10 || strlen(lv->v[en]) != 10 ||
		     strcmp(lv->v[s], lv->v[en]) > 0)) {
			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "the period must be two full dates "
				      "(YYYY-MM-DD), the end not before the "
				      "start: %s to %s",
				      lv->v[s], lv->v[en]);
			problem(ctx, "period_end", &e), bad++;
		}
	}
	return bad;
}

/* ---- import ---- */

struct where_ctx {
	struct importer *im;
	char path[300];
};

static void located(void *ctx, const char *key, const struct mrm_error *e)
{
	struct where_ctx *w = ctx;
	char where[512];

	snprintf(where, sizeof(where), "%s: %s.%s", w->im->name, w->path, key);
	importer_problem(w->im, where, e);
}

/* Is `key` a victim of event `ev` (by acts[].victim.key) or a person the
 * database or this import already has? */
static int known_victim(struct importer *im, json_t *ev, const char *key,
			struct mrm_error *err)
{
	json_t *act;
	size_t i;
	int64_t id;

	json_array_foreach(json_object_get(ev, "acts"), i, act)
	{
		const char *k = json_string_value(
			json_object_get(json_object_get(act, "victim"), "key"));

		if (k && !strcmp(k, key))
			return 1;
	}
	return importer_find_person(im, key, &id, err);
}

int importer_labour_check(struct importer *im, json_t *ev, const char *path,
			  struct mrm_error *err)
{
	struct lvals lv;
	int rc = 0;

	mrm_buf_init(&lv.arena, 1u << 20);
	for (size_t t = 0; !rc && t < sizeof(tables) / sizeof(tables[0]); t++) {
		json_t *list = json_object_get(ev, tables[t].member), *o;
		struct where_ctx w = {im, ""};
		struct mrm_error e;
		size_t i;

		if (!list)
			continue;
		if (!json_is_array(list)) {
			snprintf(w.path, sizeof(w.path), "%s", path);
			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "must be an array of objects");
			located(&w, tables[t].member, &e);
			continue;
		}
		json_array_foreach(list, i, o)
		{
			const char *victim =
				json_string_value(json_object_get(o, "victim"));
			int k;

			snprintf(w.path, sizeof(w.path), "%.200s.%s[%zu]", path,
				 tables[t].member, i);
			if (!json_is_object(o)) {
				mrm_error_set(&e, MRM_ERR_INVALID, NULL,
					      "must be an object");
				importer_problem(im, w.path, &e);
				continue;
			}
			rc = read_object(&tables[t], o, im->vocab, &lv, located,
					 &w);
			if (rc < 0) {
				rc = mrm_error_set(err, MRM_ERR_NOMEM, im->name,
						   "out of memory");
				break;
			}
			rc = 0;
			if (!victim || !*victim)
				continue;
			k = known_victim(im, ev, victim, err);
			if (k < 0) {
				rc = k;
				break;
			}
			if (!k) {
				mrm_error_set(&e, MRM_ERR_INVALID, NULL,
					      "no victim with key \"%s\" in "
					      "this event's acts or the "
					      "database",
					      victim);
				located(&w, "victim", &e);
			}
		}
	}
	mrm_buf_release(&lv.arena);
	return rc;
}

static void ignore(void *ctx, const char *key, const struct mrm_error *e)
{
	(void)ctx, (void)key, (void)e;
}

/* "INSERT INTO table(event_id, victim_id, fields...) VALUES (?...)". */
static int insert_sql(const struct labour_table *t, struct mrm_buf *sql)
{
	mrm_buf_addf(sql, "INSERT INTO %s(event_id, victim_id", t->table);
	for (size_t f = 0; f < t->n; f++)
		mrm_buf_addf(sql, ", %s", t->fields[f].column);
	mrm_buf_adds(sql, ") VALUES (?, ?");
	for (size_t f = 0; f < t->n; f++)
		mrm_buf_adds(sql, ", ?");
	return mrm_buf_adds(sql, ")");
}

/* Bind and run insert `s` of values `lv`. */
static int insert_run(struct mrm_store *st, const struct labour_table *t,
		      sqlite3_stmt *s, const struct lvals *lv, int64_t event_id,
		      int64_t who, struct mrm_error *err)
{
	int rc;

	sqlite3_bind_int64(s, 1, event_id);
	if (who)
		sqlite3_bind_int64(s, 2, who);
	else
		sqlite3_bind_null(s, 2);
	for (size_t i = 0; i < t->n; i++) {
		const struct mrm_field *f = &t->fields[i];
		int col = (int)i + 3;

		if (!lv->v[i])
			sqlite3_bind_null(s, col);
		else if (f->type == MRM_F_INT || f->type == MRM_F_MONEY)
			sqlite3_bind_int64(s, col, strtoll(lv->v[i], NULL, 10));
		else
			sqlite3_bind_text(s, col, lv->v[i], -1,
					  SQLITE_TRANSIENT);
	}
	rc = sqlite3_step(s) == SQLITE_DONE ? 0
					    : mrm_store_fail(st, err, t->table);
	sqlite3_reset(s);
	return rc;
}

static int write_one(struct importer *im, const struct labour_table *t,
		     sqlite3_stmt *s, json_t *o, struct lvals *lv,
		     int64_t event_id, int64_t victim, struct mrm_error *err)
{
	const char *key = json_string_value(json_object_get(o, "victim"));
	int64_t who = victim;

	if (read_object(t, o, im->vocab, lv, ignore, NULL))
		return mrm_error_set(err, MRM_ERR_INVALID, im->name,
				     "a %s record changed between its check "
				     "and its writing",
				     t->member);
	if (key && *key && importer_find_person(im, key, &who, err) < 0)
		return err->code;
	return insert_run(im->st, t, s, lv, event_id, who, err);
}

int importer_labour_write(struct importer *im, json_t *ev, int64_t event_id,
			  int64_t victim, struct mrm_error *err)
{
	struct lvals lv;
	int rc = 0;

	mrm_buf_init(&lv.arena, 1u << 20);
	for (size_t t = 0; !rc && t < sizeof(tables) / sizeof(tables[0]); t++) {
		json_t *list = json_object_get(ev, tables[t].member), *o;
		struct mrm_buf sql = MRM_BUF_INIT(4096);
		sqlite3_stmt *s = NULL;
		size_t i;

		if (!json_array_size(list))
			continue;
		insert_sql(&tables[t], &sql);
		if (sqlite3_prepare_v2(im->db, mrm_buf_str(&sql), -1, &s, NULL))
			rc = mrm_store_fail(im->st, err, tables[t].table);
		mrm_buf_release(&sql);
		json_array_foreach(list, i, o)
		{
			if (!rc)
				rc = write_one(im, &tables[t], s, o, &lv,
					       event_id, victim, err);
		}
		sqlite3_finalize(s);
	}
	mrm_buf_release(&lv.arena);
	return rc;
}

/* ---- one record at a time (labour_csv.c) ---- */

const struct labour_table *labour_table_of(const char *member)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		if (!strcmp(tables[t].member, member))
			return &tables[t];
	return NULL;
}

const char *labour_field(const struct labour_table *t, size_t i)
{
	return i < t->n ? t->fields[i].name : NULL;
}

int labour_check(const struct labour_table *t, json_t *o,
		 const struct mrm_vocab *vocab,
		 void (*problem)(void *ctx, const char *key,
				 const struct mrm_error *e),
		 void *ctx)
{
	struct lvals lv;
	int rc;

	mrm_buf_init(&lv.arena, 1u << 20);
	rc = read_object(t, o, vocab, &lv, problem, ctx);
	mrm_buf_release(&lv.arena);
	return rc;
}

int labour_insert(struct mrm_store *st, const struct labour_table *t, json_t *o,
		  const struct mrm_vocab *vocab, int64_t event_id,
		  int64_t victim, struct mrm_error *err)
{
	struct mrm_buf sql = MRM_BUF_INIT(4096);
	struct lvals lv;
	sqlite3_stmt *s;
	int rc;

	mrm_buf_init(&lv.arena, 1u << 20);
	insert_sql(t, &sql);
	s = mrm_store_prepare(st, mrm_buf_str(&sql));
	if (!s)
		rc = mrm_store_fail(st, err, t->table);
	else if (read_object(t, o, vocab, &lv, ignore, NULL))
		rc = mrm_error_set(err, MRM_ERR_INVALID, NULL,
				   "a %s record was not checked before its "
				   "writing",
				   t->member);
	else
		rc = insert_run(st, t, s, &lv, event_id, victim, err);
	mrm_buf_release(&sql);
	mrm_buf_release(&lv.arena);
	return rc;
}

/* ---- export ---- */

int labour_export(struct mrm_store *st, int64_t event_id, json_t *ev,
		  struct mrm_error *err)
{
	int rc = 0;

	pthread_once(&export_sql_once, export_sql_build);
	for (size_t t = 0; !rc && t < NTABLES; t++) {
		const struct labour_table *lt = &tables[t];
		json_t *list = json_array();
		sqlite3_stmt *s;
		int step;

		if (!export_sql[t] || !list) {
			json_decref(list);
			return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
					     "out of memory");
		}
		if (!(s = mrm_store_prepare(st, export_sql[t]))) {
			json_decref(list);
			return mrm_store_fail(st, err, lt->table);
		}
		sqlite3_bind_int64(s, 1, event_id);
		while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
			json_t *o = json_object();

			if (sqlite3_column_type(s, 0) != SQLITE_NULL)
				json_object_set_new(
					o, "victim",
					json_string((const char *)
							    sqlite3_column_text(
								    s, 0)));
			for (size_t f = 0; f < lt->n; f++) {
				const struct mrm_field *fd = &lt->fields[f];
				int col = (int)f + 1;
				char money[64];

				if (sqlite3_column_type(s, col) == SQLITE_NULL)
					continue;
				if (fd->type == MRM_F_INT)
					json_object_set_new(
						o, fd->name,
						json_integer(
							sqlite3_column_int64(
								s, col)));
				else if (fd->type == MRM_F_MONEY) {
					int c = field_of(lt, fd->aux) + 1;

					/* earnings in the cost's currency */
					if (sqlite3_column_type(s, c) ==
					    SQLITE_NULL)
						c = field_of(lt, "currency") +
						    1;

					mrm_money_format(
						sqlite3_column_int64(s, col),
						(const char *)
							sqlite3_column_text(s,
									    c),
						money, sizeof(money));
					json_object_set_new(o, fd->name,
							    json_string(money));
				} else
					json_object_set_new(
						o, fd->name,
						json_string(
							(const char *)
								sqlite3_column_text(
									s,
									col)));
			}
			if (!o || json_array_append_new(list, o))
				rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL,
						   "out of memory");
		}
		if (!rc && step != SQLITE_DONE)
			rc = mrm_store_fail(st, err, lt->table);
		sqlite3_reset(s);
		if (!rc && json_array_size(list))
			rc = json_object_set_new(ev, lt->member, list)
				     ? mrm_error_set(err, MRM_ERR_NOMEM, NULL,
						     "out of memory")
				     : 0;
		else
			json_decref(list);
	}
	return rc;
}

/* ---- walks ---- */

static const char *text(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	return t ? t : "";
}

static int64_t num(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL
		       ? -1
		       : sqlite3_column_int64(s, col);
}

/* MRM_ERR_NOTFOUND unless event `id` exists (0: no event asked for). */
static int event_exists(struct mrm_store *st, int64_t id, struct mrm_error *err)
{
	sqlite3_stmt *s;
	int step;

	if (!id)
		return 0;
	s = mrm_store_prepare(st, "SELECT 1 FROM event WHERE id = ?");
	if (!s)
		return mrm_store_fail(st, err, "events");
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	sqlite3_reset(s);
	if (step == SQLITE_ROW)
		return 0;
	return step == SQLITE_DONE
		       ? mrm_error_set(err, MRM_ERR_NOTFOUND, "--event",
				       "no event %lld", (long long)id)
		       : mrm_store_fail(st, err, "events");
}

/* Which events' records a walk visits: of event `event` (0: all), of
 * organisation `org` (0: all) and, when `shared`, of the events shared
 * with `org` too. */
#define WALK_WHERE                                                             \
	" WHERE (?1 = 0 OR e.id = ?1) AND (?2 = 0 OR e.org_id = ?2"            \
	" OR (?3 AND EXISTS (SELECT 1 FROM event_share x"                      \
	" WHERE x.event_id = e.id AND x.org_id = ?2)))"

static sqlite3_stmt *walk_prepare(struct mrm_store *st, const char *sql,
				  int64_t event_id, int64_t org_id, int shared)
{
	sqlite3_stmt *s = mrm_store_prepare(st, sql);

	if (s) {
		sqlite3_bind_int64(s, 1, event_id);
		sqlite3_bind_int64(s, 2, org_id);
		sqlite3_bind_int(s, 3, shared);
	}
	return s;
}

/* Run `sql` (a query ending in WALK_WHERE) and hand each row to `row`
 * with `arg`, stopping at the first non-zero; `what` names the rows in
 * an error. */
static int walk_rows(struct mrm_store *st, const char *sql, const char *what,
		     int64_t event_id, int64_t org_id, int shared,
		     int (*row)(sqlite3_stmt *s, void *arg), void *arg,
		     struct mrm_error *err)
{
	sqlite3_stmt *s = walk_prepare(st, sql, event_id, org_id, shared);
	int rc = event_exists(st, event_id, err), step = SQLITE_DONE;

	if (rc)
		return rc;
	if (!s)
		return mrm_store_fail(st, err, what);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
		rc = row(s, arg);
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, what);
	sqlite3_reset(s);
	return rc;
}

struct wage_walk {
	int (*cb)(void *ctx, const struct mrm_wage_record *w);
	void *ctx;
};

static int wage_row(sqlite3_stmt *s, void *arg)
{
	struct wage_walk *ww = arg;
	struct mrm_wage_record w = {
		sqlite3_column_int64(s, 0),
		sqlite3_column_int64(s, 1),
		text(s, 2),
		text(s, 3),
		text(s, 4),
		text(s, 5),
		text(s, 6),
		text(s, 7),
		text(s, 8),
		text(s, 9),
		text(s, 10),
		text(s, 11),
		num(s, 12),
		num(s, 13),
		num(s, 14),
		num(s, 15),
		text(s, 16),
	};

	return ww->cb(ww->ctx, &w);
}

static int wages_walk(struct mrm_store *st, int64_t event_id, int64_t org_id,
		      int shared,
		      int (*cb)(void *ctx, const struct mrm_wage_record *w),
		      void *ctx, struct mrm_error *err)
{
	struct wage_walk ww = {cb, ctx};

	return walk_rows(st,
			 "SELECT w.id, w.event_id, e.key, p.key, p.nationality,"
			 " w.employer, w.country, w.admin1, w.area, w.sector,"
			 " w.period_start, w.period_end, w.days_worked,"
			 " w.hours_worked, w.amount_paid, w.deductions,"
			 " w.currency"
			 " FROM wage_record w JOIN event e ON e.id = w.event_id"
			 " LEFT JOIN person p ON p.id = w.victim_id" WALK_WHERE
			 " ORDER BY w.id",
			 "wage records", event_id, org_id, shared, wage_row,
			 &ww, err);
}

struct cost_walk {
	int (*cb)(void *ctx, const struct mrm_recruitment_cost *c);
	void *ctx;
};

static int cost_row(sqlite3_stmt *s, void *arg)
{
	struct cost_walk *cw = arg;
	struct mrm_recruitment_cost c = {
		sqlite3_column_int64(s, 0),
		sqlite3_column_int64(s, 1),
		num(s, 2),
		text(s, 3),
		text(s, 4),
		text(s, 5),
		text(s, 6),
		text(s, 7),
		text(s, 8),
		text(s, 9),
		text(s, 10),
		text(s, 11),
		num(s, 12),
		text(s, 13),
		num(s, 14),
		text(s, 15),
	};

	return cw->cb(cw->ctx, &c);
}

static int
costs_walk(struct mrm_store *st, int64_t event_id, int64_t org_id, int shared,
	   int (*cb)(void *ctx, const struct mrm_recruitment_cost *c),
	   void *ctx, struct mrm_error *err)
{
	struct cost_walk cw = {cb, ctx};

	return walk_rows(st,
			 "SELECT r.id, r.event_id, r.victim_id, e.key, p.key,"
			 " p.nationality, e.country, r.paid_to, r.date,"
			 " r.origin, r.destination, r.channel, r.amount,"
			 " r.currency, r.monthly_earnings, r.earnings_currency"
			 " FROM recruitment_cost r"
			 " JOIN event e ON e.id = r.event_id"
			 " LEFT JOIN person p ON p.id = r.victim_id" WALK_WHERE
			 " ORDER BY r.id",
			 "recruitment costs", event_id, org_id, shared,
			 cost_row, &cw, err);
}

int mrm_wages_each(struct mrm_store *st, int64_t event_id, int64_t org_id,
		   int (*cb)(void *ctx, const struct mrm_wage_record *w),
		   void *ctx, struct mrm_error *err)
{
	return wages_walk(st, event_id, org_id, 0, cb, ctx, err);
}

int mrm_wages_each_readable(struct mrm_store *st, int64_t org_id,
			    int (*cb)(void *ctx,
				      const struct mrm_wage_record *w),
			    void *ctx, struct mrm_error *err)
{
	return wages_walk(st, 0, org_id, 1, cb, ctx, err);
}

int mrm_recruitment_each(struct mrm_store *st, int64_t event_id, int64_t org_id,
			 int (*cb)(void *ctx,
				   const struct mrm_recruitment_cost *c),
			 void *ctx, struct mrm_error *err)
{
	return costs_walk(st, event_id, org_id, 0, cb, ctx, err);
}

int mrm_recruitment_each_readable(
	struct mrm_store *st, int64_t org_id,
	int (*cb)(void *ctx, const struct mrm_recruitment_cost *c), void *ctx,
	struct mrm_error *err)
{
	return costs_walk(st, 0, org_id, 1, cb, ctx, err);
}
