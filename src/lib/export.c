/* export.c - see include/mrm/export.h */
#include "mrm/export.h"

#include "mrm/buf.h"
#include "mrm/crypto.h"
#include "mrm/csv.h"
#include "mrm/fields.h"
#include "mrm/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Prepared SELECTs of every entity by its parent, built from the catalogue:
 * column 0 is the row id, then one column per field. */
struct exporter {
	struct mrm_store *st;
	sqlite3 *db;
	sqlite3_stmt *sel[MRM_ENT_COUNT];
	sqlite3_stmt *attrs;
	struct mrm_buf plain;
};

static const char *const parent_col[MRM_ENT_COUNT] = {
	[MRM_ENT_EVENT] = "id",		  [MRM_ENT_ACT] = "event_id",
	[MRM_ENT_ARREST] = "act_id",	  [MRM_ENT_DETENTION] = "act_id",
	[MRM_ENT_DEPORTATION] = "act_id", [MRM_ENT_RETURN] = "act_id",
	[MRM_ENT_PERPETRATOR] = "act_id", [MRM_ENT_VICTIM] = "id",
	[MRM_ENT_SOURCE] = "event_id",	  [MRM_ENT_INTERVENTION] = "event_id",
};

static const char *const id_col[MRM_ENT_COUNT] = {
	[MRM_ENT_EVENT] = "id",		  [MRM_ENT_ACT] = "id",
	[MRM_ENT_ARREST] = "act_id",	  [MRM_ENT_DETENTION] = "act_id",
	[MRM_ENT_DEPORTATION] = "act_id", [MRM_ENT_RETURN] = "act_id",
	[MRM_ENT_PERPETRATOR] = "id",	  [MRM_ENT_VICTIM] = "id",
	[MRM_ENT_SOURCE] = "id",	  [MRM_ENT_INTERVENTION] = "id",
};

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

static void exporter_release(struct exporter *x)
{
	/* the statements belong to the store (mrm_store_prepare) */
	for (int e = 0; e < MRM_ENT_COUNT; e++)
		if (x->sel[e])
			sqlite3_reset(x->sel[e]);
	if (x->attrs)
		sqlite3_reset(x->attrs);
	mrm_buf_release(&x->plain);
}

static int exporter_init(struct exporter *x, struct mrm_store *st,
			 struct mrm_error *err)
{
	memset(x, 0, sizeof(*x));
	x->st = st;
	x->db = mrm_store_db(st);
	mrm_buf_init(&x->plain, 64u << 20);
	for (int e = 0; e < MRM_ENT_COUNT; e++) {
		struct mrm_buf sql = MRM_BUF_INIT(8192);
		int bad;

		mrm_buf_addf(&sql, "SELECT %s", id_col[e]);
		for (size_t i = 0; i < mrm_field_count; i++) {
			const struct mrm_field *f = &mrm_fields[i];

			if (f->ent != (enum mrm_entity)e)
				continue;
			if (f->type == MRM_F_ORG)
				mrm_buf_addf(&sql,
					     ", (SELECT code FROM org WHERE "
					     "org.id = %s)",
					     f->column);
			else
				mrm_buf_addf(&sql, ", %s", f->column);
		}
		if (e == MRM_ENT_ACT || e == MRM_ENT_INTERVENTION)
			mrm_buf_adds(&sql, ", (SELECT key FROM person WHERE "
					   "person.id = victim_id)");
		if (e == MRM_ENT_ACT)
			mrm_buf_adds(&sql, ", victim_id");
		mrm_buf_addf(&sql, " FROM %s WHERE %s = ? ORDER BY %s",
			     mrm_entity_table(e), parent_col[e], id_col[e]);
		x->sel[e] = mrm_store_prepare(st, mrm_buf_str(&sql));
		bad = !x->sel[e];
		mrm_buf_release(&sql);
		if (bad)
			return mrm_store_fail(st, err, "preparing the export");
	}
	x->attrs = mrm_store_prepare(st, "SELECT name, value FROM event_attr "
					 "WHERE event_id = ? ORDER BY name, "
					 "value");
	if (!x->attrs)
		return mrm_store_fail(st, err, "preparing the export");
	return 0;
}

