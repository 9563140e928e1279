/*
 * portability.c - see include/mrm/portability.h
 *
 * The work history is checked whole first (every period, then overlaps),
 * then each country is computed on its own: Thailand from its formula,
 * the others from their conditions only. Months are counted as an index
 * y * 12 + (m - 1); the aggregate of all countries is a bitmap of months,
 * so that a month worked in two countries counts once.
 */
#include "mrm/portability.h"

#include "mrm/fields.h"
#include "mrm/ref.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define YEAR_MIN	1900
#define YEAR_MAX	2199
#define MONTHS_SPAN	((YEAR_MAX - YEAR_MIN + 1) * 12)
#define MONTH0		(YEAR_MIN * 12)
#define WAGE_MONTHS_MAX 600

const struct mrm_port_switch_info mrm_port_switches[MRM_PORT_NSWITCHES] = {
	{"thai_lump_sum_after_leaving", 0,
	 "a migrant who has left Thailand may take the old-age grant before "
	 "55 (not found in the sources: an amendment was reported as "
	 "planned around 2014; migrants in 2022 reported being unable to "
	 "withdraw)"},
};

/* ---- arithmetic ---- */

__extension__ typedef __int128 wide;

int64_t mrm_port_ratio(int64_t amount, int64_t num, int64_t den)
{
	/* 128-bit intermediate: amount x num can pass 2^63 for large sums */
	wide p = (wide)amount * num;
	wide q = p / den, r = p % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += p < 0 ? -1 : 1;
	return (int64_t)q;
}

int mrm_port_rate_bp(const struct mrm_port_formula *f, int64_t months)
{
	int64_t counted = f->cap_months && months > f->cap_months
				  ? f->cap_months
				  : months;
	int64_t steps = 0;

	if (f->step_months > 0 && counted > f->step_from_months)
		steps = (counted - f->step_from_months) / f->step_months;
	return f->fixed_bp + (int)steps * f->step_bp;
}

int64_t mrm_port_amount(const struct mrm_port_formula *f, int64_t months,
			int64_t base_sum, int64_t base_count)
{
	if (base_count <= 0)
		return 0;
	return mrm_port_ratio(base_sum, mrm_port_rate_bp(f, months),
			      base_count * 10000);
}

void mrm_port_art52(const struct mrm_port_formula *f, int64_t own_months,
		    int64_t all_months, int64_t base_sum, int64_t base_count,
		    struct mrm_port_award *a)
{
	memset(a, 0, sizeof(*a));
	a->independent_right = own_months >= f->min_months && own_months > 0;
	if (a->independent_right)
		a->independent =
			mrm_port_amount(f, own_months, base_sum, base_count);
	a->totalised_right = all_months >= f->min_months && own_months > 0;
	if (a->totalised_right) {
		a->theoretical =
			mrm_port_amount(f, all_months, base_sum, base_count);
		a->prorata =
			mrm_port_ratio(a->theoretical, own_months, all_months);
	}
	/* Art. 57: under a year that gives no right alone is not paid */
	if (own_months < 12 && !a->independent_right && a->prorata) {
		a->art57 = 1;
		a->prorata = 0;
	}
	a->awarded = a->independent > a->prorata ? a->independent : a->prorata;
}

/* ---- input ---- */

void mrm_port_input_init(struct mrm_port_input *in)
{
	memset(in, 0, sizeof(*in));
	for (int i = 0; i < MRM_PORT_NSWITCHES; i++)
		in->switches[i] = mrm_port_switches[i].dflt;
}

int mrm_port_input_add_spec(struct mrm_port_input *in, char *spec,
			    struct mrm_error *err)
{
	const char **slot[6];
	struct mrm_port_period *p;
	char *s = spec;
	size_t n = 0;

	if (in->nperiods == MRM_PORT_PERIODS_MAX)
		return mrm_error_set(err, MRM_ERR_LIMIT, "--period",
				     "at most %d periods",
				     MRM_PORT_PERIODS_MAX);
	p = &in->periods[in->nperiods];
	memset(p, 0, sizeof(*p));
	slot[0] = &p->country, slot[1] = &p->from, slot[2] = &p->to;
	slot[3] = &p->wage, slot[4] = &p->currency, slot[5] = &p->scheme;
	while (s && n < 6) {
		char *c = strchr(s, ':');

		if (c)
			*c++ = '\0';
		*slot[n++] = s;
		s = c;
	}
	if (s || n < 4)
		return mrm_error_set(
			err, MRM_ERR_INVALID, "--period",
			"period %zu: write COUNTRY:FROM:TO:MONTHLY_WAGE"
			"[:CURRENCY[:SCHEME]], e.g. TH:2005-01:2024-12:15000",
			in->nperiods + 1);
	in->nperiods++;
	return 0;
}

int mrm_port_input_switch(struct mrm_port_input *in, const char *name,
			  const char *value, struct mrm_error *err)
{
	static const char *const on[] = {"on", "1", "true", "yes"};
	static const char *const off[] = {"off", "0", "false", "no"};

	for (int i = 0; i < MRM_PORT_NSWITCHES; i++) {
		if (strcmp(name, mrm_port_switches[i].name))
			continue;
		for (size_t k = 0; value && k < 4; k++) {
			if (!strcasecmp(value, on[k]))
				return in->switches[i] = 1, 0;
			if (!strcasecmp(value, off[k]))
				return in->switches[i] = 0, 0;
		}
		return mrm_error_set(err, MRM_ERR_INVALID, "--switch",
				     "%s=%s: the value must be on or off", name,
				     value ? value : "");
	}
	return mrm_error_set(err, MRM_ERR_INVALID, "--switch",
			     "no switch \"%s\"; switches: %s", name,
			     mrm_port_switches[0].name);
}

