/* test_csv.c - the CSV reader and writer (src/lib/csv.c) and utf8 helpers */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrm/buf.h"
#include "mrm/csv.h"
#include "mrm/error.h"
#include "mrm/utf8.h"

#define CHUNK ((size_t)256 << 10) /* the reader's read size */

/* A string literal and its length, NULs inside included. */
#define S(lit) (lit), (sizeof(lit) - 1)

struct t {
	FILE *fp;
	struct mrm_csv_reader *r;
	struct mrm_error err;
};

static FILE *file_with(const char *s, size_t len)
{
	FILE *fp = tmpfile();

	assert_non_null(fp);
	if (len)
		assert_int_equal(fwrite(s, 1, len, fp), len);
	rewind(fp);
	return fp;
}

static void t_open_lim(struct t *t, const char *s, size_t len,
		       const struct mrm_csv_limits *lim)
{
	memset(t, 0, sizeof(*t));
	t->fp = file_with(s, len);
	assert_int_equal(
		mrm_csv_reader_new(&t->r, t->fp, "t.csv", lim, &t->err), 0);
	assert_non_null(t->r);
}

static void t_open(struct t *t, const char *s, size_t len)
{
	t_open_lim(t, s, len, NULL);
}

static void t_close(struct t *t)
{
	mrm_csv_reader_free(t->r);
	fclose(t->fp);
}

/* Expect a record starting at `line` with the n NUL-terminated fields. */
static void expect_rec(struct t *t, unsigned long line, size_t n, ...)
{
	va_list ap;
	int rc = mrm_csv_next(t->r, &t->err);

	if (rc != 1)
		fail_msg("expected a record at line %lu, got %d: %s: %s", line,
			 rc, t->err.where, t->err.msg);
	assert_int_equal(mrm_csv_line(t->r), line);
	assert_int_equal(mrm_csv_nfields(t->r), n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);
		size_t len = 99;
		const char *got = mrm_csv_field(t->r, i, &len);

		assert_non_null(got);
		assert_int_equal(len, strlen(want));
		assert_memory_equal(got, want, len);
		assert_int_equal(got[len], '\0');
	}
	va_end(ap);
}

static void expect_end(struct t *t)
{
	assert_int_equal(mrm_csv_next(t->r, &t->err), 0);
	assert_int_equal(mrm_csv_nfields(t->r), 0);
	assert_int_equal(mrm_csv_next(t->r, &t->err), 0);
}

/* Expect an error; `msg` must be the start of the message. */
static void expect_err(struct t *t, int code, const char *where,
		       const char *msg, int recoverable)
{
	int rc = mrm_csv_next(t->r, &t->err);

	assert_int_equal(rc, code);
	assert_int_equal(t->err.code, code);
	assert_string_equal(t->err.where, where);
	if (strncmp(t->err.msg, msg, strlen(msg)))
		fail_msg("message \"%s\" does not start with \"%s\"",
			 t->err.msg, msg);
	assert_int_equal(mrm_csv_recoverable(t->r), recoverable);
	assert_int_equal(mrm_csv_nfields(t->r), 0);
	assert_null(mrm_csv_field(t->r, 0, NULL));
}

static void test_simple(void **state)
{
	struct t t;
	size_t len = 5;

	(void)state;
	t_open(&t, S("a,b,c\n1,22,333\n"));
	expect_rec(&t, 1, 3, "a", "b", "c");
	assert_int_equal(mrm_csv_offset(t.r), 6);
	assert_int_equal(mrm_csv_field_line(t.r, 2), 1);
	assert_int_equal(mrm_csv_field_line(t.r, 3), 0);
	assert_null(mrm_csv_field(t.r, 3, &len));
	assert_int_equal(len, 0);
	expect_rec(&t, 2, 3, "1", "22", "333");
	expect_end(&t);
	assert_int_equal(mrm_csv_offset(t.r), 15);
	t_close(&t);
}

