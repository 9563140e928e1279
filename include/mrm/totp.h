/*
 * totp.h - one-time passwords for two-factor login: HOTP (RFC 4226) and
 * TOTP (RFC 6238) with HMAC-SHA1, 30-second steps and 6 digits, the
 * settings every common authenticator app uses; base32 (RFC 4648) for
 * the secret and the otpauth:// URI that apps read from a QR code.
 *
 * libsodium has no SHA-1, so SHA-1 (FIPS 180-4) and HMAC (RFC 2104) are
 * implemented here. SHA-1 is used only inside HMAC, where its collision
 * weakness does not matter (RFC 6238 section 5.1 is silent, RFC 4226
 * appendix A.3 explains why).
 */
#ifndef MRM_TOTP_H
#define MRM_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define MRM_SHA1_BYTES	      20
#define MRM_TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
#define MRM_TOTP_SECRET_B32   32 /* its base32 text, without padding */
#define MRM_TOTP_STEP	      30 /* seconds */
#define MRM_TOTP_DIGITS	      6
#define MRM_TOTP_WINDOW	      1 /* steps accepted either side of now */
#define MRM_TOTP_URI_MAX      512

/* SHA-1 of `len` bytes. */
void mrm_sha1(const void *data, size_t len, unsigned char out[MRM_SHA1_BYTES]);

/* HMAC-SHA1 of `msg` under `key` (any length). */
void mrm_hmac_sha1(const void *key, size_t klen, const void *msg, size_t mlen,
		   unsigned char out[MRM_SHA1_BYTES]);

/* HOTP value of `counter` with `digits` (6 to 8) digits (RFC 4226 5.3). */
uint32_t mrm_hotp(const unsigned char *key, size_t klen, uint64_t counter,
		  int digits);

/* The time step of Unix time `t` (T0 = 0, X = MRM_TOTP_STEP). */
int64_t mrm_totp_step(int64_t t);

/*
 * Check `code` (exactly MRM_TOTP_DIGITS ASCII digits) against the steps
 * of `now` - MRM_TOTP_WINDOW .. + MRM_TOTP_WINDOW that are later than
 * `after` (the last step already used: a code is good once). 1 and the
 * matching step in *step when it matches, 0 when not. Compares in
 * constant time.
 */
int mrm_totp_check(const unsigned char *key, size_t klen, const char *code,
		   int64_t now, int64_t after, int64_t *step);

/* Base32 (RFC 4648, upper case, no padding) of `len` bytes into `out`;
 * -1 when `size` is too small for it and its NUL. */
int mrm_base32_encode(const unsigned char *in, size_t len, char *out,
		      size_t size);

/* Decode base32 text (either case; spaces, '-' and '=' padding ignored)
 * into `out`; the number of bytes, or -1 for a character outside the
 * alphabet or more than `size` bytes. */
int mrm_base32_decode(const char *in, unsigned char *out, size_t size);

/*
 * The otpauth:// URI of a TOTP secret (Key Uri Format of Google
 * Authenticator, read by FreeOTP, Aegis, 1Password, Microsoft
 * Authenticator ...): otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...
 * &algorithm=SHA1&digits=6&period=30, with ISSUER and ACCOUNT
 * percent-encoded. -1 when it does not fit in `size`.
 */
int mrm_totp_uri(const char *issuer, const char *account,
		 const char *secret_b32, char *out, size_t size);

#endif
