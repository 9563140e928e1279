/* test_demo.c - synthetic demo data (src/lib/demo.c), read back as CSV */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrm/csv.h"
#include "mrm/demo.h"
#include "mrm/error.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Vocabularies copied from docs/vocab-contract.md, not from demo.c. */
static const char *const act_types[] = {"deprivation_of_liberty",
					"arrest",
					"detention",
					"expulsion",
					"deportation",
					"push_back",
					"return_reception",
					"extortion",
					"labour_exploitation",
					"wage_theft",
					"unlawful_deductions",
					"recruitment_fee_abuse",
					"debt_bondage",
					"document_confiscation",
					"forced_labour",
					"trafficking",
					"violence",
					"sexual_violence",
					"denial_of_rights",
					"denial_of_health_care",
					"denial_of_education",
					"birth_registration_denied",
					"loss_of_life",
					"death",
					"missing",
					NULL};
static const char *const perp_types[] = {"state_actor",
					 "police",
					 "immigration",
					 "military",
					 "border_guard",
					 "local_authority",
					 "detention_staff",
					 "non_state_actor",
					 "employer",
					 "broker",
					 "recruitment_agency",
					 "armed_group",
					 "trafficker",
					 "other_person",
					 "unknown",
					 NULL};
static const char *const doc_statuses[] = {"undocumented",
					   "pink_card",
					   "certificate_of_identity",
					   "mou_passport",
					   "nv_passport",
					   "border_pass",
					   "work_permit",
					   "registered_refugee",
					   "stateless",
					   "unknown",
					   NULL};
static const char *const sectors[] = {"fishing",
				      "seafood_processing",
				      "agriculture",
				      "construction",
				      "manufacturing",
				      "garments",
				      "domestic_work",
				      "hospitality",
				      "entertainment",
				      "other",
				      NULL};
static const char *const checkpoints[] = {"th-maesot",
					  "th-ranong",
					  "th-maesai",
					  "th-aranyaprathet",
					  "th-hatlek",
					  "th-chongchom",
					  "th-banlaem",
					  "th-nongkhai",
					  "th-mukdahan",
					  "th-chiangkhong",
					  "th-nakhonphanom",
					  "th-chongmek",
					  "th-phunamron",
					  "cn-ruili",
					  "cn-hekou",
					  "cn-mohan",
					  "cn-dongxing",
					  "cn-youyiguan",
					  NULL};
static const char *const facility_types[] = {"immigration_detention_centre",
					     "police_cell",
					     "prison",
					     "shelter",
					     "other",
					     NULL};
static const char *const intervention_types[] = {"legal_aid",
						 "complaint",
						 "complaint_labour_court",
						 "complaint_police",
						 "complaint_nhrc",
						 "complaint_labour_office",
						 "referral",
						 "medical_aid",
						 "shelter",
						 "consular_assistance",
						 "repatriation_support",
						 "psychosocial_support",
						 NULL};
static const char *const source_kinds[] = {"interview", "document",   "media",
					   "official",	"ngo_report", NULL};
static const char *const sexes[] = {"female", "male", "other", "unknown", NULL};
static const char *const units[] = {"individual", "group", NULL};
static const char *const booleans[] = {"true", "false", NULL};

