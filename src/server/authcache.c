/* authcache.c - see authcache.h */
#include "authcache.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void srv_auth_cache_init(struct srv_auth_cache *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
}

void srv_auth_cache_release(struct srv_auth_cache *c)
{
	sodium_memzero(c->e, sizeof(c->e));
	pthread_mutex_destroy(&c->mu);
}

static void key_of(enum srv_auth_kind kind, const char *token,
		   unsigned char key[32])
{
	crypto_generichash_state h;
	unsigned char k = (unsigned char)kind;

	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, &k, 1);
	crypto_generichash_update(&h, (const unsigned char *)token,
				  strlen(token));
	crypto_generichash_final(&h, key, 32);
}

static struct srv_auth_entry *slot(struct srv_auth_cache *c,
				   const unsigned char key[32])
{
	return &c->e[(key[0] | (unsigned)key[1] << 8) % SRV_AUTH_ENTRIES];
}

static int later(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

int srv_auth_cache_get(struct srv_auth_cache *c, enum srv_auth_kind kind,
		       const char *token, struct mrm_actor *who,
		       char csrf[MRM_TOKEN_HEX + 1])
{
	unsigned char key[32];
	struct srv_auth_entry *e;
	struct timespec now;
	int found = 0;

	key_of(kind, token, key);
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&c->mu);
	e = slot(c, key);
	if (e->until.tv_sec && later(&e->until, &now) &&
	    !sodium_memcmp(e->key, key, sizeof(key))) {
		*who = e->who;
		if (csrf)
			memcpy(csrf, e->csrf, MRM_TOKEN_HEX + 1);
		found = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return found;
}

void srv_auth_cache_put(struct srv_auth_cache *c, enum srv_auth_kind kind,
			const char *token, const struct mrm_actor *who,
			const char *csrf)
{
	unsigned char key[32];
	struct srv_auth_entry *e;
	struct timespec now;

	key_of(kind, token, key);
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_sec += SRV_AUTH_TTL;
	pthread_mutex_lock(&c->mu);
	e = slot(c, key);
	memcpy(e->key, key, sizeof(key));
	e->until = now;
	e->who = *who;
	memset(e->csrf, 0, sizeof(e->csrf));
	if (csrf)
		snprintf(e->csrf, sizeof(e->csrf), "%s", csrf);
	pthread_mutex_unlock(&c->mu);
}

void srv_auth_forget(struct srv_auth_cache *c, enum srv_auth_kind kind,
		     const char *token)
{
	unsigned char key[32];
	struct srv_auth_entry *e;

	key_of(kind, token, key);
	pthread_mutex_lock(&c->mu);
	e = slot(c, key);
	if (!sodium_memcmp(e->key, key, sizeof(key)))
		sodium_memzero(e, sizeof(*e));
	pthread_mutex_unlock(&c->mu);
}

void srv_auth_forget_all(struct srv_auth_cache *c)
{
	pthread_mutex_lock(&c->mu);
	sodium_memzero(c->e, sizeof(c->e));
	pthread_mutex_unlock(&c->mu);
}
