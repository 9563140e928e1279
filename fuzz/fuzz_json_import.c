/*
 * fuzz_json_import.c - the JSON import (mrm_import_json()) into a small
 * database made once per process (fuzz_db.h). The input is written to a
 * temporary file, as the CLI and the server hand files to the import.
 * All-or-nothing imports roll back on any problem, so the database grows
 * only by inputs that are valid exports.
 */
#include "fuzz_common.h"
#include "fuzz_db.h"

static void on_error(void *ctx, const struct mrm_error *e)
{
	(void)ctx;
	(void)e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mrm_store *st = fuzz_db();
	struct mrm_import_opts o = {0};
	struct mrm_import_stats stats;
	struct mrm_error err;
	FILE *fp = tmpfile();

	if (!fp)
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	rewind(fp);
	mrm_error_clear(&err);
	/* The low bit of the first byte (if any) picks skip_invalid. */
	o.skip_invalid = size && (data[0] & 1);
	o.on_error = on_error;
	(void)mrm_import_json(st, fp, "fuzz.json", &o, &stats, &err);
	fclose(fp);
	return 0;
}
