/*
 * test_server.c - mrm serve (src/server) over real HTTP on loopback: the
 * server runs in this process on a free port, and a small socket client
 * below talks to it (no curl).
 *
 * Covered: logging in and out, the CSRF header, bearer tokens, security
 * headers, every route's happy path, cursors over several pages, the
 * OpenAPI description against docs/api.md, bad input of every kind (each
 * a 4xx JSON error that changes nothing), and the access matrix: each
 * role of one organisation against each endpoint, on its own
 * organisation's records and on another's.
 *
 * Users are added once (Argon2id is slow under sanitizers and valgrind);
 * the matrix acts through API tokens, which need no password check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "server.h"

#include "mrm/auth.h"
#include "mrm/buf.h"
#include "mrm/embedded.h"
#include "mrm/account.h"
#include "mrm/totp.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <zlib.h>

#define PW   "correct horse battery staple"
#define JSON "application/json"
#define CSV  "text/csv"
#define CSP                                                                    \
	"default-src 'self'; script-src 'self'; style-src 'self'; "            \
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "        \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

enum { ADMIN, COORD, CASE, RES, VIEW, NROLES };
static const char *const roles[] = {"admin", "coordinator", "caseworker",
				    "researcher", "viewer"};
static const char *const logins[] = {"th-admin", "th-coord", "th-case",
				     "th-research", "th-viewer"};

static struct tdb db;
static struct srv *server;
static uint16_t port;
static FILE *access_log;
static char tokens[NROLES][MRM_TOKEN_HEX + 1]; /* MKN-TH's users */
static int64_t own_event, other_event, shared_event;
static int own_events; /* events of MKN-TH */
static int counter;    /* for unique codes and logins */

/* ---- a small HTTP client ---- */

struct resp {
	unsigned status;
	char *head; /* status line and headers */
	char *body;
	size_t len;
	json_t *json; /* the body when it is JSON */
};

static void resp_free(struct resp *r)
{
	free(r->head);
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

/* Header `name` of the answer into `out` ("" when absent). */
static const char *header(const struct resp *r, const char *name, char *out,
			  size_t size)
{
	size_t n = strlen(name);

	out[0] = 0;
	for (const char *p = strstr(r->head, "\r\n"); p;
	     p = strstr(p, "\r\n")) {
		p += 2;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e = strstr(v, "\r\n");

			while (*v == ' ')
				v++;
			snprintf(out, size, "%.*s",
				 (int)(e ? (size_t)(e - v) : strlen(v)), v);
			break;
		}
	}
	return out;
}

/* Undo chunked transfer coding in place. */
static void dechunk(struct resp *r)
{
	char *in = r->body, *out = r->body, *end = r->body + r->len;

	while (in < end) {
		char *nl;
		unsigned long n = strtoul(in, &nl, 16);

		nl = strstr(nl, "\r\n");
		if (!nl || !n)
			break;
		nl += 2;
		memmove(out, nl, n);
		out += n;
		in = nl + n + 2;
	}
	r->len = (size_t)(out - r->body);
	r->body[r->len] = 0;
}

static void parse(struct resp *r, char *buf, size_t n)
{
	char *sep = buf ? strstr(buf, "\r\n\r\n") : NULL;
	char te[64], ct[128];

	assert_non_null(sep);
	r->head = strndup(buf, (size_t)(sep - buf));
	r->len = n - (size_t)(sep + 4 - buf);
	r->body = malloc(r->len + 1);
	memcpy(r->body, sep + 4, r->len);
	r->body[r->len] = 0;
	r->status = (unsigned)atoi(r->head + 9);
	if (!strcasecmp(header(r, "Transfer-Encoding", te, sizeof(te)),
			"chunked"))
		dechunk(r);
	if (!strncmp(header(r, "Content-Type", ct, sizeof(ct)), JSON, 16))
		r->json = json_loadb(r->body, r->len, 0, NULL);
}

static int dial(uint16_t to)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_family = AF_INET;
	a.sin_port = htons(to);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send `req` as it is and read the answer to its end (the requests say
 * "Connection: close"). A server that stops reading early is fine. */
static void raw(struct resp *out, const char *req, size_t len)
{
	struct mrm_buf in = MRM_BUF_INIT(256u << 20);
	int fd = dial(port);
	char chunk[65536];
	ssize_t k;

	memset(out, 0, sizeof(*out));
	assert_true(fd >= 0);
	while (len && (k = send(fd, req, len, MSG_NOSIGNAL)) > 0) {
		req += k;
		len -= (size_t)k;
	}
	while ((k = recv(fd, chunk, sizeof(chunk), 0)) > 0)
		assert_int_equal(mrm_buf_add(&in, chunk, (size_t)k), 0);
	close(fd);
	parse(out, in.ptr, in.len);
	mrm_buf_release(&in);
}

struct as {
	const char *bearer, *cookie, *csrf;
};

static void request(struct resp *out, const struct as *who, const char *method,
		    const char *path, const char *type, const char *body,
		    size_t len)
{
	struct mrm_buf b = MRM_BUF_INIT(64u << 20);

	mrm_buf_addf(&b,
		     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
		     "close\r\n",
		     method, path);
	if (who && who->bearer)
		mrm_buf_addf(&b, "Authorization: Bearer %s\r\n", who->bearer);
	if (who && who->cookie)
		mrm_buf_addf(&b, "Cookie: mrm_session=%s\r\n", who->cookie);
	if (who && who->csrf)
		mrm_buf_addf(&b, "X-CSRF-Token: %s\r\n", who->csrf);
	if (type)
		mrm_buf_addf(&b, "Content-Type: %s\r\n", type);
	if (body)
		mrm_buf_addf(&b, "Content-Length: %zu\r\n", len);
	mrm_buf_adds(&b, "\r\n");
	if (body)
		mrm_buf_add(&b, body, len);
	raw(out, b.ptr, b.len);
	mrm_buf_release(&b);
}

/* As role `role` of MKN-TH, with a JSON body when `body` is given. */
static void as_role(struct resp *out, int role, const char *method,
		    const char *path, const char *body)
{
	struct as who = {tokens[role], NULL, NULL};

	request(out, &who, method, path, body ? JSON : NULL, body,
		body ? strlen(body) : 0);
}

static void anon(struct resp *out, const char *method, const char *path)
{
	request(out, NULL, method, path, NULL, NULL, 0);
}

/* The answer is a JSON error of `status`; `field` checked when given. */
static void expect_error(const struct resp *r, unsigned status,
			 const char *field)
{
	json_t *e = json_object_get(r->json, "error");

	if (r->status != status)
		fail_msg("expected %u, got %u: %.300s", status, r->status,
			 r->body);
	assert_non_null(e);
	assert_non_null(json_string_value(json_object_get(e, "code")));
	assert_non_null(json_string_value(json_object_get(e, "message")));
	assert_non_null(json_object_get(e, "field"));
	if (field)
		assert_string_equal(
			json_string_value(json_object_get(e, "field")), field);
}

static void expect_status(const struct resp *r, unsigned status)
{
	if (r->status != status)
		fail_msg("expected %u, got %u: %.300s", status, r->status,
			 r->body);
}

/* ---- the fixture ---- */

static int64_t sql_int(const char *text)
{
	return tdb_int(db.st, text);
}

static void import_rows(const char *org, const char *prefix, int n,
			const char *title, const char *name)
{
	struct mrm_buf csv = MRM_BUF_INIT(1u << 20);
	struct mrm_import_opts o = {.org = org};
	struct mrm_import_stats stats;
	struct mrm_error err;

	mrm_buf_adds(&csv, "event.key,event.title,event.summary,event.country,"
			   "event.start_date,act.type,victim.key,victim.name,"
			   "victim.sex\n");
	for (int i = 1; i <= n; i++)
		mrm_buf_addf(&csv,
			     "%s-%d,%s %d,Workers taken,TH,2024-%02d,arrest,"
			     "%s-v%d,%s %d,male\n",
			     prefix, i, title, i, 1 + i % 12, prefix, i, name,
			     i);
	if (tdb_import(&db, "fixture.csv", mrm_buf_str(&csv), &o, &stats, NULL,
		       &err))
		fail_msg("fixture import: %s: %s", err.where, err.msg);
	mrm_buf_release(&csv);
}

static void add_users(void)
{
	struct mrm_actor mm;
	struct mrm_error err;
	char mm_token[MRM_TOKEN_HEX + 1];

	for (int i = 0; i < NROLES; i++) {
		assert_int_equal(mrm_user_add(db.st, "MKN-TH", logins[i],
					      roles[i], PW, &err),
				 0);
		assert_int_equal(mrm_auth_token_create(db.st, logins[i], "test",
						       1, tokens[i], &err),
				 0);
	}
	assert_int_equal(
		mrm_user_add(db.st, "MKN-MM", "mm-admin", "admin", PW, &err),
		0);
	/* for the access matrix to disable and enable */
	assert_int_equal(
		mrm_user_add(db.st, "MKN-TH", "th-spare", "viewer", PW, &err),
		0);
	assert_int_equal(mrm_auth_token_create(db.st, "mm-admin", "test", 1,
					       mm_token, &err),
			 0);
	assert_int_equal(mrm_auth_bearer(db.st, mm_token, &mm, &err), 0);
	shared_event = sql_int("SELECT id FROM event WHERE key = 'mm-2'");
	assert_int_equal(
		mrm_access_share(db.st, &mm, shared_event, "MKN-TH", &err), 0);
}

static int start(void)
{
	struct srv_opts o = {.db = db.path, .listen = "127.0.0.1:0"};
	struct mrm_error err;

	o.access_log = access_log;
	if (srv_start(&server, &o, &err))
		fail_msg("srv_start: %s: %s", err.where, err.msg);
	port = srv_port(server);
	assert_true(port > 0);
	return 0;
}

static int setup(void **state)
{
	struct mrm_error err;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(mrm_crypto_init(&err), 0);
	tdb_open(&db);
	import_rows("MKN-TH", "th", 12, "Raid in Mae Sot", "Somchai");
	import_rows("MKN-MM", "mm", 3, "Raid in Yangon", "Aung");
	own_events = 12;
	own_event = sql_int("SELECT id FROM event WHERE key = 'th-1'");
	other_event = sql_int("SELECT id FROM event WHERE key = 'mm-1'");
	add_users();
	access_log = tmpfile();
	assert_non_null(access_log);
	return start();
}

static int teardown(void **state)
{
	(void)state;
	srv_stop(server);
	fclose(access_log);
	tdb_close(&db);
	return 0;
}

/* Replace {own}, {other}, {shared} and {n} in `tmpl`. */
static void fill(char *out, size_t size, const char *tmpl)
{
	size_t n = 0;

	while (*tmpl && n + 32 < size) {
		long long v = -1;
		size_t skip = 0;

		if (!strncmp(tmpl, "{own}", 5))
			v = own_event, skip = 5;
		else if (!strncmp(tmpl, "{other}", 7))
			v = other_event, skip = 7;
		else if (!strncmp(tmpl, "{shared}", 8))
			v = shared_event, skip = 8;
		else if (!strncmp(tmpl, "{n}", 3))
			v = ++counter, skip = 3;
		else if (!strncmp(tmpl, "{spare}", 7))
			v = sql_int("SELECT id FROM user WHERE login = "
				    "'th-spare'"),
			skip = 7;
		else if (!strncmp(tmpl, "{mm-admin}", 10))
			v = sql_int("SELECT id FROM user WHERE login = "
				    "'mm-admin'"),
			skip = 10;
		if (skip) {
			n += (size_t)snprintf(out + n, size - n, "%lld", v);
			tmpl += skip;
		} else {
			out[n++] = *tmpl++;
		}
	}
	out[n] = 0;
}

/* ---- sessions, CSRF, tokens, headers ---- */

