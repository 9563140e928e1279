/* http.c - reading requests and writing answers; see srv.h */
#include "srv.h"

#include "mrm/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define QUERY_PARAMS_MAX 64

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int srv_decode(const char *s, size_t len, int plus, char **out,
	       struct mrm_error *err)
{
	char *d = malloc(len + 1);
	size_t n = 0;

	*out = NULL;
	if (!d)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			int hi = i + 2 < len ? hexval((unsigned char)s[i + 1])
					     : -1;
			int lo = hi >= 0 ? hexval((unsigned char)s[i + 2]) : -1;

			if (lo < 0) {
				free(d);
				return mrm_error_set(
					err, MRM_ERR_INVALID, NULL,
					"a '%%' must be followed by two hex "
					"digits (write a '%%' itself as %%25)");
			}
			c = hi * 16 + lo;
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (!c) {
			free(d);
			return mrm_error_set(err, MRM_ERR_INVALID, NULL,
					     "NUL bytes are not allowed");
		}
		d[n++] = (char)c;
	}
	d[n] = 0;
	if (mrm_utf8_check(d, n) != n) {
		free(d);
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "not valid UTF-8 once decoded");
	}
	*out = d;
	return 0;
}

void srv_query_release(struct srv_query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->keys[i]);
		free(q->vals[i]);
	}
	free(q->keys);
	free(q->vals);
	memset(q, 0, sizeof(*q));
}

/* One "key=value" of length len. */
static int query_pair(const char *s, size_t len, struct srv_query *q,
		      struct mrm_error *err)
{
	const char *eq = memchr(s, '=', len);
	size_t klen = eq ? (size_t)(eq - s) : len;
	int rc;

	if (q->n == QUERY_PARAMS_MAX)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "more than %d query parameters",
				     QUERY_PARAMS_MAX);
	rc = srv_decode(s, klen, 1, &q->keys[q->n], err);
	if (!rc)
		rc = srv_decode(eq ? eq + 1 : "", eq ? len - klen - 1 : 0, 1,
				&q->vals[q->n], err);
	if (rc) {
		free(q->keys[q->n]);
		return rc;
	}
	q->n++;
	return 0;
}

int srv_query_parse(const char *s, struct srv_query *q, struct mrm_error *err)
{
	int rc = 0;

	memset(q, 0, sizeof(*q));
	q->keys = calloc(QUERY_PARAMS_MAX, sizeof(*q->keys));
	q->vals = calloc(QUERY_PARAMS_MAX, sizeof(*q->vals));
	if (!q->keys || !q->vals)
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	while (!rc && s && *s) {
		size_t len = strcspn(s, "&");

		if (len)
			rc = query_pair(s, len, q, err);
		s += len + (s[len] == '&');
	}
	return rc;
}

const char *srv_arg(const struct srv_req *r, const char *name)
{
	for (size_t i = 0; i < r->q.n; i++)
		if (!strcmp(r->q.keys[i], name))
			return r->q.vals[i];
	return NULL;
}

size_t srv_args(const struct srv_req *r, const char *name, const char **out,
		size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->q.n; i++)
		if (!strcmp(r->q.keys[i], name)) {
			if (n < max)
				out[n] = r->q.vals[i];
			n++;
		}
	return n;
}

int srv_arg_int(struct srv_req *r, const char *name, long min, long max,
		long dflt, long *out)
{
	const char *v = srv_arg(r, name);
	char *end;
	long n;

	*out = dflt;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || !isdigit((unsigned char)*v) || n < min ||
	    n > max) {
		srv_error(r, 400, "invalid", name,
			  "must be a whole number "
			  "from %ld to %ld",
			  min, max);
		return -1;
	}
	*out = n;
	return 0;
}

int srv_arg_flag(struct srv_req *r, const char *name, int *out)
{
	const char *v = srv_arg(r, name);

	*out = v && !strcmp(v, "1");
	if (!v || !*v || !strcmp(v, "0") || !strcmp(v, "1"))
		return 0;
	srv_error(r, 400, "invalid", name, "must be 1 or 0");
	return -1;
}

int srv_arg_cursor(struct srv_req *r, int64_t *out)
{
	const char *v = srv_arg(r, "cursor");
	char *end;
	long long n;

	*out = 0;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end || !isdigit((unsigned char)*v) || n < 1) {
		srv_error(r, 400, "invalid", "cursor",
			  "is not a cursor this server gave (use next_cursor "
			  "of the previous page, or leave it out)");
		return -1;
	}
	*out = n;
	return 0;
}

int srv_content_type_is(struct srv_req *r, const char *type)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "Content-Type");
	size_t n = strlen(type);
	const char *p;

	if (!ct || strncasecmp(ct, type, n) ||
	    (ct[n] && ct[n] != ';' && ct[n] != ' '))
		return 0;
	p = strchr(ct + n, ';');
	if (!p)
		return 1;
	while (*++p == ' ')
		;
	if (strncasecmp(p, "charset=", 8))
		return 1;
	p += 8;
	if (*p == '"')
		p++;
	return !strncasecmp(p, "utf-8", 5);
}

