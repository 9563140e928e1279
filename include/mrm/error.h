/*
 * error.h - the one error convention of libmrm.
 *
 * Every fallible function returns 0 on success or a negative enum mrm_code,
 * and, when given a non-NULL struct mrm_error, fills it with a message that
 * says what is wrong, where (file:line:column, a field name or a record) and,
 * where it helps, what would be right. Callers that do not care pass NULL.
 *
 * The struct holds fixed-size storage so that setting an error never
 * allocates and cannot itself fail.
 */
#ifndef MRM_ERROR_H
#define MRM_ERROR_H

#include <stddef.h>

enum mrm_code {
	MRM_OK = 0,
	MRM_ERR_NOMEM = -1,    /* an allocation failed */
	MRM_ERR_INVALID = -2,  /* bad input: a value, a file, an argument */
	MRM_ERR_IO = -3,       /* reading or writing a file failed */
	MRM_ERR_DB = -4,       /* the database refused or failed */
	MRM_ERR_CRYPTO = -5,   /* missing or wrong key, failed authentication */
	MRM_ERR_NOTFOUND = -6, /* no such record */
	MRM_ERR_EXISTS = -7,   /* a record with that key already exists */
	MRM_ERR_LIMIT = -8,    /* a size or count limit was exceeded */
	MRM_ERR_ACCESS = -9,   /* the caller may not do this */
	MRM_ERR_DESTROYED = -10, /* the key of a sealed value was wiped */
};

#define MRM_ERROR_WHERE_MAX 256
#define MRM_ERROR_MSG_MAX   1024

struct mrm_error {
	enum mrm_code code;
	char where[MRM_ERROR_WHERE_MAX]; /* "file:line:col", "field", or "" */
	char msg[MRM_ERROR_MSG_MAX];
};

/* Reset to MRM_OK with empty strings. */
void mrm_error_clear(struct mrm_error *err);

/*
 * Record an error and return `code`, so that a caller can write
 * `return mrm_error_set(err, MRM_ERR_INVALID, "title", "is empty");`.
 * `err` may be NULL; `where` may be NULL or "". Messages are truncated to
 * the fixed storage, never overflowed.
 */
int mrm_error_set(struct mrm_error *err, enum mrm_code code, const char *where,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prefix the message with more context: "ctx: old message". */
void mrm_error_prefix(struct mrm_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A short stable name for a code ("invalid", "io", ...). */
const char *mrm_code_name(int code);

/* "where: msg" or just "msg", into `out` of `size` bytes (always terminated).
 */
void mrm_error_format(const struct mrm_error *err, char *out, size_t size);

#endif
