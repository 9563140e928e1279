/*
 * auth.h - who is asking, and what they may do.
 *
 * Sessions (for the browser: a cookie and a CSRF token) and API tokens
 * (for scripts: "Authorization: Bearer TOKEN") both resolve to a struct
 * mrm_actor. Every rule about who may see or change what lives here, below
 * every interface: the web handlers ask mrm_access_*() and never decide
 * themselves.
 *
 * Tokens are 32 random bytes, shown once, hex-encoded (64 characters);
 * the database keeps only their BLAKE2b hash. Sessions expire after
 * MRM_SESSION_SECONDS; failed logins are limited per login and per client
 * address.
 */
#ifndef MRM_AUTH_H
#define MRM_AUTH_H

#include "mrm/error.h"

#include <stdint.h>

struct mrm_store;

#define MRM_TOKEN_HEX		  64
#define MRM_SESSION_SECONDS	  (8 * 3600) /* absolute lifetime, default */
#define MRM_SESSION_IDLE_SECONDS  (30 * 60)  /* unused this long: ended */
#define MRM_SESSION_TOUCH_SECONDS 60  /* last use is recorded this often */
#define MRM_LOGIN_FAILURES_MAX	  5   /* per login and per address ... */
#define MRM_LOGIN_WINDOW_SECONDS  900 /* ... within this window */

enum mrm_role {
	MRM_ROLE_ADMIN,
	MRM_ROLE_COORDINATOR,
	MRM_ROLE_CASEWORKER,
	MRM_ROLE_RESEARCHER, /* aggregates only, never identities */
	MRM_ROLE_VIEWER,     /* published (public) figures and reports only */
};

struct mrm_actor {
	int64_t user_id, org_id;
	char login[65];
	char org[33];
	enum mrm_role role;
};

/* "admin" -> MRM_ROLE_ADMIN...; -1 when unknown (or NULL). */
int mrm_role_parse(const char *name);
/* MRM_ROLE_ADMIN -> "admin"...; "unknown" for a value outside the enum
 * (never NULL). The string is static. */
const char *mrm_role_name(enum mrm_role role);

/*
 * Log in: on success fills `who`, writes a new session token and its CSRF
 * token (each MRM_TOKEN_HEX characters and a NUL) and returns 0. A wrong
 * login or password is MRM_ERR_ACCESS with the same message for both; too
 * many recent failures for this login or `client` address is
 * MRM_ERR_LIMIT (the attempt is not even checked).
 *
 * `client` is the address the attempt came from; NULL or "" when unknown,
 * and then only the per-login limit applies. Each attempt is counted as a
 * failure before its password is checked, in the same transaction as the
 * limit check, so that parallel attempts cannot slip past the limit; a
 * success then clears that login's failures. An unknown login costs the
 * same Argon2id verification as a wrong password. On any failure `session`
 * and `csrf` are "" and `who` is zeroed.
 */
int mrm_auth_login(struct mrm_store *st, const char *login,
		   const char *password, const char *client,
		   char session[MRM_TOKEN_HEX + 1],
		   char csrf[MRM_TOKEN_HEX + 1], struct mrm_actor *who,
		   struct mrm_error *err);

/*
 * Log in with everything a login may carry: as mrm_auth_login(), and
 * when the user has two-factor login on (account.h), `totp` must be the
 * current code of their authenticator app: a missing, wrong or already
 * used code is MRM_ERR_ACCESS with where "totp" (counted as a failure by
 * the login limit like a wrong password). A disabled user is
 * MRM_ERR_ACCESS (after the password is checked). The session lasts
 * `max_seconds` at most (0: MRM_SESSION_SECONDS).
 */
struct mrm_login {
	const char *login, *password;
	const char *totp;   /* the 6-digit code, or NULL */
	const char *client; /* NULL or "" when unknown */
	int64_t max_seconds;
};
int mrm_auth_login_with(struct mrm_store *st, const struct mrm_login *l,
			char session[MRM_TOKEN_HEX + 1],
			char csrf[MRM_TOKEN_HEX + 1], struct mrm_actor *who,
			struct mrm_error *err);

/* The actor of a live session, and its CSRF token (`csrf` may be NULL when
 * not wanted); MRM_ERR_ACCESS when the session is unknown, expired, idle
 * for MRM_SESSION_IDLE_SECONDS or its user disabled. Compare the CSRF
 * token a request carries with mrm_auth_token_equal(). Each use is
 * recorded (at most once per MRM_SESSION_TOUCH_SECONDS) and keeps the
 * session from going idle; it never extends the absolute lifetime. */
