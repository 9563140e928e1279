/*
 * labour.h - (internal) the import and export of an event's wage records
 * and recruitment costs (labour.c), for the JSON import and the export.
 */
#ifndef MRM_LABOUR_H
#define MRM_LABOUR_H

#include "mrm/error.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct importer;
struct mrm_store;

/* Check the members of event `ev` (at `path`, "events[3]"): each problem
 * is recorded on the importer, located at "NAME: events[3].wages[0].KEY".
 * Negative only when the import must stop (err filled). */
int importer_labour_check(struct importer *im, json_t *ev, const char *path,
			  struct mrm_error *err);

/* Write the (checked) members of `ev` under `event_id`; a record without
 * a victim key goes to `victim` (the event's first victim; 0: none). */
int importer_labour_write(struct importer *im, json_t *ev, int64_t event_id,
			  int64_t victim, struct mrm_error *err);

/* Add "wages" and "recruitment_costs" of event `event_id` to `ev`, when
 * it has any. */
int labour_export(struct mrm_store *st, int64_t event_id, json_t *ev,
		  struct mrm_error *err);

/*
 * One record at a time, for the CSV import of wage records and
 * recruitment costs (labour_csv.c). A record is a JSON object of its
 * members (as in the JSON import; "victim" is left to the caller).
 */
struct labour_table;
struct mrm_vocab;

/* The table of member "wages" or "recruitment_costs", or NULL. */
const struct labour_table *labour_table_of(const char *member);
/* Its i-th member name, NULL past the last. */
const char *labour_field(const struct labour_table *t, size_t i);
/* Check record `o`: each problem goes to problem(ctx, MEMBER, e). The
 * number of problems, or a negative code when out of memory. */
int labour_check(const struct labour_table *t, json_t *o,
		 const struct mrm_vocab *vocab,
		 void (*problem)(void *ctx, const char *key,
				 const struct mrm_error *e),
		 void *ctx);
/* Insert checked record `o` of event `event_id` for person `victim`
 * (0: none), inside the caller's transaction. */
int labour_insert(struct mrm_store *st, const struct labour_table *t, json_t *o,
		  const struct mrm_vocab *vocab, int64_t event_id,
		  int64_t victim, struct mrm_error *err);

#endif