static void login(struct resp *r, const char *user, const char *password)
{
	char body[256];

	snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}",
		 user, password);
	request(r, NULL, "POST", "/api/v1/session", JSON, body, strlen(body));
}

/* Log in as `user`: the session token and CSRF token. */
static void session_of(const char *user, char *session, char *csrf)
{
	struct resp r;
	char cookie[256];

	login(&r, user, PW);
	expect_status(&r, 200);
	header(&r, "Set-Cookie", cookie, sizeof(cookie));
	assert_int_equal(strncmp(cookie, "mrm_session=", 12), 0);
	snprintf(session, MRM_TOKEN_HEX + 1, "%.64s", cookie + 12);
	snprintf(csrf, MRM_TOKEN_HEX + 1, "%s",
		 json_string_value(json_object_get(r.json, "csrf")));
	resp_free(&r);
}

static void test_login_logout_me(void **state)
{
	char session[MRM_TOKEN_HEX + 1], csrf[MRM_TOKEN_HEX + 1];
	char cookie[256];
	struct resp r;
	struct as with_csrf = {NULL, session, csrf},
		  without = {NULL, session, NULL};

	(void)state;
	anon(&r, "GET", "/api/v1/me");
	expect_error(&r, 401, NULL);
	resp_free(&r);
	login(&r, "th-admin", "wrong password!");
	expect_error(&r, 401, NULL);
	resp_free(&r);
	login(&r, "th-case", PW);
	expect_status(&r, 200);
	header(&r, "Set-Cookie", cookie, sizeof(cookie));
	assert_non_null(strstr(cookie, "; HttpOnly"));
	assert_non_null(strstr(cookie, "; SameSite=Strict"));
	assert_non_null(strstr(cookie, "; Path=/"));
	assert_null(strstr(cookie, "Secure")); /* plain HTTP */
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "user"), "role")),
			    "caseworker");
	assert_int_equal(
		strlen(json_string_value(json_object_get(r.json, "csrf"))),
		MRM_TOKEN_HEX);
	snprintf(session, sizeof(session), "%.64s", cookie + 12);
	snprintf(csrf, sizeof(csrf), "%s",
		 json_string_value(json_object_get(r.json, "csrf")));
	resp_free(&r);

	request(&r, &without, "GET", "/api/v1/me", NULL, NULL, 0);
	expect_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "login")),
			    "th-case");
	assert_string_equal(json_string_value(json_object_get(r.json, "org")),
			    "MKN-TH");
	resp_free(&r);
	request(&r, &without, "DELETE", "/api/v1/session", NULL, NULL, 0);
	expect_error(&r, 403, NULL); /* no CSRF header */
	resp_free(&r);
	request(&r, &with_csrf, "DELETE", "/api/v1/session", NULL, NULL, 0);
	expect_status(&r, 204);
	header(&r, "Set-Cookie", cookie, sizeof(cookie));
	assert_non_null(strstr(cookie, "Max-Age=0"));
	resp_free(&r);
	request(&r, &without, "GET", "/api/v1/me", NULL, NULL, 0);
	expect_error(&r, 401, NULL);
	resp_free(&r);
}

static void test_csrf_required(void **state)
{
	char session[MRM_TOKEN_HEX + 1], csrf[MRM_TOKEN_HEX + 1];
	const char *body = "{\"title\":\"CSRF test\"}";
	struct as none = {NULL, session, NULL}, wrong = {NULL, session, NULL},
		  right = {NULL, session, csrf};
	char *before;
	struct resp r;

	(void)state;
	session_of("th-coord", session, csrf);
	wrong.csrf = tokens[ADMIN]; /* a token, but not this one */
	before = tdb_snapshot(&db);
	request(&r, &none, "POST", "/api/v1/events", JSON, body, strlen(body));
	expect_error(&r, 403, NULL);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "error"), "code")),
			    "csrf");
	resp_free(&r);
	request(&r, &wrong, "POST", "/api/v1/events", JSON, body, strlen(body));
	expect_error(&r, 403, NULL);
	resp_free(&r);
	{
		char *after = tdb_snapshot(&db);

		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	/* reading needs no CSRF header */
	request(&r, &none, "GET", "/api/v1/events?limit=1", NULL, NULL, 0);
	expect_status(&r, 200);
	resp_free(&r);
	request(&r, &right, "POST", "/api/v1/events", JSON, body, strlen(body));
	expect_status(&r, 201);
	resp_free(&r);
	request(&r, &right, "DELETE", "/api/v1/session", NULL, NULL, 0);
	expect_status(&r, 204);
	resp_free(&r);
}

static void test_bearer_token(void **state)
{
	struct as bad = {"0123456789abcdef0123456789abcdef0123456789abcdef0"
			 "123456789abcdef",
			 NULL, NULL};
	struct resp r;
	char req[512];

	(void)state;
	as_role(&r, COORD, "GET", "/api/v1/me", NULL);
	expect_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "role")),
			    "coordinator");
	resp_free(&r);
	/* no CSRF header with a token */
	as_role(&r, CASE, "POST", "/api/v1/events", "{\"title\":\"Bearer\"}");
	expect_status(&r, 201);
	resp_free(&r);
	request(&r, &bad, "GET", "/api/v1/me", NULL, NULL, 0);
	expect_error(&r, 401, NULL);
	resp_free(&r);
	snprintf(req, sizeof(req),
		 "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		 "Authorization: Basic dGgtYWRtaW46eA==\r\n\r\n");
	raw(&r, req, strlen(req));
	expect_error(&r, 401, NULL);
	resp_free(&r);
}

static void expect_security_headers(const struct resp *r, int api)
{
	char v[512];

	assert_string_equal(header(r, "Content-Security-Policy", v, sizeof(v)),
			    CSP);
	assert_string_equal(header(r, "X-Content-Type-Options", v, sizeof(v)),
			    "nosniff");
	assert_string_equal(header(r, "Referrer-Policy", v, sizeof(v)),
			    "no-referrer");
	assert_string_equal(header(r, "X-Frame-Options", v, sizeof(v)), "DENY");
	assert_string_equal(
		header(r, "Strict-Transport-Security", v, sizeof(v)), "");
	if (api)
		assert_string_equal(header(r, "Cache-Control", v, sizeof(v)),
				    "no-store");
}

static void test_security_headers(void **state)
{
	struct resp r;

	(void)state;
	as_role(&r, ADMIN, "GET", "/api/v1/events", NULL);
	expect_status(&r, 200);
	expect_security_headers(&r, 1);
	resp_free(&r);
	anon(&r, "GET", "/api/v1/nothing-here");
	expect_error(&r, 404, NULL);
	expect_security_headers(&r, 1);
	resp_free(&r);
	anon(&r, "GET", "/api/v1/events");
	expect_error(&r, 401, NULL);
	expect_security_headers(&r, 1);
	resp_free(&r);
	anon(&r, "GET", "/");
	expect_security_headers(&r, 0);
	resp_free(&r);
	anon(&r, "GET", "/app/main.js");
	expect_status(&r, 200);
	expect_security_headers(&r, 0);
	resp_free(&r);
	anon(&r, "GET", "/app/no-such-file.js");
	expect_security_headers(&r, 0);
	resp_free(&r);
	anon(&r, "PUT", "/api/v1/events");
	expect_error(&r, 405, NULL);
	expect_security_headers(&r, 1);
	resp_free(&r);
}

static void test_static_files(void **state)
{
	const struct mrm_embedded *index = mrm_embedded_find("web/index.html");
	struct resp r;
	char type[128];

	(void)state;
	anon(&r, "GET", "/");
	if (index) {
		expect_status(&r, 200);
		assert_int_equal(r.len, index->len);
		assert_memory_equal(r.body, index->data, r.len);
		assert_string_equal(
			header(&r, "Content-Type", type, sizeof(type)),
			"text/html; charset=utf-8");
	} else {
		expect_error(&r, 404, NULL);
	}
	resp_free(&r);
	for (const struct mrm_embedded *f = mrm_embedded_files; f->path; f++) {
		char path[512];

		if (strncmp(f->path, "web/app/", 8))
			continue;
		snprintf(path, sizeof(path), "/%s", f->path + 4);
		anon(&r, "GET", path);
		expect_status(&r, 200);
		assert_int_equal(r.len, f->len);
		if (strstr(path, ".js") == path + strlen(path) - 3)
			assert_string_equal(
				header(&r, "Content-Type", type, sizeof(type)),
				"text/javascript; charset=utf-8");
		resp_free(&r);
	}
	anon(&r, "GET", "/app/no-such-file.js");
	expect_error(&r, 404, NULL);
	resp_free(&r);
	anon(&r, "POST", "/app/x.js");
	expect_error(&r, 405, NULL);
	resp_free(&r);
}

/* GET `path` with the extra header lines `headers` ("Name: value\r\n"). */
static void get_with(struct resp *r, const char *path, const char *headers)
{
	char req[1024];
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
			 "close\r\n%s\r\n",
			 path, headers);

	raw(r, req, (size_t)n);
}

/* The status of GET /app/i18n.js with If-None-Match `tag` (gzip accepted
 * when `gzip`); a 304 has no body. */
static unsigned if_none_match(const char *tag, int gzip)
{
	char lines[256];
	struct resp r;
	unsigned status;

	snprintf(lines, sizeof(lines), "%sIf-None-Match: %s\r\n",
		 gzip ? "Accept-Encoding: gzip\r\n" : "", tag);
	get_with(&r, "/app/i18n.js", lines);
	status = r.status;
	if (status == 304)
		assert_int_equal(r.len, 0);
	resp_free(&r);
	return status;
}

/* The interface's files: gzip to a browser that takes it (the same bytes
 * once inflated), as they are to one that does not, and 304 for a tag
 * the browser already has. */
static void test_static_gzip_and_etag(void **state)
{
	const struct mrm_embedded *f = mrm_embedded_find("web/app/i18n.js");
	char etag[64], gz_etag[64], got[64];
	unsigned char *plain;
	uLongf plain_len;
	z_stream z = {0};
	struct resp r;

	(void)state;
	assert_non_null(f);
	get_with(&r, "/app/i18n.js", "");
	expect_status(&r, 200);
	assert_int_equal(r.len, f->len);
	assert_string_equal(header(&r, "Content-Encoding", got, sizeof(got)),
			    "");
	assert_string_equal(header(&r, "Vary", got, sizeof(got)),
			    "Accept-Encoding");
	header(&r, "ETag", etag, sizeof(etag));
	assert_true(strlen(etag) == 18 && etag[0] == '"');
	resp_free(&r);

	get_with(&r, "/app/i18n.js", "Accept-Encoding: br, gzip;q=0.8\r\n");
	expect_status(&r, 200);
	assert_string_equal(header(&r, "Content-Encoding", got, sizeof(got)),
			    "gzip");
	header(&r, "ETag", gz_etag, sizeof(gz_etag));
	assert_string_not_equal(gz_etag, etag);
	assert_true(r.len < f->len / 2);
	plain_len = (uLongf)f->len;
	plain = malloc(plain_len + 1);
	assert_non_null(plain);
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)r.body;
	z.avail_in = (uInt)r.len;
	z.next_out = plain;
	z.avail_out = (uInt)plain_len + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, f->len);
	assert_memory_equal(plain, f->data, f->len);
	inflateEnd(&z);
	free(plain);
	resp_free(&r);

	/* gzip refused: as it is */
	get_with(&r, "/app/i18n.js", "Accept-Encoding: gzip;q=0, br\r\n");
	assert_int_equal(r.len, f->len);
	assert_string_equal(header(&r, "Content-Encoding", got, sizeof(got)),
			    "");
	resp_free(&r);

	/* what the browser has: 304 without a body; another tag: the file */
	assert_int_equal(if_none_match(etag, 0), 304);
	assert_int_equal(if_none_match(gz_etag, 1), 304);
	/* the plain file's tag does not stand for the gzip copy */
	assert_int_equal(if_none_match(etag, 1), 200);
	assert_int_equal(if_none_match("\"0000000000000000\"", 0), 200);
}

