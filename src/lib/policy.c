/* policy.c - see include/mrm/policy.h (the register and the links; the
 * comparison is in policy_impact.c) */
#include "mrm/policy.h"

#include "mrm/audit.h"

#include "mrm/csv.h"
#include "mrm/embedded.h"
#include "mrm/fields.h"
#include "mrm/store.h"
#include "mrm/utf8.h"
#include "mrm/vocab.h"
#include "policy_internal.h"

#include <ctype.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define POLICY_FILE "data/reference/policies.csv"
#define DIGEST_KEY  "policies_digest"

const char *const mrm_policy_instruments[] = {"law",
					      "decree",
					      "regulation",
					      "mou",
					      "cabinet_resolution",
					      "declaration",
					      "announcement",
					      "measure",
					      NULL};

const char *const mrm_policy_regions[] = {"ASEAN", "CLMTV", NULL};
static const char *const region_members[] = {
	"BN,KH,ID,LA,MY,MM,PH,SG,TH,VN", /* ASEAN */
	"KH,LA,MM,TH,VN",		 /* CLMTV */
};

static const char csv_header[] =
	"key,country,instrument,title,summary,adopted,effective_from,"
	"effective_to,source,source_url,estimate,note";
#define CSV_COLS 12

/* ---- checks ---- */

const char *policy_region_members(const char *code)
{
	for (size_t i = 0; mrm_policy_regions[i]; i++)
		if (!strcmp(code, mrm_policy_regions[i]))
			return region_members[i];
	return NULL;
}

int policy_country(const struct mrm_vocab *v, const char *where,
		   const char *given, const char **out, struct mrm_error *err)
{
	char near[256];

	for (size_t i = 0; mrm_policy_regions[i]; i++)
		if (!strcasecmp(given, mrm_policy_regions[i])) {
			*out = mrm_policy_regions[i];
			return 0;
		}
	*out = *given ? mrm_vocab_resolve(v, "country", given) : NULL;
	if (*out)
		return 0;
	mrm_vocab_suggest(v, "country", given, near, sizeof(near));
	return mrm_error_set(err, MRM_ERR_INVALID, where,
			     "unknown country \"%s\": give an ISO 3166-1 code "
			     "(closest: %s) or a grouping (ASEAN, CLMTV)",
			     given, near);
}

int policy_date(const char *where, const char *given, struct mrm_buf *out,
		struct mrm_error *err)
{
	const struct mrm_field *f =
		&mrm_fields[mrm_field_index("event.start_date")];
	int rc;

	mrm_buf_reset(out);
	rc = mrm_field_normalise(f, given, NULL, NULL, out, err);
	if (rc && err)
		snprintf(err->where, sizeof(err->where), "%s", where);
	return rc;
}

static int check_key(const char *key, struct mrm_error *err)
{
	size_t n = strlen(key);

	if (n < 2 || n > MRM_POLICY_KEY_MAX || !islower((unsigned char)*key))
		return mrm_error_set(err, MRM_ERR_INVALID, "key",
				     "\"%s\": a key is 2 to %d characters and "
				     "starts with a lower-case letter "
				     "(th-crackdown-2014-06)",
				     key, MRM_POLICY_KEY_MAX);
	for (const char *p = key; *p; p++)
		if (!islower((unsigned char)*p) &&
		    !isdigit((unsigned char)*p) && *p != '-')
			return mrm_error_set(err, MRM_ERR_INVALID, "key",
					     "\"%s\": only a-z, 0-9 and \"-\" "
					     "are allowed",
					     key);
	return 0;
}

static int check_text(const char *what, const char *s, int required,
		      struct mrm_error *err)
{
	size_t n = s ? strlen(s) : 0;

	if (!n && required)
		return mrm_error_set(err, MRM_ERR_INVALID, what, "is required");
	if (n > MRM_POLICY_TEXT_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, what,
				     "is %zu bytes; at most %d", n,
				     MRM_POLICY_TEXT_MAX);
	if (mrm_utf8_check(s ? s : "", n) != n)
		return mrm_error_set(err, MRM_ERR_INVALID, what,
				     "invalid UTF-8 at byte %zu",
				     mrm_utf8_check(s, n));
	return 0;
}

