/* import.c - see include/mrm/import.h: the writer and the CSV driver */
#include "mrm/import.h"

#include "import_internal.h"
#include "mrm/keyring.h"
#include "labour.h"
#include "policy_internal.h"
#include "mapping.h"
#include "mrm/csv.h"
#include "mrm/store.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_MAX_ERRORS 20
#define PROGRESS_EVERY	   4096

/* Extra leading columns of each entity's INSERT, before its fields. */
static const char *const lead_cols[MRM_ENT_COUNT] = {
	[MRM_ENT_EVENT] = "id",
	[MRM_ENT_ACT] = "id, event_id, victim_id",
	[MRM_ENT_ARREST] = "act_id",
	[MRM_ENT_DETENTION] = "act_id",
	[MRM_ENT_DEPORTATION] = "act_id",
	[MRM_ENT_RETURN] = "act_id",
	[MRM_ENT_PERPETRATOR] = "act_id",
	[MRM_ENT_VICTIM] = "id, org_id",
	[MRM_ENT_SOURCE] = "event_id",
	[MRM_ENT_INTERVENTION] = "event_id, victim_id",
};

/* Fill err for storage that could not grow (`rc` is MRM_ERR_NOMEM, or
 * MRM_ERR_LIMIT for a buffer at its maximum) while doing `what`. */
static int no_room(const struct importer *im, int rc, const char *what,
		   struct mrm_error *err)
{
	return mrm_error_set(err, rc, im->name, "%s: %s", what,
			     rc == MRM_ERR_LIMIT ? "over the size limit"
						 : "out of memory");
}

static int prepare_inserts(struct importer *im, struct mrm_error *err)
{
	for (int e = 0; e < MRM_ENT_COUNT; e++) {
		struct mrm_buf sql = MRM_BUF_INIT(8192);
		int nlead = 1, rc;

		for (const char *p = lead_cols[e]; *p; p++)
			nlead += *p == ',';
		mrm_buf_addf(&sql, "INSERT INTO %s(%s", mrm_entity_table(e),
			     lead_cols[e]);
		for (size_t i = 0; i < mrm_field_count; i++)
			if (mrm_fields[i].ent == (enum mrm_entity)e)
				mrm_buf_addf(&sql, ", %s",
					     mrm_fields[i].column);
		mrm_buf_adds(&sql, ") VALUES (?");
		for (int i = 1; i < nlead; i++)
			mrm_buf_adds(&sql, ", ?");
		for (size_t i = 0; i < mrm_field_count; i++)
			if (mrm_fields[i].ent == (enum mrm_entity)e)
				mrm_buf_adds(&sql, ", ?");
		rc = mrm_buf_adds(&sql, ")");
		im->nlead[e] = nlead;
		if (rc || sqlite3_prepare_v3(im->db, sql.ptr, -1,
					     SQLITE_PREPARE_PERSISTENT,
					     &im->ins[e], NULL)) {
			mrm_buf_release(&sql);
			return mrm_store_fail(im->st, err,
					      "preparing the import");
		}
		mrm_buf_release(&sql);
	}
	if (sqlite3_prepare_v2(
		    im->db,
		    "INSERT OR IGNORE INTO event_attr(event_id, name,"
		    " value) VALUES (?,?,?)",
		    -1, &im->ins_attr, NULL) ||
	    sqlite3_prepare_v2(im->db,
			       "SELECT id FROM event WHERE org_id=? AND key=?",
			       -1, &im->find_event, NULL) ||
	    sqlite3_prepare_v2(im->db,
			       "SELECT id FROM person WHERE org_id=? AND key=?",
			       -1, &im->find_person, NULL))
		return mrm_store_fail(im->st, err, "preparing the import");
	return 0;
}

/* The first free id of `table`. */
static int next_id(struct importer *im, const char *table, int64_t *id,
		   struct mrm_error *err)
{
	char sql[128];
	sqlite3_stmt *s = NULL;
	int rc = 0;

	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) + 1 FROM %s",
		 table);
	if (sqlite3_prepare_v2(im->db, sql, -1, &s, NULL) ||
	    sqlite3_step(s) != SQLITE_ROW)
		rc = mrm_store_fail(im->st, err, table);
	else
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

static int load_orgs(struct importer *im, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int64_t count = 0, only = 0;
	int rc = 0, step = SQLITE_DONE;

	if (sqlite3_prepare_v2(im->db, "SELECT id, code FROM org", -1, &s,
			       NULL))
		return mrm_store_fail(im->st, err, "organisations");
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		only = sqlite3_column_int64(s, 0);
		count++;
		rc = mrm_hmap_put(&im->orgs,
				  (const char *)sqlite3_column_text(s, 1),
				  only);
	}
	if (rc)
		rc = no_room(im, rc, "organisations", err);
	else if (step != SQLITE_DONE)
		rc = mrm_store_fail(im->st, err, "organisations");
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if (im->opts.org)
		return mrm_org_id(im->st, im->opts.org, &im->default_org, err);
	if (count == 1)
		im->default_org = only;
	return 0;
}

