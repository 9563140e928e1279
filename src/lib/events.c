/* events.c - see include/mrm/events.h */
#include "mrm/events.h"

#include "evcache.h"
#include "mapping.h"
#include "mrm/audit.h"
#include "mrm/crypto.h"
#include "mrm/csv.h"
#include "mrm/embedded.h"
#include "mrm/export.h"
#include "mrm/fields.h"
#include "mrm/hmap.h"
#include "mrm/keyring.h"
#include "mrm/org.h"
#include "mrm/store.h"
#include "mrm/utf8.h"
#include "mrm/vocab.h"
#include "mrm/wages.h"
#include "record.h"

#include <ctype.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define Q_MAX	      1000 /* bytes of search text */
#define KEY_RANDOM    8	   /* random bytes in a generated event key */
#define ACT_DEPTH_MAX 16   /* deepest act type hierarchy followed */

const char *mrm_date_precision(const char *d)
{
	static const char *const names[] = {"year", "month", "day"};
	static const size_t lens[] = {4, 7, 10};

	for (size_t i = 0; d && i < 3; i++) {
		int ok = strlen(d) == lens[i];

		for (size_t k = 0; ok && k < lens[i]; k++)
			ok = k == 4 || k == 7 ? d[k] == '-'
					      : isdigit((unsigned char)d[k]);
		if (ok)
			return names[i];
	}
	return "unknown";
}

/*
 * Ask mrm_access_check(): 1 when allowed, 0 when not (its message left in
 * `why` if given), or another negative code (a database failure) with err
 * filled.
 */
static int may(struct mrm_store *st, const struct mrm_actor *who,
	       enum mrm_action action, int64_t org, int64_t event,
	       struct mrm_error *why, struct mrm_error *err)
{
	struct mrm_error e;
	int rc = mrm_access_check(st, who, action, org, event, &e);

	if (!rc)
		return 1;
	if (rc == MRM_ERR_ACCESS) {
		if (why)
			*why = e;
		return 0;
	}
	if (err)
		*err = e;
	return rc;
}

static int no_memory(struct mrm_error *err)
{
	return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
}

/* ---- lists of events ---- */

/* The values a filter binds: canonical codes and dates, or NULL. */
struct filter_values {
	const char *country;
	struct mrm_buf types; /* ",t1,t2," with the types under act_type */
	struct mrm_buf from, to, like;
	const char *scan; /* search text matched by a scan */
};

static int bad_value(struct mrm_store *st, const char *scheme, const char *name,
		     const char *value, struct mrm_error *err)
{
	char near[256];

	mrm_vocab_suggest(mrm_store_vocab(st), scheme, value, near,
			  sizeof(near));
	return mrm_error_set(err, MRM_ERR_INVALID, name,
			     "\"%.100s\" is not a known %s; closest: %s", value,
			     scheme, near);
}

/* Is `code` `top` or under it in the act type hierarchy? */
static int under(const struct mrm_vocab *v, const char *code, const char *top)
{
	for (int depth = 0; code && *code && depth < ACT_DEPTH_MAX; depth++) {
		const struct mrm_term *t;

		if (!strcmp(code, top))
			return 1;
		t = mrm_vocab_term(v, "act_type", code);
		code = t ? t->parent : NULL;
	}
	return 0;
}

static int act_types(struct mrm_store *st, const char *value,
		     struct mrm_buf *out, struct mrm_error *err)
{
	const struct mrm_vocab *v = mrm_store_vocab(st);
	const char *top = mrm_vocab_resolve(v, "act_type", value);
	const struct mrm_term *terms;
	size_t n = 0;
	int rc;

	if (!top)
		return bad_value(st, "act_type", "act_type", value, err);
	terms = mrm_vocab_terms(v, "act_type", &n);
	rc = mrm_buf_addc(out, ',');
	for (size_t i = 0; !rc && i < n; i++)
		if (under(v, terms[i].code, top))
			rc = mrm_buf_addf(out, "%s,", terms[i].code);
	return rc ? no_memory(err) : 0;
}

static int filter_date(struct mrm_store *st, const char *name,
		       const char *value, struct mrm_buf *out,
		       struct mrm_error *err)
{
	int rc = mrm_field_normalise(
		&mrm_fields[mrm_field_index("event.start_date")], value, NULL,
		mrm_store_vocab(st), out, err);

	if (rc == MRM_ERR_INVALID)
		snprintf(err->where, sizeof(err->where), "%s", name);
	return rc;
}

static int filter_resolve(struct mrm_store *st,
			  const struct mrm_event_filter *f,
			  struct filter_values *fv, struct mrm_error *err)
{
	int rc = 0;

