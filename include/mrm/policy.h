/*
 * policy.h - the policy register: laws, decrees, regulations, MOUs,
 * cabinet resolutions, declarations, announcements and measures (a
 * crackdown, a registration round) per country, with their dates, a
 * one-line summary and their source; events linked to them; and the
 * "policy on the ground" comparison of what was documented before and
 * after a policy's date.
 *
 * The shipped register is data/reference/policies.csv, compiled in and
 * loaded into the `policy` table by mrm_store_create(), again on open when
 * the shipped file has changed since it was last loaded, and on demand
 * (mrm_policy_sync with force). Loading is idempotent by key; a row a user
 * added is never replaced by a shipped one.
 *
 * Policies are not sensitive: everyone logged in may read them. Adding
 * one is for admins and coordinators; linking an event to a policy is a
 * change to the event, for those who may write its organisation's
 * records. Every function that takes a `who` treats NULL as the local
 * operator (the command line, which holds the database and its key).
 */
#ifndef MRM_POLICY_H
#define MRM_POLICY_H

#include "mrm/auth.h"
#include "mrm/buf.h"
#include "mrm/error.h"
#include "mrm/stats.h"

#include <jansson.h>
#include <stdint.h>

struct mrm_store;
struct sqlite3;

#define MRM_POLICY_KEY_MAX    64   /* bytes of a key */
#define MRM_POLICY_TEXT_MAX   2000 /* bytes of a title, summary, note */
#define MRM_POLICY_WINDOW_MAX 120  /* months each side of the date */

/* Instruments, NULL-terminated: "law", "decree", "regulation", "mou",
 * "cabinet_resolution", "declaration", "announcement", "measure". */
extern const char *const mrm_policy_instruments[];
/* Regional groupings a policy's country may name, NULL-terminated:
 * "ASEAN", "CLMTV". */
extern const char *const mrm_policy_regions[];

/* One policy; strings are "" when absent and valid during the callback
 * (or as long as the struct that holds it) only. */
struct mrm_policy {
	int64_t id;
	const char *key, *country, *instrument, *title, *summary, *adopted,
		*effective_from, *effective_to, *source, *source_url, *note;
	const char *org; /* code of the organisation that added it, or "" */
	int estimate;	 /* 1: a date or figure flagged VERIFY or derived */
	int shipped;	 /* 1: from the shipped register */
};

/*
 * Load the shipped register into `db` (inside the caller's transaction):
 * each row is checked (instrument, country, dates, source) and written by
 * key, replacing a shipped row of that key but never a user's. A bad row
 * is MRM_ERR_INVALID naming the file and line.
 */
int mrm_policy_install(struct sqlite3 *db, struct mrm_error *err);

/*
 * Load the shipped register when it differs from the one last loaded into
 * this database (a digest kept in meta), or always when `force`; in its
 * own transaction. *loaded (may be NULL) is set to the rows written (0
 * when nothing had changed).
 */
int mrm_policy_sync(struct mrm_store *st, int force, int *loaded,
		    struct mrm_error *err);

/*
 * Add a policy. `p->key` (2-64 of a-z, 0-9, '-', starting with a letter)
 * must be new (MRM_ERR_EXISTS), `country` a country code or label or a
 * regional grouping, `instrument` one of mrm_policy_instruments, `title`
 * and `source` non-empty, at least one of `adopted` and `effective_from`
 * given, every date ISO 8601 at its precision with effective_to not before
 * effective_from. Dates and the country are stored in canonical form.
 * `p->org`, `id` and `shipped` are ignored: the policy belongs to `who`'s
 * organisation (NULL: to none). Only admins and coordinators may add
 * (MRM_ERR_ACCESS). A bad value is MRM_ERR_INVALID with err->where the
 * member ("country", "adopted"), and nothing is written.
 */
int mrm_policy_add(struct mrm_store *st, const struct mrm_actor *who,
		   const struct mrm_policy *p, struct mrm_error *err);

/*
 * Call `cb` for each policy, by country then date then key; `country`
 * (NULL: all) a country code or label or a regional grouping; a policy of
 * a grouping is listed under each of its members too. An unknown country
 * is MRM_ERR_INVALID with the closest codes. A non-zero return of `cb`
 * stops the walk and is returned as it is.
 */
int mrm_policy_each(struct mrm_store *st, const char *country,
		    int (*cb)(void *ctx, const struct mrm_policy *p), void *ctx,
		    struct mrm_error *err);

/* Call `cb` once for policy `key`; MRM_ERR_NOTFOUND names the closest
 * keys. */
int mrm_policy_find(struct mrm_store *st, const char *key,
		    int (*cb)(void *ctx, const struct mrm_policy *p), void *ctx,
		    struct mrm_error *err);

/* The policy as a JSON object (every member; absent strings as null). The
 * caller owns it; NULL when out of memory. */
json_t *mrm_policy_json(const struct mrm_policy *p);

/*
 * Link event `event_id` to policy `key` (linking twice is fine), or unlink
 * it (unlinking what is not linked is MRM_ERR_NOTFOUND). `who` must be
 * allowed to write the records of the event's organisation
 * (MRM_ERR_ACCESS); an unknown event or policy is MRM_ERR_NOTFOUND.
 */
int mrm_policy_link(struct mrm_store *st, const struct mrm_actor *who,
		    int64_t event_id, const char *key, struct mrm_error *err);
int mrm_policy_unlink(struct mrm_store *st, const struct mrm_actor *who,
		      int64_t event_id, const char *key, struct mrm_error *err);