int importer_begin(struct importer *im, struct mrm_store *st,
		   const struct mrm_import_opts *opts,
		   struct mrm_import_stats *stats, struct mrm_error *err)
{
	int rc;

	/* the victim reference slot must stay clear of the catalogue */
	assert(mrm_field_count < REC_VICTIM_REF);
	memset(im, 0, sizeof(*im));
	memset(stats, 0, sizeof(*stats));
	im->st = st;
	im->db = mrm_store_db(st);
	im->vocab = mrm_store_vocab(st);
	if (opts)
		im->opts = *opts;
	if (!im->opts.max_errors)
		im->opts.max_errors = DEFAULT_MAX_ERRORS;
	im->stats = stats;
	mrm_hmap_init(&im->orgs);
	mrm_hmap_init(&im->events);
	mrm_hmap_init(&im->persons);
	mrm_hmap_init(&im->seen);
	mrm_buf_init(&im->scratch, 16u << 20);
	mrm_buf_init(&im->reasons, 1u << 20);
	rec_row_init(&im->row);
	rc = mrm_store_begin(st, err);
	if (rc)
		return rc;
	im->in_txn = 1;
	rc = load_orgs(im, err);
	if (!rc)
		rc = prepare_inserts(im, err);
	if (!rc)
		rc = next_id(im, "event", &im->next_event, err);
	if (!rc)
		rc = next_id(im, "act", &im->next_act, err);
	if (!rc)
		rc = next_id(im, "person", &im->next_person, err);
	im->first_event = im->next_event;
	im->first_act = im->next_act;
	im->first_person = im->next_person;
	return rc;
}

void importer_release(struct importer *im)
{
	for (int e = 0; e < MRM_ENT_COUNT; e++)
		sqlite3_finalize(im->ins[e]);
	sqlite3_finalize(im->ins_attr);
	sqlite3_finalize(im->find_event);
	sqlite3_finalize(im->find_person);
	if (im->in_txn)
		mrm_store_rollback(im->st);
	mrm_hmap_release(&im->orgs);
	mrm_hmap_release(&im->events);
	mrm_hmap_release(&im->persons);
	mrm_hmap_release(&im->seen);
	mrm_buf_release(&im->scratch);
	mrm_buf_release(&im->reasons);
	rec_row_release(&im->row);
}

void importer_problem(struct importer *im, const char *where,
		      const struct mrm_error *e)
{
	struct mrm_error located = *e;

	if (where)
		snprintf(located.where, sizeof(located.where), "%.*s",
			 (int)sizeof(located.where) - 1, where);
	im->stats->errors++;
	im->row_problems++;
	mrm_buf_addf(&im->reasons, "%s%s%s%s", im->reasons.len ? "; " : "",
		     located.where, located.where[0] ? ": " : "", located.msg);
	if (im->stats->errors <= im->opts.max_errors && im->opts.on_error)
		im->opts.on_error(im->opts.ctx, &located);
}

/* Bind the fields of `ent` from `p`, after the lead columns. */
static int bind_fields(struct importer *im, enum mrm_entity ent,
		       const struct rec_part *p, int64_t record_id,
		       struct mrm_error *err)
{
	sqlite3_stmt *s = im->ins[ent];
	int col = im->nlead[ent];
	int rc = 0;

	for (size_t i = 0; i < mrm_field_count && !rc; i++) {
		const struct mrm_field *f = &mrm_fields[i];
		const char *v;
		char ad[128];

		if (f->ent != ent)
			continue;
		col++;
		v = rec_get(&im->row, p, (int)i);
		if (f->type == MRM_F_ORG) {
			sqlite3_bind_int64(s, col, im->row.org);
			continue;
		}
		if (!v) {
			sqlite3_bind_null(s, col);
			continue;
		}
		switch (f->type) {
		case MRM_F_SECRET:
			snprintf(ad, sizeof(ad), "%s/%lld/%s",
				 mrm_entity_table(ent), (long long)record_id,
				 f->column);
			mrm_buf_reset(&im->scratch);
			rc = mrm_store_seal(im->st, im->row.org, ad, v,
					    strlen(v), &im->scratch, err);
			if (!rc)
				sqlite3_bind_blob(s, col, im->scratch.ptr,
						  (int)im->scratch.len,
						  SQLITE_TRANSIENT);
			break;
		case MRM_F_INT:
		case MRM_F_BOOL:
		case MRM_F_MONEY:
			sqlite3_bind_int64(s, col, strtoll(v, NULL, 10));
			break;
		case MRM_F_REAL:
			sqlite3_bind_double(s, col, strtod(v, NULL));
			break;
		default: sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
		}
	}
	return rc;
}