static void test_empty_input(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, "", 0);
	expect_end(&t);
	t_close(&t);
	t_open(&t, S("\xEF\xBB\xBF"));
	expect_end(&t);
	assert_int_equal(mrm_csv_offset(t.r), 3);
	t_close(&t);
}

static void test_quoted(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("\"a,b\",c,\"\"\n"
		     "\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\n"
		     "\",\",\",,\"\n"));
	expect_rec(&t, 1, 3, "a,b", "c", "");
	expect_rec(&t, 2, 3, "say \"hi\"", "\"", "\"\"");
	expect_rec(&t, 3, 2, ",", ",,");
	expect_end(&t);
	t_close(&t);
}

static void test_embedded_newlines(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("\"l1\nl2\",x\n"
		     "next,y\n"
		     "\"a\r\nb\",z\r\n"
		     "p,\"q\rr\",\"s\n\nt\",u\n"
		     "last\n"));
	expect_rec(&t, 1, 2, "l1\nl2", "x");
	assert_int_equal(mrm_csv_field_line(t.r, 1), 2);
	expect_rec(&t, 3, 2, "next", "y");
	expect_rec(&t, 4, 2, "a\r\nb", "z");
	expect_rec(&t, 6, 4, "p", "q\rr", "s\n\nt", "u");
	assert_int_equal(mrm_csv_field_line(t.r, 0), 6);
	assert_int_equal(mrm_csv_field_line(t.r, 1), 6);
	assert_int_equal(mrm_csv_field_line(t.r, 2), 7);
	assert_int_equal(mrm_csv_field_line(t.r, 3), 9);
	expect_rec(&t, 10, 1, "last");
	expect_end(&t);
	t_close(&t);
}

static void test_terminators(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("a,b\r\nc,d\re,f\n\rg\r\r\nh\r"));
	expect_rec(&t, 1, 2, "a", "b");
	expect_rec(&t, 2, 2, "c", "d");
	expect_rec(&t, 3, 2, "e", "f");
	expect_rec(&t, 4, 1, ""); /* the lone CR after LF is an empty line */
	expect_rec(&t, 5, 1, "g");
	expect_rec(&t, 6, 1, ""); /* CR, then CRLF */
	expect_rec(&t, 7, 1, "h");
	expect_end(&t);
	t_close(&t);

	/* a quoted field ends the record with each kind of break */
	t_open(&t, S("\"a\"\r\n\"b\"\r\"c\"\n\"d\""));
	expect_rec(&t, 1, 1, "a");
	expect_rec(&t, 2, 1, "b");
	expect_rec(&t, 3, 1, "c");
	expect_rec(&t, 4, 1, "d");
	expect_end(&t);
	t_close(&t);
}

static void test_bom(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("\xEF\xBB\xBF"
		     "a,b\n\xEF\xBB\xBF"
		     "c,d\xEF\xBB\xBF\n"));
	expect_rec(&t, 1, 2, "a", "b");
	expect_rec(&t, 2, 2,
		   "\xEF\xBB\xBF"
		   "c",
		   "d\xEF\xBB\xBF");
	expect_end(&t);
	t_close(&t);

	/* only the first three bytes, only once */
	t_open(&t, S("\xEF\xBB\xBF\xEF\xBB\xBFx\n"));
	expect_rec(&t, 1, 1, "\xEF\xBB\xBFx");
	expect_end(&t);
	t_close(&t);

	/* a BOM before a quoted field */
	t_open(&t, S("\xEF\xBB\xBF\"q,q\"\n"));
	expect_rec(&t, 1, 1, "q,q");
	expect_end(&t);
	t_close(&t);
}

static void test_no_trailing_newline(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("a,b\nc,d"));
	expect_rec(&t, 1, 2, "a", "b");
	expect_rec(&t, 2, 2, "c", "d");
	expect_end(&t);
	t_close(&t);

	t_open(&t, S("x,\"q\"\"\""));
	expect_rec(&t, 1, 2, "x", "q\"");
	expect_end(&t);
	t_close(&t);

	t_open(&t, S("x,"));
	expect_rec(&t, 1, 2, "x", "");
	expect_end(&t);
	t_close(&t);
}

