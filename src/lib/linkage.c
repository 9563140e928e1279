/* linkage.c - see include/mrm/linkage.h and docs/linkage.md */
#include "mrm/linkage.h"

#include "mrm/keyring.h"
#include "mrm/crypto.h"
#include "mrm/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC	    "mrm linkage key v1"
#define DOMAIN	    "mrm-linkage-v1"
#define FILE_MAX    256
#define NAME_AD_MAX 64

/* U+00C0..U+024F: generated with Python unicodedata (NFKD, the ASCII letters
 * kept, lower case) and a few by hand (ae, oe, ss, th, d, l...); NULL:
 * kept as it is */
static const char *const fold_latin[] = {
	"a",  "a",  "a",  "a",	"a",  "a",  "ae", "c",	"e",  "e",  "e",  "e",
	"i",  "i",  "i",  "i",	"d",  "n",  "o",  "o",	"o",  "o",  "o",  "",
	"o",  "u",  "u",  "u",	"u",  "y",  "th", "ss", "a",  "a",  "a",  "a",
	"a",  "a",  "ae", "c",	"e",  "e",  "e",  "e",	"i",  "i",  "i",  "i",
	"d",  "n",  "o",  "o",	"o",  "o",  "o",  "",	"o",  "u",  "u",  "u",
	"u",  "y",  "th", "y",	"a",  "a",  "a",  "a",	"a",  "a",  "c",  "c",
	"c",  "c",  "c",  "c",	"c",  "c",  "d",  "d",	"d",  "d",  "e",  "e",
	"e",  "e",  "e",  "e",	"e",  "e",  "e",  "e",	"g",  "g",  "g",  "g",
	"g",  "g",  "g",  "g",	"h",  "h",  "h",  "h",	"i",  "i",  "i",  "i",
	"i",  "i",  "i",  "i",	"i",  "i",  "ij", "ij", "j",  "j",  "k",  "k",
	"k",  "l",  "l",  "l",	"l",  "l",  "l",  "l",	"l",  "l",  "l",  "n",
	"n",  "n",  "n",  "n",	"n",  "n",  "n",  "n",	"o",  "o",  "o",  "o",
	"o",  "o",  "oe", "oe", "r",  "r",  "r",  "r",	"r",  "r",  "s",  "s",
	"s",  "s",  "s",  "s",	"s",  "s",  "t",  "t",	"t",  "t",  NULL, NULL,
	"u",  "u",  "u",  "u",	"u",  "u",  "u",  "u",	"u",  "u",  "u",  "u",
	"w",  "w",  "y",  "y",	"y",  "z",  "z",  "z",	"z",  "z",  "z",  "s",
	"b",  "b",  NULL, NULL, NULL, NULL, NULL, "c",	"c",  "d",  "d",  NULL,
	NULL, NULL, NULL, NULL, NULL, "f",  "f",  "g",	NULL, NULL, NULL, "i",
	"k",  "k",  "l",  NULL, NULL, "n",  "n",  NULL, "o",  "o",  NULL, NULL,
	"p",  "p",  NULL, NULL, NULL, NULL, NULL, NULL, "t",  "t",  "t",  "u",
	"u",  NULL, "v",  "y",	"y",  "z",  "z",  NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "dz", "dz", "dz", "lj",
	"lj", "lj", "nj", "nj", "nj", "a",  "a",  "i",	"i",  "o",  "o",  "u",
	"u",  "u",  "u",  "u",	"u",  "u",  "u",  "u",	"u",  NULL, "a",  "a",
	"a",  "a",  NULL, NULL, "g",  "g",  "g",  "g",	"k",  "k",  "o",  "o",
	"o",  "o",  NULL, NULL, "j",  "dz", "dz", "dz", "g",  "g",  NULL, NULL,
	"n",  "n",  "a",  "a",	NULL, NULL, NULL, NULL, "a",  "a",  "a",  "a",
	"e",  "e",  "e",  "e",	"i",  "i",  "i",  "i",	"o",  "o",  "o",  "o",
	"r",  "r",  "r",  "r",	"u",  "u",  "u",  "u",	"s",  "s",  "t",  "t",
	NULL, NULL, "h",  "h",	NULL, "d",  NULL, NULL, "z",  "z",  "a",  "a",
	"e",  "e",  "o",  "o",	"o",  "o",  "o",  "o",	"o",  "o",  "y",  "y",
	"l",  "n",  "t",  "j",	NULL, NULL, "a",  "c",	"c",  "l",  NULL, NULL,
	NULL, NULL, NULL, "b",	NULL, NULL, "e",  "e",	NULL, NULL, NULL, NULL,
	"r",  "r",  "y",  "y",
};
/* U+1E00..U+1EFF: generated with Python unicodedata (NFKD, the ASCII letters
 * kept, lower case) and a few by hand (ae, oe, ss, th, d, l...); NULL:
 * kept as it is */