/* ---- the routes ---- */

/* GET `path` as `role` and expect 200 with JSON. */
static json_t *get_json(int role, const char *path)
{
	struct resp r;
	json_t *v;

	as_role(&r, role, "GET", path, NULL);
	expect_status(&r, 200);
	assert_non_null(r.json);
	v = json_incref(r.json);
	resp_free(&r);
	return v;
}

static void test_events_routes(void **state)
{
	char path[128];
	struct resp r;
	json_t *v, *ev;
	int64_t id;

	(void)state;
	v = get_json(CASE, "/api/v1/events?country=TH&act_type=arrest&from="
			   "2024-01&to=2024-12&q=Mae%20Sot&limit=3");
	assert_int_equal(json_array_size(json_object_get(v, "items")), 3);
	ev = json_array_get(json_object_get(v, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "org")),
			    "MKN-TH");
	assert_string_equal(
		json_string_value(json_object_get(ev, "start_precision")),
		"month");
	json_decref(v);

	as_role(&r, CASE, "POST", "/api/v1/events",
		"{\"title\":\"Detention at Bangkok IDC\",\"key\":\"api-1\","
		"\"start_date\":\"2024-03-05\",\"country\":\"TH\",\"acts\":[{"
		"\"type\":\"detention\",\"victim\":{\"name\":\"Somsak\","
		"\"sex\":\"male\"},\"detention\":{\"facility_name\":\"IDC\"}}]"
		",\"attrs\":{\"source\":[\"hotline\"]}}");
	expect_status(&r, 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(id > 0);
	snprintf(path, sizeof(path), "/api/v1/events/%lld", (long long)id);
	assert_string_equal(header(&r, "Location", (char[128]){0}, 128), path);
	resp_free(&r);
	/* need to know: the names only when asked for */
	ev = get_json(CASE, path);
	assert_null(json_object_get(
		json_object_get(json_array_get(json_object_get(ev, "acts"), 0),
				"victim"),
		"name"));
	json_decref(ev);
	strcat(path, "?identities=1");
	ev = get_json(CASE, path);
	path[strlen(path) - strlen("?identities=1")] = '\0';
	assert_int_equal(json_integer_value(json_object_get(ev, "id")), id);
	assert_string_equal(json_string_value(json_object_get(ev, "key")),
			    "api-1");
	assert_string_equal(
		json_string_value(json_object_get(ev, "start_precision")),
		"day");
	assert_string_equal(
		json_string_value(json_object_get(ev, "end_precision")),
		"unknown");
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(
				json_array_get(json_object_get(ev, "acts"), 0),
				"victim"),
			"name")),
		"Somsak");
	/* what GET gives, POST takes (with a new key) */
	json_object_set_new(ev, "key", json_string("api-2"));
	{
		char *text = json_dumps(ev, 0);

		as_role(&r, CASE, "POST", "/api/v1/events", text);
		free(text);
	}
	expect_status(&r, 201);
	resp_free(&r);
	json_decref(ev);
	as_role(&r, CASE, "POST", "/api/v1/events",
		"{\"title\":\"Again\",\"key\":\"api-1\"}");
	expect_error(&r, 409, "key");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/events/%d", 999999);
	as_role(&r, CASE, "GET", path, NULL);
	expect_error(&r, 404, NULL);
	resp_free(&r);
}

static void test_other_routes(void **state)
{
	struct resp r;
	char type[128];
	json_t *v;

	(void)state;
	v = get_json(CASE, "/api/v1/persons?limit=2");
	assert_int_equal(json_array_size(json_object_get(v, "items")), 2);
	assert_non_null(json_object_get(v, "next_cursor"));
	json_decref(v);
	v = get_json(VIEW, "/api/v1/organisations");
	assert_true(json_array_size(json_object_get(v, "items")) >= 2);
	json_decref(v);
	as_role(&r, ADMIN, "POST", "/api/v1/organisations",
		"{\"code\":\"MKN-KH\",\"name\":\"Khmer org\",\"country\":"
		"\"KH\"}");
	expect_status(&r, 201);
	resp_free(&r);
	as_role(&r, ADMIN, "POST", "/api/v1/organisations",
		"{\"code\":\"MKN-KH\",\"name\":\"Again\",\"country\":\"KH\"}");
	expect_error(&r, 409, NULL);
	resp_free(&r);
	v = get_json(ADMIN, "/api/v1/users");
	assert_true(json_array_size(json_object_get(v, "items")) >= NROLES);
	{
		char *text = json_dumps(v, 0);

		assert_null(strstr(text, "pw_hash"));
		assert_null(strstr(text, "$argon2"));
		free(text);
	}
	json_decref(v);
	as_role(&r, ADMIN, "POST", "/api/v1/users",
		"{\"login\":\"th-new\",\"role\":\"viewer\",\"password\":"
		"\"a long enough password\"}");
	expect_status(&r, 201);
	resp_free(&r);
	v = get_json(VIEW, "/api/v1/vocab/act_type?lang=th");
	assert_true(json_array_size(json_object_get(v, "terms")) > 3);
	json_decref(v);
	v = get_json(CASE, "/api/v1/search?q=Yangon");
	assert_int_equal(json_array_size(json_object_get(v, "items")), 1);
	json_decref(v); /* only the shared one of MKN-MM's three */
	v = get_json(CASE, "/api/v1/search?q=Raid&country=TH&from=2024-02&"
			   "to=2024-02&limit=500");
	assert_int_equal(json_array_size(json_object_get(v, "items")), 1);
	json_decref(v); /* th-1; mm-1 matches too, but is not shared */
	v = get_json(RES,
		     "/api/v1/stats?measure=persons&by=year&where=act_type="
		     "arrest&where=nationality=TH,MM&from=2024&to=2024");
	assert_string_equal(json_string_value(json_object_get(v, "measure")),
			    "persons");
	json_decref(v);
	v = get_json(VIEW, "/api/v1/reports");
	assert_true(json_array_size(json_object_get(v, "templates")) >= 1);
	json_decref(v);
	as_role(&r, VIEW, "GET",
		"/api/v1/reports/add-monitoring?public=1&lang=th", NULL);
	expect_status(&r, 200);
	assert_string_equal(header(&r, "Content-Type", type, sizeof(type)),
			    "text/html; charset=utf-8");
	assert_non_null(strstr(r.body, "<html"));
	resp_free(&r);
}

static void test_import_route(void **state)
{
	const char *good = "event.key,event.title,act.type,victim.name\n"
			   "up-1,Uploaded,arrest,Nobody\n";
	const char *bad = "event.key,event.title,act.type,victim.sex\n"
			  "up-2,Bad,arrest,femme\nup-3,,arrest,male\n";
	struct as who = {tokens[CASE], NULL, NULL};
	char *before;
	struct resp r;
	json_t *p;

	(void)state;
	request(&r, &who, "POST", "/api/v1/import", CSV, good, strlen(good));
	expect_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(r.json, "stats"), "events")),
			 1);
	resp_free(&r);
	before = tdb_snapshot(&db);
	request(&r, &who, "POST", "/api/v1/import", CSV, bad, strlen(bad));
	expect_error(&r, 422, NULL);
	p = json_object_get(r.json, "problems");
	assert_int_equal(json_array_size(p), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(p, 0), "where")),
			    "upload.csv:2:4");
	resp_free(&r);
	request(&r, &who, "POST", "/api/v1/import?mapping=no-such-mapping", CSV,
		good, strlen(good));
	expect_error(&r, 400, "mapping");
	resp_free(&r);
	request(&r, &who, "POST", "/api/v1/import", JSON, "{}", 2);
	expect_error(&r, 415, NULL);
	resp_free(&r);
	{
		char *after = tdb_snapshot(&db);

		assert_string_equal(before, after);
		free(after);
	}
	free(before);
}

/* Wage records and recruitment costs from a spreadsheet, through the
 * same route: added to the organisation's events, located problems, and
 * no row for another organisation's event. */
static void test_import_labour_route(void **state)
{
	const char *wages =
		"event,victim,employer,country,admin1,sector,"
		"period_start,period_end,days_worked,amount_paid,"
		"currency\n"
		"th-2,th-v2,Site B,TH,TH-10,construction,2025-08-01,"
		"2025-08-31,20,6000.00,THB\n"
		"th-3,,Farm C,TH,TH-10,agriculture,2025-03-01,"
		"2025-03-31,26,\"7,000.00\",THB\n";
	const char *costs = "event,org,paid_to,amount,currency,date\n"
			    "th-4,MKN-TH,broker,\"12,000.00\",THB,2025-01\n";
	const char *bad = "event,country,period_start,period_end,amount_paid,"
			  "currency\n"
			  "th-2,TH,2025-08-01,2025-08-31,lots,THB\n"
			  "no-such-event,TH,2025-08-01,2025-08-31,1,THB\n";
	const char *other = "event,org,paid_to,amount,currency,date\n"
			    "mm-1,MKN-MM,broker,100.00,THB,2025-01\n";
	struct as who = {tokens[CASE], NULL, NULL};
	int64_t before = sql_int("SELECT count(*) FROM wage_record");
	char *snap;
	struct resp r;
	json_t *p;

	(void)state;
	request(&r, &who, "POST", "/api/v1/import?what=wages", CSV, wages,
		strlen(wages));
	expect_status(&r, 200);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(r.json, "stats"), "wage_records")),
		2);
	resp_free(&r);
	assert_int_equal(sql_int("SELECT count(*) FROM wage_record"),
			 before + 2);
	request(&r, &who, "POST", "/api/v1/import?what=recruitment", CSV, costs,
		strlen(costs));
	expect_status(&r, 200);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(r.json, "stats"), "recruitment_costs")),
		1);
	resp_free(&r);

	snap = tdb_snapshot(&db);
	request(&r, &who, "POST", "/api/v1/import?what=wages", CSV, bad,
		strlen(bad));
	expect_error(&r, 422, NULL);
	p = json_object_get(r.json, "problems");
	assert_int_equal(json_array_size(p), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(p, 0), "where")),
			    "upload.csv:2:5");
	resp_free(&r);
	/* another organisation's event: refused before anything is read */
	request(&r, &who, "POST", "/api/v1/import?what=recruitment", CSV, other,
		strlen(other));
	expect_error(&r, 403, NULL);
	resp_free(&r);
	request(&r, &who, "POST", "/api/v1/import?what=salaries", CSV, wages,
		strlen(wages));
	expect_error(&r, 400, "what");
	resp_free(&r);
	request(&r, &who, "POST",
		"/api/v1/import?what=wages&mapping=iom-missing-migrants", CSV,
		wages, strlen(wages));
	expect_error(&r, 400, "mapping");
	resp_free(&r);
	as_role(&r, RES, "POST", "/api/v1/import?what=wages", NULL);
	expect_error(&r, 403, NULL);
	resp_free(&r);
	{
		char *after = tdb_snapshot(&db);

		assert_string_equal(snap, after);
		free(after);
	}
	free(snap);
	/* the records go again: later tests count the organisation's */
	assert_int_equal(
		sqlite3_exec(
			mrm_store_db(db.st),
			"DELETE FROM wage_record WHERE employer IN "
			"('Site B', 'Farm C'); DELETE FROM "
			"recruitment_cost WHERE event_id = (SELECT id FROM "
			"event WHERE key = 'th-4')",
			NULL, NULL, NULL),
		SQLITE_OK);
}

/* Statistics answers are kept, and dropped when the data move on: the
 * same question after an import sees the new events. */