static void test_empty_fields_and_lines(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S(",,\na,,b\n\"\",x,\"\"\n\n\r\n,\nz\n"));
	expect_rec(&t, 1, 3, "", "", "");
	expect_rec(&t, 2, 3, "a", "", "b");
	expect_rec(&t, 3, 3, "", "x", "");
	expect_rec(&t, 4, 1, "");
	expect_rec(&t, 5, 1, "");
	expect_rec(&t, 6, 2, "", "");
	expect_rec(&t, 7, 1, "z");
	expect_end(&t);
	t_close(&t);
}

static void test_nul_byte(void **state)
{
	struct t t;
	const char *f;
	size_t len;

	(void)state;
	t_open(&t, S("a\0b,c\n"));
	assert_int_equal(mrm_csv_next(t.r, &t.err), 1);
	f = mrm_csv_field(t.r, 0, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(f, "a\0b", 4);
	t_close(&t);
}

static void test_unbalanced_quote(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("a,b\nc,\"d\ne,f\n"));
	expect_rec(&t, 1, 2, "a", "b");
	expect_err(&t, MRM_ERR_INVALID, "t.csv:2:2",
		   "quote never closed (opened here)", 0);
	assert_int_equal(mrm_csv_line(t.r), 2);
	/* sticky */
	expect_err(&t, MRM_ERR_INVALID, "t.csv:2:2",
		   "quote never closed (opened here)", 0);
	mrm_error_clear(&t.err);
	assert_int_equal(mrm_csv_next(t.r, NULL), MRM_ERR_INVALID);
	t_close(&t);

	/* a recoverable error first, then the open quote at end of input */
	t_open(&t, S("a\"b,\"c\nd"));
	expect_err(&t, MRM_ERR_INVALID, "t.csv:1:1",
		   "unexpected quote in unquoted field", 1);
	expect_err(&t, MRM_ERR_INVALID, "t.csv:1:2",
		   "quote never closed (opened here)", 0);
	t_close(&t);
}

static void test_stray_quote(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("a,b\"c,d\ne,f\n"
		     "x\"y,\"skipped\nquoted\",z\n"
		     "g\n"));
	expect_err(&t, MRM_ERR_INVALID, "t.csv:1:2",
		   "unexpected quote in unquoted field", 1);
	assert_int_equal(mrm_csv_line(t.r), 1);
	expect_rec(&t, 2, 2, "e", "f");
	/* the skipped record's quoted field spans two lines */
	expect_err(&t, MRM_ERR_INVALID, "t.csv:3:1",
		   "unexpected quote in unquoted field", 1);
	expect_rec(&t, 5, 1, "g");
	expect_end(&t);
	t_close(&t);
}

static void test_after_closing_quote(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("\"ab\"x,y\nz\n"
		     "1,\"multi\nline\" ,2\n"
		     "3,\"c\"\xC3\xA9\n"
		     "ok\n"));
	expect_err(&t, MRM_ERR_INVALID, "t.csv:1:1",
		   "unexpected character 'x' after closing quote", 1);
	expect_rec(&t, 2, 1, "z");
	/* located on the line of the closing quote */
	expect_err(&t, MRM_ERR_INVALID, "t.csv:4:2",
		   "unexpected character ' ' after closing quote", 1);
	expect_err(&t, MRM_ERR_INVALID, "t.csv:5:2",
		   "unexpected byte 0xc3 after closing quote", 1);
	expect_rec(&t, 6, 1, "ok");
	expect_end(&t);
	t_close(&t);
}