static int run(struct importer *im, enum mrm_entity ent, struct mrm_error *err)
{
	sqlite3_stmt *s = im->ins[ent];
	int rc = sqlite3_step(s) == SQLITE_DONE
			 ? 0
			 : mrm_store_fail(im->st, err, mrm_entity_table(ent));

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

static int any_of(const struct rec_part *p, enum mrm_entity ent)
{
	for (size_t i = 0; i < mrm_field_count; i++)
		if (mrm_fields[i].ent == ent && p->off[i])
			return 1;
	return 0;
}

/* Build "id\x1fkey" in `out` of `size`. */
static void scoped_key(char *out, size_t size, int64_t scope, const char *key)
{
	snprintf(out, size, "%lld\x1f%s", (long long)scope, key);
}

/*
 * Look `key` of the row's organisation up in `map` (its map key is left in
 * `scoped`), then in the database with `find`. Returns 1 when found in the
 * map, 2 when found in the database only (the caller decides what the map
 * should remember), 0 when found in neither, or a negative code.
 */
static int lookup_key(struct importer *im, const struct mrm_hmap *map,
		      sqlite3_stmt *find, const char *key, char *scoped,
		      size_t size, int64_t *id, struct mrm_error *err)
{
	int rc;

	scoped_key(scoped, size, im->row.org, key);
	if (mrm_hmap_get(map, scoped, id))
		return 1;
	sqlite3_bind_int64(find, 1, im->row.org);
	sqlite3_bind_text(find, 2, key, -1, SQLITE_STATIC);
	switch (sqlite3_step(find)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(find, 0);
		rc = 2;
		break;
	case SQLITE_DONE: rc = 0; break;
	default: rc = mrm_store_fail(im->st, err, "looking up a key");
	}
	sqlite3_reset(find);
	return rc;
}

int importer_find_person(struct importer *im, const char *key, int64_t *id,
			 struct mrm_error *err)
{
	char scoped[700];
	int rc = lookup_key(im, &im->persons, im->find_person, key, scoped,
			    sizeof(scoped), id, err);

	return rc < 0 ? rc : rc > 0;
}

/* The victim of an act: an existing person by key, or a new one. */
static int write_victim(struct importer *im, struct rec_part *p, int64_t act_id,
			int64_t *id, struct mrm_error *err)
{
	int kf = mrm_field_index("victim.key");
	char auto_key[600], scoped[700];
	const char *key = rec_get(&im->row, p, kf);
	int rc;

	*id = 0;
	if (!any_of(p, MRM_ENT_VICTIM))
		return 0;
	if (!key) {
		/* Every person gets a key, so exports link acts and
		 * interventions to the same person on the way back in. */
		snprintf(auto_key, sizeof(auto_key), "%.500s/v%lld",
			 rec_get(&im->row, &im->row.event,
				 mrm_field_index("event.key")),
			 (long long)act_id);
		rc = rec_set(&im->row, p, kf, auto_key);
		if (rc)
			return no_room(im, rc, "victim key", err);
		key = rec_get(&im->row, p, kf);
	}
	rc = lookup_key(im, &im->persons, im->find_person, key, scoped,
			sizeof(scoped), id, err);
	if (rc < 0 || rc == 1)
		return rc < 0 ? rc : 0;
	if (rc == 0) {
		*id = im->next_person++;
		sqlite3_bind_int64(im->ins[MRM_ENT_VICTIM], 1, *id);
		sqlite3_bind_int64(im->ins[MRM_ENT_VICTIM], 2, im->row.org);
		rc = bind_fields(im, MRM_ENT_VICTIM, p, *id, err);
		if (!rc)
			rc = run(im, MRM_ENT_VICTIM, err);
		if (rc)
			return rc;
		im->stats->persons++;
	}
	rc = mrm_hmap_put(&im->persons, scoped, *id);
	return rc ? no_room(im, rc, "persons", err) : 0;
}

static int write_act(struct importer *im, struct rec_part *p, int64_t event_id,
		     int64_t *victim_out, struct mrm_error *err)
{
	int64_t act_id = im->next_act++, victim = 0;
	sqlite3_stmt *s = im->ins[MRM_ENT_ACT];
	int rc = write_victim(im, p, act_id, &victim, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, act_id);
	sqlite3_bind_int64(s, 2, event_id);
	if (victim)
		sqlite3_bind_int64(s, 3, victim);
	rc = bind_fields(im, MRM_ENT_ACT, p, act_id, err);
	if (!rc)
		rc = run(im, MRM_ENT_ACT, err);
	for (size_t d = 0; !rc && d < mrm_act_nparts; d++) {
		enum mrm_entity part = mrm_act_parts[d];

		if (!any_of(p, part))
			continue;
		sqlite3_bind_int64(im->ins[part], 1, act_id);
		rc = bind_fields(im, part, p, act_id, err);
		if (!rc)
			rc = run(im, part, err);
	}
	im->stats->acts += !rc;
	if (!*victim_out)
		*victim_out = victim;
	return rc;
}

/* Sources and interventions repeat on each row of an event: write each
 * distinct one once. An intervention is told apart by its victim too. */
static int first_time(struct importer *im, enum mrm_entity ent,
		      int64_t event_id, const struct rec_part *p, int *first,
		      struct mrm_error *err)
{
	struct mrm_buf *b = &im->scratch;
	const char *ref = rec_get(&im->row, p, REC_VICTIM_REF);
	int rc;

	mrm_buf_reset(b);
	rc = mrm_buf_addf(b, "%d\x1f%lld", (int)ent, (long long)event_id);
	for (size_t i = 0; !rc && i < mrm_field_count; i++) {
		if (mrm_fields[i].ent != ent)
			continue;
		rc = mrm_buf_addc(b, '\x1f');
		if (!rc)
			rc = mrm_buf_adds(
				b, p->off[i] ? rec_get(&im->row, p, (int)i)
					     : "\x1e");
	}
	if (!rc && ent == MRM_ENT_INTERVENTION)
		rc = mrm_buf_addf(b, "\x1f%s", ref ? ref : "\x1e");
	*first = !rc && !mrm_hmap_get(&im->seen, b->ptr, NULL);
	if (!rc && *first)
		rc = mrm_hmap_put(&im->seen, b->ptr, 1);
	return rc ? no_room(im, rc, mrm_entity_table(ent), err) : 0;
}

/* The person an intervention names by key (JSON's "victim"), else the
 * first victim of the row; 0 when there is none. */
static int intervention_victim(struct importer *im, const struct rec_part *p,
			       int64_t row_victim, int64_t *who,
			       struct mrm_error *err)
{
	const char *ref = rec_get(&im->row, p, REC_VICTIM_REF);
	char scoped[700];
	int rc;

	*who = row_victim;
	if (!ref)
		return 0;
	rc = lookup_key(im, &im->persons, im->find_person, ref, scoped,
			sizeof(scoped), who, err);
	if (!rc)
		*who = 0;
	return rc < 0 ? rc : 0;
}

static int write_extra(struct importer *im, enum mrm_entity ent,
		       struct rec_list *list, int64_t event_id, int64_t victim,
		       struct mrm_error *err)
{
	int rc = 0, first = 0;

	for (size_t i = 0; !rc && i < list->n; i++) {
		int64_t who = 0;

		rc = first_time(im, ent, event_id, &list->v[i], &first, err);
		if (rc || !first)
			continue;
		sqlite3_bind_int64(im->ins[ent], 1, event_id);
		if (ent == MRM_ENT_INTERVENTION)
			rc = intervention_victim(im, &list->v[i], victim, &who,
						 err);
		if (!rc && who)
			sqlite3_bind_int64(im->ins[ent], 2, who);
		if (!rc)
			rc = bind_fields(im, ent, &list->v[i], event_id, err);
		if (!rc)
			rc = run(im, ent, err);
		if (!rc && ent == MRM_ENT_SOURCE)
			im->stats->sources++;
		else if (!rc)
			im->stats->interventions++;
	}
	return rc;
}

void importer_field_problem(struct importer *im, const char *field,
			    const struct mrm_error *e)
{
	char where[512];

	im->locate(im, mrm_field_index(field), where, sizeof(where));
	importer_problem(im, where, e);
}

/* The id of the row's owner (its event.org, else the default), or 0. */
static int64_t owner_of(const struct importer *im, const struct rec_row *row)
{
	const char *org =
		rec_get(row, &row->event, mrm_field_index("event.org"));
	int64_t id = 0;

	if (!org)
		return im->default_org;
	return mrm_hmap_get(&im->orgs, org, &id) ? id : 0;
}

/* Resolve the row's owner into row->org; a problem when unknown. */
static void row_owner(struct importer *im, struct rec_row *row)
{
	const char *org =
		rec_get(row, &row->event, mrm_field_index("event.org"));
	struct mrm_error e;

	row->org = owner_of(im, row);
	if (row->org)
		return;
	if (org)
		mrm_error_set(
			&e, MRM_ERR_INVALID, NULL,
			"no organisation \"%s\" (add it with mrm org add)",
			org);
	else
		mrm_error_set(&e, MRM_ERR_INVALID, NULL,
			      "no owning organisation: give --org CODE or an "
			      "event.org column");
	importer_field_problem(im, "event.org", &e);
}

/* Write out a victim's unit and group size when the row leaves them
 * empty, so that exports carry them. */
static int victim_defaults(struct importer *im, struct rec_row *row,
			   struct rec_part *p, struct mrm_error *err)
{
	int unit = mrm_field_index("victim.unit");
	int size = mrm_field_index("victim.group_size");
	const char *u = rec_get(row, p, unit);
	const char *n = rec_get(row, p, size);
	int many = n && strcmp(n, "1");
	struct mrm_error e;
	int rc = 0;

	if (many && u && !strcmp(u, "individual")) {
		mrm_error_set(&e, MRM_ERR_INVALID, NULL,
			      "victim.group_size is %s but victim.unit is "
			      "individual (use group)",
			      n);
		importer_field_problem(im, "victim.group_size", &e);
	}
	if (!u)
		rc = rec_set(row, p, unit, many ? "group" : "individual");
	if (!rc && !n)
		rc = rec_set(row, p, size, "1");
	return rc ? no_room(im, rc, "victim defaults", err) : 0;
}

int importer_check_row(struct importer *im, struct rec_row *row,
		       struct mrm_error *err)
{
	static const char *const required[] = {"event.key", "event.title"};
	struct mrm_error e;
	int rc = 0;

	for (size_t i = 0; i < 2; i++)
		if (!rec_get(row, &row->event, mrm_field_index(required[i]))) {
			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "missing required field %s", required[i]);
			importer_field_problem(im, required[i], &e);
		}
	row_owner(im, row);
	for (size_t i = 0; !rc && i < row->acts.n; i++)
		if (any_of(&row->acts.v[i], MRM_ENT_VICTIM))
			rc = victim_defaults(im, row, &row->acts.v[i], err);
	return rc;
}