static void test_stats_answers_follow_writes(void **state)
{
	const char *q = "/api/v1/stats?measure=events";
	const char *more = "event.key,event.title,act.type\n"
			   "st-1,Counted,arrest\nst-2,Counted too,detention\n";
	struct as who = {tokens[CASE], NULL, NULL};
	json_int_t first, again, after;
	struct resp r;

	(void)state;
	request(&r, &who, "GET", q, NULL, NULL, 0);
	expect_status(&r, 200);
	first = json_integer_value(json_object_get(r.json, "total"));
	resp_free(&r);
	request(&r, &who, "GET", q, NULL, NULL, 0);
	again = json_integer_value(json_object_get(r.json, "total"));
	resp_free(&r);
	assert_int_equal(first, again);
	request(&r, &who, "POST", "/api/v1/import", CSV, more, strlen(more));
	expect_status(&r, 200);
	resp_free(&r);
	request(&r, &who, "GET", q, NULL, NULL, 0);
	expect_status(&r, 200);
	after = json_integer_value(json_object_get(r.json, "total"));
	resp_free(&r);
	assert_int_equal(after, first + 2);
}

static void test_export_route(void **state)
{
	struct resp r;
	json_t *events, *ev;
	char type[128];
	size_t i;
	int n = 0;

	(void)state;
	as_role(&r, COORD, "GET", "/api/v1/export", NULL);
	expect_status(&r, 200);
	assert_non_null(r.json);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "format")),
		"mrm-export/1");
	events = json_object_get(r.json, "events");
	json_array_foreach(events, i, ev)
	{
		/* the organisation's only, never the shared one */
		assert_string_equal(
			json_string_value(json_object_get(ev, "org")),
			"MKN-TH");
		n += !strncmp(json_string_value(json_object_get(ev, "key")),
			      "th-", 3);
	}
	assert_int_equal(n, own_events);
	assert_non_null(strstr(r.body, "Somchai 1")); /* identities */
	resp_free(&r);
	as_role(&r, COORD, "GET", "/api/v1/export?format=csv&what=persons",
		NULL);
	expect_status(&r, 200);
	assert_string_equal(header(&r, "Content-Type", type, sizeof(type)),
			    "text/csv; charset=utf-8");
	assert_int_equal(strncmp(r.body, "victim.key,", 11), 0);
	assert_null(strstr(r.body, "Aung"));
	resp_free(&r);
	as_role(&r, COORD, "GET", "/api/v1/export?format=xml", NULL);
	expect_error(&r, 400, "format");
	resp_free(&r);
}

static int page_ids(int role, const char *base, int limit, int64_t *ids,
		    int max, int *pages)
{
	char path[256], cursor[64] = "";
	int n = 0;

	*pages = 0;
	do {
		json_t *v, *item;
		size_t i;

		snprintf(path, sizeof(path), "%s%slimit=%d%s%s", base,
			 strchr(base, '?') ? "&" : "?", limit,
			 *cursor ? "&cursor=" : "", cursor);
		v = get_json(role, path);
		(*pages)++;
		assert_true(json_array_size(json_object_get(v, "items")) <=
			    (size_t)limit);
		json_array_foreach(json_object_get(v, "items"), i, item)
		{
			assert_true(n < max);
			ids[n++] =
				json_integer_value(json_object_get(item, "id"));
		}
		snprintf(cursor, sizeof(cursor), "%s",
			 json_is_string(json_object_get(v, "next_cursor"))
				 ? json_string_value(
					   json_object_get(v, "next_cursor"))
				 : "");
		json_decref(v);
	} while (*cursor && *pages < 100);
	return n;
}

static void test_pagination(void **state)
{
	int64_t ids[256];
	int pages, n;

	(void)state;
	n = page_ids(CASE, "/api/v1/events?q=Mae%20Sot", 5, ids, 256, &pages);
	assert_int_equal(n, own_events);
	assert_int_equal(pages, 3);
	for (int i = 1; i < n; i++)
		assert_true(ids[i] < ids[i - 1]); /* newest first, no repeat */
	/* every visible event, once: own and shared, never the other's */
	n = page_ids(CASE, "/api/v1/events", 2, ids, 256, &pages);
	assert_true(pages > 2);
	assert_int_equal(n, sql_int("SELECT count(*) FROM event WHERE org_id = "
				    "(SELECT id FROM org WHERE code = "
				    "'MKN-TH')") +
				    1);
	for (int i = 0; i < n; i++)
		assert_true(ids[i] != other_event);
	n = page_ids(CASE, "/api/v1/persons", 4, ids, 256, &pages);
	assert_true(pages > 2);
	for (int i = 1; i < n; i++)
		assert_true(ids[i] < ids[i - 1]);
}

/* ---- the OpenAPI description ---- */

/* docs/api.md, route by route. */
static const char *const documented[][2] = {
	{"POST", "/api/v1/session"},
	{"DELETE", "/api/v1/session"},
	{"GET", "/api/v1/me"},
	{"GET", "/api/v1/events"},
	{"GET", "/api/v1/events/{id}"},
	{"POST", "/api/v1/events"},
	{"GET", "/api/v1/persons"},
	{"GET", "/api/v1/organisations"},
	{"POST", "/api/v1/organisations"},
	{"GET", "/api/v1/users"},
	{"POST", "/api/v1/users"},
	{"GET", "/api/v1/vocab/{scheme}"},
	{"GET", "/api/v1/search"},
	{"GET", "/api/v1/stats"},
	{"GET", "/api/v1/reports/{template}"},
	{"POST", "/api/v1/import"},
	{"GET", "/api/v1/export"},
	{"GET", "/api/v1/openapi.json"},
	{"POST", "/api/v1/me/totp"},
	{"POST", "/api/v1/me/totp/confirm"},
	{"PUT", "/api/v1/me/password"},
	{"DELETE", "/api/v1/me/sessions"},
	{"POST", "/api/v1/users/{id}/revoke"},
	{"POST", "/api/v1/users/{id}/disable"},
	{"POST", "/api/v1/users/{id}/enable"},
	{"DELETE", "/api/v1/me/totp"},
	{"POST", "/api/v1/portability"},
	{"GET", "/api/v1/welfare"},
	{"GET", "/api/v1/ref"},
	{"GET", "/api/v1/ref/{table}"},
	{"GET", "/api/v1/wages"},
	{"GET", "/api/v1/recruitment"},
};

static void lower(char *out, const char *in)
{
	while (*in)
		*out++ = (char)(*in++ | 0x20);
	*out = 0;
}

/* v[k1][k2]...: the keys end with NULL. */
static json_t *dig(json_t *v, ...)
{
	const char *k;
	va_list ap;

	va_start(ap, v);
	while (v && (k = va_arg(ap, const char *)))
		v = json_object_get(v, k);
	va_end(ap);
	return v;
}

static void test_openapi_complete(void **state)
{
	json_t *doc = get_json(VIEW, "/api/v1/openapi.json"), *item, *op;
	const char *path, *method;
	char m[16], real[256];
	int routes = 0;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")),
			    "3.0.3");
	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]);
	     i++) {
		lower(m, documented[i][0]);
		if (!json_object_get(
			    json_object_get(json_object_get(doc, "paths"),
					    documented[i][1]),
			    m))
			fail_msg("%s %s is not in openapi.json",
				 documented[i][0], documented[i][1]);
	}
	assert_non_null(dig(doc, "paths", "/api/v1/import", "post",
			    "requestBody", "content", CSV, "schema", NULL));
	assert_non_null(dig(doc, "paths", "/api/v1/events", "post",
			    "requestBody", "content", JSON, "schema", NULL));
	assert_non_null(dig(doc, "paths", "/api/v1/events/{id}", "get",
			    "responses", "404", NULL));
	/* every route it lists answers (neither 404 nor 405) */
	json_object_foreach(json_object_get(doc, "paths"), path, item)
		json_object_foreach(item, method, op)
	{
		struct resp r;
		char upper[16];
		size_t k;

		assert_non_null(json_object_get(op, "summary"));
		assert_non_null(json_object_get(op, "responses"));
		for (k = 0; method[k]; k++)
			upper[k] = (char)(method[k] & ~0x20);
		upper[k] = 0;
		fill(real, sizeof(real), path);
		if (strstr(real, "/users/{id}"))
			snprintf(real, sizeof(real),
				 "/api/v1/users/%lld/revoke",
				 (long long)sql_int("SELECT id FROM user WHERE "
						    "login = 'th-viewer'"));
		else if (strstr(real, "{id}")) {
			char rest[128];

			snprintf(rest, sizeof(rest), "%s",
				 strstr(real, "{id}") + 4);
			snprintf(real, sizeof(real), "/api/v1/events/%lld%s",
				 (long long)own_event, rest);
		}
		if (strstr(real, "{key}")) { /* a shipped policy */
			char *at = strstr(real, "{key}"), rest[128];

			snprintf(rest, sizeof(rest), "%s", at + 5);
			snprintf(at, sizeof(real) - (size_t)(at - real),
				 "th-crackdown-2014-06%s", rest);
		}
		if (strstr(real, "{scheme}"))
			snprintf(real, sizeof(real), "/api/v1/vocab/sex");
		if (strstr(real, "{table}"))
			snprintf(real, sizeof(real),
				 "/api/v1/ref/minimum-wage");
		if (strstr(real, "{template}"))
			snprintf(real, sizeof(real),
				 "/api/v1/reports/add-monitoring");
		as_role(&r, ADMIN, upper, real, NULL);
		if (r.status == 404 || r.status == 405)
			fail_msg("%s %s: %u", upper, real, r.status);
		resp_free(&r);
		routes++;
	}
	assert_true(routes >=
		    (int)(sizeof(documented) / sizeof(documented[0])));
	json_decref(doc);
}

/* ---- bad input: a 4xx JSON error each, and nothing changes ---- */

static void bad_body(int role, const char *path, const char *type,
		     const char *body, size_t len, unsigned status,
		     const char *field)
{
	struct as who = {tokens[role], NULL, NULL};
	struct resp r;

	request(&r, &who, "POST", path, type, body, len);
	expect_error(&r, status, field);
	resp_free(&r);
}

static void bad_json(int role, const char *path, const char *body,
		     unsigned status, const char *field)
{
	bad_body(role, path, JSON, body, strlen(body), status, field);
}

static void bad_get(int role, const char *path, unsigned status,
		    const char *field)
{
	struct resp r;

	as_role(&r, role, "GET", path, NULL);
	expect_error(&r, status, field);
	resp_free(&r);
}

