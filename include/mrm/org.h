/*
 * org.h - organisations and their users.
 */
#ifndef MRM_ORG_H
#define MRM_ORG_H

#include "mrm/error.h"

#include <stdint.h>

struct mrm_store;

struct mrm_org {
	int64_t id;
	const char *code, *name, *country, *kind; /* kind may be "" */
};

struct mrm_user {
	int64_t id;
	const char *org, *login, *role, *created;
};

/* Roles, most powerful first. */
extern const char *const mrm_roles[];

/*
 * Add an organisation. `code` is 2-32 letters, digits, '-' or '_' and must
 * be new; `country` an ISO 3166-1 code. Audit and access checks come later.
 */
int mrm_org_add(struct mrm_store *st, const char *code, const char *name,
		const char *country, struct mrm_error *err);

/* Call `cb` for each organisation by code; a non-zero return stops. The
 * record is valid during the call only. */
int mrm_org_each(struct mrm_store *st,
		 int (*cb)(void *ctx, const struct mrm_org *org), void *ctx,
		 struct mrm_error *err);

/* The id of organisation `code`; MRM_ERR_NOTFOUND names the known codes. */
int mrm_org_id(struct mrm_store *st, const char *code, int64_t *id,
	       struct mrm_error *err);

/*
 * Add a user of organisation `org_code` with `role` (one of mrm_roles) and
 * `password` (at least 10 characters), stored as an Argon2id hash.
 */
int mrm_user_add(struct mrm_store *st, const char *org_code, const char *login,
		 const char *role, const char *password, struct mrm_error *err);

int mrm_user_each(struct mrm_store *st,
		  int (*cb)(void *ctx, const struct mrm_user *user), void *ctx,
		  struct mrm_error *err);

#endif