const char *mrm_port_kind_name(enum mrm_port_kind k)
{
	return k == MRM_PORT_PENSION	? "pension"
	       : k == MRM_PORT_LUMP_SUM ? "lump_sum"
					: "none";
}

/* ---- checking the history ---- */

struct per {
	char country[3], currency[4];
	const char *scheme;
	int from, to; /* month index */
	int64_t wage; /* minor units */
};

struct calc {
	const struct mrm_port_input *in;
	struct mrm_port_result *r;
	struct mrm_ref_table scheme, benefit;
	struct per per[MRM_PORT_PERIODS_MAX];
	long claim_day; /* YYYYMMDD */
	int claim_month;
	struct mrm_error *err;
};

static void month_text(int m, char out[12])
{
	snprintf(out, 12, "%04d-%02d", (m / 12) % 10000, m % 12 + 1);
}

/* "period N (TH:2005-01:2024-12:15000)" for messages. */
static void period_name(const struct mrm_port_period *p, size_t i, char *out,
			size_t size)
{
	snprintf(out, size, "period %zu (%s:%s:%s:%s%s%s)", i + 1,
		 p->country ? p->country : "", p->from ? p->from : "",
		 p->to ? p->to : "", p->wage ? p->wage : "",
		 p->currency && *p->currency ? ":" : "",
		 p->currency ? p->currency : "");
}

/* YYYY-MM (or, with `days`, also YYYY-MM-DD) as its first day, YYYYMMDD;
 * -1 when it is not such a date. */
static long first_day(const char *s, int days)
{
	size_t n = s ? strlen(s) : 0;
	long day;

	if ((n != 7 && !(days && n == 10)) || mrm_ref_date(s, 0, &day, NULL))
		return -1;
	return day;
}

static int parse_month(const char *s, int *out)
{
	long day = first_day(s, 0);
	int y = (int)(day / 10000);

	if (day < 0 || y < YEAR_MIN || y > YEAR_MAX)
		return -1;
	*out = y * 12 + (int)(day / 100 % 100) - 1;
	return 0;
}

/* A decimal amount with at most `dig` decimals into minor units. */
static int parse_wage(const char *s, int dig, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int nfrac = -1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	for (; *s; s++) {
		if (*s == '.' && nfrac < 0) {
			nfrac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || whole > 100000000000LL)
			return -1;
		if (nfrac < 0)
			whole = whole * 10 + (*s - '0');
		else if (++nfrac > dig)
			return -1;
		else
			frac = frac * 10 + (*s - '0');
	}
	if (nfrac == 0)
		return -1; /* "15000." */
	for (int i = nfrac < 0 ? 0 : nfrac; i < dig; i++)
		frac *= 10;
	for (int i = 0; i < dig; i++)
		whole *= 10;
	*out = whole + frac;
	return 0;
}

/* The benefit rows' countries, comma-separated, each once. */
static void countries_known(const struct mrm_ref_table *b, char *out,
			    size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < b->nrows; i++) {
		const char *c = mrm_ref_cell(b, i, "country");

		if (!strstr(out, c) && len < size)
			len += (size_t)snprintf(out + len, size - len, "%s%s",
						len ? ", " : "", c);
	}
}

/* The first benefit row of `country` (its currency and default scheme). */
static long country_row(const struct mrm_ref_table *b, const char *country)
{
	for (size_t i = 0; i < b->nrows; i++)
		if (!strcmp(mrm_ref_cell(b, i, "country"), country))
			return (long)i;
	return -1;
}

static int scheme_known(const struct mrm_ref_table *b, const char *country,
			const char *scheme)
{
	for (size_t i = 0; i < b->nrows; i++)
		if (!strcmp(mrm_ref_cell(b, i, "country"), country) &&
		    !strcmp(mrm_ref_cell(b, i, "scheme"), scheme))
			return 1;
	return 0;
}

static int bad(struct calc *c, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct calc *c, const char *where, const char *fmt, ...)
{
	char msg[MRM_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mrm_error_set(c->err, MRM_ERR_INVALID, where, "%s", msg);
}

static int check_country(struct calc *c, size_t i, const char *name, long *row)
{
	const struct mrm_port_period *p = &c->in->periods[i];
	char known[256];

	countries_known(&c->benefit, known, sizeof(known));
	if (!p->country || strlen(p->country) != 2)
		return bad(c, "country",
			   "%s: the country must be an ISO 3166-1 code of two "
			   "letters (%s)",
			   name, known);
	for (int k = 0; k < 2; k++)
		c->per[i].country[k] =
			(char)toupper((unsigned char)p->country[k]);
	*row = country_row(&c->benefit, c->per[i].country);
	if (*row < 0)
		return bad(c, "country",
			   "%s: no social security rules for country %s; "
			   "rules exist for %s",
			   name, c->per[i].country, known);
	return 0;
}

static int check_money(struct calc *c, size_t i, const char *name, long row)
{
	const struct mrm_port_period *p = &c->in->periods[i];
	const char *cur = mrm_ref_cell(&c->benefit, (size_t)row, "currency");
	const char *given = p->currency && *p->currency ? p->currency : cur;
	int dig = mrm_currency_digits(given);

	if (dig < 0)
		return bad(c, "currency",
			   "%s: unknown currency \"%s\" (ISO 4217, e.g. %s)",
			   name, given, cur);
	if (strcmp(given, cur))
		return bad(c, "currency",
			   "%s: the wage is in %s, but %s's scheme counts in "
			   "%s: give the wage in %s",
			   name, given, c->per[i].country, cur, cur);
	snprintf(c->per[i].currency, sizeof(c->per[i].currency), "%s", cur);
	if (parse_wage(p->wage, dig, &c->per[i].wage))
		return bad(c, "wage",
			   "%s: \"%s\" is not a monthly wage (write it like "
			   "15000 or 15000.50, at most %d decimals for %s)",
			   name, p->wage ? p->wage : "", dig, cur);
	return 0;
}

static int check_period(struct calc *c, size_t i)
{
	const struct mrm_port_period *p = &c->in->periods[i];
	struct per *q = &c->per[i];
	char name[200], from[12], to[12];
	long row = -1;
	int rc;

	period_name(p, i, name, sizeof(name));
	if ((rc = check_country(c, i, name, &row)) ||
	    (rc = check_money(c, i, name, row)))
		return rc;
	if (parse_month(p->from, &q->from) || parse_month(p->to, &q->to))
		return bad(c, "period",
			   "%s: FROM and TO must be months written YYYY-MM "
			   "(%d to %d)",
			   name, YEAR_MIN, YEAR_MAX);
	if (q->from > q->to) {
		month_text(q->from, from);
		month_text(q->to, to);
		return bad(c, "period",
			   "%s is reversed: it ends (%s) before it starts (%s)",
			   name, to, from);
	}
	q->scheme = p->scheme && *p->scheme
			    ? p->scheme
			    : mrm_ref_cell(&c->benefit, (size_t)row, "scheme");
	if (!scheme_known(&c->benefit, q->country, q->scheme))
		return bad(c, "scheme",
			   "%s: no scheme \"%s\" for %s; it has %s", name,
			   q->scheme, q->country,
			   mrm_ref_cell(&c->benefit, (size_t)row, "scheme"));
	return 0;
}

static int check_overlaps(struct calc *c)
{
	size_t n = c->in->nperiods;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const struct per *a = &c->per[i], *b = &c->per[j];
			char na[200], nb[200];

			if (strcmp(a->country, b->country) || a->to < b->from ||
			    b->to < a->from)
				continue;
			period_name(&c->in->periods[i], i, na, sizeof(na));
			period_name(&c->in->periods[j], j, nb, sizeof(nb));
			return bad(c, "period",
				   "%s and %s overlap: one country's periods "
				   "must not cover the same month twice",
				   na, nb);
		}
	return 0;
}

