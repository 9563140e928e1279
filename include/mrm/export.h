/*
 * export.h - taking documentation out: the project's JSON (lossless,
 * sensitive fields decrypted) and CSV tables. No row cap.
 */
#ifndef MRM_EXPORT_H
#define MRM_EXPORT_H

#include "mrm/error.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct mrm_store;

/*
 * Write every organisation and event as one JSON document
 * ({"format": "mrm-export/1", "organisations": [...], "events": [...]}),
 * one event per line. Sensitive fields are written in clear: the caller
 * decides where the file goes.
 */
int mrm_export_json(struct mrm_store *st, FILE *out, struct mrm_error *err);

/*
 * Write a CSV table: "acts" (the native format of docs/native-csv.md, one
 * row per act, which mrm import reads back), "events", "persons" or
 * "organisations".
 */
int mrm_export_csv(struct mrm_store *st, const char *what, FILE *out,
		   struct mrm_error *err);

/* Room mrm_json_scalar_text() needs for a number or boolean. */
#define MRM_JSON_SCALAR_MAX 32

/*
 * A JSON scalar as text, as the CSV export writes it and the JSON import
 * reads it: a string as it is, an integer in decimal, a real as the
 * shortest text that reads back as the same number, a boolean as "true" or
 * "false". Numbers and booleans are written into `tmp` (at least
 * MRM_JSON_SCALAR_MAX bytes). NULL for null, objects and arrays. The
 * result lives as long as `v` or `tmp`.
 */
const char *mrm_json_scalar_text(const json_t *v, char *tmp, size_t size);

/* One event as a JSON object (the shape of mrm_export_json's events);
 * the caller owns the result (json_decref). MRM_ERR_NOTFOUND if no such id. */
int mrm_event_json(struct mrm_store *st, int64_t id, json_t **out,
		   struct mrm_error *err);

struct mrm_actor;
struct mrm_buf;

/*
 * One event as compact JSON text appended to `out` (on failure `out` is
 * left as it was): with `visible` 0, mrm_event_json()'s object; with
 * `visible` 1, the shape of mrm_event_visible_json() (see mrm/events.h),
 * the encrypted fields included only when `identities` is set. No access
 * check: callers outside libmrm use mrm_event_visible_text().
 * MRM_ERR_NOTFOUND if no such id.
 */
int mrm_event_text(struct mrm_store *st, int64_t id, int visible,
		   int identities, struct mrm_buf *out, struct mrm_error *err);

/*
 * An export that `who` may take out (MRM_ACT_EXPORT on each event's
 * organisation; a NULL `who` takes everything, as the command line does),
 * produced piece by piece so that it can be sent as it is made, with no row
 * cap: the same text mrm_export_json() (format "json") or mrm_export_csv()
 * (format "csv", `what` "acts", "events", "persons" or "organisations") would
 * write if the database held only those events.
 *
 * The stream reads in one read transaction of `st`, which it uses alone
 * until mrm_export_stream_free(): give it a connection of its own. The
 * stream does not own `st`.
 */
struct mrm_export_stream;

int mrm_export_stream_begin(struct mrm_export_stream **out,
			    struct mrm_store *st, const struct mrm_actor *who,
			    const char *format, const char *what,
			    struct mrm_error *err);
/* Append the next piece to `out`: 1 when something was appended, 0 at the
 * end, or a negative code. */
int mrm_export_stream_next(struct mrm_export_stream *x, struct mrm_buf *out,
			   struct mrm_error *err);
void mrm_export_stream_free(struct mrm_export_stream *x);

#endif
