/* fuzz_csv.c - the streaming CSV reader (csv.h) over arbitrary bytes. */
#include "mrm/csv.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrm/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The writer's promise (csv.h): the reader gives back exactly the fields
 * that mrm_csv_put_record() wrote. Checked for every record read whose
 * fields hold no NUL byte (the writer takes C strings). Only the first
 * record of each input: a reader allocates a large buffer, and doing it
 * for every record slowed the target eightfold.
 */
static void round_trip(const struct mrm_csv_reader *r)
{
	size_t n = mrm_csv_nfields(r);
	const char **f = calloc(n, sizeof(*f));
	struct mrm_buf b = MRM_BUF_INIT((size_t)64 << 20);
	struct mrm_csv_reader *back = NULL;
	struct mrm_error err;
	FILE *fp = NULL;

	if (!f)
		abort();
	for (size_t i = 0; i < n; i++) {
		size_t len;

		f[i] = mrm_csv_field(r, i, &len);
		if (strlen(f[i]) != len)
			goto out;
	}
	if (mrm_csv_put_record(&b, f, n))
		goto out;
	fp = fmemopen(b.ptr, b.len, "rb");
	if (!fp || mrm_csv_reader_new(&back, fp, "back", NULL, &err))
		abort();
	if (mrm_csv_next(back, &err) != 1 || mrm_csv_nfields(back) != n)
		abort();
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *s = mrm_csv_field(back, i, &len);

		if (len != strlen(f[i]) || memcmp(s, f[i], len))
			abort();
	}
	if (mrm_csv_next(back, &err) != 0)
		abort();
out:
	mrm_csv_reader_free(back);
	if (fp)
		fclose(fp);
	mrm_buf_release(&b);
	free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Small limits, so that the limit paths are reached too. */
	struct mrm_csv_limits lim = {
		.max_field = 64, .max_fields = 16, .max_record = 256};
	struct mrm_csv_reader *r = NULL;
	struct mrm_error err;
	FILE *fp;
	int rc;

	if (size == 0)
		return 0;
	/* The first byte picks default or small limits. */
	const struct mrm_csv_limits *lp = (data[0] & 1) ? &lim : NULL;
	fp = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "rb");
	if (!fp)
		return 0;
	if (size == 1)
		fseek(fp, 0, SEEK_END);
	if (mrm_csv_reader_new(&r, fp, "fuzz.csv", lp, &err))
		goto out;
	for (int i = 0; i < 100000; i++) {
		rc = mrm_csv_next(r, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			(void)mrm_csv_line(r);
			if (!mrm_csv_recoverable(r))
				break;
			continue;
		}
		size_t n = mrm_csv_nfields(r);
		for (size_t f = 0; f <= n; f++) {
			size_t len;
			const char *s = mrm_csv_field(r, f, &len);
			if (s && len)
				(void)(volatile char)s[len - 1];
			(void)mrm_csv_field_line(r, f);
		}
		(void)mrm_csv_offset(r);
		if (i == 0)
			round_trip(r);
	}
out:
	mrm_csv_reader_free(r);
	fclose(fp);
	return 0;
}