static const char *const fold_extra[] = {
	"a",  "a",  "b",  "b",	"b", "b", "b", "b", "c", "c", "d",  "d",
	"d",  "d",  "d",  "d",	"d", "d", "d", "d", "e", "e", "e",  "e",
	"e",  "e",  "e",  "e",	"e", "e", "f", "f", "g", "g", "h",  "h",
	"h",  "h",  "h",  "h",	"h", "h", "h", "h", "i", "i", "i",  "i",
	"k",  "k",  "k",  "k",	"k", "k", "l", "l", "l", "l", "l",  "l",
	"l",  "l",  "m",  "m",	"m", "m", "m", "m", "n", "n", "n",  "n",
	"n",  "n",  "n",  "n",	"o", "o", "o", "o", "o", "o", "o",  "o",
	"p",  "p",  "p",  "p",	"r", "r", "r", "r", "r", "r", "r",  "r",
	"s",  "s",  "s",  "s",	"s", "s", "s", "s", "s", "s", "t",  "t",
	"t",  "t",  "t",  "t",	"t", "t", "u", "u", "u", "u", "u",  "u",
	"u",  "u",  "u",  "u",	"v", "v", "v", "v", "w", "w", "w",  "w",
	"w",  "w",  "w",  "w",	"w", "w", "x", "x", "x", "x", "y",  "y",
	"z",  "z",  "z",  "z",	"z", "z", "h", "t", "w", "y", "a",  "s",
	NULL, NULL, "ss", NULL, "a", "a", "a", "a", "a", "a", "a",  "a",
	"a",  "a",  "a",  "a",	"a", "a", "a", "a", "a", "a", "a",  "a",
	"a",  "a",  "a",  "a",	"e", "e", "e", "e", "e", "e", "e",  "e",
	"e",  "e",  "e",  "e",	"e", "e", "e", "e", "i", "i", "i",  "i",
	"o",  "o",  "o",  "o",	"o", "o", "o", "o", "o", "o", "o",  "o",
	"o",  "o",  "o",  "o",	"o", "o", "o", "o", "o", "o", "o",  "o",
	"u",  "u",  "u",  "u",	"u", "u", "u", "u", "u", "u", "u",  "u",
	"u",  "u",  "y",  "y",	"y", "y", "y", "y", "y", "y", NULL, NULL,
	NULL, NULL, NULL, NULL,
};

/* ---- the key file ---- */

char *mrm_linkage_path_for(const char *db)
{
	size_t n = strlen(db);
	char *p = malloc(n + sizeof(".linkage"));

	if (p)
		memcpy(p, db, n), memcpy(p + n, ".linkage", sizeof(".linkage"));
	return p;
}

int mrm_linkage_save(const char *path, const struct mrm_linkage_key *key,
		     struct mrm_error *err)
{
	char text[sizeof(MAGIC) + 2 * MRM_LINKAGE_KEY_BYTES + 4];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t n;
	int rc = 0;