static int check_claim(struct calc *c)
{
	const char *s = c->in->claim_date;
	char today[11];
	time_t now;
	struct tm tm;

	if (!s || !*s) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		s = today;
	}
	c->claim_day = first_day(s, 1);
	if (c->claim_day < 0 || c->claim_day / 10000 < YEAR_MIN ||
	    c->claim_day / 10000 > YEAR_MAX)
		return bad(c, "claim-date",
			   "\"%s\" is not a date: write YYYY-MM-DD or YYYY-MM",
			   s);
	c->claim_month = (int)(c->claim_day / 10000) * 12 +
			 (int)(c->claim_day / 100 % 100) - 1;
	snprintf(c->r->claim_date, sizeof(c->r->claim_date), "%s", s);
	c->r->birth_year = c->in->birth_year;
	c->r->age = -1;
	if (c->in->birth_year) {
		int y = (int)(c->claim_day / 10000);

		if (c->in->birth_year < YEAR_MIN || c->in->birth_year > y)
			return bad(c, "birth-year",
				   "%d is not a birth year before the claim "
				   "date %s",
				   c->in->birth_year, s);
		c->r->age = y - c->in->birth_year;
	}
	return 0;
}

/* Months of all periods, each month once; overlaps across countries. */
static int aggregate(struct calc *c)
{
	unsigned char *seen = calloc(MONTHS_SPAN, 1);
	int64_t all = 0, sum = 0;

	if (!seen)
		return mrm_error_set(c->err, MRM_ERR_NOMEM, NULL,
				     "out of memory");
	for (size_t i = 0; i < c->in->nperiods; i++) {
		const struct per *p = &c->per[i];

		sum += p->to - p->from + 1;
		for (int m = p->from; m <= p->to; m++)
			if (!seen[m - MONTH0]++)
				all++;
	}
	free(seen);
	c->r->all_months = all;
	c->r->overlap_months = sum - all;
	return 0;
}

/* ---- one country ---- */

static void append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

#define SAY(buf, ...) append((buf), sizeof(buf), __VA_ARGS__)

static void money(int64_t v, const char *cur, char out[40])
{
	char num[32];

	mrm_money_format(v, cur, num, sizeof(num));
	snprintf(out, 40, "%s %s", num, cur);
}

/* "in force FROM to TO" or "in force from FROM" */
static void period_text(const struct mrm_ref_table *t, size_t row, char *out,
			size_t size)
{
	const char *from = mrm_ref_cell(t, row, "effective_from");
	const char *to = mrm_ref_cell(t, row, "effective_to");

	if (*to)
		snprintf(out, size, "in force %s to %s", from, to);
	else
		snprintf(out, size, "in force from %s", from);
}

static void add_ref(struct mrm_port_country *k, const struct mrm_ref_table *t,
		    size_t row, const char *what)
{
	const char *file = strrchr(t->path, '/') + 1;
	struct mrm_port_ref *f;

	for (size_t i = 0; i < k->nrefs; i++)
		if (k->refs[i].line == t->lines[row] &&
		    !strcmp(k->refs[i].file, file))
			return;
	if (k->nrefs == MRM_PORT_REFS_MAX)
		return;
	f = &k->refs[k->nrefs++];
	snprintf(f->file, sizeof(f->file), "%s", file);
	f->line = t->lines[row];
	snprintf(f->what, sizeof(f->what), "%s", what);
	period_text(t, row, f->period, sizeof(f->period));
	snprintf(f->source, sizeof(f->source), "%s",
		 mrm_ref_cell(t, row, "source"));
	f->estimate = mrm_ref_int(t, row, "estimate", 0) != 0;
	if (f->estimate && !strstr(k->uncertain, mrm_ref_cell(t, row, "note")))
		SAY(k->uncertain, "%s%s: %s.", *k->uncertain ? " " : "", what,
		    mrm_ref_cell(t, row, "note"));
}

