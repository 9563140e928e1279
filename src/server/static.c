/*
 * static.c - the browser interface: the files under web/, compiled into
 * the binary (tools/embed.c), never read from the file system. "/" is
 * web/index.html and "/app/PATH" is web/app/PATH.
 *
 * Each file has an entity tag (a hash of its bytes), so that a browser
 * asks again with If-None-Match and gets 304 when nothing changed; text
 * files go gzip-compressed to browsers that accept it (a page of the
 * interface is then a fraction of its size on a slow line). Both are
 * made once, on the first request. Only these files are compressed, never
 * an API answer: those hold secrets beside what a user typed (BREACH).
 */
#include "srv.h"

#include "mrm/embedded.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json"},
	{".webmanifest", "application/manifest+json"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".txt", "text/plain; charset=utf-8"},
	{".csv", "text/csv; charset=utf-8"},
};

static const char *type_of(const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && !strcmp(path + n - e, types[i].ext))
			return types[i].type;
	}
	return "application/octet-stream";
}

/* What is kept of each file under web/. */
struct variant {
	const struct mrm_embedded *f;
	char etag[24];	   /* "16 hex digits" */
	char gz_etag[28];  /* "16 hex digits-gz" */
	unsigned char *gz; /* gzip of the file, NULL when not worth it */
	size_t gz_len;
};

static struct variant *variants;
static size_t nvariants;
static pthread_once_t variants_once = PTHREAD_ONCE_INIT;

static int is_text(const char *type)
{
	return !strncmp(type, "text/", 5) || strstr(type, "json") ||
	       strstr(type, "svg");
}

/* A gzip copy of `f`, kept when it saves a tenth or more. */
static void compress_one(struct variant *v)
{
	z_stream z = {0};
	uLong bound;

	if (v->f->len < 512 || deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
					    Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	bound = deflateBound(&z, (uLong)v->f->len);
	v->gz = malloc(bound);
	z.next_in = (Bytef *)v->f->data;
	z.avail_in = (uInt)v->f->len;
	z.next_out = v->gz;
	z.avail_out = (uInt)bound;
	if (!v->gz || deflate(&z, Z_FINISH) != Z_STREAM_END ||
	    z.total_out > v->f->len - v->f->len / 10) {
		free(v->gz);
		v->gz = NULL;
	} else {
		v->gz_len = z.total_out;
	}
	deflateEnd(&z);
}

static void variants_make(void)
{
	size_t n = 0;

	for (const struct mrm_embedded *f = mrm_embedded_files; f->path; f++)
		n += !strncmp(f->path, "web/", 4);
	variants = calloc(n ? n : 1, sizeof(*variants));
	for (const struct mrm_embedded *f = mrm_embedded_files;
	     variants && f->path; f++) {
		struct variant *v = &variants[nvariants];
		unsigned char h[8];
		char hex[17];

		if (strncmp(f->path, "web/", 4))
			continue;
		v->f = f;
		crypto_generichash(h, sizeof(h), f->data, f->len, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		snprintf(v->etag, sizeof(v->etag), "\"%s\"", hex);
		snprintf(v->gz_etag, sizeof(v->gz_etag), "\"%s-gz\"", hex);
		if (is_text(type_of(f->path)))
			compress_one(v);
		nvariants++;
	}
}

static const struct variant *variant_of(const struct mrm_embedded *f)
{
	pthread_once(&variants_once, variants_make);
	for (size_t i = 0; i < nvariants; i++)
		if (variants[i].f == f)
			return &variants[i];
	return NULL;
}

/* Does the Accept-Encoding header take gzip ("gzip", "x-gzip" or "*",
 * not with q=0)? */
static int takes_gzip(struct srv_req *r)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "Accept-Encoding");
	char copy[256], *save = NULL;

	if (!v || strlen(v) >= sizeof(copy))
		return 0;
	strcpy(copy, v);
	for (char *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *params = strchr(tok, ';'), *q;
		size_t n;

		tok += strspn(tok, " \t");
		if (params)
			*params++ = '\0';
		n = strcspn(tok, " \t");
		tok[n] = '\0';
		if (strcasecmp(tok, "gzip") && strcasecmp(tok, "x-gzip") &&
		    strcmp(tok, "*"))
			continue;
		q = params ? strstr(params, "q=") : NULL;
		return !q || strtod(q + 2, NULL) > 0;
	}
	return 0;
}

/* Does If-None-Match name `etag` (or "*")? */
static int not_modified(struct srv_req *r, const char *etag)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "If-None-Match");

	return v && (strstr(v, etag) || !strcmp(v, "*"));
}

int srv_is_static(const char *path)
{
	return strncmp(path, "/api/", 5) && strcmp(path, "/api");
}

int srv_static(struct srv_req *r)
{
	const struct mrm_embedded *f = NULL;
	const struct variant *v;
	const char *path = r->path, *etag;
	char name[512];
	int gz;

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		srv_error(r, 405, "method", NULL, "only GET and HEAD here");
		srv_header(r, "Allow", "GET, HEAD");
		return 0;
	}
	if (strstr(path, "..") || strstr(path, "//") || strchr(path, '\\'))
		return srv_error(r, 400, "invalid", NULL,
				 "a path may not hold \"..\", \"//\" or "
				 "\"\\\"");
	if (!strcmp(path, "/"))
		path = "/index.html";
	else if (strncmp(path, "/app/", 5))
		path = NULL;
	if (path && strlen(path) < sizeof(name) - 4) {
		snprintf(name, sizeof(name), "web%s", path);
		f = mrm_embedded_find(name);
	}
	if (!f)
		return srv_error(r, 404, "not-found", NULL, "no such page");
	v = variant_of(f);
	gz = v && v->gz && takes_gzip(r);
	etag = !v ? NULL : gz ? v->gz_etag : v->etag;
	if (etag && not_modified(r, etag)) {
		srv_send_static(r, 304, NULL, "", 0);
	} else if (gz) {
		srv_send_static(r, 200, type_of(name), v->gz, v->gz_len);
		srv_header(r, "Content-Encoding", "gzip");
	} else {
		srv_send_static(r, 200, type_of(name), f->data, f->len);
	}
	if (etag)
		srv_header(r, "ETag", etag);
	srv_header(r, "Vary", "Accept-Encoding");
	srv_header(r, "Cache-Control", "no-cache");
	return 0;
}
