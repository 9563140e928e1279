/*
 * record.h - (internal) one input row taken apart: the canonical values of
 * the event, its attributes, its acts (each with victim, details and
 * perpetrator), sources and interventions. Shared by the CSV mapping and
 * the JSON reader, consumed by the import writer.
 */
#ifndef MRM_RECORD_H
#define MRM_RECORD_H

#include "mrm/buf.h"
#include "mrm/fields.h"

#include <stdint.h>

#define REC_FIELDS_MAX 96
/* A slot past the catalogue: the key of an intervention's victim. */
#define REC_VICTIM_REF (REC_FIELDS_MAX - 1)

/* Values of one group: off[i] is 0 when field i is absent, else 1 + the
 * offset of its NUL-terminated canonical text in the row's arena. */
struct rec_part {
	uint32_t off[REC_FIELDS_MAX];
};

struct rec_attr {
	uint32_t name, value; /* arena offsets + 1 */
};

struct rec_list {
	struct rec_part *v;
	size_t n, cap;
};

struct rec_row {
	int64_t org; /* the owning organisation, once checked */
	struct mrm_buf arena;
	struct rec_part event;
	struct rec_attr *attrs;
	size_t nattrs, capattrs;
	struct rec_list acts, sources, interventions;
};

void rec_row_init(struct rec_row *r);
void rec_row_release(struct rec_row *r);
/* Empty for the next row, keeping storage unless the arena grew past
 * 1 MiB (which is then freed). */
void rec_row_reset(struct rec_row *r);

/* Append a new, empty part to `l`; NULL when out of memory. The pointer is
 * valid until the next rec_list_add() on the same list. */
struct rec_part *rec_list_add(struct rec_list *l);

/* Store `s` in the arena as the value of field `field` of `p`; 0,
 * MRM_ERR_LIMIT when the arena is full or MRM_ERR_NOMEM. */
int rec_set(struct rec_row *r, struct rec_part *p, int field, const char *s);
/* The value of field `field` of `p`, or NULL. Valid until the next
 * rec_set(), rec_put() or rec_add_attr() on the same row, which may move
 * the arena. */
const char *rec_get(const struct rec_row *r, const struct rec_part *p,
		    int field);
/* Add attribute `name` = `value`; fails like rec_set(). */
int rec_add_attr(struct rec_row *r, const char *name, const char *value);
const char *rec_str(const struct rec_row *r, uint32_t off);

/*
 * Normalise `raw` for `field` and store it in `p` (see
 * mrm_field_normalise). A money field reads the part's currency, so the
 * currency must be put first. On failure err is always filled (a bad
 * value: MRM_ERR_INVALID; the arena full: MRM_ERR_LIMIT; MRM_ERR_NOMEM)
 * and `p` is unchanged.
 */
int rec_put(struct rec_row *r, struct rec_part *p, int field, const char *raw,
	    const struct mrm_vocab *vocab, struct mrm_error *err);

#endif