static int check_instrument(const char *s, struct mrm_error *err)
{
	for (size_t i = 0; mrm_policy_instruments[i]; i++)
		if (s && !strcmp(s, mrm_policy_instruments[i]))
			return 0;
	return mrm_error_set(err, MRM_ERR_INVALID, "instrument",
			     "unknown instrument \"%s\"; valid: law, decree, "
			     "regulation, mou, cabinet_resolution, "
			     "declaration, announcement, measure",
			     s ? s : "");
}

/* A policy checked and in canonical form. */
struct checked {
	const char *country;	/* owned by the vocabulary or static */
	struct mrm_buf date[3]; /* adopted, effective_from, effective_to */
};

static void checked_release(struct checked *c)
{
	for (int i = 0; i < 3; i++)
		mrm_buf_release(&c->date[i]);
}

static const char *opt(const char *s)
{
	return s ? s : "";
}

static int check_policy(const struct mrm_vocab *v, const struct mrm_policy *p,
			struct checked *c, struct mrm_error *err)
{
	const char *dates[3] = {opt(p->adopted), opt(p->effective_from),
				opt(p->effective_to)};
	static const char *const names[3] = {"adopted", "effective_from",
					     "effective_to"};
	int rc = check_key(opt(p->key), err);

	for (int i = 0; i < 3; i++)
		mrm_buf_init(&c->date[i], 64);
	if (!rc)
		rc = policy_country(v, "country", opt(p->country), &c->country,
				    err);
	if (!rc)
		rc = check_instrument(p->instrument, err);
	if (!rc)
		rc = check_text("title", p->title, 1, err);
	if (!rc)
		rc = check_text("summary", p->summary, 0, err);
	if (!rc)
		rc = check_text("source", p->source, 1, err);
	if (!rc)
		rc = check_text("source_url", p->source_url, 0, err);
	if (!rc)
		rc = check_text("note", p->note, 0, err);
	for (int i = 0; !rc && i < 3; i++)
		if (*dates[i])
			rc = policy_date(names[i], dates[i], &c->date[i], err);
	if (!rc && !*dates[0] && !*dates[1])
		rc = mrm_error_set(err, MRM_ERR_INVALID, "adopted",
				   "give the date adopted or the date in "
				   "force from (YYYY, YYYY-MM or YYYY-MM-DD)");
	/* compared at the precision both share, as text */
	if (!rc && *dates[1] && *dates[2] &&
	    strncmp(mrm_buf_str(&c->date[2]), mrm_buf_str(&c->date[1]),
		    c->date[1].len < c->date[2].len ? c->date[1].len
						    : c->date[2].len) < 0)
		rc = mrm_error_set(err, MRM_ERR_INVALID, "effective_to",
				   "%s is before effective_from %s",
				   mrm_buf_str(&c->date[2]),
				   mrm_buf_str(&c->date[1]));
	if (rc)
		checked_release(c);
	return rc;
}

/* ---- writing ---- */

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void bind_policy(sqlite3_stmt *s, const struct mrm_policy *p,
			const struct checked *c)
{
	bind_opt(s, 1, p->key);
	bind_opt(s, 2, c->country);
	bind_opt(s, 3, p->instrument);
	bind_opt(s, 4, p->title);
	bind_opt(s, 5, p->summary);
	for (int i = 0; i < 3; i++)
		bind_opt(s, 6 + i, mrm_buf_str(&c->date[i]));
	bind_opt(s, 9, p->source);
	bind_opt(s, 10, p->source_url);
	sqlite3_bind_int(s, 11, p->estimate ? 1 : 0);
	bind_opt(s, 12, p->note);
}

static const char upsert_sql[] =
	"INSERT INTO policy(key, country, instrument, title, summary, adopted,"
	" effective_from, effective_to, source, source_url, estimate, note,"
	" shipped) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)"
	" ON CONFLICT(key) DO UPDATE SET country = excluded.country,"
	" instrument = excluded.instrument, title = excluded.title,"
	" summary = excluded.summary, adopted = excluded.adopted,"
	" effective_from = excluded.effective_from,"
	" effective_to = excluded.effective_to, source = excluded.source,"
	" source_url = excluded.source_url, estimate = excluded.estimate,"
	" note = excluded.note WHERE policy.shipped = 1";

