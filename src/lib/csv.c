/* csv.c - see include/mrm/csv.h */
#include "mrm/csv.h"

#include "mrm/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Input is read in chunks of this size. */
#define CHUNK ((size_t)256 << 10)

/* Byte classes: what ends a run of plain bytes. */
enum { C_COMMA = 1, C_QUOTE = 2, C_EOL = 4 };

static const unsigned char cls[256] = {
	[','] = C_COMMA,
	['"'] = C_QUOTE,
	['\r'] = C_EOL,
	['\n'] = C_EOL,
};

enum state {
	ST_START,	/* at the first byte of a field */
	ST_UNQUOTED,	/* inside an unquoted field */
	ST_QUOTED,	/* inside quotes */
	ST_AFTER_QUOTE, /* just after a quote inside quotes: "" or the end */
};

struct field {
	size_t off; /* into rec.ptr */
	size_t len;
	unsigned long line;
};

struct mrm_csv_reader {
	FILE *fp;
	char *name;
	struct mrm_csv_limits lim;

	unsigned char *in;  /* CHUNK bytes of input */
	size_t in_len;	    /* bytes held in `in` */
	size_t in_pos;	    /* next unread byte in `in` */
	uint64_t in_base;   /* input offset of in[0] */
	int eof;	    /* fread reached the end of input */
	int started;	    /* the BOM check is done */
	int eat_lf;	    /* the last record ended with CR: skip one LF */
	int prev_cr;	    /* inside quotes, the last byte was a CR */
	unsigned long line; /* line of the next unread byte */

	/* the current record */
	unsigned long rec_line;
	struct mrm_buf rec; /* field bytes, each followed by a NUL */
	size_t rec_bytes;   /* sum of the lengths of the stored fields */
	struct field *fields;
	size_t nfields;
	size_t fields_cap;

	/* the field being read */
	size_t fidx;	     /* 0-based field number */
	unsigned long fline; /* line where it starts */
	size_t foff;	     /* where its bytes start in rec */
	int quoted;

	/* a recoverable error in this record: skip the rest of it */
	int skipping;
	int rec_err;
	struct mrm_error rec_e;
	int recoverable;

	/* an unrecoverable error: returned by every later call */
	int sticky;
	struct mrm_error sticky_e;
};

/*
 * Record an error at LINE, column fidx + 1 of the current record: a sticky
 * one when `sticky`, else the first recoverable one of this record, which
 * switches to skipping the rest of the record. Returns `code`.
 */
