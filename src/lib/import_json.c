/* import_json.c - the JSON driver of include/mrm/import.h: reads what
 * mrm_export_json() writes. */
#include "mrm/import.h"

#include "import_internal.h"
#include "mrm/store.h"
#include "mrm/utf8.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* JSON scalar as text for normalisation; NULL for null/objects/arrays. */
static const char *scalar(json_t *v, char *tmp, size_t size)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(tmp, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(tmp, size, "%.17g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(tmp, size, "%s", json_is_true(v) ? "true" : "false");
	else
		return NULL;
	return tmp;
}

static void problem(struct importer *im, const char *path, const char *key,
		    struct mrm_error *e)
{
	char where[512];

	snprintf(where, sizeof(where), "%s: %s%s%s", im->name, path,
		 key ? "." : "", key ? key : "");
	importer_problem(im, where, e);
}

/*
 * Put the members of `obj` that are fields of `ent` into `p`; other members
 * are errors unless listed in `nested` (handled by the caller).
 */
static int put_object(struct importer *im, json_t *obj, enum mrm_entity ent,
		      struct rec_part *p, const char *path,
		      const char *const *nested)
{
	const char *prefix = mrm_entity_prefix(ent), *key;
	char name[128], tmp[64], near[256];
	struct mrm_error e;
	json_t *v;
	int pass;

	if (!json_is_object(obj)) {
		mrm_error_set(&e, MRM_ERR_INVALID, NULL, "must be an object");
		problem(im, path, NULL, &e);
		return 0;
	}
	/* currencies first: amounts need them */
	for (pass = 0; pass < 2; pass++)
		json_object_foreach(obj, key, v)
		{
			const char *text;
			int f, skip = 0;

			for (size_t i = 0; nested && nested[i]; i++)
				skip |= !strcmp(nested[i], key);
			if (skip)
				continue;
			snprintf(name, sizeof(name), "%s.%s", prefix, key);
			f = mrm_field_index(name);
			if (f < 0 || mrm_fields[f].ent != ent) {
				if (pass)
					continue;
				mrm_field_suggest(name, near, sizeof(near));
				mrm_error_set(
					&e, MRM_ERR_INVALID, NULL,
					"unknown field \"%s\"; closest: %s",
					key, near);
				problem(im, path, key, &e);
				continue;
			}
			if ((mrm_fields[f].type == MRM_F_CURRENCY) != !pass)
				continue;
			text = scalar(v, tmp, sizeof(tmp));
			if (json_is_null(v))
				continue;
			if (!text) {
				mrm_error_set(&e, MRM_ERR_INVALID, NULL,
					      "must be a string, number or "
					      "boolean");
				problem(im, path, key, &e);
			} else if (mrm_utf8_check(text, strlen(text)) !=
				   strlen(text)) {
				mrm_error_set(&e, MRM_ERR_INVALID, NULL,
					      "invalid UTF-8");
				problem(im, path, key, &e);
			} else if (*text && rec_put(&im->row, p, f, text,
						    im->vocab, &e)) {
				problem(im, path, key, &e);
			}
		}
	return 0;
}

static void put_act(struct importer *im, json_t *act, const char *path)
{
	static const char *const nested[] = {
		"arrest",      "detention", "deportation", "return",
		"perpetrator", "victim",    NULL};
	static const enum mrm_entity ents[] = {
		MRM_ENT_ARREST, MRM_ENT_DETENTION,   MRM_ENT_DEPORTATION,
		MRM_ENT_RETURN, MRM_ENT_PERPETRATOR, MRM_ENT_VICTIM};
	struct rec_part *p = rec_list_add(&im->row.acts);
	char sub[256];

	if (!p)
		return;
	put_object(im, act, MRM_ENT_ACT, p, path, nested);
	for (size_t i = 0; nested[i]; i++) {
		json_t *o = json_object_get(act, nested[i]);

		snprintf(sub, sizeof(sub), "%.200s.%s", path, nested[i]);
		if (o)
			put_object(im, o, ents[i], p, sub, NULL);
	}
}

static void put_list(struct importer *im, json_t *ev, const char *member,
		     enum mrm_entity ent, struct rec_list *list,
		     const char *path)
{
	static const char *const nested[] = {"victim", NULL};
	char sub[256];
	size_t i;
	json_t *o;

	json_array_foreach(json_object_get(ev, member), i, o)
	{
		struct rec_part *p = rec_list_add(list);

		if (!p)
			return;
		snprintf(sub, sizeof(sub), "%.200s.%s[%zu]", path, member, i);
		put_object(im, o, ent, p, sub, nested);
		if (json_is_string(json_object_get(o, "victim")))
			rec_set(&im->row, p, REC_VICTIM_REF,
				json_string_value(
					json_object_get(o, "victim")));
	}
}

static void put_event(struct importer *im, json_t *ev, const char *path)
{
	static const char *const nested[] = {"id",	"attrs",	 "acts",
					     "sources", "interventions", NULL};
	const char *name;
	json_t *vals, *v, *act;
	size_t i;

	put_object(im, ev, MRM_ENT_EVENT, &im->row.event, path, nested);
	json_object_foreach(json_object_get(ev, "attrs"), name, vals)
		json_array_foreach(vals, i, v) if (json_is_string(v))
			rec_add_attr(&im->row, name, json_string_value(v));
	json_array_foreach(json_object_get(ev, "acts"), i, act)
	{
		char sub[256];

		snprintf(sub, sizeof(sub), "%.200s.acts[%zu]", path, i);
		put_act(im, act, sub);
	}
	put_list(im, ev, "sources", MRM_ENT_SOURCE, &im->row.sources, path);
	put_list(im, ev, "interventions", MRM_ENT_INTERVENTION,
		 &im->row.interventions, path);
}

static void json_locate(struct importer *im, int field, char *where,
			size_t size)
{
	snprintf(where, size, "%s: %s%s%s", im->name, im->path,
		 field >= 0 ? " " : "",
		 field >= 0 ? mrm_fields[field].name : "");
}

/* Organisations named in the file that the database lacks are added. */
static int add_orgs(struct importer *im, json_t *orgs, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t i;
	json_t *o;
	int rc = 0;

	if (sqlite3_prepare_v2(im->db,
			       "INSERT OR IGNORE INTO org(code, name, country, "
			       "kind) VALUES (?,?,?,?)",
			       -1, &s, NULL))
		return mrm_store_fail(im->st, err, "organisations");
	json_array_foreach(orgs, i, o)
	{
		const char *code =
			json_string_value(json_object_get(o, "code"));
		const char *name =
			json_string_value(json_object_get(o, "name"));
		const char *cc =
			json_string_value(json_object_get(o, "country"));

		if (!code || !name || !cc) {
			rc = mrm_error_set(
				err, MRM_ERR_INVALID, im->name,
				"organisations[%zu] needs code, name "
				"and country",
				i);
			break;
		}
		sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, cc, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4,
				  json_string_value(json_object_get(o, "kind")),
				  -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = mrm_store_fail(im->st, err, "organisations");
		else if (sqlite3_changes(im->db))
			rc = mrm_hmap_put(&im->orgs, code,
					  sqlite3_last_insert_rowid(im->db));
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

int mrm_import_json(struct mrm_store *st, FILE *fp, const char *name,
		    const struct mrm_import_opts *opts,
		    struct mrm_import_stats *stats, struct mrm_error *err)
{
	struct importer im;
	json_error_t jerr;
	json_t *doc, *events, *ev;
	size_t i;
	int rc;

	doc = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		char where[512];

		memset(stats, 0, sizeof(*stats));
		snprintf(where, sizeof(where), "%s:%d:%d", name, jerr.line,
			 jerr.column);
		return mrm_error_set(err, MRM_ERR_INVALID, where, "%s",
				     jerr.text);
	}
	rc = importer_begin(&im, st, opts, stats, err);
	im.name = name;
	im.locate = json_locate;
	events = json_object_get(doc, "events");
	if (!rc &&
	    (!json_is_object(doc) || !json_is_array(events) ||
	     strcmp(json_string_value(json_object_get(doc, "format"))
			    ? json_string_value(json_object_get(doc, "format"))
			    : "",
		    "mrm-export/1")))
		rc = mrm_error_set(err, MRM_ERR_INVALID, name,
				   "not an mrm export: expected {\"format\": "
				   "\"mrm-export/1\", \"events\": [...]}");
	if (!rc)
		rc = add_orgs(&im, json_object_get(doc, "organisations"), err);
	json_array_foreach(events, i, ev)
	{
		if (rc)
			break;
		stats->rows++;
		im.row_problems = 0;
		mrm_buf_reset(&im.reasons);
		rec_row_reset(&im.row);
		snprintf(im.path, sizeof(im.path), "events[%zu]", i);
		put_event(&im, ev, im.path);
		importer_check_row(&im, &im.row);
		if (im.row_problems)
			stats->rejected++;
		else if (!stats->errors || im.opts.skip_invalid)
			rc = importer_write_row(&im, err);
		if (!im.opts.skip_invalid &&
		    stats->errors >= im.opts.max_errors)
			break;
	}
	if (!rc)
		rc = importer_finish(&im, name, err);
	importer_release(&im);
	json_decref(doc);
	return rc;
}