static int header_ok(struct mrm_csv_reader *r, struct mrm_error *err)
{
	struct mrm_buf h = MRM_BUF_INIT(1024);
	int rc = 0;

	for (size_t i = 0; !rc && i < mrm_csv_nfields(r); i++)
		rc = mrm_buf_addf(&h, "%s%s", i ? "," : "",
				  mrm_csv_field(r, i, NULL));
	if (!rc && strcmp(mrm_buf_str(&h), csv_header))
		rc = mrm_error_set(err, MRM_ERR_INVALID, POLICY_FILE,
				   "header must be %s", csv_header);
	mrm_buf_release(&h);
	return rc;
}

/* One data row of the shipped file into `ins`. */
static int install_row(sqlite3 *db, sqlite3_stmt *ins,
		       const struct mrm_vocab *v, struct mrm_csv_reader *r,
		       struct mrm_error *err)
{
	const char *f[CSV_COLS];
	struct mrm_policy p = {0};
	struct checked c;
	int rc;

	if (mrm_csv_nfields(r) != CSV_COLS)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "%s:%lu: %zu columns, expected %d",
				     POLICY_FILE, mrm_csv_line(r),
				     mrm_csv_nfields(r), CSV_COLS);
	for (size_t i = 0; i < CSV_COLS; i++)
		f[i] = mrm_csv_field(r, i, NULL);
	p = (struct mrm_policy){.key = f[0],
				.country = f[1],
				.instrument = f[2],
				.title = f[3],
				.summary = f[4],
				.adopted = f[5],
				.effective_from = f[6],
				.effective_to = f[7],
				.source = f[8],
				.source_url = f[9],
				.estimate = !strcmp(f[10], "1"),
				.note = f[11]};
	rc = check_policy(v, &p, &c, err);
	if (rc) {
		mrm_error_prefix(err, "%s:%lu", POLICY_FILE, mrm_csv_line(r));
		return rc;
	}
	sqlite3_reset(ins);
	bind_policy(ins, &p, &c);
	if (sqlite3_step(ins) != SQLITE_DONE)
		rc = mrm_error_set(err, MRM_ERR_DB, POLICY_FILE, "line %lu: %s",
				   mrm_csv_line(r), sqlite3_errmsg(db));
	checked_release(&c);
	return rc;
}

static int digest_of(const struct mrm_embedded *e, char hex[65])
{
	unsigned char d[32];

	crypto_generichash(d, sizeof(d), e->data, e->len, NULL, 0);
	sodium_bin2hex(hex, 65, d, sizeof(d));
	return 0;
}

static int put_digest(sqlite3 *db, const char *hex, struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO meta(key, value) VALUES (?, ?) ON "
			       "CONFLICT(key) DO UPDATE SET value = "
			       "excluded.value",
			       -1, &s, NULL) ||
	    sqlite3_bind_text(s, 1, DIGEST_KEY, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(s, 2, hex, -1, SQLITE_STATIC) ||
	    sqlite3_step(s) != SQLITE_DONE)
		rc = mrm_error_set(err, MRM_ERR_DB, "policy", "%s",
				   sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc;
}

