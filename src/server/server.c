/*
 * server.c - the daemon (see server.h) and the life of a request: read
 * it, find its route, tell who asks, call the handler, add the security
 * headers, send, log.
 */
#include "srv.h"

#include "mrm/crypto.h"
#include "mrm/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CSP                                                                    \
	"default-src 'self'; script-src 'self'; style-src 'self'; "            \
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "        \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
#define LOG_PATH_MAX 256

/* ---- addresses ---- */

static int bad_listen(const char *listen, struct mrm_error *err)
{
	return mrm_error_set(err, MRM_ERR_INVALID, "--listen",
			     "\"%.100s\" is not an address to listen on; "
			     "write HOST:PORT with a numeric host, as "
			     "127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080",
			     listen);
}

int srv_parse_listen(const char *listen, struct sockaddr_storage *ss,
		     socklen_t *len, struct mrm_error *err)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	const char *colon, *port;
	char host[64];
	size_t hlen;
	long p;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (!listen || !(colon = strrchr(listen, ':')))
		return bad_listen(listen ? listen : "", err);
	hlen = (size_t)(colon - listen);
	port = colon + 1;
	if (*listen == '[' && hlen > 2 && listen[hlen - 1] == ']') {
		listen++;
		hlen -= 2;
	}
	if (!hlen || hlen >= sizeof(host))
		return bad_listen(listen, err);
	memcpy(host, listen, hlen);
	host[hlen] = 0;
	errno = 0;
	p = strtol(port, &end, 10);
	if (!*port || *end || errno || p < 0 || p > 65535 || *port == '-' ||
	    *port == '+')
		return bad_listen(listen, err);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		*len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*v6);
	} else {
		return bad_listen(listen, err);
	}
	return 0;
}

/* ---- the workers' database connections ---- */

/* The calling thread's connection, found without a lock once known. */
static __thread struct {
	unsigned long serial; /* of the server (srv->serial) */
	struct mrm_store *st;
} mine;
static unsigned long serials; /* servers started */

struct mrm_store *srv_store(struct srv *s, struct mrm_error *err)
{
	pthread_t me = pthread_self();
	struct mrm_store *st = NULL;
	struct srv_slot *sl;

