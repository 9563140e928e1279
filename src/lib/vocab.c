/* vocab.c - see include/mrm/vocab.h */
#include "mrm/vocab.h"

#include "mrm/buf.h"
#include "mrm/csv.h"
#include "mrm/embedded.h"
#include "mrm/hmap.h"
#include "mrm/utf8.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mrm_vocab_langs[MRM_VOCAB_NLANGS] = {"en", "th", "my", "km",
						       "lo", "vi", "zh"};

#define VOCAB_COLS 10 /* code, parent, huridocs, 7 labels */

struct mrm_vocab {
	struct mrm_term *terms;
	size_t count;
	char **strings; /* every string the terms point at */
	size_t nstrings;
	struct mrm_hmap by_code; /* "scheme\x1f" code -> index */
	struct mrm_hmap
		by_label; /* "scheme\x1f" folded code or label -> index */
};

void mrm_vocab_free(struct mrm_vocab *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nstrings; i++)
		free(v->strings[i]);
	free(v->strings);
	free(v->terms);
	mrm_hmap_release(&v->by_code);
	mrm_hmap_release(&v->by_label);
	free(v);
}

#define KEY_MAX 512

/* "scheme\x1fvalue" into out[KEY_MAX], ASCII folded to lower case when
 * `fold`; -1 when it does not fit. */
static int make_key(char *out, const char *scheme, const char *value, int fold)
{
	size_t ns = strlen(scheme), nv = strlen(value);

	if (ns + nv + 2 > KEY_MAX)
		return -1;
	memcpy(out, scheme, ns);
	out[ns] = '\x1f';
	for (size_t i = 0; i <= nv; i++)
		out[ns + 1 + i] = fold ? (char)tolower((unsigned char)value[i])
				       : value[i];
	return 0;
}

static const char *keep(struct mrm_vocab *v, const unsigned char *s)
{
	char *copy = strdup(s ? (const char *)s : "");

	if (!copy)
		return NULL;
	v->strings[v->nstrings++] = copy;
	return copy;
}

static int index_term(struct mrm_vocab *v, size_t i)
{
	const struct mrm_term *t = &v->terms[i];
	char key[KEY_MAX];
	int rc = 0;

	if (!make_key(key, t->scheme, t->code, 0))
		rc = mrm_hmap_put(&v->by_code, key, (int64_t)i);
	for (int l = -1; !rc && l < MRM_VOCAB_NLANGS; l++) {
		const char *s = l < 0 ? t->code : t->label[l];

		/* the first term to claim a label keeps it */
		if (*s && !make_key(key, t->scheme, s, 1) &&
		    !mrm_hmap_get(&v->by_label, key, NULL))
			rc = mrm_hmap_put(&v->by_label, key, (int64_t)i);
	}
	return rc;
}

