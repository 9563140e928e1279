/*
 * fuzz_date.c - dates: ISO 8601 at any precision through
 * mrm_field_normalise() on a date field, and mrm_date_parse_format() with
 * a format taken from the input.
 *
 * Input: VALUE '\n' FORMAT '\n' PRECISION.
 */
#include "fuzz_common.h"

#include "mrm/buf.h"
#include "mrm/error.h"
#include "mrm/fields.h"

static const struct mrm_field *date_field(void)
{
	static const struct mrm_field *f;

	if (!f)
		for (size_t i = 0; i < mrm_field_count; i++)
			if (mrm_fields[i].type == MRM_F_DATE) {
				f = &mrm_fields[i];
				break;
			}
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mrm_buf out = MRM_BUF_INIT(1 << 16);
	struct mrm_error err;
	char *p[3];
	char *buf = fuzz_split(data, size, p, 3);
	const struct mrm_field *f = date_field();

	if (!buf || !f)
		abort();
	mrm_error_clear(&err);
	if (p[0][0])
		(void)mrm_field_normalise(f, p[0], NULL, NULL, &out, &err);
	mrm_buf_reset(&out);
	(void)mrm_date_parse_format(p[0], p[1], p[2], &out, &err);
	mrm_buf_release(&out);
	free(buf);
	return 0;
}