static void add_benefit_ref(struct mrm_port_country *k,
			    const struct mrm_ref_table *b, size_t row)
{
	char what[160];

	snprintf(what, sizeof(what), "%s %s %s", k->country, k->scheme,
		 mrm_ref_cell(b, row, "benefit"));
	add_ref(k, b, row, what);
}

/* The country's rules of `type` in force at the claim; -1 when none. */
static long benefit_row(struct calc *c, const struct mrm_port_country *k,
			const char *type, const char *basis)
{
	const struct mrm_ref_table *b = &c->benefit;

	for (size_t i = 0; i < b->nrows; i++)
		if (!strcmp(mrm_ref_cell(b, i, "country"), k->country) &&
		    !strcmp(mrm_ref_cell(b, i, "scheme"), k->scheme) &&
		    !strcmp(mrm_ref_cell(b, i, "type"), type) &&
		    (!basis ||
		     !strcmp(mrm_ref_cell(b, i, "wage_basis"), basis)) &&
		    mrm_ref_in_force(b, i, c->claim_day))
			return (long)i;
	return -1;
}

static int none_in_force(struct calc *c, const struct mrm_port_country *k)
{
	const struct mrm_ref_table *b = &c->benefit;
	char have[512] = "", p[64];

	for (size_t i = 0; i < b->nrows; i++)
		if (!strcmp(mrm_ref_cell(b, i, "country"), k->country)) {
			period_text(b, i, p, sizeof(p));
			SAY(have, "%s%s %s", *have ? "; " : "",
			    mrm_ref_cell(b, i, "benefit"), p);
		}
	return bad(c, "claim-date",
		   "no %s old-age rule is in force on %s; the data has: %s",
		   k->country, c->r->claim_date, have);
}

/* When a benefit with age condition `min_age` (-1: unknown) can be paid. */
static void timing(struct calc *c, struct mrm_port_benefit *b, int min_age,
		   int last, int early_ok)
{
	int ended = last < c->claim_month, age = c->r->age;
	int due_year =
		age >= 0 && min_age >= 0 ? c->r->birth_year + min_age : -1;
	char after[12];

	month_text(last + 1, after);
	if (!ended) {
		snprintf(b->status, sizeof(b->status), "deferred");
		snprintf(b->payable, sizeof(b->payable), "%s", after);
		SAY(b->rule,
		    " Insured status has not ended by the claim date: "
		    "payable at the earliest from %s",
		    after);
		if (due_year > 0)
			SAY(b->rule, " and from age %d (%d)", min_age,
			    due_year);
		SAY(b->rule, ".");
		return;
	}
	if (min_age < 0 || age < 0) {
		snprintf(b->status, sizeof(b->status), "unknown");
		SAY(b->rule, " %s",
		    min_age < 0 ? "The age condition is not in the data."
				: "The age condition was not checked: no birth "
				  "year "
				  "given.");
		return;
	}
	if (age >= min_age || early_ok) {
		snprintf(b->status, sizeof(b->status), "payable");
		if (age < min_age)
			SAY(b->rule,
			    " Paid before age %d only because switch "
			    "%s is on (a rule whose status is "
			    "uncertain).",
			    min_age, mrm_port_switches[0].name);
		return;
	}
	snprintf(b->status, sizeof(b->status), "deferred");
	snprintf(b->payable, sizeof(b->payable), "%d", due_year);
	SAY(b->rule,
	    " Payable from age %d, in %d (the birth year only is "
	    "known).",
	    min_age, due_year);
	if (b->kind == MRM_PORT_LUMP_SUM)
		SAY(b->rule, " With switch %s on, it would be paid on leaving.",
		    mrm_port_switches[0].name);
}

/* One month of a computed country: the capped wage and the grant base. */
struct month {
	int m;
	int64_t capped, own, both; /* old-age contributions of the month */
};

static int month_cmp(const void *a, const void *b)
{
	int x = ((const struct month *)a)->m, y = ((const struct month *)b)->m;

	return (x < y) - (x > y); /* newest first */
}

/* The old-age row of `contributor` (NULL: any) in force in month m, or -1. */
static long old_age_row(struct calc *c, const struct mrm_port_country *k,
			const char *contributor, int m)
{
	const struct mrm_ref_table *s = &c->scheme;
	long day = (long)(m / 12) * 10000 + (m % 12 + 1) * 100 + 1;

	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(mrm_ref_cell(s, i, "country"), k->country) &&
		    !strcmp(mrm_ref_cell(s, i, "scheme"), k->scheme) &&
		    !strcmp(mrm_ref_cell(s, i, "branch"), "old_age") &&
		    (!contributor ||
		     !strcmp(mrm_ref_cell(s, i, "contributor"), contributor)) &&
		    mrm_ref_in_force(s, i, day))
			return (long)i;
	return -1;
}

static int no_rate(struct calc *c, const struct mrm_port_country *k, int m)
{
	const struct mrm_ref_table *s = &c->scheme;
	char when[12], have[256] = "", p[64];

	month_text(m, when);
	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(mrm_ref_cell(s, i, "country"), k->country) &&
		    !strcmp(mrm_ref_cell(s, i, "scheme"), k->scheme) &&
		    !strcmp(mrm_ref_cell(s, i, "branch"), "old_age")) {
			period_text(s, i, p, sizeof(p));
			if (!strstr(have, p))
				SAY(have, "%s%s", *have ? "; " : "", p);
		}
	return bad(c, "period",
		   "no %s %s contribution rule is in force in %s; the data "
		   "has rows %s",
		   k->country, k->scheme, when, have);
}

