/*
 * cache.h - answers kept for repeated statistics queries.
 *
 * The dashboard asks the same few questions again and again; an answer
 * stays good until the data generation moves on (mrm_store_generation), so
 * it is kept, keyed by the normalised query and tagged with the generation
 * it was computed at. A small fixed number of entries, least recently used
 * first out; shared by all worker threads.
 */
#ifndef MRM_SRV_CACHE_H
#define MRM_SRV_CACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define SRV_CACHE_ENTRIES    64
#define SRV_CACHE_ANSWER_MAX (256u << 10) /* larger answers are not kept */

struct srv_cache_entry {
	char *key, *answer; /* malloc'd; NULL when the slot is free */
	size_t len;
	int64_t generation;
	uint64_t used;
};

struct srv_cache {
	pthread_mutex_t mu;
	struct srv_cache_entry e[SRV_CACHE_ENTRIES];
	uint64_t clock;
};

void srv_cache_init(struct srv_cache *c);
void srv_cache_release(struct srv_cache *c);

/* A malloc'd copy of the answer to `key` at `generation` (the caller frees
 * it), or NULL. */
char *srv_cache_get(struct srv_cache *c, const char *key, int64_t generation,
		    size_t *len);

/* Keep a copy of `answer` (best effort: nothing happens when memory is
 * short or the answer is large). */
void srv_cache_put(struct srv_cache *c, const char *key, int64_t generation,
		   const char *answer, size_t len);

#endif