static void test_bad_bodies(void)
{
	static const char invalid_utf8[] = "{\"title\":\"\xc3\x28\"}";
	static const char nul[] = "{\"title\":\"a\\u0000b\"}";
	struct mrm_buf big = MRM_BUF_INIT(1u << 20);

	bad_json(ADMIN, "/api/v1/events", "{\"title\":", 400, NULL);
	bad_json(ADMIN, "/api/v1/events", "[1,2]", 400, NULL);
	bad_json(ADMIN, "/api/v1/events", "", 400, NULL);
	bad_body(ADMIN, "/api/v1/events", JSON, invalid_utf8,
		 sizeof(invalid_utf8) - 1, 400, NULL);
	bad_body(ADMIN, "/api/v1/events", JSON, nul, sizeof(nul) - 1, 400,
		 NULL);
	bad_body(ADMIN, "/api/v1/events", "text/plain", "{}", 2, 415, NULL);
	bad_json(ADMIN, "/api/v1/events",
		 "{\"title\":\"x\",\"colour\":\"red\"}", 400, "colour");
	bad_json(
		ADMIN, "/api/v1/events",
		"{\"title\":\"x\",\"acts\":[{\"type\":\"arrest\",\"mood\":1}]}",
		400, "acts[0].mood");
	bad_json(ADMIN, "/api/v1/events",
		 "{\"title\":\"x\",\"acts\":[{\"type\":\"arrestt\"}]}", 400,
		 "acts[0].type");
	bad_json(ADMIN, "/api/v1/events", "{\"summary\":\"no title\"}", 400,
		 "title");
	bad_json(ADMIN, "/api/v1/events",
		 "{\"title\":\"x\",\"start_date\":\"2024-13-40\"}", 400,
		 "start_date");
	bad_json(ADMIN, "/api/v1/events",
		 "{\"title\":\"x\",\"start_precision\":\"week\"}", 400,
		 "start_precision");
	bad_json(ADMIN, "/api/v1/events",
		 "{\"title\":\"x\",\"acts\":{\"type\":\"arrest\"}}", 400,
		 "acts");
	bad_json(ADMIN, "/api/v1/session",
		 "{\"login\":\"a\",\"password\":\"b\",\"remember\":true}", 400,
		 "remember");
	bad_json(ADMIN, "/api/v1/organisations",
		 "{\"code\":\"OK-1\",\"name\":\"x\",\"country\":\"TH\","
		 "\"admin\":1}",
		 400, "admin");
	bad_json(ADMIN, "/api/v1/users",
		 "{\"login\":\"x1\",\"role\":\"king\",\"password\":\"long "
		 "enough pass\"}",
		 400, NULL);
	/* over the limit: by its length, and chunked without one */
	mrm_buf_adds(&big, "{\"title\":\"");
	while (big.len < (70u << 10))
		mrm_buf_adds(&big, "xxxxxxxxxxxxxxxx");
	mrm_buf_adds(&big, "\"}");
	bad_body(ADMIN, "/api/v1/events", JSON, big.ptr, big.len, 413, NULL);
	mrm_buf_release(&big);
}

static void test_big_bodies(void)
{
	struct mrm_buf req = MRM_BUF_INIT(1u << 20);
	char head[512];
	struct resp r;

	/* chunked, 80 KiB in 5 chunks */
	mrm_buf_addf(&req,
		     "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: "
		     "close\r\nAuthorization: Bearer %s\r\nContent-Type: "
		     "application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
		     tokens[ADMIN]);
	for (int i = 0; i < 5; i++) {
		mrm_buf_addf(&req, "4000\r\n");
		for (int k = 0; k < 0x4000; k++)
			mrm_buf_addc(&req, 'x');
		mrm_buf_adds(&req, "\r\n");
	}
	mrm_buf_adds(&req, "0\r\n\r\n");
	raw(&r, req.ptr, req.len);
	expect_error(&r, 413, NULL);
	resp_free(&r);
	mrm_buf_release(&req);
	/* an import that says it is over 8 MiB is refused unread */
	snprintf(head, sizeof(head),
		 "POST /api/v1/import HTTP/1.1\r\nHost: x\r\nConnection: close"
		 "\r\nAuthorization: Bearer %s\r\nContent-Type: text/csv\r\n"
		 "Content-Length: %u\r\n\r\nevent.key,event.title\n",
		 tokens[ADMIN], (9u << 20));
	raw(&r, head, strlen(head));
	expect_error(&r, 413, NULL);
	resp_free(&r);
}

static void test_bad_queries(void)
{
	bad_get(ADMIN, "/api/v1/events?q=%ff%fe", 400, NULL);
	bad_get(ADMIN, "/api/v1/events?q=%c3%28", 400, NULL);
	bad_get(ADMIN, "/api/v1/events?q=a%00b", 400, NULL);
	bad_get(ADMIN, "/api/v1/events?q=%zz", 400, NULL);
	bad_get(ADMIN, "/api/v1/events?colour=red", 400, "colour");
	bad_get(ADMIN, "/api/v1/events?limit=0", 400, "limit");
	bad_get(ADMIN, "/api/v1/events?limit=501", 400, "limit");
	bad_get(ADMIN, "/api/v1/events?limit=1&limit=2", 400, "limit");
	bad_get(ADMIN, "/api/v1/events?cursor=abc", 400, "cursor");
	bad_get(ADMIN, "/api/v1/events?cursor=-5", 400, "cursor");
	bad_get(ADMIN, "/api/v1/events?country=Atlantis", 400, "country");
	bad_get(ADMIN, "/api/v1/events?act_type=dancing", 400, "act_type");
	bad_get(ADMIN, "/api/v1/events?from=2024-13", 400, "from");
	bad_get(ADMIN, "/api/v1/events/abc", 400, "id");
	bad_get(ADMIN, "/api/v1/events/0", 400, "id");
	bad_get(ADMIN, "/api/v1/search", 400, "q");
	bad_get(ADMIN, "/api/v1/stats", 400, "measure");
	bad_get(ADMIN, "/api/v1/stats?measure=happiness", 400, NULL);
	bad_get(ADMIN, "/api/v1/stats?measure=events&public=yes", 400,
		"public");
	bad_get(ADMIN, "/api/v1/stats?measure=events&k=1", 400, "k");
	bad_get(ADMIN, "/api/v1/vocab/no_such_scheme", 404, NULL);
	bad_get(ADMIN, "/api/v1/vocab/sex?lang=xx", 400, "lang");
	bad_get(ADMIN, "/api/v1/reports/no-such-template", 404, NULL);
	bad_get(ADMIN, "/api/v1/reports/add-monitoring?lang=fr", 400, NULL);
	bad_get(ADMIN, "/api/v1/export?what=acts", 400, "what");
	bad_get(ADMIN, "/api/v1/export?format=csv&what=secrets", 400, "what");
}

static void test_bad_paths_and_methods(void)
{
	static const char *const traversal[] = {
		"/app/../../etc/passwd",
		"/app/%2e%2e/%2e%2e/etc/passwd",
		"/app/..%2f..%2fetc%2fpasswd",
		"/app/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd",
		"/app//etc/passwd",
		"/app/\\..\\..\\etc\\passwd",
		"/app/x.js%00.html",
		"/../../etc/passwd",
		"/etc/passwd",
		"/app/",
		"/app",
		"/web/index.html",
		"/data/vocab/sex.csv",
		"/app/../../../../../../../../proc/self/environ",
	};
	static const char *const wrong[][2] = {
		{"PUT", "/api/v1/events"},
		{"DELETE", "/api/v1/events"},
		{"PATCH", "/api/v1/events/1"},
		{"POST", "/api/v1/me"},
		{"GET", "/api/v1/session"},
		{"PUT", "/api/v1/users"},
		{"DELETE", "/api/v1/openapi.json"},
		{"POST", "/api/v1/export"},
		{"GET", "/api/v1/import"},
	};
	struct resp r;

	for (size_t i = 0; i < sizeof(traversal) / sizeof(traversal[0]); i++) {
		anon(&r, "GET", traversal[i]);
		if (r.status != 400 && r.status != 404)
			fail_msg("%s: %u", traversal[i], r.status);
		assert_non_null(json_object_get(r.json, "error"));
		assert_null(strstr(r.body, "root:"));
		resp_free(&r);
	}
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		char allow[64];

		as_role(&r, ADMIN, wrong[i][0], wrong[i][1], NULL);
		if (r.status != 405)
			fail_msg("%s %s: %u", wrong[i][0], wrong[i][1],
				 r.status);
		expect_error(&r, 405, NULL);
		assert_true(*header(&r, "Allow", allow, sizeof(allow)));
		resp_free(&r);
	}
	anon(&r, "GET", "/api/v1/nothing");
	expect_error(&r, 404, NULL);
	resp_free(&r);
	anon(&r, "GET", "/api/v1/events/");
	expect_error(&r, 404, NULL);
	resp_free(&r);
}

static void test_bad_input(void **state)
{
	char *before = tdb_snapshot(&db), *after;
	int64_t users = sql_int("SELECT count(*) FROM user");

	(void)state;
	test_bad_bodies();
	test_big_bodies();
	test_bad_queries();
	test_bad_paths_and_methods();
	after = tdb_snapshot(&db);
	assert_string_equal(before, after);
	assert_int_equal(sql_int("SELECT count(*) FROM user"), users);
	free(before);
	free(after);
}

/* SQL in every parameter: text to the server, never code. */
static const char *const sql_bits[] = {
	"%27%3B%20DROP%20TABLE%20event%3B%20--",
	"%22%20OR%201%3D1%20--",
	"%27%20OR%20%271%27%3D%271",
	"1%3B%20DELETE%20FROM%20user",
	"%25",
	"_",
	"%5C",
	"%2A",
	"NEAR(",
	"1)%20UNION%20SELECT%20pw_hash%20FROM%20user--",
};

static const char *const sql_targets[] = {
	"/api/v1/events?q=%s",
	"/api/v1/events?country=%s",
	"/api/v1/events?act_type=%s",
	"/api/v1/events?from=%s",
	"/api/v1/events?to=%s",
	"/api/v1/events?cursor=%s",
	"/api/v1/events?limit=%s",
	"/api/v1/events/%s",
	"/api/v1/persons?cursor=%s",
	"/api/v1/vocab/%s",
	"/api/v1/vocab/sex?lang=%s",
	"/api/v1/search?q=%s",
	"/api/v1/stats?measure=%s",
	"/api/v1/stats?measure=events&by=%s",
	"/api/v1/stats?measure=events&where=%s",
	"/api/v1/stats?measure=events&where=act_type=%s",
	"/api/v1/stats?measure=events&from=%s",
	"/api/v1/stats?measure=events&as_of=%s",
	"/api/v1/stats?measure=events&public=%s",
	"/api/v1/reports/%s",
	"/api/v1/reports/add-monitoring?lang=%s",
	"/api/v1/reports/add-monitoring?to=%s",
	"/api/v1/export?format=%s",
	"/api/v1/export?format=csv&what=%s",
};

static void test_sql_metacharacters(void **state)
{
	char *before = tdb_snapshot(&db), *after, path[512], body[512];
	int64_t users = sql_int("SELECT count(*) FROM user");
	struct resp r;

	(void)state;
	for (size_t t = 0; t < sizeof(sql_targets) / sizeof(sql_targets[0]);
	     t++)
		for (size_t b = 0; b < sizeof(sql_bits) / sizeof(sql_bits[0]);
		     b++) {
			snprintf(path, sizeof(path), sql_targets[t],
				 sql_bits[b]);
			as_role(&r, ADMIN, "GET", path, NULL);
			if (r.status >= 500 || r.status == 401 ||
			    (r.status >= 400 &&
			     !json_object_get(r.json, "error")))
				fail_msg("%s: %u %.200s", path, r.status,
					 r.body);
			assert_null(strstr(r.body, "$argon2"));
			resp_free(&r);
		}
	/* and in the fields of bodies that must be codes */
	snprintf(body, sizeof(body),
		 "{\"code\":\"X'; DROP TABLE org; --\",\"name\":\"x\","
		 "\"country\":\"TH\"}");
	bad_body(ADMIN, "/api/v1/organisations", JSON, body, strlen(body), 400,
		 NULL);
	snprintf(body, sizeof(body),
		 "{\"login\":\"sqlx\",\"role\":\"admin' --\",\"password\":"
		 "\"long enough pass\",\"org\":\"MKN-TH' OR '1'='1\"}");
	bad_body(ADMIN, "/api/v1/users", JSON, body, strlen(body), 400, "org");
	snprintf(body, sizeof(body),
		 "{\"title\":\"x\",\"country\":\"TH' OR 1=1 --\"}");
	bad_body(ADMIN, "/api/v1/events", JSON, body, strlen(body), 400,
		 "country");
	snprintf(body, sizeof(body),
		 "{\"title\":\"x\",\"org\":\"MKN-MM' --\"}");
	bad_body(ADMIN, "/api/v1/events", JSON, body, strlen(body), 400, "org");
	after = tdb_snapshot(&db);
	assert_string_equal(before, after);
	assert_int_equal(sql_int("SELECT count(*) FROM user"), users);
	free(before);
	free(after);
}

