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

/* A date packed as YYYYMMDD with zeros for the parts not known. */
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

struct facts {
	struct fact *rows;
	size_t n;
	char **dict; /* code -> string; dict[0] = "" */
	size_t ndict, capdict;
	struct mrm_hmap index; /* string -> code */
	int64_t generation;    /* of the data the facts were built from */
};

void facts_init(struct facts *f);
void facts_release(struct facts *f);

/*
 * Fill `f` with the current facts: from the cache when it matches the
 * database's generation, else from the tables (and then refresh the
 * cache). Sorted by event.
 */
int facts_load(struct mrm_store *st, struct facts *f, struct mrm_error *err);

/* The code of `s` (adding it); UINT32_MAX when out of memory. */
uint32_t facts_intern(struct facts *f, const char *s);
/* The code of `s` if known, else UINT32_MAX. */
uint32_t facts_lookup(const struct facts *f, const char *s);

/* Pack an ISO date ("2014", "2014-06", "2014-06-03") and its precision. */
int32_t facts_pack_date(const char *iso, uint8_t *prec);

#endif
