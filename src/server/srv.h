/*
 * srv.h - (internal) what the parts of the server share: the server, one
 * request, the route table, and the helpers handlers use to read a
 * request and render an answer (http.c).
 *
 * A handler is thin: it reads its parameters with srv_arg*() or its body
 * with srv_body_object(), calls libmrm, and answers with srv_json(),
 * srv_error() or srv_fail(). Those return 0, so a handler ends with
 * `return srv_json(r, 200, v);`. A handler that answers nothing gets a
 * 500.
 */
#ifndef MRM_SRV_H
#define MRM_SRV_H

#include "server.h"

#include "mrm/auth.h"
#include "mrm/buf.h"
#include "mrm/error.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "authcache.h"
#include "cache.h"

struct mrm_store;

/* A worker thread's database connection. */
struct srv_slot {
	pthread_t thread;
	struct mrm_store *st;
	struct srv_slot *next;
};

struct srv {
	struct MHD_Daemon *daemon;
	unsigned long serial; /* this server among those this process ran */
	struct srv_opts o;
	char *db;
	uint16_t port;
	int tls;
	FILE *log;

	pthread_mutex_t mu; /* guards what follows */
	pthread_cond_t idle;
	unsigned active; /* requests between their start and their end
			  * (atomic; the lock to wait for it to reach 0) */
	struct srv_slot *slots;
	struct mrm_store *spare;    /* opened at start; the first worker's */
	struct srv_cache answers;   /* statistics answers (cache.h) */
	pthread_mutex_t stats_mu;   /* one statistics query at a time */
	struct srv_auth_cache auth; /* tokens and sessions (authcache.h) */
};

/* ---- routes ---- */

enum {
	SRV_PUBLIC = 1 << 0,	/* anyone: no login needed */
	SRV_JSON_BODY = 1 << 1, /* takes application/json */
	SRV_CSV_BODY = 1 << 2,	/* takes text/csv, up to import_max */
	SRV_NO_CSRF = 1 << 3,	/* logging in: there is no session yet */
};

struct srv_param {
	const char *name;
	const char *in; /* "query" or "path" */
	unsigned flags; /* SRV_P_* */
	const char *description;
};

enum { SRV_P_REQUIRED = 1, SRV_P_REPEAT = 2, SRV_P_INT = 4 };

struct srv_req;
typedef int (*srv_handler)(struct srv_req *r);

struct srv_route {
	const char *method;
	const char *path; /* "/api/v1/events/{id}" */
	srv_handler handler;
	unsigned flags;
	const char *summary;
	const struct srv_param *params; /* ends with a NULL name */
	const unsigned *statuses;	/* the answers it gives, 0-ended */
	const char *produces;		/* media type of a 2xx answer */
};

#define SRV_ARGS_MAX 2 /* path parameters of one route */

extern const struct srv_route srv_routes[];
extern const size_t srv_nroutes;

/*
 * Find the route for `method` `path` (decoded), filling args with its path
 * parameters (pointers into `path`'s copy, which the caller frees: *copy).
 * NULL with *status 404 (no such path) or 405 (the path exists, not with
 * this method; `allow` lists the methods it takes).
 */
const struct srv_route *srv_route_find(const char *method, const char *path,
				       char **copy, char *args[SRV_ARGS_MAX],
				       unsigned *status, char *allow,
				       size_t allow_size);

/* The OpenAPI 3 description of srv_routes (the caller owns it). */
json_t *srv_openapi(void);

/* ---- one request ---- */

struct srv_query {
	char **keys, **vals; /* decoded; vals[i] "" when no '=' */
	size_t n;
};

struct srv_req {
	struct srv *srv;
	struct MHD_Connection *conn;
	struct timespec t0;
	char method[16];
	char *uri;  /* as received: "/api/v1/events?q=x" */
	char *path; /* decoded path */
	struct srv_query q;
	unsigned early;	     /* an error status found before routing */
	char early_msg[256]; /* ... and its message */
	int started, static_path;

	const struct srv_route *route;
	char *route_copy, *args[SRV_ARGS_MAX];
	unsigned route_status;
	char allow[64];

	struct mrm_buf body;
	int body_over;