/* ---- who may do what ---- */

struct cell {
	const char *method, *path, *type, *body;
	unsigned want[NROLES]; /* admin coordinator caseworker researcher
				  viewer, all of MKN-TH */
};

#define OWN_CSV	  "event.key,event.title\nmx-{n},Imported\n"
#define OTHER_CSV "event.key,event.org,event.title\nmx-{n},MKN-MM,Imported\n"

static const struct cell matrix[] = {
	/* records: own organisation, another, one shared with us */
	{"GET", "/api/v1/events/{own}", NULL, NULL, {200, 200, 200, 403, 403}},
	{"GET",
	 "/api/v1/events/{own}?identities=1",
	 NULL,
	 NULL,
	 {200, 200, 200, 403, 403}},
	/* another organisation's event is answered like a missing one (404),
	 * so that its ids are not learnt; roles that read no records 403 */
	{"GET",
	 "/api/v1/events/{other}",
	 NULL,
	 NULL,
	 {404, 404, 404, 403, 403}},
	{"GET",
	 "/api/v1/events/{shared}",
	 NULL,
	 NULL,
	 {200, 200, 200, 403, 403}},
	{"GET",
	 "/api/v1/events/{shared}?identities=1",
	 NULL,
	 NULL,
	 {200, 200, 200, 403, 403}},
	{"POST",
	 "/api/v1/events",
	 JSON,
	 "{\"title\":\"m{n}\"}",
	 {201, 201, 201, 403, 403}},
	{"POST",
	 "/api/v1/events",
	 JSON,
	 "{\"title\":\"m{n}\",\"org\":\"MKN-MM\"}",
	 {403, 403, 403, 403, 403}},
	{"GET", "/api/v1/events", NULL, NULL, {200, 200, 200, 403, 403}},
	{"GET", "/api/v1/search?q=Raid", NULL, NULL, {200, 200, 200, 403, 403}},
	{"GET", "/api/v1/persons", NULL, NULL, {200, 200, 200, 403, 403}},
	{"GET",
	 "/api/v1/persons?identities=1",
	 NULL,
	 NULL,
	 {200, 200, 200, 403, 403}},
	{"POST", "/api/v1/import", CSV, OWN_CSV, {200, 200, 200, 403, 403}},
	{"POST", "/api/v1/import", CSV, OTHER_CSV, {403, 403, 403, 403, 403}},
	{"GET", "/api/v1/export", NULL, NULL, {200, 200, 403, 403, 403}},
	{"GET",
	 "/api/v1/export?format=csv",
	 NULL,
	 NULL,
	 {200, 200, 403, 403, 403}},
	/* figures */
	{"GET",
	 "/api/v1/stats?measure=persons",
	 NULL,
	 NULL,
	 {200, 200, 200, 200, 403}},
	{"GET",
	 "/api/v1/stats?measure=persons&public=1",
	 NULL,
	 NULL,
	 {200, 200, 200, 200, 200}},
	{"GET",
	 "/api/v1/reports/add-monitoring",
	 NULL,
	 NULL,
	 {200, 200, 200, 200, 403}},
	{"GET",
	 "/api/v1/reports/add-monitoring?public=1",
	 NULL,
	 NULL,
	 {200, 200, 200, 200, 200}},
	{"GET", "/api/v1/reports", NULL, NULL, {200, 200, 200, 200, 200}},
	/* organisations and users */
	{"GET", "/api/v1/organisations", NULL, NULL, {200, 200, 200, 200, 200}},
	{"POST",
	 "/api/v1/organisations",
	 JSON,
	 "{\"code\":\"ORG-{n}\",\"name\":\"New\",\"country\":\"LA\"}",
	 {201, 403, 403, 403, 403}},
	{"GET", "/api/v1/users", NULL, NULL, {200, 403, 403, 403, 403}},
	{"POST",
	 "/api/v1/users",
	 JSON,
	 "{\"login\":\"u{n}\",\"role\":\"viewer\",\"password\":\"long enough "
	 "pass\",\"org\":\"MKN-TH\"}",
	 {201, 403, 403, 403, 403}},
	/* disabling and enabling: administrators of the user's own
	 * organisation only */
	{"POST",
	 "/api/v1/users/{spare}/disable",
	 NULL,
	 NULL,
	 {200, 403, 403, 403, 403}},
	{"POST",
	 "/api/v1/users/{spare}/enable",
	 NULL,
	 NULL,
	 {200, 403, 403, 403, 403}},
	{"POST",
	 "/api/v1/users/{mm-admin}/disable",
	 NULL,
	 NULL,
	 {403, 403, 403, 403, 403}},
	{"POST",
	 "/api/v1/users/{mm-admin}/enable",
	 NULL,
	 NULL,
	 {403, 403, 403, 403, 403}},
	{"POST",
	 "/api/v1/users/{mm-admin}/revoke",
	 NULL,
	 NULL,
	 {403, 403, 403, 403, 403}},
	/* administration is not per organisation (auth.c: MRM_ACT_ADMIN) */
	{"POST",
	 "/api/v1/users",
	 JSON,
	 "{\"login\":\"u{n}\",\"role\":\"viewer\",\"password\":\"long enough "
	 "pass\",\"org\":\"MKN-MM\"}",
	 {201, 403, 403, 403, 403}},
	/* everyone */
	{"GET",
	 "/api/v1/vocab/act_type",
	 NULL,
	 NULL,
	 {200, 200, 200, 200, 200}},
	{"GET", "/api/v1/me", NULL, NULL, {200, 200, 200, 200, 200}},
	{"GET", "/api/v1/openapi.json", NULL, NULL, {200, 200, 200, 200, 200}},
	{"DELETE", "/api/v1/session", NULL, NULL, {400, 400, 400, 400, 400}},
};

/* Victim names in an answer: only when asked for (identities=1), and only
 * for those who may read them, which every role that reads records may in
 * its own organisation and none in another's; MRM-Identities says which. */
static void check_identities(const struct cell *c, const struct resp *r)
{
	int own = strstr(c->path, "{own}") != NULL;
	int shared = strstr(c->path, "{shared}") != NULL;
	int ask = strstr(c->path, "identities=1") != NULL;
	char said[32];

	if (r->status != 200)
		return;
	if (own)
		assert_true(!strstr(r->body, "\"name\":\"Somchai 1\"") == !ask);
	if (shared) /* identities are never shared */
		assert_null(strstr(r->body, "Aung"));
	if (!strncmp(c->path, "/api/v1/persons", 15)) {
		assert_null(strstr(r->body, "Aung"));
		assert_true(!strstr(r->body, "\"name\":\"Somchai") == !ask);
	}
	if (own || shared)
		assert_string_equal(
			header(r, "MRM-Identities", said, sizeof(said)),
			shared ? "none"
			: ask  ? "included"
			       : "withheld");
}

static void test_access_matrix(void **state)
{
	char path[512], body[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		for (int role = 0; role < NROLES; role++) {
			const struct cell *c = &matrix[i];
			struct as who = {tokens[role], NULL, NULL};
			struct resp r;

			fill(path, sizeof(path), c->path);
			if (c->body)
				fill(body, sizeof(body), c->body);
			request(&r, &who, c->method, path, c->type,
				c->body ? body : NULL,
				c->body ? strlen(body) : 0);
			if (r.status != c->want[role])
				fail_msg("%s %s as %s: expected %u, got %u: "
					 "%.200s",
					 c->method, c->path, roles[role],
					 c->want[role], r.status, r.body);
			if (r.status >= 400)
				expect_error(&r, r.status, NULL);
			check_identities(c, &r);
			resp_free(&r);
		}
}

static void test_identities_hidden(void **state)
{
	char path[128];
	json_t *v, *item;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/events/%lld",
		 (long long)shared_event);
	v = get_json(CASE, path);
	item = json_object_get(json_array_get(json_object_get(v, "acts"), 0),
			       "victim");
	assert_non_null(item);
	assert_null(json_object_get(item, "name"));
	assert_non_null(json_object_get(item, "sex")); /* the rest is there */
	json_decref(v);
	v = get_json(COORD, "/api/v1/persons?limit=500");
	json_array_foreach(json_object_get(v, "items"), i, item)
		assert_string_equal(
			json_string_value(json_object_get(item, "org")),
			"MKN-TH");
	json_decref(v);
}

static void test_access_log(void **state)
{
	char line[1024];
	int seen = 0;

	(void)state;
	fflush(access_log);
	rewind(access_log);
	while (fgets(line, sizeof(line), access_log)) {
		assert_null(strstr(line, PW));
		assert_null(strstr(line, tokens[ADMIN]));
		assert_null(strstr(line, "Mae%20Sot")); /* query values */
		if (strstr(line,
			   " 127.0.0.1 GET /api/v1/events?q=&limit= 200 "))
			seen++;
	}
	assert_true(seen > 0);
	fseek(access_log, 0, SEEK_END);
}

/* The export of a database holding only the organisation's events is
 * what mrm export writes, byte for byte. */
static void test_export_matches_cli(void **state)
{
	static const char *const tables[] = {"acts", "events", "persons",
					     "organisations"};
	const char *csv = "event.key,event.title,event.start_date,attr.source,"
			  "act.type,victim.key,victim.name,arrest.currency,"
			  "arrest.money_paid\n"
			  "x-1,One,2023,hotline,arrest,p-1,Ko Ko,THB,1500.50\n"
			  "x-1,One,2023,media,detention,p-2,Ma Ma,,\n"
			  "x-2,\"Two, quoted\",2023-04-05,,deportation,p-1,Ko "
			  "Ko,,\n";
	struct srv_opts o = {.listen = "127.0.0.1:0"};
	char token[MRM_TOKEN_HEX + 1], path[128];
	struct mrm_import_stats stats;
	struct mrm_error err;
	struct srv *s2 = NULL;
	uint16_t saved = port;
	struct tdb one;
	struct resp r;

	(void)state;
	tdb_open(&one);
	assert_int_equal(
		tdb_import(&one, "x.csv", csv, NULL, &stats, NULL, &err), 0);
	assert_int_equal(mrm_user_add(one.st, "MKN-TH", "x-coord",
				      "coordinator", PW, &err),
			 0);
	assert_int_equal(
		mrm_auth_token_create(one.st, "x-coord", "t", 1, token, &err),
		0);
	o.db = one.path;
	o.access_log = access_log;
	assert_int_equal(srv_start(&s2, &o, &err), 0);
	port = srv_port(s2);
	for (int i = -1; i < 4; i++) {
		struct as who = {token, NULL, NULL};
		char *want = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&want, &len);

		if (i < 0) {
			snprintf(path, sizeof(path), "/api/v1/export");
			assert_int_equal(mrm_export_json(one.st, fp, &err), 0);
		} else {
			snprintf(path, sizeof(path),
				 "/api/v1/export?format=csv&what=%s",
				 tables[i]);
			assert_int_equal(
				mrm_export_csv(one.st, tables[i], fp, &err), 0);
		}
		fclose(fp);
		request(&r, &who, "GET", path, NULL, NULL, 0);
		expect_status(&r, 200);
		assert_int_equal(r.len, len);
		assert_memory_equal(r.body, want, len);
		resp_free(&r);
		free(want);
	}
	port = saved;
	srv_stop(s2);
	tdb_close(&one);
}

/* A second server stops: its port then refuses connections. */
static void test_stop(void **state)
{
	struct srv_opts o = {.db = db.path, .listen = "127.0.0.1:0"};
	FILE *devnull = fopen("/dev/null", "w");
	struct mrm_error err;
	struct srv *s2 = NULL;
	uint16_t p2;
	int fd;

	(void)state;
	o.access_log = devnull;
	o.threads = 2;
	assert_int_equal(srv_start(&s2, &o, &err), 0);
	p2 = srv_port(s2);
	fd = dial(p2);
	assert_true(fd >= 0);
	close(fd);
	srv_stop(s2);
	assert_int_equal(dial(p2), -1);
	fclose(devnull);
	o.db = "/nonexistent/x.db";
	assert_int_equal(srv_start(&s2, &o, &err), MRM_ERR_NOTFOUND);
	o.db = db.path;
	o.listen = "nowhere:80";
	assert_int_equal(srv_start(&s2, &o, &err), MRM_ERR_INVALID);
}