static void test_invalid_utf8(void **state)
{
	struct t t;

	(void)state;
	t_open(&t, S("ok,fine\n"
		     "x,abcdef\xC0\xAF\n"	  /* overlong */
		     "\"multi\nline\",\xE0\xB8\n" /* truncated */
		     "\x80\n"			  /* lone continuation */
		     "a,b,c\xED\xA0\x80"
		     "d\n"			       /* surrogate */
		     "\"\xF4\x90\x80\x80\",\"q\nr\"\n" /* above U+10FFFF */
		     "\xE0\xB8\xAA\xE0\xB8\xA2\n"));   /* valid Thai */
	expect_rec(&t, 1, 2, "ok", "fine");
	expect_err(&t, MRM_ERR_INVALID, "t.csv:2:2",
		   "invalid UTF-8 at byte 7 of the field (0xc0)", 1);
	expect_err(&t, MRM_ERR_INVALID, "t.csv:4:2",
		   "invalid UTF-8 at byte 1 of the field (0xe0)", 1);
	assert_int_equal(mrm_csv_line(t.r), 3);
	expect_err(&t, MRM_ERR_INVALID, "t.csv:5:1",
		   "invalid UTF-8 at byte 1 of the field (0x80)", 1);
	expect_err(&t, MRM_ERR_INVALID, "t.csv:6:3",
		   "invalid UTF-8 at byte 2 of the field (0xed)", 1);
	expect_err(&t, MRM_ERR_INVALID, "t.csv:7:1",
		   "invalid UTF-8 at byte 1 of the field (0xf4)", 1);
	expect_rec(&t, 9, 1, "\xE0\xB8\xAA\xE0\xB8\xA2");
	expect_end(&t);
	t_close(&t);
}

static void test_field_limit(void **state)
{
	struct mrm_csv_limits lim = {8, 0, 0};
	struct t t;
	char *big;
	size_t n = MRM_CSV_MAX_FIELD + 1;

	(void)state;
	t_open_lim(&t,
		   S("12345678,x\n123456789,y\n"
		     "\"1234\"\"567\"\n\"1234\"\"5678\"\nok\n"),
		   &lim);
	expect_rec(&t, 1, 2, "12345678", "x");
	expect_err(&t, MRM_ERR_LIMIT, "t.csv:2:1", "field longer than 8 bytes",
		   1);
	expect_rec(&t, 3, 1, "1234\"567");
	expect_err(&t, MRM_ERR_LIMIT, "t.csv:4:1",
		   "field longer than 8 bytes (is a closing quote missing?)",
		   1);
	expect_rec(&t, 5, 1, "ok");
	expect_end(&t);
	t_close(&t);

	/* the default limit, over several read chunks */
	big = malloc(n + 8);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big + n, "\nb\n", 3);
	t_open(&t, big, n - 1);
	assert_int_equal(mrm_csv_next(t.r, &t.err), 1);
	assert_int_equal(mrm_csv_nfields(t.r), 1);
	t_close(&t);
	t_open(&t, big, n + 3);
	expect_err(&t, MRM_ERR_LIMIT, "t.csv:1:1",
		   "field longer than 1048576 bytes", 1);
	expect_rec(&t, 2, 1, "b");
	expect_end(&t);
	t_close(&t);
	free(big);
}

static void test_record_limit(void **state)
{
	struct mrm_csv_limits lim = {0, 0, 10};
	struct t t;

	(void)state;
	t_open_lim(&t, S("12345,12345\n12345,123456\n1,2\n"), &lim);
	expect_rec(&t, 1, 2, "12345", "12345");
	expect_err(&t, MRM_ERR_LIMIT, "t.csv:2:2",
		   "record longer than 10 bytes", 1);
	expect_rec(&t, 3, 2, "1", "2");
	expect_end(&t);
	t_close(&t);
}

