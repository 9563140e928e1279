/* wages.c - wages owed, the gap to a living wage and the recruitment cost
 * burden (include/mrm/wages.h; the rules in docs/wages.md) */
#include "mrm/wages.h"

#include "mrm/fields.h"
#include "mrm/ref.h"
#include "mrm/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* a * num / den, rounded half up (all non-negative here). */
static int64_t scale(int64_t a, int64_t num, int64_t den)
{
	__extension__ typedef __int128 wide;
	wide p = (wide)a * num;

	return den ? (int64_t)((p + den / 2) / den) : 0;
}

/* A monthly amount over the period [from, to] (YYYYMMDD): each month
 * counts its days in the period over its length. */
static int64_t over_months(int64_t monthly, long from, long to)
{
	int64_t sum = 0;
	int y = (int)(from / 10000), m = (int)(from / 100 % 100);

	for (;;) {
		long first = (long)y * 10000 + m * 100 + 1;
		long last = (long)y * 10000 + m * 100 + days_in(y, m);
		long a = from > first ? from : first, b = to < last ? to : last;

		if (first > to)
			break;
		if (b >= a)
			sum += scale(monthly,
				     mrm_ref_days(b) - mrm_ref_days(a) + 1,
				     days_in(y, m));
		if (++m > 12)
			m = 1, y++;
	}
	return sum;
}

/* `amount` of currency `from` in currency `to` on `date`, with a market
 * rate when they differ. 0, or an error message in `why`. */
static int in_currency(const struct mrm_ref *ref, int64_t amount,
		       const char *from, const char *to, const char *date,
		       int64_t *out, char *why, size_t size)
{
	struct mrm_ref_figure r;
	struct mrm_error e;

	if (!strcmp(from, to)) {
		*out = amount;
		return 0;
	}
	if (mrm_ref_rate(ref, from, to, date, &r, &e) ||
	    mrm_ref_convert(amount, from, &r, out, &e)) {
		snprintf(why, size,
			 "the figure is in %s, the record in %s, and no market "
			 "rate converts them: %.800s",
			 from, to, e.msg);
		return -1;
	}
	return 0;
}

/* Does the minimum-wage table have a row of `country` in `unit`? */
static int has_unit(const struct mrm_ref *ref, const char *country,
		    const char *unit)
{
	const struct mrm_ref_table *t = mrm_ref_find(ref, "minimum-wage");

	for (size_t r = 0; t && r < t->nrows; r++)
		if (!strcmp(mrm_ref_cell(t, r, "country"), country) &&
		    !strcmp(mrm_ref_cell(t, r, "unit"), unit))
			return 1;
	return 0;
}

int mrm_wage_compute(const struct mrm_ref *ref, const struct mrm_wage_record *w,
		     struct mrm_wage_calc *out, struct mrm_error *err)
{
	const char *unit = has_unit(ref, w->country, "day") ? "day" : "month";
	struct mrm_wage_query q = {w->country, w->admin1, w->area,
				   w->sector,  NULL,	  w->period_start,
				   unit};
	struct mrm_error e;
	long from, to, days;
	int64_t v;

	memset(out, 0, sizeof(*out));
	if (mrm_ref_date(w->period_start, 0, &from, err) ||
	    mrm_ref_date(w->period_end, 1, &to, err) || to < from) {
		mrm_error_prefix(err, "wage record %lld: period %s to %s",
				 (long long)w->id, w->period_start,
				 w->period_end);
		return MRM_ERR_INVALID;
	}
	days = w->days_worked > 0 ? w->days_worked
				  : mrm_ref_days(to) - mrm_ref_days(from) + 1;
	if (mrm_ref_min_wage(ref, &q, &out->minimum, &e)) {
		snprintf(out->min_error, sizeof(out->min_error), "%s", e.msg);
	} else if (!strcmp(unit, "day") && w->days_worked < 0) {
		snprintf(out->min_error, sizeof(out->min_error),
			 "the minimum is per day and the record has no "
			 "days_worked");
	} else {
		v = !strcmp(unit, "day")
			    ? out->minimum.amount * w->days_worked
			    : over_months(out->minimum.amount, from, to);
		out->min_ok =
			!in_currency(ref, v, out->minimum.currency, w->currency,
				     w->period_start, &out->legal,
				     out->min_error, sizeof(out->min_error));
	}
	if (out->min_ok) {
		out->owed = out->legal > w->amount_paid
				    ? out->legal - w->amount_paid
				    : 0;
		out->per_day = scale(out->owed, 1, days);
		q.date = w->period_end;
		if (!mrm_ref_min_wage(ref, &q, &out->minimum_at_end, &e) &&
		    strcmp(out->minimum_at_end.key, out->minimum.key))
			out->changed = 1;
	}
	if (mrm_ref_living_wage(ref, w->country, w->area, NULL, w->period_start,
				&out->living, &e)) {
		snprintf(out->living_error, sizeof(out->living_error), "%s",
			 e.msg);
	} else {
		v = over_months(out->living.amount, from, to);
		out->living_ok = !in_currency(
			ref, v, out->living.currency, w->currency,
			w->period_start, &out->living_total, out->living_error,
			sizeof(out->living_error));
		if (out->living_ok)
			out->living_gap =
				out->living_total > w->amount_paid
					? out->living_total - w->amount_paid
					: 0;
	}
	return 0;
}

