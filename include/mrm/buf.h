/*
 * buf.h - growable byte buffers with a maximum size (after curl's dynbuf and
 * git's strbuf).
 *
 * A buffer is always NUL-terminated once anything was added, so `ptr` can be
 * used as a C string when the content has no NUL. Growing past `max` is an
 * error (MRM_ERR_LIMIT), never an unbounded allocation; on any error the
 * content is left as it was.
 *
 * Lifecycle: mrm_buf_init() allocates nothing; mrm_buf_release() frees the
 * storage and leaves an empty, reusable buffer; mrm_buf_detach() hands the
 * storage to the caller, who frees it with free().
 */
#ifndef MRM_BUF_H
#define MRM_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct mrm_buf {
	char *ptr;  /* NULL until the first add */
	size_t len; /* bytes used, not counting the terminating NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* most bytes `len` may reach */
};

#define MRM_BUF_INIT(maxbytes)                                                 \
	{                                                                      \
		NULL, 0, 0, (maxbytes)                                         \
	}

void mrm_buf_init(struct mrm_buf *b, size_t max);
void mrm_buf_release(struct mrm_buf *b);
/* Empty the buffer but keep its storage. */
void mrm_buf_reset(struct mrm_buf *b);

int mrm_buf_add(struct mrm_buf *b, const void *data, size_t len);
int mrm_buf_adds(struct mrm_buf *b, const char *s);
int mrm_buf_addc(struct mrm_buf *b, char c);
int mrm_buf_addf(struct mrm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int mrm_buf_vaddf(struct mrm_buf *b, const char *fmt, va_list ap);

/*
 * Grow the content by `n` bytes and point `*where` at them (their content is
 * unspecified until written). Fails like mrm_buf_add().
 */
int mrm_buf_extend(struct mrm_buf *b, size_t n, char **where);

/* The content as a C string ("" when empty); owned by the buffer. */
const char *mrm_buf_str(const struct mrm_buf *b);

/*
 * Take the storage: returns a malloc'd NUL-terminated string (never NULL
 * unless allocation fails) that the caller frees; the buffer is left empty.
 */
char *mrm_buf_detach(struct mrm_buf *b);

#endif
