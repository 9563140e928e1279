/*
 * linkage.h - counting people across organisations without sharing
 * names (docs/linkage.md).
 *
 * The organisations of a network share one linkage key: 32 random bytes
 * in a file beside each database, DB.linkage (mode 0600; the first line
 * "mrm linkage key v1", the second the key in hex). For each individual
 * person with a name and a birth year, libmrm stores in person.linkage_key
 * the hex HMAC-SHA256, under that key, of
 *
 *     "mrm-linkage-v1" 0 NORMALISED-NAME 0 BIRTH-YEAR 0 SEX 0 NATIONALITY
 *
 * so the same person recorded by two organisations gets the same value,
 * which says nothing of the name to anyone without the key. The
 * statistics count the persons sharing a linkage key once in
 * distinct-persons (facts.c). Without the key file nothing is computed.
 */
#ifndef MRM_LINKAGE_H
#define MRM_LINKAGE_H

#include "mrm/buf.h"
#include "mrm/error.h"

#include <stdint.h>

struct mrm_store;

#define MRM_LINKAGE_KEY_BYTES 32
#define MRM_LINKAGE_HEX	      64 /* of a linkage_key value */

struct mrm_linkage_key {
	unsigned char bytes[MRM_LINKAGE_KEY_BYTES];
};

/* "DB.linkage" for database `db` (malloc'd; NULL when out of memory). */
char *mrm_linkage_path_for(const char *db);

/* Write a new random key to `path`, which must not exist (mode 0600). */
int mrm_linkage_create(const char *path, struct mrm_error *err);

/*
 * Read the key file at `path` into `key`. A missing file is
 * MRM_ERR_NOTFOUND (the message says how to make one); a file others may
 * read, or one that is not a linkage key, MRM_ERR_CRYPTO / MRM_ERR_INVALID.
 */
int mrm_linkage_load(const char *path, struct mrm_linkage_key *key,
		     struct mrm_error *err);

/* Write `key` to `path` (must not exist; mode 0600). */
int mrm_linkage_save(const char *path, const struct mrm_linkage_key *key,
		     struct mrm_error *err);

/*
 * The normalised form of a name (appended to `out`): see docs/linkage.md.
 * Latin letters lower-cased and stripped of diacritics (Vietnamese too),
 * full-width forms made ASCII, spaces, punctuation, zero-width and
 * combining characters removed, one leading title (U, Daw, Ko, Ma, Mr,
 * ..., ဦး, ဒေါ်, นาย, นาง, นางสาว ...) dropped; other scripts kept as they
 * are. Token order is kept. *zawgyi (may be NULL) is set when the name
 * looks like Burmese in the Zawgyi encoding, which is not converted.
 * `name` must be valid UTF-8.
 */
int mrm_linkage_normalise(const char *name, struct mrm_buf *out, int *zawgyi);

/*
 * The linkage value of a person into `hex`: 1 when computed, 0 when the
 * person has none (no name left after normalising, or no birth year:
 * `birth` is an ISO date at any precision, NULL when unknown). `sex` and
 * `nationality` are the stored codes, NULL when unknown.
 */
int mrm_linkage_value(const struct mrm_linkage_key *key, const char *name,
		      const char *birth, const char *sex,
		      const char *nationality, char hex[MRM_LINKAGE_HEX + 1]);

struct mrm_linkage_stats {
	int64_t persons; /* individuals looked at */
	int64_t keyed;	 /* of them given a linkage value */
	int64_t zawgyi;	 /* names that look like Zawgyi */
	int64_t shared;	 /* persons whose value another person also has */
};

/*
 * Compute the linkage values of the individual persons (groups never get
 * one): all of them when `all`, else only those without one yet. One
 * transaction; the statistics see the change. Decrypts the names with the
 * store's field key.
 */
int mrm_linkage_rebuild(struct mrm_store *st, const struct mrm_linkage_key *key,
			int all, struct mrm_linkage_stats *stats,
			struct mrm_error *err);

/*
 * Record in the audit log that `key` was placed beside the database
 * (`what`: "created" or "imported from FILE"): an entry "linkage-key"
 * whose new hash identifies the key without revealing it.
 */
int mrm_linkage_noted(struct mrm_store *st, const char *what,
		      const struct mrm_linkage_key *key, struct mrm_error *err);

/*
 * After an import: when the database has a key file (DB.linkage), compute
 * the values of the persons that have none yet; without one, nothing
 * (*done 0). `done` may be NULL.
 */
int mrm_linkage_after_import(struct mrm_store *st, int *done,
			     struct mrm_error *err);

#endif