static int fail(struct mrm_csv_reader *r, int sticky, enum mrm_code code,
		unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(struct mrm_csv_reader *r, int sticky, enum mrm_code code,
		unsigned long line, const char *fmt, ...)
{
	char where[MRM_ERROR_WHERE_MAX];
	char msg[MRM_ERROR_MSG_MAX];
	struct mrm_error *e;
	va_list ap;

	if (sticky) {
		if (r->sticky)
			return code;
		r->sticky = code;
		e = &r->sticky_e;
	} else {
		r->skipping = 1;
		if (r->rec_err)
			return code;
		r->rec_err = code;
		e = &r->rec_e;
	}
	if (line)
		snprintf(where, sizeof(where), "%s:%lu:%zu", r->name, line,
			 r->fidx + 1);
	else
		snprintf(where, sizeof(where), "%s", r->name);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mrm_error_set(e, code, where, "%s", msg);
	return code;
}

static int nomem(struct mrm_csv_reader *r)
{
	return fail(r, 1, MRM_ERR_NOMEM, r->line, "out of memory");
}

static size_t avail(const struct mrm_csv_reader *r)
{
	return r->in_len - r->in_pos;
}

/*
 * Make at least `want` (at most CHUNK) unread bytes available, unless the
 * input ends first. Returns 1 when any unread byte is there, 0 when none is
 * left, or MRM_ERR_IO (sticky) when reading fails.
 */
static int fill(struct mrm_csv_reader *r, size_t want)
{
	size_t n;

	if (avail(r) >= want || r->eof)
		return avail(r) > 0;
	if (r->in_pos) {
		n = avail(r);
		memmove(r->in, r->in + r->in_pos, n);
		r->in_base += r->in_pos;
		r->in_len = n;
		r->in_pos = 0;
	}
	while (r->in_len < want && !r->eof) {
		errno = 0;
		n = fread(r->in + r->in_len, 1, CHUNK - r->in_len, r->fp);
		r->in_len += n;
		if (n)
			continue;
		if (ferror(r->fp))
			return fail(
				r, 1, MRM_ERR_IO, 0,
				"read error after %llu bytes: %s",
				(unsigned long long)(r->in_base + r->in_len),
				errno ? strerror(errno) : "unknown error");
		r->eof = 1;
	}
	return avail(r) > 0;
}

/* Append n bytes to the current field, within the limits. */
static int add(struct mrm_csv_reader *r, const void *p, size_t n)
{
	size_t flen = r->rec.len - r->foff;

	if (r->skipping || !n)
		return 0;
	if (n > r->lim.max_field - flen) {
		fail(r, 0, MRM_ERR_LIMIT, r->fline,
		     "field longer than %zu bytes%s", r->lim.max_field,
		     r->quoted ? " (is a closing quote missing?)" : "");
		return 0;
	}
	if (n > r->lim.max_record - r->rec_bytes - flen) {
		fail(r, 0, MRM_ERR_LIMIT, r->rec_line,
		     "record longer than %zu bytes", r->lim.max_record);
		return 0;
	}
	if (mrm_buf_add(&r->rec, p, n))
		return nomem(r);
	return 0;
}

static void field_begin(struct mrm_csv_reader *r)
{
	r->fline = r->line;
	r->foff = r->rec.len;
	r->quoted = 0;
}

/* Check and store the field just read. */
static int field_end(struct mrm_csv_reader *r)
{
	size_t len = r->rec.len - r->foff;
	size_t bad;

	if (r->skipping)
		return 0;
	bad = mrm_utf8_check(r->rec.ptr ? r->rec.ptr + r->foff : "", len);
	if (bad != len) {
		fail(r, 0, MRM_ERR_INVALID, r->fline,
		     "invalid UTF-8 at byte %zu of the field (0x%02x)", bad + 1,
		     (unsigned)(unsigned char)r->rec.ptr[r->foff + bad]);
		return 0;
	}
	if (r->nfields == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
		struct field *f;

		if (cap > r->lim.max_fields)
			cap = r->lim.max_fields;
		f = realloc(r->fields, cap * sizeof(*f));
		if (!f)
			return nomem(r);
		r->fields = f;
		r->fields_cap = cap;
	}
	if (mrm_buf_add(&r->rec, "", 1))
		return nomem(r);
	r->fields[r->nfields].off = r->foff;
	r->fields[r->nfields].len = len;
	r->fields[r->nfields].line = r->fline;
	r->nfields++;
	r->rec_bytes += len;
	return 0;
}

/* End the current field at a comma and begin the next one. */
static int next_field(struct mrm_csv_reader *r)
{
	int rc = field_end(r);

	if (rc < 0)
		return rc;
	r->fidx++;
	field_begin(r);
	if (r->fidx >= r->lim.max_fields)
		fail(r, 0, MRM_ERR_LIMIT, r->fline, "more than %zu fields",
		     r->lim.max_fields);
	return 0;
}

/*
 * Read one record into r->rec and r->fields. Returns 1 for a record, 0 at
 * end of input, or a negative code: r->rec_err when a recoverable error was
 * found (the record is then skipped to its end), else r->sticky.
 */
static int read_record(struct mrm_csv_reader *r)
{
	enum state st = ST_START;
	const unsigned char *p, *q, *end;
	int done = 0;
	int rc;

	if (!r->started) {
		rc = fill(r, 3);
		if (rc < 0)
			goto out;
		r->started = 1;
		if (avail(r) >= 3 &&
		    !memcmp(r->in + r->in_pos, "\xEF\xBB\xBF", 3))
			r->in_pos += 3;
	}
	if (r->eat_lf) {
		rc = fill(r, 1);
		if (rc < 0)
			goto out;
		r->eat_lf = 0;
		if (rc && r->in[r->in_pos] == '\n')
			r->in_pos++;
	}
	rc = fill(r, 1);
	if (rc <= 0)
		goto out;

	r->rec_line = r->line;
	r->fidx = 0;
	field_begin(r);
	while (!done) {
		if (r->in_pos == r->in_len) {
			rc = fill(r, 1);
			if (rc < 0)
				goto out;
			if (!rc)
				break;
		}
		p = r->in + r->in_pos;
		end = r->in + r->in_len;
		switch (st) {
		case ST_START:
			if (*p == '"') {
				r->in_pos++;
				r->quoted = 1;
				st = ST_QUOTED;
				continue;
			}
			st = ST_UNQUOTED;
			/* fall through */
		case ST_UNQUOTED:
			for (q = p; q < end && !cls[*q]; q++)
				;
			rc = add(r, p, (size_t)(q - p));
			if (rc < 0)
				goto out;
			r->in_pos = (size_t)(q - r->in);
			if (q == end)
				continue;
			r->in_pos++;
			if (*q == '"') {
				/* while skipping, it is just data */
				fail(r, 0, MRM_ERR_INVALID, r->line,
				     "unexpected quote in unquoted field (a "
				     "field with quotes must be quoted as a "
				     "whole, each quote doubled: \"a "
				     "\"\"b\"\"\")");
			} else if (*q == ',') {
				rc = next_field(r);
				if (rc < 0)
					goto out;
				st = ST_START;
			} else {
				r->line++;
				r->eat_lf = *q == '\r';
				done = 1;
			}
			continue;
		case ST_QUOTED:
			for (q = p; q < end && !(cls[*q] & (C_QUOTE | C_EOL));
			     q++)
				;
			if (q > p) {
				rc = add(r, p, (size_t)(q - p));
				if (rc < 0)
					goto out;
				r->prev_cr = 0;
			}
			r->in_pos = (size_t)(q - r->in);
			if (q == end)
				continue;
			r->in_pos++;
			if (*q == '"') {
				r->prev_cr = 0;
				st = ST_AFTER_QUOTE;
				continue;
			}
			if (*q == '\r') {
				r->line++;
				r->prev_cr = 1;
			} else {
				if (!r->prev_cr)
					r->line++;
				r->prev_cr = 0;
			}
			rc = add(r, q, 1);
			if (rc < 0)
				goto out;
			continue;
		case ST_AFTER_QUOTE:
			r->in_pos++;
			if (*p == '"') {
				rc = add(r, p, 1);
				if (rc < 0)
					goto out;
				st = ST_QUOTED;
			} else if (*p == ',') {
				rc = next_field(r);
				if (rc < 0)
					goto out;
				st = ST_START;
			} else if (*p == '\r' || *p == '\n') {
				r->line++;
				r->eat_lf = *p == '\r';
				done = 1;
			} else {
				if (*p >= 0x20 && *p < 0x7f)
					fail(r, 0, MRM_ERR_INVALID, r->line,
					     "unexpected character '%c' after "
					     "closing quote (a quote inside a "
					     "quoted field is written \"\")",
					     *p);
				else
					fail(r, 0, MRM_ERR_INVALID, r->line,
					     "unexpected byte 0x%02x after "
					     "closing quote (a quote inside a "
					     "quoted field is written \"\")",
					     (unsigned)*p);
				/* skip the rest as unquoted data */
				r->in_pos--;
				st = ST_UNQUOTED;
			}
			continue;
		}
	}
	if (!done && st == ST_QUOTED) {
		rc = fail(r, 1, MRM_ERR_INVALID, r->fline,
			  "quote never closed (opened here)");
		goto out;
	}
	rc = field_end(r);
	if (rc < 0)
		goto out;
	rc = 1;
out:
	if (rc < 0 || r->rec_err)
		rc = r->rec_err ? r->rec_err : r->sticky;
	return rc;
}

int mrm_csv_reader_new(struct mrm_csv_reader **out, FILE *fp, const char *name,
		       const struct mrm_csv_limits *lim, struct mrm_error *err)
{
	struct mrm_csv_reader *r = NULL;
	size_t nlen;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !fp) {
		rc = mrm_error_set(err, MRM_ERR_INVALID, name,
				   "CSV reader: %s is NULL",
				   out ? "fp" : "out");
		goto out;
	}
	if (!name || !*name)
		name = "<csv>";
	nlen = strlen(name);
	r = calloc(1, sizeof(*r));
	if (r) {
		r->name = malloc(nlen + 1);
		r->in = malloc(CHUNK);
	}
	if (!r || !r->name || !r->in) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, name,
				   "out of memory for the CSV reader");
		goto out;
	}
	memcpy(r->name, name, nlen + 1);
	r->fp = fp;
	if (lim)
		r->lim = *lim;
	if (!r->lim.max_field)
		r->lim.max_field = MRM_CSV_MAX_FIELD;
	if (!r->lim.max_fields)
		r->lim.max_fields = MRM_CSV_MAX_FIELDS;
	if (!r->lim.max_record)
		r->lim.max_record = MRM_CSV_MAX_RECORD;
	mrm_buf_init(&r->rec, SIZE_MAX);
	r->line = 1;
	mrm_error_clear(err);
	*out = r;
	r = NULL;
	rc = 0;
