/*
 * test_totp.c - SHA-1, HMAC-SHA1, HOTP and TOTP against the published
 * vectors (FIPS 180 examples, RFC 2202, RFC 4226 appendix D, RFC 6238
 * appendix B), base32 and the otpauth:// URI (src/lib/totp.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mrm/totp.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RFC_KEY "12345678901234567890"

static void hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void test_sha1(void **state)
{
	unsigned char d[MRM_SHA1_BYTES];
	char h[41];

	(void)state;
	mrm_sha1("", 0, d);
	hex(d, 20, h);
	assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	mrm_sha1("abc", 3, d);
	hex(d, 20, h);
	assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	mrm_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		 d);
	hex(d, 20, h);
	assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	/* a million 'a': many blocks */
	{
		unsigned char *big = malloc(1000000);

		assert_non_null(big);
		memset(big, 'a', 1000000);
		mrm_sha1(big, 1000000, d);
		free(big);
	}
	hex(d, 20, h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void test_hmac_sha1(void **state)
{
	unsigned char key[80], d[MRM_SHA1_BYTES];
	char h[41];
	const char *big = "Test Using Larger Than Block-Size Key - Hash Key "
			  "First";

	(void)state;
	memset(key, 0x0b, 20);
	mrm_hmac_sha1(key, 20, "Hi There", 8, d);
	hex(d, 20, h);
	assert_string_equal(h, "b617318655057264e28bc0b6fb378c8ef146be00");
	mrm_hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, d);
	hex(d, 20, h);
	assert_string_equal(h, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(key, 0xaa, 80);
	mrm_hmac_sha1(key, 80, big, strlen(big), d);
	hex(d, 20, h);
	assert_string_equal(h, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

/* RFC 4226 appendix D */
static void test_hotp_vectors(void **state)
{
	static const uint32_t want[] = {755224, 287082, 359152, 969429, 338314,
					254676, 287922, 162583, 399871, 520489};

	(void)state;
	for (uint64_t c = 0; c < 10; c++)
		assert_int_equal(
			mrm_hotp((const unsigned char *)RFC_KEY, 20, c, 6),
			want[c]);
}

/* RFC 6238 appendix B, the SHA1 rows (8 digits) */
static void test_totp_vectors(void **state)
{
	static const struct {
		int64_t t;
		uint32_t code;
	} v[] = {{59, 94287082},	 {1111111109, 7081804},
		 {1111111111, 14050471}, {1234567890, 89005924},
		 {2000000000, 69279037}, {20000000000, 65353130}};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(mrm_hotp((const unsigned char *)RFC_KEY, 20,
					  (uint64_t)mrm_totp_step(v[i].t), 8),
				 v[i].code);
}

static void code_at(int64_t t, char out[8])
{
	snprintf(out, 8, "%06u",
		 (unsigned)mrm_hotp((const unsigned char *)RFC_KEY, 20,
				    (uint64_t)mrm_totp_step(t), 6));
}

static void test_totp_check(void **state)
{
	const unsigned char *k = (const unsigned char *)RFC_KEY;
	int64_t now = 1111111111, step = 0, at = mrm_totp_step(now);
	char code[8];

	(void)state;
	code_at(now, code);
	assert_int_equal(mrm_totp_check(k, 20, code, now, 0, &step), 1);
	assert_int_equal(step, at);
	/* a code used in its step is not good again: replay */
	assert_int_equal(mrm_totp_check(k, 20, code, now, step, &step), 0);
	/* one step either side is accepted (clock drift), two are not */
	code_at(now - 30, code);
	assert_int_equal(mrm_totp_check(k, 20, code, now, 0, &step), 1);
	assert_int_equal(step, at - 1);
	code_at(now + 30, code);
	assert_int_equal(mrm_totp_check(k, 20, code, now, 0, &step), 1);
	assert_int_equal(step, at + 1);
	code_at(now - 60, code);
	assert_int_equal(mrm_totp_check(k, 20, code, now, 0, &step), 0);
	code_at(now + 60, code);
	assert_int_equal(mrm_totp_check(k, 20, code, now, 0, &step), 0);
	/* malformed codes */
	assert_int_equal(mrm_totp_check(k, 20, "12345", now, 0, &step), 0);
	assert_int_equal(mrm_totp_check(k, 20, "1234567", now, 0, &step), 0);
	assert_int_equal(mrm_totp_check(k, 20, "12a456", now, 0, &step), 0);
	assert_int_equal(mrm_totp_check(k, 20, NULL, now, 0, &step), 0);
	assert_int_equal(mrm_totp_check(k, 20, "", now, 0, &step), 0);
}

static void test_base32(void **state)
{
	unsigned char back[64];
	char text[64];

	(void)state;
	assert_int_equal(mrm_base32_encode((const unsigned char *)RFC_KEY, 20,
					   text, sizeof(text)),
			 0);
	assert_string_equal(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(mrm_base32_decode("gezd gnbv-gy3tqojqgezdgnbvgy3tqojq",
					   back, sizeof(back)),
			 20);
	assert_memory_equal(back, RFC_KEY, 20);
	/* RFC 4648 section 10 */
	mrm_base32_encode((const unsigned char *)"fooba", 5, text, 64);
	assert_string_equal(text, "MZXW6YTB");
	mrm_base32_encode((const unsigned char *)"f", 1, text, 64);
	assert_string_equal(text, "MY");
	assert_int_equal(mrm_base32_decode("MY======", back, 64), 1);
	assert_int_equal(back[0], 'f');
	assert_int_equal(mrm_base32_decode("MZ1W", back, 64), -1);
	assert_int_equal(mrm_base32_decode("GEZDGNBV", back, 2), -1);
	assert_int_equal(mrm_base32_encode(back, 20, text, 32), -1);
}

static void test_uri(void **state)
{
	char uri[MRM_TOTP_URI_MAX];

	(void)state;
	assert_int_equal(mrm_totp_uri("mrm MKN", "th-admin@x",
				      "GEZDGNBVGY3TQOJQ", uri, sizeof(uri)),
			 0);
	assert_string_equal(uri, "otpauth://totp/mrm%20MKN:th-admin%40x?"
				 "secret=GEZDGNBVGY3TQOJQ&issuer=mrm%20MKN&"
				 "algorithm=SHA1&digits=6&period=30");
	assert_int_equal(mrm_totp_uri("mrm", "a", "GEZD", uri, 40), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1),
		cmocka_unit_test(test_hmac_sha1),
		cmocka_unit_test(test_hotp_vectors),
		cmocka_unit_test(test_totp_vectors),
		cmocka_unit_test(test_totp_check),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_uri),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
