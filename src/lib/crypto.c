/* crypto.c - see include/mrm/crypto.h */
#include "mrm/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MAGIC     "mrm-key-v1 "
#define KEY_MAGIC_LEN (sizeof(KEY_MAGIC) - 1)
#define KEY_FILE_LEN  (KEY_MAGIC_LEN + 2 * MRM_KEY_BYTES + 1)

int mrm_crypto_init(struct mrm_error *err)
{
	if (sodium_init() < 0)
		return mrm_error_set(err, MRM_ERR_CRYPTO, NULL,
				     "libsodium failed to initialise");
	return 0;
}

char *mrm_key_path_for(const char *db_path)
{
	size_t n = strlen(db_path);
	char *p = malloc(n + 5);

	if (p) {
		memcpy(p, db_path, n);
		memcpy(p + n, ".key", 5);
	}
	return p;
}

int mrm_key_create(const char *path, struct mrm_key *key, struct mrm_error *err)
{
	char text[KEY_FILE_LEN + 1];
	int fd, rc = 0;

	rc = mrm_crypto_init(err);
	if (rc)
		return rc;
	randombytes_buf(key->bytes, sizeof(key->bytes));
	memcpy(text, KEY_MAGIC, KEY_MAGIC_LEN);
	sodium_bin2hex(text + KEY_MAGIC_LEN, 2 * MRM_KEY_BYTES + 1, key->bytes,
		       sizeof(key->bytes));
	text[KEY_FILE_LEN - 1] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		rc = mrm_error_set(
			err, errno == EEXIST ? MRM_ERR_EXISTS : MRM_ERR_IO,
			path, "cannot create key file: %s", strerror(errno));
		goto out;
	}
	if (write(fd, text, KEY_FILE_LEN) != (ssize_t)KEY_FILE_LEN ||
	    fsync(fd) != 0) {
		rc = mrm_error_set(err, MRM_ERR_IO, path,
				   "cannot write key file: %s",
				   strerror(errno));
		close(fd);
		unlink(path);
		goto out;
	}
	if (close(fd))
		rc = mrm_error_set(err, MRM_ERR_IO, path, "%s",
				   strerror(errno));
out:
	sodium_memzero(text, sizeof(text));
	return rc;
}

int mrm_key_load(const char *path, struct mrm_key *key, struct mrm_error *err)
{
	char text[KEY_FILE_LEN + 2];
	struct stat st;
	size_t bin_len = 0;
	ssize_t n;
	int fd, rc = 0;

	rc = mrm_crypto_init(err);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return mrm_error_set(
			err, MRM_ERR_CRYPTO, path,
			"cannot open the key file: %s (it is created "
			"by `mrm init` beside the database)",
			strerror(errno));
	if (fstat(fd, &st) == 0 && (st.st_mode & 077)) {
		rc = mrm_error_set(
			err, MRM_ERR_CRYPTO, path,
			"key file is readable by others (mode %03o); "
			"run: chmod 600 %s",
			(unsigned)(st.st_mode & 0777), path);
		goto out;
	}
	n = read(fd, text, sizeof(text));
	if (n != (ssize_t)KEY_FILE_LEN ||
	    memcmp(text, KEY_MAGIC, KEY_MAGIC_LEN) ||
	    sodium_hex2bin(key->bytes, sizeof(key->bytes), text + KEY_MAGIC_LEN,
			   2 * MRM_KEY_BYTES, NULL, &bin_len, NULL) != 0 ||
	    bin_len != MRM_KEY_BYTES)
		rc = mrm_error_set(err, MRM_ERR_CRYPTO, path,
				   "not an mrm key file (expected a line "
				   "\"%s\" followed by 64 hex digits)",
				   KEY_MAGIC "");
out:
	sodium_memzero(text, sizeof(text));
	close(fd);
	return rc;
}

void mrm_key_wipe(struct mrm_key *key)
{
	sodium_memzero(key->bytes, sizeof(key->bytes));
}

/*
 * Random nonces, drawn from the system's generator 4 KiB at a time: one
 * getrandom() per field sealed was a third of an import's system time.
 * Per thread, so that no two threads ever hand out the same bytes.
 */
static void nonce(char *dst, size_t n)
{
	static _Thread_local unsigned char pool[4096];
	static _Thread_local size_t left;

	if (left < n) {
		randombytes_buf(pool, sizeof(pool));
		left = sizeof(pool);
	}
	memcpy(dst, pool + sizeof(pool) - left, n);
	sodium_memzero(pool + sizeof(pool) - left, n);
	left -= n;
}

int mrm_seal(const struct mrm_key *key, const char *ad, const void *plain,
	     size_t len, struct mrm_buf *out, struct mrm_error *err)
{
	const size_t npub = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	unsigned long long clen = 0;
	char *dst;
	int rc;

	if (len > out->max)
		rc = MRM_ERR_LIMIT;
	else
		rc = mrm_buf_extend(out, len + MRM_SEAL_OVERHEAD, &dst);
	if (rc)
		return mrm_error_set(err, rc, ad,
				     "cannot seal a field of %zu bytes", len);
	nonce(dst, npub);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
		(unsigned char *)dst + npub, &clen, plain, len,
		(const unsigned char *)ad, strlen(ad), NULL,
		(unsigned char *)dst, key->bytes);
	return 0;
}

int mrm_unseal(const struct mrm_key *key, const char *ad, const void *sealed,
	       size_t len, struct mrm_buf *out, struct mrm_error *err)
{
	const unsigned char *s = sealed;
	const size_t npub = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	size_t start = out->len, plen;
	unsigned long long got = 0;
	char *dst;
	int rc;

	if (len < MRM_SEAL_OVERHEAD)
		return mrm_error_set(err, MRM_ERR_CRYPTO, ad,
				     "sealed value too short (%zu bytes)", len);
	plen = len - MRM_SEAL_OVERHEAD;
	rc = mrm_buf_extend(out, plen, &dst);
	if (rc)
		return mrm_error_set(err, rc, ad,
				     "cannot open a field of %zu bytes", plen);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    (unsigned char *)dst, &got, NULL, s + npub, len - npub,
		    (const unsigned char *)ad, strlen(ad), s,
		    key->bytes) != 0) {
		sodium_memzero(dst, plen);
		out->len = start;
		out->ptr[start] = '\0';
		return mrm_error_set(err, MRM_ERR_CRYPTO, ad,
				     "cannot decrypt: wrong key, or the value "
				     "was altered or moved");
	}
	return 0;
}

int mrm_password_hash(const char *password, char out[MRM_PWHASH_BYTES],
		      struct mrm_error *err)
{
	if (crypto_pwhash_str_alg(out, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL,
				     "password hashing ran out of memory");
	return 0;
}

int mrm_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