out:
	mrm_csv_reader_free(r);
	return rc;
}

void mrm_csv_reader_free(struct mrm_csv_reader *r)
{
	if (!r)
		return;
	mrm_buf_release(&r->rec);
	free(r->fields);
	free(r->in);
	free(r->name);
	free(r);
}

int mrm_csv_next(struct mrm_csv_reader *r, struct mrm_error *err)
{
	int rc;

	r->nfields = 0;
	r->rec_bytes = 0;
	r->recoverable = 0;
	if (r->sticky) {
		rc = r->sticky;
		goto out;
	}
	mrm_buf_reset(&r->rec);
	r->skipping = 0;
	r->rec_err = 0;
	rc = read_record(r);
out:
	if (rc >= 0) {
		mrm_error_clear(err);
	} else {
		r->nfields = 0;
		r->recoverable = r->rec_err != 0;
		if (err)
			*err = r->recoverable ? r->rec_e : r->sticky_e;
		r->rec_err = 0;
	}
	return rc;
}

int mrm_csv_recoverable(const struct mrm_csv_reader *r)
{
	return r->recoverable;
}

size_t mrm_csv_nfields(const struct mrm_csv_reader *r)
{
	return r->nfields;
}

const char *mrm_csv_field(const struct mrm_csv_reader *r, size_t i, size_t *len)
{
	if (i >= r->nfields) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = r->fields[i].len;
	return r->rec.ptr + r->fields[i].off;
}

