/*
 * fields.h - the catalogue of documentable fields.
 *
 * Every field a user can import, export or map has one entry here: its
 * public name ("victim.doc_status"), the record it belongs to, its column,
 * its type and, for vocabulary fields, the scheme. Import, export, the JSON
 * format and the native CSV format are all driven by this one table, so a
 * field added here is carried everywhere.
 */
#ifndef MRM_FIELDS_H
#define MRM_FIELDS_H

#include "mrm/buf.h"
#include "mrm/error.h"

#include <stddef.h>
#include <stdint.h>

struct mrm_vocab;

enum mrm_entity {
	MRM_ENT_EVENT,
	MRM_ENT_ACT,
	MRM_ENT_ARREST,
	MRM_ENT_DETENTION,
	MRM_ENT_DEPORTATION,
	MRM_ENT_RETURN,
	MRM_ENT_PERPETRATOR,
	MRM_ENT_VICTIM,
	MRM_ENT_SOURCE,
	MRM_ENT_INTERVENTION,
	MRM_ENT_COUNT
};

enum mrm_ftype {
	MRM_F_TEXT,   /* UTF-8 text */
	MRM_F_SECRET, /* UTF-8 text, encrypted at rest */
	MRM_F_DATE,   /* ISO 8601 at its precision: YYYY, YYYY-MM, YYYY-MM-DD */
	MRM_F_INT,    /* integer within [min, max] */
	MRM_F_REAL,   /* decimal number within [min, max] */
	MRM_F_BOOL,   /* stored 0 or 1 */
	MRM_F_MONEY,  /* stored in minor units of the currency field `aux` */
	MRM_F_CURRENCY, /* ISO 4217 code */
	MRM_F_VOCAB,	/* a term of scheme `aux` */
	MRM_F_ENUM,	/* one of the '|'-separated words in `aux` */
	MRM_F_ORG,	/* an organisation code */
};

struct mrm_field {
	const char *name; /* "victim.doc_status" */
	enum mrm_entity ent;
	const char *column; /* column in the entity's table */
	enum mrm_ftype type;
	const char *aux; /* vocab scheme, currency field, or enum words */
	double min, max; /* range for INT and REAL; for TEXT, max is the
			    most bytes (0: no limit of its own) */
};

extern const struct mrm_field mrm_fields[];
extern const size_t mrm_field_count;

/*
 * The details of an act, in the order they are written and shown:
 * arrest, detention, deportation, return, perpetrator. Each has its own
 * table and, in the JSON of an act, its own member named by
 * mrm_entity_prefix(). (The victim is a person, not a detail.)
 */
extern const enum mrm_entity mrm_act_parts[];
extern const size_t mrm_act_nparts;

/* Table name of an entity ("event", "act_arrest", "person", ...). */
const char *mrm_entity_table(enum mrm_entity ent);
/* Prefix of its field names ("event", "arrest", "victim", ...). */
const char *mrm_entity_prefix(enum mrm_entity ent);

/* Index of the field called `name`, or -1. */
int mrm_field_index(const char *name);

/*
 * Suggest the closest field names to `name` (for "unknown column"
 * messages): writes up to three comma-separated names into `out`.
 */
void mrm_field_suggest(const char *name, char *out, size_t size);

/* Is `name` a custom attribute ("attr.NAME" with a valid NAME)? */
int mrm_field_is_attr(const char *name);

/*
 * Check and normalise one value for field `f` and append its canonical
 * form (what is stored, as text) to `out`. `raw` is trimmed first; an empty
 * value is never passed here. For MONEY, `currency` is the row's currency
 * (NULL if it has none). `vocab` resolves vocabulary terms and labels.
 * On failure err is always filled: for a bad value it says what is wrong
 * and what would be right (with the closest terms for vocabularies), with
 * `where` left for the caller; MRM_ERR_LIMIT when `out` would grow past
 * its maximum, MRM_ERR_NOMEM when memory ran out.
 */
int mrm_field_normalise(const struct mrm_field *f, const char *raw,
			const char *currency, const struct mrm_vocab *vocab,
			struct mrm_buf *out, struct mrm_error *err);

/*
 * Parse `s` with a strptime-like `format` (%Y %m %d %e %B %b %%, other
 * characters literal) into an ISO date at `precision` ("day", "month",
 * "year"); appends it to `out`.
 */
int mrm_date_parse_format(const char *s, const char *format,
			  const char *precision, struct mrm_buf *out,
			  struct mrm_error *err);

/* Number of minor-unit digits of ISO 4217 `code`, or -1 when unknown. */
int mrm_currency_digits(const char *code);

/* Format minor units of `currency` as a decimal amount into `out`. */
void mrm_money_format(int64_t minor, const char *currency, char *out,
		      size_t size);

#endif
