/* test_buf.c - growable buffers with a cap; the string hash map */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mrm/buf.h"
#include "mrm/error.h"
#include "mrm/hmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_buf_grows_and_terminates(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(1 << 20);

	(void)state;
	assert_string_equal(mrm_buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(mrm_buf_addf(&b, "%d,", i), 0);
	assert_int_equal(strncmp(b.ptr, "0,1,2,", 6), 0);
	assert_int_equal(b.len, strlen(b.ptr));
	mrm_buf_release(&b);
	assert_null(b.ptr);
}

static void test_buf_cap_is_an_error_not_growth(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(8);
	char *where;

	(void)state;
	assert_int_equal(mrm_buf_adds(&b, "12345678"), 0);
	assert_int_equal(mrm_buf_addc(&b, 'x'), MRM_ERR_LIMIT);
	assert_int_equal(mrm_buf_adds(&b, "9"), MRM_ERR_LIMIT);
	assert_int_equal(mrm_buf_addf(&b, "%d", 9), MRM_ERR_LIMIT);
	assert_int_equal(mrm_buf_extend(&b, 1, &where), MRM_ERR_LIMIT);
	assert_string_equal(b.ptr, "12345678"); /* unchanged on error */
	mrm_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(mrm_buf_addc(&b, 'a'), 0);
	assert_string_equal(mrm_buf_str(&b), "a");
	mrm_buf_release(&b);
}

static void test_buf_detach_hands_over(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(64);
	char *s;

	(void)state;
	s = mrm_buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	mrm_buf_adds(&b, "ไทย");
	s = mrm_buf_detach(&b);
	assert_string_equal(s, "ไทย");
	assert_null(b.ptr);
	free(s);
}

static void test_error_prefix_and_format(void **state)
{
	struct mrm_error e;
	char out[64];

	(void)state;
	mrm_error_set(&e, MRM_ERR_INVALID, "f.csv:3:2", "bad date \"%s\"", "x");
	mrm_error_prefix(&e, "column \"%s\"", "Date");
	mrm_error_format(&e, out, sizeof(out));
	assert_string_equal(out, "f.csv:3:2: column \"Date\": bad date \"x\"");
	assert_string_equal(mrm_code_name(MRM_ERR_CRYPTO), "crypto");
	/* a very long context is cut, never overflowed */
	memset(out, 'a', sizeof(out) - 1);
	out[sizeof(out) - 1] = '\0';
	for (int i = 0; i < 40; i++)
		mrm_error_prefix(&e, "%s", out);
	assert_true(strlen(e.msg) < sizeof(e.msg));
}

static void test_hmap_put_get_many(void **state)
{
	struct mrm_hmap m;
	char key[32];
	int64_t v;

	(void)state;
	mrm_hmap_init(&m);
	assert_false(mrm_hmap_get(&m, "x", &v));
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(mrm_hmap_put(&m, key, i * 3), 0);
	}
	assert_int_equal(m.count, 20000);
	for (int i = 0; i < 20000; i += 7) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(mrm_hmap_get(&m, key, &v));
		assert_int_equal(v, i * 3);
	}
	assert_int_equal(mrm_hmap_put(&m, "k5", -1), 0);
	assert_true(mrm_hmap_get(&m, "k5", &v));
	assert_int_equal(v, -1);
	assert_int_equal(m.count, 20000);
	assert_false(mrm_hmap_get(&m, "k20000", NULL));
	mrm_hmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_terminates),
		cmocka_unit_test(test_buf_cap_is_an_error_not_growth),
		cmocka_unit_test(test_buf_detach_hands_over),
		cmocka_unit_test(test_error_prefix_and_format),
		cmocka_unit_test(test_hmap_put_get_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