static void test_too_many_fields(void **state)
{
	struct mrm_csv_limits lim = {0, 3, 0};
	struct t t;
	size_t n = MRM_CSV_MAX_FIELDS;
	char *s;

	(void)state;
	t_open_lim(&t, S("a,b,c\na,b,c,d\n\"x\ny\",b,c,\"d\"\nz\n"), &lim);
	expect_rec(&t, 1, 3, "a", "b", "c");
	expect_err(&t, MRM_ERR_LIMIT, "t.csv:2:4", "more than 3 fields", 1);
	expect_err(&t, MRM_ERR_LIMIT, "t.csv:4:4", "more than 3 fields", 1);
	expect_rec(&t, 5, 1, "z");
	expect_end(&t);
	t_close(&t);

	/* the default: 4096 fields are fine, 4097 are not */
	s = malloc(2 * n + 4);
	assert_non_null(s);
	memset(s, ',', n);
	s[n - 1] = '\n';
	memset(s + n, ',', n);
	s[2 * n] = '\n';
	t_open(&t, s, 2 * n + 1);
	assert_int_equal(mrm_csv_next(t.r, &t.err), 1);
	assert_int_equal(mrm_csv_nfields(t.r), n);
	expect_err(&t, MRM_ERR_LIMIT, "t.csv:2:4097", "more than 4096 fields",
		   1);
	expect_end(&t);
	t_close(&t);
	free(s);
}

/* Append records "pNNNN,...\n" until `at` bytes remain to `target`. */
static void pad_to(struct mrm_buf *b, size_t target, size_t at,
		   unsigned long *lines)
{
	while (b->len + 40 < target - at) {
		assert_int_equal(
			mrm_buf_addf(b, "p%06lu,padding padding\n", *lines), 0);
		(*lines)++;
	}
	while (b->len < target - at - 1)
		assert_int_equal(mrm_buf_addc(b, 'q'), 0);
	assert_int_equal(mrm_buf_addc(b, '\n'), 0);
	(*lines)++;
}

static void test_chunks(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(4 << 20);
	unsigned long lines = 0, lines1, n = 0;
	struct t t;
	char *big;
	int rc;

	(void)state;
	/* a quoted field with "" and CRLF across the first chunk boundary */
	pad_to(&b, CHUNK, 6, &lines);
	assert_int_equal(b.len, CHUNK - 6);
	assert_int_equal(mrm_buf_adds(&b, "k,\"ab\"\"c\r\nd\xE0\xB8\xAA\",e\n"),
			 0);
	lines1 = lines;
	/* a CRLF terminator split across the second: CR last, LF first */
	pad_to(&b, 2 * CHUNK, 2, &lines);
	assert_int_equal(mrm_buf_adds(&b, "x\r\ny\n"), 0);
	/* a long field over three chunks */
	big = malloc(CHUNK + 1000);
	assert_non_null(big);
	memset(big, 'z', CHUNK + 999);
	big[CHUNK + 999] = '\0';
	assert_int_equal(mrm_buf_addf(&b, "w,\"%s\"\nend", big), 0);

	t_open(&t, b.ptr, b.len);
	while ((rc = mrm_csv_next(t.r, &t.err)) == 1 &&
	       mrm_csv_field(t.r, 0, NULL)[0] != 'k') {
		n++;
		assert_int_equal(mrm_csv_line(t.r), n);
	}
	assert_int_equal(rc, 1);
	assert_int_equal(n, lines1);
	assert_int_equal(mrm_csv_line(t.r), lines1 + 1);
	assert_int_equal(mrm_csv_nfields(t.r), 3);
	assert_string_equal(mrm_csv_field(t.r, 1, NULL),
			    "ab\"c\r\nd\xE0\xB8\xAA");
	assert_int_equal(mrm_csv_field_line(t.r, 2), lines1 + 2);
	n = lines1 + 2;
	while ((rc = mrm_csv_next(t.r, &t.err)) == 1 &&
	       mrm_csv_field(t.r, 0, NULL)[0] != 'x') {
		n++;
		assert_int_equal(mrm_csv_line(t.r), n);
	}
	assert_int_equal(rc, 1);
	assert_int_equal(n, lines + 2);
	assert_int_equal(mrm_csv_offset(t.r), 2 * CHUNK);
	expect_rec(&t, n + 2, 1, "y");
	expect_rec(&t, n + 3, 2, "w", big);
	expect_rec(&t, n + 4, 1, "end");
	expect_end(&t);
	assert_int_equal(mrm_csv_offset(t.r), b.len);
	t_close(&t);
	free(big);
	mrm_buf_release(&b);
}

