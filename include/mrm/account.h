/*
 * account.h - what a user's account holds besides its role: the password
 * policy and password changes, two-factor login with TOTP (totp.h),
 * revoking sessions, and disabling a user.
 *
 * Passwords: at least MRM_PASSWORD_MIN characters, not the login nor
 * containing it (ignoring case), and not one of the common passwords of
 * data/common-passwords.txt (compiled in; compared ignoring case).
 *
 * TOTP secrets are sealed with the database's field key (crypto.h) under
 * the associated data "user/ID/totp", so a copied secret does not open
 * on another user. A code is good once: the last step used is kept and
 * a code of that step or an earlier one is refused (replay).
 */
#ifndef MRM_ACCOUNT_H
#define MRM_ACCOUNT_H

#include "mrm/error.h"
#include "mrm/totp.h"

#include <stdint.h>

struct mrm_store;
struct mrm_actor;

#define MRM_PASSWORD_MIN 12
#define MRM_TOTP_ISSUER	 "Migrant Rights Monitor"

/* 0 when `password` may be the password of `login` (NULL: no login to
 * compare); MRM_ERR_INVALID (where "password") saying what is wrong. */
int mrm_password_policy(const char *login, const char *password,
			struct mrm_error *err);

/* The id of user `login`; MRM_ERR_NOTFOUND (where "--login") when none. */
int mrm_user_id(struct mrm_store *st, const char *login, int64_t *id,
		struct mrm_error *err);

/*
 * Set the password of user `user_id` (after mrm_password_policy()) and end
 * every session of that user but `keep` (a session token, or NULL to end
 * them all). For administrators and the CLI: the old password is not
 * asked.
 */
int mrm_user_set_password(struct mrm_store *st, int64_t user_id,
			  const char *password, const char *keep,
			  struct mrm_error *err);

/* Is `password` the current password of `user_id`? 0, or MRM_ERR_ACCESS
 * (at `where`) when not. For asking it again before a change. */
int mrm_user_check_password(struct mrm_store *st, int64_t user_id,
			    const char *password, const char *where,
			    struct mrm_error *err);

/*
 * The user `who` changes their own password: `old` must be the current
 * one (MRM_ERR_ACCESS, where "old_password", when not); then as
 * mrm_user_set_password() with `keep` the session that asked.
 */
int mrm_user_change_password(struct mrm_store *st, const struct mrm_actor *who,
			     const char *old, const char *password,
			     const char *keep, struct mrm_error *err);

/* End every session of `user_id` but `keep` (NULL: all); *ended (may be
 * NULL) how many. API tokens are not touched. */
int mrm_user_revoke(struct mrm_store *st, int64_t user_id, const char *keep,
		    int *ended, struct mrm_error *err);

/*
 * Disable (`disabled` 1) or enable (0) user `user_id`. Disabling ends all
 * the user's sessions and deletes all the user's API tokens at once; a
 * disabled user cannot log in (even with the right password).
 */
int mrm_user_disable(struct mrm_store *st, int64_t user_id, int disabled,
		     struct mrm_error *err);

/*
 * A new TOTP secret for `user_id`: its base32 text and otpauth:// URI
 * (for an authenticator app). With `pending` 1 (self-enrolment in the
 * browser) it waits for mrm_totp_confirm() and logins go on without a
 * code meanwhile; with 0 (an administrator with the database) it takes
 * effect at once.
 */
int mrm_totp_enrol(struct mrm_store *st, int64_t user_id, int pending,
		   char secret[MRM_TOTP_SECRET_B32 + 1],
		   char uri[MRM_TOTP_URI_MAX], struct mrm_error *err);

/* Confirm the pending secret of `user_id` with a code of it: from then on
 * logins need a code. MRM_ERR_NOTFOUND when nothing is pending,
 * MRM_ERR_INVALID (where "code") for a wrong code. */
int mrm_totp_confirm(struct mrm_store *st, int64_t user_id, const char *code,
		     struct mrm_error *err);

/* Turn two-factor login off for `user_id`. */
int mrm_totp_off(struct mrm_store *st, int64_t user_id, struct mrm_error *err);
/* Is two-factor login on for `user_id` (*on), and is a new secret waiting
 * for its confirmation (*pending)? MRM_ERR_NOTFOUND when no such user. */
int mrm_totp_status(struct mrm_store *st, int64_t user_id, int *on,
		    int *pending, struct mrm_error *err);

/*
 * For logging in (auth.c): is two-factor login on for `user_id`
 * (*on set)? When on, check `code` against its secret at `now`, and on a
 * match use up its step: 0, or MRM_ERR_ACCESS with where "totp" (no code,
 * a wrong one or one already used).
 */
int mrm_totp_login(struct mrm_store *st, int64_t user_id, const char *code,
		   int64_t now, int *on, struct mrm_error *err);

#endif