	if (mine.serial == s->serial && mine.st)
		return mine.st;
	pthread_mutex_lock(&s->mu);
	for (sl = s->slots; sl; sl = sl->next)
		if (pthread_equal(sl->thread, me)) {
			st = sl->st;
			goto out;
		}
	sl = calloc(1, sizeof(*sl));
	if (!sl) {
		mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (s->spare) {
		st = s->spare;
		s->spare = NULL;
	} else if (mrm_store_open_worker(&st, s->db, s->o.kek, err)) {
		free(sl);
		goto out;
	}
	/* a worker's page cache: small, there are several of them (the
	 * kernel's page cache holds the file too; an event's pages are few) */
	sqlite3_exec(mrm_store_db(st), "PRAGMA cache_size=-2048", NULL, NULL,
		     NULL);
	sl->thread = me;
	sl->st = st;
	sl->next = s->slots;
	s->slots = sl;
out:
	pthread_mutex_unlock(&s->mu);
	if (st) {
		mine.serial = s->serial;
		mine.st = st;
	}
	return st;
}

/* ---- the access log ---- */

/* Bytes of the path as printable ASCII (others as %XX), and the query's
 * names without their values, which may hold what should not be kept. */
static void log_target(const char *uri, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	int in_query = 0, in_value = 0;

	for (const unsigned char *p = (const unsigned char *)uri;
	     *p && n + 4 < size; p++) {
		if (*p == '?' && !in_query) {
			in_query = 1;
		} else if (in_query && *p == '&') {
			in_value = 0;
		} else if (in_query && *p == '=') {
			if (in_value)
				continue;
			in_value = 1;
			out[n++] = '=';
			continue;
		} else if (in_value) {
			continue;
		}
		if (*p > 0x20 && *p < 0x7f && *p != '"' && *p != '\\') {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	out[n] = 0;
}

static void log_request(struct srv_req *r, enum MHD_RequestTerminationCode toe)
{
	char when[32], target[LOG_PATH_MAX];
	struct timespec t1;
	time_t now = time(NULL);
	struct tm tm;
	long long us;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (long long)(t1.tv_sec - r->t0.tv_sec) * 1000000 +
	     (t1.tv_nsec - r->t0.tv_nsec) / 1000;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	log_target(r->uri ? r->uri : "", target, sizeof(target));
	srv_log(r->srv, "%s %s %s %s %u %llu %lldus%s", when,
		r->client[0] ? r->client : "-", r->method[0] ? r->method : "-",
		target, r->status,
		strcmp(r->method, "HEAD") ? (unsigned long long)r->bytes : 0,
		us,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
							   : " (cut short)");
}

/* ---- who asks ---- */

static void client_address(struct srv_req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  r->client, sizeof(r->client));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  r->client, sizeof(r->client));
}

/*
 * Resolve the actor from "Authorization: Bearer" or the session cookie.
 * A token or session that is not (or no longer) valid leaves the request
 * anonymous; 0, or -1 when it answered (a database failure).
 */
static int authenticate(struct srv_req *r)
{
	const char *authz = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, "Authorization");
	const char *cookie = MHD_lookup_connection_value(
		r->conn, MHD_COOKIE_KIND, "mrm_session");
	struct mrm_error err;
	int rc;

	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7))
			return 0;
		rc = !srv_auth_cache_get(&r->srv->auth, SRV_AUTH_BEARER,
					 authz + 7, &r->who, NULL);
		if (rc &&
		    !(rc = mrm_auth_bearer(r->st, authz + 7, &r->who, &err)))
			srv_auth_cache_put(&r->srv->auth, SRV_AUTH_BEARER,
					   authz + 7, &r->who, NULL);
	} else if (cookie && strlen(cookie) == MRM_TOKEN_HEX) {
		rc = !srv_auth_cache_get(&r->srv->auth, SRV_AUTH_SESSION,
					 cookie, &r->who, r->csrf);
		/* the database when not kept: it also records the use
		 * (session.seen) that keeps the session from going idle */
		if (rc && !(rc = mrm_auth_session_idle(r->st, cookie,
						       r->srv->o.session_idle,
						       &r->who, r->csrf, &err)))
			srv_auth_cache_put(&r->srv->auth, SRV_AUTH_SESSION,
					   cookie, &r->who, r->csrf);
		if (!rc) {
			r->via_cookie = 1;
			memcpy(r->session, cookie, sizeof(r->session));
		}
	} else {
		return 0;
	}
	if (rc && rc != MRM_ERR_ACCESS) {
		srv_fail(r, &err);
		return -1;
	}
	r->authed = !rc;
	return 0;
}

static int changes_state(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") &&
	       strcmp(method, "OPTIONS");
}

/* The CSRF token of the session must come with a state-changing request
 * made with the cookie. */
static int csrf_ok(struct srv_req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "X-CSRF-Token");

	if (!r->via_cookie || !changes_state(r->method) ||
	    (r->route->flags & SRV_NO_CSRF))
		return 1;
	return h && mrm_auth_token_equal(h, r->csrf);
}

/* Answer 400 about query parameter `name`: -1. */
static int bad_param(struct srv_req *r, const char *name, const char *what)
{
	srv_error(r, 400, "invalid", name, "%s", what);
	return -1;
}

/* Query parameters the route does not take, repeated or missing. */
static int check_query(struct srv_req *r)
{
	const struct srv_param *ps = r->route->params, *p;

	for (size_t i = 0; i < r->q.n; i++) {
		const char *k = r->q.keys[i];

		for (p = ps; p->name; p++)
			if (!strcmp(p->in, "query") && !strcmp(p->name, k))
				break;
		if (!p->name)
			return bad_param(
				r, k,
				"this parameter is not taken here (see "
				"/api/v1/openapi.json)");
		if (!(p->flags & SRV_P_REPEAT) && srv_args(r, k, NULL, 0) > 1)
			return bad_param(r, k, "given more than once");
	}
	for (p = ps; p->name; p++)
		if (!strcmp(p->in, "query") && (p->flags & SRV_P_REQUIRED) &&
		    !srv_arg(r, p->name))
			return bad_param(r, p->name, "is required");
	return 0;
}