static void test_read_error(void **state)
{
	struct mrm_csv_reader *r = NULL;
	struct mrm_error err;
	FILE *fp = fopen("/dev/null", "w"); /* reading it fails */

	(void)state;
	assert_non_null(fp);
	assert_int_equal(mrm_csv_reader_new(&r, fp, "w.csv", NULL, &err), 0);
	assert_int_equal(mrm_csv_next(r, &err), MRM_ERR_IO);
	assert_string_equal(err.where, "w.csv");
	assert_int_equal(strncmp(err.msg, "read error", 10), 0);
	assert_int_equal(mrm_csv_recoverable(r), 0);
	assert_int_equal(mrm_csv_next(r, &err), MRM_ERR_IO);
	mrm_csv_reader_free(r);
	fclose(fp);
}

static void test_bad_args(void **state)
{
	struct mrm_csv_reader *r = (struct mrm_csv_reader *)&r;
	struct mrm_error err;

	(void)state;
	assert_int_equal(mrm_csv_reader_new(&r, NULL, "x", NULL, &err),
			 MRM_ERR_INVALID);
	assert_null(r);
	assert_int_equal(err.code, MRM_ERR_INVALID);
	assert_int_equal(mrm_csv_reader_new(NULL, stdin, NULL, NULL, NULL),
			 MRM_ERR_INVALID);
	mrm_csv_reader_free(NULL);
}

static void test_put_field(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(1024);
	struct mrm_buf small = MRM_BUF_INIT(5);

	(void)state;
	assert_int_equal(mrm_csv_put_field(&b, S("plain")), 0);
	assert_int_equal(mrm_csv_put_field(&b, NULL, 0), 0);
	assert_int_equal(mrm_csv_put_field(&b, S("|a,b|a\"b|\"|")), 0);
	assert_int_equal(mrm_csv_put_field(&b, S(" x")), 0);
	assert_int_equal(mrm_csv_put_field(&b, S("x ")), 0);
	assert_int_equal(mrm_csv_put_field(&b, S("a b")), 0);
	assert_int_equal(mrm_csv_put_field(&b, S("a\rb\nc")), 0);
	assert_string_equal(mrm_buf_str(&b), "plain\"|a,b|a\"\"b|\"\"|\""
					     "\" x\"\"x \"a b\"a\rb\nc\"");
	mrm_buf_release(&b);

	/* over the buffer's maximum: an error, and nothing added */
	assert_int_equal(mrm_csv_put_field(&small, S("ab")), 0);
	assert_int_equal(mrm_csv_put_field(&small, S("a\"")), MRM_ERR_LIMIT);
	assert_string_equal(mrm_buf_str(&small), "ab");
	assert_int_equal(small.len, 2);
	mrm_buf_release(&small);
}

static void test_put_record(void **state)
{
	struct mrm_buf b = MRM_BUF_INIT(1024);
	struct mrm_buf small = MRM_BUF_INIT(8);
	const char *f1[] = {"a", "b,c", ""};
	const char *f2[] = {""};
	const char *f3[] = {"", ""};

	(void)state;
	assert_int_equal(mrm_csv_put_record(&b, f1, 3), 0);
	assert_int_equal(mrm_csv_put_record(&b, f2, 1), 0);
	assert_int_equal(mrm_csv_put_record(&b, f3, 2), 0);
	assert_string_equal(mrm_buf_str(&b), "a,\"b,c\",\n\"\"\n,\n");
	assert_int_equal(mrm_csv_put_record(&b, f1, 0), MRM_ERR_INVALID);
	mrm_buf_release(&b);

	assert_int_equal(mrm_csv_put_record(&small, f3, 2), 0);
	assert_int_equal(mrm_csv_put_record(&small, f1, 3), MRM_ERR_LIMIT);
	assert_string_equal(mrm_buf_str(&small), ",\n");
	mrm_buf_release(&small);
}