static int64_t clamp_wage(const struct mrm_ref_table *s, size_t row, int64_t w)
{
	int64_t lo = mrm_ref_int(s, row, "wage_floor", -1);
	int64_t hi = mrm_ref_int(s, row, "wage_ceiling", -1);

	if (lo >= 0 && w < lo)
		w = lo;
	if (hi >= 0 && w > hi)
		w = hi;
	return w;
}

static int fill_month(struct calc *c, struct mrm_port_country *k,
		      const struct per *p, int m, struct month *out)
{
	long e = old_age_row(c, k, "employee", m);
	long r = old_age_row(c, k, "employer", m);
	const struct mrm_ref_table *s = &c->scheme;
	char what[160], lo[40], hi[40];

	if (e < 0 || r < 0)
		return no_rate(c, k, m);
	out->m = m;
	out->capped = clamp_wage(s, (size_t)e, p->wage);
	out->own = mrm_port_ratio(
		out->capped, mrm_ref_int(s, (size_t)e, "rate_bp", 0), 10000);
	out->both =
		out->own +
		mrm_port_ratio(out->capped,
			       mrm_ref_int(s, (size_t)r, "rate_bp", 0), 10000);
	money(mrm_ref_int(s, (size_t)e, "wage_floor", 0), k->currency, lo);
	money(mrm_ref_int(s, (size_t)e, "wage_ceiling", 0), k->currency, hi);
	snprintf(what, sizeof(what), "%s %s old-age rates, wages %s to %s",
		 k->country, k->scheme, lo, hi);
	add_ref(k, s, (size_t)e, what);
	return 0;
}

/* The country's months, newest first; *n set. Caller frees. */
static int country_months(struct calc *c, struct mrm_port_country *k,
			  struct month **out, size_t *n, int *last)
{
	struct month *v = calloc(MONTHS_SPAN, sizeof(*v));
	int rc =
		v ? 0
		  : mrm_error_set(c->err, MRM_ERR_NOMEM, NULL, "out of memory");

	*n = 0;
	*last = 0;
	for (size_t i = 0; !rc && i < c->in->nperiods; i++) {
		const struct per *p = &c->per[i];

		if (strcmp(p->country, k->country))
			continue;
		for (int m = p->from; !rc && m <= p->to; m++)
			rc = fill_month(c, k, p, m, &v[(*n)++]);
		if (rc) {
			char name[200];

			period_name(&c->in->periods[i], i, name, sizeof(name));
			mrm_error_prefix(c->err, "%s", name);
		}
		if (p->to > *last)
			*last = p->to;
	}
	if (rc) {
		free(v);
		return rc;
	}
	qsort(v, *n, sizeof(*v), month_cmp);
	*out = v;
	return 0;
}

static void formula_of(const struct mrm_ref_table *b, size_t row,
		       struct mrm_port_formula *f)
{
	f->fixed_bp = (int)mrm_ref_int(b, row, "fixed_bp", 0);
	f->step_bp = (int)mrm_ref_int(b, row, "step_bp", 0);
	f->step_months = (int)mrm_ref_int(b, row, "step_months", 0);
	f->step_from_months = (int)mrm_ref_int(b, row, "step_from_months", 0);
	f->cap_months = (int)mrm_ref_int(b, row, "cap_months", 0);
	f->min_months = (int)mrm_ref_int(b, row, "min_months", 0);
}

/* The old-age grant for a country short of the pension. */
static int grant(struct calc *c, struct mrm_port_country *k,
		 const struct month *v, size_t n, int last, int needed)
{
	const struct mrm_ref_table *b = &c->benefit;
	struct mrm_port_benefit *g = &k->independent;
	int64_t sum = 0;
	char amt[40];
	long row = -1;

	for (size_t i = 0; i < b->nrows && row < 0; i++)
		if (!strcmp(mrm_ref_cell(b, i, "country"), k->country) &&
		    !strcmp(mrm_ref_cell(b, i, "scheme"), k->scheme) &&
		    !strcmp(mrm_ref_cell(b, i, "wage_basis"),
			    "own_contributions") &&
		    mrm_ref_in_force(b, i, c->claim_day) &&
		    (int64_t)n >= mrm_ref_int(b, i, "min_months", 0) &&
		    (int64_t)n <= mrm_ref_int(b, i, "max_months", INT64_MAX))
			row = (long)i;
	if (row < 0)
		return none_in_force(c, k);
	add_benefit_ref(k, b, (size_t)row);
	int both = strstr(mrm_ref_cell(b, (size_t)row, "contributions"),
			  "employer") != NULL;
	for (size_t i = 0; i < n; i++)
		sum += both ? v[i].both : v[i].own;
	money(sum, k->currency, amt);
	g->kind = MRM_PORT_LUMP_SUM;
	g->known = 1;
	g->amount = sum;
	snprintf(g->rule, sizeof(g->rule),
		 "Old-age grant (%s): %lld months, under the %d a pension "
		 "needs: %s old-age contributions (%s), each month's rate on "
		 "the wage capped at that month's ceiling = %s. Investment "
		 "returns are not modelled.",
		 mrm_ref_cell(b, (size_t)row, "benefit"), (long long)n, needed,
		 both ? "the worker's and the employer's" : "the worker's own",
		 mrm_ref_cell(b, (size_t)row, "contributions"), amt);
	timing(c, g, (int)mrm_ref_int(b, (size_t)row, "min_age", -1), last,
	       c->in->switches[MRM_PORT_THAI_LUMP_SUM_AFTER_LEAVING]);
	return 0;
}

static void pension_text(struct mrm_port_benefit *p, const char *what,
			 const struct mrm_port_formula *f, int64_t months,
			 int64_t base_count, const char *cur)
{
	char amt[40];
	int bp = mrm_port_rate_bp(f, months);

	money(p->amount, cur, amt);
	snprintf(p->rule, sizeof(p->rule),
		 "%s: %lld months give %d.%02d%% (%d.%02d%% + %d.%02d%% per "
		 "full %d months beyond %d) of the average capped wage of the "
		 "last %lld months under this country's law = %s a month.",
		 what, (long long)months, bp / 100, bp % 100, f->fixed_bp / 100,
		 f->fixed_bp % 100, f->step_bp / 100, f->step_bp % 100,
		 f->step_months, f->step_from_months, (long long)base_count,
		 amt);
}