	memset(fv, 0, sizeof(*fv));
	mrm_buf_init(&fv->types, 1u << 16);
	mrm_buf_init(&fv->from, 64);
	mrm_buf_init(&fv->to, 64);
	mrm_buf_init(&fv->like, Q_MAX + 8);
	if (!f)
		return 0;
	if (f->country && *f->country &&
	    !(fv->country = mrm_vocab_resolve(mrm_store_vocab(st), "country",
					      f->country)))
		return bad_value(st, "country", "country", f->country, err);
	if (f->act_type && *f->act_type)
		rc = act_types(st, f->act_type, &fv->types, err);
	if (!rc && f->from && *f->from)
		rc = filter_date(st, "from", f->from, &fv->from, err);
	if (!rc && f->to && *f->to)
		rc = filter_date(st, "to", f->to, &fv->to, err);
	if (rc || !f->q || !*f->q)
		return rc;
	if (strlen(f->q) > Q_MAX ||
	    mrm_utf8_check(f->q, strlen(f->q)) != strlen(f->q))
		return mrm_error_set(err, MRM_ERR_INVALID, "q",
				     "give valid UTF-8 text of at most %d "
				     "bytes to search for",
				     Q_MAX);
	/* as mrm_search(): the trigram index for three characters or more
	 * without LIKE wildcards, else a scan */
	if (mrm_utf8_length(f->q, strlen(f->q)) >= 3 && !strpbrk(f->q, "%_"))
		return mrm_buf_addf(&fv->like, "%%%s%%", f->q) ? no_memory(err)
							       : 0;
	fv->scan = f->q;
	return 0;
}

static void filter_release(struct filter_values *fv)
{
	mrm_buf_release(&fv->types);
	mrm_buf_release(&fv->from);
	mrm_buf_release(&fv->to);
	mrm_buf_release(&fv->like);
}

/*
 * ?1 the cursor, ?2 a country, ?3 ",types,", ?4 from, ?5 to (dates meet
 * them when they agree at the shorter precision), ?6 a LIKE pattern for
 * the trigram index, ?7 text for a scan. A NULL parameter does not filter.
 */
/* clang-format off */
static const char list_sql[] =
	"SELECT e.id, e.key, o.code, e.title, coalesce(e.start_date, ''),"
	" coalesce(e.end_date, ''), coalesce(e.country, ''),"
	" coalesce(e.admin1, ''), coalesce(e.place, ''), e.org_id"
	" FROM event e JOIN org o ON o.id = e.org_id"
	" WHERE e.id < ?1"
	" AND (?2 IS NULL OR e.country = ?2)"
	" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM act a"
	"      WHERE a.event_id = e.id AND instr(?3, ',' || a.type || ',')))"
	" AND (?4 IS NULL OR"
	"      substr(coalesce(e.end_date, e.start_date), 1, length(?4))"
	"      >= substr(?4, 1, length(coalesce(e.end_date, e.start_date))))"
	" AND (?5 IS NULL OR"
	"      substr(e.start_date, 1, length(?5))"
	"      <= substr(?5, 1, length(e.start_date)))"
	" AND (?6 IS NULL OR e.id IN (SELECT rowid FROM event_fts"
	"      WHERE title LIKE ?6 OR summary LIKE ?6 OR place LIKE ?6))"
	" AND (?7 IS NULL OR instr(lower(e.title), lower(?7))"
	"      OR instr(lower(coalesce(e.summary, '')), lower(?7))"
	"      OR instr(lower(coalesce(e.place, '')), lower(?7)))"
	" ORDER BY e.id DESC";
/* clang-format on */

static void bind_opt(sqlite3_stmt *s, int i, const struct mrm_buf *b)
{
	if (b->len)
		sqlite3_bind_text(s, i, b->ptr, (int)b->len, SQLITE_STATIC);
}

static int check_limit(unsigned limit, struct mrm_error *err)
{
	if (limit < 1 || limit > MRM_LIST_LIMIT_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "limit",
				     "must be 1 to %d", MRM_LIST_LIMIT_MAX);
	return 0;
}

/*
 * Read access for a list, asked once per organisation: when `who` may read
 * an organisation's records as a whole, each of its records is readable;
 * when not, each record is asked about (it may be shared). 1, 0 or a
 * negative code.
 */
#define ORGS_CACHED 32
struct org_cache {
	int64_t org[ORGS_CACHED];
	int ok[ORGS_CACHED];
	int n;
};

static int readable(struct mrm_store *st, const struct mrm_actor *who,
		    struct org_cache *c, int64_t org, int64_t event,
		    struct mrm_error *err)
{
	int i, ok;

	for (i = 0; i < c->n && c->org[i] != org; i++)
		;
	if (i < c->n) {
		ok = c->ok[i];
	} else {
		ok = may(st, who, MRM_ACT_READ_RECORDS, org, 0, NULL, err);
		if (ok < 0)
			return ok;
		if (c->n < ORGS_CACHED) {
			c->org[c->n] = org;
			c->ok[c->n++] = ok;
		}
	}
	if (ok || !event)
		return ok;
	return may(st, who, MRM_ACT_READ_RECORDS, org, event, NULL, err);
}

/* Where a list stands: pages of `limit` visible records. */
struct pager {
	unsigned limit, n, scanned;
	int64_t last_item, last_scanned;
};

