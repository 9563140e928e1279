/*
 * events.h - the documentation as one reader may see it: lists of events
 * and victims by cursor, one event (identities only when asked for, and
 * only to readers who may read them), events created from JSON, CSV
 * imports and exports limited to what the reader may write or take out.
 *
 * These are what the web API (src/server) serves; they sit in libmrm so
 * that every rule stays below every interface. Who may see or change what
 * is decided by mrm_access_check() (auth.h) alone: these functions only
 * ask it, for every record they hand out or write.
 *
 * Lists go by descending id: a cursor is the id to continue below (0 for
 * the first page), and *next is 0 when nothing is left.
 */
#ifndef MRM_EVENTS_H
#define MRM_EVENTS_H

#include "mrm/auth.h"
#include "mrm/buf.h"
#include "mrm/error.h"
#include "mrm/import.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct mrm_store;

/* Most items in one page; a list scans at most MRM_LIST_SCAN_MAX records
 * per call (records the reader may not see are skipped) and then hands
 * back a cursor to go on from, so that no page takes unbounded time. */
#define MRM_LIST_LIMIT_MAX 500
#define MRM_LIST_SCAN_MAX  20000

/* The precision of an ISO date as written: "day" (YYYY-MM-DD), "month",
 * "year", or "unknown" (NULL, empty or anything else). */
const char *mrm_date_precision(const char *date);

/* What to list; NULL members do not filter. */
struct mrm_event_filter {
	const char *q;	      /* public text (title, summary, place) contains */
	const char *country;  /* a country code or label */
	const char *act_type; /* an act type (code or label), with the types
				 under it */
	const char *from, *to; /* ISO dates at any precision: events whose
				  dates meet [from, to] at their precision */
};

/* One event in a list; strings are "" when absent, valid during the
 * callback only. */
struct mrm_event_brief {
	int64_t id;
	const char *key, *org, *title, *start_date, *end_date, *country,
		*admin1, *place;
};

/*
 * Call `cb` for up to `limit` (1 to MRM_LIST_LIMIT_MAX) events that `who`
 * may read (MRM_ACT_READ_RECORDS) and that match `f`, newest first, with
 * ids below `before` (0: from the newest). *next is set to the cursor of
 * the next page, or 0 when there is none. A bad filter value is
 * MRM_ERR_INVALID with err->where naming the filter ("country", "from")
 * and the message the closest valid values. A non-zero return of `cb`
 * stops the list and is returned as it is.
 */
int mrm_event_list(struct mrm_store *st, const struct mrm_actor *who,
		   const struct mrm_event_filter *f, int64_t before,
		   unsigned limit,
		   int (*cb)(void *ctx, const struct mrm_event_brief *e),
		   void *ctx, int64_t *next, struct mrm_error *err);

/*
 * What of the encrypted fields (victims' names, other names, contacts,
 * health; the confidential narrative) mrm_event_visible_text() and
 * mrm_person_list() give. Need to know: nothing unless asked for, so that
 * opening a record does not show, nor log, a name nobody needed.
 */
enum mrm_reveal {
	MRM_REVEAL_NONE = 0,	   /* leave them out */
	MRM_REVEAL_IDENTITIES = 1, /* decrypt them where `who` may read the
				    * identities of the record's
				    * organisation; each record so read gets
				    * a "decrypt" audit entry */
};

/*
 * Event `id` as `who` may see it: the shape of mrm_event_json() with
 * start_precision and end_precision beside every start_date and end_date
 * (event, acts, interventions), the encrypted fields only as `reveal`
 * says. *revealable (when not NULL) is set to whether `who` may read the
 * event's identities, that is whether MRM_REVEAL_IDENTITIES gives them.
 * MRM_ERR_NOTFOUND when there is no such event, MRM_ERR_ACCESS when `who`
 * may not read it. The caller owns *out (json_decref).
 */
int mrm_event_visible_json(struct mrm_store *st, const struct mrm_actor *who,
			   int64_t id, enum mrm_reveal reveal, int *revealable,
			   json_t **out, struct mrm_error *err);

struct mrm_buf;

/*
 * The same as JSON text (what json_dumps(JSON_COMPACT) writes of
 * mrm_event_visible_json()'s object), appended to `out`; on failure `out`
 * is left as it was. Faster: nothing is built in between.
 */
int mrm_event_visible_text(struct mrm_store *st, const struct mrm_actor *who,
			   int64_t id, enum mrm_reveal reveal, int *revealable,
			   struct mrm_buf *out, struct mrm_error *err);

/*
 * Create an event from `event`, an object of the shape that
 * mrm_event_visible_json() gives (only "title" is required; "id" and the
 * *_precision members are read-only and ignored once checked; "org"
 * defaults to the actor's organisation; "key" to "web-" and 16 random hex
 * digits). It goes through the JSON importer, so it is checked exactly as
 * an import is, and lands whole or not at all. On success *id is the new
 * event's id. A bad value is MRM_ERR_INVALID with err->where the member's
 * path ("title", "acts[0].victim.sex"); a key that the organisation
 * already used is MRM_ERR_EXISTS; an organisation `who` may not write to
 * is MRM_ERR_ACCESS. `event` is not changed.
 */
int mrm_event_create_json(struct mrm_store *st, const struct mrm_actor *who,
			  const json_t *event, int64_t *id,
			  struct mrm_error *err);

/*
 * Call `cb` for up to `limit` victims (person records) that `who` may read,
 * newest first, below `before`, as for mrm_event_list(). Each person is an
 * object {"id", "org", "key", "unit", "group_size", ...} with the victim
 * fields of the catalogue; the encrypted fields as `reveal` says (and
 * only where `who` may read identities of the person's organisation).
 * `cb` borrows the object.
 */
int mrm_person_list(struct mrm_store *st, const struct mrm_actor *who,
		    enum mrm_reveal reveal, int64_t before, unsigned limit,
		    int (*cb)(void *ctx, json_t *person), void *ctx,
		    int64_t *next, struct mrm_error *err);

/*
 * mrm_import_csv() for `who`: the rows are owned by `who`'s organisation
 * unless they name another (event.org), and `who` must be allowed to
 * write records of every organisation the file names
 * (MRM_ACT_WRITE_RECORDS), else MRM_ERR_ACCESS and nothing is read further.
 * `mapping` is NULL (native columns) or the name of a shipped mapping
 * (never a file). `fp` must be seekable: it is read twice. `opts->org` and
 * `opts->mapping` are set here; the other options are passed on.
 */
int mrm_event_import_csv(struct mrm_store *st, const struct mrm_actor *who,
			 FILE *fp, const char *name, const char *mapping,
			 const struct mrm_import_opts *opts,
			 struct mrm_import_stats *stats, struct mrm_error *err);

/*
 * mrm_import_labour_csv() (wages.h: `what` "wages" or "recruitment") for
 * `who`: a row's event is looked up in `who`'s organisation unless the
 * row names another (column "org"), and `who` must be allowed to write
 * records of every organisation the file names, else MRM_ERR_ACCESS and
 * nothing is written. opts->org is `who`'s organisation.
 */
int mrm_event_import_labour_csv(struct mrm_store *st,
				const struct mrm_actor *who, FILE *fp,
				const char *name, const char *what,
				const struct mrm_import_opts *opts,
				unsigned long *added, struct mrm_error *err);

#endif