/* Monthly earnings from the worker's wage records in the event. */
static int earnings_from_wages(struct mrm_store *st,
			       const struct mrm_recruitment_cost *c,
			       int64_t *monthly, char *cur, size_t size,
			       struct mrm_error *err)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "SELECT currency, sum(amount_paid),"
		    " sum(julianday(period_end) - julianday(period_start) + 1)"
		    " FROM wage_record WHERE event_id = ? AND victim_id IS ?"
		    " GROUP BY currency ORDER BY count(*) DESC, currency"
		    " LIMIT 1");
	int rc = 0;

	*monthly = -1;
	if (!s)
		return mrm_store_fail(st, err, "wage records");
	sqlite3_bind_int64(s, 1, c->event_id);
	if (c->victim_id >= 0)
		sqlite3_bind_int64(s, 2, c->victim_id);
	else
		sqlite3_bind_null(s, 2);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW: {
		int64_t paid = sqlite3_column_int64(s, 1);
		int64_t days = (int64_t)sqlite3_column_double(s, 2);

		snprintf(cur, size, "%s", sqlite3_column_text(s, 0));
		*monthly = days > 0 ? scale(paid, 30, days) : -1;
		break;
	}
	case SQLITE_DONE: break;
	default: rc = mrm_store_fail(st, err, "wage records");
	}
	sqlite3_reset(s);
	return rc;
}

int mrm_burden_compute(struct mrm_store *st, const struct mrm_ref *ref,
		       const struct mrm_recruitment_cost *c,
		       struct mrm_burden *out, struct mrm_error *err)
{
	const char *origin = *c->origin ? c->origin : c->nationality;
	const char *dest = *c->destination ? c->destination : c->event_country;
	const char *ecur =
		*c->earnings_currency ? c->earnings_currency : c->currency;
	const char *date = *c->date ? c->date : NULL;
	int64_t monthly = c->monthly_earnings;
	char wcur[8] = "";
	struct mrm_error e;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->corridor, sizeof(out->corridor), "%s-%s",
		 *origin ? origin : "??", *dest ? dest : "??");
	if (monthly < 0 && (rc = earnings_from_wages(st, c, &monthly, wcur,
						     sizeof(wcur), err)))
		return rc;
	if (c->monthly_earnings < 0)
		ecur = wcur;
	if (monthly <= 0)
		snprintf(out->error, sizeof(out->error),
			 "no monthly earnings at destination: record "
			 "monthly_earnings on the cost, or a wage record of "
			 "this worker in the event");
	else if (strcmp(ecur, c->currency) && !date)
		snprintf(out->error, sizeof(out->error),
			 "earnings in %s, cost in %s: a date is needed to "
			 "find a rate",
			 ecur, c->currency);
	else if (!in_currency(ref, monthly, ecur, c->currency, date ? date : "",
			      &out->earnings, out->error, sizeof(out->error))) {
		out->ok = out->earnings > 0;
		out->rate_used = strcmp(ecur, c->currency) != 0;
		if (out->rate_used)
			mrm_ref_rate(ref, ecur, c->currency, date, &out->rate,
				     NULL);
		out->burden_bp =
			out->ok ? scale(c->amount, 10000, out->earnings) : 0;
	}
	if (!date || !*dest)
		snprintf(out->cap_error, sizeof(out->cap_error),
			 "the cost has no %s: no cap can be looked up",
			 date ? "destination" : "date");
	else if (mrm_ref_fee_cap(ref, *origin ? origin : NULL, dest, date,
				 &out->cap, &e))
		snprintf(out->cap_error, sizeof(out->cap_error), "%s", e.msg);
	else if (!in_currency(ref, out->cap.amount, out->cap.currency,
			      c->currency, date, &out->cap_amount,
			      out->cap_error, sizeof(out->cap_error))) {
		out->cap_ok = 1;
		out->over_cap = c->amount > out->cap_amount
					? c->amount - out->cap_amount
					: 0;
	}
	return 0;
}

