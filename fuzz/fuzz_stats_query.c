/*
 * fuzz_stats_query.c - statistics queries: the measure, by, where, from
 * and to strings that mrm_stats_run() parses, against a small database
 * made once per process (fuzz_db.h).
 *
 * Input: MEASURE '\n' BY '\n' FROM '\n' TO '\n' FLAGS '\n' WHERE...
 * with one WHERE per further line (up to MRM_STATS_WHERE_MAX); an empty
 * BY, FROM or TO is NULL. FLAGS: its first byte's low bit asks for public
 * output, the next byte (if any) is the threshold k.
 */
#include "fuzz_common.h"
#include "fuzz_db.h"

#include "mrm/stats.h"

#define NPARTS (5 + MRM_STATS_WHERE_MAX)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mrm_store *st = fuzz_db();
	struct mrm_stats_query q = {0};
	struct mrm_stats_result *r = NULL;
	struct mrm_error err;
	char *p[NPARTS];
	char *buf = fuzz_split(data, size, p, NPARTS);

	if (!buf)
		abort();
	mrm_error_clear(&err);
	q.measure = p[0];
	q.by = p[1][0] ? p[1] : NULL;
	q.from = p[2][0] ? p[2] : NULL;
	q.to = p[3][0] ? p[3] : NULL;
	q.as_of = "2024-01-01"; /* the same answer every day */
	q.public = p[4][0] & 1;
	q.k = p[4][0] ? (unsigned char)p[4][1] : 0;
	for (size_t i = 5; i < NPARTS && p[i] < buf + size; i++)
		q.where[q.nwhere++] = p[i];
	if (mrm_stats_run(st, &q, &r, &err) == 0) {
		json_t *j = mrm_stats_json(r);
		char text[64];

		for (size_t i = 0; i < r->ncells; i++)
			mrm_stats_value_text(r, &r->cells[i], text,
					     sizeof(text));
		json_decref(j);
		mrm_stats_result_free(r);
	}
	free(buf);
	return 0;
}