static void loss_text(struct mrm_port_country *k, int took_prorata)
{
	const struct mrm_port_benefit *w = &k->agreement, *o = &k->independent;
	char a[40], b[40];

	k->pension_lost = 0;
	if (!took_prorata && !w->known && w->kind != MRM_PORT_NONE) {
		snprintf(
			k->loss, sizeof(k->loss),
			"None found: the country's own rules already give this "
			"benefit; whether the pro-rata amount would be higher "
			"cannot be computed from the data.");
		return;
	}
	if (!took_prorata || (w->kind == o->kind && w->known && o->known &&
			      w->amount == o->amount)) {
		snprintf(k->loss, sizeof(k->loss),
			 "Nothing: the country's own rules give as much.");
		return;
	}
	money(w->amount, k->currency, a);
	money(o->amount, k->currency, b);
	if (w->kind == MRM_PORT_PENSION && o->kind == MRM_PORT_PENSION) {
		k->pension_lost = w->amount - o->amount;
		money(k->pension_lost, k->currency, b);
		snprintf(k->loss, sizeof(k->loss), "%s a month of pension.", b);
	} else if (w->kind == MRM_PORT_PENSION && w->known) {
		k->pension_lost = w->amount;
		snprintf(k->loss, sizeof(k->loss),
			 "A pension of %s a month; without an agreement %s.", a,
			 o->kind == MRM_PORT_LUMP_SUM ? "only a lump sum of "
						      : "nothing");
		if (o->kind == MRM_PORT_LUMP_SUM)
			SAY(k->loss, "%s", b);
	} else if (w->kind == MRM_PORT_PENSION) {
		snprintf(k->loss, sizeof(k->loss),
			 "A pension (amount unknown: no formula in the data); "
			 "without an agreement %s.",
			 o->kind == MRM_PORT_LUMP_SUM ? "a lump sum at most"
						      : "no pension");
	} else {
		snprintf(k->loss, sizeof(k->loss),
			 "Nothing: totalisation gives no more here.");
	}
}

static void agree(struct mrm_port_country *k)
{
	const struct mrm_port_benefit *i = &k->independent, *p = &k->prorata;
	int take_p = p->kind == MRM_PORT_PENSION &&
		     strcmp(p->status, "not_paid") &&
		     (i->kind != MRM_PORT_PENSION ||
		      (p->known && i->known && p->amount > i->amount));

	k->agreement = take_p ? *p : *i;
	if (take_p && i->kind == MRM_PORT_LUMP_SUM)
		SAY(k->agreement.rule,
		    " Chosen over the lump sum of the country's own rules: a "
		    "monthly pension is taken as the higher benefit.");
	else if (take_p)
		SAY(k->agreement.rule,
		    " Higher than the benefit under the country's own rules.");
	loss_text(k, take_p);
}

/* Thailand: the formula of social-security-benefit.csv, all of it. */
static int computed(struct calc *c, struct mrm_port_country *k, long prow)
{
	const struct mrm_ref_table *b = &c->benefit;
	struct mrm_port_formula f = {0};
	struct mrm_port_award a;
	struct month *v = NULL;
	int64_t sum = 0, cnt;
	size_t n;
	int last, min_age = (int)mrm_ref_int(b, (size_t)prow, "min_age", -1);
	int rc = country_months(c, k, &v, &n, &last);

	if (rc)
		return rc;
	formula_of(b, (size_t)prow, &f);
	cnt = mrm_ref_int(b, (size_t)prow, "wage_months", 60);
	cnt = cnt < (int64_t)n ? cnt : (int64_t)n;
	for (int64_t i = 0; i < cnt; i++)
		sum += v[i].capped;
	add_benefit_ref(k, b, (size_t)prow);
	mrm_port_art52(&f, (int64_t)n, c->r->all_months, sum, cnt, &a);
	k->computed = 1;
	k->theoretical = a.totalised_right ? a.theoretical : -1;
	if (a.independent_right) {
		k->independent.kind = MRM_PORT_PENSION;
		k->independent.known = 1;
		k->independent.amount = a.independent;
		pension_text(&k->independent, "Old-age pension", &f, (int64_t)n,
			     cnt, k->currency);
		timing(c, &k->independent, min_age, last, 0);
	} else if ((rc = grant(c, k, v, n, last, f.min_months))) {
		goto out;
	}
	if (!a.totalised_right) {
		snprintf(k->prorata.rule, sizeof(k->prorata.rule),
			 "No pension under totalisation: all periods together "
			 "(%lld months) are under the %d months needed.",
			 (long long)c->r->all_months, f.min_months);
		snprintf(k->prorata.status, sizeof(k->prorata.status), "none");
	} else {
		char th[40];

		k->prorata.kind = MRM_PORT_PENSION;
		k->prorata.known = 1;
		k->prorata.amount = a.prorata;
		pension_text(&k->prorata,
			     "Theoretical pension (Art. 52(1)(b), "
			     "all periods as if under this law; "
			     "wage basis from own periods only, "
			     "Art. 56)",
			     &f, c->r->all_months, cnt, k->currency);
		money(a.prorata, k->currency, th);
		SAY(k->prorata.rule,
		    " Pro-rata: theoretical x %lld own / %lld months = %s.",
		    (long long)n, (long long)c->r->all_months, th);
		if (a.art57) {
			snprintf(k->prorata.status, sizeof(k->prorata.status),
				 "not_paid");
			SAY(k->prorata.rule,
			    " Not paid (Art. 57): under 12 months here, which "
			    "give no pension alone; the other countries count "
			    "them.");
		} else {
			timing(c, &k->prorata, min_age, last, 0);
		}
	}
	agree(k);
out:
	free(v);
	return rc;
}