unsigned long mrm_csv_line(const struct mrm_csv_reader *r)
{
	return r->rec_line;
}

unsigned long mrm_csv_field_line(const struct mrm_csv_reader *r, size_t i)
{
	return i < r->nfields ? r->fields[i].line : 0;
}

uint64_t mrm_csv_offset(const struct mrm_csv_reader *r)
{
	return r->in_base + r->in_pos;
}

/* Writer */

static int needs_quotes(const char *s, size_t len)
{
	if (!len)
		return 0;
	if (s[0] == ' ' || s[len - 1] == ' ')
		return 1;
	/* a BOM that starts a file would be skipped by the reader */
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		return 1;
	for (size_t i = 0; i < len; i++)
		if (cls[(unsigned char)s[i]])
			return 1;
	return 0;
}

/* Undo appends after an error (buf.h: content is left as it was). */
static void truncate_to(struct mrm_buf *b, size_t len)
{
	if (b->ptr && b->len > len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

int mrm_csv_put_field(struct mrm_buf *b, const char *s, size_t len)
{
	size_t old = b->len;
	const char *p, *q, *end;
	int rc;

	if (!needs_quotes(s, len))
		return mrm_buf_add(b, s, len);
	rc = mrm_buf_add(b, "\"", 1);
	if (rc)
		goto out;
	p = s;
	end = s + len;
	while (p < end && (q = memchr(p, '"', (size_t)(end - p)))) {
		/* up to and including the quote, then the quote again */
		rc = mrm_buf_add(b, p, (size_t)(q - p) + 1);
		if (!rc)
			rc = mrm_buf_add(b, "\"", 1);
		if (rc)
			goto out;
		p = q + 1;
	}
	rc = mrm_buf_add(b, p, (size_t)(end - p));
	if (!rc)
		rc = mrm_buf_add(b, "\"", 1);
out:
	if (rc)
		truncate_to(b, old);
	return rc;
}

int mrm_csv_put_record(struct mrm_buf *b, const char *const *fields, size_t n)
{
	size_t old = b->len;
	int rc = 0;

	if (!fields || !n)
		return MRM_ERR_INVALID;
	if (n == 1 && (!fields[0] || !fields[0][0])) {
		rc = mrm_buf_add(b, "\"\"", 2);
	} else {
		for (size_t i = 0; i < n && !rc; i++) {
			const char *f = fields[i] ? fields[i] : "";

			if (i)
				rc = mrm_buf_add(b, ",", 1);
			if (!rc)
				rc = mrm_csv_put_field(b, f, strlen(f));
		}
	}
	if (!rc)
		rc = mrm_buf_add(b, "\n", 1);
	if (rc)
		truncate_to(b, old);
	return rc;
}
