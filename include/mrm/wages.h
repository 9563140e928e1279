/*
 * wages.h - wage records and recruitment costs of an event's victims, and
 * the calculators over them: wages owed against the legal minimum, the gap
 * to a living wage, and the recruitment cost burden (SDG 10.7.1).
 *
 * The records come in and go out as members of an event in the JSON
 * import/export shape (docs/wages.md):
 *
 *   "wages": [{"victim": "v-1", "employer": "Farm A", "country": "TH",
 *              "admin1": "TH-10", "sector": "construction",
 *              "period_start": "2025-03-01", "period_end": "2025-03-31",
 *              "days_worked": 20, "amount_paid": "6000.00",
 *              "currency": "THB"}],
 *   "recruitment_costs": [{"victim": "v-1", "paid_to": "broker",
 *              "amount": "15000.00", "currency": "THB", "date": "2024-11",
 *              "origin": "MM", "destination": "TH"}]
 *
 * The calculations (docs/wages.md) use the reference tables (ref.h); every
 * figure they use comes back with its row, so that its source and dates
 * can be shown beside the result.
 */
#ifndef MRM_WAGES_H
#define MRM_WAGES_H

#include "mrm/error.h"
#include "mrm/ref.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct mrm_store;

/* One wage record as stored. Strings are "" when absent; integers -1. */
struct mrm_wage_record {
	int64_t id, event_id;
	const char *event_key, *victim_key, *nationality; /* the victim's */
	const char *employer, *country, *admin1, *area, *sector;
	const char *period_start, *period_end; /* YYYY-MM-DD */
	int64_t days_worked, hours_worked;
	int64_t amount_paid, deductions; /* minor units of currency */
	const char *currency;
};

/* One recruitment cost as stored. */
struct mrm_recruitment_cost {
	int64_t id, event_id, victim_id;
	const char *event_key, *victim_key, *nationality, *event_country;
	const char *paid_to, *date, *origin, *destination, *channel;
	int64_t amount;
	const char *currency;
	int64_t monthly_earnings; /* -1 when not recorded */
	const char *earnings_currency;
};

/*
 * Call `cb` for each wage record (of event `event_id`, or all when 0; of
 * events of organisation `org_id`, or all when 0), in id order; the
 * record is valid during the call only. A non-zero return of `cb` stops
 * the walk and is returned. MRM_ERR_NOTFOUND for an event that does not
 * exist.
 */
int mrm_wages_each(struct mrm_store *st, int64_t event_id, int64_t org_id,
		   int (*cb)(void *ctx, const struct mrm_wage_record *w),
		   void *ctx, struct mrm_error *err);
int mrm_recruitment_each(struct mrm_store *st, int64_t event_id, int64_t org_id,
			 int (*cb)(void *ctx,
				   const struct mrm_recruitment_cost *c),
			 void *ctx, struct mrm_error *err);

/*
 * As above over every event, the records organisation `org_id` may read:
 * those of its own events and of the events shared with it
 * (mrm_access_share(); identities stay with the owner, and the records
 * hold none).
 */
int mrm_wages_each_readable(struct mrm_store *st, int64_t org_id,
			    int (*cb)(void *ctx,
				      const struct mrm_wage_record *w),
			    void *ctx, struct mrm_error *err);
int mrm_recruitment_each_readable(
	struct mrm_store *st, int64_t org_id,
	int (*cb)(void *ctx, const struct mrm_recruitment_cost *c), void *ctx,
	struct mrm_error *err);

/*
 * Import wage records (`what` "wages") or recruitment costs
 * ("recruitment") from CSV (docs/wages.md, "From a spreadsheet"): a
 * header of column names (event, org, victim and the members above),
 * then one record per row, each for the event whose key is in column
 * "event" (of organisation column "org", else opts->org, else the only
 * event with that key). Of `opts` only org, max_errors, on_error and ctx
 * are used; each problem goes to on_error located "FILE:LINE:COLUMN".
 * All or nothing: 0 and *added = the records written, or
 * MRM_ERR_INVALID with a summary in `err` and nothing written.
 */
struct mrm_import_opts;
int mrm_import_labour_csv(struct mrm_store *st, FILE *fp, const char *name,
			  const char *what, const struct mrm_import_opts *opts,
			  unsigned long *added, struct mrm_error *err);

/*
 * Wages owed for one record:
 *   legal     = the minimum in force at the period's start, for the
 *               record's place and sector: per day x days_worked, or per
 *               month x the months the period covers (calendar days of
 *               each month over its length);
 *   owed      = legal - amount_paid, at least 0;
 *   per day   = owed / days_worked (or / calendar days when not given);
 *   living    = the living-wage benchmark x the months the period covers;
 *   gap       = living - amount_paid, at least 0.
 * All amounts in the record's currency. `min_ok` 0: `min_error` says why
 * there is no legal minimum (and owed is not computed); likewise
 * `living_ok` and `living_error`. `changed` is set when another minimum
 * is in force at the period's end (split the record to be exact).
 */
struct mrm_wage_calc {
	int min_ok;
	struct mrm_ref_figure minimum;
	int64_t legal, owed, per_day;
	char min_error[MRM_ERROR_MSG_MAX];
	int changed;
	struct mrm_ref_figure minimum_at_end;
	int living_ok;
	struct mrm_ref_figure living;
	int64_t living_total, living_gap;
	char living_error[MRM_ERROR_MSG_MAX];
};

/* 0 (the parts that could not be computed say why), or MRM_ERR_INVALID
 * for a record whose dates cannot be read. */
int mrm_wage_compute(const struct mrm_ref *ref, const struct mrm_wage_record *w,
		     struct mrm_wage_calc *out, struct mrm_error *err);

/*
 * Recruitment cost burden of one cost: its amount over the worker's
 * monthly earnings at destination (recorded on the cost, else from the
 * victim's wage records in the same event: paid x 30 / calendar days),
 * in basis points (15000 = 1.5 months of earnings). Amounts in another
 * currency are converted only with a market rate of exchange-rate.csv.
 * `ok` 0: `error` says why there is no burden. The legal cap for the
 * corridor, when there is one, is compared in the cost's currency.
 */
struct mrm_burden {
	int ok;
	char corridor[8]; /* "MM-TH" */
	int64_t earnings; /* monthly, minor units of the cost's currency */
	int64_t burden_bp;
	int rate_used;
	struct mrm_ref_figure rate;
	char error[MRM_ERROR_MSG_MAX];
	int cap_ok;
	struct mrm_ref_figure cap;
	int64_t cap_amount; /* in the cost's currency */
	int64_t over_cap;   /* amount - cap, at least 0 */
	char cap_error[MRM_ERROR_MSG_MAX];
};

int mrm_burden_compute(struct mrm_store *st, const struct mrm_ref *ref,
		       const struct mrm_recruitment_cost *c,
		       struct mrm_burden *out, struct mrm_error *err);

/* A wage record with its calculation, and a cost with its burden, as
 * JSON: every figure used with its provenance (docs/wages.md). NULL when
 * out of memory. */
json_t *mrm_wage_json(const struct mrm_wage_record *w,
		      const struct mrm_wage_calc *c);
json_t *mrm_burden_json(const struct mrm_recruitment_cost *c,
			const struct mrm_burden *b);

/* A figure's provenance as JSON: key, amount, currency, unit,
 * effective_from, effective_to, source, source_url, estimate, note. */
json_t *mrm_figure_json(const struct mrm_ref_figure *f);

#endif