	if (fd < 0)
		return mrm_error_set(err, MRM_ERR_IO, path, "%s%s",
				     strerror(errno),
				     errno == EEXIST ? ": it is not replaced;"
						       " remove it first if "
						       "you mean to"
						     : "");
	n = (size_t)snprintf(text, sizeof(text), MAGIC "\n");
	sodium_bin2hex(text + n, sizeof(text) - n, key->bytes,
		       MRM_LINKAGE_KEY_BYTES);
	n = strlen(text);
	text[n++] = '\n';
	if (write(fd, text, n) != (ssize_t)n || fsync(fd))
		rc = mrm_error_set(err, MRM_ERR_IO, path, "%s",
				   strerror(errno));
	close(fd);
	sodium_memzero(text, sizeof(text));
	if (rc)
		unlink(path);
	return rc;
}

int mrm_linkage_create(const char *path, struct mrm_error *err)
{
	struct mrm_linkage_key key;
	int rc = mrm_crypto_init(err);

	if (rc)
		return rc;
	randombytes_buf(key.bytes, sizeof(key.bytes));
	rc = mrm_linkage_save(path, &key, err);
	sodium_memzero(&key, sizeof(key));
	return rc;
}

int mrm_linkage_load(const char *path, struct mrm_linkage_key *key,
		     struct mrm_error *err)
{
	char text[FILE_MAX + 1];
	const char *hex;
	struct stat sb;
	size_t n = 0, len;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno == ENOENT
			       ? mrm_error_set(
					 err, MRM_ERR_NOTFOUND, path,
					 "no linkage key: create one with "
					 "mrm linkage init, or take the "
					 "network's with mrm linkage "
					 "import")
			       : mrm_error_set(err, MRM_ERR_IO, path, "%s",
					       strerror(errno));
	if (fstat(fd, &sb) || (sb.st_mode & 077))
		rc = mrm_error_set(err, MRM_ERR_CRYPTO, path,
				   "others may read this key file; make it "
				   "private with: chmod 600 %s",
				   path);
	while (!rc && n < sizeof(text) - 1) {
		ssize_t k = read(fd, text + n, sizeof(text) - 1 - n);

		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	text[n] = '\0';
	hex = n >= sizeof(MAGIC) && !memcmp(text, MAGIC "\n", sizeof(MAGIC))
		      ? text + sizeof(MAGIC)
		      : NULL;
	len = hex ? strcspn(hex, "\r\n") : 0;
	if (!rc && (!hex || len != 2 * MRM_LINKAGE_KEY_BYTES ||
		    sodium_hex2bin(key->bytes, MRM_LINKAGE_KEY_BYTES, hex, len,
				   NULL, NULL, NULL) ||
		    hex[len + strspn(hex + len, "\r\n")]))
		rc = mrm_error_set(err, MRM_ERR_INVALID, path,
				   "not a linkage key file (\"" MAGIC
				   "\" and 64 hex digits)");
	sodium_memzero(text, sizeof(text));
	if (rc)
		sodium_memzero(key, sizeof(*key));
	return rc;
}

/* ---- normalising names ---- */

/* The next code point of valid UTF-8 at *p (advanced). */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;

	if (n)
		c &= 0x3fu >> n;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) { /* not UTF-8: stop there */
			*p = s + i;
			return 0xfffd;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	*p = s + 1 + n;
	return c;
}

static int put_cp(struct mrm_buf *out, uint32_t c)
{
	char b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12);
		n = 3;
	} else {
		b[0] = (char)(0xf0 | c >> 18);
		n = 4;
	}
	for (size_t i = 1; i < n; i++)
		b[i] = (char)(0x80 | ((c >> (6 * (n - 1 - i))) & 0x3f));
	return mrm_buf_add(out, b, n);
}

/* Separators: spaces, punctuation, zero-width and format characters,
 * combining marks of Latin letters. They never reach the normal form. */
