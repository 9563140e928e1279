/* fuzz_mapping.c - mapping files (docs/mapping.md): mrm_mapping_parse(). */
#include "fuzz_common.h"

#include "mrm/error.h"
#include "mrm/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mrm_mapping *m = NULL;
	struct mrm_error err;

	mrm_error_clear(&err);
	if (mrm_mapping_parse(&m, (const char *)data, size, "fuzz.json",
			      &err) == 0)
		mrm_mapping_free(m);
	return 0;
}