/*
 * Take row `id`: 1 to hand it out, 0 to skip it, 2 when the page is full
 * (or the scan long enough) and *next is set.
 */
static int pager_take(struct pager *p, int64_t id, int visible, int64_t *next)
{
	if (p->scanned++ >= MRM_LIST_SCAN_MAX) {
		*next = p->last_scanned;
		return 2;
	}
	p->last_scanned = id;
	if (!visible)
		return 0;
	if (p->n == p->limit) {
		*next = p->last_item; /* there is more to see */
		return 2;
	}
	p->n++;
	p->last_item = id;
	return 1;
}

static int list_rows(struct mrm_store *st, const struct mrm_actor *who,
		     sqlite3_stmt *s, unsigned limit,
		     int (*cb)(void *ctx, const struct mrm_event_brief *e),
		     void *ctx, int64_t *next, struct mrm_error *err)
{
	struct pager p = {.limit = limit};
	struct org_cache orgs = {.n = 0};
	int rc = 0, step;

	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		int take = readable(st, who, &orgs, sqlite3_column_int64(s, 9),
				    id, err);

		if (take < 0)
			return take;
		take = pager_take(&p, id, take, next);
		if (take == 2)
			return 0;
		if (take) {
			const char *t[9];

			for (int i = 1; i < 9; i++)
				t[i] = (const char *)sqlite3_column_text(s, i);
			rc = cb(ctx, &(struct mrm_event_brief){
					     id, t[1], t[2], t[3], t[4], t[5],
					     t[6], t[7], t[8]});
			if (rc)
				return rc;
		}
	}
	return step == SQLITE_DONE ? 0 : mrm_store_fail(st, err, "events");
}

int mrm_event_list(struct mrm_store *st, const struct mrm_actor *who,
		   const struct mrm_event_filter *f, int64_t before,
		   unsigned limit,
		   int (*cb)(void *ctx, const struct mrm_event_brief *e),
		   void *ctx, int64_t *next, struct mrm_error *err)
{
	struct filter_values fv;
	sqlite3_stmt *s = NULL;
	int rc;

	*next = 0;
	rc = filter_resolve(st, f, &fv, err);
	if (!rc)
		rc = check_limit(limit, err);
	if (rc)
		goto out;
	if (sqlite3_prepare_v2(mrm_store_db(st), list_sql, -1, &s, NULL)) {
		rc = mrm_store_fail(st, err, "listing events");
		goto out;
	}
	sqlite3_bind_int64(s, 1, before > 0 ? before : INT64_MAX);
	if (fv.country)
		sqlite3_bind_text(s, 2, fv.country, -1, SQLITE_STATIC);
	bind_opt(s, 3, &fv.types);
	bind_opt(s, 4, &fv.from);
	bind_opt(s, 5, &fv.to);
	bind_opt(s, 6, &fv.like);
	if (fv.scan)
		sqlite3_bind_text(s, 7, fv.scan, -1, SQLITE_STATIC);
	rc = list_rows(st, who, s, limit, cb, ctx, next, err);
out:
	sqlite3_finalize(s);
	filter_release(&fv);
	return rc;
}

/* ---- one event ---- */

/* One "decrypt" entry per record of `table` in ids[0..n), in a transaction
 * of their own: `who` was given their sensitive fields in clear. */
static int audit_decrypt(struct mrm_store *st, const struct mrm_actor *who,
			 const char *table, const int64_t *ids, size_t n,
			 struct mrm_error *err)
{
	struct mrm_audit_entry e = {.action = "decrypt",
				    .table = table,
				    .user_id = who->user_id,
				    .actor = who->login};
	int rc = n ? mrm_store_begin(st, err) : 0;

	for (size_t i = 0; !rc && i < n; i++) {
		e.record = ids[i];
		rc = mrm_audit_append(st, &e, err);
	}
	if (!rc && n)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

/* The event as `who` may see it; *ident tells whether `who` may read its
 * identities. `keep`: in a read transaction of its own, where the
 * connection's kept text (evcache.h) may serve. */
static int visible_text(struct mrm_store *st, const struct mrm_actor *who,
			int64_t id, enum mrm_reveal reveal, int keep,
			int *ident, struct mrm_buf *out, struct mrm_error *err)
{
	int64_t org = 0;
	size_t start;
	int rc, ok, show;

	rc = mrm_event_owner(st, id, &org, err);
	if (rc)
		return rc;
	ok = may(st, who, MRM_ACT_READ_RECORDS, org, id, err, err);
	if (ok < 0)
		return ok;
	/* Another organisation's record is answered like a missing one:
	 * which ids it holds is not the asker's to learn. (A role that reads
	 * no records at all is told so.) */
	if (!ok &&
	    may(st, who, MRM_ACT_READ_RECORDS, who->org_id, 0, NULL, NULL) > 0)
		return mrm_error_set(err, MRM_ERR_NOTFOUND, "event",
				     "no event with id %lld", (long long)id);
	if (!ok)
		return MRM_ERR_ACCESS;
	*ident = may(st, who, MRM_ACT_READ_IDENTITY, org, id, NULL, err);
	if (*ident < 0)
		return *ident;
	show = *ident && reveal == MRM_REVEAL_IDENTITIES;
	if (show || !keep) /* text with identities is never kept */
		return mrm_event_text(st, id, 1, show, out, err);
	start = out->len;
	if ((rc = evcache_get(st, id, out)))
		return rc < 0 ? no_memory(err) : 0;
	rc = mrm_event_text(st, id, 1, 0, out, err);
	if (!rc)
		evcache_put(st, id, out->ptr + start, out->len - start);
	return rc;
}

int mrm_event_visible_text(struct mrm_store *st, const struct mrm_actor *who,
			   int64_t id, enum mrm_reveal reveal, int *revealable,
			   struct mrm_buf *out, struct mrm_error *err)
{
	int own = sqlite3_get_autocommit(mrm_store_db(st)), rc, ident = 0;
	size_t start = out->len;
	sqlite3_stmt *s;