static int dropped(uint32_t c)
{
	if (c < 0x80)
		return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9'));
	return c == 0xa0 || c == 0xad || (c >= 0xa1 && c <= 0xbf) ||
	       c == 0xd7 || c == 0xf7 || (c >= 0x300 && c <= 0x36f) ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x206f) || c == 0x3000 ||
	       c == 0xfeff || (c >= 0x3001 && c <= 0x3003) || c == 0x104a ||
	       c == 0x104b || c == 0x0e2f || c == 0x0e5a || c == 0x0e5b ||
	       (c >= 0xfe00 && c <= 0xfe0f);
}

/* Is this a separator in the original text (to find the tokens)? */
static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200b) || c == 0x202f ||
	       c == 0x205f || c == 0x3000 || c == ',' || c == '.';
}

/* Titles dropped when they are the first token (compared after
 * folding, so "U", "Daw", "MR." all match). Thai titles are dropped as a
 * prefix even when no space follows, as Thai writes them. */
static const char *const titles[] = {
	"u",
	"daw",
	"ko",
	"ma",
	"mr",
	"mrs",
	"ms",
	"miss",
	"nai",
	"nang",
	"\xe1\x80\xa6\xe1\x80\xb8",			    /* ဦး */
	"\xe1\x80\x92\xe1\x80\xb1\xe1\x80\xab\xe1\x80\xba", /* ဒေါ် */
	"\xe1\x80\x80\xe1\x80\xad\xe1\x80\xaf",		    /* ကို */
	"\xe1\x80\x99",					    /* မ */
	NULL};
static const char *const thai_titles[] = {
	"\xe0\xb8\x99\xe0\xb8\xb2\xe0\xb8\x87\xe0\xb8\xaa\xe0\xb8\xb2\xe0\xb8"
	"\xa7",					/* นางสาว */
	"\xe0\xb8\x99\xe0\xb8\xb2\xe0\xb8\xa2", /* นาย */
	"\xe0\xb8\x99\xe0\xb8\xb2\xe0\xb8\x87", /* นาง */
	"\xe0\xb8\x99.\xe0\xb8\xaa.",		/* น.ส. */
	"\xe0\xb8\x94.\xe0\xb8\x8a.",		/* ด.ช. */
	"\xe0\xb8\x94.\xe0\xb8\x8d.",		/* ด.ญ. */
	NULL};

/* Fold one code point onto `out`. */
static int fold_cp(uint32_t c, struct mrm_buf *out)
{
	const char *f = NULL;

	if (c >= 0xff01 && c <= 0xff5e) /* full-width ASCII */
		c -= 0xfee0;
	if (dropped(c))
		return 0;
	if (c >= 'A' && c <= 'Z')
		c += 32;
	if (c >= 0xc0 && c <= 0x24f)
		f = fold_latin[c - 0xc0];
	else if (c >= 0x1e00 && c <= 0x1eff)
		f = fold_extra[c - 0x1e00];
	return f ? mrm_buf_adds(out, f) : put_cp(out, c);
}

/* Fold [p, end) onto `out`. */
static int fold_span(const unsigned char *p, const unsigned char *end,
		     struct mrm_buf *out)
{
	int rc = 0;

	while (!rc && p < end && *p)
		rc = fold_cp(next_cp(&p), out);
	return rc;
}

/* Zawgyi writes the vowel sign E (U+1031) before its consonant: at the
 * start of a word, which Unicode Burmese never does. */
static int looks_zawgyi(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t prev = ' ';

	while (*p) {
		uint32_t c = next_cp(&p);

		if (c == 0x1031 && !(prev >= 0x1000 && prev <= 0x109f))
			return 1;
		prev = c;
	}
	return 0;
}

/* Past the separators at p. */
static const unsigned char *skip_space(const unsigned char *p)
{
	while (*p) {
		const unsigned char *q = p;
		uint32_t c = next_cp(&q);

		if (!is_space(c) && !dropped(c))
			break;
		p = q;
	}
	return p;
}