/* Last: it locks this client out of logging in. */
static void test_login_rate_limit(void **state)
{
	struct resp r;
	int limited = 0;

	(void)state;
	for (int i = 0; i < 8 && !limited; i++) {
		login(&r, "th-viewer", "not the password");
		limited = r.status == 429;
		if (!limited)
			expect_error(&r, 401, NULL);
		else
			expect_error(&r, 429, NULL);
		resp_free(&r);
	}
	assert_true(limited);
	login(&r, "th-viewer", PW); /* even the right password now */
	expect_error(&r, 429, NULL);
	resp_free(&r);
}

/* ---- two-factor login, password changes, revocation ---- */

#define PW_NEW "a different long passphrase"

/* As the holder of session `cookie`, with its CSRF token. */
static void as_session(struct resp *r, const char *cookie, const char *csrf,
		       const char *method, const char *path, const char *body)
{
	struct as who = {NULL, cookie, csrf};

	request(r, &who, method, path, body ? JSON : NULL, body,
		body ? strlen(body) : 0);
}

static void expect_code(const struct resp *r, unsigned status, const char *code)
{
	expect_error(r, status, NULL);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r->json, "error"), "code")),
			    code);
}

/* The code of base32 `secret` at now + offset seconds. */
static void totp_code(const char *secret, int64_t offset, char out[8])
{
	unsigned char key[MRM_TOTP_SECRET_BYTES];

	assert_int_equal(mrm_base32_decode(secret, key, sizeof(key)),
			 MRM_TOTP_SECRET_BYTES);
	snprintf(out, 8, "%06u",
		 (unsigned)mrm_hotp(
			 key, sizeof(key),
			 (uint64_t)mrm_totp_step((int64_t)time(NULL) + offset),
			 6));
}

static void login_totp(struct resp *r, const char *user, const char *code)
{
	char body[256];

	snprintf(body, sizeof(body),
		 "{\"login\":\"%s\",\"password\":\"%s\",\"totp\":\"%s\"}", user,
		 PW, code);
	request(r, NULL, "POST", "/api/v1/session", JSON, body, strlen(body));
}

static void test_two_factor_login(void **state)
{
	char session[MRM_TOKEN_HEX + 1], csrf[MRM_TOKEN_HEX + 1];
	char secret[MRM_TOTP_SECRET_B32 + 1], code[8], wrong[8], body[64];
	struct mrm_error err;
	struct resp r;

	(void)state;
	assert_int_equal(
		mrm_user_add(db.st, "MKN-TH", "th-2fa", "caseworker", PW, &err),
		0);
	session_of("th-2fa", session, csrf);
	/* enrolling asks for the password again */
	as_session(&r, session, csrf, "POST", "/api/v1/me/totp",
		   "{\"password\":\"not it\"}");
	expect_error(&r, 403, "password");
	resp_free(&r);
	as_session(&r, session, NULL, "POST", "/api/v1/me/totp",
		   "{\"password\":\"" PW "\"}");
	expect_error(&r, 403, NULL); /* the CSRF header */
	resp_free(&r);
	as_session(&r, session, csrf, "POST", "/api/v1/me/totp",
		   "{\"password\":\"" PW "\"}");
	expect_status(&r, 200);
	snprintf(secret, sizeof(secret), "%s",
		 json_string_value(json_object_get(r.json, "secret")));
	assert_int_equal(strlen(secret), MRM_TOTP_SECRET_B32);
	assert_non_null(
		strstr(json_string_value(json_object_get(r.json, "uri")),
		       "otpauth://totp/"));
	resp_free(&r);
	totp_code(secret, 0, code);
	snprintf(wrong, sizeof(wrong), "%06d", (atoi(code) + 7) % 1000000);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", wrong);
	as_session(&r, session, csrf, "POST", "/api/v1/me/totp/confirm", body);
	expect_code(&r, 400, "totp_invalid");
	resp_free(&r);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	as_session(&r, session, csrf, "POST", "/api/v1/me/totp/confirm", body);
	expect_status(&r, 200);
	resp_free(&r);

	/* without a code, with a wrong one, with the used one: 401 */
	login(&r, "th-2fa", PW);
	expect_code(&r, 401, "totp_required");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "error"), "field")),
			    "totp");
	assert_null(strstr(r.head, "Set-Cookie"));
	resp_free(&r);
	login_totp(&r, "th-2fa", wrong);
	expect_code(&r, 401, "totp_invalid");
	resp_free(&r);
	login_totp(&r, "th-2fa", code); /* used by the confirmation */
	expect_code(&r, 401, "totp_invalid");
	resp_free(&r);
	request(&r, NULL, "POST", "/api/v1/session", JSON,
		"{\"login\":\"th-2fa\",\"password\":\"" PW "\",\"totp\":123}",
		strlen("{\"login\":\"th-2fa\",\"password\":\"" PW
		       "\",\"totp\":123}"));
	expect_error(&r, 400, "totp");
	resp_free(&r);
	/* the next step's code (within the window) logs in, once */
	totp_code(secret, 30, code);
	login_totp(&r, "th-2fa", code);
	expect_status(&r, 200);
	assert_non_null(strstr(r.head, "mrm_session="));
	resp_free(&r);
	login_totp(&r, "th-2fa", code);
	expect_code(&r, 401, "totp_invalid");
	resp_free(&r);
	/* the failures were counted by the login limit */
	assert_true(sql_int("SELECT count(*) FROM login_failure WHERE login ="
			    " 'th-2fa'") >= 1);
	/* /me says it is on; turning it off needs the password */
	{
		struct as who = {NULL, session, NULL};

		request(&r, &who, "GET", "/api/v1/me", NULL, NULL, 0);
		expect_status(&r, 200);
		assert_true(json_is_true(json_object_get(r.json, "totp")));
		resp_free(&r);
	}
	as_session(&r, session, csrf, "DELETE", "/api/v1/me/totp",
		   "{\"password\":\"not it\"}");
	expect_error(&r, 403, "password");
	resp_free(&r);
	as_session(&r, session, csrf, "DELETE", "/api/v1/me/totp", "{}");
	expect_error(&r, 400, "password");
	resp_free(&r);
	assert_int_equal(sql_int("SELECT totp_secret IS NOT NULL FROM user "
				 "WHERE login = 'th-2fa'"),
			 1);
	as_session(&r, session, csrf, "DELETE", "/api/v1/me/totp",
		   "{\"password\":\"" PW "\"}");
	expect_status(&r, 200);
	assert_true(json_is_false(json_object_get(r.json, "totp")));
	resp_free(&r);
	login(&r, "th-2fa", PW); /* no code needed any more */
	expect_status(&r, 200);
	resp_free(&r);
	assert_int_equal(sqlite3_exec(mrm_store_db(db.st),
				      "DELETE FROM login_failure", NULL, NULL,
				      NULL),
			 SQLITE_OK);
}

static unsigned me_status(const char *session)
{
	struct as who = {NULL, session, NULL};
	struct resp r;
	unsigned status;

	request(&r, &who, "GET", "/api/v1/me", NULL, NULL, 0);
	status = r.status;
	resp_free(&r);
	return status;
}

static void test_password_and_revocation(void **state)
{
	char a[MRM_TOKEN_HEX + 1], b[MRM_TOKEN_HEX + 1],
		csrf[MRM_TOKEN_HEX + 1];
	char b_csrf[MRM_TOKEN_HEX + 1], path[64];
	struct mrm_error err;
	struct resp r;
	int64_t id;

	(void)state;
	assert_int_equal(mrm_user_add(db.st, "MKN-TH", "th-mover", "caseworker",
				      PW, &err),
			 0);
	id = sql_int("SELECT id FROM user WHERE login = 'th-mover'");
	session_of("th-mover", a, csrf);
	session_of("th-mover", b, b_csrf);
	as_session(&r, a, csrf, "PUT", "/api/v1/me/password",
		   "{\"old_password\":\"wrong\",\"password\":\"" PW_NEW "\"}");
	expect_error(&r, 403, "old_password");
	resp_free(&r);
	as_session(&r, a, csrf, "PUT", "/api/v1/me/password",
		   "{\"old_password\":\"" PW "\",\"password\":\"short\"}");
	expect_error(&r, 400, "password");
	resp_free(&r);
	as_session(&r, a, csrf, "PUT", "/api/v1/me/password",
		   "{\"old_password\":\"" PW
		   "\",\"password\":\"th-mover-th-mover\"}");
	expect_error(&r, 400, "password");
	resp_free(&r);
	assert_int_equal(me_status(b), 200);
	as_session(&r, a, csrf, "PUT", "/api/v1/me/password",
		   "{\"old_password\":\"" PW "\",\"password\":\"" PW_NEW "\"}");
	expect_status(&r, 204);
	resp_free(&r);
	/* the other session is revoked, this one goes on */
	assert_int_equal(me_status(b), 401);
	assert_int_equal(me_status(a), 200);

	/* log out everywhere */
	as_session(&r, a, csrf, "DELETE", "/api/v1/me/sessions", NULL);
	expect_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "ended")),
			 1);
	assert_non_null(strstr(r.head, "Max-Age=0"));
	resp_free(&r);
	assert_int_equal(me_status(a), 401);

	/* an administrator of the organisation revokes; others may not */
	assert_int_equal(mrm_user_set_password(db.st, id, PW, NULL, &err), 0);
	session_of("th-mover", a, csrf);
	snprintf(path, sizeof(path), "/api/v1/users/%lld/revoke",
		 (long long)id);
	{
		json_t *users = get_json(ADMIN, "/api/v1/users"), *u;
		size_t i;
		int seen = 0;

		json_array_foreach(json_object_get(users, "items"), i, u)
			seen |=
			!strcmp(json_string_value(json_object_get(u, "login")),
				"th-mover") &&
			json_integer_value(json_object_get(u, "id")) == id;
		assert_true(seen);
		json_decref(users);
	}
	as_role(&r, COORD, "POST", path, NULL);
	expect_error(&r, 403, NULL);
	resp_free(&r);
	assert_int_equal(me_status(a), 200);
	as_role(&r, ADMIN, "POST", "/api/v1/users/99999/revoke", NULL);
	expect_error(&r, 404, "id");
	resp_free(&r);
	as_role(&r, ADMIN, "POST", "/api/v1/users/x1/revoke", NULL);
	expect_error(&r, 400, "id");
	resp_free(&r);
	as_role(&r, ADMIN, "POST", path, NULL);
	expect_status(&r, 200);
	resp_free(&r);
	assert_int_equal(me_status(a), 401);

	/* a session unused for longer than the idle limit */
	session_of("th-mover", a, csrf);
	assert_int_equal(me_status(a), 200);
	assert_int_equal(sqlite3_exec(mrm_store_db(db.st),
				      "UPDATE session SET seen = seen - 1900",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* a session really unused that long left the server's cache of
	 * logins (a few seconds) long ago */
	srv_forget_logins(server);
	assert_int_equal(me_status(a), 401);

	/* an administrator disables and enables through the API */
	session_of("th-mover", a, csrf);
	snprintf(path, sizeof(path), "/api/v1/users/%lld/disable",
		 (long long)id);
	as_role(&r, COORD, "POST", path, NULL);
	expect_error(&r, 403, NULL);
	resp_free(&r);
	assert_int_equal(me_status(a), 200);
	as_role(&r, ADMIN, "POST", "/api/v1/users/99999/disable", NULL);
	expect_error(&r, 404, "id");
	resp_free(&r);
	as_role(&r, ADMIN, "POST", "/api/v1/users/0/enable", NULL);
	expect_error(&r, 400, "id");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/users/%lld/disable",
		 (long long)sql_int("SELECT id FROM user WHERE login = "
				    "'th-admin'"));
	as_role(&r, ADMIN, "POST", path, NULL);
	expect_error(&r, 400, "id"); /* not oneself */
	resp_free(&r);
	assert_int_equal(sql_int("SELECT disabled FROM user WHERE login = "
				 "'th-admin'"),
			 0);
	snprintf(path, sizeof(path), "/api/v1/users/%lld/disable",
		 (long long)id);
	as_role(&r, ADMIN, "POST", path, NULL);
	expect_status(&r, 200);
	assert_true(json_is_true(json_object_get(r.json, "disabled")));
	resp_free(&r);
	assert_int_equal(me_status(a), 401);
	login(&r, "th-mover", PW);
	expect_error(&r, 401, NULL);
	resp_free(&r);
	{
		json_t *users = get_json(ADMIN, "/api/v1/users"), *u;
		size_t i;
		int seen = 0;

		json_array_foreach(
			json_object_get(users, "items"), i,
			u) if (json_integer_value(json_object_get(u, "id")) ==
			       id) seen =
			json_is_true(json_object_get(u, "disabled"));
		assert_true(seen);
		json_decref(users);
	}
	snprintf(path, sizeof(path), "/api/v1/users/%lld/enable",
		 (long long)id);
	as_role(&r, ADMIN, "POST", path, NULL);
	expect_status(&r, 200);
	resp_free(&r);
	login(&r, "th-mover", PW);
	expect_status(&r, 200);
	resp_free(&r);

	/* a disabled user's sessions and tokens stop at once */
	session_of("th-mover", a, csrf);
	assert_int_equal(mrm_user_disable(db.st, id, 1, &err), 0);
	assert_int_equal(me_status(a), 401);
	login(&r, "th-mover", PW);
	expect_error(&r, 401, NULL);
	resp_free(&r);
	assert_int_equal(sqlite3_exec(mrm_store_db(db.st),
				      "DELETE FROM login_failure", NULL, NULL,
				      NULL),
			 SQLITE_OK);
}

