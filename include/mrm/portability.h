/*
 * portability.h - what a migrant worker's old-age contributions are worth
 * across borders: per country, the benefit under that country's own rules
 * alone, and under a totalisation agreement modelled on EU Regulation
 * 883/2004 Art. 52 (pro-rata), with what is lost without an agreement.
 *
 * The rules come from data/reference/social-security-{scheme,benefit}.csv
 * (built in). Thailand's old-age pension and grant are computed in full;
 * for other countries the data gives conditions but no formula, so their
 * results say whether a right exists and leave the amount unknown. Every
 * result names the rule it applied and the reference rows behind it, with
 * their source, dates and estimate flag. docs/portability.md has the
 * rules and worked examples.
 *
 * Money is integer minor units of the country's currency. Rounding, the
 * only one: a product or ratio is rounded once, half away from zero, to
 * the minor unit (mrm_port_ratio); an average wage is never rounded on its
 * own but kept as a sum over a count inside the one ratio.
 */
#ifndef MRM_PORTABILITY_H
#define MRM_PORTABILITY_H

#include "mrm/error.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define MRM_PORT_PERIODS_MAX   120
#define MRM_PORT_COUNTRIES_MAX 12

/* ---- the generic arithmetic of Art. 52, usable with any scheme ---- */

/* round(amount x num / den), half away from zero; den > 0. */
int64_t mrm_port_ratio(int64_t amount, int64_t num, int64_t den);

/*
 * An old-age pension formula: base x rate / 10000, where rate is fixed_bp
 * plus step_bp for each full step_months counted beyond step_from_months,
 * months counted up to cap_months (0: no cap); due with at least
 * min_months. Thailand: fixed 2000, step 150 per 12 beyond 180, min 180,
 * base the average of the last 60 months' capped wages.
 */
struct mrm_port_formula {
	int fixed_bp, step_bp;
	int step_months, step_from_months, cap_months, min_months;
};

/* The rate in basis points after `months` of insurance. */
int mrm_port_rate_bp(const struct mrm_port_formula *f, int64_t months);

/*
 * The amount of `f` after `months`, on a base of base_sum / base_count
 * (an average of base_count monthly wages, or a flat amount with count 1),
 * in one rounding: round(base_sum x rate / (base_count x 10000)).
 */
int64_t mrm_port_amount(const struct mrm_port_formula *f, int64_t months,
			int64_t base_sum, int64_t base_count);

/* One country's award under Art. 52. */
struct mrm_port_award {
	int independent_right; /* own periods alone meet min_months */
	int64_t independent;   /* amount on own periods alone; 0 without */
	int totalised_right;   /* all periods meet min_months */
	int64_t theoretical;   /* as if all periods were under this law */
	int64_t prorata;       /* theoretical x own / all */
	int art57;	       /* under 12 own months, no right alone: unpaid */
	int64_t awarded;       /* the higher of independent and prorata */
};

/*
 * Art. 52 for one country: own_months under its law, all_months in all
 * countries (overlaps counted once), the wage basis from own periods only
 * (Art. 56) as base_sum / base_count.
 */
void mrm_port_art52(const struct mrm_port_formula *f, int64_t own_months,
		    int64_t all_months, int64_t base_sum, int64_t base_count,
		    struct mrm_port_award *out);

/* ---- the calculator ---- */

/* Rules whose status is uncertain, which the user sets. */
enum mrm_port_switch {
	/* A migrant who has left Thailand may take the old-age grant before
	 * 55 (not found in the sources; off: the grant waits until 55). */
	MRM_PORT_THAI_LUMP_SUM_AFTER_LEAVING,
	MRM_PORT_NSWITCHES
};

struct mrm_port_switch_info {
	const char *name;
	int dflt;
	const char *about;
};
extern const struct mrm_port_switch_info mrm_port_switches[MRM_PORT_NSWITCHES];

/*
 * One period of work. Strings are borrowed. from and to are YYYY-MM,
 * inclusive; wage is a decimal amount ("15000", "15000.50") of currency
 * (NULL or "": the country's); scheme NULL or "": the country's.
 */
