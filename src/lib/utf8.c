/* utf8.c - see include/mrm/utf8.h */
#include "mrm/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t mrm_utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

size_t mrm_utf8_length(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

#define DIST_MAX 256

/* Decode up to DIST_MAX code points, folding ASCII upper case. */
static size_t decode(const char *str, uint32_t *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0;

	while (*s && n < DIST_MAX) {
		uint32_t cp = *s++;

		if (cp >= 0xC0) {
			int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;

			cp &= 0x3Fu >> extra;
			while (extra-- && (*s & 0xC0) == 0x80)
				cp = (cp << 6) | (*s++ & 0x3Fu);
		}
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		out[n++] = cp;
	}
	return n;
}

size_t mrm_utf8_distance(const char *a, const char *b)
{
	uint32_t ca[DIST_MAX], cb[DIST_MAX];
	size_t row[DIST_MAX + 1];
	size_t na = decode(a, ca), nb = decode(b, cb);

	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (ca[i - 1] != cb[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}
