/* test_vocab.c - the shipped vocabularies, as loaded into a database */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "mrm/vocab.h"

/* db, setup() and teardown() */
TDB_GROUP_FIXTURE

static const char *const schemes[] = {"act_type",    "perpetrator_type",
				      "doc_status",  "sector",
				      "sex",	     "intervention_type",
				      "source_kind", "facility_type",
				      "country",     "admin1",
				      "checkpoint",  NULL};

static void test_every_term_has_en_th_my_labels(void **state)
{
	const struct mrm_vocab *v = mrm_store_vocab(db.st);

	(void)state;
	for (int s = 0; schemes[s]; s++) {
		size_t n;
		const struct mrm_term *t = mrm_vocab_terms(v, schemes[s], &n);

		assert_non_null(t);
		for (size_t i = 0; i < n; i++) {
			for (int l = 0; l < 3; l++)
				if (!*t[i].label[l])
					fail_msg("%s %s: no %s label",
						 schemes[s], t[i].code,
						 mrm_vocab_langs[l]);
			if (*t[i].parent)
				assert_non_null(mrm_vocab_term(v, schemes[s],
							       t[i].parent));
		}
	}
}

static void test_required_terms_exist(void **state)
{
	static const char *const acts[] = {"arrest",
					   "detention",
					   "deportation",
					   "return_reception",
					   "push_back",
					   "extortion",
					   "wage_theft",
					   "unlawful_deductions",
					   "recruitment_fee_abuse",
					   "debt_bondage",
					   "document_confiscation",
					   "forced_labour",
					   "trafficking",
					   "violence",
					   "sexual_violence",
					   "denial_of_health_care",
					   "denial_of_education",
					   "birth_registration_denied",
					   "death",
					   "missing",
					   NULL};
	static const char *const docs[] = {"undocumented",
					   "pink_card",
					   "certificate_of_identity",
					   "mou_passport",
					   "nv_passport",
					   "border_pass",
					   "work_permit",
					   "registered_refugee",
					   "stateless",
					   NULL};
	const struct mrm_vocab *v = mrm_store_vocab(db.st);

	(void)state;
	for (int i = 0; acts[i]; i++)
		assert_non_null(mrm_vocab_term(v, "act_type", acts[i]));
	for (int i = 0; docs[i]; i++)
		assert_non_null(mrm_vocab_term(v, "doc_status", docs[i]));
	assert_non_null(mrm_vocab_term(v, "checkpoint", "th-maesot"));
	assert_non_null(mrm_vocab_term(v, "admin1", "TH-63"));
	assert_non_null(mrm_vocab_term(v, "admin1", "CN-YN-DH"));
	assert_non_null(mrm_vocab_term(v, "country", "MM"));
}

static size_t count_prefix(const char *scheme, const char *prefix)
{
	size_t n, k = 0;
	const struct mrm_term *t =
		mrm_vocab_terms(mrm_store_vocab(db.st), scheme, &n);

	for (size_t i = 0; i < n; i++)
		k += !strncmp(t[i].code, prefix, strlen(prefix));
	return k;
}

static void test_gms_divisions_are_complete(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(count_prefix("admin1", "TH-"), 77);
	assert_int_equal(count_prefix("admin1", "MM-"), 15);
	assert_int_equal(count_prefix("admin1", "KH-"), 25);
	assert_int_equal(count_prefix("admin1", "LA-"), 18);
	assert_int_equal(count_prefix("admin1", "VN-"), 63);
	assert_int_equal(count_prefix("admin1", "CN-YN-"), 16);
	assert_int_equal(count_prefix("admin1", "CN-GX-"), 14);
	mrm_vocab_terms(mrm_store_vocab(db.st), "country", &n);
	assert_int_equal(n, 249);
}

static void test_hierarchy_and_labels(void **state)
{
	const struct mrm_vocab *v = mrm_store_vocab(db.st);
	const struct mrm_term *t = mrm_vocab_term(v, "act_type", "arrest");
	char near[128];

	(void)state;
	assert_string_equal(t->parent, "deprivation_of_liberty");
	assert_string_equal(mrm_vocab_label(v, "country", "TH", "th"), "ไทย");
	assert_string_equal(mrm_vocab_label(v, "country", "TH", "xx"),
			    "Thailand");
	assert_string_equal(mrm_vocab_label(v, "country", "ZZ", "en"), "ZZ");
	assert_string_equal(mrm_vocab_resolve(v, "act_type", "Arrest"),
			    "arrest");
	assert_null(mrm_vocab_resolve(v, "act_type", "arrested"));
	assert_null(mrm_vocab_resolve(v, "no_such_scheme", "arrest"));
	mrm_vocab_suggest(v, "act_type", "detension", near, sizeof(near));
	assert_int_equal(strncmp(near, "detention", 9), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_term_has_en_th_my_labels),
		cmocka_unit_test(test_required_terms_exist),
		cmocka_unit_test(test_gms_divisions_are_complete),
		cmocka_unit_test(test_hierarchy_and_labels),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
