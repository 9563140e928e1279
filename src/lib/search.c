/* search.c - see include/mrm/search.h */
#include "mrm/search.h"

#include "mrm/buf.h"
#include "mrm/store.h"
#include "mrm/utf8.h"

#include <sqlite3.h>
#include <string.h>

#define COLS                                                                   \
	"e.id, e.key, e.title, coalesce(e.start_date,''), "                    \
	"coalesce(e.country,''), coalesce(e.place,'')"

/*
 * The trigram index answers LIKE '%text%' on each column (text of three
 * characters or more without LIKE wildcards); anything else is a scan.
 * Both compare ASCII letters without case.
 */
int mrm_search(struct mrm_store *st, const char *text, unsigned limit,
	       int (*cb)(void *ctx, const struct mrm_hit *hit), void *ctx,
	       struct mrm_error *err)
{
	const char *fts =
		"SELECT " COLS " FROM event_fts f JOIN event e ON "
		"e.id = f.rowid WHERE f.title LIKE ?1 OR f.summary "
		"LIKE ?1 OR f.place LIKE ?1 ORDER BY e.id DESC LIMIT ?2";
	const char *scan = "SELECT " COLS " FROM event e WHERE "
			   "instr(lower(e.title), lower(?1)) OR "
			   "instr(lower(e.summary), lower(?1)) OR "
			   "instr(lower(e.place), lower(?1)) "
			   "ORDER BY e.id DESC LIMIT ?2";
	struct mrm_buf q = MRM_BUF_INIT(4096);
	size_t n = strlen(text);
	sqlite3_stmt *s = NULL;
	int rc = 0, use_fts, step = SQLITE_DONE;

	if (!n || mrm_utf8_check(text, n) != n)
		return mrm_error_set(
			err, MRM_ERR_INVALID, "text",
			"give some valid UTF-8 text to search for");
	use_fts = mrm_utf8_length(text, n) >= 3 && !strpbrk(text, "%_");
	if (use_fts && mrm_buf_addf(&q, "%%%s%%", text)) {
		rc = mrm_error_set(err, MRM_ERR_LIMIT, "text",
				   "search text too long (at most 4 KB)");
		goto out;
	}
	if (sqlite3_prepare_v2(mrm_store_db(st), use_fts ? fts : scan, -1, &s,
			       NULL)) {
		rc = mrm_store_fail(st, err, "search");
		goto out;
	}
	sqlite3_bind_text(s, 1, use_fts ? mrm_buf_str(&q) : text, -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)(limit ? limit : 50));
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		struct mrm_hit h = {
			sqlite3_column_int64(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			(const char *)sqlite3_column_text(s, 3),
			(const char *)sqlite3_column_text(s, 4),
			(const char *)sqlite3_column_text(s, 5),
		};
		rc = cb(ctx, &h);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "search");
out:
	sqlite3_finalize(s);
	mrm_buf_release(&q);
	return rc;
}
