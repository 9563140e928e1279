/* import_json.c - the JSON driver of include/mrm/import.h: reads what
 * mrm_export_json() writes. */
#include "mrm/import.h"

#include "import_internal.h"
#include "labour.h"
#include "mrm/audit.h"
#include "policy_internal.h"
#include "mrm/export.h"
#include "mrm/store.h"
#include "mrm/utf8.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static void problem(struct importer *im, const char *path, const char *key,
		    struct mrm_error *e)
{
	char where[512];

	snprintf(where, sizeof(where), "%s: %s%s%s", im->name, path,
		 key ? "." : "", key ? key : "");
	importer_problem(im, where, e);
}

/*
 * Storing a value at `path`.`key` failed with `rc` (`e`, if given, says
 * why): running out of memory stops the import, with err filled; anything
 * else is a problem of the event, and 0 is returned.
 */
static int not_stored(struct importer *im, int rc, const char *path,
		      const char *key, struct mrm_error *e,
		      struct mrm_error *err)
{
	struct mrm_error limit;

	if (rc == MRM_ERR_NOMEM)
		return mrm_error_set(err, rc, im->name,
				     "out of memory reading %s", path);
	if (!e) {
		mrm_error_set(&limit, rc, NULL,
			      "the event is over the size limit (%zu bytes "
			      "of values)",
			      im->row.arena.max);
		e = &limit;
	}
	problem(im, path, key, e);
	return 0;
}

/* One member `key` of an object of `ent` into field `f` of `p`. */
static int put_member(struct importer *im, json_t *v, int f, struct rec_part *p,
		      const char *path, const char *key, struct mrm_error *err)
{
	char tmp[MRM_JSON_SCALAR_MAX];
	const char *text = mrm_json_scalar_text(v, tmp, sizeof(tmp));
	struct mrm_error e;
	int rc;

	if (json_is_null(v))
		return 0;
	if (!text) {
		mrm_error_set(&e, MRM_ERR_INVALID, NULL,
			      "must be a string, number or boolean");
		problem(im, path, key, &e);
		return 0;
	}
	if (mrm_utf8_check(text, strlen(text)) != strlen(text)) {
		mrm_error_set(&e, MRM_ERR_INVALID, NULL, "invalid UTF-8");
		problem(im, path, key, &e);
		return 0;
	}
	if (!*text)
		return 0;
	mrm_error_clear(&e);
	rc = rec_put(&im->row, p, f, text, im->vocab, &e);
	return rc ? not_stored(im, rc, path, key, &e, err) : 0;
}

/*
 * Put the members of `obj` that are fields of `ent` into `p`; other members
 * are errors unless listed in `nested` (handled by the caller). Returns 0
 * (problems are recorded) or a negative code with err filled.
 */
static int put_object(struct importer *im, json_t *obj, enum mrm_entity ent,
		      struct rec_part *p, const char *path,
		      const char *const *nested, struct mrm_error *err)
{
	const char *prefix = mrm_entity_prefix(ent), *key;
	char name[128], near[256];
	struct mrm_error e;
	json_t *v;
	int rc = 0;

	if (!json_is_object(obj)) {
		mrm_error_set(&e, MRM_ERR_INVALID, NULL, "must be an object");
		problem(im, path, NULL, &e);
		return 0;
	}
	/* currencies first: amounts need them */
	for (int pass = 0; !rc && pass < 2; pass++)
		json_object_foreach(obj, key, v)
		{
			int f, skip = 0;

			for (size_t i = 0; nested && nested[i]; i++)
				skip |= !strcmp(nested[i], key);
			if (skip || rc)
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
			if ((mrm_fields[f].type == MRM_F_CURRENCY) == !pass)
				rc = put_member(im, v, f, p, path, key, err);
		}
	return rc;
}

static int put_act(struct importer *im, json_t *act, const char *path,
		   struct mrm_error *err)
{
	const char *nested[MRM_ENT_COUNT + 1];
	enum mrm_entity ents[MRM_ENT_COUNT];
	struct rec_part *p = rec_list_add(&im->row.acts);
	char sub[256];
	size_t n = 0;
	int rc;

	if (!p)
		return not_stored(im, MRM_ERR_NOMEM, path, NULL, NULL, err);
	for (size_t i = 0; i < mrm_act_nparts; i++)
		ents[n++] = mrm_act_parts[i];
	ents[n++] = MRM_ENT_VICTIM;
	for (size_t i = 0; i < n; i++)
		nested[i] = mrm_entity_prefix(ents[i]);
	nested[n] = NULL;
	rc = put_object(im, act, MRM_ENT_ACT, p, path, nested, err);
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *o = json_object_get(act, nested[i]);