/* The end of the token at p. */
static const unsigned char *token_end(const unsigned char *p)
{
	while (*p) {
		const unsigned char *q = p;

		if (is_space(next_cp(&q)))
			break;
		p = q;
	}
	return p;
}

int mrm_linkage_normalise(const char *name, struct mrm_buf *out, int *zawgyi)
{
	const unsigned char *p = skip_space((const unsigned char *)name);
	const unsigned char *end;
	size_t start = out->len;
	int rc;

	if (zawgyi)
		*zawgyi = looks_zawgyi(name);
	for (int i = 0; thai_titles[i]; i++) {
		size_t n = strlen(thai_titles[i]);

		if (!strncmp((const char *)p, thai_titles[i], n) &&
		    *skip_space(p + n)) {
			p = skip_space(p + n);
			break;
		}
	}
	/* the first token: dropped when it is a title and more follows */
	end = token_end(p);
	rc = fold_span(p, end, out);
	for (int i = 0; !rc && titles[i] && *skip_space(end); i++)
		if (!strcmp(mrm_buf_str(out) + start, titles[i])) {
			out->len = start;
			out->ptr[start] = '\0';
			break;
		}
	if (!rc)
		rc = fold_span(end, end + strlen((const char *)end), out);
	return rc;
}

/* ---- the value ---- */

int mrm_linkage_value(const struct mrm_linkage_key *key, const char *name,
		      const char *birth, const char *sex,
		      const char *nationality, char hex[MRM_LINKAGE_HEX + 1])
{
	struct mrm_buf msg = MRM_BUF_INIT(1u << 20);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	size_t n;
	int ok = 0;

	hex[0] = '\0';
	if (!name || !birth || strlen(birth) < 4 ||
	    strspn(birth, "0123456789") < 4)
		return 0;
	mrm_buf_add(&msg, DOMAIN, sizeof(DOMAIN));
	n = msg.len;
	if (mrm_linkage_normalise(name, &msg, NULL) || msg.len == n)
		goto out;
	mrm_buf_addc(&msg, '\0');
	mrm_buf_add(&msg, birth, 4);
	mrm_buf_addc(&msg, '\0');
	mrm_buf_adds(&msg, sex ? sex : "");
	mrm_buf_addc(&msg, '\0');
	if (mrm_buf_adds(&msg, nationality ? nationality : ""))
		goto out;
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg.ptr, msg.len,
			       key->bytes);
	sodium_bin2hex(hex, MRM_LINKAGE_HEX + 1, mac, sizeof(mac));
	ok = 1;
out:
	if (msg.ptr)
		sodium_memzero(msg.ptr, msg.cap);
	mrm_buf_release(&msg);
	return ok;
}

/* ---- the persons ---- */

/* The decrypted name of person `id` from column 1 of `s` (its
 * organisation in column 5) into `out`; 0 with out empty when there is
 * none, or when the organisation's keys were wiped. */
static int person_name(struct mrm_store *st, sqlite3_stmt *s, int64_t id,
		       struct mrm_buf *out, struct mrm_error *err)
{
	char ad[NAME_AD_MAX];
	int rc;

	mrm_buf_reset(out);
	if (sqlite3_column_type(s, 1) == SQLITE_NULL)
		return 0;
	snprintf(ad, sizeof(ad), "person/%lld/name", (long long)id);
	rc = mrm_store_unseal(st, sqlite3_column_int64(s, 5), ad,
			      sqlite3_column_blob(s, 1),
			      (size_t)sqlite3_column_bytes(s, 1), out, err);
	if (rc == MRM_ERR_DESTROYED) {
		mrm_error_clear(err);
		mrm_buf_reset(out);
		rc = 0;
	}
	return rc;
}