	/* one snapshot, and one lock of the file rather than one per
	 * statement */
	if (own && (!(s = mrm_store_prepare(st, "BEGIN")) ||
		    sqlite3_step(s) != SQLITE_DONE))
		return mrm_store_fail(st, err, "events");
	rc = visible_text(st, who, id, reveal, own, &ident, out, err);
	if (own && (s = mrm_store_prepare(st, "COMMIT")))
		sqlite3_step(s);
	/* after the read: the entry needs a write transaction */
	if (!rc && ident > 0 && reveal == MRM_REVEAL_IDENTITIES)
		rc = audit_decrypt(st, who, "event", &id, 1, err);
	if (rc && out->ptr) {
		out->len = start;
		out->ptr[start] = '\0';
	}
	if (revealable)
		*revealable = !rc && ident > 0;
	return rc;
}

int mrm_event_visible_json(struct mrm_store *st, const struct mrm_actor *who,
			   int64_t id, enum mrm_reveal reveal, int *revealable,
			   json_t **out, struct mrm_error *err)
{
	struct mrm_buf text = MRM_BUF_INIT((size_t)1 << 30);
	json_error_t jerr;
	int rc = mrm_event_visible_text(st, who, id, reveal, revealable, &text,
					err);

	*out = NULL;
	if (!rc &&
	    !(*out = json_loadb(text.ptr, text.len, JSON_ALLOW_NUL, &jerr)))
		rc = no_memory(err);
	mrm_buf_release(&text);
	return rc;
}

/* ---- creating an event ---- */

static int invalid(struct mrm_error *err, const char *where, const char *msg)
{
	return mrm_error_set(err, MRM_ERR_INVALID, where, "%s", msg);
}

/* Check and remove the read-only members of `o` (at `path`). */
static int drop_readonly(json_t *o, const char *path, struct mrm_error *err)
{
	static const char *const prec[] = {"start_precision", "end_precision"};
	static const char *const words[] = {"day", "month", "year", "unknown"};
	char where[300];

	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(o, prec[i]);
		int ok = 0;

		if (!v)
			continue;
		for (int w = 0; json_is_string(v) && w < 4; w++)
			ok |= !strcmp(json_string_value(v), words[w]);
		snprintf(where, sizeof(where), "%s%s%s", path, *path ? "." : "",
			 prec[i]);
		if (!ok)
			return invalid(err, where,
				       "must be day, month, year or unknown "
				       "(it follows from the date)");
		json_object_del(o, prec[i]);
	}
	return 0;
}

/* An array of objects at o[key] (or nothing), each checked by drop_readonly. */
static int check_list(json_t *ev, const char *key, struct mrm_error *err)
{
	json_t *list = json_object_get(ev, key), *o;
	char where[64];
	size_t i;
	int rc = 0;

	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return invalid(err, key, "must be an array of objects");
	json_array_foreach(list, i, o)
	{
		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		if (!json_is_object(o))
			return invalid(err, where, "must be an object");
		if (!rc)
			rc = drop_readonly(o, where, err);
	}
	return rc;
}

static int check_attrs(json_t *ev, struct mrm_error *err)
{
	json_t *attrs = json_object_get(ev, "attrs"), *vals, *v;
	const char *name;
	char where[300];
	size_t i;

	if (!attrs || json_is_null(attrs))
		return 0;
	if (!json_is_object(attrs))
		return invalid(err, "attrs",
			       "must be an object of arrays of strings");
	json_object_foreach(attrs, name, vals)
	{
		snprintf(where, sizeof(where), "attrs.%.200s", name);
		if (!json_is_array(vals))
			return invalid(err, where,
				       "must be an array of strings");
		json_array_foreach(vals, i, v)
		{
			if (!json_is_string(v))
				return invalid(err, where,
					       "must be an array of strings");
		}
	}
	return 0;
}

