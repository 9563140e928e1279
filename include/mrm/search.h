/*
 * search.h - full-text search over the public text of events (title,
 * summary, place), with SQLite FTS5's trigram tokenizer, so that words of
 * Thai, Burmese, Khmer and Lao, written without spaces, are found. Names
 * and other identifying text are never indexed.
 */
#ifndef MRM_SEARCH_H
#define MRM_SEARCH_H

#include "mrm/error.h"

#include <stdint.h>

struct mrm_store;

struct mrm_hit {
	int64_t id;
	const char *key, *title, *start_date, *country, *place; /* may be "" */
};

/*
 * Call `cb` for each event whose public text contains `text` (at most
 * `limit` hits, newest first; a `limit` of 0 means 50). Text shorter than
 * three characters, or with % or _, is matched by a slower scan. Text is
 * matched literally (no query syntax), ASCII letters without regard to
 * case. The hit and its strings are valid during the call only: copy what
 * must outlive it. A non-zero return of `cb` stops the search and is
 * returned as it is (`cb` fills in the error it means).
 */
int mrm_search(struct mrm_store *st, const char *text, unsigned limit,
	       int (*cb)(void *ctx, const struct mrm_hit *hit), void *ctx,
	       struct mrm_error *err);

#endif
