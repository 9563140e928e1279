/*
 * fuzz_http_query.c - what the server reads from a request line:
 * srv_query_parse() on the query string, srv_decode() on the path (with
 * and without '+' as space) and srv_route_find() on the method and the
 * decoded path.
 *
 * Input: METHOD '\n' PATH '\n' QUERY.
 */
#include "fuzz_common.h"

#include "srv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srv_query q = {0};
	struct mrm_error err;
	char *p[3];
	char *buf = fuzz_split(data, size, p, 3);
	char *path = NULL, *plus = NULL, *copy = NULL;
	char *args[SRV_ARGS_MAX] = {NULL};
	char allow[64];
	unsigned status = 0;

	if (!buf)
		abort();
	mrm_error_clear(&err);
	if (srv_query_parse(p[2], &q, &err) == 0) {
		for (size_t i = 0; i < q.n; i++)
			if (!q.keys[i] || !q.vals[i])
				abort();
	}
	srv_query_release(&q);
	(void)srv_decode(p[1], strlen(p[1]), 1, &plus, &err);
	free(plus);
	/* The raw path too, as the route table sees undecoded input. */
	copy = NULL;
	(void)srv_route_find(p[0], p[1], &copy, args, &status, allow,
			     sizeof(allow));
	free(copy);
	if (srv_decode(p[1], strlen(p[1]), 0, &path, &err) == 0) {
		copy = NULL;
		const struct srv_route *rt = srv_route_find(
			p[0], path, &copy, args, &status, allow, sizeof(allow));
		if (!rt && status != 404 && status != 405)
			abort();
		free(copy);
	}
	free(path);
	free(buf);
	return 0;
}