/* The shape the importer does not check itself, and the read-only members. */
static int check_shape(json_t *ev, struct mrm_error *err)
{
	json_t *id = json_object_get(ev, "id");
	int rc;

	if (id && !json_is_null(id) && !json_is_integer(id))
		return invalid(err, "id",
			       "is given by the server; leave it out");
	json_object_del(ev, "id");
	rc = drop_readonly(ev, "", err);
	if (!rc)
		rc = check_list(ev, "acts", err);
	if (!rc)
		rc = check_list(ev, "sources", err);
	if (!rc)
		rc = check_list(ev, "interventions", err);
	return rc ? rc : check_attrs(ev, err);
}

/* The owner of a new event: its "org", or the actor's organisation. */
static int new_owner(struct mrm_store *st, const struct mrm_actor *who,
		     json_t *ev, const char **code, int64_t *org,
		     struct mrm_error *err)
{
	json_t *v = json_object_get(ev, "org");
	struct mrm_error e;
	int ok;

	*code = who->org;
	*org = who->org_id;
	if (v && !json_is_null(v)) {
		if (!json_is_string(v))
			return invalid(err, "org",
				       "must be an organisation code");
		*code = json_string_value(v);
		if (mrm_org_id(st, *code, org, &e)) {
			if (e.code != MRM_ERR_NOTFOUND) {
				*err = e;
				return e.code;
			}
			return mrm_error_set(err, MRM_ERR_INVALID, "org", "%s",
					     e.msg);
		}
	}
	ok = may(st, who, MRM_ACT_WRITE_RECORDS, *org, 0, err, err);
	return ok < 0 ? ok : ok ? 0 : MRM_ERR_ACCESS;
}

static int give_key(json_t *ev, struct mrm_error *err)
{
	json_t *v = json_object_get(ev, "key");
	unsigned char rnd[KEY_RANDOM];
	char key[4 + 2 * KEY_RANDOM + 1];

	if (v && !json_is_null(v))
		return 0;
	randombytes_buf(rnd, sizeof(rnd));
	memcpy(key, "web-", 4);
	sodium_bin2hex(key + 4, sizeof(key) - 4, rnd, sizeof(rnd));
	return json_object_set_new(ev, "key", json_string(key)) ? no_memory(err)
								: 0;
}

/* The first problem of the import, located by the member's path. */
struct first_problem {
	struct mrm_error e;
	int n;
};

#define IMPORT_NAME "web"
#define EVENT_PATH  IMPORT_NAME ": events[0]"

static void keep_first(void *ctx, const struct mrm_error *e)
{
	struct first_problem *p = ctx;
	const char *w = e->where;

	if (p->n++)
		return;
	p->e = *e;
	/* "web: events[0].acts[1].type", or "web: events[0] event.title" */
	if (!strncmp(w, EVENT_PATH, strlen(EVENT_PATH)))
		w += strlen(EVENT_PATH);
	if (*w == '.' || *w == ' ')
		w++;
	if (!strncmp(w, "event.", 6))
		w += 6;
	snprintf(p->e.where, sizeof(p->e.where), "%s", w);
}

/* Import `ev` as the one event of an export document. */
static int import_one(struct mrm_store *st, json_t *ev, const char *org,
		      struct mrm_import_stats *stats, struct mrm_error *err)
{
	struct first_problem first = {0};
	struct mrm_import_opts o = {.org = org, .max_errors = 1};
	json_t *doc = json_pack("{s:s, s:[O]}", "format", "mrm-export/1",
				"events", ev);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	FILE *fp = text ? fmemopen(text, strlen(text), "r") : NULL;
	int rc;

	o.on_error = keep_first;
	o.ctx = &first;
	if (!fp) {
		rc = no_memory(err);
		goto out;
	}
	rc = mrm_import_json(st, fp, IMPORT_NAME, &o, stats, err);
	if (rc && first.n) {
		*err = first.e;
		rc = err->code = MRM_ERR_INVALID;
	}
out:
	if (fp)
		fclose(fp);
	free(text);
	json_decref(doc);
	return rc;
}

static int event_id_of(struct mrm_store *st, int64_t org, const char *key,
		       int64_t *id, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(mrm_store_db(st),
			       "SELECT id FROM event WHERE org_id = ? AND "
			       "key = ?",
			       -1, &s, NULL) ||
	    sqlite3_bind_int64(s, 1, org) ||
	    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC) ||
	    sqlite3_step(s) != SQLITE_ROW)
		rc = mrm_store_fail(st, err, "finding the new event");
	else
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

int mrm_event_create_json(struct mrm_store *st, const struct mrm_actor *who,
			  const json_t *event, int64_t *id,
			  struct mrm_error *err)
{
	struct mrm_import_stats stats;
	json_t *ev = NULL;
	const char *code;
	int64_t org = 0;
	int rc;