/* Field value at result column `col` as JSON into *out (NULL when SQL
 * NULL). A sensitive field that does not decrypt is MRM_ERR_CRYPTO. */
static int field_json(struct exporter *x, sqlite3_stmt *s, int col,
		      const struct mrm_field *f, int64_t id,
		      const char *currency, json_t **out, struct mrm_error *err)
{
	char ad[128], money[64];
	int rc;

	*out = NULL;
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return 0;
	switch (f->type) {
	case MRM_F_SECRET:
		snprintf(ad, sizeof(ad), "%s/%lld/%s", mrm_entity_table(f->ent),
			 (long long)id, f->column);
		mrm_buf_reset(&x->plain);
		rc = mrm_unseal(
			mrm_store_key(x->st), ad, sqlite3_column_blob(s, col),
			(size_t)sqlite3_column_bytes(s, col), &x->plain, err);
		if (rc)
			return rc;
		*out = json_stringn(mrm_buf_str(&x->plain), x->plain.len);
		break;
	case MRM_F_INT:
		*out = json_integer(sqlite3_column_int64(s, col));
		break;
	case MRM_F_BOOL: *out = json_boolean(sqlite3_column_int(s, col)); break;
	case MRM_F_REAL: *out = json_real(sqlite3_column_double(s, col)); break;
	case MRM_F_MONEY:
		mrm_money_format(sqlite3_column_int64(s, col),
				 currency ? currency : "", money,
				 sizeof(money));
		*out = json_string(money);
		break;
	default: *out = json_string((const char *)sqlite3_column_text(s, col));
	}
	return *out ? 0 : no_memory(err);
}

/* The row's fields as a JSON object into *out; *next is set to the first
 * result column after the fields. */
static int row_json(struct exporter *x, sqlite3_stmt *s, enum mrm_entity ent,
		    json_t **out, int *next, struct mrm_error *err)
{
	size_t plen = strlen(mrm_entity_prefix(ent)) + 1;
	const char *currency = NULL;
	json_t *o = json_object();
	int col = 1, rc = o ? 0 : no_memory(err);

	for (size_t i = 0; i < mrm_field_count; i++) {
		if (mrm_fields[i].ent != ent)
			continue;
		if (mrm_fields[i].type == MRM_F_CURRENCY)
			currency = (const char *)sqlite3_column_text(s, col);
		col++;
	}
	*next = col;
	col = 1;
	for (size_t i = 0; !rc && i < mrm_field_count; i++) {
		const struct mrm_field *f = &mrm_fields[i];
		json_t *v;

		if (f->ent != ent)
			continue;
		rc = field_json(x, s, col++, f, sqlite3_column_int64(s, 0),
				currency, &v, err);
		if (!rc && v)
			rc = put(o, f->name + plen, v, err);
	}
	if (rc) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}

/* Every row of `ent` under `parent`, each passed to `each` with its
 * object (which `each` takes over). */
static int rows(struct exporter *x, enum mrm_entity ent, int64_t parent,
		int (*each)(struct exporter *x, sqlite3_stmt *s, json_t *o,
			    int next, void *ctx, struct mrm_error *err),
		void *ctx, struct mrm_error *err)
{
	sqlite3_stmt *s = x->sel[ent];
	int rc = 0, step = SQLITE_DONE, next;

	sqlite3_bind_int64(s, 1, parent);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o;

		rc = row_json(x, s, ent, &o, &next, err);
		if (!rc)
			rc = each(x, s, o, next, ctx, err);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(x->st, err, mrm_entity_table(ent));
	sqlite3_reset(s);
	return rc;
}

