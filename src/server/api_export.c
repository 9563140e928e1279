/*
 * api_export.c - GET /api/v1/export: the organisation's records, sent as
 * they are read (no row cap, bounded memory), from a database connection
 * of the export's own so that the worker's stays free for other requests.
 */
#include "api.h"

#include "mrm/events.h"
#include "mrm/export.h"
#include "mrm/store.h"

#include <stdlib.h>
#include <string.h>

#define PIECE_MAX (256u << 20) /* the largest event an export holds */
#define BLOCK	  (64u << 10)

struct export
{
	struct srv *srv;
	struct mrm_store *st;
	struct mrm_export_stream *x;
	struct mrm_buf piece;
	size_t off;
	int done;
	uint64_t *sent;
};

static ssize_t export_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct export *e = cls;
	struct mrm_error err;
	size_t n;
	int rc;

	(void)pos;
	while (e->off == e->piece.len) {
		if (e->done)
			return MHD_CONTENT_READER_END_OF_STREAM;
		mrm_buf_reset(&e->piece);
		e->off = 0;
		rc = mrm_export_stream_next(e->x, &e->piece, &err);
		if (rc < 0) {
			srv_log(e->srv, "error: export cut short: %s", err.msg);
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		e->done = !rc;
	}
	n = e->piece.len - e->off < max ? e->piece.len - e->off : max;
	memcpy(buf, e->piece.ptr + e->off, n);
	e->off += n;
	*e->sent += n;
	return (ssize_t)n;
}

static void export_free(void *cls)
{
	struct export *e = cls;

	mrm_export_stream_free(e->x);
	mrm_store_close(e->st);
	/* the piece held records in clear */
	if (e->piece.ptr)
		memset(e->piece.ptr, 0, e->piece.cap);
	mrm_buf_release(&e->piece);
	free(e);
}

int api_export(struct srv_req *r)
{
	const char *format = srv_arg(r, "format"), *what = srv_arg(r, "what");
	struct export *e;
	struct mrm_error err;
	int csv;

	format = format && *format ? format : "json";
	what = what && *what ? what : NULL;
	csv = !strcmp(format, "csv");
	if (api_allow(r, MRM_ACT_EXPORT, r->who.org_id))
		return 0;
	e = calloc(1, sizeof(*e));
	if (!e)
		return srv_error(r, 500, "internal", NULL, "out of memory");
	e->srv = r->srv;
	e->sent = &r->bytes;
	mrm_buf_init(&e->piece, PIECE_MAX);
	if (mrm_store_open_kek(&e->st, r->srv->db, r->srv->o.kek, &err) ||
	    mrm_export_stream_begin(&e->x, e->st, &r->who, format, what,
				    &err)) {
		export_free(e);
		return srv_fail(r, &err);
	}
	r->resp = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, BLOCK, export_read, e, export_free);
	if (!r->resp) {
		export_free(e);
		return srv_error(r, 500, "internal", NULL, "out of memory");
	}
	r->status = 200;
	r->bytes = 0;
	srv_header(r, "Content-Type",
		   csv ? "text/csv; charset=utf-8" : "application/json");
	srv_header(r, "Content-Disposition",
		   csv ? "attachment; filename=\"mrm-export.csv\""
		       : "attachment; filename=\"mrm-export.json\"");
	return 0;
}
