/* demo_labour.c - synthetic wage records and recruitment costs for the
 * demonstration data (see mrm_demo_add_labour() in include/mrm/demo.h) */
#include "mrm/demo.h"

#include "mrm/ref.h"
#include "mrm/store.h"
#include "mrm/wages.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* A small deterministic generator (no rand()): splitmix64. */
static uint64_t next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t between(uint64_t *x, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next(x) % (uint64_t)(hi - lo + 1));
}

/* What a worker is plausibly paid per day or per month, in minor units:
 * often under the legal minimum of docs/reference.md. Only countries and
 * places with a minimum in the reference tables get records (below). */
static const struct {
	const char *cc, *currency;
	int daily; /* 1: per day, 0: per month */
	int64_t lo, hi;
} pay[] = {
	{"TH", "THB", 1, 22000, 40000},
	{"MM", "MMK", 1, 400000, 800000},
	{"KH", "USD", 0, 15000, 21000},
	{"VN", "VND", 0, 2500000, 5400000},
	{"LA", "LAK", 0, 180000000, 260000000},
	{"CN", "CNY", 0, 150000, 220000},
};

/* Demo places whose minimum wage is encoded for a district (an area of
 * minimum-wage.csv) rather than the whole province. */
static const struct {
	const char *admin1, *place, *area;
} areas[] = {
	{"TH-50", "เชียงใหม่", "Mueang Chiang Mai district"},
	{"TH-90", "หาดใหญ่", "Hat Yai district"},
};

static const char *area_of(const char *admin1, const char *place)
{
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		if (admin1 && place && !strcmp(areas[i].admin1, admin1) &&
		    !strcmp(areas[i].place, place))
			return areas[i].area;
	return "";
}

/* The currency a recruitment cost to Thailand is recorded in: baht, or
 * half the time the currency of the corridor's legal cap (kyat for
 * Myanmar, US dollars for Cambodia), so that both the burden (earnings in
 * baht) and the comparison with the cap have data. */
static const char *cost_currency(const char *origin, uint64_t *x,
				 int64_t *amount)
{
	int cap = next(x) % 2;

	if (cap && !strcmp(origin, "MM")) {
		*amount = between(x, 15, 120) * 1000000; /* 150,000+ kyat */
		return "MMK";
	}
	if (cap && !strcmp(origin, "KH")) {
		*amount = between(x, 30, 700) * 100;
		return "USD";
	}
	*amount = between(x, 60, 250) * 10000;
	return "THB";
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && y % 4 == 0 && (y % 100 || y % 400 == 0) ? 29
								 : d[m - 1];
}

/* The worker's pay for the event's month, when the reference tables have
 * a legal minimum for that place and month: 1 with `w` and its texts
 * filled, 0 to skip the event. */
struct draft {
	struct mrm_wage_record w;
	char start[11], end[11], employer[32];
	int pay;
};

static int draft_wage(const struct mrm_ref *ref, sqlite3_stmt *sel, uint64_t *x,
		      struct draft *d)
{
	const char *cc = (const char *)sqlite3_column_text(sel, 1);
	const char *date = (const char *)sqlite3_column_text(sel, 3);
	const char *admin1 = (const char *)sqlite3_column_text(sel, 2);
	const char *sector = (const char *)sqlite3_column_text(sel, 6);
	struct mrm_wage_calc c;
	int y, m, i, n = (int)(sizeof(pay) / sizeof(pay[0]));
	int64_t amount;

	for (i = 0; i < n && strcmp(pay[i].cc, cc); i++)
		;
	if (i == n || sscanf(date, "%4d-%2d", &y, &m) != 2)
		return 0;
	memset(d, 0, sizeof(*d));
	snprintf(d->start, sizeof(d->start), "%04d-%02d-01", y, m);
	snprintf(d->end, sizeof(d->end), "%04d-%02d-%02d", y, m, days_in(y, m));
	snprintf(d->employer, sizeof(d->employer), "Employer %c%c",
		 (char)('A' + next(x) % 26), (char)('A' + next(x) % 26));
	d->pay = i;
	d->w.days_worked = between(x, 18, 27);
	amount = between(x, pay[i].lo, pay[i].hi);
	if (pay[i].daily)
		amount *= d->w.days_worked;
	amount -= amount % (strcmp(pay[i].currency, "VND") ? 100 : 1000);
	d->w.amount_paid = amount;
	d->w.country = cc;
	d->w.admin1 = admin1 ? admin1 : "";
	d->w.area = area_of(admin1, (const char *)sqlite3_column_text(sel, 7));
	d->w.sector = sector ? sector : "";
	d->w.period_start = d->start;
	d->w.period_end = d->end;
	d->w.currency = pay[i].currency;
	d->w.employer = d->employer;
	return !mrm_wage_compute(ref, &d->w, &c, NULL) && c.min_ok;
}

static int text_or_null(sqlite3_stmt *s, int col, const char *v)
{
	return *v ? sqlite3_bind_text(s, col, v, -1, SQLITE_TRANSIENT)
		  : sqlite3_bind_null(s, col);
}