static int rebuild_rows(struct mrm_store *st, const struct mrm_linkage_key *key,
			int all, struct mrm_linkage_stats *stats,
			int64_t *changed, struct mrm_error *err)
{
	struct mrm_buf name = MRM_BUF_INIT(1u << 20);
	sqlite3_stmt *s = NULL, *u = NULL;
	sqlite3 *db = mrm_store_db(st);
	char hex[MRM_LINKAGE_HEX + 1];
	int rc = 0, step;

	if (sqlite3_prepare_v2(db,
			       all ? "SELECT id, name, birth_date, sex,"
				     " nationality, org_id FROM person"
				     " WHERE unit = 'individual'"
				   : "SELECT id, name, birth_date, sex,"
				     " nationality, org_id FROM person"
				     " WHERE unit = 'individual'"
				     " AND linkage_key IS NULL",
			       -1, &s, NULL) ||
	    sqlite3_prepare_v2(db,
			       "UPDATE person SET linkage_key = ? WHERE id = ?"
			       " AND linkage_key IS NOT ?1",
			       -1, &u, NULL)) {
		rc = mrm_store_fail(st, err, "persons");
		goto out;
	}
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		stats->persons++;
		rc = person_name(st, s, id, &name, err);
		if (rc)
			break;
		if (name.len && looks_zawgyi(mrm_buf_str(&name)))
			stats->zawgyi++;
		if (name.len &&
		    mrm_linkage_value(key, mrm_buf_str(&name),
				      (const char *)sqlite3_column_text(s, 2),
				      (const char *)sqlite3_column_text(s, 3),
				      (const char *)sqlite3_column_text(s, 4),
				      hex)) {
			stats->keyed++;
			sqlite3_bind_text(u, 1, hex, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_null(u, 1);
		}
		sqlite3_bind_int64(u, 2, id);
		if (sqlite3_step(u) != SQLITE_DONE)
			rc = mrm_store_fail(st, err, "persons");
		*changed += sqlite3_changes(db);
		sqlite3_reset(u);
	}
	if (!rc && step != SQLITE_DONE)
		rc = mrm_store_fail(st, err, "persons");
out:
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	if (name.ptr)
		sodium_memzero(name.ptr, name.cap);
	mrm_buf_release(&name);
	return rc;
}

/* How many keyed persons share their value with another. */
static int count_shared(struct mrm_store *st, int64_t *out,
			struct mrm_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(
		    mrm_store_db(st),
		    "SELECT coalesce(sum(n), 0) FROM (SELECT count(*)"
		    " AS n FROM person WHERE linkage_key IS NOT NULL"
		    " GROUP BY linkage_key HAVING n > 1)",
		    -1, &s, NULL) ||
	    sqlite3_step(s) != SQLITE_ROW)
		rc = mrm_store_fail(st, err, "persons");
	else
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

int mrm_linkage_rebuild(struct mrm_store *st, const struct mrm_linkage_key *key,
			int all, struct mrm_linkage_stats *stats,
			struct mrm_error *err)
{
	struct mrm_linkage_stats local;
	int64_t changed = 0;
	int rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	rc = mrm_store_begin(st, err);
	if (rc)
		return rc;
	rc = rebuild_rows(st, key, all, stats, &changed, err);
	/* the statistics' cached facts are stale when a value changed */
	if (!rc && changed)
		rc = mrm_store_touch(st, err);
	if (!rc)
		rc = count_shared(st, &stats->shared, err);
	if (!rc)
		rc = mrm_store_commit(st, err);
	if (rc)
		mrm_store_rollback(st);
	return rc;
}

int mrm_linkage_after_import(struct mrm_store *st, int *done,
			     struct mrm_error *err)
{
	struct mrm_linkage_key key;
	char *path = mrm_linkage_path_for(mrm_store_path(st));
	int rc;

	if (done)
		*done = 0;
	if (!path)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	if (access(path, F_OK)) {
		free(path);
		return 0;
	}
	rc = mrm_linkage_load(path, &key, err);
	free(path);
	if (!rc)
		rc = mrm_linkage_rebuild(st, &key, 0, NULL, err);
	sodium_memzero(&key, sizeof(key));
	if (!rc && done)
		*done = 1;
	return rc;
}