	*id = 0;
	if (!json_is_object(event))
		return invalid(err, "", "an event must be a JSON object");
	ev = json_deep_copy(event);
	if (!ev)
		return no_memory(err);
	rc = check_shape(ev, err);
	if (!rc)
		rc = new_owner(st, who, ev, &code, &org, err);
	if (!rc)
		rc = give_key(ev, err);
	if (!rc)
		rc = import_one(st, ev, code, &stats, err);
	if (!rc && stats.events_existing)
		rc = mrm_error_set(err, MRM_ERR_EXISTS, "key",
				   "organisation %s already has an event with "
				   "this key",
				   code);
	if (!rc)
		rc = event_id_of(st, org,
				 json_string_value(json_object_get(ev, "key")),
				 id, err);
	json_decref(ev);
	return rc;
}

/* ---- victims ---- */

static int person_field(struct mrm_store *st, sqlite3_stmt *s, int col,
			const struct mrm_field *f, int64_t id, int64_t org,
			int identities, json_t *o, struct mrm_buf *plain,
			struct mrm_error *err)
{
	const char *key = f->name + strlen("victim.");
	char ad[128];
	json_t *v;
	int rc;

	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return 0;
	switch (f->type) {
	case MRM_F_SECRET:
		if (!identities)
			return 0;
		snprintf(ad, sizeof(ad), "person/%lld/%s", (long long)id,
			 f->column);
		mrm_buf_reset(plain);
		rc = mrm_store_unseal_shown(
			st, org, ad, sqlite3_column_blob(s, col),
			(size_t)sqlite3_column_bytes(s, col), plain, err);
		if (rc < 0)
			return rc;
		v = json_stringn(mrm_buf_str(plain), plain->len);
		break;
	case MRM_F_INT: v = json_integer(sqlite3_column_int64(s, col)); break;
	case MRM_F_BOOL: v = json_boolean(sqlite3_column_int(s, col)); break;
	case MRM_F_REAL: v = json_real(sqlite3_column_double(s, col)); break;
	default: v = json_string((const char *)sqlite3_column_text(s, col));
	}
	return json_object_set_new(o, key, v) ? no_memory(err) : 0;
}

/* Does the person row of `s` (fields from column `col`) hold a sensitive
 * value? */
static int has_secret(sqlite3_stmt *s, int col)
{
	for (size_t i = 0; i < mrm_field_count; i++) {
		if (mrm_fields[i].ent != MRM_ENT_VICTIM)
			continue;
		if (mrm_fields[i].type == MRM_F_SECRET &&
		    sqlite3_column_type(s, col) != SQLITE_NULL)
			return 1;
		col++;
	}
	return 0;
}

static int person_json(struct mrm_store *st, const struct mrm_actor *who,
		       enum mrm_reveal reveal, sqlite3_stmt *s, json_t **out,
		       struct mrm_buf *plain, struct mrm_buf *shown,
		       struct mrm_error *err)
{
	int64_t id = sqlite3_column_int64(s, 0),
		org = sqlite3_column_int64(s, 1);
	int ident = reveal != MRM_REVEAL_IDENTITIES
			    ? 0
			    : may(st, who, MRM_ACT_READ_IDENTITY, org, 0, NULL,
				  err);
	json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)id, "org",
			      (const char *)sqlite3_column_text(s, 2));
	int rc = ident < 0 ? ident : o ? 0 : no_memory(err), col = 3;

	for (size_t i = 0; !rc && i < mrm_field_count; i++)
		if (mrm_fields[i].ent == MRM_ENT_VICTIM)
			rc = person_field(st, s, col++, &mrm_fields[i], id, org,
					  ident, o, plain, err);
	if (!rc && ident > 0 && has_secret(s, 3) &&
	    mrm_buf_add(shown, &id, sizeof(id)))
		rc = no_memory(err);
	if (rc) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}

static int person_rows(struct mrm_store *st, const struct mrm_actor *who,
		       enum mrm_reveal reveal, sqlite3_stmt *s, unsigned limit,
		       int (*cb)(void *ctx, json_t *person), void *ctx,
		       int64_t *next, struct mrm_buf *shown,
		       struct mrm_error *err)
{
	struct mrm_buf plain = MRM_BUF_INIT(64u << 20);
	struct pager p = {.limit = limit};
	struct org_cache orgs = {.n = 0};
	int rc = 0, step = SQLITE_DONE;

	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		int take = readable(st, who, &orgs, sqlite3_column_int64(s, 1),
				    0, err);
		json_t *o = NULL;

		if (take < 0) {
			rc = take;
			break;
		}
		take = pager_take(&p, id, take, next);
		if (take == 2)
			break;
		if (take)
			rc = person_json(st, who, reveal, s, &o, &plain, shown,
					 err);
		if (!rc && o)
			rc = cb(ctx, o);
		json_decref(o);
	}
	if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "victims");
	mrm_buf_release(&plain);
	return rc;
}

