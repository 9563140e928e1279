/* error.c - see include/mrm/error.h */
#include "mrm/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mrm_error_clear(struct mrm_error *err)
{
	if (!err)
		return;
	err->code = MRM_OK;
	err->where[0] = '\0';
	err->msg[0] = '\0';
}

int mrm_error_set(struct mrm_error *err, enum mrm_code code, const char *where,
		  const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void mrm_error_prefix(struct mrm_error *err, const char *fmt, ...)
{
	char ctx[MRM_ERROR_MSG_MAX];
	size_t n, old;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	n = strlen(ctx);
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	old = strlen(err->msg);
	if (old > sizeof(err->msg) - n - 3)
		old = sizeof(err->msg) - n - 3;
	memmove(err->msg + n + 2, err->msg, old);
	memcpy(err->msg, ctx, n);
	err->msg[n] = ':';
	err->msg[n + 1] = ' ';
	err->msg[n + 2 + old] = '\0';
}

const char *mrm_code_name(int code)
{
	switch (code) {
	case MRM_OK: return "ok";
	case MRM_ERR_NOMEM: return "out-of-memory";
	case MRM_ERR_INVALID: return "invalid";
	case MRM_ERR_IO: return "io";
	case MRM_ERR_DB: return "database";
	case MRM_ERR_CRYPTO: return "crypto";
	case MRM_ERR_NOTFOUND: return "not-found";
	case MRM_ERR_EXISTS: return "exists";
	case MRM_ERR_LIMIT: return "limit";
	case MRM_ERR_ACCESS: return "access";
	case MRM_ERR_DESTROYED: return "destroyed";
	}
	return "unknown";
}

void mrm_error_format(const struct mrm_error *err, char *out, size_t size)
{
	if (!size)
		return;
	if (!err || err->code == MRM_OK) {
		snprintf(out, size, "no error");
		return;
	}
	if (err->where[0])
		snprintf(out, size, "%s: %s", err->where, err->msg);
	else
		snprintf(out, size, "%s", err->msg);
}