/* The columns of docs/native-csv.md (and the one attribute the demo uses). */
static const char *const columns[] = {"event.key",
				      "event.org",
				      "event.title",
				      "event.summary",
				      "event.narrative",
				      "event.start_date",
				      "event.end_date",
				      "event.country",
				      "event.admin1",
				      "event.district",
				      "event.place",
				      "event.latitude",
				      "event.longitude",
				      "event.status",
				      "event.confidentiality",
				      "attr.raid_size",
				      "act.type",
				      "act.start_date",
				      "act.end_date",
				      "act.country",
				      "act.admin1",
				      "act.place",
				      "act.reason",
				      "act.end_status",
				      "arrest.authority",
				      "arrest.reason_given",
				      "arrest.documents_held",
				      "arrest.money_demanded",
				      "arrest.money_paid",
				      "arrest.currency",
				      "detention.facility_type",
				      "detention.facility_name",
				      "detention.legal_counsel",
				      "detention.consular_access",
				      "detention.conditions",
				      "deportation.route",
				      "deportation.checkpoint",
				      "deportation.formal",
				      "deportation.handed_to",
				      "deportation.cost",
				      "deportation.currency",
				      "return.receiving_org",
				      "return.support",
				      "perpetrator.type",
				      "perpetrator.name",
				      "perpetrator.degree",
				      "victim.key",
				      "victim.unit",
				      "victim.group_size",
				      "victim.name",
				      "victim.other_names",
				      "victim.contact",
				      "victim.health",
				      "victim.sex",
				      "victim.birth_date",
				      "victim.nationality",
				      "victim.ethnicity",
				      "victim.languages",
				      "victim.doc_status",
				      "victim.occupation",
				      "victim.sector",
				      "victim.child",
				      "victim.guardian",
				      "source.kind",
				      "source.name",
				      "source.url",
				      "source.reliability",
				      "source.date",
				      "source.language",
				      "intervention.type",
				      "intervention.org",
				      "intervention.start_date",
				      "intervention.end_date",
				      "intervention.response",
				      "intervention.status",
				      "intervention.compensation",
				      "intervention.currency",
				      NULL};

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* Generate into memory. */
static char *gen(unsigned long events, uint64_t seed, unsigned long *acts,
		 size_t *len)
{
	char *p = NULL;
	FILE *fp = open_memstream(&p, len);
	struct mrm_error err;

	assert_non_null(fp);
	assert_int_equal(
		mrm_demo_write_csv(fp, events, seed, acts, NULL, NULL, &err),
		0);
	assert_int_equal(fclose(fp), 0);
	return p;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && y % 4 == 0 && (y % 100 || y % 400 == 0) ? 29
								 : d[m - 1];
}