static int dispatch(struct srv_req *r)
{
	struct mrm_error err;

	if (r->early)
		return srv_error(r, r->early, "invalid", NULL, "%s",
				 r->early_msg);
	if (r->static_path)
		return srv_static(r);
	if (!r->route) {
		if (r->route_status != 405)
			return srv_error(r, 404, "not-found", NULL,
					 "no such resource (see "
					 "/api/v1/openapi.json)");
		srv_error(r, 405, "method", NULL, "use %s here", r->allow);
		srv_header(r, "Allow", r->allow);
		return 0;
	}
	r->st = srv_store(r->srv, &err);
	if (!r->st)
		return srv_fail(r, &err);
	if (authenticate(r))
		return 0;
	/* whoever asks is who the audit log names for what follows */
	mrm_store_set_actor(r->st, r->authed ? r->who.user_id : 0,
			    r->authed ? r->who.login : "web:anonymous");
	if (!r->authed && !(r->route->flags & SRV_PUBLIC))
		return srv_error(r, 401, "login", NULL,
				 "log in first (POST /api/v1/session) or send "
				 "Authorization: Bearer TOKEN");
	if (!csrf_ok(r))
		return srv_error(r, 403, "csrf", NULL,
				 "this request needs the header X-CSRF-Token "
				 "with the csrf value given at login");
	if (check_query(r))
		return 0;
	return r->route->handler(r);
}

/* ---- the request's life ---- */

static void early(struct srv_req *r, unsigned status, const char *what,
		  const struct mrm_error *e)
{
	if (r->early)
		return;
	r->early = status;
	snprintf(r->early_msg, sizeof(r->early_msg), "%s: %.200s", what,
		 e ? e->msg : "must start with /");
}

/* Take the request line apart and find the route. */
static void begin(struct srv_req *r, const char *method)
{
	const char *q, *cl;
	struct mrm_error err;
	size_t cap;

	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	client_address(r);
	snprintf(r->method, sizeof(r->method), "%s", method);
	q = strchr(r->uri, '?');
	if (srv_decode(r->uri, q ? (size_t)(q - r->uri) : strlen(r->uri), 0,
		       &r->path, &err))
		early(r, 400, "the path", &err);
	if (q && srv_query_parse(q + 1, &r->q, &err))
		early(r, 400, "the query string", &err);
	if (!r->path || *r->path != '/')
		early(r, 400, "the path", NULL);
	else if (srv_is_static(r->path))
		r->static_path = 1;
	else
		r->route = srv_route_find(r->method, r->path, &r->route_copy,
					  r->args, &r->route_status, r->allow,
					  sizeof(r->allow));
	cap = r->route && (r->route->flags & SRV_CSV_BODY)
		      ? r->srv->o.import_max
		      : r->srv->o.body_max;
	mrm_buf_init(&r->body, cap);
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
					 "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > cap)
		r->body_over = 1;
}

static void take_body(struct srv_req *r, const char *data, size_t size)
{
	if (!r->body_over && mrm_buf_add(&r->body, data, size))
		r->body_over = 1;
}

