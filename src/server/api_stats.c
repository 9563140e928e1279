/* api_stats.c - /api/v1/stats: the JSON of mrm stats */
#include "api.h"

#include "mrm/stats.h"
#include "mrm/store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The query as a cache key. Statistics are not scoped to the asker's
 * organisation, so every asker allowed the query gets the same answer.
 * Today's date is part of it: open detentions count up to today.
 */
static int key_part(struct mrm_buf *b, const char *v)
{
	/* length-prefixed: no value can pass for another's boundary */
	return mrm_buf_addf(b, "%zu:%s", v ? strlen(v) : 0, v ? v : "");
}

static int cache_key(const struct mrm_stats_query *q, struct mrm_buf *b)
{
	const char *parts[] = {q->measure, q->by, q->from, q->to, q->as_of};
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	gmtime_r(&now, &tm);
	rc = mrm_buf_addf(b, "%04d%02d%02d|%d|%u|%zu|", tm.tm_year + 1900,
			  tm.tm_mon + 1, tm.tm_mday, q->public, q->k,
			  q->nwhere);
	for (size_t i = 0; !rc && i < sizeof(parts) / sizeof(parts[0]); i++)
		rc = key_part(b, parts[i]);
	for (size_t i = 0; !rc && i < q->nwhere; i++)
		rc = key_part(b, q->where[i]);
	return rc;
}

int api_stats(struct srv_req *r)
{
	struct mrm_stats_query q = {0};
	struct mrm_stats_result *res = NULL;
	struct mrm_buf key = MRM_BUF_INIT(8192);
	struct mrm_error err;
	char *answer;
	json_t *j;
	int64_t gen;
	long k;
	int rc;
	size_t n, len = 0;

	q.measure = srv_arg(r, "measure");
	q.by = srv_arg(r, "by");
	q.from = srv_arg(r, "from");
	q.to = srv_arg(r, "to");
	q.as_of = srv_arg(r, "as_of");
	n = srv_args(r, "where", q.where, MRM_STATS_WHERE_MAX);
	if (n > MRM_STATS_WHERE_MAX)
		return srv_error(r, 400, "invalid", "where", "at most %d",
				 MRM_STATS_WHERE_MAX);
	q.nwhere = n;
	if (srv_arg_flag(r, "public", &q.public) ||
	    srv_arg_int(r, "k", 2, 1000, 0, &k) ||
	    api_allow(r, q.public ? MRM_ACT_STATS_PUBLIC : MRM_ACT_STATS, 0))
		return 0;
	q.k = (unsigned)k;
	q.by = q.by && *q.by ? q.by : NULL;
	if (cache_key(&q, &key))
		return srv_error(r, 400, "limit", NULL, "query too long");
	/* the generation before the query: a write during it makes the
	 * answer stale at once, never kept as fresh */
	gen = mrm_store_generation(r->st);
	answer = srv_cache_get(&r->srv->answers, key.ptr, gen, &len);
	if (answer)
		goto send;
	/* One query at a time: the fact table of a large database takes
	 * memory, and the workers waiting here find the answer kept. */
	pthread_mutex_lock(&r->srv->stats_mu);
	answer = srv_cache_get(&r->srv->answers, key.ptr, gen, &len);
	if (answer) {
		pthread_mutex_unlock(&r->srv->stats_mu);
		goto send;
	}
	rc = mrm_stats_run(r->st, &q, &res, &err);
	if (rc) {
		pthread_mutex_unlock(&r->srv->stats_mu);
		mrm_buf_release(&key);
		return srv_fail(r, &err);
	}
	j = mrm_stats_json(res);
	answer = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	mrm_stats_result_free(res);
	if (!answer) {
		pthread_mutex_unlock(&r->srv->stats_mu);
		mrm_buf_release(&key);
		return srv_error(r, 500, "out-of-memory", NULL,
				 "out of memory");
	}
	len = strlen(answer);
	srv_cache_put(&r->srv->answers, key.ptr, gen, answer, len);
	pthread_mutex_unlock(&r->srv->stats_mu);
send:
	mrm_buf_release(&key);
	return srv_send(r, 200, "application/json", answer, len);
}