/* A valid ISO date; `full` requires YYYY-MM-DD. */
static int valid_date(const char *s, int full)
{
	int y, m, d;
	char tail;
	size_t n = strlen(s);

	if (n == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
		return s[4] == '-' && s[7] == '-' && y >= 1900 && y <= 2100 &&
		       m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
	if (full)
		return 0;
	if (n == 7 && sscanf(s, "%4d-%2d%c", &y, &m, &tail) == 2)
		return y >= 1900 && y <= 2100 && m >= 1 && m <= 12;
	return n == 4 && sscanf(s, "%4d%c", &y, &tail) == 1 && y >= 1900;
}

enum { CO_MMTH, CO_KHTH, CO_LATH, CO_MMCN, CO_VNCN, CO_OTHER, NCO };

struct stats {
	unsigned long rows, acts, events, reused, groups;
	unsigned long corridor[NCO];
};

/* Read `len` bytes of CSV back and check every row. */
static void check(const char *data, size_t len, struct stats *st)
{
	FILE *fp = tmpfile();
	struct mrm_csv_reader *r = NULL;
	struct mrm_error err;
	char last[64] = "", *ci;
	unsigned long *first_event = calloc(1u << 20, sizeof(*first_event));
	size_t n, i, k;
	int c[80];
	enum {
		EKEY,
		EORG,
		ETITLE,
		ESUM,
		ECOUNTRY,
		ATYPE,
		ASTART,
		AEND,
		PTYPE,
		VKEY,
		VUNIT,
		VSIZE,
		VNAT,
		VDOC,
		VSECT,
		VSEX,
		VBIRTH,
		VCHILD,
		CHECK,
		FTYPE,
		FORMAL,
		SKIND,
		ITYPE,
		ESTART,
		RAID,
		NC
	};
	static const char *const want[NC] = {"event.key",
					     "event.org",
					     "event.title",
					     "event.summary",
					     "event.country",
					     "act.type",
					     "act.start_date",
					     "act.end_date",
					     "perpetrator.type",
					     "victim.key",
					     "victim.unit",
					     "victim.group_size",
					     "victim.nationality",
					     "victim.doc_status",
					     "victim.sector",
					     "victim.sex",
					     "victim.birth_date",
					     "victim.child",
					     "deportation.checkpoint",
					     "detention.facility_type",
					     "deportation.formal",
					     "source.kind",
					     "intervention.type",
					     "event.start_date",
					     "attr.raid_size"};

	memset(st, 0, sizeof(*st));
	assert_non_null(fp);
	assert_non_null(first_event);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	rewind(fp);
	assert_int_equal(mrm_csv_reader_new(&r, fp, "demo.csv", NULL, &err), 0);
	assert_int_equal(mrm_csv_next(r, &err), 1);
	n = mrm_csv_nfields(r);
	for (k = 0; k < NC; k++)
		c[k] = -1;
	for (i = 0; i < n; i++) {
		const char *h = mrm_csv_field(r, i, NULL);

		if (!in_list(columns, h))
			fail_msg("column %s is not in docs/native-csv.md", h);
		for (k = 0; k < NC; k++)
			if (!strcmp(h, want[k]))
				c[k] = (int)i;
	}
	for (k = 0; k < NC; k++)
		if (c[k] < 0)
			fail_msg("no column %s", want[k]);

	while (mrm_csv_next(r, &err) == 1) {
#define F(id) mrm_csv_field(r, (size_t)c[id], NULL)
		const char *ekey = F(EKEY), *type = F(ATYPE), *vkey = F(VKEY);

		assert_int_equal(mrm_csv_nfields(r), n);
		st->rows++;
		assert_true(ekey[0] && F(ETITLE)[0]);
		assert_true(in_list(act_types, type));
		st->acts += type[0] != 0;
		assert_true(in_list(doc_statuses, F(VDOC)));
		assert_true(in_list(sectors, F(VSECT)));
		assert_true(in_list(units, F(VUNIT)));
		if (F(PTYPE)[0])
			assert_true(in_list(perp_types, F(PTYPE)));
		if (F(CHECK)[0])
			assert_true(in_list(checkpoints, F(CHECK)));
		if (F(FTYPE)[0])
			assert_true(in_list(facility_types, F(FTYPE)));
		if (F(FORMAL)[0])
			assert_true(in_list(booleans, F(FORMAL)));
		if (F(ITYPE)[0])
			assert_true(in_list(intervention_types, F(ITYPE)));
		if (F(ASTART)[0])
			assert_true(valid_date(F(ASTART), 1));
		if (F(AEND)[0]) {
			assert_true(valid_date(F(AEND), 1));
			assert_true(strcmp(F(ASTART), F(AEND)) <= 0);
		}
		assert_true(atol(F(VSIZE)) >= 1);
		if (!strcmp(F(VUNIT), "individual")) {
			assert_string_equal(F(VSIZE), "1");
			assert_true(in_list(sexes, F(VSEX)));
			assert_true(valid_date(F(VBIRTH), 0));
			assert_true(in_list(booleans, F(VCHILD)));
		}
		if (strcmp(ekey, last)) { /* the first row of an event */
			const char *nat = F(VNAT), *to = F(ECOUNTRY);
			int co = CO_OTHER;

			st->events++;
			snprintf(last, sizeof(last), "%s", ekey);
			assert_memory_equal(F(ESUM), "Synthetic demo record.",
					    22);
			assert_true(valid_date(F(ESTART), 0));
			assert_true(in_list(source_kinds, F(SKIND)));
			assert_non_null(strstr(F(EORG), "MKN-"));
			if (!strcmp(F(VUNIT), "group")) {
				st->groups++;
				assert_string_equal(F(RAID), F(VSIZE));
			}
			if (!strcmp(to, "TH"))
				co = !strcmp(nat, "MM")	  ? CO_MMTH
				     : !strcmp(nat, "KH") ? CO_KHTH
				     : !strcmp(nat, "LA") ? CO_LATH
							  : CO_OTHER;
			else if (!strcmp(to, "CN"))
				co = !strcmp(nat, "MM")	  ? CO_MMCN
				     : !strcmp(nat, "VN") ? CO_VNCN
							  : CO_OTHER;
			st->corridor[co]++;
			if (!strncmp(vkey, "p-", 2)) {
				unsigned long p = strtoul(vkey + 2, &ci, 10);

				assert_true(p < (1u << 20));
				if (!first_event[p])
					first_event[p] = st->events;
				else if (first_event[p] != st->events)
					st->reused++;
			}
		}
#undef F
	}
	assert_int_equal(mrm_csv_next(r, &err), 0);
	mrm_csv_reader_free(r);
	fclose(fp);
	free(first_event);
}

static void test_same_seed(void **state)
{
	unsigned long a1, a2;
	size_t l1, l2;
	char *p1 = gen(500, 42, &a1, &l1), *p2 = gen(500, 42, &a2, &l2);

	(void)state;
	assert_int_equal(a1, a2);
	assert_int_equal(l1, l2);
	assert_memory_equal(p1, p2, l1);
	free(p1);
	free(p2);
}

static void test_other_seed(void **state)
{
	size_t l1, l2;
	char *p1 = gen(200, 1, NULL, &l1), *p2 = gen(200, 2, NULL, &l2);

	(void)state;
	assert_true(l1 != l2 || memcmp(p1, p2, l1));
	free(p1);
	free(p2);
}

static void test_content(void **state)
{
	struct stats st;
	unsigned long acts;
	size_t len;
	char *p = gen(3000, 7, &acts, &len);

	(void)state;
	check(p, len, &st);
	assert_int_equal(st.events, 3000);
	assert_int_equal(st.acts, acts);
	assert_true(acts > 2 * 3000 && acts < 4 * 3000);
	for (int i = CO_KHTH; i < NCO; i++)
		assert_true(st.corridor[CO_MMTH] > st.corridor[i]);
	assert_true(st.corridor[CO_MMTH] > 3000 / 2 - 200);
	assert_true(st.reused > 20);
	assert_true(st.groups > 300 && st.groups < 900);
	free(p);
}

static unsigned long progress_last;

static void progress(void *ctx, unsigned long done)
{
	assert_ptr_equal(ctx, &progress_last);
	progress_last = done;
}

static void test_progress_and_args(void **state)
{
	struct mrm_error err;
	unsigned long acts = 99;
	size_t count = 0, len;
	const struct mrm_demo_org *o = mrm_demo_orgs(&count);
	char *p = NULL;
	FILE *fp = open_memstream(&p, &len);

	(void)state;
	assert_int_equal(count, 6);
	assert_string_equal(o[0].code, "MKN-TH");
	assert_ptr_equal(mrm_demo_orgs(NULL), o);
	assert_int_equal(
		mrm_demo_write_csv(NULL, 1, 1, &acts, NULL, NULL, &err),
		MRM_ERR_INVALID);
	assert_int_equal(acts, 0);
	assert_int_equal(mrm_demo_write_csv(fp, 5000, 3, NULL, progress,
					    &progress_last, NULL),
			 0);
	assert_int_equal(progress_last, 5000);
	fclose(fp);
	free(p);
	/* zero events: the header only */
	p = gen(0, 1, &acts, &len);
	assert_int_equal(acts, 0);
	assert_non_null(memchr(p, '\n', len));
	assert_ptr_equal(memchr(p, '\n', len), p + len - 1);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed),
		cmocka_unit_test(test_other_seed),
		cmocka_unit_test(test_content),
		cmocka_unit_test(test_progress_and_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
