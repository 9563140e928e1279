/* fuzz_common.h - helpers shared by the fuzz targets. */
#ifndef MRM_FUZZ_COMMON_H
#define MRM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Split data[0..size) into up to n NUL-terminated strings at each '\n'
 * (the last part takes the rest, newlines included). Returns one malloc'd
 * block holding them all; parts[i] point into it ("" for missing parts).
 * NUL bytes in the input end a string early, as they would for a C caller.
 */
static inline char *fuzz_split(const uint8_t *data, size_t size, char **parts,
			       size_t n)
{
	char *buf = malloc(size + 1);
	size_t i = 0;

	if (!buf)
		return NULL;
	memcpy(buf, data, size);
	buf[size] = '\0';
	parts[i++] = buf;
	for (size_t k = 0; k < size && i < n; k++)
		if (buf[k] == '\n') {
			buf[k] = '\0';
			parts[i++] = buf + k + 1;
		}
	for (; i < n; i++)
		parts[i] = buf + size;
	return buf;
}

#endif
