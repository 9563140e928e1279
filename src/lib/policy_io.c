/*
 * policy_io.c - an event's policies in the JSON export and import:
 * "policies": ["th-crackdown-2014-06", ...], the keys of the register
 * (policy.h) the event is linked to, by key; the member is left out when
 * there are none, so that an export without links is what it was before.
 */
#include "import_internal.h"
#include "policy_internal.h"

#include "mrm/policy.h"
#include "mrm/store.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int policy_export(struct mrm_store *st, int64_t event_id, json_t *ev,
		  struct mrm_error *err)
{
	json_t *keys = mrm_policy_event_keys(st, event_id);

	if (!keys)
		return mrm_store_fail(st, err, "policy links");
	if (!json_array_size(keys)) {
		json_decref(keys);
		return 0;
	}
	return json_object_set_new(ev, "policies", keys)
		       ? mrm_error_set(err, MRM_ERR_NOMEM, NULL,
				       "out of memory")
		       : 0;
}

static int found(void *ctx, const struct mrm_policy *p)
{
	(void)ctx;
	(void)p;
	return 0;
}

static void policy_problem(struct importer *im, const char *path, size_t i,
			   const char *msg)
{
	struct mrm_error e;
	char where[512];

	if (i == (size_t)-1)
		snprintf(where, sizeof(where), "%s: %s.policies", im->name,
			 path);
	else
		snprintf(where, sizeof(where), "%s: %s.policies[%zu]", im->name,
			 path, i);
	mrm_error_set(&e, MRM_ERR_INVALID, NULL, "%s", msg);
	importer_problem(im, where, &e);
}

int importer_policy_check(struct importer *im, json_t *ev, const char *path,
			  struct mrm_error *err)
{
	json_t *list = json_object_get(ev, "policies"), *v;
	struct mrm_error e;
	size_t i;

	(void)err;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		policy_problem(im, path, (size_t)-1,
			       "must be an array of policy keys (strings; "
			       "mrm policy list shows them)");
		return 0;
	}
	json_array_foreach(list, i, v)
	{
		const char *key = json_string_value(v);

		if (!key) {
			policy_problem(im, path, i,
				       "must be a policy key (a string)");
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(list, j), v)) {
				snprintf(e.msg, sizeof(e.msg),
					 "\"%.64s\" is listed twice", key);
				policy_problem(im, path, i, e.msg);
				key = NULL;
				break;
			}
		if (key && mrm_policy_find(im->st, key, found, NULL, &e))
			policy_problem(im, path, i, e.msg);
	}
	return 0;
}

int importer_policy_write(struct importer *im, json_t *ev, int64_t event_id,
			  struct mrm_error *err)
{
	json_t *list = json_object_get(ev, "policies"), *v;
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc = 0;

	if (!json_array_size(list))
		return 0;
	if (sqlite3_prepare_v2(im->db,
			       "INSERT OR IGNORE INTO event_policy(event_id, "
			       "policy_id) SELECT ?, id FROM policy WHERE key "
			       "= ?",
			       -1, &s, NULL))
		return mrm_store_fail(im->st, err, "policy links");
	json_array_foreach(list, i, v)
	{
		sqlite3_bind_int64(s, 1, event_id);
		sqlite3_bind_text(s, 2, json_string_value(v), -1,
				  SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = mrm_store_fail(im->st, err, "policy links");
			break;
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}
