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
	int disabled; /* may not log in (mrm_user_disable()) */
	int totp;     /* two-factor login is on */
};

/* Roles, most powerful first. */
extern const char *const mrm_roles[];

/*
 * Add an organisation. `code` is 2-32 letters, digits, '-' or '_' and must
 * be new (MRM_ERR_EXISTS otherwise); `country` an ISO 3166-1 code.
 * Audit and access checks come later.
 */
int mrm_org_add(struct mrm_store *st, const char *code, const char *name,
		const char *country, struct mrm_error *err);

/*
 * Check an organisation's `code`, `name` and `country` as mrm_org_add()
 * does, for anything else that adds organisations (the JSON import).
 * `country` may be a code or a label; *cc is set to its code (owned by the
 * store's vocabularies). Errors are located at `where` followed by the
 * member's name: "--" gives "--code", "f.json: organisations[2]." gives
 * "f.json: organisations[2].code".
 */
int mrm_org_check(struct mrm_store *st, const char *where, const char *code,
		  const char *name, const char *country, const char **cc,
		  struct mrm_error *err);

/* Call `cb` for each organisation by code. The record is valid during the
 * call only. A non-zero return of `cb` stops the walk and is returned as
 * it is: `cb` fills in the error it means, `err` is for the database's. */
int mrm_org_each(struct mrm_store *st,
		 int (*cb)(void *ctx, const struct mrm_org *org), void *ctx,
		 struct mrm_error *err);

/* The id of organisation `code`; MRM_ERR_NOTFOUND names the known codes
 * (a database failure is MRM_ERR_DB). */
int mrm_org_id(struct mrm_store *st, const char *code, int64_t *id,
	       struct mrm_error *err);

/*
 * Add a user of organisation `org_code` with `role` (one of mrm_roles) and
 * `password` (as mrm_password_policy() of account.h allows), stored as an
 * Argon2id hash.
 */
int mrm_user_add(struct mrm_store *st, const char *org_code, const char *login,
		 const char *role, const char *password, struct mrm_error *err);

/* Call `cb` for each user, by organisation code then login, as
 * mrm_org_each() does for organisations. Password hashes are not
 * given out. */
int mrm_user_each(struct mrm_store *st,
		  int (*cb)(void *ctx, const struct mrm_user *user), void *ctx,
		  struct mrm_error *err);

#endif