		snprintf(sub, sizeof(sub), "%.200s.%s", path, nested[i]);
		if (o)
			rc = put_object(im, o, ents[i], p, sub, NULL, err);
	}
	return rc;
}

static int put_list(struct importer *im, json_t *ev, const char *member,
		    enum mrm_entity ent, struct rec_list *list,
		    const char *path, struct mrm_error *err)
{
	static const char *const nested[] = {"victim", NULL};
	char sub[256];
	size_t i;
	json_t *o;
	int rc = 0;

	json_array_foreach(json_object_get(ev, member), i, o)
	{
		struct rec_part *p = rec_list_add(list);
		json_t *victim = json_object_get(o, "victim");

		snprintf(sub, sizeof(sub), "%.200s.%s[%zu]", path, member, i);
		if (!p)
			return not_stored(im, MRM_ERR_NOMEM, sub, NULL, NULL,
					  err);
		rc = put_object(im, o, ent, p, sub, nested, err);
		if (!rc && json_is_string(victim))
			rc = rec_set(&im->row, p, REC_VICTIM_REF,
				     json_string_value(victim));
		if (rc)
			return not_stored(im, rc, sub, "victim", NULL, err);
	}
	return 0;
}

static int put_attrs(struct importer *im, json_t *ev, const char *path,
		     struct mrm_error *err)
{
	const char *name;
	json_t *vals, *v;
	size_t i;
	int rc = 0;

	json_object_foreach(json_object_get(ev, "attrs"), name, vals)
		json_array_foreach(vals, i, v)
	{
		if (!rc && json_is_string(v))
			rc = rec_add_attr(&im->row, name, json_string_value(v));
	}
	return rc ? not_stored(im, rc, path, "attrs", NULL, err) : 0;
}

static int put_event(struct importer *im, json_t *ev, const char *path,
		     struct mrm_error *err)
{
	static const char *const nested[] = {"id",
					     "attrs",
					     "acts",
					     "sources",
					     "interventions",
					     "wages",
					     "recruitment_costs",
					     "policies",
					     NULL};
	json_t *act;
	size_t i;
	int rc = put_object(im, ev, MRM_ENT_EVENT, &im->row.event, path, nested,
			    err);

	if (!rc)
		rc = put_attrs(im, ev, path, err);
	json_array_foreach(json_object_get(ev, "acts"), i, act)
	{
		char sub[256];

		snprintf(sub, sizeof(sub), "%.200s.acts[%zu]", path, i);
		if (!rc)
			rc = put_act(im, act, sub, err);
	}
	if (!rc)
		rc = put_list(im, ev, "sources", MRM_ENT_SOURCE,
			      &im->row.sources, path, err);
	if (!rc)
		rc = put_list(im, ev, "interventions", MRM_ENT_INTERVENTION,
			      &im->row.interventions, path, err);
	return rc;
}

static void json_locate(struct importer *im, int field, char *where,
			size_t size)
{
	snprintf(where, size, "%s: %s%s%s", im->name, im->path,
		 field >= 0 ? " " : "",
		 field >= 0 ? mrm_fields[field].name : "");
}

/* One organisation of the file, checked as mrm_org_add() checks; added
 * when the database lacks it. */
static int add_org(struct importer *im, sqlite3_stmt *s, json_t *o, size_t i,
		   struct mrm_error *err)
{
	const char *code = json_string_value(json_object_get(o, "code"));
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *cc = json_string_value(json_object_get(o, "country"));
	char where[300];
	int rc;

	snprintf(where, sizeof(where), "%s: organisations[%zu].", im->name, i);
	if (!code || !name || !cc)
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "needs code, name and country (strings)");
	rc = mrm_org_check(im->st, where, code, name, cc, &cc, err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, cc, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, json_string_value(json_object_get(o, "kind")),
			  -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mrm_store_fail(im->st, err, "organisations");
	else if (sqlite3_changes(im->db) &&
		 mrm_hmap_put(&im->orgs, code,
			      sqlite3_last_insert_rowid(im->db)))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, im->name,
				   "out of memory");
	else if (sqlite3_changes(im->db))
		rc = mrm_audit_created(im->st, "org",
				       sqlite3_last_insert_rowid(im->db),
				       im->name, err);
	sqlite3_reset(s);
	return rc;
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
		if (!rc)
			rc = add_org(im, s, o, i, err);
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

	mrm_error_clear(err);
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
		rc = put_event(&im, ev, im.path, err);
		if (!rc)
			rc = importer_check_row(&im, &im.row, err);
		if (!rc)
			rc = importer_labour_check(&im, ev, im.path, err);
		if (!rc)
			rc = importer_policy_check(&im, ev, im.path, err);
		im.labour = ev;
		if (rc)
			break;
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
