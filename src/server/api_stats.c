/* api_stats.c - /api/v1/stats: the JSON of mrm stats */
#include "api.h"

#include "mrm/stats.h"

int api_stats(struct srv_req *r)
{
	struct mrm_stats_query q = {0};
	struct mrm_stats_result *res = NULL;
	struct mrm_error err;
	long k;
	size_t n;

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
	if (mrm_stats_run(r->st, &q, &res, &err))
		return srv_fail(r, &err);
	srv_json(r, 200, mrm_stats_json(res));
	mrm_stats_result_free(res);
	return 0;
}
