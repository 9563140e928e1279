/* api_welfare.c - GET /api/v1/welfare: the comparative welfare table */
#include "api.h"

#include "mrm/welfare.h"

#include <stdlib.h>

int api_welfare(struct srv_req *r)
{
	struct mrm_welfare *w = NULL;
	struct mrm_error err;
	json_t *j;

	if (mrm_welfare_load(&w, &err))
		return srv_fail(r, &err);
	j = mrm_welfare_json(w);
	free(w);
	if (!j)
		return srv_error(r, 500, "out-of-memory", NULL,
				 "out of memory");
	return srv_json(r, 200, j);
}