int mrm_person_list(struct mrm_store *st, const struct mrm_actor *who,
		    enum mrm_reveal reveal, int64_t before, unsigned limit,
		    int (*cb)(void *ctx, json_t *person), void *ctx,
		    int64_t *next, struct mrm_error *err)
{
	struct mrm_buf sql = MRM_BUF_INIT(8192);
	struct mrm_buf shown = MRM_BUF_INIT(MRM_LIST_LIMIT_MAX * 8 + 64);
	sqlite3_stmt *s = NULL;
	int rc = check_limit(limit, err);

	*next = 0;
	if (rc)
		return rc;
	mrm_buf_adds(&sql, "SELECT id, org_id, (SELECT code FROM org WHERE "
			   "org.id = person.org_id)");
	for (size_t i = 0; i < mrm_field_count; i++)
		if (mrm_fields[i].ent == MRM_ENT_VICTIM)
			mrm_buf_addf(&sql, ", %s", mrm_fields[i].column);
	if (mrm_buf_adds(&sql, " FROM person WHERE id < ? ORDER BY id DESC") ||
	    sqlite3_prepare_v2(mrm_store_db(st), mrm_buf_str(&sql), -1, &s,
			       NULL)) {
		rc = mrm_store_fail(st, err, "listing victims");
		goto out;
	}
	sqlite3_bind_int64(s, 1, before > 0 ? before : INT64_MAX);
	rc = person_rows(st, who, reveal, s, limit, cb, ctx, next, &shown, err);
out:
	sqlite3_finalize(s);
	if (!rc) /* after the statement ends: the entries need a write */
		rc = audit_decrypt(st, who, "person",
				   (const int64_t *)shown.ptr,
				   shown.len / sizeof(int64_t), err);
	mrm_buf_release(&shown);
	mrm_buf_release(&sql);
	return rc;
}

/* ---- imports ---- */

/* A shipped mapping by name (never a file of the server's). */
static int shipped_mapping(const char *name, struct mrm_mapping **out,
			   struct mrm_error *err)
{
	const struct mrm_embedded *e = NULL;
	struct mrm_buf known = MRM_BUF_INIT(4096);
	char path[128];
	int ok = *name && strlen(name) < 64;

	for (const char *p = name; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || *p == '-' || *p == '_';
	snprintf(path, sizeof(path), "mappings/%s.json", name);
	if (ok)
		e = mrm_embedded_find(path);
	if (e)
		return mrm_mapping_parse(out, (const char *)e->data, e->len,
					 path, err);
	for (const struct mrm_embedded *f = mrm_embedded_files; f->path; f++) {
		size_t n = strlen(f->path);

		if (!strncmp(f->path, "mappings/", 9) && n > 14 &&
		    !strcmp(f->path + n - 5, ".json"))
			mrm_buf_addf(&known, "%s%.*s", known.len ? ", " : "",
				     (int)(n - 14), f->path + 9);
	}
	ok = mrm_error_set(err, MRM_ERR_INVALID, "mapping",
			   "no shipped mapping \"%.64s\"; shipped: %s", name,
			   known.len ? mrm_buf_str(&known) : "none");
	mrm_buf_release(&known);
	return ok;
}

/* Point `fields` (room for `cap`) at the reader's current record. */
static size_t record_fields(struct mrm_csv_reader *r, const char **fields,
			    size_t cap)
{
	size_t n = mrm_csv_nfields(r);

	n = n < cap ? n : cap;
	for (size_t i = 0; i < n; i++)
		fields[i] = mrm_csv_field(r, i, NULL);
	return n;
}

static void ignore_problem(void *ctx, int col, const struct mrm_error *e)
{
	(void)ctx, (void)col, (void)e;
}

/* May `who` write records of organisation `code` (named at `line`)? */
static int owner_allowed(struct mrm_store *st, const struct mrm_actor *who,
			 struct mrm_hmap *seen, const char *code,
			 const char *name, unsigned long line,
			 struct mrm_error *err)
{
	struct mrm_error why;
	int64_t org = 0;
	int ok;

	if (mrm_hmap_get(seen, code, NULL))
		return 0;
	if (mrm_hmap_put(seen, code, 1))
		return no_memory(err);
	if (mrm_org_id(st, code, &org, NULL))
		return 0; /* unknown: the import says so */
	ok = may(st, who, MRM_ACT_WRITE_RECORDS, org, 0, &why, err);
	if (ok)
		return ok < 0 ? ok : 0;
	return mrm_error_set(err, MRM_ERR_ACCESS, NULL,
			     "%s:%lu: the row belongs to organisation %s: %s",
			     name, line, code, why.msg);
}

/*
 * Read the file as the import will (the same mapping) and check the owner
 * of every row, before anything is written.
 */
static int check_owners(struct mrm_store *st, const struct mrm_actor *who,
			FILE *fp, const char *name, struct mrm_mapping *map,
			struct mrm_error *err)
{
	const char **fields = malloc(MRM_CSV_MAX_FIELDS * sizeof(*fields));
	struct mrm_csv_reader *r = NULL;
	struct mrm_mapping *native = NULL;
	struct rec_row row;
	struct mrm_hmap seen;
	int f = mrm_field_index("event.org"), rc, got;
	size_t n;