static int install_count(sqlite3 *db, int *loaded, struct mrm_error *err)
{
	const struct mrm_embedded *e = mrm_embedded_find(POLICY_FILE);
	struct mrm_vocab *v = NULL;
	struct mrm_csv_reader *r = NULL;
	sqlite3_stmt *ins = NULL;
	FILE *fp = NULL;
	char hex[65];
	int rc, got = 0, n = 0;

	/* a build without the reference data (the fuzz targets) ships an
	 * empty register */
	if (!e)
		return 0;
	rc = mrm_vocab_load(&v, db, err);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(db, upsert_sql, -1, &ins, NULL)) {
		rc = mrm_error_set(err, MRM_ERR_DB, "policy", "%s",
				   sqlite3_errmsg(db));
		goto out;
	}
	fp = fmemopen((void *)e->data, e->len, "r");
	if (!fp) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, POLICY_FILE,
				   "cannot read");
		goto out;
	}
	rc = mrm_csv_reader_new(&r, fp, POLICY_FILE, NULL, err);
	if (!rc && (got = mrm_csv_next(r, err)) == 1)
		rc = header_ok(r, err);
	while (!rc && got == 1 && (got = mrm_csv_next(r, err)) == 1) {
		if (mrm_csv_nfields(r) == 1 && !*mrm_csv_field(r, 0, NULL))
			continue; /* a blank line */
		rc = install_row(db, ins, v, r, err);
		n++;
	}
	if (!rc && got < 0)
		rc = got;
	if (!rc)
		rc = digest_of(e, hex);
	if (!rc)
		rc = put_digest(db, hex, err);
	if (!rc && loaded)
		*loaded = n;
out:
	mrm_csv_reader_free(r);
	if (fp)
		fclose(fp);
	sqlite3_finalize(ins);
	mrm_vocab_free(v);
	return rc;
}

int mrm_policy_install(sqlite3 *db, struct mrm_error *err)
{
	return install_count(db, NULL, err);
}

/* 1 when the shipped register was loaded as it is now, 0 when not. */
static int up_to_date(struct mrm_store *st)
{
	const struct mrm_embedded *e = mrm_embedded_find(POLICY_FILE);
	sqlite3_stmt *s =
		mrm_store_prepare(st, "SELECT value FROM meta WHERE key = ?");
	char hex[65];
	int same = 0;

	if (!e)
		return 1;
	if (!s)
		return 0;
	digest_of(e, hex);
	sqlite3_bind_text(s, 1, DIGEST_KEY, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		same = !strcmp((const char *)sqlite3_column_text(s, 0), hex);
	sqlite3_reset(s);
	return same;
}

int mrm_policy_sync(struct mrm_store *st, int force, int *loaded,
		    struct mrm_error *err)
{
	/* one entry for the register: the shipped rows before and after */
	struct mrm_audit_change c = {
		.table = "policy",
		.sql = "SELECT * FROM policy WHERE shipped = 1 ORDER BY id"};
	char detail[64];
	int rc, n = 0;

	if (loaded)
		*loaded = 0;
	if (!force && up_to_date(st))
		return 0;
	rc = mrm_store_begin(st, err);
	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	if (!rc)
		rc = install_count(mrm_store_db(st), &n, err);
	snprintf(detail, sizeof(detail),
		 "the shipped register: %d policies loaded", n);
	if (!rc)
		rc = mrm_audit_change_end(st, &c, "policy-sync", detail, err);
	if (!rc && loaded)
		*loaded = n;
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

static int may_add(const struct mrm_actor *who, struct mrm_error *err)
{
	if (!who || who->role == MRM_ROLE_ADMIN ||
	    who->role == MRM_ROLE_COORDINATOR)
		return 0;
	return mrm_error_set(err, MRM_ERR_ACCESS, NULL,
			     "a %s may not add policies: admins and "
			     "coordinators may",
			     mrm_role_name(who->role));
}

int mrm_policy_add(struct mrm_store *st, const struct mrm_actor *who,
		   const struct mrm_policy *p, struct mrm_error *err)
{
	const char *sql =
		"INSERT INTO policy(key, country, instrument, title, summary,"
		" adopted, effective_from, effective_to, source, source_url,"
		" estimate, note, org_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s;
	struct checked c;
	int rc = may_add(who, err);

	if (rc)
		return rc;
	rc = check_policy(mrm_store_vocab(st), p, &c, err);
	if (rc)
		return rc;
	rc = mrm_store_begin(st, err);
	if (rc)
		goto out;
	s = mrm_store_prepare(st, sql);
	if (!s) {
		rc = mrm_store_fail(st, err, "policy");
		goto out;
	}
	bind_policy(s, p, &c);
	if (who)
		sqlite3_bind_int64(s, 13, who->org_id);
	switch (sqlite3_step(s)) {
	case SQLITE_DONE:
		rc = mrm_audit_created(
			st, "policy",
			sqlite3_last_insert_rowid(mrm_store_db(st)), p->key,
			err);
		break;
	case SQLITE_CONSTRAINT_UNIQUE:
		rc = mrm_error_set(err, MRM_ERR_EXISTS, "key",
				   "a policy \"%s\" exists already; choose "
				   "another key",
				   p->key);
		break;
	default: rc = mrm_store_fail(st, err, "policy");
	}
	sqlite3_reset(s);
	if (!rc)
		rc = mrm_store_commit(st, err);
out:
	if (rc)
		mrm_store_rollback(st);
	checked_release(&c);
	return rc;
}

/* ---- reading ---- */

#define SELECT_POLICY                                                          \
	"SELECT p.id, p.key, p.country, p.instrument, p.title, p.summary,"     \
	" p.adopted, p.effective_from, p.effective_to, p.source,"              \
	" p.source_url, p.note, coalesce(o.code, ''), p.estimate, p.shipped"   \
	" FROM policy p LEFT JOIN org o ON o.id = p.org_id"

static const char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? (const char *)t : "";
}

size_t policy_texts(struct mrm_policy *p, const char **slots[POLICY_NTEXTS])
{
	const char **all[POLICY_NTEXTS] = {&p->key,
					   &p->country,
					   &p->instrument,
					   &p->title,
					   &p->summary,
					   &p->adopted,
					   &p->effective_from,
					   &p->effective_to,
					   &p->source,
					   &p->source_url,
					   &p->note,
					   &p->org};

	memcpy(slots, all, sizeof(all));
	return POLICY_NTEXTS;
}

static void policy_from_row(sqlite3_stmt *s, struct mrm_policy *p)
{
	const char **slots[POLICY_NTEXTS];
	size_t n = policy_texts(p, slots);

	p->id = sqlite3_column_int64(s, 0);
	for (size_t i = 0; i < n; i++)
		*slots[i] = col(s, (int)i + 1);
	p->estimate = sqlite3_column_int(s, 13);
	p->shipped = sqlite3_column_int(s, 14);
}

static int walk(struct mrm_store *st, sqlite3_stmt *s,
		int (*cb)(void *ctx, const struct mrm_policy *p), void *ctx,
		int *n, struct mrm_error *err)
{
	struct mrm_policy p;
	int rc = 0, step = SQLITE_DONE;

	*n = 0;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		policy_from_row(s, &p);
		rc = cb(ctx, &p);
		++*n;
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "policy");
	return rc;
}