static int insert_wage(sqlite3_stmt *ins, sqlite3_stmt *sel,
		       const struct draft *d, uint64_t *x)
{
	const struct mrm_wage_record *w = &d->w;
	int rc;

	sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
	sqlite3_bind_value(ins, 2, sqlite3_column_value(sel, 4));
	sqlite3_bind_text(ins, 3, w->employer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 4, w->country, -1, SQLITE_TRANSIENT);
	text_or_null(ins, 5, w->admin1);
	text_or_null(ins, 6, w->area);
	text_or_null(ins, 7, w->sector);
	sqlite3_bind_text(ins, 8, w->period_start, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 9, w->period_end, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 10, w->days_worked);
	sqlite3_bind_int64(ins, 11, w->days_worked * 9);
	sqlite3_bind_int64(ins, 12, w->amount_paid);
	if (next(x) % 3 == 0)
		sqlite3_bind_int64(ins, 13,
				   w->amount_paid / 10 -
					   w->amount_paid % 100 / 10);
	else
		sqlite3_bind_null(ins, 13);
	sqlite3_bind_text(ins, 14, w->currency, -1, SQLITE_STATIC);
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(ins);
	return rc;
}

/* A recruitment cost three months before the work, for about half of
 * the migrants in Thailand. 1 when one was written, 0 when none, -1. */
static int insert_cost(sqlite3_stmt *ins, sqlite3_stmt *sel,
		       const struct draft *d, uint64_t *x)
{
	const char *nat = (const char *)sqlite3_column_text(sel, 5);
	const char *cur;
	char when[24]; /* room for any int, as the compiler counts */
	int y, m, rc;
	int64_t amount;

	if (strcmp(d->w.country, "TH") || !nat || !strcmp(nat, "TH") ||
	    next(x) % 2)
		return 0;
	sscanf(d->start, "%4d-%2d", &y, &m);
	snprintf(when, sizeof(when), "%04d-%02d", m > 3 ? y : y - 1,
		 m > 3 ? m - 3 : m + 9);
	cur = cost_currency(nat, x, &amount);
	sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
	sqlite3_bind_value(ins, 2, sqlite3_column_value(sel, 4));
	sqlite3_bind_text(ins, 3, next(x) % 3 ? "broker" : "agency", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, amount);
	sqlite3_bind_text(ins, 5, cur, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 6, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 7, nat, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 8, "TH", -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 9, next(x) % 2 ? "MOU" : "irregular", -1,
			  SQLITE_STATIC);
	rc = sqlite3_step(ins) == SQLITE_DONE ? 1 : -1;
	sqlite3_reset(ins);
	return rc;
}

int mrm_demo_add_labour(struct mrm_store *st, uint64_t seed,
			unsigned long *wages_out, unsigned long *costs_out,
			struct mrm_error *err)
{
	sqlite3 *db = mrm_store_db(st);
	sqlite3_stmt *sel = NULL, *wage = NULL, *cost = NULL;
	struct mrm_ref *ref = NULL;
	uint64_t x = seed ^ 0x6c61626f7572ULL;
	unsigned long nw = 0, nc = 0;
	int rc = 0, step = SQLITE_DONE;

	if (wages_out)
		*wages_out = 0;
	if (costs_out)
		*costs_out = 0;
	if ((rc = mrm_ref_load(&ref, err)))
		return rc;
	rc = sqlite3_prepare_v2(
		db,
		"SELECT e.id, e.country, e.admin1, e.start_date, a.victim_id,"
		" p.nationality, p.sector, e.place FROM event e"
		" JOIN act a ON a.id = (SELECT min(id) FROM act WHERE"
		"  event_id = e.id AND type IN ('wage_theft',"
		"  'unlawful_deductions', 'forced_labour', 'debt_bondage',"
		"  'recruitment_fee_abuse'))"
		" JOIN person p ON p.id = a.victim_id"
		" WHERE e.summary LIKE 'Synthetic demo record.%'"
		" AND length(e.start_date) >= 7 AND e.country IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM wage_record w"
		"  WHERE w.event_id = e.id) ORDER BY e.id",
		-1, &sel, NULL);
	if (!rc)
		rc = sqlite3_prepare_v2(
			db,
			"INSERT INTO wage_record(event_id, victim_id, employer,"
			" country, admin1, area, sector, period_start,"
			" period_end, days_worked, hours_worked, amount_paid,"
			" deductions, currency)"
			" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			-1, &wage, NULL);
	if (!rc)
		rc = sqlite3_prepare_v2(
			db,
			"INSERT INTO recruitment_cost(event_id, victim_id,"
			" paid_to, amount, currency, date, origin, destination,"
			" channel) VALUES (?,?,?,?,?,?,?,?,?)",
			-1, &cost, NULL);
	if (!rc)
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc) {
		rc = mrm_store_fail(st, err, "demo wage records");
		goto out;
	}
	while (!rc && (step = sqlite3_step(sel)) == SQLITE_ROW) {
		struct draft d;
		int c;

		if (!draft_wage(ref, sel, &x, &d))
			continue;
		if ((rc = insert_wage(wage, sel, &d, &x)))
			break;
		nw++;
		if ((c = insert_cost(cost, sel, &d, &x)) < 0)
			rc = -1;
		nc += c > 0;
	}
	if (!rc && step != SQLITE_DONE)
		rc = -1;
	if (!rc)
		rc = mrm_store_touch(st, err);
	if (rc < 0 && !(err && err->code))
		rc = mrm_store_fail(st, err, "demo wage records");
	sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	if (!rc && wages_out)
		*wages_out = nw;
	if (!rc && costs_out)
		*costs_out = nc;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(wage);
	sqlite3_finalize(cost);
	mrm_ref_free(ref);
	return rc;
}
