/*
 * policy_internal.h - (internal) what policy.c shares with
 * policy_impact.c.
 */
#ifndef MRM_POLICY_INTERNAL_H
#define MRM_POLICY_INTERNAL_H

#include "mrm/buf.h"
#include "mrm/error.h"

struct mrm_vocab;

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

#endif