/* The event of the row: its id, or -1 when it was in the database before
 * this import began (and is then left as it is). */
static int row_event(struct importer *im, int64_t *event_id,
		     struct mrm_error *err)
{
	const char *key =
		rec_get(&im->row, &im->row.event, mrm_field_index("event.key"));
	char scoped[700];
	int rc = lookup_key(im, &im->events, im->find_event, key, scoped,
			    sizeof(scoped), event_id, err);

	if (rc < 0 || rc == 1)
		return rc < 0 ? rc : 0;
	if (rc == 2) {
		im->stats->events_existing++;
		*event_id = -1;
	} else {
		*event_id = im->next_event++;
		sqlite3_bind_int64(im->ins[MRM_ENT_EVENT], 1, *event_id);
		rc = bind_fields(im, MRM_ENT_EVENT, &im->row.event, *event_id,
				 err);
		if (!rc)
			rc = run(im, MRM_ENT_EVENT, err);
		if (rc)
			return rc;
		im->stats->events++;
	}
	rc = mrm_hmap_put(&im->events, scoped, *event_id);
	return rc ? no_room(im, rc, "events", err) : 0;
}

static int write_row(struct importer *im, struct mrm_error *err)
{
	int64_t event_id = 0, victim = 0;
	int rc = row_event(im, &event_id, err);

	if (rc || event_id < 0)
		return rc; /* already in the database before this import */
	for (size_t i = 0; !rc && i < im->row.nattrs; i++) {
		sqlite3_stmt *s = im->ins_attr;

		sqlite3_bind_int64(s, 1, event_id);
		sqlite3_bind_text(s, 2,
				  rec_str(&im->row, im->row.attrs[i].name), -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(s, 3,
				  rec_str(&im->row, im->row.attrs[i].value), -1,
				  SQLITE_STATIC);
		rc = sqlite3_step(s) == SQLITE_DONE
			     ? 0
			     : mrm_store_fail(im->st, err, "attributes");
		sqlite3_reset(s);
	}
	for (size_t i = 0; !rc && i < im->row.acts.n; i++)
		rc = write_act(im, &im->row.acts.v[i], event_id, &victim, err);
	if (!rc)
		rc = write_extra(im, MRM_ENT_SOURCE, &im->row.sources, event_id,
				 0, err);
	if (!rc)
		rc = write_extra(im, MRM_ENT_INTERVENTION,
				 &im->row.interventions, event_id, victim, err);
	if (!rc && im->labour)
		rc = importer_labour_write(im, im->labour, event_id, victim,
					   err);
	if (!rc && im->labour)
		rc = importer_policy_write(im, im->labour, event_id, err);
	return rc;
}

/*
 * Hold the connection's mutex (it is recursive) while writing a row: each
 * bind, step and reset would take it otherwise, about forty times a row.
 * The connection is this thread's alone meanwhile (the CSV reader thread
 * never touches it).
 */
int importer_write_row(struct importer *im, struct mrm_error *err)
{
	sqlite3_mutex *m = sqlite3_db_mutex(im->db);
	int rc;

	sqlite3_mutex_enter(m);
	rc = write_row(im, err);
	sqlite3_mutex_leave(m);
	return rc;
}

/* Index the events this import added (ids from first_event up). */
static int index_new_events(struct importer *im, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(im->db,
			       "INSERT INTO event_fts(rowid, title, summary, "
			       "place) SELECT id, title, summary, place FROM "
			       "event WHERE id >= ?",
			       -1, &s, NULL) ||
	    sqlite3_bind_int64(s, 1, im->first_event) ||
	    sqlite3_step(s) != SQLITE_DONE)
		rc = mrm_store_fail(im->st, err, "search index");
	sqlite3_finalize(s);
	return rc;
}