json_t *mrm_figure_json(const struct mrm_ref_figure *f)
{
	json_t *o = json_pack("{s:s, s:s, s:s?, s:s, s:s?, s:s, s:b}", "key",
			      f->key, "table", f->table->name, "unit",
			      *f->unit ? f->unit : NULL, "effective_from",
			      f->effective_from, "effective_to",
			      *f->effective_to ? f->effective_to : NULL,
			      "source", f->source, "estimate", f->estimate);

	if (!o)
		return NULL;
	if (f->quote) {
		json_object_set_new(o, "base", json_string(f->currency));
		json_object_set_new(o, "base_amount", json_integer(f->amount));
		json_object_set_new(o, "quote", json_string(f->quote));
		json_object_set_new(o, "quote_amount",
				    json_integer(f->quote_amount));
	} else {
		char money[64];

		mrm_money_format(f->amount, f->currency, money, sizeof(money));
		json_object_set_new(o, "amount", json_string(money));
		json_object_set_new(o, "currency", json_string(f->currency));
	}
	if (*f->source_url)
		json_object_set_new(o, "source_url",
				    json_string(f->source_url));
	if (*f->note)
		json_object_set_new(o, "note", json_string(f->note));
	return o;
}

static json_t *money_json(int64_t v, const char *currency)
{
	char money[64];

	mrm_money_format(v, currency, money, sizeof(money));
	return json_string(money);
}

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *opt_str(const char *s)
{
	return *s ? json_string(s) : NULL;
}

json_t *mrm_wage_json(const struct mrm_wage_record *w,
		      const struct mrm_wage_calc *c)
{
	json_t *o = json_object();
	char corridor[32];

	if (!o)
		return NULL;
	/* as the statistics group it: the worker's nationality to the
	 * country of work */
	snprintf(corridor, sizeof(corridor), "%s-%s",
		 *w->nationality ? w->nationality : "unknown", w->country);
	set(o, "id", json_integer(w->id));
	set(o, "event", json_string(w->event_key));
	set(o, "victim", opt_str(w->victim_key));
	set(o, "corridor", json_string(corridor));
	set(o, "employer", opt_str(w->employer));
	set(o, "country", json_string(w->country));
	set(o, "admin1", opt_str(w->admin1));
	set(o, "area", opt_str(w->area));
	set(o, "sector", opt_str(w->sector));
	set(o, "period_start", json_string(w->period_start));
	set(o, "period_end", json_string(w->period_end));
	set(o, "days_worked",
	    w->days_worked >= 0 ? json_integer(w->days_worked) : NULL);
	set(o, "amount_paid", money_json(w->amount_paid, w->currency));
	set(o, "currency", json_string(w->currency));
	if (c->min_ok) {
		set(o, "minimum", mrm_figure_json(&c->minimum));
		set(o, "legal", money_json(c->legal, w->currency));
		set(o, "owed", money_json(c->owed, w->currency));
		set(o, "shortfall_per_day",
		    money_json(c->per_day, w->currency));
		if (c->changed)
			set(o, "minimum_at_end",
			    mrm_figure_json(&c->minimum_at_end));
	} else {
		set(o, "minimum", NULL);
		set(o, "minimum_error", json_string(c->min_error));
	}
	if (c->living_ok) {
		set(o, "living_wage", mrm_figure_json(&c->living));
		set(o, "living_wage_for_period",
		    money_json(c->living_total, w->currency));
		set(o, "living_wage_gap",
		    money_json(c->living_gap, w->currency));
	} else {
		set(o, "living_wage", NULL);
		set(o, "living_wage_error", json_string(c->living_error));
	}
	return o;
}

json_t *mrm_burden_json(const struct mrm_recruitment_cost *c,
			const struct mrm_burden *b)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	set(o, "id", json_integer(c->id));
	set(o, "event", json_string(c->event_key));
	set(o, "victim", opt_str(c->victim_key));
	set(o, "corridor", json_string(b->corridor));
	set(o, "paid_to", opt_str(c->paid_to));
	set(o, "channel", opt_str(c->channel));
	set(o, "date", opt_str(c->date));
	set(o, "amount", money_json(c->amount, c->currency));
	set(o, "currency", json_string(c->currency));
	if (b->ok) {
		set(o, "monthly_earnings",
		    money_json(b->earnings, c->currency));
		char pct[32];

		snprintf(pct, sizeof(pct), "%lld.%02lld",
			 (long long)(b->burden_bp / 100),
			 (long long)(b->burden_bp % 100));
		set(o, "burden_percent", json_string(pct));
		if (b->rate_used)
			set(o, "rate", mrm_figure_json(&b->rate));
	} else {
		set(o, "burden_percent", NULL);
		set(o, "burden_error", json_string(b->error));
	}
	if (b->cap_ok) {
		set(o, "cap", mrm_figure_json(&b->cap));
		set(o, "cap_amount", money_json(b->cap_amount, c->currency));
		set(o, "over_cap", money_json(b->over_cap, c->currency));
	} else {
		set(o, "cap", NULL);
		set(o, "cap_error", json_string(b->cap_error));
	}
	return o;
}
