/*
 * import_internal.h - (internal) the import writer shared by the CSV and
 * JSON drivers: one transaction, prepared inserts, key maps that keep
 * events and persons from being written twice.
 */
#ifndef MRM_IMPORT_INTERNAL_H
#define MRM_IMPORT_INTERNAL_H

#include "mrm/crypto.h"
#include "mrm/hmap.h"
#include "mrm/import.h"
#include "mrm/org.h"
#include "record.h"

struct sqlite3;
struct sqlite3_stmt;
struct mrm_csv_reader;

struct importer {
	struct mrm_store *st;
	struct sqlite3 *db;
	const struct mrm_vocab *vocab;
	struct mrm_import_opts opts;
	struct mrm_import_stats *stats;
	const char *name;

	struct sqlite3_stmt *ins[MRM_ENT_COUNT];
	int nlead[MRM_ENT_COUNT];
	struct sqlite3_stmt *ins_attr, *find_event, *find_person;
	int64_t next_event, next_act, next_person;
	int64_t first_event;		 /* the first id this import gives */
	int64_t first_act, first_person; /* ... of acts and persons */

	struct mrm_hmap orgs;	 /* code -> id */
	struct mrm_hmap events;	 /* "org\x1fkey" -> id, -1 when pre-existing */
	struct mrm_hmap persons; /* "org\x1fkey" -> id */
	struct mrm_hmap seen;	 /* sources and interventions written */
	int64_t default_org;

	struct rec_row row; /* the row being imported */
	struct mrm_buf scratch;
	struct mrm_buf reasons; /* the row's problems, for the rejects file */
	unsigned row_problems;
	int in_txn, fatal;

	/* The driver's: where field `field` (-1: none) of the current row is,
	 * as "FILE:LINE:COLUMN" or "FILE: path.to.field". */
	void (*locate)(struct importer *im, int field, char *where,
		       size_t size);
	struct mrm_csv_reader *csv; /* CSV driver only */
	struct mrm_mapping *map;    /* CSV driver only */
	struct mrm_mapping *native; /* CSV driver only */
	char path[64];		    /* JSON driver only */
	struct json_t *labour;	    /* JSON driver: the event, for labour.c */
};

/*
 * Set `im` up and begin the import's transaction; `stats` is zeroed and
 * kept for the counts. Call importer_release() afterwards whether this
 * succeeded or not: a failure can come after some of `im` was set up.
 */
int importer_begin(struct importer *im, struct mrm_store *st,
		   const struct mrm_import_opts *opts,
		   struct mrm_import_stats *stats, struct mrm_error *err);
/* Record one problem of the current row, located at `where` (if given). */
void importer_problem(struct importer *im, const char *where,
		      const struct mrm_error *e);
/* Record a problem of field `field` of the current row, located by the
 * driver. */
void importer_field_problem(struct importer *im, const char *field,
			    const struct mrm_error *e);
/* Checks across the fields of the row (required fields, owner, victim
 * unit and size); each failure is a problem. Fills in defaults: a
 * negative code (with err filled) when there was no room for them. */
int importer_check_row(struct importer *im, struct rec_row *row,
		       struct mrm_error *err);
/* Write the checked row (skipping events that were in the database). */
int importer_write_row(struct importer *im, struct mrm_error *err);
/* Commit, or roll back with a summary when problems forbid landing. */
int importer_finish(struct importer *im, const char *name,
		    struct mrm_error *err);
void importer_release(struct importer *im);

/* The id of the person with `key` in the row's organisation (written by
 * this import or already in the database): 1 found, 0 not, negative on a
 * database failure (err filled). */
int importer_find_person(struct importer *im, const char *key, int64_t *id,
			 struct mrm_error *err);

/*
 * Append the import's audit entries (import_audit.c), in its transaction,
 * just before it commits: a "create" entry for each event and person it
 * added (with the hash of the stored row) and one "import" entry for the
 * batch, whose hash covers every row the import wrote, in every table.
 */
int importer_audit(struct importer *im, const char *name,
		   struct mrm_error *err);

#endif