/* ---- portability and the welfare table (any logged-in role) ---- */

static void test_portability_routes(void **state)
{
	struct resp r;
	json_t *c, *w;

	(void)state;
	/* 20 years at 15,000 THB: 27.5% of 15,000 = 4,125.00 a month */
	as_role(&r, VIEW, "POST", "/api/v1/portability",
		"{\"periods\":[{\"country\":\"TH\",\"from\":\"2005-01\","
		"\"to\":\"2024-12\",\"wage\":15000}],\"birth_year\":1965,"
		"\"claim_date\":\"2025-06-01\",\"switches\":"
		"{\"thai_lump_sum_after_leaving\":true}}");
	expect_status(&r, 200);
	c = json_array_get(json_object_get(r.json, "countries"), 0);
	assert_int_equal(
		json_integer_value(dig(c, "independent", "amount", NULL)),
		412500);
	assert_string_equal(json_string_value(dig(c, "pro_rata", "type", NULL)),
			    "pension");
	assert_true(json_is_true(
		dig(r.json, "switches", "thai_lump_sum_after_leaving", NULL)));
	resp_free(&r);
	bad_json(
		VIEW, "/api/v1/portability",
		"{\"periods\":[{\"country\":\"TH\",\"from\":\"2010-01\","
		"\"to\":\"2012-01\",\"wage\":\"15000\"},{\"country\":\"TH\","
		"\"from\":\"2011-01\",\"to\":\"2013-01\",\"wage\":\"15000\"}]}",
		400, "period");
	bad_json(VIEW, "/api/v1/portability",
		 "{\"periods\":[{\"country\":\"XX\",\"from\":\"2010-01\","
		 "\"to\":\"2012-01\",\"wage\":\"15000\"}]}",
		 400, "country");
	bad_json(VIEW, "/api/v1/portability", "{\"periods\":[]}", 400,
		 "periods");
	bad_json(VIEW, "/api/v1/portability",
		 "{\"periods\":[{\"country\":\"TH\",\"from\":\"2010-01\","
		 "\"to\":\"2012-01\",\"wage\":1}],\"switches\":{\"x\":true}}",
		 400, "switches");
	w = get_json(VIEW, "/api/v1/welfare");
	assert_int_equal(json_array_size(json_object_get(w, "cells")), 54);
	c = json_array_get(json_object_get(w, "cells"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "source")),
			    "Social Security Act B.E. 2533 (1990) s.33; Thai "
			    "Ministry of Labour, 23 May 2024");
	json_decref(w);
}

/* The reference tables: any role reads them, every row with its source. */
static void test_ref_routes(void **state)
{
	json_t *v, *row;
	size_t i;

	(void)state;
	v = get_json(VIEW, "/api/v1/ref");
	assert_true(json_array_size(json_object_get(v, "tables")) >= 4);
	json_decref(v);
	v = get_json(VIEW, "/api/v1/ref/minimum-wage?country=TH&on=2025-07-01");
	assert_true(json_array_size(json_object_get(v, "rows")) > 10);
	json_array_foreach(json_object_get(v, "rows"), i, row)
	{
		assert_string_equal(
			json_string_value(json_object_get(row, "country")),
			"TH");
		assert_true(*json_string_value(json_object_get(row, "source")));
		/* Bangkok's 372 ended on 30 June */
		assert_string_not_equal(
			json_string_value(json_object_get(row, "key")),
			"TH-10-2025");
	}
	json_decref(v);
	bad_get(VIEW, "/api/v1/ref/no-such-table", 404, "table");
	bad_get(VIEW, "/api/v1/ref/minimum-wage?country=XX", 400, "country");
	bad_get(VIEW, "/api/v1/ref/minimum-wage?on=2025-13", 400, "on");
	/* wage records: records readers only */
	v = get_json(CASE, "/api/v1/wages");
	assert_true(json_is_array(json_object_get(v, "items")));
	json_decref(v);
	v = get_json(COORD, "/api/v1/recruitment");
	assert_true(json_is_array(json_object_get(v, "items")));
	json_decref(v);
	bad_get(RES, "/api/v1/wages", 403, NULL);
	bad_get(VIEW, "/api/v1/recruitment", 403, NULL);
	bad_get(CASE, "/api/v1/wages?event=abc", 400, "event");
	bad_get(CASE, "/api/v1/wages?event=99999999", 404, "event");
}

/* The employers of the items of a wage or recruitment list, as
 * "|A|B|" (recruitment costs: paid_to). */
static void items_text(json_t *v, const char *member, char *out, size_t size)
{
	json_t *it;
	size_t i;

	snprintf(out, size, "|");
	json_array_foreach(json_object_get(v, "items"), i, it)
	{
		const char *t = json_string_value(json_object_get(it, member));

		snprintf(out + strlen(out), size - strlen(out), "%s|",
			 t ? t : "?");
	}
}

/* Wage records and recruitment costs: the organisation's own and those of
 * events shared with it, never another's. */
static void test_wages_shared(void **state)
{
	char sql[1024], got[256];
	json_t *v;

	(void)state;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO wage_record(event_id, employer, country,"
		 " admin1, period_start, period_end, days_worked, amount_paid,"
		 " currency) VALUES"
		 " (%lld, 'Own', 'TH', 'TH-10', '2025-03-01', '2025-03-31',"
		 "  20, 600000, 'THB'),"
		 " (%lld, 'Other', 'TH', 'TH-10', '2025-03-01', '2025-03-31',"
		 "  20, 600000, 'THB'),"
		 " (%lld, 'Shared', 'TH', 'TH-10', '2025-03-01', '2025-03-31',"
		 "  20, 600000, 'THB');"
		 "INSERT INTO recruitment_cost(event_id, paid_to, amount,"
		 " currency, date, origin, destination) VALUES"
		 " (%lld, 'agency', 1500000, 'THB', '2024-11', 'LA', 'TH'),"
		 " (%lld, 'official', 1500000, 'THB', '2024-11', 'LA', 'TH'),"
		 " (%lld, 'broker', 1500000, 'THB', '2024-11', 'LA', 'TH');",
		 (long long)own_event, (long long)other_event,
		 (long long)shared_event, (long long)own_event,
		 (long long)other_event, (long long)shared_event);
	assert_int_equal(
		sqlite3_exec(mrm_store_db(db.st), sql, NULL, NULL, NULL),
		SQLITE_OK);

	v = get_json(CASE, "/api/v1/wages");
	items_text(v, "employer", got, sizeof(got));
	json_decref(v);
	assert_string_equal(got, "|Own|Shared|");
	v = get_json(COORD, "/api/v1/recruitment");
	items_text(v, "paid_to", got, sizeof(got));
	json_decref(v);
	assert_string_equal(got, "|agency|broker|");
	/* Bangkok, March 2025: 372 x 20 - 6,000 = 1,440 owed, with source */
	snprintf(sql, sizeof(sql), "/api/v1/wages?event=%lld",
		 (long long)shared_event);
	v = get_json(CASE, sql);
	items_text(v, "employer", got, sizeof(got));
	assert_string_equal(got, "|Shared|");
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(v, "items"), 0),
			"owed")),
		"1440.00");
	json_decref(v);
	/* the labour-rights report through the reports route: figures with
	 * their sources (3 records of the corridor: internal edition) */
	{
		struct resp rr;

		as_role(&rr, COORD, "GET", "/api/v1/reports/labour-rights",
			NULL);
		expect_status(&rr, 200);
		assert_non_null(strstr(rr.body, "Wages owed by corridor"));
		assert_non_null(strstr(rr.body, "Royal Gazette, 27 Dec 2024"));
		assert_non_null(strstr(rr.body, "4320.00"));
		resp_free(&rr);
		as_role(&rr, VIEW, "GET",
			"/api/v1/reports/labour-rights?public=1", NULL);
		expect_status(&rr, 200);
		assert_null(strstr(rr.body, "4320.00"));
		resp_free(&rr);
	}
	snprintf(sql, sizeof(sql), "/api/v1/recruitment?event=%lld",
		 (long long)other_event);
	bad_get(CASE, sql, 403, NULL);
	snprintf(sql, sizeof(sql), "/api/v1/wages?event=%lld",
		 (long long)other_event);
	bad_get(CASE, sql, 403, NULL);
	assert_int_equal(sqlite3_exec(mrm_store_db(db.st),
				      "DELETE FROM wage_record;"
				      "DELETE FROM recruitment_cost;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_logout_me),
		cmocka_unit_test(test_csrf_required),
		cmocka_unit_test(test_bearer_token),
		cmocka_unit_test(test_security_headers),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_static_gzip_and_etag),
		cmocka_unit_test(test_events_routes),
		cmocka_unit_test(test_other_routes),
		cmocka_unit_test(test_import_route),
		cmocka_unit_test(test_import_labour_route),
		cmocka_unit_test(test_stats_answers_follow_writes),
		cmocka_unit_test(test_export_route),
		cmocka_unit_test(test_pagination),
		cmocka_unit_test(test_openapi_complete),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_sql_metacharacters),
		cmocka_unit_test(test_access_matrix),
		cmocka_unit_test(test_identities_hidden),
		cmocka_unit_test(test_access_log),
		cmocka_unit_test(test_export_matches_cli),
		cmocka_unit_test(test_two_factor_login),
		cmocka_unit_test(test_password_and_revocation),
		cmocka_unit_test(test_ref_routes),
		cmocka_unit_test(test_wages_shared),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_login_rate_limit),
		cmocka_unit_test(test_portability_routes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
