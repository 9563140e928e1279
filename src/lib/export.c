/* export.c - see include/mrm/export.h */
#include "mrm/export.h"

#include "labour.h"
#include "mrm/audit.h"
#include "policy_internal.h"
#include "mrm/buf.h"
#include "mrm/crypto.h"
#include "mrm/csv.h"
#include "mrm/fields.h"
#include "mrm/hmap.h"
#include "mrm/keyring.h"
#include "mrm/store.h"
#include "mrm/auth.h"

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
		/* the owner's id, after the fields: its key seals them */
		if (e == MRM_ENT_EVENT || e == MRM_ENT_VICTIM)
			mrm_buf_adds(&sql, ", org_id");
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
		      const struct mrm_field *f, int64_t id, int64_t org,
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
		rc = mrm_store_unseal_shown(
			x->st, org, ad, sqlite3_column_blob(s, col),
			(size_t)sqlite3_column_bytes(s, col), &x->plain, err);
		if (rc < 0)
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
	int64_t org;
	int col = 1, rc = o ? 0 : no_memory(err);

	for (size_t i = 0; i < mrm_field_count; i++) {
		if (mrm_fields[i].ent != ent)
			continue;
		if (mrm_fields[i].type == MRM_F_CURRENCY)
			currency = (const char *)sqlite3_column_text(s, col);
		col++;
	}
	*next = col;
	org = ent == MRM_ENT_EVENT || ent == MRM_ENT_VICTIM
		      ? sqlite3_column_int64(s, col)
		      : 0;
	col = 1;
	for (size_t i = 0; !rc && i < mrm_field_count; i++) {
		const struct mrm_field *f = &mrm_fields[i];
		json_t *v;

		if (f->ent != ent)
			continue;
		rc = field_json(x, s, col++, f, sqlite3_column_int64(s, 0), org,
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
	if (!rc)
		rc = labour_export(x->st, id, ev, err);
	if (!rc)
		rc = policy_export(x->st, id, ev, err);
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
