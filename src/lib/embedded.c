/* embedded.c - see include/mrm/embedded.h */
#include "mrm/embedded.h"

#include <string.h>

const struct mrm_embedded *mrm_embedded_find(const char *path)
{
	for (const struct mrm_embedded *e = mrm_embedded_files; e->path; e++)
		if (!strcmp(e->path, path))
			return e;
	return NULL;
}