int mrm_vocab_load(struct mrm_vocab **out, sqlite3 *db, struct mrm_error *err)
{
	const char *sql = "SELECT scheme, code, parent, huridocs, en, th, my, "
			  "km, lo, vi, zh FROM vocab ORDER BY scheme, seq";
	struct mrm_vocab *v = calloc(1, sizeof(*v));
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;
	int rc = MRM_ERR_NOMEM, step = SQLITE_DONE;

	if (!v)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM vocab", -1, &st,
			       NULL) ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = mrm_error_set(err, MRM_ERR_DB, "vocab", "%s",
				   sqlite3_errmsg(db));
		goto out;
	}
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	v->terms = calloc((size_t)n + 1, sizeof(*v->terms));
	v->strings = calloc(((size_t)n + 1) * 11, sizeof(char *));
	if (!v->terms || !v->strings)
		goto out;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL)) {
		rc = mrm_error_set(err, MRM_ERR_DB, "vocab", "%s",
				   sqlite3_errmsg(db));
		goto out;
	}
	while (v->count < (size_t)n &&
	       (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct mrm_term *t = &v->terms[v->count];
		const char **slots[11] = {&t->scheme, &t->code, &t->parent,
					  &t->huridocs};

		for (int l = 0; l < MRM_VOCAB_NLANGS; l++)
			slots[4 + l] = &t->label[l];
		for (int c = 0; c < 11; c++)
			if (!(*slots[c] = keep(v, sqlite3_column_text(st, c))))
				goto out;
		if (index_term(v, v->count++))
			goto out;
	}
	if (v->count < (size_t)n && step != SQLITE_DONE) {
		rc = mrm_error_set(err, MRM_ERR_DB, "vocab", "%s",
				   sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
	*out = v;
	v = NULL;
out:
	if (rc == MRM_ERR_NOMEM)
		mrm_error_set(err, rc, "vocab", "out of memory loading terms");
	sqlite3_finalize(st);
	mrm_vocab_free(v);
	return rc;
}

static const struct mrm_term *lookup(const struct mrm_hmap *m,
				     const struct mrm_vocab *v,
				     const char *scheme, const char *value,
				     int fold)
{
	char key[KEY_MAX];
	int64_t i;

	if (make_key(key, scheme, value, fold) || !mrm_hmap_get(m, key, &i))
		return NULL;
	return &v->terms[i];
}

const struct mrm_term *mrm_vocab_term(const struct mrm_vocab *v,
				      const char *scheme, const char *code)
{
	return lookup(&v->by_code, v, scheme, code, 0);
}

const char *mrm_vocab_resolve(const struct mrm_vocab *v, const char *scheme,
			      const char *value)
{
	const struct mrm_term *t = mrm_vocab_term(v, scheme, value);

	if (!t)
		t = lookup(&v->by_label, v, scheme, value, 1);
	return t ? t->code : NULL;
}

const struct mrm_term *mrm_vocab_terms(const struct mrm_vocab *v,
				       const char *scheme, size_t *count)
{
	size_t first = v->count, n = 0;

	for (size_t i = 0; i < v->count; i++) {
		if (strcmp(v->terms[i].scheme, scheme))
			continue;
		if (first == v->count)
			first = i;
		n++;
	}
	*count = n;
	return n ? &v->terms[first] : NULL;
}

void mrm_vocab_suggest(const struct mrm_vocab *v, const char *scheme,
		       const char *value, char *out, size_t size)
{
	const struct mrm_term *best[3] = {NULL, NULL, NULL};
	size_t dist[3] = {(size_t)-1, (size_t)-1, (size_t)-1}, n;
	const struct mrm_term *t = mrm_vocab_terms(v, scheme, &n);

	for (size_t i = 0; i < n; i++) {
		size_t d = mrm_utf8_distance(value, t[i].code);
		size_t dl = mrm_utf8_distance(value, t[i].label[0]);

		d = dl < d ? dl : d;
		for (int k = 0; k < 3; k++) {
			if (d >= dist[k])
				continue;
			for (int j = 2; j > k; j--) {
				dist[j] = dist[j - 1];
				best[j] = best[j - 1];
			}
			dist[k] = d;
			best[k] = &t[i];
			break;
		}
	}
	snprintf(out, size, "%s%s%s%s%s", best[0] ? best[0]->code : "(none)",
		 best[1] ? ", " : "", best[1] ? best[1]->code : "",
		 best[2] ? ", " : "", best[2] ? best[2]->code : "");
}

const char *mrm_vocab_label(const struct mrm_vocab *v, const char *scheme,
			    const char *code, const char *lang)
{
	const struct mrm_term *t = mrm_vocab_term(v, scheme, code);

	if (!t)
		return code;
	for (int l = 0; l < MRM_VOCAB_NLANGS; l++)
		if (!strcmp(mrm_vocab_langs[l], lang) && *t->label[l])
			return t->label[l];
	return *t->label[0] ? t->label[0] : code;
}

static const char vocab_header[] = "code,parent,huridocs,en,th,my,km,lo,vi,zh";

static int install_file(sqlite3 *db, sqlite3_stmt *ins,
			const struct mrm_embedded *e, struct mrm_error *err)
{
	char scheme[64];
	const char *base = strrchr(e->path, '/') + 1;
	size_t blen = strcspn(base, ".");
	struct mrm_csv_reader *r = NULL;
	FILE *fp = fmemopen((void *)e->data, e->len, "r");
	int rc, got = 0, seq = 0;

	snprintf(scheme, sizeof(scheme), "%.*s", (int)blen, base);
	if (!fp)
		return mrm_error_set(err, MRM_ERR_NOMEM, e->path,
				     "cannot read");
	rc = mrm_csv_reader_new(&r, fp, e->path, NULL, err);
	while (!rc && (got = mrm_csv_next(r, err)) == 1) {
		size_t nf = mrm_csv_nfields(r);

		if (seq == 0) {
			struct mrm_buf h = MRM_BUF_INIT(1024);

			for (size_t i = 0; i < nf; i++)
				mrm_buf_addf(&h, "%s%s", i ? "," : "",
					     mrm_csv_field(r, i, NULL));
			rc = strcmp(mrm_buf_str(&h), vocab_header)
				     ? mrm_error_set(err, MRM_ERR_INVALID,
						     e->path,
						     "header must be %s",
						     vocab_header)
				     : 0;
			mrm_buf_release(&h);
			seq++;
			continue;
		}
		if (nf != VOCAB_COLS) {
			rc = mrm_error_set(err, MRM_ERR_INVALID, NULL,
					   "%s:%lu: %zu columns, expected %d",
					   e->path, mrm_csv_line(r), nf,
					   VOCAB_COLS);
			break;
		}
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, scheme, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(ins, 2, seq++);
		for (size_t i = 0; i < VOCAB_COLS; i++) {
			const char *s = mrm_csv_field(r, i, NULL);

			if (*s)
				sqlite3_bind_text(ins, (int)i + 3, s, -1,
						  SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(ins, (int)i + 3);
		}
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = mrm_error_set(err, MRM_ERR_DB, e->path,
					   "line %lu: %s", mrm_csv_line(r),
					   sqlite3_errmsg(db));
	}
	mrm_csv_reader_free(r);
	fclose(fp);
	return rc ? rc : got < 0 ? got : 0;
}

int mrm_vocab_install(sqlite3 *db, struct mrm_error *err)
{
	const char *sql =
		"INSERT OR REPLACE INTO vocab(scheme, seq, code, parent, "
		"huridocs, en, th, my, km, lo, vi, zh) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *ins = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL))
		return mrm_error_set(err, MRM_ERR_DB, "vocab", "%s",
				     sqlite3_errmsg(db));
	for (const struct mrm_embedded *e = mrm_embedded_files; e->path && !rc;
	     e++)
		if (!strncmp(e->path, "data/vocab/", 11) &&
		    strstr(e->path, ".csv"))
			rc = install_file(db, ins, e, err);
	sqlite3_finalize(ins);
	return rc;
}
