/*
 * authcache.h - who a bearer token or session cookie stands for, kept a
 * few seconds so that every request does not ask the database.
 *
 * An entry is keyed by a BLAKE2b hash of the token (the token itself is
 * not kept) and lives SRV_AUTH_TTL seconds. That is also how long a
 * change made outside this server (mrm token revoke, mrm user ... at the
 * command line, a session deleted by another server on the same database)
 * may take to reach a request here; a change made through this server
 * takes effect at once, because what makes it calls srv_auth_forget()
 * (one token or session) or srv_auth_forget_all() (users, roles).
 * Only successful look-ups are kept: an unknown token always asks the
 * database. Shared by all worker threads.
 */
#ifndef MRM_SRV_AUTHCACHE_H
#define MRM_SRV_AUTHCACHE_H

#include "mrm/auth.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define SRV_AUTH_TTL	 5   /* seconds an entry is believed */
#define SRV_AUTH_ENTRIES 256 /* tokens and sessions kept at once */

enum srv_auth_kind { SRV_AUTH_BEARER = 'b', SRV_AUTH_SESSION = 's' };

struct srv_auth_entry {
	unsigned char key[32]; /* hash of the kind and the token */
	struct timespec until; /* CLOCK_MONOTONIC; zero: a free slot */
	struct mrm_actor who;
	char csrf[MRM_TOKEN_HEX + 1]; /* sessions' */
};

struct srv_auth_cache {
	pthread_mutex_t mu;
	struct srv_auth_entry e[SRV_AUTH_ENTRIES];
};

void srv_auth_cache_init(struct srv_auth_cache *c);
/* Wipes every entry. */
void srv_auth_cache_release(struct srv_auth_cache *c);

/* 1 and the actor (and for a session its CSRF token, when `csrf` is not
 * NULL) when `token` of `kind` is kept and not stale; else 0. */
int srv_auth_cache_get(struct srv_auth_cache *c, enum srv_auth_kind kind,
		       const char *token, struct mrm_actor *who,
		       char csrf[MRM_TOKEN_HEX + 1]);

/* Keep what the database said `token` of `kind` stands for. */
void srv_auth_cache_put(struct srv_auth_cache *c, enum srv_auth_kind kind,
			const char *token, const struct mrm_actor *who,
			const char *csrf);

/* Forget `token` of `kind` (a session ended, a token revoked). */
void srv_auth_forget(struct srv_auth_cache *c, enum srv_auth_kind kind,
		     const char *token);

/* Forget everything (a user or role changed, sessions revoked in bulk). */
void srv_auth_forget_all(struct srv_auth_cache *c);

#endif