static int append(struct exporter *x, sqlite3_stmt *s, json_t *o, int next,
		  void *ctx, struct mrm_error *err)
{
	int rc = 0;

	if (s == x->sel[MRM_ENT_INTERVENTION] &&
	    sqlite3_column_type(s, next) != SQLITE_NULL)
		rc = put(
			o, "victim",
			json_string((const char *)sqlite3_column_text(s, next)),
			err);
	if (rc) {
		json_decref(o);
		return rc;
	}
	return json_array_append_new(ctx, o) ? no_memory(err) : 0;
}

static int set_one(struct exporter *x, sqlite3_stmt *s, json_t *o, int next,
		   void *ctx, struct mrm_error *err)
{
	json_t **slot = ctx;

	(void)x, (void)s, (void)next, (void)err;
	json_decref(*slot);
	*slot = o;
	return 0;
}

/* The one row of `ent` under `parent`, if any, as act[key]. */
static int act_member(struct exporter *x, json_t *act, const char *key,
		      enum mrm_entity ent, int64_t parent,
		      struct mrm_error *err)
{
	json_t *one = NULL;
	int rc = rows(x, ent, parent, set_one, &one, err);

	if (!rc && one)
		return put(act, key, one, err);
	json_decref(one);
	return rc;
}

static int act_row(struct exporter *x, sqlite3_stmt *s, json_t *act, int next,
		   void *ctx, struct mrm_error *err)
{
	int64_t act_id = sqlite3_column_int64(s, 0);
	int64_t victim_id = sqlite3_column_int64(s, next + 1);
	int has_victim = sqlite3_column_type(s, next + 1) != SQLITE_NULL;
	int rc = 0;

	for (size_t i = 0; !rc && i < mrm_act_nparts; i++)
		rc = act_member(x, act, mrm_entity_prefix(mrm_act_parts[i]),
				mrm_act_parts[i], act_id, err);
	if (!rc && has_victim)
		rc = act_member(x, act, mrm_entity_prefix(MRM_ENT_VICTIM),
				MRM_ENT_VICTIM, victim_id, err);
	if (rc)
		json_decref(act);
	else if (json_array_append_new(ctx, act))
		rc = no_memory(err);
	return rc;
}

/* The event's attributes, as ev["attrs"] = {name: [values]}, if any. */
static int attrs_json(struct exporter *x, int64_t event_id, json_t *ev,
		      struct mrm_error *err)
{
	sqlite3_stmt *s = x->attrs;
	json_t *attrs = json_object();
	int rc = attrs ? 0 : no_memory(err), step = SQLITE_DONE;

	sqlite3_bind_int64(s, 1, event_id);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		json_t *list = json_object_get(attrs, name);

		if (!list) {
			list = json_array();
			rc = put(attrs, name, list, err);
		}
		if (!rc &&
		    json_array_append_new(
			    list, json_string((const char *)sqlite3_column_text(
					  s, 1))))
			rc = no_memory(err);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(x->st, err, "attributes");
	sqlite3_reset(s);
	if (!rc && json_object_size(attrs))
		return put(ev, "attrs", attrs, err);
	json_decref(attrs);
	return rc;
}

/* ev[key] = list when the list has anything (it is taken over). */
static int put_list(json_t *ev, const char *key, json_t *list,
		    struct mrm_error *err)
{
	if (json_array_size(list))
		return put(ev, key, list, err);
	json_decref(list);
	return 0;
}

