/*
 * facts.h - (internal) the fact table behind the statistics: one row per
 * act (one per event that has no act, one per intervention that obtained
 * compensation), its dimensions dictionary-coded
 * as small integers, loaded in one pass and kept as a cache in the
 * database so that the next query reads it back in one step.
 */
#ifndef MRM_FACTS_H
#define MRM_FACTS_H

#include "mrm/error.h"
#include "mrm/hmap.h"

#include <stddef.h>
#include <stdint.h>

struct mrm_store;

/* Coded columns of a fact, in this order in struct fact's `code`. */
enum fact_col {
	FC_TYPE,
	FC_COUNTRY,
	FC_ADMIN1,
	FC_PERP,
	FC_SECTOR,
	FC_NAT,
	FC_SEX,
	FC_DOC,
	FC_ORG,
	FC_CHECKPOINT,
	FC_CUR_ARREST,
	FC_CUR_COST,
	FC_CUR_COMP,
	FC_COLS
};

/* What a fact row stands for. */
enum fact_kind {
	FK_EVENT = 0,	     /* an event without acts */
	FK_ACT = 1,	     /* an act */
	FK_INTERVENTION = 2, /* an intervention with compensation */
};

/* One fact, as the statistics read it. A date packed as YYYYMMDD with
 * zeros for the parts not known. */
struct fact {
	uint32_t event, person; /* person 0: no victim recorded */
	uint32_t group;		/* people in the victim (0: no victim) */
	int32_t date, end, birth;
	uint8_t prec, end_prec,
		birth_prec;	/* 0 unknown, 1 year, 2 month, 3 day */
	uint8_t kind;		/* enum fact_kind */
	uint32_t code[FC_COLS]; /* dictionary codes; 0 is "not recorded" */
	int64_t demanded, paid, cost, compensation; /* minor units */
};

/*
 * The facts are kept by column, each as narrow as its largest value
 * allows (1, 2, 4 or 8 bytes), and a query loads only the columns it
 * reads: a million facts take a few megabytes rather than a hundred.
 */
enum fact_field {
	FF_EVENT,
	FF_PERSON,
	FF_GROUP,
	FF_DATE,
	FF_END,
	FF_BIRTH,
	FF_FLAGS, /* prec, end_prec, birth_prec, kind: 2 bits each */
	FF_CODE,  /* FC_COLS columns: FF_CODE + FC_... */
	FF_DEMANDED = FF_CODE + FC_COLS,
	FF_PAID,
	FF_COST,
	FF_COMPENSATION,
	FF_COUNT
};

#define FF_BIT(field) ((uint64_t)1 << (field))
#define FF_ALL	      (FF_BIT(FF_COUNT) - 1)

struct fact_column {
	void *data;    /* NULL: not loaded */
	uint8_t width; /* bytes per value, signed */
	uint64_t off;  /* where it starts in the cache's blob */
};

struct facts {
	struct fact_column col[FF_COUNT];
	size_t n, cap;
	char **dict; /* code -> string; dict[0] = "" */
	size_t ndict, capdict;
	struct mrm_hmap index; /* string -> code */
	int64_t generation;    /* of the data the facts were built from */
	int cached;	       /* columns still to be read from the cache */
};

void facts_init(struct facts *f);
void facts_release(struct facts *f);

/*
 * Fill `f` with the current facts' dictionary and count: from the cache
 * when it matches the database's generation (the columns are then read by
 * facts_columns()), else from the tables (every column, and then the
 * cache is refreshed). Sorted by event.
 */
int facts_load(struct mrm_store *st, struct facts *f, struct mrm_error *err);

/*
 * Make sure the columns in `need` (FF_BIT()s) are loaded. 1 when the
 * cache has moved on since facts_load() (another process rebuilt it): load
 * again from the start.
 */
int facts_columns(struct mrm_store *st, struct facts *f, uint64_t need,
		  struct mrm_error *err);

/* Fact `i`, from the columns loaded (the others are left as they are in
 * `out`). */
void facts_get(const struct facts *f, size_t i, struct fact *out);

/* Add a fact at the end (the columns widen as needed). */
int facts_append(struct facts *f, const struct fact *r);

/* The code of `s` (adding it); UINT32_MAX when out of memory. */
uint32_t facts_intern(struct facts *f, const char *s);
/* The code of `s` if known, else UINT32_MAX. */
uint32_t facts_lookup(const struct facts *f, const char *s);

/* Pack an ISO date ("2014", "2014-06", "2014-06-03") and its precision. */
int32_t facts_pack_date(const char *iso, uint8_t *prec);

#endif
