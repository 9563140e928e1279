/*
 * embedded.h - data files compiled into the library (vocabularies,
 * mappings), so that an installed binary needs nothing beside it.
 */
#ifndef MRM_EMBEDDED_H
#define MRM_EMBEDDED_H

#include <stddef.h>

struct mrm_embedded {
	const char
		*path; /* relative to the source tree: "data/vocab/sex.csv" */
	const unsigned char *data; /* NUL-terminated; static storage */
	size_t len;
};

/* Terminated by an entry whose path is NULL. */
extern const struct mrm_embedded mrm_embedded_files[];

/* The file at `path`, or NULL. */
const struct mrm_embedded *mrm_embedded_find(const char *path);

#endif
