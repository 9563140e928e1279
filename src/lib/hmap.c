/* hmap.c - see include/mrm/hmap.h */
#include "mrm/hmap.h"

#include "mrm/error.h"

#include <stdlib.h>
#include <string.h>

struct mrm_hmap_slot {
	char *key; /* NULL when empty */
	uint64_t hash;
	int64_t value;
};

void mrm_hmap_init(struct mrm_hmap *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
}

void mrm_hmap_release(struct mrm_hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	mrm_hmap_init(m);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct mrm_hmap_slot *find(const struct mrm_hmap *m, const char *key,
				  uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->slots[i].key) {
		if (m->slots[i].hash == h && !strcmp(m->slots[i].key, key))
			return &m->slots[i];
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

static int grow(struct mrm_hmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct mrm_hmap old = *m;

	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return MRM_ERR_NOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].hash) =
				old.slots[i];
	free(old.slots);
	return 0;
}

int mrm_hmap_put(struct mrm_hmap *m, const char *key, int64_t value)
{
	uint64_t h = hash(key);
	struct mrm_hmap_slot *s;

	if ((m->count + 1) * 4 > m->cap * 3 && grow(m))
		return MRM_ERR_NOMEM;
	s = find(m, key, h);
	if (!s->key) {
		s->key = strdup(key);
		if (!s->key)
			return MRM_ERR_NOMEM;
		s->hash = h;
		m->count++;
	}
	s->value = value;
	return 0;
}

int mrm_hmap_get(const struct mrm_hmap *m, const char *key, int64_t *value)
{
	struct mrm_hmap_slot *s;

	if (!m->cap)
		return 0;
	s = find(m, key, hash(key));
	if (!s->key)
		return 0;
	if (value)
		*value = s->value;
	return 1;
}