int mrm_policy_each(struct mrm_store *st, const char *country,
		    int (*cb)(void *ctx, const struct mrm_policy *p), void *ctx,
		    struct mrm_error *err)
{
	const char *cc = NULL;
	char regions[64] = ",";
	size_t len = 1;
	sqlite3_stmt *s;
	int rc = 0, n;

	if (country && (rc = policy_country(mrm_store_vocab(st), "country",
					    country, &cc, err)))
		return rc;
	/* a member's list includes the groupings it belongs to */
	for (size_t i = 0; cc && mrm_policy_regions[i]; i++) {
		char in[64];

		snprintf(in, sizeof(in), ",%s,", region_members[i]);
		if (strlen(cc) == 2 && strstr(in, cc) &&
		    strstr(in, cc)[-1] == ',')
			len += (size_t)snprintf(regions + len,
						sizeof(regions) - len, "%s,",
						mrm_policy_regions[i]);
	}
	s = mrm_store_prepare(
		st, SELECT_POLICY
		" WHERE ?1 IS NULL OR p.country = ?1"
		" OR instr(?2, ',' || p.country || ',')"
		" ORDER BY p.country, coalesce(p.effective_from, p.adopted),"
		" p.key");
	if (!s)
		return mrm_store_fail(st, err, "policy");
	if (cc)
		sqlite3_bind_text(s, 1, cc, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, regions, -1, SQLITE_STATIC);
	rc = walk(st, s, cb, ctx, &n, err);
	sqlite3_reset(s);
	return rc;
}

