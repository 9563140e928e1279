/* demo_labour.c - synthetic wage records and recruitment costs for the
 * demonstration data (see mrm_demo_add_labour() in include/mrm/demo.h) */
#include "mrm/demo.h"

#include "mrm/audit.h"
#include "mrm/store.h"

#include <sodium.h>
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

/* What a worker is plausibly paid, per day or per month, in minor units:
 * often under the legal minimum of docs/reference.md. */
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
	{"MY", "MYR", 0, 90000, 150000},
};

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && y % 4 == 0 && (y % 100 || y % 400 == 0) ? 29
								 : d[m - 1];
}

/* The largest id of `table` (0 when empty), or -1 on a failure. */
static int64_t max_id(sqlite3 *db, const char *table)
{
	char sql[96];
	sqlite3_stmt *s = NULL;
	int64_t id = -1;

	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM %s",
		 table);
	if (!sqlite3_prepare_v2(db, sql, -1, &s, NULL) &&
	    sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return id;
}

/* The audit entry of the rows added after ids `w` and `c`: one "import"
 * entry whose hash covers them all, as an import's. */
static int audit_added(struct mrm_store *st, int64_t w, int64_t c,
		       unsigned long nw, unsigned long nc,
		       struct mrm_error *err)
{
	unsigned char h[2][MRM_AUDIT_HASH], sum[MRM_AUDIT_HASH];
	char detail[128];
	int rc = mrm_audit_hash_query(
		st, "SELECT * FROM wage_record WHERE id > ? ORDER BY id", w,
		h[0], NULL, err);

	if (!rc)
		rc = mrm_audit_hash_query(st,
					  "SELECT * FROM recruitment_cost "
					  "WHERE id > ? ORDER BY id",
					  c, h[1], NULL, err);
	if (rc)
		return rc;
	crypto_generichash(sum, sizeof(sum), h[0], sizeof(h), NULL, 0);
	snprintf(detail, sizeof(detail),
		 "demo labour data: %lu wage_record %lu recruitment_cost", nw,
		 nc);
	return mrm_audit_append(st,
				&(struct mrm_audit_entry){.action = "import",
							  .detail = detail,
							  .new_hash = sum},
				err);
}

int mrm_demo_add_labour(struct mrm_store *st, uint64_t seed,
			unsigned long *wages_out, unsigned long *costs_out,
			struct mrm_error *err)
{
	sqlite3 *db = mrm_store_db(st);
	sqlite3_stmt *sel = NULL, *wage = NULL, *cost = NULL;
	uint64_t x = seed ^ 0x6c61626f7572ULL;
	unsigned long nw = 0, nc = 0;
	int64_t first_w = -1, first_c = -1;
	int rc = 0, step;

	rc = sqlite3_prepare_v2(
		db,
		"SELECT e.id, e.country, e.admin1, e.start_date, a.victim_id,"
		" p.nationality, p.sector FROM event e"
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
			" country, admin1, sector, period_start, period_end,"
			" days_worked, hours_worked, amount_paid, deductions,"
			" currency) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
	if (!rc) {
		first_w = max_id(db, "wage_record");
		first_c = max_id(db, "recruitment_cost");
		rc = first_w < 0 || first_c < 0;
	}
	if (rc) {
		rc = mrm_store_fail(st, err, "demo wage records");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	while (!rc && (step = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *cc = (const char *)sqlite3_column_text(sel, 1);
		const char *date = (const char *)sqlite3_column_text(sel, 3);
		const char *nat = (const char *)sqlite3_column_text(sel, 5);
		char start[11], end[11], employer[32], when[24];
		int y, m, days, i;
		int64_t amount;

		for (i = 0; i < (int)(sizeof(pay) / sizeof(pay[0])); i++)
			if (!strcmp(pay[i].cc, cc))
				break;
		if (i == (int)(sizeof(pay) / sizeof(pay[0])) ||
		    sscanf(date, "%4d-%2d", &y, &m) != 2)
			continue;
		snprintf(start, sizeof(start), "%04d-%02d-01", y, m);
		snprintf(end, sizeof(end), "%04d-%02d-%02d", y, m,
			 days_in(y, m));
		snprintf(employer, sizeof(employer), "Employer %c%c",
			 (char)('A' + next(&x) % 26),
			 (char)('A' + next(&x) % 26));
		days = (int)between(&x, 18, 27);
		amount = between(&x, pay[i].lo, pay[i].hi);
		if (pay[i].daily)
			amount *= days;
		if (!strcmp(pay[i].currency, "VND"))
			amount -= amount % 1000;
		else
			amount -= amount % 100;
		sqlite3_bind_int64(wage, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_value(wage, 2, sqlite3_column_value(sel, 4));
		sqlite3_bind_text(wage, 3, employer, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(wage, 4, cc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_value(wage, 5, sqlite3_column_value(sel, 2));
		sqlite3_bind_value(wage, 6, sqlite3_column_value(sel, 6));
		sqlite3_bind_text(wage, 7, start, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(wage, 8, end, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(wage, 9, days);
		sqlite3_bind_int(wage, 10, days * 9);
		sqlite3_bind_int64(wage, 11, amount);
		if (next(&x) % 3 == 0)
			sqlite3_bind_int64(wage, 12,
					   amount / 10 - amount % 100 / 10);
		else
			sqlite3_bind_null(wage, 12);
		sqlite3_bind_text(wage, 13, pay[i].currency, -1, SQLITE_STATIC);
		rc = sqlite3_step(wage) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(wage);
		nw += !rc;
		/* a recruitment cost for cross-border workers in Thailand */
		if (rc || strcmp(cc, "TH") || !nat || !strcmp(nat, "TH") ||
		    next(&x) % 2)
			continue;
		snprintf(when, sizeof(when), "%04d-%02d", m > 3 ? y : y - 1,
			 m > 3 ? m - 3 : m + 9);
		sqlite3_bind_int64(cost, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_value(cost, 2, sqlite3_column_value(sel, 4));
		sqlite3_bind_text(cost, 3, next(&x) % 3 ? "broker" : "agency",
				  -1, SQLITE_STATIC);
		sqlite3_bind_int64(cost, 4, between(&x, 60, 250) * 10000);
		sqlite3_bind_text(cost, 5, "THB", -1, SQLITE_STATIC);
		sqlite3_bind_text(cost, 6, when, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(cost, 7, nat, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(cost, 8, "TH", -1, SQLITE_STATIC);
		sqlite3_bind_text(cost, 9, next(&x) % 2 ? "MOU" : "irregular",
				  -1, SQLITE_STATIC);
		rc = sqlite3_step(cost) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(cost);
		nc += !rc;
	}
	if (!rc && step != SQLITE_DONE)
		rc = -1;
	if (!rc && (nw || nc))
		rc = audit_added(st, first_w, first_c, nw, nc, err);
	if (!rc)
		rc = mrm_store_touch(st, err);
	if (rc < 0 && !(err && err->code))
		rc = mrm_store_fail(st, err, "demo wage records");
	sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	if (wages_out)
		*wages_out = nw;
	if (costs_out)
		*costs_out = nc;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(wage);
	sqlite3_finalize(cost);
	return rc;
}