static int body_text(struct srv_req *r)
{
	size_t bad =
		mrm_utf8_check(r->body.ptr ? r->body.ptr : "", r->body.len);

	if (bad == r->body.len)
		return 0;
	srv_error(r, 400, "invalid", NULL,
		  "the body is not valid UTF-8 (byte %zu)", bad + 1);
	return -1;
}

json_t *srv_body_object(struct srv_req *r, const char *const *allowed)
{
	json_error_t jerr;
	const char *key;
	json_t *v, *o;

	if (!srv_content_type_is(r, "application/json")) {
		srv_error(r, 415, "media-type", NULL,
			  "send the body as Content-Type: application/json");
		return NULL;
	}
	if (body_text(r))
		return NULL;
	o = json_loadb(r->body.ptr ? r->body.ptr : "", r->body.len,
		       JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		srv_error(r, 400, "invalid", NULL,
			  "the body is not JSON: line %d column %d: %s",
			  jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		srv_error(r, 400, "invalid", NULL,
			  "the body must be a JSON object {...}");
		return NULL;
	}
	json_object_foreach(o, key, v)
	{
		int ok = !allowed;

		for (size_t i = 0; allowed && allowed[i]; i++)
			ok |= !strcmp(allowed[i], key);
		if (!ok) {
			srv_error(r, 400, "invalid", key,
				  "unknown field \"%.100s\"", key);
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* ---- answers ---- */

int srv_send_static(struct srv_req *r, unsigned status, const char *type,
		    const void *data, size_t len)
{
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = MHD_create_response_from_buffer(len, (void *)data,
						  MHD_RESPMEM_PERSISTENT);
	r->status = status;
	r->bytes = len;
	if (r->resp && type)
		MHD_add_response_header(r->resp, "Content-Type", type);
	return 0;
}

int srv_send(struct srv_req *r, unsigned status, const char *type, char *data,
	     size_t len)
{
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = MHD_create_response_from_buffer(len, data,
						  MHD_RESPMEM_MUST_FREE);
	if (!r->resp)
		free(data);
	r->status = status;
	r->bytes = len;
	if (r->resp && type)
		MHD_add_response_header(r->resp, "Content-Type", type);
	return 0;
}

int srv_json(struct srv_req *r, unsigned status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	json_decref(v);
	if (!text) {
		if (r->resp)
			MHD_destroy_response(r->resp);
		r->resp = NULL; /* a 500 follows */
		return 0;
	}
	return srv_send(r, status, "application/json", text, strlen(text));
}

json_t *srv_error_json(const char *code, const char *field, const char *msg)
{
	return json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code,
			 "message", msg, "field",
			 field && *field ? field : NULL);
}

int srv_error(struct srv_req *r, unsigned status, const char *code,
	      const char *field, const char *fmt, ...)
{
	char msg[MRM_ERROR_MSG_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* messages quote what the client sent: keep them text */
	if (mrm_utf8_check(msg, strlen(msg)) != strlen(msg))
		msg[mrm_utf8_check(msg, strlen(msg))] = 0;
	return srv_json(r, status, srv_error_json(code, field, msg));
}

unsigned srv_status_of(int code)
{
	switch (code) {
	case MRM_ERR_INVALID: return 400;
	case MRM_ERR_LIMIT: return 400;
	case MRM_ERR_ACCESS: return 403;
	case MRM_ERR_NOTFOUND: return 404;
	case MRM_ERR_EXISTS: return 409;
	default: return 500;
	}
}

int srv_fail(struct srv_req *r, const struct mrm_error *e)
{
	unsigned status = srv_status_of(e->code);
	char text[MRM_ERROR_WHERE_MAX + MRM_ERROR_MSG_MAX + 4];

	if (status == 500) {
		/* the database's own words stay in the log */
		mrm_error_format(e, text, sizeof(text));
		srv_log(r->srv, "error: %s %s: %s", r->method,
			r->path ? r->path : "", text);
		return srv_error(r, 500, "internal", NULL,
				 "the server failed to do this; the log says "
				 "why");
	}
	return srv_error(r, status, mrm_code_name(e->code), e->where, "%s",
			 e->msg);
}

void srv_header(struct srv_req *r, const char *name, const char *value)
{
	if (r->resp)
		MHD_add_response_header(r->resp, name, value);
}

void srv_log(struct srv *s, const char *fmt, ...)
{
	char line[SRV_LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* cut: the end of a long line */
	line[n++] = '\n';
	/* one write(2) per line, no lock and no stdio buffer: lines of
	 * several threads do not mix (a file's offset moves under the
	 * kernel's lock; a pipe takes up to PIPE_BUF bytes at once) */
	if (write(fileno(s->log), line, (size_t)n) < 0)
		return;
}