static int64_t own_months(const struct calc *c, const char *country)
{
	int64_t n = 0;

	for (size_t i = 0; i < c->in->nperiods; i++)
		if (!strcmp(c->per[i].country, country))
			n += c->per[i].to - c->per[i].from + 1;
	return n;
}

static int last_month(const struct calc *c, const char *country)
{
	int last = 0;

	for (size_t i = 0; i < c->in->nperiods; i++)
		if (!strcmp(c->per[i].country, country) && c->per[i].to > last)
			last = c->per[i].to;
	return last;
}

/* A country with conditions but no formula: rights, not amounts. */
static void conditions(struct calc *c, struct mrm_port_country *k, long prow,
		       long lrow)
{
	const struct mrm_ref_table *b = &c->benefit;
	int64_t min =
		prow >= 0 ? mrm_ref_int(b, (size_t)prow, "min_months", -1) : -1;
	int age = prow >= 0 ? (int)mrm_ref_int(b, (size_t)prow, "min_age", -1)
			    : -1;
	int last = last_month(c, k->country);

	k->theoretical = -1;
	if (prow >= 0)
		add_benefit_ref(k, b, (size_t)prow);
	if (lrow >= 0)
		add_benefit_ref(k, b, (size_t)lrow);
	if (prow >= 0 && min >= 0 && k->own_months >= min) {
		k->independent.kind = MRM_PORT_PENSION;
		snprintf(k->independent.rule, sizeof(k->independent.rule),
			 "Old-age pension: %lld months meet the %lld needed; "
			 "the data has no formula, so the amount is unknown.",
			 (long long)k->own_months, (long long)min);
		timing(c, &k->independent, age, last, 0);
	} else if (lrow >= 0) {
		k->independent.kind = MRM_PORT_LUMP_SUM;
		snprintf(k->independent.rule, sizeof(k->independent.rule),
			 "%s: %lld months%s; the amount is not in the data.",
			 mrm_ref_cell(b, (size_t)lrow, "benefit"),
			 (long long)k->own_months,
			 min >= 0 ? ", under the months a pension needs" : "");
		timing(c, &k->independent,
		       (int)mrm_ref_int(b, (size_t)lrow, "min_age", -1), last,
		       0);
	} else {
		snprintf(k->independent.status, sizeof(k->independent.status),
			 "unknown");
		snprintf(k->independent.rule, sizeof(k->independent.rule),
			 "The data has no rule that tells what %lld months "
			 "give.",
			 (long long)k->own_months);
	}
	if (prow >= 0 && min >= 0 && c->r->all_months >= min) {
		k->prorata.kind = MRM_PORT_PENSION;
		snprintf(k->prorata.rule, sizeof(k->prorata.rule),
			 "Pension under totalisation: all periods (%lld "
			 "months) meet the %lld needed; pro-rata %lld/%lld of "
			 "a theoretical amount the data cannot compute.",
			 (long long)c->r->all_months, (long long)min,
			 (long long)k->own_months, (long long)c->r->all_months);
		if (k->own_months < 12 &&
		    k->independent.kind != MRM_PORT_PENSION) {
			snprintf(k->prorata.status, sizeof(k->prorata.status),
				 "not_paid");
			SAY(k->prorata.rule, " Not paid (Art. 57): under 12 "
					     "months here.");
		} else {
			timing(c, &k->prorata, age, last, 0);
		}
	} else {
		snprintf(k->prorata.status, sizeof(k->prorata.status), "none");
		snprintf(k->prorata.rule, sizeof(k->prorata.rule),
			 "No pension under totalisation: %s.",
			 min >= 0 ? "all periods together are under the months "
				    "needed"
				  : "the months needed are not in the data");
	}
	agree(k);
}

/* Every month of the country's periods has an old-age row in force. */
static int covered(struct calc *c, struct mrm_port_country *k)
{
	for (size_t i = 0; i < c->in->nperiods; i++) {
		const struct per *p = &c->per[i];
		char name[200];

		if (strcmp(p->country, k->country))
			continue;
		for (int m = p->from; m <= p->to; m++) {
			if (old_age_row(c, k, NULL, m) >= 0)
				continue;
			no_rate(c, k, m);
			period_name(&c->in->periods[i], i, name, sizeof(name));
			mrm_error_prefix(c->err, "%s", name);
			return MRM_ERR_INVALID;
		}
	}
	return 0;
}

static int country(struct calc *c, struct mrm_port_country *k)
{
	long prow = benefit_row(c, k, "pension", NULL);
	long lrow = benefit_row(c, k, "lump_sum", NULL);

	if (prow < 0 && lrow < 0)
		return none_in_force(c, k);
	k->own_months = own_months(c, k->country);
	if (prow >= 0 &&
	    !strcmp(mrm_ref_cell(&c->benefit, (size_t)prow, "wage_basis"),
		    "last_months_average"))
		return computed(c, k, prow);
	if (covered(c, k))
		return MRM_ERR_INVALID;
	conditions(c, k, prow, lrow);
	return 0;
}

static int add_countries(struct calc *c)
{
	struct mrm_port_result *r = c->r;
	int rc = 0;

	for (size_t i = 0; !rc && i < c->in->nperiods; i++) {
		const struct per *p = &c->per[i];
		struct mrm_port_country *k;
		size_t j = 0;

		while (j < r->ncountries &&
		       strcmp(r->countries[j].country, p->country))
			j++;
		if (j < r->ncountries)
			continue;
		if (r->ncountries == MRM_PORT_COUNTRIES_MAX)
			return mrm_error_set(c->err, MRM_ERR_LIMIT, "period",
					     "at most %d countries",
					     MRM_PORT_COUNTRIES_MAX);
		k = &r->countries[r->ncountries++];
		memcpy(k->country, p->country, sizeof(k->country));
		memcpy(k->currency, p->currency, sizeof(k->currency));
		snprintf(k->scheme, sizeof(k->scheme), "%s", p->scheme);
		rc = country(c, k);
	}
	return rc;
}

