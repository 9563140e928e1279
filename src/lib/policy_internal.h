/*
 * policy_internal.h - (internal) what policy.c shares with
 * policy_impact.c.
 */
#ifndef MRM_POLICY_INTERNAL_H
#define MRM_POLICY_INTERNAL_H

#include "mrm/buf.h"
#include "mrm/error.h"

#include <jansson.h>
#include <stdint.h>

struct importer;
struct mrm_store;
struct mrm_vocab;

/* The text members of a policy, in the order of the register's columns
 * after the id (key, country, instrument, title, summary, adopted,
 * effective_from, effective_to, source, source_url, note, org): their
 * addresses into `slots`; returns POLICY_NTEXTS. */
#define POLICY_NTEXTS 12
struct mrm_policy;
size_t policy_texts(struct mrm_policy *p, const char **slots[POLICY_NTEXTS]);

/* The member codes of a regional grouping ("KH,LA,MM,TH,VN"), or NULL
 * when `code` is not one. */
const char *policy_region_members(const char *code);

/* `given` as a country code (resolved through the vocabulary: codes or
 * labels) or a grouping, into *out (static or vocabulary-owned);
 * MRM_ERR_INVALID at `where` with the closest codes. */
int policy_country(const struct mrm_vocab *v, const char *where,
		   const char *given, const char **out, struct mrm_error *err);

/* `given` as a canonical ISO date at its precision into `out` (reset
 * first); MRM_ERR_INVALID at `where`. */
int policy_date(const char *where, const char *given, struct mrm_buf *out,
		struct mrm_error *err);

/* ---- an event's policies in the JSON export and import (policy_io.c) */

/* ev["policies"] = the keys of the policies event `event_id` is linked
 * to, by key; nothing when there are none. */
int policy_export(struct mrm_store *st, int64_t event_id, json_t *ev,
		  struct mrm_error *err);

/* Check ev["policies"] (at `path`, "events[3]"): an array of distinct keys
 * of the register; each problem is recorded on the importer, located at
 * "NAME: events[3].policies[0]" (an unknown key with the closest ones).
 * Negative only when the import must stop (err filled). */
int importer_policy_check(struct importer *im, json_t *ev, const char *path,
			  struct mrm_error *err);

/* Link new event `event_id` to the (checked) policies of `ev`. */
int importer_policy_write(struct importer *im, json_t *ev, int64_t event_id,
			  struct mrm_error *err);

#endif