static void test_round_trip(void **state)
{
	static const char *const rows[][4] = {
		{"\xEF\xBB\xBF"
		 "bom first",
		 "with,comma", "with \"quotes\"", "\""},
		{"line1\nline2", "cr\r\nlf", "lone\rcr", ""},
		{" lead", "trail ", ",", "\"\""},
		{"\xE0\xB8\x84\xE0\xB8\x99\xE0\xB8\x87\xE0\xB8\xB2\xE0\xB8\x99 "
		 "\xE0\xB8\x82\xE0\xB9\x89\xE0\xB8\xB2\xE0\xB8\xA1\xE0\xB8\x8A"
		 "\xE0\xB8\xB2\xE0\xB8\x95\xE0\xB8\xB4, \"\xE0\xB9\x81\xE0\xB8"
		 "\xA1\xE0\xB9\x88\xE0\xB8\xAA\xE0\xB8\xAD\xE0\xB8\x94\"",
		 "\xEF\xBB\xBF"
		 "bom",
		 "", "x"},
	};
	const size_t nrows = sizeof(rows) / sizeof(rows[0]);
	const char *one[] = {""};
	struct mrm_buf b = MRM_BUF_INIT(1 << 20);
	struct t t;

	(void)state;
	for (size_t i = 0; i < nrows; i++)
		assert_int_equal(mrm_csv_put_record(&b, rows[i], 4), 0);
	assert_int_equal(mrm_csv_put_record(&b, one, 1), 0);
	/* the BOM that starts the first field is quoted, so not skipped */
	assert_int_equal(b.ptr[0], '"');
	t_open(&t, b.ptr, b.len);
	for (size_t i = 0; i < nrows; i++) {
		assert_int_equal(mrm_csv_next(t.r, &t.err), 1);
		assert_int_equal(mrm_csv_nfields(t.r), 4);
		for (size_t j = 0; j < 4; j++) {
			size_t len;
			const char *f = mrm_csv_field(t.r, j, &len);

			assert_int_equal(len, strlen(rows[i][j]));
			assert_memory_equal(f, rows[i][j], len);
		}
	}
	expect_rec(&t, 8, 1, "");
	expect_end(&t);
	t_close(&t);
	mrm_buf_release(&b);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_int_equal(mrm_utf8_check(S("")), 0);
	assert_int_equal(mrm_utf8_check(S("abc")), 3);
	assert_int_equal(
		mrm_utf8_check(S("\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2")), 9);
	assert_int_equal(mrm_utf8_check(S("\xF0\x9F\x98\x80")), 4);
	assert_int_equal(mrm_utf8_check(S("ab\xC0\xAF")), 2);	/* overlong */
	assert_int_equal(mrm_utf8_check(S("\xE0\x80\xAF")), 0); /* overlong */
	assert_int_equal(mrm_utf8_check(S("a\xE0\xB8")), 1);	/* truncated */
	assert_int_equal(mrm_utf8_check(S("abc\x80")), 3);	/* lone cont. */
	assert_int_equal(mrm_utf8_check(S("\xED\xA0\x80")), 0); /* surrogate */
	assert_int_equal(mrm_utf8_check(S("x\xF4\x90\x80\x80")),
			 1); /* > 10FFFF */
	assert_int_equal(mrm_utf8_check(S("\xFF")), 0);
	assert_int_equal(mrm_utf8_length(S("a\xE0\xB9\x84"
					   "b")),
			 3);

	assert_int_equal(mrm_utf8_distance("kitten", "sitting"), 3);
	assert_int_equal(mrm_utf8_distance("Detention", "detention"), 0);
	assert_int_equal(mrm_utf8_distance("", "abc"), 3);
	assert_int_equal(mrm_utf8_distance("abc", ""), 3);
	/* Thai: one code point differs, not three bytes */
	assert_int_equal(
		mrm_utf8_distance("\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2",
				  "\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\x9A"),
		1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_terminators),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_no_trailing_newline),
		cmocka_unit_test(test_empty_fields_and_lines),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_unbalanced_quote),
		cmocka_unit_test(test_stray_quote),
		cmocka_unit_test(test_after_closing_quote),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_record_limit),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_put_field),
		cmocka_unit_test(test_put_record),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