int mrm_port_compute(const struct mrm_port_input *in,
		     struct mrm_port_result **out, struct mrm_error *err)
{
	static const char *const bcols[] = {"country",
					    "scheme",
					    "benefit",
					    "type",
					    "min_age",
					    "min_months",
					    "max_months",
					    "wage_basis",
					    "wage_months",
					    "fixed_bp",
					    "step_bp",
					    "step_months",
					    "step_from_months",
					    "cap_months",
					    "contributions",
					    "currency",
					    "effective_from",
					    "effective_to",
					    "source",
					    "estimate",
					    "note",
					    NULL};
	static const char *const scols[] = {
		"country",	"scheme",   "branch",
		"contributor",	"rate_bp",  "wage_floor",
		"wage_ceiling", "currency", "effective_from",
		"effective_to", "source",   "estimate",
		"note",		NULL};
	struct calc c = {.in = in, .err = err};
	int rc;

	*out = NULL;
	mrm_error_clear(err);
	if (!in->nperiods)
		return mrm_error_set(err, MRM_ERR_INVALID, "period",
				     "no period of work: give at least one, "
				     "e.g. TH:2005-01:2024-12:15000");
	c.r = calloc(1, sizeof(*c.r));
	if (!c.r)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	rc = mrm_ref_table_load(&c.benefit, "social-security-benefit", bcols,
				err);
	if (!rc)
		rc = mrm_ref_table_load(&c.scheme, "social-security-scheme",
					scols, err);
	if (!rc)
		rc = check_claim(&c);
	for (size_t i = 0; !rc && i < in->nperiods; i++)
		rc = check_period(&c, i);
	if (!rc)
		rc = check_overlaps(&c);
	if (!rc)
		rc = aggregate(&c);
	memcpy(c.r->switches, in->switches, sizeof(c.r->switches));
	if (!rc)
		rc = add_countries(&c);
	if (!rc && c.r->overlap_months)
		SAY(c.r->notes,
		    "%lld months were worked in two countries at once: they "
		    "count once in the aggregate (all periods).",
		    (long long)c.r->overlap_months);
	mrm_ref_table_release(&c.benefit);
	mrm_ref_table_release(&c.scheme);
	if (rc)
		free(c.r);
	else
		*out = c.r;
	return rc;
}

/* ---- JSON ---- */

static json_t *benefit_json(const struct mrm_port_benefit *b, const char *cur)
{
	char text[40];

	mrm_money_format(b->amount, cur, text, sizeof(text));
	return json_pack("{s:s, s:o, s:s?, s:s, s:s, s:s?, s:s}", "type",
			 mrm_port_kind_name(b->kind), "amount",
			 b->known ? json_integer(b->amount) : json_null(),
			 "amount_text", b->known ? text : NULL, "currency", cur,
			 "status", *b->status ? b->status : "none",
			 "payable_from", *b->payable ? b->payable : NULL,
			 "rule", b->rule);
}

static json_t *refs_json(const struct mrm_port_country *k)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < k->nrefs; i++) {
		const struct mrm_port_ref *f = &k->refs[i];

		json_array_append_new(
			a,
			json_pack("{s:s, s:I, s:s, s:s, s:s, s:b}", "file",
				  f->file, "line", (json_int_t)f->line, "what",
				  f->what, "in_force", f->period, "source",
				  f->source, "estimate", f->estimate));
	}
	return a;
}

static json_t *country_json(const struct mrm_port_country *k)
{
	return json_pack(
		"{s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:{s:o, s:s},"
		" s:s?, s:o}",
		"country", k->country, "scheme", k->scheme, "currency",
		k->currency, "own_months", (json_int_t)k->own_months,
		"independent", benefit_json(&k->independent, k->currency),
		"pro_rata", benefit_json(&k->prorata, k->currency),
		"with_agreement", benefit_json(&k->agreement, k->currency),
		"theoretical",
		k->theoretical >= 0 ? json_integer(k->theoretical)
				    : json_null(),
		"loss_without_agreement", "pension_per_month",
		k->agreement.kind == MRM_PORT_PENSION && k->agreement.known
			? json_integer(k->pension_lost)
			: json_null(),
		"text", k->loss, "uncertain",
		*k->uncertain ? k->uncertain : NULL, "references",
		refs_json(k));
}

json_t *mrm_port_json(const struct mrm_port_result *r)
{
	json_t *sw = json_object(), *cs = json_array();
	json_t *doc = json_pack(
		"{s:s, s:o, s:o, s:I, s:I, s:o, s:o, s:s?, s:s}", "claim_date",
		r->claim_date, "birth_year",
		r->birth_year ? json_integer(r->birth_year) : json_null(),
		"age_in_claim_year",
		r->age >= 0 ? json_integer(r->age) : json_null(), "all_months",
		(json_int_t)r->all_months, "overlap_months",
		(json_int_t)r->overlap_months, "switches", sw, "countries", cs,
		"notes", *r->notes ? r->notes : NULL, "rounding",
		"amounts in minor units; each product or ratio rounded once, "
		"half away from zero");

	for (int i = 0; sw && i < MRM_PORT_NSWITCHES; i++)
		json_object_set_new(sw, mrm_port_switches[i].name,
				    json_boolean(r->switches[i]));
	for (size_t i = 0; cs && i < r->ncountries; i++)
		json_array_append_new(cs, country_json(&r->countries[i]));
	return doc;
}
