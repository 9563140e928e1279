/*
 * csv.h - a streaming RFC 4180 CSV reader and a writer.
 *
 * Reader: records are read one at a time through a large buffer, so a file
 * of any length is read in constant memory (bounded by the limits below).
 * Fields may be quoted ("a, b"), with "" standing for one quote and with
 * commas, CR and LF inside; records end with LF, CRLF or a lone CR; a UTF-8
 * byte-order mark at the very start of the input is skipped (anywhere else
 * it is data); a last record without a line break is read; an empty line is
 * a record of one empty field (callers usually skip those). Every field is
 * checked to be well-formed UTF-8. The separator is always a comma.
 *
 * Errors follow error.h. `where` is "NAME:LINE:COLUMN" where LINE is the
 * physical line (1-based; LF, CRLF and lone CR each end one line, inside
 * quotes too) and COLUMN is the 1-based field number in the record.
 *
 * Writer: appends fields and records to a struct mrm_buf, quoting only
 * what needs it, so that the reader gives back exactly the same fields.
 */
#ifndef MRM_CSV_H
#define MRM_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mrm/buf.h"
#include "mrm/error.h"

/*
 * Limits, so that a hostile or broken file cannot take all memory.
 * A 0 member takes the default.
 */
struct mrm_csv_limits {
	size_t max_field;  /* most bytes in one field after unquoting; 1 MiB */
	size_t max_fields; /* most fields in one record; 4096 */
	size_t max_record; /* most bytes in all fields of a record; 16 MiB */
};

#define MRM_CSV_MAX_FIELD  ((size_t)1 << 20)
#define MRM_CSV_MAX_FIELDS ((size_t)4096)
#define MRM_CSV_MAX_RECORD ((size_t)16 << 20)

struct mrm_csv_reader; /* opaque */

/*
 * Start reading CSV from `fp` (opened for reading, positioned where the CSV
 * starts). `name` (may be NULL) names the input in error locations; it is
 * copied. `lim` may be NULL for all defaults.
 * On success *out is a new reader that the caller owns and frees with
 * mrm_csv_reader_free(); the caller keeps owning `fp` and must keep it open
 * until then. On failure *out is NULL.
 */
int mrm_csv_reader_new(struct mrm_csv_reader **out, FILE *fp, const char *name,
		       const struct mrm_csv_limits *lim, struct mrm_error *err);

/* Free the reader and everything it owns; does not close fp. NULL is fine. */
void mrm_csv_reader_free(struct mrm_csv_reader *r);

/*
 * Read the next record. Returns 1 when a record was read, 0 at end of input
 * (and again on every further call), negative on error.
 *
 * After a recoverable error (invalid UTF-8, a field or record over its
 * limit, too many fields, a stray quote inside an unquoted field or a
 * character other than a comma or line break after a closing quote) the
 * reader has already skipped to the end of that record, quotes respected,
 * and the next call reads the next record. After an unrecoverable one (a
 * quote still open at end of input, a read error, out of memory) every
 * further call returns the same error. mrm_csv_recoverable() tells which.
 * After any error the record has no fields, but mrm_csv_line() still tells
 * where it started.
 */
int mrm_csv_next(struct mrm_csv_reader *r, struct mrm_error *err);

/* 1 if the last mrm_csv_next() failed with a recoverable error, else 0. */
int mrm_csv_recoverable(const struct mrm_csv_reader *r);

/* Number of fields in the current record (at least 1 after a record). */
size_t mrm_csv_nfields(const struct mrm_csv_reader *r);

/*
 * Field i of the current record, NUL-terminated (it may also hold NUL
 * bytes: trust *len), owned by the reader and valid until the next call to
 * mrm_csv_next() or mrm_csv_reader_free(). `len` may be NULL. Returns NULL
 * (and *len = 0) when i >= mrm_csv_nfields(r).
 */
const char *mrm_csv_field(const struct mrm_csv_reader *r, size_t i,
			  size_t *len);

/* Physical line (1-based) where the current record starts; 0 before any. */
unsigned long mrm_csv_line(const struct mrm_csv_reader *r);

/* Physical line where field i starts; 0 when i >= mrm_csv_nfields(r). */
unsigned long mrm_csv_field_line(const struct mrm_csv_reader *r, size_t i);

/* Bytes of the input consumed so far (BOM included), for progress. */
uint64_t mrm_csv_offset(const struct mrm_csv_reader *r);

/*
 * Append one field to b, quoted only when it contains a comma, a quote, CR
 * or LF, or starts or ends with a space, or starts with a UTF-8 BOM (which
 * the reader would skip at the start of a file); quotes inside are doubled.
 * s may be NULL when len is 0. Returns 0 or a negative enum mrm_code
 * (MRM_ERR_NOMEM, MRM_ERR_LIMIT from b's maximum); on error b is left as it
 * was.
 */
int mrm_csv_put_field(struct mrm_buf *b, const char *s, size_t len);

/*
 * Append a whole record: the n NUL-terminated fields separated by commas,
 * ending with "\n". A record of a single empty field is written as `""` so
 * that it does not read back as an empty line. n must be at least 1
 * (otherwise MRM_ERR_INVALID). On error b is left as it was.
 */
int mrm_csv_put_record(struct mrm_buf *b, const char *const *fields, size_t n);

#endif