	rec_row_init(&row);
	mrm_hmap_init(&seen);
	if (!fields)
		return no_memory(err);
	rc = mrm_csv_reader_new(&r, fp, name, NULL, err);
	if (rc || mrm_csv_next(r, NULL) != 1)
		goto out; /* the import tells what is wrong */
	n = record_fields(r, fields, MRM_CSV_MAX_FIELDS);
	if (map ? mapping_bind(map, fields, n, name, NULL)
		: mapping_native(&native, fields, n, name, NULL))
		goto out;
	while (!rc && (got = mrm_csv_next(r, NULL)) != 0) {
		const char *org;

		if (got < 0) {
			if (!mrm_csv_recoverable(r))
				break;
			continue;
		}
		n = record_fields(r, fields, MRM_CSV_MAX_FIELDS);
		rec_row_reset(&row);
		if (mapping_apply(map ? map : native, fields, n,
				  mrm_store_vocab(st), &row, ignore_problem,
				  NULL) < 0) {
			rc = no_memory(err);
			break;
		}
		org = rec_get(&row, &row.event, f);
		if (org)
			rc = owner_allowed(st, who, &seen, org, name,
					   mrm_csv_line(r), err);
	}
out:
	mrm_csv_reader_free(r);
	mrm_mapping_free(native);
	rec_row_release(&row);
	mrm_hmap_release(&seen);
	free(fields);
	return rc;
}

/* The owner of every row of a wage or recruitment-cost file (its "org"
 * column, when it has one), before anything is written. */
static int check_labour_owners(struct mrm_store *st,
			       const struct mrm_actor *who, FILE *fp,
			       const char *name, struct mrm_error *err)
{
	struct mrm_csv_reader *r = NULL;
	struct mrm_hmap seen;
	size_t col = SIZE_MAX;
	int rc, got;

	mrm_hmap_init(&seen);
	rc = mrm_csv_reader_new(&r, fp, name, NULL, err);
	if (rc || mrm_csv_next(r, NULL) != 1)
		goto out; /* the import tells what is wrong */
	for (size_t i = 0; i < mrm_csv_nfields(r); i++)
		if (!strcmp(mrm_csv_field(r, i, NULL), "org"))
			col = i;
	while (!rc && col != SIZE_MAX && (got = mrm_csv_next(r, NULL)) != 0) {
		const char *org;

		if (got < 0) {
			if (!mrm_csv_recoverable(r))
				break;
			continue;
		}
		org = mrm_csv_field(r, col, NULL); /* NULL past the row */
		if (org && *org)
			rc = owner_allowed(st, who, &seen, org, name,
					   mrm_csv_line(r), err);
	}
out:
	mrm_csv_reader_free(r);
	mrm_hmap_release(&seen);
	return rc;
}

/* The options of an import by `who` (opts, or none, owned by `who`'s
 * organisation), if `who` may write its records at all. */
static int import_opts(struct mrm_store *st, const struct mrm_actor *who,
		       const struct mrm_import_opts *opts,
		       struct mrm_import_opts *o, struct mrm_error *err)
{
	int ok = may(st, who, MRM_ACT_WRITE_RECORDS, who->org_id, 0, err, err);

	if (opts)
		*o = *opts;
	else
		memset(o, 0, sizeof(*o));
	o->org = who->org;
	return ok < 0 ? ok : ok ? 0 : MRM_ERR_ACCESS;
}

/* Back to the start of `fp`, after the owners were checked. */
static int read_again(FILE *fp, const char *name, struct mrm_error *err)
{
	return fseek(fp, 0, SEEK_SET) ? mrm_error_set(err, MRM_ERR_IO, name,
						      "cannot read the file "
						      "again")
				      : 0;
}

int mrm_event_import_labour_csv(struct mrm_store *st,
				const struct mrm_actor *who, FILE *fp,
				const char *name, const char *what,
				const struct mrm_import_opts *opts,
				unsigned long *added, struct mrm_error *err)
{
	struct mrm_import_opts o;
	int rc = import_opts(st, who, opts, &o, err);

	*added = 0;
	if (!rc)
		rc = check_labour_owners(st, who, fp, name, err);
	if (!rc)
		rc = read_again(fp, name, err);
	if (!rc)
		rc = mrm_import_labour_csv(st, fp, name, what, &o, added, err);
	return rc;
}

int mrm_event_import_csv(struct mrm_store *st, const struct mrm_actor *who,
			 FILE *fp, const char *name, const char *mapping,
			 const struct mrm_import_opts *opts,
			 struct mrm_import_stats *stats, struct mrm_error *err)
{
	struct mrm_mapping *map = NULL;
	struct mrm_import_opts o;
	int rc = import_opts(st, who, opts, &o, err);

	memset(stats, 0, sizeof(*stats));
	if (!rc && mapping)
		rc = shipped_mapping(mapping, &map, err);
	if (!rc)
		rc = check_owners(st, who, fp, name, map, err);
	if (!rc)
		rc = read_again(fp, name, err);
	o.mapping = map;
	if (!rc)
		rc = mrm_import_csv(st, fp, name, &o, stats, err);
	mrm_mapping_free(map);
	return rc;
}