/* The keys of the policies event `event_id` is linked to, by key, as a
 * new JSON array (no access check: call it for an event the reader may
 * read). NULL when out of memory or on a database failure. */
json_t *mrm_policy_event_keys(struct mrm_store *st, int64_t event_id);

/*
 * Call `cb` with the id of each event linked to policy `key` that `who`
 * may read (NULL: all), newest first.
 */
int mrm_policy_events(struct mrm_store *st, const struct mrm_actor *who,
		      const char *key, int (*cb)(void *ctx, int64_t event_id),
		      void *ctx, struct mrm_error *err);

/* ---- the policy on the ground ---- */

struct mrm_policy_impact_opts {
	const char *key;
	const char *at;	     /* compare around this date (YYYY-MM[-DD]); NULL:
				the policy's effective_from, else adopted */
	unsigned window;     /* months on each side, 1-MRM_POLICY_WINDOW_MAX; 0:
				12 */
	const char *by;	     /* "act_type" (NULL) or "nationality" */
	const char *country; /* where the acts happened: NULL the policy's
				country (or its grouping's members), "any"
				anywhere, or a country code or label */
	int public;	     /* disclosure control, as mrm_stats_run() */
	unsigned k;	     /* its threshold; 0: MRM_STATS_K_DEFAULT */
};

/* One figure: a count, or the mark of a withheld one. */
struct mrm_policy_figure {
	int64_t value;
	enum mrm_stats_mark mark;
};

/* [0] before, [1] after. */
struct mrm_policy_impact_row {
	const char *code; /* a value of `by`; the total row: MRM_STATS_ALL */
	struct mrm_policy_figure acts[2], persons[2];
};

struct mrm_policy_impact {
	struct mrm_policy policy;    /* strings owned by the result */
	char at[11];		     /* YYYY-MM-DD the windows meet at */
	char from[2][11], to[2][11]; /* the windows, inclusive */
	char by[16];
	char places[64]; /* country codes the acts were counted in, or "" */
	unsigned window, k;
	int public;
	struct mrm_policy_impact_row *rows; /* by code, the total last */
	size_t nrows;
	/* acts and persons dated too coarsely to place on either side
	 * (known only to a year that spans the date, say) */
	struct mrm_policy_figure unplaced_acts, unplaced_persons;
	void *priv;
};

/*
 * Count acts and persons (a group counts its size) by `by` in the window
 * before the policy's date and in the window from it, through the
 * statistics engine: an act counts on a side only when its date, at its
 * own precision, lies wholly in that window. A policy dated only to the
 * year needs `at`. Errors: unknown policy (MRM_ERR_NOTFOUND), bad window,
 * dimension, date or country (MRM_ERR_INVALID with err->where the
 * option). The caller frees *out with mrm_policy_impact_free().
 */
int mrm_policy_impact(struct mrm_store *st,
		      const struct mrm_policy_impact_opts *o,
		      struct mrm_policy_impact **out, struct mrm_error *err);
void mrm_policy_impact_free(struct mrm_policy_impact *r);

/* The change of a row's figures as text: "+12", "-3", "0", or "" when
 * either side is withheld. */
void mrm_policy_change_text(const struct mrm_policy_figure f[2], char *out,
			    size_t size);

/* A figure as text: "814", "<5", "x". */
void mrm_policy_figure_text(const struct mrm_policy_impact *r,
			    const struct mrm_policy_figure *f, char *out,
			    size_t size);

/* A row's six texts, in the CSV's order: acts before, after, change,
 * persons before, after, change. */
#define MRM_POLICY_FIGURE_MAX 24
void mrm_policy_row_texts(const struct mrm_policy_impact *r,
			  const struct mrm_policy_impact_row *row,
			  char t[6][MRM_POLICY_FIGURE_MAX]);

/*
 * The comparison as JSON: {"policy": {...}, "at", "window_months",
 * "before": {"from", "to"}, "after": {...}, "by", "places", "public",
 * "k", "rows": [{BY: code, "acts": {"before", "after", "change"},
 * "persons": {...}}], "total": {...}, "unplaced": {"acts", "persons"}}
 * where a withheld figure is the string "<k" or "x" and its change null.
 * The caller owns it.
 */
json_t *mrm_policy_impact_json(const struct mrm_policy_impact *r);

/*
 * The comparison as a self-contained HTML page (the "policy-impact"
 * report, also `mrm report --template policy-impact`): the policy with its
 * instrument, dates and source, the windows, a table of acts and persons
 * before and after with the change, and a bar chart of persons before and
 * after. The page's words are in `lang` (one of mrm_report_langs; NULL or
 * "": "en"; another is MRM_ERR_INVALID at "--lang"), labels are
 * vocabulary labels in `lang`; the policy's own title, summary, note and
 * source are shown as the register has them; no free text from the
 * records.
 */
int mrm_policy_impact_html(struct mrm_store *st,
			   const struct mrm_policy_impact *r, const char *lang,
			   struct mrm_buf *out, struct mrm_error *err);

/* The comparison's table as CSV into `out` (appended): a header
 * "BY,acts_before,acts_after,acts_change,persons_before,persons_after,
 * persons_change", a row per code and "total" last, figures as
 * mrm_policy_figure_text(). 0 or MRM_ERR_NOMEM / MRM_ERR_LIMIT. */
int mrm_policy_impact_csv(const struct mrm_policy_impact *r,
			  struct mrm_buf *out);

#endif
