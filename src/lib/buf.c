/* buf.c - see include/mrm/buf.h */
#include "mrm/buf.h"

#include "mrm/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mrm_buf_init(struct mrm_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void mrm_buf_release(struct mrm_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void mrm_buf_reset(struct mrm_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

static int buf_grow(struct mrm_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return MRM_ERR_LIMIT;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	p = realloc(b->ptr, cap);
	if (!p)
		return MRM_ERR_NOMEM;
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int mrm_buf_add(struct mrm_buf *b, const void *data, size_t len)
{
	int rc = buf_grow(b, len);

	if (rc)
		return rc;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int mrm_buf_extend(struct mrm_buf *b, size_t n, char **where)
{
	int rc = buf_grow(b, n);

	if (rc)
		return rc;
	*where = b->ptr + b->len;
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int mrm_buf_adds(struct mrm_buf *b, const char *s)
{
	return mrm_buf_add(b, s, strlen(s));
}

int mrm_buf_addc(struct mrm_buf *b, char c)
{
	if (b->len < b->max && b->len + 1 < b->cap) {
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
		return 0;
	}
	return mrm_buf_add(b, &c, 1);
}

int mrm_buf_vaddf(struct mrm_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return MRM_ERR_INVALID;
	rc = buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int mrm_buf_addf(struct mrm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mrm_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *mrm_buf_str(const struct mrm_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *mrm_buf_detach(struct mrm_buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
