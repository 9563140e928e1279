/*
 * import.h - bringing documentation in: CSV (native or through a mapping
 * file) and the project's own JSON.
 *
 * An import is all or nothing by default: it runs in one transaction, keeps
 * reading after the first problem to report up to `max_errors` of them, and
 * rolls back if there was any. With `skip_invalid`, rows with problems are
 * left out (and, for CSV, written to `rejects` with their reasons) and the
 * rest lands; once a CSV row of an event is left out, so are the event's
 * later rows (its earlier rows have landed). Events carry a stable key per
 * organisation, so importing the same file twice adds nothing the second
 * time: the rows of an event already in the database are skipped.
 */
#ifndef MRM_IMPORT_H
#define MRM_IMPORT_H

#include "mrm/error.h"

#include <stdint.h>
#include <stdio.h>

struct mrm_store;
struct mrm_mapping;

/*
 * Load a mapping file (docs/mapping.md). `path` is a file, or the name of
 * a shipped mapping ("iom-missing-migrants"). Free with mrm_mapping_free().
 * A mapping serves any number of imports, one at a time: an import binds it
 * to its file's header, so two imports must not use it at the same time.
 */
int mrm_mapping_load(struct mrm_mapping **out, const char *path,
		     struct mrm_error *err);
/* Parse a mapping from JSON text; `name` locates errors. */
int mrm_mapping_parse(struct mrm_mapping **out, const char *text, size_t len,
		      const char *name, struct mrm_error *err);
void mrm_mapping_free(struct mrm_mapping *m);

struct mrm_import_stats {
	uint64_t rows;		  /* data rows (or JSON events) read */
	uint64_t rejected;	  /* rows left out (skip_invalid) */
	uint64_t errors;	  /* problems found */
	uint64_t events;	  /* events added */
	uint64_t events_existing; /* events already in the database, skipped */
	uint64_t acts, persons, sources, interventions;
};

struct mrm_import_opts {
	const char *org;	     /* owner when a row names none; NULL: the
					only organisation, if there is one */
	struct mrm_mapping *mapping; /* NULL: native CSV columns; borrowed,
					and bound to the file while the
					import runs (see above) */
	int skip_invalid;
	FILE *rejects; /* with skip_invalid: rejected rows, or NULL; written
			  by the CSV import only */
	unsigned max_errors; /* 0: 20 */
	/*
	 * The callbacks. During a CSV import they are called from a reader
	 * thread that the import starts, and joins before it returns (only
	 * the last on_progress comes from the caller's thread, after that):
	 * what they touch must be safe to touch from there. The JSON import
	 * calls them from the caller's thread.
	 */
	/* Each problem as it is found (located message in e). */
	void (*on_error)(void *ctx, const struct mrm_error *e);
	/* Now and then: bytes done of total (total 0 when unknown). */
	void (*on_progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

/*
 * Import CSV from `fp` (`name` is used in messages). Returns 0 when the
 * import landed; MRM_ERR_INVALID when problems kept it from landing (with
 * skip_invalid: when every row was rejected, "no row could be imported",
 * or the file could not be read to its end), with a summary in err; other
 * codes for I/O and database failures. `stats` is filled in either case.
 */
int mrm_import_csv(struct mrm_store *st, FILE *fp, const char *name,
		   const struct mrm_import_opts *opts,
		   struct mrm_import_stats *stats, struct mrm_error *err);

/* Import the JSON written by mrm_export_json(); same contract. */
int mrm_import_json(struct mrm_store *st, FILE *fp, const char *name,
		    const struct mrm_import_opts *opts,
		    struct mrm_import_stats *stats, struct mrm_error *err);

#endif
