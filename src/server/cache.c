/* cache.c - see cache.h */
#include "cache.h"

#include <stdlib.h>
#include <string.h>

void srv_cache_init(struct srv_cache *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
}

static void entry_free(struct srv_cache_entry *e)
{
	free(e->key);
	free(e->answer);
	memset(e, 0, sizeof(*e));
}

void srv_cache_release(struct srv_cache *c)
{
	for (size_t i = 0; i < SRV_CACHE_ENTRIES; i++)
		entry_free(&c->e[i]);
	pthread_mutex_destroy(&c->mu);
}

char *srv_cache_get(struct srv_cache *c, const char *key, int64_t generation,
		    size_t *len)
{
	char *copy = NULL;

	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < SRV_CACHE_ENTRIES; i++) {
		struct srv_cache_entry *e = &c->e[i];

		if (!e->key || strcmp(e->key, key))
			continue;
		if (e->generation != generation) {
			entry_free(e); /* the data moved on */
			break;
		}
		copy = malloc(e->len + 1);
		if (copy) {
			memcpy(copy, e->answer, e->len + 1);
			*len = e->len;
			e->used = ++c->clock;
		}
		break;
	}
	pthread_mutex_unlock(&c->mu);
	return copy;
}

void srv_cache_put(struct srv_cache *c, const char *key, int64_t generation,
		   const char *answer, size_t len)
{
	struct srv_cache_entry *slot = NULL;
	char *k, *a;

	if (len > SRV_CACHE_ANSWER_MAX)
		return;
	k = strdup(key);
	a = malloc(len + 1);
	if (!k || !a) {
		free(k);
		free(a);
		return;
	}
	memcpy(a, answer, len);
	a[len] = '\0';
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < SRV_CACHE_ENTRIES; i++) {
		struct srv_cache_entry *e = &c->e[i];

		if (e->key && !strcmp(e->key, key)) {
			slot = e;
			break;
		}
		if (!slot || !e->key || (slot->key && e->used < slot->used))
			slot = e;
	}
	entry_free(slot);
	*slot = (struct srv_cache_entry){k, a, len, generation, ++c->clock};
	pthread_mutex_unlock(&c->mu);
}
