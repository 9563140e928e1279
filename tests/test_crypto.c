/* test_crypto.c - field sealing, key files, password hashes */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mrm/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct mrm_key key;

static int has_bytes(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

static int setup(void **state)
{
	struct mrm_error err;
	char path[] = "/tmp/mrm-key-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	if (mrm_key_create(path, &key, &err))
		return -1;
	unlink(path);
	return 0;
}

static void test_seal_round_trip(void **state)
{
	const char *name = "မောင်ကျော်ဇင်";
	struct mrm_buf sealed = MRM_BUF_INIT(1024), plain = MRM_BUF_INIT(1024);
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_seal(&key, "person/7/name", name, strlen(name),
				  &sealed, &err),
			 0);
	assert_int_equal(sealed.len, strlen(name) + MRM_SEAL_OVERHEAD);
	assert_false(has_bytes(sealed.ptr, sealed.len, name));
	assert_int_equal(mrm_unseal(&key, "person/7/name", sealed.ptr,
				    sealed.len, &plain, &err),
			 0);
	assert_string_equal(plain.ptr, name);
	mrm_buf_release(&sealed);
	mrm_buf_release(&plain);
}

static void test_unseal_refuses_moved_altered_or_foreign(void **state)
{
	struct mrm_buf sealed = MRM_BUF_INIT(1024), plain = MRM_BUF_INIT(1024);
	struct mrm_key other = key;
	struct mrm_error err;

	(void)state;
	mrm_seal(&key, "person/7/name", "Somchai", 7, &sealed, &err);
	/* another record or field */
	assert_int_equal(mrm_unseal(&key, "person/8/name", sealed.ptr,
				    sealed.len, &plain, &err),
			 MRM_ERR_CRYPTO);
	assert_int_equal(mrm_unseal(&key, "person/7/contact", sealed.ptr,
				    sealed.len, &plain, &err),
			 MRM_ERR_CRYPTO);
	assert_int_equal(plain.len, 0);
	/* another key */
	other.bytes[0] ^= 1;
	assert_int_equal(mrm_unseal(&other, "person/7/name", sealed.ptr,
				    sealed.len, &plain, &err),
			 MRM_ERR_CRYPTO);
	/* one flipped bit */
	sealed.ptr[30] ^= 4;
	assert_int_equal(mrm_unseal(&key, "person/7/name", sealed.ptr,
				    sealed.len, &plain, &err),
			 MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "cannot decrypt"));
	/* too short to be sealed */
	assert_int_equal(mrm_unseal(&key, "x", "abc", 3, &plain, &err),
			 MRM_ERR_CRYPTO);
	mrm_buf_release(&sealed);
	mrm_buf_release(&plain);
}

static void test_key_file_rules(void **state)
{
	char dir[] = "/tmp/mrm-keys-XXXXXX", path[128];
	struct mrm_key a, b;
	struct mrm_error err;
	struct stat sb;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k", dir);
	assert_int_equal(mrm_key_create(path, &a, &err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* never overwritten */
	assert_int_equal(mrm_key_create(path, &b, &err), MRM_ERR_EXISTS);
	assert_int_equal(mrm_key_load(path, &b, &err), 0);
	assert_memory_equal(a.bytes, b.bytes, MRM_KEY_BYTES);
	/* readable by others: refused, with the fix in the message */
	chmod(path, 0644);
	assert_int_equal(mrm_key_load(path, &b, &err), MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "chmod 600"));
	/* not a key */
	unlink(path);
	fp = fopen(path, "w");
	fputs("hello\n", fp);
	fclose(fp);
	chmod(path, 0600);
	assert_int_equal(mrm_key_load(path, &b, &err), MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "not an mrm key file"));
	unlink(path);
	/* missing */
	assert_int_equal(mrm_key_load(path, &b, &err), MRM_ERR_CRYPTO);
	assert_non_null(strstr(err.msg, "mrm init"));
	rmdir(dir);
}

static void test_password_hash(void **state)
{
	char hash[MRM_PWHASH_BYTES];
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_password_hash("correct horse", hash, &err), 0);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_true(mrm_password_verify(hash, "correct horse"));
	assert_false(mrm_password_verify(hash, "correct horsE"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_round_trip),
		cmocka_unit_test(test_unseal_refuses_moved_altered_or_foreign),
		cmocka_unit_test(test_key_file_rules),
		cmocka_unit_test(test_password_hash),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