static int event_row(struct exporter *x, sqlite3_stmt *s, json_t *ev, int next,
		     void *ctx, struct mrm_error *err)
{
	int64_t id = sqlite3_column_int64(s, 0);
	json_t *acts = json_array(), *sources = json_array(),
	       *interventions = json_array();
	int rc = acts && sources && interventions ? 0 : no_memory(err);

	(void)next;
	if (!rc)
		rc = put(ev, "id", json_integer(id), err);
	if (!rc)
		rc = attrs_json(x, id, ev, err);
	if (!rc)
		rc = rows(x, MRM_ENT_ACT, id, act_row, acts, err);
	if (!rc)
		rc = rows(x, MRM_ENT_SOURCE, id, append, sources, err);
	if (!rc)
		rc = rows(x, MRM_ENT_INTERVENTION, id, append, interventions,
			  err);
	if (!rc) {
		rc = put(ev, "acts", acts, err);
		acts = NULL;
	}
	if (!rc) {
		rc = put_list(ev, "sources", sources, err);
		sources = NULL;
	}
	if (!rc) {
		rc = put_list(ev, "interventions", interventions, err);
		interventions = NULL;
	}
	json_decref(acts);
	json_decref(sources);
	json_decref(interventions);
	if (rc)
		json_decref(ev);
	else
		*(json_t **)ctx = ev;
	return rc;
}

int mrm_event_json(struct mrm_store *st, int64_t id, json_t **out,
		   struct mrm_error *err)
{
	struct exporter x;
	int rc = exporter_init(&x, st, err);

	*out = NULL;
	if (!rc)
		rc = rows(&x, MRM_ENT_EVENT, id, event_row, out, err);
	if (!rc && !*out)
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, NULL,
				   "no event with id %lld", (long long)id);
	exporter_release(&x);
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

static int orgs_json(struct mrm_store *st, json_t **out, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();
	int rc = arr ? 0 : no_memory(err), step = SQLITE_DONE;

	*out = NULL;
	if (!rc && sqlite3_prepare_v2(mrm_store_db(st),
				      "SELECT code, name, country, kind FROM "
				      "org ORDER BY code",
				      -1, &s, NULL))
		rc = mrm_store_fail(st, err, "organisations");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o;

		rc = org_json(s, &o, err);
		if (!rc && json_array_append_new(arr, o))
			rc = no_memory(err);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "organisations");
	sqlite3_finalize(s);
	if (rc)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

static int write_str(FILE *out, const char *s, struct mrm_error *err)
{
	if (fputs(s, out) == EOF)
		return mrm_error_set(err, MRM_ERR_IO, NULL, "write failed");
	return 0;
}

/* `v` as compact JSON text onto `out`. */
static int write_json(FILE *out, const json_t *v, struct mrm_error *err)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
					   JSON_REAL_PRECISION(12));
	int rc = text ? write_str(out, text, err) : no_memory(err);

	free(text);
	return rc;
}

int mrm_export_json(struct mrm_store *st, FILE *out, struct mrm_error *err)
{
	struct exporter x;
	sqlite3_stmt *ids = NULL;
	json_t *orgs = NULL;
	int rc, step = SQLITE_DONE, first = 1;

	rc = exporter_init(&x, st, err);
	if (!rc)
		rc = orgs_json(st, &orgs, err);
	if (!rc)
		rc = write_str(
			out,
			"{\"format\":\"mrm-export/1\",\n\"organisations\":",
			err);
	if (!rc)
		rc = write_json(out, orgs, err);
	if (!rc)
		rc = write_str(out, ",\n\"events\":[\n", err);
	if (!rc && sqlite3_prepare_v2(x.db, "SELECT id FROM event ORDER BY id",
				      -1, &ids, NULL))
		rc = mrm_store_fail(st, err, "events");
	while (!rc && (step = sqlite3_step(ids)) == SQLITE_ROW) {
		json_t *ev = NULL;

		rc = rows(&x, MRM_ENT_EVENT, sqlite3_column_int64(ids, 0),
			  event_row, &ev, err);
		if (!rc && ev && !first)
			rc = write_str(out, ",\n", err);
		if (!rc && ev) {
			rc = write_json(out, ev, err);
			first = 0;
		}
		json_decref(ev);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "events");
	if (!rc)
		rc = write_str(out, "\n]}\n", err);
	json_decref(orgs);
	sqlite3_finalize(ids);
	exporter_release(&x);
	return rc;
}