/* "unknown policy KEY; closest: a, b, c" */
static int not_found(struct mrm_store *st, const char *key,
		     struct mrm_error *err)
{
	const char *best[3] = {NULL, NULL, NULL};
	size_t dist[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
	sqlite3_stmt *s = NULL;
	char *keys[3] = {NULL, NULL, NULL};
	int rc;

	if (sqlite3_prepare_v2(mrm_store_db(st), "SELECT key FROM policy", -1,
			       &s, NULL))
		return mrm_store_fail(st, err, "policy");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *k = col(s, 0);
		size_t d = mrm_utf8_distance(key, k);

		for (int i = 0; i < 3; i++) {
			if (d >= dist[i])
				continue;
			free(keys[2]);
			for (int j = 2; j > i; j--) {
				dist[j] = dist[j - 1];
				keys[j] = keys[j - 1];
			}
			dist[i] = d;
			keys[i] = strdup(k);
			break;
		}
	}
	for (int i = 0; i < 3; i++)
		best[i] = keys[i] ? keys[i] : "";
	rc = mrm_error_set(err, MRM_ERR_NOTFOUND, "policy",
			   "no policy \"%s\"; closest: %s%s%s%s%s (mrm policy "
			   "list shows them all)",
			   key, best[0], *best[1] ? ", " : "", best[1],
			   *best[2] ? ", " : "", best[2]);
	for (int i = 0; i < 3; i++)
		free(keys[i]);
	sqlite3_finalize(s);
	return rc;
}

int mrm_policy_find(struct mrm_store *st, const char *key,
		    int (*cb)(void *ctx, const struct mrm_policy *p), void *ctx,
		    struct mrm_error *err)
{
	sqlite3_stmt *s =
		mrm_store_prepare(st, SELECT_POLICY " WHERE p.key = ?");
	int rc, n = 0;