static void add_security_headers(struct srv_req *r)
{
	int api = r->path && !srv_is_static(r->path);

	srv_header(r, "Content-Security-Policy", r->csp ? r->csp : CSP);
	srv_header(r, "X-Content-Type-Options", "nosniff");
	srv_header(r, "Referrer-Policy", "no-referrer");
	/* for browsers without frame-ancestors; a report is framed by the
	 * interface itself (its own CSP says frame-ancestors 'self') */
	srv_header(r, "X-Frame-Options", r->csp ? "SAMEORIGIN" : "DENY");
	if (api || !MHD_get_response_header(r->resp, "Cache-Control"))
		srv_header(r, "Cache-Control", api ? "no-store" : "no-cache");
	if (r->srv->tls)
		srv_header(r, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result respond(struct srv_req *r)
{
	enum MHD_Result ret;

	if (r->body_over)
		srv_error(r, 413, "limit", NULL,
			  "the body is over %zu bytes, the most this takes",
			  r->body.max);
	else
		dispatch(r);
	if (!r->resp)
		srv_error(r, 500, "internal", NULL,
			  "the server could not answer");
	if (!r->resp)
		return MHD_NO;
	add_security_headers(r);
	ret = MHD_queue_response(r->conn, r->status, r->resp);
	MHD_destroy_response(r->resp);
	r->resp = NULL;
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *size, void **req_cls)
{
	struct srv_req *r = *req_cls;

	(void)cls, (void)url, (void)version;
	if (!r)
		return MHD_NO;
	if (!r->started) {
		r->started = 1;
		r->conn = c;
		begin(r, method);
		/* over the limit by its length: answer without reading it */
		return r->body_over ? respond(r) : MHD_YES;
	}
	if (*size) {
		take_body(r, data, *size);
		*size = 0;
		return MHD_YES;
	}
	return respond(r);
}

/* The request line has arrived: the request starts here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct srv *s = cls;
	struct srv_req *r = calloc(1, sizeof(*r));

	(void)c;
	if (!r || !(r->uri = strdup(uri))) {
		free(r);
		return NULL;
	}
	r->srv = s;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	__atomic_add_fetch(&s->active, 1, __ATOMIC_SEQ_CST);
	return r;
}

static void req_free(struct srv_req *r)
{
	/* bodies carry passwords and records */
	if (r->body.ptr)
		sodium_memzero(r->body.ptr, r->body.cap);
	mrm_buf_release(&r->body);
	sodium_memzero(r->session, sizeof(r->session));
	sodium_memzero(r->csrf, sizeof(r->csrf));
	srv_query_release(&r->q);
	if (r->resp)
		MHD_destroy_response(r->resp);
	free(r->route_copy);
	free(r->path);
	free(r->uri);
	free(r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **req_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct srv *s = cls;
	struct srv_req *r = *req_cls;

	(void)c;
	if (!r)
		return;
	*req_cls = NULL;
	log_request(r, toe);
	req_free(r);
	/* the lock only to wake srv_stop(), which waits holding it */
	if (!__atomic_sub_fetch(&s->active, 1, __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&s->mu);
		pthread_cond_broadcast(&s->idle);
		pthread_mutex_unlock(&s->mu);
	}
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct srv *s = cls;
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	srv_log(s, "libmicrohttpd: %s", msg);
}

/* ---- start and stop ---- */

static int check_opts(struct srv_opts *o, struct mrm_error *err)
{
	if (!o->listen)
		o->listen = SRV_LISTEN_DEFAULT;
	if (!o->threads)
		o->threads = SRV_THREADS_DEFAULT;
	if (!o->timeout)
		o->timeout = SRV_TIMEOUT;
	if (!o->body_max)
		o->body_max = SRV_BODY_MAX;
	if (!o->import_max)
		o->import_max = SRV_IMPORT_MAX;
	if (!o->drain_seconds)
		o->drain_seconds = SRV_DRAIN_SECONDS;
	if (o->session_idle <= 0)
		o->session_idle = MRM_SESSION_IDLE_SECONDS;
	if (o->session_max <= 0)
		o->session_max = MRM_SESSION_SECONDS;
	if (!o->db)
		return mrm_error_set(err, MRM_ERR_INVALID, "--db",
				     "the database to serve is required");
	if (o->threads > SRV_THREADS_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, "--threads",
				     "must be 1 to %d", SRV_THREADS_MAX);
	if (!o->tls_cert != !o->tls_key)
		return mrm_error_set(err, MRM_ERR_INVALID, "--tls-cert",
				     "--tls-cert and --tls-key go together");
	if (o->tls_cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return mrm_error_set(err, MRM_ERR_INVALID, "--tls-cert",
				     "this libmicrohttpd was built without "
				     "TLS support: serve plain HTTP behind a "
				     "TLS proxy, or install a libmicrohttpd "
				     "with TLS (GnuTLS)");
	return 0;
}

static struct MHD_Daemon *start_daemon(struct srv *s,
				       struct sockaddr_storage *ss)
{
	struct MHD_OptionItem more[4];
	unsigned flags =
		MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	int n = 0;

	/* one thread is the polling thread itself, without a pool */
	if (s->o.threads > 1)
		more[n++] =
			(struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE,
						(intptr_t)s->o.threads, NULL};
	if (s->tls) {
		more[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0,
						    (void *)s->o.tls_key};
		more[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT,
						    0, (void *)s->o.tls_cert};
		flags |= MHD_USE_TLS;
	}
	more[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* the logger first, so that it hears about the other options */
	return MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
		on_mhd_log, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_HEADER_MAX,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)s->o.timeout,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_NOTIFY_COMPLETED, on_done, s, MHD_OPTION_ARRAY, more,
		MHD_OPTION_END);
}

static uint16_t bound_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);

	return di ? di->port : 0;
}

