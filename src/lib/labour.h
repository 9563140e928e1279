/*
 * labour.h - (internal) the import and export of an event's wage records
 * and recruitment costs (labour.c), for the JSON import and the export.
 */
#ifndef MRM_LABOUR_H
#define MRM_LABOUR_H

#include "mrm/error.h"

#include <jansson.h>
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

#endif
