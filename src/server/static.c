/*
 * static.c - the browser interface: the files under web/, compiled into
 * the binary (tools/embed.c), never read from the file system. "/" is
 * web/index.html and "/app/PATH" is web/app/PATH.
 */
#include "srv.h"

#include "mrm/embedded.h"

#include <string.h>

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

int srv_is_static(const char *path)
{
	return strncmp(path, "/api/", 5) && strcmp(path, "/api");
}

int srv_static(struct srv_req *r)
{
	const struct mrm_embedded *f = NULL;
	const char *path = r->path;
	char name[512];

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
	srv_send_static(r, 200, type_of(name), f->data, f->len);
	srv_header(r, "Cache-Control", "no-cache");
	return 0;
}
