/*
 * hmap.h - a string-keyed hash map to 64-bit values (open addressing).
 *
 * Keys are copied into the map's own storage; values are plain integers
 * (ids, indexes). mrm_hmap_init() allocates nothing; mrm_hmap_release()
 * frees everything.
 */
#ifndef MRM_HMAP_H
#define MRM_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct mrm_hmap_slot;
struct mrm_hmap {
	struct mrm_hmap_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t count;
};

void mrm_hmap_init(struct mrm_hmap *m);
void mrm_hmap_release(struct mrm_hmap *m);

/* Set key -> value (replacing any value). 0 or MRM_ERR_NOMEM. */
int mrm_hmap_put(struct mrm_hmap *m, const char *key, int64_t value);
/* 1 and *value when found, 0 when not. `value` may be NULL. */
int mrm_hmap_get(const struct mrm_hmap *m, const char *key, int64_t *value);

#endif