	struct mrm_store *st; /* this worker's */
	struct mrm_actor who;
	int authed, via_cookie;
	char session[MRM_TOKEN_HEX + 1], csrf[MRM_TOKEN_HEX + 1];
	char client[64];

	/* the answer */
	unsigned status;
	struct MHD_Response *resp;
	uint64_t bytes;	 /* of the body sent (streams count as they go) */
	const char *csp; /* a Content-Security-Policy of its own, or NULL */
};

/* The calling worker's database connection (opened on first use). */
struct mrm_store *srv_store(struct srv *s, struct mrm_error *err);

/* ---- reading a request (http.c) ---- */

/*
 * Percent-decode s[0..len) into a new string (*out, malloc'd), '+' as a
 * space when `plus`. MRM_ERR_INVALID for a bad escape, a NUL byte or
 * invalid UTF-8 (message in err).
 */
int srv_decode(const char *s, size_t len, int plus, char **out,
	       struct mrm_error *err);
/* Parse a query string ("a=1&b=%20&a=2") into q; same errors. */
int srv_query_parse(const char *s, struct srv_query *q, struct mrm_error *err);
void srv_query_release(struct srv_query *q);

/* The first value of query parameter `name`, or NULL. */
const char *srv_arg(const struct srv_req *r, const char *name);
/* All values of `name`, at most `max`; returns how many there are. */
size_t srv_args(const struct srv_req *r, const char *name, const char **out,
		size_t max);
/*
 * Integer parameter `name` in [min, max] (dflt when absent) into *out; 0,
 * or -1 when it answered 400.
 */
int srv_arg_int(struct srv_req *r, const char *name, long min, long max,
		long dflt, long *out);
/* Flag parameter `name`: absent or "0" is 0, "1" is 1; -1 when it
 * answered 400. */
int srv_arg_flag(struct srv_req *r, const char *name, int *out);
/* A list cursor ("" or absent: 0) into *out; -1 when it answered 400. */
int srv_arg_cursor(struct srv_req *r, int64_t *out);

/* Is the request's Content-Type `type` (charset, if any, utf-8)? */
int srv_content_type_is(struct srv_req *r, const char *type);

/*
 * The body as a JSON object (the caller owns it), or NULL when it answered
 * 400 (not UTF-8, not JSON, not an object, a member not in `allowed`).
 * `allowed` ends with NULL; NULL allows every member.
 */
json_t *srv_body_object(struct srv_req *r, const char *const *allowed);

/* ---- answering (http.c) ---- */

/* Answer `status` with `data` of `len` bytes (taken over; malloc'd). */
int srv_send(struct srv_req *r, unsigned status, const char *type, char *data,
	     size_t len);
/* Answer with static data (not copied). */
int srv_send_static(struct srv_req *r, unsigned status, const char *type,
		    const void *data, size_t len);
/* Answer `status` with JSON `v` (taken over; NULL is a 500). */
int srv_json(struct srv_req *r, unsigned status, json_t *v);
/* {"error": {"code", "message", "field"}} with `status`; field may be
 * NULL. */
int srv_error(struct srv_req *r, unsigned status, const char *code,
	      const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Answer a libmrm error: invalid 400, access 403, not found 404, exists
 * 409; failures of the database, memory or files 500 (logged, not told).
 */
int srv_fail(struct srv_req *r, const struct mrm_error *e);
/* The HTTP status srv_fail() gives for `code`. */
unsigned srv_status_of(int code);
/* The error document of srv_error() (the caller owns it). */
json_t *srv_error_json(const char *code, const char *field, const char *msg);
/* Add a header to the answer already set. */
void srv_header(struct srv_req *r, const char *name, const char *value);

/* Lines of the access log are cut at this many bytes. */
#define SRV_LOG_LINE_MAX 1024

/* Write a line to the access log (one write(2), no lock). */
void srv_log(struct srv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- static files (static.c) ---- */

/* GET or HEAD of "/" or "/app/...": the embedded web/ files. */
int srv_static(struct srv_req *r);
/* Is `path` one that srv_static() answers (the rest is for routes)? */
int srv_is_static(const char *path);

#endif