/* ---- CSV ---- */

struct csv_out {
	FILE *out;
	const char *what;
	json_t *attr_names; /* array of attribute names, for columns */
	struct mrm_buf line;
	char tmp[MRM_JSON_SCALAR_MAX];
	int ncols;
};

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

static int wanted(const struct csv_out *c, enum mrm_entity ent)
{
	if (!strcmp(c->what, "events"))
		return ent == MRM_ENT_EVENT;
	if (!strcmp(c->what, "persons"))
		return ent == MRM_ENT_VICTIM;
	return 1;
}

static int put_cell(struct csv_out *c, const char *v, struct mrm_error *err)
{
	int rc = c->line.len ? mrm_buf_addc(&c->line, ',') : 0;

	if (!rc)
		rc = mrm_csv_put_field(&c->line, v, strlen(v));
	if (rc == MRM_ERR_LIMIT)
		return mrm_error_set(err, rc, NULL,
				     "a CSV line would be longer than %zu "
				     "bytes",
				     c->line.max);
	return rc ? no_memory(err) : 0;
}

/* A JSON scalar as a cell ("" for anything else). */
static int put_value(struct csv_out *c, const json_t *v, struct mrm_error *err)
{
	const char *text = mrm_json_scalar_text(v, c->tmp, sizeof(c->tmp));

	return put_cell(c, text ? text : "", err);
}

static int end_line(struct csv_out *c, struct mrm_error *err)
{
	int rc = mrm_buf_addc(&c->line, '\n');

	if (rc)
		rc = no_memory(err);
	else if (fwrite(c->line.ptr, 1, c->line.len, c->out) != c->line.len)
		rc = mrm_error_set(err, MRM_ERR_IO, NULL, "write failed");
	mrm_buf_reset(&c->line);
	return rc;
}

static int csv_header(struct csv_out *c, struct mrm_error *err)
{
	char name[128];
	size_t i;
	json_t *attr;
	int rc = 0;

	for (size_t f = 0; !rc && f < mrm_field_count; f++)
		if (wanted(c, mrm_fields[f].ent))
			rc = put_cell(c, mrm_fields[f].name, err);
	json_array_foreach(c->attr_names, i, attr)
	{
		snprintf(name, sizeof(name), "attr.%s",
			 json_string_value(attr));
		if (!rc)
			rc = put_cell(c, name, err);
	}
	return rc ? rc : end_line(c, err);
}

static size_t rows_needed(const struct csv_out *c, json_t *ev)
{
	size_t n = 1, m;
	const char *k;
	json_t *v;

	if (!strcmp(c->what, "persons"))
		return json_array_size(json_object_get(ev, "acts"));
	if (strcmp(c->what, "events")) {
		m = json_array_size(json_object_get(ev, "acts"));
		n = m > n ? m : n;
		m = json_array_size(json_object_get(ev, "sources"));
		n = m > n ? m : n;
		m = json_array_size(json_object_get(ev, "interventions"));
		n = m > n ? m : n;
	}
	json_object_foreach(json_object_get(ev, "attrs"), k, v)
	{
		m = json_array_size(v);
		n = m > n ? m : n;
	}
	return n;
}

/* Row `k` of an event: its fields, then its attributes. */
static int csv_row(struct csv_out *c, json_t *ev, json_t *act, size_t k,
		   struct mrm_error *err)
{
	json_t *name;
	size_t i;
	int rc = 0;

	for (size_t f = 0; !rc && f < mrm_field_count; f++) {
		const struct mrm_field *fd = &mrm_fields[f];
		size_t plen = strlen(mrm_entity_prefix(fd->ent)) + 1;

		if (wanted(c, fd->ent))
			rc = put_value(
				c,
				json_object_get(holder(ev, act, fd->ent, k),
						fd->name + plen),
				err);
	}
	json_array_foreach(c->attr_names, i, name)
	{
		json_t *vals = json_object_get(json_object_get(ev, "attrs"),
					       json_string_value(name));
		if (!rc)
			rc = put_value(c, json_array_get(vals, k), err);
	}
	return rc ? rc : end_line(c, err);
}