	if (!s)
		return mrm_store_fail(st, err, "policy");
	sqlite3_bind_text(s, 1, opt(key), -1, SQLITE_STATIC);
	rc = walk(st, s, cb, ctx, &n, err);
	sqlite3_reset(s);
	if (!rc && !n)
		rc = not_found(st, opt(key), err);
	return rc;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *mrm_policy_json(const struct mrm_policy *p)
{
	json_t *o = json_object();
	const char *names[] = {
		"key",	   "country",	 "instrument",	   "title",
		"summary", "adopted",	 "effective_from", "effective_to",
		"source",  "source_url", "note",	   "org"};
	const char *vals[] = {
		p->key,	    p->country,	   p->instrument,     p->title,
		p->summary, p->adopted,	   p->effective_from, p->effective_to,
		p->source,  p->source_url, p->note,	      p->org};
	int bad = !o;

	for (size_t i = 0; !bad && i < sizeof(names) / sizeof(names[0]); i++)
		bad = json_object_set_new(o, names[i], str_or_null(vals[i]));
	if (!bad)
		bad = json_object_set_new(o, "estimate",
					  json_boolean(p->estimate)) ||
		      json_object_set_new(o, "shipped",
					  json_boolean(p->shipped));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- links ---- */

static int keep_id(void *ctx, const struct mrm_policy *p)
{
	*(int64_t *)ctx = p->id;
	return 0;
}

/* The policy's id and the event's owner, and may `who` write it? */
static int link_target(struct mrm_store *st, const struct mrm_actor *who,
		       int64_t event_id, const char *key, int64_t *policy,
		       struct mrm_error *err)
{
	int64_t owner = 0;
	int rc = mrm_event_owner(st, event_id, &owner, err);

	if (!rc && who)
		rc = mrm_access_check(st, who, MRM_ACT_WRITE_RECORDS, owner,
				      event_id, err);
	if (!rc)
		rc = mrm_policy_find(st, key, keep_id, policy, err);
	return rc;
}

/* Run `sql` on the link of `event_id` to `policy` (`key`), with an
 * `action` entry in the audit log when it changed anything: the hashes
 * are of the event's links. */
static int link_write(struct mrm_store *st, const char *sql, int64_t event_id,
		      int64_t policy, const char *action, const char *key,
		      int *changed, struct mrm_error *err)
{
	struct mrm_audit_change c = {.table = "event",
				     .record = event_id,
				     .sql = "SELECT * FROM event_policy WHERE "
					    "event_id = ? ORDER BY policy_id",
				     .arg = event_id};
	sqlite3_stmt *s;
	int rc = mrm_store_begin(st, err);

	if (!rc)
		rc = mrm_audit_change_begin(st, &c, err);
	if (rc)
		goto out;
	s = mrm_store_prepare(st, sql);
	if (!s) {
		rc = mrm_store_fail(st, err, "policy links");
		goto out;
	}
	sqlite3_bind_int64(s, 1, event_id);
	sqlite3_bind_int64(s, 2, policy);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "policy links");
	*changed = sqlite3_changes(mrm_store_db(st));
	sqlite3_reset(s);
	if (!rc && *changed)
		rc = mrm_audit_change_end(st, &c, action, key, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
out:
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

/* link_target(), then link_write() on what it found. */
static int link_set(struct mrm_store *st, const struct mrm_actor *who,
		    int64_t event_id, const char *key, const char *sql,
		    const char *action, int *changed, struct mrm_error *err)
{
	int64_t policy = 0;
	int rc = link_target(st, who, event_id, key, &policy, err);

	if (!rc)
		rc = link_write(st, sql, event_id, policy, action, key, changed,
				err);
	return rc;
}

int mrm_policy_link(struct mrm_store *st, const struct mrm_actor *who,
		    int64_t event_id, const char *key, struct mrm_error *err)
{
	int changed = 0;

	return link_set(st, who, event_id, key,
			"INSERT OR IGNORE INTO event_policy(event_id, "
			"policy_id) VALUES (?, ?)",
			"policy-link", &changed, err);
}

int mrm_policy_unlink(struct mrm_store *st, const struct mrm_actor *who,
		      int64_t event_id, const char *key, struct mrm_error *err)
{
	int changed = 0;
	int rc = link_set(st, who, event_id, key,
			  "DELETE FROM event_policy WHERE event_id = ? "
			  "AND policy_id = ?",
			  "policy-unlink", &changed, err);

	if (!rc && !changed)
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, "policy",
				   "event #%lld is not linked to \"%s\"",
				   (long long)event_id, key);
	return rc;
}

json_t *mrm_policy_event_keys(struct mrm_store *st, int64_t event_id)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st,
		"SELECT p.key FROM event_policy x JOIN policy p"
		" ON p.id = x.policy_id WHERE x.event_id = ? ORDER BY p.key");
	json_t *arr = json_array();
	int step;

	if (!s || !arr) {
		json_decref(arr);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, event_id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if (json_array_append_new(arr, json_string(col(s, 0))))
			break;
	sqlite3_reset(s);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

int mrm_policy_events(struct mrm_store *st, const struct mrm_actor *who,
		      const char *key, int (*cb)(void *ctx, int64_t event_id),
		      void *ctx, struct mrm_error *err)
{
	int64_t policy = 0;
	sqlite3_stmt *s = NULL;
	int rc = mrm_policy_find(st, key, keep_id, &policy, err);
	int step = SQLITE_DONE;

	if (rc)
		return rc;
	/* its own statement: the access checks below use the store's */
	if (sqlite3_prepare_v2(
		    mrm_store_db(st),
		    "SELECT x.event_id, e.org_id FROM event_policy x"
		    " JOIN event e ON e.id = x.event_id"
		    " WHERE x.policy_id = ? ORDER BY x.event_id DESC",
		    -1, &s, NULL))
		return mrm_store_fail(st, err, "policy links");
	sqlite3_bind_int64(s, 1, policy);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		if (who &&
		    mrm_access_check(st, who, MRM_ACT_READ_RECORDS,
				     sqlite3_column_int64(s, 1), id, NULL))
			continue;
		rc = cb(ctx, id);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "policy links");
	sqlite3_finalize(s);
	return rc;
}