int mrm_auth_session(struct mrm_store *st, const char *session,
		     struct mrm_actor *who, char csrf[MRM_TOKEN_HEX + 1],
		     struct mrm_error *err);
/* The same with an idle limit of `idle_seconds` (0: the default). */
int mrm_auth_session_idle(struct mrm_store *st, const char *session,
			  int64_t idle_seconds, struct mrm_actor *who,
			  char csrf[MRM_TOKEN_HEX + 1], struct mrm_error *err);

/* End a session (unknown sessions are fine). */
int mrm_auth_logout(struct mrm_store *st, const char *session,
		    struct mrm_error *err);

/* A new API token for user `login`, valid `days` days (1-3650); written
 * once into `token`. `name` (1-64 characters of UTF-8, no control
 * characters) says what it is for. An unknown login is MRM_ERR_NOTFOUND
 * (the message names no other user); bad days or name MRM_ERR_INVALID. */
int mrm_auth_token_create(struct mrm_store *st, const char *login,
			  const char *name, int days,
			  char token[MRM_TOKEN_HEX + 1], struct mrm_error *err);

/* The actor of an API token; MRM_ERR_ACCESS when unknown, expired or its
 * user disabled. */
int mrm_auth_bearer(struct mrm_store *st, const char *token,
		    struct mrm_actor *who, struct mrm_error *err);

/* Compare two NUL-terminated tokens in constant time: 1 when equal, 0 when
 * not (or either is NULL). Only the lengths may leak. */
int mrm_auth_token_equal(const char *a, const char *b);

/* ---- access ---- */

enum mrm_action {
	MRM_ACT_READ_RECORDS,  /* events and acts of an organisation */
	MRM_ACT_WRITE_RECORDS, /* create or change them, import */
	MRM_ACT_READ_IDENTITY, /* decrypted names, contacts, health */
	MRM_ACT_EXPORT,	       /* whole-database export */
	MRM_ACT_STATS,	       /* statistics, internal (not --public) */
	MRM_ACT_STATS_PUBLIC,  /* statistics and reports with --public */
	MRM_ACT_ADMIN,	       /* users and organisations */
};

/*
 * May `who` do `action` on records owned by organisation `org_id` (0 when
 * the action concerns no particular organisation)? 0 when allowed, else
 * MRM_ERR_ACCESS with a message that says what the role allows. Records
 * shared with the actor's organisation (mrm_access_share) count as its
 * own for reading.
 *
 *   action          admin  coordinator caseworker researcher viewer
 *   READ_RECORDS    own or shared      same       no         no
 *   WRITE_RECORDS   own    own         own        no         no
 *   READ_IDENTITY   own    own         own        no         no
 *   EXPORT          own    own         no         no         no
 *   STATS           yes    yes         yes        yes        no
 *   STATS_PUBLIC    yes    yes         yes        yes        yes
 *   ADMIN           yes    no          no         no         no
 *
 * "own" is `org_id` equal to the actor's organisation, or 0 (then only the
 * role matters). "shared" needs `event_id` > 0: the event must belong to
 * `org_id` and be shared with the actor's organisation. Identities are
 * never shared. `event_id` is 0 when the check concerns no one event.
 */
int mrm_access_check(struct mrm_store *st, const struct mrm_actor *who,
		     enum mrm_action action, int64_t org_id, int64_t event_id,
		     struct mrm_error *err);

/* The organisation that owns event `event_id`; MRM_ERR_NOTFOUND when there
 * is no such event. */
int mrm_event_owner(struct mrm_store *st, int64_t event_id, int64_t *org,
		    struct mrm_error *err);

/*
 * Share event `event_id` with organisation `org_code` (read access, never
 * identities). Only those who may read and write the records of the
 * event's own organisation may share it (MRM_ERR_ACCESS); an unknown
 * event or organisation is MRM_ERR_NOTFOUND (the message lists the known
 * codes); sharing with the owner itself is MRM_ERR_INVALID. Sharing twice
 * is fine.
 */
int mrm_access_share(struct mrm_store *st, const struct mrm_actor *who,
		     int64_t event_id, const char *org_code,
		     struct mrm_error *err);

#endif
