/* totp.c - see include/mrm/totp.h */
#include "mrm/totp.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ---- SHA-1 (FIPS 180-4, 6.1) ---- */

struct sha1 {
	uint32_t h[5];
	unsigned char block[64];
	size_t fill;
	uint64_t bytes;
};

static uint32_t rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(struct sha1 *c, const unsigned char *p)
{
	uint32_t w[80], a = c->h[0], b = c->h[1], d = c->h[3], e = c->h[4];
	uint32_t cc = c->h[2];

	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		       (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
	for (int t = 16; t < 80; t++)
		w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	for (int t = 0; t < 80; t++) {
		uint32_t f, k, tmp;

		if (t < 20)
			f = (b & cc) | (~b & d), k = 0x5a827999;
		else if (t < 40)
			f = b ^ cc ^ d, k = 0x6ed9eba1;
		else if (t < 60)
			f = (b & cc) | (b & d) | (cc & d), k = 0x8f1bbcdc;
		else
			f = b ^ cc ^ d, k = 0xca62c1d6;
		tmp = rol(a, 5) + f + e + k + w[t];
		e = d;
		d = cc;
		cc = rol(b, 30);
		b = a;
		a = tmp;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	sodium_memzero(w, sizeof(w));
}

static void sha1_init(struct sha1 *c)
{
	static const uint32_t h0[5] = {0x67452301, 0xefcdab89, 0x98badcfe,
				       0x10325476, 0xc3d2e1f0};

	memset(c, 0, sizeof(*c));
	memcpy(c->h, h0, sizeof(h0));
}

static void sha1_add(struct sha1 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->bytes += len;
	while (len) {
		size_t k = 64 - c->fill < len ? 64 - c->fill : len;

		memcpy(c->block + c->fill, p, k);
		c->fill += k;
		p += k;
		len -= k;
		if (c->fill == 64) {
			sha1_block(c, c->block);
			c->fill = 0;
		}
	}
}

static void sha1_end(struct sha1 *c, unsigned char out[MRM_SHA1_BYTES])
{
	uint64_t bits = c->bytes * 8;
	unsigned char len[8];

	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_add(c, "\x80", 1);
	while (c->fill != 56)
		sha1_add(c, "", 1);
	sha1_add(c, len, 8);
	for (int i = 0; i < 20; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
	sodium_memzero(c, sizeof(*c));
}

void mrm_sha1(const void *data, size_t len, unsigned char out[MRM_SHA1_BYTES])
{
	struct sha1 c;

	sha1_init(&c);
	sha1_add(&c, data, len);
	sha1_end(&c, out);
}

/* ---- HMAC (RFC 2104) ---- */

void mrm_hmac_sha1(const void *key, size_t klen, const void *msg, size_t mlen,
		   unsigned char out[MRM_SHA1_BYTES])
{
	unsigned char k[64] = {0}, pad[64], inner[MRM_SHA1_BYTES];
	struct sha1 c;

	if (klen > 64)
		mrm_sha1(key, klen, k);
	else if (klen)
		memcpy(k, key, klen);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&c);
	sha1_add(&c, pad, 64);
	sha1_add(&c, msg, mlen);
	sha1_end(&c, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_init(&c);
	sha1_add(&c, pad, 64);
	sha1_add(&c, inner, sizeof(inner));
	sha1_end(&c, out);
	sodium_memzero(k, sizeof(k));
	sodium_memzero(pad, sizeof(pad));
	sodium_memzero(inner, sizeof(inner));
}

/* ---- HOTP and TOTP ---- */

uint32_t mrm_hotp(const unsigned char *key, size_t klen, uint64_t counter,
		  int digits)
{
	unsigned char msg[8], mac[MRM_SHA1_BYTES];
	uint32_t bin, mod = 1;
	int off;

	for (int i = 0; i < 8; i++)
		msg[i] = (unsigned char)(counter >> (56 - 8 * i));
	mrm_hmac_sha1(key, klen, msg, sizeof(msg), mac);
	off = mac[19] & 0xf;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	      (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	sodium_memzero(mac, sizeof(mac));
	for (int i = 0; i < digits; i++)
		mod *= 10;
	return bin % mod;
}

int64_t mrm_totp_step(int64_t t)
{
	return t < 0 ? -1 : t / MRM_TOTP_STEP;
}

int mrm_totp_check(const unsigned char *key, size_t klen, const char *code,
		   int64_t now, int64_t after, int64_t *step)
{
	char want[MRM_TOTP_DIGITS + 1];
	int64_t t = mrm_totp_step(now);
	int found = 0;

	*step = 0;
	if (!code || strlen(code) != MRM_TOTP_DIGITS ||
	    strspn(code, "0123456789") != MRM_TOTP_DIGITS || t < 0)
		return 0;
	/* every step of the window is computed, so the time does not tell
	 * which one matched */
	for (int64_t s = t - MRM_TOTP_WINDOW; s <= t + MRM_TOTP_WINDOW; s++) {
		snprintf(want, sizeof(want), "%0*u", MRM_TOTP_DIGITS,
			 (unsigned)mrm_hotp(key, klen, (uint64_t)s,
					    MRM_TOTP_DIGITS));
		if (!sodium_memcmp(want, code, MRM_TOTP_DIGITS) && s > after &&
		    !found) {
			found = 1;
			*step = s;
		}
	}
	sodium_memzero(want, sizeof(want));
	return found;
}

/* ---- base32 and the URI ---- */

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int mrm_base32_encode(const unsigned char *in, size_t len, char *out,
		      size_t size)
{
	size_t n = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (size < (len * 8 + 4) / 5 + 1)
		return -1;
	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[n++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits)
		out[n++] = b32[(acc << (5 - bits)) & 31];
	out[n] = '\0';
	return 0;
}

int mrm_base32_decode(const char *in, unsigned char *out, size_t size)
{
	uint32_t acc = 0;
	size_t n = 0;
	int bits = 0;

	for (; *in; in++) {
		int c = *in >= 'a' && *in <= 'z' ? *in - 32 : *in;
		const char *p;

		if (c == ' ' || c == '-' || c == '=')
			continue;
		p = strchr(b32, c);
		if (!p || !c)
			return -1;
		acc = (acc << 5) | (uint32_t)(p - b32);
		bits += 5;
		if (bits >= 8) {
			if (n == size)
				return -1;
			out[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return (int)n;
}

/* Percent-encode `s` (all but unreserved characters) onto out+*n. */
static int uri_part(const char *s, char *out, size_t size, size_t *n)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || strchr("-._~", c);

		if (*n + 4 > size)
			return -1;
		*n += (size_t)(plain ? snprintf(out + *n, size - *n, "%c", c)
				     : snprintf(out + *n, size - *n, "%%%02X",
						c));
	}
	return 0;
}

int mrm_totp_uri(const char *issuer, const char *account,
		 const char *secret_b32, char *out, size_t size)
{
	size_t n = 0;
	int k;

	if (size < 16)
		return -1;
	n = (size_t)snprintf(out, size, "otpauth://totp/");
	if (uri_part(issuer, out, size, &n) || n + 4 > size)
		return -1;
	n += (size_t)snprintf(out + n, size - n, ":");
	if (uri_part(account, out, size, &n))
		return -1;
	k = snprintf(out + n, size - n, "?secret=%s&issuer=", secret_b32);
	if (k < 0 || (size_t)k >= size - n)
		return -1;
	n += (size_t)k;
	if (uri_part(issuer, out, size, &n))
		return -1;
	k = snprintf(out + n, size - n, "&algorithm=SHA1&digits=%d&period=%d",
		     MRM_TOTP_DIGITS, MRM_TOTP_STEP);
	return k < 0 || (size_t)k >= size - n ? -1 : 0;
}