struct mrm_port_period {
	const char *country, *from, *to, *wage, *currency, *scheme;
};

struct mrm_port_input {
	struct mrm_port_period periods[MRM_PORT_PERIODS_MAX];
	size_t nperiods;
	int birth_year;		/* 0: not given (age conditions unknown) */
	const char *claim_date; /* YYYY-MM or YYYY-MM-DD; NULL: today */
	int switches[MRM_PORT_NSWITCHES];
};

/* Empty input with every switch at its default. */
void mrm_port_input_init(struct mrm_port_input *in);

/*
 * Add the period written COUNTRY:FROM:TO:MONTHLY_WAGE[:CURRENCY[:SCHEME]]
 * (the command line's form). `spec` is cut in place and must outlive `in`.
 */
int mrm_port_input_add_spec(struct mrm_port_input *in, char *spec,
			    struct mrm_error *err);

/* Set switch `name` from "on"/"off" (also 1/0, true/false, yes/no). */
int mrm_port_input_switch(struct mrm_port_input *in, const char *name,
			  const char *value, struct mrm_error *err);

enum mrm_port_kind { MRM_PORT_NONE, MRM_PORT_PENSION, MRM_PORT_LUMP_SUM };

/* "none", "pension", "lump_sum". */
const char *mrm_port_kind_name(enum mrm_port_kind k);

#define MRM_PORT_TEXT_MAX 768

/* A reference row a result relied on. */
struct mrm_port_ref {
	char file[64]; /* "social-security-benefit.csv" */
	unsigned long line;
	char what[160];	 /* "TH SSA-s33 old_age_pension", "ceiling 15000.00" */
	char period[64]; /* "in force 1990 to 2025-12-31" */
	char source[320];
	int estimate;
};

#define MRM_PORT_REFS_MAX 8

struct mrm_port_benefit {
	enum mrm_port_kind kind;
	int known;	  /* amount computed */
	int64_t amount;	  /* minor units; a pension per month */
	char status[16];  /* payable, deferred, none, unknown, not_paid */
	char payable[16]; /* from when: YYYY or YYYY-MM, or "" */
	char rule[MRM_PORT_TEXT_MAX]; /* which rule applied, and why */
};

struct mrm_port_country {
	char country[3], currency[4], scheme[24];
	int64_t own_months;
	int computed;			     /* a formula exists (Thailand) */
	struct mrm_port_benefit independent; /* own rules alone */
	struct mrm_port_benefit prorata;     /* under totalisation */
	struct mrm_port_benefit agreement;   /* the higher of the two */
	int64_t theoretical;		     /* -1: unknown */
	char loss[MRM_PORT_TEXT_MAX];	     /* without an agreement */
	int64_t pension_lost;		     /* per month, when known; else 0 */
	char uncertain[MRM_PORT_TEXT_MAX];   /* what the figures rest on */
	struct mrm_port_ref refs[MRM_PORT_REFS_MAX];
	size_t nrefs;
};

struct mrm_port_result {
	char claim_date[11];
	int birth_year, age; /* age reached in the claim's year; -1: unknown */
	int64_t all_months;  /* aggregated, overlaps counted once */
	int64_t overlap_months;
	int switches[MRM_PORT_NSWITCHES];
	struct mrm_port_country countries[MRM_PORT_COUNTRIES_MAX];
	size_t ncountries;
	char notes[MRM_PORT_TEXT_MAX];
};

/*
 * Check `in` and compute. Errors (MRM_ERR_INVALID) name the period ("period
 * 2 (TH:2010-05:2009-01:...)") and the problem: a reversed or malformed
 * period, periods of one country that overlap, an unknown country (the
 * message lists those with rules), a currency other than the country's, a
 * month or claim date with no rule in force (with the dates that exist).
 * On success *out is a new result the caller frees with free().
 */
int mrm_port_compute(const struct mrm_port_input *in,
		     struct mrm_port_result **out, struct mrm_error *err);

/* The result as JSON (a new reference), or NULL when out of memory. */
json_t *mrm_port_json(const struct mrm_port_result *r);

#endif