int importer_finish(struct importer *im, const char *name,
		    struct mrm_error *err)
{
	const struct mrm_import_stats *s = im->stats;
	int rc;

	if (s->errors && (!im->opts.skip_invalid || im->fatal)) {
		rc = mrm_error_set(
			err, MRM_ERR_INVALID, name,
			"%llu problem%s%s; nothing was imported (%s)",
			(unsigned long long)s->errors,
			s->errors == 1 ? "" : "s",
			s->errors > im->opts.max_errors
				? " (only the first shown)"
				: "",
			im->opts.skip_invalid
				? "the file cannot be read to its end: fix "
				  "it and import it again"
				: "fix them, or use --skip-invalid to import "
				  "the good rows");
	} else if (im->opts.skip_invalid && s->rows && s->rejected == s->rows) {
		rc = mrm_error_set(err, MRM_ERR_INVALID, name,
				   "no row could be imported (%llu rejected%s)",
				   (unsigned long long)s->rows,
				   im->opts.rejects ? "; see the rejects file"
						    : "");
	} else {
		rc = index_new_events(im, err);
		if (!rc)
			rc = importer_audit(im, name, err);
		if (!rc)
			rc = mrm_store_touch(im->st, err);
		if (!rc)
			rc = mrm_store_commit(im->st, err);
		im->in_txn = rc != 0;
		return rc;
	}
	mrm_store_rollback(im->st);
	im->in_txn = 0;
	return rc;
}

