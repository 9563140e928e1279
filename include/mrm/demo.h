/*
 * demo.h - synthetic demonstration data in the native CSV format.
 *
 * `mrm demo-data` uses this to fill a database with a realistic-looking but
 * entirely invented caseload: no row describes a real person. Every event
 * summary begins "Synthetic demo record." and the owning organisations are
 * the fictional ones listed by mrm_demo_orgs().
 *
 * The data has the shape of the Greater Mekong Subregion caseload: most
 * events are in the Myanmar -> Thailand corridor, then Cambodia -> Thailand,
 * Laos -> Thailand, Myanmar -> China (Yunnan), Vietnam -> China and a few
 * others; most are arrest - detention - deportation (- return) sequences,
 * the rest labour exploitation, extortion, violence, denial of rights,
 * trafficking, deaths and disappearances. Names are written in the script
 * of the person's nationality, places in the script of the country.
 *
 * Output follows docs/native-csv.md: a header line, then one row per act
 * (UTF-8, LF line ends, RFC 4180 quoting), every row with a non-empty
 * act.type. event.key, event.org and event.title are repeated on every row;
 * the other event.* columns, attr.raid_size (group victims), source.* and
 * intervention.* are filled on the first row of each event only; victim.*
 * (the same person on all rows of an event) and perpetrator.* on every row.
 * Event keys are "demo-000001", ...; individual victims have keys
 * "p-000001", ... and about one in ten reappears in a later event with the
 * same person fields; group victims have keys "g-000001", ....
 * Vocabulary values are the codes of docs/vocab-contract.md.
 */
#ifndef MRM_DEMO_H
#define MRM_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mrm/error.h"

/* A fictional member organisation (one per country). */
struct mrm_demo_org {
	const char *code;    /* "MKN-TH" */
	const char *name;    /* "Mekong Migrant Network (synthetic) Thailand" */
	const char *country; /* ISO 3166-1 alpha-2, "TH" */
};

/*
 * The fictional member organisations the demo data uses, in a fixed order.
 * The array and its strings have static storage: do not free them. `count`
 * may be NULL; otherwise it receives the number of entries.
 */
const struct mrm_demo_org *mrm_demo_orgs(size_t *count);

/*
 * Write `events` synthetic events as native CSV (header + one row per act)
 * to `out`, which the caller owns and keeps open (it is not closed; it is
 * flushed with fflush() at the end). The output depends only on `events`
 * and `seed`: the same pair gives the same bytes on every platform (the
 * generator has its own PRNG and never calls rand()).
 *
 * `acts_out` may be NULL; otherwise it receives the number of act rows
 * written (also on failure: the rows written so far). `progress` may be
 * NULL; otherwise it is called every few thousand events and once at the
 * end with the number of events written so far, and `ctx` is passed to it
 * unchanged.
 *
 * Returns 0, or MRM_ERR_INVALID (out is NULL), MRM_ERR_IO (a write
 * failed), MRM_ERR_NOMEM, with `err` filled when not NULL.
 */
int mrm_demo_write_csv(FILE *out, unsigned long events, uint64_t seed,
		       unsigned long *acts_out,
		       void (*progress)(void *ctx, unsigned long done),
		       void *ctx, struct mrm_error *err);

struct mrm_store;

/*
 * Add synthetic wage records and recruitment costs (docs/wages.md) to the
 * demo events of `st` that have a labour act (wage theft, unlawful
 * deductions, forced labour, debt bondage, recruitment fee abuse) and
 * none yet, where the reference tables (ref.h) have a legal minimum for
 * the event's place and month (in practice Thai events of 2025): one
 * wage record for the month of the event, paid in the minimum's
 * currency, often under it; for about half of the migrants among them a
 * recruitment cost paid to a broker or agency three months earlier, in
 * baht or in the currency of the corridor's legal cap. Deterministic for
 * a given database and `seed`.
 * The counts added go to *wages_out and *costs_out (may be NULL).
 */
int mrm_demo_add_labour(struct mrm_store *st, uint64_t seed,
			unsigned long *wages_out, unsigned long *costs_out,
			struct mrm_error *err);

#endif
