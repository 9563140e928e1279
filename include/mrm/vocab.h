/*
 * vocab.h - hierarchical, multilingual controlled vocabularies.
 *
 * A scheme ("act_type", "country", ...) holds terms with a code, an
 * optional parent code, an optional HURIDOCS ESF code and a label per
 * language. The shipped schemes are the CSV files of data/vocab/, compiled
 * into the library and loaded into a database by `mrm init`.
 */
#ifndef MRM_VOCAB_H
#define MRM_VOCAB_H

#include "mrm/error.h"

#include <stddef.h>

struct sqlite3;

/* Languages of the label columns, in file order. */
#define MRM_VOCAB_NLANGS 7
extern const char *const mrm_vocab_langs[MRM_VOCAB_NLANGS];

struct mrm_term {
	const char *scheme, *code, *parent, *huridocs;
	const char *label[MRM_VOCAB_NLANGS]; /* "" when missing */
};

struct mrm_vocab;

/* Read every scheme from database `db`. Free with mrm_vocab_free(). */
int mrm_vocab_load(struct mrm_vocab **out, struct sqlite3 *db,
		   struct mrm_error *err);
void mrm_vocab_free(struct mrm_vocab *v);

/*
 * Write the shipped vocabularies (data/vocab/ *.csv, embedded) into the
 * vocab tables of `db`, replacing terms with the same code. Each file is
 * checked; a malformed one is reported with its line.
 */
int mrm_vocab_install(struct sqlite3 *db, struct mrm_error *err);

/*
 * The canonical code for `value` in `scheme`: `value` may be a code (exact,
 * or differing only in ASCII case) or a label in any language. NULL when
 * unknown. The result lives as long as the vocabulary.
 */
const char *mrm_vocab_resolve(const struct mrm_vocab *v, const char *scheme,
			      const char *value);

/* Up to three closest codes of `scheme` to `value`, comma-separated. */
void mrm_vocab_suggest(const struct mrm_vocab *v, const char *scheme,
		       const char *value, char *out, size_t size);

/* The term, or NULL. */
const struct mrm_term *mrm_vocab_term(const struct mrm_vocab *v,
				      const char *scheme, const char *code);

/* Label in `lang`, falling back to English, then to the code itself. */
const char *mrm_vocab_label(const struct mrm_vocab *v, const char *scheme,
			    const char *code, const char *lang);

/* Terms of `scheme` in file order; *count set. NULL for an unknown scheme. */
const struct mrm_term *mrm_vocab_terms(const struct mrm_vocab *v,
				       const char *scheme, size_t *count);

#endif
