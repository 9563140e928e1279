/*
 * test_record.c - one input row taken apart (src/lib/record.c): values
 * that do not fit are located errors with a message, the arena does not
 * keep a huge row's storage, money reads its currency safely.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "record.h"

/* db, setup() and teardown() */
TDB_GROUP_FIXTURE

/* An error struct that still holds garbage, as a caller's would. */
static void dirty(struct mrm_error *err)
{
	memset(err, 'x', sizeof(*err));
	err->where[sizeof(err->where) - 1] = '\0';
	err->msg[sizeof(err->msg) - 1] = '\0';
}

/* A value over the arena's room is MRM_ERR_LIMIT with a message saying
 * so, and the part is left without the field. */
static void test_put_over_the_limit_says_so(void **state)
{
	struct rec_row r;
	struct rec_part *p;
	struct mrm_error err;
	int title = mrm_field_index("event.title");
	int rc;

	(void)state;
	rec_row_init(&r);
	r.arena.max = 16;
	p = &r.event;
	dirty(&err);
	rc = rec_put(&r, p, title, "a title longer than sixteen bytes",
		     mrm_store_vocab(db.st), &err);
	assert_int_equal(rc, MRM_ERR_LIMIT);
	assert_int_equal(err.code, MRM_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "value longer than"));
	assert_null(rec_get(&r, p, title));
	/* exactly filling the room but for the NUL fails the same way */
	dirty(&err);
	rc = rec_put(&r, p, title, "sixteen bytes ok", mrm_store_vocab(db.st),
		     &err);
	assert_int_equal(rc, MRM_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "value longer than"));
	assert_int_equal(r.arena.len, 0);
	rec_row_release(&r);
}

/* A reset row keeps its storage for the next, but not a huge one: rows
 * wait in a ring, and each slot would keep it. */
static void test_reset_frees_a_huge_arena(void **state)
{
	size_t big = (size_t)3 << 20;
	char *text = malloc(big + 1);
	struct rec_row r;
	int title = mrm_field_index("event.title");

	(void)state;
	assert_non_null(text);
	memset(text, 'y', big);
	text[big] = '\0';
	rec_row_init(&r);
	assert_int_equal(rec_set(&r, &r.event, title, "small"), 0);
	rec_row_reset(&r);
	assert_non_null(r.arena.ptr); /* a small one is kept */
	assert_int_equal(rec_set(&r, &r.event, title, text), 0);
	rec_row_reset(&r);
	assert_true(r.arena.cap <= (size_t)1 << 20);
	assert_null(rec_get(&r, &r.event, title));
	assert_int_equal(rec_set(&r, &r.event, title, "again"), 0);
	assert_string_equal(rec_get(&r, &r.event, title), "again");
	rec_row_release(&r);
	free(text);
}

/* Money reads the part's currency while it appends to the arena that
 * holds it. */
static void test_money_with_currency_in_a_growing_arena(void **state)
{
	struct rec_row r;
	struct rec_part part;
	struct mrm_error err;
	int cur = mrm_field_index("deportation.currency");
	int cost = mrm_field_index("deportation.cost");

	(void)state;
	for (int i = 0; i < 20; i++) {
		rec_row_init(&r);
		memset(&part, 0, sizeof(part));
		assert_int_equal(rec_put(&r, &part, cur, "thb",
					 mrm_store_vocab(db.st), &err),
				 0);
		/* fill the arena to its allocation, so the amount moves it */
		while (r.arena.len + 2 < r.arena.cap)
			assert_int_equal(mrm_buf_addc(&r.arena, 'z'), 0);
		assert_int_equal(rec_put(&r, &part, cost, "1,500.5",
					 mrm_store_vocab(db.st), &err),
				 0);
		assert_string_equal(rec_get(&r, &part, cost), "150050");
		assert_string_equal(rec_get(&r, &part, cur), "THB");
		rec_row_release(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_over_the_limit_says_so),
		cmocka_unit_test(test_reset_frees_a_huge_arena),
		cmocka_unit_test(test_money_with_currency_in_a_growing_arena),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