/* ---- the CSV driver ---- */

/* "NAME:LINE:COLUMN" of 0-based column `col`, or "NAME:LINE" when -1. */
static void csv_where(struct importer *im, int col, char *where, size_t size)
{
	size_t n = mrm_csv_nfields(im->csv);

	if (col >= 0)
		snprintf(where, size, "%s:%lu:%d", im->name,
			 (size_t)col < n
				 ? mrm_csv_field_line(im->csv, (size_t)col)
				 : mrm_csv_line(im->csv),
			 col + 1);
	else
		snprintf(where, size, "%s:%lu", im->name,
			 mrm_csv_line(im->csv));
}

static void csv_locate(struct importer *im, int field, char *where, size_t size)
{
	csv_where(im, field >= 0 ? mapping_column(im->map, field) : -1, where,
		  size);
}

static void csv_row_error(void *ctx, int col, const struct mrm_error *e)
{
	struct importer *im = ctx;
	char where[512];

	csv_where(im, col, where, sizeof(where));
	importer_problem(im, where, e);
}

static void ignore_error(void *ctx, int col, const struct mrm_error *e)
{
	(void)ctx, (void)col, (void)e;
}

/*
 * One line of the rejects file: the row's `n` cells, padded with empty
 * cells to the header's `ncols` (a record the reader could not take apart
 * has no cells), and the reasons.
 */
static int write_reject(struct importer *im, const char *const *fields,
			size_t n, size_t ncols, const char *reasons,
			struct mrm_error *err)
{
	struct mrm_buf line = MRM_BUF_INIT(64u << 20);
	int rc = 0;

	if (!im->opts.rejects)
		return 0;
	for (size_t i = 0; !rc && (i < n || i < ncols); i++) {
		const char *f = i < n ? fields[i] : "";

		rc = mrm_csv_put_field(&line, f, strlen(f));
		if (!rc)
			rc = mrm_buf_addc(&line, ',');
	}
	if (!rc)
		rc = mrm_csv_put_field(&line, reasons, strlen(reasons));
	if (!rc)
		rc = mrm_buf_addc(&line, '\n');
	if (rc)
		rc = no_room(im, rc, "a line of the rejects file", err);
	else if (fwrite(line.ptr, 1, line.len, im->opts.rejects) != line.len)
		rc = mrm_error_set(err, MRM_ERR_IO, im->name,
				   "cannot write the rejects file");
	mrm_buf_release(&line);
	return rc;
}

/* Point `fields` at the current record's cells. */
static int collect(struct importer *im, const char ***fields, size_t *cap,
		   struct mrm_error *err)
{
	size_t n = mrm_csv_nfields(im->csv);

	if (n > *cap) {
		const char **f = realloc(*fields, n * sizeof(*f));

		if (!f)
			return no_room(im, MRM_ERR_NOMEM, "reading a row", err);
		*fields = f;
		*cap = n;
	}
	for (size_t i = 0; i < n; i++)
		(*fields)[i] = mrm_csv_field(im->csv, i, NULL);
	return 0;
}

/* The first cell from `from` on holding a NUL byte, which would cut its
 * text short unseen; -1 when none does. */
static int nul_cell(struct importer *im, size_t from)
{
	for (size_t i = from; i < mrm_csv_nfields(im->csv); i++) {
		size_t len;
		const char *f = mrm_csv_field(im->csv, i, &len);

		if (strlen(f) != len)
			return (int)i;
	}
	return -1;
}

#define NUL_MESSAGE                                                            \
	"contains a NUL byte (is this a text file in UTF-8?); remove it"

static int read_header(struct importer *im, const char ***fields, size_t *cap,
		       size_t *nhead, struct mrm_error *err)
{
	char where[512];
	int rc = mrm_csv_next(im->csv, err);

	if (rc == 0)
		return mrm_error_set(err, MRM_ERR_INVALID, im->name,
				     "the file is empty (expected a header "
				     "row)");
	if (rc < 0)
		return rc;
	if (nul_cell(im, 0) >= 0) {
		csv_where(im, nul_cell(im, 0), where, sizeof(where));
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "the header " NUL_MESSAGE);
	}
	rc = collect(im, fields, cap, err);
	*nhead = mrm_csv_nfields(im->csv);
	if (!rc && im->opts.mapping)
		rc = mapping_bind(im->opts.mapping, *fields, *nhead, im->name,
				  err);
	else if (!rc)
		rc = mapping_native(&im->native, *fields, *nhead, im->name,
				    err);
	im->map = im->opts.mapping ? im->opts.mapping : im->native;
	if (!rc)
		rc = write_reject(im, *fields, *nhead, *nhead, "errors", err);
	return rc;
}