static int csv_event(struct csv_out *c, json_t *ev, struct mrm_error *err)
{
	size_t nrows = rows_needed(c, ev);
	json_t *seen = json_object();
	int rc = seen ? 0 : no_memory(err);

	for (size_t k = 0; !rc && k < nrows; k++) {
		json_t *act = json_array_get(json_object_get(ev, "acts"), k);

		if (!strcmp(c->what, "persons")) {
			const char *key = json_string_value(json_object_get(
				json_object_get(act, "victim"), "key"));

			if (!key || json_object_get(seen, key))
				continue;
			rc = put(seen, key, json_true(), err);
		}
		if (!rc)
			rc = csv_row(c, ev, act, k, err);
	}
	json_decref(seen);
	return rc;
}

static int attr_names(struct mrm_store *st, json_t **out, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step = SQLITE_DONE;

	*out = json_array();
	if (!*out)
		return no_memory(err);
	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT DISTINCT name FROM event_attr ORDER BY "
			       "name",
			       -1, &s, NULL))
		return mrm_store_fail(st, err, "attributes");
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

static int csv_orgs(struct mrm_store *st, struct csv_out *c,
		    struct mrm_error *err)
{
	static const char *const cols[] = {"code", "name", "country", "kind"};
	json_t *orgs = NULL, *o;
	size_t i;
	int rc = orgs_json(st, &orgs, err);

	for (size_t k = 0; !rc && k < 4; k++)
		rc = put_cell(c, cols[k], err);
	if (!rc)
		rc = end_line(c, err);
	json_array_foreach(orgs, i, o)
	{
		for (size_t k = 0; !rc && k < 4; k++)
			rc = put_value(c, json_object_get(o, cols[k]), err);
		if (!rc)
			rc = end_line(c, err);
	}
	json_decref(orgs);
	return rc;
}

int mrm_export_csv(struct mrm_store *st, const char *what, FILE *out,
		   struct mrm_error *err)
{
	struct csv_out c = {
		.out = out, .what = what, .line = MRM_BUF_INIT(256u << 20)};
	struct exporter x;
	sqlite3_stmt *ids = NULL;
	int rc, step = SQLITE_DONE;

	if (!strcmp(what, "organisations")) {
		rc = csv_orgs(st, &c, err);
		goto done;
	}
	if (strcmp(what, "acts") && strcmp(what, "events") &&
	    strcmp(what, "persons"))
		return mrm_error_set(err, MRM_ERR_INVALID, "--what",
				     "\"%s\" is not a table; use acts, events, "
				     "persons or organisations",
				     what);
	rc = exporter_init(&x, st, err);
	/* persons are not events: no attribute columns */
	if (!rc && strcmp(what, "persons"))
		rc = attr_names(st, &c.attr_names, err);
	if (!rc)
		rc = csv_header(&c, err);
	if (!rc && sqlite3_prepare_v2(x.db, "SELECT id FROM event ORDER BY id",
				      -1, &ids, NULL))
		rc = mrm_store_fail(st, err, "events");
	while (!rc && (step = sqlite3_step(ids)) == SQLITE_ROW) {
		json_t *ev = NULL;

		rc = rows(&x, MRM_ENT_EVENT, sqlite3_column_int64(ids, 0),
			  event_row, &ev, err);
		if (!rc && ev)
			rc = csv_event(&c, ev, err);
		json_decref(ev);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "events");
	sqlite3_finalize(ids);
	exporter_release(&x);
done:
	json_decref(c.attr_names);
	mrm_buf_release(&c.line);
	return rc;
}
