/* import_audit.c - the audit entries of an import (import_internal.h) */
#include "import_internal.h"
#include "mrm/audit.h"
#include "mrm/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>

/*
 * The rows an import adds, table by table: the ids it gives grow from
 * where they stood when it began, and the rows below an event or an act
 * belong to events and acts it added (it leaves existing events alone).
 * `per_record` tables get an entry per row.
 */
enum { FROM_EVENT, FROM_ACT, FROM_PERSON };

static const struct {
	const char *table, *sql;
	int from, per_record;
} added[] = {
	{"event", "SELECT * FROM event WHERE id >= ? ORDER BY id", FROM_EVENT,
	 1},
	{"person", "SELECT * FROM person WHERE id >= ? ORDER BY id",
	 FROM_PERSON, 1},
	{"event_attr",
	 "SELECT * FROM event_attr WHERE event_id >= ? ORDER BY event_id, "
	 "name, value",
	 FROM_EVENT, 0},
	{"act", "SELECT * FROM act WHERE id >= ? ORDER BY id", FROM_ACT, 0},
	{"act_arrest",
	 "SELECT * FROM act_arrest WHERE act_id >= ? ORDER BY act_id", FROM_ACT,
	 0},
	{"act_detention",
	 "SELECT * FROM act_detention WHERE act_id >= ? ORDER BY act_id",
	 FROM_ACT, 0},
	{"act_deportation",
	 "SELECT * FROM act_deportation WHERE act_id >= ? ORDER BY act_id",
	 FROM_ACT, 0},
	{"act_return",
	 "SELECT * FROM act_return WHERE act_id >= ? ORDER BY act_id", FROM_ACT,
	 0},
	{"involvement",
	 "SELECT * FROM involvement WHERE act_id >= ? ORDER BY id", FROM_ACT,
	 0},
	{"source", "SELECT * FROM source WHERE event_id >= ? ORDER BY id",
	 FROM_EVENT, 0},
	{"intervention",
	 "SELECT * FROM intervention WHERE event_id >= ? ORDER BY id",
	 FROM_EVENT, 0},
	/* the labour records of a JSON import (labour.c) */
	{"wage_record",
	 "SELECT * FROM wage_record WHERE event_id >= ? ORDER BY id",
	 FROM_EVENT, 0},
	{"recruitment_cost",
	 "SELECT * FROM recruitment_cost WHERE event_id >= ? ORDER BY id",
	 FROM_EVENT, 0},
};

#define NADDED (sizeof(added) / sizeof(added[0]))

static int64_t first_of(const struct importer *im, int from)
{
	return from == FROM_EVENT ? im->first_event
	       : from == FROM_ACT ? im->first_act
				  : im->first_person;
}

/* What table_rows() passes to each row. */
struct walk {
	struct importer *im;
	crypto_generichash_state *batch;
	struct mrm_audit_chain *chain;
	struct mrm_audit_entry e;
	int per_record;
	int64_t count;
	struct mrm_error *err;
};

static int one_row(void *ctx, int64_t id,
		   const unsigned char hash[MRM_AUDIT_HASH])
{
	struct walk *w = ctx;

	crypto_generichash_update(w->batch, hash, MRM_AUDIT_HASH);
	w->count++;
	if (!w->per_record)
		return 0;
	w->e.record = id;
	w->e.new_hash = hash;
	return mrm_audit_chain_append(w->im->st, w->chain, &w->e, w->err);
}

/* Hash the added rows of added[t] into `batch`; append an entry for each
 * when the table has them. */
static int table_rows(struct importer *im, size_t t, const char *name,
		      crypto_generichash_state *batch,
		      struct mrm_audit_chain *chain, int64_t *count,
		      struct mrm_error *err)
{
	struct walk w = {.im = im,
			 .batch = batch,
			 .chain = chain,
			 .e = {.action = "create",
			       .table = added[t].table,
			       .detail = name},
			 .per_record = added[t].per_record,
			 .err = err};
	sqlite3_stmt *s = NULL;
	int rc;

	*count = 0;
	if (sqlite3_prepare_v2(im->db, added[t].sql, -1, &s, NULL))
		return mrm_store_fail(im->st, err, "audit of the import");
	sqlite3_bind_int64(s, 1, first_of(im, added[t].from));
	rc = mrm_audit_each_row(im->st, s, one_row, &w, err);
	*count = w.count;
	sqlite3_finalize(s);
	return rc;
}

int importer_audit(struct importer *im, const char *name, struct mrm_error *err)
{
	unsigned char sum[MRM_AUDIT_HASH];
	struct mrm_audit_entry e = {.action = "import", .new_hash = sum};
	struct mrm_buf detail = MRM_BUF_INIT(4096);
	crypto_generichash_state batch;
	sqlite3_mutex *m = sqlite3_db_mutex(im->db);
	struct mrm_audit_chain chain;
	int64_t n;
	int rc = mrm_audit_chain_load(im->st, &chain, err);

	/* hold the connection's mutex (recursive), so that the many calls
	 * below need not each take it */
	sqlite3_mutex_enter(m);
	crypto_generichash_init(&batch, NULL, 0, MRM_AUDIT_HASH);
	mrm_buf_addf(&detail, "%.200s:", name ? name : "");
	for (size_t t = 0; !rc && t < NADDED; t++) {
		rc = table_rows(im, t, name, &batch, &chain, &n, err);
		if (n)
			mrm_buf_addf(&detail, " %lld %s", (long long)n,
				     added[t].table);
	}
	crypto_generichash_final(&batch, sum, sizeof(sum));
	e.detail = mrm_buf_str(&detail);
	if (!rc)
		rc = mrm_audit_chain_append(im->st, &chain, &e, err);
	sqlite3_mutex_leave(m);
	mrm_buf_release(&detail);
	return rc;
}