/* Take the current record apart into `row`; problems are recorded. */
static int csv_row(struct importer *im, const char ***fields, size_t *cap,
		   size_t nhead, struct rec_row *row, struct mrm_error *err)
{
	size_t n = mrm_csv_nfields(im->csv);
	struct mrm_error e;
	char where[512];
	int rc = collect(im, fields, cap, err);

	if (rc)
		return rc;
	mrm_error_set(&e, MRM_ERR_INVALID, NULL, NUL_MESSAGE);
	for (int i = nul_cell(im, 0); i >= 0; i = nul_cell(im, (size_t)i + 1)) {
		csv_where(im, i, where, sizeof(where));
		importer_problem(im, where, &e);
	}
	if (n != nhead) {
		mrm_error_set(&e, MRM_ERR_INVALID, NULL,
			      "%zu columns, the header has %zu", n, nhead);
		csv_where(im, (int)(n < nhead ? n : nhead), where,
			  sizeof(where));
		importer_problem(im, where, &e);
		/* taken apart all the same, quietly, for its event key */
		rc = mapping_apply(im->map, *fields, n, im->vocab, row,
				   ignore_error, NULL);
		return rc < 0 ? no_room(im, rc, "taking a row apart", err) : 0;
	}
	rc = mapping_apply(im->map, *fields, nhead, im->vocab, row,
			   csv_row_error, im);
	if (rc < 0)
		return no_room(im, rc, "taking a row apart", err);
	return importer_check_row(im, row, err);
}

/*
 * With skip_invalid, once a row of an event is rejected the later rows of
 * that event are rejected too, so that they do not land as an event with
 * a part missing. (Its rows before the rejected one have landed already.)
 * `rejected` maps the events with a rejected row to its line.
 */
static int same_event(struct importer *im, struct mrm_hmap *rejected,
		      const struct rec_row *row, struct mrm_error *err)
{
	const char *key =
		rec_get(row, &row->event, mrm_field_index("event.key"));
	char scoped[700];
	struct mrm_error e;
	int64_t line;
	int rc = 0;

	if (!key)
		return 0;
	scoped_key(scoped, sizeof(scoped), owner_of(im, row), key);
	if (im->row_problems && !mrm_hmap_get(rejected, scoped, NULL))
		rc = mrm_hmap_put(rejected, scoped,
				  (int64_t)mrm_csv_line(im->csv));
	else if (!im->row_problems && mrm_hmap_get(rejected, scoped, &line)) {
		mrm_error_set(&e, MRM_ERR_INVALID, NULL,
			      "another row of event %s was rejected (line "
			      "%lld), so this one is left out too",
			      key, (long long)line);
		importer_field_problem(im, "event.key", &e);
	}
	return rc ? no_room(im, rc, "rejected events", err) : 0;
}

static void progress(struct importer *im, uint64_t total)
{
	if (im->opts.on_progress && im->stats->rows % PROGRESS_EVERY == 0)
		im->opts.on_progress(im->opts.ctx, mrm_csv_offset(im->csv),
				     total);
}

/*
 * The CSV import runs in two threads: a reader takes the file apart and
 * checks every row (about a fifth of the work), the caller's thread writes
 * the checked rows to the database. Rows travel through a ring of
 * QUEUE_ROWS rows, swapped in and out so that their storage is reused.
 */
#define QUEUE_ROWS 128

struct pipe {
	struct importer *im;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	struct rec_row ring[QUEUE_ROWS];
	size_t head, count;
	int done;	      /* the reader has finished */
	int stop;	      /* the writer has failed: the reader stops */
	int rc;		      /* the reader's result */
	struct mrm_error err; /* the reader's error, when rc is not 0 */
	size_t nhead;
	uint64_t total;
};

static void swap_rows(struct rec_row *a, struct rec_row *b)
{
	struct rec_row t = *a;

	*a = *b;
	*b = t;
}

/* Hand `row` to the writer (taking an empty row back); 0, or -1 to stop. */
static int pipe_push(struct pipe *p, struct rec_row *row)
{
	int stop;

	pthread_mutex_lock(&p->mu);
	while (p->count == QUEUE_ROWS && !p->stop)
		pthread_cond_wait(&p->changed, &p->mu);
	stop = p->stop;
	if (!stop) {
		swap_rows(row, &p->ring[(p->head + p->count) % QUEUE_ROWS]);
		p->count++;
		pthread_cond_broadcast(&p->changed);
	}
	pthread_mutex_unlock(&p->mu);
	return stop ? -1 : 0;
}