static void srv_free(struct srv *s)
{
	struct srv_slot *sl, *next;

	for (sl = s->slots; sl; sl = next) {
		next = sl->next;
		mrm_store_close(sl->st);
		free(sl);
	}
	mrm_store_close(s->spare);
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->mu);
	srv_cache_release(&s->answers);
	srv_auth_cache_release(&s->auth);
	pthread_mutex_destroy(&s->stats_mu);
	free(s->db);
	free(s);
}

int srv_start(struct srv **out, const struct srv_opts *o, struct mrm_error *err)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct srv *s;
	int rc;

	*out = NULL;
	if ((rc = mrm_crypto_init(err)))
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	s->o = *o;
	s->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_init(&s->mu, NULL);
	srv_cache_init(&s->answers);
	srv_auth_cache_init(&s->auth);
	pthread_mutex_init(&s->stats_mu, NULL);
	pthread_cond_init(&s->idle, NULL);
	rc = check_opts(&s->o, err);
	if (!rc)
		rc = srv_parse_listen(s->o.listen, &ss, &sslen, err);
	if (!rc && !(s->db = strdup(s->o.db)))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	if (!rc)
		rc = mrm_store_open_worker(&s->spare, s->db, s->o.kek, err);
	if (rc) {
		srv_free(s);
		return rc;
	}
	s->log = s->o.access_log ? s->o.access_log : stderr;
	s->tls = s->o.tls_cert != NULL;
	s->daemon = start_daemon(s, &ss);
	if (!s->daemon) {
		srv_free(s);
		return mrm_error_set(err, MRM_ERR_IO, "--listen",
				     "cannot listen on %s (in use, or not an "
				     "address of this machine?)%s",
				     o->listen ? o->listen : SRV_LISTEN_DEFAULT,
				     o->tls_cert ? "; or the TLS certificate "
						   "and key are not PEM that "
						   "go together"
						 : "");
	}
	s->port = bound_port(s->daemon);
	*out = s;
	return 0;
}

uint16_t srv_port(const struct srv *s)
{
	return s->port;
}

const char *srv_scheme(const struct srv *s)
{
	return s->tls ? "https" : "http";
}

void srv_forget_logins(struct srv *s)
{
	srv_auth_forget_all(&s->auth);
}

void srv_stop(struct srv *s)
{
	struct timespec deadline;
	MHD_socket fd;
	unsigned left;

	if (!s)
		return;
	fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)s->o.drain_seconds;
	pthread_mutex_lock(&s->mu);
	while (__atomic_load_n(&s->active, __ATOMIC_SEQ_CST) &&
	       pthread_cond_timedwait(&s->idle, &s->mu, &deadline) != ETIMEDOUT)
		;
	left = __atomic_load_n(&s->active, __ATOMIC_SEQ_CST);
	if (left)
		srv_log(s, "stopping with %u request%s still in flight", left,
			left == 1 ? "" : "s");
	pthread_mutex_unlock(&s->mu);
	MHD_stop_daemon(s->daemon);
	srv_free(s);
}