/* Take the next row into `row`; 0 when there is none left. */
static int pipe_pop(struct pipe *p, struct rec_row *row)
{
	int got;

	pthread_mutex_lock(&p->mu);
	while (!p->count && !p->done)
		pthread_cond_wait(&p->changed, &p->mu);
	got = p->count > 0;
	if (got) {
		swap_rows(row, &p->ring[p->head]);
		p->head = (p->head + 1) % QUEUE_ROWS;
		p->count--;
		pthread_cond_broadcast(&p->changed);
	}
	pthread_mutex_unlock(&p->mu);
	return got;
}

static void pipe_end(struct pipe *p, int *flag)
{
	pthread_mutex_lock(&p->mu);
	*flag = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->mu);
}

static int is_blank_line(struct importer *im)
{
	return mrm_csv_nfields(im->csv) == 1 &&
	       !*mrm_csv_field(im->csv, 0, NULL);
}

/* The reader thread: every record checked, good rows pushed. */
static void *csv_reader(void *arg)
{
	struct pipe *p = arg;
	struct importer *im = p->im;
	struct mrm_import_stats *stats = im->stats;
	struct mrm_hmap rejected;
	struct rec_row row;
	const char **fields = NULL;
	size_t cap = 0;
	int rc = 0;

	rec_row_init(&row);
	mrm_hmap_init(&rejected);
	while (!rc) {
		struct mrm_error e;
		int got = mrm_csv_next(im->csv, &e);
		size_t ncells = 0;

		if (got == 0)
			break;
		if (got > 0 && is_blank_line(im))
			continue;
		stats->rows++;
		im->row_problems = 0;
		mrm_buf_reset(&im->reasons);
		rec_row_reset(&row);
		if (got < 0) {
			importer_problem(im, NULL, &e);
			if (!mrm_csv_recoverable(im->csv)) {
				im->fatal = 1;
				break;
			}
		} else {
			rc = csv_row(im, &fields, &cap, p->nhead, &row,
				     &p->err);
			ncells = mrm_csv_nfields(im->csv);
		}
		if (!rc && got > 0 && im->opts.skip_invalid)
			rc = same_event(im, &rejected, &row, &p->err);
		if (!rc && im->row_problems) {
			stats->rejected++;
			rc = write_reject(im, fields, ncells, p->nhead,
					  mrm_buf_str(&im->reasons), &p->err);
		} else if (!rc && (!stats->errors || im->opts.skip_invalid) &&
			   pipe_push(p, &row)) {
			break;
		}
		if (!rc && !im->opts.skip_invalid &&
		    stats->errors >= im->opts.max_errors)
			break;
		progress(im, p->total);
	}
	free(fields);
	mrm_hmap_release(&rejected);
	rec_row_release(&row);
	p->rc = rc;
	pipe_end(p, &p->done);
	return NULL;
}

/* Write rows as the reader checks them; then wait for it. */
static int csv_pipeline(struct importer *im, size_t nhead, uint64_t total,
			struct mrm_error *err)
{
	struct pipe p = {.im = im, .nhead = nhead, .total = total};
	pthread_t reader;
	int rc = 0;

	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.changed, NULL);
	mrm_error_clear(&p.err);
	for (size_t i = 0; i < QUEUE_ROWS; i++)
		rec_row_init(&p.ring[i]);
	if (pthread_create(&reader, NULL, csv_reader, &p)) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, im->name,
				   "cannot start the reader thread");
		goto out;
	}
	while (!rc && pipe_pop(&p, &im->row))
		rc = importer_write_row(im, err);
	if (rc)
		pipe_end(&p, &p.stop);
	pthread_join(reader, NULL);
	if (!rc && p.rc) {
		rc = p.rc;
		if (err)
			*err = p.err;
	}
out:
	for (size_t i = 0; i < QUEUE_ROWS; i++)
		rec_row_release(&p.ring[i]);
	pthread_cond_destroy(&p.changed);
	pthread_mutex_destroy(&p.mu);
	return rc;
}

int mrm_import_csv(struct mrm_store *st, FILE *fp, const char *name,
		   const struct mrm_import_opts *opts,
		   struct mrm_import_stats *stats, struct mrm_error *err)
{
	struct importer im;
	const char **fields = NULL;
	size_t cap = 0, nhead = 0;
	struct stat sb;
	uint64_t total = fstat(fileno(fp), &sb) == 0 ? (uint64_t)sb.st_size : 0;
	int rc;

	rc = importer_begin(&im, st, opts, stats, err);
	im.name = name;
	im.locate = csv_locate;
	if (!rc)
		rc = mrm_csv_reader_new(&im.csv, fp, name, NULL, err);
	if (!rc)
		rc = read_header(&im, &fields, &cap, &nhead, err);
	free(fields);
	if (!rc)
		rc = csv_pipeline(&im, nhead, total, err);
	if (!rc)
		rc = importer_finish(&im, name, err);
	if (im.opts.on_progress)
		im.opts.on_progress(im.opts.ctx, total, total);
	mrm_csv_reader_free(im.csv);
	mrm_mapping_free(im.native);
	importer_release(&im);
	return rc;
}
